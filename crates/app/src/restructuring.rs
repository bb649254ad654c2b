//! Restructuring events (sáp nhập, hợp nhất, chia tách, giải thể, chuyển giao, đổi tên)
//! recorded by the monitor: the request is parsed and checked against the register, then
//! previewed (every consequence: open assignments and the successor of each, coordinating
//! roles, accounts moved or disabled, open report requests, units under the ceasing ones),
//! then recorded in one transaction: applied at once when its date has come, else scheduled
//! for the daily job, and cancellable until then. See `docs/design/restructuring.md`.

use std::collections::{BTreeMap, HashMap};

use chrono::{NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use tinhgon_domain::event::{EventKind, RestructuringEvent};
use tinhgon_domain::model::Id;
use tinhgon_domain::register::ceasing;
use tinhgon_domain::unit::UnitKind;
use tinhgon_store::audit::AuditEntry;
use tinhgon_store::register::{
    self, ApplyOutcome, EventPlan, NewRestructuring, NewUnit, Recorded, RegisterSnapshot,
};
use tinhgon_store::Db;
use tinhgon_textkit::search_key;

use crate::error::{AppError, Result};
use crate::input;
use crate::units::{self, in_force, resolve, unit_of, Actor};

/// An event as the API, the command line and (flattened) the page give it.
#[derive(Debug, Default, Clone, Deserialize, Serialize)]
pub struct EventForm {
    /// `merge`, `consolidate`, `split`, `dissolve`, `transfer` or `rename`.
    #[serde(default)]
    pub kind: String,
    /// Units that cease or give up functions (ids or names).
    #[serde(default)]
    pub from: Vec<String>,
    /// Existing units that carry on (merge, transfer: one; split: any).
    #[serde(default)]
    pub into: Vec<String>,
    /// Names of the units the event creates (consolidate, rename: one; split: any).
    #[serde(default)]
    pub new: Vec<String>,
    /// Kind of the new units (default: the first ceasing unit's).
    #[serde(default)]
    pub new_kind: String,
    /// Effective date (dd/mm/yyyy or yyyy-mm-dd); a later date schedules the event.
    #[serde(default)]
    pub effective: String,
    /// Deciding document number.
    #[serde(default)]
    pub decision: String,
    /// Its date.
    #[serde(default)]
    pub decision_date: String,
    /// Its issuer.
    #[serde(default)]
    pub decision_issuer: String,
    /// Successor chosen per open assignment: assignment id → unit (id, name, or the new name).
    #[serde(default)]
    pub assignments: BTreeMap<String, String>,
    /// Successor of each ceasing unit for what is not chosen one by one.
    #[serde(default)]
    pub units: BTreeMap<String, String>,
    /// Each account of a ceasing unit: the unit it moves to, or `disable`.
    #[serde(default)]
    pub accounts: BTreeMap<String, String>,
    /// A split's staffing allocation: each successor (id, name, or the new name) → its
    /// percent, whole numbers summing to 100 (blank: equal shares).
    #[serde(default)]
    pub allocation: BTreeMap<String, String>,
    /// Each field of the functions register of a ceasing unit (its row id): the unit it goes
    /// to, or `end` (chấm dứt). Blank: its unit's successor.
    #[serde(default)]
    pub functions: BTreeMap<String, String>,
}

/// A unit as a preview shows it; a unit the event creates has a negative id until recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnitName {
    /// Id (negative: created by the event).
    pub id: Id,
    /// Name.
    pub name: String,
}

/// An open assignment and where it goes.
#[derive(Debug, Clone, Serialize)]
pub struct MovedWork {
    /// Assignment.
    pub id: Id,
    /// Unit it leaves.
    pub from: String,
    /// Plan number and task reference.
    pub label: String,
    /// Task content.
    pub content: String,
    /// Successor (None: the monitor must choose).
    pub to: Option<UnitName>,
}

