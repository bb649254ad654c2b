//! Tables as portal converters flatten them: each cell's lines between lines holding only
//! `|`, rows separated by two such lines, empty cells as further `|` lines, merged cells
//! simply missing. Empty cells and row ends look alike, so the row width learnt from the
//! first row and the row numbers in the first column decide between them.

use super::join::{self, Line, Mode};
use crate::{Cell, Row, Table};

/// A piece of the flattened table: a run of `|` lines or a cell's content lines.
#[derive(Debug)]
enum Piece {
    Pipes(usize),
    Content(std::ops::Range<usize>),
}

fn is_pipe(line: &str) -> bool {
    line.trim() == "|"
}

/// True for the first line of a cell that is a row number ("1", "2.", "II", "a)").
fn row_number(line: &str) -> bool {
    let t = super::inline::strip(line);
    let t = t.trim_end_matches(['.', ')']);
    (!t.is_empty() && t.len() <= 3 && t.chars().all(|c| c.is_ascii_digit()))
        || (!t.is_empty() && t.len() <= 5 && t.chars().all(|c| matches!(c, 'I' | 'V' | 'X')))
}

/// A line that never belongs to a table cell: the appendix title that follows the
/// signature block on the same run of lines.
fn ends_table(line: &str) -> bool {
    let t = super::inline::strip(line);
    t.starts_with("PHỤ LỤC") || t == "KẾ HOẠCH" || t == "QUYẾT ĐỊNH"
}

/// Reads the table starting at the `|` line `start`; stops at a blank line, at `end`, or
/// where a content run cannot be a cell. Returns the table and the first line after it.
pub(crate) fn parse(lines: &[String], start: usize, end: usize) -> (Table, usize) {
    let mut pieces = Vec::new();
    let mut i = start;
    while i < end && !lines[i].trim().is_empty() {
        if is_pipe(&lines[i]) {
            let s = i;
            while i < end && is_pipe(&lines[i]) {
                i += 1;
            }
            pieces.push(Piece::Pipes(i - s));
        } else {
            if ends_table(&lines[i]) {
                break;
            }
            let s = i;
            while i < end && !is_pipe(&lines[i]) && !lines[i].trim().is_empty() {
                i += 1;
            }
            pieces.push(Piece::Content(s..i));
        }
    }
    let (mut rows, consumed_to) = rows(lines, &pieces);
    fill_merged(&mut rows);
    let next = consumed_to.unwrap_or(i);
    let width = rows.iter().map(|r| r.cells.len()).max().unwrap_or(0);
    let table = Table {
        // The state header (issuer | motto) and the signature block (Nơi nhận | signer)
        // are two-column layout tables, as in the .docx renderings.
        layout: width <= 2,
        line: start,
        rows,
    };
    (table, next)
}

fn cell(lines: &[String], range: std::ops::Range<usize>) -> Cell {
    let ls: Vec<Line<'_>> = range
        .clone()
        .map(|index| Line {
            index,
            raw: lines[index].as_str(),
        })
        .collect();
    Cell {
        paragraphs: join::join(&ls, Mode::Cell)
            .into_iter()
            .map(|j| j.text)
            .collect(),
        span: 1,
        merged_above: false,
        line: range.start,
    }
}

fn empty(line: usize) -> Cell {
    Cell {
        paragraphs: Vec::new(),
        span: 1,
        merged_above: false,
        line,
    }
}

/// Lays the pieces out in rows. Returns the rows and, when the table ended before the
/// pieces did, the line where the rest begins.
fn rows(lines: &[String], pieces: &[Piece]) -> (Vec<Row>, Option<usize>) {
    let mut rows: Vec<Row> = Vec::new();
    let mut row: Vec<Cell> = Vec::new();
    let mut width: Option<usize> = None;
    let mut numbered = false;
    // Pipes seen since the last content (the opening pipe of the table counts as one).
    let mut pipes = 0usize;
    let mut last_line = 0;
    for (k, p) in pieces.iter().enumerate() {
        match p {
            Piece::Pipes(n) => pipes += n,
            Piece::Content(r) => {
                let at = r.start;
                if row.is_empty() && rows.is_empty() {
                    // Leading pipes: one opens the table, the others are empty cells.
                    for _ in 1..pipes {
                        row.push(empty(at));
                    }
                } else {
                    let slots = pipes.saturating_sub(1);
                    let w = width.unwrap_or(usize::MAX);
                    let following = contents_until_row_end(&pieces[k..]);
                    let boundary = if width.is_none() {
                        if slots == 0 && is_signature_row(&row) {
                            // "Nơi nhận | signer" is all of the signature block and
                            // "Kính gửi | addressees" all of the address: what follows
                            // their closing pipe is text.
                            return (finish(rows, row), Some(r.start));
                        }
                        slots >= 1
                    } else if slots == 0 {
                        if row.len() >= w {
                            // A full row followed by one pipe and more text: the table ended.
                            return (finish(rows, row), Some(r.start));
                        }
                        false
                    } else {
                        let in_row = row.len() + slots + following <= w
                            && !(numbered && row_number(&lines[r.start]));
                        !in_row
                    };
                    if boundary {
                        let fill = match width {
                            Some(w) => w.saturating_sub(row.len()).min(slots - 1),
                            None => 0,
                        };
                        for _ in 0..fill {
                            row.push(empty(last_line));
                        }
                        if width.is_none() {
                            width = Some(row.len());
                            numbered = row.first().is_some_and(|c| is_number_header(&c.paragraphs));
                        }
                        rows.push(Row {
                            cells: std::mem::take(&mut row),
                            header: rows.is_empty(),
                        });
                        for _ in fill..slots - 1 {
                            row.push(empty(at));
                        }
                    } else {
                        for _ in 0..slots {
                            row.push(empty(at));
                        }
                    }
                }
                row.push(cell(lines, r.clone()));
                last_line = r.end.saturating_sub(1);
                pipes = 0;
            }
        }
    }
    (finish(rows, row), None)
}

