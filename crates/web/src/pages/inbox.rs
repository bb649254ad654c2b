//! The officer's inbox ("Việc của tôi"): counts per status class (each a filter link), the
//! filters, one page of the unit's assignments with a pager, and the tasks it coordinates
//! (paged too). Everything is filtered and paged in the database (`tinhgon_store::inbox`), so
//! a department with thousands of assignments costs one page.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;
use tinhgon_domain::class::StatusClass;
use tinhgon_domain::ids::UnitId;
use tinhgon_domain::model::Id;
use tinhgon_store::inbox::{self as store, InboxFilter, InboxPage, Paging};

use crate::auth::Viewer;
use crate::error::{WebError, WebResult};
use crate::pages::dashboard::short;
use crate::pages::render;
use crate::request::Query;
use crate::view::Choice;
use crate::view::{class_badge, date, status_label, thousands, today, PageCtx};
use crate::AppState;

/// Plans offered in the plan filter (a busy department holds a thousand plans).
const PLAN_CHOICES: u32 = 100;
/// Coordinated tasks per page.
const COORDINATED_PER_PAGE: u32 = 20;

/// Inbox filters and pages, as typed in the address (strings, so a bad value is a 400 with a
/// Vietnamese message rather than a parse failure).
#[derive(Deserialize, Default)]
pub struct InboxQuery {
    /// Status class (stable name).
    pub class: Option<String>,
    /// Due on or before this day.
    pub due_before: Option<String>,
    /// Plan id.
    pub plan: Option<String>,
    /// Page of assignments, from 1.
    pub page: Option<String>,
    /// Page of coordinated tasks, from 1.
    pub cpage: Option<String>,
}

pub use tinhgon_app::inbox::{parse_filter, parse_page};

/// One page of the unit's inbox today.
pub async fn inbox_data(
    state: &AppState,
    unit: Id,
    filter: &InboxFilter,
    paging: Paging,
) -> WebResult<InboxPage> {
    Ok(tinhgon_app::inbox::page(&state.db, UnitId(unit), today(), filter, paging).await?)
}

/// The address of the inbox with these filters and pages (defaults left out).
fn inbox_href(filter: &InboxFilter, page: u32, cpage: u32) -> String {
    let mut q = form_urlencoded::Serializer::new(String::new());
    if let Some(c) = filter.class {
        q.append_pair("class", c.as_str());
    }
    if let Some(d) = filter.due_before {
        q.append_pair("due_before", &date(d));
    }
    if let Some(p) = filter.plan {
        q.append_pair("plan", &p.to_string());
    }
    if page > 1 {
        q.append_pair("page", &page.to_string());
    }
    if cpage > 1 {
        q.append_pair("cpage", &cpage.to_string());
    }
    let q = q.finish();
    if q.is_empty() {
        "/inbox".into()
    } else {
        format!("/inbox?{q}")
    }
}

/// Previous / next links and "Hiển thị a–b trên n" of one list.
pub struct Pager {
    /// "Hiển thị 1–50 trên 2.950" (empty when the list is empty).
    pub shown: String,
    /// Previous page's address.
    pub prev: Option<String>,
    /// Next page's address.
    pub next: Option<String>,
    /// "Trang 1/59".
    pub position: String,
}

fn pager(total: u64, page: u32, per_page: u32, href: impl Fn(u32) -> String) -> Pager {
    let page = page.max(1);
    let per = u64::from(per_page.max(1));
    let pages = total.div_ceil(per).max(1);
    let first = u64::from(page - 1) * per + 1;
    let last = (first + per - 1).min(total);
    Pager {
        shown: if total == 0 || first > total {
            String::new()
        } else {
            format!(
                "Hiển thị {}–{} trên {}",
                thousands(first),
                thousands(last),
                thousands(total)
            )
        },
        prev: (page > 1).then(|| href((u64::from(page - 1)).min(pages) as u32)),
        next: (u64::from(page) < pages).then(|| href(page + 1)),
        position: format!("Trang {}/{}", thousands(u64::from(page)), thousands(pages)),
    }
}

