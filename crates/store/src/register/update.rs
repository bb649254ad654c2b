//! A register update from a newer file, applied in one transaction: the units it adds, the
//! units moved under another parent, renamings and mergers as restructuring events (applied
//! at once when their date has come, else left for the daily job like any scheduled event),
//! and the units closed. Each step writes its change row or event, and its audit row.

use super::changes::{change_row, close_in, insert_unit, ChangeMeta, NewUnit};
use super::restructure::{apply_in, ApplyOutcome, EventPlan};
use super::*;
use crate::audit::audited;
use crate::tx::Tx;

/// A unit a step points at: one of the register, or the n-th unit this update adds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnitRef {
    /// A unit of the register.
    Unit(Id),
    /// The unit added by the n-th [`UpdateStep::Add`] (0-based, in step order).
    Added(usize),
}

/// One change of a register update.
#[derive(Debug, Clone)]
pub enum UpdateStep {
    /// A unit added.
    Add {
        /// Name.
        name: String,
        /// Official code.
        code: Option<String>,
        /// Kind.
        kind: UnitKind,
        /// Parent.
        parent: UnitRef,
        /// First day.
        valid_from: NaiveDate,
    },
    /// A unit moved under another parent.
    Move {
        /// The unit.
        unit: Id,
        /// New parent.
        parent: UnitRef,
    },
    /// A unit renamed: a rename event whose new unit carries the old one's parent, kind,
    /// code and autonomy group.
    Rename {
        /// The unit.
        unit: Id,
        /// New name.
        name: String,
        /// Its first day.
        effective: NaiveDate,
    },
    /// Units merged into another (a consolidation when it is one this update adds).
    Merge {
        /// Units that cease.
        predecessors: Vec<Id>,
        /// Their successor.
        successor: UnitRef,
        /// The day.
        effective: NaiveDate,
        /// The deciding document the file cites, if any (else the update's).
        decision: Option<String>,
    },
    /// A unit closed from the update's date.
    Close {
        /// The unit.
        unit: Id,
    },
}

/// A register update to apply.
#[derive(Debug, Clone)]
pub struct RegisterUpdate {
    /// Province.
    pub province_id: Id,
    /// Deciding document number.
    pub decision: String,
    /// Its date.
    pub decision_date: NaiveDate,
    /// The day moves and closures take effect.
    pub effective: NaiveDate,
    /// Today: events dated later are scheduled, not applied.
    pub today: NaiveDate,
    /// The changes, in order (a unit added before anything that points at it).
    pub steps: Vec<UpdateStep>,
    /// Account that applied it (None: the command line).
    pub actor: Option<Id>,
}

/// What an update did.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct UpdateOutcome {
    /// Units added.
    pub added: Vec<Id>,
    /// Units moved.
    pub moved: usize,
    /// Events recorded (renamings and mergers).
    pub events: Vec<Id>,
    /// Units closed.
    pub closed: usize,
    /// What the events applied at once moved (open work, accounts …), summed.
    pub applied: ApplyOutcome,
}

fn add_outcome(total: &mut ApplyOutcome, o: &ApplyOutcome) {
    total.assignments += o.assignments;
    total.coordinating += o.coordinating;
    total.accounts_moved += o.accounts_moved;
    total.accounts_disabled += o.accounts_disabled;
    total.report_requests += o.report_requests;
    total.children += o.children;
    total.staffing += o.staffing;
    total.functions += o.functions;
}

