//! Class counts and lists at national scale, read from the class-interval table (one row
//! per assignment and stretch of days with the same class), so that a past day costs the
//! same as today: `from_day <= day < to_day`.

use chrono::NaiveDate;
use tinhgon_domain::model::{Id, StatusClass};

use crate::error::{Result, StoreError};
use crate::tx::query;
use crate::Db;

/// Counts per class of one province's assignments on `day` (classes with no assignment
/// are left out).
pub async fn class_counts(
    db: &Db,
    province_id: Id,
    day: NaiveDate,
) -> Result<Vec<(StatusClass, i64)>> {
    let rows: Vec<(String, i64)> = query(
        "SELECT class, COUNT(*) FROM assignment_class_intervals \
             WHERE province_id = $1 AND to_day > $2 AND from_day <= $2 GROUP BY class",
    )
    .bind(province_id)
    .bind(day)
    .fetch_all(db)
    .await?;
    let mut out = rows
        .into_iter()
        .map(|(c, n)| Ok((parse_class(&c)?, n)))
        .collect::<Result<Vec<_>>>()?;
    out.sort_by_key(|(c, _)| StatusClass::ALL.iter().position(|x| x == c));
    Ok(out)
}

/// Counts per unit and class of one province's assignments on `day`.
pub async fn class_counts_by_unit(
    db: &Db,
    province_id: Id,
    day: NaiveDate,
) -> Result<Vec<(Id, StatusClass, i64)>> {
    let rows: Vec<(i64, String, i64)> = query(
        "SELECT unit_id, class, COUNT(*) FROM assignment_class_intervals \
             WHERE province_id = $1 AND to_day > $2 AND from_day <= $2 \
             GROUP BY unit_id, class ORDER BY unit_id, class",
    )
    .bind(province_id)
    .bind(day)
    .fetch_all(db)
    .await?;
    rows.into_iter()
        .map(|(u, c, n)| Ok((u, parse_class(&c)?, n)))
        .collect()
}

/// One overdue assignment in a unit's list.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct OverdueItem {
    /// Assignment.
    pub assignment_id: Id,
    /// Due date in force.
    pub due: Option<NaiveDate>,
    /// Task reference ("1", "2.a" …).
    pub task_ref: String,
    /// Task text.
    pub content: String,
    /// Plan number.
    pub plan_number: Option<String>,
}

/// The assignments of `unit_id` overdue on `day`, oldest due date first, at most `limit`.
pub async fn overdue_list(
    db: &Db,
    unit_id: Id,
    day: NaiveDate,
    limit: i64,
) -> Result<Vec<OverdueItem>> {
    query(
            "SELECT a.id AS assignment_id, a.due, t.ref AS task_ref, t.content, p.number AS plan_number \
             FROM assignment_class_intervals i \
             JOIN assignments a ON a.id = i.assignment_id \
             JOIN tasks t ON t.id = a.task_id \
             JOIN plans p ON p.id = a.plan_id \
             WHERE i.unit_id = $1 AND i.class = 'overdue' AND i.to_day > $2 AND i.from_day <= $2 \
             ORDER BY a.due, a.id LIMIT $3",
        )
        .bind(unit_id)
        .bind(day)
        .bind(limit)
        .fetch_all(db)
        .await
}

/// One status change as shown in an assignment's history.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct HistoryChange {
    /// Status before.
    pub from_status: Option<String>,
    /// Status after.
    pub to_status: String,
    /// When (ISO text on SQLite, converted on PostgreSQL).
    pub at: chrono::DateTime<chrono::Utc>,
    /// Note.
    pub note: Option<String>,
}

/// One progress report in an assignment's history.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct HistoryReport {
    /// When.
    pub at: chrono::DateTime<chrono::Utc>,
    /// Percent done, when given.
    pub percent: Option<i64>,
    /// Text.
    pub text: String,
}

type Head = (String, i64, Option<NaiveDate>, String, Option<String>);

/// An assignment with its task, plan and whole history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssignmentHistory {
    /// Assignment.
    pub id: Id,
    /// Current status.
    pub status: String,
    /// Responsible unit.
    pub unit_id: Id,
    /// Due date.
    pub due: Option<NaiveDate>,
    /// Task text.
    pub content: String,
    /// Plan number.
    pub plan_number: Option<String>,
    /// Status changes in time order.
    pub changes: Vec<HistoryChange>,
    /// Progress reports in time order.
    pub reports: Vec<HistoryReport>,
}

/// The assignment `id` with its whole history; None when it does not exist.
pub async fn assignment_with_history(db: &Db, id: Id) -> Result<Option<AssignmentHistory>> {
    let head: Option<Head> = query(
        "SELECT a.status, a.unit_id, a.due, t.content, p.number FROM assignments a \
         JOIN tasks t ON t.id = a.task_id JOIN plans p ON p.id = a.plan_id WHERE a.id = $1",
    )
    .bind(id)
    .fetch_optional(db)
    .await?;
    let Some((status, unit_id, due, content, plan_number)) = head else {
        return Ok(None);
    };
    let changes: Vec<HistoryChange> = query(
        "SELECT from_status, to_status, at, note FROM status_changes \
         WHERE assignment_id = $1 ORDER BY at, id",
    )
    .bind(id)
    .fetch_all(db)
    .await?;
    let reports: Vec<HistoryReport> = query(
        "SELECT at, percent, text FROM progress_reports WHERE assignment_id = $1 ORDER BY at, id",
    )
    .bind(id)
    .fetch_all(db)
    .await?;
    Ok(Some(AssignmentHistory {
        id,
        status,
        unit_id,
        due,
        content,
        plan_number,
        changes,
        reports,
    }))
}

fn parse_class(s: &str) -> Result<StatusClass> {
    StatusClass::parse(s)
        .ok_or_else(|| StoreError::Corrupt(format!("lớp trạng thái không hợp lệ: {s}")))
}
