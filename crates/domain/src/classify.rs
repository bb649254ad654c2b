//! Status classification exactly as the government counts, for any past day.
//!
//! Rules (all judged with what was known at the end of `as_of`, Vietnam time):
//! - an assignment not yet created on `as_of`, or cancelled by then, is not counted (`None`);
//! - the status on `as_of` is the last change made before the end of that local day;
//! - the due date is the deadline's own date, replaced by the latest extension *approved* by
//!   then; a conditional deadline is due only once its trigger has happened by then, at the
//!   deadline's own date if it has one, else `trigger + condition_days`
//!   ([`DEFAULT_CONDITION_DAYS`] when not set: "trong vòng 30 ngày kể từ …" is the usual rule);
//! - done: the completion date is the day the unit proposed the completion the monitor then
//!   confirmed (a slow confirmation is not the unit's delay), or the confirmation day when no
//!   proposal preceded it; on or before the due date → on time, after → late; without a due
//!   date → on time; the due date is the one in force on `as_of`, so an extension the monitor
//!   approves after a late completion regularises it from the approval on (never before);
//! - open standing duties (ongoing, recurring) are `Standing`; so are open assignments with
//!   no due date at all (by/during/unspecified without a date): with no date there is nothing
//!   to be late against, and the monitor sees them with the standing duties to follow up;
//! - open conditional not yet triggered → `WaitingForCondition`;
//! - open and `as_of` after the due date → `Overdue`; else started → `InProgress`,
//!   not started → `NotDue`.

use chrono::{DateTime, Days, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::assignment::{Status, StatusChange};
use crate::class::StatusClass;
use crate::deadline::{Deadline, DeadlineKind};
use crate::localtime::{end_of_local_day, local_date};

/// Days after the trigger when a conditional deadline gives no date of its own.
pub const DEFAULT_CONDITION_DAYS: u32 = 30;

/// An approved extension: the new due date and when the monitor approved it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApprovedExtension {
    /// New due date.
    pub due: NaiveDate,
    /// When approved; the extension counts from then on.
    pub decided_at: DateTime<Utc>,
}

/// Everything classification needs to know about one assignment, including facts that
/// happened after the day asked about (they are ignored).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssignmentFacts {
    /// Kind of the task's deadline.
    pub kind: DeadlineKind,
    /// The deadline's own due date.
    pub original_due: Option<NaiveDate>,
    /// Approved extensions, any order.
    pub extensions: Vec<ApprovedExtension>,
    /// Day the condition of a conditional deadline happened.
    pub trigger: Option<NaiveDate>,
    /// Days after the trigger the task is due when the deadline has no date of its own.
    pub condition_days: Option<u32>,
    /// When the assignment was created.
    pub created_at: DateTime<Utc>,
    /// Status changes, any order.
    pub history: Vec<StatusChange>,
    /// Times of progress reports (for standing duties judged per period).
    pub reports: Vec<DateTime<Utc>>,
}

impl AssignmentFacts {
    /// Facts for a fresh assignment of a task with `deadline`, created at `created_at`.
    pub fn new(deadline: &Deadline, created_at: DateTime<Utc>) -> Self {
        AssignmentFacts::fresh(deadline.kind, deadline.due, None, None, created_at)
    }

    /// Facts with nothing happened yet (no extension, change or report) from the task's
    /// deadline as stored: its kind and own due date, the trigger day and condition days.
    pub fn fresh(
        kind: DeadlineKind,
        original_due: Option<NaiveDate>,
        trigger: Option<NaiveDate>,
        condition_days: Option<u32>,
        created_at: DateTime<Utc>,
    ) -> Self {
        AssignmentFacts {
            kind,
            original_due,
            extensions: Vec::new(),
            trigger,
            condition_days,
            created_at,
            history: Vec::new(),
            reports: Vec::new(),
        }
    }

    /// The history known at the end of `as_of`, in time order (stable for equal times).
    fn known_history(&self, as_of: NaiveDate) -> Vec<&StatusChange> {
        let cutoff = end_of_local_day(as_of);
        let mut h: Vec<&StatusChange> = self.history.iter().filter(|c| c.at < cutoff).collect();
        h.sort_by_key(|c| c.at);
        h
    }

    /// Status at the end of `as_of` (not started when nothing happened yet).
    pub fn status_on(&self, as_of: NaiveDate) -> Status {
        self.known_history(as_of)
            .last()
            .map_or(Status::NotStarted, |c| c.to)
    }

