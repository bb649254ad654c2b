//! The task list across plans (danh sách nhiệm vụ): what monitors and leaders of a province
//! open from the dashboard's cards and counts to see every assignment a filter keeps, sort it,
//! page through it and export it. Pages, the JSON API and the exports read it through here.

use chrono::NaiveDate;
use serde::Deserialize;
use tinhgon_domain::class::StatusClass;
use tinhgon_domain::model::Id;
use tinhgon_domain::user::{Role, User};
use tinhgon_store::assignment_list::{self, ListFilter, ListPage, SortBy, UnitRole};
use tinhgon_store::Db;

use crate::error::{AppError, Result};
use crate::input;

/// Rows per page when the request does not say.
pub const PER_PAGE_DEFAULT: u32 = 50;

/// The filters as a form or a query string gives them (every field optional).
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(default)]
pub struct TaskListQuery {
    /// Plan id.
    pub plan: String,
    /// A published plan's number ("615/KH-UBND"), which wins over `plan`: a province has
    /// more plans than a picker can hold.
    pub plan_number: String,
    /// Unit id.
    pub unit: String,
    /// `lead` (default) or `coordinating`.
    pub role: String,
    /// Status class (`overdue`, `in_progress` …).
    pub class: String,
    /// Due on or after (dd/mm/yyyy).
    pub due_from: String,
    /// Due on or before (dd/mm/yyyy).
    pub due_to: String,
    /// Overdue with a due date before (dd/mm/yyyy).
    pub overdue_since: String,
    /// Text in the task's content or reference.
    pub q: String,
    /// `due` (default), `plan`, `unit` or `class`.
    pub sort: String,
    /// Page, from 1.
    pub page: String,
    /// Rows per page (1–200).
    pub per_page: String,
}

/// A parsed request: the store's filter, the order and the page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskListRequest {
    /// What to keep.
    pub filter: ListFilter,
    /// Order.
    pub sort: SortBy,
    /// Page, from 1.
    pub page: u32,
    /// Rows per page.
    pub per_page: u32,
}

fn id(field: &'static str, value: &str, message: &str) -> Result<Option<Id>> {
    match value.trim() {
        "" => Ok(None),
        s => s
            .parse::<Id>()
            .map(Some)
            .map_err(|_| AppError::invalid(field, message)),
    }
}

fn number(field: &'static str, value: &str, default: u32, max: u32) -> Result<u32> {
    match value.trim() {
        "" => Ok(default),
        s => s
            .parse::<u32>()
            .ok()
            .filter(|n| (1..=max).contains(n))
            .ok_or_else(|| AppError::invalid(field, format!("Số phải từ 1 đến {max}."))),
    }
}

impl TaskListQuery {
    /// The typed request, or the first field that is wrong (in Vietnamese).
    pub fn parse(&self, province: Option<Id>) -> Result<TaskListRequest> {
        let class = match self.class.trim() {
            "" => None,
            s => Some(
                StatusClass::parse(s)
                    .ok_or_else(|| AppError::invalid("class", "Tình trạng không hợp lệ."))?,
            ),
        };
        let role = match self.role.trim() {
            "" | "lead" => UnitRole::Lead,
            "coordinating" => UnitRole::Coordinating,
            _ => {
                return Err(AppError::invalid(
                    "role",
                    "Vai trò của đơn vị không hợp lệ.",
                ))
            }
        };
        let sort = match self.sort.trim() {
            "" | "due" => SortBy::Due,
            "plan" => SortBy::Plan,
            "unit" => SortBy::Unit,
            "class" => SortBy::Class,
            _ => return Err(AppError::invalid("sort", "Cách sắp xếp không hợp lệ.")),
        };
        let date = |field: &'static str, v: &str| -> Result<Option<NaiveDate>> {
            input::date_or_empty(field, v, "Ngày không hợp lệ (dd/mm/yyyy).")
        };
        let due_from = date("due_from", &self.due_from)?;
        let due_to = date("due_to", &self.due_to)?;
        if let (Some(a), Some(b)) = (due_from, due_to) {
            if a > b {
                return Err(AppError::invalid(
                    "due_to",
                    "Ngày cuối của khoảng hạn phải sau ngày đầu.",
                ));
            }
        }
        let text = tinhgon_textkit::search_key(&self.q);
        Ok(TaskListRequest {
            filter: ListFilter {
                province,
                plan: id("plan", &self.plan, "Kế hoạch không hợp lệ.")?,
                unit: id("unit", &self.unit, "Đơn vị không hợp lệ.")?,
                role,
                class,
                due_from,
                due_to,
                overdue_since: date("overdue_since", &self.overdue_since)?,
                text: (!text.is_empty()).then_some(text),
                reference: Some(self.q.trim().to_lowercase()).filter(|r| !r.is_empty()),
            },
            sort,
            page: number("page", &self.page, 1, u32::MAX)?,
            per_page: number(
                "per_page",
                &self.per_page,
                PER_PAGE_DEFAULT,
                tinhgon_store::inbox::MAX_PER_PAGE,
            )?,
        })
    }
}

