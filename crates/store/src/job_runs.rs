//! Claims of daily background jobs, so that a job runs once a day however many instances
//! serve one database: the first instance to insert the day's row runs it and marks it
//! finished; the others see the row and skip. A claim whose holder died before finishing is
//! taken over once it is older than the stale limit, so a crash does not cost the day's run.

use chrono::{DateTime, Duration, NaiveDate, Utc};

use crate::error::Result;
use crate::tx::query;
use crate::Db;

/// Claims `job` for `day` as `holder`: true when this caller should run it now.
pub async fn claim(
    db: &Db,
    job: &str,
    day: NaiveDate,
    holder: &str,
    now: DateTime<Utc>,
    stale_after: Duration,
) -> Result<bool> {
    let inserted = query(
        "INSERT INTO job_runs (job, day, holder, started_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (job, day) DO NOTHING",
    )
    .bind(job)
    .bind(day)
    .bind(holder)
    .bind(now)
    .execute(db)
    .await?;
    if inserted == 1 {
        return Ok(true);
    }
    let taken_over = query(
        "UPDATE job_runs SET holder = $3, started_at = $4 \
         WHERE job = $1 AND day = $2 AND finished_at IS NULL AND started_at < $5",
    )
    .bind(job)
    .bind(day)
    .bind(holder)
    .bind(now)
    .bind(now - stale_after)
    .execute(db)
    .await?;
    Ok(taken_over == 1)
}

/// Marks the claimed run of `job` for `day` finished.
pub async fn finish(
    db: &Db,
    job: &str,
    day: NaiveDate,
    holder: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    query("UPDATE job_runs SET finished_at = $4 WHERE job = $1 AND day = $2 AND holder = $3")
        .bind(job)
        .bind(day)
        .bind(holder)
        .bind(now)
        .execute(db)
        .await?;
    Ok(())
}

/// Who ran (or runs) `job` on `day`, and whether it finished.
pub async fn holder(db: &Db, job: &str, day: NaiveDate) -> Result<Option<(String, bool)>> {
    let row: Option<(String, Option<DateTime<Utc>>)> =
        query("SELECT holder, finished_at FROM job_runs WHERE job = $1 AND day = $2")
            .bind(job)
            .bind(day)
            .fetch_optional(db)
            .await?;
    Ok(row.map(|(h, f)| (h, f.is_some())))
}
