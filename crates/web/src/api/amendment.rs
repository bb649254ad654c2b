//! An amending document (văn bản sửa đổi, bổ sung) over the API: the draft's review says which
//! plan it amends and lists its changes (`GET /api/plans/{plan}/review`, field `amendment`);
//! these endpoints choose the amended plan, keep or correct a change, and list a plan's
//! published amendments. Publishing is `POST /api/plans/{plan}/publish`, as for any draft.

use axum::extract::State;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use tinhgon_app::import::amendment::{self, AmendmentView, ChangeEditForm};
use tinhgon_domain::ids::PlanId;
use tinhgon_domain::model::Id;
use utoipa::ToSchema;

use crate::api::request::{ApiJson, ApiPath};
use crate::api::{Answer, BadRequest, Conflict, Done, Forbidden, NotFound, Unauthorized};
use crate::auth::Viewer;
use crate::AppState;

/// A plan named by the review.
#[derive(Serialize, ToSchema)]
pub struct PlanRef {
    /// The plan.
    pub id: i64,
    /// Its number, else its title.
    pub label: String,
}

/// A change the amending document makes.
#[derive(Serialize, ToSchema)]
pub struct ProposedChangeBody {
    /// Its position among the document's changes (for `/review/changes/{change_index}`).
    pub index: usize,
    /// `due`, `lead`, `task_add` or `task_withdraw`.
    pub kind: String,
    /// What it does, in words.
    pub label: String,
    /// The task's reference in the amended plan (or the added task's).
    pub task_ref: String,
    /// The clause as written.
    pub text: String,
    /// Applied when the amendment is published.
    pub keep: bool,
    /// The value now, in words.
    pub before: String,
    /// The value after, in words.
    pub after: String,
    /// Why it cannot be applied as it stands (null: it can).
    pub problem: Option<String>,
    /// New deadline as written.
    pub deadline: String,
    /// New lead as written.
    pub lead: String,
    /// The unit chosen for the new lead, if any.
    pub lead_unit: Option<i64>,
    /// An added task's content.
    pub content: String,
    /// An added task's coordinating agencies, separated by ";".
    pub coordinating: String,
}

/// What an amending draft amends and changes.
#[derive(Serialize, ToSchema)]
pub struct AmendmentBody {
    /// The amended document as the draft names it.
    pub amends: String,
    /// The published plan of the province with that number, if any.
    pub found: Option<PlanRef>,
    /// The plan chosen: the draft is imported as its amendment (null: as a plan of its own).
    pub chosen: Option<PlanRef>,
    /// Published plans to choose from when none was found.
    pub choices: Vec<PlanRef>,
    /// The changes, shown against the chosen plan (empty until one is chosen).
    pub changes: Vec<ProposedChangeBody>,
    /// The deciding document the changes will name.
    pub document: String,
}

fn plan_ref(c: amendment::PlanChoice) -> PlanRef {
    PlanRef {
        id: c.id.get(),
        label: c.label,
    }
}

impl From<AmendmentView> for AmendmentBody {
    fn from(v: AmendmentView) -> AmendmentBody {
        AmendmentBody {
            amends: v.names,
            found: v.found.map(plan_ref),
            chosen: v.chosen.map(plan_ref),
            choices: v.choices.into_iter().map(plan_ref).collect(),
            changes: v
                .changes
                .into_iter()
                .map(|c| ProposedChangeBody {
                    index: c.index,
                    kind: serde_json::to_value(c.kind)
                        .ok()
                        .and_then(|k| k.as_str().map(str::to_string))
                        .unwrap_or_default(),
                    label: c.kind.label_vi().into(),
                    task_ref: c.task_ref,
                    text: c.text,
                    keep: c.keep,
                    before: c.before,
                    after: c.after,
                    problem: c.problem,
                    deadline: c.deadline,
                    lead: c.lead,
                    lead_unit: c.lead_unit,
                    content: c.content,
                    coordinating: c.coordinating,
                })
                .collect(),
            document: v.document,
        }
    }
}

/// The plan a draft amends.
#[derive(Deserialize, ToSchema)]
pub struct AmendsBody {
    /// The published plan amended; null: import the draft as a plan of its own.
    #[serde(default)]
    pub plan: Option<i64>,
}

