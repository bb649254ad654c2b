//! The dashboard cache in the database never shows stale figures: after every write path
//! (publication, a status change, a batch of changes, extension decisions, a trigger, a
//! reroute, a cancellation) the cached dashboard of the province and of the plan, read
//! through a *second* pool (another instance), equals a fresh computation, which equals the
//! domain rule and the uncapped status queries; a read with nothing changed is a cache hit;
//! the overdue and due-soon lists are capped at 100 with exact totals.

mod common;

use std::collections::BTreeMap;

use chrono::NaiveDate;
use common::{d, import_nghe_an, noon, plan, publish, task, unit_named};
use tinhgon_domain::class::StatusClass;
use tinhgon_domain::event::EventKind;
use tinhgon_domain::model::Id;
use tinhgon_domain::register::SuccessorChoices;
use tinhgon_domain::user::Role;
use tinhgon_domain::{classify, Action, DeadlineKind};
use tinhgon_store::dash_cache::{self, LIST_CAP};
use tinhgon_store::register::{self, NewEvent};
use tinhgon_store::status::{self, ChangeRequest, NewStatusChange, Scope};
use tinhgon_store::{records, Db};

/// Days looked at after each step (past, around the deadlines, today-like, future).
const DAYS: [(i32, u32, u32); 6] = [
    (2025, 8, 1),
    (2025, 9, 25),
    (2025, 10, 1),
    (2025, 10, 15),
    (2025, 11, 2),
    (2026, 3, 1),
];

/// Checks the dashboards of `scopes` on every day of [`DAYS`] read through `reader` (the
/// instance that did NOT write): cache == fresh computation == domain / uncapped queries.
async fn check(reader: &Db, scopes: &[Scope], step: &str) -> anyhow::Result<()> {
    for &scope in scopes {
        for (y, m, dd) in DAYS {
            let day = d(y, m, dd);
            let at = format!("after {step}, {scope:?} on {day}");
            let cached = dash_cache::dashboard(reader, scope, day).await?;
            let fresh = dash_cache::compute(reader, scope, day).await?;
            anyhow::ensure!(
                cached.data == fresh,
                "{at}: cached {:?} != fresh {fresh:?}",
                cached.data
            );
            // The lines come with the read (stored in the row on a hit) and equal a fresh read.
            let mut ids = fresh.overdue.ids.clone();
            ids.extend(&fresh.due_soon.ids);
            anyhow::ensure!(
                cached.lines == dash_cache::items_by_id(reader, &ids).await?,
                "{at}: cached lines differ from the assignments"
            );
            // The same figures from the uncapped status queries and the domain rule.
            let by_unit = status::status_counts_by_unit(reader, scope, day, noon(day)).await?;
            anyhow::ensure!(
                fresh.by_unit == by_unit,
                "{at}: by unit {:?} != {by_unit:?}",
                fresh.by_unit
            );
            let domain = domain_counts(reader, scope, day).await?;
            let mine: BTreeMap<StatusClass, u64> = fresh
                .counts
                .by_class
                .iter()
                .filter(|(_, n)| **n > 0)
                .map(|(k, n)| (*k, *n))
                .collect();
            anyhow::ensure!(mine == domain, "{at}: counts {mine:?} != domain {domain:?}");
            let overdue: Vec<Id> = status::overdue_list(reader, scope, day, noon(day))
                .await?
                .iter()
                .map(|a| a.id)
                .collect();
            anyhow::ensure!(
                fresh.overdue.total == overdue.len() as u64,
                "{at}: overdue total"
            );
            anyhow::ensure!(
                fresh.overdue.ids == overdue.iter().take(LIST_CAP).copied().collect::<Vec<_>>(),
                "{at}: overdue lines"
            );
            let soon: Vec<Id> = status::due_soon(reader, scope, day, 7)
                .await?
                .iter()
                .map(|a| a.id)
                .collect();
            anyhow::ensure!(
                fresh.due_soon.total == soon.len() as u64,
                "{at}: due-soon total"
            );
            anyhow::ensure!(
                fresh.due_soon.ids == soon.iter().take(LIST_CAP).copied().collect::<Vec<_>>(),
                "{at}: due-soon lines"
            );
            // Nothing changed since: the next read of a province is a hit at the same
            // generation; a plan is computed afresh every time.
            let again = dash_cache::dashboard(reader, scope, day).await?;
            let cached_scope = matches!(scope, Scope::Province(_));
            anyhow::ensure!(
                again.computed != cached_scope && again.generation == cached.generation,
                "{at}: second read is not a hit"
            );
            anyhow::ensure!(again.data == fresh, "{at}: hit differs");
            anyhow::ensure!(again.lines == cached.lines, "{at}: hit lines differ");
        }
    }
    Ok(())
}

