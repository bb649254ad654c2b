//! What every page shows around its content (user, CSRF token, flash messages, navigation)
//! and the small formatting helpers templates use (dates dd/mm/yyyy, Vietnamese labels).

use chrono::{DateTime, NaiveDate, Utc};

use crate::auth::Viewer;

/// A flash message shown once after a redirect.
#[derive(Debug, Clone)]
pub struct Flash {
    /// `ok` or `error` (CSS class).
    pub kind: &'static str,
    /// Text.
    pub text: String,
}

/// The frame of every page.
#[derive(Debug, Clone, Default)]
pub struct PageCtx {
    /// Signed-in account's display name, role label and unit name.
    pub user: Option<UserBadge>,
    /// CSRF token to put in every form.
    pub csrf: String,
    /// Flash messages to show.
    pub flash: Vec<Flash>,
    /// Which navigation entry is current.
    pub nav: &'static str,
    /// Unread notifications.
    pub unread: i64,
    /// Links the account may use, in menu order.
    pub menu: Vec<MenuItem>,
    /// Who runs the system ("Sở Nội vụ tỉnh Lào Cai"), empty when the register names no one.
    pub owner: String,
}

/// One navigation link.
#[derive(Debug, Clone)]
pub struct MenuItem {
    /// Target.
    pub href: &'static str,
    /// Label.
    pub label: &'static str,
    /// True on the current section.
    pub current: bool,
    /// A count shown beside the label (items waiting), 0 for none.
    pub count: u64,
}

/// Who is signed in, as the header shows it.
#[derive(Debug, Clone)]
pub struct UserBadge {
    /// Display name.
    pub name: String,
    /// Role label in Vietnamese.
    pub role: &'static str,
    /// Unit name for officers.
    pub unit: Option<String>,
}

impl PageCtx {
    /// A frame with no account (error pages, sign-in).
    pub fn bare() -> PageCtx {
        PageCtx::default()
    }

    /// The frame for `viewer` with navigation key `nav`.
    pub fn new(viewer: &Viewer, nav: &'static str) -> PageCtx {
        use tinhgon_domain::user::Role;
        let mut menu = Vec::new();
        let mut csrf = viewer.csrf.clone();
        let user = viewer.user.as_ref().map(|u| {
            match u.user.role {
                Role::Admin | Role::Monitor | Role::Leader => {
                    menu.push(("/dashboard", "Tổng quan", "dashboard"));
                    menu.push(("/tasks", "Nhiệm vụ", "tasks"));
                    menu.push(("/plans", "Kế hoạch", "plans"));
                }
                Role::AgencyOfficer => {
                    menu.push(("/inbox", "Việc của tôi", "inbox"));
                    menu.push(("/plans", "Kế hoạch", "plans"));
                }
            }
            if u.user.role.monitors() {
                menu.push(("/approvals", "Chờ xử lý", "approvals"));
            }
            if u.user.role == Role::Leader {
                menu.push(("/referrals", "Xin ý kiến", "referrals"));
            }
            menu.push(("/calendar", "Lịch", "calendar"));
            menu.push(("/reports", "Báo cáo định kỳ", "reports"));
            if u.user.role.monitors() {
                menu.push(("/import", "Nhập kế hoạch", "import"));
            }
            menu.push(("/units", "Danh mục đơn vị", "units"));
            menu.push(("/staffing", "Biên chế", "staffing"));
            menu.push(("/search", "Tìm kiếm", "search"));
            if u.user.role == Role::Admin {
                menu.push(("/admin/users", "Tài khoản", "admin"));
            }
            UserBadge {
                name: u.user.display_name.clone(),
                role: u.user.role.label_vi(),
                unit: u.unit_name.clone(),
            }
        });
        if user.is_none() {
            menu.push(("/public", "Công khai", "public"));
            if csrf.is_empty() {
                csrf = viewer.pre_csrf.clone();
            }
        }
        let menu = menu
            .into_iter()
            .map(|(href, label, key)| MenuItem {
                href,
                label,
                current: key == nav,
                count: if key == "approvals" || key == "referrals" {
                    viewer.pending
                } else {
                    0
                },
            })
            .collect();
        PageCtx {
            user,
            csrf,
            flash: viewer.flash.clone(),
            nav,
            unread: viewer.unread,
            menu,
            owner: viewer.owner.clone().unwrap_or_default(),
        }
    }
}

