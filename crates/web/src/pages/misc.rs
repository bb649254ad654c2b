//! Notifications, the audit page, the register pages (unit tree as of a date, a unit's
//! history and lineage) and search.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use chrono::Utc;
use std::collections::HashSet;

use serde::Deserialize;
use tinhgon_domain::model::Id;
use tinhgon_domain::unit::Unit;
use tinhgon_domain::user::{can_read_assignment, PlanAccess, Role};
use tinhgon_store::assignment_view;
use tinhgon_store::web_queries::{self as wq, WorkRow};
use tinhgon_store::{audit as store_audit, notifications, register};

use crate::auth::Viewer;
use crate::error::{WebError, WebResult};
use crate::extract::{Path, Query};
use crate::pages::dashboard::{as_of, short, viewer_province};
use crate::pages::{redirect_flash, render};
use crate::view::{class_badge, class_today, date, date_opt, datetime, today, PageCtx};
use crate::AppState;

struct NoteLine {
    at: String,
    text: String,
    link: String,
    unread: bool,
}

#[derive(Template)]
#[template(path = "notifications.html")]
struct NotificationsPage {
    ctx: PageCtx,
    items: Vec<NoteLine>,
}

/// `GET /notifications`.
pub async fn notifications_page(
    State(state): State<AppState>,
    viewer: Viewer,
) -> WebResult<Response> {
    let user = viewer.require()?;
    let items = notifications::for_user(&state.db, user.id, 200)
        .await?
        .into_iter()
        .map(|n| NoteLine {
            at: datetime(n.created_at),
            text: n.text,
            link: n.link.filter(|l| l.starts_with('/')).unwrap_or_default(),
            unread: n.read_at.is_none(),
        })
        .collect();
    render(&NotificationsPage {
        ctx: PageCtx::new(&viewer, "notifications"),
        items,
    })
}

/// `POST /notifications/read`.
pub async fn mark_read(State(state): State<AppState>, viewer: Viewer) -> WebResult<Response> {
    let user = viewer.require()?;
    notifications::mark_all_read(&state.db, user.id, Utc::now()).await?;
    Ok(redirect_flash(
        &state,
        "/notifications",
        "ok",
        "Đã đánh dấu tất cả là đã đọc.",
    ))
}

struct AuditLine {
    id: i64,
    at: String,
    who: String,
    action: String,
    before: String,
    after: String,
}

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    ctx: PageCtx,
    kind: String,
    object: Id,
    lines: Vec<AuditLine>,
}

/// Vietnamese name of an audited action.
fn action_vi(a: &str) -> String {
    let s = match a {
        "plan.import" => "Nhập kế hoạch",
        "plan.publish" => "Ban hành kế hoạch",
        "plan.public" => "Thay đổi công khai",
        "plan.draft.meta" => "Sửa thông tin văn bản",
        "plan.draft.map" => "Ánh xạ cơ quan",
        "assignment.start" => "Bắt đầu thực hiện",
        "assignment.propose_completion" => "Đề nghị hoàn thành",
        "assignment.confirm" => "Xác nhận hoàn thành",
        "assignment.return" => "Trả lại",
        "assignment.cancel" => "Hủy phân công",
        "assignment.progress" => "Báo cáo tiến độ",
        "extension.request" => "Đề nghị gia hạn",
        "extension.approve" => "Đồng ý gia hạn",
        "extension.refuse" => "Không đồng ý gia hạn",
        "obstacle.raise" => "Báo cáo vướng mắc",
        "obstacle.answer" => "Trả lời vướng mắc",
        "unit.urge" => "Đôn đốc",
        "task.trigger" => "Ghi nhận điều kiện",
        "task.contribution" => "Ý kiến phối hợp",
        "user.create" => "Tạo tài khoản",
        "user.active" => "Khóa/mở tài khoản",
        "user.password" => "Đổi mật khẩu",
        "user.locked" => "Tạm khóa do đăng nhập sai",
        other if other.starts_with("plan.draft.task") => "Sửa nhiệm vụ trong bản nháp",
        other => other,
    };
    s.to_string()
}

/// Kinds of object that have an audit page.
pub const AUDIT_KINDS: &[&str] = &["plan", "assignment", "task", "unit", "user", "api_token"];

