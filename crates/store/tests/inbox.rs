//! The paged inbox (`tinhgon_store::inbox`) on both databases: for units with more rows than
//! a page, on a past day and today, the rows, their classes and the counts equal what the
//! domain's `classify` gives over the stored facts (unit = the one responsible that day);
//! the filters combine; paging covers every row exactly once in the stable order.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Duration, NaiveDate, Utc};
use common::{d, import_nghe_an, noon, plan, publish, task, unit_named};
use tinhgon_domain::class::StatusClass;
use tinhgon_domain::event::EventKind;
use tinhgon_domain::model::Id;
use tinhgon_domain::register::SuccessorChoices;
use tinhgon_domain::user::Role;
use tinhgon_domain::{classify, Action, DeadlineKind, TaskDraft};
use tinhgon_store::inbox::{self, InboxFilter, Paging};
use tinhgon_store::status::{self, NewStatusChange, Scope};
use tinhgon_store::{records, register, Db};

/// The day the reroute (Sở Ngoại vụ dissolved into Sở Tư pháp) takes effect.
fn moved_on() -> NaiveDate {
    d(2025, 11, 1)
}

/// Today in Vietnam, as the web passes it.
fn today() -> NaiveDate {
    (Utc::now() + Duration::hours(7)).date_naive()
}

/// Task `i` of a plan: deadlines of every kind, due dates spread over a year, some equal.
fn varied_task(prefix: &str, i: usize, lead: &str) -> TaskDraft {
    let reference = format!("{prefix}{i}");
    match i % 9 {
        0 => task(&reference, &[lead], &[], DeadlineKind::Ongoing, None),
        1 => task(&reference, &[lead], &[], DeadlineKind::Conditional, None),
        _ => {
            let due = d(2025, 8, 10) + Duration::days(((i * 37) % 400) as i64);
            task(&reference, &[lead], &[], DeadlineKind::By, Some(due))
        }
    }
}

/// Publishes a plan of `n` varied tasks led by `lead`; returns (plan, assignment ids in task order).
async fn varied_plan(
    db: &Db,
    province: Id,
    number: &str,
    n: usize,
    lead: &str,
) -> anyhow::Result<(Id, Vec<(Id, Id)>)> {
    let tasks = (0..n).map(|i| varied_task(number, i, lead)).collect();
    let draft = plan(number, d(2025, 8, 1), tasks);
    let id = publish(
        db,
        province,
        &draft,
        &format!("hash {number}"),
        noon(d(2025, 8, 1)),
    )
    .await?;
    let rows: Vec<(i64, i64)> = {
        tinhgon_store::tx::query("SELECT a.id, a.task_id FROM assignments a JOIN tasks t ON t.id = a.task_id WHERE a.plan_id = $1 ORDER BY t.position, a.id")
            .bind(id)
            .fetch_all(db)
            .await?
    };
    Ok((id, rows))
}

fn change(id: Id, action: Action, role: Role, day: NaiveDate) -> NewStatusChange {
    NewStatusChange {
        assignment_id: id,
        action,
        role,
        actor: None,
        note: None,
        at: noon(day),
    }
}

/// Starts, completes (on time and late) and cancels a share of the assignments.
fn history(ids: &[(Id, Id)]) -> Vec<NewStatusChange> {
    let mut out = Vec::new();
    for (k, (id, _)) in ids.iter().enumerate() {
        let officer = Role::AgencyOfficer;
        match k % 6 {
            1 => out.push(change(*id, Action::Start, officer, d(2025, 8, 20))),
            2 => {
                out.push(change(*id, Action::Start, officer, d(2025, 8, 20)));
                out.push(change(
                    *id,
                    Action::ProposeCompletion,
                    officer,
                    d(2025, 9, 1),
                ));
                out.push(change(*id, Action::Confirm, Role::Monitor, d(2025, 9, 3)));
            }
            3 => {
                out.push(change(*id, Action::Start, officer, d(2025, 9, 1)));
                out.push(change(
                    *id,
                    Action::ProposeCompletion,
                    officer,
                    d(2026, 2, 1),
                ));
                out.push(change(*id, Action::Confirm, Role::Monitor, d(2026, 2, 3)));
            }
            5 if k % 4 == 1 => out.push(change(*id, Action::Cancel, Role::Monitor, d(2025, 10, 1))),
            _ => {}
        }
    }
    out
}

