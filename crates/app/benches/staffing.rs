//! Benchmark of staffing: (1) attainment of a national data set — 34 provinces, each with 30
//! departments (20 merged pairwise into 10) and 300 former communes consolidated three by
//! three into 100, quotas for every unit and year 2021–2026 — computed in memory province by
//! province; (2) the same for Nghệ An's real register read from the database (SQLite file);
//! (3) import of a 10,000-row XLSX file into SQLite and PostgreSQL.
//!
//! Run: `cargo bench -p tinhgon-app --bench staffing`

use std::time::Instant;

use chrono::{Datelike as _, NaiveDate};
use tinhgon_app::staffing::sheet::{self, Importer, QUOTA_COLUMNS, QUOTA_SHEET};
use tinhgon_app::staffing::status;
use tinhgon_domain::draft::Direction;
use tinhgon_domain::event::{EventKind, RestructuringEvent};
use tinhgon_domain::model::Id;
use tinhgon_domain::staffing::{Quota, StaffCategory, StaffLine};
use tinhgon_domain::unit::{Level, Unit, UnitKind};
use tinhgon_store::staffing::TargetRecord;
use tinhgon_store::{register, Db};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("date")
}

fn unit(id: Id, name: String, from: Option<NaiveDate>, to: Option<NaiveDate>) -> Unit {
    Unit {
        id,
        code: None,
        name,
        kind: UnitKind::Commune,
        level: Level::Commune,
        parent_id: None,
        valid_from: from,
        valid_to: to,
    }
}

/// One synthetic province: its units, events and quotas, ids from `first`.
fn province(first: Id) -> (Vec<Unit>, Vec<RestructuringEvent>, Vec<Quota>) {
    let (mut units, mut events, mut quotas) = (Vec::new(), Vec::new(), Vec::new());
    let mut next = first;
    let mut add = |units: &mut Vec<Unit>, name: String, from, to| {
        next += 1;
        units.push(unit(next, name, from, to));
        next
    };
    let quota =
        |quotas: &mut Vec<Quota>, unit_id: Id, years: std::ops::RangeInclusive<i32>, base: u32| {
            for year in years {
                for (category, n) in [
                    (StaffCategory::CivilServant, base),
                    (StaffCategory::PublicEmployee, base * 2),
                ] {
                    quotas.push(Quota {
                        unit_id,
                        year,
                        category,
                        state_budget_paid: true,
                        count: n - (year - 2021) as u32,
                    });
                }
            }
        };
    let (march, july) = (d(2025, 3, 1), d(2025, 7, 1));
    for i in 0..10 {
        let a = add(&mut units, format!("Sở cũ A{i}"), None, Some(march));
        let b = add(&mut units, format!("Sở cũ B{i}"), None, Some(march));
        let n = add(&mut units, format!("Sở mới {i}"), Some(march), None);
        quota(&mut quotas, a, 2021..=2024, 40 + i as u32);
        quota(&mut quotas, b, 2021..=2024, 30 + i as u32);
        quota(&mut quotas, n, 2025..=2026, 60 + i as u32);
        events.push(RestructuringEvent {
            allocation: Vec::new(),
            id: events.len() as Id + 1,
            kind: EventKind::Consolidate,
            predecessors: vec![a, b],
            successors: vec![n],
            decision: None,
            effective: march,
        });
    }
    for i in 0..10 {
        let s = add(&mut units, format!("Sở giữ nguyên {i}"), None, None);
        quota(&mut quotas, s, 2021..=2026, 35 + i as u32);
    }
    for i in 0..100 {
        let olds: Vec<Id> = (0..3)
            .map(|j| add(&mut units, format!("Xã cũ {i}-{j}"), None, Some(july)))
            .collect();
        let n = add(&mut units, format!("Xã mới {i}"), Some(july), None);
        for o in &olds {
            quota(&mut quotas, *o, 2021..=2024, 20);
        }
        quota(&mut quotas, n, 2025..=2026, 50);
        events.push(RestructuringEvent {
            allocation: Vec::new(),
            id: events.len() as Id + 1,
            kind: EventKind::Consolidate,
            predecessors: olds,
            successors: vec![n],
            decision: None,
            effective: july,
        });
    }
    (units, events, quotas)
}

