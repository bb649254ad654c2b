//! The SQLite writer: one write transaction at a time, and writes that arrive together
//! committed together (group commit).
//!
//! **One writer at a time.** SQLite has one write lock per database file. When several pooled
//! connections each begin a write transaction, all but one get `SQLITE_BUSY` and sleep in
//! SQLite's busy handler, which retries in coarse steps (1, 2, 5, 10 … up to 100 ms). Writers
//! therefore first queue on an in-process async mutex (one per database file, [`gate`]), in
//! arrival order, and only then touch a connection: `BEGIN IMMEDIATE` always finds the lock
//! free, and queued writers hold no pool connection the readers need. The busy handler stays
//! configured for other processes writing the same file (a command-line import during
//! service).
//!
//! **Group commit.** With one writer at a time, each write also paid its own `BEGIN` and
//! `COMMIT`, and the commit (appending every page the write touched to the WAL, and now and
//! then a checkpoint) was a large share of the time the lock was held. So when a write's body
//! is done and other writers are already queued, the transaction is not committed: it is left
//! open in the mutex for the next writer, whose body runs in the same transaction inside a
//! savepoint. The last writer of the group (no one queued any more, or the group at its size
//! or age limit) commits once for all; the others wait for that commit and only then answer.
//! A lone writer commits at once, as before. Every caller still returns only once its change
//! is committed, and every guarantee of a transaction holds per write:
//! - a body that fails is rolled back to its savepoint and only it fails; the group goes on;
//! - if the rollback to the savepoint itself fails (SQLite rolled the whole transaction back
//!   on a full disk or an I/O error), or the commit fails, every member of the group gets the
//!   error and nothing of the group is written;
//! - a write whose future is dropped mid-body (the client went away) or that panics is rolled
//!   back to its savepoint on a spawned task, which then commits the rest of the group: one
//!   member's fate never decides another's.
//!
//! **Checkpoints beside the writer.** SQLite copies the WAL back into the database file
//! (a checkpoint, with an fsync) inside the commit that finds the WAL over its limit, while
//! that commit — and so every queued writer — waits: the longest commits were checkpoints. A
//! passive checkpoint therefore runs on a pooled connection of its own at most every
//! [`CHECKPOINT_EVERY`] while writes commit ([`checkpoint_soon`]); it does not take the write
//! lock, so writers go on appending meanwhile. The connections' own limit is raised
//! (`wal_autocheckpoint`, see `Db::connect`) so that it only acts when these fall behind, and
//! writes that bypass this module (bulk loads) still have one.
//!
//! A member that waits for the group's commit also queues on the mutex again: whoever gets the
//! mutex and finds an open group with no writer running commits it. So a group ends at the
//! latest when all writers queued at its start have run, and no member can wait for a commit
//! nobody will make.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use sqlx::{Sqlite, SqlitePool, Transaction};
use tokio::sync::{oneshot, OwnedMutexGuard};

use crate::error::{Result, StoreError};
use crate::tx::Tx;

/// Most writes committed together: bounds the transaction's size and the first member's wait.
const MAX_MEMBERS: usize = 32;
/// Longest a group stays open after its first member's body is done.
const MAX_AGE: Duration = Duration::from_millis(15);
/// Least time between two checkpoints started after commits.
const CHECKPOINT_EVERY: Duration = Duration::from_millis(100);
/// The savepoint a joining member's body runs in.
const SAVEPOINT: &str = "SAVEPOINT tinhgon_write";
const RELEASE: &str = "RELEASE tinhgon_write";
const ROLLBACK_TO: &str = "ROLLBACK TO tinhgon_write";

/// How a group's commit ended, sent to the members that waited for it.
type Outcome = std::result::Result<(), GroupFailure>;

/// Why a group was not committed, as its waiting members learn it.
#[derive(Debug, Clone)]
struct GroupFailure {
    message: String,
    storage_full: bool,
    unavailable: bool,
}

impl GroupFailure {
    fn of(e: &StoreError) -> GroupFailure {
        GroupFailure {
            message: e.to_string(),
            storage_full: e.is_storage_full(),
            unavailable: e.is_unavailable(),
        }
    }

