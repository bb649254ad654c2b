//! Obstacles: the unit raises one, the monitor answers it or refers it to the leaders, whose
//! opinion answers it.

use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;
use tinhgon_app::obstacles;
use tinhgon_domain::ids::{AssignmentId, ObstacleId};

use crate::auth::Viewer;
use crate::error::WebResult;
use crate::pages::redirect_ok;
use crate::request::{Form, Path};
use crate::AppState;

/// A text field (obstacles, answers, contributions).
#[derive(Deserialize)]
pub struct TextForm {
    /// The text.
    pub text: String,
    /// The key of the form's render (see `submission` of the assignment page): a form sent
    /// twice records once.
    #[serde(default)]
    pub submission_key: Option<String>,
}

/// `POST /assignments/{assignment}/obstacle`.
pub async fn raise_obstacle(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<AssignmentId>,
    Form(f): Form<TextForm>,
) -> WebResult<Response> {
    let user = viewer.require()?.clone();
    obstacles::raise(&state.db, &user, id, &f.text, f.submission_key.as_deref()).await?;
    Ok(redirect_ok(
        &state,
        &format!("/assignments/{id}"),
        "Đã gửi vướng mắc tới cơ quan theo dõi.",
    ))
}

/// `POST /obstacles/{obstacle}/answer`.
pub async fn answer_obstacle(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(oid): Path<ObstacleId>,
    Form(f): Form<TextForm>,
) -> WebResult<Response> {
    let user = viewer.require()?.clone();
    let aid = obstacles::answer(&state.db, &user, oid, &f.text).await?;
    Ok(redirect_ok(
        &state,
        &format!("/assignments/{aid}"),
        "Đã trả lời vướng mắc.",
    ))
}

/// The monitor's referral of an obstacle.
#[derive(Deserialize)]
pub struct ReferForm {
    /// `leader` or `people_committee`.
    #[serde(default)]
    pub addressee: String,
    /// The monitor's proposal.
    #[serde(default)]
    pub proposal: String,
}

/// `POST /obstacles/{obstacle}/refer`.
pub async fn refer_obstacle(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(oid): Path<ObstacleId>,
    Form(f): Form<ReferForm>,
) -> WebResult<Response> {
    let user = viewer.require()?.clone();
    let aid = obstacles::refer(&state.db, &user, oid, &f.addressee, &f.proposal).await?;
    Ok(redirect_ok(
        &state,
        &format!("/assignments/{aid}"),
        "Đã gửi báo cáo xin ý kiến; lãnh đạo UBND tỉnh đã được thông báo.",
    ))
}

/// `POST /referrals/{referral}/opinion`.
pub async fn give_opinion(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(rid): Path<i64>,
    Form(f): Form<TextForm>,
) -> WebResult<Response> {
    let user = viewer.require()?.clone();
    let aid = obstacles::give_opinion(&state.db, &user, rid, &f.text).await?;
    Ok(redirect_ok(
        &state,
        &format!("/assignments/{aid}"),
        "Đã gửi ý kiến; đơn vị và cơ quan theo dõi đã được thông báo.",
    ))
}
