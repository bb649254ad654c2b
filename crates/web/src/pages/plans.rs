//! Plans: list, plan page (metadata, legal-basis chain, tasks with their assignments,
//! sub-plans), public pages, and the public flag.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use tinhgon_app::{access, publishing};
use tinhgon_domain::ids::PlanId;
use tinhgon_domain::model::Id;
use tinhgon_domain::plan::PlanState;
use tinhgon_domain::user::{can_monitor, can_read_plan, User};
use tinhgon_store::web_queries as wq;

use crate::auth::Viewer;
use crate::error::{WebError, WebResult};
use crate::pages::dashboard::short;
use crate::pages::{redirect_ok, render};
use crate::request::{Form, Path, Query};
use crate::view::{
    class_badge, class_today, date_opt, datetime, status_label, thousands, today, Choice, PageCtx,
};
use crate::AppState;

pub use tinhgon_app::access::LoadedPlan;

/// Loads a plan and its concerned units.
pub async fn load(state: &AppState, id: Id) -> WebResult<LoadedPlan> {
    Ok(access::plan(&state.db, PlanId(id)).await?)
}

/// Loads a plan the viewer may read (404 otherwise, so existence does not leak).
pub async fn load_readable(state: &AppState, viewer: &Viewer, id: Id) -> WebResult<LoadedPlan> {
    Ok(access::readable_plan(&state.db, viewer.account(), PlanId(id)).await?)
}

/// Loads a plan the viewer monitors.
pub async fn load_monitored(state: &AppState, user: &User, id: Id) -> WebResult<LoadedPlan> {
    Ok(access::monitored_plan(&state.db, user, PlanId(id)).await?)
}

struct PlanLine {
    id: Id,
    number: String,
    title: String,
    state: &'static str,
    draft: bool,
    date: String,
    issuer: String,
    tasks: String,
    progress: String,
    percent: i64,
}

/// The list's filters kept on every pager link.
fn filter_query(state: &str, text: &str) -> String {
    let mut out = String::new();
    for (k, v) in [("state", state), ("q", text)] {
        if !v.trim().is_empty() {
            out.push('&');
            out.push_str(
                &form_urlencoded::Serializer::new(String::new())
                    .append_pair(k, v.trim())
                    .finish(),
            );
        }
    }
    out
}

#[derive(Template)]
#[template(path = "plans.html")]
struct PlansPage {
    ctx: PageCtx,
    plans: Vec<PlanLine>,
    can_import: bool,
    /// An agency officer imports its own unit's plan for the monitor's review.
    can_import_own: bool,
    /// The agencies' drafts sent for review (monitors) or the unit's own drafts (officers).
    drafts: Vec<crate::pages::cascade::DraftLine>,
    pager: Pager,
    states: Vec<Choice>,
    q: String,
}

pub use tinhgon_app::plans::{
    visible_plans_page, PageQuery, VisiblePlans, PER_PAGE_DEFAULT, PER_PAGE_MAX,
};

/// The plans the viewer may read, one page of them.
pub async fn visible_plans(
    state: &AppState,
    viewer: &Viewer,
    q: PageQuery,
) -> WebResult<VisiblePlans> {
    let user = viewer.require()?;
    let province_id = crate::auth::listing_province(state, viewer).await?;
    Ok(visible_plans_page(&state.db, user, province_id, q).await?)
}

/// A numbered link of a pager, or a gap ("…") between two.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PagerLink {
    /// Page number (0 for a gap).
    pub n: u32,
    /// The current page.
    pub current: bool,
    /// A gap.
    pub gap: bool,
}

/// Links of a paged list: previous, numbered pages around the current one, next.
pub struct Pager {
    /// Current page.
    pub page: u32,
    /// Number of pages (at least 1).
    pub pages: u32,
    /// Items over all pages.
    pub total: i64,
    /// The numbered links, with gaps.
    pub links: Vec<PagerLink>,
    /// Query suffix kept on every link (`&per_page=…`).
    pub keep: String,
}

