//! The unit's progress report (with evidence files) and its proposal of completion.

use axum::extract::{Multipart, State};
use axum::response::Response;
use serde::Deserialize;
use tinhgon_app::access;
use tinhgon_app::progress::{self, ProgressForm};
use tinhgon_domain::ids::AssignmentId;

use crate::auth::Viewer;
use crate::error::WebResult;
use crate::pages::redirect_ok;
use crate::request::{Form, Path};
use crate::AppState;

/// `POST /assignments/{assignment}/progress` (multipart: text, percent, evidence files).
pub async fn progress(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<AssignmentId>,
    mut mp: Multipart,
) -> WebResult<Response> {
    let user = viewer.require()?.clone();
    // Rights first: a refused caller's files are never read or stored.
    access::own_assignment(&state.db, &user, id).await?;
    let mut form = ProgressForm::default();
    while let Some(field) = mp.next_field().await? {
        match field.name().unwrap_or("") {
            "text" => form.text = field.text().await?,
            "submission_key" => form.submission_key = Some(field.text().await?),
            "percent" => form.percent = progress::parse_percent(&field.text().await?)?,
            "evidence" => {
                let name = field.file_name().unwrap_or("minh-chung").to_string();
                let bytes = field.bytes().await?;
                if !bytes.is_empty() {
                    form.files.push((name, bytes.to_vec()));
                }
            }
            _ => {}
        }
    }
    progress::report_progress(&state.db, &state.config.data_dir, &user, id, form).await?;
    Ok(redirect_ok(
        &state,
        &format!("/assignments/{id}"),
        "Đã gửi báo cáo tiến độ.",
    ))
}

/// A note field.
#[derive(Deserialize)]
pub struct NoteForm {
    #[serde(default)]
    note: String,
}

/// `POST /assignments/{assignment}/propose`: the unit proposes completion.
pub async fn propose(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<AssignmentId>,
    Form(f): Form<NoteForm>,
) -> WebResult<Response> {
    let user = viewer.require()?.clone();
    progress::propose_completion(&state.db, &user, id, &f.note).await?;
    Ok(redirect_ok(
        &state,
        &format!("/assignments/{id}"),
        "Đã gửi đề nghị xác nhận hoàn thành tới cơ quan theo dõi.",
    ))
}
