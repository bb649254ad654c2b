//! The leaders' page "Xin ý kiến": obstacles the monitor referred to them with a proposal,
//! oldest first; each opens the assignment where the opinion is given. Monitors read it too,
//! to see what waits on the leaders.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use tinhgon_app::obstacles;
use tinhgon_store::referrals::Addressee;

use crate::auth::Viewer;
use crate::error::WebResult;
use crate::pages::dashboard::short;
use crate::pages::render;
use crate::view::{datetime, PageCtx};
use crate::AppState;

/// One referral waiting for its opinion.
struct Item {
    assignment_id: i64,
    plan: String,
    task_ref: String,
    content: String,
    unit: String,
    obstacle: String,
    proposal: String,
    to: &'static str,
    at: String,
    by: String,
}

#[derive(Template)]
#[template(path = "referrals.html")]
struct ReferralsPage {
    ctx: PageCtx,
    items: Vec<Item>,
}

/// `GET /referrals`.
pub async fn page(State(state): State<AppState>, viewer: Viewer) -> WebResult<Response> {
    let user = viewer.require()?;
    let province = crate::auth::listing_province(&state, &viewer).await?;
    let items = obstacles::waiting(&state.db, user, province)
        .await?
        .into_iter()
        .map(|w| Item {
            assignment_id: w.assignment_id,
            plan: w.plan_number.unwrap_or_default(),
            task_ref: w.task_ref,
            content: short(&w.content, 200),
            unit: w.unit,
            obstacle: w.obstacle,
            proposal: w.proposal,
            to: Addressee::parse(&w.addressee).map_or("cấp có thẩm quyền", |a| a.label_vi()),
            at: datetime(w.referred_at),
            by: w.referred_by.unwrap_or_default(),
        })
        .collect();
    render(&ReferralsPage {
        ctx: PageCtx::new(&viewer, "referrals"),
        items,
    })
}
