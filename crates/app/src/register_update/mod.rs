//! A province's register updated from a newer file (CSV or XLSX): the differences with the
//! register in force are shown for the monitor to review (new, renamed, moved, closed units;
//! mergers the file records), and the ones chosen are applied in one transaction with the
//! deciding document: units added, moved and closed as unit changes, renamings and mergers
//! as restructuring events. Nothing changes without that review. The first import of a
//! province is still `register::import`. See `docs/design/register.md`.

pub mod file;

use std::collections::HashMap;

use chrono::{NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use tinhgon_domain::model::Id;
use tinhgon_domain::register_update::{self as diffing, Change, ChangeKind, Current, Target};
use tinhgon_domain::register_update::{Diff, UpdateFile};
use tinhgon_store::register::{
    self, RegisterSnapshot, RegisterUpdate, UnitRef, UpdateOutcome, UpdateStep,
};
use tinhgon_store::Db;

use crate::error::{AppError, Result};
use crate::input;
use crate::units::Actor;

/// One difference as the review shows it.
#[derive(Debug, Clone, Serialize)]
pub struct ChangeView {
    /// The checkbox's value (send it back to apply this change).
    pub key: String,
    /// `add`, `rename`, `move`, `close`, `merge`, `consolidate`.
    pub kind: &'static str,
    /// The kind in Vietnamese ("Thêm mới" …).
    pub label: &'static str,
    /// What changes, in a Vietnamese sentence.
    pub text: String,
    /// The day it takes effect (dd/mm/yyyy).
    pub effective: String,
    /// The row of the file it comes from (None: a unit the file no longer lists).
    pub line: Option<usize>,
}

/// The review of a register file.
#[derive(Debug, Clone, Serialize)]
pub struct UpdatePreview {
    /// The province.
    pub province: String,
    /// The day moves and closures take effect (dd/mm/yyyy).
    pub effective: String,
    /// The differences, in the order they are applied.
    pub changes: Vec<ChangeView>,
    /// Rows skipped, with why.
    pub warnings: Vec<String>,
}

/// What the monitor sends to apply the reviewed changes.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ApplyForm {
    /// The keys of the changes chosen.
    #[serde(default)]
    pub changes: Vec<String>,
    /// The day moves and closures take effect (dd/mm/yyyy; blank: the decision's date).
    #[serde(default)]
    pub effective: String,
    /// Deciding document number.
    #[serde(default)]
    pub decision: String,
    /// Its date (dd/mm/yyyy).
    #[serde(default)]
    pub decision_date: String,
}

/// What applying did, with a Vietnamese summary.
#[derive(Debug, Clone, Serialize)]
pub struct Applied {
    /// What the store did.
    pub outcome: UpdateOutcome,
    /// "Đã cập nhật danh mục: …".
    pub message: String,
}

fn date_vi(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

fn first_error(mut errors: Vec<String>) -> AppError {
    let more = errors.len().saturating_sub(1);
    let first = if errors.is_empty() {
        "tệp danh mục không hợp lệ".to_string()
    } else {
        errors.remove(0)
    };
    let tail = if more > 0 {
        format!(" (và {more} lỗi khác; không có gì được ghi)")
    } else {
        " (không có gì được ghi)".into()
    };
    let mut chars = first.chars();
    let first = chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect::<String>())
        .unwrap_or_default();
    AppError::invalid("file", format!("{first}{tail}."))
}

/// The effective date a form gives; blank is today (preview) or the decision's date.
fn effective(text: &str, default: NaiveDate) -> Result<NaiveDate> {
    Ok(input::date_or_empty(
        "effective",
        text,
        "Ngày hiệu lực không hợp lệ (dd/mm/yyyy).",
    )?
    .unwrap_or(default))
}

/// The differences of `file` with the register of `province` in force, as of `day`.
async fn compare(
    db: &Db,
    province: Id,
    file: &UpdateFile,
    day: NaiveDate,
) -> Result<(RegisterSnapshot, Diff)> {
    let reg = register::load_register(db, province).await?;
    let root = reg
        .units
        .iter()
        .find(|u| u.id == province)
        .ok_or(AppError::NotFound)?;
    let cur = Current {
        province: root,
        units: &reg.units,
        aliases: &reg.aliases,
    };
    let diff = diffing::diff(cur, file, day).map_err(first_error)?;
    Ok((reg, diff))
}

