//! A scenario beside today: the unit tree, rule violations, functions gaps and overlaps and
//! staffing totals, today and after its events (read inside the rolled-back simulation, see
//! the module doc of `scenarios`), with the open assignments that would move, by successor.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{Datelike, NaiveDate, Utc};
use serde::Serialize;
use tinhgon_domain::functions::{Gap, Overlap};
use tinhgon_domain::model::Id;
use tinhgon_domain::rules::Violation;
use tinhgon_domain::staffing::StaffLine;
use tinhgon_domain::staffing_figures::Figure;
use tinhgon_domain::unit::{Level, Unit, UnitKind};
use tinhgon_store::register::{self, ApplyOutcome, ScenarioRow};
use tinhgon_store::staffing::Scope;
use tinhgon_store::tx::Exec;
use tinhgon_store::Db;

use super::{check_draft, form_of, owned, reader};
use crate::error::{AppError, Result};
use crate::units::Actor;

/// A unit in the tree of provincial bodies.
#[derive(Debug, Clone, Serialize)]
pub struct TreeLine {
    /// Depth under the province (0: directly under it).
    pub depth: usize,
    /// Name.
    pub name: String,
    /// Kind in Vietnamese.
    pub kind: &'static str,
    /// "Mới" (created by the scenario) or "Chấm dứt" (ends with it), else None.
    pub mark: Option<&'static str>,
}

/// A staffing line's total over the province's units in force.
#[derive(Debug, Clone, Serialize)]
pub struct StaffTotal {
    /// The line ("Biên chế công chức" …).
    pub label: &'static str,
    /// Positions (each unit's latest quota up to the day's year).
    pub count: u64,
}

/// The province on one day.
#[derive(Debug, Clone, Serialize)]
pub struct Side {
    /// The day.
    pub day: NaiveDate,
    /// Provincial bodies as a tree (communes and wards are counted, not listed).
    pub tree: Vec<TreeLine>,
    /// Departments in force.
    pub departments: usize,
    /// Communes, wards and special zones in force.
    pub communes: usize,
    /// Statutory rules broken.
    pub violations: Vec<Violation>,
    /// Fields of the catalogue no provincial body holds.
    pub gaps: Vec<Gap>,
    /// Fields held twice.
    pub overlaps: Vec<Overlap>,
    /// Staffing totals by line.
    pub staffing: Vec<StaffTotal>,
}

/// A draft event as the scenario's page lists it.
#[derive(Debug, Clone, Serialize)]
pub struct DraftView {
    /// Draft.
    pub id: Id,
    /// Kind in Vietnamese.
    pub kind: &'static str,
    /// Units that cease or give up functions.
    pub from: String,
    /// Units that carry on.
    pub to: String,
    /// Effective date.
    pub effective: Option<NaiveDate>,
    /// Why it no longer fits the register (None: it fits).
    pub problem: Option<String>,
    /// Choices still to make before it can be applied.
    pub missing: Vec<String>,
    /// Open assignments it would move.
    pub assignments: usize,
}

/// Open assignments that would move to one successor.
#[derive(Debug, Clone, Serialize)]
pub struct Move {
    /// The successor.
    pub to: String,
    /// How many.
    pub count: usize,
}

/// A scenario beside today.
#[derive(Debug, Clone, Serialize)]
pub struct ScenarioView {
    /// The scenario.
    pub scenario: ScenarioRow,
    /// Its events.
    pub drafts: Vec<DraftView>,
    /// The province today.
    pub today: Side,
    /// The province after the scenario (None: applied already, empty, or an event does not
    /// fit; see `problems`).
    pub after: Option<Side>,
    /// Open assignments that would move, by successor.
    pub moves: Vec<Move>,
    /// What applying would change (sums over its events).
    pub outcome: ApplyOutcome,
    /// Staffing figures carried (from the previews).
    pub staffing_lines: Vec<String>,
    /// Why the scenario cannot be simulated or applied as it stands.
    pub problems: Vec<String>,
}

fn today() -> NaiveDate {
    tinhgon_domain::local_date(Utc::now())
}

