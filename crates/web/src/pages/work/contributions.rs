//! A coordinating unit's contribution to a task.

use axum::extract::State;
use axum::response::Response;
use tinhgon_app::contributions;
use tinhgon_domain::ids::TaskId;

use super::obstacles::TextForm;
use crate::auth::Viewer;
use crate::error::WebResult;
use crate::pages::redirect_ok;
use crate::request::{Form, Path};
use crate::AppState;

/// `POST /tasks/{task}/contributions`: a coordinating unit adds its contribution.
pub async fn contribute(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(task): Path<TaskId>,
    Form(f): Form<TextForm>,
) -> WebResult<Response> {
    let user = viewer.require()?.clone();
    contributions::contribute(&state.db, &user, task, &f.text).await?;
    Ok(redirect_ok(
        &state,
        "/inbox",
        "Đã ghi nhận ý kiến phối hợp.",
    ))
}
