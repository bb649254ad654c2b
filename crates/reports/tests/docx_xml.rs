//! The DOCX XML follows Nghị định 30/2020: A4, margins, Times New Roman 13–14 pt, the
//! borderless two-column header, every task row present, NFC text.

mod common;

use common::*;
use quick_xml::events::Event;
use quick_xml::Reader;
use tinhgon_reports::docx::header::{QUOC_HIEU, TIEU_NGU};
use tinhgon_reports::{aggregated_report_docx, urging_notice_docx, StatusClass};
use unicode_normalization::{is_nfc, UnicodeNormalization};

/// What we learn about one top-level table.
#[derive(Debug, Default)]
struct TableInfo {
    grid_cols: usize,
    border_vals: Vec<String>,
    header_rows: usize,
    rows: Vec<Vec<String>>,
}

/// Walks document.xml: top-level tables (rows of cell texts) and all section properties.
#[derive(Debug, Default)]
struct Doc {
    tables: Vec<TableInfo>,
    page_sizes: Vec<(String, String, Option<String>)>,
    margins: Vec<[String; 4]>,
    run_sizes: Vec<String>,
    paragraphs: Vec<String>,
}

fn attr(e: &quick_xml::events::BytesStart, name: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == name.as_bytes())
        .map(|a| String::from_utf8_lossy(&a.value).to_string())
}

fn parse(xml: &str) -> Doc {
    let mut reader = Reader::from_str(xml);
    let mut doc = Doc::default();
    let mut depth = 0usize;
    let mut in_borders = false;
    let mut in_rpr = false;
    let mut in_t = false;
    let mut para = String::new();
    let mut cell = String::new();
    let mut row: Vec<String> = Vec::new();
    loop {
        let ev = reader.read_event().expect("well-formed XML");
        match ev {
            Event::Eof => break,
            Event::Start(ref e) | Event::Empty(ref e) => {
                let empty = matches!(ev, Event::Empty(_));
                match e.name().as_ref() {
                    b"w:tbl" => {
                        depth += 1;
                        if depth == 1 {
                            doc.tables.push(TableInfo::default());
                        }
                    }
                    b"w:tblBorders" if depth == 1 => in_borders = !empty,
                    b"w:top" | b"w:left" | b"w:bottom" | b"w:right" | b"w:insideH"
                    | b"w:insideV"
                        if in_borders =>
                    {
                        let t = doc.tables.last_mut().expect("table");
                        t.border_vals.push(attr(e, "w:val").unwrap_or_default());
                    }
                    b"w:gridCol" if depth == 1 => {
                        doc.tables.last_mut().expect("table").grid_cols += 1;
                    }
                    b"w:tblHeader" if depth == 1 => {
                        doc.tables.last_mut().expect("table").header_rows += 1;
                    }
                    b"w:tr" if depth == 1 => row.clear(),
                    b"w:tc" if depth == 1 => cell.clear(),
                    b"w:p" if !empty => para.clear(),
                    b"w:rPr" if !empty => in_rpr = true,
                    b"w:sz" if in_rpr => doc.run_sizes.push(attr(e, "w:val").unwrap_or_default()),
                    b"w:t" if !empty => in_t = true,
                    b"w:pgSz" => doc.page_sizes.push((
                        attr(e, "w:w").unwrap_or_default(),
                        attr(e, "w:h").unwrap_or_default(),
                        attr(e, "w:orient"),
                    )),
                    b"w:pgMar" => doc.margins.push(
                        ["w:top", "w:bottom", "w:left", "w:right"]
                            .map(|k| attr(e, k).unwrap_or_default()),
                    ),
                    _ => {}
                }
            }
            Event::Text(t) if in_t => {
                let text = t.unescape().expect("text");
                para.push_str(&text);
            }
            Event::End(e) => match e.name().as_ref() {
                b"w:tbl" => depth -= 1,
                b"w:tblBorders" => in_borders = false,
                b"w:rPr" => in_rpr = false,
                b"w:t" => in_t = false,
                b"w:p" => {
                    if !cell.is_empty() || depth > 0 {
                        if !cell.is_empty() {
                            cell.push('\n');
                        }
                        cell.push_str(&para);
                    }
                    doc.paragraphs.push(std::mem::take(&mut para));
                }
                b"w:tc" if depth == 1 => row.push(cell.trim().to_string()),
                b"w:tr" if depth == 1 => {
                    doc.tables
                        .last_mut()
                        .expect("table")
                        .rows
                        .push(std::mem::take(&mut row));
                }
                _ => {}
            },
            _ => {}
        }
    }
    doc
}

