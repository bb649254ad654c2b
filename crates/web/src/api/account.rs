//! The account: who am I, API tokens, the admin's accounts, notifications.

use axum::extract::State;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use tinhgon_app::accounts::{self, NewUserForm};
use tinhgon_domain::ids::UserId;
use tinhgon_domain::user::User;
use utoipa::ToSchema;

use crate::api::request::{ApiJson, ApiPath};
use crate::api::{Answer, BadRequest, Conflict, Done, Forbidden, NotFound, Unauthorized};
use crate::auth::{self, Viewer};
use crate::error::WebError;
use crate::AppState;

/// The signed-in account.
#[derive(Serialize, ToSchema)]
pub struct Me {
    /// Identifier.
    pub id: i64,
    /// Sign-in name.
    pub login: String,
    /// Name.
    pub display_name: String,
    /// Role (`admin`, `monitor`, `agency_officer`, `leader`).
    pub role: String,
    /// Unit of an officer.
    pub unit_id: Option<i64>,
    /// Unit name of an officer.
    pub unit_name: Option<String>,
    /// Province the account works on.
    pub province_id: Option<i64>,
    /// CSRF token of the cookie session, to send as `x-csrf-token` on changes (none with a token).
    pub csrf_token: Option<String>,
}

/// `GET /api/me`.
#[utoipa::path(get, path = "/api/me", tag = "account",
    responses((status = 200, body = Me), Unauthorized))]
pub async fn me(viewer: Viewer) -> Answer<Me> {
    let u = viewer.require()?;
    Ok(axum::Json(Me {
        id: u.id,
        login: u.login.clone(),
        display_name: u.display_name.clone(),
        role: u.role.as_str().into(),
        unit_id: u.unit_id,
        unit_name: viewer.user.as_ref().and_then(|s| s.unit_name.clone()),
        province_id: u.province_id,
        csrf_token: Some(viewer.csrf.clone()).filter(|c| !c.is_empty() && !viewer.via_token),
    }))
}

/// Request for a new API token.
#[derive(Deserialize, ToSchema)]
pub struct NewToken {
    /// What the token is for ("tích hợp phần mềm quản lý văn bản").
    pub name: String,
}

/// A new API token, shown once.
#[derive(Serialize, ToSchema)]
pub struct TokenCreated {
    /// Identifier.
    pub id: i64,
    /// The secret; only its hash is kept.
    pub token: String,
}

/// `POST /api/tokens`: a token for integrations acting as the current account.
#[utoipa::path(post, path = "/api/tokens", tag = "account", request_body = NewToken,
    responses((status = 200, body = TokenCreated), BadRequest, Unauthorized))]
pub async fn create_token(
    State(state): State<AppState>,
    viewer: Viewer,
    ApiJson(body): ApiJson<NewToken>,
) -> Answer<TokenCreated> {
    let u = viewer.require()?.clone();
    let name = body.name.trim();
    if name.is_empty() || name.chars().count() > 200 {
        return Err(
            WebError::BadRequest("Tên mã truy cập phải có từ 1 đến 200 ký tự.".into()).into(),
        );
    }
    let token = auth::random_token();
    // The store sets the entry's object to the new token (token and audit row in one transaction).
    let entry = tinhgon_app::audit::entry(
        Some(&u),
        "api_token.create",
        "api_token",
        None,
        None,
        Some(serde_json::json!({"name": name})),
    );
    let id = tinhgon_store::accounts::create_api_token_audited(
        &state.db,
        u.id,
        name,
        &auth::token_hash(&token),
        Utc::now(),
        &entry,
    )
    .await?;
    Ok(axum::Json(TokenCreated { id, token }))
}

/// An account as the admin sees it.
#[derive(Serialize, ToSchema)]
pub struct Account {
    /// Identifier.
    pub id: i64,
    /// Sign-in name.
    pub login: String,
    /// Name.
    pub display_name: String,
    /// Role.
    pub role: String,
    /// Unit of an officer.
    pub unit_id: Option<i64>,
    /// Province.
    pub province_id: Option<i64>,
    /// Not disabled.
    pub active: bool,
    /// Sign-in refused until then (failed attempts).
    pub locked_until: Option<DateTime<Utc>>,
}

impl From<User> for Account {
    fn from(u: User) -> Self {
        Account {
            id: u.id,
            role: u.role.as_str().into(),
            login: u.login,
            display_name: u.display_name,
            unit_id: u.unit_id,
            province_id: u.province_id,
            active: u.active,
            locked_until: u.locked_until,
        }
    }
}

