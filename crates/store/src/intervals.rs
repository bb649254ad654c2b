//! The class-interval table (`assignment_class_intervals`, migration 0004): each assignment's
//! class as day intervals `[from_day, to_day)` with the unit responsible over them, computed
//! by the domain (`tinhgon_domain::timeline::class_intervals`). Counting any day, today or
//! past, is then an index range instead of replaying histories.
//!
//! The table is only right if every write that can change an assignment's class rewrites
//! the assignment's rows in the same transaction: [`refresh_class_intervals`] is called by
//! status changes, extension decisions, triggers, reroutes and publication. The same
//! transaction bumps the dashboard cache generation of the provinces touched
//! (`crate::dash_cache`).

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use tinhgon_domain::class::StatusClass;
use tinhgon_domain::classify::{ApprovedExtension, AssignmentFacts};
use tinhgon_domain::local_date;
use tinhgon_domain::model::Id;
use tinhgon_domain::timeline::class_intervals;
use tinhgon_domain::{DeadlineKind, Status, StatusChange};

use crate::column::Stored;
use crate::error::Result;
use crate::tx::{query, Tx};

/// `to_day` of an open-ended interval (a sentinel instead of NULL keeps `to_day > day` a
/// plain index range).
pub(crate) const OPEN_END: NaiveDate = match NaiveDate::from_ymd_opt(9999, 12, 31) {
    Some(d) => d,
    None => NaiveDate::MAX,
};

/// Ids per `IN (…)` list and rows per multi-row INSERT (well under both databases' limits
/// on bound parameters).
const CHUNK: usize = 400;

/// What is known of one assignment, enough to classify it on any day.
#[derive(Debug, Clone)]
pub(crate) struct Loaded {
    /// Province the assignment is counted in.
    pub province_id: Option<Id>,
    /// Responsible unit now.
    pub unit_id: Id,
    /// Current status.
    pub status: Status,
    /// When the current status is done: when, and the completion day.
    pub done: Option<(DateTime<Utc>, Option<NaiveDate>)>,
    /// Last update (None: unchanged since loaded).
    pub updated_at: Option<DateTime<Utc>>,
    /// The domain's facts (history in time order).
    pub facts: AssignmentFacts,
    /// Moves to successor units: (from, to, at), in time order.
    pub reroutes: Vec<(Id, Id, DateTime<Utc>)>,
}

/// One row of the interval table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct IntervalRow {
    /// First day.
    pub from: NaiveDate,
    /// First day after ([`OPEN_END`] when open-ended).
    pub to: NaiveDate,
    /// Class over the days.
    pub class: StatusClass,
    /// Unit responsible over the days.
    pub unit_id: Id,
}

/// The rows of one assignment: the domain's counted intervals, split where a reroute
/// changes the responsible unit (a reroute during day D makes the successor responsible
/// from D on, as the past-date view always answered).
pub(crate) fn interval_rows(l: &Loaded) -> Vec<IntervalRow> {
    let first_unit = l.reroutes.first().map_or(l.unit_id, |r| r.0);
    let mut units: Vec<(NaiveDate, Id)> = vec![(NaiveDate::MIN, first_unit)];
    for (_, to, at) in &l.reroutes {
        let day = local_date(*at);
        match units.last_mut() {
            Some(last) if last.0 == day => last.1 = *to,
            _ => units.push((day, *to)),
        }
    }
    let mut out = Vec::new();
    for iv in class_intervals(&l.facts) {
        let Some(class) = iv.class else { continue };
        let to = iv.to.unwrap_or(OPEN_END);
        for (i, (start, unit)) in units.iter().enumerate() {
            let end = units.get(i + 1).map_or(OPEN_END, |u| u.0);
            let from = iv.from.max(*start);
            let until = to.min(end);
            if from < until {
                match out.last_mut() {
                    Some(IntervalRow {
                        to: t,
                        class: c,
                        unit_id: u,
                        ..
                    }) if *t == from && *c == class && *u == *unit => {
                        *t = until;
                    }
                    _ => out.push(IntervalRow {
                        from,
                        to: until,
                        class,
                        unit_id: *unit,
                    }),
                }
            }
        }
    }
    out
}

