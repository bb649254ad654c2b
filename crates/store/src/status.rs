//! Status changes: one transaction each, with an append-only history.
//!
//! The status-class queries the dashboards use live in [`classes`] and are re-exported here.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Days, NaiveDate, Utc};
use tinhgon_domain::class::StatusClass;
use tinhgon_domain::classify::{ApprovedExtension, AssignmentFacts};
use tinhgon_domain::model::Id;
use tinhgon_domain::tally::ClassCounts;
use tinhgon_domain::user::Role;
use tinhgon_domain::{local_date, Action, DeadlineKind, Status, StatusChange};

use crate::audit::AuditEntry;
use crate::column::Stored;
use crate::error::{Result, StoreError};
use crate::intervals::{placeholders, refresh_class_intervals, Loaded};
use crate::tx::{query, Tx};
use crate::Db;

mod classes;

pub use classes::*;

/// A status change to make.
#[derive(Debug, Clone)]
pub struct ChangeRequest {
    /// Assignment.
    pub assignment_id: Id,
    /// What is done.
    pub action: Action,
    /// Role of the person acting (rights are checked by the domain rule).
    pub role: Role,
    /// Who.
    pub actor: Option<Id>,
    /// Why.
    pub note: Option<String>,
    /// When.
    pub at: DateTime<Utc>,
    /// The status the person saw; a different current status is a conflict.
    pub expected: Option<Status>,
}

/// Starting the work first, in the same transaction, when it has not started yet: a unit that
/// reports progress on (or proposes completion of) untouched work starts it implicitly. The
/// start gets its own history row and its own audit row (`before.status`/`after.status`
/// added), written with the rest or not at all.
#[derive(Debug, Clone, Copy)]
pub struct StartFirst<'a> {
    /// Role of the one starting (the domain rule checks it may).
    pub role: Role,
    /// The start's audit entry.
    pub audit: &'a AuditEntry,
}

/// [`system::change_status`] with its audit row written in the same transaction: `audit` gets
/// `before.status` and `after.status` (the statuses the transaction saw and set) added, and
/// its notices are sent in it. With `start`, a not-started assignment is started first in
/// the same transaction (see [`StartFirst`]); `req.expected` is then checked against the
/// status before the start.
pub async fn change_status_audited(
    db: &Db,
    req: &ChangeRequest,
    audit: &AuditEntry,
    start: Option<StartFirst<'_>>,
) -> Result<Status> {
    change_status_in(db, req, Some(audit), start).await
}

