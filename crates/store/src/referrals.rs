//! Obstacles referred to the province's leaders or to the UBND with the monitor's proposal
//! ("báo cáo xin ý kiến cấp có thẩm quyền"), and the opinion that answers them.

use chrono::{DateTime, Utc};
use tinhgon_domain::model::Id;

use crate::audit::{audited, AuditEntry};
use crate::error::{Result, StoreError};
use crate::tx::query;
use crate::Db;

/// Who is asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Addressee {
    /// The leader of the UBND in charge of the field.
    Leader,
    /// The UBND tỉnh as a body.
    PeopleCommittee,
}

impl Addressee {
    /// Stable name (`leader`, `people_committee`).
    pub fn as_str(self) -> &'static str {
        match self {
            Addressee::Leader => "leader",
            Addressee::PeopleCommittee => "people_committee",
        }
    }

    /// Parses a stable name.
    pub fn parse(s: &str) -> Option<Addressee> {
        [Addressee::Leader, Addressee::PeopleCommittee]
            .into_iter()
            .find(|a| a.as_str() == s)
    }

    /// In words, as the page says it.
    pub fn label_vi(self) -> &'static str {
        match self {
            Addressee::Leader => "lãnh đạo UBND tỉnh phụ trách",
            Addressee::PeopleCommittee => "UBND tỉnh",
        }
    }
}

/// A referral waiting for its opinion, with what the leader needs to read.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Waiting {
    /// The referral.
    pub id: Id,
    /// Its obstacle's assignment.
    pub assignment_id: Id,
    /// Plan number.
    pub plan_number: Option<String>,
    /// Task reference.
    pub task_ref: String,
    /// Task content.
    pub content: String,
    /// Responsible unit.
    pub unit: String,
    /// The unit's obstacle.
    pub obstacle: String,
    /// The monitor's proposal.
    pub proposal: String,
    /// Who is asked (stable name).
    pub addressee: String,
    /// When it was referred.
    pub referred_at: DateTime<Utc>,
    /// Who referred it.
    pub referred_by: Option<String>,
}

/// Refers open obstacle `obstacle_id` with `proposal`, with its audit row (`after.referral`
/// added); refused when the obstacle is answered or already referred.
pub async fn refer_audited(
    db: &Db,
    obstacle_id: Id,
    addressee: Addressee,
    proposal: &str,
    by: Option<Id>,
    at: DateTime<Utc>,
    audit: &AuditEntry,
) -> Result<Id> {
    audited(db, at, async |tx| {
        let open: Option<String> = query("SELECT state FROM obstacles WHERE id = $1")
            .bind(obstacle_id)
            .scalar_optional(&mut *tx)
            .await?;
        if open.as_deref() != Some("open") {
            return Err(StoreError::Rejected(
                "Vướng mắc không tồn tại hoặc đã được trả lời.".into(),
            ));
        }
        let referred: Option<Id> =
            query("SELECT id FROM obstacle_referrals WHERE obstacle_id = $1")
                .bind(obstacle_id)
                .scalar_optional(&mut *tx)
                .await?;
        if referred.is_some() {
            return Err(StoreError::Rejected(
                "Vướng mắc này đã được báo cáo xin ý kiến.".into(),
            ));
        }
        let id: Id = query(
            "INSERT INTO obstacle_referrals (obstacle_id, addressee, proposal, referred_by, referred_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(obstacle_id)
        .bind(addressee.as_str())
        .bind(proposal)
        .bind(by)
        .bind(at)
        .scalar(&mut *tx)
        .await?;
        Ok((id, vec![audit.with_after("referral", id)]))
    })
    .await
}

/// Records the opinion on referral `id` and answers its obstacle with it, with its audit row;
/// refused when an opinion was already given.
pub async fn give_opinion_audited(
    db: &Db,
    id: Id,
    opinion: &str,
    by: Option<Id>,
    at: DateTime<Utc>,
    audit: &AuditEntry,
) -> Result<()> {
    audited(db, at, async |tx| {
        let obstacle: Option<Id> = query(
            "UPDATE obstacle_referrals SET opinion = $2, opinion_by = $3, opinion_at = $4 \
             WHERE id = $1 AND opinion_at IS NULL RETURNING obstacle_id",
        )
        .bind(id)
        .bind(opinion)
        .bind(by)
        .bind(at)
        .scalar_optional(&mut *tx)
        .await?;
        let Some(obstacle) = obstacle else {
            return Err(StoreError::Rejected(
                "Đã có ý kiến về vướng mắc này.".into(),
            ));
        };
        let answered = query(
            "UPDATE obstacles SET state = 'answered', answer = $1, answered_by = $2, answered_at = $3 \
             WHERE id = $4 AND state = 'open'",
        )
        .bind(opinion)
        .bind(by)
        .bind(at)
        .bind(obstacle)
        .execute(&mut *tx)
        .await?;
        if answered == 0 {
            return Err(StoreError::Rejected(
                "Vướng mắc đã được trả lời.".into(),
            ));
        }
        Ok(((), vec![audit.clone()]))
    })
    .await
}

/// The assignment and the obstacle of referral `id`.
pub async fn owner(db: &Db, id: Id) -> Result<Option<(Id, Id)>> {
    query(
        "SELECT o.assignment_id, o.id FROM obstacle_referrals r JOIN obstacles o ON o.id = r.obstacle_id WHERE r.id = $1",
    )
    .bind(id)
    .fetch_optional(db)
    .await
}

/// The referrals of `province` (None: every province) waiting for an opinion, oldest first.
pub async fn waiting(db: &Db, province: Option<Id>) -> Result<Vec<Waiting>> {
    query(
        "SELECT r.id, a.id AS assignment_id, p.number AS plan_number, t.ref AS task_ref, t.content, \
         un.name AS unit, o.text AS obstacle, r.proposal, r.addressee, r.referred_at, us.display_name AS referred_by \
         FROM obstacle_referrals r JOIN obstacles o ON o.id = r.obstacle_id \
         JOIN assignments a ON a.id = o.assignment_id JOIN tasks t ON t.id = a.task_id \
         JOIN plans p ON p.id = a.plan_id JOIN units un ON un.id = a.unit_id \
         LEFT JOIN users us ON us.id = r.referred_by \
         WHERE r.opinion_at IS NULL AND ($1 IS NULL OR a.province_id = $1) \
         ORDER BY r.referred_at, r.id",
    )
    .bind(province)
    .fetch_all(db)
    .await
}

/// How many referrals of `province` wait for an opinion (the leaders' menu count).
pub async fn waiting_count(db: &Db, province: Option<Id>) -> Result<u64> {
    let n: i64 = query(
        "SELECT COUNT(*) FROM obstacle_referrals r JOIN obstacles o ON o.id = r.obstacle_id \
         JOIN assignments a ON a.id = o.assignment_id \
         WHERE r.opinion_at IS NULL AND ($1 IS NULL OR a.province_id = $1)",
    )
    .bind(province)
    .scalar(db)
    .await?;
    Ok(u64::try_from(n).unwrap_or(0))
}
