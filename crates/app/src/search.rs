//! Search over plans, tasks and units, ignoring diacritics and case.

use tinhgon_domain::model::Id;
use tinhgon_domain::unit::UnitKind;
use tinhgon_store::web_queries as wq;
use tinhgon_store::Db;

use crate::error::Result;

/// One hit as people read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// `plan`, `task` or `unit`.
    pub kind: &'static str,
    /// Its id.
    pub id: Id,
    /// Name, plan number, or plan number and task reference.
    pub label: String,
    /// Unit kind in words (and the day it ceased), plan title, or task content.
    pub detail: String,
    /// Where the hit is shown: a unit's page, a plan's page, a task's row in its plan.
    pub href: String,
}

/// The hits for text typed by a user in `province` (the viewer's; None for an
/// installation-wide account: every province); fewer than 2 letters find nothing. Within
/// each kind, units in force come before those that ceased, in Vietnamese alphabetical order.
pub async fn hits(db: &Db, text: &str, province: Option<Id>) -> Result<Vec<Hit>> {
    if tinhgon_textkit::search_key(text).chars().count() < 2 {
        return Ok(Vec::new());
    }
    let mut rows = wq::search(db, text, province, 100).await?;
    rows.sort_by_cached_key(|h| {
        (
            match h.kind.as_str() {
                "unit" => 0,
                "plan" => 1,
                _ => 2,
            },
            h.valid_to.is_some(),
            tinhgon_textkit::sort_key(&h.label),
            h.id,
        )
    });
    Ok(rows
        .into_iter()
        .map(|h| {
            let (kind, detail, href) = match h.kind.as_str() {
                "unit" => {
                    let what = UnitKind::from_register(&h.detail)
                        .map(|k| k.label_vi())
                        .unwrap_or("Cơ quan, đơn vị");
                    let detail = match h.valid_to {
                        Some(d) => {
                            format!("{what} · đã thôi hoạt động từ {}", d.format("%d/%m/%Y"))
                        }
                        None => what.to_string(),
                    };
                    ("unit", detail, format!("/units/{}", h.id))
                }
                "plan" => ("plan", h.detail, format!("/plans/{}", h.id)),
                _ => (
                    "task",
                    h.detail,
                    format!("/plans/{}#task-{}", h.plan_id.unwrap_or_default(), h.id),
                ),
            };
            Hit {
                kind,
                id: h.id,
                label: h.label,
                detail,
                href,
            }
        })
        .collect())
}
