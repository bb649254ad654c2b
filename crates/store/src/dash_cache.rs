//! The dashboard count cache, kept in the database so every instance sees the same thing
//! (migration 0007): per province a generation counter that every writing transaction
//! rewriting class intervals bumps ([`bump_generations`], called by
//! `crate::intervals::write_intervals`), and per (province, day) the computed dashboard with
//! the generation read *before* computing it (a plan's dashboard is computed on each read: see
//! `scope_parts`). A read whose row is behind the counter recomputes
//! and upserts; two instances missing at once both compute the same answer (harmless).
//!
//! What is cached is what the class intervals and the assignments' status, due date and unit
//! decide (counts by unit and class, the first lines of the overdue and due-soon lists, their
//! totals), plus the lines' task texts and plan numbers, which are fixed at publication. Unit
//! names are read fresh for each view, so a renamed unit needs no invalidation.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Days, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use tinhgon_domain::class::StatusClass;
use tinhgon_domain::model::Id;
use tinhgon_domain::tally::ClassCounts;

use crate::error::{Result, StoreError};
use crate::intervals::placeholders;
use crate::status::{self, AssignmentItem, Scope};
use crate::tx::query;
use crate::Db;

/// Lines of the overdue and due-soon lists kept and shown (the totals are exact).
pub const LIST_CAP: usize = 100;

/// The due-soon window of the dashboards, in days after the day asked about.
pub const DUE_SOON_DAYS: u32 = 7;

/// A list cut to its first [`LIST_CAP`] lines, with the number of lines in full.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Capped {
    /// Lines in the whole list.
    pub total: u64,
    /// Assignment ids of the first lines, in list order.
    pub ids: Vec<Id>,
}

/// What a dashboard counts for a scope on a day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DashCounts {
    /// Count per class over the scope.
    pub counts: ClassCounts,
    /// Count per class for each unit responsible that day (units with nothing counted absent).
    pub by_unit: BTreeMap<Id, ClassCounts>,
    /// Overdue assignments that day, oldest due date first.
    pub overdue: Capped,
    /// Open assignments due from the day to 7 days after, soonest first.
    pub due_soon: Capped,
}

/// A dashboard as read through the cache.
#[derive(Debug, Clone)]
pub struct Cached {
    /// The counts and lists.
    pub data: DashCounts,
    /// The list lines of `data.overdue.ids` and `data.due_soon.ids`, by id.
    pub lines: HashMap<Id, AssignmentItem>,
    /// The province generation the data was computed at (None: scope not cached).
    pub generation: Option<i64>,
    /// True when this read computed the data (a miss), false on a cache hit.
    pub computed: bool,
}

/// The stored form: class names once, then the counts of each unit in that order, and the
/// list lines. A line's task text and plan number are fixed at publication and its status,
/// due date and unit change only in writes that bump the generation, so a current row holds
/// current lines (unit names are not stored: a renamed unit needs no invalidation).
#[derive(Serialize, Deserialize)]
struct Payload {
    classes: Vec<String>,
    units: Vec<(Id, Vec<u64>)>,
    overdue: Capped,
    due_soon: Capped,
    /// Absent in rows written before lines were stored: such a row is recomputed.
    #[serde(default)]
    lines: Option<Vec<AssignmentItem>>,
}

impl Payload {
    fn new(d: &DashCounts, lines: &HashMap<Id, AssignmentItem>) -> Payload {
        let mut stored: Vec<AssignmentItem> = lines.values().cloned().collect();
        stored.sort_unstable_by_key(|l| l.id);
        Payload {
            lines: Some(stored),
            classes: StatusClass::ALL
                .iter()
                .map(|c| c.as_str().to_string())
                .collect(),
            units: d
                .by_unit
                .iter()
                .map(|(id, c)| {
                    let row = StatusClass::ALL
                        .iter()
                        .map(|k| c.by_class.get(k).copied().unwrap_or(0))
                        .collect();
                    (*id, row)
                })
                .collect(),
            overdue: d.overdue.clone(),
            due_soon: d.due_soon.clone(),
        }
    }