/// Applies `u` in one transaction; `audit` is the base of every audit row (one per step, and
/// a summary row on the province). Any failure writes nothing.
pub async fn apply_register_update_audited(
    db: &Db,
    u: &RegisterUpdate,
    now: DateTime<Utc>,
    audit: &AuditEntry,
) -> Result<UpdateOutcome> {
    audited(db, now, async |tx| {
        let meta = |effective: NaiveDate| ChangeMeta {
            effective,
            decision: Some(u.decision.clone()),
            actor: u.actor,
            at: now,
        };
        let mut out = UpdateOutcome::default();
        let mut entries = Vec::new();
        let real = |r: UnitRef, added: &[Id]| -> Result<Id> {
            match r {
                UnitRef::Unit(id) => Ok(id),
                UnitRef::Added(i) => added.get(i).copied().ok_or_else(|| {
                    StoreError::Rejected("Đơn vị cha mới chưa được thêm trước.".into())
                }),
            }
        };
        for step in &u.steps {
            match step {
                UpdateStep::Add {
                    name,
                    code,
                    kind,
                    parent,
                    valid_from,
                } => {
                    let new = NewUnit {
                        name: name.clone(),
                        code: code.clone(),
                        kind: *kind,
                        parent_id: real(*parent, &out.added)?,
                        province_id: u.province_id,
                        valid_from: *valid_from,
                        autonomy_group: None,
                        aliases: Vec::new(),
                    };
                    let id = insert_unit(tx, &new, now).await?;
                    let after = serde_json::json!({
                        "name": name, "kind": kind.as_str(), "parent_id": new.parent_id,
                        "valid_from": valid_from,
                    });
                    change_row(tx, id, "add", &meta(*valid_from), None, Some(after.clone()))
                        .await?;
                    entries.push(step_entry(audit, "add", "unit", id).with_after("unit", after));
                    out.added.push(id);
                }
                UpdateStep::Move { unit, parent } => {
                    let to = real(*parent, &out.added)?;
                    let before: Option<Option<i64>> =
                        query("SELECT parent_id FROM units WHERE id = $1 AND province_id = $2")
                            .bind(unit)
                            .bind(u.province_id)
                            .scalar_optional(&mut *tx)
                            .await?;
                    let before = before.ok_or(StoreError::NotFound {
                        what: "đơn vị",
                        id: *unit,
                    })?;
                    query("UPDATE units SET parent_id = $1 WHERE id = $2")
                        .bind(to)
                        .bind(unit)
                        .execute(&mut *tx)
                        .await?;
                    let (b, a) = (
                        serde_json::json!({ "parent_id": before }),
                        serde_json::json!({ "parent_id": to }),
                    );
                    change_row(tx, *unit, "move", &meta(u.effective), Some(b), Some(a)).await?;
                    entries.push(
                        step_entry(audit, "move", "unit", *unit)
                            .with_before("parent_id", before)
                            .with_after("parent_id", to),
                    );
                    out.moved += 1;
                }
                UpdateStep::Rename {
                    unit,
                    name,
                    effective,
                } => {
                    type Old = (Option<String>, String, Option<i64>, Option<i64>);
                    let (code, kind, parent, group): Old = query(
                        "SELECT code, kind, parent_id, autonomy_group FROM units WHERE id = $1 AND province_id = $2",
                    )
                    .bind(unit)
                    .bind(u.province_id)
                    .fetch_optional(&mut *tx)
                    .await?
                    .ok_or(StoreError::NotFound {
                        what: "đơn vị",
                        id: *unit,
                    })?;
                    let kind = UnitKind::ALL
                        .into_iter()
                        .find(|k| k.as_str() == kind)
                        .ok_or_else(|| StoreError::Corrupt(format!("loại đơn vị {kind}")))?;
                    let parent = parent.ok_or_else(|| {
                        StoreError::Rejected("Không đổi tên tỉnh bằng tệp danh mục.".into())
                    })?;
                    let new = NewUnit {
                        name: name.clone(),
                        code,
                        kind,
                        parent_id: parent,
                        province_id: u.province_id,
                        valid_from: *effective,
                        autonomy_group: group,
                        aliases: Vec::new(),
                    };
                    let created = insert_unit(tx, &new, now).await?;
                    let ev = event(tx, u, EventKind::Rename, &[*unit], created, *effective, None, &[created], now).await?;
                    add_outcome(&mut out.applied, &ev.1);
                    entries.push(
                        step_entry(audit, "rename", "restructuring_event", ev.0)
                            .with_after("predecessors", vec![*unit])
                            .with_after("successors", vec![created])
                            .with_after("name", name.clone())
                            .with_after("effective", effective.to_string()),
                    );
                    out.events.push(ev.0);
                }
                UpdateStep::Merge {
                    predecessors,
                    successor,
                    effective,
                    decision,
                } => {
                    let (to, kind, created) = match successor {
                        UnitRef::Unit(id) => (*id, EventKind::Merge, Vec::new()),
                        UnitRef::Added(_) => {
                            let id = real(*successor, &out.added)?;
                            (id, EventKind::Consolidate, vec![id])
                        }
                    };
                    let ev = event(tx, u, kind, predecessors, to, *effective, decision.as_deref(), &created, now).await?;
                    add_outcome(&mut out.applied, &ev.1);
                    entries.push(
                        step_entry(audit, kind.as_str(), "restructuring_event", ev.0)
                            .with_after("predecessors", predecessors.clone())
                            .with_after("successors", vec![to])
                            .with_after("effective", effective.to_string()),
                    );
                    out.events.push(ev.0);
                }
                UpdateStep::Close { unit } => {
                    let m = meta(u.effective);
                    if let Err(e) = close_in(tx, *unit, &m).await {
                        return Err(match e {
                            StoreError::Rejected(msg) => {
                                let name: String = query("SELECT name FROM units WHERE id = $1")
                                    .bind(unit)
                                    .scalar(&mut *tx)
                                    .await?;
                                StoreError::Rejected(format!("{name}: {msg}"))
                            }
                            other => other,
                        });
                    }
                    let a = serde_json::json!({ "valid_to": u.effective });
                    change_row(tx, *unit, "close", &m, None, Some(a)).await?;
                    entries.push(
                        step_entry(audit, "close", "unit", *unit)
                            .with_after("valid_to", u.effective.to_string()),
                    );
                    out.closed += 1;
                }
            }
        }
        let summary = AuditEntry {
            object_kind: "unit".into(),
            object_id: Some(u.province_id),
            ..audit.clone()
        }
        .with_after("decision", u.decision.clone())
        .with_after("decision_date", u.decision_date.to_string())
        .with_after("effective", u.effective.to_string())
        .with_after("added", out.added.len())
        .with_after("moved", out.moved)
        .with_after("events", out.events.len())
        .with_after("closed", out.closed);
        entries.push(summary);
        Ok((out, entries))
    })
    .await
}

