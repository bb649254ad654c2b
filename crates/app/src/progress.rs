//! Progress and completion: the unit's progress report with its evidence files, its proposal
//! of completion, both starting work not started yet in the same transaction. The monitor's
//! confirmation is in [`crate::decisions`].

use std::path::Path;

use chrono::Utc;
use serde::Deserialize;
use tinhgon_domain::ids::AssignmentId;
use tinhgon_domain::model::Id;
use tinhgon_domain::user::User;
use tinhgon_domain::workflow::Action;
use tinhgon_domain::Status;
use tinhgon_store::notifications::{Audience, Notice};
use tinhgon_store::Db;
use tinhgon_store::{records, status};

use crate::error::{AppError, Result};
use crate::{access, audit, evidence, input, transition};

/// A progress report as submitted: a form, a JSON body or a multipart upload.
#[derive(Debug, Default, Deserialize)]
pub struct ProgressForm {
    /// What was done.
    #[serde(default)]
    pub text: String,
    /// Completion percentage.
    #[serde(default)]
    pub percent: Option<i64>,
    /// Evidence files: (name as sent, bytes).
    #[serde(skip)]
    pub files: Vec<(String, Vec<u8>)>,
    /// Submission key (the form's hidden field or the API's `Idempotency-Key` header): a
    /// repeat with the same key records nothing new and answers the first report's id.
    #[serde(default)]
    pub submission_key: Option<String>,
}

/// An evidence file whose kind was recognised from its first bytes.
#[derive(Debug)]
pub struct EvidenceFile {
    /// Name safe to show.
    pub name: String,
    /// Media type.
    pub media_type: &'static str,
    /// Content.
    pub bytes: Vec<u8>,
}

/// A progress report that can be stored.
#[derive(Debug)]
pub struct ProgressReport {
    /// What was done, trimmed, never blank.
    pub text: String,
    /// Completion percentage, 0 to 100.
    pub percent: Option<i64>,
    /// Evidence files of accepted kinds.
    pub files: Vec<EvidenceFile>,
}

/// The percent field of a multipart upload: blank is none, else a number.
pub fn parse_percent(text: &str) -> Result<Option<i64>> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    t.parse()
        .map(Some)
        .map_err(|_| AppError::invalid("percent", "Tỷ lệ hoàn thành phải là số từ 0 đến 100."))
}

impl ProgressForm {
    /// The report, or the first field to fix.
    pub fn parse(self) -> Result<ProgressReport> {
        let text = input::text(
            "text",
            &self.text,
            "Vui lòng nhập nội dung báo cáo tiến độ.",
        )?;
        if self.percent.is_some_and(|p| !(0..=100).contains(&p)) {
            return Err(AppError::invalid(
                "percent",
                "Tỷ lệ hoàn thành phải từ 0 đến 100.",
            ));
        }
        let mut files = Vec::new();
        for (name, bytes) in self.files {
            let Some((media_type, _ext)) = evidence::sniff(&bytes, &name) else {
                return Err(AppError::invalid(
                    "evidence",
                    format!(
                        "Tệp \"{}\" không đúng định dạng cho phép (PDF, DOCX, XLSX, JPG, PNG).",
                        evidence::clean_name(&name)
                    ),
                ));
            };
            files.push(EvidenceFile {
                name: evidence::clean_name(&name),
                media_type,
                bytes,
            });
        }
        Ok(ProgressReport {
            text,
            percent: self.percent,
            files,
        })
    }
}

/// Stores a progress report of `user`'s own unit (starting the work if not started), its
/// files under `data_dir`. Returns the report's id.
pub async fn report_progress(
    db: &Db,
    data_dir: &Path,
    user: &User,
    id: AssignmentId,
    form: ProgressForm,
) -> Result<Id> {
    // Rights only: whether the work has started is decided in the report's transaction.
    access::own_assignment(db, user, id).await?;
    let once = input::submission(user, form.submission_key.as_deref())?;
    let report = form.parse()?;
    let mut ev = Vec::new();
    for f in &report.files {
        let hash = evidence::store(data_dir, &f.bytes).await?;
        ev.push(records::NewEvidence {
            file_name: f.name.clone(),
            media_type: f.media_type.into(),
            size_bytes: f.bytes.len() as i64,
            sha256: hash.clone(),
            storage_key: hash,
        });
    }
    // Work not started yet is started in the report's transaction (the store checks the status
    // there): start, report, evidence rows and both audit rows commit together or not at all.
    let started = audit::start(user, id.get());
    // The store adds after.report, the new report's id.
    let files: Vec<&str> = ev.iter().map(|e| e.sha256.as_str()).collect();
    let entry = audit::change(user, "assignment.progress", "assignment", id.get())
        .with_after("percent", report.percent)
        .with_after("files", files);
    let new = records::NewProgress {
        assignment_id: id.get(),
        actor: Some(user.id),
        percent: report.percent,
        text: &report.text,
        evidence: &ev,
        at: Utc::now(),
        once: once.as_ref(),
    };
    let rid = records::add_progress_report_audited(
        db,
        &new,
        &entry,
        Some(status::StartFirst {
            role: user.role,
            audit: &started,
        }),
    )
    .await?;
    Ok(rid)
}

/// The unit proposes completion of its own assignment (starting the work first if needed),
/// with an optional note. Returns the new status.
pub async fn propose_completion(
    db: &Db,
    user: &User,
    id: AssignmentId,
    note: &str,
) -> Result<Status> {
    let w = access::own_assignment(db, user, id).await?;
    let notice = Notice::new(
        Audience::PlanMonitors(w.plan_id),
        "assignment",
        format!(
            "Đơn vị đề nghị xác nhận hoàn thành: {}",
            transition::work_label(&w)
        ),
        format!("/assignments/{id}"),
    );
    // Start (when not started), proposal, notice to the monitors and audit rows: one transaction.
    transition::change(
        db,
        user,
        &w,
        Action::ProposeCompletion,
        input::kept_note(note),
        true,
        Some(notice),
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_judged_by_its_first_bytes() {
        let form = ProgressForm {
            text: "Đã xong.".into(),
            percent: Some(100),
            files: vec![("bao-cao.pdf".into(), b"MZ\x90\x00".to_vec())],
            submission_key: None,
        };
        match form.parse() {
            Err(AppError::Invalid { field, message }) => {
                assert_eq!(field, "evidence");
                assert!(message.contains("bao-cao.pdf"), "{message}");
            }
            other => panic!("{other:?}"),
        }
        let form = ProgressForm {
            text: "Đã xong.".into(),
            percent: None,
            files: vec![("../x/bc.pdf".into(), b"%PDF-1.7".to_vec())],
            submission_key: None,
        };
        let r = form.parse().unwrap();
        assert_eq!(r.files[0].name, "bc.pdf");
        assert_eq!(r.files[0].media_type, "application/pdf");
    }

    #[test]
    fn percent_text_is_a_number_or_nothing() {
        assert_eq!(parse_percent(" 40 ").unwrap(), Some(40));
        assert_eq!(parse_percent("").unwrap(), None);
        assert!(matches!(
            parse_percent("bốn mươi"),
            Err(AppError::Invalid {
                field: "percent",
                ..
            })
        ));
    }
}
