//! Scenarios (phương án sắp xếp): the list with the monitor's form and the choice of two to
//! compare, a scenario's page (its events, the province today and after it, the work that
//! would move, the form to add an event and to apply it), and the comparison of two.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;
use tinhgon_app::scenarios::{self, DecisionForm, ScenarioForm, ScenarioView, Side};
use tinhgon_app::units::Actor;
use tinhgon_domain::event::EventKind;
use tinhgon_domain::model::Id;

use crate::auth::Viewer;
use crate::error::WebResult;
use crate::pages::restructuring::{choices, province, Choice, PageEventForm};
use crate::pages::{redirect_ok, render};
use crate::request::{Form, Path, Query};
use crate::view::{date, date_opt, PageCtx};
use crate::AppState;

/// A scenario in the list.
struct Line {
    id: Id,
    name: String,
    note: String,
    state: String,
}

#[derive(Template)]
#[template(path = "scenarios.html")]
struct ListPage {
    ctx: PageCtx,
    can_manage: bool,
    lines: Vec<Line>,
}

/// `GET /scenarios`: the province's scenarios (monitors and leaders).
pub async fn list(State(state): State<AppState>, viewer: Viewer) -> WebResult<Response> {
    let user = viewer.require()?.clone();
    let p = province(&state, &viewer).await?;
    let lines = scenarios::list(&state.db, Actor::User(&user), p)
        .await?
        .into_iter()
        .map(|s| Line {
            id: s.id,
            name: s.name,
            note: s.note.unwrap_or_default(),
            state: match (s.applied_at, s.decision) {
                (Some(at), Some(d)) => format!(
                    "Đã áp dụng ngày {} theo {d}",
                    date(tinhgon_domain::local_date(at))
                ),
                (Some(at), None) => {
                    format!("Đã áp dụng ngày {}", date(tinhgon_domain::local_date(at)))
                }
                _ => "Dự thảo".into(),
            },
        })
        .collect();
    render(&ListPage {
        ctx: PageCtx::new(&viewer, "units"),
        can_manage: tinhgon_domain::user::can_manage_register(&user),
        lines,
    })
}

/// `POST /scenarios` (monitor): creates a scenario and opens it.
pub async fn create(
    State(state): State<AppState>,
    viewer: Viewer,
    Form(f): Form<ScenarioForm>,
) -> WebResult<Response> {
    let user = viewer.require()?.clone();
    let p = province(&state, &viewer).await?;
    let id = scenarios::create(&state.db, Actor::User(&user), p, &f).await?;
    Ok(redirect_ok(
        &state,
        &format!("/scenarios/{id}"),
        "Đã tạo phương án. Thêm các sự kiện sắp xếp của phương án ở dưới.",
    ))
}

/// One column of the comparison: a title, its day and the province then.
struct Column {
    title: String,
    day: String,
    s: Side,
    /// Shown for an "after" column: what would move.
    moves: Vec<(String, usize)>,
    after: bool,
}

fn columns(v: &ScenarioView, with_today: bool, title: &str) -> Vec<Column> {
    let mut out = Vec::new();
    if with_today {
        out.push(Column {
            title: "Hiện nay".into(),
            day: date(v.today.day),
            s: v.today.clone(),
            moves: Vec::new(),
            after: false,
        });
    }
    if let Some(a) = &v.after {
        out.push(Column {
            title: title.to_string(),
            day: date(a.day),
            s: a.clone(),
            moves: v.moves.iter().map(|m| (m.to.clone(), m.count)).collect(),
            after: true,
        });
    }
    out
}

#[derive(Template)]
#[template(path = "scenario.html")]
struct ScenarioPage {
    ctx: PageCtx,
    can_manage: bool,
    v: ScenarioView,
    applied: String,
    drafts: Vec<(Id, String, String, String, String, Option<String>)>,
    columns: Vec<Column>,
    units: Vec<Choice>,
    kinds: Vec<(&'static str, &'static str)>,
    others: Vec<(Id, String)>,
}