/// An account of a ceasing unit and what happens to it.
#[derive(Debug, Clone, Serialize)]
pub struct AccountFate {
    /// Account.
    pub id: Id,
    /// Sign-in name and name shown.
    pub name: String,
    /// Unit it leaves.
    pub from: String,
    /// Unit it moves to (None: disabled).
    pub to: Option<UnitName>,
}

/// A field of the functions register of a unit the event ends, and where it goes.
#[derive(Debug, Clone, Serialize)]
pub struct FieldFate {
    /// Row of the functions register.
    pub id: Id,
    /// The field as written.
    pub field: String,
    /// Unit it leaves.
    pub from: String,
    /// Unit it goes to (None: ended, kept or not chosen; see the flags).
    pub to: Option<UnitName>,
    /// Marked ended by the monitor.
    pub ended: bool,
    /// Stays with its unit (a transfer moves only the fields chosen).
    pub kept: bool,
}

/// Everything applying an event would change, for the monitor to check before recording it.
#[derive(Debug, Clone, Serialize)]
pub struct Preview {
    /// Kind.
    pub kind: EventKind,
    /// Kind in Vietnamese.
    pub kind_label: &'static str,
    /// Effective date.
    pub effective: NaiveDate,
    /// Applied when recorded (false: scheduled for the daily job on its date).
    pub applies_now: bool,
    /// Deciding document as a line ("12/QĐ-UBND ngày 20/02/2025 của UBND tỉnh").
    pub decision: String,
    /// Units that cease or give up functions.
    pub predecessors: Vec<UnitName>,
    /// Units that cease with the event.
    pub ceasing: Vec<UnitName>,
    /// Units that carry on (existing and created).
    pub successors: Vec<UnitName>,
    /// Units a choice may name (the successors; for a dissolution any unit in force).
    pub choices: Vec<UnitName>,
    /// Open assignments and their successor.
    pub assignments: Vec<MovedWork>,
    /// Coordinating roles on tasks with open work: (task label, from, to).
    pub coordinating: Vec<(String, String, String)>,
    /// Accounts of the ceasing units.
    pub accounts: Vec<AccountFate>,
    /// Open report requests: (label, from, to).
    pub requests: Vec<(String, String, String)>,
    /// Units under the ceasing ones: (name, from, to).
    pub children: Vec<(String, String, String)>,
    /// What still has to be chosen before the event can be recorded.
    pub missing: Vec<String>,
    /// What the monitor should know but need not change: a successor that would hold two
    /// open assignments of the same task ("một việc chỉ giao cho một cơ quan chủ trì").
    pub warnings: Vec<String>,
    /// Quotas, headcounts and job positions carried to the successors, one line each
    /// ("Biên chế công chức năm 2025: 45 (Sở A) + 38 (Sở B) → 83 chuyển sang Sở C").
    pub staffing: Vec<String>,
    /// A split's staffing allocation as entered: each successor and its percent (empty:
    /// equal shares).
    pub allocation: Vec<(UnitName, u32)>,
    /// Functions to place: the fields the ceasing units hold (a transfer: the giving unit's).
    pub functions: Vec<FieldFate>,
}

/// A checked event, ready for the store.
pub(crate) struct Checked {
    /// The event as the store records it.
    pub(crate) event: NewRestructuring,
    /// Its preview.
    pub(crate) preview: Preview,
}

fn kind_of(text: &str) -> Result<EventKind> {
    EventKind::parse(text).ok_or_else(|| {
        AppError::invalid(
            "kind",
            "Loại sự kiện không hợp lệ: dùng merge (sáp nhập), consolidate (hợp nhất), split (chia tách), dissolve (giải thể), transfer (chuyển giao) hoặc rename (đổi tên).",
        )
    })
}

