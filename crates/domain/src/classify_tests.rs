//! Example and property tests of classification.

use chrono::{Duration, TimeZone};
use proptest::prelude::*;

use super::*;
use crate::localtime::start_of_local_day;
use crate::user::Role;
use crate::workflow::{transition, Action};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// 10:00 Vietnam time on the given day.
fn at(y: i32, m: u32, day: u32) -> DateTime<Utc> {
    start_of_local_day(d(y, m, day)) + Duration::hours(10)
}

fn change(to: Status, when: DateTime<Utc>) -> StatusChange {
    StatusChange {
        assignment_id: 1,
        from: None,
        to,
        actor_id: None,
        at: when,
        note: None,
    }
}

fn by(due: NaiveDate, created: DateTime<Utc>) -> AssignmentFacts {
    AssignmentFacts {
        kind: DeadlineKind::By,
        original_due: Some(due),
        extensions: vec![],
        trigger: None,
        condition_days: None,
        created_at: created,
        history: vec![],
        reports: vec![],
    }
}

use StatusClass as C;

#[test]
fn a_task_done_on_time_seen_at_several_dates() {
    let mut f = by(d(2025, 9, 30), at(2025, 7, 1));
    f.history = vec![
        change(Status::InProgress, at(2025, 8, 1)),
        change(Status::CompletionProposed, at(2025, 9, 29)),
        change(Status::Done, at(2025, 10, 3)),
    ];
    let expect = [
        (d(2025, 6, 30), None),
        (d(2025, 7, 1), Some(C::NotDue)),
        (d(2025, 7, 31), Some(C::NotDue)),
        (d(2025, 8, 1), Some(C::InProgress)),
        (d(2025, 9, 30), Some(C::InProgress)),
        // Proposed but not yet confirmed once the due date has passed: still overdue that day.
        (d(2025, 10, 1), Some(C::Overdue)),
        (d(2025, 10, 2), Some(C::Overdue)),
        // Confirmed: the completion dates from the proposal, so it is on time.
        (d(2025, 10, 3), Some(C::DoneOnTime)),
        (d(2026, 1, 1), Some(C::DoneOnTime)),
    ];
    for (as_of, class) in expect {
        assert_eq!(classify(&f, as_of), class, "as of {as_of}");
    }
}

#[test]
fn the_completion_date_is_that_of_the_proposal_the_monitor_confirmed() {
    use Status::{CompletionProposed as Proposed, Done, InProgress, Returned};
    // (case, status changes with their days, expected class on each day) for a task due
    // 30/9/2025 and assigned on 1/7/2025.
    type Case = (
        &'static str,
        Vec<(Status, DateTime<Utc>)>,
        Vec<(NaiveDate, C)>,
    );
    let cases: Vec<Case> = vec![
        (
            "done late when proposed after the due date",
            vec![
                (InProgress, at(2025, 8, 1)),
                (Proposed, at(2025, 10, 5)),
                (Done, at(2025, 10, 6)),
            ],
            vec![(d(2025, 10, 5), C::Overdue), (d(2025, 10, 6), C::DoneLate)],
        ),
        (
            "a confirmation without proposal dates from the confirmation",
            vec![(Done, at(2025, 10, 1))],
            vec![(d(2025, 10, 1), C::DoneLate)],
        ),
        (
            "a returned proposal does not count as the completion date",
            vec![
                (InProgress, at(2025, 8, 1)),
                (Proposed, at(2025, 9, 20)),
                (Returned, at(2025, 9, 25)),
                (Proposed, at(2025, 10, 2)),
                (Done, at(2025, 10, 3)),
            ],
            vec![
                (d(2025, 9, 26), C::InProgress),
                (d(2025, 10, 3), C::DoneLate),
            ],
        ),
    ];
    for (case, history, expect) in cases {
        let mut f = by(d(2025, 9, 30), at(2025, 7, 1));
        f.history = history
            .into_iter()
            .map(|(to, when)| change(to, when))
            .collect();
        for (as_of, class) in expect {
            assert_eq!(classify(&f, as_of), Some(class), "{case}, as of {as_of}");
        }
    }
}

