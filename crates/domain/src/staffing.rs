//! Staffing quotas (biên chế) and reduction targets (tinh giản biên chế) across mergers.
//!
//! A target such as "giảm tối thiểu 20% công chức, viên chức hưởng lương từ ngân sách nhà nước
//! so với số biên chế được giao năm 2021" is judged for a unit that exists today against the
//! baseline-year quotas of every unit whose work flowed into it. A predecessor that went to
//! several units (a split) shares its baseline equally among them, the remainder going to the
//! lowest id, or by the split's allocation), so that the province's total is neither lost nor
//! counted twice. Transfers of functions move no quota.
//!
//! A target is measured on the quotas assigned (Hương Khê: "giảm tối thiểu 10% biên chế viên
//! chức … so với số biên chế được giao năm 2021") or on the people the units report (615/KH-UBND
//! PL.2: "giảm tối thiểu 20% công chức, viên chức hưởng lương từ ngân sách … trên cơ sở các cơ
//! quan, đơn vị báo cáo"): then the baseline is each unit's headcount at the end of the baseline
//! year, flowed through the same lineage, and the present count its latest headcount.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::event::{EventKind, RestructuringEvent};
use crate::model::Id;

/// Staff categories.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StaffCategory {
    /// Biên chế công chức.
    CivilServant,
    /// Số lượng người làm việc (viên chức).
    PublicEmployee,
    /// Hợp đồng lao động.
    Contract,
}

impl StaffCategory {
    /// Vietnamese label.
    pub fn label_vi(self) -> &'static str {
        match self {
            StaffCategory::CivilServant => "Biên chế công chức",
            StaffCategory::PublicEmployee => "Số lượng người làm việc (viên chức)",
            StaffCategory::Contract => "Hợp đồng lao động",
        }
    }
}

/// A line of the staffing ledger as a Department of Home Affairs counts it: a category and
/// whether it is paid from the state budget. Four lines are used: civil servants, public
/// employees paid from the budget, public employees of self-financed units, and contract
/// workers (Nghị định 111/2022/NĐ-CP).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct StaffLine {
    /// Category.
    pub category: StaffCategory,
    /// Paid from the state budget.
    pub state_budget_paid: bool,
}

impl StaffLine {
    /// The four lines, in the order of the forms.
    pub const ALL: [StaffLine; 4] = [
        StaffLine::new(StaffCategory::CivilServant, true),
        StaffLine::new(StaffCategory::PublicEmployee, true),
        StaffLine::new(StaffCategory::PublicEmployee, false),
        StaffLine::new(StaffCategory::Contract, true),
    ];

    const fn new(category: StaffCategory, state_budget_paid: bool) -> StaffLine {
        StaffLine {
            category,
            state_budget_paid,
        }
    }

    /// Stable name (forms, API, CSV).
    pub fn key(self) -> &'static str {
        match (self.category, self.state_budget_paid) {
            (StaffCategory::CivilServant, _) => "civil_servant",
            (StaffCategory::PublicEmployee, true) => "public_employee",
            (StaffCategory::PublicEmployee, false) => "public_employee_self_financed",
            (StaffCategory::Contract, _) => "contract",
        }
    }

    /// Vietnamese label, as the template's column shows it.
    pub fn label_vi(self) -> &'static str {
        match (self.category, self.state_budget_paid) {
            (StaffCategory::CivilServant, _) => "Biên chế công chức",
            (StaffCategory::PublicEmployee, true) => "Viên chức hưởng lương từ ngân sách",
            (StaffCategory::PublicEmployee, false) => {
                "Viên chức đơn vị tự bảo đảm chi thường xuyên"
            }
            (StaffCategory::Contract, _) => "Hợp đồng lao động (Nghị định 111/2022/NĐ-CP)",
        }
    }

    /// The line named by its stable name or its Vietnamese label (case and diacritics
    /// ignored).
    pub fn parse(text: &str) -> Option<StaffLine> {
        let folded = tinhgon_textkit::fold(text.trim());
        StaffLine::ALL
            .into_iter()
            .find(|l| l.key() == text.trim() || tinhgon_textkit::fold(l.label_vi()) == folded)
    }

    /// The line a stored (category, paid from the budget) pair belongs to.
    pub fn of(category: StaffCategory, state_budget_paid: bool) -> StaffLine {
        match category {
            StaffCategory::PublicEmployee => StaffLine::new(category, state_budget_paid),
            // Civil servants and contract workers have one line each.
            _ => StaffLine::new(category, true),
        }
    }
}

