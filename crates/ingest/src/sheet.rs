//! Spreadsheets (.xlsx, .csv) read into a grid of cell texts, for plans kept as one row per
//! task. The grid is bounded: an Excel sheet can name a cell a million rows down with a few
//! bytes, so cells are streamed and capped rather than laid out as calamine's dense range.

use std::io::{Cursor, Read};

use calamine::{DataRef, Reader, Xlsx};
use unicode_normalization::UnicodeNormalization;

use crate::IngestError;

/// Rows one sheet may have; a plan's task list is a few hundred rows.
pub const MAX_ROWS: usize = 5000;
/// Columns kept; task sheets have about ten, anything further right is notes.
pub const MAX_COLS: usize = 40;
/// Cap on the inflated size of an .xlsx (all parts together).
const CONTENT_CAP: u64 = 64 * 1024 * 1024;

/// Which spreadsheet format was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SheetFormat {
    /// Office Open XML workbook.
    Xlsx,
    /// Comma-, semicolon- or tab-separated text.
    Csv,
}

/// A merged area (0-based, inclusive), its text held by the top-left cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Merge {
    /// First row.
    pub first_row: usize,
    /// First column.
    pub first_col: usize,
    /// Last row.
    pub last_row: usize,
    /// Last column.
    pub last_col: usize,
}

/// One worksheet as text cells; row `i` is the sheet's row `i + 1`.
#[derive(Debug, Clone, Default)]
pub struct Sheet {
    /// Worksheet name ("Sheet1" for a CSV file).
    pub name: String,
    /// Cell texts, NFC and trimmed; date cells written "dd/mm/yyyy".
    pub rows: Vec<Vec<String>>,
    /// Merged areas.
    pub merges: Vec<Merge>,
}

impl Sheet {
    /// The cell's own text ("" outside the grid).
    pub fn own(&self, row: usize, col: usize) -> &str {
        self.rows
            .get(row)
            .and_then(|r| r.get(col))
            .map_or("", String::as_str)
    }

    /// The cell's text, or the text of the merged area it lies in.
    pub fn value(&self, row: usize, col: usize) -> &str {
        match self.merge_at(row, col) {
            Some(m) => self.own(m.first_row, m.first_col),
            None => self.own(row, col),
        }
    }

    /// The merged area covering the cell, if any.
    pub fn merge_at(&self, row: usize, col: usize) -> Option<&Merge> {
        self.merges.iter().find(|m| {
            (m.first_row..=m.last_row).contains(&row) && (m.first_col..=m.last_col).contains(&col)
        })
    }

    /// True for a cell covered by a merged area that it does not start.
    pub fn is_merge_copy(&self, row: usize, col: usize) -> bool {
        self.merge_at(row, col)
            .is_some_and(|m| (m.first_row, m.first_col) != (row, col))
    }

    /// Width of the grid.
    pub fn width(&self) -> usize {
        self.rows.iter().map(Vec::len).max().unwrap_or(0)
    }
}

/// A read spreadsheet: its worksheets in order.
#[derive(Debug, Clone)]
pub struct Workbook {
    /// Format read.
    pub format: SheetFormat,
    /// Worksheets in workbook order.
    pub sheets: Vec<Sheet>,
}

/// True when the upload is a spreadsheet (by its name, or an .xlsx by content): those go
/// to the spreadsheet reader, everything else to the document readers.
pub fn is_sheet(bytes: &[u8], file_name: Option<&str>) -> bool {
    let ext = extension(file_name);
    if matches!(ext.as_deref(), Some("csv" | "xlsx" | "xls" | "ods")) {
        return true;
    }
    is_zip(bytes) && zip_has_prefix(bytes, "xl/")
}

fn extension(file_name: Option<&str>) -> Option<String> {
    file_name
        .and_then(|n| n.rsplit_once('.'))
        .map(|(_, e)| e.trim().to_ascii_lowercase())
}

fn is_zip(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06")
}

fn zip_has_prefix(bytes: &[u8], prefix: &str) -> bool {
    zip::ZipArchive::new(Cursor::new(bytes))
        .map(|z| z.file_names().any(|n| n.starts_with(prefix)))
        .unwrap_or(false)
}

/// Reads a spreadsheet with the crate's [`crate::DEFAULT_LIMIT`].
pub fn read_sheet(bytes: &[u8], file_name: Option<&str>) -> Result<Workbook, IngestError> {
    read_sheet_with_limit(bytes, file_name, crate::DEFAULT_LIMIT)
}

