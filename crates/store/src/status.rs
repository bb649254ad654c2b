//! Status changes (one transaction each, append-only history) and the status-class queries
//! the dashboards use.
//!
//! Every count and class list answers from the class-interval table (`crate::intervals`):
//! each assignment's class per stretch of days as `tinhgon_domain::timeline::class_intervals`
//! computes it, rewritten by every write in the same transaction. Today and any past day
//! cost the same index range; a test compares the answers with the domain's `classify`.

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

/// What a count or list is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Every assignment of a province.
    Province(Id),
    /// Every assignment of a plan.
    Plan(Id),
    /// Every assignment of a unit (as responsible on the day asked about).
    Unit(Id),
}

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
    AssignmentFacts {
        kind: DeadlineKind::By,
        original_due: None,
        extensions: Vec::new(),
        trigger: None,
        condition_days: None,
        created_at,
        history: Vec::new(),
        reports: Vec::new(),
    }
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

/// The classes that are counted, as a one-column row source (`class`) both databases accept.
fn class_rows() -> String {
    StatusClass::ALL
        .iter()
        .map(|c| format!("SELECT '{}' AS class", c.as_str()))
        .collect::<Vec<_>>()
        .join(" UNION ALL ")
}

/// Counts by (unit, class) of a province on day `$1` (`$2` the province): the units that
/// ever had an interval there (a loose index scan, one seek each), then one short index
/// range per (unit, class) of index `aci_province_unit_class` — no table rows, no sort.
fn province_counts_sql() -> String {
    format!(
        "WITH RECURSIVE u(unit_id) AS (\
           SELECT MIN(unit_id) FROM assignment_class_intervals WHERE province_id = $2 \
           UNION ALL \
           SELECT (SELECT MIN(i.unit_id) FROM assignment_class_intervals i WHERE i.province_id = $2 AND i.unit_id > u.unit_id) \
           FROM u WHERE u.unit_id IS NOT NULL) \
         SELECT unit_id, class, n FROM (\
           SELECT u.unit_id AS unit_id, c.class AS class, \
             (SELECT COUNT(*) FROM assignment_class_intervals i WHERE i.province_id = $2 AND i.unit_id = u.unit_id \
              AND i.class = c.class AND i.to_day > $1 AND i.from_day <= $1) AS n \
           FROM u CROSS JOIN ({}) c WHERE u.unit_id IS NOT NULL) x",
        class_rows()
    )
}

/// Counts by (unit, class) within the scope on `as_of`, read from the class-interval table
/// (the same for a past day as for today: `from_day <= as_of < to_day`). The unit is the
/// one responsible that day.
async fn grouped(db: &Db, scope: Scope, as_of: NaiveDate) -> Result<Vec<(i64, String, i64)>> {
    let sql = match scope {
        Scope::Province(_) => province_counts_sql(),
        Scope::Plan(_) => "SELECT i.unit_id, i.class, COUNT(*) FROM assignment_class_intervals i \
             JOIN assignments a ON a.id = i.assignment_id \
             WHERE a.plan_id = $2 AND i.to_day > $1 AND i.from_day <= $1 GROUP BY i.unit_id, i.class"
            .to_string(),
        Scope::Unit(_) => "SELECT unit_id, class, COUNT(*) FROM assignment_class_intervals \
             WHERE unit_id = $2 AND to_day > $1 AND from_day <= $1 GROUP BY unit_id, class"
            .to_string(),
    };
    let mut rows: Vec<(i64, String, i64)> = query(&sql)
        .bind(as_of)
        .bind(scope_id(scope))
        .fetch_all(db)
        .await?;
    // Empty (unit, class) pairs are dropped here: a `WHERE n > 0` around the province query
    // makes SQLite evaluate each count twice.
    rows.retain(|r| r.2 > 0);
    Ok(rows)
}

fn scope_id(scope: Scope) -> Id {
    match scope {
        Scope::Province(id) | Scope::Plan(id) | Scope::Unit(id) => id,
    }
}

