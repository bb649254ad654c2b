//! A task added to a published plan (bổ sung nhiệm vụ): written as publishing writes a task —
//! its row, its coordinating units, the lead's assignment with its first status — with the
//! change's row and audit in one transaction.

use tinhgon_domain::model::Id;
use tinhgon_domain::Deadline;

use super::{record, unit_name, Basis, ChangeKind};
use crate::audit::{audited, AuditEntry};
use crate::error::{Result, StoreError};
use crate::tx::{query, Tx};
use crate::util::enum_str;
use crate::Db;
use tinhgon_textkit::search_key;

/// The task to add.
#[derive(Debug, Clone)]
pub struct NewTask<'a> {
    /// Its reference in the plan ("II.5", "PL.3 mục 12").
    pub reference: &'a str,
    /// What is to be done.
    pub content: &'a str,
    /// The deadline as parsed from its phrase.
    pub deadline: &'a Deadline,
    /// The lead unit.
    pub lead: Id,
    /// Coordinating units.
    pub coordinators: &'a [Id],
}

/// Adds `task` at the end of published plan `plan`; a reference the plan already uses is
/// refused. Returns the task and the lead's assignment.
pub async fn add_task_audited(
    db: &Db,
    plan: Id,
    task: &NewTask<'_>,
    basis: &Basis<'_>,
    audit: &AuditEntry,
) -> Result<(Id, Id)> {
    audited(db, basis.at, async |tx| {
        let (out, entry) = add_task_in(tx, plan, task, basis, audit).await?;
        Ok((out, vec![entry]))
    })
    .await
}

/// [`add_task_audited`] inside an open transaction: the change and its entry, not yet appended.
pub(crate) async fn add_task_in(
    tx: &mut Tx,
    plan: Id,
    task: &NewTask<'_>,
    basis: &Basis<'_>,
    audit: &AuditEntry,
) -> Result<((Id, Id), AuditEntry)> {
    let head: Option<(String, Option<Id>)> =
        query("SELECT state, province_id FROM plans WHERE id = $1")
            .bind(plan)
            .fetch_optional(&mut *tx)
            .await?;
    let Some((state, province)) = head else {
        return Err(StoreError::NotFound {
            what: "kế hoạch",
            id: plan,
        });
    };
    if state != "published" {
        return Err(StoreError::Rejected(
            "chỉ bổ sung nhiệm vụ vào kế hoạch đã ban hành".into(),
        ));
    }
    let taken: i64 =
        query("SELECT COUNT(*) FROM tasks WHERE plan_id = $1 AND LOWER(ref) = LOWER($2)")
            .bind(plan)
            .bind(task.reference)
            .scalar(&mut *tx)
            .await?;
    if taken > 0 {
        return Err(StoreError::Rejected(format!(
            "kế hoạch đã có nhiệm vụ số hiệu {}",
            task.reference
        )));
    }
    let position: i64 =
        query("SELECT COALESCE(MAX(position), -1) + 1 FROM tasks WHERE plan_id = $1")
            .bind(plan)
            .scalar(&mut *tx)
            .await?;
    let lead_name = unit_name(tx, task.lead).await?;
    let dl = task.deadline;
    let lead_json = serde_json::json!([{ "text": lead_name, "name": lead_name, "group": null }]);
    let task_id: Id = query(
        "INSERT INTO tasks (plan_id, position, ref, content, folded_content, deadline_text, deadline_kind, due, \
         due_precision, period, deadline_event, deadline_start, lead_json, source_layout) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 'plan_change') RETURNING id",
    )
    .bind(plan)
    .bind(position)
    .bind(task.reference)
    .bind(task.content)
    .bind(search_key(task.content))
    .bind(&dl.text)
    .bind(enum_str(&dl.kind))
    .bind(dl.due)
    .bind(dl.precision.as_ref().map(enum_str))
    .bind(dl.period.as_ref().map(enum_str))
    .bind(&dl.event)
    .bind(dl.start)
    .bind(lead_json.to_string())
    .scalar(&mut *tx)
    .await?;
    let mut names = Vec::new();
    for unit in task.coordinators {
        let name = unit_name(tx, *unit).await?;
        query("INSERT INTO task_coordinators (task_id, unit_id, agency_text) VALUES ($1, $2, $3)")
            .bind(task_id)
            .bind(unit)
            .bind(&name)
            .execute(&mut *tx)
            .await?;
        names.push(name);
    }
    let due = crate::plans::initial_due(dl.kind, dl.due);
    let assignment: Id = query(
        "INSERT INTO assignments (task_id, plan_id, province_id, unit_id, original_unit_id, via_group, due, status, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $4, NULL, $5, 'not_started', $6, $6) RETURNING id",
    )
    .bind(task_id)
    .bind(plan)
    .bind(province)
    .bind(task.lead)
    .bind(due)
    .bind(basis.at)
    .scalar(&mut *tx)
    .await?;
    query(
        "INSERT INTO status_changes (assignment_id, unit_id, from_status, to_status, actor_id, at, on_date, note) \
         VALUES ($1, $2, NULL, 'not_started', $3, $4, $5, 'giao nhiệm vụ bổ sung vào kế hoạch')",
    )
    .bind(assignment)
    .bind(task.lead)
    .bind(basis.by)
    .bind(basis.at)
    .bind(tinhgon_domain::local_date(basis.at))
    .execute(&mut *tx)
    .await?;
    crate::intervals::refresh_class_intervals(&mut *tx, &[assignment]).await?;
    let mut after = format!("{} — chủ trì: {lead_name}", task.content);
    if !names.is_empty() {
        after.push_str(&format!("; phối hợp: {}", names.join(", ")));
    }
    after.push_str(&format!("; thời hạn: {}", dl.text));
    record(
        tx,
        task_id,
        Some(assignment),
        ChangeKind::TaskAdd,
        "",
        &after,
        basis,
    )
    .await?;
    let entry = audit
        .with_after("task", task_id)
        .with_after("text", task.content)
        .with_after("unit", lead_name)
        .with_after("reason", basis.reason)
        .with_after("document", basis.document);
    Ok(((task_id, assignment), entry))
}
