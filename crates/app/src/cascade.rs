//! Plan cascade: a department's or commune's implementation plan is linked to the provincial
//! task it carries out, chosen at review (by the monitor, or by the agency whose own draft it
//! is); an agency sends its own draft to the monitor, who publishes it or returns it with a
//! note; the higher task's progress rolls up from its sub-plans
//! ([`tinhgon_domain::cascade::ROLLUP_RULE`]) and the plan page shows the tree.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use tinhgon_domain::cascade::{creates_cycle, plan_percent, rollup, Work};
use tinhgon_domain::ids::{PlanId, TaskId};
use tinhgon_domain::model::Id;
use tinhgon_domain::plan::{plan_name, PlanState};
use tinhgon_domain::user::{can_edit_own_draft, can_monitor, Role, User};
use tinhgon_store::cascade::{self as store, Review, SubPlan, TaskChoice};
use tinhgon_store::notifications::{Audience, Notice};
use tinhgon_store::Db;

use crate::access::{self, LoadedPlan};
use crate::audit;
use crate::error::{AppError, Result};

/// Most tasks the picker lists at once.
pub const CHOICES_MAX: i64 = 30;

/// A draft (or, for its monitor, any plan) that `user` may link and review: the plan's
/// monitor, or an officer of the unit that owns the draft. Another unit's draft is not found.
pub async fn reviewable(db: &Db, user: &User, id: PlanId) -> Result<(LoadedPlan, Review)> {
    let p = access::plan(db, id).await?;
    let review = store::review(db, id.get()).await?;
    if can_monitor(user, &p.access()) {
        return Ok((p, review));
    }
    if can_edit_own_draft(user, review.owner_unit_id) && p.rec.plan.state == PlanState::Draft {
        return Ok((p, review));
    }
    if user.role == Role::AgencyOfficer {
        return Err(AppError::NotFound);
    }
    Err(AppError::Forbidden)
}

/// True when `user` is the owning unit's officer rather than the plan's monitor.
fn acts_as_owner(user: &User, p: &LoadedPlan) -> bool {
    !can_monitor(user, &p.access())
}

/// An agency's draft its officer may still change: refused while the monitor has it.
pub(crate) fn check_owner_may_edit(user: &User, p: &LoadedPlan, review: &Review) -> Result<()> {
    if acts_as_owner(user, p) && review.review_state.as_deref() == Some("submitted") {
        return Err(AppError::Conflict(
            "Kế hoạch đang chờ Sở Nội vụ xem xét: chưa sửa được cho đến khi được trả lại.".into(),
        ));
    }
    Ok(())
}

/// The picker's form: the task chosen (empty: no higher task).
#[derive(Debug, Deserialize)]
pub struct ParentForm {
    /// Task id, or empty to clear the link.
    #[serde(default)]
    pub task: String,
}

impl ParentForm {
    /// The task chosen, or the field to fix.
    pub fn parse(&self) -> Result<Option<TaskId>> {
        let t = self.task.trim();
        if t.is_empty() {
            return Ok(None);
        }
        t.parse::<i64>()
            .map(|id| Some(TaskId(id)))
            .map_err(|_| AppError::invalid("task", "Chọn nhiệm vụ cấp trên trong danh sách."))
    }
}

/// The picker: the current higher task and the tasks matching `q`.
#[derive(Debug, Clone, Serialize)]
pub struct Picker {
    /// The task the plan implements now.
    pub current: Option<Choice>,
    /// Tasks matching the search (at most [`CHOICES_MAX`]).
    pub choices: Vec<Choice>,
    /// Only the tasks the officer's unit leads or coordinates are offered.
    pub own_unit_only: bool,
}

/// A task as the picker offers it.
#[derive(Debug, Clone, Serialize)]
pub struct Choice {
    /// Task.
    pub task_id: TaskId,
    /// Its plan.
    pub plan_id: PlanId,
    /// The plan's name (number, else title).
    pub plan: String,
    /// Task reference.
    pub reference: String,
    /// Task content.
    pub content: String,
}

