//! Accounts: creation by an admin, look-up for sign-in, failed-attempt throttling and lock-out.

use chrono::{DateTime, Duration, Utc};
use tinhgon_domain::model::Id;
use tinhgon_domain::user::{Role, User};

use crate::audit::{audited, AuditEntry};
use crate::error::{Result, StoreError};
use crate::tx::query;
use crate::util::replace_flag;
use crate::Db;

/// Failed sign-ins in a row that lock an account.
pub const MAX_FAILED_ATTEMPTS: i32 = 5;
/// How long a locked account stays locked.
pub const LOCK_MINUTES: i64 = 15;

/// A new account; the password is already hashed (argon2id, by the caller, off the async threads).
#[derive(Debug, Clone)]
pub struct NewUser {
    /// Sign-in name (unique).
    pub login: String,
    /// Name shown on pages.
    pub display_name: String,
    /// PHC string of the password hash.
    pub password_hash: String,
    /// Role.
    pub role: Role,
    /// Unit of an agency officer.
    pub unit_id: Option<Id>,
    /// Province the account works on.
    pub province_id: Option<Id>,
}

/// The columns of `users` that make a [`User`], read the same way for sign-in and sessions.
#[derive(sqlx::FromRow)]
pub(crate) struct UserColumns {
    id: i64,
    login: String,
    display_name: String,
    role: String,
    unit_id: Option<i64>,
    province_id: Option<i64>,
    active: bool,
    locked_until: Option<DateTime<Utc>>,
}

impl UserColumns {
    pub(crate) fn into_user(self) -> Result<User> {
        let role = Role::parse(&self.role)
            .ok_or_else(|| StoreError::Corrupt(format!("vai trò không hợp lệ: {}", self.role)))?;
        Ok(User {
            id: self.id,
            login: self.login,
            display_name: self.display_name,
            role,
            unit_id: self.unit_id,
            province_id: self.province_id,
            active: self.active,
            locked_until: self.locked_until,
        })
    }
}

#[derive(sqlx::FromRow)]
struct UserRow {
    #[sqlx(flatten)]
    user: UserColumns,
    password_hash: String,
    failed_attempts: i32,
}

impl UserRow {
    fn into_user(self) -> Result<(User, String, i32)> {
        Ok((
            self.user.into_user()?,
            self.password_hash,
            self.failed_attempts,
        ))
    }
}

const SELECT: &str =
    "SELECT id, login, display_name, password_hash, role, unit_id, province_id, active, \
                      failed_attempts, locked_until FROM users";

/// An account with its password hash, for sign-in.
#[derive(Debug, Clone)]
pub struct Credentials {
    /// The account.
    pub user: User,
    /// PHC string of the password hash.
    pub password_hash: String,
    /// Failed sign-ins in a row.
    pub failed_attempts: i32,
}

/// Creates an account with its optional e-mail address (already checked with
/// `outbox::check_email`) and its audit row in one transaction; the entry's object id is set
/// to the new account.
pub async fn create_user_audited(
    db: &Db,
    new: &NewUser,
    email: Option<&str>,
    audit: &AuditEntry,
) -> Result<Id> {
    create_user_in(db, new, email, Some(audit)).await
}

async fn create_user_in(
    db: &Db,
    new: &NewUser,
    email: Option<&str>,
    audit: Option<&AuditEntry>,
) -> Result<Id> {
    let login = new.login.trim();
    if login.is_empty() || login.chars().count() > 64 {
        return Err(StoreError::Rejected(
            "tên đăng nhập phải có từ 1 đến 64 ký tự".into(),
        ));
    }
    if new.role == Role::AgencyOfficer && new.unit_id.is_none() {
        return Err(StoreError::Rejected(
            "cán bộ cơ quan, đơn vị phải thuộc một đơn vị".into(),
        ));
    }
    let now = Utc::now();
    audited(db, now, async |tx| {
        let id: i64 = query(
            "INSERT INTO users (login, display_name, password_hash, role, unit_id, province_id, active, failed_attempts, created_at, email) \
             VALUES ($1, $2, $3, $4, $5, $6, TRUE, 0, $7, $8) RETURNING id",
        )
        .bind(login)
        .bind(new.display_name.trim())
        .bind(&new.password_hash)
        .bind(new.role.as_str())
        .bind(new.unit_id)
        .bind(new.province_id)
        .bind(now)
        .bind(email)
        .scalar(&mut *tx)
        .await
        .map_err(StoreError::on_unique("tên đăng nhập đã được dùng"))
        .map_err(StoreError::on_foreign_key("đơn vị không tồn tại"))?;
        let entry = audit.map(|e| AuditEntry { object_id: Some(id), ..e.clone() });
        Ok((id, entry.into_iter().collect()))
    })
    .await
}

