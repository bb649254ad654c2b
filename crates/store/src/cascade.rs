//! Plan cascade: the link from an implementation plan to the higher task it carries out
//! (`plans.parent_task_id`), an agency's own draft sent to the monitor for review
//! (`owner_unit_id`, `review_state`, `review_note`), and what the tree and the roll-up read.

use chrono::{DateTime, NaiveDate, Utc};
use tinhgon_domain::model::Id;

use crate::audit::{audited, AuditEntry};
use crate::error::{Result, StoreError};
use crate::tx::query;
use crate::Db;

/// Where an agency's own draft stands with the monitor.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Review {
    /// The unit whose officer imported the draft (None: a monitor's import).
    pub owner_unit_id: Option<i64>,
    /// `submitted`, `returned` or None.
    pub review_state: Option<String>,
    /// The monitor's note when returned.
    pub review_note: Option<String>,
    /// When last sent for review.
    pub submitted_at: Option<DateTime<Utc>>,
}

/// The review facts of a plan (not found when there is no such plan).
pub async fn review(db: &Db, plan_id: Id) -> Result<Review> {
    query("SELECT owner_unit_id, review_state, review_note, submitted_at FROM plans WHERE id = $1")
        .bind(plan_id)
        .fetch_optional(db)
        .await?
        .ok_or(StoreError::NotFound {
            what: "kế hoạch",
            id: plan_id,
        })
}

/// Sets (or clears) the higher task a plan implements, with its audit row (`before.parent_task`
/// and `after.parent_task` added) in the same transaction.
pub async fn set_parent_audited(
    db: &Db,
    plan_id: Id,
    parent_task_id: Option<Id>,
    audit: &AuditEntry,
    at: DateTime<Utc>,
) -> Result<()> {
    audited(db, at, async |tx| {
        let before: Option<Option<i64>> = query("SELECT parent_task_id FROM plans WHERE id = $1")
            .bind(plan_id)
            .scalar_optional(&mut *tx)
            .await?;
        let Some(before) = before else {
            return Err(StoreError::NotFound {
                what: "kế hoạch",
                id: plan_id,
            });
        };
        query("UPDATE plans SET parent_task_id = $1 WHERE id = $2")
            .bind(parent_task_id)
            .bind(plan_id)
            .execute(&mut *tx)
            .await
            .map_err(StoreError::on_foreign_key(
                "nhiệm vụ được chọn không tồn tại",
            ))?;
        let entry = audit
            .with_before("parent_task", before)
            .with_after("parent_task", parent_task_id);
        Ok(((), vec![entry]))
    })
    .await
}

/// Sends an agency's draft to the monitor (`submitted`), with its audit row and notices in
/// the same transaction. Refused, nothing written, unless the draft is being written or was
/// returned.
pub async fn submit_audited(
    db: &Db,
    plan_id: Id,
    audit: &AuditEntry,
    at: DateTime<Utc>,
) -> Result<()> {
    audited(db, at, async |tx| {
        let n = query(
            "UPDATE plans SET review_state = 'submitted', submitted_at = $1 WHERE id = $2 \
             AND state = 'draft' AND owner_unit_id IS NOT NULL \
             AND (review_state IS NULL OR review_state = 'returned')",
        )
        .bind(at)
        .bind(plan_id)
        .execute(&mut *tx)
        .await?;
        if n == 0 {
            return Err(StoreError::Rejected(
                "Kế hoạch đã được gửi Sở Nội vụ xem xét hoặc đã ban hành.".into(),
            ));
        }
        Ok(((), vec![audit.clone()]))
    })
    .await
}

/// Returns a submitted draft to its unit with the monitor's `note`, with its audit row and
/// notices in the same transaction. Refused unless the draft is submitted.
pub async fn return_audited(
    db: &Db,
    plan_id: Id,
    note: &str,
    audit: &AuditEntry,
    at: DateTime<Utc>,
) -> Result<()> {
    audited(db, at, async |tx| {
        let n = query(
            "UPDATE plans SET review_state = 'returned', review_note = $1 WHERE id = $2 \
             AND state = 'draft' AND review_state = 'submitted'",
        )
        .bind(note)
        .bind(plan_id)
        .execute(&mut *tx)
        .await?;
        if n == 0 {
            return Err(StoreError::Rejected(
                "Chỉ trả lại được kế hoạch đang chờ Sở Nội vụ xem xét.".into(),
            ));
        }
        Ok(((), vec![audit.clone()]))
    })
    .await
}

/// What linking needs to know about a task: its plan, the plan's province and state.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct TaskHome {
    /// The task's plan.
    pub plan_id: i64,
    /// The plan's province.
    pub province_id: Option<i64>,
    /// The plan's state.
    pub plan_state: String,
}

/// The plan, province and plan state of a task, if it exists.
pub async fn task_home(db: &Db, task_id: Id) -> Result<Option<TaskHome>> {
    query(
        "SELECT p.id AS plan_id, p.province_id, p.state AS plan_state FROM tasks t \
         JOIN plans p ON p.id = t.plan_id WHERE t.id = $1",
    )
    .bind(task_id)
    .fetch_optional(db)
    .await
}

