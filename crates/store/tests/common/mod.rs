//! Shared helpers for the store's integration tests: every test body runs once per backend.
#![allow(dead_code)]

use std::future::Future;

use tinhgon_store::Db;

/// Runs `body` against a fresh SQLite file and a fresh PostgreSQL database, naming the
/// backend in any failure.
pub async fn for_each_backend<F, Fut>(body: F)
where
    F: Fn(Db) -> Fut,
    Fut: Future<Output = anyhow::Result<()>>,
{
    for test_db in tinhgon_testkit::backends() {
        let db = Db::connect(&test_db.url)
            .await
            .unwrap_or_else(|e| panic!("[{}] connect: {e}", test_db.label));
        if let Err(e) = body(db.clone()).await {
            panic!("[{}] {e:#}", test_db.label);
        }
        db.close().await;
    }
}

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use tinhgon_domain::model::Id;
use tinhgon_domain::{AgencyRef, Deadline, DeadlineKind, DocumentMeta, PlanDraft, TaskDraft};

/// The Nghệ An register directory in the repository.
pub fn nghe_an_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/nghe-an-2025")
}

/// Imports the Nghệ An register; returns the province id.
pub async fn import_nghe_an(db: &Db) -> anyhow::Result<Id> {
    let s = tinhgon_store::register::import_register(db, &nghe_an_dir()).await?;
    Ok(s.province_id)
}

/// A calendar day.
pub fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("valid date")
}

/// Noon (Vietnam time) of a day, in UTC.
pub fn noon(day: NaiveDate) -> DateTime<Utc> {
    Utc.from_utc_datetime(&day.and_hms_opt(5, 0, 0).expect("valid time"))
}

/// The id of the unit with this name valid on `date`.
pub async fn unit_named(db: &Db, province: Id, name: &str, date: NaiveDate) -> anyhow::Result<Id> {
    let units = tinhgon_store::register::units_as_of(db, province, date).await?;
    units
        .iter()
        .find(|u| u.name == name)
        .map(|u| u.id)
        .ok_or_else(|| anyhow::anyhow!("no unit {name} on {date}"))
}

/// An agency mention.
pub fn agency(text: &str) -> AgencyRef {
    AgencyRef {
        text: text.into(),
        name: text.into(),
        group: None,
    }
}

/// A task due by `due` (or with the given deadline kind), led by `lead`.
pub fn task(
    reference: &str,
    lead: &[&str],
    coordinating: &[&str],
    kind: DeadlineKind,
    due: Option<NaiveDate>,
) -> TaskDraft {
    TaskDraft {
        reference: reference.into(),
        content: format!("Nhiệm vụ {reference}"),
        lead: lead.iter().map(|t| agency(t)).collect(),
        coordinating: coordinating.iter().map(|t| agency(t)).collect(),
        deadline: Deadline {
            text: "thời hạn".into(),
            kind,
            due,
            precision: None,
            period: None,
            event: None,
            start: None,
        },
        deliverable: None,
        source: Default::default(),
    }
}

/// A plan draft dated `date` with `tasks`.
pub fn plan(number: &str, date: NaiveDate, tasks: Vec<TaskDraft>) -> PlanDraft {
    PlanDraft {
        document: DocumentMeta {
            number: Some(number.into()),
            issuer: Some("Ủy ban nhân dân tỉnh Nghệ An".into()),
            date: Some(date),
            title: Some(format!("Kế hoạch {number}")),
            ..Default::default()
        },
        tasks,
        targets: vec![],
        warnings: vec![],
    }
}

/// Stores `draft` and publishes it; returns the plan id.
pub async fn publish(
    db: &Db,
    province: Id,
    draft: &PlanDraft,
    hash: &str,
    at: DateTime<Utc>,
) -> anyhow::Result<Id> {
    use tinhgon_store::plans;
    let id = plans::insert_draft(
        db,
        &plans::NewDraft {
            province_id: Some(province),
            draft,
            source_text: None,
            content_hash: hash,
            by: None,
            at,
        },
    )
    .await?;
    plans::publish_plan(db, id, None, at.date_naive(), at).await?;
    Ok(id)
}

/// Row count of a table.
pub async fn count(db: &Db, table: &str) -> anyhow::Result<i64> {
    let sql = format!("SELECT COUNT(*) FROM {table}");
    Ok(tinhgon_store::with_pool!(db, pool => sqlx::query_scalar(&sql).fetch_one(pool).await?))
}