/// Applies the status change `req` inside the open transaction `tx`: checks the expected
/// status and the domain rule, writes the history row, the assignment's status and its class
/// intervals. Returns (status before, status after); the error when refused (the caller's
/// transaction then rolls back).
pub(crate) async fn change_status_in_tx(
    tx: &mut Tx,
    req: &ChangeRequest,
) -> Result<(Status, Status)> {
    let on_date = tinhgon_domain::local_date(req.at);
    let row: Option<(Stored<Status>, Id)> =
        query("SELECT status, unit_id FROM assignments WHERE id = $1")
            .bind(req.assignment_id)
            .fetch_optional(&mut *tx)
            .await?;
    let (Stored(current), unit_id) = row.ok_or(StoreError::NotFound {
        what: "phân công",
        id: req.assignment_id,
    })?;
    if req.expected.is_some_and(|e| e != current) {
        return Err(crate::error::StoreError::Conflict(format!(
            "trạng thái hiện tại là \"{}\"",
            current.label_vi()
        )));
    }
    let next = tinhgon_domain::transition(current, req.action, req.role)
        .map_err(|e| crate::error::StoreError::Rejected(e.to_string()))?;
    let completed_on = if next == tinhgon_domain::Status::Done {
        let rows: Vec<(Stored<Status>, DateTime<Utc>)> = query(
            "SELECT to_status, at FROM status_changes WHERE assignment_id = $1 ORDER BY at, id",
        )
        .bind(req.assignment_id)
        .fetch_all(&mut *tx)
        .await?;
        completed_on(req, current, next, rows, on_date)
    } else {
        None
    };
    query(
            "INSERT INTO status_changes (assignment_id, unit_id, from_status, to_status, actor_id, at, on_date, completed_on, note) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(req.assignment_id)
        .bind(unit_id)
        .bind(current.as_str())
        .bind(next.as_str())
        .bind(req.actor)
        .bind(req.at)
        .bind(on_date)
        .bind(completed_on)
        .bind(&req.note)
        .execute(&mut *tx)
        .await?;
    let done_at = (next == tinhgon_domain::Status::Done).then_some(req.at);
    let updated = query(
            "UPDATE assignments SET status = $1, done_at = $2, done_on = $3, updated_at = $4 WHERE id = $5 AND status = $6",
        )
        .bind(next.as_str())
        .bind(done_at)
        .bind(completed_on)
        .bind(req.at)
        .bind(req.assignment_id)
        .bind(current.as_str())
        .execute(&mut *tx)
        .await?;
    if updated != 1 {
        return Err(crate::error::StoreError::Conflict(
            "phân công vừa được cập nhật".into(),
        ));
    }
    crate::intervals::refresh_class_intervals(&mut *tx, &[req.assignment_id]).await?;
    Ok((current, next))
}

/// With `start`, starts the assignment `id` inside the open transaction `tx` when it has not
/// started: the start is made by `actor` at `at`, after checking `expected` (the status the
/// person saw). Returns the start's audit entry, statuses filled in, for the caller to append
/// after its own writes (the audit rows stay the transaction's last statements); None when
/// nothing was started.
pub(crate) async fn start_first_in_tx(
    tx: &mut Tx,
    start: Option<StartFirst<'_>>,
    id: Id,
    actor: Option<Id>,
    at: DateTime<Utc>,
    expected: Option<Status>,
) -> Result<Option<AuditEntry>> {
    let mut started: Option<crate::audit::AuditEntry> = None;
    if let Some(s) = start {
        let status: Option<Stored<Status>> = query("SELECT status FROM assignments WHERE id = $1")
            .bind(id)
            .scalar_optional(&mut *tx)
            .await?;
        if status == Some(Stored(Status::NotStarted)) {
            let first = crate::status::ChangeRequest {
                assignment_id: id,
                action: tinhgon_domain::Action::Start,
                role: s.role,
                actor,
                note: None,
                at,
                expected,
            };
            let (from, to) = change_status_in_tx(tx, &first).await?;
            started = Some(
                s.audit
                    .with_before("status", from.as_str())
                    .with_after("status", to.as_str()),
            );
        }
    }
    Ok(started)
}

/// The completion day of a change to done, from the history read in the transaction.
pub(crate) fn completed_on(
    req: &ChangeRequest,
    current: Status,
    next: Status,
    rows: Vec<(Stored<Status>, DateTime<Utc>)>,
    on_date: NaiveDate,
) -> Option<NaiveDate> {
    let mut history = history_changes(req.assignment_id, rows);
    history.push(StatusChange {
        assignment_id: req.assignment_id,
        from: Some(current),
        to: next,
        actor_id: req.actor,
        at: req.at,
        note: None,
    });
    let facts = AssignmentFacts {
        history,
        ..blank_facts(req.at)
    };
    facts.completed_on(on_date)
}

async fn change_status_in(
    db: &Db,
    req: &ChangeRequest,
    audit: Option<&AuditEntry>,
    start: Option<StartFirst<'_>>,
) -> Result<Status> {
    crate::audit::audited(db, req.at, async |tx| {
        let started = start_first_in_tx(
            tx,
            start,
            req.assignment_id,
            req.actor,
            req.at,
            req.expected,
        )
        .await?;
        // After a start, the status the person saw was checked by it and the row is ours.
        let main = if started.is_some() {
            ChangeRequest {
                expected: None,
                ..req.clone()
            }
        } else {
            req.clone()
        };
        let (current, next) = change_status_in_tx(tx, &main).await?;
        let entry = audit.map(|e| {
            e.with_before("status", current.as_str())
                .with_after("status", next.as_str())
        });
        Ok((next, started.into_iter().chain(entry).collect()))
    })
    .await
}

/// A status change to record in a batch (an integration importer, the benchmark).
#[derive(Debug, Clone)]
pub struct NewStatusChange {
    /// Assignment.
    pub assignment_id: Id,
    /// What is done.
    pub action: Action,
    /// Role of the one doing it (rights are checked by the domain rule).
    pub role: Role,
    /// Who.
    pub actor: Option<Id>,
    /// Why.
    pub note: Option<String>,
    /// When.
    pub at: DateTime<Utc>,
}

/// A history row to insert: (assignment, unit, from, to, actor, at, on_date, completed_on, note).
type NewRow<'a> = (
    Id,
    Id,
    &'static str,
    &'static str,
    Option<Id>,
    DateTime<Utc>,
    NaiveDate,
    Option<NaiveDate>,
    Option<&'a str>,
);

