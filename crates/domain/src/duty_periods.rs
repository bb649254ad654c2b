//! Recurring and standing duties judged period by period. A recurring task ("định kỳ hằng
//! quý") is due at the end of each period of its own; a standing duty ("thường xuyên") has no
//! date and is judged in each reporting period of its plan. Either way a period is kept when
//! the unit reported on the duty inside it, kept late when the first report after it came in
//! the next period, and missed otherwise; the period still running is open.

use chrono::{Datelike, Duration, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::Period;

/// How one period of a duty went.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PeriodState {
    /// Reported inside the period.
    OnTime,
    /// Not reported inside the period, but in the next one.
    Late,
    /// Not reported inside the period nor in the next one (or the next is still running and
    /// nothing came yet).
    Missed,
    /// The period is still running and nothing is reported yet.
    Open,
}

impl PeriodState {
    /// All states, in report order.
    pub const ALL: [PeriodState; 4] = [
        PeriodState::OnTime,
        PeriodState::Late,
        PeriodState::Missed,
        PeriodState::Open,
    ];

    /// Vietnamese label.
    pub fn label_vi(self) -> &'static str {
        match self {
            PeriodState::OnTime => "Đã thực hiện trong kỳ",
            PeriodState::Late => "Thực hiện muộn (kỳ sau)",
            PeriodState::Missed => "Chưa thực hiện",
            PeriodState::Open => "Đang trong kỳ",
        }
    }

    /// Stable name.
    pub fn as_str(self) -> &'static str {
        match self {
            PeriodState::OnTime => "on_time",
            PeriodState::Late => "late",
            PeriodState::Missed => "missed",
            PeriodState::Open => "open",
        }
    }
}

/// One period of a duty and how it went.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DutyPeriod {
    /// First day.
    pub start: NaiveDate,
    /// Last day (the period's due date).
    pub end: NaiveDate,
    /// How it went.
    pub state: PeriodState,
}

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN)
}

/// The last day of month `m` of year `y`.
fn month_end(y: i32, m: u32) -> NaiveDate {
    let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    ymd(ny, nm, 1) - Duration::days(1)
}

/// The calendar period of kind `period` that contains `day`: the day, its week (Monday to
/// Sunday), month, quarter, half-year or year.
pub fn bounds(period: Period, day: NaiveDate) -> (NaiveDate, NaiveDate) {
    let (y, m) = (day.year(), day.month());
    let months = |len: u32| {
        let first = (m - 1) / len * len + 1;
        (ymd(y, first, 1), month_end(y, first + len - 1))
    };
    match period {
        Period::Daily => (day, day),
        Period::Weekly => {
            let start = day - Duration::days(i64::from(day.weekday().num_days_from_monday()));
            (start, start + Duration::days(6))
        }
        Period::Monthly => months(1),
        Period::Quarterly => months(3),
        Period::HalfYearly => months(6),
        Period::Yearly => months(12),
    }
}

/// The periods of kind `period` from the one containing `from` to the one containing `to`,
/// oldest first (none when `to` is before `from`). At most `limit` of the latest are kept.
pub fn periods(
    period: Period,
    from: NaiveDate,
    to: NaiveDate,
    limit: usize,
) -> Vec<(NaiveDate, NaiveDate)> {
    let mut out = Vec::new();
    if to < from {
        return out;
    }
    let mut at = bounds(period, to);
    loop {
        out.push(at);
        if out.len() >= limit || at.0 <= from {
            break;
        }
        at = bounds(period, at.0 - Duration::days(1));
    }
    out.reverse();
    out
}

/// Judges each period of kind `period` from `from` to `today` against the days the unit
/// reported (`reports`, in any order), keeping at most `limit` of the latest periods.
pub fn judge(
    period: Period,
    from: NaiveDate,
    today: NaiveDate,
    reports: &[NaiveDate],
    limit: usize,
) -> Vec<DutyPeriod> {
    let mut days = reports.to_vec();
    days.sort_unstable();
    let any_in = |s: NaiveDate, e: NaiveDate| {
        let i = days.partition_point(|d| *d < s);
        days.get(i).is_some_and(|d| *d <= e)
    };
    periods(period, from, today, limit)
        .into_iter()
        .map(|(start, end)| {
            let state = if any_in(start, end.min(today)) {
                PeriodState::OnTime
            } else if end >= today {
                PeriodState::Open
            } else {
                let next = bounds(period, end + Duration::days(1));
                if any_in(next.0, next.1.min(today)) {
                    PeriodState::Late
                } else {
                    PeriodState::Missed
                }
            };
            DutyPeriod { start, end, state }
        })
        .collect()
}

/// The period that ended last before `today` (the one a dashboard judges).
pub fn last_ended(period: Period, today: NaiveDate) -> (NaiveDate, NaiveDate) {
    let current = bounds(period, today);
    bounds(period, current.0 - Duration::days(1))
}

