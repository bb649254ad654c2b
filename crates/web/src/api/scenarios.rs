//! Scenarios over the API: listed, created, events added and removed, each shown beside
//! today, two compared, one applied with its deciding document. Same use cases and rights as
//! the pages (monitors write; the province's monitors and leaders read).

use std::collections::BTreeMap;

use axum::extract::State;
use serde::{Deserialize, Serialize};
use tinhgon_app::restructuring::EventForm;
use tinhgon_app::scenarios::{self, DecisionForm, ScenarioForm, ScenarioView};
use tinhgon_app::units::Actor;
use tinhgon_domain::model::Id;
use utoipa::{IntoParams, ToSchema};

use crate::api::request::{ApiJson, ApiPath, ApiQuery};
use crate::api::{Answer, BadRequest, Conflict, Done, Forbidden, NotFound, Unauthorized};
use crate::auth::{viewer_province, Viewer};
use crate::error::WebError;
use crate::AppState;

async fn province(state: &AppState, viewer: &Viewer) -> Result<Id, crate::error::ApiError> {
    Ok(viewer_province(state, viewer)
        .await?
        .ok_or(WebError::NotFound)?)
}

/// A scenario in the list.
#[derive(Serialize, ToSchema)]
pub struct ScenarioItem {
    /// Scenario.
    pub id: i64,
    /// Name.
    pub name: String,
    /// What it is for.
    pub note: Option<String>,
    /// True once applied.
    pub applied: bool,
    /// The deciding document it was applied with.
    pub decision: Option<String>,
}

/// `GET /api/scenarios`: the province's scenarios, latest first (monitors and leaders).
#[utoipa::path(get, path = "/api/scenarios", tag = "register",
    responses((status = 200, body = Vec<ScenarioItem>), Unauthorized, Forbidden, NotFound))]
pub async fn list(State(state): State<AppState>, viewer: Viewer) -> Answer<Vec<ScenarioItem>> {
    let user = viewer.require()?.clone();
    let p = province(&state, &viewer).await?;
    let rows = scenarios::list(&state.db, Actor::User(&user), p).await?;
    Ok(axum::Json(
        rows.into_iter()
            .map(|s| ScenarioItem {
                id: s.id,
                name: s.name,
                note: s.note,
                applied: s.applied_at.is_some(),
                decision: s.decision,
            })
            .collect(),
    ))
}

/// A scenario to create.
#[derive(Deserialize, ToSchema)]
pub struct ScenarioBody {
    /// Name.
    pub name: String,
    /// What it is for.
    #[serde(default)]
    pub note: String,
}

/// `POST /api/scenarios` (monitor): creates a scenario.
#[utoipa::path(post, path = "/api/scenarios", tag = "register", request_body = ScenarioBody,
    responses((status = 200, body = Done), BadRequest, Unauthorized, Forbidden, NotFound))]
pub async fn create(
    State(state): State<AppState>,
    viewer: Viewer,
    ApiJson(b): ApiJson<ScenarioBody>,
) -> Answer<Done> {
    let user = viewer.require()?.clone();
    let p = province(&state, &viewer).await?;
    let form = ScenarioForm {
        name: b.name,
        note: b.note,
    };
    let id = scenarios::create(&state.db, Actor::User(&user), p, &form).await?;
    Ok(axum::Json(Done::with_id("Đã tạo phương án sắp xếp.", id)))
}

/// A scenario beside today: its events, the unit tree, rule violations, functions gaps and
/// overlaps and staffing totals today and after it, the open assignments that would move by
/// successor, and why it cannot be applied as it stands (`problems`).
#[derive(Serialize, ToSchema)]
pub struct ScenarioBodyOut {
    /// The scenario beside today.
    #[schema(value_type = Object)]
    pub scenario: serde_json::Value,
}

fn out(v: &ScenarioView) -> Result<serde_json::Value, crate::error::ApiError> {
    Ok(serde_json::to_value(v).map_err(WebError::internal)?)
}

