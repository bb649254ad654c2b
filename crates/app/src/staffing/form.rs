//! The staffing forms: a figure of a unit's ledger and a reduction target, as typed in a page
//! or sent as JSON, parsed into typed values or a Vietnamese error naming the field.

use chrono::NaiveDate;
use serde::Deserialize;
use tinhgon_domain::draft::Direction;
use tinhgon_domain::staffing::{Measure, StaffCategory, StaffLine};
use tinhgon_domain::staffing_figures::{Figure, LeaveReason};

use crate::error::{AppError, Result};
use crate::input;

/// Largest count accepted: no unit has a million staff, so more is a typing slip.
pub(crate) const MAX_COUNT: u32 = 1_000_000;

/// A whole number of people typed in `field` (spaces ignored); `what` names it in the message.
pub fn count(field: &'static str, value: &str, what: &str) -> Result<u32> {
    let v: String = value.chars().filter(|c| !c.is_whitespace()).collect();
    match v.parse::<u32>() {
        Ok(n) if n <= MAX_COUNT => Ok(n),
        _ if v.is_empty() => Err(AppError::invalid(field, format!("Vui lòng nhập {what}."))),
        _ => Err(AppError::invalid(
            field,
            format!(
                "{} phải là số nguyên từ 0 đến {MAX_COUNT}, không phải “{}”.",
                capitalized(what),
                value.trim()
            ),
        )),
    }
}

