//! The e-mail outbox: one row per notification whose recipient has an address, queued in the
//! notification's own transaction and drained by background senders. A sender claims rows by
//! setting a lease (`claimed_until`), so several instances never send one message twice at
//! once; a failed attempt keeps the row for a later try, so an SMTP server that is down loses
//! nothing.

use chrono::{DateTime, Duration, Utc};
use tinhgon_domain::model::Id;

use crate::error::{Result, StoreError};
use crate::tx::query;
use crate::Db;

/// A claimed e-mail, with what the sender needs to write it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct PendingMail {
    /// Outbox row.
    pub id: i64,
    /// The notification it carries.
    pub notification_id: i64,
    /// Recipient address (as stored on the account now).
    pub email: Option<String>,
    /// Recipient's name.
    pub display_name: String,
    /// Notification kind.
    pub kind: String,
    /// Notification text.
    pub text: String,
    /// Page it points to.
    pub link: Option<String>,
    /// Attempts so far, this one included.
    pub attempts: i32,
}

/// Rows ready to send: not sent, not given up, and no live lease.
const READY: &str =
    "sent_at IS NULL AND failed_at IS NULL AND (claimed_until IS NULL OR claimed_until < $2)";

/// Claims up to `limit` ready e-mails for `lease` (the sender must finish or report within
/// it, else another sender takes them over), oldest first.
pub async fn claim(
    db: &Db,
    now: DateTime<Utc>,
    lease: Duration,
    limit: i64,
) -> Result<Vec<PendingMail>> {
    let until = now + lease;
    // PostgreSQL: concurrent claimers skip each other's rows; the repeated condition makes a
    // claimer that waited on a lock re-check. SQLite: writers are serialised already.
    let claim_sql = match db {
        Db::Postgres(_) => format!(
            "UPDATE mail_outbox SET claimed_until = $1, attempts = attempts + 1 \
             WHERE id IN (SELECT id FROM mail_outbox WHERE {READY} ORDER BY id LIMIT $3 FOR UPDATE SKIP LOCKED) \
             AND {READY} RETURNING id"
        ),
        Db::Sqlite(_) => format!(
            "UPDATE mail_outbox SET claimed_until = $1, attempts = attempts + 1 \
             WHERE id IN (SELECT id FROM mail_outbox WHERE {READY} ORDER BY id LIMIT $3) RETURNING id"
        ),
    };
    let detail_sql = "SELECT o.id, o.notification_id, u.email, u.display_name, n.kind, n.text, n.link, o.attempts \
                      FROM mail_outbox o JOIN notifications n ON n.id = o.notification_id \
                      JOIN users u ON u.id = n.user_id WHERE o.id = $1";
    db.write(async |tx| {
        let ids: Vec<i64> = query(&claim_sql)
            .bind(until)
            .bind(now)
            .bind(limit)
            .scalars(&mut *tx)
            .await?;
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            let row: PendingMail = query(detail_sql).bind(id).fetch_one(&mut *tx).await?;
            out.push(row);
        }
        out.sort_by_key(|m| m.id);
        Ok(out)
    })
    .await
}

/// Records that an e-mail went out.
pub async fn mark_sent(db: &Db, id: Id, now: DateTime<Utc>) -> Result<()> {
    query("UPDATE mail_outbox SET sent_at = $2, claimed_until = NULL, last_error = NULL WHERE id = $1")
        .bind(id)
        .bind(now)
        .execute(db)
        .await?;
    Ok(())
}

/// Records a failed attempt: tried again from `retry_at`, or given up when None.
pub async fn mark_failed(
    db: &Db,
    id: Id,
    error: &str,
    now: DateTime<Utc>,
    retry_at: Option<DateTime<Utc>>,
) -> Result<()> {
    match retry_at {
        Some(at) => query("UPDATE mail_outbox SET claimed_until = $2, last_error = $3 WHERE id = $1")
            .bind(id).bind(at).bind(error).execute(db).await?,
        None => query("UPDATE mail_outbox SET claimed_until = NULL, failed_at = $2, last_error = $3 WHERE id = $1")
            .bind(id).bind(now).bind(error).execute(db).await?,
    };
    Ok(())
}

/// Gives up e-mails queued before `cutoff` and still unsent (news of a reminder that old is
/// no longer worth a message, e.g. after SMTP was off for days). Returns how many.
pub async fn expire(db: &Db, cutoff: DateTime<Utc>, now: DateTime<Utc>) -> Result<u64> {
    let sql = format!(
        "UPDATE mail_outbox SET failed_at = $2, last_error = 'quá thời hạn gửi' WHERE created_at < $1 AND {READY}"
    );
    query(&sql).bind(cutoff).bind(now).execute(db).await
}

/// How many e-mails wait to be sent (unsent and not given up).
pub async fn pending_count(db: &Db) -> Result<i64> {
    query("SELECT COUNT(*) FROM mail_outbox WHERE sent_at IS NULL AND failed_at IS NULL")
        .scalar(db)
        .await
}

/// Checks an e-mail address enough to catch typing slips; the SMTP server has the last word.
pub fn check_email(text: &str) -> Result<Option<String>> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    let ok = t.len() <= 254
        && !t
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || "<>,;\"".contains(c))
        && t.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty()
                && domain.contains('.')
                && !domain.contains('@')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
        });
    if ok {
        Ok(Some(t.to_string()))
    } else {
        Err(StoreError::Rejected(format!(
            "địa chỉ thư điện tử không hợp lệ: {t}"
        )))
    }
}

/// Sets (or clears, with an empty text) an account's e-mail address.
pub async fn set_email(db: &Db, user_id: Id, email: &str) -> Result<()> {
    let email = check_email(email)?;
    let n = query("UPDATE users SET email = $2 WHERE id = $1")
        .bind(user_id)
        .bind(email)
        .execute(db)
        .await?;
    if n == 0 {
        return Err(StoreError::NotFound {
            what: "tài khoản",
            id: user_id,
        });
    }
    Ok(())
}

/// An account's e-mail address, if set.
pub async fn email_of(db: &Db, user_id: Id) -> Result<Option<String>> {
    let row: Option<Option<String>> = query("SELECT email FROM users WHERE id = $1")
        .bind(user_id)
        .scalar_optional(db)
        .await?;
    Ok(row.flatten())
}

#[cfg(test)]
mod tests {
    use super::check_email;

    #[test]
    fn email_check_catches_slips() {
        assert_eq!(check_email("  ").unwrap(), None);
        assert_eq!(
            check_email(" vanthu@sonoivu.nghean.gov.vn ")
                .unwrap()
                .as_deref(),
            Some("vanthu@sonoivu.nghean.gov.vn")
        );
        for bad in [
            "vanthu",
            "@nghean.gov.vn",
            "a@b",
            "a b@c.vn",
            "a@b.vn,c@d.vn",
            "a@.vn",
            "a@@b.vn",
        ] {
            assert!(check_email(bad).is_err(), "{bad}");
        }
    }
}
