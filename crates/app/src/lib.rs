//! tinhgon-app: the use-case layer. Every thing a person does with tinhgon is one function
//! here, called alike by the server-rendered pages, the JSON API and the command line: each
//! takes a typed request (a form or JSON body parsed into typed values, or a Vietnamese error
//! per field) and typed ids, decides the rights (an agency writes only its own assignments, a
//! monitor decides only on the plans it monitors), and calls the store. Kept apart from the
//! store so that the storage crate does not pull in the document writers, and from the web so
//! that the pages and the API cannot drift apart.
//!
//! One module per concept: [`import`] (import, review and agency mapping of a draft),
//! [`publishing`], [`progress`] (progress reports, completion proposals),
//! [`decisions`] (confirm, return, cancel), [`extensions`], [`obstacles`], [`contributions`],
//! [`triggers`], [`urging`], [`periodic`] (the periodic report), [`evidence`], [`register`],
//! [`units`] (changes to single units of the register), [`rules`] (statutory rule check),
//! [`restructuring`] (restructuring events with preview, scheduling and cancelling),
//! [`search`], [`accounts`], [`calendar`] (the month of deadlines and the iCalendar feed),
//! [`comments`] (comments on an assignment); [`access`] loads an object with the rights decision about it.

pub mod access;
pub mod accounts;
pub mod agency_report;
pub mod approvals;
pub mod assignment;
pub mod audit;
pub mod calendar;
pub mod cascade;
pub mod changelog;
pub mod comments;
pub mod contributions;
pub mod dashboard;
pub mod decisions;
pub mod duties;
mod error;
pub mod evidence;
pub mod extensions;
pub mod functions;
pub mod header;
pub mod import;
pub mod inbox;
pub mod input;
pub mod lineage;
pub mod obstacles;
pub mod periodic;
pub mod plan_changes;
pub mod plans;
pub mod progress;
pub mod publishing;
pub mod register;
pub mod register_update;
pub mod restructuring;
pub mod rules;
pub mod saved_filters;
pub mod scenarios;
pub mod search;
pub mod setup;
pub mod staffing;
pub mod task_list;
mod transition;
pub mod triggers;
pub mod units;
pub mod urging;

pub use error::{AppError, Result};
pub use periodic::{
    agency_prefill, aggregated_report, find_plan, find_unit, report_periods, PeriodChoice,
};
pub use urging::{urge_request, urge_request_audited, urging_notice};
