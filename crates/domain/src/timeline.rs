//! An assignment's class as a step function of the day: the intervals over which
//! [`classify`] gives the same answer.
//!
//! The class can only change on a few days: the creation day, the day of each status change,
//! of each extension approval, of the trigger, and the day after each due date that may be in
//! force. A store can keep these intervals per assignment and count a past day with a range
//! lookup (`from ≤ day < to`) instead of replaying every history.

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::class::StatusClass;
use crate::classify::{classify, AssignmentFacts, DEFAULT_CONDITION_DAYS};
use crate::localtime::local_date;

/// The class over `[from, to)`; `to` None: from then on. `class` None: not counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClassInterval {
    /// First day.
    pub from: NaiveDate,
    /// First day after (None: open-ended).
    pub to: Option<NaiveDate>,
    /// Class over the interval.
    pub class: Option<StatusClass>,
}

/// The days on which the class may change, sorted and unique.
fn breakpoints(f: &AssignmentFacts) -> Vec<NaiveDate> {
    let mut days = vec![local_date(f.created_at)];
    days.extend(f.history.iter().map(|c| local_date(c.at)));
    days.extend(f.extensions.iter().map(|e| local_date(e.decided_at)));
    let mut dues: Vec<NaiveDate> = f.original_due.into_iter().collect();
    dues.extend(f.extensions.iter().map(|e| e.due));
    if let Some(t) = f.trigger {
        days.push(t);
        let n = f.condition_days.unwrap_or(DEFAULT_CONDITION_DAYS);
        dues.extend(t.checked_add_days(Days::new(u64::from(n))));
    }
    // Overdue starts the day after the due date.
    days.extend(dues.iter().filter_map(|d| d.succ_opt()));
    days.sort_unstable();
    days.dedup();
    days
}

/// The intervals from the creation day on (before it the assignment is not counted).
pub fn class_intervals(f: &AssignmentFacts) -> Vec<ClassInterval> {
    let mut out: Vec<ClassInterval> = Vec::new();
    let days = breakpoints(f);
    let first = local_date(f.created_at);
    for day in days.into_iter().filter(|d| *d >= first) {
        let class = classify(f, day);
        match out.last_mut() {
            Some(last) if last.class == class => {}
            Some(last) => {
                last.to = Some(day);
                out.push(ClassInterval {
                    from: day,
                    to: None,
                    class,
                });
            }
            None => out.push(ClassInterval {
                from: day,
                to: None,
                class,
            }),
        }
    }
    out
}

/// The class on `day` read from intervals (None before the first one).
pub fn class_on(intervals: &[ClassInterval], day: NaiveDate) -> Option<StatusClass> {
    intervals
        .iter()
        .find(|i| i.from <= day && i.to.is_none_or(|t| day < t))
        .and_then(|i| i.class)
}
