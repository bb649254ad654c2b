//! The `tinhgon` command line: a thin shell over the library crates.

use clap::{Parser, Subcommand};

mod cmd_extract;
mod cmd_registry;

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
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    match cli.command {
        Command::Extract { file, table, .. } => {
            std::process::exit(cmd_extract::run(&file, table));
        }
        Command::Registry { command } => cmd_registry::run(command),
    }
}
