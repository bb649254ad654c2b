//! Publishing a reviewed draft: refused, with the list of tasks to fix, while any task lacks a
//! lead agency in the register or a deadline; otherwise the plan and all its assignments are
//! written in one store transaction.

use chrono::Utc;
use tinhgon_domain::ids::PlanId;
use tinhgon_domain::localtime::local_date;
use tinhgon_domain::user::User;
use tinhgon_store::plans;
use tinhgon_store::Db;

use crate::audit;
use crate::error::{AppError, Result};

/// How a refused publication's message starts.
pub const REFUSED: &str = "Chưa ban hành được";

/// Publishes a reviewed draft (assignments created in one store transaction): shared by page
/// and API. Returns the outcome and the message for the user.
pub async fn publish_draft(db: &Db, user: &User, id: PlanId) -> Result<(plans::Published, String)> {
    // Only the monitor publishes, an agency's own plan included.
    crate::access::monitored_plan(db, user, id).await?;
    let p = crate::import::editable(db, user, id).await?;
    // An amending document imported as an amendment applies its changes to the plan it amends.
    if let Some(target) =
        tinhgon_store::plan_changes::amend::amended_plan(db, p.rec.plan.id).await?
    {
        let done = crate::import::amendment::publish(db, user, id, target).await?;
        let out = plans::Published {
            tasks: done.tasks,
            assignments: done.tasks,
            unresolved_coordinating: Vec::new(),
        };
        return Ok((out, done.message));
    }
    let problems = plans::publish_problems(db, id.get(), local_date(Utc::now())).await?;
    if !problems.is_empty() {
        return Err(AppError::Conflict(format!(
            "{REFUSED}: {} nhiệm vụ cần xử lý — {}.",
            problems.len(),
            problems
                .iter()
                .map(|p| p.sentence())
                .collect::<Vec<_>>()
                .join("; ")
        )));
    }
    // The staffing targets the reviewer kept, checked before anything is written.
    let targets = crate::import::targets::for_publishing(db, user, &p).await?;
    // The store adds before.state, after.state and the counts (tasks, assignments written).
    let mut entry = audit::change(user, "plan.publish", "plan", id.get());
    if let Some(n) = crate::cascade::published_notice(db, &p).await? {
        entry = entry.with_notice(n);
    }
    let out = plans::publish_plan_with_targets_audited(
        db,
        id.get(),
        Some(user.id),
        local_date(Utc::now()),
        Utc::now(),
        &entry,
        &targets,
    )
    .await
    .map_err(|e| match e {
        // Another reviewer changed the draft between the check and the publication.
        tinhgon_store::StoreError::Rejected(m) if m.starts_with("chưa ban hành được") => {
            AppError::Conflict(format!("{REFUSED}{}", &m["chưa ban hành được".len()..]))
        }
        e => AppError::Store(e),
    })?;
    let mut msg = format!(
        "Đã ban hành kế hoạch: {} nhiệm vụ, {} phân công.",
        out.tasks, out.assignments
    );
    if !targets.is_empty() {
        msg.push_str(&format!(
            " Đã thêm {} chỉ tiêu tinh giản biên chế theo kế hoạch.",
            targets.len()
        ));
    }
    if !out.unresolved_coordinating.is_empty() {
        msg.push_str(&format!(
            " {} cơ quan phối hợp chưa có trong danh mục được giữ nguyên văn.",
            out.unresolved_coordinating.len()
        ));
    }
    Ok((out, msg))
}

/// The monitor of a plan shows it on the public pages, or stops showing it.
pub async fn set_public(db: &Db, user: &User, id: PlanId, public: bool) -> Result<()> {
    crate::access::monitored_plan(db, user, id).await?;
    // The store adds before.public and after.public, as its transaction saw and set them.
    let entry = audit::change(user, "plan.public", "plan", id.get());
    plans::set_public_audited(db, id.get(), public, &entry, Utc::now()).await?;
    Ok(())
}
