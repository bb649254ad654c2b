//! The leader's view: the aggregated report of a plan for a period on screen, as of its
//! cut-off, with the comparison chart, printable on A4.

use std::collections::HashMap;

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;
use tinhgon_app::PeriodChoice;
use tinhgon_domain::model::Id;
use tinhgon_reports::{AggregatedReport, StatusClass};
use tinhgon_store::periodic;

use super::{chart, pager};
use crate::auth::Viewer;
use crate::error::{WebError, WebResult};
use crate::pages::plans::load_readable;
use crate::pages::render;
use crate::request::{Path, Query};
use crate::view::{date, date_opt, parse_date, today, PageCtx};
use crate::AppState;

/// `?as_of=` (dd/mm/yyyy or ISO): the cut-off of the figures; today when absent.
#[derive(Deserialize, Default)]
pub struct ReportQuery {
    /// The cut-off.
    pub as_of: Option<String>,
}

/// The report page's query: the cut-off, the page of the task table (`?page=`, 50 rows a
/// page) or every row (`?all=1`, for printing).
#[derive(Deserialize, Default)]
pub struct PageQuery {
    /// The cut-off.
    pub as_of: Option<String>,
    /// Page of the task table, from 1.
    pub page: Option<String>,
    /// `1`: the whole task table on one page.
    pub all: Option<String>,
}

/// Parses the cut-off, refusing a malformed date with a Vietnamese 400.
pub fn cutoff(q: &ReportQuery) -> WebResult<chrono::NaiveDate> {
    match q.as_of.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(today()),
        Some(s) => parse_date(s).ok_or_else(|| {
            WebError::BadRequest(format!(
                "Ngày \"{s}\" không hợp lệ; hãy nhập theo dạng dd/mm/yyyy."
            ))
        }),
    }
}

/// The aggregated report of a plan the viewer may read, as of the query's cut-off.
pub async fn build(
    state: &AppState,
    viewer: &Viewer,
    plan_id: Id,
    q: &ReportQuery,
) -> WebResult<(PeriodChoice, AggregatedReport)> {
    viewer.require()?;
    let as_of = cutoff(q)?;
    load_readable(state, viewer, plan_id).await?;
    let period = tinhgon_app::report_periods(&state.db, plan_id, as_of)
        .await
        .map_err(WebError::from)?;
    let report = tinhgon_app::aggregated_report(&state.db, plan_id, &period, today())
        .await
        .map_err(WebError::from)?;
    Ok((period, report))
}

struct Card {
    label: &'static str,
    color: &'static str,
    n: u32,
    previous: Option<u32>,
    delta: String,
}

struct UnitLine {
    id: Option<Id>,
    name: String,
    counts: Vec<u32>,
    total: u32,
    overdue: u32,
}

struct TaskLine {
    reference: String,
    content: String,
    lead: String,
    coordinating: String,
    deadline: String,
    due: String,
    badge: String,
    completed: String,
    progress: String,
}

struct OverdueLine {
    reference: String,
    content: String,
    unit: String,
    due: String,
    days: u32,
    reason: String,
}

struct PeriodOption {
    label: String,
    value: String,
    selected: bool,
}

#[derive(Template)]
#[template(path = "periodic_report.html")]
struct ReportPage {
    ctx: PageCtx,
    plan_id: Id,
    plan: String,
    plan_title: String,
    issuer_parent: String,
    issuer: String,
    period: String,
    previous: String,
    cutoff: String,
    as_of: String,
    total: u32,
    previous_total: Option<u32>,
    cards: Vec<Card>,
    chart: String,
    classes: Vec<(&'static str, &'static str)>,
    units: Vec<UnitLine>,
    tasks: Vec<TaskLine>,
    overdue: Vec<OverdueLine>,
    obstacles: Vec<(String, String)>,
    proposals: Vec<(String, String)>,
    periods: Vec<PeriodOption>,
    can_urge: bool,
    query: String,
    /// Rows of the whole task table.
    task_total: usize,
    /// "Hiển thị 51–100 trên 898" (empty when every row is shown).
    task_range: String,
    pager: Vec<pager::PageLink>,
    /// Every row on one page (`?all=1`).
    all: bool,
    /// Index of the first row shown (the "STT" column counts from it).
    first_row: usize,
}

