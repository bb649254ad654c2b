//! Import and review of a plan: a plan file becomes a draft of the importer's province
//! (extracted by `tinhgon-extract`, kept beside its source text), which a monitor corrects
//! ([`review`]) and whose agency mentions it maps to register units ([`mapping`]) before
//! publishing ([`crate::publishing`]).

pub mod amendment;
pub mod mapping;
pub mod review;
pub mod sheet_template;
pub mod targets;

use chrono::Utc;
use sha2::{Digest, Sha256};
use tinhgon_domain::ids::PlanId;
use tinhgon_domain::model::Id;
use tinhgon_domain::plan::PlanState;
use tinhgon_domain::user::{can_import_own_plan, can_import_plan, User};
use tinhgon_domain::PlanDraft;
use tinhgon_store::audit::AuditEntry;
use tinhgon_store::plans::{self, NewDraft};
use tinhgon_store::web_queries as wq;
use tinhgon_store::Db;

use crate::access::LoadedPlan;
use crate::audit;
use crate::error::{AppError, Result};

/// A plan file as uploaded.
#[derive(Debug)]
pub struct PlanFile {
    /// Name as sent (its extension helps tell the format).
    pub name: String,
    /// Content, never empty.
    pub bytes: Vec<u8>,
}

impl PlanFile {
    /// The file of an upload's `file` field, or the field error when none was chosen.
    pub fn parse(file: Option<(String, Vec<u8>)>) -> Result<PlanFile> {
        match file.filter(|(_, b)| !b.is_empty()) {
            Some((name, bytes)) => Ok(PlanFile { name, bytes }),
            None => Err(AppError::invalid(
                "file",
                "Vui lòng chọn tệp kế hoạch (.docx, .pdf, .txt, .md) hoặc bảng tính nhiệm vụ (.xlsx, .csv).",
            )),
        }
    }
}

/// What an import did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Imported {
    /// A new draft.
    Draft(PlanId),
    /// The same file was imported before: this is the plan it made.
    Duplicate(PlanId),
}

/// Reads a plan file and extracts the draft off the async threads: (draft, source lines).
/// A spreadsheet (.xlsx, .csv) gives its tasks row by row, its rows standing for the lines.
pub async fn extract_file(bytes: Vec<u8>, name: String) -> Result<(PlanDraft, String)> {
    tokio::task::spawn_blocking(move || {
        if tinhgon_ingest::sheet::is_sheet(&bytes, Some(&name)) {
            let plan = tinhgon_extract::sheet::extract_sheet_bytes(&bytes, Some(&name))
                .map_err(|e| AppError::invalid("file", format!("Không đọc được bảng tính: {e}")))?;
            return Ok((plan.draft, plan.lines.join("\n")));
        }
        let doc = tinhgon_ingest::read(&bytes, Some(&name))
            .map_err(|e| AppError::invalid("file", format!("Không đọc được tệp: {e}")))?;
        let draft = tinhgon_extract::extract(&doc);
        Ok((draft, doc.lines.join("\n")))
    })
    .await
    .map_err(|e| AppError::Internal(e.to_string()))?
}

/// Stores an imported file as a draft of `province`, or names the plan it duplicates. Only
/// those who may import plans may: a monitor; an agency officer for its own unit's plan, whose
/// draft belongs to the unit and goes to the monitor for review ([`crate::cascade`]).
pub async fn import_file(
    db: &Db,
    user: &User,
    province: Option<Id>,
    file: PlanFile,
) -> Result<Imported> {
    let owner = if can_import_plan(user) {
        None
    } else if can_import_own_plan(user) {
        user.unit_id
    } else {
        return Err(AppError::Forbidden);
    };
    let PlanFile { name, bytes } = file;
    let hash = hex::encode(Sha256::digest(&bytes));
    if let Some(existing) = wq::plan_by_hash(db, province, &hash).await? {
        return Ok(Imported::Duplicate(PlanId(existing)));
    }
    let (draft, source) = extract_file(bytes, name.clone()).await?;
    // The store sets the entry's object to the new plan (draft and audit row in one transaction).
    let entry = audit::entry(
        Some(user),
        "plan.import",
        "plan",
        None,
        None,
        Some(serde_json::json!({"file": name, "sha256": hash, "tasks": draft.tasks.len()})),
    );
    let new = NewDraft {
        province_id: province,
        draft: &draft,
        source_text: Some(&source),
        content_hash: &hash,
        by: Some(user.id),
        at: Utc::now(),
    };
    let id = match owner {
        None => plans::insert_draft_audited(db, &new, &entry).await?,
        Some(unit) => plans::insert_own_draft_audited(db, &new, unit, &entry).await?,
    };
    Ok(Imported::Draft(PlanId(id)))
}

/// A draft `user` may still edit: one it monitors, or its unit's own draft while the monitor
/// does not have it (a published plan's draft is frozen).
pub(crate) async fn editable(db: &Db, user: &User, id: PlanId) -> Result<LoadedPlan> {
    let (p, review) = crate::cascade::reviewable(db, user, id).await?;
    crate::cascade::check_owner_may_edit(user, &p, &review)?;
    if p.rec.plan.state != PlanState::Draft {
        return Err(AppError::Conflict(
            "Kế hoạch đã ban hành, không sửa bản nháp được nữa.".into(),
        ));
    }
    Ok(p)
}

/// The audit entry of a review edit `action` on the draft `p`: what the edit replaced and
/// what it wrote.
pub(crate) fn draft_edit(
    user: &User,
    p: &LoadedPlan,
    action: &str,
    before: serde_json::Value,
    after: serde_json::Value,
) -> AuditEntry {
    audit::entry(
        Some(user),
        action,
        "plan",
        Some(p.rec.plan.id),
        Some(before),
        Some(after),
    )
}

/// Writes an edited draft and its agency map with the audit row `entry`.
pub(crate) async fn save(
    db: &Db,
    p: &LoadedPlan,
    draft: &PlanDraft,
    map: &tinhgon_domain::publish::Overrides,
    entry: &AuditEntry,
) -> Result<()> {
    plans::update_draft_audited(db, p.rec.plan.id, draft, map, Utc::now(), entry).await?;
    Ok(())
}
