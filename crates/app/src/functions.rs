//! The functions register (sổ chức năng): the state-management fields each unit holds, taken
//! from the catalogue of the decrees on provincial specialised agencies, added or ended by
//! the monitor (dated, with the deciding document, audited), and the overlap and gap checks
//! per province and per unit. A restructuring event places the fields of the units it ends
//! (see `restructuring`). See `docs/design/restructuring.md`.

use std::collections::HashMap;

use chrono::{NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use tinhgon_domain::functions::{self as catalogue, Gap, Holding, Overlap};
use tinhgon_domain::model::Id;
use tinhgon_domain::unit::{Level, UnitKind};
use tinhgon_store::functions::{self as store, FunctionRow, NewFunction};
use tinhgon_store::register::{self, RegisterSnapshot};
use tinhgon_store::Db;
use tinhgon_textkit::search_key;

use crate::error::{AppError, Result};
use crate::input;
use crate::units::{in_force, resolve, unit_of, Actor};

/// A field given to a unit, as the page, the API or the command line gives it.
#[derive(Debug, Default, Clone, Deserialize, Serialize)]
pub struct FunctionForm {
    /// The field: its catalogue code or its name.
    #[serde(default)]
    pub field: String,
    /// The unit's duties in it (optional).
    #[serde(default)]
    pub duties: String,
    /// Where they are written (blank: the catalogue's decrees).
    #[serde(default)]
    pub legal_source: String,
    /// First day (dd/mm/yyyy or yyyy-mm-dd).
    #[serde(default)]
    pub effective: String,
    /// Deciding document.
    #[serde(default)]
    pub decision: String,
}

/// A field ended.
#[derive(Debug, Default, Clone, Deserialize, Serialize)]
pub struct EndForm {
    /// First day without it.
    #[serde(default)]
    pub effective: String,
    /// Deciding document.
    #[serde(default)]
    pub decision: String,
}

/// A field of a unit as pages show it.
#[derive(Debug, Clone, Serialize)]
pub struct HeldField {
    /// Row id.
    pub id: Id,
    /// Catalogue code.
    pub code: String,
    /// The field as written.
    pub field: String,
    /// Its duties.
    pub duties: Option<String>,
    /// Legal source.
    pub legal_source: String,
    /// First day.
    pub valid_from: NaiveDate,
    /// First day without it.
    pub valid_to: Option<NaiveDate>,
    /// Deciding document.
    pub decision: Option<String>,
    /// Received from a restructuring event.
    pub from_event: bool,
}

fn held(r: &FunctionRow) -> HeldField {
    HeldField {
        id: r.id,
        code: r.field_code.clone(),
        field: catalogue::field_name(&r.field_code),
        duties: r.duties.clone(),
        legal_source: r.legal_source.clone(),
        valid_from: r.valid_from,
        valid_to: r.valid_to,
        decision: r.decision.clone(),
        from_event: r.event_id.is_some(),
    }
}

/// The catalogue field `text` names: its code, or its name as a person writes it (a unique
/// partial match is accepted; several are an error listing them).
pub fn catalogue_field(text: &str) -> Result<&'static catalogue::CatalogueField> {
    let t = text.trim();
    if t.is_empty() {
        return Err(AppError::invalid("field", "Vui lòng chọn lĩnh vực."));
    }
    if let Some(f) = catalogue::field(t) {
        return Ok(f);
    }
    let key = search_key(t);
    let all = catalogue::catalogue();
    let exact: Vec<_> = all.iter().filter(|f| search_key(&f.field) == key).collect();
    let found: Vec<_> = if exact.is_empty() {
        all.iter()
            .filter(|f| search_key(&f.field).contains(&key))
            .collect()
    } else {
        exact
    };
    match found.as_slice() {
        [one] => Ok(one),
        [] => Err(AppError::invalid(
            "field",
            format!("Không có lĩnh vực \"{t}\" trong danh mục."),
        )),
        many => Err(AppError::invalid(
            "field",
            format!(
                "\"{t}\" khớp nhiều lĩnh vực: {}.",
                many.iter()
                    .take(6)
                    .map(|f| format!("{} ({})", f.field, f.department))
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
        )),
    }
}

/// Gives the unit `unit` (id or name) of `province` a field of the catalogue. Returns the row.
pub async fn add(
    db: &Db,
    actor: Actor<'_>,
    province: Id,
    unit: &str,
    form: &FunctionForm,
) -> Result<Id> {
    actor.check(province)?;
    let reg = register::load_register(db, province).await?;
    let effective = input::date(
        "effective",
        &form.effective,
        "Ngày hiệu lực không hợp lệ (dd/mm/yyyy).",
    )?;
    let decision = input::text(
        "decision",
        &form.decision,
        "Vui lòng ghi số văn bản quyết định (ví dụ 123/QĐ-UBND).",
    )?;
    let unit = resolve(&reg, "unit", unit, effective)?;
    let u = unit_of(&reg, unit)?;
    in_force(u, effective, "effective")?;
    if u.parent_id.is_none() {
        return Err(AppError::invalid(
            "unit",
            "Lĩnh vực được giao cho cơ quan, đơn vị, không cho chính tỉnh.",
        ));
    }
    let f = catalogue_field(&form.field)?;
    let new = NewFunction {
        unit_id: unit,
        field_code: f.code.clone(),
        duties: input::note(&form.duties),
        legal_source: input::note(&form.legal_source).unwrap_or_else(|| f.citation.clone()),
        valid_from: effective,
        decision: Some(decision),
        actor: actor.id(),
    };
    let entry = actor.entry("function.add", "unit_function", None);
    Ok(store::add_audited(db, &new, Utc::now(), &entry).await?)
}

/// Ends the field `id` of a unit of `province`.
pub async fn end(db: &Db, actor: Actor<'_>, province: Id, id: Id, form: &EndForm) -> Result<()> {
    actor.check(province)?;
    let row = store::row(db, id).await?.ok_or(AppError::NotFound)?;
    if register::unit_province(db, row.unit_id).await? != Some(province) {
        return Err(AppError::NotFound);
    }
    let on = input::date(
        "effective",
        &form.effective,
        "Ngày kết thúc không hợp lệ (dd/mm/yyyy).",
    )?;
    let decision = input::text(
        "decision",
        &form.decision,
        "Vui lòng ghi số văn bản quyết định (ví dụ 123/QĐ-UBND).",
    )?;
    let entry = actor.entry("function.end", "unit_function", Some(id));
    store::end_audited(db, id, on, Some(&decision), Utc::now(), &entry).await?;
    Ok(())
}

/// A unit's fields: those held on the day, the others (past or to come), and the overlaps
/// it is part of.
#[derive(Debug, Clone, Serialize)]
pub struct UnitFunctions {
    /// Held on the day.
    pub current: Vec<HeldField>,
    /// Held before or from a later day.
    pub other: Vec<HeldField>,
    /// Overlaps with other units of its territory.
    pub overlaps: Vec<Overlap>,
}

/// The fields of `unit` of `province` on `day`.
pub async fn of_unit(db: &Db, province: Id, unit: Id, day: NaiveDate) -> Result<UnitFunctions> {
    let rows = store::of_unit(db, unit).await?;
    let live = |r: &FunctionRow| r.valid_from <= day && r.valid_to.is_none_or(|t| t > day);
    let current: Vec<HeldField> = rows.iter().filter(|r| live(r)).map(held).collect();
    let other = rows.iter().filter(|r| !live(r)).map(held).collect();
    let overlaps = if current.is_empty() {
        Vec::new()
    } else {
        province_findings(db, province, day)
            .await?
            .overlaps
            .into_iter()
            .filter(|o| o.units.iter().any(|(id, _)| *id == unit))
            .collect()
    };
    Ok(UnitFunctions {
        current,
        other,
        overlaps,
    })
}

/// The functions findings of a province on a day.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Findings {
    /// Fields held that day.
    pub held: usize,
    /// Catalogue fields nobody holds (empty while the province has recorded none: the gap
    /// check needs a register to check).
    pub gaps: Vec<Gap>,
    /// Fields held twice in one territory.
    pub overlaps: Vec<Overlap>,
}

