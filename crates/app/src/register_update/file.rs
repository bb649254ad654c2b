//! Reading a register file for an update: a `.csv` with the columns of `units.csv` (the
//! first import's), or an `.xlsx` with a sheet of units and, optionally, a sheet of mergers
//! (the columns of `mergers.csv`). Column titles may also be written in Vietnamese ("Tên đơn
//! vị", "Đơn vị cha" …); a column the register does not know is refused, so a wrong file
//! is not half read.

use tinhgon_domain::import::{MergerRow, UnitRow};
use tinhgon_domain::register_update::UpdateFile;
use tinhgon_ingest::sheet::{read_sheet, SheetFormat};
use tinhgon_textkit::search_key;

use crate::error::{AppError, Result};

/// Rows of a sheet, each with its line in the file.
type Grid = Vec<(usize, Vec<String>)>;

/// The columns of the units sheet: (field, required, titles accepted, folded).
const UNIT_COLUMNS: [(&str, bool, &[&str]); 6] = [
    ("code", false, &["code", "ma", "ma don vi"]),
    ("name", true, &["name", "ten", "ten don vi"]),
    ("level", true, &["level", "cap"]),
    ("kind", true, &["kind", "loai", "loai don vi"]),
    ("parent", true, &["parent", "don vi cha", "truc thuoc"]),
    (
        "effective_from",
        false,
        &["effective_from", "ngay hieu luc", "tu ngay"],
    ),
];

/// The columns of the mergers sheet.
const MERGER_COLUMNS: [(&str, bool, &[&str]); 5] = [
    ("successor", true, &["successor", "don vi sau sap xep"]),
    (
        "predecessor",
        true,
        &["predecessor", "don vi truoc sap xep"],
    ),
    (
        "effective_from",
        true,
        &["effective_from", "ngay hieu luc", "tu ngay"],
    ),
    ("source", false, &["source", "nguon"]),
    (
        "decision",
        false,
        &["decision", "van ban", "van ban quyet dinh"],
    ),
];

fn bad(message: impl Into<String>) -> AppError {
    AppError::invalid("file", message)
}

/// Which of `columns` each header cell is; an unknown title is an error.
fn header(
    cells: &[String],
    columns: &[(&str, bool, &[&str])],
    source: &str,
) -> Result<Vec<Option<usize>>> {
    let mut at: Vec<Option<usize>> = vec![None; columns.len()];
    for (i, cell) in cells.iter().enumerate() {
        let t = cell.trim();
        if t.is_empty() {
            continue;
        }
        let key = search_key(t).replace('_', " ");
        let found = columns
            .iter()
            .position(|(_, _, titles)| titles.iter().any(|x| x.replace('_', " ") == key));
        match found {
            Some(c) => at[c] = Some(i),
            None => {
                return Err(bad(format!(
                    "{source}, dòng 1: cột \"{t}\" không được hỗ trợ (các cột: {}).",
                    names(columns)
                )))
            }
        }
    }
    for (c, (name, required, _)) in columns.iter().enumerate() {
        if *required && at[c].is_none() {
            return Err(bad(format!(
                "{source}, dòng 1: thiếu cột \"{name}\" (các cột: {}).",
                names(columns)
            )));
        }
    }
    Ok(at)
}

fn names(columns: &[(&str, bool, &[&str])]) -> String {
    columns
        .iter()
        .map(|(n, _, _)| *n)
        .collect::<Vec<_>>()
        .join(", ")
}

/// True when a header row names the units' columns (its `name` and `parent`).
fn is_units(cells: &[String]) -> bool {
    let keys: Vec<String> = cells.iter().map(|c| search_key(c)).collect();
    let has = |titles: &[&str]| keys.iter().any(|k| titles.contains(&k.as_str()));
    has(UNIT_COLUMNS[1].2) && has(UNIT_COLUMNS[4].2)
}

fn is_mergers(cells: &[String]) -> bool {
    let keys: Vec<String> = cells.iter().map(|c| search_key(c)).collect();
    let has = |titles: &[&str]| keys.iter().any(|k| titles.contains(&k.as_str()));
    has(MERGER_COLUMNS[0].2) && has(MERGER_COLUMNS[1].2)
}

fn cell(row: &[String], at: Option<usize>) -> String {
    at.and_then(|i| row.get(i))
        .map_or_else(String::new, |s| s.trim().to_string())
}

