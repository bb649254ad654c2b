//! Writes under concurrency: on SQLite writes queued together commit together (group commit,
//! `tinhgon_store::writer`), and each still keeps its own fate — a write that fails, is
//! cancelled or panics leaves the others of its group committed. Run on both databases: the
//! guarantees are the same on PostgreSQL, where each write is its own transaction.

mod common;

use std::time::Duration;

use tinhgon_store::audit::{self, AuditEntry};
use tinhgon_store::tx::query;
use tinhgon_store::{Backend, Db, StoreError};

async fn probe_table(db: &Db) -> anyhow::Result<()> {
    let sql = match db.backend() {
        Backend::Sqlite => "CREATE TABLE writer_probe (n INTEGER PRIMARY KEY)",
        Backend::Postgres => "CREATE TABLE writer_probe (n BIGINT PRIMARY KEY)",
    };
    query(sql).execute(db).await?;
    Ok(())
}

async fn rows(db: &Db) -> anyhow::Result<Vec<i64>> {
    Ok(query("SELECT n FROM writer_probe ORDER BY n")
        .scalars(db)
        .await?)
}

/// One write: inserts `n`; fails after the insert when `fail`, or hits the primary key.
async fn insert(db: &Db, n: i64, fail: bool) -> tinhgon_store::Result<()> {
    db.write(async |tx| {
        query("INSERT INTO writer_probe (n) VALUES ($1)")
            .bind(n)
            .execute(&mut *tx)
            .await?;
        if n % 5 == 0 {
            // A statement that fails inside the transaction (duplicate key).
            query("INSERT INTO writer_probe (n) VALUES ($1)")
                .bind(n)
                .execute(&mut *tx)
                .await?;
        }
        if fail {
            return Err(StoreError::Rejected("từ chối".into()));
        }
        Ok(())
    })
    .await
}

tinhgon_testkit::both_databases! {
    async fn concurrent_writes_each_keep_their_own_fate(t) -> anyhow::Result<()> {
        let db = Db::connect(&t.url).await?;
        probe_table(&db).await?;
        let before = db.write_commits();
        let mut handles = Vec::new();
        for n in 1..=96i64 {
            let db = db.clone();
            handles.push(tokio::spawn(async move { (n, insert(&db, n, n % 3 == 0).await) }));
        }
        let mut expected = Vec::new();
        for h in handles {
            let (n, result) = h.await?;
            let should = n % 3 != 0 && n % 5 != 0;
            anyhow::ensure!(result.is_ok() == should, "write {n}: {result:?}");
            if should {
                expected.push(n);
            }
        }
        anyhow::ensure!(rows(&db).await? == expected, "rows {:?}", rows(&db).await?);
        if let (Some(before), Some(after)) = (before, db.write_commits()) {
            // 96 writes queued at once: groups formed, so fewer commits than successful writes.
            let commits = after - before;
            anyhow::ensure!(
                commits < expected.len() as u64,
                "{commits} commits for {} writes",
                expected.len()
            );
        }
        Ok(())
    }

    async fn the_audit_chain_holds_when_writes_of_a_group_fail_after_appending(t) -> anyhow::Result<()> {
        let db = Db::connect(&t.url).await?;
        probe_table(&db).await?;
        let mut handles = Vec::new();
        for n in 1..=64i64 {
            let db = db.clone();
            handles.push(tokio::spawn(async move {
                db.write(async |tx| {
                    query("INSERT INTO writer_probe (n) VALUES ($1)").bind(n).execute(&mut *tx).await?;
                    let entry = AuditEntry::system("probe.write", "probe", Some(n), serde_json::json!({ "n": n }));
                    audit::append_all(tx, std::slice::from_ref(&entry), chrono::Utc::now()).await?;
                    // A third fail after their audit row was appended: row and head roll back.
                    if n % 3 == 0 {
                        return Err(StoreError::Rejected("từ chối".into()));
                    }
                    Ok(())
                })
                .await
            }));
        }
        for h in handles {
            let _ = h.await?;
        }
        let written = rows(&db).await?;
        anyhow::ensure!(written == (1..=64).filter(|n| n % 3 != 0).collect::<Vec<_>>());
        let check = audit::verify(&db).await?;
        anyhow::ensure!(check.broken.is_none(), "chain broken: {:?}", check.broken);
        let probe_rows: i64 = query("SELECT COUNT(*) FROM audit_log WHERE action = 'probe.write'")
            .scalar(&db)
            .await?;
        anyhow::ensure!(probe_rows == written.len() as i64, "{probe_rows} audit rows");
        // A write after the groups appends to the head they left.
        db.write(async |tx| {
            let entry = AuditEntry::system("probe.write", "probe", None, serde_json::json!({}));
            audit::append_all(tx, std::slice::from_ref(&entry), chrono::Utc::now()).await
        })
        .await?;
        anyhow::ensure!(audit::verify(&db).await?.broken.is_none());
        Ok(())
    }

    async fn a_cancelled_or_panicking_write_leaves_its_group_committed(t) -> anyhow::Result<()> {
        let db = Db::connect(&t.url).await?;
        probe_table(&db).await?;
        // The first write holds the writer while the others queue behind it in order. On
        // SQLite the panicking write joins the first one's group, and the cancelled one joins
        // the group of the write before it: each leaves its group committed.
        let first = spawn_write(&db, 1, Duration::from_millis(150), Fate::Commit);
        tokio::time::sleep(Duration::from_millis(20)).await;
        let panicking = spawn_write(&db, 2, Duration::ZERO, Fate::Panic);
        tokio::time::sleep(Duration::from_millis(20)).await;
        let second = spawn_write(&db, 4, Duration::ZERO, Fate::Commit);
        tokio::time::sleep(Duration::from_millis(20)).await;
        let cancelled = spawn_write(&db, 3, Duration::ZERO, Fate::Hang);
        tokio::time::sleep(Duration::from_millis(20)).await;
        let last = spawn_write(&db, 6, Duration::ZERO, Fate::Commit);
        first.await??;
        anyhow::ensure!(panicking.await.is_err(), "the panicking write answered");
        second.await??;
        anyhow::ensure!(cancelled.await?.is_err(), "the cancelled write answered");
        last.await??;
        anyhow::ensure!(rows(&db).await? == vec![1, 4, 6], "rows {:?}", rows(&db).await?);
        // The writer is free again.
        insert(&db, 7, false).await?;
        anyhow::ensure!(rows(&db).await? == vec![1, 4, 6, 7]);
        Ok(())
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Fate {
    Commit,
    Panic,
    /// Never finishes its body: dropped by a timeout, as a request whose client went away.
    Hang,
}

/// A write inserting `n`, holding the transaction `hold` long, ending as `fate` says.
fn spawn_write(
    db: &Db,
    n: i64,
    hold: Duration,
    fate: Fate,
) -> tokio::task::JoinHandle<anyhow::Result<()>> {
    let db = db.clone();
    tokio::spawn(async move {
        let write = db.write(async |tx| {
            query("INSERT INTO writer_probe (n) VALUES ($1)")
                .bind(n)
                .execute(&mut *tx)
                .await?;
            tokio::time::sleep(hold).await;
            match fate {
                Fate::Commit => Ok(()),
                Fate::Panic => panic!("a fault in the middle of write {n}"),
                Fate::Hang => std::future::pending().await,
            }
        });
        // The hanging write is dropped after 300 ms; the others have time to spare.
        let limit = if fate == Fate::Hang { 300 } else { 5_000 };
        tokio::time::timeout(Duration::from_millis(limit), write).await??;
        Ok(())
    })
}
