//! Scenarios (phương án sắp xếp): a named draft set of restructuring events of a province.
//! The drafts are the monitor's forms as JSON (`scenario_events`), never rows of
//! `restructuring_events`, so the daily job and as-of queries never see them. A scenario is
//! simulated by recording its events in a write transaction that is always rolled back, and
//! applied by recording them in one that commits, with the scenario marked applied.

use serde::Serialize;

use super::restructure::{record_entry, record_in};
use super::*;
use crate::audit::audited;
use crate::tx::Tx;

/// A scenario as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct ScenarioRow {
    /// Scenario.
    pub id: Id,
    /// Its province.
    pub province_id: Id,
    /// Its name.
    pub name: String,
    /// What it is for.
    pub note: Option<String>,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// When it was applied (None: still a draft).
    pub applied_at: Option<DateTime<Utc>>,
    /// The deciding document it was applied with.
    pub decision: Option<String>,
    /// Its date.
    pub decision_date: Option<NaiveDate>,
    /// Its issuer.
    pub decision_issuer: Option<String>,
}

/// A draft event of a scenario.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct DraftRow {
    /// Draft.
    pub id: Id,
    /// Its scenario.
    pub scenario_id: Id,
    /// The monitor's form (the app's `EventForm`) as JSON.
    pub form_json: String,
    /// The event it became when the scenario was applied.
    pub event_id: Option<Id>,
}

const SCENARIO_COLUMNS: &str =
    "id, province_id, name, note, created_at, applied_at, decision, decision_date, decision_issuer";

