//! Attainment of the reduction targets, per unit and for the province, through the register's
//! lineage: a unit formed by a merger is judged against the sum of its predecessors'
//! baseline-year quotas, a split shares its predecessor's (`tinhgon_domain::staffing`).
//! Also the figures the staffing page sets beside it: deputies against their caps and people
//! sent to the grassroots against 5% of the headcount.

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use tinhgon_domain::draft::Direction;
use tinhgon_domain::model::Id;
use tinhgon_domain::staffing::{
    attainment, reduction_percent, required_reduction, Headcount, Measure, Quota, QuotaBook,
    ReductionOutcome, ReductionTarget, StaffCategory,
};
use tinhgon_domain::staffing_figures::Figure;
use tinhgon_domain::staffing_progress::{
    deputies_over, grassroots_goal, missing_baseline, progress_by_year, Progress,
};
use tinhgon_domain::unit::Unit;
use tinhgon_domain::user::User;
use tinhgon_store::staffing::{self as store, Scope, TargetRecord, UnitFigure};
use tinhgon_store::{register, Db};

use crate::error::{AppError, Result};

/// A predecessor's part in a unit's baseline.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PredecessorShare {
    /// Its name.
    pub unit: String,
    /// Baseline-year positions taken from it.
    pub baseline: u32,
}

/// A unit's reduction against the target that applies to it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnitStatus {
    /// Name.
    pub unit: String,
    /// Identifier (not in the command line's JSON).
    #[serde(skip)]
    pub unit_id: Id,
    /// Baseline year.
    pub baseline_year: Option<i32>,
    /// What is counted: `quota` (the quotas assigned) or `headcount` (the people reported).
    pub measure: Measure,
    /// Baseline positions (or people), inherited through lineage.
    pub baseline: u32,
    /// Positions in the latest quota year up to the day asked (or people in the latest
    /// headcount).
    pub current: u32,
    /// Units that flow into this one without a headcount at the end of the baseline year (a
    /// headcount target only): their baseline is not counted.
    pub missing_baseline: Vec<String>,
    /// Reduction so far, in percent (one decimal).
    pub reduction_percent: Option<f64>,
    /// Percent the target asks for (None: no target applies).
    pub target_percent: Option<f64>,
    /// Target met (None: no target applies).
    pub met: Option<bool>,
    /// Units whose baseline it carries, other than itself (empty if it came from no merger).
    pub predecessors: Vec<PredecessorShare>,
}

/// The province's total.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TotalStatus {
    /// Baseline year, when every unit has the same.
    pub baseline_year: Option<i32>,
    /// What is counted, when every unit is counted the same way.
    pub measure: Option<Measure>,
    /// Sum of the units' baselines.
    pub baseline: u32,
    /// Sum of the units' current positions.
    pub current: u32,
    /// Reduction so far, in percent.
    pub reduction_percent: Option<f64>,
    /// Percent of the target covering every unit listed, if one does.
    pub target_percent: Option<f64>,
    /// Province-wide target met.
    pub met: Option<bool>,
}

/// Attainment of a province on a day: the JSON of `tinhgon staffing status --json`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StatusReport {
    /// Province name.
    pub province: String,
    /// Day the register is taken as.
    pub as_of: NaiveDate,
    /// Units with staffing figures, by name.
    pub units: Vec<UnitStatus>,
    /// Their total.
    pub total: TotalStatus,
}

/// The counting rule of a stored target.
fn rule(t: &TargetRecord) -> ReductionTarget {
    ReductionTarget {
        percent: t.percent,
        categories: t.categories.clone(),
        state_budget_paid_only: t.state_budget_paid_only,
        baseline_year: t.baseline_year,
        deadline: t.deadline,
        measure: t.measure,
    }
}

/// The province named or numbered `province` (diacritics and case ignored).
pub async fn find_province(db: &Db, province: &str) -> Result<Id> {
    register::find_province(db, province).await?.ok_or_else(|| {
        AppError::invalid(
            "province",
            format!("Không có tỉnh “{province}” trong danh mục."),
        )
    })
}