/// Rewrites the class intervals of `ids` from their stored facts, in the caller's transaction.
pub(crate) async fn refresh_class_intervals(tx: &mut Tx, ids: &[Id]) -> Result<()> {
    if ids.is_empty() {
        return Ok(());
    }
    let loaded = load_assignments(tx, ids).await?;
    write_intervals(tx, ids, &loaded).await
}

/// `$1, $2, …, $n`.
pub(crate) fn placeholders(n: usize, first: usize) -> String {
    (first..first + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// What classification needs of one assignment and its task.
#[derive(sqlx::FromRow)]
struct HeadRow {
    id: Id,
    province_id: Option<Id>,
    unit_id: Id,
    status: Stored<Status>,
    created_at: DateTime<Utc>,
    deadline_kind: Stored<DeadlineKind>,
    due: Option<NaiveDate>,
    triggered_on: Option<NaiveDate>,
    condition_days: Option<i64>,
}

/// One history row of an assignment.
#[derive(sqlx::FromRow)]
struct ChangeRow {
    assignment_id: Id,
    from_status: Option<Stored<Status>>,
    to_status: Stored<Status>,
    actor_id: Option<Id>,
    at: DateTime<Utc>,
}

/// The facts of an assignment before its changes, extensions and reports are read, from its
/// task's deadline columns; condition days no deadline can have count as none.
pub(crate) fn fresh_facts(
    kind: Stored<DeadlineKind>,
    due: Option<NaiveDate>,
    triggered_on: Option<NaiveDate>,
    condition_days: Option<i64>,
    created_at: DateTime<Utc>,
) -> AssignmentFacts {
    let condition_days = condition_days.and_then(|d| u32::try_from(d).ok());
    AssignmentFacts::fresh(kind.0, due, triggered_on, condition_days, created_at)
}

fn head_to_loaded(h: HeadRow) -> (Id, Loaded) {
    let facts = fresh_facts(
        h.deadline_kind,
        h.due,
        h.triggered_on,
        h.condition_days,
        h.created_at,
    );
    let loaded = Loaded {
        province_id: h.province_id,
        unit_id: h.unit_id,
        status: h.status.0,
        done: None,
        updated_at: None,
        facts,
        reroutes: Vec::new(),
    };
    (h.id, loaded)
}

fn add_change(map: &mut HashMap<Id, Loaded>, row: ChangeRow) {
    if let Some(l) = map.get_mut(&row.assignment_id) {
        l.facts.history.push(StatusChange {
            assignment_id: row.assignment_id,
            from: row.from_status.map(|s| s.0),
            to: row.to_status.0,
            actor_id: row.actor_id,
            at: row.at,
            note: None,
        });
    }
}

/// Loads what classification needs for `ids` (missing ids are absent from the map).
pub(crate) async fn load_assignments(tx: &mut Tx, ids: &[Id]) -> Result<HashMap<Id, Loaded>> {
    let mut map: HashMap<Id, Loaded> = HashMap::with_capacity(ids.len());
    for chunk in ids.chunks(CHUNK) {
        let list = placeholders(chunk.len(), 1);
        let sql = format!(
                            "SELECT a.id, a.province_id, a.unit_id, a.status, a.created_at, t.deadline_kind, t.due, \
                             t.triggered_on, t.condition_days FROM assignments a JOIN tasks t ON t.id = a.task_id \
                             WHERE a.id IN ({list})"
                        );
        let q = query(&sql).bind_all(chunk.iter().copied());
        for h in q.fetch_all::<HeadRow>(&mut *tx).await? {
            let (id, l) = head_to_loaded(h);
            map.insert(id, l);
        }
        let sql = format!(
            "SELECT assignment_id, from_status, to_status, actor_id, at FROM status_changes \
                             WHERE assignment_id IN ({list}) ORDER BY assignment_id, at, id"
        );
        let q = query(&sql).bind_all(chunk.iter().copied());
        for row in q.fetch_all::<ChangeRow>(&mut *tx).await? {
            add_change(&mut map, row);
        }
        let sql = format!(
                            "SELECT assignment_id, new_due, decided_at FROM extension_requests \
                             WHERE assignment_id IN ({list}) AND state = 'approved' AND decided_at IS NOT NULL \
                             ORDER BY assignment_id, decided_at, id"
                        );
        let q = query(&sql).bind_all(chunk.iter().copied());
        for (id, due, decided_at) in q
            .fetch_all::<(i64, NaiveDate, DateTime<Utc>)>(&mut *tx)
            .await?
        {
            if let Some(l) = map.get_mut(&id) {
                l.facts
                    .extensions
                    .push(ApprovedExtension { due, decided_at });
            }
        }
        let sql = format!(
            "SELECT assignment_id, from_unit_id, to_unit_id, at FROM assignment_reroutes \
                             WHERE assignment_id IN ({list}) ORDER BY assignment_id, at, id"
        );
        let q = query(&sql).bind_all(chunk.iter().copied());
        for (id, from, to, at) in q
            .fetch_all::<(i64, i64, i64, DateTime<Utc>)>(&mut *tx)
            .await?
        {
            if let Some(l) = map.get_mut(&id) {
                l.reroutes.push((from, to, at));
            }
        }
    }
    Ok(map)
}

/// Replaces the interval rows of `ids` with those of `loaded` (ids absent from `loaded` lose
/// their rows).
pub(crate) async fn write_intervals(
    tx: &mut Tx,
    ids: &[Id],
    loaded: &HashMap<Id, Loaded>,
) -> Result<()> {
    let mut unique: Vec<Id> = ids.to_vec();
    unique.sort_unstable();
    unique.dedup();
    // The dashboards' cache of every province touched goes stale with this
    // transaction (status, due date, unit or class may have changed): the
    // provinces of the loaded assignments, and of the rows of any gone.
    let mut provinces: Vec<i64> = unique
        .iter()
        .filter_map(|id| loaded.get(id))
        .map(|l| l.province_id.unwrap_or(0))
        .collect();
    let gone: Vec<Id> = unique
        .iter()
        .copied()
        .filter(|id| !loaded.contains_key(id))
        .collect();
    for chunk in gone.chunks(CHUNK) {
        let sql = format!(
                            "SELECT DISTINCT COALESCE(province_id, 0) FROM assignment_class_intervals WHERE assignment_id IN ({})",
                            placeholders(chunk.len(), 1)
                        );
        let q = query(&sql).bind_all(chunk.iter().copied());
        provinces.extend(q.scalars::<i64>(&mut *tx).await?);
    }
    provinces.sort_unstable();
    provinces.dedup();
    for key in &provinces {
        query(crate::dash_cache::BUMP_GENERATION)
            .bind(*key)
            .execute(&mut *tx)
            .await?;
    }
    // Most changes leave the class alone (a proposal keeps "in progress"):
    // rows are rewritten only for assignments whose intervals differ.
    let mut stale: Vec<Id> = Vec::new();
    let mut rows: Vec<(Id, Option<Id>, IntervalRow)> = Vec::new();
    for chunk in unique.chunks(CHUNK) {
        let sql = format!(
                            "SELECT assignment_id, from_day, to_day, class, unit_id FROM assignment_class_intervals \
                             WHERE assignment_id IN ({}) ORDER BY assignment_id, from_day",
                            placeholders(chunk.len(), 1)
                        );
        let q = query(&sql).bind_all(chunk.iter().copied());
        let mut old: HashMap<Id, Vec<IntervalRow>> = HashMap::new();
        let stored: Vec<(Id, NaiveDate, NaiveDate, Stored<StatusClass>, Id)> =
            q.fetch_all(&mut *tx).await?;
        for (id, from, to, Stored(class), unit_id) in stored {
            old.entry(id).or_default().push(IntervalRow {
                from,
                to,
                class,
                unit_id,
            });
        }
        for id in chunk {
            let new = loaded.get(id).map(interval_rows).unwrap_or_default();
            let before = old.remove(id).unwrap_or_default();
            if new == before {
                continue;
            }
            if !before.is_empty() {
                stale.push(*id);
            }
            let province = loaded.get(id).and_then(|l| l.province_id);
            rows.extend(new.into_iter().map(|r| (*id, province, r)));
        }
    }
    for chunk in stale.chunks(CHUNK) {
        let sql = format!(
            "DELETE FROM assignment_class_intervals WHERE assignment_id IN ({})",
            placeholders(chunk.len(), 1)
        );
        let q = query(&sql).bind_all(chunk.iter().copied());
        q.execute(&mut *tx).await?;
    }
    // A quarter of the ids per statement: six values a row, and SQLite's cost of binding grows
    // with the square of a statement's parameters.
    for chunk in rows.chunks(CHUNK / 4) {
        let values = (0..chunk.len())
            .map(|i| format!("({})", placeholders(6, i * 6 + 1)))
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!(
                            "INSERT INTO assignment_class_intervals (assignment_id, province_id, unit_id, from_day, to_day, class) \
                             VALUES {values}"
                        );
        let mut q = query(&sql);
        for (id, province, r) in chunk {
            q = q
                .bind(*id)
                .bind(*province)
                .bind(r.unit_id)
                .bind(r.from)
                .bind(r.to)
                .bind(r.class.as_str());
        }
        q.execute(&mut *tx).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use tinhgon_domain::DeadlineKind;

    fn at(y: i32, m: u32, d: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, 3, 0, 0)
            .single()
            .unwrap_or_default()
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    fn loaded(reroutes: Vec<(Id, Id, DateTime<Utc>)>) -> Loaded {
        Loaded {
            province_id: Some(1),
            unit_id: 30,
            status: Status::NotStarted,
            done: None,
            updated_at: None,
            facts: AssignmentFacts {
                kind: DeadlineKind::By,
                original_due: Some(day(2025, 9, 30)),
                extensions: Vec::new(),
                trigger: None,
                condition_days: None,
                created_at: at(2025, 8, 1),
                history: Vec::new(),
                reports: Vec::new(),
            },
            reroutes,
        }
    }

    #[test]
    fn without_reroutes_the_rows_are_the_domain_intervals() {
        let rows = interval_rows(&loaded(Vec::new()));
        assert_eq!(
            rows,
            vec![
                IntervalRow {
                    from: day(2025, 8, 1),
                    to: day(2025, 10, 1),
                    class: StatusClass::NotDue,
                    unit_id: 30
                },
                IntervalRow {
                    from: day(2025, 10, 1),
                    to: OPEN_END,
                    class: StatusClass::Overdue,
                    unit_id: 30
                },
            ]
        );
    }

    #[test]
    fn a_reroute_splits_the_interval_at_its_day() {
        let rows = interval_rows(&loaded(vec![
            (10, 20, at(2025, 9, 1)),
            (20, 30, at(2025, 10, 5)),
        ]));
        let expected = vec![
            IntervalRow {
                from: day(2025, 8, 1),
                to: day(2025, 9, 1),
                class: StatusClass::NotDue,
                unit_id: 10,
            },
            IntervalRow {
                from: day(2025, 9, 1),
                to: day(2025, 10, 1),
                class: StatusClass::NotDue,
                unit_id: 20,
            },
            IntervalRow {
                from: day(2025, 10, 1),
                to: day(2025, 10, 5),
                class: StatusClass::Overdue,
                unit_id: 20,
            },
            IntervalRow {
                from: day(2025, 10, 5),
                to: OPEN_END,
                class: StatusClass::Overdue,
                unit_id: 30,
            },
        ];
        assert_eq!(rows, expected);
    }

    #[test]
    fn placeholders_are_numbered_from_the_first() {
        assert_eq!(placeholders(3, 4), "$4, $5, $6");
    }
}
