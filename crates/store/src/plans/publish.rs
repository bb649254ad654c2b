//! Publishing a reviewed draft: tasks, coordinators and assignments written in one
//! transaction, group leads expanded against the register valid on the plan's date.

use super::*;

/// An agency mention of a task that does not resolve.
#[derive(Debug, Clone)]
pub struct TaskUnresolved {
    /// Task reference ("PL.13").
    pub task_ref: String,
    /// Position of the task in the draft (from 0).
    pub task_index: usize,
    /// What did not resolve; `unresolved.key` is this one mention's key in the agency map.
    pub unresolved: Unresolved,
}

/// Why a task stops publication.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublishProblem {
    /// Position of the task in the draft (from 0).
    pub task_index: usize,
    /// Task reference ("PL.10").
    pub task_ref: String,
    /// What is wrong (Vietnamese), e.g. "chưa có cơ quan chủ trì".
    pub message: String,
}

impl PublishProblem {
    /// "PL.10: chưa có cơ quan chủ trì".
    pub fn sentence(&self) -> String {
        format!("{}: {}", self.task_ref, self.message)
    }
}

/// The refusal of a publication that has `problems` (Vietnamese, names every task).
pub fn refusal(problems: &[PublishProblem]) -> String {
    format!(
        "chưa ban hành được: {} cơ quan chủ trì chưa xác định trong danh mục — {}",
        problems.len(),
        problems
            .iter()
            .map(PublishProblem::sentence)
            .collect::<Vec<_>>()
            .join("; ")
    )
}

/// What publication would write for a draft, or why it cannot.
struct Checked {
    rows: Vec<TaskRows>,
    problems: Vec<PublishProblem>,
    unresolved_coordinating: Vec<String>,
}

/// Expands every task of `rec` (with the reviewer's mapping): the rows to write and the
/// problems that stop publication. One function for the review page and the publication, so
/// that both say the same.
fn check_draft(rec: &PlanRecord, reg: &RegisterSnapshot, date: NaiveDate) -> Checked {
    let resolver = reg.resolver();
    let keys = task_keys(&rec.draft.tasks);
    let mut out = Checked {
        rows: Vec::with_capacity(rec.draft.tasks.len()),
        problems: Vec::new(),
        unresolved_coordinating: Vec::new(),
    };
    for (index, (t, key)) in rec.draft.tasks.iter().zip(&keys).enumerate() {
        let e = expand_task_keyed(t, key, &resolver, rec.province_id, date, &rec.agency_map);
        let problem = |message: String| PublishProblem {
            task_index: index,
            task_ref: t.reference.clone(),
            message,
        };
        let mut coordinating_text = Vec::new();
        for u in &e.unresolved {
            match u.role {
                MentionRole::Lead => out
                    .problems
                    .push(problem(format!("\"{}\" ({})", u.mention.text, u.reason))),
                MentionRole::Coordinating => {
                    coordinating_text.push(u.mention.text.clone());
                    out.unresolved_coordinating
                        .push(format!("{}: {}", t.reference, u.mention.text));
                }
            }
        }
        if e.assignments.is_empty() && e.unresolved.iter().all(|u| u.role != MentionRole::Lead) {
            out.problems
                .push(problem("chưa có cơ quan chủ trì".to_string()));
        }
        out.rows.push(TaskRows {
            assignments: e
                .assignments
                .iter()
                .map(|a| (a.unit_id, a.via_group.as_ref().map(enum_str)))
                .collect(),
            coordinating: e.coordinating,
            coordinating_text,
        });
    }
    out
}

/// The problems that would stop the publication of a draft today (an empty list: it can be
/// published): what the review page shows before the reviewer presses "Ban hành".
pub async fn publish_problems(
    db: &Db,
    plan_id: Id,
    as_of: NaiveDate,
) -> Result<Vec<PublishProblem>> {
    let rec = get_plan(db, plan_id).await?;
    let reg = plan_register(db, &rec).await?;
    let date = plan_date(&rec.draft.document, as_of);
    Ok(check_draft(&rec, &reg, date).problems)
}

/// The register of the plan's province (empty for a plan of no province), against which its
/// agencies resolve.
async fn plan_register(db: &Db, rec: &PlanRecord) -> Result<RegisterSnapshot> {
    match rec.province_id {
        Some(p) => load_register(db, p).await,
        None => Ok(RegisterSnapshot::default()),
    }
}

