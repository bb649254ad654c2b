//! The audit trail: append-only and hash-chained. Each row stores
//! `sha256(prev_hash || canonical JSON of who/when/action/object/before/after)`, so editing,
//! deleting or re-ordering any row breaks the chain and `verify` names the first broken row.

use chrono::{DateTime, Utc};
use serde_json::Value;
use sha2::{Digest, Sha256};
use tinhgon_domain::model::Id;

use crate::error::{Result, StoreError};
use crate::tx::{query, Tx};
use crate::{Backend, Db};

/// The hash before the first row.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One change to record.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditEntry {
    /// Who (None: the system, e.g. the demo loader or a job).
    pub actor_id: Option<Id>,
    /// Their login, kept so the row reads well after the account is gone.
    pub actor_login: Option<String>,
    /// What was done ("plan.publish", "assignment.confirm" …).
    pub action: String,
    /// Kind of object ("plan", "assignment", "user" …).
    pub object_kind: String,
    /// Its identifier.
    pub object_id: Option<Id>,
    /// State before (JSON), if meaningful.
    pub before: Option<Value>,
    /// State after (JSON), if meaningful.
    pub after: Option<Value>,
    /// In-app notifications the change sends. Not part of the row (nor of its hash): the
    /// audited write inserts them in its transaction just before the row (see
    /// [`append_all`]), so a change never commits without its notices nor the other way round.
    pub notices: Vec<crate::notifications::Notice>,
}

/// The actor name of system writes (jobs, command-line loads): no account did them.
pub const SYSTEM_ACTOR: &str = "hệ thống";

impl AuditEntry {
    /// An entry for a write the system makes on its own (the daily job, a command-line
    /// import): no account, actor name [`SYSTEM_ACTOR`], `after` describing what was written.
    pub fn system(
        action: &str,
        object_kind: &str,
        object_id: Option<Id>,
        after: Value,
    ) -> AuditEntry {
        AuditEntry {
            actor_id: None,
            actor_login: Some(SYSTEM_ACTOR.into()),
            action: action.into(),
            object_kind: object_kind.into(),
            object_id,
            before: None,
            after: Some(after),
            notices: Vec::new(),
        }
    }

    /// The entry with `key` set to `value` in `after`: for what only the writing transaction
    /// knows (the id of the row it creates, the status it moved to).
    pub fn with_after(&self, key: &str, value: impl Into<Value>) -> AuditEntry {
        let mut e = self.clone();
        e.after = Some(set_key(e.after.take(), key, value.into()));
        e
    }

    /// The entry with `notice` added to what the change sends (written with the row).
    pub fn with_notice(mut self, notice: crate::notifications::Notice) -> AuditEntry {
        self.notices.push(notice);
        self
    }

    /// The entry without its notices: for a second row of the same transaction whose
    /// notices the first row already sent.
    pub fn without_notices(&self) -> AuditEntry {
        AuditEntry {
            notices: Vec::new(),
            ..self.clone()
        }
    }

    /// The entry with `key` set to `value` in `before` (the state the transaction read).
    pub fn with_before(&self, key: &str, value: impl Into<Value>) -> AuditEntry {
        let mut e = self.clone();
        e.before = Some(set_key(e.before.take(), key, value.into()));
        e
    }
}

/// `state` as a JSON object with `key` set; a non-object state is kept under `value`.
fn set_key(state: Option<Value>, key: &str, value: Value) -> Value {
    let mut map = match state {
        None | Some(Value::Null) => serde_json::Map::new(),
        Some(Value::Object(map)) => map,
        Some(other) => {
            let mut map = serde_json::Map::new();
            map.insert("value".into(), other);
            map
        }
    };
    map.insert(key.into(), value);
    Value::Object(map)
}

/// A stored row.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct AuditRow {
    /// Sequence number.
    pub id: i64,
    /// RFC 3339 UTC time, exactly as hashed.
    pub at: String,
    /// Who.
    pub actor_id: Option<i64>,
    /// Their login.
    pub actor_login: Option<String>,
    /// What.
    pub action: String,
    /// Kind of object.
    pub object_kind: String,
    /// Object.
    pub object_id: Option<i64>,
    /// Before (JSON text).
    pub before_json: Option<String>,
    /// After (JSON text).
    pub after_json: Option<String>,
    /// Previous row's hash.
    pub prev_hash: String,
    /// This row's hash.
    pub hash: String,
}