/// How often, in words ("hằng quý").
pub fn every_vi(period: Period) -> &'static str {
    match period {
        Period::Daily => "hằng ngày",
        Period::Weekly => "hằng tuần",
        Period::Monthly => "hằng tháng",
        Period::Quarterly => "hằng quý",
        Period::HalfYearly => "6 tháng",
        Period::Yearly => "hằng năm",
    }
}

/// How a period is named on a page ("Quý III/2025", "Tháng 10/2025", "6 tháng đầu năm 2025").
pub fn label_vi(period: Period, start: NaiveDate) -> String {
    let (y, m) = (start.year(), start.month());
    match period {
        Period::Daily => start.format("Ngày %d/%m/%Y").to_string(),
        Period::Weekly => format!("Tuần từ {}", start.format("%d/%m/%Y")),
        Period::Monthly => format!("Tháng {m}/{y}"),
        Period::Quarterly => {
            let q = ["I", "II", "III", "IV"][((m - 1) / 3) as usize];
            format!("Quý {q}/{y}")
        }
        Period::HalfYearly if m <= 6 => format!("6 tháng đầu năm {y}"),
        Period::HalfYearly => format!("6 tháng cuối năm {y}"),
        Period::Yearly => format!("Năm {y}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        ymd(y, m, day)
    }

    #[test]
    fn quarters_are_calendar_quarters() {
        assert_eq!(
            bounds(Period::Quarterly, d(2025, 8, 14)),
            (d(2025, 7, 1), d(2025, 9, 30))
        );
        assert_eq!(
            bounds(Period::HalfYearly, d(2025, 12, 31)),
            (d(2025, 7, 1), d(2025, 12, 31))
        );
        assert_eq!(
            bounds(Period::Monthly, d(2024, 2, 10)),
            (d(2024, 2, 1), d(2024, 2, 29))
        );
        assert_eq!(
            bounds(Period::Weekly, d(2026, 12, 7)),
            (d(2026, 12, 7), d(2026, 12, 13))
        );
        assert_eq!(label_vi(Period::Quarterly, d(2025, 7, 1)), "Quý III/2025");
        assert_eq!(
            last_ended(Period::Quarterly, d(2026, 1, 5)),
            (d(2025, 10, 1), d(2025, 12, 31))
        );
    }

    #[test]
    fn a_quarterly_duty_is_kept_late_missed_and_open() {
        // Published 20/7/2025; reports 10/9/2025 (Q3), 5/1/2026 (for Q4, late), none for Q1.
        let reports = [d(2025, 9, 10), d(2026, 1, 5)];
        let got = judge(
            Period::Quarterly,
            d(2025, 7, 20),
            d(2026, 5, 2),
            &reports,
            20,
        );
        let states: Vec<PeriodState> = got.iter().map(|p| p.state).collect();
        assert_eq!(
            states,
            [
                PeriodState::OnTime, // Q3/2025
                PeriodState::Late,   // Q4/2025, reported in Q1/2026
                PeriodState::OnTime, // Q1/2026: the January report lies inside it
                PeriodState::Open,   // Q2/2026, running
            ]
        );
        assert_eq!(got[0].start, d(2025, 7, 1));
    }

    proptest! {
        #[test]
        fn periods_tile_the_span_without_gaps(
            kind in 0usize..6, from in 0i64..2000, len in 0i64..1500,
        ) {
            let period = [Period::Daily, Period::Weekly, Period::Monthly, Period::Quarterly, Period::HalfYearly, Period::Yearly][kind];
            let from = d(2022, 1, 1) + Duration::days(from);
            let to = from + Duration::days(len);
            let ps = periods(period, from, to, usize::MAX);
            prop_assert!(!ps.is_empty());
            prop_assert!(ps[0].0 <= from && from <= ps[0].1);
            let last = ps[ps.len() - 1];
            prop_assert!(last.0 <= to && to <= last.1);
            for w in ps.windows(2) {
                prop_assert_eq!(w[0].1 + Duration::days(1), w[1].0);
            }
            for p in &ps {
                prop_assert_eq!(bounds(period, p.0), *p);
                prop_assert_eq!(bounds(period, p.1), *p);
            }
        }

        #[test]
        fn a_report_inside_a_period_keeps_it_and_only_the_last_can_be_open(
            kind in 2usize..6, offsets in proptest::collection::vec(0i64..1200, 0..12), len in 0i64..1200,
        ) {
            let period = [Period::Daily, Period::Weekly, Period::Monthly, Period::Quarterly, Period::HalfYearly, Period::Yearly][kind];
            let from = d(2023, 3, 15);
            let today = from + Duration::days(len);
            let reports: Vec<NaiveDate> = offsets.iter().map(|o| from + Duration::days(*o)).collect();
            let got = judge(period, from, today, &reports, usize::MAX);
            for (i, p) in got.iter().enumerate() {
                let inside = reports.iter().any(|r| p.start <= *r && *r <= p.end && *r <= today);
                prop_assert_eq!(inside, p.state == PeriodState::OnTime);
                if p.state == PeriodState::Open {
                    prop_assert_eq!(i, got.len() - 1);
                }
            }
        }
    }
}
