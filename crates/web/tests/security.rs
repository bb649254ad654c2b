//! Rights, CSRF, session fixation, lock-out and path traversal, against the real router and a
//! real database. The rights test is generated from the route table.

mod common;

use axum::http::StatusCode;
use common::{api_token, app_on, password, publish_615, signed_in, user_id, Client};
use tinhgon_domain::user::Role;
use tinhgon_store::web_queries as wq;
use tinhgon_web::routes::{specs, Access, Verb};

fn refused(r: &common::Resp) -> bool {
    match r.status {
        StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN => true,
        StatusCode::SEE_OTHER => r
            .location
            .as_deref()
            .is_some_and(|l| l.starts_with("/login")),
        _ => false,
    }
}

/// Awaits `call`, asserting that it was refused and that no table changed.
async fn refused_and_unchanged(
    db: &tinhgon_store::Db,
    what: &str,
    call: impl std::future::Future<Output = common::Resp>,
) {
    let before = wq::table_fingerprint(db).await.unwrap();
    let r = call.await;
    let after = wq::table_fingerprint(db).await.unwrap();
    assert!(
        refused(&r),
        "{what}: {} {}",
        r.status,
        r.body.chars().take(300).collect::<String>()
    );
    assert_eq!(before, after, "{what} đã thay đổi dữ liệu");
}

/// Objects the placeholders of the route table stand for.
struct Fixture {
    published: i64,
    draft: i64,
    assignment: i64,
    task: i64,
    extension: i64,
    obstacle: i64,
    unit: i64,
    user: i64,
    request: i64,
    filter: i64,
    referral: i64,
    position: i64,
    function: i64,
    scenario: i64,
    scenario_event: i64,
}

