//! An imported amending document (văn bản sửa đổi, bổ sung) as an amendment of the plan it
//! amends: the review offers the published plan of the province with the number the document
//! names (or lets the reviewer pick one), shows each change it makes before → after with the
//! reason a rule would refuse it, lets the reviewer keep, untick or correct each one, and
//! publishing applies the kept changes through the plan change rules
//! ([`crate::plan_changes`]) in one transaction, with the document as deciding document.

use chrono::{NaiveDate, Utc};
use serde::Deserialize;
use tinhgon_domain::amendment::{Amendment, ChangeDraft, ChangeDraftKind};
use tinhgon_domain::ids::{AssignmentId, PlanId, TaskId};
use tinhgon_domain::localtime::local_date;
use tinhgon_domain::model::Id;
use tinhgon_domain::plan::PlanState;
use tinhgon_domain::user::User;
use tinhgon_domain::{DocumentKind, DocumentMeta, Resolution};
use tinhgon_store::plan_changes::amend::{self, Outcome, Planned, Step};
use tinhgon_store::plan_changes::{self as changes, NewTask};
use tinhgon_store::Db;

use crate::access::{self, LoadedPlan};
use crate::error::{AppError, Result};
use crate::plan_changes::{self as pc, Why};
use crate::{audit, input};

/// How the amendment's refusal starts (publication refused, nothing changed).
pub const REFUSED: &str = "Chưa ban hành được văn bản sửa đổi, bổ sung";

/// A plan an amendment may amend, as the review names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanChoice {
    /// The plan.
    pub id: PlanId,
    /// Its number, else its title.
    pub label: String,
}

/// A change of the amendment as the review shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProposedChange {
    /// Its position among the amendment's changes.
    pub index: usize,
    /// What it does.
    pub kind: ChangeDraftKind,
    /// The task's reference in the amended plan (or the added task's).
    pub task_ref: String,
    /// The clause as written.
    pub text: String,
    /// Kept by the reviewer.
    pub keep: bool,
    /// The value now, in words (empty for an added task).
    pub before: String,
    /// The value after the change, in words.
    pub after: String,
    /// Why it cannot be applied as it stands (a rule's refusal, a task or unit not found).
    pub problem: Option<String>,
    /// The new deadline as written.
    pub deadline: String,
    /// The new lead as written.
    pub lead: String,
    /// The unit the new lead resolves to (or the reviewer chose).
    pub lead_unit: Option<Id>,
    /// An added task's content.
    pub content: String,
    /// An added task's coordinating agencies, separated by ";".
    pub coordinating: String,
    /// First and last source lines.
    pub lines: (usize, usize),
}

/// The amendment a draft is, as the review page and the API show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AmendmentView {
    /// The amended document as the draft names it ("Kế hoạch số 615/KH-UBND ngày 25/7/2025").
    pub names: String,
    /// The published plan of the province with that number, if any.
    pub found: Option<PlanChoice>,
    /// The plan the reviewer chose to amend (the draft is then imported as its amendment).
    pub chosen: Option<PlanChoice>,
    /// The province's published plans, to pick from when none was found.
    pub choices: Vec<PlanChoice>,
    /// The changes, with what each does to the chosen plan (empty before one is chosen).
    pub changes: Vec<ProposedChange>,
    /// The deciding document the changes will name.
    pub document: String,
}

impl AmendmentView {
    /// True when a kept change cannot be applied as it stands.
    pub fn blocked(&self) -> bool {
        self.changes.iter().any(|c| c.keep && c.problem.is_some())
    }
}

fn choice(p: &LoadedPlan) -> PlanChoice {
    PlanChoice {
        id: PlanId(p.rec.plan.id),
        label: p.label(),
    }
}

/// "Kế hoạch", "Quyết định" … as a document's kind is written before its number.
fn kind_word(kind: Option<DocumentKind>) -> &'static str {
    match kind {
        Some(DocumentKind::Decision) => "Quyết định",
        Some(DocumentKind::Program) => "Chương trình",
        Some(DocumentKind::OfficialLetter) => "Công văn",
        _ => "Kế hoạch",
    }
}

