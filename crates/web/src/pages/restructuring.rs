//! Restructuring events on the register: the list (anyone signed in reads it), the monitor's
//! form, its preview with the choices it needs, recording, and cancelling a scheduled event.
//! Changes to a single unit (add, move, close, aliases) are here too.

use std::collections::HashMap;

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;
use tinhgon_app::restructuring::{self, EventForm, Preview};
use tinhgon_app::units::{self, Actor};
use tinhgon_domain::event::EventKind;
use tinhgon_domain::model::Id;
use tinhgon_domain::unit::UnitKind;

use crate::auth::{viewer_province, Viewer};
use crate::error::{WebError, WebResult};
use crate::pages::{redirect_ok, render};
use crate::request::{Form, Path, Query};
use crate::view::{date, date_opt, today, PageCtx};
use crate::AppState;

/// A unit in a choice list.
pub struct Choice {
    /// Unit.
    pub id: Id,
    /// Its name.
    pub name: String,
}

/// An event as the list shows it.
struct EventLine {
    id: Id,
    effective: String,
    kind: &'static str,
    state: &'static str,
    scheduled: bool,
    from: String,
    to: String,
    decision: String,
}

#[derive(Template)]
#[template(path = "restructuring.html")]
struct ListPage {
    ctx: PageCtx,
    can_manage: bool,
    /// Monitors and leaders of the province read its scenarios.
    can_read_scenarios: bool,
    events: Vec<EventLine>,
    units: Vec<Choice>,
    /// (stable name, label, chosen).
    kinds: Vec<(&'static str, &'static str, bool)>,
    unit_kinds: Vec<(&'static str, &'static str)>,
    chosen_from: String,
}

/// `?kind=&from=`: the form started from a unit's page.
#[derive(Deserialize, Default)]
pub struct StartQuery {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    from: String,
}

pub(crate) async fn province(state: &AppState, viewer: &Viewer) -> WebResult<Id> {
    viewer_province(state, viewer)
        .await?
        .ok_or(WebError::NotFound)
}

/// The units of the province in force today, by name.
pub(crate) async fn choices(state: &AppState, province: Id) -> WebResult<Vec<Choice>> {
    let mut v: Vec<Choice> = tinhgon_store::register::units_as_of(&state.db, province, today())
        .await?
        .into_iter()
        .filter(|u| u.parent_id.is_some())
        .map(|u| Choice {
            id: u.id,
            name: u.name,
        })
        .collect();
    v.sort_by_cached_key(|c| tinhgon_textkit::sort_key(&c.name));
    Ok(v)
}

/// `GET /restructuring`: the province's events, and the monitor's form.
pub async fn list(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<StartQuery>,
) -> WebResult<Response> {
    let user = viewer.require()?;
    let p = province(&state, &viewer).await?;
    let reg = restructuring::snapshot(&state.db, p).await?;
    let name = |id: &Id| {
        reg.units
            .iter()
            .find(|u| u.id == *id)
            .map(|u| u.name.clone())
            .unwrap_or_default()
    };
    let events = restructuring::events(&state.db, p)
        .await?
        .into_iter()
        .map(|e| EventLine {
            id: e.event.id,
            effective: date(e.event.effective),
            kind: e.event.kind.label_vi(),
            state: e.state.label_vi(),
            scheduled: e.state == tinhgon_store::register::EventState::Scheduled,
            from: e
                .event
                .predecessors
                .iter()
                .map(name)
                .collect::<Vec<_>>()
                .join("; "),
            to: e
                .event
                .successors
                .iter()
                .map(name)
                .collect::<Vec<_>>()
                .join("; "),
            decision: e.event.decision.unwrap_or_default(),
        })
        .collect();
    let can_manage = tinhgon_domain::user::can_manage_register(user);
    render(&ListPage {
        ctx: PageCtx::new(&viewer, "units"),
        can_read_scenarios: tinhgon_domain::user::can_view_dashboard(user, Some(p)),
        can_manage,
        events,
        units: if can_manage {
            choices(&state, p).await?
        } else {
            Vec::new()
        },
        kinds: EventKind::ALL
            .iter()
            .map(|k| (k.as_str(), k.label_vi(), k.as_str() == q.kind))
            .collect(),
        unit_kinds: unit_kinds(),
        chosen_from: q.from,
    })
}

fn unit_kinds() -> Vec<(&'static str, &'static str)> {
    UnitKind::ALL[1..]
        .iter()
        .map(|k| (k.as_str(), k.label_vi()))
        .collect()
}

