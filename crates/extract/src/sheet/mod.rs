//! A plan's tasks from a spreadsheet (.xlsx, .csv): one row per task with its reference,
//! content, lead, coordinating agencies, deadline and, optionally, progress. The result is
//! the same [`PlanDraft`] a document gives, so the review, agency mapping and publishing
//! treat both alike; the sheet's rows become the source lines (line n is row n), so a task
//! points back to its row.

mod header;
mod title;

use tinhgon_domain::draft::SourceSpan;
use tinhgon_domain::{PlanDraft, TaskDraft};
use tinhgon_ingest::sheet::{Sheet, Workbook};
use tinhgon_ingest::IngestError;
use tinhgon_textkit::fold;

use crate::agency::{parse_list, push_unique, trim_to_name};
use crate::deliverable;
use crate::tasks::table::{content_text, is_roman};
use crate::tasks::Ctx;
use header::{Col, Header};

/// A plan read from a spreadsheet: the draft and the sheet's rows as source lines.
#[derive(Debug, Clone)]
pub struct SheetPlan {
    /// The extracted draft.
    pub draft: PlanDraft,
    /// One line per row of the sheet read (row n is line n), cells separated by " | ".
    pub lines: Vec<String>,
}

/// Why a spreadsheet gave no plan. Display strings are the Vietnamese messages users see.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SheetError {
    /// The file could not be read as a spreadsheet.
    #[error("{0}")]
    Read(#[from] IngestError),
    /// No row names the task columns.
    #[error("không tìm thấy dòng tiêu đề của bảng nhiệm vụ: bảng tính cần có các cột \"Nội dung nhiệm vụ\" và \"Cơ quan chủ trì\" (xem Mẫu nhập nhiệm vụ từ bảng tính)")]
    NoHeader,
    /// A header but no task below it.
    #[error("bảng tính có dòng tiêu đề nhưng không có nhiệm vụ nào bên dưới")]
    NoTasks,
}

/// Reads a spreadsheet's bytes and extracts the plan. `name` tells a .csv from other text.
pub fn extract_sheet_bytes(bytes: &[u8], name: Option<&str>) -> Result<SheetPlan, SheetError> {
    let book = tinhgon_ingest::sheet::read_sheet(bytes, name)?;
    extract_workbook(&book)
}

/// Extracts the plan from the first worksheet that has a task header.
pub fn extract_workbook(book: &Workbook) -> Result<SheetPlan, SheetError> {
    let (sheet, header) = book
        .sheets
        .iter()
        .find_map(|s| header::find(s).map(|h| (s, h)))
        .ok_or(SheetError::NoHeader)?;
    let mut warnings = Vec::new();
    // Another sheet with a task table is likely a second list the reviewer expects too;
    // an instructions sheet is not.
    let others = book
        .sheets
        .iter()
        .filter(|s| s.name != sheet.name && header::find(s).is_some())
        .count();
    if others > 0 {
        warnings.push(format!(
            "Bảng tính có {} trang tính có bảng nhiệm vụ; chỉ đọc trang \"{}\", các trang khác cần nhập riêng",
            others + 1,
            sheet.name
        ));
    }
    let block: Vec<String> = (0..header.first)
        .flat_map(|r| row_cells(sheet, r))
        .collect();
    let document = title::meta(&block, &mut warnings);
    let mut ctx = Ctx {
        doc_date: document.date,
        warnings: Vec::new(),
    };
    let tasks = rows_to_tasks(sheet, &header, &mut ctx);
    if tasks.is_empty() {
        return Err(SheetError::NoTasks);
    }
    if header.col(Col::Deadline).is_none() {
        warnings.push(
            "Bảng tính không có cột thời hạn: cần nhập thời hạn của từng nhiệm vụ khi rà soát"
                .into(),
        );
    }
    warnings.extend(ctx.warnings);
    let targets = targets(&tasks, document.date);
    let lines = (0..sheet.rows.len())
        .map(|r| row_cells(sheet, r).join(" | "))
        .collect();
    Ok(SheetPlan {
        draft: PlanDraft {
            document,
            tasks,
            targets,
            warnings,
        },
        lines,
    })
}

/// Quantitative targets stated in the tasks ("giảm tối thiểu 20% công chức …"), each
/// naming its task; one target stated twice is kept once, as documents do.
fn targets(tasks: &[TaskDraft], date: Option<chrono::NaiveDate>) -> Vec<tinhgon_domain::Target> {
    let mut out: Vec<tinhgon_domain::Target> = Vec::new();
    for t in tasks {
        for mut target in crate::deadline_entry::targets(&t.content, date) {
            target.task_ref = Some(t.reference.clone());
            if !out.iter().any(|o| {
                o.direction == target.direction
                    && o.subject == target.subject
                    && o.percent == target.percent
            }) {
                out.push(target);
            }
        }
    }
    out
}

