//! Plans: drafts under review, their links and visibility, and listing. Publication is in
//! [`publish`].

use chrono::{DateTime, NaiveDate, Utc};
use tinhgon_domain::model::Id;
use tinhgon_domain::plan::{Plan, PlanState};
use tinhgon_domain::publish::{expand_task_keyed, task_keys, MentionRole, Overrides, Unresolved};
use tinhgon_domain::{DeadlineKind, DocumentMeta, PlanDraft};

use crate::error::{Result, StoreError};
use crate::register::{load_register, RegisterSnapshot};
use crate::tx::{query, Query};
use crate::util::{enum_str, parse_enum, replace_flag};
use crate::Db;
use tinhgon_textkit::search_key;

mod publish;

pub use publish::*;

/// Message when the same file is imported twice.
pub const DUPLICATE_PLAN: &str = "kế hoạch này đã được nhập (trùng nội dung)";

/// A plan to store as a draft.
#[derive(Debug, Clone)]
pub struct NewDraft<'a> {
    /// Province the plan belongs to (the issuer's), when known: agencies resolve within it.
    pub province_id: Option<Id>,
    /// The extracted plan.
    pub draft: &'a PlanDraft,
    /// The document's text in its line view, for the review page.
    pub source_text: Option<&'a str>,
    /// SHA-256 of the imported file (hex).
    pub content_hash: &'a str,
    /// Who imported it.
    pub by: Option<Id>,
    /// When.
    pub at: DateTime<Utc>,
}

/// A stored plan with its draft and review data.
#[derive(Debug, Clone)]
pub struct PlanRecord {
    /// The plan.
    pub plan: Plan,
    /// Province.
    pub province_id: Option<Id>,
    /// The (possibly edited) draft.
    pub draft: PlanDraft,
    /// Reviewer's mapping of agency mentions to units.
    pub agency_map: Overrides,
    /// Source text for review.
    pub source_text: Option<String>,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Published.
    pub published_at: Option<DateTime<Utc>>,
}

/// What publication wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Published {
    /// Tasks written.
    pub tasks: usize,
    /// Assignments written.
    pub assignments: usize,
    /// Coordinating mentions kept as text because they did not resolve.
    pub unresolved_coordinating: Vec<String>,
}

/// [`system::insert_draft`] with its audit row in the same transaction; the entry's object id is set
/// to the new plan.
pub async fn insert_draft_audited(
    db: &Db,
    new: &NewDraft<'_>,
    audit: &crate::audit::AuditEntry,
) -> Result<Id> {
    insert_draft_in(db, new, None, Some(audit)).await
}

/// [`insert_draft_audited`] for an agency's own plan: the draft belongs to `owner_unit`, whose
/// officers edit it and send it to the monitor for review (see [`crate::cascade`]).
pub async fn insert_own_draft_audited(
    db: &Db,
    new: &NewDraft<'_>,
    owner_unit: Id,
    audit: &crate::audit::AuditEntry,
) -> Result<Id> {
    insert_draft_in(db, new, Some(owner_unit), Some(audit)).await
}

async fn insert_draft_in(
    db: &Db,
    new: &NewDraft<'_>,
    owner_unit: Option<Id>,
    audit: Option<&crate::audit::AuditEntry>,
) -> Result<Id> {
    let d = &new.draft.document;
    let draft_json = json(new.draft)?;
    crate::audit::audited(db, new.at, async |tx| {
        let q = query(
            "INSERT INTO plans (province_id, number, kind, issuer, place, issued_on, title, folded_title, \
             signer_json, recipients_json, legal_bases_json, state, content_hash, draft_json, source_text, \
             created_at, created_by, updated_at, owner_unit_id) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'draft', $12, $13, $14, $15, $16, $15, $17) RETURNING id",
        );
        let id: i64 = bind_document(q.bind(new.province_id), d)?
            .bind(new.content_hash)
            .bind(draft_json)
            .bind(new.source_text)
            .bind(new.at)
            .bind(new.by)
            .bind(owner_unit)
            .scalar(&mut *tx)
            .await
            .map_err(StoreError::on_unique(DUPLICATE_PLAN))?;
        let entry = audit.map(|e| crate::audit::AuditEntry { object_id: Some(id), ..e.clone() });
        Ok((id, entry.into_iter().collect()))
    })
    .await
}

