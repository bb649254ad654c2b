//! Plans on both databases: publication with group expansion, refusal on unresolved agencies,
//! duplicate import, re-routing on dissolve and merge, status classes at several dates.

mod common;

use common::{
    change_request, count, d, dissolve, extension, import_nghe_an, noon, plan_of, task, unit_named,
};
use tinhgon_domain::class::StatusClass;
use tinhgon_domain::event::EventKind;
use tinhgon_domain::register::SuccessorChoices;
use tinhgon_domain::user::Role;
use tinhgon_domain::{Action, DeadlineKind, GroupKind, Status};
use tinhgon_store::plans::{self, NewDraft, DUPLICATE_PLAN};
use tinhgon_store::register::{self, NewEvent};
use tinhgon_store::status::{self, ChangeRequest, Scope};
use tinhgon_store::{Db, StoreError};

tinhgon_testkit::both_databases! {
    async fn group_leads_expand_to_one_assignment_per_department_valid_on_the_plan_date(t) -> anyhow::Result<()> {
        let db = Db::connect(&t.url).await?;
        let p = import_nghe_an(&db).await?;
        let day = d(2025, 8, 1);
        let plan_id = plan_of("1/KH-UBND", day)
            .task(task(
                "1",
                &["Các Sở, ngành"],
                &["Sở Nội vụ"],
                DeadlineKind::By,
                Some(d(2025, 12, 31)),
            ))
            .task(task(
                "2",
                &["Sở GD&ĐT"],
                &["Sở Tư pháp", "Bộ Nội vụ"],
                DeadlineKind::Ongoing,
                None,
            ))
            .publish(&db, p)
            .await?
            .id;
        let reg = register::load_register(&db, p).await?;
        let members = reg.resolver().members(GroupKind::Departments, p, day);
        assert!(
            members.len() >= 14,
            "departments on {day}: {}",
            members.len()
        );
        let rec = plans::get_plan(&db, plan_id).await?;
        assert_eq!(rec.plan.state, tinhgon_domain::plan::PlanState::Published);
        let noi_vu = unit_named(&db, p, "Sở Nội vụ", day).await?;
        assert_eq!(
            rec.plan.monitor_unit_id,
            Some(noi_vu),
            "Sở Nội vụ monitors by default"
        );
        let counts =
            status::status_counts_by_unit(&db, Scope::Plan(plan_id), day, noon(day)).await?;
        let mut expected: Vec<i64> = members.clone();
        expected.push(unit_named(&db, p, "Sở Giáo dục và Đào tạo", day).await?);
        expected.sort_unstable();
        expected.dedup();
        let got: Vec<i64> = counts.keys().copied().collect();
        assert_eq!(
            got, expected,
            "one assignment per member, plus the direct lead"
        );
        assert_eq!(count(&db, "assignments").await?, members.len() as i64 + 1);
        // Old departments merged on 1/3/2025 are not members in August 2025.
        let du_lich = reg
            .units
            .iter()
            .find(|u| u.name == "Sở Du lịch")
            .map(|u| u.id);
        assert!(du_lich.is_some_and(|id| !got.contains(&id)));
        // Coordinators: the resolved ones by unit, the central ministry kept as text.
        let coord: Vec<(Option<i64>, String)> = {
            tinhgon_store::tx::query(
                "SELECT unit_id, agency_text FROM task_coordinators ORDER BY id",
            )
            .fetch_all(&db)
            .await?
        };
        let tu_phap = unit_named(&db, p, "Sở Tư pháp", day).await?;
        assert!(coord.iter().any(|(u, _)| *u == Some(tu_phap)), "{coord:?}");
        assert!(
            !coord.iter().any(|(u, _)| *u == Some(noi_vu)),
            "a lead is not also a coordinator"
        );
        assert!(
            coord.iter().any(|(u, t)| u.is_none() && t == "Bộ Nội vụ"),
            "{coord:?}"
        );
        Ok(())
    }
}