/// Reads the register file `name` (`.csv` or `.xlsx`).
pub fn read(name: &str, bytes: &[u8]) -> Result<UpdateFile> {
    let lower = name.to_lowercase();
    if lower.ends_with(".xls") || lower.ends_with(".ods") {
        return Err(bad(
            "Tệp danh mục phải là .xlsx hoặc .csv: hãy lưu lại tệp dưới dạng .xlsx.",
        ));
    }
    // A UTF-8 CSV is parsed here, keeping the line each record starts on (a blank line or a
    // quoted line break does not shift the lines the errors name); anything else goes to the
    // spreadsheet reader (an .xlsx, a CSV saved in Windows-1258 or with semicolons).
    let sheets: Vec<(String, Grid)> = match std::str::from_utf8(bytes) {
        Ok(text) if !lower.ends_with(".xlsx") && !text.starts_with("PK") && by_commas(text) => {
            let grid = tinhgon_domain::csvtext::parse(text)
                .into_iter()
                .map(|r| {
                    (
                        r.line,
                        r.fields.iter().map(|f| f.trim().to_string()).collect(),
                    )
                })
                .collect();
            vec![(name.to_string(), grid)]
        }
        _ => {
            let book = read_sheet(bytes, Some(name)).map_err(|e| {
                bad(format!(
                    "Không đọc được tệp danh mục: {e}. Tệp phải là .xlsx hoặc .csv với các cột của danh mục đơn vị."
                ))
            })?;
            let csv = book.format == SheetFormat::Csv;
            book.sheets
                .into_iter()
                .map(|sh| {
                    let source = if csv {
                        name.to_string()
                    } else {
                        format!("trang \"{}\"", sh.name)
                    };
                    let grid = sh
                        .rows
                        .into_iter()
                        .enumerate()
                        .map(|(i, r)| (i + 1, r))
                        .collect();
                    (source, grid)
                })
                .collect()
        }
    };
    let csv = !lower.ends_with(".xlsx") && sheets.len() == 1 && sheets[0].0 == name;
    let mut out = UpdateFile::default();
    for (source, grid) in sheets {
        let Some((_, head)) = grid.first() else {
            continue;
        };
        if is_units(head) && out.units.is_empty() {
            let at = header(head, &UNIT_COLUMNS, &source)?;
            out.source = source;
            out.units = rows(&grid, |line, r| UnitRow {
                line,
                code: cell(r, at[0]),
                name: cell(r, at[1]),
                level: cell(r, at[2]),
                kind: cell(r, at[3]),
                parent: cell(r, at[4]),
                effective_from: cell(r, at[5]),
            });
        } else if is_mergers(head) && out.mergers.is_empty() {
            let at = header(head, &MERGER_COLUMNS, &source)?;
            out.mergers_source = source;
            out.mergers = rows(&grid, |line, r| MergerRow {
                line,
                successor: cell(r, at[0]),
                predecessor: cell(r, at[1]),
                effective_from: cell(r, at[2]),
                source: cell(r, at[3]),
                decision: cell(r, at[4]),
            });
        } else if csv {
            // A CSV file has one table: it must be the units'.
            header(head, &UNIT_COLUMNS, &source)?;
        }
    }
    if out.units.is_empty() {
        return Err(bad(format!(
            "Tệp không có danh sách đơn vị: cần một trang có dòng tiêu đề với các cột {}.",
            names(&UNIT_COLUMNS)
        )));
    }
    Ok(out)
}

/// True when the first line is separated by commas rather than semicolons or tabs.
fn by_commas(text: &str) -> bool {
    let first = text.lines().next().unwrap_or_default();
    let n = |c: char| first.matches(c).count();
    n(',') >= n(';') && n(',') >= n('\t')
}

/// The non-empty rows under the header, each with its line in the file.
fn rows<T>(grid: &[(usize, Vec<String>)], make: impl Fn(usize, &[String]) -> T) -> Vec<T> {
    grid.iter()
        .skip(1)
        .filter(|(_, r)| r.iter().any(|c| !c.trim().is_empty()))
        .map(|(line, r)| make(*line, r))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_csv_with_the_first_import_columns_is_read_with_its_lines() {
        let text = "code,name,level,kind,parent,effective_from\n40,Tỉnh Nghệ An,province,tinh,,\n\n,Sở Nội vụ,department,so,Tỉnh Nghệ An,2025-03-01\n";
        let f = read("units.csv", text.as_bytes()).unwrap();
        assert_eq!(f.units.len(), 2);
        assert_eq!(f.units[1].line, 4);
        assert_eq!(f.units[1].effective_from, "2025-03-01");
        assert_eq!(f.source, "units.csv");
    }

    #[test]
    fn vietnamese_titles_are_accepted_and_unknown_ones_refused() {
        let text = "Mã,Tên đơn vị,Cấp,Loại,Đơn vị cha\n40,Tỉnh Nghệ An,province,tinh,\n";
        assert_eq!(read("dm.csv", text.as_bytes()).unwrap().units.len(), 1);
        let text = "Mã;Tên đơn vị;Cấp;Loại;Đơn vị cha\n40;Tỉnh Nghệ An;province;tinh;\n";
        assert_eq!(read("dm.csv", text.as_bytes()).unwrap().units[0].code, "40");
        let text = "name,level,kind,parent,ghi chu\nA,province,tinh,,x\n";
        let e = read("dm.csv", text.as_bytes()).unwrap_err().to_string();
        assert!(e.contains("cột \"ghi chu\" không được hỗ trợ"), "{e}");
        let text = "alias,canonical_name\nA,B\n";
        let e = read("dm.csv", text.as_bytes()).unwrap_err().to_string();
        assert!(e.contains("không được hỗ trợ"), "{e}");
    }

    #[test]
    fn a_damaged_xlsx_is_refused_in_vietnamese() {
        let mut bytes = b"PK\x03\x04".to_vec();
        bytes.extend_from_slice(&[0u8; 64]);
        let e = read("danh-muc.xlsx", &bytes).unwrap_err().to_string();
        assert!(e.starts_with("Không đọc được tệp danh mục"), "{e}");
    }
}
