//! Plans: list, a plan with its tasks and assignments, and the public flag. Import, review and
//! publication are in [`crate::api::review`].

use axum::extract::State;
use chrono::{DateTime, NaiveDate};
use serde::{Deserialize, Serialize};
use tinhgon_app::plans::{visible_plans_page, PageQuery};
use tinhgon_app::{access, publishing};
use tinhgon_domain::ids::PlanId;
use tinhgon_domain::model::Id;
use tinhgon_domain::plan::PlanState;
use tinhgon_store::web_queries as wq;
use utoipa::{IntoParams, ToSchema};

use crate::api::request::{ApiJson, ApiPath, ApiQuery};
use crate::api::{Answer, BadRequest, Done, Forbidden, NotFound, Unauthorized};
use crate::auth::Viewer;
use crate::view::{class_today, today};
use crate::AppState;

/// A plan in a list.
#[derive(Serialize, ToSchema)]
pub struct PlanSummary {
    /// Identifier.
    pub id: i64,
    /// Number ("615/KH-UBND").
    pub number: Option<String>,
    /// Title.
    pub title: Option<String>,
    /// `draft`, `published` or `archived`.
    pub state: String,
}

/// A plan as the plan list gives it.
#[derive(Serialize, ToSchema)]
pub struct PlanListItem {
    /// Identifier.
    pub id: i64,
    /// Number ("615/KH-UBND").
    pub number: Option<String>,
    /// Title.
    pub title: Option<String>,
    /// `draft`, `published` or `archived`.
    pub state: String,
    /// Issue date.
    pub issued_on: Option<NaiveDate>,
    /// Issuer as written.
    pub issuer: Option<String>,
    /// Tasks (0 for a draft).
    pub tasks: i64,
    /// Assignments.
    pub assignments: i64,
    /// Assignments confirmed done.
    pub done: i64,
}

fn state_name(s: PlanState) -> String {
    match s {
        PlanState::Draft => "draft",
        PlanState::Published => "published",
        PlanState::Archived => "archived",
    }
    .into()
}

/// `?page=&per_page=` of the plan list.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PlanListParams {
    /// Page, from 1 (default 1; a page past the end is empty).
    pub page: Option<u32>,
    /// Plans per page (1–200, default 50; other values are brought into that range).
    pub per_page: Option<u32>,
    /// Only plans in this state: `draft`, `published` or `archived`.
    pub state: Option<String>,
    /// Only plans whose number or title contains this text (diacritics optional).
    pub q: Option<String>,
}

/// One page of the plans the caller may read, newest first.
#[derive(Serialize, ToSchema)]
pub struct PlanList {
    /// Plans the caller may read, over all pages.
    pub total: i64,
    /// This page, from 1.
    pub page: u32,
    /// Plans per page.
    pub per_page: u32,
    /// This page's plans.
    pub items: Vec<PlanListItem>,
}

/// `GET /api/plans`: the plans the caller may read, one page at a time.
#[utoipa::path(get, path = "/api/plans", tag = "plans", params(PlanListParams),
    responses((status = 200, body = PlanList), BadRequest, Unauthorized))]
pub async fn list(
    State(state): State<AppState>,
    viewer: Viewer,
    ApiQuery(q): ApiQuery<PlanListParams>,
) -> Answer<PlanList> {
    let user = viewer.require()?;
    let province = crate::auth::listing_province(&state, &viewer).await?;
    let v = visible_plans_page(
        &state.db,
        user,
        province,
        PageQuery {
            page: q.page,
            per_page: q.per_page,
            state: q.state,
            q: q.q,
        },
    )
    .await?;
    Ok(axum::Json(PlanList {
        total: v.total,
        page: v.page,
        per_page: v.per_page,
        items: v
            .plans
            .into_iter()
            .map(|p| PlanListItem {
                id: p.id,
                number: p.number,
                title: p.title,
                state: state_name(p.state),
                issued_on: p.issued_on,
                issuer: p.issuer,
                tasks: p.tasks,
                assignments: p.assignments,
                done: p.done,
            })
            .collect(),
    }))
}

/// An assignment of a task, as the plan lists it.
#[derive(Serialize, ToSchema)]
pub struct PlanAssignment {
    /// Identifier.
    pub id: i64,
    /// Responsible unit.
    pub unit_id: i64,
    /// Its name.
    pub unit: String,
    /// Workflow status (stable name).
    pub status: String,
    /// Status class today (`overdue`, `in_progress` …; none when cancelled).
    pub class: Option<String>,
    /// Due date in force.
    pub due: Option<NaiveDate>,
    /// Latest reported percentage.
    pub percent: Option<i64>,
}

/// A task of a published plan.
#[derive(Serialize, ToSchema)]
pub struct PlanTask {
    /// Identifier.
    pub id: i64,
    /// Reference in the plan ("1.2", "PL.13").
    pub reference: String,
    /// Content.
    pub content: String,
    /// Deadline as written.
    pub deadline: String,
    /// Deadline kind (`fixed`, `conditional`, `ongoing` …).
    pub deadline_kind: String,
    /// When a conditional task's event happened.
    pub triggered_on: Option<NaiveDate>,
    /// Expected product.
    pub deliverable: Option<String>,
    /// Coordinating units (names, or the text as written when not in the register).
    pub coordinating: Vec<String>,
    /// Assignments.
    pub assignments: Vec<PlanAssignment>,
}