    /// The counts and the lines (None: a row without lines, to be recomputed).
    fn into_parts(self) -> Result<Option<(DashCounts, HashMap<Id, AssignmentItem>)>> {
        let Some(stored) = self.lines else {
            return Ok(None);
        };
        let classes = self
            .classes
            .iter()
            .map(|s| {
                StatusClass::parse(s)
                    .ok_or_else(|| StoreError::Corrupt(format!("lớp trạng thái {s} trong bộ đệm")))
            })
            .collect::<Result<Vec<_>>>()?;
        let mut by_unit = BTreeMap::new();
        for (id, row) in self.units {
            let mut c = empty_counts();
            for (k, n) in classes.iter().zip(row) {
                *c.by_class.entry(*k).or_insert(0) += n;
            }
            by_unit.insert(id, c);
        }
        let lines = stored.into_iter().map(|l| (l.id, l)).collect();
        Ok(Some((
            DashCounts {
                counts: sum(&by_unit),
                by_unit,
                overdue: self.overdue,
                due_soon: self.due_soon,
            },
            lines,
        )))
    }
}

fn empty_counts() -> ClassCounts {
    ClassCounts::tally(std::iter::empty())
}

fn sum(by_unit: &BTreeMap<Id, ClassCounts>) -> ClassCounts {
    let mut total = empty_counts();
    for c in by_unit.values() {
        for (k, n) in &c.by_class {
            *total.by_class.entry(*k).or_insert(0) += n;
        }
    }
    total
}

/// The scopes worth caching: a province (70,000 assignments nationally at most). A plan (a
/// few dozen, at most a few thousand) costs less to compute than a cache row costs to write,
/// and writing one per miss made every SQLite reader drop its page cache (WAL change).
fn scope_parts(scope: Scope) -> Option<(&'static str, Id)> {
    match scope {
        Scope::Province(id) => Some(("province", id)),
        Scope::Plan(_) | Scope::Unit(_) => None,
    }
}

/// The dashboard of a province on `day`, from the cache when its generation is current, else
/// computed and stored. A plan or a unit scope is computed every time (not cached).
pub async fn dashboard(db: &Db, scope: Scope, day: NaiveDate) -> Result<Cached> {
    let Some((kind, scope_id)) = scope_parts(scope) else {
        let (data, lines) = compute_with_lines(db, scope, day).await?;
        return Ok(Cached {
            data,
            lines,
            generation: None,
            computed: true,
        });
    };
    // The generation is read before computing: data computed later is at least that new,
    // so a row is never labelled newer than what it holds.
    // Only provinces are cached: the province key is the scope id.
    let key = scope_id;
    type Row = (i64, Option<i64>, Option<String>);
    let (current, stored, payload): Row = query(
            "SELECT COALESCE((SELECT g.generation FROM dash_generations g WHERE g.province_key = $2), 0), \
             c.generation, c.payload FROM (SELECT 1 AS one) k \
             LEFT JOIN dash_cache c ON c.scope_kind = $1 AND c.scope_id = $2 AND c.day = $3",
        )
        .bind(kind)
        .bind(scope_id)
        .bind(day)
        .fetch_one(db)
        .await?;
    if let (Some(g), Some(p)) = (stored, payload) {
        if g == current {
            let payload: Payload = serde_json::from_str(&p)
                .map_err(|e| StoreError::Corrupt(format!("bộ đệm tổng quan: {e}")))?;
            if let Some((data, lines)) = payload.into_parts()? {
                return Ok(Cached {
                    data,
                    lines,
                    generation: Some(g),
                    computed: false,
                });
            }
        }
    }
    let (data, lines) = compute_with_lines(db, scope, day).await?;
    let payload = serde_json::to_string(&Payload::new(&data, &lines))
        .map_err(|e| StoreError::Corrupt(format!("bộ đệm tổng quan: {e}")))?;
    let now: DateTime<Utc> = Utc::now();
    query(
        "INSERT INTO dash_cache (scope_kind, scope_id, day, province_key, generation, payload, computed_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) \
         ON CONFLICT (scope_kind, scope_id, day) DO UPDATE SET province_key = excluded.province_key, \
         generation = excluded.generation, payload = excluded.payload, computed_at = excluded.computed_at \
         WHERE excluded.generation >= dash_cache.generation",
        // `>=`: never older over newer, but a row of the same generation is replaced (one
        // written before lines were stored would otherwise be recomputed on every read).
    )
    .bind(kind)
    .bind(scope_id)
    .bind(day)
    .bind(key)
    .bind(current)
    .bind(&payload)
    .bind(now)
    .execute(db)
    .await?;
    // Rows of older generations of the province can never be read again.
    query("DELETE FROM dash_cache WHERE province_key = $1 AND generation < $2")
        .bind(key)
        .bind(current)
        .execute(db)
        .await?;
    Ok(Cached {
        data,
        lines,
        generation: Some(current),
        computed: true,
    })
}