impl From<TaskChoice> for Choice {
    fn from(c: TaskChoice) -> Choice {
        Choice {
            task_id: TaskId(c.task_id),
            plan_id: PlanId(c.plan_id),
            plan: plan_name(c.plan_number.as_deref(), c.plan_title.as_deref()),
            reference: c.reference,
            content: c.content,
        }
    }
}

/// The higher task a plan implements, as the pages name it.
pub async fn current_parent(db: &Db, task: Option<Id>) -> Result<Option<Choice>> {
    Ok(match task {
        Some(t) => store::task_choice(db, t).await?.map(Choice::from),
        None => None,
    })
}

/// Searches the tasks `plan` may be linked to: tasks of the province's published plans whose
/// plan number, plan title, reference or content contains `q` (diacritics optional); an
/// officer is offered only the tasks its unit leads or coordinates.
pub async fn picker(db: &Db, user: &User, plan: PlanId, q: &str) -> Result<Picker> {
    let (p, _) = reviewable(db, user, plan).await?;
    let unit = if acts_as_owner(user, &p) {
        user.unit_id
    } else {
        None
    };
    let key = tinhgon_textkit::search_key(q);
    let key = (!key.is_empty()).then_some(key);
    let choices = store::task_choices(
        db,
        p.rec.province_id,
        unit,
        key.as_deref(),
        plan.get(),
        CHOICES_MAX,
    )
    .await?
    .into_iter()
    .map(Choice::from)
    .collect();
    Ok(Picker {
        current: current_parent(db, p.rec.plan.parent_task_id).await?,
        choices,
        own_unit_only: unit.is_some(),
    })
}

/// Links `plan` to the higher task `task` it implements (None: unlinks it). The monitor may
/// link any plan of its province; an agency only its own draft, before sending it, and only
/// to a task its unit leads or coordinates. Refused, nothing written: a task of another
/// province, of a draft, of the plan itself, or of one of its sub-plans (a cycle).
pub async fn set_parent(
    db: &Db,
    user: &User,
    plan: PlanId,
    task: Option<TaskId>,
) -> Result<String> {
    let (p, review) = reviewable(db, user, plan).await?;
    check_owner_may_edit(user, &p, &review)?;
    if let Some(t) = task {
        let home = store::task_home(db, t.get())
            .await?
            .ok_or_else(|| AppError::invalid("task", "Không tìm thấy nhiệm vụ được chọn."))?;
        if home.plan_id == plan.get() {
            return Err(AppError::invalid(
                "task",
                "Kế hoạch không thể thực hiện nhiệm vụ của chính nó.",
            ));
        }
        if p.rec.province_id.is_some() && home.province_id != p.rec.province_id {
            return Err(AppError::invalid(
                "task",
                "Nhiệm vụ được chọn không thuộc kế hoạch của tỉnh này.",
            ));
        }
        if home.plan_state != PlanState::Published.as_str() {
            return Err(AppError::invalid(
                "task",
                "Chỉ chọn được nhiệm vụ của kế hoạch đã ban hành.",
            ));
        }
        if acts_as_owner(user, &p) {
            let unit = user.unit_id.ok_or(AppError::Forbidden)?;
            if !store::unit_takes_part(db, t.get(), unit).await? {
                return Err(AppError::invalid(
                    "task",
                    "Chỉ chọn được nhiệm vụ mà đơn vị chủ trì hoặc phối hợp thực hiện.",
                ));
            }
        }
        let parents: HashMap<Id, Id> = store::links(db, p.rec.province_id)
            .await?
            .into_iter()
            .filter(|(child, _)| *child != plan.get())
            .collect();
        if creates_cycle(plan.get(), home.plan_id, |x| parents.get(&x).copied()) {
            return Err(AppError::invalid(
                "task",
                "Không gắn được: nhiệm vụ được chọn thuộc một kế hoạch cấp dưới của chính kế hoạch này.",
            ));
        }
    }
    let entry = audit::change(user, "plan.parent", "plan", plan.get());
    store::set_parent_audited(db, plan.get(), task.map(TaskId::get), &entry, Utc::now()).await?;
    Ok(match task {
        Some(_) => "Đã gắn kế hoạch với nhiệm vụ cấp trên mà kế hoạch thực hiện.".into(),
        None => "Đã bỏ liên kết với nhiệm vụ cấp trên.".into(),
    })
}

