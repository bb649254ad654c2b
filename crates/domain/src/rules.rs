//! Statutory rules on the apparatus, held as data (table `statutory_rules`) with their
//! citation and period of effect rather than as constants: the law changes (Nghị định
//! 45/2025/NĐ-CP, then 150/2025/NĐ-CP) and the check must answer for any day.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::model::Id;

/// What a rule limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RuleKind {
    /// The number of departments (sở and equivalent specialised agencies) of a province.
    MaxDepartments,
    /// The fewest civil servants a division of a department (phòng thuộc sở) may have.
    MinStaffDivision,
    /// The fewest civil servants a chi cục may have.
    MinStaffSubDepartment,
    /// The average number of deputy heads (phó giám đốc) per department of a province.
    MaxDeputiesAverage,
    /// The deputies a department formed by a merger or consolidation may have above the
    /// average, for `grace_months` from the event.
    MergedExtraDeputy,
}

impl RuleKind {
    /// The kind whose stable name is `s`.
    pub fn parse(s: &str) -> Option<RuleKind> {
        match s.trim() {
            "max_departments" => Some(RuleKind::MaxDepartments),
            "min_staff_division" => Some(RuleKind::MinStaffDivision),
            "min_staff_sub_department" => Some(RuleKind::MinStaffSubDepartment),
            "max_deputies_average" => Some(RuleKind::MaxDeputiesAverage),
            "merged_extra_deputy" => Some(RuleKind::MergedExtraDeputy),
            _ => None,
        }
    }
}

/// A rule as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rule {
    /// What it limits.
    pub kind: RuleKind,
    /// The province it is specific to (its code, "01" Hà Nội), None for every province.
    pub province_code: Option<String>,
    /// The limit.
    pub limit: i64,
    /// Where it is written ("Nghị định 150/2025/NĐ-CP").
    pub citation: String,
    /// First day it applies.
    pub valid_from: NaiveDate,
    /// First day it no longer applies (None: still in force).
    pub valid_to: Option<NaiveDate>,
    /// Until when a unit over the limit is tolerated (the rule's transition period).
    pub grace_until: Option<NaiveDate>,
    /// A transition period counted from the event that formed the unit, in months.
    pub grace_months: Option<u32>,
}

impl Rule {
    fn in_force(&self, day: NaiveDate) -> bool {
        self.valid_from <= day && self.valid_to.is_none_or(|t| day < t)
    }
}

/// The rule of `kind` that applies to the province `code` on `day`: one written for that
/// province wins over the general one.
pub fn applicable<'a>(
    rules: &'a [Rule],
    kind: RuleKind,
    code: Option<&str>,
    day: NaiveDate,
) -> Option<&'a Rule> {
    let live = rules.iter().filter(|r| r.kind == kind && r.in_force(day));
    let mut general = None;
    for r in live {
        match (&r.province_code, code) {
            (Some(c), Some(mine)) if c == mine => return Some(r),
            (None, _) => general = general.or(Some(r)),
            _ => {}
        }
    }
    general
}

/// A rule broken.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Violation {
    /// Who breaks it (the province's or the unit's name).
    pub subject: String,
    /// The unit that breaks it (None: the province as a whole).
    pub unit_id: Option<Id>,
    /// What is wrong, in Vietnamese.
    pub message: String,
    /// The rule's citation.
    pub citation: String,
    /// Until when it is tolerated, if the rule gives a transition period.
    pub grace_until: Option<NaiveDate>,
}

/// Checks the number of departments `count` of `province` on `day` against the rule in force.
pub fn check_departments(
    rules: &[Rule],
    province: &str,
    code: Option<&str>,
    count: usize,
    day: NaiveDate,
) -> Option<Violation> {
    let rule = applicable(rules, RuleKind::MaxDepartments, code, day)?;
    let limit = usize::try_from(rule.limit).unwrap_or(usize::MAX);
    (count > limit).then(|| Violation {
        subject: province.to_string(),
        unit_id: None,
        message: format!(
            "{province} có {count} sở và cơ quan tương đương vào ngày {}, vượt số tối đa {limit}.",
            day.format("%d/%m/%Y")
        ),
        citation: rule.citation.clone(),
        grace_until: rule.grace_until,
    })
}

