//! Changing a published plan (điều chỉnh kế hoạch): the monitor gives a lead to another unit,
//! changes a due date, adds and withdraws a coordinating unit and withdraws a task, each with
//! its reason and deciding document; the units are told, the plan page lists the changes, and
//! a refused change (no document, wrong unit, an officer) changes nothing. On both databases.

mod common;

use axum::http::StatusCode;
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

async fn count(app: &common::App, sql: &str, id: i64) -> i64 {
    query(sql).bind(id).scalar(&app.state.db).await.unwrap()
}

async fn audit_rows(app: &common::App) -> i64 {
    query("SELECT COUNT(*) FROM audit_log")
        .scalar(&app.state.db)
        .await
        .unwrap()
}

const WHY: &str = "Theo phân công lại của UBND tỉnh";
const DOC: &str = "Công văn số 4567/UBND-TH ngày 01/12/2026 của UBND tỉnh";

tinhgon_testkit::both_databases! {
    async fn a_published_plan_is_changed_with_reason_and_document_and_the_units_are_told(tdb) {
        let label = tdb.label;
        let app = app_on(tdb).await;
        common::publish_615(&app).await;
        let db = &app.state.db;
        let monitor = Auth::Bearer(token_for(&app, "sonoivu").await);
        let officer = Auth::Bearer(token_for(&app, "sotuphap").await);
        let (tu_phap, tai_chinh) = (unit_id(&app, "Sở Tư pháp").await, unit_id(&app, "Sở Tài chính").await);

        // An open assignment of Sở Tư pháp whose task Sở Tài chính neither leads nor coordinates.
        let a: i64 = query(
            "SELECT a.id FROM assignments a WHERE a.unit_id = $1 AND a.status = 'not_started' \
             AND NOT EXISTS (SELECT 1 FROM assignments b WHERE b.task_id = a.task_id AND b.unit_id = $2) \
             AND NOT EXISTS (SELECT 1 FROM task_coordinators c WHERE c.task_id = a.task_id AND c.unit_id = $2) ORDER BY a.id LIMIT 1",
        ).bind(tu_phap).bind(tai_chinh).scalar(db).await.unwrap();
        let task: i64 = count(&app, "SELECT task_id FROM assignments WHERE id = $1", a).await;

        // Refusals first: none of them changes anything.
        let before = audit_rows(&app).await;
        let path = format!("/api/assignments/{a}/reassign");
        let r = api_post(&app, &path, &monitor, json!({"unit": tai_chinh, "reason": WHY, "document": " "})).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "[{label}] {}", r.json);
        assert!(r.json["error"].as_str().unwrap().contains("văn bản quyết định"), "[{label}] {}", r.json);
        let r = api_post(&app, &path, &monitor, json!({"unit": 99_999_999, "reason": WHY, "document": DOC})).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "[{label}] {}", r.json);
        let r = api_post(&app, &path, &monitor, json!({"unit": tu_phap, "reason": WHY, "document": DOC})).await;
        assert!(r.status.is_client_error(), "[{label}] the same unit: {}", r.json);
        let r = api_post(&app, &path, &officer, json!({"unit": tai_chinh, "reason": WHY, "document": DOC})).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "[{label}]");
        assert_eq!(audit_rows(&app).await, before, "[{label}] refused changes write nothing");
        assert_eq!(count(&app, "SELECT unit_id FROM assignments WHERE id = $1", a).await, tu_phap, "[{label}]");

        // The lead given to Sở Tài chính: both units are told.
        let notes = "SELECT COUNT(*) FROM notifications n JOIN users u ON u.id = n.user_id WHERE u.unit_id = $1";
        let (told_a, told_b) = (count(&app, notes, tu_phap).await, count(&app, notes, tai_chinh).await);
        let r = api_post(&app, &path, &monitor, json!({"unit": tai_chinh, "reason": WHY, "document": DOC})).await;
        assert_eq!(r.status, StatusCode::OK, "[{label}] {}", r.json);
        assert_eq!(count(&app, "SELECT unit_id FROM assignments WHERE id = $1", a).await, tai_chinh, "[{label}]");
        assert_eq!(count(&app, notes, tu_phap).await, told_a + 1, "[{label}] the old lead is told");
        assert_eq!(count(&app, notes, tai_chinh).await, told_b + 1, "[{label}] the new lead is told");
        let inbox = api_get(&app, &format!("/api/inbox?plan={}&per_page=200", app.plan), &Auth::Bearer(token_for(&app, "sotaichinh").await)).await;
        assert!(inbox.json["items"].as_array().unwrap().iter().any(|i| i["id"] == a), "[{label}] in the new lead's inbox");

        // A due date: set on a task with a date, refused on a standing duty.
        let dated: i64 = query(
            "SELECT a.id FROM assignments a JOIN tasks t ON t.id = a.task_id WHERE a.status = 'not_started' \
             AND t.deadline_kind = 'by' ORDER BY a.id LIMIT 1",
        ).scalar(db).await.unwrap();
        let r = api_post(&app, &format!("/api/assignments/{dated}/due"), &monitor, json!({"due": "31/02/2027", "reason": WHY, "document": DOC})).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "[{label}] wrong date");
        let r = api_post(&app, &format!("/api/assignments/{dated}/due"), &monitor, json!({"due": "15/03/2027", "reason": WHY, "document": DOC})).await;
        assert_eq!(r.status, StatusCode::OK, "[{label}] {}", r.json);
        let due: Option<chrono::NaiveDate> = query("SELECT due FROM assignments WHERE id = $1").bind(dated).scalar(db).await.unwrap();
        assert_eq!(due, chrono::NaiveDate::from_ymd_opt(2027, 3, 15), "[{label}]");
        let standing: i64 = query(
            "SELECT a.id FROM assignments a JOIN tasks t ON t.id = a.task_id WHERE a.status = 'not_started' \
             AND t.deadline_kind = 'ongoing' ORDER BY a.id LIMIT 1",
        ).scalar(db).await.unwrap();
        let r = api_post(&app, &format!("/api/assignments/{standing}/due"), &monitor, json!({"due": "15/03/2027", "reason": WHY, "document": DOC})).await;
        assert!(r.status.is_client_error(), "[{label}] {}", r.json);
        assert!(r.json["error"].as_str().unwrap().contains("thường xuyên"), "[{label}] {}", r.json);

        // A coordinating unit added (once only), then withdrawn.
        let coords = "SELECT COUNT(*) FROM task_coordinators WHERE task_id = $1";
        let n = count(&app, coords, task).await;
        let add = format!("/api/tasks/{task}/coordinators/add");
        let r = api_post(&app, &add, &monitor, json!({"unit": tu_phap, "reason": WHY, "document": DOC})).await;
        assert_eq!(r.status, StatusCode::OK, "[{label}] {}", r.json);
        assert_eq!(count(&app, coords, task).await, n + 1, "[{label}]");
        let r = api_post(&app, &add, &monitor, json!({"unit": tu_phap, "reason": WHY, "document": DOC})).await;
        assert!(r.status.is_client_error(), "[{label}] added twice: {}", r.json);
        let r = api_post(&app, &add, &monitor, json!({"unit": tai_chinh, "reason": WHY, "document": DOC})).await;
        assert!(r.status.is_client_error(), "[{label}] the lead as its own coordinator: {}", r.json);
        let r = api_post(&app, &format!("/api/tasks/{task}/coordinators/withdraw"), &monitor, json!({"unit": tu_phap, "reason": WHY, "document": DOC})).await;
        assert_eq!(r.status, StatusCode::OK, "[{label}] {}", r.json);
        assert_eq!(count(&app, coords, task).await, n, "[{label}]");

        // The task withdrawn: its open assignments cancelled.
        let r = api_post(&app, &format!("/api/tasks/{task}/withdraw"), &monitor, json!({"reason": WHY, "document": DOC})).await;
        assert_eq!(r.status, StatusCode::OK, "[{label}] {}", r.json);
        let open = "SELECT COUNT(*) FROM assignments WHERE task_id = $1 AND status NOT IN ('done', 'cancelled')";
        assert_eq!(count(&app, open, task).await, 0, "[{label}]");
        let r = api_post(&app, &path, &monitor, json!({"unit": tu_phap, "reason": WHY, "document": DOC})).await;
        assert!(r.status.is_client_error(), "[{label}] a cancelled assignment is not reassigned");

        // Five changes, listed newest first with the values in words.
        let list = api_get(&app, &format!("/api/plans/{}/changes", app.plan), &officer).await;
        assert_eq!(list.status, StatusCode::OK, "[{label}] {}", list.json);
        let items = list.json.as_array().unwrap();
        assert_eq!(items.len(), 5, "[{label}] {}", list.json);
        let first = items.last().unwrap();
        assert_eq!((first["kind"].as_str(), first["before"].as_str(), first["after"].as_str()),
            (Some("Giao lại cơ quan chủ trì"), Some("Sở Tư pháp"), Some("Sở Tài chính")), "[{label}]");
        assert_eq!(first["document"], DOC, "[{label}]");
        assert!(items.iter().any(|i| i["after"] == "15/03/2027"), "[{label}]");

        // The pages: the task page offers the changes to the monitor only; the plan lists them;
        // the change log reads as sentences.
        let mut m = signed_in(&app, "sonoivu").await;
        assert!(m.get(&format!("/assignments/{dated}")).await.body.contains("Điều chỉnh nhiệm vụ"), "[{label}]");
        let plan_page = m.get(&format!("/plans/{}", app.plan)).await.body;
        assert!(plan_page.contains("Điều chỉnh kế hoạch sau khi ban hành (5)"), "[{label}]");
        assert!(plan_page.contains("Công văn số 4567/UBND-TH"), "[{label}]");
        let log = m.get(&format!("/audit/assignment/{a}")).await.body;
        assert!(log.contains("Giao lại cơ quan chủ trì nhiệm vụ"), "[{label}]");
        assert!(!log.contains("plan_change"), "[{label}] no internal codes");
        let mut o = signed_in(&app, "sotaichinh").await;
        assert!(!o.get(&format!("/assignments/{a}")).await.body.contains("Điều chỉnh nhiệm vụ"), "[{label}]");
        // A form refusal keeps the page and names the field.
        let r = m.post(&format!("/assignments/{dated}/due"), &[("due", "hôm qua"), ("reason", WHY), ("document", DOC)]).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "[{label}]");
    }
}