/// `s` with its first letter a capital: a message starts with what it is about.
fn capitalized(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A year between 2000 and 2100 typed in `field`.
pub fn year(field: &'static str, value: &str) -> Result<i32> {
    match value.trim().parse::<i32>() {
        Ok(y) if (2000..=2100).contains(&y) => Ok(y),
        _ => Err(AppError::invalid(
            field,
            format!("Năm phải từ 2000 đến 2100, không phải “{}”.", value.trim()),
        )),
    }
}

/// A ledger line named by its stable name or its Vietnamese label.
pub fn line(field: &'static str, value: &str) -> Result<StaffLine> {
    StaffLine::parse(value).ok_or_else(|| {
        let names: Vec<&str> = StaffLine::ALL.iter().map(|l| l.label_vi()).collect();
        AppError::invalid(
            field,
            format!("Loại biên chế phải là một trong: {}.", names.join("; ")),
        )
    })
}

/// A figure as submitted: `kind` says which fields count.
#[derive(Debug, Default, Deserialize)]
pub struct FigureForm {
    /// `quota`, `headcount`, `leadership`, `secondment` or `leavers`.
    #[serde(default)]
    pub kind: String,
    /// Year of a quota.
    #[serde(default)]
    pub year: String,
    /// Ledger line of a quota or headcount (stable name or label).
    #[serde(default)]
    pub line: String,
    /// Positions or people of a quota or headcount.
    #[serde(default)]
    pub count: String,
    /// Deciding document of a quota.
    #[serde(default)]
    pub decision: String,
    /// Day of a headcount or leadership count.
    #[serde(default)]
    pub on: String,
    /// Heads.
    #[serde(default)]
    pub heads: String,
    /// Deputies.
    #[serde(default)]
    pub deputies: String,
    /// Deputies allowed (may be blank).
    #[serde(default)]
    pub deputy_cap: String,
    /// First day of a secondment or of a leavers' period.
    #[serde(default)]
    pub from: String,
    /// Last day (may be blank for a secondment).
    #[serde(default)]
    pub to: String,
    /// People seconded or leaving.
    #[serde(default)]
    pub people: String,
    /// Note of a secondment.
    #[serde(default)]
    pub note: String,
    /// Why people left (`early_retirement`, `resignation`, `other`).
    #[serde(default)]
    pub reason: String,
    /// Policy cited for leavers.
    #[serde(default)]
    pub policy: String,
}

impl FigureForm {
    /// The figure, or the field to fix.
    pub fn parse(self) -> Result<Figure> {
        let day =
            |field: &'static str, v: &str| input::date(field, v, "Ngày không hợp lệ (dd/mm/yyyy).");
        match self.kind.trim() {
            "quota" => Ok(Figure::Quota {
                year: year("year", &self.year)?,
                line: line("line", &self.line)?,
                count: count("count", &self.count, "số biên chế được giao")?,
                decision: input::text(
                    "decision",
                    &self.decision,
                    "Vui lòng ghi văn bản giao biên chế (số, ngày của quyết định).",
                )?,
            }),
            "headcount" => Ok(Figure::Headcount {
                on: day("on", &self.on)?,
                line: line("line", &self.line)?,
                count: count("count", &self.count, "số người có mặt")?,
            }),
            "leadership" => {
                let deputy_cap = if self.deputy_cap.trim().is_empty() {
                    None
                } else {
                    Some(count("deputy_cap", &self.deputy_cap, "số cấp phó tối đa")?)
                };
                Ok(Figure::Leadership {
                    on: day("on", &self.on)?,
                    heads: count("heads", &self.heads, "số cấp trưởng")?,
                    deputies: count("deputies", &self.deputies, "số cấp phó")?,
                    deputy_cap,
                })
            }
            "secondment" => {
                let from = day("from", &self.from)?;
                let to = input::date_or_empty("to", &self.to, "Ngày kết thúc không hợp lệ (dd/mm/yyyy).")?;
                if to.is_some_and(|t| t < from) {
                    return Err(AppError::invalid("to", "Ngày kết thúc phải từ ngày bắt đầu trở đi."));
                }
                Ok(Figure::Secondment {
                    from,
                    to,
                    people: count("people", &self.people, "số người được cử")?,
                    note: input::note(&self.note),
                })
            }
            "leavers" => {
                let from = day("from", &self.from)?;
                let to = day("to", &self.to)?;
                if to < from {
                    return Err(AppError::invalid("to", "Ngày cuối kỳ phải từ ngày đầu kỳ trở đi."));
                }
                let reason = LeaveReason::parse(&self.reason).ok_or_else(|| {
                    AppError::invalid("reason", "Vui lòng chọn lý do nghỉ (nghỉ hưu trước tuổi, thôi việc, khác).")
                })?;
                Ok(Figure::Leavers {
                    from,
                    to,
                    reason,
                    policy: input::text(
                        "policy",
                        &self.policy,
                        "Vui lòng ghi chính sách áp dụng (ví dụ Nghị định 178/2024/NĐ-CP).",
                    )?,
                    people: count("people", &self.people, "số người nghỉ")?,
                })
            }
            _ => Err(AppError::invalid(
                "kind",
                "Vui lòng chọn loại số liệu: biên chế được giao, số có mặt, lãnh đạo, cử đi cơ sở hoặc nghỉ theo chính sách.",
            )),
        }
    }
}

/// A reduction target as submitted.
#[derive(Debug, Default, Deserialize)]
pub struct TargetForm {
    /// What it says.
    #[serde(default)]
    pub title: String,
    /// Percent ("20" or "20,5").
    #[serde(default)]
    pub percent: String,
    /// `decrease` (default), `increase` or `cap`.
    #[serde(default)]
    pub direction: String,
    /// Categories counted, stable names separated by commas (default: civil servants and
    /// public employees).
    #[serde(default)]
    pub categories: String,
    /// "1", "true" or "on" when only positions paid from the state budget count (default yes).
    #[serde(default)]
    pub state_budget_paid_only: Option<String>,
    /// Baseline year.
    #[serde(default)]
    pub baseline_year: String,
    /// Deadline (may be blank).
    #[serde(default)]
    pub deadline: String,
    /// Number of the plan that sets it (may be blank).
    #[serde(default)]
    pub plan: String,
    /// Units in scope, names separated by ";" (blank: every unit of the province).
    #[serde(default)]
    pub scope: String,
    /// `quota` (default: the quotas assigned) or `headcount` (the people the units report).
    #[serde(default)]
    pub measure: String,
}

/// A target that can be added.
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    /// What it says.
    pub title: String,
    /// Percent, 0 to 100.
    pub percent: f64,
    /// Direction.
    pub direction: Direction,
    /// Categories counted.
    pub categories: Vec<StaffCategory>,
    /// Only positions paid from the state budget count.
    pub state_budget_paid_only: bool,
    /// Baseline year.
    pub baseline_year: i32,
    /// Deadline.
    pub deadline: Option<NaiveDate>,
    /// Plan number.
    pub plan: Option<String>,
    /// Unit names in scope.
    pub scope: Vec<String>,
    /// Quotas or headcounts.
    pub measure: Measure,
}

