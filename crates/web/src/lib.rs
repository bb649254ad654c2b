//! tinhgon-web: the web application. Server-rendered Vietnamese pages (askama), a JSON API with
//! its OpenAPI document, accounts and sessions kept in the database (so several instances can
//! serve one PostgreSQL), CSRF on every form, and every asset embedded in the binary.

pub mod api;
pub mod assets;
pub mod auth;
pub mod chart;
pub mod config;
pub mod download;
pub mod error;
pub mod jobs;
pub mod limits;
pub mod lineage_svg;
pub mod mail;
pub mod metrics;
pub mod pages;
pub mod request;
pub mod routes;
pub mod view;

use std::sync::Arc;

use axum::extract::Request;
use axum::http::{header, HeaderValue};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::Router;
use tinhgon_store::Db;

pub use config::Config;
pub use error::WebError;

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    /// The database.
    pub db: Db,
    /// The configuration.
    pub config: Arc<Config>,
    /// The page header's owner name per province (see [`AppState::owner_name`]).
    owner_names: Arc<std::sync::Mutex<OwnerNames>>,
    /// This instance's figures for `/metrics`.
    pub metrics: Arc<metrics::Registry>,
    /// The one-time token of the first-run page, while it is open (see [`AppState::open_first_run`]).
    pub first_run: Arc<tokio::sync::Mutex<Option<String>>>,
}

/// Owner names by province (None: the database's only province), with when each was read.
type OwnerNames = std::collections::HashMap<Option<i64>, (std::time::Instant, Option<String>)>;

/// How long a province's owner name is reused before the register is read again: a rename
/// shows within this time without a query on every page.
const OWNER_NAME_TTL: std::time::Duration = std::time::Duration::from_secs(300);

impl AppState {
    /// State over an open database.
    pub fn new(db: Db, config: Config) -> AppState {
        AppState {
            db,
            config: Arc::new(config),
            owner_names: Arc::default(),
            metrics: Arc::default(),
            first_run: Arc::default(),
        }
    }

    /// On a database without any account, opens the first-run page and returns its one-time
    /// token (`/setup?token=…`); None when an account exists.
    pub async fn open_first_run(&self) -> Result<Option<String>, tinhgon_store::StoreError> {
        let mut gate = self.first_run.lock().await;
        if tinhgon_store::accounts::any_user(&self.db).await? {
            *gate = None;
            return Ok(None);
        }
        let token = auth::random_token();
        *gate = Some(token.clone());
        Ok(Some(token))
    }

    /// "Sở Nội vụ tỉnh …" for the header of a viewer of `province` (see
    /// `tinhgon_app::register::owner_name`), read from the register at most every few minutes.
    pub async fn owner_name(&self, province: Option<i64>) -> Option<String> {
        let now = std::time::Instant::now();
        if let Ok(cache) = self.owner_names.lock() {
            if let Some((at, name)) = cache.get(&province) {
                if now.duration_since(*at) < OWNER_NAME_TTL {
                    return name.clone();
                }
            }
        }
        // A failed read only costs the header its name; the page itself still answers.
        let name = tinhgon_app::register::owner_name(&self.db, province)
            .await
            .ok()
            .flatten();
        if let Ok(mut cache) = self.owner_names.lock() {
            cache.insert(province, (now, name.clone()));
        }
        name
    }
}

async fn security_headers(req: Request, next: Next) -> Response {
    let mut resp = next.run(req).await;
    let h = resp.headers_mut();
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'self'; img-src 'self' data:; script-src 'self'; style-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"),
    );
    resp
}

async fn not_found(uri: axum::http::Uri) -> Response {
    // JSON under /api, the HTML page elsewhere.
    auth::refuse(uri.path(), WebError::NotFound)
}

/// The application router over `state`.
pub fn router(state: AppState) -> Router {
    routes::build(&state.config.upload_limits)
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(
            state.clone(),
            auth::resolve_viewer,
        ))
        // Outside the viewer's resolution, which reads a form's body for its CSRF token.
        .layer(middleware::from_fn_with_state(
            state.clone(),
            limits::limit_body,
        ))
        .layer(middleware::from_fn(security_headers))
        // Outermost, so the time counted includes sign-in resolution; Router::layer wraps each
        // route, so the route pattern is known here.
        .layer(middleware::from_fn_with_state(
            state.clone(),
            metrics::measure,
        ))
        .with_state(state)
}

/// A failure to start serving.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// Bad configuration.
    #[error(transparent)]
    Config(#[from] config::ConfigError),
    /// The database could not be opened.
    #[error(transparent)]
    Store(#[from] tinhgon_store::StoreError),
    /// The address could not be bound.
    #[error("không mở được cổng {0}: {1}")]
    Bind(String, std::io::Error),
    /// The server stopped with an error.
    #[error("máy chủ dừng do lỗi: {0}")]
    Io(std::io::Error),
    /// Outgoing mail is misconfigured.
    #[error(transparent)]
    Mail(#[from] mail::MailError),
}

/// Opens the database and serves until the process is stopped, with the background jobs
/// (daily reminders, e-mail sending) unless the configuration turns them off.
pub async fn serve(config: Config) -> Result<(), ServeError> {
    let db = Db::connect(&config.db).await?;
    let listener = tokio::net::TcpListener::bind(&config.bind)
        .await
        .map_err(|e| ServeError::Bind(config.bind.clone(), e))?;
    let state = AppState::new(db, config);
    if let Some(token) = state.open_first_run().await? {
        let base = state
            .config
            .public_url
            .clone()
            .unwrap_or_else(|| format!("http://{}", state.config.bind));
        let url = format!("{}/setup?token={token}", base.trim_end_matches('/'));
        tracing::warn!(
            dia_chi = %url,
            "Hệ thống chưa có tài khoản nào. Mở {url} để chọn tỉnh và tạo quản trị viên đầu tiên (địa chỉ chỉ dùng được một lần)."
        );
        // Also on stderr: the log may be filtered above warnings or sent to a collector.
        eprintln!("Hệ thống chưa có tài khoản nào. Thiết lập lần đầu tại: {url}");
    }
    let _jobs = jobs::spawn(&state)?;
    serve_on(listener, state).await
}

/// Serves `state` on an already bound listener (tests bind 127.0.0.1:0).
pub async fn serve_on(
    listener: tokio::net::TcpListener,
    state: AppState,
) -> Result<(), ServeError> {
    std::fs::create_dir_all(&state.config.data_dir).map_err(ServeError::Io)?;
    axum::serve(listener, router(state))
        .await
        .map_err(ServeError::Io)
}
