//! Snapshots of the documents read from the seed renderings (lines and blocks), reviewed by
//! hand: a change in what the readers produce shows up as a diff here.

mod common;

use common::bytes;

fn snapshot(rel: &str) -> tinhgon_ingest::Document {
    tinhgon_ingest::read(&bytes(rel), rel.rsplit('/').next())
        .unwrap_or_else(|e| panic!("{rel}: {e}"))
}

#[test]
fn seed_docx_documents() {
    for n in ["000", "001", "003"] {
        let d = snapshot(&format!("fixtures/seeds/{n}.docx"));
        insta::assert_yaml_snapshot!(format!("seed_{n}_docx"), d);
    }
}

#[test]
fn seed_000_pdf_document() {
    insta::assert_yaml_snapshot!("seed_000_pdf", snapshot("fixtures/seeds/000.pdf"));
}

#[test]
fn lao_cai_plan_docx_document() {
    insta::assert_yaml_snapshot!(
        "lao_cai_plan_docx",
        snapshot("fixtures/real/KH-UBND-trien-khai-Chi-thi-11-CT-TU-QLNN-khoang-san.docx")
    );
}