/// Serialises JSON with object keys sorted at every level and no spaces: one text per value.
pub fn canonical_json(v: &Value) -> String {
    fn write(v: &Value, out: &mut String) {
        match v {
            Value::Object(map) => {
                let mut keys: Vec<&String> = map.keys().collect();
                keys.sort();
                out.push('{');
                for (i, k) in keys.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    out.push_str(&Value::String((*k).clone()).to_string());
                    out.push(':');
                    write(&map[*k], out);
                }
                out.push('}');
            }
            Value::Array(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    write(item, out);
                }
                out.push(']');
            }
            other => out.push_str(&other.to_string()),
        }
    }
    let mut out = String::new();
    write(v, &mut out);
    out
}

fn parse_opt(text: &Option<String>) -> Value {
    text.as_deref()
        .and_then(|t| serde_json::from_str(t).ok())
        .unwrap_or(Value::Null)
}

/// The hash of a row given the previous hash.
// Every field of the row goes into the hash; a struct would only rename the same nine values.
#[allow(clippy::too_many_arguments)]
pub(crate) fn row_hash(
    prev: &str,
    at: &str,
    actor_id: Option<i64>,
    actor_login: Option<&str>,
    action: &str,
    kind: &str,
    object_id: Option<i64>,
    before: &Value,
    after: &Value,
) -> String {
    let body = serde_json::json!({
        "at": at,
        "actor_id": actor_id,
        "actor_login": actor_login,
        "action": action,
        "object_kind": kind,
        "object_id": object_id,
        "before": before,
        "after": after,
    });
    let mut h = Sha256::new();
    h.update(prev.as_bytes());
    h.update(canonical_json(&body).as_bytes());
    hex::encode(h.finalize())
}

/// The one path of every audited write: opens a write transaction ([`Db::write`]), runs
/// `change` in it, which answers its result and the audit entries of what it did (filled in
/// with what only the transaction knew: the ids it created, the statuses it saw and set),
/// then appends the entries' notices and rows ([`append_all`]) and commits. The change, its
/// notices and its audit rows commit together or not at all; a failing change rolls back
/// before the next writer begins. A change with no entries (a system write whose caller
/// records no row) commits the same way.
pub async fn audited<T, F>(db: &Db, at: DateTime<Utc>, change: F) -> Result<T>
where
    F: AsyncFnOnce(&mut Tx) -> Result<(T, Vec<AuditEntry>)>,
{
    db.write(async |tx| {
        let (out, entries) = change(tx).await?;
        append_all(tx, &entries, at).await?;
        Ok(out)
    })
    .await
}

