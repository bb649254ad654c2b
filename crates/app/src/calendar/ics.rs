//! The iCalendar text (RFC 5545) of a feed, written by hand: four properties per event do not
//! earn a dependency, and what matters (CRLF, folding at 75 octets, escaping) is tested here
//! and against a parser in `tests/calendar.rs`.

use chrono::{DateTime, Days, NaiveDate, Utc};

/// One all-day event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// Stable identifier (the same assignment keeps the same UID in every download).
    pub uid: String,
    /// The day.
    pub day: NaiveDate,
    /// Title.
    pub summary: String,
    /// Body text (may hold line breaks).
    pub description: String,
}

/// The calendar holding `events`, named `name`, stamped `now`.
pub fn calendar(name: &str, events: &[Event], now: DateTime<Utc>) -> String {
    let mut out = String::new();
    let stamp = now.format("%Y%m%dT%H%M%SZ").to_string();
    for line in [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//tinhgon//Lich han nhiem vu//VI",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ] {
        push(&mut out, line);
    }
    push(&mut out, &format!("X-WR-CALNAME:{}", escape(name)));
    push(&mut out, "X-WR-TIMEZONE:Asia/Ho_Chi_Minh");
    for e in events {
        push(&mut out, "BEGIN:VEVENT");
        push(&mut out, &format!("UID:{}", escape(&e.uid)));
        push(&mut out, &format!("DTSTAMP:{stamp}"));
        push(
            &mut out,
            &format!("DTSTART;VALUE=DATE:{}", e.day.format("%Y%m%d")),
        );
        // DTEND of an all-day event is exclusive: the next day.
        let end = e.day.checked_add_days(Days::new(1)).unwrap_or(e.day);
        push(
            &mut out,
            &format!("DTEND;VALUE=DATE:{}", end.format("%Y%m%d")),
        );
        push(&mut out, &format!("SUMMARY:{}", escape(&e.summary)));
        push(&mut out, &format!("DESCRIPTION:{}", escape(&e.description)));
        push(&mut out, "TRANSP:TRANSPARENT");
        push(&mut out, "END:VEVENT");
    }
    push(&mut out, "END:VCALENDAR");
    out
}

/// Appends one content line, folded, ended with CRLF.
fn push(out: &mut String, line: &str) {
    out.push_str(&fold(line));
    out.push_str("\r\n");
}

/// TEXT value escaping (RFC 5545 3.3.11): backslash, semicolon, comma and line breaks.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' => {
                if chars.peek() != Some(&'\n') {
                    out.push_str("\\n");
                }
            }
            '\n' => out.push_str("\\n"),
            // Other control characters are not allowed in a TEXT value.
            c if c.is_control() && c != '\t' => {}
            c => out.push(c),
        }
    }
    out
}

/// Folds a content line so that no line is longer than 75 octets (RFC 5545 3.1), breaking only
/// between characters so a Vietnamese letter is never split: each continuation line starts
/// with one space, which counts towards its 75.
pub fn fold(line: &str) -> String {
    const LIMIT: usize = 75;
    let mut out = String::with_capacity(line.len() + line.len() / 37);
    let mut used = 0;
    for c in line.chars() {
        let n = c.len_utf8();
        if used + n > LIMIT {
            out.push_str("\r\n ");
            used = 1;
        }
        out.push(c);
        used += n;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_vietnamese_lines_fold_at_75_octets_between_characters() {
        let line = format!(
            "SUMMARY:{}",
            "Hạn nộp báo cáo tổng kết việc sắp xếp ".repeat(5)
        );
        let folded = fold(&line);
        for part in folded.split("\r\n") {
            assert!(part.len() <= 75, "{} octets: {part}", part.len());
        }
        let unfolded = folded.replace("\r\n ", "");
        assert_eq!(unfolded, line);
        assert!(folded.split("\r\n").skip(1).all(|p| p.starts_with(' ')));
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(escape("a; b, c\\d\r\ne\nf"), "a\\; b\\, c\\\\d\\ne\\nf");
    }

    #[test]
    fn every_line_ends_with_crlf() {
        let e = Event {
            uid: "assignment-1@tinhgon".into(),
            day: NaiveDate::from_ymd_opt(2026, 12, 31).unwrap(),
            summary: "Hạn: 615/KH-UBND 2.1".into(),
            description: "Nội dung".into(),
        };
        let text = calendar("Lịch", &[e], Utc::now());
        assert!(text.ends_with("END:VCALENDAR\r\n"));
        assert!(!text.replace("\r\n", "").contains('\n'));
        assert!(text.contains("DTSTART;VALUE=DATE:20261231\r\n"));
        assert!(text.contains("DTEND;VALUE=DATE:20270101\r\n"));
    }
}
