//! Defects of the daily work, each pinned by a test: evidence keeps its Vietnamese file name,
//! the CSRF token never travels in a URL, administrators edit accounts and reset passwords but
//! cannot disable themselves, the change log speaks in sentences and only to its province, a
//! finished task shows no stale percentage, a granted extension is marked, and the officer's
//! "Việc của tôi" links coordinated tasks to the task and lists the reports to make.

mod common;

use axum::http::StatusCode;
use common::{app_on, download, publish_615, signed_in, Client};
use tinhgon_store::web_queries as wq;

/// The Sở Tư pháp assignment of 615/KH-UBND.
async fn tu_phap_assignment(app: &common::App) -> i64 {
    let db = &app.state.db;
    let names = wq::unit_names(db, Some(app.province)).await.unwrap();
    let unit = *names
        .iter()
        .find(|(_, n)| n.as_str() == "Sở Tư pháp")
        .unwrap()
        .0;
    wq::unit_work(db, unit)
        .await
        .unwrap()
        .into_iter()
        .find(|w| w.plan_id == app.plan)
        .unwrap()
        .id
}

/// The first `href="{prefix}N"` in a page.
fn first_link(body: &str, prefix: &str) -> Option<i64> {
    let at = body.find(&format!("href=\"{prefix}"))? + 6 + prefix.len();
    body[at..]
        .split(|c: char| !c.is_ascii_digit())
        .next()?
        .parse()
        .ok()
}

