//! Agency work: the inbox, an assignment with its timeline, and the officer's reports and
//! requests; contributions of coordinating units.

use axum::extract::State;
use axum::http::HeaderMap;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use tinhgon_app::extensions::{self, ExtensionForm};
use tinhgon_app::progress::{self, ProgressForm};
use tinhgon_app::{access, assignment, contributions, inbox, obstacles};
use tinhgon_domain::class::StatusClass;
use tinhgon_domain::ids::{AssignmentId, TaskId, UnitId};
use tinhgon_domain::model::Id;
use tinhgon_domain::user::{can_monitor, can_write_assignment};
use tinhgon_domain::workflow::available_actions;
use tinhgon_domain::Status;
use tinhgon_store::inbox as inbox_store;
use tinhgon_store::web_queries as wq;
use utoipa::{IntoParams, ToSchema};

use crate::api::request::{field_text, ApiJson, ApiPath, ApiQuery, JsonOrMultipart};
use crate::api::{Answer, BadRequest, Conflict, Done, Forbidden, NotFound, TooLarge, Unauthorized};
use crate::auth::Viewer;
use crate::error::WebError;
use crate::view::{class_today, today};
use crate::AppState;

/// Inbox filters and paging.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct InboxParams {
    /// Status class: `done_on_time`, `done_late`, `in_progress`, `overdue`, `not_due`, `waiting_for_condition`, `standing`.
    pub class: Option<String>,
    /// Due on or before this day (`yyyy-mm-dd` or `dd/mm/yyyy`).
    pub due_before: Option<String>,
    /// Plan id.
    pub plan: Option<String>,
    /// Page, from 1 (default 1).
    #[param(minimum = 1)]
    pub page: Option<u32>,
    /// Items per page (1–200, default 50).
    #[param(minimum = 1, maximum = 200)]
    pub per_page: Option<u32>,
}

/// A count of one status class.
#[derive(Serialize, ToSchema)]
pub struct ClassCount {
    /// Stable name.
    pub class: String,
    /// Vietnamese label.
    pub label: String,
    /// The government's colour.
    pub color: String,
    /// Count.
    pub n: u64,
}

/// Counts of every class, in the government's order.
pub fn class_counts(get: impl Fn(StatusClass) -> u64) -> Vec<ClassCount> {
    StatusClass::ALL
        .iter()
        .map(|c| ClassCount {
            class: c.as_str().into(),
            label: c.label_vi().into(),
            color: c.color().into(),
            n: get(*c),
        })
        .collect()
}

/// An assignment in a list.
#[derive(Serialize, ToSchema)]
pub struct WorkItem {
    /// Assignment.
    pub id: i64,
    /// Plan.
    pub plan_id: i64,
    /// Plan number.
    pub plan_number: Option<String>,
    /// Task.
    pub task_id: i64,
    /// Task reference.
    pub task_ref: String,
    /// Task content.
    pub content: String,
    /// Responsible unit.
    pub unit_id: i64,
    /// Deadline as written.
    pub deadline: String,
    /// Due date in force.
    pub due: Option<NaiveDate>,
    /// Workflow status (stable name).
    pub status: String,
    /// Status class today.
    pub class: Option<String>,
    /// Latest reported percentage.
    pub percent: Option<i64>,
}

impl WorkItem {
    /// The item of a work row with its class.
    pub fn from_row(w: &wq::WorkRow, class: Option<StatusClass>) -> WorkItem {
        WorkItem {
            id: w.id,
            plan_id: w.plan_id,
            plan_number: w.plan_number.clone(),
            task_id: w.task_id,
            task_ref: w.task_ref.clone(),
            content: w.content.clone(),
            unit_id: w.unit_id,
            deadline: w.deadline_text.clone(),
            due: w.due,
            status: w.status.clone(),
            class: class.map(|c| c.as_str().to_string()),
            percent: w.percent,
        }
    }
}

