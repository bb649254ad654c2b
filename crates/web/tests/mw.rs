//! The per-request middleware (one statement, same security), the assignment page's timeline,
//! the paged plan lists checked against the domain's `can_read_plan`, the rights on a unit's
//! open assignments, and error pages in the viewer's frame — on SQLite and PostgreSQL.

mod common;

use std::collections::BTreeSet;

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use common::{app_on, signed_in, App, Client};
use tinhgon_domain::user::{can_read_assignment, can_read_plan, PlanAccess, Role};
use tinhgon_store::accounts;
use tinhgon_store::web_queries as wq;

/// Publishes 615 and imports the other seeds as drafts: plans for the lists to page through.
async fn with_plans(app: &App) {
    let db = &app.state.db;
    let monitor = accounts::credentials(db, "sonoivu")
        .await
        .unwrap()
        .map(|c| c.user.id);
    let day = chrono::NaiveDate::from_ymd_opt(2025, 7, 28).unwrap();
    tinhgon_demo::publish_unreviewed(db, app.plan, monitor, day, chrono::Utc::now())
        .await
        .expect("ban hành 615");
    for (name, bytes) in &tinhgon_demo::SEEDS[1..] {
        tinhgon_demo::import_seed(db, app.province, monitor, name, bytes, chrono::Utc::now())
            .await
            .expect("nhập bản nháp");
    }
}

/// Creates an account (password = login + "-mat-khau") and returns a client signed in with it.
async fn account(
    app: &App,
    login: &str,
    role: Role,
    unit: Option<i64>,
    province: Option<i64>,
) -> Client {
    let pw = format!("{login}-mat-khau");
    let hash = tinhgon_web::auth::hash_password(pw.clone()).await.unwrap();
    accounts::system::create_user(
        &app.state.db,
        &accounts::NewUser {
            login: login.into(),
            display_name: format!("Người thử {login}"),
            password_hash: hash,
            role,
            unit_id: unit,
            province_id: province,
        },
    )
    .await
    .unwrap();
    let mut c = Client::new(app);
    let r = c.login(login, &pw).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    c
}

fn signed_out(r: &common::Resp) -> bool {
    r.status == StatusCode::UNAUTHORIZED
        || (r.status == StatusCode::SEE_OTHER
            && r.location
                .as_deref()
                .is_some_and(|l| l.starts_with("/login")))
}

async fn get_with(
    c: &mut Client,
    path: &str,
    extra: &[(header::HeaderName, &str)],
) -> common::Resp {
    let cookies = c
        .cookies
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("; ");
    let mut b = Request::builder()
        .method(Method::GET)
        .uri(path)
        .header(header::COOKIE, cookies);
    for (k, v) in extra {
        b = b.header(k, *v);
    }
    c.send(b.body(Body::empty()).unwrap()).await
}

fn json(r: &common::Resp) -> serde_json::Value {
    serde_json::from_str(&r.body).unwrap_or_else(|e| panic!("{e}: {}", r.body))
}

