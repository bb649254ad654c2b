//! National-scale benchmark: generates the synthetic country into an empty database (or
//! uses the one given), then times the dashboard queries and the ingest of status changes.
//!
//! One command per database (see /work/notes/national-bench.md):
//!   cargo bench -p tinhgon-store --bench national -- --db /var/tmp/national.db
//!   TMPDIR=/var/tmp cargo bench -p tinhgon-store --bench national -- --db pg
//! Options: --seed N (1), --scale F (1.0), --runs N (50), --ingest N (5000).
//! `--db pg` starts a throwaway PostgreSQL server (stopped at the end).

use std::future::Future;
use std::time::{Duration, Instant};

use anyhow::{bail, Context as _, Result};
use chrono::NaiveDate;
use tinhgon_domain::model::{Role, Status};
use tinhgon_domain::workflow::Action;
use tinhgon_store::national::{self, ingest, queries, GenOptions, TABLES};
use tinhgon_store::status::{self, Scope};
use tinhgon_store::{with_pool, Db};

struct Args {
    db: String,
    seed: u64,
    scale: f64,
    runs: usize,
    ingest: usize,
}

fn args() -> Result<Args> {
    let mut a = Args {
        db: "/var/tmp/tinhgon-national.db".into(),
        seed: 1,
        scale: 1.0,
        runs: 50,
        ingest: 5000,
    };
    let mut it = std::env::args().skip(1);
    while let Some(k) = it.next() {
        let mut v = || it.next().with_context(|| format!("thiếu giá trị cho {k}"));
        match k.as_str() {
            "--db" => a.db = v()?,
            "--seed" => a.seed = v()?.parse()?,
            "--scale" => a.scale = v()?.parse()?,
            "--runs" => a.runs = v()?.parse()?,
            "--ingest" => a.ingest = v()?.parse()?,
            "--bench" => {}
            other => bail!("tham số không rõ: {other}"),
        }
    }
    Ok(a)
}

fn rss() -> (u64, u64) {
    let s = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kb = |key: &str| {
        s.lines()
            .find(|l| l.starts_with(key))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|n| n.parse::<u64>().ok())
            .unwrap_or(0)
    };
    (kb("VmRSS:") / 1024, kb("VmHWM:") / 1024)
}

fn ms(d: Duration) -> String {
    format!("{:.1}", d.as_secs_f64() * 1000.0)
}

