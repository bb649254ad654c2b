//! The monitoring dashboard for a province or a plan, as of any date.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use chrono::NaiveDate;
use serde::Deserialize;
use tinhgon_domain::class::StatusClass;
use tinhgon_domain::model::Id;
use tinhgon_store::dash_cache;
use tinhgon_store::status::{self, Scope};

use crate::auth::Viewer;
use crate::error::{WebError, WebResult};
use crate::extract::Query;
use crate::pages::render;
use crate::view::{date, date_opt, parse_date, thousands, today, PageCtx};
use crate::{chart, AppState};

/// `?as_of=` (dd/mm/yyyy or ISO), `?plan=` (id) and `?plan_number=` (a plan's number).
#[derive(Deserialize, Default)]
pub struct DashQuery {
    as_of: Option<String>,
    plan: Option<String>,
    plan_number: Option<String>,
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
    overdue_count: String,
    due_soon: Vec<Line>,
    due_soon_count: String,
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
    /// That plan's number, for the plan picker.
    pub plan_number: Option<String>,
    /// The viewer's province.
    pub province: Option<Id>,
    /// Count per class, in class order.
    pub pairs: Vec<(StatusClass, u64)>,
    /// Sum of the counts.
    pub total: u64,
    /// Rows by unit, most overdue first.
    pub units: Vec<UnitRow>,
    /// The first [`dash_cache::LIST_CAP`] overdue assignments, oldest due first.
    pub overdue: Vec<status::AssignmentItem>,
    /// How many assignments are overdue in all.
    pub overdue_total: u64,
    /// The first [`dash_cache::LIST_CAP`] assignments due within 7 days.
    pub due_soon: Vec<status::AssignmentItem>,
    /// How many are due within 7 days in all.
    pub due_soon_total: u64,
    /// Names of the units shown (table rows and list lines), by id.
    pub names: std::collections::HashMap<Id, String>,
}

/// Resolves `?plan_number=` (a published plan of the province by its number) or else
/// `?plan=` (an id) to a plan id.
async fn chosen_plan(
    state: &AppState,
    province: Option<Id>,
    plan_text: Option<&str>,
    plan_number: Option<&str>,
) -> WebResult<Option<Id>> {
    // The number field is empty unless the viewer typed into it: it then wins over the
    // picker, which still holds the plan shown before.
    if let Some(number) = plan_number.map(str::trim).filter(|s| !s.is_empty()) {
        return match dash_cache::published_plan_by_number(&state.db, province, number).await? {
            Some((id, _, _)) => Ok(Some(id)),
            None => Err(WebError::BadRequest(format!(
                "Không tìm thấy kế hoạch đã ban hành số \"{number}\" của tỉnh."
            ))),
        };
    }
    match plan_text.map(str::trim).filter(|s| !s.is_empty()) {
        Some(p) => p
            .parse::<Id>()
            .map(Some)
            .map_err(|_| WebError::BadRequest("Mã kế hoạch không hợp lệ.".into())),
        None => Ok(None),
    }
}

/// Computes the dashboard (`as_of_text`: dd/mm/yyyy or ISO, default today; `plan_text`: a
/// plan id; `plan_number`: a plan number, used when there is no id). Counts and list ids come
/// from the database's dashboard cache (`tinhgon_store::dash_cache`); names and texts of the
/// lines shown are read fresh.
pub async fn dashboard_data(
    state: &AppState,
    viewer: &Viewer,
    as_of_text: Option<&str>,
    plan_text: Option<&str>,
    plan_number: Option<&str>,
) -> WebResult<DashData> {
    let user = viewer.require()?.clone();
    let as_of = as_of(as_of_text)?;
    let province = viewer_province(state, viewer).await?;
    if !tinhgon_domain::user::can_view_dashboard(&user, province) {
        return Err(WebError::Forbidden);
    }
    let plan_id = chosen_plan(state, province, plan_text, plan_number).await?;
    let mut chosen_number = None;
    let (scope, title) = match (plan_id, province) {
        (Some(p), _) => {
            // The plan must be one the viewer may read (404 otherwise, as on the plan page).
            // Dashboard viewers are never officers, so the units concerned play no part.
            let head = dash_cache::plan_head(&state.db, p)
                .await?
                .ok_or(WebError::NotFound)?;
            let access = tinhgon_domain::user::PlanAccess {
                province_id: head.province_id,
                state: head.state,
                public: head.public,
                concerned_unit_ids: &[],
            };
            if !tinhgon_domain::user::can_read_plan(viewer.account(), &access) {
                return Err(WebError::NotFound);
            }
            chosen_number.clone_from(&head.number);
            (
                Scope::Plan(p),
                format!(
                    "Tình hình thực hiện {}",
                    head.number.unwrap_or_else(|| format!("kế hoạch {p}"))
                ),
            )
        }
        (None, Some(pr)) => (
            Scope::Province(pr),
            "Tình hình thực hiện nhiệm vụ toàn tỉnh".to_string(),
        ),
        (None, None) => return Err(WebError::NotFound),
    };
    let read = dash_cache::dashboard(&state.db, scope, as_of).await?;
    let (cached, lines) = (read.data, read.lines);
    let pick = |ids: &[Id]| -> Vec<status::AssignmentItem> {
        ids.iter().filter_map(|id| lines.get(id).cloned()).collect()
    };
    let overdue = pick(&cached.overdue.ids);
    let due_soon = pick(&cached.due_soon.ids);
    let mut unit_ids: Vec<Id> = cached.by_unit.keys().copied().collect();
    unit_ids.extend(lines.values().map(|l| l.unit_id));
    let names = dash_cache::unit_names(&state.db, &unit_ids).await?;
    let pairs: Vec<(StatusClass, u64)> = StatusClass::ALL
        .iter()
        .map(|c| (*c, cached.counts.by_class.get(c).copied().unwrap_or(0)))
        .collect();
    let total = pairs.iter().map(|(_, n)| n).sum();
    let mut units: Vec<UnitRow> = cached
        .by_unit
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
            .then(tinhgon_textkit::compare(&a.name, &b.name))
    });
    Ok(DashData {
        title,
        as_of,
        plan_id,
        plan_number: chosen_number,
        province,
        pairs,
        total,
        units,
        overdue,
        overdue_total: cached.overdue.total,
        due_soon,
        due_soon_total: cached.due_soon.total,
        names,
    })
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
    )
    .await?;
    let user = viewer.require()?.clone();
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
        .map(|(id, n, t)| crate::pages::work::Choice {
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
        overdue_count,
        due_soon,
        due_soon_count,
        can_urge,
        plans,
    })
}
