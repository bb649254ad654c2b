//! Search over plans, tasks and units, ignoring diacritics and case.

use tinhgon_domain::model::Id;
use tinhgon_store::web_queries as wq;
use tinhgon_store::Db;

use crate::error::Result;

/// One hit: kind (`plan`, `task`, `unit`), id, label, detail.
pub type Hit = (String, Id, String, String);

/// The hits for text typed by a user in `province` (the viewer's; None for an
/// installation-wide account: every province); fewer than 2 letters find nothing.
pub async fn hits(db: &Db, text: &str, province: Option<Id>) -> Result<Vec<Hit>> {
    if tinhgon_textkit::search_key(text).chars().count() < 2 {
        return Ok(Vec::new());
    }
    Ok(wq::search(db, text, province, 100).await?)
}
