//! PDF reader (in progress).
use crate::{Document, IngestError};

/// Reads a PDF file.
pub fn read(_bytes: &[u8]) -> Result<Document, IngestError> {
    Err(IngestError::Unsupported("pdf".into()))
}
