//! What an operator does to a database as a whole: read its schema version against the one this
//! binary knows, refuse a database written by a newer release, and take or restore a backup.
//!
//! A SQLite backup is `VACUUM INTO` a new file: SQLite copies one consistent snapshot while the
//! server keeps reading and writing (WAL), so it can be taken under load. PostgreSQL backups go
//! through the server's own tools, `pg_dump` in its custom format and `pg_restore`, so that a
//! backup restores on any later server version.

use std::path::Path;
use std::process::Command;

use crate::error::{Result, StoreError};
use crate::tx::query;
use crate::Db;

/// The schema version of a database against this binary's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SchemaStatus {
    /// Highest migration applied to the database (0 for an empty one).
    pub applied: i64,
    /// Highest migration this binary carries.
    pub known: i64,
}

impl SchemaStatus {
    /// True when every migration of this binary has run and no newer one has.
    pub fn current(&self) -> bool {
        self.applied == self.known
    }
}

/// Highest migration version this binary carries for the database's backend.
pub fn known_version(db: &Db) -> i64 {
    let m = match db {
        Db::Sqlite(_) => sqlx::migrate!("migrations/sqlite"),
        Db::Postgres(_) => sqlx::migrate!("migrations/postgres"),
    };
    m.iter().map(|m| m.version).max().unwrap_or(0)
}

/// Highest migration applied to the database (0 before the first migration).
pub async fn applied_version(db: &Db) -> Result<i64> {
    let exists: i64 = match db {
        Db::Sqlite(_) => query("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations'")
            .scalar(db)
            .await?,
        Db::Postgres(_) => query("SELECT COUNT(*) FROM information_schema.tables WHERE table_name = '_sqlx_migrations' AND table_schema = current_schema()")
            .scalar(db)
            .await?,
    };
    if exists == 0 {
        return Ok(0);
    }
    let v: Option<i64> = query("SELECT MAX(version) FROM _sqlx_migrations WHERE success")
        .scalar(db)
        .await?;
    Ok(v.unwrap_or(0))
}

/// The database's schema version against this binary's.
pub async fn schema_status(db: &Db) -> Result<SchemaStatus> {
    Ok(SchemaStatus {
        applied: applied_version(db).await?,
        known: known_version(db),
    })
}

/// Refuses a database that a newer release has migrated: this binary would not know its tables.
pub async fn refuse_newer(db: &Db) -> Result<()> {
    let s = schema_status(db).await?;
    if s.applied > s.known {
        return Err(StoreError::Rejected(format!(
            "cơ sở dữ liệu có cấu trúc phiên bản {} mới hơn phiên bản {} mà chương trình này biết; hãy dùng bản tinhgon mới hơn",
            s.applied, s.known
        )));
    }
    Ok(())
}

/// Writes a consistent copy of the database to `out` (which must not exist). `url` is what
/// the database was opened with (PostgreSQL's tools connect on their own).
pub async fn backup(db: &Db, url: &str, out: &Path) -> Result<()> {
    if out.exists() {
        return Err(StoreError::Rejected(format!(
            "tệp {} đã có; chọn tên khác để không ghi đè bản sao lưu cũ",
            out.display()
        )));
    }
    match db {
        // A read of one snapshot, and a statement that cannot run inside a transaction: it
        // goes straight to a pooled connection, not through the writer, and writes go on.
        Db::Sqlite(pool) => {
            sqlx::query("VACUUM INTO $1")
                .bind(out.display().to_string())
                .execute(pool)
                .await?;
            Ok(())
        }
        Db::Postgres(_) => run_tool(
            "pg_dump",
            Command::new(pg_tool("pg_dump"))
                .args(["--format=custom", "--no-owner", "--file"])
                .arg(out)
                .arg(url),
        ),
    }
}

/// Restores a backup made by [`backup`]: SQLite copies it to the path `url` (which must not
/// exist, so a live database is never overwritten); PostgreSQL restores into the (empty)
/// database of `url`.
pub fn restore(url: &str, backup: &Path) -> Result<()> {
    if !backup.is_file() {
        return Err(StoreError::Rejected(format!(
            "không có tệp sao lưu {}",
            backup.display()
        )));
    }
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        return run_tool(
            "pg_restore",
            Command::new(pg_tool("pg_restore"))
                .args([
                    "--no-owner",
                    "--exit-on-error",
                    "--single-transaction",
                    "--dbname",
                ])
                .arg(url)
                .arg(backup),
        );
    }
    let target = Path::new(url.strip_prefix("sqlite:").unwrap_or(url));
    if target.exists() {
        return Err(StoreError::Rejected(format!(
            "tệp {} đã có; khôi phục vào một tệp mới rồi đổi cấu hình sang tệp đó",
            target.display()
        )));
    }
    std::fs::copy(backup, target).map_err(|e| {
        StoreError::Rejected(format!(
            "không chép được bản sao lưu sang {}: {e}",
            target.display()
        ))
    })?;
    Ok(())
}

/// PostgreSQL's client programs: on PATH, else in Debian's versioned directory.
fn pg_tool(name: &str) -> std::path::PathBuf {
    let on_path = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).any(|d| d.join(name).is_file()))
        .unwrap_or(false);
    if !on_path {
        if let Ok(dirs) = std::fs::read_dir("/usr/lib/postgresql") {
            let mut found: Vec<_> = dirs
                .filter_map(|d| d.ok())
                .map(|d| d.path().join("bin").join(name))
                .filter(|p| p.is_file())
                .collect();
            found.sort();
            if let Some(p) = found.pop() {
                return p;
            }
        }
    }
    name.into()
}

fn run_tool(name: &str, cmd: &mut Command) -> Result<()> {
    let out = cmd.output().map_err(|e| {
        StoreError::Rejected(format!(
            "không chạy được {name} (cần cài gói postgresql-client): {e}"
        ))
    })?;
    if !out.status.success() {
        return Err(StoreError::Rejected(format!(
            "{name} báo lỗi: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        )));
    }
    Ok(())
}
