//! Periodic reporting through the real router on SQLite and PostgreSQL, one behaviour per
//! test over two shared fixtures (the schedule set; then Sở Tư pháp's two versions
//! submitted): the monitor's schedule opens one request per unit, the officer submits a
//! pre-filled report and a correction (two frozen versions), another unit's officer is
//! refused, the request list and urging, the leader's aggregated report against the use
//! case, and the document downloads.

mod common;

use std::io::Read;

use axum::http::StatusCode;
use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use common::{app_on, download, signed_in, user_id};
use tinhgon_domain::user::Role;
use tinhgon_domain::workflow::Action;
use tinhgon_reports::StatusClass;
use tinhgon_store::periodic::{self, PeriodKind};
use tinhgon_store::web_queries as wq;
use tinhgon_store::{records, status, Db};

fn vn(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, 0, 0).unwrap() - Duration::hours(7)
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn zip_entry(bytes: &[u8], name: &str) -> String {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("tệp zip hợp lệ");
    let mut f = z.by_name(name).expect(name);
    let mut s = String::new();
    f.read_to_string(&mut s).unwrap();
    s
}

async fn unit_of(db: &Db, login: &str) -> i64 {
    tinhgon_store::accounts::credentials(db, login)
        .await
        .unwrap()
        .unwrap()
        .user
        .unit_id
        .unwrap()
}

async fn notification_texts(db: &Db, login: &str) -> Vec<String> {
    let uid = user_id(db, login).await;
    tinhgon_store::notifications::for_user(db, uid, 500)
        .await
        .unwrap()
        .into_iter()
        .map(|n| n.text)
        .collect()
}

/// Publishes 615/KH-UBND on 28/7/2025 and scripts some history before the 15/9/2025 cut-off:
/// every third assignment done and confirmed, every third started with a progress note.
async fn publish_with_history(app: &common::App) {
    let db = &app.state.db;
    let monitor = Some(user_id(db, "sonoivu").await);
    tinhgon_demo::publish_unreviewed(db, app.plan, monitor, day(2025, 7, 28), vn(2025, 7, 28, 9))
        .await
        .expect("ban hành 615");
    let work = wq::plan_work(db, app.plan).await.unwrap();
    for (i, w) in work.iter().enumerate().take(60) {
        let step = |action, role, at, note: Option<&str>| status::ChangeRequest {
            assignment_id: w.id,
            action,
            role,
            actor: None,
            note: note.map(str::to_string),
            at,
            expected: None,
        };
        let start = vn(2025, 8, 4 + (i % 20) as u32, 9);
        if i % 3 == 2 {
            continue;
        }
        status::system::change_status(db, &step(Action::Start, Role::AgencyOfficer, start, None))
            .await
            .unwrap();
        records::system::add_progress_report(
            db,
            w.id,
            None,
            Some(50),
            "Đang xây dựng dự thảo, lấy ý kiến các cơ quan.",
            &[],
            start + Duration::days(3),
        )
        .await
        .unwrap();
        if i % 3 == 0 {
            let proposed = start + Duration::days(10);
            status::system::change_status(
                db,
                &step(
                    Action::ProposeCompletion,
                    Role::AgencyOfficer,
                    proposed,
                    Some("Đã xong."),
                ),
            )
            .await
            .unwrap();
            status::system::change_status(
                db,
                &step(
                    Action::Confirm,
                    Role::Monitor,
                    proposed + Duration::days(1),
                    None,
                ),
            )
            .await
            .unwrap();
        }
    }
}

/// Saves a page for a visual review when `TINHGON_SHOTS_DIR` is set (screenshots are taken
/// from these files with headless Chromium; the stylesheet is pointed at the source file).
fn keep_page(name: &str, body: &str) {
    let Ok(dir) = std::env::var("TINHGON_SHOTS_DIR") else {
        return;
    };
    let css = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/app.css");
    let html = body.replace(
        &format!("/assets/{}/app.css", tinhgon_web::assets::VERSION),
        &format!("file://{css}"),
    );
    std::fs::write(format!("{dir}/{name}.html"), html).unwrap();
}
/// 615/KH-UBND published with history; the monitor signed in has set the quarterly schedule
/// (data to the 15th, due 3 days later) on 20/8/2025, which asks every unit with work for the
/// 15/9/2025 cut-off.
struct Scheduled {
    label: &'static str,
    app: common::App,
    db: Db,
    plan: i64,
    cutoff: NaiveDate,
    monitor: common::Client,
    form: [(&'static str, &'static str); 4],
    requests: Vec<periodic::Request>,
    /// Units with work in the plan: (id, name).
    units: Vec<(i64, String)>,
}

