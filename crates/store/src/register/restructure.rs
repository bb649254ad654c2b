//! Restructuring events recorded in tinhgon: what a preview reads (open work, coordinating
//! roles, accounts, report requests and units under the units that cease), recording an event
//! with the monitor's choices (applied at once when its date has come, else scheduled), the
//! daily application of scheduled events, and cancelling one before its date.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::changes::{insert_unit, NewUnit};
use super::*;
use crate::audit::audited;
use crate::tx::Tx;

/// What the monitor chose in the preview, kept with a scheduled event so that the daily job
/// applies it as previewed. Units created by the event are written as `-1`, `-2` … (their
/// place in [`NewRestructuring::new_units`]) until they exist.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventPlan {
    /// Successor chosen for one open assignment.
    #[serde(default)]
    pub by_assignment: BTreeMap<Id, Id>,
    /// Successor of a ceasing unit for everything not chosen one by one (its open work
    /// created later, its coordinating roles, report requests, units under it, accounts).
    #[serde(default)]
    pub by_unit: BTreeMap<Id, Id>,
    /// An account of a ceasing unit: moved to a unit, or disabled (None).
    #[serde(default)]
    pub accounts: BTreeMap<Id, Option<Id>>,
    /// Units the event created (filled in when recorded; cancelling closes them again).
    #[serde(default)]
    pub created: Vec<Id>,
    /// A field (row of the functions register) of a ceasing unit: given to a unit, or ended
    /// (None). Fields not chosen go to their unit's successor.
    #[serde(default)]
    pub functions: BTreeMap<Id, Option<Id>>,
}

/// The unit `id` stands for: `-1`, `-2` … are the units the event created, in order.
fn created_id(id: Id, created: &[Id]) -> Id {
    usize::try_from(-id - 1)
        .ok()
        .and_then(|i| created.get(i).copied())
        .unwrap_or(id)
}

impl EventPlan {
    fn resolve(&mut self, created: &[Id]) {
        let real = |id: Id| created_id(id, created);
        for v in self.by_assignment.values_mut() {
            *v = real(*v);
        }
        for v in self.by_unit.values_mut() {
            *v = real(*v);
        }
        for v in self.accounts.values_mut().flatten() {
            *v = real(*v);
        }
        for v in self.functions.values_mut().flatten() {
            *v = real(*v);
        }
        self.created = created.to_vec();
    }
}

/// An event to record, with everything the preview decided.
#[derive(Debug, Clone)]
pub struct NewRestructuring {
    /// Province.
    pub province_id: Id,
    /// Kind.
    pub kind: EventKind,
    /// Units that cease or give up functions.
    pub predecessors: Vec<Id>,
    /// Existing units that carry on.
    pub successors: Vec<Id>,
    /// Units the event creates (successors too), valid from the effective date.
    pub new_units: Vec<NewUnit>,
    /// Deciding document number.
    pub decision: String,
    /// Its date.
    pub decision_date: Option<NaiveDate>,
    /// Who issued it.
    pub decision_issuer: Option<String>,
    /// Effective date.
    pub effective: NaiveDate,
    /// The monitor's choices.
    pub plan: EventPlan,
    /// A split's staffing allocation: each successor's percent (created units as `-1`, `-2` …
    /// like the plan); empty: equal shares.
    pub allocation: Vec<(Id, u32)>,
    /// Apply now (the date has come) rather than schedule.
    pub apply_now: bool,
    /// Account that recorded it.
    pub actor: Option<Id>,
}

/// What applying an event changed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ApplyOutcome {
    /// Open assignments moved to a successor.
    pub assignments: usize,
    /// Coordinating roles moved.
    pub coordinating: usize,
    /// Accounts moved to a successor.
    pub accounts_moved: usize,
    /// Accounts disabled.
    pub accounts_disabled: usize,
    /// Open report requests moved.
    pub report_requests: usize,
    /// Units moved under a successor.
    pub children: usize,
    /// Staffing figures written to the successors (quotas, headcounts, job positions).
    pub staffing: usize,
    /// Fields of the functions register moved to a successor or ended.
    pub functions: usize,
}