/// Count per class of the scope on `day` by the domain's `classify` over the stored facts
/// (the classes with at least one assignment).
async fn domain_counts(
    db: &Db,
    scope: Scope,
    day: NaiveDate,
) -> anyhow::Result<BTreeMap<StatusClass, u64>> {
    let mut out = BTreeMap::new();
    for (_, (_, facts)) in status::assignment_facts(db, scope).await? {
        if let Some(c) = classify(&facts, day) {
            *out.entry(c).or_insert(0) += 1;
        }
    }
    Ok(out)
}

async fn act(db: &Db, id: Id, action: Action, role: Role, day: NaiveDate) -> anyhow::Result<()> {
    status::system::change_status(
        db,
        &ChangeRequest {
            assignment_id: id,
            action,
            role,
            actor: None,
            note: None,
            at: noon(day),
            expected: None,
        },
    )
    .await?;
    Ok(())
}

/// Runs `write` (through the other instance) then checks through `reader`, and that the
/// write moved the province's generation on (so every instance recomputes).
async fn after<F: std::future::Future<Output = anyhow::Result<()>>>(
    reader: &Db,
    province: Id,
    scopes: &[Scope],
    step: &str,
    write: F,
) -> anyhow::Result<()> {
    let before = dash_cache::generation(reader, Some(province)).await?;
    write.await?;
    let now = dash_cache::generation(reader, Some(province)).await?;
    anyhow::ensure!(now > before, "{step}: generation {before} -> {now}");
    check(reader, scopes, step).await
}

tinhgon_testkit::both_databases! {
    async fn two_instances_never_see_stale_dashboards_after_any_write(t) -> anyhow::Result<()> {
        let a = Db::connect(&t.url).await?;
        let b = Db::connect(&t.url).await?;
        scenario(&a, &b).await?;
        a.close().await;
        b.close().await;
        Ok(())
    }
}

