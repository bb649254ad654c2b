//! In-app notifications: one row per recipient account, so "read" is per person.

use chrono::{DateTime, Utc};
use tinhgon_domain::model::Id;

use crate::error::Result;
use crate::tx::{query, Tx};
use crate::Db;

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

/// Inserts one notification per account of `user_ids` inside the open transaction `tx`, and
/// queues an e-mail for each recipient that has an address (the same transaction, so a
/// notification never exists without its e-mail or the other way round). Returns how many.
pub(crate) async fn insert_notifications(
    tx: &mut Tx,
    user_ids: &[Id],
    unit_id: Option<Id>,
    kind: &str,
    text: &str,
    link: Option<&str>,
    now: DateTime<Utc>,
) -> Result<u64> {
    for &uid in user_ids {
        let nid: Id = query(
            "INSERT INTO notifications (user_id, unit_id, kind, text, link, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(uid)
        .bind(unit_id)
        .bind(kind)
        .bind(text)
        .bind(link)
        .bind(now)
        .scalar(&mut *tx)
        .await?;
        query(
            "INSERT INTO mail_outbox (notification_id, created_at) \
             SELECT $1, $2 FROM users WHERE id = $3 AND email IS NOT NULL AND email <> ''",
        )
        .bind(nid)
        .bind(now)
        .bind(uid)
        .execute(&mut *tx)
        .await?;
    }
    Ok(user_ids.len() as u64)
}

/// Who a [`Notice`] goes to; the accounts are read inside the writing transaction, so the
/// notice reaches whoever is active when the change commits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// Every active account of a unit (the notification keeps the unit).
    Unit(Id),
    /// The active monitors who may monitor the plan: those of its province, and those not tied
    /// to a province (the same coverage as `can_monitor`). A plan without a province reaches
    /// every monitor.
    PlanMonitors(Id),
    /// The active leaders of a province (and those not tied to one): who is told when a unit
    /// does not answer its urgings.
    ProvinceLeaders(Id),
}

/// An in-app notification that a change sends (with its e-mails), written in the change's own
/// transaction: attached to the change's `AuditEntry` with `with_notice`, it is inserted
/// just before the audit row, so the change, its notices and its row commit or fail together.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    /// Recipients.
    pub audience: Audience,
    /// Kind (`assignment`, `decision`, `report_request` …).
    pub kind: String,
    /// Text (Vietnamese).
    pub text: String,
    /// Page it points to.
    pub link: Option<String>,
    /// An account of the audience not to tell (the one whose act the notice reports).
    pub except: Option<Id>,
}

impl Notice {
    /// A notice to `audience` pointing to `link`.
    pub fn new(
        audience: Audience,
        kind: &str,
        text: impl Into<String>,
        link: impl Into<String>,
    ) -> Notice {
        Notice {
            audience,
            kind: kind.into(),
            text: text.into(),
            link: Some(link.into()),
            except: None,
        }
    }

    /// The notice without account `user` among its recipients.
    pub fn except(mut self, user: Id) -> Notice {
        self.except = Some(user);
        self
    }
}

/// Active accounts of a unit, `$1` the unit.
pub(crate) const UNIT_ACCOUNTS: &str =
    "SELECT id FROM users WHERE unit_id = $1 AND active = TRUE ORDER BY id";

/// Active monitors covering a plan's province, `$1` the plan (see [`Audience::PlanMonitors`]).
pub(crate) const PLAN_MONITORS: &str = "SELECT u.id FROM users u WHERE u.role = 'monitor' AND u.active = TRUE \
     AND (u.province_id IS NULL OR NOT EXISTS (SELECT 1 FROM plans p WHERE p.id = $1 AND p.province_id IS NOT NULL) \
          OR u.province_id = (SELECT p.province_id FROM plans p WHERE p.id = $1)) ORDER BY u.id";

/// Active leaders of a province, `$1` the province (see [`Audience::ProvinceLeaders`]).
pub(crate) const PROVINCE_LEADERS: &str =
    "SELECT u.id FROM users u WHERE u.role = 'leader' AND u.active = TRUE \
     AND (u.province_id = $1 OR u.province_id IS NULL) ORDER BY u.id";

/// Inserts each of `notices` inside the open transaction `tx`, recipients read in it,
/// e-mails queued as [`insert_notifications`] does. Returns how many notifications.
pub(crate) async fn insert_notices(
    tx: &mut Tx,
    notices: &[Notice],
    now: DateTime<Utc>,
) -> Result<u64> {
    let mut inserted = 0u64;
    // An account reached through two audiences (a monitor's unit that leads the work) is told
    // once of the same thing.
    let mut told: std::collections::HashSet<(Id, &str, Option<&str>)> =
        std::collections::HashSet::new();
    for notice in notices {
        let (sql, target, unit) = match notice.audience {
            Audience::Unit(u) => (UNIT_ACCOUNTS, u, Some(u)),
            Audience::PlanMonitors(p) => (PLAN_MONITORS, p, None),
            Audience::ProvinceLeaders(p) => (PROVINCE_LEADERS, p, None),
        };
        let mut users: Vec<Id> = query(sql).bind(target).scalars(&mut *tx).await?;
        users.retain(|u| {
            Some(*u) != notice.except
                && told.insert((*u, notice.text.as_str(), notice.link.as_deref()))
        });
        inserted += insert_notifications(
            tx,
            &users,
            unit,
            &notice.kind,
            &notice.text,
            notice.link.as_deref(),
            now,
        )
        .await?;
    }
    Ok(inserted)
}

/// Sends one notification to each of `user_ids` in one transaction (e-mails queued for those
/// with an address); returns how many.
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
    db.write(async |tx| insert_notifications(tx, user_ids, unit_id, kind, text, link, now).await)
        .await
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
    query("SELECT id, kind, text, link, unit_id, created_at, read_at FROM notifications WHERE user_id = $1 ORDER BY id DESC LIMIT $2")
        .bind(user_id)
        .bind(limit)
        .fetch_all(db)
        .await
}

/// How many are unread.
pub async fn unread_count(db: &Db, user_id: Id) -> Result<i64> {
    query("SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND read_at IS NULL")
        .bind(user_id)
        .scalar(db)
        .await
}

/// Marks all of an account's notifications read.
pub async fn mark_all_read(db: &Db, user_id: Id, now: DateTime<Utc>) -> Result<u64> {
    query("UPDATE notifications SET read_at = $2 WHERE user_id = $1 AND read_at IS NULL")
        .bind(user_id)
        .bind(now)
        .execute(db)
        .await
}
