//! The periodic report: the figures of a plan as of a cut-off, read from the database (the
//! aggregated report, the agency's pre-filled report). The urging notice is in [`crate::urging`].
//!
//! Every assignment is classified with the domain rule on the cut-off day from its full
//! history (changes after the cut-off are ignored), so a past cut-off gives the figures that
//! were true then; the unit responsible is the one of that day (later reroutes undone).

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use tinhgon_domain::classify::AssignmentFacts;
use tinhgon_domain::localtime::end_of_local_day;
use tinhgon_domain::model::Id;
use tinhgon_reports::model::{short_date, text_date};
use tinhgon_reports::{
    AggregatedReport, ClassCounts, OverdueRow, StatusClass, TaskRow, UnitNote, UnitRow,
};
use tinhgon_store::periodic::data::{self, AssignmentLine, PlanData, PlanHead};
use tinhgon_store::periodic::{
    self, period_containing, previous_period, AgencyReportContent, PeriodKind, ReportItem, Window,
};
use tinhgon_store::status::{self, Scope};
use tinhgon_store::Db;

use crate::error::{AppError, Result};
use crate::header;

/// Which period a report is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeriodChoice {
    /// Label ("quý IV/2025").
    pub label: String,
    /// Data cut-off.
    pub cutoff: NaiveDate,
    /// The previous period to compare with: label and cut-off.
    pub previous: Option<(String, NaiveDate)>,
}

/// The plan with this number ("615/KH-UBND"; spaces and case ignored), published first.
pub async fn find_plan(db: &Db, number: &str) -> Result<Id> {
    let found = data::plans_by_number(db, number).await?;
    let (id, n, state) = found
        .into_iter()
        .next()
        .ok_or_else(|| AppError::PlanNotFound(number.to_string()))?;
    if state == "draft" {
        return Err(AppError::NotPublished(n));
    }
    Ok(id)
}

/// The unit of a plan with this name, diacritics and case ignored: an exact match first,
/// else the only name that contains it.
pub async fn find_unit(db: &Db, plan_id: Id, name: &str) -> Result<(Id, String)> {
    let wanted = tinhgon_textkit::fold(name);
    let units = data::plan_units(db, plan_id).await?;
    if let Some(u) = units
        .iter()
        .find(|(_, n)| tinhgon_textkit::fold(n) == wanted)
    {
        return Ok(u.clone());
    }
    let partial: Vec<&(Id, String)> = units
        .iter()
        .filter(|(_, n)| !wanted.is_empty() && tinhgon_textkit::fold(n).contains(&wanted))
        .collect();
    match partial.as_slice() {
        [one] => Ok((*one).clone()),
        [] => Err(AppError::UnitNotFound(name.to_string())),
        many => Err(AppError::AmbiguousUnit {
            name: name.to_string(),
            candidates: many
                .iter()
                .map(|(_, n)| n.as_str())
                .collect::<Vec<_>>()
                .join("; "),
        }),
    }
}

/// The period a report as of `as_of` is about: the plan's schedule when it has one (the
/// period containing `as_of`, data to `as_of`), else quarters; the previous period is
/// compared at its own cut-off.
pub async fn report_periods(db: &Db, plan_id: Id, as_of: NaiveDate) -> Result<PeriodChoice> {
    let schedule = periodic::schedule(db, plan_id).await?;
    let kind = schedule
        .as_ref()
        .map(|s| s.kind)
        .filter(|k| *k != PeriodKind::AdHoc)
        .unwrap_or(PeriodKind::Quarterly);
    let Some(period) = period_containing(kind, as_of) else {
        return Ok(PeriodChoice {
            label: format!("đến ngày {}", text_date(as_of)),
            cutoff: as_of,
            previous: None,
        });
    };
    let previous = previous_period(&period).map(|p| {
        let cutoff = match &schedule {
            Some(s) if s.kind == kind => s.window(&p).cutoff,
            _ => p.end,
        };
        (p.label, cutoff)
    });
    Ok(PeriodChoice {
        label: period.label,
        cutoff: as_of,
        previous,
    })
}

/// One assignment judged on a day.
pub(crate) struct Judged<'a> {
    pub(crate) line: &'a AssignmentLine,
    pub(crate) unit: Id,
    pub(crate) class: StatusClass,
    pub(crate) due: Option<NaiveDate>,
    pub(crate) completed_on: Option<NaiveDate>,
}

/// Classifies every assignment of the plan on `day` (those not counted are left out).
pub(crate) fn judge<'a>(
    plan: &'a PlanData,
    facts: &BTreeMap<Id, (Id, AssignmentFacts)>,
    day: NaiveDate,
) -> Vec<Judged<'a>> {
    let end = end_of_local_day(day);
    plan.assignments
        .iter()
        .filter(|a| a.created_at < end)
        .filter_map(|a| {
            let (_, f) = facts.get(&a.id)?;
            let class = tinhgon_domain::classify(f, day)?;
            Some(Judged {
                line: a,
                unit: plan.unit_at(a, end),
                class,
                due: f.due_on(day),
                completed_on: f.completed_on(day),
            })
        })
        .collect()
}

