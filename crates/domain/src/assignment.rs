//! Assignments (phân công): one responsible unit's share of a task, and its status history.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::draft::GroupKind;
use crate::model::Id;

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
    /// When the assignment was created (publication of its plan).
    pub created_at: DateTime<Utc>,
}

/// An assignment to create when a plan is published.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct NewAssignment {
    /// Responsible unit.
    pub unit_id: Id,
    /// The group the unit was expanded from, if any.
    pub via_group: Option<GroupKind>,
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

impl Status {
    /// All statuses, in workflow order.
    pub const ALL: [Status; 6] = [
        Status::NotStarted,
        Status::InProgress,
        Status::CompletionProposed,
        Status::Done,
        Status::Returned,
        Status::Cancelled,
    ];

    /// True while work is still expected (not done, not cancelled).
    pub fn is_open(self) -> bool {
        !matches!(self, Status::Done | Status::Cancelled)
    }

    /// True once the unit has begun (in progress, proposed, returned).
    pub fn is_started(self) -> bool {
        matches!(
            self,
            Status::InProgress | Status::CompletionProposed | Status::Returned
        )
    }

    /// Stable snake_case name (as serialised and stored).
    pub fn as_str(self) -> &'static str {
        match self {
            Status::NotStarted => "not_started",
            Status::InProgress => "in_progress",
            Status::CompletionProposed => "completion_proposed",
            Status::Done => "done",
            Status::Returned => "returned",
            Status::Cancelled => "cancelled",
        }
    }

    /// Parses the stored name.
    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|st| st.as_str() == s)
    }

    /// Vietnamese label.
    pub fn label_vi(self) -> &'static str {
        match self {
            Status::NotStarted => "Chưa thực hiện",
            Status::InProgress => "Đang thực hiện",
            Status::CompletionProposed => "Đề nghị hoàn thành",
            Status::Done => "Hoàn thành",
            Status::Returned => "Trả lại",
            Status::Cancelled => "Đã hủy",
        }
    }
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
