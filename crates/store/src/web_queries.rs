//! Read queries the web pages need that the core store modules do not (yet) offer.
//! Owned by the web layer.

use chrono::{DateTime, NaiveDate, Utc};
use tinhgon_domain::model::Id;

use crate::error::Result;
use crate::tx::query;
use crate::Db;

/// A unit's name.
pub async fn unit_name(db: &Db, id: Id) -> Result<Option<String>> {
    query("SELECT name FROM units WHERE id = $1")
        .bind(id)
        .scalar_optional(db)
        .await
}

/// Units an account can be bound to, by name: departments, party bodies, communes and wards
/// currently valid (for select lists).
pub async fn units_for_select(db: &Db, province_id: Option<Id>) -> Result<Vec<(Id, String)>> {
    let mut rows: Vec<(Id, String)> = query(
        "SELECT id, name FROM units WHERE valid_to IS NULL AND ($1 IS NULL OR province_id = $1 OR id = $1)",
    )
    .bind(province_id)
    .fetch_all(db)
    .await?;
    by_name(&mut rows);
    Ok(rows)
}

/// Sorts (id, name) pairs in Vietnamese alphabetical order (Bạch Hà, Bích Hào, Bình Minh; Đ
/// after D), which no database collation gives on both backends.
pub fn by_name(rows: &mut [(Id, String)]) {
    rows.sort_by_cached_key(|(id, n)| (tinhgon_textkit::sort_key(n), *id));
}

/// Names of every unit of a province (and the province itself), by id.
pub async fn unit_names(
    db: &Db,
    province_id: Option<Id>,
) -> Result<std::collections::HashMap<Id, String>> {
    let rows: Vec<(i64, String)> =
        query("SELECT id, name FROM units WHERE ($1 IS NULL OR province_id = $1 OR id = $1)")
            .bind(province_id)
            .fetch_all(db)
            .await?;
    Ok(rows.into_iter().collect())
}

/// Display names of accounts, by id (timelines show who acted).
pub async fn user_names(db: &Db) -> Result<std::collections::HashMap<Id, String>> {
    let rows: Vec<(i64, String)> = query("SELECT id, display_name FROM users")
        .fetch_all(db)
        .await?;
    Ok(rows.into_iter().collect())
}

/// An assignment as an inbox or a plan page lists it, with what the today-view class needs.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct WorkRow {
    /// Assignment.
    pub id: i64,
    /// Task.
    pub task_id: i64,
    /// Plan.
    pub plan_id: i64,
    /// Responsible unit.
    pub unit_id: i64,
    /// Plan number.
    pub plan_number: Option<String>,
    /// Task reference.
    pub task_ref: String,
    /// Task content.
    pub content: String,
    /// Deadline as written.
    pub deadline_text: String,
    /// Deadline kind (stored name).
    pub deadline_kind: String,
    /// Due date in force.
    pub due: Option<NaiveDate>,
    /// Stored status.
    pub status: String,
    /// Completion day.
    pub done_on: Option<NaiveDate>,
    /// When a conditional task's event happened.
    pub triggered_on: Option<NaiveDate>,
    /// Latest reported percentage.
    pub percent: Option<i64>,
    /// Whether an extension was granted (the due date in force is not the plan's).
    pub extended: bool,
}

/// The columns of a [`WorkRow`] over `assignments a`, `tasks t`, `plans p`.
pub(crate) const WORK_COLUMNS: &str = "a.id, a.task_id, a.plan_id, a.unit_id, p.number AS plan_number, t.ref AS task_ref, t.content, \
    t.deadline_text, t.deadline_kind, a.due, a.status, a.done_on, t.triggered_on, \
    (SELECT r.percent FROM progress_reports r WHERE r.assignment_id = a.id ORDER BY r.at DESC, r.id DESC LIMIT 1) AS percent, \
    EXISTS (SELECT 1 FROM extension_requests e WHERE e.assignment_id = a.id AND e.state = 'approved') AS extended";

