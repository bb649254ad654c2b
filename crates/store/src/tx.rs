//! Statements and write transactions over the two backends, as plain types (one private
//! macro writes the four executor cases of a decoding statement once).
//!
//! **Statements.** A [`Query`] is SQL text (with `$1`, `$2` … placeholders, which both
//! backends accept) and its arguments as [`Arg`] values; it runs on an [`Exec`]: the pool of
//! a [`Db`] (each statement on its own connection) or an open write transaction ([`Tx`]).
//! The backend is chosen by a `match` inside this module, once per statement, so the rest
//! of the store is written once, not once per backend. Rows decode into any type that is
//! `FromRow` for both backends ([`Record`]: `#[derive(sqlx::FromRow)]` structs and tuples),
//! single columns into any [`Column`] type.
//!
//! **Write transactions.** On SQLite one write runs at a time, and writes queued together
//! commit together: see `crate::writer` for why and how. On PostgreSQL each write is its own
//! READ COMMITTED transaction.
//!
//! **What a write transaction holds, and what it does not.** Everything that must commit with
//! the change is inside: the change, its class intervals and dashboard generation bump
//! (`crate::intervals`), the submission key that makes a repeated submission record once
//! (`crate::idempotency`, claimed first so a repeat stops before any work), its notices and its
//! audit rows (`crate::audit::audited`, last). Everything that only decides whether the change
//! may be made is outside and before it, on pooled read connections that never queue for the
//! writer: the caller's rights, the form's checks, evidence files written to the file store.
//! [`Db::write`] logs, at debug level under the target `tinhgon_store::write`, how long each
//! write waited for the writer, spent in its body and in its commit, in the shape of sqlx's
//! statement log, so one script sums both (BENCHMARKS.md, "Writes under load").
//!
//! On PostgreSQL, writers run in parallel and only meet where they touch the same rows; the
//! audit chain is the one point every audited write shares (each row reads the previous
//! hash), see `crate::audit::append_all` for how short it is held.
//!
//! A transaction dropped without [`Tx::commit`] rolls back (sqlx queues the rollback on the
//! connection); `audited` and the other paths that can fail mid-way roll back explicitly
//! before releasing the writer mutex, so the next writer never finds the lock still held.

use std::time::Instant;

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::postgres::{PgArguments, PgRow};
use sqlx::sqlite::{SqliteArguments, SqliteRow};
use sqlx::{Arguments, Decode, FromRow, Postgres, Sqlite, Transaction, Type};

use crate::error::Result;
use crate::Db;

/// A value bound to a placeholder, typed so that a NULL keeps its column type on PostgreSQL.
#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    /// 64-bit integer (ids, counts).
    Int(Option<i64>),
    /// Text.
    Text(Option<String>),
    /// Boolean.
    Bool(Option<bool>),
    /// Floating point.
    Real(Option<f64>),
    /// Instant (UTC).
    Time(Option<DateTime<Utc>>),
    /// Calendar day.
    Date(Option<NaiveDate>),
}

macro_rules! arg_from {
    ($($t:ty => $v:ident $(via $conv:expr)?),* $(,)?) => {$(
        impl From<$t> for Arg {
            fn from(x: $t) -> Arg {
                Arg::$v(Some(x).map(arg_from!(@conv $($conv)?)))
            }
        }
        impl From<Option<$t>> for Arg {
            fn from(x: Option<$t>) -> Arg {
                Arg::$v(x.map(arg_from!(@conv $($conv)?)))
            }
        }
    )*};
    (@conv) => { |x| x.into() };
    (@conv $conv:expr) => { $conv };
}

// Conversions only (no control flow): each Rust type to the variant it is stored as.
arg_from! {
    i64 => Int,
    i32 => Int via i64::from,
    u32 => Int via i64::from,
    bool => Bool,
    f64 => Real,
    String => Text,
    &str => Text via str::to_owned,
    &String => Text via String::clone,
    DateTime<Utc> => Time,
    NaiveDate => Date,
}

// Borrowed values of the plain types bind as themselves (loops over `&[Id]` and the like).
impl From<&i64> for Arg {
    fn from(x: &i64) -> Arg {
        Arg::Int(Some(*x))
    }
}

impl From<&NaiveDate> for Arg {
    fn from(x: &NaiveDate) -> Arg {
        Arg::Date(Some(*x))
    }
}

