//! Monitoring: the dashboard as of any day, decisions on assignments, extensions and obstacles,
//! conditional triggers and urging notices.

use axum::extract::State;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use tinhgon_app::decisions::{self, DecisionForm};
use tinhgon_app::{extensions, obstacles, triggers, urging};
use tinhgon_domain::class::StatusClass;
use tinhgon_domain::ids::{AssignmentId, ExtensionRequestId, ObstacleId, TaskId, UnitId};
use utoipa::{IntoParams, ToSchema};

use crate::api::request::{ApiJson, ApiPath, ApiQuery};
use crate::api::work::{class_counts, ClassCount, TextBody};
use crate::api::{Answer, BadRequest, Conflict, Done, Forbidden, NotFound, Unauthorized};
use crate::auth::Viewer;
use crate::AppState;

/// Dashboard parameters.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DashParams {
    /// The day (`yyyy-mm-dd` or `dd/mm/yyyy`; default today).
    pub as_of: Option<String>,
    /// A plan id (default: the whole province).
    pub plan: Option<String>,
    /// A published plan of the province by its number (`615/KH-UBND`); wins over `plan`.
    pub plan_number: Option<String>,
}

/// A unit's counts.
#[derive(Serialize, ToSchema)]
pub struct UnitCounts {
    /// Unit.
    pub unit_id: i64,
    /// Name.
    pub name: String,
    /// Total.
    pub total: u64,
    /// Overdue.
    pub overdue: u64,
    /// Counts by class.
    pub counts: Vec<ClassCount>,
}

/// An assignment in a dashboard list.
#[derive(Serialize, ToSchema)]
pub struct DashItem {
    /// Assignment.
    pub id: i64,
    /// Plan.
    pub plan_id: i64,
    /// Plan number.
    pub plan_number: Option<String>,
    /// Task.
    pub task_id: i64,
    /// Task reference.
    pub task_ref: String,
    /// Task content.
    pub content: String,
    /// Responsible unit.
    pub unit_id: i64,
    /// Its name.
    pub unit: String,
    /// Due date in force.
    pub due: Option<NaiveDate>,
    /// Workflow status.
    pub status: String,
}

/// The dashboard of a province or a plan.
#[derive(Serialize, ToSchema)]
pub struct Dashboard {
    /// Heading.
    pub title: String,
    /// The day.
    pub as_of: NaiveDate,
    /// The plan, when the dashboard is a plan's.
    pub plan_id: Option<i64>,
    /// Province.
    pub province_id: Option<i64>,
    /// Total assignments counted.
    pub total: u64,
    /// Counts by class.
    pub counts: Vec<ClassCount>,
    /// By unit, most overdue first.
    pub by_unit: Vec<UnitCounts>,
    /// The first 100 overdue assignments, oldest due first.
    pub overdue: Vec<DashItem>,
    /// How many assignments are overdue in all.
    pub overdue_total: u64,
    /// The first 100 assignments due within 7 days, soonest first.
    pub due_soon: Vec<DashItem>,
    /// How many are due within 7 days in all.
    pub due_soon_total: u64,
}

/// `GET /api/dashboard` (monitor, leader, admin).
#[utoipa::path(get, path = "/api/dashboard", tag = "monitor", params(DashParams),
    responses((status = 200, body = Dashboard), BadRequest, Unauthorized, Forbidden, NotFound))]
