//! The register (units as of a day, a unit's history and lineage), search, and the audit trail
//! of an object.

use axum::extract::State;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use tinhgon_domain::model::Id;
use tinhgon_domain::unit::Unit;
use tinhgon_store::web_queries as wq;
use tinhgon_store::{audit as store_audit, register};
use utoipa::{IntoParams, ToSchema};

use crate::api::request::{ApiPath, ApiQuery};
use crate::api::review::UnitRef;
use crate::api::work::WorkItem;
use crate::api::{Answer, BadRequest, Forbidden, NotFound, Unauthorized};
use crate::auth::viewer_province;
use crate::auth::Viewer;
use crate::error::WebError;
use crate::request::as_of;
use crate::view::{class_today, today};
use crate::AppState;
use tinhgon_domain::ids::UnitId;

fn name_of<T: Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// A unit of the register.
#[derive(Serialize, ToSchema)]
pub struct UnitItem {
    /// Identifier.
    pub id: i64,
    /// Official code.
    pub code: Option<String>,
    /// Name.
    pub name: String,
    /// Kind (stable name).
    pub kind: String,
    /// Kind in Vietnamese.
    pub kind_label: String,
    /// Level (stable name).
    pub level: String,
    /// Parent unit.
    pub parent_id: Option<i64>,
    /// First day it exists.
    pub valid_from: Option<NaiveDate>,
    /// First day it no longer exists.
    pub valid_to: Option<NaiveDate>,
}

impl From<&Unit> for UnitItem {
    fn from(u: &Unit) -> Self {
        UnitItem {
            id: u.id,
            code: u.code.clone(),
            name: u.name.clone(),
            kind: name_of(&u.kind),
            kind_label: u.kind.label_vi().into(),
            level: name_of(&u.level),
            parent_id: u.parent_id,
            valid_from: u.valid_from,
            valid_to: u.valid_to,
        }
    }
}

/// `?as_of=`.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AsOfParams {
    /// The day (`yyyy-mm-dd` or `dd/mm/yyyy`; default today).
    pub as_of: Option<String>,
}

/// `GET /api/units`: the province's units existing on a day (the tree by `parent_id`).
#[utoipa::path(get, path = "/api/units", tag = "register", params(AsOfParams),
    responses((status = 200, body = Vec<UnitItem>), BadRequest, Unauthorized, NotFound))]
pub async fn units(
    State(state): State<AppState>,
    viewer: Viewer,
    ApiQuery(q): ApiQuery<AsOfParams>,
) -> Answer<Vec<UnitItem>> {
    viewer.require()?;
    let day = as_of(q.as_of.as_deref())?;
    let province = viewer_province(&state, &viewer)
        .await?
        .ok_or(WebError::NotFound)?;
    let units = register::units_as_of(&state.db, province, day).await?;
    Ok(axum::Json(units.iter().map(UnitItem::from).collect()))
}

/// A restructuring event in a unit's history.
#[derive(Serialize, ToSchema)]
pub struct EventItem {
    /// Effective day.
    pub effective: NaiveDate,
    /// Kind in Vietnamese (sáp nhập, hợp nhất …).
    pub kind: String,
    /// Deciding document.
    pub decision: Option<String>,
    /// Units that ceased or changed.
    pub predecessors: Vec<i64>,
    /// Units that carry on.
    pub successors: Vec<i64>,
}

/// An assignment that moved to a successor.
#[derive(Serialize, ToSchema)]
pub struct MovedItem {
    /// Assignment.
    pub assignment_id: i64,
    /// Successor unit.
    pub to_unit_id: i64,
    /// Its name.
    pub to_unit: String,
    /// When.
    pub at: DateTime<Utc>,
    /// The task, as a person names it ("615/KH-UBND II.4").
    pub task: String,
}

/// A unit with its history, lineage and open assignments.
#[derive(Serialize, ToSchema)]
pub struct UnitDetail {
    /// The unit.
    pub unit: UnitItem,
    /// Events that formed or ended it.
    pub events: Vec<EventItem>,
    /// Units that flowed into it.
    pub predecessors: Vec<UnitRef>,
    /// Units that carry it on today.
    pub successors: Vec<UnitRef>,
    /// Assignments that moved away from it.
    pub moved_out: Vec<MovedItem>,
    /// Its open assignments.
    pub open: Vec<WorkItem>,
}

/// `GET /api/units/{unit}`.
#[utoipa::path(get, path = "/api/units/{unit}", tag = "register",
    params(("unit" = i64, Path, description = "Đơn vị")),
    responses((status = 200, body = UnitDetail), Unauthorized, NotFound))]
