//! Import and review: upload a plan file, see the extracted draft beside the source text,
//! correct it (fields, agencies, merge, split, delete), and publish.

use std::collections::BTreeSet;

use askama::Template;
use axum::extract::{Multipart, State};
use axum::response::Response;
use chrono::Utc;
use serde::Deserialize;
use sha2::{Digest, Sha256};
use tinhgon_domain::model::Id;
use tinhgon_domain::plan::PlanState;
use tinhgon_domain::{AgencyRef, PlanDraft};
use tinhgon_store::plans::{self, NewDraft};
use tinhgon_store::web_queries as wq;

use crate::auth::Viewer;
use crate::error::{WebError, WebResult};
use crate::extract::{Form, Path};
use crate::pages::plans::{load_monitored, LoadedPlan};
use crate::pages::{audit, redirect_flash, render};
use crate::view::{date_opt, parse_date, today, PageCtx};
use crate::AppState;

#[derive(Template)]
#[template(path = "import.html")]
struct ImportPage {
    ctx: PageCtx,
    limit_mb: usize,
}

/// `GET /import`.
pub async fn form(State(state): State<AppState>, viewer: Viewer) -> WebResult<Response> {
    render(&ImportPage {
        ctx: PageCtx::new(&viewer, "import"),
        limit_mb: state.config.upload_limit / (1024 * 1024),
    })
}

/// Reads a plan file and extracts the draft off the async threads: (draft, source lines).
pub async fn extract_file(bytes: Vec<u8>, name: String) -> WebResult<(PlanDraft, String)> {
    tokio::task::spawn_blocking(move || {
        let doc = tinhgon_ingest::read(&bytes, Some(&name))
            .map_err(|e| WebError::BadRequest(format!("Không đọc được tệp: {e}")))?;
        let draft = tinhgon_extract::extract(&doc);
        Ok((draft, doc.lines.join("\n")))
    })
    .await
    .map_err(WebError::internal)?
}

/// Stores an imported file as a draft of the viewer's province, or names the plan it duplicates.
pub async fn import_bytes(
    state: &AppState,
    user: &tinhgon_domain::user::User,
    province: Option<Id>,
    bytes: Vec<u8>,
    name: String,
) -> WebResult<Result<Id, Id>> {
    let hash = hex::encode(Sha256::digest(&bytes));
    if let Some(existing) = wq::plan_by_hash(&state.db, province, &hash).await? {
        return Ok(Err(existing));
    }
    let (draft, source) = extract_file(bytes, name.clone()).await?;
    let id = plans::insert_draft(
        &state.db,
        &NewDraft {
            province_id: province,
            draft: &draft,
            source_text: Some(&source),
            content_hash: &hash,
            by: Some(user.id),
            at: Utc::now(),
        },
    )
    .await?;
    audit(
        state,
        Some(user),
        "plan.import",
        "plan",
        Some(id),
        None,
        Some(serde_json::json!({"file": name, "sha256": hash, "tasks": draft.tasks.len()})),
    )
    .await?;
    Ok(Ok(id))
}

/// `POST /import` (multipart, field `file`).
pub async fn upload(
    State(state): State<AppState>,
    viewer: Viewer,
    mut mp: Multipart,
) -> WebResult<Response> {
    let user = viewer.require()?.clone();
    if !tinhgon_domain::user::can_import_plan(&user) {
        return Err(WebError::Forbidden);
    }
    let mut file: Option<(String, Vec<u8>)> = None;
    while let Some(field) = mp.next_field().await? {
        if field.name() == Some("file") {
            let name = field.file_name().unwrap_or("ke-hoach.txt").to_string();
            let bytes = field.bytes().await?;
            file = Some((name, bytes.to_vec()));
        }
    }
    let (name, bytes) = file.filter(|(_, b)| !b.is_empty()).ok_or_else(|| {
        WebError::BadRequest("Vui lòng chọn tệp kế hoạch (.docx, .pdf, .txt, .md).".into())
    })?;
    let province = crate::pages::dashboard::viewer_province(&state, &viewer).await?;
    match import_bytes(&state, &user, province, bytes, name).await? {
        Ok(id) => Ok(redirect_flash(
            &state,
            &format!("/plans/{id}/review"),
            "ok",
            "Đã trích xuất kế hoạch. Vui lòng rà soát trước khi ban hành.",
        )),
        Err(existing) => Ok(redirect_flash(
            &state,
            &format!("/plans/{existing}"),
            "error",
            "Tệp này đã được nhập trước đây (trùng nội dung): đây là kế hoạch đã có.",
        )),
    }
}