fn date_vi(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

/// Checks the form against the register and works out every consequence.
pub(crate) async fn check(db: &Db, province: Id, form: &EventForm) -> Result<Checked> {
    let reg = register::load_register(db, province).await?;
    let kind = kind_of(&form.kind)?;
    let effective = input::date(
        "effective",
        &form.effective,
        "Ngày hiệu lực không hợp lệ (dd/mm/yyyy).",
    )?;
    let decision = input::text(
        "decision",
        &form.decision,
        "Vui lòng ghi số văn bản quyết định sắp xếp (ví dụ 123/QĐ-UBND).",
    )?;
    let decision_date = input::date_or_empty(
        "decision_date",
        &form.decision_date,
        "Ngày ban hành quyết định không hợp lệ (dd/mm/yyyy).",
    )?;
    let decision_issuer = input::note(&form.decision_issuer);
    let day_before = effective.pred_opt().unwrap_or(effective);
    let mut from: Vec<Id> = Vec::new();
    for w in form.from.iter().filter(|w| !w.trim().is_empty()) {
        let id = resolve(&reg, "from", w, day_before)?;
        if from.contains(&id) {
            return Err(AppError::invalid(
                "from",
                format!("{} được ghi hai lần.", unit_of(&reg, id)?.name),
            ));
        }
        in_force(unit_of(&reg, id)?, day_before, "from")?;
        if unit_of(&reg, id)?.parent_id.is_none() {
            return Err(AppError::invalid(
                "from",
                "Không sắp xếp chính tỉnh từ đây.",
            ));
        }
        from.push(id);
    }
    let mut into: Vec<Id> = Vec::new();
    for w in form.into.iter().filter(|w| !w.trim().is_empty()) {
        let id = resolve(&reg, "into", w, effective)?;
        in_force(unit_of(&reg, id)?, effective, "into")?;
        if into.contains(&id) {
            return Err(AppError::invalid(
                "into",
                format!("{} được ghi hai lần.", unit_of(&reg, id)?.name),
            ));
        }
        into.push(id);
    }
    let new: Vec<String> = form
        .new
        .iter()
        .map(|n| n.trim().to_string())
        .filter(|n| !n.is_empty())
        .collect();
    shape(kind, &from, &into, &new)?;
    if kind != EventKind::Merge && kind != EventKind::Transfer {
        if let Some(both) = into.iter().find(|i| from.contains(i)) {
            return Err(AppError::invalid(
                "into",
                format!(
                    "{} vừa là đơn vị trước vừa là đơn vị sau sắp xếp.",
                    unit_of(&reg, *both)?.name
                ),
            ));
        }
    }
    if kind == EventKind::Transfer && from.first() == into.first() {
        return Err(AppError::invalid(
            "into",
            "Đơn vị nhận chuyển giao phải khác đơn vị chuyển giao.",
        ));
    }
    let first = unit_of(&reg, from[0])?.clone();
    let new_kind = match form.new_kind.trim() {
        "" => first.kind,
        k => units::kind("new_kind", k)?,
    };
    let mut new_units = Vec::new();
    for (i, n) in new.iter().enumerate() {
        units::name_free(&reg, "new", n, effective, &from)?;
        if new[..i].iter().any(|m| search_key(m) == search_key(n)) {
            return Err(AppError::invalid(
                "new",
                format!("Tên \"{n}\" được ghi hai lần."),
            ));
        }
        let autonomy_group = if new_kind == UnitKind::PublicServiceUnit {
            register::unit_extras(db, first.id).await?.1
        } else {
            None
        };
        new_units.push(NewUnit {
            name: n.clone(),
            code: if kind == EventKind::Rename {
                first.code.clone()
            } else {
                None
            },
            kind: new_kind,
            parent_id: first.parent_id.unwrap_or(province),
            province_id: province,
            valid_from: effective,
            autonomy_group,
            aliases: Vec::new(),
        });
    }
    // A merge keeps the absorbing unit on both sides: it carries on (domain `ceasing`).
    let mut predecessors = from.clone();
    if kind == EventKind::Merge {
        for i in &into {
            if !predecessors.contains(i) {
                predecessors.push(*i);
            }
        }
    }
    let created: Vec<UnitName> = new
        .iter()
        .enumerate()
        .map(|(i, n)| UnitName {
            id: -(i64::try_from(i).unwrap_or(0) + 1),
            name: n.clone(),
        })
        .collect();
    let draft = RestructuringEvent {
        allocation: Vec::new(),
        id: 0,
        kind,
        predecessors: predecessors.clone(),
        successors: into
            .iter()
            .copied()
            .chain(created.iter().map(|c| c.id))
            .collect(),
        decision: Some(decision.clone()),
        effective,
    };
    let gone = ceasing(&draft);
    let name = |id: Id| -> String {
        created
            .iter()
            .find(|c| c.id == id)
            .map(|c| c.name.clone())
            .or_else(|| {
                reg.units
                    .iter()
                    .find(|u| u.id == id)
                    .map(|u| u.name.clone())
            })
            .unwrap_or_default()
    };
    let named = |id: Id| UnitName { id, name: name(id) };
    let successors: Vec<UnitName> = draft
        .successors
        .iter()
        .filter(|s| !gone.contains(s))
        .map(|s| named(*s))
        .collect();
    // A dissolution has no successor: its work goes to a unit the monitor names.
    let choices: Vec<UnitName> = if kind == EventKind::Dissolve {
        let mut v: Vec<UnitName> = reg
            .units
            .iter()
            .filter(|u| u.is_valid_on(effective) && !gone.contains(&u.id) && u.parent_id.is_some())
            .map(|u| UnitName {
                id: u.id,
                name: u.name.clone(),
            })
            .collect();
        v.sort_by_cached_key(|u| tinhgon_textkit::sort_key(&u.name));
        v
    } else {
        successors.clone()
    };
    let choice = |field: &'static str, text: &str| -> Result<Id> {
        let t = text.trim();
        if let Some(c) = created
            .iter()
            .find(|c| search_key(&c.name) == search_key(t) || c.id.to_string() == t)
        {
            return Ok(c.id);
        }
        let id = resolve(&reg, field, t, effective)?;
        if !choices.iter().any(|c| c.id == id) {
            return Err(AppError::invalid(
                field,
                format!(
                    "{} không phải đơn vị tiếp nhận của sự kiện này (chọn một trong: {}).",
                    name(id),
                    choices
                        .iter()
                        .take(8)
                        .map(|c| c.name.as_str())
                        .collect::<Vec<_>>()
                        .join("; ")
                ),
            ));
        }
        Ok(id)
    };
    let source: Vec<Id> = if kind == EventKind::Transfer {
        from.clone()
    } else {
        gone.clone()
    };
    let found = register::consequences(db, &source, effective).await?;
    let mut plan = EventPlan::default();
    for (u, to) in &form.units {
        if to.trim().is_empty() {
            continue;
        }
        let uid = resolve(&reg, "units", u, day_before)?;
        if !gone.contains(&uid) {
            return Err(AppError::invalid(
                "units",
                format!("{} không chấm dứt hoạt động trong sự kiện này.", name(uid)),
            ));
        }
        plan.by_unit.insert(uid, choice("units", to)?);
    }
    let open_ids: HashMap<Id, Id> = found.open.iter().map(|a| (a.id, a.unit_id)).collect();
    for (a, to) in &form.assignments {
        if to.trim().is_empty() {
            continue;
        }
        let aid: Id = a.trim().parse().map_err(|_| {
            AppError::invalid("assignments", format!("Mã nhiệm vụ \"{a}\" không hợp lệ."))
        })?;
        if !open_ids.contains_key(&aid) {
            return Err(AppError::invalid(
                "assignments",
                format!("Phân bổ không khớp: nhiệm vụ mã {aid} không phải nhiệm vụ đang thực hiện của đơn vị sắp xếp."),
            ));
        }
        plan.by_assignment.insert(aid, choice("assignments", to)?);
    }
    let heir = |unit: Id| -> Option<Id> {
        plan.by_unit
            .get(&unit)
            .copied()
            .or(match successors.as_slice() {
                [one] if kind != EventKind::Transfer => Some(one.id),
                _ => None,
            })
    };
    let account_ids: Vec<Id> = found.accounts.iter().map(|a| a.id).collect();
    for (a, to) in &form.accounts {
        let uid: Id = a.trim().parse().map_err(|_| {
            AppError::invalid("accounts", format!("Mã tài khoản \"{a}\" không hợp lệ."))
        })?;
        if !account_ids.contains(&uid) {
            return Err(AppError::invalid(
                "accounts",
                format!("Tài khoản mã {uid} không thuộc đơn vị chấm dứt hoạt động."),
            ));
        }
        let fate = match search_key(to).as_str() {
            "" => continue,
            "disable" | "khoa" | "vo hieu hoa" => None,
            _ => Some(choice("accounts", to)?),
        };
        plan.accounts.insert(uid, fate);
    }
    let fields = tinhgon_store::functions::held_by(db, &source, day_before).await?;
    for (f, to) in &form.functions {
        let fid: Id = f.trim().parse().map_err(|_| {
            AppError::invalid("functions", format!("Mã lĩnh vực \"{f}\" không hợp lệ."))
        })?;
        if !fields.iter().any(|x| x.id == fid) {
            return Err(AppError::invalid(
                "functions",
                format!("Lĩnh vực mã {fid} không thuộc đơn vị sắp xếp của sự kiện này."),
            ));
        }
        let fate = match search_key(to).as_str() {
            "" => continue,
            "end" | "ended" | "cham dut" | "ket thuc" => None,
            _ => Some(choice("functions", to)?),
        };
        plan.functions.insert(fid, fate);
    }
    let mut missing = Vec::new();
    let functions: Vec<FieldFate> = fields
        .iter()
        .map(|f| {
            let chosen = plan.functions.get(&f.id).copied();
            let to = match chosen {
                Some(fate) => fate,
                None if kind == EventKind::Transfer => None,
                None => heir(f.unit_id),
            };
            FieldFate {
                id: f.id,
                field: tinhgon_domain::functions::field_name(&f.field_code),
                from: name(f.unit_id),
                to: to.map(named),
                ended: chosen == Some(None),
                kept: chosen.is_none() && kind == EventKind::Transfer,
            }
        })
        .collect();
    let unplaced = functions
        .iter()
        .filter(|f| f.to.is_none() && !f.ended && !f.kept)
        .count();
    if unplaced > 0 {
        missing.push(format!(
            "Còn {unplaced} lĩnh vực quản lý nhà nước của đơn vị chấm dứt hoạt động chưa có đơn vị tiếp nhận: chọn đơn vị tiếp nhận hoặc đánh dấu chấm dứt cho từng lĩnh vực."
        ));
    }
    let assignments: Vec<MovedWork> = found
        .open
        .iter()
        .map(|a| {
            let to = plan.by_assignment.get(&a.id).copied().or_else(|| {
                (kind != EventKind::Transfer)
                    .then(|| heir(a.unit_id))
                    .flatten()
            });
            MovedWork {
                id: a.id,
                from: name(a.unit_id),
                label: format!(
                    "{} {}",
                    a.plan_number.clone().unwrap_or_default(),
                    a.task_ref
                )
                .trim()
                .to_string(),
                content: a.content.clone(),
                to: to.map(named),
            }
        })
        .collect();
    let unplaced = assignments.iter().filter(|a| a.to.is_none()).count();
    if unplaced > 0 && kind != EventKind::Transfer {
        missing.push(format!(
            "Còn {unplaced} nhiệm vụ đang thực hiện chưa có đơn vị tiếp nhận: chọn đơn vị tiếp nhận cho từng nhiệm vụ hoặc cho cả đơn vị."
        ));
    }
    let has_rest = |u: Id| {
        found.coordinating.iter().any(|c| c.unit_id == u)
            || found.requests.iter().any(|r| r.unit_id == u)
            || found.children.iter().any(|c| c.2 == u)
            || (kind == EventKind::Split && found.open.iter().any(|a| a.unit_id == u))
    };
    for g in &gone {
        if heir(*g).is_none() && has_rest(*g) {
            missing.push(format!(
                "Chọn đơn vị tiếp nhận phần còn lại của {} (vai trò phối hợp, yêu cầu báo cáo, đơn vị trực thuộc, nhiệm vụ giao sau).",
                name(*g)
            ));
        }
    }
    // Two open assignments of one task ending with one unit: the successor's own, or two
    // ceasing units' that both had the task (a group lead such as "các sở, ngành").
    let mut held: HashMap<(Id, Id), usize> = HashMap::new();
    let existing: Vec<Id> = successors.iter().map(|s| s.id).filter(|s| *s > 0).collect();
    for w in register::consequences(db, &existing, effective).await?.open {
        *held.entry((w.task_id, w.unit_id)).or_default() += 1;
    }
    for (w, m) in found.open.iter().zip(assignments.iter()) {
        if let Some(to) = &m.to {
            *held.entry((w.task_id, to.id)).or_default() += 1;
        }
    }
    let doubled = held.values().filter(|n| **n > 1).count();
    let mut warnings = Vec::new();
    if doubled > 0 {
        warnings.push(format!(
            "{doubled} nhiệm vụ sẽ có hai phân công trở lên ở cùng một đơn vị kế thừa; sau khi áp dụng, đơn vị theo dõi nên hủy phân công trùng để một việc chỉ có một cơ quan chủ trì."
        ));
    }
    let to_label = |to: Option<Id>| to.map_or_else(|| "chưa chọn".to_string(), name);
    let coordinating = found
        .coordinating
        .iter()
        .map(|c| {
            (
                format!(
                    "{} {}",
                    c.plan_number.clone().unwrap_or_default(),
                    c.task_ref
                )
                .trim()
                .to_string(),
                name(c.unit_id),
                to_label(heir(c.unit_id)),
            )
        })
        .collect();
    let requests = found
        .requests
        .iter()
        .map(|r| {
            (
                format!(
                    "{} – {} (hạn {})",
                    r.plan_number.clone().unwrap_or_default(),
                    r.period_label,
                    date_vi(r.due)
                ),
                name(r.unit_id),
                to_label(heir(r.unit_id)),
            )
        })
        .collect();
    let children = found
        .children
        .iter()
        .map(|(_, n, p)| (n.clone(), name(*p), to_label(heir(*p))))
        .collect();
    let accounts = if kind == EventKind::Transfer {
        Vec::new()
    } else {
        found
            .accounts
            .iter()
            .map(|a| AccountFate {
                id: a.id,
                name: format!("{} ({})", a.display_name, a.login),
                from: name(a.unit_id),
                to: plan
                    .accounts
                    .get(&a.id)
                    .copied()
                    .unwrap_or_else(|| heir(a.unit_id))
                    .map(named),
            })
            .collect()
    };
    // Units in the register by id, then the created ones in order: the order their ids will
    // have, so the remainders of a split go where the store will send them.
    let mut staff_heirs: Vec<Id> = successors.iter().map(|s| s.id).filter(|s| *s > 0).collect();
    staff_heirs.sort_unstable();
    staff_heirs.extend(created.iter().map(|c| c.id));
    let allocation = allocation(kind, &form.allocation, &staff_heirs, &name)?;
    let staffing = crate::staffing::carry::preview_lines(
        db,
        kind,
        &gone,
        &staff_heirs,
        &allocation,
        effective,
        &name,
    )
    .await?;
    let today = tinhgon_domain::local_date(Utc::now());
    let mut decision_line = decision.clone();
    if let Some(d) = decision_date {
        decision_line.push_str(&format!(" ngày {}", date_vi(d)));
    }
    if let Some(i) = &decision_issuer {
        decision_line.push_str(&format!(" của {i}"));
    }
    let preview = Preview {
        kind,
        kind_label: kind.label_vi(),
        effective,
        applies_now: effective <= today,
        decision: decision_line,
        predecessors: from.iter().map(|p| named(*p)).collect(),
        ceasing: gone.iter().map(|p| named(*p)).collect(),
        successors,
        choices,
        assignments,
        coordinating,
        accounts,
        requests,
        children,
        missing,
        warnings,
        staffing,
        allocation: allocation.iter().map(|(u, p)| (named(*u), *p)).collect(),
        functions,
    };
    Ok(Checked {
        event: NewRestructuring {
            province_id: province,
            kind,
            predecessors,
            successors: into,
            new_units,
            decision,
            decision_date,
            decision_issuer,
            effective,
            plan,
            allocation,
            apply_now: effective <= today,
            actor: None,
        },
        preview,
    })
}