tinhgon_testkit::both_databases! {
    async fn sessions_of_disabled_accounts_and_expired_sessions_are_nobody_and_last_seen_is_throttled(tdb) {
        let label = tdb.label;
        let app = app_on(tdb).await;
        let db = &app.state.db;
        let mut c = signed_in(&app, "lanhdao").await;
        let r = c.get("/dashboard").await;
        assert_eq!(r.status, StatusCode::OK, "[{label}]");
        // The header shows the account read by the one joined statement.
        assert!(r.body.contains("Trần Thị Lãnh Đạo"), "[{label}]");
        let token = c.cookies.get("tg_session").cloned().unwrap();
        let hash = tinhgon_web::auth::token_hash(&token);
        let last_seen = || async {
            let t: chrono::DateTime<chrono::Utc> = {
                tinhgon_store::tx::query("SELECT last_seen FROM sessions WHERE token_hash = $1")
                    .bind(&hash)
                    .scalar(db)
                    .await
                    .unwrap()
            };
            t
        };
        // Fresh session: requests do not write.
        let before = last_seen().await;
        c.get("/plans").await;
        c.get("/api/me").await;
        assert_eq!(before, last_seen().await, "[{label}] ghi mỗi yêu cầu");
        // Older than a minute: the next request records it.
        let old = chrono::Utc::now() - chrono::Duration::minutes(5);
        {
            tinhgon_store::tx::query("UPDATE sessions SET last_seen = $2 WHERE token_hash = $1")
                .bind(&hash)
                .bind(old)
                .execute(db)
                .await
                .unwrap();
        };
        c.get("/plans").await;
        assert!(
            last_seen().await > old + chrono::Duration::minutes(4),
            "[{label}]"
        );
        // A disabled account's live session is nobody.
        let id = accounts::credentials(db, "lanhdao")
            .await
            .unwrap()
            .unwrap()
            .user
            .id;
        accounts::system::set_active(db, id, false).await.unwrap();
        assert!(
            signed_out(&c.get("/dashboard").await),
            "[{label}] tài khoản đã khóa"
        );
        assert!(
            signed_out(&c.get("/api/me").await),
            "[{label}] tài khoản đã khóa (API)"
        );
        accounts::system::set_active(db, id, true).await.unwrap();
        assert_eq!(
            c.get("/dashboard").await.status,
            StatusCode::OK,
            "[{label}]"
        );
        // A session left unused longer than the idle limit (120 minutes) ends.
        {
            tinhgon_store::tx::query("UPDATE sessions SET last_seen = $2 WHERE token_hash = $1")
                .bind(&hash)
                .bind(chrono::Utc::now() - chrono::Duration::minutes(121))
                .execute(db)
                .await
                .unwrap();
        };
        assert!(
            signed_out(&c.get("/dashboard").await),
            "[{label}] phiên bỏ không quá lâu"
        );
        let left: i64 = tinhgon_store::tx::query("SELECT COUNT(*) FROM sessions WHERE token_hash = $1")
            .bind(&hash)
            .scalar(db)
            .await
            .unwrap();
        assert_eq!(left, 0, "[{label}] the idle session is deleted");
        // An expired session is nobody.
        let past = chrono::Utc::now() - chrono::Duration::seconds(1);
        {
            tinhgon_store::tx::query("UPDATE sessions SET expires_at = $2 WHERE token_hash = $1")
                .bind(&hash)
                .bind(past)
                .execute(db)
                .await
                .unwrap();
        };
        assert!(
            signed_out(&c.get("/dashboard").await),
            "[{label}] phiên hết hạn"
        );
        // The unread count in the header is the account's.
        let mut m = signed_in(&app, "sotuphap").await;
        let uid = accounts::credentials(db, "sotuphap")
            .await
            .unwrap()
            .unwrap()
            .user
            .id;
        tinhgon_store::notifications::notify(
            db,
            &[uid, uid],
            None,
            "assignment",
            "thử",
            None,
            chrono::Utc::now(),
        )
        .await
        .unwrap();
        let page = m.get("/plans").await;
        assert!(
            page.body.contains("<span class=\"badge-count\">2</span>"),
            "[{label}] số thông báo chưa đọc"
        );
        assert!(page.body.contains("Sở Tư pháp"), "[{label}] tên đơn vị");
    }
}

