//! Benchmark of the register's two heavy operations on the national data set:
//! (1) the preview, then the recording (applied at once), of the consolidation of two
//! departments holding 5,000 open assignments each into a new department — 10,000
//! assignments re-routed, their class intervals, coordinating roles, accounts and report
//! requests followed, in one transaction; (2) the statutory rule check of all 34 provinces.
//!
//! The consolidation changes the data, so the bench works on a copy: a SQLite file is copied
//! to a temporary one first; `--db pg` generates the set into a throwaway server.
//!
//! Run: `cargo bench -p tinhgon-app --bench restructuring -- --db tinhgon-national.db`
//! and `-- --db pg`.

use std::time::{Duration, Instant};

use anyhow::{bail, Context as _, Result};
use chrono::Utc;
use tinhgon_app::restructuring::{self, EventForm};
use tinhgon_app::units::Actor;
use tinhgon_store::tx::query;
use tinhgon_store::{register, Db};
use tinhgon_testkit::bench::{BenchDb, DataSet, Options};

/// Open assignments each of the two departments holds before the event.
const OPEN_EACH: i64 = 5_000;
/// Consolidations measured (each on two fresh departments).
const ROUNDS: usize = 2;

fn main() -> Result<()> {
    let options = Options::from_env(&[]).map_err(anyhow::Error::msg)?;
    let data = options.data().map_err(anyhow::Error::msg)?;
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    rt.block_on(run(data))
}

async fn run(data: DataSet) -> Result<()> {
    // A SQLite file is copied: the bench changes what it measures on.
    let copy = tempfile::tempdir()?;
    let target = if data.db != "pg" && !data.db.starts_with("postgres") {
        let to = copy.path().join("restructuring.db");
        if std::path::Path::new(&data.db).exists() {
            std::fs::copy(&data.db, &to).with_context(|| format!("chép {}", data.db))?;
        }
        to.display().to_string()
    } else if data.db == "pg" {
        data.db.clone()
    } else {
        bail!("--db: một tệp SQLite (được chép trước khi đo) hoặc pg (máy chủ tạm)");
    };
    let bench_db = BenchDb::open(&target).map_err(anyhow::Error::msg)?;
    let db = Db::connect(&bench_db.url).await?;
    let units: i64 = query("SELECT COUNT(*) FROM units").scalar(&db).await?;
    if units == 0 {
        let t = Instant::now();
        let options = tinhgon_national::GenOptions {
            seed: data.seed,
            scale: data.scale,
        };
        tinhgon_national::generate(&db, options, |_, _| {}).await?;
        println!("generated the national set in {:.0?}", t.elapsed());
    }
    println!("# restructuring benchmark ({:?})\n", db.backend());
    rule_check(&db).await?;
    consolidations(&db).await?;
    db.close().await;
    Ok(())
}

/// The rule check of every province, three times.
async fn rule_check(db: &Db) -> Result<()> {
    let provinces = register::provinces(db).await?.len();
    let day = tinhgon_domain::local_date(Utc::now());
    for round in 1..=3 {
        let t = Instant::now();
        let found = tinhgon_app::rules::check(db, None, day).await?;
        println!(
            "rule check of all {provinces} provinces: {} violations, run {round}: {:.1?}",
            found.len(),
            t.elapsed()
        );
    }
    Ok(())
}

/// Two departments of the province with most assignments get 5,000 open assignments each
/// (taken over from its other departments' open work), then are consolidated into a new one.
async fn consolidations(db: &Db) -> Result<()> {
    let province: i64 = query(
        "SELECT province_id FROM assignments GROUP BY province_id ORDER BY COUNT(*) DESC LIMIT 1",
    )
    .scalar(db)
    .await?;
    let today = tinhgon_domain::local_date(Utc::now());
    for round in 1..=ROUNDS {
        let (a, b) = prepare_pair(db, province).await?;
        let form = EventForm {
            kind: "consolidate".into(),
            from: vec![a.to_string(), b.to_string()],
            new: vec![format!("Sở hợp nhất thử {round}")],
            effective: today.format("%d/%m/%Y").to_string(),
            decision: format!("{round}/QĐ-UBND"),
            decision_date: today.format("%d/%m/%Y").to_string(),
            decision_issuer: "UBND tỉnh".into(),
            ..EventForm::default()
        };
        let actor = Actor::Operator(Some("bench"));
        let t = Instant::now();
        let preview = restructuring::preview(db, actor, province, &form).await?;
        let previewed = t.elapsed();
        if !preview.missing.is_empty() {
            bail!("bản xem trước còn thiếu lựa chọn: {:?}", preview.missing);
        }
        let t = Instant::now();
        let outcome = restructuring::record(db, actor, province, &form).await?;
        let recorded = t.elapsed();
        let moved: i64 = query(
            "SELECT COUNT(*) FROM assignments WHERE unit_id IN (SELECT s.unit_id FROM event_successors s \
             WHERE s.event_id = $1) AND status NOT IN ('done', 'cancelled')",
        )
        .bind(outcome.recorded.event_id)
        .scalar(db)
        .await?;
        println!(
            "consolidation {round}: {} open assignments in the preview ({} accounts, {} coordinating roles, {} report requests); \
             preview {}, record and apply {}; {moved} open assignments now with the new department",
            preview.assignments.len(),
            preview.accounts.len(),
            preview.coordinating.len(),
            preview.requests.len(),
            ms(previewed),
            ms(recorded),
        );
        if moved != 2 * OPEN_EACH {
            bail!("phải chuyển {} nhiệm vụ, đã chuyển {moved}", 2 * OPEN_EACH);
        }
    }
    Ok(())
}

