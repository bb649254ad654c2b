//! The calendar of deadlines (lịch hạn nhiệm vụ): the due dates a person sees in a month, each
//! with its status class on the day, for the month grid of the calendar page and for the
//! private iCalendar feed ([`feed`]). An officer sees its unit's work, as lead and as
//! coordinator; monitors, administrators and leaders see their province's, filtered by plan
//! and unit as in the task list.

pub mod feed;
pub mod ics;

use chrono::{Datelike, Days, NaiveDate};
use serde::Deserialize;
use tinhgon_domain::class::StatusClass;
use tinhgon_domain::model::Id;
use tinhgon_domain::user::{Role, User};
use tinhgon_store::assignment_list::{self, ListFilter, SortBy, UnitRole};
use tinhgon_store::inbox::MAX_PER_PAGE;
use tinhgon_store::Db;

use crate::error::{AppError, Result};
use crate::task_list::TaskListQuery;

/// Most deadlines one month shows (a province's whole month fits far below it).
pub const MONTH_MAX: usize = 3000;

/// The calendar page's query (every field optional).
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(default)]
pub struct CalendarQuery {
    /// Month, `yyyy-mm` (the current month when empty).
    pub month: String,
    /// Plan id (monitors, leaders and officers).
    pub plan: String,
    /// Unit id (monitors and leaders; an officer always sees its own unit).
    pub unit: String,
    /// How `unit` takes part: `lead` (default) or `coordinating`.
    pub role: String,
}

/// A calendar month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Month {
    /// Year.
    pub year: i32,
    /// Month, 1–12.
    pub month: u32,
}

impl Month {
    /// The month holding `day`.
    pub fn of(day: NaiveDate) -> Month {
        Month {
            year: day.year(),
            month: day.month(),
        }
    }

    /// `yyyy-mm`, within the years dates are accepted for.
    pub fn parse(s: &str) -> Option<Month> {
        let (y, m) = s.trim().split_once('-')?;
        let year: i32 = y.parse().ok()?;
        let month: u32 = m.parse().ok()?;
        ((1900..=2200).contains(&year) && (1..=12).contains(&month))
            .then_some(Month { year, month })
    }

    /// Its first day.
    pub fn first(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).unwrap_or_default()
    }

    /// Its last day.
    pub fn last(self) -> NaiveDate {
        self.next().first().pred_opt().unwrap_or_default()
    }

    /// The month before.
    pub fn prev(self) -> Month {
        if self.month == 1 {
            Month {
                year: self.year - 1,
                month: 12,
            }
        } else {
            Month {
                month: self.month - 1,
                ..self
            }
        }
    }

    /// The month after.
    pub fn next(self) -> Month {
        if self.month == 12 {
            Month {
                year: self.year + 1,
                month: 1,
            }
        } else {
            Month {
                month: self.month + 1,
                ..self
            }
        }
    }

    /// `yyyy-mm`, as the page's links carry it.
    pub fn key(self) -> String {
        format!("{:04}-{:02}", self.year, self.month)
    }

    /// "Tháng 12/2026".
    pub fn label(self) -> String {
        format!("Tháng {}/{}", self.month, self.year)
    }

    /// The weeks the month grid shows, Monday first: from the Monday on or before the 1st to
    /// the Sunday on or after the last day.
    pub fn weeks(self) -> Vec<[NaiveDate; 7]> {
        let first = self.first();
        let start = first - Days::new(u64::from(first.weekday().num_days_from_monday()));
        let last = self.last();
        let mut weeks = Vec::new();
        let mut day = start;
        while day <= last {
            let mut week = [day; 7];
            for (i, d) in week.iter_mut().enumerate() {
                *d = day + Days::new(i as u64);
            }
            weeks.push(week);
            day = day + Days::new(7);
        }
        weeks
    }
}

/// Vietnamese names of the days, Monday first ("Thứ Hai" … "Chủ nhật").
pub const DAY_NAMES: [&str; 7] = [
    "Thứ Hai",
    "Thứ Ba",
    "Thứ Tư",
    "Thứ Năm",
    "Thứ Sáu",
    "Thứ Bảy",
    "Chủ nhật",
];

/// The Vietnamese name of `day`'s weekday.
pub fn day_name(day: NaiveDate) -> &'static str {
    DAY_NAMES[day.weekday().num_days_from_monday() as usize]
}

/// One deadline on the calendar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deadline {
    /// The assignment.
    pub assignment: Id,
    /// Its due date in force.
    pub due: NaiveDate,
    /// Plan number (empty when the plan has none).
    pub plan: String,
    /// Task reference within the plan.
    pub task_ref: String,
    /// Task content.
    pub content: String,
    /// Lead unit.
    pub unit: String,
    /// Status class on the day asked.
    pub class: StatusClass,
    /// True when the viewer's unit coordinates the task rather than leading it.
    pub coordinating: bool,
}

/// What a month of the calendar holds.
#[derive(Debug, Clone)]
pub struct MonthView {
    /// The month.
    pub month: Month,
    /// Its deadlines, by due date.
    pub deadlines: Vec<Deadline>,
    /// True when more than [`MONTH_MAX`] were due (the rest are not shown).
    pub truncated: bool,
}

