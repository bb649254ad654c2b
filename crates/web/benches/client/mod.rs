//! The HTTP side of the load benchmarks: keep-alive connections to the server child, one
//! request at a time per connection, and the real sign-in (form, CSRF, API token).

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use anyhow::{bail, Context as _, Result};
use axum::body::Bytes;
use http_body_util::{BodyExt as _, Full};
use hyper::client::conn::http1::SendRequest;
use hyper::{Method, Request, StatusCode};
use hyper_util::rt::TokioIo;

/// A keep-alive HTTP/1.1 connection.
pub type Conn = SendRequest<Full<Bytes>>;

/// Opens a connection (no Nagle delay: requests are small).
pub async fn connect(addr: SocketAddr) -> Result<Conn> {
    let stream = tokio::net::TcpStream::connect(addr).await?;
    stream.set_nodelay(true)?;
    let (send, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream)).await?;
    tokio::spawn(async move {
        let _ = conn.await;
    });
    Ok(send)
}

/// One request on a connection: status, `Set-Cookie` values, body.
pub async fn call(
    send: &mut Conn,
    method: Method,
    path: &str,
    headers: &[(&str, &str)],
    body: Bytes,
) -> Result<(StatusCode, Vec<String>, Bytes)> {
    let mut req = Request::builder()
        .method(method)
        .uri(path)
        .header("host", "127.0.0.1");
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    send.ready().await?;
    let resp = send.send_request(req.body(Full::new(body))?).await?;
    let status = resp.status();
    let cookies = resp
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .map(|v| v.split(';').next().unwrap_or("").to_string())
        .collect();
    let body = resp.into_body().collect().await?.to_bytes();
    Ok((status, cookies, body))
}

fn cookie_value<'a>(cookies: &'a [String], name: &str) -> Option<&'a str> {
    cookies
        .iter()
        .find_map(|c| c.strip_prefix(name)?.strip_prefix('='))
}

/// A signed-in account: its cookie header and its API `Authorization` value.
#[derive(Clone)]
pub struct SignedIn {
    /// `Cookie` header of the session.
    pub cookie: String,
    /// `Bearer …` from `POST /api/tokens`.
    pub bearer: String,
}

/// Signs in through the real form, then asks the API for a token.
pub async fn sign_in(addr: SocketAddr, login: &str, password: &str) -> Result<SignedIn> {
    let mut c = connect(addr).await?;
    let (_, cookies, _) = call(&mut c, Method::GET, "/login", &[], Bytes::new()).await?;
    let pre = cookie_value(&cookies, tinhgon_web::auth::PRE_COOKIE)
        .context("không có cookie tiền phiên")?
        .to_string();
    let form: String = form_urlencoded::Serializer::new(String::new())
        .append_pair("login", login)
        .append_pair("password", password)
        .append_pair(tinhgon_web::auth::CSRF_FIELD, &pre)
        .finish();
    let pre_cookie = format!("{}={pre}", tinhgon_web::auth::PRE_COOKIE);
    let (status, cookies, _) = call(
        &mut c,
        Method::POST,
        "/login",
        &[
            ("cookie", &pre_cookie),
            ("content-type", "application/x-www-form-urlencoded"),
        ],
        Bytes::from(form),
    )
    .await?;
    let session = cookie_value(&cookies, tinhgon_web::auth::SESSION_COOKIE)
        .filter(|v| !v.is_empty())
        .with_context(|| format!("đăng nhập {login} thất bại: {status}"))?;
    let cookie = format!(
        "{}={session}; {pre_cookie}",
        tinhgon_web::auth::SESSION_COOKIE
    );
    // The CSRF token of the session is in every signed-in page's forms.
    let (_, _, page) = call(
        &mut c,
        Method::GET,
        "/account/password",
        &[("cookie", &cookie)],
        Bytes::new(),
    )
    .await?;
    let page = String::from_utf8_lossy(&page);
    let csrf = page
        .split("name=\"_csrf\" value=\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .context("không thấy mã CSRF trên trang")?
        .to_string();
    let (status, _, body) = call(
        &mut c,
        Method::POST,
        "/api/tokens",
        &[
            ("cookie", &cookie),
            (tinhgon_web::auth::CSRF_HEADER, &csrf),
            ("content-type", "application/json"),
        ],
        Bytes::from(format!("{{\"name\":\"bench {login}\"}}")),
    )
    .await?;
    if !status.is_success() {
        bail!("không tạo được mã API cho {login}: {status}");
    }
    let token = serde_json::from_slice::<serde_json::Value>(&body)?
        .get("token")
        .and_then(|t| t.as_str())
        .map(str::to_string)
        .context("trả lời /api/tokens không có token")?;
    Ok(SignedIn {
        cookie,
        bearer: format!("Bearer {token}"),
    })
}

/// Waits until the server answers `/healthz` (the national set may take a while to open).
pub async fn wait_healthy(addr: SocketAddr) -> Result<()> {
    let t = Instant::now();
    loop {
        if let Ok(mut c) = connect(addr).await {
            if let Ok((s, _, _)) = call(&mut c, Method::GET, "/healthz", &[], Bytes::new()).await {
                if s.is_success() {
                    return Ok(());
                }
            }
        }
        if t.elapsed() > Duration::from_secs(600) {
            bail!("máy chủ con không trả lời /healthz");
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}