/// `GET /audit/{kind}/{object}`: the audit rows of one object (monitors and admin).
pub async fn audit_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((kind, object)): Path<(String, Id)>,
) -> WebResult<Response> {
    if !AUDIT_KINDS.contains(&kind.as_str()) {
        return Err(WebError::NotFound);
    }
    let lines = store_audit::for_object(&state.db, &kind, object)
        .await?
        .into_iter()
        .map(|r| AuditLine {
            id: r.id,
            at: chrono::DateTime::parse_from_rfc3339(&r.at)
                .map(|t| datetime(t.with_timezone(&Utc)))
                .unwrap_or(r.at.clone()),
            who: r.actor_login.unwrap_or_else(|| "Hệ thống".into()),
            action: action_vi(&r.action),
            before: r.before_json.unwrap_or_default(),
            after: r.after_json.unwrap_or_default(),
        })
        .collect();
    render(&AuditPage {
        ctx: PageCtx::new(&viewer, "dashboard"),
        kind,
        object,
        lines,
    })
}

struct TreeNode {
    id: Id,
    name: String,
    kind: &'static str,
    depth: usize,
}

#[derive(Template)]
#[template(path = "units.html")]
struct UnitsPage {
    ctx: PageCtx,
    as_of: String,
    nodes: Vec<TreeNode>,
}

/// `?as_of=`.
#[derive(Deserialize, Default)]
pub struct AsOfQuery {
    as_of: Option<String>,
}

fn walk(units: &[Unit], parent: Option<Id>, depth: usize, out: &mut Vec<TreeNode>) {
    let mut children: Vec<&Unit> = units.iter().filter(|u| u.parent_id == parent).collect();
    children.sort_by(|a, b| tinhgon_textkit::compare(&a.name, &b.name));
    for u in children {
        out.push(TreeNode {
            id: u.id,
            name: u.name.clone(),
            kind: u.kind.label_vi(),
            depth,
        });
        if depth < 6 {
            walk(units, Some(u.id), depth + 1, out);
        }
    }
}

/// `GET /units`: the unit tree as of a date.
pub async fn units(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<AsOfQuery>,
) -> WebResult<Response> {
    let day = as_of(q.as_of.as_deref())?;
    let province = viewer_province(&state, &viewer)
        .await?
        .ok_or(WebError::NotFound)?;
    let units = register::units_as_of(&state.db, province, day).await?;
    let ids: std::collections::HashSet<Id> = units.iter().map(|u| u.id).collect();
    let mut nodes = Vec::new();
    // Roots: units whose parent is not in the set as of that day.
    let roots: Vec<Unit> = units
        .iter()
        .filter(|u| u.parent_id.is_none_or(|p| !ids.contains(&p)))
        .cloned()
        .collect();
    for r in roots {
        nodes.push(TreeNode {
            id: r.id,
            name: r.name.clone(),
            kind: r.kind.label_vi(),
            depth: 0,
        });
        walk(&units, Some(r.id), 1, &mut nodes);
    }
    render(&UnitsPage {
        ctx: PageCtx::new(&viewer, "units"),
        as_of: date(day),
        nodes,
    })
}

#[derive(Template)]
#[template(path = "unit.html")]
struct UnitPage {
    ctx: PageCtx,
    id: Id,
    name: String,
    kind: &'static str,
    valid: String,
    events: Vec<String>,
    predecessors: Vec<(Id, String)>,
    successors: Vec<(Id, String)>,
    moved: Vec<(Id, String, String)>,
    open: Vec<(Id, String, String, String)>,
}

/// The open assignments of `unit` the viewer may read, by due date: each one by the rights rule
/// of its plan (`can_read_assignment`): admins and the province's monitors and leaders see
/// them all, an officer sees its own unit's and, of another unit, only those of plans that
/// concern its own unit or are public. Shared by page and API.
pub async fn readable_open_work(
    state: &AppState,
    viewer: &Viewer,
    unit: Id,
) -> WebResult<Vec<WorkRow>> {
    let user = viewer.require()?;
    let rows = assignment_view::open_of_unit(&state.db, unit).await?;
    // Only an officer looking at another unit needs to know which plans concern its own unit.
    let concerning: HashSet<Id> = match user.unit_id {
        Some(mine) if user.role == Role::AgencyOfficer && mine != unit && !rows.is_empty() => {
            assignment_view::plans_concerning(&state.db, mine)
                .await?
                .into_iter()
                .collect()
        }
        _ => HashSet::new(),
    };
    let mut out = Vec::new();
    for r in rows {
        let concerned: Vec<Id> = match user.unit_id {
            Some(mine) if concerning.contains(&r.work.plan_id) => vec![mine],
            _ => Vec::new(),
        };
        let access = PlanAccess {
            province_id: r.plan_province_id,
            state: r.plan_state()?,
            public: r.plan_public,
            concerned_unit_ids: &concerned,
        };
        if can_read_assignment(Some(user), &access, r.work.unit_id) {
            out.push(r.work);
        }
    }
    Ok(out)
}

