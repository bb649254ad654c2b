//! The JSON API against the real router on a real database (SQLite and PostgreSQL): one flow
//! from token to dashboard, rights (another unit's officer, a leader, anonymous), and bad input
//! that must answer a JSON 4xx, never a server error.

mod common;

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use common::{app_on, signed_in, App};
use http_body_util::BodyExt;
use serde_json::{json, Value};
use tinhgon_store::web_queries as wq;
use tower::ServiceExt;

/// How a request authenticates.
#[derive(Clone)]
enum Auth {
    None,
    Bearer(String),
    /// Session cookie header and CSRF token ("" to leave the header out).
    Session(String, String),
}

struct Resp {
    status: StatusCode,
    json: Value,
    content_type: String,
}

async fn send(
    app: &App,
    method: Method,
    path: &str,
    auth: &Auth,
    body: Option<(&str, Vec<u8>)>,
) -> Resp {
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
    let content_type = resp
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let bytes = resp.into_body().collect().await.unwrap().to_bytes();
    let json = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    Resp {
        status,
        json,
        content_type,
    }
}

async fn get(app: &App, path: &str, auth: &Auth) -> Resp {
    send(app, Method::GET, path, auth, None).await
}

async fn post(app: &App, path: &str, auth: &Auth, body: Value) -> Resp {
    send(
        app,
        Method::POST,
        path,
        auth,
        Some(("application/json", body.to_string().into_bytes())),
    )
    .await
}

