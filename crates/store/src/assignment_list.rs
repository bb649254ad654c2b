//! The task list across plans (danh sách nhiệm vụ) for monitors and leaders: the assignments
//! of a province on a day with their class that day (read from the class-interval table, the
//! dashboard's rule), filtered and sorted in SQL, one page at a time, with the number of rows
//! over all pages.

use chrono::NaiveDate;
use tinhgon_domain::class::StatusClass;
use tinhgon_domain::model::Id;

use crate::error::{Result, StoreError};
use crate::inbox::MAX_PER_PAGE;
use crate::tx::{query, Arg};
use crate::web_queries::{WorkRow, WORK_COLUMNS};
use crate::Db;

/// How a unit takes part in the listed assignments.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum UnitRole {
    /// The unit leads them (holds the assignment).
    #[default]
    Lead,
    /// The unit coordinates their tasks.
    Coordinating,
}

/// The order of the list.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum SortBy {
    /// Due date, undated last (the default).
    #[default]
    Due,
    /// Plan (newest first), then task order.
    Plan,
    /// Responsible unit's name.
    Unit,
    /// Class, then due date.
    Class,
}

/// What the list keeps (all `None`: every assignment of the province that day).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListFilter {
    /// Only this province's assignments (None: the whole installation).
    pub province: Option<Id>,
    /// Only this plan's.
    pub plan: Option<Id>,
    /// Only those this unit leads or coordinates (see `role`).
    pub unit: Option<Id>,
    /// How `unit` takes part.
    pub role: UnitRole,
    /// Only this class on the day.
    pub class: Option<StatusClass>,
    /// Only those due on or after this day.
    pub due_from: Option<NaiveDate>,
    /// Only those due on or before this day.
    pub due_to: Option<NaiveDate>,
    /// Only those overdue on the day whose due date is before this day ("quá hạn từ trước ngày").
    pub overdue_since: Option<NaiveDate>,
    /// Only those whose task content contains this search key (`textkit::search_key`), or
    /// whose reference is `reference`.
    pub text: Option<String>,
    /// The typed text in lower case, matched against task references ("pl.6").
    pub reference: Option<String>,
}

/// One listed assignment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListLine {
    /// The assignment as lists show it.
    pub work: WorkRow,
    /// Its class on the day.
    pub class: StatusClass,
    /// The responsible unit's name.
    pub unit: String,
}

/// One page of the list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListPage {
    /// Rows the filters keep (all pages).
    pub total: u64,
    /// This page's rows.
    pub lines: Vec<ListLine>,
}

#[derive(sqlx::FromRow)]
struct Raw {
    #[sqlx(flatten)]
    work: WorkRow,
    class: String,
    unit_name: String,
    total: i64,
}

/// The tables joined besides the assignment and its interval: what the filters do not need,
/// only an order by plan does; the count needs none.
#[derive(Clone, Copy, Default, PartialEq, Eq)]
struct Joins {
    tasks_and_plans: bool,
}

/// The FROM and WHERE shared by the page and its count (`$1` is the day).
fn from_where(f: &ListFilter, binds: &mut Vec<Arg>, joins: Joins) -> String {
    let mut next = |a: Arg| {
        binds.push(a);
        format!("${}", binds.len() + 1)
    };
    let mut w = String::from(
        " FROM assignments a JOIN assignment_class_intervals i ON i.assignment_id = a.id \
         AND i.unit_id = a.unit_id AND i.from_day <= $1 AND i.to_day > $1",
    );
    if joins.tasks_and_plans {
        w.push_str(" JOIN tasks t ON t.id = a.task_id JOIN plans p ON p.id = a.plan_id");
    }
    w.push_str(" WHERE 1 = 1");
    let mut province = None;
    if let Some(p) = f.province {
        // Both sides named: the province's intervals index can then lead a class filter.
        let n = next(Arg::from(p));
        w.push_str(&format!(" AND a.province_id = {n} AND i.province_id = {n}"));
        province = Some(n);
    }
    if let Some(p) = f.plan {
        w.push_str(&format!(" AND a.plan_id = {}", next(Arg::from(p))));
    }
    if let Some(u) = f.unit {
        let n = next(Arg::from(u));
        match f.role {
            UnitRole::Lead => w.push_str(&format!(" AND a.unit_id = {n}")),
            UnitRole::Coordinating => w.push_str(&format!(
                " AND a.task_id IN (SELECT c.task_id FROM task_coordinators c WHERE c.unit_id = {n})"
            )),
        }
    }
    if let Some(c) = f.class {
        w.push_str(&format!(" AND i.class = {}", next(Arg::from(c.as_str()))));
    }
    if let Some(d) = f.due_from {
        w.push_str(&format!(" AND a.due >= {}", next(Arg::from(d))));
    }
    if let Some(d) = f.due_to {
        w.push_str(&format!(" AND a.due <= {}", next(Arg::from(d))));
    }
    if let Some(d) = f.overdue_since {
        w.push_str(&format!(
            " AND i.class = 'overdue' AND a.due < {}",
            next(Arg::from(d))
        ));
    }
    if let Some(text) = &f.text {
        let pattern = format!("%{}%", text.replace(['\\', '%', '_'], ""));
        let n = next(Arg::from(pattern));
        let r = next(Arg::from(f.reference.clone().unwrap_or_default()));
        // The matching tasks first, among the province's plans only: a few thousand task
        // texts to scan instead of every assignment's task.
        let within = province.map_or_else(String::new, |p| format!(" AND p2.province_id = {p}"));
        w.push_str(&format!(
            " AND a.task_id IN (SELECT t2.id FROM plans p2 JOIN tasks t2 ON t2.plan_id = p2.id \
             WHERE (t2.folded_content LIKE {n} OR LOWER(t2.ref) = {r}){within})"
        ));
    }
    w
}

