//! PDF reader on the seed renderings and the real PDFs in `testdata/fixtures/`.

mod common;

use common::{bytes, multiset, read_as, seed_path, surplus, tables, words};
use tinhgon_ingest::{read, Document, Format, IngestError};

fn doc(rel: &str) -> Document {
    read_as(rel, Format::Pdf)
}

#[test]
fn seed_pdfs_give_the_seed_words() {
    for n in ["000", "001", "003"] {
        let seed = read(&bytes(&seed_path(n)), None).unwrap();
        let pdf = doc(&format!("fixtures/seeds/{n}.pdf"));
        let (want, got) = (multiset(&words(&seed)), multiset(&words(&pdf)));
        let missing = surplus(&want, &got);
        let extra = surplus(&got, &want);
        assert!(
            missing.is_empty() && extra.is_empty(),
            "{n}: missing {missing:?}, extra {extra:?}"
        );
    }
}

#[test]
fn seed_000_appendix_is_one_table_without_repeated_headers() {
    let d = doc("fixtures/seeds/000.pdf");
    let t = tables(&d);
    let appendix = t.iter().find(|t| !t.layout).expect("appendix table");
    assert_eq!(appendix.rows.len(), 17);
    assert!(appendix.rows.iter().all(|r| r.cells.len() == 5));
    assert_eq!(appendix.rows[0].cells[1].text(), "Nội dung");
    let tt: Vec<String> = appendix.rows[1..]
        .iter()
        .map(|r| r.cells[0].text())
        .collect();
    let want: Vec<String> = (1..=16).map(|i| format!("{i}.")).collect();
    assert_eq!(tt, want);
    // Row 6 is broken by the page; its tail is joined back.
    assert!(appendix.rows[6].cells[1]
        .text()
        .ends_with("với tình hình thực tiễn."));
    assert_eq!(
        appendix.rows[13].cells[2].paragraphs,
        ["- Sở Nội vụ;", "- UBND cấp xã."]
    );
    assert_eq!(
        appendix.rows[2].cells[4].text(),
        "Cuối quý III/2025 (theo Kế hoạch của Trung ương)."
    );
}

#[test]
fn hard_line_breaks_are_unwrapped_and_codes_kept() {
    let d = doc("fixtures/seeds/001.pdf");
    let text = d.lines.join("\n");
    assert!(text.contains("18-NQ/TW"));
    assert!(!text.contains("18NQ/TW"));
    // Body paragraphs come out whole: the seed rendering has 35 body paragraphs.
    let long = d.lines.iter().filter(|l| l.chars().count() > 200).count();
    assert!(long >= 10, "only {long} long paragraphs");
    let d3 = doc("fixtures/seeds/003.pdf");
    assert!(d3.lines.join("\n").contains("222-KH/TU"));
}

#[test]
fn real_text_pdfs_read() {
    let cv = doc("fixtures/real/CV-UBND-tinh-chi-dao-quan-ly-giam-sat-VLNCN.pdf");
    let text = cv.lines.join("\n");
    assert!(text.contains("1. Sở Công Thương"));
    assert!(text.contains("Độc lập - Tự do - Hạnh phúc"));
    let qd = doc("fixtures/real/QD-1074-QD-BXD-29-6-2026.pdf");
    let text = qd.lines.join("\n");
    assert!(text.contains("1074/QĐ-BXD"));
    assert!(text.contains("Điều 3. Tổ chức thực hiện"));
}

#[test]
fn glyph_code_pdf_is_a_broken_text_layer() {
    let r = read(
        &bytes("fixtures/real/QD-1050-kiem-tra-VLNCN-2026.pdf"),
        None,
    );
    assert_eq!(r.unwrap_err(), IngestError::BrokenTextLayer);
}

#[test]
fn scan_is_reported_as_scan() {
    let r = read(
        &bytes("fixtures/real/CV-813-CucHoaChat.pdf"),
        Some("CV-813.pdf"),
    );
    let e = r.unwrap_err();
    assert_eq!(e, IngestError::Scanned);
    assert_eq!(e.to_string(), "tài liệu là ảnh quét, không có lớp văn bản");
}
