//! The JSON API against the real router on a real database (SQLite and PostgreSQL): one flow
//! from token to dashboard, rights (another unit's officer, a leader, anonymous), and bad input
//! that must answer a JSON 4xx, never a server error.

mod common;

use axum::http::{Method, StatusCode};
use common::{
    api_get, api_post, api_send, app_on, multipart_body, publish_615, session_for, token_for, Auth,
};
use serde_json::{json, Value};
use tinhgon_store::web_queries as wq;

fn count(dash: &Value, class: &str) -> u64 {
    dash["counts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["class"] == class)
        .and_then(|c| c["n"].as_u64())
        .unwrap()
}

tinhgon_testkit::both_databases! {
    async fn token_plans_progress_confirm_and_the_dashboard_moves_on_both_databases(tdb) {
        let label = tdb.label;
        let app = app_on(tdb).await;
        publish_615(&app).await;
        let officer = Auth::Bearer(token_for(&app, "sotuphap").await);
        let monitor = Auth::Bearer(token_for(&app, "sonoivu").await);

        let plans = api_get(&app, "/api/plans", &officer).await;
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
        let detail = api_get(&app, &format!("/api/plans/{}", app.plan), &officer).await;
        assert_eq!(detail.status, StatusCode::OK);
        assert!(!detail.json["tasks"].as_array().unwrap().is_empty());

        let inbox = api_get(
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
        let before = api_get(&app, &dash_path, &monitor).await;
        assert_eq!(before.status, StatusCode::OK, "[{label}] {}", before.json);
        let done_before = count(&before.json, "done_on_time") + count(&before.json, "done_late");

        let r = api_post(
            &app,
            &format!("/api/assignments/{aid}/progress"),
            &officer,
            json!({"text": "Đã dự thảo đề án", "percent": 60}),
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "[{label}] {}", r.json);
        let (ct, body) = multipart_body(&[
            ("text", "", "Kèm biên bản họp".as_bytes()),
            ("percent", "", b"80"),
            ("evidence", "bien-ban.pdf", b"%PDF-1.4 bien ban"),
        ]);
        let r = api_send(
            &app,
            Method::POST,
            &format!("/api/assignments/{aid}/progress"),
            &officer,
            Some((&ct, body)),
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "[{label}] {}", r.json);
        let r = api_post(
            &app,
            &format!("/api/assignments/{aid}/propose"),
            &officer,
            json!({"note": "Đã hoàn thành"}),
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "[{label}] {}", r.json);
        assert_eq!(r.json["status"], "completion_proposed");

        let view = api_get(&app, &format!("/api/assignments/{aid}"), &monitor).await;
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

        let r = api_post(
            &app,
            &format!("/api/assignments/{aid}/decide"),
            &monitor,
            json!({"op": "confirm"}),
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "[{label}] {}", r.json);
        assert_eq!(r.json["status"], "done");

        let after = api_get(&app, &dash_path, &monitor).await;
        let done_after = count(&after.json, "done_on_time") + count(&after.json, "done_late");
        assert_eq!(done_after, done_before + 1, "[{label}] {}", after.json);
        assert_eq!(after.json["total"], before.json["total"]);

        // The officer was told; the notification list shows it.
        let notes = api_get(&app, "/api/notifications", &officer).await;
        assert!(notes
            .json
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["kind"] == "decision"));
        // The audit trail of the assignment records the confirmation.
        let audit = api_get(&app, &format!("/api/audit/assignment/{aid}"), &monitor).await;
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
    let inbox = api_get(&app, "/api/inbox", &own).await;
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
        let r = api_post(&app, &path, auth, body.clone()).await;
        assert_eq!(r.status, want, "{who} {path}: {}", r.json);
        assert!(r.json["error"].is_string(), "{who} {path}: {}", r.json);
        assert!(r.content_type.starts_with("application/json"));
    }
    assert_eq!(before, wq::table_fingerprint(&app.state.db).await.unwrap());
    // Reading: anonymous gets a JSON 401, not the sign-in redirect.
    let r = api_get(&app, "/api/plans", &Auth::None).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert!(r.json["error"].as_str().unwrap().contains("đăng nhập"));
    // Officers have no dashboard; leaders do but cannot urge.
    assert_eq!(
        api_get(&app, "/api/dashboard", &own).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        api_get(&app, "/api/dashboard", &leader).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn a_cookie_session_needs_the_csrf_header_on_changes() {
    let app = common::app().await;
    let (cookies, csrf) = session_for(&app, "sonoivu").await;
    let path = format!("/api/plans/{}/review/meta", app.plan);
    let body = json!({"number": "1/KH-THU", "title": "Thử", "date": "2025-07-01"});
    let before = wq::table_fingerprint(&app.state.db).await.unwrap();
    for bad in [String::new(), "0".repeat(64)] {
        let r = api_post(
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
    let r = api_post(&app, &path, &Auth::Session(cookies, csrf), body).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    let monitor = Auth::Bearer(token_for(&app, "sonoivu").await);
    let draft = api_get(&app, &format!("/api/plans/{}/review", app.plan), &monitor).await;
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
    let aid = api_get(&app, "/api/inbox", &officer).await.json["items"][0]["id"]
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
            let (ct, b) = multipart_body(&[("text", "", b"x"), ("evidence", "a.exe", b"MZ\x90\x00")]);
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
        let r = api_send(&app, method, &path, auth, body).await;
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
    let r = api_get(&app, "/api/openapi.json", &Auth::None).await;
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

tinhgon_testkit::both_databases! {
    /// The register over the API: a unit added; an event previewed (nothing written), refused
    /// to an officer and for an ambiguous name, scheduled, listed, cancelled once.
    async fn register_changes_and_restructuring_events_over_the_api(tdb) {
        let label = tdb.label;
        let app = app_on(tdb).await;
        publish_615(&app).await;
        let monitor = Auth::Bearer(token_for(&app, "sonoivu").await);
        let officer = Auth::Bearer(token_for(&app, "sotuphap").await);
        let added = api_post(&app, "/api/units", &monitor, json!({
            "name": "Công an tỉnh Nghệ An", "kind": "central_branch", "parent": "UBND tỉnh",
            "effective": "2025-01-01", "decision": "01/QĐ-BCA", "aliases": "Công an tỉnh",
        })).await;
        assert_eq!(added.status, StatusCode::OK, "[{label}] {}", added.json);
        let today = (chrono::Utc::now() + chrono::Duration::hours(7)).date_naive();
        let merge = |from: &str, effective: chrono::NaiveDate| json!({
            "kind": "merge", "from": [from], "into": ["Sở Tài chính"],
            "effective": effective.to_string(), "decision": "12/QĐ-UBND",
        });
        let before = wq::table_fingerprint(&app.state.db).await.unwrap();
        let pv = api_post(&app, "/api/restructuring/preview", &monitor, merge("so tu phap", today)).await;
        assert_eq!(pv.status, StatusCode::OK, "[{label}] {}", pv.json);
        let moved = pv.json["preview"]["assignments"].as_array().unwrap();
        assert!(!moved.is_empty(), "[{label}] {}", pv.json);
        assert!(moved.iter().all(|a| a["to"]["name"] == "Sở Tài chính"), "[{label}] {}", pv.json);
        let refused = api_post(&app, "/api/restructuring/preview", &officer, merge("so tu phap", today)).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        let ambiguous = api_post(&app, "/api/restructuring", &monitor, merge("Sở", today)).await;
        assert_eq!(ambiguous.status, StatusCode::BAD_REQUEST, "[{label}] {}", ambiguous.json);
        assert!(ambiguous.json["error"].as_str().unwrap().contains("khớp nhiều đơn vị"));
        assert_eq!(wq::table_fingerprint(&app.state.db).await.unwrap(), before, "[{label}] nothing written");
        let later = today + chrono::Duration::days(30);
        let rec = api_post(&app, "/api/restructuring", &monitor, merge("Sở Tư pháp", later)).await;
        assert_eq!(rec.status, StatusCode::OK, "[{label}] {}", rec.json);
        assert_eq!(rec.json["applied"], false);
        let id = rec.json["id"].as_i64().unwrap();
        let list = api_get(&app, "/api/restructuring", &officer).await;
        assert_eq!(list.status, StatusCode::OK);
        let mine = list.json.as_array().unwrap().iter().find(|e| e["id"] == id).cloned().unwrap();
        assert_eq!(mine["state"], "scheduled");
        let path = format!("/api/restructuring/{id}/cancel");
        let c = api_post(&app, &path, &monitor, json!({})).await;
        assert_eq!(c.status, StatusCode::OK, "[{label}] {}", c.json);
        let again = api_post(&app, &path, &monitor, json!({})).await;
        assert_eq!(again.status, StatusCode::CONFLICT, "[{label}] {}", again.json);
        // Recorded again, it is applied by the server's daily job on its date, not before.
        let rec = api_post(&app, "/api/restructuring", &monitor, merge("Sở Tư pháp", later)).await;
        let id = rec.json["id"].as_i64().unwrap();
        let state = |list: &Value| list.as_array().unwrap().iter().find(|e| e["id"] == id).unwrap()["state"].clone();
        let now = chrono::Utc::now();
        tinhgon_web::jobs::remind_once_today(&app.state.db, "thử", now + chrono::Duration::days(29)).await.unwrap();
        assert_eq!(state(&api_get(&app, "/api/restructuring", &monitor).await.json), "scheduled");
        tinhgon_web::jobs::remind_once_today(&app.state.db, "thử", now + chrono::Duration::days(30)).await.unwrap();
        assert_eq!(state(&api_get(&app, "/api/restructuring", &monitor).await.json), "applied", "[{label}]");
    }
}

tinhgon_testkit::both_databases! {
    /// Scenarios over the API: created, an event added, shown beside today and compared with
    /// nothing written, applied with its deciding document; leaders read but do not write,
    /// officers have no right to them.
    async fn scenarios_over_the_api(tdb) {
        let label = tdb.label;
        let app = app_on(tdb).await;
        publish_615(&app).await;
        let monitor = Auth::Bearer(token_for(&app, "sonoivu").await);
        let leader = Auth::Bearer(token_for(&app, "lanhdao").await);
        let officer = Auth::Bearer(token_for(&app, "sotuphap").await);
        let today = (chrono::Utc::now() + chrono::Duration::hours(7)).date_naive();
        let mut ids = Vec::new();
        for (name, from, into) in [("Phương án 1", "Sở Tư pháp", "Sở Tài chính"), ("Phương án 2", "Sở Tài chính", "Sở Tư pháp")] {
            let s = api_post(&app, "/api/scenarios", &monitor, json!({ "name": name })).await;
            assert_eq!(s.status, StatusCode::OK, "[{label}] {}", s.json);
            let id = s.json["id"].as_i64().unwrap();
            let e = api_post(&app, &format!("/api/scenarios/{id}/events"), &monitor, json!({
                "kind": "merge", "from": [from], "into": [into], "effective": today.to_string(),
            })).await;
            assert_eq!(e.status, StatusCode::OK, "[{label}] {}", e.json);
            ids.push(id);
        }
        let refused = api_post(&app, "/api/scenarios", &leader, json!({ "name": "Không được" })).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        let before = wq::table_fingerprint(&app.state.db).await.unwrap();
        let shown = api_get(&app, &format!("/api/scenarios/{}", ids[0]), &leader).await;
        assert_eq!(shown.status, StatusCode::OK, "[{label}] {}", shown.json);
        let v = &shown.json["scenario"];
        assert_eq!(v["after"]["departments"].as_i64().unwrap() + 1, v["today"]["departments"].as_i64().unwrap(), "[{label}] {v}");
        assert_eq!(v["moves"][0]["to"], "Sở Tài chính", "[{label}] {v}");
        let cmp = api_get(&app, &format!("/api/scenarios/compare?a={}&b={}", ids[0], ids[1]), &leader).await;
        assert_eq!(cmp.status, StatusCode::OK, "[{label}] {}", cmp.json);
        assert_eq!(cmp.json["b"]["moves"][0]["to"], "Sở Tư pháp");
        assert_eq!(api_get(&app, &format!("/api/scenarios/{}", ids[0]), &officer).await.status, StatusCode::FORBIDDEN);
        assert_eq!(wq::table_fingerprint(&app.state.db).await.unwrap(), before, "[{label}] reading writes nothing");
        let list = api_get(&app, "/api/scenarios", &leader).await;
        assert_eq!(list.json.as_array().unwrap().len(), 2);
        let applied = api_post(&app, &format!("/api/scenarios/{}/apply", ids[0]), &monitor, json!({
            "decision": "40/QĐ-UBND", "decision_date": today.to_string(), "decision_issuer": "UBND tỉnh",
        })).await;
        assert_eq!(applied.status, StatusCode::OK, "[{label}] {}", applied.json);
        assert_eq!(applied.json["events"].as_array().unwrap().len(), 1);
        // The other one no longer fits: Sở Tư pháp has ended. Refused, nothing written.
        let before = wq::table_fingerprint(&app.state.db).await.unwrap();
        let stale = api_post(&app, &format!("/api/scenarios/{}/apply", ids[1]), &monitor, json!({ "decision": "41/QĐ-UBND" })).await;
        assert_eq!(stale.status, StatusCode::CONFLICT, "[{label}] {}", stale.json);
        assert!(stale.json["error"].as_str().unwrap().starts_with("Phương án không còn phù hợp"), "[{label}] {}", stale.json);
        assert_eq!(wq::table_fingerprint(&app.state.db).await.unwrap(), before, "[{label}] nothing written");
    }
}