tinhgon_testkit::both_databases! {
    async fn unresolved_leads_refuse_publication_until_mapped_and_duplicates_are_detected(t) -> anyhow::Result<()> {
        let db = Db::connect(&t.url).await?;
        let p = import_nghe_an(&db).await?;
        let day = d(2025, 8, 1);
        let draft = plan_of("2/KH-UBND", day)
            .due("1", "Sở Tư pháp", d(2025, 9, 30))
            .due("2", "Ban Quản lý Dự án Không Có", d(2025, 9, 30))
            .draft();
        let new = NewDraft {
            province_id: Some(p),
            draft: &draft,
            source_text: Some("dòng 1\ndòng 2"),
            content_hash: "same",
            by: None,
            at: noon(day),
        };
        let plan_id = plans::system::insert_draft(&db, &new).await?;
        let dup = plans::system::insert_draft(&db, &new).await;
        assert!(
            matches!(&dup, Err(StoreError::Rejected(m)) if m == DUPLICATE_PLAN),
            "{dup:?}"
        );
        let unresolved = plans::unresolved_agencies(&db, plan_id, day).await?;
        assert_eq!(unresolved.len(), 1);
        assert_eq!(unresolved[0].task_ref, "2");
        let refused = plans::system::publish_plan(&db, plan_id, None, day, noon(day)).await;
        let msg = refused.err().map(|e| e.to_string()).unwrap_or_default();
        assert!(msg.contains("Ban Quản lý Dự án Không Có"), "{msg}");
        assert_eq!(count(&db, "tasks").await?, 0, "nothing written on refusal");
        assert_eq!(count(&db, "assignments").await?, 0);
        // The reviewer maps the mention to a unit; publication then goes through.
        let tai_chinh = unit_named(&db, p, "Sở Tài chính", day).await?;
        let map = [("Ban Quản lý Dự án Không Có".to_string(), vec![tai_chinh])]
            .into_iter()
            .collect();
        plans::system::update_draft(&db, plan_id, &draft, &map, noon(day)).await?;
        let published = plans::system::publish_plan(&db, plan_id, None, day, noon(day)).await?;
        assert_eq!((published.tasks, published.assignments), (2, 2));
        // A published plan's draft cannot change and it cannot be published twice.
        assert!(
            plans::system::update_draft(&db, plan_id, &draft, &map, noon(day))
                .await
                .is_err()
        );
        assert!(
            plans::system::publish_plan(&db, plan_id, None, day, noon(day))
                .await
                .is_err()
        );
        assert_eq!(count(&db, "assignments").await?, 2);
        Ok(())
    }
}

/// A status change by account 7 at noon of `day`.
async fn act(
    db: &tinhgon_store::Db,
    id: i64,
    action: Action,
    role: Role,
    day: chrono::NaiveDate,
) -> anyhow::Result<Status> {
    let req = ChangeRequest {
        actor: Some(7),
        ..change_request(id, action, role, day)
    };
    Ok(status::system::change_status(db, &req).await?)
}

tinhgon_testkit::both_databases! {
    async fn open_assignments_move_on_dissolve_and_history_stays_with_the_old_unit(t) -> anyhow::Result<()> {
        let db = Db::connect(&t.url).await?;
        let p = import_nghe_an(&db).await?;
        let day = d(2025, 8, 1);
        let plan_id = plan_of("3/KH-UBND", day)
            .due("1", "Sở Ngoại vụ", d(2025, 12, 31))
            .due("2", "Sở Ngoại vụ", d(2025, 9, 30))
            .publish(&db, p)
            .await?
            .id;
        let ngoai_vu = unit_named(&db, p, "Sở Ngoại vụ", day).await?;
        let van_phong = unit_named(&db, p, "Văn phòng Ủy ban nhân dân tỉnh", day).await?;
        let items = status::due_soon(&db, Scope::Unit(ngoai_vu), day, 365).await?;
        assert_eq!(items.len(), 2);
        let (open_id, done_id) = (items[1].id, items[0].id);
        act(
            &db,
            open_id,
            Action::Start,
            Role::AgencyOfficer,
            d(2025, 8, 5),
        )
        .await?;
        act(
            &db,
            done_id,
            Action::Start,
            Role::AgencyOfficer,
            d(2025, 8, 5),
        )
        .await?;
        act(
            &db,
            done_id,
            Action::ProposeCompletion,
            Role::AgencyOfficer,
            d(2025, 9, 1),
        )
        .await?;
        act(&db, done_id, Action::Confirm, Role::Monitor, d(2025, 9, 3)).await?;
        let event = dissolve(
            &db,
            ngoai_vu,
            van_phong,
            d(2025, 10, 1),
            noon(d(2025, 9, 20)),
        )
        .await?;
        let moved = register::apply_event(
            &db,
            event,
            &SuccessorChoices::default(),
            Some(1),
            noon(d(2025, 10, 1)),
        )
        .await?;
        assert_eq!(moved.len(), 1, "only the open assignment moves");
        assert_eq!(
            (moved[0].assignment_id, moved[0].to_unit),
            (open_id, van_phong)
        );
        let detail = status::assignment_with_history(&db, open_id).await?;
        assert_eq!(detail.item.unit_id, van_phong);
        assert_eq!(detail.original_unit_id, ngoai_vu);
        assert!(
            detail.history.iter().all(|h| h.unit_id == ngoai_vu),
            "history stays with the old unit"
        );
        assert_eq!(detail.reroutes.len(), 1);
        let done = status::assignment_with_history(&db, done_id).await?;
        assert_eq!(
            done.item.unit_id, ngoai_vu,
            "done work stays where it was done"
        );
        let hist = register::unit_history(&db, ngoai_vu).await?;
        assert_eq!(hist.moved_out.len(), 1);
        assert_eq!(hist.unit.valid_to, Some(d(2025, 10, 1)));
        // On a day before the move the open assignment counts for the old unit, after it for the new.
        let before = status::status_counts_by_unit(
            &db,
            Scope::Plan(plan_id),
            d(2025, 9, 15),
            noon(d(2025, 11, 1)),
        )
        .await?;
        let after = status::status_counts_by_unit(
            &db,
            Scope::Plan(plan_id),
            d(2025, 10, 15),
            noon(d(2025, 11, 1)),
        )
        .await?;
        assert_eq!(before.get(&ngoai_vu).map(|c| c.total()), Some(2));
        assert_eq!(after.get(&van_phong).map(|c| c.total()), Some(1));
        Ok(())
    }
}