/// Appends `entries` to the chain inside the open transaction `tx`, stamped `now`, in order;
/// returns the new rows' ids. Called as the transaction's last statements (by [`audited`]),
/// it records the change and its rows atomically and holds the chain's head for as short as
/// it can.
///
/// The entries' notices are inserted first, before the head is taken: they only lock rows of
/// their own tables, never while holding the chain's head.
///
/// Why the chain cannot fork, and how short its serialisation point is: the first chain
/// statement updates the single `audit_head` row and returns the previous hash in the same
/// round trip. On PostgreSQL (READ COMMITTED, the pool's default) a second writer blocks on
/// that row lock until the first commits or rolls back, then its `UPDATE` re-reads the
/// committed head; the row ids (a sequence taken at the INSERT) are drawn under the lock too,
/// so id order is chain order. The last row's INSERT moves the head in the same statement, so
/// the lock is held for one round trip per row plus one, and the commit. On SQLite the whole
/// transaction already holds the one write lock (see `crate::tx`). Being last also means no
/// other row lock is taken while holding the head, so two audited writes cannot deadlock.
pub async fn append_all(
    tx: &mut Tx,
    entries: &[AuditEntry],
    now: DateTime<Utc>,
) -> Result<Vec<Id>> {
    if entries.is_empty() {
        return Ok(Vec::new());
    }
    for entry in entries {
        crate::notifications::insert_notices(tx, &entry.notices, now).await?;
    }
    let at = now.to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
    // On SQLite the transaction holds the one write lock, so the head it read (or moved) earlier
    // in its group is still the head; it is stored once, before the group's commit.
    let known = tx.sqlite_audit_head().and_then(|h| h.clone());
    let mut prev: String = match known {
        Some(head) => head,
        None => {
            query("UPDATE audit_head SET last_hash = last_hash WHERE id = 1 RETURNING last_hash")
                .scalar(&mut *tx)
                .await?
        }
    };
    let mut ids = Vec::with_capacity(entries.len());
    let postgres = tx.backend() == Backend::Postgres;
    for (i, entry) in entries.iter().enumerate() {
        let last = i + 1 == entries.len();
        let hash = row_hash(
            &prev,
            &at,
            entry.actor_id,
            entry.actor_login.as_deref(),
            &entry.action,
            &entry.object_kind,
            entry.object_id,
            entry.before.as_ref().unwrap_or(&Value::Null),
            entry.after.as_ref().unwrap_or(&Value::Null),
        );
        // PostgreSQL moves the head in the last row's statement (a data-modifying CTE);
        // SQLite has none, and its extra statement costs no round trip.
        let sql = if last && postgres {
            INSERT_MOVING_HEAD
        } else {
            INSERT_ROW
        };
        let id: Id = query(sql)
            .bind(at.as_str())
            .bind(entry.actor_id)
            .bind(entry.actor_login.as_deref())
            .bind(entry.action.as_str())
            .bind(entry.object_kind.as_str())
            .bind(entry.object_id)
            .bind(entry.before.as_ref().map(canonical_json))
            .bind(entry.after.as_ref().map(canonical_json))
            .bind(prev.as_str())
            .bind(hash.as_str())
            .scalar(&mut *tx)
            .await?;
        ids.push(id);
        prev = hash;
    }
    if let Some(head) = tx.sqlite_audit_head() {
        *head = Some(prev);
    } else if !postgres {
        query("UPDATE audit_head SET last_hash = $1 WHERE id = 1")
            .bind(prev)
            .execute(&mut *tx)
            .await?;
    }
    Ok(ids)
}

const INSERT_ROW: &str = "INSERT INTO audit_log (at, actor_id, actor_login, action, object_kind, object_id, before_json, after_json, prev_hash, hash) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id";

const INSERT_MOVING_HEAD: &str = "WITH head AS (UPDATE audit_head SET last_hash = $10 WHERE id = 1) \
     INSERT INTO audit_log (at, actor_id, actor_login, action, object_kind, object_id, before_json, after_json, prev_hash, hash) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id";

/// Appends one row to the chain in a transaction of its own (serialised through
/// `audit_head`, so several instances can write).
pub async fn append(db: &Db, entry: &AuditEntry, now: DateTime<Utc>) -> Result<Id> {
    let entries = std::slice::from_ref(entry);
    let ids = db
        .write(async |tx| append_all(tx, entries, now).await)
        .await?;
    ids.first()
        .copied()
        .ok_or_else(|| StoreError::Corrupt("nhật ký không ghi được dòng".into()))
}

const COLUMNS: &str = "id, at, actor_id, actor_login, action, object_kind, object_id, before_json, after_json, prev_hash, hash";

/// The rows about one object, oldest first.
pub async fn for_object(db: &Db, kind: &str, id: Id) -> Result<Vec<AuditRow>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM audit_log WHERE object_kind = $1 AND object_id = $2 ORDER BY id"
    );
    query(&sql).bind(kind).bind(id).fetch_all(db).await
}

/// The most recent rows.
pub async fn recent(db: &Db, limit: i64) -> Result<Vec<AuditRow>> {
    let sql = format!("SELECT {COLUMNS} FROM audit_log ORDER BY id DESC LIMIT $1");
    query(&sql).bind(limit).fetch_all(db).await
}

/// Outcome of a chain check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verification {
    /// Rows checked.
    pub rows: u64,
    /// First row whose hash or link does not match, with the reason (Vietnamese).
    pub broken: Option<(i64, String)>,
}