async fn timed<F, Fut, T, E>(name: &str, runs: usize, mut f: F) -> Result<Vec<T>>
where
    F: FnMut(usize) -> Fut,
    Fut: Future<Output = std::result::Result<T, E>>,
    E: std::error::Error + Send + Sync + 'static,
{
    let mut times = Vec::with_capacity(runs);
    let mut outs = Vec::with_capacity(runs);
    for i in 0..runs {
        let t = Instant::now();
        outs.push(f(i).await?);
        times.push(t.elapsed());
    }
    times.sort();
    let pct = |p: f64| times[((times.len() as f64 * p).ceil() as usize).clamp(1, times.len()) - 1];
    println!(
        "| {name} | {runs} | {} | {} | {} |",
        ms(pct(0.5)),
        ms(pct(0.95)),
        ms(times[times.len() - 1])
    );
    Ok(outs)
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> Result<()> {
    let a = args()?;
    let mut _pg = None;
    let url = if a.db == "pg" {
        let pg = tinhgon_testkit::pg::TempPg::start().map_err(anyhow::Error::msg)?;
        let url = pg.url();
        _pg = Some(pg);
        url
    } else {
        a.db.clone()
    };
    let db = Db::connect(&url).await?;
    println!(
        "# tinhgon national benchmark ({:?}, seed {}, scale {})\n",
        db.backend(),
        a.seed,
        a.scale
    );
    let units: i64 = with_pool!(&db, pool => sqlx::query_scalar("SELECT COUNT(*) FROM units").fetch_one(pool).await?);
    if units == 0 {
        let s = national::generate(
            &db,
            GenOptions {
                seed: a.seed,
                scale: a.scale,
            },
            |n, total| {
                eprintln!("… {n}/{total} kế hoạch, RSS {} MiB", rss().0);
            },
        )
        .await?;
        println!(
            "Load: rows {:.1} s + indexes/statistics {:.1} s = {:.1} s; peak RSS so far {} MiB\n",
            s.load.as_secs_f64(),
            s.index.as_secs_f64(),
            (s.load + s.index).as_secs_f64(),
            rss().1
        );
    }
    println!("| table | rows |\n|---|---|");
    for t in TABLES {
        let n: i64 = with_pool!(&db, pool => sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {}", t.name())).fetch_one(pool).await?);
        println!("| {} | {n} |", t.name());
    }
    let provinces: Vec<i64> = with_pool!(&db, pool => sqlx::query_scalar("SELECT id FROM units WHERE kind = 'province' ORDER BY id").fetch_all(pool).await?);
    let departments: Vec<i64> = with_pool!(&db, pool => sqlx::query_scalar("SELECT id FROM units WHERE kind = 'department' ORDER BY id").fetch_all(pool).await?);
    let max_id: i64 = with_pool!(&db, pool => sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM assignments").fetch_one(pool).await?);
    if provinces.is_empty() || departments.is_empty() || max_id == 0 {
        bail!("cơ sở dữ liệu không có dữ liệu toàn quốc");
    }
    let today = national::today();
    let past = NaiveDate::from_ymd_opt(2026, 3, 31).context("ngày")?;
    let now = national::now();
    let province = |i: usize| provinces[(i * 7) % provinces.len()];
    let dept = |i: usize| departments[(i * 37) % departments.len()];
    let runs = a.runs;

    println!("\n| query | runs | p50 ms | p95 ms | max ms |\n|---|---|---|---|---|");
    let st_today = timed("store status_counts(province, today)", runs, |i| {
        status::status_counts(&db, Scope::Province(province(i)), today, now)
    })
    .await?;
    let st_past = timed("store status_counts(province, 2026-03-31)", runs, |i| {
        status::status_counts(&db, Scope::Province(province(i)), past, now)
    })
    .await?;
    timed("store status_counts_by_unit(province, today)", runs, |i| {
        status::status_counts_by_unit(&db, Scope::Province(province(i)), today, now)
    })
    .await?;
    timed(
        "store status_counts_by_unit(province, 2026-03-31)",
        runs,
        |i| status::status_counts_by_unit(&db, Scope::Province(province(i)), past, now),
    )
    .await?;
    timed("store overdue_list(unit, today)", runs, |i| {
        status::overdue_list(&db, Scope::Unit(dept(i)), today, now)
    })
    .await?;
    timed("store assignment_with_history(id)", runs, |i| {
        status::assignment_with_history(&db, 1 + (i as i64 * 40_503) % max_id)
    })
    .await?;
    let iv_today = timed("intervals class_counts(province, today)", runs, |i| {
        queries::class_counts(&db, province(i), today)
    })
    .await?;
    let iv_past = timed("intervals class_counts(province, 2026-03-31)", runs, |i| {
        queries::class_counts(&db, province(i), past)
    })
    .await?;
    timed(
        "intervals class_counts_by_unit(province, today)",
        runs,
        |i| queries::class_counts_by_unit(&db, province(i), today),
    )
    .await?;
    timed(
        "intervals class_counts_by_unit(province, 2026-03-31)",
        runs,
        |i| queries::class_counts_by_unit(&db, province(i), past),
    )
    .await?;
    timed("intervals overdue_list(unit, today, 200)", runs, |i| {
        queries::overdue_list(&db, dept(i), today, 200)
    })
    .await?;
    timed("intervals overdue_list(unit, 2026-03-31, 200)", runs, |i| {
        queries::overdue_list(&db, dept(i), past, 200)
    })
    .await?;

    // Both ways of counting must agree (the store's SQL rules vs the domain's intervals).
    let mut agree = true;
    for (st, iv) in st_today
        .iter()
        .zip(&iv_today)
        .chain(st_past.iter().zip(&iv_past))
    {
        let mine: Vec<(tinhgon_domain::model::StatusClass, u64)> =
            iv.iter().map(|(c, n)| (*c, *n as u64)).collect();
        let theirs: Vec<(tinhgon_domain::model::StatusClass, u64)> = st
            .by_class
            .iter()
            .filter(|(_, n)| **n > 0)
            .map(|(c, n)| (*c, *n))
            .collect();
        let mut m = mine.clone();
        let mut t = theirs.clone();
        m.sort_by_key(|x| x.0.as_str());
        t.sort_by_key(|x| x.0.as_str());
        if m != t {
            agree = false;
            eprintln!("khác nhau: store {t:?} / intervals {m:?}");
        }
    }
    println!(
        "\nStore counts and interval counts agree on all {} measured calls: {agree}",
        2 * runs
    );

    // Ingest: proposals of completion on in-progress assignments, one transaction each
    // (the app's path), then the interval-maintaining path one by one and in batches.
    let n = a.ingest;
    let targets: Vec<i64> = with_pool!(&db, pool => sqlx::query_scalar("SELECT id FROM assignments WHERE status = 'in_progress' ORDER BY id LIMIT $1").bind((3 * n) as i64).fetch_all(pool).await?);
    if targets.len() < 3 * n {
        bail!(
            "không đủ phân công đang thực hiện cho phép đo ghi ({} < {})",
            targets.len(),
            3 * n
        );
    }
    let req = |id: i64, k: usize| ingest::ChangeRequest {
        assignment_id: id,
        action: Action::ProposeCompletion,
        role: Role::AgencyOfficer,
        actor_id: None,
        at: now + chrono::Duration::milliseconds(k as i64),
        note: None,
    };
    println!("\n| ingest of status changes | changes | seconds | changes/s |\n|---|---|---|---|");
    let t = Instant::now();
    for (k, id) in targets[..n].iter().enumerate() {
        let r = status::ChangeRequest {
            assignment_id: *id,
            action: Action::ProposeCompletion,
            role: Role::AgencyOfficer,
            actor: None,
            note: None,
            at: now + chrono::Duration::milliseconds(k as i64),
            expected: Some(Status::InProgress),
        };
        status::change_status(&db, &r).await?;
    }
    let e = t.elapsed().as_secs_f64();
    println!(
        "| store change_status, one transaction each | {n} | {e:.2} | {:.0} |",
        n as f64 / e
    );
    // The same path from 4 concurrent clients (distinct assignments).
    let more: Vec<i64> = with_pool!(&db, pool => sqlx::query_scalar("SELECT id FROM assignments WHERE status = 'in_progress' ORDER BY id DESC LIMIT $1").bind(n as i64).fetch_all(pool).await?);
    let t = Instant::now();
    let mut handles = Vec::new();
    for (c, chunk) in more.chunks(n.div_ceil(4).max(1)).enumerate() {
        let db = db.clone();
        let chunk = chunk.to_vec();
        handles.push(tokio::spawn(async move {
            for (k, id) in chunk.into_iter().enumerate() {
                let r = status::ChangeRequest {
                    assignment_id: id,
                    action: Action::ProposeCompletion,
                    role: Role::AgencyOfficer,
                    actor: None,
                    note: None,
                    at: now + chrono::Duration::milliseconds((c * 1_000_000 + k) as i64),
                    expected: Some(Status::InProgress),
                };
                status::change_status(&db, &r).await?;
            }
            Ok::<(), tinhgon_store::StoreError>(())
        }));
    }
    for h in handles {
        h.await??;
    }
    let e = t.elapsed().as_secs_f64();
    println!(
        "| store change_status, 4 concurrent clients | {} | {e:.2} | {:.0} |",
        more.len(),
        more.len() as f64 / e
    );
    let t = Instant::now();
    for (k, id) in targets[n..2 * n].iter().enumerate() {
        ingest::record_status_changes(&db, &[req(*id, k)]).await?;
    }
    let e = t.elapsed().as_secs_f64();
    println!("| national record_status_changes (+ class intervals), one transaction each | {n} | {e:.2} | {:.0} |", n as f64 / e);
    let t = Instant::now();
    for chunk in targets[2 * n..3 * n].chunks(500) {
        let reqs: Vec<_> = chunk
            .iter()
            .enumerate()
            .map(|(k, id)| req(*id, k))
            .collect();
        ingest::record_status_changes(&db, &reqs).await?;
    }
    let e = t.elapsed().as_secs_f64();
    println!("| national record_status_changes (+ class intervals), 500 per transaction | {n} | {e:.2} | {:.0} |", n as f64 / e);

    let (now_rss, peak) = rss();
    println!("\nRSS of the benchmark process: {now_rss} MiB now, {peak} MiB peak");
    db.close().await;
    Ok(())
}
