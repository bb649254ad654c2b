//! Changing a published plan over the API: the same use cases as the task page's forms.

use axum::extract::State;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use tinhgon_app::plan_changes::{self, AddTaskForm, ChangeForm};
use tinhgon_domain::ids::{AssignmentId, PlanId, TaskId};
use utoipa::ToSchema;

use crate::api::request::{ApiJson, ApiPath};
use crate::api::{Answer, BadRequest, Conflict, Done, Forbidden, NotFound, Unauthorized};
use crate::auth::Viewer;
use crate::AppState;

/// A change with its reason and deciding document.
#[derive(Deserialize, ToSchema)]
pub struct ChangeBody {
    /// The unit: the new lead, or the coordinating unit added or withdrawn.
    #[serde(default)]
    pub unit: Option<i64>,
    /// New due date (`yyyy-mm-dd` or `dd/mm/yyyy`), for a due date change.
    #[serde(default)]
    pub due: Option<String>,
    /// Why (required; absent is refused after the rights check, like blank).
    #[serde(default)]
    pub reason: String,
    /// The deciding document (number, date, issuer); required like `reason`.
    #[serde(default)]
    pub document: String,
}

impl From<ChangeBody> for ChangeForm {
    fn from(b: ChangeBody) -> ChangeForm {
        ChangeForm {
            unit: b.unit.map(|u| u.to_string()).unwrap_or_default(),
            due: b.due.unwrap_or_default(),
            reason: b.reason,
            document: b.document,
        }
    }
}

/// `POST /api/assignments/{assignment}/reassign`: the lead given to another unit.
#[utoipa::path(post, path = "/api/assignments/{assignment}/reassign", tag = "monitor", request_body = ChangeBody,
    params(("assignment" = i64, Path, description = "Phân công")),
    responses((status = 200, body = Done), BadRequest, Unauthorized, Forbidden, NotFound, Conflict))]
pub async fn reassign(
    State(state): State<AppState>,
    viewer: Viewer,
    ApiPath(id): ApiPath<AssignmentId>,
    ApiJson(b): ApiJson<ChangeBody>,
) -> Answer<Done> {
    let user = viewer.require()?.clone();
    plan_changes::reassign(&state.db, &user, id, b.into()).await?;
    Ok(axum::Json(Done::with_id(
        "Đã giao lại cơ quan chủ trì.",
        id,
    )))
}

/// `POST /api/assignments/{assignment}/due`: the due date changed.
#[utoipa::path(post, path = "/api/assignments/{assignment}/due", tag = "monitor", request_body = ChangeBody,
    params(("assignment" = i64, Path, description = "Phân công")),
    responses((status = 200, body = Done), BadRequest, Unauthorized, Forbidden, NotFound, Conflict))]
pub async fn change_due(
    State(state): State<AppState>,
    viewer: Viewer,
    ApiPath(id): ApiPath<AssignmentId>,
    ApiJson(b): ApiJson<ChangeBody>,
) -> Answer<Done> {
    let user = viewer.require()?.clone();
    plan_changes::change_due(&state.db, &user, id, b.into()).await?;
    Ok(axum::Json(Done::with_id("Đã điều chỉnh thời hạn.", id)))
}

/// `POST /api/tasks/{task}/coordinators/add`: a coordinating unit added.
#[utoipa::path(post, path = "/api/tasks/{task}/coordinators/add", tag = "monitor", request_body = ChangeBody,
    params(("task" = i64, Path, description = "Nhiệm vụ")),
    responses((status = 200, body = Done), BadRequest, Unauthorized, Forbidden, NotFound, Conflict))]
pub async fn add_coordinator(
    State(state): State<AppState>,
    viewer: Viewer,
    ApiPath(task): ApiPath<TaskId>,
    ApiJson(b): ApiJson<ChangeBody>,
) -> Answer<Done> {
    let user = viewer.require()?.clone();
    plan_changes::add_coordinator(&state.db, &user, task, b.into()).await?;
    Ok(axum::Json(Done::with_id(
        "Đã bổ sung cơ quan phối hợp.",
        task,
    )))
}

/// `POST /api/tasks/{task}/coordinators/withdraw`: a coordinating unit withdrawn.
#[utoipa::path(post, path = "/api/tasks/{task}/coordinators/withdraw", tag = "monitor", request_body = ChangeBody,
    params(("task" = i64, Path, description = "Nhiệm vụ")),
    responses((status = 200, body = Done), BadRequest, Unauthorized, Forbidden, NotFound, Conflict))]
pub async fn withdraw_coordinator(
    State(state): State<AppState>,
    viewer: Viewer,
    ApiPath(task): ApiPath<TaskId>,
    ApiJson(b): ApiJson<ChangeBody>,
) -> Answer<Done> {
    let user = viewer.require()?.clone();
    plan_changes::withdraw_coordinator(&state.db, &user, task, b.into()).await?;
    Ok(axum::Json(Done::with_id("Đã rút cơ quan phối hợp.", task)))
}

