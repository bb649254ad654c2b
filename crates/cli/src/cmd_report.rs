//! `tinhgon report …`: the aggregated report of a plan (DOCX, XLSX or CSV) as of a cut-off,
//! or the urging notice to one unit (DOCX).

use std::path::{Path, PathBuf};

use chrono::{NaiveDate, Utc};
use clap::{Args, ValueEnum};
use tinhgon_store::Db;

/// Output format of the aggregated report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Văn bản Word theo thể thức Nghị định 30/2020/NĐ-CP.
    Docx,
    /// Phụ lục Excel.
    Xlsx,
    /// CSV (UTF-8 có BOM).
    Csv,
}

/// Arguments of `tinhgon report`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Cơ sở dữ liệu: đường dẫn tệp SQLite hoặc URL postgres://.
    #[arg(long, env = "TINHGON_DB")]
    db: String,
    /// Số kế hoạch (ví dụ 615/KH-UBND).
    #[arg(long)]
    plan: String,
    /// Ngày chốt số liệu YYYY-MM-DD (mặc định: hôm nay).
    #[arg(long = "as-of")]
    as_of: Option<String>,
    /// Định dạng: docx, xlsx hoặc csv (văn bản đôn đốc luôn là docx).
    #[arg(long, value_enum, default_value = "docx")]
    format: Format,
    /// Tệp kết quả.
    #[arg(long)]
    out: PathBuf,
    /// Lập văn bản đôn đốc gửi đơn vị này (tên đơn vị, không phân biệt dấu).
    #[arg(long)]
    urge: Option<String>,
}

/// A failure of the command: Vietnamese message, exit code 2.
struct Failure(String);

impl<E: std::fmt::Display> From<E> for Failure {
    fn from(e: E) -> Self {
        Failure(e.to_string())
    }
}

/// Runs the command; returns the process exit code (0, or 2 with a Vietnamese message).
pub fn run(args: &ReportArgs) -> i32 {
    match run_inner(args) {
        Ok(msg) => {
            println!("{msg}");
            0
        }
        Err(Failure(msg)) => {
            eprintln!("Lỗi: {msg}");
            2
        }
    }
}

fn parse_date(s: &str) -> Result<NaiveDate, Failure> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|_| {
        Failure(format!(
            "ngày “{s}” không hợp lệ; cần dạng YYYY-MM-DD, ví dụ 2025-09-15"
        ))
    })
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), Failure> {
    std::fs::write(path, bytes)
        .map_err(|e| Failure(format!("không ghi được tệp {}: {e}", path.display())))
}

fn run_inner(args: &ReportArgs) -> Result<String, Failure> {
    let today = tinhgon_domain::local_date(Utc::now());
    let as_of = match &args.as_of {
        Some(s) => parse_date(s)?,
        None => today,
    };
    if args.urge.is_some() && args.format != Format::Docx {
        return Err(Failure("văn bản đôn đốc chỉ lập được dạng docx".into()));
    }
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure(format!("không khởi động được bộ chạy bất đồng bộ: {e}")))?;
    rt.block_on(async {
        let db = Db::connect(&args.db).await?;
        let out = build(&db, args, as_of, today).await;
        db.close().await;
        out
    })
}

async fn build(
    db: &Db,
    args: &ReportArgs,
    as_of: NaiveDate,
    today: NaiveDate,
) -> Result<String, Failure> {
    let plan = tinhgon_app::find_plan(db, &args.plan).await?;
    if let Some(unit) = &args.urge {
        let (unit_id, unit_name) = tinhgon_app::find_unit(db, plan, unit).await?;
        let notice = tinhgon_app::urging_notice(db, plan, unit_id, as_of, today).await?;
        let bytes = tinhgon_reports::urging_notice_docx(&notice)?;
        write(&args.out, &bytes)?;
        return Ok(format!(
            "Đã lập văn bản đôn đốc {unit_name} ({} nhiệm vụ quá hạn): {}",
            notice.items.len(),
            args.out.display()
        ));
    }
    let period = tinhgon_app::report_periods(db, plan, as_of).await?;
    let report = tinhgon_app::aggregated_report(db, plan, &period, today).await?;
    let bytes = match args.format {
        Format::Docx => tinhgon_reports::aggregated_report_docx(&report)?,
        Format::Xlsx => tinhgon_reports::aggregated_report_xlsx(&report)?,
        Format::Csv => tinhgon_reports::csv::tasks_csv(&report.tasks)?,
    };
    write(&args.out, &bytes)?;
    Ok(format!(
        "Đã lập báo cáo Kế hoạch số {} ({}, số liệu đến ngày {}): {} nhiệm vụ, {} quá hạn → {}",
        report.plan_number,
        report.period_label,
        report.cutoff.format("%d/%m/%Y"),
        report.totals.total(),
        report.totals.overdue,
        args.out.display()
    ))
}
