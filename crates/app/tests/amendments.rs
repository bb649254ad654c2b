//! An amending document (văn bản sửa đổi, bổ sung) imported as an amendment of published
//! 615/KH-UBND, on SQLite and PostgreSQL: the review finds the plan by its number, shows the
//! four changes before → after; choosing another province's plan or a draft is refused; a
//! change a rule refuses (a ceased unit, the lead it already has) refuses the whole amendment
//! with the reason beside the change and nothing written; applied, the four changes land in
//! one go with the document as deciding document, the units are told, and the audit says so.

mod common;

use common::account;

use chrono::{NaiveDate, Utc};
use tinhgon_app::import::amendment::{self, ChangeEditForm};
use tinhgon_app::import::{self, Imported, PlanFile};
use tinhgon_app::{access, publishing, AppError};
use tinhgon_domain::amendment::ChangeDraftKind;
use tinhgon_domain::ids::PlanId;
use tinhgon_domain::model::Id;
use tinhgon_domain::user::Role;
use tinhgon_store::plan_changes::amend;
use tinhgon_store::plans::{self, NewDraft};
use tinhgon_store::tx::query;
use tinhgon_store::web_queries as wq;
use tinhgon_store::{register, Db};

const FIXTURE: &[u8] = include_bytes!("../../../testdata/amendments/742_sua_doi_615.txt");
const DOCUMENT: &str = "Kế hoạch số 742/KH-UBND ngày 15/10/2025 của Ủy ban nhân dân tỉnh Nghệ An";
const REASON: &str = "Theo Kế hoạch số 742/KH-UBND sửa đổi, bổ sung Kế hoạch số 615/KH-UBND";

async fn unit(db: &Db, province: Id, name: &str) -> anyhow::Result<Id> {
    Ok(
        register::units_as_of(db, province, tinhgon_domain::local_date(Utc::now()))
            .await?
            .into_iter()
            .find(|u| u.name == name)
            .unwrap_or_else(|| panic!("không có đơn vị {name}"))
            .id,
    )
}

async fn lead_of(
    db: &Db,
    plan: Id,
    reference: &str,
) -> anyhow::Result<(Id, Id, Option<NaiveDate>, String)> {
    Ok(query(
        "SELECT a.id, a.unit_id, a.due, a.status FROM assignments a JOIN tasks t ON t.id = a.task_id \
         WHERE t.plan_id = $1 AND t.ref = $2 ORDER BY a.id LIMIT 1",
    )
    .bind(plan)
    .bind(reference)
    .fetch_one(db)
    .await?)
}

async fn told(db: &Db, unit: Id) -> anyhow::Result<i64> {
    Ok(query("SELECT COUNT(*) FROM notifications n JOIN users u ON u.id = n.user_id WHERE u.unit_id = $1")
        .bind(unit)
        .scalar(db)
        .await?)
}

fn edit(keep: bool, task_ref: &str, lead_unit: Option<Id>) -> ChangeEditForm {
    ChangeEditForm {
        keep: keep.then(|| "1".to_string()),
        task_ref: task_ref.into(),
        lead_unit: lead_unit.map(|u| u.to_string()).unwrap_or_default(),
        ..ChangeEditForm::default()
    }
}

/// A draft of `province` numbered `number` (its tasks those of the amending fixture).
async fn other_draft(db: &Db, province: Id, number: &str) -> anyhow::Result<Id> {
    let mut draft = tinhgon_extract::extract_bytes(FIXTURE, Some("x.txt"))?;
    draft.document.number = Some(number.into());
    draft.document.amendment = None;
    Ok(plans::system::insert_draft(
        db,
        &NewDraft {
            province_id: Some(province),
            draft: &draft,
            source_text: None,
            content_hash: number,
            by: None,
            at: Utc::now(),
        },
    )
    .await?)
}

