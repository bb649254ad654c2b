//! "Việc của tôi" on both databases with more assignments than a page: the page and
//! `/api/inbox` show the counts the domain rule gives, page through every row exactly once,
//! keep the filters in the pager and count links, and refuse bad values with a 400 in
//! Vietnamese (never a 500).

mod common;

use std::collections::{BTreeMap, BTreeSet};

use axum::http::StatusCode;
use chrono::{Duration, NaiveDate, Utc};
use common::{app_on, signed_in, App, Client};
use tinhgon_domain::class::StatusClass;
use tinhgon_domain::model::Id;
use tinhgon_domain::{
    classify, AgencyRef, Deadline, DeadlineKind, DocumentMeta, PlanDraft, TaskDraft,
};
use tinhgon_store::plans;
use tinhgon_store::status::{self, Scope};

/// Today in Vietnam, as the server sees it.
fn today() -> NaiveDate {
    (Utc::now() + Duration::hours(7)).date_naive()
}

/// A plan of `n` tasks led by Sở Tư pháp, due dates spread around today (some past, some
/// undated), published a year ago.
async fn publish_big_plan(app: &App, number: &str, n: usize) -> Id {
    let issued = today() - Duration::days(365);
    let tasks = (0..n)
        .map(|i| {
            let (kind, due) = match i % 7 {
                0 => (DeadlineKind::Ongoing, None),
                _ => (
                    DeadlineKind::By,
                    Some(issued + Duration::days(((i * 41) % 700) as i64)),
                ),
            };
            TaskDraft {
                reference: format!("{}", i + 1),
                content: format!("Nhiệm vụ thử số {} của kế hoạch {number}", i + 1),
                lead: vec![AgencyRef {
                    text: "Sở Tư pháp".into(),
                    name: "Sở Tư pháp".into(),
                    group: None,
                }],
                coordinating: vec![],
                deadline: Deadline {
                    text: "thời hạn".into(),
                    kind,
                    due,
                    precision: None,
                    period: None,
                    event: None,
                    start: None,
                },
                deliverable: None,
                source: Default::default(),
                progress: None,
            }
        })
        .collect();
    let draft = PlanDraft {
        document: DocumentMeta {
            number: Some(number.into()),
            issuer: Some("Ủy ban nhân dân tỉnh Nghệ An".into()),
            date: Some(issued),
            title: Some(format!("Kế hoạch {number}")),
            ..Default::default()
        },
        tasks,
        targets: vec![],
        warnings: vec![],
    };
    let at = Utc::now() - Duration::days(365);
    let db = &app.state.db;
    let id = plans::system::insert_draft(
        db,
        &plans::NewDraft {
            province_id: Some(app.province),
            draft: &draft,
            source_text: None,
            content_hash: &format!("hash {number}"),
            by: None,
            at,
        },
    )
    .await
    .expect("bản nháp");
    plans::system::publish_plan(db, id, None, issued, at)
        .await
        .expect("ban hành");
    id
}

/// The officer's unit.
async fn unit_of(app: &App, login: &str) -> Id {
    {
        tinhgon_store::tx::query("SELECT unit_id FROM users WHERE login = $1")
            .bind(login)
            .scalar::<Option<i64>>(&app.state.db)
            .await
            .expect("tài khoản")
    }
    .expect("cán bộ gắn với đơn vị")
}

/// Counts per class of the unit's assignments today by the domain rule.
async fn domain_counts(app: &App, unit: Id) -> BTreeMap<StatusClass, u64> {
    let facts = status::assignment_facts(&app.state.db, Scope::Unit(unit))
        .await
        .expect("dữ kiện");
    let mut out = BTreeMap::new();
    for (_, (_, f)) in facts {
        if let Some(c) = classify(&f, today()) {
            *out.entry(c).or_insert(0) += 1;
        }
    }
    out
}

fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(ch);
    }
    out
}

