//! Sign-in, sign-out, password change, and the admin's account list.

use askama::Template;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use serde::Deserialize;
use tinhgon_domain::user::{Role, User};
use tinhgon_store::{accounts, sessions};

use crate::auth::{self, Viewer};
use crate::error::{WebError, WebResult};
use crate::pages::render;
use crate::request::{Form, Path, Query};
use crate::view::{datetime, PageCtx};
use crate::AppState;

/// Minimum password length.
pub use tinhgon_app::accounts::MIN_PASSWORD;

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    ctx: PageCtx,
    error: Option<String>,
    login: String,
    next: String,
}

/// `?next=` after sign-in.
#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

/// Only same-site paths may be a redirect target (no open redirect).
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') => n.to_string(),
        _ => "/".into(),
    }
}

/// The sign-in form.
pub async fn login_form(viewer: Viewer, Query(q): Query<NextQuery>) -> WebResult<Response> {
    if viewer.user.is_some() && !viewer.via_token {
        return Ok(Redirect::to(&safe_next(q.next.as_deref())).into_response());
    }
    render(&LoginPage {
        ctx: PageCtx::new(&viewer, "login"),
        error: None,
        login: String::new(),
        next: safe_next(q.next.as_deref()),
    })
}

/// The sign-in form's fields.
#[derive(Deserialize)]
pub struct LoginForm {
    login: String,
    password: String,
    next: Option<String>,
}

/// A fixed argon2id hash so an unknown login costs as much time as a known one.
const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$1q7w3Aq6hH2t8Ejm4v2F0pnXk2m0lOH4Oq5y9HqWZ6A";

/// Checks the password, throttles failures, and starts a NEW session.
pub async fn login(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: axum::http::HeaderMap,
    Form(f): Form<LoginForm>,
) -> WebResult<Response> {
    let now = Utc::now();
    let next = safe_next(f.next.as_deref());
    let fail = |msg: &str, status: axum::http::StatusCode| -> WebResult<Response> {
        let page = LoginPage {
            ctx: PageCtx::new(&viewer, "login"),
            error: Some(msg.to_string()),
            login: f.login.clone(),
            next: next.clone(),
        };
        Ok((status, render(&page)?).into_response())
    };
    const WRONG: &str = "Tên đăng nhập hoặc mật khẩu không đúng.";
    let Some(cred) = accounts::credentials(&state.db, &f.login).await? else {
        auth::verify_password(f.password.clone(), DUMMY_HASH.into()).await?;
        return fail(WRONG, axum::http::StatusCode::UNAUTHORIZED);
    };
    if cred.user.is_locked(now) {
        let until = cred.user.locked_until.map(datetime).unwrap_or_default();
        return fail(
            &format!(
                "Tài khoản tạm khóa do đăng nhập sai nhiều lần, vui lòng thử lại sau {until}."
            ),
            axum::http::StatusCode::TOO_MANY_REQUESTS,
        );
    }
    if !auth::verify_password(f.password.clone(), cred.password_hash.clone()).await? {
        // The lock and its audit row (by the system: no one is signed in) in one transaction.
        let lock =
            crate::pages::audit_entry(None, "user.locked", "user", Some(cred.user.id), None, None);
        if let Some(until) =
            accounts::record_failed_sign_in_audited(&state.db, cred.user.id, now, &lock).await?
        {
            return fail(
                &format!(
                    "Tài khoản tạm khóa do đăng nhập sai nhiều lần, vui lòng thử lại sau {}.",
                    datetime(until)
                ),
                axum::http::StatusCode::TOO_MANY_REQUESTS,
            );
        }
        return fail(WRONG, axum::http::StatusCode::UNAUTHORIZED);
    }
    if !cred.user.active {
        return fail(
            "Tài khoản đã bị vô hiệu hóa. Vui lòng liên hệ quản trị viên.",
            axum::http::StatusCode::FORBIDDEN,
        );
    }
    let signed_in = crate::pages::audit_entry(
        Some(&cred.user),
        "user.sign_in",
        "user",
        Some(cred.user.id),
        None,
        None,
    );
    accounts::record_sign_in_audited(&state.db, cred.user.id, now, &signed_in).await?;
    // Any session the browser carried before is ended: the new one has a fresh token.
    if let Some(old) = auth::cookie(&headers, auth::SESSION_COOKIE) {
        sessions::delete(&state.db, &auth::token_hash(old)).await?;
    }
    let cookie = auth::start_session(&state, cred.user.id).await?;
    let target = if next == "/" || next.starts_with("/login") {
        "/".to_string()
    } else {
        next
    };
    let mut resp = Redirect::to(&target).into_response();
    resp.headers_mut().append(header::SET_COOKIE, cookie);
    Ok(resp)
}

