//! Plan cascade on the pages: the picker of the higher task a plan implements, an agency's
//! own draft sent to the monitor and returned or published, the box the review page shows,
//! the tree on the plan page and the roll-up on the task page.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;
use tinhgon_app::cascade::{self, Choice, ParentForm, ReturnForm, TreeTask};
use tinhgon_app::AppError;
use tinhgon_domain::cascade::ROLLUP_RULE;
use tinhgon_domain::ids::{PlanId, TaskId};
use tinhgon_domain::model::Id;
use tinhgon_domain::plan::PlanState;
use tinhgon_domain::user::{can_monitor, User};

use crate::auth::Viewer;
use crate::error::WebResult;
use crate::pages::{redirect_flash, redirect_ok, render};
use crate::request::{Form, Path, Query};
use crate::view::{date_opt, datetime, PageCtx};
use crate::AppState;

/// What the review page shows about the cascade: the higher task, the search that opens the
/// picker, and who does what next (the officer sends, the monitor publishes or returns).
pub struct ReviewBox {
    /// The higher task chosen, in words.
    pub parent: Option<Choice>,
    /// The viewer is the owning unit's officer (not the monitor).
    pub owner_view: bool,
    /// The draft is an agency's own.
    pub agency_draft: bool,
    /// The owning unit's name.
    pub unit: String,
    /// Where the draft stands with the monitor, in words.
    pub review_label: &'static str,
    /// Sent and not yet answered.
    pub submitted: bool,
    /// The monitor's note when returned.
    pub note: String,
    /// The viewer may publish (the monitor).
    pub can_publish: bool,
    /// The viewer may still change the draft.
    pub can_edit: bool,
}

/// The review page's box for `plan` as `user` sees it.
pub async fn review_box(state: &AppState, user: &User, plan: Id) -> WebResult<ReviewBox> {
    let (p, review) = cascade::reviewable(&state.db, user, PlanId(plan)).await?;
    let monitor = can_monitor(user, &p.access());
    let submitted = review.review_state.as_deref() == Some("submitted");
    let unit = match review.owner_unit_id {
        Some(u) => tinhgon_store::web_queries::unit_name(&state.db, u)
            .await?
            .unwrap_or_default(),
        None => String::new(),
    };
    Ok(ReviewBox {
        parent: cascade::current_parent(&state.db, p.rec.plan.parent_task_id).await?,
        owner_view: !monitor,
        agency_draft: review.owner_unit_id.is_some(),
        unit,
        review_label: cascade::review_label(review.review_state.as_deref()),
        submitted,
        note: review.review_note.unwrap_or_default(),
        can_publish: monitor,
        can_edit: monitor || !submitted,
    })
}

#[derive(Template)]
#[template(path = "cascade_picker.html")]
struct PickerPage {
    ctx: PageCtx,
    id: Id,
    label: String,
    q: String,
    current: Option<Choice>,
    choices: Vec<Choice>,
    own_unit_only: bool,
    back: String,
}

/// `?q=` of the picker.
#[derive(Debug, Deserialize, Default)]
pub struct PickerQuery {
    /// Plan number, reference or words of the task (diacritics optional).
    #[serde(default)]
    pub q: Option<String>,
}

fn back_to(state: PlanState, plan: Id) -> String {
    if state == PlanState::Draft {
        format!("/plans/{plan}/review")
    } else {
        format!("/plans/{plan}")
    }
}

/// `GET /plans/{plan}/parent?q=`: the tasks the plan may implement, searched by plan number,
/// reference or content.
pub async fn picker(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<Id>,
    Query(q): Query<PickerQuery>,
) -> WebResult<Response> {
    let user = viewer.require()?.clone();
    let text = q.q.unwrap_or_default();
    let picked = cascade::picker(&state.db, &user, PlanId(id), &text).await?;
    let p = tinhgon_app::access::plan(&state.db, PlanId(id)).await?;
    render(&PickerPage {
        ctx: PageCtx::new(&viewer, "plans"),
        id,
        label: p.label(),
        q: text,
        current: picked.current,
        choices: picked.choices,
        own_unit_only: picked.own_unit_only,
        back: back_to(p.rec.plan.state, id),
    })
}

