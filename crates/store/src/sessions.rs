//! Sessions and API tokens. Both are random 256-bit secrets given to the client once;
//! the database keeps only their SHA-256, so instances share sessions and a leaked table
//! does not leak sign-ins.

use chrono::{DateTime, Utc};
use tinhgon_domain::model::Id;
use tinhgon_domain::user::User;

use crate::error::Result;
use crate::tx::query;
use crate::Db;

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
    query(
        "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at, last_seen) VALUES ($1, $2, $3, $4, $5, $4)",
    )
    .bind(token_hash)
    .bind(user_id)
    .bind(csrf)
    .bind(now)
    .bind(expires)
    .execute(db)
    .await?;
    Ok(())
}

/// The session with this token hash if it has not expired.
pub async fn find(db: &Db, token_hash: &str, now: DateTime<Utc>) -> Result<Option<SessionRow>> {
    let row: Option<SessionRow> = query(
        "SELECT user_id, csrf_token, expires_at, last_seen FROM sessions WHERE token_hash = $1",
    )
    .bind(token_hash)
    .fetch_optional(db)
    .await?;
    Ok(row.filter(|r| r.expires_at > now))
}

/// Records activity (callers do it at most once a minute to spare the database).
pub async fn touch(db: &Db, token_hash: &str, now: DateTime<Utc>) -> Result<()> {
    query("UPDATE sessions SET last_seen = $2 WHERE token_hash = $1")
        .bind(token_hash)
        .bind(now)
        .execute(db)
        .await?;
    Ok(())
}

/// Ends a session.
pub async fn delete(db: &Db, token_hash: &str) -> Result<()> {
    query("DELETE FROM sessions WHERE token_hash = $1")
        .bind(token_hash)
        .execute(db)
        .await?;
    Ok(())
}

/// Ends a session with its audit row (the sign-out) in the same transaction.
pub async fn delete_audited(
    db: &Db,
    token_hash: &str,
    audit: &crate::audit::AuditEntry,
    now: DateTime<Utc>,
) -> Result<()> {
    crate::audit::audited(db, now, async |tx| {
        query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash)
            .execute(&mut *tx)
            .await?;
        Ok(((), vec![audit.clone()]))
    })
    .await
}

/// Ends every session of an account except `keep` (after a password change).
pub async fn delete_others(db: &Db, user_id: Id, keep: &str) -> Result<()> {
    query("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2")
        .bind(user_id)
        .bind(keep)
        .execute(db)
        .await?;
    Ok(())
}

/// Removes expired sessions.
pub async fn purge_expired(db: &Db, now: DateTime<Utc>) -> Result<u64> {
    query("DELETE FROM sessions WHERE expires_at <= $1")
        .bind(now)
        .execute(db)
        .await
}

/// Stores a new API token for an account.
pub async fn create_api_token(
    db: &Db,
    user_id: Id,
    name: &str,
    token_hash: &str,
    now: DateTime<Utc>,
) -> Result<Id> {
    // A write that returns a row: in a write transaction, so it queues behind the writer.
    db.write(async |tx| {
        query("INSERT INTO api_tokens (user_id, name, token_hash, created_at) VALUES ($1, $2, $3, $4) RETURNING id")
            .bind(user_id)
            .bind(name)
            .bind(token_hash)
            .bind(now)
            .scalar(&mut *tx)
            .await
    })
    .await
}

/// The account an API token (by hash) belongs to, unless revoked.
pub async fn api_token_user(db: &Db, token_hash: &str) -> Result<Option<Id>> {
    query("SELECT user_id FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL")
        .bind(token_hash)
        .scalar_optional(db)
        .await
}

/// Everything a request needs to know about who is asking, read in one statement: the session
/// (or API token), its account, the account's unit name and, for pages, the unread count.
#[derive(Debug, Clone)]
pub struct ViewerRow {
    /// The account (may be inactive: the caller decides).
    pub user: User,
    /// Its unit's name, for officers.
    pub unit_name: Option<String>,
    /// The session's CSRF token (empty for an API token).
    pub csrf_token: String,
    /// End of the session's validity (None for an API token).
    pub expires_at: Option<DateTime<Utc>>,
    /// Last request seen on the session.
    pub last_seen: Option<DateTime<Utc>>,
    /// Unread notifications (0 unless asked for).
    pub unread: i64,
}

#[derive(sqlx::FromRow)]
struct ViewerDbRow {
    csrf_token: String,
    expires_at: Option<DateTime<Utc>>,
    last_seen: Option<DateTime<Utc>>,
    #[sqlx(flatten)]
    user: crate::accounts::UserColumns,
    unit_name: Option<String>,
    unread: i64,
}

impl ViewerDbRow {
    fn into_viewer(self) -> Result<ViewerRow> {
        Ok(ViewerRow {
            user: self.user.into_user()?,
            unit_name: self.unit_name,
            csrf_token: self.csrf_token,
            expires_at: self.expires_at,
            last_seen: self.last_seen,
            unread: self.unread,
        })
    }
}

// The unread count is a CASE so the API (which shows no header) does not pay for it; both
// databases evaluate a CASE branch only when it is taken.
const VIEWER_USER_COLUMNS: &str = "u.id, u.login, u.display_name, u.role, u.unit_id, u.province_id, u.active, u.locked_until, \
     un.name AS unit_name, \
     CASE WHEN $2 THEN (SELECT COUNT(*) FROM notifications n WHERE n.user_id = u.id AND n.read_at IS NULL) ELSE 0 END AS unread";

/// The live session with this token hash with its account, or None when the session is unknown
/// or expired at `now`. `with_unread` adds the account's unread notification count.
pub async fn viewer_by_session(
    db: &Db,
    token_hash: &str,
    with_unread: bool,
    now: DateTime<Utc>,
) -> Result<Option<ViewerRow>> {
    let sql = format!(
        "SELECT s.csrf_token, s.expires_at, s.last_seen, {VIEWER_USER_COLUMNS} \
         FROM sessions s JOIN users u ON u.id = s.user_id LEFT JOIN units un ON un.id = u.unit_id \
         WHERE s.token_hash = $1"
    );
    let row: Option<ViewerDbRow> = query(&sql)
        .bind(token_hash)
        .bind(with_unread)
        .fetch_optional(db)
        .await?;
    // Expiry is compared here, on typed instants, as `find` does.
    row.filter(|r| r.expires_at.is_some_and(|e| e > now))
        .map(ViewerDbRow::into_viewer)
        .transpose()
}

/// The account of an API token (by hash) with its unit name, unless the token is revoked.
/// `with_unread` adds the account's unread notification count.
pub async fn viewer_by_api_token(
    db: &Db,
    token_hash: &str,
    with_unread: bool,
) -> Result<Option<ViewerRow>> {
    let sql = format!(
        "SELECT '' AS csrf_token, CAST(NULL AS TEXT) AS expires_at, CAST(NULL AS TEXT) AS last_seen, {VIEWER_USER_COLUMNS} \
         FROM api_tokens k JOIN users u ON u.id = k.user_id LEFT JOIN units un ON un.id = u.unit_id \
         WHERE k.token_hash = $1 AND k.revoked_at IS NULL"
    );
    let row: Option<ViewerDbRow> = query(&sql)
        .bind(token_hash)
        .bind(with_unread)
        .fetch_optional(db)
        .await?;
    row.map(ViewerDbRow::into_viewer).transpose()
}