/// The territory of `u`: the commune, ward, special zone or district it belongs to, else
/// its province; and the units above it.
fn place(
    reg: &RegisterSnapshot,
    by_id: &HashMap<Id, usize>,
    province: Id,
    unit: Id,
) -> (Id, Vec<Id>) {
    let mut ancestors = Vec::new();
    let mut territory = None;
    let mut cur = Some(unit);
    while let Some(id) = cur {
        let Some(u) = by_id.get(&id).map(|i| &reg.units[*i]) else {
            break;
        };
        if territory.is_none() && u.kind.level() != Level::Province {
            territory = Some(u.id);
        }
        if u.kind == UnitKind::Province && u.parent_id.is_none() {
            territory = territory.or(Some(u.id));
        }
        cur = u.parent_id;
        if let Some(p) = cur {
            if ancestors.contains(&p) || p == unit {
                break;
            }
            ancestors.push(p);
        }
    }
    (territory.unwrap_or(province), ancestors)
}

/// Gaps and overlaps of `province` on `day`.
pub async fn province_findings(db: &Db, province: Id, day: NaiveDate) -> Result<Findings> {
    province_findings_on(db.into(), province, day).await
}

/// [`province_findings`] on any executor (a scenario's simulation reads inside its
/// transaction).
pub async fn province_findings_on(
    mut db: tinhgon_store::tx::Exec<'_>,
    province: Id,
    day: NaiveDate,
) -> Result<Findings> {
    let rows = store::held_on(db.reborrow(), Some(province), day).await?;
    if rows.is_empty() {
        return Ok(Findings::default());
    }
    let reg = register::load_register(db.reborrow(), province).await?;
    let by_id: HashMap<Id, usize> = reg
        .units
        .iter()
        .enumerate()
        .map(|(i, u)| (u.id, i))
        .collect();
    let holdings: Vec<Holding> = rows
        .iter()
        .map(|r| {
            let (territory, ancestors) = place(&reg, &by_id, province, r.unit_id);
            Holding {
                unit_id: r.unit_id,
                unit_name: by_id
                    .get(&r.unit_id)
                    .map(|i| reg.units[*i].name.clone())
                    .unwrap_or_default(),
                territory,
                ancestors,
                field_code: r.field_code.clone(),
            }
        })
        .collect();
    // The catalogue is of provincial departments: only the province's own bodies fill it.
    let provincial: Vec<Holding> = holdings
        .iter()
        .filter(|h| h.territory == province)
        .cloned()
        .collect();
    Ok(Findings {
        held: rows.len(),
        gaps: catalogue::gaps(catalogue::catalogue(), &provincial, day),
        overlaps: catalogue::overlaps(&holdings),
    })
}

