//! Idempotent submission on both databases: a progress report, extension request or obstacle
//! sent twice with the same key (the API's `Idempotency-Key` header, the form's hidden
//! `submission_key`) is recorded once and the repeat answers with the first result; another
//! key records another one; a key reused for another request is refused.

mod common;

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use common::{api_get, app_on, publish_615, signed_in, token_for, App, Auth};
use http_body_util::BodyExt as _;
use serde_json::{json, Value};
use tinhgon_store::records;
use tinhgon_store::tx::query;
use tower::ServiceExt as _;

/// An API POST of JSON with a bearer token and, when given, an `Idempotency-Key`.
async fn post_keyed(
    app: &App,
    path: &str,
    token: &str,
    key: Option<&str>,
    body: Value,
) -> (StatusCode, Value) {
    let mut b = Request::builder()
        .method(Method::POST)
        .uri(path)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "application/json");
    if let Some(k) = key {
        b = b.header("Idempotency-Key", k);
    }
    let req = b.body(Body::from(body.to_string())).unwrap();
    let resp = app.router.clone().oneshot(req).await.unwrap();
    let status = resp.status();
    let bytes = resp.into_body().collect().await.unwrap().to_bytes();
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

/// Rows of `table` about assignment `aid`.
async fn rows(app: &App, table: &str, aid: i64) -> i64 {
    let sql = format!("SELECT COUNT(*) FROM {table} WHERE assignment_id = $1");
    query(&sql).bind(aid).scalar(&app.state.db).await.unwrap()
}

