//! Urging a unit about its overdue assignments, from the dashboard.

use axum::extract::State;
use axum::response::Response;
use tinhgon_app::urging;
use tinhgon_domain::ids::UnitId;

use crate::auth::Viewer;
use crate::error::WebResult;
use crate::pages::redirect_ok;
use crate::request::Path;
use crate::AppState;

/// `POST /units/{unit}/urge`.
pub async fn urge(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(unit): Path<UnitId>,
) -> WebResult<Response> {
    let user = viewer.require()?.clone();
    let province = crate::auth::viewer_province(&state, &viewer).await?;
    let n = urging::urge_in_province(&state.db, &user, province, unit).await?;
    Ok(redirect_ok(
        &state,
        "/dashboard",
        &format!("Đã gửi thông báo đôn đốc {n} nhiệm vụ quá hạn."),
    ))
}
