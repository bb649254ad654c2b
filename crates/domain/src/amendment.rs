//! An amending document (văn bản sửa đổi, bổ sung): which plan it amends and what it changes
//! there, clause by clause, as extracted and as the reviewer keeps or corrects it before the
//! changes are applied to the amended plan.

use serde::{Deserialize, Serialize};

use crate::draft::LegalBasis;
use crate::model::Id;

/// What an amending document is, as an amendment.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Amendment {
    /// The amended document as the amending one names it (number, date, issuer).
    pub amends: LegalBasis,
    /// The changes it makes, in document order.
    pub changes: Vec<ChangeDraft>,
}

/// What a clause of an amending document does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeDraftKind {
    /// A task's deadline changed ("Sửa đổi thời gian thực hiện …").
    Due,
    /// A task given to another lead ("Sửa đổi cơ quan chủ trì …").
    Lead,
    /// A task added ("Bổ sung nhiệm vụ …").
    TaskAdd,
    /// A task withdrawn ("Bãi bỏ nhiệm vụ …").
    TaskWithdraw,
}

impl ChangeDraftKind {
    /// What the review page calls it.
    pub fn label_vi(self) -> &'static str {
        match self {
            ChangeDraftKind::Due => "Điều chỉnh thời hạn",
            ChangeDraftKind::Lead => "Giao lại cơ quan chủ trì",
            ChangeDraftKind::TaskAdd => "Bổ sung nhiệm vụ",
            ChangeDraftKind::TaskWithdraw => "Rút nhiệm vụ khỏi kế hoạch",
        }
    }
}

fn yes() -> bool {
    true
}

/// One change an amending document makes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChangeDraft {
    /// What it does.
    pub kind: ChangeDraftKind,
    /// The task of the amended plan it changes (its reference there, "PL.6"), or the
    /// reference of the task it adds; empty when the clause names none.
    #[serde(rename = "ref")]
    pub task_ref: String,
    /// The clause as written.
    pub text: String,
    /// The new deadline as written (a deadline changed, a task added).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline: Option<String>,
    /// The new lead agency as written (a lead changed, a task added).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lead: Option<String>,
    /// Coordinating agencies as written (a task added).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub coordinating: Vec<String>,
    /// What an added task is to do.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<String>,
    /// The reviewer keeps the change (it is applied when the amendment is published).
    #[serde(default = "yes")]
    pub keep: bool,
    /// The register unit the reviewer chose for the new lead; the extractor leaves it empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lead_unit: Option<Id>,
    /// First source line (1-based).
    pub line_start: usize,
    /// Last source line (1-based, inclusive).
    pub line_end: usize,
}
