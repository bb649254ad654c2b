//! Agency work and monitoring on one assignment: the inbox ("Việc của tôi"), the assignment
//! page with its timeline, the officer's reports and requests, and the monitor's decisions.

use askama::Template;
use axum::extract::{Multipart, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, NaiveDate, Utc};
use serde::Deserialize;
use tinhgon_domain::model::Id;
use tinhgon_domain::plan::PlanState;
use tinhgon_domain::user::{
    can_contribute, can_monitor, can_read_assignment, can_write_assignment, PlanAccess, Role, User,
};
use tinhgon_domain::workflow::{available_actions, Action};
use tinhgon_domain::Status;
use tinhgon_store::assignment_view::{self, AssignmentHead};
use tinhgon_store::audit::AuditEntry;
use tinhgon_store::notifications::Notice;
use tinhgon_store::web_queries::{self as wq, RecordTable, WorkRow};
use tinhgon_store::{records, status};

use crate::auth::Viewer;
use crate::error::{WebError, WebResult};
use crate::extract::{Form, Path};
use crate::pages::plans::{load, LoadedPlan};
use crate::pages::{audit_entry, redirect_flash, render};
use crate::view::{
    class_badge, class_today, date, date_opt, datetime, parse_date, status_label, today, PageCtx,
};
use crate::{evidence, AppState};

/// An assignment with its plan, loaded for a rights decision.
pub struct Loaded {
    /// The row.
    pub work: WorkRow,
    /// Its plan.
    pub plan: LoadedPlan,
}

/// An assignment the viewer may read, with its plan's facts for the rights rules.
pub struct Readable {
    /// The assignment, its plan's facts and its unit's name.
    pub head: AssignmentHead,
    /// The plan's state.
    pub plan_state: PlanState,
    /// The viewer's unit when the plan concerns it (all `can_read_plan` asks of the list).
    concerned: Vec<Id>,
}

impl Readable {
    /// The rights view of the plan, as far as the viewer's unit is concerned.
    pub fn access(&self) -> PlanAccess<'_> {
        PlanAccess {
            province_id: self.head.plan_province_id,
            state: self.plan_state,
            public: self.head.plan_public,
            concerned_unit_ids: &self.concerned,
        }
    }
}

/// Loads an assignment the viewer may read (one statement; 404 otherwise, so existence does not leak).
pub async fn load_readable(state: &AppState, viewer: &Viewer, id: Id) -> WebResult<Readable> {
    let viewer_unit = viewer.account().and_then(|u| u.unit_id);
    let head = assignment_view::head(&state.db, id, viewer_unit)
        .await?
        .ok_or(WebError::NotFound)?;
    let plan_state = head.plan_state()?;
    let concerned = match viewer_unit {
        Some(u) if head.plan_concerns_unit => vec![u],
        _ => Vec::new(),
    };
    let r = Readable {
        head,
        plan_state,
        concerned,
    };
    if !can_read_assignment(viewer.account(), &r.access(), r.head.work.unit_id) {
        return Err(if viewer.user.is_none() {
            WebError::Unauthenticated
        } else {
            WebError::NotFound
        });
    }
    Ok(r)
}

/// Loads an assignment the user may write (its own unit's), 403 otherwise.
pub async fn load_own(state: &AppState, user: &User, id: Id) -> WebResult<WorkRow> {
    let work = wq::work_row(&state.db, id)
        .await?
        .ok_or(WebError::NotFound)?;
    if !can_write_assignment(user, work.unit_id) {
        return Err(WebError::Forbidden);
    }
    Ok(work)
}

async fn load_monitored(state: &AppState, user: &User, id: Id) -> WebResult<Loaded> {
    let work = wq::work_row(&state.db, id)
        .await?
        .ok_or(WebError::NotFound)?;
    let plan = load(state, work.plan_id).await?;
    if !can_monitor(user, &plan.access()) {
        return Err(WebError::Forbidden);
    }
    Ok(Loaded { work, plan })
}

/// The audit entry of the implicit start when a unit reports on, or proposes completion of,
/// work it had not started (the store fills in the statuses).
fn start_entry(user: &User, id: Id) -> AuditEntry {
    audit_entry(
        Some(user),
        "assignment.start",
        "assignment",
        Some(id),
        None,
        Some(serde_json::json!({ "note": null })),
    )
}

