//! The staffing figures set beside the attainment: a target's progress year by year, the
//! deputies held above their cap, and the people to send to the grassroots (Kế hoạch
//! 615/KH-UBND, PL.3: "cử 5% cán bộ, công chức, viên chức … đi công tác ở cơ sở").

use std::collections::BTreeSet;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::event::RestructuringEvent;
use crate::model::Id;
use crate::register::predecessors;
use crate::staffing::{attainment, required_reduction, Measure, QuotaBook, ReductionTarget};
use crate::unit::Unit;

/// Share of those working to send to the grassroots, in percent.
pub const GRASSROOTS_PERCENT: u32 = 5;

/// People to send to the grassroots out of `headcount`: 5%, a fraction of a person counting
/// as one (the plan asks for 5%, not "about 5%").
pub fn grassroots_goal(headcount: u32) -> u32 {
    let need = (u64::from(headcount) * u64::from(GRASSROOTS_PERCENT)).div_ceil(100);
    u32::try_from(need).unwrap_or(headcount)
}

/// Deputies held above the cap (0 within it or without a cap).
pub fn deputies_over(deputies: u32, cap: Option<u32>) -> u32 {
    cap.map_or(0, |c| deputies.saturating_sub(c))
}

/// One year of a target's progress.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct YearTotal {
    /// Year.
    pub year: i32,
    /// Positions the covered units hold that year (each unit's latest quota up to it).
    pub total: u32,
}

/// A target's progress from its baseline year to the day asked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    /// Baseline year.
    pub baseline_year: i32,
    /// Positions of the baseline year, through lineage.
    pub baseline: u32,
    /// Positions allowed at most once the target is met (the target line).
    pub max_allowed: u32,
    /// Each later year in which a quota the target counts was assigned, up to the day asked.
    pub years: Vec<YearTotal>,
}

/// True when `unit` is in `scope` (empty: every unit), itself or through a unit that flowed
/// into it by `on`.
pub fn in_scope(unit: Id, scope: &[Id], on: NaiveDate, events: &[RestructuringEvent]) -> bool {
    scope.is_empty()
        || scope.contains(&unit)
        || predecessors(unit, on, events)
            .iter()
            .any(|p| scope.contains(p))
}

/// `target`'s progress over `scope` up to `as_of`: each year is judged on the register as it
/// stood at the end of that year (or on `as_of` for its own year), so a merger of 2025 counts
/// its heir from 2025 on and its predecessors before.
pub fn progress_by_year(
    target: &ReductionTarget,
    scope: &[Id],
    units: &[Unit],
    book: &QuotaBook,
    events: &[RestructuringEvent],
    as_of: NaiveDate,
) -> Progress {
    let judge = |day: NaiveDate| {
        let covered: Vec<Id> = units
            .iter()
            .filter(|u| u.is_valid_on(day) && in_scope(u.id, scope, day, events))
            .map(|u| u.id)
            .collect();
        attainment(&covered, target, book, events, day)
    };
    let now = judge(as_of);
    let years: BTreeSet<i32> = book
        .years(target)
        .into_iter()
        .filter(|y| *y > target.baseline_year && *y <= as_of.year())
        .collect();
    let years = years
        .into_iter()
        .map(|year| {
            let day = NaiveDate::from_ymd_opt(year, 12, 31).map_or(as_of, |end| end.min(as_of));
            YearTotal {
                year,
                total: judge(day).current,
            }
        })
        .collect();
    Progress {
        baseline_year: target.baseline_year,
        baseline: now.baseline,
        max_allowed: now.baseline - required_reduction(now.baseline, target.percent),
        years,
    }
}