/// Reads the province on `day` from `on` (the pool for today, the simulation for after).
async fn side(mut on: Exec<'_>, province: Id, day: NaiveDate) -> Result<(Side, Vec<Unit>)> {
    let units = register::units_as_of(on.reborrow(), province, day).await?;
    let report = crate::rules::report_on(on.reborrow(), Some(province), day)
        .await?
        .into_iter()
        .next();
    let quotas = tinhgon_store::staffing::quotas(on.reborrow(), Scope::Province(province)).await?;
    let in_force: HashSet<Id> = units.iter().map(|u| u.id).collect();
    // Each unit's latest year up to the day's: a merged unit's quota is carried for the year.
    let mut latest: HashMap<Id, i32> = HashMap::new();
    for q in &quotas {
        if let Figure::Quota { year, .. } = q.figure {
            if in_force.contains(&q.unit_id) && year <= day.year() {
                let y = latest.entry(q.unit_id).or_insert(year);
                *y = (*y).max(year);
            }
        }
    }
    let mut totals: BTreeMap<usize, u64> = BTreeMap::new();
    for q in &quotas {
        if let Figure::Quota {
            year, line, count, ..
        } = &q.figure
        {
            if latest.get(&q.unit_id) == Some(year) {
                let i = StaffLine::ALL.iter().position(|l| l == line).unwrap_or(0);
                *totals.entry(i).or_default() += u64::from(*count);
            }
        }
    }
    let report = report.unwrap_or_else(|| crate::rules::ProvinceReport {
        province_id: province,
        name: String::new(),
        violations: Vec::new(),
        functions: crate::functions::Findings::default(),
    });
    Ok((
        Side {
            day,
            tree: Vec::new(),
            departments: units
                .iter()
                .filter(|u| u.kind == UnitKind::Department)
                .count(),
            communes: units
                .iter()
                .filter(|u| u.kind.level() == Level::Commune)
                .count(),
            violations: report.violations,
            gaps: report.functions.gaps,
            overlaps: report.functions.overlaps,
            staffing: totals
                .into_iter()
                .map(|(i, count)| StaffTotal {
                    label: StaffLine::ALL[i].label_vi(),
                    count,
                })
                .collect(),
        },
        units,
    ))
}

/// The provincial bodies of `units` as a tree, by name; `mark` says what to flag.
fn tree(units: &[Unit], mark: impl Fn(Id) -> Option<&'static str>) -> Vec<TreeLine> {
    let bodies: Vec<&Unit> = units
        .iter()
        .filter(|u| u.kind != UnitKind::Province && u.kind.level() == Level::Province)
        .collect();
    let ids: HashSet<Id> = bodies.iter().map(|u| u.id).collect();
    let mut children: HashMap<Option<Id>, Vec<&Unit>> = HashMap::new();
    for u in &bodies {
        let parent = u.parent_id.filter(|p| ids.contains(p));
        children.entry(parent).or_default().push(u);
    }
    for v in children.values_mut() {
        v.sort_by_cached_key(|u| tinhgon_textkit::sort_key(&u.name));
    }
    let mut out = Vec::new();
    let mut stack: Vec<(&Unit, usize)> = children
        .get(&None)
        .map(|v| v.iter().rev().map(|u| (*u, 0)).collect())
        .unwrap_or_default();
    while let Some((u, depth)) = stack.pop() {
        out.push(TreeLine {
            depth,
            name: u.name.clone(),
            kind: u.kind.label_vi(),
            mark: mark(u.id),
        });
        if let Some(v) = children.get(&Some(u.id)) {
            stack.extend(v.iter().rev().map(|c| (*c, depth + 1)));
        }
    }
    out
}

