//! `tinhgon staffing …`: the staffing ledger from the command line: the template a Department
//! of Home Affairs sends out, the import of a filled file (all rows or none), and the
//! attainment of the reduction targets through the register's lineage.

use std::path::PathBuf;

use anyhow::Context;
use chrono::{Datelike, NaiveDate, Utc};
use clap::Subcommand;
use tinhgon_app::staffing::{sheet, status};
use tinhgon_store::Db;

/// Staffing commands.
#[derive(Subcommand)]
pub enum StaffingCommand {
    /// Nhập số liệu biên chế từ tệp .xlsx (theo mẫu) hoặc .csv; có dòng sai thì không nhập gì.
    Import {
        /// Tệp .xlsx hoặc .csv.
        file: PathBuf,
        /// Tệp SQLite hoặc URL PostgreSQL.
        #[arg(long, env = "TINHGON_DB")]
        db: String,
    },
    /// Xuất mẫu số liệu biên chế (.xlsx) với các đơn vị đang hoạt động của tỉnh.
    Template {
        /// Tệp SQLite hoặc URL PostgreSQL.
        #[arg(long, env = "TINHGON_DB")]
        db: String,
        /// Tên hoặc mã tỉnh.
        #[arg(long)]
        province: String,
        /// Tệp .xlsx sẽ ghi.
        #[arg(long)]
        out: PathBuf,
        /// Năm của biên chế được giao (mặc định năm nay).
        #[arg(long)]
        year: Option<i32>,
    },
    /// Tình hình thực hiện chỉ tiêu tinh giản biên chế của tỉnh, tính qua sáp nhập, chia tách.
    Status {
        /// Tệp SQLite hoặc URL PostgreSQL.
        #[arg(long, env = "TINHGON_DB")]
        db: String,
        /// Tên hoặc mã tỉnh.
        #[arg(long)]
        province: String,
        /// Ngày xem (YYYY-MM-DD hoặc dd/mm/yyyy), mặc định hôm nay.
        #[arg(long)]
        as_of: Option<String>,
        /// In JSON.
        #[arg(long)]
        json: bool,
    },
}

/// Runs a staffing command: 0 on success; an error is printed after "Lỗi:" with code 1.
pub fn run(cmd: StaffingCommand) -> i32 {
    match run_inner(cmd) {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("Lỗi: {e:#}");
            1
        }
    }
}

fn run_inner(cmd: StaffingCommand) -> anyhow::Result<()> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("không khởi động được bộ chạy bất đồng bộ")?;
    let today = tinhgon_domain::local_date(Utc::now());
    rt.block_on(async {
        match cmd {
            StaffingCommand::Import { file, db } => {
                let bytes = std::fs::read(&file)
                    .with_context(|| format!("không đọc được tệp {}", file.display()))?;
                let db = Db::connect(&db).await?;
                let name = file
                    .file_name()
                    .map(|n| n.to_string_lossy().to_string())
                    .unwrap_or_default();
                let operator = std::env::var("USER").ok();
                let s = sheet::import(
                    &db,
                    sheet::Importer::System(operator.as_deref()),
                    &name,
                    &bytes,
                )
                .await;
                db.close().await;
                let s = s?;
                println!(
                    "Đã nhập {} số liệu của {} đơn vị từ {}.",
                    s.figures, s.units, name
                );
            }
            StaffingCommand::Template {
                db,
                province,
                out,
                year,
            } => {
                let db = Db::connect(&db).await?;
                let id = status::find_province(&db, &province).await?;
                let bytes = sheet::template_for(&db, id, year.unwrap_or(today.year()), today).await;
                db.close().await;
                std::fs::write(&out, bytes?)
                    .with_context(|| format!("không ghi được tệp {}", out.display()))?;
                println!("Đã ghi mẫu số liệu biên chế vào {}.", out.display());
            }
            StaffingCommand::Status {
                db,
                province,
                as_of,
                json,
            } => {
                let as_of = match as_of.as_deref() {
                    None => today,
                    Some(t) => tinhgon_app::input::parse_date(t).with_context(|| {
                        format!("ngày “{t}” không hợp lệ (YYYY-MM-DD hoặc dd/mm/yyyy)")
                    })?,
                };
                let db = Db::connect(&db).await?;
                let id = status::find_province(&db, &province).await;
                let report = match id {
                    Ok(id) => status::province_status(&db, id, as_of).await,
                    Err(e) => Err(e),
                };
                db.close().await;
                let report = report?;
                if json {
                    println!("{}", serde_json::to_string_pretty(&report)?);
                } else {
                    print_table(&report, as_of);
                }
            }
        }
        Ok(())
    })
}

fn pct(p: Option<f64>) -> String {
    p.map(|p| format!("{p:.1}%").replace('.', ","))
        .unwrap_or_else(|| "—".into())
}

fn met(m: Option<bool>) -> &'static str {
    match m {
        Some(true) => "đạt",
        Some(false) => "chưa đạt",
        None => "—",
    }
}

fn print_table(r: &status::StatusReport, as_of: NaiveDate) {
    println!(
        "Tinh giản biên chế — {} — tại ngày {}",
        r.province,
        as_of.format("%d/%m/%Y")
    );
    println!("Đơn vị\tTính theo\tNăm gốc\tSố gốc\tHiện nay\tĐã giảm\tChỉ tiêu\tKết quả");
    for u in &r.units {
        println!(
            "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
            u.unit,
            u.measure.label_vi(),
            u.baseline_year.map(|y| y.to_string()).unwrap_or_default(),
            u.baseline,
            u.current,
            pct(u.reduction_percent),
            pct(u.target_percent),
            met(u.met)
        );
        for p in &u.predecessors {
            println!("  ← {}: {}", p.unit, p.baseline);
        }
        if !u.missing_baseline.is_empty() {
            println!(
                "  Chưa có số người có mặt cuối năm gốc của: {}",
                u.missing_baseline.join(", ")
            );
        }
    }
    let t = &r.total;
    println!(
        "Toàn tỉnh\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
        t.measure.map(|m| m.label_vi()).unwrap_or_default(),
        t.baseline_year.map(|y| y.to_string()).unwrap_or_default(),
        t.baseline,
        t.current,
        pct(t.reduction_percent),
        pct(t.target_percent),
        met(t.met)
    );
}
