//! Plan extraction: a read [`Document`] in, a [`PlanDraft`] out (document metadata, tasks
//! with their lead and coordinating agencies and deadlines, quantitative targets, and
//! warnings for the reviewer). Pure: no I/O, no database, no network; never panics on input.
//!
//! The JSON form of the result is the `tinhgon extract --json` contract, described in
//! `docs/plan-json.md`.

pub mod agency;
pub mod amendment;
pub mod deadline;
mod deadline_entry;
pub mod deliverable;
mod flat_table;
pub mod legal_basis;
mod metadata;
pub mod paragraphs;
mod person_titles;
mod pipe_table;
pub mod province;
pub mod score;
pub mod sheet;
mod signature;
pub mod target;
mod tasks;
mod verbs;
mod vndate;

use tinhgon_domain::{DocumentKind, DocumentMeta, PlanDraft, Target};
use tinhgon_ingest::{Document, IngestError};
use tinhgon_textkit::fold;

use paragraphs::Item;

/// Why a file could not be turned into a plan draft.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ExtractError {
    /// The file could not be read.
    #[error("{0}")]
    Ingest(#[from] IngestError),
}

/// Reads a file's bytes and extracts the plan. `name` is a hint for the format.
pub fn extract_bytes(bytes: &[u8], name: Option<&str>) -> Result<PlanDraft, ExtractError> {
    let doc = tinhgon_ingest::read(bytes, name)?;
    Ok(extract(&doc))
}

/// Extracts the plan from a read document.
pub fn extract(doc: &Document) -> PlanDraft {
    let items = paragraphs::stream(doc);
    let paras: Vec<paragraphs::Para> = items
        .iter()
        .filter_map(|i| match i {
            Item::Para(p) => Some(p.clone()),
            Item::Table(_) => None,
        })
        .collect();
    let mut warnings: Vec<String> = doc.warnings.clone();
    let document = document_meta(doc, &paras, &mut warnings);
    let mut ctx = tasks::Ctx {
        doc_date: document.date,
        warnings: Vec::new(),
    };
    let tasks = tasks::extract(&items, &mut ctx);
    let targets = collect_targets(&items, &tasks, document.date);
    warnings.extend(ctx.warnings);
    if tasks.is_empty() {
        warnings.push("Không tìm thấy nhiệm vụ nào trong văn bản".to_string());
    }
    PlanDraft {
        document,
        tasks,
        targets,
        warnings,
    }
}

/// Metadata from the header lines, title paragraphs and signature block.
fn document_meta(
    doc: &Document,
    paras: &[paragraphs::Para],
    warnings: &mut Vec<String>,
) -> DocumentMeta {
    let lines = metadata::header_lines(&meta_lines(doc));
    let mut meta = DocumentMeta::default();
    let mut code_kind = None;
    if let Some((number, code)) = metadata::number(&lines) {
        if number.is_none() {
            warnings.push(format!(
                "Số văn bản để trống (\"Số: …/{code}\"): văn bản chưa được cấp số"
            ));
        }
        meta.number = number;
        code_kind = metadata::kind_from_code(&code);
    }
    let (title_kind, title) = metadata::title(paras);
    meta.kind = title_kind.or(code_kind);
    meta.title = title.or_else(|| metadata::vv_title(&lines));
    if meta.kind.is_none() && meta.title.is_some() && code_kind.is_none() {
        meta.kind = Some(DocumentKind::OfficialLetter);
    }
    if meta.kind.is_none()
        && paras
            .iter()
            .take(40)
            .any(|p| paragraphs::fold_start(&p.text, 10).starts_with("kinh gui"))
    {
        meta.kind = Some(DocumentKind::OfficialLetter);
    }
    meta.issuer = metadata::issuer(&lines).or_else(|| metadata::issuer_in_text(paras));
    if let Some((place, date, warning)) = metadata::place_date(&lines) {
        meta.place = Some(place);
        meta.date = date;
        warnings.extend(warning);
    }
    // A document reproduced by a news page has no header; its closing "Toàn văn …" line
    // still names it.
    if meta.number.is_none() && meta.issuer.is_none() {
        if let Some(r) = metadata::self_reference(&doc.lines) {
            meta.number = Some(r.number);
            meta.kind = meta.kind.or(r.kind);
            meta.date = meta.date.or(r.date);
            meta.issuer = r.issuer;
        }
    }
    from_portal_facts(&mut meta, &doc.facts);
    meta.legal_bases = legal_basis::legal_bases(paras);
    meta.signer = signature::signer(&lines);
    meta.recipients = signature::recipients(&lines);
    meta.issuer_province = province::issuer_province(&meta);
    meta.amendment = amendment::amendment(meta.title.as_deref(), paras);
    if let Some(a) = meta.amendment.as_ref().filter(|a| a.changes.is_empty()) {
        warnings.push(format!(
            "Văn bản sửa đổi, bổ sung {} nhưng chưa đọc được nội dung sửa đổi nào: rà soát bằng tay",
            a.amends.text
        ));
    }
    meta
}

