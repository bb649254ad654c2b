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

tinhgon_testkit::both_databases! {
    async fn a_task_is_added_to_a_published_plan_and_given_to_its_lead(tdb) {
        let label = tdb.label;
        let app = app_on(tdb).await;
        common::publish_615(&app).await;
        let db = &app.state.db;
        let monitor = Auth::Bearer(token_for(&app, "sonoivu").await);
        let officer = Auth::Bearer(token_for(&app, "sotuphap").await);
        let (tu_phap, tai_chinh) = (unit_id(&app, "Sở Tư pháp").await, unit_id(&app, "Sở Tài chính").await);
        let tasks_before = count(&app, "SELECT COUNT(*) FROM tasks WHERE plan_id = $1", app.plan).await;
        let path = format!("/api/plans/{}/tasks", app.plan);
        let good = json!({"reference": "II.9", "content": "Rà soát quy chế làm việc sau hợp nhất", "lead": tu_phap,
            "coordinators": [tai_chinh], "deadline": "Quý II/2027", "reason": WHY, "document": DOC});

        // Refused, nothing written: an officer; no document; a wrong date; the lead as coordinator;
        // a unit of no province of this plan; a reference the plan has.
        let fingerprint = wq::table_fingerprint(db).await.unwrap();
        assert_eq!(api_post(&app, &path, &officer, good.clone()).await.status, StatusCode::FORBIDDEN, "[{label}]");
        let mut bad = good.clone();
        bad["document"] = json!("");
        assert_eq!(api_post(&app, &path, &monitor, bad).await.status, StatusCode::BAD_REQUEST, "[{label}]");
        let mut bad = good.clone();
        bad["deadline"] = json!("31/02/2027");
        let r = api_post(&app, &path, &monitor, bad).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "[{label}] {}", r.json);
        assert!(r.json["error"].as_str().unwrap().starts_with("Thời hạn chưa đúng"), "[{label}] {}", r.json);
        let mut bad = good.clone();
        bad["coordinators"] = json!([tu_phap]);
        assert_eq!(api_post(&app, &path, &monitor, bad).await.status, StatusCode::BAD_REQUEST, "[{label}]");
        let mut bad = good.clone();
        bad["lead"] = json!(999_999);
        assert_eq!(api_post(&app, &path, &monitor, bad).await.status, StatusCode::BAD_REQUEST, "[{label}]");
        let existing: String = query("SELECT ref FROM tasks WHERE plan_id = $1 ORDER BY position LIMIT 1").bind(app.plan).scalar(db).await.unwrap();
        let mut bad = good.clone();
        bad["reference"] = json!(existing);
        assert_eq!(api_post(&app, &path, &monitor, bad).await.status, StatusCode::CONFLICT, "[{label}]");
        assert_eq!(wq::table_fingerprint(db).await.unwrap(), fingerprint, "[{label}]");

        // Added: a task at the end, the lead's assignment due at the end of the quarter, the
        // coordinator recorded, both units told, the plan page lists the change.
        let r = api_post(&app, &path, &monitor, good).await;
        assert_eq!(r.status, StatusCode::OK, "[{label}] {}", r.json);
        let a = r.json["id"].as_i64().unwrap();
        assert_eq!(count(&app, "SELECT COUNT(*) FROM tasks WHERE plan_id = $1", app.plan).await, tasks_before + 1, "[{label}]");
        let (unit, due): (i64, Option<chrono::NaiveDate>) = query("SELECT unit_id, due FROM assignments WHERE id = $1").bind(a).fetch_one(db).await.unwrap();
        assert_eq!((unit, due), (tu_phap, chrono::NaiveDate::from_ymd_opt(2027, 6, 30)), "[{label}]");
        let task: i64 = count(&app, "SELECT task_id FROM assignments WHERE id = $1", a).await;
        assert_eq!(count(&app, "SELECT COUNT(*) FROM task_coordinators WHERE task_id = $1", task).await, 1, "[{label}]");
        let told: i64 = query("SELECT COUNT(*) FROM notifications WHERE text LIKE '%nhiệm vụ bổ sung%'").scalar(db).await.unwrap();
        assert!(told >= 2, "[{label}] lead and coordinator told: {told}");
        let inbox = api_get(&app, "/api/inbox?per_page=200", &officer).await;
        assert!(inbox.json["items"].as_array().unwrap().iter().any(|i| i["id"].as_i64() == Some(a)), "[{label}] in the lead's inbox");
        let mut m = signed_in(&app, "sonoivu").await;
        let page = m.get(&format!("/plans/{}", app.plan)).await;
        assert!(page.body.contains("Bổ sung nhiệm vụ") && page.body.contains("Rà soát quy chế làm việc sau hợp nhất"), "[{label}]");
        let changes = api_get(&app, &format!("/api/plans/{}/changes", app.plan), &monitor).await;
        assert!(changes.json.to_string().contains("Bổ sung nhiệm vụ"), "[{label}] {}", changes.json);

        // The page's form, with two coordinators.
        let r = m.post(&format!("/plans/{}/tasks/add", app.plan), &[("reference", "II.10"), ("content", "Tổng kết việc sắp xếp"),
            ("lead", &tai_chinh.to_string()), ("coordinators", &tu_phap.to_string()), ("coordinators", &unit_id(&app, "Sở Nội vụ").await.to_string()),
            ("deadline", "Thường xuyên"), ("reason", WHY), ("document", DOC)]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "[{label}] {}", r.body);
        let last: i64 = query("SELECT id FROM tasks WHERE plan_id = $1 AND ref = 'II.10'").bind(app.plan).scalar(db).await.unwrap();
        assert_eq!(count(&app, "SELECT COUNT(*) FROM task_coordinators WHERE task_id = $1", last).await, 2, "[{label}]");
        assert_eq!(count(&app, "SELECT COUNT(*) FROM assignments WHERE task_id = $1 AND due IS NULL", last).await, 1, "[{label}] a standing duty has no due date");
    }
}
