//! Triggers: the event a conditional task waits for has happened, so its deadline starts.

use chrono::{NaiveDate, Utc};
use tinhgon_domain::ids::{PlanId, TaskId};
use tinhgon_domain::localtime::local_date;
use tinhgon_domain::user::User;
use tinhgon_store::status;
use tinhgon_store::web_queries as wq;
use tinhgon_store::Db;

use crate::error::{AppError, Result};
use crate::{access, audit, input};

/// The monitor of the task's plan marks its event as happened on `on` (blank: today).
/// Returns the task's plan and the day.
pub async fn mark_triggered(
    db: &Db,
    user: &User,
    task: TaskId,
    on: &str,
) -> Result<(PlanId, NaiveDate)> {
    let (plan_id, _) = wq::task_plan(db, task.get())
        .await?
        .ok_or(AppError::NotFound)?;
    access::monitored_plan(db, user, PlanId(plan_id)).await?;
    let now = Utc::now();
    let on = input::date_or_empty("on", on, "Ngày không hợp lệ (dd/mm/yyyy).")?
        .unwrap_or_else(|| local_date(now));
    // The store adds after.on and after.due (the due date it set).
    let entry = audit::change(user, "task.trigger", "task", task.get());
    status::trigger_condition_audited(db, task.get(), on, now, &entry).await?;
    Ok((PlanId(plan_id), on))
}
