//! Comments on an assignment (trao đổi về nhiệm vụ): short messages between the lead unit, the
//! coordinating units and the monitor, kept in the order written.

use chrono::{DateTime, Utc};
use tinhgon_domain::model::Id;

use crate::audit::{audited, AuditEntry};
use crate::error::Result;
use crate::idempotency::{self, Submission};
use crate::tx::query;
use crate::Db;

/// A comment to record.
#[derive(Debug, Clone)]
pub struct NewComment<'a> {
    /// The assignment discussed.
    pub assignment_id: Id,
    /// Who writes.
    pub author_id: Id,
    /// The author's unit at the time (None for a monitor without a unit).
    pub unit_id: Option<Id>,
    /// The text, already checked.
    pub text: &'a str,
    /// When.
    pub at: DateTime<Utc>,
    /// The form's submission key: a repeat records nothing and answers the first comment.
    pub once: Option<&'a Submission>,
}

/// Records a comment with its audit row and the notices the entry carries, in one
/// transaction; `after.comment` is set to the new comment's id. Returns that id.
pub async fn add_audited(db: &Db, c: &NewComment<'_>, audit: &AuditEntry) -> Result<Id> {
    let scope = idempotency::scope("assignment.comment", c.assignment_id);
    audited(db, c.at, async |tx| {
        if let Some(first) = idempotency::claim(tx, c.once, &scope, c.at).await? {
            return Ok((first, Vec::new()));
        }
        let id: Id = query(
            "INSERT INTO assignment_comments (assignment_id, author_id, unit_id, text, created_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(c.assignment_id)
        .bind(c.author_id)
        .bind(c.unit_id)
        .bind(c.text)
        .bind(c.at)
        .scalar(&mut *tx)
        .await?;
        idempotency::settle(tx, c.once, id).await?;
        Ok((id, vec![audit.with_after("comment", id)]))
    })
    .await
}

/// A comment as the thread shows it.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct CommentRow {
    /// Identifier.
    pub id: Id,
    /// Author's account.
    pub author_id: Id,
    /// Author's name.
    pub author_name: String,
    /// Author's unit when writing, if any.
    pub unit_name: Option<String>,
    /// Text.
    pub text: String,
    /// When.
    pub created_at: DateTime<Utc>,
}

/// The comments on an assignment, oldest first.
pub async fn of_assignment(db: &Db, assignment_id: Id) -> Result<Vec<CommentRow>> {
    query(
        "SELECT c.id, c.author_id, u.display_name AS author_name, n.name AS unit_name, c.text, c.created_at \
         FROM assignment_comments c JOIN users u ON u.id = c.author_id \
         LEFT JOIN units n ON n.id = c.unit_id WHERE c.assignment_id = $1 ORDER BY c.id",
    )
    .bind(assignment_id)
    .fetch_all(db)
    .await
}