async fn fixture(app: &common::App) -> Fixture {
    let db = &app.state.db;
    publish_615(app).await;
    let monitor = Some(user_id(db, "sonoivu").await);
    let (name, bytes) = tinhgon_demo::SEEDS[1];
    let draft =
        tinhgon_demo::import_seed(db, app.province, monitor, name, bytes, chrono::Utc::now())
            .await
            .unwrap();
    let published = app.plan;
    let names = wq::unit_names(db, Some(app.province)).await.unwrap();
    let tu_phap = names
        .iter()
        .find(|(_, n)| n.as_str() == "Sở Tư pháp")
        .map(|(id, _)| *id)
        .unwrap();
    let work = wq::unit_work(db, tu_phap).await.unwrap();
    let a = work
        .iter()
        .find(|w| w.plan_id == published)
        .expect("Sở Tư pháp có nhiệm vụ trong 615");
    let now = chrono::Utc::now();
    let due = chrono::NaiveDate::from_ymd_opt(2027, 12, 31).unwrap();
    let extension = tinhgon_store::records::system::request_extension(
        db,
        a.id,
        None,
        due,
        "cần thêm thời gian",
        now,
    )
    .await
    .unwrap();
    let obstacle =
        tinhgon_store::records::system::raise_obstacle(db, a.id, None, "thiếu hướng dẫn", now)
            .await
            .unwrap();
    let user = tinhgon_store::accounts::credentials(db, "sotaichinh")
        .await
        .unwrap()
        .unwrap()
        .user
        .id;
    // A report request of the current period for Sở Tư pháp (own-unit route of periodic reports).
    use tinhgon_store::periodic;
    let sched = periodic::set_schedule(
        db,
        &periodic::NewSchedule {
            plan_id: published,
            kind: periodic::PeriodKind::Quarterly,
            cutoff_day: 0,
            due_days: 3,
            by: monitor,
            at: now,
        },
    )
    .await
    .unwrap();
    let window = periodic::schedule(db, published)
        .await
        .unwrap()
        .unwrap()
        .window_containing(tinhgon_domain::local_date(now))
        .unwrap();
    periodic::open_requests(db, published, Some(sched), &window, now)
        .await
        .unwrap();
    let request = periodic::requests(db, published, Some(window.cutoff))
        .await
        .unwrap()
        .into_iter()
        .find(|r| r.unit_id == tu_phap)
        .expect("yêu cầu báo cáo của Sở Tư pháp")
        .id;
    // A second obstacle, referred to the leaders: its opinion route is Nghệ An's alone.
    let referred =
        tinhgon_store::records::system::raise_obstacle(db, a.id, None, "chưa rõ thẩm quyền", now)
            .await
            .unwrap();
    let referral = tinhgon_store::referrals::refer_audited(
        db,
        referred,
        tinhgon_store::referrals::Addressee::Leader,
        "Đề nghị lãnh đạo UBND tỉnh cho ý kiến",
        monitor,
        now,
        &tinhgon_store::audit::AuditEntry::system(
            "obstacle.refer",
            "assignment",
            Some(a.id),
            serde_json::json!({}),
        ),
    )
    .await
    .unwrap();
    // A job position of Sở Tư pháp (own-unit routes of the positions).
    let position = tinhgon_store::job_positions::add_audited(
        db,
        tu_phap,
        &tinhgon_domain::job_positions::JobPosition {
            title: "Chuyên viên pháp chế".into(),
            group: tinhgon_domain::job_positions::PositionGroup::Professional,
            rank: Some("Chuyên viên".into()),
            people: 3,
            decision: None,
        },
        None,
        now,
        &tinhgon_store::audit::AuditEntry::system(
            "staffing.position.add",
            "unit",
            Some(tu_phap),
            serde_json::json!({}),
        ),
    )
    .await
    .unwrap();
    // A field of Sở Tư pháp in the functions register (its end route).
    let function = tinhgon_store::functions::add_audited(
        db,
        &tinhgon_store::functions::NewFunction {
            unit_id: tu_phap,
            field_code: "tu-phap.ho-tich".into(),
            duties: None,
            legal_source: "Nghị định 45/2025/NĐ-CP".into(),
            valid_from: chrono::NaiveDate::from_ymd_opt(2025, 3, 1).unwrap(),
            decision: None,
            actor: None,
        },
        now,
        &tinhgon_store::audit::AuditEntry::system(
            "function.add",
            "unit_function",
            None,
            serde_json::json!({}),
        ),
    )
    .await
    .unwrap();
    // A saved filter of Nghệ An's monitor, which no other account may delete.
    let filter = tinhgon_store::saved_filters::save(
        db,
        user_id(db, "sonoivu").await,
        "Quá hạn",
        "class=overdue",
        30,
        now,
    )
    .await
    .unwrap()
    .expect("saved");
    // A scenario of Nghệ An with one draft event (its write routes are the monitors').
    let scenario = tinhgon_store::register::create_scenario_audited(
        db,
        app.province,
        "Phương án thử quyền",
        None,
        monitor,
        now,
        &tinhgon_store::audit::AuditEntry::system(
            "scenario.create",
            "scenario",
            None,
            serde_json::json!({}),
        ),
    )
    .await
    .unwrap();
    let scenario_event = tinhgon_store::register::add_draft_audited(
        db,
        scenario,
        &serde_json::json!({"kind": "merge", "from": [tu_phap.to_string()], "into": [], "effective": "2030-01-01"}).to_string(),
        now,
        &tinhgon_store::audit::AuditEntry::system("scenario.add_event", "scenario", Some(scenario), serde_json::json!({})),
    )
    .await
    .unwrap();
    Fixture {
        scenario,
        scenario_event,
        referral,
        filter,
        position,
        function,
        request,
        published,
        draft,
        assignment: a.id,
        task: a.task_id,
        extension,
        obstacle,
        unit: tu_phap,
        user,
    }
}

