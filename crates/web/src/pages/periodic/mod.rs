//! Periodic reporting (issue 5): the monitor's reporting schedule and request list, the agency
//! officer's report form with its frozen versions, the leader's aggregated report on screen,
//! and the documents (DOCX, XLSX, CSV, urging notice) as downloads.

pub mod agency;
pub mod chart;
pub mod documents;
pub mod leader;
pub mod pager;
pub mod schedule;

use askama::Template;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use tinhgon_domain::model::Id;
use tinhgon_domain::user::Role;
use tinhgon_store::periodic::{self, Request, Standing};

use crate::auth::Viewer;
use crate::error::{WebError, WebResult};
use crate::pages::render;
use crate::view::{date, datetime, today, PageCtx};
use crate::AppState;

/// CSS colour of a request's standing (the status-class palette: green, orange, grey, red).
pub fn standing_color(s: Standing) -> &'static str {
    use tinhgon_domain::class::StatusClass as C;
    match s {
        Standing::Submitted => C::DoneOnTime.color(),
        Standing::SubmittedLate => C::DoneLate.color(),
        Standing::Pending => C::NotDue.color(),
        Standing::Late => C::Overdue.color(),
    }
}

/// A coloured badge for a request's standing (HTML).
pub fn standing_badge(s: Standing) -> String {
    format!(
        "<span class=\"st bg-tone\" data-tone=\"{}\">{}</span>",
        standing_color(s),
        s.label_vi()
    )
}

/// One request as lists show it.
pub struct RequestLine {
    /// Request id.
    pub id: Id,
    /// Plan id.
    pub plan_id: Id,
    /// Plan number.
    pub plan: String,
    /// Unit id.
    pub unit_id: Id,
    /// Unit name.
    pub unit: String,
    /// Period label.
    pub period: String,
    /// Cut-off dd/mm/yyyy.
    pub cutoff: String,
    /// Cut-off ISO (for links).
    pub cutoff_iso: String,
    /// Due dd/mm/yyyy.
    pub due: String,
    /// Standing badge (HTML).
    pub badge: String,
    /// Stable standing name.
    pub standing: &'static str,
    /// First submission time, or a dash.
    pub submitted: String,
    /// Number of versions.
    pub versions: i64,
    /// Not submitted and past due: may be urged.
    pub late: bool,
    /// Not submitted at all.
    pub open: bool,
}

impl RequestLine {
    /// Builds the line of `r` as of today.
    pub fn of(r: &Request, plan: &str) -> RequestLine {
        let st = r.standing(today());
        RequestLine {
            id: r.id,
            plan_id: r.plan_id,
            plan: plan.to_string(),
            unit_id: r.unit_id,
            unit: r.unit_name.clone(),
            period: r.period_label.clone(),
            cutoff: date(r.cutoff),
            cutoff_iso: r.cutoff.to_string(),
            due: date(r.due),
            badge: standing_badge(st),
            standing: match st {
                Standing::Submitted => "submitted",
                Standing::SubmittedLate => "submitted_late",
                Standing::Pending => "pending",
                Standing::Late => "late",
            },
            submitted: r
                .first_submitted_at
                .map(datetime)
                .unwrap_or_else(|| "—".into()),
            versions: r.versions,
            late: st == Standing::Late,
            open: r.first_submitted_at.is_none(),
        }
    }
}

/// Plan number or a fallback label.
pub async fn plan_number(state: &AppState, plan_id: Id) -> WebResult<String> {
    let head = periodic::data::plan_head(&state.db, plan_id).await?;
    Ok(tinhgon_domain::plan::plan_name(
        head.number.as_deref(),
        head.title.as_deref(),
    ))
}

/// The report requests sent to a unit, newest period first, as lists show them.
pub async fn unit_request_lines(state: &AppState, unit: Id) -> WebResult<Vec<RequestLine>> {
    let mut numbers = std::collections::HashMap::new();
    let mut requests = Vec::new();
    for r in periodic::requests_of_unit(&state.db, unit).await? {
        let n = match numbers.get(&r.plan_id) {
            Some(n) => String::clone(n),
            None => {
                let n = plan_number(state, r.plan_id).await?;
                numbers.insert(r.plan_id, n.clone());
                n
            }
        };
        requests.push(RequestLine::of(&r, &n));
    }
    Ok(requests)
}

