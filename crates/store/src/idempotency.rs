//! Idempotent submission: a form or API call repeated because the first answer was slow records
//! its report once.
//!
//! The client names each submission with a key (the API's `Idempotency-Key` header, a hidden
//! field generated each time a form is rendered). The write claims the key at the start of its
//! own transaction, by inserting `(user, key)` into `submission_keys` whose primary key makes
//! it unique, and stores the id of what it created beside it before committing. So the record
//! and its key are stored together or not at all:
//! - a repeat after the first committed finds the key and answers with the first result;
//! - on PostgreSQL a repeat arriving while the first is still running waits on the primary key
//!   until the first commits (then answers with its result) or rolls back (then goes ahead);
//!   on SQLite the write transactions run one at a time, so the repeat simply comes second;
//! - a key sent again with another request (another assignment, another kind of write) is
//!   refused instead of being answered with an unrelated result.
//!
//! Keys are per user, so two users cannot collide or learn each other's results. A
//! same-text-within-a-window check was not chosen: two identical short notes ("Đang thực
//! hiện") on the same day can be two real reports, and only the client knows that it repeats.

use chrono::{DateTime, Utc};
use tinhgon_domain::model::Id;

use crate::error::{Result, StoreError};
use crate::tx::{query, Tx};

/// The longest key accepted (a UUID is 36 characters).
pub const MAX_KEY_LEN: usize = 128;

/// A submission key of one user, checked: 8 to [`MAX_KEY_LEN`] visible ASCII characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Submission {
    user: Id,
    key: String,
}

impl Submission {
    /// Checks `key` (surrounding spaces ignored) as the key of `user`'s submission.
    pub fn new(user: Id, key: &str) -> Result<Submission> {
        let key = key.trim();
        let fits =
            (8..=MAX_KEY_LEN).contains(&key.len()) && key.bytes().all(|b| b.is_ascii_graphic());
        if !fits {
            return Err(StoreError::Rejected(format!(
                "mã chống gửi trùng (Idempotency-Key) phải gồm 8 đến {MAX_KEY_LEN} ký tự ASCII nhìn thấy được"
            )));
        }
        Ok(Submission {
            user,
            key: key.to_string(),
        })
    }

    /// The user the key belongs to.
    pub fn user(&self) -> Id {
        self.user
    }

    /// The key as sent.
    pub fn key(&self) -> &str {
        &self.key
    }
}

/// What the scope of a write is: its action and the object it acts on.
pub(crate) fn scope(action: &str, object: Id) -> String {
    format!("{action}:{object}")
}

/// Claims `sub` for `scope` in the caller's transaction: `None` when there is no key or it is
/// new (the write goes ahead and calls [`settle`] before committing), `Some(id)` when an
/// earlier submission with this key already created `id` (the write stops and answers with it).
pub(crate) async fn claim(
    tx: &mut Tx,
    sub: Option<&Submission>,
    scope: &str,
    at: DateTime<Utc>,
) -> Result<Option<Id>> {
    let Some(sub) = sub else {
        return Ok(None);
    };
    let inserted = query(
        "INSERT INTO submission_keys (user_id, key, scope, created_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (user_id, key) DO NOTHING",
    )
    .bind(sub.user)
    .bind(sub.key.as_str())
    .bind(scope)
    .bind(at)
    .execute(&mut *tx)
    .await?;
    if inserted == 1 {
        return Ok(None);
    }
    let stored: Option<(String, Option<Id>)> =
        query("SELECT scope, result_id FROM submission_keys WHERE user_id = $1 AND key = $2")
            .bind(sub.user)
            .bind(sub.key.as_str())
            .fetch_optional(&mut *tx)
            .await?;
    let (first_scope, result) =
        stored.ok_or_else(|| StoreError::Corrupt("mã chống gửi trùng vừa lưu đã mất".into()))?;
    if first_scope != scope {
        return Err(StoreError::Conflict(
            "mã chống gửi trùng (Idempotency-Key) này đã được dùng cho một yêu cầu khác".into(),
        ));
    }
    result
        .map(Some)
        .ok_or_else(|| StoreError::Corrupt("mã chống gửi trùng không có kết quả".into()))
}

/// Records `result` as what the submission claimed with [`claim`] created.
pub(crate) async fn settle(tx: &mut Tx, sub: Option<&Submission>, result: Id) -> Result<()> {
    if let Some(sub) = sub {
        query("UPDATE submission_keys SET result_id = $1 WHERE user_id = $2 AND key = $3")
            .bind(result)
            .bind(sub.user)
            .bind(sub.key.as_str())
            .execute(&mut *tx)
            .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_checked() {
        assert!(Submission::new(1, "  0f3a9c1e-77aa-4b1d-9c0e-5b2f1a7d9e42 ").is_ok());
        assert_eq!(
            Submission::new(1, " abcdefgh ").ok().map(|s| s.key),
            Some("abcdefgh".into())
        );
        for bad in [
            "",
            "short",
            "có dấu tiếng Việt",
            "a b c d e f g h",
            &"x".repeat(129),
        ] {
            assert!(Submission::new(1, bad).is_err(), "{bad:?}");
        }
        assert_eq!(scope("assignment.progress", 42), "assignment.progress:42");
    }
}