/// A task the unit coordinates.
#[derive(Serialize, ToSchema)]
pub struct CoordinatedTask {
    /// Task.
    pub task_id: i64,
    /// Plan.
    pub plan_id: i64,
    /// Plan number.
    pub plan_number: Option<String>,
    /// Task reference.
    pub task_ref: String,
    /// Content.
    pub content: String,
    /// Deadline as written.
    pub deadline: String,
}

/// "Việc của tôi".
#[derive(Serialize, ToSchema)]
pub struct Inbox {
    /// The officer's unit.
    pub unit_id: i64,
    /// Counts by class today within the plan and due filters (the class filter aside): each is
    /// the `total` that choosing the class gives.
    pub counts: Vec<ClassCount>,
    /// Assignments kept by all the filters (every page).
    pub total: u64,
    /// Page, from 1.
    pub page: u32,
    /// Items per page.
    pub per_page: u32,
    /// Number of pages (at least 1).
    pub pages: u64,
    /// This page's assignments, by due date (undated last), then id.
    pub items: Vec<WorkItem>,
    /// The first 100 tasks the unit coordinates (contributions go to `/api/tasks/{task}/contributions`).
    pub coordinated: Vec<CoordinatedTask>,
    /// How many tasks the unit coordinates in all.
    pub coordinated_total: u64,
}

/// Coordinated tasks listed with the inbox.
const COORDINATED_LISTED: u32 = 100;

/// `GET /api/inbox`: the officer's own assignments, one page at a time.
#[utoipa::path(get, path = "/api/inbox", tag = "work", params(InboxParams),
    responses((status = 200, body = Inbox), BadRequest, Unauthorized, Forbidden))]
pub async fn inbox(
    State(state): State<AppState>,
    viewer: Viewer,
    ApiQuery(q): ApiQuery<InboxParams>,
) -> Answer<Inbox> {
    let user = viewer.require()?.clone();
    let unit = user.unit_id.ok_or(WebError::Forbidden)?;
    let per_page = q.per_page.unwrap_or(inbox_store::DEFAULT_PER_PAGE);
    if !(1..=inbox_store::MAX_PER_PAGE).contains(&per_page) {
        return Err(WebError::BadRequest("per_page phải từ 1 đến 200.".into()).into());
    }
    let page_no = q.page.unwrap_or(1);
    if page_no == 0 {
        return Err(WebError::BadRequest("page phải từ 1 trở lên.".into()).into());
    }
    let filter = inbox::parse_filter(&q.class, &q.due_before, &q.plan)?;
    let paging = inbox_store::Paging {
        page: page_no,
        per_page,
    };
    let d = inbox::page(&state.db, UnitId(unit), today(), &filter, paging).await?;
    let items = d
        .lines
        .iter()
        .map(|l| WorkItem::from_row(&l.work, Some(l.class)))
        .collect();
    let (coordinated, coordinated_total) = inbox_store::coordinated_page(
        &state.db,
        unit,
        inbox_store::Paging {
            page: 1,
            per_page: COORDINATED_LISTED,
        },
    )
    .await?;
    let coordinated = coordinated
        .into_iter()
        .map(|c| CoordinatedTask {
            task_id: c.task_id,
            plan_id: c.plan_id,
            plan_number: c.plan_number,
            task_ref: c.task_ref,
            content: c.content,
            deadline: c.deadline_text,
        })
        .collect();
    Ok(axum::Json(Inbox {
        unit_id: unit,
        counts: class_counts(|c| d.counts.get(&c).copied().unwrap_or(0)),
        total: d.total,
        page: page_no,
        per_page,
        pages: d.total.div_ceil(u64::from(per_page)).max(1),
        items,
        coordinated,
        coordinated_total,
    }))
}

/// An evidence file.
#[derive(Serialize, ToSchema)]
pub struct FileRef {
    /// Identifier.
    pub id: i64,
    /// File name.
    pub name: String,
    /// Download address.
    pub url: String,
}