/// A new scenario of `province`, with its audit row (`object_id` the scenario).
pub async fn create_scenario_audited(
    db: &Db,
    province: Id,
    name: &str,
    note: Option<&str>,
    actor: Option<Id>,
    now: DateTime<Utc>,
    audit: &AuditEntry,
) -> Result<Id> {
    audited(db, now, async |tx| {
        let id: i64 = query(
            "INSERT INTO scenarios (province_id, name, note, created_by, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(province)
        .bind(name)
        .bind(note.map(str::to_string))
        .bind(actor)
        .bind(now)
        .scalar(&mut *tx)
        .await?;
        let entry = AuditEntry {
            object_id: Some(id),
            ..audit.clone()
        }
        .with_after("name", name);
        Ok((id, vec![entry]))
    })
    .await
}

/// A scenario by id.
pub async fn scenario(db: &Db, id: Id) -> Result<Option<ScenarioRow>> {
    query(&format!(
        "SELECT {SCENARIO_COLUMNS} FROM scenarios WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(db)
    .await
}

/// The scenarios of a province, latest first.
pub async fn scenarios(db: &Db, province: Id) -> Result<Vec<ScenarioRow>> {
    query(&format!(
        "SELECT {SCENARIO_COLUMNS} FROM scenarios WHERE province_id = $1 ORDER BY id DESC"
    ))
    .bind(province)
    .fetch_all(db)
    .await
}

/// The draft events of a scenario, in the order added.
pub async fn drafts(db: &Db, scenario: Id) -> Result<Vec<DraftRow>> {
    query("SELECT id, scenario_id, form_json, event_id FROM scenario_events WHERE scenario_id = $1 ORDER BY id")
        .bind(scenario)
        .fetch_all(db)
        .await
}

async fn still_draft(tx: &mut Tx, scenario: Id) -> Result<()> {
    let applied: Option<Option<DateTime<Utc>>> =
        query("SELECT applied_at FROM scenarios WHERE id = $1")
            .bind(scenario)
            .scalar_optional(&mut *tx)
            .await?;
    match applied {
        None => Err(StoreError::NotFound {
            what: "phương án sắp xếp",
            id: scenario,
        }),
        Some(Some(_)) => Err(StoreError::Rejected(
            "Phương án đã được áp dụng, không thể thay đổi.".into(),
        )),
        Some(None) => Ok(()),
    }
}

/// Adds a draft event (the form as JSON) to a scenario still in draft, with its audit row.
pub async fn add_draft_audited(
    db: &Db,
    scenario: Id,
    form_json: &str,
    now: DateTime<Utc>,
    audit: &AuditEntry,
) -> Result<Id> {
    audited(db, now, async |tx| {
        still_draft(tx, scenario).await?;
        let id: i64 = query(
            "INSERT INTO scenario_events (scenario_id, form_json, created_at) VALUES ($1, $2, $3) RETURNING id",
        )
        .bind(scenario)
        .bind(form_json)
        .bind(now)
        .scalar(&mut *tx)
        .await?;
        let entry = audit
            .clone()
            .with_after("draft", id)
            .with_after("form", form_json);
        Ok((id, vec![entry]))
    })
    .await
}

/// Removes a draft event from a scenario still in draft, with its audit row.
pub async fn remove_draft_audited(
    db: &Db,
    scenario: Id,
    draft: Id,
    now: DateTime<Utc>,
    audit: &AuditEntry,
) -> Result<()> {
    audited(db, now, async |tx| {
        still_draft(tx, scenario).await?;
        let n = query("DELETE FROM scenario_events WHERE id = $1 AND scenario_id = $2")
            .bind(draft)
            .bind(scenario)
            .execute(&mut *tx)
            .await?;
        if n != 1 {
            return Err(StoreError::NotFound {
                what: "sự kiện của phương án",
                id: draft,
            });
        }
        Ok(((), vec![audit.clone().with_after("removed", draft)]))
    })
    .await
}

/// What applying a scenario wrote: each draft and the event it became.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppliedScenario {
    /// (draft, what recording its event did).
    pub events: Vec<(Id, Recorded)>,
}

/// Applies a scenario in one transaction: records each draft's event (applied now when its
/// date has come, else scheduled), links the draft to it, and marks the scenario applied
/// with its deciding document. Any refusal (a scenario applied meanwhile, a unit ended
/// meanwhile) writes nothing.
pub async fn apply_scenario_audited(
    db: &Db,
    scenario: Id,
    events: &[(Id, NewRestructuring)],
    now: DateTime<Utc>,
    scenario_audit: &AuditEntry,
    event_audit: &AuditEntry,
) -> Result<AppliedScenario> {
    audited(db, now, async |tx| {
        still_draft(tx, scenario).await?;
        let mut out = Vec::new();
        let mut entries = Vec::new();
        for (draft, e) in events {
            let (recorded, event) = record_in(tx, e, now).await?;
            query("UPDATE scenario_events SET event_id = $1 WHERE id = $2 AND scenario_id = $3")
                .bind(recorded.event_id)
                .bind(*draft)
                .bind(scenario)
                .execute(&mut *tx)
                .await?;
            entries.push(
                record_entry(event_audit, e, &event, &recorded).with_after("scenario", scenario),
            );
            out.push((*draft, recorded));
        }
        let first = events.first().map(|(_, e)| e);
        query("UPDATE scenarios SET applied_at = $1, applied_by = $2, decision = $3, decision_date = $4, decision_issuer = $5 WHERE id = $6")
            .bind(now)
            .bind(first.and_then(|e| e.actor))
            .bind(first.map(|e| e.decision.clone()))
            .bind(first.and_then(|e| e.decision_date))
            .bind(first.and_then(|e| e.decision_issuer.clone()))
            .bind(scenario)
            .execute(&mut *tx)
            .await?;
        entries.push(
            AuditEntry {
                object_id: Some(scenario),
                ..scenario_audit.clone()
            }
            .with_after(
                "events",
                out.iter().map(|(_, r)| r.event_id).collect::<Vec<_>>(),
            ),
        );
        Ok((AppliedScenario { events: out }, entries))
    })
    .await
}

/// Simulates `events`: records and applies them (whatever their date) in a write
/// transaction, lets `read` look at the register as it would then be, and rolls back, so
/// nothing is ever written. Answers what each event would change and what `read` found.
pub async fn simulate<T, E, F>(
    db: &Db,
    events: &[NewRestructuring],
    read: F,
) -> std::result::Result<(Vec<ApplyOutcome>, T), E>
where
    E: From<StoreError>,
    F: AsyncFnOnce(&mut Tx) -> std::result::Result<T, E>,
{
    let now = Utc::now();
    let mut seen = None;
    // The body always fails, so the writer rolls it back: a simulation is never a change.
    let undone = db
        .write(async |tx| {
            let mut outcomes = Vec::new();
            for e in events {
                let e = NewRestructuring {
                    apply_now: true,
                    ..e.clone()
                };
                match record_in(tx, &e, now).await {
                    Ok((r, _)) => outcomes.push(r.applied.unwrap_or_default()),
                    Err(err) => {
                        seen = Some((outcomes, Err(E::from(err))));
                        return Err(StoreError::Rejected(String::new()));
                    }
                }
            }
            let result = read(tx).await;
            seen = Some((outcomes, result));
            Err::<(), _>(StoreError::Rejected(String::new()))
        })
        .await;
    match (seen, undone) {
        (Some((outcomes, result)), _) => Ok((outcomes, result?)),
        (None, Err(e)) => Err(E::from(e)),
        (None, Ok(())) => Err(E::from(StoreError::Corrupt("mô phỏng không chạy".into()))),
    }
}