/// Ends the session.
pub async fn logout(State(state): State<AppState>, viewer: Viewer) -> WebResult<Response> {
    if let Some(h) = &viewer.session_hash {
        let out = crate::pages::audit_entry(
            viewer.account(),
            "user.sign_out",
            "user",
            viewer.account().map(|u| u.id),
            None,
            None,
        );
        sessions::delete_audited(&state.db, h, &out, chrono::Utc::now()).await?;
    }
    let mut resp = Redirect::to("/login").into_response();
    resp.headers_mut()
        .append(header::SET_COOKIE, auth::end_session_cookie(&state));
    resp.headers_mut().append(
        header::SET_COOKIE,
        auth::flash_cookie("ok", "Bạn đã đăng xuất.", state.config.secure_cookies),
    );
    Ok(resp)
}

#[derive(Template)]
#[template(path = "password.html")]
struct PasswordPage {
    ctx: PageCtx,
    error: Option<String>,
}

/// The password change form.
pub async fn password_form(viewer: Viewer) -> WebResult<Response> {
    render(&PasswordPage {
        ctx: PageCtx::new(&viewer, "password"),
        error: None,
    })
}

/// Fields of the password change form.
#[derive(Deserialize)]
pub struct PasswordForm {
    current: String,
    new: String,
    confirm: String,
}

/// Changes the password after checking the current one; other sessions are ended.
pub async fn change_password(
    State(state): State<AppState>,
    viewer: Viewer,
    Form(f): Form<PasswordForm>,
) -> WebResult<Response> {
    let me = viewer.require()?.clone();
    let again = |msg: &str| -> WebResult<Response> {
        Ok((
            axum::http::StatusCode::BAD_REQUEST,
            render(&PasswordPage {
                ctx: PageCtx::new(&viewer, "password"),
                error: Some(msg.into()),
            })?,
        )
            .into_response())
    };
    let cred = accounts::credentials(&state.db, &me.login)
        .await?
        .ok_or(WebError::Unauthenticated)?;
    if !auth::verify_password(f.current, cred.password_hash).await? {
        return again("Mật khẩu hiện tại không đúng.");
    }
    if f.new.chars().count() < MIN_PASSWORD {
        return again("Mật khẩu mới phải có ít nhất 8 ký tự.");
    }
    if f.new != f.confirm {
        return again("Mật khẩu nhập lại không khớp.");
    }
    let hash = auth::hash_password(f.new).await?;
    let entry =
        crate::pages::audit_entry(Some(&me), "user.password", "user", Some(me.id), None, None);
    accounts::set_password_hash_audited(&state.db, me.id, &hash, &entry, chrono::Utc::now())
        .await?;
    if let Some(h) = &viewer.session_hash {
        sessions::delete_others(&state.db, me.id, h).await?;
    }
    Ok(crate::pages::redirect_ok(&state, "/", "Đã đổi mật khẩu."))
}

/// An account as the admin list shows it.
struct UserLine {
    id: i64,
    login: String,
    name: String,
    role: &'static str,
    unit: String,
    active: bool,
    /// The administrator's own account: it cannot disable itself.
    me: bool,
}

/// A role choice of an account form.
struct RoleChoice {
    value: &'static str,
    label: &'static str,
    selected: bool,
}

/// The roles, `current` selected.
fn role_choices(current: Role) -> Vec<RoleChoice> {
    Role::ALL
        .iter()
        .map(|r| RoleChoice {
            value: r.as_str(),
            label: r.label_vi(),
            selected: *r == current,
        })
        .collect()
}

#[derive(Template)]
#[template(path = "users.html")]
struct UsersPage {
    ctx: PageCtx,
    users: Vec<UserLine>,
    units: Vec<(i64, String)>,
    roles: Vec<RoleChoice>,
}