/// One event of the timeline.
#[derive(Serialize, ToSchema)]
pub struct TimelineEvent {
    /// When.
    pub at: DateTime<Utc>,
    /// Who.
    pub who: String,
    /// What happened.
    pub title: String,
    /// Text.
    pub text: String,
    /// Evidence files.
    pub files: Vec<FileRef>,
    /// Pending extension request (decide at `/api/extensions/{extension}/decide`).
    pub extension_id: Option<i64>,
    /// Open obstacle (answer at `/api/obstacles/{obstacle}/answer`).
    pub obstacle_id: Option<i64>,
}

/// An assignment with its timeline.
#[derive(Serialize, ToSchema)]
pub struct AssignmentView {
    /// The assignment.
    #[serde(flatten)]
    pub item: WorkItem,
    /// Unit name.
    pub unit: String,
    /// Deadline kind.
    pub deadline_kind: String,
    /// When a conditional task's event happened.
    pub triggered_on: Option<NaiveDate>,
    /// Coordinating units.
    pub coordinating: Vec<String>,
    /// Workflow actions the caller may take now (`start`, `propose_completion`, `confirm`, `return`, `cancel`).
    pub actions: Vec<String>,
    /// Events, newest first.
    pub timeline: Vec<TimelineEvent>,
}

/// `GET /api/assignments/{assignment}`.
#[utoipa::path(get, path = "/api/assignments/{assignment}", tag = "work",
    params(("assignment" = i64, Path, description = "Phân công")),
    responses((status = 200, body = AssignmentView), Unauthorized, NotFound))]
pub async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    ApiPath(id): ApiPath<Id>,
) -> Answer<AssignmentView> {
    let l = access::readable_assignment(&state.db, viewer.account(), AssignmentId(id)).await?;
    let user = viewer.require()?.clone();
    let w = &l.head.work;
    let (events, coordinating) = assignment::timeline(&state.db, w).await?;
    let timeline = events
        .into_iter()
        .map(|e| TimelineEvent {
            at: e.at,
            who: e.who,
            title: e.title,
            text: e.text,
            files: e
                .files
                .into_iter()
                .map(|(fid, name)| FileRef {
                    id: fid,
                    name,
                    url: format!("/evidence/{fid}"),
                })
                .collect(),
            extension_id: e.extension,
            obstacle_id: e.obstacle,
        })
        .collect();
    let current = Status::parse(&w.status).unwrap_or(Status::NotStarted);
    // Leaders and other units read the assignment but act on nothing.
    let actions = if can_write_assignment(&user, w.unit_id) || can_monitor(&user, &l.access()) {
        available_actions(current, user.role)
    } else {
        Vec::new()
    };
    Ok(axum::Json(AssignmentView {
        item: WorkItem::from_row(w, class_today(w, today())),
        unit: l.head.unit_name.clone().unwrap_or_default(),
        deadline_kind: w.deadline_kind.clone(),
        triggered_on: w.triggered_on,
        coordinating: coordinating.into_iter().map(|(_, n)| n).collect(),
        actions: actions.iter().map(|a| a.as_str().to_string()).collect(),
        timeline,
    }))
}

/// A progress report.
#[derive(Deserialize, ToSchema)]
pub struct ProgressBody {
    /// What was done.
    pub text: String,
    /// Completion percentage (0–100).
    #[serde(default)]
    pub percent: Option<i64>,
}

/// A progress report with evidence files (multipart).
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct ProgressUpload {
    /// What was done.
    pub text: String,
    /// Completion percentage (0–100).
    pub percent: Option<i64>,
    /// Evidence files (PDF, DOCX, XLSX, JPG, PNG), the field may repeat.
    #[schema(value_type = Vec<String>, format = Binary)]
    pub evidence: Vec<Vec<u8>>,
}

