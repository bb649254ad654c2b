//! Benchmark: the aggregated report of a plan with 500 assignments — figures read from the
//! database as of a cut-off, then the DOCX and the XLSX written. SQLite file in a temp dir.
//!
//! Run: `cargo bench -p tinhgon-app --bench report_500`

use std::time::{Duration as StdDuration, Instant};

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use tinhgon_domain::user::Role;
use tinhgon_domain::{
    Action, AgencyRef, Deadline, DeadlineKind, DocumentMeta, PlanDraft, TaskDraft,
};
use tinhgon_store::plans::{self, NewDraft};
use tinhgon_store::{records, register, status, Db};

fn vn(day: NaiveDate, hour: u32) -> DateTime<Utc> {
    Utc.from_utc_datetime(&day.and_hms_opt(hour, 0, 0).expect("time")) - Duration::hours(7)
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("date")
}

async fn setup(db: &Db) -> anyhow::Result<i64> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/nghe-an-2025");
    let province = register::import_register(db, &dir).await?.province_id;
    let day = d(2025, 7, 28);
    let units = register::units_as_of(db, province, day).await?;
    let leads: Vec<String> = units
        .iter()
        .filter(|u| u.name.starts_with("Sở "))
        .take(5)
        .map(|u| u.name.clone())
        .collect();
    anyhow::ensure!(leads.len() == 5, "five departments");
    let agency = |n: &str| AgencyRef {
        text: n.into(),
        name: n.into(),
        group: None,
    };
    let tasks: Vec<TaskDraft> = (0..100)
        .map(|i| TaskDraft {
            reference: format!("{}.{}", i / 10 + 1, i % 10 + 1),
            content: format!("Nhiệm vụ số {i}: rà soát, sắp xếp tổ chức bộ máy bên trong, kiện toàn chức năng, nhiệm vụ và báo cáo kết quả thực hiện."),
            lead: leads.iter().map(|n| agency(n)).collect(),
            coordinating: vec![agency("Sở Nội vụ")],
            deadline: Deadline {
                text: "Trong quý III/2025".into(),
                kind: if i % 7 == 0 { DeadlineKind::Ongoing } else { DeadlineKind::By },
                due: (i % 7 != 0).then(|| d(2025, 8, 1) + Duration::days(i64::from(i % 60))),
                precision: None,
                period: None,
                event: None,
                start: None,
            },
            deliverable: None,
            source: Default::default(),
            progress: None,
        })
        .collect();
    let draft = PlanDraft {
        document: DocumentMeta {
            number: Some("500/KH-UBND".into()),
            issuer: Some("Ủy ban nhân dân tỉnh Nghệ An".into()),
            date: Some(day),
            title: Some("Kế hoạch thử tải 500 phân công".into()),
            ..Default::default()
        },
        tasks,
        targets: vec![],
        warnings: vec![],
    };
    let plan = plans::system::insert_draft(
        db,
        &NewDraft {
            province_id: Some(province),
            draft: &draft,
            source_text: None,
            content_hash: "bench-500",
            by: None,
            at: vn(day, 8),
        },
    )
    .await?;
    let published = plans::system::publish_plan(db, plan, None, day, vn(day, 9)).await?;
    anyhow::ensure!(
        published.assignments == 500,
        "500 assignments, got {}",
        published.assignments
    );
    let data = tinhgon_store::periodic::data::plan_data(db, plan).await?;
    for (i, a) in data.assignments.iter().enumerate() {
        let req = |action, role, at| status::ChangeRequest {
            assignment_id: a.id,
            action,
            role,
            actor: None,
            note: None,
            at,
            expected: None,
        };
        let start = vn(d(2025, 8, 4), 9) + Duration::days((i % 20) as i64);
        if i % 4 == 3 {
            continue;
        }
        status::system::change_status(db, &req(Action::Start, Role::AgencyOfficer, start)).await?;
        records::system::add_progress_report(
            db,
            a.id,
            None,
            Some(50),
            "Đang triển khai, đã xây dựng dự thảo.",
            &[],
            start + Duration::days(3),
        )
        .await?;
        if i % 2 == 0 {
            status::system::change_status(
                db,
                &req(
                    Action::ProposeCompletion,
                    Role::AgencyOfficer,
                    start + Duration::days(30),
                ),
            )
            .await?;
            status::system::change_status(
                db,
                &req(Action::Confirm, Role::Monitor, start + Duration::days(32)),
            )
            .await?;
        }
    }
    Ok(plan)
}

fn main() -> anyhow::Result<()> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    rt.block_on(async {
        let dir = tempfile::tempdir()?;
        let db = Db::connect(&dir.path().join("bench.db").display().to_string()).await?;
        let t = Instant::now();
        let plan = setup(&db).await?;
        println!(
            "setup (register + plan + 500 assignments + history): {:.2?}",
            t.elapsed()
        );
        let cutoff = d(2025, 9, 15);
        let mut runs: Vec<(StdDuration, StdDuration, StdDuration)> = Vec::new();
        let mut sizes = (0, 0);
        for _ in 0..10 {
            let t0 = Instant::now();
            let period = tinhgon_app::report_periods(&db, plan, cutoff).await?;
            let report = tinhgon_app::aggregated_report(&db, plan, &period, d(2025, 9, 18)).await?;
            let t1 = Instant::now();
            let docx = tinhgon_reports::aggregated_report_docx(&report)?;
            let t2 = Instant::now();
            let xlsx = tinhgon_reports::aggregated_report_xlsx(&report)?;
            let t3 = Instant::now();
            anyhow::ensure!(report.tasks.len() == 500, "500 rows");
            sizes = (docx.len(), xlsx.len());
            runs.push((t1 - t0, t2 - t1, t3 - t2));
        }
        runs.sort_by_key(|(a, b, c)| *a + *b + *c);
        let total = |r: &(StdDuration, StdDuration, StdDuration)| r.0 + r.1 + r.2;
        let med = runs[runs.len() / 2];
        println!("aggregated report, 500 assignments, 10 runs:");
        println!(
            "  median total {:.1?} (data {:.1?}, docx {:.1?}, xlsx {:.1?})",
            total(&med),
            med.0,
            med.1,
            med.2
        );
        println!(
            "  min {:.1?}, max {:.1?}",
            total(&runs[0]),
            total(&runs[runs.len() - 1])
        );
        println!("  docx {} bytes, xlsx {} bytes", sizes.0, sizes.1);
        db.close().await;
        Ok(())
    })
}
