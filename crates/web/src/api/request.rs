//! Extractors of the API whose rejections are JSON errors with the right status (400, 404, 413),
//! never axum's plain text. Text containing NUL is refused here, once for every handler: no
//! database keeps it and people never type it.

use axum::extract::{FromRequest, FromRequestParts, Multipart, Request};
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use serde::de::DeserializeOwned;

use crate::error::{ApiError, WebError};

/// The request's content type, trimmed and in lower case, for comparing with media types.
fn content_type(req: &Request) -> Option<String> {
    let v = req.headers().get(header::CONTENT_TYPE)?.to_str().ok()?;
    Some(v.trim().to_ascii_lowercase())
}

fn has_nul(v: &serde_json::Value) -> bool {
    match v {
        serde_json::Value::String(s) => s.contains('\0'),
        serde_json::Value::Array(a) => a.iter().any(has_nul),
        serde_json::Value::Object(o) => o.iter().any(|(k, v)| k.contains('\0') || has_nul(v)),
        _ => false,
    }
}

const NUL: &str = "Dữ liệu chứa ký tự không hợp lệ (NUL).";

/// A JSON body.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;
    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let json = content_type(&req).is_some_and(|v| {
            v.starts_with("application/json")
                || (v.starts_with("application/") && v.contains("+json"))
        });
        if !json {
            return Err(ApiError(WebError::BadRequest(
                "Nội dung gửi lên phải là JSON (Content-Type: application/json).".into(),
            )));
        }
        let bytes = axum::body::Bytes::from_request(req, state)
            .await
            .map_err(|e| {
                if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                    ApiError(WebError::TooLarge)
                } else {
                    ApiError(WebError::BadRequest(
                        "Không đọc được nội dung gửi lên.".into(),
                    ))
                }
            })?;
        let value: serde_json::Value = serde_json::from_slice(&bytes).map_err(|e| {
            ApiError(WebError::BadRequest(format!(
                "Dữ liệu JSON không hợp lệ: {e}"
            )))
        })?;
        if has_nul(&value) {
            return Err(ApiError(WebError::BadRequest(NUL.into())));
        }
        serde_json::from_value(value).map(ApiJson).map_err(|e| {
            ApiError(WebError::BadRequest(format!(
                "Dữ liệu JSON không hợp lệ: {e}"
            )))
        })
    }
}

/// Path parameters (a malformed id is simply not found).
pub struct ApiPath<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for ApiPath<T> {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(v)) => Ok(ApiPath(v)),
            Err(_) => Err(ApiError(WebError::NotFound)),
        }
    }
}

/// Query parameters.
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        if parts.uri.query().is_some_and(|q| {
            form_urlencoded::parse(q.as_bytes()).any(|(k, v)| k.contains('\0') || v.contains('\0'))
        }) {
            return Err(ApiError(WebError::BadRequest(NUL.into())));
        }
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(v)) => Ok(ApiQuery(v)),
            Err(e) => Err(ApiError(WebError::BadRequest(format!(
                "Tham số không hợp lệ: {}",
                e.body_text()
            )))),
        }
    }
}

/// A multipart body.
pub struct ApiMultipart(pub Multipart);

impl<S: Send + Sync> FromRequest<S> for ApiMultipart {
    type Rejection = ApiError;
    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        Multipart::from_request(req, state)
            .await
            .map(ApiMultipart)
            .map_err(|e| {
                ApiError(WebError::BadRequest(format!(
                    "Nội dung phải là multipart/form-data: {}",
                    e.body_text()
                )))
            })
    }
}

/// A JSON body or a multipart upload, by the request's Content-Type.
pub enum JsonOrMultipart<T> {
    /// `application/json`.
    Json(T),
    /// `multipart/form-data`.
    Multipart(Multipart),
}

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for JsonOrMultipart<T> {
    type Rejection = ApiError;
    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let multipart = content_type(&req).is_some_and(|v| v.starts_with("multipart/"));
        if multipart {
            let ApiMultipart(m) = ApiMultipart::from_request(req, state).await?;
            Ok(JsonOrMultipart::Multipart(m))
        } else {
            let ApiJson(v) = ApiJson::<T>::from_request(req, state).await?;
            Ok(JsonOrMultipart::Json(v))
        }
    }
}

/// Reads a multipart text field, refusing NUL.
pub async fn field_text(field: axum::extract::multipart::Field<'_>) -> Result<String, ApiError> {
    let t = field.text().await.map_err(WebError::from)?;
    if t.contains('\0') {
        return Err(ApiError(WebError::BadRequest(NUL.into())));
    }
    Ok(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nul_is_found_anywhere_in_a_document() {
        assert!(!has_nul(&serde_json::json!({"a": ["b", 1, null]})));
        assert!(has_nul(&serde_json::json!({"a": ["b\u{0}"]})));
        assert!(has_nul(&serde_json::json!({"a\u{0}": 1})));
    }
}
