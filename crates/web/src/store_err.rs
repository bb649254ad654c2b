//! Store errors seen from HTTP: user-facing rule violations keep their Vietnamese message,
//! database faults become an internal error that is logged and not shown.

use tinhgon_store::StoreError;

use crate::error::WebError;

/// Maps a store error to the web error a user should see.
pub fn map(e: StoreError) -> WebError {
    match e {
        StoreError::NotFound { .. } => WebError::NotFound,
        StoreError::Rejected(m) => WebError::Conflict(m),
        StoreError::Conflict(_) => WebError::Conflict(e.to_string()),
        StoreError::Input { .. } => WebError::BadRequest(e.to_string()),
        other => WebError::internal(other),
    }
}
