//! The staffing spreadsheet: the template a Department of Home Affairs sends to its units
//! (XLSX: one row per unit and ledger line for quotas and headcounts, one row per unit for
//! leadership posts, and a sheet of instructions) and the import of the filled file, XLSX or
//! CSV. Every row is checked before anything is written; the errors name the sheet, the row,
//! the column and what is wrong, in Vietnamese, and one wrong row writes nothing.

use std::collections::HashMap;
use std::fmt;
use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use chrono::{Duration, NaiveDate, Utc};
use rust_xlsxwriter::{DataValidation, Format, Workbook, XlsxError};
use tinhgon_domain::model::Id;
use tinhgon_domain::staffing::StaffLine;
use tinhgon_domain::staffing_figures::Figure;
use tinhgon_domain::user::{can_write_staffing, User};
use tinhgon_store::audit::AuditEntry;
use tinhgon_store::staffing::{self as store, UnitFigure};
use tinhgon_store::{register, Db};

use crate::error::{AppError, Result};
use crate::{audit, input};

/// Name of the quotas and headcounts sheet.
pub const QUOTA_SHEET: &str = "Biên chế";
/// Name of the leadership sheet.
pub const LEADER_SHEET: &str = "Lãnh đạo";
const HELP_SHEET: &str = "Hướng dẫn";

/// Columns of the quotas and headcounts sheet (and of a CSV file).
pub const QUOTA_COLUMNS: [&str; 8] = [
    "Mã đơn vị",
    "Tên đơn vị",
    "Năm",
    "Loại biên chế",
    "Biên chế được giao",
    "Văn bản giao biên chế",
    "Số có mặt",
    "Ngày số liệu có mặt (dd/mm/yyyy)",
];

/// Columns of the leadership sheet.
pub const LEADER_COLUMNS: [&str; 6] = [
    "Mã đơn vị",
    "Tên đơn vị",
    "Ngày số liệu (dd/mm/yyyy)",
    "Cấp trưởng",
    "Cấp phó",
    "Số cấp phó tối đa theo quy định",
];

/// A unit listed in the template.
#[derive(Debug, Clone)]
pub struct TemplateUnit {
    /// Identifier (the template's "Mã đơn vị").
    pub id: Id,
    /// Name.
    pub name: String,
}

fn xlsx_err(e: XlsxError) -> AppError {
    AppError::Internal(format!("không tạo được tệp XLSX: {e}"))
}

