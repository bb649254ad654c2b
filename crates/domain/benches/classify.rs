//! Throughput of `classify` over synthetic assignments (run: `cargo bench -p tinhgon-domain`).
//!
//! Tells the store whether classifying in Rust after loading rows is fast enough for a
//! province's dashboard, compared with counting in SQL.

use std::hint::black_box;
use std::time::Instant;

use chrono::{Duration, NaiveDate};
use tinhgon_domain::classify::{ApprovedExtension, AssignmentFacts};
use tinhgon_domain::localtime::start_of_local_day;
use tinhgon_domain::{classify, DeadlineKind, Status, StatusChange};

/// Deterministic pseudo-random numbers (xorshift), so runs are comparable.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn facts(rng: &mut Rng) -> AssignmentFacts {
    let base = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap();
    let origin = start_of_local_day(base);
    let created_at = origin + Duration::days(rng.below(300) as i64);
    let kinds = [
        DeadlineKind::By,
        DeadlineKind::By,
        DeadlineKind::By,
        DeadlineKind::Ongoing,
        DeadlineKind::Conditional,
    ];
    let kind = kinds[rng.below(kinds.len() as u64) as usize];
    let mut history = Vec::new();
    let mut at = created_at;
    // Five changes per assignment on average (10 M changes for 2 M assignments).
    let path = [
        Status::InProgress,
        Status::CompletionProposed,
        Status::Returned,
        Status::CompletionProposed,
        Status::Done,
    ];
    for to in path.iter().take(rng.below(6) as usize + 2) {
        at += Duration::days(rng.below(60) as i64 + 1);
        history.push(StatusChange {
            assignment_id: 1,
            from: None,
            to: *to,
            actor_id: None,
            at,
            note: None,
        });
    }
    let extensions = if rng.below(10) == 0 {
        vec![ApprovedExtension {
            due: base + Duration::days(500),
            decided_at: at,
        }]
    } else {
        vec![]
    };
    AssignmentFacts {
        kind,
        original_due: Some(base + Duration::days(rng.below(1000) as i64)),
        extensions,
        trigger: (rng.below(2) == 0).then(|| base + Duration::days(rng.below(600) as i64)),
        condition_days: None,
        created_at,
        history,
        reports: vec![],
    }
}

fn main() {
    let n = 200_000;
    let mut rng = Rng(0x5eed);
    let all: Vec<AssignmentFacts> = (0..n).map(|_| facts(&mut rng)).collect();
    let changes: usize = all.iter().map(|f| f.history.len()).sum();
    for (label, as_of) in [
        ("today", NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()),
        ("past", NaiveDate::from_ymd_opt(2025, 9, 30).unwrap()),
    ] {
        let mut best = f64::MAX;
        for _ in 0..5 {
            let t = Instant::now();
            let mut counted = 0usize;
            for f in &all {
                counted += usize::from(black_box(classify(black_box(f), as_of)).is_some());
            }
            black_box(counted);
            best = best.min(t.elapsed().as_secs_f64());
        }
        println!(
            "classify {label}: {n} assignments ({changes} status changes) in {:.1} ms best of 5 = {:.2} M assignments/s",
            best * 1e3,
            n as f64 / best / 1e6
        );
    }
}