/// Checks that `user` reads the whole of `province`'s staffing (its monitors, admins and
/// leaders); another province is not found.
pub(crate) fn reads_whole(user: &User, province: Id) -> Result<()> {
    let works = tinhgon_domain::user::works_on(user, Some(province));
    if !works {
        Err(AppError::NotFound)
    } else if !super::reads_province(user) {
        Err(AppError::Forbidden)
    } else {
        Ok(())
    }
}

/// Attainment of `province` on `as_of`, for a person who reads its staffing.
pub async fn status(db: &Db, user: &User, province: Id, as_of: NaiveDate) -> Result<StatusReport> {
    reads_whole(user, province)?;
    province_status(db, province, as_of).await
}

/// What a province's staffing is judged from: its register, quotas and decrease targets.
pub(crate) struct Loaded {
    /// Province name.
    pub name: String,
    /// Units, past and present.
    pub units: Vec<Unit>,
    /// Restructuring events.
    pub events: Vec<tinhgon_domain::event::RestructuringEvent>,
    /// Quotas.
    pub quotas: Vec<Quota>,
    /// Headcount snapshots.
    pub headcounts: Vec<Headcount>,
    /// Targets of direction "decrease", oldest first.
    pub targets: Vec<TargetRecord>,
}

/// Loads what `province`'s staffing is judged from.
pub(crate) async fn load(db: &Db, province: Id) -> Result<Loaded> {
    let reg = register::load_register(db, province).await?;
    let quotas: Vec<Quota> = store::quotas(db, Scope::Province(province))
        .await?
        .into_iter()
        .filter_map(|f| match f.figure {
            Figure::Quota {
                year, line, count, ..
            } => Some(Quota {
                unit_id: f.unit_id,
                year,
                category: line.category,
                state_budget_paid: line.state_budget_paid,
                count,
            }),
            _ => None,
        })
        .collect();
    let headcounts = headcounts(&store::figures(db, Scope::Province(province)).await?);
    let targets: Vec<TargetRecord> = store::targets(db, province)
        .await?
        .into_iter()
        .filter(|t| t.direction == Direction::Decrease)
        .collect();
    Ok(Loaded {
        name: register::unit(db, province).await?.name,
        units: reg.units,
        events: reg.events,
        quotas,
        headcounts,
        targets,
    })
}

/// The headcount snapshots among `figures`.
pub(crate) fn headcounts(figures: &[UnitFigure]) -> Vec<Headcount> {
    figures
        .iter()
        .filter_map(|f| match &f.figure {
            Figure::Headcount { on, line, count } => Some(Headcount {
                unit_id: f.unit_id,
                on: *on,
                category: line.category,
                state_budget_paid: line.state_budget_paid,
                count: *count,
            }),
            _ => None,
        })
        .collect()
}

impl Loaded {
    /// Attainment on `as_of` against `targets` (a subset of the province's).
    pub(crate) fn status(&self, targets: &[TargetRecord], as_of: NaiveDate) -> StatusReport {
        compute(
            self.name.clone(),
            &self.units,
            &self.events,
            &self.quotas,
            &self.headcounts,
            targets,
            as_of,
        )
    }

    /// Each of `targets`' progress by year up to `as_of`, over its own scope or, given
    /// `only`, over that unit and the units that flowed into it.
    pub(crate) fn progress(
        &self,
        targets: &[TargetRecord],
        only: Option<Id>,
        as_of: NaiveDate,
    ) -> Vec<TargetProgress> {
        let book = QuotaBook::with_headcounts(&self.quotas, &self.headcounts);
        targets
            .iter()
            .map(|t| {
                let scope = match only {
                    Some(u) => {
                        let mut s = vec![u];
                        s.extend(tinhgon_domain::predecessors(u, as_of, &self.events));
                        s
                    }
                    None => t.scope.clone(),
                };
                TargetProgress {
                    target: t.clone(),
                    progress: progress_by_year(
                        &rule(t),
                        &scope,
                        &self.units,
                        &book,
                        &self.events,
                        as_of,
                    ),
                }
            })
            .collect()
    }
}

