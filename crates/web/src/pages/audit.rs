//! The change log page: the changes of one object, each as a Vietnamese sentence.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use tinhgon_app::changelog;
use tinhgon_domain::model::Id;

use crate::auth::Viewer;
use crate::error::WebResult;
use crate::pages::render;
use crate::request::Path;
use crate::view::{datetime, PageCtx};
use crate::AppState;

struct AuditLine {
    id: i64,
    at: String,
    who: String,
    what: String,
    details: Vec<String>,
}

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    ctx: PageCtx,
    title: String,
    back: Option<(String, &'static str)>,
    lines: Vec<AuditLine>,
}

/// `GET /audit/{kind}/{object}`: the change log of one object (monitors and admin of its
/// province), each change written as a sentence.
pub async fn audit_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((kind, object)): Path<(String, Id)>,
) -> WebResult<Response> {
    let me = viewer.require()?;
    let log = changelog::history(&state.db, me, &kind, object).await?;
    let lines = log
        .lines
        .into_iter()
        .map(|l| AuditLine {
            id: l.id,
            at: l.at.map(datetime).unwrap_or_default(),
            who: l.who,
            what: l.what,
            details: l.details,
        })
        .collect();
    let (nav, back) = match kind.as_str() {
        "plan" => (
            "plans",
            Some((format!("/plans/{object}"), "Về trang kế hoạch")),
        ),
        "assignment" => (
            "plans",
            Some((format!("/assignments/{object}"), "Về trang nhiệm vụ")),
        ),
        "unit" => (
            "units",
            Some((format!("/units/{object}"), "Về trang đơn vị")),
        ),
        "user" => (
            "admin",
            Some((format!("/admin/users/{object}"), "Về trang tài khoản")),
        ),
        _ => ("plans", None),
    };
    render(&AuditPage {
        ctx: PageCtx::new(&viewer, nav),
        title: log.title,
        back,
        lines,
    })
}
