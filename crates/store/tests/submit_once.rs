//! Idempotent submission in the store on both databases: the same key sent by several
//! concurrent writers records one progress report (the others wait for it and answer with its
//! id), a rolled-back write leaves its key free, and keys are per user.

mod common;

use common::{count, d, import_nghe_an, noon, plan_of};
use tinhgon_store::audit::AuditEntry;
use tinhgon_store::idempotency::Submission;
use tinhgon_store::records;
use tinhgon_store::status::{self, Scope};
use tinhgon_store::Db;

fn entry(id: i64) -> AuditEntry {
    AuditEntry {
        actor_id: Some(7),
        actor_login: Some("canbo".into()),
        action: "assignment.progress".into(),
        object_kind: "assignment".into(),
        object_id: Some(id),
        before: None,
        after: None,
        notices: Vec::new(),
    }
}

tinhgon_testkit::both_databases! {
    /// Eight concurrent writers with one key record one report; a failed write frees its key;
    /// keys are per user.
    async fn concurrent_repeats_of_one_key_record_one_report(t) -> anyhow::Result<()> {
        let db = Db::connect(&t.url).await?;
        let p = import_nghe_an(&db).await?;
        let day = d(2025, 8, 1);
        let plan_id = plan_of("8/KH-UBND", day)
            .due("1", "Sở Tư pháp", d(2025, 9, 30))
            .publish(&db, p)
            .await?
            .id;
        let a = status::due_soon(&db, Scope::Plan(plan_id), day, 90).await?[0].id;
        let once = Submission::new(7, "8b0e1a52-3c1f-4f55-9d1e-2a7c6b8f0d11")?;
        let mut writers = Vec::new();
        for _ in 0..8 {
            let (db, once) = (db.clone(), once.clone());
            writers.push(tokio::spawn(async move {
                records::add_progress_report_audited(&db, &records::NewProgress { assignment_id: a, actor: Some(7), percent: Some(50), text: "Đã trình dự thảo", evidence: &[], at: noon(d(2025, 8, 5)), once: Some(&once) }, &entry(a), None)
                .await
            }));
        }
        let mut ids = Vec::new();
        for w in writers {
            ids.push(w.await??);
        }
        ids.dedup();
        anyhow::ensure!(
            ids.len() == 1,
            "every repeat answers the first report: {ids:?}"
        );
        anyhow::ensure!(records::progress_reports(&db, a).await?.len() == 1);
        anyhow::ensure!(count(&db, "submission_keys").await? == 1);

        // A write refused in its transaction (percent out of range is refused before it; a
        // missing assignment inside it) keeps no key: the same key then works.
        let lost = Submission::new(7, "key-of-a-failed-write")?;
        let missing = records::add_progress_report_audited(&db, &records::NewProgress { assignment_id: i64::MAX, actor: Some(7), percent: None, text: "x", evidence: &[], at: noon(day), once: Some(&lost) }, &entry(a), None)
        .await;
        anyhow::ensure!(missing.is_err());
        anyhow::ensure!(count(&db, "submission_keys").await? == 1);
        let later = records::add_progress_report_audited(&db, &records::NewProgress { assignment_id: a, actor: Some(7), percent: None, text: "Bổ sung", evidence: &[], at: noon(day), once: Some(&lost) }, &entry(a), None)
        .await?;
        anyhow::ensure!(!ids.contains(&later));
        anyhow::ensure!(records::progress_reports(&db, a).await?.len() == 2);

        // Keys are per user: another user's same key is another submission.
        let theirs = Submission::new(8, "8b0e1a52-3c1f-4f55-9d1e-2a7c6b8f0d11")?;
        let other = records::add_progress_report_audited(&db, &records::NewProgress { assignment_id: a, actor: Some(8), percent: None, text: "Đã trình dự thảo", evidence: &[], at: noon(day), once: Some(&theirs) }, &entry(a), None)
        .await?;
        anyhow::ensure!(!ids.contains(&other));
        anyhow::ensure!(records::progress_reports(&db, a).await?.len() == 3);
        Ok(())
    }
}