impl From<&DateTime<Utc>> for Arg {
    fn from(x: &DateTime<Utc>) -> Arg {
        Arg::Time(Some(*x))
    }
}

impl From<&Option<i64>> for Arg {
    fn from(x: &Option<i64>) -> Arg {
        Arg::Int(*x)
    }
}

impl From<&Option<String>> for Arg {
    fn from(x: &Option<String>) -> Arg {
        Arg::Text(x.clone())
    }
}

/// A row type both backends can decode (derived `sqlx::FromRow` structs, tuples).
pub trait Record:
    for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin
{
}
impl<T> Record for T where
    T: for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin
{
}

/// A single-column value both backends can decode.
pub trait Column:
    for<'r> Decode<'r, Sqlite>
    + Type<Sqlite>
    + for<'r> Decode<'r, Postgres>
    + Type<Postgres>
    + Send
    + Unpin
{
}
impl<T> Column for T where
    T: for<'r> Decode<'r, Sqlite>
        + Type<Sqlite>
        + for<'r> Decode<'r, Postgres>
        + Type<Postgres>
        + Send
        + Unpin
{
}

/// Where a statement runs: the pool (autocommit) or an open write transaction.
pub enum Exec<'e> {
    /// A pooled connection per statement.
    Pool(&'e Db),
    /// The transaction's connection.
    Tx(&'e mut Tx),
}

impl Exec<'_> {
    /// The same executor for one more statement (a read that runs several statements takes
    /// an `Exec` and lends it to each).
    pub fn reborrow(&mut self) -> Exec<'_> {
        match self {
            Exec::Pool(db) => Exec::Pool(db),
            Exec::Tx(tx) => Exec::Tx(tx),
        }
    }
}

impl<'e> From<&'e Db> for Exec<'e> {
    fn from(db: &'e Db) -> Exec<'e> {
        Exec::Pool(db)
    }
}

impl<'e> From<&'e mut Tx> for Exec<'e> {
    fn from(tx: &'e mut Tx) -> Exec<'e> {
        Exec::Tx(tx)
    }
}

// The one place a decoding statement meets the four (backend, pool or transaction) cases; each
// arm is the same sqlx call on another executor type, which only a macro can write once.
macro_rules! decode_with {
    ($q:expr, $on:expr, $fetch:ident) => {
        match $on.into() {
            Exec::Pool(Db::Sqlite(p)) => {
                sqlx::query_as_with($q.sql, $q.sqlite()?).$fetch(p).await?
            }
            Exec::Pool(Db::Postgres(p)) => sqlx::query_as_with($q.sql, $q.pg()?).$fetch(p).await?,
            Exec::Tx(tx) => match tx.conn()? {
                Conn::Sqlite(c) => {
                    sqlx::query_as_with($q.sql, $q.sqlite()?)
                        .$fetch(&mut **c)
                        .await?
                }
                Conn::Postgres(c) => {
                    sqlx::query_as_with($q.sql, $q.pg()?)
                        .$fetch(&mut **c)
                        .await?
                }
            },
        }
    };
}

/// SQL text and its arguments; see the module doc.
#[derive(Debug, Clone)]
pub struct Query<'q> {
    sql: &'q str,
    args: Vec<Arg>,
}

/// A statement with no arguments bound yet.
pub fn query(sql: &str) -> Query<'_> {
    Query {
        sql,
        args: Vec::new(),
    }
}