fn ms(d: Duration) -> String {
    format!("{:.0} ms", d.as_secs_f64() * 1000.0)
}

/// Two departments in force with exactly `OPEN_EACH` open assignments each: the two with most
/// open work take over other departments' open assignments until they have enough (their class
/// intervals follow, as the list and dashboard read them by unit).
async fn prepare_pair(db: &Db, province: i64) -> Result<(i64, i64)> {
    let depts: Vec<(i64, i64)> = query(
        "SELECT u.id, (SELECT COUNT(*) FROM assignments a WHERE a.unit_id = u.id AND a.status NOT IN ('done', 'cancelled')) AS n \
         FROM units u WHERE u.province_id = $1 AND u.kind = 'department' AND u.valid_to IS NULL \
         AND (u.valid_from IS NULL OR u.valid_from < $2) ORDER BY n DESC, u.id",
    )
    .bind(province)
    // A unit formed today cannot cease today: its predecessors' last day is yesterday.
    .bind(tinhgon_domain::local_date(Utc::now()))
    .fetch_all(db)
    .await?;
    if depts.len() < 4 {
        bail!("tỉnh {province} không đủ sở để thử");
    }
    let pair = (depts[0].0, depts[1].0);
    let donors: Vec<i64> = depts[2..].iter().map(|(id, _)| *id).collect();
    for unit in [pair.0, pair.1] {
        let have: i64 = query(
            "SELECT COUNT(*) FROM assignments WHERE unit_id = $1 AND status NOT IN ('done', 'cancelled')",
        )
        .bind(unit)
        .scalar(db)
        .await?;
        let mut need = OPEN_EACH - have;
        for donor in &donors {
            if need <= 0 {
                break;
            }
            let ids: Vec<i64> = query(
                "SELECT id FROM assignments WHERE unit_id = $1 AND status NOT IN ('done', 'cancelled') ORDER BY id LIMIT $2",
            )
            .bind(*donor)
            .bind(need)
            .scalars(db)
            .await?;
            hand_over(db, &ids, unit).await?;
            need -= ids.len() as i64;
        }
        if need > 0 {
            bail!("không đủ nhiệm vụ đang mở trong tỉnh {province} để thử");
        }
        if need < 0 {
            // It held more than enough: the surplus goes to the first donor.
            let ids: Vec<i64> = query(
                "SELECT id FROM assignments WHERE unit_id = $1 AND status NOT IN ('done', 'cancelled') ORDER BY id LIMIT $2",
            )
            .bind(unit)
            .bind(-need)
            .scalars(db)
            .await?;
            hand_over(db, &ids, donors[0]).await?;
        }
    }
    Ok(pair)
}

/// Gives assignments `ids` to `unit`, with their class intervals (read by unit).
async fn hand_over(db: &Db, ids: &[i64], unit: i64) -> Result<()> {
    for chunk in ids.chunks(500) {
        let list = chunk
            .iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(",");
        query(&format!(
            "UPDATE assignments SET unit_id = $1 WHERE id IN ({list})"
        ))
        .bind(unit)
        .execute(db)
        .await?;
        query(&format!(
            "UPDATE assignment_class_intervals SET unit_id = $1 WHERE assignment_id IN ({list})"
        ))
        .bind(unit)
        .execute(db)
        .await?;
    }
    Ok(())
}