/// The assignments of a unit (its inbox), by due date.
pub async fn unit_work(db: &Db, unit_id: Id) -> Result<Vec<WorkRow>> {
    let sql = format!(
        "SELECT {WORK_COLUMNS} FROM assignments a JOIN tasks t ON t.id = a.task_id JOIN plans p ON p.id = a.plan_id \
         WHERE a.unit_id = $1 ORDER BY CASE WHEN a.due IS NULL THEN 1 ELSE 0 END, a.due, a.id"
    );
    query(&sql).bind(unit_id).fetch_all(db).await
}

/// The assignments of a plan, in task order.
pub async fn plan_work(db: &Db, plan_id: Id) -> Result<Vec<WorkRow>> {
    let sql = format!(
        "SELECT {WORK_COLUMNS} FROM assignments a JOIN tasks t ON t.id = a.task_id JOIN plans p ON p.id = a.plan_id \
         WHERE a.plan_id = $1 ORDER BY t.position, a.id"
    );
    query(&sql).bind(plan_id).fetch_all(db).await
}

/// One assignment as a work row.
pub async fn work_row(db: &Db, assignment_id: Id) -> Result<Option<WorkRow>> {
    let sql = format!(
        "SELECT {WORK_COLUMNS} FROM assignments a JOIN tasks t ON t.id = a.task_id JOIN plans p ON p.id = a.plan_id WHERE a.id = $1"
    );
    query(&sql).bind(assignment_id).fetch_optional(db).await
}

/// Tasks a unit coordinates (not leads): (task id, plan id, plan number, ref, content, deadline text).
pub async fn coordinated_tasks(
    db: &Db,
    unit_id: Id,
) -> Result<Vec<(i64, i64, Option<String>, String, String, String)>> {
    query(
            "SELECT t.id, t.plan_id, p.number, t.ref, t.content, t.deadline_text FROM task_coordinators c \
             JOIN tasks t ON t.id = c.task_id JOIN plans p ON p.id = t.plan_id WHERE c.unit_id = $1 ORDER BY t.plan_id, t.position",
        )
        .bind(unit_id)
        .fetch_all(db)
        .await
}

/// Tasks of a published plan: (id, ref, content, deadline text, deadline kind, triggered on, deliverable).
pub async fn plan_tasks(
    db: &Db,
    plan_id: Id,
) -> Result<
    Vec<(
        i64,
        String,
        String,
        String,
        String,
        Option<NaiveDate>,
        Option<String>,
    )>,
> {
    query(
            "SELECT id, ref, content, deadline_text, deadline_kind, triggered_on, deliverable FROM tasks WHERE plan_id = $1 ORDER BY position",
        )
        .bind(plan_id)
        .fetch_all(db)
        .await
}

/// Coordinators of a plan's tasks: (task id, unit id, text as written).
pub async fn plan_coordinators(db: &Db, plan_id: Id) -> Result<Vec<(i64, Option<i64>, String)>> {
    query(
            "SELECT c.task_id, c.unit_id, c.agency_text FROM task_coordinators c JOIN tasks t ON t.id = c.task_id WHERE t.plan_id = $1 ORDER BY c.id",
        )
        .bind(plan_id)
        .fetch_all(db)
        .await
}

/// Units that lead or coordinate any task of a plan (who may read it).
pub async fn concerned_units(db: &Db, plan_id: Id) -> Result<Vec<Id>> {
    query(
            "SELECT unit_id FROM assignments WHERE plan_id = $1 UNION \
             SELECT c.unit_id FROM task_coordinators c JOIN tasks t ON t.id = c.task_id WHERE t.plan_id = $1 AND c.unit_id IS NOT NULL",
        )
        .bind(plan_id)
        .scalars(db)
        .await
}

/// Plans that implement a task of this plan: (id, number, title).
pub async fn sub_plans(db: &Db, plan_id: Id) -> Result<Vec<(i64, Option<String>, Option<String>)>> {
    query("SELECT p.id, p.number, p.title FROM plans p JOIN tasks t ON t.id = p.parent_task_id WHERE t.plan_id = $1 ORDER BY p.id")
            .bind(plan_id)
            .fetch_all(db)
            .await
}

