//! tinhgon-reports: prepared report data in, document bytes out (DOCX, XLSX, CSV).
//!
//! No database access: the app layer computes the figures and fills [`model`] structs; the
//! writers here only lay them out in the state format (Nghị định 30/2020/NĐ-CP).

pub mod csv;
pub mod docx;
mod error;
pub mod model;
pub mod staffing;
pub mod xlsx;
mod xlsx_staffing;

pub use error::ReportError;
pub use model::{
    AggregatedReport, ClassCounts, OverdueRow, ReportHeader, SignatureBlock, StatusClass, TaskRow,
    UnitNote, UnitRow, UrgedItem, UrgingNotice,
};

pub use docx::{aggregated_report_docx, staffing_report_docx, urging_notice_docx};
pub use staffing::{StaffingReport, StaffingSection};
pub use xlsx::{aggregated_report_xlsx, tasks_xlsx_streaming};
pub use xlsx_staffing::staffing_report_xlsx;

// Every Vietnamese string we write goes through NFC.
pub(crate) use tinhgon_textkit::nfc;
