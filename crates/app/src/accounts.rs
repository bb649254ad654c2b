//! Accounts: an administrator creates an account (role, unit, optional e-mail address) and
//! enables or disables one; passwords are kept as argon2id hashes.

use serde::Deserialize;
use tinhgon_domain::ids::UserId;
use tinhgon_domain::model::Id;
use tinhgon_domain::user::{works_on, Role, User};
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
    if f.password.chars().count() < MIN_PASSWORD {
        return Err(AppError::invalid(
            "password",
            format!("Mật khẩu phải có ít nhất {MIN_PASSWORD} ký tự."),
        ));
    }
    let unit_id = parse_unit(db, me, &f.unit_id).await?;
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

/// The accounts an administrator manages: those of their province (every one for an
/// installation-wide administrator).
pub async fn list(db: &Db, me: &User) -> Result<Vec<User>> {
    if !tinhgon_domain::user::can_manage_accounts(me) {
        return Err(AppError::Forbidden);
    }
    let mut users = accounts::list_users(db).await?;
    users.retain(|u| works_on(me, u.province_id));
    Ok(users)
}

/// The units an administrator may put an account in: the current units of their province.
pub async fn units_for_accounts(db: &Db, me: &User) -> Result<Vec<(Id, String)>> {
    Ok(tinhgon_store::web_queries::units_for_select(db, me.province_id).await?)
}

