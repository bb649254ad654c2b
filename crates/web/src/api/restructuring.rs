//! Register changes over the API: a unit added, moved, closed, its aliases; restructuring
//! events listed, previewed, recorded and cancelled. Same use cases and rights as the pages.

use std::collections::BTreeMap;

use axum::extract::State;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use tinhgon_app::restructuring::{self, EventForm};
use tinhgon_app::units::{self, Actor};
use tinhgon_domain::model::Id;
use utoipa::ToSchema;

use crate::api::request::{ApiJson, ApiPath};
use crate::api::{Answer, BadRequest, Conflict, Done, Forbidden, NotFound, Unauthorized};
use crate::auth::{viewer_province, Viewer};
use crate::error::WebError;
use crate::AppState;

async fn province(state: &AppState, viewer: &Viewer) -> Result<Id, crate::error::ApiError> {
    Ok(viewer_province(state, viewer)
        .await?
        .ok_or(WebError::NotFound)?)
}

/// A unit to add.
#[derive(Deserialize, ToSchema)]
pub struct UnitBody {
    /// Name as decided.
    pub name: String,
    /// Kind: `department`, `sub_department`, `division`, `public_service_unit`,
    /// `central_branch`, `commune`, `ward`, `special_zone`, `party`, `other` …
    pub kind: String,
    /// Parent unit (id or name).
    pub parent: String,
    /// First day it exists (`yyyy-mm-dd` or `dd/mm/yyyy`).
    pub effective: String,
    /// Deciding document.
    pub decision: String,
    /// Official code.
    #[serde(default)]
    pub code: String,
    /// Financial autonomy group 1–4 (public service units, Nghị định 60/2021/NĐ-CP).
    #[serde(default)]
    pub autonomy_group: String,
    /// Other names, separated by ";".
    #[serde(default)]
    pub aliases: String,
}

/// `POST /api/units` (monitor): adds a unit.
#[utoipa::path(post, path = "/api/units", tag = "register", request_body = UnitBody,
    responses((status = 200, body = Done), BadRequest, Unauthorized, Forbidden, NotFound, Conflict))]
pub async fn add_unit(
    State(state): State<AppState>,
    viewer: Viewer,
    ApiJson(b): ApiJson<UnitBody>,
) -> Answer<Done> {
    let user = viewer.require()?.clone();
    let p = province(&state, &viewer).await?;
    let form = units::UnitForm {
        name: b.name,
        kind: b.kind,
        parent: b.parent,
        effective: b.effective,
        decision: b.decision,
        code: b.code,
        autonomy_group: b.autonomy_group,
        aliases: b.aliases,
    };
    let id = units::add(&state.db, Actor::User(&user), p, form).await?;
    Ok(axum::Json(Done::with_id("Đã thêm đơn vị.", id)))
}

/// A unit moved under another parent. Fields are read after the rights check: a missing one
/// is the use case's Vietnamese field error, and another province's unit is not found first.
#[derive(Deserialize, ToSchema)]
pub struct MoveBody {
    /// New parent (id or name).
    #[serde(default)]
    pub parent: String,
    /// From which day.
    #[serde(default)]
    pub effective: String,
    /// Deciding document.
    #[serde(default)]
    pub decision: String,
}

/// `POST /api/units/{unit}/move` (monitor).
#[utoipa::path(post, path = "/api/units/{unit}/move", tag = "register", request_body = MoveBody,
    params(("unit" = i64, Path, description = "Đơn vị")),
    responses((status = 200, body = Done), BadRequest, Unauthorized, Forbidden, NotFound, Conflict))]
pub async fn move_unit(
    State(state): State<AppState>,
    viewer: Viewer,
    ApiPath(id): ApiPath<Id>,
    ApiJson(b): ApiJson<MoveBody>,
) -> Answer<Done> {
    let user = viewer.require()?.clone();
    let p = province(&state, &viewer).await?;
    // Another province's unit is not found, whatever the body says.
    tinhgon_app::access::readable_unit(&state.db, &user, tinhgon_domain::ids::UnitId(id)).await?;
    let form = units::MoveForm {
        parent: b.parent,
        effective: b.effective,
        decision: b.decision,
    };
    units::move_under(&state.db, Actor::User(&user), p, &id.to_string(), form).await?;
    Ok(axum::Json(Done::with_id("Đã chuyển đơn vị.", id)))
}

/// A unit closed.
#[derive(Deserialize, ToSchema)]
pub struct CloseBody {
    /// First day it no longer exists.
    #[serde(default)]
    pub effective: String,
    /// Deciding document.
    #[serde(default)]
    pub decision: String,
}

/// `POST /api/units/{unit}/close` (monitor): only a unit without open work or units under it.
#[utoipa::path(post, path = "/api/units/{unit}/close", tag = "register", request_body = CloseBody,
    params(("unit" = i64, Path, description = "Đơn vị")),
    responses((status = 200, body = Done), BadRequest, Unauthorized, Forbidden, NotFound, Conflict))]
