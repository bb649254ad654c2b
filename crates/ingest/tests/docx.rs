//! DOCX reader on the seed renderings and the real office files in `testdata/fixtures/`.

mod common;

use common::{bytes, read_as, seed_path, tables, words};
use tinhgon_ingest::{read, Document, Format};

fn doc(rel: &str) -> Document {
    read_as(rel, Format::Docx)
}

fn all_text(d: &Document) -> String {
    d.lines.join("\n")
}

#[test]
fn seed_renderings_keep_every_word_in_order() {
    for n in ["000", "001", "003"] {
        let seed = read(&bytes(&seed_path(n)), None).unwrap();
        let docx = doc(&format!("fixtures/seeds/{n}.docx"));
        let (want, got) = (words(&seed), words(&docx));
        if want != got {
            let i = want
                .iter()
                .zip(&got)
                .position(|(a, b)| a != b)
                .unwrap_or(want.len().min(got.len()));
            panic!(
                "{n}: first difference at word {i}: seed {:?} docx {:?}",
                &want[i.saturating_sub(3)..(i + 5).min(want.len())],
                &got[i.saturating_sub(3)..(i + 5).min(got.len())]
            );
        }
    }
}

#[test]
fn seed_000_appendix_is_one_bordered_table_and_header_is_layout() {
    let d = doc("fixtures/seeds/000.docx");
    let t = tables(&d);
    let appendix = t
        .iter()
        .find(|t| t.rows.len() == 17)
        .expect("17-row appendix");
    assert!(!appendix.layout);
    assert!(appendix.rows[0].header);
    assert!(appendix.rows.iter().all(|r| r.cells.len() == 5));
    assert_eq!(appendix.rows[1].cells[0].text(), "1.");
    assert_eq!(
        appendix.rows[13].cells[2].paragraphs,
        ["- Sở Nội vụ;", "- UBND cấp xã."]
    );
    // The state header and the signature block are borderless layout tables.
    assert!(t[0].layout);
    assert!(t[0].rows[0]
        .cells
        .iter()
        .any(|c| c.text().contains("CỘNG HÒA")));
    assert!(t.iter().filter(|t| t.layout).count() >= 2);
}

#[test]
fn smart_tag_text_is_kept() {
    let d = doc("fixtures/real/CV-UBND-bao-ve-khoang-san-chua-khai-thac.docx");
    assert!(all_text(&d).contains("CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM"));
}

#[test]
fn no_break_hyphens_are_hyphens() {
    let d = doc("fixtures/real/QD-uy-quyen-VLNCN_du-thao-trinh-TTr-2205_ban-hanh-QD-1883-UBND-6.11.2025.docx");
    assert!(all_text(&d).contains("Độc lập - Tự do - Hạnh phúc"));
}

#[test]
fn auto_numbered_tt_column_gets_labels() {
    let d = doc("fixtures/real/KH-3898_30.6.2026_Huan-luyen-nguoi-quan-ly.docx");
    let t = tables(&d);
    let assign = t
        .iter()
        .find(|t| !t.layout && t.rows.len() >= 9)
        .expect("assignment table");
    let tt: Vec<String> = assign.rows[1..].iter().map(|r| r.cells[0].text()).collect();
    let want: Vec<String> = (1..assign.rows.len()).map(|i| format!("{i}.")).collect();
    assert_eq!(tt, want);
    // Several officers in one cell are separate paragraphs.
    assert!(assign.rows[3].cells[2].paragraphs.len() >= 2);
}

#[test]
fn merged_cells_are_laid_out() {
    let d = doc("fixtures/real/Phu-luc-danh-muc-uy-quyen.docx");
    let t = tables(&d);
    assert_eq!(t.len(), 1);
    let cells = t[0].rows.iter().flat_map(|r| &r.cells);
    let merged = cells.clone().filter(|c| c.merged_above).count();
    let spans: Vec<u32> = cells.filter(|c| c.span > 1).map(|c| c.span).collect();
    // 14 vMerge elements: 7 restart cells and 7 continuations.
    assert_eq!(merged, 7);
    assert_eq!(spans, [3, 2]);
    assert!(t[0].rows[0].header && t[0].rows[1].header);
}

