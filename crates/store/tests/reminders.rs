//! The daily reminder job on both databases: exactly the expected reminders and notifications
//! for assignments due in 7 days, due tomorrow and overdue since today; nothing for done,
//! cancelled, standing or long-overdue ones; nothing more when run again or by two instances
//! at the same time.

mod common;

use std::collections::BTreeSet;

use chrono::NaiveDate;
use common::{act, count, d, import_nghe_an, noon, plan_of, unit_named};
use tinhgon_domain::user::Role;
use tinhgon_domain::{Action, DeadlineKind};
use tinhgon_store::accounts::{self, NewUser};
use tinhgon_store::{outbox, reminders, Db};

/// The job's summary rows, oldest first.
async fn job_rows(db: &Db) -> anyhow::Result<Vec<tinhgon_store::audit::AuditRow>> {
    let mut rows = tinhgon_store::audit::recent(db, 100).await?;
    rows.retain(|r| r.action == "reminders.daily");
    rows.reverse();
    Ok(rows)
}

/// The day the job runs in most tests.
fn today() -> NaiveDate {
    d(2025, 10, 10)
}

struct Fixture {
    /// Assignment id by task reference.
    by_ref: std::collections::BTreeMap<String, i64>,
    province: i64,
    tu_phap: i64,
    y_te: i64,
    officer: i64,
    officer_y_te: i64,
    monitor: i64,
}

async fn user(
    db: &Db,
    login: &str,
    role: Role,
    unit: Option<i64>,
    province: i64,
) -> anyhow::Result<i64> {
    Ok(accounts::system::create_user(
        db,
        &NewUser {
            login: login.into(),
            display_name: login.into(),
            password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".into(),
            role,
            unit_id: unit,
            province_id: Some(province),
        },
    )
    .await?)
}

/// A plan whose tasks cover every case around 10/10/2025, two officers and a monitor.
async fn fixture(db: &Db) -> anyhow::Result<Fixture> {
    let p = import_nghe_an(db).await?;
    let issued = d(2025, 9, 1);
    let published = plan_of("99/KH-UBND", issued)
        .due("1", "Sở Tư pháp", d(2025, 10, 17)) // due in 7 days
        .due("2", "Sở Tư pháp", d(2025, 10, 11)) // due tomorrow
        .due("3", "Sở Tư pháp", d(2025, 10, 9)) // overdue since today
        .due("4", "Sở Y tế", d(2025, 10, 9)) // overdue since today, other unit
        .due("5", "Sở Tư pháp", d(2025, 10, 9)) // done
        .due("6", "Sở Y tế", d(2025, 10, 5)) // overdue for days already
        .due("7", "Sở Tư pháp", d(2025, 10, 17)) // cancelled
        .due("8", "Sở Tư pháp", d(2025, 10, 16)) // due in 6 days
        .undated("9", "Sở Tư pháp", DeadlineKind::Ongoing)
        .publish(db, p)
        .await?;
    let by_ref: std::collections::BTreeMap<String, i64> = published
        .assignments
        .iter()
        .map(|a| (a.reference.clone(), a.id))
        .collect();
    anyhow::ensure!(by_ref.len() == 9, "one assignment per task: {by_ref:?}");
    let day = d(2025, 10, 8);
    act(db, by_ref["5"], Action::Start, Role::AgencyOfficer, day).await?;
    act(
        db,
        by_ref["5"],
        Action::ProposeCompletion,
        Role::AgencyOfficer,
        day,
    )
    .await?;
    act(db, by_ref["5"], Action::Confirm, Role::Monitor, day).await?;
    act(db, by_ref["7"], Action::Cancel, Role::Monitor, day).await?;
    let tu_phap = unit_named(db, p, "Sở Tư pháp", today()).await?;
    let y_te = unit_named(db, p, "Sở Y tế", today()).await?;
    let officer = user(db, "tuphap", Role::AgencyOfficer, Some(tu_phap), p).await?;
    outbox::set_email(db, officer, "vanthu@stp.nghean.gov.vn").await?;
    let officer_y_te = user(db, "yte", Role::AgencyOfficer, Some(y_te), p).await?;
    let monitor = user(db, "sonoivu", Role::Monitor, None, p).await?;
    Ok(Fixture {
        by_ref,
        province: p,
        tu_phap,
        y_te,
        officer,
        officer_y_te,
        monitor,
    })
}