/// A target and its progress by year.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TargetProgress {
    /// The target.
    #[serde(skip)]
    pub target: TargetRecord,
    /// Its progress.
    pub progress: Progress,
}

/// Attainment of `province` on `as_of` (no rights decision: the command line and the use
/// cases above).
pub async fn province_status(db: &Db, province: Id, as_of: NaiveDate) -> Result<StatusReport> {
    let l = load(db, province).await?;
    Ok(l.status(&l.targets, as_of))
}

/// A unit judged: its outcome, the target that judged it, the baseline year, and the units
/// flowing into it without a year-end headcount.
type Judged<'a> = (ReductionOutcome, Option<&'a TargetRecord>, i32, Vec<Id>);

/// The report from loaded data (pure, so the benchmarks and tests can call it alike).
pub fn compute(
    province: String,
    units: &[Unit],
    events: &[tinhgon_domain::event::RestructuringEvent],
    quotas: &[Quota],
    headcounts: &[Headcount],
    targets: &[TargetRecord],
    as_of: NaiveDate,
) -> StatusReport {
    let book = QuotaBook::with_headcounts(quotas, headcounts);
    let living: Vec<Id> = units
        .iter()
        .filter(|u| u.is_valid_on(as_of))
        .map(|u| u.id)
        .collect();
    let names: HashMap<Id, &str> = units.iter().map(|u| (u.id, u.name.as_str())).collect();
    // Each unit is judged against the first target whose scope covers it (itself or a unit
    // that flowed into it); the others against no target, with the usual counting rule.
    let mut judged: BTreeMap<Id, Judged> = BTreeMap::new();
    for t in targets {
        let covered: Vec<Id> = living
            .iter()
            .copied()
            .filter(|u| !judged.contains_key(u))
            .filter(|u| {
                t.scope.is_empty()
                    || t.scope.contains(u)
                    || tinhgon_domain::predecessors(*u, as_of, events)
                        .iter()
                        .any(|p| t.scope.contains(p))
            })
            .collect();
        let r = rule(t);
        let a = attainment(&covered, &r, &book, events, as_of);
        for o in a.units {
            let missing = missing_baseline(o.unit_id, &r, &book, units, events, as_of);
            judged.insert(o.unit_id, (o, Some(t), t.baseline_year, missing));
        }
    }
    let plain_year = targets
        .iter()
        .map(|t| t.baseline_year)
        .min()
        .or_else(|| quotas.iter().map(|q| q.year).min())
        .unwrap_or(as_of.year());
    let plain = ReductionTarget {
        percent: 0.0,
        categories: vec![StaffCategory::CivilServant, StaffCategory::PublicEmployee],
        state_budget_paid_only: true,
        baseline_year: plain_year,
        deadline: None,
        measure: Measure::Quota,
    };
    let rest: Vec<Id> = living
        .iter()
        .copied()
        .filter(|u| !judged.contains_key(u))
        .collect();
    for o in attainment(&rest, &plain, &book, events, as_of).units {
        judged.insert(o.unit_id, (o, None, plain_year, Vec::new()));
    }
    let mut rows: Vec<UnitStatus> = judged
        .into_values()
        .filter(|(o, _, _, _)| o.baseline > 0 || o.current > 0)
        .map(|(o, t, year, missing)| UnitStatus {
            unit: names
                .get(&o.unit_id)
                .map(|n| n.to_string())
                .unwrap_or_default(),
            unit_id: o.unit_id,
            baseline_year: Some(year),
            measure: t.map_or(Measure::Quota, |t| t.measure),
            baseline: o.baseline,
            current: o.current,
            missing_baseline: missing
                .iter()
                .map(|p| names.get(p).map(|n| n.to_string()).unwrap_or_default())
                .collect(),
            reduction_percent: reduction_percent(o.baseline, o.current),
            target_percent: t.map(|t| t.percent),
            met: t.map(|_| o.met),
            predecessors: o
                .baseline_sources
                .iter()
                .filter(|(p, _)| *p != o.unit_id)
                .map(|(p, share)| PredecessorShare {
                    unit: names.get(p).map(|n| n.to_string()).unwrap_or_default(),
                    baseline: *share,
                })
                .collect(),
        })
        .collect();
    rows.sort_by_cached_key(|r| tinhgon_textkit::sort_key(&r.unit));
    let baseline: u32 = rows.iter().map(|r| r.baseline).sum();
    let current: u32 = rows.iter().map(|r| r.current).sum();
    // A province-wide target (no scope) judges the total; several kinds of target do not add.
    let whole = targets.iter().find(|t| t.scope.is_empty());
    let same_year = rows
        .first()
        .and_then(|r| r.baseline_year)
        .filter(|y| rows.iter().all(|r| r.baseline_year == Some(*y)));
    let same_measure = rows
        .first()
        .map(|r| r.measure)
        .filter(|m| rows.iter().all(|r| r.measure == *m));
    let total = TotalStatus {
        baseline_year: same_year,
        measure: same_measure,
        baseline,
        current,
        reduction_percent: reduction_percent(baseline, current),
        target_percent: whole.map(|t| t.percent),
        met: whole.map(|t| current <= baseline - required_reduction(baseline, t.percent)),
    };
    StatusReport {
        province,
        as_of,
        units: rows,
        total,
    }
}