fn json<T: serde::Serialize>(v: &T) -> Result<String> {
    serde_json::to_string(v).map_err(|e| StoreError::Corrupt(e.to_string()))
}

/// Binds a plan's document columns, in the order both the insert and the update list them:
/// number, kind, issuer, place, issued_on, title, folded_title, signer, recipients, legal bases.
fn bind_document<'q>(q: Query<'q>, d: &DocumentMeta) -> Result<Query<'q>> {
    Ok(q.bind(&d.number)
        .bind(d.kind.as_ref().map(enum_str))
        .bind(&d.issuer)
        .bind(&d.place)
        .bind(d.date)
        .bind(&d.title)
        .bind(d.title.as_deref().map(search_key))
        .bind(json(&d.signer)?)
        .bind(json(&d.recipients)?)
        .bind(json(&d.legal_bases)?))
}

/// [`system::update_draft`] with its audit row in the same transaction (`audit` as given).
pub async fn update_draft_audited(
    db: &Db,
    plan_id: Id,
    draft: &PlanDraft,
    agency_map: &Overrides,
    at: DateTime<Utc>,
    audit: &crate::audit::AuditEntry,
) -> Result<()> {
    update_draft_in(db, plan_id, draft, agency_map, at, Some(audit)).await
}

async fn update_draft_in(
    db: &Db,
    plan_id: Id,
    draft: &PlanDraft,
    agency_map: &Overrides,
    at: DateTime<Utc>,
    audit: Option<&crate::audit::AuditEntry>,
) -> Result<()> {
    let d = &draft.document;
    let draft_json = json(draft)?;
    let map_json = json(agency_map)?;
    let done = crate::audit::audited(db, at, async |tx| {
        let q = query(
            "UPDATE plans SET number = $1, kind = $2, issuer = $3, place = $4, issued_on = $5, title = $6, \
             folded_title = $7, signer_json = $8, recipients_json = $9, legal_bases_json = $10, draft_json = $11, \
             agency_map_json = $12, updated_at = $13 WHERE id = $14 AND state = 'draft'",
        );
        let done = bind_document(q, d)?
            .bind(draft_json)
            .bind(map_json)
            .bind(at)
            .bind(plan_id)
            .execute(&mut *tx)
            .await?;
        // Nothing changed (the plan is published): no row.
        let entry = audit.filter(|_| done == 1).cloned();
        Ok((done, entry.into_iter().collect()))
    })
    .await?;
    if done == 0 {
        get_plan(db, plan_id).await?;
        return Err(StoreError::Rejected(
            "kế hoạch đã ban hành: không sửa bản nháp được nữa".into(),
        ));
    }
    Ok(())
}

/// Sets the plan's monitoring unit, issuer unit and public flag.
pub async fn set_plan_links(
    db: &Db,
    plan_id: Id,
    issuer_unit_id: Option<Id>,
    monitor_unit_id: Option<Id>,
    parent_task_id: Option<Id>,
    public: bool,
) -> Result<()> {
    let done = query("UPDATE plans SET issuer_unit_id = $1, monitor_unit_id = $2, parent_task_id = $3, public = $4 WHERE id = $5")
            .bind(issuer_unit_id)
            .bind(monitor_unit_id)
            .bind(parent_task_id)
            .bind(public)
            .bind(plan_id)
            .execute(db)
            .await
            .map_err(StoreError::on_foreign_key("đơn vị hoặc nhiệm vụ được chọn không tồn tại"))?;
    if done == 0 {
        return Err(StoreError::NotFound {
            what: "kế hoạch",
            id: plan_id,
        });
    }
    Ok(())
}