impl TaskListQuery {
    /// The query string of these filters with `sort` and `page` (page 1 and empty values left
    /// out): what the list's links, its exports and saved filters carry.
    pub fn query_string(&self, sort: &str, page: u32) -> String {
        let mut s = form_urlencoded::Serializer::new(String::new());
        for (k, v) in [
            ("plan", self.plan.as_str()),
            ("plan_number", self.plan_number.as_str()),
            ("unit", self.unit.as_str()),
            ("role", self.role.as_str()),
            ("class", self.class.as_str()),
            ("due_from", self.due_from.as_str()),
            ("due_to", self.due_to.as_str()),
            ("overdue_since", self.overdue_since.as_str()),
            ("q", self.q.as_str()),
            ("sort", sort),
            ("per_page", self.per_page.as_str()),
        ] {
            if !v.trim().is_empty() {
                s.append_pair(k, v.trim());
            }
        }
        if page > 1 {
            s.append_pair("page", &page.to_string());
        }
        s.finish()
    }
}

/// Who may open the list: monitors, administrators and leaders (an agency works from its own
/// "Việc của tôi").
pub(crate) fn may_list(user: &User) -> bool {
    user.active && matches!(user.role, Role::Admin | Role::Monitor | Role::Leader)
}

/// One page of the list for `user` in `province` (the viewer's; None for an
/// installation-wide account) on `day`.
pub async fn list(
    db: &Db,
    user: &User,
    province: Option<Id>,
    query: &TaskListQuery,
    day: NaiveDate,
) -> Result<(TaskListRequest, ListPage)> {
    if !may_list(user) {
        return Err(AppError::Forbidden);
    }
    let req = request(db, province, query).await?;
    let page =
        assignment_list::page(db, day, &req.filter, req.sort, req.page, req.per_page).await?;
    Ok((req, page))
}

/// The typed request, with a plan given by its number looked up among the province's
/// published plans.
async fn request(db: &Db, province: Option<Id>, query: &TaskListQuery) -> Result<TaskListRequest> {
    let mut req = query.parse(province)?;
    let number = query.plan_number.trim();
    if !number.is_empty() {
        match tinhgon_store::dash_cache::published_plan_by_number(db, province, number).await? {
            Some((id, _, _)) => req.filter.plan = Some(id),
            None => {
                return Err(AppError::invalid(
                    "plan_number",
                    format!("Không tìm thấy kế hoạch đã ban hành số \"{number}\" của tỉnh."),
                ))
            }
        }
    }
    Ok(req)
}

