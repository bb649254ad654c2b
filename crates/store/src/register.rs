//! The register of units with history: as-of queries and lineage. CSV import is in
//! [`csv_import`]; changes to single units in [`changes`]; restructuring events recorded with
//! a preview, scheduled, applied and cancelled in [`restructure`] (the older direct recording
//! in [`events`]).

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use chrono::{DateTime, NaiveDate, Utc};
use tinhgon_domain::event::{EventKind, RestructuringEvent};
use tinhgon_domain::import::{
    build_register, AliasRow, MergerRow, RegisterError, RegisterFile, UnitRow,
};
use tinhgon_domain::model::Id;
use tinhgon_domain::register::{ceasing, validate_event, SuccessorChoices};
use tinhgon_domain::unit::{Unit, UnitAlias, UnitKind};
use tinhgon_domain::{Assignment, Resolver, Status};

use crate::audit::AuditEntry;
use crate::error::{Result, StoreError};
use crate::tx::{query, Exec};
use crate::util::parse_enum;
use crate::Db;
use tinhgon_textkit::search_key;

mod changes;
mod csv_import;
mod events;
mod reroute;
mod restructure;
mod scenarios;
mod update;

pub use changes::*;
pub use csv_import::*;
pub use events::*;
pub use restructure::*;
pub use scenarios::*;
pub use update::*;

/// What a register import wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportSummary {
    /// The province (root unit).
    pub province_id: Id,
    /// Units written (listed and historical).
    pub units: usize,
    /// Events written.
    pub events: usize,
    /// Aliases written.
    pub aliases: usize,
    /// Rows skipped with a reason (not errors).
    pub warnings: Vec<String>,
}

/// The whole register of one province, as the domain rules want it.
#[derive(Debug, Clone, Default)]
pub struct RegisterSnapshot {
    /// Every unit, past and present.
    pub units: Vec<Unit>,
    /// Every restructuring event.
    pub events: Vec<RestructuringEvent>,
    /// Every alias.
    pub aliases: Vec<UnitAlias>,
}

impl RegisterSnapshot {
    /// An agency resolver over this register (lineage included).
    pub fn resolver(&self) -> Resolver {
        Resolver::new(&self.units, &self.aliases).with_events(&self.events)
    }
}

/// A unit's history: the unit, the events that created and ended it, and its lineage.
#[derive(Debug, Clone)]
pub struct UnitHistory {
    /// The unit.
    pub unit: Unit,
    /// Events in which it is a successor (it was formed or grew).
    pub formed_by: Vec<RestructuringEvent>,
    /// Events in which it is a predecessor (it ceased or gave up functions).
    pub ended_by: Vec<RestructuringEvent>,
    /// Units that flowed into it, through chains.
    pub predecessors: Vec<Unit>,
    /// Units that carry it on today, through chains.
    pub successors: Vec<Unit>,
    /// Assignments that moved away from it (assignment id, to unit id, when, plan number and
    /// task reference).
    pub moved_out: Vec<(Id, Id, DateTime<Utc>, String)>,
}

#[derive(sqlx::FromRow)]
struct UnitDbRow {
    id: i64,
    code: Option<String>,
    name: String,
    kind: String,
    level: String,
    parent_id: Option<i64>,
    valid_from: Option<NaiveDate>,
    valid_to: Option<NaiveDate>,
}

impl UnitDbRow {
    fn into_unit(self) -> Result<Unit> {
        Ok(Unit {
            id: self.id,
            code: self.code,
            name: self.name,
            kind: parse_enum(&self.kind)?,
            level: parse_enum(&self.level)?,
            parent_id: self.parent_id,
            valid_from: self.valid_from,
            valid_to: self.valid_to,
        })
    }
}

/// An event's own columns: id, kind, decision, effective.
type EventHead = (i64, String, Option<String>, NaiveDate);

/// An open assignment: id, task, unit, due, status, created.
type OpenRow = (i64, i64, i64, Option<NaiveDate>, String, DateTime<Utc>);

const UNIT_COLUMNS: &str = "id, code, name, kind, level, parent_id, valid_from, valid_to";

/// The root units (provinces) in the database: (id, name).
pub async fn provinces(db: &Db) -> Result<Vec<(Id, String)>> {
    let mut rows: Vec<(i64, String)> =
        query("SELECT id, name FROM units WHERE kind = 'province' AND parent_id IS NULL")
            .fetch_all(db)
            .await?;
    crate::web_queries::by_name(&mut rows);
    Ok(rows)
}

