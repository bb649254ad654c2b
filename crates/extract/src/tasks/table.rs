//! Layout (a): the appendix task table ("PHỤ LỤC … TT / Nội dung / Cơ quan chủ trì / Cơ quan
//! phối hợp / Thời gian thực hiện"), real or rebuilt from flattened text. Columns are found
//! from the folded header words; repeated header rows, the "(1) (2) (3)" row and empty rows
//! are skipped; a row spanning the table is a group heading.

use tinhgon_domain::draft::SourceSpan;
use tinhgon_domain::TaskDraft;
use tinhgon_ingest::Table;
use tinhgon_textkit::fold;

use super::Ctx;
use crate::agency::{collapse_spaces, parse_list, push_unique, trim_to_name};
use crate::deliverable;

/// What a table column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    /// TT / STT.
    Number,
    /// Nội dung / nhiệm vụ.
    Content,
    /// Cơ quan chủ trì.
    Lead,
    /// Cơ quan phối hợp.
    Coordinating,
    /// Thời gian / thời hạn / tiến độ.
    Deadline,
    /// Sản phẩm / kết quả.
    Deliverable,
    /// Ghi chú and anything else.
    Note,
}

/// Classifies a header cell by its folded words.
pub(crate) fn column_of(header: &str) -> Option<Column> {
    let f = fold(header);
    let f = f.trim().trim_end_matches(['.', ':']);
    if f.is_empty() {
        return None;
    }
    if matches!(f, "tt" | "stt" | "so tt" | "t.t" | "so thu tu") {
        return Some(Column::Number);
    }
    // A column of who proposed the row ("Tỉnh kiến nghị") says nothing about the task.
    if f.contains("ghi chu") || f.starts_with("tinh ") || f.starts_with("dia phuong") {
        return Some(Column::Note);
    }
    if f.contains("phoi hop") {
        return Some(Column::Coordinating);
    }
    if f.contains("chu tri") {
        return Some(Column::Lead);
    }
    if f.contains("thoi gian")
        || f.contains("thoi han")
        || f.contains("tien do")
        || f.contains("moc ")
    {
        return Some(Column::Deadline);
    }
    if f.contains("san pham") || f.contains("ket qua") || f.contains("hinh thuc van ban") {
        return Some(Column::Deliverable);
    }
    if f.contains("noi dung")
        || f.contains("nhiem vu")
        || f.contains("cong viec")
        || f.starts_with("ten ")
        || f.starts_with("chi tieu")
        || f.contains("de xuat")
        || f.contains("kien nghi")
    {
        return Some(Column::Content);
    }
    if f.contains("thuc hien")
        || f.contains("trach nhiem")
        || f.contains("don vi")
        || f.contains("co quan")
        || f.contains("phu trach")
        || f.contains("xu ly")
    {
        return Some(Column::Lead);
    }
    None
}

/// Grid columns of a row's cells (a cell spanning n columns starts at the running sum).
fn grid(row: &tinhgon_ingest::Row) -> Vec<(usize, &tinhgon_ingest::Cell)> {
    let mut at = 0;
    row.cells
        .iter()
        .map(|c| {
            let here = at;
            at += c.span.max(1) as usize;
            (here, c)
        })
        .collect()
}

/// The header row's column map, if the table is a task table.
fn header_map(table: &Table) -> Option<(usize, Vec<(usize, Column)>)> {
    for (ri, row) in table.rows.iter().enumerate().take(4) {
        let mut map: Vec<(usize, Column)> = grid(row)
            .into_iter()
            .filter_map(|(g, c)| column_of(&c.text()).map(|col| (g, col)))
            .collect();
        one_lead_column(row, &mut map);
        let has = |c: Column| map.iter().any(|(_, m)| *m == c);
        if has(Column::Content) && (has(Column::Lead) || has(Column::Deadline)) {
            return Some(with_subheader(table, ri, map));
        }
    }
    None
}