/// Two open assignments of the officer's unit in 615/KH-UBND.
async fn two_assignments(app: &App, officer: &Auth) -> (i64, i64) {
    let inbox = api_get(
        app,
        &format!("/api/inbox?plan={}&per_page=200", app.plan),
        officer,
    )
    .await;
    assert_eq!(inbox.status, StatusCode::OK, "{}", inbox.json);
    let ids: Vec<i64> = inbox.json["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["status"] == "not_started")
        .map(|i| i["id"].as_i64().unwrap())
        .collect();
    assert!(ids.len() >= 2, "hai phân công chưa bắt đầu: {ids:?}");
    (ids[0], ids[1])
}

#[tokio::test]
async fn the_api_records_a_repeated_submission_once_on_both_databases() {
    for tdb in [tinhgon_testkit::sqlite_db(), tinhgon_testkit::postgres_db()] {
        let label = tdb.label;
        let app = app_on(tdb).await;
        publish_615(&app).await;
        let token = token_for(&app, "sotuphap").await;
        let (aid, other) = two_assignments(&app, &Auth::Bearer(token.clone())).await;
        let progress = format!("/api/assignments/{aid}/progress");
        let body = json!({"text": "Đã dự thảo đề án", "percent": 40});
        let key = "0f3a9c1e-77aa-4b1d-9c0e-5b2f1a7d9e42";

        let (s1, first) = post_keyed(&app, &progress, &token, Some(key), body.clone()).await;
        assert_eq!(s1, StatusCode::OK, "[{label}] {first}");
        let (s2, again) = post_keyed(&app, &progress, &token, Some(key), body.clone()).await;
        assert_eq!(s2, StatusCode::OK, "[{label}] {again}");
        assert_eq!(
            first["id"], again["id"],
            "[{label}] the repeat answers the first report"
        );
        assert_eq!(rows(&app, "progress_reports", aid).await, 1, "[{label}]");
        let audited: i64 = query(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'assignment.progress' AND object_id = $1",
        )
        .bind(aid)
        .scalar(&app.state.db)
        .await
        .unwrap();
        assert_eq!(audited, 1, "[{label}] one audit row for one report");

        let (s3, second) =
            post_keyed(&app, &progress, &token, Some("another-key-1"), body.clone()).await;
        assert_eq!(s3, StatusCode::OK, "[{label}] {second}");
        assert_ne!(first["id"], second["id"], "[{label}]");
        let (s4, _) = post_keyed(&app, &progress, &token, None, body.clone()).await;
        assert_eq!(s4, StatusCode::OK, "[{label}]");
        assert_eq!(rows(&app, "progress_reports", aid).await, 3, "[{label}]");

        // The same key for another assignment is another request: refused, nothing written.
        let elsewhere = format!("/api/assignments/{other}/progress");
        let (s5, refused) = post_keyed(&app, &elsewhere, &token, Some(key), body.clone()).await;
        assert_eq!(s5, StatusCode::CONFLICT, "[{label}] {refused}");
        assert_eq!(rows(&app, "progress_reports", other).await, 0, "[{label}]");
        let (s6, bad) = post_keyed(&app, &progress, &token, Some("ngắn"), body.clone()).await;
        assert_eq!(s6, StatusCode::BAD_REQUEST, "[{label}] {bad}");

        // Extension requests and obstacles keep their own keys the same way.
        let ext = format!("/api/assignments/{aid}/extension");
        let ext_body = json!({"new_due": "2027-12-31", "reason": "Chờ hướng dẫn của Bộ"});
        let (a, e1) = post_keyed(&app, &ext, &token, Some("ext-key-0001"), ext_body.clone()).await;
        let (b, e2) = post_keyed(&app, &ext, &token, Some("ext-key-0001"), ext_body).await;
        assert_eq!(
            (a, b),
            (StatusCode::OK, StatusCode::OK),
            "[{label}] {e1} {e2}"
        );
        assert_eq!(e1["id"], e2["id"], "[{label}]");
        assert_eq!(rows(&app, "extension_requests", aid).await, 1, "[{label}]");
        let obs = format!("/api/assignments/{aid}/obstacle");
        let obs_body = json!({"text": "Thiếu biên chế"});
        let (a, o1) = post_keyed(&app, &obs, &token, Some("obs-key-0001"), obs_body.clone()).await;
        let (b, o2) = post_keyed(&app, &obs, &token, Some("obs-key-0001"), obs_body.clone()).await;
        assert_eq!(
            (a, b),
            (StatusCode::OK, StatusCode::OK),
            "[{label}] {o1} {o2}"
        );
        assert_eq!(o1["id"], o2["id"], "[{label}]");
        let (c, _) = post_keyed(&app, &obs, &token, Some("obs-key-0002"), obs_body).await;
        assert_eq!(c, StatusCode::OK, "[{label}]");
        assert_eq!(rows(&app, "obstacles", aid).await, 2, "[{label}]");
    }
}

/// The hidden submission key the page rendered for the form whose key ends in `suffix`.
fn form_key(page: &str, suffix: &str) -> String {
    page.split("name=\"submission_key\" value=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .find(|k| k.ends_with(suffix))
        .unwrap_or_else(|| panic!("no submission key ending in {suffix}"))
        .to_string()
}

#[tokio::test]
async fn a_form_sent_twice_records_one_report_on_both_databases() {
    for tdb in [tinhgon_testkit::sqlite_db(), tinhgon_testkit::postgres_db()] {
        let label = tdb.label;
        let app = app_on(tdb).await;
        publish_615(&app).await;
        let token = token_for(&app, "sotuphap").await;
        let (aid, _) = two_assignments(&app, &Auth::Bearer(token)).await;
        let mut c = signed_in(&app, "sotuphap").await;
        let page = c.get(&format!("/assignments/{aid}")).await;
        assert_eq!(page.status, StatusCode::OK, "[{label}]");
        let key = form_key(&page.body, "-p");
        let path = format!("/assignments/{aid}/progress");
        let parts: [(&str, &str, &[u8]); 3] = [
            ("text", "", "Đã họp triển khai".as_bytes()),
            ("percent", "", b"30"),
            ("submission_key", "", key.as_bytes()),
        ];
        for _ in 0..2 {
            let r = c.post_multipart(&path, &parts).await;
            assert_eq!(r.status, StatusCode::SEE_OTHER, "[{label}] {}", r.body);
        }
        let reports = records::progress_reports(&app.state.db, aid).await.unwrap();
        assert_eq!(reports.len(), 1, "[{label}] one report for one form");

        // The page shown after the redirect is a new render with a new key: a new report.
        let page = c.get(&format!("/assignments/{aid}")).await;
        let next = form_key(&page.body, "-p");
        assert_ne!(next, key, "[{label}]");
        let parts: [(&str, &str, &[u8]); 2] = [
            ("text", "", "Đã trình dự thảo".as_bytes()),
            ("submission_key", "", next.as_bytes()),
        ];
        let r = c.post_multipart(&path, &parts).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "[{label}] {}", r.body);
        assert_eq!(rows(&app, "progress_reports", aid).await, 2, "[{label}]");

        // The obstacle form of the same render has its own key.
        let okey = form_key(&page.body, "-o");
        let obstacle = format!("/assignments/{aid}/obstacle");
        for _ in 0..2 {
            let r = c
                .post(
                    &obstacle,
                    &[("text", "Thiếu kinh phí"), ("submission_key", &okey)],
                )
                .await;
            assert_eq!(r.status, StatusCode::SEE_OTHER, "[{label}] {}", r.body);
        }
        assert_eq!(rows(&app, "obstacles", aid).await, 1, "[{label}]");
    }
}
