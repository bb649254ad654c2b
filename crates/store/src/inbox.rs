//! The officer's inbox ("Việc của tôi") as pages: the assignments a unit is responsible for
//! on a day, with their class that day read from the class-interval table (the dashboard's
//! rule: the interval `from_day <= day < to_day` whose unit is this unit), filtered in SQL,
//! in a stable order (due date, undated last, then id), one page at a time.
//!
//! Cost on national data (a department with ~3,000 assignments): the per-class counts are one
//! covering index range of the interval table; the first page reads ~50 entries of
//! `assignments_unit_due` in order, one interval lookup each, and stops (SQLite merges the two
//! ordered halves of the UNION ALL without sorting). Only a page's rows join tasks and plans
//! and look up their latest progress report.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use tinhgon_domain::class::StatusClass;
use tinhgon_domain::model::Id;

use crate::error::{Result, StoreError};
use crate::tx::{query, Arg};
use crate::web_queries::{WorkRow, WORK_COLUMNS};
use crate::Db;

/// Rows per page when the caller does not say.
pub const DEFAULT_PER_PAGE: u32 = 50;
/// Most rows one page may hold.
pub const MAX_PER_PAGE: u32 = 200;

/// What the inbox keeps (all `None`: everything of the unit that day).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct InboxFilter {
    /// Only this class.
    pub class: Option<StatusClass>,
    /// Only assignments due on or before this day (undated ones are left out).
    pub due_before: Option<NaiveDate>,
    /// Only this plan's assignments.
    pub plan: Option<Id>,
}

/// Which page: rows `offset .. offset + limit` of the ordered inbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paging {
    /// Page number, from 1.
    pub page: u32,
    /// Rows per page (1..=[`MAX_PER_PAGE`]).
    pub per_page: u32,
}

impl Default for Paging {
    fn default() -> Self {
        Paging {
            page: 1,
            per_page: DEFAULT_PER_PAGE,
        }
    }
}

impl Paging {
    /// Rows skipped before this page.
    pub fn offset(&self) -> u64 {
        u64::from(self.page.max(1) - 1) * u64::from(self.per_page)
    }
}

/// One assignment of the inbox with its class on the day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InboxLine {
    /// The assignment as lists show it (latest progress percent included).
    pub work: WorkRow,
    /// Its class on the day.
    pub class: StatusClass,
}

/// One page of a unit's inbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InboxPage {
    /// Counts per class within the plan and due filters (not the class filter), so each
    /// count is what choosing that class shows.
    pub counts: BTreeMap<StatusClass, u64>,
    /// Rows the filters keep (all pages).
    pub total: u64,
    /// This page's rows, in inbox order.
    pub lines: Vec<InboxLine>,
}

#[derive(sqlx::FromRow)]
struct RawLine {
    #[sqlx(flatten)]
    work: WorkRow,
    class: String,
}

fn parse_class(s: &str) -> Result<StatusClass> {
    StatusClass::parse(s).ok_or_else(|| StoreError::Corrupt(format!("lớp trạng thái {s}")))
}

/// The plan and due-date conditions on `a` (their values pushed to `binds`, numbered after
/// `$1` unit and `$2` day).
fn plan_due_sql(filter: &InboxFilter, binds: &mut Vec<Arg>) -> String {
    let mut extra = String::new();
    if let Some(p) = filter.plan {
        binds.push(Arg::from(p));
        extra.push_str(&format!(" AND a.plan_id = ${}", binds.len() + 2));
    }
    if let Some(d) = filter.due_before {
        binds.push(Arg::from(d));
        extra.push_str(&format!(" AND a.due <= ${}", binds.len() + 2));
    }
    extra
}

/// The keyed rows `(id, due, class)` of the inbox: assignments the unit holds now, plus those
/// that moved away from it since (a past day still shows them), whose interval covering `$2`
/// belongs to the unit `$1`. Each half keeps the filters so SQLite can walk an index in order.
/// `walk` (SQLite, no class filter) makes the assignments the outer loop (`CROSS JOIN` fixes
/// SQLite's join order): from its statistics the planner may lead from the interval table,
/// which reads and sorts all of a unit's ~3,000 rows for a page of 50.
fn keyed(filter: &InboxFilter, with_class: bool, walk: bool, binds: &mut Vec<Arg>) -> String {
    let join = if walk { "CROSS JOIN" } else { "JOIN" };
    let mut extra = String::new();
    if with_class {
        if let Some(c) = filter.class {
            binds.push(Arg::from(c.as_str()));
            extra.push_str(&format!(" AND i.class = ${}", binds.len() + 2));
        }
    }
    extra.push_str(&plan_due_sql(filter, binds));
    format!(
        "SELECT a.id AS id, a.due AS due, i.class AS class FROM assignments a \
         {join} assignment_class_intervals i ON i.assignment_id = a.id \
         WHERE a.unit_id = $1 AND i.unit_id = $1 AND i.from_day <= $2 AND i.to_day > $2{extra} \
         UNION ALL \
         SELECT a.id, a.due, i.class FROM assignments a \
         JOIN assignment_class_intervals i ON i.assignment_id = a.id \
         WHERE a.id IN (SELECT r.assignment_id FROM assignment_reroutes r WHERE r.from_unit_id = $1) \
         AND a.unit_id <> $1 AND i.unit_id = $1 AND i.from_day <= $2 AND i.to_day > $2{extra}"
    )
}

