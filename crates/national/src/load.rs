//! Bulk loading: rows streamed into SQLite (one connection, big transactions, multi-row
//! prepared INSERTs, foreign keys checked afterwards) or PostgreSQL (one `COPY FROM STDIN`
//! per table, text format). Only a few thousand rows are ever held in memory.

use std::fmt::Write as _;

use sqlx::pool::PoolConnection;
use sqlx::postgres::{PgCopyIn, PgPool, PgPoolCopyExt, PgPoolOptions};
use sqlx::{Postgres, Sqlite};

use crate::error::Result;
use tinhgon_store::Db;

/// One value of a row.
#[derive(Debug, Clone)]
pub enum V {
    /// Integer.
    I(i64),
    /// Owned text (dates and timestamps are ISO text, accepted by both databases).
    T(String),
    /// Static text.
    S(&'static str),
    /// NULL.
    N,
}

impl From<i64> for V {
    fn from(v: i64) -> V {
        V::I(v)
    }
}
impl From<Option<i64>> for V {
    fn from(v: Option<i64>) -> V {
        v.map_or(V::N, V::I)
    }
}
impl From<String> for V {
    fn from(v: String) -> V {
        V::T(v)
    }
}
impl From<Option<String>> for V {
    fn from(v: Option<String>) -> V {
        v.map_or(V::N, V::T)
    }
}
impl From<&'static str> for V {
    fn from(v: &'static str) -> V {
        V::S(v)
    }
}

/// The tables the generator fills, in dependency order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Table {
    /// units
    Units,
    /// plans
    Plans,
    /// tasks
    Tasks,
    /// assignments
    Assignments,
    /// status_changes
    StatusChanges,
    /// progress_reports
    ProgressReports,
    /// assignment_class_intervals
    Intervals,
}

/// Every table, in dependency order.
pub const TABLES: [Table; 7] = [
    Table::Units,
    Table::Plans,
    Table::Tasks,
    Table::Assignments,
    Table::StatusChanges,
    Table::ProgressReports,
    Table::Intervals,
];

impl Table {
    /// Table name.
    pub fn name(self) -> &'static str {
        match self {
            Table::Units => "units",
            Table::Plans => "plans",
            Table::Tasks => "tasks",
            Table::Assignments => "assignments",
            Table::StatusChanges => "status_changes",
            Table::ProgressReports => "progress_reports",
            Table::Intervals => "assignment_class_intervals",
        }
    }

    /// Columns written, in row order.
    pub fn columns(self) -> &'static [&'static str] {
        match self {
            Table::Units => &[
                "id",
                "code",
                "name",
                "folded_name",
                "kind",
                "register_kind",
                "level",
                "parent_id",
                "province_id",
                "valid_from",
                "created_at",
            ],
            Table::Plans => &[
                "id",
                "province_id",
                "number",
                "kind",
                "issuer",
                "issuer_unit_id",
                "place",
                "issued_on",
                "title",
                "folded_title",
                "state",
                "content_hash",
                "draft_json",
                "monitor_unit_id",
                "created_at",
                "updated_at",
                "published_at",
            ],
            Table::Tasks => &[
                "id",
                "plan_id",
                "position",
                "ref",
                "content",
                "folded_content",
                "deadline_text",
                "deadline_kind",
                "due",
                "due_precision",
                "period",
                "deadline_event",
                "triggered_on",
                "triggered_due",
                "lead_json",
            ],
            Table::Assignments => &[
                "id",
                "task_id",
                "plan_id",
                "province_id",
                "unit_id",
                "original_unit_id",
                "via_group",
                "due",
                "status",
                "created_at",
                "done_at",
                "done_on",
                "updated_at",
            ],
            Table::StatusChanges => &[
                "id",
                "assignment_id",
                "unit_id",
                "from_status",
                "to_status",
                "at",
                "on_date",
                "completed_on",
            ],
            Table::ProgressReports => &["id", "assignment_id", "unit_id", "at", "percent", "text"],
            Table::Intervals => &[
                "assignment_id",
                "province_id",
                "unit_id",
                "from_day",
                "to_day",
                "class",
            ],
        }
    }

    fn index(self) -> usize {
        TABLES.iter().position(|t| *t == self).unwrap_or(0)
    }
}

/// Rows per multi-row INSERT on SQLite (bounded by its 32,766 parameters).
fn sqlite_batch(table: Table) -> usize {
    (30_000 / table.columns().len()).min(500)
}

/// Rows between two commits on SQLite: big enough to amortise, small enough for the WAL.
const SQLITE_COMMIT_EVERY: u64 = 1_000_000;
/// Bytes buffered per table before they go to PostgreSQL.
const PG_CHUNK: usize = 1 << 20;

