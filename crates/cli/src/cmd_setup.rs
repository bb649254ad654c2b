//! `tinhgon setup` and `tinhgon user …`: a province's first run and its accounts, without the web.

use anyhow::Context;
use clap::{Args, Subcommand};
use tinhgon_app::accounts::operator;
use tinhgon_app::setup::{setup, SetupRequest};
use tinhgon_store::Db;

/// Arguments of `tinhgon setup`.
#[derive(Args)]
pub struct SetupArgs {
    /// Tệp SQLite hoặc URL PostgreSQL (tạo mới nếu chưa có).
    #[arg(long, env = "TINHGON_DB")]
    db: String,
    /// Tỉnh, thành phố (tên hoặc mã, ví dụ "Lào Cai" hoặc 15).
    #[arg(long)]
    province: String,
    /// Tên đăng nhập của quản trị viên đầu tiên.
    #[arg(long)]
    admin: String,
    /// Mật khẩu của quản trị viên (ít nhất 8 ký tự).
    #[arg(long, env = "TINHGON_ADMIN_PASSWORD")]
    password: String,
    /// Họ và tên của quản trị viên.
    #[arg(long, default_value = "")]
    name: String,
}

/// Account commands.
#[derive(Subcommand)]
pub enum UserCommand {
    /// Tạo tài khoản.
    Add {
        /// Tệp SQLite hoặc URL PostgreSQL.
        #[arg(long, env = "TINHGON_DB")]
        db: String,
        /// Tên đăng nhập.
        #[arg(long)]
        login: String,
        /// Mật khẩu (ít nhất 8 ký tự).
        #[arg(long)]
        password: String,
        /// Vai trò: admin, monitor, leader, agency_officer.
        #[arg(long)]
        role: String,
        /// Tỉnh, thành phố của tài khoản.
        #[arg(long)]
        province: String,
        /// Đơn vị của cán bộ (tên như thường viết, không dấu cũng được).
        #[arg(long)]
        unit: Option<String>,
        /// Họ và tên.
        #[arg(long, default_value = "")]
        name: String,
    },
    /// Đặt lại mật khẩu.
    Passwd {
        /// Tệp SQLite hoặc URL PostgreSQL.
        #[arg(long, env = "TINHGON_DB")]
        db: String,
        /// Tên đăng nhập.
        #[arg(long)]
        login: String,
        /// Mật khẩu mới (ít nhất 8 ký tự).
        #[arg(long)]
        password: String,
    },
    /// Vô hiệu hóa tài khoản (--enable để mở lại).
    Disable {
        /// Tệp SQLite hoặc URL PostgreSQL.
        #[arg(long, env = "TINHGON_DB")]
        db: String,
        /// Tên đăng nhập.
        #[arg(long)]
        login: String,
        /// Mở lại tài khoản thay vì vô hiệu hóa.
        #[arg(long)]
        enable: bool,
    },
    /// Liệt kê tài khoản.
    List {
        /// Tệp SQLite hoặc URL PostgreSQL.
        #[arg(long, env = "TINHGON_DB")]
        db: String,
    },
}

fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("không khởi động được bộ chạy bất đồng bộ")
}

/// The operating-system user who ran the command, kept in the audit rows.
fn operator_name() -> Option<String> {
    std::env::var("USER").ok()
}

/// Runs `tinhgon setup`; returns the exit code (2 for bad input, 1 for other failures).
pub fn run_setup(a: SetupArgs) -> anyhow::Result<i32> {
    runtime()?.block_on(async {
        let db = Db::connect(&a.db).await?;
        let req = SetupRequest {
            province: a.province,
            admin_login: a.admin,
            admin_password: a.password,
            admin_name: a.name,
        };
        let code = match setup(&db, req, operator_name()).await {
            Ok(s) => {
                if s.units > 0 {
                    println!(
                        "Đã tạo danh mục {}: {} đơn vị, trong đó {} xã, phường, đặc khu.",
                        s.province, s.units, s.communes
                    );
                } else {
                    println!("Danh mục {} đã có; giữ nguyên.", s.province);
                }
                println!(
                    "Đã tạo tài khoản quản trị viên. Chạy: tinhgon serve --db {}",
                    a.db
                );
                0
            }
            Err(e) => report(&e),
        };
        db.close().await;
        Ok(code)
    })
}

/// Runs a `tinhgon user …` command; returns the exit code.
pub fn run_user(cmd: UserCommand) -> anyhow::Result<i32> {
    runtime()?.block_on(async {
        let result = match cmd {
            UserCommand::Add {
                db,
                login,
                password,
                role,
                province,
                unit,
                name,
            } => {
                let db = Db::connect(&db).await?;
                let a = operator::NewAccount {
                    login: login.clone(),
                    display_name: name,
                    password,
                    role,
                    province,
                    unit,
                };
                let r = operator::add(&db, a, operator_name()).await;
                db.close().await;
                r.map(|_| println!("Đã tạo tài khoản {login}."))
            }
            UserCommand::Passwd {
                db,
                login,
                password,
            } => {
                let db = Db::connect(&db).await?;
                let r = operator::set_password(&db, &login, password, operator_name()).await;
                db.close().await;
                r.map(|_| println!("Đã đặt lại mật khẩu của {login}."))
            }
            UserCommand::Disable { db, login, enable } => {
                let db = Db::connect(&db).await?;
                let r = operator::set_active(&db, &login, enable, operator_name()).await;
                db.close().await;
                r.map(|_| {
                    if enable {
                        println!("Đã mở lại tài khoản {login}.");
                    } else {
                        println!("Đã vô hiệu hóa tài khoản {login}.");
                    }
                })
            }
            UserCommand::List { db } => {
                let db = Db::connect(&db).await?;
                let r = operator::list(&db).await;
                db.close().await;
                r.map(|users| {
                    for u in users {
                        println!(
                            "{}\t{}\t{}\t{}",
                            u.login,
                            u.display_name,
                            u.role.label_vi(),
                            if u.active {
                                "đang dùng"
                            } else {
                                "đã vô hiệu hóa"
                            }
                        );
                    }
                })
            }
        };
        Ok(match result {
            Ok(()) => 0,
            Err(e) => report(&e),
        })
    })
}

/// Prints the error in Vietnamese; bad input ends with code 2, anything else with 1.
fn report(e: &tinhgon_app::AppError) -> i32 {
    eprintln!("Lỗi: {e}");
    match e {
        tinhgon_app::AppError::Invalid { .. }
        | tinhgon_app::AppError::Conflict(_)
        | tinhgon_app::AppError::AmbiguousUnit { .. }
        | tinhgon_app::AppError::Store(tinhgon_store::StoreError::Rejected(_)) => 2,
        _ => 1,
    }
}