/// Compares `file` with the register of `province` in force and lists the differences;
/// `effective` is the day moves and closures would take effect (blank: today). Writes nothing.
pub async fn preview(
    db: &Db,
    actor: Actor<'_>,
    province: Id,
    file: &UpdateFile,
    effective_text: &str,
) -> Result<UpdatePreview> {
    actor.check(province)?;
    let day = effective(effective_text, tinhgon_domain::local_date(Utc::now()))?;
    let (reg, diff) = compare(db, province, file, day).await?;
    let names = Names::new(&reg, &diff);
    Ok(UpdatePreview {
        province: names.unit(province),
        effective: date_vi(day),
        changes: diff.changes.iter().map(|c| names.view(c)).collect(),
        warnings: diff.warnings,
    })
}

/// Applies the changes of `file` chosen in `form` to the register of `province`, in one
/// transaction with the deciding document, each audited. The differences are worked out
/// again, so a register changed since the review refuses a change that no longer applies.
pub async fn apply(
    db: &Db,
    actor: Actor<'_>,
    province: Id,
    file: &UpdateFile,
    form: &ApplyForm,
) -> Result<Applied> {
    actor.check(province)?;
    let decision = input::text(
        "decision",
        &form.decision,
        "Vui lòng ghi số văn bản quyết định (ví dụ 123/QĐ-UBND).",
    )?;
    let decision_date = input::date(
        "decision_date",
        &form.decision_date,
        "Vui lòng ghi ngày ban hành văn bản quyết định (dd/mm/yyyy).",
    )?;
    let day = effective(&form.effective, decision_date)?;
    let (reg, diff) = compare(db, province, file, day).await?;
    let root = reg
        .units
        .iter()
        .find(|u| u.id == province)
        .ok_or(AppError::NotFound)?;
    let cur = Current {
        province: root,
        units: &reg.units,
        aliases: &reg.aliases,
    };
    let chosen =
        diffing::select(cur, &diff, &form.changes).map_err(|m| AppError::invalid("changes", m))?;
    let mut added: HashMap<String, usize> = HashMap::new();
    let mut steps = Vec::new();
    let refer = |t: &Target, added: &HashMap<String, usize>| -> Result<UnitRef> {
        match t {
            Target::Unit(id) => Ok(UnitRef::Unit(*id)),
            Target::Added(k) => added
                .get(k)
                .map(|i| UnitRef::Added(*i))
                .ok_or_else(|| AppError::invalid("changes", "Đơn vị cha mới chưa được chọn.")),
        }
    };
    for c in &chosen {
        steps.push(match &c.kind {
            ChangeKind::Add {
                name,
                code,
                kind,
                parent,
            } => {
                let step = UpdateStep::Add {
                    name: name.clone(),
                    code: code.clone(),
                    kind: *kind,
                    parent: refer(parent, &added)?,
                    valid_from: c.effective,
                };
                added.insert(c.key.clone(), added.len());
                step
            }
            ChangeKind::Move { unit, parent } => UpdateStep::Move {
                unit: *unit,
                parent: refer(parent, &added)?,
            },
            ChangeKind::Rename { unit, name } => {
                let u = crate::units::unit_of(&reg, *unit)?;
                if u.valid_from.is_some_and(|f| c.effective <= f) {
                    return Err(AppError::invalid(
                        "changes",
                        format!(
                            "Không thể đổi tên {} từ ngày {}: đơn vị được thành lập từ ngày {}.",
                            u.name,
                            date_vi(c.effective),
                            u.valid_from.map(date_vi).unwrap_or_default()
                        ),
                    ));
                }
                UpdateStep::Rename {
                    unit: *unit,
                    name: name.clone(),
                    effective: c.effective,
                }
            }
            ChangeKind::Merge {
                predecessors,
                successor,
                decision,
            } => UpdateStep::Merge {
                predecessors: predecessors.clone(),
                successor: refer(successor, &added)?,
                effective: c.effective,
                decision: decision.clone(),
            },
            ChangeKind::Close { unit } => UpdateStep::Close { unit: *unit },
        });
    }
    let update = RegisterUpdate {
        province_id: province,
        decision: decision.clone(),
        decision_date,
        effective: day,
        today: tinhgon_domain::local_date(Utc::now()),
        steps,
        actor: actor.id(),
    };
    let entry = actor
        .entry("register.update", "unit", Some(province))
        .with_after("source", file.source.clone());
    let outcome = register::apply_register_update_audited(db, &update, Utc::now(), &entry).await?;
    let mut parts = Vec::new();
    let mut say = |n: usize, what: &str| {
        if n > 0 {
            parts.push(format!("{n} {what}"));
        }
    };
    say(outcome.added.len(), "đơn vị thêm mới");
    say(outcome.moved, "đơn vị chuyển đơn vị cha");
    say(outcome.events.len(), "sự kiện sắp xếp (đổi tên, sáp nhập)");
    say(outcome.closed, "đơn vị chấm dứt hoạt động");
    let message = format!(
        "Đã cập nhật danh mục theo văn bản {decision}: {}.",
        parts.join(", ")
    );
    Ok(Applied { outcome, message })
}

