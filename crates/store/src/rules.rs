//! Statutory rules as stored (table `statutory_rules`), and the counts they are checked on.

use chrono::NaiveDate;
use tinhgon_domain::model::Id;
use tinhgon_domain::rules::{Rule, RuleKind};

use crate::error::{Result, StoreError};
use crate::tx::query;
use crate::Db;

/// A stored rule: kind, province code, limit, citation, from, to, grace.
type RuleRow = (
    String,
    Option<String>,
    i64,
    String,
    NaiveDate,
    Option<NaiveDate>,
    Option<NaiveDate>,
);

/// Every rule, in force or not.
pub async fn rules(db: &Db) -> Result<Vec<Rule>> {
    let rows: Vec<RuleRow> = query("SELECT kind, province_code, limit_value, citation, valid_from, valid_to, grace_until FROM statutory_rules ORDER BY id")
        .fetch_all(db)
        .await?;
    rows.into_iter()
        .map(
            |(kind, province_code, limit, citation, valid_from, valid_to, grace_until)| {
                Ok(Rule {
                    kind: RuleKind::parse(&kind)
                        .ok_or_else(|| StoreError::Corrupt(format!("loại quy định {kind}")))?,
                    province_code,
                    limit,
                    citation,
                    valid_from,
                    valid_to,
                    grace_until,
                })
            },
        )
        .collect()
}

/// Each province with its code and the number of its departments in force on `day`.
pub async fn department_counts(
    db: &Db,
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