/// `POST /api/tasks/{task}/withdraw`: the task withdrawn, its open assignments cancelled.
#[utoipa::path(post, path = "/api/tasks/{task}/withdraw", tag = "monitor", request_body = ChangeBody,
    params(("task" = i64, Path, description = "Nhiệm vụ")),
    responses((status = 200, body = Done), BadRequest, Unauthorized, Forbidden, NotFound, Conflict))]
pub async fn withdraw_task(
    State(state): State<AppState>,
    viewer: Viewer,
    ApiPath(task): ApiPath<TaskId>,
    ApiJson(b): ApiJson<ChangeBody>,
) -> Answer<Done> {
    let user = viewer.require()?.clone();
    plan_changes::withdraw_task(&state.db, &user, task, b.into()).await?;
    Ok(axum::Json(Done::with_id(
        "Đã rút nhiệm vụ khỏi kế hoạch.",
        task,
    )))
}

/// A task to add to a published plan.
#[derive(Deserialize, ToSchema)]
pub struct AddTaskBody {
    /// Its reference in the plan ("II.6").
    #[serde(default)]
    pub reference: String,
    /// What is to be done.
    #[serde(default)]
    pub content: String,
    /// The lead unit (its id; any other value is refused after the rights check, so another
    /// province learns nothing from the answer).
    #[serde(default)]
    #[schema(value_type = Option<i64>)]
    pub lead: Option<serde_json::Value>,
    /// Coordinating units.
    #[serde(default)]
    pub coordinators: Vec<i64>,
    /// The deadline as a plan writes it ("31/12/2026", "Quý IV/2026", "Thường xuyên").
    #[serde(default)]
    pub deadline: String,
    /// Why (required).
    #[serde(default)]
    pub reason: String,
    /// The deciding document (number, date, issuer); required.
    #[serde(default)]
    pub document: String,
}

/// `POST /api/plans/{plan}/tasks`: a task added to the published plan, given to its lead at
/// once; answers the new assignment's id.
#[utoipa::path(post, path = "/api/plans/{plan}/tasks", tag = "monitor", request_body = AddTaskBody,
    params(("plan" = i64, Path, description = "Kế hoạch")),
    responses((status = 200, body = Done), BadRequest, Unauthorized, Forbidden, NotFound, Conflict))]
pub async fn add_task(
    State(state): State<AppState>,
    viewer: Viewer,
    ApiPath(plan): ApiPath<PlanId>,
    ApiJson(b): ApiJson<AddTaskBody>,
) -> Answer<Done> {
    let user = viewer.require()?.clone();
    let form = AddTaskForm {
        reference: b.reference,
        content: b.content,
        lead: match b.lead {
            Some(serde_json::Value::Number(n)) => n.to_string(),
            Some(serde_json::Value::String(s)) => s,
            _ => String::new(),
        },
        coordinators: b.coordinators.iter().map(i64::to_string).collect(),
        deadline: b.deadline,
        why: ChangeForm {
            reason: b.reason,
            document: b.document,
            ..ChangeForm::default()
        },
    };
    let a = plan_changes::add_task(&state.db, &user, plan, form).await?;
    Ok(axum::Json(Done::with_id(
        "Đã bổ sung nhiệm vụ vào kế hoạch.",
        a,
    )))
}

/// One change made to a published plan.
#[derive(Serialize, ToSchema)]
pub struct PlanChangeItem {
    /// What was changed, in words.
    pub kind: String,
    /// The task.
    pub task_id: i64,
    /// Its reference.
    pub task_ref: String,
    /// The assignment, for a change of one.
    pub assignment_id: Option<i64>,
    /// Before, in words.
    pub before: String,
    /// After, in words.
    pub after: String,
    /// Why.
    pub reason: String,
    /// The deciding document.
    pub document: String,
    /// Who.
    pub by: Option<String>,
    /// When.
    pub at: DateTime<Utc>,
}

/// `GET /api/plans/{plan}/changes`: the changes made to the plan since it was published.
#[utoipa::path(get, path = "/api/plans/{plan}/changes", tag = "plans",
    params(("plan" = i64, Path, description = "Kế hoạch")),
    responses((status = 200, body = [PlanChangeItem]), Unauthorized, NotFound))]
pub async fn list(
    State(state): State<AppState>,
    viewer: Viewer,
    ApiPath(plan): ApiPath<PlanId>,
) -> Answer<Vec<PlanChangeItem>> {
    let changes = plan_changes::history(&state.db, viewer.account(), plan).await?;
    Ok(axum::Json(
        changes
            .into_iter()
            .map(|c| PlanChangeItem {
                kind: c.kind.label_vi().to_string(),
                task_id: c.task_id,
                task_ref: c.task_ref,
                assignment_id: c.assignment_id,
                before: c.before,
                after: c.after,
                reason: c.reason,
                document: c.document,
                by: c.by,
                at: c.at,
            })
            .collect(),
    ))
}