pub async fn close_unit(
    State(state): State<AppState>,
    viewer: Viewer,
    ApiPath(id): ApiPath<Id>,
    ApiJson(b): ApiJson<CloseBody>,
) -> Answer<Done> {
    let user = viewer.require()?.clone();
    let p = province(&state, &viewer).await?;
    tinhgon_app::access::readable_unit(&state.db, &user, tinhgon_domain::ids::UnitId(id)).await?;
    let form = units::CloseForm {
        effective: b.effective,
        decision: b.decision,
    };
    units::close(&state.db, Actor::User(&user), p, &id.to_string(), form).await?;
    Ok(axum::Json(Done::with_id(
        "Đã kết thúc hoạt động của đơn vị.",
        id,
    )))
}

/// An alias added or removed.
#[derive(Deserialize, ToSchema)]
pub struct AliasBody {
    /// The other name.
    #[serde(default)]
    pub alias: String,
    /// True to remove it.
    #[serde(default)]
    pub remove: bool,
}

/// `POST /api/units/{unit}/aliases` (monitor).
#[utoipa::path(post, path = "/api/units/{unit}/aliases", tag = "register", request_body = AliasBody,
    params(("unit" = i64, Path, description = "Đơn vị")),
    responses((status = 200, body = Done), BadRequest, Unauthorized, Forbidden, NotFound, Conflict))]
pub async fn alias(
    State(state): State<AppState>,
    viewer: Viewer,
    ApiPath(id): ApiPath<Id>,
    ApiJson(b): ApiJson<AliasBody>,
) -> Answer<Done> {
    let user = viewer.require()?.clone();
    let p = province(&state, &viewer).await?;
    tinhgon_app::access::readable_unit(&state.db, &user, tinhgon_domain::ids::UnitId(id)).await?;
    let form = units::AliasForm {
        alias: b.alias,
        remove: b.remove,
    };
    units::alias(&state.db, Actor::User(&user), p, &id.to_string(), form).await?;
    Ok(axum::Json(Done::with_id("Đã cập nhật tên gọi khác.", id)))
}

/// A restructuring event.
#[derive(Deserialize, ToSchema)]
pub struct EventBody {
    /// `merge`, `consolidate`, `split`, `dissolve`, `transfer` or `rename`.
    pub kind: String,
    /// Units that cease or give up functions (ids or names).
    pub from: Vec<String>,
    /// Existing units that carry on.
    #[serde(default)]
    pub into: Vec<String>,
    /// Names of the units the event creates.
    #[serde(default)]
    pub new: Vec<String>,
    /// Kind of the new units (default: the first ceasing unit's).
    #[serde(default)]
    pub new_kind: String,
    /// Effective date; a later date schedules the event.
    pub effective: String,
    /// Deciding document number.
    pub decision: String,
    /// Its date.
    #[serde(default)]
    pub decision_date: String,
    /// Its issuer.
    #[serde(default)]
    pub decision_issuer: String,
    /// Successor per open assignment (assignment id → unit id, name, or a new unit's name).
    #[serde(default)]
    pub assignments: BTreeMap<String, String>,
    /// Successor of each ceasing unit for what is not chosen one by one.
    #[serde(default)]
    pub units: BTreeMap<String, String>,
    /// Each account of a ceasing unit: the unit it moves to, or `disable`.
    #[serde(default)]
    pub accounts: BTreeMap<String, String>,
    /// A split's staffing allocation: each successor (id, name, or a new unit's name) → its
    /// percent, whole numbers from 0 to 100 summing to 100 (absent: equal shares).
    #[serde(default)]
    pub allocation: BTreeMap<String, String>,
    /// Each field of the functions register of a ceasing unit (its row id): the unit it goes
    /// to, or `end` (absent: its unit's successor).
    #[serde(default)]
    pub functions: BTreeMap<String, String>,
}

impl From<EventBody> for EventForm {
    fn from(b: EventBody) -> EventForm {
        EventForm {
            kind: b.kind,
            from: b.from,
            into: b.into,
            new: b.new,
            new_kind: b.new_kind,
            effective: b.effective,
            decision: b.decision,
            decision_date: b.decision_date,
            decision_issuer: b.decision_issuer,
            assignments: b.assignments,
            units: b.units,
            accounts: b.accounts,
            allocation: b.allocation,
            functions: b.functions,
        }
    }
}

/// The preview of an event: every consequence (open assignments and their successor,
/// coordinating roles, accounts, open report requests, units under the ceasing ones) and what
/// still has to be chosen (`missing`). Units the event creates have negative ids.
#[derive(Serialize, ToSchema)]
pub struct PreviewBody {
    /// The preview.
    #[schema(value_type = Object)]
    pub preview: serde_json::Value,
}