fn concrete(path: &str, f: &Fixture) -> String {
    let plan = if path.contains("/review") || path.ends_with("/publish") {
        f.draft
    } else {
        f.published
    };
    path.replace("{plan}", &plan.to_string())
        .replace("{assignment}", &f.assignment.to_string())
        .replace("{task}", &f.task.to_string())
        .replace("{extension}", &f.extension.to_string())
        .replace("{obstacle}", &f.obstacle.to_string())
        .replace("{unit}", &f.unit.to_string())
        .replace("{user}", &f.user.to_string())
        .replace("{request}", &f.request.to_string())
        .replace("{position}", &f.position.to_string())
        .replace("{function}", &f.function.to_string())
        .replace("{task_index}", "0")
        .replace("{change_index}", "0")
        .replace("{evidence}", "1")
        .replace("{kind}", "plan")
        .replace("{object}", &f.published.to_string())
        .replace("{filter}", &f.filter.to_string())
        .replace("{referral}", &f.referral.to_string())
        .replace("{scenario_event}", &f.scenario_event.to_string())
        .replace("{scenario}", &f.scenario.to_string())
}

/// Every field any form reads, with values that would change something if accepted.
const FIELDS: &[(&str, &str)] = &[
    ("text", "Nội dung thử quyền"),
    ("percent", "50"),
    ("new_due", "31/12/2027"),
    ("reason", "thử quyền"),
    ("note", "thử quyền"),
    ("op", "confirm"),
    ("approve", "1"),
    ("on", ""),
    ("public", "1"),
    ("active", "0"),
    ("content", "Nội dung mới"),
    ("lead", "Sở Nội vụ"),
    ("coordinating", ""),
    ("deadline", "Quý IV/2026"),
    ("mention", "Sở Tư pháp"),
    ("unit_id", "ignore"),
    ("number", "999/KH-THU"),
    ("title", "Thử"),
    ("date", "01/01/2026"),
    ("login", "ke-xam-nhap"),
    ("password", "mat-khau-dai-du"),
    ("display_name", "Kẻ xâm nhập"),
    ("role", "admin"),
    ("current", "sai"),
    ("new", "mat-khau-moi-123"),
    ("confirm", "mat-khau-moi-123"),
    ("name", "token thử"),
    ("kind", "quarterly"),
    ("cutoff_day", "15"),
    ("due_days", "3"),
    ("summary", "Báo cáo giả mạo"),
    ("obstacles", "thử quyền"),
];

/// The same fields as JSON, typed as the API reads them (extra fields are ignored).
fn json_body() -> serde_json::Value {
    serde_json::json!({
        "text": "Nội dung thử quyền", "percent": 50, "new_due": "2027-12-31", "reason": "thử quyền",
        "note": "thử quyền", "op": "confirm", "approve": true, "on": null, "public": true,
        "active": false, "content": "Nội dung mới", "lead": "Sở Nội vụ", "coordinating": "",
        "deadline": "Quý IV/2026", "mention": "Sở Tư pháp", "unit_id": null, "number": "999/KH-THU",
        "title": "Thử", "date": "2026-01-01", "login": "ke-xam-nhap", "password": "mat-khau-dai-du",
        "display_name": "Kẻ xâm nhập", "role": "admin", "name": "token thử",
        "kind": "quarterly", "cutoff_day": 15, "due_days": 3, "summary": "Báo cáo giả mạo",
        "obstacles": "thử quyền"
    })
}

fn is_api(path: &str) -> bool {
    path.starts_with("/api/")
}

/// An API call with `Authorization: Bearer` (no cookie, no CSRF).
async fn call_bearer(c: &mut Client, path: &str, token: &str) -> common::Resp {
    if path == "/api/plans/import" {
        let mut anon = c.clone();
        anon.cookies.clear();
        return anon
            .post_multipart_bearer(
                path,
                token,
                &[("file", "kh.txt", "KẾ HOẠCH thử".as_bytes())],
            )
            .await;
    }
    c.post_json_bearer(path, token, &json_body()).await
}

async fn call(c: &mut Client, path: &str) -> common::Resp {
    if is_api(path) && path != "/api/plans/import" {
        return c.post_json(path, &json_body()).await;
    }
    if path.ends_with("/progress") || path.ends_with("/import") {
        let evidence = b"%PDF-1.4 thu quyen";
        c.post_multipart(
            path,
            &[
                ("text", "", "Báo cáo thử quyền".as_bytes()),
                ("percent", "", b"50"),
                ("evidence", "a.pdf", evidence),
                ("file", "kh.txt", "KẾ HOẠCH thử".as_bytes()),
            ],
        )
        .await
    } else {
        c.post(path, FIELDS).await
    }
}

