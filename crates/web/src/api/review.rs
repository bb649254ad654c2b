//! Import and review of a plan: a file becomes a draft, the draft beside its source with the
//! agency mentions to map, the review edits, and publication.

use axum::extract::State;
use serde::{Deserialize, Serialize};
use tinhgon_app::import::mapping::{self, MapScope};
use tinhgon_app::import::review::{self, MetaForm, TaskForm};
use tinhgon_app::import::{self, PlanFile};
use tinhgon_app::publishing;
use tinhgon_domain::ids::PlanId;
use tinhgon_domain::model::Id;
use tinhgon_domain::plan::PlanState;
use tinhgon_store::web_queries as wq;
use utoipa::ToSchema;

use crate::api::request::{ApiJson, ApiMultipart, ApiPath};
use crate::api::{Answer, BadRequest, Conflict, Done, Forbidden, NotFound, TooLarge, Unauthorized};
use crate::auth::Viewer;
use crate::error::WebError;
use crate::view::today;
use crate::AppState;

/// A plan file to import (field `file`).
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct ImportUpload {
    /// The file: a plan document (.docx, .pdf, .txt, .md) or a task spreadsheet (.xlsx, .csv).
    #[schema(value_type = String, format = Binary)]
    pub file: Vec<u8>,
}

/// The outcome of an import.
#[derive(Serialize, ToSchema)]
pub struct Imported {
    /// The new draft, or the plan this file duplicates.
    pub id: i64,
    /// True when the same file was imported before (nothing new was stored).
    pub duplicate: bool,
    /// Vietnamese message.
    pub message: String,
}

/// `POST /api/plans/import` (multipart, field `file`): extracts a draft waiting for review,
/// from a plan document or a task spreadsheet.
#[utoipa::path(post, path = "/api/plans/import", tag = "plans",
    request_body(content = ImportUpload, content_type = "multipart/form-data"),
    responses((status = 200, body = Imported), BadRequest, Unauthorized, Forbidden, TooLarge))]
pub async fn import(
    State(state): State<AppState>,
    viewer: Viewer,
    ApiMultipart(mut mp): ApiMultipart,
) -> Answer<Imported> {
    let user = viewer.require()?.clone();
    if !tinhgon_domain::user::can_import_plan(&user)
        && !tinhgon_domain::user::can_import_own_plan(&user)
    {
        return Err(WebError::Forbidden.into());
    }
    let mut file: Option<(String, Vec<u8>)> = None;
    while let Some(field) = mp.next_field().await.map_err(WebError::from)? {
        if field.name() == Some("file") {
            let name = field
                .file_name()
                .unwrap_or("ke-hoach.txt")
                .replace('\0', "");
            let bytes = field.bytes().await.map_err(WebError::from)?;
            file = Some((name, bytes.to_vec()));
        }
    }
    // The API names the field to send; the page's message speaks of choosing a file.
    let file = PlanFile::parse(file).map_err(|_| {
        WebError::BadRequest(
            "Vui lòng gửi tệp kế hoạch (.docx, .pdf, .txt, .md) hoặc bảng tính nhiệm vụ (.xlsx, .csv) ở trường file.".into(),
        )
    })?;
    let province = crate::auth::viewer_province(&state, &viewer).await?;
    Ok(axum::Json(
        match import::import_file(&state.db, &user, province, file).await? {
            import::Imported::Draft(id) => Imported {
                id: id.get(),
                duplicate: false,
                message: "Đã trích xuất kế hoạch. Vui lòng rà soát trước khi ban hành.".into(),
            },
            import::Imported::Duplicate(id) => Imported {
                id: id.get(),
                duplicate: true,
                message: "Tệp này đã được nhập trước đây (trùng nội dung): đây là kế hoạch đã có."
                    .into(),
            },
        },
    ))
}

/// A unit suggested for a mention.
#[derive(Serialize, ToSchema)]
pub struct UnitRef {
    /// Identifier.
    pub id: i64,
    /// Name.
    pub name: String,
}

/// An agency mention that did not resolve to a register unit.
#[derive(Serialize, ToSchema)]
pub struct Mention {
    /// This one mention's key: send it as `key` to `/review/map` to decide on this mention only.
    pub key: String,
    /// Task reference.
    pub task_ref: String,
    /// Position of the task in the draft (from 0).
    pub task_index: usize,
    /// `lead` or `coordinating`.
    pub role: String,
    /// As written.
    pub text: String,
    /// Why it did not resolve.
    pub reason: String,
    /// Units that might be meant.
    pub suggestions: Vec<UnitRef>,
}