fn add(counts: &mut ClassCounts, class: &str, n: i64) -> Result<()> {
    let n = u64::try_from(n).unwrap_or(0);
    let c = StatusClass::parse(class)
        .ok_or_else(|| StoreError::Corrupt(format!("lớp trạng thái {class}")))?;
    *counts.by_class.entry(c).or_insert(0) += n;
    Ok(())
}

/// Counts by status class for a province, a plan or a unit on `as_of`, today or any past or
/// future day (as known now). `not_counted` stays 0: cancelled assignments have no interval.
/// `now` is kept for callers; the intervals already hold what is known now.
pub async fn status_counts(
    db: &Db,
    scope: Scope,
    as_of: NaiveDate,
    _now: DateTime<Utc>,
) -> Result<ClassCounts> {
    let mut counts = ClassCounts::tally(std::iter::empty());
    for (_, class, n) in grouped(db, scope, as_of).await? {
        add(&mut counts, &class, n)?;
    }
    Ok(counts)
}

/// Counts by status class for each responsible unit within the scope (the unit responsible
/// on `as_of`), by unit id.
pub async fn status_counts_by_unit(
    db: &Db,
    scope: Scope,
    as_of: NaiveDate,
    _now: DateTime<Utc>,
) -> Result<BTreeMap<Id, ClassCounts>> {
    let mut out: BTreeMap<Id, ClassCounts> = BTreeMap::new();
    for (unit, class, n) in grouped(db, scope, as_of).await? {
        let counts = out
            .entry(unit)
            .or_insert_with(|| ClassCounts::tally(std::iter::empty()));
        add(counts, &class, n)?;
    }
    Ok(out)
}

/// An assignment in a list, with what a list shows (stored as is in the dashboard cache).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Serialize, serde::Deserialize)]
pub struct AssignmentItem {
    /// Assignment.
    pub id: Id,
    /// Task.
    pub task_id: Id,
    /// Plan.
    pub plan_id: Id,
    /// Responsible unit.
    pub unit_id: Id,
    /// Due date in force.
    pub due: Option<NaiveDate>,
    /// Current status (stored name).
    pub status: String,
    /// Task reference.
    pub task_ref: String,
    /// Task content.
    pub content: String,
    /// Plan number.
    pub plan_number: Option<String>,
}

const ITEM_COLUMNS: &str = "a.id, a.task_id, a.plan_id, a.unit_id, a.due, a.status, t.ref AS task_ref, t.content, p.number AS plan_number";

/// Assignments within the scope that are overdue on `as_of` (any day, from the class
/// intervals; for a unit, those it was responsible for that day), oldest due date first.
pub async fn overdue_list(
    db: &Db,
    scope: Scope,
    as_of: NaiveDate,
    _now: DateTime<Utc>,
) -> Result<Vec<AssignmentItem>> {
    let filter = match scope {
        Scope::Province(_) => "i.province_id = $2",
        Scope::Plan(_) => "a.plan_id = $2",
        Scope::Unit(_) => "i.unit_id = $2",
    };
    let sql = format!(
        "SELECT {ITEM_COLUMNS} FROM assignment_class_intervals i JOIN assignments a ON a.id = i.assignment_id \
         JOIN tasks t ON t.id = a.task_id JOIN plans p ON p.id = a.plan_id \
         WHERE {filter} AND i.class = 'overdue' AND i.to_day > $1 AND i.from_day <= $1 ORDER BY a.due, a.id"
    );
    let rows: Vec<AssignmentItem> = query(&sql)
        .bind(as_of)
        .bind(scope_id(scope))
        .fetch_all(db)
        .await?;
    Ok(rows)
}

