//! Inline clean-up of one line of portal text: emphasis markers (balanced or not, the
//! converter splits them across lines), footnote references and escapes.

/// Removes `*`/`**`/`__` emphasis and `[n]` footnote references from one line. A single
/// `*` followed by a space at the start of the line is a bullet and is kept.
pub(crate) fn strip(line: &str) -> String {
    let t = line.trim();
    let (bullet, body) = match t.strip_prefix("* ") {
        Some(rest) => (true, rest),
        None => (false, t),
    };
    let mut out = String::with_capacity(body.len());
    let mut chars = body.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '*' => continue,
            '_' if body[i..].starts_with("__") => {
                chars.next();
                continue;
            }
            '\\' => {
                if let Some(&(_, n)) = chars.peek() {
                    if n.is_ascii_punctuation() {
                        out.push(n);
                        chars.next();
                        continue;
                    }
                }
                out.push(c);
            }
            '[' => {
                // "[1]" glued to a word or after a space is a footnote reference.
                let rest = &body[i + 1..];
                let digits = rest.chars().take_while(char::is_ascii_digit).count();
                if (1..=3).contains(&digits) && rest[digits..].starts_with(']') {
                    for _ in 0..=digits {
                        chars.next();
                    }
                    continue;
                }
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    let text = crate::clean::inline(&out);
    // The rules under the header's two halves ("-------").
    if text.len() >= 3 && text.chars().all(|c| matches!(c, '-' | '=' | '_' | '.')) {
        return String::new();
    }
    if bullet && !text.is_empty() {
        format!("* {text}")
    } else {
        text
    }
}

/// True when the raw line starts with emphasis (`*` or `**` glued to a letter or digit):
/// the converter marks headings and labels that way, so such a line starts a paragraph.
pub(crate) fn starts_emphasised(line: &str) -> bool {
    let t = line.trim_start().trim_start_matches('*');
    line.trim_start().starts_with('*')
        && !line.trim_start().starts_with("* ")
        && t.starts_with(|c: char| c.is_alphanumeric() || c == '(')
}

/// True when the whole line is wrapped in `**` (a bold heading or label line).
pub(crate) fn wholly_bold(line: &str) -> bool {
    let t = line.trim();
    t.len() > 4 && t.starts_with("**") && t.ends_with("**")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emphasis_and_footnotes_go() {
        assert_eq!(strip("**1.**** **Sở Nội vụ"), "1. Sở Nội vụ");
        assert_eq!(strip("*Căn cứ Luật*[2];"), "Căn cứ Luật;");
        assert_eq!(strip("** **"), "");
        assert_eq!(strip("* Đơn vị thực hiện:"), "* Đơn vị thực hiện:");
        assert_eq!(strip("Mục [a] và 1\\. xong"), "Mục [a] và 1. xong");
        assert!(starts_emphasised("**Đơn vị chủ trì"));
        assert!(!starts_emphasised("* Đơn vị"));
        assert!(wholly_bold("**I. QUAN ĐIỂM**"));
    }
}
