//! XLSX read back with calamine (sheets, rows, real dates) and the CSV (BOM, CRLF, rows).

mod common;

use std::io::Cursor;

use calamine::{open_workbook_from_rs, Data, Reader, Xlsx};
use chrono::NaiveDate;
use common::*;
use tinhgon_reports::csv::{tasks_csv, BOM};
use tinhgon_reports::xlsx::{StreamOptions, TASK_COLUMNS, TASK_SHEET, UNIT_SHEET};
use tinhgon_reports::{aggregated_report_xlsx, tasks_xlsx_streaming, StatusClass, TaskRow};

fn serial(d: NaiveDate) -> f64 {
    let epoch = NaiveDate::from_ymd_opt(1899, 12, 30).expect("epoch");
    (d - epoch).num_days() as f64
}

fn assert_date_cell(cell: Option<&Data>, expected: Option<NaiveDate>, what: &str) {
    match (cell, expected) {
        (Some(Data::DateTime(dt)), Some(d)) => assert_eq!(dt.as_f64(), serial(d), "{what}"),
        (None | Some(Data::Empty), None) => {}
        (other, exp) => panic!("{what}: expected date {exp:?}, got {other:?}"),
    }
}

fn check_task_sheet(rows: &calamine::Range<Data>, tasks: &[TaskRow], first_stt: usize) {
    let header: Vec<String> = rows
        .rows()
        .next()
        .expect("header")
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert_eq!(header, TASK_COLUMNS.map(String::from).to_vec());
    assert_eq!(rows.height(), tasks.len() + 1);
    for (i, (row, t)) in rows.rows().skip(1).zip(tasks).enumerate() {
        assert_eq!(row[0], Data::Float((first_stt + i) as f64));
        assert_eq!(row[1].to_string(), t.reference);
        assert_eq!(row[2].to_string(), t.content);
        assert_eq!(row[3].to_string(), t.lead);
        assert_eq!(row[5].to_string(), t.deadline_text);
        assert_date_cell(row.get(6), t.due, "Hạn");
        assert_eq!(row[7].to_string(), t.class.label_vi());
        assert_date_cell(row.get(8), t.completed_on, "Ngày hoàn thành");
    }
}

#[test]
fn xlsx_has_task_and_unit_sheets_with_real_dates() {
    let report = report_615();
    let bytes = aggregated_report_xlsx(&report).expect("xlsx");
    let mut wb: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).expect("open xlsx");
    assert_eq!(
        wb.sheet_names(),
        vec![TASK_SHEET.to_string(), UNIT_SHEET.to_string()]
    );

    let tasks = wb.worksheet_range(TASK_SHEET).expect("task sheet");
    check_task_sheet(&tasks, &report.tasks, 1);

    let units = wb.worksheet_range(UNIT_SHEET).expect("unit sheet");
    // Header + one row per unit + the total row.
    assert_eq!(units.height(), report.units.len() + 2);
    let total = units.rows().next_back().expect("total row");
    assert_eq!(total[1].to_string(), "Tổng cộng");
    for (k, class) in StatusClass::ALL.iter().enumerate() {
        assert_eq!(
            total[2 + k],
            Data::Float(f64::from(report.totals.get(*class))),
            "{class:?}"
        );
    }
    assert_eq!(total[9], Data::Float(report.tasks.len() as f64));
}

#[test]
fn xlsx_sheet_xml_has_frozen_header_and_filter() {
    let bytes = aggregated_report_xlsx(&report_615()).expect("xlsx");
    let sheet = zip_part(&bytes, "xl/worksheets/sheet1.xml");
    assert!(
        sheet.contains(
            "<pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" state=\"frozen\"/>"
        ),
        "{sheet}"
    );
    assert!(sheet.contains("<autoFilter ref=\"A1:J17\"/>"));
    assert!(sheet.contains("<col min=\"3\" max=\"3\" width=\"60.7109375\""));
    let styles = zip_part(&bytes, "xl/styles.xml");
    assert!(styles.contains("formatCode=\"dd/mm/yyyy\""));
    assert!(styles.contains("wrapText=\"1\""));
}