/// What recording an event did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded {
    /// The event.
    pub event_id: Id,
    /// Units it created.
    pub created: Vec<Id>,
    /// None when scheduled for a later date.
    pub applied: Option<ApplyOutcome>,
}

/// Records an event in one transaction: the units it creates, the event and its lineage, the
/// end date of the units that cease, and, when `apply_now`, its application. The audit entry
/// gets the event's id and what was applied.
pub async fn record_restructuring_audited(
    db: &Db,
    e: &NewRestructuring,
    now: DateTime<Utc>,
    audit: &AuditEntry,
) -> Result<Recorded> {
    audited(db, now, async |tx| {
        let (recorded, event) = record_in(tx, e, now).await?;
        let entry = record_entry(audit, e, &event, &recorded);
        Ok((recorded, vec![entry]))
    })
    .await
}

/// The audit row of a recorded event: what it changed and what was applied.
pub(crate) fn record_entry(
    audit: &AuditEntry,
    e: &NewRestructuring,
    event: &RestructuringEvent,
    recorded: &Recorded,
) -> AuditEntry {
    AuditEntry {
        object_id: Some(recorded.event_id),
        ..audit.clone()
    }
    .with_after("kind", e.kind.as_str())
    .with_after("predecessors", e.predecessors.clone())
    .with_after("successors", event.successors.clone())
    .with_after("effective", e.effective.to_string())
    .with_after("decision", e.decision.clone())
    .with_after(
        "applied",
        serde_json::to_value(&recorded.applied).unwrap_or(serde_json::Value::Null),
    )
}