/// Enables or disables an account (admin only, of their province; not oneself).
pub async fn set_active(db: &Db, me: &User, id: UserId, active: bool) -> Result<()> {
    // Another province's account is not this administrator's to know about.
    let id = managed(db, me, id.get()).await?.id;
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

/// Fields of the account edit form (the login never changes).
#[derive(Debug, Deserialize)]
pub struct EditUserForm {
    /// Name.
    pub display_name: String,
    /// Role (stable name).
    pub role: String,
    /// Unit id (officers), empty for none.
    #[serde(default)]
    pub unit_id: String,
    /// Optional address for e-mail notifications.
    #[serde(default)]
    pub email: String,
}

/// An account this administrator manages (of their province); others are not theirs to know of.
async fn managed(db: &Db, me: &User, id: Id) -> Result<User> {
    if !tinhgon_domain::user::can_manage_accounts(me) {
        return Err(AppError::Forbidden);
    }
    match accounts::user(db, id).await? {
        Some(u) if works_on(me, u.province_id) => Ok(u),
        _ => Err(AppError::NotFound),
    }
}

/// One account as its edit page shows it, with its e-mail address.
pub async fn get(db: &Db, me: &User, id: UserId) -> Result<(User, Option<String>)> {
    let u = managed(db, me, id.get()).await?;
    let email = accounts::email_of(db, u.id).await?;
    Ok((u, email))
}

/// Changes an account's name, role, unit and e-mail address (admin of its province).
pub async fn edit(db: &Db, me: &User, id: UserId, f: EditUserForm) -> Result<()> {
    let u = managed(db, me, id.get()).await?;
    let role =
        Role::parse(&f.role).ok_or_else(|| AppError::invalid("role", "Vai trò không hợp lệ."))?;
    if u.id == me.id && role != me.role {
        return Err(AppError::invalid(
            "role",
            "Không thể tự đổi vai trò của tài khoản mình đang dùng.",
        ));
    }
    let unit_id = parse_unit(db, me, &f.unit_id).await?;
    if role == Role::AgencyOfficer && unit_id.is_none() {
        return Err(AppError::invalid(
            "unit_id",
            "Cán bộ cơ quan, đơn vị phải thuộc một đơn vị: hãy chọn đơn vị.",
        ));
    }
    if f.display_name.trim().is_empty() {
        return Err(AppError::invalid(
            "display_name",
            "Họ và tên không được để trống.",
        ));
    }
    let email = tinhgon_store::outbox::check_email(&f.email)?;
    let change = accounts::AccountChange {
        display_name: f.display_name,
        role,
        unit_id,
        email,
    };
    let entry = audit::entry(Some(me), "user.edit", "user", Some(u.id), None, None);
    accounts::update_user_audited(db, u.id, &change, &entry, chrono::Utc::now()).await?;
    Ok(())
}

/// Sets a new password for an account (admin of its province) and signs it out everywhere.
pub async fn reset_password(db: &Db, me: &User, id: UserId, password: String) -> Result<()> {
    let u = managed(db, me, id.get()).await?;
    if password.chars().count() < MIN_PASSWORD {
        return Err(AppError::invalid(
            "password",
            format!("Mật khẩu phải có ít nhất {MIN_PASSWORD} ký tự."),
        ));
    }
    let hash = hash_password(password).await?;
    let entry = audit::entry(
        Some(me),
        "user.password_reset",
        "user",
        Some(u.id),
        None,
        None,
    );
    accounts::reset_password_audited(db, u.id, &hash, &entry, chrono::Utc::now()).await?;
    Ok(())
}

/// A unit chosen in an account form: empty for none, else one of the administrator's units.
async fn parse_unit(db: &Db, me: &User, written: &str) -> Result<Option<Id>> {
    match written.trim() {
        "" => Ok(None),
        s => {
            let u = s
                .parse::<i64>()
                .map_err(|_| AppError::invalid("unit_id", "Đơn vị không hợp lệ."))?;
            let units = units_for_accounts(db, me).await?;
            if !units.iter().any(|(id, _)| *id == u) {
                return Err(AppError::invalid("unit_id", "Đơn vị không hợp lệ."));
            }
            Ok(Some(u))
        }
    }
}

/// Account work done from the command line by whoever runs the machine (`tinhgon user …`):
/// no signed-in administrator, so the audit rows name the operating-system user instead.
pub mod operator {
    use tinhgon_domain::model::Id;
    use tinhgon_domain::user::{Role, User};
    use tinhgon_store::audit::AuditEntry;
    use tinhgon_store::{accounts, register, Db};
    use tinhgon_textkit::search_key;

    use super::{hash_password, MIN_PASSWORD};
    use crate::error::{AppError, Result};

    /// A new account as the command line gives it: names, not ids.
    #[derive(Debug, Clone)]
    pub struct NewAccount {
        /// Sign-in name.
        pub login: String,
        /// Name shown on pages (the login when empty).
        pub display_name: String,
        /// Password.
        pub password: String,
        /// Role (stable name: `admin`, `monitor`, `leader`, `agency_officer`).
        pub role: String,
        /// The province as a person writes it; "toàn quốc" for an installation-wide account
        /// (Bộ Nội vụ), which reads every province.
        pub province: String,
        /// An officer's unit as a person writes it (diacritics optional).
        pub unit: Option<String>,
    }

    fn entry(action: &str, id: Option<Id>, after: serde_json::Value) -> AuditEntry {
        AuditEntry::system(action, "user", id, after)
    }

    fn check_password(password: &str) -> Result<()> {
        if password.chars().count() < MIN_PASSWORD {
            return Err(AppError::invalid(
                "password",
                format!("Mật khẩu phải có ít nhất {MIN_PASSWORD} ký tự."),
            ));
        }
        Ok(())
    }

    /// Creates an account in a province; an officer's unit is found by its name.
    pub async fn add(db: &Db, a: NewAccount, operator: Option<String>) -> Result<Id> {
        let role = Role::parse(&a.role).ok_or_else(|| {
            AppError::invalid(
                "role",
                "Vai trò không hợp lệ: dùng admin, monitor, leader hoặc agency_officer.",
            )
        })?;
        check_password(&a.password)?;
        let national = search_key(&a.province) == "toan quoc";
        if national && role == Role::AgencyOfficer {
            return Err(AppError::invalid(
                "province",
                "Cán bộ cơ quan, đơn vị thuộc một tỉnh; chỉ tài khoản theo dõi, lãnh đạo, quản trị mới dùng \"toàn quốc\".",
            ));
        }
        let province_id = if national {
            None
        } else {
            Some(register::find_province(db, &a.province)
            .await?
            .ok_or_else(|| {
                AppError::invalid(
                    "province",
                    format!(
                        "Chưa có danh mục của tỉnh \"{}\" trong cơ sở dữ liệu (chạy tinhgon setup trước).",
                        a.province.trim()
                    ),
                )
            })?)
        };
        let unit_id = match (&a.unit, province_id) {
            (Some(name), Some(p)) => Some(find_unit(db, p, name).await?),
            (Some(_), None) => {
                return Err(AppError::invalid(
                    "unit",
                    "Tài khoản toàn quốc không thuộc đơn vị nào của một tỉnh.",
                ))
            }
            (None, _) if role == Role::AgencyOfficer => {
                return Err(AppError::invalid(
                    "unit",
                    "Cán bộ cơ quan, đơn vị phải thuộc một đơn vị (--unit).",
                ))
            }
            (None, _) => None,
        };
        let login = a.login.trim().to_string();
        let display_name = match a.display_name.trim() {
            "" => login.clone(),
            n => n.to_string(),
        };
        let new = accounts::NewUser {
            login: login.clone(),
            display_name,
            password_hash: hash_password(a.password).await?,
            role,
            unit_id,
            province_id,
        };
        let after = serde_json::json!({"login": login, "role": role.as_str(), "unit_id": unit_id, "cli_user": operator});
        Ok(
            accounts::create_user_audited(db, &new, None, &entry("user.create", None, after))
                .await?,
        )
    }

    async fn by_login(db: &Db, login: &str) -> Result<Id> {
        accounts::credentials(db, login.trim())
            .await?
            .map(|c| c.user.id)
            .ok_or_else(|| {
                AppError::invalid("login", format!("Không có tài khoản \"{}\".", login.trim()))
            })
    }

    /// Sets a new password for the account signing in as `login`.
    pub async fn set_password(
        db: &Db,
        login: &str,
        password: String,
        operator: Option<String>,
    ) -> Result<()> {
        check_password(&password)?;
        let id = by_login(db, login).await?;
        let hash = hash_password(password).await?;
        let e = entry(
            "user.password",
            Some(id),
            serde_json::json!({"cli_user": operator}),
        );
        accounts::set_password_hash_audited(db, id, &hash, &e, chrono::Utc::now()).await?;
        Ok(())
    }

    /// Enables or disables the account signing in as `login`.
    pub async fn set_active(
        db: &Db,
        login: &str,
        active: bool,
        operator: Option<String>,
    ) -> Result<()> {
        let id = by_login(db, login).await?;
        let e = entry(
            "user.active",
            Some(id),
            serde_json::json!({"cli_user": operator}),
        );
        accounts::set_active_audited(db, id, active, &e, chrono::Utc::now()).await?;
        Ok(())
    }

    /// Every account.
    pub async fn list(db: &Db) -> Result<Vec<User>> {
        Ok(accounts::list_users(db).await?)
    }

    /// The unit of `province_id` in force today whose name is `written` (diacritics optional,
    /// aliases accepted; a unique partial match is accepted, several are an error listing
    /// them): the register's name resolution, shared with the register commands.
    pub async fn find_unit(db: &Db, province_id: Id, written: &str) -> Result<Id> {
        let today = tinhgon_domain::local_date(chrono::Utc::now());
        let reg = register::load_register(db, province_id).await?;
        let id = crate::units::resolve(&reg, "unit", written, today)?;
        crate::units::in_force(crate::units::unit_of(&reg, id)?, today, "unit")?;
        Ok(id)
    }
}
