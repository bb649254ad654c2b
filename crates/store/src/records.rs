//! What units and the monitor add around an assignment: progress reports with evidence,
//! extension requests, obstacles, reminders and coordinators' contributions.

use chrono::{DateTime, NaiveDate, Utc};
use tinhgon_domain::model::Id;

use crate::audit::{audited, AuditEntry};
use crate::error::{Result, StoreError};
use crate::idempotency::{self, Submission};
use crate::intervals::refresh_class_intervals;
use crate::status::{StartFirst, RECOMPUTE_DUE};
use crate::tx::query;
use crate::Db;

/// Metadata of an evidence file (the bytes live in the file store under `storage_key`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEvidence {
    /// File name as uploaded.
    pub file_name: String,
    /// Checked media type.
    pub media_type: String,
    /// Size.
    pub size_bytes: i64,
    /// SHA-256 (hex).
    pub sha256: String,
    /// Key in the file store.
    pub storage_key: String,
}

/// A progress report to store: what the unit reports, attributed to the assignment's current
/// unit; with `once`, recorded once per submission key (see [`crate::idempotency`]).
#[derive(Debug, Clone, Copy)]
pub struct NewProgress<'a> {
    /// The assignment reported on.
    pub assignment_id: Id,
    /// Who reported.
    pub actor: Option<Id>,
    /// Completion percentage, 0 to 100.
    pub percent: Option<i64>,
    /// What was done.
    pub text: &'a str,
    /// Evidence files stored with the report.
    pub evidence: &'a [NewEvidence],
    /// When.
    pub at: DateTime<Utc>,
    /// The submission key: a repeat answers the first report's id and writes nothing.
    pub once: Option<&'a Submission>,
}

/// [`system::add_progress_report`] with its audit row in the same transaction (`after.report` = the
/// new report's id added; its notices sent in it). With `start`, a not-started assignment is
/// started first in the same transaction (its own history and audit row): the start, the
/// report, its evidence and the rows are written together or not at all.
pub async fn add_progress_report_audited(
    db: &Db,
    report: &NewProgress<'_>,
    audit: &AuditEntry,
    start: Option<StartFirst<'_>>,
) -> Result<Id> {
    add_progress_report_in(db, report, Some(audit), start).await
}