fn day(d: Option<NaiveDate>) -> String {
    d.map(|d| format!(" ngày {}", d.format("%d/%m/%Y")))
        .unwrap_or_default()
}

/// The deciding document the changes name: "Kế hoạch số 742/KH-UBND ngày 15/10/2025 của …".
pub fn deciding_document(meta: &DocumentMeta) -> String {
    let mut s = format!(
        "{} số {}{}",
        kind_word(meta.kind),
        meta.number.as_deref().unwrap_or("(chưa có số)"),
        day(meta.date)
    );
    if let Some(issuer) = meta.issuer.as_deref().filter(|i| !i.trim().is_empty()) {
        s.push_str(&format!(" của {issuer}"));
    }
    s
}

fn why(meta: &DocumentMeta, amended: &str) -> Why {
    Why {
        reason: format!(
            "Theo {} số {} sửa đổi, bổ sung Kế hoạch số {amended}",
            kind_word(meta.kind),
            meta.number.as_deref().unwrap_or("(chưa có số)")
        ),
        document: deciding_document(meta),
    }
}

fn amendment_of(p: &LoadedPlan) -> Option<&Amendment> {
    p.rec.draft.document.amendment.as_ref()
}

/// The amendment draft `p` is, with the plan it amends and its changes shown against that
/// plan; None for a plan of its own.
pub async fn view(db: &Db, user: &User, p: &LoadedPlan) -> Result<Option<AmendmentView>> {
    let Some(a) = amendment_of(p) else {
        return Ok(None);
    };
    let number = a.amends.number.clone().unwrap_or_default();
    let names = format!(
        "{} số {number}{}",
        kind_word(a.amends.kind),
        day(a.amends.date)
    );
    let found = match amend::published_by_number(db, p.rec.province_id, &number).await? {
        Some(id) => Some(choice(&access::plan(db, PlanId(id)).await?)),
        None => None,
    };
    let chosen = match amend::amended_plan(db, p.rec.plan.id).await? {
        Some(id) => Some(access::monitored_plan(db, user, PlanId(id)).await?),
        None => None,
    };
    let choices = if found.is_none() && chosen.is_none() {
        amend::amendable(db, p.rec.province_id)
            .await?
            .into_iter()
            .map(|(id, n, t)| PlanChoice {
                id: PlanId(id),
                label: tinhgon_domain::plan::plan_name(n.as_deref(), t.as_deref()),
            })
            .collect()
    } else {
        Vec::new()
    };
    let changes = match &chosen {
        Some(target) => proposed(db, user, p, target).await?,
        None => Vec::new(),
    };
    Ok(Some(AmendmentView {
        names,
        found,
        chosen: chosen.as_ref().map(choice),
        choices,
        changes,
        document: deciding_document(&p.rec.draft.document),
    }))
}

/// A change resolved against the amended plan: its steps, and before → after in words.
struct Resolved<'a> {
    steps: Vec<Step<'a>>,
    before: String,
    after: String,
}

/// Owned values the steps of an added task borrow.
struct AddedTask {
    reference: String,
    content: String,
    deadline: tinhgon_domain::Deadline,
    lead: Id,
    coordinators: Vec<Id>,
}

/// What the register says a written agency name is: a unit of the province in operation.
async fn unit_named(db: &Db, target: &LoadedPlan, name: &str) -> std::result::Result<Id, String> {
    let Some(province) = target.rec.province_id else {
        return Err("Kế hoạch không thuộc tỉnh nào: chọn đơn vị bằng tay.".into());
    };
    let reg = tinhgon_store::register::load_register(db, province)
        .await
        .map_err(|e| e.to_string())?;
    let mention = tinhgon_extract::agency::agency(name).unwrap_or(tinhgon_domain::AgencyRef {
        text: name.into(),
        name: name.into(),
        group: None,
    });
    match reg
        .resolver()
        .resolve(&mention, Some(province), local_date(Utc::now()))
    {
        Resolution::Unit { id } => Ok(id),
        _ => Err(format!(
            "Không tìm thấy “{name}” trong danh mục đơn vị của tỉnh: chọn đơn vị."
        )),
    }
}

