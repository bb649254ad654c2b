//! The task list across plans: every assignment of the province, filtered by plan, unit (as
//! lead or coordinator), class, due range, overdue date and text; sorted; paged; exported to
//! XLSX and CSV with the same filters; JSON `{"total", "items"}` under `/api/assignments`. On
//! both databases, against counts taken from the store directly.

mod common;

use std::collections::BTreeSet;

use axum::http::StatusCode;
use common::{api_get, app_on, download, publish_615, signed_in, token_for, Auth};
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

fn ids(j: &serde_json::Value) -> Vec<i64> {
    j["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_i64().unwrap())
        .collect()
}

tinhgon_testkit::both_databases! {
    async fn the_task_list_filters_sorts_pages_and_exports_the_provinces_assignments(tdb) {
        let label = tdb.label;
        let app = app_on(tdb).await;
        publish_615(&app).await;
        let db = &app.state.db;
        let auth = Auth::Bearer(token_for(&app, "sonoivu").await);
        let all = api_get(&app, "/api/assignments?per_page=200", &auth).await;
        assert_eq!(all.status, StatusCode::OK, "[{label}] {}", all.json);
        let plan_work = wq::plan_work(db, app.plan).await.unwrap();
        let open = plan_work.iter().filter(|w| w.status != "cancelled").count() as u64;
        assert_eq!(all.json["total"].as_u64(), Some(open), "[{label}]");
        assert_eq!(all.json["items"].as_array().unwrap().len(), 200, "[{label}]");

        // The classes partition the list.
        let mut sum = 0;
        for class in ["done_on_time", "done_late", "in_progress", "overdue", "not_due", "waiting_for_condition", "standing"] {
            let r = api_get(&app, &format!("/api/assignments?class={class}&per_page=1"), &auth).await;
            assert_eq!(r.status, StatusCode::OK, "[{label}] {class}");
            sum += r.json["total"].as_u64().unwrap();
        }
        assert_eq!(sum, open, "[{label}] classes add up");

        // One unit as lead: exactly its assignments of the plan.
        let tu_phap = unit_id(&app, "Sở Tư pháp").await;
        let own: BTreeSet<i64> = plan_work.iter().filter(|w| w.unit_id == tu_phap).map(|w| w.id).collect();
        let r = api_get(&app, &format!("/api/assignments?unit={tu_phap}&plan={}&per_page=200", app.plan), &auth).await;
        assert_eq!(ids(&r.json).into_iter().collect::<BTreeSet<_>>(), own, "[{label}]");
        // As coordinator: the assignments of the tasks it coordinates, none of its own lead.
        let coords = wq::plan_coordinators(db, app.plan).await.unwrap();
        let tasks: BTreeSet<i64> = coords.iter().filter(|c| c.1 == Some(tu_phap)).map(|c| c.0).collect();
        let r = api_get(&app, &format!("/api/assignments?unit={tu_phap}&role=coordinating&per_page=200"), &auth).await;
        let items = r.json["items"].as_array().unwrap();
        assert!(!items.is_empty(), "[{label}]");
        assert!(items.iter().all(|i| tasks.contains(&i["task_id"].as_i64().unwrap())), "[{label}]");

        // Text and reference.
        let r = api_get(&app, "/api/assignments?q=PL.6&per_page=200", &auth).await;
        let items = r.json["items"].as_array().unwrap();
        assert!(!items.is_empty(), "[{label}]");
        assert!(items.iter().all(|i| i["task_ref"] == "PL.6"), "[{label}] {}", r.json);

        // Pages do not overlap and sorting by due date holds across them.
        let p1 = api_get(&app, "/api/assignments?per_page=50&page=1", &auth).await;
        let p2 = api_get(&app, "/api/assignments?per_page=50&page=2", &auth).await;
        let (a, b) = (ids(&p1.json), ids(&p2.json));
        assert_eq!((a.len(), b.len()), (50, 50), "[{label}]");
        assert!(a.iter().all(|x| !b.contains(x)), "[{label}]");
        let dues: Vec<Option<String>> = p1.json["items"].as_array().unwrap().iter().chain(p2.json["items"].as_array().unwrap()).map(|i| i["due"].as_str().map(String::from)).collect();
        let dated: Vec<&String> = dues.iter().flatten().collect();
        assert!(dated.windows(2).all(|w| w[0] <= w[1]), "[{label}] due order");

        // Sorted by unit with a text filter, page by page: the same rows in the same order as
        // one long page, the same total on every page, and a page past the end keeps the total.
        let q = "/api/assignments?q=s%E1%BB%9F&sort=unit";
        let whole = api_get(&app, &format!("{q}&per_page=200"), &auth).await;
        let total = whole.json["total"].as_u64().unwrap();
        assert!(total > 20, "[{label}] {total}");
        let mut paged = Vec::new();
        for page in 1..=2 {
            let r = api_get(&app, &format!("{q}&per_page=10&page={page}"), &auth).await;
            assert_eq!(r.json["total"].as_u64(), Some(total), "[{label}] page {page}");
            paged.extend(ids(&r.json));
        }
        assert_eq!(paged, ids(&whole.json)[..20].to_vec(), "[{label}] unit order across pages");
        let units: Vec<&str> = whole.json["items"].as_array().unwrap().iter().map(|i| i["unit"].as_str().unwrap()).collect();
        assert!(units.windows(2).all(|w| w[0] <= w[1]), "[{label}] unit order {units:?}");
        let past = api_get(&app, &format!("{q}&per_page=10&page=999"), &auth).await;
        assert_eq!((past.json["total"].as_u64(), ids(&past.json).len()), (Some(total), 0), "[{label}] past the end");

        // Due range.
        let r = api_get(&app, "/api/assignments?due_from=01/01/2030&per_page=200", &auth).await;
        assert!(r.json["items"].as_array().unwrap().iter().all(|i| i["due"].as_str().is_some_and(|d| d >= "2030-01-01")), "[{label}]");

        // Bad input: a clear error, in Vietnamese.
        for (q, field) in [("class=xyz", "Tình trạng"), ("due_from=31/02/2025", "Ngày"), ("per_page=0", "Số"), ("sort=abc", "sắp xếp")] {
            let r = api_get(&app, &format!("/api/assignments?{q}"), &auth).await;
            assert_eq!(r.status, StatusCode::BAD_REQUEST, "[{label}] {q}");
            assert!(r.json["error"].as_str().unwrap().contains(field), "[{label}] {q}: {}", r.json);
        }

        // The page and its exports with the same filters.
        let mut monitor = signed_in(&app, "sonoivu").await;
        let page = monitor.get(&format!("/tasks?unit={tu_phap}&plan={}", app.plan)).await;
        assert_eq!(page.status, StatusCode::OK, "[{label}]");
        assert!(page.body.contains("Sở Tư pháp"), "[{label}]");
        assert!(page.body.contains(&format!("/tasks.xlsx?plan={}&amp;unit={tu_phap}", app.plan)), "[{label}]");
        let x = download(&monitor, &format!("/tasks.xlsx?plan={}&unit={tu_phap}", app.plan)).await;
        assert_eq!(x.status, StatusCode::OK, "[{label}]");
        {
            use calamine::Reader;
            let mut book: calamine::Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(x.bytes.clone())).unwrap();
            let first = book.sheet_names()[0].clone();
            let range = book.worksheet_range(&first).unwrap();
            assert_eq!(range.height(), own.len() + 1, "[{label}] header and one row each");
        }
        let c = download(&monitor, &format!("/tasks.csv?plan={}&unit={tu_phap}", app.plan)).await;
        assert_eq!(c.status, StatusCode::OK);
        let text = String::from_utf8_lossy(&c.bytes);
        assert_eq!(text.lines().count(), own.len() + 1, "[{label}]");
        assert!(c.disposition.contains("filename*=UTF-8''Danh%20s%C3%A1ch"), "[{label}] {}", c.disposition);

        // An agency works from its own inbox: the list is not its.
        let officer = Auth::Bearer(token_for(&app, "sotuphap").await);
        assert_eq!(api_get(&app, "/api/assignments", &officer).await.status, StatusCode::FORBIDDEN);
        let mut o = signed_in(&app, "sotuphap").await;
        assert_eq!(o.get("/tasks").await.status, StatusCode::FORBIDDEN);

        // The dashboard's counts lead into the list.
        let dash = monitor.get("/dashboard").await;
        assert!(dash.body.contains("href=\"/tasks?class="), "[{label}]");
        assert!(dash.body.contains(&format!("href=\"/tasks?unit={tu_phap}")), "[{label}]");
    }
}