/// Records an event inside an open transaction (see [`record_restructuring_audited`]); the
/// scenarios record several in one and simulate by rolling back.
pub(crate) async fn record_in(
    tx: &mut Tx,
    e: &NewRestructuring,
    now: DateTime<Utc>,
) -> Result<(Recorded, RestructuringEvent)> {
    {
        let mut created = Vec::new();
        for u in &e.new_units {
            created.push(insert_unit(tx, u, now).await?);
        }
        let mut plan = e.plan.clone();
        plan.resolve(&created);
        let successors: Vec<Id> = e.successors.iter().chain(created.iter()).copied().collect();
        let plan_json = serde_json::to_string(&plan)
            .map_err(|err| StoreError::Corrupt(format!("kế hoạch sắp xếp: {err}")))?;
        let id: i64 = query(
            "INSERT INTO restructuring_events (province_id, kind, decision, decision_date, decision_issuer, effective, plan_json, recorded_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        )
        .bind(e.province_id)
        .bind(e.kind.as_str())
        .bind(&e.decision)
        .bind(e.decision_date)
        .bind(&e.decision_issuer)
        .bind(e.effective)
        .bind(plan_json)
        .bind(e.actor)
        .bind(now)
        .scalar(&mut *tx)
        .await?;
        for p in &e.predecessors {
            query("INSERT INTO event_predecessors (event_id, unit_id) VALUES ($1, $2)")
                .bind(id)
                .bind(p)
                .execute(&mut *tx)
                .await?;
        }
        let allocation: Vec<(Id, u32)> = e
            .allocation
            .iter()
            .map(|(u, p)| (created_id(*u, &created), *p))
            .collect();
        for s in &successors {
            let percent = allocation
                .iter()
                .find(|(u, _)| u == s)
                .map(|(_, p)| i64::from(*p));
            query("INSERT INTO event_successors (event_id, unit_id, staff_percent) VALUES ($1, $2, $3)")
                .bind(id)
                .bind(s)
                .bind(percent)
                .execute(&mut *tx)
                .await?;
        }
        let event = RestructuringEvent {
            allocation,
            id,
            kind: e.kind,
            predecessors: e.predecessors.clone(),
            successors,
            decision: Some(e.decision.clone()),
            effective: e.effective,
        };
        for g in ceasing(&event) {
            // Checked here, not only in the preview: another monitor may have ended it since.
            let n = query("UPDATE units SET valid_to = $1 WHERE id = $2 AND valid_to IS NULL")
                .bind(e.effective)
                .bind(g)
                .execute(&mut *tx)
                .await?;
            if n != 1 {
                return Err(StoreError::Rejected(
                    "Một đơn vị trước sắp xếp đã có ngày kết thúc (có thể vừa được sự kiện khác ghi nhận); không có gì được ghi.".into(),
                ));
            }
        }
        let applied = if e.apply_now {
            Some(apply_in(tx, &event, &plan, e.actor, now).await?)
        } else {
            None
        };
        Ok((
            Recorded {
                event_id: id,
                created,
                applied,
            },
            event,
        ))
    }
}

/// The successor that takes over what a ceasing unit leaves and was not chosen one by one:
/// the monitor's choice, else the only unit that carries on.
fn default_successor(event: &RestructuringEvent, plan: &EventPlan, unit: Id) -> Option<Id> {
    if let Some(s) = plan.by_unit.get(&unit) {
        return Some(*s);
    }
    let gone = ceasing(event);
    let carry: Vec<Id> = event
        .successors
        .iter()
        .copied()
        .filter(|s| !gone.contains(s))
        .collect();
    match carry.as_slice() {
        [one] if event.kind != EventKind::Transfer => Some(*one),
        _ => None,
    }
}

/// Applies an event inside an open transaction (see [`ApplyOutcome`]); history rows stay
/// attributed to the old unit.
pub(crate) async fn apply_in(
    tx: &mut Tx,
    event: &RestructuringEvent,
    plan: &EventPlan,
    actor: Option<Id>,
    now: DateTime<Utc>,
) -> Result<ApplyOutcome> {
    let gone = ceasing(event);
    // A transfer moves only the assignments chosen one by one; an event that ends units
    // moves all of their open work.
    let from: Vec<Id> = if event.kind == EventKind::Transfer {
        event.predecessors.clone()
    } else {
        gone.clone()
    };
    let mut open: Vec<Assignment> = Vec::new();
    for unit in &from {
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
                status: Status::parse(&status)
                    .ok_or_else(|| StoreError::Corrupt(format!("trạng thái {status}")))?,
                created_at,
            });
        }
    }
    let reroutes: Vec<tinhgon_domain::event::Reroute> = if event.kind == EventKind::Transfer {
        open.iter()
            .filter_map(|a| {
                plan.by_assignment
                    .get(&a.id)
                    .map(|to| tinhgon_domain::event::Reroute {
                        assignment_id: a.id,
                        from_unit: a.unit_id,
                        to_unit: *to,
                    })
            })
            .collect()
    } else {
        let mut by_unit = plan.by_unit.clone();
        for g in &gone {
            if let Some(s) = default_successor(event, plan, *g) {
                by_unit.entry(*g).or_insert(s);
            }
        }
        let choices = SuccessorChoices {
            by_assignment: plan.by_assignment.clone(),
            by_unit,
        };
        tinhgon_domain::apply_event(event, &open, &choices)
            .map_err(|e| StoreError::Rejected(e.to_string()))?
    };
    let status_of: HashMap<Id, &'static str> =
        open.iter().map(|a| (a.id, a.status.as_str())).collect();
    let note = format!(
        "Chuyển sang đơn vị kế thừa theo {} {}",
        event.kind.label_vi().to_lowercase(),
        event.decision.clone().unwrap_or_default()
    );
    super::reroute::move_open_work(tx, &reroutes, &status_of, event.id, actor, now, |_| {
        note.clone()
    })
    .await?;
    let mut out = ApplyOutcome {
        assignments: reroutes.len(),
        ..ApplyOutcome::default()
    };
    for g in &gone {
        let heir = default_successor(event, plan, *g);
        if let Some(to) = heir {
            out.coordinating += usize::try_from(
                query(
                    "UPDATE task_coordinators SET unit_id = $1 WHERE unit_id = $2 \
                 AND EXISTS (SELECT 1 FROM assignments a WHERE a.task_id = task_coordinators.task_id AND a.status NOT IN ('done', 'cancelled')) \
                 AND NOT EXISTS (SELECT 1 FROM task_coordinators c2 WHERE c2.task_id = task_coordinators.task_id AND c2.unit_id = $1)",
                )
                .bind(to)
                .bind(*g)
                .execute(&mut *tx)
                .await?,
            )
            .unwrap_or(0);
            // What is left is a role the successor already holds on the same task: the ceasing
            // unit's copy goes, so that no report lists a unit that no longer exists.
            out.coordinating += usize::try_from(
                query(
                    "DELETE FROM task_coordinators WHERE unit_id = $1 \
                 AND EXISTS (SELECT 1 FROM assignments a WHERE a.task_id = task_coordinators.task_id AND a.status NOT IN ('done', 'cancelled'))",
                )
                .bind(*g)
                .execute(&mut *tx)
                .await?,
            )
            .unwrap_or(0);
            out.report_requests += usize::try_from(
                query(
                    "UPDATE report_requests SET unit_id = $1 WHERE unit_id = $2 AND state = 'open' \
                 AND NOT EXISTS (SELECT 1 FROM report_requests r2 WHERE r2.unit_id = $1 AND r2.plan_id = report_requests.plan_id \
                 AND r2.period_start = report_requests.period_start AND r2.period_end = report_requests.period_end AND r2.cutoff = report_requests.cutoff)",
                )
                .bind(to)
                .bind(*g)
                .execute(&mut *tx)
                .await?,
            )
            .unwrap_or(0);
            // Left open: a request for a period the successor is already asked to report on
            // (two units merged into one). The successor reports once; the ceasing unit's
            // unanswered copy goes (one with a report version stays, as history).
            out.report_requests += usize::try_from(
                query(
                    "DELETE FROM report_requests WHERE unit_id = $1 AND state = 'open' \
                 AND NOT EXISTS (SELECT 1 FROM agency_reports r WHERE r.request_id = report_requests.id)",
                )
                .bind(*g)
                .execute(&mut *tx)
                .await?,
            )
            .unwrap_or(0);
            out.children += usize::try_from(
                query("UPDATE units SET parent_id = $1 WHERE parent_id = $2 AND (valid_to IS NULL OR valid_to > $3)")
                    .bind(to)
                    .bind(*g)
                    .bind(event.effective)
                    .execute(&mut *tx)
                    .await?,
            )
            .unwrap_or(0);
        }
        let users: Vec<i64> =
            query("SELECT id FROM users WHERE unit_id = $1 AND active = $2 ORDER BY id")
                .bind(*g)
                .bind(true)
                .scalars(&mut *tx)
                .await?;
        for u in users {
            match plan.accounts.get(&u).copied().unwrap_or(heir) {
                Some(to) => {
                    query("UPDATE users SET unit_id = $1 WHERE id = $2")
                        .bind(to)
                        .bind(u)
                        .execute(&mut *tx)
                        .await?;
                    out.accounts_moved += 1;
                }
                None => {
                    query("UPDATE users SET active = $1 WHERE id = $2")
                        .bind(false)
                        .bind(u)
                        .execute(&mut *tx)
                        .await?;
                    query("DELETE FROM sessions WHERE user_id = $1")
                        .bind(u)
                        .execute(&mut *tx)
                        .await?;
                    out.accounts_disabled += 1;
                }
            }
        }
    }
    out.staffing = crate::job_positions::carry_in(tx, event, actor, now).await?;
    let heirs: BTreeMap<Id, Id> = ceasing(event)
        .into_iter()
        .filter_map(|g| default_successor(event, plan, g).map(|s| (g, s)))
        .collect();
    out.functions = crate::functions::carry_in(tx, event, &plan.functions, &heirs, now).await?;
    query("UPDATE restructuring_events SET applied_at = $1, applied_by = $2 WHERE id = $3")
        .bind(now)
        .bind(actor)
        .bind(event.id)
        .execute(&mut *tx)
        .await?;
    let moved: Vec<Id> = reroutes.iter().map(|r| r.assignment_id).collect();
    crate::intervals::refresh_class_intervals(&mut *tx, &moved).await?;
    Ok(out)
}

