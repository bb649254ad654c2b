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
    /// An embedded seed plan cannot be read.
    #[error("không đọc được tệp kế hoạch mẫu: {0}")]
    Read(#[from] tinhgon_ingest::IngestError),
    /// A demo password cannot be hashed.
    #[error("không băm được mật khẩu: {0}")]
    Password(String),
    /// A blocking task was cancelled or panicked.
    #[error("tác vụ nền bị dừng: {0}")]
    Task(#[from] tokio::task::JoinError),
}