tinhgon_testkit::both_databases! {
    async fn a_merge_with_several_successors_needs_the_monitors_choice(t) -> anyhow::Result<()> {
        let db = Db::connect(&t.url).await?;
        let p = import_nghe_an(&db).await?;
        let day = d(2025, 8, 1);
        plan_of("4/KH-UBND", day)
            .due("1", "Sở Công Thương", d(2025, 12, 31))
            .publish(&db, p)
            .await?;
        let cong_thuong = unit_named(&db, p, "Sở Công Thương", day).await?;
        let xay_dung = unit_named(&db, p, "Sở Xây dựng", day).await?;
        let tai_chinh = unit_named(&db, p, "Sở Tài chính", day).await?;
        let event = register::record_event(
            &db,
            &NewEvent {
                kind: EventKind::Split,
                predecessors: vec![cong_thuong],
                successors: vec![xay_dung, tai_chinh],
                decision: None,
                effective: d(2025, 11, 1),
            },
            noon(d(2025, 10, 1)),
        )
        .await?;
        let refused = register::apply_event(
            &db,
            event,
            &SuccessorChoices::default(),
            None,
            noon(d(2025, 11, 1)),
        )
        .await;
        assert!(
            matches!(refused, Err(StoreError::Rejected(_))),
            "{refused:?}"
        );
        assert_eq!(
            count(&db, "assignment_reroutes").await?,
            0,
            "nothing moved on refusal"
        );
        let mut choices = SuccessorChoices::default();
        choices.by_unit.insert(cong_thuong, tai_chinh);
        let moved = register::apply_event(&db, event, &choices, None, noon(d(2025, 11, 1))).await?;
        assert_eq!(moved.len(), 1);
        assert_eq!(moved[0].to_unit, tai_chinh);
        Ok(())
    }
}

fn n(c: &tinhgon_domain::tally::ClassCounts, k: StatusClass) -> u64 {
    c.by_class.get(&k).copied().unwrap_or(0)
}

