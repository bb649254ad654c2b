//! Task tables that reached us flattened, one cell per line (text copied out of a PDF or a
//! web page): the header run is recognised ("TT / Nội dung / Cơ quan chủ trì …"), rows
//! start at a line holding only the row number, and a row with a missing cell keeps its
//! cells in their columns (the last cell goes to the deadline column when it reads as one).

use once_cell::sync::Lazy;
use regex::Regex;
use tinhgon_ingest::{Cell, Row, Table};
use tinhgon_textkit::fold;

use crate::deadline_entry::looks_like_deadline;
use crate::paragraphs::{is_caps, Raw};
use crate::tasks::table::{column_of, Column};

static ROW_NO: Lazy<Regex> = Lazy::new(|| Regex::new(r"^\d{1,3}\.?$").expect("static regex"));
static GROUP_NO: Lazy<Regex> =
    Lazy::new(|| Regex::new(r"^(?:[IVXLC]{1,5}|[A-D])\.?$").expect("static regex"));
static COL_NO: Lazy<Regex> = Lazy::new(|| Regex::new(r"^\(\d{1,2}\)$").expect("static regex"));

fn is_tt(s: &str) -> bool {
    if s.len() > 16 {
        return false;
    }
    matches!(
        fold(s).trim_end_matches('.'),
        "tt" | "stt" | "so tt" | "t.t" | "so thu tu"
    )
}

/// Header columns starting at `i` (the TT line), and the index after them.
fn header_at(raws: &[Raw], i: usize) -> Option<(Vec<Column>, Vec<String>, usize)> {
    if !is_tt(&raws.get(i)?.text) {
        return None;
    }
    let mut cols = Vec::new();
    let mut names = Vec::new();
    let mut j = i + 1;
    while j < raws.len() && cols.len() < 8 {
        let t = &raws[j].text;
        if t.chars().count() > 60 {
            break;
        }
        match column_of(t) {
            Some(c) if c != Column::Number => {
                cols.push(c);
                names.push(t.clone());
                j += 1;
            }
            _ => break,
        }
    }
    let has_content = cols.contains(&Column::Content);
    let has_other = cols
        .iter()
        .any(|c| matches!(c, Column::Lead | Column::Deadline | Column::Coordinating));
    (cols.len() >= 2 && has_content && has_other).then_some((cols, names, j))
}

fn cell(paragraphs: Vec<String>, line: usize, span: u32) -> Cell {
    Cell {
        paragraphs,
        span,
        merged_above: false,
        line,
    }
}

/// Groups a row's value lines into cells: a line ending in ";" or "," continues its cell,
/// as does a dashed item after a dashed item and a lowercase line after an unfinished one.
fn group_cells(lines: &[&Raw]) -> Vec<(Vec<String>, usize)> {
    let mut cells: Vec<(Vec<String>, usize)> = Vec::new();
    for r in lines {
        let t = r.text.trim();
        let join = cells
            .last()
            .and_then(|(ps, _)| ps.last())
            .is_some_and(|prev| {
                let p = prev.trim_end();
                p.ends_with([';', ',', '-'])
                    || (p.starts_with('-') && t.starts_with('-'))
                    || (!p.ends_with(['.', ':', '!', '?', ')'])
                        && t.starts_with(|c: char| c.is_lowercase()))
            });
        match cells.last_mut() {
            Some((ps, _)) if join => ps.push(t.to_string()),
            _ => cells.push((vec![t.to_string()], r.line)),
        }
    }
    cells
}