pub async fn unit(
    State(state): State<AppState>,
    viewer: Viewer,
    ApiPath(id): ApiPath<Id>,
) -> Answer<UnitDetail> {
    tinhgon_app::access::readable_unit(
        &state.db,
        viewer.require()?,
        tinhgon_domain::ids::UnitId(id),
    )
    .await?;
    let h = register::unit_history(&state.db, id).await?;
    let names = wq::unit_names(&state.db, None).await?;
    let r = |u: &Unit| UnitRef {
        id: u.id,
        name: u.name.clone(),
    };
    let now = today();
    let open = tinhgon_app::register::readable_open_work(&state.db, viewer.require()?, UnitId(id))
        .await?
        .iter()
        .map(|w| WorkItem::from_row(w, class_today(w, now)))
        .collect();
    Ok(axum::Json(UnitDetail {
        unit: UnitItem::from(&h.unit),
        events: h
            .formed_by
            .iter()
            .chain(h.ended_by.iter())
            .map(|e| EventItem {
                effective: e.effective,
                kind: e.kind.label_vi().into(),
                decision: e.decision.clone(),
                predecessors: e.predecessors.clone(),
                successors: e.successors.clone(),
            })
            .collect(),
        predecessors: h.predecessors.iter().map(r).collect(),
        successors: h.successors.iter().map(r).collect(),
        moved_out: h
            .moved_out
            .iter()
            .map(|(a, to, at, task)| MovedItem {
                assignment_id: *a,
                to_unit_id: *to,
                to_unit: names.get(to).cloned().unwrap_or_default(),
                at: *at,
                task: task.trim().to_string(),
            })
            .collect(),
        open,
    }))
}

/// `?q=`.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchParams {
    /// Text; diacritics and case are ignored ("so noi vu" finds "Sở Nội vụ").
    pub q: Option<String>,
}

/// A search hit.
#[derive(Serialize, ToSchema)]
pub struct SearchHit {
    /// `plan`, `task` or `unit`.
    pub kind: String,
    /// Identifier.
    pub id: i64,
    /// Label.
    pub label: String,
    /// Detail: the unit's kind in words (and the day it ceased), the plan's title, or the
    /// task's content.
    pub detail: String,
    /// The page that shows it.
    pub href: String,
}

/// `GET /api/search`: plans, tasks and units (at most 100).
#[utoipa::path(get, path = "/api/search", tag = "register", params(SearchParams),
    responses((status = 200, body = Vec<SearchHit>), BadRequest, Unauthorized))]
pub async fn search(
    State(state): State<AppState>,
    viewer: Viewer,
    ApiQuery(q): ApiQuery<SearchParams>,
) -> Answer<Vec<SearchHit>> {
    viewer.require()?;
    let province = crate::auth::listing_province(&state, &viewer).await?;
    let hits = tinhgon_app::search::hits(&state.db, q.q.as_deref().unwrap_or(""), province).await?;
    Ok(axum::Json(
        hits.into_iter()
            .map(|h| SearchHit {
                kind: h.kind.to_string(),
                id: h.id,
                label: h.label,
                detail: h.detail,
                href: h.href,
            })
            .collect(),
    ))
}

/// A row of the audit trail.
#[derive(Serialize, ToSchema)]
pub struct AuditItem {
    /// Sequence number in the chain.
    pub id: i64,
    /// When (RFC 3339, as hashed).
    pub at: String,
    /// Who (login).
    pub actor: Option<String>,
    /// What (`plan.publish`, `assignment.confirm` …).
    pub action: String,
    /// State before.
    #[schema(value_type = Object)]
    pub before: Option<serde_json::Value>,
    /// State after.
    #[schema(value_type = Object)]
    pub after: Option<serde_json::Value>,
    /// This row's hash.
    pub hash: String,
}

/// `GET /api/audit/{kind}/{object}` (monitor, admin): the audit rows of one object.
#[utoipa::path(get, path = "/api/audit/{kind}/{object}", tag = "register",
    params(("kind" = String, Path, description = "plan, assignment, task, unit, user hoặc api_token"), ("object" = i64, Path, description = "Đối tượng")),
    responses((status = 200, body = Vec<AuditItem>), Unauthorized, Forbidden, NotFound))]
pub async fn audit(
    State(state): State<AppState>,
    viewer: Viewer,
    ApiPath((kind, object)): ApiPath<(String, Id)>,
) -> Answer<Vec<AuditItem>> {
    let me = viewer.require()?;
    // Rights and the object's province first (the same rule as the page).
    tinhgon_app::changelog::history(&state.db, me, &kind, object).await?;
    let parse = |s: Option<String>| s.and_then(|t| serde_json::from_str(&t).ok());
    let rows = store_audit::for_object(&state.db, &kind, object)
        .await?
        .into_iter()
        .map(|r| AuditItem {
            id: r.id,
            at: r.at,
            actor: r.actor_login,
            action: r.action,
            before: parse(r.before_json),
            after: parse(r.after_json),
            hash: r.hash,
        })
        .collect();
    Ok(axum::Json(rows))
}