/// The template for `units`, for the year `year`, headcounts as of `on`.
pub fn template(
    province: &str,
    units: &[TemplateUnit],
    year: i32,
    on: NaiveDate,
) -> Result<Vec<u8>> {
    let mut book = Workbook::new();
    let bold = Format::new().set_bold().set_text_wrap();
    let title = Format::new().set_bold().set_font_size(13);
    let on_text = on.format("%d/%m/%Y").to_string();
    {
        let ws = book
            .add_worksheet()
            .set_name(QUOTA_SHEET)
            .map_err(xlsx_err)?;
        ws.write_string_with_format(
            0,
            0,
            format!("SỐ LIỆU BIÊN CHẾ NĂM {year} — {province}"),
            &title,
        )
        .map_err(xlsx_err)?;
        ws.write_string(1, 0, "Điền cột E, F (biên chế được giao và văn bản giao) và cột G, H (số có mặt và ngày số liệu); dòng để trống không được nhập.")
            .map_err(xlsx_err)?;
        for (c, h) in QUOTA_COLUMNS.iter().enumerate() {
            ws.write_string_with_format(2, c as u16, *h, &bold)
                .map_err(xlsx_err)?;
        }
        for (c, w) in [10, 44, 8, 40, 14, 30, 12, 18].iter().enumerate() {
            ws.set_column_width(c as u16, *w).map_err(xlsx_err)?;
        }
        let mut row = 3u32;
        for u in units {
            for l in StaffLine::ALL {
                ws.write_number(row, 0, u.id as f64).map_err(xlsx_err)?;
                ws.write_string(row, 1, &u.name).map_err(xlsx_err)?;
                ws.write_number(row, 2, f64::from(year)).map_err(xlsx_err)?;
                ws.write_string(row, 3, l.label_vi()).map_err(xlsx_err)?;
                ws.write_string(row, 7, &on_text).map_err(xlsx_err)?;
                row += 1;
            }
        }
        let labels: Vec<&str> = StaffLine::ALL.iter().map(|l| l.label_vi()).collect();
        let lines = DataValidation::new()
            .allow_list_strings(&labels)
            .map_err(xlsx_err)?;
        ws.add_data_validation(3, 3, row.max(4) + 500, 3, &lines)
            .map_err(xlsx_err)?;
        ws.set_freeze_panes(3, 2).map_err(xlsx_err)?;
    }
    {
        let ws = book
            .add_worksheet()
            .set_name(LEADER_SHEET)
            .map_err(xlsx_err)?;
        ws.write_string_with_format(0, 0, format!("SỐ LƯỢNG LÃNH ĐẠO — {province}"), &title)
            .map_err(xlsx_err)?;
        ws.write_string(1, 0, "Điền số cấp trưởng, cấp phó hiện có và số cấp phó tối đa theo quy định; dòng để trống không được nhập.")
            .map_err(xlsx_err)?;
        for (c, h) in LEADER_COLUMNS.iter().enumerate() {
            ws.write_string_with_format(2, c as u16, *h, &bold)
                .map_err(xlsx_err)?;
        }
        for (c, w) in [10, 44, 18, 12, 12, 18].iter().enumerate() {
            ws.set_column_width(c as u16, *w).map_err(xlsx_err)?;
        }
        for (i, u) in units.iter().enumerate() {
            let row = 3 + i as u32;
            ws.write_number(row, 0, u.id as f64).map_err(xlsx_err)?;
            ws.write_string(row, 1, &u.name).map_err(xlsx_err)?;
            ws.write_string(row, 2, &on_text).map_err(xlsx_err)?;
        }
        ws.set_freeze_panes(3, 2).map_err(xlsx_err)?;
    }
    {
        let ws = book
            .add_worksheet()
            .set_name(HELP_SHEET)
            .map_err(xlsx_err)?;
        let lines = [
            "Hướng dẫn điền mẫu số liệu biên chế".to_string(),
            "1. Không sửa cột “Mã đơn vị”: hệ thống nhận đơn vị theo mã này.".to_string(),
            format!(
                "2. “Loại biên chế” là một trong: {}.",
                StaffLine::ALL.iter().map(|l| l.label_vi()).collect::<Vec<_>>().join("; ")
            ),
            "3. Số liệu là số nguyên không âm; ngày ghi theo dạng dd/mm/yyyy.".to_string(),
            "4. Biên chế được giao phải kèm văn bản giao (số, ngày của quyết định).".to_string(),
            "5. Nếu có dòng sai, hệ thống báo từng dòng và không nhập số liệu nào; sửa rồi gửi lại cả tệp.".to_string(),
        ];
        for (i, l) in lines.iter().enumerate() {
            ws.write_string(i as u32, 0, l).map_err(xlsx_err)?;
        }
        ws.set_column_width(0, 110).map_err(xlsx_err)?;
    }
    book.save_to_buffer().map_err(xlsx_err)
}

/// A wrong cell of an imported file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    /// Sheet name (None for a CSV file).
    pub sheet: Option<String>,
    /// Row number as the spreadsheet shows it (1-based).
    pub row: usize,
    /// Column letter and heading ("E (Biên chế được giao)"), when one column is at fault.
    pub column: Option<String>,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.sheet {
            Some(s) => write!(f, "Trang “{s}”, dòng {}", self.row)?,
            None => write!(f, "Dòng {}", self.row)?,
        }
        if let Some(c) = &self.column {
            write!(f, ", cột {c}")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// A figure read from a row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetFigure {
    /// Sheet (None for CSV).
    pub sheet: Option<String>,
    /// Row number.
    pub row: usize,
    /// The unit's id as written.
    pub unit_id: Id,
    /// The figure.
    pub figure: Figure,
}

