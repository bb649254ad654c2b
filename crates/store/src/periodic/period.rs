//! Reporting periods: which month, quarter, half or year a day falls in, its label as written
//! in reports ("quý III/2025"), the previous period, and the cut-off and due dates a schedule
//! gives it.

use chrono::{Datelike, Days, NaiveDate};
use serde::{Deserialize, Serialize};
use tinhgon_domain::calendar;

/// How often a plan's agencies report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PeriodKind {
    /// Hằng tháng.
    Monthly,
    /// Hằng quý.
    Quarterly,
    /// Sáu tháng.
    HalfYearly,
    /// Hằng năm.
    Yearly,
    /// Đột xuất: dates set by hand.
    AdHoc,
}

impl PeriodKind {
    /// Every kind, in the order forms list them.
    pub const ALL: [PeriodKind; 5] = [
        PeriodKind::Monthly,
        PeriodKind::Quarterly,
        PeriodKind::HalfYearly,
        PeriodKind::Yearly,
        PeriodKind::AdHoc,
    ];

    /// Stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            PeriodKind::Monthly => "monthly",
            PeriodKind::Quarterly => "quarterly",
            PeriodKind::HalfYearly => "half_yearly",
            PeriodKind::Yearly => "yearly",
            PeriodKind::AdHoc => "ad_hoc",
        }
    }

    /// Parses a stored name.
    pub fn parse(s: &str) -> Option<PeriodKind> {
        PeriodKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Vietnamese name for forms.
    pub fn label_vi(self) -> &'static str {
        match self {
            PeriodKind::Monthly => "Hằng tháng",
            PeriodKind::Quarterly => "Hằng quý",
            PeriodKind::HalfYearly => "6 tháng",
            PeriodKind::Yearly => "Hằng năm",
            PeriodKind::AdHoc => "Đột xuất",
        }
    }
}

/// One reporting period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    /// Kind.
    pub kind: PeriodKind,
    /// Label as written in running text ("quý III/2025").
    pub label: String,
    /// First day.
    pub start: NaiveDate,
    /// Last day.
    pub end: NaiveDate,
}

/// The period of `kind` that contains `day` (None for ad hoc, which has no calendar).
pub fn period_containing(kind: PeriodKind, day: NaiveDate) -> Option<Period> {
    let year = day.year();
    let (label, start, end) = match kind {
        PeriodKind::Monthly => {
            let m = day.month();
            (
                format!("tháng {m}/{year}"),
                calendar::start_of_month(year, m)?,
                calendar::end_of_month(year, m)?,
            )
        }
        PeriodKind::Quarterly => {
            let q = calendar::quarter_of(day);
            (
                format!("quý {}/{year}", calendar::u32_to_roman(q)?),
                calendar::start_of_quarter(year, q)?,
                calendar::end_of_quarter(year, q)?,
            )
        }
        PeriodKind::HalfYearly => {
            let h = calendar::half_year_of(day);
            let which = if h == 1 { "đầu" } else { "cuối" };
            (
                format!("6 tháng {which} năm {year}"),
                calendar::start_of_half_year(year, h)?,
                calendar::end_of_half_year(year, h)?,
            )
        }
        PeriodKind::Yearly => (
            format!("năm {year}"),
            calendar::start_of_year(year)?,
            calendar::end_of_year(year)?,
        ),
        PeriodKind::AdHoc => return None,
    };
    Some(Period {
        kind,
        label,
        start,
        end,
    })
}

/// The period just before `p` (None for ad hoc).
pub fn previous_period(p: &Period) -> Option<Period> {
    let before = p.start.pred_opt()?;
    period_containing(p.kind, before)
}

/// The cut-off of a period: day `cutoff_day` of its last month (0, or a day past the month's
/// end, means the month's last day), never after the period's end.
pub fn cutoff_of(p: &Period, cutoff_day: u32) -> NaiveDate {
    let (y, m) = (p.end.year(), p.end.month());
    let last = calendar::days_in_month(y, m).unwrap_or(28);
    let day = if cutoff_day == 0 || cutoff_day > last {
        last
    } else {
        cutoff_day
    };
    calendar::date(y, m, day).map_or(p.end, |d| d.min(p.end))
}

/// The due date of the agencies' reports: `due_days` after the cut-off.
pub fn due_of(cutoff: NaiveDate, due_days: u32) -> NaiveDate {
    cutoff
        .checked_add_days(Days::new(u64::from(due_days)))
        .unwrap_or(cutoff)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("date")
    }

    #[test]
    fn labels_and_bounds_follow_the_calendar() {
        let q = period_containing(PeriodKind::Quarterly, d(2025, 11, 3)).expect("quarter");
        assert_eq!(
            (q.label.as_str(), q.start, q.end),
            ("quý IV/2025", d(2025, 10, 1), d(2025, 12, 31))
        );
        let m = period_containing(PeriodKind::Monthly, d(2024, 2, 10)).expect("month");
        assert_eq!((m.label.as_str(), m.end), ("tháng 2/2024", d(2024, 2, 29)));
        let h = period_containing(PeriodKind::HalfYearly, d(2025, 3, 1)).expect("half");
        assert_eq!(
            (h.label.as_str(), h.end),
            ("6 tháng đầu năm 2025", d(2025, 6, 30))
        );
        let y = period_containing(PeriodKind::Yearly, d(2025, 3, 1)).expect("year");
        assert_eq!(y.label, "năm 2025");
        assert!(period_containing(PeriodKind::AdHoc, d(2025, 3, 1)).is_none());
    }

    #[test]
    fn previous_period_crosses_years() {
        let q1 = period_containing(PeriodKind::Quarterly, d(2026, 2, 1)).expect("q1");
        let prev = previous_period(&q1).expect("prev");
        assert_eq!(prev.label, "quý IV/2025");
        let h1 = period_containing(PeriodKind::HalfYearly, d(2026, 2, 1)).expect("h1");
        assert_eq!(
            previous_period(&h1).expect("prev").label,
            "6 tháng cuối năm 2025"
        );
    }

    #[test]
    fn cutoff_is_a_day_of_the_last_month_clamped() {
        let q = period_containing(PeriodKind::Quarterly, d(2025, 8, 1)).expect("q3");
        assert_eq!(cutoff_of(&q, 15), d(2025, 9, 15));
        assert_eq!(cutoff_of(&q, 31), d(2025, 9, 30));
        assert_eq!(cutoff_of(&q, 0), d(2025, 9, 30));
        let feb = period_containing(PeriodKind::Monthly, d(2025, 2, 1)).expect("feb");
        assert_eq!(cutoff_of(&feb, 30), d(2025, 2, 28));
        assert_eq!(due_of(d(2025, 9, 15), 3), d(2025, 9, 18));
    }

    #[test]
    fn kinds_round_trip() {
        for k in PeriodKind::ALL {
            assert_eq!(PeriodKind::parse(k.as_str()), Some(k));
        }
        assert_eq!(PeriodKind::parse("weekly"), None);
    }
}
