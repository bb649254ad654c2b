//! The class-interval table is kept right by every write path: after publication, status
//! changes, extension decisions, a trigger and a reroute, the class read from the table for
//! each assignment equals the domain's `classify` over the stored facts, at several days, and
//! the unit it is counted for is the one responsible that day.

mod common;

use std::collections::BTreeMap;

use chrono::NaiveDate;
use common::{
    act, d, dissolve, extension, import_nghe_an, new_status_change, noon, plan_of, unit_named,
};
use tinhgon_domain::class::StatusClass;
use tinhgon_domain::model::Id;
use tinhgon_domain::register::SuccessorChoices;
use tinhgon_domain::user::Role;
use tinhgon_domain::{classify, Action, DeadlineKind, Status};
use tinhgon_store::register::{self, NewEvent};
use tinhgon_store::status::{self, ChangeRequest, Scope};
use tinhgon_store::{records, Db};

type Row = (i64, i64, NaiveDate, NaiveDate, String);

/// (class, unit) of each assignment of the plan on `day`, read from the interval table.
async fn from_table(
    db: &Db,
    plan_id: Id,
    day: NaiveDate,
) -> anyhow::Result<BTreeMap<Id, (StatusClass, Id)>> {
    let rows: Vec<Row> = {
        tinhgon_store::tx::query(
            "SELECT i.assignment_id, i.unit_id, i.from_day, i.to_day, i.class FROM assignment_class_intervals i \
             JOIN assignments a ON a.id = i.assignment_id WHERE a.plan_id = $1 ORDER BY i.assignment_id, i.from_day",
        )
        .bind(plan_id)
        .fetch_all(db)
        .await?
    };
    let mut out = BTreeMap::new();
    for (id, unit, from, to, class) in rows {
        anyhow::ensure!(from < to, "empty interval {from}..{to} of {id}");
        if from <= day && day < to {
            let class =
                StatusClass::parse(&class).ok_or_else(|| anyhow::anyhow!("class {class}"))?;
            anyhow::ensure!(
                out.insert(id, (class, unit)).is_none(),
                "two intervals of {id} hold {day}"
            );
        }
    }
    Ok(out)
}

/// (class, unit) of each assignment of the plan on `day` by the domain rule; `unit_on`
/// gives the unit responsible that day when it is not the current one.
async fn from_domain(
    db: &Db,
    plan_id: Id,
    day: NaiveDate,
    unit_on: &dyn Fn(Id, NaiveDate) -> Option<Id>,
) -> anyhow::Result<BTreeMap<Id, (StatusClass, Id)>> {
    let facts = status::assignment_facts(db, Scope::Plan(plan_id)).await?;
    Ok(facts
        .into_iter()
        .filter_map(|(id, (unit, f))| {
            classify(&f, day).map(|c| (id, (c, unit_on(id, day).unwrap_or(unit))))
        })
        .collect())
}

async fn check(
    db: &Db,
    plan_id: Id,
    step: &str,
    unit_on: &dyn Fn(Id, NaiveDate) -> Option<Id>,
) -> anyhow::Result<()> {
    let days = [
        d(2025, 7, 31),
        d(2025, 8, 1),
        d(2025, 8, 20),
        d(2025, 9, 30),
        d(2025, 10, 1),
        d(2025, 10, 15),
        d(2025, 11, 2),
        d(2025, 12, 1),
        d(2026, 3, 1),
        d(2027, 1, 1),
    ];
    for day in days {
        let table = from_table(db, plan_id, day).await?;
        let domain = from_domain(db, plan_id, day, unit_on).await?;
        anyhow::ensure!(
            table == domain,
            "after {step}, on {day}: table {table:?} != domain {domain:?}"
        );
    }
    Ok(())
}

