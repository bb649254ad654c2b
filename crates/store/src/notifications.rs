//! In-app notifications: one row per recipient account, so "read" is per person.

use chrono::{DateTime, Utc};
use tinhgon_domain::model::Id;

use crate::error::Result;
use crate::{in_tx, with_pool, Db};

/// A notification as listed.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct Notification {
    /// Identifier.
    pub id: i64,
    /// Kind (`urging`, `due_in_7`, `completion_confirmed` …).
    pub kind: String,
    /// Text (Vietnamese).
    pub text: String,
    /// Page it points to.
    pub link: Option<String>,
    /// Unit it was addressed to, if any.
    pub unit_id: Option<i64>,
    /// When.
    pub created_at: DateTime<Utc>,
    /// When read.
    pub read_at: Option<DateTime<Utc>>,
}

/// Sends one notification to each of `user_ids` in one transaction; returns how many.
pub async fn notify(
    db: &Db,
    user_ids: &[Id],
    unit_id: Option<Id>,
    kind: &str,
    text: &str,
    link: Option<&str>,
    now: DateTime<Utc>,
) -> Result<u64> {
    if user_ids.is_empty() {
        return Ok(0);
    }
    in_tx!(db, tx => {
        for uid in user_ids {
            sqlx::query("INSERT INTO notifications (user_id, unit_id, kind, text, link, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
                .bind(uid)
                .bind(unit_id)
                .bind(kind)
                .bind(text)
                .bind(link)
                .bind(now)
                .execute(&mut *tx)
                .await?;
        }
        Ok(user_ids.len() as u64)
    })
}

/// Sends a notification to every active account of a unit.
pub async fn notify_unit(
    db: &Db,
    unit_id: Id,
    kind: &str,
    text: &str,
    link: Option<&str>,
    now: DateTime<Utc>,
) -> Result<u64> {
    let users = crate::accounts::active_users_of_unit(db, unit_id).await?;
    notify(db, &users, Some(unit_id), kind, text, link, now).await
}

/// The latest notifications of an account, newest first.
pub async fn for_user(db: &Db, user_id: Id, limit: i64) -> Result<Vec<Notification>> {
    Ok(with_pool!(db, pool => {
        sqlx::query_as("SELECT id, kind, text, link, unit_id, created_at, read_at FROM notifications WHERE user_id = $1 ORDER BY id DESC LIMIT $2")
            .bind(user_id)
            .bind(limit)
            .fetch_all(pool)
            .await?
    }))
}

/// How many are unread.
pub async fn unread_count(db: &Db, user_id: Id) -> Result<i64> {
    Ok(with_pool!(db, pool => {
        sqlx::query_scalar("SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND read_at IS NULL").bind(user_id).fetch_one(pool).await?
    }))
}

/// Marks all of an account's notifications read.
pub async fn mark_all_read(db: &Db, user_id: Id, now: DateTime<Utc>) -> Result<u64> {
    Ok(with_pool!(db, pool => {
        sqlx::query("UPDATE notifications SET read_at = $2 WHERE user_id = $1 AND read_at IS NULL").bind(user_id).bind(now).execute(pool).await?.rows_affected()
    }))
}
