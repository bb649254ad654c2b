//! Who is asking: session cookie or API token → `Viewer`, CSRF check on every mutating request,
//! cookies, and password hashing (argon2id, off the async threads).

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use chrono::{Duration, Utc};
use rand::RngCore;
use sha2::{Digest, Sha256};
use tinhgon_domain::user::User;
use tinhgon_store::sessions;

use crate::error::{error_page, ApiError, ErrorInfo, WebError};
use crate::view::{Flash, PageCtx};
use crate::AppState;

/// Session cookie name.
pub const SESSION_COOKIE: &str = "tg_session";
/// Pre-session CSRF cookie (double-submit token for the sign-in form).
pub const PRE_COOKIE: &str = "tg_pre";
/// One-shot message cookie.
pub const FLASH_COOKIE: &str = "tg_flash";
/// Form field (urlencoded or multipart) that carries the CSRF token.
pub const CSRF_FIELD: &str = "_csrf";
/// Header that carries the CSRF token for scripts.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// A signed-in account with what pages show about it.
#[derive(Debug, Clone)]
pub struct SignedIn {
    /// The account.
    pub user: User,
    /// Its unit's name, for officers.
    pub unit_name: Option<String>,
}

/// The requester, resolved once per request by [`resolve_viewer`].
#[derive(Debug, Clone, Default)]
pub struct Viewer {
    /// The account, if signed in (or authenticated by an API token).
    pub user: Option<SignedIn>,
    /// The session's CSRF token (empty without a session).
    pub csrf: String,
    /// The anonymous double-submit token.
    pub pre_csrf: String,
    /// Hash of the session token, to end it at sign-out.
    pub session_hash: Option<String>,
    /// Authenticated by `Authorization: Bearer`.
    pub via_token: bool,
    /// Messages from the previous redirect.
    pub flash: Vec<Flash>,
    /// Unread notifications.
    pub unread: i64,
    /// What waits for the viewer (the menu's count): a monitor's approval queue, a leader's
    /// referred obstacles; 0 for others.
    pub pending: u64,
    /// Who runs this system, as the page header names it ("Sở Nội vụ tỉnh Lào Cai").
    pub owner: Option<String>,
}

impl Viewer {
    /// The account or `Unauthenticated`.
    pub fn require(&self) -> Result<&User, WebError> {
        self.user
            .as_ref()
            .map(|s| &s.user)
            .ok_or(WebError::Unauthenticated)
    }

    /// The account if any.
    pub fn account(&self) -> Option<&User> {
        self.user.as_ref().map(|s| &s.user)
    }
}

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for Viewer {
    type Rejection = WebError;
    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _: &S,
    ) -> Result<Self, Self::Rejection> {
        Ok(parts
            .extensions
            .get::<Viewer>()
            .cloned()
            .unwrap_or_default())
    }
}

/// A random 256-bit token, hex-encoded.
pub fn random_token() -> String {
    let mut b = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut b);
    hex::encode(b)
}

/// SHA-256 of a token, hex-encoded (what the database keeps).
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// The value of cookie `name`.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// A `Set-Cookie` value; `max_age` None means a browser-session cookie, Some(0) deletes.
pub fn set_cookie(
    name: &str,
    value: &str,
    max_age: Option<i64>,
    secure: bool,
    same_site: &str,
) -> HeaderValue {
    let mut c = format!("{name}={value}; Path=/; HttpOnly; SameSite={same_site}");
    if let Some(a) = max_age {
        c.push_str(&format!("; Max-Age={a}"));
    }
    if secure {
        c.push_str("; Secure");
    }
    HeaderValue::from_str(&c).unwrap_or_else(|_| HeaderValue::from_static("tg_invalid=; Max-Age=0"))
}

/// The flash cookie for a redirect: `kind` is `ok` or `error`.
pub fn flash_cookie(kind: &str, text: &str, secure: bool) -> HeaderValue {
    set_cookie(
        FLASH_COOKIE,
        &format!("{kind}.{}", hex::encode(text.as_bytes())),
        Some(60),
        secure,
        "Lax",
    )
}

fn read_flash(headers: &HeaderMap) -> Vec<Flash> {
    let Some(v) = cookie(headers, FLASH_COOKIE) else {
        return Vec::new();
    };
    let Some((kind, hexed)) = v.split_once('.') else {
        return Vec::new();
    };
    let kind = if kind == "ok" { "ok" } else { "error" };
    match hex::decode(hexed)
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
    {
        Some(text) if !text.is_empty() => vec![Flash { kind, text }],
        _ => Vec::new(),
    }
}

