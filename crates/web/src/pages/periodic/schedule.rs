//! The monitor's side: a plan's reporting schedule, opening a period's requests (one per unit
//! with assignments in the plan), the request list with who submitted and who is late, and
//! urging the late ones.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use chrono::{NaiveDate, Utc};
use serde::Deserialize;
use tinhgon_domain::model::Id;
use tinhgon_store::notifications::{Audience, Notice};
use tinhgon_store::periodic::{self, NewSchedule, PeriodKind, Schedule, Standing, Window};

use super::{plan_number, RequestLine};
use crate::auth::Viewer;
use crate::error::{WebError, WebResult};
use crate::pages::plans::{load_monitored, load_readable};
use crate::pages::{audit_entry, redirect_flash, redirect_ok, render};
use crate::request::{Form, Path, Query};
use crate::view::Choice;
use crate::view::{date, parse_date, today, PageCtx};
use crate::AppState;

/// One line describing a schedule ("Hằng quý; số liệu đến ngày 15 tháng cuối kỳ; nộp sau 3 ngày").
pub fn describe(s: &Schedule) -> String {
    if s.kind == PeriodKind::AdHoc {
        return "Đột xuất (ngày chốt số liệu và hạn nộp đặt cho từng kỳ)".into();
    }
    let day = if s.cutoff_day == 0 {
        "ngày cuối".to_string()
    } else {
        format!("ngày {}", s.cutoff_day)
    };
    format!(
        "{}; số liệu tính đến {day} của tháng cuối kỳ; hạn nộp {} ngày sau ngày chốt số liệu",
        s.kind.label_vi(),
        s.due_days
    )
}

/// `?cutoff=` chooses the period shown.
#[derive(Deserialize, Default)]
pub struct PeriodQuery {
    cutoff: Option<String>,
}

/// A period in the period selector.
struct PeriodLink {
    label: String,
    cutoff: String,
    cutoff_iso: String,
    due: String,
    current: bool,
}

#[derive(Template)]
#[template(path = "periodic_schedule.html")]
struct SchedulePage {
    ctx: PageCtx,
    plan_id: Id,
    plan: String,
    schedule: String,
    can_edit: bool,
    kinds: Vec<Choice>,
    cutoff_day: String,
    due_days: String,
    day: String,
    periods: Vec<PeriodLink>,
    window: Option<PeriodLink>,
    requests: Vec<RequestLine>,
    counts: Vec<(&'static str, &'static str, usize)>,
}