/// Puts a row's cells into columns (content first; a short row's last cell goes to the
/// deadline column when it reads as a deadline; a long row's surplus joins the content).
fn place(
    cols: &[Column],
    mut values: Vec<(Vec<String>, usize)>,
) -> Vec<Option<(Vec<String>, usize)>> {
    let n = cols.len();
    let mut out: Vec<Option<(Vec<String>, usize)>> = vec![None; n];
    if values.is_empty() {
        return out;
    }
    let content_at = cols.iter().position(|c| *c == Column::Content).unwrap_or(0);
    while values.len() > n && values.len() > 1 {
        let (extra, _) = values.remove(1);
        values[0].0.extend(extra);
    }
    if values.len() == n {
        for (k, v) in values.into_iter().enumerate() {
            out[k] = Some(v);
        }
        return out;
    }
    let deadline_at = cols.iter().position(|c| *c == Column::Deadline);
    let mut rest: Vec<(Vec<String>, usize)> = values.split_off(1);
    out[content_at] = values.pop();
    if let (Some(d), Some(last)) = (deadline_at, rest.last()) {
        if looks_like_deadline(&last.0.join(" ")) {
            out[d] = rest.pop();
        }
    }
    let taken: Vec<bool> = out.iter().map(Option::is_some).collect();
    let mut free = (0..n).filter(|k| *k != content_at && !taken[*k] && Some(*k) != deadline_at);
    let mut spill = Vec::new();
    for v in rest {
        match free.next() {
            Some(k) => out[k] = Some(v),
            None => spill.push(v),
        }
    }
    for v in spill {
        if let Some(d) = deadline_at.filter(|d| out[*d].is_none()) {
            out[d] = Some(v);
        }
    }
    out
}

/// Detects a flattened table whose header starts at `i`; returns it and the index after it.
pub(crate) fn detect(raws: &[Raw], i: usize) -> Option<(Table, usize)> {
    let (cols, names, mut j) = header_at(raws, i)?;
    let n = cols.len();
    let mut rows = vec![Row {
        cells: std::iter::once(cell(vec![raws[i].text.clone()], raws[i].line, 1))
            .chain(
                names
                    .iter()
                    .enumerate()
                    .map(|(k, s)| cell(vec![s.clone()], raws[i + 1 + k].line, 1)),
            )
            .collect(),
        header: true,
    }];
    // Column-number row "(1) (2) …".
    while j < raws.len() && COL_NO.is_match(raws[j].text.trim()) {
        j += 1;
    }
    let mut task_rows = 0;
    while j < raws.len() {
        let r = &raws[j];
        let t = r.text.trim();
        if header_at(raws, j).is_some() {
            // A header repeated after a page break.
            j = header_at(raws, j).map_or(j + 1, |(_, _, e)| e);
            continue;
        }
        if COL_NO.is_match(t) {
            j += 1;
            continue;
        }
        let is_row = ROW_NO.is_match(t);
        let is_group = GROUP_NO.is_match(t);
        if !is_row && !is_group {
            break;
        }
        let start_line = r.line;
        j += 1;
        let mut values: Vec<&Raw> = Vec::new();
        while j < raws.len() {
            let v = &raws[j];
            let vt = v.text.trim();
            if ROW_NO.is_match(vt) || GROUP_NO.is_match(vt) || header_at(raws, j).is_some() {
                break;
            }
            if is_caps(vt) && !looks_like_deadline(vt) && values.len() >= n.min(2) {
                break;
            }
            let have = group_cells(&values).len();
            if (v.blank_before >= 1 && have >= n) || have > n + 2 {
                break;
            }
            values.push(v);
            j += 1;
        }
        if is_group {
            let title = values
                .iter()
                .map(|v| v.text.trim())
                .collect::<Vec<_>>()
                .join(" ");
            rows.push(Row {
                cells: vec![cell(
                    vec![format!("{t} {title}")],
                    start_line,
                    (n + 1) as u32,
                )],
                header: false,
            });
            continue;
        }
        task_rows += 1;
        let placed = place(&cols, group_cells(&values));
        let mut cells = vec![cell(vec![t.to_string()], start_line, 1)];
        for p in placed {
            cells.push(match p {
                Some((ps, line)) => cell(ps, line, 1),
                None => cell(Vec::new(), start_line, 1),
            });
        }
        rows.push(Row {
            cells,
            header: false,
        });
    }
    if task_rows == 0 {
        return None;
    }
    let line = raws[i].line;
    Some((
        Table {
            rows,
            layout: false,
            line,
        },
        j,
    ))
}