/// Hashes a password with argon2id on a blocking thread.
pub async fn hash_password(password: String) -> Result<String, WebError> {
    Ok(tinhgon_app::accounts::hash_password(password).await?)
}

/// Checks a password against a stored hash on a blocking thread (false on a malformed hash).
pub async fn verify_password(password: String, hash: String) -> Result<bool, WebError> {
    tokio::task::spawn_blocking(move || {
        use argon2::password_hash::{PasswordHash, PasswordVerifier};
        match PasswordHash::new(&hash) {
            Ok(parsed) => argon2::Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok(),
            Err(_) => false,
        }
    })
    .await
    .map_err(WebError::internal)
}

fn is_api(path: &str) -> bool {
    path == "/api" || path.starts_with("/api/")
}

/// Answers an error in the dialect of the path (JSON under `/api`).
pub fn refuse(path: &str, e: WebError) -> Response {
    if is_api(path) {
        ApiError(e).into_response()
    } else {
        e.into_response()
    }
}

/// The signed-in account of a looked-up session or token; an inactive account is nobody.
fn signed_in(row: sessions::ViewerRow) -> Option<SignedIn> {
    row.user.active.then_some(SignedIn {
        user: row.user,
        unit_name: row.unit_name,
    })
}

fn header_text(headers: &HeaderMap, name: header::HeaderName) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

/// Resolves the `Viewer`, enforces CSRF on mutating requests, and keeps the helper cookies.
pub async fn resolve_viewer(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    let referer = header_text(req.headers(), header::REFERER);
    let host = header_text(req.headers(), header::HOST);
    let back = || crate::error::back_link(referer.as_deref(), host.as_deref(), &path);
    let by_script = req.headers().contains_key(FORM_HEADER);
    match resolve_inner(&state, req).await {
        Ok((req, set_pre)) => {
            let had_flash = cookie(req.headers(), FLASH_COOKIE).is_some();
            // Kept for an error page, which is drawn in the viewer's own frame.
            let viewer = req.extensions().get::<Viewer>().cloned();
            let mut resp = next.run(req).await;
            if !is_api(&path) {
                if let (Some(info), Some(v)) =
                    (resp.extensions().get::<ErrorInfo>().cloned(), viewer)
                {
                    let mut framed = error_page(
                        resp.status(),
                        &info,
                        PageCtx::new(&v, ""),
                        back().as_deref(),
                    );
                    for c in resp.headers().get_all(header::SET_COOKIE) {
                        framed.headers_mut().append(header::SET_COOKIE, c.clone());
                    }
                    resp = framed;
                }
            }
            let sets_flash = resp
                .headers()
                .get_all(header::SET_COOKIE)
                .iter()
                .any(|v| v.to_str().is_ok_and(|s| s.starts_with(FLASH_COOKIE)));
            if had_flash && !sets_flash {
                resp.headers_mut().append(
                    header::SET_COOKIE,
                    set_cookie(
                        FLASH_COOKIE,
                        "",
                        Some(0),
                        state.config.secure_cookies,
                        "Lax",
                    ),
                );
            }
            if by_script && resp.status() == axum::http::StatusCode::SEE_OTHER {
                resp = script_redirect(resp);
            }
            if let Some(pre) = set_pre {
                resp.headers_mut().append(
                    header::SET_COOKIE,
                    set_cookie(
                        PRE_COOKIE,
                        &pre,
                        None,
                        state.config.secure_cookies,
                        "Strict",
                    ),
                );
            }
            resp
        }
        Err((e, viewer)) => match viewer {
            Some(v) if !is_api(&path) && !matches!(e, WebError::Unauthenticated) => {
                e.log();
                let info = ErrorInfo {
                    title: e.title(),
                    message: e.to_string(),
                    field: None,
                };
                error_page(e.status(), &info, PageCtx::new(&v, ""), back().as_deref())
            }
            _ => refuse(&path, e),
        },
    }
}

/// Request header of a form sent by the page script (app.js): it keeps the page, and the typed
/// input, when the server refuses the form.
pub const FORM_HEADER: &str = "x-tinhgon-form";
/// Where the page script goes after a form succeeded (a script cannot read a 303's target).
pub const LOCATION_HEADER: &str = "x-tinhgon-location";

/// A 303 answered to the page script: 200 with the target in [`LOCATION_HEADER`], the cookies
/// (the flash message) kept.
fn script_redirect(resp: Response) -> Response {
    let (mut parts, _) = resp.into_parts();
    if let Some(to) = parts.headers.remove(header::LOCATION) {
        parts.headers.insert(LOCATION_HEADER, to);
    }
    parts.status = axum::http::StatusCode::OK;
    Response::from_parts(parts, Body::empty())
}

