//! Test harness: a fresh database with the Nghệ An register, the demo accounts and seed plan
//! 615/KH-UBND published; an in-process client with a cookie jar that speaks to the router.

#![allow(dead_code)]

use std::collections::HashMap;

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use http_body_util::BodyExt;
use tinhgon_store::Db;
use tinhgon_web::{router, AppState, Config};
use tower::ServiceExt;

/// A running app over a fresh database.
pub struct App {
    pub state: AppState,
    pub router: axum::Router,
    pub province: i64,
    pub plan: i64,
    _db: tinhgon_testkit::TestDb,
    _data: tempfile::TempDir,
}

/// Opens `tdb`, seeds the base and 615/KH-UBND (published, no scripted progress).
pub async fn app_on(tdb: tinhgon_testkit::TestDb) -> App {
    let db = Db::connect(&tdb.url).await.expect("mở CSDL");
    let data = tempfile::tempdir().expect("thư mục dữ liệu");
    let base = tinhgon_demo::seed_base(&db).await.expect("dữ liệu nền");
    let monitor = base
        .users
        .iter()
        .find(|(l, _)| *l == "sonoivu")
        .map(|(_, id)| *id);
    let (name, bytes) = tinhgon_demo::SEEDS[0];
    let plan = tinhgon_demo::import_seed(
        &db,
        base.province_id,
        monitor,
        name,
        bytes,
        chrono::Utc::now(),
    )
    .await
    .expect("nhập 615");
    let config = Config {
        db: tdb.url.clone(),
        data_dir: data.path().to_path_buf(),
        ..Config::default()
    };
    let state = AppState::new(db, config);
    App {
        router: router(state.clone()),
        state,
        province: base.province_id,
        plan,
        _db: tdb,
        _data: data,
    }
}

/// The app on a fresh SQLite file.
pub async fn app() -> App {
    app_on(tinhgon_testkit::sqlite_db()).await
}

/// A browser-like client: keeps cookies, finds the CSRF token in pages.
#[derive(Clone)]
pub struct Client {
    pub router: axum::Router,
    pub cookies: HashMap<String, String>,
    pub csrf: String,
}

/// A response.
pub struct Resp {
    pub status: StatusCode,
    pub location: Option<String>,
    pub body: String,
    pub set_cookies: Vec<String>,
}

impl Client {
    pub fn new(app: &App) -> Client {
        Client::new_on(app.router.clone())
    }

    /// A client of any router (a database set up otherwise than the demo).
    pub fn new_on(router: axum::Router) -> Client {
        Client {
            router,
            cookies: HashMap::new(),
            csrf: String::new(),
        }
    }

    pub fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    pub async fn send(&mut self, req: Request<Body>) -> Resp {
        let resp = self.router.clone().oneshot(req).await.expect("phản hồi");
        let status = resp.status();
        let location = location(resp.headers());
        let set_cookies: Vec<String> = resp
            .headers()
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .map(str::to_string)
            .collect();
        for c in &set_cookies {
            let pair = c.split(';').next().unwrap_or("");
            if let Some((k, v)) = pair.split_once('=') {
                if c.contains("Max-Age=0") {
                    self.cookies.remove(k);
                } else {
                    self.cookies.insert(k.to_string(), v.to_string());
                }
            }
        }
        let bytes = resp.into_body().collect().await.expect("thân").to_bytes();
        let body = String::from_utf8_lossy(&bytes).to_string();
        if let Some(i) = body.find("name=\"_csrf\" value=\"") {
            let rest = &body[i + 20..];
            if let Some(end) = rest.find('"') {
                self.csrf = rest[..end].to_string();
            }
        }
        Resp {
            status,
            location,
            body,
            set_cookies,
        }
    }

    /// A GET of `path` with the client's cookies.
    fn get_request(&self, path: &str) -> Request<Body> {
        Request::builder()
            .method(Method::GET)
            .uri(path)
            .header(header::COOKIE, self.cookie_header())
            .body(Body::empty())
            .unwrap()
    }

    pub async fn get(&mut self, path: &str) -> Resp {
        let req = self.get_request(path);
        self.send(req).await
    }

    /// POSTs a form; `_csrf` is added from the last page seen unless given.
    pub async fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> Resp {
        let mut ser = form_urlencoded_pairs(fields);
        if !fields.iter().any(|(k, _)| *k == "_csrf") {
            ser.push_str(&format!("&_csrf={}", self.csrf));
        }
        self.post_raw(path, ser).await
    }

    pub async fn post_raw(&mut self, path: &str, body: String) -> Resp {
        let req = Request::builder()
            .method(Method::POST)
            .uri(path)
            .header(header::COOKIE, self.cookie_header())
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .unwrap();
        self.send(req).await
    }