#[test]
fn extension_counts_from_its_approval() {
    let mut f = by(d(2025, 9, 30), at(2025, 7, 1));
    f.history = vec![change(Status::InProgress, at(2025, 8, 1))];
    f.extensions = vec![ApprovedExtension {
        due: d(2025, 12, 31),
        decided_at: at(2025, 10, 10),
    }];
    assert_eq!(classify(&f, d(2025, 9, 30)), Some(C::InProgress));
    assert_eq!(classify(&f, d(2025, 10, 9)), Some(C::Overdue));
    assert_eq!(classify(&f, d(2025, 10, 10)), Some(C::InProgress));
    assert_eq!(classify(&f, d(2026, 1, 1)), Some(C::Overdue));
    // The latest approval wins, even when it shortens the time.
    f.extensions.push(ApprovedExtension {
        due: d(2025, 11, 15),
        decided_at: at(2025, 11, 1),
    });
    assert_eq!(classify(&f, d(2025, 11, 16)), Some(C::Overdue));
    assert_eq!(f.due_on(d(2025, 10, 31)), Some(d(2025, 12, 31)));
}

#[test]
fn conditional_waits_then_runs_from_trigger() {
    let mut f = by(d(2025, 1, 1), at(2025, 7, 1));
    f.kind = DeadlineKind::Conditional;
    f.original_due = None;
    f.trigger = Some(d(2025, 8, 1));
    assert_eq!(classify(&f, d(2025, 7, 31)), Some(C::WaitingForCondition));
    assert_eq!(classify(&f, d(2025, 8, 1)), Some(C::NotDue));
    assert_eq!(f.due_on(d(2025, 8, 1)), Some(d(2025, 8, 31)));
    assert_eq!(classify(&f, d(2025, 8, 31)), Some(C::NotDue));
    assert_eq!(classify(&f, d(2025, 9, 1)), Some(C::Overdue));
    f.condition_days = Some(60);
    assert_eq!(classify(&f, d(2025, 9, 1)), Some(C::NotDue));
    // A conditional deadline with its own date uses it once triggered.
    f.original_due = Some(d(2025, 12, 31));
    assert_eq!(classify(&f, d(2025, 7, 31)), Some(C::WaitingForCondition));
    assert_eq!(classify(&f, d(2025, 12, 31)), Some(C::NotDue));
    assert_eq!(classify(&f, d(2026, 1, 1)), Some(C::Overdue));
    // Done before the condition happened: nothing was late.
    f.trigger = None;
    f.history = vec![change(Status::Done, at(2025, 9, 1))];
    assert_eq!(classify(&f, d(2026, 6, 1)), Some(C::DoneOnTime));
}

#[test]
fn standing_duties_and_dateless_tasks() {
    for kind in [DeadlineKind::Ongoing, DeadlineKind::Recurring] {
        let mut f = by(d(2025, 9, 30), at(2025, 7, 1));
        f.kind = kind;
        assert_eq!(classify(&f, d(2027, 1, 1)), Some(C::Standing), "{kind:?}");
        f.history = vec![change(Status::InProgress, at(2025, 7, 2))];
        assert_eq!(classify(&f, d(2027, 1, 1)), Some(C::Standing), "{kind:?}");
    }
    for kind in [
        DeadlineKind::By,
        DeadlineKind::During,
        DeadlineKind::Unspecified,
    ] {
        let mut f = by(d(2025, 9, 30), at(2025, 7, 1));
        f.kind = kind;
        f.original_due = None;
        assert_eq!(classify(&f, d(2027, 1, 1)), Some(C::Standing), "{kind:?}");
    }
}

#[test]
fn cancelled_is_not_counted_from_the_cancellation_day() {
    let mut f = by(d(2025, 9, 30), at(2025, 7, 1));
    f.history = vec![change(Status::Cancelled, at(2025, 10, 5))];
    assert_eq!(classify(&f, d(2025, 10, 4)), Some(C::Overdue));
    assert_eq!(classify(&f, d(2025, 10, 5)), None);
}

#[test]
fn local_day_boundary_is_17_utc() {
    let mut f = by(d(2025, 9, 30), at(2025, 7, 1));
    // 23:30 in Hà Nội on 30/9 is still 30/9.
    let late_evening = Utc.with_ymd_and_hms(2025, 9, 30, 16, 30, 0).unwrap();
    f.history = vec![
        change(Status::CompletionProposed, late_evening),
        change(Status::Done, late_evening + Duration::hours(20)),
    ];
    assert_eq!(classify(&f, d(2025, 10, 1)), Some(C::DoneOnTime));
    // 00:30 on 1/10 local is a day late.
    let after_midnight = Utc.with_ymd_and_hms(2025, 9, 30, 17, 30, 0).unwrap();
    f.history[0].at = after_midnight;
    assert_eq!(classify(&f, d(2025, 10, 1)), Some(C::DoneLate));
}

