//! First run of a province: its register built from the national data compiled into the
//! binary, and its first administrator. Run once per province; a second run for a province
//! whose register exists keeps the register and only adds the administrator, so an interrupted
//! setup can be finished by running it again.

pub mod national;

use tinhgon_domain::model::Id;
use tinhgon_domain::user::Role;
use tinhgon_store::audit::AuditEntry;
use tinhgon_store::{accounts, register, Db};

use crate::accounts::{hash_password, MIN_PASSWORD};
use crate::error::{AppError, Result};

/// What `tinhgon setup` (or the first-run page) asks for.
#[derive(Debug, Clone)]
pub struct SetupRequest {
    /// The province as a person writes it ("Lào Cai", "15").
    pub province: String,
    /// Sign-in name of the first administrator.
    pub admin_login: String,
    /// Their password.
    pub admin_password: String,
    /// Their name as pages show it (the login when empty).
    pub admin_name: String,
}

/// What setup did.
#[derive(Debug, Clone)]
pub struct SetupSummary {
    /// The province's full name ("Tỉnh Lào Cai").
    pub province: String,
    /// Its root unit.
    pub province_id: Id,
    /// Units written now (0 when the register was already there).
    pub units: usize,
    /// Its communes, wards and special zones.
    pub communes: usize,
    /// The administrator's account.
    pub admin_id: Id,
}

/// Builds the province's register (unless it is there) and creates its first administrator.
/// `operator` is who ran it, when known, kept in the audit rows.
pub async fn setup(db: &Db, req: SetupRequest, operator: Option<String>) -> Result<SetupSummary> {
    let province = national::find_province(&req.province)?;
    let login = req.admin_login.trim().to_string();
    if login.is_empty() {
        return Err(AppError::invalid(
            "admin",
            "Vui lòng nhập tên đăng nhập của quản trị viên.",
        ));
    }
    if req.admin_password.chars().count() < MIN_PASSWORD {
        return Err(AppError::invalid(
            "password",
            format!("Mật khẩu phải có ít nhất {MIN_PASSWORD} ký tự."),
        ));
    }
    // Checked before anything is written, so a taken login does not leave a register behind.
    if accounts::credentials(db, &login).await?.is_some() {
        return Err(AppError::Conflict(format!(
            "Tên đăng nhập \"{login}\" đã được dùng."
        )));
    }
    let rows = national::register_rows(&province);
    // The 2025 merger that formed the province, so its lineage starts from the old provinces.
    let mergers = national::merger_rows(&province);
    let communes = rows.iter().filter(|r| r.level == "commune").count();
    let (province_id, units) = match register::find_province(db, &province.full_name).await? {
        Some(id) => (id, 0),
        None => {
            let audit = AuditEntry::system(
                "register.setup",
                "unit",
                None,
                serde_json::json!({"province": province.full_name, "cli_user": operator}),
            );
            let s =
                register::import_rows_audited(db, &rows, &mergers, &[], chrono::Utc::now(), &audit)
                    .await?;
            (s.province_id, s.units)
        }
    };
    let name = match req.admin_name.trim() {
        "" => login.clone(),
        n => n.to_string(),
    };
    let new = accounts::NewUser {
        login: login.clone(),
        display_name: name,
        password_hash: hash_password(req.admin_password).await?,
        role: Role::Admin,
        unit_id: None,
        province_id: Some(province_id),
    };
    let audit = AuditEntry::system(
        "user.create",
        "user",
        None,
        serde_json::json!({"login": login, "role": Role::Admin.as_str(), "cli_user": operator}),
    );
    let admin_id = accounts::create_user_audited(db, &new, None, &audit).await?;
    Ok(SetupSummary {
        province: province.full_name,
        province_id,
        units,
        communes,
        admin_id,
    })
}