/// The unit `raw` (an id), checked as a hand-made change checks it.
async fn unit_checked(
    db: &Db,
    target: &LoadedPlan,
    id: Id,
) -> std::result::Result<(Id, String), String> {
    pc::chosen_unit(db, target, &id.to_string())
        .await
        .map_err(|e| capital(&e.to_string()))
}

fn capital(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

fn date_vi(d: Option<NaiveDate>) -> String {
    d.map_or_else(
        || "không có hạn cụ thể".to_string(),
        |d| d.format("%d/%m/%Y").to_string(),
    )
}

fn join_unique(names: Vec<String>) -> String {
    let mut out: Vec<String> = Vec::new();
    for n in names {
        if !out.contains(&n) {
            out.push(n);
        }
    }
    out.join(", ")
}

/// Resolves change `c` of amendment draft `p` against `target`: the task, units and dates it
/// names, with the steps that apply it. `added` holds what an added task's step borrows.
#[allow(clippy::too_many_arguments)]
async fn resolve<'a>(
    db: &Db,
    user: &User,
    p: &LoadedPlan,
    target: &LoadedPlan,
    index: usize,
    c: &ChangeDraft,
    why: &Why,
    added: Option<&'a AddedTask>,
) -> std::result::Result<Resolved<'a>, String> {
    let names = tinhgon_store::web_queries::unit_names(db, target.rec.province_id)
        .await
        .map_err(|e| e.to_string())?;
    let name = |u: &Id| names.get(u).cloned().unwrap_or_default();
    let doc_date = p.rec.draft.document.date;
    if let Some(added) = added {
        let after = format!(
            "{} — chủ trì: {}{}; thời hạn: {}",
            added.content,
            name(&added.lead),
            if added.coordinators.is_empty() {
                String::new()
            } else {
                format!(
                    "; phối hợp: {}",
                    added
                        .coordinators
                        .iter()
                        .map(name)
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            },
            added.deadline.text
        );
        let label = format!("{} {}", target.label(), added.reference);
        let coords: Vec<(Id, String)> = added.coordinators.iter().map(|u| (*u, name(u))).collect();
        let audit = pc::add_task_entry(
            user,
            PlanId(target.rec.plan.id),
            &label,
            (added.lead, &name(&added.lead)),
            &coords,
            why,
        );
        return Ok(Resolved {
            steps: vec![Step {
                change: index,
                op: Planned::AddTask(NewTask {
                    reference: &added.reference,
                    content: &added.content,
                    deadline: &added.deadline,
                    lead: added.lead,
                    coordinators: &added.coordinators,
                }),
                audit,
            }],
            before: String::new(),
            after,
        });
    }
    if c.task_ref.trim().is_empty() {
        return Err("Chưa xác định nhiệm vụ được sửa đổi: ghi số hiệu nhiệm vụ.".into());
    }
    let task = amend::task_by_ref(db, target.rec.plan.id, &c.task_ref)
        .await
        .map_err(|e| e.to_string())?
        .ok_or_else(|| {
            format!(
                "Kế hoạch số {} không có nhiệm vụ {}.",
                target.label(),
                c.task_ref
            )
        })?;
    let leads = changes::open_leads(db, task)
        .await
        .map_err(|e| e.to_string())?;
    let label = format!("{} {}", target.label(), c.task_ref);
    let lead_names = join_unique(leads.iter().map(|(_, u)| name(u)).collect());
    match c.kind {
        ChangeDraftKind::Due => {
            let phrase = c.deadline.clone().unwrap_or_default();
            let parsed = tinhgon_extract::deadline::parse_deadline(&phrase, doc_date);
            let Some(due) = parsed.deadline.due.filter(|_| parsed.warnings.is_empty()) else {
                return Err(format!(
                    "Thời hạn mới “{phrase}” không có ngày cụ thể: ghi ngày (ví dụ 31/12/2025)."
                ));
            };
            if leads.is_empty() {
                return Err("Nhiệm vụ không còn phân công nào đang thực hiện.".into());
            }
            let mut befores = Vec::new();
            let mut steps = Vec::new();
            for (a, unit) in &leads {
                let cur: Option<NaiveDate> =
                    tinhgon_store::tx::query("SELECT due FROM assignments WHERE id = $1")
                        .bind(*a)
                        .scalar_optional::<Option<NaiveDate>>(db)
                        .await
                        .map_err(|e| e.to_string())?
                        .flatten();
                befores.push(date_vi(cur));
                steps.push(Step {
                    change: index,
                    op: Planned::Due {
                        assignment: *a,
                        due,
                    },
                    audit: pc::due_entry(user, AssignmentId(*a), &label, *unit, due, why),
                });
            }
            Ok(Resolved {
                steps,
                before: join_unique(befores),
                after: format!("{} ({phrase})", due.format("%d/%m/%Y")),
            })
        }
        ChangeDraftKind::Lead => {
            let unit = match c.lead_unit {
                Some(u) => u,
                None => unit_named(db, target, c.lead.as_deref().unwrap_or_default()).await?,
            };
            let (to, to_name) = unit_checked(db, target, unit).await?;
            let [(a, from)] = leads.as_slice() else {
                return Err(if leads.is_empty() {
                    "Nhiệm vụ không còn phân công nào đang thực hiện.".to_string()
                } else {
                    format!(
                        "Nhiệm vụ có {} cơ quan chủ trì ({lead_names}): bỏ chọn và giao lại bằng tay trên trang nhiệm vụ.",
                        leads.len()
                    )
                });
            };
            Ok(Resolved {
                steps: vec![Step {
                    change: index,
                    op: Planned::Reassign { assignment: *a, to },
                    audit: pc::reassign_entry(
                        user,
                        AssignmentId(*a),
                        &label,
                        *from,
                        to,
                        &to_name,
                        why,
                    ),
                }],
                before: lead_names,
                after: to_name,
            })
        }
        ChangeDraftKind::TaskWithdraw => Ok(Resolved {
            steps: vec![Step {
                change: index,
                op: Planned::WithdrawTask { task },
                audit: pc::withdraw_entry(user, TaskId(task), &label, &leads, why),
            }],
            before: format!("Đang thực hiện: {lead_names}"),
            after: "Đã rút".into(),
        }),
        ChangeDraftKind::TaskAdd => Err("Nhiệm vụ bổ sung chưa đủ thông tin.".into()),
    }
}

