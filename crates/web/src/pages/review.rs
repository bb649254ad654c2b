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
use tinhgon_domain::publish::MentionRole;
use tinhgon_domain::{AgencyRef, PlanDraft};
use tinhgon_store::plans::{self, NewDraft};
use tinhgon_store::web_queries as wq;

use crate::auth::Viewer;
use crate::error::{WebError, WebResult};
use crate::extract::{Form, Path, Query};
use crate::pages::plans::{load_monitored, LoadedPlan};
use crate::pages::{redirect_flash, render};
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
    // The store sets the entry's object to the new plan (draft and audit row in one transaction).
    let entry = crate::pages::audit_entry(
        Some(user),
        "plan.import",
        "plan",
        None,
        None,
        Some(serde_json::json!({"file": name, "sha256": hash, "tasks": draft.tasks.len()})),
    );
    let id = plans::insert_draft_audited(
        &state.db,
        &NewDraft {
            province_id: province,
            draft: &draft,
            source_text: Some(&source),
            content_hash: &hash,
            by: Some(user.id),
            at: Utc::now(),
        },
        &entry,
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
    /// The task stops publication.
    blocked: bool,
}

struct Mention {
    /// This one mention's key in the agency map.
    key: String,
    text: String,
    task_ref: String,
    task_index: usize,
    role: &'static str,
    reason: String,
    suggestions: Vec<(Id, String)>,
    /// Unresolved mentions with the same text (this one included).
    same_text: usize,
}

/// A reviewer's decision as the page lists it.
struct Decision {
    key: String,
    /// Which mention(s) it covers.
    label: String,
    /// The text of the mention(s), for the undo form.
    text: String,
    target: String,
    task_index: Option<usize>,
}

/// A task that stops publication, linked to its card.
struct Problem {
    task_index: usize,
    task_ref: String,
    message: String,
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
    mapped: Vec<Decision>,
    problems: Vec<Problem>,
    refused: bool,
}

/// `?publish=refused`: the page is shown again after a refused publication.
#[derive(Deserialize, Default)]
pub struct ReviewQuery {
    /// `refused` after a refused publication.
    #[serde(default)]
    publish: Option<String>,
}

fn role_vi(role: MentionRole) -> &'static str {
    match role {
        MentionRole::Lead => "Chủ trì",
        MentionRole::Coordinating => "Phối hợp",
    }
}

/// (task key, role label, text) of a mention key made by [`tinhgon_domain::mention_key`];
/// None for a key that is a mention text (a decision for every mention with that text).
fn parse_key(key: &str) -> Option<(String, &'static str, String)> {
    let mut parts = key.strip_prefix('@')?.splitn(4, '|');
    let task = parts.next()?.to_string();
    let role = match parts.next()? {
        "lead" => "chủ trì",
        "coordinating" => "phối hợp",
        _ => return None,
    };
    parts.next()?;
    Some((task, role, parts.next()?.to_string()))
}

fn names(refs: &[AgencyRef]) -> String {
    refs.iter()
        .map(|a| a.text.clone())
        .collect::<Vec<_>>()
        .join("; ")
}