/// Marks a plan public or not, with its audit row in the same transaction (`before.public`
/// and `after.public`, as the transaction saw and set them, added).
pub async fn set_public_audited(
    db: &Db,
    plan_id: Id,
    public: bool,
    audit: &crate::audit::AuditEntry,
    at: DateTime<Utc>,
) -> Result<()> {
    crate::audit::audited(db, at, async |tx| {
        let before = replace_flag(tx, "plans", "public", "kế hoạch", plan_id, public).await?;
        let entry = audit
            .with_before("public", before)
            .with_after("public", public);
        Ok(((), vec![entry]))
    })
    .await
}

#[derive(sqlx::FromRow)]
struct PlanDbRow {
    id: i64,
    province_id: Option<i64>,
    issuer_unit_id: Option<i64>,
    monitor_unit_id: Option<i64>,
    parent_task_id: Option<i64>,
    state: String,
    public: bool,
    content_hash: Option<String>,
    draft_json: String,
    agency_map_json: String,
    source_text: Option<String>,
    created_at: DateTime<Utc>,
    published_at: Option<DateTime<Utc>>,
}

/// One plan with its draft.
pub async fn get_plan(db: &Db, plan_id: Id) -> Result<PlanRecord> {
    let row: Option<PlanDbRow> = query(
            "SELECT id, province_id, issuer_unit_id, monitor_unit_id, parent_task_id, state, public, content_hash, \
             draft_json, agency_map_json, source_text, created_at, published_at FROM plans WHERE id = $1",
        )
        .bind(plan_id)
        .fetch_optional(db)
        .await?;
    let row = row.ok_or(StoreError::NotFound {
        what: "kế hoạch",
        id: plan_id,
    })?;
    let draft: PlanDraft = serde_json::from_str(&row.draft_json)
        .map_err(|e| StoreError::Corrupt(format!("bản nháp kế hoạch {plan_id}: {e}")))?;
    let agency_map: Overrides = serde_json::from_str(&row.agency_map_json)
        .map_err(|e| StoreError::Corrupt(format!("ánh xạ cơ quan của kế hoạch {plan_id}: {e}")))?;
    let state: PlanState = parse_enum(&row.state)?;
    Ok(PlanRecord {
        plan: Plan {
            id: row.id,
            meta: draft.document.clone(),
            issuer_unit_id: row.issuer_unit_id,
            monitor_unit_id: row.monitor_unit_id,
            parent_task_id: row.parent_task_id,
            state,
            public: row.public,
            content_hash: row.content_hash,
        },
        province_id: row.province_id,
        draft,
        agency_map,
        source_text: row.source_text,
        created_at: row.created_at,
        published_at: row.published_at,
    })
}

/// Plans of a province (or all when `province_id` is None), newest first: (id, number, title, state).
pub async fn list_plans(
    db: &Db,
    province_id: Option<Id>,
) -> Result<Vec<(Id, Option<String>, Option<String>, PlanState)>> {
    // One statement per case: `($1 IS NULL OR province_id = $1)` made SQLite scan and sort the
    // whole table; with the province fixed, the index (province_id, created_at, id) serves both
    // the filter and the order.
    let rows: Vec<(i64, Option<String>, Option<String>, String)> = match province_id {
            Some(p) => query(
                "SELECT id, number, title, state FROM plans WHERE province_id = $1 ORDER BY created_at DESC, id DESC",
            )
            .bind(p)
            .fetch_all(db)
            .await?,
            None => query(
                "SELECT id, number, title, state FROM plans ORDER BY created_at DESC, id DESC",
            )
            .fetch_all(db)
            .await?,
        };
    rows.into_iter()
        .map(|(id, n, t, s)| Ok((id, n, t, parse_enum(&s)?)))
        .collect()
}

