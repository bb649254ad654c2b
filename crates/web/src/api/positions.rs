//! Job positions over the API: a unit's positions with their comparison to its quota and
//! headcount, added, changed and removed with the rights of the staffing ledger; the
//! province's comparison unit by unit.

use axum::extract::State;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use tinhgon_app::staffing::positions::{self, PositionForm, UnitComparison};
use tinhgon_domain::ids::UnitId;
use utoipa::ToSchema;

use crate::api::register::AsOfParams;
use crate::api::request::{ApiJson, ApiPath, ApiQuery};
use crate::api::{Answer, BadRequest, Done, Forbidden, NotFound, Unauthorized};
use crate::auth::{viewer_province, Viewer};
use crate::error::WebError;
use crate::request::as_of;
use crate::AppState;

/// A job position.
#[derive(Serialize, ToSchema)]
pub struct PositionItem {
    /// Identifier.
    pub id: i64,
    /// Title.
    pub title: String,
    /// Group: `leadership`, `professional` or `support`.
    pub group: String,
    /// The group in Vietnamese.
    pub group_label: String,
    /// Rank or professional title.
    pub rank: Option<String>,
    /// People the position needs.
    pub people: u32,
    /// Deciding document.
    pub decision: Option<String>,
}

/// A unit's positions against its quota and headcount.
#[derive(Serialize, ToSchema)]
pub struct ComparisonItem {
    /// Unit name.
    pub unit: String,
    /// Unit id (the province's for the total).
    pub unit_id: i64,
    /// Number of positions.
    pub positions: u32,
    /// People the positions need.
    pub people: u32,
    /// Year of the latest quota.
    pub quota_year: Option<i32>,
    /// Quota of that year, all lines.
    pub quota: Option<u32>,
    /// Latest headcount of each line, summed.
    pub headcount: Option<u32>,
    /// Where they disagree, in Vietnamese.
    pub disagreements: Vec<String>,
}

impl From<UnitComparison> for ComparisonItem {
    fn from(c: UnitComparison) -> ComparisonItem {
        ComparisonItem {
            unit: c.unit,
            unit_id: c.unit_id,
            positions: c.figures.positions,
            people: c.figures.people,
            quota_year: c.figures.quota.map(|q| q.0),
            quota: c.figures.quota.map(|q| q.1),
            headcount: c.figures.headcount,
            disagreements: c.disagreements,
        }
    }
}

/// A unit's positions and their comparison.
#[derive(Serialize, ToSchema)]
pub struct UnitPositionsBody {
    /// Positions.
    pub positions: Vec<PositionItem>,
    /// Comparison on the day asked.
    pub comparison: ComparisonItem,
}

/// `GET /api/units/{unit}/positions`: the unit's job positions and their comparison.
#[utoipa::path(get, path = "/api/units/{unit}/positions", tag = "staffing",
    params(("unit" = i64, Path, description = "Đơn vị"), AsOfParams),
    responses((status = 200, body = UnitPositionsBody), BadRequest, Unauthorized, Forbidden, NotFound))]
pub async fn list(
    State(state): State<AppState>,
    viewer: Viewer,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<AsOfParams>,
) -> Answer<UnitPositionsBody> {
    let user = viewer.require()?.clone();
    let day = as_of(q.as_of.as_deref())?;
    let list = positions::list(&state.db, &user, UnitId(id)).await?;
    let comparison = positions::compare_unit(&state.db, &user, UnitId(id), day).await?;
    Ok(axum::Json(UnitPositionsBody {
        positions: list
            .into_iter()
            .map(|p| PositionItem {
                id: p.id,
                title: p.position.title,
                group: p.position.group.as_str().into(),
                group_label: p.position.group.label_vi().into(),
                rank: p.position.rank,
                people: p.position.people,
                decision: p.position.decision,
            })
            .collect(),
        comparison: comparison.into(),
    }))
}

/// A position to add or the new values of one. Every field is read after the rights check.
#[derive(Deserialize, ToSchema, Default)]
pub struct PositionBody {
    /// Title.
    #[serde(default)]
    pub title: Option<String>,
    /// Group: `leadership`, `professional`, `support` or its Vietnamese label.
    #[serde(default)]
    pub group: Option<String>,
    /// Rank or professional title.
    #[serde(default)]
    pub rank: Option<String>,
    /// People the position needs (1 or more).
    #[serde(default)]
    pub people: Option<i64>,
    /// Deciding document.
    #[serde(default)]
    pub decision: Option<String>,
}

