//! Listing plans: the plans a user may read, one page at a time.

use serde::Deserialize;
use tinhgon_domain::model::Id;
use tinhgon_domain::plan::PlanState;
use tinhgon_domain::user::{Role, User};
use tinhgon_store::plans::{PlanFilter, PlanListRow};
use tinhgon_store::Db;

use crate::error::{AppError, Result};

/// Default plans per page.
pub const PER_PAGE_DEFAULT: u32 = 50;
/// Most plans per page.
pub const PER_PAGE_MAX: u32 = 200;

/// `?page=&per_page=` of a plan list (page from 1; per_page 1–200, default 50; out-of-range
/// values are brought into range).
#[derive(Debug, Clone, Deserialize, Default)]
pub struct PageQuery {
    /// Page, from 1.
    pub page: Option<u32>,
    /// Plans per page.
    pub per_page: Option<u32>,
    /// Only plans in this state (`draft`, `published`); empty for all.
    #[serde(default)]
    pub state: Option<String>,
    /// Only plans whose number or title contains this text (diacritics optional).
    #[serde(default)]
    pub q: Option<String>,
}

impl PageQuery {
    /// (page, per_page) brought into range.
    pub fn clamped(&self) -> (u32, u32) {
        (
            self.page.unwrap_or(1).max(1),
            self.per_page
                .unwrap_or(PER_PAGE_DEFAULT)
                .clamp(1, PER_PAGE_MAX),
        )
    }
}

/// One page of the plans the viewer may read.
pub struct VisiblePlans {
    /// This page's plans, newest first.
    pub plans: Vec<PlanListRow>,
    /// Plans over all pages.
    pub total: i64,
    /// This page, from 1.
    pub page: u32,
    /// Plans per page.
    pub per_page: u32,
}

/// The plans `user` may read in `province_id` (None: every province), one page of them. The rights rules of `can_read_plan` are
/// applied in SQL (drafts for monitors only; an officer sees plans concerning its unit or
/// marked public), so neither the whole table nor one query per plan is needed.
pub async fn visible_plans_page(
    db: &Db,
    user: &User,
    province_id: Option<Id>,
    q: PageQuery,
) -> Result<VisiblePlans> {
    let (page, per_page) = q.clamped();
    let state = match q.state.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(s) => Some(
            PlanState::parse(s)
                .ok_or_else(|| AppError::invalid("state", "Tình trạng kế hoạch không hợp lệ."))?,
        ),
    };
    let key =
        q.q.as_deref()
            .map(tinhgon_textkit::search_key)
            .filter(|k| !k.is_empty());
    let text = key.as_deref();
    let filter = match user.role {
        Role::Admin | Role::Monitor => PlanFilter {
            province_id,
            include_drafts: true,
            concerning_unit: None,
            state,
            text,
        },
        Role::Leader => PlanFilter {
            province_id,
            include_drafts: false,
            concerning_unit: None,
            state,
            text,
        },
        Role::AgencyOfficer => match user.unit_id {
            Some(u) => PlanFilter {
                province_id,
                include_drafts: false,
                concerning_unit: Some(u),
                state,
                text,
            },
            None => {
                return Ok(VisiblePlans {
                    plans: Vec::new(),
                    total: 0,
                    page,
                    per_page,
                })
            }
        },
    };
    let offset = i64::from(page - 1) * i64::from(per_page);
    let p = tinhgon_store::plans::list_plans_page(db, filter, offset, i64::from(per_page)).await?;
    Ok(VisiblePlans {
        plans: p.plans,
        total: p.total,
        page,
        per_page,
    })
}

/// Deletes a draft imported by mistake (a monitor of its province); a published plan is kept.
pub async fn delete_draft(db: &Db, user: &User, id: tinhgon_domain::ids::PlanId) -> Result<()> {
    let p = crate::import::editable(db, user, id).await?;
    let entry = crate::audit::entry(
        Some(user),
        "plan.draft.delete",
        "plan",
        Some(p.rec.plan.id),
        Some(serde_json::json!({
            "number": p.rec.plan.meta.number,
            "title": p.rec.plan.meta.title,
        })),
        None,
    );
    tinhgon_store::plans::delete_draft_audited(db, p.rec.plan.id, &entry, chrono::Utc::now())
        .await?;
    Ok(())
}