tinhgon_testkit::both_databases! {
    async fn every_mutating_route_refuses_every_role_without_the_right_and_changes_nothing(tdb) {
        let label = tdb.label;
        let app = app_on(tdb).await;
        let f = fixture(&app).await;
        let actors: Vec<(&str, Option<Role>, bool)> = vec![
            ("ẩn danh", None, false),
            ("quantri", Some(Role::Admin), false),
            ("sonoivu", Some(Role::Monitor), false),
            ("lanhdao", Some(Role::Leader), false),
            ("sotuphap", Some(Role::AgencyOfficer), false),
            ("sotaichinh", Some(Role::AgencyOfficer), true),
        ];
        let mut clients = Vec::new();
        for (login, role, other_unit) in &actors {
            let c = if role.is_some() {
                signed_in(&app, login).await
            } else {
                let mut c = Client::new(&app);
                c.get("/login").await;
                c
            };
            clients.push((*login, *role, *other_unit, c));
        }
        let mut checked = 0;
        let mut checked_api = 0;
        let mut tokens = std::collections::HashMap::new();
        for (login, role, _) in &actors {
            if role.is_some() {
                tokens.insert(*login, api_token(&app.state.db, login, "thử quyền").await);
            }
        }
        for spec in specs().into_iter().filter(|s| s.verb == Verb::Post) {
            if spec.access == Access::Public {
                continue; // sign-in, sign-out and the first run (tests/first_run.rs)
            }
            let path = concrete(spec.path, &f);
            for (login, role, other_unit, c) in clients.iter_mut() {
                let must_refuse = !spec.access.admits(*role) || (spec.own_unit_only && *other_unit);
                if !must_refuse {
                    continue;
                }
                // The page a browser would come from gives the client its current token.
                c.get("/notifications").await;
                let db = &app.state.db;
                let what = format!("[{label}] {login} POST {path}");
                refused_and_unchanged(db, &what, call(c, &path)).await;
                checked += 1;
                // API routes are also called as an integration would, with the actor's token.
                if let (true, Some(token)) = (is_api(&path), tokens.get(*login)) {
                    let what = format!("[{label}] {login} (mã truy cập) POST {path}");
                    refused_and_unchanged(db, &what, call_bearer(c, &path, token)).await;
                    checked_api += 1;
                }
            }
        }
        assert!(checked > 40, "chỉ kiểm {checked} trường hợp");
        assert!(
            checked_api > 20,
            "chỉ kiểm {checked_api} lời gọi API bằng mã truy cập"
        );
    }
}

