//! Import → review → publish on SQLite and PostgreSQL: the demo publishes 615/KH-UBND with the
//! same assignments on both databases.

use std::collections::BTreeSet;

use tinhgon_store::web_queries as wq;
use tinhgon_store::Db;

/// What the demo published: (unit name, task reference) of every assignment of 615/KH-UBND,
/// and the task references of the unit the demo account `sotaichinh` works for.
async fn demo_assignments(
    tdb: &tinhgon_testkit::TestDb,
) -> (BTreeSet<(String, String)>, BTreeSet<String>) {
    let db = Db::connect(&tdb.url).await.expect("mở CSDL");
    let base = tinhgon_demo::seed_demo(&db).await.expect("dữ liệu demo");
    let hash = {
        use sha2::{Digest, Sha256};
        hex::encode(Sha256::digest(tinhgon_demo::SEEDS[0].1))
    };
    let plan = wq::plan_by_hash(&db, Some(base.province_id), &hash)
        .await
        .unwrap()
        .expect("615 đã nhập");
    let names = wq::unit_names(&db, Some(base.province_id)).await.unwrap();
    let finance = tinhgon_store::accounts::credentials(&db, "sotaichinh")
        .await
        .unwrap()
        .expect("tài khoản sotaichinh")
        .user
        .unit_id
        .expect("sotaichinh thuộc một đơn vị");
    // Every demo account with a unit works for a unit in force today.
    let current: BTreeSet<i64> = tinhgon_store::register::units_as_of(
        &db,
        base.province_id,
        chrono::Utc::now().date_naive(),
    )
    .await
    .unwrap()
    .iter()
    .map(|u| u.id)
    .collect();
    for a in tinhgon_demo::ACCOUNTS.iter().filter(|a| a.unit.is_some()) {
        let unit = tinhgon_store::accounts::credentials(&db, a.login)
            .await
            .unwrap()
            .unwrap()
            .user
            .unit_id;
        assert!(
            unit.is_some_and(|u| current.contains(&u)),
            "[{}] {} phải thuộc {:?} đang hoạt động",
            tdb.label,
            a.login,
            a.unit
        );
    }
    let work = wq::plan_work(&db, plan).await.unwrap();
    let own = work
        .iter()
        .filter(|w| w.unit_id == finance)
        .map(|w| w.task_ref.clone())
        .collect();
    let all = work
        .into_iter()
        .map(|w| (names[&w.unit_id].clone(), w.task_ref))
        .collect();
    (all, own)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_publishes_the_same_assignments_on_both_databases() {
    let (sqlite, sqlite_finance) = demo_assignments(&tinhgon_testkit::sqlite_db()).await;
    let (pg, pg_finance) = demo_assignments(&tinhgon_testkit::postgres_db()).await;
    let only_sqlite: Vec<_> = sqlite.difference(&pg).collect();
    let only_pg: Vec<_> = pg.difference(&sqlite).collect();
    assert!(
        only_sqlite.is_empty() && only_pg.is_empty(),
        "chỉ SQLite: {only_sqlite:?}\nchỉ PostgreSQL: {only_pg:?}"
    );
    // What seed 000 gives Sở Tài chính: PL.12 names it as lead, PL.3's lead is "Các Sở,
    // ngành", and section III.2 is addressed to "Giám đốc các sở, ban, ngành" (III.2.a–đ).
    let section_2: BTreeSet<String> = sqlite
        .iter()
        .map(|(_, t)| t.clone())
        .filter(|t| t.starts_with("III.2."))
        .collect();
    assert_eq!(section_2.len(), 6, "III.2.a–đ: {section_2:?}");
    let mut want: BTreeSet<String> = ["PL.3", "PL.12"].map(String::from).into();
    want.extend(section_2);
    let by_name: BTreeSet<String> = sqlite
        .iter()
        .filter(|(u, _)| u == "Sở Tài chính")
        .map(|(_, t)| t.clone())
        .collect();
    assert_eq!(by_name, want);
    // The demo officer of Sở Tài chính works for the unit that has them, on both databases.
    assert_eq!(
        sqlite_finance, want,
        "SQLite: việc của tài khoản sotaichinh"
    );
    assert_eq!(
        pg_finance, want,
        "PostgreSQL: việc của tài khoản sotaichinh"
    );
}

// ---- Review through the real router: one decision per mention, refused publication.

mod common;

use axum::http::StatusCode;
use common::{app_on, signed_in, Client};
use serde_json::Value;

/// The unresolved mentions of the draft as the API lists them.
async fn unresolved(c: &mut Client, plan: i64) -> Vec<Value> {
    let r = c.get(&format!("/api/plans/{plan}/review")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let v: Value = serde_json::from_str(&r.body).unwrap();
    v["unresolved"].as_array().unwrap().clone()
}

fn keys_of(list: &[Value]) -> BTreeSet<String> {
    list.iter()
        .map(|m| m["key"].as_str().unwrap().to_string())
        .collect()
}

/// The draft and its agency map, as stored.
async fn stored(db: &Db, plan: i64) -> (String, String) {
    let rec = tinhgon_store::plans::get_plan(db, plan).await.unwrap();
    (
        serde_json::to_string(&rec.draft).unwrap(),
        serde_json::to_string(&rec.agency_map).unwrap(),
    )
}

async fn current_unit(db: &Db, province: i64, name: &str) -> i64 {
    tinhgon_store::register::units_as_of(db, province, chrono::Utc::now().date_naive())
        .await
        .unwrap()
        .into_iter()
        .find(|u| u.name == name)
        .unwrap_or_else(|| panic!("{name} trong danh mục"))
        .id
}

async fn review_flow(tdb: tinhgon_testkit::TestDb) {
    let label = tdb.label;
    let app = app_on(tdb).await;
    let db = app.state.db.clone();
    let plan = app.plan;
    let noi_vu = current_unit(&db, app.province, "Sở Nội vụ").await;
    let mut monitor = signed_in(&app, "sonoivu").await;
    let page = format!("/plans/{plan}/review");

    // The vague words that lead PL.10 also coordinate other tasks.
    let list = unresolved(&mut monitor, plan).await;
    let lead = list
        .iter()
        .find(|m| m["role"] == "lead" && m["suggestions"].as_array().unwrap().is_empty())
        .expect("một cơ quan chủ trì không nhận diện được")
        .clone();
    let text = lead["text"].as_str().unwrap().to_string();
    let coordinating: Vec<Value> = list
        .iter()
        .filter(|m| m["role"] == "coordinating" && m["text"] == text.as_str())
        .cloned()
        .collect();
    assert!(
        coordinating.len() >= 2,
        "[{label}] \"{text}\" còn là cơ quan phối hợp ở nhiều nhiệm vụ"
    );
    assert_eq!(
        keys_of(&list).len(),
        list.len(),
        "[{label}] mỗi chỗ nhắc tới có khóa riêng"
    );

    // The page lists every mention on its own row, linked to its task.
    let r = monitor.get(&page).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.body.matches("<tr data-key=").count(), list.len());
    assert!(r.body.contains(&format!(
        "href=\"#task-{}\"",
        lead["task_index"].as_u64().unwrap()
    )));
    assert!(r.body.contains("Áp dụng cho mọi chỗ cùng tên"));

    // Ignoring ONE coordinating mention leaves the lead and the other coordinating ones alone.
    let first = coordinating[0]["key"].as_str().unwrap().to_string();
    let r = monitor
        .post(
            &format!("/plans/{plan}/review/map"),
            &[("mention", &text), ("key", &first), ("unit_id", "ignore")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "[{label}] {}", r.body);
    let after = unresolved(&mut monitor, plan).await;
    let mut want = keys_of(&list);
    want.remove(&first);
    assert_eq!(keys_of(&after), want, "[{label}] chỉ đúng chỗ đó");
    let map = tinhgon_store::plans::get_plan(&db, plan)
        .await
        .unwrap()
        .agency_map;
    assert_eq!(map.len(), 1);
    assert_eq!(map.get(&first), Some(&vec![]));

    // Refusals change nothing: an unknown mention, nothing to withdraw, a unit of no province.
    let before = stored(&db, plan).await;
    for fields in [
        vec![
            ("mention", text.as_str()),
            ("key", "@PL.99|lead|0|Không có"),
            ("unit_id", "ignore"),
        ],
        vec![
            ("mention", "Không có chỗ nào"),
            ("all", "1"),
            ("unit_id", "ignore"),
        ],
        vec![
            ("mention", text.as_str()),
            ("key", lead["key"].as_str().unwrap()),
            ("unit_id", "clear"),
        ],
        vec![
            ("mention", text.as_str()),
            ("key", lead["key"].as_str().unwrap()),
            ("unit_id", "987654"),
        ],
        vec![
            ("mention", text.as_str()),
            ("key", lead["key"].as_str().unwrap()),
            ("unit_id", "abc"),
        ],
    ] {
        let r = monitor
            .post(&format!("/plans/{plan}/review/map"), &fields)
            .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "[{label}] {fields:?}");
        assert!(r.body.contains("lang=\"vi\""));
    }
    assert_eq!(
        stored(&db, plan).await,
        before,
        "[{label}] không thay đổi gì"
    );

    // The API decides on one mention by its key too, and can apply to every mention at once.
    let second = coordinating[1]["key"].as_str().unwrap().to_string();
    let r = monitor
        .post_json(
            &format!("/api/plans/{plan}/review/map"),
            &serde_json::json!({"mention": text, "key": second, "unit_id": noi_vu}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "[{label}] {}", r.body);
    let now = unresolved(&mut monitor, plan).await;
    assert!(!keys_of(&now).contains(&second));
    assert!(keys_of(&now).contains(lead["key"].as_str().unwrap()));
    let same = now.iter().filter(|m| m["text"] == text.as_str()).count();
    let r = monitor
        .post_json(
            &format!("/api/plans/{plan}/review/map"),
            &serde_json::json!({"mention": text, "all": true, "unit_id": null}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "[{label}] {}", r.body);
    assert!(r.body.contains(&format!("cho {same} chỗ")), "{}", r.body);
    let now = unresolved(&mut monitor, plan).await;
    assert!(now.iter().all(|m| m["text"] != text.as_str()));
    let map = tinhgon_store::plans::get_plan(&db, plan)
        .await
        .unwrap()
        .agency_map;
    assert_eq!(
        map.get(&second),
        Some(&vec![noi_vu]),
        "giữ quyết định riêng"
    );
    assert!(!map.contains_key(&text), "không có quyết định theo tên");

    // Withdrawing a decision (the "Bỏ" button) brings the mention back.
    let r = monitor
        .post(
            &format!("/plans/{plan}/review/map"),
            &[("mention", &text), ("key", &first), ("unit_id", "clear")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(keys_of(&unresolved(&mut monitor, plan).await).contains(&first));

    // Every other lead takes its first suggestion, one mention at a time; PL.10's lead was
    // ignored above with the rest of its text, so publication must be refused for it.
    for m in unresolved(&mut monitor, plan).await {
        if m["role"] != "lead" {
            continue;
        }
        let unit = m["suggestions"][0]["id"].as_i64().unwrap_or(noi_vu);
        let r = monitor
            .post_json(
                &format!("/api/plans/{plan}/review/map"),
                &serde_json::json!({"key": m["key"], "unit_id": unit}),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    }
    // A reviewer's edit that must survive the refusal.
    let r = monitor
        .post(
            &format!("/plans/{plan}/review/meta"),
            &[
                ("number", "615/KH-UBND"),
                ("title", "Tiêu đề đã sửa khi rà soát"),
                ("date", ""),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let pl10 = lead["task_ref"].as_str().unwrap().to_string();
    let pl10_index = lead["task_index"].as_u64().unwrap();
    let v: Value =
        serde_json::from_str(&monitor.get(&format!("/api/plans/{plan}/review")).await.body)
            .unwrap();
    let problems: Vec<&str> = v["publish_problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap())
        .collect();
    assert!(
        problems.contains(&format!("{pl10}: chưa có cơ quan chủ trì").as_str()),
        "[{label}] {problems:?}"
    );
    let leadless = problems.len();

    let before = stored(&db, plan).await;
    let r = monitor.post(&format!("/plans/{plan}/publish"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "[{label}] {}", r.body);
    let back = r.location.clone().unwrap();
    assert_eq!(
        back,
        format!("/plans/{plan}/review?publish=refused#refusal")
    );
    let r = monitor.get(&back).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("Chưa ban hành được kế hoạch"), "thông báo");
    assert!(r.body.contains(&format!(
        "Kế hoạch chưa được ban hành: {leadless} nhiệm vụ cần xử lý"
    )));
    assert!(r.body.contains(&format!(
        "<li data-task=\"{pl10}\"><a href=\"#task-{pl10_index}\">{pl10}</a>: chưa có cơ quan chủ trì</li>"
    )));
    assert!(r
        .body
        .contains(&format!("blocked\" id=\"task-{pl10_index}\"")));
    assert!(
        r.body.contains("Tiêu đề đã sửa khi rà soát"),
        "giữ chỉnh sửa"
    );
    assert_eq!(
        stored(&db, plan).await,
        before,
        "[{label}] từ chối không đổi gì"
    );
    assert!(wq::plan_work(&db, plan).await.unwrap().is_empty());
    // The API says the same with 409.
    let r = monitor
        .post_json(
            &format!("/api/plans/{plan}/publish"),
            &serde_json::json!({}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(
        r.body.contains(&format!("{pl10}: chưa có cơ quan chủ trì")),
        "{}",
        r.body
    );

    // The reviewer gives each ignored lead (PL.10's among them) to Sở Nội vụ, one mention at
    // a time, and publishes.
    let map = tinhgon_store::plans::get_plan(&db, plan)
        .await
        .unwrap()
        .agency_map;
    let ignored_leads: Vec<String> = map
        .iter()
        .filter(|(k, v)| k.contains("|lead|") && v.is_empty())
        .map(|(k, _)| k.clone())
        .collect();
    assert!(ignored_leads
        .iter()
        .any(|k| k == lead["key"].as_str().unwrap()));
    assert!(ignored_leads.len() >= leadless, "[{label}] {problems:?}");
    for key in &ignored_leads {
        let r = monitor
            .post(
                &format!("/plans/{plan}/review/map"),
                &[("key", key.as_str()), ("unit_id", &noi_vu.to_string())],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    }
    let rest: Vec<Value> = serde_json::from_str::<Value>(
        &monitor.get(&format!("/api/plans/{plan}/review")).await.body,
    )
    .unwrap()["publish_problems"]
        .as_array()
        .unwrap()
        .clone();
    assert!(rest.is_empty(), "[{label}] {rest:?}");
    let r = monitor.post(&format!("/plans/{plan}/publish"), &[]).await;
    assert_eq!(
        r.location.as_deref(),
        Some(format!("/plans/{plan}").as_str()),
        "{}",
        r.body
    );
    let work = wq::plan_work(&db, plan).await.unwrap();
    let pl10_units: Vec<i64> = work
        .iter()
        .filter(|w| w.task_ref == pl10)
        .map(|w| w.unit_id)
        .collect();
    assert_eq!(pl10_units, [noi_vu], "[{label}] PL.10 cho Sở Nội vụ");
}

tinhgon_testkit::both_databases! {
    async fn review_decides_per_mention_and_refused_publication_returns_to_review(t) {
        review_flow(t).await;
    }
}

/// The staffing targets found in 615/KH-UBND are shown on the review page with their reading,
/// and the reviewer's correction is kept (or refused beside its field).
async fn staffing_targets_on_review(tdb: tinhgon_testkit::TestDb) {
    let label = tdb.label;
    let app = app_on(tdb).await;
    let plan = app.plan;
    let mut monitor = signed_in(&app, "sonoivu").await;
    let page = format!("/plans/{plan}/review");
    let r = monitor.get(&page).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.body.contains("Chỉ tiêu biên chế trong kế hoạch (2)"),
        "[{label}] hai chỉ tiêu biên chế"
    );
    assert!(r
        .body
        .contains("Giảm tối thiểu 20% công chức, viên chức hưởng lương từ ngân sách nhà nước"));
    let rec = tinhgon_store::plans::get_plan(&app.state.db, plan)
        .await
        .unwrap();
    let (cut, _) = tinhgon_app::import::targets::found(&rec.draft)
        .into_iter()
        .find(|(_, r)| r.percent == 20.0)
        .expect("chỉ tiêu 20%");
    let action = format!("/plans/{plan}/review/targets/{cut}");
    assert!(r.body.contains(&format!("action=\"{action}\"")));
    let fields = |year: &'static str| {
        vec![
            ("include", "1"),
            (
                "title",
                "Giảm tối thiểu 20% công chức, viên chức hưởng lương từ ngân sách nhà nước",
            ),
            ("direction", "decrease"),
            ("percent", "20"),
            ("baseline_year", year),
            ("deadline", ""),
            ("categories", "civil_servant,public_employee"),
            ("state_budget_paid_only", "1"),
            ("scope", ""),
        ]
    };
    let refused = monitor.post(&action, &fields("")).await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST, "[{label}]");
    assert!(refused.body.contains("Vui lòng nhập năm gốc"));
    let saved = monitor.post(&action, &fields("2021")).await;
    assert_eq!(
        saved.status,
        StatusCode::SEE_OTHER,
        "[{label}] {}",
        saved.body
    );
    let r = monitor.get(&page).await;
    let form = r
        .body
        .split(&format!("id=\"target-{cut}\""))
        .nth(1)
        .and_then(|rest| rest.split("</form>").next())
        .expect("biểu mẫu chỉ tiêu");
    assert!(
        form.contains("name=\"include\" value=\"1\" checked"),
        "{form}"
    );
    assert!(
        form.contains("name=\"baseline_year\" value=\"2021\""),
        "{form}"
    );
    // An agency officer may not touch the draft.
    let mut officer = signed_in(&app, "sotuphap").await;
    officer.get("/").await;
    let r = officer.post(&action, &fields("2020")).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "[{label}]");
}

tinhgon_testkit::both_databases! {
    async fn the_review_page_shows_and_keeps_the_staffing_targets_found(t) {
        staffing_targets_on_review(t).await;
    }
}
