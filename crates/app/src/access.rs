//! Loading what a use case acts on together with the rights decision about it: an agency
//! writes only its own assignments, a monitor decides only on the plans it monitors, and a
//! reader who may not see an object learns nothing about its existence (not found).

use tinhgon_domain::ids::{AssignmentId, PlanId};
use tinhgon_domain::model::Id;
use tinhgon_domain::plan::PlanState;
use tinhgon_domain::user::{
    can_monitor, can_read_assignment, can_read_plan, can_write_assignment, PlanAccess, User,
};
use tinhgon_store::assignment_view::{self, AssignmentHead};
use tinhgon_store::plans::PlanRecord;
use tinhgon_store::web_queries::{self as wq, WorkRow};
use tinhgon_store::Db;

use crate::error::{AppError, Result};

/// A plan with what the rights rules need.
pub struct LoadedPlan {
    /// The record.
    pub rec: PlanRecord,
    /// Units concerned.
    pub concerned: Vec<Id>,
}

impl LoadedPlan {
    /// The rights view of the plan.
    pub fn access(&self) -> PlanAccess<'_> {
        PlanAccess {
            province_id: self.rec.province_id,
            state: self.rec.plan.state,
            public: self.rec.plan.public,
            concerned_unit_ids: &self.concerned,
        }
    }

    /// Number, else title (see [`tinhgon_domain::plan::plan_name`]).
    pub fn label(&self) -> String {
        let meta = &self.rec.plan.meta;
        tinhgon_domain::plan::plan_name(meta.number.as_deref(), meta.title.as_deref())
    }
}

/// Loads a plan and its concerned units (no rights decision).
pub async fn plan(db: &Db, id: PlanId) -> Result<LoadedPlan> {
    let rec = tinhgon_store::plans::get_plan(db, id.get()).await?;
    let concerned = wq::concerned_units(db, id.get()).await?;
    Ok(LoadedPlan { rec, concerned })
}

/// Loads a plan `user` may read (not found otherwise, so existence does not leak).
pub async fn readable_plan(db: &Db, user: Option<&User>, id: PlanId) -> Result<LoadedPlan> {
    let p = plan(db, id).await?;
    if !can_read_plan(user, &p.access()) {
        return Err(hidden(user));
    }
    Ok(p)
}

/// Loads a plan `user` monitors.
pub async fn monitored_plan(db: &Db, user: &User, id: PlanId) -> Result<LoadedPlan> {
    let p = plan(db, id).await?;
    if !can_monitor(user, &p.access()) {
        return Err(AppError::Forbidden);
    }
    Ok(p)
}

/// What refusing to show something answers: sign in first, else "not found".
fn hidden(user: Option<&User>) -> AppError {
    if user.is_none() {
        AppError::Unauthenticated
    } else {
        AppError::NotFound
    }
}

/// An assignment the viewer may read, with its plan's facts for the rights rules.
pub struct Readable {
    /// The assignment, its plan's facts and its unit's name.
    pub head: AssignmentHead,
    /// The plan's state.
    pub plan_state: PlanState,
    /// The viewer's unit when the plan concerns it (all `can_read_plan` asks of the list).
    concerned: Vec<Id>,
}

impl Readable {
    /// The rights view of the plan, as far as the viewer's unit is concerned.
    pub fn access(&self) -> PlanAccess<'_> {
        PlanAccess {
            province_id: self.head.plan_province_id,
            state: self.plan_state,
            public: self.head.plan_public,
            concerned_unit_ids: &self.concerned,
        }
    }
}

/// Loads an assignment `user` may read (one statement; not found otherwise).
pub async fn readable_assignment(
    db: &Db,
    user: Option<&User>,
    id: AssignmentId,
) -> Result<Readable> {
    let viewer_unit = user.and_then(|u| u.unit_id);
    let head = assignment_view::head(db, id.get(), viewer_unit)
        .await?
        .ok_or(AppError::NotFound)?;
    let plan_state = head.plan_state()?;
    let concerned = match viewer_unit {
        Some(u) if head.plan_concerns_unit => vec![u],
        _ => Vec::new(),
    };
    let r = Readable {
        head,
        plan_state,
        concerned,
    };
    if !can_read_assignment(user, &r.access(), r.head.work.unit_id) {
        return Err(hidden(user));
    }
    Ok(r)
}

/// Loads an assignment of `user`'s own unit (the only ones an agency writes); forbidden
/// otherwise.
pub async fn own_assignment(db: &Db, user: &User, id: AssignmentId) -> Result<WorkRow> {
    let work = wq::work_row(db, id.get())
        .await?
        .ok_or(AppError::NotFound)?;
    if !can_write_assignment(user, work.unit_id) {
        return Err(AppError::Forbidden);
    }
    Ok(work)
}

/// An assignment with its plan, loaded for a monitor's decision.
pub struct Monitored {
    /// The row.
    pub work: WorkRow,
    /// Its plan.
    pub plan: LoadedPlan,
}

/// Loads an assignment of a plan `user` monitors; forbidden otherwise.
pub async fn monitored_assignment(db: &Db, user: &User, id: AssignmentId) -> Result<Monitored> {
    let work = wq::work_row(db, id.get())
        .await?
        .ok_or(AppError::NotFound)?;
    let plan = plan(db, PlanId(work.plan_id)).await?;
    if !can_monitor(user, &plan.access()) {
        return Err(AppError::Forbidden);
    }
    Ok(Monitored { work, plan })
}

/// Checks that `user` may look at unit `id`: a unit of their province (any, for an
/// installation-wide account). Another province's unit is not found, so its existence does
/// not leak.
pub async fn readable_unit(db: &Db, user: &User, id: tinhgon_domain::ids::UnitId) -> Result<()> {
    match tinhgon_store::register::unit_province(db, id.get()).await? {
        Some(p) if tinhgon_domain::user::works_on(user, Some(p)) => Ok(()),
        _ => Err(AppError::NotFound),
    }
}