async fn add_progress_report_in(
    db: &Db,
    r: &NewProgress<'_>,
    audit: Option<&AuditEntry>,
    start: Option<StartFirst<'_>>,
) -> Result<Id> {
    if r.percent.is_some_and(|p| !(0..=100).contains(&p)) {
        return Err(StoreError::Rejected(
            "tỷ lệ hoàn thành phải từ 0 đến 100%".into(),
        ));
    }
    let scope = idempotency::scope("assignment.progress", r.assignment_id);
    let (assignment_id, actor, at) = (r.assignment_id, r.actor, r.at);
    audited(db, at, async |tx| {
        if let Some(first) = idempotency::claim(tx, r.once, &scope, at).await? {
            return Ok((first, Vec::new()));
        }
        let started = crate::status::start_first_in_tx(tx, start, assignment_id, actor, at, None).await?;
        let unit: Option<i64> = query("SELECT unit_id FROM assignments WHERE id = $1")
            .bind(assignment_id).scalar_optional(&mut *tx).await?;
        let unit = unit.ok_or(StoreError::NotFound { what: "phân công", id: assignment_id })?;
        let id: i64 = query(
            "INSERT INTO progress_reports (assignment_id, unit_id, actor_id, at, percent, text) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(assignment_id).bind(unit).bind(actor).bind(at).bind(r.percent).bind(r.text)
        .scalar(&mut *tx).await?;
        for e in r.evidence {
            query(
                "INSERT INTO evidence (assignment_id, progress_report_id, file_name, media_type, size_bytes, sha256, storage_key, uploaded_by, uploaded_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            )
            .bind(assignment_id).bind(id).bind(&e.file_name).bind(&e.media_type).bind(e.size_bytes)
            .bind(&e.sha256).bind(&e.storage_key).bind(actor).bind(at)
            .execute(&mut *tx).await?;
        }
        idempotency::settle(tx, r.once, id).await?;
        let entries = started.into_iter().chain(audit.map(|e| e.with_after("report", id))).collect();
        Ok((id, entries))
    })
    .await
}

/// A progress report as stored.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ProgressRow {
    /// Id.
    pub id: Id,
    /// Unit that reported.
    pub unit_id: Id,
    /// Who.
    pub actor_id: Option<Id>,
    /// When.
    pub at: DateTime<Utc>,
    /// Percent done.
    pub percent: Option<i64>,
    /// Text.
    pub text: String,
}

/// Progress reports of an assignment, oldest first.
pub async fn progress_reports(db: &Db, assignment_id: Id) -> Result<Vec<ProgressRow>> {
    let rows = query("SELECT id, unit_id, actor_id, at, percent, text FROM progress_reports WHERE assignment_id = $1 ORDER BY at, id")
            .bind(assignment_id).fetch_all(db).await?;
    Ok(rows)
}

/// Evidence as stored.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct EvidenceRow {
    /// Id.
    pub id: Id,
    /// Assignment.
    pub assignment_id: Id,
    /// Report it came with.
    pub progress_report_id: Option<Id>,
    /// File name.
    pub file_name: String,
    /// Media type.
    pub media_type: String,
    /// Size.
    pub size_bytes: i64,
    /// SHA-256.
    pub sha256: String,
    /// Key in the file store.
    pub storage_key: String,
}

/// Evidence files of an assignment.
pub async fn evidence(db: &Db, assignment_id: Id) -> Result<Vec<EvidenceRow>> {
    let rows = query("SELECT id, assignment_id, progress_report_id, file_name, media_type, size_bytes, sha256, storage_key FROM evidence WHERE assignment_id = $1 ORDER BY id")
            .bind(assignment_id).fetch_all(db).await?;
    Ok(rows)
}

/// An extension request to record; with `once`, recorded once per submission key.
#[derive(Debug, Clone, Copy)]
pub struct NewExtension<'a> {
    /// The assignment whose due date should move.
    pub assignment_id: Id,
    /// Who asks.
    pub by: Option<Id>,
    /// The due date asked for.
    pub new_due: NaiveDate,
    /// Why.
    pub reason: &'a str,
    /// When.
    pub at: DateTime<Utc>,
    /// The submission key: a repeat answers the first request's id and writes nothing.
    pub once: Option<&'a Submission>,
}

/// [`system::request_extension`] with its audit row in the same transaction (`after.request` = the
/// new request's id added).
pub async fn request_extension_audited(
    db: &Db,
    request: &NewExtension<'_>,
    audit: &AuditEntry,
) -> Result<Id> {
    request_extension_in(db, request, Some(audit)).await
}