/// The plan title with its first letter in capitals (the report writes it lower-cased).
fn capitalized(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

fn badge(c: StatusClass) -> String {
    format!(
        "<span class=\"st bg-tone\" data-tone=\"{}\">{}</span>",
        c.color(),
        c.label_vi()
    )
}

/// `GET /plans/{plan}/report`: the aggregated report on screen.
pub async fn page(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(plan_id): Path<Id>,
    Query(pq): Query<PageQuery>,
) -> WebResult<Response> {
    let user = viewer.require()?.clone();
    let all = match pq.all.as_deref().map(str::trim) {
        None | Some("" | "0") => false,
        Some("1") => true,
        Some(other) => {
            return Err(WebError::BadRequest(format!(
                "Tham số all=\"{other}\" không hợp lệ; dùng all=1 để xem toàn bộ danh mục."
            )))
        }
    };
    let page_no = pager::parse_page(pq.page.as_deref())?;
    let q = ReportQuery { as_of: pq.as_of };
    let (period, r) = build(&state, &viewer, plan_id, &q).await?;
    let ids: HashMap<String, Id> = periodic::data::plan_units(&state.db, plan_id)
        .await?
        .into_iter()
        .map(|(id, n)| (n, id))
        .collect();
    let cards = StatusClass::ALL
        .iter()
        .map(|c| {
            let n = r.totals.get(*c);
            let previous = r.previous.as_ref().map(|p| p.get(*c));
            let delta = match previous {
                Some(p) if n > p => format!("+{}", n - p),
                Some(p) if n < p => format!("−{}", p - n),
                Some(_) => "±0".into(),
                None => String::new(),
            };
            Card {
                label: c.label_vi(),
                color: c.color(),
                n,
                previous,
                delta,
            }
        })
        .collect();
    let units = r
        .units
        .iter()
        .map(|u| UnitLine {
            id: ids.get(&u.unit).copied(),
            name: u.unit.clone(),
            counts: StatusClass::ALL.iter().map(|c| u.counts.get(*c)).collect(),
            total: u.counts.total(),
            overdue: u.counts.overdue,
        })
        .collect();
    let as_of = date(period.cutoff);
    // The period and cut-off stay in every pager link; `?all=1` shows every row.
    let pager = pager::paginate(
        if all { 0 } else { r.tasks.len() },
        page_no,
        &format!("/plans/{plan_id}/report?as_of={as_of}&"),
        "#tasks",
    );
    let shown = if all {
        0..r.tasks.len()
    } else {
        pager.start..pager.end
    };
    let tasks = r.tasks[shown.clone()]
        .iter()
        .map(|t| TaskLine {
            reference: t.reference.clone(),
            content: t.content.clone(),
            lead: t.lead.clone(),
            coordinating: t.coordinating.clone(),
            deadline: t.deadline_text.clone(),
            due: date_opt(t.due),
            badge: badge(t.class),
            completed: t.completed_on.map(date).unwrap_or_default(),
            progress: t.latest_progress.clone().unwrap_or_default(),
        })
        .collect();
    let overdue = r
        .overdue
        .iter()
        .map(|o| OverdueLine {
            reference: o.reference.clone(),
            content: o.content.clone(),
            unit: o.unit.clone(),
            due: date(o.due),
            days: o.days_overdue,
            reason: o.reason.clone().unwrap_or_default(),
        })
        .collect();
    let mut periods: Vec<PeriodOption> = periodic::windows(&state.db, plan_id)
        .await?
        .into_iter()
        .map(|w| PeriodOption {
            selected: w.cutoff == period.cutoff,
            label: format!("{} (số liệu đến {})", w.label, date(w.cutoff)),
            value: date(w.cutoff),
        })
        .collect();
    if !periods.iter().any(|p| p.selected) {
        periods.insert(
            0,
            PeriodOption {
                label: format!("{} (số liệu đến {})", period.label, as_of),
                value: as_of.clone(),
                selected: true,
            },
        );
    }
    let previous_label = r.previous_label.clone().unwrap_or_default();
    render(&ReportPage {
        ctx: PageCtx::new(&viewer, "reports"),
        plan_id,
        plan: r.plan_number.clone(),
        plan_title: capitalized(&r.plan_title),
        issuer_parent: r.header.issuer_parent.clone(),
        issuer: r.header.issuer.clone(),
        period: r.period_label.clone(),
        previous: previous_label.clone(),
        cutoff: date(r.cutoff),
        total: r.totals.total(),
        previous_total: r.previous.as_ref().map(|p| p.total()),
        chart: chart::comparison(
            &r.totals,
            &r.period_label,
            r.previous.as_ref().map(|p| (p, previous_label.as_str())),
        ),
        classes: StatusClass::ALL
            .iter()
            .map(|c| (c.label_vi(), c.color()))
            .collect(),
        cards,
        units,
        tasks,
        overdue,
        obstacles: r
            .obstacles
            .iter()
            .map(|n| (n.unit.clone(), n.text.clone()))
            .collect(),
        proposals: r
            .proposals
            .iter()
            .map(|n| (n.unit.clone(), n.text.clone()))
            .collect(),
        periods,
        can_urge: user.role.monitors(),
        query: format!("?as_of={as_of}"),
        task_total: r.tasks.len(),
        task_range: if all || r.tasks.is_empty() {
            String::new()
        } else {
            pager.summary()
        },
        pager: pager.links,
        all,
        first_row: shown.start,
        as_of,
    })
}