#[test]
fn xlsx_sheets_print_on_a4_landscape_one_page_wide_with_the_header_repeated() {
    let bytes = aggregated_report_xlsx(&report_615()).expect("xlsx");
    for part in ["xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml"] {
        let sheet = zip_part(&bytes, part);
        assert!(
            sheet.contains("<pageSetUpPr fitToPage=\"1\"/>"),
            "{part}: {sheet}"
        );
        assert!(
            sheet.contains("paperSize=\"9\"") && sheet.contains("orientation=\"landscape\""),
            "{part}"
        );
        assert!(sheet.contains("fitToHeight=\"0\""), "{part}");
        assert!(
            sheet.contains("<oddFooter>&amp;CTrang &amp;P/&amp;N</oddFooter>"),
            "{part}"
        );
    }
    let workbook = zip_part(&bytes, "xl/workbook.xml");
    assert_eq!(
        workbook.matches("_xlnm.Print_Titles").count(),
        2,
        "{workbook}"
    );
}

#[test]
fn streaming_xlsx_writes_the_same_cells() {
    let rows = plan_615_rows();
    let mut out = Cursor::new(Vec::new());
    let dir = tempfile::tempdir().expect("tempdir");
    let opts = StreamOptions {
        tempdir: Some(dir.path().to_path_buf()),
        ..StreamOptions::default()
    };
    let n = tasks_xlsx_streaming(rows.clone(), &mut out, &opts).expect("stream");
    assert_eq!(n, rows.len() as u64);
    let mut wb: Xlsx<_> = open_workbook_from_rs(Cursor::new(out.into_inner())).expect("open");
    assert_eq!(wb.sheet_names(), vec![TASK_SHEET.to_string()]);
    check_task_sheet(&wb.worksheet_range(TASK_SHEET).expect("sheet"), &rows, 1);
}

#[test]
fn streaming_xlsx_continues_on_new_sheets_when_one_is_full() {
    // The real limit is Excel's 1,048,575 data rows (exercised by the 2-million-row bench);
    // a limit of 6 shows the continuation logic on the 16 tasks: 6 + 6 + 4.
    let rows = plan_615_rows();
    let mut out = Cursor::new(Vec::new());
    let opts = StreamOptions {
        rows_per_sheet: 6,
        ..StreamOptions::default()
    };
    let n = tasks_xlsx_streaming(rows.clone(), &mut out, &opts).expect("stream");
    assert_eq!(n, 16);
    let mut wb: Xlsx<_> = open_workbook_from_rs(Cursor::new(out.into_inner())).expect("open");
    let names = wb.sheet_names();
    assert_eq!(
        names,
        vec![
            TASK_SHEET.to_string(),
            format!("{TASK_SHEET} (2)"),
            format!("{TASK_SHEET} (3)")
        ]
    );
    for (i, name) in names.iter().enumerate() {
        let from = i * 6;
        let to = (from + 6).min(rows.len());
        check_task_sheet(
            &wb.worksheet_range(name).expect("sheet"),
            &rows[from..to],
            from + 1,
        );
    }
}

#[test]
fn csv_has_bom_crlf_and_one_line_per_task() {
    let rows = plan_615_rows();
    let bytes = tasks_csv(&rows).expect("csv");
    assert!(bytes.starts_with(BOM));
    let text = std::str::from_utf8(&bytes[BOM.len()..]).expect("utf-8");
    assert!(text.ends_with("\r\n"));
    assert!(
        !text.replace("\r\n", "").contains('\n'),
        "no bare LF line ends"
    );
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    assert_eq!(
        reader.headers().expect("header").iter().collect::<Vec<_>>(),
        TASK_COLUMNS.to_vec()
    );
    let records: Vec<csv::StringRecord> = reader.records().collect::<Result<_, _>>().expect("rows");
    assert_eq!(records.len(), rows.len());
    for (rec, t) in records.iter().zip(&rows) {
        assert_eq!(
            rec.get(2),
            Some(t.content.as_str()),
            "quoted commas survive"
        );
        assert_eq!(
            rec.get(6).unwrap_or_default(),
            t.due
                .map(|d| d.format("%d/%m/%Y").to_string())
                .unwrap_or_default()
        );
    }
    insta::assert_snapshot!("csv_615", text.replace("\r\n", "⏎\n"));
}