struct DraftTaskView {
    index: usize,
    reference: String,
    content: String,
    lead: String,
    coordinating: String,
    deadline: String,
    due: String,
    line_start: usize,
    line_end: usize,
    problems: Vec<String>,
}

struct Mention {
    text: String,
    task_ref: String,
    role: &'static str,
    reason: String,
    suggestions: Vec<(Id, String)>,
}

struct SourceLine {
    no: usize,
    text: String,
    hl: bool,
}

#[derive(Template)]
#[template(path = "review.html")]
struct ReviewPage {
    ctx: PageCtx,
    id: Id,
    label: String,
    number: String,
    title: String,
    date: String,
    issuer: String,
    tasks: Vec<DraftTaskView>,
    mentions: Vec<Mention>,
    units: Vec<(Id, String)>,
    lines: Vec<SourceLine>,
    warnings: Vec<String>,
    csrf: String,
    mapped: Vec<(String, String)>,
}

fn names(refs: &[AgencyRef]) -> String {
    refs.iter()
        .map(|a| a.text.clone())
        .collect::<Vec<_>>()
        .join("; ")
}

/// `GET /plans/{plan}/review`.
pub async fn review(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<Id>,
) -> WebResult<Response> {
    let user = viewer.require()?.clone();
    let p = load_monitored(&state, &user, id).await?;
    if p.rec.plan.state != PlanState::Draft {
        return Ok(redirect_flash(
            &state,
            &format!("/plans/{id}"),
            "ok",
            "Kế hoạch đã được ban hành.",
        ));
    }
    let unresolved = plans::unresolved_agencies(&state.db, id, today()).await?;
    let unit_names = wq::unit_names(&state.db, p.rec.province_id).await?;
    let mut units: Vec<(Id, String)> = wq::units_for_select(&state.db).await?;
    units.retain(|(uid, _)| unit_names.contains_key(uid));
    let mut mentions: Vec<Mention> = Vec::new();
    for u in &unresolved {
        if mentions.iter().any(|m| m.text == u.unresolved.mention.text) {
            continue;
        }
        mentions.push(Mention {
            text: u.unresolved.mention.text.clone(),
            task_ref: u.task_ref.clone(),
            role: match u.unresolved.role {
                tinhgon_domain::publish::MentionRole::Lead => "Chủ trì",
                tinhgon_domain::publish::MentionRole::Coordinating => "Phối hợp",
            },
            reason: u.unresolved.reason.clone(),
            suggestions: u
                .unresolved
                .suggestions
                .iter()
                .filter_map(|s| unit_names.get(s).map(|n| (*s, n.clone())))
                .collect(),
        });
    }
    let draft = &p.rec.draft;
    let mut covered = BTreeSet::new();
    let tasks = draft
        .tasks
        .iter()
        .enumerate()
        .map(|(i, t)| {
            for l in t.source.line_start..=t.source.line_end {
                covered.insert(l);
            }
            DraftTaskView {
                index: i,
                reference: t.reference.clone(),
                content: t.content.clone(),
                lead: names(&t.lead),
                coordinating: names(&t.coordinating),
                deadline: t.deadline.text.clone(),
                due: date_opt(t.deadline.due),
                line_start: t.source.line_start,
                line_end: t.source.line_end,
                problems: unresolved
                    .iter()
                    .filter(|u| u.task_ref == t.reference)
                    .map(|u| format!("{}: {}", u.unresolved.mention.text, u.unresolved.reason))
                    .collect(),
            }
        })
        .collect();
    let lines = p
        .rec
        .source_text
        .as_deref()
        .unwrap_or("")
        .lines()
        .enumerate()
        .map(|(i, t)| SourceLine {
            no: i + 1,
            text: t.to_string(),
            hl: covered.contains(&(i + 1)),
        })
        .collect();
    let mapped = p
        .rec
        .agency_map
        .iter()
        .map(|(k, v)| {
            (
                k.clone(),
                if v.is_empty() {
                    "(bỏ qua)".to_string()
                } else {
                    v.iter()
                        .filter_map(|u| unit_names.get(u).cloned())
                        .collect::<Vec<_>>()
                        .join(", ")
                },
            )
        })
        .collect();
    let meta = &draft.document;
    render(&ReviewPage {
        ctx: PageCtx::new(&viewer, "import"),
        id,
        label: p.label(),
        number: meta.number.clone().unwrap_or_default(),
        title: meta.title.clone().unwrap_or_default(),
        date: meta.date.map(crate::view::date).unwrap_or_default(),
        issuer: meta.issuer.clone().unwrap_or_default(),
        tasks,
        mentions,
        units,
        lines,
        warnings: draft.warnings.clone(),
        csrf: viewer.csrf.clone(),
        mapped,
    })
}

