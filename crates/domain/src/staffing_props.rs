//! Property tests of the reduction calculator: through any chain of mergers, consolidations,
//! splits and renamings, every predecessor's baseline is found again, whole, among the units
//! that exist on any later day — never lost, never counted twice — whether the target is
//! measured on quotas or on headcounts, and whatever allocation the splits carry.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Duration, NaiveDate};
use proptest::prelude::*;

use super::*;

/// One step of a random history: which kind of event, which living units it takes (indices
/// into the living set), how many units it forms, and how many days after the previous step
/// it takes effect (0: the same day).
#[derive(Debug, Clone)]
struct Step {
    kind: u8,
    picks: Vec<usize>,
    formed: usize,
    gap_days: i64,
    /// Weights of a split's allocation (none: equal shares).
    weights: Option<Vec<u32>>,
}

fn step() -> impl Strategy<Value = Step> {
    (
        0u8..5,
        proptest::collection::vec(0usize..64, 1..5),
        2usize..5,
        0i64..3,
        proptest::option::of(proptest::collection::vec(0u32..=100, 5)),
    )
        .prop_map(|(kind, picks, formed, gap_days, weights)| Step {
            kind,
            picks,
            formed,
            gap_days,
            weights,
        })
}

/// A history built from `steps` over `initial` units: the events, and the units living on
/// each day an event takes effect (after all of that day's events).
struct History {
    events: Vec<RestructuringEvent>,
    living_on: Vec<(NaiveDate, BTreeSet<Id>)>,
}

fn build(initial: usize, steps: &[Step]) -> History {
    let mut living: BTreeSet<Id> = (1..=initial as Id).collect();
    let mut next_id = initial as Id + 1;
    let mut day = NaiveDate::from_ymd_opt(2022, 1, 1).expect("ngày hợp lệ");
    let mut events = Vec::new();
    let mut living_on: Vec<(NaiveDate, BTreeSet<Id>)> = Vec::new();
    for (i, s) in steps.iter().enumerate() {
        let alive: Vec<Id> = living.iter().copied().collect();
        let mut chosen: Vec<Id> = Vec::new();
        for p in &s.picks {
            let u = alive[p % alive.len()];
            if !chosen.contains(&u) {
                chosen.push(u);
            }
        }
        day += Duration::days(s.gap_days);
        let mut fresh = |n: usize| -> Vec<Id> {
            let ids: Vec<Id> = (next_id..next_id + n as Id).collect();
            next_id += n as Id;
            ids
        };
        let (kind, predecessors, successors) = match s.kind {
            0 if chosen.len() >= 2 => (EventKind::Consolidate, chosen.clone(), fresh(1)),
            1 if chosen.len() >= 2 => (EventKind::Merge, chosen.clone(), vec![chosen[0]]),
            2 => (EventKind::Split, vec![chosen[0]], fresh(s.formed)),
            3 => (EventKind::Rename, vec![chosen[0]], fresh(1)),
            // A part split off while the unit carries on.
            _ => {
                let mut succ = vec![chosen[0]];
                succ.extend(fresh(1));
                (EventKind::Split, vec![chosen[0]], succ)
            }
        };
        for p in &predecessors {
            if !successors.contains(p) {
                living.remove(p);
            }
        }
        living.extend(successors.iter().copied());
        let allocation = match (&s.weights, kind) {
            (Some(w), EventKind::Split) => percents(&successors, w),
            _ => Vec::new(),
        };
        events.push(RestructuringEvent {
            allocation,
            id: i as Id + 1,
            kind,
            predecessors,
            successors,
            decision: None,
            effective: day,
        });
        match living_on.last_mut() {
            Some((d, set)) if *d == day => *set = living.clone(),
            _ => living_on.push((day, living.clone())),
        }
    }
    History { events, living_on }
}

/// Percents summing to 100 for `heirs` from `weights` (the last heir takes what rounding
/// leaves).
fn percents(heirs: &[Id], weights: &[u32]) -> Vec<(Id, u32)> {
    let w: Vec<u32> = heirs
        .iter()
        .enumerate()
        .map(|(i, _)| weights[i % weights.len()])
        .collect();
    let sum = w.iter().sum::<u32>().max(1);
    let mut p: Vec<u32> = w.iter().map(|x| x * 100 / sum).collect();
    let given: u32 = p.iter().sum();
    if let Some(last) = p.last_mut() {
        *last += 100 - given;
    }
    heirs.iter().copied().zip(p).collect()
}

fn target() -> ReductionTarget {
    ReductionTarget {
        percent: 20.0,
        categories: vec![StaffCategory::CivilServant],
        state_budget_paid_only: true,
        baseline_year: 2021,
        deadline: None,
        measure: Measure::Quota,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn baselines_are_conserved_through_any_chain_of_events(
        counts in proptest::collection::vec(0u32..1000, 1..8),
        steps in proptest::collection::vec(step(), 0..12),
        headcount in any::<bool>(),
    ) {
        let history = build(counts.len(), &steps);
        let quotas: Vec<Quota> = counts
            .iter()
            .enumerate()
            .map(|(i, c)| Quota {
                unit_id: i as Id + 1,
                year: 2021,
                category: StaffCategory::CivilServant,
                state_budget_paid: true,
                count: *c,
            })
            .collect();
        // For the headcount measure the same figures are the year-end headcounts, after an
        // earlier count of the year (replaced) and before a later one (not the baseline).
        let day = |m, d| NaiveDate::from_ymd_opt(2021, m, d).expect("ngày hợp lệ");
        let heads: Vec<Headcount> = counts
            .iter()
            .enumerate()
            .flat_map(|(i, c)| {
                [(day(6, 30), c + 7), (day(12, 31), *c), (day(12, 31) + Duration::days(1), c + 3)]
                    .into_iter()
                    .map(move |(on, count)| Headcount {
                        unit_id: i as Id + 1,
                        on,
                        category: StaffCategory::CivilServant,
                        state_budget_paid: true,
                        count,
                    })
            })
            .collect();
        let (book, target) = if headcount {
            (
                QuotaBook::with_headcounts(&[], &heads),
                ReductionTarget { measure: Measure::Headcount, ..target() },
            )
        } else {
            (QuotaBook::new(&quotas), target())
        };
        let total: u32 = counts.iter().sum();
        let mut checkpoints = history.living_on.clone();
        let start = NaiveDate::from_ymd_opt(2021, 12, 31).expect("ngày hợp lệ");
        checkpoints.insert(0, (start, (1..=counts.len() as Id).collect()));
        for (day, living) in &checkpoints {
            let units: Vec<Id> = living.iter().copied().collect();
            let a = attainment(&units, &target, &book, &history.events, *day);
            prop_assert_eq!(a.baseline, total, "ngày {}: {:?}", day, history.events);
            // Each predecessor's own quota is shared out whole among the living units.
            let mut found: BTreeMap<Id, u32> = BTreeMap::new();
            for o in &a.units {
                prop_assert_eq!(o.baseline_sources.iter().map(|s| s.1).sum::<u32>(), o.baseline);
                for (p, share) in &o.baseline_sources {
                    *found.entry(*p).or_default() += share;
                }
            }
            for q in quotas.iter().filter(|q| q.count > 0) {
                prop_assert_eq!(found.get(&q.unit_id).copied(), Some(q.count), "đơn vị {}", q.unit_id);
            }
        }
    }
}