/// `GET /api/scenarios/{scenario}`: the scenario beside today (simulated, nothing written).
#[utoipa::path(get, path = "/api/scenarios/{scenario}", tag = "register",
    params(("scenario" = i64, Path, description = "Phương án")),
    responses((status = 200, body = ScenarioBodyOut), Unauthorized, Forbidden, NotFound))]
pub async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    ApiPath(id): ApiPath<Id>,
) -> Answer<ScenarioBodyOut> {
    let user = viewer.require()?.clone();
    let p = province(&state, &viewer).await?;
    let v = scenarios::view(&state.db, Actor::User(&user), p, id).await?;
    Ok(axum::Json(ScenarioBodyOut { scenario: out(&v)? }))
}

/// Two scenarios to compare.
#[derive(Deserialize, IntoParams)]
pub struct CompareQuery {
    /// The first scenario.
    pub a: Id,
    /// The second scenario.
    pub b: Id,
}

/// Two scenarios, each beside today.
#[derive(Serialize, ToSchema)]
pub struct CompareBody {
    /// The first.
    #[schema(value_type = Object)]
    pub a: serde_json::Value,
    /// The second.
    #[schema(value_type = Object)]
    pub b: serde_json::Value,
}

/// `GET /api/scenarios/compare?a=&b=`: two scenarios side by side (nothing written).
#[utoipa::path(get, path = "/api/scenarios/compare", tag = "register", params(CompareQuery),
    responses((status = 200, body = CompareBody), BadRequest, Unauthorized, Forbidden, NotFound))]
pub async fn compare(
    State(state): State<AppState>,
    viewer: Viewer,
    ApiQuery(q): ApiQuery<CompareQuery>,
) -> Answer<CompareBody> {
    let user = viewer.require()?.clone();
    let p = province(&state, &viewer).await?;
    let (a, b) = scenarios::compare(&state.db, Actor::User(&user), p, q.a, q.b).await?;
    Ok(axum::Json(CompareBody {
        a: out(&a)?,
        b: out(&b)?,
    }))
}

/// An event of a scenario: as a restructuring event, without its deciding document (the
/// scenario's is given when it is applied). Every field may be left out, so that a request
/// meets the rights check before its content is judged.
#[derive(Deserialize, ToSchema)]
pub struct DraftBody {
    /// `merge`, `consolidate`, `split`, `dissolve`, `transfer` or `rename`.
    #[serde(default)]
    pub kind: String,
    /// Units that cease or give up functions (ids or names).
    #[serde(default)]
    pub from: Vec<String>,
    /// Existing units that carry on.
    #[serde(default)]
    pub into: Vec<String>,
    /// Names of the units the event creates.
    #[serde(default)]
    pub new: Vec<String>,
    /// Kind of the new units.
    #[serde(default)]
    pub new_kind: String,
    /// Effective date.
    #[serde(default)]
    pub effective: String,
    /// Successor per open assignment.
    #[serde(default)]
    pub assignments: BTreeMap<String, String>,
    /// Successor of each ceasing unit for what is not chosen one by one.
    #[serde(default)]
    pub units: BTreeMap<String, String>,
    /// Each account of a ceasing unit: the unit it moves to, or `disable`.
    #[serde(default)]
    pub accounts: BTreeMap<String, String>,
    /// A split's staffing allocation in percent.
    #[serde(default)]
    pub allocation: BTreeMap<String, String>,
    /// Each field of a ceasing unit: the unit it goes to, or `end`.
    #[serde(default)]
    pub functions: BTreeMap<String, String>,
}

impl From<DraftBody> for EventForm {
    fn from(b: DraftBody) -> EventForm {
        EventForm {
            kind: b.kind,
            from: b.from,
            into: b.into,
            new: b.new,
            new_kind: b.new_kind,
            effective: b.effective,
            assignments: b.assignments,
            units: b.units,
            accounts: b.accounts,
            allocation: b.allocation,
            functions: b.functions,
            ..EventForm::default()
        }
    }
}