/// An officer sends its unit's own draft to the monitor ("Gửi Sở Nội vụ xem xét"); the
/// monitors of the province are told. The draft must name the higher task it implements.
pub async fn submit(db: &Db, user: &User, plan: PlanId) -> Result<String> {
    let (p, review) = reviewable(db, user, plan).await?;
    if !can_edit_own_draft(user, review.owner_unit_id) {
        return Err(AppError::Forbidden);
    }
    if p.rec.plan.parent_task_id.is_none() {
        return Err(AppError::invalid(
            "task",
            "Chọn nhiệm vụ cấp trên mà kế hoạch thực hiện trước khi gửi Sở Nội vụ xem xét.",
        ));
    }
    if p.rec.draft.tasks.is_empty() {
        return Err(AppError::Conflict(
            "Bản nháp chưa có nhiệm vụ nào: chưa gửi xem xét được.".into(),
        ));
    }
    let unit = unit_name(db, review.owner_unit_id).await?;
    let entry = audit::change(user, "plan.submit", "plan", plan.get()).with_notice(
        Notice::new(
            Audience::PlanMonitors(plan.get()),
            "plan_review",
            format!(
                "{unit} gửi kế hoạch {} để Sở Nội vụ xem xét, ban hành.",
                p.label()
            ),
            format!("/plans/{plan}/review"),
        )
        .except(user.id),
    );
    store::submit_audited(db, plan.get(), &entry, Utc::now()).await?;
    Ok("Đã gửi kế hoạch để Sở Nội vụ xem xét. Đơn vị sẽ nhận thông báo khi kế hoạch được ban hành hoặc trả lại.".into())
}

/// The monitor's note when returning a draft.
#[derive(Debug, Deserialize)]
pub struct ReturnForm {
    /// Why, and what to complete.
    #[serde(default)]
    pub note: String,
}

/// The monitor returns an agency's submitted draft with a note; the unit's officers are told.
pub async fn return_to_unit(
    db: &Db,
    user: &User,
    plan: PlanId,
    form: &ReturnForm,
) -> Result<String> {
    let p = access::monitored_plan(db, user, plan).await?;
    let note = crate::input::text(
        "note",
        &form.note,
        "Ghi rõ lý do trả lại và nội dung cần hoàn thiện.",
    )?;
    let review = store::review(db, plan.get()).await?;
    let owner = review.owner_unit_id.ok_or_else(|| {
        AppError::Conflict("Chỉ trả lại được kế hoạch do cơ quan, đơn vị gửi xem xét.".into())
    })?;
    let entry = audit::change(user, "plan.return", "plan", plan.get())
        .with_after("note", note.clone())
        .with_notice(Notice::new(
            Audience::Unit(owner),
            "plan_review",
            format!(
                "Sở Nội vụ trả lại kế hoạch {} để hoàn thiện: {note}",
                p.label()
            ),
            format!("/plans/{plan}/review"),
        ));
    store::return_audited(db, plan.get(), &note, &entry, Utc::now()).await?;
    Ok("Đã trả lại kế hoạch cho đơn vị kèm ghi chú.".into())
}

/// The notice to the owning unit that its plan was published, if the plan is an agency's own.
pub async fn published_notice(db: &Db, plan: &LoadedPlan) -> Result<Option<Notice>> {
    let review = store::review(db, plan.rec.plan.id).await?;
    Ok(review.owner_unit_id.map(|u| {
        Notice::new(
            Audience::Unit(u),
            "plan_review",
            format!(
                "Sở Nội vụ đã ban hành kế hoạch {} của đơn vị; các nhiệm vụ đã được giao.",
                plan.label()
            ),
            format!("/plans/{}", plan.rec.plan.id),
        )
    }))
}

async fn unit_name(db: &Db, unit: Option<Id>) -> Result<String> {
    let name = match unit {
        Some(u) => tinhgon_store::web_queries::unit_name(db, u).await?,
        None => None,
    };
    Ok(name.unwrap_or_else(|| "Cơ quan, đơn vị".into()))
}

/// Where an agency's own draft stands, in words.
pub fn review_label(state: Option<&str>) -> &'static str {
    match state {
        Some("submitted") => "Chờ Sở Nội vụ xem xét",
        Some("returned") => "Sở Nội vụ trả lại để hoàn thiện",
        _ => "Đơn vị đang soạn",
    }
}

