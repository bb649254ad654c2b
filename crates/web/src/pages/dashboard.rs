//! The monitoring dashboard for a province or a plan, as of any date.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use chrono::{NaiveDate, Utc};
use serde::Deserialize;
use tinhgon_domain::class::StatusClass;
use tinhgon_domain::model::Id;
use tinhgon_store::status::{self, Scope};

use crate::auth::Viewer;
use crate::error::{WebError, WebResult};
use crate::extract::Query;
use crate::pages::render;
use crate::view::{date, date_opt, parse_date, today, PageCtx};
use crate::{chart, AppState};

/// `?as_of=` (dd/mm/yyyy or ISO) and `?plan=`.
#[derive(Deserialize, Default)]
pub struct DashQuery {
    as_of: Option<String>,
    plan: Option<String>,
}

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
}

/// One row of the unit table.
pub struct UnitRow {
    /// Unit id.
    pub id: Id,
    /// Name.
    pub name: String,
    /// Counts in class order.
    pub counts: Vec<u64>,
    /// Total.
    pub total: u64,
    /// Overdue count.
    pub overdue: u64,
}

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
    title: String,
    as_of: String,
    cards: Vec<ClassCard>,
    total: u64,
    donut: String,
    bars: String,
    classes: Vec<(&'static str, &'static str)>,
    units: Vec<UnitRow>,
    overdue: Vec<Line>,
    due_soon: Vec<Line>,
    can_urge: bool,
    csrf: String,
    plans: Vec<crate::pages::work::Choice>,
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

/// The province the viewer works on.
pub async fn viewer_province(state: &AppState, viewer: &Viewer) -> WebResult<Option<Id>> {
    if let Some(p) = viewer.account().and_then(|u| u.province_id) {
        return Ok(Some(p));
    }
    Ok(tinhgon_store::register::provinces(&state.db)
        .await?
        .first()
        .map(|(id, _)| *id))
}

/// Parses `?as_of=`, defaulting to today.
pub fn as_of(q: Option<&str>) -> WebResult<NaiveDate> {
    match q.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(today()),
        Some(s) => parse_date(s).ok_or_else(|| {
            WebError::BadRequest(format!(
                "Ngày \"{s}\" không hợp lệ; hãy nhập theo dạng dd/mm/yyyy."
            ))
        }),
    }
}

/// What the dashboard shows, for a province or a plan as of a day: shared by page and API.
pub struct DashData {
    /// Heading.
    pub title: String,
    /// The day.
    pub as_of: NaiveDate,
    /// The plan, when the dashboard is a plan's.
    pub plan_id: Option<Id>,
    /// The viewer's province.
    pub province: Option<Id>,
    /// Count per class, in class order.
    pub pairs: Vec<(StatusClass, u64)>,
    /// Sum of the counts.
    pub total: u64,
    /// Rows by unit, most overdue first.
    pub units: Vec<UnitRow>,
    /// Overdue assignments, oldest due first.
    pub overdue: Vec<status::AssignmentItem>,
    /// Assignments due within 7 days.
    pub due_soon: Vec<status::AssignmentItem>,
    /// Unit names by id.
    pub names: std::collections::HashMap<Id, String>,
}

