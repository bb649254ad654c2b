//! The register of units: importing it from its CSV files, reading it as of a day, and a
//! unit's open work, each assignment shown only to those its plan's rights rule lets read.

use std::collections::HashSet;
use std::path::Path;

use chrono::NaiveDate;
use tinhgon_domain::ids::UnitId;
use tinhgon_domain::model::Id;
use tinhgon_domain::unit::Unit;
use tinhgon_domain::user::{can_read_assignment, PlanAccess, Role, User};
use tinhgon_store::assignment_view;
use tinhgon_store::audit::AuditEntry;
use tinhgon_store::register::{self, ImportSummary};
use tinhgon_store::web_queries::WorkRow;
use tinhgon_store::Db;

use crate::error::{AppError, Result};

/// The open assignments of `unit` that `user` may read, by due date: each one by the rights
/// rule of its plan (`can_read_assignment`): admins and the province's monitors and leaders
/// see them all, an officer sees its own unit's and, of another unit, only those of plans that
/// concern its own unit or are public.
pub async fn readable_open_work(db: &Db, user: &User, unit: UnitId) -> Result<Vec<WorkRow>> {
    let unit = unit.get();
    let rows = assignment_view::open_of_unit(db, unit).await?;
    // Only an officer looking at another unit needs to know which plans concern its own unit.
    let concerning: HashSet<Id> = match user.unit_id {
        Some(mine) if user.role == Role::AgencyOfficer && mine != unit && !rows.is_empty() => {
            assignment_view::plans_concerning(db, mine)
                .await?
                .into_iter()
                .collect()
        }
        _ => HashSet::new(),
    };
    let mut out = Vec::new();
    for r in rows {
        let concerned: Vec<Id> = match user.unit_id {
            Some(mine) if concerning.contains(&r.work.plan_id) => vec![mine],
            _ => Vec::new(),
        };
        let access = PlanAccess {
            province_id: r.plan_province_id,
            state: r.plan_state()?,
            public: r.plan_public,
            concerned_unit_ids: &concerned,
        };
        if can_read_assignment(Some(user), &access, r.work.unit_id) {
            out.push(r.work);
        }
    }
    Ok(out)
}

/// Imports the register from `dir` (units.csv, mergers.csv, aliases.csv) as a system write;
/// `operator` is who ran it, when known, kept in the audit row.
pub async fn import(db: &Db, dir: &Path, operator: Option<String>) -> Result<ImportSummary> {
    let audit = AuditEntry::system(
        "register.import",
        "unit",
        None,
        serde_json::json!({
            "dir": dir.display().to_string(),
            "cli_user": operator,
        }),
    );
    Ok(register::import_register_audited(db, dir, &audit).await?)
}

/// The units of the province named or numbered `province` in force on `day`.
pub async fn units_as_of(db: &Db, province: &str, day: NaiveDate) -> Result<Vec<Unit>> {
    let id = register::find_province(db, province)
        .await?
        .ok_or_else(|| {
            AppError::invalid(
                "province",
                format!("không có tỉnh \"{province}\" trong danh mục"),
            )
        })?;
    Ok(register::units_as_of(db, id, day).await?)
}

/// The words the page header names the system's owner with: the province's monitoring agency
/// and the province ("Sở Nội vụ tỉnh Lào Cai"), both as the register holds them. `province`
/// is the viewer's; without one (sign-in page, public pages) the province of a database that
/// holds only one. None when there is nothing to name (several provinces, no viewer).
pub async fn owner_name(db: &Db, province: Option<Id>) -> Result<Option<String>> {
    let (id, name) = match province {
        Some(id) => (id, register::unit(db, id).await?.name),
        None => match register::provinces(db).await?.as_slice() {
            [(id, name)] => (*id, name.clone()),
            _ => return Ok(None),
        },
    };
    // "Tỉnh Lào Cai" reads "tỉnh Lào Cai" after an agency's name.
    let mut chars = name.chars();
    let province = match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect::<String>(),
        None => return Ok(None),
    };
    let agency = register::current_unit_named(
        db,
        id,
        tinhgon_domain::unit::UnitKind::Department,
        &tinhgon_textkit::search_key("Sở Nội vụ"),
    )
    .await?;
    Ok(Some(match agency {
        Some(a) => format!("{a} {province}"),
        None => name,
    }))
}
