//! An amending document (văn bản sửa đổi, bổ sung) applied to the plan it amends: every change
//! it keeps goes through the same rules as a change made by hand, all in one transaction with
//! the amending document recorded as published and linked to the amended plan. One refused
//! change refuses the whole amendment, and each change's refusal is reported beside it.

use chrono::NaiveDate;
use tinhgon_domain::model::Id;

use super::{Basis, NewTask};
use crate::audit::{append_all, AuditEntry};
use crate::error::{Result, StoreError};
use crate::tx::{query, Tx};
use crate::Db;

/// What one change of the amendment does, with its ids resolved.
#[derive(Debug, Clone)]
pub enum Planned<'a> {
    /// Open assignment `assignment` given to unit `to`.
    Reassign {
        /// The assignment.
        assignment: Id,
        /// The new lead.
        to: Id,
    },
    /// Open assignment `assignment` due on `due`.
    Due {
        /// The assignment.
        assignment: Id,
        /// The new due date.
        due: NaiveDate,
    },
    /// A task added to the amended plan.
    AddTask(NewTask<'a>),
    /// A task withdrawn from the amended plan.
    WithdrawTask {
        /// The task.
        task: Id,
    },
}

/// One step of the amendment: which change of the draft it applies, what it does, and its
/// audit entry (with the notices it sends).
#[derive(Debug, Clone)]
pub struct Step<'a> {
    /// The change's position among the amendment's changes.
    pub change: usize,
    /// What it does.
    pub op: Planned<'a>,
    /// Its audit entry.
    pub audit: AuditEntry,
}

/// What a step did or would do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Applied (or applicable): the values before and after in words.
    Done {
        /// The change's position among the amendment's changes.
        change: usize,
        /// Before.
        before: String,
        /// After.
        after: String,
    },
    /// Refused by a rule, with the rule's reason.
    Refused {
        /// The change's position among the amendment's changes.
        change: usize,
        /// Why.
        reason: String,
    },
}

impl Outcome {
    /// True for a refusal.
    pub fn refused(&self) -> bool {
        matches!(self, Outcome::Refused { .. })
    }
}

async fn step_in(
    tx: &mut Tx,
    amended: Id,
    step: &Step<'_>,
    basis: &Basis<'_>,
) -> Result<AuditEntry> {
    Ok(match &step.op {
        Planned::Reassign { assignment, to } => {
            super::reassign_in(tx, *assignment, *to, basis, &step.audit)
                .await?
                .1
        }
        Planned::Due { assignment, due } => {
            super::change_due_in(tx, *assignment, *due, basis, &step.audit)
                .await?
                .1
        }
        Planned::AddTask(task) => {
            super::add_task::add_task_in(tx, amended, task, basis, &step.audit)
                .await?
                .1
        }
        Planned::WithdrawTask { task } => {
            super::withdraw_task_in(tx, *task, basis, &step.audit)
                .await?
                .1
        }
    })
}

