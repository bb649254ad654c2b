//! Lists across plans: the task list (`GET /api/assignments`) and the monitor's approval queue
//! (`GET /api/approvals`).

use axum::extract::State;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use tinhgon_app::task_list::{self, TaskListQuery};
use utoipa::{IntoParams, ToSchema};

use crate::api::request::ApiQuery;
use crate::api::{Answer, BadRequest, Forbidden, Unauthorized};
use crate::auth::Viewer;
use crate::view::today;
use crate::AppState;

/// Filters of the task list; every one optional.
#[derive(Deserialize, IntoParams, Default)]
#[into_params(parameter_in = Query)]
pub struct AssignmentListParams {
    /// A plan id.
    pub plan: Option<String>,
    /// A published plan's number ("615/KH-UBND"); wins over `plan`.
    pub plan_number: Option<String>,
    /// A unit id: the assignments it leads, or with `role=coordinating` those of the tasks it
    /// coordinates.
    pub unit: Option<String>,
    /// `lead` (default) or `coordinating`.
    pub role: Option<String>,
    /// Status class today: `done_on_time`, `done_late`, `in_progress`, `overdue`, `not_due`,
    /// `waiting_for_condition`, `standing`.
    pub class: Option<String>,
    /// Due on or after (dd/mm/yyyy or yyyy-mm-dd).
    pub due_from: Option<String>,
    /// Due on or before.
    pub due_to: Option<String>,
    /// Overdue, with a due date before this day.
    pub overdue_since: Option<String>,
    /// Text in the task's content or reference (diacritics optional).
    pub q: Option<String>,
    /// `due` (default), `plan`, `unit` or `class`.
    pub sort: Option<String>,
    /// Page, from 1.
    pub page: Option<String>,
    /// Rows per page, 1–200 (default 50).
    pub per_page: Option<String>,
}

impl From<AssignmentListParams> for TaskListQuery {
    fn from(p: AssignmentListParams) -> Self {
        TaskListQuery {
            plan: p.plan.unwrap_or_default(),
            plan_number: p.plan_number.unwrap_or_default(),
            unit: p.unit.unwrap_or_default(),
            role: p.role.unwrap_or_default(),
            class: p.class.unwrap_or_default(),
            due_from: p.due_from.unwrap_or_default(),
            due_to: p.due_to.unwrap_or_default(),
            overdue_since: p.overdue_since.unwrap_or_default(),
            q: p.q.unwrap_or_default(),
            sort: p.sort.unwrap_or_default(),
            page: p.page.unwrap_or_default(),
            per_page: p.per_page.unwrap_or_default(),
        }
    }
}

/// One assignment of the list.
#[derive(Serialize, ToSchema)]
pub struct ListedAssignment {
    /// Assignment.
    pub id: i64,
    /// Task.
    pub task_id: i64,
    /// Plan.
    pub plan_id: i64,
    /// Plan number.
    pub plan_number: Option<String>,
    /// Task reference in the plan.
    pub task_ref: String,
    /// Task content.
    pub content: String,
    /// Responsible unit.
    pub unit_id: i64,
    /// Its name.
    pub unit: String,
    /// Deadline as written.
    pub deadline_text: String,
    /// Due date in force.
    pub due: Option<NaiveDate>,
    /// Whether an extension moved the due date.
    pub extended: bool,
    /// Workflow status (stable name).
    pub status: String,
    /// Status class today.
    pub class: String,
    /// Latest reported percentage.
    pub percent: Option<i64>,
}

/// A page of the list.
#[derive(Serialize, ToSchema)]
pub struct AssignmentList {
    /// Rows the filters keep, over all pages.
    pub total: u64,
    /// This page.
    pub page: u32,
    /// Rows per page.
    pub per_page: u32,
    /// This page's rows.
    pub items: Vec<ListedAssignment>,
}

/// `GET /api/assignments` (monitor, leader, admin): the assignments of the caller's province
/// across plans, filtered, sorted and paged.
#[utoipa::path(get, path = "/api/assignments", tag = "monitor", params(AssignmentListParams),
    responses((status = 200, body = AssignmentList), BadRequest, Unauthorized, Forbidden))]