fn column_name(columns: &[&str], c: usize) -> String {
    let letter = (b'A' + c as u8) as char;
    format!("{letter} ({})", columns.get(c).copied().unwrap_or(""))
}

fn cell_text(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        Data::String(s) => s.trim().to_string(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.into(),
        // A date cell: days since 30/12/1899 in Excel's count.
        Data::DateTime(dt) => {
            let serial = dt.as_f64();
            NaiveDate::from_ymd_opt(1899, 12, 30)
                .and_then(|base| base.checked_add_signed(Duration::days(serial.floor() as i64)))
                .map(|d| d.format("%d/%m/%Y").to_string())
                .unwrap_or_default()
        }
        Data::DateTimeIso(s) => s.chars().take(10).collect(),
        Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("#{e:?}"),
    }
}

/// Reads the rows of one sheet: each row's cells as text, with its 1-based number, from the
/// row after the heading row (the one whose first cell is "Mã đơn vị").
fn data_rows(rows: Vec<Vec<String>>) -> Vec<(usize, Vec<String>)> {
    let start = rows
        .iter()
        .position(|r| {
            r.first()
                .is_some_and(|c| tinhgon_textkit::fold(c) == tinhgon_textkit::fold("Mã đơn vị"))
        })
        .map_or(0, |i| i + 1);
    rows.into_iter()
        .enumerate()
        .skip(start)
        .map(|(i, r)| (i + 1, r))
        .filter(|(_, r)| r.iter().any(|c| !c.is_empty()))
        .collect()
}

struct RowReader<'a> {
    sheet: Option<&'a str>,
    columns: &'a [&'a str],
    row: usize,
    cells: &'a [String],
    errors: &'a mut Vec<RowError>,
}

impl RowReader<'_> {
    fn cell(&self, c: usize) -> &str {
        self.cells.get(c).map_or("", String::as_str)
    }

    fn fail(&mut self, c: usize, message: String) {
        self.errors.push(RowError {
            sheet: self.sheet.map(str::to_string),
            row: self.row,
            column: Some(column_name(self.columns, c)),
            message,
        });
    }

    /// The cell as a value, or an error on it (the message from the app's field checks).
    fn value<T>(&mut self, c: usize, parse: impl Fn(&str) -> Result<T>) -> Option<T> {
        match parse(self.cell(c)) {
            Ok(v) => Some(v),
            Err(e) => {
                self.fail(c, e.to_string());
                None
            }
        }
    }

    fn unit(&mut self) -> Option<Id> {
        let text = self.cell(0).to_string();
        match text.parse::<Id>() {
            Ok(id) if id > 0 => Some(id),
            _ => {
                let m = if text.is_empty() {
                    "thiếu mã đơn vị.".to_string()
                } else {
                    format!("mã đơn vị phải là số như trong mẫu, không phải “{text}”.")
                };
                self.fail(0, m);
                None
            }
        }
    }
}

fn date_cell(v: &str) -> Result<NaiveDate> {
    input::parse_date(v).ok_or_else(|| {
        AppError::invalid(
            "on",
            if v.is_empty() {
                "thiếu ngày (dd/mm/yyyy).".to_string()
            } else {
                format!("ngày phải ghi dd/mm/yyyy, không phải “{v}”.")
            },
        )
    })
}

