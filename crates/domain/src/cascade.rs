//! Plan cascade: a department's or commune's implementation plan carries out one task of a
//! higher plan (615/KH-UBND: "xây dựng kế hoạch để chủ động triển khai thực hiện"). The
//! higher task's progress rolls up from its sub-plans by [`ROLLUP_RULE`], and a plan may not
//! be linked under one of its own descendants ([`creates_cycle`]).

use crate::model::Id;

/// The roll-up rule as the pages state it.
pub const ROLLUP_RULE: &str = "Tiến độ tổng hợp = trung bình cộng tiến độ của các kế hoạch cấp dưới đã ban hành (mỗi kế hoạch cùng trọng số). Tiến độ của một kế hoạch = trung bình tiến độ các nhiệm vụ của nó; nhiệm vụ hoàn thành tính 100%, chưa báo cáo tính 0%, nhiệm vụ đã rút không tính.";

/// One assignment of a sub-plan's task, as the roll-up counts it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Work {
    /// Confirmed done: counts 100%.
    Done,
    /// Open, with the latest reported percentage (none reported: 0%).
    Open(Option<u8>),
    /// Cancelled (the task was withdrawn or the assignment dropped): not counted.
    Cancelled,
}

impl Work {
    /// The assignment from its stored status and latest percentage.
    pub fn from_status(status: &str, percent: Option<i64>) -> Work {
        match status {
            "done" => Work::Done,
            "cancelled" => Work::Cancelled,
            _ => Work::Open(percent.map(|p| p.clamp(0, 100) as u8)),
        }
    }

    fn percent(self) -> Option<f64> {
        match self {
            Work::Done => Some(100.0),
            Work::Open(p) => Some(f64::from(p.unwrap_or(0).min(100))),
            Work::Cancelled => None,
        }
    }
}

fn mean(values: impl Iterator<Item = f64>) -> Option<f64> {
    let (sum, n) = values.fold((0.0, 0u32), |(s, n), v| (s + v, n + 1));
    (n > 0).then(|| sum / f64::from(n))
}

/// A task's progress: the mean of its counted assignments (a group lead gives one per member);
/// None when every assignment was cancelled.
pub fn task_progress(assignments: &[Work]) -> Option<f64> {
    mean(assignments.iter().filter_map(|w| w.percent()))
}

/// A plan's own progress: the mean of its counted tasks, each a list of assignments; None when
/// no task counts.
pub fn plan_progress(tasks: &[Vec<Work>]) -> Option<f64> {
    mean(tasks.iter().filter_map(|t| task_progress(t)))
}

/// The rolled-up progress of a higher task from its sub-plans ([`ROLLUP_RULE`]): the mean of
/// the sub-plans' own progress, each plan weighing the same, rounded to a whole percent; None
/// when no sub-plan has a counted task.
pub fn rollup(sub_plans: &[Vec<Vec<Work>>]) -> Option<u8> {
    mean(sub_plans.iter().filter_map(|p| plan_progress(p))).map(round_percent)
}

/// A plan's own progress as a whole percent (see [`plan_progress`]).
pub fn plan_percent(tasks: &[Vec<Work>]) -> Option<u8> {
    plan_progress(tasks).map(round_percent)
}

fn round_percent(v: f64) -> u8 {
    // Sums taken in another order differ in the last bits; settling them first keeps a value
    // such as 62.5 on the same side of the rounding whatever the order of plans and tasks.
    let settled = (v * 1e6).round() / 1e6;
    settled.round().clamp(0.0, 100.0) as u8
}

