//! Changes to single units made in tinhgon after the register was loaded: a unit added, moved
//! under another parent, closed, an alias added or removed. Each is dated, carries its
//! deciding document, and writes a `unit_changes` row and its audit row with the change.

use super::*;
use crate::audit::audited;
use crate::tx::Tx;

/// A unit to add.
#[derive(Debug, Clone)]
pub struct NewUnit {
    /// Name as decided.
    pub name: String,
    /// Official code, where one exists.
    pub code: Option<String>,
    /// Kind.
    pub kind: UnitKind,
    /// Parent unit (in force on `valid_from`).
    pub parent_id: Id,
    /// Province the unit belongs to.
    pub province_id: Id,
    /// First day it exists.
    pub valid_from: NaiveDate,
    /// Financial autonomy group (1–4) of a public service unit.
    pub autonomy_group: Option<i64>,
    /// Other names it is written with.
    pub aliases: Vec<String>,
}

/// Who made a change, when, and on which decision.
#[derive(Debug, Clone)]
pub struct ChangeMeta {
    /// The day the change takes effect.
    pub effective: NaiveDate,
    /// Deciding document, as written ("123/QĐ-UBND ngày 01/03/2025").
    pub decision: Option<String>,
    /// Account that made it (None: the command line).
    pub actor: Option<Id>,
    /// When it was recorded.
    pub at: DateTime<Utc>,
}

/// A row of a unit's change history.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct UnitChange {
    /// `add`, `move`, `close`, `alias_add`, `alias_remove`.
    pub kind: String,
    /// Day it takes effect.
    pub effective: NaiveDate,
    /// Deciding document.
    pub decision: Option<String>,
    /// What it was (JSON text).
    pub before_json: Option<String>,
    /// What it became (JSON text).
    pub after_json: Option<String>,
    /// When it was recorded.
    pub at: DateTime<Utc>,
}

