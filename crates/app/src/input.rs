//! Turning the text of a form field or a JSON string into a typed value, or into a
//! Vietnamese error that names the field: the use cases' requests are built only from these,
//! so a request that exists is a valid one.

use chrono::NaiveDate;

use crate::error::{AppError, Result};

/// Parses a date typed by a user: dd/mm/yyyy, d/m/yyyy, dd-mm-yyyy or ISO yyyy-mm-dd.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(s, "%d/%m/%Y"))
        .or_else(|_| NaiveDate::parse_from_str(s, "%d-%m-%Y"))
        .ok()
        // Far years are typing slips, and date arithmetic near chrono's limits would overflow.
        .filter(|d| (1900..=2200).contains(&chrono::Datelike::year(d)))
}

/// A date field, required: `message` when it is empty or not a date.
pub fn date(field: &'static str, value: &str, message: &str) -> Result<NaiveDate> {
    parse_date(value).ok_or_else(|| AppError::invalid(field, message))
}

/// A date field that may be left empty (then `None`).
pub fn date_or_empty(field: &'static str, value: &str, message: &str) -> Result<Option<NaiveDate>> {
    if value.trim().is_empty() {
        return Ok(None);
    }
    date(field, value, message).map(Some)
}

/// A text field that must say something: trimmed, `message` when blank.
pub fn text(field: &'static str, value: &str, message: &str) -> Result<String> {
    let t = value.trim();
    if t.is_empty() {
        return Err(AppError::invalid(field, message));
    }
    Ok(t.to_string())
}

/// A text field that may be blank (then `None`), trimmed.
pub fn note(value: &str) -> Option<String> {
    Some(value.trim())
        .filter(|n| !n.is_empty())
        .map(str::to_string)
}

/// A note that may be blank (then `None`), kept as typed: status notes are stored verbatim.
pub fn kept_note(value: &str) -> Option<String> {
    Some(value.to_string()).filter(|n| !n.trim().is_empty())
}

/// The submission key of a form field or the API's `Idempotency-Key` header, as `user`'s:
/// none when absent or blank (the write is then not protected against a repeat).
pub fn submission(
    user: &tinhgon_domain::user::User,
    key: Option<&str>,
) -> Result<Option<tinhgon_store::idempotency::Submission>> {
    match key.map(str::trim).filter(|k| !k.is_empty()) {
        None => Ok(None),
        Some(k) => tinhgon_store::idempotency::Submission::new(user.id, k)
            .map(Some)
            .map_err(|e| AppError::invalid("submission_key", e.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_the_forms_people_type() {
        let d = NaiveDate::from_ymd_opt(2025, 9, 30);
        assert_eq!(parse_date("30/09/2025"), d);
        assert_eq!(parse_date("2025-09-30"), d);
        assert_eq!(parse_date(" 30-09-2025 "), d);
        assert_eq!(parse_date("31/02/2025"), None);
        assert_eq!(parse_date("30/09/25000"), None);
        assert_eq!(parse_date(""), None);
    }

    #[test]
    fn a_blank_required_text_names_its_field() {
        match text("reason", "  \n", "Vui lòng nêu lý do.") {
            Err(AppError::Invalid { field, message }) => {
                assert_eq!(field, "reason");
                assert_eq!(message, "Vui lòng nêu lý do.");
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(text("reason", " có ", "x").unwrap(), "có");
        assert_eq!(note("  "), None);
    }
}