/// Every row the filters keep (for the XLSX and CSV exports), at most `limit`, in list order.
pub async fn all(
    db: &Db,
    user: &User,
    province: Option<Id>,
    query: &TaskListQuery,
    day: NaiveDate,
    limit: u32,
) -> Result<ListPage> {
    if !may_list(user) {
        return Err(AppError::Forbidden);
    }
    let req = request(db, province, query).await?;
    let mut lines = Vec::new();
    let mut total = 0;
    let mut page = 1;
    let per = tinhgon_store::inbox::MAX_PER_PAGE;
    while lines.len() < limit as usize {
        let p = assignment_list::page(db, day, &req.filter, req.sort, page, per).await?;
        total = p.total;
        let n = p.lines.len();
        lines.extend(p.lines);
        if n < per as usize {
            break;
        }
        page += 1;
    }
    lines.truncate(limit as usize);
    Ok(ListPage { total, lines })
}

/// Most rows an export holds (the XLSX continues on further sheets beyond a sheet's limit).
pub const EXPORT_MAX: u32 = 100_000;

/// The rows of the XLSX and CSV exports: every row the filters keep, in list order, with the
/// coordinating agencies of each task.
pub async fn export_rows(
    db: &Db,
    user: &User,
    province: Option<Id>,
    query: &TaskListQuery,
    day: NaiveDate,
) -> Result<Vec<tinhgon_reports::TaskRow>> {
    let page = all(db, user, province, query, day, EXPORT_MAX).await?;
    let mut tasks: Vec<Id> = page.lines.iter().map(|l| l.work.task_id).collect();
    tasks.sort_unstable();
    tasks.dedup();
    let coords = assignment_list::coordinators_of(db, &tasks).await?;
    Ok(page
        .lines
        .into_iter()
        .map(|l| tinhgon_reports::TaskRow {
            reference: format!(
                "{} {}",
                l.work.plan_number.clone().unwrap_or_default(),
                l.work.task_ref
            )
            .trim()
            .to_string(),
            content: l.work.content.clone(),
            lead: l.unit,
            coordinating: coords
                .get(&l.work.task_id)
                .map(|c| c.join("; "))
                .unwrap_or_default(),
            deadline_text: l.work.deadline_text.clone(),
            due: l.work.due,
            class: l.class,
            completed_on: l.work.done_on,
            latest_progress: l.work.percent.map(|p| format!("{p}%")),
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_query_parses_into_the_store_filter_or_names_the_wrong_field() {
        let q = TaskListQuery {
            class: "overdue".into(),
            due_from: "01/01/2025".into(),
            due_to: "31/12/2025".into(),
            q: "Rà soát".into(),
            role: "coordinating".into(),
            unit: "12".into(),
            ..TaskListQuery::default()
        };
        let r = q.parse(Some(1)).unwrap();
        assert_eq!(r.filter.class, Some(StatusClass::Overdue));
        assert_eq!(r.filter.role, UnitRole::Coordinating);
        assert_eq!(r.filter.text.as_deref(), Some("ra soat"));
        assert_eq!((r.page, r.per_page), (1, PER_PAGE_DEFAULT));
        for (bad, field) in [
            (
                TaskListQuery {
                    class: "late".into(),
                    ..TaskListQuery::default()
                },
                "class",
            ),
            (
                TaskListQuery {
                    due_from: "31/02/2025".into(),
                    ..TaskListQuery::default()
                },
                "due_from",
            ),
            (
                TaskListQuery {
                    due_from: "02/01/2025".into(),
                    due_to: "01/01/2025".into(),
                    ..TaskListQuery::default()
                },
                "due_to",
            ),
            (
                TaskListQuery {
                    per_page: "1000".into(),
                    ..TaskListQuery::default()
                },
                "per_page",
            ),
            (
                TaskListQuery {
                    sort: "x".into(),
                    ..TaskListQuery::default()
                },
                "sort",
            ),
            (
                TaskListQuery {
                    plan: "abc".into(),
                    ..TaskListQuery::default()
                },
                "plan",
            ),
        ] {
            match bad.parse(None) {
                Err(AppError::Invalid { field: f, .. }) => assert_eq!(f, field),
                other => panic!("{field}: {other:?}"),
            }
        }
    }
}
