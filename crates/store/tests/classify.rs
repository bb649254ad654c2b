//! The SQL status classes (today-view and past-date view) agree with the domain's
//! `classify` over the same facts, for random plans, histories, extensions and triggers.

mod common;

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDate};
use common::{change_request, d, import_nghe_an, noon, plan_of, task, PlanBuilder};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use tinhgon_domain::class::StatusClass;
use tinhgon_domain::user::Role;
use tinhgon_domain::workflow::available_actions;
use tinhgon_domain::{classify, DeadlineKind, Status};
use tinhgon_store::status::{self, ChangeRequest, Scope};
use tinhgon_store::{records, Db};

const LEADS: [&str; 6] = [
    "Sở Tư pháp",
    "Sở Y tế",
    "Sở Tài chính",
    "Sở Xây dựng",
    "Sở Nội vụ",
    "Sở Công Thương",
];

async fn random_plan(db: &Db, province: i64, seed: u64) -> anyhow::Result<i64> {
    let mut rng = StdRng::seed_from_u64(seed);
    let start = d(2025, 8, 1);
    let tasks: Vec<_> = (0..60)
        .map(|i| {
            let kind = match rng.gen_range(0..10) {
                0 => DeadlineKind::Ongoing,
                1 => DeadlineKind::Recurring,
                2 | 3 => DeadlineKind::Conditional,
                4 => DeadlineKind::Unspecified,
                _ => DeadlineKind::By,
            };
            let due = (kind != DeadlineKind::Ongoing && rng.gen_bool(0.8))
                .then(|| start + Duration::days(rng.gen_range(5..150)));
            let due = if kind == DeadlineKind::Unspecified {
                None
            } else {
                due
            };
            let lead = LEADS[rng.gen_range(0..LEADS.len())];
            task(&format!("{i}"), &[lead], &[], kind, due)
        })
        .collect();
    let kinds: Vec<DeadlineKind> = tasks.iter().map(|t| t.deadline.kind).collect();
    let published = tasks
        .into_iter()
        .fold(
            plan_of(&format!("{seed}/KH-UBND"), start),
            PlanBuilder::task,
        )
        .publish(db, province)
        .await?;
    anyhow::ensure!(
        published.assignments.len() == kinds.len(),
        "one assignment per task"
    );
    for (a, kind) in published.assignments.iter().zip(kinds) {
        let (id, task_id) = (a.id, a.task_id);
        let mut day = start;
        if kind == DeadlineKind::Conditional && rng.gen_bool(0.6) {
            let on = start + Duration::days(rng.gen_range(1..200));
            status::system::trigger_condition(db, task_id, on, noon(on))
                .await
                .ok();
        }
        let mut current = Status::NotStarted;
        // Changes are made in time order, as a live system makes them.
        let mut last_at = noon(start);
        for _ in 0..rng.gen_range(0..10) {
            day += Duration::days(rng.gen_range(0..75));
            if day >= d(2026, 4, 1) {
                break;
            }
            if rng.gen_bool(0.15) {
                let ext = records::system::request_extension(
                    db,
                    id,
                    None,
                    day + Duration::days(rng.gen_range(0..120)),
                    "lý do",
                    noon(day),
                )
                .await?;
                records::system::decide_extension(
                    db,
                    ext,
                    rng.gen_bool(0.7),
                    None,
                    None,
                    noon(day) + Duration::hours(1),
                )
                .await?;
                continue;
            }
            let role = if rng.gen_bool(0.5) {
                Role::AgencyOfficer
            } else {
                Role::Monitor
            };
            let actions = available_actions(current, role);
            if actions.is_empty() {
                continue;
            }
            // Mostly forward (start, propose, confirm), sometimes a return or a cancellation.
            let forward = actions.iter().copied().find(|a| {
                matches!(
                    a,
                    tinhgon_domain::Action::Start
                        | tinhgon_domain::Action::ProposeCompletion
                        | tinhgon_domain::Action::Confirm
                )
            });
            let action = match forward {
                Some(a) if rng.gen_bool(0.8) => a,
                _ => actions[rng.gen_range(0..actions.len())],
            };
            let at = (noon(day) + Duration::minutes(rng.gen_range(0..600)))
                .max(last_at + Duration::minutes(1));
            last_at = at;
            let req = ChangeRequest {
                at,
                expected: Some(current),
                ..change_request(id, action, role, day)
            };
            current = status::system::change_status(db, &req).await?;
        }
    }
    Ok(published.id)
}

fn counts(c: &tinhgon_domain::tally::ClassCounts) -> BTreeMap<StatusClass, u64> {
    c.by_class
        .iter()
        .filter(|(_, n)| **n > 0)
        .map(|(k, n)| (*k, *n))
        .collect()
}

tinhgon_testkit::both_databases! {
    async fn sql_counts_equal_domain_classify_on_random_histories(t) -> anyhow::Result<()> {
        let db = Db::connect(&t.url).await?;
        let p = import_nghe_an(&db).await?;
        let now = noon(d(2026, 4, 1));
        let mut seen = std::collections::BTreeSet::new();
        for seed in [1u64, 2, 3] {
            let plan_id = random_plan(&db, p, seed).await?;
            let facts = status::assignment_facts(&db, Scope::Plan(plan_id)).await?;
            let days: Vec<NaiveDate> = vec![
                d(2025, 7, 31),
                d(2025, 8, 1),
                d(2025, 9, 15),
                d(2025, 11, 30),
                d(2026, 1, 10),
                d(2026, 3, 31),
                d(2026, 4, 1),
                d(2026, 9, 1),
            ];
            for as_of in days {
                let sql = status::status_counts(&db, Scope::Plan(plan_id), as_of, now).await?;
                let domain = tinhgon_domain::tally::ClassCounts::tally(
                    facts.values().map(|(_, f)| classify(f, as_of)),
                );
                seen.extend(counts(&sql).into_keys());
                anyhow::ensure!(
                    counts(&sql) == counts(&domain),
                    "seed {seed}, {as_of}: SQL {:?} vs domain {:?}",
                    counts(&sql),
                    counts(&domain)
                );
                let by_unit =
                    status::status_counts_by_unit(&db, Scope::Plan(plan_id), as_of, now).await?;
                let mut expected: BTreeMap<i64, BTreeMap<StatusClass, u64>> = BTreeMap::new();
                for (unit, f) in facts.values() {
                    if let Some(c) = classify(f, as_of) {
                        *expected.entry(*unit).or_default().entry(c).or_insert(0) += 1;
                    }
                }
                let got: BTreeMap<i64, BTreeMap<StatusClass, u64>> = by_unit
                    .iter()
                    .map(|(u, c)| (*u, counts(c)))
                    .filter(|(_, c)| !c.is_empty())
                    .collect();
                anyhow::ensure!(got == expected, "seed {seed}, {as_of}: by unit differs");
                let overdue = status::overdue_list(&db, Scope::Plan(plan_id), as_of, now).await?;
                let want = facts
                    .values()
                    .filter(|(_, f)| classify(f, as_of) == Some(StatusClass::Overdue))
                    .count();
                anyhow::ensure!(
                    overdue.len() == want,
                    "seed {seed}, {as_of}: overdue list {} vs {want}",
                    overdue.len()
                );
            }
        }
        // The random histories must exercise the classes, or the comparison proves little.
        anyhow::ensure!(
            seen.len() == StatusClass::ALL.len(),
            "classes seen: {seen:?}"
        );
        Ok(())
    }
}
