//! Staffing: a province's attainment of its reduction targets, its targets, and a unit's
//! ledger, read and entered with the same rights as the pages.

use axum::extract::State;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use tinhgon_app::staffing::status::{self, StatusReport};
use tinhgon_app::staffing::{self, FigureForm, TargetForm};
use tinhgon_domain::ids::UnitId;
use tinhgon_domain::staffing_figures::Figure;
use tinhgon_store::staffing::UnitFigure;
use utoipa::ToSchema;

use crate::api::register::AsOfParams;
use crate::api::request::{ApiJson, ApiPath, ApiQuery};
use crate::api::{Answer, BadRequest, Done, Forbidden, NotFound, Unauthorized};
use crate::auth::{viewer_province, Viewer};
use crate::error::WebError;
use crate::request::as_of;
use crate::AppState;

/// A predecessor's part in a unit's baseline.
#[derive(Serialize, ToSchema)]
pub struct PredecessorItem {
    /// Its name.
    pub unit: String,
    /// Baseline-year positions taken from it.
    pub baseline: u32,
}

/// A unit's reduction against the target that applies to it.
#[derive(Serialize, ToSchema)]
pub struct UnitStatusItem {
    /// Unit name.
    pub unit: String,
    /// Unit id.
    pub unit_id: i64,
    /// Baseline year.
    pub baseline_year: Option<i32>,
    /// What is counted: `quota` (the quotas assigned) or `headcount` (the people reported).
    pub measure: String,
    /// Baseline positions (or people at the end of the baseline year), inherited through
    /// mergers and splits.
    pub baseline: u32,
    /// Positions of the latest quota year up to the day (or people in the latest headcount).
    pub current: u32,
    /// Units flowing into it without a headcount at the end of the baseline year (a headcount
    /// target only; their baseline is not counted).
    pub missing_baseline: Vec<String>,
    /// Reduction so far, percent.
    pub reduction_percent: Option<f64>,
    /// Percent the target asks for (null: no target applies).
    pub target_percent: Option<f64>,
    /// Target met (null: no target applies).
    pub met: Option<bool>,
    /// Units whose baseline it carries (empty when it came from no merger).
    pub predecessors: Vec<PredecessorItem>,
}

/// The province's total.
#[derive(Serialize, ToSchema)]
pub struct TotalItem {
    /// Baseline year, when the same for every unit.
    pub baseline_year: Option<i32>,
    /// `quota` or `headcount`, when the same for every unit.
    pub measure: Option<String>,
    /// Sum of baselines.
    pub baseline: u32,
    /// Sum of current positions.
    pub current: u32,
    /// Reduction so far, percent.
    pub reduction_percent: Option<f64>,
    /// Percent of the province-wide target.
    pub target_percent: Option<f64>,
    /// Province-wide target met.
    pub met: Option<bool>,
}

/// Attainment of a province's reduction targets on a day.
#[derive(Serialize, ToSchema)]
pub struct StatusBody {
    /// Province.
    pub province: String,
    /// Day.
    pub as_of: NaiveDate,
    /// Units with staffing figures.
    pub units: Vec<UnitStatusItem>,
    /// Total.
    pub total: TotalItem,
}

impl From<StatusReport> for StatusBody {
    fn from(r: StatusReport) -> StatusBody {
        StatusBody {
            province: r.province,
            as_of: r.as_of,
            units: r
                .units
                .into_iter()
                .map(|u| UnitStatusItem {
                    unit: u.unit,
                    unit_id: u.unit_id,
                    baseline_year: u.baseline_year,
                    measure: u.measure.as_str().into(),
                    baseline: u.baseline,
                    current: u.current,
                    missing_baseline: u.missing_baseline,
                    reduction_percent: u.reduction_percent,
                    target_percent: u.target_percent,
                    met: u.met,
                    predecessors: u
                        .predecessors
                        .into_iter()
                        .map(|p| PredecessorItem {
                            unit: p.unit,
                            baseline: p.baseline,
                        })
                        .collect(),
                })
                .collect(),
            total: TotalItem {
                baseline_year: r.total.baseline_year,
                measure: r.total.measure.map(|m| m.as_str().into()),
                baseline: r.total.baseline,
                current: r.total.current,
                reduction_percent: r.total.reduction_percent,
                target_percent: r.total.target_percent,
                met: r.total.met,
            },
        }
    }
}