// ---------------------------------------------------------------- filters

/// An option of a filter select.
pub struct Choice {
    /// Value.
    pub value: String,
    /// Label.
    pub label: String,
    /// Currently chosen.
    pub selected: bool,
}

// ---------------------------------------------------------------- assignment page

/// One event of an assignment's timeline.
pub struct Event {
    /// When.
    pub at: DateTime<Utc>,
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
    events: Vec<Event>,
    officer: bool,
    monitor: bool,
    contributor: bool,
    can_propose: bool,
    can_confirm: bool,
    waiting: bool,
    csrf: String,
    coordinating: Vec<String>,
    limit_mb: usize,
}

/// The timeline of an assignment, newest first (status changes, re-routes, progress with
/// evidence, extensions and decisions, obstacles and answers, contributions), and the names of
/// the task's coordinating units. Shared by page and API.
pub async fn timeline(state: &AppState, w: &WorkRow) -> WebResult<(Vec<Event>, Vec<(Id, String)>)> {
    use assignment_view::RowKind;
    let rows = assignment_view::timeline(&state.db, w.id, w.task_id).await?;
    let who = |name: &Option<String>| name.clone().unwrap_or_else(|| "Hệ thống".into());
    let ev = |at: DateTime<Utc>, who: String, title: String, text: String| Event {
        at,
        when: datetime(at),
        who,
        title,
        text,
        files: Vec::new(),
        extension: None,
        obstacle: None,
    };
    let mut events = Vec::new();
    let mut coordinating = Vec::new();
    for r in &rows {
        let text = |t: &Option<String>| t.clone().unwrap_or_default();
        match (r.kind(), r.at) {
            (RowKind::Coordinator, _) => {
                if let (Some(u), Some(n)) = (r.n1, &r.t1) {
                    coordinating.push((u, n.clone()));
                }
            }
            (_, None) => {}
            (RowKind::Status, Some(at)) => {
                let to = r.t2.as_deref().unwrap_or_default();
                let title = match r.t1.as_deref().map(status_label) {
                    Some(f) => format!("Trạng thái: {f} → {}", status_label(to)),
                    None => format!("Giao nhiệm vụ ({})", status_label(to)),
                };
                events.push(ev(at, who(&r.actor), title, text(&r.t3)));
            }
            (RowKind::Reroute, Some(at)) => {
                let t = format!("Chuyển giao từ {} sang {}", text(&r.t1), text(&r.t2));
                events.push(ev(at, "Hệ thống".into(), t, String::new()));
            }
            (RowKind::Progress, Some(at)) => {
                let mut e = ev(
                    at,
                    who(&r.actor),
                    format!(
                        "Báo cáo tiến độ{}",
                        r.n1.map(|p| format!(" ({p}%)")).unwrap_or_default()
                    ),
                    text(&r.t1),
                );
                e.files = rows
                    .iter()
                    .filter(|f| f.kind() == RowKind::Evidence && f.n1 == Some(r.id))
                    .map(|f| (f.id, text(&f.t1)))
                    .collect();
                events.push(e);
            }
            (RowKind::Evidence, _) => {}
            (RowKind::Extension, Some(at)) => {
                let mut e = ev(
                    at,
                    who(&r.actor),
                    format!("Đề nghị gia hạn: {} → {}", date_opt(r.d1), date_opt(r.d2)),
                    text(&r.t1),
                );
                let st = r.t2.as_deref().unwrap_or_default();
                if st == "pending" {
                    e.extension = Some(r.id);
                }
                events.push(e);
                if let Some(dat) = r.at2 {
                    let verdict = if st == "approved" {
                        "Đồng ý gia hạn"
                    } else {
                        "Không đồng ý gia hạn"
                    };
                    events.push(ev(dat, who(&r.actor2), verdict.into(), text(&r.t3)));
                }
            }
            (RowKind::Obstacle, Some(at)) => {
                let mut e = ev(
                    at,
                    who(&r.actor),
                    "Vướng mắc, kiến nghị".into(),
                    text(&r.t1),
                );
                if r.t2.as_deref() == Some("open") {
                    e.obstacle = Some(r.id);
                }
                events.push(e);
                if let Some(aat) = r.at2 {
                    events.push(ev(
                        aat,
                        who(&r.actor2),
                        "Trả lời vướng mắc".into(),
                        text(&r.t3),
                    ));
                }
            }
            (RowKind::Contribution, Some(at)) => {
                events.push(ev(
                    at,
                    who(&r.actor),
                    format!("Ý kiến phối hợp của {}", text(&r.t1)),
                    text(&r.t3),
                ));
            }
        }
    }
    events.sort_by_key(|e| std::cmp::Reverse(e.at));
    Ok((events, coordinating))
}