    /// POSTs JSON as the browser session, the CSRF token in the `x-csrf-token` header.
    pub async fn post_json(&mut self, path: &str, body: &serde_json::Value) -> Resp {
        let req = Request::builder()
            .method(Method::POST)
            .uri(path)
            .header(header::COOKIE, self.cookie_header())
            .header("x-csrf-token", self.csrf.clone())
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body.to_string()))
            .unwrap();
        self.send(req).await
    }

    /// POSTs JSON with `Authorization: Bearer` and no cookie.
    pub async fn post_json_bearer(
        &mut self,
        path: &str,
        token: &str,
        body: &serde_json::Value,
    ) -> Resp {
        let req = Request::builder()
            .method(Method::POST)
            .uri(path)
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body.to_string()))
            .unwrap();
        self.send(req).await
    }

    /// POSTs multipart parts: (name, file name or "", bytes).
    pub async fn post_multipart(&mut self, path: &str, parts: &[(&str, &str, &[u8])]) -> Resp {
        let csrf = self.csrf.clone();
        let mut with_token: Vec<(&str, &str, &[u8])> = vec![("_csrf", "", csrf.as_bytes())];
        with_token.extend_from_slice(parts);
        let (ct, body) = multipart_body(&with_token);
        let req = Request::builder()
            .method(Method::POST)
            .uri(path)
            .header(header::COOKIE, self.cookie_header())
            .header(header::CONTENT_TYPE, ct)
            .body(Body::from(body))
            .unwrap();
        self.send(req).await
    }

    /// POSTs multipart parts with `Authorization: Bearer` and no cookie.
    pub async fn post_multipart_bearer(
        &mut self,
        path: &str,
        token: &str,
        parts: &[(&str, &str, &[u8])],
    ) -> Resp {
        let (ct, body) = multipart_body(parts);
        let req = Request::builder()
            .method(Method::POST)
            .uri(path)
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header(header::CONTENT_TYPE, ct)
            .body(Body::from(body))
            .unwrap();
        self.send(req).await
    }

    /// Signs in (fetching the sign-in form first for its token).
    pub async fn login(&mut self, login: &str, password: &str) -> Resp {
        self.get("/login").await;
        let r = self
            .post("/login", &[("login", login), ("password", password)])
            .await;
        // Pick up the session's own token for later forms.
        self.get("/account/password").await;
        r
    }
}