async fn request_extension_in(
    db: &Db,
    r: &NewExtension<'_>,
    audit: Option<&AuditEntry>,
) -> Result<Id> {
    let scope = idempotency::scope("extension.request", r.assignment_id);
    let assignment_id = r.assignment_id;
    audited(db, r.at, async |tx| {
        if let Some(first) = idempotency::claim(tx, r.once, &scope, r.at).await? {
            return Ok((first, Vec::new()));
        }
        let old: Option<Option<NaiveDate>> = query("SELECT due FROM assignments WHERE id = $1")
            .bind(assignment_id).scalar_optional(&mut *tx).await?;
        let old = old.ok_or(StoreError::NotFound { what: "phân công", id: assignment_id })?;
        let id: i64 = query(
            "INSERT INTO extension_requests (assignment_id, requested_by, requested_at, old_due, new_due, reason) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(assignment_id).bind(r.by).bind(r.at).bind(old).bind(r.new_due).bind(r.reason)
        .scalar(&mut *tx).await?;
        idempotency::settle(tx, r.once, id).await?;
        Ok((id, audit.map(|e| e.with_after("request", id)).into_iter().collect()))
    })
    .await
}

/// [`system::decide_extension`] with its audit row in the same transaction: `before.due` and
/// `after.due` (the assignment's due date around the decision) added.
pub async fn decide_extension_audited(
    db: &Db,
    request_id: Id,
    approve: bool,
    by: Option<Id>,
    note: Option<&str>,
    at: DateTime<Utc>,
    audit: &AuditEntry,
) -> Result<()> {
    decide_extension_in(db, request_id, approve, by, note, at, Some(audit)).await
}

async fn decide_extension_in(
    db: &Db,
    request_id: Id,
    approve: bool,
    by: Option<Id>,
    note: Option<&str>,
    at: DateTime<Utc>,
    audit: Option<&AuditEntry>,
) -> Result<()> {
    audited(db, at, async |tx| {
        let assignment: Option<i64> = query(
            "UPDATE extension_requests SET state = $1, decided_by = $2, decided_at = $3, decision_note = $4 \
             WHERE id = $5 AND state = 'pending' RETURNING assignment_id",
        )
        .bind(if approve { "approved" } else { "refused" })
        .bind(by).bind(at).bind(note).bind(request_id)
        .scalar_optional(&mut *tx).await?;
        let Some(assignment) = assignment else {
            return Err(StoreError::Rejected("đề nghị gia hạn không còn chờ quyết định".into()));
        };
        let due_sql = "SELECT due FROM assignments WHERE id = $1";
        let before: Option<NaiveDate> = query(due_sql).bind(assignment).scalar(&mut *tx).await?;
        let mut after = before;
        if approve {
            query(&format!("{RECOMPUTE_DUE} WHERE id = $1")).bind(assignment).execute(&mut *tx).await?;
            refresh_class_intervals(&mut *tx, &[assignment]).await?;
            after = query(due_sql).bind(assignment).scalar(&mut *tx).await?;
        }
        let entry = audit.map(|e| {
            e.with_before("due", before.map(|d| d.to_string()))
                .with_after("due", after.map(|d| d.to_string()))
        });
        Ok(((), entry.into_iter().collect()))
    })
    .await
}

/// An obstacle to raise; with `once`, recorded once per submission key.
#[derive(Debug, Clone, Copy)]
pub struct NewObstacle<'a> {
    /// The assignment it is about.
    pub assignment_id: Id,
    /// Who raises it.
    pub by: Option<Id>,
    /// The difficulty.
    pub text: &'a str,
    /// When.
    pub at: DateTime<Utc>,
    /// The submission key: a repeat answers the first obstacle's id and writes nothing.
    pub once: Option<&'a Submission>,
}

/// [`system::raise_obstacle`] with its audit row in the same transaction (`after.obstacle` = the new
/// obstacle's id added).
pub async fn raise_obstacle_audited(
    db: &Db,
    obstacle: &NewObstacle<'_>,
    audit: &AuditEntry,
) -> Result<Id> {
    raise_obstacle_in(db, obstacle, Some(audit)).await
}

async fn raise_obstacle_in(db: &Db, r: &NewObstacle<'_>, audit: Option<&AuditEntry>) -> Result<Id> {
    let scope = idempotency::scope("obstacle.raise", r.assignment_id);
    audited(db, r.at, async |tx| {
        if let Some(first) = idempotency::claim(tx, r.once, &scope, r.at).await? {
            return Ok((first, Vec::new()));
        }
        let id: i64 = query("INSERT INTO obstacles (assignment_id, raised_by, raised_at, text) VALUES ($1, $2, $3, $4) RETURNING id")
            .bind(r.assignment_id).bind(r.by).bind(r.at).bind(r.text)
            .scalar(&mut *tx).await
            .map_err(StoreError::on_foreign_key("phân công không tồn tại"))?;
        idempotency::settle(tx, r.once, id).await?;
        Ok((id, audit.map(|e| e.with_after("obstacle", id)).into_iter().collect()))
    })
    .await
}

