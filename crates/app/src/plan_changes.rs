//! Changing a published plan (điều chỉnh kế hoạch): its monitor gives an assignment's lead to
//! another unit, changes a due date, adds or withdraws a coordinating unit, or withdraws a
//! task, or adds one. Each change names its reason and deciding document, is audited, is listed
//! on the plan page, and tells the units concerned.

use chrono::Utc;
use serde::Deserialize;
use tinhgon_domain::ids::{AssignmentId, PlanId, TaskId};
use tinhgon_domain::localtime::local_date;
use tinhgon_domain::model::Id;
use tinhgon_domain::plan::PlanState;
use tinhgon_domain::user::User;
use tinhgon_store::notifications::{Audience, Notice};
use tinhgon_store::plan_changes::{self as store, Basis, PlanChange};
use tinhgon_store::web_queries as wq;
use tinhgon_store::Db;

use crate::access::{self, LoadedPlan};
use crate::error::{AppError, Result};
use crate::{audit, input};

/// A change as the forms and the API send it; each use case reads the fields it needs.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct ChangeForm {
    /// The unit chosen (its id): the new lead, or the coordinator added or withdrawn.
    #[serde(default)]
    pub unit: String,
    /// New due date (dd/mm/yyyy or ISO).
    #[serde(default)]
    pub due: String,
    /// Why.
    #[serde(default)]
    pub reason: String,
    /// The deciding document: number, date and issuer.
    #[serde(default)]
    pub document: String,
}

/// Reason and document, both required.
pub(crate) struct Why {
    /// Why.
    pub(crate) reason: String,
    /// The deciding document.
    pub(crate) document: String,
}

impl ChangeForm {
    fn why(&self) -> Result<Why> {
        Ok(Why {
            reason: input::text("reason", &self.reason, "Vui lòng nêu lý do điều chỉnh.")?,
            document: input::text(
                "document",
                &self.document,
                "Vui lòng ghi văn bản quyết định việc điều chỉnh (số, ngày, cơ quan ban hành).",
            )?,
        })
    }
}

pub(crate) fn basis<'a>(user: &User, why: &'a Why) -> Basis<'a> {
    Basis {
        by: Some(user.id),
        reason: &why.reason,
        document: &why.document,
        at: Utc::now(),
        amendment: None,
    }
}

/// The plan, monitored by `user` and published (a draft is changed in its review instead).
async fn published_plan(db: &Db, user: &User, plan: Id) -> Result<LoadedPlan> {
    let p = access::monitored_plan(db, user, PlanId(plan)).await?;
    if p.rec.plan.state != PlanState::Published {
        return Err(AppError::Conflict(
            "Chỉ điều chỉnh được kế hoạch đã ban hành; bản nháp được sửa ở bước rà soát.".into(),
        ));
    }
    if store::amend::amended_plan(db, plan).await?.is_some() {
        return Err(AppError::Conflict(
            "Văn bản sửa đổi, bổ sung không có nhiệm vụ riêng: điều chỉnh trên kế hoạch được sửa đổi."
                .into(),
        ));
    }
    Ok(p)
}

/// The unit chosen in the form: a unit of the plan's province still in operation.
pub(crate) async fn chosen_unit(db: &Db, plan: &LoadedPlan, raw: &str) -> Result<(Id, String)> {
    let pick = || AppError::invalid("unit", "Vui lòng chọn đơn vị trong danh sách.");
    let id: Id = raw.trim().parse().map_err(|_| pick())?;
    let province = tinhgon_store::register::unit_province(db, id).await?;
    if province.is_none() || province != plan.rec.province_id {
        return Err(pick());
    }
    let unit = tinhgon_store::register::unit(db, id).await?;
    if !unit.is_valid_on(local_date(Utc::now())) {
        return Err(AppError::invalid(
            "unit",
            format!(
                "{} đã thôi hoạt động; vui lòng chọn đơn vị kế thừa.",
                unit.name
            ),
        ));
    }
    Ok((id, unit.name))
}

