//! `tinhgon gen-national`: fills an empty database with the synthetic country.

use anyhow::Result;
use tinhgon_national::{self as national, GenOptions, TABLES};
use tinhgon_store::Db;

/// Generates the national data set into `db` (a SQLite path or a PostgreSQL URL).
pub fn run(seed: u64, db: &str, scale: f64) -> Result<()> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    rt.block_on(async {
        let db = Db::connect(db).await?;
        let summary = national::generate(&db, GenOptions { seed, scale }, |done, total| {
            eprintln!("… {done}/{total} kế hoạch");
        })
        .await?;
        for (t, n) in TABLES.iter().zip(summary.rows) {
            println!("{}: {n} dòng", t.name());
        }
        println!(
            "nạp dữ liệu {:.1} s, tạo chỉ mục và thống kê {:.1} s",
            summary.load.as_secs_f64(),
            summary.index.as_secs_f64()
        );
        db.close().await;
        Ok::<(), anyhow::Error>(())
    })
}
