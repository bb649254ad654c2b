//! Obstacles: the unit raises a difficulty to the plan's monitors, the monitor answers it.

use chrono::Utc;
use tinhgon_domain::ids::{AssignmentId, ObstacleId};
use tinhgon_domain::model::Id;
use tinhgon_domain::user::User;
use tinhgon_store::notifications::{Audience, Notice};
use tinhgon_store::records;
use tinhgon_store::web_queries::{self as wq, RecordTable};
use tinhgon_store::Db;

use crate::error::{AppError, Result};
use crate::{access, audit, input, transition};

/// Raises an obstacle on `user`'s own assignment. Returns the obstacle's id. With a
/// `submission_key` (form field or `Idempotency-Key` header), a repeat records nothing new and
/// answers the first obstacle's id.
pub async fn raise(
    db: &Db,
    user: &User,
    id: AssignmentId,
    text: &str,
    submission_key: Option<&str>,
) -> Result<Id> {
    let w = access::own_assignment(db, user, id).await?;
    let once = input::submission(user, submission_key)?;
    let text = input::text("text", text, "Vui lòng nêu nội dung vướng mắc.")?;
    // The store adds after.obstacle, the new obstacle's id, and sends the notice in the same
    // transaction.
    let entry =
        audit::change(user, "obstacle.raise", "assignment", id.get()).with_notice(Notice::new(
            Audience::PlanMonitors(w.plan_id),
            "assignment",
            format!("Vướng mắc mới: {}", transition::work_label(&w)),
            format!("/assignments/{id}"),
        ));
    let obstacle = records::NewObstacle {
        assignment_id: id.get(),
        by: Some(user.id),
        text: &text,
        at: Utc::now(),
        once: once.as_ref(),
    };
    let oid = records::raise_obstacle_audited(db, &obstacle, &entry).await?;
    Ok(oid)
}

/// The monitor answers an obstacle. Returns its assignment.
pub async fn answer(db: &Db, user: &User, oid: ObstacleId, text: &str) -> Result<AssignmentId> {
    let aid = wq::owner_assignment(db, RecordTable::Obstacle, oid.get())
        .await?
        .ok_or(AppError::NotFound)?;
    let l = access::monitored_assignment(db, user, AssignmentId(aid)).await?;
    let text = input::text("text", text, "Vui lòng nhập nội dung trả lời.")?;
    let entry = audit::change(user, "obstacle.answer", "assignment", aid)
        .with_after("obstacle", oid.get())
        .with_notice(Notice::new(
            Audience::Unit(l.work.unit_id),
            "obstacle",
            format!(
                "Vướng mắc về {} đã được trả lời",
                transition::work_label(&l.work)
            ),
            format!("/assignments/{aid}"),
        ));
    records::answer_obstacle_audited(db, oid.get(), Some(user.id), &text, Utc::now(), &entry)
        .await?;
    Ok(AssignmentId(aid))
}
