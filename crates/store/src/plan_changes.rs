//! Changes to a published plan (điều chỉnh kế hoạch) by its monitor: the lead of an assignment
//! given to another unit, a due date changed, a coordinating unit added or withdrawn, a task
//! withdrawn. Each writes the change, a `plan_changes` row with its reason, deciding document
//! and the values before and after in words, and its audit row in one transaction. A task
//! added to the plan is written in [`add_task`].

use chrono::{DateTime, NaiveDate, Utc};
use tinhgon_domain::model::Id;
use tinhgon_domain::user::Role;
use tinhgon_domain::{Action, Status};

use crate::audit::{audited, AuditEntry};
use crate::error::{Result, StoreError};
use crate::status::{change_status_in_tx, ChangeRequest, RECOMPUTE_DUE};
use crate::tx::{query, Tx};
use crate::Db;

mod add_task;
pub mod amend;
pub use add_task::{add_task_audited, NewTask};

/// What a change did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    /// The lead of an assignment given to another unit.
    Reassign,
    /// The due date of an assignment changed.
    Due,
    /// A coordinating unit added to a task.
    CoordinatorAdd,
    /// A coordinating unit withdrawn from a task.
    CoordinatorWithdraw,
    /// A task withdrawn: its open assignments cancelled.
    TaskWithdraw,
    /// A task added to the plan, with its lead's assignment.
    TaskAdd,
}

impl ChangeKind {
    /// Stable name.
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::Reassign => "reassign",
            ChangeKind::Due => "due",
            ChangeKind::CoordinatorAdd => "coordinator_add",
            ChangeKind::CoordinatorWithdraw => "coordinator_withdraw",
            ChangeKind::TaskWithdraw => "task_withdraw",
            ChangeKind::TaskAdd => "task_add",
        }
    }

    /// Parses a stable name.
    pub fn parse(s: &str) -> Option<ChangeKind> {
        [
            ChangeKind::Reassign,
            ChangeKind::Due,
            ChangeKind::CoordinatorAdd,
            ChangeKind::CoordinatorWithdraw,
            ChangeKind::TaskWithdraw,
            ChangeKind::TaskAdd,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
    }

    /// What the plan page calls it.
    pub fn label_vi(self) -> &'static str {
        match self {
            ChangeKind::Reassign => "Giao lại cơ quan chủ trì",
            ChangeKind::Due => "Điều chỉnh thời hạn",
            ChangeKind::CoordinatorAdd => "Bổ sung cơ quan phối hợp",
            ChangeKind::CoordinatorWithdraw => "Rút cơ quan phối hợp",
            ChangeKind::TaskWithdraw => "Rút nhiệm vụ khỏi kế hoạch",
            ChangeKind::TaskAdd => "Bổ sung nhiệm vụ",
        }
    }
}

/// Who changes, why and on which document.
#[derive(Debug, Clone)]
pub struct Basis<'a> {
    /// The monitor.
    pub by: Option<Id>,
    /// Why (never blank).
    pub reason: &'a str,
    /// The deciding document (number, date, issuer).
    pub document: &'a str,
    /// When.
    pub at: DateTime<Utc>,
    /// The amending document (its plan row) the change applies, if any.
    pub amendment: Option<Id>,
}

/// One change as the plan page lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanChange {
    /// Kind.
    pub kind: ChangeKind,
    /// The task.
    pub task_id: Id,
    /// Its reference.
    pub task_ref: String,
    /// The assignment, for changes of one.
    pub assignment_id: Option<Id>,
    /// Value before, in words.
    pub before: String,
    /// Value after, in words.
    pub after: String,
    /// Why.
    pub reason: String,
    /// Deciding document.
    pub document: String,
    /// Who (display name).
    pub by: Option<String>,
    /// When.
    pub at: DateTime<Utc>,
    /// The amending document that made it (its plan row), if any.
    pub amendment_id: Option<Id>,
}