/// `GET /api/users` (admin).
#[utoipa::path(get, path = "/api/users", tag = "account",
    responses((status = 200, body = Vec<Account>), Unauthorized, Forbidden))]
pub async fn users(State(state): State<AppState>, viewer: Viewer) -> Answer<Vec<Account>> {
    let list = tinhgon_app::accounts::list(&state.db, viewer.require()?).await?;
    Ok(axum::Json(list.into_iter().map(Account::from).collect()))
}

/// A new account.
#[derive(Deserialize, ToSchema)]
pub struct NewAccount {
    /// Sign-in name.
    pub login: String,
    /// Name.
    pub display_name: String,
    /// Password (at least 8 characters).
    pub password: String,
    /// `admin`, `monitor`, `agency_officer` or `leader`.
    pub role: String,
    /// Unit (required for officers).
    #[serde(default)]
    pub unit_id: Option<i64>,
    /// Address for e-mail notifications.
    #[serde(default)]
    pub email: Option<String>,
}

/// `POST /api/users` (admin): creates an account.
#[utoipa::path(post, path = "/api/users", tag = "account", request_body = NewAccount,
    responses((status = 200, body = Done), BadRequest, Unauthorized, Forbidden, Conflict))]
pub async fn create_user(
    State(state): State<AppState>,
    viewer: Viewer,
    ApiJson(b): ApiJson<NewAccount>,
) -> Answer<Done> {
    let me = viewer.require()?.clone();
    let form = NewUserForm {
        login: b.login,
        display_name: b.display_name,
        password: b.password,
        role: b.role,
        unit_id: b.unit_id.map(|u| u.to_string()).unwrap_or_default(),
        email: b.email.unwrap_or_default(),
    };
    let id = accounts::create(&state.db, &me, form).await?;
    Ok(axum::Json(Done::with_id("Đã tạo tài khoản.", id)))
}

/// Enable or disable.
#[derive(Deserialize, ToSchema)]
pub struct ActiveBody {
    /// True to enable.
    pub active: bool,
}

/// `POST /api/users/{user}/active` (admin; not oneself).
#[utoipa::path(post, path = "/api/users/{user}/active", tag = "account", request_body = ActiveBody,
    params(("user" = i64, Path, description = "Tài khoản")),
    responses((status = 200, body = Done), BadRequest, Unauthorized, Forbidden, NotFound, Conflict))]
pub async fn set_active(
    State(state): State<AppState>,
    viewer: Viewer,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<ActiveBody>,
) -> Answer<Done> {
    let me = viewer.require()?.clone();
    accounts::set_active(&state.db, &me, UserId(id), b.active).await?;
    Ok(axum::Json(Done::with_id(
        if b.active {
            "Đã kích hoạt tài khoản."
        } else {
            "Đã vô hiệu hóa tài khoản."
        },
        id,
    )))
}

/// An in-app notification.
#[derive(Serialize, ToSchema)]
pub struct NotificationItem {
    /// Identifier.
    pub id: i64,
    /// Kind (`urging`, `decision`, `reminder` …).
    pub kind: String,
    /// Text.
    pub text: String,
    /// Page it points to.
    pub link: Option<String>,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Read.
    pub read_at: Option<DateTime<Utc>>,
}

/// `GET /api/notifications`: the latest 200.
#[utoipa::path(get, path = "/api/notifications", tag = "account",
    responses((status = 200, body = Vec<NotificationItem>), Unauthorized))]
pub async fn notifications(
    State(state): State<AppState>,
    viewer: Viewer,
) -> Answer<Vec<NotificationItem>> {
    let user = viewer.require()?;
    let items = tinhgon_store::notifications::for_user(&state.db, user.id, 200)
        .await?
        .into_iter()
        .map(|n| NotificationItem {
            id: n.id,
            kind: n.kind,
            text: n.text,
            link: n.link,
            created_at: n.created_at,
            read_at: n.read_at,
        })
        .collect();
    Ok(axum::Json(items))
}

/// `POST /api/notifications/read`: marks all as read.
#[utoipa::path(post, path = "/api/notifications/read", tag = "account",
    responses((status = 200, body = Done), Unauthorized))]
pub async fn mark_read(State(state): State<AppState>, viewer: Viewer) -> Answer<Done> {
    let user = viewer.require()?;
    let n = tinhgon_store::notifications::mark_all_read(&state.db, user.id, Utc::now()).await?;
    Ok(axum::Json(Done::msg(format!(
        "Đã đánh dấu {n} thông báo là đã đọc."
    ))))
}
