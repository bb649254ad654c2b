//! `Db`: one handle for both backends, chosen once from the URL or path.

use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use sqlx::Connection;

use crate::error::{Result, StoreError};

/// Which database a `Db` talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// An embedded SQLite file.
    Sqlite,
    /// A PostgreSQL server.
    Postgres,
}

/// A pool of connections to SQLite or PostgreSQL. Cheap to clone.
#[derive(Debug, Clone)]
pub enum Db {
    /// SQLite file (WAL, foreign keys on).
    Sqlite(SqlitePool),
    /// PostgreSQL server.
    Postgres(PgPool),
}

impl Db {
    /// Opens the database: a `postgres://` (or `postgresql://`) URL connects to PostgreSQL,
    /// anything else is a SQLite file path (or `sqlite:` URL), created if missing.
    /// Pending migrations run before this returns.
    pub async fn connect(url_or_path: &str) -> Result<Db> {
        let db = Db::open(url_or_path).await?;
        db.migrate().await?;
        Ok(db)
    }

    /// Opens the database as [`Db::connect`] does, without running migrations: for reading
    /// its state (`tinhgon check`, `tinhgon migrate` before it migrates).
    pub async fn open(url_or_path: &str) -> Result<Db> {
        let db =
            if url_or_path.starts_with("postgres://") || url_or_path.starts_with("postgresql://") {
                // One direct attempt first: the pool would retry a refused connection until its
                // acquire timeout, and a wrong URL should fail at once.
                let probe = sqlx::postgres::PgConnection::connect(url_or_path)
                    .await
                    .map_err(|e| connect_error(url_or_path, e))?;
                probe
                    .close()
                    .await
                    .map_err(|e| connect_error(url_or_path, e))?;
                let pool = PgPoolOptions::new()
                    .max_connections(16)
                    // No ping round trip before each statement; a connection the server has
                    // dropped fails its statement and is discarded by the pool.
                    .test_before_acquire(false)
                    // While the server restarts, a request fails after this long with "try
                    // again" instead of holding its client for half a minute.
                    .acquire_timeout(Duration::from_secs(3))
                    .connect_with(pg_options(url_or_path)?)
                    .await
                    .map_err(|e| connect_error(url_or_path, e))?;
                Db::Postgres(pool)
            } else {
                let options = if url_or_path.starts_with("sqlite:") {
                    SqliteConnectOptions::from_str(url_or_path)
                        .map_err(|e| connect_error(url_or_path, e))?
                } else {
                    SqliteConnectOptions::new().filename(url_or_path)
                };
                let options = options
                    .create_if_missing(true)
                    .journal_mode(SqliteJournalMode::Wal)
                    .foreign_keys(true)
                    .busy_timeout(Duration::from_secs(30))
                    .synchronous(SqliteSynchronous::Normal)
                    .pragma("cache_size", "-65536")
                    // Checkpoints run beside the writer (`crate::writer`); the connection's
                    // own one (default 1,000 pages) only when those fall behind.
                    .pragma("wal_autocheckpoint", "10000")
                    // Reads through a memory map (up to the compile-time limit set in
                    // .cargo/config.toml): in WAL mode any commit makes every other
                    // connection drop its page cache, and re-reading from the map is cheap.
                    .pragma("mmap_size", "17179869184");
                let pool = SqlitePoolOptions::new()
                    .max_connections(8)
                    // A ping before every acquire is a round trip to the connection's worker
                    // thread per statement; a broken connection fails its statement instead.
                    .test_before_acquire(false)
                    .acquire_timeout(Duration::from_secs(30))
                    .connect_with(options)
                    .await
                    .map_err(|e| connect_error(url_or_path, e))?;
                Db::Sqlite(pool)
            };
        Ok(db)
    }

    /// Applies the embedded migrations of this backend that have not run yet, then
    /// recomputes the stored search keys if a migration marked them stale.
    pub async fn migrate(&self) -> Result<()> {
        // sqlx would report a newer database as a missing migration; say what it means.
        crate::ops::refuse_newer(self).await?;
        match self {
            Db::Sqlite(pool) => sqlx::migrate!("migrations/sqlite").run(pool).await?,
            Db::Postgres(pool) => sqlx::migrate!("migrations/postgres").run(pool).await?,
        }
        crate::search_keys::recompute_if_stale(self).await?;
        // Statistics only speed queries up: a database that cannot take them now (a full
        // disk) still opens, and the daily job tries again.
        if let Err(e) = self.optimize().await {
            tracing::warn!(loi = %e, "không cập nhật được thống kê của cơ sở dữ liệu");
        }
        Ok(())
    }

    /// Refreshes the query planner's statistics where they are missing or stale. SQLite keeps
    /// none of its own: an index added by a migration has no statistics, and without them the
    /// planner took a new two-column index over the one that also serves the order (the plan
    /// list then sorted a province's 1,500 plans on every request). `PRAGMA optimize` with
    /// 0x10000 looks at every table and samples only those that need it, within a bounded
    /// number of rows, so it is cheap when nothing changed. PostgreSQL's autovacuum analyses
    /// by itself.
    pub async fn optimize(&self) -> Result<()> {
        if let Db::Sqlite(pool) = self {
            sqlx::query("PRAGMA optimize = 0x10002")
                .execute(pool)
                .await?;
        }
        Ok(())
    }

    /// Connections open in the pool and how many of them are idle.
    pub fn pool_stats(&self) -> (u32, usize) {
        match self {
            Db::Sqlite(pool) => (pool.size(), pool.num_idle()),
            Db::Postgres(pool) => (pool.size(), pool.num_idle()),
        }
    }

    /// The backend in use.
    pub fn backend(&self) -> Backend {
        match self {
            Db::Sqlite(_) => Backend::Sqlite,
            Db::Postgres(_) => Backend::Postgres,
        }
    }

    /// Closes every connection (waits for running queries).
    pub async fn close(&self) {
        match self {
            Db::Sqlite(pool) => pool.close().await,
            Db::Postgres(pool) => pool.close().await,
        }
    }
}

/// The PostgreSQL options of every pooled connection: the URL's, with JIT compilation off.
/// Our statements are short index lookups; JIT triggered on the planner's cost estimate
/// (e.g. a province dashboard computed on a cache miss) and spent more time compiling
/// (~6 ms) than the statement ran.
fn pg_options(url: &str) -> Result<PgConnectOptions> {
    Ok(PgConnectOptions::from_str(url)
        .map_err(|e| connect_error(url, e))?
        .options([("jit", "off")]))
}

fn connect_error(target: &str, e: impl std::fmt::Display) -> StoreError {
    StoreError::Connect {
        target: redact(target),
        reason: e.to_string(),
    }
}

/// Hides a password in a URL before it is shown in a message.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let creds = &url[scheme + 3..at];
            match creds.find(':') {
                Some(colon) => format!(
                    "{}{}:***{}",
                    &url[..scheme + 3],
                    &creds[..colon],
                    &url[at..]
                ),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn redacts_password_only() {
        assert_eq!(
            redact("postgres://u:secret@h:5/db"),
            "postgres://u:***@h:5/db"
        );
        assert_eq!(redact("postgres://u@h/db"), "postgres://u@h/db");
        assert_eq!(redact("/tmp/a.db"), "/tmp/a.db");
    }
}
