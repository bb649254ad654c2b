//! The daily reminder job's rules: which due dates it looks for on a day, who is told, and
//! the Vietnamese texts of reminders, notifications and e-mails.

use chrono::{Days, NaiveDate};

use crate::records::ReminderKind;

/// Longest task content quoted in a reminder; plans carry paragraphs of several hundred words.
const CONTENT_CHARS: usize = 160;

/// The name a reminder kind is stored under (the `reminders.kind` column and the
/// notification kind). The urging notice predates the snake_case names and is `urging`.
pub fn store_kind(kind: ReminderKind) -> &'static str {
    match kind {
        ReminderKind::Urge => "urging",
        other => other.as_str(),
    }
}

/// Notification kind of the monitor's daily digest of newly overdue assignments.
pub const OVERDUE_DIGEST: &str = "overdue_digest";

/// The due dates the job looks for on `today`: an open assignment due on the paired date gets
/// that reminder (the inverse of [`crate::tally::reminder_due`]).
pub fn job_targets(today: NaiveDate) -> Vec<(ReminderKind, NaiveDate)> {
    let mut out = Vec::with_capacity(3);
    if let Some(d) = today.checked_add_days(Days::new(7)) {
        out.push((ReminderKind::DueIn7, d));
    }
    if let Some(d) = today.checked_add_days(Days::new(1)) {
        out.push((ReminderKind::DueIn1, d));
    }
    if let Some(d) = today.checked_sub_days(Days::new(1)) {
        out.push((ReminderKind::Overdue, d));
    }
    out
}

/// Whether the monitors of the province are told too: only of assignments that have just
/// become overdue, in one digest a day, since "due in 7 days" is the unit's own business.
pub fn tells_monitors(kind: ReminderKind) -> bool {
    kind == ReminderKind::Overdue
}

/// An assignment a reminder is about, as the texts quote it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReminderSubject<'a> {
    /// Plan number ("615/KH-UBND").
    pub plan_number: Option<&'a str>,
    /// Task reference in the plan ("3.1").
    pub task_ref: &'a str,
    /// Task content.
    pub content: &'a str,
    /// Due date in force.
    pub due: NaiveDate,
}

fn date_vi(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

/// Cuts `text` at a word boundary within `max` characters, marking the cut with "…".
fn shorten(text: &str, max: usize) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= max {
        return text;
    }
    let cut: String = text.chars().take(max).collect();
    let cut = match cut.rfind(' ') {
        Some(i) if i > max / 2 => &cut[..i],
        _ => cut.as_str(),
    };
    format!("{}…", cut.trim_end_matches([',', ';', ':', '.']))
}

fn subject_line(s: &ReminderSubject<'_>) -> String {
    let plan = s
        .plan_number
        .map(|n| format!(" (Kế hoạch {n})"))
        .unwrap_or_default();
    format!(
        "nhiệm vụ {}{}: {}",
        s.task_ref,
        plan,
        shorten(s.content, CONTENT_CHARS)
    )
}

fn state_phrase(kind: ReminderKind, due: NaiveDate) -> String {
    match kind {
        ReminderKind::DueIn7 => format!("đến hạn ngày {} (còn 7 ngày)", date_vi(due)),
        ReminderKind::DueIn1 => format!("đến hạn ngày mai, {}", date_vi(due)),
        ReminderKind::Overdue => format!("đã quá hạn (hạn {})", date_vi(due)),
        ReminderKind::Urge => format!(
            "quá hạn từ ngày {}, đề nghị khẩn trương thực hiện",
            date_vi(due)
        ),
    }
}

/// The text of one assignment's reminder (stored with the reminder).
pub fn reminder_message(kind: ReminderKind, s: &ReminderSubject<'_>) -> String {
    let line = subject_line(s);
    let mut chars = line.chars();
    let first = chars
        .next()
        .map(|c| c.to_uppercase().to_string())
        .unwrap_or_default();
    format!("{first}{} {}.", chars.as_str(), state_phrase(kind, s.due))
}

