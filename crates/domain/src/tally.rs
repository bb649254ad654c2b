//! Counting and reminders over classified assignments: what dashboards and the daily job need.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::class::StatusClass;
use crate::error::DomainError;
use crate::records::ReminderKind;

/// Counts by status class; assignments not counted (None) are tallied apart.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClassCounts {
    /// Count per class (every class present, zero included, in report order).
    pub by_class: BTreeMap<StatusClass, u64>,
    /// Assignments not counted that day (cancelled, not yet created).
    pub not_counted: u64,
}

impl ClassCounts {
    /// Tallies classes.
    pub fn tally<I: IntoIterator<Item = Option<StatusClass>>>(classes: I) -> Self {
        let mut c = ClassCounts {
            by_class: StatusClass::ALL.into_iter().map(|k| (k, 0)).collect(),
            not_counted: 0,
        };
        for class in classes {
            match class {
                Some(k) => *c.by_class.entry(k).or_insert(0) += 1,
                None => c.not_counted += 1,
            }
        }
        c
    }

    /// Total counted.
    pub fn total(&self) -> u64 {
        self.by_class.values().sum()
    }

    /// Count of one class.
    pub fn get(&self, class: StatusClass) -> u64 {
        self.by_class.get(&class).copied().unwrap_or(0)
    }

    /// Share of one class in percent of the counted total, one decimal (0 when empty).
    pub fn percent(&self, class: StatusClass) -> f64 {
        let total = self.total();
        if total == 0 {
            return 0.0;
        }
        (self.get(class) as f64 * 1000.0 / total as f64).round() / 10.0
    }
}

/// The automatic reminder due `today` for an open assignment due on `due`, if any: 7 days
/// before, 1 day before, and on the first day it is overdue (only once, so the daily job
/// does not repeat itself).
pub fn reminder_due(due: Option<NaiveDate>, open: bool, today: NaiveDate) -> Option<ReminderKind> {
    let due = due.filter(|_| open)?;
    match (due - today).num_days() {
        7 => Some(ReminderKind::DueIn7),
        1 => Some(ReminderKind::DueIn1),
        -1 => Some(ReminderKind::Overdue),
        _ => None,
    }
}

/// Checks a progress percentage (0–100).
pub fn check_percent(value: i64) -> Result<u8, DomainError> {
    u8::try_from(value)
        .ok()
        .filter(|p| *p <= 100)
        .ok_or(DomainError::InvalidPercent(value))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tally_counts_every_class() {
        let c = ClassCounts::tally([
            Some(StatusClass::Overdue),
            Some(StatusClass::Overdue),
            Some(StatusClass::DoneOnTime),
            None,
        ]);
        assert_eq!(c.total(), 3);
        assert_eq!(c.get(StatusClass::Overdue), 2);
        assert_eq!(c.get(StatusClass::NotDue), 0);
        assert_eq!(c.by_class.len(), StatusClass::ALL.len());
        assert_eq!(c.not_counted, 1);
        assert_eq!(c.percent(StatusClass::Overdue), 66.7);
        assert_eq!(ClassCounts::default().percent(StatusClass::Overdue), 0.0);
    }

    #[test]
    fn reminders_fire_on_exact_days() {
        let due = NaiveDate::from_ymd_opt(2025, 9, 30).unwrap();
        let on = |m, d| {
            reminder_due(
                Some(due),
                true,
                NaiveDate::from_ymd_opt(2025, m, d).unwrap(),
            )
        };
        assert_eq!(on(9, 23), Some(ReminderKind::DueIn7));
        assert_eq!(on(9, 29), Some(ReminderKind::DueIn1));
        assert_eq!(on(9, 30), None);
        assert_eq!(on(10, 1), Some(ReminderKind::Overdue));
        assert_eq!(on(10, 2), None);
        assert_eq!(
            reminder_due(Some(due), false, due.pred_opt().unwrap()),
            None
        );
        assert_eq!(reminder_due(None, true, due), None);
    }

    #[test]
    fn percent_bounds() {
        assert_eq!(check_percent(0), Ok(0));
        assert_eq!(check_percent(100), Ok(100));
        assert!(check_percent(101).is_err());
        let e = check_percent(-5).unwrap_err();
        assert_eq!(
            e.to_string(),
            "tỷ lệ hoàn thành phải từ 0 đến 100, nhận được -5"
        );
    }
}