tinhgon_testkit::both_databases! {
    /// "Biên bản họp.pdf" comes back as "Biên bản họp.pdf" (RFC 6266 `filename*`), with an
    /// ASCII fallback for old clients.
    async fn evidence_downloads_keep_the_vietnamese_file_name(tdb) {
        let label = tdb.label;
        let app = app_on(tdb).await;
        publish_615(&app).await;
        let a = tu_phap_assignment(&app).await;
        let mut officer = signed_in(&app, "sotuphap").await;
        officer.get(&format!("/assignments/{a}")).await;
        let r = officer
            .post_multipart(
                &format!("/assignments/{a}/progress"),
                &[
                    ("text", "", "Đã họp triển khai".as_bytes()),
                    ("evidence", "Biên bản họp.pdf", b"%PDF-1.4 bien ban"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "[{label}] {}", r.body);
        let page = officer.get(&format!("/assignments/{a}")).await;
        let id = first_link(&page.body, "/evidence/").expect("liên kết minh chứng");
        let d = download(&officer, &format!("/evidence/{id}")).await;
        assert_eq!(d.status, StatusCode::OK, "[{label}]");
        assert!(
            d.disposition
                .contains("filename*=UTF-8''Bi%C3%AAn%20b%E1%BA%A3n%20h%E1%BB%8Dp.pdf"),
            "[{label}] {}",
            d.disposition
        );
        assert!(d.disposition.contains("filename=\"bien_ban_hop.pdf\""), "[{label}] {}", d.disposition);
    }
}

/// A token put in the URL (where proxies and browser history keep it) is not accepted; the
/// same request with the token in the body is.
#[tokio::test]
async fn a_csrf_token_in_the_url_is_refused_and_changes_nothing() {
    let app = common::app().await;
    publish_615(&app).await;
    let a = tu_phap_assignment(&app).await;
    let mut officer = signed_in(&app, "sotuphap").await;
    let page = officer.get(&format!("/assignments/{a}")).await;
    assert!(
        !page.body.contains("?_csrf="),
        "no form carries the token in its action"
    );
    let before = wq::table_fingerprint(&app.state.db).await.unwrap();
    let (ct, body) = common::multipart_body(&[("text", "", "Báo cáo qua URL".as_bytes())]);
    let req = axum::http::Request::builder()
        .method("POST")
        .uri(format!("/assignments/{a}/progress?_csrf={}", officer.csrf))
        .header("cookie", officer.cookie_header())
        .header("content-type", ct)
        .body(axum::body::Body::from(body))
        .unwrap();
    let r = officer.send(req).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    assert_eq!(before, wq::table_fingerprint(&app.state.db).await.unwrap());
    let r = officer
        .post(&format!("/assignments/{a}/propose"), &[("note", "Xong")])
        .await;
    assert_eq!(
        r.status,
        StatusCode::SEE_OTHER,
        "token in the body: {}",
        r.body
    );
}

tinhgon_testkit::both_databases! {
    /// The administrator edits an account's name, role and unit, sets a new password (the old
    /// one and the account's open sessions stop working), and cannot disable or demote itself;
    /// each change is in the account's change log as a sentence.
    async fn administrators_edit_accounts_and_reset_passwords(tdb) {
        let label = tdb.label;
        let app = app_on(tdb).await;
        let db = &app.state.db;
        let mut admin = signed_in(&app, "quantri").await;
        let list = admin.get("/admin/users").await;
        assert!(
            list.body.contains("<option value=\"agency_officer\" selected>"),
            "[{label}] a new account is an officer's by default"
        );
        let officer_id = common::user_id(db, "sotuphap").await;
        let admin_id = common::user_id(db, "quantri").await;
        let mut officer = signed_in(&app, "sotuphap").await;

        let page = admin.get(&format!("/admin/users/{officer_id}")).await;
        assert_eq!(page.status, StatusCode::OK, "[{label}] {}", page.body);
        assert!(page.body.contains("Đặt lại mật khẩu"), "[{label}]");
        let unit = wq::units_for_select(db, Some(app.province))
            .await
            .unwrap()
            .into_iter()
            .find(|(_, n)| n == "Sở Tài chính")
            .unwrap()
            .0;
        let r = admin
            .post(
                &format!("/admin/users/{officer_id}"),
                &[
                    ("display_name", "Trần Thị Tư Pháp"),
                    ("role", "agency_officer"),
                    ("unit_id", &unit.to_string()),
                    ("email", "tuphap@example.vn"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "[{label}] {}", r.body);
        let u = tinhgon_store::accounts::user(db, officer_id).await.unwrap().unwrap();
        assert_eq!((u.display_name.as_str(), u.unit_id), ("Trần Thị Tư Pháp", Some(unit)), "[{label}]");

        // An officer without a unit is refused, with the reason, and nothing changes.
        let before = wq::table_fingerprint(db).await.unwrap();
        let r = admin
            .post(
                &format!("/admin/users/{officer_id}"),
                &[("display_name", "X"), ("role", "agency_officer"), ("unit_id", "")],
            )
            .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "[{label}] {}", r.body);
        assert!(r.body.contains("phải thuộc một đơn vị"), "[{label}] {}", r.body);
        assert_eq!(before, wq::table_fingerprint(db).await.unwrap(), "[{label}]");

        // A new password: the old one no longer signs in, the open session is ended.
        let r = admin
            .post(
                &format!("/admin/users/{officer_id}/password"),
                &[("password", "mat-khau-moi-2026")],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "[{label}] {}", r.body);
        let r = officer.get("/inbox").await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "[{label}] the old session is gone");
        let mut fresh = Client::new(&app);
        let r = fresh.login("sotuphap", common::password("sotuphap")).await;
        assert_ne!(r.status, StatusCode::SEE_OTHER, "[{label}] the old password is refused");
        let r = fresh.login("sotuphap", "mat-khau-moi-2026").await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "[{label}] {}", r.body);
        let r = admin
            .post(&format!("/admin/users/{officer_id}/password"), &[("password", "ngan")])
            .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "[{label}] {}", r.body);

        // Oneself: neither disabled nor demoted.
        let list = admin.get("/admin/users").await;
        let own_row = list
            .body
            .split("<tr>")
            .find(|r| r.contains(">quantri</a>"))
            .expect("dòng quantri");
        assert!(!own_row.contains("Vô hiệu hóa"), "[{label}] {own_row}");
        let r = admin
            .post(&format!("/admin/users/{admin_id}/active"), &[("active", "0")])
            .await;
        assert_eq!(r.status, StatusCode::CONFLICT, "[{label}] {}", r.body);
        let r = admin
            .post(
                &format!("/admin/users/{admin_id}"),
                &[("display_name", "Quản trị"), ("role", "monitor"), ("unit_id", "")],
            )
            .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "[{label}] {}", r.body);

        let log = admin.get(&format!("/audit/user/{officer_id}")).await;
        assert_eq!(log.status, StatusCode::OK, "[{label}] {}", log.body);
        for needle in [
            "Sửa thông tin tài khoản",
            "Họ và tên: “",
            "Đơn vị: Sở Tư pháp → Sở Tài chính",
            "Quản trị viên đặt lại mật khẩu",
        ] {
            assert!(log.body.contains(needle), "[{label}] {needle}: {}", log.body);
        }
        assert!(!log.body.contains("agency_officer"), "[{label}]");
    }
}

