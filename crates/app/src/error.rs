//! The one error type of the use cases, with Vietnamese messages meant for users. The web
//! turns it into an HTTP status once (`web/src/error.rs`); the command line prints it.

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
    /// A field of a request is missing or malformed; the message names what to fix.
    #[error("{message}")]
    Invalid {
        /// The field, as the form and the JSON body name it.
        field: &'static str,
        /// What to fix, in Vietnamese.
        message: String,
    },
    /// Nobody is signed in, and the object is not public.
    #[error("Vui lòng đăng nhập để tiếp tục.")]
    Unauthenticated,
    /// The signed-in user has no right to do this (an agency writes only its own assignments).
    #[error("Bạn không có quyền thực hiện thao tác này.")]
    Forbidden,
    /// The object does not exist, or the user may not know that it does.
    #[error("Không tìm thấy trang hoặc đối tượng được yêu cầu.")]
    NotFound,
    /// The request conflicts with the current state (message for the user).
    #[error("{0}")]
    Conflict(String),
    /// A fault of ours outside the database (a file could not be written); logged, not shown.
    #[error("lỗi hệ thống: {0}")]
    Internal(String),
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

impl AppError {
    /// A field error: `field` is missing or malformed, `message` says what to fix.
    pub fn invalid(field: &'static str, message: impl Into<String>) -> AppError {
        AppError::Invalid {
            field,
            message: message.into(),
        }
    }
}

/// Result of a use case.
pub type Result<T, E = AppError> = std::result::Result<T, E>;
