//! `tinhgon demo`: a working system in one step. Creates (or reuses) a SQLite file with the
//! Nghệ An register, the published seed plan 615/KH-UBND with scripted progress, the other seed
//! plans as drafts, one account per role (printed with passwords), then serves.

use anyhow::Context;

/// Seeds `db` (if new) and serves on `bind`.
pub fn run(db: String, bind: String) -> anyhow::Result<()> {
    crate::cmd_serve::init_tracing();
    let rt = tokio::runtime::Runtime::new().context("không khởi động được bộ thực thi")?;
    rt.block_on(async move {
        let store = tinhgon_store::Db::connect(&db).await?;
        let seeded = tinhgon_demo::seed_demo(&store)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        if seeded.reused {
            println!("Dùng lại CSDL demo có sẵn: {db}");
        } else {
            println!("Đã tạo CSDL demo: {db}");
        }
        println!("Tài khoản demo (tên đăng nhập / mật khẩu):");
        for a in tinhgon_demo::ACCOUNTS {
            println!(
                "  {:<12} {:<22} {}{}",
                a.login,
                a.password,
                a.role.label_vi(),
                a.unit.map(|u| format!(" — {u}")).unwrap_or_default()
            );
        }
        println!("Mở trình duyệt tại http://{bind}");
        let mut cfg = tinhgon_web::Config::load(None)?;
        cfg.db = db.clone();
        cfg.bind = bind.clone();
        if cfg.data_dir == std::path::Path::new("tinhgon-data") {
            cfg.data_dir = std::path::PathBuf::from(format!("{db}.files"));
        }
        let listener = tokio::net::TcpListener::bind(&bind)
            .await
            .with_context(|| format!("không mở được cổng {bind}"))?;
        let state = tinhgon_web::AppState::new(store, cfg);
        // Daily reminders (and e-mail when SMTP is configured), as `tinhgon serve` runs them.
        let _jobs = tinhgon_web::jobs::spawn(&state)?;
        tinhgon_web::serve_on(listener, state).await?;
        Ok(())
    })
}
