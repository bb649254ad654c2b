//! Plan cascade on SQLite and PostgreSQL: Sở Tư pháp imports its own plan implementing its
//! task of 615/KH-UBND, links it, sends it to Sở Nội vụ, which returns or publishes it; the
//! refusals write nothing; the task's progress rolls up by the stated rule.

mod common;

use common::{account, publish_615};
use tinhgon_app::cascade::{self, ReturnForm};
use tinhgon_app::import::review::MetaForm;
use tinhgon_app::import::{self, Imported, PlanFile};
use tinhgon_app::{publishing, AppError};
use tinhgon_domain::ids::{PlanId, TaskId};
use tinhgon_domain::model::Id;
use tinhgon_domain::plan::PlanState;
use tinhgon_domain::user::{Role, User};
use tinhgon_domain::Action;
use tinhgon_store::web_queries as wq;
use tinhgon_store::{notifications, records, status, Db};

const PLAN: &[u8] =
    include_bytes!("../../../testdata/fixtures/cascade/ke-hoach-trien-khai-so-tu-phap.txt");

struct Setup {
    province: Id,
    plan_615: Id,
    /// 615's task that Sở Tư pháp leads.
    task: Id,
    /// A 615 task in which Sở Tư pháp takes no part.
    other_task: Id,
    monitor: User,
    officer: User,
    draft: PlanId,
}

async fn setup(db: &Db) -> anyhow::Result<Setup> {
    let (province, plan_615) = publish_615(db).await?;
    let names = wq::unit_names(db, Some(province)).await?;
    let stp = *names
        .iter()
        .find(|(_, n)| n.as_str() == "Sở Tư pháp")
        .expect("Sở Tư pháp")
        .0;
    let work = wq::plan_work(db, plan_615).await?;
    let task = work
        .iter()
        .find(|w| w.unit_id == stp)
        .expect("task")
        .task_id;
    let mut other_task = None;
    for w in &work {
        let coords = wq::task_coordinator_units(db, w.task_id).await?;
        if !work
            .iter()
            .any(|o| o.task_id == w.task_id && o.unit_id == stp)
            && !coords.contains(&stp)
        {
            other_task = Some(w.task_id);
            break;
        }
    }
    let monitor = account(db, "snv-cascade", Role::Monitor, None, province).await?;
    let officer = account(db, "stp-cascade", Role::AgencyOfficer, Some(stp), province).await?;
    let file = PlanFile {
        name: "ke-hoach-trien-khai.txt".into(),
        bytes: PLAN.to_vec(),
    };
    let Imported::Draft(draft) = import::import_file(db, &officer, Some(province), file).await?
    else {
        anyhow::bail!("duplicate");
    };
    Ok(Setup {
        province,
        plan_615,
        task,
        other_task: other_task.expect("a task without Sở Tư pháp"),
        monitor,
        officer,
        draft,
    })
}

fn field_error(e: AppError) -> String {
    match e {
        AppError::Invalid { message, .. } => message,
        e => panic!("expected a field error, got {e:?}"),
    }
}

/// Links and sends the draft as the officer.
async fn link_and_submit(db: &Db, s: &Setup) -> anyhow::Result<()> {
    cascade::set_parent(db, &s.officer, s.draft, Some(TaskId(s.task))).await?;
    cascade::submit(db, &s.officer, s.draft).await?;
    Ok(())
}