pub async fn assignments(
    State(state): State<AppState>,
    viewer: Viewer,
    ApiQuery(q): ApiQuery<AssignmentListParams>,
) -> Answer<AssignmentList> {
    let user = viewer.require()?;
    let province = crate::auth::listing_province(&state, &viewer).await?;
    let (req, page) = task_list::list(&state.db, user, province, &q.into(), today()).await?;
    Ok(axum::Json(AssignmentList {
        total: page.total,
        page: req.page,
        per_page: req.per_page,
        items: page
            .lines
            .into_iter()
            .map(|l| ListedAssignment {
                id: l.work.id,
                task_id: l.work.task_id,
                plan_id: l.work.plan_id,
                plan_number: l.work.plan_number,
                task_ref: l.work.task_ref,
                content: l.work.content,
                unit_id: l.work.unit_id,
                unit: l.unit,
                deadline_text: l.work.deadline_text,
                due: l.work.due,
                extended: l.work.extended,
                status: l.work.status,
                class: l.class.as_str().to_string(),
                percent: l.work.percent,
            })
            .collect(),
    }))
}

/// One item waiting for the monitor.
#[derive(Serialize, ToSchema)]
pub struct PendingItem {
    /// `completion`, `extension` or `obstacle`.
    pub kind: String,
    /// The item's id (the assignment's for a completion proposal); with `kind`, what
    /// `POST /api/approvals/decide` takes as `"kind:id"`.
    pub id: i64,
    /// The assignment.
    pub assignment_id: i64,
    /// Plan number.
    pub plan_number: Option<String>,
    /// Task reference.
    pub task_ref: String,
    /// Task content.
    pub content: String,
    /// Responsible unit.
    pub unit: String,
    /// When it was asked.
    pub at: chrono::DateTime<chrono::Utc>,
    /// The unit's words.
    pub text: Option<String>,
    /// Due date in force.
    pub due: Option<NaiveDate>,
    /// Due date asked for (extensions).
    pub new_due: Option<NaiveDate>,
}

/// The approval queue.
#[derive(Serialize, ToSchema)]
pub struct ApprovalQueue {
    /// Items waiting (the oldest 100 listed; `total` counts all).
    pub total: u64,
    /// The items.
    pub items: Vec<PendingItem>,
}

/// `GET /api/approvals` (monitor, admin): completion proposals, extension requests and
/// obstacles waiting for a decision in the caller's province.
#[utoipa::path(get, path = "/api/approvals", tag = "monitor",
    responses((status = 200, body = ApprovalQueue), Unauthorized, Forbidden))]
pub async fn approvals(State(state): State<AppState>, viewer: Viewer) -> Answer<ApprovalQueue> {
    let user = viewer.require()?;
    let province = crate::auth::listing_province(&state, &viewer).await?;
    let items = tinhgon_app::approvals::queue(&state.db, user, province).await?;
    let total = tinhgon_app::approvals::count(&state.db, user, province).await?;
    Ok(axum::Json(ApprovalQueue {
        total,
        items: items
            .into_iter()
            .map(|p| PendingItem {
                kind: p.kind.as_str().to_string(),
                id: p.id,
                assignment_id: p.assignment_id,
                plan_number: p.plan_number,
                task_ref: p.task_ref,
                content: p.content,
                unit: p.unit,
                at: p.at,
                text: p.text,
                due: p.due,
                new_due: p.new_due,
            })
            .collect(),
    }))
}

/// A decision on several waiting items.
#[derive(Deserialize, ToSchema)]
pub struct BatchDecision {
    /// Items as `"completion:12"`, `"extension:5"`, `"obstacle:7"`.
    pub items: Vec<String>,
    /// `approve` (confirm, grant, answer) or `refuse` (return, refuse).
    pub decision: String,
    /// One note for all (required when an obstacle is answered).
    #[serde(default)]
    pub note: String,
}

/// What a batch did.
#[derive(Serialize, ToSchema)]
pub struct BatchResult {
    /// Items decided.
    pub done: usize,
    /// Items not decided, each with its reason.
    pub failed: Vec<String>,
}

/// `POST /api/approvals/decide` (monitor, admin): one decision on several items.
#[utoipa::path(post, path = "/api/approvals/decide", tag = "monitor", request_body = BatchDecision,
    responses((status = 200, body = BatchResult), BadRequest, Unauthorized, Forbidden))]
pub async fn decide(
    State(state): State<AppState>,
    viewer: Viewer,
    crate::api::request::ApiJson(b): crate::api::request::ApiJson<BatchDecision>,
) -> Answer<BatchResult> {
    let user = viewer.require()?.clone();
    let out = tinhgon_app::approvals::decide_many(
        &state.db,
        &user,
        tinhgon_app::approvals::BatchForm {
            items: b.items,
            decision: b.decision,
            note: b.note,
        },
    )
    .await?;
    Ok(axum::Json(BatchResult {
        done: out.done,
        failed: out.failed,
    }))
}
