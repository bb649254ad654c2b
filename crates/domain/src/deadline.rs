//! Deadlines as the plans write them, made structured.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// What kind of timing a task has; `kind` is the firmest part of the phrase.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeadlineKind {
    /// Due by a date (with a precision: "Cuối quý III/2025" → 30/09/2025, quarter).
    By,
    /// Standing duty ("Thường xuyên", "Hằng ngày", an open start "Từ 01/7/2025").
    Ongoing,
    /// Periodic duty ("Định kỳ hằng quý", "hằng năm").
    Recurring,
    /// Waits for an outside event ("Sau khi có Thông tư của các Bộ chuyên ngành").
    Conditional,
    /// For as long as something lasts ("Trong quá trình thực hiện sắp xếp …").
    During,
    /// No timing given.
    Unspecified,
}

/// How precisely a `by` date was stated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Precision {
    /// A day ("trước ngày 15/12/2025").
    Day,
    /// A month ("tháng 10/2025").
    Month,
    /// A quarter ("Quý III/2025").
    Quarter,
    /// A half-year ("6 tháng đầu năm 2026").
    HalfYear,
    /// A year ("năm 2026").
    Year,
}

/// Period of a recurring duty.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Period {
    /// Every day.
    Daily,
    /// Every week.
    Weekly,
    /// Every month.
    Monthly,
    /// Every quarter.
    Quarterly,
    /// Every six months.
    HalfYearly,
    /// Every year.
    Yearly,
}

/// A task's deadline: the words as written and their structured meaning.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deadline {
    /// The phrase as written in the plan.
    pub text: String,
    /// The firmest kind found in the phrase.
    pub kind: DeadlineKind,
    /// Last day by which the task is due (kind `by`; also the end of a closed range).
    pub due: Option<NaiveDate>,
    /// Precision of `due`.
    pub precision: Option<Precision>,
    /// Period of a recurring duty.
    pub period: Option<Period>,
    /// The event a conditional or during deadline waits for, or a condition written beside a date.
    pub event: Option<String>,
    /// Start of a range or of an open-ended duty ("Từ 01/7/2025").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<NaiveDate>,
}

impl Deadline {
    /// A deadline with no timing information.
    pub fn unspecified(text: impl Into<String>) -> Self {
        Deadline {
            text: text.into(),
            kind: DeadlineKind::Unspecified,
            due: None,
            precision: None,
            period: None,
            event: None,
            start: None,
        }
    }
}