/// Gives the lead of open assignment `id` to another unit. The old and new units are told.
pub async fn reassign(db: &Db, user: &User, id: AssignmentId, form: ChangeForm) -> Result<()> {
    let m = access::monitored_assignment(db, user, id).await?;
    let plan = published_plan(db, user, m.work.plan_id).await?;
    let why = form.why()?;
    let (to, to_name) = chosen_unit(db, &plan, &form.unit).await?;
    let label = format!("{} {}", plan.label(), m.work.task_ref);
    let entry = reassign_entry(user, id, &label, m.work.unit_id, to, &to_name, &why);
    store::reassign_audited(db, id.get(), to, &basis(user, &why), &entry).await?;
    Ok(())
}

/// The entry of a reassignment of `id` from unit `from` to `to`: both units are told.
pub(crate) fn reassign_entry(
    user: &User,
    id: AssignmentId,
    label: &str,
    from: Id,
    to: Id,
    to_name: &str,
    why: &Why,
) -> tinhgon_store::audit::AuditEntry {
    let link = format!("/assignments/{id}");
    audit::change(user, "plan_change.reassign", "assignment", id.get())
        .with_notice(Notice::new(
            Audience::Unit(from),
            "assignment",
            format!(
                "Nhiệm vụ {label} đã được giao cho {to_name} chủ trì: {}",
                why.reason
            ),
            link.clone(),
        ))
        .with_notice(Notice::new(
            Audience::Unit(to),
            "assignment",
            format!(
                "Đơn vị được giao chủ trì nhiệm vụ {label} ({})",
                why.document
            ),
            link,
        ))
}

/// Sets the due date of open assignment `id` (earlier or later than now). The unit is told.
pub async fn change_due(db: &Db, user: &User, id: AssignmentId, form: ChangeForm) -> Result<()> {
    let m = access::monitored_assignment(db, user, id).await?;
    let plan = published_plan(db, user, m.work.plan_id).await?;
    let due = input::date("due", &form.due, "Thời hạn mới không hợp lệ (dd/mm/yyyy).")?;
    let why = form.why()?;
    let label = format!("{} {}", plan.label(), m.work.task_ref);
    let entry = due_entry(user, id, &label, m.work.unit_id, due, &why);
    store::change_due_audited(db, id.get(), due, &basis(user, &why), &entry).await?;
    Ok(())
}

/// The entry of a due date change of `id` (led by `unit`, which is told).
pub(crate) fn due_entry(
    user: &User,
    id: AssignmentId,
    label: &str,
    unit: Id,
    due: chrono::NaiveDate,
    why: &Why,
) -> tinhgon_store::audit::AuditEntry {
    audit::change(user, "plan_change.due", "assignment", id.get()).with_notice(Notice::new(
        Audience::Unit(unit),
        "assignment",
        format!(
            "Thời hạn nhiệm vụ {label} được điều chỉnh đến {} ({})",
            due.format("%d/%m/%Y"),
            why.document
        ),
        format!("/assignments/{id}"),
    ))
}

/// The task's plan, monitored by `user` and published, and the task's reference.
async fn task_of(db: &Db, user: &User, task: TaskId) -> Result<(LoadedPlan, String)> {
    let (plan_id, _) = wq::task_plan(db, task.get())
        .await?
        .ok_or(AppError::NotFound)?;
    let plan = published_plan(db, user, plan_id).await?;
    let task_ref = store::task_ref(db, task.get()).await?.unwrap_or_default();
    Ok((plan, task_ref))
}

/// The lead assignments of `task` (for links and notices).
async fn lead_units(db: &Db, task: TaskId) -> Result<Vec<(Id, Id)>> {
    Ok(store::open_leads(db, task.get()).await?)
}

/// Where a task is seen: its first lead assignment's page, else its plan's.
pub async fn task_page(db: &Db, task: TaskId) -> Result<String> {
    Ok(match store::any_lead(db, task.get()).await? {
        Some(a) => format!("/assignments/{a}"),
        None => match wq::task_plan(db, task.get()).await? {
            Some((p, _)) => format!("/plans/{p}#task-{task}"),
            None => "/plans".to_string(),
        },
    })
}

