//! Staffing targets found in a plan: the reviewer's reading of an extracted [`Target`] about
//! staff ("giảm tối thiểu 20% công chức, viên chức hưởng lương từ ngân sách nhà nước"), which
//! publishing makes a staffing target of the province linked to the plan.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::draft::{Direction, Target};
use crate::staffing::{Measure, StaffCategory};

/// What publishing makes of a staffing target found in a plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StaffingTargetDraft {
    /// Becomes a staffing target when the plan is published.
    pub include: bool,
    /// What it says.
    pub title: String,
    /// Percent.
    pub percent: f64,
    /// Direction.
    pub direction: Direction,
    /// Categories counted.
    pub categories: Vec<StaffCategory>,
    /// Only positions paid from the state budget count.
    pub state_budget_paid_only: bool,
    /// Baseline year (a target cannot be judged without one).
    pub baseline_year: Option<i32>,
    /// Deadline.
    pub deadline: Option<NaiveDate>,
    /// Names of the units in scope (empty: every unit of the province).
    pub scope: Vec<String>,
    /// Quotas or headcounts (a reading saved before the measure existed: quotas).
    #[serde(default)]
    pub measure: Measure,
}

/// The measure a target's wording suggests: "công chức, viên chức hưởng lương từ ngân sách"
/// (615/KH-UBND PL.2, "trên cơ sở các cơ quan, đơn vị báo cáo") counts the people paid from
/// the budget, so their headcount; "biên chế …" or "so với số biên chế được giao" the quotas.
pub fn proposed_measure(t: &Target) -> Measure {
    let subject = tinhgon_textkit::fold(&t.subject);
    let around = tinhgon_textkit::fold(&format!(
        "{} {}",
        t.text,
        t.baseline.as_deref().unwrap_or_default()
    ));
    let people = subject.contains("cong chuc")
        && subject.contains("vien chuc")
        && subject.contains("huong luong");
    if people && !subject.contains("bien che") && !around.contains("bien che duoc giao") {
        Measure::Headcount
    } else {
        Measure::Quota
    }
}

/// Words that make a target's subject one about staff (folded).
const STAFF_WORDS: [&str; 6] = [
    "bien che",
    "cong chuc",
    "vien chuc",
    "can bo",
    "hop dong lao dong",
    "nguoi lao dong",
];

/// True when `t` counts staff and states a percentage: a candidate staffing target.
pub fn is_staffing(t: &Target) -> bool {
    let subject = tinhgon_textkit::fold(&t.subject);
    t.percent.is_some() && STAFF_WORDS.iter().any(|w| subject.contains(w))
}

/// The reading of `t`: the reviewer's when saved, else one proposed from the text (None when
/// `t` is not about staff). A proposal is included when it is a reduction with a baseline
/// year, the only kind the attainment judges; the reviewer decides the others.
pub fn reading(t: &Target) -> Option<StaffingTargetDraft> {
    if let Some(s) = &t.staffing {
        return Some(s.clone());
    }
    if !is_staffing(t) {
        return None;
    }
    let percent = t.percent?;
    let subject = tinhgon_textkit::fold(&t.subject);
    let mut categories = Vec::new();
    if subject.contains("cong chuc") {
        categories.push(StaffCategory::CivilServant);
    }
    if subject.contains("vien chuc") {
        categories.push(StaffCategory::PublicEmployee);
    }
    if subject.contains("hop dong") || subject.contains("nguoi lao dong") {
        categories.push(StaffCategory::Contract);
    }
    if categories.is_empty() {
        categories = vec![StaffCategory::CivilServant, StaffCategory::PublicEmployee];
    }
    let verb = match t.direction {
        Direction::Decrease => "Giảm tối thiểu",
        Direction::Increase => "Tăng tối thiểu",
        Direction::Cap => "Không vượt quá",
    };
    let pct = format!("{percent}").replace('.', ",");
    let mut title = format!("{verb} {pct}% {}", t.subject.trim());
    if let Some(b) = &t.baseline {
        title.push_str(&format!(" so với {}", b.trim()));
    }
    Some(StaffingTargetDraft {
        include: t.direction == Direction::Decrease && t.baseline_year.is_some(),
        title,
        percent,
        direction: t.direction,
        categories,
        // "Tự chủ" units pay their own staff: a target naming them counts every line.
        state_budget_paid_only: !subject.contains("tu chu"),
        baseline_year: t.baseline_year,
        deadline: t.deadline.as_ref().and_then(|d| d.due),
        scope: Vec::new(),
        measure: proposed_measure(t),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(subject: &str, percent: Option<f64>, direction: Direction) -> Target {
        Target {
            text: subject.into(),
            percent,
            subject: subject.into(),
            direction,
            baseline: None,
            baseline_year: None,
            deadline: None,
            task_ref: None,
            staffing: None,
        }
    }

    #[test]
    fn a_reduction_of_civil_servants_and_public_employees_is_read_from_its_subject() {
        let mut t = target(
            "biên chế viên chức hưởng lương từ ngân sách nhà nước",
            Some(10.0),
            Direction::Decrease,
        );
        t.baseline = Some("số biên chế được giao năm 2021".into());
        t.baseline_year = Some(2021);
        let r = reading(&t).unwrap();
        assert!(r.include);
        assert_eq!(r.measure, Measure::Quota);
        assert_eq!(r.categories, [StaffCategory::PublicEmployee]);
        assert!(r.state_budget_paid_only);
        assert_eq!(
            r.title,
            "Giảm tối thiểu 10% biên chế viên chức hưởng lương từ ngân sách nhà nước so với số biên chế được giao năm 2021"
        );
        // Without a baseline year the reviewer must give one before it is included.
        t.baseline_year = None;
        assert!(!reading(&t).unwrap().include);
    }

    #[test]
    fn the_people_paid_from_the_budget_are_counted_on_headcounts() {
        // 615/KH-UBND, PL.2.
        let mut t = target(
            "công chức, viên chức hưởng lương từ ngân sách nhà nước",
            Some(20.0),
            Direction::Decrease,
        );
        t.text = "Tổng hợp, tham mưu lộ trình, phương án sử dụng biên chế đảm bảo giảm tối thiểu 20% công chức, viên chức hưởng lương từ ngân sách nhà nước trên cơ sở các cơ quan, đơn vị báo cáo".into();
        assert_eq!(reading(&t).unwrap().measure, Measure::Headcount);
        // The same people against the quotas assigned: quotas.
        t.baseline = Some("số biên chế được giao năm 2021".into());
        assert_eq!(reading(&t).unwrap().measure, Measure::Quota);
    }

    #[test]
    fn targets_about_other_things_or_without_percent_are_not_staffing_targets() {
        assert!(reading(&target("tỷ lệ ký số", Some(90.0), Direction::Increase)).is_none());
        assert!(reading(&target("số lượng cấp phó", None, Direction::Cap)).is_none());
        let saved = StaffingTargetDraft {
            include: false,
            title: "x".into(),
            percent: 5.0,
            direction: Direction::Decrease,
            categories: vec![StaffCategory::CivilServant],
            state_budget_paid_only: true,
            baseline_year: Some(2024),
            deadline: None,
            scope: vec!["Sở Nội vụ".into()],
            measure: Measure::Headcount,
        };
        let mut t = target("công chức", Some(5.0), Direction::Decrease);
        t.staffing = Some(saved.clone());
        assert_eq!(reading(&t), Some(saved));
    }
}