/// A multipart body: (content type, bytes).
pub fn multipart_body(parts: &[(&str, &str, &[u8])]) -> (String, Vec<u8>) {
    let boundary = "----tinhgonTestBoundary";
    let mut body: Vec<u8> = Vec::new();
    for (name, file, bytes) in parts {
        body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
        if file.is_empty() {
            body.extend_from_slice(
                format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n").as_bytes(),
            );
        } else {
            body.extend_from_slice(format!("Content-Disposition: form-data; name=\"{name}\"; filename=\"{file}\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes());
        }
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

pub fn form_urlencoded_pairs(fields: &[(&str, &str)]) -> String {
    let mut s = form_urlencoded::Serializer::new(String::new());
    for (k, v) in fields {
        s.append_pair(k, v);
    }
    s.finish()
}

/// Demo password of an account.
pub fn password(login: &str) -> &'static str {
    tinhgon_demo::ACCOUNTS
        .iter()
        .find(|a| a.login == login)
        .map(|a| a.password)
        .expect("tài khoản demo")
}

/// A client signed in as `login`.
pub async fn signed_in(app: &App, login: &str) -> Client {
    let mut c = Client::new(app);
    let r = c.login(login, password(login)).await;
    assert_eq!(
        r.status,
        StatusCode::SEE_OTHER,
        "đăng nhập {login}: {}",
        r.body
    );
    c
}

/// The id of an account.
pub async fn user_id(db: &Db, login: &str) -> i64 {
    tinhgon_store::accounts::credentials(db, login)
        .await
        .expect("đọc tài khoản")
        .expect("tài khoản có trong CSDL")
        .user
        .id
}

/// An API token of `login` written straight into the database (as `POST /api/tokens` would).
pub async fn api_token(db: &Db, login: &str, name: &str) -> String {
    let uid = user_id(db, login).await;
    let token = tinhgon_web::auth::random_token();
    tinhgon_store::sessions::create_api_token(
        db,
        uid,
        name,
        &tinhgon_web::auth::token_hash(&token),
        chrono::Utc::now(),
    )
    .await
    .expect("tạo mã truy cập");
    token
}

/// Publishes 615/KH-UBND as imported (no review), dated 28/7/2025, monitored by `sonoivu`.
pub async fn publish_615(app: &App) {
    let monitor = user_id(&app.state.db, "sonoivu").await;
    let day = chrono::NaiveDate::from_ymd_opt(2025, 7, 28).expect("ngày");
    tinhgon_demo::publish_unreviewed(
        &app.state.db,
        app.plan,
        Some(monitor),
        day,
        chrono::Utc::now(),
    )
    .await
    .expect("ban hành 615");
}

/// How a JSON API request authenticates.
#[derive(Clone)]
pub enum Auth {
    None,
    Bearer(String),
    /// Session cookie header and CSRF token ("" to leave the header out).
    Session(String, String),
}

/// A JSON API response.
pub struct ApiResp {
    pub status: StatusCode,
    /// The body as JSON (`Null` when it is not JSON).
    pub json: serde_json::Value,
    pub content_type: String,
}

/// One API request, without a cookie jar; `body` is (content type, bytes).
pub async fn api_send(
    app: &App,
    method: Method,
    path: &str,
    auth: &Auth,
    body: Option<(&str, Vec<u8>)>,
) -> ApiResp {
    let mut b = Request::builder().method(method).uri(path);
    match auth {
        Auth::None => {}
        Auth::Bearer(t) => b = b.header(header::AUTHORIZATION, format!("Bearer {t}")),
        Auth::Session(cookies, csrf) => {
            b = b.header(header::COOKIE, cookies.as_str());
            if !csrf.is_empty() {
                b = b.header("x-csrf-token", csrf.as_str());
            }
        }
    }
    let req = match body {
        Some((ct, bytes)) => b.header(header::CONTENT_TYPE, ct).body(Body::from(bytes)),
        None => b.body(Body::empty()),
    }
    .unwrap();
    let resp = app.router.clone().oneshot(req).await.unwrap();
    let status = resp.status();
    let content_type = header_text(resp.headers(), header::CONTENT_TYPE);
    let bytes = resp.into_body().collect().await.unwrap().to_bytes();
    let json = serde_json::from_slice(&bytes).unwrap_or(serde_json::Value::Null);
    ApiResp {
        status,
        json,
        content_type,
    }
}

/// An API GET.
pub async fn api_get(app: &App, path: &str, auth: &Auth) -> ApiResp {
    api_send(app, Method::GET, path, auth, None).await
}

/// An API POST of a JSON body.
pub async fn api_post(app: &App, path: &str, auth: &Auth, body: serde_json::Value) -> ApiResp {
    let body = Some(("application/json", body.to_string().into_bytes()));
    api_send(app, Method::POST, path, auth, body).await
}

/// A browser session of `login` as the API sees it: (cookie header, CSRF token from `/api/me`).
pub async fn session_for(app: &App, login: &str) -> (String, String) {
    let c = signed_in(app, login).await;
    let cookies = format!("tg_session={}", c.cookies["tg_session"]);
    let me = api_get(
        app,
        "/api/me",
        &Auth::Session(cookies.clone(), String::new()),
    )
    .await;
    assert_eq!(me.status, StatusCode::OK, "{}", me.json);
    let csrf = me.json["csrf_token"].as_str().unwrap().to_string();
    (cookies, csrf)
}

/// A signed-in browser session turned into an API token through the API itself.
pub async fn token_for(app: &App, login: &str) -> String {
    let (cookies, csrf) = session_for(app, login).await;
    let r = api_post(
        app,
        "/api/tokens",
        &Auth::Session(cookies, csrf),
        serde_json::json!({"name": format!("thử nghiệm {login}")}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    r.json["token"].as_str().unwrap().to_string()
}

/// A header's value as text ("" when absent or not text).
pub fn header_text(headers: &axum::http::HeaderMap, name: header::HeaderName) -> String {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string()
}

/// A response kept as bytes (downloads).
pub struct Download {
    pub status: StatusCode,
    pub content_type: String,
    pub disposition: String,
    pub location: Option<String>,
    pub bytes: Vec<u8>,
}

/// GETs `path` with the client's cookies and keeps the body as bytes (the client's cookies
/// and CSRF token are left as they are).
pub async fn download(c: &Client, path: &str) -> Download {
    let resp = c.router.clone().oneshot(c.get_request(path)).await.unwrap();
    let status = resp.status();
    let content_type = header_text(resp.headers(), header::CONTENT_TYPE);
    let disposition = header_text(resp.headers(), header::CONTENT_DISPOSITION);
    let location = location(resp.headers());
    let bytes = resp
        .into_body()
        .collect()
        .await
        .unwrap()
        .to_bytes()
        .to_vec();
    Download {
        status,
        content_type,
        disposition,
        location,
        bytes,
    }
}

/// The `Location` header of a response.
fn location(headers: &axum::http::HeaderMap) -> Option<String> {
    headers
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}
