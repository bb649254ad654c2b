//! Moving an assignment through the domain's state machine with its audit row and notice in
//! one store transaction (the store checks the move again there, against the status it reads).

use chrono::Utc;
use tinhgon_domain::user::User;
use tinhgon_domain::workflow::Action;
use tinhgon_domain::Status;
use tinhgon_store::notifications::Notice;
use tinhgon_store::status;
use tinhgon_store::web_queries::WorkRow;
use tinhgon_store::Db;

use crate::audit;
use crate::error::Result;

/// Applies `action` to `w` as `user`. With `start_first`, work not started yet is started in
/// the same transaction; `notice` is sent in it too. Returns the new status.
pub(crate) async fn change(
    db: &Db,
    user: &User,
    w: &WorkRow,
    action: Action,
    note: Option<String>,
    start_first: bool,
    notice: Option<Notice>,
) -> Result<Status> {
    let expected = Status::parse(&w.status);
    // The store adds before.status and after.status, as its transaction saw and set them.
    let mut entry = audit::change(
        user,
        &format!("assignment.{}", action.as_str()),
        "assignment",
        w.id,
    )
    .with_after("note", note.clone());
    if let Some(n) = notice {
        entry = entry.with_notice(n);
    }
    let started = start_first.then(|| audit::start(user, w.id));
    let start = started.as_ref().map(|audit| status::StartFirst {
        role: user.role,
        audit,
    });
    let to = status::change_status_audited(
        db,
        &status::ChangeRequest {
            assignment_id: w.id,
            action,
            role: user.role,
            actor: Some(user.id),
            note,
            at: Utc::now(),
            expected,
        },
        &entry,
        start,
    )
    .await?;
    Ok(to)
}

/// "615/KH-UBND 2.1": how notices name an assignment.
pub(crate) fn work_label(w: &WorkRow) -> String {
    format!(
        "{} {}",
        w.plan_number.clone().unwrap_or_default(),
        w.task_ref
    )
}
