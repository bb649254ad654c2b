//! Plan cascade over the API: the higher task a plan implements (search and set), an agency's
//! own plan sent to the monitor and returned, the tree under a plan and a task's roll-up.

use axum::extract::State;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use tinhgon_app::cascade::{self, Choice, ReturnForm, TreeTask};
use tinhgon_domain::ids::{PlanId, TaskId};
use utoipa::{IntoParams, ToSchema};

use crate::api::request::{ApiJson, ApiPath, ApiQuery};
use crate::api::{Answer, BadRequest, Conflict, Done, Forbidden, NotFound, Unauthorized};
use crate::auth::Viewer;
use crate::AppState;

/// A task a plan may implement.
#[derive(Serialize, ToSchema)]
pub struct TaskChoiceItem {
    /// Task.
    pub task: i64,
    /// Its plan.
    pub plan: i64,
    /// The plan's number, else title.
    pub plan_name: String,
    /// Task reference ("II.3").
    pub reference: String,
    /// Task content.
    pub content: String,
}

impl From<Choice> for TaskChoiceItem {
    fn from(c: Choice) -> Self {
        TaskChoiceItem {
            task: c.task_id.get(),
            plan: c.plan_id.get(),
            plan_name: c.plan,
            reference: c.reference,
            content: c.content,
        }
    }
}

/// The higher task now and the tasks matching the search.
#[derive(Serialize, ToSchema)]
pub struct ParentChoices {
    /// The task the plan implements now.
    pub current: Option<TaskChoiceItem>,
    /// Matching tasks of the province's published plans (at most 30).
    pub choices: Vec<TaskChoiceItem>,
    /// Only tasks the caller's unit leads or coordinates are offered (agency officer).
    pub own_unit_only: bool,
}

/// `?q=` of the search.
#[derive(Deserialize, IntoParams)]
pub struct ParentQuery {
    /// Plan number, task reference or words of the content (diacritics optional).
    #[serde(default)]
    pub q: Option<String>,
}

/// `GET /api/plans/{plan}/parent`: the higher task of a plan and the tasks it may implement.
#[utoipa::path(get, path = "/api/plans/{plan}/parent", tag = "plans",
    params(("plan" = i64, Path, description = "Kế hoạch"), ParentQuery),
    responses((status = 200, body = ParentChoices), Unauthorized, Forbidden, NotFound))]
pub async fn picker(
    State(state): State<AppState>,
    viewer: Viewer,
    ApiPath(plan): ApiPath<PlanId>,
    ApiQuery(q): ApiQuery<ParentQuery>,
) -> Answer<ParentChoices> {
    let user = viewer.require()?.clone();
    let p = cascade::picker(&state.db, &user, plan, q.q.as_deref().unwrap_or("")).await?;
    Ok(axum::Json(ParentChoices {
        current: p.current.map(Into::into),
        choices: p.choices.into_iter().map(Into::into).collect(),
        own_unit_only: p.own_unit_only,
    }))
}

/// The higher task to link (null: unlink).
#[derive(Deserialize, ToSchema)]
pub struct ParentBody {
    /// Task id, or null.
    #[serde(default)]
    pub task: Option<i64>,
}

/// `POST /api/plans/{plan}/parent`: links the plan to the higher task it implements.
#[utoipa::path(post, path = "/api/plans/{plan}/parent", tag = "plans", request_body = ParentBody,
    params(("plan" = i64, Path, description = "Kế hoạch")),
    responses((status = 200, body = Done), BadRequest, Unauthorized, Forbidden, NotFound, Conflict))]
pub async fn set_parent(
    State(state): State<AppState>,
    viewer: Viewer,
    ApiPath(plan): ApiPath<PlanId>,
    ApiJson(b): ApiJson<ParentBody>,
) -> Answer<Done> {
    let user = viewer.require()?.clone();
    let msg = cascade::set_parent(&state.db, &user, plan, b.task.map(TaskId)).await?;
    Ok(axum::Json(Done::with_id(msg, plan)))
}

/// `POST /api/plans/{plan}/submit`: an agency officer sends its unit's draft to the monitor.
#[utoipa::path(post, path = "/api/plans/{plan}/submit", tag = "plans",
    params(("plan" = i64, Path, description = "Kế hoạch")),
    responses((status = 200, body = Done), BadRequest, Unauthorized, Forbidden, NotFound, Conflict))]
pub async fn submit(
    State(state): State<AppState>,
    viewer: Viewer,
    ApiPath(plan): ApiPath<PlanId>,
) -> Answer<Done> {
    let user = viewer.require()?.clone();
    let msg = cascade::submit(&state.db, &user, plan).await?;
    Ok(axum::Json(Done::with_id(msg, plan)))
}

