//! The leader's aggregated report of 615/KH-UBND (898 assignments) pages its task table:
//! 50 rows a page, every row on exactly one page in the report's order, the cut-off kept in
//! the pager links, `?all=1` for printing, and clear refusals of bad page numbers. SQLite and
//! PostgreSQL.

mod common;

use axum::http::StatusCode;
use chrono::NaiveDate;
use common::{app_on, signed_in};

/// The first cell (the task reference) of every row of the task table.
fn task_rows(body: &str) -> Vec<String> {
    let start = body.find("id=\"tasks\"").expect("bảng nhiệm vụ");
    let table = &body[start..];
    let table = &table[..table.find("</tbody>").expect("cuối bảng")];
    table
        .split("<tr><td>")
        .skip(1)
        .map(|r| r[..r.find("</td>").unwrap()].to_string())
        .collect()
}

async fn paging(tdb: tinhgon_testkit::TestDb) {
    let label = tdb.label;
    let app = app_on(tdb).await;
    let db = app.state.db.clone();
    let day = NaiveDate::from_ymd_opt(2025, 7, 28).unwrap();
    let at = day.and_hms_opt(2, 0, 0).unwrap().and_utc();
    tinhgon_demo::publish_unreviewed(&db, app.plan, None, day, at)
        .await
        .expect("ban hành 615");
    let plan = app.plan;
    let as_of = NaiveDate::from_ymd_opt(2025, 9, 15).unwrap();
    let period = tinhgon_app::report_periods(&db, plan, as_of).await.unwrap();
    let expected = tinhgon_app::aggregated_report(&db, plan, &period, tinhgon_web::view::today())
        .await
        .unwrap();
    let want: Vec<String> = expected.tasks.iter().map(|t| t.reference.clone()).collect();
    let total = want.len();
    assert!(total > 100, "[{label}] {total} dòng");
    let pages = total.div_ceil(50);

    let mut leader = signed_in(&app, "lanhdao").await;
    let base = format!("/plans/{plan}/report?as_of=15/09/2025");
    let first = leader.get(&base).await;
    assert_eq!(first.status, StatusCode::OK, "[{label}] {}", first.body);
    assert!(
        first.body.contains(&format!("({total})</h2>")),
        "tổng số dòng"
    );
    assert!(first.body.contains(&format!("Hiển thị 1–50 trên {total}")));
    assert!(first.body.contains(&format!(
        "href=\"/plans/{plan}/report?as_of=15/09/2025&amp;page=2#tasks\""
    )));
    assert!(first
        .body
        .contains(&format!("page={pages}#tasks\">{pages}</a>")));
    assert!(first.body.contains("id=\"show-all\""));
    // Every row on exactly one page, in the report's order.
    let mut seen = Vec::new();
    for p in 1..=pages {
        let r = leader.get(&format!("{base}&page={p}")).await;
        assert_eq!(r.status, StatusCode::OK);
        let rows = task_rows(&r.body);
        assert!(rows.len() <= 50 && !rows.is_empty(), "[{label}] trang {p}");
        if p > 1 {
            assert!(r.body.contains(&format!("page={}#tasks\">‹ Trước", p - 1)));
            // The cut-off stays in the links and in the figures.
            assert!(r.body.contains("id=\"cutoff\">15/09/2025<"));
        }
        seen.extend(rows);
    }
    assert_eq!(
        seen, want,
        "[{label}] các trang ghép lại đúng bằng danh mục"
    );
    // A page past the end shows the last one; every row for printing with ?all=1.
    let past = leader.get(&format!("{base}&page={}", pages + 5)).await;
    assert_eq!(past.status, StatusCode::OK);
    assert_eq!(task_rows(&past.body), want[(pages - 1) * 50..]);
    let all = leader.get(&format!("{base}&all=1")).await;
    assert_eq!(all.status, StatusCode::OK);
    assert_eq!(task_rows(&all.body), want);
    assert!(!all.body.contains("class=\"pager"));
    assert!(all
        .body
        .contains(&format!("Đang hiển thị toàn bộ {total} dòng")));
    // The other sections are whole on every page.
    assert_eq!(
        past.body.matches("<tr data-unit=").count(),
        expected.units.len()
    );
    for bad in ["page=0", "page=-1", "page=abc", "all=yes"] {
        let r = leader.get(&format!("{base}&{bad}")).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "[{label}] {bad}");
        assert!(r.body.contains("không hợp lệ"), "{}", r.body);
    }
}

tinhgon_testkit::both_databases! {
    async fn leader_report_pages_its_task_table(t) {
        paging(t).await;
    }
}