/// `POST /api/assignments/{assignment}/progress`: JSON, or multipart with evidence files.
#[utoipa::path(post, path = "/api/assignments/{assignment}/progress", tag = "work",
    request_body(content(
        (ProgressBody = "application/json"),
        (ProgressUpload = "multipart/form-data")
    )),
    params(("assignment" = i64, Path, description = "Phân công"), ("Idempotency-Key" = Option<String>, Header, description = "Mã chống gửi trùng do bên gọi chọn (8–128 ký tự ASCII, ví dụ một UUID), riêng cho mỗi lần gửi: gửi lại cùng mã (vì lần đầu trả lời chậm) không ghi thêm bản ghi nào và nhận lại kết quả của lần đầu (cùng `id`); cùng mã cho một yêu cầu khác bị từ chối (409).")),
    responses((status = 200, body = Done), BadRequest, Unauthorized, Forbidden, NotFound, Conflict, TooLarge))]
pub async fn progress(
    State(state): State<AppState>,
    viewer: Viewer,
    ApiPath(id): ApiPath<AssignmentId>,
    headers: HeaderMap,
    body: JsonOrMultipart<ProgressBody>,
) -> Answer<Done> {
    let user = viewer.require()?.clone();
    // Rights first: a refused caller's files are never read or stored.
    access::own_assignment(&state.db, &user, id).await?;
    let form = match body {
        JsonOrMultipart::Json(b) => ProgressForm {
            text: b.text,
            percent: b.percent,
            ..ProgressForm::default()
        },
        JsonOrMultipart::Multipart(mut mp) => {
            let mut form = ProgressForm::default();
            while let Some(field) = mp.next_field().await.map_err(WebError::from)? {
                match field.name().unwrap_or("") {
                    "text" => form.text = field_text(field).await?,
                    "percent" => form.percent = progress::parse_percent(&field_text(field).await?)?,
                    "evidence" => {
                        let name = field.file_name().unwrap_or("minh-chung").replace('\0', "");
                        let bytes = field.bytes().await.map_err(WebError::from)?;
                        if !bytes.is_empty() {
                            form.files.push((name, bytes.to_vec()));
                        }
                    }
                    _ => {}
                }
            }
            form
        }
    };
    let form = ProgressForm {
        submission_key: idempotency_key(&headers)?,
        ..form
    };
    let rid = progress::report_progress(&state.db, &state.config.data_dir, &user, id, form).await?;
    Ok(axum::Json(Done::with_id("Đã gửi báo cáo tiến độ.", rid)))
}

/// An optional note.
#[derive(Deserialize, ToSchema)]
pub struct NoteBody {
    /// Note.
    #[serde(default)]
    pub note: String,
}

/// `POST /api/assignments/{assignment}/propose`: the unit proposes completion.
#[utoipa::path(post, path = "/api/assignments/{assignment}/propose", tag = "work", request_body = NoteBody,
    params(("assignment" = i64, Path, description = "Phân công")),
    responses((status = 200, body = Done), BadRequest, Unauthorized, Forbidden, NotFound, Conflict))]
pub async fn propose(
    State(state): State<AppState>,
    viewer: Viewer,
    ApiPath(id): ApiPath<AssignmentId>,
    ApiJson(b): ApiJson<NoteBody>,
) -> Answer<Done> {
    let user = viewer.require()?.clone();
    let to = progress::propose_completion(&state.db, &user, id, &b.note).await?;
    Ok(axum::Json(Done {
        status: Some(to.as_str().into()),
        ..Done::with_id(
            "Đã gửi đề nghị xác nhận hoàn thành tới cơ quan theo dõi.",
            id,
        )
    }))
}

/// An extension request.
#[derive(Deserialize, ToSchema)]
pub struct ExtensionBody {
    /// New due date (`yyyy-mm-dd` or `dd/mm/yyyy`), after the current one.
    pub new_due: String,
    /// Why.
    pub reason: String,
}