/// Who sees which deadlines: an officer its unit's (as lead and as coordinator), the others
/// their province's through the task list's filter.
fn filters(
    user: &User,
    province: Option<Id>,
    plan: Option<Id>,
    base: &ListFilter,
) -> Result<Vec<(ListFilter, bool)>> {
    if !user.active {
        return Err(AppError::Forbidden);
    }
    match user.role {
        Role::AgencyOfficer => {
            let unit = user.unit_id.ok_or(AppError::Forbidden)?;
            let own = |role| ListFilter {
                province,
                plan,
                unit: Some(unit),
                role,
                ..ListFilter::default()
            };
            Ok(vec![
                (own(UnitRole::Lead), false),
                (own(UnitRole::Coordinating), true),
            ])
        }
        Role::Admin | Role::Monitor | Role::Leader => Ok(vec![(base.clone(), false)]),
    }
}

/// The deadlines `user` sees in `province` (the viewer's; None for an installation-wide
/// account) due from `from` to `to` (inclusive), classed on `today`, at most `limit`; the flag
/// tells when some were left out.
#[allow(clippy::too_many_arguments)]
pub async fn deadlines(
    db: &Db,
    user: &User,
    province: Option<Id>,
    query: &CalendarQuery,
    from: NaiveDate,
    to: NaiveDate,
    today: NaiveDate,
    limit: usize,
) -> Result<(Vec<Deadline>, bool)> {
    let list = TaskListQuery {
        plan: query.plan.clone(),
        unit: query.unit.clone(),
        role: query.role.clone(),
        ..TaskListQuery::default()
    }
    .parse(province)?;
    let mut out: Vec<Deadline> = Vec::new();
    let mut truncated = false;
    for (mut filter, coordinating) in filters(user, province, list.filter.plan, &list.filter)? {
        filter.due_from = Some(from);
        filter.due_to = Some(to);
        let mut page = 1;
        loop {
            let p =
                assignment_list::page(db, today, &filter, SortBy::Due, page, MAX_PER_PAGE).await?;
            let n = p.lines.len();
            for l in p.lines {
                let Some(due) = l.work.due else { continue };
                // A unit leading and coordinating the same task sees it once, as lead.
                if out.iter().any(|d| d.assignment == l.work.id) {
                    continue;
                }
                out.push(Deadline {
                    assignment: l.work.id,
                    due,
                    plan: l.work.plan_number.clone().unwrap_or_default(),
                    task_ref: l.work.task_ref.clone(),
                    content: l.work.content.clone(),
                    unit: l.unit,
                    class: l.class,
                    coordinating,
                });
            }
            if out.len() > limit {
                truncated = true;
                break;
            }
            if n < MAX_PER_PAGE as usize {
                break;
            }
            page += 1;
        }
    }
    out.sort_by_key(|d| (d.due, d.assignment));
    out.truncate(limit);
    Ok((out, truncated))
}

/// The month of `query` (this month when it names none) for `user` in `province`, classed on
/// `today`.
pub async fn month(
    db: &Db,
    user: &User,
    province: Option<Id>,
    query: &CalendarQuery,
    today: NaiveDate,
) -> Result<MonthView> {
    let month = match query.month.trim() {
        "" => Month::of(today),
        s => Month::parse(s).ok_or_else(|| {
            AppError::invalid("month", "Tháng không hợp lệ (năm-tháng, ví dụ 2026-12).")
        })?,
    };
    let (deadlines, truncated) = deadlines(
        db,
        user,
        province,
        query,
        month.first(),
        month.last(),
        today,
        MONTH_MAX,
    )
    .await?;
    Ok(MonthView {
        month,
        deadlines,
        truncated,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_month_grid_starts_on_monday_and_covers_every_day() {
        let m = Month::parse("2026-12").unwrap();
        let weeks = m.weeks();
        // 1/12/2026 is a Tuesday, 31/12/2026 a Thursday.
        assert_eq!(weeks[0][0], NaiveDate::from_ymd_opt(2026, 11, 30).unwrap());
        assert_eq!(
            weeks.last().unwrap()[6],
            NaiveDate::from_ymd_opt(2027, 1, 3).unwrap()
        );
        assert_eq!(weeks.len(), 5);
        assert!(weeks.iter().all(|w| day_name(w[0]) == "Thứ Hai"));
        assert_eq!(m.prev().key(), "2026-11");
        assert_eq!(m.next().key(), "2027-01");
        assert_eq!(Month::parse("2027-01").unwrap().prev().key(), "2026-12");
        assert_eq!(m.last(), NaiveDate::from_ymd_opt(2026, 12, 31).unwrap());
        assert_eq!(m.label(), "Tháng 12/2026");
    }

    #[test]
    fn only_real_months_parse() {
        for bad in ["2026-13", "2026-0", "12-2026", "abc", "", "99999-01"] {
            assert_eq!(Month::parse(bad), None, "{bad}");
        }
        assert_eq!(
            Month::parse(" 2026-2 "),
            Some(Month {
                year: 2026,
                month: 2
            })
        );
    }
}
