//! The one HTTP error type: every failure becomes a status code and a Vietnamese message,
//! an HTML page for browsers and `{"error": "…"}` under `/api`. Internal details are logged only.

use askama::Template;
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};

use crate::view::PageCtx;

/// Everything a handler can fail with.
#[derive(Debug, thiserror::Error)]
pub enum WebError {
    /// No valid session.
    #[error("Vui lòng đăng nhập để tiếp tục.")]
    Unauthenticated,
    /// Signed in, but the role or unit has no right here.
    #[error("Bạn không có quyền thực hiện thao tác này.")]
    Forbidden,
    /// Nothing at this address.
    #[error("Không tìm thấy trang hoặc đối tượng được yêu cầu.")]
    NotFound,
    /// Missing or wrong CSRF token.
    #[error("Biểu mẫu đã hết hạn hoặc không hợp lệ. Vui lòng tải lại trang và thử lại.")]
    Csrf,
    /// The request is malformed (message for the user).
    #[error("{0}")]
    BadRequest(String),
    /// One field of a form is invalid: the page shows the message beside that field.
    #[error("{message}")]
    Invalid {
        /// The form field's name.
        field: String,
        /// What to fix, in Vietnamese.
        message: String,
    },
    /// The request conflicts with the current state (message for the user).
    #[error("{0}")]
    Conflict(String),
    /// The body is larger than the configured limit.
    #[error("Tệp hoặc dữ liệu gửi lên quá lớn.")]
    TooLarge,
    /// Too many failed sign-ins.
    #[error("{0}")]
    TooMany(String),
    /// The database cannot be reached for now (restarting, overloaded); worth retrying soon.
    #[error("Hệ thống tạm thời không kết nối được cơ sở dữ liệu. Vui lòng thử lại sau ít phút.")]
    Unavailable(String),
    /// The server could not write to its storage (full disk); nothing was written.
    #[error("Máy chủ không ghi được dữ liệu (ổ lưu trữ có thể đã đầy) nên thay đổi của bạn chưa được ghi. Vui lòng báo quản trị viên hệ thống.")]
    StorageFull(String),
    /// A fault of ours; the text is logged, never shown.
    #[error("Đã xảy ra lỗi hệ thống. Vui lòng thử lại sau hoặc báo quản trị viên.")]
    Internal(String),
}

impl WebError {
    /// Builds an internal error from anything displayable, logging it now.
    pub fn internal(e: impl std::fmt::Display) -> WebError {
        WebError::Internal(e.to_string())
    }

    /// The HTTP status for this error.
    pub fn status(&self) -> StatusCode {
        match self {
            WebError::Unauthenticated => StatusCode::UNAUTHORIZED,
            WebError::Forbidden | WebError::Csrf => StatusCode::FORBIDDEN,
            WebError::NotFound => StatusCode::NOT_FOUND,
            WebError::BadRequest(_) | WebError::Invalid { .. } => StatusCode::BAD_REQUEST,
            WebError::Conflict(_) => StatusCode::CONFLICT,
            WebError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            WebError::TooMany(_) => StatusCode::TOO_MANY_REQUESTS,
            WebError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
            WebError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            WebError::StorageFull(_) => StatusCode::INSUFFICIENT_STORAGE,
        }
    }

    /// Heading of the error page.
    pub fn title(&self) -> &'static str {
        match self.status() {
            StatusCode::NOT_FOUND => "Không tìm thấy",
            StatusCode::FORBIDDEN => "Không có quyền",
            StatusCode::INTERNAL_SERVER_ERROR => "Lỗi hệ thống",
            StatusCode::SERVICE_UNAVAILABLE => "Tạm thời gián đoạn",
            StatusCode::INSUFFICIENT_STORAGE => "Không ghi được dữ liệu",
            _ => "Yêu cầu không hợp lệ",
        }
    }

    /// Logs an internal error's detail.
    pub fn log(&self) {
        match self {
            WebError::Internal(detail) => tracing::error!(%detail, "lỗi nội bộ"),
            WebError::Unavailable(detail) => {
                tracing::warn!(%detail, "cơ sở dữ liệu không sẵn sàng")
            }
            WebError::StorageFull(detail) => {
                tracing::error!(%detail, "không ghi được xuống ổ lưu trữ")
            }
            _ => {}
        }
    }
}

