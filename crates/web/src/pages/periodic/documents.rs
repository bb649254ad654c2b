//! Documents as downloads: the aggregated report as DOCX, XLSX and CSV, and the urging notice
//! (văn bản đôn đốc) to one unit as DOCX. Writing a document is CPU work, so it runs on a
//! blocking thread.

use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;
use tinhgon_app::AppError;
use tinhgon_domain::model::Id;
use tinhgon_reports::{AggregatedReport, ReportError};
use tinhgon_store::periodic;

use super::leader::{build, cutoff, ReportQuery};
use crate::auth::Viewer;
use crate::download::attachment as download;
use crate::error::sentence;
use crate::error::{WebError, WebResult};
use crate::pages::plans::load_monitored;
use crate::pages::redirect_flash;
use crate::request::{Path, Query};
use crate::view::today;
use crate::AppState;

/// DOCX media type.
pub const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
/// XLSX media type.
pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
/// CSV media type (UTF-8 with BOM in the body).
pub const CSV: &str = "text/csv; charset=utf-8";

/// A document format of the aggregated report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Word.
    Docx,
    /// Excel.
    Xlsx,
    /// Comma-separated values.
    Csv,
}

impl Format {
    fn media(self) -> &'static str {
        match self {
            Format::Docx => DOCX,
            Format::Xlsx => XLSX,
            Format::Csv => CSV,
        }
    }

    fn ext(self) -> &'static str {
        match self {
            Format::Docx => "docx",
            Format::Xlsx => "xlsx",
            Format::Csv => "csv",
        }
    }

    fn write(self, r: &AggregatedReport) -> Result<Vec<u8>, ReportError> {
        match self {
            Format::Docx => tinhgon_reports::aggregated_report_docx(r),
            Format::Xlsx => tinhgon_reports::aggregated_report_xlsx(r),
            Format::Csv => tinhgon_reports::csv::tasks_csv(&r.tasks),
        }
    }
}

/// Runs a document writer off the async threads.
async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, ReportError> + Send + 'static,
) -> WebResult<T> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(WebError::internal)?
        .map_err(WebError::internal)
}

async fn report_file(
    state: AppState,
    viewer: Viewer,
    plan_id: Id,
    q: ReportQuery,
    format: Format,
) -> WebResult<Response> {
    let (_, r) = build(&state, &viewer, plan_id, &q).await?;
    let name = format!(
        "Báo cáo {} {} đến {}.{}",
        r.plan_number,
        r.period_label,
        r.cutoff.format("%d-%m-%Y"),
        format.ext()
    );
    let bytes = blocking(move || format.write(&r)).await?;
    Ok(download(bytes, format.media(), &name))
}

/// `GET /plans/{plan}/report.docx`.
pub async fn docx(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(plan_id): Path<Id>,
    Query(q): Query<ReportQuery>,
) -> WebResult<Response> {
    report_file(state, viewer, plan_id, q, Format::Docx).await
}

/// `GET /plans/{plan}/report.xlsx`.
pub async fn xlsx(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(plan_id): Path<Id>,
    Query(q): Query<ReportQuery>,
) -> WebResult<Response> {
    report_file(state, viewer, plan_id, q, Format::Xlsx).await
}

/// `GET /plans/{plan}/report.csv`.
pub async fn csv(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(plan_id): Path<Id>,
    Query(q): Query<ReportQuery>,
) -> WebResult<Response> {
    report_file(state, viewer, plan_id, q, Format::Csv).await
}

/// `?as_of=` and where to come back to when there is nothing to urge.
#[derive(Deserialize, Default)]
pub struct UrgingQuery {
    as_of: Option<String>,
    from: Option<String>,
}

/// `GET /plans/{plan}/units/{unit}/urging.docx`: the urging notice to a unit about its
/// overdue assignments of the plan; with nothing overdue, back with a message.
pub async fn urging(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((plan_id, unit_id)): Path<(Id, Id)>,
    Query(q): Query<UrgingQuery>,
) -> WebResult<Response> {
    let user = viewer.require()?.clone();
    load_monitored(&state, &user, plan_id).await?;
    let as_of = cutoff(&ReportQuery {
        as_of: q.as_of.clone(),
    })?;
    let units = periodic::data::plan_units(&state.db, plan_id).await?;
    let unit = units
        .iter()
        .find(|(id, _)| *id == unit_id)
        .map(|(_, n)| n.clone())
        .ok_or(WebError::NotFound)?;
    let back = match q.from.as_deref() {
        Some("report") => format!("/plans/{plan_id}/report?as_of={}", as_of.format("%d/%m/%Y")),
        Some("reporting") => format!("/plans/{plan_id}/reporting"),
        _ => format!(
            "/dashboard?plan={plan_id}&as_of={}",
            as_of.format("%d/%m/%Y")
        ),
    };
    let notice = match tinhgon_app::urging_notice(&state.db, plan_id, unit_id, as_of, today()).await
    {
        Ok(n) => n,
        Err(e @ AppError::NothingOverdue { .. }) => {
            return Ok(redirect_flash(
                &state,
                &back,
                "error",
                &format!("Không lập văn bản đôn đốc: {}", sentence(&e.to_string())),
            ))
        }
        Err(e) => return Err(WebError::from(e)),
    };
    let name = format!(
        "Văn bản đôn đốc {unit} - {} ngày {}.docx",
        notice.plan_number,
        as_of.format("%d-%m-%Y")
    );
    let bytes = blocking(move || tinhgon_reports::urging_notice_docx(&notice)).await?;
    Ok(download(bytes, DOCX, &name))
}