#[test]
fn lao_cai_plan_soft_breaks_header_and_appendix() {
    let d = doc("fixtures/real/KH-UBND-trien-khai-Chi-thi-11-CT-TU-QLNN-khoang-san.docx");
    let text = all_text(&d);
    // The padded header paragraph is collapsed to single spaces.
    assert!(text.contains("ỦY BAN NHÂN DÂN TỈNH LÀO CAI"));
    assert!(!text.contains("  "));
    // The capacity line break is kept, the mid-sentence ones are joined.
    let kt = d
        .lines
        .iter()
        .position(|l| l == "KT. CHỦ TỊCH")
        .expect("KT. line");
    assert_eq!(d.lines[kt + 1], "PHÓ CHỦ TỊCH");
    let t = tables(&d);
    let appendix = t.iter().find(|t| !t.layout).expect("appendix");
    assert_eq!(appendix.rows.len(), 16);
    assert_eq!(appendix.rows[0].cells[1].text(), "Tên nhiệm vụ");
    assert_eq!(appendix.rows[2].cells[0].text(), "1");
    assert_eq!(appendix.rows[15].cells[0].text(), "14");
    // Footnotes and headers are not body text.
    assert!(!d.lines.iter().any(|l| l.trim() == "PAGE"));
}

#[test]
fn every_real_docx_reads_every_word() {
    for f in [
        "CV-UBND-bao-ve-khoang-san-chua-khai-thac.docx",
        "KH-3898_30.6.2026_Huan-luyen-nguoi-quan-ly.docx",
        "KH-UBND-trien-khai-Chi-thi-11-CT-TU-QLNN-khoang-san.docx",
        "Phu-luc-danh-muc-uy-quyen.docx",
        "QD-uy-quyen-VLNCN_du-thao-trinh-TTr-2205_ban-hanh-QD-1883-UBND-6.11.2025.docx",
    ] {
        let rel = format!("fixtures/real/{f}");
        let d = doc(&rel);
        let got = common::multiset(&words(&d));
        let want = common::multiset(&raw_body_words(&bytes(&rel)));
        let missing = common::surplus(&want, &got);
        assert!(missing.is_empty(), "{f}: words lost: {missing:?}");
    }
}

/// Independent check: every `w:t` in the body of document.xml, outside deleted text, split
/// into words after joining adjacent runs of a paragraph. Crude on purpose, so it shares no
/// code with the reader.
fn raw_body_words(docx: &[u8]) -> Vec<String> {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(docx)).unwrap();
    let mut xml = String::new();
    zip.by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    let xml = xml
        .replace("<w:br/>", "<w:t> </w:t>")
        .replace("<w:tab/>", "<w:t> </w:t>")
        .replace("<w:noBreakHyphen/>", "<w:t>-</w:t>");
    let mut words = Vec::new();
    for para in xml.split("</w:p>") {
        let mut text = String::new();
        let mut rest = para;
        while let Some(i) = rest.find("<w:t") {
            rest = &rest[i + 4..];
            if !(rest.starts_with('>') || rest.starts_with(' ')) {
                continue;
            }
            let Some(open_end) = rest.find('>') else {
                break;
            };
            if rest[..open_end].ends_with('/') {
                continue;
            }
            let body = &rest[open_end + 1..];
            let Some(close) = body.find("</w:t>") else {
                break;
            };
            text.push_str(&body[..close]);
            rest = &body[close..];
        }
        let text = text
            .replace("&amp;", "&")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&apos;", "'");
        words.extend(
            tinhgon_textkit::nfc(&text)
                .split(|c: char| c.is_whitespace())
                .filter(|w| !w.is_empty())
                .map(str::to_string),
        );
    }
    words
}
