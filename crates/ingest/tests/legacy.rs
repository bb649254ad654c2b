//! Legacy Vietnamese encodings (TCVN3/ABC, VNI) are recognised and converted, in text files
//! and in .docx runs typed with the old fonts. Samples are built from the mapping table.

use std::io::Write;

use tinhgon_ingest::{legacy, read, Block, Format};
use unicode_normalization::UnicodeNormalization;

const PLAN: &str = "Ủy ban nhân dân tỉnh ban hành kế hoạch sắp xếp tổ chức bộ máy. \
                    Sở Nội vụ chủ trì, phối hợp với các cơ quan, đơn vị liên quan thực hiện; \
                    thời gian hoàn thành trong quý III năm 2025.";

/// Encodes lower-case text to TCVN3 bytes with the inverse of the reader's table. Capital
/// toned letters do not exist in TCVN3 (they come from the .VnTimeH font), so the sample is
/// lower-cased first.
fn tcvn3_bytes(s: &str) -> Vec<u8> {
    let table = legacy::tcvn3_table();
    s.to_lowercase()
        .nfc()
        .map(|c| {
            table
                .iter()
                .find(|&&(_, u)| u == c)
                .map(|&(b, _)| b)
                .unwrap_or_else(|| u8::try_from(u32::from(c)).expect("ASCII in sample"))
        })
        .collect()
}

#[test]
fn tcvn3_text_file_is_converted() {
    let bytes = tcvn3_bytes(PLAN);
    assert!(std::str::from_utf8(&bytes).is_err());
    let doc = read(&bytes, Some("kh.txt")).unwrap();
    assert_eq!(doc.lines, [PLAN.to_lowercase()]);
    assert!(doc.warnings.iter().any(|w| w.contains("TCVN3")));
}

#[test]
fn vni_text_file_is_converted() {
    let vni = "UÛy ban nhaân daân tænh ban haønh keá hoaïch saép xeáp toå chöùc boä maùy. \
               Sôû Noäi vuï chuû trì, phoái hôïp vôùi caùc cô quan, ñôn vò lieân quan.";
    let bytes: Vec<u8> = vni
        .chars()
        .map(|c| u8::try_from(u32::from(c)).unwrap())
        .collect();
    let doc = read(&bytes, Some("kh.txt")).unwrap();
    assert_eq!(
        doc.lines,
        [
            "Ủy ban nhân dân tỉnh ban hành kế hoạch sắp xếp tổ chức bộ máy. \
          Sở Nội vụ chủ trì, phối hợp với các cơ quan, đơn vị liên quan."
        ]
    );
    assert!(doc.warnings.iter().any(|w| w.contains("VNI")));
}

fn docx(paragraphs: &[&str]) -> Vec<u8> {
    let mut xml = String::from(r#"<w:document xmlns:w="w"><w:body>"#);
    for p in paragraphs {
        xml.push_str(&format!(
            r#"<w:p><w:r><w:rPr><w:rFonts w:ascii=".VnTime" w:hAnsi=".VnTime"/></w:rPr><w:t>{p}</w:t></w:r></w:p>"#
        ));
    }
    xml.push_str("</w:body></w:document>");
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    zip.start_file(
        "word/document.xml",
        zip::write::SimpleFileOptions::default(),
    )
    .unwrap();
    zip.write_all(xml.as_bytes()).unwrap();
    zip.finish().unwrap().into_inner()
}

#[test]
fn tcvn3_runs_in_docx_are_converted_but_unicode_kept() {
    // Word stores the legacy bytes as the Latin-1 characters they look like.
    let legacy_text: String = tcvn3_bytes(PLAN).into_iter().map(char::from).collect();
    let header = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM";
    let doc = read(
        &docx(&[header, &legacy_text, &legacy_text]),
        Some("kh.docx"),
    )
    .unwrap();
    assert_eq!(doc.format, Format::Docx);
    let texts: Vec<&str> = doc
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::Paragraph(p) => Some(p.text.as_str()),
            Block::Table(_) => None,
        })
        .collect();
    let lower = PLAN.to_lowercase();
    assert_eq!(texts, [header, lower.as_str(), lower.as_str()]);
}