#[derive(sqlx::FromRow)]
struct Row {
    kind: String,
    task_id: i64,
    task_ref: String,
    assignment_id: Option<i64>,
    before_text: String,
    after_text: String,
    reason: String,
    document: String,
    by_name: Option<String>,
    changed_at: DateTime<Utc>,
    amendment_id: Option<i64>,
}

const LIST: &str = "SELECT c.kind, c.task_id, t.ref AS task_ref, c.assignment_id, c.before_text, c.after_text, c.reason, \
     c.document, u.display_name AS by_name, c.changed_at, c.amendment_id FROM plan_changes c JOIN tasks t ON t.id = c.task_id \
     LEFT JOIN users u ON u.id = c.changed_by";

/// The changes of `plan`, newest first.
pub async fn list(db: &Db, plan: Id) -> Result<Vec<PlanChange>> {
    let rows: Vec<Row> = query(&format!(
        "{LIST} WHERE c.plan_id = $1 ORDER BY c.changed_at DESC, c.id DESC"
    ))
    .bind(plan)
    .fetch_all(db)
    .await?;
    Ok(changes(rows))
}

/// The changes amending document `amendment` made, in the order it made them.
pub async fn list_by_amendment(db: &Db, amendment: Id) -> Result<Vec<PlanChange>> {
    let rows: Vec<Row> = query(&format!("{LIST} WHERE c.amendment_id = $1 ORDER BY c.id"))
        .bind(amendment)
        .fetch_all(db)
        .await?;
    Ok(changes(rows))
}

fn changes(rows: Vec<Row>) -> Vec<PlanChange> {
    rows.into_iter()
        .filter_map(|r| {
            Some(PlanChange {
                kind: ChangeKind::parse(&r.kind)?,
                task_id: r.task_id,
                task_ref: r.task_ref,
                assignment_id: r.assignment_id,
                before: r.before_text,
                after: r.after_text,
                reason: r.reason,
                document: r.document,
                by: r.by_name,
                at: r.changed_at,
                amendment_id: r.amendment_id,
            })
        })
        .collect()
}

