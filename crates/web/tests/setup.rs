//! First run of a province other than the demo's: `setup` builds its register from the national
//! data and its administrator, who signs in and sees that province, not Nghệ An.

mod common;

use common::Client;
use tinhgon_app::setup::{setup, SetupRequest};
use tinhgon_store::Db;
use tinhgon_web::{router, AppState, Config};

fn lao_cai(admin: &str) -> SetupRequest {
    SetupRequest {
        province: "lao cai".into(),
        admin_login: admin.into(),
        admin_password: "mat-khau-du-dai".into(),
        admin_name: "Quản trị Lào Cai".into(),
    }
}

tinhgon_testkit::both_databases! {
    /// The administrator made by setup signs in and sees Lào Cai with its 99 communes and wards.
    async fn a_province_set_up_from_the_national_data_is_what_its_administrator_sees(t) {
        let db = Db::connect(&t.url).await.unwrap();
        let s = setup(&db, lao_cai("quantri"), None).await.unwrap();
        assert_eq!(s.province, "Tỉnh Lào Cai");
        assert_eq!(s.communes, 99);
        let data = tempfile::tempdir().unwrap();
        let config = Config {
            db: t.url.clone(),
            data_dir: data.path().to_path_buf(),
            ..Config::default()
        };
        let state = AppState::new(db.clone(), config);
        let mut c = Client::new_on(router(state));
        let login = c.login("quantri", "mat-khau-du-dai").await;
        assert_eq!(login.status, 303, "{}", login.body);
        let page = c.get("/units").await;
        assert_eq!(page.status, 200);
        assert!(page.body.contains("Sở Nội vụ tỉnh Lào Cai"), "header names the province");
        assert!(!page.body.contains("Nghệ An"), "nothing of the demo province");
        let communes = page.body.matches(">Xã</span>").count();
        let wards = page.body.matches(">Phường</span>").count();
        assert_eq!(communes + wards, 99, "{communes} xã + {wards} phường");
        assert!(page.body.contains("Ủy ban nhân dân tỉnh Lào Cai"));
        // The sign-in page of a one-province system names it too.
        let mut anon = Client::new_on(c.router.clone());
        assert!(anon.get("/login").await.body.contains("Sở Nội vụ tỉnh Lào Cai"));
        // Probes: alive, and ready while the schema is the binary's own.
        assert_eq!(anon.get("/healthz").await.status, 200);
        let ready = anon.get("/readyz").await;
        assert_eq!((ready.status.as_u16(), ready.body.as_str()), (200, "ok"));
        tinhgon_store::tx::query("DELETE FROM _sqlx_migrations WHERE version = (SELECT MAX(version) FROM _sqlx_migrations)")
            .execute(&db)
            .await
            .unwrap();
        let metrics = anon.get("/metrics").await.body;
        assert!(
            metrics.contains("tinhgon_http_requests_total{route=\"/units\",status=\"200\"} 1"),
            "{metrics}"
        );
        assert!(metrics.contains("tinhgon_http_request_duration_seconds_count{route=\"/login\"}"));
        assert!(metrics.contains("tinhgon_db_connections{state=\"open\"}"));
        let ready = anon.get("/readyz").await;
        assert_eq!(ready.status, 503);
        assert!(ready.body.contains("chương trình cần"), "{}", ready.body);
    }

    /// A second run keeps the register, adds only the administrator; a taken login changes nothing.
    async fn setup_again_keeps_the_register_and_refuses_a_taken_login(t) {
        let db = Db::connect(&t.url).await.unwrap();
        let first = setup(&db, lao_cai("quantri"), None).await.unwrap();
        let again = setup(&db, lao_cai("quantri2"), None).await.unwrap();
        assert_eq!(again.province_id, first.province_id);
        assert_eq!(again.units, 0);
        let e = setup(&db, lao_cai("quantri"), None).await.unwrap_err();
        assert!(e.to_string().contains("đã được dùng"), "{e}");
        let users = tinhgon_store::accounts::list_users(&db).await.unwrap();
        assert_eq!(users.len(), 2);
        let e = setup(
            &db,
            SetupRequest { province: "Hà Tây".into(), ..lao_cai("khac") },
            None,
        )
        .await
        .unwrap_err();
        assert!(e.to_string().contains("Hà Tây"), "{e}");
        let e = setup(
            &db,
            SetupRequest { admin_password: "ngan".into(), ..lao_cai("khac") },
            None,
        )
        .await
        .unwrap_err();
        assert!(e.to_string().contains("ít nhất 8"), "{e}");
        assert_eq!(tinhgon_store::register::provinces(&db).await.unwrap().len(), 1);
    }
}