/// Checks a division's or a chi cục's civil servants `staff` on `day` against the minimum
/// in force (`kind` is [`RuleKind::MinStaffDivision`] or [`RuleKind::MinStaffSubDepartment`]).
pub fn check_min_staff(
    rules: &[Rule],
    kind: RuleKind,
    unit: (Id, &str),
    code: Option<&str>,
    staff: i64,
    day: NaiveDate,
) -> Option<Violation> {
    let rule = applicable(rules, kind, code, day)?;
    let what = match kind {
        RuleKind::MinStaffSubDepartment => "chi cục",
        _ => "phòng thuộc sở",
    };
    (staff < rule.limit).then(|| Violation {
        subject: unit.1.to_string(),
        unit_id: Some(unit.0),
        message: format!(
            "{} có {staff} biên chế công chức, ít hơn mức tối thiểu {} của {what}.",
            unit.1, rule.limit
        ),
        citation: rule.citation.clone(),
        grace_until: rule.grace_until,
    })
}

/// A department's deputies on the day checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deputies {
    /// The department.
    pub unit_id: Id,
    /// Its name.
    pub name: String,
    /// Its deputy heads, from the latest leadership figures.
    pub deputies: i64,
    /// The date of the merger or consolidation that formed it, if one did.
    pub merged_on: Option<NaiveDate>,
}

/// The last day of a merged department's extra deputy: `months` after `from`.
fn grace_end(from: NaiveDate, months: Option<u32>) -> Option<NaiveDate> {
    months.and_then(|m| from.checked_add_months(chrono::Months::new(m)))
}

