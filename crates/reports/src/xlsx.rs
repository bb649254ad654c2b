//! XLSX appendix: the task sheet and the per-unit sheet, plus a streaming task export that
//! keeps memory flat for national-size data (rust_xlsxwriter constant-memory mode).

use std::io::{Seek, Write};

use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet};

use crate::model::{AggregatedReport, StatusClass, TaskRow};
use crate::{nfc, ReportError};

/// Name of the task sheet.
pub const TASK_SHEET: &str = "Nhiệm vụ";
/// Name of the per-unit sheet.
pub const UNIT_SHEET: &str = "Theo đơn vị";
/// Column titles of the task sheet (also the CSV header).
pub const TASK_COLUMNS: [&str; 10] = [
    "STT",
    "Mục",
    "Nội dung",
    "Chủ trì",
    "Phối hợp",
    "Thời hạn",
    "Hạn",
    "Trạng thái",
    "Ngày hoàn thành",
    "Tiến độ mới nhất",
];
const TASK_WIDTHS: [f64; 10] = [6.0, 8.0, 60.0, 24.0, 30.0, 28.0, 12.0, 24.0, 14.0, 45.0];
/// Data rows per sheet: Excel's 1,048,576 rows minus the header row.
pub const ROWS_PER_SHEET: u32 = 1_048_575;
/// Excel refuses longer cell texts.
const MAX_CELL_CHARS: usize = 32_000;

pub(crate) struct Formats {
    pub(crate) head: Format,
    pub(crate) text: Format,
    pub(crate) center: Format,
    pub(crate) date: Format,
    pub(crate) total: Format,
}

impl Formats {
    pub(crate) fn new() -> Formats {
        let base = Format::new()
            .set_font_name("Times New Roman")
            .set_font_size(12)
            .set_border(FormatBorder::Thin)
            .set_align(FormatAlign::Top);
        Formats {
            head: base
                .clone()
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter)
                .set_background_color(0xD9E1F2),
            text: base.clone().set_text_wrap(),
            center: base.clone().set_align(FormatAlign::Center),
            date: base
                .clone()
                .set_num_format("dd/mm/yyyy")
                .set_align(FormatAlign::Center),
            total: base.set_bold().set_align(FormatAlign::Center),
        }
    }
}

pub(crate) fn text(s: &str) -> String {
    let s = nfc(s);
    if s.chars().count() > MAX_CELL_CHARS {
        s.chars().take(MAX_CELL_CHARS).collect()
    } else {
        s
    }
}

pub(crate) fn excel_date(d: NaiveDate) -> Result<ExcelDateTime, ReportError> {
    let year = u16::try_from(d.year()).unwrap_or(1900);
    // Month and day come from a valid NaiveDate, so they fit u8.
    Ok(ExcelDateTime::from_ymd(
        year,
        u8::try_from(d.month()).unwrap_or(1),
        u8::try_from(d.day()).unwrap_or(1),
    )?)
}

fn task_sheet_setup(ws: &mut Worksheet, name: &str, f: &Formats) -> Result<(), ReportError> {
    ws.set_name(name)?;
    for (col, (title, width)) in TASK_COLUMNS.iter().zip(TASK_WIDTHS).enumerate() {
        let col = col as u16;
        ws.set_column_width(col, width)?;
        ws.write_string_with_format(0, col, *title, &f.head)?;
    }
    ws.set_row_height(0, 32)?;
    ws.set_freeze_panes(1, 0)?;
    print_setup(ws, "Danh mục nhiệm vụ")?;
    Ok(())
}

/// Printed on A4 landscape, all columns on one page width, the header row on every page and
/// the page number in the footer: a clerk prints these sheets for meetings.
pub(crate) fn print_setup(ws: &mut Worksheet, title: &str) -> Result<(), ReportError> {
    ws.set_landscape();
    ws.set_paper_size(9);
    ws.set_margins(0.4, 0.4, 0.6, 0.6, 0.3, 0.3);
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(0, 0)?;
    ws.set_header(format!("&C&\"Times New Roman,Bold\"{title}"));
    ws.set_footer("&CTrang &P/&N");
    Ok(())
}

fn write_task_row(
    ws: &mut Worksheet,
    row: u32,
    stt: u64,
    t: &TaskRow,
    f: &Formats,
) -> Result<(), ReportError> {
    ws.write_number_with_format(row, 0, stt as f64, &f.center)?;
    ws.write_string_with_format(row, 1, text(&t.reference), &f.center)?;
    ws.write_string_with_format(row, 2, text(&t.content), &f.text)?;
    ws.write_string_with_format(row, 3, text(&t.lead), &f.text)?;
    ws.write_string_with_format(row, 4, text(&t.coordinating), &f.text)?;
    ws.write_string_with_format(row, 5, text(&t.deadline_text), &f.text)?;
    match t.due {
        Some(d) => ws.write_datetime_with_format(row, 6, excel_date(d)?, &f.date)?,
        None => ws.write_blank(row, 6, &f.date)?,
    };
    ws.write_string_with_format(row, 7, t.class.label_vi(), &f.text)?;
    match t.completed_on {
        Some(d) => ws.write_datetime_with_format(row, 8, excel_date(d)?, &f.date)?,
        None => ws.write_blank(row, 8, &f.date)?,
    };
    let progress = t.latest_progress.as_deref().unwrap_or("");
    ws.write_string_with_format(row, 9, text(progress), &f.text)?;
    Ok(())
}