/// `POST /api/scenarios/{scenario}/events` (monitor): adds an event to a draft scenario.
#[utoipa::path(post, path = "/api/scenarios/{scenario}/events", tag = "register",
    params(("scenario" = i64, Path, description = "Phương án")), request_body = DraftBody,
    responses((status = 200, body = Done), BadRequest, Unauthorized, Forbidden, NotFound, Conflict))]
pub async fn add_event(
    State(state): State<AppState>,
    viewer: Viewer,
    ApiPath(id): ApiPath<Id>,
    ApiJson(b): ApiJson<DraftBody>,
) -> Answer<Done> {
    let user = viewer.require()?.clone();
    let p = province(&state, &viewer).await?;
    let draft = scenarios::add_event(&state.db, Actor::User(&user), p, id, &b.into()).await?;
    Ok(axum::Json(Done::with_id(
        "Đã thêm sự kiện vào phương án.",
        draft,
    )))
}

/// `POST /api/scenarios/{scenario}/events/{scenario_event}/remove` (monitor).
#[utoipa::path(post, path = "/api/scenarios/{scenario}/events/{scenario_event}/remove", tag = "register",
    params(("scenario" = i64, Path, description = "Phương án"), ("scenario_event" = i64, Path, description = "Sự kiện của phương án")),
    responses((status = 200, body = Done), Unauthorized, Forbidden, NotFound, Conflict))]
pub async fn remove_event(
    State(state): State<AppState>,
    viewer: Viewer,
    ApiPath((id, draft)): ApiPath<(Id, Id)>,
) -> Answer<Done> {
    let user = viewer.require()?.clone();
    let p = province(&state, &viewer).await?;
    scenarios::remove_event(&state.db, Actor::User(&user), p, id, draft).await?;
    Ok(axum::Json(Done::with_id(
        "Đã bỏ sự kiện khỏi phương án.",
        id,
    )))
}

/// The deciding document a scenario is applied with.
#[derive(Deserialize, ToSchema)]
pub struct DecisionBody {
    /// Number.
    #[serde(default)]
    pub decision: String,
    /// Date.
    #[serde(default)]
    pub decision_date: String,
    /// Issuer.
    #[serde(default)]
    pub decision_issuer: String,
}

/// What applying a scenario recorded.
#[derive(Serialize, ToSchema)]
pub struct AppliedBody {
    /// Vietnamese message.
    pub message: String,
    /// The events recorded, in the scenario's order.
    pub events: Vec<i64>,
}

/// `POST /api/scenarios/{scenario}/apply` (monitor): records its events in one transaction
/// (applied now when their date has come, else scheduled); refused with nothing written when
/// an event no longer fits the register.
#[utoipa::path(post, path = "/api/scenarios/{scenario}/apply", tag = "register",
    params(("scenario" = i64, Path, description = "Phương án")), request_body = DecisionBody,
    responses((status = 200, body = AppliedBody), BadRequest, Unauthorized, Forbidden, NotFound, Conflict))]
pub async fn apply(
    State(state): State<AppState>,
    viewer: Viewer,
    ApiPath(id): ApiPath<Id>,
    ApiJson(b): ApiJson<DecisionBody>,
) -> Answer<AppliedBody> {
    let user = viewer.require()?.clone();
    let p = province(&state, &viewer).await?;
    let form = DecisionForm {
        decision: b.decision,
        decision_date: b.decision_date,
        decision_issuer: b.decision_issuer,
    };
    let done = scenarios::apply(&state.db, Actor::User(&user), p, id, &form).await?;
    Ok(axum::Json(AppliedBody {
        message: format!(
            "Đã áp dụng phương án: {} sự kiện sắp xếp được ghi nhận.",
            done.events.len()
        ),
        events: done.events.iter().map(|(_, r)| r.event_id).collect(),
    }))
}