/// The date the register is read at for a plan: its issue date, else `fallback`.
fn plan_date(meta: &DocumentMeta, fallback: NaiveDate) -> NaiveDate {
    meta.date.unwrap_or(fallback)
}

/// The agencies of a draft that do not resolve (with the reviewer's mapping applied):
/// what the review page lists before publication.
pub async fn unresolved_agencies(
    db: &Db,
    plan_id: Id,
    as_of: NaiveDate,
) -> Result<Vec<TaskUnresolved>> {
    let rec = get_plan(db, plan_id).await?;
    let reg = plan_register(db, &rec).await?;
    let resolver = reg.resolver();
    let date = plan_date(&rec.draft.document, as_of);
    let keys = task_keys(&rec.draft.tasks);
    Ok(rec
        .draft
        .tasks
        .iter()
        .zip(&keys)
        .enumerate()
        .flat_map(|(index, (t, key))| {
            expand_task_keyed(t, key, &resolver, rec.province_id, date, &rec.agency_map)
                .unresolved
                .into_iter()
                .map(move |u| TaskUnresolved {
                    task_ref: t.reference.clone(),
                    task_index: index,
                    unresolved: u,
                })
        })
        .collect())
}

/// A task ready to be written.
struct TaskRows {
    assignments: Vec<(Id, Option<String>)>,
    coordinating: Vec<Id>,
    coordinating_text: Vec<String>,
}

/// [`system::publish_plan`] with its audit row in the same transaction: `before.state` = draft and
/// `after.state` = published, `after.tasks` and `after.assignments` (the counts) added.
pub async fn publish_plan_audited(
    db: &Db,
    plan_id: Id,
    by: Option<Id>,
    as_of: NaiveDate,
    now: DateTime<Utc>,
    audit: &crate::audit::AuditEntry,
) -> Result<Published> {
    publish_plan_in(db, plan_id, by, as_of, now, Some(audit), &[]).await
}

/// A staffing target written with the plan's publication, and its audit row (`after.target`,
/// the new target's id, added).
pub type PlanTarget = (crate::staffing::NewTarget, crate::audit::AuditEntry);

/// [`publish_plan_audited`] that also adds the staffing targets found in the plan, linked to
/// it, in the same transaction.
pub async fn publish_plan_with_targets_audited(
    db: &Db,
    plan_id: Id,
    by: Option<Id>,
    as_of: NaiveDate,
    now: DateTime<Utc>,
    audit: &crate::audit::AuditEntry,
    targets: &[PlanTarget],
) -> Result<Published> {
    publish_plan_in(db, plan_id, by, as_of, now, Some(audit), targets).await
}

