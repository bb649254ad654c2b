//! Shared helpers for the store's integration tests: every test body runs once per backend.
#![allow(dead_code)]

use std::future::Future;

use tinhgon_store::Db;

/// Runs `body` against a fresh SQLite file and a fresh PostgreSQL database, naming the
/// backend in any failure.
pub async fn for_each_backend<F, Fut>(body: F)
where
    F: Fn(Db) -> Fut,
    Fut: Future<Output = anyhow::Result<()>>,
{
    for test_db in tinhgon_testkit::backends() {
        let db = Db::connect(&test_db.url)
            .await
            .unwrap_or_else(|e| panic!("[{}] connect: {e}", test_db.label));
        if let Err(e) = body(db.clone()).await {
            panic!("[{}] {e:#}", test_db.label);
        }
        db.close().await;
    }
}