impl<'q> Query<'q> {
    /// Binds the next placeholder.
    pub fn bind(mut self, value: impl Into<Arg>) -> Query<'q> {
        self.args.push(value.into());
        self
    }

    /// Binds the next placeholders, one per value (an `IN (…)` list).
    pub fn bind_all<V: Into<Arg>>(mut self, values: impl IntoIterator<Item = V>) -> Query<'q> {
        self.args.extend(values.into_iter().map(Into::into));
        self
    }

    /// Runs a statement that returns no rows; the number of rows it changed.
    pub async fn execute<'e>(self, on: impl Into<Exec<'e>>) -> Result<u64> {
        match on.into() {
            // A write on the pool is a write like any other: it queues for the writer.
            Exec::Pool(Db::Sqlite(pool)) => {
                crate::writer::write(pool, async |tx| self.execute_in(tx).await).await
            }
            Exec::Pool(Db::Postgres(pool)) => Ok(sqlx::query_with(self.sql, self.pg()?)
                .execute(pool)
                .await?
                .rows_affected()),
            Exec::Tx(tx) => self.execute_in(tx).await,
        }
    }

    async fn execute_in(self, tx: &mut Tx) -> Result<u64> {
        Ok(match tx.conn()? {
            Conn::Sqlite(c) => sqlx::query_with(self.sql, self.sqlite()?)
                .execute(&mut **c)
                .await?
                .rows_affected(),
            Conn::Postgres(c) => sqlx::query_with(self.sql, self.pg()?)
                .execute(&mut **c)
                .await?
                .rows_affected(),
        })
    }

    /// Every row.
    pub async fn fetch_all<'e, T: Record>(self, on: impl Into<Exec<'e>>) -> Result<Vec<T>> {
        Ok(decode_with!(self, on, fetch_all))
    }

    /// The first row, if any.
    pub async fn fetch_optional<'e, T: Record>(self, on: impl Into<Exec<'e>>) -> Result<Option<T>> {
        Ok(decode_with!(self, on, fetch_optional))
    }

    /// The one row the statement must return; none is the error sqlx's `fetch_one` gives.
    pub async fn fetch_one<'e, T: Record>(self, on: impl Into<Exec<'e>>) -> Result<T> {
        match self.fetch_optional(on).await? {
            Some(row) => Ok(row),
            None => Err(sqlx::Error::RowNotFound.into()),
        }
    }

    /// The first column of the one row the statement must return.
    pub async fn scalar<'e, T: Column>(self, on: impl Into<Exec<'e>>) -> Result<T> {
        let (v,): (T,) = self.fetch_one(on).await?;
        Ok(v)
    }

    /// The first column of the first row, if any.
    pub async fn scalar_optional<'e, T: Column>(
        self,
        on: impl Into<Exec<'e>>,
    ) -> Result<Option<T>> {
        let row: Option<(T,)> = self.fetch_optional(on).await?;
        Ok(row.map(|(v,)| v))
    }

    /// The first column of every row.
    pub async fn scalars<'e, T: Column>(self, on: impl Into<Exec<'e>>) -> Result<Vec<T>> {
        let rows: Vec<(T,)> = self.fetch_all(on).await?;
        Ok(rows.into_iter().map(|(v,)| v).collect())
    }

    fn sqlite(&self) -> Result<SqliteArguments<'static>> {
        self.arguments::<Sqlite>()
    }

    fn pg(&self) -> Result<PgArguments> {
        self.arguments::<Postgres>()
    }

    /// The arguments for one backend: every [`Arg`] variant is a type both encode.
    fn arguments<'a, DB>(&self) -> Result<<DB as sqlx::Database>::Arguments<'a>>
    where
        DB: sqlx::Database,
        Option<i64>: sqlx::Encode<'a, DB> + Type<DB>,
        Option<String>: sqlx::Encode<'a, DB> + Type<DB>,
        Option<bool>: sqlx::Encode<'a, DB> + Type<DB>,
        Option<f64>: sqlx::Encode<'a, DB> + Type<DB>,
        Option<DateTime<Utc>>: sqlx::Encode<'a, DB> + Type<DB>,
        Option<NaiveDate>: sqlx::Encode<'a, DB> + Type<DB>,
    {
        let mut out = <DB as sqlx::Database>::Arguments::<'a>::default();
        for a in &self.args {
            match a {
                Arg::Int(v) => out.add(*v),
                Arg::Text(v) => out.add(v.clone()),
                Arg::Bool(v) => out.add(*v),
                Arg::Real(v) => out.add(*v),
                Arg::Time(v) => out.add(*v),
                Arg::Date(v) => out.add(*v),
            }
            .map_err(sqlx::Error::Encode)?;
        }
        Ok(out)
    }
}