/// A refusal the person can act on goes back to the form with its message; others (rights,
/// faults) are the error page.
fn or_flash(state: &AppState, to: &str, r: Result<String, AppError>) -> WebResult<Response> {
    match r {
        Ok(msg) => Ok(redirect_ok(state, to, &msg)),
        Err(AppError::Invalid { message, .. } | AppError::Conflict(message)) => {
            Ok(redirect_flash(state, to, "error", &message))
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /plans/{plan}/parent` (field `task`, empty to unlink).
pub async fn set_parent(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<Id>,
    Form(f): Form<ParentForm>,
) -> WebResult<Response> {
    let user = viewer.require()?.clone();
    let p = cascade::reviewable(&state.db, &user, PlanId(id)).await?.0;
    let back = back_to(p.rec.plan.state, id);
    let r = match f.parse() {
        Ok(task) => cascade::set_parent(&state.db, &user, PlanId(id), task).await,
        Err(e) => Err(e),
    };
    let to = if r.is_ok() {
        back
    } else {
        format!("/plans/{id}/parent")
    };
    or_flash(&state, &to, r)
}

/// `POST /plans/{plan}/submit`: the officer sends its unit's draft to the monitor.
pub async fn submit(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<Id>,
) -> WebResult<Response> {
    let user = viewer.require()?.clone();
    let r = cascade::submit(&state.db, &user, PlanId(id)).await;
    let to = if r.is_ok() {
        "/plans".to_string()
    } else {
        format!("/plans/{id}/review")
    };
    or_flash(&state, &to, r)
}

/// `POST /plans/{plan}/return` (field `note`): the monitor returns an agency's draft.
pub async fn return_to_unit(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<Id>,
    Form(f): Form<ReturnForm>,
) -> WebResult<Response> {
    let user = viewer.require()?.clone();
    let r = cascade::return_to_unit(&state.db, &user, PlanId(id), &f).await;
    let to = if r.is_ok() {
        "/plans".to_string()
    } else {
        format!("/plans/{id}/review")
    };
    or_flash(&state, &to, r)
}

/// An agency's draft in the plan list's box.
pub struct DraftLine {
    /// The plan.
    pub id: Id,
    /// Number, else title.
    pub name: String,
    /// Title.
    pub title: String,
    /// The owning unit.
    pub unit: String,
    /// Where it stands.
    pub state: &'static str,
    /// Sent and waiting.
    pub submitted: bool,
    /// The monitor's note when returned.
    pub note: String,
    /// When sent.
    pub sent: String,
}

/// The plan list's box: the drafts sent to the monitor (monitors) or the unit's own drafts
/// (officers).
pub async fn drafts_box(
    state: &AppState,
    user: &User,
    province: Option<Id>,
) -> WebResult<Vec<DraftLine>> {
    Ok(cascade::drafts_in_review(&state.db, user, province)
        .await?
        .into_iter()
        .map(|d| DraftLine {
            id: d.plan_id,
            name: tinhgon_domain::plan::plan_name(d.number.as_deref(), d.title.as_deref()),
            title: d.title.unwrap_or_default(),
            unit: d.unit_name.unwrap_or_default(),
            state: cascade::review_label(d.review_state.as_deref()),
            submitted: d.review_state.as_deref() == Some("submitted"),
            note: d.review_note.unwrap_or_default(),
            sent: d.submitted_at.map(datetime).unwrap_or_default(),
        })
        .collect())
}

/// A higher task in the plan page's tree.
pub struct TreeTaskView {
    /// Task (anchor on the plan page).
    pub task_id: Id,
    /// Reference.
    pub reference: String,
    /// Content, shortened.
    pub content: String,
    /// Rolled-up progress in words.
    pub rollup: String,
    /// Rolled-up percentage for the bar.
    pub percent: u8,
    /// The plans implementing it.
    pub plans: Vec<TreePlanView>,
}

/// A sub-plan in the plan page's tree.
pub struct TreePlanView {
    /// The plan.
    pub id: Id,
    /// Number, else title.
    pub name: String,
    /// Title.
    pub title: String,
    /// Issuing unit.
    pub issuer: String,
    /// Date of issue.
    pub date: String,
    /// State in words.
    pub state: String,
    /// Published.
    pub published: bool,
    /// Its own progress in words.
    pub progress: String,
    /// Its own progress for the bar.
    pub percent: u8,
    /// Its tasks with sub-plans in turn, already rendered.
    pub children: String,
}

/// The rule as the pages state it.
pub const RULE: &str = ROLLUP_RULE;

fn percent_words(p: Option<u8>) -> String {
    p.map_or_else(|| "chưa có số liệu".to_string(), |v| format!("{v}%"))
}

fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let cut: String = s.chars().take(max - 1).collect();
    format!("{}…", cut.trim_end())
}

#[derive(Template)]
#[template(path = "cascade_tree.html")]
struct TreeFragment<'a> {
    tasks: &'a [TreeTaskView],
    nested: bool,
}

fn view(tasks: Vec<TreeTask>) -> WebResult<Vec<TreeTaskView>> {
    tasks
        .into_iter()
        .map(|t| {
            let plans = t
                .sub_plans
                .into_iter()
                .map(|s| {
                    let children = view(s.tasks)?;
                    let children = if children.is_empty() {
                        String::new()
                    } else {
                        TreeFragment {
                            tasks: &children,
                            nested: true,
                        }
                        .render()
                        .map_err(crate::error::WebError::internal)?
                    };
                    Ok(TreePlanView {
                        id: s.plan_id.get(),
                        name: s.name,
                        title: s.title,
                        issuer: s.issuer,
                        date: date_opt(s.issued_on),
                        state: s.state,
                        published: s.published,
                        progress: percent_words(s.progress),
                        percent: s.progress.unwrap_or(0),
                        children,
                    })
                })
                .collect::<WebResult<Vec<_>>>()?;
            Ok(TreeTaskView {
                task_id: t.task_id.get(),
                reference: t.reference,
                content: shorten(&t.content, 220),
                rollup: percent_words(t.rollup),
                percent: t.rollup.unwrap_or(0),
                plans,
            })
        })
        .collect()
}

/// The plan page's tree, rendered (empty when no plan implements a task of this one), and
/// the rolled-up progress of each of the plan's tasks that has sub-plans, in words.
pub async fn tree_html(
    state: &AppState,
    viewer: Option<&User>,
    plan: &tinhgon_app::access::LoadedPlan,
) -> WebResult<(String, std::collections::HashMap<Id, String>)> {
    let tasks = view(cascade::tree(&state.db, viewer, plan).await?)?;
    if tasks.is_empty() {
        return Ok((String::new(), Default::default()));
    }
    let rollups = tasks
        .iter()
        .map(|t| {
            (
                t.task_id,
                format!("{} ({} kế hoạch cấp dưới)", t.rollup, t.plans.len()),
            )
        })
        .collect();
    let html = TreeFragment {
        tasks: &tasks,
        nested: false,
    }
    .render()
    .map_err(crate::error::WebError::internal)?;
    Ok((html, rollups))
}

/// The task page's roll-up line: (percentage in words, number of sub-plans), None when no
/// published plan implements the task.
pub async fn task_rollup(state: &AppState, task: Id) -> WebResult<Option<(String, usize)>> {
    let r = cascade::task_rollup(&state.db, TaskId(task)).await?;
    Ok((r.plans > 0).then(|| (percent_words(r.percent), r.plans)))
}
