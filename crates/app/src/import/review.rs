//! Correcting a draft before it is published: its document fields, and each task (edit,
//! delete, merge with the next, split in two).

use chrono::NaiveDate;
use serde::Deserialize;
use tinhgon_domain::ids::PlanId;
use tinhgon_domain::user::User;
use tinhgon_domain::{AgencyRef, PlanDraft};
use tinhgon_store::Db;

use crate::error::{AppError, Result};
use crate::input;

/// The document fields of a draft as submitted.
#[derive(Debug, Deserialize)]
pub struct MetaForm {
    /// Document number ("615/KH-UBND").
    pub number: String,
    /// Title.
    pub title: String,
    /// Date of issue, dd/mm/yyyy, ISO or empty.
    pub date: String,
}

/// The document fields of a draft, each possibly unknown.
#[derive(Debug, PartialEq, Eq)]
pub struct DraftMeta {
    /// Number.
    pub number: Option<String>,
    /// Title.
    pub title: Option<String>,
    /// Date of issue.
    pub date: Option<NaiveDate>,
}

impl MetaForm {
    /// The fields, or the one to fix.
    pub fn parse(self) -> Result<DraftMeta> {
        Ok(DraftMeta {
            number: input::note(&self.number),
            title: input::note(&self.title),
            date: input::date_or_empty(
                "date",
                &self.date,
                "Ngày ban hành không hợp lệ (dd/mm/yyyy).",
            )?,
        })
    }
}

/// Saves a draft's number, title and date.
pub async fn save_meta(db: &Db, user: &User, id: PlanId, form: MetaForm) -> Result<()> {
    let p = super::editable(db, user, id).await?;
    let meta = form.parse()?;
    let mut draft = p.rec.draft.clone();
    let state = |d: &PlanDraft| serde_json::json!({"number": d.document.number, "title": d.document.title, "date": d.document.date});
    let before = state(&draft);
    draft.document.number = meta.number;
    draft.document.title = meta.title;
    draft.document.date = meta.date;
    let entry = super::draft_edit(user, &p, "plan.draft.meta", before, state(&draft));
    super::save(db, &p, &draft, &p.rec.agency_map, &entry).await
}

/// The warnings the review page shows for a draft as it is now: the extractor's, without those
/// the reviewer has since answered (a number or a date filled in), and a reminder for a number
/// or a date still missing.
pub fn current_warnings(draft: &PlanDraft) -> Vec<String> {
    let doc = &draft.document;
    let has_number = doc.number.as_deref().is_some_and(|n| !n.trim().is_empty());
    let mut out: Vec<String> = draft
        .warnings
        .iter()
        .filter(|w| !(has_number && w.starts_with("Số văn bản để trống")))
        .cloned()
        .collect();
    if !has_number && !out.iter().any(|w| w.starts_with("Số văn bản để trống")) {
        out.push("Chưa có số văn bản: nhập số trong phần thông tin văn bản.".into());
    }
    if doc.date.is_none() {
        out.push("Chưa có ngày ban hành: nhập ngày trong phần thông tin văn bản.".into());
    }
    out
}

/// Parses a list of agencies typed by the reviewer (separated by ";" or new lines).
pub fn parse_agencies(text: &str) -> Vec<AgencyRef> {
    text.split([';', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            tinhgon_extract::agency::agency(s).unwrap_or_else(|| AgencyRef {
                text: s.to_string(),
                name: s.to_string(),
                group: tinhgon_domain::resolve::detect_group(s),
            })
        })
        .collect()
}

/// Fields of a task form.
#[derive(Debug, Deserialize)]
pub struct TaskForm {
    /// Content.
    pub content: String,
    /// Lead agencies, separated by ";".
    pub lead: String,
    /// Coordinating agencies, separated by ";".
    pub coordinating: String,
    /// Deadline as written.
    pub deadline: String,
    /// Empty (save), `delete`, `merge` or `split`.
    #[serde(default)]
    pub op: String,
    /// Line to split at.
    #[serde(default)]
    pub split_at: String,
}

