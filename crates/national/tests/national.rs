//! The national generator at small scale on both databases: row counts, referential
//! consistency, histories that match the assignments, class intervals that agree with the
//! store's counting and with the domain's classification, ingest, determinism.

use chrono::NaiveDate;
use tinhgon_domain::classify;
use tinhgon_domain::model::{Role, Status, StatusClass};
use tinhgon_domain::workflow::Action;
use tinhgon_store::national::{self, queries, GenOptions, TABLES};
use tinhgon_store::status::{self, Scope};
use tinhgon_store::{with_pool, Db, StoreError};

const SCALE: f64 = 0.004;

async fn scalar(db: &Db, sql: &str) -> i64 {
    let v: i64 = with_pool!(db, pool => sqlx::query_scalar(sql).fetch_one(pool).await.unwrap_or_else(|e| panic!("{sql}: {e}")));
    v
}

fn days() -> Vec<NaiveDate> {
    [(2025, 6, 30), (2026, 3, 31), (2026, 11, 22)]
        .iter()
        .filter_map(|(y, m, d)| NaiveDate::from_ymd_opt(*y, *m, *d))
        .collect()
}

async fn check(label: &str, db: &Db) {
    let summary = national::generate(
        db,
        GenOptions {
            seed: 7,
            scale: SCALE,
        },
        |_, _| {},
    )
    .await
    .unwrap_or_else(|e| panic!("{label}: {e}"));
    for (t, n) in TABLES.iter().zip(summary.rows) {
        let stored = scalar(db, &format!("SELECT COUNT(*) FROM {}", t.name())).await;
        assert_eq!(stored as u64, n, "{label}: {}", t.name());
        assert!(n > 0, "{label}: {} is empty", t.name());
    }
    assert_eq!(
        scalar(db, "SELECT COUNT(*) FROM units WHERE kind = 'province'").await,
        34
    );
    assert_eq!(
        scalar(db, "SELECT COUNT(*) FROM units WHERE kind = 'department'").await,
        34 * 14
    );
    assert_eq!(scalar(db, "SELECT COUNT(*) FROM plans").await, 200);

    // Referential consistency (the load does not check foreign keys row by row).
    for sql in [
        "SELECT COUNT(*) FROM units u WHERE u.parent_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM units p WHERE p.id = u.parent_id)",
        "SELECT COUNT(*) FROM tasks t WHERE NOT EXISTS (SELECT 1 FROM plans p WHERE p.id = t.plan_id)",
        "SELECT COUNT(*) FROM assignments a WHERE NOT EXISTS (SELECT 1 FROM tasks t WHERE t.id = a.task_id AND t.plan_id = a.plan_id)",
        "SELECT COUNT(*) FROM assignments a WHERE NOT EXISTS (SELECT 1 FROM units u WHERE u.id = a.unit_id AND u.province_id = a.province_id)",
        "SELECT COUNT(*) FROM assignments a JOIN plans p ON p.id = a.plan_id WHERE p.province_id <> a.province_id",
        "SELECT COUNT(*) FROM status_changes s WHERE NOT EXISTS (SELECT 1 FROM assignments a WHERE a.id = s.assignment_id AND a.unit_id = s.unit_id)",
        "SELECT COUNT(*) FROM progress_reports r WHERE NOT EXISTS (SELECT 1 FROM assignments a WHERE a.id = r.assignment_id)",
        "SELECT COUNT(*) FROM assignment_class_intervals i WHERE NOT EXISTS (SELECT 1 FROM assignments a WHERE a.id = i.assignment_id AND a.unit_id = i.unit_id)",
        // Every assignment starts with its publication row at its creation time …
        "SELECT COUNT(*) FROM assignments a WHERE NOT EXISTS (SELECT 1 FROM status_changes s WHERE s.assignment_id = a.id \
         AND s.from_status IS NULL AND s.to_status = 'not_started' AND s.at = a.created_at)",
        // … and its current status is the last change's.
        "SELECT COUNT(*) FROM assignments a WHERE a.status <> (SELECT s.to_status FROM status_changes s \
         WHERE s.assignment_id = a.id ORDER BY s.at DESC, s.id DESC LIMIT 1)",
        "SELECT COUNT(*) FROM assignments WHERE (status = 'done') <> (done_on IS NOT NULL)",
    ] {
        assert_eq!(scalar(db, sql).await, 0, "{label}: {sql}");
    }
    assert!(
        scalar(
            db,
            "SELECT COUNT(*) FROM status_changes WHERE to_status = 'done'"
        )
        .await
            > 0
    );
    assert!(
        scalar(
            db,
            "SELECT COUNT(*) FROM status_changes WHERE to_status = 'returned'"
        )
        .await
            > 0
    );

    // The interval counts agree with the store's SQL counting on every province and day,
    // and with the domain's classification of each assignment.
    let now = national::now();
    let provinces: Vec<i64> = with_pool!(db, pool => sqlx::query_scalar("SELECT id FROM units WHERE kind = 'province' ORDER BY id").fetch_all(pool).await.unwrap_or_default());
    for day in days() {
        for &p in &provinces {
            let ours = queries::class_counts(db, p, day)
                .await
                .unwrap_or_else(|e| panic!("{e}"));
            let theirs = status::status_counts(db, Scope::Province(p), day, now)
                .await
                .unwrap_or_else(|e| panic!("{e}"));
            let theirs: Vec<(StatusClass, i64)> = theirs
                .by_class
                .iter()
                .filter(|(_, n)| **n > 0)
                .map(|(c, n)| (*c, *n as i64))
                .collect();
            let mut ours_sorted = ours.clone();
            ours_sorted.sort_by_key(|(c, _)| c.as_str());
            let mut theirs_sorted = theirs;
            theirs_sorted.sort_by_key(|(c, _)| c.as_str());
            assert_eq!(ours_sorted, theirs_sorted, "{label}: province {p} on {day}");
        }
        let p = provinces[0];
        let facts = status::assignment_facts(db, Scope::Province(p))
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let mut domain: std::collections::BTreeMap<StatusClass, i64> = Default::default();
        for (_, f) in facts.values() {
            if let Some(c) = classify(f, day) {
                *domain.entry(c).or_default() += 1;
            }
        }
        let ours: std::collections::BTreeMap<StatusClass, i64> = queries::class_counts(db, p, day)
            .await
            .unwrap_or_default()
            .into_iter()
            .collect();
        assert_eq!(ours, domain, "{label}: domain classification on {day}");
    }

    // Overdue list and history read back what was generated.
    let unit: i64 = scalar(db, "SELECT unit_id FROM assignment_class_intervals WHERE class = 'overdue' AND to_day > '2026-11-22' AND from_day <= '2026-11-22' ORDER BY unit_id LIMIT 1").await;
    let today = national::today();
    let list = queries::overdue_list(db, unit, today, 1000)
        .await
        .unwrap_or_default();
    let store_list = status::overdue_list(db, Scope::Unit(unit), today, now)
        .await
        .unwrap_or_default();
    let ids: Vec<i64> = list.iter().map(|i| i.assignment_id).collect();
    let store_ids: Vec<i64> = store_list.iter().map(|i| i.id).collect();
    assert_eq!(ids, store_ids, "{label}: overdue list");
    let h = queries::assignment_with_history(db, ids[0])
        .await
        .ok()
        .flatten();
    let h = h.unwrap_or_else(|| panic!("{label}: history"));
    assert_eq!(
        h.changes.first().map(|c| c.to_status.as_str()),
        Some("not_started")
    );
    assert_eq!(
        h.changes.last().map(|c| c.to_status.clone()),
        Some(h.status.clone())
    );

    // Ingest keeps the intervals in step with the counting; a refused change rolls the batch back.
    let open: Vec<i64> = with_pool!(db, pool => sqlx::query_scalar("SELECT id FROM assignments WHERE status = 'in_progress' ORDER BY id LIMIT 3").fetch_all(pool).await.unwrap_or_default());
    let req = |id: i64, action: Action, role: Role, k: i64| status::NewStatusChange {
        assignment_id: id,
        action,
        role,
        actor: None,
        at: now + chrono::Duration::minutes(k),
        note: None,
    };
    let statuses = status::record_status_changes(
        db,
        &[
            req(open[0], Action::ProposeCompletion, Role::AgencyOfficer, 1),
            req(open[0], Action::Confirm, Role::Monitor, 2),
        ],
    )
    .await
    .unwrap_or_else(|e| panic!("{label}: {e}"));
    assert_eq!(statuses, vec![Status::CompletionProposed, Status::Done]);
    let refused = status::record_status_changes(
        db,
        &[
            req(open[1], Action::ProposeCompletion, Role::AgencyOfficer, 1),
            req(open[2], Action::Confirm, Role::Monitor, 2),
        ],
    )
    .await;
    assert!(
        matches!(refused, Err(StoreError::Rejected(_))),
        "{label}: {refused:?}"
    );
    let st: String = with_pool!(db, pool => sqlx::query_scalar("SELECT status FROM assignments WHERE id = $1").bind(open[1]).fetch_one(pool).await.unwrap_or_default());
    assert_eq!(st, "in_progress", "{label}: batch rolled back");
    let p: i64 = scalar(
        db,
        &format!("SELECT province_id FROM assignments WHERE id = {}", open[0]),
    )
    .await;
    let later = today + chrono::Duration::days(1);
    let ours = queries::class_counts(db, p, later)
        .await
        .unwrap_or_default();
    let theirs = status::status_counts(db, Scope::Province(p), later, now)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    for (c, n) in ours {
        assert_eq!(
            theirs.by_class.get(&c).copied().unwrap_or(0) as i64,
            n,
            "{label}: {c:?} after ingest"
        );
    }

    // A second run into the same database is refused.
    let again = national::generate(
        db,
        GenOptions {
            seed: 7,
            scale: SCALE,
        },
        |_, _| {},
    )
    .await;
    assert!(matches!(again, Err(StoreError::Rejected(_))), "{label}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn small_country_is_consistent_on_both_databases() {
    for t in tinhgon_testkit::backends() {
        let db = Db::connect(&t.url)
            .await
            .unwrap_or_else(|e| panic!("{}: {e}", t.label));
        check(t.label, &db).await;
        db.close().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn same_seed_same_country() {
    let mut prints = Vec::new();
    for _ in 0..2 {
        let t = tinhgon_testkit::sqlite_db();
        let db = Db::connect(&t.url).await.unwrap_or_else(|e| panic!("{e}"));
        national::generate(
            &db,
            GenOptions {
                seed: 11,
                scale: 0.002,
            },
            |_, _| {},
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
        let print: (i64, i64, String, String, i64) = with_pool!(&db, pool => sqlx::query_as(
            "SELECT COUNT(*), SUM(assignment_id), MIN(at), MAX(at), SUM(LENGTH(to_status)) FROM status_changes",
        ).fetch_one(pool).await.unwrap_or_else(|e| panic!("{e}")));
        let statuses: Vec<(String, i64)> = with_pool!(&db, pool => sqlx::query_as(
            "SELECT status, COUNT(*) FROM assignments GROUP BY status ORDER BY status",
        ).fetch_all(pool).await.unwrap_or_default());
        prints.push((print, statuses));
        db.close().await;
    }
    assert_eq!(prints[0], prints[1]);
}
