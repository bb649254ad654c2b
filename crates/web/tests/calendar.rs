//! The calendar page, the private feed address and its iCalendar route, and comments on an
//! assignment through the pages and the API, against the real router on both databases.

mod common;

use axum::http::StatusCode;
use common::{api_get, api_post, app_on, publish_615, signed_in, token_for, Auth, Client};
use tinhgon_store::web_queries as wq;

/// The password of the officer made for the dated assignment's unit.
const OFFICER_PASSWORD: &str = "mat-khau-lich-2026";

/// The first dated assignment of 615 (its standing duties have no due date), an officer
/// account `canbo-lich` of its unit, and the due month (`yyyy-mm`).
async fn dated_work(app: &common::App) -> (i64, i64, String) {
    let db = &app.state.db;
    let w = wq::plan_work(db, app.plan)
        .await
        .unwrap()
        .into_iter()
        .find(|w| w.due.is_some())
        .expect("615 có nhiệm vụ có hạn");
    let hash = tinhgon_app::accounts::hash_password(OFFICER_PASSWORD.into())
        .await
        .unwrap();
    tinhgon_store::accounts::system::create_user(
        db,
        &tinhgon_store::accounts::NewUser {
            login: "canbo-lich".into(),
            display_name: "Nguyễn Văn Lịch".into(),
            password_hash: hash,
            role: tinhgon_domain::user::Role::AgencyOfficer,
            unit_id: Some(w.unit_id),
            province_id: Some(app.province),
        },
    )
    .await
    .unwrap();
    (w.id, w.unit_id, w.due.unwrap().format("%Y-%m").to_string())
}

async fn officer(app: &common::App) -> Client {
    let mut c = Client::new(app);
    let r = c.login("canbo-lich", OFFICER_PASSWORD).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    c
}

/// The feed address shown once on the page after making it.
fn feed_path(body: &str) -> String {
    let at = body.find("/calendar/").expect("địa chỉ lịch trên trang");
    let rest = &body[at..];
    let end = rest.find(".ics").expect("đuôi .ics") + 4;
    rest[..end].to_string()
}