/// The name of the unit of `province_id` of `kind` whose folded name is `key`, in force now
/// (not closed), if there is one.
pub async fn current_unit_named(
    db: &Db,
    province_id: Id,
    kind: UnitKind,
    key: &str,
) -> Result<Option<String>> {
    query(
        "SELECT name FROM units WHERE province_id = $1 AND kind = $2 AND folded_name = $3 AND valid_to IS NULL ORDER BY id LIMIT 1",
    )
    .bind(province_id)
    .bind(kind.as_str())
    .bind(key)
    .scalar_optional(db)
    .await
}

/// The province a unit belongs to (None for an unknown unit).
pub async fn unit_province(db: &Db, unit_id: Id) -> Result<Option<Id>> {
    let row: Option<Option<i64>> = query("SELECT province_id FROM units WHERE id = $1")
        .bind(unit_id)
        .scalar_optional(db)
        .await?;
    Ok(row.flatten())
}

/// The province whose name or code matches (diacritics and case ignored).
pub async fn find_province(db: &Db, name_or_code: &str) -> Result<Option<Id>> {
    let id: Option<i64> = query(
            "SELECT id FROM units WHERE kind = 'province' AND parent_id IS NULL AND (folded_name = $1 OR folded_name = $2 OR code = $3) ORDER BY id LIMIT 1",
        )
        .bind(search_key(name_or_code))
        .bind(search_key(&format!("Tỉnh {name_or_code}")))
        .bind(name_or_code.trim())
        .scalar_optional(db)
        .await?;
    Ok(id)
}

/// One unit.
pub async fn unit(db: &Db, id: Id) -> Result<Unit> {
    let row: Option<UnitDbRow> = query(&format!("SELECT {UNIT_COLUMNS} FROM units WHERE id = $1"))
        .bind(id)
        .fetch_optional(db)
        .await?;
    row.ok_or(StoreError::NotFound {
        what: "đơn vị", id
    })?
    .into_unit()
}

/// Units of a province (the province included) valid on `date`, ordered by kind then name.
pub async fn units_as_of<'e>(
    db: impl Into<Exec<'e>>,
    province_id: Id,
    date: NaiveDate,
) -> Result<Vec<Unit>> {
    let rows: Vec<UnitDbRow> = query(&format!(
        "SELECT {UNIT_COLUMNS} FROM units WHERE province_id = $1 \
             AND (valid_from IS NULL OR valid_from <= $2) AND (valid_to IS NULL OR valid_to > $2) \
             ORDER BY id"
    ))
    .bind(province_id)
    .bind(date)
    .fetch_all(db)
    .await?;
    rows.into_iter().map(UnitDbRow::into_unit).collect()
}

/// Every unit, event and alias of a province.
pub async fn load_register<'e>(
    db: impl Into<Exec<'e>>,
    province_id: Id,
) -> Result<RegisterSnapshot> {
    type Loaded = (
        Vec<UnitDbRow>,
        Vec<EventHead>,
        Vec<(i64, i64)>,
        Vec<Succ>,
        Vec<(i64, String)>,
    );
    let mut db: Exec<'e> = db.into();
    let (units, events, preds, succs, aliases): Loaded = {
        let units = query(&format!(
            "SELECT {UNIT_COLUMNS} FROM units WHERE province_id = $1 ORDER BY id"
        ))
        .bind(province_id)
        .fetch_all(db.reborrow())
        .await?;
        let events = query("SELECT id, kind, decision, effective FROM restructuring_events WHERE province_id = $1 AND cancelled_at IS NULL ORDER BY effective, id")
            .bind(province_id)
            .fetch_all(db.reborrow())
            .await?;
        let preds = query("SELECT p.event_id, p.unit_id FROM event_predecessors p JOIN restructuring_events e ON e.id = p.event_id WHERE e.province_id = $1 ORDER BY p.event_id, p.unit_id")
            .bind(province_id)
            .fetch_all(db.reborrow())
            .await?;
        let succs = query("SELECT s.event_id, s.unit_id, s.staff_percent FROM event_successors s JOIN restructuring_events e ON e.id = s.event_id WHERE e.province_id = $1 ORDER BY s.event_id, s.unit_id")
            .bind(province_id)
            .fetch_all(db.reborrow())
            .await?;
        let aliases = query("SELECT a.unit_id, a.alias FROM unit_aliases a JOIN units u ON u.id = a.unit_id WHERE u.province_id = $1 ORDER BY a.id")
            .bind(province_id)
            .fetch_all(db.reborrow())
            .await?;
        (units, events, preds, succs, aliases)
    };
    let units = units
        .into_iter()
        .map(UnitDbRow::into_unit)
        .collect::<Result<Vec<_>>>()?;
    let events = assemble_events(events, preds, succs)?;
    let aliases = aliases
        .into_iter()
        .map(|(unit_id, alias)| UnitAlias { alias, unit_id })
        .collect();
    Ok(RegisterSnapshot {
        units,
        events,
        aliases,
    })
}

