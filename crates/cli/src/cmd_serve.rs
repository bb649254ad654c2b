//! `tinhgon serve`: the web application over a SQLite file or a PostgreSQL URL.

use std::path::PathBuf;

use anyhow::Context;

/// Serves until stopped. Command-line values override the file and the environment.
pub fn run(
    db: Option<String>,
    bind: Option<String>,
    config: Option<PathBuf>,
) -> anyhow::Result<()> {
    let mut cfg = tinhgon_web::Config::load(config.as_deref())?;
    if let Some(db) = db {
        cfg.db = db;
    }
    if let Some(bind) = bind {
        cfg.bind = bind;
    }
    init_tracing();
    let rt = tokio::runtime::Runtime::new().context("không khởi động được bộ thực thi")?;
    rt.block_on(async move {
        eprintln!(
            "tinhgon đang phục vụ tại http://{} (CSDL: {})",
            cfg.bind,
            redact(&cfg.db)
        );
        tinhgon_web::serve(cfg).await
    })?;
    Ok(())
}

/// Logs to stderr, `RUST_LOG` to adjust; `TINHGON_LOG_FORMAT=json` writes one JSON object
/// per line, for a log collector.
pub fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| "info,sqlx=warn".into());
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let _ = if std::env::var("TINHGON_LOG_FORMAT").is_ok_and(|f| f == "json") {
        builder.json().try_init()
    } else {
        builder.try_init()
    };
}

/// Hides a password in a database URL.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => format!("{}://***{}", &url[..s], &url[at..]),
        _ => url.to_string(),
    }
}