fn insert_sql(table: Table, rows: usize) -> String {
    let cols = table.columns();
    let one = format!("({})", vec!["?"; cols.len()].join(","));
    format!(
        "INSERT INTO {} ({}) VALUES {}",
        table.name(),
        cols.join(","),
        vec![one; rows].join(",")
    )
}

struct SqliteLoader {
    conn: PoolConnection<Sqlite>,
    bufs: Vec<Vec<V>>,
    full_sql: Vec<String>,
    since_commit: u64,
}

struct PgLoader {
    // Dropped after the copies: they hold its connections.
    _pool: PgPool,
    copies: Vec<PgCopyIn<PoolConnection<Postgres>>>,
    bufs: Vec<String>,
}

enum Inner {
    Sqlite(SqliteLoader),
    Postgres(PgLoader),
}

/// A running bulk load.
pub struct Loader {
    inner: Inner,
    counts: [u64; 7],
}

impl Loader {
    /// Starts loading into `db`. PostgreSQL: a side pool whose sessions skip foreign-key
    /// triggers (`session_replication_role = replica`, needs a superuser), since the tables
    /// are copied side by side; the generator writes consistent keys and the tests check them.
    pub async fn start(db: &Db) -> Result<Loader> {
        let inner = match db {
            Db::Sqlite(pool) => {
                let mut conn = pool.acquire().await?;
                for pragma in [
                    "PRAGMA foreign_keys = OFF",
                    "PRAGMA synchronous = OFF",
                    "BEGIN",
                ] {
                    sqlx::query(pragma).execute(&mut *conn).await?;
                }
                Inner::Sqlite(SqliteLoader {
                    conn,
                    bufs: TABLES.iter().map(|_| Vec::new()).collect(),
                    full_sql: TABLES
                        .iter()
                        .map(|t| insert_sql(*t, sqlite_batch(*t)))
                        .collect(),
                    since_commit: 0,
                })
            }
            Db::Postgres(pool) => {
                let options = (*pool.connect_options())
                    .clone()
                    .options([("session_replication_role", "replica")]);
                let side = PgPoolOptions::new()
                    .max_connections(TABLES.len() as u32)
                    .connect_with(options)
                    .await?;
                let mut copies = Vec::new();
                for t in TABLES {
                    let stmt = format!("COPY {} ({}) FROM STDIN", t.name(), t.columns().join(","));
                    copies.push(side.copy_in_raw(&stmt).await?);
                }
                Inner::Postgres(PgLoader {
                    _pool: side,
                    copies,
                    bufs: TABLES
                        .iter()
                        .map(|_| String::with_capacity(PG_CHUNK + 4096))
                        .collect(),
                })
            }
        };
        Ok(Loader {
            inner,
            counts: [0; 7],
        })
    }

    /// Adds one row to `table`.
    pub async fn row<const N: usize>(&mut self, table: Table, values: [V; N]) -> Result<()> {
        debug_assert_eq!(N, table.columns().len());
        let i = table.index();
        self.counts[i] += 1;
        match &mut self.inner {
            Inner::Sqlite(l) => {
                l.bufs[i].extend(values);
                if l.bufs[i].len() >= sqlite_batch(table) * N {
                    l.flush(i).await?;
                }
            }
            Inner::Postgres(l) => {
                let buf = &mut l.bufs[i];
                for (k, v) in values.iter().enumerate() {
                    if k > 0 {
                        buf.push('\t');
                    }
                    copy_value(buf, v);
                }
                buf.push('\n');
                if buf.len() >= PG_CHUNK {
                    let data = std::mem::take(buf);
                    l.copies[i].send(data.into_bytes()).await?;
                    *buf = String::with_capacity(PG_CHUNK + 4096);
                }
            }
        }
        Ok(())
    }

    /// Writes what is buffered and ends the load.
    pub async fn finish(self) -> Result<[u64; 7]> {
        match self.inner {
            Inner::Sqlite(mut l) => {
                for i in 0..TABLES.len() {
                    l.flush(i).await?;
                }
                sqlx::query("COMMIT").execute(&mut *l.conn).await?;
                for pragma in ["PRAGMA synchronous = NORMAL", "PRAGMA foreign_keys = ON"] {
                    sqlx::query(pragma).execute(&mut *l.conn).await?;
                }
            }
            Inner::Postgres(mut l) => {
                for (i, copy) in l.copies.iter_mut().enumerate() {
                    let data = std::mem::take(&mut l.bufs[i]);
                    if !data.is_empty() {
                        copy.send(data.into_bytes()).await?;
                    }
                }
                for copy in l.copies {
                    copy.finish().await?;
                }
            }
        }
        Ok(self.counts)
    }
}

