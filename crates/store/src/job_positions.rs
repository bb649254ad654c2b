//! Job positions (vị trí việc làm) of the units, and what a restructuring event carries from
//! the ceasing units' staffing ledgers (quotas, headcounts, positions) to the units that carry
//! on, read and written inside the event's own transaction.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use tinhgon_domain::event::{EventKind, RestructuringEvent};
use tinhgon_domain::job_positions::{carry, Holdings, JobPosition, PositionGroup};
use tinhgon_domain::model::Id;
use tinhgon_domain::register::ceasing;
use tinhgon_domain::staffing::{StaffCategory, StaffLine};

use crate::audit::{audited, AuditEntry};
use crate::error::{Result, StoreError};
use crate::staffing::Scope;
use crate::tx::{query, Tx};
use crate::Db;

/// A stored position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PositionRecord {
    /// Identifier.
    pub id: Id,
    /// Its unit.
    pub unit_id: Id,
    /// The position.
    pub position: JobPosition,
}

type PositionRow = (
    i64,
    i64,
    String,
    String,
    Option<String>,
    i64,
    Option<String>,
);

fn record(row: PositionRow) -> Result<PositionRecord> {
    let (id, unit_id, title, group, rank, people, decision) = row;
    Ok(PositionRecord {
        id,
        unit_id,
        position: JobPosition {
            title,
            group: PositionGroup::parse(&group)
                .ok_or_else(|| StoreError::Corrupt(format!("nhóm vị trí không hợp lệ: {group}")))?,
            rank,
            people: u32::try_from(people)
                .map_err(|_| StoreError::Corrupt(format!("số người không hợp lệ: {people}")))?,
            decision,
        },
    })
}

const COLUMNS: &str = "f.id, f.unit_id, f.title, f.position_group, f.rank, f.people, f.decision";

/// The positions of `scope`, by unit, group and title.
pub async fn positions(db: &Db, scope: Scope) -> Result<Vec<PositionRecord>> {
    let (cond, id) = match scope {
        Scope::Unit(u) => ("f.unit_id = $1", u),
        Scope::Province(p) => (
            "f.unit_id IN (SELECT id FROM units WHERE province_id = $1 OR id = $1)",
            p,
        ),
    };
    let rows: Vec<PositionRow> = query(&format!(
        "SELECT {COLUMNS} FROM job_positions f WHERE {cond} ORDER BY f.unit_id, \
         CASE f.position_group WHEN 'leadership' THEN 0 WHEN 'professional' THEN 1 ELSE 2 END, f.title, f.id"
    ))
    .bind(id)
    .fetch_all(db)
    .await?;
    rows.into_iter().map(record).collect()
}

/// One position (None when there is no such position).
pub async fn position(db: &Db, id: Id) -> Result<Option<PositionRecord>> {
    let row: Option<PositionRow> = query(&format!(
        "SELECT {COLUMNS} FROM job_positions f WHERE f.id = $1"
    ))
    .bind(id)
    .fetch_optional(db)
    .await?;
    row.map(record).transpose()
}

/// Adds a position to `unit` with its audit row (`after.position` set to the new id);
/// answers the id.
pub async fn add_audited(
    db: &Db,
    unit: Id,
    p: &JobPosition,
    by: Option<Id>,
    at: DateTime<Utc>,
    audit: &AuditEntry,
) -> Result<Id> {
    audited(db, at, async |tx| {
        let id = insert(tx, unit, p, None, by, at).await?;
        Ok((id, vec![audit.with_after("position", id)]))
    })
    .await
}

