//! Any text the app hands us yields well-formed documents; empty reports are still documents.

mod common;

use std::io::Cursor;

use calamine::{open_workbook_from_rs, Reader, Xlsx};
use common::*;
use proptest::prelude::*;
use quick_xml::events::Event;
use tinhgon_reports::csv::tasks_csv;
use tinhgon_reports::{
    aggregated_report_docx, aggregated_report_xlsx, urging_notice_docx, ClassCounts,
};
use unicode_normalization::is_nfc;

fn well_formed(xml: &str) -> bool {
    let mut reader = quick_xml::Reader::from_str(xml);
    loop {
        match reader.read_event() {
            Ok(Event::Eof) => return true,
            Ok(_) => {}
            Err(_) => return false,
        }
    }
}

#[test]
fn empty_report_still_produces_valid_documents() {
    let mut r = report_from_rows(Vec::new());
    r.previous = None;
    r.obstacles.clear();
    r.proposals.clear();
    assert_eq!(r.totals, ClassCounts::default());
    let docx = aggregated_report_docx(&r).expect("docx");
    let xml = zip_part(&docx, "word/document.xml");
    assert!(well_formed(&xml));
    assert!(xml.contains("Không có nhiệm vụ quá hạn chưa hoàn thành."));
    let xlsx = aggregated_report_xlsx(&r).expect("xlsx");
    let mut wb: Xlsx<_> = open_workbook_from_rs(Cursor::new(xlsx)).expect("open");
    assert_eq!(wb.worksheet_range("Nhiệm vụ").expect("sheet").height(), 1);
    let csv = tasks_csv(&r.tasks).expect("csv");
    assert_eq!(String::from_utf8(csv).expect("utf-8").lines().count(), 1);
    let mut n = notice_615();
    n.items.clear();
    assert!(well_formed(&zip_part(
        &urging_notice_docx(&n).expect("docx"),
        "word/document.xml"
    )));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]
    #[test]
    fn arbitrary_texts_give_well_formed_nfc_xml(content in any::<String>(), unit in "\\PC{0,40}", progress in any::<String>()) {
        let mut rows = plan_615_rows();
        rows[0].content = content.clone();
        rows[1].lead = unit;
        rows[2].latest_progress = Some(progress);
        let r = report_from_rows(rows);
        let docx = aggregated_report_docx(&r).expect("docx");
        let xml = zip_part(&docx, "word/document.xml");
        prop_assert!(well_formed(&xml));
        prop_assert!(is_nfc(&xml));
        let xlsx = aggregated_report_xlsx(&r).expect("xlsx");
        let mut wb: Xlsx<_> = open_workbook_from_rs(Cursor::new(xlsx)).expect("open");
        prop_assert_eq!(wb.worksheet_range("Nhiệm vụ").expect("sheet").height(), 17);
        let csv = tasks_csv(&r.tasks).expect("csv");
        let mut reader = csv::Reader::from_reader(&csv[3..]);
        prop_assert_eq!(reader.records().count(), 16);
    }
}