/// A scenario of `province` beside today.
pub async fn view(db: &Db, actor: Actor<'_>, province: Id, scenario: Id) -> Result<ScenarioView> {
    reader(actor, province)?;
    let s = owned(db, province, scenario).await?;
    let reg = register::load_register(db, province).await?;
    let name_of = |w: &str| -> String {
        w.parse::<Id>()
            .ok()
            .and_then(|id| reg.units.iter().find(|u| u.id == id))
            .map_or_else(|| w.to_string(), |u| u.name.clone())
    };
    let mut drafts = Vec::new();
    let mut events = Vec::new();
    let mut problems = Vec::new();
    let mut moves: BTreeMap<String, usize> = BTreeMap::new();
    let mut staffing_lines = Vec::new();
    for (i, d) in register::drafts(db, scenario).await?.iter().enumerate() {
        let form = form_of(d)?;
        let applied = s.applied_at.is_some();
        match (applied, check_draft(db, province, &form).await) {
            (false, Ok(c)) => {
                for m in &c.preview.missing {
                    problems.push(format!("Sự kiện thứ {}: {m}", i + 1));
                }
                for a in &c.preview.assignments {
                    if let Some(to) = &a.to {
                        *moves.entry(to.name.clone()).or_default() += 1;
                    }
                }
                staffing_lines.extend(c.preview.staffing.iter().cloned());
                let names = |v: &[crate::restructuring::UnitName]| {
                    v.iter()
                        .map(|u| u.name.as_str())
                        .collect::<Vec<_>>()
                        .join("; ")
                };
                drafts.push(DraftView {
                    id: d.id,
                    kind: c.preview.kind_label,
                    from: names(&c.preview.predecessors),
                    to: names(&c.preview.successors),
                    effective: Some(c.preview.effective),
                    problem: None,
                    missing: c.preview.missing.clone(),
                    assignments: c.preview.assignments.len(),
                });
                events.push(c.event);
            }
            (_, result) => {
                let problem = match result {
                    Err(AppError::Invalid { message, .. }) if !applied => Some(message),
                    Err(e) if !applied => return Err(e),
                    _ => None,
                };
                if let Some(p) = &problem {
                    problems.push(format!("Sự kiện thứ {}: {p}", i + 1));
                }
                let kind = tinhgon_domain::event::EventKind::parse(&form.kind)
                    .map_or("", |k| k.label_vi());
                let to: Vec<String> = form
                    .into
                    .iter()
                    .map(|w| name_of(w))
                    .chain(form.new.iter().cloned())
                    .collect();
                drafts.push(DraftView {
                    id: d.id,
                    kind,
                    from: form
                        .from
                        .iter()
                        .map(|w| name_of(w))
                        .collect::<Vec<_>>()
                        .join("; "),
                    to: to.join("; "),
                    effective: crate::input::date("effective", &form.effective, "").ok(),
                    problem,
                    missing: Vec::new(),
                    assignments: 0,
                });
            }
        }
    }
    let now = today();
    let (mut today_side, today_units) = side(db.into(), province, now).await?;
    let day = events
        .iter()
        .map(|e| e.effective)
        .max()
        .unwrap_or(now)
        .max(now);
    let simulate = s.applied_at.is_none() && !events.is_empty() && problems.is_empty();
    let (outcome, after) = if simulate {
        let (outcomes, (after, after_units)) =
            register::simulate(db, &events, async |tx| side(tx.into(), province, day).await)
                .await?;
        let mut sum = ApplyOutcome::default();
        for o in outcomes {
            sum.assignments += o.assignments;
            sum.coordinating += o.coordinating;
            sum.accounts_moved += o.accounts_moved;
            sum.accounts_disabled += o.accounts_disabled;
            sum.report_requests += o.report_requests;
            sum.children += o.children;
            sum.staffing += o.staffing;
            sum.functions += o.functions;
        }
        (sum, Some((after, after_units)))
    } else {
        (ApplyOutcome::default(), None)
    };
    let after = after.map(|(mut side, units)| {
        let before: HashSet<Id> = today_units.iter().map(|u| u.id).collect();
        side.tree = tree(&units, |id| (!before.contains(&id)).then_some("Mới"));
        let kept: HashSet<Id> = units.iter().map(|u| u.id).collect();
        today_side.tree = tree(&today_units, |id| {
            (!kept.contains(&id)).then_some("Chấm dứt")
        });
        side
    });
    if after.is_none() {
        today_side.tree = tree(&today_units, |_| None);
    }
    let mut moves: Vec<Move> = moves
        .into_iter()
        .map(|(to, count)| Move { to, count })
        .collect();
    moves.sort_by_cached_key(|m| tinhgon_textkit::sort_key(&m.to));
    Ok(ScenarioView {
        scenario: s,
        drafts,
        today: today_side,
        after,
        moves,
        outcome,
        staffing_lines,
        problems,
    })
}

/// Two scenarios of `province`, each beside today, for the comparison page.
pub async fn compare(
    db: &Db,
    actor: Actor<'_>,
    province: Id,
    a: Id,
    b: Id,
) -> Result<(ScenarioView, ScenarioView)> {
    Ok((
        view(db, actor, province, a).await?,
        view(db, actor, province, b).await?,
    ))
}
