//! The functions register and the register check over the API: a unit's fields (read by
//! anyone of the province, given or ended by its monitor) and the province's rule
//! violations, gaps and overlaps on a day. Same use cases and rights as the pages.

use axum::extract::State;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use tinhgon_app::functions::{self, EndForm, FunctionForm, HeldField};
use tinhgon_app::units::Actor;
use tinhgon_domain::ids::UnitId;
use tinhgon_domain::model::Id;
use utoipa::ToSchema;

use crate::api::register::AsOfParams;
use crate::api::request::{ApiJson, ApiPath, ApiQuery};
use crate::api::{Answer, BadRequest, Conflict, Done, Forbidden, NotFound, Unauthorized};
use crate::auth::{viewer_province, Viewer};
use crate::error::WebError;
use crate::request::as_of;
use crate::AppState;

/// A field a unit holds.
#[derive(Serialize, ToSchema)]
pub struct FieldItem {
    /// Row of the functions register.
    pub id: i64,
    /// Catalogue code.
    pub code: String,
    /// The field.
    pub field: String,
    /// The unit's duties in it.
    pub duties: Option<String>,
    /// Legal source.
    pub legal_source: String,
    /// First day.
    pub valid_from: NaiveDate,
    /// First day without it.
    pub valid_to: Option<NaiveDate>,
    /// Deciding document.
    pub decision: Option<String>,
    /// Received from a restructuring event.
    pub from_event: bool,
}

impl From<HeldField> for FieldItem {
    fn from(h: HeldField) -> Self {
        FieldItem {
            id: h.id,
            code: h.code,
            field: h.field,
            duties: h.duties,
            legal_source: h.legal_source,
            valid_from: h.valid_from,
            valid_to: h.valid_to,
            decision: h.decision,
            from_event: h.from_event,
        }
    }
}

/// A field held by two or more units of one territory.
#[derive(Serialize, ToSchema)]
pub struct OverlapItem {
    /// Catalogue code.
    pub code: String,
    /// The field.
    pub field: String,
    /// The units holding it.
    pub units: Vec<String>,
}

impl From<tinhgon_domain::functions::Overlap> for OverlapItem {
    fn from(o: tinhgon_domain::functions::Overlap) -> Self {
        OverlapItem {
            code: o.field_code,
            field: o.field,
            units: o.units.into_iter().map(|u| u.1).collect(),
        }
    }
}

/// A field of the catalogue nobody holds.
#[derive(Serialize, ToSchema)]
pub struct GapItem {
    /// Catalogue code.
    pub code: String,
    /// The field.
    pub field: String,
    /// The department the decrees give it to.
    pub department: String,
    /// The decrees.
    pub citation: String,
}

/// A rule broken.
#[derive(Serialize, ToSchema)]
pub struct ViolationItem {
    /// The province or unit that breaks it.
    pub subject: String,
    /// The unit (none: the province as a whole).
    pub unit_id: Option<i64>,
    /// What is wrong.
    pub message: String,
    /// The rule's citation.
    pub citation: String,
    /// Until when it is tolerated.
    pub grace_until: Option<NaiveDate>,
}

impl From<tinhgon_domain::rules::Violation> for ViolationItem {
    fn from(v: tinhgon_domain::rules::Violation) -> Self {
        ViolationItem {
            subject: v.subject,
            unit_id: v.unit_id,
            message: v.message,
            citation: v.citation,
            grace_until: v.grace_until,
        }
    }
}

/// A unit's functions on a day.
#[derive(Serialize, ToSchema)]
pub struct UnitFunctionsBody {
    /// The day.
    pub as_of: NaiveDate,
    /// Fields held that day.
    pub current: Vec<FieldItem>,
    /// Fields held before or from a later day.
    pub other: Vec<FieldItem>,
    /// Overlaps it is part of.
    pub overlaps: Vec<OverlapItem>,
    /// Rules it breaks.
    pub violations: Vec<ViolationItem>,
}

/// The check of the viewer's province on a day.
#[derive(Serialize, ToSchema)]
pub struct CheckBody {
    /// The day.
    pub as_of: NaiveDate,
    /// The province.
    pub province: String,
    /// Rules broken.
    pub violations: Vec<ViolationItem>,
    /// Catalogue fields nobody holds.
    pub gaps: Vec<GapItem>,
    /// Fields held twice.
    pub overlaps: Vec<OverlapItem>,
    /// Fields held that day.
    pub fields_held: usize,
}

async fn province(state: &AppState, viewer: &Viewer) -> Result<Id, crate::error::ApiError> {
    Ok(viewer_province(state, viewer)
        .await?
        .ok_or(WebError::NotFound)?)
}

/// `GET /api/registry/check`: the province's rule violations, function gaps and overlaps.
#[utoipa::path(get, path = "/api/registry/check", tag = "register", params(AsOfParams),
    responses((status = 200, body = CheckBody), BadRequest, Unauthorized, NotFound))]
