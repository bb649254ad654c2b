//! Stored entities: units of the register, plans, tasks, assignments and their records.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::deadline::Deadline;
use crate::draft::{DocumentMeta, GroupKind};

/// Database identifier.
pub type Id = i64;

/// Kind of a unit in the register (glossary names).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnitKind {
    /// Tỉnh / thành phố trực thuộc trung ương.
    Province,
    /// UBND.
    PeopleCommittee,
    /// HĐND.
    PeopleCouncil,
    /// Tỉnh ủy and its bodies.
    Party,
    /// Sở, ban, ngành.
    Department,
    /// Chi cục.
    SubDepartment,
    /// Đơn vị sự nghiệp công lập.
    PublicServiceUnit,
    /// Huyện, thị xã, thành phố thuộc tỉnh (until 1/7/2025).
    District,
    /// Xã.
    Commune,
    /// Phường.
    Ward,
    /// Đặc khu.
    SpecialZone,
    /// Mặt trận, đoàn thể, văn phòng and other bodies.
    Other,
}

/// Administrative level of a unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// Central.
    Central,
    /// Province.
    Province,
    /// District (abolished 1/7/2025).
    District,
    /// Commune.
    Commune,
}

/// A unit of the register, valid over `[valid_from, valid_to)`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unit {
    /// Identifier.
    pub id: Id,
    /// Official code where one exists (commune codes, province code).
    pub code: Option<String>,
    /// Canonical name.
    pub name: String,
    /// Kind.
    pub kind: UnitKind,
    /// Level.
    pub level: Level,
    /// Parent unit.
    pub parent_id: Option<Id>,
    /// First day the unit exists (None: since before the register starts).
    pub valid_from: Option<NaiveDate>,
    /// First day the unit no longer exists (None: still exists).
    pub valid_to: Option<NaiveDate>,
}

/// Kinds of restructuring events.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// Sáp nhập: predecessors absorbed into an existing successor.
    Merge,
    /// Hợp nhất: predecessors form a new successor.
    Consolidate,
    /// Chia tách.
    Split,
    /// Giải thể.
    Dissolve,
    /// Đổi tên.
    Rename,
    /// Chuyển giao (a unit moves under another parent).
    Transfer,
}

/// A restructuring event with lineage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RestructuringEvent {
    /// Identifier.
    pub id: Id,
    /// Kind.
    pub kind: EventKind,
    /// Units that cease (or change).
    pub predecessors: Vec<Id>,
    /// Units that carry on.
    pub successors: Vec<Id>,
    /// Deciding document ("1678/NQ-UBTVQH15").
    pub decision: Option<String>,
    /// Effective date.
    pub effective: NaiveDate,
}

/// A published (or draft) plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    /// Identifier.
    pub id: Id,
    /// Document metadata.
    pub meta: DocumentMeta,
    /// Issuing unit in the register when resolved.
    pub issuer_unit_id: Option<Id>,
    /// Standing agency that monitors the plan (Sở Nội vụ by default).
    pub monitor_unit_id: Option<Id>,
    /// Task of another plan that this plan implements.
    pub parent_task_id: Option<Id>,
    /// Draft, published or archived.
    pub state: PlanState,
    /// Shown on public pages.
    pub public: bool,
    /// SHA-256 of the imported file.
    pub content_hash: Option<String>,
}

/// Lifecycle of a plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlanState {
    /// Imported, under review.
    Draft,
    /// Published: assignments exist.
    Published,
    /// No longer tracked.
    Archived,
}

/// A task of a plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Task {
    /// Identifier.
    pub id: Id,
    /// Plan.
    pub plan_id: Id,
    /// Reference within the plan ("PL.13").
    pub reference: String,
    /// Content.
    pub content: String,
    /// Deadline.
    pub deadline: Deadline,
    /// Deliverable.
    pub deliverable: Option<String>,
    /// Coordinating units resolved in the register.
    pub coordinating_unit_ids: Vec<Id>,
    /// When a conditional deadline's event happened (set by the monitor).
    pub triggered_on: Option<NaiveDate>,
}

/// One responsible unit's share of a task.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Assignment {
    /// Identifier.
    pub id: Id,
    /// Task.
    pub task_id: Id,
    /// Responsible unit (after re-routing, the successor).
    pub unit_id: Id,
    /// The group the unit was expanded from, if any.
    pub via_group: Option<GroupKind>,
    /// Due date of this assignment (from the deadline, a trigger or an approved extension).
    pub due: Option<NaiveDate>,
    /// Current status.
    pub status: Status,
}

/// Workflow status of an assignment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Chưa thực hiện.
    NotStarted,
    /// Đang thực hiện.
    InProgress,
    /// Đơn vị đề nghị hoàn thành.
    CompletionProposed,
    /// Hoàn thành (confirmed by the monitor).
    Done,
    /// Trả lại (completion refused; work continues).
    Returned,
    /// Hủy.
    Cancelled,
}

/// A change of status, with who, when and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusChange {
    /// Assignment.
    pub assignment_id: Id,
    /// Status before.
    pub from: Option<Status>,
    /// Status after.
    pub to: Status,
    /// Who made the change.
    pub actor_id: Option<Id>,
    /// When.
    pub at: DateTime<Utc>,
    /// Note.
    pub note: Option<String>,
}