impl StaffCategory {
    /// Stable snake_case name (as stored).
    pub fn as_str(self) -> &'static str {
        match self {
            StaffCategory::CivilServant => "civil_servant",
            StaffCategory::PublicEmployee => "public_employee",
            StaffCategory::Contract => "contract",
        }
    }

    /// Parses the stored name.
    pub fn parse(s: &str) -> Option<StaffCategory> {
        [
            StaffCategory::CivilServant,
            StaffCategory::PublicEmployee,
            StaffCategory::Contract,
        ]
        .into_iter()
        .find(|c| c.as_str() == s)
    }
}

/// A quota assigned to a unit for a year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quota {
    /// Unit.
    pub unit_id: Id,
    /// Year the quota was assigned for.
    pub year: i32,
    /// Category.
    pub category: StaffCategory,
    /// Paid from the state budget (hưởng lương từ ngân sách nhà nước).
    pub state_budget_paid: bool,
    /// Number of positions.
    pub count: u32,
}

/// What a target counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    /// The quotas assigned (biên chế được giao).
    #[default]
    Quota,
    /// The people the units report working (số người có mặt).
    Headcount,
}

impl Measure {
    /// Both measures, in the order the forms list them.
    pub const ALL: [Measure; 2] = [Measure::Quota, Measure::Headcount];

    /// Stable name (as stored).
    pub fn as_str(self) -> &'static str {
        match self {
            Measure::Quota => "quota",
            Measure::Headcount => "headcount",
        }
    }

    /// The measure whose stable name is `s`.
    pub fn parse(s: &str) -> Option<Measure> {
        Measure::ALL.into_iter().find(|m| m.as_str() == s.trim())
    }

    /// Vietnamese label.
    pub fn label_vi(self) -> &'static str {
        match self {
            Measure::Quota => "Biên chế được giao",
            Measure::Headcount => "Số người có mặt",
        }
    }
}

/// A headcount snapshot (số có mặt) of a unit on a day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Headcount {
    /// Unit.
    pub unit_id: Id,
    /// Day of the count.
    pub on: NaiveDate,
    /// Category.
    pub category: StaffCategory,
    /// Paid from the state budget.
    pub state_budget_paid: bool,
    /// People.
    pub count: u32,
}

/// A reduction target.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReductionTarget {
    /// Minimum reduction in percent ("tối thiểu 20%").
    pub percent: f64,
    /// Categories counted.
    pub categories: Vec<StaffCategory>,
    /// Count only positions paid from the state budget.
    pub state_budget_paid_only: bool,
    /// Baseline year ("so với năm 2021").
    pub baseline_year: i32,
    /// Deadline, if stated.
    pub deadline: Option<NaiveDate>,
    /// Quotas or headcounts.
    #[serde(default)]
    pub measure: Measure,
}

impl ReductionTarget {
    /// True when `q` is among the positions the target counts.
    pub fn counts(&self, q: &Quota) -> bool {
        self.counts_line(q.category, q.state_budget_paid)
    }

    /// True when the ledger line (category, paid from the budget) is one the target counts.
    pub fn counts_line(&self, category: StaffCategory, state_budget_paid: bool) -> bool {
        self.categories.contains(&category) && (!self.state_budget_paid_only || state_budget_paid)
    }

    /// The day a headcount baseline is read on: the last day of the baseline year.
    pub fn baseline_day(&self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.baseline_year, 12, 31).unwrap_or(NaiveDate::MAX)
    }
}