/// What an added task needs, checked; its problem otherwise.
async fn added_task(
    db: &Db,
    p: &LoadedPlan,
    target: &LoadedPlan,
    c: &ChangeDraft,
) -> std::result::Result<AddedTask, String> {
    let reference = c.task_ref.trim().to_string();
    if reference.is_empty() {
        return Err("Vui lòng ghi số hiệu của nhiệm vụ bổ sung.".into());
    }
    let content = c.content.clone().unwrap_or_default().trim().to_string();
    if content.is_empty() {
        return Err("Vui lòng ghi nội dung nhiệm vụ bổ sung.".into());
    }
    let phrase = c.deadline.clone().unwrap_or_default();
    if phrase.trim().is_empty() {
        return Err("Vui lòng ghi thời hạn của nhiệm vụ bổ sung.".into());
    }
    let parsed = tinhgon_extract::deadline::parse_deadline(&phrase, p.rec.draft.document.date);
    if let Some(w) = parsed.warnings.first() {
        return Err(format!("Thời hạn chưa đúng: {w}."));
    }
    let lead = match c.lead_unit {
        Some(u) => u,
        None => unit_named(db, target, c.lead.as_deref().unwrap_or_default()).await?,
    };
    let (lead, _) = unit_checked(db, target, lead).await?;
    let mut coordinators = Vec::new();
    for n in &c.coordinating {
        let (u, name) = unit_checked(db, target, unit_named(db, target, n).await?).await?;
        if u == lead {
            return Err(format!(
                "{name} đã là đơn vị chủ trì; không chọn làm đơn vị phối hợp."
            ));
        }
        if !coordinators.contains(&u) {
            coordinators.push(u);
        }
    }
    Ok(AddedTask {
        reference,
        content,
        deadline: parsed.deadline,
        lead,
        coordinators,
    })
}