/// A split's staffing allocation from the form: every successor's percent, whole numbers from
/// 0 to 100 summing to 100; nothing entered is equal shares. `heirs` are the successors (the
/// created ones by their negative ids).
fn allocation(
    kind: EventKind,
    entered: &BTreeMap<String, String>,
    heirs: &[Id],
    name: &impl Fn(Id) -> String,
) -> Result<Vec<(Id, u32)>> {
    let given: Vec<(&String, &str)> = entered
        .iter()
        .map(|(k, v)| (k, v.trim().trim_end_matches('%').trim()))
        .filter(|(_, v)| !v.is_empty())
        .collect();
    if given.is_empty() {
        return Ok(Vec::new());
    }
    let bad = |m: String| Err(AppError::invalid("allocation", m));
    if kind != EventKind::Split {
        return bad(
            "Chỉ sự kiện chia tách mới ghi tỷ lệ chia biên chế giữa các đơn vị sau sắp xếp.".into(),
        );
    }
    let mut out: Vec<(Id, u32)> = Vec::new();
    for (key, value) in given {
        let k = key.trim();
        let Some(heir) = heirs
            .iter()
            .copied()
            .find(|h| h.to_string() == k || search_key(&name(*h)) == search_key(k))
        else {
            return bad(format!(
                "“{k}” không phải đơn vị sau chia tách của sự kiện này."
            ));
        };
        if out.iter().any(|(h, _)| *h == heir) {
            return bad(format!("Tỷ lệ của {} được ghi hai lần.", name(heir)));
        }
        let Some(p) = value.parse::<u32>().ok().filter(|p| *p <= 100) else {
            return bad(format!(
                "Tỷ lệ của {} phải là số nguyên từ 0 đến 100 (đang ghi “{value}”).",
                name(heir)
            ));
        };
        out.push((heir, p));
    }
    if let Some(h) = heirs.iter().find(|h| !out.iter().any(|(u, _)| u == *h)) {
        return bad(format!(
            "Vui lòng ghi tỷ lệ cho {} (hoặc để trống tất cả để chia đều).",
            name(*h)
        ));
    }
    let sum: u32 = out.iter().map(|(_, p)| p).sum();
    if sum != 100 {
        return bad(format!(
            "Tổng tỷ lệ chia biên chế phải bằng 100% (đang là {sum}%)."
        ));
    }
    out.sort_by_key(|(h, _)| heirs.iter().position(|x| x == h));
    Ok(out)
}

