//! Comments on an assignment: the thread on the assignment page and its form.

use axum::extract::State;
use axum::response::Response;
use tinhgon_app::comments::{self, CommentForm};
use tinhgon_domain::ids::AssignmentId;
use tinhgon_store::comments::CommentRow;

use crate::auth::Viewer;
use crate::error::WebResult;
use crate::pages::redirect_ok;
use crate::request::{Form, Path};
use crate::view::datetime;
use crate::AppState;

/// A comment as the page shows it.
pub struct CommentLine {
    /// Author's name.
    pub author: String,
    /// Author's unit, empty for a monitor without one.
    pub unit: String,
    /// When, for people.
    pub when: String,
    /// Text.
    pub text: String,
}

impl From<CommentRow> for CommentLine {
    fn from(c: CommentRow) -> Self {
        CommentLine {
            author: c.author_name,
            unit: c.unit_name.unwrap_or_default(),
            when: datetime(c.created_at),
            text: c.text,
        }
    }
}

/// `POST /assignments/{assignment}/comments`.
pub async fn post(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<AssignmentId>,
    Form(f): Form<CommentForm>,
) -> WebResult<Response> {
    let user = viewer.require()?.clone();
    comments::post(&state.db, &user, id, f).await?;
    Ok(redirect_ok(
        &state,
        &format!("/assignments/{id}#y-kien"),
        "Đã gửi ý kiến; các đơn vị liên quan và cơ quan theo dõi đã được thông báo.",
    ))
}