/// Deletes a plan still in draft (an import made by mistake) with its audit row in one
/// transaction. A published plan is never deleted: refused, nothing written. A draft has no
/// tasks, assignments or report requests yet, so nothing else refers to it.
pub async fn delete_draft_audited(
    db: &Db,
    plan_id: Id,
    audit: &crate::audit::AuditEntry,
    now: DateTime<Utc>,
) -> Result<()> {
    crate::audit::audited(db, now, async |tx| {
        let n = query("DELETE FROM plans WHERE id = $1 AND state = 'draft'")
            .bind(plan_id)
            .execute(&mut *tx)
            .await?;
        if n == 0 {
            return Err(StoreError::Rejected(
                "Chỉ xóa được bản nháp chưa ban hành; kế hoạch đã ban hành được giữ nguyên.".into(),
            ));
        }
        Ok(((), vec![audit.clone()]))
    })
    .await
}

/// Which plans a list shows (the rights rules of `can_read_plan`, as SQL).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PlanFilter<'a> {
    /// Only this province's plans.
    pub province_id: Option<Id>,
    /// Drafts too (monitors and admins).
    pub include_drafts: bool,
    /// Only plans marked public or concerning this unit (it leads or coordinates a task).
    pub concerning_unit: Option<Id>,
    /// Only plans in this state.
    pub state: Option<PlanState>,
    /// Only plans whose number or title contains this search key (`textkit::search_key`).
    pub text: Option<&'a str>,
}

/// A plan as the plan list shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanListRow {
    /// Identifier.
    pub id: Id,
    /// Number ("615/KH-UBND").
    pub number: Option<String>,
    /// Title (trích yếu).
    pub title: Option<String>,
    /// State.
    pub state: PlanState,
    /// Issue date.
    pub issued_on: Option<NaiveDate>,
    /// Issuer as written.
    pub issuer: Option<String>,
    /// Tasks (0 for a draft: its tasks are made when it is published).
    pub tasks: i64,
    /// Assignments.
    pub assignments: i64,
    /// Assignments confirmed done.
    pub done: i64,
}

/// One page of a plan list, newest first, with the number of plans over all pages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanPage {
    /// This page's plans.
    pub plans: Vec<PlanListRow>,
    /// Plans over all pages.
    pub total: i64,
}

