//! The review of an amending document (văn bản sửa đổi, bổ sung): the panel the review page
//! shows for it (the plan it amends, found or to pick; its changes before → after, each to
//! keep, untick or correct), and the two forms it posts. Publishing goes through the review's
//! own publish route.

use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;
use tinhgon_app::access::LoadedPlan;
use tinhgon_app::import::amendment::{self, AmendmentView, ChangeEditForm};
use tinhgon_domain::amendment::ChangeDraftKind;
use tinhgon_domain::ids::PlanId;
use tinhgon_domain::model::Id;
use tinhgon_domain::user::User;

use crate::auth::Viewer;
use crate::error::WebResult;
use crate::pages::redirect_ok;
use crate::request::{Form, Path};
use crate::AppState;

/// A change as the panel shows it.
pub struct ChangeRow {
    /// Position among the amendment's changes.
    pub index: usize,
    /// "Điều chỉnh thời hạn" …
    pub label: &'static str,
    /// `due`, `lead`, `task_add` or `task_withdraw`: which fields the form shows.
    pub kind: &'static str,
    /// Task reference.
    pub task_ref: String,
    /// The clause as written.
    pub text: String,
    /// Kept.
    pub keep: bool,
    /// Before, in words ("—" when nothing).
    pub before: String,
    /// After, in words.
    pub after: String,
    /// Why it cannot be applied.
    pub problem: String,
    /// New deadline as written.
    pub deadline: String,
    /// New lead as written.
    pub lead: String,
    /// The unit chosen for the new lead (0: read from the written name).
    pub lead_unit: Id,
    /// An added task's content.
    pub content: String,
    /// An added task's coordinating agencies.
    pub coordinating: String,
    /// First source line.
    pub line: usize,
}

/// The amendment panel of the review page.
pub struct Panel {
    /// The amended document as written.
    pub names: String,
    /// The published plan with that number: (id, label).
    pub found: Option<(Id, String)>,
    /// The plan chosen: (id, label).
    pub chosen: Option<(Id, String)>,
    /// Plans to pick from.
    pub choices: Vec<(Id, String)>,
    /// The changes.
    pub changes: Vec<ChangeRow>,
    /// The deciding document.
    pub document: String,
    /// A kept change cannot be applied.
    pub blocked: bool,
    /// Kept changes.
    pub kept: usize,
}

fn kind_name(k: ChangeDraftKind) -> &'static str {
    match k {
        ChangeDraftKind::Due => "due",
        ChangeDraftKind::Lead => "lead",
        ChangeDraftKind::TaskAdd => "task_add",
        ChangeDraftKind::TaskWithdraw => "task_withdraw",
    }
}

fn dash(s: String) -> String {
    if s.is_empty() {
        "—".into()
    } else {
        s
    }
}

impl From<AmendmentView> for Panel {
    fn from(v: AmendmentView) -> Panel {
        let blocked = v.blocked();
        Panel {
            names: v.names,
            found: v.found.map(|f| (f.id.get(), f.label)),
            chosen: v.chosen.map(|f| (f.id.get(), f.label)),
            choices: v
                .choices
                .into_iter()
                .map(|c| (c.id.get(), c.label))
                .collect(),
            kept: v.changes.iter().filter(|c| c.keep).count(),
            changes: v
                .changes
                .into_iter()
                .map(|c| ChangeRow {
                    index: c.index,
                    label: c.kind.label_vi(),
                    kind: kind_name(c.kind),
                    task_ref: c.task_ref,
                    text: c.text,
                    keep: c.keep,
                    before: dash(c.before),
                    after: dash(c.after),
                    problem: c.problem.unwrap_or_default(),
                    deadline: c.deadline,
                    lead: c.lead,
                    lead_unit: c.lead_unit.unwrap_or(0),
                    content: c.content,
                    coordinating: c.coordinating,
                    line: c.lines.0,
                })
                .collect(),
            document: v.document,
            blocked,
        }
    }
}

/// The panel for draft `p`, None for a plan of its own.
pub async fn panel(state: &AppState, user: &User, p: &LoadedPlan) -> WebResult<Option<Panel>> {
    Ok(amendment::view(&state.db, user, p).await?.map(Panel::from))
}

/// The plan chosen as the one amended (empty: import as a plan of its own).
#[derive(Deserialize)]
pub struct AmendsForm {
    #[serde(default)]
    plan: String,
}

/// `POST /plans/{plan}/review/amends`: the draft is imported as an amendment of the plan
/// chosen, or as a plan of its own.
pub async fn choose(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<Id>,
    Form(f): Form<AmendsForm>,
) -> WebResult<Response> {
    let user = viewer.require()?;
    let target = match f.plan.trim() {
        "" => None,
        raw => Some(PlanId(raw.parse().map_err(|_| {
            tinhgon_app::AppError::invalid("plan", "Vui lòng chọn kế hoạch trong danh sách.")
        })?)),
    };
    let msg = amendment::choose(&state.db, user, PlanId(id), target).await?;
    Ok(redirect_ok(
        &state,
        &format!("/plans/{id}/review#amendment"),
        &msg,
    ))
}

/// `POST /plans/{plan}/review/changes/{change_index}`: a change kept, unticked or corrected.
pub async fn edit_change(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((id, index)): Path<(Id, usize)>,
    Form(f): Form<ChangeEditForm>,
) -> WebResult<Response> {
    let user = viewer.require()?;
    amendment::edit_change(&state.db, user, PlanId(id), index, f).await?;
    Ok(redirect_ok(
        &state,
        &format!("/plans/{id}/review#change-{index}"),
        "Đã lưu điều chỉnh.",
    ))
}