/// Of several body columns the lead is the one that leads the work: "chủ trì" first, then
/// the drafting or implementing body; the body that submits ("Cơ quan trình"), the one that
/// reviews ("thẩm tra", "thẩm định") and the person answerable ("Người đứng đầu chịu trách
/// nhiệm") are notes.
fn one_lead_column(row: &tinhgon_ingest::Row, map: &mut [(usize, Column)]) {
    let rank = |g: usize| -> u8 {
        let text = grid(row)
            .into_iter()
            .find(|(cg, _)| *cg == g)
            .map(|(_, c)| fold(&c.text()))
            .unwrap_or_default();
        if text.contains("chu tri") {
            0
        } else if text.contains("nguoi dung dau")
            || text.contains("tham tra")
            || text.contains("tham dinh")
            || text
                .split(|c: char| !c.is_alphanumeric())
                .any(|w| w == "trinh")
        {
            3
        } else if text.contains("soan thao") || text.contains("thuc hien") {
            1
        } else {
            2
        }
    };
    let leads: Vec<(usize, u8)> = map
        .iter()
        .filter(|(_, c)| *c == Column::Lead)
        .map(|(g, _)| (*g, rank(*g)))
        .collect();
    if leads.len() < 2 {
        return;
    }
    let best = leads.iter().min_by_key(|(g, r)| (*r, *g)).map(|(g, _)| *g);
    for (g, c) in map.iter_mut() {
        if *c == Column::Lead && Some(*g) != best {
            *c = Column::Note;
        }
    }
}

/// A two-row header ("Cơ quan thực hiện" over "Chủ trì | Phối hợp"): the second row's
/// columns refine the first; returns the last header row and the merged map.
fn with_subheader(
    table: &Table,
    ri: usize,
    mut map: Vec<(usize, Column)>,
) -> (usize, Vec<(usize, Column)>) {
    let Some(next) = table.rows.get(ri + 1) else {
        return (ri, map);
    };
    let cells = grid(next);
    let nonempty: Vec<_> = cells
        .iter()
        .filter(|(_, c)| !c.text().trim().is_empty())
        .collect();
    let sub: Vec<(usize, Column)> = nonempty
        .iter()
        .filter_map(|(g, c)| column_of(&c.text()).map(|col| (*g, col)))
        .collect();
    if nonempty.is_empty() || sub.len() != nonempty.len() {
        return (ri, map);
    }
    for (g, col) in sub {
        map.retain(|(mg, _)| *mg != g);
        map.push((g, col));
    }
    map.sort_by_key(|(g, _)| *g);
    (ri + 1, map)
}

pub(crate) fn is_roman(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| matches!(c, 'I' | 'V' | 'X' | 'L' | 'C'))
}