pub(crate) enum Conn {
    Sqlite(Transaction<'static, Sqlite>),
    Postgres(Transaction<'static, Postgres>),
}

/// An open write transaction; see the module doc. Only [`Db::write`] opens one, and commits
/// or rolls it back when the change's body is done.
pub struct Tx {
    // `None` only once settled (or dropped).
    conn: Option<Conn>,
    // On SQLite: the write's place in its group (`crate::writer`).
    member: Option<crate::writer::Membership>,
    // On SQLite: the audit chain's head as this transaction has moved it, when known
    // (`crate::audit::append_all`); `crate::writer` stores it before the commit.
    audit_head: Option<String>,
}

impl Tx {
    /// The backend of the transaction.
    pub fn backend(&self) -> crate::Backend {
        match self.conn {
            Some(Conn::Postgres(_)) => crate::Backend::Postgres,
            _ => crate::Backend::Sqlite,
        }
    }

    /// A SQLite write's transaction, in its group.
    pub(crate) fn grouped(
        tx: Transaction<'static, Sqlite>,
        member: crate::writer::Membership,
        audit_head: Option<String>,
    ) -> Tx {
        Tx {
            conn: Some(Conn::Sqlite(tx)),
            member: Some(member),
            audit_head,
        }
    }

    /// Takes a SQLite write's transaction, group and audit head back once its body is done.
    pub(crate) fn settle(
        mut self,
    ) -> Option<(
        Transaction<'static, Sqlite>,
        crate::writer::Membership,
        Option<String>,
    )> {
        match (self.conn.take(), self.member.take()) {
            (Some(Conn::Sqlite(t)), Some(m)) => Some((t, m, self.audit_head.take())),
            _ => None,
        }
    }

    /// On SQLite, the audit chain's head as this transaction knows it (see `audit_head`).
    pub(crate) fn sqlite_audit_head(&mut self) -> Option<&mut Option<String>> {
        match self.member {
            Some(_) => Some(&mut self.audit_head),
            None => None,
        }
    }

    fn conn(&mut self) -> Result<&mut Conn> {
        self.conn
            .as_mut()
            .ok_or_else(|| crate::StoreError::Corrupt("giao dịch ghi đã đóng".into()))
    }
}

impl Drop for Tx {
    fn drop(&mut self) {
        // Dropped before it was settled: the body was cancelled or panicked.
        if let (Some(Conn::Sqlite(t)), Some(m)) = (self.conn.take(), self.member.take()) {
            m.orphaned(t);
        }
    }
}

impl Db {
    /// On SQLite, how many write transactions this process has committed on the file (a group
    /// of writes counts once, see `crate::writer`); `None` on PostgreSQL.
    pub fn write_commits(&self) -> Option<u64> {
        match self {
            Db::Sqlite(pool) => Some(crate::writer::commits(pool)),
            Db::Postgres(_) => None,
        }
    }

    /// Runs `change` in one write transaction and returns once it is committed; a change that
    /// fails is rolled back (before the next writer may begin). On SQLite writes queue for the
    /// one writer and may commit in a group (`crate::writer`).
    pub async fn write<T, F>(&self, change: F) -> Result<T>
    where
        F: AsyncFnOnce(&mut Tx) -> Result<T>,
    {
        let pool = match self {
            Db::Sqlite(pool) => return crate::writer::write(pool, change).await,
            Db::Postgres(pool) => pool,
        };
        let asked = Instant::now();
        let mut tx = Tx {
            conn: Some(Conn::Postgres(pool.begin().await?)),
            member: None,
            audit_head: None,
        };
        let began = Instant::now();
        let result = change(&mut tx).await;
        let changed = Instant::now();
        let Some(Conn::Postgres(t)) = tx.conn.take() else {
            return Err(crate::StoreError::Corrupt("giao dịch ghi đã đóng".into()));
        };
        match result {
            Ok(out) => {
                t.commit().await?;
                // As in `crate::writer::write`: the wait, the body and the commit.
                tracing::debug!(target: "tinhgon_store::write", summary = "(wait for the writer and BEGIN)", elapsed_secs = (began - asked).as_secs_f64());
                tracing::debug!(target: "tinhgon_store::write", summary = "(transaction body)", elapsed_secs = (changed - began).as_secs_f64());
                tracing::debug!(target: "tinhgon_store::write", summary = "(COMMIT)", elapsed_secs = changed.elapsed().as_secs_f64());
                Ok(out)
            }
            Err(e) => {
                // The change's error is the one to report; a failed rollback only means the
                // connection is discarded.
                let _ = t.rollback().await;
                Err(e)
            }
        }
    }
}
