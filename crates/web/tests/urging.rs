//! Urging from the dashboard: several units at once with the monitor's words and a reply-by
//! date; each unit's urgings on its page; the province's leaders told when a unit has been
//! urged on three days without reporting progress. On both databases.

mod common;

use axum::http::StatusCode;
use chrono::Days;
use common::{api_post, app_on, signed_in, token_for, Auth};
use serde_json::json;
use tinhgon_store::tx::query;
use tinhgon_store::web_queries as wq;

async fn notices(app: &common::App, login: &str, kind: &str) -> Vec<String> {
    query("SELECT n.text FROM notifications n JOIN users u ON u.id = n.user_id WHERE u.login = $1 AND n.kind = $2 ORDER BY n.id")
        .bind(login)
        .bind(kind)
        .scalars(&app.state.db)
        .await
        .unwrap()
}

tinhgon_testkit::both_databases! {
    async fn units_are_urged_together_with_words_and_a_date_and_leaders_hear_of_the_silent(tdb) {
        let label = tdb.label;
        let app = app_on(tdb).await;
        common::publish_615(&app).await;
        let db = &app.state.db;
        let monitor = Auth::Bearer(token_for(&app, "sonoivu").await);
        // Two units with overdue work in 615 (deadlines of 2025), each with an officer account.
        let today = tinhgon_domain::localtime::local_date(chrono::Utc::now());
        let overdue = tinhgon_store::status::overdue_list(db, tinhgon_store::status::Scope::Province(app.province), today, chrono::Utc::now()).await.unwrap();
        let mut units: Vec<i64> = Vec::new();
        for o in &overdue {
            if !units.contains(&o.unit_id) {
                units.push(o.unit_id);
            }
        }
        assert!(units.len() >= 2, "[{label}] {units:?}");
        let names = wq::unit_names(db, Some(app.province)).await.unwrap();
        let (tu_phap, tai_chinh) = (units[0], units[1]);
        let first_name = names[&tu_phap].clone();
        for (login, u) in [("cb_mot", tu_phap), ("cb_hai", tai_chinh)] {
            tinhgon_app::accounts::operator::add(db, tinhgon_app::accounts::operator::NewAccount {
                login: login.into(),
                display_name: login.into(),
                password: "mat-khau-thu-nghiem".into(),
                role: "agency_officer".into(),
                province: "Nghệ An".into(),
                unit: Some(names[&u].clone()),
            }, None).await.unwrap();
        }
        // The first was urged on the two previous days and has not reported since.
        for back in [1u64, 2] {
            let day = today.checked_sub_days(Days::new(back)).unwrap();
            query("INSERT INTO reminders (unit_id, assignment_id, kind, for_date, message, created_by, created_at) \
                   VALUES ($1, NULL, 'urging', $2, 'Đôn đốc trước', NULL, $3)")
                .bind(tu_phap).bind(day).bind(chrono::Utc::now() - chrono::Duration::days(back as i64))
                .execute(db).await.unwrap();
        }

        // A reply-by date in the past and a made-up unit are refused; nothing is sent.
        let r = api_post(&app, "/api/urging", &monitor, json!({"units": [tu_phap], "reply_by": "01/01/2020"})).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "[{label}] {}", r.json);
        let r = api_post(&app, "/api/urging", &monitor, json!({"units": [99_999_999]})).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "[{label}] {}", r.json);
        let r = api_post(&app, "/api/urging", &monitor, json!({"units": []})).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "[{label}]");
        assert!(notices(&app, "cb_mot", "urging").await.is_empty(), "[{label}]");
        let r = api_post(&app, "/api/urging", &Auth::Bearer(token_for(&app, "sotuphap").await), json!({"units": [tu_phap]})).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "[{label}]");

        let reply = today.checked_add_days(Days::new(7)).unwrap().format("%d/%m/%Y").to_string();
        let r = api_post(&app, "/api/urging", &monitor, json!({"units": [tu_phap, tai_chinh], "message": "Đề nghị khẩn trương hoàn thành", "reply_by": reply})).await;
        assert_eq!(r.status, StatusCode::OK, "[{label}] {}", r.json);
        assert_eq!(r.json["units"], 2, "[{label}] {}", r.json);
        for login in ["cb_mot", "cb_hai"] {
            let got = notices(&app, login, "urging").await;
            assert_eq!(got.len(), 1, "[{label}] {login}");
            assert!(got[0].contains("Ý kiến của cơ quan theo dõi: Đề nghị khẩn trương hoàn thành"), "[{label}] {}", got[0]);
            assert!(got[0].contains(&format!("trước ngày {reply}")), "[{label}] {}", got[0]);
        }
        // The third day of urging without progress reaches the leader — for the first unit only.
        let told = notices(&app, "lanhdao", "escalation").await;
        assert_eq!(told.len(), 1, "[{label}] {told:?}");
        assert!(told[0].starts_with(&format!("{first_name} đã được đôn đốc 3 lần")), "[{label}] {}", told[0]);

        // Again today: refused for each unit, reported, nothing sent twice.
        let r = api_post(&app, "/api/urging", &monitor, json!({"units": [tu_phap]})).await;
        assert_eq!(r.status, StatusCode::OK, "[{label}]");
        assert_eq!((r.json["units"].as_u64(), r.json["failed"].as_array().map(Vec::len)), (Some(0), Some(1)), "[{label}] {}", r.json);
        assert_eq!(notices(&app, "cb_mot", "urging").await.len(), 1, "[{label}]");

        // The unit page lists its urgings, newest first, in words.
        let mut m = signed_in(&app, "sonoivu").await;
        let page = m.get(&format!("/units/{tu_phap}")).await;
        assert_eq!(page.status, StatusCode::OK, "[{label}]");
        assert!(page.body.contains("Lịch sử đôn đốc (3 lần)"), "[{label}]");
        assert!(page.body.contains("Đề nghị khẩn trương hoàn thành"), "[{label}]");
        // The dashboard offers the batch form; the page route takes repeated units.
        assert!(m.get("/dashboard").await.body.contains("Đôn đốc nhiều đơn vị cùng lúc"), "[{label}]");
        let u = tai_chinh.to_string();
        let r = m.post("/urging", &[("unit", &u), ("message", "")]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "[{label}] {}", r.body);
    }
}