/// Applies `steps` of amending document `amendment` (a draft) to published plan `amended`, in
/// one transaction: each step through its plan change rule, recording `basis` (whose
/// `amendment` names the document); then the document is published as an amendment of the
/// plan and `audit` (its own row) appended after the steps' rows. When any step is refused,
/// or when `dry_run`, nothing is kept. Returns each step's outcome, in order.
pub async fn apply_amendment_audited(
    db: &Db,
    amendment: Id,
    amended: Id,
    steps: &[Step<'_>],
    basis: &Basis<'_>,
    audit: &AuditEntry,
    dry_run: bool,
) -> Result<Vec<Outcome>> {
    let mut outcomes: Vec<Outcome> = Vec::new();
    let mut refused = false;
    let result = db
        .write(async |tx| {
            let state: Option<String> = query("SELECT state FROM plans WHERE id = $1")
                .bind(amended)
                .scalar_optional(&mut *tx)
                .await?;
            if state.as_deref() != Some("published") {
                return Err(StoreError::Rejected(
                    "chỉ sửa đổi, bổ sung được kế hoạch đã ban hành".into(),
                ));
            }
            let own: Option<String> = query("SELECT state FROM plans WHERE id = $1")
                .bind(amendment)
                .scalar_optional(&mut *tx)
                .await?;
            if own.as_deref() != Some("draft") {
                return Err(StoreError::Rejected(
                    "văn bản sửa đổi, bổ sung đã được áp dụng".into(),
                ));
            }
            let mut entries = Vec::new();
            for step in steps {
                let last: i64 = query("SELECT COALESCE(MAX(id), 0) FROM plan_changes")
                    .scalar(&mut *tx)
                    .await?;
                match step_in(tx, amended, step, basis).await {
                    Ok(entry) => {
                        let rows: Vec<(String, String)> = query(
                            "SELECT before_text, after_text FROM plan_changes WHERE id > $1 ORDER BY id",
                        )
                        .bind(last)
                        .fetch_all(&mut *tx)
                        .await?;
                        let (before, after) = rows.into_iter().next().unwrap_or_default();
                        outcomes.push(Outcome::Done {
                            change: step.change,
                            before,
                            after,
                        });
                        entries.push(entry);
                    }
                    // A rule's refusal is reported beside its change; the others still run so
                    // every refusal is known at once. Database failures end the transaction.
                    Err(StoreError::Rejected(reason)) => {
                        refused = true;
                        outcomes.push(Outcome::Refused {
                            change: step.change,
                            reason,
                        });
                    }
                    Err(StoreError::NotFound { what, .. }) => {
                        refused = true;
                        outcomes.push(Outcome::Refused {
                            change: step.change,
                            reason: format!("không tìm thấy {what}"),
                        });
                    }
                    Err(e) => return Err(e),
                }
            }
            if refused || dry_run {
                // Rolls back everything the steps wrote.
                return Err(StoreError::Rejected(String::new()));
            }
            query(
                "UPDATE plans SET state = 'published', amends_plan_id = $1, published_at = $2, updated_at = $2 WHERE id = $3",
            )
            .bind(amended)
            .bind(basis.at)
            .bind(amendment)
            .execute(&mut *tx)
            .await?;
            entries.push(
                audit
                    .with_after("amends", amended)
                    .with_after("changes", steps.len()),
            );
            append_all(tx, &entries, basis.at).await?;
            Ok(())
        })
        .await;
    match result {
        Ok(()) => Ok(outcomes),
        Err(StoreError::Rejected(m)) if m.is_empty() => Ok(outcomes),
        Err(e) => Err(e),
    }
}

/// Links draft `draft` to the plan it amends (`Some`) or unlinks it (`None`), with its audit
/// row; a published plan is not relinked.
pub async fn set_amends_audited(
    db: &Db,
    draft: Id,
    amends: Option<Id>,
    audit: &AuditEntry,
    at: chrono::DateTime<chrono::Utc>,
) -> Result<()> {
    crate::audit::audited(db, at, async |tx| {
        let n = query(
            "UPDATE plans SET amends_plan_id = $1, updated_at = $2 WHERE id = $3 AND state = 'draft'",
        )
        .bind(amends)
        .bind(at)
        .bind(draft)
        .execute(&mut *tx)
        .await?;
        if n == 0 {
            return Err(StoreError::Rejected(
                "kế hoạch đã ban hành, không đổi được nữa".into(),
            ));
        }
        Ok(((), vec![audit.with_after("amends", amends)]))
    })
    .await
}

/// The plan `plan` amends (chosen at review, or applied), if any.
pub async fn amended_plan(db: &Db, plan: Id) -> Result<Option<Id>> {
    Ok(query("SELECT amends_plan_id FROM plans WHERE id = $1")
        .bind(plan)
        .scalar_optional::<Option<Id>>(db)
        .await?
        .flatten())
}

/// A published amendment of a plan, as the plan page lists it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct AmendmentRow {
    /// Its plan row.
    pub id: Id,
    /// Its number.
    pub number: Option<String>,
    /// Its title.
    pub title: Option<String>,
    /// Its date of issue.
    pub issued_on: Option<NaiveDate>,
    /// Changes it made.
    pub changes: i64,
}

/// The published amendments of `plan`, oldest first.
pub async fn amendments_of(db: &Db, plan: Id) -> Result<Vec<AmendmentRow>> {
    query(
        "SELECT p.id, p.number, p.title, p.issued_on, \
         (SELECT COUNT(*) FROM plan_changes c WHERE c.amendment_id = p.id) AS changes \
         FROM plans p WHERE p.amends_plan_id = $1 AND p.state = 'published' ORDER BY p.published_at, p.id",
    )
    .bind(plan)
    .fetch_all(db)
    .await
}

/// The published plan of `province` with number `number` (not itself an amendment).
pub async fn published_by_number(
    db: &Db,
    province: Option<Id>,
    number: &str,
) -> Result<Option<Id>> {
    query(
        "SELECT id FROM plans WHERE COALESCE(province_id, 0) = COALESCE($1, 0) AND state = 'published' \
         AND amends_plan_id IS NULL AND UPPER(TRIM(number)) = UPPER(TRIM($2)) ORDER BY id LIMIT 1",
    )
    .bind(province)
    .bind(number)
    .scalar_optional(db)
    .await
}

/// The published plans of `province` an amendment may amend: (id, number, title), newest first.
pub async fn amendable(
    db: &Db,
    province: Option<Id>,
) -> Result<Vec<(Id, Option<String>, Option<String>)>> {
    query(
        "SELECT id, number, title FROM plans WHERE COALESCE(province_id, 0) = COALESCE($1, 0) \
         AND state = 'published' AND amends_plan_id IS NULL ORDER BY published_at DESC, id DESC",
    )
    .bind(province)
    .fetch_all(db)
    .await
}

/// The task of `plan` with reference `reference` (case and spaces aside).
pub async fn task_by_ref(db: &Db, plan: Id, reference: &str) -> Result<Option<Id>> {
    query(
        "SELECT id FROM tasks WHERE plan_id = $1 AND UPPER(REPLACE(ref, ' ', '')) = UPPER(REPLACE($2, ' ', '')) ORDER BY id LIMIT 1",
    )
    .bind(plan)
    .bind(reference)
    .scalar_optional(db)
    .await
}
