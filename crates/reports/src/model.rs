//! Input model: the prepared data the app layer hands to the writers.
//!
//! Everything here is already computed (counts, classes, days overdue): the writers only lay it
//! out, so the same figures appear in DOCX, XLSX and CSV.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// Status class of an assignment at an as-of date (the domain's classification).
pub use tinhgon_domain::class::StatusClass;

/// Counts per status class.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClassCounts {
    /// Hoàn thành đúng hạn.
    pub done_on_time: u32,
    /// Hoàn thành quá hạn.
    pub done_late: u32,
    /// Đang thực hiện trong hạn.
    pub in_progress: u32,
    /// Quá hạn chưa hoàn thành.
    pub overdue: u32,
    /// Chưa đến hạn.
    pub not_due: u32,
    /// Chờ điều kiện.
    pub waiting_for_condition: u32,
    /// Thường xuyên.
    pub standing: u32,
}

impl ClassCounts {
    /// Count of one class.
    pub fn get(&self, class: StatusClass) -> u32 {
        match class {
            StatusClass::DoneOnTime => self.done_on_time,
            StatusClass::DoneLate => self.done_late,
            StatusClass::InProgress => self.in_progress,
            StatusClass::Overdue => self.overdue,
            StatusClass::NotDue => self.not_due,
            StatusClass::WaitingForCondition => self.waiting_for_condition,
            StatusClass::Standing => self.standing,
        }
    }

    /// Adds one to a class.
    pub fn add(&mut self, class: StatusClass) {
        let slot = match class {
            StatusClass::DoneOnTime => &mut self.done_on_time,
            StatusClass::DoneLate => &mut self.done_late,
            StatusClass::InProgress => &mut self.in_progress,
            StatusClass::Overdue => &mut self.overdue,
            StatusClass::NotDue => &mut self.not_due,
            StatusClass::WaitingForCondition => &mut self.waiting_for_condition,
            StatusClass::Standing => &mut self.standing,
        };
        *slot = slot.saturating_add(1);
    }

    /// Sum over all classes.
    pub fn total(&self) -> u32 {
        StatusClass::ALL.iter().map(|c| self.get(*c)).sum()
    }

    /// Counts of a list of classes (used by callers and tests to derive totals from rows).
    pub fn from_classes(classes: impl IntoIterator<Item = StatusClass>) -> Self {
        let mut counts = ClassCounts::default();
        for class in classes {
            counts.add(class);
        }
        counts
    }
}

/// Signature block: capacity lines ("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC") and the signer's name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignatureBlock {
    /// Capacity lines, top to bottom, rendered bold upper case.
    pub capacity: Vec<String>,
    /// Full name of the signer.
    pub name: String,
}

/// The state-format header, recipients and signature shared by every document we issue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportHeader {
    /// Governing body line ("UBND TỈNH NGHỆ AN").
    pub issuer_parent: String,
    /// Issuing body line ("SỞ NỘI VỤ"), bold.
    pub issuer: String,
    /// Document number without "Số:" ("   /BC-SNV"; blanks are kept for hand numbering).
    pub number: String,
    /// Place name for the date line ("Nghệ An").
    pub place: String,
    /// Date of issue.
    pub date: NaiveDate,
    /// Kind name ("BÁO CÁO"); unused by a công văn, which has no kind name.
    pub title: String,
    /// Summary line (trích yếu): under the title, or "V/v …" under the number in a công văn.
    pub subtitle: String,
    /// Recipients, one per line, without the leading "- " and trailing ";".
    pub recipients: Vec<String>,
    /// Signature block.
    pub signer: SignatureBlock,
}

impl ReportHeader {
    /// The date line in state format: "Nghệ An, ngày 05 tháng 02 năm 2026".
    ///
    /// Nghị định 30/2020 writes days below 10 and months below 3 with a leading zero.
    pub fn date_line(&self) -> String {
        format!("{}, {}", self.place, long_date(self.date))
    }
}

/// "ngày 05 tháng 02 năm 2026" (leading zero for days < 10 and months < 3, as Nghị định 30).
pub fn long_date(date: NaiveDate) -> String {
    let day = date.day();
    let month = date.month();
    let day = if day < 10 {
        format!("0{day}")
    } else {
        day.to_string()
    };
    let month = if month < 3 {
        format!("0{month}")
    } else {
        month.to_string()
    };
    format!("ngày {day} tháng {month} năm {}", date.year())
}

/// d/m/yyyy as written in running text ("25/7/2025").
pub fn text_date(date: NaiveDate) -> String {
    format!("{}/{}/{}", date.day(), date.month(), date.year())
}

/// dd/mm/yyyy, the date format of every table cell.
pub fn short_date(date: NaiveDate) -> String {
    date.format("%d/%m/%Y").to_string()
}

/// One row of the task table: a task, or one unit's assignment of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskRow {
    /// Reference within the plan ("PL.13").
    pub reference: String,
    /// Content of the task.
    pub content: String,
    /// Lead unit(s).
    pub lead: String,
    /// Coordinating units, as one text.
    pub coordinating: String,
    /// Deadline as written in the plan ("Trình UBND tỉnh trong quý III/2025").
    pub deadline_text: String,
    /// Computed due date, if the deadline has one.
    pub due: Option<NaiveDate>,
    /// Status class at the cut-off.
    pub class: StatusClass,
    /// Completion date (confirmed), if done.
    pub completed_on: Option<NaiveDate>,
    /// Latest progress note up to the cut-off.
    pub latest_progress: Option<String>,
}