/// Names for the review: units of the register, and the units the file adds.
struct Names<'a> {
    reg: &'a RegisterSnapshot,
    added: HashMap<&'a str, &'a str>,
}

impl<'a> Names<'a> {
    fn new(reg: &'a RegisterSnapshot, diff: &'a Diff) -> Names<'a> {
        let added = diff
            .changes
            .iter()
            .filter_map(|c| match &c.kind {
                ChangeKind::Add { name, .. } => Some((c.key.as_str(), name.as_str())),
                _ => None,
            })
            .collect();
        Names { reg, added }
    }

    fn unit(&self, id: Id) -> String {
        self.reg
            .units
            .iter()
            .find(|u| u.id == id)
            .map_or_else(String::new, |u| u.name.clone())
    }

    fn target(&self, t: &Target) -> String {
        match t {
            Target::Unit(id) => self.unit(*id),
            Target::Added(k) => format!(
                "{} (đơn vị mới)",
                self.added.get(k.as_str()).copied().unwrap_or_default()
            ),
        }
    }

    fn parent_of(&self, id: Id) -> String {
        self.reg
            .units
            .iter()
            .find(|u| u.id == id)
            .and_then(|u| u.parent_id)
            .map(|p| self.unit(p))
            .unwrap_or_default()
    }

    fn view(&self, c: &Change) -> ChangeView {
        let (kind, label, text) = match &c.kind {
            ChangeKind::Add {
                name, kind, parent, ..
            } => (
                "add",
                "Thêm mới",
                format!(
                    "{name} ({}), trực thuộc {}",
                    kind.label_vi().to_lowercase(),
                    self.target(parent)
                ),
            ),
            ChangeKind::Rename { unit, name } => (
                "rename",
                "Đổi tên",
                format!("{} đổi tên thành {name}", self.unit(*unit)),
            ),
            ChangeKind::Move { unit, parent } => (
                "move",
                "Chuyển đơn vị cha",
                format!(
                    "{}: từ {} sang {}",
                    self.unit(*unit),
                    self.parent_of(*unit),
                    self.target(parent)
                ),
            ),
            ChangeKind::Close { unit } => (
                "close",
                "Chấm dứt hoạt động",
                format!(
                    "{} (trực thuộc {}) không còn trong tệp",
                    self.unit(*unit),
                    self.parent_of(*unit)
                ),
            ),
            ChangeKind::Merge {
                predecessors,
                successor,
                ..
            } => {
                let from: Vec<String> = predecessors.iter().map(|p| self.unit(*p)).collect();
                let consolidate = matches!(successor, Target::Added(_));
                (
                    if consolidate { "consolidate" } else { "merge" },
                    if consolidate {
                        "Hợp nhất"
                    } else {
                        "Sáp nhập"
                    },
                    format!("{} vào {}", from.join(", "), self.target(successor)),
                )
            }
        };
        ChangeView {
            key: c.key.clone(),
            kind,
            label,
            text,
            effective: date_vi(c.effective),
            line: (c.line > 0).then_some(c.line),
        }
    }
}
