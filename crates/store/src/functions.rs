//! The functions register as stored (`unit_functions`): which unit holds which field of the
//! catalogue, from when to when, with its duties, legal source and deciding document; a field
//! added or ended by the monitor (audited), and the fields a restructuring event carries to
//! the successors inside the event's transaction.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use tinhgon_domain::event::{EventKind, RestructuringEvent};
use tinhgon_domain::model::Id;
use tinhgon_domain::register::ceasing;

use crate::audit::{audited, AuditEntry};
use crate::error::{Result, StoreError};
use crate::tx::{query, Exec, Tx};
use crate::Db;

/// A field held by a unit.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct FunctionRow {
    /// Row id.
    pub id: Id,
    /// The unit.
    pub unit_id: Id,
    /// Catalogue code.
    pub field_code: String,
    /// The unit's duties in the field.
    pub duties: Option<String>,
    /// Where the duties are written.
    pub legal_source: String,
    /// First day it holds the field.
    pub valid_from: NaiveDate,
    /// First day it no longer does.
    pub valid_to: Option<NaiveDate>,
    /// Deciding document.
    pub decision: Option<String>,
    /// The event that gave it the field.
    pub event_id: Option<Id>,
    /// The event that took it away or ended it.
    pub ended_event_id: Option<Id>,
}

const COLUMNS: &str = "f.id, f.unit_id, f.field_code, f.duties, f.legal_source, f.valid_from, f.valid_to, f.decision, f.event_id, f.ended_event_id";

/// A field to give a unit.
#[derive(Debug, Clone)]
pub struct NewFunction {
    /// The unit.
    pub unit_id: Id,
    /// Catalogue code.
    pub field_code: String,
    /// Its duties in the field.
    pub duties: Option<String>,
    /// Where they are written.
    pub legal_source: String,
    /// First day.
    pub valid_from: NaiveDate,
    /// Deciding document.
    pub decision: Option<String>,
    /// Account that recorded it.
    pub actor: Option<Id>,
}

/// Every field a unit holds or held, oldest first.
pub async fn of_unit(db: &Db, unit: Id) -> Result<Vec<FunctionRow>> {
    query(&format!(
        "SELECT {COLUMNS} FROM unit_functions f WHERE f.unit_id = $1 ORDER BY f.valid_from, f.id"
    ))
    .bind(unit)
    .fetch_all(db)
    .await
}

/// One row.
pub async fn row(db: &Db, id: Id) -> Result<Option<FunctionRow>> {
    query(&format!(
        "SELECT {COLUMNS} FROM unit_functions f WHERE f.id = $1"
    ))
    .bind(id)
    .fetch_optional(db)
    .await
}

/// The fields held on `day` by the units of `province` in force that day (all provinces when
/// None).
pub async fn held_on<'e>(
    db: impl Into<Exec<'e>>,
    province: Option<Id>,
    day: NaiveDate,
) -> Result<Vec<FunctionRow>> {
    query(&format!(
        "SELECT {COLUMNS} FROM unit_functions f JOIN units u ON u.id = f.unit_id \
         WHERE ($1 IS NULL OR u.province_id = $1) AND f.valid_from <= $2 AND (f.valid_to IS NULL OR f.valid_to > $2) \
         AND (u.valid_from IS NULL OR u.valid_from <= $2) AND (u.valid_to IS NULL OR u.valid_to > $2) \
         ORDER BY f.unit_id, f.id"
    ))
    .bind(province)
    .bind(day)
    .fetch_all(db)
    .await
}

/// The fields `units` hold on `day` (the preview of an event reads the ceasing units').
pub async fn held_by(db: &Db, units: &[Id], day: NaiveDate) -> Result<Vec<FunctionRow>> {
    let mut out = Vec::new();
    for u in units {
        out.extend(
            query(&format!(
                "SELECT {COLUMNS} FROM unit_functions f WHERE f.unit_id = $1 \
                 AND f.valid_from <= $2 AND (f.valid_to IS NULL OR f.valid_to > $2) ORDER BY f.id"
            ))
            .bind(*u)
            .bind(day)
            .fetch_all::<FunctionRow>(db)
            .await?,
        );
    }
    Ok(out)
}

async fn holds(tx: &mut Tx, unit: Id, code: &str, day: NaiveDate) -> Result<bool> {
    let n: i64 = query(
        "SELECT COUNT(*) FROM unit_functions WHERE unit_id = $1 AND field_code = $2 \
         AND (valid_to IS NULL OR valid_to > $3)",
    )
    .bind(unit)
    .bind(code)
    .bind(day)
    .scalar(&mut *tx)
    .await?;
    Ok(n > 0)
}

