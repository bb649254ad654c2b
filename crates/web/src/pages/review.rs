//! Import and review: upload a plan file, see the extracted draft beside the source text,
//! correct it (fields, agencies, merge, split, delete), and publish.

use std::collections::BTreeSet;

use askama::Template;
use axum::extract::{Multipart, State};
use axum::response::Response;
use serde::Deserialize;
use tinhgon_app::import::mapping::{self, MapScope};
use tinhgon_app::import::review::{self, MetaForm, TaskForm};
use tinhgon_app::import::{self, Imported, PlanFile};
use tinhgon_app::{publishing, AppError};
use tinhgon_domain::ids::PlanId;
use tinhgon_domain::model::Id;
use tinhgon_domain::plan::PlanState;
use tinhgon_domain::publish::MentionRole;
use tinhgon_domain::AgencyRef;
use tinhgon_store::plans::{self};
use tinhgon_store::web_queries as wq;

use crate::auth::Viewer;
use crate::error::{WebError, WebResult};
use crate::pages::{redirect_flash, redirect_ok, render};
use crate::request::{Form, Path, Query};
use crate::view::{date_opt, today, PageCtx};
use crate::AppState;

#[derive(Template)]
#[template(path = "import.html")]
struct ImportPage {
    ctx: PageCtx,
    limit_mb: usize,
    /// An agency officer imports its unit's own plan (for the monitor's review).
    own: bool,
}

/// `GET /import`.
pub async fn form(State(state): State<AppState>, viewer: Viewer) -> WebResult<Response> {
    render(&ImportPage {
        ctx: PageCtx::new(&viewer, "import"),
        limit_mb: state
            .config
            .upload_limit(crate::config::BodyClass::Document)
            / (1024 * 1024),
        own: viewer
            .account()
            .is_some_and(|u| !tinhgon_domain::user::can_import_plan(u)),
    })
}

/// `GET /import/template.xlsx`: the spreadsheet template for a plan's tasks.
pub async fn template(viewer: Viewer) -> WebResult<Response> {
    let user = viewer.require()?;
    if !tinhgon_domain::user::can_import_plan(user)
        && !tinhgon_domain::user::can_import_own_plan(user)
    {
        return Err(WebError::Forbidden);
    }
    let bytes = tokio::task::spawn_blocking(import::sheet_template::template)
        .await
        .map_err(|e| WebError::from(AppError::Internal(e.to_string())))??;
    Ok(crate::download::attachment(
        bytes,
        crate::pages::periodic::documents::XLSX,
        import::sheet_template::TEMPLATE_NAME,
    ))
}

