//! Staffing (biên chế): the ledger of each unit (quotas with their deciding document,
//! headcounts, leadership posts, secondments to the grassroots, leavers under the
//! streamlining policies), reduction targets, and their attainment through the register's
//! lineage ([`status`]); the spreadsheet template and its import ([`sheet`]); job positions
//! and their comparison with the quota and headcount ([`positions`]); the staffing a
//! restructuring event carries, as its preview lists it ([`carry`]).
//!
//! Rights: the province's monitors enter figures for any of its units, an agency officer only
//! for its own unit, leaders read. Another province's unit is not found.

pub mod agency_section;
pub mod carry;
pub mod form;
pub mod positions;
pub mod report;
pub mod sheet;
pub mod status;

use chrono::Utc;
use tinhgon_domain::ids::UnitId;
use tinhgon_domain::model::Id;
use tinhgon_domain::user::{can_read_staffing, can_write_staffing, works_on, Role, User};
use tinhgon_store::staffing::{self as store, NewTarget, Scope, TargetRecord, UnitFigure};
use tinhgon_store::{register, Db};

use crate::audit;
use crate::error::{AppError, Result};

pub use form::{FigureForm, TargetForm};
pub use positions::PositionForm;

/// The province of `unit`, when `user` may see it at all (another province's unit, or an
/// unknown one, is not found).
async fn unit_in_view(db: &Db, user: &User, unit: UnitId) -> Result<Option<Id>> {
    match register::unit(db, unit.get()).await {
        Ok(_) => {}
        Err(tinhgon_store::StoreError::NotFound { .. }) => return Err(AppError::NotFound),
        Err(e) => return Err(e.into()),
    }
    let province = register::unit_province(db, unit.get()).await?;
    // A province's root unit has no province of its own: it is its own.
    let province = province.or(Some(unit.get()));
    if !user.active || !works_on(user, province) {
        return Err(AppError::NotFound);
    }
    Ok(province)
}

/// Checks that `user` may read `unit`'s staffing figures.
pub async fn readable_unit(db: &Db, user: &User, unit: UnitId) -> Result<()> {
    let province = unit_in_view(db, user, unit).await?;
    if !can_read_staffing(user, unit.get(), province) {
        return Err(AppError::Forbidden);
    }
    Ok(())
}

/// Checks that `user` may enter `unit`'s staffing figures.
pub async fn writable_unit(db: &Db, user: &User, unit: UnitId) -> Result<()> {
    let province = unit_in_view(db, user, unit).await?;
    if !can_write_staffing(user, unit.get(), province) {
        return Err(AppError::Forbidden);
    }
    Ok(())
}

/// True when `user` may enter `unit`'s figures (for showing the forms).
pub async fn may_write(db: &Db, user: &User, unit: UnitId) -> Result<bool> {
    match writable_unit(db, user, unit).await {
        Ok(()) => Ok(true),
        Err(AppError::Forbidden) => Ok(false),
        Err(e) => Err(e),
    }
}

/// The figures of `unit`'s ledger.
pub async fn ledger(db: &Db, user: &User, unit: UnitId) -> Result<Vec<UnitFigure>> {
    readable_unit(db, user, unit).await?;
    Ok(store::figures(db, Scope::Unit(unit.get())).await?)
}

/// Enters one figure of `unit`'s ledger (replacing the quota, headcount or leadership count
/// entered before for the same year or day and line). Audited on the unit.
pub async fn record(db: &Db, user: &User, unit: UnitId, form: FigureForm) -> Result<()> {
    writable_unit(db, user, unit).await?;
    let figure = form.parse()?;
    let (figures, entry) = prepare_figures(user, unit, vec![figure])?;
    store::record_audited(db, &figures, Some(user.id), Utc::now(), &[entry]).await?;
    Ok(())
}

/// `figures` as rows of `unit`'s ledger, with their audit row (`staffing.record` on the unit):
/// one figure is `after.figure`, several `after.figures`. The caller has checked the right
/// to write (see [`writable_unit`]).
pub(crate) fn prepare_figures(
    user: &User,
    unit: UnitId,
    figures: Vec<tinhgon_domain::staffing_figures::Figure>,
) -> Result<(Vec<UnitFigure>, tinhgon_store::audit::AuditEntry)> {
    let entry = audit::change(user, "staffing.record", "unit", unit.get());
    let entry = match figures.as_slice() {
        [one] => entry.with_after("figure", to_json(one)?),
        many => entry.with_after("figures", to_json(many)?),
    };
    let rows = figures
        .into_iter()
        .map(|figure| UnitFigure {
            unit_id: unit.get(),
            figure,
        })
        .collect();
    Ok((rows, entry))
}