/// [`compute`] and the lines of its lists.
async fn compute_with_lines(
    db: &Db,
    scope: Scope,
    day: NaiveDate,
) -> Result<(DashCounts, HashMap<Id, AssignmentItem>)> {
    let data = compute(db, scope, day).await?;
    let mut ids = data.overdue.ids.clone();
    ids.extend(&data.due_soon.ids);
    let lines = items_by_id(db, &ids).await?;
    Ok((data, lines))
}

/// Computes the dashboard of `scope` on `day` from the class intervals and the assignments,
/// without the cache (what the cache must always equal).
pub async fn compute(db: &Db, scope: Scope, day: NaiveDate) -> Result<DashCounts> {
    if let Scope::Plan(plan) = scope {
        return compute_plan(db, plan, day).await;
    }
    let by_unit = by_unit_counts(db, scope, day).await?;
    let counts = sum(&by_unit);
    let overdue_ids = overdue_ids(db, scope, day, LIST_CAP).await?;
    let overdue = Capped {
        total: counts
            .by_class
            .get(&StatusClass::Overdue)
            .copied()
            .unwrap_or(0),
        ids: overdue_ids,
    };
    let due_soon = due_soon_page(db, scope, day, LIST_CAP).await?;
    Ok(DashCounts {
        counts,
        by_unit,
        overdue,
        due_soon,
    })
}

/// A plan's dashboard from one read of its intervals covering `day` (counts and the overdue
/// list are folded here, in `overdue_ids`'s order) and the due-soon page.
async fn compute_plan(db: &Db, plan: Id, day: NaiveDate) -> Result<DashCounts> {
    let rows: Vec<(i64, i64, String, Option<NaiveDate>)> = query(
        "SELECT a.id, i.unit_id, i.class, a.due FROM assignments a \
             JOIN assignment_class_intervals i ON i.assignment_id = a.id \
             WHERE a.plan_id = $2 AND i.to_day > $1 AND i.from_day <= $1",
    )
    .bind(day)
    .bind(plan)
    .fetch_all(db)
    .await?;
    let mut by_unit: BTreeMap<Id, ClassCounts> = BTreeMap::new();
    let mut overdue = Vec::new();
    for (id, unit, class, due) in rows {
        let c = StatusClass::parse(&class)
            .ok_or_else(|| StoreError::Corrupt(format!("lớp trạng thái {class}")))?;
        *by_unit
            .entry(unit)
            .or_insert_with(empty_counts)
            .by_class
            .entry(c)
            .or_insert(0) += 1;
        if c == StatusClass::Overdue {
            overdue.push((due, id));
        }
    }
    overdue.sort_unstable();
    let total = overdue.len() as u64;
    overdue.truncate(LIST_CAP);
    Ok(DashCounts {
        counts: sum(&by_unit),
        by_unit,
        overdue: Capped {
            total,
            ids: overdue.into_iter().map(|(_, id)| id).collect(),
        },
        due_soon: due_soon_page(db, Scope::Plan(plan), day, LIST_CAP).await?,
    })
}