/// Tasks of one table; `table_no` numbers the task tables of the document from 1.
pub(crate) fn tasks(table: &Table, table_no: usize, ctx: &mut Ctx) -> Vec<TaskDraft> {
    let Some((header_row, map)) = header_map(table) else {
        return Vec::new();
    };
    let header_texts: Vec<String> = table.rows[header_row]
        .cells
        .iter()
        .map(|c| fold(&c.text()))
        .collect();
    let col = |c: Column| map.iter().find(|(_, m)| *m == c).map(|(g, _)| *g);
    let number_col =
        col(Column::Number).or_else(|| (!map.iter().any(|(g, _)| *g == 0)).then_some(0));
    let prefix = if table_no <= 1 {
        "PL".to_string()
    } else {
        format!("PL{table_no}")
    };
    let mut out = Vec::new();
    let mut group: Option<String> = None;
    let mut counter = 0;
    let mut above: Vec<String> = Vec::new();
    for row in table.rows.iter().skip(header_row + 1) {
        let cells = grid(row);
        let texts: Vec<String> = cells.iter().map(|(_, c)| c.text()).collect();
        let repeats_header = texts.len() == header_texts.len()
            && texts
                .iter()
                .zip(&header_texts)
                .all(|(t, h)| t.len() <= h.len() * 2 + 4)
            && texts.iter().map(|t| fold(t)).collect::<Vec<_>>() == header_texts;
        if row.header || repeats_header {
            continue;
        }
        let nonempty: Vec<&String> = texts.iter().filter(|t| !t.trim().is_empty()).collect();
        if nonempty.is_empty() {
            continue;
        }
        // Column-number row "(1) (2) (3)" or "1 2 3 4".
        if nonempty.len() >= 2
            && nonempty.iter().all(|t| {
                let t = t.trim().trim_matches(['(', ')']);
                !t.is_empty() && t.chars().all(|c| c.is_ascii_digit())
            })
        {
            continue;
        }
        // Cell text at a grid column, continuing a vertical merge from the row above.
        let mut at = |g: Option<usize>| -> String {
            let Some(g) = g else { return String::new() };
            let found = cells
                .iter()
                // A cell spanning several columns belongs to the column it starts in.
                .find(|(cg, _)| *cg == g);
            let text = match found {
                Some((_, c)) if c.merged_above => above.get(g).cloned().unwrap_or_default(),
                Some((_, c)) => c.text(),
                None => String::new(),
            };
            if above.len() <= g {
                above.resize(g + 1, String::new());
            }
            above[g] = text.clone();
            text
        };
        let content = at(col(Column::Content));
        let lead_text = at(col(Column::Lead));
        let coord_text = at(col(Column::Coordinating));
        let deadline_text = at(col(Column::Deadline));
        let deliverable_text = at(col(Column::Deliverable));
        let number = at(number_col);
        let number = number.trim().trim_end_matches(['.', ')']).to_string();
        let distinct: std::collections::BTreeSet<&str> =
            nonempty.iter().map(|t| t.trim()).collect();
        let spans_all = row.cells.len() == 1 || distinct.len() == 1;
        if spans_all
            || (lead_text.trim().is_empty() && deadline_text.trim().is_empty() && is_roman(&number))
        {
            // The group's Roman numeral: in the number cell, or opening the spanning title.
            let title = collapse_spaces(nonempty.first().map_or("", |t| t.as_str()));
            let label = if is_roman(&number) {
                number.clone()
            } else {
                title
                    .split_whitespace()
                    .next()
                    .unwrap_or("")
                    .trim_end_matches('.')
                    .to_string()
            };
            group = Some(if is_roman(&label) {
                label
            } else {
                String::new()
            });
            continue;
        }
        if content.trim().is_empty() {
            continue;
        }
        counter += 1;
        let n = if number.is_empty() || number.chars().count() > 6 {
            counter.to_string()
        } else {
            number
        };
        let reference = match group.as_deref() {
            Some(g) if !g.is_empty() => format!("{prefix}.{g}.{n}"),
            _ => format!("{prefix}.{n}"),
        };
        let lead: Vec<_> = parse_list(&lead_text)
            .into_iter()
            .map(trim_to_name)
            .collect();
        let mut coordinating = Vec::new();
        push_unique(&mut coordinating, parse_list(&coord_text));
        push_unique(&mut coordinating, partners_in_brackets(&lead_text));
        let deadline = ctx.deadline(&deadline_text, &reference);
        let deliverable = deliverable::from_cell(&deliverable_text)
            .or_else(|| deliverable::from_deadline(&deadline_text))
            .or_else(|| deliverable::from_content(&content));
        let line_start = row.cells.iter().map(|c| c.line).min().unwrap_or(table.line) + 1;
        let line_end = row
            .cells
            .iter()
            .map(|c| c.line + c.paragraphs.len().saturating_sub(1))
            .max()
            .unwrap_or(table.line)
            + 1;
        out.push(TaskDraft {
            reference,
            content: content_text(&content),
            lead,
            coordinating,
            deadline,
            deliverable,
            source: SourceSpan {
                layout: "appendix_table".into(),
                line_start,
                line_end: line_end.max(line_start),
            },
            progress: None,
        });
    }
    out
}

/// Bodies a lead cell names in brackets as working with the lead ("Ban Công tác đại biểu
/// (Viện Nghiên cứu lập pháp phối hợp chuẩn bị dự thảo)"): they coordinate the row.
fn partners_in_brackets(cell: &str) -> Vec<tinhgon_domain::AgencyRef> {
    let mut out = Vec::new();
    let mut rest = cell;
    while let Some(open) = rest.find('(') {
        let Some(len) = rest[open..].find(')') else {
            break;
        };
        let inner = &rest[open + 1..open + len];
        rest = &rest[open + len..];
        if let Some(at) = inner.find(" phối hợp") {
            let bodies = inner[..at].trim();
            if bodies.starts_with(|c: char| c.is_uppercase()) {
                push_unique(&mut out, parse_list(bodies));
            }
        }
    }
    out
}

/// A cell's paragraphs as one content string (dashed items keep their own lines).
pub(crate) fn content_text(cell: &str) -> String {
    let mut out = String::new();
    for p in cell.lines() {
        let p = collapse_spaces(p);
        if p.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(if p.starts_with(['-', '+', '•']) {
                '\n'
            } else {
                ' '
            });
        }
        out.push_str(&p);
    }
    out
}
