//! The use cases refuse a bad request before anything is written, on SQLite and PostgreSQL:
//! a malformed date, a blank required field, a percentage out of range, and another agency's
//! assignment each give their Vietnamese error, and the assignment's timeline and audit trail
//! stay as they were.

mod common;

use common::publish_615;
use tinhgon_app::extensions::ExtensionForm;
use tinhgon_app::progress::ProgressForm;
use tinhgon_app::{assignment, extensions, obstacles, progress, AppError};
use tinhgon_domain::ids::AssignmentId;
use tinhgon_domain::model::Id;
use tinhgon_domain::user::{Role, User};
use tinhgon_store::accounts::{self, NewUser};
use tinhgon_store::web_queries as wq;
use tinhgon_store::Db;

/// Two assignments of the published plan held by different units.
async fn two_units_work(db: &Db, plan: Id) -> anyhow::Result<(Id, Id)> {
    let data = tinhgon_store::periodic::data::plan_data(db, plan).await?;
    let mut first: Option<(Id, Id)> = None;
    for a in &data.assignments {
        let w = wq::work_row(db, a.id).await?.expect("assignment row");
        match first {
            None => first = Some((a.id, w.unit_id)),
            Some((f, unit)) if unit != w.unit_id => return Ok((f, a.id)),
            Some(_) => {}
        }
    }
    anyhow::bail!("the plan has one unit only")
}

/// An officer account of the unit holding `assignment`.
async fn officer_of(db: &Db, assignment: Id, login: &str) -> anyhow::Result<User> {
    let w = wq::work_row(db, assignment).await?.expect("assignment row");
    let id = accounts::system::create_user(
        db,
        &NewUser {
            login: login.into(),
            display_name: login.into(),
            password_hash: "x".into(),
            role: Role::AgencyOfficer,
            unit_id: Some(w.unit_id),
            province_id: None,
        },
    )
    .await?;
    Ok(accounts::user(db, id).await?.expect("new account"))
}

/// What was written about an assignment: its timeline and its audit rows.
async fn written(db: &Db, id: Id) -> anyhow::Result<(usize, usize)> {
    let w = wq::work_row(db, id).await?.expect("assignment row");
    let (events, _) = assignment::timeline(db, &w).await?;
    let audit = tinhgon_store::audit::for_object(db, "assignment", id).await?;
    Ok((events.len(), audit.len()))
}

fn field_of(e: &AppError) -> Option<(&'static str, String)> {
    match e {
        AppError::Invalid { field, message } => Some((field, message.clone())),
        _ => None,
    }
}

tinhgon_testkit::both_databases! {
    async fn an_extension_with_a_malformed_date_is_refused_and_nothing_is_written(t) -> anyhow::Result<()> {
        let db = Db::connect(&t.url).await?;
        let (_, plan) = publish_615(&db).await?;
        let (mine, _) = two_units_work(&db, plan).await?;
        let officer = officer_of(&db, mine, "can-bo-a").await?;
        let before = written(&db, mine).await?;
        let form = ExtensionForm {
            new_due: "31/02/2026".into(),
            reason: "Chờ hướng dẫn của Trung ương.".into(),
            submission_key: None,
        };
        let e = extensions::request(&db, &officer, AssignmentId(mine), form)
            .await
            .expect_err("a date that does not exist");
        assert_eq!(
            field_of(&e),
            Some(("new_due", "Hạn mới không hợp lệ (dd/mm/yyyy).".to_string()))
        );
        assert_eq!(written(&db, mine).await?, before);
        Ok(())
    }
}

tinhgon_testkit::both_databases! {
    async fn an_extension_without_a_reason_is_refused_and_nothing_is_written(t) -> anyhow::Result<()> {
        let db = Db::connect(&t.url).await?;
        let (_, plan) = publish_615(&db).await?;
        let (mine, _) = two_units_work(&db, plan).await?;
        let officer = officer_of(&db, mine, "can-bo-a").await?;
        let before = written(&db, mine).await?;
        let form = ExtensionForm {
            new_due: "31/12/2030".into(),
            reason: "  ".into(),
            submission_key: None,
        };
        let e = extensions::request(&db, &officer, AssignmentId(mine), form)
            .await
            .expect_err("a blank reason");
        assert_eq!(
            field_of(&e),
            Some(("reason", "Vui lòng nêu lý do đề nghị gia hạn.".to_string()))
        );
        assert_eq!(written(&db, mine).await?, before);
        Ok(())
    }
}

tinhgon_testkit::both_databases! {
    async fn a_blank_obstacle_and_a_percentage_out_of_range_are_refused(t) -> anyhow::Result<()> {
        let db = Db::connect(&t.url).await?;
        let (_, plan) = publish_615(&db).await?;
        let (mine, _) = two_units_work(&db, plan).await?;
        let officer = officer_of(&db, mine, "can-bo-a").await?;
        let before = written(&db, mine).await?;
        let e = obstacles::raise(&db, &officer, AssignmentId(mine), "\n ", None)
            .await
            .expect_err("a blank obstacle");
        assert_eq!(
            field_of(&e),
            Some(("text", "Vui lòng nêu nội dung vướng mắc.".to_string()))
        );
        let dir = tempfile::tempdir()?;
        let form = ProgressForm {
            text: "Đã hoàn thành dự thảo.".into(),
            percent: Some(150),
            files: Vec::new(),
            submission_key: None,
        };
        let e = progress::report_progress(&db, dir.path(), &officer, AssignmentId(mine), form)
            .await
            .expect_err("150 %");
        assert_eq!(
            field_of(&e),
            Some(("percent", "Tỷ lệ hoàn thành phải từ 0 đến 100.".to_string()))
        );
        assert_eq!(written(&db, mine).await?, before);
        Ok(())
    }
}

tinhgon_testkit::both_databases! {
    async fn an_agency_cannot_write_another_agencys_assignment(t) -> anyhow::Result<()> {
        let db = Db::connect(&t.url).await?;
        let (_, plan) = publish_615(&db).await?;
        let (mine, theirs) = two_units_work(&db, plan).await?;
        let officer = officer_of(&db, mine, "can-bo-a").await?;
        let before = written(&db, theirs).await?;
        let dir = tempfile::tempdir()?;
        let form = ProgressForm {
            text: "Báo cáo hộ đơn vị khác.".into(),
            percent: Some(50),
            files: vec![("bc.pdf".into(), b"%PDF-1.7 minh chung".to_vec())],
            submission_key: None,
        };
        let e = progress::report_progress(&db, dir.path(), &officer, AssignmentId(theirs), form)
            .await
            .expect_err("another unit's assignment");
        assert!(matches!(e, AppError::Forbidden), "{e:?}");
        assert_eq!(e.to_string(), "Bạn không có quyền thực hiện thao tác này.");
        // The refused caller's file never reached the disk.
        assert!(!dir.path().join("evidence").exists());
        let e = obstacles::raise(&db, &officer, AssignmentId(theirs), "Vướng mắc.", None)
            .await
            .expect_err("another unit's assignment");
        assert!(matches!(e, AppError::Forbidden), "{e:?}");
        assert_eq!(written(&db, theirs).await?, before);
        // The same officer's own assignment takes the same report.
        let form = ProgressForm {
            text: "Đã hoàn thành dự thảo.".into(),
            percent: Some(50),
            files: Vec::new(),
            submission_key: None,
        };
        progress::report_progress(&db, dir.path(), &officer, AssignmentId(mine), form).await?;
        assert_ne!(written(&db, mine).await?.0, 0);
        Ok(())
    }
}