/// The units whose headcount at the end of `target`'s baseline year is not known although
/// their figures flow into `unit` on `as_of`: `unit` itself and the units that flowed into it
/// that were in force on the last day of the baseline year and have no headcount of a line
/// the target counts on or before it. Empty for a quota target.
pub fn missing_baseline(
    unit: Id,
    target: &ReductionTarget,
    book: &QuotaBook,
    units: &[Unit],
    events: &[RestructuringEvent],
    as_of: NaiveDate,
) -> Vec<Id> {
    if target.measure != Measure::Headcount {
        return Vec::new();
    }
    let day = target.baseline_day();
    let mut origins = vec![unit];
    origins.extend(predecessors(unit, as_of, events));
    origins.sort_unstable();
    origins.dedup();
    origins
        .into_iter()
        .filter(|o| {
            units.iter().any(|u| u.id == *o && u.is_valid_on(day))
                && book.headcount_on(*o, day, target).is_none()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::EventKind;
    use crate::staffing::{Quota, StaffCategory};
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("ngày")
    }

    fn unit(id: Id, from: Option<NaiveDate>, to: Option<NaiveDate>) -> Unit {
        Unit {
            id,
            code: None,
            name: format!("Đơn vị {id}"),
            kind: crate::unit::UnitKind::Department,
            level: crate::unit::Level::Province,
            parent_id: None,
            valid_from: from,
            valid_to: to,
        }
    }

    fn q(unit_id: Id, year: i32, count: u32) -> Quota {
        Quota {
            unit_id,
            year,
            category: StaffCategory::CivilServant,
            state_budget_paid: true,
            count,
        }
    }

    fn target() -> ReductionTarget {
        ReductionTarget {
            percent: 20.0,
            categories: vec![StaffCategory::CivilServant],
            state_budget_paid_only: true,
            baseline_year: 2021,
            deadline: None,
            measure: crate::staffing::Measure::Quota,
        }
    }

    #[test]
    fn five_percent_rounds_up() {
        assert_eq!(grassroots_goal(0), 0);
        assert_eq!(grassroots_goal(20), 1);
        assert_eq!(grassroots_goal(21), 2);
        assert_eq!(grassroots_goal(149), 8);
        assert_eq!(grassroots_goal(u32::MAX), u32::MAX / 20 + 1);
    }

    #[test]
    fn deputies_over_their_cap() {
        assert_eq!(deputies_over(3, Some(2)), 1);
        assert_eq!(deputies_over(2, Some(3)), 0);
        assert_eq!(deputies_over(9, None), 0);
    }

    #[test]
    fn a_merger_counts_its_predecessors_before_and_its_heir_after() {
        // 1 and 2 merge into 3 on 1/3/2025.
        let units = [
            unit(1, None, Some(d(2025, 3, 1))),
            unit(2, None, Some(d(2025, 3, 1))),
            unit(3, Some(d(2025, 3, 1)), None),
            unit(4, None, None),
        ];
        let events = [RestructuringEvent {
            allocation: Vec::new(),
            id: 1,
            kind: EventKind::Consolidate,
            predecessors: vec![1, 2],
            successors: vec![3],
            decision: None,
            effective: d(2025, 3, 1),
        }];
        let book = QuotaBook::new(&[
            q(1, 2021, 60),
            q(2, 2021, 40),
            q(4, 2021, 50),
            q(1, 2023, 55),
            q(2, 2023, 38),
            q(4, 2023, 48),
            q(3, 2025, 80),
            q(4, 2026, 40),
        ]);
        let p = progress_by_year(&target(), &[], &units, &book, &events, d(2026, 6, 30));
        assert_eq!(
            (p.baseline_year, p.baseline, p.max_allowed),
            (2021, 150, 120)
        );
        // 2023: 55 + 38 + 48; 2025: 80 + 48 (unit 4 keeps its 2023 quota); 2026: 80 + 40.
        let years: Vec<(i32, u32)> = p.years.iter().map(|y| (y.year, y.total)).collect();
        assert_eq!(years, [(2023, 141), (2025, 128), (2026, 120)]);
        // Scoped to unit 1, the heir 3 is covered after the merger, unit 4 never.
        let p = progress_by_year(&target(), &[1], &units, &book, &events, d(2026, 6, 30));
        assert_eq!(p.baseline, 100);
        let years: Vec<(i32, u32)> = p.years.iter().map(|y| (y.year, y.total)).collect();
        assert_eq!(years, [(2023, 55), (2025, 80), (2026, 80)]);
        // A year after the day asked is not shown.
        let p = progress_by_year(&target(), &[], &units, &book, &events, d(2025, 12, 31));
        assert_eq!(p.years.last().map(|y| y.year), Some(2025));
    }

    #[test]
    fn a_unit_without_a_year_end_headcount_is_named() {
        let units = [
            unit(1, None, Some(d(2025, 3, 1))),
            unit(2, None, Some(d(2025, 3, 1))),
            unit(3, Some(d(2025, 3, 1)), None),
        ];
        let events = [RestructuringEvent {
            allocation: Vec::new(),
            id: 1,
            kind: EventKind::Consolidate,
            predecessors: vec![1, 2],
            successors: vec![3],
            decision: None,
            effective: d(2025, 3, 1),
        }];
        let book = QuotaBook::with_headcounts(
            &[],
            &[crate::staffing::Headcount {
                unit_id: 1,
                on: d(2021, 12, 1),
                category: StaffCategory::CivilServant,
                state_budget_paid: true,
                count: 10,
            }],
        );
        let t = ReductionTarget {
            measure: Measure::Headcount,
            ..target()
        };
        // Unit 2 has no count; unit 3 did not exist at the end of 2021.
        assert_eq!(
            missing_baseline(3, &t, &book, &units, &events, d(2025, 6, 1)),
            [2]
        );
        assert!(missing_baseline(3, &target(), &book, &units, &events, d(2025, 6, 1)).is_empty());
    }

    proptest! {
        /// Without restructuring, each year's total is the sum of each unit's latest quota up
        /// to that year, and the target line never exceeds the baseline.
        #[test]
        fn totals_are_the_latest_quotas(
            quotas in proptest::collection::vec((1i64..5, 2021i32..2027, 0u32..500), 0..30),
        ) {
            let units: Vec<Unit> = (1..5).map(|i| unit(i, None, None)).collect();
            let qs: Vec<Quota> = quotas.iter().map(|(u, y, n)| q(*u, *y, *n)).collect();
            // The last figure entered for a unit and year replaces the earlier ones.
            let mut last = std::collections::BTreeMap::new();
            for x in &qs {
                last.insert((x.unit_id, x.year), x.count);
            }
            let qs: Vec<Quota> = last.iter().map(|((u, y), n)| q(*u, *y, *n)).collect();
            let book = QuotaBook::new(&qs);
            let p = progress_by_year(&target(), &[], &units, &book, &[], d(2026, 12, 31));
            prop_assert!(p.max_allowed <= p.baseline);
            for yt in &p.years {
                let want: u32 = (1..5)
                    .filter_map(|u| last.range((u, 0)..=(u, yt.year)).next_back().map(|(_, n)| *n))
                    .sum();
                prop_assert_eq!(yt.total, want);
            }
            let base: u32 = (1..5).filter_map(|u| last.get(&(u, 2021))).sum();
            prop_assert_eq!(p.baseline, base);
        }
    }
}