tinhgon_testkit::both_databases! {
    async fn status_classes_at_several_as_of_dates(t) -> anyhow::Result<()> {
        let db = Db::connect(&t.url).await?;
        let p = import_nghe_an(&db).await?;
        let day = d(2025, 8, 1);
        let published = plan_of("5/KH-UBND", day)
            .due("a", "Sở Tư pháp", d(2025, 9, 30))
            .due("b", "Sở Y tế", d(2025, 9, 30))
            .due("c", "Sở Tài chính", d(2025, 10, 31))
            .undated("d", "Sở Xây dựng", DeadlineKind::Ongoing)
            .undated("e", "Sở Nội vụ", DeadlineKind::Conditional)
            .publish(&db, p)
            .await?;
        let plan_id = published.id;
        let [a, b, c, _d, e] = published.ids()[..] else {
            anyhow::bail!("five assignments expected")
        };
        act(&db, a, Action::Start, Role::AgencyOfficer, d(2025, 8, 10)).await?;
        act(
            &db,
            a,
            Action::ProposeCompletion,
            Role::AgencyOfficer,
            d(2025, 9, 29),
        )
        .await?;
        act(&db, a, Action::Confirm, Role::Monitor, d(2025, 10, 3)).await?; // proposed in time → on time
        act(&db, b, Action::Start, Role::AgencyOfficer, d(2025, 8, 10)).await?;
        act(
            &db,
            b,
            Action::ProposeCompletion,
            Role::AgencyOfficer,
            d(2025, 10, 5),
        )
        .await?;
        act(&db, b, Action::Confirm, Role::Monitor, d(2025, 10, 6)).await?; // late
        extension(
            &db,
            c,
            d(2025, 12, 31),
            true,
            d(2025, 10, 20),
            d(2025, 10, 25),
        )
        .await?;
        status::system::trigger_condition(
            &db,
            published.assignments[4].task_id,
            d(2025, 11, 1),
            noon(d(2025, 11, 2)),
        )
        .await?;
        let now = noon(d(2026, 1, 15));
        let scope = Scope::Plan(plan_id);
        let at = |day| status::status_counts(&db, scope, day, now);
        let aug = at(d(2025, 8, 15)).await?;
        assert_eq!(
            (
                n(&aug, StatusClass::InProgress),
                n(&aug, StatusClass::NotDue)
            ),
            (2, 1)
        );
        assert_eq!(
            (
                n(&aug, StatusClass::Standing),
                n(&aug, StatusClass::WaitingForCondition)
            ),
            (1, 1)
        );
        let oct = at(d(2025, 10, 4)).await?;
        assert_eq!(n(&oct, StatusClass::DoneOnTime), 1);
        assert_eq!(
            n(&oct, StatusClass::Overdue),
            1,
            "b is overdue on 4/10 (done only on 6/10)"
        );
        assert_eq!(n(&oct, StatusClass::NotDue), 1);
        let nov = at(d(2025, 11, 15)).await?;
        assert_eq!(n(&nov, StatusClass::DoneLate), 1);
        assert_eq!(
            n(&nov, StatusClass::NotDue),
            2,
            "c extended to 31/12; e triggered, due 1/12"
        );
        assert_eq!(n(&nov, StatusClass::WaitingForCondition), 0);
        let today = at(d(2026, 1, 15)).await?;
        assert_eq!(n(&today, StatusClass::Overdue), 2);
        let overdue = status::overdue_list(&db, scope, d(2026, 1, 15), now).await?;
        assert_eq!(overdue.iter().map(|o| o.id).collect::<Vec<_>>(), vec![e, c]);
        Ok(())
    }
}

tinhgon_testkit::both_databases! {
    async fn a_stale_status_is_a_conflict_and_changes_nothing(t) -> anyhow::Result<()> {
        let db = Db::connect(&t.url).await?;
        let p = import_nghe_an(&db).await?;
        let day = d(2025, 8, 1);
        let plan_id = plan_of("6/KH-UBND", day)
            .due("1", "Sở Tư pháp", d(2025, 12, 31))
            .publish(&db, p)
            .await?
            .id;
        let id = status::due_soon(&db, Scope::Plan(plan_id), day, 365).await?[0].id;
        act(&db, id, Action::Start, Role::AgencyOfficer, day).await?;
        let stale = status::system::change_status(
            &db,
            &ChangeRequest {
                expected: Some(Status::NotStarted),
                ..change_request(id, Action::ProposeCompletion, Role::AgencyOfficer, day)
            },
        )
        .await;
        assert!(matches!(stale, Err(StoreError::Conflict(_))), "{stale:?}");
        let wrong = act(&db, id, Action::Confirm, Role::Monitor, day).await;
        assert!(wrong.is_err(), "confirming without a proposal is refused");
        let forbidden = act(&db, id, Action::Confirm, Role::AgencyOfficer, day).await;
        assert!(forbidden.is_err());
        assert_eq!(
            status::assignment_with_history(&db, id)
                .await?
                .history
                .len(),
            2
        );
        Ok(())
    }
}