async fn editable(
    state: &AppState,
    viewer: &Viewer,
    id: Id,
) -> WebResult<(tinhgon_domain::user::User, LoadedPlan)> {
    let user = viewer.require()?.clone();
    let p = load_monitored(state, &user, id).await?;
    if p.rec.plan.state != PlanState::Draft {
        return Err(WebError::Conflict(
            "Kế hoạch đã ban hành, không sửa bản nháp được nữa.".into(),
        ));
    }
    Ok((user, p))
}

// The review form's fields arrive separately; bundling them would only rename them.
#[allow(clippy::too_many_arguments)]
async fn save(
    state: &AppState,
    user: &tinhgon_domain::user::User,
    p: &LoadedPlan,
    draft: &PlanDraft,
    map: &tinhgon_domain::publish::Overrides,
    action: &str,
    before: serde_json::Value,
    after: serde_json::Value,
) -> WebResult<()> {
    plans::update_draft(&state.db, p.rec.plan.id, draft, map, Utc::now()).await?;
    audit(
        state,
        Some(user),
        action,
        "plan",
        Some(p.rec.plan.id),
        Some(before),
        Some(after),
    )
    .await
}

/// Fields of the metadata form.
#[derive(Deserialize)]
pub struct MetaForm {
    number: String,
    title: String,
    date: String,
}

/// `POST /plans/{plan}/review/meta`.
pub async fn edit_meta(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<Id>,
    Form(f): Form<MetaForm>,
) -> WebResult<Response> {
    save_meta(&state, &viewer, id, &f.number, &f.title, &f.date).await?;
    Ok(redirect_flash(
        &state,
        &format!("/plans/{id}/review"),
        "ok",
        "Đã lưu thông tin văn bản.",
    ))
}

/// Saves a draft's number, title and date (date dd/mm/yyyy, ISO or empty): shared by page and API.
pub async fn save_meta(
    state: &AppState,
    viewer: &Viewer,
    id: Id,
    number: &str,
    title: &str,
    date: &str,
) -> WebResult<()> {
    let (user, p) = editable(state, viewer, id).await?;
    let mut draft = p.rec.draft.clone();
    let before = serde_json::json!({"number": draft.document.number, "title": draft.document.title, "date": draft.document.date});
    let opt = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
    draft.document.number = opt(number);
    draft.document.title = opt(title);
    draft.document.date = match date.trim() {
        "" => None,
        d => Some(parse_date(d).ok_or_else(|| {
            WebError::BadRequest("Ngày ban hành không hợp lệ (dd/mm/yyyy).".into())
        })?),
    };
    let after = serde_json::json!({"number": draft.document.number, "title": draft.document.title, "date": draft.document.date});
    save(
        state,
        &user,
        &p,
        &draft,
        &p.rec.agency_map,
        "plan.draft.meta",
        before,
        after,
    )
    .await
}

