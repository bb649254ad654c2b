//! Units of the register changed one at a time by the monitor: added (any kind of the
//! glossary, a public service unit with its financial autonomy group), moved under another
//! parent, closed, aliases added or removed. Each change is dated, names its deciding
//! document and is audited; a rename is a restructuring event ([`crate::restructuring`]),
//! since the renamed unit is a new unit from its date and history stays with the old name.
//! Units are named as a person writes them (diacritics optional, aliases accepted).

use chrono::{NaiveDate, Utc};
use serde::Deserialize;
use tinhgon_domain::model::Id;
use tinhgon_domain::register::parent_cycle;
use tinhgon_domain::unit::{Unit, UnitKind};
use tinhgon_domain::user::{can_manage_register, works_on, User};
use tinhgon_store::audit::AuditEntry;
use tinhgon_store::register::{self, ChangeMeta, NewUnit, RegisterSnapshot};
use tinhgon_store::Db;
use tinhgon_textkit::search_key;

use crate::error::{AppError, Result};
use crate::input;

/// Who changes the register: a signed-in account (its rights are checked) or the operator of
/// the machine on the command line (named in the audit row by their system login).
#[derive(Debug, Clone, Copy)]
pub enum Actor<'a> {
    /// A signed-in account.
    User(&'a User),
    /// The command line.
    Operator(Option<&'a str>),
}

impl Actor<'_> {
    /// Refused unless the actor may change the register of `province`: a monitor or admin of
    /// that province (another province's register is not found, so it does not leak).
    pub fn check(&self, province: Id) -> Result<()> {
        match self {
            Actor::Operator(_) => Ok(()),
            Actor::User(u) if !can_manage_register(u) => Err(AppError::Forbidden),
            Actor::User(u) if !works_on(u, Some(province)) => Err(AppError::NotFound),
            Actor::User(_) => Ok(()),
        }
    }

    /// The account's id (None on the command line).
    pub fn id(&self) -> Option<Id> {
        match self {
            Actor::User(u) => Some(u.id),
            Actor::Operator(_) => None,
        }
    }

    /// The audit entry of `action` on object `kind` `id` by this actor.
    pub fn entry(&self, action: &str, kind: &str, id: Option<Id>) -> AuditEntry {
        match self {
            Actor::User(u) => crate::audit::entry(Some(u), action, kind, id, None, None),
            Actor::Operator(op) => {
                AuditEntry::system(action, kind, id, serde_json::json!({ "cli_user": op }))
            }
        }
    }
}

/// The province a command acts on: the one named (diacritics optional), else the only one
/// the database holds.
pub async fn province(db: &Db, named: Option<&str>) -> Result<Id> {
    match named.map(str::trim).filter(|n| !n.is_empty()) {
        Some(n) => register::find_province(db, n).await?.ok_or_else(|| {
            AppError::invalid("province", format!("Không có tỉnh \"{n}\" trong danh mục."))
        }),
        None => match register::provinces(db).await?.as_slice() {
            [(id, _)] => Ok(*id),
            [] => Err(AppError::invalid(
                "province",
                "Cơ sở dữ liệu chưa có danh mục đơn vị của tỉnh nào.",
            )),
            _ => Err(AppError::invalid(
                "province",
                "Cơ sở dữ liệu có nhiều tỉnh: ghi rõ tỉnh (--province).",
            )),
        },
    }
}

