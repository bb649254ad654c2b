//! Extension requests: the unit files one, the monitor approves or refuses it.

use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;
use tinhgon_app::extensions::{self, ExtensionForm};
use tinhgon_domain::ids::{AssignmentId, ExtensionRequestId};

use crate::auth::Viewer;
use crate::error::WebResult;
use crate::pages::redirect_ok;
use crate::request::{Form, Path};
use crate::AppState;

/// `POST /assignments/{assignment}/extension`.
pub async fn request_extension(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<AssignmentId>,
    Form(f): Form<ExtensionForm>,
) -> WebResult<Response> {
    let user = viewer.require()?.clone();
    extensions::request(&state.db, &user, id, f).await?;
    Ok(redirect_ok(
        &state,
        &format!("/assignments/{id}"),
        "Đã gửi đề nghị gia hạn.",
    ))
}

/// Approve or refuse an extension.
#[derive(Deserialize)]
pub struct ExtensionDecision {
    approve: String,
    #[serde(default)]
    note: String,
}

/// `POST /extensions/{extension}/decide`.
pub async fn decide_extension(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(eid): Path<ExtensionRequestId>,
    Form(f): Form<ExtensionDecision>,
) -> WebResult<Response> {
    let user = viewer.require()?.clone();
    let approve = f.approve == "1";
    let aid = extensions::decide(&state.db, &user, eid, approve, &f.note).await?;
    Ok(redirect_ok(
        &state,
        &format!("/assignments/{aid}"),
        if approve {
            "Đã đồng ý gia hạn."
        } else {
            "Đã từ chối gia hạn."
        },
    ))
}