/// The quota and headcount figures of a row of the quotas sheet (or a CSV line).
fn quota_row(r: &mut RowReader<'_>, out: &mut Vec<SheetFigure>) {
    let quota_given = !r.cell(4).is_empty();
    let count_given = !r.cell(6).is_empty();
    if !quota_given && !count_given {
        return; // a template row left blank
    }
    let unit = r.unit();
    let line = r.value(3, |v| super::form::line("line", v));
    let mut figures = Vec::new();
    if quota_given {
        let year = r.value(2, |v| super::form::year("year", v));
        let count = r.value(4, |v| {
            super::form::count("count", v, "số biên chế được giao")
        });
        let decision = r.value(5, |v| {
            input::text(
                "decision",
                v,
                "thiếu văn bản giao biên chế (số, ngày của quyết định).",
            )
        });
        if let (Some(year), Some(line), Some(count), Some(decision)) = (year, line, count, decision)
        {
            figures.push(Figure::Quota {
                year,
                line,
                count,
                decision,
            });
        }
    }
    if count_given {
        let count = r.value(6, |v| super::form::count("count", v, "số người có mặt"));
        let on = r.value(7, date_cell);
        if let (Some(on), Some(line), Some(count)) = (on, line, count) {
            figures.push(Figure::Headcount { on, line, count });
        }
    }
    if let Some(unit_id) = unit {
        for figure in figures {
            out.push(SheetFigure {
                sheet: r.sheet.map(str::to_string),
                row: r.row,
                unit_id,
                figure,
            });
        }
    }
}

/// The leadership figure of a row of the leadership sheet.
fn leader_row(r: &mut RowReader<'_>, out: &mut Vec<SheetFigure>) {
    if r.cell(3).is_empty() && r.cell(4).is_empty() {
        return;
    }
    let unit = r.unit();
    let on = r.value(2, date_cell);
    let heads = r.value(3, |v| super::form::count("heads", v, "số cấp trưởng"));
    let deputies = r.value(4, |v| super::form::count("deputies", v, "số cấp phó"));
    let cap = r.value(5, |v| {
        if v.is_empty() {
            Ok(None)
        } else {
            super::form::count("deputy_cap", v, "số cấp phó tối đa").map(Some)
        }
    });
    if let (Some(unit_id), Some(on), Some(heads), Some(deputies), Some(deputy_cap)) =
        (unit, on, heads, deputies, cap)
    {
        out.push(SheetFigure {
            sheet: r.sheet.map(str::to_string),
            row: r.row,
            unit_id,
            figure: Figure::Leadership {
                on,
                heads,
                deputies,
                deputy_cap,
            },
        });
    }
}

fn read_rows(
    sheet: Option<&str>,
    columns: &[&str],
    rows: Vec<Vec<String>>,
    each: fn(&mut RowReader<'_>, &mut Vec<SheetFigure>),
    out: &mut Vec<SheetFigure>,
    errors: &mut Vec<RowError>,
) {
    for (row, cells) in data_rows(rows) {
        let mut r = RowReader {
            sheet,
            columns,
            row,
            cells: &cells,
            errors,
        };
        each(&mut r, out);
    }
}

/// The figures of a file's good rows, and every wrong cell of the others.
pub type ReadRows = (Vec<SheetFigure>, Vec<RowError>);

/// The figures of a filled XLSX template, and every wrong cell.
pub fn read_xlsx(bytes: &[u8]) -> Result<ReadRows> {
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes)).map_err(|e| {
        AppError::invalid(
            "file",
            format!("Không đọc được tệp XLSX ({e}); vui lòng dùng mẫu tải từ hệ thống."),
        )
    })?;
    let names = book.sheet_names();
    if !names.iter().any(|n| n == QUOTA_SHEET) {
        return Err(AppError::invalid(
            "file",
            format!("Tệp không có trang “{QUOTA_SHEET}”; vui lòng dùng mẫu tải từ hệ thống."),
        ));
    }
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for (sheet, columns, each) in [
        (
            QUOTA_SHEET,
            &QUOTA_COLUMNS[..],
            quota_row as fn(&mut RowReader<'_>, &mut Vec<SheetFigure>),
        ),
        (LEADER_SHEET, &LEADER_COLUMNS[..], leader_row),
    ] {
        if !names.iter().any(|n| n == sheet) {
            continue;
        }
        let range = book.worksheet_range(sheet).map_err(|e| {
            AppError::invalid("file", format!("Không đọc được trang “{sheet}” ({e})."))
        })?;
        let rows: Vec<Vec<String>> = range
            .rows()
            .map(|r| r.iter().map(cell_text).collect())
            .collect();
        read_rows(Some(sheet), columns, rows, each, &mut out, &mut errors);
    }
    Ok((out, errors))
}

