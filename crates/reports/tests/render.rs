//! LibreOffice headless must open every document we produce: DOCX → PDF → PNG (kept for a
//! human to look at), XLSX → CSV through Calc with the expected rows and real dates.

mod common;

use std::path::Path;
use std::process::Command;

use common::*;
use tinhgon_reports::{
    aggregated_report_docx, aggregated_report_xlsx, staffing_report_docx, urging_notice_docx,
};
use tinhgon_testkit::office::{soffice_convert, soffice_required};

/// PDF → PNG pages with poppler; returns the number of pages rendered.
fn pdf_to_pngs(pdf: &Path, name: &str) -> usize {
    let dir = png_dir();
    for old in std::fs::read_dir(&dir).expect("list png dir").flatten() {
        if old
            .file_name()
            .to_string_lossy()
            .starts_with(&format!("{name}-"))
        {
            let _ = std::fs::remove_file(old.path());
        }
    }
    // Keep the PDF beside the PNGs for a closer look.
    std::fs::copy(pdf, dir.join(format!("{name}.pdf"))).expect("keep pdf");
    let status = Command::new("pdftoppm")
        .args(["-png", "-r", "60"])
        .arg(pdf)
        .arg(dir.join(name))
        .status()
        .expect("run pdftoppm (poppler-utils)");
    assert!(status.success(), "pdftoppm failed on {}", pdf.display());
    std::fs::read_dir(&dir)
        .expect("list png dir")
        .flatten()
        .filter(|e| {
            let f = e.file_name().to_string_lossy().to_string();
            f.starts_with(&format!("{name}-")) && f.ends_with(".png")
        })
        .count()
}

fn pdf_text(pdf: &Path) -> String {
    let out = Command::new("pdftotext")
        .args(["-layout"])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("run pdftotext");
    assert!(out.status.success());
    String::from_utf8_lossy(&out.stdout).to_string()
}