/// The account signing in as `login`, with its hash.
pub async fn credentials(db: &Db, login: &str) -> Result<Option<Credentials>> {
    let sql = format!("{SELECT} WHERE login = $1");
    let row: Option<UserRow> = query(&sql).bind(login.trim()).fetch_optional(db).await?;
    row.map(|r| {
        r.into_user()
            .map(|(user, password_hash, failed_attempts)| Credentials {
                user,
                password_hash,
                failed_attempts,
            })
    })
    .transpose()
}

/// One account.
pub async fn user(db: &Db, id: Id) -> Result<Option<User>> {
    let sql = format!("{SELECT} WHERE id = $1");
    let row: Option<UserRow> = query(&sql).bind(id).fetch_optional(db).await?;
    row.map(|r| r.into_user().map(|t| t.0)).transpose()
}

/// An account's address for e-mail notifications.
pub async fn email_of(db: &Db, id: Id) -> Result<Option<String>> {
    let row: Option<(Option<String>,)> = query("SELECT email FROM users WHERE id = $1")
        .bind(id)
        .fetch_optional(db)
        .await?;
    Ok(row.and_then(|r| r.0))
}

/// Every account, by login.
pub async fn list_users(db: &Db) -> Result<Vec<User>> {
    let sql = format!("{SELECT} ORDER BY login");
    let rows: Vec<UserRow> = query(&sql).fetch_all(db).await?;
    rows.into_iter()
        .map(|r| r.into_user().map(|t| t.0))
        .collect()
}

/// True once any account exists (the first-run page is open only before).
pub async fn any_user(db: &Db) -> Result<bool> {
    let id: Option<i64> = query("SELECT id FROM users LIMIT 1")
        .scalar_optional(db)
        .await?;
    Ok(id.is_some())
}

/// Active accounts of a unit (who receives the unit's notifications).
pub async fn active_users_of_unit(db: &Db, unit_id: Id) -> Result<Vec<Id>> {
    query("SELECT id FROM users WHERE unit_id = $1 AND active = TRUE ORDER BY id")
        .bind(unit_id)
        .scalars(db)
        .await
}

/// [`system::record_failed_sign_in`] that, when this failure locks the account, writes `lock_audit`
/// (with `after.locked_until` added) in the same transaction.
pub async fn record_failed_sign_in_audited(
    db: &Db,
    id: Id,
    now: DateTime<Utc>,
    lock_audit: &AuditEntry,
) -> Result<Option<DateTime<Utc>>> {
    record_failed_sign_in_in(db, id, now, Some(lock_audit)).await
}

async fn record_failed_sign_in_in(
    db: &Db,
    id: Id,
    now: DateTime<Utc>,
    lock_audit: Option<&AuditEntry>,
) -> Result<Option<DateTime<Utc>>> {
    let until = now + Duration::minutes(LOCK_MINUTES);
    audited(db, now, async |tx| {
        // One statement, so concurrent failures cannot both read the same count.
        let locked: Option<DateTime<Utc>> = query(
            "UPDATE users SET failed_attempts = failed_attempts + 1, \
             locked_until = CASE WHEN failed_attempts + 1 >= $2 THEN $3 ELSE locked_until END \
             WHERE id = $1 RETURNING locked_until",
        )
        .bind(id)
        .bind(MAX_FAILED_ATTEMPTS)
        .bind(until)
        .scalar_optional(&mut *tx)
        .await?
        .flatten();
        let locked = locked.filter(|t| *t > now);
        // Only the failure that locks the account is audited.
        let entry = lock_audit
            .zip(locked)
            .map(|(e, t)| e.with_after("locked_until", t.to_rfc3339()));
        Ok((locked, entry.into_iter().collect()))
    })
    .await
}