tinhgon_testkit::both_databases! {
    async fn saved_filters_are_named_reopened_replaced_and_kept_to_their_account(tdb) {
        let label = tdb.label;
        let app = app_on(tdb).await;
        publish_615(&app).await;
        let tu_phap = unit_id(&app, "Sở Tư pháp").await;
        let mut monitor = signed_in(&app, "sonoivu").await;
        let page = monitor.get("/tasks").await;
        assert!(page.body.contains("Chưa có bộ lọc nào"), "[{label}]");

        // Named with its filters; the list then offers it as a link that reopens them.
        let unit = tu_phap.to_string();
        let r = monitor.post("/tasks/filters", &[("name", "  Quá hạn   của Sở Tư pháp "), ("unit", &unit), ("class", "overdue"), ("sort", "unit"), ("page", "3")]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "[{label}] {}", r.body);
        let page = monitor.get("/tasks").await;
        let link = format!("href=\"/tasks?unit={tu_phap}&amp;class=overdue&amp;sort=unit\">Quá hạn của Sở Tư pháp</a>");
        assert!(page.body.contains(&link), "[{label}] {}", page.body);
        let opened = monitor.get(&format!("/tasks?unit={tu_phap}&class=overdue&sort=unit")).await;
        assert!(opened.body.contains("aria-current=\"true\">Quá hạn của Sở Tư pháp"), "[{label}] the filter in use is marked");

        // The same name again replaces the filter instead of adding a second.
        let r = monitor.post("/tasks/filters", &[("name", "Quá hạn của Sở Tư pháp"), ("unit", &unit), ("class", "in_progress")]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "[{label}]");
        let mine = tinhgon_store::saved_filters::list(&app.state.db, common::user_id(&app.state.db, "sonoivu").await).await.unwrap();
        assert_eq!(mine.len(), 1, "[{label}]");
        assert_eq!(mine[0].query, format!("unit={tu_phap}&class=in_progress"), "[{label}]");

        // Refused, nothing written: no name, a wrong filter.
        let before = wq::table_fingerprint(&app.state.db).await.unwrap();
        let r = monitor.post("/tasks/filters", &[("name", "   "), ("class", "overdue")]).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "[{label}]");
        assert!(r.body.contains("Hãy đặt tên cho bộ lọc"), "[{label}] {}", r.body);
        let r = monitor.post("/tasks/filters", &[("name", "Sai"), ("due_from", "31/02/2026")]).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "[{label}]");
        let long = "x".repeat(81);
        let r = monitor.post("/tasks/filters", &[("name", &long)]).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "[{label}]");
        assert_eq!(wq::table_fingerprint(&app.state.db).await.unwrap(), before, "[{label}]");

        // Another account neither sees nor deletes it; its owner deletes it.
        let mut leader = signed_in(&app, "lanhdao").await;
        let before = wq::table_fingerprint(&app.state.db).await.unwrap();
        let page = leader.get("/tasks").await;
        assert!(!page.body.contains("Quá hạn của Sở Tư pháp"), "[{label}]");
        let r = leader.post(&format!("/tasks/filters/{}/delete", mine[0].id), &[]).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "[{label}]");
        assert_eq!(wq::table_fingerprint(&app.state.db).await.unwrap(), before, "[{label}]");
        let mut officer = signed_in(&app, "sotuphap").await;
        officer.get("/inbox").await;
        let before = wq::table_fingerprint(&app.state.db).await.unwrap();
        let r = officer.post("/tasks/filters", &[("name", "Của tôi")]).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "[{label}] an agency works from its inbox");
        assert_eq!(wq::table_fingerprint(&app.state.db).await.unwrap(), before, "[{label}]");
        let r = monitor.post(&format!("/tasks/filters/{}/delete", mine[0].id), &[]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "[{label}]");
        assert!(monitor.get("/tasks").await.body.contains("Chưa có bộ lọc nào"), "[{label}]");
    }
}