/// A failure of the middleware, with the viewer when it was already known (for the error page).
type Refusal = (WebError, Option<Viewer>);

fn anonymous(e: impl Into<WebError>) -> Refusal {
    (e.into(), None)
}

async fn resolve_inner(
    state: &AppState,
    req: Request,
) -> Result<(Request, Option<String>), Refusal> {
    let (mut parts, body) = req.into_parts();
    let now = Utc::now();
    let mut viewer = Viewer {
        flash: read_flash(&parts.headers),
        ..Viewer::default()
    };
    let bearer = parts
        .headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(|t| t.trim().to_string());
    // Pages show the unread count in their header; the API and forms do not need it.
    let wants_unread = !is_api(parts.uri.path()) && parts.method == Method::GET;
    if let Some(token) = bearer {
        // A wrong token is refused outright rather than treated as anonymous: an integration
        // must learn that its token is bad.
        let row = sessions::viewer_by_api_token(&state.db, &token_hash(&token), wants_unread)
            .await
            .map_err(anonymous)?
            .ok_or_else(|| anonymous(WebError::Unauthenticated))?;
        viewer.unread = row.unread;
        viewer.user = Some(signed_in(row).ok_or_else(|| anonymous(WebError::Unauthenticated))?);
        viewer.via_token = true;
    } else if let Some(tok) = cookie(&parts.headers, SESSION_COOKIE) {
        let h = token_hash(tok);
        // One statement: session, account, unit name and unread count.
        if let Some(row) = sessions::viewer_by_session(&state.db, &h, wants_unread, now)
            .await
            .map_err(anonymous)?
        {
            let csrf = row.csrf_token.clone();
            let last_seen = row.last_seen;
            let unread = row.unread;
            let idle = Duration::minutes(state.config.session_idle_minutes.max(1));
            if last_seen.is_some_and(|t| now - t > idle) {
                // Left unused too long: the session ends, the browser signs in again.
                sessions::delete(&state.db, &h).await.map_err(anonymous)?;
            } else if let Some(u) = signed_in(row) {
                viewer.user = Some(u);
                viewer.csrf = csrf;
                viewer.unread = unread;
                // Written at most once a minute per session, not on every request.
                if last_seen.is_none_or(|t| now - t > Duration::minutes(1)) {
                    sessions::touch(&state.db, &h, now)
                        .await
                        .map_err(anonymous)?;
                }
                viewer.session_hash = Some(h);
            }
        }
    }
    if !is_api(parts.uri.path()) {
        let province = viewer.account().and_then(|u| u.province_id);
        viewer.owner = state.owner_name(province).await;
        if wants_unread {
            if let Some(u) = viewer.account().filter(|u| u.active && u.role.monitors()) {
                viewer.pending = tinhgon_store::approvals::pending_count(&state.db, u.province_id)
                    .await
                    .map_err(anonymous)?;
            } else if let Some(u) = viewer
                .account()
                .filter(|u| u.active && u.role == tinhgon_domain::user::Role::Leader)
            {
                viewer.pending = tinhgon_store::referrals::waiting_count(&state.db, u.province_id)
                    .await
                    .map_err(anonymous)?;
            }
        }
    }
    let mut set_pre = None;
    match cookie(&parts.headers, PRE_COOKIE) {
        Some(p) if p.len() == 64 && p.bytes().all(|b| b.is_ascii_hexdigit()) => {
            viewer.pre_csrf = p.to_string()
        }
        _ => {
            let p = random_token();
            viewer.pre_csrf = p.clone();
            set_pre = Some(p);
        }
    }

    let mutating = !matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS);
    let mut body = body;
    if mutating && !viewer.via_token {
        let expected = if viewer.session_hash.is_some() {
            viewer.csrf.clone()
        } else {
            viewer.pre_csrf.clone()
        };
        let mut presented: Option<String> = parts
            .headers
            .get(CSRF_HEADER)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let content_type = parts
            .headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string();
        // The token travels in a header or in the body only: a URL ends up in logs and history.
        if presented.is_none()
            && (content_type.starts_with("application/x-www-form-urlencoded")
                || content_type.starts_with("multipart/form-data"))
        {
            let limit = parts
                .extensions
                .get::<crate::limits::RouteBodyLimit>()
                .map_or(state.config.upload_limits.form, |l| l.0);
            let bytes = axum::body::to_bytes(body, limit)
                .await
                .map_err(|_| (WebError::TooLarge, Some(viewer.clone())))?;
            presented = if content_type.starts_with("multipart/") {
                multipart_token(&content_type, bytes.clone()).await
            } else {
                form_urlencoded::parse(&bytes)
                    .find(|(k, _)| k == CSRF_FIELD)
                    .map(|(_, v)| v.into_owned())
            };
            body = Body::from(bytes);
        }
        let ok = match presented {
            Some(p) => !expected.is_empty() && constant_time_eq(p.as_bytes(), expected.as_bytes()),
            None => false,
        };
        if !ok {
            return Err((WebError::Csrf, Some(viewer)));
        }
    }
    parts.extensions.insert(viewer);
    Ok((Request::from_parts(parts, body), set_pre))
}

