//! Saved filters of the task list ("Bộ lọc đã lưu"): a monitor or leader names the filters
//! on screen ("Quá hạn của các xã", "Kế hoạch 615 — phối hợp") and opens them again with one
//! click. A filter belongs to its account alone; it keeps the query string, not the rows.

use chrono::{DateTime, Utc};
use tinhgon_domain::model::Id;
use tinhgon_domain::user::User;
use tinhgon_store::saved_filters::{self as store, SavedFilter};
use tinhgon_store::Db;

use crate::error::{AppError, Result};
use crate::task_list::{may_list, TaskListQuery};

/// Longest name, in characters.
pub const NAME_MAX: usize = 80;
/// Most filters one account keeps.
pub const LIMIT: i64 = 30;

/// `user`'s saved filters, by name.
pub async fn list(db: &Db, user: &User) -> Result<Vec<SavedFilter>> {
    if !may_list(user) {
        return Err(AppError::Forbidden);
    }
    Ok(store::list(db, user.id).await?)
}

/// Saves the filters of `query` (its order kept, its page dropped) under `name`; the same
/// name again replaces the earlier filter. Returns the filter's id.
pub async fn save(
    db: &Db,
    user: &User,
    name: &str,
    query: &TaskListQuery,
    now: DateTime<Utc>,
) -> Result<Id> {
    if !may_list(user) {
        return Err(AppError::Forbidden);
    }
    let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() {
        return Err(AppError::invalid("name", "Hãy đặt tên cho bộ lọc."));
    }
    if name.chars().count() > NAME_MAX {
        return Err(AppError::invalid(
            "name",
            format!("Tên bộ lọc dài quá {NAME_MAX} ký tự."),
        ));
    }
    // A filter that the list would refuse is refused here, before it is kept.
    query.parse(None)?;
    let canonical = query.query_string(query.sort.trim(), 1);
    store::save(db, user.id, &name, &canonical, LIMIT, now)
        .await?
        .ok_or_else(|| {
            AppError::invalid(
                "name",
                format!("Mỗi tài khoản lưu được tối đa {LIMIT} bộ lọc; hãy xóa bớt bộ lọc cũ."),
            )
        })
}

/// Deletes `user`'s filter `id`; another account's filter is "not found".
pub async fn delete(db: &Db, user: &User, id: Id) -> Result<()> {
    if !may_list(user) {
        return Err(AppError::Forbidden);
    }
    if store::delete(db, user.id, id).await? {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}
