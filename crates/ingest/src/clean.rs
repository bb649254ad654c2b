//! Inline text clean-up shared by every reader.

pub use tinhgon_textkit::nfc_cow as nfc;

/// NFC, every run of whitespace (including no-break spaces and tabs) as one space, invisible
/// format characters and controls dropped, trimmed. The Lào Cai header pads with ~34 spaces
/// to force a visual line break; that padding must not reach the extractor.
pub fn inline(s: &str) -> String {
    let nfc = nfc(s);
    let mut out = String::with_capacity(nfc.len());
    let mut space = false;
    for c in nfc.chars() {
        if c.is_whitespace() {
            space = !out.is_empty();
            continue;
        }
        if is_invisible(c) {
            continue;
        }
        if space {
            out.push(' ');
            space = false;
        }
        out.push(c);
    }
    out
}

/// A source line for [`crate::Document::lines`]: NFC, controls dropped, trailing space trimmed,
/// leading indentation kept.
pub fn line(s: &str) -> String {
    let nfc = nfc(s);
    let kept: String = nfc
        .chars()
        .filter(|&c| c == '\t' || !is_invisible(c))
        .collect();
    kept.trim_end().to_string()
}

/// A line whose letters are all capitals (at least two): headings, "KT. CHỦ TỊCH".
pub fn is_caps_line(s: &str) -> bool {
    let mut letters = 0;
    let mut roman_only = true;
    for c in s.chars().filter(|c| c.is_alphabetic()) {
        if c.is_lowercase() {
            return false;
        }
        roman_only &= matches!(c, 'I' | 'V' | 'X' | 'L');
        letters += 1;
    }
    // "III/2025" is a quarter, not a capital heading.
    letters >= 2 && !roman_only
}

/// Starts with a list marker: a dash or bullet and a space, or a short roman, arabic or
/// letter number followed by "." or ")" ("I.", "1.", "1.2.", "a)", "đ)").
pub fn starts_with_list_marker(s: &str) -> bool {
    let s = s.trim_start();
    let mut chars = s.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    if matches!(first, '-' | '+' | '*' | '•' | '–' | '—' | '·' | '\u{F0B7}') {
        return chars.next().is_none_or(char::is_whitespace);
    }
    let token: String = s.chars().take_while(|c| !c.is_whitespace()).collect();
    let Some(body) = token.strip_suffix(['.', ')']) else {
        return false;
    };
    let body = body.trim_start_matches('(');
    if body.is_empty() || body.chars().count() > 8 {
        return false;
    }
    let numeric = body
        .split('.')
        .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()));
    let roman = body.chars().all(|c| matches!(c, 'I' | 'V' | 'X' | 'L'));
    let letter = body.chars().count() == 1 && body.chars().all(char::is_lowercase);
    numeric || roman || letter
}

fn is_invisible(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{200B}'..='\u{200F}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}' | '\u{FFFE}' | '\u{FFFF}'
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collapses_padding_and_composes() {
        assert_eq!(
            inline("ỦY BAN NHÂN DÂN\u{a0}                                  TỈNH LÀO CAI "),
            "ỦY BAN NHÂN DÂN TỈNH LÀO CAI"
        );
        assert_eq!(inline("Vie\u{302}\u{323}t\u{200b} Nam"), "Việt Nam");
        assert_eq!(line("  - mục\t \r"), "  - mục");
    }

    #[test]
    fn list_markers_and_caps() {
        for yes in [
            "- Sở",
            "1. Mục",
            "1.2. Yêu",
            "a) Chủ",
            "đ) Khác",
            "II. NHIỆM",
            "(3) Cột",
            "+ Nội",
            "* Đơn",
        ] {
            assert!(starts_with_list_marker(yes), "{yes}");
        }
        for no in [
            "Sở Nội vụ",
            "18-NQ/TW",
            "năm 2025.",
            "-Thường",
            "Ông A. Nguyễn",
        ] {
            assert!(!starts_with_list_marker(no), "{no}");
        }
        assert!(is_caps_line("KT. CHỦ TỊCH"));
        assert!(!is_caps_line("Sở Nội vụ"));
        assert!(!is_caps_line("1."));
        assert!(!is_caps_line("III/2025."));
    }
}