fn multipart(parts: &[(&str, &str, &[u8])]) -> (String, Vec<u8>) {
    let boundary = "----tinhgonApiBoundary";
    let mut body = Vec::new();
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

/// A signed-in browser session turned into an API token through the API itself.
async fn token_for(app: &App, login: &str) -> String {
    let c = signed_in(app, login).await;
    let cookies = format!("tg_session={}", c.cookies["tg_session"]);
    let me = get(
        app,
        "/api/me",
        &Auth::Session(cookies.clone(), String::new()),
    )
    .await;
    assert_eq!(me.status, StatusCode::OK, "{}", me.json);
    let csrf = me.json["csrf_token"].as_str().unwrap().to_string();
    let r = post(
        app,
        "/api/tokens",
        &Auth::Session(cookies, csrf),
        json!({"name": format!("thử nghiệm {login}")}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    r.json["token"].as_str().unwrap().to_string()
}

async fn publish_615(app: &App) {
    let monitor = tinhgon_store::accounts::credentials(&app.state.db, "sonoivu")
        .await
        .unwrap()
        .map(|c| c.user.id);
    let day = chrono::NaiveDate::from_ymd_opt(2025, 7, 28).unwrap();
    tinhgon_web::demo::publish_unreviewed(
        &app.state.db,
        app.plan,
        monitor,
        day,
        chrono::Utc::now(),
    )
    .await
    .expect("ban hành 615");
}

fn count(dash: &Value, class: &str) -> u64 {
    dash["counts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["class"] == class)
        .and_then(|c| c["n"].as_u64())
        .unwrap()
}

#[tokio::test]
async fn token_plans_progress_confirm_and_the_dashboard_moves_on_both_databases() {
    for tdb in [tinhgon_testkit::sqlite_db(), tinhgon_testkit::postgres_db()] {
        let label = tdb.label;
        let app = app_on(tdb).await;
        publish_615(&app).await;
        let officer = Auth::Bearer(token_for(&app, "sotuphap").await);
        let monitor = Auth::Bearer(token_for(&app, "sonoivu").await);

        let plans = get(&app, "/api/plans", &officer).await;
        assert_eq!(plans.status, StatusCode::OK, "[{label}] {}", plans.json);
        assert!(
            plans.json["items"]
                .as_array()
                .unwrap()
                .iter()
                .any(|p| p["id"] == app.plan),
            "[{label}] 615 trong danh sách: {}",
            plans.json
        );
        let detail = get(&app, &format!("/api/plans/{}", app.plan), &officer).await;
        assert_eq!(detail.status, StatusCode::OK);
        assert!(!detail.json["tasks"].as_array().unwrap().is_empty());

        let inbox = get(
            &app,
            &format!("/api/inbox?plan={}&per_page=200", app.plan),
            &officer,
        )
        .await;
        assert_eq!(inbox.status, StatusCode::OK, "[{label}] {}", inbox.json);
        let item = inbox.json["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["status"] == "not_started")
            .expect("một phân công chưa bắt đầu")
            .clone();
        let aid = item["id"].as_i64().unwrap();

        let dash_path = format!("/api/dashboard?plan={}", app.plan);
        let before = get(&app, &dash_path, &monitor).await;
        assert_eq!(before.status, StatusCode::OK, "[{label}] {}", before.json);
        let done_before = count(&before.json, "done_on_time") + count(&before.json, "done_late");

        let r = post(
            &app,
            &format!("/api/assignments/{aid}/progress"),
            &officer,
            json!({"text": "Đã dự thảo đề án", "percent": 60}),
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "[{label}] {}", r.json);
        let (ct, body) = multipart(&[
            ("text", "", "Kèm biên bản họp".as_bytes()),
            ("percent", "", b"80"),
            ("evidence", "bien-ban.pdf", b"%PDF-1.4 bien ban"),
        ]);
        let r = send(
            &app,
            Method::POST,
            &format!("/api/assignments/{aid}/progress"),
            &officer,
            Some((&ct, body)),
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "[{label}] {}", r.json);
        let r = post(
            &app,
            &format!("/api/assignments/{aid}/propose"),
            &officer,
            json!({"note": "Đã hoàn thành"}),
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "[{label}] {}", r.json);
        assert_eq!(r.json["status"], "completion_proposed");

        let view = get(&app, &format!("/api/assignments/{aid}"), &monitor).await;
        assert_eq!(view.status, StatusCode::OK);
        assert_eq!(view.json["percent"], 80);
        assert!(view.json["actions"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a == "confirm"));
        let files: Vec<&Value> = view.json["timeline"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|e| e["files"].as_array().unwrap())
            .collect();
        assert_eq!(files.len(), 1, "[{label}] {}", view.json);
        assert_eq!(files[0]["name"], "bien-ban.pdf");

        let r = post(
            &app,
            &format!("/api/assignments/{aid}/decide"),
            &monitor,
            json!({"op": "confirm"}),
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "[{label}] {}", r.json);
        assert_eq!(r.json["status"], "done");

        let after = get(&app, &dash_path, &monitor).await;
        let done_after = count(&after.json, "done_on_time") + count(&after.json, "done_late");
        assert_eq!(done_after, done_before + 1, "[{label}] {}", after.json);
        assert_eq!(after.json["total"], before.json["total"]);

        // The officer was told; the notification list shows it.
        let notes = get(&app, "/api/notifications", &officer).await;
        assert!(notes
            .json
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["kind"] == "decision"));
        // The audit trail of the assignment records the confirmation.
        let audit = get(&app, &format!("/api/audit/assignment/{aid}"), &monitor).await;
        assert!(audit
            .json
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["action"] == "assignment.confirm"));
    }
}

#[tokio::test]
async fn another_units_officer_a_leader_and_anonymous_are_refused_and_nothing_changes() {
    let app = common::app().await;
    publish_615(&app).await;
    let own = Auth::Bearer(token_for(&app, "sotuphap").await);
    let other = Auth::Bearer(token_for(&app, "sotaichinh").await);
    let leader = Auth::Bearer(token_for(&app, "lanhdao").await);
    let inbox = get(&app, "/api/inbox", &own).await;
    let aid = inbox.json["items"][0]["id"].as_i64().unwrap();
    let before = wq::table_fingerprint(&app.state.db).await.unwrap();
    let body = json!({"text": "không được phép", "percent": 10, "note": "x", "op": "confirm"});
    for (who, auth, path, want) in [
        (
            "sở khác",
            &other,
            format!("/api/assignments/{aid}/progress"),
            StatusCode::FORBIDDEN,
        ),
        (
            "sở khác",
            &other,
            format!("/api/assignments/{aid}/propose"),
            StatusCode::FORBIDDEN,
        ),
        (
            "lãnh đạo",
            &leader,
            format!("/api/assignments/{aid}/progress"),
            StatusCode::FORBIDDEN,
        ),
        (
            "lãnh đạo",
            &leader,
            format!("/api/assignments/{aid}/decide"),
            StatusCode::FORBIDDEN,
        ),
        (
            "cán bộ",
            &own,
            format!("/api/assignments/{aid}/decide"),
            StatusCode::FORBIDDEN,
        ),
        (
            "cán bộ",
            &own,
            "/api/users".to_string(),
            StatusCode::FORBIDDEN,
        ),
        (
            "ẩn danh",
            &Auth::None,
            format!("/api/assignments/{aid}/progress"),
            StatusCode::FORBIDDEN,
        ),
        (
            "mã sai",
            &Auth::Bearer("0".repeat(64)),
            format!("/api/assignments/{aid}/progress"),
            StatusCode::UNAUTHORIZED,
        ),
    ] {
        let r = post(&app, &path, auth, body.clone()).await;
        assert_eq!(r.status, want, "{who} {path}: {}", r.json);
        assert!(r.json["error"].is_string(), "{who} {path}: {}", r.json);
        assert!(r.content_type.starts_with("application/json"));
    }
    assert_eq!(before, wq::table_fingerprint(&app.state.db).await.unwrap());
    // Reading: anonymous gets a JSON 401, not the sign-in redirect.
    let r = get(&app, "/api/plans", &Auth::None).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert!(r.json["error"].as_str().unwrap().contains("đăng nhập"));
    // Officers have no dashboard; leaders do but cannot urge.
    assert_eq!(
        get(&app, "/api/dashboard", &own).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        get(&app, "/api/dashboard", &leader).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn a_cookie_session_needs_the_csrf_header_on_changes() {
    let app = common::app().await;
    let c = signed_in(&app, "sonoivu").await;
    let cookies = format!("tg_session={}", c.cookies["tg_session"]);
    let me = get(
        &app,
        "/api/me",
        &Auth::Session(cookies.clone(), String::new()),
    )
    .await;
    let csrf = me.json["csrf_token"].as_str().unwrap().to_string();
    let path = format!("/api/plans/{}/review/meta", app.plan);
    let body = json!({"number": "1/KH-THU", "title": "Thử", "date": "2025-07-01"});
    let before = wq::table_fingerprint(&app.state.db).await.unwrap();
    for bad in [String::new(), "0".repeat(64)] {
        let r = post(
            &app,
            &path,
            &Auth::Session(cookies.clone(), bad),
            body.clone(),
        )
        .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.json);
        assert!(r.json["error"].is_string());
    }
    assert_eq!(before, wq::table_fingerprint(&app.state.db).await.unwrap());
    let r = post(&app, &path, &Auth::Session(cookies, csrf), body).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    let monitor = Auth::Bearer(token_for(&app, "sonoivu").await);
    let draft = get(&app, &format!("/api/plans/{}/review", app.plan), &monitor).await;
    assert_eq!(draft.json["draft"]["document"]["number"], "1/KH-THU");
}

/// (what, method, path, auth, body, expected status).
type Case<'a> = (
    &'a str,
    Method,
    String,
    &'a Auth,
    Option<(&'a str, Vec<u8>)>,
    StatusCode,
);

#[tokio::test]
async fn bad_json_bad_ids_and_bad_values_answer_json_4xx() {
    let app = common::app().await;
    publish_615(&app).await;
    let officer = Auth::Bearer(token_for(&app, "sotuphap").await);
    let monitor = Auth::Bearer(token_for(&app, "sonoivu").await);
    let aid = get(&app, "/api/inbox", &officer).await.json["items"][0]["id"]
        .as_i64()
        .unwrap();
    let progress = format!("/api/assignments/{aid}/progress");
    let raw = |ct: &'static str, b: &'static [u8]| Some((ct, b.to_vec()));
    let cases: Vec<Case> = vec![
        ("JSON hỏng", Method::POST, progress.clone(), &officer, raw("application/json", b"{\"text\": "), StatusCode::BAD_REQUEST),
        ("sai kiểu", Method::POST, progress.clone(), &officer, raw("application/json", b"{\"text\": 5}"), StatusCode::BAD_REQUEST),
        ("thiếu trường", Method::POST, progress.clone(), &officer, raw("application/json", b"{}"), StatusCode::BAD_REQUEST),
        ("không phải JSON", Method::POST, format!("/api/assignments/{aid}/obstacle"), &officer, raw("application/x-www-form-urlencoded", b"text=x"), StatusCode::BAD_REQUEST),
        ("NUL", Method::POST, progress.clone(), &officer, raw("application/json", b"{\"text\": \"a\\u0000b\"}"), StatusCode::BAD_REQUEST),
        ("tỷ lệ 150", Method::POST, progress.clone(), &officer, raw("application/json", b"{\"text\": \"x\", \"percent\": 150}"), StatusCode::BAD_REQUEST),
        ("tỷ lệ quá lớn", Method::POST, progress.clone(), &officer, raw("application/json", b"{\"text\": \"x\", \"percent\": 1e300}"), StatusCode::BAD_REQUEST),
        ("tệp sai loại", Method::POST, progress.clone(), &officer, {
            let (ct, b) = multipart(&[("text", "", b"x"), ("evidence", "a.exe", b"MZ\x90\x00")]);
            Some((Box::leak(ct.into_boxed_str()) as &str, b))
        }, StatusCode::BAD_REQUEST),
        ("multipart hỏng", Method::POST, progress.clone(), &officer, raw("multipart/form-data", b"--x"), StatusCode::BAD_REQUEST),
        ("id không phải số", Method::GET, "/api/assignments/abc".into(), &officer, None, StatusCode::NOT_FOUND),
        ("id tràn", Method::GET, "/api/assignments/99999999999999999999999".into(), &officer, None, StatusCode::NOT_FOUND),
        ("id không có", Method::GET, "/api/assignments/987654321".into(), &officer, None, StatusCode::NOT_FOUND),
        ("kế hoạch không có", Method::GET, "/api/plans/-5".into(), &monitor, None, StatusCode::NOT_FOUND),
        ("đường dẫn lạ", Method::GET, "/api/khong-co".into(), &monitor, None, StatusCode::NOT_FOUND),
        ("ngày hỏng", Method::GET, "/api/dashboard?as_of=ngay-mai".into(), &monitor, None, StatusCode::BAD_REQUEST),
        ("năm quá xa", Method::GET, "/api/dashboard?as_of=262142-12-31".into(), &monitor, None, StatusCode::BAD_REQUEST),
        ("kế hoạch hỏng", Method::GET, "/api/dashboard?plan=x".into(), &monitor, None, StatusCode::BAD_REQUEST),
        ("lọc hỏng", Method::GET, "/api/inbox?class=xanh".into(), &officer, None, StatusCode::BAD_REQUEST),
        ("per_page 0", Method::GET, "/api/inbox?per_page=0".into(), &officer, None, StatusCode::BAD_REQUEST),
        ("per_page âm", Method::GET, "/api/inbox?per_page=-1".into(), &officer, None, StatusCode::BAD_REQUEST),
        ("loại nhật ký lạ", Method::GET, "/api/audit/khac/1".into(), &monitor, None, StatusCode::NOT_FOUND),
        ("thao tác lạ", Method::POST, format!("/api/assignments/{aid}/decide"), &monitor, raw("application/json", b"{\"op\": \"xoa\"}"), StatusCode::BAD_REQUEST),
        ("trả lại không lý do", Method::POST, format!("/api/assignments/{aid}/decide"), &monitor, raw("application/json", b"{\"op\": \"return\"}"), StatusCode::BAD_REQUEST),
        ("xác nhận khi chưa đề nghị", Method::POST, format!("/api/assignments/{aid}/decide"), &monitor, raw("application/json", b"{\"op\": \"confirm\"}"), StatusCode::CONFLICT),
        ("hạn gia hạn hỏng", Method::POST, format!("/api/assignments/{aid}/extension"), &officer, raw("application/json", b"{\"new_due\": \"31/02/2026\", \"reason\": \"x\"}"), StatusCode::BAD_REQUEST),
        ("tài khoản vai trò lạ", Method::POST, "/api/users".into(), &monitor, raw("application/json", b"{\"login\":\"a\",\"display_name\":\"a\",\"password\":\"12345678\",\"role\":\"vua\"}"), StatusCode::FORBIDDEN),
    ];
    let before = wq::table_fingerprint(&app.state.db).await.unwrap();
    for (what, method, path, auth, body, want) in cases {
        let r = send(&app, method, &path, auth, body).await;
        assert_eq!(r.status, want, "{what}: {path} {}", r.json);
        assert!(
            r.json["error"].as_str().is_some_and(|e| !e.is_empty()),
            "{what}: {}",
            r.json
        );
    }
    assert_eq!(before, wq::table_fingerprint(&app.state.db).await.unwrap());
}

#[tokio::test]
async fn the_openapi_document_describes_every_api_route_with_its_security() {
    let app = common::app().await;
    let r = get(&app, "/api/openapi.json", &Auth::None).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.json["openapi"].as_str().unwrap().starts_with("3."));
    let paths = r.json["paths"].as_object().unwrap();
    for spec in tinhgon_web::routes::specs() {
        if !spec.path.starts_with("/api/") || spec.path == "/api/openapi.json" {
            continue;
        }
        let verb = match spec.verb {
            tinhgon_web::routes::Verb::Get => "get",
            tinhgon_web::routes::Verb::Post => "post",
        };
        let op = &paths[spec.path][verb];
        assert!(
            op.is_object(),
            "{verb} {} chưa có trong tài liệu",
            spec.path
        );
        let codes: Vec<&String> = op["responses"].as_object().unwrap().keys().collect();
        assert!(codes.iter().any(|c| c.as_str() == "401"), "{}", spec.path);
    }
    let schemes = &r.json["components"]["securitySchemes"];
    assert_eq!(schemes["bearer"]["scheme"], "bearer");
    assert_eq!(schemes["cookie"]["in"], "cookie");
}