/// Parses a list of agencies typed by the reviewer (separated by ";" or new lines).
pub fn parse_agencies(text: &str) -> Vec<AgencyRef> {
    text.split([';', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            tinhgon_extract::agency::agency(s).unwrap_or_else(|| AgencyRef {
                text: s.to_string(),
                name: s.to_string(),
                group: tinhgon_domain::resolve::detect_group(s),
            })
        })
        .collect()
}

/// Fields of a task form.
#[derive(Deserialize)]
pub struct TaskForm {
    /// Content.
    pub content: String,
    /// Lead agencies, separated by ";".
    pub lead: String,
    /// Coordinating agencies, separated by ";".
    pub coordinating: String,
    /// Deadline as written.
    pub deadline: String,
    /// Empty (save), `delete`, `merge` or `split`.
    #[serde(default)]
    pub op: String,
    /// Line to split at.
    #[serde(default)]
    pub split_at: String,
}

/// `POST /plans/{plan}/review/tasks/{task_index}`: save, delete, merge with the next, or split.
pub async fn edit_task(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((id, index)): Path<(Id, usize)>,
    Form(f): Form<TaskForm>,
) -> WebResult<Response> {
    let msg = edit_draft_task(&state, &viewer, id, index, &f).await?;
    Ok(redirect_flash(
        &state,
        &format!("/plans/{id}/review#task-{index}"),
        "ok",
        msg,
    ))
}

/// Saves, deletes, merges or splits task `index` of a draft: shared by page and API.
/// Returns the message for the user.
pub async fn edit_draft_task(
    state: &AppState,
    viewer: &Viewer,
    id: Id,
    index: usize,
    f: &TaskForm,
) -> WebResult<&'static str> {
    let (user, p) = editable(state, viewer, id).await?;
    let mut draft = p.rec.draft.clone();
    if index >= draft.tasks.len() {
        return Err(WebError::NotFound);
    }
    let before = serde_json::to_value(&draft.tasks[index]).map_err(WebError::internal)?;
    let msg;
    match f.op.as_str() {
        "delete" => {
            draft.tasks.remove(index);
            msg = "Đã xóa nhiệm vụ khỏi bản nháp.";
        }
        "merge" => {
            if index + 1 >= draft.tasks.len() {
                return Err(WebError::BadRequest(
                    "Không có nhiệm vụ phía sau để gộp.".into(),
                ));
            }
            let next = draft.tasks.remove(index + 1);
            let t = &mut draft.tasks[index];
            t.content = format!("{}\n{}", t.content, next.content);
            for c in next.coordinating.into_iter().chain(next.lead) {
                if !t.lead.contains(&c) && !t.coordinating.contains(&c) {
                    t.coordinating.push(c);
                }
            }
            t.source.line_end = t.source.line_end.max(next.source.line_end);
            msg = "Đã gộp với nhiệm vụ phía sau.";
        }
        "split" => {
            let t = draft.tasks[index].clone();
            let lines: Vec<&str> = t.content.lines().collect();
            let at: usize = f
                .split_at
                .trim()
                .parse()
                .map_err(|_| WebError::BadRequest("Nhập số dòng để tách (ví dụ 2).".into()))?;
            if at == 0 || at >= lines.len() {
                return Err(WebError::BadRequest(format!(
                    "Nội dung có {} dòng; chọn dòng tách từ 1 đến {}.",
                    lines.len(),
                    lines.len().saturating_sub(1)
                )));
            }
            let mut second = t.clone();
            draft.tasks[index].content = lines[..at].join("\n");
            second.content = lines[at..].join("\n");
            second.reference = format!("{}.b", t.reference);
            draft.tasks.insert(index + 1, second);
            msg = "Đã tách nhiệm vụ thành hai.";
        }
        _ => {
            let doc_date = draft.document.date;
            let t = &mut draft.tasks[index];
            let content = f.content.trim();
            if content.is_empty() {
                return Err(WebError::BadRequest(
                    "Nội dung nhiệm vụ không được để trống.".into(),
                ));
            }
            t.content = content.to_string();
            t.lead = parse_agencies(&f.lead);
            t.coordinating = parse_agencies(&f.coordinating);
            if f.deadline.trim() != t.deadline.text {
                t.deadline =
                    tinhgon_extract::deadline::parse_deadline(f.deadline.trim(), doc_date).deadline;
            }
            msg = "Đã lưu nhiệm vụ.";
        }
    }
    let after = draft
        .tasks
        .get(index)
        .map(|t| serde_json::to_value(t).unwrap_or_default())
        .unwrap_or(serde_json::Value::Null);
    save(
        state,
        &user,
        &p,
        &draft,
        &p.rec.agency_map,
        &format!(
            "plan.draft.task.{}",
            if f.op.is_empty() {
                "edit"
            } else {
                f.op.as_str()
            }
        ),
        before,
        after,
    )
    .await?;
    Ok(msg)
}