/// Clears the failure count after a successful sign-in.
pub async fn record_sign_in(db: &Db, id: Id, now: DateTime<Utc>) -> Result<()> {
    query("UPDATE users SET failed_attempts = 0, locked_until = NULL, last_login_at = $2 WHERE id = $1")
        .bind(id)
        .bind(now)
        .execute(db)
        .await?;
    Ok(())
}

/// [`record_sign_in`] with its audit row (the sign-in) in the same transaction.
pub async fn record_sign_in_audited(
    db: &Db,
    id: Id,
    now: DateTime<Utc>,
    audit: &AuditEntry,
) -> Result<()> {
    audited(db, now, async |tx| {
        query("UPDATE users SET failed_attempts = 0, locked_until = NULL, last_login_at = $2 WHERE id = $1")
            .bind(id)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        Ok(((), vec![audit.clone()]))
    })
    .await
}

/// [`system::set_password_hash`] with its audit row in the same transaction, stamped `now`.
pub async fn set_password_hash_audited(
    db: &Db,
    id: Id,
    hash: &str,
    audit: &AuditEntry,
    now: DateTime<Utc>,
) -> Result<()> {
    set_password_hash_in(db, id, hash, Some((audit, now))).await
}

async fn set_password_hash_in(
    db: &Db,
    id: Id,
    hash: &str,
    audit: Option<(&AuditEntry, DateTime<Utc>)>,
) -> Result<()> {
    let now = audit.map_or_else(Utc::now, |(_, now)| now);
    audited(db, now, async |tx| {
        let n = query("UPDATE users SET password_hash = $2 WHERE id = $1")
            .bind(id)
            .bind(hash)
            .execute(&mut *tx)
            .await?;
        if n == 0 {
            return Err(StoreError::NotFound {
                what: "tài khoản",
                id,
            });
        }
        Ok(((), audit.map(|(e, _)| e.clone()).into_iter().collect()))
    })
    .await
}

/// What an administrator may change on an existing account (the login never changes: it is
/// what the audit trail and the person remember).
#[derive(Debug, Clone)]
pub struct AccountChange {
    /// Name shown on pages.
    pub display_name: String,
    /// Role.
    pub role: Role,
    /// Unit of an agency officer.
    pub unit_id: Option<Id>,
    /// Address for e-mail notifications (already checked).
    pub email: Option<String>,
}

/// Changes an account's name, role, unit and address with its audit row (before and after as the
/// transaction read and wrote them) in one transaction.
pub async fn update_user_audited(
    db: &Db,
    id: Id,
    change: &AccountChange,
    audit: &AuditEntry,
    now: DateTime<Utc>,
) -> Result<()> {
    if change.display_name.trim().is_empty() {
        return Err(StoreError::Rejected("họ tên không được để trống".into()));
    }
    if change.role == Role::AgencyOfficer && change.unit_id.is_none() {
        return Err(StoreError::Rejected(
            "cán bộ cơ quan, đơn vị phải thuộc một đơn vị".into(),
        ));
    }
    audited(db, now, async |tx| {
        let before: Option<(String, String, Option<i64>, Option<String>)> =
            query("SELECT display_name, role, unit_id, email FROM users WHERE id = $1")
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?;
        let Some((name, role, unit, email)) = before else {
            return Err(StoreError::NotFound {
                what: "tài khoản",
                id,
            });
        };
        query("UPDATE users SET display_name = $2, role = $3, unit_id = $4, email = $5 WHERE id = $1")
            .bind(id)
            .bind(change.display_name.trim())
            .bind(change.role.as_str())
            .bind(change.unit_id)
            .bind(change.email.as_deref())
            .execute(&mut *tx)
            .await
            .map_err(StoreError::on_foreign_key("đơn vị không tồn tại"))?;
        let entry = AuditEntry {
            before: Some(serde_json::json!({"display_name": name, "role": role, "unit_id": unit, "email": email})),
            after: Some(serde_json::json!({"display_name": change.display_name.trim(), "role": change.role.as_str(), "unit_id": change.unit_id, "email": change.email})),
            ..audit.clone()
        };
        Ok(((), vec![entry]))
    })
    .await
}