/// A unit's reduction target worked out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReductionOutcome {
    /// Unit judged.
    pub unit_id: Id,
    /// Baseline inherited from itself and its predecessors.
    pub baseline: u32,
    /// Units whose baseline-year quotas were counted (with the share taken).
    pub baseline_sources: Vec<(Id, u32)>,
    /// Positions to cut at least.
    pub required_reduction: u32,
    /// Positions allowed at most once the target is met.
    pub max_allowed: u32,
    /// Positions in the current year's quotas.
    pub current: u32,
    /// True when `current ≤ max_allowed`.
    pub met: bool,
}

/// Works out `target` for `unit_id` as the register stands on `as_of`, with quotas of
/// `current_year` as the present count.
pub fn reduction_for_unit(
    unit_id: Id,
    target: &ReductionTarget,
    quotas: &[Quota],
    events: &[RestructuringEvent],
    as_of: NaiveDate,
    current_year: i32,
) -> ReductionOutcome {
    let book = QuotaBook::new(quotas);
    let held = baseline_flow(target, &book, &structural_events(events), as_of);
    reduction_with(unit_id, target, &book, &held, as_of, Some(current_year))
}

/// The events through which quotas flow: function transfers move no quota.
fn structural_events(events: &[RestructuringEvent]) -> Vec<RestructuringEvent> {
    events
        .iter()
        .filter(|e| e.kind != EventKind::Transfer)
        .cloned()
        .collect()
}

/// Quotas and headcounts by unit, so that a province's units are each judged without scanning
/// every figure.
#[derive(Debug, Clone, Default)]
pub struct QuotaBook {
    by_unit: HashMap<Id, Vec<Quota>>,
    heads: HashMap<Id, Vec<Headcount>>,
}

impl QuotaBook {
    /// The book of `quotas`.
    pub fn new(quotas: &[Quota]) -> QuotaBook {
        QuotaBook::with_headcounts(quotas, &[])
    }

    /// The book of `quotas` and `headcounts`.
    pub fn with_headcounts(quotas: &[Quota], headcounts: &[Headcount]) -> QuotaBook {
        let mut by_unit: HashMap<Id, Vec<Quota>> = HashMap::new();
        for q in quotas {
            by_unit.entry(q.unit_id).or_default().push(q.clone());
        }
        let mut heads: HashMap<Id, Vec<Headcount>> = HashMap::new();
        for h in headcounts {
            heads.entry(h.unit_id).or_default().push(h.clone());
        }
        QuotaBook { by_unit, heads }
    }

    /// People of `unit` on `day` that `target` counts: the latest snapshot of each line on or
    /// before that day, summed; None when no line counted has a snapshot by then.
    pub fn headcount_on(&self, unit: Id, day: NaiveDate, target: &ReductionTarget) -> Option<u32> {
        let mut latest: std::collections::BTreeMap<(StaffCategory, bool), (NaiveDate, u32)> =
            std::collections::BTreeMap::new();
        for h in self.heads.get(&unit).into_iter().flatten() {
            if h.on <= day && target.counts_line(h.category, h.state_budget_paid) {
                let line = StaffLine::of(h.category, h.state_budget_paid);
                let e = latest
                    .entry((line.category, line.state_budget_paid))
                    .or_insert((h.on, h.count));
                if h.on >= e.0 {
                    *e = (h.on, h.count);
                }
            }
        }
        (!latest.is_empty()).then(|| latest.values().map(|(_, n)| n).sum())
    }

    /// What `unit` counts for `target`'s baseline: its baseline-year quotas, or its headcount
    /// at the end of the baseline year.
    pub fn baseline_of(&self, unit: Id, target: &ReductionTarget) -> u32 {
        match target.measure {
            Measure::Quota => self.sum(unit, target.baseline_year, target),
            Measure::Headcount => self
                .headcount_on(unit, target.baseline_day(), target)
                .unwrap_or(0),
        }
    }

    /// Units with any figure in the book.
    fn units(&self) -> std::collections::BTreeSet<Id> {
        self.by_unit
            .keys()
            .chain(self.heads.keys())
            .copied()
            .collect()
    }