async fn insert(tx: &mut Tx, f: &NewFunction, event: Option<Id>, now: DateTime<Utc>) -> Result<Id> {
    query(
        "INSERT INTO unit_functions (unit_id, field_code, duties, legal_source, valid_from, decision, event_id, recorded_at, recorded_by) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(f.unit_id)
    .bind(&f.field_code)
    .bind(&f.duties)
    .bind(&f.legal_source)
    .bind(f.valid_from)
    .bind(&f.decision)
    .bind(event)
    .bind(now)
    .bind(f.actor)
    .scalar(&mut *tx)
    .await
}

/// Gives a unit a field, with its audit row (`object_id` the new row). Refused when the unit
/// already holds the field then or later.
pub async fn add_audited(
    db: &Db,
    f: &NewFunction,
    now: DateTime<Utc>,
    audit: &AuditEntry,
) -> Result<Id> {
    audited(db, now, async |tx| {
        if holds(tx, f.unit_id, &f.field_code, f.valid_from).await? {
            return Err(StoreError::Rejected(
                "Đơn vị đã được giao lĩnh vực này; không có gì được ghi.".into(),
            ));
        }
        let id = insert(tx, f, None, now).await?;
        let entry = AuditEntry {
            object_id: Some(id),
            ..audit.clone()
        }
        .with_after("unit_id", f.unit_id)
        .with_after("field_code", f.field_code.clone())
        .with_after("valid_from", f.valid_from.to_string())
        .with_after("decision", f.decision.clone());
        Ok((id, vec![entry]))
    })
    .await
}

/// Ends a unit's field from `on` (its first day without it), with its audit row.
pub async fn end_audited(
    db: &Db,
    id: Id,
    on: NaiveDate,
    decision: Option<&str>,
    now: DateTime<Utc>,
    audit: &AuditEntry,
) -> Result<()> {
    audited(db, now, async |tx| {
        let n = query(
            "UPDATE unit_functions SET valid_to = $1, decision = COALESCE($2, decision) \
             WHERE id = $3 AND valid_from < $1 AND (valid_to IS NULL OR valid_to > $1)",
        )
        .bind(on)
        .bind(decision)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        if n != 1 {
            return Err(StoreError::Rejected(
                "Lĩnh vực không còn được giao vào ngày này, hoặc ngày kết thúc không sau ngày bắt đầu; không có gì được ghi.".into(),
            ));
        }
        let entry = AuditEntry {
            object_id: Some(id),
            ..audit.clone()
        }
        .with_after("valid_to", on.to_string())
        .with_after("decision", decision.map(str::to_string));
        Ok(((), vec![entry]))
    })
    .await
}

/// Carries the fields of the units an event ends (for a transfer, only the fields chosen)
/// inside its transaction: each ends on the event's date and, unless `chosen` marks it
/// ended (None), goes to the unit chosen for it or to its unit's successor in `heirs`; a
/// successor that already holds the field keeps its own. A field left with nowhere to go ends
/// (the gap check then shows it). Returns the fields moved or ended.
pub(crate) async fn carry_in(
    tx: &mut Tx,
    event: &RestructuringEvent,
    chosen: &BTreeMap<Id, Option<Id>>,
    heirs: &BTreeMap<Id, Id>,
    now: DateTime<Utc>,
) -> Result<usize> {
    let day_before = event.effective.pred_opt().unwrap_or(event.effective);
    let gone = ceasing(event);
    let from: Vec<Id> = if event.kind == EventKind::Transfer {
        event.predecessors.clone()
    } else {
        gone
    };
    let mut moved = 0;
    for unit in from {
        let rows: Vec<FunctionRow> = query(&format!(
            "SELECT {COLUMNS} FROM unit_functions f WHERE f.unit_id = $1 \
             AND f.valid_from <= $2 AND (f.valid_to IS NULL OR f.valid_to > $2) ORDER BY f.id"
        ))
        .bind(unit)
        .bind(day_before)
        .fetch_all(&mut *tx)
        .await?;
        for r in rows {
            let to = match chosen.get(&r.id) {
                Some(fate) => *fate,
                None if event.kind == EventKind::Transfer => continue,
                None => heirs.get(&unit).copied(),
            };
            query("UPDATE unit_functions SET valid_to = $1, ended_event_id = $2 WHERE id = $3")
                .bind(event.effective)
                .bind(event.id)
                .bind(r.id)
                .execute(&mut *tx)
                .await?;
            moved += 1;
            let Some(to) = to else { continue };
            if holds(tx, to, &r.field_code, event.effective).await? {
                continue;
            }
            let f = NewFunction {
                unit_id: to,
                field_code: r.field_code.clone(),
                duties: r.duties.clone(),
                legal_source: r.legal_source.clone(),
                valid_from: event.effective,
                decision: event.decision.clone(),
                actor: None,
            };
            insert(tx, &f, Some(event.id), now).await?;
        }
    }
    Ok(moved)
}
