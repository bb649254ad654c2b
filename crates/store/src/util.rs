//! Small conversions shared by the modules.

use serde::de::DeserializeOwned;

use crate::error::{Result, StoreError};

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