/// A unit's leadership posts on a day against the cap.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DeputyRow {
    /// Unit.
    pub unit: String,
    /// Identifier.
    pub unit_id: Id,
    /// Day of the count.
    pub on: NaiveDate,
    /// Heads.
    pub heads: u32,
    /// Deputies.
    pub deputies: u32,
    /// Deputies allowed.
    pub deputy_cap: Option<u32>,
    /// Deputies above the cap (0 within it).
    pub over: u32,
}

/// A unit's people at the grassroots against 5% of those working.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SecondmentRow {
    /// Unit.
    pub unit: String,
    /// Identifier.
    pub unit_id: Id,
    /// People working on the day (latest headcount of each line).
    pub headcount: u32,
    /// 5% of them, rounded up.
    pub goal: u32,
    /// People at the grassroots on the day.
    pub seconded: u32,
}

/// What the staffing page sets beside the attainment: the targets' progress by year,
/// deputies against caps, people at the grassroots against 5% of those working, leavers of
/// the year. Only units in force on the day are counted.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Overview {
    /// Attainment.
    pub status: StatusReport,
    /// Each decrease target's progress by year.
    pub progress: Vec<TargetProgress>,
    /// The latest leadership count of each unit up to the day, those over their cap first.
    pub deputies: Vec<DeputyRow>,
    /// People at the grassroots per unit, by name.
    pub secondments: Vec<SecondmentRow>,
    /// People working on the day (latest headcount of each unit and line).
    pub headcount: u32,
    /// People at the grassroots on the day.
    pub seconded: u32,
    /// The sum of the units' 5%: the number to send.
    pub seconded_goal: u32,
    /// People who left under the policies in periods that began in the day's year.
    pub leavers: u32,
}

/// The staffing overview of `province` on `as_of`.
pub async fn overview(db: &Db, user: &User, province: Id, as_of: NaiveDate) -> Result<Overview> {
    reads_whole(user, province)?;
    province_overview(db, province, as_of).await
}

/// The staffing overview of `province` on `as_of` (no rights decision).
pub(crate) async fn province_overview(db: &Db, province: Id, as_of: NaiveDate) -> Result<Overview> {
    let l = load(db, province).await?;
    let figures = store::figures(db, Scope::Province(province)).await?;
    Ok(l.overview(&l.targets, &figures, as_of))
}