/// The unit `written` names in `reg`: an id, or a name or alias as a person writes it
/// (diacritics and case ignored; a unique partial match is accepted). Among several units of
/// that name, those in force on `date` are preferred; several left is an error listing them.
pub fn resolve(
    reg: &RegisterSnapshot,
    field: &'static str,
    written: &str,
    date: NaiveDate,
) -> Result<Id> {
    let w = written.trim();
    if w.is_empty() {
        return Err(AppError::invalid(field, "Vui lòng ghi tên đơn vị."));
    }
    if let Ok(id) = w.trim_start_matches('#').parse::<Id>() {
        return reg
            .units
            .iter()
            .find(|u| u.id == id)
            .map(|u| u.id)
            .ok_or_else(|| {
                AppError::invalid(
                    field,
                    format!("Không có đơn vị mã {id} trong danh mục của tỉnh."),
                )
            });
    }
    let key = search_key(w);
    let named = |u: &Unit| -> bool {
        search_key(&u.name) == key
            || reg
                .aliases
                .iter()
                .any(|a| a.unit_id == u.id && search_key(&a.alias) == key)
    };
    let mut found: Vec<&Unit> = reg.units.iter().filter(|u| named(u)).collect();
    if found.is_empty() {
        // Whole words only: "so" is the start of "Sở Tư pháp", not part of "Xã Anh Sơn".
        let words = format!(" {key} ");
        found = reg
            .units
            .iter()
            .filter(|u| format!(" {} ", search_key(&u.name)).contains(&words))
            .collect();
    }
    if found.len() > 1 {
        let current: Vec<&Unit> = found
            .iter()
            .copied()
            .filter(|u| u.is_valid_on(date))
            .collect();
        if !current.is_empty() {
            found = current;
        }
    }
    match found.as_slice() {
        [one] => Ok(one.id),
        [] => Err(AppError::invalid(
            field,
            format!("Không có đơn vị \"{w}\" trong danh mục của tỉnh."),
        )),
        many => Err(AppError::AmbiguousUnit {
            name: w.to_string(),
            candidates: many
                .iter()
                .map(|u| u.name.as_str())
                .collect::<Vec<_>>()
                .join("; "),
        }),
    }
}

/// The unit `id` of `reg`.
pub fn unit_of(reg: &RegisterSnapshot, id: Id) -> Result<&Unit> {
    reg.units
        .iter()
        .find(|u| u.id == id)
        .ok_or(AppError::NotFound)
}

/// Refused unless `u` is in force on `day`, saying whether it did not exist yet or had ended.
pub fn in_force(u: &Unit, day: NaiveDate, field: &'static str) -> Result<()> {
    let d = |x: NaiveDate| x.format("%d/%m/%Y").to_string();
    match (u.valid_from, u.valid_to) {
        (Some(f), _) if day < f => Err(AppError::invalid(
            field,
            format!(
                "Ngày {} trước ngày {} được thành lập ({}).",
                d(day),
                u.name,
                d(f)
            ),
        )),
        (_, Some(t)) if day >= t => Err(AppError::invalid(
            field,
            format!(
                "{} không còn hoạt động vào ngày {} (đã kết thúc từ ngày {}).",
                u.name,
                d(day),
                d(t)
            ),
        )),
        _ => Ok(()),
    }
}

/// The deciding document and the date of a change, as a form gives them.
fn meta(actor: &Actor<'_>, effective: &str, decision: &str) -> Result<ChangeMeta> {
    let effective = input::date(
        "effective",
        effective,
        "Ngày hiệu lực không hợp lệ (dd/mm/yyyy).",
    )?;
    let decision = input::text(
        "decision",
        decision,
        "Vui lòng ghi số văn bản quyết định (ví dụ 123/QĐ-UBND).",
    )?;
    Ok(ChangeMeta {
        effective,
        decision: Some(decision),
        actor: actor.id(),
        at: Utc::now(),
    })
}

/// A new unit as a form, the API or the command line gives it.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct UnitForm {
    /// Name as decided.
    #[serde(default)]
    pub name: String,
    /// Kind (stable name: `department`, `sub_department`, `division`, `public_service_unit`,
    /// `central_branch` …).
    #[serde(default)]
    pub kind: String,
    /// Parent unit (id or name).
    #[serde(default)]
    pub parent: String,
    /// First day it exists (dd/mm/yyyy).
    #[serde(default)]
    pub effective: String,
    /// Deciding document.
    #[serde(default)]
    pub decision: String,
    /// Official code (optional).
    #[serde(default)]
    pub code: String,
    /// Financial autonomy group 1–4 (public service units).
    #[serde(default)]
    pub autonomy_group: String,
    /// Other names, separated by ";" or new lines.
    #[serde(default)]
    pub aliases: String,
}

