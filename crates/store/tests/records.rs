//! Records around an assignment on both databases: progress with evidence, obstacles,
//! reminders made exactly once, contributions, plan lists.

mod common;

use common::{count, d, import_nghe_an, noon, plan_of, task, unit_named};
use tinhgon_domain::DeadlineKind;
use tinhgon_store::records::{self, NewEvidence, NewReminder};
use tinhgon_store::status::{self, Scope};
use tinhgon_store::{plans, Db, StoreError};

tinhgon_testkit::both_databases! {
    async fn progress_evidence_obstacles_reminders_and_contributions(t) -> anyhow::Result<()> {
        let db = Db::connect(&t.url).await?;
        let p = import_nghe_an(&db).await?;
        let day = d(2025, 8, 1);
        let plan_id = plan_of("7/KH-UBND", day)
            .task(task(
                "1",
                &["Sở Tư pháp"],
                &["Sở Y tế"],
                DeadlineKind::By,
                Some(d(2025, 8, 20)),
            ))
            .publish(&db, p)
            .await?
            .id;
        let listed = plans::list_plans(&db, Some(p)).await?;
        anyhow::ensure!(listed
            .iter()
            .any(|(id, n, _, _)| *id == plan_id && n.as_deref() == Some("7/KH-UBND")));
        anyhow::ensure!(plans::list_plans(&db, None).await?.len() == listed.len());
        let a = status::due_soon(&db, Scope::Plan(plan_id), day, 30).await?[0].clone();
        let evidence = NewEvidence {
            file_name: "bao-cao.pdf".into(),
            media_type: "application/pdf".into(),
            size_bytes: 1234,
            sha256: "ab".repeat(32),
            storage_key: "ev/ab".into(),
        };
        let bad =
            records::system::add_progress_report(&db, a.id, None, Some(150), "x", &[], noon(day))
                .await;
        anyhow::ensure!(matches!(bad, Err(StoreError::Rejected(_))));
        records::system::add_progress_report(
            &db,
            a.id,
            Some(3),
            Some(40),
            "Đã xây dựng dự thảo",
            std::slice::from_ref(&evidence),
            noon(d(2025, 8, 5)),
        )
        .await?;
        let reports = records::progress_reports(&db, a.id).await?;
        anyhow::ensure!(
            reports.len() == 1 && reports[0].percent == Some(40) && reports[0].unit_id == a.unit_id
        );
        let files = records::evidence(&db, a.id).await?;
        anyhow::ensure!(
            files.len() == 1
                && files[0].sha256 == evidence.sha256
                && files[0].progress_report_id == Some(reports[0].id)
        );
        let o = records::system::raise_obstacle(
            &db,
            a.id,
            Some(3),
            "Thiếu hướng dẫn của Bộ",
            noon(d(2025, 8, 6)),
        )
        .await?;
        records::system::answer_obstacle(
            &db,
            o,
            Some(1),
            "Đã có văn bản hướng dẫn",
            noon(d(2025, 8, 7)),
        )
        .await?;
        anyhow::ensure!(records::system::answer_obstacle(
            &db,
            o,
            Some(1),
            "lần hai",
            noon(d(2025, 8, 8))
        )
        .await
        .is_err());
        let r = NewReminder {
            unit_id: a.unit_id,
            assignment_id: Some(a.id),
            kind: "due_in_7".into(),
            for_date: d(2025, 8, 13),
            message: "Còn 7 ngày đến hạn".into(),
            created_by: None,
        };
        anyhow::ensure!(records::system::create_reminder(&db, &r, noon(d(2025, 8, 13))).await?);
        anyhow::ensure!(
            !records::system::create_reminder(&db, &r, noon(d(2025, 8, 13))).await?,
            "a second instance makes no duplicate"
        );
        let urging = NewReminder {
            assignment_id: None,
            kind: "urging".into(),
            ..r.clone()
        };
        anyhow::ensure!(
            records::system::create_reminder(&db, &urging, noon(d(2025, 8, 13))).await?
        );
        anyhow::ensure!(
            !records::system::create_reminder(&db, &urging, noon(d(2025, 8, 13))).await?
        );
        anyhow::ensure!(count(&db, "reminders").await? == 2);
        let y_te = unit_named(&db, p, "Sở Y tế", day).await?;
        records::system::add_contribution(
            &db,
            a.task_id,
            y_te,
            None,
            "Ý kiến phối hợp",
            noon(d(2025, 8, 9)),
        )
        .await?;
        anyhow::ensure!(records::system::add_contribution(
            &db,
            999_999,
            y_te,
            None,
            "x",
            noon(day)
        )
        .await
        .is_err());
        // Refused extension leaves the due date; the overdue list sees it after 20/8.
        let ext = records::system::request_extension(
            &db,
            a.id,
            None,
            d(2025, 9, 30),
            "cần thêm thời gian",
            noon(d(2025, 8, 10)),
        )
        .await?;
        records::system::decide_extension(
            &db,
            ext,
            false,
            Some(1),
            Some("không đồng ý"),
            noon(d(2025, 8, 11)),
        )
        .await?;
        anyhow::ensure!(records::system::decide_extension(
            &db,
            ext,
            true,
            Some(1),
            None,
            noon(d(2025, 8, 12))
        )
        .await
        .is_err());
        let overdue = status::overdue_list(
            &db,
            Scope::Unit(a.unit_id),
            d(2025, 8, 21),
            noon(d(2025, 8, 21)),
        )
        .await?;
        anyhow::ensure!(overdue.iter().map(|o| o.id).collect::<Vec<_>>() == vec![a.id]);
        Ok(())
    }
}