impl TargetForm {
    /// The target, or the field to fix.
    pub fn parse(self) -> Result<Target> {
        let title = input::text(
            "title",
            &self.title,
            "Vui lòng ghi nội dung chỉ tiêu (ví dụ: Giảm tối thiểu 20% biên chế).",
        )?;
        let percent = self
            .percent
            .trim()
            .replace(',', ".")
            .trim_end_matches('%')
            .parse::<f64>()
            .ok()
            .filter(|p| p.is_finite() && (0.0..=100.0).contains(p))
            .ok_or_else(|| AppError::invalid("percent", "Tỷ lệ phải là số từ 0 đến 100."))?;
        let direction = match self.direction.trim() {
            "" | "decrease" => Direction::Decrease,
            "increase" => Direction::Increase,
            "cap" => Direction::Cap,
            _ => {
                return Err(AppError::invalid(
                    "direction",
                    "Chiều chỉ tiêu phải là giảm, tăng hoặc giữ trong mức tối đa.",
                ))
            }
        };
        let categories = if self.categories.trim().is_empty() {
            vec![StaffCategory::CivilServant, StaffCategory::PublicEmployee]
        } else {
            self.categories
                .split(',')
                .map(|c| {
                    StaffCategory::parse(c.trim()).ok_or_else(|| {
                        AppError::invalid(
                            "categories",
                            "Loại biên chế phải là civil_servant, public_employee hoặc contract.",
                        )
                    })
                })
                .collect::<Result<Vec<_>>>()?
        };
        let state_budget_paid_only = match self.state_budget_paid_only.as_deref().map(str::trim) {
            None | Some("1" | "true" | "on") => true,
            Some("" | "0" | "false" | "off") => false,
            Some(_) => {
                return Err(AppError::invalid(
                    "state_budget_paid_only",
                    "Phạm vi hưởng lương từ ngân sách phải là có hoặc không.",
                ))
            }
        };
        let measure = match self.measure.trim() {
            "" => Measure::Quota,
            m => Measure::parse(m).ok_or_else(|| {
                AppError::invalid(
                    "measure",
                    "Chỉ tiêu tính theo biên chế được giao (quota) hoặc số người có mặt (headcount).",
                )
            })?,
        };
        Ok(Target {
            measure,
            title,
            percent,
            direction,
            categories,
            state_budget_paid_only,
            baseline_year: year("baseline_year", &self.baseline_year)?,
            deadline: input::date_or_empty(
                "deadline",
                &self.deadline,
                "Thời hạn không hợp lệ (dd/mm/yyyy).",
            )?,
            plan: input::note(&self.plan),
            scope: self
                .scope
                .split(';')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(r: Result<Figure>) -> &'static str {
        match r {
            Err(AppError::Invalid { field, .. }) => field,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_quota_needs_a_year_a_line_a_count_and_its_document() {
        let ok = FigureForm {
            kind: "quota".into(),
            year: "2025".into(),
            line: "Biên chế công chức".into(),
            count: " 118 ".into(),
            decision: "Quyết định 12/QĐ-UBND".into(),
            ..FigureForm::default()
        };
        assert_eq!(
            ok.parse().unwrap(),
            Figure::Quota {
                year: 2025,
                line: StaffLine::ALL[0],
                count: 118,
                decision: "Quyết định 12/QĐ-UBND".into()
            }
        );
        let bad = |f: FigureForm| field(f.parse());
        let base = || FigureForm {
            kind: "quota".into(),
            year: "2025".into(),
            line: "civil_servant".into(),
            count: "5".into(),
            decision: "QĐ 1".into(),
            ..FigureForm::default()
        };
        assert_eq!(
            bad(FigureForm {
                year: "25".into(),
                ..base()
            }),
            "year"
        );
        assert_eq!(
            bad(FigureForm {
                line: "cán bộ".into(),
                ..base()
            }),
            "line"
        );
        assert_eq!(
            bad(FigureForm {
                count: "-3".into(),
                ..base()
            }),
            "count"
        );
        assert_eq!(
            bad(FigureForm {
                decision: " ".into(),
                ..base()
            }),
            "decision"
        );
        assert_eq!(
            bad(FigureForm {
                kind: "quarterly".into(),
                ..base()
            }),
            "kind"
        );
    }

    #[test]
    fn periods_run_forwards() {
        let f = FigureForm {
            kind: "leavers".into(),
            from: "01/07/2025".into(),
            to: "30/06/2025".into(),
            reason: "early_retirement".into(),
            policy: "Nghị định 178/2024/NĐ-CP".into(),
            people: "3".into(),
            ..FigureForm::default()
        };
        assert_eq!(field(f.parse()), "to");
    }

    #[test]
    fn a_target_defaults_to_budget_paid_civil_servants_and_public_employees() {
        let t = TargetForm {
            title: "Giảm tối thiểu 20%".into(),
            percent: "20".into(),
            baseline_year: "2021".into(),
            ..TargetForm::default()
        }
        .parse()
        .unwrap();
        assert_eq!(t.direction, Direction::Decrease);
        assert_eq!(t.measure, Measure::Quota);
        assert!(t.state_budget_paid_only);
        assert_eq!(
            t.categories,
            [StaffCategory::CivilServant, StaffCategory::PublicEmployee]
        );
        let over = TargetForm {
            title: "x".into(),
            percent: "120".into(),
            baseline_year: "2021".into(),
            ..TargetForm::default()
        };
        assert!(matches!(
            over.parse(),
            Err(AppError::Invalid {
                field: "percent",
                ..
            })
        ));
        let people = TargetForm {
            title: "x".into(),
            percent: "20".into(),
            baseline_year: "2021".into(),
            measure: "headcount".into(),
            ..TargetForm::default()
        };
        assert_eq!(people.parse().unwrap().measure, Measure::Headcount);
        let wrong = TargetForm {
            title: "x".into(),
            percent: "20".into(),
            baseline_year: "2021".into(),
            measure: "người".into(),
            ..TargetForm::default()
        };
        assert!(matches!(
            wrong.parse(),
            Err(AppError::Invalid {
                field: "measure",
                ..
            })
        ));
    }
}