/// `v` as the JSON an audit row keeps.
fn to_json<T: serde::Serialize + ?Sized>(v: &T) -> Result<serde_json::Value> {
    serde_json::to_value(v).map_err(|e| AppError::Internal(e.to_string()))
}

/// May `user` set the targets of `province` and import its figures? Its monitors (and admins).
fn monitors_province(user: &User, province: Id) -> Result<()> {
    if user.active && user.role.monitors() && works_on(user, Some(province)) {
        Ok(())
    } else if works_on(user, Some(province)) {
        Err(AppError::Forbidden)
    } else {
        Err(AppError::NotFound)
    }
}

/// The targets of `province`, for those who read its staffing.
pub async fn targets(db: &Db, user: &User, province: Id) -> Result<Vec<TargetRecord>> {
    if !user.active || !works_on(user, Some(province)) {
        return Err(AppError::NotFound);
    }
    Ok(store::targets(db, province).await?)
}

/// Adds a reduction target to `province` (its monitors only). Returns the target's id.
pub async fn add_target(db: &Db, user: &User, province: Id, form: TargetForm) -> Result<Id> {
    let (new, entry) = prepare_target(db, user, province, form, None).await?;
    Ok(store::add_target_audited(db, &new, Some(user.id), Utc::now(), &entry).await?)
}

/// A target of `province` ready to write, with its audit row (`staffing.target` on the
/// province): checks the right, parses the form, finds the plan and the units in scope.
/// `plan` links a plan known by id (a draft being published) instead of the form's number.
pub(crate) async fn prepare_target(
    db: &Db,
    user: &User,
    province: Id,
    form: TargetForm,
    plan: Option<Id>,
) -> Result<(NewTarget, tinhgon_store::audit::AuditEntry)> {
    monitors_province(user, province)?;
    let t = form.parse()?;
    let plan_id = match (&t.plan, plan) {
        (_, Some(id)) => Some(id),
        (None, None) => None,
        (Some(number), None) => {
            let id = crate::periodic::find_plan(db, number).await.map_err(|_| {
                AppError::invalid(
                    "plan",
                    format!("Không tìm thấy kế hoạch đã ban hành số “{number}”."),
                )
            })?;
            let p = crate::access::plan(db, tinhgon_domain::ids::PlanId(id)).await?;
            if p.rec.province_id.is_some_and(|pp| pp != province) {
                return Err(AppError::invalid(
                    "plan",
                    format!("Kế hoạch “{number}” không thuộc tỉnh này."),
                ));
            }
            Some(id)
        }
    };
    let scope = resolve_scope(db, province, &t.scope).await?;
    let new = NewTarget {
        province_id: province,
        plan_id,
        title: t.title,
        percent: t.percent,
        direction: t.direction,
        categories: t.categories,
        state_budget_paid_only: t.state_budget_paid_only,
        baseline_year: t.baseline_year,
        deadline: t.deadline,
        scope,
        measure: t.measure,
    };
    let entry = audit::change(user, "staffing.target", "unit", province)
        .with_after("title", new.title.clone())
        .with_after("percent", new.percent)
        .with_after("baseline_year", new.baseline_year)
        .with_after("measure", new.measure.as_str())
        .with_after("plan", new.plan_id);
    Ok((new, entry))
}

/// The units a target's scope names (names of units, past or present, of the province,
/// diacritics and case ignored).
pub(crate) async fn resolve_scope(db: &Db, province: Id, names: &[String]) -> Result<Vec<Id>> {
    if names.is_empty() {
        return Ok(Vec::new());
    }
    let units = register::load_register(db, province).await?.units;
    let mut out = Vec::new();
    for n in names {
        let key = tinhgon_textkit::fold(n);
        // A name both a former and a present unit bear is the present one.
        let found = units
            .iter()
            .filter(|u| tinhgon_textkit::fold(&u.name) == key)
            .max_by_key(|u| (u.valid_to.is_none(), u.valid_from));
        match found {
            Some(u) => out.push(u.id),
            None => {
                return Err(AppError::invalid(
                    "scope",
                    format!("Không có đơn vị “{n}” trong danh mục của tỉnh."),
                ))
            }
        }
    }
    Ok(out)
}

/// True for the roles that read a whole province's staffing.
pub fn reads_province(user: &User) -> bool {
    user.active && matches!(user.role, Role::Admin | Role::Monitor | Role::Leader)
}