pub(crate) fn days_between(from: NaiveDate, to: NaiveDate) -> u32 {
    u32::try_from((to - from).num_days()).unwrap_or(0)
}

/// The reason a unit gives for an assignment being late, as known at `before`: its latest
/// progress note, else its latest obstacle, else the latest note on a status change.
fn reason(plan: &PlanData, assignment: Id, before: DateTime<Utc>) -> Option<String> {
    let last = |m: &BTreeMap<Id, Vec<(DateTime<Utc>, String)>>| {
        m.get(&assignment)?
            .iter()
            .rev()
            .find(|(at, _)| *at < before)
            .map(|(_, t)| t.clone())
    };
    plan.latest_progress(assignment, before)
        .map(str::to_string)
        .or_else(|| last(&plan.obstacles))
        .or_else(|| last(&plan.notes))
}

pub(crate) fn plan_number(head: &PlanHead) -> String {
    head.number
        .clone()
        .unwrap_or_else(|| format!("#{}", head.id))
}

/// The non-blank `texts` of `unit`, trimmed.
fn unit_notes<'a>(unit: &'a str, texts: &'a [String]) -> impl Iterator<Item = UnitNote> + 'a {
    texts
        .iter()
        .map(|t| t.trim())
        .filter(|t| !t.is_empty())
        .map(move |t| UnitNote {
            unit: unit.to_string(),
            text: t.to_string(),
        })
}

/// A published plan as the periodic writings read it: its head, its tasks and assignments,
/// and the facts of every assignment. A draft has nothing to report on or urge about.
pub(crate) struct PublishedPlan {
    /// Number, issuer, date and title.
    pub head: PlanHead,
    /// Tasks, assignments and their records.
    pub plan: PlanData,
    /// What happened to each assignment, by assignment: (unit, facts).
    pub facts: BTreeMap<Id, (Id, AssignmentFacts)>,
}

/// The published plan `plan_id`, or [`AppError::NotPublished`] for a draft.
pub(crate) async fn published_plan(db: &Db, plan_id: Id) -> Result<PublishedPlan> {
    let head = data::plan_head(db, plan_id).await?;
    if head.state == "draft" {
        return Err(AppError::NotPublished(plan_number(&head)));
    }
    Ok(PublishedPlan {
        head,
        plan: data::plan_data(db, plan_id).await?,
        facts: status::assignment_facts(db, Scope::Plan(plan_id)).await?,
    })
}

fn unit_sort_key(name: &str) -> tinhgon_textkit::SortKey {
    tinhgon_textkit::sort_key(name)
}

