//! Speed of the deadline and target parsers on the seed plans' lines (a bench binary, not a
//! test). Prints the median over repeated runs.
//!
//! Run: `cargo run --release -p tinhgon-extract --example deadline_bench`

use std::time::{Duration, Instant};

use chrono::NaiveDate;
use tinhgon_extract::{deadline, target};

const SEEDS: &[&str] = &[
    include_str!("../../../testdata/seeds/000_4678a1ab1ae598dc.txt"),
    include_str!("../../../testdata/seeds/001_26a67ca8ec38b23d.txt"),
    include_str!("../../../testdata/seeds/003_0fac0a776543b6d2.txt"),
    include_str!("../../../testdata/seeds/004_e686ee23fe60f658.txt"),
];

/// Median duration of `f` over about a second of runs (at least 5).
fn median<F: FnMut()>(mut f: F) -> Duration {
    f();
    let mut runs = Vec::new();
    let start = Instant::now();
    while runs.len() < 5 || (start.elapsed() < Duration::from_secs(1) && runs.len() < 500) {
        let t = Instant::now();
        f();
        runs.push(t.elapsed());
    }
    runs.sort();
    runs[runs.len() / 2]
}

fn main() {
    let doc = NaiveDate::from_ymd_opt(2025, 7, 25);
    let text: String = SEEDS.concat();
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    let n = lines.len() as u32;
    let cells = median(|| {
        for l in &lines {
            std::hint::black_box(deadline::parse_deadline(l, doc));
        }
    });
    let prose = median(|| {
        for l in &lines {
            std::hint::black_box(deadline::find_deadline_in_prose(l, doc));
        }
    });
    let targets = median(|| {
        std::hint::black_box(target::find_targets(&text, doc));
    });
    println!(
        "{} lines, {} bytes (seeds 000, 001, 003, 004)",
        n,
        text.len()
    );
    println!(
        "parse_deadline, all lines:         {cells:?} ({:?}/line)",
        cells / n
    );
    println!(
        "find_deadline_in_prose, all lines: {prose:?} ({:?}/line)",
        prose / n
    );
    println!("find_targets, whole text:          {targets:?}");
}
