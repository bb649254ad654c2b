//! Recurring and standing duties judged per period: the province's duties for the period that
//! ended last (per unit: reported in the period, late, not at all), and one assignment's
//! periods. Kept apart from the dated tasks, whose classes they would wash out.

use chrono::NaiveDate;
use tinhgon_domain::duty_periods::{judge, DutyPeriod};
use tinhgon_domain::ids::PlanId;
use tinhgon_domain::localtime::local_date;
use tinhgon_domain::model::Id;
use tinhgon_domain::user::{Role, User};
use tinhgon_domain::Period;
use tinhgon_store::duties::{self as store, DutyGroup, DutyScope};
use tinhgon_store::web_queries::WorkRow;
use tinhgon_store::Db;

use crate::access;
use crate::error::{AppError, Result};

/// How many of an assignment's latest periods its page shows.
pub const PERIODS_SHOWN: usize = 8;

/// The duties of `province` (and of `plan`, when given) judged for the period of each that
/// ended last before `as_of`; for monitors, administrators and leaders.
pub async fn last_period(
    db: &Db,
    user: &User,
    province: Option<Id>,
    plan: Option<PlanId>,
    as_of: NaiveDate,
) -> Result<Vec<DutyGroup>> {
    if !user.active || !matches!(user.role, Role::Admin | Role::Monitor | Role::Leader) {
        return Err(AppError::Forbidden);
    }
    if let Some(p) = plan {
        access::readable_plan(db, Some(user), p).await?;
    }
    let scope = DutyScope {
        province,
        plan: plan.map(PlanId::get),
    };
    Ok(store::last_period(db, scope, as_of).await?)
}

/// The periods of a recurring or standing assignment up to `as_of`, newest last, with the
/// period length they are judged on; None for a task with a date.
pub async fn periods_of(
    db: &Db,
    w: &WorkRow,
    as_of: NaiveDate,
) -> Result<Option<(Period, Vec<DutyPeriod>)>> {
    // The dashboard's standing class: standing and recurring duties, and any other task
    // without a due date, except a condition not yet met.
    let standing = w.deadline_kind == "ongoing"
        || (w.deadline_kind != "recurring"
            && w.due.is_none()
            && (w.deadline_kind != "conditional" || w.triggered_on.is_some()));
    if w.deadline_kind != "recurring" && !standing {
        return Ok(None);
    }
    let Some(f) = store::facts(db, w.id).await? else {
        return Ok(None);
    };
    let period = if w.deadline_kind == "recurring" {
        f.period.unwrap_or(Period::Quarterly)
    } else {
        store::standing_period(db, w.plan_id).await?
    };
    let reports: Vec<NaiveDate> = f.reports.iter().map(|at| local_date(*at)).collect();
    let from = local_date(f.created_at);
    Ok(Some((
        period,
        judge(period, from, as_of, &reports, PERIODS_SHOWN),
    )))
}