async fn load_event(tx: &mut Tx, id: Id) -> Result<(RestructuringEvent, EventPlan, EventState)> {
    type Head = (
        i64,
        String,
        Option<String>,
        NaiveDate,
        Option<String>,
        Option<DateTime<Utc>>,
        Option<DateTime<Utc>>,
    );
    let head: Option<Head> = query(
        "SELECT id, kind, decision, effective, plan_json, applied_at, cancelled_at FROM restructuring_events WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?;
    let (id, kind, decision, effective, plan, applied, cancelled) =
        head.ok_or(StoreError::NotFound {
            what: "sự kiện sắp xếp",
            id,
        })?;
    let preds: Vec<(i64, i64)> = query(
        "SELECT event_id, unit_id FROM event_predecessors WHERE event_id = $1 ORDER BY unit_id",
    )
    .bind(id)
    .fetch_all(&mut *tx)
    .await?;
    let succs: Vec<Succ> = query(
        "SELECT event_id, unit_id, staff_percent FROM event_successors WHERE event_id = $1 ORDER BY unit_id",
    )
    .bind(id)
    .fetch_all(&mut *tx)
    .await?;
    let event = assemble_events(vec![(id, kind, decision, effective)], preds, succs)?
        .into_iter()
        .next()
        .ok_or(StoreError::NotFound {
            what: "sự kiện sắp xếp",
            id,
        })?;
    let plan: EventPlan = match plan {
        Some(p) => serde_json::from_str(&p)
            .map_err(|e| StoreError::Corrupt(format!("kế hoạch sắp xếp {id}: {e}")))?,
        None => EventPlan::default(),
    };
    let state = match (applied, cancelled) {
        (_, Some(_)) => EventState::Cancelled,
        (Some(_), _) => EventState::Applied,
        _ => EventState::Scheduled,
    };
    Ok((event, plan, state))
}

/// Where an event stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EventState {
    /// Recorded, waiting for its date.
    Scheduled,
    /// Applied.
    Applied,
    /// Cancelled before its date.
    Cancelled,
}

