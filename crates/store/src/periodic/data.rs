//! What the aggregated report, the urging notice and the agency form read from the database,
//! as plain rows: the app layer classifies and lays them out.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use tinhgon_domain::model::Id;

use crate::error::{Result, StoreError};
use crate::tx::query;
use crate::Db;

/// The plan as a report cites it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct PlanHead {
    /// Identifier.
    pub id: Id,
    /// Number ("615/KH-UBND").
    pub number: Option<String>,
    /// Issuer as written.
    pub issuer: Option<String>,
    /// Place of issue ("Nghệ An").
    pub place: Option<String>,
    /// Issue date.
    pub issued_on: Option<NaiveDate>,
    /// Title (trích yếu).
    pub title: Option<String>,
    /// `draft`, `published`, `archived`.
    pub state: String,
    /// Province.
    pub province_id: Option<Id>,
    /// Province name ("Tỉnh Nghệ An").
    pub province_name: Option<String>,
    /// Monitoring unit (Sở Nội vụ).
    pub monitor_unit_id: Option<Id>,
    /// Its name.
    pub monitor_name: Option<String>,
}

/// The plan's head.
pub async fn plan_head(db: &Db, plan_id: Id) -> Result<PlanHead> {
    let row: Option<PlanHead> = query(
            "SELECT p.id, p.number, p.issuer, p.place, p.issued_on, p.title, p.state, p.province_id, \
             pr.name AS province_name, p.monitor_unit_id, m.name AS monitor_name \
             FROM plans p LEFT JOIN units pr ON pr.id = p.province_id LEFT JOIN units m ON m.id = p.monitor_unit_id \
             WHERE p.id = $1",
        )
        .bind(plan_id)
        .fetch_optional(db)
        .await?;
    row.ok_or(StoreError::NotFound {
        what: "kế hoạch",
        id: plan_id,
    })
}

/// Plans whose number matches `number` (spaces and case ignored), published first, newest first.
pub async fn plans_by_number(db: &Db, number: &str) -> Result<Vec<(Id, String, String)>> {
    let wanted: String = number
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect();
    let rows: Vec<(i64, Option<String>, String)> = query(
            "SELECT id, number, state FROM plans WHERE number IS NOT NULL \
             ORDER BY CASE state WHEN 'published' THEN 0 WHEN 'archived' THEN 1 ELSE 2 END, id DESC",
        )
        .fetch_all(db)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, n, state)| {
            let n = n?;
            let folded: String = n
                .chars()
                .filter(|c| !c.is_whitespace())
                .flat_map(char::to_lowercase)
                .collect();
            (folded == wanted).then_some((id, n, state))
        })
        .collect())
}

/// A task of the plan.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct TaskLine {
    /// Identifier.
    pub id: Id,
    /// Order in the plan.
    pub position: i64,
    /// Reference ("III.1").
    #[sqlx(rename = "ref")]
    pub reference: String,
    /// Content.
    pub content: String,
    /// Deadline as written.
    pub deadline_text: String,
}

/// An assignment of the plan with the unit responsible now.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct AssignmentLine {
    /// Identifier.
    pub id: Id,
    /// Task.
    pub task_id: Id,
    /// Unit responsible now.
    pub unit_id: Id,
    /// Created.
    pub created_at: DateTime<Utc>,
}

/// Everything of a plan the reports read, loaded in one go.
#[derive(Debug, Clone, Default)]
pub struct PlanData {
    /// Tasks in plan order.
    pub tasks: Vec<TaskLine>,
    /// Assignments by id.
    pub assignments: Vec<AssignmentLine>,
    /// Coordinating units' names per task, in plan order.
    pub coordinators: BTreeMap<Id, Vec<String>>,
    /// Reroutes per assignment: (from, to, at), oldest first.
    pub reroutes: BTreeMap<Id, Vec<(Id, Id, DateTime<Utc>)>>,
    /// Progress notes per assignment: (at, text), oldest first.
    pub progress: BTreeMap<Id, Vec<(DateTime<Utc>, String)>>,
    /// Status-change notes per assignment: (at, note), oldest first (reasons given on a return).
    pub notes: BTreeMap<Id, Vec<(DateTime<Utc>, String)>>,
    /// Obstacles per assignment: (raised at, text), oldest first.
    pub obstacles: BTreeMap<Id, Vec<(DateTime<Utc>, String)>>,
    /// Names of every unit mentioned.
    pub unit_names: BTreeMap<Id, String>,
}

impl PlanData {
    /// The unit responsible for an assignment at the end of `before` (reroutes made after
    /// it are undone).
    pub fn unit_at(&self, a: &AssignmentLine, before: DateTime<Utc>) -> Id {
        self.reroutes
            .get(&a.id)
            .and_then(|rs| rs.iter().find(|(_, _, at)| *at >= before))
            .map_or(a.unit_id, |(from, _, _)| *from)
    }

    /// The name of a unit ("đơn vị #id" when unknown).
    pub fn unit_name(&self, id: Id) -> String {
        self.unit_names
            .get(&id)
            .cloned()
            .unwrap_or_else(|| format!("đơn vị #{id}"))
    }

