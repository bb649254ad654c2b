//! Shared helpers for the store's integration tests (each test runs on both databases
//! through `tinhgon_testkit::both_databases!`).
#![allow(dead_code)]

use tinhgon_store::Db;

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use tinhgon_domain::model::Id;
use tinhgon_domain::{AgencyRef, Deadline, DeadlineKind, DocumentMeta, PlanDraft, TaskDraft};

/// The Nghệ An register directory in the repository.
pub fn nghe_an_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/nghe-an-2025")
}

/// Imports the Nghệ An register; returns the province id.
pub async fn import_nghe_an(db: &Db) -> anyhow::Result<Id> {
    let s = tinhgon_store::register::import_register(db, &nghe_an_dir()).await?;
    Ok(s.province_id)
}

/// A calendar day.
pub fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("valid date")
}

/// Noon (Vietnam time) of a day, in UTC.
pub fn noon(day: NaiveDate) -> DateTime<Utc> {
    Utc.from_utc_datetime(&day.and_hms_opt(5, 0, 0).expect("valid time"))
}

/// The id of the unit with this name valid on `date`.
pub async fn unit_named(db: &Db, province: Id, name: &str, date: NaiveDate) -> anyhow::Result<Id> {
    let units = tinhgon_store::register::units_as_of(db, province, date).await?;
    units
        .iter()
        .find(|u| u.name == name)
        .map(|u| u.id)
        .ok_or_else(|| anyhow::anyhow!("no unit {name} on {date}"))
}

/// An agency mention.
pub fn agency(text: &str) -> AgencyRef {
    AgencyRef {
        text: text.into(),
        name: text.into(),
        group: None,
    }
}

/// A task due by `due` (or with the given deadline kind), led by `lead`.
pub fn task(
    reference: &str,
    lead: &[&str],
    coordinating: &[&str],
    kind: DeadlineKind,
    due: Option<NaiveDate>,
) -> TaskDraft {
    TaskDraft {
        reference: reference.into(),
        content: format!("Nhiệm vụ {reference}"),
        lead: lead.iter().map(|t| agency(t)).collect(),
        coordinating: coordinating.iter().map(|t| agency(t)).collect(),
        deadline: Deadline {
            text: "thời hạn".into(),
            kind,
            due,
            precision: None,
            period: None,
            event: None,
            start: None,
        },
        deliverable: None,
        source: Default::default(),
        progress: None,
    }
}

/// A plan draft dated `date` with `tasks`.
pub fn plan(number: &str, date: NaiveDate, tasks: Vec<TaskDraft>) -> PlanDraft {
    PlanDraft {
        document: DocumentMeta {
            number: Some(number.into()),
            issuer: Some("Ủy ban nhân dân tỉnh Nghệ An".into()),
            date: Some(date),
            title: Some(format!("Kế hoạch {number}")),
            ..Default::default()
        },
        tasks,
        targets: vec![],
        warnings: vec![],
    }
}

/// Stores `draft` and publishes it; returns the plan id.
pub async fn publish(
    db: &Db,
    province: Id,
    draft: &PlanDraft,
    hash: &str,
    at: DateTime<Utc>,
) -> anyhow::Result<Id> {
    use tinhgon_store::plans;
    let id = plans::system::insert_draft(
        db,
        &plans::NewDraft {
            province_id: Some(province),
            draft,
            source_text: None,
            content_hash: hash,
            by: None,
            at,
        },
    )
    .await?;
    plans::system::publish_plan(db, id, None, at.date_naive(), at).await?;
    Ok(id)
}

/// Row count of a table.
pub async fn count(db: &Db, table: &str) -> anyhow::Result<i64> {
    let sql = format!("SELECT COUNT(*) FROM {table}");
    Ok(tinhgon_store::tx::query(&sql).scalar(db).await?)
}

/// A task due by `due`, led by one unit, with no coordinators.
pub fn due_by(reference: &str, lead: &str, due: NaiveDate) -> TaskDraft {
    task(reference, &[lead], &[], DeadlineKind::By, Some(due))
}

/// A plan the test builds task by task, then publishes.
pub struct PlanBuilder {
    number: String,
    date: NaiveDate,
    tasks: Vec<TaskDraft>,
}

/// Starts plan `number` issued on `date`.
pub fn plan_of(number: &str, date: NaiveDate) -> PlanBuilder {
    PlanBuilder {
        number: number.into(),
        date,
        tasks: Vec::new(),
    }
}

impl PlanBuilder {
    /// Adds a task due by `due`, led by one unit.
    pub fn due(self, reference: &str, lead: &str, due: NaiveDate) -> PlanBuilder {
        self.task(due_by(reference, lead, due))
    }

    /// Adds a task with no due date of its own (standing, conditional …), led by one unit.
    pub fn undated(self, reference: &str, lead: &str, kind: DeadlineKind) -> PlanBuilder {
        self.task(task(reference, &[lead], &[], kind, None))
    }