/// Every reminder as (kind, assignment, unit, day).
async fn reminder_rows(db: &Db) -> anyhow::Result<BTreeSet<(String, Option<i64>, i64, NaiveDate)>> {
    let rows: Vec<(String, Option<i64>, i64, NaiveDate)> = {
        tinhgon_store::tx::query("SELECT kind, assignment_id, unit_id, for_date FROM reminders")
            .fetch_all(db)
            .await?
    };
    Ok(rows.into_iter().collect())
}

/// Every notification as (user, kind, link).
async fn notification_rows(db: &Db) -> anyhow::Result<Vec<(i64, String, Option<String>, String)>> {
    Ok(tinhgon_store::tx::query(
        "SELECT user_id, kind, link, text FROM notifications ORDER BY user_id, kind, id",
    )
    .fetch_all(db)
    .await?)
}

fn expected(f: &Fixture, day: NaiveDate) -> BTreeSet<(String, Option<i64>, i64, NaiveDate)> {
    let r = |kind: &str, t: &str, unit: i64| (kind.to_string(), Some(f.by_ref[t]), unit, day);
    [
        r("due_in_7", "1", f.tu_phap),
        r("due_in_1", "2", f.tu_phap),
        r("overdue", "3", f.tu_phap),
        r("overdue", "4", f.y_te),
        ("overdue".to_string(), None, f.province, day),
    ]
    .into_iter()
    .collect()
}

tinhgon_testkit::both_databases! {
    async fn daily_job_creates_exactly_the_expected_reminders_once(t) -> anyhow::Result<()> {
        let db = Db::connect(&t.url).await?;
        let f = fixture(&db).await?;
        let first = reminders::run_daily(&db, today(), noon(today())).await?;
        anyhow::ensure!(first.candidates == 4, "{first:?}");
        anyhow::ensure!(first.total_created() == 5, "{first:?}");
        anyhow::ensure!(first.created.get("overdue") == Some(&2), "{first:?}");
        anyhow::ensure!(first.created.get("overdue_digest") == Some(&1), "{first:?}");
        let rows = reminder_rows(&db).await?;
        anyhow::ensure!(rows == expected(&f, today()), "{rows:#?}");

        let notes = notification_rows(&db).await?;
        let of = |u: i64| notes.iter().filter(|n| n.0 == u).collect::<Vec<_>>();
        let kinds = |u: i64| of(u).iter().map(|n| n.1.as_str()).collect::<Vec<_>>();
        anyhow::ensure!(kinds(f.officer) == ["due_in_1", "due_in_7", "overdue"], "{notes:#?}");
        anyhow::ensure!(kinds(f.officer_y_te) == ["overdue"], "{notes:#?}");
        anyhow::ensure!(kinds(f.monitor) == ["overdue_digest"], "{notes:#?}");
        anyhow::ensure!(first.notifications == 5 && notes.len() == 5);
        let due7 = of(f.officer).into_iter().find(|n| n.1 == "due_in_7").cloned().unwrap_or_default();
        anyhow::ensure!(due7.2.as_deref() == Some(format!("/assignments/{}", f.by_ref["1"]).as_str()));
        anyhow::ensure!(
            due7.3 == "Nhiệm vụ 1 (Kế hoạch 99/KH-UBND): Nhiệm vụ 1 đến hạn ngày 17/10/2025 (còn 7 ngày).",
            "{}",
            due7.3
        );
        anyhow::ensure!(of(f.monitor)[0].3.starts_with("2 nhiệm vụ của tỉnh đã quá hạn"), "{notes:#?}");
        // Only the officer with an address gets e-mails: one per notification.
        anyhow::ensure!(count(&db, "mail_outbox").await? == 3);
        anyhow::ensure!(outbox::pending_count(&db).await? == 3);
        // One summary row by the system for the run.
        let runs = job_rows(&db).await?;
        anyhow::ensure!(runs.len() == 1, "{runs:?}");
        anyhow::ensure!(runs[0].actor_id.is_none() && runs[0].actor_login.as_deref() == Some("hệ thống"));
        let after: serde_json::Value = serde_json::from_str(runs[0].after_json.as_deref().unwrap_or("null"))?;
        anyhow::ensure!(
            after == serde_json::json!({
                "day": "2025-10-10", "candidates": 4, "created": 5, "notifications": 5,
                "by_kind": {"due_in_1": 1, "due_in_7": 1, "overdue": 2, "overdue_digest": 1},
            }),
            "{after}"
        );

        // Again the same day (a second instance later, a restart): nothing new.
        let again = reminders::run_daily(&db, today(), noon(today())).await?;
        anyhow::ensure!(again.candidates == 4 && again.total_created() == 0 && again.notifications == 0, "{again:?}");
        anyhow::ensure!(reminder_rows(&db).await? == expected(&f, today()));
        anyhow::ensure!(count(&db, "notifications").await? == 5);
        anyhow::ensure!(count(&db, "mail_outbox").await? == 3);
        anyhow::ensure!(job_rows(&db).await?.len() == 1, "a run that wrote nothing leaves no row");

        // The next days: task 2 (due 11/10) becomes overdue on 12/10, and nothing on 11/10.
        let d11 = reminders::run_daily(&db, d(2025, 10, 11), noon(d(2025, 10, 11))).await?;
        anyhow::ensure!(d11.total_created() == 0, "{d11:?}");
        let d12 = reminders::run_daily(&db, d(2025, 10, 12), noon(d(2025, 10, 12))).await?;
        anyhow::ensure!(d12.created.get("overdue") == Some(&1) && d12.total_created() == 2, "{d12:?}");
        let rows = reminder_rows(&db).await?;
        anyhow::ensure!(rows.contains(&("overdue".into(), Some(f.by_ref["2"]), f.tu_phap, d(2025, 10, 12))));
        anyhow::ensure!(rows.len() == 7, "{rows:#?}");
        anyhow::ensure!(job_rows(&db).await?.len() == 2, "10/10 and 12/10 wrote something");
        anyhow::ensure!(tinhgon_store::audit::verify(&db).await?.broken.is_none());
        Ok(())
    }
}