/// Sets a password chosen by an administrator and ends the account's sessions, with the audit
/// row, in one transaction: whoever held the old password is signed out.
pub async fn reset_password_audited(
    db: &Db,
    id: Id,
    hash: &str,
    audit: &AuditEntry,
    now: DateTime<Utc>,
) -> Result<()> {
    audited(db, now, async |tx| {
        let n = query("UPDATE users SET password_hash = $2, failed_attempts = 0, locked_until = NULL WHERE id = $1")
            .bind(id)
            .bind(hash)
            .execute(&mut *tx)
            .await?;
        if n == 0 {
            return Err(StoreError::NotFound {
                what: "tài khoản",
                id,
            });
        }
        query("DELETE FROM sessions WHERE user_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        Ok(((), vec![audit.clone()]))
    })
    .await
}

/// [`system::set_active`] with its audit row in the same transaction, stamped `now`: `before.active`
/// and `after.active` (as the transaction read and set them) added.
pub async fn set_active_audited(
    db: &Db,
    id: Id,
    active: bool,
    audit: &AuditEntry,
    now: DateTime<Utc>,
) -> Result<()> {
    set_active_in(db, id, active, Some((audit, now))).await
}

async fn set_active_in(
    db: &Db,
    id: Id,
    active: bool,
    audit: Option<(&AuditEntry, DateTime<Utc>)>,
) -> Result<()> {
    let now = audit.map_or_else(Utc::now, |(_, now)| now);
    audited(db, now, async |tx| {
        let before = replace_flag(tx, "users", "active", "tài khoản", id, active).await?;
        let entry =
            audit.map(|(e, _)| e.with_before("active", before).with_after("active", active));
        Ok(((), entry.into_iter().collect()))
    })
    .await
}

/// Stores a new API token for an account with its audit row in one transaction; the entry's
/// object id is set to the new token. (`sessions::create_api_token` is the unaudited form.)
pub async fn create_api_token_audited(
    db: &Db,
    user_id: Id,
    name: &str,
    token_hash: &str,
    now: DateTime<Utc>,
    audit: &AuditEntry,
) -> Result<Id> {
    audited(db, now, async |tx| {
        let id: i64 = query("INSERT INTO api_tokens (user_id, name, token_hash, created_at) VALUES ($1, $2, $3, $4) RETURNING id")
            .bind(user_id)
            .bind(name)
            .bind(token_hash)
            .bind(now)
            .scalar(&mut *tx)
            .await?;
        let entry = AuditEntry { object_id: Some(id), ..audit.clone() };
        Ok((id, vec![entry]))
    })
    .await
}

/// Writes without an audit row, for system loads only: the demo loader, importers, the
/// benchmarks and tests. A change made for a person goes through the `*_audited` function of
/// the same name (audit row and notices in its transaction); keeping these under `system::`
/// makes a call that skips the audit row visible where it is made.
pub mod system {
    use super::*;
    /// Creates an account; a login already taken is refused with a Vietnamese message.
    pub async fn create_user(db: &Db, new: &NewUser) -> Result<Id> {
        create_user_in(db, new, None, None).await
    }

    /// Counts a failed sign-in; the fifth in a row locks the account for 15 minutes.
    /// Returns the lock end when this failure locked it.
    pub async fn record_failed_sign_in(
        db: &Db,
        id: Id,
        now: DateTime<Utc>,
    ) -> Result<Option<DateTime<Utc>>> {
        record_failed_sign_in_in(db, id, now, None).await
    }

    /// Replaces the password hash.
    pub async fn set_password_hash(db: &Db, id: Id, hash: &str) -> Result<()> {
        set_password_hash_in(db, id, hash, None).await
    }

    /// Enables or disables an account.
    pub async fn set_active(db: &Db, id: Id, active: bool) -> Result<()> {
        set_active_in(db, id, active, None).await
    }
}