#[test]
fn done_then_returned_reopens() {
    let mut f = by(d(2025, 9, 30), at(2025, 7, 1));
    f.history = vec![
        change(Status::CompletionProposed, at(2025, 9, 1)),
        change(Status::Done, at(2025, 9, 2)),
        change(Status::Returned, at(2025, 9, 10)),
    ];
    assert_eq!(classify(&f, d(2025, 9, 5)), Some(C::DoneOnTime));
    assert_eq!(classify(&f, d(2025, 9, 10)), Some(C::InProgress));
    assert_eq!(classify(&f, d(2025, 10, 1)), Some(C::Overdue));
}

#[test]
fn period_outcome_for_standing_duties() {
    let mut f = by(d(2025, 9, 30), at(2025, 7, 1));
    f.kind = DeadlineKind::Recurring;
    f.reports = vec![at(2025, 8, 15)];
    let q3 = (d(2025, 7, 1), d(2025, 9, 30));
    let q4 = (d(2025, 10, 1), d(2025, 12, 31));
    assert_eq!(
        classify_period(&f, q3.0, q3.1),
        Some(PeriodOutcome::Reported)
    );
    assert_eq!(
        classify_period(&f, q4.0, q4.1),
        Some(PeriodOutcome::NotReported)
    );
    assert_eq!(
        classify_period(&f, d(2025, 1, 1), d(2025, 3, 31)),
        None,
        "not yet created"
    );
}

#[test]
fn labels_and_colours() {
    assert_eq!(C::Overdue.label_vi(), "Quá hạn");
    assert_eq!(C::DoneOnTime.color(), "#2e7d32");
    for c in C::ALL {
        assert_eq!(StatusClass::parse(c.as_str()), Some(c));
        assert!(c.color().starts_with('#') && c.color().len() == 7);
    }
}

// ---- properties ----

const KINDS: [DeadlineKind; 5] = [
    DeadlineKind::By,
    DeadlineKind::Conditional,
    DeadlineKind::Ongoing,
    DeadlineKind::Unspecified,
    DeadlineKind::By,
];

fn base_day() -> NaiveDate {
    d(2025, 1, 1)
}

/// Random facts whose status history follows the workflow, over about two years.
fn arb_facts() -> impl Strategy<Value = AssignmentFacts> {
    (
        0usize..KINDS.len(),
        0u64..200,
        prop::option::of(0u64..700),
        prop::collection::vec((0u64..20 * 24, 0usize..Action::ALL.len()), 0..12),
        prop::collection::vec((0u64..700, 0u64..800), 0..3),
        prop::option::of(0u64..700),
        prop::collection::vec(0u64..700 * 24, 0..4),
    )
        .prop_map(|(kind, created, due, steps, exts, trigger, reports)| {
            let origin = start_of_local_day(base_day());
            let created_at = origin + Duration::days(created as i64) + Duration::hours(3);
            let mut now = created_at;
            let mut status = Status::NotStarted;
            let mut history = Vec::new();
            for (gap_hours, a) in steps {
                now += Duration::hours(gap_hours as i64 + 1);
                let action = Action::ALL[a];
                let role = if action.allowed_for(Role::AgencyOfficer) {
                    Role::AgencyOfficer
                } else {
                    Role::Monitor
                };
                if let Ok(next) = transition(status, action, role) {
                    history.push(StatusChange {
                        assignment_id: 1,
                        from: Some(status),
                        to: next,
                        actor_id: None,
                        at: now,
                        note: None,
                    });
                    status = next;
                }
            }
            AssignmentFacts {
                kind: KINDS[kind],
                original_due: due.map(|x| base_day() + Days::new(x)),
                extensions: exts
                    .into_iter()
                    .map(|(decided, due)| ApprovedExtension {
                        due: base_day() + Days::new(due),
                        decided_at: origin + Duration::days(decided as i64) + Duration::hours(5),
                    })
                    .collect(),
                trigger: trigger.map(|x| base_day() + Days::new(x)),
                condition_days: None,
                created_at,
                history,
                reports: reports
                    .into_iter()
                    .map(|h| origin + Duration::hours(h as i64))
                    .collect(),
            }
        })
}

