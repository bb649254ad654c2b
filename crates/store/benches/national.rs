//! National-scale benchmark: generates the synthetic country into an empty database (or
//! uses the one given), then times the product's own dashboard queries
//! (`tinhgon_store::status`) and the ingest of status changes.
//!
//! One command per database (figures in BENCHMARKS.md):
//!   cargo bench -p tinhgon-store --bench national -- --db tinhgon-national.db
//!   cargo bench -p tinhgon-store --bench national -- --db pg
//! Options: --seed N (1), --scale F (1.0), --runs N (50), --ingest N (5000).
//! `--db pg` starts a throwaway PostgreSQL server (stopped at the end).

use std::future::Future;
use std::time::{Duration, Instant};

use anyhow::{bail, Context as _, Error, Result};
use chrono::NaiveDate;
use tinhgon_domain::model::{Role, Status};
use tinhgon_domain::workflow::Action;
use tinhgon_store::national::{self, GenOptions, TABLES};
use tinhgon_store::status::{self, Scope};
use tinhgon_store::{with_pool, Db};
use tinhgon_testkit::bench::{ms, quantile_ms, self_cpu, self_memory, BenchDb, DataSet, Options};

struct Args {
    data: DataSet,
    runs: usize,
    ingest: usize,
}

fn args() -> Result<Args> {
    let o = Options::from_env(&[("--runs", "50"), ("--ingest", "5000")]).map_err(Error::msg)?;
    Ok(Args {
        data: o.data().map_err(Error::msg)?,
        runs: o.get("--runs").map_err(Error::msg)?,
        ingest: o.get("--ingest").map_err(Error::msg)?,
    })
}

/// CPU time (user + system) of this process so far.
fn cpu() -> Duration {
    Duration::from_secs_f64(self_cpu())
}