/// Reads a spreadsheet, refusing inputs larger than `limit` bytes before any work.
pub fn read_sheet_with_limit(
    bytes: &[u8],
    file_name: Option<&str>,
    limit: u64,
) -> Result<Workbook, IngestError> {
    crate::check_size(bytes.len() as u64, limit)?;
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(IngestError::Empty);
    }
    if is_zip(bytes) {
        return read_xlsx(bytes);
    }
    if bytes.starts_with(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1") {
        return Err(IngestError::Unsupported(
            "bảng tính Excel 97–2003 (.xls), hãy lưu lại thành .xlsx".into(),
        ));
    }
    match extension(file_name).as_deref() {
        Some("xlsx" | "xls" | "ods") => Err(IngestError::Corrupt(
            "tệp không phải bảng tính .xlsx hợp lệ".into(),
        )),
        _ => read_csv(bytes),
    }
}

fn read_xlsx(bytes: &[u8]) -> Result<Workbook, IngestError> {
    check_inflated(bytes)?;
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|e| match e {
        calamine::XlsxError::Password => IngestError::Encrypted,
        e => IngestError::Corrupt(format!("bảng tính .xlsx: {e}")),
    })?;
    let names = book.sheet_names();
    let mut sheets = Vec::new();
    for name in names {
        let mut rows: Vec<Vec<String>> = Vec::new();
        {
            let mut cells = book
                .worksheet_cells_reader(&name)
                .map_err(|e| IngestError::Corrupt(format!("trang tính \"{name}\": {e}")))?;
            while let Some(cell) = cells
                .next_cell()
                .map_err(|e| IngestError::Corrupt(format!("trang tính \"{name}\": {e}")))?
            {
                let (r, c) = cell.get_position();
                let (r, c) = (r as usize, c as usize);
                let text = cell_text(cell.get_value());
                if c >= MAX_COLS || text.is_empty() {
                    continue;
                }
                if r >= MAX_ROWS {
                    return Err(IngestError::SheetTooLarge {
                        sheet: name.clone(),
                        limit: MAX_ROWS,
                    });
                }
                if rows.len() <= r {
                    rows.resize_with(r + 1, Vec::new);
                }
                if rows[r].len() <= c {
                    rows[r].resize(c + 1, String::new());
                }
                rows[r][c] = text;
            }
        }
        let merges = match book.worksheet_merge_cells(&name) {
            Some(Ok(dims)) => dims
                .into_iter()
                .filter(|d| (d.start.0 as usize) < MAX_ROWS && (d.start.1 as usize) < MAX_COLS)
                .map(|d| Merge {
                    first_row: d.start.0 as usize,
                    first_col: d.start.1 as usize,
                    last_row: (d.end.0 as usize).min(MAX_ROWS - 1),
                    last_col: (d.end.1 as usize).min(MAX_COLS - 1),
                })
                .collect(),
            // Merges only help; a sheet whose merge list cannot be read is read without.
            _ => Vec::new(),
        };
        sheets.push(Sheet {
            name: name.clone(),
            rows,
            merges,
        });
    }
    if sheets.iter().all(|s| s.rows.is_empty()) {
        return Err(IngestError::Empty);
    }
    Ok(Workbook {
        format: SheetFormat::Xlsx,
        sheets,
    })
}

/// Inflates every part into a sink, counting: a zip bomb is refused with bounded memory
/// before calamine holds any part.
fn check_inflated(bytes: &[u8]) -> Result<(), IngestError> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| IngestError::Corrupt(format!("tệp nén: {e}")))?;
    if !zip.file_names().any(|n| n.starts_with("xl/")) {
        return Err(IngestError::Unsupported(
            "tệp nén không phải bảng tính .xlsx".into(),
        ));
    }
    let mut total = 0u64;
    for i in 0..zip.len() {
        let file = zip.by_index(i).map_err(|e| match e {
            zip::result::ZipError::UnsupportedArchive(m) if m.contains("assword") => {
                IngestError::Encrypted
            }
            e => IngestError::Corrupt(format!("tệp nén: {e}")),
        })?;
        if file.encrypted() {
            return Err(IngestError::Encrypted);
        }
        let left = CONTENT_CAP - total;
        let n = std::io::copy(&mut file.take(left + 1), &mut std::io::sink())
            .map_err(|e| IngestError::Corrupt(format!("tệp nén: {e}")))?;
        total += n;
        if total > CONTENT_CAP {
            return Err(IngestError::Oversized(CONTENT_CAP));
        }
    }
    Ok(())
}

