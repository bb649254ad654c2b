//! An obstacle the monitor cannot settle is referred with a proposal to the leaders
//! ("báo cáo xin ý kiến cấp có thẩm quyền"): it leaves the approval queue, the leaders are told
//! and find it under "Xin ý kiến", a leader's opinion answers it and goes back to the unit. Bad
//! input and another role change nothing. On both databases, through the API and the pages.

mod common;

use axum::http::StatusCode;
use common::{api_get, api_post, app_on, signed_in, token_for, Auth};
use serde_json::json;
use tinhgon_store::web_queries as wq;

async fn notices(app: &common::App, login: &str) -> Vec<String> {
    let auth = Auth::Bearer(token_for(app, login).await);
    let r = api_get(app, "/api/notifications", &auth).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    r.json
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["text"].as_str().unwrap_or_default().to_string())
        .collect()
}

tinhgon_testkit::both_databases! {
    async fn a_referred_obstacle_goes_to_the_leaders_and_their_opinion_back_to_the_unit(tdb) {
        let label = tdb.label;
        let app = app_on(tdb).await;
        common::publish_615(&app).await;
        let db = &app.state.db;
        let officer = Auth::Bearer(token_for(&app, "sotaichinh").await);
        let monitor = Auth::Bearer(token_for(&app, "sonoivu").await);
        let leader = Auth::Bearer(token_for(&app, "lanhdao").await);

        let inbox = api_get(&app, &format!("/api/inbox?plan={}&per_page=5", app.plan), &officer).await;
        let aid = inbox.json["items"][0]["id"].as_i64().unwrap();
        let r = api_post(&app, &format!("/api/assignments/{aid}/obstacle"), &officer, json!({"text": "Chưa rõ thẩm quyền quyết định số lượng cấp phó"})).await;
        assert_eq!(r.status, StatusCode::OK, "[{label}] {}", r.json);
        let q = api_get(&app, "/api/approvals", &monitor).await;
        let oid = q.json["items"].as_array().unwrap().iter().find(|i| i["kind"] == "obstacle").unwrap()["id"].as_i64().unwrap();

        // Bad input and the wrong role: refused, nothing written.
        let before = wq::table_fingerprint(db).await.unwrap();
        let path = format!("/api/obstacles/{oid}/refer");
        let r = api_post(&app, &path, &monitor, json!({"addressee": "bo_noi_vu", "proposal": "Đề xuất"})).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "[{label}] {}", r.json);
        let r = api_post(&app, &path, &monitor, json!({"addressee": "leader", "proposal": "  "})).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "[{label}] {}", r.json);
        assert!(r.json["error"].as_str().unwrap().starts_with("Vui lòng nêu đề xuất"), "[{label}] {}", r.json);
        let r = api_post(&app, &path, &officer, json!({"addressee": "leader", "proposal": "Tự gửi"})).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "[{label}]");
        let r = api_post(&app, &path, &leader, json!({"addressee": "leader", "proposal": "Tự gửi"})).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "[{label}]");
        assert_eq!(wq::table_fingerprint(db).await.unwrap(), before, "[{label}]");

        // Referred through the page: the queue no longer waits on it, the leaders know.
        let mut m = signed_in(&app, "sonoivu").await;
        m.get(&format!("/assignments/{aid}")).await;
        let r = m.post(&format!("/obstacles/{oid}/refer"), &[("addressee", "leader"), ("proposal", "Đề nghị lãnh đạo UBND tỉnh giao Sở Nội vụ hướng dẫn theo Nghị định 150/2025/NĐ-CP")]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "[{label}] {}", r.body);
        let q = api_get(&app, "/api/approvals", &monitor).await;
        assert!(!q.json["items"].as_array().unwrap().iter().any(|i| i["kind"] == "obstacle"), "[{label}] {}", q.json);
        let r = api_post(&app, &path, &monitor, json!({"addressee": "people_committee", "proposal": "Lần nữa"})).await;
        assert_eq!(r.status, StatusCode::CONFLICT, "[{label}] referred once only: {}", r.json);
        assert!(notices(&app, "lanhdao").await.iter().any(|t| t.starts_with("Xin ý kiến về vướng mắc")), "[{label}]");
        assert!(notices(&app, "sotaichinh").await.iter().any(|t| t.contains("đã được báo cáo xin ý kiến lãnh đạo UBND tỉnh phụ trách")), "[{label}]");

        let waiting = api_get(&app, "/api/referrals", &leader).await;
        assert_eq!(waiting.status, StatusCode::OK, "[{label}] {}", waiting.json);
        let items = waiting.json.as_array().unwrap();
        assert_eq!(items.len(), 1, "[{label}]");
        assert_eq!(items[0]["assignment_id"].as_i64(), Some(aid));
        assert_eq!(items[0]["addressee"], "leader");
        let rid = items[0]["id"].as_i64().unwrap();
        assert_eq!(api_get(&app, "/api/referrals", &officer).await.status, StatusCode::FORBIDDEN, "[{label}]");

        let mut l = signed_in(&app, "lanhdao").await;
        let page = l.get("/referrals").await;
        assert_eq!(page.status, StatusCode::OK, "[{label}]");
        assert!(page.body.contains("Đề nghị lãnh đạo UBND tỉnh giao Sở Nội vụ hướng dẫn"), "[{label}]");
        assert!(page.body.contains("Chưa rõ thẩm quyền quyết định số lượng cấp phó"), "[{label}]");
        assert!(page.body.contains("Xin ý kiến") && page.body.contains("badge-count"), "[{label}] the menu counts it");
        let task = l.get(&format!("/assignments/{aid}")).await;
        assert!(task.body.contains(&format!("action=\"/referrals/{rid}/opinion\"")), "[{label}] the leader answers on the task page");
        assert!(task.body.contains("Báo cáo xin ý kiến lãnh đạo UBND tỉnh phụ trách về vướng mắc"), "[{label}]");

        // The officer cannot answer; an empty opinion is refused.
        let before = wq::table_fingerprint(db).await.unwrap();
        let op = format!("/api/referrals/{rid}/opinion");
        assert_eq!(api_post(&app, &op, &officer, json!({"text": "Tự trả lời"})).await.status, StatusCode::FORBIDDEN, "[{label}]");
        assert_eq!(api_post(&app, &op, &leader, json!({"text": ""})).await.status, StatusCode::BAD_REQUEST, "[{label}]");
        assert_eq!(wq::table_fingerprint(db).await.unwrap(), before, "[{label}]");

        // The leader's opinion answers the obstacle and goes back to the unit.
        let r = l.post(&format!("/referrals/{rid}/opinion"), &[("text", "Giao Sở Nội vụ hướng dẫn trước ngày 15/01/2027.")]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "[{label}] {}", r.body);
        assert!(notices(&app, "sotaichinh").await.iter().any(|t| t.starts_with("Đã có ý kiến của lãnh đạo UBND tỉnh về vướng mắc")), "[{label}]");
        assert!(notices(&app, "sonoivu").await.iter().any(|t| t.starts_with("Đã có ý kiến của lãnh đạo UBND tỉnh")), "[{label}]");
        let mut o = signed_in(&app, "sotaichinh").await;
        let task = o.get(&format!("/assignments/{aid}")).await;
        assert!(task.body.contains("Ý kiến của cấp có thẩm quyền về vướng mắc"), "[{label}]");
        assert!(task.body.contains("Giao Sở Nội vụ hướng dẫn trước ngày 15/01/2027."), "[{label}]");
        assert!(!task.body.contains("Chờ ý kiến"), "[{label}]");
        assert_eq!(api_get(&app, "/api/referrals", &leader).await.json.as_array().unwrap().len(), 0, "[{label}]");
        let r = api_post(&app, &op, &leader, json!({"text": "Lần hai"})).await;
        assert_eq!(r.status, StatusCode::CONFLICT, "[{label}] {}", r.json);

        // The change log tells it in words.
        let log = m.get(&format!("/audit/assignment/{aid}")).await;
        assert!(log.body.contains("Báo cáo xin ý kiến cấp có thẩm quyền về vướng mắc"), "[{label}]");
        assert!(log.body.contains("Lãnh đạo UBND tỉnh phụ trách") || log.body.contains("lãnh đạo UBND tỉnh phụ trách"), "[{label}]");
        assert!(log.body.contains("Cho ý kiến về vướng mắc được báo cáo xin ý kiến"), "[{label}]");
    }
}
