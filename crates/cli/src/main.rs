//! The `tinhgon` command line: a thin shell over the library crates.

use clap::{Parser, Subcommand};

mod cmd_extract;
mod cmd_gen_national;
mod cmd_registry;
mod cmd_report;

#[derive(Parser)]
#[command(name = "tinhgon", version, about = "Điều hành sắp xếp, tinh gọn tổ chức bộ máy")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Đọc một kế hoạch (.docx, .pdf, .txt, .md) và in ra bản trích xuất.
    Extract {
        /// Tệp kế hoạch.
        file: std::path::PathBuf,
        /// In JSON (mặc định).
        #[arg(long, conflicts_with = "table")]
        json: bool,
        /// In bảng dễ đọc.
        #[arg(long)]
        table: bool,
    },
    /// Danh mục đơn vị: nhập từ CSV, xem theo ngày.
    Registry {
        #[command(subcommand)]
        command: cmd_registry::RegistryCommand,
    },
    /// Lập báo cáo tổng hợp định kỳ của một kế hoạch (docx, xlsx, csv) hoặc văn bản đôn đốc (--urge).
    Report(cmd_report::ReportArgs),
    /// Sinh dữ liệu tổng hợp toàn quốc (34 tỉnh, 50.000 kế hoạch, 2 triệu phân công) vào một CSDL trống.
    GenNational {
        /// Hạt giống: cùng hạt giống cho cùng dữ liệu.
        #[arg(long)]
        seed: u64,
        /// Tệp SQLite hoặc URL PostgreSQL.
        #[arg(long)]
        db: String,
        /// Hệ số quy mô (1.0 = toàn quốc, 0.01 = một phần trăm).
        #[arg(long, default_value_t = 1.0)]
        scale: f64,
    },
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    match cli.command {
        Command::Extract { file, table, .. } => {
            std::process::exit(cmd_extract::run(&file, table));
        }
        Command::Registry { command } => cmd_registry::run(command),
        Command::Report(args) => std::process::exit(cmd_report::run(&args)),
        Command::GenNational { seed, db, scale } => cmd_gen_national::run(seed, &db, scale),
    }
}