async fn scheduled(tdb: tinhgon_testkit::TestDb) -> Scheduled {
    let label = tdb.label;
    let app = app_on(tdb).await;
    publish_with_history(&app).await;
    let db = app.state.db.clone();
    let plan = app.plan;
    let cutoff = day(2025, 9, 15);
    let mut monitor = signed_in(&app, "sonoivu").await;
    let r = monitor.get(&format!("/plans/{plan}/reporting")).await;
    assert_eq!(r.status, StatusCode::OK, "[{label}] {}", r.body);
    assert!(r.body.contains("Chưa đặt lịch báo cáo"));
    let form = [
        ("kind", "quarterly"),
        ("cutoff_day", "15"),
        ("due_days", "3"),
        ("day", "20/08/2025"),
    ];
    let r = monitor
        .post(&format!("/plans/{plan}/reporting/schedule"), &form)
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "[{label}] {}", r.body);
    assert_eq!(
        r.location.as_deref(),
        Some(format!("/plans/{plan}/reporting?cutoff=2025-09-15").as_str())
    );
    let requests = periodic::requests(&db, plan, Some(cutoff)).await.unwrap();
    let units = periodic::data::plan_units(&db, plan).await.unwrap();
    Scheduled {
        label,
        app,
        db,
        plan,
        cutoff,
        monitor,
        form,
        requests,
        units,
    }
}

/// … and Sở Tư pháp's officer has submitted a report and then a correction of it.
struct Submitted {
    s: Scheduled,
    tu_phap: i64,
    /// Sở Tư pháp's request.
    req: periodic::Request,
    officer: common::Client,
    submit: String,
}