/// Parses a financial autonomy group: empty, or 1 to 4; required for a public service unit.
fn autonomy(kind: UnitKind, text: &str) -> Result<Option<i64>> {
    let t = text.trim();
    let msg = "Nhóm tự chủ tài chính là 1, 2, 3 hoặc 4 (Nghị định 60/2021/NĐ-CP).";
    if t.is_empty() {
        if kind == UnitKind::PublicServiceUnit {
            return Err(AppError::invalid(
                "autonomy_group",
                format!("Đơn vị sự nghiệp công lập phải có nhóm tự chủ tài chính. {msg}"),
            ));
        }
        return Ok(None);
    }
    if kind != UnitKind::PublicServiceUnit {
        return Err(AppError::invalid(
            "autonomy_group",
            "Chỉ đơn vị sự nghiệp công lập mới có nhóm tự chủ tài chính.",
        ));
    }
    match t.parse::<i64>() {
        Ok(g) if (1..=4).contains(&g) => Ok(Some(g)),
        _ => Err(AppError::invalid("autonomy_group", msg)),
    }
}

/// The kind a person wrote: the stable name or the register file's word.
pub fn kind(field: &'static str, text: &str) -> Result<UnitKind> {
    match UnitKind::from_register(text) {
        Some(UnitKind::Province) => Err(AppError::invalid(
            field,
            "Không thêm tỉnh từ đây: danh mục của tỉnh được nạp bằng tinhgon setup.",
        )),
        Some(k) => Ok(k),
        None => Err(AppError::invalid(
            field,
            format!(
                "Loại đơn vị không hợp lệ: dùng một trong {}.",
                UnitKind::ALL[1..]
                    .iter()
                    .map(|k| k.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )),
    }
}

/// Refused when a unit named `name` is in force in `reg` on `day` (other than `except`).
pub fn name_free(
    reg: &RegisterSnapshot,
    field: &'static str,
    name: &str,
    day: NaiveDate,
    except: &[Id],
) -> Result<()> {
    let key = search_key(name);
    match reg
        .units
        .iter()
        .find(|u| !except.contains(&u.id) && u.is_valid_on(day) && search_key(&u.name) == key)
    {
        Some(u) => Err(AppError::invalid(
            field,
            format!(
                "Đã có đơn vị \"{}\" hoạt động vào ngày {}.",
                u.name,
                day.format("%d/%m/%Y")
            ),
        )),
        None => Ok(()),
    }
}

/// Adds a unit to `province`'s register. Returns its id.
pub async fn add(db: &Db, actor: Actor<'_>, province: Id, form: UnitForm) -> Result<Id> {
    actor.check(province)?;
    let reg = register::load_register(db, province).await?;
    let m = meta(&actor, &form.effective, &form.decision)?;
    let name = input::text("name", &form.name, "Vui lòng ghi tên đơn vị.")?;
    let kind = kind("kind", &form.kind)?;
    let parent = resolve(&reg, "parent", &form.parent, m.effective)?;
    in_force(unit_of(&reg, parent)?, m.effective, "parent")?;
    name_free(&reg, "name", &name, m.effective, &[])?;
    let autonomy_group = autonomy(kind, &form.autonomy_group)?;
    let aliases: Vec<String> = form
        .aliases
        .split([';', '\n'])
        .map(str::trim)
        .filter(|a| !a.is_empty())
        .map(str::to_string)
        .collect();
    let new = NewUnit {
        name,
        code: input::note(&form.code),
        kind,
        parent_id: parent,
        province_id: province,
        valid_from: m.effective,
        autonomy_group,
        aliases,
    };
    let entry = actor.entry("unit.add", "unit", None);
    Ok(register::add_unit_audited(db, &new, &m, &entry).await?)
}

/// A unit moved under another parent.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct MoveForm {
    /// The new parent (id or name).
    #[serde(default)]
    pub parent: String,
    /// From which day (dd/mm/yyyy).
    #[serde(default)]
    pub effective: String,
    /// Deciding document.
    #[serde(default)]
    pub decision: String,
}

/// Moves `unit` (id or name) under another parent.
pub async fn move_under(
    db: &Db,
    actor: Actor<'_>,
    province: Id,
    unit: &str,
    form: MoveForm,
) -> Result<Id> {
    actor.check(province)?;
    let reg = register::load_register(db, province).await?;
    let m = meta(&actor, &form.effective, &form.decision)?;
    let id = resolve(&reg, "unit", unit, m.effective)?;
    let u = unit_of(&reg, id)?;
    in_force(u, m.effective, "effective")?;
    let parent = resolve(&reg, "parent", &form.parent, m.effective)?;
    let p = unit_of(&reg, parent)?;
    in_force(p, m.effective, "parent")?;
    if u.parent_id == Some(parent) {
        return Err(AppError::invalid(
            "parent",
            format!("{} đã trực thuộc {}.", u.name, p.name),
        ));
    }
    if parent == id {
        return Err(AppError::invalid(
            "parent",
            format!("Không thể chuyển {} về trực thuộc chính nó.", u.name),
        ));
    }
    if parent_cycle(&reg.units, id, parent) {
        return Err(AppError::invalid(
            "parent",
            format!(
                "Không thể chuyển {} về trực thuộc {}: {} là đơn vị trực thuộc của nó.",
                u.name, p.name, p.name
            ),
        ));
    }
    let entry = actor.entry("unit.move", "unit", Some(id));
    register::move_unit_audited(db, id, parent, &m, &entry).await?;
    Ok(id)
}

/// A unit closed, or an alias changed.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct CloseForm {
    /// First day it no longer exists (dd/mm/yyyy).
    #[serde(default)]
    pub effective: String,
    /// Deciding document.
    #[serde(default)]
    pub decision: String,
}

