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
    let base = tinhgon_web::demo::seed_base(&db)
        .await
        .expect("dữ liệu nền");
    let monitor = base
        .users
        .iter()
        .find(|(l, _)| *l == "sonoivu")
        .map(|(_, id)| *id);
    let (name, bytes) = tinhgon_web::demo::SEEDS[0];
    let plan = tinhgon_web::demo::import_seed(
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
        Client {
            router: app.router.clone(),
            cookies: HashMap::new(),
            csrf: String::new(),
        }
    }

    fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    pub async fn send(&mut self, req: Request<Body>) -> Resp {
        let resp = self.router.clone().oneshot(req).await.expect("phản hồi");
        let status = resp.status();
        let location = resp
            .headers()
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
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

    pub async fn get(&mut self, path: &str) -> Resp {
        let req = Request::builder()
            .method(Method::GET)
            .uri(path)
            .header(header::COOKIE, self.cookie_header())
            .body(Body::empty())
            .unwrap();
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
        let sep = if path.contains('?') { '&' } else { '?' };
        let req = Request::builder()
            .method(Method::POST)
            .uri(format!("{path}{sep}_csrf={}", self.csrf))
            .header(header::COOKIE, self.cookie_header())
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={boundary}"),
            )
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
    tinhgon_web::demo::ACCOUNTS
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