pub async fn dashboard(
    State(state): State<AppState>,
    viewer: Viewer,
    ApiQuery(q): ApiQuery<DashParams>,
) -> Answer<Dashboard> {
    let user = viewer.require()?;
    let as_of = crate::request::as_of(q.as_of.as_deref())?;
    let province = crate::auth::viewer_province(&state, &viewer).await?;
    let d = tinhgon_app::dashboard::dashboard(
        &state.db,
        user,
        province,
        as_of,
        q.plan.as_deref(),
        q.plan_number.as_deref(),
    )
    .await?;
    let item = |a: &tinhgon_store::status::AssignmentItem| DashItem {
        id: a.id,
        plan_id: a.plan_id,
        plan_number: a.plan_number.clone(),
        task_id: a.task_id,
        task_ref: a.task_ref.clone(),
        content: a.content.clone(),
        unit_id: a.unit_id,
        unit: d.names.get(&a.unit_id).cloned().unwrap_or_default(),
        due: a.due,
        status: a.status.clone(),
    };
    let pos = |c: StatusClass| StatusClass::ALL.iter().position(|k| *k == c);
    Ok(axum::Json(Dashboard {
        title: d.title.clone(),
        as_of: d.as_of,
        plan_id: d.plan_id,
        province_id: d.province,
        total: d.total,
        counts: class_counts(|c| {
            d.pairs
                .iter()
                .find(|(k, _)| *k == c)
                .map(|(_, n)| *n)
                .unwrap_or(0)
        }),
        by_unit: d
            .units
            .iter()
            .map(|u| UnitCounts {
                unit_id: u.id,
                name: u.name.clone(),
                total: u.total,
                overdue: u.overdue,
                counts: class_counts(|c| {
                    pos(c).and_then(|i| u.counts.get(i)).copied().unwrap_or(0)
                }),
            })
            .collect(),
        overdue: d.overdue.iter().map(item).collect(),
        due_soon: d.due_soon.iter().map(item).collect(),
        overdue_total: d.overdue_total,
        due_soon_total: d.due_soon_total,
    }))
}

/// A decision on a proposed completion.
#[derive(Deserialize, ToSchema)]
pub struct DecideBody {
    /// `confirm`, `return` (reason required) or `cancel`.
    pub op: String,
    /// Note or reason.
    #[serde(default)]
    pub note: String,
}

/// `POST /api/assignments/{assignment}/decide`: confirm, return or cancel.
#[utoipa::path(post, path = "/api/assignments/{assignment}/decide", tag = "monitor", request_body = DecideBody,
    params(("assignment" = i64, Path, description = "Phân công")),
    responses((status = 200, body = Done), BadRequest, Unauthorized, Forbidden, NotFound, Conflict))]
pub async fn decide(
    State(state): State<AppState>,
    viewer: Viewer,
    ApiPath(id): ApiPath<AssignmentId>,
    ApiJson(b): ApiJson<DecideBody>,
) -> Answer<Done> {
    let user = viewer.require()?.clone();
    let (to, msg) = decisions::decide(
        &state.db,
        &user,
        id,
        DecisionForm {
            op: b.op,
            note: b.note,
        },
    )
    .await?;
    Ok(axum::Json(Done {
        status: Some(to.as_str().into()),
        ..Done::with_id(msg, id)
    }))
}

/// A decision on an extension request.
#[derive(Deserialize, ToSchema)]
pub struct ExtensionDecisionBody {
    /// True to approve (the new due date takes effect).
    pub approve: bool,
    /// Note.
    #[serde(default)]
    pub note: String,
}

/// `POST /api/extensions/{extension}/decide`.
#[utoipa::path(post, path = "/api/extensions/{extension}/decide", tag = "monitor", request_body = ExtensionDecisionBody,
    params(("extension" = i64, Path, description = "Đề nghị gia hạn")),
    responses((status = 200, body = Done), BadRequest, Unauthorized, Forbidden, NotFound, Conflict))]
pub async fn decide_extension(
    State(state): State<AppState>,
    viewer: Viewer,
    ApiPath(eid): ApiPath<ExtensionRequestId>,
    ApiJson(b): ApiJson<ExtensionDecisionBody>,
) -> Answer<Done> {
    let user = viewer.require()?.clone();
    let aid = extensions::decide(&state.db, &user, eid, b.approve, &b.note).await?;
    Ok(axum::Json(Done::with_id(
        if b.approve {
            "Đã đồng ý gia hạn."
        } else {
            "Đã từ chối gia hạn."
        },
        aid,
    )))
}

/// `POST /api/obstacles/{obstacle}/answer`.
#[utoipa::path(post, path = "/api/obstacles/{obstacle}/answer", tag = "monitor", request_body = TextBody,
    params(("obstacle" = i64, Path, description = "Vướng mắc")),
    responses((status = 200, body = Done), BadRequest, Unauthorized, Forbidden, NotFound, Conflict))]
pub async fn answer_obstacle(
    State(state): State<AppState>,
    viewer: Viewer,
    ApiPath(oid): ApiPath<ObstacleId>,
    ApiJson(b): ApiJson<TextBody>,
) -> Answer<Done> {
    let user = viewer.require()?.clone();
    let aid = obstacles::answer(&state.db, &user, oid, &b.text).await?;
    Ok(axum::Json(Done::with_id("Đã trả lời vướng mắc.", aid)))
}

