//! The staffing ledger's figures for one unit: the quota assigned for a year with its deciding
//! document, headcount snapshots (số có mặt), leadership posts held (cấp trưởng, cấp phó and
//! the cap on deputies), people sent to the grassroots (cử đi công tác ở cơ sở) and people who
//! left under the streamlining policies, counted per period with the policy cited.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::staffing::StaffLine;

/// Why people left under the streamlining policies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LeaveReason {
    /// Nghỉ hưu trước tuổi.
    EarlyRetirement,
    /// Thôi việc.
    Resignation,
    /// Chuyển công tác, tinh giản khác.
    Other,
}

impl LeaveReason {
    /// All reasons, in the order of the forms.
    pub const ALL: [LeaveReason; 3] = [
        LeaveReason::EarlyRetirement,
        LeaveReason::Resignation,
        LeaveReason::Other,
    ];

    /// Stable name.
    pub fn as_str(self) -> &'static str {
        match self {
            LeaveReason::EarlyRetirement => "early_retirement",
            LeaveReason::Resignation => "resignation",
            LeaveReason::Other => "other",
        }
    }

    /// Parses the stable name.
    pub fn parse(s: &str) -> Option<LeaveReason> {
        LeaveReason::ALL
            .into_iter()
            .find(|r| r.as_str() == s.trim())
    }

    /// Vietnamese label.
    pub fn label_vi(self) -> &'static str {
        match self {
            LeaveReason::EarlyRetirement => "Nghỉ hưu trước tuổi",
            LeaveReason::Resignation => "Thôi việc",
            LeaveReason::Other => "Khác (chuyển công tác, tinh giản khác)",
        }
    }
}

/// One figure of a unit's ledger.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Figure {
    /// The quota assigned for a year, with the document that assigned it.
    Quota {
        /// Year.
        year: i32,
        /// Ledger line.
        line: StaffLine,
        /// Positions.
        count: u32,
        /// Deciding document ("Quyết định số 123/QĐ-UBND").
        decision: String,
    },
    /// People actually working on a day (số có mặt).
    Headcount {
        /// Day of the count.
        on: NaiveDate,
        /// Ledger line.
        line: StaffLine,
        /// People.
        count: u32,
    },
    /// Leadership posts held on a day, and the number of deputies allowed.
    Leadership {
        /// Day of the count.
        on: NaiveDate,
        /// Heads (cấp trưởng).
        heads: u32,
        /// Deputies (cấp phó).
        deputies: u32,
        /// Deputies allowed by the rules, when known.
        deputy_cap: Option<u32>,
    },
    /// People sent to work at the grassroots.
    Secondment {
        /// First day.
        from: NaiveDate,
        /// Last day, when fixed.
        to: Option<NaiveDate>,
        /// People sent.
        people: u32,
        /// Where, or anything else worth keeping.
        note: Option<String>,
    },
    /// People who left under a streamlining policy in a period.
    Leavers {
        /// First day of the period.
        from: NaiveDate,
        /// Last day of the period.
        to: NaiveDate,
        /// Why they left.
        reason: LeaveReason,
        /// Policy cited ("Nghị định 178/2024/NĐ-CP").
        policy: String,
        /// People.
        people: u32,
    },
}

impl Figure {
    /// Stable name of the kind of figure (forms, API, audit rows).
    pub fn kind(&self) -> &'static str {
        match self {
            Figure::Quota { .. } => "quota",
            Figure::Headcount { .. } => "headcount",
            Figure::Leadership { .. } => "leadership",
            Figure::Secondment { .. } => "secondment",
            Figure::Leavers { .. } => "leavers",
        }
    }

    /// What the figure is, in Vietnamese, for messages ("Biên chế được giao năm 2025").
    pub fn label_vi(&self) -> String {
        let d = |d: &NaiveDate| d.format("%d/%m/%Y").to_string();
        match self {
            Figure::Quota { year, line, .. } => {
                format!("Biên chế được giao năm {year} ({})", line.label_vi())
            }
            Figure::Headcount { on, line, .. } => {
                format!("Số có mặt ngày {} ({})", d(on), line.label_vi())
            }
            Figure::Leadership { on, .. } => format!("Số lãnh đạo ngày {}", d(on)),
            Figure::Secondment { from, .. } => format!("Cử đi công tác ở cơ sở từ {}", d(from)),
            Figure::Leavers { from, to, .. } => {
                format!("Số người nghỉ theo chính sách từ {} đến {}", d(from), d(to))
            }
        }
    }
}
