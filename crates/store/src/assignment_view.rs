//! One assignment as its page and `GET /api/assignments/{id}` show it, in two statements: the
//! head (assignment, task, plan facts for the rights rules, unit name) and every timeline row
//! with the names of the people and units involved, so labelling a handful of lines never
//! loads every account or unit name of the province.

use chrono::{DateTime, NaiveDate, Utc};
use tinhgon_domain::model::Id;
use tinhgon_domain::plan::PlanState;

use crate::error::Result;
use crate::tx::query;
use crate::util::parse_enum;
use crate::web_queries::{WorkRow, WORK_COLUMNS};
use crate::Db;

/// An assignment with what the rights rules and the page header need.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AssignmentHead {
    /// The assignment as lists show it.
    #[sqlx(flatten)]
    pub work: WorkRow,
    /// Province of its plan.
    pub plan_province_id: Option<i64>,
    /// Stored plan state (`draft`, `published`, `archived`).
    pub plan_state: String,
    /// Plan marked public.
    pub plan_public: bool,
    /// Name of the responsible unit.
    pub unit_name: Option<String>,
    /// True when the unit asked about leads or coordinates any task of the plan (what
    /// `PlanAccess::concerned_unit_ids` is asked for that unit).
    pub plan_concerns_unit: bool,
}

impl AssignmentHead {
    /// The plan's state.
    pub fn plan_state(&self) -> Result<PlanState> {
        parse_enum(&self.plan_state)
    }
}

/// The plan's facts the rights rules need, beside the [`WorkRow`] columns.
const PLAN_FACTS: &str =
    "p.province_id AS plan_province_id, p.state AS plan_state, p.public AS plan_public";

/// The open (not done, not cancelled) assignments of a unit by due date, with their plans'
/// facts for the rights rules (`unit_name` and `plan_concerns_unit` are not filled).
pub async fn open_of_unit(db: &Db, unit_id: Id) -> Result<Vec<AssignmentHead>> {
    let sql = format!(
        "SELECT {WORK_COLUMNS}, {PLAN_FACTS}, CAST(NULL AS TEXT) AS unit_name, FALSE AS plan_concerns_unit \
         FROM assignments a JOIN tasks t ON t.id = a.task_id JOIN plans p ON p.id = a.plan_id \
         WHERE a.unit_id = $1 AND a.status NOT IN ('done', 'cancelled') \
         ORDER BY CASE WHEN a.due IS NULL THEN 1 ELSE 0 END, a.due, a.id"
    );
    query(&sql).bind(unit_id).fetch_all(db).await
}

/// The plans that concern a unit: it leads or coordinates one of their tasks.
pub async fn plans_concerning(db: &Db, unit_id: Id) -> Result<Vec<Id>> {
    query(
            "SELECT plan_id FROM assignments WHERE unit_id = $1 UNION \
             SELECT t.plan_id FROM task_coordinators c JOIN tasks t ON t.id = c.task_id WHERE c.unit_id = $1",
        )
        .bind(unit_id)
        .scalars(db)
        .await
}

/// The head of assignment `id`; `concerned_unit` is the unit whose concern for the plan is
/// checked (the viewer's unit), None to skip the check.
pub async fn head(db: &Db, id: Id, concerned_unit: Option<Id>) -> Result<Option<AssignmentHead>> {
    let sql = format!("SELECT {WORK_COLUMNS}, {PLAN_FACTS}, un.name AS unit_name, \
        CASE WHEN $2 IS NULL THEN FALSE ELSE ( \
          EXISTS (SELECT 1 FROM assignments x WHERE x.plan_id = a.plan_id AND x.unit_id = $2) \
          OR EXISTS (SELECT 1 FROM task_coordinators c JOIN tasks ct ON ct.id = c.task_id WHERE ct.plan_id = a.plan_id AND c.unit_id = $2) \
        ) END AS plan_concerns_unit \
        FROM assignments a JOIN tasks t ON t.id = a.task_id JOIN plans p ON p.id = a.plan_id \
        LEFT JOIN units un ON un.id = a.unit_id WHERE a.id = $1");
    query(&sql)
        .bind(id)
        .bind(concerned_unit)
        .fetch_optional(db)
        .await
}

/// What a timeline row is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowKind {
    /// A status change: `t1` from status (None at creation), `t2` to status, `t3` note.
    Status,
    /// A move to a successor unit: `t1` from unit name, `t2` to unit name.
    Reroute,
    /// A progress report: `t1` text, `n1` percent.
    Progress,
    /// An evidence file: `t1` file name, `n1` its progress report.
    Evidence,
    /// An extension request: `t1` reason, `t2` state, `t3` decision note, `d1` old due,
    /// `d2` new due, `at2`/`actor2` the decision.
    Extension,
    /// An obstacle: `t1` text, `t2` state, `t3` answer, `n1` 1 when it was referred to the
    /// leaders, `at2`/`actor2` the answer.
    Obstacle,
    /// A coordinating unit's contribution to the task: `t1` unit name, `t3` text.
    Contribution,
    /// A unit coordinating the task: `n1` unit id, `t1` unit name.
    Coordinator,
    /// An obstacle referred to the leaders: `t1` the monitor's proposal, `t2` the addressee,
    /// `t3` the opinion, `n1` the obstacle, `at2`/`actor2` the opinion.
    Referral,
}