    /// The latest progress note of an assignment made before `before`.
    pub fn latest_progress(&self, assignment: Id, before: DateTime<Utc>) -> Option<&str> {
        self.progress
            .get(&assignment)?
            .iter()
            .rev()
            .find(|(at, _)| *at < before)
            .map(|(_, t)| t.as_str())
    }
}

/// Loads a plan's tasks, assignments, coordinators, reroutes, progress notes and unit names.
pub async fn plan_data(db: &Db, plan_id: Id) -> Result<PlanData> {
    type Loaded = (
        Vec<TaskLine>,
        Vec<AssignmentLine>,
        Vec<(i64, Option<String>, String)>,
        Vec<(i64, i64, i64, DateTime<Utc>)>,
        Vec<(i64, String)>,
    );
    let (tasks, assignments, coords, reroutes, names): Loaded = {
        let tasks = query(
            "SELECT id, CAST(position AS BIGINT) AS position, ref, content, deadline_text FROM tasks WHERE plan_id = $1 ORDER BY position, id",
        )
        .bind(plan_id)
        .fetch_all(db)
        .await?;
        let assignments = query(
            "SELECT a.id, a.task_id, a.unit_id, a.created_at FROM assignments a JOIN tasks t ON t.id = a.task_id \
             WHERE a.plan_id = $1 ORDER BY t.position, a.id",
        )
        .bind(plan_id)
        .fetch_all(db)
        .await?;
        let coords = query(
            "SELECT c.task_id, u.name, c.agency_text FROM task_coordinators c JOIN tasks t ON t.id = c.task_id \
             LEFT JOIN units u ON u.id = c.unit_id WHERE t.plan_id = $1 ORDER BY c.task_id, c.id",
        )
        .bind(plan_id)
        .fetch_all(db)
        .await?;
        let reroutes = query(
            "SELECT r.assignment_id, r.from_unit_id, r.to_unit_id, r.at FROM assignment_reroutes r \
             JOIN assignments a ON a.id = r.assignment_id WHERE a.plan_id = $1 ORDER BY r.at, r.id",
        )
        .bind(plan_id)
        .fetch_all(db)
        .await?;
        let names = query(
            "SELECT id, name FROM units WHERE id IN (SELECT unit_id FROM assignments WHERE plan_id = $1) \
             OR id IN (SELECT r.from_unit_id FROM assignment_reroutes r JOIN assignments a ON a.id = r.assignment_id WHERE a.plan_id = $1)",
        )
        .bind(plan_id)
        .fetch_all(db)
        .await?;
        (tasks, assignments, coords, reroutes, names)
    };
    let mut data = PlanData {
        tasks,
        assignments,
        unit_names: names.into_iter().collect(),
        progress: notes_by_assignment(
            db,
            plan_id,
            "SELECT r.assignment_id, r.at, r.text FROM progress_reports r JOIN assignments a ON a.id = r.assignment_id \
             WHERE a.plan_id = $1 ORDER BY r.at, r.id",
        )
        .await?,
        notes: notes_by_assignment(
            db,
            plan_id,
            "SELECT s.assignment_id, s.at, s.note FROM status_changes s JOIN assignments a ON a.id = s.assignment_id \
             WHERE a.plan_id = $1 AND s.note IS NOT NULL ORDER BY s.at, s.id",
        )
        .await?,
        obstacles: notes_by_assignment(
            db,
            plan_id,
            "SELECT o.assignment_id, o.raised_at, o.text FROM obstacles o JOIN assignments a ON a.id = o.assignment_id \
             WHERE a.plan_id = $1 ORDER BY o.raised_at, o.id",
        )
        .await?,
        ..PlanData::default()
    };
    for (task, name, text) in coords {
        data.coordinators
            .entry(task)
            .or_default()
            .push(name.unwrap_or(text));
    }
    for (a, from, to, at) in reroutes {
        data.reroutes.entry(a).or_default().push((from, to, at));
    }
    Ok(data)
}

/// Texts written on a plan's assignments (progress notes, status notes, obstacles) by
/// assignment, oldest first: `sql` selects (assignment, when, text) of plan `$1` in that order.
async fn notes_by_assignment(
    db: &Db,
    plan_id: Id,
    sql: &str,
) -> Result<BTreeMap<Id, Vec<(DateTime<Utc>, String)>>> {
    let rows: Vec<(i64, DateTime<Utc>, String)> = query(sql).bind(plan_id).fetch_all(db).await?;
    let mut by_assignment: BTreeMap<Id, Vec<_>> = BTreeMap::new();
    for (a, at, text) in rows {
        by_assignment.entry(a).or_default().push((at, text));
    }
    Ok(by_assignment)
}

/// Units with assignments in a plan (by name), for choosing whom to urge.
pub async fn plan_units(db: &Db, plan_id: Id) -> Result<Vec<(Id, String)>> {
    let mut rows: Vec<(i64, String)> = query(
            "SELECT u.id, u.name FROM units u WHERE u.id IN (SELECT unit_id FROM assignments WHERE plan_id = $1)",
        )
        .bind(plan_id)
        .fetch_all(db)
        .await?;
    crate::web_queries::by_name(&mut rows);
    Ok(rows)
}
