//! Recurring and standing duties judged for one period (see `tinhgon_domain::duty_periods`):
//! per unit, how many of its open duties were reported inside the period, in the next one, or
//! not at all. A recurring task is judged on its own period; a standing duty on its plan's
//! reporting period (the active schedule's kind; a quarter when the plan has none).

use chrono::{Duration, NaiveDate};
use tinhgon_domain::duty_periods::{bounds, last_ended};
use tinhgon_domain::localtime::start_of_local_day;
use tinhgon_domain::model::Id;
use tinhgon_domain::Period;

use crate::error::Result;
use crate::tx::query;
use crate::util::enum_str;
use crate::Db;

/// Which duties.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DutyKind {
    /// "Định kỳ": a task due every period of its own.
    Recurring,
    /// "Thường xuyên": a standing duty, judged per reporting period.
    Standing,
}

/// One unit's duties of one kind and period, judged for the period that ended last.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitDuties {
    /// The unit.
    pub unit_id: Id,
    /// Its name.
    pub unit: String,
    /// Open duties that existed during the period.
    pub judged: u64,
    /// Reported inside the period.
    pub on_time: u64,
    /// Reported only in the next period.
    pub late: u64,
}

impl UnitDuties {
    /// Neither reported inside the period nor after it.
    pub fn missed(&self) -> u64 {
        self.judged.saturating_sub(self.on_time + self.late)
    }
}

/// The duties of one kind on one period length, judged for `window`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DutyGroup {
    /// Recurring or standing.
    pub kind: DutyKind,
    /// The period length.
    pub period: Period,
    /// The period judged (first and last day).
    pub window: (NaiveDate, NaiveDate),
    /// True when the period is still running: no duty of the group existed during the period
    /// that ended last (a plan published in this period), so this one is counted so far.
    pub current: bool,
    /// Per unit, by name.
    pub units: Vec<UnitDuties>,
}

/// Where to count: a province (None: every province), optionally one plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DutyScope {
    /// The province.
    pub province: Option<Id>,
    /// The plan.
    pub plan: Option<Id>,
}

/// Standing duties: "thường xuyên", and any other open task without a due date (the class the
/// dashboard counts as standing), except a condition not yet met.
const STANDING: &str =
    "(t.deadline_kind = 'ongoing' OR (t.deadline_kind <> 'recurring' AND a.due IS NULL \
     AND (t.deadline_kind <> 'conditional' OR t.triggered_on IS NOT NULL)))";

/// The periods a recurring task may have, the ones a schedule may give.
const PERIODS: [Period; 6] = [
    Period::Daily,
    Period::Weekly,
    Period::Monthly,
    Period::Quarterly,
    Period::HalfYearly,
    Period::Yearly,
];

/// Counts per unit of the duties kept by `filter` (SQL over `a`, `t`; `$1`–`$3` the judged
/// period's start, its end and `as_of`'s end, `$4` province, `$5` plan).
async fn count(
    db: &Db,
    scope: DutyScope,
    window: (NaiveDate, NaiveDate),
    as_of: NaiveDate,
    filter: &str,
) -> Result<Vec<UnitDuties>> {
    let start = start_of_local_day(window.0);
    let end = start_of_local_day(window.1 + Duration::days(1));
    let now = start_of_local_day(as_of + Duration::days(1));
    let sql = format!(
        "SELECT a.unit_id, MAX(u.name) AS unit, COUNT(*) AS judged, \
         SUM(CASE WHEN EXISTS (SELECT 1 FROM progress_reports r WHERE r.assignment_id = a.id AND r.at >= $1 AND r.at < $2) THEN 1 ELSE 0 END) AS on_time, \
         SUM(CASE WHEN NOT EXISTS (SELECT 1 FROM progress_reports r WHERE r.assignment_id = a.id AND r.at >= $1 AND r.at < $2) \
                   AND EXISTS (SELECT 1 FROM progress_reports r WHERE r.assignment_id = a.id AND r.at >= $2 AND r.at < $3) THEN 1 ELSE 0 END) AS late \
         FROM assignments a JOIN tasks t ON t.id = a.task_id JOIN units u ON u.id = a.unit_id \
         WHERE a.status NOT IN ('done', 'cancelled') AND a.created_at < $2 \
         AND ($4 IS NULL OR a.province_id = $4) AND ($5 IS NULL OR a.plan_id = $5) AND {filter} \
         GROUP BY a.unit_id"
    );
    let rows: Vec<(Id, String, i64, i64, i64)> = query(&sql)
        .bind(start)
        .bind(end)
        .bind(now)
        .bind(scope.province)
        .bind(scope.plan)
        .fetch_all(db)
        .await?;
    let mut units: Vec<UnitDuties> = rows
        .into_iter()
        .map(|(unit_id, unit, judged, on_time, late)| UnitDuties {
            unit_id,
            unit,
            judged: judged.max(0) as u64,
            on_time: on_time.max(0) as u64,
            late: late.max(0) as u64,
        })
        .collect();
    units.sort_by(|a, b| tinhgon_textkit::compare(&a.unit, &b.unit));
    Ok(units)
}