/// `GET /plans/{plan}/reporting`: the schedule, its form for the monitor, and the requests of
/// a period (the latest by default).
pub async fn page(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(plan_id): Path<Id>,
    Query(q): Query<PeriodQuery>,
) -> WebResult<Response> {
    let user = viewer.require()?.clone();
    let plan = load_readable(&state, &viewer, plan_id).await?;
    let can_edit = tinhgon_domain::user::can_monitor(&user, &plan.access());
    let current = periodic::schedule(&state.db, plan_id).await?;
    let windows = periodic::windows(&state.db, plan_id).await?;
    let wanted = match q.cutoff.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) => Some(parse_date(s).ok_or_else(|| {
            WebError::BadRequest(format!(
                "Ngày chốt số liệu \"{s}\" không hợp lệ; hãy nhập theo dạng dd/mm/yyyy."
            ))
        })?),
        None => None,
    };
    let chosen: Option<&Window> = match wanted {
        Some(c) => Some(
            windows
                .iter()
                .find(|w| w.cutoff == c)
                .ok_or(WebError::NotFound)?,
        ),
        None => windows.first(),
    };
    let link = |w: &Window| PeriodLink {
        label: w.label.clone(),
        cutoff: date(w.cutoff),
        cutoff_iso: w.cutoff.to_string(),
        due: date(w.due),
        current: chosen.is_some_and(|c| c.cutoff == w.cutoff),
    };
    let number = plan.label();
    let requests: Vec<RequestLine> = match chosen {
        Some(w) => periodic::requests(&state.db, plan_id, Some(w.cutoff))
            .await?
            .iter()
            .map(|r| RequestLine::of(r, &number))
            .collect(),
        None => Vec::new(),
    };
    let count = |k: &str| requests.iter().filter(|r| r.standing == k).count();
    let counts = [
        Standing::Submitted,
        Standing::SubmittedLate,
        Standing::Pending,
        Standing::Late,
    ]
    .iter()
    .map(|s| {
        let key = match s {
            Standing::Submitted => "submitted",
            Standing::SubmittedLate => "submitted_late",
            Standing::Pending => "pending",
            Standing::Late => "late",
        };
        (s.label_vi(), super::standing_color(*s), count(key))
    })
    .collect();
    let kind_now = current.as_ref().map_or(PeriodKind::Quarterly, |s| s.kind);
    render(&SchedulePage {
        ctx: PageCtx::new(&viewer, "reports"),
        plan_id,
        plan: number,
        schedule: current
            .as_ref()
            .map(describe)
            .unwrap_or_else(|| "Chưa đặt lịch báo cáo.".into()),
        can_edit,
        kinds: PeriodKind::ALL
            .iter()
            .map(|k| Choice {
                value: k.as_str().into(),
                label: k.label_vi().into(),
                selected: *k == kind_now,
            })
            .collect(),
        cutoff_day: current
            .as_ref()
            .map_or("15".into(), |s| s.cutoff_day.to_string()),
        due_days: current
            .as_ref()
            .map_or("3".into(), |s| s.due_days.to_string()),
        day: date(today()),
        window: chosen.map(link),
        periods: windows.iter().map(link).collect(),
        requests,
        counts,
    })
}

/// The schedule form.
#[derive(Deserialize)]
pub struct ScheduleForm {
    kind: String,
    #[serde(default)]
    cutoff_day: String,
    #[serde(default)]
    due_days: String,
    /// Open the period containing this day (calendar kinds).
    #[serde(default)]
    day: String,
    /// Ad hoc period: label, first and last day, cut-off, due.
    #[serde(default)]
    label: String,
    #[serde(default)]
    start: String,
    #[serde(default)]
    end: String,
    #[serde(default)]
    cutoff: String,
    #[serde(default)]
    due: String,
}

fn number_field(v: &str, what: &str, default: u32) -> WebResult<u32> {
    let v = v.trim();
    if v.is_empty() {
        return Ok(default);
    }
    v.parse().map_err(|_| {
        WebError::BadRequest(format!(
            "{what} \"{v}\" không hợp lệ; hãy nhập một số nguyên không âm."
        ))
    })
}

fn date_field(v: &str, what: &str) -> WebResult<NaiveDate> {
    parse_date(v).ok_or_else(|| {
        WebError::BadRequest(format!(
            "{what} \"{}\" không hợp lệ; hãy nhập theo dạng dd/mm/yyyy.",
            v.trim()
        ))
    })
}

/// The period a schedule form opens.
fn window_of(f: &ScheduleForm, kind: PeriodKind, s: &Schedule) -> WebResult<Window> {
    if kind == PeriodKind::AdHoc {
        let w = Window {
            kind,
            label: match f.label.trim() {
                "" => "kỳ đột xuất".to_string(),
                l => l.chars().take(120).collect(),
            },
            start: date_field(&f.start, "Ngày bắt đầu kỳ")?,
            end: date_field(&f.end, "Ngày kết thúc kỳ")?,
            cutoff: date_field(&f.cutoff, "Ngày chốt số liệu")?,
            due: date_field(&f.due, "Hạn nộp báo cáo")?,
        };
        if !(w.start <= w.cutoff && w.cutoff <= w.end && w.cutoff <= w.due) {
            return Err(WebError::BadRequest(
                "Kỳ báo cáo không hợp lệ: cần ngày bắt đầu ≤ ngày chốt số liệu ≤ ngày kết thúc kỳ và ngày chốt số liệu ≤ hạn nộp.".into(),
            ));
        }
        return Ok(w);
    }
    let day = match f.day.trim() {
        "" => today(),
        d => date_field(d, "Ngày trong kỳ cần mở")?,
    };
    s.window_containing(day)
        .ok_or_else(|| WebError::BadRequest("Không xác định được kỳ báo cáo.".into()))
}