/// [`keyed`] without a class filter on PostgreSQL: the unit's assignments walked in due
/// order (`assignments_unit_due`), each probing its interval through a `LATERAL … LIMIT 1`,
/// stopping after `$last` rows, then the moved-away half. PostgreSQL underestimates how many
/// intervals cover a day (`from_day <= d AND to_day > d` taken as independent), so a plain
/// join reads and sorts all ~3,000 of a department's intervals for a page of 50. SQLite has no
/// LATERAL and already walks the index in order with [`keyed`].
fn keyed_walk(filter: &InboxFilter, binds: &mut Vec<Arg>, last: usize) -> String {
    let extra = plan_due_sql(filter, binds);
    format!(
        "SELECT * FROM (SELECT a.id AS id, a.due AS due, c.class AS class FROM assignments a \
         CROSS JOIN LATERAL (SELECT i.class FROM assignment_class_intervals i WHERE i.assignment_id = a.id \
         AND i.unit_id = $1 AND i.from_day <= $2 AND i.to_day > $2 LIMIT 1) c \
         WHERE a.unit_id = $1{extra} ORDER BY a.due NULLS LAST, a.id LIMIT ${last}) m \
         UNION ALL \
         SELECT a.id, a.due, i.class FROM assignments a \
         JOIN assignment_class_intervals i ON i.assignment_id = a.id \
         WHERE a.id IN (SELECT r.assignment_id FROM assignment_reroutes r WHERE r.from_unit_id = $1) \
         AND a.unit_id <> $1 AND i.unit_id = $1 AND i.from_day <= $2 AND i.to_day > $2{extra}"
    )
}

/// Counts per class of the unit's inbox on `day` within the plan and due filters (the class
/// filter is ignored). Without those filters it is one covering range of `aci_unit_class_day`.
pub async fn class_counts(
    db: &Db,
    unit: Id,
    day: NaiveDate,
    filter: &InboxFilter,
) -> Result<BTreeMap<StatusClass, u64>> {
    let mut binds = Vec::new();
    let sql = if filter.plan.is_none() && filter.due_before.is_none() {
        "SELECT class, COUNT(*) FROM assignment_class_intervals \
         WHERE unit_id = $1 AND to_day > $2 AND from_day <= $2 GROUP BY class"
            .to_string()
    } else {
        format!(
            "SELECT class, COUNT(*) FROM ({}) k GROUP BY class",
            keyed(filter, false, false, &mut binds)
        )
    };
    let rows: Vec<(String, i64)> = query(&sql)
        .bind(unit)
        .bind(day)
        .bind_all(binds)
        .fetch_all(db)
        .await?;
    let mut out = BTreeMap::new();
    for (class, n) in rows {
        *out.entry(parse_class(&class)?).or_insert(0) += u64::try_from(n).unwrap_or(0);
    }
    Ok(out)
}

/// The rows of one page of the unit's inbox on `day` (see the module header for the order).
pub async fn page_lines(
    db: &Db,
    unit: Id,
    day: NaiveDate,
    filter: &InboxFilter,
    paging: Paging,
) -> Result<Vec<InboxLine>> {
    let mut binds = Vec::new();
    let walk = matches!(db, Db::Postgres(_)) && filter.class.is_none();
    // Placeholders: $1 unit, $2 day, the filters', then limit, offset and (walk) their sum.
    let filters = usize::from(filter.plan.is_some()) + usize::from(filter.due_before.is_some());
    let inner = if walk {
        keyed_walk(filter, &mut binds, filters + 5)
    } else {
        // Here the backend is SQLite or a class is chosen (then the class's intervals lead).
        keyed(filter, true, filter.class.is_none(), &mut binds)
    };
    let n = binds.len() + 2;
    let sql = format!(
        "SELECT {WORK_COLUMNS}, k.class FROM ({inner} ORDER BY due NULLS LAST, id LIMIT ${} OFFSET ${}) k \
         JOIN assignments a ON a.id = k.id JOIN tasks t ON t.id = a.task_id JOIN plans p ON p.id = a.plan_id \
         ORDER BY k.due NULLS LAST, k.id",
        n + 1,
        n + 2
    );
    let limit = i64::from(paging.per_page.clamp(1, MAX_PER_PAGE));
    let offset = i64::try_from(paging.offset()).unwrap_or(i64::MAX);
    let rows: Vec<RawLine> = {
        let q = query(&sql)
            .bind(unit)
            .bind(day)
            .bind_all(binds)
            .bind(limit)
            .bind(offset);
        if walk {
            q.bind(limit.saturating_add(offset)).fetch_all(db).await?
        } else {
            q.fetch_all(db).await?
        }
    };
    rows.into_iter()
        .map(|r| {
            Ok(InboxLine {
                class: parse_class(&r.class)?,
                work: r.work,
            })
        })
        .collect()
}

