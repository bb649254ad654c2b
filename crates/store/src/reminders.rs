//! The daily reminder job: for one day, a reminder per open assignment due in 7 days, due
//! tomorrow, or overdue since today, with a notification to the accounts of its unit, and a
//! daily digest of the newly overdue ones to the province's monitors.
//!
//! Exactly once: each reminder is inserted under the unique key (kind, assignment, unit, day)
//! with `ON CONFLICT DO NOTHING`, and the notifications go out in the same transaction only for
//! the reminders that this run actually inserted. Running the job twice, or on several
//! instances at the same moment, therefore creates every reminder and notification once.
//! A run that created something appends one summary audit row by the system actor.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use tinhgon_domain::model::Id;
use tinhgon_domain::records::ReminderKind;
use tinhgon_domain::reminder::{self, ReminderSubject};

use crate::error::{Result, StoreError};
use crate::notifications::insert_notifications;
use crate::tx::query;
use crate::Db;

/// An open assignment the job reminds about.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct DueAssignment {
    /// Assignment.
    pub id: Id,
    /// Responsible unit.
    pub unit_id: Id,
    /// Province the assignment belongs to.
    pub province_id: Option<Id>,
    /// Due date in force.
    pub due: NaiveDate,
    /// Task reference.
    pub task_ref: String,
    /// Task content.
    pub content: String,
    /// Plan number.
    pub plan_number: Option<String>,
}

impl DueAssignment {
    fn subject(&self) -> ReminderSubject<'_> {
        ReminderSubject {
            plan_number: self.plan_number.as_deref(),
            task_ref: &self.task_ref,
            content: &self.content,
            due: self.due,
        }
    }
}

/// What one run did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JobOutcome {
    /// Assignments that qualified on the day (whoever created their reminders).
    pub candidates: u64,
    /// Reminders this run created, by stored kind (the monitors' digests under `overdue_digest`).
    pub created: BTreeMap<String, u64>,
    /// Notifications this run created.
    pub notifications: u64,
}

impl JobOutcome {
    /// Reminders created by this run, digests included.
    pub fn total_created(&self) -> u64 {
        self.created.values().sum()
    }
}

/// The open assignments that get a reminder on `today`, with its kind, by unit then due date.
pub async fn due_for(db: &Db, today: NaiveDate) -> Result<Vec<(ReminderKind, DueAssignment)>> {
    let targets = reminder::job_targets(today);
    let mut dates: Vec<NaiveDate> = targets.iter().map(|(_, d)| *d).collect();
    // job_targets yields three days except at the ends of the calendar; pad with a repeat.
    while dates.len() < 3 {
        dates.push(dates.first().copied().unwrap_or(today));
    }
    // Same rule as the today-view classes: standing tasks have no due date to remind of, a
    // conditional task counts only once its condition happened.
    let sql = "SELECT a.id, a.unit_id, a.province_id, a.due, t.ref AS task_ref, t.content, p.number AS plan_number \
               FROM assignments a JOIN tasks t ON t.id = a.task_id JOIN plans p ON p.id = a.plan_id \
               WHERE a.due IN ($1, $2, $3) AND a.status NOT IN ('done', 'cancelled') \
               AND t.deadline_kind NOT IN ('ongoing', 'recurring') \
               AND NOT (t.deadline_kind = 'conditional' AND (t.triggered_on IS NULL OR t.triggered_on > $4)) \
               ORDER BY a.unit_id, a.due, a.id";
    let rows: Vec<DueAssignment> = query(sql)
        .bind(dates[0])
        .bind(dates[1])
        .bind(dates[2])
        .bind(today)
        .fetch_all(db)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|a| {
            let kind = targets.iter().find(|(_, d)| *d == a.due).map(|(k, _)| *k)?;
            Some((kind, a))
        })
        .collect())
}