/// The inbox by the domain rule: (id, class) of every assignment of `plans` counted on `day`
/// for `unit` (the unit responsible that day), in the inbox order (due, undated last, id).
async fn expected(
    db: &Db,
    plans: &[Id],
    unit: Id,
    day: NaiveDate,
    unit_on: &dyn Fn(Id, Id, NaiveDate) -> Id,
) -> anyhow::Result<Vec<(Id, StatusClass, Option<NaiveDate>, Id)>> {
    let mut out = Vec::new();
    for plan_id in plans {
        let dues: BTreeMap<Id, Option<NaiveDate>> = {
            tinhgon_store::tx::query("SELECT id, due FROM assignments WHERE plan_id = $1")
                .bind(*plan_id)
                .fetch_all::<(i64, Option<NaiveDate>)>(db)
                .await?
        }
        .into_iter()
        .collect();
        for (id, (current, facts)) in status::assignment_facts(db, Scope::Plan(*plan_id)).await? {
            if let Some(class) = classify(&facts, day) {
                if unit_on(id, current, day) == unit {
                    out.push((id, class, dues.get(&id).copied().flatten(), *plan_id));
                }
            }
        }
    }
    out.sort_by_key(|(id, _, due, _)| (due.is_none(), *due, *id));
    Ok(out)
}

/// Every page of the inbox, concatenated, checking each page's size and total.
async fn all_pages(
    db: &Db,
    unit: Id,
    day: NaiveDate,
    filter: &InboxFilter,
    per_page: u32,
) -> anyhow::Result<(Vec<(Id, StatusClass)>, BTreeMap<StatusClass, u64>, u64)> {
    let mut rows = Vec::new();
    let mut page = 1;
    let first = inbox::inbox_page(db, unit, day, filter, Paging { page, per_page }).await?;
    let (counts, total) = (first.counts.clone(), first.total);
    let mut current = first;
    loop {
        anyhow::ensure!(
            current.total == total && current.counts == counts,
            "page {page}: totals stable"
        );
        let expect = (total.saturating_sub(u64::from(page - 1) * u64::from(per_page)))
            .min(u64::from(per_page));
        anyhow::ensure!(
            current.lines.len() as u64 == expect,
            "page {page} holds {} rows, expected {expect}",
            current.lines.len()
        );
        rows.extend(current.lines.iter().map(|l| (l.work.id, l.class)));
        if current.lines.is_empty() {
            break;
        }
        page += 1;
        current = inbox::inbox_page(db, unit, day, filter, Paging { page, per_page }).await?;
    }
    Ok((rows, counts, total))
}

fn tally(rows: &[(Id, StatusClass, Option<NaiveDate>, Id)]) -> BTreeMap<StatusClass, u64> {
    let mut out = BTreeMap::new();
    for (_, c, _, _) in rows {
        *out.entry(*c).or_insert(0) += 1;
    }
    out
}

