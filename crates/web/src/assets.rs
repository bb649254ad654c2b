//! Static assets compiled into the binary: the server needs no files and calls no CDN.

use axum::extract::Path;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

const CSS: &[u8] = include_bytes!("../assets/app.css");
const JS: &[u8] = include_bytes!("../assets/app.js");

/// Version tag in asset URLs, so a new binary never meets a stale cached file.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Serves `/assets/{version}/{name}` with a year-long cache (the URL changes with the version).
pub async fn serve(Path((_v, name)): Path<(String, String)>) -> Response {
    let (body, ctype) = match name.as_str() {
        "app.css" => (CSS, "text/css; charset=utf-8"),
        "app.js" => (JS, "text/javascript; charset=utf-8"),
        _ => return StatusCode::NOT_FOUND.into_response(),
    };
    (
        [
            (header::CONTENT_TYPE, ctype),
            (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
        ],
        body,
    )
        .into_response()
}
