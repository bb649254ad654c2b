//! Server-rendered pages, one module per area; handlers parse, call the store, render.

pub mod account;
pub mod amendment;
pub mod approvals;
pub mod audit;
pub mod calendar;
pub mod cascade;
pub mod dashboard;
pub mod duties;
pub mod first_run;
pub mod functions;
pub mod inbox;
pub mod notifications;
pub mod periodic;
pub mod plans;
pub mod positions;
pub mod referrals;
pub mod register;
pub mod register_update;
pub mod restructuring;
pub mod review;
pub mod scenarios;
pub mod search;
pub mod staffing;
pub mod tasks;
pub mod work;

use askama::Template;
use axum::response::{Html, IntoResponse, Redirect, Response};
use tinhgon_domain::user::Role;

use crate::auth::Viewer;
use crate::error::{WebError, WebResult};

/// Renders a template into an HTML response.
pub fn render<T: Template>(t: &T) -> WebResult<Response> {
    t.render()
        .map(|h| Html(h).into_response())
        .map_err(WebError::internal)
}

/// `/`: each role lands where its work is.
pub async fn home(viewer: Viewer) -> Redirect {
    match viewer.account().map(|u| u.role) {
        None => Redirect::to("/login"),
        Some(Role::AgencyOfficer) => Redirect::to("/inbox"),
        Some(_) => Redirect::to("/dashboard"),
    }
}

/// Liveness probe.
pub async fn healthz() -> &'static str {
    "ok"
}

/// Readiness probe: the database answers and its schema is the one this binary expects, so a
/// load balancer sends no traffic to an instance that would fail every request.
pub async fn readyz(
    axum::extract::State(state): axum::extract::State<crate::AppState>,
) -> Response {
    use axum::http::StatusCode;
    match tinhgon_store::ops::schema_status(&state.db).await {
        Ok(s) if s.current() => (StatusCode::OK, "ok").into_response(),
        Ok(s) => (
            StatusCode::SERVICE_UNAVAILABLE,
            format!(
                "Cấu trúc cơ sở dữ liệu ở phiên bản {}, chương trình cần {}.",
                s.applied, s.known
            ),
        )
            .into_response(),
        Err(_) => (
            StatusCode::SERVICE_UNAVAILABLE,
            "Không kết nối được cơ sở dữ liệu.",
        )
            .into_response(),
    }
}

/// A redirect carrying a one-shot message.
pub fn redirect_flash(state: &crate::AppState, to: &str, kind: &str, text: &str) -> Response {
    let mut resp = Redirect::to(to).into_response();
    resp.headers_mut().append(
        axum::http::header::SET_COOKIE,
        crate::auth::flash_cookie(kind, text, state.config.secure_cookies),
    );
    resp
}

/// A redirect carrying a message that the action succeeded.
pub fn redirect_ok(state: &crate::AppState, to: &str, text: &str) -> Response {
    redirect_flash(state, to, "ok", text)
}

/// The audit entry of a change made by `actor`, for a store write function that records it
/// in its own transaction (the `*_audited` functions).
pub use tinhgon_app::audit::entry as audit_entry;

/// Appends an audit row for a change made by `actor` in a transaction of its own: only for
/// what has no store write to share a transaction with; a change to data goes through the
/// store's `*_audited` function with [`audit_entry`].
pub async fn audit(
    state: &crate::AppState,
    actor: Option<&tinhgon_domain::user::User>,
    action: &str,
    kind: &str,
    id: Option<i64>,
    before: Option<serde_json::Value>,
    after: Option<serde_json::Value>,
) -> WebResult<()> {
    let entry = audit_entry(actor, action, kind, id, before, after);
    tinhgon_store::audit::append(&state.db, &entry, chrono::Utc::now()).await?;
    Ok(())
}

/// Appends an audit row without before/after state.
pub async fn audit_note(
    state: &crate::AppState,
    actor: Option<&tinhgon_domain::user::User>,
    action: &str,
    kind: &str,
    id: Option<i64>,
) -> WebResult<()> {
    audit(state, actor, action, kind, id, None, None).await
}
