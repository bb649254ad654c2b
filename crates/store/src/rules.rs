//! Statutory rules as stored (table `statutory_rules`), and the counts they are checked on.

use chrono::NaiveDate;
use tinhgon_domain::model::Id;
use tinhgon_domain::rules::{Rule, RuleKind};

use crate::error::{Result, StoreError};
use crate::tx::{query, Exec};

/// A stored rule: kind, province code, limit, citation, from, to, grace, grace in months.
type RuleRow = (
    String,
    Option<String>,
    i64,
    String,
    NaiveDate,
    Option<NaiveDate>,
    Option<NaiveDate>,
    Option<i64>,
);

/// Every rule, in force or not.
pub async fn rules<'e>(db: impl Into<Exec<'e>>) -> Result<Vec<Rule>> {
    let rows: Vec<RuleRow> = query("SELECT kind, province_code, limit_value, citation, valid_from, valid_to, grace_until, grace_months FROM statutory_rules ORDER BY id")
        .fetch_all(db)
        .await?;
    rows.into_iter()
        .map(
            |(kind, province_code, limit, citation, valid_from, valid_to, grace_until, months)| {
                Ok(Rule {
                    kind: RuleKind::parse(&kind)
                        .ok_or_else(|| StoreError::Corrupt(format!("loại quy định {kind}")))?,
                    province_code,
                    limit,
                    citation,
                    valid_from,
                    valid_to,
                    grace_until,
                    grace_months: months.and_then(|m| u32::try_from(m).ok()),
                })
            },
        )
        .collect()
}

/// Each province with its code and the number of its departments in force on `day`.
pub async fn department_counts<'e>(
    db: impl Into<Exec<'e>>,
    day: NaiveDate,
) -> Result<Vec<(Id, String, Option<String>, i64)>> {
    query(
        "SELECT p.id, p.name, p.code, (SELECT COUNT(*) FROM units u WHERE u.province_id = p.id AND u.kind = 'department' \
         AND (u.valid_from IS NULL OR u.valid_from <= $1) AND (u.valid_to IS NULL OR u.valid_to > $1)) AS n \
         FROM units p WHERE p.kind = 'province' AND p.parent_id IS NULL ORDER BY p.name",
    )
    .bind(day)
    .fetch_all(db)
    .await
}

/// A division or chi cục in force on a day with its civil servants: the quota of the day's
/// year, else the latest headcount on or before the day (None: no figure recorded).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct StaffedUnit {
    /// The unit.
    pub id: Id,
    /// Its name.
    pub name: String,
    /// `division` or `sub_department`.
    pub kind: String,
    /// Its province.
    pub province_id: Id,
    /// Civil-servant quota of the year.
    pub quota: Option<i64>,
    /// Latest civil-servant headcount.
    pub headcount: Option<i64>,
}

/// The divisions and chi cục in force on `day`, with their civil servants.
pub async fn staffed_units<'e>(
    db: impl Into<Exec<'e>>,
    day: NaiveDate,
) -> Result<Vec<StaffedUnit>> {
    use chrono::Datelike;
    query(
        "SELECT u.id, u.name, u.kind, u.province_id, \
         (SELECT CAST(SUM(q.count) AS BIGINT) FROM staffing_quotas q WHERE q.unit_id = u.id AND q.year = $2 AND q.category = 'civil_servant') AS quota, \
         (SELECT CAST(SUM(h.count) AS BIGINT) FROM staffing_headcounts h WHERE h.unit_id = u.id AND h.category = 'civil_servant' \
            AND h.on_date = (SELECT MAX(h2.on_date) FROM staffing_headcounts h2 WHERE h2.unit_id = u.id AND h2.category = 'civil_servant' AND h2.on_date <= $1)) AS headcount \
         FROM units u WHERE u.kind IN ('division', 'sub_department') \
         AND (u.valid_from IS NULL OR u.valid_from <= $1) AND (u.valid_to IS NULL OR u.valid_to > $1) ORDER BY u.province_id, u.name",
    )
    .bind(day)
    .bind(i64::from(day.year()))
    .fetch_all(db)
    .await
}

/// A department in force on a day with its latest deputies on or before the day and the date
/// of the latest merger or consolidation that made it (None: not formed by one).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct DepartmentDeputies {
    /// The department.
    pub id: Id,
    /// Its name.
    pub name: String,
    /// Its province.
    pub province_id: Id,
    /// Deputy heads.
    pub deputies: i64,
    /// The merger's date.
    pub merged_on: Option<NaiveDate>,
}

/// The departments in force on `day` that have leadership figures by then.
pub async fn department_deputies<'e>(
    db: impl Into<Exec<'e>>,
    day: NaiveDate,
) -> Result<Vec<DepartmentDeputies>> {
    query(
        "SELECT u.id, u.name, u.province_id, l.deputies, \
         (SELECT MAX(e.effective) FROM event_successors s JOIN restructuring_events e ON e.id = s.event_id \
            WHERE s.unit_id = u.id AND e.kind IN ('merge', 'consolidate') AND e.cancelled_at IS NULL AND e.effective <= $1) AS merged_on \
         FROM units u JOIN staffing_leadership l ON l.unit_id = u.id \
           AND l.on_date = (SELECT MAX(l2.on_date) FROM staffing_leadership l2 WHERE l2.unit_id = u.id AND l2.on_date <= $1) \
         WHERE u.kind = 'department' AND (u.valid_from IS NULL OR u.valid_from <= $1) AND (u.valid_to IS NULL OR u.valid_to > $1) \
         ORDER BY u.province_id, u.name",
    )
    .bind(day)
    .fetch_all(db)
    .await
}