/// A plan known by its number, if imported.
pub async fn plan_by_number(db: &Db, number: &str) -> Result<Option<Id>> {
    query("SELECT id FROM plans WHERE number = $1 ORDER BY id LIMIT 1")
        .bind(number)
        .scalar_optional(db)
        .await
}

/// A plan's id by content hash within a province (re-import detection).
pub async fn plan_by_hash(db: &Db, province_id: Option<Id>, hash: &str) -> Result<Option<Id>> {
    query("SELECT id FROM plans WHERE COALESCE(province_id, 0) = COALESCE($1, 0) AND content_hash = $2 LIMIT 1")
            .bind(province_id)
            .bind(hash)
            .scalar_optional(db)
            .await
}

/// Plans marked public and published: (id, number, title).
pub async fn public_plans(db: &Db) -> Result<Vec<(i64, Option<String>, Option<String>)>> {
    query("SELECT id, number, title FROM plans WHERE public = TRUE AND state = 'published' ORDER BY id DESC")
            .fetch_all(db)
            .await
}

/// Marks a plan public or not.
pub async fn set_plan_public(db: &Db, plan_id: Id, public: bool) -> Result<()> {
    query("UPDATE plans SET public = $2 WHERE id = $1")
        .bind(plan_id)
        .bind(public)
        .execute(db)
        .await?;
    Ok(())
}

/// Extension requests of an assignment: (id, requested_by, requested_at, old_due, new_due, reason, state, decided_by, decided_at, note).
pub type ExtensionLine = (
    i64,
    Option<i64>,
    DateTime<Utc>,
    Option<NaiveDate>,
    NaiveDate,
    String,
    String,
    Option<i64>,
    Option<DateTime<Utc>>,
    Option<String>,
);

/// Extension requests of an assignment, oldest first.
pub async fn extensions(db: &Db, assignment_id: Id) -> Result<Vec<ExtensionLine>> {
    query(
            "SELECT id, requested_by, requested_at, old_due, new_due, reason, state, decided_by, decided_at, decision_note \
             FROM extension_requests WHERE assignment_id = $1 ORDER BY id",
        )
        .bind(assignment_id)
        .fetch_all(db)
        .await
}

/// Obstacles of an assignment: (id, raised_by, raised_at, text, state, answer, answered_by, answered_at).
pub type ObstacleLine = (
    i64,
    Option<i64>,
    DateTime<Utc>,
    String,
    String,
    Option<String>,
    Option<i64>,
    Option<DateTime<Utc>>,
);

/// Obstacles of an assignment, oldest first.
pub async fn obstacles(db: &Db, assignment_id: Id) -> Result<Vec<ObstacleLine>> {
    query(
            "SELECT id, raised_by, raised_at, text, state, answer, answered_by, answered_at FROM obstacles WHERE assignment_id = $1 ORDER BY id",
        )
        .bind(assignment_id)
        .fetch_all(db)
        .await
}

/// Contributions of coordinating units to a task: (unit id, actor, at, text).
pub async fn contributions(
    db: &Db,
    task_id: Id,
) -> Result<Vec<(i64, Option<i64>, DateTime<Utc>, String)>> {
    query("SELECT unit_id, actor_id, at, text FROM contributions WHERE task_id = $1 ORDER BY id")
        .bind(task_id)
        .fetch_all(db)
        .await
}

/// The assignment an extension request or obstacle belongs to.
pub async fn owner_assignment(db: &Db, table: RecordTable, id: Id) -> Result<Option<Id>> {
    let sql = match table {
        RecordTable::Extension => "SELECT assignment_id FROM extension_requests WHERE id = $1",
        RecordTable::Obstacle => "SELECT assignment_id FROM obstacles WHERE id = $1",
        RecordTable::Evidence => "SELECT assignment_id FROM evidence WHERE id = $1",
    };
    query(sql).bind(id).scalar_optional(db).await
}