/// `GET /api/staffing`: attainment of the caller's province on a day.
#[utoipa::path(get, path = "/api/staffing", tag = "staffing", params(AsOfParams),
    responses((status = 200, body = StatusBody), BadRequest, Unauthorized, Forbidden, NotFound))]
pub async fn status(
    State(state): State<AppState>,
    viewer: Viewer,
    ApiQuery(q): ApiQuery<AsOfParams>,
) -> Answer<StatusBody> {
    let user = viewer.require()?.clone();
    let day = as_of(q.as_of.as_deref())?;
    let province = viewer_province(&state, &viewer)
        .await?
        .ok_or(WebError::NotFound)?;
    let r = status::status(&state.db, &user, province, day).await?;
    Ok(axum::Json(r.into()))
}

/// A reduction target.
#[derive(Serialize, ToSchema)]
pub struct TargetItem {
    /// Identifier.
    pub id: i64,
    /// What it says.
    pub title: String,
    /// Percent.
    pub percent: f64,
    /// `decrease`, `increase` or `cap`.
    pub direction: String,
    /// Staff categories counted.
    pub categories: Vec<String>,
    /// Only positions paid from the state budget count.
    pub state_budget_paid_only: bool,
    /// Baseline year.
    pub baseline_year: i32,
    /// Deadline.
    pub deadline: Option<NaiveDate>,
    /// Plan that sets it.
    pub plan_id: Option<i64>,
    /// That plan's number.
    pub plan_number: Option<String>,
    /// Units in scope (empty: the whole province).
    pub scope: Vec<i64>,
    /// `quota` (judged on the quotas assigned) or `headcount` (on the people reported).
    pub measure: String,
}

/// `GET /api/staffing/targets`: the targets of the caller's province.
#[utoipa::path(get, path = "/api/staffing/targets", tag = "staffing",
    responses((status = 200, body = Vec<TargetItem>), Unauthorized, Forbidden, NotFound))]
pub async fn targets(State(state): State<AppState>, viewer: Viewer) -> Answer<Vec<TargetItem>> {
    let user = viewer.require()?.clone();
    let province = viewer_province(&state, &viewer)
        .await?
        .ok_or(WebError::NotFound)?;
    let list = staffing::targets(&state.db, &user, province).await?;
    Ok(axum::Json(
        list.into_iter()
            .map(|t| TargetItem {
                id: t.id,
                title: t.title,
                percent: t.percent,
                direction: match t.direction {
                    tinhgon_domain::draft::Direction::Decrease => "decrease",
                    tinhgon_domain::draft::Direction::Increase => "increase",
                    tinhgon_domain::draft::Direction::Cap => "cap",
                }
                .into(),
                categories: t
                    .categories
                    .iter()
                    .map(|c| c.as_str().to_string())
                    .collect(),
                state_budget_paid_only: t.state_budget_paid_only,
                baseline_year: t.baseline_year,
                deadline: t.deadline,
                plan_id: t.plan_id,
                plan_number: t.plan_number,
                scope: t.scope,
                measure: t.measure.as_str().into(),
            })
            .collect(),
    ))
}

/// A reduction target to add.
#[derive(Deserialize, ToSchema)]
pub struct TargetBody {
    /// What it says.
    pub title: String,
    /// Percent, 0 to 100.
    pub percent: f64,
    /// `decrease` (default), `increase` or `cap`.
    #[serde(default)]
    pub direction: Option<String>,
    /// Categories counted (`civil_servant`, `public_employee`, `contract`; default the first two).
    #[serde(default)]
    pub categories: Vec<String>,
    /// Only positions paid from the state budget count (default true).
    #[serde(default)]
    pub state_budget_paid_only: Option<bool>,
    /// Baseline year.
    pub baseline_year: i32,
    /// Deadline (`yyyy-mm-dd` or `dd/mm/yyyy`).
    #[serde(default)]
    pub deadline: Option<String>,
    /// Number of the plan that sets it.
    #[serde(default)]
    pub plan: Option<String>,
    /// Names of the units in scope (empty: the whole province).
    #[serde(default)]
    pub scope: Vec<String>,
    /// `quota` (default: the quotas assigned) or `headcount` (the people the units report).
    #[serde(default)]
    pub measure: Option<String>,
}