/// Adds a coordinating unit to `task`; it and the lead units are told. Returns the task's page.
pub async fn add_coordinator(
    db: &Db,
    user: &User,
    task: TaskId,
    form: ChangeForm,
) -> Result<String> {
    let (plan, task_ref) = task_of(db, user, task).await?;
    let why = form.why()?;
    let (unit, name) = chosen_unit(db, &plan, &form.unit).await?;
    let leads = lead_units(db, task).await?;
    let link = leads.first().map_or_else(
        || format!("/plans/{}", plan.rec.plan.id),
        |(a, _)| format!("/assignments/{a}"),
    );
    let label = format!("{} {task_ref}", plan.label());
    let mut entry = audit::change(user, "plan_change.coordinator_add", "task", task.get())
        .with_notice(Notice::new(
            Audience::Unit(unit),
            "assignment",
            format!(
                "Đơn vị được bổ sung phối hợp thực hiện nhiệm vụ {label} ({})",
                why.document
            ),
            link.clone(),
        ));
    for (a, lead) in &leads {
        entry = entry.with_notice(Notice::new(
            Audience::Unit(*lead),
            "assignment",
            format!("{name} được bổ sung phối hợp thực hiện nhiệm vụ {label}"),
            format!("/assignments/{a}"),
        ));
    }
    store::add_coordinator_audited(db, task.get(), unit, &basis(user, &why), &entry).await?;
    task_page(db, task).await
}

/// Withdraws a coordinating unit from `task`; it is told. Returns the task's page.
pub async fn withdraw_coordinator(
    db: &Db,
    user: &User,
    task: TaskId,
    form: ChangeForm,
) -> Result<String> {
    let (plan, task_ref) = task_of(db, user, task).await?;
    let why = form.why()?;
    let (unit, _) = chosen_unit(db, &plan, &form.unit).await?;
    let entry = audit::change(user, "plan_change.coordinator_withdraw", "task", task.get())
        .with_notice(Notice::new(
            Audience::Unit(unit),
            "assignment",
            format!(
                "Đơn vị thôi phối hợp thực hiện nhiệm vụ {} {task_ref}: {}",
                plan.label(),
                why.reason
            ),
            format!("/plans/{}", plan.rec.plan.id),
        ));
    store::withdraw_coordinator_audited(db, task.get(), unit, &basis(user, &why), &entry).await?;
    task_page(db, task).await
}

/// Withdraws `task` from its plan: its open assignments are cancelled and their units told.
/// Returns the plan.
pub async fn withdraw_task(db: &Db, user: &User, task: TaskId, form: ChangeForm) -> Result<PlanId> {
    let (plan, task_ref) = task_of(db, user, task).await?;
    let why = form.why()?;
    let label = format!("{} {task_ref}", plan.label());
    let entry = withdraw_entry(user, task, &label, &lead_units(db, task).await?, &why);
    store::withdraw_task_audited(db, task.get(), &basis(user, &why), &entry).await?;
    Ok(PlanId(plan.rec.plan.id))
}

/// The entry of withdrawing `task`: the units of its open lead assignments are told.
pub(crate) fn withdraw_entry(
    user: &User,
    task: TaskId,
    label: &str,
    leads: &[(Id, Id)],
    why: &Why,
) -> tinhgon_store::audit::AuditEntry {
    let mut entry = audit::change(user, "plan_change.task_withdraw", "task", task.get());
    for (a, unit) in leads {
        entry = entry.with_notice(Notice::new(
            Audience::Unit(*unit),
            "assignment",
            format!(
                "Nhiệm vụ {label} được rút khỏi kế hoạch: {} ({})",
                why.reason, why.document
            ),
            format!("/assignments/{a}"),
        ));
    }
    entry
}

/// The changes made to a plan `user` may read, newest first.
pub async fn history(db: &Db, user: Option<&User>, plan: PlanId) -> Result<Vec<PlanChange>> {
    access::readable_plan(db, user, plan).await?;
    Ok(store::list(db, plan.get()).await?)
}

/// A task to add to a published plan, as the form and the API send it.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct AddTaskForm {
    /// Its reference in the plan ("II.5").
    #[serde(default)]
    pub reference: String,
    /// What is to be done.
    #[serde(default)]
    pub content: String,
    /// The lead unit (its id).
    #[serde(default)]
    pub lead: String,
    /// Coordinating units (their ids).
    #[serde(default)]
    pub coordinators: Vec<String>,
    /// The deadline as a plan writes it ("31/12/2026", "Quý IV/2026", "Thường xuyên").
    #[serde(default)]
    pub deadline: String,
    /// Why, and the deciding document.
    #[serde(flatten)]
    pub why: ChangeForm,
}