/// Tables whose rows belong to an assignment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordTable {
    /// extension_requests.
    Extension,
    /// obstacles.
    Obstacle,
    /// evidence.
    Evidence,
}

/// An evidence file's stored facts: (file name, media type, sha256, storage key, assignment).
pub async fn evidence_file(
    db: &Db,
    id: Id,
) -> Result<Option<(String, String, String, String, i64)>> {
    query("SELECT file_name, media_type, sha256, storage_key, assignment_id FROM evidence WHERE id = $1")
            .bind(id)
            .fetch_optional(db)
            .await
}

/// One search result.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct SearchHit {
    /// `unit`, `plan` or `task`.
    pub kind: String,
    /// Its id.
    pub id: i64,
    /// Name, plan number, or plan number and task reference.
    pub label: String,
    /// Unit kind (stored name), plan title or task content.
    pub detail: String,
    /// A task's plan.
    pub plan_id: Option<i64>,
    /// The day a unit ceased (dissolved, merged) — two "Sở Nội vụ" are told apart by it.
    pub valid_to: Option<NaiveDate>,
}

/// Units (by name or alias), plans (by title or number) and tasks (by content, or by their
/// reference such as "PL.6") matching `text` without diacritics or case; units first.
pub async fn search(
    db: &Db,
    text: &str,
    province_id: Option<Id>,
    limit: i64,
) -> Result<Vec<SearchHit>> {
    let key = tinhgon_textkit::search_key(text);
    let pattern = format!("%{}%", key.replace(['\\', '%', '_'], ""));
    let reference = text.trim().to_lowercase();
    let rows: Vec<SearchHit> = query(
            "SELECT * FROM (\
             SELECT 'unit' AS kind, id, name AS label, kind AS detail, CAST(NULL AS BIGINT) AS plan_id, valid_to FROM units WHERE (folded_name LIKE $1 OR id IN (SELECT unit_id FROM unit_aliases WHERE folded_alias LIKE $1)) AND ($3 IS NULL OR province_id = $3 OR id = $3) \
             UNION ALL SELECT 'plan', id, COALESCE(number, title, ''), COALESCE(title, ''), NULL, NULL FROM plans WHERE (folded_title LIKE $1 OR LOWER(COALESCE(number, '')) LIKE $1) AND ($3 IS NULL OR province_id = $3) \
             UNION ALL SELECT 'task', t.id, COALESCE(p.number, '') || ' – ' || t.ref, t.content, t.plan_id, NULL FROM tasks t JOIN plans p ON p.id = t.plan_id WHERE (t.folded_content LIKE $1 OR LOWER(t.ref) = $4) AND ($3 IS NULL OR p.province_id = $3) \
             ) s ORDER BY kind DESC, (valid_to IS NOT NULL), label, id LIMIT $2",
        )
        .bind(&pattern)
        .bind(limit)
        .bind(province_id)
        .bind(&reference)
        .fetch_all(db)
        .await?;
    Ok(rows)
}

