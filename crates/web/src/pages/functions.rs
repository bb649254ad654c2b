//! The functions register on the register pages: a unit's fields (the monitor gives or ends
//! one), and the check section of the province's register page and of a unit's page (rule
//! violations with their citation and grace date, function gaps and overlaps).

use axum::extract::State;
use axum::response::Response;
use chrono::NaiveDate;
use tinhgon_app::functions::{self, EndForm, FunctionForm, HeldField};
use tinhgon_app::units::Actor;
use tinhgon_domain::ids::UnitId;
use tinhgon_domain::model::Id;
use tinhgon_domain::rules::Violation;

use crate::auth::Viewer;
use crate::error::{WebError, WebResult};
use crate::pages::dashboard::viewer_province;
use crate::pages::redirect_ok;
use crate::request::{Form, Path};
use crate::view::date;
use crate::AppState;

/// A field as a row of the unit page.
pub struct FieldRow {
    /// Row id.
    pub id: Id,
    /// The field.
    pub field: String,
    /// Duties, or empty.
    pub duties: String,
    /// Legal source.
    pub legal_source: String,
    /// "từ 01/03/2025" or "01/03/2025 – 01/07/2025".
    pub period: String,
    /// Deciding document, or empty.
    pub decision: String,
    /// Received from a restructuring event.
    pub from_event: bool,
}

fn row(h: HeldField) -> FieldRow {
    // The catalogue's seed names the decree both as source and as decision: say it once.
    let decision = h
        .decision
        .filter(|d| !h.legal_source.contains(d.as_str()))
        .unwrap_or_default();
    FieldRow {
        id: h.id,
        field: h.field,
        duties: h.duties.unwrap_or_default(),
        legal_source: h.legal_source,
        period: match h.valid_to {
            None => format!("từ {}", date(h.valid_from)),
            Some(t) => format!("{} – {}", date(h.valid_from), date(t)),
        },
        decision,
        from_event: h.from_event,
    }
}

/// A violation as a line: message, citation, grace date (or empty).
pub type ViolationLine = (String, String, String);

fn line(v: Violation) -> ViolationLine {
    (
        v.message,
        v.citation,
        v.grace_until.map(date).unwrap_or_default(),
    )
}

/// The functions panel of a unit's page.
pub struct UnitFunctionsView {
    /// Fields held today.
    pub current: Vec<FieldRow>,
    /// Fields held before or from a later day.
    pub other: Vec<FieldRow>,
    /// Overlaps it is part of: the field and the other units holding it.
    pub overlaps: Vec<(String, String)>,
    /// Rules it breaks.
    pub violations: Vec<ViolationLine>,
    /// The monitor may give and end fields.
    pub can_manage: bool,
    /// The catalogue, for the add form: (code, label).
    pub choices: Vec<(String, String)>,
}

/// Loads the functions panel of `unit` as of `day`.
pub async fn unit_view(
    state: &AppState,
    viewer: &Viewer,
    unit: Id,
    day: NaiveDate,
) -> WebResult<UnitFunctionsView> {
    let province = tinhgon_store::register::unit_province(&state.db, unit)
        .await?
        .ok_or(WebError::NotFound)?;
    let f = functions::of_unit(&state.db, province, unit, day).await?;
    let report = tinhgon_app::rules::report(&state.db, Some(province), day).await?;
    let violations = report
        .first()
        .map(|r| r.for_unit(unit).0)
        .unwrap_or_default()
        .into_iter()
        .map(line)
        .collect();
    let can_manage = tinhgon_domain::user::can_manage_register(viewer.require()?);
    Ok(UnitFunctionsView {
        current: f.current.into_iter().map(row).collect(),
        other: f.other.into_iter().map(row).collect(),
        overlaps: f
            .overlaps
            .into_iter()
            .map(|o| {
                let others: Vec<String> = o
                    .units
                    .into_iter()
                    .filter(|(id, _)| *id != unit)
                    .map(|(_, n)| n)
                    .collect();
                (o.field, others.join(", "))
            })
            .collect(),
        violations,
        can_manage,
        choices: if can_manage {
            functions::choices()
        } else {
            Vec::new()
        },
    })
}

/// The check section of the province's register page.
pub struct CheckView {
    /// Rules broken.
    pub violations: Vec<ViolationLine>,
    /// Catalogue fields nobody holds: (field, department).
    pub gaps: Vec<(String, String)>,
    /// Fields held twice: (field, units).
    pub overlaps: Vec<(String, String)>,
    /// Fields held that day.
    pub held: usize,
}

impl CheckView {
    /// Nothing to report.
    pub fn is_clean(&self) -> bool {
        self.violations.is_empty() && self.gaps.is_empty() && self.overlaps.is_empty()
    }
}

/// Loads the check of `province` on `day`.
pub async fn check_view(state: &AppState, province: Id, day: NaiveDate) -> WebResult<CheckView> {
    let r = tinhgon_app::rules::report(&state.db, Some(province), day)
        .await?
        .into_iter()
        .next();
    let Some(r) = r else {
        return Ok(CheckView {
            violations: Vec::new(),
            gaps: Vec::new(),
            overlaps: Vec::new(),
            held: 0,
        });
    };
    Ok(CheckView {
        violations: r.violations.into_iter().map(line).collect(),
        gaps: r
            .functions
            .gaps
            .into_iter()
            .map(|g| (g.field, g.department))
            .collect(),
        overlaps: r
            .functions
            .overlaps
            .into_iter()
            .map(|o| {
                (
                    o.field,
                    o.units
                        .into_iter()
                        .map(|u| u.1)
                        .collect::<Vec<_>>()
                        .join(", "),
                )
            })
            .collect(),
        held: r.functions.held,
    })
}

async fn province(state: &AppState, viewer: &Viewer) -> WebResult<Id> {
    viewer_province(state, viewer)
        .await?
        .ok_or(WebError::NotFound)
}

/// `POST /units/{unit}/functions` (monitor): gives the unit a field of the catalogue.
pub async fn add(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<Id>,
    Form(f): Form<FunctionForm>,
) -> WebResult<Response> {
    let user = viewer.require()?.clone();
    tinhgon_app::access::readable_unit(&state.db, &user, UnitId(id)).await?;
    let p = province(&state, &viewer).await?;
    functions::add(&state.db, Actor::User(&user), p, &id.to_string(), &f).await?;
    Ok(redirect_ok(
        &state,
        &format!("/units/{id}#linh-vuc"),
        "Đã giao lĩnh vực cho đơn vị.",
    ))
}

/// `POST /units/{unit}/functions/{function}/end` (monitor).
pub async fn end(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((id, row)): Path<(Id, Id)>,
    Form(f): Form<EndForm>,
) -> WebResult<Response> {
    let user = viewer.require()?.clone();
    tinhgon_app::access::readable_unit(&state.db, &user, UnitId(id)).await?;
    let p = province(&state, &viewer).await?;
    if tinhgon_store::functions::row(&state.db, row)
        .await?
        .is_none_or(|r| r.unit_id != id)
    {
        return Err(WebError::NotFound);
    }
    functions::end(&state.db, Actor::User(&user), p, row, &f).await?;
    Ok(redirect_ok(
        &state,
        &format!("/units/{id}#linh-vuc"),
        "Đã kết thúc lĩnh vực của đơn vị.",
    ))
}
