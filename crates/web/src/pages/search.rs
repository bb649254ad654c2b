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
    hits: Vec<(String, String, String, String)>,
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
        .map(|(k, id, label, detail)| {
            let (kind, href) = match k.as_str() {
                "unit" => ("Đơn vị", format!("/units/{id}")),
                "plan" => ("Kế hoạch", format!("/plans/{id}")),
                _ => ("Nhiệm vụ", String::new()),
            };
            (kind.to_string(), href, label, short(&detail, 160))
        })
        .collect();
    render(&SearchPage {
        ctx: PageCtx::new(&viewer, "search"),
        q: text,
        hits,
    })
}