/// `POST /plans/{plan}/reporting/schedule`: saves the schedule and opens the period's
/// requests, notifying each newly asked unit.
pub async fn set_schedule(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(plan_id): Path<Id>,
    Form(f): Form<ScheduleForm>,
) -> WebResult<Response> {
    let user = viewer.require()?.clone();
    load_monitored(&state, &user, plan_id).await?;
    let kind = PeriodKind::parse(f.kind.trim())
        .ok_or_else(|| WebError::BadRequest("Loại kỳ báo cáo không hợp lệ.".into()))?;
    let cutoff_day = number_field(&f.cutoff_day, "Ngày chốt số liệu", 0)?;
    let due_days = number_field(&f.due_days, "Số ngày hạn nộp", 0)?;
    if cutoff_day > 31 || due_days > 90 {
        return Err(WebError::BadRequest(
            "Ngày chốt số liệu phải từ 0 đến 31 (0: ngày cuối tháng) và hạn nộp tối đa 90 ngày sau ngày chốt.".into(),
        ));
    }
    let now = Utc::now();
    // Validate the period before saving anything, so a bad date leaves no half-done change.
    let probe = Schedule {
        id: 0,
        plan_id,
        kind,
        cutoff_day,
        due_days,
        created_at: now,
    };
    let window = window_of(&f, kind, &probe)?;
    // The store adds after.requests and after.new_requests (the counts) and writes schedule,
    // requests and audit row in one transaction.
    let entry = audit_entry(
        Some(&user),
        "report.schedule",
        "plan",
        Some(plan_id),
        None,
        Some(serde_json::json!({
            "kind": kind.as_str(), "cutoff_day": cutoff_day, "due_days": due_days,
            "period": window.label, "cutoff": window.cutoff, "due": window.due,
        })),
    );
    // Each newly asked unit is notified in the same transaction; a new request carries the
    // window's label, cut-off and due date, so one text serves them all.
    let number = plan_number(&state, plan_id).await?;
    let text = format!(
        "Yêu cầu báo cáo {} thực hiện Kế hoạch số {number}: số liệu tính đến ngày {}, hạn nộp {}.",
        window.label,
        date(window.cutoff),
        date(window.due)
    );
    let opened = periodic::schedule_and_open(
        &state.db,
        &NewSchedule {
            plan_id,
            kind,
            cutoff_day,
            due_days,
            by: Some(user.id),
            at: now,
        },
        &window,
        &entry,
        Some(periodic::RequestNotice {
            kind: "report_request",
            text: &text,
            link_prefix: "/report-requests/",
        }),
    )
    .await?;
    let ids = opened.requests;
    let fresh = opened.new_requests.len();
    Ok(redirect_flash(
        &state,
        &format!("/plans/{plan_id}/reporting?cutoff={}", window.cutoff),
        "ok",
        &format!(
            "Đã lưu lịch báo cáo và mở kỳ {} (số liệu đến {}, hạn nộp {}): {} đơn vị được yêu cầu báo cáo, {} yêu cầu mới.",
            window.label,
            date(window.cutoff),
            date(window.due),
            ids.len(),
            fresh
        ),
    ))
}