/// A draft under review.
#[derive(Serialize, ToSchema)]
pub struct DraftView {
    /// Plan.
    pub id: i64,
    /// The extracted (and edited) draft: document metadata, tasks with their source lines, warnings.
    #[schema(value_type = Object)]
    pub draft: serde_json::Value,
    /// Mentions mapped by the reviewer: text → unit ids (empty: ignored).
    #[schema(value_type = Object)]
    pub agency_map: serde_json::Value,
    /// Mentions still unresolved.
    pub unresolved: Vec<Mention>,
    /// What stops publication now ("PL.10: chưa có cơ quan chủ trì"); empty: it can be published.
    pub publish_problems: Vec<String>,
    /// Source text, one entry per line (line numbers start at 1).
    pub source_lines: Vec<String>,
    /// For an amending document (văn bản sửa đổi, bổ sung): the plan it amends and its changes.
    pub amendment: Option<crate::api::amendment::AmendmentBody>,
}

/// `GET /api/plans/{plan}/review`: the draft beside its source.
#[utoipa::path(get, path = "/api/plans/{plan}/review", tag = "plans",
    params(("plan" = i64, Path, description = "Kế hoạch (bản nháp)")),
    responses((status = 200, body = DraftView), Unauthorized, Forbidden, NotFound, Conflict))]
pub async fn review(
    State(state): State<AppState>,
    viewer: Viewer,
    ApiPath(id): ApiPath<Id>,
) -> Answer<DraftView> {
    let user = viewer.require()?.clone();
    let (p, _) = tinhgon_app::cascade::reviewable(&state.db, &user, PlanId(id)).await?;
    if p.rec.plan.state != PlanState::Draft {
        return Err(WebError::Conflict("Kế hoạch đã được ban hành.".into()).into());
    }
    let names = wq::unit_names(&state.db, p.rec.province_id).await?;
    let unresolved = tinhgon_store::plans::unresolved_agencies(&state.db, id, today())
        .await?
        .into_iter()
        .map(|u| Mention {
            key: u.unresolved.key.clone(),
            task_ref: u.task_ref,
            task_index: u.task_index,
            role: match u.unresolved.role {
                tinhgon_domain::publish::MentionRole::Lead => "lead",
                tinhgon_domain::publish::MentionRole::Coordinating => "coordinating",
            }
            .into(),
            text: u.unresolved.mention.text,
            reason: u.unresolved.reason,
            suggestions: u
                .unresolved
                .suggestions
                .iter()
                .filter_map(|s| {
                    names.get(s).map(|n| UnitRef {
                        id: *s,
                        name: n.clone(),
                    })
                })
                .collect(),
        })
        .collect();
    Ok(axum::Json(DraftView {
        id,
        draft: serde_json::to_value(&p.rec.draft).map_err(WebError::internal)?,
        agency_map: serde_json::to_value(&p.rec.agency_map).map_err(WebError::internal)?,
        unresolved,
        publish_problems: tinhgon_store::plans::publish_problems(&state.db, id, today())
            .await?
            .iter()
            .map(|p| p.sentence())
            .collect(),
        source_lines: p
            .rec
            .source_text
            .as_deref()
            .unwrap_or("")
            .lines()
            .map(str::to_string)
            .collect(),
        amendment: tinhgon_app::import::amendment::view(&state.db, &user, &p)
            .await?
            .map(Into::into),
    }))
}

/// The document fields of a draft (empty text clears a field).
#[derive(Deserialize, ToSchema)]
pub struct MetaBody {
    /// Number.
    #[serde(default)]
    pub number: String,
    /// Title.
    #[serde(default)]
    pub title: String,
    /// Issue date, `yyyy-mm-dd` or `dd/mm/yyyy` (empty: unknown).
    #[serde(default)]
    pub date: String,
}

/// `POST /api/plans/{plan}/review/meta`.
#[utoipa::path(post, path = "/api/plans/{plan}/review/meta", tag = "plans", request_body = MetaBody,
    params(("plan" = i64, Path, description = "Kế hoạch (bản nháp)")),
    responses((status = 200, body = Done), BadRequest, Unauthorized, Forbidden, NotFound, Conflict))]
pub async fn edit_meta(
    State(state): State<AppState>,
    viewer: Viewer,
    ApiPath(id): ApiPath<Id>,
    ApiJson(b): ApiJson<MetaBody>,
) -> Answer<Done> {
    let user = viewer.require()?;
    let form = MetaForm {
        number: b.number,
        title: b.title,
        date: b.date,
    };
    review::save_meta(&state.db, user, PlanId(id), form).await?;
    Ok(axum::Json(Done::with_id("Đã lưu thông tin văn bản.", id)))
}

/// An edit of one draft task.
#[derive(Deserialize, ToSchema)]
pub struct TaskBody {
    /// Empty or absent: save the fields; `delete`; `merge` (with the next task); `split`.
    #[serde(default)]
    pub op: String,
    /// Content (required when saving).
    #[serde(default)]
    pub content: String,
    /// Lead agencies separated by ";".
    #[serde(default)]
    pub lead: String,
    /// Coordinating agencies separated by ";".
    #[serde(default)]
    pub coordinating: String,
    /// Deadline as written ("Quý IV/2025", "trước 30/9/2025" …).
    #[serde(default)]
    pub deadline: String,
    /// For `split`: the content line after which the task is cut.
    #[serde(default)]
    pub split_at: Option<u32>,
}

