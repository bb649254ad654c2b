//! The notifications page: a user's notices, newest first, and marking them read.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use chrono::Utc;
use tinhgon_store::notifications;

use crate::auth::Viewer;
use crate::error::WebResult;
use crate::pages::{redirect_ok, render};
use crate::view::{datetime, PageCtx};
use crate::AppState;

struct NoteLine {
    at: String,
    text: String,
    link: String,
    unread: bool,
}

#[derive(Template)]
#[template(path = "notifications.html")]
struct NotificationsPage {
    ctx: PageCtx,
    items: Vec<NoteLine>,
}

/// `GET /notifications`.
pub async fn notifications_page(
    State(state): State<AppState>,
    viewer: Viewer,
) -> WebResult<Response> {
    let user = viewer.require()?;
    let items = notifications::for_user(&state.db, user.id, 200)
        .await?
        .into_iter()
        .map(|n| NoteLine {
            at: datetime(n.created_at),
            text: n.text,
            link: n.link.filter(|l| l.starts_with('/')).unwrap_or_default(),
            unread: n.read_at.is_none(),
        })
        .collect();
    render(&NotificationsPage {
        ctx: PageCtx::new(&viewer, "notifications"),
        items,
    })
}

/// `POST /notifications/read`.
pub async fn mark_read(State(state): State<AppState>, viewer: Viewer) -> WebResult<Response> {
    let user = viewer.require()?;
    notifications::mark_all_read(&state.db, user.id, Utc::now()).await?;
    Ok(redirect_ok(
        &state,
        "/notifications",
        "Đã đánh dấu tất cả là đã đọc.",
    ))
}