    /// Adds any task.
    pub fn task(mut self, task: TaskDraft) -> PlanBuilder {
        self.tasks.push(task);
        self
    }

    /// The plan as the extractor would hand it over.
    pub fn draft(&self) -> PlanDraft {
        plan(&self.number, self.date, self.tasks.clone())
    }

    /// Stores and publishes the plan at noon of its date in `province`.
    pub async fn publish(self, db: &Db, province: Id) -> anyhow::Result<Published> {
        let hash = format!("hash {}", self.number);
        let id = publish(db, province, &self.draft(), &hash, noon(self.date)).await?;
        let rows: Vec<(i64, i64, String)> = {
            tinhgon_store::tx::query("SELECT a.id, a.task_id, t.ref FROM assignments a JOIN tasks t ON t.id = a.task_id WHERE a.plan_id = $1 ORDER BY t.position, a.id")
                .bind(id)
                .fetch_all(db)
                .await?
        };
        let assignments = rows
            .into_iter()
            .map(|(id, task_id, reference)| Assigned {
                id,
                task_id,
                reference,
            })
            .collect();
        Ok(Published { id, assignments })
    }
}

/// A published plan and its assignments.
pub struct Published {
    /// The plan id.
    pub id: Id,
    /// The assignments in task order.
    pub assignments: Vec<Assigned>,
}

/// One assignment of a published plan.
#[derive(Clone, Debug)]
pub struct Assigned {
    pub id: Id,
    pub task_id: Id,
    /// The reference of its task ("1", "2.a" …).
    pub reference: String,
}

impl Published {
    /// The assignment ids in task order.
    pub fn ids(&self) -> Vec<Id> {
        self.assignments.iter().map(|a| a.id).collect()
    }

    /// The only assignment of the task with this reference.
    pub fn of(&self, reference: &str) -> anyhow::Result<Id> {
        let mut found = self.assignments.iter().filter(|a| a.reference == reference);
        match (found.next(), found.next()) {
            (Some(a), None) => Ok(a.id),
            _ => anyhow::bail!("not exactly one assignment of task {reference}"),
        }
    }
}

/// A status change at noon of `day`, by no particular account, whatever the current status.
pub fn change_request(
    id: Id,
    action: tinhgon_domain::Action,
    role: tinhgon_domain::user::Role,
    day: NaiveDate,
) -> tinhgon_store::status::ChangeRequest {
    tinhgon_store::status::ChangeRequest {
        assignment_id: id,
        action,
        role,
        actor: None,
        note: None,
        at: noon(day),
        expected: None,
    }
}

/// Applies a status change at noon of `day`; returns the new status.
pub async fn act(
    db: &Db,
    id: Id,
    action: tinhgon_domain::Action,
    role: tinhgon_domain::user::Role,
    day: NaiveDate,
) -> anyhow::Result<tinhgon_domain::Status> {
    let req = change_request(id, action, role, day);
    Ok(tinhgon_store::status::system::change_status(db, &req).await?)
}

/// Records the dissolution of `unit` into `into` (decision 10/NQ-HĐND) effective on `effective`;
/// returns the event id.
pub async fn dissolve(
    db: &Db,
    unit: Id,
    into: Id,
    effective: NaiveDate,
    at: DateTime<Utc>,
) -> anyhow::Result<Id> {
    let event = tinhgon_store::register::NewEvent {
        kind: tinhgon_domain::event::EventKind::Dissolve,
        predecessors: vec![unit],
        successors: vec![into],
        decision: Some("10/NQ-HĐND".into()),
        effective,
    };
    Ok(tinhgon_store::register::record_event(db, &event, at).await?)
}

/// The same change as [`change_request`], for the batched `record_status_changes`.
pub fn new_status_change(
    id: Id,
    action: tinhgon_domain::Action,
    role: tinhgon_domain::user::Role,
    day: NaiveDate,
) -> tinhgon_store::status::NewStatusChange {
    let r = change_request(id, action, role, day);
    tinhgon_store::status::NewStatusChange {
        assignment_id: r.assignment_id,
        action: r.action,
        role: r.role,
        actor: r.actor,
        note: r.note,
        at: r.at,
    }
}

/// Asks on `asked` for assignment `id` to be due on `new_due` and decides on `decided`
/// (`approve` or refuse); both at noon. Returns the request id.
pub async fn extension(
    db: &Db,
    id: Id,
    new_due: NaiveDate,
    approve: bool,
    asked: NaiveDate,
    decided: NaiveDate,
) -> anyhow::Result<Id> {
    use tinhgon_store::records;
    let ext =
        records::system::request_extension(db, id, None, new_due, "lý do", noon(asked)).await?;
    records::system::decide_extension(db, ext, approve, None, None, noon(decided)).await?;
    Ok(ext)
}