impl EventState {
    /// Vietnamese label.
    pub fn label_vi(self) -> &'static str {
        match self {
            EventState::Scheduled => "Chờ đến ngày hiệu lực",
            EventState::Applied => "Đã áp dụng",
            EventState::Cancelled => "Đã hủy",
        }
    }
}

/// The scheduled events of every province whose date has come by `today`, oldest first.
pub async fn due_events(db: &Db, today: NaiveDate) -> Result<Vec<Id>> {
    query("SELECT id FROM restructuring_events WHERE applied_at IS NULL AND cancelled_at IS NULL AND plan_json IS NOT NULL AND effective <= $1 ORDER BY effective, id")
        .bind(today)
        .scalars(db)
        .await
}

/// Applies one scheduled event whose date has come, as previewed, in one transaction with its
/// audit row. None when it is no longer scheduled (another instance applied it, or it was
/// cancelled).
pub async fn apply_scheduled_audited(
    db: &Db,
    id: Id,
    now: DateTime<Utc>,
    audit: &AuditEntry,
) -> Result<Option<ApplyOutcome>> {
    audited(db, now, async |tx| {
        let (event, plan, state) = load_event(tx, id).await?;
        if state != EventState::Scheduled || event.effective > tinhgon_domain::local_date(now) {
            return Ok((None, Vec::new()));
        }
        let out = apply_in(tx, &event, &plan, None, now).await?;
        let entry = AuditEntry {
            object_id: Some(id),
            ..audit.clone()
        }
        .with_after(
            "applied",
            serde_json::to_value(&out).unwrap_or(serde_json::Value::Null),
        );
        Ok((Some(out), vec![entry]))
    })
    .await
}

