//! The monitor's approval queue (Chờ xử lý): what units propose (completion, extension,
//! obstacle) waits in one list with its count in the menu, is decided several at a time with
//! one note through the same use cases as the task page, and is the province's own. On both
//! databases, through the API and the page.

mod common;

use axum::http::StatusCode;
use common::{api_get, api_post, app_on, signed_in, token_for, Auth};
use serde_json::json;
use tinhgon_store::tx::query;

/// Assignments of `auth`'s unit in 615 that nobody has started.
async fn untouched(app: &common::App, auth: &Auth, n: usize) -> Vec<i64> {
    let inbox = api_get(
        app,
        &format!("/api/inbox?plan={}&per_page=200", app.plan),
        auth,
    )
    .await;
    assert_eq!(inbox.status, StatusCode::OK, "{}", inbox.json);
    let ids: Vec<i64> = inbox.json["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["status"] == "not_started")
        .map(|i| i["id"].as_i64().unwrap())
        .take(n)
        .collect();
    assert_eq!(ids.len(), n, "{}", inbox.json);
    ids
}

async fn status(app: &common::App, assignment: i64) -> String {
    query("SELECT status FROM assignments WHERE id = $1")
        .bind(assignment)
        .scalar(&app.state.db)
        .await
        .unwrap()
}

async fn audit_rows(app: &common::App) -> i64 {
    query("SELECT COUNT(*) FROM audit_log")
        .scalar(&app.state.db)
        .await
        .unwrap()
}

fn keys(j: &serde_json::Value) -> Vec<String> {
    j["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| format!("{}:{}", i["kind"].as_str().unwrap(), i["id"]))
        .collect()
}

tinhgon_testkit::both_databases! {
    async fn proposals_wait_in_one_queue_and_are_decided_together(tdb) {
        let label = tdb.label;
        let app = app_on(tdb).await;
        common::publish_615(&app).await;
        let officer = Auth::Bearer(token_for(&app, "sotaichinh").await);
        let monitor = Auth::Bearer(token_for(&app, "sonoivu").await);

        let empty = api_get(&app, "/api/approvals", &monitor).await;
        assert_eq!(empty.status, StatusCode::OK, "[{label}] {}", empty.json);
        assert_eq!(empty.json["total"], 0, "[{label}]");
        assert_eq!(api_get(&app, "/api/approvals", &officer).await.status, StatusCode::FORBIDDEN, "[{label}]");

        let a = untouched(&app, &officer, 4).await;
        let r = api_post(&app, &format!("/api/assignments/{}/propose", a[0]), &officer, json!({"note": "Đã ban hành quyết định"})).await;
        assert_eq!(r.status, StatusCode::OK, "[{label}] {}", r.json);
        let r = api_post(&app, &format!("/api/assignments/{}/extension", a[1]), &officer, json!({"new_due": "31/12/2027", "reason": "Chờ hướng dẫn của Bộ"})).await;
        assert_eq!(r.status, StatusCode::OK, "[{label}] {}", r.json);
        let r = api_post(&app, &format!("/api/assignments/{}/obstacle", a[2]), &officer, json!({"text": "Chưa có hướng dẫn về biên chế"})).await;
        assert_eq!(r.status, StatusCode::OK, "[{label}] {}", r.json);

        let q = api_get(&app, "/api/approvals", &monitor).await;
        assert_eq!(q.json["total"], 3, "[{label}] {}", q.json);
        let items = q.json["items"].as_array().unwrap();
        let kinds: Vec<&str> = items.iter().map(|i| i["kind"].as_str().unwrap()).collect();
        assert_eq!(kinds, ["completion", "extension", "obstacle"], "[{label}] oldest first");
        assert!(items.iter().all(|i| i["unit"] == "Sở Tài chính"), "[{label}]");
        assert_eq!(items[1]["new_due"], "2027-12-31", "[{label}]");
        assert_eq!(items[2]["text"], "Chưa có hướng dẫn về biên chế", "[{label}]");

        // An obstacle answered without words is refused, and nothing of the batch is done.
        let before = audit_rows(&app).await;
        let r = api_post(&app, "/api/approvals/decide", &monitor, json!({"items": keys(&q.json), "decision": "approve"})).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "[{label}] {}", r.json);
        assert!(r.json["error"].as_str().unwrap().contains("nội dung trả lời"), "[{label}] {}", r.json);
        assert_eq!(audit_rows(&app).await, before, "[{label}]");
        assert_eq!(status(&app, a[0]).await, "completion_proposed", "[{label}]");
        // Nor can an officer decide, nor a made-up item be sent.
        let r = api_post(&app, "/api/approvals/decide", &officer, json!({"items": keys(&q.json), "decision": "approve", "note": "x"})).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "[{label}]");
        let r = api_post(&app, "/api/approvals/decide", &monitor, json!({"items": ["completion:abc"], "decision": "approve"})).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "[{label}]");

        let r = api_post(&app, "/api/approvals/decide", &monitor, json!({"items": keys(&q.json), "decision": "approve", "note": "Đồng ý, đề nghị tiếp tục theo dõi"})).await;
        assert_eq!(r.status, StatusCode::OK, "[{label}] {}", r.json);
        assert_eq!(r.json["done"], 3, "[{label}] {}", r.json);
        assert_eq!(audit_rows(&app).await, before + 3, "[{label}] one audit row per decision");
        assert_eq!(status(&app, a[0]).await, "done", "[{label}]");
        let due: Option<chrono::NaiveDate> = query("SELECT due FROM assignments WHERE id = $1").bind(a[1]).scalar(&app.state.db).await.unwrap();
        assert_eq!(due, chrono::NaiveDate::from_ymd_opt(2027, 12, 31), "[{label}] extension granted");
        let answered: Option<String> = query("SELECT answer FROM obstacles WHERE assignment_id = $1").bind(a[2]).scalar(&app.state.db).await.unwrap();
        assert_eq!(answered.as_deref(), Some("Đồng ý, đề nghị tiếp tục theo dõi"), "[{label}]");
        assert_eq!(api_get(&app, "/api/approvals", &monitor).await.json["total"], 0, "[{label}]");
        // Deciding the same item again says why and does nothing.
        let r = api_post(&app, "/api/approvals/decide", &monitor, json!({"items": [format!("completion:{}", a[0])], "decision": "approve"})).await;
        assert_eq!(r.status, StatusCode::OK, "[{label}]");
        assert_eq!((r.json["done"].as_u64(), r.json["failed"].as_array().map(Vec::len)), (Some(0), Some(1)), "[{label}] {}", r.json);

        // On the page: the menu counts what waits, and a refusal returns the proposal.
        let r = api_post(&app, &format!("/api/assignments/{}/propose", a[3]), &officer, json!({"note": "Xong"})).await;
        assert_eq!(r.status, StatusCode::OK, "[{label}] {}", r.json);
        let mut c = signed_in(&app, "sonoivu").await;
        let home = c.get("/inbox").await;
        assert!(home.body.contains("Chờ xử lý <span class=\"badge-count\">1</span>"), "[{label}] menu count");
        let page = c.get("/approvals").await;
        assert_eq!(page.status, StatusCode::OK, "[{label}]");
        assert!(page.body.contains("Đề nghị xác nhận hoàn thành (1)"), "[{label}]");
        assert!(page.body.contains("Sở Tài chính"), "[{label}]");
        let item = format!("completion:{}", a[3]);
        let r = c.post("/approvals/decide", &[("item", &item), ("decision", "refuse"), ("note", "Bổ sung quyết định kèm theo")]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "[{label}] {}", r.body);
        assert_eq!(status(&app, a[3]).await, "returned", "[{label}] returned");
        assert!(c.get("/approvals").await.body.contains("Không có việc nào đang chờ xử lý"), "[{label}]");
        let officer_page = signed_in(&app, "sotaichinh").await.get("/approvals").await;
        assert_eq!(officer_page.status, StatusCode::FORBIDDEN, "[{label}]");
    }
}