pub(super) async fn publish_plan_in(
    db: &Db,
    plan_id: Id,
    by: Option<Id>,
    as_of: NaiveDate,
    now: DateTime<Utc>,
    audit: Option<&crate::audit::AuditEntry>,
    targets: &[PlanTarget],
) -> Result<Published> {
    let rec = get_plan(db, plan_id).await?;
    if rec.plan.state != PlanState::Draft {
        return Err(StoreError::Rejected(
            "kế hoạch đã được ban hành trước đó".into(),
        ));
    }
    let reg = plan_register(db, &rec).await?;
    let date = plan_date(&rec.draft.document, as_of);
    let Checked {
        rows,
        problems,
        unresolved_coordinating,
    } = check_draft(&rec, &reg, date);
    if !problems.is_empty() {
        return Err(StoreError::Rejected(refusal(&problems)));
    }
    let monitor = match rec.plan.monitor_unit_id {
        Some(m) => Some(m),
        None => default_monitor(&reg, date),
    };
    let on_date = tinhgon_domain::local_date(now);
    let mut written = 0usize;
    crate::audit::audited(db, now, async |tx| {
        let mut created: Vec<Id> = Vec::new();
        // The state check is repeated inside the transaction: two reviewers may press at once.
        let claimed = query(
            "UPDATE plans SET state = 'published', published_at = $1, published_by = $2, monitor_unit_id = $3, updated_at = $1 \
             WHERE id = $4 AND state = 'draft'",
        )
        .bind(now)
        .bind(by)
        .bind(monitor)
        .bind(plan_id)
        .execute(&mut *tx)
        .await?;
        if claimed != 1 {
            return Err(StoreError::Conflict("kế hoạch vừa được ban hành".into()));
        }
        for (position, (t, r)) in rec.draft.tasks.iter().zip(&rows).enumerate() {
            let dl = &t.deadline;
            let task_id: i64 = query(
                "INSERT INTO tasks (plan_id, position, ref, content, folded_content, deadline_text, deadline_kind, due, \
                 due_precision, period, deadline_event, deadline_start, deliverable, lead_json, source_layout, line_start, line_end) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) RETURNING id",
            )
            .bind(plan_id)
            .bind(position as i64)
            .bind(&t.reference)
            .bind(&t.content)
            .bind(search_key(&t.content))
            .bind(&dl.text)
            .bind(enum_str(&dl.kind))
            .bind(dl.due)
            .bind(dl.precision.as_ref().map(enum_str))
            .bind(dl.period.as_ref().map(enum_str))
            .bind(&dl.event)
            .bind(dl.start)
            .bind(&t.deliverable)
            .bind(json(&t.lead)?)
            .bind(&t.source.layout)
            .bind(t.source.line_start as i64)
            .bind(t.source.line_end as i64)
            .scalar(&mut *tx)
            .await?;
            for unit in &r.coordinating {
                query("INSERT INTO task_coordinators (task_id, unit_id, agency_text) SELECT $1, id, name FROM units WHERE id = $2")
                    .bind(task_id).bind(unit).execute(&mut *tx).await?;
            }
            for text in &r.coordinating_text {
                query("INSERT INTO task_coordinators (task_id, unit_id, agency_text) VALUES ($1, NULL, $2)")
                    .bind(task_id).bind(text).execute(&mut *tx).await?;
            }
            let due = initial_due(dl.kind, dl.due);
            for (unit, via) in &r.assignments {
                let assignment_id: i64 = query(
                    "INSERT INTO assignments (task_id, plan_id, province_id, unit_id, original_unit_id, via_group, due, status, created_at, updated_at) \
                     VALUES ($1, $2, $3, $4, $4, $5, $6, 'not_started', $7, $7) RETURNING id",
                )
                .bind(task_id)
                .bind(plan_id)
                .bind(rec.province_id)
                .bind(unit)
                .bind(via)
                .bind(due)
                .bind(now)
                .scalar(&mut *tx)
                .await?;
                query(
                    "INSERT INTO status_changes (assignment_id, unit_id, from_status, to_status, actor_id, at, on_date, note) \
                     VALUES ($1, $2, NULL, 'not_started', $3, $4, $5, 'giao nhiệm vụ khi ban hành kế hoạch')",
                )
                .bind(assignment_id)
                .bind(unit)
                .bind(by)
                .bind(now)
                .bind(on_date)
                .execute(&mut *tx)
                .await?;
                created.push(assignment_id);
                written += 1;
            }
        }
        crate::intervals::refresh_class_intervals(&mut *tx, &created).await?;
        let entry = audit.map(|e| {
            e.with_before("state", "draft")
                .with_after("state", "published")
                .with_after("tasks", rows.len())
                .with_after("assignments", written)
        });
        let mut entries: Vec<crate::audit::AuditEntry> = entry.into_iter().collect();
        for (t, e) in targets {
            let id = crate::staffing::insert_target(tx, t, by, now).await?;
            entries.push(e.with_after("target", id));
        }
        Ok(((), entries))
    })
    .await?;
    Ok(Published {
        tasks: rows.len(),
        assignments: written,
        unresolved_coordinating,
    })
}

/// The due date an assignment starts with: a conditional deadline waits for its trigger,
/// standing duties have none.
pub(crate) fn initial_due(kind: DeadlineKind, due: Option<NaiveDate>) -> Option<NaiveDate> {
    match kind {
        DeadlineKind::Ongoing | DeadlineKind::Recurring | DeadlineKind::Conditional => None,
        DeadlineKind::By | DeadlineKind::During | DeadlineKind::Unspecified => due,
    }
}

/// Sở Nội vụ of the province on `date`: the default monitoring unit.
fn default_monitor(reg: &RegisterSnapshot, date: NaiveDate) -> Option<Id> {
    reg.units
        .iter()
        .find(|u| u.is_valid_on(date) && search_key(&u.name) == "so noi vu")
        .map(|u| u.id)
}
