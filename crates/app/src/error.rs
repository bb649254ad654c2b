//! The app layer's error type, with Vietnamese messages meant for users.

use thiserror::Error;

/// What can go wrong in a use case.
#[derive(Debug, Error)]
pub enum AppError {
    /// From the database.
    #[error(transparent)]
    Store(#[from] tinhgon_store::StoreError),
    /// From a document writer.
    #[error(transparent)]
    Report(#[from] tinhgon_reports::ReportError),
    /// No plan has this number.
    #[error("không tìm thấy kế hoạch số {0}")]
    PlanNotFound(String),
    /// The plan is not published, so it has no assignments to report on.
    #[error("kế hoạch {0} chưa ban hành nên chưa có số liệu để báo cáo")]
    NotPublished(String),
    /// No unit of the plan has this name.
    #[error("không tìm thấy đơn vị “{0}” trong các đơn vị được giao nhiệm vụ của kế hoạch")]
    UnitNotFound(String),
    /// Several units match.
    #[error("tên đơn vị “{name}” khớp nhiều đơn vị: {candidates}; vui lòng ghi đầy đủ")]
    AmbiguousUnit {
        /// As given.
        name: String,
        /// Matching names.
        candidates: String,
    },
    /// Nothing to urge.
    #[error("{unit} không có nhiệm vụ quá hạn của kế hoạch {plan} tại ngày {date}")]
    NothingOverdue {
        /// Unit name.
        unit: String,
        /// Plan number.
        plan: String,
        /// Date (dd/mm/yyyy).
        date: String,
    },
}

/// Result of a use case.
pub type Result<T, E = AppError> = std::result::Result<T, E>;