    fn into_error(self) -> StoreError {
        StoreError::GroupCommit {
            message: self.message,
            storage_full: self.storage_full,
            unavailable: self.unavailable,
        }
    }
}

/// An open transaction shared by the writes committed together.
pub(crate) struct Group {
    tx: Transaction<'static, Sqlite>,
    /// Members whose bodies are done, waiting for the commit.
    parked: Vec<oneshot::Sender<Outcome>>,
    /// When the first member parked.
    parked_since: Option<Instant>,
    /// The audit chain's head after the members so far, once one of them appended to it
    /// (`crate::audit::append_all`), and whether it moved: it is stored once, before the commit.
    audit_head: Option<String>,
    head_moved: bool,
}

impl Group {
    async fn begin(pool: &SqlitePool) -> Result<Group> {
        Ok(Group {
            tx: pool.begin_with("BEGIN IMMEDIATE").await?,
            parked: Vec::new(),
            parked_since: None,
            audit_head: None,
            head_moved: false,
        })
    }

    /// Commits the group (with the audit head its members moved); every waiting member learns
    /// the outcome.
    async fn commit(mut self) -> Result<()> {
        if let (true, Some(head)) = (self.head_moved, &self.audit_head) {
            let stored = sqlx::query("UPDATE audit_head SET last_hash = $1 WHERE id = 1")
                .bind(head.as_str())
                .execute(&mut *self.tx)
                .await;
            if let Err(e) = stored {
                let e = StoreError::from(e);
                self.abandon(&e).await;
                return Err(e);
            }
        }
        let done = self.tx.commit().await.map_err(StoreError::from);
        let outcome = done.as_ref().map(|_| ()).map_err(GroupFailure::of);
        for member in self.parked {
            let _ = member.send(outcome.clone());
        }
        done
    }

    /// Rolls the whole group back; every waiting member gets `why`.
    async fn abandon(self, why: &StoreError) {
        // The error to report is `why`; a failed rollback only means the connection is
        // discarded, which also ends the transaction.
        let _ = self.tx.rollback().await;
        let failure = GroupFailure::of(why);
        for member in self.parked {
            let _ = member.send(Err(failure.clone()));
        }
    }
}

/// The writer of one database file: its mutex (holding the group between members) and the
/// number of writers queued for it.
pub(crate) struct Writer {
    slot: Arc<tokio::sync::Mutex<Option<Group>>>,
    queued: AtomicUsize,
    /// Transactions committed (each holding one write or a group of them).
    commits: AtomicU64,
    /// Whether a checkpoint runs, and when the last one started.
    checkpointing: AtomicBool,
    last_checkpoint: Mutex<Instant>,
}

/// A writer counted as queued until it holds the mutex (or gives up waiting).
struct Queued<'a>(&'a AtomicUsize);

impl<'a> Queued<'a> {
    fn new(n: &'a AtomicUsize) -> Queued<'a> {
        n.fetch_add(1, Ordering::AcqRel);
        Queued(n)
    }
}

impl Drop for Queued<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

/// A member's place in its group while its body runs, kept in the [`Tx`] the body writes
/// through: when the `Tx` is dropped before the body is settled (cancelled, panicked), its
/// `Drop` hands the group on (see the module doc).
pub(crate) struct Membership {
    parked: Vec<oneshot::Sender<Outcome>>,
    parked_since: Option<Instant>,
    audit_head: Option<String>,
    head_moved: bool,
    /// Whether the body runs inside the savepoint (it joined a group with earlier members).
    joined: bool,
    slot: OwnedMutexGuard<Option<Group>>,
    writer: Arc<Writer>,
}

impl Membership {
    /// The group again, with the transaction taken back from the body's `Tx`, and the
    /// mutex guard that holds it.
    fn into_group(
        self,
        tx: Transaction<'static, Sqlite>,
    ) -> (Group, OwnedMutexGuard<Option<Group>>, Arc<Writer>) {
        let group = Group {
            tx,
            parked: self.parked,
            parked_since: self.parked_since,
            audit_head: self.audit_head,
            head_moved: self.head_moved,
        };
        (group, self.slot, self.writer)
    }

