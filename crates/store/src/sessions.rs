//! Sessions and API tokens. Both are random 256-bit secrets given to the client once;
//! the database keeps only their SHA-256, so instances share sessions and a leaked table
//! does not leak sign-ins.

use chrono::{DateTime, Utc};
use tinhgon_domain::model::Id;

use crate::error::Result;
use crate::{with_pool, Db};

/// A live session.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SessionRow {
    /// Account.
    pub user_id: i64,
    /// Token every form of this session must carry.
    pub csrf_token: String,
    /// End of validity.
    pub expires_at: DateTime<Utc>,
    /// Last request seen.
    pub last_seen: DateTime<Utc>,
}

/// Stores a new session.
pub async fn create(
    db: &Db,
    token_hash: &str,
    user_id: Id,
    csrf: &str,
    now: DateTime<Utc>,
    expires: DateTime<Utc>,
) -> Result<()> {
    with_pool!(db, pool => {
        sqlx::query(
            "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at, last_seen) VALUES ($1, $2, $3, $4, $5, $4)",
        )
        .bind(token_hash)
        .bind(user_id)
        .bind(csrf)
        .bind(now)
        .bind(expires)
        .execute(pool)
        .await?;
    });
    Ok(())
}

/// The session with this token hash if it has not expired.
pub async fn find(db: &Db, token_hash: &str, now: DateTime<Utc>) -> Result<Option<SessionRow>> {
    let row: Option<SessionRow> = with_pool!(db, pool => {
        sqlx::query_as("SELECT user_id, csrf_token, expires_at, last_seen FROM sessions WHERE token_hash = $1")
            .bind(token_hash)
            .fetch_optional(pool)
            .await?
    });
    Ok(row.filter(|r| r.expires_at > now))
}

/// Records activity (callers do it at most once a minute to spare the database).
pub async fn touch(db: &Db, token_hash: &str, now: DateTime<Utc>) -> Result<()> {
    with_pool!(db, pool => {
        sqlx::query("UPDATE sessions SET last_seen = $2 WHERE token_hash = $1").bind(token_hash).bind(now).execute(pool).await?;
    });
    Ok(())
}

/// Ends a session.
pub async fn delete(db: &Db, token_hash: &str) -> Result<()> {
    with_pool!(db, pool => {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(token_hash).execute(pool).await?;
    });
    Ok(())
}

/// Ends every session of an account except `keep` (after a password change).
pub async fn delete_others(db: &Db, user_id: Id, keep: &str) -> Result<()> {
    with_pool!(db, pool => {
        sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2").bind(user_id).bind(keep).execute(pool).await?;
    });
    Ok(())
}

/// Removes expired sessions.
pub async fn purge_expired(db: &Db, now: DateTime<Utc>) -> Result<u64> {
    Ok(with_pool!(db, pool => {
        sqlx::query("DELETE FROM sessions WHERE expires_at <= $1").bind(now).execute(pool).await?.rows_affected()
    }))
}

/// Stores a new API token for an account.
pub async fn create_api_token(
    db: &Db,
    user_id: Id,
    name: &str,
    token_hash: &str,
    now: DateTime<Utc>,
) -> Result<Id> {
    Ok(with_pool!(db, pool => {
        sqlx::query_scalar("INSERT INTO api_tokens (user_id, name, token_hash, created_at) VALUES ($1, $2, $3, $4) RETURNING id")
            .bind(user_id)
            .bind(name)
            .bind(token_hash)
            .bind(now)
            .fetch_one(pool)
            .await?
    }))
}

/// The account an API token (by hash) belongs to, unless revoked.
pub async fn api_token_user(db: &Db, token_hash: &str) -> Result<Option<Id>> {
    Ok(with_pool!(db, pool => {
        sqlx::query_scalar("SELECT user_id FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL")
            .bind(token_hash)
            .fetch_optional(pool)
            .await?
    }))
}
