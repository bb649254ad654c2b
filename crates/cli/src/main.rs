//! The `tinhgon` command line: a thin shell over the library crates.

use clap::{Parser, Subcommand};

/// mimalloc instead of glibc's malloc: see the workspace's Cargo.toml.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod cmd_audit;
mod cmd_demo;
mod cmd_extract;
mod cmd_gen_national;
mod cmd_ops;
mod cmd_registry;
mod cmd_registry_update;
mod cmd_remind;
mod cmd_report;
mod cmd_scenario;
mod cmd_serve;
mod cmd_setup;
mod cmd_staffing;

#[derive(Parser)]
#[command(
    name = "tinhgon",
    version,
    about = "Điều hành sắp xếp, tinh gọn tổ chức bộ máy"
)]
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
        command: Box<cmd_registry::RegistryCommand>,
    },
    /// Lần chạy đầu của một tỉnh: tạo danh mục từ dữ liệu toàn quốc và quản trị viên đầu tiên.
    Setup(cmd_setup::SetupArgs),
    /// Tài khoản: tạo, đặt lại mật khẩu, vô hiệu hóa, liệt kê.
    User {
        #[command(subcommand)]
        command: cmd_setup::UserCommand,
    },
    #[command(flatten)]
    Ops(cmd_ops::OpsCommand),
    /// Chạy ứng dụng web.
    Serve {
        /// Tệp SQLite hoặc URL PostgreSQL (mặc định theo cấu hình hoặc TINHGON_DB).
        #[arg(long)]
        db: Option<String>,
        /// Địa chỉ lắng nghe, ví dụ 0.0.0.0:8080.
        #[arg(long)]
        bind: Option<String>,
        /// Tệp cấu hình TOML.
        #[arg(long)]
        config: Option<std::path::PathBuf>,
    },
    /// Hệ thống mẫu chạy ngay: danh mục Nghệ An, kế hoạch 615/KH-UBND, tài khoản mỗi vai trò.
    Demo {
        /// Tệp SQLite hoặc URL PostgreSQL (dùng lại nếu đã có).
        #[arg(long, default_value = "tinhgon-demo.db")]
        db: String,
        /// Địa chỉ lắng nghe.
        #[arg(long, default_value = "127.0.0.1:8080")]
        bind: String,
    },
    /// Nhắc việc hằng ngày (đến hạn sau 7 ngày, 1 ngày, mới quá hạn) rồi gửi thư nếu có SMTP; chạy lại không tạo trùng.
    Remind {
        /// Tệp SQLite hoặc URL PostgreSQL.
        #[arg(long)]
        db: String,
        /// Ngày nhắc (YYYY-MM-DD), mặc định hôm nay theo giờ Việt Nam.
        #[arg(long)]
        date: Option<chrono::NaiveDate>,
        /// Tệp cấu hình TOML (SMTP).
        #[arg(long)]
        config: Option<std::path::PathBuf>,
    },
    /// Biên chế: mẫu số liệu, nhập số liệu, tình hình thực hiện chỉ tiêu tinh giản.
    Staffing {
        #[command(subcommand)]
        command: cmd_staffing::StaffingCommand,
    },
    /// Nhật ký thay đổi: kiểm tra chuỗi băm.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
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

#[derive(Subcommand)]
enum AuditCommand {
    /// Tính lại chuỗi băm của nhật ký, báo dòng đầu tiên bị sửa (mã thoát 1).
    Verify {
        /// Tệp SQLite hoặc URL PostgreSQL.
        #[arg(long)]
        db: String,
    },
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    match cli.command {
        Command::Extract { file, table, .. } => {
            std::process::exit(cmd_extract::run(&file, table));
        }
        Command::Registry { command } => cmd_registry::run(*command),
        Command::Setup(args) => std::process::exit(cmd_setup::run_setup(args)?),
        Command::User { command } => std::process::exit(cmd_setup::run_user(command)?),
        Command::Ops(cmd) => std::process::exit(cmd_ops::run(cmd)?),
        Command::Serve { db, bind, config } => cmd_serve::run(db, bind, config),
        Command::Demo { db, bind } => cmd_demo::run(db, bind),
        Command::Remind { db, date, config } => cmd_remind::run(&db, date, config),
        Command::Audit {
            command: AuditCommand::Verify { db },
        } => std::process::exit(cmd_audit::verify(&db)?),
        Command::Staffing { command } => std::process::exit(cmd_staffing::run(command)),
        Command::Report(args) => std::process::exit(cmd_report::run(&args)),
        Command::GenNational { seed, db, scale } => cmd_gen_national::run(seed, &db, scale),
    }
}