impl Pager {
    /// The pager of page `page` of `total` items, `per_page` each.
    pub fn new(page: u32, per_page: u32, total: i64) -> Pager {
        let per = i64::from(per_page.max(1));
        let pages = u32::try_from(((total.max(0) + per - 1) / per).max(1)).unwrap_or(u32::MAX);
        let mut wanted: Vec<u32> = vec![1, pages];
        wanted.extend(
            (page.saturating_sub(2)..=page.saturating_add(2)).filter(|n| (1..=pages).contains(n)),
        );
        wanted.sort_unstable();
        wanted.dedup();
        let mut links: Vec<PagerLink> = Vec::new();
        let mut last = 0;
        for n in wanted {
            if last != 0 && n > last + 1 {
                links.push(PagerLink {
                    n: 0,
                    current: false,
                    gap: true,
                });
            }
            links.push(PagerLink {
                n,
                current: n == page,
                gap: false,
            });
            last = n;
        }
        Pager {
            page,
            pages,
            total,
            links,
            keep: if per_page == PER_PAGE_DEFAULT {
                String::new()
            } else {
                format!("&per_page={per_page}")
            },
        }
    }
}

/// `GET /plans`: the plans the viewer may read, one page at a time.
pub async fn list(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<PageQuery>,
) -> WebResult<Response> {
    let user = viewer.require()?.clone();
    let state_filter = q.state.clone().unwrap_or_default();
    let text = q.q.clone().unwrap_or_default();
    let v = visible_plans(&state, &viewer, q).await?;
    let plans = v
        .plans
        .into_iter()
        .map(|p| PlanLine {
            id: p.id,
            number: p.number.unwrap_or_else(|| "(chưa có số)".into()),
            title: p.title.unwrap_or_default(),
            state: p.state.label_vi(),
            draft: p.state == PlanState::Draft,
            date: date_opt(p.issued_on),
            issuer: p.issuer.unwrap_or_default(),
            tasks: thousands(p.tasks.max(0) as u64),
            progress: if p.assignments > 0 {
                format!(
                    "{}/{} phân công hoàn thành",
                    thousands(p.done.max(0) as u64),
                    thousands(p.assignments as u64)
                )
            } else {
                String::new()
            },
            percent: if p.assignments > 0 {
                (p.done * 100 / p.assignments).clamp(0, 100)
            } else {
                0
            },
        })
        .collect();
    let mut pager = Pager::new(v.page, v.per_page, v.total);
    pager.keep.push_str(&filter_query(&state_filter, &text));
    let province = crate::auth::listing_province(&state, &viewer).await?;
    let drafts = crate::pages::cascade::drafts_box(&state, &user, province).await?;
    render(&PlansPage {
        ctx: PageCtx::new(&viewer, "plans"),
        plans,
        drafts,
        can_import: user.role.monitors(),
        can_import_own: tinhgon_domain::user::can_import_own_plan(&user),
        pager,
        states: [
            ("", "Tất cả"),
            ("draft", "Bản nháp chờ rà soát"),
            ("published", "Đang theo dõi thực hiện"),
        ]
        .into_iter()
        .map(|(value, label)| Choice {
            value: value.into(),
            label: label.into(),
            selected: state_filter == value,
        })
        .collect(),
        q: text,
    })
}

struct TaskView {
    id: Id,
    reference: String,
    content: String,
    deadline: String,
    deliverable: String,
    waiting: bool,
    triggered: String,
    coordinating: Vec<String>,
    assignments: Vec<AssignView>,
    /// Progress rolled up from the plans implementing the task, in words (empty: none).
    rollup: String,
}

struct AssignView {
    id: Id,
    unit: String,
    status: &'static str,
    badge: String,
    due: String,
    percent: String,
}

struct Basis {
    text: String,
    link: Option<Id>,
}

#[derive(Template)]
#[template(path = "plan.html")]
struct PlanPage {
    ctx: PageCtx,
    id: Id,
    label: String,
    title: String,
    issuer: String,
    date: String,
    signer: String,
    state: &'static str,
    public: bool,
    can_monitor: bool,
    published_at: String,
    bases: Vec<Basis>,
    parent: Option<(Id, String)>,
    subs: Vec<(Id, String)>,
    /// The cascade under this plan, rendered (`cascade_tree.html`); empty when none.
    tree: String,
    /// The roll-up rule, stated beside the tree.
    rule: &'static str,
    tasks: Vec<TaskView>,
    csrf: String,
    public_view: bool,
    changes: Vec<ChangeLine>,
    /// The monitor may add a task (the plan is published).
    can_add_task: bool,
    /// Units of the province to choose the new task's lead and coordinators from.
    units: Vec<(Id, String)>,
    /// The amending documents applied to this plan: (id, how the list names it).
    amendments: Vec<(Id, String)>,
    /// The plan this one amends, when it is an amending document: (id, label).
    amends: Option<(Id, String)>,
}

