//! File downloads: the `Content-Disposition` that keeps a Vietnamese file name, and the response.

use axum::http::header;
use axum::response::{IntoResponse, Response};

/// `Content-Disposition: attachment` with an ASCII fallback and the UTF-8 name (RFC 5987/6266),
/// so "Báo cáo quý III/2025.docx" arrives with its Vietnamese name.
pub fn disposition(name: &str) -> String {
    let clean: String = name
        .chars()
        .map(|c| match c {
            '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|' => '-',
            c if c.is_control() => ' ',
            c => c,
        })
        .collect();
    let mut ascii = String::new();
    for c in tinhgon_textkit::fold(&clean).chars() {
        if c.is_ascii_alphanumeric() || c == '.' || c == '-' || c == '_' {
            ascii.push(c);
        } else if !ascii.ends_with('_') {
            ascii.push('_');
        }
    }
    let ascii = ascii.trim_matches('_');
    let ascii = if ascii.is_empty() { "tai-lieu" } else { ascii };
    let mut encoded = String::new();
    for b in clean.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            encoded.push(char::from(b));
        } else {
            encoded.push_str(&format!("%{b:02X}"));
        }
    }
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

/// A file download response, never cached by a shared proxy.
pub fn attachment(bytes: Vec<u8>, content_type: &str, name: &str) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (header::CONTENT_DISPOSITION, disposition(name)),
            (header::CACHE_CONTROL, "private, no-store".to_string()),
        ],
        bytes,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn disposition_keeps_vietnamese_and_gives_an_ascii_fallback() {
        let d = disposition("Báo cáo 615/KH-UBND quý III/2025.docx");
        assert!(
            d.starts_with("attachment; filename=\"bao_cao_615-kh-ubnd_quy_iii-2025.docx\""),
            "{d}"
        );
        assert!(
            d.contains(
                "filename*=UTF-8''B%C3%A1o%20c%C3%A1o%20615-KH-UBND%20qu%C3%BD%20III-2025.docx"
            ),
            "{d}"
        );
        assert!(d.is_ascii());
    }

    #[test]
    fn disposition_never_carries_quotes_or_line_breaks() {
        let d = disposition("a\"b\r\nc.csv");
        assert!(!d.contains('\r') && !d.contains('\n'));
        assert_eq!(d.matches('"').count(), 2, "{d}");
    }
}
