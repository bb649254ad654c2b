//! The status-class queries the dashboards use: counts, overdue and due-soon lists, and one
//! assignment's history.
//!
//! Every count and class list answers from the class-interval table (`crate::intervals`):
//! each assignment's class per stretch of days as `tinhgon_domain::timeline::class_intervals`
//! computes it, rewritten by every write in the same transaction. Today and any past day
//! cost the same index range; a test compares the answers with the domain's `classify`.

use super::*;
use crate::intervals::fresh_facts;

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
        let facts = fresh_facts(
            h.deadline_kind,
            h.due,
            h.triggered_on,
            h.condition_days,
            h.created_at,
        );
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