    /// Positions of `unit` in `year` that `target` counts.
    pub fn sum(&self, unit: Id, year: i32, target: &ReductionTarget) -> u32 {
        self.by_unit.get(&unit).map_or(0, |qs| {
            qs.iter()
                .filter(|q| q.year == year && target.counts(q))
                .map(|q| q.count)
                .sum()
        })
    }

    /// The years in which some unit has a quota (or, for a headcount target, a headcount)
    /// that `target` counts.
    pub fn years(&self, target: &ReductionTarget) -> std::collections::BTreeSet<i32> {
        match target.measure {
            Measure::Quota => self
                .by_unit
                .values()
                .flatten()
                .filter(|q| target.counts(q))
                .map(|q| q.year)
                .collect(),
            Measure::Headcount => self
                .heads
                .values()
                .flatten()
                .filter(|h| target.counts_line(h.category, h.state_budget_paid))
                .map(|h| h.on.year())
                .collect(),
        }
    }

    /// The last year up to `up_to` in which `unit` has a quota that `target` counts.
    pub fn latest_year(&self, unit: Id, up_to: i32, target: &ReductionTarget) -> Option<i32> {
        self.by_unit.get(&unit).and_then(|qs| {
            qs.iter()
                .filter(|q| q.year <= up_to && target.counts(q))
                .map(|q| q.year)
                .max()
        })
    }
}

/// Where each unit's baseline positions are held on `as_of`: every structural event up to that
/// day (in date order, then as recorded) hands what its ceasing units hold to the units that
/// carry on, shared by the event's allocation or equally among them (the remainder to the
/// lowest id), so that no position is lost or counted twice through any chain of mergers and
/// splits. Holder → origin → positions.
fn baseline_flow(
    target: &ReductionTarget,
    book: &QuotaBook,
    structural: &[RestructuringEvent],
    as_of: NaiveDate,
) -> Held {
    let mut held: Held = HashMap::new();
    for unit in book.units() {
        let own = book.baseline_of(unit, target);
        if own > 0 {
            held.entry(unit).or_default().insert(unit, own);
        }
    }
    let mut events: Vec<&RestructuringEvent> =
        structural.iter().filter(|e| e.effective <= as_of).collect();
    events.sort_by_key(|e| (e.effective, e.id));
    for e in events {
        let mut heirs = e.successors.clone();
        heirs.sort_unstable();
        heirs.dedup();
        let mut pool: std::collections::BTreeMap<Id, u32> = std::collections::BTreeMap::new();
        for p in &e.predecessors {
            if let Some(h) = held.remove(p) {
                for (o, n) in h {
                    *pool.entry(o).or_default() += n;
                }
            }
        }
        if heirs.is_empty() {
            // A dissolution: no unit carries its positions on.
            continue;
        }
        for (o, n) in pool {
            let shares = crate::staff_share::share_out(n, &heirs, &e.allocation);
            for (heir, share) in heirs.iter().zip(shares) {
                if share > 0 {
                    *held.entry(*heir).or_default().entry(o).or_default() += share;
                }
            }
        }
    }
    held
}

/// Where baseline positions are held (see [`baseline_flow`]).
type Held = HashMap<Id, std::collections::BTreeMap<Id, u32>>;

/// `target` for `unit_id` with the baseline positions `held` on `as_of`; `current_year` None
/// takes the unit's latest quota year up to `as_of`'s year (a year not yet assigned does not
/// count as zero). A headcount target counts the unit's latest headcount up to `as_of`.
fn reduction_with(
    unit_id: Id,
    target: &ReductionTarget,
    book: &QuotaBook,
    held: &Held,
    as_of: NaiveDate,
    current_year: Option<i32>,
) -> ReductionOutcome {
    let sources: Vec<(Id, u32)> = held
        .get(&unit_id)
        .map(|m| {
            m.iter()
                .map(|(o, n)| (*o, *n))
                .filter(|(_, n)| *n > 0)
                .collect()
        })
        .unwrap_or_default();
    let baseline: u32 = sources.iter().map(|(_, n)| n).sum();
    let required = required_reduction(baseline, target.percent);
    let max_allowed = baseline - required;
    let current = match target.measure {
        Measure::Quota => current_year
            .or_else(|| book.latest_year(unit_id, as_of.year(), target))
            .map_or(0, |y| book.sum(unit_id, y, target)),
        Measure::Headcount => book.headcount_on(unit_id, as_of, target).unwrap_or(0),
    };
    ReductionOutcome {
        unit_id,
        baseline,
        baseline_sources: sources,
        required_reduction: required,
        max_allowed,
        current,
        met: current <= max_allowed,
    }
}

