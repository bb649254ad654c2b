//! The JSON API: same operations and rights as the pages, session cookie or
//! `Authorization: Bearer <token>`, described by the OpenAPI document at `/api/openapi.json`.

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use serde::{Deserialize, Serialize};
use utoipa::{OpenApi, ToSchema};

use crate::auth::{self, Viewer};
use crate::error::{ApiResult, WebError};
use crate::extract::Json;
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
}

/// An error answer.
#[derive(Serialize, ToSchema)]
pub struct ErrorBody {
    /// Vietnamese message.
    pub error: String,
}

/// `GET /api/me`.
#[utoipa::path(get, path = "/api/me", responses((status = 200, body = Me), (status = 401, body = ErrorBody)), security(("bearer" = [])))]
pub async fn me(viewer: Viewer) -> ApiResult<axum::Json<Me>> {
    let u = viewer.require()?;
    Ok(axum::Json(Me {
        id: u.id,
        login: u.login.clone(),
        display_name: u.display_name.clone(),
        role: u.role.as_str().into(),
        unit_id: u.unit_id,
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
#[utoipa::path(post, path = "/api/tokens", request_body = NewToken, responses((status = 200, body = TokenCreated), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)), security(("bearer" = [])))]
pub async fn create_token(
    State(state): State<AppState>,
    viewer: Viewer,
    Json(body): Json<NewToken>,
) -> ApiResult<axum::Json<TokenCreated>> {
    let u = viewer.require()?.clone();
    let name = body.name.trim();
    if name.is_empty() || name.chars().count() > 200 {
        return Err(
            WebError::BadRequest("Tên mã truy cập phải có từ 1 đến 200 ký tự.".into()).into(),
        );
    }
    let token = auth::random_token();
    let id = tinhgon_store::sessions::create_api_token(
        &state.db,
        u.id,
        name,
        &auth::token_hash(&token),
        Utc::now(),
    )
    .await?;
    crate::pages::audit(
        &state,
        Some(&u),
        "api_token.create",
        "api_token",
        Some(id),
        None,
        Some(serde_json::json!({"name": name})),
    )
    .await?;
    Ok(axum::Json(TokenCreated { id, token }))
}

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let comps = openapi.components.get_or_insert_with(Default::default);
        comps.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// The OpenAPI description of the JSON API.
#[derive(OpenApi)]
#[openapi(
    info(title = "tinhgon API", description = "API điều hành sắp xếp, tinh gọn tổ chức bộ máy"),
    paths(me, create_token),
    components(schemas(Me, ErrorBody, NewToken, TokenCreated)),
    modifiers(&BearerAuth)
)]
pub struct ApiDoc;

/// `GET /api/openapi.json`.
pub async fn openapi_json() -> Response {
    axum::Json(ApiDoc::openapi()).into_response()
}