/// Why a draft is returned.
#[derive(Deserialize, ToSchema)]
pub struct ReturnBody {
    /// What the unit must complete (required).
    #[serde(default)]
    pub note: String,
}

/// `POST /api/plans/{plan}/return`: the monitor returns an agency's draft with a note.
#[utoipa::path(post, path = "/api/plans/{plan}/return", tag = "monitor", request_body = ReturnBody,
    params(("plan" = i64, Path, description = "Kế hoạch")),
    responses((status = 200, body = Done), BadRequest, Unauthorized, Forbidden, NotFound, Conflict))]
pub async fn return_to_unit(
    State(state): State<AppState>,
    viewer: Viewer,
    ApiPath(plan): ApiPath<PlanId>,
    ApiJson(b): ApiJson<ReturnBody>,
) -> Answer<Done> {
    let user = viewer.require()?.clone();
    let msg = cascade::return_to_unit(&state.db, &user, plan, &ReturnForm { note: b.note }).await?;
    Ok(axum::Json(Done::with_id(msg, plan)))
}

/// One sub-plan of the tree, under the higher task it implements.
#[derive(Serialize, ToSchema)]
pub struct TreeNode {
    /// 1 under the plan asked for, 2 under one of its sub-plans, and so on.
    pub depth: u32,
    /// The higher task.
    pub task: i64,
    /// Its reference.
    pub task_reference: String,
    /// Its progress rolled up from its published sub-plans (null: no figure yet).
    pub task_rollup: Option<u8>,
    /// The sub-plan.
    pub plan: i64,
    /// Its number, else title.
    pub plan_name: String,
    /// Issuing unit.
    pub issuer: String,
    /// Date of issue.
    pub issued_on: Option<NaiveDate>,
    /// State in words.
    pub state: String,
    /// Published (counted in the roll-up).
    pub published: bool,
    /// Its own progress (mean of its tasks).
    pub progress: Option<u8>,
}

fn flatten(tasks: Vec<TreeTask>, depth: u32, out: &mut Vec<TreeNode>) {
    for t in tasks {
        for s in t.sub_plans {
            out.push(TreeNode {
                depth,
                task: t.task_id.get(),
                task_reference: t.reference.clone(),
                task_rollup: t.rollup,
                plan: s.plan_id.get(),
                plan_name: s.name,
                issuer: s.issuer,
                issued_on: s.issued_on,
                state: s.state,
                published: s.published,
                progress: s.progress,
            });
            flatten(s.tasks, depth + 1, out);
        }
    }
}

/// The tree under a plan and the roll-up rule.
#[derive(Serialize, ToSchema)]
pub struct Tree {
    /// The roll-up rule, in Vietnamese.
    pub rule: String,
    /// The sub-plans, depth first.
    pub nodes: Vec<TreeNode>,
}

/// `GET /api/plans/{plan}/tree`: the plans implementing the plan's tasks, nested.
#[utoipa::path(get, path = "/api/plans/{plan}/tree", tag = "plans",
    params(("plan" = i64, Path, description = "Kế hoạch")),
    responses((status = 200, body = Tree), Unauthorized, NotFound))]
pub async fn tree(
    State(state): State<AppState>,
    viewer: Viewer,
    ApiPath(plan): ApiPath<PlanId>,
) -> Answer<Tree> {
    let tasks = cascade::tree_of(&state.db, viewer.account(), plan).await?;
    let mut nodes = Vec::new();
    flatten(tasks, 1, &mut nodes);
    Ok(axum::Json(Tree {
        rule: tinhgon_domain::cascade::ROLLUP_RULE.into(),
        nodes,
    }))
}

/// A task's progress rolled up from its sub-plans.
#[derive(Serialize, ToSchema)]
pub struct TaskRollup {
    /// Percentage (null: no published sub-plan has a counted task yet).
    pub percent: Option<u8>,
    /// Published sub-plans counted.
    pub plans: usize,
    /// The rule, in Vietnamese.
    pub rule: String,
}

/// `GET /api/tasks/{task}/rollup`: the task's progress rolled up from its sub-plans.
#[utoipa::path(get, path = "/api/tasks/{task}/rollup", tag = "plans",
    params(("task" = i64, Path, description = "Nhiệm vụ")),
    responses((status = 200, body = TaskRollup), Unauthorized, NotFound))]
pub async fn task_rollup(
    State(state): State<AppState>,
    viewer: Viewer,
    ApiPath(task): ApiPath<TaskId>,
) -> Answer<TaskRollup> {
    let r = cascade::rollup_of_task(&state.db, viewer.account(), task).await?;
    Ok(axum::Json(TaskRollup {
        percent: r.percent,
        plans: r.plans,
        rule: tinhgon_domain::cascade::ROLLUP_RULE.into(),
    }))
}