fn target(province_id: Id) -> TargetRecord {
    TargetRecord {
        id: 1,
        province_id,
        plan_id: None,
        plan_number: None,
        title: "Giảm tối thiểu 20%".into(),
        percent: 20.0,
        direction: Direction::Decrease,
        categories: vec![StaffCategory::CivilServant, StaffCategory::PublicEmployee],
        state_budget_paid_only: true,
        baseline_year: 2021,
        deadline: None,
        scope: Vec::new(),
        measure: tinhgon_domain::staffing::Measure::Quota,
    }
}

fn national() {
    let data: Vec<_> = (0..34).map(|p| province(p * 100_000)).collect();
    let (units, quotas): (usize, usize) = data
        .iter()
        .fold((0, 0), |(u, q), (us, _, qs)| (u + us.len(), q + qs.len()));
    let t = Instant::now();
    let mut listed = 0;
    for (i, (us, es, qs)) in data.iter().enumerate() {
        let r = status::compute(
            format!("Tỉnh {i}"),
            us,
            es,
            qs,
            &[],
            &[target(i as Id)],
            d(2026, 6, 30),
        );
        listed += r.units.len();
    }
    println!(
        "attainment, 34 provinces in memory ({units} units, {quotas} quotas, {listed} units judged): {:.1?}",
        t.elapsed()
    );
}

async fn nghe_an(db: &Db) -> anyhow::Result<(Id, Vec<Unit>)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/nghe-an-2025");
    let province = register::import_register(db, &dir).await?.province_id;
    Ok((province, register::load_register(db, province).await?.units))
}

/// A filled template of 10,000 quota rows over `units` (years × lines × units).
fn xlsx_10000(units: &[Unit]) -> anyhow::Result<Vec<u8>> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let ws = book.add_worksheet().set_name(QUOTA_SHEET)?;
    for (c, h) in QUOTA_COLUMNS.iter().enumerate() {
        ws.write_string(0, c as u16, *h)?;
    }
    let mut row = 1u32;
    'fill: for year in 2021..=2030 {
        for l in StaffLine::ALL {
            for u in units {
                ws.write_number(row, 0, u.id as f64)?;
                ws.write_string(row, 1, &u.name)?;
                ws.write_number(row, 2, f64::from(year))?;
                ws.write_string(row, 3, l.label_vi())?;
                ws.write_number(row, 4, f64::from(20 + row % 30))?;
                ws.write_string(row, 5, "Quyết định giao biên chế (thử tải)")?;
                ws.write_number(row, 6, f64::from(19 + row % 30))?;
                ws.write_string(row, 7, format!("01/01/{year}"))?;
                row += 1;
                if row > 10_000 {
                    break 'fill;
                }
            }
        }
    }
    Ok(book.save_to_buffer()?)
}

async fn import(label: &str, url: &str) -> anyhow::Result<()> {
    let db = Db::connect(url).await?;
    let (province, units) = nghe_an(&db).await?;
    let bytes = xlsx_10000(&units)?;
    let t = Instant::now();
    let s = sheet::import(&db, Importer::System(Some("bench")), "10000.xlsx", &bytes).await?;
    println!(
        "import of a 10,000-row XLSX ({} bytes, {} figures of {} units), {label}: {:.1?}",
        bytes.len(),
        s.figures,
        s.units,
        t.elapsed()
    );
    let t = Instant::now();
    let r = status::province_status(&db, province, d(2026, 6, 30)).await?;
    println!(
        "attainment of Nghệ An from the database ({} units listed), {label}: {:.1?}",
        r.units.len(),
        t.elapsed()
    );
    db.close().await;
    Ok(())
}

