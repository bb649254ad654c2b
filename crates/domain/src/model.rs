//! Stored entities, gathered in one place: `tinhgon_domain::model::X` names every type a
//! store or a page needs. Each concept lives in its own module.

/// Database identifier.
pub type Id = i64;

pub use crate::assignment::{Assignment, NewAssignment, Status, StatusChange};
pub use crate::class::StatusClass;
pub use crate::classify::{ApprovedExtension, AssignmentFacts, PeriodOutcome};
pub use crate::event::{EventKind, Reroute, RestructuringEvent};
pub use crate::plan::{Plan, PlanLink, PlanState};
pub use crate::records::{
    Contribution, Evidence, ExtensionRequest, ExtensionState, Obstacle, ObstacleState,
    ProgressReport, Reminder, ReminderKind,
};
pub use crate::task::Task;
pub use crate::unit::{Level, Unit, UnitAlias, UnitKind};
pub use crate::user::{PlanAccess, Role, User};
pub use crate::workflow::Action;