fn day(n: u64) -> NaiveDate {
    base_day() + Days::new(n)
}

/// The facts as they stood at the end of `as_of`: everything later removed.
fn truncated(f: &AssignmentFacts, as_of: NaiveDate) -> AssignmentFacts {
    let cutoff = end_of_local_day(as_of);
    AssignmentFacts {
        history: f
            .history
            .iter()
            .filter(|c| c.at < cutoff)
            .cloned()
            .collect(),
        extensions: f
            .extensions
            .iter()
            .filter(|e| e.decided_at < cutoff)
            .copied()
            .collect(),
        trigger: f.trigger.filter(|t| *t <= as_of),
        reports: f.reports.iter().filter(|r| **r < cutoff).copied().collect(),
        ..f.clone()
    }
}

proptest! {
    #[test]
    fn intervals_agree_with_classify_on_every_day(f in arb_facts()) {
        let intervals = crate::timeline::class_intervals(&f);
        for n in 0..1100 {
            let as_of = day(n);
            prop_assert_eq!(
                crate::timeline::class_on(&intervals, as_of),
                classify(&f, as_of),
                "{}",
                as_of
            );
        }
        for w in intervals.windows(2) {
            prop_assert_eq!(w[0].to, Some(w[1].from));
            prop_assert_ne!(w[0].class, w[1].class);
        }
    }

    #[test]
    fn classification_ignores_facts_after_as_of(f in arb_facts(), n in 0u64..760) {
        let as_of = day(n);
        prop_assert_eq!(classify(&f, as_of), classify(&truncated(&f, as_of), as_of));
    }

    #[test]
    fn done_never_reopens_without_a_return(f in arb_facts(), a in 0u64..760, b in 0u64..760) {
        let (d1, d2) = (day(a.min(b)), day(a.max(b)));
        let (c1, c2) = (classify(&f, d1), classify(&f, d2));
        if c1.is_some_and(StatusClass::is_done) && !c2.is_some_and(StatusClass::is_done) {
            let (from, to) = (end_of_local_day(d1), end_of_local_day(d2));
            prop_assert!(
                f.history.iter().any(|c| c.to == Status::Returned && from <= c.at && c.at < to),
                "{:?} on {} became {:?} on {} without a return", c1, d1, c2, d2
            );
        }
    }

    #[test]
    fn done_classes_only_after_a_done_change(f in arb_facts(), n in 0u64..760) {
        let as_of = day(n);
        if classify(&f, as_of).is_some_and(StatusClass::is_done) {
            let cutoff = end_of_local_day(as_of);
            prop_assert!(f.history.iter().any(|c| c.to == Status::Done && c.at < cutoff));
        }
    }

    #[test]
    fn overdue_stays_overdue_while_nothing_happens(f in arb_facts(), a in 0u64..760, k in 0u64..200) {
        let d1 = day(a);
        let d2 = d1 + Days::new(k);
        if classify(&f, d1) == Some(StatusClass::Overdue) {
            let (from, to) = (end_of_local_day(d1), end_of_local_day(d2));
            let quiet = !f.history.iter().any(|c| from <= c.at && c.at < to)
                && !f.extensions.iter().any(|e| from <= e.decided_at && e.decided_at < to);
            if quiet {
                prop_assert_eq!(classify(&f, d2), Some(StatusClass::Overdue));
            }
        }
    }

    #[test]
    fn nothing_is_counted_before_creation(f in arb_facts(), n in 0u64..760) {
        let as_of = day(n);
        if end_of_local_day(as_of) <= f.created_at {
            prop_assert_eq!(classify(&f, as_of), None);
        } else if f.status_on(as_of) != Status::Cancelled {
            prop_assert!(classify(&f, as_of).is_some());
        }
    }
}

/// Guards the properties above against a generator that never reaches some classes.
#[test]
fn generator_reaches_every_class() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let strategy = arb_facts();
    let mut seen = std::collections::BTreeSet::new();
    for i in 0..3000u64 {
        let f = strategy.new_tree(&mut runner).unwrap().current();
        if let Some(c) = classify(&f, day(i % 760)) {
            seen.insert(c);
        }
    }
    assert_eq!(seen.len(), StatusClass::ALL.len(), "{seen:?}");
}