/// The day a condition happened.
#[derive(Deserialize, ToSchema)]
pub struct TriggerBody {
    /// `yyyy-mm-dd` or `dd/mm/yyyy`; empty or absent: today.
    #[serde(default)]
    pub on: Option<String>,
}

/// `POST /api/tasks/{task}/trigger`: a conditional task's event happened; its deadline starts.
#[utoipa::path(post, path = "/api/tasks/{task}/trigger", tag = "monitor", request_body = TriggerBody,
    params(("task" = i64, Path, description = "Nhiệm vụ")),
    responses((status = 200, body = Done), BadRequest, Unauthorized, Forbidden, NotFound, Conflict))]
pub async fn trigger(
    State(state): State<AppState>,
    viewer: Viewer,
    ApiPath(task): ApiPath<TaskId>,
    ApiJson(b): ApiJson<TriggerBody>,
) -> Answer<Done> {
    let user = viewer.require()?.clone();
    let (_, on) =
        triggers::mark_triggered(&state.db, &user, task, b.on.as_deref().unwrap_or("")).await?;
    Ok(axum::Json(Done::with_id(
        format!(
            "Đã ghi nhận điều kiện xảy ra ngày {}; thời hạn bắt đầu tính.",
            crate::view::date(on)
        ),
        task,
    )))
}

/// `POST /api/units/{unit}/urge`: an urging notice listing the unit's overdue assignments.
#[utoipa::path(post, path = "/api/units/{unit}/urge", tag = "monitor",
    params(("unit" = i64, Path, description = "Đơn vị")),
    responses((status = 200, body = Done), Unauthorized, Forbidden, NotFound, Conflict))]
pub async fn urge(
    State(state): State<AppState>,
    viewer: Viewer,
    ApiPath(unit): ApiPath<UnitId>,
) -> Answer<Done> {
    let user = viewer.require()?.clone();
    let province = crate::auth::viewer_province(&state, &viewer).await?;
    let n = urging::urge_in_province(
        &state.db,
        &user,
        province,
        unit,
        &urging::UrgeForm::default(),
        state.config.escalate_after,
    )
    .await?;
    Ok(axum::Json(Done::with_id(
        format!("Đã gửi thông báo đôn đốc {n} nhiệm vụ quá hạn."),
        unit,
    )))
}

/// Several units to urge with the same words.
#[derive(Deserialize, ToSchema)]
pub struct UrgingBody {
    /// The units.
    pub units: Vec<i64>,
    /// The monitor's own words, added to the notice.
    #[serde(default)]
    pub message: String,
    /// The date by which the units are asked to report (`yyyy-mm-dd` or `dd/mm/yyyy`).
    #[serde(default)]
    pub reply_by: String,
}

/// What urging several units did.
#[derive(Serialize, ToSchema)]
pub struct UrgingResult {
    /// Units urged.
    pub units: usize,
    /// Overdue assignments named.
    pub assignments: usize,
    /// Units not urged, each with its reason.
    pub failed: Vec<String>,
}

/// `POST /api/urging`: several units urged at once with the same words and reply-by date.
/// A unit urged already today, or with nothing overdue, is listed in `failed`.
#[utoipa::path(post, path = "/api/urging", tag = "monitor", request_body = UrgingBody,
    responses((status = 200, body = UrgingResult), BadRequest, Unauthorized, Forbidden, NotFound))]
pub async fn urge_many(
    State(state): State<AppState>,
    viewer: Viewer,
    ApiJson(b): ApiJson<UrgingBody>,
) -> Answer<UrgingResult> {
    let user = viewer.require()?.clone();
    let province = crate::auth::viewer_province(&state, &viewer).await?;
    let units: Vec<UnitId> = b.units.into_iter().map(UnitId).collect();
    let out = urging::urge_many(
        &state.db,
        &user,
        province,
        &units,
        &urging::UrgeForm {
            message: b.message,
            reply_by: b.reply_by,
        },
        state.config.escalate_after,
    )
    .await?;
    Ok(axum::Json(UrgingResult {
        units: out.units,
        assignments: out.assignments,
        failed: out.failed,
    }))
}
