//! The monitor's decision on an assignment: confirm, return or cancel.

use axum::extract::State;
use axum::response::Response;
use tinhgon_app::decisions::{self, DecisionForm};
use tinhgon_domain::ids::AssignmentId;

use crate::auth::Viewer;
use crate::error::WebResult;
use crate::pages::redirect_ok;
use crate::request::{Form, Path};
use crate::AppState;

/// `POST /assignments/{assignment}/decide`: the monitor confirms or returns a proposed completion.
pub async fn decide(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<AssignmentId>,
    Form(f): Form<DecisionForm>,
) -> WebResult<Response> {
    let user = viewer.require()?.clone();
    let (_, msg) = decisions::decide(&state.db, &user, id, f).await?;
    Ok(redirect_ok(&state, &format!("/assignments/{id}"), msg))
}