/// How many rows the filters keep on `day`. A province's list by class alone (the
/// dashboard's cards lead there) is counted from its class intervals, as the dashboard counts.
async fn count(db: &Db, day: NaiveDate, f: &ListFilter) -> Result<u64> {
    let only_class = f.plan.is_none()
        && f.unit.is_none()
        && f.due_from.is_none()
        && f.due_to.is_none()
        && f.overdue_since.is_none()
        && f.text.is_none();
    let n: i64 = match (f.province, only_class) {
        (Some(p), true) => {
            const SQL: &str = "SELECT COUNT(*) FROM assignment_class_intervals i \
                 WHERE i.province_id = $2 AND i.from_day <= $1 AND i.to_day > $1";
            match f.class {
                Some(c) => {
                    query(&format!("{SQL} AND i.class = $3"))
                        .bind(day)
                        .bind(p)
                        .bind(c.as_str())
                        .scalar(db)
                        .await?
                }
                None => query(SQL).bind(day).bind(p).scalar(db).await?,
            }
        }
        _ => {
            let mut binds = Vec::new();
            let body = from_where(f, &mut binds, Joins::default());
            query(&format!("SELECT COUNT(*){body}"))
                .bind(day)
                .bind_all(binds)
                .scalar(db)
                .await?
        }
    };
    Ok(u64::try_from(n).unwrap_or(0))
}

/// Page `page` (from 1) of `per_page` rows of the list on `day`, in `sort` order.
pub async fn page(
    db: &Db,
    day: NaiveDate,
    filter: &ListFilter,
    sort: SortBy,
    page: u32,
    per_page: u32,
) -> Result<ListPage> {
    let mut binds = Vec::new();
    let joins = Joins {
        tasks_and_plans: sort == SortBy::Plan,
    };
    let body = from_where(filter, &mut binds, joins);
    // The outer query has the unit joined; the page's ids are sorted without that join: a
    // planner that misjudges the filtered rows as one (a text filter) scanned every unit once
    // per row (1 s on PostgreSQL); a lookup per row is a few milliseconds.
    let (inner_order, outer_order) = match sort {
        SortBy::Due => ("a.due NULLS LAST, a.id", "a.due NULLS LAST, a.id"),
        SortBy::Plan => (
            "p.created_at DESC, p.id DESC, t.position, a.id",
            "p.created_at DESC, p.id DESC, t.position, a.id",
        ),
        SortBy::Unit => (
            "(SELECT u.name FROM units u WHERE u.id = a.unit_id), a.due NULLS LAST, a.id",
            "u.name, a.due NULLS LAST, a.id",
        ),
        SortBy::Class => (
            "i.class, a.due NULLS LAST, a.id",
            "i.class, a.due NULLS LAST, a.id",
        ),
    };
    let per_page = per_page.clamp(1, MAX_PER_PAGE);
    let offset = i64::from(page.max(1) - 1) * i64::from(per_page);
    let n = binds.len() + 1;
    // The page's ids first, sorted on the few columns the order needs; the row's columns (and
    // their per-row subqueries) only for the rows shown. The number of rows over all pages
    // comes with them (a window before the LIMIT), so the filters run once, not twice.
    let sql = format!(
        "SELECT {WORK_COLUMNS}, i.class AS class, u.name AS unit_name, k.total AS total FROM \
         (SELECT a.id AS id, COUNT(*) OVER () AS total{body} \
         ORDER BY {inner_order} LIMIT ${} OFFSET ${}) k JOIN assignments a ON a.id = k.id \
         JOIN assignment_class_intervals i ON i.assignment_id = a.id AND i.unit_id = a.unit_id \
         AND i.from_day <= $1 AND i.to_day > $1 \
         JOIN tasks t ON t.id = a.task_id JOIN plans p ON p.id = a.plan_id JOIN units u ON u.id = a.unit_id \
         ORDER BY {outer_order}",
        n + 1,
        n + 2
    );
    let rows: Vec<Raw> = query(&sql)
        .bind(day)
        .bind_all(binds.clone())
        .bind(i64::from(per_page))
        .bind(offset)
        .fetch_all(db)
        .await?;
    let total = match rows.first() {
        Some(r) => u64::try_from(r.total).unwrap_or(0),
        None if offset == 0 => 0,
        // A page past the end still says how many rows there are.
        None => count(db, day, filter).await?,
    };
    let lines = rows
        .into_iter()
        .map(|r| {
            Ok(ListLine {
                class: StatusClass::parse(&r.class)
                    .ok_or_else(|| StoreError::Corrupt(format!("lớp trạng thái {}", r.class)))?,
                work: r.work,
                unit: r.unit_name,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(ListPage { total, lines })
}

/// The coordinating agencies of tasks, by task, as their names (the register's name when the
/// mention was mapped, else the words of the plan).
pub async fn coordinators_of(
    db: &Db,
    task_ids: &[Id],
) -> Result<std::collections::HashMap<Id, Vec<String>>> {
    let mut out: std::collections::HashMap<Id, Vec<String>> = std::collections::HashMap::new();
    for chunk in task_ids.chunks(500) {
        let marks: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
        let rows: Vec<(i64, String)> = query(&format!(
            "SELECT c.task_id, COALESCE(u.name, c.agency_text) FROM task_coordinators c \
             LEFT JOIN units u ON u.id = c.unit_id WHERE c.task_id IN ({}) ORDER BY c.id",
            marks.join(", ")
        ))
        .bind_all(chunk.iter().copied())
        .fetch_all(db)
        .await?;
        for (t, name) in rows {
            out.entry(t).or_default().push(name);
        }
    }
    Ok(out)
}