/// `POST /api/staffing/targets`: a monitor adds a target to its province.
#[utoipa::path(post, path = "/api/staffing/targets", tag = "staffing", request_body = TargetBody,
    responses((status = 200, body = Done), BadRequest, Unauthorized, Forbidden, NotFound))]
pub async fn add_target(
    State(state): State<AppState>,
    viewer: Viewer,
    ApiJson(b): ApiJson<TargetBody>,
) -> Answer<Done> {
    let user = viewer.require()?.clone();
    let province = viewer_province(&state, &viewer)
        .await?
        .ok_or(WebError::NotFound)?;
    let form = TargetForm {
        title: b.title,
        percent: b.percent.to_string(),
        direction: b.direction.unwrap_or_default(),
        categories: b.categories.join(","),
        state_budget_paid_only: b.state_budget_paid_only.map(|v| v.to_string()),
        baseline_year: b.baseline_year.to_string(),
        deadline: b.deadline.unwrap_or_default(),
        plan: b.plan.unwrap_or_default(),
        scope: b.scope.join(";"),
        measure: b.measure.unwrap_or_default(),
    };
    let id = staffing::add_target(&state.db, &user, province, form).await?;
    Ok(axum::Json(Done::with_id(
        "Đã thêm chỉ tiêu tinh giản biên chế.",
        id,
    )))
}

/// A figure of a unit's ledger; `kind` says which fields it has.
#[derive(Serialize, ToSchema, Default)]
pub struct FigureItem {
    /// `quota`, `headcount`, `leadership`, `secondment` or `leavers`.
    pub kind: String,
    /// Year of a quota.
    pub year: Option<i32>,
    /// Ledger line (`civil_servant`, `public_employee`, `public_employee_self_financed`, `contract`).
    pub line: Option<String>,
    /// Positions of a quota, people of a headcount.
    pub count: Option<u32>,
    /// Deciding document of a quota.
    pub decision: Option<String>,
    /// Day of a headcount or leadership count.
    pub on: Option<NaiveDate>,
    /// Heads.
    pub heads: Option<u32>,
    /// Deputies.
    pub deputies: Option<u32>,
    /// Deputies allowed.
    pub deputy_cap: Option<u32>,
    /// First day of a secondment or leavers' period.
    pub from: Option<NaiveDate>,
    /// Last day.
    pub to: Option<NaiveDate>,
    /// People seconded or leaving.
    pub people: Option<u32>,
    /// Note of a secondment.
    pub note: Option<String>,
    /// Why people left.
    pub reason: Option<String>,
    /// Policy cited.
    pub policy: Option<String>,
}

impl From<UnitFigure> for FigureItem {
    fn from(f: UnitFigure) -> FigureItem {
        let kind = f.figure.kind().to_string();
        match f.figure {
            Figure::Quota {
                year,
                line,
                count,
                decision,
            } => FigureItem {
                kind,
                year: Some(year),
                line: Some(line.key().into()),
                count: Some(count),
                decision: Some(decision),
                ..FigureItem::default()
            },
            Figure::Headcount { on, line, count } => FigureItem {
                kind,
                on: Some(on),
                line: Some(line.key().into()),
                count: Some(count),
                ..FigureItem::default()
            },
            Figure::Leadership {
                on,
                heads,
                deputies,
                deputy_cap,
            } => FigureItem {
                kind,
                on: Some(on),
                heads: Some(heads),
                deputies: Some(deputies),
                deputy_cap,
                ..FigureItem::default()
            },
            Figure::Secondment {
                from,
                to,
                people,
                note,
            } => FigureItem {
                kind,
                from: Some(from),
                to,
                people: Some(people),
                note,
                ..FigureItem::default()
            },
            Figure::Leavers {
                from,
                to,
                reason,
                policy,
                people,
            } => FigureItem {
                kind,
                from: Some(from),
                to: Some(to),
                reason: Some(reason.as_str().into()),
                policy: Some(policy),
                people: Some(people),
                ..FigureItem::default()
            },
        }
    }
}