#[test]
fn aggregated_report_docx_renders_in_libreoffice() {
    if !soffice_required() {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let docx = dir.path().join("bao-cao-615.docx");
    std::fs::write(&docx, aggregated_report_docx(&report_615()).expect("docx")).expect("write");
    let pdf = soffice_convert(&docx, "pdf", dir.path());
    let pages = pdf_to_pngs(&pdf, "bao-cao-615");
    assert!(
        pages >= 3,
        "expected body pages + landscape appendix, got {pages}"
    );
    let text = pdf_text(&pdf);
    assert!(
        text.contains("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
        "{text}"
    );
    assert!(text.contains("PHỤ LỤC"));
    // Every task of the plan is in the rendered appendix (first words of its content).
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for row in plan_615_rows() {
        let start: String = row
            .content
            .split_whitespace()
            .take(4)
            .collect::<Vec<_>>()
            .join(" ");
        assert!(
            flat.contains(&start),
            "task {} missing from the PDF: {start}",
            row.reference
        );
    }
}

#[test]
fn urging_notice_docx_renders_in_libreoffice() {
    if !soffice_required() {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let docx = dir.path().join("don-doc-so-y-te.docx");
    std::fs::write(&docx, urging_notice_docx(&notice_615()).expect("docx")).expect("write");
    let pdf = soffice_convert(&docx, "pdf", dir.path());
    let pages = pdf_to_pngs(&pdf, "don-doc-so-y-te");
    assert!(pages >= 1);
    let text = pdf_text(&pdf);
    assert!(text.contains("Kính gửi: Sở Y tế."), "{text}");
    assert!(text.contains("V/v đôn đốc thực hiện nhiệm vụ"), "{text}");
}

/// Calc opens the XLSX: the CSV it exports from the task sheet has a header + one line per
/// task, and its own flat ODS of the workbook types the due and completion cells as dates.
#[test]
fn xlsx_opens_in_libreoffice_calc_with_rows_and_real_dates() {
    if !soffice_required() {
        return;
    }
    let report = report_615();
    let dir = tempfile::tempdir().expect("tempdir");
    let xlsx = dir.path().join("phu-luc-615.xlsx");
    std::fs::write(&xlsx, aggregated_report_xlsx(&report).expect("xlsx")).expect("write");

    // Tokens: separator 44 (,), quote 34 ("), charset 76 (UTF-8), first line 1.
    let csv = soffice_convert(
        &xlsx,
        "csv:Text - txt - csv (StarCalc):44,34,76,1",
        dir.path(),
    );
    let text = std::fs::read_to_string(&csv).expect("csv utf-8");
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(text.as_bytes());
    let header = reader.headers().expect("header").clone();
    assert_eq!(header.get(2), Some("Nội dung"));
    let records: Vec<csv::StringRecord> = reader.records().collect::<Result<_, _>>().expect("rows");
    assert_eq!(records.len(), report.tasks.len());
    for (rec, task) in records.iter().zip(&report.tasks) {
        assert_eq!(rec.get(1), Some(task.reference.as_str()));
        assert_eq!(rec.get(2), Some(task.content.as_str()));
    }

    let fods = soffice_convert(&xlsx, "fods", dir.path());
    let flat = std::fs::read_to_string(&fods).expect("fods utf-8");
    let expected_dates: Vec<String> = report
        .tasks
        .iter()
        .flat_map(|t| [t.due, t.completed_on])
        .flatten()
        .map(|d| d.format("%Y-%m-%d").to_string())
        .collect();
    assert_eq!(
        flat.matches("office:value-type=\"date\"").count(),
        expected_dates.len(),
        "Calc must see every due and completion date as a date"
    );
    for date in &expected_dates {
        assert!(
            flat.contains(&format!("office:date-value=\"{date}\"")),
            "date {date} missing"
        );
    }
    assert!(flat.contains("table:name=\"Nhiệm vụ\""));
    assert!(flat.contains("table:name=\"Theo đơn vị\""));
}

#[test]
fn staffing_report_docx_renders_in_libreoffice() {
    if !soffice_required() {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let docx = dir.path().join("bao-cao-bien-che.docx");
    std::fs::write(
        &docx,
        staffing_report_docx(&staffing_report_615()).expect("docx"),
    )
    .expect("write");
    let pdf = soffice_convert(&docx, "pdf", dir.path());
    assert!(pdf_to_pngs(&pdf, "bao-cao-bien-che") >= 2);
    // Compared without spaces: justified lines come out of the PDF with gaps inside words.
    let bare = |s: &str| s.split_whitespace().collect::<String>();
    let flat = bare(&pdf_text(&pdf));
    for want in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Nghệ An, ngày 02 tháng 7 năm 2026",
        "I. KẾT QUẢ THỰC HIỆN CHỈ TIÊU TINH GIẢN BIÊN CHẾ",
        "2024 460 giảm 2 (0,4%) 369",
        "Xã Anh Sơn",
        "III. CỬ CÁN BỘ, CÔNG CHỨC, VIÊN CHỨC ĐI CÔNG TÁC Ở CƠ SỞ",
        "Nơi nhận:",
    ] {
        assert!(flat.contains(&bare(want)), "thiếu “{want}”: {flat}");
    }
}

/// The aggregated report with the staffing section still opens, the section in place.
#[test]
fn aggregated_report_with_staffing_renders_in_libreoffice() {
    if !soffice_required() {
        return;
    }
    let mut report = report_615();
    report.staffing = Some(staffing_615());
    let dir = tempfile::tempdir().expect("tempdir");
    let docx = dir.path().join("bao-cao-615-bien-che.docx");
    std::fs::write(&docx, aggregated_report_docx(&report).expect("docx")).expect("write");
    let pdf = soffice_convert(&docx, "pdf", dir.path());
    let bare = |s: &str| s.split_whitespace().collect::<String>();
    let flat = bare(&pdf_text(&pdf));
    let at = |s: &str| flat.find(&bare(s)).unwrap_or_else(|| panic!("thiếu “{s}”"));
    assert!(
        at("3. Tình hình thực hiện từng nhiệm vụ") < at("4. Thực hiện chỉ tiêu tinh giản biên chế")
    );
    assert!(
        at("d) Cử cán bộ, công chức, viên chức đi công tác ở cơ sở") < at("II. NHIỆM VỤ QUÁ HẠN")
    );
}