impl From<PositionBody> for PositionForm {
    fn from(b: PositionBody) -> PositionForm {
        PositionForm {
            title: b.title.unwrap_or_default(),
            group: b.group.unwrap_or_default(),
            rank: b.rank.unwrap_or_default(),
            people: b.people.map(|n| n.to_string()).unwrap_or_default(),
            decision: b.decision.unwrap_or_default(),
        }
    }
}

/// `POST /api/units/{unit}/positions`: adds a position to the unit (the province's monitors
/// for any unit, an officer for its own).
#[utoipa::path(post, path = "/api/units/{unit}/positions", tag = "staffing", request_body = PositionBody,
    params(("unit" = i64, Path, description = "Đơn vị")),
    responses((status = 200, body = Done), BadRequest, Unauthorized, Forbidden, NotFound))]
pub async fn add(
    State(state): State<AppState>,
    viewer: Viewer,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<PositionBody>,
) -> Answer<Done> {
    let user = viewer.require()?.clone();
    let pid = positions::add(&state.db, &user, UnitId(id), b.into()).await?;
    Ok(axum::Json(Done::with_id("Đã thêm vị trí việc làm.", pid)))
}

/// `POST /api/units/{unit}/positions/{position}`: replaces a position of the unit.
#[utoipa::path(post, path = "/api/units/{unit}/positions/{position}", tag = "staffing", request_body = PositionBody,
    params(("unit" = i64, Path, description = "Đơn vị"), ("position" = i64, Path, description = "Vị trí việc làm")),
    responses((status = 200, body = Done), BadRequest, Unauthorized, Forbidden, NotFound))]
pub async fn edit(
    State(state): State<AppState>,
    viewer: Viewer,
    ApiPath((id, position)): ApiPath<(i64, i64)>,
    ApiJson(b): ApiJson<PositionBody>,
) -> Answer<Done> {
    let user = viewer.require()?.clone();
    positions::edit(&state.db, &user, UnitId(id), position, b.into()).await?;
    Ok(axum::Json(Done::with_id(
        "Đã sửa vị trí việc làm.",
        position,
    )))
}

/// `POST /api/units/{unit}/positions/{position}/remove`: removes a position of the unit.
#[utoipa::path(post, path = "/api/units/{unit}/positions/{position}/remove", tag = "staffing",
    params(("unit" = i64, Path, description = "Đơn vị"), ("position" = i64, Path, description = "Vị trí việc làm")),
    responses((status = 200, body = Done), Unauthorized, Forbidden, NotFound))]
pub async fn remove(
    State(state): State<AppState>,
    viewer: Viewer,
    ApiPath((id, position)): ApiPath<(i64, i64)>,
) -> Answer<Done> {
    let user = viewer.require()?.clone();
    positions::remove(&state.db, &user, UnitId(id), position).await?;
    Ok(axum::Json(Done::with_id(
        "Đã xóa vị trí việc làm.",
        position,
    )))
}

/// The province's units compared, and their total.
#[derive(Serialize, ToSchema)]
pub struct ProvinceComparisonBody {
    /// Day.
    pub as_of: NaiveDate,
    /// Units in force with positions, a quota or a headcount.
    pub units: Vec<ComparisonItem>,
    /// The province's total.
    pub total: ComparisonItem,
}

/// `GET /api/staffing/positions`: every unit's positions against its quota and headcount.
#[utoipa::path(get, path = "/api/staffing/positions", tag = "staffing", params(AsOfParams),
    responses((status = 200, body = ProvinceComparisonBody), BadRequest, Unauthorized, Forbidden, NotFound))]
pub async fn province(
    State(state): State<AppState>,
    viewer: Viewer,
    ApiQuery(q): ApiQuery<AsOfParams>,
) -> Answer<ProvinceComparisonBody> {
    let user = viewer.require()?.clone();
    let day = as_of(q.as_of.as_deref())?;
    let province = viewer_province(&state, &viewer)
        .await?
        .ok_or(WebError::NotFound)?;
    let c = positions::compare_province(&state.db, &user, province, day).await?;
    Ok(axum::Json(ProvinceComparisonBody {
        as_of: c.as_of,
        units: c.units.into_iter().map(ComparisonItem::from).collect(),
        total: c.total.into(),
    }))
}
