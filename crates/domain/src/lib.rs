//! tinhgon's pure domain core: the plan, task and register types and the rules over them
//! (status classification, deadline arithmetic, lineage). No I/O lives here.

pub mod deadline;
pub mod draft;
pub mod model;

pub use deadline::{Deadline, DeadlineKind, Period, Precision};
pub use draft::{AgencyRef, DocumentKind, DocumentMeta, GroupKind, LegalBasis, PlanDraft, Signer, Target, TaskDraft};