async fn submitted(tdb: tinhgon_testkit::TestDb) -> Submitted {
    let s = scheduled(tdb).await;
    let tu_phap = unit_of(&s.db, "sotuphap").await;
    let req = s
        .requests
        .iter()
        .find(|r| r.unit_id == tu_phap)
        .expect("Sở Tư pháp được yêu cầu báo cáo")
        .clone();
    let mut officer = signed_in(&s.app, "sotuphap").await;
    let prefill = tinhgon_app::agency_prefill(&s.db, req.id).await.unwrap();
    let first = prefill
        .done
        .iter()
        .chain(&prefill.late)
        .chain(&prefill.in_progress)
        .find_map(|i| i.assignment_id)
        .expect("Sở Tư pháp có nhiệm vụ");
    let note_field = format!("note_{first}");
    let submit = format!("/report-requests/{}/submit", req.id);
    for (summary, note, obstacles) in [
        (
            "Bản báo cáo thứ nhất",
            "Ghi chú phiên bản 1",
            "Thiếu biên chế",
        ),
        (
            "Bản điều chỉnh",
            "Ghi chú phiên bản 2",
            "Thiếu biên chế\nChưa có hướng dẫn của Bộ",
        ),
    ] {
        officer.get(&format!("/report-requests/{}", req.id)).await;
        let r = officer
            .post(
                &submit,
                &[
                    ("summary", summary),
                    (note_field.as_str(), note),
                    ("obstacles", obstacles),
                    ("proposals", "Bổ sung kinh phí"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "[{}] {}", s.label, r.body);
    }
    Submitted {
        s,
        tu_phap,
        req,
        officer,
        submit,
    }
}

tinhgon_testkit::both_databases! {
    /// The monitor's quarterly schedule asks every unit with work once, for the period's due
    /// date; re-opening the period creates nothing new; bad input is a Vietnamese 400.
    async fn the_schedule_asks_each_unit_with_work_once(t) {
        let Scheduled { label, db, plan, cutoff, mut monitor, form, .. } = scheduled(t).await;
        let s = periodic::schedule(&db, plan).await.unwrap().unwrap();
        assert_eq!(
            (s.kind, s.cutoff_day, s.due_days),
            (PeriodKind::Quarterly, 15, 3)
        );
        let requests = periodic::requests(&db, plan, Some(cutoff)).await.unwrap();
        let units = periodic::data::plan_units(&db, plan).await.unwrap();
        assert!(units.len() > 5, "[{label}] {} đơn vị", units.len());
        let mut asked: Vec<i64> = requests.iter().map(|r| r.unit_id).collect();
        asked.sort_unstable();
        let mut expected: Vec<i64> = units.iter().map(|(id, _)| *id).collect();
        expected.sort_unstable();
        assert_eq!(
            asked, expected,
            "[{label}] một yêu cầu cho mỗi đơn vị có nhiệm vụ"
        );
        assert!(requests
            .iter()
            .all(|r| r.due == day(2025, 9, 18) && r.period_label == "quý III/2025"));
        // Re-opening the same period creates nothing new.
        let again = monitor
            .post(&format!("/plans/{plan}/reporting/schedule"), &form)
            .await;
        assert_eq!(again.status, StatusCode::SEE_OTHER);
        assert_eq!(
            periodic::requests(&db, plan, Some(cutoff))
                .await
                .unwrap()
                .len(),
            requests.len()
        );
        assert!(notification_texts(&db, "sotuphap")
            .await
            .iter()
            .any(|t| t.contains("Yêu cầu báo cáo quý III/2025")));
        // Bad input is a Vietnamese 400, never a 5xx.
        let bad = monitor
            .post(
                &format!("/plans/{plan}/reporting/schedule"),
                &[
                    ("kind", "quarterly"),
                    ("cutoff_day", "15"),
                    ("due_days", "3"),
                    ("day", "31/02/2025"),
                ],
            )
            .await;
        assert_eq!(bad.status, StatusCode::BAD_REQUEST);
        assert!(bad.body.contains("không hợp lệ"));
        let bad = monitor
            .post(
                &format!("/plans/{plan}/reporting/schedule"),
                &[("kind", "hằng tuần")],
            )
            .await;
        assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    }
}

tinhgon_testkit::both_databases! {
    /// Sở Tư pháp's officer submits the pre-filled report, then a correction: two frozen
    /// versions, the monitor told of each, the old one only marked as replaced.
    async fn the_officer_submits_a_prefilled_report_and_a_correction(t) {
        let Scheduled { label, app, db, requests, .. } = scheduled(t).await;
        // ---- Officer of Sở Tư pháp: pre-filled form, submit, resubmit.
        let tu_phap = unit_of(&db, "sotuphap").await;
        let req = requests
            .iter()
            .find(|r| r.unit_id == tu_phap)
            .expect("Sở Tư pháp được yêu cầu báo cáo");
        let mut officer = signed_in(&app, "sotuphap").await;
        let list = officer.get("/reports").await;
        assert_eq!(list.status, StatusCode::OK);
        assert!(list.body.contains(&format!("/report-requests/{}", req.id)));
        let page = officer.get(&format!("/report-requests/{}", req.id)).await;
        assert_eq!(page.status, StatusCode::OK, "[{label}] {}", page.body);
        let prefill = tinhgon_app::agency_prefill(&db, req.id).await.unwrap();
        let items: Vec<_> = prefill
            .done
            .iter()
            .chain(&prefill.late)
            .chain(&prefill.in_progress)
            .collect();
        assert!(!items.is_empty(), "[{label}] Sở Tư pháp có nhiệm vụ");
        for i in &items {
            assert!(
                page.body
                    .contains(&format!("name=\"note_{}\"", i.assignment_id.unwrap())),
                "[{label}] thiếu dòng {}",
                i.reference
            );
        }
        assert!(page.body.contains("Tính đến ngày 15/09/2025"));
        keep_page("periodic-officer-form", &page.body);
        let first = items[0].assignment_id.unwrap();
        let note_field = format!("note_{first}");
        let submit = format!("/report-requests/{}/submit", req.id);
        let r = officer
            .post(
                &submit,
                &[
                    ("summary", "Bản báo cáo thứ nhất"),
                    (note_field.as_str(), "Ghi chú phiên bản 1"),
                    ("obstacles", "Thiếu biên chế"),
                    ("proposals", "Bổ sung kinh phí"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "[{label}] {}", r.body);
        let v1 = periodic::report_versions(&db, req.id).await.unwrap();
        assert_eq!(v1.len(), 1);
        assert_eq!(v1[0].content.summary, "Bản báo cáo thứ nhất");
        let noted = v1[0]
            .content
            .done
            .iter()
            .chain(&v1[0].content.late)
            .chain(&v1[0].content.in_progress)
            .find(|i| i.assignment_id == Some(first))
            .unwrap();
        assert_eq!(noted.note, "Ghi chú phiên bản 1");
        // The correction form starts from what was submitted.
        let page = officer.get(&format!("/report-requests/{}", req.id)).await;
        assert!(page.body.contains("Bản báo cáo thứ nhất"));
        assert!(page.body.contains("thay thế phiên bản 1"));
        let r = officer
            .post(
                &submit,
                &[
                    ("summary", "Bản điều chỉnh"),
                    (note_field.as_str(), "Ghi chú phiên bản 2"),
                    ("obstacles", "Thiếu biên chế\nChưa có hướng dẫn của Bộ"),
                    ("proposals", "Bổ sung kinh phí"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "[{label}] {}", r.body);
        let versions = periodic::report_versions(&db, req.id).await.unwrap();
        assert_eq!(versions.len(), 2);
        // The monitor was told of each version, numbered as the store numbered it.
        let told = notification_texts(&db, "sonoivu").await;
        for v in ["(phiên bản 1).", "(phiên bản 2)."] {
            assert_eq!(
                told.iter()
                    .filter(|t| t.contains("đã nộp báo cáo") && t.ends_with(v))
                    .count(),
                1,
                "[{label}] {v} in {told:?}"
            );
        }
        assert_eq!(
            versions[0],
            {
                let mut old = v1[0].clone();
                old.superseded_by = Some(versions[1].id);
                old
            },
            "[{label}] phiên bản 1 giữ nguyên, chỉ được đánh dấu thay thế"
        );
        assert_eq!(versions[1].content.summary, "Bản điều chỉnh");
        assert!(versions[1].superseded_by.is_none());
        let page = officer.get(&format!("/report-requests/{}", req.id)).await;
        assert!(page.body.contains("Đã được thay thế bởi phiên bản 2"));
        keep_page("periodic-officer-versions", &page.body);
        keep_page("periodic-officer-list", &officer.get("/reports").await.body);
        let v = officer
            .get(&format!("/report-requests/{}/versions/1", req.id))
            .await;
        assert_eq!(v.status, StatusCode::OK);
        assert!(v.body.contains("Bản báo cáo thứ nhất") && v.body.contains("Ghi chú phiên bản 1"));
        keep_page("periodic-version-1", &v.body);
        assert!(!v.body.contains("Bản điều chỉnh") && !v.body.contains("<textarea"));
        let v = officer
            .get(&format!("/report-requests/{}/versions/2", req.id))
            .await;
        assert!(v.body.contains("Chưa có hướng dẫn của Bộ") && v.body.contains("Phiên bản hiện hành"));
        assert_eq!(
            officer
                .get(&format!("/report-requests/{}/versions/3", req.id))
                .await
                .status,
            StatusCode::NOT_FOUND
        );
    }
}

tinhgon_testkit::both_databases! {
    /// Another unit's officer is refused and nothing changes; the monitor cannot submit for
    /// a unit either.
    async fn another_units_officer_and_the_monitor_cannot_submit(t) {
        let Submitted { s, req, submit, .. } = submitted(t).await;
        let Scheduled { label, app, db, mut monitor, .. } = s;
        let mut other = signed_in(&app, "sotaichinh").await;
        assert_eq!(
            other
                .get(&format!("/report-requests/{}", req.id))
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        let before = wq::table_fingerprint(&db).await.unwrap();
        let r = other
            .post(
                &submit,
                &[("summary", "Báo cáo giả mạo"), ("obstacles", "x")],
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "[{label}]");
        assert_eq!(before, wq::table_fingerprint(&db).await.unwrap());
        assert_eq!(
            periodic::report_versions(&db, req.id).await.unwrap().len(),
            2
        );
        // Monitors and leaders cannot submit for a unit either.
        assert_eq!(
            monitor.post(&submit, &[("summary", "x")]).await.status,
            StatusCode::FORBIDDEN
        );
    }
}

tinhgon_testkit::both_databases! {
    /// The request list: Sở Tư pháp submitted after the due date, every other unit late and
    /// urgeable; a bad or unknown cut-off and an unknown request are refused.
    async fn the_request_list_tells_submitted_late_from_late(t) {
        let Submitted { s, tu_phap, .. } = submitted(t).await;
        let Scheduled { plan, mut monitor, requests, .. } = s;
        let list = monitor
            .get(&format!("/plans/{plan}/reporting?cutoff=15/09/2025"))
            .await;
        assert_eq!(list.status, StatusCode::OK);
        assert!(list.body.contains(&format!(
            "data-standing=\"submitted_late\" data-unit=\"{tu_phap}\""
        )));
        assert_eq!(
            list.body.matches("data-standing=\"late\"").count(),
            requests.len() - 1
        );
        assert!(list.body.contains("Quá hạn chưa nộp") && list.body.contains("Nộp muộn"));
        keep_page("periodic-monitor-requests", &list.body);
        keep_page("periodic-index", &monitor.get("/reports").await.body);
        assert_eq!(list.body.matches("/urge\"").count(), requests.len() - 1);
        assert_eq!(
            monitor
                .get(&format!("/plans/{plan}/reporting?cutoff=ngày-mai"))
                .await
                .status,
            StatusCode::BAD_REQUEST
        );
        assert_eq!(
            monitor
                .get(&format!("/plans/{plan}/reporting?cutoff=01/01/2020"))
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            monitor.get("/report-requests/987654").await.status,
            StatusCode::NOT_FOUND
        );
    }
}

tinhgon_testkit::both_databases! {
    /// Urging a late unit notifies its officers once a day; a submitted report is not urged;
    /// leaders read but do not urge.
    async fn urging_a_late_unit_notifies_its_officers_once_a_day(t) {
        let Submitted { s, tu_phap, req, .. } = submitted(t).await;
        let Scheduled { label, app, db, plan, mut monitor, requests, .. } = s;
        let late = requests
            .iter()
            .find(|r| r.unit_id != tu_phap)
            .expect("một đơn vị khác được yêu cầu báo cáo");
        // An officer account of that unit, to receive the notification.
        tinhgon_store::accounts::system::create_user(
            &db,
            &tinhgon_store::accounts::NewUser {
                login: "canbo-cham".into(),
                display_name: "Cán bộ đơn vị chậm nộp".into(),
                password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".into(),
                role: Role::AgencyOfficer,
                unit_id: Some(late.unit_id),
                province_id: Some(app.province),
            },
        )
        .await
        .unwrap();
        let urge_text = "Đôn đốc nộp báo cáo quý III/2025";
        let count = |v: Vec<String>| v.iter().filter(|t| t.contains(urge_text)).count();
        assert_eq!(count(notification_texts(&db, "canbo-cham").await), 0);
        monitor.get(&format!("/plans/{plan}/reporting")).await;
        let r = monitor
            .post(&format!("/report-requests/{}/urge", late.id), &[])
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "[{label}] {}", r.body);
        assert_eq!(count(notification_texts(&db, "canbo-cham").await), 1);
        let r = monitor
            .post(&format!("/report-requests/{}/urge", late.id), &[])
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert_eq!(
            count(notification_texts(&db, "canbo-cham").await),
            1,
            "một lần mỗi ngày"
        );
        // A submitted report is not urged.
        let before = count(notification_texts(&db, "sotuphap").await);
        monitor
            .post(&format!("/report-requests/{}/urge", req.id), &[])
            .await;
        assert_eq!(count(notification_texts(&db, "sotuphap").await), before);
        // Leaders read but do not urge.
        let mut leader = signed_in(&app, "lanhdao").await;
        let r = leader
            .post(&format!("/report-requests/{}/urge", late.id), &[])
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
    }
}

tinhgon_testkit::both_databases! {
    /// The leader's aggregated report on screen equals the use case's figures, with the
    /// current version's obstacles; bad dates are refused; officers do not see it.
    async fn the_leaders_report_shows_the_use_cases_figures(t) {
        let Submitted { s, mut officer, .. } = submitted(t).await;
        let Scheduled { label, app, db, plan, cutoff, .. } = s;
        let mut leader = signed_in(&app, "lanhdao").await;
        let period = tinhgon_app::report_periods(&db, plan, cutoff)
            .await
            .unwrap();
        let expected = tinhgon_app::aggregated_report(&db, plan, &period, tinhgon_web::view::today())
            .await
            .unwrap();
        let page = leader
            .get(&format!("/plans/{plan}/report?as_of=15/09/2025"))
            .await;
        assert_eq!(page.status, StatusCode::OK, "[{label}] {}", page.body);
        keep_page("periodic-leader-report", &page.body);
        assert!(page
            .body
            .contains(&format!("id=\"total\">{}<", expected.totals.total())));
        let shown: Vec<u32> = page
            .body
            .match_indices("data-count=\"")
            .map(|(i, m)| {
                let rest = &page.body[i + m.len()..];
                rest[..rest.find('"').unwrap()].parse().unwrap()
            })
            .collect();
        let want: Vec<u32> = StatusClass::ALL
            .iter()
            .map(|c| expected.totals.get(*c))
            .collect();
        assert_eq!(shown, want, "[{label}] số liệu theo trạng thái");
        assert!(expected.totals.total() > 0 && expected.totals.done_on_time > 0);
        assert_eq!(
            page.body.matches("<tr data-unit=").count(),
            expected.units.len()
        );
        assert!(
            page.body.contains("Chưa có hướng dẫn của Bộ"),
            "vướng mắc của bản hiện hành"
        );
        assert!(page.body.contains("<svg") && page.body.contains("@media print"));
        assert!(page.body.contains("Kỳ trước: quý II/2025"));
        for bad in ["as_of=31/02/2025", "as_of=abc"] {
            assert_eq!(
                leader
                    .get(&format!("/plans/{plan}/report?{bad}"))
                    .await
                    .status,
                StatusCode::BAD_REQUEST
            );
        }
        assert_eq!(
            leader.get("/plans/987654/report").await.status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            officer.get(&format!("/plans/{plan}/report")).await.status,
            StatusCode::FORBIDDEN
        );
    }
}

tinhgon_testkit::both_databases! {
    /// The report downloads as Word, Excel and CSV with Vietnamese file names; officers
    /// cannot download it.
    async fn the_report_downloads_as_word_excel_and_csv(t) {
        let Submitted { s, officer, .. } = submitted(t).await;
        let Scheduled { label, app, db, plan, cutoff, .. } = s;
        let leader = signed_in(&app, "lanhdao").await;
        let period = tinhgon_app::report_periods(&db, plan, cutoff).await.unwrap();
        let expected =
            tinhgon_app::aggregated_report(&db, plan, &period, tinhgon_web::view::today())
                .await
                .unwrap();
        let docx = download(
            &leader,
            &format!("/plans/{plan}/report.docx?as_of=15/09/2025"),
        )
        .await;
        assert_eq!(docx.status, StatusCode::OK);
        assert_eq!(
            docx.content_type,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        );
        assert!(
            docx.disposition
                .starts_with("attachment; filename=\"bao_cao_615-kh-ubnd")
                && docx
                    .disposition
                    .contains("filename*=UTF-8''B%C3%A1o%20c%C3%A1o%20615-KH-UBND"),
            "{}",
            docx.disposition
        );
        let xml = zip_entry(&docx.bytes, "word/document.xml");
        assert!(xml.contains("615/KH-UBND") && xml.contains("quý III/2025"));
        assert!(xml.contains("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"));

        let xlsx = download(
            &leader,
            &format!("/plans/{plan}/report.xlsx?as_of=15/09/2025"),
        )
        .await;
        assert_eq!(xlsx.status, StatusCode::OK);
        assert_eq!(
            xlsx.content_type,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        );
        assert!(xlsx.disposition.contains(".xlsx"));
        {
            use calamine::Reader;
            let mut book: calamine::Xlsx<_> =
                calamine::open_workbook_from_rs(std::io::Cursor::new(xlsx.bytes.clone())).unwrap();
            let first = book.sheet_names()[0].clone();
            let range = book.worksheet_range(&first).unwrap();
            let data_rows = range
                .rows()
                .filter(|r| r.iter().any(|c| !matches!(c, calamine::Data::Empty)))
                .count();
            assert!(
                data_rows > expected.tasks.len(),
                "[{label}] {data_rows} dòng cho {} nhiệm vụ",
                expected.tasks.len()
            );
        }

        let csv = download(
            &leader,
            &format!("/plans/{plan}/report.csv?as_of=15/09/2025"),
        )
        .await;
        assert_eq!(csv.status, StatusCode::OK);
        assert_eq!(csv.content_type, "text/csv; charset=utf-8");
        assert!(csv.bytes.starts_with(&[0xEF, 0xBB, 0xBF]), "BOM");
        let mut rd = csv::ReaderBuilder::new().from_reader(&csv.bytes[3..]);
        assert_eq!(rd.records().count(), expected.tasks.len());
        assert_eq!(
            download(&officer, &format!("/plans/{plan}/report.csv"))
                .await
                .status,
            StatusCode::FORBIDDEN
        );
    }
}

tinhgon_testkit::both_databases! {
    /// An urging notice is written for a unit with overdue work today; for a day when none
    /// was overdue the monitor gets a message, not an error page; leaders cannot write one.
    async fn an_urging_notice_is_written_for_a_unit_with_overdue_work(t) {
        let Scheduled { label, app, db, plan, mut monitor, units, .. } = scheduled(t).await;
        let leader = signed_in(&app, "lanhdao").await;
        let today = tinhgon_web::view::today();
        let now_period = tinhgon_app::report_periods(&db, plan, today).await.unwrap();
        let now_report = tinhgon_app::aggregated_report(&db, plan, &now_period, today)
            .await
            .unwrap();
        let late_unit = now_report
            .units
            .iter()
            .find(|u| u.counts.overdue > 0)
            .expect("có đơn vị quá hạn hôm nay");
        let late_id = units.iter().find(|(_, n)| *n == late_unit.unit).unwrap().0;
        let notice = download(
            &monitor,
            &format!("/plans/{plan}/units/{late_id}/urging.docx"),
        )
        .await;
        assert_eq!(notice.status, StatusCode::OK);
        assert!(notice
            .disposition
            .contains("filename*=UTF-8''V%C4%83n%20b%E1%BA%A3n%20%C4%91%C3%B4n%20%C4%91%E1%BB%91c"));
        let xml = zip_entry(&notice.bytes, "word/document.xml");
        assert!(xml.contains(&late_unit.unit) && xml.contains("615/KH-UBND"));
        // Before the plan existed nobody was overdue: a message, not an error page.
        let none = download(
            &monitor,
            &format!("/plans/{plan}/units/{late_id}/urging.docx?as_of=29/07/2025&from=report"),
        )
        .await;
        assert_eq!(none.status, StatusCode::SEE_OTHER, "[{label}]");
        assert!(none
            .location
            .as_deref()
            .is_some_and(|l| l.starts_with(&format!("/plans/{plan}/report"))));
        assert_eq!(
            download(&monitor, &format!("/plans/{plan}/units/987654/urging.docx"))
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            download(
                &leader,
                &format!("/plans/{plan}/units/{late_id}/urging.docx")
            )
            .await
            .status,
            StatusCode::FORBIDDEN
        );
        let dash = monitor.get(&format!("/dashboard?plan={plan}")).await;
        assert!(dash
            .body
            .contains(&format!("/plans/{plan}/units/{late_id}/urging.docx")));
    }
}

#[test]
fn periodic_routes_are_in_the_route_table_with_their_rights() {
    use tinhgon_web::routes::{specs, Access, Verb, MONITORS, OFFICERS, READERS};
    let find = |verb: Verb, path: &str| {
        specs()
            .into_iter()
            .find(|s| s.verb == verb && s.path == path)
            .unwrap_or_else(|| panic!("thiếu tuyến {path}"))
    };
    let submit = find(Verb::Post, "/report-requests/{request}/submit");
    assert_eq!(submit.access, Access::Roles(OFFICERS));
    assert!(submit.own_unit_only, "chỉ cán bộ của chính đơn vị được nộp");
    for p in [
        "/plans/{plan}/reporting/schedule",
        "/report-requests/{request}/urge",
    ] {
        assert_eq!(find(Verb::Post, p).access, Access::Roles(MONITORS), "{p}");
    }
    for p in [
        "/plans/{plan}/report",
        "/plans/{plan}/report.docx",
        "/plans/{plan}/report.xlsx",
        "/plans/{plan}/report.csv",
        "/plans/{plan}/reporting",
    ] {
        assert_eq!(find(Verb::Get, p).access, Access::Roles(READERS), "{p}");
    }
    assert_eq!(
        find(Verb::Get, "/plans/{plan}/units/{unit}/urging.docx").access,
        Access::Roles(MONITORS)
    );
}

/// The Word report of 615/KH-UBND (898 assignments, most of them through group leads such as
/// "UBND các xã, phường") gives a group one row with its counts, so it stays a document a
/// leader reads; the Excel appendix keeps a row per unit. Renders in LibreOffice.
#[tokio::test]
async fn the_word_report_summarises_group_assignments_and_keeps_details_in_excel() {
    let Submitted { s, .. } = submitted(tinhgon_testkit::sqlite_db()).await;
    let Scheduled { app, plan, .. } = s;
    let leader = signed_in(&app, "lanhdao").await;
    let docx = download(
        &leader,
        &format!("/plans/{plan}/report.docx?as_of=15/09/2025"),
    )
    .await;
    assert_eq!(docx.status, StatusCode::OK);
    let xml = zip_entry(&docx.bytes, "word/document.xml");
    let rows = xml.matches("<w:tr>").count() + xml.matches("<w:tr ").count();
    assert!(
        rows < 250,
        "{rows} table rows: group assignments are not summarised"
    );
    assert!(
        xml.contains("cơ quan, đơn vị ("),
        "a group row names its count"
    );
    assert!(xml.contains("Chi tiết từng đơn vị tại tệp Excel kèm theo."));
    assert!(!xml.contains("(0)"), "no \"tăng (0)\"");
    let xlsx = download(
        &leader,
        &format!("/plans/{plan}/report.xlsx?as_of=15/09/2025"),
    )
    .await;
    {
        use calamine::Reader;
        let mut book: calamine::Xlsx<_> =
            calamine::open_workbook_from_rs(std::io::Cursor::new(xlsx.bytes.clone())).unwrap();
        let first = book.sheet_names()[0].clone();
        let range = book.worksheet_range(&first).unwrap();
        assert!(
            range.height() > 800,
            "the Excel keeps a row per unit: {}",
            range.height()
        );
    }
    if tinhgon_testkit::office::soffice_required() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bao-cao.docx");
        std::fs::write(&path, &docx.bytes).unwrap();
        let pdf = tinhgon_testkit::office::soffice_convert(&path, "pdf", dir.path());
        let bytes = std::fs::read(&pdf).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        let pages = text.matches("/Type /Page\n").count()
            + text.matches("/Type/Page\n").count()
            + text.matches("/Type /Page/").count()
            + text.matches("/Type/Page/").count()
            + text.matches("/Type /Page ").count()
            + text.matches("/Type/Page ").count()
            + text.matches("/Type /Page>").count()
            + text.matches("/Type/Page>").count();
        eprintln!("báo cáo Word: {pages} trang, {rows} dòng bảng");
        assert!(pages > 0 && pages <= 40, "{pages} pages");
    }
}