fn check_page_and_fonts(bytes: &[u8]) -> Doc {
    let xml = zip_part(bytes, "word/document.xml");
    assert!(is_nfc(&xml), "document.xml must be NFC");
    let doc = parse(&xml);
    assert!(!doc.page_sizes.is_empty());
    let (w, h, orient) = &doc.page_sizes[0];
    assert_eq!((w.as_str(), h.as_str(), orient), ("11906", "16838", &None));
    for m in &doc.margins {
        assert_eq!(
            m,
            &["1134", "1134", "1701", "851"].map(String::from),
            "A4 margins 20/20/30/15 mm"
        );
    }
    assert_eq!(doc.margins.len(), doc.page_sizes.len());
    assert!(doc.run_sizes.iter().any(|s| s == "28"), "14 pt body text");
    assert!(
        doc.run_sizes.iter().any(|s| s == "26"),
        "13 pt header/table text"
    );
    for s in &doc.run_sizes {
        let pt = s.parse::<u32>().expect("size") / 2;
        assert!((3..=14).contains(&pt), "unexpected font size {pt} pt");
    }

    let styles = zip_part(bytes, "word/styles.xml");
    assert!(styles.contains("w:ascii=\"Times New Roman\""), "{styles}");
    assert!(styles.contains("w:hAnsi=\"Times New Roman\""));
    assert!(styles.contains("<w:sz w:val=\"28\"/>"));

    // The national header: first table, two columns, no borders.
    let head = &doc.tables[0];
    assert_eq!(head.grid_cols, 2);
    assert_eq!(head.border_vals.len(), 6);
    assert!(
        head.border_vals.iter().all(|v| v == "nil"),
        "{:?}",
        head.border_vals
    );
    assert_eq!(head.rows.len(), 1);
    assert!(head.rows[0][0].contains("SỞ NỘI VỤ"));
    assert!(head.rows[0][0].contains("Số:"));
    assert!(head.rows[0][1].starts_with(&format!("{QUOC_HIEU}\n{TIEU_NGU}")));
    doc
}

#[test]
fn aggregated_report_xml_has_state_layout_and_all_rows() {
    let report = report_615();
    let bytes = aggregated_report_docx(&report).expect("docx");
    let doc = check_page_and_fonts(&bytes);
    assert!(doc.tables[0].rows[0][1].contains("Nghệ An, ngày 18 tháng 12 năm 2025"));

    // The landscape appendix section.
    let last = doc.page_sizes.last().expect("section");
    assert_eq!((last.0.as_str(), last.1.as_str()), ("16838", "11906"));
    assert_eq!(last.2.as_deref(), Some("landscape"));

    assert!(doc.paragraphs.iter().any(|p| p == "BÁO CÁO"));
    for heading in [
        "I. KẾT QUẢ THỰC HIỆN",
        "II. NHIỆM VỤ QUÁ HẠN, CHẬM TIẾN ĐỘ VÀ NGUYÊN NHÂN",
        "III. KHÓ KHĂN, VƯỚNG MẮC",
        "IV. KIẾN NGHỊ, ĐỀ XUẤT",
    ] {
        assert!(doc.paragraphs.iter().any(|p| p == heading), "{heading}");
    }

    // Data tables repeat their header rows.
    let data: Vec<&TableInfo> = doc.tables.iter().filter(|t| t.header_rows > 0).collect();
    assert_eq!(data.len(), 4, "comparison, units, overdue, appendix");
    for t in &data {
        assert!(t.border_vals.iter().all(|v| v == "single"));
    }

    // Appendix: one row per task, in order, with its content and state.
    let appendix = data.last().expect("appendix");
    let body = &appendix.rows[appendix.header_rows..];
    assert_eq!(body.len(), report.tasks.len());
    for (row, task) in body.iter().zip(&report.tasks) {
        assert_eq!(row[0], task.reference);
        assert_eq!(row[1], task.content);
        assert_eq!(row[2], task.lead);
        assert!(row[6].starts_with(task.class.label_vi()));
    }

    // Per-unit table: one row per unit plus the total row; totals add up to the task count.
    let units = data[1];
    assert_eq!(units.header_rows, 2);
    let unit_rows = &units.rows[2..];
    assert_eq!(unit_rows.len(), report.units.len() + 1);
    let total_row = unit_rows.last().expect("total");
    assert_eq!(total_row[1], "Tổng cộng");
    assert_eq!(total_row[2], report.tasks.len().to_string());

    // Overdue table lists exactly the overdue assignments.
    let overdue = data[2];
    assert_eq!(overdue.rows.len() - 1, report.overdue.len());

    // Recipients and signature: the last portrait table, borderless.
    let sig = doc
        .tables
        .iter()
        .find(|t| {
            t.rows
                .first()
                .is_some_and(|r| r[0].starts_with("Nơi nhận:"))
        })
        .expect("signature table");
    assert!(sig.border_vals.iter().all(|v| v == "nil"));
    assert!(sig.rows[0][0].ends_with("- Lưu: VT, TCBM."));
    assert!(sig.rows[0][1].starts_with("KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC"));
    assert!(sig.rows[0][1].ends_with("Trần Quốc Thành"));
}