/// Who may see a request: its unit's officers, and the monitors and leaders of the plan's
/// province. Another unit's officer is refused (403) without learning anything more.
pub async fn load_request(state: &AppState, viewer: &Viewer, id: Id) -> WebResult<Request> {
    let user = viewer.require()?;
    let req = periodic::request(&state.db, id).await?;
    match user.role {
        Role::AgencyOfficer => {
            if user.unit_id != Some(req.unit_id) {
                return Err(WebError::Forbidden);
            }
        }
        Role::Admin | Role::Monitor | Role::Leader => {
            crate::pages::plans::load_readable(state, viewer, req.plan_id).await?;
        }
    }
    Ok(req)
}

/// The small script of the report pages (print button); served from the binary because the
/// content security policy forbids inline scripts.
pub const SCRIPT: &str = "document.addEventListener('click',function(e){if(e.target.closest('[data-print]')){e.preventDefault();window.print();}});\n";

/// `GET /assets/periodic.js`.
pub async fn script() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        SCRIPT,
    )
        .into_response()
}

#[derive(Template)]
#[template(path = "periodic_index.html")]
struct IndexPage {
    ctx: PageCtx,
    officer: bool,
    unit: String,
    requests: Vec<RequestLine>,
    plans: Vec<PlanLine>,
}

/// A published plan on the reporting landing page.
struct PlanLine {
    id: Id,
    number: String,
    title: String,
    schedule: String,
    period: String,
    submitted: usize,
    total: usize,
    late: usize,
}

/// `GET /reports`: an officer's requests, or for monitors and leaders the published plans
/// with their schedule and the state of their latest period.
pub async fn index(
    axum::extract::State(state): axum::extract::State<AppState>,
    viewer: Viewer,
) -> WebResult<Response> {
    let user = viewer.require()?.clone();
    let ctx = PageCtx::new(&viewer, "reports");
    if user.role == Role::AgencyOfficer {
        let unit = user.unit_id.ok_or(WebError::Forbidden)?;
        let requests = unit_request_lines(&state, unit).await?;
        return render(&IndexPage {
            ctx,
            officer: true,
            unit: viewer
                .user
                .as_ref()
                .and_then(|u| u.unit_name.clone())
                .unwrap_or_default(),
            requests,
            plans: Vec::new(),
        });
    }
    let province = crate::pages::dashboard::viewer_province(&state, &viewer).await?;
    let mut plans = Vec::new();
    for (id, number, title, st) in tinhgon_store::plans::list_plans(&state.db, province).await? {
        if st != tinhgon_domain::plan::PlanState::Published {
            continue;
        }
        let schedule = periodic::schedule(&state.db, id).await?;
        let windows = periodic::windows(&state.db, id).await?;
        let (period, submitted, total, late) = match windows.first() {
            Some(w) => {
                let rs = periodic::requests(&state.db, id, Some(w.cutoff)).await?;
                let t = today();
                (
                    format!("{} (số liệu đến {})", w.label, date(w.cutoff)),
                    rs.iter().filter(|r| r.first_submitted_at.is_some()).count(),
                    rs.len(),
                    rs.iter()
                        .filter(|r| r.standing(t) == Standing::Late)
                        .count(),
                )
            }
            None => ("Chưa mở kỳ báo cáo".into(), 0, 0, 0),
        };
        plans.push(PlanLine {
            id,
            number: tinhgon_domain::plan::plan_name(number.as_deref(), title.as_deref()),
            title: title.unwrap_or_default(),
            schedule: schedule
                .map(|s| schedule::describe(&s))
                .unwrap_or_else(|| "Chưa đặt lịch".into()),
            period,
            submitted,
            total,
            late,
        });
    }
    render(&IndexPage {
        ctx,
        officer: false,
        unit: String::new(),
        requests: Vec::new(),
        plans,
    })
}
