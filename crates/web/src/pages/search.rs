//! The search page: plans, tasks and units, ignoring diacritics and case.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;

use crate::auth::Viewer;
use crate::error::WebResult;
use crate::pages::dashboard::short;
use crate::pages::render;
use crate::request::Query;
use crate::view::PageCtx;
use crate::AppState;

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage {
    ctx: PageCtx,
    q: String,
    hits: Vec<HitLine>,
}

/// One result line.
struct HitLine {
    kind: &'static str,
    href: String,
    label: String,
    detail: String,
}

/// `?q=`.
#[derive(Deserialize, Default)]
pub struct SearchQuery {
    q: Option<String>,
}

/// `GET /search`: plans, tasks and units, ignoring diacritics and case.
pub async fn search(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<SearchQuery>,
) -> WebResult<Response> {
    let text = q.q.unwrap_or_default();
    let province = crate::auth::listing_province(&state, &viewer).await?;
    let hits = tinhgon_app::search::hits(&state.db, &text, province)
        .await?
        .into_iter()
        .map(|h| HitLine {
            kind: match h.kind {
                "unit" => "Đơn vị",
                "plan" => "Kế hoạch",
                _ => "Nhiệm vụ",
            },
            href: h.href,
            label: h.label,
            detail: short(&h.detail, 160),
        })
        .collect();
    render(&SearchPage {
        ctx: PageCtx::new(&viewer, "search"),
        q: text,
        hits,
    })
}