/// Refused unless the units named fit the kind of event.
fn shape(kind: EventKind, from: &[Id], into: &[Id], new: &[String]) -> Result<()> {
    let bad = |field: &'static str, m: &str| Err(AppError::invalid(field, m.to_string()));
    if from.is_empty() {
        return bad("from", "Vui lòng chọn đơn vị trước sắp xếp.");
    }
    match kind {
        EventKind::Merge if into.len() != 1 || !new.is_empty() => bad(
            "into",
            "Sáp nhập: chọn đúng một đơn vị hiện có nhận sáp nhập (--into), không tạo đơn vị mới.",
        ),
        EventKind::Merge if from.iter().all(|f| into.contains(f)) => {
            bad("from", "Sáp nhập: chọn ít nhất một đơn vị được sáp nhập.")
        }
        EventKind::Consolidate if from.len() < 2 || new.len() != 1 || !into.is_empty() => bad(
            "new",
            "Hợp nhất: chọn ít nhất hai đơn vị và ghi tên đúng một đơn vị mới (--new).",
        ),
        EventKind::Split if from.len() != 1 || into.len() + new.len() < 2 => bad(
            "new",
            "Chia tách: chọn một đơn vị và ít nhất hai đơn vị sau chia tách (hiện có hoặc mới).",
        ),
        EventKind::Dissolve if !into.is_empty() || !new.is_empty() => bad(
            "into",
            "Giải thể không có đơn vị sau sắp xếp; chọn đơn vị tiếp nhận nhiệm vụ trong bước xem trước.",
        ),
        EventKind::Transfer if from.len() != 1 || into.len() != 1 || !new.is_empty() => bad(
            "into",
            "Chuyển giao: chọn một đơn vị chuyển giao và một đơn vị hiện có nhận chuyển giao.",
        ),
        EventKind::Rename if from.len() != 1 || new.len() != 1 || !into.is_empty() => bad(
            "new",
            "Đổi tên: chọn một đơn vị và ghi đúng một tên mới (--new).",
        ),
        _ => Ok(()),
    }
}

