//! Obstacles referred to the leaders: the monitor refers one with a proposal, a leader (or the
//! monitor recording a written opinion) answers it, and both list what waits.

use axum::extract::State;
use serde::{Deserialize, Serialize};
use tinhgon_app::obstacles;
use tinhgon_domain::ids::ObstacleId;
use utoipa::ToSchema;

use crate::api::request::{ApiJson, ApiPath};
use crate::api::work::TextBody;
use crate::api::{Answer, BadRequest, Conflict, Done, Forbidden, NotFound, Unauthorized};
use crate::auth::Viewer;
use crate::AppState;

/// A referral of an obstacle.
#[derive(Deserialize, ToSchema)]
pub struct ReferBody {
    /// `leader` (the UBND leader in charge) or `people_committee` (the UBND tỉnh).
    #[serde(default)]
    pub addressee: String,
    /// The monitor's proposal.
    #[serde(default)]
    pub proposal: String,
}

/// `POST /api/obstacles/{obstacle}/refer` (monitor): the obstacle goes to the leaders with
/// the monitor's proposal, and leaves the approval queue.
#[utoipa::path(post, path = "/api/obstacles/{obstacle}/refer", tag = "monitor", request_body = ReferBody,
    params(("obstacle" = i64, Path, description = "Vướng mắc")),
    responses((status = 200, body = Done), BadRequest, Unauthorized, Forbidden, NotFound, Conflict))]
pub async fn refer(
    State(state): State<AppState>,
    viewer: Viewer,
    ApiPath(oid): ApiPath<ObstacleId>,
    ApiJson(b): ApiJson<ReferBody>,
) -> Answer<Done> {
    let user = viewer.require()?.clone();
    let aid = obstacles::refer(&state.db, &user, oid, &b.addressee, &b.proposal).await?;
    Ok(axum::Json(Done::with_id("Đã gửi báo cáo xin ý kiến.", aid)))
}

/// `POST /api/referrals/{referral}/opinion` (leader; monitor recording a written opinion):
/// the opinion answers the obstacle and goes back to the unit.
#[utoipa::path(post, path = "/api/referrals/{referral}/opinion", tag = "monitor", request_body = TextBody,
    params(("referral" = i64, Path, description = "Báo cáo xin ý kiến")),
    responses((status = 200, body = Done), BadRequest, Unauthorized, Forbidden, NotFound, Conflict))]
pub async fn opinion(
    State(state): State<AppState>,
    viewer: Viewer,
    ApiPath(rid): ApiPath<i64>,
    ApiJson(b): ApiJson<TextBody>,
) -> Answer<Done> {
    let user = viewer.require()?.clone();
    let aid = obstacles::give_opinion(&state.db, &user, rid, &b.text).await?;
    Ok(axum::Json(Done::with_id("Đã gửi ý kiến.", aid)))
}

/// A referral waiting for its opinion.
#[derive(Serialize, ToSchema)]
pub struct WaitingReferral {
    /// The referral (what `POST /api/referrals/{referral}/opinion` takes).
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
    /// The unit's obstacle.
    pub obstacle: String,
    /// The monitor's proposal.
    pub proposal: String,
    /// `leader` or `people_committee`.
    pub addressee: String,
    /// When it was referred.
    pub referred_at: chrono::DateTime<chrono::Utc>,
}

/// `GET /api/referrals` (leader, monitor): referrals of the caller's province waiting for an
/// opinion, oldest first.
#[utoipa::path(get, path = "/api/referrals", tag = "monitor",
    responses((status = 200, body = Vec<WaitingReferral>), Unauthorized, Forbidden))]
pub async fn list(State(state): State<AppState>, viewer: Viewer) -> Answer<Vec<WaitingReferral>> {
    let user = viewer.require()?;
    let province = crate::auth::listing_province(&state, &viewer).await?;
    let items = obstacles::waiting(&state.db, user, province).await?;
    Ok(axum::Json(
        items
            .into_iter()
            .map(|w| WaitingReferral {
                id: w.id,
                assignment_id: w.assignment_id,
                plan_number: w.plan_number,
                task_ref: w.task_ref,
                content: w.content,
                unit: w.unit,
                obstacle: w.obstacle,
                proposal: w.proposal,
                addressee: w.addressee,
                referred_at: w.referred_at,
            })
            .collect(),
    ))
}
