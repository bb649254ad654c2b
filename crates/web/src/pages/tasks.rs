//! The task list page ("Nhiệm vụ"): every assignment of the province across plans, filtered,
//! sorted, paged and exported (XLSX, CSV) with the filters on screen.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use tinhgon_app::saved_filters;
use tinhgon_app::task_list::{self, TaskListQuery};
use tinhgon_domain::class::StatusClass;
use tinhgon_store::assignment_list::{SortBy, UnitRole};

use crate::auth::Viewer;
use crate::error::{WebError, WebResult};
use crate::pages::dashboard::short;
use crate::pages::{redirect_ok, render};
use crate::request::{Form, Path, Query};
use crate::view::{
    class_badge, date, due_label, percent_label, status_label, thousands, today, Choice, PageCtx,
};
use crate::AppState;

/// Plans in the picker: the most recently published.
const PICKER_PLANS: usize = 30;

/// One row of the list.
struct Row {
    id: i64,
    plan_id: i64,
    plan: String,
    task_ref: String,
    content: String,
    unit_id: i64,
    unit: String,
    due: String,
    badge: String,
    status: &'static str,
    percent: String,
}

/// A sortable column header.
struct SortLink {
    label: &'static str,
    href: String,
    current: bool,
}

#[derive(Template)]
#[template(path = "tasks.html")]
struct TasksPage {
    ctx: PageCtx,
    q: TaskListQuery,
    plans: Vec<Choice>,
    units: Vec<Choice>,
    classes: Vec<Choice>,
    coordinating: bool,
    rows: Vec<Row>,
    total: String,
    shown: String,
    sorts: Vec<SortLink>,
    prev: Option<String>,
    next: Option<String>,
    position: String,
    export: String,
    saved: Vec<SavedLink>,
}

/// A saved filter as the list shows it.
struct SavedLink {
    id: i64,
    name: String,
    href: String,
    current: bool,
}

/// `GET /tasks`.
pub async fn list(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<TaskListQuery>,
) -> WebResult<Response> {
    let user = viewer.require()?.clone();
    let province = crate::auth::listing_province(&state, &viewer).await?;
    let (req, page) = task_list::list(&state.db, &user, province, &q, today()).await?;
    // The picker holds the recent plans (a province has well over a thousand); any other is
    // found by its number, and stays selected once chosen.
    let mut recent =
        tinhgon_store::dash_cache::recent_published_plans(&state.db, province, PICKER_PLANS)
            .await?;
    if let Some(p) = req
        .filter
        .plan
        .filter(|p| !recent.iter().any(|(id, _, _)| id == p))
    {
        if let Some(plan) =
            tinhgon_store::dash_cache::published_plan(&state.db, province, p).await?
        {
            recent.insert(0, plan);
        }
    }
    let plans = recent
        .into_iter()
        .map(|(id, n, t)| Choice {
            value: id.to_string(),
            label: tinhgon_domain::plan::plan_name(n.as_deref(), t.as_deref()),
            selected: req.filter.plan == Some(id),
        })
        .collect();
    let units = tinhgon_store::web_queries::units_for_select(&state.db, province)
        .await?
        .into_iter()
        .map(|(id, n)| Choice {
            value: id.to_string(),
            label: n,
            selected: req.filter.unit == Some(id),
        })
        .collect();
    let classes = StatusClass::ALL
        .iter()
        .map(|c| Choice {
            value: c.as_str().into(),
            label: c.label_vi().into(),
            selected: req.filter.class == Some(*c),
        })
        .collect();
    let sort_name = match req.sort {
        SortBy::Due => "due",
        SortBy::Plan => "plan",
        SortBy::Unit => "unit",
        SortBy::Class => "class",
    };
    let sorts = [
        ("Hạn", "due"),
        ("Kế hoạch", "plan"),
        ("Đơn vị chủ trì", "unit"),
        ("Tình trạng", "class"),
    ]
    .into_iter()
    .map(|(label, key)| SortLink {
        label,
        href: format!("/tasks?{}", q.query_string(key, 1)),
        current: key == sort_name,
    })
    .collect();
    let here = q.query_string(q.sort.trim(), 1);
    let saved = saved_filters::list(&state.db, &user)
        .await?
        .into_iter()
        .map(|f| SavedLink {
            current: f.query == here,
            id: f.id,
            name: f.name,
            href: format!("/tasks?{}", f.query),
        })
        .collect();
    let pages = page.total.div_ceil(u64::from(req.per_page)).max(1);
    let first = u64::from(req.page - 1) * u64::from(req.per_page);
    let rows: Vec<Row> = page
        .lines
        .iter()
        .map(|l| Row {
            id: l.work.id,
            plan_id: l.work.plan_id,
            plan: l.work.plan_number.clone().unwrap_or_default(),
            task_ref: l.work.task_ref.clone(),
            content: short(&l.work.content, 180),
            unit_id: l.work.unit_id,
            unit: l.unit.clone(),
            due: due_label(&l.work),
            badge: class_badge(Some(l.class)),
            status: status_label(&l.work.status),
            percent: percent_label(&l.work),
        })
        .collect();
    let shown = if rows.is_empty() {
        String::new()
    } else {
        format!(
            "Hiển thị {}–{} trên {} nhiệm vụ",
            thousands(first + 1),
            thousands(first + rows.len() as u64),
            thousands(page.total)
        )
    };
    render(&TasksPage {
        ctx: PageCtx::new(&viewer, "tasks"),
        coordinating: req.filter.role == UnitRole::Coordinating,
        plans,
        units,
        classes,
        total: thousands(page.total),
        shown,
        sorts,
        prev: (req.page > 1).then(|| format!("/tasks?{}", q.query_string(sort_name, req.page - 1))),
        next: (u64::from(req.page) < pages)
            .then(|| format!("/tasks?{}", q.query_string(sort_name, req.page + 1))),
        position: format!("Trang {}/{}", req.page, thousands(pages)),
        export: here.clone(),
        saved,
        rows,
        q,
    })
}

