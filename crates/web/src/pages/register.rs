//! The register pages: the unit tree as of a date, and a unit's history, lineage and open work.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;
use tinhgon_domain::ids::UnitId;
use tinhgon_domain::model::Id;
use tinhgon_domain::unit::Unit;
use tinhgon_store::register;
use tinhgon_store::web_queries as wq;

use crate::auth::Viewer;
use crate::error::{WebError, WebResult};
use crate::pages::dashboard::{as_of, short, viewer_province};
use crate::pages::render;
use crate::request::{Path, Query};
use crate::view::{class_badge, class_today, date, date_opt, datetime, today, PageCtx};
use crate::AppState;

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
    /// The monitor's add form: kinds and the units it may sit under.
    can_manage: bool,
    unit_kinds: Vec<(&'static str, &'static str)>,
    parents: Vec<(Id, String)>,
    today: String,
    /// Rule violations, function gaps and overlaps on the day.
    check: crate::pages::functions::CheckView,
}

/// `?as_of=`.
#[derive(Deserialize, Default)]
pub struct AsOfQuery {
    as_of: Option<String>,
}

fn walk(units: &[Unit], parent: Option<Id>, depth: usize, out: &mut Vec<TreeNode>) {
    let mut children: Vec<&Unit> = units.iter().filter(|u| u.parent_id == parent).collect();
    children.sort_by_cached_key(|u| tinhgon_textkit::sort_key(&u.name));
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
    let can_manage = tinhgon_domain::user::can_manage_register(viewer.require()?);
    let parents = if can_manage {
        let mut v: Vec<(Id, String)> = register::units_as_of(&state.db, province, today())
            .await?
            .into_iter()
            .map(|u| (u.id, u.name))
            .collect();
        v.sort_by_cached_key(|(_, n)| tinhgon_textkit::sort_key(n));
        v
    } else {
        Vec::new()
    };
    render(&UnitsPage {
        ctx: PageCtx::new(&viewer, "units"),
        as_of: date(day),
        nodes,
        can_manage,
        unit_kinds: tinhgon_domain::unit::UnitKind::ALL[1..]
            .iter()
            .map(|k| (k.as_str(), k.label_vi()))
            .collect(),
        parents,
        today: date(today()),
        check: crate::pages::functions::check_view(&state, province, day).await?,
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
    moved: Vec<(Id, String, String, String)>,
    open: Vec<(Id, String, String, String)>,
    extras: crate::pages::restructuring::UnitExtras,
    in_force: bool,
    today: String,
    /// Urgings: day, by whom, notice, number of assignments.
    urgings: Vec<(String, String, String, i64)>,
    /// The lineage picture of its group (empty when no event names it).
    lineage: String,
    legend: Vec<(&'static str, &'static str)>,
    /// Its state-management fields, overlaps and rule violations.
    functions: crate::pages::functions::UnitFunctionsView,
}

/// `GET /units/{unit}`: history, lineage, and the assignments that moved with it.
pub async fn unit(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<Id>,
) -> WebResult<Response> {
    tinhgon_app::access::readable_unit(&state.db, viewer.require()?, UnitId(id)).await?;
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
        .map(|(a, to, at, label)| (*a, n(to), datetime(*at), label.trim().to_string()))
        .collect();
    let now = today();
    let open = tinhgon_app::register::readable_open_work(&state.db, viewer.require()?, UnitId(id))
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
    let extras = crate::pages::restructuring::unit_extras(&state, &viewer, id).await?;
    let urgings = tinhgon_app::urging::history(&state.db, viewer.require()?, UnitId(id))
        .await?
        .into_iter()
        .map(|u| {
            (
                date(u.day),
                u.by.unwrap_or_default(),
                u.message,
                u.assignments,
            )
        })
        .collect();
    let picture = tinhgon_app::lineage::of_unit(&state.db, viewer.require()?, UnitId(id)).await?;
    let functions = crate::pages::functions::unit_view(&state, &viewer, id, now).await?;
    render(&UnitPage {
        functions,
        lineage: crate::lineage_svg::render(&picture),
        legend: crate::lineage_svg::legend(),
        urgings,
        ctx: PageCtx::new(&viewer, "units"),
        extras,
        in_force: h.unit.valid_to.is_none() && h.unit.parent_id.is_some(),
        today: date(now),
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
#[template(path = "lineage.html")]
struct LineagePage {
    ctx: PageCtx,
    svg: String,
    total: usize,
    shown: usize,
    /// Days with events: value, label, chosen.
    days: Vec<(String, String, bool)>,
    /// Tiers: value, label, chosen.
    tiers: Vec<(&'static str, &'static str, bool)>,
    legend: Vec<(&'static str, &'static str)>,
    prev: Option<String>,
    next: Option<String>,
}

/// `?on=&tier=&page=` of the province's lineage picture.
#[derive(Deserialize, Default)]
pub struct LineageQuery {
    on: Option<String>,
    tier: Option<String>,
    page: Option<usize>,
}

impl LineageQuery {
    /// The query of the API's parameters.
    pub fn new(on: Option<String>, tier: Option<String>, page: Option<usize>) -> Self {
        LineageQuery { on, tier, page }
    }

    /// The filter it asks for, or the field it gets wrong.
    pub fn filter(&self) -> Result<tinhgon_app::lineage::PictureFilter, WebError> {
        let on = match self.on.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            Some(s) => Some(tinhgon_app::input::parse_date(s).ok_or_else(|| {
                WebError::BadRequest(format!(
                    "Ngày “{s}” không hợp lệ: ghi theo dạng ngày/tháng/năm, ví dụ 01/07/2025."
                ))
            })?),
            None => None,
        };
        let tier = tinhgon_app::lineage::Tier::parse(self.tier.as_deref().unwrap_or(""))
            .ok_or_else(|| WebError::BadRequest("Nhóm đơn vị không hợp lệ.".into()))?;
        Ok(tinhgon_app::lineage::PictureFilter {
            on,
            tier,
            page: self.page.unwrap_or(1).max(1),
        })
    }
}

/// `GET /units/lineage`: the province's mergers and splits over time as a picture.
pub async fn lineage(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<LineageQuery>,
) -> WebResult<Response> {
    use tinhgon_app::lineage::{Tier, GROUPS_PER_PAGE};
    let filter = q.filter()?;
    let province = viewer_province(&state, &viewer)
        .await?
        .ok_or(WebError::NotFound)?;
    let p =
        tinhgon_app::lineage::of_province(&state.db, viewer.require()?, province, &filter).await?;
    let on = filter.on.map(date).unwrap_or_default();
    let link = |page: usize| {
        format!(
            "/units/lineage?on={}&tier={}&page={page}",
            on,
            filter.tier.as_str()
        )
    };
    let pages = p.total_groups.div_ceil(GROUPS_PER_PAGE).max(1);
    render(&LineagePage {
        ctx: PageCtx::new(&viewer, "units"),
        svg: crate::lineage_svg::render(&p),
        total: p.total_groups,
        shown: p.groups.len(),
        days: p
            .days
            .iter()
            .map(|(d, n)| {
                (
                    date(*d),
                    format!("{} ({n} sự kiện)", date(*d)),
                    Some(*d) == filter.on,
                )
            })
            .collect(),
        tiers: [Tier::All, Tier::Province, Tier::Commune]
            .into_iter()
            .map(|t| (t.as_str(), t.label_vi(), t == filter.tier))
            .collect(),
        legend: crate::lineage_svg::legend(),
        prev: (filter.page > 1).then(|| link(filter.page - 1)),
        next: (filter.page < pages).then(|| link(filter.page + 1)),
    })
}
