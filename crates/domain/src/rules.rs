//! Statutory rules on the apparatus, held as data (table `statutory_rules`) with their
//! citation and period of effect rather than as constants: the law changes (Nghị định
//! 45/2025/NĐ-CP, then 150/2025/NĐ-CP) and the check must answer for any day.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// What a rule limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RuleKind {
    /// The number of departments (sở and equivalent specialised agencies) of a province.
    MaxDepartments,
}

impl RuleKind {
    /// The kind whose stable name is `s`.
    pub fn parse(s: &str) -> Option<RuleKind> {
        match s.trim() {
            "max_departments" => Some(RuleKind::MaxDepartments),
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
    /// Who breaks it (the province's name).
    pub subject: String,
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
        message: format!(
            "{province} có {count} sở và cơ quan tương đương vào ngày {}, vượt số tối đa {limit}.",
            day.format("%d/%m/%Y")
        ),
        citation: rule.citation.clone(),
        grace_until: rule.grace_until,
    })
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
}
