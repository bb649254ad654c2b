//! Upload limits per route: the route table gives each route the kind of body it takes
//! ([`BodyClass`]), the configuration the size of each kind. An oversize body is refused with
//! the Vietnamese 413 page (JSON under `/api`) before any handler reads it, so nothing is written.

use std::collections::HashMap;
use std::sync::OnceLock;

use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, Method};
use axum::middleware::Next;
use axum::response::Response;

use crate::config::BodyClass;
use crate::routes::{self, Verb};
use crate::{AppState, WebError};

/// The body class of the route `path` (its pattern, as matched) answers for `method`; a
/// route outside the table (the fallback) takes only a small body.
pub fn body_class(method: &Method, path: &str) -> BodyClass {
    static TABLE: OnceLock<HashMap<(bool, &'static str), BodyClass>> = OnceLock::new();
    let table = TABLE.get_or_init(|| {
        routes::specs()
            .into_iter()
            .map(|s| ((s.verb == Verb::Post, s.path), s.body))
            .collect()
    });
    table
        .get(&(method == Method::POST, path))
        .copied()
        .unwrap_or(BodyClass::Form)
}

/// The body limit of the request's route, for code that reads the body before the handler
/// (the CSRF check of a form).
#[derive(Debug, Clone, Copy)]
pub struct RouteBodyLimit(pub usize);

/// Refuses a body larger than its route's limit at once when its declared length says so;
/// a body without a length is cut at the limit by whoever reads it (the route's
/// `DefaultBodyLimit` for the extractors, [`RouteBodyLimit`] for the CSRF check), which
/// answers the same 413.
pub async fn limit_body(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let class = req
        .extensions()
        .get::<MatchedPath>()
        .map(|p| body_class(req.method(), p.as_str()))
        .unwrap_or(BodyClass::Form);
    let limit = state.config.upload_limit(class);
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        return crate::auth::refuse(req.uri().path(), WebError::TooLarge);
    }
    let mut req = req;
    req.extensions_mut().insert(RouteBodyLimit(limit));
    next.run(req).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upload_routes_have_their_class_and_every_other_post_is_a_form() {
        assert_eq!(body_class(&Method::POST, "/import"), BodyClass::Document);
        assert_eq!(
            body_class(&Method::POST, "/api/plans/import"),
            BodyClass::Document
        );
        assert_eq!(
            body_class(&Method::POST, "/assignments/{assignment}/progress"),
            BodyClass::Evidence
        );
        assert_eq!(
            body_class(&Method::POST, "/staffing/import"),
            BodyClass::Spreadsheet
        );
        assert_eq!(body_class(&Method::POST, "/login"), BodyClass::Form);
        assert_eq!(body_class(&Method::GET, "/import"), BodyClass::Form);
        assert_eq!(body_class(&Method::POST, "/no-such"), BodyClass::Form);
    }
}