/// The notification a unit's accounts get for the reminders of one kind created for it on a
/// day: one assignment is named in full, several are listed.
pub fn unit_notice(kind: ReminderKind, subjects: &[ReminderSubject<'_>]) -> String {
    match subjects {
        [] => String::new(),
        [one] => reminder_message(kind, one),
        many => {
            let head = match kind {
                ReminderKind::DueIn7 => format!("{} nhiệm vụ đến hạn trong 7 ngày", many.len()),
                ReminderKind::DueIn1 => format!("{} nhiệm vụ đến hạn vào ngày mai", many.len()),
                ReminderKind::Overdue => format!("{} nhiệm vụ vừa quá hạn", many.len()),
                ReminderKind::Urge => format!("Đôn đốc {} nhiệm vụ quá hạn", many.len()),
            };
            let items: Vec<String> = many
                .iter()
                .map(|s| format!("{} (hạn {})", subject_line(s), date_vi(s.due)))
                .collect();
            format!("{head}: {}.", items.join("; "))
        }
    }
}

/// The monitor's daily digest: how many assignments of the province became overdue today.
pub fn monitor_digest(count: usize, due: NaiveDate) -> String {
    format!(
        "{count} nhiệm vụ của tỉnh đã quá hạn từ hôm nay (hạn {}) mà chưa hoàn thành.",
        date_vi(due)
    )
}

/// The page a unit's notification points to.
pub fn notice_link(kind: ReminderKind, assignment_ids: &[i64]) -> String {
    match (kind, assignment_ids) {
        (_, [one]) => format!("/assignments/{one}"),
        (ReminderKind::Overdue | ReminderKind::Urge, _) => "/inbox?class=overdue".into(),
        _ => "/inbox".into(),
    }
}

/// The e-mail subject for a notification of `kind` (stored notification kind).
pub fn email_subject(kind: &str) -> String {
    let what = match kind {
        "due_in_7" => ReminderKind::DueIn7.label_vi(),
        "due_in_1" => ReminderKind::DueIn1.label_vi(),
        "overdue" => ReminderKind::Overdue.label_vi(),
        "urging" => ReminderKind::Urge.label_vi(),
        OVERDUE_DIGEST => "Nhiệm vụ mới quá hạn trong tỉnh",
        _ => "Thông báo mới",
    };
    format!("[Tinh gọn bộ máy] {what}")
}

/// The e-mail body: the notification text, the link made absolute with the site's public
/// address when known, and why the recipient gets it.
pub fn email_body(text: &str, link: Option<&str>, public_url: Option<&str>) -> String {
    let mut body = format!("Kính gửi đồng chí,\n\n{text}\n");
    if let Some(link) = link {
        let url = match public_url {
            Some(base) => format!("{}{link}", base.trim_end_matches('/')),
            None => link.to_string(),
        };
        body.push_str(&format!("\nXem chi tiết: {url}\n"));
    }
    body.push_str(
        "\n--\nThư tự động của hệ thống điều hành sắp xếp, tinh gọn tổ chức bộ máy; \
         vui lòng không trả lời thư này.\n",
    );
    body
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tally::reminder_due;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn job_targets_are_the_inverse_of_reminder_due() {
        let today = d(2025, 12, 31);
        let targets = job_targets(today);
        assert_eq!(targets.len(), 3);
        for (kind, due) in targets {
            assert_eq!(reminder_due(Some(due), true, today), Some(kind));
        }
        // Every day of a year: a date fires on `today` exactly when it is a target.
        for offset in -10i64..=10 {
            let due = today + chrono::Duration::days(offset);
            let fired = reminder_due(Some(due), true, today);
            let targeted = job_targets(today)
                .into_iter()
                .find(|(_, t)| *t == due)
                .map(|(k, _)| k);
            assert_eq!(fired, targeted, "offset {offset}");
        }
    }

    #[test]
    fn store_kinds_match_the_reminders_check_constraint() {
        let kinds: Vec<&str> = [
            ReminderKind::DueIn7,
            ReminderKind::DueIn1,
            ReminderKind::Overdue,
            ReminderKind::Urge,
        ]
        .into_iter()
        .map(store_kind)
        .collect();
        assert_eq!(kinds, ["due_in_7", "due_in_1", "overdue", "urging"]);
    }

    #[test]
    fn texts_are_vietnamese_and_quote_the_task() {
        let s = ReminderSubject {
            plan_number: Some("615/KH-UBND"),
            task_ref: "3.1",
            content: "Xây dựng  đề án\nsắp xếp các sở",
            due: d(2025, 9, 30),
        };
        assert_eq!(
            reminder_message(ReminderKind::DueIn7, &s),
            "Nhiệm vụ 3.1 (Kế hoạch 615/KH-UBND): Xây dựng đề án sắp xếp các sở đến hạn ngày 30/09/2025 (còn 7 ngày)."
        );
        assert_eq!(
            reminder_message(ReminderKind::Overdue, &s),
            "Nhiệm vụ 3.1 (Kế hoạch 615/KH-UBND): Xây dựng đề án sắp xếp các sở đã quá hạn (hạn 30/09/2025)."
        );
        let two = [
            s.clone(),
            ReminderSubject {
                task_ref: "4",
                plan_number: None,
                ..s
            },
        ];
        let notice = unit_notice(ReminderKind::DueIn1, &two);
        assert!(
            notice.starts_with("2 nhiệm vụ đến hạn vào ngày mai: nhiệm vụ 3.1"),
            "{notice}"
        );
        assert!(notice.contains("; nhiệm vụ 4: Xây dựng"), "{notice}");
        assert_eq!(notice_link(ReminderKind::DueIn1, &[7]), "/assignments/7");
        assert_eq!(
            notice_link(ReminderKind::Overdue, &[7, 8]),
            "/inbox?class=overdue"
        );
    }

    #[test]
    fn long_content_is_cut_at_a_word() {
        let long = "phân công ".repeat(60);
        let cut = shorten(&long, 40);
        assert!(cut.ends_with('…'));
        assert!(cut.chars().count() <= 41);
        assert!(!cut.contains("  "));
    }

    #[test]
    fn email_body_makes_links_absolute() {
        let b = email_body(
            "Có việc.",
            Some("/inbox"),
            Some("https://tinhgon.example.vn/"),
        );
        assert!(b.contains("Xem chi tiết: https://tinhgon.example.vn/inbox\n"));
        assert!(email_body("Có việc.", None, None).starts_with("Kính gửi đồng chí,\n\nCó việc.\n"));
        assert_eq!(
            email_subject("due_in_1"),
            "[Tinh gọn bộ máy] Nhiệm vụ đến hạn vào ngày mai"
        );
    }
}
