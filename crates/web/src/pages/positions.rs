//! The job positions pages: a unit's positions with the forms to add, edit and remove them and
//! the comparison with its quota and headcount; the province's comparison unit by unit.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use tinhgon_app::staffing;
use tinhgon_app::staffing::positions::{self, PositionForm, UnitComparison};
use tinhgon_domain::ids::UnitId;
use tinhgon_domain::job_positions::PositionGroup;
use tinhgon_domain::model::Id;

use crate::auth::{viewer_province, Viewer};
use crate::error::{WebError, WebResult};
use crate::pages::staffing::AsOfQuery;
use crate::pages::{redirect_ok, render};
use crate::request::{as_of, Form, Path, Query};
use crate::view::{date, PageCtx};
use crate::AppState;

struct PositionView {
    id: Id,
    title: String,
    group: &'static str,
    group_key: &'static str,
    rank: String,
    people: u32,
    decision: String,
}

struct GroupChoice {
    value: &'static str,
    label: &'static str,
}

/// A comparison as the pages show it.
struct ComparisonView {
    id: Id,
    unit: String,
    positions: u32,
    people: u32,
    quota: String,
    headcount: String,
    disagreements: Vec<String>,
}

impl From<UnitComparison> for ComparisonView {
    fn from(c: UnitComparison) -> ComparisonView {
        ComparisonView {
            id: c.unit_id,
            unit: c.unit,
            positions: c.figures.positions,
            people: c.figures.people,
            quota: c
                .figures
                .quota
                .map(|(y, n)| format!("{n} (năm {y})"))
                .unwrap_or_else(|| "Chưa có".into()),
            headcount: c
                .figures
                .headcount
                .map(|n| n.to_string())
                .unwrap_or_else(|| "Chưa có".into()),
            disagreements: c.disagreements,
        }
    }
}

#[derive(Template)]
#[template(path = "unit_positions.html")]
struct UnitPositionsPage {
    ctx: PageCtx,
    id: Id,
    name: String,
    positions: Vec<PositionView>,
    groups: Vec<GroupChoice>,
    comparison: ComparisonView,
    as_of: String,
    writable: bool,
    csrf: String,
}

/// `GET /units/{unit}/positions`: a unit's job positions and their comparison.
pub async fn unit_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<Id>,
    Query(q): Query<AsOfQuery>,
) -> WebResult<Response> {
    let user = viewer.require()?.clone();
    let day = as_of(q.as_of.as_deref())?;
    let list = positions::list(&state.db, &user, UnitId(id)).await?;
    let comparison = positions::compare_unit(&state.db, &user, UnitId(id), day).await?;
    let writable = staffing::may_write(&state.db, &user, UnitId(id)).await?;
    render(&UnitPositionsPage {
        ctx: PageCtx::new(&viewer, "staffing"),
        id,
        name: comparison.unit.clone(),
        positions: list
            .into_iter()
            .map(|p| PositionView {
                id: p.id,
                title: p.position.title,
                group: p.position.group.label_vi(),
                group_key: p.position.group.as_str(),
                rank: p.position.rank.unwrap_or_default(),
                people: p.position.people,
                decision: p.position.decision.unwrap_or_default(),
            })
            .collect(),
        groups: PositionGroup::ALL
            .iter()
            .map(|g| GroupChoice {
                value: g.as_str(),
                label: g.label_vi(),
            })
            .collect(),
        comparison: comparison.into(),
        as_of: date(day),
        writable,
        csrf: viewer.csrf.clone(),
    })
}

/// `POST /units/{unit}/positions`: adds a position.
pub async fn add(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<Id>,
    Form(f): Form<PositionForm>,
) -> WebResult<Response> {
    let user = viewer.require()?.clone();
    positions::add(&state.db, &user, UnitId(id), f).await?;
    Ok(redirect_ok(
        &state,
        &format!("/units/{id}/positions"),
        "Đã thêm vị trí việc làm.",
    ))
}

/// `POST /units/{unit}/positions/{position}`: changes a position.
pub async fn edit(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((id, position)): Path<(Id, Id)>,
    Form(f): Form<PositionForm>,
) -> WebResult<Response> {
    let user = viewer.require()?.clone();
    positions::edit(&state.db, &user, UnitId(id), position, f).await?;
    Ok(redirect_ok(
        &state,
        &format!("/units/{id}/positions"),
        "Đã sửa vị trí việc làm.",
    ))
}

/// `POST /units/{unit}/positions/{position}/remove`: removes a position.
pub async fn remove(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((id, position)): Path<(Id, Id)>,
) -> WebResult<Response> {
    let user = viewer.require()?.clone();
    positions::remove(&state.db, &user, UnitId(id), position).await?;
    Ok(redirect_ok(
        &state,
        &format!("/units/{id}/positions"),
        "Đã xóa vị trí việc làm.",
    ))
}

#[derive(Template)]
#[template(path = "positions.html")]
struct ProvincePositionsPage {
    ctx: PageCtx,
    as_of: String,
    rows: Vec<ComparisonView>,
    total: ComparisonView,
}

/// `GET /staffing/positions`: every unit's positions against its quota and headcount.
pub async fn province_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<AsOfQuery>,
) -> WebResult<Response> {
    let user = viewer.require()?.clone();
    let day = as_of(q.as_of.as_deref())?;
    let province = viewer_province(&state, &viewer)
        .await?
        .ok_or(WebError::NotFound)?;
    let c = positions::compare_province(&state.db, &user, province, day).await?;
    render(&ProvincePositionsPage {
        ctx: PageCtx::new(&viewer, "staffing"),
        as_of: date(day),
        rows: c.units.into_iter().map(ComparisonView::from).collect(),
        total: c.total.into(),
    })
}