/// Counts by (unit, class) on `day`. SQLite: the existing loose index scan of
/// `crate::status`. PostgreSQL: one `GROUP BY` over the province's index range, cheaper
/// there than ~1,400 correlated counts (one per unit and class).
async fn by_unit_counts(
    db: &Db,
    scope: Scope,
    day: NaiveDate,
) -> Result<BTreeMap<Id, ClassCounts>> {
    match (db, scope) {
        (Db::Postgres(_), Scope::Province(p)) => {
            let rows: Vec<(i64, String, i64)> = query(
                "SELECT unit_id, class, COUNT(*) FROM assignment_class_intervals \
                 WHERE province_id = $2 AND to_day > $1 AND from_day <= $1 GROUP BY unit_id, class",
            )
            .bind(day)
            .bind(p)
            .fetch_all(db)
            .await?;
            let mut out: BTreeMap<Id, ClassCounts> = BTreeMap::new();
            for (unit, class, n) in rows {
                let c = StatusClass::parse(&class)
                    .ok_or_else(|| StoreError::Corrupt(format!("lớp trạng thái {class}")))?;
                *out.entry(unit)
                    .or_insert_with(empty_counts)
                    .by_class
                    .entry(c)
                    .or_insert(0) += u64::try_from(n).unwrap_or(0);
            }
            Ok(out)
        }
        _ => status::status_counts_by_unit(db, scope, day, Utc::now()).await,
    }
}

fn list_filter(scope: Scope, interval_table: bool) -> &'static str {
    match (scope, interval_table) {
        (Scope::Province(_), true) => "i.province_id = $2",
        (Scope::Province(_), false) => "a.province_id = $2",
        (Scope::Plan(_), true) => {
            "i.assignment_id IN (SELECT a.id FROM assignments a WHERE a.plan_id = $2)"
        }
        (Scope::Plan(_), false) => "a.plan_id = $2",
        (Scope::Unit(_), true) => "i.unit_id = $2",
        (Scope::Unit(_), false) => "a.unit_id = $2",
    }
}

fn scope_id(scope: Scope) -> Id {
    match scope {
        Scope::Province(id) | Scope::Plan(id) | Scope::Unit(id) => id,
    }
}

/// Ids of the first `limit` assignments overdue on `day` within the scope, in the order of
/// `status::overdue_list` (due date, then id).
async fn overdue_ids(db: &Db, scope: Scope, day: NaiveDate, limit: usize) -> Result<Vec<Id>> {
    // The overdue intervals are gathered first (MATERIALIZED): left to itself PostgreSQL
    // walked `assignments_due` over the whole country looking for the province's first 100
    // (0.5 s alone, 2–4 s under load).
    let sql = format!(
        "WITH o AS MATERIALIZED (SELECT i.assignment_id FROM assignment_class_intervals i \
         WHERE {} AND i.class = 'overdue' AND i.to_day > $1 AND i.from_day <= $1) \
         SELECT a.id FROM o JOIN assignments a ON a.id = o.assignment_id ORDER BY a.due, a.id LIMIT $3",
        list_filter(scope, true)
    );
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    let ids: Vec<i64> = query(&sql)
        .bind(day)
        .bind(scope_id(scope))
        .bind(limit)
        .scalars(db)
        .await?;
    Ok(ids)
}