/// The distinct texts a row shows (a merged area once), each on one line.
fn row_cells(sheet: &Sheet, row: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for c in 0..sheet.rows.get(row).map_or(0, Vec::len) {
        let t = sheet.own(row, c);
        if t.is_empty() || sheet.is_merge_copy(row, c) {
            continue;
        }
        let t = t.replace('\n', " ");
        if !out.contains(&t) {
            out.push(t);
        }
    }
    out
}

/// Rows that say nothing about a task: a signature or note under the table.
fn is_footer(content: &str) -> bool {
    let f = fold(content);
    ["ghi chu", "nguoi lap", "noi nhan", "xac nhan", "thu truong"]
        .iter()
        .any(|w| f.starts_with(w))
}

/// A group heading's label: a Roman numeral or a capital letter ("A", "B").
fn group_label(number: &str) -> bool {
    is_roman(number) || (number.chars().count() == 1 && number.chars().all(|c| c.is_uppercase()))
}

fn rows_to_tasks(sheet: &Sheet, h: &Header, ctx: &mut Ctx) -> Vec<TaskDraft> {
    let width = sheet.width();
    let at = |r: usize, role: Col| -> String {
        h.col(role)
            .map(|c| sheet.value(r, c).trim().to_string())
            .unwrap_or_default()
    };
    let mut out: Vec<TaskDraft> = Vec::new();
    let mut group = String::new();
    let mut counter = 0usize;
    for r in h.data..sheet.rows.len() {
        let values: Vec<&str> = (0..width).map(|c| sheet.value(r, c)).collect();
        let mut distinct: Vec<&str> = values.iter().copied().filter(|v| !v.is_empty()).collect();
        distinct.dedup();
        if distinct.is_empty() {
            continue;
        }
        let folded: Vec<String> = values.iter().map(|v| fold(v)).collect();
        if folded == h.texts {
            continue;
        }
        // The column-number row under the header: "(1) (2) (3)" or "1 2 3 4".
        if distinct.len() >= 2
            && distinct.iter().all(|t| {
                let t = t.trim().trim_matches(['(', ')']);
                !t.is_empty() && t.chars().all(|c| c.is_ascii_digit())
            })
        {
            continue;
        }
        let content = at(r, Col::Content);
        let lead = at(r, Col::Lead);
        let coordinating = at(r, Col::Coordinating);
        let deadline = at(r, Col::Deadline);
        let progress = h
            .col(Col::Progress)
            .filter(|&c| !sheet.is_merge_copy(r, c))
            .map(|c| sheet.own(r, c).trim().to_string())
            .unwrap_or_default();
        let number = at(r, Col::Number)
            .trim_end_matches(['.', ')'])
            .trim()
            .to_string();
        let own_texts = (0..width)
            .filter(|&c| !sheet.own(r, c).is_empty() && !sheet.is_merge_copy(r, c))
            .count();
        // A progress row under its task: its text adds to that task's progress.
        if own_texts == 1 && !progress.is_empty() {
            if let Some(last) = out.last_mut() {
                let p = last.progress.get_or_insert_with(String::new);
                if !p.is_empty() {
                    p.push('\n');
                }
                p.push_str(&progress);
                last.source.line_end = r + 1;
                continue;
            }
        }
        let spans_all = distinct.len() == 1 && width > 1;
        if spans_all || (lead.is_empty() && deadline.is_empty() && group_label(&number)) {
            group = if group_label(&number) {
                number.clone()
            } else {
                let first = distinct[0].split_whitespace().next().unwrap_or("");
                let first = first.trim_end_matches('.');
                if group_label(first) {
                    first.to_string()
                } else {
                    String::new()
                }
            };
            continue;
        }
        // A row continuing a task merged down from above adds nothing of its own.
        let content_own = h
            .col(Col::Content)
            .is_some_and(|c| !sheet.own(r, c).is_empty() && !sheet.is_merge_copy(r, c));
        let content = content_text(&content);
        if !content_own || content.trim().is_empty() || is_footer(&content) {
            continue;
        }
        counter += 1;
        let reference = match at(r, Col::Reference) {
            own if !own.is_empty() => own,
            _ if !number.is_empty() && number.chars().count() <= 8 => {
                if group.is_empty() {
                    number
                } else {
                    format!("{group}.{number}")
                }
            }
            _ if group.is_empty() => counter.to_string(),
            _ => format!("{group}.{counter}"),
        };
        let mut coord = Vec::new();
        push_unique(&mut coord, parse_list(&coordinating));
        let parsed = ctx.deadline(&deadline, &reference);
        let deliverable = deliverable::from_cell(&at(r, Col::Deliverable))
            .or_else(|| deliverable::from_deadline(&deadline))
            .or_else(|| deliverable::from_content(&content));
        out.push(TaskDraft {
            content,
            lead: parse_list(&lead).into_iter().map(trim_to_name).collect(),
            coordinating: coord,
            deadline: parsed,
            deliverable,
            source: SourceSpan {
                layout: "spreadsheet_row".into(),
                line_start: r + 1,
                line_end: r + 1,
            },
            progress: (!progress.is_empty()).then_some(progress),
            reference,
        });
    }
    out
}