/// Saves, deletes, merges or splits task `index` of a draft.
/// Returns the message for the user.
pub async fn edit_task(
    db: &Db,
    user: &User,
    id: PlanId,
    index: usize,
    f: &TaskForm,
) -> Result<&'static str> {
    let p = super::editable(db, user, id).await?;
    let mut draft = p.rec.draft.clone();
    if index >= draft.tasks.len() {
        return Err(AppError::NotFound);
    }
    let before =
        serde_json::to_value(&draft.tasks[index]).map_err(|e| AppError::Internal(e.to_string()))?;
    let msg;
    match f.op.as_str() {
        "delete" => {
            draft.tasks.remove(index);
            msg = "Đã xóa nhiệm vụ khỏi bản nháp.";
        }
        "merge" => {
            if index + 1 >= draft.tasks.len() {
                return Err(AppError::invalid(
                    "op",
                    "Không có nhiệm vụ phía sau để gộp.",
                ));
            }
            let next = draft.tasks.remove(index + 1);
            let t = &mut draft.tasks[index];
            t.content = format!("{}\n{}", t.content, next.content);
            for c in next.coordinating.into_iter().chain(next.lead) {
                if !t.lead.contains(&c) && !t.coordinating.contains(&c) {
                    t.coordinating.push(c);
                }
            }
            t.source.line_end = t.source.line_end.max(next.source.line_end);
            msg = "Đã gộp với nhiệm vụ phía sau.";
        }
        "split" => {
            let t = draft.tasks[index].clone();
            let lines: Vec<&str> = t.content.lines().collect();
            let at: usize =
                f.split_at.trim().parse().map_err(|_| {
                    AppError::invalid("split_at", "Nhập số dòng để tách (ví dụ 2).")
                })?;
            if at == 0 || at >= lines.len() {
                return Err(AppError::invalid(
                    "split_at",
                    format!(
                        "Nội dung có {} dòng; chọn dòng tách từ 1 đến {}.",
                        lines.len(),
                        lines.len().saturating_sub(1)
                    ),
                ));
            }
            let mut second = t.clone();
            draft.tasks[index].content = lines[..at].join("\n");
            second.content = lines[at..].join("\n");
            second.reference = format!("{}.b", t.reference);
            draft.tasks.insert(index + 1, second);
            msg = "Đã tách nhiệm vụ thành hai.";
        }
        "" | "save" => {
            let doc_date = draft.document.date;
            let t = &mut draft.tasks[index];
            let content = f.content.trim();
            if content.is_empty() {
                return Err(AppError::invalid(
                    "content",
                    "Nội dung nhiệm vụ không được để trống.",
                ));
            }
            t.content = content.to_string();
            t.lead = parse_agencies(&f.lead);
            t.coordinating = parse_agencies(&f.coordinating);
            if f.deadline.trim() != t.deadline.text {
                t.deadline =
                    tinhgon_extract::deadline::parse_deadline(f.deadline.trim(), doc_date).deadline;
            }
            msg = "Đã lưu nhiệm vụ.";
        }
        _ => {
            return Err(AppError::invalid(
                "op",
                "Thao tác phải là save, delete, merge hoặc split.",
            ))
        }
    }
    let after = draft
        .tasks
        .get(index)
        .map(|t| serde_json::to_value(t).unwrap_or_default())
        .unwrap_or(serde_json::Value::Null);
    let op = if f.op.is_empty() {
        "edit"
    } else {
        f.op.as_str()
    };
    let action = format!("plan.draft.task.{op}");
    let entry = super::draft_edit(user, &p, &action, before, after);
    super::save(db, &p, &draft, &p.rec.agency_map, &entry).await?;
    Ok(msg)
}

#[cfg(test)]
mod warning_tests {
    use super::current_warnings;
    use tinhgon_domain::PlanDraft;

    #[test]
    fn warnings_about_a_missing_number_or_date_go_once_they_are_filled() {
        let mut d = PlanDraft {
            warnings: vec![
                "Số văn bản để trống (\"Số: …/KH-UBND\"): văn bản chưa được cấp số".into(),
                "Nhiệm vụ 3: ngày không tồn tại: 31/02/2025".into(),
            ],
            ..PlanDraft::default()
        };
        let w = current_warnings(&d);
        assert_eq!(w.len(), 3, "{w:?}");
        assert!(w[2].starts_with("Chưa có ngày ban hành"));
        d.document.number = Some("12/KH-UBND".into());
        d.document.date = chrono::NaiveDate::from_ymd_opt(2025, 3, 1);
        assert_eq!(
            current_warnings(&d),
            vec!["Nhiệm vụ 3: ngày không tồn tại: 31/02/2025".to_string()]
        );
    }
}