/// `GET /api/units/{unit}/staffing`: the unit's ledger.
#[utoipa::path(get, path = "/api/units/{unit}/staffing", tag = "staffing",
    params(("unit" = i64, Path, description = "Đơn vị")),
    responses((status = 200, body = Vec<FigureItem>), Unauthorized, Forbidden, NotFound))]
pub async fn ledger(
    State(state): State<AppState>,
    viewer: Viewer,
    ApiPath(id): ApiPath<i64>,
) -> Answer<Vec<FigureItem>> {
    let user = viewer.require()?.clone();
    let figures = staffing::ledger(&state.db, &user, UnitId(id)).await?;
    Ok(axum::Json(
        figures.into_iter().map(FigureItem::from).collect(),
    ))
}

/// A figure to enter; `kind` says which fields count (see [`FigureItem`]).
#[derive(Deserialize, ToSchema)]
pub struct FigureBody {
    /// `quota`, `headcount`, `leadership`, `secondment` or `leavers`.
    pub kind: String,
    /// Year of a quota.
    #[serde(default)]
    pub year: Option<i32>,
    /// Ledger line (stable name or Vietnamese label).
    #[serde(default)]
    pub line: Option<String>,
    /// Positions or people.
    #[serde(default)]
    pub count: Option<u32>,
    /// Deciding document of a quota.
    #[serde(default)]
    pub decision: Option<String>,
    /// Day of a headcount or leadership count (`yyyy-mm-dd` or `dd/mm/yyyy`).
    #[serde(default)]
    pub on: Option<String>,
    /// Heads.
    #[serde(default)]
    pub heads: Option<u32>,
    /// Deputies.
    #[serde(default)]
    pub deputies: Option<u32>,
    /// Deputies allowed.
    #[serde(default)]
    pub deputy_cap: Option<u32>,
    /// First day.
    #[serde(default)]
    pub from: Option<String>,
    /// Last day.
    #[serde(default)]
    pub to: Option<String>,
    /// People seconded or leaving.
    #[serde(default)]
    pub people: Option<u32>,
    /// Note.
    #[serde(default)]
    pub note: Option<String>,
    /// Why people left (`early_retirement`, `resignation`, `other`).
    #[serde(default)]
    pub reason: Option<String>,
    /// Policy cited.
    #[serde(default)]
    pub policy: Option<String>,
}

impl From<FigureBody> for FigureForm {
    fn from(b: FigureBody) -> FigureForm {
        let n = |v: Option<u32>| v.map(|v| v.to_string()).unwrap_or_default();
        FigureForm {
            kind: b.kind,
            year: b.year.map(|y| y.to_string()).unwrap_or_default(),
            line: b.line.unwrap_or_default(),
            count: n(b.count),
            decision: b.decision.unwrap_or_default(),
            on: b.on.unwrap_or_default(),
            heads: n(b.heads),
            deputies: n(b.deputies),
            deputy_cap: n(b.deputy_cap),
            from: b.from.unwrap_or_default(),
            to: b.to.unwrap_or_default(),
            people: n(b.people),
            note: b.note.unwrap_or_default(),
            reason: b.reason.unwrap_or_default(),
            policy: b.policy.unwrap_or_default(),
        }
    }
}

/// `POST /api/units/{unit}/staffing`: enters one figure of the unit's ledger (the province's
/// monitors for any unit, an officer for its own).
#[utoipa::path(post, path = "/api/units/{unit}/staffing", tag = "staffing", request_body = FigureBody,
    params(("unit" = i64, Path, description = "Đơn vị")),
    responses((status = 200, body = Done), BadRequest, Unauthorized, Forbidden, NotFound))]
pub async fn record(
    State(state): State<AppState>,
    viewer: Viewer,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<FigureBody>,
) -> Answer<Done> {
    let user = viewer.require()?.clone();
    staffing::record(&state.db, &user, UnitId(id), b.into()).await?;
    Ok(axum::Json(Done::with_id("Đã ghi số liệu biên chế.", id)))
}
