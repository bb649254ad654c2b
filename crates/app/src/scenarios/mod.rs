//! Scenarios (phương án sắp xếp): a named draft set of restructuring events of a province,
//! not applied. The monitor creates one, adds events to it (each checked like a preview
//! against today's register) and applies it with its deciding document; the province's
//! monitors and leaders read it, beside today (see [`view`]) and against another scenario.
//!
//! **How a scenario is simulated.** The consequences are not recomputed by a second,
//! in-memory model of the register: the events are recorded and applied exactly as
//! recording would (`store::register::simulate`, the same code as `restructuring::record`,
//! staffing and functions carried in), inside a write transaction that is always rolled
//! back, and the unit tree, the rule check, the functions gaps and overlaps and the staffing
//! totals are read inside it by the same code that reads them for today. What the page shows
//! is therefore what applying would do, at the cost of holding the write lock of a SQLite
//! database for the simulation (tens of milliseconds for a province; a page read by few).
//!
//! Events of one scenario are independent of each other: each names units of today's
//! register, and a unit ceases in at most one of them (checked when an event is added).

mod view;

use chrono::Utc;
use serde::{Deserialize, Serialize};
use tinhgon_domain::model::Id;
use tinhgon_domain::user::{can_view_dashboard, Role};
use tinhgon_store::register::{self, AppliedScenario, DraftRow, ScenarioRow};
use tinhgon_store::Db;

use crate::error::{AppError, Result};
use crate::input;
use crate::restructuring::{check, Checked, EventForm};
use crate::units::Actor;

pub use view::{compare, view, DraftView, Move, ScenarioView, Side, StaffTotal, TreeLine};

/// A scenario as created.
#[derive(Debug, Default, Clone, Deserialize, Serialize)]
pub struct ScenarioForm {
    /// Its name ("Phương án 1: hợp nhất Sở A và Sở B").
    #[serde(default)]
    pub name: String,
    /// What it is for (optional).
    #[serde(default)]
    pub note: String,
}

/// The deciding document a scenario is applied with.
#[derive(Debug, Default, Clone, Deserialize, Serialize)]
pub struct DecisionForm {
    /// Number.
    #[serde(default)]
    pub decision: String,
    /// Date (dd/mm/yyyy or yyyy-mm-dd).
    #[serde(default)]
    pub decision_date: String,
    /// Issuer.
    #[serde(default)]
    pub decision_issuer: String,
}

/// Refused unless the actor may read the scenarios of `province`: its monitors and leaders
/// (another province's are not found; an agency officer has no right to them).
fn reader(actor: Actor<'_>, province: Id) -> Result<()> {
    match actor {
        Actor::Operator(_) => Ok(()),
        // The readers of the province's dashboard read its scenarios.
        Actor::User(u) if can_view_dashboard(u, Some(province)) => Ok(()),
        Actor::User(u)
            if u.active && matches!(u.role, Role::Admin | Role::Monitor | Role::Leader) =>
        {
            Err(AppError::NotFound)
        }
        Actor::User(_) => Err(AppError::Forbidden),
    }
}

/// The scenario `id` of `province` (another province's is not found).
async fn owned(db: &Db, province: Id, id: Id) -> Result<ScenarioRow> {
    register::scenario(db, id)
        .await?
        .filter(|s| s.province_id == province)
        .ok_or(AppError::NotFound)
}

/// The event of a draft, checked against today's register (a draft has no deciding
/// document yet: the scenario's is given when it is applied).
async fn check_draft(db: &Db, province: Id, form: &EventForm) -> Result<Checked> {
    let mut f = form.clone();
    if f.decision.trim().is_empty() {
        f.decision = "Phương án".into();
    }
    check(db, province, &f).await
}

fn form_of(d: &DraftRow) -> Result<EventForm> {
    serde_json::from_str(&d.form_json)
        .map_err(|e| AppError::Internal(format!("sự kiện của phương án {}: {e}", d.id)))
}

/// Creates a scenario of `province`.
pub async fn create(db: &Db, actor: Actor<'_>, province: Id, form: &ScenarioForm) -> Result<Id> {
    actor.check(province)?;
    let name = input::text(
        "name",
        &form.name,
        "Vui lòng đặt tên cho phương án (ví dụ: Phương án 1 – hợp nhất hai sở).",
    )?;
    if name.chars().count() > 200 {
        return Err(AppError::invalid(
            "name",
            "Tên phương án quá dài (tối đa 200 ký tự).",
        ));
    }
    let note = input::note(&form.note);
    let entry = actor.entry("scenario.create", "scenario", None);
    Ok(register::create_scenario_audited(
        db,
        province,
        &name,
        note.as_deref(),
        actor.id(),
        Utc::now(),
        &entry,
    )
    .await?)
}

/// The scenarios of `province`, latest first.
pub async fn list(db: &Db, actor: Actor<'_>, province: Id) -> Result<Vec<ScenarioRow>> {
    reader(actor, province)?;
    Ok(register::scenarios(db, province).await?)
}

