//! The store's error type, with Vietnamese messages meant for users.

use thiserror::Error;

/// Result of a store operation.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// What can go wrong in the store.
#[derive(Debug, Error)]
pub enum StoreError {
    /// The database URL or path could not be used.
    #[error("không mở được cơ sở dữ liệu {target}: {reason}")]
    Connect {
        /// URL or path as given.
        target: String,
        /// Why.
        reason: String,
    },
    /// Schema migration failed.
    #[error("không cập nhật được cấu trúc cơ sở dữ liệu: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// A record asked for does not exist.
    #[error("không tìm thấy {what} (mã {id})")]
    NotFound {
        /// Kind of record, in Vietnamese ("kế hoạch", "nhiệm vụ").
        what: &'static str,
        /// Its identifier.
        id: i64,
    },
    /// A rule of the domain refuses the change; the message says which.
    #[error("{0}")]
    Rejected(String),
    /// Someone else changed the record first (optimistic check).
    #[error("dữ liệu đã bị người khác thay đổi ({0}); vui lòng tải lại và thử lại")]
    Conflict(String),
    /// An input file (register CSV) is invalid; nothing was written.
    #[error("{file}, dòng {line}: {message}")]
    Input {
        /// File name.
        file: String,
        /// 1-based line number (the header is line 1).
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// A file could not be read.
    #[error("không đọc được tệp {path}: {reason}")]
    Io {
        /// Path.
        path: String,
        /// Why.
        reason: String,
    },
    /// Stored data could not be understood (a bug or a hand-edited database).
    #[error("dữ liệu lưu trữ không hợp lệ: {0}")]
    Corrupt(String),
    /// A write was to commit together with others (SQLite group commit, `crate::writer`) and
    /// that commit failed; nothing of it was written.
    #[error("lỗi cơ sở dữ liệu: {message}")]
    GroupCommit {
        /// The failure, as the member that met it reported it.
        message: String,
        /// Whether the disk was full.
        storage_full: bool,
        /// Whether the database could not be reached.
        unavailable: bool,
    },
    /// Any other database failure.
    #[error("lỗi cơ sở dữ liệu: {0}")]
    Database(#[from] sqlx::Error),
}

impl StoreError {
    /// True when the database could not write to its storage (SQLite's SQLITE_FULL on a full
    /// disk or SQLITE_IOERR_WRITE when a write is refused, e.g. past a file size limit;
    /// PostgreSQL's disk_full): nothing was written, and retrying will not help until an
    /// operator frees space.
    pub fn is_storage_full(&self) -> bool {
        match self {
            StoreError::Database(sqlx::Error::Database(d)) => d.code().is_some_and(|c| {
                // SQLite reports extended codes: 13 = SQLITE_FULL (its low byte), 778 =
                // SQLITE_IOERR_WRITE; PostgreSQL's 53100 is disk_full.
                c == "53100" || c.parse::<i32>().is_ok_and(|n| n & 0xff == 13 || n == 778)
            }),
            StoreError::Database(sqlx::Error::Io(e)) => {
                // ENOSPC, EFBIG
                matches!(e.raw_os_error(), Some(28) | Some(27))
            }
            StoreError::GroupCommit { storage_full, .. } => *storage_full,
            _ => false,
        }
    }

    /// True when the database cannot be reached right now (server down or restarting, no
    /// connection free in time): the request may succeed if tried again shortly, so it is
    /// answered "unavailable" rather than as a fault of ours.
    pub fn is_unavailable(&self) -> bool {
        match self {
            StoreError::Database(e) => match e {
                sqlx::Error::Io(_)
                | sqlx::Error::PoolTimedOut
                | sqlx::Error::PoolClosed
                | sqlx::Error::WorkerCrashed
                | sqlx::Error::Tls(_) => true,
                // Class 08 (connection exception), 57P01-57P03 (server shutting down,
                // crashed, starting up).
                sqlx::Error::Database(d) => d.code().is_some_and(|c| {
                    c.starts_with("08") || matches!(c.as_ref(), "57P01" | "57P02" | "57P03")
                }),
                _ => false,
            },
            StoreError::Connect { .. } => true,
            StoreError::GroupCommit { unavailable, .. } => *unavailable,
            _ => false,
        }
    }

    /// Maps a unique-constraint violation to `message`, keeping other errors as they are.
    /// Used right where a query that can hit a constraint runs.
    pub fn on_unique(message: &str) -> impl FnOnce(StoreError) -> StoreError + '_ {
        move |e| match &e {
            StoreError::Database(sqlx::Error::Database(d)) if d.is_unique_violation() => {
                StoreError::Rejected(message.to_string())
            }
            _ => e,
        }
    }

    /// Maps a foreign-key violation to `message`, keeping other errors as they are.
    pub fn on_foreign_key(message: &str) -> impl FnOnce(StoreError) -> StoreError + '_ {
        move |e| match &e {
            StoreError::Database(sqlx::Error::Database(d)) if d.is_foreign_key_violation() => {
                StoreError::Rejected(message.to_string())
            }
            _ => e,
        }
    }
}