async fn check_unit(
    db: &Db,
    plans: &[Id],
    unit: Id,
    day: NaiveDate,
    unit_on: &dyn Fn(Id, Id, NaiveDate) -> Id,
    min_rows: usize,
) -> anyhow::Result<()> {
    let all = expected(db, plans, unit, day, unit_on).await?;
    anyhow::ensure!(
        all.len() >= min_rows,
        "unit {unit} on {day}: {} rows, test wants ≥ {min_rows}",
        all.len()
    );
    let due_cut = d(2025, 12, 15);
    let mut filters = vec![InboxFilter::default()];
    for class in StatusClass::ALL {
        filters.push(InboxFilter {
            class: Some(class),
            ..Default::default()
        });
        filters.push(InboxFilter {
            class: Some(class),
            due_before: Some(due_cut),
            plan: Some(plans[0]),
        });
    }
    for plan_id in plans {
        filters.push(InboxFilter {
            plan: Some(*plan_id),
            ..Default::default()
        });
    }
    filters.push(InboxFilter {
        due_before: Some(due_cut),
        ..Default::default()
    });
    filters.push(InboxFilter {
        due_before: Some(due_cut),
        plan: Some(plans[0]),
        ..Default::default()
    });
    filters.push(InboxFilter {
        class: Some(StatusClass::Overdue),
        due_before: Some(due_cut),
        ..Default::default()
    });
    for filter in &filters {
        let keep = |r: &&(Id, StatusClass, Option<NaiveDate>, Id)| {
            filter.plan.is_none_or(|p| p == r.3)
                && filter
                    .due_before
                    .is_none_or(|cut| r.2.is_some_and(|due| due <= cut))
        };
        let within: Vec<_> = all.iter().filter(keep).cloned().collect();
        let want: Vec<(Id, StatusClass)> = within
            .iter()
            .filter(|r| filter.class.is_none_or(|c| c == r.1))
            .map(|r| (r.0, r.1))
            .collect();
        for per_page in [50, 7] {
            let (rows, counts, total) = all_pages(db, unit, day, filter, per_page).await?;
            anyhow::ensure!(
                rows == want,
                "unit {unit} on {day}, {filter:?}, {per_page}/page:\n got {rows:?}\nwant {want:?}"
            );
            let ids: BTreeSet<Id> = rows.iter().map(|r| r.0).collect();
            anyhow::ensure!(ids.len() == rows.len(), "every row exactly once");
            anyhow::ensure!(
                total == want.len() as u64,
                "total {total} != {}",
                want.len()
            );
            anyhow::ensure!(
                counts == tally(&within),
                "counts {counts:?} != domain {:?} ({filter:?})",
                tally(&within)
            );
        }
    }
    Ok(())
}

tinhgon_testkit::both_databases! {
    async fn inbox_pages_and_counts_follow_the_domain_rule_on_any_day(t) -> anyhow::Result<()> {
        let db = Db::connect(&t.url).await?;
        let p = import_nghe_an(&db).await?;
        let (plan_a, ids_a) = varied_plan(&db, p, "21/KH-UBND", 95, "Sở Tư pháp").await?;
        let (plan_b, ids_b) = varied_plan(&db, p, "22/KH-UBND", 30, "Sở Tư pháp").await?;
        let (plan_c, ids_c) = varied_plan(&db, p, "23/KH-UBND", 60, "Sở Ngoại vụ").await?;
        let mut changes = history(&ids_a);
        changes.extend(history(&ids_b));
        changes.extend(history(&ids_c));
        status::record_status_changes(&db, &changes).await?;
        // Conditional tasks: one triggered, the others still waiting.
        status::system::trigger_condition(&db, ids_a[1].1, d(2025, 9, 15), noon(d(2025, 9, 16)))
            .await?;
        // Progress: the latest report's percent is what a row shows.
        for (k, (id, _)) in ids_a.iter().enumerate().take(12) {
            records::system::add_progress_report(
                &db,
                *id,
                None,
                Some(10),
                "bước đầu",
                &[],
                noon(d(2025, 8, 25)),
            )
            .await?;
            records::system::add_progress_report(
                &db,
                *id,
                None,
                Some(40 + k as i64),
                "tiếp",
                &[],
                noon(d(2025, 9, 25)),
            )
            .await?;
        }

        let tu_phap = unit_named(&db, p, "Sở Tư pháp", d(2025, 8, 1)).await?;
        let ngoai_vu = unit_named(&db, p, "Sở Ngoại vụ", d(2025, 8, 1)).await?;
        let event = register::record_event(
            &db,
            &register::NewEvent {
                kind: EventKind::Dissolve,
                predecessors: vec![ngoai_vu],
                successors: vec![tu_phap],
                decision: Some("10/NQ-HĐND".into()),
                effective: moved_on(),
            },
            noon(d(2025, 10, 20)),
        )
        .await?;
        let moved: BTreeSet<Id> = register::apply_event(
            &db,
            event,
            &SuccessorChoices::default(),
            None,
            noon(moved_on()),
        )
        .await?
        .into_iter()
        .map(|r| r.assignment_id)
        .collect();
        anyhow::ensure!(
            moved.len() > 10,
            "open assignments of Sở Ngoại vụ move: {}",
            moved.len()
        );
        let unit_on = |id: Id, current: Id, day: NaiveDate| {
            if moved.contains(&id) && day < moved_on() {
                ngoai_vu
            } else {
                current
            }
        };

        let plans = [plan_a, plan_b, plan_c];
        for day in [d(2025, 10, 15), d(2026, 1, 10), today()] {
            check_unit(&db, &plans, tu_phap, day, &unit_on, 100).await?;
        }
        // Before the move Sở Ngoại vụ's inbox holds the assignments that left it since.
        check_unit(&db, &plans, ngoai_vu, d(2025, 10, 15), &unit_on, 51).await?;
        check_unit(&db, &plans, ngoai_vu, today(), &unit_on, 1).await?;
        // Before publication nothing is counted.
        let empty = inbox::inbox_page(
            &db,
            tu_phap,
            d(2025, 7, 1),
            &InboxFilter::default(),
            Paging::default(),
        )
        .await?;
        anyhow::ensure!(
            empty.total == 0 && empty.lines.is_empty() && empty.counts.is_empty(),
            "{empty:?}"
        );

        // The page's rows carry the latest progress percent and the plan number.
        let page = inbox::inbox_page(
            &db,
            tu_phap,
            today(),
            &InboxFilter {
                plan: Some(plan_a),
                ..Default::default()
            },
            Paging {
                page: 1,
                per_page: 200,
            },
        )
        .await?;
        for (k, (id, _)) in ids_a.iter().enumerate().take(12) {
            if let Some(line) = page.lines.iter().find(|l| l.work.id == *id) {
                anyhow::ensure!(
                    line.work.percent == Some(40 + k as i64),
                    "latest percent of {id}: {:?}",
                    line.work.percent
                );
                anyhow::ensure!(
                    line.work.plan_number.as_deref() == Some("21/KH-UBND"),
                    "plan number"
                );
            }
        }
        // A page beyond the end is empty but keeps the totals.
        let beyond = inbox::inbox_page(
            &db,
            tu_phap,
            today(),
            &InboxFilter::default(),
            Paging {
                page: 1000,
                per_page: 50,
            },
        )
        .await?;
        anyhow::ensure!(
            beyond.lines.is_empty() && beyond.total >= 100,
            "beyond: {} rows, total {}",
            beyond.lines.len(),
            beyond.total
        );

        // The plan filter offers the unit's plans, most recent first, capped.
        let (plans_listed, n) = inbox::unit_plans(&db, tu_phap, 10, None).await?;
        anyhow::ensure!(
            n == 3
                && plans_listed.iter().map(|p| p.0).collect::<Vec<_>>()
                    == vec![plan_c, plan_b, plan_a],
            "{plans_listed:?} of {n}"
        );
        let (capped, n) = inbox::unit_plans(&db, tu_phap, 1, Some(plan_a)).await?;
        anyhow::ensure!(
            n == 3 && capped.iter().map(|p| p.0).collect::<Vec<_>>() == vec![plan_c, plan_a],
            "chosen plan kept: {capped:?}"
        );
        Ok(())
    }
}

