//! The staffing ledger (quotas, headcounts, leadership posts, secondments, leavers) and the
//! reduction targets. A quota, a headcount or a leadership count entered again for the same
//! key (unit, year or day, line) replaces the earlier one; every write of a use case is one
//! transaction with its audit rows, so an import writes all its rows or none.

use chrono::{DateTime, NaiveDate, Utc};
use tinhgon_domain::draft::Direction;
use tinhgon_domain::model::Id;
use tinhgon_domain::staffing::{Measure, StaffCategory, StaffLine};
use tinhgon_domain::staffing_figures::{Figure, LeaveReason};

use crate::audit::{audited, AuditEntry};
use crate::error::{Result, StoreError};
use crate::tx::{query, Exec, Tx};
use crate::util::{enum_str, parse_enum};
use crate::Db;

/// A figure of one unit's ledger.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitFigure {
    /// The unit.
    pub unit_id: Id,
    /// The figure.
    pub figure: Figure,
}

/// Writes `figures` (entered by `by`) and the `audit` rows in one transaction; answers how
/// many figures were written.
pub async fn record_audited(
    db: &Db,
    figures: &[UnitFigure],
    by: Option<Id>,
    at: DateTime<Utc>,
    audit: &[AuditEntry],
) -> Result<usize> {
    audited(db, at, async |tx| {
        write_figures(tx, figures, by, at, None).await?;
        Ok((figures.len(), audit.to_vec()))
    })
    .await
}

/// Writes `figures` in the caller's transaction; secondments and leavers carry `report`, the
/// agency report version that gave them, if any.
pub(crate) async fn write_figures(
    tx: &mut Tx,
    figures: &[UnitFigure],
    by: Option<Id>,
    at: DateTime<Utc>,
    report: Option<Id>,
) -> Result<()> {
    write_quotas(tx, figures, by, at).await?;
    write_headcounts(tx, figures, by, at).await?;
    for f in figures {
        write_figure(tx, f, by, at, report).await?;
    }
    Ok(())
}

/// Removes the secondments and leavers that earlier versions of report request `request`
/// wrote: the version being submitted gives them anew.
pub(crate) async fn clear_request_rows(tx: &mut Tx, request: Id) -> Result<()> {
    for table in ["staffing_secondments", "staffing_leavers"] {
        query(&format!(
            "DELETE FROM {table} WHERE report_id IN (SELECT id FROM agency_reports WHERE request_id = $1)"
        ))
        .bind(request)
        .execute(&mut *tx)
        .await?;
    }
    Ok(())
}

/// Rows per multi-row statement: a 10,000-row import is a few dozen round trips instead of
/// ten thousand (on PostgreSQL each costs a network exchange), well under both backends'
/// limit on bound parameters.
const BATCH: usize = 400;

/// The last of the figures selected by `key` for each key, in first-seen order: within one
/// statement PostgreSQL refuses to update a row twice, and the later figure wins anyway.
fn last_per_key<'a, K: std::hash::Hash + Eq, T>(
    figures: &'a [UnitFigure],
    select: impl Fn(&'a UnitFigure) -> Option<(K, T)>,
) -> Vec<T> {
    let mut index: std::collections::HashMap<K, usize> = std::collections::HashMap::new();
    let mut out: Vec<T> = Vec::new();
    for f in figures {
        if let Some((k, v)) = select(f) {
            match index.get(&k) {
                Some(&i) => out[i] = v,
                None => {
                    index.insert(k, out.len());
                    out.push(v);
                }
            }
        }
    }
    out
}