/// The event form as the page posts it: numbered unit fields, and the preview's choices as
/// `a_<assignment>`, `u_<unit>`, `acc_<account>`, `fn_<field>`, a split's percents as
/// `alloc_<successor>`.
#[derive(Deserialize, Default)]
pub struct PageEventForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    effective: String,
    #[serde(default)]
    decision: String,
    #[serde(default)]
    decision_date: String,
    #[serde(default)]
    decision_issuer: String,
    #[serde(default)]
    new_kind: String,
    #[serde(flatten)]
    rest: HashMap<String, String>,
}

impl PageEventForm {
    fn numbered(&self, prefix: &str) -> Vec<String> {
        let mut v: Vec<(u32, String)> = self
            .rest
            .iter()
            .filter_map(|(k, val)| {
                k.strip_prefix(prefix)
                    .and_then(|n| n.parse().ok())
                    .map(|n| (n, val.clone()))
            })
            .filter(|(_, val)| !val.trim().is_empty())
            .collect();
        v.sort();
        v.into_iter().map(|(_, val)| val).collect()
    }

    fn keyed(&self, prefix: &str) -> std::collections::BTreeMap<String, String> {
        self.rest
            .iter()
            .filter_map(|(k, v)| k.strip_prefix(prefix).map(|id| (id.to_string(), v.clone())))
            .collect()
    }

    /// The event the form describes.
    pub(crate) fn event(&self) -> EventForm {
        EventForm {
            kind: self.kind.clone(),
            from: self.numbered("from_"),
            into: self.numbered("into_"),
            new: self.numbered("new_"),
            new_kind: self.new_kind.clone(),
            effective: self.effective.clone(),
            decision: self.decision.clone(),
            decision_date: self.decision_date.clone(),
            decision_issuer: self.decision_issuer.clone(),
            assignments: self.keyed("a_"),
            units: self.keyed("u_"),
            accounts: self.keyed("acc_"),
            allocation: self.keyed("alloc_"),
            functions: self.keyed("fn_"),
        }
    }
}

/// An option of a choice list: unit, name, chosen.
type ChoiceOption = (Id, String, bool);

#[derive(Template)]
#[template(path = "restructuring_preview.html")]
struct PreviewPage {
    ctx: PageCtx,
    p: Preview,
    effective: String,
    /// The form's own fields, carried to the confirmation.
    hidden: Vec<(String, String)>,
    /// Ceasing units whose successor the monitor may choose: (id, name, options as
    /// (id, name, chosen)).
    heirs: Vec<(Id, String, Vec<ChoiceOption>)>,
    needs_heir_choice: bool,
    many_successors: bool,
    transfer: bool,
    /// A split: its successors with the percent entered (id, name, text).
    shares: Vec<(Id, String, String)>,
    /// Why the percents entered were refused (blank: they were not).
    shares_error: String,
}

/// The preview of `form`; percents refused are set aside (the preview shares equally) and
/// their message answered, so the page shows it beside the fields with what was typed.
async fn preview_or_shares_error(
    state: &AppState,
    user: &tinhgon_domain::user::User,
    p: Id,
    form: &EventForm,
) -> WebResult<(Preview, String)> {
    match restructuring::preview(&state.db, Actor::User(user), p, form).await {
        Err(tinhgon_app::AppError::Invalid {
            field: "allocation",
            message,
        }) => {
            let mut equal = form.clone();
            equal.allocation.clear();
            let pv = restructuring::preview(&state.db, Actor::User(user), p, &equal).await?;
            Ok((pv, message))
        }
        other => Ok((other?, String::new())),
    }
}

/// `POST /restructuring/preview`: every consequence of the event, with the choices it needs.
pub async fn preview(
    State(state): State<AppState>,
    viewer: Viewer,
    Form(f): Form<PageEventForm>,
) -> WebResult<Response> {
    let user = viewer.require()?.clone();
    let p = province(&state, &viewer).await?;
    let form = f.event();
    let (pv, shares_error) = preview_or_shares_error(&state, &user, p, &form).await?;
    render_preview(&viewer, &f, &form, pv, shares_error)
}