tinhgon_testkit::both_databases! {
    async fn the_calendar_page_moves_by_month_and_the_feed_lives_until_revoked(tdb) {
        let app = app_on(tdb).await;
        publish_615(&app).await;
        let (a, _, month) = dated_work(&app).await;
        let mut c = officer(&app).await;
        let page = c.get(&format!("/calendar?month={month}")).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        for needle in ["Lịch hạn nhiệm vụ", "Thứ Hai", "Chủ nhật", "Tháng trước", "Tháng sau", "615/KH-UBND", "Chưa có địa chỉ lịch riêng"] {
            if needle == "Chưa có địa chỉ lịch riêng" {
                assert!(page.body.contains("Bạn chưa có địa chỉ lịch riêng."), "{needle}");
            } else {
                assert!(page.body.contains(needle), "{needle}");
            }
        }
        assert!(page.body.contains(&format!("/assignments/{a}")), "the deadline links to its assignment");
        assert!(page.body.contains("href=\"/calendar\""), "menu item Lịch");
        let bad = c.get("/calendar?month=2026-13").await;
        assert_eq!(bad.status, StatusCode::BAD_REQUEST);
        assert!(bad.body.contains("Tháng không hợp lệ"), "{}", bad.body);

        // A feed address, shown once; the calendar application reads it without a session.
        c.get("/calendar").await;
        let made = c.post("/calendar/feed", &[]).await;
        assert_eq!(made.status, StatusCode::OK, "{}", made.body);
        let path = feed_path(&made.body);
        let mut anon = Client::new(&app);
        let ics = anon.get(&path).await;
        assert_eq!(ics.status, StatusCode::OK);
        assert!(ics.body.starts_with("BEGIN:VCALENDAR\r\n"), "{}", &ics.body[..80.min(ics.body.len())]);
        assert!(ics.body.contains(&format!("UID:assignment-{a}@tinhgon\r\n")));
        let again = c.get("/calendar").await;
        assert!(again.body.contains("Bạn đang có một địa chỉ lịch riêng"));
        assert!(!again.body.contains(&path), "the secret is shown only once");
        // Revoked, the address is not found and says nothing; so is any made-up one.
        let r = c.post("/calendar/feed/revoke", &[]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        for p in [path.clone(), format!("/calendar/{}.ics", "0".repeat(64)), path.trim_end_matches(".ics").to_string()] {
            let gone = anon.get(&p).await;
            assert_eq!(gone.status, StatusCode::NOT_FOUND, "{p}");
            assert!(!gone.body.contains("VCALENDAR") && !gone.body.contains("615/KH-UBND"), "{p}");
        }
        // Without a session, the page and the address-making are refused.
        assert!(matches!(anon.get("/calendar").await.status, StatusCode::SEE_OTHER | StatusCode::UNAUTHORIZED));
    }
}

tinhgon_testkit::both_databases! {
    async fn comments_through_the_page_and_the_api_with_their_rights(tdb) {
        let app = app_on(tdb).await;
        publish_615(&app).await;
        let (a, unit, _) = dated_work(&app).await;
        let db = &app.state.db;
        let mut officer = officer(&app).await;
        officer.get(&format!("/assignments/{a}")).await;
        let r = officer.post(&format!("/assignments/{a}/comments"), &[("text", "Đề nghị cho ý kiến về dự thảo.")]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let page = officer.get(&format!("/assignments/{a}")).await;
        assert!(page.body.contains("Trao đổi về nhiệm vụ") && page.body.contains("Đề nghị cho ý kiến về dự thảo."));
        // The monitor is told, and answers through the API.
        let mut monitor = signed_in(&app, "sonoivu").await;
        let notes = monitor.get("/notifications").await;
        assert!(notes.body.contains("gửi ý kiến về nhiệm vụ"), "{}", notes.body);
        let token = token_for(&app, "sonoivu").await;
        let posted = api_post(&app, &format!("/api/assignments/{a}/comments"), &Auth::Bearer(token.clone()), serde_json::json!({"text": "Đã nhận, đề nghị gửi trước ngày 15."})).await;
        assert_eq!(posted.status, StatusCode::OK, "{:?}", posted.json);
        let listed = api_get(&app, &format!("/api/assignments/{a}/comments"), &Auth::Bearer(token.clone())).await;
        assert_eq!(listed.status, StatusCode::OK);
        let items = listed.json.as_array().expect("a list");
        assert_eq!(items.len(), 2);
        assert_eq!(items[0]["unit"].as_str(), wq::unit_name(db, unit).await.unwrap().as_deref());
        assert_eq!(items[0]["author"], "Nguyễn Văn Lịch");
        assert_eq!(items[1]["text"], "Đã nhận, đề nghị gửi trước ngày 15.");
        let blank = api_post(&app, &format!("/api/assignments/{a}/comments"), &Auth::Bearer(token), serde_json::json!({"text": " "})).await;
        assert_eq!(blank.status, StatusCode::BAD_REQUEST);
        assert_eq!(blank.json["error"], "Vui lòng nhập nội dung ý kiến.");

        // An officer of a unit that takes no part, and a leader, are refused; nothing changes.
        let coordinators = wq::task_coordinator_units(db, wq::work_row(db, a).await.unwrap().unwrap().task_id).await.unwrap();
        let finance = wq::unit_names(db, Some(app.province)).await.unwrap().into_iter().find(|(_, n)| n == "Sở Tài chính").map(|(id, _)| id).unwrap();
        let tu_phap = wq::unit_names(db, Some(app.province)).await.unwrap().into_iter().find(|(_, n)| n == "Sở Tư pháp").map(|(id, _)| id).unwrap();
        let mut outsiders = vec!["lanhdao"];
        for (login, u) in [("sotaichinh", finance), ("sotuphap", tu_phap)] {
            if u != unit && !coordinators.contains(&u) {
                outsiders.push(login);
            }
        }
        assert!(outsiders.len() >= 2, "an officer of a unit that takes no part");
        for login in outsiders {
            let mut c = signed_in(&app, login).await;
            c.get("/notifications").await;
            let before = wq::table_fingerprint(db).await.unwrap();
            let r = c.post(&format!("/assignments/{a}/comments"), &[("text", "Không được phép")]).await;
            assert_eq!(r.status, StatusCode::FORBIDDEN, "{login}");
            assert_eq!(before, wq::table_fingerprint(db).await.unwrap(), "{login}");
            let token = token_for(&app, login).await;
            let before_api = wq::table_fingerprint(db).await.unwrap();
            let r = api_post(&app, &format!("/api/assignments/{a}/comments"), &Auth::Bearer(token), serde_json::json!({"text": "Không được phép"})).await;
            assert_eq!(r.status, StatusCode::FORBIDDEN, "{login} API");
            assert_eq!(before_api, wq::table_fingerprint(db).await.unwrap(), "{login} API");
        }
    }
}