/// `VALUES ($1, …, $n), (…)` for `rows` rows of `width` placeholders.
fn values(rows: usize, width: usize) -> String {
    (0..rows)
        .map(|r| {
            let cells: Vec<String> = (1..=width).map(|c| format!("${}", r * width + c)).collect();
            format!("({})", cells.join(", "))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

async fn write_quotas(
    tx: &mut Tx,
    figures: &[UnitFigure],
    by: Option<Id>,
    at: DateTime<Utc>,
) -> Result<()> {
    let rows = last_per_key(figures, |f| match &f.figure {
        Figure::Quota {
            year,
            line,
            count,
            decision,
        } => Some((
            (f.unit_id, *year, *line),
            (f.unit_id, *year, *line, *count, decision.as_str()),
        )),
        _ => None,
    });
    for chunk in rows.chunks(BATCH) {
        let sql = format!(
            "INSERT INTO staffing_quotas (unit_id, year, category, state_budget_paid, count, decision, recorded_at, recorded_by) \
             VALUES {} ON CONFLICT (unit_id, year, category, state_budget_paid) DO UPDATE SET \
             count = excluded.count, decision = excluded.decision, recorded_at = excluded.recorded_at, recorded_by = excluded.recorded_by",
            values(chunk.len(), 8)
        );
        let mut q = query(&sql);
        for (unit, year, line, count, decision) in chunk {
            q = q
                .bind(*unit)
                .bind(*year)
                .bind(line.category.as_str())
                .bind(line.state_budget_paid)
                .bind(*count)
                .bind(*decision)
                .bind(at)
                .bind(by);
        }
        q.execute(&mut *tx).await?;
    }
    Ok(())
}

async fn write_headcounts(
    tx: &mut Tx,
    figures: &[UnitFigure],
    by: Option<Id>,
    at: DateTime<Utc>,
) -> Result<()> {
    let rows = last_per_key(figures, |f| match &f.figure {
        Figure::Headcount { on, line, count } => {
            Some(((f.unit_id, *on, *line), (f.unit_id, *on, *line, *count)))
        }
        _ => None,
    });
    for chunk in rows.chunks(BATCH) {
        let sql = format!(
            "INSERT INTO staffing_headcounts (unit_id, on_date, category, state_budget_paid, count, recorded_at, recorded_by) \
             VALUES {} ON CONFLICT (unit_id, on_date, category, state_budget_paid) DO UPDATE SET \
             count = excluded.count, recorded_at = excluded.recorded_at, recorded_by = excluded.recorded_by",
            values(chunk.len(), 7)
        );
        let mut q = query(&sql);
        for (unit, on, line, count) in chunk {
            q = q
                .bind(*unit)
                .bind(*on)
                .bind(line.category.as_str())
                .bind(line.state_budget_paid)
                .bind(*count)
                .bind(at)
                .bind(by);
        }
        q.execute(&mut *tx).await?;
    }
    Ok(())
}

async fn write_figure(
    tx: &mut Tx,
    f: &UnitFigure,
    by: Option<Id>,
    at: DateTime<Utc>,
    report: Option<Id>,
) -> Result<()> {
    let unit = f.unit_id;
    match &f.figure {
        // Written in batches by `write_quotas` and `write_headcounts`.
        Figure::Quota { .. } | Figure::Headcount { .. } => {}
        Figure::Leadership {
            on,
            heads,
            deputies,
            deputy_cap,
        } => {
            query(
                "INSERT INTO staffing_leadership (unit_id, on_date, heads, deputies, deputy_cap, recorded_at, recorded_by) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7) \
                 ON CONFLICT (unit_id, on_date) DO UPDATE SET heads = excluded.heads, deputies = excluded.deputies, \
                 deputy_cap = excluded.deputy_cap, recorded_at = excluded.recorded_at, recorded_by = excluded.recorded_by",
            )
            .bind(unit).bind(*on).bind(*heads).bind(*deputies).bind(deputy_cap.map(i64::from))
            .bind(at).bind(by)
            .execute(&mut *tx).await?;
        }
        Figure::Secondment {
            from,
            to,
            people,
            note,
        } => {
            query(
                "INSERT INTO staffing_secondments (unit_id, from_date, to_date, people, note, recorded_at, recorded_by, report_id) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(unit).bind(*from).bind(*to).bind(*people).bind(note).bind(at).bind(by).bind(report)
            .execute(&mut *tx).await?;
        }
        Figure::Leavers {
            from,
            to,
            reason,
            policy,
            people,
        } => {
            query(
                "INSERT INTO staffing_leavers (unit_id, period_from, period_to, reason, policy, people, recorded_at, recorded_by, report_id) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            )
            .bind(unit).bind(*from).bind(*to).bind(reason.as_str()).bind(policy.as_str())
            .bind(*people).bind(at).bind(by).bind(report)
            .execute(&mut *tx).await?;
        }
    }
    Ok(())
}

/// Which units' figures to read.
#[derive(Debug, Clone, Copy)]
pub enum Scope {
    /// One unit.
    Unit(Id),
    /// Every unit of a province, past and present.
    Province(Id),
}

impl Scope {
    /// The condition on the figure table aliased `f` and the bound id.
    fn condition(self) -> (&'static str, Id) {
        match self {
            Scope::Unit(u) => ("f.unit_id = $1", u),
            Scope::Province(p) => (
                "f.unit_id IN (SELECT id FROM units WHERE province_id = $1 OR id = $1)",
                p,
            ),
        }
    }
}

fn count(n: i64) -> Result<u32> {
    u32::try_from(n).map_err(|_| StoreError::Corrupt(format!("số lượng không hợp lệ: {n}")))
}

fn line(category: &str, paid: bool) -> Result<StaffLine> {
    let c = StaffCategory::parse(category)
        .ok_or_else(|| StoreError::Corrupt(format!("loại biên chế không hợp lệ: {category}")))?;
    Ok(StaffLine::of(c, paid))
}

type QuotaRow = (i64, i64, String, bool, i64, String);
type HeadcountRow = (i64, NaiveDate, String, bool, i64);
type LeadershipRow = (i64, NaiveDate, i64, i64, Option<i64>);
type SecondmentRow = (i64, NaiveDate, Option<NaiveDate>, i64, Option<String>);
type LeaverRow = (i64, NaiveDate, NaiveDate, String, String, i64);

/// The quotas of `scope`, by unit, year and line.
pub async fn quotas<'e>(db: impl Into<Exec<'e>>, scope: Scope) -> Result<Vec<UnitFigure>> {
    let (cond, id) = scope.condition();
    let rows: Vec<QuotaRow> = query(&format!(
        "SELECT f.unit_id, f.year, f.category, f.state_budget_paid, f.count, f.decision \
         FROM staffing_quotas f WHERE {cond} ORDER BY f.unit_id, f.year, f.category, f.state_budget_paid DESC"
    ))
    .bind(id)
    .fetch_all(db)
    .await?;
    rows.into_iter()
        .map(|(unit_id, year, c, paid, n, decision)| {
            Ok(UnitFigure {
                unit_id,
                figure: Figure::Quota {
                    year: i32::try_from(year)
                        .map_err(|_| StoreError::Corrupt(format!("năm không hợp lệ: {year}")))?,
                    line: line(&c, paid)?,
                    count: count(n)?,
                    decision,
                },
            })
        })
        .collect()
}

/// Every figure of `scope`: quotas, headcounts, leadership, secondments, leavers, in that
/// order, each by unit and date.
pub async fn figures(db: &Db, scope: Scope) -> Result<Vec<UnitFigure>> {
    let (cond, id) = scope.condition();
    let mut out = quotas(db, scope).await?;
    let heads: Vec<HeadcountRow> = query(&format!(
        "SELECT f.unit_id, f.on_date, f.category, f.state_budget_paid, f.count FROM staffing_headcounts f \
         WHERE {cond} ORDER BY f.unit_id, f.on_date, f.category, f.state_budget_paid DESC"
    ))
    .bind(id)
    .fetch_all(db)
    .await?;
    for (unit_id, on, c, paid, n) in heads {
        out.push(UnitFigure {
            unit_id,
            figure: Figure::Headcount {
                on,
                line: line(&c, paid)?,
                count: count(n)?,
            },
        });
    }
    let leaders: Vec<LeadershipRow> = query(&format!(
        "SELECT f.unit_id, f.on_date, f.heads, f.deputies, f.deputy_cap FROM staffing_leadership f \
         WHERE {cond} ORDER BY f.unit_id, f.on_date"
    ))
    .bind(id)
    .fetch_all(db)
    .await?;
    for (unit_id, on, heads, deputies, cap) in leaders {
        out.push(UnitFigure {
            unit_id,
            figure: Figure::Leadership {
                on,
                heads: count(heads)?,
                deputies: count(deputies)?,
                deputy_cap: cap.map(count).transpose()?,
            },
        });
    }
    let sent: Vec<SecondmentRow> = query(&format!(
        "SELECT f.unit_id, f.from_date, f.to_date, f.people, f.note FROM staffing_secondments f \
         WHERE {cond} ORDER BY f.unit_id, f.from_date, f.id"
    ))
    .bind(id)
    .fetch_all(db)
    .await?;
    for (unit_id, from, to, people, note) in sent {
        out.push(UnitFigure {
            unit_id,
            figure: Figure::Secondment {
                from,
                to,
                people: count(people)?,
                note,
            },
        });
    }
    let left: Vec<LeaverRow> = query(&format!(
        "SELECT f.unit_id, f.period_from, f.period_to, f.reason, f.policy, f.people FROM staffing_leavers f \
         WHERE {cond} ORDER BY f.unit_id, f.period_from, f.id"
    ))
    .bind(id)
    .fetch_all(db)
    .await?;
    for (unit_id, from, to, reason, policy, people) in left {
        let reason = LeaveReason::parse(&reason)
            .ok_or_else(|| StoreError::Corrupt(format!("lý do nghỉ không hợp lệ: {reason}")))?;
        out.push(UnitFigure {
            unit_id,
            figure: Figure::Leavers {
                from,
                to,
                reason,
                policy,
                people: count(people)?,
            },
        });
    }
    Ok(out)
}

/// A reduction target of a province.
#[derive(Debug, Clone, PartialEq)]
pub struct TargetRecord {
    /// Identifier.
    pub id: Id,
    /// The province.
    pub province_id: Id,
    /// The plan that sets it, if linked.
    pub plan_id: Option<Id>,
    /// That plan's number.
    pub plan_number: Option<String>,
    /// What it says ("Giảm tối thiểu 20% công chức, viên chức …").
    pub title: String,
    /// Percent.
    pub percent: f64,
    /// Direction.
    pub direction: Direction,
    /// Categories counted.
    pub categories: Vec<StaffCategory>,
    /// Only positions paid from the state budget count.
    pub state_budget_paid_only: bool,
    /// Baseline year.
    pub baseline_year: i32,
    /// Deadline.
    pub deadline: Option<NaiveDate>,
    /// Units in scope (empty: every unit of the province).
    pub scope: Vec<Id>,
    /// Quotas or headcounts.
    pub measure: Measure,
}

/// A target to add.
#[derive(Debug, Clone)]
pub struct NewTarget {
    /// The province.
    pub province_id: Id,
    /// Linked plan.
    pub plan_id: Option<Id>,
    /// What it says.
    pub title: String,
    /// Percent.
    pub percent: f64,
    /// Direction.
    pub direction: Direction,
    /// Categories counted (not empty).
    pub categories: Vec<StaffCategory>,
    /// Only positions paid from the state budget count.
    pub state_budget_paid_only: bool,
    /// Baseline year.
    pub baseline_year: i32,
    /// Deadline.
    pub deadline: Option<NaiveDate>,
    /// Units in scope (empty: every unit).
    pub scope: Vec<Id>,
    /// Quotas or headcounts.
    pub measure: Measure,
}

/// Adds a target and its audit row (`after.target` set to the new id); answers the id.
pub async fn add_target_audited(
    db: &Db,
    t: &NewTarget,
    by: Option<Id>,
    at: DateTime<Utc>,
    audit: &AuditEntry,
) -> Result<Id> {
    audited(db, at, async |tx| {
        let id = insert_target(tx, t, by, at).await?;
        Ok((id, vec![audit.with_after("target", id)]))
    })
    .await
}

/// Inserts target `t` in the caller's transaction; answers its id.
pub(crate) async fn insert_target(
    tx: &mut Tx,
    t: &NewTarget,
    by: Option<Id>,
    at: DateTime<Utc>,
) -> Result<Id> {
    let categories = t
        .categories
        .iter()
        .map(|c| c.as_str())
        .collect::<Vec<_>>()
        .join(",");
    let scope = serde_json::to_string(&t.scope).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    let id: Id = query(
            "INSERT INTO staffing_targets (province_id, plan_id, title, percent, direction, categories, state_budget_paid_only, baseline_year, deadline, scope_json, created_at, created_by, measure) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
        )
        .bind(t.province_id).bind(t.plan_id).bind(t.title.as_str()).bind(t.percent)
        .bind(enum_str(&t.direction)).bind(categories.as_str()).bind(t.state_budget_paid_only)
        .bind(t.baseline_year).bind(t.deadline).bind(scope.as_str()).bind(at).bind(by)
        .bind(t.measure.as_str())
        .scalar(&mut *tx)
        .await?;
    Ok(id)
}

#[derive(sqlx::FromRow)]
struct TargetRow {
    id: i64,
    province_id: i64,
    plan_id: Option<i64>,
    plan_number: Option<String>,
    title: String,
    percent: f64,
    direction: String,
    categories: String,
    state_budget_paid_only: bool,
    baseline_year: i64,
    deadline: Option<NaiveDate>,
    scope_json: String,
    measure: String,
}

impl TargetRow {
    fn into_record(self) -> Result<TargetRecord> {
        let categories = self
            .categories
            .split(',')
            .filter(|c| !c.is_empty())
            .map(|c| {
                StaffCategory::parse(c)
                    .ok_or_else(|| StoreError::Corrupt(format!("loại biên chế không hợp lệ: {c}")))
            })
            .collect::<Result<Vec<_>>>()?;
        let scope: Vec<Id> = serde_json::from_str(&self.scope_json).map_err(|_| {
            StoreError::Corrupt(format!(
                "phạm vi chỉ tiêu không hợp lệ: {}",
                self.scope_json
            ))
        })?;
        Ok(TargetRecord {
            id: self.id,
            province_id: self.province_id,
            plan_id: self.plan_id,
            plan_number: self.plan_number,
            title: self.title,
            percent: self.percent,
            direction: parse_enum(&self.direction)?,
            categories,
            state_budget_paid_only: self.state_budget_paid_only,
            baseline_year: i32::try_from(self.baseline_year).map_err(|_| {
                StoreError::Corrupt(format!("năm gốc không hợp lệ: {}", self.baseline_year))
            })?,
            deadline: self.deadline,
            scope,
            measure: Measure::parse(&self.measure).ok_or_else(|| {
                StoreError::Corrupt(format!("thước đo chỉ tiêu không hợp lệ: {}", self.measure))
            })?,
        })
    }
}

/// The targets linked to plan `plan_id`, oldest first.
pub async fn plan_targets(db: &Db, plan_id: Id) -> Result<Vec<TargetRecord>> {
    let rows: Vec<TargetRow> = query(
        "SELECT t.id, t.province_id, t.plan_id, p.number AS plan_number, t.title, t.percent, t.direction, \
         t.categories, t.state_budget_paid_only, t.baseline_year, t.deadline, t.scope_json, t.measure \
         FROM staffing_targets t JOIN plans p ON p.id = t.plan_id WHERE t.plan_id = $1 ORDER BY t.id",
    )
    .bind(plan_id)
    .fetch_all(db)
    .await?;
    rows.into_iter().map(TargetRow::into_record).collect()
}

/// The targets of a province, oldest first.
pub async fn targets(db: &Db, province_id: Id) -> Result<Vec<TargetRecord>> {
    let rows: Vec<TargetRow> = query(
        "SELECT t.id, t.province_id, t.plan_id, p.number AS plan_number, t.title, t.percent, t.direction, \
         t.categories, t.state_budget_paid_only, t.baseline_year, t.deadline, t.scope_json, t.measure \
         FROM staffing_targets t LEFT JOIN plans p ON p.id = t.plan_id WHERE t.province_id = $1 ORDER BY t.id",
    )
    .bind(province_id)
    .fetch_all(db)
    .await?;
    rows.into_iter().map(TargetRow::into_record).collect()
}
