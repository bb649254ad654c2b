//! Test-only access to the real Nghệ An register copied into `data/nghe-an-2025/`
//! (compiled in with `include_str!`: the crate itself does no I/O).

use crate::import::{build_register, AliasRow, MergerRow, Register, UnitRow};

/// units.csv of the Nghệ An register.
pub const UNITS_CSV: &str = include_str!("../../../data/nghe-an-2025/units.csv");
/// mergers.csv of the Nghệ An register.
pub const MERGERS_CSV: &str = include_str!("../../../data/nghe-an-2025/mergers.csv");
/// aliases.csv of the Nghệ An register.
pub const ALIASES_CSV: &str = include_str!("../../../data/nghe-an-2025/aliases.csv");

/// A tiny CSV reader (quoted fields, doubled quotes; no multi-line fields): (line, fields)
/// for each data row, the header being line 1.
pub fn csv_rows(text: &str) -> Vec<(usize, Vec<String>)> {
    text.lines()
        .enumerate()
        .skip(1)
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| (i + 1, split_line(l)))
        .collect()
}

fn split_line(line: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                chars.next();
                out.last_mut().unwrap().push('"');
            }
            ('"', _) => quoted = !quoted,
            (',', false) => out.push(String::new()),
            (c, _) => out.last_mut().unwrap().push(c),
        }
    }
    out
}

fn field(f: &[String], i: usize) -> String {
    f.get(i).cloned().unwrap_or_default()
}

/// Unit rows of a units.csv text.
pub fn unit_rows(text: &str) -> Vec<UnitRow> {
    csv_rows(text)
        .into_iter()
        .map(|(line, f)| UnitRow {
            line,
            code: field(&f, 0),
            name: field(&f, 1),
            level: field(&f, 2),
            kind: field(&f, 3),
            parent: field(&f, 4),
            effective_from: field(&f, 5),
        })
        .collect()
}

/// Merger rows of a mergers.csv text.
pub fn merger_rows(text: &str) -> Vec<MergerRow> {
    csv_rows(text)
        .into_iter()
        .map(|(line, f)| MergerRow {
            line,
            successor: field(&f, 0),
            predecessor: field(&f, 1),
            effective_from: field(&f, 2),
            source: field(&f, 3),
        })
        .collect()
}

/// Alias rows of an aliases.csv text.
pub fn alias_rows(text: &str) -> Vec<AliasRow> {
    csv_rows(text)
        .into_iter()
        .map(|(line, f)| AliasRow {
            line,
            alias: field(&f, 0),
            canonical_name: field(&f, 1),
        })
        .collect()
}

/// The Nghệ An register, built.
pub fn nghe_an() -> Register {
    build_register(
        &unit_rows(UNITS_CSV),
        &merger_rows(MERGERS_CSV),
        &alias_rows(ALIASES_CSV),
    )
    .expect("the Nghệ An register is valid")
}
