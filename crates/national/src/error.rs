//! Errors of the generator: the database's, or a request it refuses.

use thiserror::Error;

/// What can go wrong while generating the country.
#[derive(Debug, Error)]
pub enum NationalError {
    /// The database refused a statement.
    #[error("lỗi cơ sở dữ liệu: {0}")]
    Db(#[from] sqlx::Error),
    /// The request cannot be carried out (bad scale, database not empty).
    #[error("{0}")]
    Rejected(String),
}

/// Result of the generator.
pub type Result<T> = std::result::Result<T, NationalError>;
