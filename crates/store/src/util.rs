//! Small conversions shared by the modules.

use serde::de::DeserializeOwned;
use tinhgon_domain::model::Id;

use crate::error::{Result, StoreError};
use crate::tx::{query, Tx};

/// Parses a stored snake_case name into a domain enum (they serialise the same way).
pub(crate) fn parse_enum<T: DeserializeOwned>(s: &str) -> Result<T> {
    serde_json::from_value(serde_json::Value::String(s.to_string()))
        .map_err(|_| StoreError::Corrupt(format!("giá trị không hợp lệ: {s}")))
}

/// The stored snake_case name of a domain enum.
pub(crate) fn enum_str<T: serde::Serialize>(v: &T) -> String {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

/// Sets the boolean `column` of row `id` of `table` to `value` inside the open transaction and
/// returns the value it replaced ([`StoreError::NotFound`] of `what` when there is no row).
/// The row is locked first (PostgreSQL; SQLite holds the write lock already), so the value
/// returned is the one replaced even when two people change it at once.
pub(crate) async fn replace_flag(
    tx: &mut Tx,
    table: &str,
    column: &str,
    what: &'static str,
    id: Id,
    value: bool,
) -> Result<bool> {
    query(&format!(
        "UPDATE {table} SET {column} = {column} WHERE id = $1"
    ))
    .bind(id)
    .execute(&mut *tx)
    .await?;
    let before: Option<bool> = query(&format!("SELECT {column} FROM {table} WHERE id = $1"))
        .bind(id)
        .scalar_optional(&mut *tx)
        .await?;
    let before = before.ok_or(StoreError::NotFound { what, id })?;
    query(&format!("UPDATE {table} SET {column} = $2 WHERE id = $1"))
        .bind(id)
        .bind(value)
        .execute(&mut *tx)
        .await?;
    Ok(before)
}