/// The preview of an event: every consequence, nothing written.
pub async fn preview(db: &Db, actor: Actor<'_>, province: Id, form: &EventForm) -> Result<Preview> {
    actor.check(province)?;
    Ok(check(db, province, form).await?.preview)
}

/// What recording did, with the preview it followed.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// The event, the units it created, and what was applied (None: scheduled).
    pub recorded: Recorded,
    /// The preview it was recorded from.
    pub preview: Preview,
}

/// Records an event as previewed, in one transaction: applied now when its date has come,
/// else scheduled. Refused (nothing written) while the preview still lacks a choice.
pub async fn record(db: &Db, actor: Actor<'_>, province: Id, form: &EventForm) -> Result<Outcome> {
    actor.check(province)?;
    let mut c = check(db, province, form).await?;
    if let Some(first) = c.preview.missing.first() {
        return Err(AppError::invalid("assignments", first.clone()));
    }
    c.event.actor = actor.id();
    let entry = actor.entry("restructuring.record", "restructuring_event", None);
    let recorded = register::record_restructuring_audited(db, &c.event, Utc::now(), &entry).await?;
    Ok(Outcome {
        recorded,
        preview: c.preview,
    })
}

/// Cancels a scheduled event of `province` before its date.
pub async fn cancel(db: &Db, actor: Actor<'_>, province: Id, event: Id) -> Result<()> {
    actor.check(province)?;
    if register::event_province(db, event).await? != Some(province) {
        return Err(AppError::NotFound);
    }
    let entry = actor.entry("restructuring.cancel", "restructuring_event", Some(event));
    register::cancel_event_audited(db, event, actor.id(), Utc::now(), &entry).await?;
    Ok(())
}

/// Applies every scheduled event whose date has come by `now` (the daily job), each in its
/// own transaction. Returns the events applied and what each changed.
pub async fn apply_due(db: &Db, now: chrono::DateTime<Utc>) -> Result<Vec<(Id, ApplyOutcome)>> {
    let today = tinhgon_domain::local_date(now);
    let mut out = Vec::new();
    for id in register::due_events(db, today).await? {
        let entry = AuditEntry::system(
            "restructuring.apply",
            "restructuring_event",
            Some(id),
            serde_json::json!({ "job": "daily" }),
        );
        if let Some(o) = register::apply_scheduled_audited(db, id, now, &entry).await? {
            out.push((id, o));
        }
    }
    Ok(out)
}

/// The events of a province as the register page lists them, for any reader of it.
pub async fn events(db: &Db, province: Id) -> Result<Vec<register::EventRow>> {
    Ok(register::province_events(db, province).await?)
}

/// The register of a province (units, events, aliases), for the pages' choices.
pub async fn snapshot(db: &Db, province: Id) -> Result<RegisterSnapshot> {
    Ok(register::load_register(db, province).await?)
}