/// A unit in a lineage picture.
#[derive(Serialize, ToSchema)]
pub struct LineageNodeItem {
    /// The unit.
    pub unit: i64,
    /// Its name.
    pub name: String,
    /// Its column (time reads left to right).
    pub layer: usize,
    /// Its row in the column.
    pub row: usize,
    /// First day it exists.
    pub valid_from: Option<NaiveDate>,
    /// First day it no longer exists.
    pub valid_to: Option<NaiveDate>,
    /// The day it was dissolved.
    pub dissolved: Option<NaiveDate>,
}

/// A hand-over from a unit to one that took (part of) its work.
#[derive(Serialize, ToSchema)]
pub struct LineageEdgeItem {
    /// The unit it comes from.
    pub from_unit: i64,
    /// The unit it goes to.
    pub to_unit: i64,
    /// The event.
    pub event: i64,
    /// Kind in Vietnamese (Sáp nhập, Hợp nhất …).
    pub kind: String,
    /// Effective day.
    pub effective: NaiveDate,
}

/// Units linked by events, laid out.
#[derive(Serialize, ToSchema)]
pub struct LineageGroupItem {
    /// The day of its first event.
    pub first: NaiveDate,
    /// Its units.
    pub nodes: Vec<LineageNodeItem>,
    /// Its hand-overs.
    pub edges: Vec<LineageEdgeItem>,
}

/// A lineage picture.
#[derive(Serialize, ToSchema)]
pub struct LineageAnswer {
    /// Groups the filter keeps over all pages.
    pub total_groups: usize,
    /// This page's groups.
    pub groups: Vec<LineageGroupItem>,
}

impl From<tinhgon_app::lineage::Picture> for LineageAnswer {
    fn from(p: tinhgon_app::lineage::Picture) -> Self {
        let groups = p
            .groups
            .iter()
            .map(|g| LineageGroupItem {
                first: g.first,
                nodes: g
                    .nodes
                    .iter()
                    .map(|n| {
                        let u = p.units.get(&n.unit);
                        LineageNodeItem {
                            unit: n.unit,
                            name: u.map(|u| u.name.clone()).unwrap_or_default(),
                            layer: n.layer,
                            row: n.row,
                            valid_from: u.and_then(|u| u.valid_from),
                            valid_to: u.and_then(|u| u.valid_to),
                            dissolved: n.dissolved,
                        }
                    })
                    .collect(),
                edges: g
                    .edges
                    .iter()
                    .map(|e| LineageEdgeItem {
                        from_unit: g.nodes[e.from].unit,
                        to_unit: g.nodes[e.to].unit,
                        event: e.event,
                        kind: e.kind.label_vi().into(),
                        effective: e.effective,
                    })
                    .collect(),
            })
            .collect();
        LineageAnswer {
            total_groups: p.total_groups,
            groups,
        }
    }
}

/// `?on=&tier=&page=` of the province's lineage.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LineageParams {
    /// Only groups with an event on this day (`yyyy-mm-dd` or `dd/mm/yyyy`).
    pub on: Option<String>,
    /// `all` (default), `province` (provincial bodies) or `commune` (communes, wards).
    pub tier: Option<String>,
    /// Page of 30 groups, from 1.
    pub page: Option<usize>,
}

/// `GET /api/units/lineage`: the province's mergers and splits laid out as a picture.
#[utoipa::path(get, path = "/api/units/lineage", tag = "register", params(LineageParams),
    responses((status = 200, body = LineageAnswer), BadRequest, Unauthorized, NotFound))]
pub async fn lineage(
    State(state): State<AppState>,
    viewer: Viewer,
    ApiQuery(q): ApiQuery<LineageParams>,
) -> Answer<LineageAnswer> {
    let filter = crate::pages::register::LineageQuery::new(q.on, q.tier, q.page).filter()?;
    let province = viewer_province(&state, &viewer)
        .await?
        .ok_or(WebError::NotFound)?;
    let p =
        tinhgon_app::lineage::of_province(&state.db, viewer.require()?, province, &filter).await?;
    Ok(axum::Json(p.into()))
}

/// `GET /api/units/{unit}/lineage`: the picture of the units linked to this one by events.
#[utoipa::path(get, path = "/api/units/{unit}/lineage", tag = "register",
    params(("unit" = i64, Path, description = "Đơn vị")),
    responses((status = 200, body = LineageAnswer), Unauthorized, NotFound))]
pub async fn unit_lineage(
    State(state): State<AppState>,
    viewer: Viewer,
    ApiPath(id): ApiPath<Id>,
) -> Answer<LineageAnswer> {
    let p = tinhgon_app::lineage::of_unit(&state.db, viewer.require()?, UnitId(id)).await?;
    Ok(axum::Json(p.into()))
}