/// [`system::answer_obstacle`] with its audit row in the same transaction (`audit` as given).
pub async fn answer_obstacle_audited(
    db: &Db,
    obstacle_id: Id,
    by: Option<Id>,
    answer: &str,
    at: DateTime<Utc>,
    audit: &AuditEntry,
) -> Result<()> {
    answer_obstacle_in(db, obstacle_id, by, answer, at, Some(audit)).await
}

async fn answer_obstacle_in(
    db: &Db,
    obstacle_id: Id,
    by: Option<Id>,
    answer: &str,
    at: DateTime<Utc>,
    audit: Option<&AuditEntry>,
) -> Result<()> {
    audited(db, at, async |tx| {
        let done = query("UPDATE obstacles SET state = 'answered', answer = $1, answered_by = $2, answered_at = $3 WHERE id = $4 AND state = 'open'")
            .bind(answer).bind(by).bind(at).bind(obstacle_id)
            .execute(&mut *tx).await?;
        if done == 0 {
            return Err(StoreError::Rejected(
                "vướng mắc không tồn tại hoặc đã được trả lời".into(),
            ));
        }
        Ok(((), audit.cloned().into_iter().collect()))
    })
    .await
}

/// A reminder to create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewReminder {
    /// Unit reminded.
    pub unit_id: Id,
    /// Assignment it is about (None for an urging notice listing several).
    pub assignment_id: Option<Id>,
    /// `due_in_7`, `due_in_1`, `overdue` or `urging`.
    pub kind: String,
    /// The day it is for (the job's day).
    pub for_date: NaiveDate,
    /// Text.
    pub message: String,
    /// Who made it (None for the daily job).
    pub created_by: Option<Id>,
}

/// [`system::create_reminder`] by a person: when the reminder is created, `audit` is written in the
/// same transaction (a reminder that existed already changes nothing and is not audited).
pub async fn create_reminder_audited(
    db: &Db,
    r: &NewReminder,
    at: DateTime<Utc>,
    audit: &AuditEntry,
) -> Result<bool> {
    create_reminder_in(db, r, at, Some(audit)).await
}

async fn create_reminder_in(
    db: &Db,
    r: &NewReminder,
    at: DateTime<Utc>,
    audit: Option<&AuditEntry>,
) -> Result<bool> {
    audited(db, at, async |tx| {
        let done = query(
            "INSERT INTO reminders (unit_id, assignment_id, kind, for_date, message, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING",
        )
        .bind(r.unit_id)
        .bind(r.assignment_id)
        .bind(&r.kind)
        .bind(r.for_date)
        .bind(&r.message)
        .bind(r.created_by)
        .bind(at)
        .execute(&mut *tx)
        .await?;
        // A reminder that existed already changes nothing and is not audited.
        let entry = audit.filter(|_| done == 1).cloned();
        Ok((done == 1, entry.into_iter().collect()))
    })
    .await
}

/// [`system::add_contribution`] with its audit row in the same transaction (`after.contribution` =
/// the new contribution's id added).
pub async fn add_contribution_audited(
    db: &Db,
    task_id: Id,
    unit_id: Id,
    actor: Option<Id>,
    text: &str,
    at: DateTime<Utc>,
    audit: &AuditEntry,
) -> Result<Id> {
    add_contribution_in(db, task_id, unit_id, actor, text, at, Some(audit)).await
}