/// The agencies' drafts waiting for the monitor (monitors), or the viewer unit's own drafts
/// (officers); nothing for others.
pub async fn drafts_in_review(
    db: &Db,
    user: &User,
    province: Option<Id>,
) -> Result<Vec<store::OwnDraft>> {
    match user.role {
        Role::Admin | Role::Monitor => Ok(store::submitted(db, province).await?),
        Role::AgencyOfficer => match user.unit_id {
            Some(u) => Ok(store::own_drafts(db, u).await?),
            None => Ok(Vec::new()),
        },
        Role::Leader => Ok(Vec::new()),
    }
}

/// A higher task with the plans that implement it.
#[derive(Debug, Clone, Serialize)]
pub struct TreeTask {
    /// Task.
    pub task_id: TaskId,
    /// Reference.
    pub reference: String,
    /// Content.
    pub content: String,
    /// Progress rolled up from its published sub-plans ([`tinhgon_domain::cascade::ROLLUP_RULE`]).
    pub rollup: Option<u8>,
    /// The plans implementing it.
    pub sub_plans: Vec<TreePlan>,
}

/// A sub-plan in the tree.
#[derive(Debug, Clone, Serialize)]
pub struct TreePlan {
    /// The plan.
    pub plan_id: PlanId,
    /// Number, else title.
    pub name: String,
    /// Title.
    pub title: String,
    /// Issuing unit.
    pub issuer: String,
    /// Date of issue.
    pub issued_on: Option<NaiveDate>,
    /// State in words.
    pub state: String,
    /// Published (counted in the roll-up).
    pub published: bool,
    /// Its own progress: the mean of its tasks.
    pub progress: Option<u8>,
    /// Its tasks that have sub-plans in turn.
    pub tasks: Vec<TreeTask>,
}

/// The roll-up of one task.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Rollup {
    /// Rolled-up percentage (None: no published sub-plan has a counted task yet).
    pub percent: Option<u8>,
    /// Published sub-plans counted.
    pub plans: usize,
}

/// What the tree is built from: every link of the province and the sub-plans' work.
struct Cascade {
    by_parent_plan: BTreeMap<Id, Vec<SubPlan>>,
    work: HashMap<Id, BTreeMap<Id, Vec<Work>>>,
}

impl Cascade {
    async fn load(db: &Db, province: Option<Id>, include_drafts: bool) -> Result<Cascade> {
        let subs = store::sub_plans(db, province).await?;
        let work = store::sub_plan_work(db, province).await?;
        Ok(Cascade::from_rows(subs, work, include_drafts))
    }

    /// Only what one task's roll-up needs: its own sub-plans and their work, not the
    /// province's whole cascade (the task page asks for it on every view).
    async fn load_for_task(db: &Db, task: TaskId) -> Result<Cascade> {
        let subs = store::sub_plans_of_task(db, task.get()).await?;
        let ids: Vec<Id> = subs.iter().map(|s| s.plan_id).collect();
        let work = store::work_of_plans(db, &ids).await?;
        Ok(Cascade::from_rows(subs, work, false))
    }

    fn from_rows(
        subs: Vec<SubPlan>,
        rows: Vec<(Id, Id, String, Option<i64>)>,
        include_drafts: bool,
    ) -> Cascade {
        let mut by_parent_plan: BTreeMap<Id, Vec<SubPlan>> = BTreeMap::new();
        for s in subs {
            if include_drafts || s.state != PlanState::Draft.as_str() {
                by_parent_plan.entry(s.parent_plan_id).or_default().push(s);
            }
        }
        let mut work: HashMap<Id, BTreeMap<Id, Vec<Work>>> = HashMap::new();
        for (plan, task, status, percent) in rows {
            work.entry(plan)
                .or_default()
                .entry(task)
                .or_default()
                .push(Work::from_status(&status, percent));
        }
        Cascade {
            by_parent_plan,
            work,
        }
    }

    fn plan_tasks(&self, plan: Id) -> Vec<Vec<Work>> {
        self.work
            .get(&plan)
            .map(|t| t.values().cloned().collect())
            .unwrap_or_default()
    }