/// Does `unit` lead (hold an assignment of) or coordinate the task?
pub async fn unit_takes_part(db: &Db, task_id: Id, unit_id: Id) -> Result<bool> {
    query(
        "SELECT EXISTS (SELECT 1 FROM assignments WHERE task_id = $1 AND unit_id = $2) \
         OR EXISTS (SELECT 1 FROM task_coordinators WHERE task_id = $1 AND unit_id = $2)",
    )
    .bind(task_id)
    .bind(unit_id)
    .scalar(db)
    .await
}

/// Every link of a province: (plan, the plan of the task it implements).
pub async fn links(db: &Db, province_id: Option<Id>) -> Result<Vec<(i64, i64)>> {
    query(
        "SELECT p.id, t.plan_id FROM plans p JOIN tasks t ON t.id = p.parent_task_id \
         WHERE p.province_id = $1 OR $1 IS NULL",
    )
    .bind(province_id)
    .fetch_all(db)
    .await
}

/// A task offered by the picker.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct TaskChoice {
    /// Task.
    pub task_id: i64,
    /// Its plan.
    pub plan_id: i64,
    /// Plan number.
    pub plan_number: Option<String>,
    /// Plan title.
    pub plan_title: Option<String>,
    /// Task reference ("II.3").
    pub reference: String,
    /// Task content.
    pub content: String,
}

/// Tasks of the published plans of `province_id` other than `exclude_plan`, whose number,
/// plan title, reference or content contains the words of `key` in order (a search key; None:
/// all), limited to the
/// tasks `unit` leads or coordinates when given; plan and task order, at most `limit`.
pub async fn task_choices(
    db: &Db,
    province_id: Option<Id>,
    unit: Option<Id>,
    key: Option<&str>,
    exclude_plan: Id,
    limit: i64,
) -> Result<Vec<TaskChoice>> {
    // Words in their order, anything between them: "ra soat van ban" finds "rà soát các văn bản".
    let like = key.map(|k| format!("%{}%", k.split_whitespace().collect::<Vec<_>>().join("%")));
    query(
        "SELECT t.id AS task_id, p.id AS plan_id, p.number AS plan_number, p.title AS plan_title, \
         t.ref AS reference, t.content FROM tasks t JOIN plans p ON p.id = t.plan_id \
         WHERE p.state = 'published' AND (p.province_id = $1 OR $1 IS NULL) AND p.id <> $2 \
         AND ($3 IS NULL OR EXISTS (SELECT 1 FROM assignments a WHERE a.task_id = t.id AND a.unit_id = $3) \
              OR EXISTS (SELECT 1 FROM task_coordinators c WHERE c.task_id = t.id AND c.unit_id = $3)) \
         AND ($4 IS NULL OR t.folded_content LIKE $4 OR p.folded_title LIKE $4 \
              OR LOWER(COALESCE(p.number, '')) LIKE $4 OR LOWER(t.ref) LIKE $4) \
         ORDER BY p.issued_on DESC, p.id DESC, t.position LIMIT $5",
    )
    .bind(province_id)
    .bind(exclude_plan)
    .bind(unit)
    .bind(like)
    .bind(limit)
    .fetch_all(db)
    .await
}

/// One task of a published plan by id, as the picker shows it.
pub async fn task_choice(db: &Db, task_id: Id) -> Result<Option<TaskChoice>> {
    query(
        "SELECT t.id AS task_id, p.id AS plan_id, p.number AS plan_number, p.title AS plan_title, \
         t.ref AS reference, t.content FROM tasks t JOIN plans p ON p.id = t.plan_id WHERE t.id = $1",
    )
    .bind(task_id)
    .fetch_optional(db)
    .await
}

/// A plan linked under a higher task, as the tree shows it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct SubPlan {
    /// The plan.
    pub plan_id: i64,
    /// Number.
    pub number: Option<String>,
    /// Title.
    pub title: Option<String>,
    /// Date of issue.
    pub issued_on: Option<NaiveDate>,
    /// `draft`, `published`, `archived`.
    pub state: String,
    /// `submitted`, `returned` or None (drafts).
    pub review_state: Option<String>,
    /// The issuer: the register unit's name, else the owner unit's, else as written.
    pub issuer: Option<String>,
    /// The higher task.
    pub parent_task_id: i64,
    /// The higher task's plan.
    pub parent_plan_id: i64,
    /// The higher task's reference.
    pub task_ref: String,
    /// The higher task's content.
    pub task_content: String,
}