fn is_signature_row(row: &[Cell]) -> bool {
    let opens = |c: &Cell| {
        c.paragraphs.first().is_some_and(|p| {
            let f = tinhgon_textkit::fold(p);
            f.starts_with("noi nhan") || f.starts_with("kinh gui")
        })
    };
    // Empty cells (a stray "** **") may come first.
    row.iter()
        .position(opens)
        .is_some_and(|k| row.len() >= k + 2)
}

/// A numbered row shorter than the table lost its last cells to vertical merges (the
/// converter drops a merged cell's continuation): they continue the cells above.
fn fill_merged(rows: &mut [Row]) {
    let width = rows.first().map_or(0, |r| r.cells.len());
    for r in rows.iter_mut().skip(1) {
        let numbered = r
            .cells
            .first()
            .is_some_and(|c| c.paragraphs.len() == 1 && row_number(&c.paragraphs[0]));
        if numbered && r.cells.len() < width && r.cells.len() >= 2 {
            let line = r.cells.last().map_or(0, |c| c.line);
            while r.cells.len() < width {
                r.cells.push(Cell {
                    paragraphs: Vec::new(),
                    span: 1,
                    merged_above: true,
                    line,
                });
            }
        }
    }
}

fn is_number_header(paragraphs: &[String]) -> bool {
    let t = paragraphs.join(" ");
    let f = tinhgon_textkit::fold(&t);
    matches!(
        f.trim_end_matches('.'),
        "tt" | "stt" | "so tt" | "so thu tu"
    )
}

/// Content pieces from `pieces[0]` (a content) up to the next run of two or more pipes.
fn contents_until_row_end(pieces: &[Piece]) -> usize {
    let mut n = 0;
    for p in pieces {
        match p {
            Piece::Content(_) => n += 1,
            Piece::Pipes(k) if *k >= 2 => break,
            Piece::Pipes(_) => {}
        }
    }
    n
}

fn finish(mut rows: Vec<Row>, row: Vec<Cell>) -> Vec<Row> {
    if !row.is_empty() {
        let header = rows.is_empty();
        rows.push(Row { cells: row, header });
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(t: &Table) -> Vec<Vec<String>> {
        t.rows
            .iter()
            .map(|r| r.cells.iter().map(Cell::text).collect())
            .collect()
    }

    fn table(src: &str) -> (Table, usize) {
        let lines: Vec<String> = src.lines().map(str::to_string).collect();
        parse(&lines, 0, lines.len())
    }

    #[test]
    fn rows_section_rows_and_empty_cells() {
        let src = "|\n**TT**\n|\n**Nội dung**\n|\n**Chủ trì**\n|\n|\n|\n**I. Kinh\ntế số**\n|\n|\n|\n1\n|\nKinh tế số chiếm\n45% GRDP.\n|\nSở Tài chính\n|\n|\n2\n|\nBáo cáo\n|\n|\n|\n3\n|\nTổng hợp\n|\nSở Nội vụ\n|";
        let (t, next) = table(src);
        assert_eq!(
            texts(&t),
            [
                vec!["TT", "Nội dung", "Chủ trì"],
                vec!["", "I. Kinh tế số", ""],
                vec!["1", "Kinh tế số chiếm 45% GRDP.", "Sở Tài chính"],
                vec!["2", "Báo cáo", ""],
                vec!["3", "Tổng hợp", "Sở Nội vụ"],
            ]
        );
        assert!(!t.layout);
        assert_eq!(next, src.lines().count());
    }

    #[test]
    fn a_full_row_then_one_pipe_and_text_ends_the_table() {
        let src = "|\nNơi nhận:\n- Như trên;\n|\n**KT. TRƯỞNG BAN**\nPhạm Văn A\n|\n**PHỤ LỤC**\nDANH MỤC\n|\n**TT**\n|";
        let (t, next) = table(src);
        assert_eq!(t.rows.len(), 1);
        assert!(t.layout);
        assert_eq!(next, 7);
        let src = "|\nNơi nhận:\n|\nKT. BỘ TRƯỞNG\n|\nLỊCH PHỔ BIẾN\n|\nSTT\n|";
        let (t, next) = table(src);
        assert_eq!((t.rows.len(), next), (1, 5));
    }

    #[test]
    fn a_missing_cell_in_mid_row_stays_in_the_row() {
        let src = "|\nTT\n|\nNội dung\n|\nChủ trì\n|\nPhối hợp\n|\n|\n1\n|\nRà soát\n|\n|\nSở Tài chính\n|";
        let (t, _) = table(src);
        assert_eq!(texts(&t)[1], ["1", "Rà soát", "", "Sở Tài chính"]);
        let src = "|\nTT\n|\nNội dung\n|\nChủ trì\n|\n|\n1\n|\nRà soát\n|\nSở Nội vụ\n|\n|\n2\n|\nBáo cáo\n|";
        let (t, _) = table(src);
        assert!(t.rows[2].cells[2].merged_above);
    }
}