/// The first `limit` lines of `status::due_soon(scope, day, 7)` (same filter and order) and
/// how many lines it has, in one statement.
pub async fn due_soon_page(db: &Db, scope: Scope, day: NaiveDate, limit: usize) -> Result<Capped> {
    let until = day
        .checked_add_days(Days::new(u64::from(DUE_SOON_DAYS)))
        .unwrap_or(day);
    let sql = format!(
        "SELECT a.id, COUNT(*) OVER () FROM assignments a JOIN tasks t ON t.id = a.task_id \
         WHERE {} AND a.status NOT IN ('done', 'cancelled') AND a.due >= $1 AND a.due <= $3 \
         AND NOT (t.deadline_kind = 'conditional' AND (t.triggered_on IS NULL OR t.triggered_on > $1)) \
         ORDER BY a.due, a.id LIMIT $4",
        list_filter(scope, false)
    );
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    let rows: Vec<(i64, i64)> = query(&sql)
        .bind(day)
        .bind(scope_id(scope))
        .bind(until)
        .bind(limit)
        .fetch_all(db)
        .await?;
    Ok(Capped {
        total: rows.first().map_or(0, |r| u64::try_from(r.1).unwrap_or(0)),
        ids: rows.into_iter().map(|r| r.0).collect(),
    })
}

/// The list lines of `ids`, in the order given (ids that do not exist are skipped).
pub async fn items(db: &Db, ids: &[Id]) -> Result<Vec<AssignmentItem>> {
    let by_id = items_by_id(db, ids).await?;
    Ok(ids.iter().filter_map(|id| by_id.get(id).cloned()).collect())
}

/// The list lines of `ids`, by id.
pub async fn items_by_id(db: &Db, ids: &[Id]) -> Result<HashMap<Id, AssignmentItem>> {
    let mut unique = ids.to_vec();
    unique.sort_unstable();
    unique.dedup();
    let ids = &unique;
    let mut by_id: HashMap<Id, AssignmentItem> = HashMap::with_capacity(ids.len());
    for chunk in ids.chunks(400) {
        let sql = format!(
            "SELECT a.id, a.task_id, a.plan_id, a.unit_id, a.due, a.status, t.ref AS task_ref, t.content, \
             p.number AS plan_number FROM assignments a JOIN tasks t ON t.id = a.task_id \
             JOIN plans p ON p.id = a.plan_id WHERE a.id IN ({})",
            placeholders(chunk.len(), 1)
        );
        let rows: Vec<AssignmentItem> = {
            let mut q = query(&sql);
            for id in chunk {
                q = q.bind(*id);
            }
            q.fetch_all(db).await?
        };
        by_id.extend(rows.into_iter().map(|r| (r.id, r)));
    }
    Ok(by_id)
}

/// Names of the units `ids`, by id.
pub async fn unit_names(db: &Db, ids: &[Id]) -> Result<HashMap<Id, String>> {
    let mut out = HashMap::with_capacity(ids.len());
    let mut unique = ids.to_vec();
    unique.sort_unstable();
    unique.dedup();
    for chunk in unique.chunks(400) {
        let sql = format!(
            "SELECT id, name FROM units WHERE id IN ({})",
            placeholders(chunk.len(), 1)
        );
        let rows: Vec<(i64, String)> = {
            let mut q = query(&sql);
            for id in chunk {
                q = q.bind(*id);
            }
            q.fetch_all(db).await?
        };
        out.extend(rows);
    }
    Ok(out)
}

/// A plan in the dashboard's picker: id, number, title.
pub type PlanChoice = (Id, Option<String>, Option<String>);

/// The `limit` most recently published plans of a province (index
/// `plans_province_state_published`; the plans without a province when `province` is None).
pub async fn recent_published_plans(
    db: &Db,
    province: Option<Id>,
    limit: usize,
) -> Result<Vec<PlanChoice>> {
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    let rows: Vec<PlanChoice> = match province {
            Some(p) => query(
                "SELECT id, number, title FROM plans WHERE province_id = $1 AND state = 'published' \
                 ORDER BY published_at DESC, id DESC LIMIT $2",
            )
            .bind(p)
            .bind(limit)
            .fetch_all(db)
            .await?,
            None => query(
                "SELECT id, number, title FROM plans WHERE province_id IS NULL AND state = 'published' \
                 ORDER BY published_at DESC, id DESC LIMIT $1",
            )
            .bind(limit)
            .fetch_all(db)
            .await?,
        };
    Ok(rows)
}

