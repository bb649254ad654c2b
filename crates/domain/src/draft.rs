//! A plan as extracted from a document, before a person reviews and publishes it.
//! This is the `tinhgon extract --json` contract (see docs/plan-json.md).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::deadline::Deadline;

/// The extracted plan: metadata, tasks, targets and what the extractor was unsure of.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PlanDraft {
    /// Document metadata.
    pub document: DocumentMeta,
    /// Tasks in document order.
    pub tasks: Vec<TaskDraft>,
    /// Quantitative targets the plan sets.
    pub targets: Vec<Target>,
    /// Things a reviewer should look at (Vietnamese).
    pub warnings: Vec<String>,
}

/// Kinds of documents a plan is or refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    /// Kế hoạch.
    Plan,
    /// Chương trình (hành động).
    Program,
    /// Nghị quyết.
    Resolution,
    /// Kết luận.
    Conclusion,
    /// Quyết định.
    Decision,
    /// Chỉ thị.
    Directive,
    /// Thông báo.
    Notice,
    /// Công văn.
    OfficialLetter,
    /// Đề án.
    Scheme,
    /// Nghị định.
    Decree,
    /// Thông tư.
    Circular,
    /// Luật.
    Law,
    /// Quy định.
    Regulation,
    /// Hướng dẫn.
    Guidance,
    /// Anything else.
    Other,
}

/// Document metadata from the state header, title and signature block.
/// Every field may be absent in stored JSON (plans written before a field existed, generated
/// data): absent lists read as empty rather than making the whole plan unreadable.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DocumentMeta {
    /// Số hiệu, e.g. "615/KH-UBND".
    pub number: Option<String>,
    /// Kind of the document.
    pub kind: Option<DocumentKind>,
    /// Issuing body, canonical where known ("Ủy ban nhân dân tỉnh Nghệ An").
    pub issuer: Option<String>,
    /// Place name in the date line ("Nghệ An").
    pub place: Option<String>,
    /// Date of issue.
    pub date: Option<NaiveDate>,
    /// Trích yếu.
    pub title: Option<String>,
    /// Signer.
    pub signer: Option<Signer>,
    /// Nơi nhận, one entry per line, without the leading dash.
    pub recipients: Vec<String>,
    /// Documents the plan implements ("Thực hiện …", "Căn cứ …").
    pub legal_bases: Vec<LegalBasis>,
    /// Province of the issuer ("Bắc Ninh"), absent for central bodies: import flags a plan
    /// of another province than the monitor's.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issuer_province: Option<String>,
    /// The plan this document amends (văn bản sửa đổi, bổ sung) and the changes it makes;
    /// absent for a plan of its own.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amendment: Option<crate::amendment::Amendment>,
}

/// Who signed, and in what capacity.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signer {
    /// Person's name.
    pub name: Option<String>,
    /// Capacity lines as written: "TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH".
    pub capacity: Vec<String>,
    /// Final position ("PHÓ CHỦ TỊCH").
    pub position: Option<String>,
}

/// A referenced document.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LegalBasis {
    /// The reference as written.
    pub text: String,
    /// Its number ("121-KL/TW").
    pub number: Option<String>,
    /// Its kind.
    pub kind: Option<DocumentKind>,
    /// Its date.
    pub date: Option<NaiveDate>,
    /// Its issuer as written ("Ban Chấp hành Trung ương").
    pub issuer: Option<String>,
}

/// Collective agency mentions that stand for a set of units.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GroupKind {
    /// "Các Sở, ban, ngành": every department of the province.
    Departments,
    /// "UBND các xã, phường": every commune-level unit.
    Communes,
    /// "UBND các huyện, thành phố": every district-level unit (before 1/7/2025).
    Districts,
    /// "Các đơn vị sự nghiệp công lập": public service units.
    PublicServiceUnits,
    /// "Các Chi cục và tương đương thuộc Sở".
    SubDepartments,
    /// "Các phòng chuyên môn" of a district or commune.
    SpecializedOffices,
    /// "Các cơ quan, đơn vị liên quan": not a definite set.
    Unspecified,
}

/// An agency as mentioned in a task.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgencyRef {
    /// As written.
    pub text: String,
    /// Canonical name (abbreviations expanded, trailing punctuation removed).
    pub name: String,
    /// Group kind when the mention stands for a set of units.
    pub group: Option<GroupKind>,
}

/// Where a task came from in the document.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceSpan {
    /// Layout the task was found in: `appendix_table`, `implementing_units_block`,
    /// `agency_paragraph`, `collective_section`, `spreadsheet_row`.
    pub layout: String,
    /// First line (1-based, in the document's line view).
    pub line_start: usize,
    /// Last line (1-based, inclusive).
    pub line_end: usize,
}

/// One extracted task.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaskDraft {
    /// Reference within the plan: "PL.13", "II.3", "III.2.b".
    #[serde(rename = "ref")]
    pub reference: String,
    /// What is to be done.
    pub content: String,
    /// Lead agencies (normally one).
    pub lead: Vec<AgencyRef>,
    /// Coordinating agencies.
    pub coordinating: Vec<AgencyRef>,
    /// Deadline.
    pub deadline: Deadline,
    /// Deliverable where stated ("Trình UBND tỉnh", "báo cáo", "kế hoạch", "đề án", "quyết định").
    pub deliverable: Option<String>,
    /// Where it came from.
    pub source: SourceSpan,
    /// What a spreadsheet said of the task's progress ("Tình hình thực hiện"), shown to the
    /// reviewer; documents leave it empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub progress: Option<String>,
}

/// Direction of a quantitative target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// Reduce by at least the amount.
    Decrease,
    /// Increase or reach at least the amount.
    Increase,
    /// Keep within a cap (deputies within the rules).
    Cap,
}

/// A quantitative target the plan sets.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Target {
    /// The sentence or clause as written.
    pub text: String,
    /// Percent, when stated.
    pub percent: Option<f64>,
    /// What is counted ("công chức, viên chức hưởng lương từ ngân sách nhà nước").
    pub subject: String,
    /// Direction.
    pub direction: Direction,
    /// Baseline as written ("số biên chế được giao năm 2021").
    pub baseline: Option<String>,
    /// Baseline year.
    pub baseline_year: Option<i32>,
    /// Deadline.
    pub deadline: Option<Deadline>,
    /// Reference of the task it appears in, if any.
    pub task_ref: Option<String>,
    /// The reviewer's reading of a staffing target (see [`crate::staffing_target`]); the
    /// extractor leaves it empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub staffing: Option<crate::staffing_target::StaffingTargetDraft>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_metadata_without_lists_still_reads() {
        // The shape the national generator stores: no recipients, no legal bases.
        let json = r#"{"document":{"date":"2026-04-28","kind":"plan","number":"521/KH-UBND"},"tasks":[],"targets":[],"warnings":[]}"#;
        let d: PlanDraft = serde_json::from_str(json).expect("bản nháp đọc được");
        assert_eq!(d.document.number.as_deref(), Some("521/KH-UBND"));
        assert!(d.document.recipients.is_empty() && d.document.legal_bases.is_empty());
    }
}