/// `GET /assignments/{assignment}`.
pub async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<Id>,
) -> WebResult<Response> {
    let l = load_readable(&state, &viewer, id).await?;
    let user = viewer.require()?.clone();
    let w = &l.head.work;
    let (events, coordinating) = timeline(&state, w).await?;
    let current = Status::parse(&w.status).unwrap_or(Status::NotStarted);
    let officer = can_write_assignment(&user, w.unit_id);
    let monitor = can_monitor(&user, &l.access());
    let coord_units: Vec<Id> = coordinating.iter().map(|(u, _)| *u).collect();
    let contributor = can_contribute(&user, &coord_units) && !officer;
    let acts_officer = available_actions(current, Role::AgencyOfficer);
    let acts_monitor = available_actions(current, Role::Monitor);
    render(&AssignmentPage {
        ctx: PageCtx::new(
            &viewer,
            if user.role == Role::AgencyOfficer {
                "inbox"
            } else {
                "dashboard"
            },
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
        due: date_opt(w.due),
        badge: class_badge(class_today(w, today())),
        status: status_label(&w.status),
        percent: w
            .percent
            .map(|p| format!("{p}%"))
            .unwrap_or_else(|| "—".into()),
        events,
        officer,
        monitor,
        contributor,
        can_propose: officer
            && (acts_officer.contains(&Action::ProposeCompletion)
                || acts_officer.contains(&Action::Start)),
        can_confirm: monitor && acts_monitor.contains(&Action::Confirm),
        waiting: w.deadline_kind == "conditional" && w.triggered_on.is_none(),
        csrf: viewer.csrf.clone(),
        coordinating: coordinating.into_iter().map(|(_, n)| n).collect(),
        limit_mb: state.config.upload_limit / (1024 * 1024),
    })
}

// ---------------------------------------------------------------- officer actions

/// Moves the status through the domain's state machine (store checks it again in its
/// transaction). With `start_first`, work not started yet is started in the same transaction;
/// `notice` is sent in it too.
async fn change(
    state: &AppState,
    user: &User,
    w: &WorkRow,
    action: Action,
    note: Option<String>,
    start_first: bool,
    notice: Option<Notice>,
) -> WebResult<Status> {
    let expected = Status::parse(&w.status);
    // The store adds before.status and after.status, as its transaction saw and set them.
    let mut entry = audit_entry(
        Some(user),
        &format!("assignment.{}", action.as_str()),
        "assignment",
        Some(w.id),
        None,
        Some(serde_json::json!({"note": note})),
    );
    if let Some(n) = notice {
        entry = entry.with_notice(n);
    }
    let started = start_first.then(|| start_entry(user, w.id));
    let start = started.as_ref().map(|audit| status::StartFirst {
        role: user.role,
        audit,
    });
    let to = status::change_status_audited(
        &state.db,
        &status::ChangeRequest {
            assignment_id: w.id,
            action,
            role: user.role,
            actor: Some(user.id),
            note: note.clone(),
            at: Utc::now(),
            expected,
        },
        &entry,
        start,
    )
    .await?;
    Ok(to)
}

/// A progress report with its evidence files, already checked.
pub struct ProgressInput {
    /// Text.
    pub text: String,
    /// Percent.
    pub percent: Option<i64>,
    /// Files: (name, bytes).
    pub files: Vec<(String, Vec<u8>)>,
}

/// Stores a progress report (starting the work if not started): shared by page and API.
pub async fn report_progress(
    state: &AppState,
    user: &User,
    id: Id,
    input: ProgressInput,
) -> WebResult<Id> {
    // Rights only: whether the work has started is decided in the report's transaction.
    load_own(state, user, id).await?;
    if input.text.trim().is_empty() {
        return Err(WebError::BadRequest(
            "Vui lòng nhập nội dung báo cáo tiến độ.".into(),
        ));
    }
    if input.percent.is_some_and(|p| !(0..=100).contains(&p)) {
        return Err(WebError::BadRequest(
            "Tỷ lệ hoàn thành phải từ 0 đến 100.".into(),
        ));
    }
    let mut ev = Vec::new();
    for (name, bytes) in &input.files {
        let (media, _ext) = evidence::sniff(bytes, name).ok_or_else(|| {
            WebError::BadRequest(format!(
                "Tệp \"{}\" không đúng định dạng cho phép (PDF, DOCX, XLSX, JPG, PNG).",
                evidence::clean_name(name)
            ))
        })?;
        let hash = evidence::store(&state.config.data_dir, bytes).await?;
        ev.push(records::NewEvidence {
            file_name: evidence::clean_name(name),
            media_type: media.into(),
            size_bytes: bytes.len() as i64,
            sha256: hash.clone(),
            storage_key: hash,
        });
    }
    // Work not started yet is started in the report's transaction (the store checks the status
    // there): start, report, evidence rows and both audit rows commit together or not at all.
    let started = start_entry(user, id);
    // The store adds after.report, the new report's id.
    let entry = audit_entry(
        Some(user),
        "assignment.progress",
        "assignment",
        Some(id),
        None,
        Some(
            serde_json::json!({"percent": input.percent, "files": ev.iter().map(|e| &e.sha256).collect::<Vec<_>>()}),
        ),
    );
    let rid = records::add_progress_report_audited(
        &state.db,
        id,
        Some(user.id),
        input.percent,
        input.text.trim(),
        &ev,
        Utc::now(),
        &entry,
        Some(status::StartFirst {
            role: user.role,
            audit: &started,
        }),
    )
    .await?;
    Ok(rid)
}

/// `POST /assignments/{assignment}/progress` (multipart: text, percent, evidence files).
pub async fn progress(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<Id>,
    mut mp: Multipart,
) -> WebResult<Response> {
    let user = viewer.require()?.clone();
    // Rights first: a refused caller's files are never read or stored.
    load_own(&state, &user, id).await?;
    let mut input = ProgressInput {
        text: String::new(),
        percent: None,
        files: Vec::new(),
    };
    while let Some(field) = mp.next_field().await? {
        match field.name().unwrap_or("") {
            "text" => input.text = field.text().await?,
            "percent" => {
                let t = field.text().await?;
                if !t.trim().is_empty() {
                    input.percent = Some(t.trim().parse().map_err(|_| {
                        WebError::BadRequest("Tỷ lệ hoàn thành phải là số từ 0 đến 100.".into())
                    })?);
                }
            }
            "evidence" => {
                let name = field.file_name().unwrap_or("minh-chung").to_string();
                let bytes = field.bytes().await?;
                if !bytes.is_empty() {
                    input.files.push((name, bytes.to_vec()));
                }
            }
            _ => {}
        }
    }
    report_progress(&state, &user, id, input).await?;
    Ok(redirect_flash(
        &state,
        &format!("/assignments/{id}"),
        "ok",
        "Đã gửi báo cáo tiến độ.",
    ))
}

/// A note field.
#[derive(Deserialize)]
pub struct NoteForm {
    #[serde(default)]
    note: String,
}

/// The unit proposes completion (starting the work first if needed): shared by page and API.
pub async fn propose_completion(
    state: &AppState,
    user: &User,
    id: Id,
    note: &str,
) -> WebResult<Status> {
    let w = load_own(state, user, id).await?;
    let notice = Notice::to_plan_monitors(
        w.plan_id,
        "assignment",
        format!(
            "Đơn vị đề nghị xác nhận hoàn thành: {} {}",
            w.plan_number.clone().unwrap_or_default(),
            w.task_ref
        ),
        format!("/assignments/{id}"),
    );
    // Start (when not started), proposal, notice to the monitors and audit rows: one transaction.
    let to = change(
        state,
        user,
        &w,
        Action::ProposeCompletion,
        Some(note.to_string()).filter(|n| !n.trim().is_empty()),
        true,
        Some(notice),
    )
    .await?;
    Ok(to)
}

/// `POST /assignments/{assignment}/propose`: the unit proposes completion.
pub async fn propose(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<Id>,
    Form(f): Form<NoteForm>,
) -> WebResult<Response> {
    let user = viewer.require()?.clone();
    propose_completion(&state, &user, id, &f.note).await?;
    Ok(redirect_flash(
        &state,
        &format!("/assignments/{id}"),
        "ok",
        "Đã gửi đề nghị xác nhận hoàn thành tới cơ quan theo dõi.",
    ))
}

/// Fields of an extension request.
#[derive(Deserialize)]
pub struct ExtensionForm {
    new_due: String,
    reason: String,
}

/// Files an extension request (new due date typed dd/mm/yyyy or ISO): shared by page and API.
pub async fn file_extension(
    state: &AppState,
    user: &User,
    id: Id,
    new_due: &str,
    reason: &str,
) -> WebResult<Id> {
    let w = load_own(state, user, id).await?;
    let new_due: NaiveDate = parse_date(new_due)
        .ok_or_else(|| WebError::BadRequest("Hạn mới không hợp lệ (dd/mm/yyyy).".into()))?;
    if reason.trim().is_empty() {
        return Err(WebError::BadRequest(
            "Vui lòng nêu lý do đề nghị gia hạn.".into(),
        ));
    }
    if w.due.is_some_and(|d| new_due <= d) {
        return Err(WebError::BadRequest(
            "Hạn mới phải sau hạn hiện tại.".into(),
        ));
    }
    // The store adds after.request, the new request's id, and sends the notice in the same
    // transaction.
    let entry = audit_entry(
        Some(user),
        "extension.request",
        "assignment",
        Some(id),
        None,
        Some(serde_json::json!({"new_due": new_due})),
    )
    .with_notice(Notice::to_plan_monitors(
        w.plan_id,
        "assignment",
        format!(
            "Đề nghị gia hạn {} {} đến {}",
            w.plan_number.clone().unwrap_or_default(),
            w.task_ref,
            date(new_due)
        ),
        format!("/assignments/{id}"),
    ));
    let eid = records::request_extension_audited(
        &state.db,
        id,
        Some(user.id),
        new_due,
        reason.trim(),
        Utc::now(),
        &entry,
    )
    .await?;
    Ok(eid)
}

/// `POST /assignments/{assignment}/extension`.
pub async fn request_extension(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<Id>,
    Form(f): Form<ExtensionForm>,
) -> WebResult<Response> {
    let user = viewer.require()?.clone();
    file_extension(&state, &user, id, &f.new_due, &f.reason).await?;
    Ok(redirect_flash(
        &state,
        &format!("/assignments/{id}"),
        "ok",
        "Đã gửi đề nghị gia hạn.",
    ))
}

/// Field of an obstacle.
#[derive(Deserialize)]
pub struct TextForm {
    text: String,
}

/// Raises an obstacle to the monitor: shared by page and API.
pub async fn file_obstacle(state: &AppState, user: &User, id: Id, text: &str) -> WebResult<Id> {
    let w = load_own(state, user, id).await?;
    if text.trim().is_empty() {
        return Err(WebError::BadRequest(
            "Vui lòng nêu nội dung vướng mắc.".into(),
        ));
    }
    // The store adds after.obstacle, the new obstacle's id, and sends the notice in the same
    // transaction.
    let entry = audit_entry(
        Some(user),
        "obstacle.raise",
        "assignment",
        Some(id),
        None,
        None,
    )
    .with_notice(Notice::to_plan_monitors(
        w.plan_id,
        "assignment",
        format!(
            "Vướng mắc mới: {} {}",
            w.plan_number.clone().unwrap_or_default(),
            w.task_ref
        ),
        format!("/assignments/{id}"),
    ));
    let oid = records::raise_obstacle_audited(
        &state.db,
        id,
        Some(user.id),
        text.trim(),
        Utc::now(),
        &entry,
    )
    .await?;
    Ok(oid)
}

/// `POST /assignments/{assignment}/obstacle`.
pub async fn raise_obstacle(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<Id>,
    Form(f): Form<TextForm>,
) -> WebResult<Response> {
    let user = viewer.require()?.clone();
    file_obstacle(&state, &user, id, &f.text).await?;
    Ok(redirect_flash(
        &state,
        &format!("/assignments/{id}"),
        "ok",
        "Đã gửi vướng mắc tới cơ quan theo dõi.",
    ))
}

/// A coordinating unit's contribution to a task: shared by page and API.
pub async fn file_contribution(
    state: &AppState,
    user: &User,
    task: Id,
    text: &str,
) -> WebResult<Id> {
    let coords = wq::task_coordinator_units(&state.db, task).await?;
    if !can_contribute(user, &coords) {
        return Err(WebError::Forbidden);
    }
    if text.trim().is_empty() {
        return Err(WebError::BadRequest(
            "Vui lòng nhập nội dung phối hợp.".into(),
        ));
    }
    let unit = user.unit_id.ok_or(WebError::Forbidden)?;
    // The store adds after.contribution, the new contribution's id.
    let entry = audit_entry(
        Some(user),
        "task.contribution",
        "task",
        Some(task),
        None,
        None,
    );
    let cid = records::add_contribution_audited(
        &state.db,
        task,
        unit,
        Some(user.id),
        text.trim(),
        Utc::now(),
        &entry,
    )
    .await?;
    Ok(cid)
}

/// `POST /tasks/{task}/contributions`: a coordinating unit adds its contribution.
pub async fn contribute(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(task): Path<Id>,
    Form(f): Form<TextForm>,
) -> WebResult<Response> {
    let user = viewer.require()?.clone();
    file_contribution(&state, &user, task, &f.text).await?;
    Ok(redirect_flash(
        &state,
        "/inbox",
        "ok",
        "Đã ghi nhận ý kiến phối hợp.",
    ))
}

// ---------------------------------------------------------------- monitor actions

/// Confirm or return.
#[derive(Deserialize)]
pub struct DecideForm {
    op: String,
    #[serde(default)]
    note: String,
}

/// The monitor confirms (`confirm`), returns (`return`, with a reason) or cancels (`cancel`) an
/// assignment: shared by page and API. Returns the new status and the message for the user.
pub async fn decide_assignment(
    state: &AppState,
    user: &User,
    id: Id,
    op: &str,
    note: &str,
) -> WebResult<(Status, &'static str)> {
    let l = load_monitored(state, user, id).await?;
    let (action, msg, text) = match op {
        "confirm" => (
            Action::Confirm,
            "Đã xác nhận hoàn thành.",
            "Cơ quan theo dõi đã xác nhận hoàn thành",
        ),
        "return" => (
            Action::Return,
            "Đã trả lại để đơn vị tiếp tục thực hiện.",
            "Cơ quan theo dõi đã trả lại đề nghị hoàn thành",
        ),
        "cancel" => (Action::Cancel, "Đã hủy phân công.", "Phân công đã bị hủy"),
        _ => return Err(WebError::BadRequest("Thao tác không hợp lệ.".into())),
    };
    if action == Action::Return && note.trim().is_empty() {
        return Err(WebError::BadRequest(
            "Khi trả lại, vui lòng ghi rõ lý do.".into(),
        ));
    }
    let notice = Notice::to_unit(
        l.work.unit_id,
        "decision",
        format!(
            "{text}: {} {}",
            l.work.plan_number.clone().unwrap_or_default(),
            l.work.task_ref
        ),
        format!("/assignments/{id}"),
    );
    let to = change(
        state,
        user,
        &l.work,
        action,
        Some(note.to_string()).filter(|n| !n.trim().is_empty()),
        false,
        Some(notice),
    )
    .await?;
    Ok((to, msg))
}

/// `POST /assignments/{assignment}/decide`: the monitor confirms or returns a proposed completion.
pub async fn decide(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<Id>,
    Form(f): Form<DecideForm>,
) -> WebResult<Response> {
    let user = viewer.require()?.clone();
    let (_, msg) = decide_assignment(&state, &user, id, &f.op, &f.note).await?;
    Ok(redirect_flash(
        &state,
        &format!("/assignments/{id}"),
        "ok",
        msg,
    ))
}

/// Approve or refuse an extension.
#[derive(Deserialize)]
pub struct ExtensionDecision {
    approve: String,
    #[serde(default)]
    note: String,
}

/// The monitor approves or refuses an extension request: shared by page and API. Returns the
/// assignment the request belongs to.
pub async fn settle_extension(
    state: &AppState,
    user: &User,
    eid: Id,
    approve: bool,
    note: &str,
) -> WebResult<Id> {
    let aid = wq::owner_assignment(&state.db, RecordTable::Extension, eid)
        .await?
        .ok_or(WebError::NotFound)?;
    let l = load_monitored(state, user, aid).await?;
    let note = Some(note.trim()).filter(|n| !n.is_empty());
    // The store adds before.due and after.due, as its transaction saw and set them.
    let entry = audit_entry(
        Some(user),
        if approve {
            "extension.approve"
        } else {
            "extension.refuse"
        },
        "assignment",
        Some(aid),
        None,
        Some(serde_json::json!({"request": eid, "approved": approve})),
    )
    .with_notice(Notice::to_unit(
        l.work.unit_id,
        "extension",
        format!(
            "{} đề nghị gia hạn {} {}",
            if approve {
                "Đã đồng ý"
            } else {
                "Không đồng ý"
            },
            l.work.plan_number.clone().unwrap_or_default(),
            l.work.task_ref
        ),
        format!("/assignments/{aid}"),
    ));
    records::decide_extension_audited(
        &state.db,
        eid,
        approve,
        Some(user.id),
        note,
        Utc::now(),
        &entry,
    )
    .await?;
    Ok(aid)
}

/// `POST /extensions/{extension}/decide`.
pub async fn decide_extension(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(eid): Path<Id>,
    Form(f): Form<ExtensionDecision>,
) -> WebResult<Response> {
    let user = viewer.require()?.clone();
    let approve = f.approve == "1";
    let aid = settle_extension(&state, &user, eid, approve, &f.note).await?;
    Ok(redirect_flash(
        &state,
        &format!("/assignments/{aid}"),
        "ok",
        if approve {
            "Đã đồng ý gia hạn."
        } else {
            "Đã từ chối gia hạn."
        },
    ))
}

/// The monitor answers an obstacle: shared by page and API. Returns its assignment.
pub async fn settle_obstacle(state: &AppState, user: &User, oid: Id, text: &str) -> WebResult<Id> {
    let aid = wq::owner_assignment(&state.db, RecordTable::Obstacle, oid)
        .await?
        .ok_or(WebError::NotFound)?;
    let l = load_monitored(state, user, aid).await?;
    if text.trim().is_empty() {
        return Err(WebError::BadRequest(
            "Vui lòng nhập nội dung trả lời.".into(),
        ));
    }
    let entry = audit_entry(
        Some(user),
        "obstacle.answer",
        "assignment",
        Some(aid),
        None,
        Some(serde_json::json!({"obstacle": oid})),
    )
    .with_notice(Notice::to_unit(
        l.work.unit_id,
        "obstacle",
        format!(
            "Vướng mắc về {} {} đã được trả lời",
            l.work.plan_number.clone().unwrap_or_default(),
            l.work.task_ref
        ),
        format!("/assignments/{aid}"),
    ));
    records::answer_obstacle_audited(
        &state.db,
        oid,
        Some(user.id),
        text.trim(),
        Utc::now(),
        &entry,
    )
    .await?;
    Ok(aid)
}

/// `POST /obstacles/{obstacle}/answer`.
pub async fn answer_obstacle(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(oid): Path<Id>,
    Form(f): Form<TextForm>,
) -> WebResult<Response> {
    let user = viewer.require()?.clone();
    let aid = settle_obstacle(&state, &user, oid, &f.text).await?;
    Ok(redirect_flash(
        &state,
        &format!("/assignments/{aid}"),
        "ok",
        "Đã trả lời vướng mắc.",
    ))
}

/// Day the condition happened.
#[derive(Deserialize)]
pub struct TriggerForm {
    #[serde(default)]
    on: String,
}

/// Marks a conditional task's event as happened on `on` (empty: today): shared by page and
/// API. Returns the task's plan and the day.
pub async fn mark_triggered(
    state: &AppState,
    user: &User,
    task: Id,
    on: &str,
) -> WebResult<(Id, NaiveDate)> {
    let (plan_id, _) = wq::task_plan(&state.db, task)
        .await?
        .ok_or(WebError::NotFound)?;
    let p = load(state, plan_id).await?;
    if !can_monitor(user, &p.access()) {
        return Err(WebError::Forbidden);
    }
    let on = if on.trim().is_empty() {
        today()
    } else {
        parse_date(on)
            .ok_or_else(|| WebError::BadRequest("Ngày không hợp lệ (dd/mm/yyyy).".into()))?
    };
    // The store adds after.on and after.due (the due date it set).
    let entry = audit_entry(Some(user), "task.trigger", "task", Some(task), None, None);
    status::trigger_condition_audited(&state.db, task, on, Utc::now(), &entry).await?;
    Ok((plan_id, on))
}

/// `POST /tasks/{task}/trigger`: a conditional task's event happened; its deadline starts.
pub async fn trigger(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(task): Path<Id>,
    Form(f): Form<TriggerForm>,
) -> WebResult<Response> {
    let user = viewer.require()?.clone();
    let (plan_id, on) = mark_triggered(&state, &user, task, &f.on).await?;
    Ok(redirect_flash(
        &state,
        &format!("/plans/{plan_id}"),
        "ok",
        &format!(
            "Đã ghi nhận điều kiện xảy ra ngày {}; thời hạn bắt đầu tính.",
            date(on)
        ),
    ))
}

/// Creates the urging notice for a unit's overdue assignments: a reminder per assignment
/// (once a day) and a notification to each of the unit's accounts. Returns how many.
pub async fn urge_unit(state: &AppState, user: &User, unit: Id) -> WebResult<usize> {
    let now = Utc::now();
    let day = today();
    let overdue = status::overdue_list(&state.db, status::Scope::Unit(unit), day, now).await?;
    if overdue.is_empty() {
        return Err(WebError::Conflict(
            "Đơn vị không có nhiệm vụ quá hạn để đôn đốc.".into(),
        ));
    }
    let list: Vec<String> = overdue
        .iter()
        .map(|a| {
            format!(
                "{} {} (hạn {})",
                a.plan_number.clone().unwrap_or_default(),
                a.task_ref,
                date_opt(a.due)
            )
        })
        .collect();
    let message = format!(
        "Đôn đốc thực hiện {} nhiệm vụ quá hạn: {}",
        overdue.len(),
        list.join("; ")
    );
    let ids: Vec<Id> = overdue.iter().map(|a| a.id).collect();
    let entry = audit_entry(
        Some(user),
        "unit.urge",
        "unit",
        Some(unit),
        None,
        Some(serde_json::json!({"assignments": ids})),
    );
    // Reminders, notifications (and their e-mails) and the audit row in one transaction.
    tinhgon_store::reminders::urge(
        &state.db,
        unit,
        &ids,
        &message,
        "/inbox?class=overdue",
        &entry,
        day,
        now,
    )
    .await?;
    Ok(overdue.len())
}

/// Urges a unit of the viewer's province (monitors only): shared by page and API.
pub async fn urge_in_province(state: &AppState, viewer: &Viewer, unit: Id) -> WebResult<usize> {
    let user = viewer.require()?.clone();
    if !user.role.monitors() {
        return Err(WebError::Forbidden);
    }
    let province = crate::pages::dashboard::viewer_province(state, viewer).await?;
    if !wq::unit_names(&state.db, province)
        .await?
        .contains_key(&unit)
    {
        return Err(WebError::NotFound);
    }
    urge_unit(state, &user, unit).await
}

/// `POST /units/{unit}/urge`.
pub async fn urge(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(unit): Path<Id>,
) -> WebResult<Response> {
    let n = urge_in_province(&state, &viewer, unit).await?;
    Ok(redirect_flash(
        &state,
        "/dashboard",
        "ok",
        &format!("Đã gửi thông báo đôn đốc {n} nhiệm vụ quá hạn."),
    ))
}

// ---------------------------------------------------------------- evidence

/// `GET /evidence/{evidence}`: the file, by database id only; readers of the assignment only.
pub async fn download(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(eid): Path<Id>,
) -> WebResult<Response> {
    let (name, media, _sha, key, aid) = wq::evidence_file(&state.db, eid)
        .await?
        .ok_or(WebError::NotFound)?;
    load_readable(&state, &viewer, aid).await?;
    let path = evidence::path_for(&state.config.data_dir, &key)?;
    let bytes = tokio::fs::read(&path)
        .await
        .map_err(|_| WebError::NotFound)?;
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let disp = format!("attachment; filename=\"{ascii}\"");
    Ok((
        [
            (header::CONTENT_TYPE, media),
            (header::CONTENT_DISPOSITION, disp),
            (header::CACHE_CONTROL, "private, no-store".to_string()),
        ],
        bytes,
    )
        .into_response())
}