/// Records many status changes in one transaction and returns the new statuses, in order.
/// Each is checked with the domain's `transition` against the status the previous changes
/// left; the first refused or unknown one is named in the error and nothing is written.
/// History rows go in as multi-row INSERTs, assignments are updated by multi-row UPDATEs (once
/// each) and their class intervals rewritten once, from the facts already loaded.
pub async fn record_status_changes(db: &Db, changes: &[NewStatusChange]) -> Result<Vec<Status>> {
    let mut ids: Vec<Id> = changes.iter().map(|c| c.assignment_id).collect();
    ids.sort_unstable();
    ids.dedup();
    let out = db.write(async |tx| {
        let mut loaded = crate::intervals::load_assignments(tx, &ids).await?;
        let before: HashMap<Id, Status> = loaded.iter().map(|(id, l)| (*id, l.status)).collect();
        let mut rows: Vec<NewRow<'_>> = Vec::with_capacity(changes.len());
        let mut out = Vec::with_capacity(changes.len());
        for (k, c) in changes.iter().enumerate() {
            let l = loaded.get_mut(&c.assignment_id).ok_or_else(|| {
                StoreError::Rejected(format!("thay đổi thứ {}: không có phân công {}; không có gì được ghi", k + 1, c.assignment_id))
            })?;
            let current = l.status;
            let next = tinhgon_domain::transition(current, c.action, c.role).map_err(|e| {
                StoreError::Rejected(format!(
                    "thay đổi thứ {} (phân công {}, đang \"{}\"): {e}; không có gì được ghi",
                    k + 1,
                    c.assignment_id,
                    current.label_vi()
                ))
            })?;
            let on_date = local_date(c.at);
            l.facts.history.push(StatusChange { assignment_id: c.assignment_id, from: Some(current), to: next, actor_id: c.actor, at: c.at, note: None });
            let completed_on = if next == Status::Done { l.facts.completed_on(on_date) } else { None };
            l.status = next;
            l.done = (next == Status::Done).then_some((c.at, completed_on));
            l.updated_at = Some(c.at);
            rows.push((c.assignment_id, l.unit_id, current.as_str(), next.as_str(), c.actor, c.at, on_date, completed_on, c.note.as_deref()));
            out.push(next);
        }
        for chunk in rows.chunks(300) {
            let values = (0..chunk.len())
                .map(|i| format!("({})", placeholders(9, i * 9 + 1)))
                .collect::<Vec<_>>()
                .join(", ");
            let sql = format!(
                "INSERT INTO status_changes (assignment_id, unit_id, from_status, to_status, actor_id, at, on_date, completed_on, note) VALUES {values}"
            );
            let mut q = query(&sql);
            for r in chunk {
                q = q.bind(r.0).bind(r.1).bind(r.2).bind(r.3).bind(r.4).bind(r.5).bind(r.6).bind(r.7).bind(r.8);
            }
            q.execute(&mut *tx).await?;
        }
        // One UPDATE per chunk of assignments (not one round trip each); the status read at
        // the start is checked again, so a concurrent change is a conflict, not lost.
        let updates: Vec<(Id, &Loaded, Status)> = ids
            .iter()
            .filter_map(|id| Some((*id, loaded.get(id)?, *before.get(id)?)))
            .collect();
        for chunk in updates.chunks(300) {
            let values = (0..chunk.len())
                .map(|i| format!("({})", placeholders(6, i * 6 + 1)))
                .collect::<Vec<_>>()
                .join(", ");
            let sql = format!(
                "UPDATE assignments SET status = v.column2, done_at = v.column3, done_on = v.column4, updated_at = v.column5 \
                 FROM (VALUES {values}) AS v WHERE assignments.id = v.column1 AND assignments.status = v.column6"
            );
            let mut q = query(&sql);
            for (id, l, was) in chunk {
                let (done_at, done_on) = l.done.map_or((None, None), |(at, on)| (Some(at), on));
                q = q.bind(*id).bind(l.status.as_str()).bind(done_at).bind(done_on).bind(l.updated_at).bind(was.as_str());
            }
            let updated = q.execute(&mut *tx).await?;
            if updated != chunk.len() as u64 {
                return Err(StoreError::Conflict("phân công vừa được cập nhật".into()));
            }
        }
        crate::intervals::write_intervals(tx, &ids, &loaded).await?;
        Ok(out)
    }).await?;
    Ok(out)
}

fn blank_facts(created_at: DateTime<Utc>) -> AssignmentFacts {
    AssignmentFacts::fresh(DeadlineKind::By, None, None, None, created_at)
}

fn history_changes(
    assignment_id: Id,
    rows: Vec<(Stored<Status>, DateTime<Utc>)>,
) -> Vec<StatusChange> {
    rows.into_iter()
        .map(|(Stored(to), at)| StatusChange {
            assignment_id,
            from: None,
            to,
            actor_id: None,
            at,
            note: None,
        })
        .collect()
}