async fn scenario(a: &Db, b: &Db) -> anyhow::Result<()> {
    let p = import_nghe_an(a).await?;
    let day = d(2025, 8, 1);
    // Before any plan: empty dashboards, cached at generation 0.
    check(b, &[Scope::Province(p)], "nothing").await?;
    let draft = plan(
        "9/KH-UBND",
        day,
        vec![
            task(
                "1",
                &["Sở Ngoại vụ"],
                &[],
                DeadlineKind::By,
                Some(d(2025, 9, 30)),
            ),
            task(
                "2",
                &["Sở Ngoại vụ"],
                &[],
                DeadlineKind::By,
                Some(d(2025, 12, 31)),
            ),
            task("3", &["Sở Tư pháp"], &[], DeadlineKind::Conditional, None),
            task("4", &["Sở Tư pháp"], &[], DeadlineKind::Ongoing, None),
            task(
                "5",
                &["Sở Y tế"],
                &[],
                DeadlineKind::By,
                Some(d(2025, 10, 10)),
            ),
            task(
                "6",
                &["Sở Y tế", "Sở Tư pháp"],
                &[],
                DeadlineKind::By,
                Some(d(2025, 9, 28)),
            ),
        ],
    );
    let before = dash_cache::generation(b, Some(p)).await?;
    let plan_id = publish(a, p, &draft, "dash9", noon(day)).await?;
    anyhow::ensure!(
        dash_cache::generation(b, Some(p)).await? > before,
        "publication bumps"
    );
    let scopes = [Scope::Province(p), Scope::Plan(plan_id)];
    check(b, &scopes, "publication").await?;
    let ids: Vec<(i64, i64)> = {
        tinhgon_store::tx::query("SELECT a.id, a.task_id FROM assignments a JOIN tasks t ON t.id = a.task_id WHERE a.plan_id = $1 ORDER BY t.position, a.id")
            .bind(plan_id)
            .fetch_all(a)
            .await?
    };
    anyhow::ensure!(ids.len() == 7, "assignments: {ids:?}");
    let (a1, a2, a5, a6) = (ids[0].0, ids[1].0, ids[4].0, ids[5].0);

    after(
        b,
        p,
        &scopes,
        "start",
        act(a, a1, Action::Start, Role::AgencyOfficer, d(2025, 8, 5)),
    )
    .await?;
    after(
        b,
        p,
        &scopes,
        "proposal",
        act(
            a,
            a1,
            Action::ProposeCompletion,
            Role::AgencyOfficer,
            d(2025, 9, 28),
        ),
    )
    .await?;
    after(
        b,
        p,
        &scopes,
        "confirmation",
        act(a, a1, Action::Confirm, Role::Monitor, d(2025, 10, 3)),
    )
    .await?;
    let batch = vec![
        NewStatusChange {
            assignment_id: a6,
            action: Action::Start,
            role: Role::AgencyOfficer,
            actor: None,
            note: None,
            at: noon(d(2025, 9, 1)),
        },
        NewStatusChange {
            assignment_id: a6,
            action: Action::ProposeCompletion,
            role: Role::AgencyOfficer,
            actor: None,
            note: None,
            at: noon(d(2025, 9, 20)),
        },
        NewStatusChange {
            assignment_id: a6,
            action: Action::Confirm,
            role: Role::Monitor,
            actor: None,
            note: None,
            at: noon(d(2025, 9, 26)),
        },
    ];
    after(b, p, &scopes, "a batch of changes", async {
        status::record_status_changes(a, &batch).await?;
        Ok(())
    })
    .await?;
    after(b, p, &scopes, "approved extension", async {
        let ext = records::system::request_extension(
            a,
            a5,
            None,
            d(2025, 11, 30),
            "lý do",
            noon(d(2025, 10, 12)),
        )
        .await?;
        records::system::decide_extension(a, ext, true, None, None, noon(d(2025, 10, 14))).await?;
        Ok(())
    })
    .await?;
    after(b, p, &scopes, "trigger", async {
        status::system::trigger_condition(a, ids[2].1, d(2025, 9, 15), noon(d(2025, 9, 16)))
            .await?;
        Ok(())
    })
    .await?;
    let ngoai_vu = unit_named(a, p, "Sở Ngoại vụ", day).await?;
    let van_phong = unit_named(a, p, "Văn phòng Ủy ban nhân dân tỉnh", day).await?;
    after(b, p, &scopes, "reroute", async {
        let event = register::record_event(
            a,
            &NewEvent {
                kind: EventKind::Dissolve,
                predecessors: vec![ngoai_vu],
                successors: vec![van_phong],
                decision: Some("10/NQ-HĐND".into()),
                effective: d(2025, 11, 1),
            },
            noon(d(2025, 10, 20)),
        )
        .await?;
        let moved = register::apply_event(
            a,
            event,
            &SuccessorChoices::default(),
            None,
            noon(d(2025, 11, 1)),
        )
        .await?;
        anyhow::ensure!(
            moved.iter().any(|m| m.assignment_id == a2),
            "the open one moves: {moved:?}"
        );
        Ok(())
    })
    .await?;
    after(
        b,
        p,
        &scopes,
        "cancellation",
        act(a, a2, Action::Cancel, Role::Monitor, d(2025, 11, 5)),
    )
    .await?;

    // Long lists: 130 tasks overdue from 1/10, 120 due within the week of 26/09.
    let mut many = Vec::new();
    for i in 0..130 {
        many.push(task(
            &format!("Q{i}"),
            &["Sở Tư pháp"],
            &[],
            DeadlineKind::By,
            Some(d(2025, 9, 25 + (i % 5))),
        ));
    }
    for i in 0..120 {
        many.push(task(
            &format!("S{i}"),
            &["Sở Y tế"],
            &[],
            DeadlineKind::By,
            Some(d(2025, 10, 16 + (i % 7))),
        ));
    }
    let big = plan("10/KH-UBND", day, many);
    let before = dash_cache::generation(b, Some(p)).await?;
    let big_id = publish(a, p, &big, "dash10", noon(day)).await?;
    anyhow::ensure!(
        dash_cache::generation(b, Some(p)).await? > before,
        "second publication bumps"
    );
    let scopes = [
        Scope::Province(p),
        Scope::Plan(plan_id),
        Scope::Plan(big_id),
    ];
    check(b, &scopes, "a long plan").await?;
    let on = dash_cache::dashboard(b, Scope::Plan(big_id), d(2025, 10, 15))
        .await?
        .data;
    anyhow::ensure!(
        on.overdue.total == 130 && on.overdue.ids.len() == LIST_CAP,
        "overdue capped: {} / {}",
        on.overdue.ids.len(),
        on.overdue.total
    );
    anyhow::ensure!(
        on.due_soon.total == 120 && on.due_soon.ids.len() == LIST_CAP,
        "due soon capped: {} / {}",
        on.due_soon.ids.len(),
        on.due_soon.total
    );
    let lines = dash_cache::items(b, &on.overdue.ids).await?;
    anyhow::ensure!(
        lines.iter().map(|l| l.id).collect::<Vec<_>>() == on.overdue.ids,
        "lines in list order"
    );
    anyhow::ensure!(
        lines
            .windows(2)
            .all(|w| (w[0].due, w[0].id) <= (w[1].due, w[1].id)),
        "oldest due first"
    );

    // The other instance writes, this one reads: still never stale.
    after(
        a,
        p,
        &scopes,
        "a change by the other instance",
        act(
            b,
            on.overdue.ids[0],
            Action::Start,
            Role::AgencyOfficer,
            d(2025, 10, 16),
        ),
    )
    .await?;

    // Reads alone never move the generation: the next read is a hit.
    let g = dash_cache::generation(a, Some(p)).await?;
    let hit = dash_cache::dashboard(a, Scope::Province(p), d(2025, 10, 15)).await?;
    anyhow::ensure!(
        !hit.computed && hit.generation == Some(g),
        "hit before an unrelated write"
    );
    Ok(())
}