tinhgon_testkit::both_databases! {
    async fn an_amending_document_applies_its_changes_to_the_plan_it_amends_all_or_nothing(t) -> anyhow::Result<()> {
        let db = Db::connect(&t.url).await?;
        let (province, plan) = common::publish_615(&db).await?;
        let monitor = account(&db, "giam-sat", Role::Monitor, None, province).await?;
        let (xay_dung, tai_chinh, noi_vu, y_te) = (
            unit(&db, province, "Sở Xây dựng").await?,
            unit(&db, province, "Sở Tài chính").await?,
            unit(&db, province, "Sở Nội vụ").await?,
            unit(&db, province, "Sở Y tế").await?,
        );
        for (login, u) in [("xd", xay_dung), ("tc", tai_chinh), ("nv", noi_vu), ("yt", y_te)] {
            account(&db, login, Role::AgencyOfficer, Some(u), province).await?;
        }
        let Imported::Draft(draft) = import::import_file(&db, &monitor, Some(province), PlanFile {
            name: "742-KH-UBND.txt".into(),
            bytes: FIXTURE.to_vec(),
        }).await? else {
            panic!("một bản nháp mới");
        };

        // The review finds 615/KH-UBND by its number and offers it; nothing is chosen yet.
        let p = access::monitored_plan(&db, &monitor, draft).await?;
        let v = amendment::view(&db, &monitor, &p).await?.expect("văn bản sửa đổi, bổ sung");
        assert_eq!(v.names, "Kế hoạch số 615/KH-UBND ngày 25/07/2025");
        assert_eq!(v.found.as_ref().map(|f| f.id), Some(PlanId(plan)));
        assert!(v.chosen.is_none() && v.changes.is_empty());
        assert_eq!(v.document, DOCUMENT);

        // Another province's plan is not found; a draft cannot be amended. Nothing changes.
        let foreign = other_draft(&db, y_te, "615/KH-UBND").await?;
        let unpublished = other_draft(&db, province, "900/KH-UBND").await?;
        let fingerprint = wq::table_fingerprint(&db).await?;
        let e = amendment::choose(&db, &monitor, draft, Some(PlanId(foreign))).await.unwrap_err();
        assert!(matches!(e, AppError::NotFound | AppError::Conflict(_)), "{e:?}");
        let e = amendment::choose(&db, &monitor, draft, Some(PlanId(unpublished))).await.unwrap_err();
        assert!(e.to_string().contains("chưa ban hành: chỉ sửa đổi, bổ sung được kế hoạch đã ban hành"), "{e}");
        assert_eq!(wq::table_fingerprint(&db).await?, fingerprint);
        assert_eq!(amend::amended_plan(&db, draft.get()).await?, None);

        // Chosen: the four changes, each before → after in words, none refused.
        amendment::choose(&db, &monitor, draft, Some(PlanId(plan))).await?;
        let p = access::monitored_plan(&db, &monitor, draft).await?;
        let v = amendment::view(&db, &monitor, &p).await?.expect("văn bản sửa đổi, bổ sung");
        let seen: Vec<(ChangeDraftKind, &str, &str, &str)> = v.changes.iter()
            .map(|c| (c.kind, c.task_ref.as_str(), c.before.as_str(), c.after.as_str())).collect();
        assert_eq!(seen, vec![
            (ChangeDraftKind::Due, "PL.6", "30/09/2025", "31/12/2025 (Hoàn thành trong quý IV/2025)"),
            (ChangeDraftKind::Lead, "PL.12", "Sở Tài chính", "Sở Xây dựng"),
            (ChangeDraftKind::TaskAdd, "PL.17", "", "Rà soát, sắp xếp lại các Ban quản lý dự án đầu tư xây dựng cấp tỉnh sau khi sắp xếp tổ chức bộ máy — chủ trì: Sở Xây dựng; phối hợp: Sở Tài chính, Sở Nội vụ; thời hạn: Trình UBND tỉnh trong quý I/2026"),
            (ChangeDraftKind::TaskWithdraw, "PL.8", "Đang thực hiện: Sở Y tế", "Đã rút"),
        ]);
        assert!(v.changes.iter().all(|c| c.problem.is_none()), "{:?}", v.changes);
        assert_eq!(wq::table_fingerprint(&db).await?, {
            let mut f = fingerprint.clone();
            // Choosing wrote the draft's link and its audit row only.
            for (t, n) in f.iter_mut() { if t == "audit_log" { *n += 1; } }
            f
        }, "showing the changes writes nothing");

        // A change a rule refuses refuses the whole amendment, its reason beside it: the lead
        // given to a unit that has ceased, then to the unit that already leads the task.
        let ceased: Id = query("SELECT id FROM units WHERE province_id = $1 AND valid_to IS NOT NULL ORDER BY id LIMIT 1")
            .bind(province).scalar(&db).await?;
        let fingerprint = wq::table_fingerprint(&db).await?;
        amendment::edit_change(&db, &monitor, draft, 1, edit(true, "PL.12", Some(ceased))).await?;
        let e = publishing::publish_draft(&db, &monitor, draft).await.unwrap_err();
        assert!(e.to_string().starts_with(publishing::REFUSED), "{e}");
        assert!(e.to_string().contains("Giao lại cơ quan chủ trì PL.12:") && e.to_string().contains("thôi hoạt động"), "{e}");
        amendment::edit_change(&db, &monitor, draft, 1, edit(true, "PL.12", Some(tai_chinh))).await?;
        let p = access::monitored_plan(&db, &monitor, draft).await?;
        let v = amendment::view(&db, &monitor, &p).await?.expect("văn bản sửa đổi, bổ sung");
        assert!(v.blocked());
        assert_eq!(v.changes[1].problem.as_deref(), Some("Đơn vị được chọn đang chủ trì phân công này"));
        assert!(v.changes.iter().enumerate().all(|(i, c)| i == 1 || c.problem.is_none()));
        let e = publishing::publish_draft(&db, &monitor, draft).await.unwrap_err();
        assert!(e.to_string().contains("1 điều chỉnh không áp dụng được, kế hoạch giữ nguyên"), "{e}");
        // The draft's corrections are written (the state hash covers them); no row of the plan.
        let counts = |f: Vec<(String, i64)>| f.into_iter().filter(|(t, _)| t != "audit_log" && t != "state_hash").collect::<Vec<_>>();
        assert_eq!(counts(wq::table_fingerprint(&db).await?), counts(fingerprint), "a refused amendment writes nothing");
        assert_eq!(lead_of(&db, plan, "PL.12").await?.1, tai_chinh);
        assert_eq!(lead_of(&db, plan, "PL.6").await?.2, NaiveDate::from_ymd_opt(2025, 9, 30));
        assert_eq!(lead_of(&db, plan, "PL.8").await?.3, "not_started");
        assert_eq!(query("SELECT COUNT(*) FROM plan_changes").scalar::<i64>(&db).await?, 0);

        // An unticked change is not applied; ticked again, with the written name, it is.
        amendment::edit_change(&db, &monitor, draft, 1, edit(false, "PL.12", None)).await?;
        let p = access::monitored_plan(&db, &monitor, draft).await?;
        let v = amendment::view(&db, &monitor, &p).await?.expect("văn bản sửa đổi, bổ sung");
        assert!(!v.blocked() && !v.changes[1].keep);
        amendment::edit_change(&db, &monitor, draft, 1, edit(true, "PL.12", None)).await?;

        // Applied: all four in one go, the document as deciding document, the units told.
        let before: Vec<i64> = [told(&db, xay_dung).await?, told(&db, tai_chinh).await?, told(&db, noi_vu).await?, told(&db, y_te).await?].to_vec();
        let (out, msg) = publishing::publish_draft(&db, &monitor, draft).await?;
        assert_eq!(out.tasks, 1);
        assert_eq!(msg, format!("Đã áp dụng 4 điều chỉnh vào Kế hoạch số 615/KH-UBND theo {DOCUMENT}."));
        assert_eq!(lead_of(&db, plan, "PL.6").await?.2, NaiveDate::from_ymd_opt(2025, 12, 31));
        assert_eq!(lead_of(&db, plan, "PL.12").await?.1, xay_dung);
        let (_, lead, due, status) = lead_of(&db, plan, "PL.17").await?;
        assert_eq!((lead, due, status.as_str()), (xay_dung, NaiveDate::from_ymd_opt(2026, 3, 31), "not_started"));
        let coords: Vec<Id> = query("SELECT c.unit_id FROM task_coordinators c JOIN tasks t ON t.id = c.task_id WHERE t.plan_id = $1 AND t.ref = 'PL.17' ORDER BY c.unit_id")
            .bind(plan).fetch_all::<(Id,)>(&db).await?.into_iter().map(|(u,)| u).collect();
        let mut want = vec![tai_chinh, noi_vu];
        want.sort();
        assert_eq!(coords, want);
        assert_eq!(lead_of(&db, plan, "PL.8").await?.3, "cancelled");
        let after: Vec<i64> = [told(&db, xay_dung).await?, told(&db, tai_chinh).await?, told(&db, noi_vu).await?, told(&db, y_te).await?].to_vec();
        // Sở Xây dựng: given PL.12 and PL.17; Sở Tài chính: PL.12 taken away, coordinates PL.17;
        // Sở Nội vụ: PL.6's date, coordinates PL.17; Sở Y tế: PL.8 withdrawn.
        assert_eq!(after.iter().zip(&before).map(|(a, b)| a - b).collect::<Vec<_>>(), vec![2, 2, 2, 1]);

        // The plan's changes name the document and the amendment; the amendment is published
        // as an amendment of 615 and listed there.
        let listed = tinhgon_store::plan_changes::list_by_amendment(&db, draft.get()).await?;
        assert_eq!(listed.len(), 4);
        assert!(listed.iter().all(|c| c.document == DOCUMENT && c.reason == REASON && c.amendment_id == Some(draft.get())));
        let ams = amend::amendments_of(&db, plan).await?;
        assert_eq!(ams.len(), 1);
        assert_eq!((ams[0].id, ams[0].number.as_deref(), ams[0].changes), (draft.get(), Some("742/KH-UBND"), 4));
        let actions: Vec<String> = query("SELECT action FROM audit_log WHERE action LIKE 'plan_change.%' OR action = 'plan.amendment.publish' ORDER BY id")
            .fetch_all::<(String,)>(&db).await?.into_iter().map(|(a,)| a).collect();
        assert_eq!(actions, ["plan_change.due", "plan_change.reassign", "plan_change.task_add", "plan_change.task_withdraw", "plan.amendment.publish"]);
        assert!(tinhgon_store::audit::verify(&db).await?.broken.is_none(), "the audit chain holds");

        // Published once: not again.
        let e = publishing::publish_draft(&db, &monitor, draft).await.unwrap_err();
        assert!(matches!(e, AppError::Conflict(_)), "{e:?}");
        Ok(())
    }
}