#[tokio::test]
async fn the_rights_test_body_is_effective_when_the_right_exists() {
    // Control: the same request by the assignment's own officer does change the database,
    // so the refusals above are refusals and not a broken request.
    let app = common::app().await;
    let f = fixture(&app).await;
    let mut c = signed_in(&app, "sotuphap").await;
    c.get(&format!("/assignments/{}", f.assignment)).await;
    let before = wq::table_fingerprint(&app.state.db).await.unwrap();
    let r = call(&mut c, &format!("/assignments/{}/obstacle", f.assignment)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_ne!(before, wq::table_fingerprint(&app.state.db).await.unwrap());
}

#[tokio::test]
async fn csrf_token_is_required_and_must_match() {
    let app = common::app().await;
    let mut c = signed_in(&app, "sonoivu").await;
    // Signed in before the fingerprint: a sign-in is itself an audit row.
    let other = signed_in(&app, "quantri").await;
    let before = wq::table_fingerprint(&app.state.db).await.unwrap();
    let path = format!("/plans/{}/review/meta", app.plan);
    let fields = [("number", "1/KH-GIA"), ("title", "x"), ("date", "")];
    let missing = c
        .post_raw(&path, common::form_urlencoded_pairs(&fields))
        .await;
    assert_eq!(missing.status, StatusCode::FORBIDDEN);
    let mut with_wrong = fields.to_vec();
    with_wrong.push(("_csrf", "0000"));
    let wrong = c.post(&path, &with_wrong).await;
    assert_eq!(wrong.status, StatusCode::FORBIDDEN);
    assert!(wrong.body.contains("Biểu mẫu đã hết hạn"));
    // Another session's token is no good either.
    let mut foreign = fields.to_vec();
    foreign.push(("_csrf", other.csrf.as_str()));
    assert_eq!(c.post(&path, &foreign).await.status, StatusCode::FORBIDDEN);
    assert_eq!(before, wq::table_fingerprint(&app.state.db).await.unwrap());
    // The right token passes.
    c.get(&format!("/plans/{}/review", app.plan)).await;
    assert_eq!(c.post(&path, &fields).await.status, StatusCode::SEE_OTHER);
    // Sign-in itself needs the pre-session token.
    let mut anon = Client::new(&app);
    let r = anon
        .post_raw(
            "/login",
            common::form_urlencoded_pairs(&[
                ("login", "sonoivu"),
                ("password", password("sonoivu")),
            ]),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn sign_in_always_issues_a_new_session_token() {
    let app = common::app().await;
    let planted = "a".repeat(64);
    let mut c = Client::new(&app);
    c.cookies.insert("tg_session".into(), planted.clone());
    c.login("sonoivu", password("sonoivu")).await;
    let first = c.cookies.get("tg_session").cloned().unwrap();
    assert_ne!(first, planted);
    // The planted token does not authenticate.
    let mut attacker = Client::new(&app);
    attacker.cookies.insert("tg_session".into(), planted);
    assert!(refused(&attacker.get("/dashboard").await));
    // Signing in again replaces the session and ends the old one.
    c.login("sonoivu", password("sonoivu")).await;
    let second = c.cookies.get("tg_session").cloned().unwrap();
    assert_ne!(first, second);
    let mut stale = Client::new(&app);
    stale.cookies.insert("tg_session".into(), first);
    assert!(refused(&stale.get("/dashboard").await));
    assert_eq!(c.get("/dashboard").await.status, StatusCode::OK);
    // The cookie is HttpOnly and SameSite.
    let mut fresh = Client::new(&app);
    fresh.get("/login").await;
    let r = fresh
        .post(
            "/login",
            &[("login", "sonoivu"), ("password", password("sonoivu"))],
        )
        .await;
    let cookie = r
        .set_cookies
        .iter()
        .find(|c| c.starts_with("tg_session="))
        .unwrap();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
}

#[tokio::test]
async fn five_failed_sign_ins_lock_the_account() {
    let app = common::app().await;
    let mut c = Client::new(&app);
    c.get("/login").await;
    for i in 0..5 {
        let r = c
            .post(
                "/login",
                &[("login", "lanhdao"), ("password", "sai-mat-khau")],
            )
            .await;
        assert!(
            r.status == StatusCode::UNAUTHORIZED
                || (i == 4 && r.status == StatusCode::TOO_MANY_REQUESTS),
            "{i}: {}",
            r.status
        );
    }
    let r = c
        .post(
            "/login",
            &[("login", "lanhdao"), ("password", password("lanhdao"))],
        )
        .await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(r.body.contains("tạm khóa"));
    assert!(!c.cookies.contains_key("tg_session"));
    // Unknown logins answer like wrong passwords.
    let r = c
        .post("/login", &[("login", "khong-ton-tai"), ("password", "x")])
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert!(r.body.contains("Tên đăng nhập hoặc mật khẩu không đúng"));
}

#[tokio::test]
async fn evidence_download_refuses_path_traversal() {
    let app = common::app().await;
    let mut c = signed_in(&app, "sonoivu").await;
    for p in [
        "/evidence/../../etc/passwd",
        "/evidence/..%2F..%2Fetc%2Fpasswd",
        "/evidence/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
        "/evidence/%2E%2E/%2E%2E/etc/passwd",
        "/evidence/..%5c..%5cetc%5cpasswd",
        "/evidence/1%00.pdf",
        "/evidence/-1",
        "/evidence/99999999999999999999999",
    ] {
        let r = c.get(p).await;
        assert_ne!(r.status, StatusCode::OK, "{p}");
        assert!(!r.body.contains("root:"), "{p}");
    }
}

#[tokio::test]
async fn anonymous_visitors_see_only_public_pages() {
    let app = common::app().await;
    let mut c = Client::new(&app);
    for p in [
        "/dashboard",
        "/plans",
        "/inbox",
        "/import",
        "/units",
        "/search?q=so",
        "/notifications",
    ] {
        assert!(refused(&c.get(p).await), "{p}");
    }
    assert_eq!(c.get("/public").await.status, StatusCode::OK);
    assert_eq!(
        c.get(&format!("/public/plans/{}", app.plan)).await.status,
        StatusCode::NOT_FOUND,
        "bản nháp không công khai"
    );
    let api = c.get("/api/me").await;
    assert_eq!(api.status, StatusCode::UNAUTHORIZED);
    assert!(api.body.contains("\"error\""));
}

/// Signs in a user of another province made with the command line's use case.
async fn other_province_client(app: &common::App, login: &str) -> Client {
    let mut c = Client::new(app);
    let r = c.login(login, "mat-khau-lao-cai").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{login}: {}", r.body);
    c
}

fn refused_or_unknown(r: &common::Resp) -> bool {
    refused(r) || r.status == StatusCode::NOT_FOUND
}

tinhgon_testkit::both_databases! {
    /// Lào Cai's administrator, monitor, leader and officer, in the same system as Nghệ An, can
    /// neither read nor change anything of Nghệ An: every route naming a Nghệ An object refuses
    /// them and changes nothing, and every list they can open shows none of it.
    async fn another_provinces_users_can_neither_read_nor_write_this_ones_objects(tdb) {
        use tinhgon_app::accounts::operator;
        let label = tdb.label;
        let app = app_on(tdb).await;
        let f = fixture(&app).await;
        let db = &app.state.db;
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
        for (login, role, unit) in [
            ("gs_laocai", "monitor", None),
            ("ld_laocai", "leader", None),
            ("cb_laocai", "agency_officer", Some("Sở Nội vụ")),
        ] {
            let a = operator::NewAccount {
                login: login.into(),
                display_name: login.into(),
                password: "mat-khau-lao-cai".into(),
                role: role.into(),
                province: "Lào Cai".into(),
                unit: unit.map(Into::into),
            };
            operator::add(db, a, None).await.unwrap();
        }
        let mut clients = Vec::new();
        for login in ["qt_laocai", "gs_laocai", "ld_laocai", "cb_laocai"] {
            clients.push((login, other_province_client(&app, login).await));
        }
        let mut checked = 0;
        // Every leak is listed at once, so one run shows the whole extent.
        let mut leaks: Vec<String> = Vec::new();
        for spec in specs() {
            if spec.access == Access::Public {
                continue;
            }
            let names_an_object = spec.path.contains('{');
            let path = concrete(spec.path, &f);
            for (login, c) in clients.iter_mut() {
                let what = format!("[{label}] {login} {:?} {path}", spec.verb);
                if spec.verb == Verb::Post {
                    if !names_an_object {
                        continue; // acts on the caller's own province or account
                    }
                    c.get("/notifications").await;
                    let before = wq::table_fingerprint(db).await.unwrap();
                    let r = call(c, &path).await;
                    let after = wq::table_fingerprint(db).await.unwrap();
                    if !refused_or_unknown(&r) {
                        leaks.push(format!("{what}: {} {}", r.status, r.body.chars().take(200).collect::<String>()));
                    }
                    if before != after {
                        leaks.push(format!("{what} đã thay đổi dữ liệu"));
                    }
                    checked += 1;
                } else {
                    let r = c.get(&path).await;
                    if names_an_object {
                        if !refused_or_unknown(&r) {
                            leaks.push(format!("{what}: {}", r.status));
                        }
                    } else if r.status == StatusCode::OK {
                        for foreign in ["Nghệ An", "615/KH-UBND", "sotuphap"] {
                            if let Some(at) = r.body.find(foreign) {
                                let from = r.body[..at].char_indices().rev().nth(80).map_or(0, |(i, _)| i);
                                let context: String = r.body[from..].chars().take(160).collect();
                                leaks.push(format!("{what} shows \"{foreign}\": …{context}…"));
                            }
                        }
                    }
                    checked += 1;
                }
            }
        }
        for (login, c) in clients.iter_mut() {
            for q in ["/search?q=S%E1%BB%9F+T%C6%B0+ph%C3%A1p", "/api/search?q=615"] {
                let r = c.get(q).await;
                if r.body.contains("615/KH-UBND") || r.body.contains("Nghệ An") {
                    leaks.push(format!("[{label}] {login} {q} shows Nghệ An"));
                }
            }
        }
        assert!(leaks.is_empty(), "{} leaks:\n{}", leaks.len(), leaks.join("\n"));
        // Control: the same users do see their own province's objects.
        let admin = &mut clients[0].1;
        let users = admin.get("/admin/users").await;
        assert!(users.body.contains("gs_laocai") && users.body.contains("Sở Nội vụ"), "{}", users.body);
        let found = admin.get("/api/search?q=lao+cai").await;
        assert!(found.body.contains("Tỉnh Lào Cai"), "{}", found.body);
        assert!(checked > 200, "chỉ kiểm {checked} trường hợp");
    }
}

#[tokio::test]
async fn an_upload_over_the_limit_is_refused_in_vietnamese_and_changes_nothing() {
    let app = common::app().await;
    let mut config = (*app.state.config).clone();
    config.upload_limits.document = 1024 * 1024;
    let state = tinhgon_web::AppState::new(app.state.db.clone(), config);
    let mut c = Client::new_on(tinhgon_web::router(state));
    let r = c.login("sonoivu", password("sonoivu")).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    c.get("/import").await;
    let big = vec![b'a'; 2 * 1024 * 1024];
    let before = wq::table_fingerprint(&app.state.db).await.unwrap();
    let r = c
        .post_multipart("/import", &[("file", "kh.txt", &big)])
        .await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", r.body);
    assert!(r.body.contains("quá lớn"), "{}", r.body);
    assert_eq!(before, wq::table_fingerprint(&app.state.db).await.unwrap());
}

#[tokio::test]
async fn every_answer_carries_the_security_headers() {
    let app = common::app().await;
    let mut c = Client::new(&app);
    for path in ["/login", "/public", "/api/plans", "/no-such-page"] {
        let req = axum::http::Request::get(path)
            .body(axum::body::Body::empty())
            .unwrap();
        let resp = tower::ServiceExt::oneshot(c.router.clone(), req)
            .await
            .unwrap();
        let h = resp.headers();
        assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(h["x-frame-options"], "DENY", "{path}");
        let csp = h["content-security-policy"].to_str().unwrap();
        assert!(
            csp.contains("default-src 'self'") && !csp.contains("script-src 'unsafe-inline'"),
            "{path}: {csp}"
        );
    }
    c.get("/login").await;
}

#[tokio::test]
async fn sign_in_and_sign_out_are_audited() {
    let app = common::app().await;
    let mut c = signed_in(&app, "sonoivu").await;
    c.get("/notifications").await;
    let r = c.post("/logout", &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let rows = tinhgon_store::audit::recent(&app.state.db, 5)
        .await
        .unwrap();
    let actions: Vec<(&str, Option<&str>)> = rows
        .iter()
        .map(|r| (r.action.as_str(), r.actor_login.as_deref()))
        .collect();
    assert_eq!(
        actions[0],
        ("user.sign_out", Some("sonoivu")),
        "{actions:?}"
    );
    assert!(
        actions.contains(&("user.sign_in", Some("sonoivu"))),
        "{actions:?}"
    );
    assert!(tinhgon_store::audit::verify(&app.state.db)
        .await
        .unwrap()
        .broken
        .is_none());
}
