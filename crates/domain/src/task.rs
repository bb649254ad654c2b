//! Tasks (nhiệm vụ) of a plan.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::deadline::Deadline;
use crate::model::Id;

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