/// Every change resolved (kept or not), and the dry run of the kept ones; with `apply`, the
/// kept ones applied for good when none is refused. Returns the proposed changes and whether
/// they were applied.
async fn run(
    db: &Db,
    user: &User,
    p: &LoadedPlan,
    target: &LoadedPlan,
    apply: bool,
) -> Result<(Vec<ProposedChange>, bool)> {
    let Some(a) = amendment_of(p) else {
        return Ok((Vec::new(), false));
    };
    let why = why(&p.rec.draft.document, &target.label());
    let mut added: Vec<std::result::Result<Option<AddedTask>, String>> = Vec::new();
    for c in &a.changes {
        added.push(if c.kind == ChangeDraftKind::TaskAdd {
            added_task(db, p, target, c).await.map(Some)
        } else {
            Ok(None)
        });
    }
    let mut out = Vec::new();
    let mut steps: Vec<Step<'_>> = Vec::new();
    for (i, c) in a.changes.iter().enumerate() {
        let resolved = match &added[i] {
            Ok(t) => resolve(db, user, p, target, i, c, &why, t.as_ref()).await,
            Err(e) => Err(e.clone()),
        };
        let (before, after, problem) = match resolved {
            Ok(r) => {
                if c.keep {
                    steps.extend(r.steps);
                }
                (r.before, r.after, None)
            }
            Err(problem) => (String::new(), String::new(), Some(problem)),
        };
        out.push(ProposedChange {
            index: i,
            kind: c.kind,
            task_ref: c.task_ref.clone(),
            text: c.text.clone(),
            keep: c.keep,
            before,
            after,
            problem,
            deadline: c.deadline.clone().unwrap_or_default(),
            lead: c.lead.clone().unwrap_or_default(),
            lead_unit: c.lead_unit,
            content: c.content.clone().unwrap_or_default(),
            coordinating: c.coordinating.join("; "),
            lines: (c.line_start, c.line_end),
        });
    }
    let blocked = out.iter().any(|c| c.keep && c.problem.is_some());
    let basis = changes::Basis {
        by: Some(user.id),
        reason: &why.reason,
        document: &why.document,
        at: Utc::now(),
        amendment: Some(p.rec.plan.id),
    };
    let entry = audit::change(user, "plan.amendment.publish", "plan", p.rec.plan.id)
        .with_after("document", why.document.clone());
    let outcomes = amend::apply_amendment_audited(
        db,
        p.rec.plan.id,
        target.rec.plan.id,
        &steps,
        &basis,
        &entry,
        !apply || blocked,
    )
    .await?;
    for o in &outcomes {
        match o {
            Outcome::Done {
                change,
                before,
                after,
            } => {
                // The words the change records, where the rule wrote them (one row of a
                // change applied to several assignments).
                if let Some(c) = out.get_mut(*change) {
                    if c.kind != ChangeDraftKind::Due && !after.is_empty() {
                        c.after = after.clone();
                    }
                    if c.before.is_empty() {
                        c.before = before.clone();
                    }
                }
            }
            Outcome::Refused { change, reason } => {
                if let Some(c) = out.get_mut(*change) {
                    c.problem.get_or_insert_with(|| capital(reason));
                }
            }
        }
    }
    let applied = apply && !blocked && !outcomes.iter().any(Outcome::refused);
    Ok((out, applied))
}