/// The plans of `scope` whose active reporting schedule gives standing duties a period other
/// than a quarter, with that period.
async fn scheduled_plans(db: &Db, scope: DutyScope) -> Result<Vec<(Id, Period)>> {
    let rows: Vec<(Id, String)> = query(
        "SELECT s.plan_id, s.period_kind FROM report_schedules s JOIN plans p ON p.id = s.plan_id \
         WHERE s.active = TRUE AND ($1 IS NULL OR p.province_id = $1) AND ($2 IS NULL OR p.id = $2) \
         ORDER BY s.plan_id, s.id",
    )
    .bind(scope.province)
    .bind(scope.plan)
    .fetch_all(db)
    .await?;
    let mut out: Vec<(Id, Period)> = Vec::new();
    for (plan, kind) in rows {
        let period = PERIODS.into_iter().find(|p| enum_str(p) == kind);
        out.retain(|(p, _)| *p != plan);
        if let Some(period) = period.filter(|p| *p != Period::Quarterly) {
            out.push((plan, period));
        }
    }
    Ok(out)
}

fn id_list(ids: &[Id]) -> String {
    ids.iter().map(Id::to_string).collect::<Vec<_>>().join(",")
}

/// The duties kept by `filter` judged for the period that ended last before `as_of`, or, when
/// none of them existed then, for the running period so far; None when there are none.
async fn judged(
    db: &Db,
    scope: DutyScope,
    kind: DutyKind,
    period: Period,
    as_of: NaiveDate,
    filter: &str,
) -> Result<Option<DutyGroup>> {
    let window = last_ended(period, as_of);
    let units = count(db, scope, window, as_of, filter).await?;
    if !units.is_empty() {
        return Ok(Some(DutyGroup {
            kind,
            period,
            window,
            current: false,
            units,
        }));
    }
    let running = bounds(period, as_of);
    let units = count(db, scope, (running.0, as_of), as_of, filter).await?;
    Ok((!units.is_empty()).then_some(DutyGroup {
        kind,
        period,
        window: running,
        current: true,
        units,
    }))
}

/// The duties of `scope` judged for the period of each that ended last before `as_of` (or the
/// running one, see [`judged`]): one group per kind and period length that has any duty.
pub async fn last_period(db: &Db, scope: DutyScope, as_of: NaiveDate) -> Result<Vec<DutyGroup>> {
    let mut groups = Vec::new();
    for period in PERIODS {
        // A recurring task without a period is read as quarterly.
        let filter = if period == Period::Quarterly {
            "t.deadline_kind = 'recurring' AND (t.period IS NULL OR t.period = 'quarterly')"
                .to_string()
        } else {
            format!(
                "t.deadline_kind = 'recurring' AND t.period = '{}'",
                enum_str(&period)
            )
        };
        if let Some(g) = judged(db, scope, DutyKind::Recurring, period, as_of, &filter).await? {
            groups.push(g);
        }
    }
    let scheduled = scheduled_plans(db, scope).await?;
    for period in PERIODS {
        let plans: Vec<Id> = scheduled
            .iter()
            .filter(|(_, p)| *p == period)
            .map(|(id, _)| *id)
            .collect();
        let filter = if period == Period::Quarterly {
            let others: Vec<Id> = scheduled.iter().map(|(id, _)| *id).collect();
            if others.is_empty() {
                STANDING.to_string()
            } else {
                format!("{STANDING} AND a.plan_id NOT IN ({})", id_list(&others))
            }
        } else if plans.is_empty() {
            continue;
        } else {
            format!("{STANDING} AND a.plan_id IN ({})", id_list(&plans))
        };
        if let Some(g) = judged(db, scope, DutyKind::Standing, period, as_of, &filter).await? {
            groups.push(g);
        }
    }
    Ok(groups)
}

/// The period a standing duty of `plan` is judged on (its active schedule's, else a quarter).
pub async fn standing_period(db: &Db, plan: Id) -> Result<Period> {
    let scope = DutyScope {
        province: None,
        plan: Some(plan),
    };
    Ok(scheduled_plans(db, scope)
        .await?
        .first()
        .map_or(Period::Quarterly, |(_, p)| *p))
}

/// The current period of kind `period` containing `day` (re-exported for the pages).
pub fn current(period: Period, day: NaiveDate) -> (NaiveDate, NaiveDate) {
    bounds(period, day)
}

/// What judging one duty needs: when its assignment was made, its task's period (recurring
/// tasks), and the instants its unit reported on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DutyFacts {
    /// When the assignment was made.
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// The task's period, when it has one.
    pub period: Option<Period>,
    /// Progress reports, oldest first.
    pub reports: Vec<chrono::DateTime<chrono::Utc>>,
}

/// The facts of assignment `id` for judging it period by period.
pub async fn facts(db: &Db, id: Id) -> Result<Option<DutyFacts>> {
    let head: Option<(chrono::DateTime<chrono::Utc>, Option<String>)> = query(
        "SELECT a.created_at, t.period FROM assignments a JOIN tasks t ON t.id = a.task_id WHERE a.id = $1",
    )
    .bind(id)
    .fetch_optional(db)
    .await?;
    let Some((created_at, period)) = head else {
        return Ok(None);
    };
    let reports: Vec<chrono::DateTime<chrono::Utc>> =
        query("SELECT at FROM progress_reports WHERE assignment_id = $1 ORDER BY at")
            .bind(id)
            .scalars(db)
            .await?;
    Ok(Some(DutyFacts {
        created_at,
        period: period.and_then(|p| PERIODS.into_iter().find(|x| enum_str(x) == p)),
        reports,
    }))
}
