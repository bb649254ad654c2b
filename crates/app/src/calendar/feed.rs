//! The private iCalendar feed (địa chỉ lịch riêng): an address holding a random secret that a
//! calendar application (Outlook, Google Calendar, a phone) polls without signing in. The
//! secret is shown once and kept only as its SHA-256, as API tokens are; making a new address
//! or revoking it ends the old one. An unknown or revoked address is not found, whatever it is.

use chrono::{DateTime, Days, NaiveDate, Utc};
use rand::RngCore;
use sha2::{Digest, Sha256};
use tinhgon_domain::user::User;
use tinhgon_store::calendar_feeds;
use tinhgon_store::Db;

use super::ics::{self, Event};
use super::{deadlines, CalendarQuery};
use crate::audit;
use crate::error::{AppError, Result};

/// Most events one feed holds.
pub const FEED_MAX: usize = 5000;
/// How far back the feed reaches, in days: two years, so that work overdue since the plans of
/// the restructuring's first year stays in sight.
pub const FEED_PAST_DAYS: u64 = 2 * 366;
/// How far ahead the feed reaches, in days.
pub const FEED_FUTURE_DAYS: u64 = 2 * 366;

/// SHA-256 of a feed secret, hex-encoded (what the database keeps).
pub fn secret_hash(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// Makes a new feed address for `user` (ending the previous one) and returns its secret,
/// which only this answer ever shows.
pub async fn create(db: &Db, user: &User) -> Result<String> {
    if !user.active {
        return Err(AppError::Forbidden);
    }
    let mut b = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut b);
    let secret = hex::encode(b);
    let entry = audit::change(user, "calendar_feed.create", "user", user.id);
    calendar_feeds::create_audited(db, user.id, &secret_hash(&secret), Utc::now(), &entry).await?;
    Ok(secret)
}

/// Ends `user`'s feed address; false when there was none.
pub async fn revoke(db: &Db, user: &User) -> Result<bool> {
    let entry = audit::change(user, "calendar_feed.revoke", "user", user.id);
    let n = calendar_feeds::revoke_audited(db, user.id, Utc::now(), &entry).await?;
    Ok(n > 0)
}

/// When `user`'s live feed address was made, if there is one.
pub async fn live_since(db: &Db, user: &User) -> Result<Option<DateTime<Utc>>> {
    Ok(calendar_feeds::live_since(db, user.id).await?)
}

/// A secret as the address carries it: 64 lowercase hex digits, nothing else looked up.
fn well_formed(secret: &str) -> bool {
    secret.len() == 64
        && secret
            .bytes()
            .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// The iCalendar text of the feed whose secret is `secret`: the deadlines its owner sees from
/// two years back to two years ahead of `today`, classed on `today`. `link_base` is the
/// server's public address, put before the assignment's path in each description (the path
/// alone when it is not configured). Not found for an unknown, revoked or disabled one.
pub async fn ics_text(
    db: &Db,
    secret: &str,
    today: NaiveDate,
    now: DateTime<Utc>,
    link_base: Option<&str>,
) -> Result<String> {
    if !well_formed(secret) {
        return Err(AppError::NotFound);
    }
    let owner = calendar_feeds::owner(db, &secret_hash(secret))
        .await?
        .ok_or(AppError::NotFound)?;
    let user = tinhgon_store::accounts::user(db, owner)
        .await?
        .filter(|u| u.active)
        .ok_or(AppError::NotFound)?;
    let from = today
        .checked_sub_days(Days::new(FEED_PAST_DAYS))
        .unwrap_or(today);
    let to = today
        .checked_add_days(Days::new(FEED_FUTURE_DAYS))
        .unwrap_or(today);
    let (items, _) = deadlines(
        db,
        &user,
        user.province_id,
        &CalendarQuery::default(),
        from,
        to,
        today,
        FEED_MAX,
    )
    .await
    // A feed whose owner lost the right to a calendar (e.g. an officer moved out of every
    // unit) shows nothing rather than telling the poller why.
    .map_err(|_| AppError::NotFound)?;
    let base = link_base.unwrap_or("").trim_end_matches('/');
    let events: Vec<Event> = items
        .iter()
        .map(|d| {
            let reference = format!("{} {}", d.plan, d.task_ref).trim().to_string();
            let role = if d.coordinating {
                " (phối hợp)"
            } else {
                ""
            };
            Event {
                uid: format!("assignment-{}@tinhgon", d.assignment),
                day: d.due,
                summary: format!("Hạn nhiệm vụ {reference} – {}{role}", d.unit),
                description: format!(
                    "{}\n\nTình trạng: {}\nXem nhiệm vụ: {base}/assignments/{}",
                    d.content,
                    d.class.label_vi(),
                    d.assignment
                ),
            }
        })
        .collect();
    Ok(ics::calendar(
        &format!("Hạn nhiệm vụ – {}", user.display_name),
        &events,
        now,
    ))
}