/// A successor row: event, unit, its percent of the staffing allocation.
type Succ = (i64, i64, Option<i64>);

fn assemble_events(
    events: Vec<EventHead>,
    preds: Vec<(i64, i64)>,
    succs: Vec<Succ>,
) -> Result<Vec<RestructuringEvent>> {
    let mut by_id: BTreeMap<i64, RestructuringEvent> = BTreeMap::new();
    let mut order = Vec::new();
    for (id, kind, decision, effective) in events {
        let kind: EventKind = parse_enum(&kind)?;
        order.push(id);
        by_id.insert(
            id,
            RestructuringEvent {
                id,
                kind,
                predecessors: vec![],
                successors: vec![],
                decision,
                effective,
                allocation: Vec::new(),
            },
        );
    }
    for (e, u) in preds {
        if let Some(ev) = by_id.get_mut(&e) {
            ev.predecessors.push(u);
        }
    }
    for (e, u, percent) in succs {
        if let Some(ev) = by_id.get_mut(&e) {
            ev.successors.push(u);
            if let Some(p) = percent {
                let p = u32::try_from(p)
                    .map_err(|_| StoreError::Corrupt(format!("tỷ lệ chia biên chế {p}")))?;
                ev.allocation.push((u, p));
            }
        }
    }
    Ok(order
        .into_iter()
        .filter_map(|id| by_id.remove(&id))
        .collect())
}

async fn province_of(db: &Db, unit_id: Id) -> Result<Id> {
    let p: Option<Option<i64>> = query("SELECT province_id FROM units WHERE id = $1")
        .bind(unit_id)
        .scalar_optional(db)
        .await?;
    match p {
        Some(Some(p)) => Ok(p),
        Some(None) => Ok(unit_id),
        None => Err(StoreError::NotFound {
            what: "đơn vị",
            id: unit_id,
        }),
    }
}

/// The units that carry `unit_id` on at `date`, following chains of events
/// (the unit itself when it still exists then).
pub async fn successors(db: &Db, unit_id: Id, date: NaiveDate) -> Result<Vec<Unit>> {
    let reg = load_register(db, province_of(db, unit_id).await?).await?;
    let ids = tinhgon_domain::successors(unit_id, date, &reg.events);
    Ok(pick(&reg.units, &ids))
}

fn pick(units: &[Unit], ids: &[Id]) -> Vec<Unit> {
    ids.iter()
        .filter_map(|id| units.iter().find(|u| u.id == *id).cloned())
        .collect()
}

/// A unit with the events that formed and ended it, its lineage, and the assignments that
/// moved away from it.
pub async fn unit_history(db: &Db, unit_id: Id) -> Result<UnitHistory> {
    let unit = unit(db, unit_id).await?;
    let reg = load_register(db, province_of(db, unit_id).await?).await?;
    let formed_by = reg
        .events
        .iter()
        .filter(|e| e.successors.contains(&unit_id))
        .cloned()
        .collect();
    let ended_by = reg
        .events
        .iter()
        .filter(|e| e.predecessors.contains(&unit_id))
        .cloned()
        .collect();
    let far = NaiveDate::MAX;
    let preds = tinhgon_domain::predecessors(unit_id, far, &reg.events);
    let succs = tinhgon_domain::successors(unit_id, far, &reg.events);
    let succs: Vec<Id> = succs.into_iter().filter(|s| *s != unit_id).collect();
    let moved_out: Vec<(i64, i64, DateTime<Utc>, String)> = query("SELECT r.assignment_id, r.to_unit_id, r.at, COALESCE(p.number, '') || ' ' || t.ref \
             FROM assignment_reroutes r JOIN assignments a ON a.id = r.assignment_id JOIN tasks t ON t.id = a.task_id \
             JOIN plans p ON p.id = a.plan_id WHERE r.from_unit_id = $1 ORDER BY r.at, r.id")
            .bind(unit_id)
            .fetch_all(db)
            .await?;
    Ok(UnitHistory {
        unit,
        formed_by,
        ended_by,
        predecessors: pick(&reg.units, &preds),
        successors: pick(&reg.units, &succs),
        moved_out,
    })
}