/// `POST /api/assignments/{assignment}/extension`.
#[utoipa::path(post, path = "/api/assignments/{assignment}/extension", tag = "work", request_body = ExtensionBody,
    params(("assignment" = i64, Path, description = "Phân công"), ("Idempotency-Key" = Option<String>, Header, description = "Mã chống gửi trùng do bên gọi chọn (8–128 ký tự ASCII, ví dụ một UUID), riêng cho mỗi lần gửi: gửi lại cùng mã (vì lần đầu trả lời chậm) không ghi thêm bản ghi nào và nhận lại kết quả của lần đầu (cùng `id`); cùng mã cho một yêu cầu khác bị từ chối (409).")),
    responses((status = 200, body = Done), BadRequest, Unauthorized, Forbidden, NotFound, Conflict))]
pub async fn extension(
    State(state): State<AppState>,
    viewer: Viewer,
    ApiPath(id): ApiPath<AssignmentId>,
    headers: HeaderMap,
    ApiJson(b): ApiJson<ExtensionBody>,
) -> Answer<Done> {
    let user = viewer.require()?.clone();
    let eid = extensions::request(
        &state.db,
        &user,
        id,
        ExtensionForm {
            new_due: b.new_due,
            reason: b.reason,
            submission_key: idempotency_key(&headers)?,
        },
    )
    .await?;
    Ok(axum::Json(Done::with_id("Đã gửi đề nghị gia hạn.", eid)))
}

/// A text.
#[derive(Deserialize, ToSchema)]
pub struct TextBody {
    /// Text.
    pub text: String,
}

/// `POST /api/assignments/{assignment}/obstacle`: raises an obstacle to the monitor.
#[utoipa::path(post, path = "/api/assignments/{assignment}/obstacle", tag = "work", request_body = TextBody,
    params(("assignment" = i64, Path, description = "Phân công"), ("Idempotency-Key" = Option<String>, Header, description = "Mã chống gửi trùng do bên gọi chọn (8–128 ký tự ASCII, ví dụ một UUID), riêng cho mỗi lần gửi: gửi lại cùng mã (vì lần đầu trả lời chậm) không ghi thêm bản ghi nào và nhận lại kết quả của lần đầu (cùng `id`); cùng mã cho một yêu cầu khác bị từ chối (409).")),
    responses((status = 200, body = Done), BadRequest, Unauthorized, Forbidden, NotFound, Conflict))]
pub async fn obstacle(
    State(state): State<AppState>,
    viewer: Viewer,
    ApiPath(id): ApiPath<AssignmentId>,
    headers: HeaderMap,
    ApiJson(b): ApiJson<TextBody>,
) -> Answer<Done> {
    let user = viewer.require()?.clone();
    let key = idempotency_key(&headers)?;
    let oid = obstacles::raise(&state.db, &user, id, &b.text, key.as_deref()).await?;
    Ok(axum::Json(Done::with_id(
        "Đã gửi vướng mắc tới cơ quan theo dõi.",
        oid,
    )))
}

/// `POST /api/tasks/{task}/contributions`: a coordinating unit's contribution.
#[utoipa::path(post, path = "/api/tasks/{task}/contributions", tag = "work", request_body = TextBody,
    params(("task" = i64, Path, description = "Nhiệm vụ")),
    responses((status = 200, body = Done), BadRequest, Unauthorized, Forbidden, NotFound))]
pub async fn contribute(
    State(state): State<AppState>,
    viewer: Viewer,
    ApiPath(task): ApiPath<TaskId>,
    ApiJson(b): ApiJson<TextBody>,
) -> Answer<Done> {
    let user = viewer.require()?.clone();
    let cid = contributions::contribute(&state.db, &user, task, &b.text).await?;
    Ok(axum::Json(Done::with_id(
        "Đã ghi nhận ý kiến phối hợp.",
        cid,
    )))
}

/// The `Idempotency-Key` header as text (checked as the user's key by the use case).
pub(crate) fn idempotency_key(headers: &HeaderMap) -> Result<Option<String>, WebError> {
    headers
        .get("idempotency-key")
        .map(|v| {
            v.to_str().map(str::to_string).map_err(|_| {
                WebError::BadRequest(
                    "Idempotency-Key chỉ được gồm ký tự ASCII nhìn thấy được.".into(),
                )
            })
        })
        .transpose()
}
