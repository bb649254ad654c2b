//! DOCX reader (in progress).
use crate::{Document, IngestError};

/// Reads a .docx file.
pub fn read(_bytes: &[u8]) -> Result<Document, IngestError> {
    Err(IngestError::Unsupported("docx".into()))
}