/// The figures of a CSV file with the quota sheet's columns, and every wrong cell.
pub fn read_csv(bytes: &[u8]) -> Result<ReadRows> {
    let text = std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes))
        .map_err(|_| AppError::invalid("file", "Tệp CSV phải mã hóa UTF-8."))?;
    let mut rows = Vec::new();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    for (i, rec) in reader.records().enumerate() {
        let rec = rec.map_err(|e| {
            AppError::invalid("file", format!("Dòng {}: không đọc được ({e}).", i + 1))
        })?;
        rows.push(rec.iter().map(|c| c.trim().to_string()).collect());
    }
    let mut out = Vec::new();
    let mut errors = Vec::new();
    read_rows(None, &QUOTA_COLUMNS, rows, quota_row, &mut out, &mut errors);
    Ok((out, errors))
}

/// Who imports: a person through the page, or the operator of the command line.
#[derive(Debug, Clone, Copy)]
pub enum Importer<'a> {
    /// A signed-in person: the figures must be of units they may write.
    User(&'a User),
    /// The command line (`operator`: the shell's user, kept in the audit row).
    System(Option<&'a str>),
}

/// What an import wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportSummary {
    /// Figures written.
    pub figures: usize,
    /// Units concerned.
    pub units: usize,
}

/// Keys that make two rows of one file say the same thing twice.
fn duplicate_key(f: &SheetFigure) -> Option<String> {
    match &f.figure {
        Figure::Quota { year, line, .. } => Some(format!("q{}:{year}:{}", f.unit_id, line.key())),
        Figure::Headcount { on, line, .. } => Some(format!("h{}:{on}:{}", f.unit_id, line.key())),
        Figure::Leadership { on, .. } => Some(format!("l{}:{on}", f.unit_id)),
        _ => None,
    }
}

