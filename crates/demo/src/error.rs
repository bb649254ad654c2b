//! Errors of the demo seeding.

use thiserror::Error;

/// What can stop the demo from being seeded.
#[derive(Debug, Error)]
pub enum DemoError {
    /// The store refused a write or a read failed.
    #[error(transparent)]
    Store(#[from] tinhgon_store::StoreError),
    /// The embedded register files do not parse.
    #[error("sổ đăng ký đơn vị kèm theo không đọc được: {0}")]
    Register(String),
    /// A use case refused (a password cannot be hashed, a seed cannot be extracted).
    #[error(transparent)]
    App(#[from] tinhgon_app::AppError),
    /// A blocking task was cancelled or panicked.
    #[error("tác vụ nền bị dừng: {0}")]
    Task(#[from] tokio::task::JoinError),
}
