//! The staffing tables as XLSX sheets: the staffing report's workbook, and the sheets a
//! plan's aggregated workbook gains when the plan sets staffing targets.

use rust_xlsxwriter::{Format, Workbook, Worksheet};

use crate::staffing::{verdict_text, AttainmentLine, StaffingReport, StaffingSection};
use crate::xlsx::{excel_date, print_setup, text, Formats};
use crate::ReportError;

/// Sheet of the attainment per unit.
pub const ATTAINMENT_SHEET: &str = "Biên chế theo đơn vị";
/// Sheet of the progress by year.
pub const YEARS_SHEET: &str = "Biên chế qua các năm";
/// Sheet of the deputies.
pub const DEPUTIES_SHEET: &str = "Cấp phó";
/// Sheet of the people at the grassroots.
pub const SECONDMENTS_SHEET: &str = "Cử đi cơ sở";

/// The staffing report as an XLSX workbook, one sheet per table.
pub fn staffing_report_xlsx(r: &StaffingReport) -> Result<Vec<u8>, ReportError> {
    let f = Formats::new();
    let mut wb = Workbook::new();
    sheets(&mut wb, &r.section, &f)?;
    Ok(wb.save_to_buffer()?)
}

/// A sheet named `name` with its header row, printed under `title`.
fn sheet<'a>(
    wb: &'a mut Workbook,
    name: &str,
    title: &str,
    columns: &[(&str, f64)],
    f: &Formats,
) -> Result<&'a mut Worksheet, ReportError> {
    let ws = wb.add_worksheet();
    ws.set_name(name)?;
    for (col, (head, width)) in columns.iter().enumerate() {
        ws.set_column_width(col as u16, *width)?;
        ws.write_string_with_format(0, col as u16, *head, &f.head)?;
    }
    ws.set_row_height(0, 32)?;
    ws.set_freeze_panes(1, 0)?;
    print_setup(ws, title)?;
    Ok(ws)
}

fn number(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    n: Option<f64>,
    fmt: &Format,
) -> Result<(), ReportError> {
    match n {
        Some(n) => ws.write_number_with_format(row, col, n, fmt)?,
        None => ws.write_blank(row, col, fmt)?,
    };
    Ok(())
}

fn attainment_row(
    ws: &mut Worksheet,
    row: u32,
    stt: Option<usize>,
    u: &AttainmentLine,
    text_fmt: &Format,
    num: &Format,
) -> Result<(), ReportError> {
    number(ws, row, 0, stt.map(|n| n as f64), num)?;
    ws.write_string_with_format(row, 1, text(&u.unit), text_fmt)?;
    ws.write_string_with_format(row, 2, text(&u.predecessors.join("; ")), text_fmt)?;
    number(ws, row, 3, u.baseline_year.map(f64::from), num)?;
    ws.write_number_with_format(row, 4, f64::from(u.baseline), num)?;
    ws.write_number_with_format(row, 5, f64::from(u.current), num)?;
    number(ws, row, 6, u.reduction_percent, num)?;
    number(ws, row, 7, u.target_percent, num)?;
    ws.write_string_with_format(row, 8, verdict_text(u.met), text_fmt)?;
    Ok(())
}

