//! Connecting, migrating and the basic pragmas, on both backends.

mod common;

use tinhgon_store::{Backend, Db};

tinhgon_testkit::both_databases! {
    async fn connect_migrates_and_reconnects(t) -> anyhow::Result<()> {
        let db = Db::connect(&t.url).await?;
        let tables: i64 = {
            let sql = match db.backend() {
                Backend::Sqlite => "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name IN ('units','plans','tasks','assignments','status_changes')",
                Backend::Postgres => "SELECT COUNT(*) FROM information_schema.tables WHERE table_name IN ('units','plans','tasks','assignments','status_changes')",
            };
            tinhgon_store::tx::query(sql).scalar(&db).await?
        };
        anyhow::ensure!(tables == 5, "expected the core tables, found {tables}");
        if let Db::Postgres(pool) = &db {
            // Every pooled connection runs without JIT (see db.rs `pg_options`).
            let jit: String = sqlx::query_scalar("SHOW jit").fetch_one(pool).await?;
            anyhow::ensure!(jit == "off", "jit = {jit}");
        }
        // Migrating again is a no-op.
        db.migrate().await?;
        Ok(())
    }
}

#[tokio::test]
async fn sqlite_file_is_created_with_wal_and_foreign_keys() -> anyhow::Result<()> {
    let (_dir, path) = tinhgon_testkit::sqlite::temp_db();
    let db = Db::connect(&path.display().to_string()).await?;
    assert!(path.is_file());
    let Db::Sqlite(pool) = &db else {
        anyhow::bail!("expected SQLite")
    };
    let mode: String = sqlx::query_scalar("PRAGMA journal_mode")
        .fetch_one(pool)
        .await?;
    assert_eq!(mode, "wal");
    let fk: i64 = sqlx::query_scalar("PRAGMA foreign_keys")
        .fetch_one(pool)
        .await?;
    assert_eq!(fk, 1);
    // Reads are memory-mapped beyond SQLite's stock 2 GiB limit (the national file is 3 GB):
    // this holds only when the bundled SQLite was built with .cargo/config.toml's flags.
    let mmap: i64 = sqlx::query_scalar("PRAGMA mmap_size")
        .fetch_one(pool)
        .await?;
    assert_eq!(
        mmap,
        16 << 30,
        "mmap_size capped: LIBSQLITE3_FLAGS not applied?"
    );
    // A dangling reference is refused.
    let err = sqlx::query(
        "INSERT INTO unit_aliases (unit_id, alias, folded_alias) VALUES (999, 'x', 'x')",
    )
    .execute(pool)
    .await;
    assert!(err.is_err());
    db.close().await;
    let again = Db::connect(&path.display().to_string()).await?;
    assert_eq!(again.backend(), Backend::Sqlite);
    Ok(())
}

#[tokio::test]
async fn bad_postgres_url_gives_a_vietnamese_error_without_password() {
    let err = Db::connect("postgres://u:secret@127.0.0.1:1/nothing")
        .await
        .err();
    let msg = err.map(|e| e.to_string()).unwrap_or_default();
    assert!(msg.contains("không mở được cơ sở dữ liệu"), "{msg}");
    assert!(!msg.contains("secret"), "{msg}");
}
