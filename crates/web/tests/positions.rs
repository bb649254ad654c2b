//! Job positions through the router: an officer adds its unit's positions over the API and the
//! page, another agency is refused and nothing changes, bad input is named; the unit's and the
//! province's comparisons say where positions, quota and headcount disagree; an event's preview
//! lists the staffing it carries. On both databases.

mod common;

use axum::http::StatusCode;
use chrono::Datelike;
use common::{api_get, api_post, app_on, signed_in, token_for, Auth};
use serde_json::json;
use tinhgon_store::tx::query;
use tinhgon_store::web_queries as wq;

async fn unit_id(app: &common::App, name: &str) -> i64 {
    wq::units_for_select(&app.state.db, Some(app.province))
        .await
        .unwrap()
        .into_iter()
        .find(|(_, n)| n == name)
        .unwrap()
        .0
}

async fn footprint(app: &common::App) -> (i64, i64) {
    let db = &app.state.db;
    (
        query("SELECT COUNT(*) FROM job_positions")
            .scalar(db)
            .await
            .unwrap(),
        query("SELECT COUNT(*) FROM audit_log")
            .scalar(db)
            .await
            .unwrap(),
    )
}

tinhgon_testkit::both_databases! {
    async fn positions_are_entered_compared_and_carried_through_the_router(tdb) {
        let label = tdb.label;
        let app = app_on(tdb).await;
        let monitor = Auth::Bearer(token_for(&app, "sonoivu").await);
        let officer = Auth::Bearer(token_for(&app, "sotuphap").await);
        let stranger = Auth::Bearer(token_for(&app, "sotaichinh").await);
        let tp = unit_id(&app, "Sở Tư pháp").await;
        let year = tinhgon_domain::local_date(chrono::Utc::now()).year();
        let path = format!("/api/units/{tp}/positions");

        let r = api_post(&app, &path, &officer, json!({"title": "Chuyên viên pháp chế", "group": "professional", "rank": "Chuyên viên", "people": 9})).await;
        assert_eq!(r.status, StatusCode::OK, "[{label}] {}", r.json);
        let clerk = r.json["id"].as_i64().unwrap();
        let r = api_post(&app, &path, &monitor, json!({"title": "Giám đốc sở", "group": "Lãnh đạo, quản lý", "people": 1})).await;
        assert_eq!(r.status, StatusCode::OK, "[{label}] {}", r.json);

        // Refused and bad input: nothing changes.
        let before = footprint(&app).await;
        let r = api_post(&app, &path, &stranger, json!({"title": "Văn thư", "group": "support", "people": 1})).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "[{label}] {}", r.json);
        let r = api_post(&app, &format!("{path}/{clerk}/remove"), &stranger, json!({})).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "[{label}] {}", r.json);
        let r = api_post(&app, &path, &officer, json!({"title": " ", "group": "support", "people": 1})).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "[{label}] {}", r.json);
        assert!(r.json.to_string().contains("Vui lòng ghi tên vị trí việc làm"), "[{label}] {}", r.json);
        let r = api_post(&app, &path, &officer, json!({"title": "Văn thư", "group": "support", "people": -3})).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "[{label}] {}", r.json);
        assert!(r.json.to_string().contains("không phải “-3”"), "[{label}] {}", r.json);
        assert_eq!(footprint(&app).await, before, "[{label}] refusals write nothing");

        // 9 + 1 = 10 people against a quota of 8 and 9 people working.
        let r = api_post(&app, &format!("/api/units/{tp}/staffing"), &monitor, json!({"kind": "quota", "year": year, "line": "civil_servant", "count": 8, "decision": "QĐ 1/QĐ-UBND"})).await;
        assert_eq!(r.status, StatusCode::OK, "[{label}] {}", r.json);
        let r = api_post(&app, &format!("/api/units/{tp}/staffing"), &officer, json!({"kind": "headcount", "on": format!("{year}-01-01"), "line": "civil_servant", "count": 9})).await;
        assert_eq!(r.status, StatusCode::OK, "[{label}] {}", r.json);
        let r = api_get(&app, &path, &officer).await;
        assert_eq!(r.status, StatusCode::OK, "[{label}] {}", r.json);
        assert_eq!(r.json["positions"].as_array().unwrap().len(), 2);
        assert_eq!(r.json["comparison"]["people"], 10);
        let over = format!("Số người theo vị trí việc làm (10) vượt biên chế được giao năm {year} (8)");
        assert_eq!(r.json["comparison"]["disagreements"][0], over.as_str(), "[{label}] {}", r.json);
        assert_eq!(api_get(&app, &path, &stranger).await.status, StatusCode::FORBIDDEN);
        let r = api_get(&app, "/api/staffing/positions", &Auth::Bearer(token_for(&app, "lanhdao").await)).await;
        assert_eq!(r.status, StatusCode::OK, "[{label}] {}", r.json);
        let row = r.json["units"].as_array().unwrap().iter().find(|u| u["unit_id"] == tp).cloned().expect("Sở Tư pháp");
        assert_eq!((row["positions"].as_i64(), row["quota"].as_i64(), row["headcount"].as_i64()), (Some(2), Some(8), Some(9)));

        // The pages: the officer adds a position with the form; the leader sees the flag.
        let mut c = signed_in(&app, "sotuphap").await;
        let page = c.get(&format!("/units/{tp}/positions")).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("Chuyên viên pháp chế") && page.body.contains("form-position"), "[{label}]");
        let r = c.post(&format!("/units/{tp}/positions"), &[("title", "Văn thư"), ("group", "support"), ("rank", "Cán sự"), ("people", "1")]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "[{label}] {}", r.body);
        let r = c.post(&format!("/units/{tp}/positions/{clerk}"), &[("title", "Chuyên viên pháp chế"), ("group", "professional"), ("rank", "Chuyên viên"), ("people", "6")]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "[{label}] {}", r.body);
        let mut l = signed_in(&app, "lanhdao").await;
        let page = l.get("/staffing/positions").await;
        assert_eq!(page.status, StatusCode::OK);
        // 6 + 1 + 1 = 8: no longer over the quota, fewer than the 9 working.
        assert!(page.body.contains("Số người theo vị trí việc làm (8) ít hơn số người có mặt (9)"), "[{label}] {}", page.body);
        assert!(!page.body.contains("form-position"));

        // A consolidation's preview lists what Sở Tư pháp's ledger carries.
        let today = tinhgon_domain::local_date(chrono::Utc::now()).format("%Y-%m-%d").to_string();
        let r = api_post(&app, "/api/restructuring/preview", &monitor, json!({
            "kind": "consolidate", "from": ["Sở Tư pháp", "Sở Công Thương"], "new": ["Sở Thử nghiệm"],
            "effective": today, "decision": "15/QĐ-UBND"
        })).await;
        assert_eq!(r.status, StatusCode::OK, "[{label}] {}", r.json);
        let lines: Vec<String> = r.json["preview"]["staffing"].as_array().unwrap().iter().map(|l| l.as_str().unwrap().to_string()).collect();
        assert!(lines.contains(&format!("Biên chế công chức năm {year}: 8 (Sở Tư pháp) → 8 chuyển sang Sở Thử nghiệm")), "[{label}] {lines:?}");
        assert!(lines.contains(&"Vị trí việc làm: 3 vị trí, 8 người chuyển sang Sở Thử nghiệm".to_string()), "[{label}] {lines:?}");
    }
}

