//! tinhgon's pure domain core: the plan, task and register types and the rules over them
//! (status classification, deadline arithmetic, lineage). No I/O lives here.

pub mod amendment;
pub mod assignment;
pub mod calendar;
pub mod cascade;
pub mod class;
pub mod classify;
pub mod csvtext;
pub mod deadline;
pub mod draft;
pub mod duty_periods;
pub mod error;
pub mod event;
pub mod functions;
pub mod ids;
pub mod import;
pub mod job_positions;
pub mod lineage_graph;
pub mod localtime;
pub mod model;
pub mod plan;
pub mod publish;
pub mod records;
pub mod register;
pub mod register_update;
pub mod reminder;
pub mod resolve;
pub mod rules;
pub mod staff_share;
pub mod staffing;
pub mod staffing_figures;
pub mod staffing_progress;
pub mod staffing_target;
pub mod tally;
pub mod task;
pub mod timeline;
pub mod unit;
pub mod user;
pub mod workflow;

#[cfg(test)]
mod names_tests;
#[cfg(test)]
mod testdata;

pub use classify::{classify, classify_period};
pub use deadline::{Deadline, DeadlineKind, Period, Precision};
pub use draft::{
    AgencyRef, DocumentKind, DocumentMeta, GroupKind, LegalBasis, PlanDraft, Signer, Target,
    TaskDraft,
};
pub use error::DomainError;
pub use localtime::local_date;
pub use model::*;
pub use publish::{
    expand_assignments, expand_task, expand_task_keyed, mention_key, task_keys, Expansion,
    Unresolved,
};
pub use register::{apply_event, predecessors, successors, units_as_of};
pub use resolve::{Resolution, Resolver};
pub use workflow::{transition, Action};