/// Adds an event to a draft scenario: checked like a preview against today's register
/// (unknown or ambiguous units, units not in force, the shape of the kind are refused), and
/// refused when one of its units already ceases in another event of the scenario. The units
/// are kept by id, so a later rename of a name does not change what the draft means.
pub async fn add_event(
    db: &Db,
    actor: Actor<'_>,
    province: Id,
    scenario: Id,
    form: &EventForm,
) -> Result<Id> {
    actor.check(province)?;
    let s = owned(db, province, scenario).await?;
    if s.applied_at.is_some() {
        return Err(AppError::Conflict(
            "Phương án đã được áp dụng, không thể thêm sự kiện.".into(),
        ));
    }
    let c = check_draft(db, province, form).await?;
    let touched = |c: &Checked| -> Vec<Id> {
        c.event
            .predecessors
            .iter()
            .chain(c.event.successors.iter())
            .copied()
            .collect()
    };
    let ceasing = |c: &Checked| -> Vec<Id> { c.preview.ceasing.iter().map(|u| u.id).collect() };
    for d in register::drafts(db, scenario).await? {
        let Ok(other) = check_draft(db, province, &form_of(&d)?).await else {
            continue;
        };
        let clash = ceasing(&c)
            .into_iter()
            .find(|u| touched(&other).contains(u))
            .or_else(|| {
                ceasing(&other)
                    .into_iter()
                    .find(|u| touched(&c).contains(u))
            });
        if let Some(u) = clash {
            let name = c
                .preview
                .ceasing
                .iter()
                .chain(other.preview.ceasing.iter())
                .find(|x| x.id == u)
                .map(|x| x.name.clone())
                .unwrap_or_default();
            return Err(AppError::invalid(
                "from",
                format!(
                    "{name} đã có trong một sự kiện khác của phương án: mỗi đơn vị chấm dứt hoạt động trong một sự kiện và không tham gia sự kiện khác của cùng phương án."
                ),
            ));
        }
    }
    let mut kept = form.clone();
    kept.from = c
        .preview
        .predecessors
        .iter()
        .map(|u| u.id.to_string())
        .collect();
    kept.into = c.event.successors.iter().map(Id::to_string).collect();
    kept.decision.clear();
    kept.decision_date.clear();
    kept.decision_issuer.clear();
    let json = serde_json::to_string(&kept)
        .map_err(|e| AppError::Internal(format!("sự kiện của phương án: {e}")))?;
    let entry = actor.entry("scenario.add_event", "scenario", Some(scenario));
    Ok(register::add_draft_audited(db, scenario, &json, Utc::now(), &entry).await?)
}

/// Removes an event from a draft scenario.
pub async fn remove_event(
    db: &Db,
    actor: Actor<'_>,
    province: Id,
    scenario: Id,
    draft: Id,
) -> Result<()> {
    actor.check(province)?;
    owned(db, province, scenario).await?;
    let entry = actor.entry("scenario.remove_event", "scenario", Some(scenario));
    match register::remove_draft_audited(db, scenario, draft, Utc::now(), &entry).await {
        Err(tinhgon_store::StoreError::NotFound { .. }) => Err(AppError::NotFound),
        other => Ok(other?),
    }
}

/// Applies a scenario with its deciding document, in one transaction: each event recorded
/// (applied now when its date has come, else scheduled for the daily job), the scenario
/// marked applied. Every event is checked again against the register as it is now: one that
/// no longer fits (a unit ended meanwhile) refuses the whole scenario and nothing is written.
pub async fn apply(
    db: &Db,
    actor: Actor<'_>,
    province: Id,
    scenario: Id,
    form: &DecisionForm,
) -> Result<AppliedScenario> {
    actor.check(province)?;
    let s = owned(db, province, scenario).await?;
    if s.applied_at.is_some() {
        return Err(AppError::Conflict("Phương án đã được áp dụng.".into()));
    }
    let decision = input::text(
        "decision",
        &form.decision,
        "Vui lòng ghi số văn bản quyết định áp dụng phương án (ví dụ 123/QĐ-UBND).",
    )?;
    let drafts = register::drafts(db, scenario).await?;
    if drafts.is_empty() {
        return Err(AppError::invalid(
            "decision",
            "Phương án chưa có sự kiện sắp xếp nào để áp dụng.",
        ));
    }
    let mut events = Vec::new();
    for (i, d) in drafts.iter().enumerate() {
        let mut f = form_of(d)?;
        f.decision = decision.clone();
        f.decision_date = form.decision_date.clone();
        f.decision_issuer = form.decision_issuer.clone();
        let stale = |why: String| {
            AppError::Conflict(format!(
                "Phương án không còn phù hợp với danh mục đơn vị hiện nay (sự kiện thứ {}: {}). Không có gì được ghi; vui lòng sửa phương án.",
                i + 1,
                why.trim_end_matches('.')
            ))
        };
        let mut c = match check(db, province, &f).await {
            Ok(c) => c,
            Err(e @ AppError::Invalid { field, .. })
                if field == "decision" || field == "decision_date" =>
            {
                return Err(e)
            }
            Err(AppError::Invalid { message, .. }) => return Err(stale(message)),
            Err(e) => return Err(e),
        };
        if let Some(m) = c.preview.missing.first() {
            return Err(stale(m.clone()));
        }
        c.event.actor = actor.id();
        events.push((d.id, c.event));
    }
    let scenario_entry = actor.entry("scenario.apply", "scenario", Some(scenario));
    let event_entry = actor.entry("restructuring.record", "restructuring_event", None);
    Ok(register::apply_scenario_audited(
        db,
        scenario,
        &events,
        Utc::now(),
        &scenario_entry,
        &event_entry,
    )
    .await?)
}
