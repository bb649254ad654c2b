//! Contributions: a coordinating unit gives its opinion on a task it coordinates.

use chrono::Utc;
use tinhgon_domain::ids::TaskId;
use tinhgon_domain::model::Id;
use tinhgon_domain::user::{can_contribute, User};
use tinhgon_store::records;
use tinhgon_store::web_queries as wq;
use tinhgon_store::Db;

use crate::error::{AppError, Result};
use crate::{audit, input};

/// Adds `user`'s unit's contribution to `task`; only a coordinating unit may. Returns its id.
pub async fn contribute(db: &Db, user: &User, task: TaskId, text: &str) -> Result<Id> {
    let coords = wq::task_coordinator_units(db, task.get()).await?;
    if !can_contribute(user, &coords) {
        return Err(AppError::Forbidden);
    }
    let text = input::text("text", text, "Vui lòng nhập nội dung phối hợp.")?;
    let unit = user.unit_id.ok_or(AppError::Forbidden)?;
    // The store adds after.contribution, the new contribution's id.
    let entry = audit::change(user, "task.contribution", "task", task.get());
    let cid = records::add_contribution_audited(
        db,
        task.get(),
        unit,
        Some(user.id),
        &text,
        Utc::now(),
        &entry,
    )
    .await?;
    Ok(cid)
}
