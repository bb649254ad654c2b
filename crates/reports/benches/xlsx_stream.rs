//! National export: 2,000,000 assignment rows streamed to XLSX in constant-memory mode;
//! peak RSS (VmHWM) must stay under 300 MB.
//!
//! Run: `cargo bench -p tinhgon-reports --bench xlsx_stream` (ROWS=… to change the count).

use std::io::BufWriter;
use std::time::Instant;

use chrono::{Days, NaiveDate};
use tinhgon_reports::xlsx::StreamOptions;
use tinhgon_reports::{tasks_xlsx_streaming, StatusClass, TaskRow};

fn status_kb(key: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with(key))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

/// A lazily generated row: realistic Vietnamese texts, a due date, a class, progress.
fn row(i: u64) -> TaskRow {
    let base = NaiveDate::from_ymd_opt(2025, 1, 1).expect("date");
    let class = StatusClass::ALL[(i % 7) as usize];
    let due = base.checked_add_days(Days::new(i % 700));
    let done = class.is_done();
    TaskRow {
        reference: format!("PL.{}", i % 40 + 1),
        content: format!(
            "Tham mưu sáp nhập, sắp xếp, kiện toàn các đơn vị sự nghiệp công lập thuộc UBND tỉnh (kế hoạch số {}/KH-UBND)",
            i % 997
        ),
        lead: format!("UBND xã số {}, tỉnh số {}", i % 3321, i % 34 + 1),
        coordinating: "Sở Nội vụ; các cơ quan, đơn vị liên quan".to_string(),
        deadline_text: "Hoàn thành trong quý III/2025".to_string(),
        due,
        class,
        completed_on: if done { due } else { None },
        latest_progress: Some("Đã xây dựng dự thảo đề án, đang lấy ý kiến các cơ quan liên quan.".to_string()),
    }
}

fn main() {
    let rows: u64 = std::env::var("ROWS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2_000_000);
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("national.xlsx");
    let before = status_kb("VmHWM:");
    let start = Instant::now();
    let file = std::fs::File::create(&path).expect("create");
    let opts = StreamOptions {
        tempdir: Some(dir.path().to_path_buf()),
        ..StreamOptions::default()
    };
    let n = tasks_xlsx_streaming((0..rows).map(row), BufWriter::new(file), &opts).expect("stream");
    let elapsed = start.elapsed();
    let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    let peak_kb = status_kb("VmHWM:");
    // Uncompressed sheet XML ≈ the spill files' size on the temp disk during the export.
    let archive = zip::ZipArchive::new(std::fs::File::open(&path).expect("open")).expect("zip");
    let sheets: Vec<String> = archive
        .file_names()
        .filter(|n| n.starts_with("xl/worksheets/"))
        .map(str::to_string)
        .collect();
    let mut archive = archive;
    let sheet_bytes: u64 = sheets
        .iter()
        .map(|n| archive.by_name(n).map(|f| f.size()).unwrap_or(0))
        .sum();
    println!(
        "xlsx_stream: {n} rows in {elapsed:.2?} ({:.0} rows/s), file {:.1} MB, {} sheets holding {:.0} MB of XML, peak RSS (VmHWM) {:.1} MB (before export {:.1} MB)",
        n as f64 / elapsed.as_secs_f64(),
        size as f64 / 1e6,
        sheets.len(),
        sheet_bytes as f64 / 1e6,
        peak_kb as f64 / 1024.0,
        before as f64 / 1024.0
    );
    assert_eq!(n, rows);
    assert!(peak_kb < 300 * 1024, "peak RSS {peak_kb} kB exceeds 300 MB");
}
