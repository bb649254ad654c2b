//! The monitoring dashboard for a province or a plan, as of any date.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;
use tinhgon_domain::class::StatusClass;
use tinhgon_domain::model::Id;
use tinhgon_store::dash_cache;
use tinhgon_store::status::{self};

use crate::auth::Viewer;
use crate::error::WebResult;
use crate::pages::render;
use crate::request::Query;
use crate::view::{date, date_opt, thousands, today, PageCtx};
use crate::{chart, AppState};

/// `?as_of=` (dd/mm/yyyy or ISO), `?plan=` (id) and `?plan_number=` (a plan's number).
#[derive(Deserialize, Default)]
pub struct DashQuery {
    as_of: Option<String>,
    plan: Option<String>,
    plan_number: Option<String>,
    /// The province an installation-wide account looks at (ignored for a province's own).
    province: Option<i64>,
}

/// Plans offered in the picker (the most recently published; others by their number).
const PICKER_PLANS: usize = 30;

/// A class with its count, for the cards.
pub struct ClassCard {
    /// Label.
    pub label: &'static str,
    /// Colour.
    pub color: &'static str,
    /// Count.
    pub n: u64,
    /// Stable name.
    pub key: &'static str,
    /// Where the card leads: the task list of its class; standing duties to their periods.
    pub href: String,
}

pub use tinhgon_app::dashboard::{DashData, UnitRow};

/// One line of the overdue and due-soon lists.
pub struct Line {
    /// Assignment.
    pub id: Id,
    /// Plan number.
    pub plan: String,
    /// Task ref.
    pub task_ref: String,
    /// Content (shortened).
    pub content: String,
    /// Unit.
    pub unit: String,
    /// Unit id.
    pub unit_id: Id,
    /// Due.
    pub due: String,
}

#[derive(Template)]
#[template(path = "dashboard.html")]
struct DashboardPage {
    ctx: PageCtx,
    /// Counts link into the task list (which is today's): only when the dashboard is today's.
    links: bool,
    /// The plan filter carried into the task list ("&plan=5" or empty).
    list_query: String,
    /// Class names in the order of the units' counts.
    class_keys: Vec<&'static str>,
    title: String,
    as_of: String,
    cards: Vec<ClassCard>,
    total: u64,
    donut: String,
    bars: String,
    /// Standing and recurring duties, counted apart from the chart.
    standing: u64,
    classes: Vec<(&'static str, &'static str)>,
    units: Vec<UnitRow>,
    overdue: Vec<Line>,
    overdue_count: String,
    due_soon: Vec<Line>,
    due_soon_count: String,
    can_urge: bool,
    /// Days of urging without progress before the leaders are told (0: never).
    escalate_after: u32,
    csrf: String,
    plans: Vec<crate::view::Choice>,
    /// The province picker of an installation-wide account (empty for a province's own).
    provinces: Vec<crate::view::Choice>,
}

/// Shortens task content for lists.
pub fn short(s: &str, n: usize) -> String {
    let s = s.lines().next().unwrap_or("");
    if s.chars().count() > n {
        s.chars().take(n).chain(std::iter::once('…')).collect()
    } else {
        s.to_string()
    }
}

pub use crate::auth::viewer_province;
pub use crate::request::as_of;

/// The dashboard for the viewer (see [`tinhgon_app::dashboard::dashboard`]).
pub async fn dashboard_data(
    state: &AppState,
    viewer: &Viewer,
    as_of_text: Option<&str>,
    plan_text: Option<&str>,
    plan_number: Option<&str>,
    chosen_province: Option<i64>,
) -> WebResult<DashData> {
    let user = viewer.require()?;
    let as_of = as_of(as_of_text)?;
    // An installation-wide account (Bộ Nội vụ) picks the province; a province's own sees it.
    let province = match (user.province_id, chosen_province) {
        (None, Some(p)) => Some(p),
        _ => viewer_province(state, viewer).await?,
    };
    Ok(
        tinhgon_app::dashboard::dashboard(&state.db, user, province, as_of, plan_text, plan_number)
            .await?,
    )
}

/// The heading count of a capped list: "12", or "100 trên 1.693" when cut.
fn shown_of(shown: usize, total: u64) -> String {
    if (shown as u64) < total {
        format!("{} trên {}", thousands(shown as u64), thousands(total))
    } else {
        thousands(total)
    }
}