async fn proposed(
    db: &Db,
    user: &User,
    p: &LoadedPlan,
    target: &LoadedPlan,
) -> Result<Vec<ProposedChange>> {
    Ok(run(db, user, p, target, false).await?.0)
}

/// The plan `target` an amendment may amend: monitored by `user`, of the draft's province,
/// published, not itself an amendment.
async fn amendable_plan(
    db: &Db,
    user: &User,
    p: &LoadedPlan,
    target: PlanId,
) -> Result<LoadedPlan> {
    let t = access::monitored_plan(db, user, target)
        .await
        .map_err(|e| match e {
            AppError::Forbidden => AppError::NotFound,
            e => e,
        })?;
    if t.rec.province_id != p.rec.province_id {
        return Err(AppError::Conflict(
            "Kế hoạch được chọn thuộc tỉnh khác: chỉ sửa đổi, bổ sung được kế hoạch của tỉnh mình."
                .into(),
        ));
    }
    if t.rec.plan.state != PlanState::Published {
        return Err(AppError::Conflict(format!(
            "Kế hoạch số {} chưa ban hành: chỉ sửa đổi, bổ sung được kế hoạch đã ban hành.",
            t.label()
        )));
    }
    if amend::amended_plan(db, target.get()).await?.is_some() {
        return Err(AppError::Conflict(format!(
            "{} là văn bản sửa đổi, bổ sung: chọn kế hoạch được sửa đổi.",
            t.label()
        )));
    }
    Ok(t)
}

/// Imports draft `id` as an amendment of published plan `target` (`Some`), or as a plan of
/// its own again (`None`).
pub async fn choose(db: &Db, user: &User, id: PlanId, target: Option<PlanId>) -> Result<String> {
    let p = super::editable(db, user, id).await?;
    if amendment_of(&p).is_none() && target.is_some() {
        return Err(AppError::Conflict(
            "Văn bản này không sửa đổi, bổ sung kế hoạch nào.".into(),
        ));
    }
    let (amends, msg) = match target {
        Some(t) => {
            let t = amendable_plan(db, user, &p, t).await?;
            (
                Some(t.rec.plan.id),
                format!(
                    "Văn bản được nhập làm văn bản sửa đổi, bổ sung của Kế hoạch số {}.",
                    t.label()
                ),
            )
        }
        None => (
            None,
            "Văn bản được nhập như một kế hoạch riêng.".to_string(),
        ),
    };
    let entry = audit::change(user, "plan.draft.amends", "plan", id.get());
    amend::set_amends_audited(db, id.get(), amends, &entry, Utc::now()).await?;
    Ok(msg)
}

/// A change of the amendment as the reviewer corrects it.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct ChangeEditForm {
    /// "1" or "on": the change is applied.
    #[serde(default)]
    pub keep: Option<String>,
    /// The task's reference in the amended plan (or the added task's).
    #[serde(default)]
    pub task_ref: String,
    /// New deadline as written.
    #[serde(default)]
    pub deadline: String,
    /// New lead: a unit id, or empty to read the written name.
    #[serde(default)]
    pub lead_unit: String,
    /// An added task's content.
    #[serde(default)]
    pub content: String,
    /// An added task's coordinating agencies, separated by ";".
    #[serde(default)]
    pub coordinating: String,
}