/// A cell as text: numbers without a spurious ".0", dates as "dd/mm/yyyy".
fn cell_text(v: &DataRef<'_>) -> String {
    let raw = match v {
        DataRef::String(s) => s.clone(),
        DataRef::SharedString(s) => (*s).to_string(),
        DataRef::Int(i) => i.to_string(),
        DataRef::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        DataRef::Float(f) => f.to_string(),
        DataRef::Bool(b) => if *b { "Có" } else { "Không" }.to_string(),
        DataRef::DateTime(dt) => serial_date(dt.as_f64()).unwrap_or_default(),
        DataRef::DateTimeIso(s) => iso_date(s).unwrap_or_else(|| s.clone()),
        DataRef::DurationIso(_) | DataRef::Error(_) | DataRef::Empty => String::new(),
    };
    clean(&raw)
}

fn clean(s: &str) -> String {
    let s: String = s.nfc().collect();
    s.replace(['\u{a0}', '\r'], " ")
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Excel's day count (days since 30/12/1899) as "dd/mm/yyyy"; None outside 1900–2200.
fn serial_date(serial: f64) -> Option<String> {
    if !(1.0..=110_000.0).contains(&serial) {
        return None;
    }
    let (y, m, d) = civil_from_days(serial.floor() as i64 - 25_569);
    Some(format!("{d:02}/{m:02}/{y}"))
}

/// "2025-09-30…" as "30/09/2025".
fn iso_date(s: &str) -> Option<String> {
    let mut p = s.get(..10)?.split('-');
    let (y, m, d) = (p.next()?, p.next()?, p.next()?);
    Some(format!("{d}/{m}/{y}"))
}

/// Days since 1970-01-01 to (year, month, day) in the proleptic Gregorian calendar
/// (H. Hinnant's algorithm), so this crate needs no date library.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// A CSV file: UTF-8 with or without BOM (Windows-1258 as Excel saves it otherwise),
/// separated by commas, semicolons or tabs, whichever the first lines use most.
fn read_csv(bytes: &[u8]) -> Result<Workbook, IngestError> {
    if bytes.contains(&0) {
        return Err(IngestError::Unsupported(
            "tệp nhị phân không phải bảng tính .csv".into(),
        ));
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t.to_string(),
        Err(_) => encoding_rs::WINDOWS_1258.decode(bytes).0.into_owned(),
    };
    let delimiter = delimiter(&text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| IngestError::Corrupt(format!("tệp .csv: {e}")))?;
        if rows.len() >= MAX_ROWS {
            return Err(IngestError::SheetTooLarge {
                sheet: "CSV".into(),
                limit: MAX_ROWS,
            });
        }
        let mut row: Vec<String> = record.iter().take(MAX_COLS).map(clean).collect();
        while row.last().is_some_and(String::is_empty) {
            row.pop();
        }
        rows.push(row);
    }
    if rows.iter().all(Vec::is_empty) {
        return Err(IngestError::Empty);
    }
    Ok(Workbook {
        format: SheetFormat::Csv,
        sheets: vec![Sheet {
            name: "Sheet1".into(),
            rows,
            merges: Vec::new(),
        }],
    })
}

/// The separator used most outside quotes in the first lines.
fn delimiter(text: &str) -> u8 {
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for c in text.chars().take(4096) {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => counts[0] += 1,
            ';' if !quoted => counts[1] += 1,
            '\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let best = (0..3).max_by_key(|&i| (counts[i], 3 - i)).unwrap_or(0);
    [b',', b';', b'\t'][best]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excel_serials_are_calendar_dates() {
        assert_eq!(serial_date(45_930.0).as_deref(), Some("30/09/2025"));
        assert_eq!(serial_date(45_658.5).as_deref(), Some("01/01/2025"));
        assert_eq!(serial_date(-3.0), None);
    }

    #[test]
    fn semicolons_win_over_commas_inside_cells() {
        assert_eq!(
            delimiter("STT;Nội dung;Chủ trì\n1;\"a, b\";Sở Nội vụ"),
            b';'
        );
        assert_eq!(
            delimiter("STT,Nội dung,Chủ trì\n1,\"a; b\",Sở Nội vụ"),
            b','
        );
    }
}