/// Store errors seen from HTTP: a rule violation keeps its Vietnamese message, a database
/// fault becomes an internal error that is logged and not shown.
impl From<tinhgon_store::StoreError> for WebError {
    fn from(e: tinhgon_store::StoreError) -> Self {
        use tinhgon_store::StoreError;
        match e {
            StoreError::NotFound { .. } => WebError::NotFound,
            StoreError::Rejected(m) => WebError::Conflict(m),
            StoreError::Conflict(_) => WebError::Conflict(e.to_string()),
            StoreError::Input { .. } => WebError::BadRequest(e.to_string()),
            other if other.is_storage_full() => WebError::StorageFull(other.to_string()),
            other if other.is_unavailable() => WebError::Unavailable(other.to_string()),
            other => WebError::internal(other),
        }
    }
}

/// The one place a use-case error becomes what the user sees: rights and missing objects keep
/// their status, a field error is a 400 with its Vietnamese message, a rule of the current
/// state a 409; faults are logged and not shown (never a 5xx for a user mistake).
impl From<tinhgon_app::AppError> for WebError {
    fn from(e: tinhgon_app::AppError) -> Self {
        use tinhgon_app::AppError;
        match e {
            AppError::Store(s) => WebError::from(s),
            AppError::Report(r) => WebError::internal(r),
            AppError::Internal(m) => WebError::Internal(m),
            AppError::Unauthenticated => WebError::Unauthenticated,
            AppError::Forbidden => WebError::Forbidden,
            AppError::NotFound | AppError::PlanNotFound(_) | AppError::UnitNotFound(_) => {
                WebError::NotFound
            }
            AppError::Invalid { field, message } => WebError::Invalid {
                field: field.to_string(),
                message,
            },
            // A name that fits several units is input to write more fully, not a conflict.
            e @ AppError::AmbiguousUnit { .. } => WebError::BadRequest(sentence(&e.to_string())),
            AppError::Conflict(m) => WebError::Conflict(m),
            other => WebError::Conflict(sentence(&other.to_string())),
        }
    }
}

/// The use-case messages about reports start in lower case (they are also written after
/// "lỗi: " on the command line); pages show them as sentences.
pub fn sentence(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => {
            let mut out: String = f.to_uppercase().collect();
            out.push_str(c.as_str());
            if !out.ends_with('.') {
                out.push('.');
            }
            out
        }
        None => String::new(),
    }
}

impl From<axum::extract::multipart::MultipartError> for WebError {
    fn from(e: axum::extract::multipart::MultipartError) -> Self {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            WebError::TooLarge
        } else {
            WebError::BadRequest(format!("Dữ liệu tải lên không hợp lệ: {}", e.body_text()))
        }
    }
}

/// The error page.
#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    ctx: PageCtx,
    title: &'a str,
    message: &'a str,
    code: u16,
    back: Option<&'a str>,
}

/// What an HTML error answer says, kept on the response so the viewer middleware can render it
/// again inside the requester's own frame (header with the account, menu) with a way back.
#[derive(Debug, Clone)]
pub struct ErrorInfo {
    /// Heading.
    pub title: &'static str,
    /// Message for the user.
    pub message: String,
    /// The form field the message is about, if one.
    pub field: Option<String>,
}

/// Response header naming the invalid form field, for the page script to mark it.
pub const FIELD_HEADER: &str = "x-tinhgon-field";

/// The error page for `status` in frame `ctx`, with a link back to `back` when known.
pub fn error_page(
    status: StatusCode,
    info: &ErrorInfo,
    ctx: PageCtx,
    back: Option<&str>,
) -> Response {
    let page = ErrorPage {
        ctx,
        title: info.title,
        message: &info.message,
        code: status.as_u16(),
        back,
    };
    let mut resp = match page.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "không dựng được trang lỗi");
            (
                status,
                [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
                info.message.clone(),
            )
                .into_response()
        }
    };
    if let Some(v) = info
        .field
        .as_deref()
        .and_then(|f| header::HeaderValue::from_str(f).ok())
    {
        resp.headers_mut().insert(FIELD_HEADER, v);
    }
    resp.extensions_mut().insert(info.clone());
    resp
}