/// Cancels a scheduled event: the units it would have ended stay in force, the units it
/// created never exist (their validity becomes empty), and it no longer counts in lineage.
pub async fn cancel_event_audited(
    db: &Db,
    id: Id,
    actor: Option<Id>,
    now: DateTime<Utc>,
    audit: &AuditEntry,
) -> Result<()> {
    audited(db, now, async |tx| {
        let (event, plan, state) = load_event(tx, id).await?;
        match state {
            EventState::Applied => {
                return Err(StoreError::Rejected(
                    "Sự kiện đã được áp dụng, không thể hủy.".into(),
                ))
            }
            EventState::Cancelled => {
                return Err(StoreError::Rejected("Sự kiện đã được hủy trước đó.".into()))
            }
            EventState::Scheduled => {}
        }
        for g in ceasing(&event) {
            query("UPDATE units SET valid_to = NULL WHERE id = $1 AND valid_to = $2")
                .bind(g)
                .bind(event.effective)
                .execute(&mut *tx)
                .await?;
        }
        for c in &plan.created {
            query("UPDATE units SET valid_to = valid_from WHERE id = $1")
                .bind(*c)
                .execute(&mut *tx)
                .await?;
        }
        query("UPDATE restructuring_events SET cancelled_at = $1, cancelled_by = $2 WHERE id = $3")
            .bind(now)
            .bind(actor)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let entry = AuditEntry {
            object_id: Some(id),
            ..audit.clone()
        }
        .with_after("cancelled", true);
        Ok(((), vec![entry]))
    })
    .await
}

/// An event as the register pages list it.
#[derive(Debug, Clone)]
pub struct EventRow {
    /// The event with its lineage.
    pub event: RestructuringEvent,
    /// Where it stands (events loaded with the register count as applied).
    pub state: EventState,
    /// Date of the deciding document.
    pub decision_date: Option<NaiveDate>,
    /// Its issuer.
    pub decision_issuer: Option<String>,
}

/// The events of a province recorded in tinhgon or loaded with its register, latest first
/// (cancelled ones included).
pub async fn province_events(db: &Db, province: Id) -> Result<Vec<EventRow>> {
    type Row = (
        i64,
        String,
        Option<String>,
        NaiveDate,
        Option<String>,
        Option<DateTime<Utc>>,
        Option<DateTime<Utc>>,
        Option<NaiveDate>,
        Option<String>,
    );
    let rows: Vec<Row> = query("SELECT id, kind, decision, effective, plan_json, applied_at, cancelled_at, decision_date, decision_issuer FROM restructuring_events WHERE province_id = $1 ORDER BY effective DESC, id DESC")
        .bind(province)
        .fetch_all(db)
        .await?;
    let preds: Vec<(i64, i64)> = query("SELECT p.event_id, p.unit_id FROM event_predecessors p JOIN restructuring_events e ON e.id = p.event_id WHERE e.province_id = $1 ORDER BY p.event_id, p.unit_id")
        .bind(province)
        .fetch_all(db)
        .await?;
    let succs: Vec<Succ> = query("SELECT s.event_id, s.unit_id, s.staff_percent FROM event_successors s JOIN restructuring_events e ON e.id = s.event_id WHERE e.province_id = $1 ORDER BY s.event_id, s.unit_id")
        .bind(province)
        .fetch_all(db)
        .await?;
    let mut meta = HashMap::new();
    let mut heads = Vec::new();
    for (id, kind, decision, effective, plan, applied, cancelled, dd, di) in rows {
        let state = match (plan.is_some(), applied, cancelled) {
            (_, _, Some(_)) => EventState::Cancelled,
            (true, None, None) => EventState::Scheduled,
            _ => EventState::Applied,
        };
        meta.insert(id, (state, dd, di));
        heads.push((id, kind, decision, effective));
    }
    Ok(assemble_events(heads, preds, succs)?
        .into_iter()
        .filter_map(|event| {
            meta.remove(&event.id)
                .map(|(state, decision_date, decision_issuer)| EventRow {
                    event,
                    state,
                    decision_date,
                    decision_issuer,
                })
        })
        .collect())
}

/// The province an event belongs to (None for an unknown event).
pub async fn event_province(db: &Db, id: Id) -> Result<Option<Id>> {
    let p: Option<Option<i64>> =
        query("SELECT province_id FROM restructuring_events WHERE id = $1")
            .bind(id)
            .scalar_optional(db)
            .await?;
    Ok(p.flatten())
}

/// An open assignment a preview lists.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OpenWork {
    /// Assignment.
    pub id: i64,
    /// Its task.
    pub task_id: i64,
    /// Its unit.
    pub unit_id: i64,
    /// Plan number.
    pub plan_number: Option<String>,
    /// Task reference in the plan.
    pub task_ref: String,
    /// Task content.
    pub content: String,
}