/// `GET /dashboard`.
pub async fn dashboard(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<DashQuery>,
) -> WebResult<Response> {
    let d = dashboard_data(
        &state,
        &viewer,
        q.as_of.as_deref(),
        q.plan.as_deref(),
        q.plan_number.as_deref(),
        q.province,
    )
    .await?;
    let user = viewer.require()?.clone();
    let provinces = match user.province_id {
        Some(_) => Vec::new(),
        None => tinhgon_store::register::provinces(&state.db)
            .await?
            .into_iter()
            .map(|(id, name)| crate::view::Choice {
                value: id.to_string(),
                label: name,
                selected: Some(id) == d.province,
            })
            .collect(),
    };
    let DashData {
        title,
        as_of,
        plan_id,
        plan_number: chosen_number,
        province,
        pairs,
        total,
        units,
        overdue,
        overdue_total,
        due_soon,
        due_soon_total,
        names,
    } = d;
    let plan_query = plan_id.map(|p| format!("&plan={p}")).unwrap_or_default();
    let cards = pairs
        .iter()
        .map(|(c, n)| ClassCard {
            label: c.label_vi(),
            color: c.color(),
            n: *n,
            key: c.as_str(),
            href: if *c == StatusClass::Standing {
                format!("/duties?as_of={}{plan_query}", date(as_of))
            } else {
                format!("/tasks?class={}{plan_query}", c.as_str())
            },
        })
        .collect();
    // Standing duties have no date to be on time or late against: the charts leave them out
    // (three quarters of a plan's assignments can be standing duties) and the page judges
    // them per period instead.
    let standing = pairs
        .iter()
        .find(|(c, _)| *c == StatusClass::Standing)
        .map_or(0, |(_, n)| *n);
    let dated: Vec<(StatusClass, u64)> = pairs
        .iter()
        .copied()
        .filter(|(c, _)| *c != StatusClass::Standing)
        .collect();
    let bar_rows: Vec<(String, Vec<(StatusClass, u64)>)> = units
        .iter()
        .take(15)
        .map(|u| {
            (
                u.name.clone(),
                StatusClass::ALL
                    .iter()
                    .copied()
                    .zip(u.counts.iter().copied())
                    .filter(|(c, _)| *c != StatusClass::Standing)
                    .collect(),
            )
        })
        .collect();
    let line = |a: &status::AssignmentItem| Line {
        id: a.id,
        plan: a.plan_number.clone().unwrap_or_default(),
        task_ref: a.task_ref.clone(),
        content: short(&a.content, 110),
        unit: names.get(&a.unit_id).cloned().unwrap_or_default(),
        unit_id: a.unit_id,
        due: date_opt(a.due),
    };
    let overdue_count = shown_of(overdue.len(), overdue_total);
    let due_soon_count = shown_of(due_soon.len(), due_soon_total);
    let overdue = overdue.iter().map(line).collect();
    let due_soon = due_soon.iter().map(line).collect();
    let mut recent = dash_cache::recent_published_plans(&state.db, province, PICKER_PLANS).await?;
    if let Some(p) = plan_id.filter(|p| !recent.iter().any(|(id, _, _)| id == p)) {
        // A plan chosen by number or link beyond the recent ones stays selected.
        recent.insert(0, (p, chosen_number, None));
    }
    let plans = recent
        .into_iter()
        .map(|(id, n, t)| crate::view::Choice {
            value: id.to_string(),
            label: tinhgon_domain::plan::plan_name(n.as_deref(), t.as_deref()),
            selected: plan_id == Some(id),
        })
        .collect();
    let can_urge = user.role.monitors();
    let links = as_of == today();
    let list_query = plan_id.map(|p| format!("&plan={p}")).unwrap_or_default();
    render(&DashboardPage {
        links,
        list_query,
        class_keys: StatusClass::ALL.iter().map(|c| c.as_str()).collect(),
        csrf: viewer.csrf.clone(),
        ctx: PageCtx::new(&viewer, "dashboard"),
        title,
        as_of: date(as_of),
        donut: chart::donut(&dated),
        bars: chart::stacked_bars(&bar_rows),
        standing,
        classes: StatusClass::ALL
            .iter()
            .filter(|c| **c != StatusClass::Standing)
            .map(|c| (c.label_vi(), c.color()))
            .collect(),
        cards,
        total,
        provinces,
        units,
        overdue,
        overdue_count,
        due_soon,
        due_soon_count,
        can_urge,
        escalate_after: state.config.escalate_after,
        plans,
    })
}
