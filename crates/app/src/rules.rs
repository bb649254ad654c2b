//! The statutory rule check of the register (`tinhgon registry check`): each province's
//! departments against the limit in force on a day, with the rule's citation and any grace
//! period. The rules are data (`statutory_rules`), so a new decree is a new row.

use chrono::NaiveDate;
use tinhgon_domain::model::Id;
use tinhgon_domain::rules::{check_departments, Violation};
use tinhgon_store::Db;

use crate::error::Result;

/// The violations on `day`, for one province or (None) every province in the database.
pub async fn check(db: &Db, province: Option<Id>, day: NaiveDate) -> Result<Vec<Violation>> {
    let rules = tinhgon_store::rules::rules(db).await?;
    let mut out = Vec::new();
    for (id, name, code, count) in tinhgon_store::rules::department_counts(db, day).await? {
        if province.is_some_and(|p| p != id) {
            continue;
        }
        let count = usize::try_from(count).unwrap_or(0);
        if let Some(v) = check_departments(&rules, &name, code.as_deref(), count, day) {
            out.push(v);
        }
    }
    Ok(out)
}