impl Loaded {
    /// The overview against `targets` from the province's `figures`.
    pub(crate) fn overview(
        &self,
        targets: &[TargetRecord],
        figures: &[UnitFigure],
        as_of: NaiveDate,
    ) -> Overview {
        let status = self.status(targets, as_of);
        let progress = self.progress(targets, None, as_of);
        let living: HashMap<Id, String> = self
            .units
            .iter()
            .filter(|u| u.is_valid_on(as_of))
            .map(|u| (u.id, u.name.clone()))
            .collect();
        summarise(status, progress, figures, &living, as_of)
    }
}

fn summarise(
    status: StatusReport,
    progress: Vec<TargetProgress>,
    figures: &[UnitFigure],
    living: &HashMap<Id, String>,
    as_of: NaiveDate,
) -> Overview {
    let mut leaders: BTreeMap<Id, (NaiveDate, u32, u32, Option<u32>)> = BTreeMap::new();
    let mut heads: BTreeMap<(Id, tinhgon_domain::staffing::StaffLine), (NaiveDate, u32)> =
        BTreeMap::new();
    let mut sent: BTreeMap<Id, u32> = BTreeMap::new();
    let mut leavers = 0u32;
    for f in figures.iter().filter(|f| living.contains_key(&f.unit_id)) {
        match &f.figure {
            Figure::Leadership {
                on,
                heads: h,
                deputies,
                deputy_cap,
            } if *on <= as_of => {
                let e = leaders
                    .entry(f.unit_id)
                    .or_insert((*on, *h, *deputies, *deputy_cap));
                if *on >= e.0 {
                    *e = (*on, *h, *deputies, *deputy_cap);
                }
            }
            Figure::Headcount { on, line, count } if *on <= as_of => {
                let e = heads.entry((f.unit_id, *line)).or_insert((*on, *count));
                if *on >= e.0 {
                    *e = (*on, *count);
                }
            }
            Figure::Secondment {
                from, to, people, ..
            } if *from <= as_of && to.is_none_or(|t| t >= as_of) => {
                *sent.entry(f.unit_id).or_default() += people;
            }
            Figure::Leavers { from, people, .. }
                if from.year() == as_of.year() && *from <= as_of =>
            {
                leavers += people;
            }
            _ => {}
        }
    }
    let name = |id: &Id| living.get(id).cloned().unwrap_or_default();
    let mut deputies: Vec<DeputyRow> = leaders
        .into_iter()
        .map(|(unit_id, (on, h, d, cap))| DeputyRow {
            unit: name(&unit_id),
            unit_id,
            on,
            heads: h,
            deputies: d,
            deputy_cap: cap,
            over: deputies_over(d, cap),
        })
        .collect();
    deputies.sort_by_cached_key(|r| {
        (
            std::cmp::Reverse(r.over),
            tinhgon_textkit::sort_key(&r.unit),
        )
    });
    let mut per_unit: BTreeMap<Id, u32> = BTreeMap::new();
    for ((unit, _), (_, n)) in &heads {
        *per_unit.entry(*unit).or_default() += n;
    }
    for unit in sent.keys() {
        per_unit.entry(*unit).or_default();
    }
    let mut secondments: Vec<SecondmentRow> = per_unit
        .into_iter()
        .map(|(unit_id, headcount)| SecondmentRow {
            unit: name(&unit_id),
            unit_id,
            headcount,
            goal: grassroots_goal(headcount),
            seconded: sent.get(&unit_id).copied().unwrap_or(0),
        })
        .collect();
    secondments.sort_by_cached_key(|r| tinhgon_textkit::sort_key(&r.unit));
    Overview {
        status,
        progress,
        deputies,
        headcount: secondments.iter().map(|r| r.headcount).sum(),
        seconded: secondments.iter().map(|r| r.seconded).sum(),
        seconded_goal: secondments.iter().map(|r| r.goal).sum(),
        secondments,
        leavers,
    }
}