    /// True when the condition of a conditional deadline had happened by `as_of`.
    fn triggered_by(&self, as_of: NaiveDate) -> bool {
        self.trigger.is_some_and(|t| t <= as_of)
    }

    /// The due date in force at the end of `as_of`; None when there is none (standing duty,
    /// untriggered condition, no date given).
    pub fn due_on(&self, as_of: NaiveDate) -> Option<NaiveDate> {
        let base = match self.kind {
            DeadlineKind::Ongoing | DeadlineKind::Recurring => return None,
            DeadlineKind::Conditional => {
                let trigger = self.trigger.filter(|t| *t <= as_of)?;
                let days = self.condition_days.unwrap_or(DEFAULT_CONDITION_DAYS);
                self.original_due
                    .or_else(|| trigger.checked_add_days(Days::new(u64::from(days))))
            }
            DeadlineKind::By | DeadlineKind::During | DeadlineKind::Unspecified => {
                self.original_due
            }
        };
        let cutoff = end_of_local_day(as_of);
        // The most recently approved extension wins: a later decision replaces an earlier one.
        let extended = self
            .extensions
            .iter()
            .filter(|e| e.decided_at < cutoff)
            .max_by_key(|e| e.decided_at)
            .map(|e| e.due);
        extended.or(base)
    }

    /// The local day the work counted as completed, if the status on `as_of` is done.
    pub fn completed_on(&self, as_of: NaiveDate) -> Option<NaiveDate> {
        let h = self.known_history(as_of);
        let (done, before) = h.split_last()?;
        if done.to != Status::Done {
            return None;
        }
        // The proposal confirmed is the last one before the confirmation with no return
        // or restart in between.
        let proposal = before
            .iter()
            .rev()
            .take_while(|c| c.to == Status::CompletionProposed)
            .last();
        Some(local_date(proposal.map_or(done.at, |p| p.at)))
    }
}

/// The class of the assignment on `as_of`; None when it is not counted that day.
pub fn classify(facts: &AssignmentFacts, as_of: NaiveDate) -> Option<StatusClass> {
    if facts.created_at >= end_of_local_day(as_of) {
        return None;
    }
    let status = facts.status_on(as_of);
    let due = facts.due_on(as_of);
    match status {
        Status::Cancelled => None,
        Status::Done => {
            let completed = facts.completed_on(as_of)?;
            Some(match due {
                Some(d) if completed > d => StatusClass::DoneLate,
                _ => StatusClass::DoneOnTime,
            })
        }
        open => Some(classify_open(facts, open, due, as_of)),
    }
}

/// Class of an open assignment.
fn classify_open(
    facts: &AssignmentFacts,
    status: Status,
    due: Option<NaiveDate>,
    as_of: NaiveDate,
) -> StatusClass {
    if matches!(facts.kind, DeadlineKind::Ongoing | DeadlineKind::Recurring) {
        return StatusClass::Standing;
    }
    if facts.kind == DeadlineKind::Conditional && !facts.triggered_by(as_of) {
        return StatusClass::WaitingForCondition;
    }
    match due {
        None => StatusClass::Standing,
        Some(d) if as_of > d => StatusClass::Overdue,
        Some(_) if status.is_started() => StatusClass::InProgress,
        Some(_) => StatusClass::NotDue,
    }
}

/// How a standing duty fared in one reporting period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PeriodOutcome {
    /// At least one progress report or status change was made within the period.
    Reported,
    /// Nothing was reported within the period.
    NotReported,
}

/// Whether the unit reported on the assignment within `[period_start, period_end]` (local days).
///
/// None when the assignment is not counted at the end of the period (not created yet, or
/// cancelled). Used for standing duties, which are judged per reporting period.
pub fn classify_period(
    facts: &AssignmentFacts,
    period_start: NaiveDate,
    period_end: NaiveDate,
) -> Option<PeriodOutcome> {
    classify(facts, period_end)?;
    let in_period = |at: &DateTime<Utc>| {
        let d = local_date(*at);
        period_start <= d && d <= period_end
    };
    let reported = facts.reports.iter().any(in_period)
        || facts.history.iter().any(|c| {
            in_period(&c.at) && matches!(c.to, Status::InProgress | Status::CompletionProposed)
        });
    Some(if reported {
        PeriodOutcome::Reported
    } else {
        PeriodOutcome::NotReported
    })
}

#[cfg(test)]
#[path = "classify_tests.rs"]
mod tests;
