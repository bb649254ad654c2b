//! `tinhgon registry …`: the register of units (import from CSV, look at it as of a date).

use std::path::PathBuf;

use anyhow::Context;
use clap::Subcommand;
use tinhgon_store::Db;

/// Register commands.
#[derive(Subcommand)]
pub enum RegistryCommand {
    /// Nhập danh mục đơn vị từ thư mục có units.csv, mergers.csv, aliases.csv.
    Import {
        /// Thư mục chứa các tệp CSV (ví dụ data/nghe-an-2025).
        dir: PathBuf,
        /// Cơ sở dữ liệu: đường dẫn tệp SQLite hoặc URL postgres://.
        #[arg(long, env = "TINHGON_DB", default_value = "tinhgon.db")]
        db: String,
    },
    /// In các đơn vị còn hiệu lực vào một ngày.
    AsOf {
        /// Tên hoặc mã tỉnh (ví dụ "Nghệ An" hoặc 40).
        province: String,
        /// Ngày (YYYY-MM-DD).
        date: chrono::NaiveDate,
        /// Cơ sở dữ liệu: đường dẫn tệp SQLite hoặc URL postgres://.
        #[arg(long, env = "TINHGON_DB", default_value = "tinhgon.db")]
        db: String,
    },
}

/// Runs a register command; a failure is printed in Vietnamese and ends the process with code 1.
pub fn run(cmd: RegistryCommand) -> anyhow::Result<()> {
    if let Err(e) = run_inner(cmd) {
        eprintln!("Lỗi: {e:#}");
        std::process::exit(1);
    }
    Ok(())
}

fn run_inner(cmd: RegistryCommand) -> anyhow::Result<()> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("không khởi động được bộ chạy bất đồng bộ")?;
    rt.block_on(async {
        match cmd {
            RegistryCommand::Import { dir, db } => {
                let db = Db::connect(&db).await?;
                // Who ran the command is kept in the audit row when the shell says so.
                let s =
                    tinhgon_app::register::import(&db, &dir, std::env::var("USER").ok()).await?;
                println!(
                    "Đã nhập danh mục: {} đơn vị, {} sự kiện sắp xếp, {} tên gọi khác (mã tỉnh trong CSDL: {}).",
                    s.units, s.events, s.aliases, s.province_id
                );
                for w in &s.warnings {
                    println!("Lưu ý: {w}");
                }
                db.close().await;
            }
            RegistryCommand::AsOf { province, date, db } => {
                let db = Db::connect(&db).await?;
                for u in tinhgon_app::register::units_as_of(&db, &province, date).await? {
                    println!("{}\t{}\t{}", u.id, u.kind.as_str(), u.name);
                }
                db.close().await;
            }
        }
        Ok(())
    })
}