/// The four staffing sheets.
pub(crate) fn sheets(
    wb: &mut Workbook,
    s: &StaffingSection,
    f: &Formats,
) -> Result<(), ReportError> {
    let ws = sheet(
        wb,
        ATTAINMENT_SHEET,
        "Thực hiện chỉ tiêu tinh giản biên chế theo cơ quan, đơn vị",
        &[
            ("STT", 6.0),
            ("Cơ quan, đơn vị", 40.0),
            ("Đơn vị tiền thân (biên chế năm gốc)", 40.0),
            ("Năm gốc", 10.0),
            ("Biên chế năm gốc", 14.0),
            ("Biên chế hiện nay", 14.0),
            ("Đã giảm (%)", 12.0),
            ("Chỉ tiêu giảm (%)", 12.0),
            ("Kết quả", 18.0),
        ],
        f,
    )?;
    for (i, u) in s.units.iter().enumerate() {
        attainment_row(ws, i as u32 + 1, Some(i + 1), u, &f.text, &f.center)?;
    }
    let last = s.units.len() as u32;
    ws.autofilter(0, 0, last, 8)?;
    if let Some(t) = &s.total {
        attainment_row(ws, last + 1, None, t, &f.total, &f.total)?;
    }

    let ws = sheet(
        wb,
        YEARS_SHEET,
        "Biên chế qua các năm so với chỉ tiêu",
        &[
            ("Chỉ tiêu", 60.0),
            ("Năm", 10.0),
            ("Biên chế", 14.0),
            ("Tối đa theo chỉ tiêu", 16.0),
            ("Tính theo", 22.0),
        ],
        f,
    )?;
    let mut row = 1u32;
    for t in &s.targets {
        for (year, n) in
            std::iter::once((t.baseline_year, t.baseline)).chain(t.years.iter().copied())
        {
            ws.write_string_with_format(row, 0, text(&t.title), &f.text)?;
            ws.write_number_with_format(row, 1, f64::from(year), &f.center)?;
            ws.write_number_with_format(row, 2, f64::from(n), &f.center)?;
            ws.write_number_with_format(row, 3, f64::from(t.max_allowed), &f.center)?;
            ws.write_string_with_format(row, 4, text(&measure_cell(t)), &f.text)?;
            row += 1;
        }
    }

    let ws = sheet(
        wb,
        DEPUTIES_SHEET,
        "Số lượng cấp phó so với quy định",
        &[
            ("STT", 6.0),
            ("Cơ quan, đơn vị", 40.0),
            ("Ngày số liệu", 13.0),
            ("Cấp trưởng", 11.0),
            ("Cấp phó", 11.0),
            ("Cấp phó tối đa", 13.0),
            ("Vượt", 9.0),
        ],
        f,
    )?;
    for (i, d) in s.deputies.iter().enumerate() {
        let row = i as u32 + 1;
        ws.write_number_with_format(row, 0, (i + 1) as f64, &f.center)?;
        ws.write_string_with_format(row, 1, text(&d.unit), &f.text)?;
        ws.write_datetime_with_format(row, 2, excel_date(d.on)?, &f.date)?;
        ws.write_number_with_format(row, 3, f64::from(d.heads), &f.center)?;
        ws.write_number_with_format(row, 4, f64::from(d.deputies), &f.center)?;
        number(ws, row, 5, d.cap.map(f64::from), &f.center)?;
        let over = if d.over > 0 { &f.total } else { &f.center };
        ws.write_number_with_format(row, 6, f64::from(d.over), over)?;
    }
    ws.autofilter(0, 0, s.deputies.len() as u32, 6)?;

    let ws = sheet(
        wb,
        SECONDMENTS_SHEET,
        "Cử cán bộ, công chức, viên chức đi công tác ở cơ sở",
        &[
            ("STT", 6.0),
            ("Cơ quan, đơn vị", 40.0),
            ("Số người có mặt", 14.0),
            ("5% số có mặt", 13.0),
            ("Đang công tác ở cơ sở", 14.0),
            ("Còn phải cử", 12.0),
        ],
        f,
    )?;
    let total = s.secondment_total();
    for (i, c) in s.secondments.iter().chain([&total]).enumerate() {
        let row = i as u32 + 1;
        let is_total = i == s.secondments.len();
        let (name_fmt, num) = if is_total {
            (&f.total, &f.total)
        } else {
            (&f.text, &f.center)
        };
        number(ws, row, 0, (!is_total).then_some((i + 1) as f64), num)?;
        ws.write_string_with_format(row, 1, text(&c.unit), name_fmt)?;
        ws.write_number_with_format(row, 2, f64::from(c.headcount), num)?;
        ws.write_number_with_format(row, 3, f64::from(c.goal), num)?;
        ws.write_number_with_format(row, 4, f64::from(c.seconded), num)?;
        ws.write_number_with_format(row, 5, f64::from(c.missing()), num)?;
    }
    ws.autofilter(0, 0, s.secondments.len() as u32, 5)?;
    Ok(())
}

/// What a target counts, capitalised for a cell ("Số người có mặt").
fn measure_cell(t: &crate::staffing::TargetLine) -> String {
    let m = if t.measure.is_empty() {
        "biên chế được giao"
    } else {
        t.measure.as_str()
    };
    let mut c = m.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}
