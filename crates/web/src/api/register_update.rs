//! The register updated from a newer file over the API: the differences with the register in
//! force, then the chosen ones applied with the deciding document. Same use case and rights as
//! the page (`/units/update`).

use axum::extract::State;
use serde::Serialize;
use tinhgon_app::register_update::{self, ApplyForm, UpdatePreview};
use tinhgon_app::units::Actor;
use tinhgon_domain::model::Id;
use utoipa::ToSchema;

use crate::api::request::ApiMultipart;
use crate::api::{Answer, BadRequest, Forbidden, NotFound, TooLarge, Unauthorized};
use crate::auth::{viewer_province, Viewer};
use crate::error::WebError;
use crate::AppState;

/// A register file and the fields that go with it (multipart).
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct UpdateUpload {
    /// The register file: `.csv` with the columns of `units.csv`, or `.xlsx` with a sheet of
    /// units and optionally a sheet of mergers.
    #[schema(value_type = String, format = Binary)]
    pub file: Vec<u8>,
    /// The day moves and closures take effect (`dd/mm/yyyy`; preview: blank is today, apply:
    /// blank is the decision's date).
    pub effective: Option<String>,
    /// Apply only: the deciding document number.
    pub decision: Option<String>,
    /// Apply only: its date (`dd/mm/yyyy`).
    pub decision_date: Option<String>,
    /// Apply only: the key of a change to apply (repeat the field for each; from the preview).
    pub change: Option<Vec<String>>,
}

/// One difference.
#[derive(Serialize, ToSchema)]
pub struct ChangeBody {
    /// Key to send back to apply it.
    pub key: String,
    /// `add`, `rename`, `move`, `close`, `merge`, `consolidate`.
    pub kind: String,
    /// The kind in Vietnamese.
    pub label: String,
    /// What changes.
    pub text: String,
    /// Day it takes effect (dd/mm/yyyy).
    pub effective: String,
    /// Row of the file.
    pub line: Option<usize>,
}

/// The differences of a register file with the register in force.
#[derive(Serialize, ToSchema)]
pub struct UpdatePreviewBody {
    /// Province.
    pub province: String,
    /// Day moves and closures take effect.
    pub effective: String,
    /// The differences, in the order they are applied.
    pub changes: Vec<ChangeBody>,
    /// Rows skipped, with why.
    pub warnings: Vec<String>,
}

impl From<UpdatePreview> for UpdatePreviewBody {
    fn from(p: UpdatePreview) -> Self {
        UpdatePreviewBody {
            province: p.province,
            effective: p.effective,
            changes: p
                .changes
                .into_iter()
                .map(|c| ChangeBody {
                    key: c.key,
                    kind: c.kind.into(),
                    label: c.label.into(),
                    text: c.text,
                    effective: c.effective,
                    line: c.line,
                })
                .collect(),
            warnings: p.warnings,
        }
    }
}

/// What applying did.
#[derive(Serialize, ToSchema)]
pub struct UpdateAppliedBody {
    /// Vietnamese summary.
    pub message: String,
    /// Units added.
    pub added: Vec<Id>,
    /// Units moved.
    pub moved: usize,
    /// Restructuring events recorded (renamings, mergers).
    pub events: Vec<Id>,
    /// Units closed.
    pub closed: usize,
}

struct Upload {
    name: String,
    bytes: Vec<u8>,
    form: ApplyForm,
}

async fn upload(mut mp: ApiMultipart) -> Result<Upload, crate::error::ApiError> {
    let mut out = Upload {
        name: String::new(),
        bytes: Vec::new(),
        form: ApplyForm::default(),
    };
    while let Some(field) = mp.0.next_field().await.map_err(WebError::from)? {
        let name = field.name().unwrap_or_default().to_string();
        if name == "file" {
            out.name = field
                .file_name()
                .unwrap_or("danh-muc.csv")
                .replace('\0', "");
            out.bytes = field.bytes().await.map_err(WebError::from)?.to_vec();
            continue;
        }
        let text = field.text().await.map_err(WebError::from)?;
        match name.as_str() {
            "effective" => out.form.effective = text,
            "decision" => out.form.decision = text,
            "decision_date" => out.form.decision_date = text,
            "change" => out.form.changes.push(text),
            _ => {}
        }
    }
    if out.bytes.is_empty() {
        return Err(WebError::BadRequest(
            "Vui lòng gửi tệp danh mục (.xlsx hoặc .csv) ở trường file.".into(),
        )
        .into());
    }
    Ok(out)
}

async fn province(state: &AppState, viewer: &Viewer) -> Result<Id, crate::error::ApiError> {
    Ok(viewer_province(state, viewer)
        .await?
        .ok_or(WebError::NotFound)?)
}

/// `POST /api/registry/update/preview` (monitor; multipart `file`, `effective`): the
/// differences of a newer register file with the register in force. Writes nothing.
#[utoipa::path(post, path = "/api/registry/update/preview", tag = "register",
    request_body(content = UpdateUpload, content_type = "multipart/form-data"),
    responses((status = 200, body = UpdatePreviewBody), BadRequest, Unauthorized, Forbidden, NotFound, TooLarge))]
pub async fn preview(
    State(state): State<AppState>,
    viewer: Viewer,
    mp: ApiMultipart,
) -> Answer<UpdatePreviewBody> {
    let user = viewer.require()?.clone();
    let p = province(&state, &viewer).await?;
    let up = upload(mp).await?;
    let rows = register_update::file::read(&up.name, &up.bytes)?;
    let pv = register_update::preview(&state.db, Actor::User(&user), p, &rows, &up.form.effective)
        .await?;
    Ok(axum::Json(pv.into()))
}

/// `POST /api/registry/update` (monitor; multipart `file`, `decision`, `decision_date`,
/// `effective`, `change` repeated): applies the chosen differences in one transaction.
#[utoipa::path(post, path = "/api/registry/update", tag = "register",
    request_body(content = UpdateUpload, content_type = "multipart/form-data"),
    responses((status = 200, body = UpdateAppliedBody), BadRequest, Unauthorized, Forbidden, NotFound, TooLarge))]
pub async fn apply(
    State(state): State<AppState>,
    viewer: Viewer,
    mp: ApiMultipart,
) -> Answer<UpdateAppliedBody> {
    let user = viewer.require()?.clone();
    let p = province(&state, &viewer).await?;
    let up = upload(mp).await?;
    let rows = register_update::file::read(&up.name, &up.bytes)?;
    let done = register_update::apply(&state.db, Actor::User(&user), p, &rows, &up.form).await?;
    Ok(axum::Json(UpdateAppliedBody {
        message: done.message,
        added: done.outcome.added,
        moved: done.outcome.moved,
        events: done.outcome.events,
        closed: done.outcome.closed,
    }))
}