    /// Called by `Tx`'s `Drop` when the body never settled: rolls the body back to its
    /// savepoint and commits the rest of the group on a task of its own; without a runtime
    /// (or for a group of one) dropping the transaction rolls everything back and the waiting
    /// members learn it from their dropped senders.
    pub(crate) fn orphaned(self, tx: Transaction<'static, Sqlite>) {
        if !self.joined {
            return;
        }
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            return;
        };
        runtime.spawn(async move {
            let (mut group, slot, writer) = self.into_group(tx);
            match sqlx::query(ROLLBACK_TO).execute(&mut *group.tx).await {
                Ok(_) => {
                    let _ = sqlx::query(RELEASE).execute(&mut *group.tx).await;
                    writer.commits.fetch_add(1, Ordering::Relaxed);
                    let _ = group.commit().await;
                }
                Err(e) => group.abandon(&e.into()).await,
            }
            drop(slot);
        });
    }
}

/// Runs `change` as one write (see the module doc); returns once it is committed.
pub(crate) async fn write<T, F>(pool: &SqlitePool, change: F) -> Result<T>
where
    F: AsyncFnOnce(&mut Tx) -> Result<T>,
{
    let writer = gate(pool);
    let asked = Instant::now();
    let mut slot = {
        let _queued = Queued::new(&writer.queued);
        writer.slot.clone().lock_owned().await
    };
    let mut group = match slot.take() {
        Some(g) => g,
        None => Group::begin(pool).await?,
    };
    let joined = !group.parked.is_empty();
    if joined {
        if let Err(e) = sqlx::query(SAVEPOINT).execute(&mut *group.tx).await {
            let e = StoreError::from(e);
            group.abandon(&e).await;
            return Err(e);
        }
    }
    let began = Instant::now();
    let head = group.audit_head.clone();
    let mut tx = Tx::grouped(
        group.tx,
        Membership {
            parked: group.parked,
            parked_since: group.parked_since,
            audit_head: group.audit_head,
            head_moved: group.head_moved,
            joined,
            slot,
            writer,
        },
        head,
    );
    let result = change(&mut tx).await;
    let changed = Instant::now();
    let Some((sqlite, member, head)) = tx.settle() else {
        return Err(StoreError::Corrupt("giao dịch ghi đã đóng".into()));
    };
    let (mut group, slot, writer) = member.into_group(sqlite);
    if result.is_ok() && head.is_some() && head != group.audit_head {
        // Kept only when the body stays: a body rolled back leaves the head where it was.
        group.audit_head = head;
        group.head_moved = true;
    }
    let settled = match &result {
        Ok(_) if joined => sqlx::query(RELEASE).execute(&mut *group.tx).await.map(drop),
        Ok(_) => Ok(()),
        Err(_) if joined => match sqlx::query(ROLLBACK_TO).execute(&mut *group.tx).await {
            Ok(_) => sqlx::query(RELEASE).execute(&mut *group.tx).await.map(drop),
            Err(e) => Err(e),
        },
        Err(e) => {
            // Alone in its group: roll back before the next writer may begin.
            group.abandon(e).await;
            return result;
        }
    };
    if let Err(e) = settled {
        let e = StoreError::from(e);
        group.abandon(&e).await;
        return Err(match result {
            Err(body) => body,
            Ok(_) => e,
        });
    }
    let committed = finish(&writer, group, slot).await;
    // In the same shape as sqlx's statement log, so one script sums both (see
    // BENCHMARKS.md, "Writes under load"): where a write's time goes around its statements —
    // waiting for the writer, inside the transaction, until its group committed.
    tracing::debug!(target: "tinhgon_store::write", summary = "(wait for the writer and BEGIN)", elapsed_secs = (began - asked).as_secs_f64());
    tracing::debug!(target: "tinhgon_store::write", summary = "(transaction body)", elapsed_secs = (changed - began).as_secs_f64());
    tracing::debug!(target: "tinhgon_store::write", summary = "(COMMIT)", elapsed_secs = changed.elapsed().as_secs_f64());
    committed?;
    checkpoint_soon(&writer, pool);
    result
}