/// Fields of the agency mapping form.
#[derive(Deserialize)]
pub struct MapForm {
    mention: String,
    unit_id: String,
}

/// `POST /plans/{plan}/review/map`: a mention stands for a register unit (or is ignored).
pub async fn map_agency(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<Id>,
    Form(f): Form<MapForm>,
) -> WebResult<Response> {
    map_mention(&state, &viewer, id, &f.mention, &f.unit_id).await?;
    Ok(redirect_flash(
        &state,
        &format!("/plans/{id}/review"),
        "ok",
        "Đã ánh xạ cơ quan.",
    ))
}

/// Maps an agency mention of a draft to a register unit (`unit_id` empty or `ignore`: ignore
/// the mention): shared by page and API.
pub async fn map_mention(
    state: &AppState,
    viewer: &Viewer,
    id: Id,
    mention: &str,
    unit_id: &str,
) -> WebResult<()> {
    let (user, p) = editable(state, viewer, id).await?;
    let mention = mention.trim().to_string();
    if mention.is_empty() {
        return Err(WebError::BadRequest("Thiếu tên cơ quan cần ánh xạ.".into()));
    }
    let units: Vec<Id> = match unit_id.trim() {
        "" | "ignore" => Vec::new(),
        s => {
            let uid: Id = s
                .parse()
                .map_err(|_| WebError::BadRequest("Đơn vị không hợp lệ.".into()))?;
            let names = wq::unit_names(&state.db, p.rec.province_id).await?;
            if !names.contains_key(&uid) {
                return Err(WebError::BadRequest(
                    "Đơn vị không thuộc danh mục của tỉnh.".into(),
                ));
            }
            vec![uid]
        }
    };
    let mut map = p.rec.agency_map.clone();
    let before = serde_json::json!({"mention": mention, "units": map.get(&mention)});
    map.insert(mention.clone(), units.clone());
    save(
        state,
        &user,
        &p,
        &p.rec.draft,
        &map,
        "plan.draft.map",
        before,
        serde_json::json!({"mention": mention, "units": units}),
    )
    .await
}

/// `POST /plans/{plan}/publish`: creates the assignments (one transaction in the store).
pub async fn publish(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<Id>,
) -> WebResult<Response> {
    let (_, msg) = publish_draft(&state, &viewer, id).await?;
    Ok(redirect_flash(&state, &format!("/plans/{id}"), "ok", &msg))
}

/// Publishes a reviewed draft (assignments created in one store transaction): shared by page
/// and API. Returns the outcome and the message for the user.
pub async fn publish_draft(
    state: &AppState,
    viewer: &Viewer,
    id: Id,
) -> WebResult<(plans::Published, String)> {
    let (user, _p) = editable(state, viewer, id).await?;
    let out = plans::publish_plan(&state.db, id, Some(user.id), today(), Utc::now()).await?;
    audit(state, Some(&user), "plan.publish", "plan", Some(id), Some(serde_json::json!({"state": "draft"})), Some(serde_json::json!({"state": "published", "tasks": out.tasks, "assignments": out.assignments}))).await?;
    let mut msg = format!(
        "Đã ban hành kế hoạch: {} nhiệm vụ, {} phân công.",
        out.tasks, out.assignments
    );
    if !out.unresolved_coordinating.is_empty() {
        msg.push_str(&format!(
            " {} cơ quan phối hợp chưa có trong danh mục được giữ nguyên văn.",
            out.unresolved_coordinating.len()
        ));
    }
    Ok((out, msg))
}