/// A class count as a filter link.
struct CountLink {
    label: &'static str,
    color: &'static str,
    n: String,
    href: String,
    current: bool,
}

struct InboxLine {
    id: Id,
    plan: String,
    task_ref: String,
    content: String,
    deadline: String,
    due: String,
    badge: String,
    status: &'static str,
    percent: String,
}

struct CoordLine {
    task_id: Id,
    href: String,
    reference: String,
    content: String,
    deadline: String,
}

#[derive(Template)]
#[template(path = "inbox.html")]
struct InboxTemplate {
    ctx: PageCtx,
    unit: String,
    total: String,
    all_href: String,
    all_current: bool,
    counts: Vec<CountLink>,
    classes: Vec<Choice>,
    plans: Vec<Choice>,
    plans_note: String,
    due_before: String,
    lines: Vec<InboxLine>,
    pager: Pager,
    coordinated: Vec<CoordLine>,
    coordinated_total: String,
    coordinated_pager: Pager,
    reports: Vec<crate::pages::periodic::RequestLine>,
}

/// `GET /inbox`: the officer's own assignments, filtered and paged.
pub async fn inbox(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<InboxQuery>,
) -> WebResult<Response> {
    let user = viewer.require()?.clone();
    let unit = user.unit_id.ok_or(WebError::Forbidden)?;
    let filter = parse_filter(&q.class, &q.due_before, &q.plan)?;
    let page = parse_page(&q.page)?;
    let cpage = parse_page(&q.cpage)?;
    let paging = Paging {
        page,
        per_page: store::DEFAULT_PER_PAGE,
    };
    let d = inbox_data(&state, unit, &filter, paging).await?;
    let (plan_rows, plans_total) =
        store::unit_plans(&state.db, unit, PLAN_CHOICES, filter.plan).await?;
    let (coord_rows, coord_total) = store::coordinated_page(
        &state.db,
        unit,
        Paging {
            page: cpage,
            per_page: COORDINATED_PER_PAGE,
        },
    )
    .await?;

    // Reports still to be made are part of the unit's work, beside its assignments.
    let reports: Vec<_> = crate::pages::periodic::unit_request_lines(&state, unit)
        .await?
        .into_iter()
        .filter(|r| r.open)
        .collect();
    let total: u64 = d.counts.values().sum();
    let counts = StatusClass::ALL
        .iter()
        .map(|c| CountLink {
            label: c.label_vi(),
            color: c.color(),
            n: thousands(d.counts.get(c).copied().unwrap_or(0)),
            href: inbox_href(
                &InboxFilter {
                    class: Some(*c),
                    ..filter
                },
                1,
                1,
            ),
            current: filter.class == Some(*c),
        })
        .collect();
    let plans_note = if plans_total > plan_rows.len() as u64 {
        format!(
            "Danh sách chọn gồm {} kế hoạch gần nhất trên {}; kế hoạch khác: mở trang kế hoạch.",
            thousands(u64::from(PLAN_CHOICES)),
            thousands(plans_total)
        )
    } else {
        String::new()
    };
    let lines = d
        .lines
        .iter()
        .map(|l| InboxLine {
            id: l.work.id,
            plan: l.work.plan_number.clone().unwrap_or_default(),
            task_ref: l.work.task_ref.clone(),
            content: short(&l.work.content, 160),
            deadline: l.work.deadline_text.clone(),
            due: crate::view::due_label(&l.work),
            badge: class_badge(Some(l.class)),
            status: status_label(&l.work.status),
            percent: crate::view::percent_label(&l.work),
        })
        .collect();
    let coordinated = coord_rows
        .into_iter()
        .map(|c| CoordLine {
            task_id: c.task_id,
            href: match c.lead_assignment {
                Some(a) => format!("/assignments/{a}"),
                None => format!("/plans/{}", c.plan_id),
            },
            reference: format!("{} {}", c.plan_number.unwrap_or_default(), c.task_ref),
            content: short(&c.content, 140),
            deadline: c.deadline_text,
        })
        .collect();
    let unit_name = viewer
        .user
        .as_ref()
        .and_then(|s| s.unit_name.clone())
        .unwrap_or_default();
    render(&InboxTemplate {
        ctx: PageCtx::new(&viewer, "inbox"),
        unit: unit_name,
        total: thousands(total),
        all_href: inbox_href(
            &InboxFilter {
                class: None,
                ..filter
            },
            1,
            1,
        ),
        all_current: filter.class.is_none(),
        counts,
        classes: StatusClass::ALL
            .iter()
            .map(|c| Choice {
                value: c.as_str().into(),
                label: c.label_vi().into(),
                selected: filter.class == Some(*c),
            })
            .collect(),
        plans: plan_rows
            .into_iter()
            .map(|(id, number)| Choice {
                value: id.to_string(),
                label: tinhgon_domain::plan::plan_name(number.as_deref(), None),
                selected: filter.plan == Some(id),
            })
            .collect(),
        plans_note,
        due_before: filter.due_before.map(date).unwrap_or_default(),
        lines,
        pager: pager(d.total, page, paging.per_page, |p| {
            inbox_href(&filter, p, cpage)
        }),
        coordinated,
        coordinated_total: thousands(coord_total),
        coordinated_pager: pager(coord_total, cpage, COORDINATED_PER_PAGE, |p| {
            inbox_href(&filter, page, p)
        }),
        reports,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    #[test]
    fn thousands_are_dotted() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(950), "950");
        assert_eq!(thousands(2950), "2.950");
        assert_eq!(thousands(1_234_567), "1.234.567");
    }

    #[test]
    fn pager_keeps_filters_and_says_what_is_shown() {
        let filter = InboxFilter {
            class: Some(StatusClass::Overdue),
            due_before: NaiveDate::from_ymd_opt(2026, 3, 31),
            plan: Some(7),
        };
        let p = pager(2950, 1, 50, |n| inbox_href(&filter, n, 1));
        assert_eq!(p.shown, "Hiển thị 1–50 trên 2.950");
        assert_eq!(p.prev, None);
        assert_eq!(
            p.next.as_deref(),
            Some("/inbox?class=overdue&due_before=31%2F03%2F2026&plan=7&page=2")
        );
        assert_eq!(p.position, "Trang 1/59");
        let last = pager(2950, 59, 50, |n| inbox_href(&filter, n, 1));
        assert_eq!(last.shown, "Hiển thị 2.901–2.950 trên 2.950");
        assert!(last.next.is_none());
        assert!(last.prev.as_deref().is_some_and(|h| h.ends_with("page=58")));
        let beyond = pager(10, 5, 50, |n| inbox_href(&InboxFilter::default(), n, 1));
        assert_eq!(beyond.shown, "");
        assert_eq!(beyond.prev.as_deref(), Some("/inbox"));
    }

    #[test]
    fn bad_filters_are_refused_in_vietnamese() {
        let s = |v: &str| Some(v.to_string());
        for (class, due, plan) in [
            (s("xanh"), None, None),
            (None, s("31/02/2026"), None),
            (None, None, s("abc")),
            (None, None, s("-3")),
        ] {
            match parse_filter(&class, &due, &plan).map_err(WebError::from) {
                Err(WebError::BadRequest(m) | WebError::Invalid { message: m, .. }) => assert!(
                    m.ends_with("không hợp lệ.") || m.contains("dd/mm/yyyy"),
                    "{m}"
                ),
                other => panic!("{:?}", other.is_ok()),
            }
        }
        for p in ["0", "-1", "một", "99999999999"] {
            assert!(
                matches!(
                    parse_page(&s(p)).map_err(WebError::from),
                    Err(WebError::BadRequest(_) | WebError::Invalid { .. })
                ),
                "{p}"
            );
        }
        assert_eq!(parse_page(&None).ok(), Some(1));
        assert_eq!(parse_page(&s(" 3 ")).ok(), Some(3));
        let f = parse_filter(&s("overdue"), &s("2026-03-31"), &s("12")).ok();
        assert_eq!(
            f,
            Some(InboxFilter {
                class: Some(StatusClass::Overdue),
                due_before: NaiveDate::from_ymd_opt(2026, 3, 31),
                plan: Some(12),
            })
        );
    }
}
