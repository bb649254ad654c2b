//! The officer's inbox ("Việc của tôi"): its filters parsed from the address, and one page of
//! the unit's assignments, filtered and paged in the database.

use chrono::NaiveDate;
use tinhgon_domain::class::StatusClass;
use tinhgon_domain::ids::UnitId;
use tinhgon_domain::model::Id;
use tinhgon_store::inbox::{self as store, InboxFilter, InboxPage, Paging};
use tinhgon_store::Db;

use crate::error::{AppError, Result};
use crate::input;

fn given(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// The filters of a query (400 with a Vietnamese message on a bad value).
pub fn parse_filter(
    class: &Option<String>,
    due_before: &Option<String>,
    plan: &Option<String>,
) -> Result<InboxFilter> {
    let class = given(class)
        .map(|s| {
            StatusClass::parse(s)
                .ok_or_else(|| AppError::invalid("class", "Nhóm trạng thái không hợp lệ."))
        })
        .transpose()?;
    let due_before = given(due_before)
        .map(|s| {
            input::parse_date(s)
                .ok_or_else(|| AppError::invalid("due_before", "Ngày không hợp lệ (dd/mm/yyyy)."))
        })
        .transpose()?;
    let plan = given(plan)
        .map(|s| {
            s.parse::<Id>()
                .ok()
                .filter(|p| *p > 0)
                .ok_or_else(|| AppError::invalid("plan", "Kế hoạch không hợp lệ."))
        })
        .transpose()?;
    Ok(InboxFilter {
        class,
        due_before,
        plan,
    })
}

/// A page number from the address: absent = 1; 0, negative or not a number is a 400.
pub fn parse_page(s: &Option<String>) -> Result<u32> {
    match given(s) {
        None => Ok(1),
        Some(s) => s
            .parse::<u32>()
            .ok()
            .filter(|p| *p >= 1)
            .ok_or_else(|| AppError::invalid("page", "Số trang không hợp lệ (từ 1 trở lên).")),
    }
}

/// One page of `unit`'s inbox on `today`.
pub async fn page(
    db: &Db,
    unit: UnitId,
    today: NaiveDate,
    filter: &InboxFilter,
    paging: Paging,
) -> Result<InboxPage> {
    Ok(store::inbox_page(db, unit.get(), today, filter, paging).await?)
}
