//! The lineage picture (sơ đồ sắp xếp) of a unit or of a province: the applied mergers,
//! consolidations, splits, renames and dissolutions, laid out by the domain's rule, with the
//! names and dates the picture writes.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use serde::Serialize;
use tinhgon_domain::event::RestructuringEvent;
use tinhgon_domain::ids::UnitId;
use tinhgon_domain::lineage_graph::{layout, LineageGroup};
use tinhgon_domain::model::Id;
use tinhgon_domain::unit::Level;
use tinhgon_domain::user::User;
use tinhgon_store::register::{self, EventState};
use tinhgon_store::Db;

use crate::error::{AppError, Result};

/// Groups of a province's picture shown at once (the 412 → 130 communes of Nghệ An are 130).
pub const GROUPS_PER_PAGE: usize = 30;

/// A unit as the picture writes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PictureUnit {
    /// Name.
    pub name: String,
    /// First day it exists (None: before the register starts).
    pub valid_from: Option<NaiveDate>,
    /// First day it no longer exists (None: in force).
    pub valid_to: Option<NaiveDate>,
}

/// Which units of a province the picture shows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Tier {
    /// Every unit.
    #[default]
    All,
    /// Provincial bodies (departments, boards, their units).
    Province,
    /// Communes, wards and special zones.
    Commune,
}

impl Tier {
    /// The tier whose stable name is `s`.
    pub fn parse(s: &str) -> Option<Tier> {
        match s.trim() {
            "" | "all" => Some(Tier::All),
            "province" => Some(Tier::Province),
            "commune" => Some(Tier::Commune),
            _ => None,
        }
    }

    /// Stable name.
    pub fn as_str(self) -> &'static str {
        match self {
            Tier::All => "all",
            Tier::Province => "province",
            Tier::Commune => "commune",
        }
    }

    /// Vietnamese label.
    pub fn label_vi(self) -> &'static str {
        match self {
            Tier::All => "Tất cả đơn vị",
            Tier::Province => "Cơ quan, đơn vị cấp tỉnh",
            Tier::Commune => "Xã, phường, đặc khu",
        }
    }
}

/// What a province's picture keeps.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PictureFilter {
    /// Only the groups with an event on this day.
    pub on: Option<NaiveDate>,
    /// Only groups of these units.
    pub tier: Tier,
    /// Page of groups, from 1.
    pub page: usize,
}

/// A picture ready to draw.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Picture {
    /// The groups shown.
    pub groups: Vec<LineageGroup>,
    /// Every unit the groups name.
    pub units: HashMap<Id, PictureUnit>,
    /// Groups the filter keeps over all pages.
    pub total_groups: usize,
    /// Days with events and how many events each (the filter's choices), latest first.
    pub days: Vec<(NaiveDate, usize)>,
}

/// The picture of the groups `unit` belongs to, for a reader of its province.
pub async fn of_unit(db: &Db, user: &User, unit: UnitId) -> Result<Picture> {
    crate::access::readable_unit(db, user, unit).await?;
    let province = register::unit_province(db, unit.get())
        .await?
        .ok_or(AppError::NotFound)?;
    let (events, units) = applied(db, province).await?;
    let groups = layout(&events, Some(unit.get()));
    let total = groups.len();
    Ok(picture(groups, total, &events, units))
}

/// The picture of a province, filtered and one page of groups at a time.
pub async fn of_province(
    db: &Db,
    user: &User,
    province: Id,
    filter: &PictureFilter,
) -> Result<Picture> {
    if !tinhgon_domain::user::works_on(user, Some(province)) {
        return Err(AppError::NotFound);
    }
    let (events, units) = applied(db, province).await?;
    let level = |u: &Id| units.get(u).map(|(_, l)| *l);
    let kept: Vec<LineageGroup> = layout(&events, None)
        .into_iter()
        .filter(|g| {
            filter.on.is_none_or(|d| {
                g.edges.iter().any(|e| e.effective == d)
                    || g.nodes.iter().any(|n| n.dissolved == Some(d))
            })
        })
        .filter(|g| match filter.tier {
            Tier::All => true,
            Tier::Commune => g
                .nodes
                .iter()
                .any(|n| level(&n.unit) == Some(Level::Commune)),
            Tier::Province => g
                .nodes
                .iter()
                .all(|n| level(&n.unit) != Some(Level::Commune)),
        })
        .collect();
    let total = kept.len();
    let start = filter.page.max(1).saturating_sub(1) * GROUPS_PER_PAGE;
    let shown = kept.into_iter().skip(start).take(GROUPS_PER_PAGE).collect();
    Ok(picture(shown, total, &events, units))
}

type Named = HashMap<Id, (PictureUnit, Level)>;

/// The province's applied events and its units.
async fn applied(db: &Db, province: Id) -> Result<(Vec<RestructuringEvent>, Named)> {
    let events = register::province_events(db, province)
        .await?
        .into_iter()
        .filter(|e| e.state == EventState::Applied)
        .map(|e| e.event)
        .collect();
    let units = register::load_register(db, province)
        .await?
        .units
        .into_iter()
        .map(|u| {
            (
                u.id,
                (
                    PictureUnit {
                        name: u.name,
                        valid_from: u.valid_from,
                        valid_to: u.valid_to,
                    },
                    u.level,
                ),
            )
        })
        .collect();
    Ok((events, units))
}

fn picture(
    groups: Vec<LineageGroup>,
    total_groups: usize,
    events: &[RestructuringEvent],
    mut units: Named,
) -> Picture {
    let mut days: BTreeMap<NaiveDate, usize> = BTreeMap::new();
    for e in events {
        *days.entry(e.effective).or_default() += 1;
    }
    let named = groups
        .iter()
        .flat_map(|g| g.nodes.iter().map(|n| n.unit))
        .filter_map(|u| units.remove(&u).map(|(p, _)| (u, p)))
        .collect();
    Picture {
        groups,
        units: named,
        total_groups,
        days: days.into_iter().rev().collect(),
    }
}