tinhgon_testkit::both_databases! {
    async fn an_officer_links_its_own_plan_submits_it_and_the_monitor_publishes_it(t) -> anyhow::Result<()> {
        let db = Db::connect(&t.url).await?;
        let s = setup(&db).await?;
        let rec = tinhgon_store::plans::get_plan(&db, s.draft.get()).await?;
        assert_eq!(rec.plan.meta.number.as_deref(), Some("112/KH-STP"));
        assert_eq!(rec.draft.tasks.len(), 3);
        // Sending before a task is chosen is refused.
        let e = cascade::submit(&db, &s.officer, s.draft).await.unwrap_err();
        assert!(field_error(e).starts_with("Chọn nhiệm vụ cấp trên"));
        // The officer is offered only the tasks its unit takes part in.
        let picker = cascade::picker(&db, &s.officer, s.draft, "").await?;
        assert!(picker.own_unit_only);
        assert!(picker.choices.iter().any(|c| c.task_id.get() == s.task));
        assert!(!picker.choices.iter().any(|c| c.task_id.get() == s.other_task));
        let monitors_before = notifications::unread_count(&db, s.monitor.id).await?;
        link_and_submit(&db, &s).await?;
        assert_eq!(notifications::unread_count(&db, s.monitor.id).await?, monitors_before + 1);
        // Sent: the officer may no longer change it, nor publish it.
        let meta = MetaForm { number: "1/KH-STP".into(), title: "x".into(), date: String::new() };
        let e = import::review::save_meta(&db, &s.officer, s.draft, meta).await.unwrap_err();
        assert!(matches!(e, AppError::Conflict(_)), "{e:?}");
        let e = publishing::publish_draft(&db, &s.officer, s.draft).await.unwrap_err();
        assert!(matches!(e, AppError::Forbidden | AppError::NotFound), "{e:?}");
        // The monitor sees it waiting and publishes it; the link is kept and the unit told.
        let waiting = cascade::drafts_in_review(&db, &s.monitor, Some(s.province)).await?;
        assert_eq!(waiting.iter().map(|d| d.plan_id).collect::<Vec<_>>(), vec![s.draft.get()]);
        let officer_before = notifications::unread_count(&db, s.officer.id).await?;
        publishing::publish_draft(&db, &s.monitor, s.draft).await?;
        let rec = tinhgon_store::plans::get_plan(&db, s.draft.get()).await?;
        assert_eq!(rec.plan.state, PlanState::Published);
        assert_eq!(rec.plan.parent_task_id, Some(s.task));
        assert_eq!(notifications::unread_count(&db, s.officer.id).await?, officer_before + 1);
        assert!(cascade::drafts_in_review(&db, &s.monitor, Some(s.province)).await?.is_empty());
        Ok(())
    }

    async fn linking_refusals_change_nothing(t) -> anyhow::Result<()> {
        let db = Db::connect(&t.url).await?;
        let s = setup(&db).await?;
        let names = wq::unit_names(&db, Some(s.province)).await?;
        let stc = *names.iter().find(|(_, n)| n.as_str() == "Sở Tài chính").expect("Sở Tài chính").0;
        let stranger = account(&db, "stc-cascade", Role::AgencyOfficer, Some(stc), s.province).await?;
        let before = wq::table_fingerprint(&db).await?;
        // A task its unit does not take part in.
        let e = cascade::set_parent(&db, &s.officer, s.draft, Some(TaskId(s.other_task))).await.unwrap_err();
        assert!(field_error(e).contains("đơn vị chủ trì hoặc phối hợp"));
        // A task that does not exist.
        let e = cascade::set_parent(&db, &s.monitor, s.draft, Some(TaskId(9_999_999))).await.unwrap_err();
        assert!(field_error(e).starts_with("Không tìm thấy nhiệm vụ"));
        // A task of the plan itself.
        let e = cascade::set_parent(&db, &s.monitor, PlanId(s.plan_615), Some(TaskId(s.task))).await.unwrap_err();
        assert!(field_error(e).contains("chính nó"));
        // Another unit's officer does not see this unit's draft.
        let e = cascade::set_parent(&db, &stranger, s.draft, Some(TaskId(s.task))).await.unwrap_err();
        assert!(matches!(e, AppError::NotFound), "{e:?}");
        let e = cascade::submit(&db, &stranger, s.draft).await.unwrap_err();
        assert!(matches!(e, AppError::NotFound), "{e:?}");
        assert_eq!(before, wq::table_fingerprint(&db).await?);
        let rec = tinhgon_store::plans::get_plan(&db, s.draft.get()).await?;
        assert_eq!(rec.plan.parent_task_id, None);
        assert_eq!(tinhgon_store::plans::get_plan(&db, s.plan_615).await?.plan.parent_task_id, None);
        Ok(())
    }

    async fn a_task_of_another_province_and_a_cycle_are_refused(t) -> anyhow::Result<()> {
        let db = Db::connect(&t.url).await?;
        let s = setup(&db).await?;
        link_and_submit(&db, &s).await?;
        publishing::publish_draft(&db, &s.monitor, s.draft).await?;
        let before = wq::table_fingerprint(&db).await?;
        // 615 under a task of its own sub-plan: a cycle.
        let sub_task = wq::plan_work(&db, s.draft.get()).await?[0].task_id;
        let e = cascade::set_parent(&db, &s.monitor, PlanId(s.plan_615), Some(TaskId(sub_task))).await.unwrap_err();
        assert!(field_error(e).contains("kế hoạch cấp dưới"));
        // A plan of another province (here: a draft whose province is another unit) may not
        // implement a task of Nghệ An's plans.
        let names = wq::unit_names(&db, Some(s.province)).await?;
        let fake_province = *names.keys().find(|u| **u != s.province).expect("unit");
        let draft = tinhgon_extract::extract_bytes(PLAN, Some("x.txt"))?;
        let foreign = tinhgon_store::plans::system::insert_draft(&db, &tinhgon_store::plans::NewDraft {
            province_id: Some(fake_province),
            draft: &draft,
            source_text: None,
            content_hash: "foreign",
            by: None,
            at: chrono::Utc::now(),
        }).await?;
        let mut admin = account(&db, "admin-cascade", Role::Admin, None, s.province).await?;
        admin.province_id = None;
        let before_foreign = wq::table_fingerprint(&db).await?;
        let e = cascade::set_parent(&db, &admin, PlanId(foreign), Some(TaskId(s.task))).await.unwrap_err();
        assert!(field_error(e).contains("không thuộc kế hoạch của tỉnh"));
        assert_eq!(before_foreign, wq::table_fingerprint(&db).await?);
        assert_ne!(before, before_foreign, "the foreign draft was written");
        Ok(())
    }

    async fn a_returned_plan_goes_back_to_its_unit_with_the_note(t) -> anyhow::Result<()> {
        let db = Db::connect(&t.url).await?;
        let s = setup(&db).await?;
        link_and_submit(&db, &s).await?;
        let before = wq::table_fingerprint(&db).await?;
        let e = cascade::return_to_unit(&db, &s.monitor, s.draft, &ReturnForm { note: "  ".into() }).await.unwrap_err();
        assert!(field_error(e).starts_with("Ghi rõ lý do"));
        let e = cascade::return_to_unit(&db, &s.officer, s.draft, &ReturnForm { note: "x".into() }).await.unwrap_err();
        assert!(matches!(e, AppError::Forbidden | AppError::NotFound), "{e:?}");
        assert_eq!(before, wq::table_fingerprint(&db).await?);
        let officer_before = notifications::unread_count(&db, s.officer.id).await?;
        cascade::return_to_unit(&db, &s.monitor, s.draft, &ReturnForm { note: "Bổ sung thời hạn nhiệm vụ 3.".into() }).await?;
        assert_eq!(notifications::unread_count(&db, s.officer.id).await?, officer_before + 1);
        let mine = cascade::drafts_in_review(&db, &s.officer, None).await?;
        assert_eq!(mine.len(), 1);
        assert_eq!(mine[0].review_state.as_deref(), Some("returned"));
        assert_eq!(mine[0].review_note.as_deref(), Some("Bổ sung thời hạn nhiệm vụ 3."));
        // Returned: the officer edits and sends again.
        let meta = MetaForm { number: "112/KH-STP".into(), title: "Kế hoạch triển khai".into(), date: "12/08/2025".into() };
        import::review::save_meta(&db, &s.officer, s.draft, meta).await?;
        cascade::submit(&db, &s.officer, s.draft).await?;
        let e = cascade::submit(&db, &s.officer, s.draft).await.unwrap_err();
        assert!(matches!(e, AppError::Conflict(_) | AppError::Store(_)), "{e:?}");
        Ok(())
    }

    async fn the_task_progress_rolls_up_from_its_sub_plan_by_the_stated_rule(t) -> anyhow::Result<()> {
        let db = Db::connect(&t.url).await?;
        let s = setup(&db).await?;
        link_and_submit(&db, &s).await?;
        publishing::publish_draft(&db, &s.monitor, s.draft).await?;
        let r = cascade::task_rollup(&db, TaskId(s.task)).await?;
        assert_eq!((r.percent, r.plans), (Some(0), 1), "nothing reported: 0%");
        let work = wq::plan_work(&db, s.draft.get()).await?;
        assert_eq!(work.len(), 3);
        let now = chrono::Utc::now();
        // Task 1 done (100), task 2 at 40, task 3 nothing (0): (100 + 40 + 0) / 3 = 46.7 → 47.
        for (action, role) in [(Action::Start, Role::AgencyOfficer), (Action::ProposeCompletion, Role::AgencyOfficer), (Action::Confirm, Role::Monitor)] {
            status::system::change_status(&db, &status::ChangeRequest {
                assignment_id: work[0].id, action, role, actor: None, note: None, at: now, expected: None,
            }).await?;
        }
        records::system::add_progress_report(&db, work[1].id, None, Some(40), "Đang dự thảo.", &[], now).await?;
        let r = cascade::task_rollup(&db, TaskId(s.task)).await?;
        assert_eq!((r.percent, r.plans), (Some(47), 1));
        // The lead's own reported progress on the 615 task is left as it was.
        let lead = wq::plan_work(&db, s.plan_615).await?.into_iter().find(|w| w.task_id == s.task).expect("lead");
        assert_eq!(lead.percent, None);
        // The tree of 615 shows the task, its sub-plan and the figures.
        let p = tinhgon_app::access::plan(&db, PlanId(s.plan_615)).await?;
        let tree = cascade::tree(&db, Some(&s.monitor), &p).await?;
        assert_eq!(tree.len(), 1);
        assert_eq!(tree[0].task_id.get(), s.task);
        assert_eq!(tree[0].rollup, Some(47));
        assert_eq!(tree[0].sub_plans[0].name, "112/KH-STP");
        assert_eq!(tree[0].sub_plans[0].progress, Some(47));
        Ok(())
    }
}
