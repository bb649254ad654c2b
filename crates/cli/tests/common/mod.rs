//! What the tests that run `tinhgon serve` as a process share: a raw HTTP client (no client
//! library for three requests), a free port, waiting for the server, and a province set up with
//! an administrator's API token.

#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use tinhgon_app::setup::{setup, SetupRequest};
use tinhgon_store::{accounts, sessions, Db};

/// One HTTP/1.1 request on a fresh connection: the status and body, or None when the server
/// did not answer (not started yet, or killed).
pub fn http(port: u16, method: &str, path: &str, token: &str, body: &str) -> Option<(u16, String)> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(20))).ok()?;
    let req = format!(
        "{method} {path} HTTP/1.1\r\nHost: tinhgon.test\r\nAuthorization: Bearer {token}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    s.write_all(req.as_bytes()).ok()?;
    let mut out = String::new();
    s.read_to_string(&mut out).ok()?;
    let status = out.split(' ').nth(1)?.parse().ok()?;
    let body = out.split_once("\r\n\r\n").map(|(_, b)| b.to_string())?;
    Some((status, body))
}

/// A loopback port nobody listens on now.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Waits until `/healthz` answers on `port` (30 s at most).
pub fn wait_up(port: u16) {
    let up = Instant::now();
    while http(port, "GET", "/healthz", "", "").is_none() {
        assert!(
            up.elapsed() < Duration::from_secs(30),
            "port {port} did not open"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Lào Cai set up on `db` with its administrator `quantri`; returns an API token of theirs.
pub async fn lao_cai_with_token(db: &Db) -> String {
    let req = SetupRequest {
        province: "Lào Cai".into(),
        admin_login: "quantri".into(),
        admin_password: "mat-khau-du-dai".into(),
        admin_name: String::new(),
    };
    setup(db, req, None).await.unwrap();
    let admin = accounts::credentials(db, "quantri")
        .await
        .unwrap()
        .unwrap()
        .user
        .id;
    let token = tinhgon_web::auth::random_token();
    let hash = tinhgon_web::auth::token_hash(&token);
    sessions::create_api_token(db, admin, "thử", &hash, chrono::Utc::now())
        .await
        .unwrap();
    token
}
