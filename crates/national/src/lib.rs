//! National-scale synthetic data: a whole country (34 provinces, ~3,321 communes and wards,
//! 50,000 plans, ~2 million assignments, ~10 million status changes and progress reports),
//! deterministic from a seed, bulk-loaded into SQLite or PostgreSQL through the store's
//! schema. A fixture for benchmarks and scale tests, kept out of the server's crates (store,
//! web); the `tinhgon` binary links it only for its `gen-national` command.

mod country;
pub mod error;
mod history;
mod load;
mod rng;
mod workload;

use std::time::{Duration, Instant};

use chrono::{DateTime, NaiveDate, Utc};
use tinhgon_domain::localtime::start_of_local_day;
use tinhgon_store::Db;

pub use error::{NationalError, Result};

pub use load::{Table, TABLES};
pub use workload::OPEN_END;

/// Plans at scale 1.
pub const PLANS: u64 = 50_000;

/// "Today" of the synthetic country (Vietnam): everything generated happened before it.
pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 22).unwrap_or_default()
}

/// The instant the generated histories stop: 10:00 in Vietnam on [`today`].
pub fn now() -> DateTime<Utc> {
    start_of_local_day(today()) + chrono::Duration::hours(10)
}

/// What to generate.
#[derive(Debug, Clone, Copy)]
pub struct GenOptions {
    /// Seed: the same seed gives the same country.
    pub seed: u64,
    /// 1.0 = national size; 0.01 = a hundredth of the plans (and of communes and service units).
    pub scale: f64,
}

/// What was written and how long it took.
#[derive(Debug, Clone)]
pub struct GenSummary {
    /// Rows per table, in [`TABLES`] order.
    pub rows: [u64; 7],
    /// Time spent generating and loading rows.
    pub load: Duration,
    /// Time spent rebuilding indexes and statistics.
    pub index: Duration,
}

impl GenSummary {
    /// Rows written into `table`.
    pub fn rows_of(&self, table: Table) -> u64 {
        TABLES
            .iter()
            .position(|t| *t == table)
            .map_or(0, |i| self.rows[i])
    }
}

/// Generates the country into an empty database. `progress` is called now and then with
/// the number of plans done.
pub async fn generate(
    db: &Db,
    opts: GenOptions,
    mut progress: impl FnMut(u64, u64),
) -> Result<GenSummary> {
    if !(opts.scale > 0.0 && opts.scale <= 10.0) {
        return Err(NationalError::Rejected(format!(
            "hệ số quy mô không hợp lệ: {}",
            opts.scale
        )));
    }
    let count = "SELECT COUNT(*) FROM units";
    let existing: i64 = match db {
        Db::Sqlite(pool) => sqlx::query_scalar(count).fetch_one(pool).await?,
        Db::Postgres(pool) => sqlx::query_scalar(count).fetch_one(pool).await?,
    };
    if existing > 0 {
        return Err(NationalError::Rejected(
            "cơ sở dữ liệu đã có dữ liệu: chỉ sinh dữ liệu toàn quốc vào một cơ sở dữ liệu trống"
                .into(),
        ));
    }
    let started = Instant::now();
    let country = country::build(opts.seed, opts.scale);
    let indexes = load::drop_secondary_indexes(db).await?;
    let mut out = load::Loader::start(db).await?;
    let created = workload::ts(now() - chrono::Duration::days(700));
    for u in &country.units {
        out.row(
            Table::Units,
            [
                u.id.into(),
                u.code.clone().into(),
                u.name.clone().into(),
                tinhgon_textkit::search_key(&u.name).into(),
                u.kind.as_str().into(),
                u.kind.register_kind().into(),
                u.kind.level().into(),
                u.parent_id.into(),
                u.province_id.into(),
                "2025-07-01".into(),
                created.clone().into(),
            ],
        )
        .await?;
    }
    let plans = ((PLANS as f64 * opts.scale).round() as u64).max(1);
    let cx = workload::Context {
        seed: opts.seed,
        country: &country,
        now: now(),
        today: today(),
    };
    let mut ids = workload::Ids::default();
    for n in 0..plans {
        workload::plan(&cx, n, &mut ids, &mut out).await?;
        if n % 1000 == 999 {
            progress(n + 1, plans);
        }
    }
    let rows = out.finish().await?;
    let load = started.elapsed();
    let started = Instant::now();
    load::rebuild(db, &indexes).await?;
    Ok(GenSummary {
        rows,
        load,
        index: started.elapsed(),
    })
}
