//! Recording status changes at national scale: each change is checked against the workflow,
//! appended to the history, reflected on the assignment, and the assignment's class
//! intervals are rewritten — all in the caller's one transaction, so a batch of changes is
//! all-or-nothing too.

use chrono::{DateTime, NaiveDate, Utc};
use tinhgon_domain::classify::AssignmentFacts;
use tinhgon_domain::localtime::local_date;
use tinhgon_domain::model::{Id, Role, Status, StatusChange};
use tinhgon_domain::timeline::class_intervals;
use tinhgon_domain::workflow::Action;
use tinhgon_domain::{transition, DeadlineKind};

use super::workload::OPEN_END;
use crate::error::{Result, StoreError};
use crate::{in_tx, Db};

/// A status change asked for.
#[derive(Debug, Clone)]
pub struct ChangeRequest {
    /// Assignment.
    pub assignment_id: Id,
    /// What is done.
    pub action: Action,
    /// Role of the one doing it.
    pub role: Role,
    /// Who.
    pub actor_id: Option<Id>,
    /// When.
    pub at: DateTime<Utc>,
    /// Note.
    pub note: Option<String>,
}

type Head = (
    String,
    i64,
    Option<i64>,
    DateTime<Utc>,
    String,
    Option<NaiveDate>,
    Option<NaiveDate>,
    Option<i64>,
);
type Row = (Option<String>, String, Option<i64>, DateTime<Utc>);

/// Applies `requests` in order in one transaction and returns the new statuses; the first
/// refused change rolls all of them back.
pub async fn record_status_changes(db: &Db, requests: &[ChangeRequest]) -> Result<Vec<Status>> {
    Ok(in_tx!(db, tx => {
        let mut out = Vec::with_capacity(requests.len());
        for r in requests {
            let head: Option<Head> = sqlx::query_as(
                "SELECT a.status, a.unit_id, a.province_id, a.created_at, t.deadline_kind, t.due, \
                 t.triggered_on, t.condition_days FROM assignments a JOIN tasks t ON t.id = a.task_id \
                 WHERE a.id = $1",
            )
            .bind(r.assignment_id)
            .fetch_optional(&mut *tx)
            .await?;
            let Some((status, unit_id, province_id, created_at, kind, own_due, trigger, condition_days)) = head else {
                return Err(StoreError::NotFound { what: "phân công", id: r.assignment_id });
            };
            let current = Status::parse(&status).ok_or_else(|| StoreError::Corrupt(format!("trạng thái: {status}")))?;
            let next = transition(current, r.action, r.role).map_err(|e| StoreError::Rejected(e.to_string()))?;
            let history: Vec<Row> = sqlx::query_as(
                "SELECT from_status, to_status, actor_id, at FROM status_changes WHERE assignment_id = $1 ORDER BY at, id",
            )
            .bind(r.assignment_id)
            .fetch_all(&mut *tx)
            .await?;
            let on_date = local_date(r.at);
            let completed_on = (next == Status::Done).then(|| {
                history
                    .iter()
                    .rev()
                    .find(|h| h.1 == Status::CompletionProposed.as_str())
                    .map_or(on_date, |h| local_date(h.3))
            });
            sqlx::query(
                "INSERT INTO status_changes (assignment_id, unit_id, from_status, to_status, actor_id, at, on_date, completed_on, note) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            )
            .bind(r.assignment_id)
            .bind(unit_id)
            .bind(current.as_str())
            .bind(next.as_str())
            .bind(r.actor_id)
            .bind(r.at)
            .bind(on_date)
            .bind(completed_on)
            .bind(&r.note)
            .execute(&mut *tx)
            .await?;
            let done_at = (next == Status::Done).then_some(r.at);
            sqlx::query("UPDATE assignments SET status = $1, updated_at = $2, done_at = $3, done_on = $4 WHERE id = $5")
                .bind(next.as_str())
                .bind(r.at)
                .bind(done_at)
                .bind(completed_on)
                .bind(r.assignment_id)
                .execute(&mut *tx)
                .await?;
            let mut changes: Vec<StatusChange> = Vec::with_capacity(history.len() + 1);
            for (from, to, actor_id, at) in history {
                changes.push(StatusChange {
                    assignment_id: r.assignment_id,
                    from: from.as_deref().and_then(Status::parse),
                    to: Status::parse(&to).ok_or_else(|| StoreError::Corrupt(format!("trạng thái: {to}")))?,
                    actor_id,
                    at,
                    note: None,
                });
            }
            changes.push(StatusChange { assignment_id: r.assignment_id, from: Some(current), to: next, actor_id: r.actor_id, at: r.at, note: None });
            let facts = AssignmentFacts {
                kind: parse_kind(&kind)?,
                original_due: own_due,
                extensions: Vec::new(),
                trigger,
                condition_days: condition_days.and_then(|d| u32::try_from(d).ok()),
                created_at,
                history: changes,
                reports: Vec::new(),
            };
            sqlx::query("DELETE FROM assignment_class_intervals WHERE assignment_id = $1")
                .bind(r.assignment_id)
                .execute(&mut *tx)
                .await?;
            for iv in class_intervals(&facts) {
                let Some(class) = iv.class else { continue };
                let open_end = NaiveDate::parse_from_str(OPEN_END, "%Y-%m-%d").unwrap_or(NaiveDate::MAX);
                sqlx::query(
                    "INSERT INTO assignment_class_intervals (assignment_id, province_id, unit_id, from_day, to_day, class) \
                     VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .bind(r.assignment_id)
                .bind(province_id)
                .bind(unit_id)
                .bind(iv.from)
                .bind(iv.to.unwrap_or(open_end))
                .bind(class.as_str())
                .execute(&mut *tx)
                .await?;
            }
            out.push(next);
        }
        out
    }))
}

fn parse_kind(s: &str) -> Result<DeadlineKind> {
    serde_json::from_value(serde_json::Value::String(s.to_string()))
        .map_err(|_| StoreError::Corrupt(format!("loại thời hạn: {s}")))
}
