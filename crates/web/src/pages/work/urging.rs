//! Urging a unit about its overdue assignments, from the dashboard.

use axum::extract::State;
use axum::response::Response;
use tinhgon_app::urging::{self, UrgeForm};
use tinhgon_domain::ids::UnitId;

use crate::auth::Viewer;
use crate::error::WebResult;
use crate::pages::redirect_ok;
use crate::request::{Form, Path};
use crate::AppState;

/// `POST /units/{unit}/urge`.
pub async fn urge(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(unit): Path<UnitId>,
    Form(f): Form<UrgeForm>,
) -> WebResult<Response> {
    let user = viewer.require()?.clone();
    let province = crate::auth::viewer_province(&state, &viewer).await?;
    let n = urging::urge_in_province(
        &state.db,
        &user,
        province,
        unit,
        &f,
        state.config.escalate_after,
    )
    .await?;
    Ok(redirect_ok(
        &state,
        "/dashboard",
        &format!("Đã gửi thông báo đôn đốc {n} nhiệm vụ quá hạn."),
    ))
}

/// `POST /urging`: several units urged at once with the same words (repeated `unit` fields,
/// which the usual form decoder does not take).
pub async fn urge_many(
    State(state): State<AppState>,
    viewer: Viewer,
    body: axum::body::Bytes,
) -> WebResult<Response> {
    let user = viewer.require()?.clone();
    let province = crate::auth::viewer_province(&state, &viewer).await?;
    let mut units = Vec::new();
    let mut form = UrgeForm::default();
    for (k, v) in form_urlencoded::parse(&body) {
        match k.as_ref() {
            "unit" => units.push(UnitId(v.parse().map_err(|_| {
                crate::error::WebError::BadRequest("Đơn vị được chọn không hợp lệ.".into())
            })?)),
            "message" => form.message = v.into_owned(),
            "reply_by" => form.reply_by = v.into_owned(),
            _ => {}
        }
    }
    let out = urging::urge_many(
        &state.db,
        &user,
        province,
        &units,
        &form,
        state.config.escalate_after,
    )
    .await?;
    let mut text = format!(
        "Đã gửi thông báo đôn đốc tới {} đơn vị về {} nhiệm vụ quá hạn.",
        out.units, out.assignments
    );
    if !out.failed.is_empty() {
        text.push_str(&format!(" Chưa gửi: {}.", out.failed.join("; ")));
    }
    Ok(redirect_ok(&state, "/dashboard", &text))
}
