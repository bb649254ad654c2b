//! `tinhgon remind`: the daily reminder job once, for installations that run it from cron
//! instead of (or beside) `tinhgon serve`; safe to run any number of times for a day. With SMTP
//! configured it then sends the queued e-mails once.

use std::path::PathBuf;

use anyhow::Context;
use chrono::{NaiveDate, Utc};
use tinhgon_domain::localtime::local_date;
use tinhgon_store::Db;

/// Runs the job for `date` (default: today in Vietnam) on `db`.
pub fn run(db: &str, date: Option<NaiveDate>, config: Option<PathBuf>) -> anyhow::Result<()> {
    let cfg = tinhgon_web::Config::load(config.as_deref())?;
    let rt = tokio::runtime::Runtime::new().context("không khởi động được bộ thực thi")?;
    rt.block_on(async move {
        let store = Db::connect(db).await?;
        let now = Utc::now();
        let day = date.unwrap_or_else(|| local_date(now));
        let outcome = tinhgon_app::urging::daily_reminders(&store, day, now).await?;
        println!(
            "Nhắc việc ngày {}: {} phân công đến hạn nhắc, {} nhắc việc mới, {} thông báo.",
            day.format("%d/%m/%Y"),
            outcome.candidates,
            outcome.total_created(),
            outcome.notifications
        );
        for (kind, n) in &outcome.created {
            println!("  {kind}: {n}");
        }
        if let Some(smtp) = &cfg.smtp {
            let mailer = tinhgon_web::mail::Mailer::new(smtp, cfg.public_url.clone())?;
            let sent = tinhgon_web::mail::drain_once(&store, &mailer, Utc::now()).await?;
            println!(
                "Thư: {} đã gửi, {} sẽ thử lại, {} bỏ qua.",
                sent.sent, sent.retried, sent.given_up
            );
        }
        store.close().await;
        anyhow::Ok(())
    })
}