/// Runs the job for `today` (a Vietnam calendar day); `now` stamps what it creates.
pub async fn run_daily(db: &Db, today: NaiveDate, now: DateTime<Utc>) -> Result<JobOutcome> {
    let due = due_for(db, today).await?;
    let mut outcome = JobOutcome {
        candidates: due.len() as u64,
        ..JobOutcome::default()
    };
    let mut groups: BTreeMap<(Id, &'static str), (ReminderKind, Vec<DueAssignment>)> =
        BTreeMap::new();
    let mut overdue_by_province: BTreeMap<Id, Vec<NaiveDate>> = BTreeMap::new();
    for (kind, a) in due {
        if reminder::tells_monitors(kind) {
            if let Some(p) = a.province_id {
                overdue_by_province.entry(p).or_default().push(a.due);
            }
        }
        groups
            .entry((a.unit_id, reminder::store_kind(kind)))
            .or_insert_with(|| (kind, Vec::new()))
            .1
            .push(a);
    }
    for ((unit_id, kind_name), (kind, items)) in groups {
        let (created, notified) = remind_unit(db, unit_id, kind, &items, today, now).await?;
        if created > 0 {
            *outcome.created.entry(kind_name.to_string()).or_insert(0) += created;
        }
        outcome.notifications += notified;
    }
    for (province, dues) in overdue_by_province {
        let due = dues.first().copied().unwrap_or(today);
        let (created, notified) =
            digest_to_monitors(db, province, dues.len(), due, today, now).await?;
        if created {
            *outcome
                .created
                .entry(reminder::OVERDUE_DIGEST.to_string())
                .or_insert(0) += 1;
        }
        outcome.notifications += notified;
    }
    if outcome.total_created() > 0 {
        // One summary row per run that wrote something, by the system. It follows the units'
        // transactions (each reminder is exactly-once on its own); a run that found everything
        // done already (a second instance, a restart) changes nothing and leaves no row.
        let total = outcome.total_created();
        let entry = crate::audit::AuditEntry::system(
            "reminders.daily",
            "job",
            None,
            serde_json::json!({
                "day": today.to_string(),
                "candidates": outcome.candidates,
                "created": total,
                "by_kind": outcome.created,
                "notifications": outcome.notifications,
            }),
        );
        crate::audit::append(db, &entry, now).await?;
    }
    Ok(outcome)
}

/// One unit's reminders of one kind in one transaction, notified only for those this call
/// inserted. Returns (reminders created, notifications created).
async fn remind_unit(
    db: &Db,
    unit_id: Id,
    kind: ReminderKind,
    items: &[DueAssignment],
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<(u64, u64)> {
    let kind_name = reminder::store_kind(kind);
    db.write(async |tx| {
        let mut created: Vec<&DueAssignment> = Vec::new();
        for a in items {
            let message = reminder::reminder_message(kind, &a.subject());
            let n = query(
                "INSERT INTO reminders (unit_id, assignment_id, kind, for_date, message, created_by, created_at) \
                 VALUES ($1, $2, $3, $4, $5, NULL, $6) ON CONFLICT DO NOTHING",
            )
            .bind(unit_id)
            .bind(a.id)
            .bind(kind_name)
            .bind(today)
            .bind(&message)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            if n == 1 {
                created.push(a);
            }
        }
        let mut notified = 0u64;
        if !created.is_empty() {
            let users: Vec<i64> = query("SELECT id FROM users WHERE unit_id = $1 AND active = TRUE ORDER BY id")
                .bind(unit_id)
                .scalars(&mut *tx)
                .await?;
            let subjects: Vec<ReminderSubject<'_>> = created.iter().map(|a| a.subject()).collect();
            let ids: Vec<Id> = created.iter().map(|a| a.id).collect();
            let text = reminder::unit_notice(kind, &subjects);
            let link = reminder::notice_link(kind, &ids);
            notified = insert_notifications(tx, &users, Some(unit_id), kind_name, &text, Some(link.as_str()), now).await?;
        }
        Ok((created.len() as u64, notified))
    }).await
}

/// The monitors' digest for a province: a reminder row without assignment, addressed to the
/// province unit, keeps it to one a day. Returns (created, notifications).
async fn digest_to_monitors(
    db: &Db,
    province: Id,
    count: usize,
    due: NaiveDate,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<(bool, u64)> {
    let text = reminder::monitor_digest(count, due);
    db.write(async |tx| {
        let n = query(
            "INSERT INTO reminders (unit_id, assignment_id, kind, for_date, message, created_by, created_at) \
             VALUES ($1, NULL, 'overdue', $2, $3, NULL, $4) ON CONFLICT DO NOTHING",
        )
        .bind(province)
        .bind(today)
        .bind(&text)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        let mut notified = 0u64;
        if n == 1 {
            let monitors: Vec<i64> = query(
                "SELECT id FROM users WHERE role = 'monitor' AND province_id = $1 AND active = TRUE ORDER BY id",
            )
            .bind(province)
            .scalars(&mut *tx)
            .await?;
            notified = insert_notifications(tx, &monitors, Some(province), reminder::OVERDUE_DIGEST, &text, Some("/dashboard"), now).await?;
        }
        Ok((n == 1, notified))
    }).await
}

/// The monitor's urging notice (đôn đốc) to a unit, in one transaction: a reminder per listed
/// assignment (once a day each), a notification to every active account of the unit (e-mails
/// queued with it) and the audit row. Returns how many notifications were created.
// The notice is one use case; each argument is a part of it that the caller already has.
#[allow(clippy::too_many_arguments)]
pub async fn urge(
    db: &Db,
    unit_id: Id,
    assignment_ids: &[Id],
    message: &str,
    link: &str,
    audit: &crate::audit::AuditEntry,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<u64> {
    crate::audit::audited(db, now, async |tx| {
        let mut fresh = 0;
        for aid in assignment_ids {
            fresh += query(
                "INSERT INTO reminders (unit_id, assignment_id, kind, for_date, message, created_by, created_at) \
                 VALUES ($1, $2, 'urging', $3, $4, $5, $6) ON CONFLICT DO NOTHING",
            )
            .bind(unit_id)
            .bind(aid)
            .bind(today)
            .bind(message)
            .bind(audit.actor_id)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        // A second click (or a second monitor) the same day about the same overdue work would
        // only repeat the notices: refused, and nothing is written.
        if fresh == 0 && !assignment_ids.is_empty() {
            return Err(StoreError::Rejected(
                "Đơn vị đã được đôn đốc hôm nay về các nhiệm vụ quá hạn này; không gửi lại trong ngày.".into(),
            ));
        }
        let users: Vec<i64> = query("SELECT id FROM users WHERE unit_id = $1 AND active = TRUE ORDER BY id")
            .bind(unit_id)
            .scalars(&mut *tx)
            .await?;
        let notified = insert_notifications(tx, &users, Some(unit_id), "urging", message, Some(link), now).await?;
        Ok((notified, vec![audit.clone()]))
    })
    .await
}

/// One urging of a unit as its page lists it: the day, who urged, the notice, and how many
/// assignments it named.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Urging {
    /// The day (Vietnam).
    pub day: NaiveDate,
    /// Who urged (display name); none for an account since removed.
    pub by: Option<String>,
    /// The notice sent.
    pub message: String,
    /// Assignments it named.
    pub assignments: i64,
}

/// The urgings of `unit`, newest first, at most `limit`.
pub async fn urgings(db: &Db, unit: Id, limit: i64) -> Result<Vec<Urging>> {
    let rows: Vec<(NaiveDate, Option<String>, String, i64)> = query(
        "SELECT r.for_date, u.display_name, r.message, COUNT(*) FROM reminders r LEFT JOIN users u ON u.id = r.created_by \
         WHERE r.unit_id = $1 AND r.kind = 'urging' GROUP BY r.for_date, u.display_name, r.message \
         ORDER BY r.for_date DESC, MAX(r.id) DESC LIMIT $2",
    )
    .bind(unit)
    .bind(limit)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(day, by, message, assignments)| Urging {
            day,
            by,
            message,
            assignments,
        })
        .collect())
}

/// On how many days `unit` was urged since its last progress report (all urgings when it
/// never reported), and the first of those days.
pub async fn urged_days_without_progress(db: &Db, unit: Id) -> Result<(i64, Option<NaiveDate>)> {
    let last: Option<DateTime<Utc>> =
        query("SELECT MAX(at) FROM progress_reports WHERE unit_id = $1")
            .bind(unit)
            .scalar(db)
            .await?;
    let since = last.unwrap_or(DateTime::<Utc>::UNIX_EPOCH);
    query(
        "SELECT COUNT(DISTINCT for_date), MIN(for_date) FROM reminders \
         WHERE unit_id = $1 AND kind = 'urging' AND created_at > $2",
    )
    .bind(unit)
    .bind(since)
    .fetch_one(db)
    .await
}