/// Row counts of every table: the rights test compares them before and after a refused call.
pub async fn table_fingerprint(db: &Db) -> Result<Vec<(String, i64)>> {
    const TABLES: &[&str] = &[
        "units",
        "plans",
        "tasks",
        "task_coordinators",
        "assignments",
        "status_changes",
        "progress_reports",
        "evidence",
        "extension_requests",
        "obstacles",
        "reminders",
        "contributions",
        "users",
        "api_tokens",
        "audit_log",
        "notifications",
        "report_schedules",
        "report_requests",
        "agency_reports",
        "staffing_quotas",
        "staffing_headcounts",
        "staffing_leadership",
        "staffing_secondments",
        "staffing_leavers",
        "staffing_targets",
        "calendar_feeds",
        "assignment_comments",
        "plan_changes",
        "saved_filters",
        "obstacle_referrals",
        "job_positions",
        "restructuring_events",
        "scenarios",
        "scenario_events",
    ];
    let mut out = Vec::new();
    for t in TABLES {
        let n: i64 = query(&format!("SELECT COUNT(*) FROM {t}"))
            .scalar(db)
            .await?;
        out.push((t.to_string(), n));
    }
    // Updates leave counts alone: fingerprint the mutable columns too.
    let states: Vec<(String,)> = query(
        "SELECT CAST(id AS TEXT) || ':' || status || ':' || COALESCE(CAST(due AS TEXT), '') FROM assignments \
         UNION ALL SELECT 'p' || CAST(id AS TEXT) || ':' || state || ':' || CAST(public AS TEXT) || ':' || draft_json || ':' || COALESCE(CAST(parent_task_id AS TEXT), '') || ':' || COALESCE(review_state, '') FROM plans \
         UNION ALL SELECT 'u' || CAST(id AS TEXT) || ':' || CAST(active AS TEXT) || ':' || password_hash || ':' || display_name || ':' || role || ':' || COALESCE(CAST(unit_id AS TEXT), '') || ':' || COALESCE(email, '') FROM users \
         UNION ALL SELECT 'e' || CAST(id AS TEXT) || ':' || state FROM extension_requests \
         UNION ALL SELECT 'o' || CAST(id AS TEXT) || ':' || state FROM obstacles \
         UNION ALL SELECT 't' || CAST(id AS TEXT) || ':' || COALESCE(CAST(triggered_on AS TEXT), '') FROM tasks \
         UNION ALL SELECT 'q' || CAST(id AS TEXT) || ':' || state FROM report_requests \
         UNION ALL SELECT 'a' || CAST(id AS TEXT) || ':' || content_json || ':' || COALESCE(CAST(superseded_by AS TEXT), '') FROM agency_reports \
         UNION ALL SELECT 's' || CAST(id AS TEXT) || ':' || CAST(active AS TEXT) FROM report_schedules \
         UNION ALL SELECT 'j' || CAST(id AS TEXT) || ':' || CAST(people AS TEXT) || ':' || title || ':' || position_group FROM job_positions"
    ).fetch_all(db).await?;
    let mut states: Vec<String> = states.into_iter().map(|(s,)| s).collect();
    states.sort();
    let mut h = 0u64;
    for s in states {
        for b in s.bytes() {
            h = h.wrapping_mul(1099511628211).wrapping_add(u64::from(b));
        }
        h = h.rotate_left(7);
    }
    out.push(("state_hash".into(), h as i64));
    Ok(out)
}

/// The plan a task belongs to: (plan id, number).
pub async fn task_plan(db: &Db, task_id: Id) -> Result<Option<(i64, Option<String>)>> {
    query("SELECT p.id, p.number FROM tasks t JOIN plans p ON p.id = t.plan_id WHERE t.id = $1")
        .bind(task_id)
        .fetch_optional(db)
        .await
}

/// Unit ids coordinating a task.
pub async fn task_coordinator_units(db: &Db, task_id: Id) -> Result<Vec<Id>> {
    query("SELECT unit_id FROM task_coordinators WHERE task_id = $1 AND unit_id IS NOT NULL")
        .bind(task_id)
        .scalars(db)
        .await
}

#[cfg(test)]
mod tests {
    use super::by_name;

    #[test]
    fn units_sort_in_vietnamese_alphabetical_order() {
        let mut rows: Vec<(i64, String)> = [
            "Yên Thành",
            "Bình Minh",
            "Đô Lương",
            "Bích Hào",
            "Diễn Châu",
            "Bạch Hà",
        ]
        .iter()
        .enumerate()
        .map(|(i, n)| (i as i64, n.to_string()))
        .collect();
        by_name(&mut rows);
        let names: Vec<&str> = rows.iter().map(|(_, n)| n.as_str()).collect();
        assert_eq!(
            names,
            [
                "Bạch Hà",
                "Bích Hào",
                "Bình Minh",
                "Diễn Châu",
                "Đô Lương",
                "Yên Thành"
            ]
        );
    }
}