/// Longest task reference, in characters.
const REFERENCE_MAX: usize = 40;

/// Adds a task to published plan `plan` with its lead's assignment; the lead and the
/// coordinating units are told. Returns the new assignment.
pub async fn add_task(
    db: &Db,
    user: &User,
    plan: PlanId,
    form: AddTaskForm,
) -> Result<AssignmentId> {
    let p = published_plan(db, user, plan.get()).await?;
    let reference = input::text(
        "reference",
        &form.reference,
        "Vui lòng ghi số hiệu của nhiệm vụ trong kế hoạch.",
    )?;
    if reference.chars().count() > REFERENCE_MAX {
        return Err(AppError::invalid(
            "reference",
            format!("Số hiệu nhiệm vụ dài quá {REFERENCE_MAX} ký tự."),
        ));
    }
    let content = input::text("content", &form.content, "Vui lòng ghi nội dung nhiệm vụ.")?;
    let phrase = input::text(
        "deadline",
        &form.deadline,
        "Vui lòng ghi thời hạn (ví dụ: 31/12/2026, Quý IV/2026, Thường xuyên).",
    )?;
    let parsed = tinhgon_extract::deadline::parse_deadline(
        &phrase,
        p.rec.plan.meta.date.or(Some(local_date(Utc::now()))),
    );
    if let Some(w) = parsed.warnings.first() {
        return Err(AppError::invalid(
            "deadline",
            format!("Thời hạn chưa đúng: {w}."),
        ));
    }
    let (lead, lead_name) = chosen_unit(db, &p, &form.lead)
        .await
        .map_err(|_| AppError::invalid("lead", "Vui lòng chọn đơn vị chủ trì trong danh sách."))?;
    let mut coordinators: Vec<(Id, String)> = Vec::new();
    for raw in form.coordinators.iter().filter(|c| !c.trim().is_empty()) {
        let (unit, name) = chosen_unit(db, &p, raw).await.map_err(|_| {
            AppError::invalid(
                "coordinators",
                "Vui lòng chọn đơn vị phối hợp trong danh sách.",
            )
        })?;
        if unit == lead {
            return Err(AppError::invalid(
                "coordinators",
                format!("{name} đã là đơn vị chủ trì; không chọn làm đơn vị phối hợp."),
            ));
        }
        if !coordinators.iter().any(|(u, _)| *u == unit) {
            coordinators.push((unit, name));
        }
    }
    let why = form.why.why()?;
    let label = format!("{} {reference}", p.label());
    let entry = add_task_entry(user, plan, &label, (lead, &lead_name), &coordinators, &why);
    let ids: Vec<Id> = coordinators.iter().map(|(u, _)| *u).collect();
    let task = store::NewTask {
        reference: &reference,
        content: &content,
        deadline: &parsed.deadline,
        lead,
        coordinators: &ids,
    };
    let (_, assignment) =
        store::add_task_audited(db, plan.get(), &task, &basis(user, &why), &entry).await?;
    Ok(AssignmentId(assignment))
}

/// The entry of a task added to `plan`: its lead and coordinating units are told.
pub(crate) fn add_task_entry(
    user: &User,
    plan: PlanId,
    label: &str,
    (lead, lead_name): (Id, &str),
    coordinators: &[(Id, String)],
    why: &Why,
) -> tinhgon_store::audit::AuditEntry {
    let mut entry =
        audit::change(user, "plan_change.task_add", "plan", plan.get()).with_notice(Notice::new(
            Audience::Unit(lead),
            "assignment",
            format!(
                "Đơn vị được giao chủ trì nhiệm vụ bổ sung {label} ({})",
                why.document
            ),
            format!("/plans/{plan}"),
        ));
    for (unit, _) in coordinators {
        entry = entry.with_notice(Notice::new(
            Audience::Unit(*unit),
            "assignment",
            format!(
                "Đơn vị được giao phối hợp thực hiện nhiệm vụ bổ sung {label} (chủ trì: {lead_name})"
            ),
            format!("/plans/{plan}"),
        ));
    }
    entry
}