/// dd/mm/yyyy.
pub fn date(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

/// dd/mm/yyyy or a dash.
pub fn date_opt(d: Option<NaiveDate>) -> String {
    d.map(date).unwrap_or_else(|| "—".into())
}

/// An assignment's due date in force, marked when it comes from a granted extension.
pub fn due_label(w: &tinhgon_store::web_queries::WorkRow) -> String {
    match (w.due, w.extended) {
        (Some(d), true) => format!("{} (đã gia hạn)", date(d)),
        (d, _) => date_opt(d),
    }
}

/// The latest reported percentage, shown only while the work is open: a finished assignment
/// is finished whatever its last report said.
pub fn percent_label(w: &tinhgon_store::web_queries::WorkRow) -> String {
    match (w.status.as_str(), w.percent) {
        ("done" | "cancelled", _) | (_, None) => String::new(),
        (_, Some(p)) => format!("{p}%"),
    }
}

/// dd/mm/yyyy HH:MM in Vietnam time (UTC+7, no daylight saving).
pub fn datetime(t: DateTime<Utc>) -> String {
    let local = t + chrono::Duration::hours(7);
    local.format("%d/%m/%Y %H:%M").to_string()
}

/// Today in Vietnam.
pub fn today() -> NaiveDate {
    (Utc::now() + chrono::Duration::hours(7)).date_naive()
}

/// The use-case layer's reading of a date typed by a user, so pages and forms agree.
pub use tinhgon_app::input::parse_date;

/// The today-view class of an assignment row (mirrors the store's SQL rule; the domain's
/// `classify` is the reference and the store tests check the SQL against it).
pub fn class_today(
    w: &tinhgon_store::web_queries::WorkRow,
    today: NaiveDate,
) -> Option<tinhgon_domain::class::StatusClass> {
    use tinhgon_domain::class::StatusClass as C;
    match w.status.as_str() {
        "cancelled" => return None,
        "done" => {
            return Some(match (w.due, w.done_on) {
                (Some(d), Some(c)) if c > d => C::DoneLate,
                _ => C::DoneOnTime,
            })
        }
        _ => {}
    }
    if w.deadline_kind == "ongoing" || w.deadline_kind == "recurring" {
        return Some(C::Standing);
    }
    if w.deadline_kind == "conditional" && w.triggered_on.is_none_or(|t| t > today) {
        return Some(C::WaitingForCondition);
    }
    match w.due {
        None => Some(C::Standing),
        Some(d) if today > d => Some(C::Overdue),
        _ if matches!(
            w.status.as_str(),
            "in_progress" | "completion_proposed" | "returned"
        ) =>
        {
            Some(C::InProgress)
        }
        _ => Some(C::NotDue),
    }
}

/// A coloured status-class badge (HTML).
pub fn class_badge(c: Option<tinhgon_domain::class::StatusClass>) -> String {
    match c {
        Some(c) => format!(
            "<span class=\"st bg-tone\" data-tone=\"{}\">{}</span>",
            c.color(),
            c.label_vi()
        ),
        None => "<span class=\"st bg-tone\" data-tone=\"#9e9e9e\">Đã hủy</span>".into(),
    }
}

/// Vietnamese label of a stored workflow status.
pub fn status_label(s: &str) -> &'static str {
    tinhgon_domain::Status::parse(s)
        .map(|s| s.label_vi())
        .unwrap_or("Không rõ")
}

/// Escapes text for HTML built outside templates (SVG charts).
pub fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Number with dots between thousands, as Vietnamese text writes it ("1.693").
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(ch);
    }
    out
}

/// An option of a filter select.
pub struct Choice {
    /// Value.
    pub value: String,
    /// Label.
    pub label: String,
    /// Currently chosen.
    pub selected: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_read_both_ways_and_print_vietnamese_style() {
        let d = NaiveDate::from_ymd_opt(2025, 7, 1).unwrap();
        assert_eq!(parse_date("01/07/2025"), Some(d));
        assert_eq!(parse_date("1/7/2025"), Some(d));
        assert_eq!(parse_date("2025-07-01"), Some(d));
        assert_eq!(parse_date("31/02/2025"), None);
        assert_eq!(parse_date("ngày mai"), None);
        assert_eq!(date(d), "01/07/2025");
    }

    #[test]
    fn times_show_in_vietnam_time() {
        let t = DateTime::parse_from_rfc3339("2025-06-30T20:30:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(datetime(t), "01/07/2025 03:30");
    }
}
