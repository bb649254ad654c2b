//! Comments on an assignment: the thread and a new comment, with the page's rights.

use axum::extract::State;
use axum::http::HeaderMap;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use tinhgon_app::comments::{self, CommentForm};
use tinhgon_domain::ids::AssignmentId;
use utoipa::ToSchema;

use crate::api::request::{ApiJson, ApiPath};
use crate::api::work::idempotency_key;
use crate::api::{Answer, BadRequest, Done, Forbidden, NotFound, Unauthorized};
use crate::auth::Viewer;
use crate::AppState;

/// A comment.
#[derive(Serialize, ToSchema)]
pub struct Comment {
    /// Identifier.
    pub id: i64,
    /// Author's account.
    pub author_id: i64,
    /// Author's name.
    pub author: String,
    /// Author's unit when writing (none for a monitor without one).
    pub unit: Option<String>,
    /// Text.
    pub text: String,
    /// When.
    pub created_at: DateTime<Utc>,
}

/// A new comment.
#[derive(Deserialize, ToSchema)]
pub struct NewComment {
    /// Text (required, at most 4000 characters).
    pub text: String,
}

/// `GET /api/assignments/{assignment}/comments`: the comments, oldest first.
#[utoipa::path(get, path = "/api/assignments/{assignment}/comments", tag = "work",
    params(("assignment" = i64, Path, description = "Phân công")),
    responses((status = 200, body = Vec<Comment>), Unauthorized, Forbidden, NotFound))]
pub async fn list(
    State(state): State<AppState>,
    viewer: Viewer,
    ApiPath(id): ApiPath<AssignmentId>,
) -> Answer<Vec<Comment>> {
    let user = viewer.require()?.clone();
    let rows = comments::list(&state.db, &user, id).await?;
    Ok(axum::Json(
        rows.into_iter()
            .map(|c| Comment {
                id: c.id,
                author_id: c.author_id,
                author: c.author_name,
                unit: c.unit_name,
                text: c.text,
                created_at: c.created_at,
            })
            .collect(),
    ))
}

/// `POST /api/assignments/{assignment}/comments`: a comment of the lead unit, a coordinating
/// unit or the monitor; the others concerned are notified.
#[utoipa::path(post, path = "/api/assignments/{assignment}/comments", tag = "work", request_body = NewComment,
    params(("assignment" = i64, Path, description = "Phân công"), ("Idempotency-Key" = Option<String>, Header, description = "Mã chống gửi trùng do bên gọi chọn (8–128 ký tự ASCII): gửi lại cùng mã không ghi thêm ý kiến và nhận lại `id` của lần đầu.")),
    responses((status = 200, body = Done), BadRequest, Unauthorized, Forbidden, NotFound))]
pub async fn post(
    State(state): State<AppState>,
    viewer: Viewer,
    ApiPath(id): ApiPath<AssignmentId>,
    headers: HeaderMap,
    ApiJson(b): ApiJson<NewComment>,
) -> Answer<Done> {
    let user = viewer.require()?.clone();
    let form = CommentForm {
        text: b.text,
        submission_key: idempotency_key(&headers)?,
    };
    let cid = comments::post(&state.db, &user, id, form).await?;
    Ok(axum::Json(Done::with_id("Đã gửi ý kiến.", cid)))
}
