//! Restructuring events: recording one against the register, and applying it (open
//! assignments move to the successor; history stays put).

use super::*;

/// A new restructuring event to record.
#[derive(Debug, Clone)]
pub struct NewEvent {
    /// Kind.
    pub kind: EventKind,
    /// Units that cease or change.
    pub predecessors: Vec<Id>,
    /// Units that carry on.
    pub successors: Vec<Id>,
    /// Deciding document.
    pub decision: Option<String>,
    /// Effective date.
    pub effective: NaiveDate,
}

/// Records an event in one transaction: checks it against the register (domain rules) and
/// ends the units that cease on its date. Open assignments move only with [`apply_event`].
pub async fn record_event(db: &Db, event: &NewEvent, now: DateTime<Utc>) -> Result<Id> {
    let first = event.predecessors.first().copied().ok_or_else(|| {
        StoreError::Rejected("sự kiện sắp xếp phải có ít nhất một đơn vị trước sắp xếp".into())
    })?;
    let province = province_of(db, first).await?;
    let reg = load_register(db, province).await?;
    let draft = RestructuringEvent {
        allocation: Vec::new(),
        id: 0,
        kind: event.kind,
        predecessors: event.predecessors.clone(),
        successors: event.successors.clone(),
        decision: event.decision.clone(),
        effective: event.effective,
    };
    validate_event(&draft, &reg.units).map_err(|e| StoreError::Rejected(e.to_string()))?;
    let gone = ceasing(&draft);
    let id = db.write(async |tx| {
        let id: i64 = query(
            "INSERT INTO restructuring_events (province_id, kind, decision, effective, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(province)
        .bind(event.kind.as_str())
        .bind(&event.decision)
        .bind(event.effective)
        .bind(now)
        .scalar(&mut *tx)
        .await?;
        for p in &event.predecessors {
            query("INSERT INTO event_predecessors (event_id, unit_id) VALUES ($1, $2)")
                .bind(id).bind(p).execute(&mut *tx).await?;
        }
        for s in &event.successors {
            query("INSERT INTO event_successors (event_id, unit_id) VALUES ($1, $2)")
                .bind(id).bind(s).execute(&mut *tx).await?;
        }
        for g in &gone {
            query("UPDATE units SET valid_to = $1 WHERE id = $2 AND (valid_to IS NULL OR valid_to > $1)")
                .bind(event.effective).bind(g).execute(&mut *tx).await?;
        }
        Ok(id)
    }).await?;
    Ok(id)
}

/// Applies an event in one transaction: every open assignment of a unit that ceases moves
/// to its successor (the monitor's `choices` where there are several), with a reroute row
/// and a history entry attributed to the old unit. Returns the reroutes made.
pub async fn apply_event(
    db: &Db,
    event_id: Id,
    choices: &SuccessorChoices,
    actor: Option<Id>,
    now: DateTime<Utc>,
) -> Result<Vec<tinhgon_domain::event::Reroute>> {
    let reroutes = db.write(async |tx| {
        let head: Option<EventHead> = query(
            "SELECT id, kind, decision, effective FROM restructuring_events WHERE id = $1",
        )
        .bind(event_id)
        .fetch_optional(&mut *tx)
        .await?;
        let head = head.ok_or(StoreError::NotFound { what: "sự kiện sắp xếp", id: event_id })?;
        let preds: Vec<(i64, i64)> = query("SELECT event_id, unit_id FROM event_predecessors WHERE event_id = $1 ORDER BY unit_id")
            .bind(event_id).fetch_all(&mut *tx).await?;
        let succs: Vec<Succ> = query("SELECT event_id, unit_id, staff_percent FROM event_successors WHERE event_id = $1 ORDER BY unit_id")
            .bind(event_id).fetch_all(&mut *tx).await?;
        let event = assemble_events(vec![head], preds, succs)?.remove(0);
        let gone = ceasing(&event);
        let mut open: Vec<Assignment> = Vec::new();
        for unit in &gone {
            let rows: Vec<OpenRow> = query(
                "SELECT id, task_id, unit_id, due, status, created_at FROM assignments \
                 WHERE unit_id = $1 AND status NOT IN ('done', 'cancelled') ORDER BY id",
            )
            .bind(unit)
            .fetch_all(&mut *tx)
            .await?;
            for (id, task_id, unit_id, due, status, created_at) in rows {
                open.push(Assignment {
                    id,
                    task_id,
                    unit_id,
                    via_group: None,
                    due,
                    status: Status::parse(&status).ok_or_else(|| StoreError::Corrupt(format!("trạng thái {status}")))?,
                    created_at,
                });
            }
        }
        let reroutes = tinhgon_domain::apply_event(&event, &open, choices)
            .map_err(|e| StoreError::Rejected(e.to_string()))?;
        let status_of: HashMap<Id, &'static str> =
            open.iter().map(|a| (a.id, a.status.as_str())).collect();
        super::reroute::move_open_work(&mut *tx, &reroutes, &status_of, event_id, actor, now, |r| {
            format!("chuyển sang đơn vị kế thừa (mã {}) theo sự kiện sắp xếp {}", r.to_unit, event_id)
        })
        .await?;
        query("UPDATE restructuring_events SET applied_at = $1, applied_by = $2 WHERE id = $3")
            .bind(now).bind(actor).bind(event_id).execute(&mut *tx).await?;
        let moved: Vec<Id> = reroutes.iter().map(|r| r.assignment_id).collect();
        crate::intervals::refresh_class_intervals(&mut *tx, &moved).await?;
        Ok(reroutes)
    }).await?;
    Ok(reroutes)
}