/// A link back for an error on `path`: the referring page of this same site when the browser
/// sent one (never the failing address itself), else the object the address belongs to
/// (`/plans/7/review/meta` → `/plans/7`), else None (the page always links home).
pub fn back_link(referer: Option<&str>, host: Option<&str>, path: &str) -> Option<String> {
    let same_site = |p: &str| {
        let b = p.as_bytes();
        // "//x" and "/\x" would leave the site.
        b.first() == Some(&b'/') && !matches!(b.get(1), Some(b'/') | Some(b'\\'))
    };
    if let Some(r) = referer {
        let local = match (r.split_once("://"), host) {
            (Some((_, rest)), Some(h)) => rest
                .strip_prefix(h)
                .filter(|p| p.starts_with('/'))
                .map(str::to_string),
            (None, _) => Some(r.to_string()),
            _ => None,
        };
        if let Some(l) = local.filter(|l| same_site(l)) {
            let l_path = l.split(['?', '#']).next().unwrap_or_default();
            if l_path != path && !l.chars().any(char::is_control) {
                return Some(l);
            }
        }
    }
    let segs: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    match segs.as_slice() {
        [kind, id, _, ..] if id.parse::<i64>().is_ok() => Some(format!("/{kind}/{id}")),
        ["plans", ..] => Some("/plans".into()),
        ["units", ..] => Some("/units".into()),
        _ => None,
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        self.log();
        if matches!(self, WebError::Unauthenticated) {
            return Redirect::to("/login").into_response();
        }
        let status = self.status();
        let title = self.title();
        // Rendered bare here; `auth::resolve_viewer` renders it again in the viewer's frame.
        let mut resp = error_page(
            status,
            &ErrorInfo {
                title,
                message: self.to_string(),
                field: match &self {
                    WebError::Invalid { field, .. } => Some(field.clone()),
                    _ => None,
                },
            },
            PageCtx::bare(),
            None,
        );
        retry_after(&mut resp);
        resp
    }
}

/// Tells clients (and proxies) of a 503 when to try again, so they back off instead of storming.
fn retry_after(resp: &mut Response) {
    if resp.status() == StatusCode::SERVICE_UNAVAILABLE {
        resp.headers_mut()
            .insert(header::RETRY_AFTER, header::HeaderValue::from_static("5"));
    }
}

/// The same errors, answered as JSON for the API.
#[derive(Debug)]
pub struct ApiError(pub WebError);

impl<E: Into<WebError>> From<E> for ApiError {
    fn from(e: E) -> Self {
        ApiError(e.into())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        self.0.log();
        let status = self.0.status();
        let mut resp = (
            status,
            axum::Json(serde_json::json!({ "error": self.0.to_string() })),
        )
            .into_response();
        retry_after(&mut resp);
        resp
    }
}

/// Result of an HTML handler.
pub type WebResult<T> = Result<T, WebError>;
/// Result of an API handler.
pub type ApiResult<T> = Result<T, ApiError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn use_case_messages_read_as_sentences() {
        assert_eq!(
            sentence("kế hoạch chưa ban hành"),
            "Kế hoạch chưa ban hành."
        );
        assert_eq!(sentence(""), "");
    }

    #[test]
    fn a_field_error_is_a_bad_request_with_its_message() {
        let e = WebError::from(tinhgon_app::AppError::invalid(
            "new_due",
            "Hạn mới không hợp lệ.",
        ));
        assert_eq!(e.status(), StatusCode::BAD_REQUEST);
        assert_eq!(e.to_string(), "Hạn mới không hợp lệ.");
        assert_eq!(
            WebError::from(tinhgon_app::AppError::Forbidden).status(),
            StatusCode::FORBIDDEN
        );
    }
}