/// `POST /api/restructuring/preview` (monitor): nothing is written.
#[utoipa::path(post, path = "/api/restructuring/preview", tag = "register", request_body = EventBody,
    responses((status = 200, body = PreviewBody), BadRequest, Unauthorized, Forbidden, NotFound))]
pub async fn preview(
    State(state): State<AppState>,
    viewer: Viewer,
    ApiJson(b): ApiJson<EventBody>,
) -> Answer<PreviewBody> {
    let user = viewer.require()?.clone();
    let p = province(&state, &viewer).await?;
    let pv = restructuring::preview(&state.db, Actor::User(&user), p, &b.into()).await?;
    Ok(axum::Json(PreviewBody {
        preview: serde_json::to_value(&pv).map_err(WebError::internal)?,
    }))
}

/// What recording an event did.
#[derive(Serialize, ToSchema)]
pub struct RecordedBody {
    /// Vietnamese message.
    pub message: String,
    /// The event.
    pub id: i64,
    /// Units it created.
    pub created: Vec<i64>,
    /// True when applied now, false when scheduled for its date.
    pub applied: bool,
    /// What was applied (counts), when applied.
    #[schema(value_type = Object)]
    pub outcome: Option<serde_json::Value>,
}

/// `POST /api/restructuring` (monitor): records the event as previewed, in one transaction.
#[utoipa::path(post, path = "/api/restructuring", tag = "register", request_body = EventBody,
    responses((status = 200, body = RecordedBody), BadRequest, Unauthorized, Forbidden, NotFound, Conflict))]
pub async fn record(
    State(state): State<AppState>,
    viewer: Viewer,
    ApiJson(b): ApiJson<EventBody>,
) -> Answer<RecordedBody> {
    let user = viewer.require()?.clone();
    let p = province(&state, &viewer).await?;
    let o = restructuring::record(&state.db, Actor::User(&user), p, &b.into()).await?;
    let applied = o.recorded.applied.is_some();
    Ok(axum::Json(RecordedBody {
        message: if applied {
            "Đã ghi nhận và áp dụng sự kiện sắp xếp.".into()
        } else {
            format!(
                "Đã ghi nhận sự kiện sắp xếp; sẽ áp dụng vào ngày {}.",
                crate::view::date(o.preview.effective)
            )
        },
        id: o.recorded.event_id,
        created: o.recorded.created.clone(),
        applied,
        outcome: o
            .recorded
            .applied
            .as_ref()
            .and_then(|x| serde_json::to_value(x).ok()),
    }))
}

/// `POST /api/restructuring/{event}/cancel` (monitor): cancels a scheduled event.
#[utoipa::path(post, path = "/api/restructuring/{event}/cancel", tag = "register",
    params(("event" = i64, Path, description = "Sự kiện sắp xếp")),
    responses((status = 200, body = Done), Unauthorized, Forbidden, NotFound, Conflict))]
pub async fn cancel(
    State(state): State<AppState>,
    viewer: Viewer,
    ApiPath(id): ApiPath<Id>,
) -> Answer<Done> {
    let user = viewer.require()?.clone();
    let p = province(&state, &viewer).await?;
    restructuring::cancel(&state.db, Actor::User(&user), p, id).await?;
    Ok(axum::Json(Done::with_id("Đã hủy sự kiện sắp xếp.", id)))
}

/// A restructuring event of the province.
#[derive(Serialize, ToSchema)]
pub struct EventListItem {
    /// Identifier.
    pub id: i64,
    /// Kind (stable name).
    pub kind: String,
    /// Kind in Vietnamese.
    pub kind_label: String,
    /// Effective date.
    pub effective: NaiveDate,
    /// `scheduled`, `applied` or `cancelled`.
    pub state: String,
    /// Deciding document.
    pub decision: Option<String>,
    /// Its date.
    pub decision_date: Option<NaiveDate>,
    /// Units that ceased or changed.
    pub predecessors: Vec<i64>,
    /// Units that carry on.
    pub successors: Vec<i64>,
}

/// `GET /api/restructuring`: the province's events, latest first.
#[utoipa::path(get, path = "/api/restructuring", tag = "register",
    responses((status = 200, body = Vec<EventListItem>), Unauthorized, NotFound))]
pub async fn list(State(state): State<AppState>, viewer: Viewer) -> Answer<Vec<EventListItem>> {
    viewer.require()?;
    let p = province(&state, &viewer).await?;
    let rows = restructuring::events(&state.db, p).await?;
    Ok(axum::Json(
        rows.into_iter()
            .map(|e| EventListItem {
                id: e.event.id,
                kind: e.event.kind.as_str().into(),
                kind_label: e.event.kind.label_vi().into(),
                effective: e.event.effective,
                state: serde_json::to_value(e.state)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_default(),
                decision: e.event.decision,
                decision_date: e.decision_date,
                predecessors: e.event.predecessors,
                successors: e.event.successors,
            })
            .collect(),
    ))
}