/// The admin's account list and creation form.
pub async fn users(State(state): State<AppState>, viewer: Viewer) -> WebResult<Response> {
    let me = viewer.require()?;
    let units = tinhgon_app::accounts::units_for_accounts(&state.db, me).await?;
    let names: std::collections::HashMap<i64, String> = units.iter().cloned().collect();
    let users = tinhgon_app::accounts::list(&state.db, me)
        .await?
        .into_iter()
        .map(|u: User| UserLine {
            id: u.id,
            unit: u
                .unit_id
                .and_then(|id| names.get(&id).cloned())
                .unwrap_or_default(),
            login: u.login,
            name: u.display_name,
            role: u.role.label_vi(),
            active: u.active,
            me: u.id == me.id,
        })
        .collect();
    // Most accounts made are agency officers; an administrator is made on purpose.
    let roles = role_choices(Role::AgencyOfficer);
    render(&UsersPage {
        ctx: PageCtx::new(&viewer, "admin"),
        users,
        units,
        roles,
    })
}

pub use tinhgon_app::accounts::NewUserForm;

/// Creates an account (admin only).
pub async fn create_user(
    State(state): State<AppState>,
    viewer: Viewer,
    Form(f): Form<NewUserForm>,
) -> WebResult<Response> {
    let me = viewer.require()?.clone();
    tinhgon_app::accounts::create(&state.db, &me, f).await?;
    Ok(crate::pages::redirect_ok(
        &state,
        "/admin/users",
        "Đã tạo tài khoản.",
    ))
}

/// Field of the enable/disable form.
#[derive(Deserialize)]
pub struct ActiveForm {
    active: String,
}

/// Enables or disables an account (admin only; not oneself).
pub async fn set_active(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Form(f): Form<ActiveForm>,
) -> WebResult<Response> {
    let me = viewer.require()?.clone();
    let active = f.active == "1" || f.active == "true";
    tinhgon_app::accounts::set_active(&state.db, &me, tinhgon_domain::ids::UserId(id), active)
        .await?;
    Ok(crate::pages::redirect_ok(
        &state,
        "/admin/users",
        if active {
            "Đã kích hoạt tài khoản."
        } else {
            "Đã vô hiệu hóa tài khoản."
        },
    ))
}

#[derive(Template)]
#[template(path = "user_edit.html")]
struct UserEditPage {
    ctx: PageCtx,
    id: i64,
    login: String,
    name: String,
    email: String,
    units: Vec<UnitChoice>,
    roles: Vec<RoleChoice>,
    active: bool,
    me: bool,
}

/// A unit choice of the edit form.
struct UnitChoice {
    value: i64,
    label: String,
    selected: bool,
}

/// `GET /admin/users/{user}`: an account's edit page (admin of its province).
pub async fn edit_user_form(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> WebResult<Response> {
    let me = viewer.require()?;
    let (u, email) =
        tinhgon_app::accounts::get(&state.db, me, tinhgon_domain::ids::UserId(id)).await?;
    let units = tinhgon_app::accounts::units_for_accounts(&state.db, me).await?;
    render(&UserEditPage {
        ctx: PageCtx::new(&viewer, "admin"),
        id: u.id,
        me: u.id == me.id,
        login: u.login,
        name: u.display_name,
        email: email.unwrap_or_default(),
        units: units
            .into_iter()
            .map(|(value, label)| UnitChoice {
                value,
                label,
                selected: u.unit_id == Some(value),
            })
            .collect(),
        roles: role_choices(u.role),
        active: u.active,
    })
}

pub use tinhgon_app::accounts::EditUserForm;

/// `POST /admin/users/{user}`: saves an account's name, role, unit and address.
pub async fn edit_user(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Form(f): Form<EditUserForm>,
) -> WebResult<Response> {
    let me = viewer.require()?.clone();
    tinhgon_app::accounts::edit(&state.db, &me, tinhgon_domain::ids::UserId(id), f).await?;
    Ok(crate::pages::redirect_ok(
        &state,
        &format!("/admin/users/{id}"),
        "Đã lưu thông tin tài khoản.",
    ))
}

/// Field of the password reset form.
#[derive(Deserialize)]
pub struct ResetForm {
    password: String,
}

/// `POST /admin/users/{user}/password`: an administrator sets a new password for an account.
pub async fn reset_password(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Form(f): Form<ResetForm>,
) -> WebResult<Response> {
    let me = viewer.require()?.clone();
    tinhgon_app::accounts::reset_password(
        &state.db,
        &me,
        tinhgon_domain::ids::UserId(id),
        f.password,
    )
    .await?;
    Ok(crate::pages::redirect_ok(
        &state,
        &format!("/admin/users/{id}"),
        "Đã đặt mật khẩu mới; tài khoản đã được đăng xuất khỏi mọi phiên đang mở.",
    ))
}