tinhgon_testkit::both_databases! {
    async fn a_split_takes_a_percent_per_successor_and_a_target_its_measure(tdb) {
        let label = tdb.label;
        let app = app_on(tdb).await;
        let monitor = Auth::Bearer(token_for(&app, "sonoivu").await);
        let tp = unit_id(&app, "Sở Tư pháp").await;
        let year = tinhgon_domain::local_date(chrono::Utc::now()).year();
        let r = api_post(&app, &format!("/api/units/{tp}/staffing"), &monitor, json!({"kind": "quota", "year": year, "line": "civil_servant", "count": 45, "decision": "12/QĐ-UBND"})).await;
        assert_eq!(r.status, StatusCode::OK, "[{label}] {}", r.json);
        let today = tinhgon_domain::local_date(chrono::Utc::now()).format("%d/%m/%Y").to_string();
        let mut c = signed_in(&app, "sonoivu").await;
        let mut fields = vec![("kind", "split"), ("from_1", "Sở Tư pháp"), ("new_1", "Sở Tách Một"), ("new_2", "Sở Tách Hai"),
                              ("effective", today.as_str()), ("decision", "15/QĐ-UBND"), ("alloc_-1", "60"), ("alloc_-2", "30")];
        let events = || async { query("SELECT COUNT(*) FROM restructuring_events").scalar::<i64>(&app.state.db).await.unwrap() };
        let before = events().await;
        // Not summing to 100: the preview shares equally, the message beside the fields, the
        // percents typed kept; recording refuses and writes nothing.
        let page = c.post("/restructuring/preview", &fields).await;
        assert_eq!(page.status, StatusCode::OK, "[{label}] {}", page.body);
        assert!(page.body.contains("id=\"allocation-error\"") && page.body.contains("Tổng tỷ lệ chia biên chế phải bằng 100% (đang là 90%)."), "[{label}] {}", page.body);
        assert!(page.body.contains("name=\"alloc_-2\" value=\"30\""), "[{label}]");
        assert!(page.body.contains(&format!("Biên chế công chức năm {year}: 23 trong 45 (Sở Tư pháp)")), "[{label}]");
        let page = c.post("/restructuring", &fields).await;
        assert_eq!(page.status, StatusCode::OK, "[{label}] {}", page.body);
        assert!(page.body.contains("Tổng tỷ lệ chia biên chế phải bằng 100%"), "[{label}]");
        assert_eq!(events().await, before);
        // 60% / 40%: 27 and 18, the allocation said first.
        fields[7] = ("alloc_-2", "40");
        let page = c.post("/restructuring/preview", &fields).await;
        assert!(!page.body.contains("allocation-error"), "[{label}]");
        assert!(page.body.contains("chia theo tỷ lệ 60% / 40% (Sở Tách Một / Sở Tách Hai)"), "[{label}] {}", page.body);
        assert!(page.body.contains(&format!("Biên chế công chức năm {year}: 27 trong 45 (Sở Tư pháp) → 27 chuyển sang Sở Tách Một")), "[{label}]");
        // The API takes the same allocation by successor name.
        let r = api_post(&app, "/api/restructuring/preview", &monitor, json!({
            "kind": "split", "from": ["Sở Tư pháp"], "new": ["Sở Tách Một", "Sở Tách Hai"],
            "effective": today, "decision": "15/QĐ-UBND", "allocation": {"Sở Tách Một": "70", "Sở Tách Hai": "30"}
        })).await;
        assert_eq!(r.status, StatusCode::OK, "[{label}] {}", r.json);
        let lines = r.json["preview"]["staffing"].to_string();
        assert!(lines.contains("32 trong 45") && lines.contains("13 trong 45"), "[{label}] {lines}");
        let r = api_post(&app, "/api/restructuring/preview", &monitor, json!({
            "kind": "split", "from": ["Sở Tư pháp"], "new": ["Sở Tách Một", "Sở Tách Hai"],
            "effective": today, "decision": "15/QĐ-UBND", "allocation": {"Sở Tách Một": "101", "Sở Tách Hai": "0"}
        })).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "[{label}] {}", r.json);

        // A target measured on headcounts, over the API.
        let r = api_post(&app, "/api/staffing/targets", &monitor, json!({"title": "Giảm tối thiểu 20% công chức, viên chức hưởng lương từ ngân sách nhà nước", "percent": 20, "baseline_year": 2021, "measure": "headcount"})).await;
        assert_eq!(r.status, StatusCode::OK, "[{label}] {}", r.json);
        let r = api_get(&app, "/api/staffing/targets", &monitor).await;
        assert_eq!(r.json[0]["measure"], "headcount", "[{label}] {}", r.json);
        let r = api_post(&app, "/api/staffing/targets", &monitor, json!({"title": "x", "percent": 20, "baseline_year": 2021, "measure": "people"})).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "[{label}] {}", r.json);
        let page = c.get("/staffing").await;
        assert!(page.body.contains("tính theo số người có mặt do các đơn vị báo cáo"), "[{label}]");
    }
}