/// A done task shows no stale percentage; a granted extension marks the due date.
#[tokio::test]
async fn done_work_shows_no_stale_percentage_and_an_extension_is_marked() {
    let app = common::app().await;
    publish_615(&app).await;
    let a = tu_phap_assignment(&app).await;
    let mut officer = signed_in(&app, "sotuphap").await;
    officer.get(&format!("/assignments/{a}")).await;
    let r = officer
        .post_multipart(
            &format!("/assignments/{a}/progress"),
            &[
                ("text", "", "Đã dự thảo".as_bytes()),
                ("percent", "", b"60"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = officer
        .post(
            &format!("/assignments/{a}/extension"),
            &[
                ("new_due", "31/12/2031"),
                ("reason", "Chờ hướng dẫn của Bộ"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let mut monitor = signed_in(&app, "sonoivu").await;
    let page = monitor.get(&format!("/assignments/{a}")).await;
    let ext = first_link_action(&page.body, "/extensions/").expect("đề nghị gia hạn");
    let r = monitor
        .post(
            &format!("/extensions/{ext}/decide"),
            &[("approve", "1"), ("note", "")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let inbox = officer.get("/inbox").await;
    assert!(
        inbox.body.contains("31/12/2031 (đã gia hạn)"),
        "{}",
        inbox.body
    );
    assert!(inbox.body.contains("60%"));

    let r = officer
        .post(&format!("/assignments/{a}/propose"), &[("note", "Xong")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    monitor.get(&format!("/assignments/{a}")).await;
    let r = monitor
        .post(
            &format!("/assignments/{a}/decide"),
            &[("op", "confirm"), ("note", "")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let plan = monitor.get(&format!("/plans/{}", app.plan)).await;
    let row_at = plan
        .body
        .find(&format!("/assignments/{a}\""))
        .expect("dòng phân công");
    let row: String = plan.body[row_at..].chars().take(400).collect();
    assert!(row.contains("Hoàn thành"), "{row}");
    assert!(
        !row.contains("60%"),
        "a done task shows no stale percentage: {row}"
    );
}

/// The id in the first `action="{prefix}N/…"` of a page.
fn first_link_action(body: &str, prefix: &str) -> Option<i64> {
    let at = body.find(&format!("action=\"{prefix}"))? + 8 + prefix.len();
    body[at..]
        .split(|c: char| !c.is_ascii_digit())
        .next()?
        .parse()
        .ok()
}

tinhgon_testkit::both_databases! {
    /// Another province's monitor does not learn that a change log exists; this province's
    /// monitor reads it as sentences, without codes, JSON or logins.
    async fn the_change_log_speaks_in_sentences_to_its_province_only(tdb) {
        let label = tdb.label;
        let app = app_on(tdb).await;
        publish_615(&app).await;
        let db = &app.state.db;
        let mut monitor = signed_in(&app, "sonoivu").await;
        monitor.get(&format!("/plans/{}", app.plan)).await;
        let r = monitor
            .post(&format!("/plans/{}/public", app.plan), &[("public", "1")])
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "[{label}] {}", r.body);
        let log = monitor.get(&format!("/audit/plan/{}", app.plan)).await;
        assert_eq!(log.status, StatusCode::OK, "[{label}] {}", log.body);
        assert!(log.body.contains("Kế hoạch số 615/KH-UBND"), "[{label}]");
        for needle in ["Thay đổi việc công khai kế hoạch", "Công khai: Không → Có", "<td>Nguyễn Văn Theo Dõi</td>"] {
            assert!(log.body.contains(needle), "[{label}] {needle}: {}", log.body);
        }
        for raw in ["plan.publish", "{&quot;", "(plan", "sonoivu"] {
            assert!(!log.body.contains(raw), "[{label}] {raw}");
        }
        tinhgon_app::setup::setup(
            db,
            tinhgon_app::setup::SetupRequest {
                province: "Lào Cai".into(),
                admin_login: "qt_laocai".into(),
                admin_password: "mat-khau-lao-cai".into(),
                admin_name: String::new(),
            },
            None,
        )
        .await
        .unwrap();
        tinhgon_app::accounts::operator::add(
            db,
            tinhgon_app::accounts::operator::NewAccount {
                login: "gs_laocai".into(),
                display_name: "Giám sát Lào Cai".into(),
                password: "mat-khau-lao-cai".into(),
                role: "monitor".into(),
                province: "Lào Cai".into(),
                unit: None,
            },
            None,
        )
        .await
        .unwrap();
        let mut other = Client::new(&app);
        other.login("gs_laocai", "mat-khau-lao-cai").await;
        for path in [
            format!("/audit/plan/{}", app.plan),
            format!("/api/audit/plan/{}", app.plan),
        ] {
            let r = other.get(&path).await;
            assert_eq!(r.status, StatusCode::NOT_FOUND, "[{label}] {path}: {}", r.body);
        }
    }
}

/// "Việc của tôi" links a coordinated task to the task itself and lists the report requests
/// the unit still has to answer.
#[tokio::test]
async fn the_officers_inbox_links_coordinated_tasks_and_lists_reports_to_make() {
    let app = common::app().await;
    publish_615(&app).await;
    let db = &app.state.db;
    let mut monitor = signed_in(&app, "sonoivu").await;
    monitor.get(&format!("/plans/{}/reporting", app.plan)).await;
    let r = monitor
        .post(
            &format!("/plans/{}/reporting/schedule", app.plan),
            &[
                ("kind", "quarterly"),
                ("cutoff_day", "15"),
                ("due_days", "5"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let mut officer = signed_in(&app, "sotuphap").await;
    let inbox = officer.get("/inbox").await;
    assert!(
        inbox.body.contains("Báo cáo định kỳ phải nộp"),
        "{}",
        inbox.body
    );
    assert!(
        inbox.body.contains("href=\"/report-requests/"),
        "{}",
        inbox.body
    );
    let coordinated_at = inbox
        .body
        .find("Nhiệm vụ phối hợp")
        .expect("nhiệm vụ phối hợp");
    let coordinated = &inbox.body[coordinated_at..];
    let id = first_link(coordinated, "/assignments/").expect("liên kết tới nhiệm vụ");
    assert!(
        !coordinated.contains("href=\"/plans/"),
        "coordinated tasks link to the task"
    );
    let r = officer.get(&format!("/assignments/{id}")).await;
    assert_eq!(r.status, StatusCode::OK, "the coordinator reads the task");
    let _ = db;
}

/// Search speaks Vietnamese: kinds in words, a unit that ceased told apart from its successor,
/// tasks found by reference ("PL.6") and linked to their row in the plan.
#[tokio::test]
async fn search_names_kinds_in_words_tells_ceased_units_apart_and_finds_task_references() {
    let app = common::app().await;
    publish_615(&app).await;
    let mut monitor = signed_in(&app, "sonoivu").await;
    let r = monitor.get("/search?q=so+noi+vu").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("Sở, ban, ngành"), "{}", r.body);
    assert!(!r.body.contains(">department<"), "{}", r.body);
    assert!(
        r.body.contains("đã thôi hoạt động từ 01/03/2025"),
        "the Sở Nội vụ dissolved on 1/3/2025 is marked: {}",
        r.body
    );
    let r = monitor.get("/search?q=PL.6").await;
    let link = format!("href=\"/plans/{}#task-", app.plan);
    assert!(r.body.contains(&link), "{}", r.body);
    let api = monitor.get("/api/search?q=PL.6").await;
    assert!(api.body.contains("\"href\":\"/plans/"), "{}", api.body);
}

tinhgon_testkit::both_databases! {
    /// The plan list shows each plan's date, issuer, task count and progress, filters by state
    /// and by number or title, and lets a monitor delete a draft imported by mistake (never a
    /// published plan, never an officer).
    async fn the_plan_list_shows_dates_counts_and_progress_filters_and_deletes_drafts(tdb) {
        let label = tdb.label;
        let app = app_on(tdb).await;
        publish_615(&app).await;
        let db = &app.state.db;
        let (name, bytes) = tinhgon_demo::SEEDS[1];
        let draft = tinhgon_demo::import_seed(db, app.province, None, name, bytes, chrono::Utc::now())
            .await
            .unwrap();
        let mut monitor = signed_in(&app, "sonoivu").await;
        let list = monitor.get("/plans").await;
        assert!(list.body.contains("25/07/2025"), "[{label}] the issue date");
        assert!(list.body.contains("phân công hoàn thành"), "[{label}] progress");
        assert!(list.body.contains("Xóa bản nháp"), "[{label}]");
        let only = monitor.get("/plans?q=615").await;
        assert!(only.body.contains(&format!("href=\"/plans/{}\"", app.plan)), "[{label}]");
        assert!(!only.body.contains(&format!("href=\"/plans/{draft}\"")), "[{label}]");
        let drafts = monitor.get("/plans?state=draft").await;
        assert!(drafts.body.contains(&format!("href=\"/plans/{draft}\"")), "[{label}]");
        assert!(!drafts.body.contains(&format!("href=\"/plans/{}\"", app.plan)), "[{label}]");
        let bad = monitor.get("/plans?state=xyz").await;
        assert_eq!(bad.status, StatusCode::BAD_REQUEST, "[{label}]");

        // A published plan is not deleted; an officer deletes nothing.
        let mut officer = signed_in(&app, "sotuphap").await;
        officer.get("/inbox").await;
        let before = wq::table_fingerprint(db).await.unwrap();
        let r = monitor.post(&format!("/plans/{}/delete", app.plan), &[]).await;
        assert_eq!(r.status, StatusCode::CONFLICT, "[{label}] {}", r.body);
        let r = officer.post(&format!("/plans/{draft}/delete"), &[]).await;
        assert!(r.status == StatusCode::FORBIDDEN || r.status == StatusCode::NOT_FOUND, "[{label}] {}", r.status);
        assert_eq!(before, wq::table_fingerprint(db).await.unwrap(), "[{label}]");

        monitor.get("/plans").await;
        let r = monitor.post(&format!("/plans/{draft}/delete"), &[]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "[{label}] {}", r.body);
        assert_eq!(monitor.get(&format!("/plans/{draft}")).await.status, StatusCode::NOT_FOUND);
        let rows = tinhgon_store::audit::for_object(db, "plan", draft).await.unwrap();
        assert_eq!(rows.last().map(|r| r.action.as_str()), Some("plan.draft.delete"), "[{label}]");
        let api = monitor.get("/api/plans?state=published").await;
        assert!(api.body.contains("\"tasks\":"), "[{label}] {}", api.body);
    }
}
