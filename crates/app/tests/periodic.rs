//! Periodic reporting from the published seed plan 615/KH-UBND with scripted progress on
//! both sides of a past cut-off, on SQLite and PostgreSQL.

mod common;

use std::collections::BTreeMap;
use std::io::{Cursor, Read};

use chrono::Utc;
use common::*;
use tinhgon_app::{agency_prefill, aggregated_report, report_periods, urging_notice, PeriodChoice};
use tinhgon_reports::{ClassCounts, StatusClass};
use tinhgon_store::periodic::{self, AgencyReportContent, NewSchedule, PeriodKind, Standing};
use tinhgon_store::status::{self, Scope};
use tinhgon_store::Db;

/// The store's SQL counts (an independent implementation of the classification) as the
/// report model's counts.
async fn sql_counts(db: &Db, plan: i64, day: chrono::NaiveDate) -> anyhow::Result<ClassCounts> {
    let c = status::status_counts(db, Scope::Plan(plan), day, Utc::now()).await?;
    let mut out = ClassCounts::default();
    for (class, n) in &c.by_class {
        for _ in 0..*n {
            out.add(*class);
        }
    }
    Ok(out)
}

fn done(c: &ClassCounts) -> u32 {
    c.done_on_time + c.done_late
}

tinhgon_testkit::both_databases! {
    async fn a_past_cutoff_gives_the_figures_that_were_true_then(t) -> anyhow::Result<()> {
        let db = Db::connect(&t.url).await?;
        let (_, plan) = publish_615(&db).await?;
        let scripted = script(&db, plan).await?;
        let n = |s: Script| {
            u32::try_from(scripted.iter().filter(|(_, x)| *x == s).count()).unwrap_or(0)
        };
        assert!(
            scripted.len() >= 8,
            "615 has several assignments: {}",
            scripted.len()
        );

        let past = report_periods(&db, plan, cutoff()).await?;
        assert_eq!(past.label, "quý III/2025");
        assert_eq!(
            past.previous.as_ref().map(|p| p.0.as_str()),
            Some("quý II/2025")
        );
        let then = aggregated_report(&db, plan, &past, cutoff()).await?;
        let today = Utc::now().date_naive();
        let now_period = report_periods(&db, plan, today).await?;
        let now = aggregated_report(&db, plan, &now_period, today).await?;

        // What was true then: only the work confirmed before the cut-off is done.
        assert_eq!(done(&then.totals), n(Script::DoneBefore));
        assert_eq!(
            done(&now.totals),
            n(Script::DoneBefore) + n(Script::DoneAfter)
        );
        assert_ne!(then.totals, now.totals);
        // Same figures as the store's SQL counting, on both days.
        assert_eq!(then.totals, sql_counts(&db, plan, cutoff()).await?);
        assert_eq!(now.totals, sql_counts(&db, plan, today).await?);
        // The plan was published before quý II/2025 ended? No: nothing existed then.
        assert_eq!(then.previous.map(|c| c.total()), Some(0));
        assert_eq!(then.totals.total() as usize, scripted.len());

        // Task rows: one per assignment, the latest note as of the day asked.
        assert_eq!(then.tasks.len(), scripted.len());
        let after_then: Vec<_> = then
            .tasks
            .iter()
            .filter(|t| t.latest_progress.as_deref() == Some(NOTE_AFTER))
            .collect();
        assert!(
            after_then.is_empty(),
            "a note written after the cut-off leaked into it"
        );
        let before_then = then
            .tasks
            .iter()
            .filter(|t| t.latest_progress.as_deref() == Some(NOTE_BEFORE))
            .count();
        assert_eq!(before_then as u32, n(Script::DoneAfter));
        let after_now = now
            .tasks
            .iter()
            .filter(|t| t.latest_progress.as_deref() == Some(NOTE_AFTER))
            .count();
        assert_eq!(after_now as u32, n(Script::DoneAfter));
        // Completion dates only for work done by then.
        assert_eq!(
            then.tasks
                .iter()
                .filter(|t| t.completed_on.is_some())
                .count() as u32,
            n(Script::DoneBefore)
        );
        assert!(then
            .tasks
            .iter()
            .all(|t| t.completed_on.is_none_or(|c| c <= cutoff())));
        // Per-unit counts add up to the totals.
        let mut sum = ClassCounts::default();
        for u in &then.units {
            for class in StatusClass::ALL {
                for _ in 0..u.counts.get(class) {
                    sum.add(class);
                }
            }
        }
        assert_eq!(sum, then.totals);
        // Overdue rows are exactly the overdue assignments, each with its days and reason.
        assert_eq!(now.overdue.len() as u32, now.totals.overdue);
        for o in &now.overdue {
            assert_eq!(i64::from(o.days_overdue), (today - o.due).num_days());
        }
        Ok(())
    }
}

