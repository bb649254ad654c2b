//! Listing plans: the plans a user may read, one page at a time.

use serde::Deserialize;
use tinhgon_domain::model::Id;
use tinhgon_domain::plan::PlanState;
use tinhgon_domain::user::{Role, User};
use tinhgon_store::plans::PlanFilter;
use tinhgon_store::Db;

use crate::error::Result;

/// Default plans per page.
pub const PER_PAGE_DEFAULT: u32 = 50;
/// Most plans per page.
pub const PER_PAGE_MAX: u32 = 200;

/// `?page=&per_page=` of a plan list (page from 1; per_page 1–200, default 50; out-of-range
/// values are brought into range).
#[derive(Debug, Clone, Copy, Deserialize, Default)]
pub struct PageQuery {
    /// Page, from 1.
    pub page: Option<u32>,
    /// Plans per page.
    pub per_page: Option<u32>,
}

impl PageQuery {
    /// (page, per_page) brought into range.
    pub fn clamped(self) -> (u32, u32) {
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
    /// (id, number, title, state) of this page's plans, newest first.
    pub plans: Vec<(Id, Option<String>, Option<String>, PlanState)>,
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
    let filter = match user.role {
        Role::Admin | Role::Monitor => PlanFilter {
            province_id,
            include_drafts: true,
            concerning_unit: None,
        },
        Role::Leader => PlanFilter {
            province_id,
            include_drafts: false,
            concerning_unit: None,
        },
        Role::AgencyOfficer => match user.unit_id {
            Some(u) => PlanFilter {
                province_id,
                include_drafts: false,
                concerning_unit: Some(u),
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