/// SQL that sets `assignments.due` to the due date in force now (approved extension, else the
/// task's own date or its triggered date; none for standing duties and untriggered conditions).
pub(crate) const RECOMPUTE_DUE: &str = "UPDATE assignments SET due = (\
    SELECT CASE \
      WHEN t.deadline_kind IN ('ongoing', 'recurring') THEN NULL \
      WHEN t.deadline_kind = 'conditional' AND t.triggered_on IS NULL THEN NULL \
      ELSE COALESCE(\
        (SELECT e.new_due FROM extension_requests e WHERE e.assignment_id = assignments.id AND e.state = 'approved' \
         ORDER BY e.decided_at DESC, e.id DESC LIMIT 1), \
        CASE WHEN t.deadline_kind = 'conditional' THEN t.triggered_due ELSE t.due END) \
    END FROM tasks t WHERE t.id = assignments.task_id)";

/// [`system::trigger_condition`] with its audit row in the same transaction (`after.on`,
/// `after.due` the due date it set added).
pub async fn trigger_condition_audited(
    db: &Db,
    task_id: Id,
    on: NaiveDate,
    at: DateTime<Utc>,
    audit: &AuditEntry,
) -> Result<()> {
    trigger_condition_in(db, task_id, on, at, Some(audit)).await
}

async fn trigger_condition_in(
    db: &Db,
    task_id: Id,
    on: NaiveDate,
    at: DateTime<Utc>,
    audit: Option<&AuditEntry>,
) -> Result<()> {
    if on > local_date(at) {
        return Err(StoreError::Rejected(
            "ngày xảy ra điều kiện không được ở tương lai".into(),
        ));
    }
    crate::audit::audited(db, at, async |tx| {
        let row: Option<(String, Option<NaiveDate>, Option<i64>)> =
            query("SELECT deadline_kind, due, condition_days FROM tasks WHERE id = $1")
                .bind(task_id)
                .fetch_optional(&mut *tx)
                .await?;
        let (kind, due, days) = row.ok_or(StoreError::NotFound {
            what: "nhiệm vụ",
            id: task_id,
        })?;
        if kind != "conditional" {
            return Err(StoreError::Rejected(
                "nhiệm vụ này không có thời hạn theo điều kiện".into(),
            ));
        }
        let days = days
            .and_then(|d| u64::try_from(d).ok())
            .unwrap_or(u64::from(tinhgon_domain::classify::DEFAULT_CONDITION_DAYS));
        let triggered_due = due.or_else(|| on.checked_add_days(Days::new(days)));
        query("UPDATE tasks SET triggered_on = $1, triggered_due = $2 WHERE id = $3")
            .bind(on)
            .bind(triggered_due)
            .bind(task_id)
            .execute(&mut *tx)
            .await?;
        query(&format!("{RECOMPUTE_DUE} WHERE task_id = $1"))
            .bind(task_id)
            .execute(&mut *tx)
            .await?;
        let ids: Vec<i64> = query("SELECT id FROM assignments WHERE task_id = $1 ORDER BY id")
            .bind(task_id)
            .scalars(&mut *tx)
            .await?;
        refresh_class_intervals(&mut *tx, &ids).await?;
        let entry = audit.map(|e| {
            e.with_after("on", on.to_string())
                .with_after("due", triggered_due.map(|d| d.to_string()))
        });
        Ok(((), entry.into_iter().collect()))
    })
    .await
}

/// Writes without an audit row, for system loads only: the demo loader, importers, the
/// benchmarks and tests. A change made for a person goes through the `*_audited` function of
/// the same name (audit row and notices in its transaction); keeping these under `system::`
/// makes a call that skips the audit row visible where it is made.
pub mod system {
    use super::*;
    /// Applies one status change in one transaction: a history row and the assignment's
    /// current status (optimistic check against concurrent changes). Returns the new status.
    /// Unaudited: for system loads (demo, importers, benchmarks); people's changes go through
    /// [`change_status_audited`].
    pub async fn change_status(db: &Db, req: &ChangeRequest) -> Result<Status> {
        change_status_in(db, req, None, None).await
    }

    /// Marks that the condition of a conditional task happened on `on` (not in the future):
    /// its assignments become due (the deadline's own date, else `on` + the condition days).
    pub async fn trigger_condition(
        db: &Db,
        task_id: Id,
        on: NaiveDate,
        at: DateTime<Utc>,
    ) -> Result<()> {
        trigger_condition_in(db, task_id, on, at, None).await
    }
}
