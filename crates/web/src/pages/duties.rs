//! "Nhiệm vụ thường xuyên, định kỳ": the duties without a single date, judged for the period
//! that ended last — per unit, how many were reported inside the period, late, or not at all.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;
use tinhgon_app::duties;
use tinhgon_domain::duty_periods::{every_vi, label_vi};
use tinhgon_domain::ids::PlanId;
use tinhgon_store::duties::DutyKind;

use crate::auth::Viewer;
use crate::error::{WebError, WebResult};
use crate::pages::render;
use crate::request::{as_of, Query};
use crate::view::{date, thousands, PageCtx};
use crate::AppState;

/// The page's filters.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct DutiesQuery {
    /// The day (dd/mm/yyyy; default today).
    as_of: String,
    /// A plan id.
    plan: String,
}

/// One unit's line.
struct UnitLine {
    unit_id: i64,
    unit: String,
    judged: String,
    on_time: String,
    late: String,
    missed: String,
    missed_n: u64,
}

/// One group: a kind of duty on one period length.
struct Group {
    title: String,
    period: String,
    judged: String,
    on_time: String,
    late: String,
    missed: String,
    rate: String,
    units: Vec<UnitLine>,
    standing: bool,
    /// The period is still running (late is not yet possible, missing is "not yet").
    current: bool,
}

#[derive(Template)]
#[template(path = "duties.html")]
struct DutiesPage {
    ctx: PageCtx,
    as_of: String,
    plan: String,
    groups: Vec<Group>,
}

/// `GET /duties`.
pub async fn page(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<DutiesQuery>,
) -> WebResult<Response> {
    let user = viewer.require()?;
    let province = crate::auth::listing_province(&state, &viewer).await?;
    let day = as_of(Some(&q.as_of))?;
    let plan = match q.plan.trim() {
        "" => None,
        s => Some(PlanId(s.parse().map_err(|_| {
            WebError::BadRequest("Kế hoạch được chọn không hợp lệ.".into())
        })?)),
    };
    let groups = duties::last_period(&state.db, user, province, plan, day)
        .await?
        .into_iter()
        .map(|g| {
            let (judged, on_time, late) = g.units.iter().fold((0, 0, 0), |(j, o, l), u| {
                (j + u.judged, o + u.on_time, l + u.late)
            });
            let missed = judged - on_time - late;
            let mut units: Vec<UnitLine> = g
                .units
                .iter()
                .map(|u| UnitLine {
                    unit_id: u.unit_id,
                    unit: u.unit.clone(),
                    judged: thousands(u.judged),
                    on_time: thousands(u.on_time),
                    late: thousands(u.late),
                    missed: thousands(u.missed()),
                    missed_n: u.missed(),
                })
                .collect();
            // Those with most left undone first; the order of names otherwise (stable sort).
            units.sort_by_key(|u| std::cmp::Reverse(u.missed_n));
            let standing = g.kind == DutyKind::Standing;
            Group {
                title: if standing {
                    format!(
                        "Nhiệm vụ thường xuyên (đánh giá theo kỳ báo cáo {})",
                        every_vi(g.period)
                    )
                } else {
                    format!("Nhiệm vụ định kỳ {}", every_vi(g.period))
                },
                period: format!(
                    "{} ({} – {})",
                    label_vi(g.period, g.window.0),
                    date(g.window.0),
                    date(g.window.1)
                ),
                judged: thousands(judged),
                on_time: thousands(on_time),
                late: thousands(late),
                missed: thousands(missed),
                rate: if judged == 0 {
                    "—".into()
                } else {
                    format!("{:.0}%", on_time as f64 * 100.0 / judged as f64)
                },
                units,
                standing,
                current: g.current,
            }
        })
        .collect();
    render(&DutiesPage {
        ctx: PageCtx::new(&viewer, "dashboard"),
        as_of: date(day),
        plan: q.plan.trim().to_string(),
        groups,
    })
}