    fn rollup_of(&self, subs: &[&SubPlan]) -> Rollup {
        let counted: Vec<Vec<Vec<Work>>> = subs
            .iter()
            .filter(|s| s.state == PlanState::Published.as_str())
            .map(|s| self.plan_tasks(s.plan_id))
            .collect();
        Rollup {
            percent: rollup(&counted),
            plans: counted.len(),
        }
    }

    /// The tasks of `plan` that have sub-plans, each with its sub-plans, nested; a plan seen
    /// on the way down is not entered again (a cycle in old data cannot loop the page).
    fn tasks_of(&self, plan: Id, seen: &mut HashSet<Id>) -> Vec<TreeTask> {
        if !seen.insert(plan) {
            return Vec::new();
        }
        let Some(subs) = self.by_parent_plan.get(&plan) else {
            return Vec::new();
        };
        let mut tasks: Vec<TreeTask> = Vec::new();
        for s in subs {
            if tasks
                .last()
                .is_none_or(|t| t.task_id.get() != s.parent_task_id)
            {
                let all: Vec<&SubPlan> = subs
                    .iter()
                    .filter(|o| o.parent_task_id == s.parent_task_id)
                    .collect();
                tasks.push(TreeTask {
                    task_id: TaskId(s.parent_task_id),
                    reference: s.task_ref.clone(),
                    content: s.task_content.clone(),
                    rollup: self.rollup_of(&all).percent,
                    sub_plans: Vec::new(),
                });
            }
            let published = s.state == PlanState::Published.as_str();
            let node = TreePlan {
                plan_id: PlanId(s.plan_id),
                name: plan_name(s.number.as_deref(), s.title.as_deref()),
                title: s.title.clone().unwrap_or_default(),
                issuer: s.issuer.clone().unwrap_or_default(),
                issued_on: s.issued_on,
                state: if published {
                    PlanState::Published.label_vi().to_string()
                } else if s.state == PlanState::Draft.as_str() {
                    review_label(s.review_state.as_deref()).to_string()
                } else {
                    PlanState::Archived.label_vi().to_string()
                },
                published,
                progress: published
                    .then(|| plan_percent(&self.plan_tasks(s.plan_id)))
                    .flatten(),
                tasks: self.tasks_of(s.plan_id, seen),
            };
            if let Some(t) = tasks.last_mut() {
                t.sub_plans.push(node);
            }
        }
        tasks
    }
}

/// The cascade under `plan` as `viewer` may see it: its tasks that have sub-plans, each with
/// its sub-plans (drafts only for the plan's monitors), nested.
pub async fn tree(db: &Db, viewer: Option<&User>, plan: &LoadedPlan) -> Result<Vec<TreeTask>> {
    let include_drafts = viewer.is_some_and(|u| can_monitor(u, &plan.access()));
    let c = Cascade::load(db, plan.rec.province_id, include_drafts).await?;
    Ok(c.tasks_of(plan.rec.plan.id, &mut HashSet::new()))
}

/// The progress of `task` rolled up from its published sub-plans.
pub async fn task_rollup(db: &Db, task: TaskId) -> Result<Rollup> {
    let c = Cascade::load_for_task(db, task).await?;
    let subs: Vec<&SubPlan> = c
        .by_parent_plan
        .values()
        .flatten()
        .filter(|s| s.parent_task_id == task.get())
        .collect();
    Ok(c.rollup_of(&subs))
}

/// The tree of a plan `viewer` may read, for the API.
pub async fn tree_of(db: &Db, viewer: Option<&User>, plan: PlanId) -> Result<Vec<TreeTask>> {
    let p = access::readable_plan(db, viewer, plan).await?;
    tree(db, viewer, &p).await
}

/// The roll-up of a task of a plan `viewer` may read (not found otherwise).
pub async fn rollup_of_task(db: &Db, viewer: Option<&User>, task: TaskId) -> Result<Rollup> {
    let home = store::task_home(db, task.get())
        .await?
        .ok_or(AppError::NotFound)?;
    access::readable_plan(db, viewer, PlanId(home.plan_id)).await?;
    task_rollup(db, task).await
}