/// A province's units judged against one target, and their total.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attainment {
    /// Each unit asked about, in the order given.
    pub units: Vec<ReductionOutcome>,
    /// Sum of the units' baselines.
    pub baseline: u32,
    /// Sum of the units' current positions.
    pub current: u32,
    /// Positions the units together must cut at least.
    pub required_reduction: u32,
    /// True when the units together are within the target.
    pub met: bool,
}

/// Works out `target` for each of `units` (those existing on `as_of`) as the register stands
/// on `as_of`; each unit's present count is its latest quota year up to `as_of`'s year.
pub fn attainment(
    units: &[Id],
    target: &ReductionTarget,
    book: &QuotaBook,
    events: &[RestructuringEvent],
    as_of: NaiveDate,
) -> Attainment {
    let held = baseline_flow(target, book, &structural_events(events), as_of);
    let outcomes: Vec<ReductionOutcome> = units
        .iter()
        .map(|u| reduction_with(*u, target, book, &held, as_of, None))
        .collect();
    let baseline: u32 = outcomes.iter().map(|o| o.baseline).sum();
    let current: u32 = outcomes.iter().map(|o| o.current).sum();
    let required = required_reduction(baseline, target.percent);
    Attainment {
        units: outcomes,
        baseline,
        current,
        required_reduction: required,
        met: current <= baseline - required,
    }
}

/// The reduction from `baseline` to `current` in percent, one decimal (negative when the
/// count grew); None without a baseline.
pub fn reduction_percent(baseline: u32, current: u32) -> Option<f64> {
    if baseline == 0 {
        return None;
    }
    let r = (f64::from(baseline) - f64::from(current)) * 100.0 / f64::from(baseline);
    Some((r * 10.0).round() / 10.0)
}

/// Positions to cut for a reduction of at least `percent` of `baseline` (rounded up: "tối
/// thiểu" means a fraction of a position still has to be cut).
pub fn required_reduction(baseline: u32, percent: f64) -> u32 {
    let basis_points = (percent.clamp(0.0, 100.0) * 100.0).round() as u64;
    let need = (u64::from(baseline) * basis_points).div_ceil(10_000);
    u32::try_from(need).unwrap_or(baseline).min(baseline)
}

