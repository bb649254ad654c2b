//! The lineage picture on Nghệ An's register (the department merges of 1/3/2025, the 412 → 130
//! communes of 1/7/2025): the province's picture filtered by day and tier keeps exactly the
//! units of that day's events, page by page; a unit's page draws its group; bad filters get a
//! Vietnamese error. On both databases.

mod common;

use std::collections::BTreeSet;

use axum::http::StatusCode;
use common::{api_get, app_on, signed_in, token_for, Auth};
use tinhgon_store::tx::query;

tinhgon_testkit::both_databases! {
    async fn the_lineage_picture_keeps_the_units_of_the_chosen_events(tdb) {
        let label = tdb.label;
        let app = app_on(tdb).await;
        let db = &app.state.db;
        let auth = Auth::Bearer(token_for(&app, "sonoivu").await);

        // The communes of 1/7/2025 as the register has them: every unit an event of that day
        // names, among the events whose units are communes.
        let expected: BTreeSet<i64> = query(
            "SELECT DISTINCT x.unit_id FROM (SELECT event_id, unit_id FROM event_predecessors UNION ALL SELECT event_id, unit_id FROM event_successors) x \
             JOIN restructuring_events e ON e.id = x.event_id JOIN units u ON u.id = x.unit_id \
             WHERE e.province_id = $1 AND e.effective = $2 AND e.cancelled_at IS NULL AND u.level = 'commune'",
        )
        .bind(app.province)
        .bind(chrono::NaiveDate::from_ymd_opt(2025, 7, 1).unwrap())
        .scalars(db)
        .await
        .unwrap()
        .into_iter()
        .collect();
        assert!(expected.len() > 400, "[{label}] the 412 → 130 communes: {}", expected.len());

        let first = api_get(&app, "/api/units/lineage?on=2025-07-01&tier=commune", &auth).await;
        assert_eq!(first.status, StatusCode::OK, "[{label}] {}", first.json);
        let total = first.json["total_groups"].as_u64().unwrap();
        assert!((100..=130).contains(&total), "[{label}] groups of communes: {total}");
        let mut seen = BTreeSet::new();
        let mut groups = 0;
        for page in 1..=total.div_ceil(30) {
            let r = api_get(&app, &format!("/api/units/lineage?on=01/07/2025&tier=commune&page={page}"), &auth).await;
            assert_eq!(r.json["total_groups"].as_u64(), Some(total), "[{label}] page {page}");
            for g in r.json["groups"].as_array().unwrap() {
                groups += 1;
                let edges = g["edges"].as_array().unwrap();
                assert!(edges.iter().any(|e| e["effective"] == "2025-07-01"), "[{label}] {g}");
                let nodes = g["nodes"].as_array().unwrap();
                for e in edges {
                    let layer = |u: &serde_json::Value| nodes.iter().find(|n| n["unit"] == *u).unwrap()["layer"].as_u64().unwrap();
                    assert!(layer(&e["from_unit"]) < layer(&e["to_unit"]), "[{label}] time reads left to right: {g}");
                }
                for n in nodes {
                    assert!(seen.insert(n["unit"].as_i64().unwrap()), "[{label}] a unit in two groups: {n}");
                    assert!(!n["name"].as_str().unwrap().is_empty());
                }
            }
        }
        assert_eq!(groups, total, "[{label}]");
        assert!(expected.is_subset(&seen), "[{label}] missing: {:?}", expected.difference(&seen).collect::<Vec<_>>());

        // The departments of 1/3/2025: Sở Nội vụ took over Sở Lao động, Thương binh và Xã hội.
        let r = api_get(&app, "/api/units/lineage?on=01/03/2025&tier=province", &auth).await;
        let names: Vec<&str> = r.json["groups"].as_array().unwrap().iter()
            .flat_map(|g| g["nodes"].as_array().unwrap().iter().map(|n| n["name"].as_str().unwrap()))
            .collect();
        assert!(names.contains(&"Sở Nội vụ") && names.contains(&"Sở Lao động, Thương binh và Xã hội"), "[{label}] {names:?}");
        assert!(!names.iter().any(|n| n.starts_with("Xã ") || n.starts_with("Phường ")), "[{label}] {names:?}");

        // The page and the unit's own picture.
        let mut monitor = signed_in(&app, "sonoivu").await;
        let page = monitor.get("/units/lineage?on=01%2F03%2F2025&tier=province").await;
        assert_eq!(page.status, StatusCode::OK, "[{label}]");
        assert!(page.body.contains("<svg class=\"lineage\""), "[{label}]");
        // The register records the department merges as consolidations into new units.
        assert!(page.body.contains("Hợp nhất ngày 01/03/2025"), "[{label}]");
        let noi_vu: i64 = query("SELECT id FROM units WHERE province_id = $1 AND name = 'Sở Nội vụ' AND valid_to IS NULL")
            .bind(app.province).scalar(db).await.unwrap();
        let unit = monitor.get(&format!("/units/{noi_vu}")).await;
        assert!(unit.body.contains("id=\"so-do-sap-xep\""), "[{label}]");
        assert!(unit.body.contains("Lao động, Thương binh"), "[{label}]");
        let own = api_get(&app, &format!("/api/units/{noi_vu}/lineage"), &auth).await;
        assert_eq!(own.json["total_groups"].as_u64(), Some(1), "[{label}] {}", own.json);

        // Bad filters: a clear error in Vietnamese.
        for (q, says) in [("on=31/02/2025", "Ngày"), ("tier=huyen", "Nhóm đơn vị")] {
            let r = api_get(&app, &format!("/api/units/lineage?{q}"), &auth).await;
            assert_eq!(r.status, StatusCode::BAD_REQUEST, "[{label}] {q}");
            assert!(r.json.to_string().contains(says), "[{label}] {q}: {}", r.json);
            let p = monitor.get(&format!("/units/lineage?{q}")).await;
            assert_eq!(p.status, StatusCode::BAD_REQUEST, "[{label}] {q}");
        }
        let r = api_get(&app, "/api/units/99999999/lineage", &auth).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "[{label}]");
    }
}