/// The plans `filter` keeps, newest first, `limit` of them after skipping `offset`.
pub async fn list_plans_page(
    db: &Db,
    filter: PlanFilter<'_>,
    offset: i64,
    limit: i64,
) -> Result<PlanPage> {
    // Parameters are numbered in the order the conditions are added; the text differs per case
    // so each case gets its own plan (and index) instead of one generic scan.
    let mut conds: Vec<String> = Vec::new();
    let mut n = 0;
    let mut next = || {
        n += 1;
        format!("${n}")
    };
    if filter.province_id.is_some() {
        conds.push(format!("province_id = {}", next()));
    }
    if !filter.include_drafts {
        conds.push("state <> 'draft'".into());
    }
    if filter.concerning_unit.is_some() {
        let u = next();
        conds.push(format!(
            "(public = TRUE OR id IN (SELECT plan_id FROM assignments WHERE unit_id = {u}) \
             OR id IN (SELECT t.plan_id FROM task_coordinators c JOIN tasks t ON t.id = c.task_id WHERE c.unit_id = {u}))"
        ));
    }
    if filter.state.is_some() {
        conds.push(format!("state = {}", next()));
    }
    let pattern = filter
        .text
        .map(|t| format!("%{}%", t.replace(['\\', '%', '_'], "")));
    if pattern.is_some() {
        let t = next();
        conds.push(format!(
            "(folded_title LIKE {t} OR LOWER(COALESCE(number, '')) LIKE {t})"
        ));
    }
    let (lim, off) = (next(), next());
    let wh = if conds.is_empty() {
        String::new()
    } else {
        format!(" WHERE {}", conds.join(" AND "))
    };
    let list_sql = format!(
        "SELECT id, number, title, state, issued_on, issuer, \
         (SELECT COUNT(*) FROM tasks t WHERE t.plan_id = plans.id) AS tasks, \
         (SELECT COUNT(*) FROM assignments a WHERE a.plan_id = plans.id) AS assignments, \
         (SELECT COUNT(*) FROM assignments a WHERE a.plan_id = plans.id AND a.status = 'done') AS done \
         FROM plans{wh} ORDER BY created_at DESC, id DESC LIMIT {lim} OFFSET {off}"
    );
    let count_sql = format!("SELECT COUNT(*) FROM plans{wh}");
    #[derive(sqlx::FromRow)]
    struct Row {
        id: i64,
        number: Option<String>,
        title: Option<String>,
        state: String,
        issued_on: Option<NaiveDate>,
        issuer: Option<String>,
        tasks: i64,
        assignments: i64,
        done: i64,
    }
    let (rows, total): (Vec<Row>, i64) = {
        let mut q = query(&list_sql);
        let mut c = query(&count_sql);
        if let Some(p) = filter.province_id {
            q = q.bind(p);
            c = c.bind(p);
        }
        if let Some(u) = filter.concerning_unit {
            q = q.bind(u);
            c = c.bind(u);
        }
        if let Some(s) = filter.state {
            q = q.bind(s.as_str());
            c = c.bind(s.as_str());
        }
        if let Some(p) = &pattern {
            q = q.bind(p.clone());
            c = c.bind(p.clone());
        }
        let rows: Vec<Row> = q
            .bind(limit.max(0))
            .bind(offset.max(0))
            .fetch_all(db)
            .await?;
        // The count is needed only when the page does not already tell it.
        let total = if offset <= 0 && (rows.len() as i64) < limit {
            rows.len() as i64
        } else {
            c.scalar(db).await?
        };
        (rows, total)
    };
    let plans = rows
        .into_iter()
        .map(|r| {
            Ok(PlanListRow {
                id: r.id,
                number: r.number,
                title: r.title,
                state: parse_enum(&r.state)?,
                issued_on: r.issued_on,
                issuer: r.issuer,
                tasks: r.tasks,
                assignments: r.assignments,
                done: r.done,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(PlanPage { plans, total })
}

/// Writes without an audit row, for system loads only: the demo loader, importers, the
/// benchmarks and tests. A change made for a person goes through the `*_audited` function of
/// the same name (audit row and notices in its transaction); keeping these under `system::`
/// makes a call that skips the audit row visible where it is made.
pub mod system {
    use super::*;
    /// Stores an imported plan as a draft. The same content imported again into the same
    /// province is refused with [`DUPLICATE_PLAN`].
    pub async fn insert_draft(db: &Db, new: &NewDraft<'_>) -> Result<Id> {
        insert_draft_in(db, new, None, None).await
    }

    /// Replaces the draft of a plan still under review, with the reviewer's agency mapping.
    pub async fn update_draft(
        db: &Db,
        plan_id: Id,
        draft: &PlanDraft,
        agency_map: &Overrides,
        at: DateTime<Utc>,
    ) -> Result<()> {
        update_draft_in(db, plan_id, draft, agency_map, at, None).await
    }

    /// Publishes a reviewed draft in one transaction: tasks, coordinators and one assignment per
    /// responsible unit (group leads expanded against the register valid on the plan's date).
    /// Lead agencies that do not resolve (and are not mapped by the reviewer) refuse the whole
    /// publication with their list; nothing is written.
    pub async fn publish_plan(
        db: &Db,
        plan_id: Id,
        by: Option<Id>,
        as_of: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<Published> {
        publish_plan_in(db, plan_id, by, as_of, now, None, &[]).await
    }
}