/// Open assignments within the scope due from `today` to `today + days`, soonest first.
pub async fn due_soon(
    db: &Db,
    scope: Scope,
    today: NaiveDate,
    days: u32,
) -> Result<Vec<AssignmentItem>> {
    let until = today
        .checked_add_days(Days::new(u64::from(days)))
        .unwrap_or(today);
    let filter = match scope {
        Scope::Province(_) => "a.province_id = $1",
        Scope::Plan(_) => "a.plan_id = $1",
        Scope::Unit(_) => "a.unit_id = $1",
    };
    let sql = format!(
        "SELECT {ITEM_COLUMNS} FROM assignments a JOIN tasks t ON t.id = a.task_id JOIN plans p ON p.id = a.plan_id \
         WHERE {filter} AND a.status NOT IN ('done', 'cancelled') AND a.due >= $2 AND a.due <= $3 \
         AND NOT (t.deadline_kind = 'conditional' AND (t.triggered_on IS NULL OR t.triggered_on > $2)) \
         ORDER BY a.due, a.id"
    );
    let rows: Vec<AssignmentItem> = query(&sql)
        .bind(scope_id(scope))
        .bind(today)
        .bind(until)
        .fetch_all(db)
        .await?;
    Ok(rows)
}

/// One history row as stored.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct HistoryRow {
    /// Row id.
    pub id: Id,
    /// Unit responsible when the change was made.
    pub unit_id: Id,
    /// Status before (None for the creation).
    pub from_status: Option<String>,
    /// Status after.
    pub to_status: String,
    /// Who.
    pub actor_id: Option<Id>,
    /// When.
    pub at: DateTime<Utc>,
    /// Note.
    pub note: Option<String>,
}

/// A reroute as stored.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct RerouteRow {
    /// Unit that ceased.
    pub from_unit_id: Id,
    /// Successor.
    pub to_unit_id: Id,
    /// Event.
    pub event_id: Option<Id>,
    /// When.
    pub at: DateTime<Utc>,
}

/// One assignment with its whole history.
#[derive(Debug, Clone)]
pub struct AssignmentDetail {
    /// The assignment as a list shows it.
    pub item: AssignmentItem,
    /// The unit it was first given to.
    pub original_unit_id: Id,
    /// The group it came from.
    pub via_group: Option<String>,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Status history, oldest first.
    pub history: Vec<HistoryRow>,
    /// Moves to successor units, oldest first.
    pub reroutes: Vec<RerouteRow>,
}

/// One assignment with its history and reroutes.
pub async fn assignment_with_history(db: &Db, id: Id) -> Result<AssignmentDetail> {
    type Loaded = (
        Option<AssignmentItem>,
        Option<(i64, Option<String>, DateTime<Utc>)>,
        Vec<HistoryRow>,
        Vec<RerouteRow>,
    );
    let (item, head, history, reroutes): Loaded = {
        let item = query(&format!(
            "SELECT {ITEM_COLUMNS} FROM assignments a JOIN tasks t ON t.id = a.task_id JOIN plans p ON p.id = a.plan_id WHERE a.id = $1"
        ))
        .bind(id)
        .fetch_optional(db)
        .await?;
        let head =
            query("SELECT original_unit_id, via_group, created_at FROM assignments WHERE id = $1")
                .bind(id)
                .fetch_optional(db)
                .await?;
        let history = query(
            "SELECT id, unit_id, from_status, to_status, actor_id, at, note FROM status_changes WHERE assignment_id = $1 ORDER BY at, id",
        )
        .bind(id)
        .fetch_all(db)
        .await?;
        let reroutes = query(
            "SELECT from_unit_id, to_unit_id, event_id, at FROM assignment_reroutes WHERE assignment_id = $1 ORDER BY at, id",
        )
        .bind(id)
        .fetch_all(db)
        .await?;
        (item, head, history, reroutes)
    };
    let (item, (original_unit_id, via_group, created_at)) =
        item.zip(head).ok_or(StoreError::NotFound {
            what: "phân công",
            id,
        })?;
    Ok(AssignmentDetail {
        item,
        original_unit_id,
        via_group,
        created_at,
        history,
        reroutes,
    })
}

