//! Request extractors (form, JSON body, query, path) whose rejections speak our error type: a
//! bad form is a Vietnamese 400, never axum's plain-text 422.

use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use crate::error::{ApiError, WebError};

/// A URL-encoded form.
pub struct Form<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Form<T> {
    type Rejection = WebError;
    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Form::<T>::from_request(req, state).await {
            Ok(axum::Form(v)) => Ok(Form(v)),
            Err(e) => Err(WebError::BadRequest(format!(
                "Dữ liệu biểu mẫu không hợp lệ: {}",
                e.body_text()
            ))),
        }
    }
}

/// A JSON body for the API.
pub struct Json<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Json<T> {
    type Rejection = ApiError;
    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(v)) => Ok(Json(v)),
            Err(e) => Err(ApiError(WebError::BadRequest(format!(
                "Dữ liệu JSON không hợp lệ: {}",
                e.body_text()
            )))),
        }
    }
}

/// Query parameters.
pub struct Query<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for Query<T> {
    type Rejection = WebError;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(v)) => Ok(Query(v)),
            Err(e) => Err(WebError::BadRequest(format!(
                "Tham số không hợp lệ: {}",
                e.body_text()
            ))),
        }
    }
}

/// Path parameters.
pub struct Path<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for Path<T> {
    type Rejection = WebError;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(v)) => Ok(Path(v)),
            Err(_) => Err(WebError::NotFound),
        }
    }
}

/// Parses `?as_of=`, defaulting to today.
pub fn as_of(q: Option<&str>) -> Result<chrono::NaiveDate, WebError> {
    match q.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(crate::view::today()),
        Some(s) => crate::view::parse_date(s).ok_or_else(|| {
            WebError::BadRequest(format!(
                "Ngày \"{s}\" không hợp lệ; hãy nhập theo dạng dd/mm/yyyy."
            ))
        }),
    }
}