/// `POST /api/plans/{plan}/review/amends`: the draft imported as an amendment of a published
/// plan of the province, or as a plan of its own.
#[utoipa::path(post, path = "/api/plans/{plan}/review/amends", tag = "plans", request_body = AmendsBody,
    params(("plan" = i64, Path, description = "Kế hoạch (bản nháp của văn bản sửa đổi, bổ sung)")),
    responses((status = 200, body = Done), BadRequest, Unauthorized, Forbidden, NotFound, Conflict))]
pub async fn choose(
    State(state): State<AppState>,
    viewer: Viewer,
    ApiPath(id): ApiPath<Id>,
    ApiJson(b): ApiJson<AmendsBody>,
) -> Answer<Done> {
    let user = viewer.require()?;
    let msg = amendment::choose(&state.db, user, PlanId(id), b.plan.map(PlanId)).await?;
    Ok(axum::Json(Done::with_id(msg, id)))
}

/// A change kept, unticked or corrected.
#[derive(Deserialize, ToSchema)]
pub struct ChangeEditBody {
    /// Applied when the amendment is published.
    #[serde(default)]
    pub keep: bool,
    /// The task's reference in the amended plan (or the added task's).
    #[serde(default)]
    pub task_ref: String,
    /// New deadline as written (a deadline change, an added task).
    #[serde(default)]
    pub deadline: String,
    /// The unit of the new lead; null: read from the name the document writes.
    #[serde(default)]
    pub lead_unit: Option<i64>,
    /// An added task's content.
    #[serde(default)]
    pub content: String,
    /// An added task's coordinating agencies, separated by ";".
    #[serde(default)]
    pub coordinating: String,
}

/// `POST /api/plans/{plan}/review/changes/{change_index}`: a change of the amending draft kept,
/// unticked or corrected.
#[utoipa::path(post, path = "/api/plans/{plan}/review/changes/{change_index}", tag = "plans", request_body = ChangeEditBody,
    params(("plan" = i64, Path, description = "Kế hoạch (bản nháp của văn bản sửa đổi, bổ sung)"),
        ("change_index" = u32, Path, description = "Vị trí điều chỉnh trong văn bản, từ 0")),
    responses((status = 200, body = Done), BadRequest, Unauthorized, Forbidden, NotFound, Conflict))]
pub async fn edit_change(
    State(state): State<AppState>,
    viewer: Viewer,
    ApiPath((id, index)): ApiPath<(Id, usize)>,
    ApiJson(b): ApiJson<ChangeEditBody>,
) -> Answer<Done> {
    let user = viewer.require()?;
    let form = ChangeEditForm {
        keep: b.keep.then(|| "1".to_string()),
        task_ref: b.task_ref,
        deadline: b.deadline,
        lead_unit: b.lead_unit.map(|u| u.to_string()).unwrap_or_default(),
        content: b.content,
        coordinating: b.coordinating,
    };
    amendment::edit_change(&state.db, user, PlanId(id), index, form).await?;
    Ok(axum::Json(Done::with_id("Đã lưu điều chỉnh.", id)))
}

/// A published amendment of a plan.
#[derive(Serialize, ToSchema)]
pub struct AmendmentItem {
    /// The amending document (its plan).
    pub id: i64,
    /// Its number.
    pub number: Option<String>,
    /// Its title.
    pub title: Option<String>,
    /// Its date of issue.
    pub date: Option<NaiveDate>,
    /// Changes it made to the plan.
    pub changes: i64,
}

/// `GET /api/plans/{plan}/amendments`: the amending documents applied to the plan.
#[utoipa::path(get, path = "/api/plans/{plan}/amendments", tag = "plans",
    params(("plan" = i64, Path, description = "Kế hoạch")),
    responses((status = 200, body = [AmendmentItem]), Unauthorized, NotFound))]
pub async fn list(
    State(state): State<AppState>,
    viewer: Viewer,
    ApiPath(plan): ApiPath<PlanId>,
) -> Answer<Vec<AmendmentItem>> {
    let rows = amendment::amendments(&state.db, viewer.account(), plan).await?;
    Ok(axum::Json(
        rows.into_iter()
            .map(|r| AmendmentItem {
                id: r.id,
                number: r.number,
                title: r.title,
                date: r.issued_on,
                changes: r.changes,
            })
            .collect(),
    ))
}