async fn timed<F, Fut, T, E>(name: &str, runs: usize, mut f: F) -> Result<Vec<T>>
where
    F: FnMut(usize) -> Fut,
    Fut: Future<Output = std::result::Result<T, E>>,
    E: std::error::Error + Send + Sync + 'static,
{
    let mut times = Vec::with_capacity(runs);
    let mut outs = Vec::with_capacity(runs);
    let cpu0 = cpu();
    for i in 0..runs {
        let t = Instant::now();
        outs.push(f(i).await?);
        times.push(t.elapsed());
    }
    let cpu_per_run = (cpu() - cpu0) / runs.max(1) as u32;
    times.sort();
    println!(
        "| {name} | {runs} | {} | {} | {} | {} |",
        quantile_ms(&times, 0.5),
        quantile_ms(&times, 0.95),
        quantile_ms(&times, 1.0),
        ms(cpu_per_run)
    );
    Ok(outs)
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> Result<()> {
    let a = args()?;
    let bench_db = BenchDb::open(&a.data.db).map_err(Error::msg)?;
    let db = Db::connect(&bench_db.url).await?;
    println!(
        "# tinhgon national benchmark ({:?}, seed {}, scale {})\n",
        db.backend(),
        a.data.seed,
        a.data.scale
    );
    let units: i64 = with_pool!(&db, pool => sqlx::query_scalar("SELECT COUNT(*) FROM units").fetch_one(pool).await?);
    if units == 0 {
        let s = national::generate(
            &db,
            GenOptions {
                seed: a.data.seed,
                scale: a.data.scale,
            },
            |n, total| {
                eprintln!("… {n}/{total} kế hoạch, RSS {} MiB", self_memory().0);
            },
        )
        .await?;
        println!(
            "Load: rows {:.1} s + indexes/statistics {:.1} s = {:.1} s; peak RSS so far {} MiB\n",
            s.load.as_secs_f64(),
            s.index.as_secs_f64(),
            (s.load + s.index).as_secs_f64(),
            self_memory().1
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

    println!("\n| query (tinhgon_store::status) | runs | p50 ms | p95 ms | max ms | CPU ms/run (this process) |\n|---|---|---|---|---|---|");
    // One warm-up pass over every province so that the first measured calls do not pay for
    // reading the file from disk (the page cache is the OS's, shared by both databases).
    for p in &provinces {
        status::status_counts_by_unit(&db, Scope::Province(*p), today, now).await?;
    }
    let st_today = timed("status_counts(province, today)", runs, |i| {
        status::status_counts(&db, Scope::Province(province(i)), today, now)
    })
    .await?;
    timed("status_counts(province, 2026-03-31)", runs, |i| {
        status::status_counts(&db, Scope::Province(province(i)), past, now)
    })
    .await?;
    let by_unit = timed("status_counts_by_unit(province, today)", runs, |i| {
        status::status_counts_by_unit(&db, Scope::Province(province(i)), today, now)
    })
    .await?;
    timed("status_counts_by_unit(province, 2026-03-31)", runs, |i| {
        status::status_counts_by_unit(&db, Scope::Province(province(i)), past, now)
    })
    .await?;
    timed("overdue_list(unit, today)", runs, |i| {
        status::overdue_list(&db, Scope::Unit(dept(i)), today, now)
    })
    .await?;
    timed("overdue_list(unit, 2026-03-31)", runs, |i| {
        status::overdue_list(&db, Scope::Unit(dept(i)), past, now)
    })
    .await?;
    timed("overdue_list(province, today)", runs, |i| {
        status::overdue_list(&db, Scope::Province(province(i)), today, now)
    })
    .await?;
    timed("status_counts(unit, today)", runs, |i| {
        status::status_counts(&db, Scope::Unit(dept(i)), today, now)
    })
    .await?;
    timed("assignment_with_history(id)", runs, |i| {
        status::assignment_with_history(&db, 1 + (i as i64 * 40_503) % max_id)
    })
    .await?;
    let counted: u64 =
        st_today.iter().map(|c| c.total()).sum::<u64>() / st_today.len().max(1) as u64;
    let units: usize = by_unit.iter().map(|m| m.len()).sum::<usize>() / by_unit.len().max(1);
    println!(
        "\nAverage per measured province today: {counted} assignments counted, {units} units."
    );

    // Ingest: proposals of completion on in-progress assignments. The app's path (one
    // transaction per change, 1 and 4 clients), then the batched store API.
    let n = a.ingest;
    let targets: Vec<i64> = with_pool!(&db, pool => sqlx::query_scalar("SELECT id FROM assignments WHERE status = 'in_progress' ORDER BY id LIMIT $1").bind((4 * n) as i64).fetch_all(pool).await?);
    if targets.len() < 4 * n {
        bail!(
            "không đủ phân công đang thực hiện cho phép đo ghi ({} < {})",
            targets.len(),
            4 * n
        );
    }
    let req = |id: i64, k: usize| status::NewStatusChange {
        assignment_id: id,
        action: Action::ProposeCompletion,
        role: Role::AgencyOfficer,
        actor: None,
        note: None,
        at: now + chrono::Duration::milliseconds(k as i64),
    };
    println!("\n| ingest of status changes | changes | seconds | changes/s | CPU s (this process) |\n|---|---|---|---|---|");
    let (t, c) = (Instant::now(), cpu());
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
        status::system::change_status(&db, &r).await?;
    }
    let e = t.elapsed().as_secs_f64();
    println!(
        "| change_status, one transaction each, 1 client | {n} | {e:.2} | {:.0} | {:.2} |",
        n as f64 / e,
        (cpu() - c).as_secs_f64()
    );
    // The same path from 4 concurrent clients (distinct assignments).
    let more: Vec<i64> = with_pool!(&db, pool => sqlx::query_scalar("SELECT id FROM assignments WHERE status = 'in_progress' ORDER BY id DESC LIMIT $1").bind(n as i64).fetch_all(pool).await?);
    let (t, c) = (Instant::now(), cpu());
    let mut handles = Vec::new();
    for (k0, chunk) in more.chunks(n.div_ceil(4).max(1)).enumerate() {
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
                    at: now + chrono::Duration::milliseconds((k0 * 1_000_000 + k) as i64),
                    expected: Some(Status::InProgress),
                };
                status::system::change_status(&db, &r).await?;
            }
            Ok::<(), tinhgon_store::StoreError>(())
        }));
    }
    for h in handles {
        h.await??;
    }
    let e = t.elapsed().as_secs_f64();
    println!(
        "| change_status, one transaction each, 4 concurrent clients | {} | {e:.2} | {:.0} | {:.2} |",
        more.len(),
        more.len() as f64 / e,
        (cpu() - c).as_secs_f64()
    );
    for (batch, slice) in [
        (100, &targets[n..2 * n]),
        (500, &targets[2 * n..3 * n]),
        (2000, &targets[3 * n..4 * n]),
    ] {
        let (t, c) = (Instant::now(), cpu());
        for chunk in slice.chunks(batch) {
            let reqs: Vec<_> = chunk
                .iter()
                .enumerate()
                .map(|(k, id)| req(*id, k))
                .collect();
            status::record_status_changes(&db, &reqs).await?;
        }
        let e = t.elapsed().as_secs_f64();
        println!(
            "| record_status_changes, {batch} per transaction (+ class intervals) | {n} | {e:.2} | {:.0} | {:.2} |",
            n as f64 / e,
            (cpu() - c).as_secs_f64()
        );
    }

    let (now_rss, peak) = self_memory();
    println!("\nRSS of the benchmark process: {now_rss} MiB now, {peak} MiB peak");
    db.close().await;
    Ok(())
}