/// `POST /import` (multipart, field `file`).
pub async fn upload(
    State(state): State<AppState>,
    viewer: Viewer,
    mut mp: Multipart,
) -> WebResult<Response> {
    let user = viewer.require()?.clone();
    // Rights first: a refused caller's file is never read. An agency officer imports its
    // own unit's plan, which goes to the monitor for review (see `pages::cascade`).
    if !tinhgon_domain::user::can_import_plan(&user)
        && !tinhgon_domain::user::can_import_own_plan(&user)
    {
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
    let file = PlanFile::parse(file)?;
    let province = crate::auth::viewer_province(&state, &viewer).await?;
    match import::import_file(&state.db, &user, province, file).await? {
        Imported::Draft(id) => Ok(redirect_ok(
            &state,
            &format!("/plans/{id}/review"),
            "Đã trích xuất kế hoạch. Vui lòng rà soát trước khi ban hành.",
        )),
        Imported::Duplicate(existing) => Ok(redirect_flash(
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
    /// Progress text a spreadsheet row carried.
    progress: Option<String>,
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

/// A staffing target found in the draft, as its form shows it.
struct FoundTargetView {
    index: usize,
    text: String,
    task_ref: String,
    include: bool,
    title: String,
    percent: String,
    direction: &'static str,
    categories: String,
    budget_only: bool,
    baseline_year: String,
    deadline: String,
    scope: String,
    /// `quota` or `headcount`.
    measure: &'static str,
}

/// The choices of the measure select: (value, label).
const MEASURE_CHOICES: [(&str, &str); 2] = [
    ("quota", "Biên chế được giao"),
    ("headcount", "Số người có mặt (đơn vị báo cáo)"),
];

/// The choices of the categories select: (value, label).
const CATEGORY_CHOICES: [(&str, &str); 4] = [
    ("civil_servant,public_employee", "Công chức và viên chức"),
    ("civil_servant", "Công chức"),
    ("public_employee", "Viên chức"),
    ("contract", "Hợp đồng lao động"),
];

fn found_targets(draft: &tinhgon_domain::PlanDraft) -> Vec<FoundTargetView> {
    use tinhgon_domain::draft::Direction;
    tinhgon_app::import::targets::found(draft)
        .into_iter()
        .map(|(index, r)| {
            let t = &draft.targets[index];
            FoundTargetView {
                index,
                text: t.text.clone(),
                task_ref: t.task_ref.clone().unwrap_or_default(),
                include: r.include,
                title: r.title,
                percent: format!("{}", r.percent).replace('.', ","),
                direction: match r.direction {
                    Direction::Decrease => "decrease",
                    Direction::Increase => "increase",
                    Direction::Cap => "cap",
                },
                categories: r
                    .categories
                    .iter()
                    .map(|c| c.as_str())
                    .collect::<Vec<_>>()
                    .join(","),
                budget_only: r.state_budget_paid_only,
                baseline_year: r.baseline_year.map(|y| y.to_string()).unwrap_or_default(),
                deadline: r.deadline.map(crate::view::date).unwrap_or_default(),
                scope: r.scope.join("; "),
                measure: r.measure.as_str(),
            }
        })
        .collect()
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
    targets: Vec<FoundTargetView>,
    categories: &'static [(&'static str, &'static str)],
    measures: &'static [(&'static str, &'static str)],
    /// The draft was read from a spreadsheet: its source lines are the sheet's rows.
    from_sheet: bool,
    /// The higher task, and who sends, publishes or returns (`cascade_review.html`).
    cascade: crate::pages::cascade::ReviewBox,
    /// The draft amends a plan (văn bản sửa đổi, bổ sung): its panel.
    amendment: Option<crate::pages::amendment::Panel>,
    /// Imported as an amendment: its changes replace the tasks to review.
    amending: bool,
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
    // The plan's monitor, or the officer of the unit whose own draft it is.
    let (p, _) = tinhgon_app::cascade::reviewable(&state.db, &user, PlanId(id)).await?;
    if p.rec.plan.state != PlanState::Draft {
        return Ok(redirect_ok(
            &state,
            &format!("/plans/{id}"),
            "Kế hoạch đã được ban hành.",
        ));
    }
    let unresolved = plans::unresolved_agencies(&state.db, id, today()).await?;
    let unit_names = wq::unit_names(&state.db, p.rec.province_id).await?;
    let mut units: Vec<(Id, String)> = wq::units_for_select(&state.db, p.rec.province_id).await?;
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
                progress: t.progress.clone(),
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
    let amendment = crate::pages::amendment::panel(&state, &user, &p).await?;
    render(&ReviewPage {
        amending: amendment.as_ref().is_some_and(|a| a.chosen.is_some()),
        amendment,
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
        warnings: tinhgon_app::import::review::current_warnings(draft),
        csrf: viewer.csrf.clone(),
        mapped,
        problems,
        refused: q.publish.as_deref() == Some("refused"),
        targets: found_targets(draft),
        categories: &CATEGORY_CHOICES,
        cascade: crate::pages::cascade::review_box(&state, &user, id).await?,
        measures: &MEASURE_CHOICES,
        from_sheet: !draft.tasks.is_empty()
            && draft
                .tasks
                .iter()
                .all(|t| t.source.layout == "spreadsheet_row"),
    })
}

/// `POST /plans/{plan}/review/meta`.
pub async fn edit_meta(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<Id>,
    Form(f): Form<MetaForm>,
) -> WebResult<Response> {
    let user = viewer.require()?;
    review::save_meta(&state.db, user, PlanId(id), f).await?;
    Ok(redirect_ok(
        &state,
        &format!("/plans/{id}/review"),
        "Đã lưu thông tin văn bản.",
    ))
}

/// `POST /plans/{plan}/review/tasks/{task_index}`: save, delete, merge with the next, or split.
pub async fn edit_task(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((id, index)): Path<(Id, usize)>,
    Form(f): Form<TaskForm>,
) -> WebResult<Response> {
    let user = viewer.require()?;
    let msg = review::edit_task(&state.db, user, PlanId(id), index, &f).await?;
    Ok(redirect_ok(
        &state,
        &format!("/plans/{id}/review#task-{index}"),
        msg,
    ))
}

/// `POST /plans/{plan}/review/targets/{target_index}`: the reviewer's reading of a staffing
/// target found in the plan.
pub async fn edit_target(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((id, index)): Path<(Id, usize)>,
    Form(f): Form<tinhgon_app::import::targets::FoundTargetForm>,
) -> WebResult<Response> {
    let user = viewer.require()?;
    tinhgon_app::import::targets::save_target(&state.db, user, PlanId(id), index, f).await?;
    Ok(redirect_ok(
        &state,
        &format!("/plans/{id}/review#target-{index}"),
        "Đã lưu chỉ tiêu biên chế.",
    ))
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
    let user = viewer.require()?;
    let n =
        mapping::map_mention(&state.db, user, PlanId(id), &f.mention, scope, &f.unit_id).await?;
    let msg = match (f.unit_id.trim(), n) {
        ("clear", _) => "Đã bỏ ánh xạ.".to_string(),
        (_, 1) => "Đã ánh xạ cơ quan.".to_string(),
        (_, n) => format!("Đã ánh xạ cơ quan cho {n} chỗ có cùng tên."),
    };
    Ok(redirect_ok(&state, &format!("/plans/{id}/review"), &msg))
}

/// `POST /plans/{plan}/publish`: creates the assignments (one transaction in the store).
/// A refusal changes nothing and leads back to the review page, which lists the tasks to fix.
pub async fn publish(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<Id>,
) -> WebResult<Response> {
    let user = viewer.require()?;
    match publishing::publish_draft(&state.db, user, PlanId(id)).await {
        Ok((_, msg)) => Ok(redirect_ok(&state, &format!("/plans/{id}"), &msg)),
        // The list itself is on the review page (a cookie could not hold a long one).
        Err(AppError::Conflict(msg)) if msg.starts_with(publishing::REFUSED) => Ok(redirect_flash(
            &state,
            &format!("/plans/{id}/review?publish=refused#refusal"),
            "error",
            "Chưa ban hành được kế hoạch: còn nhiệm vụ cần xử lý (xem danh sách bên dưới). Bản nháp và các chỉnh sửa đã lưu được giữ nguyên.",
        )),
        Err(e) => Err(e.into()),
    }
}
