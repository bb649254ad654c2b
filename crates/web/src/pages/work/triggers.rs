//! A conditional task's event happened: its deadline starts.

use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;
use tinhgon_app::triggers;
use tinhgon_domain::ids::TaskId;

use crate::auth::Viewer;
use crate::error::WebResult;
use crate::pages::redirect_ok;
use crate::request::{Form, Path};
use crate::view::date;
use crate::AppState;

/// Day the condition happened.
#[derive(Deserialize)]
pub struct TriggerForm {
    #[serde(default)]
    on: String,
}

/// `POST /tasks/{task}/trigger`: a conditional task's event happened; its deadline starts.
pub async fn trigger(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(task): Path<TaskId>,
    Form(f): Form<TriggerForm>,
) -> WebResult<Response> {
    let user = viewer.require()?.clone();
    let (plan_id, on) = triggers::mark_triggered(&state.db, &user, task, &f.on).await?;
    let text = format!(
        "Đã ghi nhận điều kiện xảy ra ngày {}; thời hạn bắt đầu tính.",
        date(on)
    );
    Ok(redirect_ok(&state, &format!("/plans/{plan_id}"), &text))
}