/// `GET /tasks.xlsx` and `GET /tasks.csv`: the list with its filters, every row.
async fn export(
    state: &AppState,
    viewer: &Viewer,
    q: &TaskListQuery,
    csv: bool,
) -> WebResult<Response> {
    let user = viewer.require()?;
    let province = crate::auth::listing_province(state, viewer).await?;
    let rows = task_list::export_rows(&state.db, user, province, q, today()).await?;
    let name = format!("Danh sách nhiệm vụ {}", date(today()).replace('/', "-"));
    if csv {
        let bytes = tinhgon_reports::csv::tasks_csv(&rows).map_err(WebError::internal)?;
        return Ok(crate::download::attachment(
            bytes,
            "text/csv; charset=utf-8",
            &format!("{name}.csv"),
        ));
    }
    let mut buf = std::io::Cursor::new(Vec::new());
    tinhgon_reports::tasks_xlsx_streaming(rows, &mut buf, &Default::default())
        .map_err(WebError::internal)?;
    Ok(crate::download::attachment(
        buf.into_inner(),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        &format!("{name}.xlsx"),
    ))
}

/// `GET /tasks.xlsx`.
pub async fn export_xlsx(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<TaskListQuery>,
) -> WebResult<Response> {
    export(&state, &viewer, &q, false).await
}

/// `GET /tasks.csv`.
pub async fn export_csv(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<TaskListQuery>,
) -> WebResult<Response> {
    export(&state, &viewer, &q, true).await
}

/// The form that names the filters on screen (they come along as hidden fields).
#[derive(serde::Deserialize)]
pub struct SaveFilterForm {
    #[serde(default)]
    name: String,
    #[serde(flatten)]
    q: TaskListQuery,
}

/// `POST /tasks/filters`: saves the list's filters under a name.
pub async fn save_filter(
    State(state): State<AppState>,
    viewer: Viewer,
    Form(f): Form<SaveFilterForm>,
) -> WebResult<Response> {
    let user = viewer.require()?.clone();
    saved_filters::save(&state.db, &user, &f.name, &f.q, chrono::Utc::now()).await?;
    let to = format!("/tasks?{}", f.q.query_string(f.q.sort.trim(), 1));
    Ok(redirect_ok(&state, &to, "Đã lưu bộ lọc."))
}

/// `POST /tasks/filters/{filter}/delete`.
pub async fn delete_filter(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> WebResult<Response> {
    let user = viewer.require()?.clone();
    saved_filters::delete(&state.db, &user, id).await?;
    Ok(redirect_ok(&state, "/tasks", "Đã xóa bộ lọc."))
}
