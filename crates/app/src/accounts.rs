//! Accounts: an administrator creates an account (role, unit, optional e-mail address) and
//! enables or disables one; passwords are kept as argon2id hashes.

use serde::Deserialize;
use tinhgon_domain::ids::UserId;
use tinhgon_domain::model::Id;
use tinhgon_domain::user::{Role, User};
use tinhgon_store::accounts;
use tinhgon_store::Db;

use crate::audit;
use crate::error::{AppError, Result};

/// Fewest characters of a password.
pub const MIN_PASSWORD: usize = 8;

/// Hashes a password with argon2id on a blocking thread.
pub async fn hash_password(password: String) -> Result<String> {
    tokio::task::spawn_blocking(move || {
        use argon2::password_hash::{PasswordHasher, SaltString};
        let salt = SaltString::generate(&mut rand::rngs::OsRng);
        argon2::Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
    })
    .await
    .map_err(|e| AppError::Internal(e.to_string()))?
    .map_err(|e| AppError::Internal(e.to_string()))
}

/// Fields of the account creation form.
#[derive(Debug, Deserialize)]
pub struct NewUserForm {
    /// Sign-in name.
    pub login: String,
    /// Name.
    pub display_name: String,
    /// Password.
    pub password: String,
    /// Role (stable name).
    pub role: String,
    /// Unit id (officers), empty for none.
    #[serde(default)]
    pub unit_id: String,
    /// Optional address for e-mail notifications.
    #[serde(default)]
    pub email: String,
}

/// Creates an account after the admin's right and the fields are checked.
pub async fn create(db: &Db, me: &User, f: NewUserForm) -> Result<Id> {
    if !tinhgon_domain::user::can_manage_accounts(me) {
        return Err(AppError::Forbidden);
    }
    let role =
        Role::parse(&f.role).ok_or_else(|| AppError::invalid("role", "Vai trò không hợp lệ."))?;
    let unit_id = match f.unit_id.trim() {
        "" => None,
        s => Some(
            s.parse::<i64>()
                .map_err(|_| AppError::invalid("unit_id", "Đơn vị không hợp lệ."))?,
        ),
    };
    if f.password.chars().count() < MIN_PASSWORD {
        return Err(AppError::invalid(
            "password",
            "Mật khẩu phải có ít nhất 8 ký tự.",
        ));
    }
    // Checked before the account exists, so a typing slip does not leave a half-made account.
    let email = tinhgon_store::outbox::check_email(&f.email)?;
    let hash = hash_password(f.password).await?;
    let new = accounts::NewUser {
        login: f.login,
        display_name: f.display_name,
        password_hash: hash,
        role,
        unit_id,
        province_id: me.province_id,
    };
    let after = serde_json::json!({"login": new.login.trim(), "role": role.as_str(), "unit_id": unit_id, "email": email});
    // The store sets the entry's object to the new account; account, address and audit row
    // are written in one transaction.
    let entry = audit::entry(Some(me), "user.create", "user", None, None, Some(after));
    let id = accounts::create_user_audited(db, &new, email.as_deref(), &entry).await?;
    Ok(id)
}

/// Enables or disables an account (admin only; not oneself).
pub async fn set_active(db: &Db, me: &User, id: UserId, active: bool) -> Result<()> {
    let id = id.get();
    if !tinhgon_domain::user::can_manage_accounts(me) {
        return Err(AppError::Forbidden);
    }
    if id == me.id {
        return Err(AppError::Conflict(
            "Không thể tự vô hiệu hóa tài khoản của mình.".into(),
        ));
    }
    // The store adds before.active and after.active, as its transaction saw and set them.
    let entry = audit::entry(Some(me), "user.active", "user", Some(id), None, None);
    accounts::set_active_audited(db, id, active, &entry, chrono::Utc::now()).await?;
    Ok(())
}