/// Counts, total and one page of the unit's inbox on `day`. The total follows from the
/// counts, so no query reads every matching row twice.
pub async fn inbox_page(
    db: &Db,
    unit: Id,
    day: NaiveDate,
    filter: &InboxFilter,
    paging: Paging,
) -> Result<InboxPage> {
    let counts = class_counts(db, unit, day, filter).await?;
    let total = match filter.class {
        Some(c) => counts.get(&c).copied().unwrap_or(0),
        None => counts.values().sum(),
    };
    let lines = if paging.offset() < total {
        page_lines(db, unit, day, filter, paging).await?
    } else {
        Vec::new()
    };
    Ok(InboxPage {
        counts,
        total,
        lines,
    })
}

/// The plans the unit holds assignments of, most recent first, at most `limit` of them, and
/// how many there are in all (a busy department has a thousand: the filter offers the
/// latest). `always` is listed too when it is one of them (the plan chosen in the filter).
pub async fn unit_plans(
    db: &Db,
    unit: Id,
    limit: u32,
    always: Option<Id>,
) -> Result<(Vec<(Id, Option<String>)>, u64)> {
    // One statement: the count rides on each row (no row: the unit holds no plan).
    let rows: Vec<(Id, Option<String>, i64)> = query(
            "SELECT p.id, p.number, (SELECT COUNT(DISTINCT plan_id) FROM assignments WHERE unit_id = $1) \
             FROM plans p WHERE p.id IN \
             (SELECT DISTINCT plan_id FROM assignments WHERE unit_id = $1 ORDER BY plan_id DESC LIMIT $2) \
             ORDER BY p.id DESC",
        )
        .bind(unit)
        .bind(i64::from(limit))
        .fetch_all(db)
        .await?;
    let total = rows.first().map_or(0, |r| r.2);
    let mut plans: Vec<(Id, Option<String>)> = rows.into_iter().map(|(id, n, _)| (id, n)).collect();
    if let Some(chosen) = always.filter(|c| !plans.iter().any(|p| p.0 == *c)) {
        let extra: Option<(Id, Option<String>)> = query(
            "SELECT p.id, p.number FROM plans p WHERE p.id = $2 \
                 AND EXISTS (SELECT 1 FROM assignments a WHERE a.unit_id = $1 AND a.plan_id = $2)",
        )
        .bind(unit)
        .bind(chosen)
        .fetch_optional(db)
        .await?;
        plans.extend(extra);
    }
    Ok((plans, u64::try_from(total).unwrap_or(0)))
}

/// A task the unit coordinates (does not lead).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct CoordinatedTask {
    /// Task.
    pub task_id: Id,
    /// Plan.
    pub plan_id: Id,
    /// Plan number.
    pub plan_number: Option<String>,
    /// Task reference.
    pub task_ref: String,
    /// Task content.
    pub content: String,
    /// Deadline as written.
    pub deadline_text: String,
    /// The lead's assignment (the first when several units lead), where the coordinator reads
    /// the work and adds its contribution.
    pub lead_assignment: Option<Id>,
}

/// One page of the tasks the unit coordinates (by plan, then task order) and their number.
pub async fn coordinated_page(
    db: &Db,
    unit: Id,
    paging: Paging,
) -> Result<(Vec<CoordinatedTask>, u64)> {
    let total: i64 = query("SELECT COUNT(*) FROM task_coordinators WHERE unit_id = $1")
        .bind(unit)
        .scalar(db)
        .await?;
    let limit = i64::from(paging.per_page.clamp(1, MAX_PER_PAGE));
    let offset = i64::try_from(paging.offset()).unwrap_or(i64::MAX);
    let rows: Vec<CoordinatedTask> = if total == 0 {
        Vec::new()
    } else {
        query(
            "SELECT t.id AS task_id, t.plan_id, p.number AS plan_number, t.ref AS task_ref, t.content, t.deadline_text, \
             (SELECT MIN(a.id) FROM assignments a WHERE a.task_id = t.id) AS lead_assignment \
             FROM task_coordinators c JOIN tasks t ON t.id = c.task_id JOIN plans p ON p.id = t.plan_id \
             WHERE c.unit_id = $1 ORDER BY t.plan_id, t.position, t.id LIMIT $2 OFFSET $3",
        )
        .bind(unit)
        .bind(limit)
        .bind(offset)
        .fetch_all(db)
        .await?
    };
    Ok((rows, u64::try_from(total).unwrap_or(0)))
}