/// The aggregated report of a plan for a period, from the database as of the period's
/// cut-off, dated `date`.
pub async fn aggregated_report(
    db: &Db,
    plan_id: Id,
    period: &PeriodChoice,
    date: NaiveDate,
) -> Result<AggregatedReport> {
    let PublishedPlan { head, plan, facts } = published_plan(db, plan_id).await?;
    let cutoff = period.cutoff;
    let end = end_of_local_day(cutoff);
    let judged = judge(&plan, &facts, cutoff);

    // What the agencies reported for this period: obstacles, proposals, and reasons for
    // lateness that take precedence over the bare progress notes.
    let submitted = periodic::current_reports(db, plan_id, cutoff).await?;
    let mut obstacles = Vec::new();
    let mut proposals = Vec::new();
    let mut reported_reasons: BTreeMap<Id, String> = BTreeMap::new();
    for (unit, report) in &submitted {
        let c = &report.content;
        obstacles.extend(unit_notes(unit, &c.obstacles));
        proposals.extend(unit_notes(unit, &c.proposals));
        for item in &c.late {
            if let (Some(id), false) = (item.assignment_id, item.note.trim().is_empty()) {
                reported_reasons.insert(id, item.note.trim().to_string());
            }
        }
    }

    let tasks_by_id: BTreeMap<Id, &data::TaskLine> = plan.tasks.iter().map(|t| (t.id, t)).collect();
    let mut totals = ClassCounts::default();
    let mut units: BTreeMap<Id, ClassCounts> = BTreeMap::new();
    let mut rows = Vec::with_capacity(judged.len());
    let mut overdue = Vec::new();
    for j in &judged {
        let Some(task) = tasks_by_id.get(&j.line.task_id) else {
            continue;
        };
        totals.add(j.class);
        units.entry(j.unit).or_default().add(j.class);
        let unit_name = plan.unit_name(j.unit);
        rows.push(TaskRow {
            reference: task.reference.clone(),
            content: task.content.clone(),
            lead: unit_name.clone(),
            coordinating: plan
                .coordinators
                .get(&task.id)
                .map(|c| c.join("; "))
                .unwrap_or_default(),
            deadline_text: task.deadline_text.clone(),
            due: j.due,
            class: j.class,
            completed_on: j.completed_on,
            latest_progress: plan.latest_progress(j.line.id, end).map(str::to_string),
        });
        if j.class == StatusClass::Overdue {
            if let Some(due) = j.due {
                overdue.push(OverdueRow {
                    reference: task.reference.clone(),
                    content: task.content.clone(),
                    unit: unit_name,
                    due,
                    days_overdue: days_between(due, cutoff),
                    reason: reported_reasons
                        .get(&j.line.id)
                        .cloned()
                        .or_else(|| reason(&plan, j.line.id, end)),
                });
            }
        }
    }
    overdue.sort_by_cached_key(|a| (a.due, unit_sort_key(&a.unit)));
    let mut unit_rows: Vec<UnitRow> = units
        .into_iter()
        .map(|(id, counts)| UnitRow {
            unit: plan.unit_name(id),
            counts,
        })
        .collect();
    unit_rows.sort_by_cached_key(|u| unit_sort_key(&u.unit));

    let previous = period.previous.as_ref().map(|(label, prev_cutoff)| {
        let counts = ClassCounts::from_classes(
            judge(&plan, &facts, *prev_cutoff)
                .iter()
                .filter(|j| tasks_by_id.contains_key(&j.line.task_id))
                .map(|j| j.class),
        );
        (label.clone(), counts)
    });

    let staffing =
        crate::staffing::report::plan_section(db, plan_id, head.province_id, cutoff).await?;
    let number = plan_number(&head);
    let issuer = header::plan_issuer(&head);
    let date_part = head
        .issued_on
        .map(|d| format!(" ngày {}", text_date(d)))
        .unwrap_or_default();
    let subtitle = format!(
        "Kết quả thực hiện Kế hoạch số {number}{date_part}\ncủa {issuer} ({})",
        period.label
    );
    let mut h = header::header(&head, "BC", date, subtitle);
    h.recipients = vec![
        format!("{issuer} (để b/c)"),
        "Các cơ quan, đơn vị được giao nhiệm vụ".into(),
        format!("Lưu: VT, {}", header::initials(&header::reporter(&head))),
    ];
    Ok(AggregatedReport {
        header: h,
        reporter: header::reporter(&head),
        plan_number: number,
        plan_date: head.issued_on,
        plan_issuer: issuer,
        plan_title: header::plan_title(&head),
        intro: String::new(),
        period_label: period.label.clone(),
        cutoff,
        totals,
        previous_label: previous.as_ref().map(|(l, _)| l.clone()),
        previous: previous.map(|(_, c)| c),
        units: unit_rows,
        tasks: rows,
        overdue,
        obstacles,
        proposals,
        closing: String::new(),
        staffing,
    })
}

/// The agency report of a request pre-filled from the unit's assignments as of the
/// request's cut-off: done, late with its latest note, under way, and its obstacles.
pub async fn agency_prefill(db: &Db, request_id: Id) -> Result<AgencyReportContent> {
    let req = periodic::request(db, request_id).await?;
    let plan = data::plan_data(db, req.plan_id).await?;
    let facts = status::assignment_facts(db, Scope::Plan(req.plan_id)).await?;
    let tasks_by_id: BTreeMap<Id, &data::TaskLine> = plan.tasks.iter().map(|t| (t.id, t)).collect();
    let end = end_of_local_day(req.cutoff);
    let mut content = AgencyReportContent::default();
    for j in judge(&plan, &facts, req.cutoff) {
        if j.unit != req.unit_id {
            continue;
        }
        let Some(task) = tasks_by_id.get(&j.line.task_id) else {
            continue;
        };
        let latest = plan.latest_progress(j.line.id, end).map(str::to_string);
        let mut item = ReportItem {
            assignment_id: Some(j.line.id),
            reference: task.reference.clone(),
            content: task.content.clone(),
            note: latest.clone().unwrap_or_default(),
        };
        match j.class {
            StatusClass::DoneOnTime | StatusClass::DoneLate => {
                if let Some(done) = j.completed_on {
                    let when = format!("Hoàn thành ngày {}.", short_date(done));
                    item.note = match latest {
                        Some(l) => format!("{when} {l}"),
                        None => when,
                    };
                }
                content.done.push(item);
            }
            StatusClass::Overdue => {
                item.note = reason(&plan, j.line.id, end).unwrap_or_default();
                content.late.push(item);
            }
            _ => content.in_progress.push(item),
        }
        if let Some(list) = plan.obstacles.get(&j.line.id) {
            content.obstacles.extend(
                list.iter()
                    .filter(|(at, _)| *at < end)
                    .map(|(_, t)| format!("{}: {t}", task.reference)),
            );
        }
    }
    content.summary = format!(
        "Tính đến ngày {}: {} nhiệm vụ đã hoàn thành, {} nhiệm vụ quá hạn, {} nhiệm vụ đang thực hiện hoặc chưa đến hạn.",
        short_date(req.cutoff),
        content.done.len(),
        content.late.len(),
        content.in_progress.len()
    );
    Ok(content)
}

/// The window of a request's period (re-exported for the web pages).
pub fn request_window(req: &periodic::Request) -> Window {
    req.window()
}