/// One change made to the published plan.
struct ChangeLine {
    at: String,
    task_ref: String,
    href: String,
    kind: &'static str,
    before: String,
    after: String,
    reason: String,
    document: String,
    by: String,
}

async fn plan_page(
    state: &AppState,
    viewer: &Viewer,
    p: LoadedPlan,
    public_view: bool,
) -> WebResult<Response> {
    let id = p.rec.plan.id;
    let meta = &p.rec.plan.meta;
    let names = wq::unit_names(&state.db, p.rec.province_id).await?;
    let work = wq::plan_work(&state.db, id).await?;
    let coords = wq::plan_coordinators(&state.db, id).await?;
    let now = today();
    let mut tasks = Vec::new();
    for (tid, reference, content, deadline, kind, trig, deliverable) in
        wq::plan_tasks(&state.db, id).await?
    {
        let assignments = work
            .iter()
            .filter(|w| w.task_id == tid)
            .map(|w| AssignView {
                id: w.id,
                unit: names.get(&w.unit_id).cloned().unwrap_or_default(),
                status: status_label(&w.status),
                badge: class_badge(class_today(w, now)),
                due: crate::view::due_label(w),
                percent: crate::view::percent_label(w),
            })
            .collect();
        let coordinating = coords
            .iter()
            .filter(|c| c.0 == tid)
            .map(|c| {
                c.1.and_then(|u| names.get(&u).cloned())
                    .unwrap_or_else(|| c.2.clone())
            })
            .collect();
        tasks.push(TaskView {
            id: tid,
            reference,
            content,
            deadline,
            deliverable: deliverable.unwrap_or_default(),
            waiting: kind == "conditional" && trig.is_none(),
            triggered: date_opt(trig),
            coordinating,
            assignments,
            rollup: String::new(),
        });
    }
    let mut bases = Vec::new();
    for b in &meta.legal_bases {
        let link = match &b.number {
            Some(n) => wq::plan_by_number(&state.db, n).await?.filter(|l| *l != id),
            None => None,
        };
        bases.push(Basis {
            text: b.text.clone(),
            link,
        });
    }
    let parent = tinhgon_app::cascade::current_parent(&state.db, p.rec.plan.parent_task_id)
        .await?
        .map(|c| {
            (
                c.plan_id.get(),
                format!("nhiệm vụ {} của {}", c.reference, c.plan),
            )
        });
    let (tree, rollups) = if public_view {
        (String::new(), Default::default())
    } else {
        crate::pages::cascade::tree_html(state, viewer.account(), &p).await?
    };
    for t in &mut tasks {
        t.rollup = rollups.get(&t.id).cloned().unwrap_or_default();
    }
    let subs = wq::sub_plans(&state.db, id)
        .await?
        .into_iter()
        .map(|(sid, n, t)| {
            (
                sid,
                format!("{} {}", n.unwrap_or_default(), t.unwrap_or_default()),
            )
        })
        .collect();
    let signer = meta
        .signer
        .as_ref()
        .map(|s| {
            format!(
                "{} {}",
                s.position.clone().unwrap_or_default(),
                s.name.clone().unwrap_or_default()
            )
        })
        .unwrap_or_default();
    let can = viewer
        .account()
        .is_some_and(|u| can_monitor(u, &p.access()));
    let amends = match tinhgon_store::plan_changes::amend::amended_plan(&state.db, id).await? {
        Some(a) if p.rec.plan.state == PlanState::Published => {
            let target = tinhgon_app::access::plan(&state.db, PlanId(a)).await?;
            Some((a, target.label()))
        }
        _ => None,
    };
    let amendments = tinhgon_store::plan_changes::amend::amendments_of(&state.db, id)
        .await?
        .into_iter()
        .map(|r| {
            let name = tinhgon_domain::plan::plan_name(r.number.as_deref(), r.title.as_deref());
            let date = r
                .issued_on
                .map(|d| format!(" ngày {}", crate::view::date(d)))
                .unwrap_or_default();
            (r.id, format!("{name}{date} — {} điều chỉnh", r.changes))
        })
        .collect();
    let changes = if public_view {
        Vec::new()
    } else {
        // An amending document lists the changes it made to the plan it amends.
        let list = match amends {
            Some(_) => tinhgon_store::plan_changes::list_by_amendment(&state.db, id).await?,
            None => {
                tinhgon_app::plan_changes::history(&state.db, viewer.account(), PlanId(id)).await?
            }
        };
        list.into_iter()
            .map(|c| ChangeLine {
                at: datetime(c.at),
                href: c.assignment_id.map_or_else(
                    || match amends {
                        Some((a, _)) => format!("/plans/{a}#task-{}", c.task_id),
                        None => format!("#task-{}", c.task_id),
                    },
                    |a| format!("/assignments/{a}"),
                ),
                task_ref: c.task_ref,
                kind: c.kind.label_vi(),
                before: if c.before.is_empty() {
                    "—".into()
                } else {
                    c.before
                },
                after: if c.after.is_empty() {
                    "—".into()
                } else {
                    c.after
                },
                reason: c.reason,
                document: c.document,
                by: c.by.unwrap_or_default(),
            })
            .collect()
    };
    let can_add_task =
        can && !public_view && p.rec.plan.state == PlanState::Published && amends.is_none();
    let units = if can_add_task {
        wq::units_for_select(&state.db, p.rec.province_id).await?
    } else {
        Vec::new()
    };
    render(&PlanPage {
        ctx: PageCtx::new(viewer, if public_view { "public" } else { "plans" }),
        can_add_task,
        units,
        id,
        label: p.label(),
        title: meta.title.clone().unwrap_or_default(),
        issuer: meta.issuer.clone().unwrap_or_default(),
        date: date_opt(meta.date),
        signer: signer.trim().to_string(),
        state: p.rec.plan.state.label_vi(),
        public: p.rec.plan.public,
        can_monitor: can && !public_view,
        published_at: p.rec.published_at.map(datetime).unwrap_or_default(),
        bases,
        parent,
        subs,
        tree,
        rule: crate::pages::cascade::RULE,
        tasks,
        csrf: viewer.csrf.clone(),
        public_view,
        changes,
        amendments,
        amends,
    })
}