fn step_entry(audit: &AuditEntry, change: &str, kind: &str, id: Id) -> AuditEntry {
    AuditEntry {
        object_kind: kind.into(),
        object_id: Some(id),
        ..audit.clone()
    }
    .with_after("change", change)
}

/// Records an event of the update with its lineage, ends its predecessors, and applies it
/// when its day has come (the only successor takes everything, as for any merger).
#[allow(clippy::too_many_arguments)]
async fn event(
    tx: &mut Tx,
    u: &RegisterUpdate,
    kind: EventKind,
    predecessors: &[Id],
    successor: Id,
    effective: NaiveDate,
    decision: Option<&str>,
    created: &[Id],
    now: DateTime<Utc>,
) -> Result<(Id, ApplyOutcome)> {
    let plan = EventPlan {
        created: created.to_vec(),
        ..EventPlan::default()
    };
    let plan_json = serde_json::to_string(&plan)
        .map_err(|err| StoreError::Corrupt(format!("kế hoạch sắp xếp: {err}")))?;
    let decision = decision.unwrap_or(&u.decision).to_string();
    let id: i64 = query(
        "INSERT INTO restructuring_events (province_id, kind, decision, decision_date, decision_issuer, effective, plan_json, recorded_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(u.province_id)
    .bind(kind.as_str())
    .bind(&decision)
    .bind(u.decision_date)
    .bind(None::<String>)
    .bind(effective)
    .bind(plan_json)
    .bind(u.actor)
    .bind(now)
    .scalar(&mut *tx)
    .await?;
    for p in predecessors {
        query("INSERT INTO event_predecessors (event_id, unit_id) VALUES ($1, $2)")
            .bind(id)
            .bind(p)
            .execute(&mut *tx)
            .await?;
        let n = query("UPDATE units SET valid_to = $1 WHERE id = $2 AND valid_to IS NULL AND province_id = $3")
            .bind(effective)
            .bind(p)
            .bind(u.province_id)
            .execute(&mut *tx)
            .await?;
        if n != 1 {
            return Err(StoreError::Rejected(
                "Một đơn vị trước sắp xếp đã có ngày kết thúc (có thể vừa được sự kiện khác ghi nhận); không có gì được ghi.".into(),
            ));
        }
    }
    query("INSERT INTO event_successors (event_id, unit_id, staff_percent) VALUES ($1, $2, $3)")
        .bind(id)
        .bind(successor)
        .bind(None::<i64>)
        .execute(&mut *tx)
        .await?;
    let ev = RestructuringEvent {
        allocation: Vec::new(),
        id,
        kind,
        predecessors: predecessors.to_vec(),
        successors: vec![successor],
        decision: Some(decision),
        effective,
    };
    let applied = if effective <= u.today {
        apply_in(tx, &ev, &plan, u.actor, now).await?
    } else {
        ApplyOutcome::default()
    };
    Ok((id, applied))
}