/// Every plan of a province linked under a task (any state), by date of issue.
pub async fn sub_plans(db: &Db, province_id: Option<Id>) -> Result<Vec<SubPlan>> {
    query(&format!(
        "SELECT p.id AS plan_id, p.number, p.title, p.issued_on, p.state, p.review_state, \
         COALESCE(iu.name, ou.name, p.issuer) AS issuer, p.parent_task_id, t.plan_id AS parent_plan_id, \
         t.ref AS task_ref, t.content AS task_content \
         FROM plans p JOIN tasks t ON t.id = p.parent_task_id \
         LEFT JOIN units iu ON iu.id = p.issuer_unit_id LEFT JOIN units ou ON ou.id = p.owner_unit_id \
         WHERE {} ORDER BY t.position, p.issued_on, p.id",
        // One statement per case: `p.province_id = $1 OR $1 IS NULL` scanned every plan.
        match province_id {
            Some(_) => "p.province_id = $1",
            None => "$1 IS NULL AND p.parent_task_id IS NOT NULL",
        }
    ))
    .bind(province_id)
    .fetch_all(db)
    .await
}

/// The plans linked under one task (any state), by date of issue.
pub async fn sub_plans_of_task(db: &Db, task_id: Id) -> Result<Vec<SubPlan>> {
    query(
        "SELECT p.id AS plan_id, p.number, p.title, p.issued_on, p.state, p.review_state, \
         COALESCE(iu.name, ou.name, p.issuer) AS issuer, p.parent_task_id, t.plan_id AS parent_plan_id, \
         t.ref AS task_ref, t.content AS task_content \
         FROM plans p JOIN tasks t ON t.id = p.parent_task_id \
         LEFT JOIN units iu ON iu.id = p.issuer_unit_id LEFT JOIN units ou ON ou.id = p.owner_unit_id \
         WHERE p.parent_task_id = $1 ORDER BY p.issued_on, p.id",
    )
    .bind(task_id)
    .fetch_all(db)
    .await
}

/// The work of the given published plans: (plan, task, status, latest percent).
pub async fn work_of_plans(
    db: &Db,
    plan_ids: &[Id],
) -> Result<Vec<(i64, i64, String, Option<i64>)>> {
    let mut out = Vec::new();
    for chunk in plan_ids.chunks(100) {
        let marks: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
        let rows: Vec<(i64, i64, String, Option<i64>)> = query(&format!(
            "SELECT a.plan_id, a.task_id, a.status, \
             (SELECT r.percent FROM progress_reports r WHERE r.assignment_id = a.id ORDER BY r.at DESC, r.id DESC LIMIT 1) \
             FROM assignments a JOIN plans p ON p.id = a.plan_id \
             WHERE p.state = 'published' AND a.plan_id IN ({}) ORDER BY a.plan_id, a.task_id, a.id",
            marks.join(", ")
        ))
        .bind_all(chunk.iter().copied())
        .fetch_all(db)
        .await?;
        out.extend(rows);
    }
    Ok(out)
}

/// The work of the published sub-plans of a province: (plan, task, status, latest percent).
pub async fn sub_plan_work(
    db: &Db,
    province_id: Option<Id>,
) -> Result<Vec<(i64, i64, String, Option<i64>)>> {
    query(
        "SELECT a.plan_id, a.task_id, a.status, \
         (SELECT r.percent FROM progress_reports r WHERE r.assignment_id = a.id ORDER BY r.at DESC, r.id DESC LIMIT 1) \
         FROM assignments a JOIN plans p ON p.id = a.plan_id \
         WHERE p.parent_task_id IS NOT NULL AND p.state = 'published' AND (p.province_id = $1 OR $1 IS NULL) \
         ORDER BY a.plan_id, a.task_id, a.id",
    )
    .bind(province_id)
    .fetch_all(db)
    .await
}

/// An agency's own draft as the plan list shows it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct OwnDraft {
    /// The plan.
    pub plan_id: i64,
    /// Number.
    pub number: Option<String>,
    /// Title.
    pub title: Option<String>,
    /// `submitted`, `returned` or None.
    pub review_state: Option<String>,
    /// The monitor's note when returned.
    pub review_note: Option<String>,
    /// The owning unit's name.
    pub unit_name: Option<String>,
    /// When last sent.
    pub submitted_at: Option<DateTime<Utc>>,
}

const OWN_DRAFT_COLUMNS: &str =
    "p.id AS plan_id, p.number, p.title, p.review_state, p.review_note, \
     u.name AS unit_name, p.submitted_at FROM plans p LEFT JOIN units u ON u.id = p.owner_unit_id";

/// The drafts a unit's officers imported and have not seen published, newest first.
pub async fn own_drafts(db: &Db, unit_id: Id) -> Result<Vec<OwnDraft>> {
    query(&format!(
        "SELECT {OWN_DRAFT_COLUMNS} WHERE p.owner_unit_id = $1 AND p.state = 'draft' ORDER BY p.created_at DESC, p.id DESC"
    ))
    .bind(unit_id)
    .fetch_all(db)
    .await
}

/// The agencies' drafts waiting for the monitor of `province_id` (None: all), oldest first.
pub async fn submitted(db: &Db, province_id: Option<Id>) -> Result<Vec<OwnDraft>> {
    query(&format!(
        "SELECT {OWN_DRAFT_COLUMNS} WHERE p.state = 'draft' AND p.review_state = 'submitted' \
         AND (p.province_id = $1 OR $1 IS NULL) ORDER BY p.submitted_at, p.id"
    ))
    .bind(province_id)
    .fetch_all(db)
    .await
}
