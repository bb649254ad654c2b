//! Moving open work to successors, a few hundred rows per statement: the consolidation of two
//! departments moves ten thousand assignments, and one statement per row kept the monitor
//! waiting for seconds.

use super::*;
use crate::tx::Tx;
use tinhgon_domain::event::Reroute;

/// Rows per statement. Not more: SQLite looks each `$n` up by name in a list, so binding
/// costs grow with the square of a statement's parameters (eight a history row).
const CHUNK: usize = 100;

/// Moves each rerouted assignment from its unit to the successor, writes its reroute row and a
/// history entry attributed to the old unit with the status unchanged (`status_of`, the
/// status each had; `note`, the entry's text). Refused, as a conflict, when an assignment is no
/// longer with the unit it is moved from.
pub(super) async fn move_open_work(
    tx: &mut Tx,
    reroutes: &[Reroute],
    status_of: &HashMap<Id, &'static str>,
    event_id: Id,
    actor: Option<Id>,
    now: DateTime<Utc>,
    note: impl Fn(&Reroute) -> String,
) -> Result<()> {
    let mut by_pair: BTreeMap<(Id, Id), Vec<Id>> = BTreeMap::new();
    for r in reroutes {
        by_pair
            .entry((r.from_unit, r.to_unit))
            .or_default()
            .push(r.assignment_id);
    }
    for ((from, to), ids) in &by_pair {
        for chunk in ids.chunks(CHUNK) {
            let moved = query(&format!(
                "UPDATE assignments SET unit_id = $1, updated_at = $2 WHERE unit_id = $3 AND id IN ({})",
                crate::intervals::placeholders(chunk.len(), 4)
            ))
            .bind(*to)
            .bind(now)
            .bind(*from)
            .bind_all(chunk.iter().copied())
            .execute(&mut *tx)
            .await?;
            if moved != chunk.len() as u64 {
                return Err(StoreError::Conflict(format!(
                    "{} phân công không còn thuộc đơn vị được chuyển",
                    chunk.len() as u64 - moved
                )));
            }
        }
    }
    let on_date = tinhgon_domain::local_date(now);
    for chunk in reroutes.chunks(CHUNK) {
        let rows = |width: usize| {
            (0..chunk.len())
                .map(|i| format!("({})", crate::intervals::placeholders(width, i * width + 1)))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let sql = format!(
            "INSERT INTO assignment_reroutes (assignment_id, from_unit_id, to_unit_id, event_id, actor_id, at) VALUES {}",
            rows(6)
        );
        let mut q = query(&sql);
        for r in chunk {
            q = q
                .bind(r.assignment_id)
                .bind(r.from_unit)
                .bind(r.to_unit)
                .bind(event_id)
                .bind(actor)
                .bind(now);
        }
        q.execute(&mut *tx).await?;
        let sql = format!(
            "INSERT INTO status_changes (assignment_id, unit_id, from_status, to_status, actor_id, at, on_date, note) VALUES {}",
            rows(8)
        );
        let mut q = query(&sql);
        for r in chunk {
            let status = status_of
                .get(&r.assignment_id)
                .copied()
                .unwrap_or("not_started");
            q = q
                .bind(r.assignment_id)
                .bind(r.from_unit)
                .bind(status)
                .bind(status)
                .bind(actor)
                .bind(now)
                .bind(on_date)
                .bind(note(r));
        }
        q.execute(&mut *tx).await?;
    }
    Ok(())
}
