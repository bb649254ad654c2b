//! Markdown pipe tables as page converters leave them when a cell holds line breaks: a row
//! is cut over several lines at its cell breaks, rows are separated by runs of empty cells
//! ("| ||", "| |||||||"), the row-number column is often empty and a cell merged with the
//! one above simply disappears. A line that is a whole row (as many cells as the header)
//! keeps its cells in place; the others are read as one stream of cells, a run of empty
//! cells ending a row. A row shorter than the header keeps its deadline cell in the
//! deadline column: the cells before it fill the columns from the content on, the cells
//! after it the columns after the deadline.

use once_cell::sync::Lazy;
use regex::Regex;
use tinhgon_ingest::{Cell, Row, Table};

use crate::deadline_entry::looks_like_deadline;
use crate::paragraphs::Raw;
use crate::tasks::table::{column_of, Column};

static FOOTNOTE_MARK: Lazy<Regex> =
    Lazy::new(|| Regex::new(r"\s*\[\d{1,2}\]").expect("static regex"));

/// The cells of one line, without the outer pipes; whether it opened and closed on a pipe.
fn split(line: &str) -> (Vec<String>, bool, bool) {
    let t = line.trim();
    let opens = t.starts_with('|');
    let closes = t.ends_with('|');
    let mut inner = t;
    if opens {
        inner = &inner[1..];
    }
    if closes && !inner.is_empty() {
        inner = &inner[..inner.len() - 1];
    }
    let cells = inner
        .split('|')
        .map(|c| FOOTNOTE_MARK.replace_all(c.trim(), "").trim().to_string())
        .collect();
    (cells, opens, closes)
}

fn is_separator(line: &str) -> bool {
    let t = line.trim();
    t.starts_with('|') && t.contains('-') && t.chars().all(|c| matches!(c, '|' | '-' | ':' | ' '))
}

fn is_row_number(s: &str) -> bool {
    let t = s.trim().trim_end_matches(['.', ')']);
    !t.is_empty() && t.len() <= 3 && t.chars().all(|c| c.is_ascii_digit())
}

fn is_section(s: &str) -> bool {
    let head = s.split_whitespace().next().unwrap_or("");
    let head = head.trim_end_matches(['.', ')']);
    !head.is_empty()
        && head.len() <= 5
        && head
            .chars()
            .all(|c| matches!(c, 'I' | 'V' | 'X' | 'L' | 'C'))
}

fn cell(text: &str, line: usize, span: u32) -> Cell {
    Cell {
        paragraphs: if text.is_empty() {
            Vec::new()
        } else {
            vec![text.to_string()]
        },
        span,
        merged_above: false,
        line,
    }
}

/// The header at `raws[i]`: its columns (kinds of the non-empty header cells, with their
/// positions in the line) when it is a task table.
fn header(text: &str) -> Option<Vec<(usize, Option<Column>, String)>> {
    let t = text.trim();
    if !t.starts_with('|') {
        return None;
    }
    let (cells, _, _) = split(t);
    let cols: Vec<(usize, Option<Column>, String)> = cells
        .iter()
        .enumerate()
        .filter(|(_, c)| !c.is_empty())
        .map(|(k, c)| (k, column_of(c), c.clone()))
        .collect();
    let has = |k: Column| cols.iter().any(|(_, c, _)| *c == Some(k));
    (cols.len() >= 3 && has(Column::Content) && (has(Column::Lead) || has(Column::Deadline)))
        .then_some(cols)
}

/// Lays a row's non-empty cells out in the header's columns.
fn place(cols: &[(usize, Option<Column>, String)], values: Vec<(String, usize)>) -> Vec<Cell> {
    let n = cols.len();
    let line = values.first().map_or(0, |v| v.1);
    let mut out: Vec<Cell> = (0..n).map(|_| cell("", line, 1)).collect();
    let number_at = cols.iter().position(|c| c.1 == Some(Column::Number));
    let mut values = values;
    if let Some(k) = number_at {
        if values.first().is_some_and(|v| is_row_number(&v.0)) {
            let v = values.remove(0);
            out[k] = cell(&v.0, v.1, 1);
        }
    }
    let free: Vec<usize> = (0..n).filter(|k| Some(*k) != number_at).collect();
    if values.len() > free.len() {
        // Surplus cells continue the last column (a cell cut by a stray pipe).
        let tail = values.split_off(free.len());
        if let Some(last) = values.last_mut() {
            for (t, _) in tail {
                last.0.push(' ');
                last.0.push_str(&t);
            }
        }
    }
    let deadline_at = free
        .iter()
        .position(|k| cols[*k].1 == Some(Column::Deadline));
    // The first cell that can stand in the deadline column and reads as a deadline: a
    // stated date or period first, a deadline word only when no cell states one.
    let anchor = match deadline_at {
        Some(d) if values.len() < free.len() => {
            let fits = |k: &usize| *k <= d && values.len() - *k <= free.len() - d;
            let candidates: Vec<usize> = (1..values.len()).filter(fits).collect();
            candidates
                .iter()
                .copied()
                .find(|k| {
                    crate::deadline_entry::parse(&values[*k].0, None)
                        .deadline
                        .kind
                        != tinhgon_domain::DeadlineKind::Unspecified
                })
                .or_else(|| {
                    candidates
                        .iter()
                        .copied()
                        .find(|k| looks_like_deadline(&values[*k].0))
                })
        }
        _ => None,
    };
    let mut slots: Vec<usize> = Vec::with_capacity(values.len());
    match (anchor, deadline_at) {
        (Some(a), Some(d)) => {
            slots.extend(free[..a].iter().copied());
            slots.extend(free[d..d + (values.len() - a)].iter().copied());
        }
        _ => slots.extend(free.iter().take(values.len()).copied()),
    }
    for ((text, line), k) in values.into_iter().zip(slots) {
        out[k] = cell(&text, line, 1);
    }
    out
}