tinhgon_testkit::both_databases! {
    async fn every_write_path_keeps_the_interval_table_equal_to_the_domain_rule(t) -> anyhow::Result<()> {
        let db = Db::connect(&t.url).await?;
        let p = import_nghe_an(&db).await?;
        let day = d(2025, 8, 1);
        let published = plan_of("9/KH-UBND", day)
            .due("1", "Sở Ngoại vụ", d(2025, 9, 30))
            .due("2", "Sở Ngoại vụ", d(2025, 12, 31))
            .undated("3", "Sở Tư pháp", DeadlineKind::Conditional)
            .undated("4", "Sở Tư pháp", DeadlineKind::Ongoing)
            .due("5", "Sở Y tế", d(2025, 10, 10))
            .publish(&db, p)
            .await?;
        let (plan_id, ids) = (published.id, &published.assignments);
        let none = |_: Id, _: NaiveDate| None;
        check(&db, plan_id, "publication", &none).await?;
        anyhow::ensure!(ids.len() == 5, "one assignment per task: {ids:?}");
        let (a1, a2, a5) = (ids[0].id, ids[1].id, ids[4].id);

        act(&db, a1, Action::Start, Role::AgencyOfficer, d(2025, 8, 5)).await?;
        check(&db, plan_id, "start", &none).await?;
        act(
            &db,
            a1,
            Action::ProposeCompletion,
            Role::AgencyOfficer,
            d(2025, 9, 28),
        )
        .await?;
        act(&db, a1, Action::Confirm, Role::Monitor, d(2025, 10, 3)).await?;
        check(&db, plan_id, "proposal and confirmation", &none).await?;

        extension(
            &db,
            a5,
            d(2025, 11, 30),
            true,
            d(2025, 10, 12),
            d(2025, 10, 14),
        )
        .await?;
        check(&db, plan_id, "approved extension", &none).await?;
        extension(
            &db,
            a5,
            d(2026, 1, 30),
            false,
            d(2025, 10, 20),
            d(2025, 10, 21),
        )
        .await?;
        check(&db, plan_id, "refused extension", &none).await?;

        status::system::trigger_condition(
            &db,
            ids[2].task_id,
            d(2025, 9, 15),
            noon(d(2025, 9, 16)),
        )
        .await?;
        check(&db, plan_id, "trigger", &none).await?;

        let ngoai_vu = unit_named(&db, p, "Sở Ngoại vụ", day).await?;
        let van_phong = unit_named(&db, p, "Văn phòng Ủy ban nhân dân tỉnh", day).await?;
        let event = dissolve(
            &db,
            ngoai_vu,
            van_phong,
            d(2025, 11, 1),
            noon(d(2025, 10, 20)),
        )
        .await?;
        let moved = register::apply_event(
            &db,
            event,
            &SuccessorChoices::default(),
            None,
            noon(d(2025, 11, 1)),
        )
        .await?;
        anyhow::ensure!(
            moved.len() == 1 && moved[0].assignment_id == a2,
            "the open one moves: {moved:?}"
        );
        let before_move =
            move |id: Id, day: NaiveDate| (id == a2 && day < d(2025, 11, 1)).then_some(ngoai_vu);
        check(&db, plan_id, "reroute", &before_move).await?;
        let on = from_table(&db, plan_id, d(2025, 10, 31)).await?;
        anyhow::ensure!(
            on.get(&a2).map(|x| x.1) == Some(ngoai_vu),
            "old unit the day before"
        );
        let on = from_table(&db, plan_id, d(2025, 11, 1)).await?;
        anyhow::ensure!(
            on.get(&a2).map(|x| x.1) == Some(van_phong),
            "successor from the day of the move"
        );

        act(&db, a2, Action::Cancel, Role::Monitor, d(2025, 11, 5)).await?;
        check(&db, plan_id, "cancellation", &before_move).await?;
        anyhow::ensure!(
            !from_table(&db, plan_id, d(2025, 11, 6))
                .await?
                .contains_key(&a2),
            "cancelled: not counted"
        );
        Ok(())
    }
}

