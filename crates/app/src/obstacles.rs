//! Obstacles: the unit raises a difficulty to the plan's monitors; the monitor answers it, or
//! refers it with a proposal to the leaders or the UBND ("báo cáo xin ý kiến cấp có thẩm
//! quyền"), whose opinion then answers it and goes back to the unit.

use chrono::Utc;
use tinhgon_domain::ids::{AssignmentId, ObstacleId};
use tinhgon_domain::model::Id;
use tinhgon_domain::user::User;
use tinhgon_domain::user::{can_give_opinion, Role};
use tinhgon_store::notifications::{Audience, Notice};
use tinhgon_store::records;
use tinhgon_store::referrals::{self, Addressee, Waiting};
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

/// The monitor refers open obstacle `oid` to `addressee` ("leader" or "people_committee") with
/// a proposal; the province's leaders are told, and the unit learns that its obstacle went up.
/// Returns the obstacle's assignment.
pub async fn refer(
    db: &Db,
    user: &User,
    oid: ObstacleId,
    addressee: &str,
    proposal: &str,
) -> Result<AssignmentId> {
    let aid = wq::owner_assignment(db, RecordTable::Obstacle, oid.get())
        .await?
        .ok_or(AppError::NotFound)?;
    let l = access::monitored_assignment(db, user, AssignmentId(aid)).await?;
    let addressee = Addressee::parse(addressee.trim()).ok_or_else(|| {
        AppError::invalid("addressee", "Hãy chọn xin ý kiến lãnh đạo hay UBND tỉnh.")
    })?;
    let proposal = input::text(
        "proposal",
        proposal,
        "Vui lòng nêu đề xuất của cơ quan theo dõi.",
    )?;
    let label = transition::work_label(&l.work);
    let link = format!("/assignments/{aid}");
    let mut entry = audit::change(user, "obstacle.refer", "assignment", aid)
        .with_after("obstacle", oid.get())
        .with_after("addressee", addressee.as_str());
    if let Some(province) = l.plan.rec.province_id {
        entry = entry.with_notice(Notice::new(
            Audience::ProvinceLeaders(province),
            "obstacle",
            format!("Xin ý kiến về vướng mắc: {label}"),
            link.clone(),
        ));
    }
    let entry = entry.with_notice(Notice::new(
        Audience::Unit(l.work.unit_id),
        "obstacle",
        format!(
            "Vướng mắc về {label} đã được báo cáo xin ý kiến {}",
            addressee.label_vi()
        ),
        link,
    ));
    referrals::refer_audited(
        db,
        oid.get(),
        addressee,
        &proposal,
        Some(user.id),
        Utc::now(),
        &entry,
    )
    .await?;
    Ok(AssignmentId(aid))
}

/// A leader of the province (or a monitor recording an opinion received in writing) gives the
/// opinion asked in referral `referral`; it answers the obstacle, and the unit and the plan's
/// monitors are told. Returns the assignment.
pub async fn give_opinion(db: &Db, user: &User, referral: Id, text: &str) -> Result<AssignmentId> {
    let (aid, _) = referrals::owner(db, referral)
        .await?
        .ok_or(AppError::NotFound)?;
    let r = access::readable_assignment(db, Some(user), AssignmentId(aid)).await?;
    if !can_give_opinion(user, &r.access()) {
        return Err(AppError::Forbidden);
    }
    let text = input::text("text", text, "Vui lòng nhập ý kiến.")?;
    let label = transition::work_label(&r.head.work);
    let link = format!("/assignments/{aid}");
    let who = if user.role == Role::Leader {
        "lãnh đạo UBND tỉnh"
    } else {
        "cấp có thẩm quyền"
    };
    let entry = audit::change(user, "obstacle.opinion", "assignment", aid)
        .with_after("referral", referral)
        .with_notice(Notice::new(
            Audience::Unit(r.head.work.unit_id),
            "obstacle",
            format!("Đã có ý kiến của {who} về vướng mắc: {label}"),
            link.clone(),
        ))
        .with_notice(
            Notice::new(
                Audience::PlanMonitors(r.head.work.plan_id),
                "obstacle",
                format!("Đã có ý kiến của {who} về vướng mắc: {label}"),
                link,
            )
            .except(user.id),
        );
    referrals::give_opinion_audited(db, referral, &text, Some(user.id), Utc::now(), &entry).await?;
    Ok(AssignmentId(aid))
}

/// The referrals waiting for an opinion in `province` (None: every province): what the
/// leaders have to answer, and what the monitors wait for.
pub async fn waiting(db: &Db, user: &User, province: Option<Id>) -> Result<Vec<Waiting>> {
    if !user.active || !(user.role == Role::Leader || user.role.monitors()) {
        return Err(AppError::Forbidden);
    }
    Ok(referrals::waiting(db, province).await?)
}
