//! What happens around an assignment: progress reports, evidence, extension requests,
//! obstacles, reminders and coordinating units' contributions.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::model::Id;

/// A progress report (báo cáo tiến độ) by the responsible unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgressReport {
    /// Identifier.
    pub id: Id,
    /// Assignment reported on.
    pub assignment_id: Id,
    /// User who wrote it.
    pub author_id: Id,
    /// When.
    pub at: DateTime<Utc>,
    /// What was done.
    pub text: String,
    /// Estimated completion, 0–100.
    pub percent: u8,
    /// Attached evidence (minh chứng).
    pub evidence: Vec<Evidence>,
}

/// Metadata of an evidence file (minh chứng); the bytes live in the file store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    /// Identifier.
    pub id: Id,
    /// File name as uploaded (display only; never used as a path).
    pub file_name: String,
    /// Media type checked at upload ("application/pdf").
    pub media_type: String,
    /// Size in bytes.
    pub size: u64,
    /// SHA-256 of the content, lowercase hex.
    pub sha256: String,
    /// Key in the file store (derived from the hash, never from the file name).
    pub storage_key: String,
}

/// State of an extension request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExtensionState {
    /// Waiting for the monitor.
    Pending,
    /// Approved: the assignment's due date becomes the requested one.
    Approved,
    /// Refused.
    Refused,
}

impl ExtensionState {
    /// Stable snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            ExtensionState::Pending => "pending",
            ExtensionState::Approved => "approved",
            ExtensionState::Refused => "refused",
        }
    }

    /// Vietnamese label.
    pub fn label_vi(self) -> &'static str {
        match self {
            ExtensionState::Pending => "Chờ xem xét",
            ExtensionState::Approved => "Đã đồng ý gia hạn",
            ExtensionState::Refused => "Không đồng ý gia hạn",
        }
    }
}

/// A request to move an assignment's due date (đề nghị gia hạn).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExtensionRequest {
    /// Identifier.
    pub id: Id,
    /// Assignment.
    pub assignment_id: Id,
    /// User who asked.
    pub requested_by: Id,
    /// When asked.
    pub requested_at: DateTime<Utc>,
    /// The new due date asked for.
    pub requested_due: NaiveDate,
    /// Why.
    pub reason: String,
    /// Pending, approved or refused.
    pub state: ExtensionState,
    /// Monitor who decided.
    pub decided_by: Option<Id>,
    /// When decided (an approval counts for classification only from this instant).
    pub decided_at: Option<DateTime<Utc>>,
    /// The monitor's answer.
    pub answer: Option<String>,
}

/// State of an obstacle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ObstacleState {
    /// Raised, not yet answered.
    Open,
    /// Answered by the monitor.
    Answered,
}

impl ObstacleState {
    /// Stable snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            ObstacleState::Open => "open",
            ObstacleState::Answered => "answered",
        }
    }

    /// Vietnamese label.
    pub fn label_vi(self) -> &'static str {
        match self {
            ObstacleState::Open => "Chưa trả lời",
            ObstacleState::Answered => "Đã trả lời",
        }
    }
}

/// A difficulty or request raised to the monitor (vướng mắc, khó khăn, kiến nghị).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Obstacle {
    /// Identifier.
    pub id: Id,
    /// Assignment.
    pub assignment_id: Id,
    /// What blocks the work.
    pub text: String,
    /// User who raised it.
    pub raised_by: Id,
    /// When raised.
    pub at: DateTime<Utc>,
    /// Open or answered.
    pub state: ObstacleState,
    /// The monitor's answer.
    pub answer: Option<String>,
    /// Who answered.
    pub answered_by: Option<Id>,
    /// When answered.
    pub answered_at: Option<DateTime<Utc>>,
}

/// Why a reminder was sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReminderKind {
    /// Đôn đốc: an urging notice sent by the monitor.
    Urge,
    /// Automatic: due in 7 days.
    #[serde(rename = "due_in_7")]
    DueIn7,
    /// Automatic: due tomorrow.
    #[serde(rename = "due_in_1")]
    DueIn1,
    /// Automatic: newly overdue.
    Overdue,
}

impl ReminderKind {
    /// Stable snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            ReminderKind::Urge => "urge",
            ReminderKind::DueIn7 => "due_in_7",
            ReminderKind::DueIn1 => "due_in_1",
            ReminderKind::Overdue => "overdue",
        }
    }

    /// Vietnamese label.
    pub fn label_vi(self) -> &'static str {
        match self {
            ReminderKind::Urge => "Đôn đốc thực hiện nhiệm vụ",
            ReminderKind::DueIn7 => "Nhiệm vụ đến hạn trong 7 ngày",
            ReminderKind::DueIn1 => "Nhiệm vụ đến hạn vào ngày mai",
            ReminderKind::Overdue => "Nhiệm vụ đã quá hạn",
        }
    }
}

/// A reminder or urging notice to a unit, listing its assignments.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reminder {
    /// Identifier.
    pub id: Id,
    /// Unit reminded.
    pub unit_id: Id,
    /// Assignments listed.
    pub assignment_ids: Vec<Id>,
    /// Why.
    pub kind: ReminderKind,
    /// When sent.
    pub at: DateTime<Utc>,
    /// Monitor who sent it (None: the daily job).
    pub by: Option<Id>,
    /// Message text.
    pub text: Option<String>,
}

/// A coordinating unit's note on a task (ý kiến phối hợp).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contribution {
    /// Identifier.
    pub id: Id,
    /// Task.
    pub task_id: Id,
    /// Coordinating unit.
    pub unit_id: Id,
    /// User who wrote it.
    pub author_id: Id,
    /// When.
    pub at: DateTime<Utc>,
    /// Text.
    pub text: String,
}
