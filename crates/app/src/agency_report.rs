//! Submitting an agency's periodic report: a new frozen version of the request's report and,
//! when the plan sets staffing targets, the unit's staffing figures written into its ledger
//! in the same transaction (see [`crate::staffing::agency_section`]).

use std::collections::HashMap;

use chrono::Utc;
use tinhgon_domain::ids::UnitId;
use tinhgon_domain::model::Id;
use tinhgon_domain::user::{can_write_assignment, User};
use tinhgon_store::audit::AuditEntry;
use tinhgon_store::periodic::{self, AgencyReportContent, ReportedStaffing, Request};
use tinhgon_store::Db;

use crate::error::{AppError, Result};
use crate::staffing;

/// Submits `content` for request `req`, by the officer of the request's unit only; `form`
/// holds the staffing section's fields, `entry` the report's audit row (its notices sent with
/// it). Returns the new version's id. A wrong staffing field refuses the whole report.
pub async fn submit(
    db: &Db,
    user: &User,
    req: &Request,
    mut content: AgencyReportContent,
    form: &HashMap<String, String>,
    entry: &AuditEntry,
) -> Result<Id> {
    if !can_write_assignment(user, req.unit_id) {
        return Err(AppError::Forbidden);
    }
    let now = Utc::now();
    let Some(section) = staffing::agency_section::section(db, user, req).await? else {
        return Ok(periodic::submit_report_audited(
            db,
            req.id,
            Some(user.id),
            &content,
            now,
            entry,
        )
        .await?);
    };
    let figures = staffing::agency_section::parse(&section, form)?;
    let earlier = periodic::report_versions(db, req.id)
        .await?
        .iter()
        .any(|v| !v.content.staffing.is_empty());
    if figures.is_empty() && !earlier {
        return Ok(periodic::submit_report_audited(
            db,
            req.id,
            Some(user.id),
            &content,
            now,
            entry,
        )
        .await?);
    }
    let unit = UnitId(req.unit_id);
    staffing::writable_unit(db, user, unit).await?;
    content.staffing.clone_from(&figures);
    let (rows, staffing_entry) = staffing::prepare_figures(user, unit, figures)?;
    let staffing_entry = staffing_entry.with_after("report_request", req.id);
    Ok(periodic::submit_report_with_staffing_audited(
        db,
        req.id,
        Some(user.id),
        &content,
        now,
        entry,
        ReportedStaffing {
            figures: &rows,
            audit: &staffing_entry,
        },
    )
    .await?)
}