/// Recomputes the whole chain, page by page.
pub async fn verify(db: &Db) -> Result<Verification> {
    let sql = format!("SELECT {COLUMNS} FROM audit_log WHERE id > $1 ORDER BY id LIMIT 1000");
    let mut prev = GENESIS.to_string();
    let mut after_id = 0i64;
    let mut rows = 0u64;
    loop {
        let page: Vec<AuditRow> = query(&sql).bind(after_id).fetch_all(db).await?;
        if page.is_empty() {
            break;
        }
        for r in &page {
            rows += 1;
            if r.prev_hash != prev {
                return Ok(Verification {
                    rows,
                    broken: Some((
                        r.id,
                        "liên kết với dòng trước bị đứt (dòng bị xóa hoặc chèn)".into(),
                    )),
                });
            }
            let h = row_hash(
                &prev,
                &r.at,
                r.actor_id,
                r.actor_login.as_deref(),
                &r.action,
                &r.object_kind,
                r.object_id,
                &parse_opt(&r.before_json),
                &parse_opt(&r.after_json),
            );
            if h != r.hash {
                return Ok(Verification {
                    rows,
                    broken: Some((r.id, "nội dung dòng đã bị sửa".into())),
                });
            }
            prev = r.hash.clone();
            after_id = r.id;
        }
    }
    let head: String = query("SELECT last_hash FROM audit_head WHERE id = 1")
        .scalar(db)
        .await?;
    if head != prev {
        return Ok(Verification {
            rows,
            broken: Some((after_id + 1, "các dòng cuối của nhật ký đã bị xóa".into())),
        });
    }
    Ok(Verification { rows, broken: None })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_json_sorts_keys_at_every_level() {
        let v = serde_json::json!({"b": 1, "a": {"z": [1, {"y": 2, "x": "Sở"}], "c": null}});
        assert_eq!(
            canonical_json(&v),
            r#"{"a":{"c":null,"z":[1,{"x":"Sở","y":2}]},"b":1}"#
        );
    }
}

/// What a change log is about: the province it belongs to (None: installation-wide) and how
/// people name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditSubject {
    /// Province of the object.
    pub province_id: Option<Id>,
    /// Its name as pages write it ("Kế hoạch số 615/KH-UBND").
    pub title: String,
}

/// The subject of object `kind` `id`, or None when there is no such object.
pub async fn subject(db: &Db, kind: &str, id: Id) -> Result<Option<AuditSubject>> {
    type Row = (Option<i64>, Option<String>, Option<String>, Option<String>);
    let sql = match kind {
        "plan" => "SELECT province_id, number, title, NULL FROM plans WHERE id = $1",
        "assignment" => {
            "SELECT p.province_id, p.number, t.ref, u.name FROM assignments a JOIN tasks t ON t.id = a.task_id \
             JOIN plans p ON p.id = a.plan_id JOIN units u ON u.id = a.unit_id WHERE a.id = $1"
        }
        "task" => {
            "SELECT p.province_id, p.number, t.ref, NULL FROM tasks t JOIN plans p ON p.id = t.plan_id WHERE t.id = $1"
        }
        "unit" => "SELECT COALESCE(province_id, id), name, NULL, NULL FROM units WHERE id = $1",
        "user" => "SELECT province_id, display_name, login, NULL FROM users WHERE id = $1",
        "api_token" => {
            "SELECT u.province_id, k.name, u.display_name, NULL FROM api_tokens k JOIN users u ON u.id = k.user_id WHERE k.id = $1"
        }
        _ => return Ok(None),
    };
    let row: Option<Row> = query(sql).bind(id).fetch_optional(db).await?;
    Ok(row.map(|(province_id, a, b, c)| {
        let a = a.unwrap_or_default();
        let b = b.unwrap_or_default();
        let title = match kind {
            "plan" if a.is_empty() => format!("Kế hoạch «{b}» (bản nháp chưa có số)"),
            "plan" => format!("Kế hoạch số {a}"),
            "assignment" => format!(
                "Nhiệm vụ {b} của kế hoạch số {a} — {}",
                c.unwrap_or_default()
            ),
            "task" => format!("Nhiệm vụ {b} của kế hoạch số {a}"),
            "unit" => a,
            "user" => format!("Tài khoản {a} ({b})"),
            _ => format!("Mã truy cập «{a}» của {b}"),
        };
        AuditSubject { province_id, title }
    }))
}