/// `POST /report-requests/{request}/urge`: reminds a unit that has not submitted.
pub async fn urge(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(request_id): Path<Id>,
) -> WebResult<Response> {
    let user = viewer.require()?.clone();
    let req = periodic::request(&state.db, request_id).await?;
    load_monitored(&state, &user, req.plan_id).await?;
    let back = format!("/plans/{}/reporting?cutoff={}", req.plan_id, req.cutoff);
    if req.first_submitted_at.is_some() {
        return Ok(redirect_flash(
            &state,
            &back,
            "error",
            &format!(
                "{} đã nộp báo cáo kỳ này; không cần đôn đốc.",
                req.unit_name
            ),
        ));
    }
    let now = Utc::now();
    let number = plan_number(&state, req.plan_id).await?;
    let text = format!(
        "Đôn đốc nộp báo cáo {} thực hiện Kế hoạch số {number} (hạn nộp {}).",
        req.period_label,
        date(req.due)
    );
    let entry = audit_entry(
        Some(&user),
        "report.urge",
        "report_request",
        Some(request_id),
        None,
        Some(serde_json::json!({"unit": req.unit_id, "period": req.period_label})),
    )
    .with_notice(Notice::new(
        Audience::Unit(req.unit_id),
        "urging",
        text,
        format!("/report-requests/{request_id}"),
    ));
    // The day's reminder, the unit's notice and the audit row in one transaction (none of them
    // when already urged today).
    let made = tinhgon_app::urge_request_audited(
        &state.db,
        tinhgon_domain::ids::ReportRequestId(request_id),
        Some(user.id),
        now,
        &entry,
    )
    .await
    .map_err(WebError::from)?;
    if !made {
        return Ok(redirect_flash(
            &state,
            &back,
            "error",
            &format!("Hôm nay đã đôn đốc {} nộp báo cáo kỳ này.", req.unit_name),
        ));
    }
    Ok(redirect_ok(
        &state,
        &back,
        &format!("Đã đôn đốc {} nộp báo cáo.", req.unit_name),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(kind: &str) -> ScheduleForm {
        ScheduleForm {
            kind: kind.into(),
            cutoff_day: "15".into(),
            due_days: "3".into(),
            day: "20/08/2025".into(),
            label: String::new(),
            start: "01/08/2025".into(),
            end: "31/08/2025".into(),
            cutoff: "20/08/2025".into(),
            due: "25/08/2025".into(),
        }
    }

    fn sched(kind: PeriodKind) -> Schedule {
        Schedule {
            id: 0,
            plan_id: 1,
            kind,
            cutoff_day: 15,
            due_days: 3,
            created_at: Utc::now(),
        }
    }

    #[test]
    fn quarterly_form_opens_the_quarter_with_cutoff_on_the_15th_due_on_the_18th() {
        let w = window_of(
            &form("quarterly"),
            PeriodKind::Quarterly,
            &sched(PeriodKind::Quarterly),
        )
        .unwrap();
        assert_eq!(w.label, "quý III/2025");
        assert_eq!(w.cutoff, NaiveDate::from_ymd_opt(2025, 9, 15).unwrap());
        assert_eq!(w.due, NaiveDate::from_ymd_opt(2025, 9, 18).unwrap());
    }

    #[test]
    fn ad_hoc_form_takes_its_dates_and_refuses_a_cutoff_after_the_due_date() {
        let w = window_of(
            &form("ad_hoc"),
            PeriodKind::AdHoc,
            &sched(PeriodKind::AdHoc),
        )
        .unwrap();
        assert_eq!(w.label, "kỳ đột xuất");
        assert_eq!(w.due, NaiveDate::from_ymd_opt(2025, 8, 25).unwrap());
        let mut bad = form("ad_hoc");
        bad.due = "19/08/2025".into();
        assert!(matches!(
            window_of(&bad, PeriodKind::AdHoc, &sched(PeriodKind::AdHoc)),
            Err(WebError::BadRequest(_))
        ));
        bad.due = "31/02/2025".into();
        assert!(matches!(
            window_of(&bad, PeriodKind::AdHoc, &sched(PeriodKind::AdHoc)),
            Err(WebError::BadRequest(_))
        ));
    }

    #[test]
    fn schedules_read_in_vietnamese() {
        let s = sched(PeriodKind::Quarterly);
        assert_eq!(
            describe(&s),
            "Hằng quý; số liệu tính đến ngày 15 của tháng cuối kỳ; hạn nộp 3 ngày sau ngày chốt số liệu"
        );
    }
}