/// Would linking `plan` under a task of `target_plan` make a cycle? `parent_of` gives a plan's
/// parent plan (the plan of the task it implements). True when `target_plan` is `plan` itself
/// or one of its descendants, i.e. when `plan` is found walking up from `target_plan`. A chain
/// that loops on itself (bad data) also counts as a cycle, so the walk always ends.
pub fn creates_cycle(plan: Id, target_plan: Id, parent_of: impl Fn(Id) -> Option<Id>) -> bool {
    let mut seen = std::collections::HashSet::new();
    let mut at = Some(target_plan);
    while let Some(p) = at {
        if p == plan || !seen.insert(p) {
            return true;
        }
        at = parent_of(p);
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::HashMap;

    #[test]
    fn known_figures_roll_up_by_the_stated_rule() {
        // Plan A: one task done (100) and one at 40 → 70. Plan B: one task at 10 with a cancelled
        // second assignment, one withdrawn task → 10. Roll-up: (70 + 10) / 2 = 40.
        let a = vec![vec![Work::Done], vec![Work::Open(Some(40))]];
        let b = vec![
            vec![Work::Open(Some(10)), Work::Cancelled],
            vec![Work::Cancelled],
        ];
        assert_eq!(plan_percent(&a), Some(70));
        assert_eq!(plan_percent(&b), Some(10));
        assert_eq!(rollup(&[a, b]), Some(40));
        assert_eq!(rollup(&[]), None);
        assert_eq!(rollup(&[vec![vec![Work::Cancelled]]]), None);
        assert_eq!(rollup(&[vec![vec![Work::Open(None)]]]), Some(0));
    }

    #[test]
    fn a_plan_cannot_go_under_itself_or_its_descendants() {
        // 1 ← 2 ← 3 (3 implements a task of 2, which implements a task of 1).
        let parents: HashMap<Id, Id> = [(2, 1), (3, 2)].into();
        let up = |p: Id| parents.get(&p).copied();
        assert!(creates_cycle(1, 1, up));
        assert!(creates_cycle(1, 3, up));
        assert!(creates_cycle(2, 3, up));
        assert!(!creates_cycle(3, 1, up));
        assert!(!creates_cycle(4, 3, up));
        let looped: HashMap<Id, Id> = [(5, 6), (6, 5)].into();
        assert!(creates_cycle(9, 5, |p| looped.get(&p).copied()));
    }

    fn work() -> impl Strategy<Value = Work> {
        prop_oneof![
            Just(Work::Done),
            Just(Work::Cancelled),
            proptest::option::of(0u8..=100).prop_map(Work::Open),
        ]
    }

    fn plans() -> impl Strategy<Value = Vec<Vec<Vec<Work>>>> {
        proptest::collection::vec(
            proptest::collection::vec(proptest::collection::vec(work(), 1..4), 0..6),
            0..6,
        )
    }

    proptest! {
        #[test]
        fn rollup_is_a_percentage(ps in plans()) {
            if let Some(v) = rollup(&ps) {
                prop_assert!(v <= 100);
            }
        }

        #[test]
        fn all_done_is_100_and_nothing_reported_is_0(shape in proptest::collection::vec(proptest::collection::vec(1usize..4, 1..6), 1..6)) {
            let done: Vec<Vec<Vec<Work>>> = shape.iter().map(|p| p.iter().map(|n| vec![Work::Done; *n]).collect()).collect();
            prop_assert_eq!(rollup(&done), Some(100));
            let none: Vec<Vec<Vec<Work>>> = shape.iter().map(|p| p.iter().map(|n| vec![Work::Open(None); *n]).collect()).collect();
            prop_assert_eq!(rollup(&none), Some(0));
        }

        #[test]
        fn order_does_not_matter(ps in plans(), seed in any::<u64>()) {
            let mut shuffled = ps.clone();
            // A deterministic shuffle of plans, tasks and assignments from the seed.
            let mut s = seed | 1;
            let mut next = || { s ^= s << 13; s ^= s >> 7; s ^= s << 17; s };
            for p in shuffled.iter_mut() {
                for t in p.iter_mut() {
                    t.sort_by_key(|_| next());
                }
                p.sort_by_key(|_| next());
            }
            shuffled.sort_by_key(|_| next());
            prop_assert_eq!(rollup(&ps), rollup(&shuffled));
        }
    }
}
