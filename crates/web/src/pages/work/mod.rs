//! The assignment page ("Việc của tôi" leads here): the assignment with its timeline and the
//! forms of what the viewer may do on it. Each action has its module; every handler parses
//! the request, calls the use case in `tinhgon_app`, and answers with a redirect and a message.

pub mod comments;
pub mod contributions;
pub mod decisions;
pub mod evidence;
pub mod extensions;
pub mod obstacles;
pub mod plan_changes;
pub mod progress;
pub mod triggers;
pub mod urging;

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use tinhgon_app::{access, assignment};
use tinhgon_domain::ids::AssignmentId;
use tinhgon_domain::model::Id;
use tinhgon_domain::user::{
    can_contribute, can_give_opinion, can_monitor, can_write_assignment, Role,
};
use tinhgon_domain::workflow::{available_actions, Action};
use tinhgon_domain::Status;

use crate::auth::Viewer;
use crate::error::WebResult;
use crate::pages::render;
use crate::request::Path;
use crate::view::{class_badge, class_today, datetime, status_label, today, PageCtx};
use crate::AppState;
use tinhgon_domain::duty_periods::PeriodState;

/// One event of the timeline as the page shows it.
pub struct EventLine {
    /// When, for people.
    pub when: String,
    /// Who.
    pub who: String,
    /// What happened.
    pub title: String,
    /// Its text.
    pub text: String,
    /// Evidence files: (id, name).
    pub files: Vec<(Id, String)>,
    /// A pending extension request to decide.
    pub extension: Option<Id>,
    /// An open obstacle to answer.
    pub obstacle: Option<Id>,
    /// A referral waiting for the leaders' opinion.
    pub referral: Option<Id>,
}

impl From<assignment::Event> for EventLine {
    fn from(e: assignment::Event) -> Self {
        EventLine {
            when: datetime(e.at),
            who: e.who,
            title: e.title,
            text: e.text,
            files: e.files,
            extension: e.extension,
            obstacle: e.obstacle,
            referral: e.referral,
        }
    }
}

/// One period of a recurring or standing duty as the page shows it.
struct DutyLine {
    /// "Quý III/2025".
    label: String,
    /// Its first and last day.
    days: String,
    /// How it went, in words.
    state: &'static str,
    /// How it went, stable name.
    key: &'static str,
    /// The tag's style.
    tag: &'static str,
}

#[derive(Template)]
#[template(path = "assignment.html")]
struct AssignmentPage {
    ctx: PageCtx,
    id: Id,
    plan_id: Id,
    plan: String,
    task_id: Id,
    task_ref: String,
    content: String,
    unit: String,
    unit_id: Id,
    deadline: String,
    due: String,
    badge: String,
    status: &'static str,
    percent: String,
    events: Vec<EventLine>,
    officer: bool,
    monitor: bool,
    /// The viewer may give the opinion asked of the leaders (leader or monitor of the province).
    opinion: bool,
    contributor: bool,
    can_propose: bool,
    can_confirm: bool,
    waiting: bool,
    csrf: String,
    /// Key of this render's forms (each form adds its own suffix): a form sent twice (a second
    /// press while the first answer is slow, a reload) records once.
    submission: String,
    coordinating: Vec<String>,
    limit_mb: usize,
    /// The monitor may change the published plan here (the assignment is still open).
    can_change: bool,
    /// Units of the province to choose a new lead or coordinator from (monitors only).
    units: Vec<(Id, String)>,
    /// The task's coordinating units, to withdraw one.
    coordinators: Vec<(Id, String)>,
    /// The comments, when the viewer may read them.
    comments: Option<Vec<comments::CommentLine>>,
    /// The viewer may write a comment.
    can_comment: bool,
    /// A recurring or standing duty's latest periods, newest first.
    duty_periods: Vec<DutyLine>,
    /// What the periods are ("hằng quý").
    duty_basis: String,
    /// Progress rolled up from the plans implementing the task: (in words, how many plans).
    rollup: Option<(String, usize)>,
    /// The roll-up rule, stated beside it.
    rollup_rule: &'static str,
}

