//! Saved filters of the task list ("Bộ lọc đã lưu"): an account's named query strings.

use chrono::{DateTime, Utc};
use tinhgon_domain::model::Id;

use crate::error::Result;
use crate::tx::query;
use crate::Db;

/// One saved filter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavedFilter {
    /// Identifier.
    pub id: Id,
    /// The name its owner gave it.
    pub name: String,
    /// The task list's query string (without page).
    pub query: String,
}

/// `user_id`'s saved filters, by name.
pub async fn list(db: &Db, user_id: Id) -> Result<Vec<SavedFilter>> {
    let rows: Vec<(Id, String, String)> =
        query("SELECT id, name, query FROM saved_filters WHERE user_id = $1 ORDER BY name, id")
            .bind(user_id)
            .fetch_all(db)
            .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name, query)| SavedFilter { id, name, query })
        .collect())
}

/// Saves `query` under `name` for `user_id` (replacing the query of a filter of that name),
/// unless the account already has `limit` other filters: then nothing is written and `None`
/// comes back.
pub async fn save(
    db: &Db,
    user_id: Id,
    name: &str,
    query_string: &str,
    limit: i64,
    now: DateTime<Utc>,
) -> Result<Option<Id>> {
    db.write(async |tx| {
        let existing: Option<Id> =
            query("SELECT id FROM saved_filters WHERE user_id = $1 AND name = $2")
                .bind(user_id)
                .bind(name)
                .scalar_optional(&mut *tx)
                .await?;
        if let Some(id) = existing {
            query("UPDATE saved_filters SET query = $2 WHERE id = $1")
                .bind(id)
                .bind(query_string)
                .execute(&mut *tx)
                .await?;
            return Ok(Some(id));
        }
        let count: i64 = query("SELECT COUNT(*) FROM saved_filters WHERE user_id = $1")
            .bind(user_id)
            .scalar(&mut *tx)
            .await?;
        if count >= limit {
            return Ok(None);
        }
        let id: Id = query(
            "INSERT INTO saved_filters (user_id, name, query, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(user_id)
        .bind(name)
        .bind(query_string)
        .bind(now)
        .scalar(&mut *tx)
        .await?;
        Ok(Some(id))
    })
    .await
}

/// Deletes `user_id`'s filter `id`; false when the account has no such filter.
pub async fn delete(db: &Db, user_id: Id, id: Id) -> Result<bool> {
    let n = db
        .write(async |tx| {
            query("DELETE FROM saved_filters WHERE id = $1 AND user_id = $2")
                .bind(id)
                .bind(user_id)
                .execute(&mut *tx)
                .await
        })
        .await?;
    Ok(n > 0)
}