async fn add_contribution_in(
    db: &Db,
    task_id: Id,
    unit_id: Id,
    actor: Option<Id>,
    text: &str,
    at: DateTime<Utc>,
    audit: Option<&AuditEntry>,
) -> Result<Id> {
    audited(db, at, async |tx| {
        let id: i64 = query("INSERT INTO contributions (task_id, unit_id, actor_id, at, text) VALUES ($1, $2, $3, $4, $5) RETURNING id")
            .bind(task_id).bind(unit_id).bind(actor).bind(at).bind(text)
            .scalar(&mut *tx).await
            .map_err(StoreError::on_foreign_key("nhiệm vụ hoặc đơn vị không tồn tại"))?;
        Ok((id, audit.map(|e| e.with_after("contribution", id)).into_iter().collect()))
    })
    .await
}

/// Writes without an audit row, for system loads only: the demo loader, importers, the
/// benchmarks and tests. A change made for a person goes through the `*_audited` function of
/// the same name (audit row and notices in its transaction); keeping these under `system::`
/// makes a call that skips the audit row visible where it is made.
pub mod system {
    use super::*;
    /// Stores a progress report with its evidence in one transaction, attributed to the
    /// assignment's current unit. Returns the report id. Unaudited (system loads); people's
    /// reports go through [`add_progress_report_audited`].
    pub async fn add_progress_report(
        db: &Db,
        assignment_id: Id,
        actor: Option<Id>,
        percent: Option<i64>,
        text: &str,
        evidence: &[NewEvidence],
        at: DateTime<Utc>,
    ) -> Result<Id> {
        let report = NewProgress {
            assignment_id,
            actor,
            percent,
            text,
            evidence,
            at,
            once: None,
        };
        add_progress_report_in(db, &report, None, None).await
    }

    /// Records an extension request. Returns its id.
    pub async fn request_extension(
        db: &Db,
        assignment_id: Id,
        by: Option<Id>,
        new_due: NaiveDate,
        reason: &str,
        at: DateTime<Utc>,
    ) -> Result<Id> {
        let request = NewExtension {
            assignment_id,
            by,
            new_due,
            reason,
            at,
            once: None,
        };
        request_extension_in(db, &request, None).await
    }

    /// Approves or refuses a pending extension request in one transaction; an approval moves
    /// the assignment's due date.
    pub async fn decide_extension(
        db: &Db,
        request_id: Id,
        approve: bool,
        by: Option<Id>,
        note: Option<&str>,
        at: DateTime<Utc>,
    ) -> Result<()> {
        decide_extension_in(db, request_id, approve, by, note, at, None).await
    }

    /// Raises an obstacle (vướng mắc) to the monitor. Returns its id.
    pub async fn raise_obstacle(
        db: &Db,
        assignment_id: Id,
        by: Option<Id>,
        text: &str,
        at: DateTime<Utc>,
    ) -> Result<Id> {
        let obstacle = NewObstacle {
            assignment_id,
            by,
            text,
            at,
            once: None,
        };
        raise_obstacle_in(db, &obstacle, None).await
    }

    /// Answers an open obstacle.
    pub async fn answer_obstacle(
        db: &Db,
        obstacle_id: Id,
        by: Option<Id>,
        answer: &str,
        at: DateTime<Utc>,
    ) -> Result<()> {
        answer_obstacle_in(db, obstacle_id, by, answer, at, None).await
    }

    /// Adds a coordinating unit's contribution to a task. Returns its id.
    pub async fn add_contribution(
        db: &Db,
        task_id: Id,
        unit_id: Id,
        actor: Option<Id>,
        text: &str,
        at: DateTime<Utc>,
    ) -> Result<Id> {
        add_contribution_in(db, task_id, unit_id, actor, text, at, None).await
    }

    /// Creates a reminder unless the same one (kind, assignment, unit, day) exists already:
    /// every instance may run the daily job. Returns true when created.
    pub async fn create_reminder(db: &Db, r: &NewReminder, at: DateTime<Utc>) -> Result<bool> {
        super::create_reminder_in(db, r, at, None).await
    }
}