tinhgon_testkit::both_databases! {
    async fn plan_lists_page_through_exactly_the_plans_the_domain_lets_each_role_read(tdb) {
        let label = tdb.label;
        let app = app_on(tdb).await;
        with_plans(&app).await;
        let db = &app.state.db;
        let all = tinhgon_store::plans::list_plans(db, None).await.unwrap();
        assert!(all.len() >= 3, "[{label}] {}", all.len());
        let concerned = wq::concerned_units(db, app.plan).await.unwrap();
        let outsider_unit = wq::units_for_select(db, None)
            .await
            .unwrap()
            .into_iter()
            .map(|(id, _)| id)
            .find(|u| !concerned.contains(u))
            .expect("một đơn vị không liên quan đến 615");
        let mut clients = vec![
            ("quantri", signed_in(&app, "quantri").await),
            ("sonoivu", signed_in(&app, "sonoivu").await),
            ("lanhdao", signed_in(&app, "lanhdao").await),
            ("sotuphap", signed_in(&app, "sotuphap").await),
        ];
        clients.push((
            "ngoai",
            account(
                &app,
                "ngoai",
                Role::AgencyOfficer,
                Some(outsider_unit),
                Some(app.province),
            )
            .await,
        ));
        for (login, c) in clients.iter_mut() {
            let user = accounts::credentials(db, login)
                .await
                .unwrap()
                .unwrap()
                .user;
            let mut expected = BTreeSet::new();
            for (id, ..) in &all {
                let rec = tinhgon_store::plans::get_plan(db, *id).await.unwrap();
                let conc = wq::concerned_units(db, *id).await.unwrap();
                let access = PlanAccess {
                    province_id: rec.province_id,
                    state: rec.plan.state,
                    public: rec.plan.public,
                    concerned_unit_ids: &conc,
                };
                if can_read_plan(Some(&user), &access) {
                    expected.insert(*id);
                }
            }
            // One plan per page: every page, then one past the end.
            let mut seen = Vec::new();
            let mut page = 1;
            loop {
                let r = c.get(&format!("/api/plans?page={page}&per_page=1")).await;
                assert_eq!(r.status, StatusCode::OK, "[{label}] {login}: {}", r.body);
                let j = json(&r);
                assert_eq!(
                    j["total"].as_i64(),
                    Some(expected.len() as i64),
                    "[{label}] {login}"
                );
                assert_eq!(j["per_page"], 1);
                let items = j["items"].as_array().unwrap();
                if items.is_empty() {
                    break;
                }
                assert_eq!(items.len(), 1);
                seen.push(items[0]["id"].as_i64().unwrap());
                page += 1;
                assert!(page < 100, "[{label}] {login}: không dừng");
            }
            let seen_set: BTreeSet<i64> = seen.iter().copied().collect();
            assert_eq!(
                seen.len(),
                seen_set.len(),
                "[{label}] {login}: trùng giữa các trang"
            );
            assert_eq!(seen_set, expected, "[{label}] {login}");
            // The default page has them all, newest first, as the unpaged list orders them.
            let j = json(&c.get("/api/plans").await);
            assert_eq!(j["per_page"], 50);
            let ids: Vec<i64> = j["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| p["id"].as_i64().unwrap())
                .collect();
            assert_eq!(ids, seen, "[{label}] {login}: thứ tự");
            // Out-of-range sizes are brought into range; the HTML list pages the same way.
            assert_eq!(
                json(&c.get("/api/plans?per_page=100000").await)["per_page"],
                200
            );
            assert_eq!(
                json(&c.get("/api/plans?per_page=0&page=0").await)["page"],
                1
            );
            let html = c.get("/plans?per_page=1").await;
            assert_eq!(html.status, StatusCode::OK);
            let count = if expected.is_empty() {
                "Chưa có kế hoạch nào".to_string()
            } else {
                format!("{} kế hoạch", expected.len())
            };
            assert!(html.body.contains(&count), "[{label}] {login}");
            if expected.len() > 1 {
                assert!(
                    html.body.contains("href=\"/plans?page=2&amp;per_page=1\"")
                        || html.body.contains("href=\"/plans?page=2&per_page=1\""),
                    "[{label}] {login}: liên kết trang sau"
                );
            }
        }
        // The outsider reads nothing of the province's plans, the officer of 615 reads it.
        assert_eq!(
            json(&clients[4].1.get("/api/plans").await)["total"],
            0,
            "[{label}]"
        );
        assert!(json(&clients[3].1.get("/api/plans").await)["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["id"] == app.plan));
    }
}

tinhgon_testkit::both_databases! {
    async fn a_units_open_assignments_are_shown_only_to_whom_the_plan_rights_allow(tdb) {
        let label = tdb.label;
        let app = app_on(tdb).await;
        with_plans(&app).await;
        let db = &app.state.db;
        let names = wq::unit_names(db, Some(app.province)).await.unwrap();
        let tu_phap = *names
            .iter()
            .find(|(_, n)| n.as_str() == "Sở Tư pháp")
            .unwrap()
            .0;
        let open: Vec<i64> = wq::unit_work(db, tu_phap)
            .await
            .unwrap()
            .into_iter()
            .filter(|w| w.status != "done" && w.status != "cancelled")
            .map(|w| w.id)
            .collect();
        assert!(!open.is_empty(), "[{label}]");
        let concerned = wq::concerned_units(db, app.plan).await.unwrap();
        let outsider_unit = wq::units_for_select(db, None)
            .await
            .unwrap()
            .into_iter()
            .map(|(id, _)| id)
            .find(|u| !concerned.contains(u))
            .unwrap();
        let other_province = outsider_unit; // any unit id that is not the plan's province
        let cases: Vec<(&str, Client, bool)> = vec![
            ("quantri", signed_in(&app, "quantri").await, true),
            ("sonoivu", signed_in(&app, "sonoivu").await, true),
            ("lanhdao", signed_in(&app, "lanhdao").await, true),
            ("sotuphap", signed_in(&app, "sotuphap").await, true),
            // Sở Tài chính is concerned by 615, so it reads 615's assignments.
            (
                "sotaichinh",
                signed_in(&app, "sotaichinh").await,
                concerned.contains(
                    &accounts::credentials(db, "sotaichinh")
                        .await
                        .unwrap()
                        .unwrap()
                        .user
                        .unit_id
                        .unwrap(),
                ),
            ),
            (
                "ngoai",
                account(
                    &app,
                    "ngoai",
                    Role::AgencyOfficer,
                    Some(outsider_unit),
                    Some(app.province),
                )
                .await,
                false,
            ),
            (
                "tinhkhac",
                account(&app, "tinhkhac", Role::Monitor, None, Some(other_province)).await,
                false,
            ),
            (
                "lanhdaokhac",
                account(
                    &app,
                    "lanhdaokhac",
                    Role::Leader,
                    None,
                    Some(other_province),
                )
                .await,
                false,
            ),
        ];
        for (login, mut c, sees) in cases {
            let user = accounts::credentials(db, login)
                .await
                .unwrap()
                .unwrap()
                .user;
            // What the domain says, assignment by assignment.
            let rec = tinhgon_store::plans::get_plan(db, app.plan).await.unwrap();
            let access = PlanAccess {
                province_id: rec.province_id,
                state: rec.plan.state,
                public: rec.plan.public,
                concerned_unit_ids: &concerned,
            };
            assert_eq!(
                can_read_assignment(Some(&user), &access, tu_phap),
                sees,
                "[{label}] {login}: ca thử không đúng quy tắc"
            );
            if user.province_id != Some(app.province) {
                // Another province's unit is not found at all, rather than shown empty.
                for path in [format!("/api/units/{tu_phap}"), format!("/units/{tu_phap}")] {
                    let r = c.get(&path).await;
                    assert_eq!(r.status, StatusCode::NOT_FOUND, "[{label}] {login} {path}");
                }
                continue;
            }
            let api = c.get(&format!("/api/units/{tu_phap}")).await;
            assert_eq!(api.status, StatusCode::OK, "[{label}] {login}");
            let got: BTreeSet<i64> = json(&api)["open"]
                .as_array()
                .unwrap()
                .iter()
                .map(|w| w["id"].as_i64().unwrap())
                .collect();
            let want: BTreeSet<i64> = if sees {
                open.iter().copied().collect()
            } else {
                BTreeSet::new()
            };
            assert_eq!(got, want, "[{label}] {login} /api/units");
            let page = c.get(&format!("/units/{tu_phap}")).await;
            assert_eq!(page.status, StatusCode::OK, "[{label}] {login}");
            for id in &open {
                assert_eq!(
                    page.body.contains(&format!("href=\"/assignments/{id}\"")),
                    sees,
                    "[{label}] {login} /units: phân công {id}"
                );
            }
        }
    }
}

tinhgon_testkit::both_databases! {
    async fn the_assignment_timeline_names_people_units_and_files_from_one_statement(tdb) {
        let label = tdb.label;
        let app = app_on(tdb).await;
        with_plans(&app).await;
        let db = &app.state.db;
        let names = wq::unit_names(db, Some(app.province)).await.unwrap();
        let tu_phap = *names
            .iter()
            .find(|(_, n)| n.as_str() == "Sở Tư pháp")
            .unwrap()
            .0;
        let a = wq::unit_work(db, tu_phap)
            .await
            .unwrap()
            .into_iter()
            .find(|w| w.plan_id == app.plan)
            .unwrap();
        let mut officer = signed_in(&app, "sotuphap").await;
        officer.get(&format!("/assignments/{}", a.id)).await;
        let r = officer
            .post_multipart(
                &format!("/assignments/{}/progress", a.id),
                &[
                    ("text", "", "Đã dự thảo đề án".as_bytes()),
                    ("percent", "", b"40"),
                    ("evidence", "du-thao.pdf", b"%PDF-1.4 du thao"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "[{label}] {}", r.body);
        officer.get(&format!("/assignments/{}", a.id)).await;
        let r = officer
            .post(
                &format!("/assignments/{}/obstacle", a.id),
                &[("text", "Thiếu hướng dẫn của Bộ")],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "[{label}] {}", r.body);
        let mut monitor = signed_in(&app, "sonoivu").await;
        let view = json(&monitor.get(&format!("/api/assignments/{}", a.id)).await);
        let tl = view["timeline"].as_array().unwrap();
        let who_of = |title_part: &str| {
            tl.iter()
                .find(|e| e["title"].as_str().unwrap().contains(title_part))
                .unwrap_or_else(|| panic!("[{label}] thiếu sự kiện {title_part}: {view}"))
        };
        let p = who_of("Báo cáo tiến độ (40%)");
        assert_eq!(p["who"], "Lê Văn Tư Pháp");
        assert_eq!(p["text"], "Đã dự thảo đề án");
        assert_eq!(p["files"][0]["name"], "du-thao.pdf");
        let o = who_of("Vướng mắc");
        assert_eq!(o["who"], "Lê Văn Tư Pháp");
        assert!(
            o["obstacle_id"].as_i64().is_some(),
            "[{label}] vướng mắc mở"
        );
        // Every stored record is on the timeline, newest first.
        let history = tinhgon_store::status::assignment_with_history(db, a.id)
            .await
            .unwrap();
        let n = history.history.len()
            + history.reroutes.len()
            + tinhgon_store::records::progress_reports(db, a.id)
                .await
                .unwrap()
                .len()
            + wq::extensions(db, a.id).await.unwrap().len()
            + wq::obstacles(db, a.id).await.unwrap().len()
            + wq::contributions(db, a.task_id).await.unwrap().len();
        assert_eq!(tl.len(), n, "[{label}] {view}");
        let ats: Vec<&str> = tl.iter().map(|e| e["at"].as_str().unwrap()).collect();
        let parsed: Vec<chrono::DateTime<chrono::Utc>> =
            ats.iter().map(|s| s.parse().unwrap()).collect();
        assert!(parsed.windows(2).all(|w| w[0] >= w[1]), "[{label}] thứ tự");
        // Coordinating units by name, as the task lists them.
        let mut coord: Vec<String> = wq::task_coordinator_units(db, a.task_id)
            .await
            .unwrap()
            .iter()
            .filter_map(|u| names.get(u).cloned())
            .collect();
        let mut shown: Vec<String> = view["coordinating"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_string())
            .collect();
        coord.sort();
        shown.sort();
        assert_eq!(shown, coord, "[{label}]");
        assert_eq!(view["unit"], "Sở Tư pháp");
        // The page shows the same, and the monitor may answer the obstacle.
        let page = monitor.get(&format!("/assignments/{}", a.id)).await;
        assert!(page.body.contains("du-thao.pdf") && page.body.contains("Thiếu hướng dẫn của Bộ"));
        // Another unit not concerned by the plan does not learn the assignment exists.
        let concerned = wq::concerned_units(db, app.plan).await.unwrap();
        let outsider_unit = wq::units_for_select(db, None)
            .await
            .unwrap()
            .into_iter()
            .map(|(id, _)| id)
            .find(|u| !concerned.contains(u))
            .unwrap();
        let mut out = account(
            &app,
            "ngoai",
            Role::AgencyOfficer,
            Some(outsider_unit),
            Some(app.province),
        )
        .await;
        assert_eq!(
            out.get(&format!("/api/assignments/{}", a.id)).await.status,
            StatusCode::NOT_FOUND,
            "[{label}]"
        );
        assert_eq!(
            out.get(&format!("/assignments/{}", a.id)).await.status,
            StatusCode::NOT_FOUND,
            "[{label}]"
        );
    }
}

#[tokio::test]
async fn error_pages_keep_the_viewers_header_and_offer_a_way_back() {
    let app = app_on(tinhgon_testkit::sqlite_db()).await;
    let mut c = signed_in(&app, "sonoivu").await;
    // 404 of a handler, reached from the plan list.
    let r = get_with(
        &mut c,
        "/plans/99999999",
        &[
            (header::REFERER, "http://localhost/plans?page=2"),
            (header::HOST, "localhost"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(r.body.contains("Nguyễn Văn Theo Dõi"), "{}", r.body);
    assert!(r.body.contains("Đăng xuất") && !r.body.contains(">Đăng nhập<"));
    assert!(r.body.contains("href=\"/plans?page=2\""), "{}", r.body);
    assert!(r.body.contains("href=\"/\">Về trang chủ"));
    // 404 of an unknown address, with a referer of another site: only the home link.
    let r = get_with(
        &mut c,
        "/khong-co-trang-nay",
        &[
            (header::REFERER, "https://evil.example/x"),
            (header::HOST, "localhost"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(r.body.contains("Nguyễn Văn Theo Dõi"));
    assert!(!r.body.contains("evil.example"));
    assert!(!r.body.contains("Quay lại trang trước"));
    // 403 of a form, without a referer: back to the object the address belongs to.
    let r = c
        .post(
            &format!("/plans/{}/review/meta", app.plan),
            &[("_csrf", "sai")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.body.contains("Nguyễn Văn Theo Dõi"));
    assert!(
        r.body.contains(&format!("href=\"/plans/{}\"", app.plan)),
        "{}",
        r.body
    );
    // Signed out: the sign-in link, as before.
    let mut anon = Client::new(&app);
    let r = anon.get("/khong-co-trang-nay").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(r.body.contains("Đăng nhập"));
    // The API still answers JSON.
    let r = c.get("/api/plans/99999999").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(r.body.starts_with("{\"error\""));
}
