//! The calendar page ("Lịch"): a month of deadlines as a grid, Monday first, each day listing
//! its assignments coloured by status class; on a phone the grid reads as a list of the days
//! that have deadlines. The page also makes and revokes the account's private iCalendar feed
//! address, which `GET /calendar/{feed}` serves without a session.

use askama::Template;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use chrono::{Datelike, NaiveDate, Utc};
use tinhgon_app::calendar::{self, feed, CalendarQuery, Deadline, Month, MonthView};
use tinhgon_domain::user::Role;

use crate::auth::Viewer;
use crate::error::{WebError, WebResult};
use crate::pages::{redirect_ok, render};
use crate::request::{Path, Query};
use crate::view::{datetime, today, Choice, PageCtx};
use crate::AppState;

/// Deadlines a day of the grid lists before "+N nữa".
const SHOWN_PER_DAY: usize = 3;

/// One deadline in a day.
struct Item {
    id: i64,
    reference: String,
    unit: String,
    content: String,
    color: &'static str,
    class: &'static str,
    coordinating: bool,
}

impl From<&Deadline> for Item {
    fn from(d: &Deadline) -> Self {
        Item {
            id: d.assignment,
            reference: format!("{} {}", d.plan, d.task_ref).trim().to_string(),
            unit: d.unit.clone(),
            content: crate::pages::dashboard::short(&d.content, 160),
            color: d.class.color(),
            class: d.class.label_vi(),
            coordinating: d.coordinating,
        }
    }
}

/// One day of the grid.
struct Day {
    number: u32,
    long: String,
    in_month: bool,
    today: bool,
    shown: Vec<Item>,
    more: Vec<Item>,
}

/// A class in the legend.
struct Legend {
    label: &'static str,
    color: &'static str,
}

