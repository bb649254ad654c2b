//! Status classes as the government counts them, with their labels and colours.

use serde::{Deserialize, Serialize};

/// How an assignment counts in a report on a given day.
///
/// Cancelled assignments are not counted at all: classification returns `None` for them
/// rather than a variant, so that every count over `StatusClass` sums to the counted total.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StatusClass {
    /// Hoàn thành đúng hạn.
    DoneOnTime,
    /// Hoàn thành quá hạn.
    DoneLate,
    /// Đang thực hiện trong hạn.
    InProgress,
    /// Quá hạn (not done, due date passed).
    Overdue,
    /// Chưa đến hạn (not started, due date ahead).
    NotDue,
    /// Chờ điều kiện (conditional deadline not yet triggered).
    WaitingForCondition,
    /// Nhiệm vụ thường xuyên/định kỳ (standing duty, judged per reporting period).
    Standing,
}

impl StatusClass {
    /// All classes in report order.
    pub const ALL: [StatusClass; 7] = [
        StatusClass::DoneOnTime,
        StatusClass::DoneLate,
        StatusClass::InProgress,
        StatusClass::Overdue,
        StatusClass::NotDue,
        StatusClass::WaitingForCondition,
        StatusClass::Standing,
    ];

    /// Vietnamese label used in reports.
    pub fn label_vi(self) -> &'static str {
        match self {
            StatusClass::DoneOnTime => "Hoàn thành đúng hạn",
            StatusClass::DoneLate => "Hoàn thành quá hạn",
            StatusClass::InProgress => "Đang thực hiện trong hạn",
            StatusClass::Overdue => "Quá hạn",
            StatusClass::NotDue => "Chưa đến hạn",
            StatusClass::WaitingForCondition => "Chờ điều kiện",
            StatusClass::Standing => "Nhiệm vụ thường xuyên/định kỳ",
        }
    }

    /// Colour (hex) of the class in charts: the government's green/orange/blue/red/grey,
    /// plus purple for waiting and teal for standing duties.
    pub fn color(self) -> &'static str {
        match self {
            StatusClass::DoneOnTime => "#2e7d32",
            StatusClass::DoneLate => "#ef6c00",
            StatusClass::InProgress => "#1565c0",
            StatusClass::Overdue => "#c62828",
            StatusClass::NotDue => "#757575",
            StatusClass::WaitingForCondition => "#7b1fa2",
            StatusClass::Standing => "#00897b",
        }
    }

    /// Stable snake_case name (as serialised).
    pub fn as_str(self) -> &'static str {
        match self {
            StatusClass::DoneOnTime => "done_on_time",
            StatusClass::DoneLate => "done_late",
            StatusClass::InProgress => "in_progress",
            StatusClass::Overdue => "overdue",
            StatusClass::NotDue => "not_due",
            StatusClass::WaitingForCondition => "waiting_for_condition",
            StatusClass::Standing => "standing",
        }
    }

    /// Parses the stable name.
    pub fn parse(s: &str) -> Option<StatusClass> {
        StatusClass::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// True for the two done classes.
    pub fn is_done(self) -> bool {
        matches!(self, StatusClass::DoneOnTime | StatusClass::DoneLate)
    }
}
