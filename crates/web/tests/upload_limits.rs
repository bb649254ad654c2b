//! Upload limits per route: each kind of route (plan documents, evidence, spreadsheets, other
//! forms and JSON) has its own limit from the configuration; a body over its route's limit gets
//! the Vietnamese 413 page (JSON under /api) and nothing is written, while the same body is
//! accepted by a route whose kind allows it.

mod common;

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use common::{password, publish_615, Client};
use tinhgon_store::web_queries as wq;
use tinhgon_web::config::UploadLimits;

const KIB: usize = 1024;

/// The app over `app`'s database with small limits, so the test bodies stay small.
fn small_limits(app: &common::App) -> axum::Router {
    let mut config = (*app.state.config).clone();
    config.upload_limits = UploadLimits {
        document: 300 * KIB,
        evidence: 200 * KIB,
        spreadsheet: 100 * KIB,
        form: 20 * KIB,
    };
    tinhgon_web::router(tinhgon_web::AppState::new(app.state.db.clone(), config))
}

async fn signed(router: &axum::Router, login: &str) -> Client {
    let mut c = Client::new_on(router.clone());
    assert_eq!(
        c.login(login, password(login)).await.status,
        StatusCode::SEE_OTHER
    );
    c
}

fn refused(r: &common::Resp, what: &str) {
    assert_eq!(
        r.status,
        StatusCode::PAYLOAD_TOO_LARGE,
        "{what}: {}",
        r.body
    );
    assert!(r.body.contains("quá lớn"), "{what}: {}", r.body);
}

#[tokio::test]
async fn each_kind_of_route_has_its_own_limit_and_an_oversize_body_writes_nothing() {
    let app = common::app().await;
    publish_615(&app).await;
    let router = small_limits(&app);
    let db = &app.state.db;
    let mut monitor = signed(&router, "sonoivu").await;
    let mut officer = signed(&router, "sotuphap").await;
    let token = common::api_token(db, "sonoivu", "thử giới hạn").await;
    let before = wq::table_fingerprint(db).await.unwrap();

    // Plan documents: over 300 KiB refused, on the page and in the API.
    monitor.get("/import").await;
    let r = monitor
        .post_multipart("/import", &[("file", "kh.txt", &vec![b'a'; 350 * KIB])])
        .await;
    refused(&r, "POST /import 350 KiB");
    assert!(r.body.contains("<html"), "a page, not JSON");
    let r = monitor
        .post_multipart_bearer(
            "/api/plans/import",
            &token,
            &[("file", "kh.txt", &vec![b'a'; 350 * KIB])],
        )
        .await;
    refused(&r, "POST /api/plans/import 350 KiB");
    let json: serde_json::Value = serde_json::from_str(&r.body).expect("JSON error");
    assert!(json.to_string().contains("quá lớn"), "{json}");

    // Spreadsheets: 150 KiB is over the 100 KiB of a staffing import.
    monitor.get("/staffing").await;
    let r = monitor
        .post_multipart(
            "/staffing/import",
            &[("file", "bien-che.xlsx", &vec![b'x'; 150 * KIB])],
        )
        .await;
    refused(&r, "POST /staffing/import 150 KiB");

    // Forms: 30 KiB is over the 20 KiB of a form; a declared length over it is refused unread.
    let r = monitor
        .post("/tasks/filters", &[("name", &"a".repeat(30 * KIB))])
        .await;
    refused(&r, "POST /tasks/filters 30 KiB");
    let req = Request::builder()
        .method(Method::POST)
        .uri("/api/notifications/read")
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::CONTENT_LENGTH, (25 * KIB).to_string())
        .body(Body::from(format!(
            "{{\"x\":\"{}\"}}",
            "a".repeat(25 * KIB - 8)
        )))
        .unwrap();
    let r = monitor.send(req).await;
    refused(&r, "POST /api/notifications/read 25 KiB declared");

    // Evidence: 250 KiB is over the evidence limit; nothing of any of the above was written.
    let tu_phap = wq::unit_names(db, Some(app.province))
        .await
        .unwrap()
        .into_iter()
        .find(|(_, n)| n == "Sở Tư pháp")
        .unwrap()
        .0;
    let assignment = wq::unit_work(db, tu_phap).await.unwrap()[0].id;
    officer.get(&format!("/assignments/{assignment}")).await;
    let path = format!("/assignments/{assignment}/progress");
    let r = officer
        .post_multipart(
            &path,
            &[
                ("text", "", b"Da thuc hien"),
                ("evidence", "bien-ban.pdf", &vec![b'%'; 250 * KIB]),
            ],
        )
        .await;
    refused(&r, "POST progress 250 KiB");
    assert_eq!(
        before,
        wq::table_fingerprint(db).await.unwrap(),
        "an oversize body wrote something"
    );

    // The same 60 KiB that a form may not carry is accepted as evidence: its route's limit.
    let mut pdf = b"%PDF-1.4\n".to_vec();
    pdf.resize(60 * KIB, b' ');
    let r = officer
        .post_multipart(
            &path,
            &[
                ("text", "", "Đã ban hành văn bản".as_bytes()),
                ("evidence", "van-ban.pdf", &pdf),
            ],
        )
        .await;
    assert_ne!(r.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", r.body);
    assert!(
        r.status.is_redirection() || r.status.is_success(),
        "{}: {}",
        r.status,
        r.body
    );
    let after = wq::table_fingerprint(db).await.unwrap();
    let count = |f: &[(String, i64)], t: &str| f.iter().find(|(n, _)| n == t).map(|x| x.1);
    assert_eq!(
        count(&after, "evidence"),
        count(&before, "evidence").map(|n| n + 1)
    );
}