tinhgon_testkit::both_databases! {
    /// The picker's queries: the most recent published plans of the province (drafts and other
    /// provinces excluded), and a plan by its number.
    async fn picker_lists_recent_published_plans_and_finds_by_number(t) -> anyhow::Result<()> {
        let db = Db::connect(&t.url).await?;
        let p = import_nghe_an(&db).await?;
        let mut published = Vec::new();
        for i in 0..4u32 {
            let day = d(2025, 8, 1 + i);
            let draft = plan(
                &format!("{}/KH-UBND", 20 + i),
                day,
                vec![task(
                    "1",
                    &["Sở Y tế"],
                    &[],
                    DeadlineKind::By,
                    Some(d(2025, 12, 1)),
                )],
            );
            published.push(publish(&db, p, &draft, &format!("pick{i}"), noon(day)).await?);
        }
        let draft = plan("99/KH-UBND", d(2025, 9, 1), vec![]);
        tinhgon_store::plans::system::insert_draft(
            &db,
            &tinhgon_store::plans::NewDraft {
                province_id: Some(p),
                draft: &draft,
                source_text: None,
                content_hash: "pickdraft",
                by: None,
                at: noon(d(2025, 9, 1)),
            },
        )
        .await?;
        let recent = dash_cache::recent_published_plans(&db, Some(p), 3).await?;
        let want: Vec<Id> = published.iter().rev().take(3).copied().collect();
        anyhow::ensure!(
            recent.iter().map(|r| r.0).collect::<Vec<_>>() == want,
            "most recent first: {recent:?}"
        );
        anyhow::ensure!(
            dash_cache::recent_published_plans(&db, Some(p + 100_000), 3)
                .await?
                .is_empty(),
            "other province"
        );
        let found = dash_cache::published_plan_by_number(&db, Some(p), "21/KH-UBND").await?;
        anyhow::ensure!(found.map(|f| f.0) == Some(published[1]), "by number");
        anyhow::ensure!(
            dash_cache::published_plan_by_number(&db, Some(p), "99/KH-UBND")
                .await?
                .is_none(),
            "a draft is not offered"
        );
        let head = dash_cache::dashboard_plan(&db, published[0])
            .await?
            .ok_or_else(|| anyhow::anyhow!("head"))?;
        anyhow::ensure!(
            head.province_id == Some(p) && head.number.as_deref() == Some("20/KH-UBND"),
            "head {head:?}"
        );
        Ok(())
    }
}

tinhgon_testkit::both_databases! {
    /// A cached row of the current generation written before the list lines were stored (rows of
    /// earlier versions) is recomputed once and replaced: the next read is a hit with its lines.
    async fn a_row_without_lines_is_replaced_once(t) -> anyhow::Result<()> {
        let db = Db::connect(&t.url).await?;
        let p = import_nghe_an(&db).await?;
        let day = d(2025, 8, 1);
        let draft = plan(
            "31/KH-UBND",
            day,
            vec![task(
                "1",
                &["Sở Y tế"],
                &[],
                DeadlineKind::By,
                Some(d(2025, 8, 20)),
            )],
        );
        publish(&db, p, &draft, "nolines", noon(day)).await?;
        let on = d(2025, 9, 1);
        let first = dash_cache::dashboard(&db, Scope::Province(p), on).await?;
        anyhow::ensure!(first.computed && first.lines.len() == 1, "one overdue line");
        // Strip the lines from the stored row, as rows of earlier versions were.
        let payload: String = {
            tinhgon_store::tx::query("SELECT payload FROM dash_cache WHERE scope_kind = 'province' AND scope_id = $1")
                .bind(p)
                .scalar(&db)
                .await?
        };
        let mut value: serde_json::Value = serde_json::from_str(&payload)?;
        anyhow::ensure!(value.as_object_mut().and_then(|o| o.remove("lines")).is_some());
        {
            tinhgon_store::tx::query("UPDATE dash_cache SET payload = $2 WHERE scope_kind = 'province' AND scope_id = $1")
                .bind(p)
                .bind(value.to_string())
                .execute(&db)
                .await?;
        };
        let second = dash_cache::dashboard(&db, Scope::Province(p), on).await?;
        anyhow::ensure!(second.computed, "a row without lines is a miss");
        let third = dash_cache::dashboard(&db, Scope::Province(p), on).await?;
        anyhow::ensure!(
            !third.computed && third.lines == first.lines && third.data == first.data,
            "replaced by a row with lines"
        );
        Ok(())
    }
}
