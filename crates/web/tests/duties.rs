//! Standing and recurring duties judged per period: a standing duty reported inside the
//! quarter is done, reported only in the next quarter is late, not reported is missed; the
//! dashboard keeps them out of its chart and leads to their page; an assignment's page lists
//! its periods. On both databases, against reports placed on known days.

mod common;

use axum::http::StatusCode;
use chrono::{NaiveDate, TimeZone, Utc};
use common::{app_on, publish_615, signed_in};
use tinhgon_store::duties::DutyKind;
use tinhgon_store::records::system::add_progress_report;
use tinhgon_store::tx::query;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

tinhgon_testkit::both_databases! {
    async fn standing_duties_are_judged_per_quarter(tdb) {
        let label = tdb.label;
        let app = app_on(tdb).await;
        publish_615(&app).await;
        let db = &app.state.db;
        // The plan was published on 28/7/2025: its assignments date from then.
        let published = Utc.with_ymd_and_hms(2025, 7, 28, 3, 0, 0).unwrap();
        query("UPDATE assignments SET created_at = $1 WHERE plan_id = $2").bind(published).bind(app.plan).execute(db).await.unwrap();
        // The unit with most standing duties in 615 (standing, or without a due date: the
        // dashboard's standing class).
        let tu_phap: i64 = query(
            "SELECT a.unit_id FROM assignments a JOIN tasks t ON t.id = a.task_id WHERE a.plan_id = $1 \
             AND (t.deadline_kind = 'ongoing' OR (t.deadline_kind <> 'recurring' AND a.due IS NULL AND (t.deadline_kind <> 'conditional' OR t.triggered_on IS NOT NULL))) GROUP BY a.unit_id ORDER BY COUNT(*) DESC, a.unit_id LIMIT 1",
        ).bind(app.plan).scalar(db).await.unwrap();
        let standing: Vec<i64> = query(
            "SELECT a.id FROM assignments a JOIN tasks t ON t.id = a.task_id WHERE a.plan_id = $1 AND a.unit_id = $2 \
             AND (t.deadline_kind = 'ongoing' OR (t.deadline_kind <> 'recurring' AND a.due IS NULL AND (t.deadline_kind <> 'conditional' OR t.triggered_on IS NOT NULL))) AND a.status NOT IN ('done', 'cancelled') ORDER BY a.id",
        ).bind(app.plan).bind(tu_phap).scalars(db).await.unwrap();
        assert!(standing.len() >= 3, "[{label}] a unit with three standing duties in 615: {}", standing.len());
        // Q4/2025: one reported in November, one only in January, the rest not at all.
        add_progress_report(db, standing[0], None, None, "Đã thực hiện", &[], Utc.with_ymd_and_hms(2025, 11, 15, 2, 0, 0).unwrap()).await.unwrap();
        add_progress_report(db, standing[1], None, None, "Báo cáo muộn", &[], Utc.with_ymd_and_hms(2026, 1, 5, 2, 0, 0).unwrap()).await.unwrap();
        // Before the quarter began (28/9/2025, Q3): counts for Q3, not for Q4.
        add_progress_report(db, standing[2], None, None, "Quý III", &[], Utc.with_ymd_and_hms(2025, 9, 28, 2, 0, 0).unwrap()).await.unwrap();

        let monitor = tinhgon_store::accounts::credentials(db, "sonoivu").await.unwrap().unwrap().user;
        let groups = tinhgon_app::duties::last_period(db, &monitor, Some(app.province), None, day(2026, 1, 10)).await.unwrap();
        let g = groups.iter().find(|g| g.kind == DutyKind::Standing && g.period == tinhgon_domain::Period::Quarterly).expect("standing, quarterly");
        assert_eq!(g.window, (day(2025, 10, 1), day(2025, 12, 31)), "[{label}]");
        let u = g.units.iter().find(|u| u.unit_id == tu_phap).expect("the unit");
        assert_eq!((u.judged, u.on_time, u.late, u.missed()), (standing.len() as u64, 1, 1, standing.len() as u64 - 2), "[{label}]");
        // A later day judges the next quarter: nobody reported in Q1/2026 but the late one.
        let groups = tinhgon_app::duties::last_period(db, &monitor, Some(app.province), None, day(2026, 4, 2)).await.unwrap();
        let g = groups.iter().find(|g| g.kind == DutyKind::Standing).unwrap();
        let u = g.units.iter().find(|u| u.unit_id == tu_phap).unwrap();
        assert_eq!((u.on_time, u.late), (1, 0), "[{label}] the January report keeps Q1/2026");

        // In the quarter the plan was published, the running quarter is counted so far.
        let groups = tinhgon_app::duties::last_period(db, &monitor, Some(app.province), None, day(2025, 8, 15)).await.unwrap();
        let g = groups.iter().find(|g| g.kind == DutyKind::Standing).unwrap();
        assert!(g.current, "[{label}]");
        assert_eq!(g.window, (day(2025, 7, 1), day(2025, 9, 30)), "[{label}]");
        assert!(g.units.iter().all(|u| u.late == 0 && u.on_time == 0), "[{label}] the September report is after 15/8");

        // The page, the dashboard's note, the assignment's periods; an agency is refused.
        let mut m = signed_in(&app, "sonoivu").await;
        let page = m.get("/duties?as_of=10/01/2026").await;
        assert_eq!(page.status, StatusCode::OK, "[{label}] {}", page.body);
        assert!(page.body.contains("Quý IV/2025 (01/10/2025 – 31/12/2025)"), "[{label}]");
        assert!(page.body.contains("Nhiệm vụ thường xuyên (đánh giá theo kỳ báo cáo hằng quý)"), "[{label}]");
        let dash = m.get("/dashboard").await;
        assert!(dash.body.contains("id=\"standing-note\""), "[{label}]");
        assert!(dash.body.contains("href=\"/duties?as_of="), "[{label}]");
        let a = m.get(&format!("/assignments/{}", standing[1])).await;
        assert!(a.body.contains("Thực hiện theo từng kỳ (hằng quý)"), "[{label}]");
        let q4 = a.body.find("Quý IV/2025").expect("Q4/2025 listed");
        assert!(a.body[q4..].starts_with("Quý IV/2025</td>") && a.body[q4..q4 + 300].contains("Thực hiện muộn (kỳ sau)"), "[{label}] {}", &a.body[q4..q4 + 300]);
        assert_eq!(m.get("/duties?as_of=31/02/2026").await.status, StatusCode::BAD_REQUEST, "[{label}]");
        let mut o = signed_in(&app, "sotuphap").await;
        assert_eq!(o.get("/duties").await.status, StatusCode::FORBIDDEN, "[{label}]");
    }
}