fn zip_text(bytes: &[u8], name: &str) -> String {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).expect("zip");
    let mut s = String::new();
    zip.by_name(name)
        .expect("part")
        .read_to_string(&mut s)
        .expect("utf-8");
    s
}

#[tokio::test(flavor = "multi_thread")]
async fn documents_from_the_database_are_valid_docx_xlsx_csv() {
    let test_db = tinhgon_testkit::sqlite_db();
    let db = Db::connect(&test_db.url).await.expect("connect");
    let (_, plan) = publish_615(&db).await.expect("publish");
    script(&db, plan).await.expect("script");
    let period = report_periods(&db, plan, cutoff()).await.expect("period");
    let report = aggregated_report(&db, plan, &period, d(2025, 9, 18))
        .await
        .expect("report");

    // DOCX: A4, Times New Roman, the state header, every task row.
    let docx = tinhgon_reports::aggregated_report_docx(&report).expect("docx");
    let doc = zip_text(&docx, "word/document.xml");
    assert!(
        doc.contains("w:w=\"11906\"") && doc.contains("w:h=\"16838\""),
        "A4 page"
    );
    assert!(doc.contains("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"));
    assert!(doc.contains("615/KH-UBND"));
    assert!(doc.contains("quý III/2025"));
    let styles = zip_text(&docx, "word/styles.xml");
    assert!(styles.contains("Times New Roman"));
    for t in &report.tasks {
        assert!(
            doc.contains(&t.lead.replace('&', "&amp;")),
            "unit {} in the DOCX",
            t.lead
        );
    }

    // XLSX: task sheet with one row per assignment and real dates.
    let xlsx = tinhgon_reports::aggregated_report_xlsx(&report).expect("xlsx");
    {
        use calamine::{open_workbook_from_rs, Data, Reader, Xlsx};
        let mut wb: Xlsx<_> = open_workbook_from_rs(Cursor::new(xlsx.clone())).expect("open xlsx");
        let sheet = tinhgon_reports::xlsx::TASK_SHEET;
        let range = wb.worksheet_range(sheet).expect("task sheet");
        assert_eq!(range.height(), report.tasks.len() + 1);
        let dated = report.tasks.iter().filter(|t| t.due.is_some()).count();
        let date_cells = range
            .rows()
            .skip(1)
            .filter(|r| matches!(r.get(6), Some(Data::DateTime(_))))
            .count();
        assert_eq!(date_cells, dated, "due dates are real dates");
    }

    // CSV: BOM, header + one line per row.
    let csv = tinhgon_reports::csv::tasks_csv(&report.tasks).expect("csv");
    assert!(csv.starts_with(tinhgon_reports::csv::BOM));
    let mut reader = csv::ReaderBuilder::new().from_reader(&csv[tinhgon_reports::csv::BOM.len()..]);
    assert_eq!(reader.records().count(), report.tasks.len());

    // Urging notice for a unit with overdue work today.
    let today = Utc::now().date_naive();
    let now_period = report_periods(&db, plan, today).await.expect("period");
    let now = aggregated_report(&db, plan, &now_period, today)
        .await
        .expect("report");
    let notice = match now.overdue.first() {
        Some(o) => {
            let (unit, _) = tinhgon_app::find_unit(&db, plan, &tinhgon_textkit::fold(&o.unit))
                .await
                .expect("unit");
            let n = urging_notice(&db, plan, unit, today, today)
                .await
                .expect("notice");
            assert_eq!(
                n.items.len(),
                now.overdue.iter().filter(|x| x.unit == o.unit).count()
            );
            Some(tinhgon_reports::urging_notice_docx(&n).expect("notice docx"))
        }
        None => None,
    };

    if tinhgon_testkit::office::soffice_required() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("bao-cao.docx");
        std::fs::write(&path, &docx).expect("write");
        let pdf = tinhgon_testkit::office::soffice_convert(&path, "pdf", dir.path());
        assert!(std::fs::metadata(&pdf).expect("pdf").len() > 1000);
        let xpath = dir.path().join("phu-luc.xlsx");
        std::fs::write(&xpath, &xlsx).expect("write");
        tinhgon_testkit::office::soffice_convert(&xpath, "csv", dir.path());
        if let Some(bytes) = notice {
            let npath = dir.path().join("don-doc.docx");
            std::fs::write(&npath, bytes).expect("write");
            tinhgon_testkit::office::soffice_convert(&npath, "pdf", dir.path());
        }
    }
    db.close().await;
}