/// Imports a filled template (`name` ends in .xlsx or .csv): checks every row, including that
/// each unit exists and the importer may enter its figures, and writes all of them in one
/// transaction with one audit row, or nothing with every wrong row named.
pub async fn import(db: &Db, who: Importer<'_>, name: &str, bytes: &[u8]) -> Result<ImportSummary> {
    let lower = name.to_lowercase();
    let (figures, mut errors) = if lower.ends_with(".xlsx") {
        read_xlsx(bytes)?
    } else if lower.ends_with(".csv") {
        read_csv(bytes)?
    } else {
        return Err(AppError::invalid(
            "file",
            "Chỉ nhận tệp .xlsx (theo mẫu) hoặc .csv.",
        ));
    };
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut allowed: HashMap<Id, std::result::Result<(), String>> = HashMap::new();
    for f in &figures {
        if let std::collections::hash_map::Entry::Vacant(e) = allowed.entry(f.unit_id) {
            e.insert(unit_verdict(db, who, f.unit_id).await?);
        }
        if let Some(Err(m)) = allowed.get(&f.unit_id) {
            errors.push(RowError {
                sheet: f.sheet.clone(),
                row: f.row,
                column: Some(column_name(&QUOTA_COLUMNS, 0)),
                message: m.clone(),
            });
        }
        if let Some(key) = duplicate_key(f) {
            if let Some(first) = seen.insert(key, f.row) {
                errors.push(RowError {
                    sheet: f.sheet.clone(),
                    row: f.row,
                    column: None,
                    message: format!("trùng số liệu với dòng {first} (cùng đơn vị, năm hoặc ngày, loại biên chế)."),
                });
            }
        }
    }
    if !errors.is_empty() {
        errors.sort_by(|a, b| (&a.sheet, a.row).cmp(&(&b.sheet, b.row)));
        errors.dedup();
        const SHOWN: usize = 50;
        let mut message = format!(
            "Tệp có {} lỗi, chưa nhập số liệu nào. Vui lòng sửa rồi gửi lại cả tệp:",
            errors.len()
        );
        for e in errors.iter().take(SHOWN) {
            message.push_str(&format!("\n- {e}"));
        }
        if errors.len() > SHOWN {
            message.push_str(&format!("\n… và {} lỗi khác.", errors.len() - SHOWN));
        }
        return Err(AppError::invalid("file", message));
    }
    if figures.is_empty() {
        return Err(AppError::invalid(
            "file",
            "Tệp không có số liệu nào để nhập (các cột số liệu đều để trống).",
        ));
    }
    let units = allowed.len();
    let after = serde_json::json!({ "file": name, "figures": figures.len(), "units": units });
    let entry = match who {
        Importer::User(u) => audit::entry(
            Some(u),
            "staffing.import",
            "unit",
            u.province_id,
            None,
            Some(after),
        ),
        Importer::System(operator) => AuditEntry::system("staffing.import", "unit", None, after)
            .with_after("cli_user", operator),
    };
    let by = match who {
        Importer::User(u) => Some(u.id),
        Importer::System(_) => None,
    };
    let rows: Vec<UnitFigure> = figures
        .into_iter()
        .map(|f| UnitFigure {
            unit_id: f.unit_id,
            figure: f.figure,
        })
        .collect();
    let n = store::record_audited(db, &rows, by, Utc::now(), &[entry]).await?;
    Ok(ImportSummary { figures: n, units })
}

/// Whether `who` may enter figures of unit `id` (Err: the message for its rows).
async fn unit_verdict(
    db: &Db,
    who: Importer<'_>,
    id: Id,
) -> Result<std::result::Result<(), String>> {
    let unknown = || Ok(Err(format!("không có đơn vị mã {id} trong danh mục.")));
    match register::unit(db, id).await {
        Ok(_) => {}
        Err(tinhgon_store::StoreError::NotFound { .. }) => return unknown(),
        Err(e) => return Err(e.into()),
    }
    let province = register::unit_province(db, id).await?.or(Some(id));
    Ok(match who {
        Importer::System(_) => Ok(()),
        Importer::User(u) if !tinhgon_domain::user::works_on(u, province) => {
            return unknown();
        }
        Importer::User(u) if can_write_staffing(u, id, province) => Ok(()),
        Importer::User(_) => Err(format!(
            "bạn không có quyền nhập số liệu của đơn vị mã {id}."
        )),
    })
}

/// The template of `province` for a person who monitors it: its units in force on `on`.
pub async fn province_template(
    db: &Db,
    user: &User,
    province: Id,
    year: i32,
    on: NaiveDate,
) -> Result<Vec<u8>> {
    super::monitors_province(user, province)?;
    template_for(db, province, year, on).await
}

/// The template of `province` (no rights decision: the command line).
pub async fn template_for(db: &Db, province: Id, year: i32, on: NaiveDate) -> Result<Vec<u8>> {
    let name = register::unit(db, province).await?.name;
    let mut units: Vec<TemplateUnit> = register::units_as_of(db, province, on)
        .await?
        .into_iter()
        .filter(|u| u.id != province)
        .map(|u| TemplateUnit {
            id: u.id,
            name: u.name,
        })
        .collect();
    units.sort_by_cached_key(|u| tinhgon_textkit::sort_key(&u.name));
    tokio::task::spawn_blocking(move || template(&name, &units, year, on))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?
}