#[tokio::test]
async fn two_instances_running_at_once_create_each_reminder_once() {
    let tdb = tinhgon_testkit::postgres_db();
    let db = Db::connect(&tdb.url).await.expect("connect");
    let f = fixture(&db).await.expect("fixture");
    // Two separate pools, as two server processes would have.
    let other = Db::connect(&tdb.url).await.expect("connect");
    for round in 0..5 {
        let day = d(2025, 10, 10 + round);
        let (a, b) = tokio::join!(
            reminders::run_daily(&db, day, noon(day)),
            reminders::run_daily(&other, day, noon(day)),
        );
        let (a, b) = (a.expect("run a"), b.expect("run b"));
        assert_eq!(a.candidates, b.candidates, "day {day}");
        if round == 0 {
            assert_eq!(a.total_created() + b.total_created(), 5, "{a:?} {b:?}");
            assert_eq!(a.notifications + b.notifications, 5, "{a:?} {b:?}");
        }
    }
    let rows = reminder_rows(&db).await.expect("rows");
    let first_day: BTreeSet<_> = rows.iter().filter(|r| r.3 == today()).cloned().collect();
    assert_eq!(first_day, expected(&f, today()));
    // 10/10: 5; 11/10: none; 12/10: task 2 overdue + digest; 13/10, 14/10: none.
    assert_eq!(rows.len(), 7, "{rows:#?}");
    assert_eq!(count(&db, "notifications").await.expect("count"), 7);
    assert_eq!(count(&db, "mail_outbox").await.expect("count"), 4);
    // A summary row per run that created something (10/10 and 12/10: one or both instances
    // each day), one unbroken chain.
    let runs = job_rows(&db).await.expect("rows");
    let created: i64 = runs
        .iter()
        .filter_map(|r| serde_json::from_str::<serde_json::Value>(r.after_json.as_deref()?).ok())
        .filter_map(|v| v["created"].as_i64())
        .sum();
    assert_eq!(created, 7, "{runs:?}");
    assert_eq!(
        tinhgon_store::audit::verify(&db)
            .await
            .expect("verify")
            .broken,
        None
    );
    db.close().await;
    other.close().await;
}