/// Sample quotas for every unit of every province, for the years 2021–2026 it was in force,
/// and a province-wide 20% target per province; nothing when quotas are already there.
async fn national_quotas(db: &Db) -> anyhow::Result<usize> {
    use tinhgon_domain::staffing_figures::Figure;
    use tinhgon_store::staffing::{self as store, NewTarget, UnitFigure};
    let provinces = register::provinces(db).await?;
    if !store::quotas(db, store::Scope::Province(provinces[0].0))
        .await?
        .is_empty()
    {
        return Ok(0);
    }
    let mut written = 0;
    for (province, _) in &provinces {
        let units = register::load_register(db, *province).await?.units;
        let mut figures = Vec::new();
        for u in &units {
            let first = u.valid_from.map_or(2021, |f| f.year()).max(2021);
            let last = u.valid_to.map_or(2026, |t| t.year() - 1).min(2026);
            for year in first..=last {
                for (line, base) in [(StaffLine::ALL[0], 20), (StaffLine::ALL[1], 40)] {
                    figures.push(UnitFigure {
                        unit_id: u.id,
                        figure: Figure::Quota {
                            year,
                            line,
                            count: base + (u.id % 17) as u32 - (year - 2021) as u32,
                            decision: "Quyết định giao biên chế (thử tải)".into(),
                        },
                    });
                }
            }
        }
        written += figures.len();
        let now = chrono::Utc::now();
        store::record_audited(db, &figures, None, now, &[]).await?;
        let t = target(*province);
        let target = NewTarget {
            province_id: *province,
            plan_id: None,
            title: t.title,
            percent: t.percent,
            direction: t.direction,
            categories: t.categories,
            state_budget_paid_only: t.state_budget_paid_only,
            baseline_year: t.baseline_year,
            deadline: None,
            scope: Vec::new(),
            measure: t.measure,
        };
        let audit = tinhgon_store::audit::AuditEntry::system(
            "staffing.target",
            "unit",
            Some(*province),
            serde_json::json!({ "title": target.title }),
        );
        store::add_target_audited(db, &target, None, now, &audit).await?;
    }
    Ok(written)
}

/// Attainment of the 34 provinces of the national data set, read from its database.
async fn national_from_db(data: &tinhgon_testkit::bench::DataSet) -> anyhow::Result<()> {
    let bench_db = tinhgon_testkit::bench::BenchDb::open(&data.db).map_err(anyhow::Error::msg)?;
    let db = Db::connect(&bench_db.url).await?;
    let units: i64 = tinhgon_store::tx::query("SELECT COUNT(*) FROM units")
        .scalar(&db)
        .await?;
    if units == 0 {
        let t = Instant::now();
        let options = tinhgon_national::GenOptions {
            seed: data.seed,
            scale: data.scale,
        };
        tinhgon_national::generate(&db, options, |_, _| {}).await?;
        println!("generated the national set in {:.0?}", t.elapsed());
    }
    let t = Instant::now();
    let written = national_quotas(&db).await?;
    if written > 0 {
        println!("wrote {written} sample quotas in {:.0?}", t.elapsed());
    }
    let provinces = register::provinces(&db).await?;
    let units: i64 = tinhgon_store::tx::query("SELECT COUNT(*) FROM units")
        .scalar(&db)
        .await?;
    let as_of = d(2026, 6, 30);
    for round in 0..3 {
        let t = Instant::now();
        let mut judged = 0;
        for (province, _) in &provinces {
            judged += status::province_status(&db, *province, as_of)
                .await?
                .units
                .len();
        }
        println!(
            "attainment of all {} provinces from the database ({units} units, {judged} judged), {:?}, run {}: {:.1?}",
            provinces.len(),
            db.backend(),
            round + 1,
            t.elapsed()
        );
    }
    db.close().await;
    Ok(())
}

fn main() -> anyhow::Result<()> {
    let options = tinhgon_testkit::bench::Options::from_env(&[]).map_err(anyhow::Error::msg)?;
    let data = options.data().map_err(anyhow::Error::msg)?;
    national();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    rt.block_on(async {
        let dir = tempfile::tempdir()?;
        import("SQLite", &dir.path().join("bench.db").display().to_string()).await?;
        let pg = tinhgon_testkit::postgres_db();
        import("PostgreSQL", &pg.url).await?;
        national_from_db(&data).await?;
        Ok(())
    })
}
