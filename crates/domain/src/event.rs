//! Restructuring events (sáp nhập, hợp nhất, chia tách, giải thể, đổi tên, chuyển giao).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::model::Id;

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
    /// Chuyển giao chức năng: part of a unit's functions and work goes to another unit;
    /// neither ceases (a unit moving under another parent is a unit change, not an event).
    Transfer,
}

impl EventKind {
    /// Every kind, in the order the forms list them.
    pub const ALL: [EventKind; 6] = [
        EventKind::Merge,
        EventKind::Consolidate,
        EventKind::Split,
        EventKind::Dissolve,
        EventKind::Transfer,
        EventKind::Rename,
    ];

    /// The kind whose stable name is `s`.
    pub fn parse(s: &str) -> Option<EventKind> {
        EventKind::ALL.into_iter().find(|k| k.as_str() == s.trim())
    }

    /// Stable snake_case name (as serialised).
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::Merge => "merge",
            EventKind::Consolidate => "consolidate",
            EventKind::Split => "split",
            EventKind::Dissolve => "dissolve",
            EventKind::Rename => "rename",
            EventKind::Transfer => "transfer",
        }
    }

    /// Vietnamese label.
    pub fn label_vi(self) -> &'static str {
        match self {
            EventKind::Merge => "Sáp nhập",
            EventKind::Consolidate => "Hợp nhất",
            EventKind::Split => "Chia tách",
            EventKind::Dissolve => "Giải thể",
            EventKind::Rename => "Đổi tên",
            EventKind::Transfer => "Chuyển giao",
        }
    }
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
    /// How a split shares staffing: each successor's percent, summing to 100 (empty: equal
    /// shares, see [`crate::staff_share::share_out`]).
    #[serde(default)]
    pub allocation: Vec<(Id, u32)>,
}

/// An open assignment moved from a unit that ceased to its successor.
///
/// The assignment's history stays attributed to `from_unit`; only future work goes to `to_unit`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Reroute {
    /// Assignment moved.
    pub assignment_id: Id,
    /// Unit that ceased.
    pub from_unit: Id,
    /// Successor that takes the work over.
    pub to_unit: Id,
}
