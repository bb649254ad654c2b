//! `tinhgon backup | restore | migrate | check`: what an operator does to a database as a whole.

use std::path::PathBuf;

use anyhow::Context;
use clap::Subcommand;
use tinhgon_store::{audit, ops, outbox, Db};

/// Operations commands (flattened into the top level).
#[derive(Subcommand)]
pub enum OpsCommand {
    /// Sao lưu CSDL đang chạy ra một tệp (SQLite: bản chụp nhất quán; PostgreSQL: pg_dump).
    Backup {
        /// Tệp SQLite hoặc URL PostgreSQL.
        #[arg(long, env = "TINHGON_DB")]
        db: String,
        /// Tệp sao lưu (chưa tồn tại).
        #[arg(long)]
        out: PathBuf,
    },
    /// Khôi phục một bản sao lưu (SQLite: vào tệp mới; PostgreSQL: vào CSDL trống).
    Restore {
        /// Tệp SQLite mới hoặc URL của CSDL PostgreSQL trống.
        #[arg(long, env = "TINHGON_DB")]
        db: String,
        /// Tệp sao lưu.
        #[arg(long = "from")]
        from: PathBuf,
    },
    /// Cập nhật cấu trúc CSDL lên phiên bản của chương trình (từ chối CSDL mới hơn).
    Migrate {
        /// Tệp SQLite hoặc URL PostgreSQL.
        #[arg(long, env = "TINHGON_DB")]
        db: String,
    },
    /// Kiểm tra CSDL: phiên bản cấu trúc, chuỗi băm nhật ký, thư chờ gửi (mã thoát 1 nếu có vấn đề).
    Check {
        /// Tệp SQLite hoặc URL PostgreSQL.
        #[arg(long, env = "TINHGON_DB")]
        db: String,
    },
}

/// Runs an operations command; returns the exit code (0 fine, 1 a problem found or a failure).
pub fn run(cmd: OpsCommand) -> anyhow::Result<i32> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("không khởi động được bộ chạy bất đồng bộ")?;
    rt.block_on(async {
        match run_inner(cmd).await {
            Ok(code) => Ok(code),
            Err(e) => {
                eprintln!("Lỗi: {e:#}");
                Ok(1)
            }
        }
    })
}

async fn run_inner(cmd: OpsCommand) -> anyhow::Result<i32> {
    match cmd {
        OpsCommand::Backup { db: url, out } => {
            let db = Db::open(&url).await?;
            ops::refuse_newer(&db).await?;
            ops::backup(&db, &url, &out).await?;
            db.close().await;
            println!("Đã sao lưu vào {}.", out.display());
            Ok(0)
        }
        OpsCommand::Restore { db: url, from } => {
            ops::restore(&url, &from)?;
            let db = Db::open(&url).await?;
            let v = audit::verify(&db).await?;
            db.close().await;
            println!(
                "Đã khôi phục từ {}: nhật ký {} dòng{}.",
                from.display(),
                v.rows,
                if v.broken.is_none() {
                    ", chuỗi băm khớp"
                } else {
                    ", CHUỖI BĂM KHÔNG KHỚP"
                }
            );
            Ok(if v.broken.is_none() { 0 } else { 1 })
        }
        OpsCommand::Migrate { db: url } => {
            let db = Db::open(&url).await?;
            let before = ops::schema_status(&db).await?;
            db.migrate().await?;
            let after = ops::schema_status(&db).await?;
            db.close().await;
            if before.applied == after.applied {
                println!(
                    "Cấu trúc CSDL đã ở phiên bản {}; không có gì để cập nhật.",
                    after.applied
                );
            } else {
                println!(
                    "Đã cập nhật cấu trúc CSDL từ phiên bản {} lên {}.",
                    before.applied, after.applied
                );
            }
            Ok(0)
        }
        OpsCommand::Check { db: url } => {
            let db = Db::open(&url).await?;
            let mut problems = 0;
            let s = ops::schema_status(&db).await?;
            if s.current() {
                println!(
                    "Cấu trúc CSDL: phiên bản {}, đúng với chương trình.",
                    s.applied
                );
            } else {
                problems += 1;
                println!(
                    "Cấu trúc CSDL: phiên bản {}, chương trình cần {} (chạy tinhgon migrate).",
                    s.applied, s.known
                );
            }
            if s.applied > 0 {
                let v = audit::verify(&db).await?;
                match v.broken {
                    None => println!("Nhật ký thay đổi: {} dòng, chuỗi băm khớp.", v.rows),
                    Some((id, why)) => {
                        problems += 1;
                        println!("Nhật ký thay đổi: SỬA ĐỔI tại dòng {id}: {why}.");
                    }
                }
                println!("Thư chờ gửi: {}.", outbox::pending_count(&db).await?);
            }
            db.close().await;
            Ok(i32::from(problems > 0))
        }
    }
}