/// `GET /scenarios/{scenario}`: the scenario beside today.
pub async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<Id>,
) -> WebResult<Response> {
    let user = viewer.require()?.clone();
    let p = province(&state, &viewer).await?;
    let v = scenarios::view(&state.db, Actor::User(&user), p, id).await?;
    let draft = v.scenario.applied_at.is_none();
    let can_manage = tinhgon_domain::user::can_manage_register(&user) && draft;
    let others = scenarios::list(&state.db, Actor::User(&user), p)
        .await?
        .into_iter()
        .filter(|s| s.id != id)
        .map(|s| (s.id, s.name))
        .collect();
    let applied = match (&v.scenario.applied_at, &v.scenario.decision) {
        (Some(at), d) => format!(
            "Đã áp dụng ngày {}{}.",
            date(tinhgon_domain::local_date(*at)),
            d.as_ref().map(|d| format!(" theo {d}")).unwrap_or_default()
        ),
        _ => String::new(),
    };
    render(&ScenarioPage {
        ctx: PageCtx::new(&viewer, "units"),
        can_manage,
        drafts: v
            .drafts
            .iter()
            .map(|d| {
                (
                    d.id,
                    d.kind.to_string(),
                    d.from.clone(),
                    d.to.clone(),
                    date_opt(d.effective),
                    d.problem.clone(),
                )
            })
            .collect(),
        columns: columns(&v, true, "Sau phương án"),
        units: if can_manage {
            choices(&state, p).await?
        } else {
            Vec::new()
        },
        kinds: EventKind::ALL
            .iter()
            .map(|k| (k.as_str(), k.label_vi()))
            .collect(),
        others,
        applied,
        v,
    })
}

/// `POST /scenarios/{scenario}/events` (monitor): adds an event (the restructuring form's
/// fields, without its deciding document).
pub async fn add_event(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<Id>,
    Form(f): Form<PageEventForm>,
) -> WebResult<Response> {
    let user = viewer.require()?.clone();
    let p = province(&state, &viewer).await?;
    scenarios::add_event(&state.db, Actor::User(&user), p, id, &f.event()).await?;
    Ok(redirect_ok(
        &state,
        &format!("/scenarios/{id}"),
        "Đã thêm sự kiện vào phương án.",
    ))
}

/// `POST /scenarios/{scenario}/events/{scenario_event}/remove` (monitor).
pub async fn remove_event(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((id, draft)): Path<(Id, Id)>,
) -> WebResult<Response> {
    let user = viewer.require()?.clone();
    let p = province(&state, &viewer).await?;
    scenarios::remove_event(&state.db, Actor::User(&user), p, id, draft).await?;
    Ok(redirect_ok(
        &state,
        &format!("/scenarios/{id}"),
        "Đã bỏ sự kiện khỏi phương án.",
    ))
}

/// `POST /scenarios/{scenario}/apply` (monitor): applies it with its deciding document.
pub async fn apply(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<Id>,
    Form(f): Form<DecisionForm>,
) -> WebResult<Response> {
    let user = viewer.require()?.clone();
    let p = province(&state, &viewer).await?;
    let done = scenarios::apply(&state.db, Actor::User(&user), p, id, &f).await?;
    let now = done
        .events
        .iter()
        .filter(|(_, r)| r.applied.is_some())
        .count();
    let later = done.events.len() - now;
    let msg = if later == 0 {
        format!("Đã áp dụng phương án: {now} sự kiện sắp xếp được ghi nhận và áp dụng.")
    } else {
        format!(
            "Đã áp dụng phương án: {now} sự kiện áp dụng ngay, {later} sự kiện chờ đến ngày hiệu lực."
        )
    };
    Ok(redirect_ok(&state, &format!("/scenarios/{id}"), &msg))
}

/// `?a=&b=`: the two scenarios to compare.
#[derive(Deserialize)]
pub struct CompareQuery {
    a: Id,
    b: Id,
}

#[derive(Template)]
#[template(path = "scenario_compare.html")]
struct ComparePage {
    ctx: PageCtx,
    a: ScenarioView,
    b: ScenarioView,
    columns: Vec<Column>,
    /// Each scenario's name, why it cannot be applied, and whether it was.
    notes: Vec<(String, Vec<String>, bool)>,
}

/// `GET /scenarios/compare?a=&b=`: two scenarios side by side, beside today.
pub async fn compare(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<CompareQuery>,
) -> WebResult<Response> {
    let user = viewer.require()?.clone();
    let p = province(&state, &viewer).await?;
    let (a, b) = scenarios::compare(&state.db, Actor::User(&user), p, q.a, q.b).await?;
    let mut columns = columns(&a, true, &a.scenario.name);
    columns.extend(self::columns(&b, false, &b.scenario.name));
    let notes = [&a, &b]
        .iter()
        .map(|v| {
            (
                v.scenario.name.clone(),
                v.problems.clone(),
                v.scenario.applied_at.is_some(),
            )
        })
        .collect();
    render(&ComparePage {
        ctx: PageCtx::new(&viewer, "units"),
        notes,
        a,
        b,
        columns,
    })
}