/// Closes `unit` (id or name): only a unit without open work or units under it; one with
/// work is dissolved or merged by a restructuring event, which says where the work goes.
pub async fn close(
    db: &Db,
    actor: Actor<'_>,
    province: Id,
    unit: &str,
    form: CloseForm,
) -> Result<Id> {
    actor.check(province)?;
    let reg = register::load_register(db, province).await?;
    let m = meta(&actor, &form.effective, &form.decision)?;
    let id = resolve(&reg, "unit", unit, m.effective)?;
    let u = unit_of(&reg, id)?;
    if u.parent_id.is_none() {
        return Err(AppError::invalid("unit", "Không đóng tỉnh từ đây."));
    }
    let day_before = m.effective.pred_opt().unwrap_or(m.effective);
    in_force(u, day_before, "effective")?;
    let entry = actor.entry("unit.close", "unit", Some(id));
    register::close_unit_audited(db, id, &m, &entry).await?;
    Ok(id)
}

/// An alias added or removed.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct AliasForm {
    /// The other name.
    #[serde(default)]
    pub alias: String,
    /// True to remove it.
    #[serde(default)]
    pub remove: bool,
}

/// Adds or removes another name of `unit` (id or name); dated today.
pub async fn alias(
    db: &Db,
    actor: Actor<'_>,
    province: Id,
    unit: &str,
    form: AliasForm,
) -> Result<Id> {
    actor.check(province)?;
    let reg = register::load_register(db, province).await?;
    let today = tinhgon_domain::local_date(Utc::now());
    let id = resolve(&reg, "unit", unit, today)?;
    let alias = input::text("alias", &form.alias, "Vui lòng ghi tên gọi khác.")?;
    let m = ChangeMeta {
        effective: today,
        decision: None,
        actor: actor.id(),
        at: Utc::now(),
    };
    let entry = actor.entry("unit.alias", "unit", Some(id));
    register::set_alias_audited(db, id, &alias, !form.remove, &m, &entry).await?;
    Ok(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_autonomy_group_belongs_to_public_service_units_only() {
        assert_eq!(
            autonomy(UnitKind::PublicServiceUnit, " 2 ").unwrap(),
            Some(2)
        );
        assert!(autonomy(UnitKind::PublicServiceUnit, "").is_err());
        assert!(autonomy(UnitKind::PublicServiceUnit, "5").is_err());
        assert!(autonomy(UnitKind::Department, "1").is_err());
        assert_eq!(autonomy(UnitKind::Department, "").unwrap(), None);
    }

    #[test]
    fn kinds_are_read_as_written_and_a_province_is_refused() {
        assert_eq!(
            kind("kind", "central_branch").unwrap(),
            UnitKind::CentralBranch
        );
        assert_eq!(kind("kind", "chi-cuc").unwrap(), UnitKind::SubDepartment);
        assert!(kind("kind", "province").is_err());
        assert!(kind("kind", "thon").is_err());
    }
}