/// Detects a pipe table whose header line is `raws[i]`; returns it and the index after it.
pub(crate) fn detect(raws: &[Raw], i: usize) -> Option<(Table, usize)> {
    let cols = header(&raws.get(i)?.text)?;
    let width = split(raws[i].text.trim()).0.len();
    let n = cols.len();
    let mut rows = vec![Row {
        cells: cols
            .iter()
            .map(|(_, _, name)| cell(name, raws[i].line, 1))
            .collect(),
        header: true,
    }];
    let mut stream: Vec<(String, usize)> = Vec::new();
    let flush = |stream: &mut Vec<(String, usize)>, rows: &mut Vec<Row>| {
        if stream.is_empty() {
            return;
        }
        let values = std::mem::take(stream);
        if values.len() == 1 && is_section(&values[0].0) {
            rows.push(Row {
                cells: vec![cell(&values[0].0, values[0].1, n as u32)],
                header: false,
            });
            return;
        }
        rows.push(Row {
            cells: place(&cols, values),
            header: false,
        });
    };
    let mut j = i + 1;
    // The last line left a cell open (it did not end on a pipe).
    let mut open = false;
    while j < raws.len() {
        let r = &raws[j];
        let t = r.text.trim();
        let piped = t.starts_with('|') || t.ends_with('|');
        if r.blank_before > 0 && !t.starts_with('|') {
            break;
        }
        if !piped && !open {
            break;
        }
        if is_separator(t) {
            j += 1;
            continue;
        }
        let (cells, opens, closes) = split(t);
        let numbered_or_empty = |c: &String| c.is_empty() || is_row_number(c) || is_section(c);
        let whole = opens
            && closes
            && cells.len() == width
            && cols
                .iter()
                .find(|c| c.1 == Some(Column::Number))
                .is_none_or(|c| cells.get(c.0).is_some_and(numbered_or_empty));
        if whole && stream.is_empty() {
            let values: Vec<Cell> = cols
                .iter()
                .map(|(k, _, _)| cell(cells.get(*k).map_or("", String::as_str), r.line, 1))
                .collect();
            let filled: Vec<&Cell> = values.iter().filter(|c| !c.paragraphs.is_empty()).collect();
            if filled.len() == 1 && is_section(&filled[0].text()) {
                let title = filled[0].text();
                rows.push(Row {
                    cells: vec![cell(&title, r.line, n as u32)],
                    header: false,
                });
            } else if !filled.is_empty() {
                rows.push(Row {
                    cells: values,
                    header: false,
                });
            }
            open = false;
            j += 1;
            continue;
        }
        for (k, c) in cells.into_iter().enumerate() {
            if k == 0 && !opens && open {
                // A line break inside a cell: the text continues it.
                if let Some(last) = stream.last_mut() {
                    if !c.is_empty() {
                        last.0.push(' ');
                        last.0.push_str(&c);
                    }
                    continue;
                }
            }
            if c.is_empty() {
                flush(&mut stream, &mut rows);
            } else {
                stream.push((c, r.line));
            }
        }
        open = !closes;
        j += 1;
    }
    flush(&mut stream, &mut rows);
    let body = rows
        .iter()
        .filter(|r| !r.header && r.cells.len() > 1)
        .count();
    (body >= 1).then(|| {
        (
            Table {
                rows,
                layout: false,
                line: raws[i].line,
            },
            j,
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::paragraphs::raws_from_lines;

    fn table(src: &str) -> Option<(Vec<Vec<String>>, usize)> {
        let lines: Vec<String> = src.lines().map(str::to_string).collect();
        let raws = raws_from_lines(&lines);
        detect(&raws, 0).map(|(t, next)| {
            (
                t.rows
                    .iter()
                    .map(|r| r.cells.iter().map(Cell::text).collect())
                    .collect(),
                next,
            )
        })
    }

    #[test]
    fn a_github_table_keeps_its_cells_in_place() {
        let (rows, next) = table(
            "| TT | Nội dung | Chủ trì | Phối hợp | Thời gian |\n|---|---|---|---|---|\n| 1 | Rà soát | Sở Nội vụ | | Quý IV/2025 |\n| 2 | Báo cáo | Sở Tài chính | Sở Nội vụ | 2026 |\n\nSau bảng.",
        )
        .unwrap();
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[1], ["1", "Rà soát", "Sở Nội vụ", "", "Quý IV/2025"]);
        assert_eq!(next, 4);
    }

    #[test]
    fn a_wrapped_table_is_rebuilt_from_its_cells() {
        let (rows, _) = table(
            "| TT | Tên văn bản | Cơ quan trình | Cơ quan soạn thảo | Cơ quan thẩm tra | Tiến độ | Hồ sơ | |\n|\n| I. Văn bản của Quốc hội |\n| |||||\n| | Luật A | Ủy ban G | Ban B\n| - Ủy ban C thẩm tra\n| Trình trước ngày 10/01/2025 | - Hồ sơ | |\n| Nghị quyết D | Ban E |\nBan E (F phối hợp) |\n| Trình trước ngày 10/02/2025 | - Hồ sơ | |",
        )
        .unwrap();
        assert_eq!(rows[1], ["I. Văn bản của Quốc hội"]);
        assert_eq!(
            rows[2],
            [
                "",
                "Luật A",
                "Ủy ban G",
                "Ban B",
                "- Ủy ban C thẩm tra",
                "Trình trước ngày 10/01/2025",
                "- Hồ sơ"
            ]
        );
        // The reviewing cell merged with the one above is missing: the deadline keeps its column.
        assert_eq!(
            rows[3],
            [
                "",
                "Nghị quyết D",
                "Ban E",
                "Ban E (F phối hợp)",
                "",
                "Trình trước ngày 10/02/2025",
                "- Hồ sơ"
            ]
        );
    }

    #[test]
    fn text_that_is_not_a_task_table_is_left_alone() {
        assert!(table("| Họ tên | Chức vụ |\n|---|---|\n| A | B |").is_none());
        assert!(table("Sở Nội vụ | Sở Tài chính").is_none());
    }

    /// Pieces that pipe tables of the genre are made of: pipes in every arrangement, header
    /// words, row numbers, section titles, agencies, deadlines, emphasis and stray text.
    const PIECES: &[&str] = &[
        "|",
        "||",
        "| |",
        "| ||",
        "|||||||",
        " ",
        "|---|",
        ":-:",
        "**",
        "*",
        "[1]",
        "TT",
        "STT",
        "Nội dung",
        "Tên văn bản",
        "Cơ quan chủ trì",
        "Phối hợp",
        "Cơ quan trình",
        "Cơ quan soạn thảo",
        "Thời gian",
        "Tiến độ",
        "Hồ sơ",
        "1",
        "2.",
        "I.",
        "II. Văn bản",
        "Sở Nội vụ",
        "Ban E (F phối hợp)",
        "trước ngày 10/01/2025",
        "Quý IV/2025",
        "Thường xuyên",
        "- Hồ sơ trình",
        "Rà soát",
        "\u{301}",
        "ỷ",
        "đ",
        "Ƕ",
        "(",
        ")",
    ];

    fn line() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        proptest::collection::vec(proptest::sample::select(PIECES), 0..10).prop_map(|p| p.concat())
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(
            std::env::var("PIPE_TABLE_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(256)
        ))]
        #[test]
        fn never_panics_on_any_lines(
            header in line(),
            lines in proptest::collection::vec(line(), 0..14),
            blanks in proptest::collection::vec(proptest::bool::ANY, 14),
        ) {
            let mut src = vec![
                "| TT | Nội dung | Cơ quan chủ trì | Thời gian |".to_string(),
                header,
            ];
            for (k, l) in lines.into_iter().enumerate() {
                if blanks.get(k).copied().unwrap_or(false) {
                    src.push(String::new());
                }
                src.push(l);
            }
            let raws = raws_from_lines(&src);
            for i in 0..raws.len() {
                if let Some((t, next)) = detect(&raws, i) {
                    proptest::prop_assert!(next > i && next <= raws.len());
                    proptest::prop_assert!(t.rows.len() >= 2);
                }
            }
            // The whole stream, as import builds it, never panics either.
            let _ = crate::paragraphs::unwrap_with_tables_for_test(raws);
        }
    }
}
