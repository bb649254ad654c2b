//! The first-run page: on a database with no account, `tinhgon serve` prints a one-time
//! address `/setup?token=…` in its log; whoever holds it chooses the province and creates the
//! first administrator through the same use case as `tinhgon setup`. The page exists only
//! while no account does and only for that token; after one success the token is dead.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;
use tinhgon_app::setup::{national, setup, SetupRequest};
use tinhgon_app::AppError;

use crate::auth::{constant_time_eq, Viewer};
use crate::error::{WebError, WebResult};
use crate::pages::render;
use crate::request::{Form, Query};
use crate::view::PageCtx;
use crate::AppState;

#[derive(Template)]
#[template(path = "first_run.html")]
struct SetupPage {
    ctx: PageCtx,
    token: String,
    error: Option<String>,
    provinces: Vec<(String, String, bool)>,
    admin: String,
    name: String,
    min_password: usize,
}

#[derive(Template)]
#[template(path = "first_run_done.html")]
struct DonePage {
    ctx: PageCtx,
    province: String,
    communes: usize,
    admin: String,
}

/// `?token=` of the first-run address.
#[derive(Deserialize)]
pub struct TokenQuery {
    token: Option<String>,
}

/// The first-run form's fields.
#[derive(Deserialize)]
pub struct SetupForm {
    token: String,
    province: String,
    admin: String,
    #[serde(default)]
    name: String,
    password: String,
    password2: String,
}

/// True when `presented` is the live first-run token and no account exists yet.
async fn admits(state: &AppState, expected: Option<&str>, presented: &str) -> WebResult<bool> {
    let Some(expected) = expected else {
        return Ok(false);
    };
    if !constant_time_eq(expected.as_bytes(), presented.as_bytes()) {
        return Ok(false);
    }
    Ok(!tinhgon_store::accounts::any_user(&state.db).await?)
}

fn page(viewer: &Viewer, token: &str, f: Option<&SetupForm>, error: Option<String>) -> SetupPage {
    let chosen = f.map(|f| f.province.as_str()).unwrap_or("");
    SetupPage {
        ctx: PageCtx::new(viewer, "setup"),
        token: token.to_string(),
        error,
        provinces: national::provinces()
            .into_iter()
            .map(|p| {
                let selected = p.code == chosen;
                (p.code, p.full_name, selected)
            })
            .collect(),
        admin: f.map(|f| f.admin.clone()).unwrap_or_default(),
        name: f.map(|f| f.name.clone()).unwrap_or_default(),
        min_password: tinhgon_app::accounts::MIN_PASSWORD,
    }
}

/// `GET /setup?token=…`: the form, or "not found" without the live token.
pub async fn form(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<TokenQuery>,
) -> WebResult<Response> {
    let token = q.token.unwrap_or_default();
    let gate = state.first_run.lock().await;
    if !admits(&state, gate.as_deref(), &token).await? {
        return Err(WebError::NotFound);
    }
    render(&page(&viewer, &token, None, None))
}

/// `POST /setup`: builds the province's register and its first administrator, then kills the
/// token. Bad input shows the form again with the reason and writes nothing.
pub async fn submit(
    State(state): State<AppState>,
    viewer: Viewer,
    Form(f): Form<SetupForm>,
) -> WebResult<Response> {
    // Held to the end, so two submissions cannot both pass the check and both create.
    let mut gate = state.first_run.lock().await;
    if !admits(&state, gate.as_deref(), &f.token).await? {
        return Err(WebError::NotFound);
    }
    if f.password != f.password2 {
        let e = "Mật khẩu nhập lại không khớp.".to_string();
        return render(&page(&viewer, &f.token, Some(&f), Some(e)));
    }
    let req = SetupRequest {
        province: f.province.clone(),
        admin_login: f.admin.clone(),
        admin_password: f.password.clone(),
        admin_name: f.name.clone(),
    };
    match setup(&state.db, req, Some("trang thiết lập lần đầu".into())).await {
        Ok(s) => {
            *gate = None;
            tracing::info!(tinh = %s.province, "đã thiết lập lần đầu qua trang web; mã thiết lập hết hiệu lực");
            render(&DonePage {
                ctx: PageCtx::new(&viewer, "setup"),
                province: s.province,
                communes: s.communes,
                admin: f.admin.trim().to_string(),
            })
        }
        Err(e @ (AppError::Invalid { .. } | AppError::Conflict(_))) => {
            render(&page(&viewer, &f.token, Some(&f), Some(e.to_string())))
        }
        Err(e) => Err(e.into()),
    }
}