/// Assignment ids linked from a page, in order.
fn assignment_links(body: &str) -> Vec<Id> {
    body.split("href=\"/assignments/")
        .skip(1)
        .filter_map(|s| s.split('"').next()?.parse().ok())
        .collect()
}

async fn get_ok(c: &mut Client, path: &str) -> String {
    let r = c.get(path).await;
    assert_eq!(r.status, StatusCode::OK, "{path}: {}", r.body);
    r.body
}

async fn json(c: &mut Client, path: &str) -> (StatusCode, serde_json::Value) {
    let r = c.get(path).await;
    let v = serde_json::from_str(&r.body).unwrap_or(serde_json::Value::Null);
    (r.status, v)
}

async fn inbox_pages_on(tdb: tinhgon_testkit::TestDb) {
    let label = tdb.label;
    let app = app_on(tdb).await;
    let plan = publish_big_plan(&app, "77/KH-UBND", 140).await;
    let unit = unit_of(&app, "sotuphap").await;
    let counts = domain_counts(&app, unit).await;
    let total: u64 = counts.values().sum();
    assert!(total > 100, "[{label}] more rows than two pages: {total}");
    let mut c = signed_in(&app, "sotuphap").await;

    // The page: counts by class, "Hiển thị 1–50 trên N", then every page once.
    let body = get_ok(&mut c, "/inbox").await;
    for class in StatusClass::ALL {
        let n = counts.get(&class).copied().unwrap_or(0);
        let card = format!("href=\"/inbox?class={}\"", class.as_str());
        assert!(body.contains(&card), "[{label}] count link of {class:?}");
        let shown = format!(
            "{}</div><div class=\"l\">{}</div>",
            thousands(n),
            class.label_vi()
        );
        assert!(body.contains(&shown), "[{label}] count {n} of {class:?}");
    }
    let pages = total.div_ceil(50);
    let mut seen = BTreeSet::new();
    let mut ordered = Vec::new();
    for page in 1..=pages {
        let path = if page == 1 {
            "/inbox".to_string()
        } else {
            format!("/inbox?page={page}")
        };
        let body = get_ok(&mut c, &path).await;
        let first = (page - 1) * 50 + 1;
        let last = (page * 50).min(total);
        let shown = format!(
            "Hiển thị {}–{} trên {}",
            thousands(first),
            thousands(last),
            thousands(total)
        );
        assert!(body.contains(&shown), "[{label}] {path}: {shown}");
        let links = assignment_links(&body);
        assert_eq!(
            links.len() as u64,
            last - first + 1,
            "[{label}] rows of {path}"
        );
        for id in &links {
            assert!(seen.insert(*id), "[{label}] {id} twice");
        }
        ordered.extend(links);
        assert_eq!(
            body.contains("Trang sau"),
            page < pages,
            "[{label}] next link on {path}"
        );
        assert_eq!(
            body.contains("Trang trước"),
            page > 1,
            "[{label}] previous link on {path}"
        );
    }
    assert_eq!(seen.len() as u64, total, "[{label}] every row once");

    // The API pages the same rows in the same order.
    let (s, v) = json(&mut c, "/api/inbox?per_page=200").await;
    assert_eq!(s, StatusCode::OK, "[{label}] {v}");
    assert_eq!(v["total"], total, "[{label}]");
    let api_ids: Vec<Id> = v["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|i| i["id"].as_i64())
        .collect();
    assert_eq!(api_ids, ordered, "[{label}] API order = page order");
    for cc in v["counts"].as_array().unwrap() {
        let class = StatusClass::parse(cc["class"].as_str().unwrap()).unwrap();
        assert_eq!(
            cc["n"],
            counts.get(&class).copied().unwrap_or(0),
            "[{label}] API count {class:?}"
        );
    }
    let (_, v2) = json(&mut c, "/api/inbox?per_page=7&page=3").await;
    let ids2: Vec<Id> = v2["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|i| i["id"].as_i64())
        .collect();
    assert_eq!(ids2, ordered[14..21].to_vec(), "[{label}] page 3 of 7");
    assert_eq!(v2["pages"], total.div_ceil(7), "[{label}]");

    // Filters combine, and the pager and count links keep them.
    let overdue = counts.get(&StatusClass::Overdue).copied().unwrap_or(0);
    assert!(overdue > 0, "[{label}] some overdue");
    let path = format!("/inbox?class=overdue&plan={plan}");
    let body = get_ok(&mut c, &path).await;
    let (_, v) = json(
        &mut c,
        &format!("/api/inbox?class=overdue&plan={plan}&per_page=200"),
    )
    .await;
    let filtered: Vec<Id> = v["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|i| i["id"].as_i64())
        .collect();
    assert!(
        !filtered.is_empty()
            && filtered.iter().all(|i| v["items"]
                .as_array()
                .unwrap()
                .iter()
                .any(|x| x["id"] == *i && x["class"] == "overdue" && x["plan_id"] == plan)),
        "[{label}] {v}"
    );
    assert_eq!(
        assignment_links(&body)[..filtered.len().min(50)],
        filtered[..filtered.len().min(50)],
        "[{label}] page = API"
    );
    assert!(
        body.contains(&format!(
            "href=\"/inbox?class=done_on_time&amp;plan={plan}\""
        )) || body.contains(&format!("href=\"/inbox?class=done_on_time&plan={plan}\"")),
        "[{label}] count links keep the plan"
    );
    let due_cut = today().format("%d/%m/%Y").to_string();
    let (_, v) = json(
        &mut c,
        &format!("/api/inbox?due_before={due_cut}&per_page=200"),
    )
    .await;
    assert!(
        v["items"].as_array().unwrap().iter().all(|i| i["due"]
            .as_str()
            .is_some_and(|d| d <= today().to_string().as_str())),
        "[{label}] due filter"
    );
    if total > 50 {
        let body = get_ok(&mut c, &format!("/inbox?plan={plan}&page=2")).await;
        assert!(
            body.contains(&format!("plan={plan}")) && body.contains("Trang trước"),
            "[{label}] pager keeps the plan"
        );
    }

    // Bad values: 400 with a Vietnamese message, never 500.
    for (path, words) in [
        ("/inbox?class=xanh", "Nhóm trạng thái không hợp lệ"),
        ("/inbox?due_before=31/02/2026", "Ngày không hợp lệ"),
        ("/inbox?plan=abc", "Kế hoạch không hợp lệ"),
        ("/inbox?page=0", "Số trang không hợp lệ"),
        ("/inbox?page=-2", "Số trang không hợp lệ"),
        ("/inbox?page=mot", "Số trang không hợp lệ"),
        ("/api/inbox?class=xanh", "Nhóm trạng thái không hợp lệ"),
        ("/api/inbox?per_page=0", "per_page phải từ 1 đến 200"),
        ("/api/inbox?per_page=201", "per_page phải từ 1 đến 200"),
        ("/api/inbox?page=0", "page phải từ 1"),
        ("/api/inbox?page=abc", "không hợp lệ"),
        ("/api/inbox?per_page=-1", "không hợp lệ"),
    ] {
        let r = c.get(path).await;
        assert_eq!(
            r.status,
            StatusCode::BAD_REQUEST,
            "[{label}] {path}: {}",
            r.body
        );
        assert!(r.body.contains(words), "[{label}] {path}: {}", r.body);
    }
    // A page beyond the end is empty, not an error.
    let body = get_ok(&mut c, "/inbox?page=9999").await;
    assert!(
        assignment_links(&body).is_empty() && body.contains("Không có nhiệm vụ phù hợp"),
        "[{label}]"
    );
}

tinhgon_testkit::both_databases! {
    async fn inbox_pages(t) {
        inbox_pages_on(t).await;
    }
}