tinhgon_testkit::both_databases! {
    async fn requests_submissions_versions_and_the_collected_obstacles(t) -> anyhow::Result<()> {
        let db = Db::connect(&t.url).await?;
        let (_, plan) = publish_615(&db).await?;
        script(&db, plan).await?;
        let at = vn(d(2025, 8, 1), 9);
        let sid = periodic::set_schedule(
            &db,
            &NewSchedule {
                plan_id: plan,
                kind: PeriodKind::Quarterly,
                cutoff_day: 15,
                due_days: 3,
                by: None,
                at,
            },
        )
        .await?;
        let schedule = periodic::schedule(&db, plan).await?.expect("schedule");
        assert_eq!(schedule.id, sid);
        let w = schedule.window_containing(cutoff()).expect("window");
        assert_eq!(
            (w.cutoff, w.due, w.label.as_str()),
            (cutoff(), d(2025, 9, 18), "quý III/2025")
        );

        let ids = periodic::open_requests(&db, plan, Some(sid), &w, at).await?;
        let units = tinhgon_store::periodic::data::plan_units(&db, plan).await?;
        assert_eq!(
            ids.len(),
            units.len(),
            "one request per unit with assignments"
        );
        // Opening again creates nothing new.
        assert_eq!(
            periodic::open_requests(&db, plan, Some(sid), &w, at).await?,
            ids
        );

        let reqs = periodic::requests(&db, plan, Some(cutoff())).await?;
        let first = reqs.first().expect("a request").clone();
        let prefill = agency_prefill(&db, first.id).await?;
        let mine = prefill.done.len() + prefill.late.len() + prefill.in_progress.len();
        assert!(
            mine > 0,
            "the pre-filled report lists the unit's assignments"
        );

        // Submit on time, then correct: both versions kept, the first superseded.
        let mut content = AgencyReportContent {
            obstacles: vec!["Chưa có hướng dẫn của Bộ về mô hình mới.".into()],
            proposals: vec!["Đề nghị bổ sung biên chế.".into()],
            ..prefill.clone()
        };
        let v1 =
            periodic::submit_report(&db, first.id, None, &content, vn(d(2025, 9, 17), 10)).await?;
        content.proposals = vec!["Đề nghị bổ sung 02 biên chế công chức.".into()];
        let v2 =
            periodic::submit_report(&db, first.id, None, &content, vn(d(2025, 9, 20), 10)).await?;
        let versions = periodic::report_versions(&db, first.id).await?;
        assert_eq!(versions.len(), 2);
        assert_eq!(
            (
                versions[0].id,
                versions[0].version,
                versions[0].superseded_by
            ),
            (v1, 1, Some(v2))
        );
        assert_eq!(
            (
                versions[1].id,
                versions[1].version,
                versions[1].superseded_by
            ),
            (v2, 2, None)
        );
        assert_eq!(
            versions[0].content.proposals,
            vec!["Đề nghị bổ sung biên chế.".to_string()]
        );
        // Frozen even against a hand-written UPDATE or DELETE.
        let tampered = {
            tinhgon_store::tx::query("UPDATE agency_reports SET content_json = '{}' WHERE id = $1")
                .bind(v1)
                .execute(&db)
                .await
                .map(|_| ())
        };
        assert!(tampered.is_err(), "a submitted report cannot change");
        let deleted = {
            tinhgon_store::tx::query("DELETE FROM agency_reports WHERE id = $1")
                .bind(v2)
                .execute(&db)
                .await
                .map(|_| ())
        };
        assert!(deleted.is_err(), "a submitted report cannot be deleted");

        // Submitted / late lists on a day after the due date.
        let reqs = periodic::requests(&db, plan, Some(cutoff())).await?;
        let standing: BTreeMap<i64, Standing> = reqs
            .iter()
            .map(|r| (r.id, r.standing(d(2025, 9, 25))))
            .collect();
        assert_eq!(
            standing[&first.id],
            Standing::Submitted,
            "judged on the first, punctual version"
        );
        assert_eq!(
            standing.values().filter(|s| **s == Standing::Late).count(),
            reqs.len() - 1
        );
        assert_eq!(
            reqs.iter().find(|r| r.id == first.id).map(|r| r.versions),
            Some(2)
        );
        // Urging a late unit makes one reminder per day.
        let late = reqs.iter().find(|r| r.id != first.id).expect("a late unit");
        assert!(tinhgon_app::urge_request(&db, tinhgon_domain::ids::ReportRequestId(late.id), None, vn(d(2025, 9, 25), 9)).await?);
        assert!(!tinhgon_app::urge_request(&db, tinhgon_domain::ids::ReportRequestId(late.id), None, vn(d(2025, 9, 25), 15)).await?);

        // The aggregated report collects the current version's obstacles and proposals.
        let period = PeriodChoice {
            label: w.label.clone(),
            cutoff: w.cutoff,
            previous: None,
        };
        let report = aggregated_report(&db, plan, &period, d(2025, 9, 22)).await?;
        assert_eq!(report.obstacles.len(), 1);
        assert_eq!(report.obstacles[0].unit, first.unit_name);
        assert_eq!(
            report
                .proposals
                .iter()
                .map(|p| p.text.as_str())
                .collect::<Vec<_>>(),
            vec!["Đề nghị bổ sung 02 biên chế công chức."]
        );
        assert_eq!(periodic::windows(&db, plan).await?, vec![w.clone()]);
        Ok(())
    }
}
