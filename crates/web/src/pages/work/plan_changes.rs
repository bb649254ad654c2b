//! Changing a published plan from the task page: the lead given to another unit, a due date
//! changed, a coordinating unit added or withdrawn, the task withdrawn; and from the plan page,
//! a task added.

use axum::extract::State;
use axum::response::Response;
use tinhgon_app::plan_changes::{self, AddTaskForm, ChangeForm};
use tinhgon_domain::ids::{AssignmentId, PlanId, TaskId};

use crate::auth::Viewer;
use crate::error::WebResult;
use crate::pages::redirect_ok;
use crate::request::{Form, Path};
use crate::AppState;

/// `POST /assignments/{assignment}/reassign`.
pub async fn reassign(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<AssignmentId>,
    Form(f): Form<ChangeForm>,
) -> WebResult<Response> {
    let user = viewer.require()?.clone();
    plan_changes::reassign(&state.db, &user, id, f).await?;
    Ok(redirect_ok(
        &state,
        &format!("/assignments/{id}"),
        "Đã giao lại cơ quan chủ trì; các đơn vị liên quan đã được thông báo.",
    ))
}

/// `POST /assignments/{assignment}/due`.
pub async fn change_due(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<AssignmentId>,
    Form(f): Form<ChangeForm>,
) -> WebResult<Response> {
    let user = viewer.require()?.clone();
    plan_changes::change_due(&state.db, &user, id, f).await?;
    Ok(redirect_ok(
        &state,
        &format!("/assignments/{id}"),
        "Đã điều chỉnh thời hạn; đơn vị chủ trì đã được thông báo.",
    ))
}

/// `POST /tasks/{task}/coordinators/add`; back to the assignment the form was on.
pub async fn add_coordinator(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(task): Path<TaskId>,
    Form(f): Form<ChangeForm>,
) -> WebResult<Response> {
    let user = viewer.require()?.clone();
    let back = plan_changes::add_coordinator(&state.db, &user, task, f).await?;
    Ok(redirect_ok(&state, &back, "Đã bổ sung cơ quan phối hợp."))
}

/// `POST /tasks/{task}/coordinators/withdraw`.
pub async fn withdraw_coordinator(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(task): Path<TaskId>,
    Form(f): Form<ChangeForm>,
) -> WebResult<Response> {
    let user = viewer.require()?.clone();
    let back = plan_changes::withdraw_coordinator(&state.db, &user, task, f).await?;
    Ok(redirect_ok(&state, &back, "Đã rút cơ quan phối hợp."))
}

/// `POST /tasks/{task}/withdraw`: back to the plan.
pub async fn withdraw_task(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(task): Path<TaskId>,
    Form(f): Form<ChangeForm>,
) -> WebResult<Response> {
    let user = viewer.require()?.clone();
    let plan = plan_changes::withdraw_task(&state.db, &user, task, f).await?;
    Ok(redirect_ok(
        &state,
        &format!("/plans/{plan}#task-{task}"),
        "Đã rút nhiệm vụ khỏi kế hoạch; các phân công đang thực hiện đã được hủy và đơn vị được thông báo.",
    ))
}

/// `POST /plans/{plan}/tasks/add`: to the new assignment. The form repeats `coordinators`,
/// which the usual form decoder does not take.
pub async fn add_task(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(plan): Path<PlanId>,
    body: axum::body::Bytes,
) -> WebResult<Response> {
    let user = viewer.require()?.clone();
    let mut f = AddTaskForm::default();
    for (k, v) in form_urlencoded::parse(&body) {
        let v = v.into_owned();
        match k.as_ref() {
            "reference" => f.reference = v,
            "content" => f.content = v,
            "lead" => f.lead = v,
            "coordinators" => f.coordinators.push(v),
            "deadline" => f.deadline = v,
            "reason" => f.why.reason = v,
            "document" => f.why.document = v,
            _ => {}
        }
    }
    let a = plan_changes::add_task(&state.db, &user, plan, f).await?;
    Ok(redirect_ok(
        &state,
        &format!("/assignments/{a}"),
        "Đã bổ sung nhiệm vụ vào kế hoạch; đơn vị chủ trì và phối hợp đã được thông báo.",
    ))
}