tinhgon_testkit::both_databases! {
    async fn coordinated_tasks_come_in_pages(t) -> anyhow::Result<()> {
        let db = Db::connect(&t.url).await?;
        let p = import_nghe_an(&db).await?;
        let tasks = (0..45)
            .map(|i| {
                task(
                    &format!("{i}"),
                    &["Sở Y tế"],
                    &["Sở Tư pháp"],
                    DeadlineKind::By,
                    Some(d(2025, 12, 31)),
                )
            })
            .collect();
        let plan_id = publish(
            &db,
            p,
            &plan("31/KH-UBND", d(2025, 8, 1), tasks),
            "hash 31",
            noon(d(2025, 8, 1)),
        )
        .await?;
        let tu_phap = unit_named(&db, p, "Sở Tư pháp", d(2025, 8, 1)).await?;
        let mut seen = Vec::new();
        for page in 1..=4 {
            let (rows, total) =
                inbox::coordinated_page(&db, tu_phap, Paging { page, per_page: 20 }).await?;
            anyhow::ensure!(total == 45, "total {total}");
            anyhow::ensure!(rows.iter().all(|r| r.plan_id == plan_id), "plan");
            seen.extend(rows.into_iter().map(|r| r.task_ref));
        }
        let want: Vec<String> = (0..45).map(|i| i.to_string()).collect();
        anyhow::ensure!(
            seen == want,
            "every coordinated task once, in task order: {seen:?}"
        );
        Ok(())
    }
}
