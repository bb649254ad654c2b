//! Downloading an evidence file: by database id only, to readers of its assignment only.

use axum::extract::State;
use axum::response::Response;
use tinhgon_app::{access, evidence};
use tinhgon_domain::ids::AssignmentId;
use tinhgon_domain::model::Id;
use tinhgon_store::web_queries as wq;

use crate::auth::Viewer;
use crate::error::{WebError, WebResult};
use crate::request::Path;
use crate::AppState;

/// `GET /evidence/{evidence}`: the file, by database id only; readers of the assignment only.
pub async fn download(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(eid): Path<Id>,
) -> WebResult<Response> {
    let (name, media, _sha, key, aid) = wq::evidence_file(&state.db, eid)
        .await?
        .ok_or(WebError::NotFound)?;
    access::readable_assignment(&state.db, viewer.account(), AssignmentId(aid)).await?;
    let path = evidence::path_for(&state.config.data_dir, &key)?;
    let bytes = tokio::fs::read(&path)
        .await
        .map_err(|_| WebError::NotFound)?;
    Ok(crate::download::attachment(bytes, &media, &name))
}
