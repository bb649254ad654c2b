//! Read queries the web pages need that the core store modules do not (yet) offer.
//! Owned by the web layer; see /work/notes/web-needs.md for what could move into core modules.

use tinhgon_domain::model::Id;

use crate::error::Result;
use crate::{with_pool, Db};

/// A unit's name.
pub async fn unit_name(db: &Db, id: Id) -> Result<Option<String>> {
    Ok(with_pool!(db, pool => {
        sqlx::query_scalar("SELECT name FROM units WHERE id = $1").bind(id).fetch_optional(pool).await?
    }))
}

/// Units an account can be bound to, by name: departments, party bodies, communes and wards
/// currently valid (for select lists).
pub async fn units_for_select(db: &Db) -> Result<Vec<(Id, String)>> {
    Ok(with_pool!(db, pool => {
        sqlx::query_as("SELECT id, name FROM units WHERE valid_to IS NULL ORDER BY name").fetch_all(pool).await?
    }))
}