/// `GET /plans/{plan}/review` (`?publish=refused` after a refused publication).
pub async fn review(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<Id>,
    Query(q): Query<ReviewQuery>,
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
    // One row per mention: a decision covers that mention only, unless the reviewer asks
    // for every mention with the same text.
    let mentions: Vec<Mention> = unresolved
        .iter()
        .map(|u| Mention {
            key: u.unresolved.key.clone(),
            text: u.unresolved.mention.text.clone(),
            task_ref: u.task_ref.clone(),
            task_index: u.task_index,
            role: role_vi(u.unresolved.role),
            reason: u.unresolved.reason.clone(),
            suggestions: u
                .unresolved
                .suggestions
                .iter()
                .filter_map(|s| unit_names.get(s).map(|n| (*s, n.clone())))
                .collect(),
            same_text: unresolved
                .iter()
                .filter(|o| o.unresolved.mention.text == u.unresolved.mention.text)
                .count(),
        })
        .collect();
    let problems: Vec<Problem> = plans::publish_problems(&state.db, id, today())
        .await?
        .into_iter()
        .map(|p| Problem {
            task_index: p.task_index,
            task_ref: p.task_ref,
            message: p.message,
        })
        .collect();
    let draft = &p.rec.draft;
    let keys = tinhgon_domain::task_keys(&draft.tasks);
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
                    .filter(|u| u.task_index == i)
                    .map(|u| {
                        format!(
                            "{} ({}): {}",
                            u.unresolved.mention.text,
                            role_vi(u.unresolved.role).to_lowercase(),
                            u.unresolved.reason
                        )
                    })
                    .chain(
                        problems
                            .iter()
                            .filter(|p| p.task_index == i && p.message.starts_with("chưa có"))
                            .map(|p| format!("Không ban hành được: {}", p.message)),
                    )
                    .collect(),
                blocked: problems.iter().any(|p| p.task_index == i),
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
            let target = if v.is_empty() {
                "(bỏ qua, không giao)".to_string()
            } else {
                v.iter()
                    .filter_map(|u| unit_names.get(u).cloned())
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            match parse_key(k) {
                Some((task, role, text)) => Decision {
                    key: k.clone(),
                    label: format!("{task} · {role}: {text}"),
                    task_index: keys.iter().position(|t| *t == task),
                    text,
                    target,
                },
                None => Decision {
                    key: String::new(),
                    label: format!("Mọi chỗ ghi \"{k}\""),
                    text: k.clone(),
                    target,
                    task_index: None,
                },
            }
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
        problems,
        refused: q.publish.as_deref() == Some("refused"),
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
    let entry = crate::pages::audit_entry(
        Some(user),
        action,
        "plan",
        Some(p.rec.plan.id),
        Some(before),
        Some(after),
    );
    plans::update_draft_audited(&state.db, p.rec.plan.id, draft, map, Utc::now(), &entry).await?;
    Ok(())
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
    #[serde(default)]
    mention: String,
    /// The one mention decided on (its key); empty: every mention with the text `mention`.
    #[serde(default)]
    key: String,
    /// Present: apply to every unresolved mention with the same text.
    #[serde(default)]
    all: Option<String>,
    unit_id: String,
}

/// Which mentions a mapping decision covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MapScope<'a> {
    /// The one mention with this key (see [`tinhgon_domain::mention_key`]).
    One(&'a str),
    /// Every mention still unresolved with the given text: one decision each.
    AllUnresolved,
    /// The text itself: every mention with it, now and after later edits, unless a
    /// mention has its own decision.
    Text,
}

/// `POST /plans/{plan}/review/map`: a mention stands for a register unit (or is ignored, or
/// the decision is withdrawn with `unit_id=clear`).
pub async fn map_agency(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<Id>,
    Form(f): Form<MapForm>,
) -> WebResult<Response> {
    let scope = if f.all.is_some() {
        MapScope::AllUnresolved
    } else if f.key.trim().is_empty() {
        MapScope::Text
    } else {
        MapScope::One(f.key.trim())
    };
    let n = map_mention(&state, &viewer, id, &f.mention, scope, &f.unit_id).await?;
    let msg = match (f.unit_id.trim(), n) {
        ("clear", _) => "Đã bỏ ánh xạ.".to_string(),
        (_, 1) => "Đã ánh xạ cơ quan.".to_string(),
        (_, n) => format!("Đã ánh xạ cơ quan cho {n} chỗ có cùng tên."),
    };
    Ok(redirect_flash(
        &state,
        &format!("/plans/{id}/review"),
        "ok",
        &msg,
    ))
}

/// Maps agency mentions of a draft to a register unit (`unit_id` empty or `ignore`: ignore
/// them; `clear`: withdraw the decision): shared by page and API. Returns how many decisions
/// were written. Refused (nothing changed) when the mention is no longer in the draft.
pub async fn map_mention(
    state: &AppState,
    viewer: &Viewer,
    id: Id,
    mention: &str,
    scope: MapScope<'_>,
    unit_id: &str,
) -> WebResult<usize> {
    let (user, p) = editable(state, viewer, id).await?;
    let mention = mention.trim().to_string();
    let clear = unit_id.trim() == "clear";
    // The keys the decision is written under.
    let keys: Vec<String> = match scope {
        MapScope::One(key) => {
            let known = p.rec.agency_map.contains_key(key)
                || plans::unresolved_agencies(&state.db, id, today())
                    .await?
                    .iter()
                    .any(|u| u.unresolved.key == key);
            if !known {
                return Err(WebError::BadRequest(
                    "Không còn chỗ nhắc tới cơ quan này trong bản nháp (nhiệm vụ có thể vừa được sửa). Vui lòng tải lại trang rà soát.".into(),
                ));
            }
            vec![key.to_string()]
        }
        MapScope::AllUnresolved => {
            if mention.is_empty() {
                return Err(WebError::BadRequest("Thiếu tên cơ quan cần ánh xạ.".into()));
            }
            let keys: Vec<String> = plans::unresolved_agencies(&state.db, id, today())
                .await?
                .into_iter()
                .filter(|u| u.unresolved.mention.text == mention)
                .map(|u| u.unresolved.key)
                .collect();
            if keys.is_empty() {
                return Err(WebError::BadRequest(format!(
                    "Không còn chỗ nào ghi \"{mention}\" chưa được ánh xạ."
                )));
            }
            keys
        }
        MapScope::Text => {
            if mention.is_empty() {
                return Err(WebError::BadRequest("Thiếu tên cơ quan cần ánh xạ.".into()));
            }
            vec![mention.clone()]
        }
    };
    let mut map = p.rec.agency_map.clone();
    let before: serde_json::Map<String, serde_json::Value> = keys
        .iter()
        .map(|k| (k.clone(), serde_json::json!(map.get(k))))
        .collect();
    if clear {
        if keys.iter().all(|k| !map.contains_key(k)) {
            return Err(WebError::BadRequest("Không có ánh xạ nào để bỏ.".into()));
        }
        for k in &keys {
            map.remove(k);
        }
        save(
            state,
            &user,
            &p,
            &p.rec.draft,
            &map,
            "plan.draft.unmap",
            serde_json::Value::Object(before),
            serde_json::json!({"mention": mention, "keys": keys}),
        )
        .await?;
        return Ok(keys.len());
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
    for k in &keys {
        map.insert(k.clone(), units.clone());
    }
    save(
        state,
        &user,
        &p,
        &p.rec.draft,
        &map,
        "plan.draft.map",
        serde_json::Value::Object(before),
        serde_json::json!({"mention": mention, "keys": keys, "units": units}),
    )
    .await?;
    Ok(keys.len())
}

/// `POST /plans/{plan}/publish`: creates the assignments (one transaction in the store).
/// A refusal changes nothing and leads back to the review page, which lists the tasks to fix.
pub async fn publish(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<Id>,
) -> WebResult<Response> {
    match publish_draft(&state, &viewer, id).await {
        Ok((_, msg)) => Ok(redirect_flash(&state, &format!("/plans/{id}"), "ok", &msg)),
        // The list itself is on the review page (a cookie could not hold a long one).
        Err(WebError::Conflict(msg)) if msg.starts_with(REFUSED) => Ok(redirect_flash(
            &state,
            &format!("/plans/{id}/review?publish=refused#refusal"),
            "error",
            "Chưa ban hành được kế hoạch: còn nhiệm vụ cần xử lý (xem danh sách bên dưới). Bản nháp và các chỉnh sửa đã lưu được giữ nguyên.",
        )),
        Err(e) => Err(e),
    }
}

/// How a refused publication's message starts.
const REFUSED: &str = "Chưa ban hành được";

/// Publishes a reviewed draft (assignments created in one store transaction): shared by page
/// and API. Returns the outcome and the message for the user.
pub async fn publish_draft(
    state: &AppState,
    viewer: &Viewer,
    id: Id,
) -> WebResult<(plans::Published, String)> {
    let (user, _p) = editable(state, viewer, id).await?;
    let problems = plans::publish_problems(&state.db, id, today()).await?;
    if !problems.is_empty() {
        return Err(WebError::Conflict(format!(
            "{REFUSED}: {} nhiệm vụ cần xử lý — {}.",
            problems.len(),
            problems
                .iter()
                .map(|p| p.sentence())
                .collect::<Vec<_>>()
                .join("; ")
        )));
    }
    // The store adds before.state, after.state and the counts (tasks, assignments written).
    let entry =
        crate::pages::audit_entry(Some(&user), "plan.publish", "plan", Some(id), None, None);
    let out =
        plans::publish_plan_audited(&state.db, id, Some(user.id), today(), Utc::now(), &entry)
            .await
            .map_err(|e| match e {
                // Another reviewer changed the draft between the check and the publication.
                tinhgon_store::StoreError::Rejected(m) if m.starts_with("chưa ban hành được") => {
                    WebError::Conflict(format!("{REFUSED}{}", &m["chưa ban hành được".len()..]))
                }
                e => e.into(),
            })?;
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
