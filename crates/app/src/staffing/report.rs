//! The staffing report (DOCX and XLSX by `tinhgon_reports`): attainment per unit against the
//! targets, the progress by year, deputies against caps and people at the grassroots
//! against 5% of those working; and the same figures as a section of a plan's aggregated
//! report when targets are linked to the plan.
//!
//! Rights: the province's monitors, admins and leaders get the whole province; an agency
//! officer gets its own unit only (its row, its leadership, its secondments, the target that
//! judges it), issued by its unit; another province is not found.

use std::collections::HashMap;

use chrono::NaiveDate;
use tinhgon_domain::ids::UnitId;
use tinhgon_domain::model::Id;
use tinhgon_domain::staffing_progress::in_scope;
use tinhgon_domain::user::{Role, User};
use tinhgon_reports::staffing::{
    AttainmentLine, DeputyLine, SecondmentLine, StaffingReport, StaffingSection, TargetLine,
};
use tinhgon_store::staffing::{self as store, Scope, TargetRecord};
use tinhgon_store::{register, Db};

use super::status::{load, reads_whole, Loaded, Overview, TargetProgress, UnitStatus};
use crate::error::{AppError, Result};
use crate::header::{initials, province_header, province_in_text};

/// The body that issues a province's staffing report when the monitor has no unit.
const HOME_AFFAIRS: &str = "Sở Nội vụ";

/// Whose figures a report covers.
enum Reach {
    /// The whole province.
    Province,
    /// One unit (an agency officer's).
    Unit(Id),
}

/// What `user` may report on in `province`.
async fn reach(db: &Db, user: &User, province: Id) -> Result<Reach> {
    // An account bound to something that is no province sees no province's figures.
    if !register::provinces(db)
        .await?
        .iter()
        .any(|(id, _)| *id == province)
    {
        return Err(AppError::NotFound);
    }
    match reads_whole(user, province) {
        Ok(()) => Ok(Reach::Province),
        Err(AppError::Forbidden) if user.active && user.role == Role::AgencyOfficer => {
            let unit = user.unit_id.ok_or(AppError::Forbidden)?;
            super::readable_unit(db, user, UnitId(unit)).await?;
            Ok(Reach::Unit(unit))
        }
        Err(e) => Err(e),
    }
}

/// The staffing report of `province` on `as_of`, dated `date`, for `user`.
pub async fn report(
    db: &Db,
    user: &User,
    province: Id,
    as_of: NaiveDate,
    date: NaiveDate,
) -> Result<StaffingReport> {
    let reach = reach(db, user, province).await?;
    let l = load(db, province).await?;
    let figures = store::figures(db, Scope::Province(province)).await?;
    let o = l.overview(&l.targets, &figures, as_of);
    let names = names(&l);
    let one_unit = matches!(reach, Reach::Unit(_));
    let (section, issuer) = match reach {
        Reach::Province => {
            let issuer = match user.unit_id {
                Some(u) => register::unit(db, u).await?.name,
                None => HOME_AFFAIRS.to_string(),
            };
            let covers = format!("các cơ quan, đơn vị thuộc {}", province_in_text(&l.name));
            (section(o, &names, covers, as_of), issuer)
        }
        Reach::Unit(unit) => {
            let unit_name = names.get(&unit).cloned().unwrap_or_default();
            let judging: Vec<TargetRecord> = l
                .targets
                .iter()
                .find(|t| in_scope(unit, &t.scope, as_of, &l.events))
                .cloned()
                .into_iter()
                .collect();
            let only = Overview {
                progress: l.progress(&judging, Some(unit), as_of),
                ..o
            };
            (
                unit_section(only, unit, &names, unit_name.clone(), as_of),
                unit_name,
            )
        }
    };
    let subtitle = "Tình hình thực hiện tinh giản biên chế, số lượng cấp phó\nvà cử cán bộ, công chức, viên chức đi công tác ở cơ sở".to_string();
    let mut h = province_header(&l.name, None, &issuer, "BC", date, subtitle);
    let filing = format!("Lưu: VT, {}", initials(&issuer));
    h.recipients = if one_unit {
        h.signer.capacity = vec!["THỦ TRƯỞNG CƠ QUAN, ĐƠN VỊ".into()];
        vec!["Sở Nội vụ (để t/h)".into(), filing]
    } else {
        vec![
            "UBND tỉnh (để b/c)".into(),
            "Các cơ quan, đơn vị".into(),
            filing,
        ]
    };
    Ok(StaffingReport {
        header: h,
        reporter: issuer,
        section,
    })
}