/// The `_csrf` field of a buffered multipart body, if it has one.
async fn multipart_token(content_type: &str, bytes: axum::body::Bytes) -> Option<String> {
    use axum::extract::{FromRequest, Multipart};
    let req = Request::builder()
        .header(header::CONTENT_TYPE, content_type)
        .body(Body::from(bytes))
        .ok()?;
    let mut form = Multipart::from_request(req, &()).await.ok()?;
    while let Ok(Some(field)) = form.next_field().await {
        if field.name() == Some(CSRF_FIELD) {
            return field.text().await.ok();
        }
    }
    None
}

pub(crate) fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Creates a fresh session for `user_id` and returns its `Set-Cookie` value. The token is always
/// new, so a token planted before sign-in (session fixation) never becomes authenticated.
pub async fn start_session(state: &AppState, user_id: i64) -> Result<HeaderValue, WebError> {
    let token = random_token();
    let now = Utc::now();
    let hours = state.config.session_hours.max(1);
    sessions::create(
        &state.db,
        &token_hash(&token),
        user_id,
        &random_token(),
        now,
        now + Duration::hours(hours),
    )
    .await?;
    Ok(set_cookie(
        SESSION_COOKIE,
        &token,
        Some(hours * 3600),
        state.config.secure_cookies,
        "Lax",
    ))
}

/// The `Set-Cookie` value that removes the session cookie.
pub fn end_session_cookie(state: &AppState) -> HeaderValue {
    set_cookie(
        SESSION_COOKIE,
        "",
        Some(0),
        state.config.secure_cookies,
        "Lax",
    )
}

/// The province the viewer works on.
pub async fn viewer_province(
    state: &crate::AppState,
    viewer: &Viewer,
) -> crate::error::WebResult<Option<tinhgon_domain::model::Id>> {
    if let Some(p) = viewer.account().and_then(|u| u.province_id) {
        return Ok(Some(p));
    }
    Ok(tinhgon_store::register::provinces(&state.db)
        .await?
        .first()
        .map(|(id, _)| *id))
}

/// The province a plan list covers: an account bound to a province lists that province's
/// plans; an installation-wide account lists every plan (None).
pub async fn listing_province(
    state: &crate::AppState,
    viewer: &Viewer,
) -> crate::error::WebResult<Option<tinhgon_domain::model::Id>> {
    match viewer.account().and_then(|u| u.province_id) {
        Some(_) => viewer_province(state, viewer).await,
        None => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookie_parsing_finds_the_named_cookie_only() {
        let mut h = HeaderMap::new();
        h.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; tg_session=abc; tg_sessionx=no"),
        );
        assert_eq!(cookie(&h, SESSION_COOKIE), Some("abc"));
        assert_eq!(cookie(&h, "b"), None);
    }

    #[test]
    fn flash_round_trips_vietnamese_text() {
        let v = flash_cookie("ok", "Đã lưu báo cáo tiến độ.", false);
        let pair = v.to_str().unwrap().split(';').next().unwrap().to_string();
        let mut h = HeaderMap::new();
        h.insert(header::COOKIE, HeaderValue::from_str(&pair).unwrap());
        let f = read_flash(&h);
        assert_eq!(f[0].text, "Đã lưu báo cáo tiến độ.");
        assert_eq!(f[0].kind, "ok");
    }

    #[test]
    fn tokens_are_random_and_hashed() {
        let a = random_token();
        assert_eq!(a.len(), 64);
        assert_ne!(a, random_token());
        assert_ne!(token_hash(&a), a);
    }

    #[tokio::test]
    async fn passwords_verify_only_with_the_right_text() {
        let h = hash_password("mật-khẩu-1".into()).await.unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("mật-khẩu-1".into(), h.clone())
            .await
            .unwrap());
        assert!(!verify_password("mat-khau-1".into(), h).await.unwrap());
        assert!(!verify_password("x".into(), "không phải hash".into())
            .await
            .unwrap());
    }
}