/// `GET /units/{unit}`: history, lineage, and the assignments that moved with it.
pub async fn unit(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<Id>,
) -> WebResult<Response> {
    let h = register::unit_history(&state.db, id).await?;
    let names = wq::unit_names(&state.db, None).await?;
    let n = |u: &Id| names.get(u).cloned().unwrap_or_default();
    let mut events = Vec::new();
    for e in h.formed_by.iter().chain(h.ended_by.iter()) {
        events.push(format!(
            "{}: {} ({} → {}){}",
            date(e.effective),
            e.kind.label_vi(),
            e.predecessors.iter().map(&n).collect::<Vec<_>>().join(", "),
            e.successors.iter().map(&n).collect::<Vec<_>>().join(", "),
            e.decision
                .as_ref()
                .map(|d| format!(", theo {d}"))
                .unwrap_or_default()
        ));
    }
    let moved = h
        .moved_out
        .iter()
        .map(|(a, to, at)| (*a, n(to), datetime(*at)))
        .collect();
    let now = today();
    let open = readable_open_work(&state, &viewer, id)
        .await?
        .into_iter()
        .map(|w| {
            (
                w.id,
                format!(
                    "{} {}",
                    w.plan_number.clone().unwrap_or_default(),
                    w.task_ref
                ),
                short(&w.content, 120),
                class_badge(class_today(&w, now)),
            )
        })
        .collect();
    let valid = format!(
        "từ {} đến {}",
        date_opt(h.unit.valid_from),
        h.unit.valid_to.map(date).unwrap_or_else(|| "nay".into())
    );
    render(&UnitPage {
        ctx: PageCtx::new(&viewer, "units"),
        id,
        name: h.unit.name.clone(),
        kind: h.unit.kind.label_vi(),
        valid,
        events,
        predecessors: h
            .predecessors
            .iter()
            .map(|u| (u.id, u.name.clone()))
            .collect(),
        successors: h
            .successors
            .iter()
            .map(|u| (u.id, u.name.clone()))
            .collect(),
        moved,
        open,
    })
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage {
    ctx: PageCtx,
    q: String,
    hits: Vec<(String, String, String, String)>,
}

/// `?q=`.
#[derive(Deserialize, Default)]
pub struct SearchQuery {
    q: Option<String>,
}

/// Search hits (kind, id, label, detail) for text typed by a user, ignoring diacritics and
/// case; fewer than 2 letters find nothing. Shared by page and API.
pub async fn search_hits(
    state: &AppState,
    text: &str,
) -> WebResult<Vec<(String, Id, String, String)>> {
    if tinhgon_textkit::search_key(text).chars().count() < 2 {
        return Ok(Vec::new());
    }
    Ok(wq::search(&state.db, text, 100).await?)
}

/// `GET /search`: plans, tasks and units, ignoring diacritics and case.
pub async fn search(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<SearchQuery>,
) -> WebResult<Response> {
    let text = q.q.unwrap_or_default();
    let hits = search_hits(&state, &text)
        .await?
        .into_iter()
        .map(|(k, id, label, detail)| {
            let (kind, href) = match k.as_str() {
                "unit" => ("Đơn vị", format!("/units/{id}")),
                "plan" => ("Kế hoạch", format!("/plans/{id}")),
                _ => ("Nhiệm vụ", String::new()),
            };
            (kind.to_string(), href, label, short(&detail, 160))
        })
        .collect();
    render(&SearchPage {
        ctx: PageCtx::new(&viewer, "search"),
        q: text,
        hits,
    })
}