fn is_send<T: Send>(_: T) {}

/// The store's write futures can be awaited from a multi-threaded web handler.
#[test]
fn write_futures_are_send() {
    #[allow(dead_code)]
    fn futures(db: &Db, req: &ChangeRequest, event: &NewEvent) {
        let at = noon(d(2025, 8, 1));
        is_send(status::system::change_status(db, req));
        is_send(status::system::trigger_condition(db, 1, d(2025, 8, 1), at));
        is_send(records::system::request_extension(
            db,
            1,
            None,
            d(2025, 9, 1),
            "x",
            at,
        ));
        is_send(records::system::decide_extension(
            db, 1, true, None, None, at,
        ));
        is_send(register::record_event(db, event, at));
        is_send(register::apply_event(
            db,
            1,
            &SuccessorChoices::default(),
            None,
            at,
        ));
        is_send(tinhgon_store::plans::system::publish_plan(
            db,
            1,
            None,
            d(2025, 8, 1),
            at,
        ));
    }
    let _ = futures;
}

tinhgon_testkit::both_databases! {
    async fn a_batch_of_status_changes_is_checked_whole_and_keeps_the_intervals(t) -> anyhow::Result<()> {
        let db = Db::connect(&t.url).await?;
        let p = import_nghe_an(&db).await?;
        let published = plan_of("11/KH-UBND", d(2025, 8, 1))
            .due("1", "Sở Y tế", d(2025, 9, 30))
            .due("2", "Sở Y tế", d(2025, 10, 31))
            .publish(&db, p)
            .await?;
        let (plan_id, ids) = (published.id, published.ids());
        let change = new_status_change;
        let history = |db: Db| async move {
            let n: i64 = tinhgon_store::tx::query("SELECT COUNT(*) FROM status_changes")
                .scalar(&db)
                .await?;
            anyhow::Ok(n)
        };
        let before = history(db.clone()).await?;
        let refused = status::record_status_changes(
            &db,
            &[
                change(ids[0], Action::Start, Role::AgencyOfficer, d(2025, 8, 5)),
                change(ids[1], Action::Confirm, Role::Monitor, d(2025, 8, 6)),
            ],
        )
        .await;
        let message = format!("{:?}", refused.err());
        anyhow::ensure!(
            message.contains("thay đổi thứ 2") && message.contains(&ids[1].to_string()),
            "names the refused change: {message}"
        );
        anyhow::ensure!(history(db.clone()).await? == before, "nothing written");
        check(&db, plan_id, "refused batch", &|_, _| None).await?;

        let statuses = status::record_status_changes(
            &db,
            &[
                change(ids[0], Action::Start, Role::AgencyOfficer, d(2025, 8, 5)),
                change(ids[1], Action::Start, Role::AgencyOfficer, d(2025, 8, 6)),
                change(
                    ids[0],
                    Action::ProposeCompletion,
                    Role::AgencyOfficer,
                    d(2025, 9, 29),
                ),
                change(ids[0], Action::Confirm, Role::Monitor, d(2025, 10, 2)),
            ],
        )
        .await?;
        anyhow::ensure!(
            statuses
                == vec![
                    Status::InProgress,
                    Status::InProgress,
                    Status::CompletionProposed,
                    Status::Done
                ],
            "{statuses:?}"
        );
        anyhow::ensure!(
            history(db.clone()).await? == before + 4,
            "one history row per change"
        );
        check(&db, plan_id, "batch", &|_, _| None).await?;
        let done_on: Option<NaiveDate> =
            tinhgon_store::tx::query("SELECT done_on FROM assignments WHERE id = $1")
                .bind(ids[0])
                .scalar(&db)
                .await?;
        anyhow::ensure!(
            done_on == Some(d(2025, 9, 29)),
            "completion day is the proposal's: {done_on:?}"
        );
        Ok(())
    }
}
