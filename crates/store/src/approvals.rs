//! The monitor's approval queue (chờ xử lý): completion proposals, extension requests and
//! obstacles of a province waiting for a decision, oldest first, and their number.

use chrono::{DateTime, NaiveDate, Utc};
use tinhgon_domain::model::Id;

use crate::error::Result;
use crate::tx::query;
use crate::Db;

/// What waits for the monitor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum PendingKind {
    /// A unit proposes that its assignment is done.
    Completion,
    /// A unit asks for a later due date.
    Extension,
    /// A unit reports a difficulty and asks for help.
    Obstacle,
}

impl PendingKind {
    /// Stable name (`completion`, `extension`, `obstacle`).
    pub fn as_str(self) -> &'static str {
        match self {
            PendingKind::Completion => "completion",
            PendingKind::Extension => "extension",
            PendingKind::Obstacle => "obstacle",
        }
    }

    /// Parses a stable name.
    pub fn parse(s: &str) -> Option<PendingKind> {
        [
            PendingKind::Completion,
            PendingKind::Extension,
            PendingKind::Obstacle,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
    }
}

/// One item of the queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pending {
    /// Kind.
    pub kind: PendingKind,
    /// The item: the assignment (completion), the extension request or the obstacle.
    pub id: Id,
    /// Its assignment.
    pub assignment_id: Id,
    /// Plan number.
    pub plan_number: Option<String>,
    /// Task reference.
    pub task_ref: String,
    /// Task content.
    pub content: String,
    /// Responsible unit's name.
    pub unit: String,
    /// When it was asked.
    pub at: DateTime<Utc>,
    /// The unit's words (proposal note, reason, obstacle text).
    pub text: Option<String>,
    /// The due date in force now (extensions).
    pub due: Option<NaiveDate>,
    /// The due date asked for (extensions).
    pub new_due: Option<NaiveDate>,
}

#[derive(sqlx::FromRow)]
struct Row {
    kind: String,
    id: i64,
    assignment_id: i64,
    plan_number: Option<String>,
    task_ref: String,
    content: String,
    unit: String,
    at: DateTime<Utc>,
    text: Option<String>,
    due: Option<NaiveDate>,
    new_due: Option<NaiveDate>,
}

const HEAD: &str = "JOIN tasks t ON t.id = a.task_id JOIN plans p ON p.id = a.plan_id JOIN units u ON u.id = a.unit_id";

/// An open obstacle referred to the leaders waits for their opinion, not for the monitor.
const NOT_REFERRED: &str =
    "NOT EXISTS (SELECT 1 FROM obstacle_referrals r WHERE r.obstacle_id = o.id)";

/// The condition on `a` for `province` (`$1`): one statement per case, so that SQLite and
/// PostgreSQL use the province's index instead of scanning for `$1 IS NULL OR …`.
fn scope(province: Option<Id>) -> &'static str {
    match province {
        Some(_) => "a.province_id = $1",
        None => "$1 IS NULL",
    }
}

/// The queue's three parts as one statement; `$1` is the province (NULL: every province).
/// The waiting extension requests and obstacles are few: `CROSS JOIN` makes SQLite start from
/// them (their partial indexes) instead of from the province's tens of thousands of
/// assignments; PostgreSQL plans it as the inner join it is.
fn union(province: Option<Id>) -> String {
    let w = scope(province);
    format!(
        "SELECT 'completion' AS kind, a.id AS id, a.id AS assignment_id, p.number AS plan_number, t.ref AS task_ref, \
         t.content AS content, u.name AS unit, a.updated_at AS at, \
         (SELECT s.note FROM status_changes s WHERE s.assignment_id = a.id ORDER BY s.at DESC, s.id DESC LIMIT 1) AS text, \
         a.due AS due, CAST(NULL AS DATE) AS new_due \
         FROM assignments a {HEAD} WHERE a.status = 'completion_proposed' AND {w} \
         UNION ALL SELECT 'extension', e.id, a.id, p.number, t.ref, t.content, u.name, e.requested_at, e.reason, a.due, e.new_due \
         FROM extension_requests e CROSS JOIN assignments a {HEAD} \
         WHERE a.id = e.assignment_id AND e.state = 'pending' AND {w} \
         UNION ALL SELECT 'obstacle', o.id, a.id, p.number, t.ref, t.content, u.name, o.raised_at, o.text, a.due, NULL \
         FROM obstacles o CROSS JOIN assignments a {HEAD} \
         WHERE a.id = o.assignment_id AND o.state = 'open' AND {NOT_REFERRED} AND {w}"
    )
}

/// The province's waiting items, oldest first, at most `limit`.
pub async fn pending(db: &Db, province: Option<Id>, limit: i64) -> Result<Vec<Pending>> {
    let rows: Vec<Row> = query(&format!(
        "SELECT * FROM ({}) q ORDER BY at, kind, id LIMIT $2",
        union(province)
    ))
    .bind(province)
    .bind(limit)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            Some(Pending {
                kind: PendingKind::parse(&r.kind)?,
                id: r.id,
                assignment_id: r.assignment_id,
                plan_number: r.plan_number,
                task_ref: r.task_ref,
                content: r.content,
                unit: r.unit,
                at: r.at,
                text: r.text,
                due: r.due,
                new_due: r.new_due,
            })
        })
        .collect())
}

/// How many items wait in the province (the menu's count).
pub async fn pending_count(db: &Db, province: Option<Id>) -> Result<u64> {
    let w = scope(province);
    let n: i64 = query(&format!(
        "SELECT (SELECT COUNT(*) FROM assignments a WHERE a.status = 'completion_proposed' AND {w}) \
         + (SELECT COUNT(*) FROM extension_requests e CROSS JOIN assignments a WHERE a.id = e.assignment_id AND e.state = 'pending' AND {w}) \
         + (SELECT COUNT(*) FROM obstacles o CROSS JOIN assignments a WHERE a.id = o.assignment_id AND o.state = 'open' AND {NOT_REFERRED} AND {w})",
    ))
    .bind(province)
    .scalar(db)
    .await?;
    Ok(u64::try_from(n).unwrap_or(0))
}