/// A published plan of `province` (None: installation-wide plans) by its id.
pub async fn published_plan(db: &Db, province: Option<Id>, id: Id) -> Result<Option<PlanChoice>> {
    let row: Option<PlanChoice> = match province {
        Some(p) => {
            query(
                "SELECT id, number, title FROM plans WHERE id = $1 AND province_id = $2 AND state = 'published'",
            )
            .bind(id)
            .bind(p)
            .fetch_optional(db)
            .await?
        }
        None => {
            query(
                "SELECT id, number, title FROM plans WHERE id = $1 AND province_id IS NULL AND state = 'published'",
            )
            .bind(id)
            .fetch_optional(db)
            .await?
        }
    };
    Ok(row)
}

/// The published plan of the province numbered `number` (exact, as printed: "615/KH-UBND"),
/// the most recently published one when several carry it.
pub async fn published_plan_by_number(
    db: &Db,
    province: Option<Id>,
    number: &str,
) -> Result<Option<PlanChoice>> {
    let row: Option<PlanChoice> = match province {
            Some(p) => query(
                "SELECT id, number, title FROM plans WHERE province_id = $1 AND number = $2 AND state = 'published' \
                 ORDER BY published_at DESC, id DESC LIMIT 1",
            )
            .bind(p)
            .bind(number)
            .fetch_optional(db)
            .await?,
            None => query(
                "SELECT id, number, title FROM plans WHERE province_id IS NULL AND number = $1 AND state = 'published' \
                 ORDER BY published_at DESC, id DESC LIMIT 1",
            )
            .bind(number)
            .fetch_optional(db)
            .await?,
        };
    Ok(row)
}

/// The generation a province's dashboards are valid for (0 before any write).
pub async fn generation(db: &Db, province: Option<Id>) -> Result<i64> {
    let g: Option<i64> = query("SELECT generation FROM dash_generations WHERE province_key = $1")
        .bind(province.unwrap_or(0))
        .scalar_optional(db)
        .await?;
    Ok(g.unwrap_or(0))
}

/// Bumps the generation of province key `$1` (0: no province); run by
/// `crate::intervals::write_intervals` in the writing transaction, keys in ascending order
/// (two writers lock the counters in the same order).
pub(crate) const BUMP_GENERATION: &str =
    "INSERT INTO dash_generations (province_key, generation) VALUES ($1, 1) \
     ON CONFLICT (province_key) DO UPDATE SET generation = dash_generations.generation + 1";

/// What the dashboard needs of a plan: enough for the rights of dashboard viewers (province,
/// state, public flag) and its number for the heading, without loading the draft.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DashboardPlan {
    /// Province.
    pub province_id: Option<Id>,
    /// Lifecycle state.
    pub state: tinhgon_domain::plan::PlanState,
    /// Public.
    pub public: bool,
    /// Number ("615/KH-UBND").
    pub number: Option<String>,
}

/// What the dashboard needs of plan `id` (None when there is no such plan).
pub async fn dashboard_plan(db: &Db, id: Id) -> Result<Option<DashboardPlan>> {
    let row: Option<(Option<i64>, String, i32, Option<String>)> = query("SELECT province_id, state, CASE WHEN public THEN 1 ELSE 0 END, number FROM plans WHERE id = $1")
            .bind(id)
            .fetch_optional(db)
            .await?;
    row.map(|(province_id, state, public, number)| {
        Ok(DashboardPlan {
            province_id,
            state: crate::util::parse_enum(&state)?,
            public: public != 0,
            number,
        })
    })
    .transpose()
}