/// Computes the dashboard (`as_of_text`: dd/mm/yyyy or ISO, default today; `plan_text`: a plan id).
pub async fn dashboard_data(
    state: &AppState,
    viewer: &Viewer,
    as_of_text: Option<&str>,
    plan_text: Option<&str>,
) -> WebResult<DashData> {
    let user = viewer.require()?.clone();
    let as_of = as_of(as_of_text)?;
    let province = viewer_province(state, viewer).await?;
    if !tinhgon_domain::user::can_view_dashboard(&user, province) {
        return Err(WebError::Forbidden);
    }
    let plan_id = match plan_text.map(str::trim).filter(|s| !s.is_empty()) {
        Some(p) => Some(
            p.parse::<Id>()
                .map_err(|_| WebError::BadRequest("Mã kế hoạch không hợp lệ.".into()))?,
        ),
        None => None,
    };
    let now = Utc::now();
    let (scope, title) = match (plan_id, province) {
        (Some(p), _) => {
            // The plan must be one the viewer may read (404 otherwise, as on the plan page).
            let rec = crate::pages::plans::load_readable(state, viewer, p)
                .await?
                .rec;
            (
                Scope::Plan(p),
                format!(
                    "Tình hình thực hiện {}",
                    rec.plan
                        .meta
                        .number
                        .clone()
                        .unwrap_or_else(|| format!("kế hoạch {p}"))
                ),
            )
        }
        (None, Some(pr)) => (
            Scope::Province(pr),
            "Tình hình thực hiện nhiệm vụ toàn tỉnh".to_string(),
        ),
        (None, None) => return Err(WebError::NotFound),
    };
    let counts = status::status_counts(&state.db, scope, as_of, now).await?;
    let by_unit = status::status_counts_by_unit(&state.db, scope, as_of, now).await?;
    let names = tinhgon_store::web_queries::unit_names(&state.db, province).await?;
    let pairs: Vec<(StatusClass, u64)> = StatusClass::ALL
        .iter()
        .map(|c| (*c, counts.by_class.get(c).copied().unwrap_or(0)))
        .collect();
    let total = pairs.iter().map(|(_, n)| n).sum();
    let mut units: Vec<UnitRow> = by_unit
        .iter()
        .map(|(id, c)| {
            let counts: Vec<u64> = StatusClass::ALL
                .iter()
                .map(|k| c.by_class.get(k).copied().unwrap_or(0))
                .collect();
            UnitRow {
                id: *id,
                name: names
                    .get(id)
                    .cloned()
                    .unwrap_or_else(|| format!("Đơn vị {id}")),
                total: counts.iter().sum(),
                overdue: c.by_class.get(&StatusClass::Overdue).copied().unwrap_or(0),
                counts,
            }
        })
        .collect();
    units.sort_by(|a, b| {
        b.overdue
            .cmp(&a.overdue)
            .then(b.total.cmp(&a.total))
            .then(a.name.cmp(&b.name))
    });
    let overdue = status::overdue_list(&state.db, scope, as_of, now).await?;
    let due_soon = status::due_soon(&state.db, scope, as_of, 7).await?;
    Ok(DashData {
        title,
        as_of,
        plan_id,
        province,
        pairs,
        total,
        units,
        overdue,
        due_soon,
        names,
    })
}

/// `GET /dashboard`.
pub async fn dashboard(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<DashQuery>,
) -> WebResult<Response> {
    let d = dashboard_data(&state, &viewer, q.as_of.as_deref(), q.plan.as_deref()).await?;
    let user = viewer.require()?.clone();
    let DashData {
        title,
        as_of,
        plan_id,
        province,
        pairs,
        total,
        units,
        overdue,
        due_soon,
        names,
    } = d;
    let cards = pairs
        .iter()
        .map(|(c, n)| ClassCard {
            label: c.label_vi(),
            color: c.color(),
            n: *n,
            key: c.as_str(),
        })
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
    let overdue = overdue.iter().take(100).map(line).collect();
    let due_soon = due_soon.iter().take(100).map(line).collect();
    let plans = tinhgon_store::plans::list_plans(&state.db, province)
        .await?
        .into_iter()
        .filter(|(_, _, _, s)| *s == tinhgon_domain::plan::PlanState::Published)
        .map(|(id, n, t, _)| crate::pages::work::Choice {
            value: id.to_string(),
            label: n.or(t).unwrap_or_else(|| format!("Kế hoạch {id}")),
            selected: plan_id == Some(id),
        })
        .collect();
    let can_urge = user.role.monitors();
    render(&DashboardPage {
        csrf: viewer.csrf.clone(),
        ctx: PageCtx::new(&viewer, "dashboard"),
        title,
        as_of: date(as_of),
        donut: chart::donut(&pairs),
        bars: chart::stacked_bars(&bar_rows),
        classes: StatusClass::ALL
            .iter()
            .map(|c| (c.label_vi(), c.color()))
            .collect(),
        cards,
        total,
        units,
        overdue,
        due_soon,
        can_urge,
        plans,
    })
}