/// Starts a passive checkpoint on a pooled connection unless one runs or one started less than
/// [`CHECKPOINT_EVERY`] ago (see the module doc).
fn checkpoint_soon(writer: &Arc<Writer>, pool: &SqlitePool) {
    {
        let mut last = writer
            .last_checkpoint
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if last.elapsed() < CHECKPOINT_EVERY || writer.checkpointing.swap(true, Ordering::AcqRel) {
            return;
        }
        *last = Instant::now();
    }
    let Ok(runtime) = tokio::runtime::Handle::try_current() else {
        writer.checkpointing.store(false, Ordering::Release);
        return;
    };
    let (writer, pool) = (writer.clone(), pool.clone());
    runtime.spawn(async move {
        // A checkpoint that cannot run now (the file busy, the disk full) is tried again after
        // the next commits; the connection's own limit remains.
        if let Err(e) = sqlx::query("PRAGMA wal_checkpoint(PASSIVE)")
            .execute(&pool)
            .await
        {
            tracing::warn!(loi = %e, "không ghi được nhật ký WAL vào tệp cơ sở dữ liệu");
        }
        writer.checkpointing.store(false, Ordering::Release);
    });
}

/// After a member's body: commits the group, or leaves it open for the writers queued and
/// waits for its commit.
async fn finish(
    writer: &Arc<Writer>,
    mut group: Group,
    mut slot: OwnedMutexGuard<Option<Group>>,
) -> Result<()> {
    let more = writer.queued.load(Ordering::Acquire) > 0
        && group.parked.len() + 1 < MAX_MEMBERS
        && group.parked_since.is_none_or(|t| t.elapsed() < MAX_AGE);
    if !more {
        writer.commits.fetch_add(1, Ordering::Relaxed);
        return group.commit().await;
    }
    let (sender, mut committed) = oneshot::channel();
    group.parked.push(sender);
    group.parked_since.get_or_insert_with(Instant::now);
    *slot = Some(group);
    drop(slot);
    let outcome = tokio::select! {
        biased;
        outcome = &mut committed => outcome,
        mut slot = writer.slot.clone().lock_owned() => {
            // No writer runs while this member holds the mutex: an open group here is its own
            // (or a later one, which may as well be committed now).
            if let Some(open) = slot.take() {
                writer.commits.fetch_add(1, Ordering::Relaxed);
                let _ = open.commit().await;
            }
            drop(slot);
            committed.await
        }
    };
    match outcome {
        Ok(Ok(())) => Ok(()),
        Ok(Err(failure)) => Err(failure.into_error()),
        Err(_) => Err(StoreError::GroupCommit {
            message: "giao dịch chung bị hủy".into(),
            storage_full: false,
            unavailable: true,
        }),
    }
}

/// How many transactions the writer of `pool`'s file has committed in this process (one per
/// write or per group of writes): what the write benchmark and the tests compare with the
/// number of writes.
pub(crate) fn commits(pool: &SqlitePool) -> u64 {
    gate(pool).commits.load(Ordering::Relaxed)
}

/// The writer of a SQLite database file. `Db::Sqlite` holds only the pool, and every clone
/// of it (and every `Db` opened on the same file in this process) must share one writer, so
/// the writers are kept here by file name.
fn gate(pool: &SqlitePool) -> Arc<Writer> {
    static GATES: OnceLock<Mutex<HashMap<std::path::PathBuf, Arc<Writer>>>> = OnceLock::new();
    let file = pool.connect_options().get_filename().to_path_buf();
    let mut gates = GATES
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    gates
        .entry(file)
        .or_insert_with(|| {
            Arc::new(Writer {
                slot: Arc::new(tokio::sync::Mutex::new(None)),
                queued: AtomicUsize::new(0),
                commits: AtomicU64::new(0),
                checkpointing: AtomicBool::new(false),
                last_checkpoint: Mutex::new(Instant::now()),
            })
        })
        .clone()
}