/// The lines the header and signature are read from: the file's own lines, except for a
/// portal page, whose lines still hold the portal's page and wrap names mid-line; there
/// the reader's paragraphs and cells stand for lines.
fn meta_lines(doc: &Document) -> std::borrow::Cow<'_, [String]> {
    if doc.format != tinhgon_ingest::Format::WebText {
        return std::borrow::Cow::Borrowed(&doc.lines);
    }
    let mut out = Vec::new();
    for b in &doc.blocks {
        match b {
            tinhgon_ingest::Block::Paragraph(p) => out.push(p.full_text()),
            tinhgon_ingest::Block::Table(t) => {
                for row in &t.rows {
                    for cell in &row.cells {
                        out.extend(cell.paragraphs.iter().cloned());
                    }
                }
            }
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Fills what the document's own header lacks from the legal portal's metadata table
/// (some pages carry the number and date nowhere else).
fn from_portal_facts(meta: &mut DocumentMeta, facts: &[(String, String)]) {
    for (label, value) in facts {
        let value = value.trim();
        if value.is_empty() || fold(value).starts_with("dang cap nhat") {
            continue;
        }
        match fold(label).as_str() {
            "so hieu" if meta.number.is_none() => meta.number = Some(value.to_string()),
            "noi ban hanh" if meta.issuer.is_none() => meta.issuer = Some(value.to_string()),
            "ngay ban hanh" if meta.date.is_none() => {
                meta.date = value
                    .split('/')
                    .map(|p| p.trim().parse::<u32>().ok())
                    .collect::<Option<Vec<u32>>>()
                    .and_then(|d| match d[..] {
                        [day, month, year] => {
                            chrono::NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day)
                        }
                        _ => None,
                    });
            }
            _ => {}
        }
    }
}

/// Targets from every paragraph and table cell; those inside a task name it.
fn collect_targets(
    items: &[Item],
    tasks: &[tinhgon_domain::TaskDraft],
    date: Option<chrono::NaiveDate>,
) -> Vec<Target> {
    let mut out: Vec<Target> = Vec::new();
    let mut push = |mut t: Target, line: usize| {
        // A target restated in several tasks ("giảm tối thiểu 20% …" in part III and in the
        // appendix) is one target: the first mention is kept.
        let key = |x: &Target| {
            (
                x.direction,
                x.percent.map(f64::to_bits),
                fold(&x.subject),
                x.baseline.as_deref().map(fold),
            )
        };
        if out.iter().any(|o| key(o) == key(&t)) {
            return;
        }
        if t.task_ref.is_none() {
            t.task_ref = tasks
                .iter()
                .find(|k| k.source.line_start <= line + 1 && line < k.source.line_end)
                .map(|k| k.reference.clone());
        }
        out.push(t);
    };
    for item in items {
        match item {
            Item::Para(p) => {
                for t in deadline_entry::targets(&p.text, date) {
                    push(t, p.line_start);
                }
            }
            Item::Table(table) => {
                for row in &table.rows {
                    for cell in &row.cells {
                        for t in deadline_entry::targets(&cell.text(), date) {
                            push(t, cell.line);
                        }
                    }
                }
            }
        }
    }
    out
}
