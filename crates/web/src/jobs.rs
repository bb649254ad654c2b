//! Background work of a server process: the daily job (restructuring events whose date has
//! come are applied, then reminders; once at start, then every day at the configured hour,
//! Vietnam time) and the e-mail sender draining the outbox. Both keep
//! their state in the database, so any number of instances may run them side by side: the
//! daily job is claimed per day (`tinhgon_store::job_runs`), so one instance runs it; the mail
//! sender leases each message.

use std::time::Duration as StdDuration;

use chrono::{DateTime, Days, NaiveTime, Utc};
use tinhgon_domain::localtime::{local_date, start_of_local_day};
use tinhgon_store::{reminders, Db};
use tokio::task::JoinHandle;

use crate::mail::{self, Mailer};
use crate::AppState;

/// Pause between two passes over the outbox.
const MAIL_INTERVAL: StdDuration = StdDuration::from_secs(15);
/// Pause before retrying a reminder run that failed (database unreachable).
const RETRY_INTERVAL: StdDuration = StdDuration::from_secs(300);
/// Name of the daily reminder job in the claims table.
pub const DAILY_JOB: &str = "reminders.daily";
/// A claim of the daily job older than this, unfinished, belongs to an instance that died.
const STALE_CLAIM_MINUTES: i64 = 30;

/// The next instant strictly after `now` at `hour`:00 Vietnam time.
pub fn next_run(now: DateTime<Utc>, hour: u32) -> DateTime<Utc> {
    let at = NaiveTime::from_hms_opt(hour.min(23), 0, 0).unwrap_or(NaiveTime::MIN);
    let offset = at - NaiveTime::MIN;
    let today = local_date(now);
    let candidate = start_of_local_day(today) + offset;
    if candidate > now {
        candidate
    } else {
        let tomorrow = today.checked_add_days(Days::new(1)).unwrap_or(today);
        start_of_local_day(tomorrow) + offset
    }
}

/// Runs the reminder job for the Vietnam day of `now`, logging the outcome.
pub async fn remind_today(
    db: &Db,
    now: DateTime<Utc>,
) -> Result<reminders::JobOutcome, tinhgon_app::AppError> {
    let day = local_date(now);
    // Restructuring events scheduled for today take effect first, so that today's reminders
    // already go to the units that carry the work on.
    for (event, o) in tinhgon_app::restructuring::apply_due(db, now).await? {
        tracing::info!(
            su_kien = event,
            nhiem_vu = o.assignments,
            tai_khoan = o.accounts_moved + o.accounts_disabled,
            "áp dụng sự kiện sắp xếp đến ngày hiệu lực"
        );
    }
    let outcome = tinhgon_app::urging::daily_reminders(db, day, now).await?;
    tracing::info!(
        ngay = %day,
        ung_vien = outcome.candidates,
        nhac_viec = outcome.total_created(),
        thong_bao = outcome.notifications,
        "nhắc việc hằng ngày"
    );
    // A day of writes can grow a table many times over: the planner's statistics follow.
    if let Err(e) = db.optimize().await {
        tracing::warn!(loi = %e, "không cập nhật được thống kê của cơ sở dữ liệu");
    }
    Ok(outcome)
}

/// Runs today's reminder job unless another instance has: Ok(None) when it was not ours.
pub async fn remind_once_today(
    db: &Db,
    holder: &str,
    now: DateTime<Utc>,
) -> Result<Option<reminders::JobOutcome>, tinhgon_app::AppError> {
    let day = local_date(now);
    let stale = chrono::Duration::minutes(STALE_CLAIM_MINUTES);
    if !tinhgon_store::job_runs::claim(db, DAILY_JOB, day, holder, now, stale).await? {
        tracing::info!(ngay = %day, "nhắc việc hằng ngày đã do tiến trình khác chạy");
        return Ok(None);
    }
    let outcome = remind_today(db, now).await?;
    tinhgon_store::job_runs::finish(db, DAILY_JOB, day, holder, Utc::now()).await?;
    Ok(Some(outcome))
}

/// This process among the instances sharing a database: host name and process id.
fn holder_name() -> String {
    let host = std::fs::read_to_string("/etc/hostname").unwrap_or_default();
    format!("{}:{}", host.trim(), std::process::id())
}

async fn reminder_loop(db: Db, hour: u32, metrics: std::sync::Arc<crate::metrics::Registry>) {
    let holder = holder_name();
    loop {
        match remind_once_today(&db, &holder, Utc::now()).await {
            Ok(ran) => {
                if ran.is_some() {
                    metrics.job_ran();
                }
                let wait = (next_run(Utc::now(), hour) - Utc::now())
                    .to_std()
                    .unwrap_or(StdDuration::from_secs(60));
                tokio::time::sleep(wait).await;
            }
            Err(e) => {
                tracing::error!(error = %e, "nhắc việc hằng ngày không chạy được; thử lại sau");
                tokio::time::sleep(RETRY_INTERVAL).await;
            }
        }
    }
}

async fn mail_loop(db: Db, mailer: Mailer) {
    loop {
        match mail::drain_once(&db, &mailer, Utc::now()).await {
            Ok(o) if o.sent + o.retried + o.given_up > 0 => {
                tracing::info!(
                    gui = o.sent,
                    thu_lai = o.retried,
                    bo = o.given_up,
                    "gửi thư thông báo"
                );
            }
            Ok(_) => {}
            Err(e) => tracing::error!(error = %e, "không đọc được hàng đợi thư"),
        }
        tokio::time::sleep(MAIL_INTERVAL).await;
    }
}

/// Starts the background tasks the configuration asks for; returns their handles (aborting
/// them stops the work; nothing is lost, it lives in the database).
pub fn spawn(state: &AppState) -> Result<Vec<JoinHandle<()>>, mail::MailError> {
    let cfg = &state.config;
    let mut handles = Vec::new();
    if !cfg.background_jobs {
        return Ok(handles);
    }
    handles.push(tokio::spawn(reminder_loop(
        state.db.clone(),
        cfg.reminder_hour,
        state.metrics.clone(),
    )));
    if let Some(smtp) = &cfg.smtp {
        let mailer = Mailer::new(smtp, cfg.public_url.clone())?;
        handles.push(tokio::spawn(mail_loop(state.db.clone(), mailer)));
    }
    Ok(handles)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn next_run_is_the_coming_seven_oclock_in_vietnam() {
        // 07:00 in Vietnam is 00:00 UTC.
        let at = |d, h, m| Utc.with_ymd_and_hms(2025, 10, d, h, m, 0).unwrap();
        assert_eq!(next_run(at(9, 23, 30), 7), at(10, 0, 0));
        assert_eq!(next_run(at(10, 0, 0), 7), at(11, 0, 0));
        assert_eq!(next_run(at(10, 16, 59), 7), at(11, 0, 0));
        // 18:00 UTC is already the next Vietnam day, 01:00.
        assert_eq!(next_run(at(10, 18, 0), 7), at(11, 0, 0));
        assert_eq!(next_run(at(10, 18, 0), 6), at(10, 23, 0));
    }
}