/// One row of an assignment's timeline, in a shape shared by every kind (see [`RowKind`]).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TimelineRow {
    /// Kind code (see [`TimelineRow::kind`]).
    pub k: i64,
    /// The row's id in its table.
    pub id: i64,
    /// When.
    pub at: Option<DateTime<Utc>>,
    /// Who acted (account id).
    pub actor_id: Option<i64>,
    /// Their display name.
    pub actor: Option<String>,
    /// First text.
    pub t1: Option<String>,
    /// Second text.
    pub t2: Option<String>,
    /// Third text.
    pub t3: Option<String>,
    /// A number.
    pub n1: Option<i64>,
    /// First date.
    pub d1: Option<NaiveDate>,
    /// Second date.
    pub d2: Option<NaiveDate>,
    /// Second instant (decision, answer).
    pub at2: Option<DateTime<Utc>>,
    /// Who decided or answered (account id).
    pub actor2_id: Option<i64>,
    /// Their display name.
    pub actor2: Option<String>,
}

impl TimelineRow {
    /// The kind of row.
    pub fn kind(&self) -> RowKind {
        match self.k {
            0 => RowKind::Status,
            1 => RowKind::Reroute,
            2 => RowKind::Progress,
            3 => RowKind::Evidence,
            4 => RowKind::Extension,
            5 => RowKind::Obstacle,
            6 => RowKind::Contribution,
            8 => RowKind::Referral,
            _ => RowKind::Coordinator,
        }
    }
}

/// Every timeline row of assignment `id` (task `task_id`), by kind then time: status changes,
/// reroutes, progress reports, evidence, extension requests, obstacles and their referrals,
/// contributions to the
/// task, and the task's coordinating units.
pub async fn timeline(db: &Db, id: Id, task_id: Id) -> Result<Vec<TimelineRow>> {
    // The first branch types the NULL columns for PostgreSQL.
    const SQL: &str = "\
        SELECT CAST(0 AS BIGINT) AS k, s.id, s.at, s.actor_id, u.display_name AS actor, s.from_status AS t1, s.to_status AS t2, s.note AS t3, \
          CAST(NULL AS BIGINT) AS n1, CAST(NULL AS DATE) AS d1, CAST(NULL AS DATE) AS d2, CAST(NULL AS TIMESTAMPTZ) AS at2, CAST(NULL AS BIGINT) AS actor2_id, CAST(NULL AS TEXT) AS actor2 \
          FROM status_changes s LEFT JOIN users u ON u.id = s.actor_id WHERE s.assignment_id = $1 \
        UNION ALL SELECT 1, r.id, r.at, NULL, NULL, fu.name, tu.name, NULL, NULL, NULL, NULL, NULL, NULL, NULL \
          FROM assignment_reroutes r LEFT JOIN units fu ON fu.id = r.from_unit_id LEFT JOIN units tu ON tu.id = r.to_unit_id WHERE r.assignment_id = $1 \
        UNION ALL SELECT 2, r.id, r.at, r.actor_id, u.display_name, r.text, NULL, NULL, r.percent, NULL, NULL, NULL, NULL, NULL \
          FROM progress_reports r LEFT JOIN users u ON u.id = r.actor_id WHERE r.assignment_id = $1 \
        UNION ALL SELECT 3, e.id, e.uploaded_at, NULL, NULL, e.file_name, NULL, NULL, e.progress_report_id, NULL, NULL, NULL, NULL, NULL \
          FROM evidence e WHERE e.assignment_id = $1 \
        UNION ALL SELECT 4, x.id, x.requested_at, x.requested_by, u.display_name, x.reason, x.state, x.decision_note, NULL, x.old_due, x.new_due, x.decided_at, x.decided_by, d.display_name \
          FROM extension_requests x LEFT JOIN users u ON u.id = x.requested_by LEFT JOIN users d ON d.id = x.decided_by WHERE x.assignment_id = $1 \
        UNION ALL SELECT 5, o.id, o.raised_at, o.raised_by, u.display_name, o.text, o.state, o.answer, \
          (SELECT COUNT(*) FROM obstacle_referrals rr WHERE rr.obstacle_id = o.id), NULL, NULL, o.answered_at, o.answered_by, d.display_name \
          FROM obstacles o LEFT JOIN users u ON u.id = o.raised_by LEFT JOIN users d ON d.id = o.answered_by WHERE o.assignment_id = $1 \
        UNION ALL SELECT 8, r.id, r.referred_at, r.referred_by, u.display_name, r.proposal, r.addressee, r.opinion, r.obstacle_id, NULL, NULL, r.opinion_at, r.opinion_by, d.display_name \
          FROM obstacle_referrals r JOIN obstacles o ON o.id = r.obstacle_id LEFT JOIN users u ON u.id = r.referred_by LEFT JOIN users d ON d.id = r.opinion_by WHERE o.assignment_id = $1 \
        UNION ALL SELECT 6, c.id, c.at, c.actor_id, u.display_name, un.name, NULL, c.text, c.unit_id, NULL, NULL, NULL, NULL, NULL \
          FROM contributions c LEFT JOIN users u ON u.id = c.actor_id LEFT JOIN units un ON un.id = c.unit_id WHERE c.task_id = $2 \
        UNION ALL SELECT 7, c.id, NULL, NULL, NULL, un.name, NULL, NULL, c.unit_id, NULL, NULL, NULL, NULL, NULL \
          FROM task_coordinators c LEFT JOIN units un ON un.id = c.unit_id WHERE c.task_id = $2 AND c.unit_id IS NOT NULL \
        ORDER BY 1, 3, 2";
    query(SQL).bind(id).bind(task_id).fetch_all(db).await
}