fn render_preview(
    viewer: &Viewer,
    f: &PageEventForm,
    form: &EventForm,
    pv: Preview,
    shares_error: String,
) -> WebResult<Response> {
    let shares: Vec<(Id, String, String)> = if pv.kind == EventKind::Split {
        pv.successors
            .iter()
            .map(|s| {
                let typed = form
                    .allocation
                    .get(&s.id.to_string())
                    .cloned()
                    .unwrap_or_default();
                (s.id, s.name.clone(), typed)
            })
            .collect()
    } else {
        Vec::new()
    };
    let mut hidden: Vec<(String, String)> = vec![
        ("kind".into(), f.kind.clone()),
        ("effective".into(), f.effective.clone()),
        ("decision".into(), f.decision.clone()),
        ("decision_date".into(), f.decision_date.clone()),
        ("decision_issuer".into(), f.decision_issuer.clone()),
        ("new_kind".into(), f.new_kind.clone()),
    ];
    for (prefix, vals) in [
        ("from_", form.from.clone()),
        ("into_", form.into.clone()),
        ("new_", form.new.clone()),
    ] {
        for (i, v) in vals.into_iter().enumerate() {
            hidden.push((format!("{prefix}{}", i + 1), v));
        }
    }
    let many_successors = pv.successors.len() > 1 || pv.kind == EventKind::Dissolve;
    let heirs: Vec<(Id, String, Vec<ChoiceOption>)> = pv
        .ceasing
        .iter()
        .map(|c| {
            let chosen: Id = form
                .units
                .get(&c.id.to_string())
                .and_then(|v| v.parse().ok())
                .unwrap_or(0);
            let options = pv
                .choices
                .iter()
                .map(|o| (o.id, o.name.clone(), o.id == chosen))
                .collect();
            (c.id, c.name.clone(), options)
        })
        .collect();
    render(&PreviewPage {
        ctx: PageCtx::new(viewer, "units"),
        shares,
        shares_error,
        effective: date(pv.effective),
        needs_heir_choice: many_successors && !heirs.is_empty(),
        many_successors,
        transfer: pv.kind == EventKind::Transfer,
        p: pv,
        hidden,
        heirs,
    })
}

/// `POST /restructuring`: records the event as previewed.
pub async fn record(
    State(state): State<AppState>,
    viewer: Viewer,
    Form(f): Form<PageEventForm>,
) -> WebResult<Response> {
    let user = viewer.require()?.clone();
    let p = province(&state, &viewer).await?;
    let form = f.event();
    let o = match restructuring::record(&state.db, Actor::User(&user), p, &form).await {
        // Percents refused: nothing is written; the preview again, the message beside them.
        Err(tinhgon_app::AppError::Invalid {
            field: "allocation",
            message,
        }) => {
            let mut equal = form.clone();
            equal.allocation.clear();
            let pv = restructuring::preview(&state.db, Actor::User(&user), p, &equal).await?;
            return render_preview(&viewer, &f, &form, pv, message);
        }
        other => other?,
    };
    let msg = match o.recorded.applied {
        Some(x) => format!(
            "Đã ghi nhận và áp dụng {}: {} nhiệm vụ, {} vai trò phối hợp, {} yêu cầu báo cáo, {} số liệu biên chế và vị trí việc làm chuyển sang đơn vị kế thừa; {} tài khoản được chuyển, {} tài khoản bị khóa.",
            o.preview.kind_label.to_lowercase(),
            x.assignments,
            x.coordinating,
            x.report_requests,
            x.staffing,
            x.accounts_moved,
            x.accounts_disabled
        ),
        None => format!(
            "Đã ghi nhận {}; hệ thống sẽ áp dụng vào ngày {}.",
            o.preview.kind_label.to_lowercase(),
            date(o.preview.effective)
        ),
    };
    Ok(redirect_ok(&state, "/restructuring", &msg))
}

/// `POST /restructuring/{event}/cancel`.
pub async fn cancel(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<Id>,
) -> WebResult<Response> {
    let user = viewer.require()?.clone();
    let p = province(&state, &viewer).await?;
    restructuring::cancel(&state.db, Actor::User(&user), p, id).await?;
    Ok(redirect_ok(
        &state,
        "/restructuring",
        "Đã hủy sự kiện sắp xếp; các đơn vị giữ nguyên như trước.",
    ))
}

/// `POST /units`: adds a unit.
pub async fn add_unit(
    State(state): State<AppState>,
    viewer: Viewer,
    Form(f): Form<units::UnitForm>,
) -> WebResult<Response> {
    let user = viewer.require()?.clone();
    let p = province(&state, &viewer).await?;
    let name = f.name.trim().to_string();
    let id = units::add(&state.db, Actor::User(&user), p, f).await?;
    Ok(redirect_ok(
        &state,
        &format!("/units/{id}"),
        &format!("Đã thêm đơn vị {name}."),
    ))
}