#[test]
fn comparison_chart_is_a_native_chart_with_both_periods() {
    let report = report_615();
    let bytes = aggregated_report_docx(&report).expect("docx");
    let chart = zip_part(&bytes, "word/charts/chart1.xml");
    assert!(chart.contains("<c:v>Quý III/2025</c:v>") && chart.contains("<c:v>Quý IV/2025</c:v>"));
    let prev = report.previous.expect("previous period");
    let overdue_idx = StatusClass::ALL
        .iter()
        .position(|c| *c == StatusClass::Overdue)
        .expect("class");
    let pt = |v: u32| format!("<c:pt idx=\"{overdue_idx}\"><c:v>{v}</c:v></c:pt>");
    assert!(chart.contains(&pt(prev.overdue)) && chart.contains(&pt(report.totals.overdue)));
    let doc = zip_part(&bytes, "word/document.xml");
    assert!(doc.contains("<c:chart xmlns:c=") && doc.contains("r:id=\"rIdChart1\""));
    let rels = zip_part(&bytes, "word/_rels/document.xml.rels");
    assert!(rels.contains("Target=\"charts/chart1.xml\""));

    // Without a previous period there is nothing to compare: no chart part at all.
    let mut first = report_615();
    first.previous = None;
    let bytes = aggregated_report_docx(&first).expect("docx");
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("zip");
    assert!(zip.by_name("word/charts/chart1.xml").is_err());
    let types = {
        let mut s = String::new();
        std::io::Read::read_to_string(
            &mut zip.by_name("[Content_Types].xml").expect("types"),
            &mut s,
        )
        .expect("read");
        s
    };
    assert!(!types.contains("chart1.xml"));
}

#[test]
fn decomposed_input_comes_out_nfc() {
    let mut report = report_615();
    let nfd: String = report.tasks[0].content.nfd().collect();
    assert_ne!(nfd, report.tasks[0].content);
    report.tasks[0].content = nfd;
    report.header.signer.name = "Tra\u{0302}\u{0300}n Quo\u{0302}\u{0301}c Tha\u{0300}nh".into();
    let xml = zip_part(
        &aggregated_report_docx(&report).expect("docx"),
        "word/document.xml",
    );
    assert!(is_nfc(&xml));
    assert!(xml.contains("Trần Quốc Thành"));
    assert!(xml.contains(&report_615().tasks[0].content));
}

#[test]
fn urging_notice_xml_is_a_cong_van() {
    let notice = notice_615();
    let bytes = urging_notice_docx(&notice).expect("docx");
    let doc = check_page_and_fonts(&bytes);
    let left = &doc.tables[0].rows[0][0];
    assert!(left.contains("/SNV-TCBM"));
    assert!(left.contains("V/v đôn đốc thực hiện nhiệm vụ"), "{left}");
    assert!(doc.paragraphs.iter().any(|p| p == "Kính gửi: Sở Y tế."));
    let items = doc
        .tables
        .iter()
        .find(|t| t.header_rows > 0)
        .expect("items table");
    assert_eq!(items.rows.len() - 1, notice.items.len());
    assert!(!notice.items.is_empty());
    for (row, item) in items.rows[1..].iter().zip(&notice.items) {
        assert!(row[1].contains(&item.content));
        assert_eq!(row[3], item.days_overdue.to_string());
    }
    assert_eq!(
        doc.page_sizes.len(),
        1,
        "a công văn is one portrait section"
    );
}

#[test]
fn same_input_gives_same_bytes() {
    let a = aggregated_report_docx(&report_615()).expect("docx");
    let b = aggregated_report_docx(&report_615()).expect("docx");
    assert_eq!(a, b);
}