/// Per-unit counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitRow {
    /// Unit name.
    pub unit: String,
    /// Counts of the unit's assignments per class.
    pub counts: ClassCounts,
}

/// An overdue assignment with the unit's reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OverdueRow {
    /// Reference within the plan.
    pub reference: String,
    /// Content of the task.
    pub content: String,
    /// Responsible unit.
    pub unit: String,
    /// Due date.
    pub due: NaiveDate,
    /// Days past the due date at the cut-off.
    pub days_overdue: u32,
    /// Reason given by the unit (from its progress notes), if any.
    pub reason: Option<String>,
}

/// A text attributed to a unit (an obstacle or a proposal from an agency report).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitNote {
    /// Unit name.
    pub unit: String,
    /// Text.
    pub text: String,
}

/// The aggregated report of a plan for a period, as of its cut-off date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AggregatedReport {
    /// Header, recipients, signature.
    pub header: ReportHeader,
    /// The reporting body in running text ("Sở Nội vụ").
    pub reporter: String,
    /// Plan number ("615/KH-UBND").
    pub plan_number: String,
    /// Plan issue date.
    pub plan_date: Option<NaiveDate>,
    /// Plan issuer short name ("UBND tỉnh").
    pub plan_issuer: String,
    /// Plan title (trích yếu), in sentence case.
    pub plan_title: String,
    /// Opening paragraph; a default citing the plan is written when empty.
    pub intro: String,
    /// Period label ("quý III/2025").
    pub period_label: String,
    /// Cut-off date of the data.
    pub cutoff: NaiveDate,
    /// Totals at this cut-off.
    pub totals: ClassCounts,
    /// Totals of the previous period, when there was one.
    pub previous: Option<ClassCounts>,
    /// Label of the previous period ("quý II/2025").
    pub previous_label: Option<String>,
    /// Per-unit counts.
    pub units: Vec<UnitRow>,
    /// Task table.
    pub tasks: Vec<TaskRow>,
    /// Overdue assignments with reasons.
    pub overdue: Vec<OverdueRow>,
    /// Obstacles collected from agency reports.
    pub obstacles: Vec<UnitNote>,
    /// Proposals collected from agency reports.
    pub proposals: Vec<UnitNote>,
    /// Closing sentence; a default is written when empty.
    pub closing: String,
    /// The staffing figures, when the plan sets staffing targets.
    #[serde(default)]
    pub staffing: Option<crate::staffing::StaffingSection>,
}

/// One overdue assignment listed in an urging notice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UrgedItem {
    /// Reference within the plan.
    pub reference: String,
    /// Content of the task.
    pub content: String,
    /// Due date.
    pub due: NaiveDate,
    /// Days past the due date at the notice date.
    pub days_overdue: u32,
}

/// Văn bản đôn đốc: a công văn urging one unit about its overdue assignments.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UrgingNotice {
    /// Header; `subtitle` is the "V/v …" line, `title` is not used.
    pub header: ReportHeader,
    /// The urging body in running text ("Sở Nội vụ").
    pub reporter: String,
    /// Addressee unit ("Sở Y tế").
    pub addressee: String,
    /// Plan number ("615/KH-UBND").
    pub plan_number: String,
    /// Plan issue date.
    pub plan_date: Option<NaiveDate>,
    /// Plan issuer short name ("UBND tỉnh").
    pub plan_issuer: String,
    /// Plan title.
    pub plan_title: String,
    /// Date the figures are taken at.
    pub as_of: NaiveDate,
    /// Overdue assignments of the addressee.
    pub items: Vec<UrgedItem>,
    /// The request paragraph.
    pub request: String,
    /// Date by which the unit must report.
    pub report_by: NaiveDate,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_date_pads_small_days_and_months() {
        let d = NaiveDate::from_ymd_opt(2026, 2, 5).expect("date");
        assert_eq!(long_date(d), "ngày 05 tháng 02 năm 2026");
        let d = NaiveDate::from_ymd_opt(2026, 11, 22).expect("date");
        assert_eq!(long_date(d), "ngày 22 tháng 11 năm 2026");
        let d = NaiveDate::from_ymd_opt(2026, 3, 9).expect("date");
        assert_eq!(long_date(d), "ngày 09 tháng 3 năm 2026");
    }

    #[test]
    fn counts_add_and_total() {
        let c = ClassCounts::from_classes([
            StatusClass::Overdue,
            StatusClass::Overdue,
            StatusClass::Standing,
        ]);
        assert_eq!(c.overdue, 2);
        assert_eq!(c.get(StatusClass::Standing), 1);
        assert_eq!(c.total(), 3);
    }

    #[test]
    fn count_fields_are_named_like_the_class_keys() {
        let c = ClassCounts::from_classes(StatusClass::ALL);
        let json = serde_json::to_value(c).expect("json");
        for class in StatusClass::ALL {
            assert_eq!(json[class.as_str()], 1, "{}", class.as_str());
        }
    }
}