/// `POST /units/{unit}/move`.
pub async fn move_unit(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<Id>,
    Form(f): Form<units::MoveForm>,
) -> WebResult<Response> {
    let user = viewer.require()?.clone();
    let p = province(&state, &viewer).await?;
    // Another province's unit is not found, whatever the form says.
    tinhgon_app::access::readable_unit(&state.db, &user, tinhgon_domain::ids::UnitId(id)).await?;
    units::move_under(&state.db, Actor::User(&user), p, &id.to_string(), f).await?;
    Ok(redirect_ok(
        &state,
        &format!("/units/{id}"),
        "Đã chuyển đơn vị sang đơn vị cấp trên mới.",
    ))
}

/// `POST /units/{unit}/close`.
pub async fn close_unit(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<Id>,
    Form(f): Form<units::CloseForm>,
) -> WebResult<Response> {
    let user = viewer.require()?.clone();
    let p = province(&state, &viewer).await?;
    tinhgon_app::access::readable_unit(&state.db, &user, tinhgon_domain::ids::UnitId(id)).await?;
    units::close(&state.db, Actor::User(&user), p, &id.to_string(), f).await?;
    Ok(redirect_ok(
        &state,
        &format!("/units/{id}"),
        "Đã ghi nhận ngày kết thúc hoạt động của đơn vị.",
    ))
}

/// The alias form of the unit page (`remove=1` to remove).
#[derive(Deserialize, Default)]
pub struct AliasPageForm {
    #[serde(default)]
    alias: String,
    #[serde(default)]
    remove: String,
}

/// `POST /units/{unit}/aliases`.
pub async fn alias(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<Id>,
    Form(f): Form<AliasPageForm>,
) -> WebResult<Response> {
    let user = viewer.require()?.clone();
    let p = province(&state, &viewer).await?;
    tinhgon_app::access::readable_unit(&state.db, &user, tinhgon_domain::ids::UnitId(id)).await?;
    let remove = f.remove == "1";
    units::alias(
        &state.db,
        Actor::User(&user),
        p,
        &id.to_string(),
        units::AliasForm {
            alias: f.alias,
            remove,
        },
    )
    .await?;
    Ok(redirect_ok(
        &state,
        &format!("/units/{id}"),
        if remove {
            "Đã bỏ tên gọi khác."
        } else {
            "Đã thêm tên gọi khác."
        },
    ))
}

/// What the unit page adds for the register: aliases, autonomy group, change history, and
/// the monitor's forms.
pub struct UnitExtras {
    /// Other names.
    pub aliases: Vec<String>,
    /// Financial autonomy group.
    pub autonomy: Option<i64>,
    /// Change lines.
    pub changes: Vec<String>,
    /// The monitor may change it.
    pub can_manage: bool,
    /// Units it may move under.
    pub parents: Vec<Choice>,
}

/// Loads [`UnitExtras`] for `unit`.
pub async fn unit_extras(state: &AppState, viewer: &Viewer, unit: Id) -> WebResult<UnitExtras> {
    let user = viewer.require()?;
    let (aliases, autonomy) = tinhgon_store::register::unit_extras(&state.db, unit).await?;
    let changes = tinhgon_store::register::unit_changes(&state.db, unit)
        .await?
        .into_iter()
        .map(|c| {
            let what = match c.kind.as_str() {
                "add" => "Thành lập, bổ sung vào danh mục",
                "move" => "Chuyển về trực thuộc đơn vị khác",
                "close" => "Kết thúc hoạt động",
                "alias_add" => "Thêm tên gọi khác",
                _ => "Bỏ tên gọi khác",
            };
            format!(
                "{}: {}{}",
                date(c.effective),
                what,
                c.decision
                    .map(|d| format!(", theo {d}"))
                    .unwrap_or_default()
            )
        })
        .collect();
    let can_manage = tinhgon_domain::user::can_manage_register(user);
    let parents = match (can_manage, viewer_province(state, viewer).await?) {
        (true, Some(p)) => choices(state, p).await?,
        _ => Vec::new(),
    };
    Ok(UnitExtras {
        aliases,
        autonomy,
        changes,
        can_manage,
        parents,
    })
}

/// Today as the forms prefill it.
pub fn today_text() -> String {
    date_opt(Some(today()))
}
