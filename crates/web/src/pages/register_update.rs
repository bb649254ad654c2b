//! The register updated from a newer file: the monitor uploads it, reviews the differences
//! with the register in force (each with a checkbox), gives the deciding document and
//! applies the chosen ones. The review carries the file's rows, read once, to the apply.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Multipart, State};
use axum::response::Response;
use tinhgon_app::register_update::{self, ApplyForm, ChangeView, UpdatePreview};
use tinhgon_app::units::Actor;
use tinhgon_app::AppError;
use tinhgon_domain::model::Id;
use tinhgon_domain::register_update::UpdateFile;

use crate::auth::{viewer_province, Viewer};
use crate::error::{WebError, WebResult};
use crate::pages::{redirect_ok, render};
use crate::request::Form;
use crate::view::{date, today, PageCtx};
use crate::AppState;

#[derive(Template)]
#[template(path = "register_update.html")]
struct UploadPage {
    ctx: PageCtx,
    effective: String,
    error: String,
}

#[derive(Template)]
#[template(path = "register_update_review.html")]
struct ReviewPage {
    ctx: PageCtx,
    p: UpdatePreview,
    /// The file's rows (JSON), sent back with the choices.
    rows: String,
    /// Each difference and whether it is ticked (all at first).
    items: Vec<(ChangeView, bool)>,
    decision: String,
    decision_date: String,
    error: String,
}

async fn province(state: &AppState, viewer: &Viewer) -> WebResult<Id> {
    viewer_province(state, viewer)
        .await?
        .ok_or(WebError::NotFound)
}

/// `GET /units/update`: the upload form.
pub async fn page(State(_state): State<AppState>, viewer: Viewer) -> WebResult<Response> {
    viewer.require()?;
    render(&UploadPage {
        ctx: PageCtx::new(&viewer, "units"),
        effective: date(today()),
        error: String::new(),
    })
}

/// `POST /units/update/preview` (multipart: `file`, `effective`): the review.
pub async fn preview(
    State(state): State<AppState>,
    viewer: Viewer,
    mut mp: Multipart,
) -> WebResult<Response> {
    let user = viewer.require()?.clone();
    let p = province(&state, &viewer).await?;
    let mut file: Option<(String, Vec<u8>)> = None;
    let mut effective = String::new();
    while let Some(field) = mp.next_field().await? {
        match field.name() {
            Some("file") => {
                let name = field.file_name().unwrap_or("danh-muc.csv").to_string();
                file = Some((name, field.bytes().await?.to_vec()));
            }
            Some("effective") => effective = field.text().await?,
            _ => {}
        }
    }
    let again = |error: String, effective: String| {
        render(&UploadPage {
            ctx: PageCtx::new(&viewer, "units"),
            effective,
            error,
        })
    };
    let Some((name, bytes)) = file.filter(|(_, b)| !b.is_empty()) else {
        return again(
            "Vui lòng chọn tệp danh mục (.xlsx hoặc .csv).".into(),
            effective,
        );
    };
    let rows = match register_update::file::read(&name, &bytes) {
        Ok(r) => r,
        Err(e @ AppError::Invalid { .. }) => return again(e.to_string(), effective),
        Err(e) => return Err(e.into()),
    };
    match register_update::preview(&state.db, Actor::User(&user), p, &rows, &effective).await {
        Ok(pv) => review(
            &viewer,
            &rows,
            pv,
            None,
            String::new(),
            String::new(),
            String::new(),
        ),
        Err(e @ AppError::Invalid { .. }) => again(e.to_string(), effective),
        Err(e) => Err(e.into()),
    }
}

fn review(
    viewer: &Viewer,
    rows: &UpdateFile,
    p: UpdatePreview,
    chosen: Option<Vec<String>>,
    decision: String,
    decision_date: String,
    error: String,
) -> WebResult<Response> {
    let items = p
        .changes
        .iter()
        .map(|c| {
            let on = chosen.as_ref().is_none_or(|k| k.contains(&c.key));
            (c.clone(), on)
        })
        .collect();
    render(&ReviewPage {
        ctx: PageCtx::new(viewer, "units"),
        rows: serde_json::to_string(rows).map_err(WebError::internal)?,
        p,
        items,
        decision,
        decision_date,
        error,
    })
}

/// `POST /units/update`: applies the changes chosen (`c_<key>`), with the deciding document.
pub async fn apply(
    State(state): State<AppState>,
    viewer: Viewer,
    Form(f): Form<HashMap<String, String>>,
) -> WebResult<Response> {
    let user = viewer.require()?.clone();
    let p = province(&state, &viewer).await?;
    let field = |k: &str| f.get(k).cloned().unwrap_or_default();
    let rows: UpdateFile = serde_json::from_str(&field("rows")).map_err(|_| {
        WebError::BadRequest("Dữ liệu tệp danh mục bị hỏng: hãy tải tệp lên lại.".into())
    })?;
    let mut changes: Vec<String> = f
        .keys()
        .filter_map(|k| k.strip_prefix("c_"))
        .map(str::to_string)
        .collect();
    changes.sort();
    let form = ApplyForm {
        changes: changes.clone(),
        effective: field("effective"),
        decision: field("decision"),
        decision_date: field("decision_date"),
    };
    match register_update::apply(&state.db, Actor::User(&user), p, &rows, &form).await {
        Ok(done) => Ok(redirect_ok(&state, "/units", &done.message)),
        Err(AppError::Invalid {
            field: "file",
            message,
        }) => render(&UploadPage {
            ctx: PageCtx::new(&viewer, "units"),
            effective: form.effective,
            error: message,
        }),
        Err(
            e
            @ (AppError::Invalid { .. } | AppError::Store(tinhgon_store::StoreError::Rejected(_))),
        ) => {
            let pv =
                register_update::preview(&state.db, Actor::User(&user), p, &rows, &form.effective)
                    .await?;
            review(
                &viewer,
                &rows,
                pv,
                Some(changes),
                form.decision,
                form.decision_date,
                e.to_string(),
            )
        }
        Err(e) => Err(e.into()),
    }
}