/// `GET /assignments/{assignment}`.
pub async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<Id>,
) -> WebResult<Response> {
    let l = access::readable_assignment(&state.db, viewer.account(), AssignmentId(id)).await?;
    let user = viewer.require()?.clone();
    let w = &l.head.work;
    let (events, coordinating) = assignment::timeline(&state.db, w).await?;
    let events = events.into_iter().map(EventLine::from).collect();
    let current = Status::parse(&w.status).unwrap_or(Status::NotStarted);
    let officer = can_write_assignment(&user, w.unit_id);
    let monitor = can_monitor(&user, &l.access());
    let coord_units: Vec<Id> = coordinating.iter().map(|(u, _)| *u).collect();
    let contributor = can_contribute(&user, &coord_units) && !officer;
    let acts_officer = available_actions(current, Role::AgencyOfficer);
    let acts_monitor = available_actions(current, Role::Monitor);
    let can_change =
        monitor && l.plan_state == tinhgon_domain::plan::PlanState::Published && current.is_open();
    let units = if can_change {
        tinhgon_store::web_queries::units_for_select(&state.db, l.head.plan_province_id)
            .await?
            .into_iter()
            .filter(|(u, _)| *u != w.unit_id && !coord_units.contains(u))
            .collect()
    } else {
        Vec::new()
    };
    let coordinators = if can_change {
        coordinating.clone()
    } else {
        Vec::new()
    };
    let (duty_basis, duty_periods) =
        match tinhgon_app::duties::periods_of(&state.db, w, today()).await? {
            Some((period, periods)) => (
                tinhgon_domain::duty_periods::every_vi(period).to_string(),
                periods
                    .iter()
                    .rev()
                    .map(|p| DutyLine {
                        label: tinhgon_domain::duty_periods::label_vi(period, p.start),
                        days: format!(
                            "{} – {}",
                            crate::view::date(p.start),
                            crate::view::date(p.end)
                        ),
                        state: p.state.label_vi(),
                        key: p.state.as_str(),
                        tag: match p.state {
                            PeriodState::OnTime => "ok",
                            PeriodState::Late => "warn",
                            PeriodState::Missed => "bad",
                            PeriodState::Open => "",
                        },
                    })
                    .collect(),
            ),
            None => (String::new(), Vec::new()),
        };
    let thread = tinhgon_app::comments::for_page(&state.db, &user, AssignmentId(id)).await?;
    let can_comment = thread.as_ref().is_some_and(|(_, post)| *post);
    let comments =
        thread.map(|(rows, _)| rows.into_iter().map(comments::CommentLine::from).collect());
    let rollup = crate::pages::cascade::task_rollup(&state, w.task_id).await?;
    render(&AssignmentPage {
        rollup,
        rollup_rule: crate::pages::cascade::RULE,
        ctx: PageCtx::new(
            &viewer,
            // An officer reaches its own work from "Việc của tôi"; everyone else from the plans.
            if officer { "inbox" } else { "plans" },
        ),
        id,
        plan_id: w.plan_id,
        plan: w.plan_number.clone().unwrap_or_default(),
        task_id: w.task_id,
        task_ref: w.task_ref.clone(),
        content: w.content.clone(),
        unit: l.head.unit_name.clone().unwrap_or_default(),
        unit_id: w.unit_id,
        deadline: w.deadline_text.clone(),
        due: crate::view::due_label(w),
        badge: class_badge(class_today(w, today())),
        status: status_label(&w.status),
        percent: match crate::view::percent_label(w) {
            p if p.is_empty() => "—".into(),
            p => p,
        },
        events,
        officer,
        monitor,
        opinion: can_give_opinion(&user, &l.access()),
        contributor,
        can_propose: officer
            && (acts_officer.contains(&Action::ProposeCompletion)
                || acts_officer.contains(&Action::Start)),
        can_confirm: monitor && acts_monitor.contains(&Action::Confirm),
        waiting: w.deadline_kind == "conditional" && w.triggered_on.is_none(),
        csrf: viewer.csrf.clone(),
        submission: crate::auth::random_token(),
        coordinating: coordinating.into_iter().map(|(_, n)| n).collect(),
        limit_mb: state
            .config
            .upload_limit(crate::config::BodyClass::Evidence)
            / (1024 * 1024),
        can_change,
        units,
        coordinators,
        comments,
        duty_periods,
        duty_basis,
        can_comment,
    })
}