/// Writes a row of a unit's change history inside an open transaction.
pub(crate) async fn change_row(
    tx: &mut Tx,
    unit: Id,
    kind: &str,
    meta: &ChangeMeta,
    before: Option<serde_json::Value>,
    after: Option<serde_json::Value>,
) -> Result<()> {
    query("INSERT INTO unit_changes (unit_id, kind, effective, decision, before_json, after_json, actor_id, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
        .bind(unit)
        .bind(kind)
        .bind(meta.effective)
        .bind(&meta.decision)
        .bind(before.map(|v| v.to_string()))
        .bind(after.map(|v| v.to_string()))
        .bind(meta.actor)
        .bind(meta.at)
        .execute(&mut *tx)
        .await?;
    Ok(())
}

/// Inserts a unit inside an open transaction; returns its id.
pub(crate) async fn insert_unit(tx: &mut Tx, u: &NewUnit, now: DateTime<Utc>) -> Result<Id> {
    let id: i64 = query(
        "INSERT INTO units (code, name, folded_name, kind, level, parent_id, province_id, valid_from, autonomy_group, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
    )
    .bind(&u.code)
    .bind(&u.name)
    .bind(search_key(&u.name))
    .bind(u.kind.as_str())
    .bind(u.kind.level().as_str())
    .bind(u.parent_id)
    .bind(u.province_id)
    .bind(u.valid_from)
    .bind(u.autonomy_group)
    .bind(now)
    .scalar(&mut *tx)
    .await?;
    for a in &u.aliases {
        query("INSERT INTO unit_aliases (unit_id, alias, folded_alias) VALUES ($1, $2, $3) ON CONFLICT (unit_id, folded_alias) DO NOTHING")
            .bind(id)
            .bind(a)
            .bind(search_key(a))
            .execute(&mut *tx)
            .await?;
    }
    Ok(id)
}

/// Adds a unit with its change row and audit row (`object_id` set to the new unit).
pub async fn add_unit_audited(
    db: &Db,
    u: &NewUnit,
    meta: &ChangeMeta,
    audit: &AuditEntry,
) -> Result<Id> {
    audited(db, meta.at, async |tx| {
        let id = insert_unit(tx, u, meta.at).await?;
        let after = serde_json::json!({
            "name": u.name, "kind": u.kind.as_str(), "parent_id": u.parent_id,
            "valid_from": u.valid_from, "autonomy_group": u.autonomy_group, "aliases": u.aliases,
        });
        change_row(tx, id, "add", meta, None, Some(after.clone())).await?;
        let entry = AuditEntry {
            object_id: Some(id),
            after: Some(after),
            ..audit.clone()
        }
        .with_after("decision", meta.decision.clone());
        Ok((id, vec![entry]))
    })
    .await
}

/// Moves a unit under another parent from `meta.effective` on.
pub async fn move_unit_audited(
    db: &Db,
    unit: Id,
    parent: Id,
    meta: &ChangeMeta,
    audit: &AuditEntry,
) -> Result<()> {
    audited(db, meta.at, async |tx| {
        let before: Option<Option<i64>> = query("SELECT parent_id FROM units WHERE id = $1")
            .bind(unit)
            .scalar_optional(&mut *tx)
            .await?;
        let before = before.ok_or(StoreError::NotFound {
            what: "đơn vị",
            id: unit,
        })?;
        query("UPDATE units SET parent_id = $1 WHERE id = $2")
            .bind(parent)
            .bind(unit)
            .execute(&mut *tx)
            .await?;
        let (b, a) = (
            serde_json::json!({ "parent_id": before }),
            serde_json::json!({ "parent_id": parent }),
        );
        change_row(tx, unit, "move", meta, Some(b), Some(a)).await?;
        let entry = audit
            .with_before("parent_id", before)
            .with_after("parent_id", parent)
            .with_after("effective", meta.effective.to_string())
            .with_after("decision", meta.decision.clone());
        Ok(((), vec![entry]))
    })
    .await
}

/// Closes a unit from `meta.effective` on (first day it no longer exists). Refused, inside the
/// transaction, while it still has open assignments or units under it in force that day:
/// those need a restructuring event that says where they go.
pub async fn close_unit_audited(
    db: &Db,
    unit: Id,
    meta: &ChangeMeta,
    audit: &AuditEntry,
) -> Result<()> {
    audited(db, meta.at, async |tx| {
        close_in(tx, unit, meta).await?;
        let a = serde_json::json!({ "valid_to": meta.effective });
        change_row(tx, unit, "close", meta, None, Some(a)).await?;
        let entry = audit
            .with_after("valid_to", meta.effective.to_string())
            .with_after("decision", meta.decision.clone());
        Ok(((), vec![entry]))
    })
    .await
}

/// Closes a unit inside an open transaction, with the checks of [`close_unit_audited`]; the
/// caller writes the change row.
pub(crate) async fn close_in(tx: &mut Tx, unit: Id, meta: &ChangeMeta) -> Result<()> {
    let open: i64 = query("SELECT COUNT(*) FROM assignments WHERE unit_id = $1 AND status NOT IN ('done', 'cancelled')")
        .bind(unit)
        .scalar(&mut *tx)
        .await?;
    if open > 0 {
        return Err(StoreError::Rejected(format!(
            "Đơn vị còn {open} nhiệm vụ đang thực hiện: hãy ghi nhận sự kiện giải thể hoặc sáp nhập để chuyển giao, không đóng trực tiếp."
        )));
    }
    let children: i64 = query(
        "SELECT COUNT(*) FROM units WHERE parent_id = $1 AND (valid_to IS NULL OR valid_to > $2)",
    )
    .bind(unit)
    .bind(meta.effective)
    .scalar(&mut *tx)
    .await?;
    if children > 0 {
        return Err(StoreError::Rejected(format!(
            "Đơn vị còn {children} đơn vị trực thuộc đang hoạt động: chuyển hoặc đóng các đơn vị đó trước."
        )));
    }
    let closed = query("UPDATE units SET valid_to = $1 WHERE id = $2 AND valid_to IS NULL")
        .bind(meta.effective)
        .bind(unit)
        .execute(&mut *tx)
        .await?;
    if closed != 1 {
        return Err(StoreError::Rejected(
            "Đơn vị đã kết thúc hoạt động hoặc đã có ngày kết thúc.".into(),
        ));
    }
    Ok(())
}

/// Adds (`add`) or removes another name of a unit.
pub async fn set_alias_audited(
    db: &Db,
    unit: Id,
    alias: &str,
    add: bool,
    meta: &ChangeMeta,
    audit: &AuditEntry,
) -> Result<()> {
    audited(db, meta.at, async |tx| {
        let n = if add {
            query("INSERT INTO unit_aliases (unit_id, alias, folded_alias) VALUES ($1, $2, $3) ON CONFLICT (unit_id, folded_alias) DO NOTHING")
                .bind(unit)
                .bind(alias)
                .bind(search_key(alias))
                .execute(&mut *tx)
                .await?
        } else {
            query("DELETE FROM unit_aliases WHERE unit_id = $1 AND folded_alias = $2")
                .bind(unit)
                .bind(search_key(alias))
                .execute(&mut *tx)
                .await?
        };
        if n == 0 {
            return Err(StoreError::Rejected(if add {
                format!("Đơn vị đã có tên gọi khác \"{alias}\".")
            } else {
                format!("Đơn vị không có tên gọi khác \"{alias}\".")
            }));
        }
        let kind = if add { "alias_add" } else { "alias_remove" };
        let a = serde_json::json!({ "alias": alias });
        change_row(tx, unit, kind, meta, None, Some(a)).await?;
        let entry = audit.with_after("alias", alias).with_after("added", add);
        Ok(((), vec![entry]))
    })
    .await
}

/// A unit's change history, oldest first.
pub async fn unit_changes(db: &Db, unit: Id) -> Result<Vec<UnitChange>> {
    query("SELECT kind, effective, decision, before_json, after_json, at FROM unit_changes WHERE unit_id = $1 ORDER BY effective, id")
        .bind(unit)
        .fetch_all(db)
        .await
}

/// A unit's aliases and financial autonomy group.
pub async fn unit_extras(db: &Db, unit: Id) -> Result<(Vec<String>, Option<i64>)> {
    let aliases = query("SELECT alias FROM unit_aliases WHERE unit_id = $1 ORDER BY id")
        .bind(unit)
        .scalars(db)
        .await?;
    let group: Option<Option<i64>> = query("SELECT autonomy_group FROM units WHERE id = $1")
        .bind(unit)
        .scalar_optional(db)
        .await?;
    Ok((aliases, group.flatten()))
}