/// `GET /plans/{plan}`.
pub async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<Id>,
) -> WebResult<Response> {
    let p = load_readable(&state, &viewer, id).await?;
    if p.rec.plan.state == PlanState::Draft {
        return Ok(Redirect::to(&format!("/plans/{id}/review")).into_response());
    }
    plan_page(&state, &viewer, p, false).await
}

#[derive(Template)]
#[template(path = "public.html")]
struct PublicPage {
    ctx: PageCtx,
    plans: Vec<(Id, String, String)>,
}

/// `GET /public`: plans marked public.
pub async fn public_list(State(state): State<AppState>, viewer: Viewer) -> WebResult<Response> {
    let plans = wq::public_plans(&state.db)
        .await?
        .into_iter()
        .map(|(id, n, t)| (id, n.unwrap_or_default(), t.unwrap_or_default()))
        .collect();
    render(&PublicPage {
        ctx: PageCtx::new(&viewer, "public"),
        plans,
    })
}

/// `GET /public/plans/{plan}`: a public plan for anyone.
pub async fn public_show(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<Id>,
) -> WebResult<Response> {
    let p = load(&state, id).await?;
    if !can_read_plan(None, &p.access()) {
        return Err(WebError::NotFound);
    }
    plan_page(&state, &viewer, p, true).await
}

/// Field of the public flag form.
#[derive(Deserialize)]
pub struct PublicForm {
    public: String,
}

/// `POST /plans/{plan}/delete`: a monitor deletes a draft imported by mistake.
pub async fn delete_draft(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<Id>,
) -> WebResult<Response> {
    let user = viewer.require()?.clone();
    tinhgon_app::plans::delete_draft(&state.db, &user, PlanId(id)).await?;
    Ok(redirect_ok(&state, "/plans", "Đã xóa bản nháp."))
}

/// `POST /plans/{plan}/public`.
pub async fn set_public(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<Id>,
    Form(f): Form<PublicForm>,
) -> WebResult<Response> {
    let user = viewer.require()?.clone();
    let public = f.public == "1";
    publishing::set_public(&state.db, &user, PlanId(id), public).await?;
    Ok(redirect_ok(
        &state,
        &format!("/plans/{id}"),
        if public {
            "Kế hoạch đã được công khai."
        } else {
            "Đã thôi công khai kế hoạch."
        },
    ))
}

/// Content shortened for lists.
pub fn brief(s: &str) -> String {
    short(s, 140)
}
