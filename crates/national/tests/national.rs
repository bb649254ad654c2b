//! The national generator at small scale on both databases: row counts, referential
//! consistency, histories that match the assignments, class intervals that agree with the
//! domain's classification through the store's own queries, ingest, determinism.

use chrono::NaiveDate;
use tinhgon_domain::classify;
use tinhgon_domain::model::{Role, Status, StatusClass};
use tinhgon_domain::workflow::Action;
use tinhgon_national::{self as national, GenOptions, NationalError, TABLES};
use tinhgon_store::status::{self, Scope};
use tinhgon_store::tx::query;
use tinhgon_store::{Db, StoreError};
use tinhgon_testkit::TestDb;

const SCALE: f64 = 0.004;

async fn scalar(db: &Db, sql: &str) -> i64 {
    query(sql)
        .scalar(db)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

async fn ids(db: &Db, sql: &str) -> Vec<i64> {
    query(sql)
        .scalars(db)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

fn days() -> Vec<NaiveDate> {
    [(2025, 6, 30), (2026, 3, 31), (2026, 11, 22)]
        .iter()
        .filter_map(|(y, m, d)| NaiveDate::from_ymd_opt(*y, *m, *d))
        .collect()
}

/// The small country (seed 7) generated into the fresh database of `t`.
async fn country(t: &TestDb) -> (Db, national::GenSummary) {
    let db = Db::connect(&t.url)
        .await
        .unwrap_or_else(|e| panic!("{}: {e}", t.label));
    let summary = national::generate(
        &db,
        GenOptions {
            seed: 7,
            scale: SCALE,
        },
        |_, _| {},
    )
    .await
    .unwrap_or_else(|e| panic!("{}: {e}", t.label));
    (db, summary)
}

tinhgon_testkit::both_databases! {
    /// Every table holds the rows the summary reports, with the country's shape.
    async fn tables_hold_the_reported_rows(t) {
        let (db, summary) = country(&t).await;
        for (table, n) in TABLES.iter().zip(summary.rows) {
            let stored = scalar(&db, &format!("SELECT COUNT(*) FROM {}", table.name())).await;
            assert_eq!(stored as u64, n, "{}", table.name());
            assert!(n > 0, "{} is empty", table.name());
        }
        assert_eq!(scalar(&db, "SELECT COUNT(*) FROM units WHERE kind = 'province'").await, 34);
        assert_eq!(
            scalar(&db, "SELECT COUNT(*) FROM units WHERE kind = 'department'").await,
            34 * 14
        );
        assert_eq!(scalar(&db, "SELECT COUNT(*) FROM plans").await, 200);
        db.close().await;
    }

    /// The load checks no foreign key row by row, so every reference is checked here; each
    /// assignment starts with its publication and ends in its current status.
    async fn references_and_histories_are_consistent(t) {
        let (db, _) = country(&t).await;
        for sql in [
            "SELECT COUNT(*) FROM units u WHERE u.parent_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM units p WHERE p.id = u.parent_id)",
            "SELECT COUNT(*) FROM tasks t WHERE NOT EXISTS (SELECT 1 FROM plans p WHERE p.id = t.plan_id)",
            "SELECT COUNT(*) FROM assignments a WHERE NOT EXISTS (SELECT 1 FROM tasks t WHERE t.id = a.task_id AND t.plan_id = a.plan_id)",
            "SELECT COUNT(*) FROM assignments a WHERE NOT EXISTS (SELECT 1 FROM units u WHERE u.id = a.unit_id AND u.province_id = a.province_id)",
            "SELECT COUNT(*) FROM assignments a JOIN plans p ON p.id = a.plan_id WHERE p.province_id <> a.province_id",
            "SELECT COUNT(*) FROM status_changes s WHERE NOT EXISTS (SELECT 1 FROM assignments a WHERE a.id = s.assignment_id AND a.unit_id = s.unit_id)",
            "SELECT COUNT(*) FROM progress_reports r WHERE NOT EXISTS (SELECT 1 FROM assignments a WHERE a.id = r.assignment_id)",
            "SELECT COUNT(*) FROM assignment_class_intervals i WHERE NOT EXISTS (SELECT 1 FROM assignments a WHERE a.id = i.assignment_id AND a.unit_id = i.unit_id)",
            "SELECT COUNT(*) FROM assignments a WHERE NOT EXISTS (SELECT 1 FROM status_changes s WHERE s.assignment_id = a.id \
             AND s.from_status IS NULL AND s.to_status = 'not_started' AND s.at = a.created_at)",
            "SELECT COUNT(*) FROM assignments a WHERE a.status <> (SELECT s.to_status FROM status_changes s \
             WHERE s.assignment_id = a.id ORDER BY s.at DESC, s.id DESC LIMIT 1)",
            "SELECT COUNT(*) FROM assignments WHERE (status = 'done') <> (done_on IS NOT NULL)",
        ] {
            assert_eq!(scalar(&db, sql).await, 0, "{sql}");
        }
        assert!(scalar(&db, "SELECT COUNT(*) FROM status_changes WHERE to_status = 'done'").await > 0);
        assert!(scalar(&db, "SELECT COUNT(*) FROM status_changes WHERE to_status = 'returned'").await > 0);
        db.close().await;
    }

    /// The store's counts (read from the generated class intervals) equal the domain's
    /// classification of every assignment, in every province, today and on past days.
    async fn store_counts_match_the_domain_classification(t) {
        let (db, _) = country(&t).await;
        let now = national::now();
        let provinces = ids(&db, "SELECT id FROM units WHERE kind = 'province' ORDER BY id").await;
        for &p in &provinces {
            let facts = status::assignment_facts(&db, Scope::Province(p))
                .await
                .unwrap_or_else(|e| panic!("{e}"));
            for day in days() {
                let mut domain: std::collections::BTreeMap<StatusClass, u64> = Default::default();
                for (_, f) in facts.values() {
                    if let Some(c) = classify(f, day) {
                        *domain.entry(c).or_default() += 1;
                    }
                }
                let counts = status::status_counts(&db, Scope::Province(p), day, now)
                    .await
                    .unwrap_or_else(|e| panic!("{e}"));
                let store: std::collections::BTreeMap<StatusClass, u64> =
                    counts.by_class.into_iter().filter(|(_, n)| *n > 0).collect();
                assert_eq!(store, domain, "province {p} on {day}");
            }
        }
        db.close().await;
    }

    /// A unit's overdue list holds exactly its assignments the domain calls overdue today,
    /// and an assignment's history runs from its publication to its current status.
    async fn overdue_list_and_history_read_back_the_generated_work(t) {
        let (db, _) = country(&t).await;
        let (today, now) = (national::today(), national::now());
        let unit = scalar(&db, "SELECT unit_id FROM assignment_class_intervals WHERE class = 'overdue' \
            AND to_day > '2026-11-22' AND from_day <= '2026-11-22' ORDER BY unit_id LIMIT 1").await;
        let list = status::overdue_list(&db, Scope::Unit(unit), today, now)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let listed: Vec<i64> = list.iter().map(|i| i.id).collect();
        let facts = status::assignment_facts(&db, Scope::Unit(unit))
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let mut by_domain: Vec<i64> = facts
            .iter()
            .filter(|(_, (_, f))| classify(f, today) == Some(StatusClass::Overdue))
            .map(|(id, _)| *id)
            .collect();
        assert!(!listed.is_empty());
        let mut sorted = listed.clone();
        by_domain.sort_unstable();
        sorted.sort_unstable();
        assert_eq!(sorted, by_domain, "overdue list of unit {unit}");
        let h = status::assignment_with_history(&db, listed[0])
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(h.history.first().map(|c| c.to_status.as_str()), Some("not_started"));
        assert_eq!(h.history.last().map(|c| c.to_status.clone()), Some(h.item.status.clone()));
        db.close().await;
    }

    /// Ingest of status changes keeps the class intervals in step with the statuses.
    async fn ingest_keeps_the_counts_in_step(t) {
        let (db, _) = country(&t).await;
        let (today, now) = (national::today(), national::now());
        let open = ids(&db, "SELECT id FROM assignments WHERE status = 'in_progress' ORDER BY id LIMIT 1").await;
        let p = scalar(&db, &format!("SELECT province_id FROM assignments WHERE id = {}", open[0])).await;
        let later = today + chrono::Duration::days(1);
        let before = status::status_counts(&db, Scope::Province(p), later, now)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let statuses = status::record_status_changes(
            &db,
            &[
                change(open[0], Action::ProposeCompletion, Role::AgencyOfficer, 1),
                change(open[0], Action::Confirm, Role::Monitor, 2),
            ],
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(statuses, vec![Status::CompletionProposed, Status::Done]);
        let after = status::status_counts(&db, Scope::Province(p), later, now)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(after.total(), before.total(), "the assignment is counted once");
        let done = |c: &tinhgon_domain::tally::ClassCounts| {
            c.by_class.get(&StatusClass::DoneOnTime).copied().unwrap_or(0)
                + c.by_class.get(&StatusClass::DoneLate).copied().unwrap_or(0)
        };
        assert_eq!(done(&after), done(&before) + 1, "counted as done the day after");
        db.close().await;
    }

    /// A refused change rolls its whole batch back.
    async fn refused_change_rolls_the_batch_back(t) {
        let (db, _) = country(&t).await;
        let open = ids(&db, "SELECT id FROM assignments WHERE status = 'in_progress' ORDER BY id LIMIT 2").await;
        let refused = status::record_status_changes(
            &db,
            &[
                change(open[0], Action::ProposeCompletion, Role::AgencyOfficer, 1),
                change(open[1], Action::Confirm, Role::Monitor, 2),
            ],
        )
        .await;
        assert!(matches!(refused, Err(StoreError::Rejected(_))), "{refused:?}");
        let st: String = query("SELECT status FROM assignments WHERE id = $1")
            .bind(open[0])
            .scalar(&db)
            .await
            .unwrap_or_default();
        assert_eq!(st, "in_progress");
        db.close().await;
    }

    /// The generator only fills an empty database.
    async fn second_run_into_the_same_database_is_refused(t) {
        let (db, _) = country(&t).await;
        let again = national::generate(&db, GenOptions { seed: 7, scale: SCALE }, |_, _| {}).await;
        assert!(matches!(again, Err(NationalError::Rejected(_))), "{again:?}");
        db.close().await;
    }
}

fn change(id: i64, action: Action, role: Role, minutes: i64) -> status::NewStatusChange {
    status::NewStatusChange {
        assignment_id: id,
        action,
        role,
        actor: None,
        at: national::now() + chrono::Duration::minutes(minutes),
        note: None,
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
        let print: (i64, i64, String, String, i64) = query(
            "SELECT COUNT(*), SUM(assignment_id), MIN(at), MAX(at), SUM(LENGTH(to_status)) FROM status_changes",
        )
        .fetch_one(&db)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
        let statuses: Vec<(String, i64)> =
            query("SELECT status, COUNT(*) FROM assignments GROUP BY status ORDER BY status")
                .fetch_all(&db)
                .await
                .unwrap_or_default();
        prints.push((print, statuses));
        db.close().await;
    }
    assert_eq!(prints[0], prints[1]);
}
