//! Private iCalendar feed addresses (lịch công tác riêng): one live address per account, its
//! secret kept only as a hash, as API tokens are.

use chrono::{DateTime, Utc};
use tinhgon_domain::model::Id;

use crate::audit::{audited, AuditEntry};
use crate::error::Result;
use crate::tx::query;
use crate::Db;

/// Replaces `user_id`'s live feed address by a new one whose secret hashes to `token_hash`,
/// with its audit row in the same transaction (the old address stops working at once).
/// Returns the new feed's id.
pub async fn create_audited(
    db: &Db,
    user_id: Id,
    token_hash: &str,
    now: DateTime<Utc>,
    audit: &AuditEntry,
) -> Result<Id> {
    audited(db, now, async |tx| {
        let revoked = query(
            "UPDATE calendar_feeds SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL",
        )
        .bind(user_id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        let id: Id = query(
            "INSERT INTO calendar_feeds (user_id, token_hash, created_at) VALUES ($1, $2, $3) RETURNING id",
        )
        .bind(user_id)
        .bind(token_hash)
        .bind(now)
        .scalar(&mut *tx)
        .await?;
        let entry = audit
            .with_after("feed", id)
            .with_before("live_feeds", revoked as i64);
        Ok((id, vec![entry]))
    })
    .await
}

/// Revokes `user_id`'s live feed address, with its audit row; returns how many were live
/// (0: nothing to revoke, and no row is written).
pub async fn revoke_audited(
    db: &Db,
    user_id: Id,
    now: DateTime<Utc>,
    audit: &AuditEntry,
) -> Result<u64> {
    audited(db, now, async |tx| {
        let n = query(
            "UPDATE calendar_feeds SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL",
        )
        .bind(user_id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        let entries = if n > 0 {
            vec![audit.with_before("live_feeds", n as i64)]
        } else {
            Vec::new()
        };
        Ok((n, entries))
    })
    .await
}

/// The account whose live feed address has this secret hash.
pub async fn owner(db: &Db, token_hash: &str) -> Result<Option<Id>> {
    query("SELECT user_id FROM calendar_feeds WHERE token_hash = $1 AND revoked_at IS NULL")
        .bind(token_hash)
        .scalar_optional(db)
        .await
}

/// When `user_id`'s live feed address was made, if it has one.
pub async fn live_since(db: &Db, user_id: Id) -> Result<Option<DateTime<Utc>>> {
    query(
        "SELECT created_at FROM calendar_feeds WHERE user_id = $1 AND revoked_at IS NULL \
         ORDER BY id DESC LIMIT 1",
    )
    .bind(user_id)
    .scalar_optional(db)
    .await
}