async fn insert(
    tx: &mut Tx,
    unit: Id,
    p: &JobPosition,
    event: Option<Id>,
    by: Option<Id>,
    at: DateTime<Utc>,
) -> Result<Id> {
    query(
        "INSERT INTO job_positions (unit_id, title, position_group, rank, people, decision, event_id, recorded_at, recorded_by) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(unit)
    .bind(p.title.as_str())
    .bind(p.group.as_str())
    .bind(&p.rank)
    .bind(p.people)
    .bind(&p.decision)
    .bind(event)
    .bind(at)
    .bind(by)
    .scalar(&mut *tx)
    .await
}

/// Replaces position `id` of `unit` with `p`, with its audit row. Not found when the position
/// is not `unit`'s.
pub async fn edit_audited(
    db: &Db,
    unit: Id,
    id: Id,
    p: &JobPosition,
    by: Option<Id>,
    at: DateTime<Utc>,
    audit: &AuditEntry,
) -> Result<()> {
    audited(db, at, async |tx| {
        let n = query(
            "UPDATE job_positions SET title = $1, position_group = $2, rank = $3, people = $4, decision = $5, \
             recorded_at = $6, recorded_by = $7 WHERE id = $8 AND unit_id = $9",
        )
        .bind(p.title.as_str())
        .bind(p.group.as_str())
        .bind(&p.rank)
        .bind(p.people)
        .bind(&p.decision)
        .bind(at)
        .bind(by)
        .bind(id)
        .bind(unit)
        .execute(&mut *tx)
        .await?;
        if n != 1 {
            return Err(StoreError::NotFound {
                what: "vị trí việc làm",
                id,
            });
        }
        Ok(((), vec![audit.clone()]))
    })
    .await
}

/// Removes position `id` of `unit`, with its audit row. Not found when it is not `unit`'s.
pub async fn remove_audited(
    db: &Db,
    unit: Id,
    id: Id,
    at: DateTime<Utc>,
    audit: &AuditEntry,
) -> Result<()> {
    audited(db, at, async |tx| {
        let n = query("DELETE FROM job_positions WHERE id = $1 AND unit_id = $2")
            .bind(id)
            .bind(unit)
            .execute(&mut *tx)
            .await?;
        if n != 1 {
            return Err(StoreError::NotFound {
                what: "vị trí việc làm",
                id,
            });
        }
        Ok(((), vec![audit.clone()]))
    })
    .await
}

/// Where holdings are read: the pool (a preview) or the event's transaction.
enum Source<'a> {
    Pool(&'a Db),
    Tx(&'a mut Tx),
}

impl Source<'_> {
    async fn rows<T: crate::tx::Record>(&mut self, sql: &str, units: &[Id]) -> Result<Vec<T>> {
        let q = query(sql).bind_all(units.iter().copied());
        match self {
            Source::Pool(db) => q.fetch_all(*db).await,
            Source::Tx(tx) => q.fetch_all(&mut **tx).await,
        }
    }
}

fn line(category: &str, paid: bool) -> Result<StaffLine> {
    let c = StaffCategory::parse(category)
        .ok_or_else(|| StoreError::Corrupt(format!("loại biên chế không hợp lệ: {category}")))?;
    Ok(StaffLine::of(c, paid))
}

fn count(n: i64) -> Result<u32> {
    u32::try_from(n).map_err(|_| StoreError::Corrupt(format!("số lượng không hợp lệ: {n}")))
}

/// What `units` hold on `day`: the latest quota year up to `day`'s year with its lines, the
/// latest headcount of each line up to `day`, their positions.
async fn holdings_in(
    mut on: Source<'_>,
    units: &[Id],
    day: NaiveDate,
) -> Result<HashMap<Id, Holdings>> {
    let mut out: HashMap<Id, Holdings> = HashMap::new();
    if units.is_empty() {
        return Ok(out);
    }
    let list = (1..=units.len())
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ");
    let quotas: Vec<(i64, i64, String, bool, i64)> = on
        .rows(
            &format!(
                "SELECT unit_id, year, category, state_budget_paid, count FROM staffing_quotas WHERE unit_id IN ({list})"
            ),
            units,
        )
        .await?;
    let year = i64::from(day.year());
    let mut latest: HashMap<Id, i64> = HashMap::new();
    for (u, y, ..) in quotas.iter().filter(|q| q.1 <= year) {
        let e = latest.entry(*u).or_insert(*y);
        *e = (*e).max(*y);
    }
    for (u, y, c, paid, n) in quotas {
        if latest.get(&u) != Some(&y) {
            continue;
        }
        let y = i32::try_from(y).map_err(|_| StoreError::Corrupt(format!("năm {y}")))?;
        let h = out.entry(u).or_default();
        h.quotas
            .get_or_insert_with(|| (y, BTreeMap::new()))
            .1
            .insert(line(&c, paid)?, count(n)?);
    }
    let heads: Vec<(i64, NaiveDate, String, bool, i64)> = on
        .rows(
            &format!(
                "SELECT unit_id, on_date, category, state_budget_paid, count FROM staffing_headcounts WHERE unit_id IN ({list})"
            ),
            units,
        )
        .await?;
    let mut newest: HashMap<(Id, StaffLine), (NaiveDate, u32)> = HashMap::new();
    for (u, d, c, paid, n) in heads.into_iter().filter(|h| h.1 <= day) {
        let key = (u, line(&c, paid)?);
        let n = count(n)?;
        let e = newest.entry(key).or_insert((d, n));
        if d >= e.0 {
            *e = (d, n);
        }
    }
    for ((u, l), (_, n)) in newest {
        out.entry(u).or_default().headcounts.insert(l, n);
    }
    let rows: Vec<PositionRow> = on
        .rows(
            &format!(
                "SELECT {COLUMNS} FROM job_positions f WHERE f.unit_id IN ({list}) ORDER BY f.id"
            ),
            units,
        )
        .await?;
    for r in rows {
        let r = record(r)?;
        out.entry(r.unit_id)
            .or_default()
            .positions
            .push((Some(r.id), r.position));
    }
    Ok(out)
}

/// The units that carry an event's staffing: none for a transfer (functions move, staff do
/// not) or a dissolution (no successor; the lineage of the targets gives its baseline to
/// nobody either), else the units that carry on, in id order (the first takes the remainders,
/// as in the lineage of the targets).
pub fn heirs(event: &RestructuringEvent) -> Vec<Id> {
    if matches!(event.kind, EventKind::Transfer | EventKind::Dissolve) {
        return Vec::new();
    }
    let gone = ceasing(event);
    let mut heirs: Vec<Id> = event
        .successors
        .iter()
        .copied()
        .filter(|s| !gone.contains(s))
        .collect();
    heirs.sort_unstable();
    heirs.dedup();
    heirs
}

/// What `units` hold on `day` as the ledger stands now (for an event's preview); ids that are
/// not stored yet (a preview's units to be created) hold nothing.
pub async fn holdings(db: &Db, units: &[Id], day: NaiveDate) -> Result<HashMap<Id, Holdings>> {
    let stored: Vec<Id> = units.iter().copied().filter(|u| *u > 0).collect();
    holdings_in(Source::Pool(db), &stored, day).await
}

/// Carries the ceasing units' quotas, headcounts and positions to the units that carry on, in
/// the event's transaction: quotas of the event's year with the event's decision as their
/// document, headcounts on its day, positions merged by title, group and rank. Answers the
/// figures written.
pub(crate) async fn carry_in(
    tx: &mut Tx,
    event: &RestructuringEvent,
    by: Option<Id>,
    at: DateTime<Utc>,
) -> Result<usize> {
    let heirs = heirs(event);
    if heirs.is_empty() {
        return Ok(0);
    }
    let gone = ceasing(event);
    let units: Vec<Id> = gone.iter().chain(heirs.iter()).copied().collect();
    let held = holdings_in(Source::Tx(&mut *tx), &units, event.effective).await?;
    let decision = format!(
        "{} ({})",
        event.decision.clone().unwrap_or_default(),
        event.kind.label_vi().to_lowercase()
    )
    .trim()
    .to_string();
    let year = event.effective.year();
    let mut written = 0;
    for h in carry(&gone, &heirs, &event.allocation, &held) {
        for q in &h.quotas {
            query(
                "INSERT INTO staffing_quotas (unit_id, year, category, state_budget_paid, count, decision, recorded_at, recorded_by) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (unit_id, year, category, state_budget_paid) DO UPDATE SET \
                 count = excluded.count, decision = excluded.decision, recorded_at = excluded.recorded_at, recorded_by = excluded.recorded_by",
            )
            .bind(h.heir).bind(year).bind(q.line.category.as_str()).bind(q.line.state_budget_paid)
            .bind(q.total).bind(decision.as_str()).bind(at).bind(by)
            .execute(&mut *tx).await?;
            written += 1;
        }
        for c in &h.headcounts {
            query(
                "INSERT INTO staffing_headcounts (unit_id, on_date, category, state_budget_paid, count, recorded_at, recorded_by) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (unit_id, on_date, category, state_budget_paid) DO UPDATE SET \
                 count = excluded.count, recorded_at = excluded.recorded_at, recorded_by = excluded.recorded_by",
            )
            .bind(h.heir).bind(event.effective).bind(c.line.category.as_str()).bind(c.line.state_budget_paid)
            .bind(c.total).bind(at).bind(by)
            .execute(&mut *tx).await?;
            written += 1;
        }
        for (id, p) in &h.positions {
            match id {
                Some(id) => {
                    query("UPDATE job_positions SET people = $1, recorded_at = $2, recorded_by = $3 WHERE id = $4")
                        .bind(p.people)
                        .bind(at)
                        .bind(by)
                        .bind(*id)
                        .execute(&mut *tx)
                        .await?;
                }
                None => {
                    let p = JobPosition {
                        decision: Some(decision.clone()),
                        ..p.clone()
                    };
                    insert(tx, h.heir, &p, Some(event.id), by, at).await?;
                }
            }
            written += 1;
        }
    }
    Ok(written)
}
