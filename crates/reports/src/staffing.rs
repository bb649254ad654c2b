//! The staffing report's prepared data: attainment of the reduction targets per unit, the
//! progress by year, deputies against their caps, and people sent to the grassroots against
//! 5% of those working. The same section goes into a plan's aggregated report when the plan
//! sets staffing targets.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::model::ReportHeader;

/// A reduction target as the report cites it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TargetLine {
    /// What it says ("Giảm tối thiểu 20% công chức, viên chức …").
    pub title: String,
    /// Percent.
    pub percent: f64,
    /// Baseline year.
    pub baseline_year: i32,
    /// Deadline.
    pub deadline: Option<NaiveDate>,
    /// Number of the plan that sets it.
    pub plan_number: Option<String>,
    /// Units in scope, by name ("" for the whole province).
    pub scope: String,
    /// Baseline positions, through lineage.
    pub baseline: u32,
    /// Positions allowed at most once met (the target line).
    pub max_allowed: u32,
    /// Later years with their totals (year, positions).
    pub years: Vec<(i32, u32)>,
    /// What it counts, in words: "biên chế được giao" or "số người có mặt" (blank: not said).
    #[serde(default)]
    pub measure: String,
}

impl TargetLine {
    /// True when the target counts the people the units report rather than the quotas.
    pub fn counts_people(&self) -> bool {
        self.measure == "số người có mặt"
    }
}

/// A unit's attainment (or the province's total, `unit` "Toàn tỉnh").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttainmentLine {
    /// Unit.
    pub unit: String,
    /// Units its baseline came from, with their share ("Sở Nội vụ (60)").
    pub predecessors: Vec<String>,
    /// Baseline year.
    pub baseline_year: Option<i32>,
    /// Baseline positions.
    pub baseline: u32,
    /// Positions now.
    pub current: u32,
    /// Reduction so far in percent.
    pub reduction_percent: Option<f64>,
    /// Percent asked for (None: no target applies).
    pub target_percent: Option<f64>,
    /// Met (None: no target applies).
    pub met: Option<bool>,
}

/// A unit's leadership posts against the cap.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeputyLine {
    /// Unit.
    pub unit: String,
    /// Day of the count.
    pub on: NaiveDate,
    /// Heads.
    pub heads: u32,
    /// Deputies.
    pub deputies: u32,
    /// Deputies allowed.
    pub cap: Option<u32>,
    /// Above the cap.
    pub over: u32,
}

/// A unit's people at the grassroots against 5% of those working.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecondmentLine {
    /// Unit.
    pub unit: String,
    /// People working (latest headcount of each line).
    pub headcount: u32,
    /// 5% of them, rounded up.
    pub goal: u32,
    /// At the grassroots on the day.
    pub seconded: u32,
}

impl SecondmentLine {
    /// People still to send (0 once the goal is reached).
    pub fn missing(&self) -> u32 {
        self.goal.saturating_sub(self.seconded)
    }
}

/// The staffing figures of a province (or one unit) on a day.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StaffingSection {
    /// Day the figures are taken at.
    pub as_of: NaiveDate,
    /// Whom the figures cover in running text ("các cơ quan, đơn vị thuộc tỉnh Nghệ An").
    pub covers: String,
    /// Targets judged.
    pub targets: Vec<TargetLine>,
    /// Each unit's attainment.
    pub units: Vec<AttainmentLine>,
    /// The total ("Toàn tỉnh"), when more than one unit is reported.
    pub total: Option<AttainmentLine>,
    /// Deputies against caps, those over first.
    pub deputies: Vec<DeputyLine>,
    /// People at the grassroots per unit.
    pub secondments: Vec<SecondmentLine>,
}

impl StaffingSection {
    /// The grassroots figures summed (headcount, goal, seconded); the goal is the sum of
    /// the units' goals, each rounded up on its own.
    pub fn secondment_total(&self) -> SecondmentLine {
        SecondmentLine {
            unit: "Tổng cộng".into(),
            headcount: self.secondments.iter().map(|s| s.headcount).sum(),
            goal: self.secondments.iter().map(|s| s.goal).sum(),
            seconded: self.secondments.iter().map(|s| s.seconded).sum(),
        }
    }
}

/// The staffing report: a state document of its own.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StaffingReport {
    /// Header, recipients, signature.
    pub header: ReportHeader,
    /// The reporting body in running text ("Sở Nội vụ").
    pub reporter: String,
    /// The figures.
    pub section: StaffingSection,
}

/// A percent with a decimal comma ("19,9%"), or "—".
pub fn percent_text(p: Option<f64>) -> String {
    match p {
        Some(p) => {
            let s = format!("{p:.1}").replace('.', ",");
            format!("{}%", s.strip_suffix(",0").unwrap_or(&s))
        }
        None => "—".into(),
    }
}

/// The verdict of a line in words.
pub fn verdict_text(met: Option<bool>) -> &'static str {
    match met {
        Some(true) => "Đạt",
        Some(false) => "Chưa đạt",
        None => "Chưa có chỉ tiêu",
    }
}

/// The lines of the report's tables as text, one row a line, cells separated by " | ": what a
/// reader finds in the document whatever its format (used by the tests and the snapshots).
pub fn section_text(s: &StaffingSection) -> String {
    let mut out = String::new();
    for t in &s.targets {
        out.push_str(&format!(
            "Chỉ tiêu | {} | {}% | năm gốc {} | gốc {} | tối đa {}{}\n",
            t.title,
            percent_text(Some(t.percent)).trim_end_matches('%'),
            t.baseline_year,
            t.baseline,
            t.max_allowed,
            if t.measure.is_empty() {
                String::new()
            } else {
                format!(" | tính theo {}", t.measure)
            }
        ));
        for (y, n) in &t.years {
            out.push_str(&format!("Năm {y} | {n}\n"));
        }
    }
    for u in s.units.iter().chain(s.total.iter()) {
        out.push_str(&format!(
            "{} | {} | {} | {} | {} | {}{}\n",
            u.unit,
            u.baseline,
            u.current,
            percent_text(u.reduction_percent),
            percent_text(u.target_percent),
            verdict_text(u.met),
            if u.predecessors.is_empty() {
                String::new()
            } else {
                format!(" | từ {}", u.predecessors.join("; "))
            }
        ));
    }
    for d in &s.deputies {
        out.push_str(&format!(
            "Cấp phó | {} | {} | {} | tối đa {} | vượt {}\n",
            d.unit,
            d.on.format("%d/%m/%Y"),
            d.deputies,
            d.cap.map_or("—".into(), |c| c.to_string()),
            d.over
        ));
    }
    for c in s.secondments.iter().chain([&s.secondment_total()]) {
        out.push_str(&format!(
            "Cử đi cơ sở | {} | có mặt {} | 5% {} | đã cử {} | còn thiếu {}\n",
            c.unit,
            c.headcount,
            c.goal,
            c.seconded,
            c.missing()
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percents_use_a_decimal_comma() {
        assert_eq!(percent_text(Some(19.94)), "19,9%");
        assert_eq!(percent_text(Some(20.0)), "20%");
        assert_eq!(percent_text(Some(-2.5)), "-2,5%");
        assert_eq!(percent_text(None), "—");
    }
}