/// A coordinating role a preview lists.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Coordinating {
    /// Task.
    pub task_id: i64,
    /// The coordinating unit.
    pub unit_id: i64,
    /// Plan number.
    pub plan_number: Option<String>,
    /// Task reference.
    pub task_ref: String,
}

/// An account a preview lists.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct UnitAccount {
    /// Account.
    pub id: i64,
    /// Sign-in name.
    pub login: String,
    /// Name shown.
    pub display_name: String,
    /// Its unit.
    pub unit_id: i64,
}

/// An open report request a preview lists.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OpenRequest {
    /// Request.
    pub id: i64,
    /// Unit asked.
    pub unit_id: i64,
    /// Plan number.
    pub plan_number: Option<String>,
    /// Period.
    pub period_label: String,
    /// Due date.
    pub due: NaiveDate,
}

/// What an event would touch under the units `units`.
#[derive(Debug, Clone, Default)]
pub struct Consequences {
    /// Their open assignments.
    pub open: Vec<OpenWork>,
    /// Their coordinating roles on tasks with open work.
    pub coordinating: Vec<Coordinating>,
    /// Their active accounts.
    pub accounts: Vec<UnitAccount>,
    /// Their open report requests.
    pub requests: Vec<OpenRequest>,
    /// Units under them in force on the date: (id, name, parent).
    pub children: Vec<(Id, String, Id)>,
}

/// Reads what an event on `units` effective `date` would touch (one read per kind).
pub async fn consequences(db: &Db, units: &[Id], date: NaiveDate) -> Result<Consequences> {
    if units.is_empty() {
        return Ok(Consequences::default());
    }
    let list = (1..=units.len())
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ");
    let open = query(&format!(
        "SELECT a.id, a.task_id, a.unit_id, p.number AS plan_number, t.ref AS task_ref, t.content FROM assignments a \
         JOIN tasks t ON t.id = a.task_id JOIN plans p ON p.id = a.plan_id \
         WHERE a.unit_id IN ({list}) AND a.status NOT IN ('done', 'cancelled') ORDER BY a.unit_id, a.id"
    ))
    .bind_all(units.iter().copied())
    .fetch_all(db)
    .await?;
    let coordinating = query(&format!(
        "SELECT c.task_id, c.unit_id, p.number AS plan_number, t.ref AS task_ref FROM task_coordinators c \
         JOIN tasks t ON t.id = c.task_id JOIN plans p ON p.id = t.plan_id \
         WHERE c.unit_id IN ({list}) AND EXISTS (SELECT 1 FROM assignments a WHERE a.task_id = c.task_id AND a.status NOT IN ('done', 'cancelled')) \
         ORDER BY c.unit_id, c.task_id"
    ))
    .bind_all(units.iter().copied())
    .fetch_all(db)
    .await?;
    let accounts = query(&format!(
        "SELECT id, login, display_name, unit_id FROM users WHERE unit_id IN ({list}) AND active = ${} ORDER BY unit_id, login",
        units.len() + 1
    ))
    .bind_all(units.iter().copied())
    .bind(true)
    .fetch_all(db)
    .await?;
    let requests = query(&format!(
        "SELECT r.id, r.unit_id, p.number AS plan_number, r.period_label, r.due FROM report_requests r \
         JOIN plans p ON p.id = r.plan_id WHERE r.unit_id IN ({list}) AND r.state = 'open' ORDER BY r.unit_id, r.due, r.id"
    ))
    .bind_all(units.iter().copied())
    .fetch_all(db)
    .await?;
    let children = query(&format!(
        "SELECT id, name, parent_id FROM units WHERE parent_id IN ({list}) AND (valid_to IS NULL OR valid_to > ${}) ORDER BY parent_id, name",
        units.len() + 1
    ))
    .bind_all(units.iter().copied())
    .bind(date)
    .fetch_all(db)
    .await?;
    Ok(Consequences {
        open,
        coordinating,
        accounts,
        requests,
        children,
    })
}
