//! Inline text clean-up shared by every reader.

/// NFC, every run of whitespace (including no-break spaces and tabs) as one space, invisible
/// format characters and controls dropped, trimmed. The Lào Cai header pads with ~34 spaces
/// to force a visual line break; that padding must not reach the extractor.
pub fn inline(s: &str) -> String {
    let nfc = tinhgon_textkit::nfc(s);
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
    let nfc = tinhgon_textkit::nfc(s);
    let kept: String = nfc
        .chars()
        .filter(|&c| c == '\t' || !is_invisible(c))
        .collect();
    kept.trim_end().to_string()
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
}