impl SqliteLoader {
    async fn flush(&mut self, i: usize) -> Result<()> {
        let table = TABLES[i];
        let n = table.columns().len();
        let rows = self.bufs[i].len() / n;
        if rows == 0 {
            return Ok(());
        }
        let values = std::mem::take(&mut self.bufs[i]);
        let partial;
        let sql: &str = if rows == sqlite_batch(table) {
            &self.full_sql[i]
        } else {
            partial = insert_sql(table, rows);
            &partial
        };
        let mut q = sqlx::query(sql);
        for v in values {
            q = match v {
                V::I(x) => q.bind(x),
                V::T(s) => q.bind(s),
                V::S(s) => q.bind(s),
                V::N => q.bind(None::<i64>),
            };
        }
        q.execute(&mut *self.conn).await?;
        self.bufs[i] = Vec::with_capacity(sqlite_batch(table) * n);
        self.since_commit += rows as u64;
        if self.since_commit >= SQLITE_COMMIT_EVERY {
            sqlx::query("COMMIT").execute(&mut *self.conn).await?;
            sqlx::query("BEGIN").execute(&mut *self.conn).await?;
            self.since_commit = 0;
        }
        Ok(())
    }
}

/// One value in COPY text format (backslash escapes, `\N` for NULL).
fn copy_value(buf: &mut String, v: &V) {
    match v {
        V::I(x) => {
            let _ = write!(buf, "{x}");
        }
        V::T(s) => copy_text(buf, s),
        V::S(s) => copy_text(buf, s),
        V::N => buf.push_str("\\N"),
    }
}

fn copy_text(buf: &mut String, s: &str) {
    for ch in s.chars() {
        match ch {
            '\\' => buf.push_str("\\\\"),
            '\t' => buf.push_str("\\t"),
            '\n' => buf.push_str("\\n"),
            '\r' => buf.push_str("\\r"),
            c => buf.push(c),
        }
    }
}

/// Secondary indexes of the bulk tables, dropped before a load and rebuilt after it
/// (building once is faster than maintaining them row by row).
pub async fn drop_secondary_indexes(db: &Db) -> Result<Vec<String>> {
    let tables =
        "'tasks','assignments','status_changes','progress_reports','assignment_class_intervals'";
    let rows: Vec<(String, String)> = match db {
        Db::Sqlite(pool) => {
            sqlx::query_as(&format!(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL \
                 AND tbl_name IN ({tables})"
            ))
            .fetch_all(pool)
            .await?
        }
        Db::Postgres(pool) => {
            sqlx::query_as(&format!(
                "SELECT indexname::text, indexdef FROM pg_indexes WHERE schemaname = current_schema() \
                 AND tablename IN ({tables}) AND indexname NOT IN (SELECT conname FROM pg_constraint)"
            ))
            .fetch_all(pool)
            .await?
        }
    };
    for (name, _) in &rows {
        let sql = format!("DROP INDEX {name}");
        execute(db, &sql).await?;
    }
    Ok(rows.into_iter().map(|(_, sql)| sql).collect())
}

async fn execute(db: &Db, sql: &str) -> Result<()> {
    match db {
        Db::Sqlite(pool) => sqlx::query(sql).execute(pool).await.map(drop)?,
        Db::Postgres(pool) => sqlx::query(sql).execute(pool).await.map(drop)?,
    }
    Ok(())
}

/// Rebuilds the indexes dropped by [`drop_secondary_indexes`] and refreshes statistics
/// (and, on PostgreSQL, the sequences behind the ids the generator chose).
pub async fn rebuild(db: &Db, index_sql: &[String]) -> Result<()> {
    for sql in index_sql {
        execute(db, sql).await?;
    }
    match db {
        Db::Sqlite(pool) => {
            sqlx::query("ANALYZE").execute(pool).await?;
            sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
                .execute(pool)
                .await?;
        }
        Db::Postgres(pool) => {
            for t in TABLES.iter().filter(|t| t.columns()[0] == "id") {
                let sql = format!(
                    "SELECT setval(pg_get_serial_sequence('{0}', 'id'), COALESCE((SELECT MAX(id) FROM {0}), 0) + 1, false)",
                    t.name()
                );
                sqlx::query(&sql).execute(pool).await?;
            }
            // VACUUM sets the visibility map, so the counts can be answered from the index alone.
            sqlx::query("VACUUM ANALYZE").execute(pool).await?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copy_text_escapes_separators() {
        let mut buf = String::new();
        copy_value(&mut buf, &V::T("a\tb\\c\nd".into()));
        buf.push('|');
        copy_value(&mut buf, &V::N);
        assert_eq!(buf, "a\\tb\\\\c\\nd|\\N");
    }

    #[test]
    fn insert_sql_has_one_placeholder_per_value() {
        let sql = insert_sql(Table::Tasks, 3);
        assert_eq!(sql.matches('?').count(), 3 * Table::Tasks.columns().len());
    }
}