#[cfg(test)]
#[path = "staffing_props.rs"]
mod props;

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
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

    fn ev(kind: EventKind, p: &[Id], s: &[Id], on: NaiveDate) -> RestructuringEvent {
        RestructuringEvent {
            allocation: Vec::new(),
            id: 0,
            kind,
            predecessors: p.to_vec(),
            successors: s.to_vec(),
            decision: None,
            effective: on,
        }
    }

    fn target() -> ReductionTarget {
        ReductionTarget {
            percent: 20.0,
            categories: vec![StaffCategory::CivilServant, StaffCategory::PublicEmployee],
            state_budget_paid_only: true,
            baseline_year: 2021,
            deadline: None,
            measure: Measure::Quota,
        }
    }

    #[test]
    fn baseline_follows_two_chained_merges() {
        let events = [
            ev(EventKind::Consolidate, &[1, 2], &[3], d(2025, 3, 1)),
            ev(EventKind::Merge, &[3, 4], &[4], d(2025, 7, 1)),
            ev(EventKind::Transfer, &[9], &[4], d(2025, 7, 1)),
        ];
        let quotas = [
            q(1, 2021, 100),
            q(2, 2021, 50),
            q(4, 2021, 30),
            q(9, 2021, 1000),
            q(4, 2026, 150),
        ];
        let r = reduction_for_unit(4, &target(), &quotas, &events, d(2026, 1, 1), 2026);
        assert_eq!(r.baseline, 180);
        assert_eq!(r.required_reduction, 36);
        assert_eq!(r.max_allowed, 144);
        assert_eq!(r.current, 150);
        assert!(!r.met);
        let mut sources = r.baseline_sources.clone();
        sources.sort_unstable();
        assert_eq!(sources, [(1, 100), (2, 50), (4, 30)]);
        // Before the second merger, unit 4 stands alone.
        let before = reduction_for_unit(4, &target(), &quotas, &events, d(2025, 6, 30), 2026);
        assert_eq!(before.baseline, 30);
    }

    #[test]
    fn a_split_shares_its_baseline_without_losing_any() {
        let events = [ev(EventKind::Split, &[1], &[2, 3], d(2025, 7, 1))];
        let quotas = [q(1, 2021, 101)];
        let a = reduction_for_unit(2, &target(), &quotas, &events, d(2025, 8, 1), 2025);
        let b = reduction_for_unit(3, &target(), &quotas, &events, d(2025, 8, 1), 2025);
        assert_eq!((a.baseline, b.baseline), (51, 50));
    }

    #[test]
    fn a_split_shares_by_its_allocation() {
        let mut e = ev(EventKind::Split, &[1], &[2, 3], d(2025, 7, 1));
        e.allocation = vec![(2, 60), (3, 40)];
        let quotas = [q(1, 2021, 45)];
        let a = reduction_for_unit(2, &target(), &quotas, &[e.clone()], d(2025, 8, 1), 2025);
        let b = reduction_for_unit(3, &target(), &quotas, &[e], d(2025, 8, 1), 2025);
        assert_eq!((a.baseline, b.baseline), (27, 18));
    }

    fn h(unit_id: Id, on: NaiveDate, count: u32) -> Headcount {
        Headcount {
            unit_id,
            on,
            category: StaffCategory::CivilServant,
            state_budget_paid: true,
            count,
        }
    }

    #[test]
    fn a_headcount_target_counts_people_through_a_merger() {
        let t = ReductionTarget {
            measure: Measure::Headcount,
            ..target()
        };
        let events = [ev(EventKind::Consolidate, &[1, 2], &[3], d(2025, 3, 1))];
        let heads = [
            h(1, d(2021, 6, 30), 70),
            h(1, d(2021, 12, 31), 62),
            h(2, d(2021, 11, 15), 40),
            // After the baseline year: not the baseline.
            h(2, d(2022, 1, 10), 45),
            h(3, d(2025, 3, 1), 95),
            h(3, d(2025, 9, 30), 80),
        ];
        // Quotas do not count for a headcount target.
        let book = QuotaBook::with_headcounts(&[q(1, 2021, 500), q(3, 2025, 500)], &heads);
        let a = attainment(&[3], &t, &book, &events, d(2025, 6, 30));
        // Baseline 62 + 40 = 102; 20% rounded up = 21; current: the snapshot of 1/3/2025.
        assert_eq!((a.baseline, a.current, a.required_reduction), (102, 95, 21));
        assert!(!a.met);
        let a = attainment(&[3], &t, &book, &events, d(2025, 12, 31));
        assert_eq!(a.current, 80);
        assert!(a.met);
    }

    #[test]
    fn categories_and_budget_filter() {
        let mut contract = q(1, 2021, 40);
        contract.category = StaffCategory::Contract;
        let mut self_funded = q(1, 2021, 25);
        self_funded.state_budget_paid = false;
        let quotas = [q(1, 2021, 10), contract, self_funded];
        let r = reduction_for_unit(1, &target(), &quotas, &[], d(2025, 1, 1), 2025);
        assert_eq!(r.baseline, 10);
        assert_eq!(r.current, 0);
        assert!(r.met);
    }

    #[test]
    fn at_least_means_round_up() {
        assert_eq!(required_reduction(180, 20.0), 36);
        assert_eq!(required_reduction(11, 10.0), 2);
        assert_eq!(required_reduction(10, 10.0), 1);
        assert_eq!(required_reduction(0, 20.0), 0);
        assert_eq!(required_reduction(7, 150.0), 7);
    }
}