#[derive(Template)]
#[template(path = "calendar.html")]
struct CalendarPage {
    ctx: PageCtx,
    title: String,
    month_key: String,
    prev: String,
    next: String,
    this_month: String,
    day_names: [&'static str; 7],
    weeks: Vec<Vec<Day>>,
    total: usize,
    truncated: bool,
    province_wide: bool,
    plans: Vec<Choice>,
    units: Vec<Choice>,
    coordinating: bool,
    legend: Vec<Legend>,
    feed_since: Option<String>,
    new_feed: Option<String>,
    csrf: String,
}

/// The page's query string for `month` with the same filters.
fn href(q: &CalendarQuery, month: Month) -> String {
    let mut s = form_urlencoded::Serializer::new(String::new());
    s.append_pair("month", &month.key());
    for (k, v) in [
        ("plan", q.plan.as_str()),
        ("unit", q.unit.as_str()),
        ("role", q.role.as_str()),
    ] {
        if !v.trim().is_empty() {
            s.append_pair(k, v.trim());
        }
    }
    format!("/calendar?{}", s.finish())
}

fn grid(view: &MonthView, today: NaiveDate) -> Vec<Vec<Day>> {
    view.month
        .weeks()
        .into_iter()
        .map(|week| {
            week.into_iter()
                .map(|d| {
                    let mut items: Vec<Item> = view
                        .deadlines
                        .iter()
                        .filter(|x| x.due == d)
                        .map(Item::from)
                        .collect();
                    let more = if items.len() > SHOWN_PER_DAY + 1 {
                        items.split_off(SHOWN_PER_DAY)
                    } else {
                        Vec::new()
                    };
                    Day {
                        number: d.day(),
                        long: format!("{}, {}", calendar::day_name(d), d.format("%d/%m/%Y")),
                        in_month: Month::of(d) == view.month,
                        today: d == today,
                        shown: items,
                        more,
                    }
                })
                .collect()
        })
        .collect()
}

/// The feed's full address as a calendar application needs it.
fn feed_url(state: &AppState, headers: &HeaderMap, secret: &str) -> String {
    let base = match &state.config.public_url {
        Some(u) => u.trim_end_matches('/').to_string(),
        None => {
            let host = headers
                .get(header::HOST)
                .and_then(|h| h.to_str().ok())
                .unwrap_or("localhost");
            format!("http://{host}")
        }
    };
    format!("{base}/calendar/{secret}.ics")
}

async fn page_for(
    state: &AppState,
    viewer: &Viewer,
    q: CalendarQuery,
    new_feed: Option<String>,
) -> WebResult<Response> {
    let user = viewer.require()?.clone();
    let province = crate::auth::listing_province(state, viewer).await?;
    let day = today();
    let view = calendar::month(&state.db, &user, province, &q, day).await?;
    let province_wide = user.role != Role::AgencyOfficer;
    let plan_id: Option<i64> = q.plan.trim().parse().ok();
    let unit_id: Option<i64> = q.unit.trim().parse().ok();
    let plans = tinhgon_store::plans::list_plans(&state.db, province)
        .await?
        .into_iter()
        .filter(|p| p.3 == tinhgon_domain::plan::PlanState::Published)
        .map(|(id, n, t, _)| Choice {
            value: id.to_string(),
            label: tinhgon_domain::plan::plan_name(n.as_deref(), t.as_deref()),
            selected: plan_id == Some(id),
        })
        .collect();
    let units = if province_wide {
        tinhgon_store::web_queries::units_for_select(&state.db, province)
            .await?
            .into_iter()
            .map(|(id, n)| Choice {
                value: id.to_string(),
                label: n,
                selected: unit_id == Some(id),
            })
            .collect()
    } else {
        Vec::new()
    };
    let feed_since = feed::live_since(&state.db, &user).await?.map(datetime);
    let legend = tinhgon_domain::class::StatusClass::ALL
        .iter()
        .map(|c| Legend {
            label: c.label_vi(),
            color: c.color(),
        })
        .collect();
    render(&CalendarPage {
        ctx: PageCtx::new(viewer, "calendar"),
        title: view.month.label(),
        month_key: view.month.key(),
        prev: href(&q, view.month.prev()),
        next: href(&q, view.month.next()),
        this_month: href(&q, Month::of(day)),
        day_names: calendar::DAY_NAMES,
        weeks: grid(&view, day),
        total: view.deadlines.len(),
        truncated: view.truncated,
        province_wide,
        plans,
        units,
        coordinating: q.role.trim() == "coordinating",
        legend,
        feed_since,
        new_feed,
        csrf: viewer.csrf.clone(),
    })
}

/// `GET /calendar?month=2026-12`.
pub async fn page(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<CalendarQuery>,
) -> WebResult<Response> {
    page_for(&state, &viewer, q, None).await
}

/// `POST /calendar/feed`: a new private address (the old one stops working), shown once on
/// the page this answers with.
pub async fn create_feed(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
) -> WebResult<Response> {
    let user = viewer.require()?.clone();
    let secret = feed::create(&state.db, &user).await?;
    let url = feed_url(&state, &headers, &secret);
    page_for(&state, &viewer, CalendarQuery::default(), Some(url)).await
}

/// `POST /calendar/feed/revoke`.
pub async fn revoke_feed(State(state): State<AppState>, viewer: Viewer) -> WebResult<Response> {
    let user = viewer.require()?.clone();
    let text = if feed::revoke(&state.db, &user).await? {
        "Đã thu hồi địa chỉ lịch riêng; ứng dụng lịch sẽ không nhận được hạn nhiệm vụ qua địa chỉ cũ."
    } else {
        "Bạn chưa có địa chỉ lịch riêng nào để thu hồi."
    };
    Ok(redirect_ok(&state, "/calendar", text))
}

/// `GET /calendar/{feed}`: the iCalendar text of the feed `{secret}.ics`, for calendar
/// applications; no session, the secret is the right. Anything else is not found.
pub async fn ics(State(state): State<AppState>, Path(file): Path<String>) -> WebResult<Response> {
    let secret = file.strip_suffix(".ics").ok_or(WebError::NotFound)?;
    let text = feed::ics_text(
        &state.db,
        secret,
        today(),
        Utc::now(),
        state.config.public_url.as_deref(),
    )
    .await?;
    let mut r = text.into_response();
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/calendar; charset=utf-8"),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    h.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static("inline; filename=\"han-nhiem-vu.ics\""),
    );
    Ok(r)
}
