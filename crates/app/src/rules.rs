//! The statutory rule check of the register (`tinhgon registry check`, the register pages):
//! each province's departments against the limit in force on a day, the civil servants of
//! its divisions and chi cục against the minimum, its deputy heads against the average and
//! the extra a merged department keeps for a time, each with the rule's citation and any
//! grace period; then the functions register's gaps and overlaps. The rules are data
//! (`statutory_rules`), so a new decree is a new row.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::Serialize;
use tinhgon_domain::model::Id;
use tinhgon_domain::rules::{
    check_departments, check_deputies, check_min_staff, Deputies, RuleKind, Violation,
};
use tinhgon_store::tx::Exec;
use tinhgon_store::Db;

use crate::error::Result;
use crate::functions::{self, Findings};

/// The rule violations on `day`, for one province or (None) every province in the database.
pub async fn check(db: &Db, province: Option<Id>, day: NaiveDate) -> Result<Vec<Violation>> {
    Ok(by_province(db.into(), province, day)
        .await?
        .into_iter()
        .flat_map(|p| p.violations)
        .collect())
}

/// What the check found for one province.
#[derive(Debug, Clone, Serialize)]
pub struct ProvinceReport {
    /// The province.
    pub province_id: Id,
    /// Its name.
    pub name: String,
    /// Rules broken (the province's and its units').
    pub violations: Vec<Violation>,
    /// Gaps and overlaps of its functions register.
    pub functions: Findings,
}

impl ProvinceReport {
    /// Nothing to report.
    pub fn is_clean(&self) -> bool {
        self.violations.is_empty()
            && self.functions.gaps.is_empty()
            && self.functions.overlaps.is_empty()
    }

    /// What concerns the unit `unit`: its own violations and the overlaps it is part of.
    pub fn for_unit(&self, unit: Id) -> (Vec<Violation>, Vec<tinhgon_domain::functions::Overlap>) {
        (
            self.violations
                .iter()
                .filter(|v| v.unit_id == Some(unit))
                .cloned()
                .collect(),
            self.functions
                .overlaps
                .iter()
                .filter(|o| o.units.iter().any(|(id, _)| *id == unit))
                .cloned()
                .collect(),
        )
    }
}

/// Rule violations per province on `day` (without the functions findings).
async fn by_province(
    mut db: Exec<'_>,
    province: Option<Id>,
    day: NaiveDate,
) -> Result<Vec<ProvinceReport>> {
    let rules = tinhgon_store::rules::rules(db.reborrow()).await?;
    let provinces = tinhgon_store::rules::department_counts(db.reborrow(), day).await?;
    let code_of: HashMap<Id, Option<String>> = provinces
        .iter()
        .map(|(id, _, code, _)| (*id, code.clone()))
        .collect();
    let mut staffed: HashMap<Id, Vec<Violation>> = HashMap::new();
    for u in tinhgon_store::rules::staffed_units(db.reborrow(), day).await? {
        let kind = if u.kind == "sub_department" {
            RuleKind::MinStaffSubDepartment
        } else {
            RuleKind::MinStaffDivision
        };
        let Some(staff) = u.quota.or(u.headcount) else {
            continue;
        };
        let code = code_of.get(&u.province_id).cloned().flatten();
        if let Some(v) = check_min_staff(&rules, kind, (u.id, &u.name), code.as_deref(), staff, day)
        {
            staffed.entry(u.province_id).or_default().push(v);
        }
    }
    let mut deputies: HashMap<Id, Vec<Deputies>> = HashMap::new();
    for d in tinhgon_store::rules::department_deputies(db.reborrow(), day).await? {
        deputies.entry(d.province_id).or_default().push(Deputies {
            unit_id: d.id,
            name: d.name,
            deputies: d.deputies,
            merged_on: d.merged_on,
        });
    }
    let mut out = Vec::new();
    for (id, name, code, count) in provinces {
        if province.is_some_and(|p| p != id) {
            continue;
        }
        let count = usize::try_from(count).unwrap_or(0);
        let mut violations: Vec<Violation> =
            check_departments(&rules, &name, code.as_deref(), count, day)
                .into_iter()
                .collect();
        if let Some(d) = deputies.get(&id) {
            violations.extend(check_deputies(&rules, &name, code.as_deref(), d, day));
        }
        violations.extend(staffed.remove(&id).unwrap_or_default());
        out.push(ProvinceReport {
            province_id: id,
            name,
            violations,
            functions: Findings::default(),
        });
    }
    Ok(out)
}

/// The full check on `day`: rule violations, and the functions register's gaps and
/// overlaps, per province (one, or every province in the database).
pub async fn report(db: &Db, province: Option<Id>, day: NaiveDate) -> Result<Vec<ProvinceReport>> {
    report_on(db.into(), province, day).await
}

/// [`report`] on any executor: a scenario reads it inside the transaction it simulates in.
pub async fn report_on(
    mut db: Exec<'_>,
    province: Option<Id>,
    day: NaiveDate,
) -> Result<Vec<ProvinceReport>> {
    let mut out = by_province(db.reborrow(), province, day).await?;
    for p in &mut out {
        p.functions = functions::province_findings_on(db.reborrow(), p.province_id, day).await?;
    }
    Ok(out)
}