/// `POST /api/plans/{plan}/review/tasks/{task_index}`: save, delete, merge or split a draft task.
#[utoipa::path(post, path = "/api/plans/{plan}/review/tasks/{task_index}", tag = "plans", request_body = TaskBody,
    params(("plan" = i64, Path, description = "Kế hoạch (bản nháp)"), ("task_index" = u32, Path, description = "Vị trí nhiệm vụ trong bản nháp, từ 0")),
    responses((status = 200, body = Done), BadRequest, Unauthorized, Forbidden, NotFound, Conflict))]
pub async fn edit_task(
    State(state): State<AppState>,
    viewer: Viewer,
    ApiPath((id, index)): ApiPath<(Id, usize)>,
    ApiJson(b): ApiJson<TaskBody>,
) -> Answer<Done> {
    // The use case checks the rights before it reads the operation.
    let form = TaskForm {
        content: b.content,
        lead: b.lead,
        coordinating: b.coordinating,
        deadline: b.deadline,
        op: b.op,
        split_at: b.split_at.map(|n| n.to_string()).unwrap_or_default(),
    };
    let user = viewer.require()?;
    let msg = review::edit_task(&state.db, user, PlanId(id), index, &form).await?;
    Ok(axum::Json(Done::with_id(msg, id)))
}

/// A reviewer's decision on an agency mention.
#[derive(Deserialize, ToSchema)]
pub struct MapBody {
    /// The mention as written.
    #[serde(default)]
    pub mention: String,
    /// The one mention decided on (`key` of an unresolved mention). Absent: the decision is
    /// for the text `mention`, i.e. every mention written that way (unless one has its own).
    #[serde(default)]
    pub key: Option<String>,
    /// True: one decision for each still unresolved mention with the text `mention`.
    #[serde(default)]
    pub all: bool,
    /// The register unit it stands for; null to ignore the mention(s).
    #[serde(default)]
    pub unit_id: Option<i64>,
    /// True: withdraw the decision instead (`unit_id` is then not read).
    #[serde(default)]
    pub clear: bool,
}

/// `POST /api/plans/{plan}/review/map`.
#[utoipa::path(post, path = "/api/plans/{plan}/review/map", tag = "plans", request_body = MapBody,
    params(("plan" = i64, Path, description = "Kế hoạch (bản nháp)")),
    responses((status = 200, body = Done), BadRequest, Unauthorized, Forbidden, NotFound, Conflict))]
pub async fn map_agency(
    State(state): State<AppState>,
    viewer: Viewer,
    ApiPath(id): ApiPath<Id>,
    ApiJson(b): ApiJson<MapBody>,
) -> Answer<Done> {
    let unit = if b.clear {
        "clear".to_string()
    } else {
        b.unit_id.map(|u| u.to_string()).unwrap_or_default()
    };
    let key = b.key.as_deref().map(str::trim).unwrap_or("");
    let scope = if b.all {
        MapScope::AllUnresolved
    } else if key.is_empty() {
        MapScope::Text
    } else {
        MapScope::One(key)
    };
    let user = viewer.require()?;
    let n = mapping::map_mention(&state.db, user, PlanId(id), &b.mention, scope, &unit).await?;
    let msg = match (b.clear, n) {
        (true, _) => "Đã bỏ ánh xạ.".to_string(),
        (false, 1) => "Đã ánh xạ cơ quan.".to_string(),
        (false, n) => format!("Đã ánh xạ cơ quan cho {n} chỗ có cùng tên."),
    };
    Ok(axum::Json(Done::with_id(msg, id)))
}

/// What publication wrote.
#[derive(Serialize, ToSchema)]
pub struct PublishedBody {
    /// Vietnamese message.
    pub message: String,
    /// Tasks written.
    pub tasks: usize,
    /// Assignments written (group leads expanded).
    pub assignments: usize,
    /// Coordinating mentions kept as text.
    pub unresolved_coordinating: Vec<String>,
}

/// `POST /api/plans/{plan}/publish`: assignments are created; nothing is published without review.
#[utoipa::path(post, path = "/api/plans/{plan}/publish", tag = "plans",
    params(("plan" = i64, Path, description = "Kế hoạch (bản nháp)")),
    responses((status = 200, body = PublishedBody), Unauthorized, Forbidden, NotFound, Conflict))]
pub async fn publish(
    State(state): State<AppState>,
    viewer: Viewer,
    ApiPath(id): ApiPath<Id>,
) -> Answer<PublishedBody> {
    let user = viewer.require()?;
    let (out, message) = publishing::publish_draft(&state.db, user, PlanId(id)).await?;
    Ok(axum::Json(PublishedBody {
        message,
        tasks: out.tasks,
        assignments: out.assignments,
        unresolved_coordinating: out.unresolved_coordinating,
    }))
}