/// The catalogue fields, for the pages' choices: (code, "field — department").
pub fn choices() -> Vec<(String, String)> {
    catalogue::catalogue()
        .iter()
        .map(|f| (f.code.clone(), format!("{} — {}", f.field, f.department)))
        .collect()
}

/// Gives each department of `province` in force on `day` the catalogue fields the decrees
/// assign to a department of its name, from `day` on, under `decision`; nothing when the
/// province already has a functions register. Returns the fields written. For the demo and
/// a province's first load, run by the operator (audited as the system).
pub async fn seed_from_catalogue(
    db: &Db,
    province: Id,
    day: NaiveDate,
    decision: &str,
) -> Result<usize> {
    if !store::held_on(db, Some(province), day).await?.is_empty() {
        return Ok(0);
    }
    let mut n = 0;
    for u in register::units_as_of(db, province, day).await? {
        if u.kind != UnitKind::Department {
            continue;
        }
        for f in catalogue::of_department(&u.name) {
            let new = NewFunction {
                unit_id: u.id,
                field_code: f.code.clone(),
                duties: None,
                legal_source: f.citation.clone(),
                valid_from: day.max(f.valid_from),
                decision: Some(decision.to_string()),
                actor: None,
            };
            let entry = tinhgon_store::audit::AuditEntry::system(
                "function.add",
                "unit_function",
                None,
                serde_json::json!({ "seed": "catalogue" }),
            );
            store::add_audited(db, &new, Utc::now(), &entry).await?;
            n += 1;
        }
    }
    Ok(n)
}