/// The staffing section of plan `plan_id`'s aggregated report at `cutoff`: None when no
/// target of `province` is linked to the plan. Only units the plan's targets judge are
/// listed; the total only under a province-wide target.
pub async fn plan_section(
    db: &Db,
    plan_id: Id,
    province: Option<Id>,
    cutoff: NaiveDate,
) -> Result<Option<StaffingSection>> {
    let Some(province) = province else {
        return Ok(None);
    };
    let l = load(db, province).await?;
    let targets: Vec<TargetRecord> = l
        .targets
        .iter()
        .filter(|t| t.plan_id == Some(plan_id))
        .cloned()
        .collect();
    if targets.is_empty() {
        return Ok(None);
    }
    let figures = store::figures(db, Scope::Province(province)).await?;
    let mut o = l.overview(&targets, &figures, cutoff);
    o.status.units.retain(|u| u.met.is_some());
    let whole = targets.iter().any(|t| t.scope.is_empty());
    let covers = format!("các cơ quan, đơn vị thuộc {}", province_in_text(&l.name));
    let mut s = section(o, &names(&l), covers, cutoff);
    if !whole {
        s.total = None;
    }
    Ok(Some(s))
}

fn names(l: &Loaded) -> HashMap<Id, String> {
    l.units.iter().map(|u| (u.id, u.name.clone())).collect()
}

fn attainment_line(u: &UnitStatus) -> AttainmentLine {
    AttainmentLine {
        unit: u.unit.clone(),
        predecessors: u
            .predecessors
            .iter()
            .map(|p| format!("{} ({})", p.unit, p.baseline))
            .collect(),
        baseline_year: u.baseline_year,
        baseline: u.baseline,
        current: u.current,
        reduction_percent: u.reduction_percent,
        target_percent: u.target_percent,
        met: u.met,
    }
}

fn target_line(p: &TargetProgress, names: &HashMap<Id, String>) -> TargetLine {
    let t = &p.target;
    TargetLine {
        title: t.title.clone(),
        percent: t.percent,
        baseline_year: t.baseline_year,
        deadline: t.deadline,
        plan_number: t.plan_number.clone(),
        scope: t
            .scope
            .iter()
            .filter_map(|u| names.get(u).cloned())
            .collect::<Vec<_>>()
            .join("; "),
        baseline: p.progress.baseline,
        max_allowed: p.progress.max_allowed,
        years: p.progress.years.iter().map(|y| (y.year, y.total)).collect(),
        measure: t.measure.label_vi().to_lowercase(),
    }
}

/// The section of a whole province (or of the units `o` keeps).
fn section(
    o: Overview,
    names: &HashMap<Id, String>,
    covers: String,
    as_of: NaiveDate,
) -> StaffingSection {
    let t = &o.status.total;
    StaffingSection {
        as_of,
        covers,
        targets: o.progress.iter().map(|p| target_line(p, names)).collect(),
        units: o.status.units.iter().map(attainment_line).collect(),
        total: Some(AttainmentLine {
            unit: "Toàn tỉnh".into(),
            predecessors: Vec::new(),
            baseline_year: t.baseline_year,
            baseline: t.baseline,
            current: t.current,
            reduction_percent: t.reduction_percent,
            target_percent: t.target_percent,
            met: t.met,
        }),
        deputies: o
            .deputies
            .iter()
            .map(|d| DeputyLine {
                unit: d.unit.clone(),
                on: d.on,
                heads: d.heads,
                deputies: d.deputies,
                cap: d.deputy_cap,
                over: d.over,
            })
            .collect(),
        secondments: o
            .secondments
            .iter()
            .map(|s| SecondmentLine {
                unit: s.unit.clone(),
                headcount: s.headcount,
                goal: s.goal,
                seconded: s.seconded,
            })
            .collect(),
    }
}

/// The section of one unit: its own rows only, no province total.
fn unit_section(
    mut o: Overview,
    unit: Id,
    names: &HashMap<Id, String>,
    covers: String,
    as_of: NaiveDate,
) -> StaffingSection {
    o.status.units.retain(|u| u.unit_id == unit);
    o.deputies.retain(|d| d.unit_id == unit);
    o.secondments.retain(|s| s.unit_id == unit);
    let mut s = section(o, names, covers, as_of);
    s.total = None;
    s
}
