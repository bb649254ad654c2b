//! Faults the service must survive: PostgreSQL restarted under load (requests fail fast with a
//! Vietnamese 503, never a 500, and the service recovers by itself), and SQLite out of space
//! (a clear error, nothing half-written, the database intact).

mod common;

use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use http_body_util::BodyExt;
use tinhgon_app::setup::{setup, SetupRequest};
use tinhgon_store::Db;
use tinhgon_web::{router, AppState, Config};

fn lao_cai() -> SetupRequest {
    SetupRequest {
        province: "Lào Cai".into(),
        admin_login: "quantri".into(),
        admin_password: "mat-khau-du-dai".into(),
        admin_name: String::new(),
    }
}

/// GET `path` with an API token: (status, body, Retry-After).
async fn get(app: &axum::Router, path: &str, token: &str) -> (StatusCode, String, Option<String>) {
    use tower::ServiceExt;
    let req = Request::get(path)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .body(Body::empty())
        .unwrap();
    let resp = app.clone().oneshot(req).await.unwrap();
    let status = resp.status();
    let retry = resp
        .headers()
        .get(header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let body = resp.into_body().collect().await.unwrap().to_bytes();
    (status, String::from_utf8_lossy(&body).into_owned(), retry)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn postgres_restarted_under_load_gives_503_then_recovers_by_itself() {
    let pg = tinhgon_testkit::pg::TempPg::start().expect("PostgreSQL");
    let url = pg.fresh_database().unwrap();
    let db = Db::connect(&url).await.unwrap();
    setup(&db, lao_cai(), None).await.unwrap();
    let token = common::api_token(&db, "quantri", "tải").await;
    let data = tempfile::tempdir().unwrap();
    let config = Config {
        db: url.clone(),
        data_dir: data.path().to_path_buf(),
        ..Config::default()
    };
    let state = AppState::new(db, config);
    let app = router(state);
    assert_eq!(get(&app, "/api/units", &token).await.0, StatusCode::OK);

    // Eight clients keep asking while the server goes down.
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let mut clients = Vec::new();
    for _ in 0..8 {
        let (app, token, stop) = (app.clone(), token.clone(), stop.clone());
        clients.push(tokio::spawn(async move {
            let mut seen = Vec::new();
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let t = Instant::now();
                let (status, body, retry) = get(&app, "/api/units", &token).await;
                seen.push((status, t.elapsed(), body, retry));
            }
            seen
        }));
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    pg.stop().unwrap();
    tokio::time::sleep(Duration::from_secs(6)).await;
    pg.start_again().unwrap();
    // The service finds the server again without a restart of its own.
    let back = Instant::now();
    loop {
        let (status, _, _) = get(&app, "/api/units", &token).await;
        if status == StatusCode::OK {
            break;
        }
        assert!(
            back.elapsed() < Duration::from_secs(20),
            "not recovered: {status}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let mut unavailable = 0;
    for c in clients {
        for (status, took, body, retry) in c.await.unwrap() {
            assert!(
                status == StatusCode::OK || status == StatusCode::SERVICE_UNAVAILABLE,
                "{status}: {body}"
            );
            if status == StatusCode::SERVICE_UNAVAILABLE {
                unavailable += 1;
                assert!(body.contains("tạm thời không kết nối được"), "{body}");
                assert!(took < Duration::from_secs(5), "failed slowly: {took:?}");
                assert_eq!(
                    retry.as_deref(),
                    Some("5"),
                    "clients are told when to retry"
                );
            }
        }
    }
    assert!(unavailable > 0, "the outage was seen");
}
