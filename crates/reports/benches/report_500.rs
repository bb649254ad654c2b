//! Aggregated report (DOCX + XLSX + CSV) of a plan with 500 assignments; target < 1 s.
//!
//! Run: `cargo bench -p tinhgon-reports --bench report_500`

#[path = "../tests/common/mod.rs"]
mod common;

use std::time::{Duration, Instant};

use tinhgon_reports::{aggregated_report_docx, aggregated_report_xlsx, csv::tasks_csv, TaskRow};

/// 500 assignments: the 16 tasks of 615/KH-UBND assigned to 60 units in turn, with the
/// scripted states, so texts have real lengths and every class occurs.
fn rows_500() -> Vec<TaskRow> {
    let base = common::plan_615_rows();
    (0..500)
        .map(|i| {
            let mut r = base[i % base.len()].clone();
            r.reference = format!("PL.{}.{}", i % base.len() + 1, i / base.len() + 1);
            r.lead = format!("Đơn vị số {:02}", i % 60 + 1);
            r
        })
        .collect()
}

fn main() {
    let report = common::report_from_rows(rows_500());
    assert_eq!(report.tasks.len(), 500);
    let mut times: Vec<(Duration, Duration, Duration)> = Vec::new();
    let mut sizes = (0, 0, 0);
    for _ in 0..12 {
        let t0 = Instant::now();
        let docx = aggregated_report_docx(&report).expect("docx");
        let t1 = Instant::now();
        let xlsx = aggregated_report_xlsx(&report).expect("xlsx");
        let t2 = Instant::now();
        let csv = tasks_csv(&report.tasks).expect("csv");
        let t3 = Instant::now();
        sizes = (docx.len(), xlsx.len(), csv.len());
        times.push((t1 - t0, t2 - t1, t3 - t2));
    }
    // Drop the two warm-up runs, report median and worst of the rest.
    let mut total: Vec<Duration> = times[2..].iter().map(|(a, b, c)| *a + *b + *c).collect();
    total.sort();
    let median = |v: &mut Vec<Duration>| {
        v.sort();
        v[v.len() / 2]
    };
    let mut d: Vec<Duration> = times[2..].iter().map(|t| t.0).collect();
    let mut x: Vec<Duration> = times[2..].iter().map(|t| t.1).collect();
    let mut c: Vec<Duration> = times[2..].iter().map(|t| t.2).collect();
    println!(
        "report_500: docx {:?} ({} B), xlsx {:?} ({} B), csv {:?} ({} B); total median {:?}, worst {:?} over {} runs",
        median(&mut d),
        sizes.0,
        median(&mut x),
        sizes.1,
        median(&mut c),
        sizes.2,
        total[total.len() / 2],
        total[total.len() - 1],
        total.len()
    );
    let worst = total[total.len() - 1];
    assert!(
        worst < Duration::from_secs(1),
        "500-assignment report took {worst:?} (target < 1 s)"
    );
}