#[allow(clippy::too_many_arguments)]
async fn record(
    tx: &mut Tx,
    task: Id,
    assignment: Option<Id>,
    kind: ChangeKind,
    before: &str,
    after: &str,
    basis: &Basis<'_>,
) -> Result<()> {
    query(
        "INSERT INTO plan_changes (plan_id, task_id, assignment_id, kind, before_text, after_text, reason, document, changed_by, changed_at, amendment_id) \
         SELECT plan_id, id, $2, $3, $4, $5, $6, $7, $8, $9, $10 FROM tasks WHERE id = $1",
    )
    .bind(task)
    .bind(assignment)
    .bind(kind.as_str())
    .bind(before)
    .bind(after)
    .bind(basis.reason)
    .bind(basis.document)
    .bind(basis.by)
    .bind(basis.at)
    .bind(basis.amendment)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

async fn unit_name(tx: &mut Tx, unit: Id) -> Result<String> {
    query("SELECT name FROM units WHERE id = $1")
        .bind(unit)
        .scalar_optional(&mut *tx)
        .await?
        .ok_or(StoreError::NotFound {
            what: "đơn vị",
            id: unit,
        })
}

/// An open assignment's task and unit, or why it cannot be changed.
async fn open_assignment(tx: &mut Tx, assignment: Id) -> Result<(Id, Id, Option<NaiveDate>)> {
    let row: Option<(i64, i64, String, Option<NaiveDate>)> =
        query("SELECT task_id, unit_id, status, due FROM assignments WHERE id = $1")
            .bind(assignment)
            .fetch_optional(&mut *tx)
            .await?;
    let (task, unit, status, due) = row.ok_or(StoreError::NotFound {
        what: "phân công",
        id: assignment,
    })?;
    if status == "done" || status == "cancelled" {
        return Err(StoreError::Rejected(
            "phân công đã hoàn thành hoặc đã hủy, không điều chỉnh được nữa".into(),
        ));
    }
    Ok((task, unit, due))
}

fn day(d: Option<NaiveDate>) -> String {
    d.map_or_else(
        || "không có hạn cụ thể".to_string(),
        |d| d.format("%d/%m/%Y").to_string(),
    )
}

/// Gives open assignment `assignment` to unit `to`, which must not already lead the task. The
/// history rows stay with the unit that wrote them.
pub async fn reassign_audited(
    db: &Db,
    assignment: Id,
    to: Id,
    basis: &Basis<'_>,
    audit: &AuditEntry,
) -> Result<()> {
    audited(db, basis.at, async |tx| {
        let (out, entry) = reassign_in(tx, assignment, to, basis, audit).await?;
        Ok((out, vec![entry]))
    })
    .await
}

/// [`reassign_audited`] inside an open transaction: the change and its entry, not yet appended.
pub(crate) async fn reassign_in(
    tx: &mut Tx,
    assignment: Id,
    to: Id,
    basis: &Basis<'_>,
    audit: &AuditEntry,
) -> Result<((), AuditEntry)> {
    let (task, from, _) = open_assignment(tx, assignment).await?;
    if from == to {
        return Err(StoreError::Rejected(
            "đơn vị được chọn đang chủ trì phân công này".into(),
        ));
    }
    let already: i64 = query(
        "SELECT COUNT(*) FROM assignments WHERE task_id = $1 AND unit_id = $2 AND status <> 'cancelled'",
    )
    .bind(task)
    .bind(to)
    .scalar(&mut *tx)
    .await?;
    if already > 0 {
        return Err(StoreError::Rejected(
            "đơn vị được chọn đã chủ trì nhiệm vụ này (một việc chỉ giao cho một cơ quan chủ trì)"
                .into(),
        ));
    }
    let (before, after) = (unit_name(tx, from).await?, unit_name(tx, to).await?);
    query("UPDATE assignments SET unit_id = $1, updated_at = $2 WHERE id = $3")
        .bind(to)
        .bind(basis.at)
        .bind(assignment)
        .execute(&mut *tx)
        .await?;
    crate::intervals::refresh_class_intervals(&mut *tx, &[assignment]).await?;
    record(
        tx,
        task,
        Some(assignment),
        ChangeKind::Reassign,
        &before,
        &after,
        basis,
    )
    .await?;
    let entry = audit
        .with_before("unit", before)
        .with_after("unit", after)
        .with_after("reason", basis.reason)
        .with_after("document", basis.document);
    Ok(((), entry))
}

/// Sets the due date of open assignment `assignment` to `due` (earlier or later), recorded as
/// an extension the monitor decided, so the due date in force keeps one rule.
pub async fn change_due_audited(
    db: &Db,
    assignment: Id,
    due: NaiveDate,
    basis: &Basis<'_>,
    audit: &AuditEntry,
) -> Result<()> {
    audited(db, basis.at, async |tx| {
        let (out, entry) = change_due_in(tx, assignment, due, basis, audit).await?;
        Ok((out, vec![entry]))
    })
    .await
}

/// [`change_due_audited`] inside an open transaction: the change and its entry, not yet appended.
pub(crate) async fn change_due_in(
    tx: &mut Tx,
    assignment: Id,
    due: NaiveDate,
    basis: &Basis<'_>,
    audit: &AuditEntry,
) -> Result<((), AuditEntry)> {
    let (task, _, before) = open_assignment(tx, assignment).await?;
    let (kind, triggered): (String, Option<NaiveDate>) =
        query("SELECT deadline_kind, triggered_on FROM tasks WHERE id = $1")
            .bind(task)
            .fetch_one(&mut *tx)
            .await?;
    if kind == "ongoing" || kind == "recurring" {
        return Err(StoreError::Rejected(
            "nhiệm vụ thường xuyên, định kỳ không có một thời hạn để điều chỉnh".into(),
        ));
    }
    if kind == "conditional" && triggered.is_none() {
        return Err(StoreError::Rejected(
            "nhiệm vụ đang chờ điều kiện: ghi nhận điều kiện đã xảy ra trước khi điều chỉnh thời hạn".into(),
        ));
    }
    if before == Some(due) {
        return Err(StoreError::Rejected(
            "thời hạn mới trùng thời hạn hiện tại".into(),
        ));
    }
    let note = format!("{} ({})", basis.reason, basis.document);
    query(
        "INSERT INTO extension_requests (assignment_id, requested_by, requested_at, old_due, new_due, reason, state, decided_by, decided_at, decision_note) \
         VALUES ($1, $2, $3, $4, $5, $6, 'approved', $2, $3, $7)",
    )
    .bind(assignment)
    .bind(basis.by)
    .bind(basis.at)
    .bind(before)
    .bind(due)
    .bind(basis.reason)
    .bind(&note)
    .execute(&mut *tx)
    .await?;
    query(&format!("{RECOMPUTE_DUE} WHERE id = $1"))
        .bind(assignment)
        .execute(&mut *tx)
        .await?;
    crate::intervals::refresh_class_intervals(&mut *tx, &[assignment]).await?;
    record(
        tx,
        task,
        Some(assignment),
        ChangeKind::Due,
        &day(before),
        &day(Some(due)),
        basis,
    )
    .await?;
    let entry = audit
        .with_before("due", before.map(|d| d.to_string()))
        .with_after("due", due.to_string())
        .with_after("reason", basis.reason)
        .with_after("document", basis.document);
    Ok(((), entry))
}

/// Adds unit `unit` as a coordinating unit of `task`; a unit that leads the task or already
/// coordinates it is refused.
pub async fn add_coordinator_audited(
    db: &Db,
    task: Id,
    unit: Id,
    basis: &Basis<'_>,
    audit: &AuditEntry,
) -> Result<()> {
    audited(db, basis.at, async |tx| {
        let (out, entry) = add_coordinator_in(tx, task, unit, basis, audit).await?;
        Ok((out, vec![entry]))
    })
    .await
}

/// [`add_coordinator_audited`] inside an open transaction: the change and its entry, not yet appended.
pub(crate) async fn add_coordinator_in(
    tx: &mut Tx,
    task: Id,
    unit: Id,
    basis: &Basis<'_>,
    audit: &AuditEntry,
) -> Result<((), AuditEntry)> {
    let taken: i64 = query(
        "SELECT (SELECT COUNT(*) FROM task_coordinators WHERE task_id = $1 AND unit_id = $2) \
         + (SELECT COUNT(*) FROM assignments WHERE task_id = $1 AND unit_id = $2 AND status <> 'cancelled')",
    )
    .bind(task)
    .bind(unit)
    .scalar(&mut *tx)
    .await?;
    if taken > 0 {
        return Err(StoreError::Rejected(
            "đơn vị được chọn đã chủ trì hoặc đã phối hợp thực hiện nhiệm vụ này".into(),
        ));
    }
    let name = unit_name(tx, unit).await?;
    query("INSERT INTO task_coordinators (task_id, unit_id, agency_text) VALUES ($1, $2, $3)")
        .bind(task)
        .bind(unit)
        .bind(&name)
        .execute(&mut *tx)
        .await?;
    record(tx, task, None, ChangeKind::CoordinatorAdd, "", &name, basis).await?;
    let entry = audit
        .with_after("unit", name)
        .with_after("reason", basis.reason)
        .with_after("document", basis.document);
    Ok(((), entry))
}

/// Withdraws unit `unit` from the coordinating units of `task`; its contributions stay.
pub async fn withdraw_coordinator_audited(
    db: &Db,
    task: Id,
    unit: Id,
    basis: &Basis<'_>,
    audit: &AuditEntry,
) -> Result<()> {
    audited(db, basis.at, async |tx| {
        let (out, entry) = withdraw_coordinator_in(tx, task, unit, basis, audit).await?;
        Ok((out, vec![entry]))
    })
    .await
}

/// [`withdraw_coordinator_audited`] inside an open transaction: the change and its entry, not yet appended.
pub(crate) async fn withdraw_coordinator_in(
    tx: &mut Tx,
    task: Id,
    unit: Id,
    basis: &Basis<'_>,
    audit: &AuditEntry,
) -> Result<((), AuditEntry)> {
    let removed = query("DELETE FROM task_coordinators WHERE task_id = $1 AND unit_id = $2")
        .bind(task)
        .bind(unit)
        .execute(&mut *tx)
        .await?;
    if removed == 0 {
        return Err(StoreError::Rejected(
            "đơn vị được chọn không phối hợp thực hiện nhiệm vụ này".into(),
        ));
    }
    let name = unit_name(tx, unit).await?;
    record(
        tx,
        task,
        None,
        ChangeKind::CoordinatorWithdraw,
        &name,
        "",
        basis,
    )
    .await?;
    let entry = audit
        .with_before("unit", name)
        .with_after("reason", basis.reason)
        .with_after("document", basis.document);
    Ok(((), entry))
}

/// Withdraws `task` from its plan: every open assignment is cancelled (each with its history
/// row). Returns the units whose assignments were cancelled.
pub async fn withdraw_task_audited(
    db: &Db,
    task: Id,
    basis: &Basis<'_>,
    audit: &AuditEntry,
) -> Result<Vec<Id>> {
    audited(db, basis.at, async |tx| {
        let (out, entry) = withdraw_task_in(tx, task, basis, audit).await?;
        Ok((out, vec![entry]))
    })
    .await
}

/// [`withdraw_task_audited`] inside an open transaction: the change and its entry, not yet appended.
pub(crate) async fn withdraw_task_in(
    tx: &mut Tx,
    task: Id,
    basis: &Basis<'_>,
    audit: &AuditEntry,
) -> Result<(Vec<Id>, AuditEntry)> {
    let open: Vec<(i64, i64)> = query(
        "SELECT id, unit_id FROM assignments WHERE task_id = $1 AND status NOT IN ('done', 'cancelled') ORDER BY id",
    )
    .bind(task)
    .fetch_all(&mut *tx)
    .await?;
    if open.is_empty() {
        return Err(StoreError::Rejected(
            "nhiệm vụ không còn phân công nào đang thực hiện để rút".into(),
        ));
    }
    let note = format!("Rút nhiệm vụ: {} ({})", basis.reason, basis.document);
    for (id, _) in &open {
        let req = ChangeRequest {
            assignment_id: *id,
            action: Action::Cancel,
            role: Role::Monitor,
            actor: basis.by,
            note: Some(note.clone()),
            at: basis.at,
            expected: None,
        };
        let (_, after) = change_status_in_tx(tx, &req).await?;
        debug_assert_eq!(after, Status::Cancelled);
    }
    let mut names = Vec::new();
    for (_, unit) in &open {
        names.push(unit_name(tx, *unit).await?);
    }
    let before = format!("Đang thực hiện: {}", names.join(", "));
    record(
        tx,
        task,
        None,
        ChangeKind::TaskWithdraw,
        &before,
        "Đã rút",
        basis,
    )
    .await?;
    let entry = audit
        .with_after("cancelled", open.len())
        .with_after("reason", basis.reason)
        .with_after("document", basis.document);
    Ok((open.into_iter().map(|(_, u)| u).collect(), entry))
}

/// A task's reference.
pub async fn task_ref(db: &Db, task: Id) -> Result<Option<String>> {
    query("SELECT ref FROM tasks WHERE id = $1")
        .bind(task)
        .scalar_optional(db)
        .await
}

/// The open lead assignments of a task: (assignment, unit).
pub async fn open_leads(db: &Db, task: Id) -> Result<Vec<(Id, Id)>> {
    query(
        "SELECT id, unit_id FROM assignments WHERE task_id = $1 AND status NOT IN ('done', 'cancelled') ORDER BY id",
    )
    .bind(task)
    .fetch_all(db)
    .await
}

/// A task's first lead assignment, whatever its status (where its page is).
pub async fn any_lead(db: &Db, task: Id) -> Result<Option<Id>> {
    query("SELECT id FROM assignments WHERE task_id = $1 ORDER BY id LIMIT 1")
        .bind(task)
        .scalar_optional(db)
        .await
}