/// Saves the reviewer's keep/untick and corrections of change `index` of draft `id`.
pub async fn edit_change(
    db: &Db,
    user: &User,
    id: PlanId,
    index: usize,
    f: ChangeEditForm,
) -> Result<()> {
    let p = super::editable(db, user, id).await?;
    let mut draft = p.rec.draft.clone();
    let Some(c) = draft
        .document
        .amendment
        .as_mut()
        .and_then(|a| a.changes.get_mut(index))
    else {
        return Err(AppError::NotFound);
    };
    let before = serde_json::to_value(&*c).map_err(|e| AppError::Internal(e.to_string()))?;
    c.keep = matches!(f.keep.as_deref().map(str::trim), Some("1" | "on" | "true"));
    let reference = f.task_ref.trim();
    if reference.chars().count() > 40 {
        return Err(AppError::invalid(
            "task_ref",
            "Số hiệu nhiệm vụ dài quá 40 ký tự.",
        ));
    }
    c.task_ref = reference.to_string();
    let note = |s: &str| input::note(s);
    if matches!(c.kind, ChangeDraftKind::Due | ChangeDraftKind::TaskAdd) {
        c.deadline = note(&f.deadline);
    }
    if matches!(c.kind, ChangeDraftKind::Lead | ChangeDraftKind::TaskAdd) {
        c.lead_unit = match f.lead_unit.trim() {
            "" => None,
            raw => Some(raw.parse().map_err(|_| {
                AppError::invalid("lead_unit", "Vui lòng chọn đơn vị trong danh sách.")
            })?),
        };
    }
    if c.kind == ChangeDraftKind::TaskAdd {
        c.content = note(&f.content);
        c.coordinating = f
            .coordinating
            .split([';', '\n'])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect();
    }
    let after = serde_json::to_value(&*c).map_err(|e| AppError::Internal(e.to_string()))?;
    let entry = super::draft_edit(
        user,
        &p,
        "plan.draft.change",
        serde_json::json!({ "amendment_change": before }),
        serde_json::json!({ "amendment_change": after }),
    );
    super::save(db, &p, &draft, &p.rec.agency_map, &entry).await
}

/// What publishing an amendment did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    /// The amended plan.
    pub amended: PlanId,
    /// Changes applied.
    pub changes: usize,
    /// Tasks added.
    pub tasks: usize,
    /// Message for the user.
    pub message: String,
}

/// Publishes amendment draft `id`: its kept changes applied to the plan it amends in one
/// transaction, or none when one is refused (the refusal names each change and why).
pub async fn publish(db: &Db, user: &User, id: PlanId, target: Id) -> Result<Applied> {
    let p = super::editable(db, user, id).await?;
    let t = amendable_plan(db, user, &p, PlanId(target)).await?;
    let kept = amendment_of(&p).map_or(0, |a| a.changes.iter().filter(|c| c.keep).count());
    if kept == 0 {
        return Err(AppError::Conflict(format!(
            "{REFUSED}: chưa giữ lại điều chỉnh nào để áp dụng."
        )));
    }
    let (proposed, applied) = run(db, user, &p, &t, true).await?;
    if !applied {
        let refused: Vec<String> = proposed
            .iter()
            .filter(|c| c.keep)
            .filter_map(|c| {
                c.problem
                    .as_ref()
                    .map(|m| format!("{} {}: {m}", c.kind.label_vi(), c.task_ref))
            })
            .collect();
        return Err(AppError::Conflict(format!(
            "{REFUSED}: {} điều chỉnh không áp dụng được, kế hoạch giữ nguyên — {}",
            refused.len(),
            refused.join("; ")
        )));
    }
    let tasks = proposed
        .iter()
        .filter(|c| c.keep && c.kind == ChangeDraftKind::TaskAdd)
        .count();
    Ok(Applied {
        amended: PlanId(t.rec.plan.id),
        changes: kept,
        tasks,
        message: format!(
            "Đã áp dụng {kept} điều chỉnh vào Kế hoạch số {} theo {}.",
            t.label(),
            deciding_document(&p.rec.draft.document)
        ),
    })
}

/// The published amendments of `plan` that `user` may read, oldest first.
pub async fn amendments(
    db: &Db,
    user: Option<&User>,
    plan: PlanId,
) -> Result<Vec<amend::AmendmentRow>> {
    access::readable_plan(db, user, plan).await?;
    Ok(amend::amendments_of(db, plan.get()).await?)
}
