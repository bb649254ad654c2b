//! The functions register and the register check over the API and on the pages, on both
//! databases: the monitor gives a unit a field and ends another; the check then names the
//! overlap and the gap; a leader reads but cannot write; bad input is a Vietnamese error that
//! changes nothing.

mod common;

use axum::http::StatusCode;
use common::{api_get, api_post, app_on, signed_in, token_for, Auth};
use serde_json::json;
use tinhgon_store::tx::query;

tinhgon_testkit::both_databases! {
    async fn the_monitor_edits_a_unit_s_fields_and_the_check_finds_overlap_and_gap(tdb) {
        let label = tdb.label;
        let app = app_on(tdb).await;
        let db = &app.state.db;
        let day = chrono::NaiveDate::from_ymd_opt(2025, 3, 1).unwrap();
        tinhgon_app::functions::seed_from_catalogue(db, app.province, day, "Nghị định 45/2025/NĐ-CP")
            .await
            .unwrap();
        let unit = |name: &'static str| async move {
            query("SELECT id FROM units WHERE province_id = $1 AND name = $2 AND valid_to IS NULL")
                .bind(app.province).bind(name).scalar::<i64>(db).await.unwrap()
        };
        let (tu_phap, noi_vu) = (unit("Sở Tư pháp").await, unit("Sở Nội vụ").await);
        let monitor = Auth::Bearer(token_for(&app, "sonoivu").await);
        let leader = Auth::Bearer(token_for(&app, "lanhdao").await);

        let clean = api_get(&app, "/api/registry/check?as_of=2025-09-01", &monitor).await;
        assert_eq!(clean.status, StatusCode::OK, "[{label}] {}", clean.json);
        assert_eq!(clean.json["overlaps"], json!([]), "[{label}]");
        assert_eq!(clean.json["gaps"], json!([]), "[{label}]");

        let rows = || async { query("SELECT COUNT(*) FROM unit_functions").scalar::<i64>(db).await.unwrap() };
        let before = rows().await;
        let bad = api_post(&app, &format!("/api/units/{tu_phap}/functions"), &monitor,
            json!({ "field": "không có", "effective": "01/09/2025", "decision": "5/QĐ-UBND" })).await;
        assert_eq!(bad.status, StatusCode::BAD_REQUEST, "[{label}] {}", bad.json);
        assert!(bad.json.to_string().contains("Không có lĩnh vực"), "[{label}] {}", bad.json);
        let denied = api_post(&app, &format!("/api/units/{tu_phap}/functions"), &leader,
            json!({ "field": "noi-vu.thi-dua", "effective": "01/09/2025", "decision": "5/QĐ-UBND" })).await;
        assert_eq!(denied.status, StatusCode::FORBIDDEN, "[{label}]");
        assert_eq!(rows().await, before, "[{label}] nothing written");

        let added = api_post(&app, &format!("/api/units/{tu_phap}/functions"), &monitor,
            json!({ "field": "Thi đua, khen thưởng", "effective": "01/09/2025", "decision": "5/QĐ-UBND" })).await;
        assert_eq!(added.status, StatusCode::OK, "[{label}] {}", added.json);
        let held = api_get(&app, &format!("/api/units/{noi_vu}/functions?as_of=2025-09-01"), &leader).await;
        assert_eq!(held.status, StatusCode::OK, "[{label}] {}", held.json);
        let van_thu = held.json["current"].as_array().unwrap().iter()
            .find(|f| f["code"] == "noi-vu.van-thu").unwrap()["id"].as_i64().unwrap();
        assert_eq!(held.json["overlaps"].as_array().unwrap().len(), 1, "[{label}] {}", held.json);
        // Another unit's field through this unit's path is not found.
        let wrong = api_post(&app, &format!("/api/units/{tu_phap}/functions/{van_thu}/end"), &monitor,
            json!({ "effective": "01/09/2025", "decision": "6/QĐ-UBND" })).await;
        assert_eq!(wrong.status, StatusCode::NOT_FOUND, "[{label}]");
        let ended = api_post(&app, &format!("/api/units/{noi_vu}/functions/{van_thu}/end"), &monitor,
            json!({ "effective": "01/09/2025", "decision": "6/QĐ-UBND" })).await;
        assert_eq!(ended.status, StatusCode::OK, "[{label}] {}", ended.json);

        let check = api_get(&app, "/api/registry/check?as_of=01/09/2025", &leader).await;
        assert_eq!(check.json["overlaps"][0]["code"], "noi-vu.thi-dua", "[{label}] {}", check.json);
        assert_eq!(check.json["gaps"][0]["code"], "noi-vu.van-thu", "[{label}] {}", check.json);

        // The pages: the register's check section and the unit's panel, for a reader too.
        let mut reader = signed_in(&app, "lanhdao").await;
        let page = reader.get("/units?as_of=01%2F09%2F2025").await;
        assert_eq!(page.status, StatusCode::OK, "[{label}]");
        assert!(page.body.contains("Lĩnh vực trùng lặp (1)") && page.body.contains("Lĩnh vực chưa có cơ quan đảm nhận (1)"), "[{label}]");
        let unit_page = reader.get(&format!("/units/{tu_phap}")).await;
        assert!(unit_page.body.contains("Lĩnh vực quản lý nhà nước") && unit_page.body.contains("cùng do Sở Nội vụ đảm nhận"), "[{label}]");
        assert!(!unit_page.body.contains("Giao thêm lĩnh vực"), "[{label}] a leader only reads");
        let mut m = signed_in(&app, "sonoivu").await;
        assert!(m.get(&format!("/units/{tu_phap}")).await.body.contains("Giao thêm lĩnh vực"), "[{label}]");
    }
}