pub async fn check(
    State(state): State<AppState>,
    viewer: Viewer,
    ApiQuery(q): ApiQuery<AsOfParams>,
) -> Answer<CheckBody> {
    viewer.require()?;
    let day = as_of(q.as_of.as_deref())?;
    let p = province(&state, &viewer).await?;
    let r = tinhgon_app::rules::report(&state.db, Some(p), day)
        .await?
        .into_iter()
        .next()
        .ok_or(WebError::NotFound)?;
    Ok(axum::Json(CheckBody {
        as_of: day,
        province: r.name,
        violations: r.violations.into_iter().map(Into::into).collect(),
        gaps: r
            .functions
            .gaps
            .into_iter()
            .map(|g| GapItem {
                code: g.field_code,
                field: g.field,
                department: g.department,
                citation: g.citation,
            })
            .collect(),
        overlaps: r.functions.overlaps.into_iter().map(Into::into).collect(),
        fields_held: r.functions.held,
    }))
}

/// `GET /api/units/{unit}/functions`: the unit's fields on a day, its overlaps and the rules
/// it breaks.
#[utoipa::path(get, path = "/api/units/{unit}/functions", tag = "register",
    params(("unit" = i64, Path, description = "Đơn vị"), AsOfParams),
    responses((status = 200, body = UnitFunctionsBody), BadRequest, Unauthorized, NotFound))]
pub async fn list(
    State(state): State<AppState>,
    viewer: Viewer,
    ApiPath(id): ApiPath<Id>,
    ApiQuery(q): ApiQuery<AsOfParams>,
) -> Answer<UnitFunctionsBody> {
    tinhgon_app::access::readable_unit(&state.db, viewer.require()?, UnitId(id)).await?;
    let day = as_of(q.as_of.as_deref())?;
    let p = tinhgon_store::register::unit_province(&state.db, id)
        .await?
        .ok_or(WebError::NotFound)?;
    let f = functions::of_unit(&state.db, p, id, day).await?;
    let violations = tinhgon_app::rules::report(&state.db, Some(p), day)
        .await?
        .first()
        .map(|r| r.for_unit(id).0)
        .unwrap_or_default();
    Ok(axum::Json(UnitFunctionsBody {
        as_of: day,
        current: f.current.into_iter().map(Into::into).collect(),
        other: f.other.into_iter().map(Into::into).collect(),
        overlaps: f.overlaps.into_iter().map(Into::into).collect(),
        violations: violations.into_iter().map(Into::into).collect(),
    }))
}

/// A field given to a unit.
#[derive(Deserialize, ToSchema)]
pub struct FieldBody {
    /// The field: catalogue code or name.
    #[serde(default)]
    pub field: String,
    /// The unit's duties in it.
    #[serde(default)]
    pub duties: String,
    /// Where they are written (blank: the catalogue's decrees).
    #[serde(default)]
    pub legal_source: String,
    /// First day.
    #[serde(default)]
    pub effective: String,
    /// Deciding document.
    #[serde(default)]
    pub decision: String,
}

/// `POST /api/units/{unit}/functions` (monitor): gives the unit a field of the catalogue.
#[utoipa::path(post, path = "/api/units/{unit}/functions", tag = "register", request_body = FieldBody,
    params(("unit" = i64, Path, description = "Đơn vị")),
    responses((status = 200, body = Done), BadRequest, Unauthorized, Forbidden, NotFound, Conflict))]
pub async fn add(
    State(state): State<AppState>,
    viewer: Viewer,
    ApiPath(id): ApiPath<Id>,
    ApiJson(b): ApiJson<FieldBody>,
) -> Answer<Done> {
    let user = viewer.require()?.clone();
    tinhgon_app::access::readable_unit(&state.db, &user, UnitId(id)).await?;
    let p = province(&state, &viewer).await?;
    let form = FunctionForm {
        field: b.field,
        duties: b.duties,
        legal_source: b.legal_source,
        effective: b.effective,
        decision: b.decision,
    };
    let row = functions::add(&state.db, Actor::User(&user), p, &id.to_string(), &form).await?;
    Ok(axum::Json(Done::with_id(
        "Đã giao lĩnh vực cho đơn vị.",
        row,
    )))
}

/// A field ended.
#[derive(Deserialize, ToSchema)]
pub struct EndBody {
    /// First day without it.
    #[serde(default)]
    pub effective: String,
    /// Deciding document.
    #[serde(default)]
    pub decision: String,
}

/// `POST /api/units/{unit}/functions/{function}/end` (monitor): the unit no longer holds the
/// field from a day.
#[utoipa::path(post, path = "/api/units/{unit}/functions/{function}/end", tag = "register", request_body = EndBody,
    params(("unit" = i64, Path, description = "Đơn vị"), ("function" = i64, Path, description = "Lĩnh vực của đơn vị")),
    responses((status = 200, body = Done), BadRequest, Unauthorized, Forbidden, NotFound, Conflict))]
pub async fn end(
    State(state): State<AppState>,
    viewer: Viewer,
    ApiPath((unit, row)): ApiPath<(Id, Id)>,
    ApiJson(b): ApiJson<EndBody>,
) -> Answer<Done> {
    let user = viewer.require()?.clone();
    tinhgon_app::access::readable_unit(&state.db, &user, UnitId(unit)).await?;
    let p = province(&state, &viewer).await?;
    if tinhgon_store::functions::row(&state.db, row)
        .await?
        .is_none_or(|r| r.unit_id != unit)
    {
        return Err(WebError::NotFound.into());
    }
    let form = EndForm {
        effective: b.effective,
        decision: b.decision,
    };
    functions::end(&state.db, Actor::User(&user), p, row, &form).await?;
    Ok(axum::Json(Done::with_id(
        "Đã kết thúc lĩnh vực của đơn vị.",
        row,
    )))
}