/// The appendix workbook of an aggregated report: "Nhiệm vụ" and "Theo đơn vị".
pub fn aggregated_report_xlsx(r: &AggregatedReport) -> Result<Vec<u8>, ReportError> {
    let f = Formats::new();
    let mut wb = Workbook::new();

    let ws = wb.add_worksheet();
    task_sheet_setup(ws, TASK_SHEET, &f)?;
    for (i, t) in r.tasks.iter().enumerate() {
        write_task_row(ws, i as u32 + 1, i as u64 + 1, t, &f)?;
    }
    ws.autofilter(0, 0, r.tasks.len() as u32, (TASK_COLUMNS.len() - 1) as u16)?;

    let ws = wb.add_worksheet();
    ws.set_name(UNIT_SHEET)?;
    let mut head = vec!["STT", "Cơ quan, đơn vị"];
    head.extend(StatusClass::ALL.iter().map(|c| c.label_vi()));
    head.push("Tổng số");
    for (col, title) in head.iter().enumerate() {
        let width = match col {
            0 => 6.0,
            1 => 40.0,
            _ => 14.0,
        };
        ws.set_column_width(col as u16, width)?;
        ws.write_string_with_format(0, col as u16, *title, &f.head)?;
    }
    ws.set_row_height(0, 48)?;
    ws.set_freeze_panes(1, 0)?;
    print_setup(ws, "Tình hình thực hiện theo cơ quan, đơn vị")?;
    let mut sums = [0u64; 8];
    for (i, u) in r.units.iter().enumerate() {
        let row = i as u32 + 1;
        ws.write_number_with_format(row, 0, (i + 1) as f64, &f.center)?;
        ws.write_string_with_format(row, 1, text(&u.unit), &f.text)?;
        for (k, class) in StatusClass::ALL.iter().enumerate() {
            let n = u.counts.get(*class);
            sums[k] += u64::from(n);
            ws.write_number_with_format(row, 2 + k as u16, f64::from(n), &f.center)?;
        }
        sums[7] += u64::from(u.counts.total());
        ws.write_number_with_format(row, 9, f64::from(u.counts.total()), &f.center)?;
    }
    let last = r.units.len() as u32;
    ws.autofilter(0, 0, last, 9)?;
    let total_row = last + 1;
    ws.write_blank(total_row, 0, &f.total)?;
    ws.write_string_with_format(total_row, 1, "Tổng cộng", &f.total)?;
    for (k, n) in sums.iter().enumerate() {
        ws.write_number_with_format(total_row, 2 + k as u16, *n as f64, &f.total)?;
    }
    if let Some(s) = &r.staffing {
        crate::xlsx_staffing::sheets(&mut wb, s, &f)?;
    }

    Ok(wb.save_to_buffer()?)
}

/// Options of the streaming export.
#[derive(Debug, Clone)]
pub struct StreamOptions {
    /// Directory for the sheets' spill files (the system temp dir when `None`).
    pub tempdir: Option<std::path::PathBuf>,
    /// Data rows per sheet before continuing on the next one (at most [`ROWS_PER_SHEET`]).
    pub rows_per_sheet: u32,
}

impl Default for StreamOptions {
    fn default() -> Self {
        StreamOptions {
            tempdir: None,
            rows_per_sheet: ROWS_PER_SHEET,
        }
    }
}

/// Streams task rows into an XLSX written to `out`, in constant-memory mode.
///
/// A sheet holds at most [`ROWS_PER_SHEET`] rows, so a national export continues on
/// "Nhiệm vụ (2)", "Nhiệm vụ (3)" …; each sheet has its own header, freeze and filter.
/// Returns the number of data rows written.
pub fn tasks_xlsx_streaming<W, I>(rows: I, out: W, opts: &StreamOptions) -> Result<u64, ReportError>
where
    W: Write + Seek + Send,
    I: IntoIterator<Item = TaskRow>,
{
    let f = Formats::new();
    let mut wb = Workbook::new();
    if let Some(dir) = &opts.tempdir {
        wb.set_tempdir(dir)?;
    }
    let per_sheet = opts.rows_per_sheet.clamp(1, ROWS_PER_SHEET);
    let mut rows = rows.into_iter().peekable();
    let mut written: u64 = 0;
    let mut sheet_no = 1u32;
    loop {
        let name = if sheet_no == 1 {
            TASK_SHEET.to_string()
        } else {
            format!("{TASK_SHEET} ({sheet_no})")
        };
        let ws = wb.add_worksheet_with_constant_memory();
        task_sheet_setup(ws, &name, &f)?;
        let mut in_sheet: u32 = 0;
        while in_sheet < per_sheet {
            let Some(t) = rows.next() else { break };
            in_sheet += 1;
            written += 1;
            write_task_row(ws, in_sheet, written, &t, &f)?;
        }
        ws.autofilter(0, 0, in_sheet, (TASK_COLUMNS.len() - 1) as u16)?;
        if rows.peek().is_none() {
            break;
        }
        sheet_no += 1;
    }
    wb.save_to_writer(out)?;
    Ok(written)
}