tinhgon_testkit::both_databases! {
    /// Setup records the 2025 merger that formed the province: the old provinces end on
    /// 30/6/2025, the new one begins on 1/7/2025, one event under Nghị quyết 202/2025/QH15
    /// joins them, and the lineage picture draws it. An unchanged province gets no event.
    async fn setup_records_the_2025_merger_that_formed_the_province(t) {
        use tinhgon_store::tx::query;
        let label = t.label;
        let db = Db::connect(&t.url).await.unwrap();
        let s = setup(&db, lao_cai("quantri"), None).await.unwrap();
        let events: Vec<(i64, String, Option<String>, chrono::NaiveDate)> = query(
            "SELECT id, kind, decision, effective FROM restructuring_events WHERE province_id = $1",
        )
        .bind(s.province_id)
        .fetch_all(&db)
        .await
        .unwrap();
        assert_eq!(events.len(), 1, "[{label}] {events:?}");
        let (event, kind, decision, effective) = events[0].clone();
        assert_eq!(kind, "consolidate", "[{label}]");
        assert_eq!(decision.as_deref(), Some("Nghị quyết 202/2025/QH15 ngày 12/6/2025"));
        assert_eq!(effective, chrono::NaiveDate::from_ymd_opt(2025, 7, 1).unwrap());
        let old: Vec<(String, Option<chrono::NaiveDate>)> = query(
            "SELECT u.name, u.valid_to FROM event_predecessors p JOIN units u ON u.id = p.unit_id \
             WHERE p.event_id = $1 ORDER BY u.name",
        )
        .bind(event)
        .fetch_all(&db)
        .await
        .unwrap();
        let july = chrono::NaiveDate::from_ymd_opt(2025, 7, 1);
        assert_eq!(
            old,
            [("Tỉnh Lào Cai".to_string(), july), ("Tỉnh Yên Bái".to_string(), july)],
            "[{label}] valid until 30/6/2025 (the end is exclusive)"
        );
        let new: Vec<i64> = query("SELECT unit_id FROM event_successors WHERE event_id = $1")
            .bind(event)
            .scalars(&db)
            .await
            .unwrap();
        assert_eq!(new, [s.province_id]);
        let from: Option<chrono::NaiveDate> = query("SELECT valid_from FROM units WHERE id = $1")
            .bind(s.province_id)
            .scalar(&db)
            .await
            .unwrap();
        assert_eq!(from, july);

        // The lineage picture of the province shows the two old provinces and the resolution.
        let data = tempfile::tempdir().unwrap();
        let config = Config { db: t.url.clone(), data_dir: data.path().to_path_buf(), ..Config::default() };
        let mut c = Client::new_on(router(AppState::new(db.clone(), config)));
        assert_eq!(c.login("quantri", "mat-khau-du-dai").await.status, 303);
        let page = c.get(&format!("/units/{}", s.province_id)).await;
        assert_eq!(page.status, 200, "[{label}] {}", page.body);
        assert!(page.body.contains("Tỉnh Yên Bái"), "[{label}] the unit's lineage names its predecessor");
        assert!(
            page.body.contains("theo Nghị quyết 202/2025/QH15 ngày 12/6/2025"),
            "[{label}] the unit's history names the resolution: {}",
            page.body
        );
        let lineage = c.get("/units/lineage?on=01/07/2025").await;
        assert_eq!(lineage.status, 200, "[{label}] {}", lineage.body);
        assert!(lineage.body.contains("Tỉnh Yên Bái"), "[{label}] {}", lineage.body);

        // Hà Nội was not arranged in 2025: no event, no start date.
        let hn = setup(&db, SetupRequest { province: "Hà Nội".into(), ..lao_cai("quantri_hn") }, None)
            .await
            .unwrap();
        let n: i64 = query("SELECT COUNT(*) FROM restructuring_events WHERE province_id = $1")
            .bind(hn.province_id)
            .scalar(&db)
            .await
            .unwrap();
        assert_eq!(n, 0, "[{label}]");
    }

    /// An installation-wide leader (Bộ Nội vụ) picks the province on the dashboard; a
    /// province's own administrator cannot look at another province by the same parameter.
    async fn a_national_account_picks_the_province_a_provinces_own_cannot(t) {
        use tinhgon_app::accounts::operator;
        let db = Db::connect(&t.url).await.unwrap();
        setup(&db, lao_cai("quantri"), None).await.unwrap();
        let ha_noi = setup(
            &db,
            SetupRequest { province: "Hà Nội".into(), ..lao_cai("quantri_hn") },
            None,
        )
        .await
        .unwrap();
        let a = operator::NewAccount {
            login: "bonoivu".into(),
            display_name: "Bộ Nội vụ".into(),
            password: "mat-khau-du-dai".into(),
            role: "leader".into(),
            province: "toàn quốc".into(),
            unit: None,
        };
        operator::add(&db, a, None).await.unwrap();
        let data = tempfile::tempdir().unwrap();
        let config = Config { db: t.url.clone(), data_dir: data.path().to_path_buf(), ..Config::default() };
        let app = router(AppState::new(db.clone(), config));
        let mut national = Client::new_on(app.clone());
        assert_eq!(national.login("bonoivu", "mat-khau-du-dai").await.status, 303);
        let page = national.get(&format!("/dashboard?province={}", ha_noi.province_id)).await;
        assert_eq!(page.status, 200, "{}", page.body);
        assert!(page.body.contains("selected>Thành phố Hà Nội</option>"), "{}", page.body);
        assert!(page.body.contains("Tỉnh Lào Cai</option>"), "both provinces offered");
        let mut own = Client::new_on(app);
        assert_eq!(own.login("quantri", "mat-khau-du-dai").await.status, 303);
        let page = own.get(&format!("/dashboard?province={}", ha_noi.province_id)).await;
        assert!(!page.body.contains("Hà Nội"), "a province's own stays in it");
    }
}
