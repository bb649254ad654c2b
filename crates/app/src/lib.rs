//! tinhgon-app: use cases that join the store and the report writers — the figures of a
//! plan's periodic report read from the database as of a cut-off, the agency's pre-filled
//! report and the urging notice. Kept apart from the store so that the storage crate does
//! not pull in the document writers, and from the writers so that they stay pure.

mod error;
pub mod header;
pub mod periodic;

pub use error::AppError;
pub use periodic::{
    agency_prefill, aggregated_report, find_plan, find_unit, report_periods, urge_request,
    urge_request_audited, urging_notice, PeriodChoice,
};