/// A legal basis of the plan.
#[derive(Serialize, ToSchema)]
pub struct LegalBasis {
    /// As written.
    pub text: String,
    /// The plan it names, when known here.
    pub plan_id: Option<i64>,
}

/// A plan with its tasks and assignments.
#[derive(Serialize, ToSchema)]
pub struct PlanDetail {
    /// Identifier.
    pub id: i64,
    /// Number.
    pub number: Option<String>,
    /// Title.
    pub title: Option<String>,
    /// Issuer as written.
    pub issuer: Option<String>,
    /// Issue date.
    pub date: Option<NaiveDate>,
    /// `draft`, `published` or `archived`.
    pub state: String,
    /// Shown on public pages.
    pub public: bool,
    /// Province.
    pub province_id: Option<i64>,
    /// Published.
    pub published_at: Option<DateTime<chrono::Utc>>,
    /// Legal bases.
    pub legal_bases: Vec<LegalBasis>,
    /// The plan whose task this plan implements.
    pub parent_plan_id: Option<i64>,
    /// Plans implementing its tasks.
    pub sub_plans: Vec<PlanSummary>,
    /// Tasks (empty for a draft: see its review).
    pub tasks: Vec<PlanTask>,
}

/// `GET /api/plans/{plan}`.
#[utoipa::path(get, path = "/api/plans/{plan}", tag = "plans",
    params(("plan" = i64, Path, description = "Kế hoạch")),
    responses((status = 200, body = PlanDetail), Unauthorized, NotFound))]
pub async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    ApiPath(id): ApiPath<Id>,
) -> Answer<PlanDetail> {
    let p = access::readable_plan(&state.db, viewer.account(), PlanId(id)).await?;
    let meta = &p.rec.plan.meta;
    let names = wq::unit_names(&state.db, p.rec.province_id).await?;
    let mut tasks = Vec::new();
    if p.rec.plan.state != PlanState::Draft {
        let work = wq::plan_work(&state.db, id).await?;
        let coords = wq::plan_coordinators(&state.db, id).await?;
        let now = today();
        for (tid, reference, content, deadline, kind, trig, deliverable) in
            wq::plan_tasks(&state.db, id).await?
        {
            tasks.push(PlanTask {
                id: tid,
                reference,
                content,
                deadline,
                deadline_kind: kind,
                triggered_on: trig,
                deliverable,
                coordinating: coords
                    .iter()
                    .filter(|c| c.0 == tid)
                    .map(|c| {
                        c.1.and_then(|u| names.get(&u).cloned())
                            .unwrap_or_else(|| c.2.clone())
                    })
                    .collect(),
                assignments: work
                    .iter()
                    .filter(|w| w.task_id == tid)
                    .map(|w| PlanAssignment {
                        id: w.id,
                        unit_id: w.unit_id,
                        unit: names.get(&w.unit_id).cloned().unwrap_or_default(),
                        status: w.status.clone(),
                        class: class_today(w, now).map(|c| c.as_str().to_string()),
                        due: w.due,
                        percent: w.percent,
                    })
                    .collect(),
            });
        }
    }
    let mut legal_bases = Vec::new();
    for b in &meta.legal_bases {
        let plan_id = match &b.number {
            Some(n) => wq::plan_by_number(&state.db, n).await?.filter(|l| *l != id),
            None => None,
        };
        legal_bases.push(LegalBasis {
            text: b.text.clone(),
            plan_id,
        });
    }
    let parent_plan_id = match p.rec.plan.parent_task_id {
        Some(t) => wq::task_plan(&state.db, t).await?.map(|(pid, _)| pid),
        None => None,
    };
    let sub_plans = wq::sub_plans(&state.db, id)
        .await?
        .into_iter()
        .map(|(sid, number, title)| PlanSummary {
            id: sid,
            number,
            title,
            state: "published".into(),
        })
        .collect();
    Ok(axum::Json(PlanDetail {
        id,
        number: meta.number.clone(),
        title: meta.title.clone(),
        issuer: meta.issuer.clone(),
        date: meta.date,
        state: state_name(p.rec.plan.state),
        public: p.rec.plan.public,
        province_id: p.rec.province_id,
        published_at: p.rec.published_at,
        legal_bases,
        parent_plan_id,
        sub_plans,
        tasks,
    }))
}

/// The public flag.
#[derive(Deserialize, ToSchema)]
pub struct PublicBody {
    /// True to show the plan on public pages.
    pub public: bool,
}

/// `POST /api/plans/{plan}/public`.
#[utoipa::path(post, path = "/api/plans/{plan}/public", tag = "plans", request_body = PublicBody,
    params(("plan" = i64, Path, description = "Kế hoạch")),
    responses((status = 200, body = Done), BadRequest, Unauthorized, Forbidden, NotFound))]
pub async fn set_public(
    State(state): State<AppState>,
    viewer: Viewer,
    ApiPath(id): ApiPath<Id>,
    ApiJson(b): ApiJson<PublicBody>,
) -> Answer<Done> {
    let user = viewer.require()?.clone();
    publishing::set_public(&state.db, &user, PlanId(id), b.public).await?;
    Ok(axum::Json(Done::with_id(
        if b.public {
            "Kế hoạch đã được công khai."
        } else {
            "Đã thôi công khai kế hoạch."
        },
        id,
    )))
}