/// What classification needs of an assignment and its task, as [`assignment_facts`] reads it.
#[derive(sqlx::FromRow)]
struct FactsHead {
    id: Id,
    unit_id: Id,
    deadline_kind: Stored<DeadlineKind>,
    due: Option<NaiveDate>,
    triggered_on: Option<NaiveDate>,
    condition_days: Option<i64>,
    created_at: DateTime<Utc>,
}

/// Everything the domain's classification needs for each assignment of the scope (current
/// responsible unit), keyed by assignment id: used to check the SQL against the domain rule
/// and for per-period judgements of standing duties.
pub async fn assignment_facts(
    db: &Db,
    scope: Scope,
) -> Result<BTreeMap<Id, (Id, AssignmentFacts)>> {
    let filter = match scope {
        Scope::Province(_) => "a.province_id = $1",
        Scope::Plan(_) => "a.plan_id = $1",
        Scope::Unit(_) => "a.unit_id = $1",
    };
    type Loaded = (
        Vec<FactsHead>,
        Vec<(Id, Stored<Status>, DateTime<Utc>)>,
        Vec<(i64, NaiveDate, DateTime<Utc>)>,
        Vec<(i64, DateTime<Utc>)>,
    );
    let (heads, changes, extensions, reports): Loaded = {
        let heads = query(&format!(
            "SELECT a.id, a.unit_id, t.deadline_kind, t.due, t.triggered_on, t.condition_days, a.created_at \
             FROM assignments a JOIN tasks t ON t.id = a.task_id WHERE {filter} ORDER BY a.id"
        ))
        .bind(scope_id(scope))
        .fetch_all(db)
        .await?;
        let changes = query(&format!(
            "SELECT s.assignment_id, s.to_status, s.at FROM status_changes s JOIN assignments a ON a.id = s.assignment_id \
             WHERE {filter} ORDER BY s.assignment_id, s.at, s.id"
        ))
        .bind(scope_id(scope))
        .fetch_all(db)
        .await?;
        let extensions = query(&format!(
            "SELECT e.assignment_id, e.new_due, e.decided_at FROM extension_requests e JOIN assignments a ON a.id = e.assignment_id \
             WHERE {filter} AND e.state = 'approved' AND e.decided_at IS NOT NULL ORDER BY e.decided_at, e.id"
        ))
        .bind(scope_id(scope))
        .fetch_all(db)
        .await?;
        let reports = query(&format!(
            "SELECT r.assignment_id, r.at FROM progress_reports r JOIN assignments a ON a.id = r.assignment_id WHERE {filter} ORDER BY r.at"
        ))
        .bind(scope_id(scope))
        .fetch_all(db)
        .await?;
        (heads, changes, extensions, reports)
    };
    let mut out = BTreeMap::new();
    for h in heads {
        let facts = AssignmentFacts {
            kind: h.deadline_kind.0,
            original_due: h.due,
            extensions: Vec::new(),
            trigger: h.triggered_on,
            condition_days: h.condition_days.and_then(|d| u32::try_from(d).ok()),
            created_at: h.created_at,
            history: Vec::new(),
            reports: Vec::new(),
        };
        out.insert(h.id, (h.unit_id, facts));
    }
    for (id, Stored(to), at) in changes {
        if let Some((_, f)) = out.get_mut(&id) {
            f.history.push(StatusChange {
                assignment_id: id,
                from: None,
                to,
                actor_id: None,
                at,
                note: None,
            });
        }
    }
    for (id, due, decided_at) in extensions {
        if let Some((_, f)) = out.get_mut(&id) {
            f.extensions.push(ApprovedExtension { due, decided_at });
        }
    }
    for (id, at) in reports {
        if let Some((_, f)) = out.get_mut(&id) {
            f.reports.push(at);
        }
    }
    Ok(out)
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