/// Checks the deputies of a province's departments on `day`: the province's total against
/// the average in force times the departments counted, plus the extra each merged
/// department keeps during its transition; and each merged department above the average,
/// which is tolerated only until the end of its transition (the violation's grace date)
/// and never beyond the extra.
pub fn check_deputies(
    rules: &[Rule],
    province: &str,
    code: Option<&str>,
    departments: &[Deputies],
    day: NaiveDate,
) -> Vec<Violation> {
    let Some(avg) = applicable(rules, RuleKind::MaxDeputiesAverage, code, day) else {
        return Vec::new();
    };
    let extra = applicable(rules, RuleKind::MergedExtraDeputy, code, day);
    let in_grace = |m: Option<NaiveDate>| -> Option<NaiveDate> {
        let (e, m) = (extra?, m?);
        grace_end(m, e.grace_months)
            .filter(|end| day < *end)
            .or(e.grace_months.is_none().then_some(NaiveDate::MAX))
    };
    let mut out = Vec::new();
    let n = i64::try_from(departments.len()).unwrap_or(i64::MAX);
    if n == 0 {
        return out;
    }
    let total: i64 = departments.iter().map(|d| d.deputies).sum();
    let extras: i64 = departments
        .iter()
        .filter(|d| in_grace(d.merged_on).is_some())
        .map(|_| extra.map_or(0, |e| e.limit))
        .sum();
    let allowed = avg.limit * n + extras;
    if total > allowed {
        let mean = format!("{:.1}", total as f64 / n as f64).replace('.', ",");
        let extra_text = if extras > 0 {
            format!(", thêm {extras} cho các sở hợp nhất, sáp nhập")
        } else {
            String::new()
        };
        out.push(Violation {
            subject: province.to_string(),
            unit_id: None,
            message: format!(
                "{province} có {total} phó giám đốc ở {n} sở (bình quân {mean}), vượt mức {allowed} (bình quân {} mỗi sở{extra_text}).",
                avg.limit
            ),
            citation: avg.citation.clone(),
            grace_until: avg.grace_until,
        });
    }
    for d in departments.iter().filter(|d| d.deputies > avg.limit) {
        let Some(merged_on) = d.merged_on else {
            continue;
        };
        let Some(e) = extra else {
            continue;
        };
        let until = in_grace(Some(merged_on));
        let over_extra = d.deputies > avg.limit + e.limit;
        let message = if over_extra {
            format!(
                "{} có {} phó giám đốc, vượt cả mức {} cộng {} của sở hợp nhất, sáp nhập.",
                d.name, d.deputies, avg.limit, e.limit
            )
        } else if let Some(end) = until.filter(|u| *u != NaiveDate::MAX) {
            format!(
                "{} có {} phó giám đốc, nhiều hơn mức bình quân {}: sở hợp nhất, sáp nhập được giữ thêm {} đến ngày {}.",
                d.name, d.deputies, avg.limit, e.limit, end.format("%d/%m/%Y")
            )
        } else if until.is_some() {
            continue;
        } else {
            format!(
                "{} có {} phó giám đốc, nhiều hơn mức bình quân {}; thời hạn giữ thêm phó giám đốc sau hợp nhất, sáp nhập đã hết.",
                d.name, d.deputies, avg.limit
            )
        };
        out.push(Violation {
            subject: d.name.clone(),
            unit_id: Some(d.unit_id),
            message,
            citation: e.citation.clone(),
            grace_until: if over_extra {
                None
            } else {
                until.filter(|u| *u != NaiveDate::MAX)
            },
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn rule(code: Option<&str>, limit: i64, from: NaiveDate) -> Rule {
        Rule {
            kind: RuleKind::MaxDepartments,
            province_code: code.map(str::to_string),
            limit,
            citation: format!("quy định {limit}"),
            valid_from: from,
            valid_to: None,
            grace_until: None,
            grace_months: None,
        }
    }

    #[test]
    fn a_province_specific_limit_wins_and_nothing_applies_before_the_rule() {
        let rules = [
            rule(None, 14, d(2025, 3, 1)),
            rule(Some("01"), 15, d(2025, 3, 1)),
        ];
        assert!(check_departments(&rules, "Hà Nội", Some("01"), 15, d(2025, 3, 1)).is_none());
        let v = check_departments(&rules, "Nghệ An", Some("40"), 15, d(2025, 3, 1))
            .expect("over the limit");
        assert_eq!(v.citation, "quy định 14");
        assert!(v.message.contains("15 sở"), "{}", v.message);
        assert!(check_departments(&rules, "Nghệ An", Some("40"), 14, d(2025, 3, 1)).is_none());
        assert!(check_departments(&rules, "Nghệ An", Some("40"), 20, d(2025, 2, 28)).is_none());
    }

    fn staff_rule(kind: RuleKind, limit: i64, grace_months: Option<u32>) -> Rule {
        Rule {
            kind,
            province_code: None,
            limit,
            citation: format!("{kind:?}"),
            valid_from: d(2025, 3, 1),
            valid_to: None,
            grace_until: None,
            grace_months,
        }
    }

    #[test]
    fn a_division_under_the_minimum_is_named_with_its_citation() {
        let rules = [staff_rule(RuleKind::MinStaffDivision, 7, None)];
        let v = check_min_staff(
            &rules,
            RuleKind::MinStaffDivision,
            (5, "Phòng Tổ chức"),
            None,
            6,
            d(2025, 3, 1),
        )
        .expect("under");
        assert_eq!(v.unit_id, Some(5));
        assert!(
            v.message.contains("6 biên chế") && v.message.contains("tối thiểu 7"),
            "{}",
            v.message
        );
        assert!(check_min_staff(
            &rules,
            RuleKind::MinStaffDivision,
            (5, "P"),
            None,
            7,
            d(2025, 3, 1)
        )
        .is_none());
        assert!(check_min_staff(
            &rules,
            RuleKind::MinStaffSubDepartment,
            (5, "P"),
            None,
            1,
            d(2025, 3, 1)
        )
        .is_none());
    }

    #[test]
    fn a_merged_department_keeps_one_more_deputy_until_its_grace_ends() {
        let rules = [
            staff_rule(RuleKind::MaxDeputiesAverage, 3, None),
            staff_rule(RuleKind::MergedExtraDeputy, 1, Some(60)),
        ];
        let dep = |id, deputies, merged: bool| Deputies {
            unit_id: id,
            name: format!("Sở {id}"),
            deputies,
            merged_on: merged.then(|| d(2025, 3, 1)),
        };
        // 4 + 3 within 3 × 2 + 1: only the merged department is named, with its deadline.
        let v = check_deputies(
            &rules,
            "Tỉnh X",
            None,
            &[dep(1, 4, true), dep(2, 3, false)],
            d(2026, 1, 1),
        );
        assert_eq!(v.len(), 1, "{v:?}");
        assert_eq!(
            (v[0].unit_id, v[0].grace_until),
            (Some(1), Some(d(2030, 3, 1)))
        );
        // The same department after its grace: over, and the province over its average too.
        let v = check_deputies(
            &rules,
            "Tỉnh X",
            None,
            &[dep(1, 4, true), dep(2, 3, false)],
            d(2030, 3, 1),
        );
        assert_eq!(v.len(), 2, "{v:?}");
        assert!(
            v[0].unit_id.is_none() && v[0].message.contains("7 phó giám đốc"),
            "{}",
            v[0].message
        );
        assert_eq!(v[1].grace_until, None);
        // Two more than the average is never tolerated; a department not merged is judged
        // only through the average.
        let v = check_deputies(
            &rules,
            "Tỉnh X",
            None,
            &[dep(1, 5, true), dep(2, 1, false), dep(3, 4, false)],
            d(2026, 1, 1),
        );
        assert_eq!(v.len(), 1, "{v:?}");
        assert_eq!((v[0].unit_id, v[0].grace_until), (Some(1), None));
        assert!(
            check_deputies(&rules, "Tỉnh X", None, &[dep(1, 9, true)], d(2025, 2, 1)).is_empty()
        );
    }
}
