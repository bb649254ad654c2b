//! Units of the register (cơ quan, đơn vị, địa phương) and their aliases.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::model::Id;

/// Kind of a unit in the register (glossary names).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnitKind {
    /// Tỉnh / thành phố trực thuộc trung ương.
    Province,
    /// UBND.
    PeopleCommittee,
    /// HĐND.
    PeopleCouncil,
    /// Tỉnh ủy and its bodies.
    Party,
    /// Sở, ban, ngành.
    Department,
    /// Chi cục.
    SubDepartment,
    /// Phòng, ban thuộc sở (internal division of a department).
    Division,
    /// Đơn vị sự nghiệp công lập.
    PublicServiceUnit,
    /// Huyện, thị xã, thành phố thuộc tỉnh (until 1/7/2025).
    District,
    /// Xã.
    Commune,
    /// Phường.
    Ward,
    /// Đặc khu.
    SpecialZone,
    /// Cơ quan trung ương tại địa phương (Công an tỉnh, Thuế tỉnh, Kho bạc Nhà nước khu vực,
    /// Bộ Chỉ huy Quân sự tỉnh, Ngân hàng Nhà nước chi nhánh): named as leads by plans.
    CentralBranch,
    /// Mặt trận, đoàn thể, văn phòng and other bodies.
    Other,
}

impl UnitKind {
    /// Every kind, in the order the forms list them.
    pub const ALL: [UnitKind; 14] = [
        UnitKind::Province,
        UnitKind::PeopleCommittee,
        UnitKind::PeopleCouncil,
        UnitKind::Party,
        UnitKind::Department,
        UnitKind::SubDepartment,
        UnitKind::Division,
        UnitKind::PublicServiceUnit,
        UnitKind::CentralBranch,
        UnitKind::District,
        UnitKind::Commune,
        UnitKind::Ward,
        UnitKind::SpecialZone,
        UnitKind::Other,
    ];

    /// The level a unit of this kind sits at (the commune kinds at the commune level, a
    /// district at the district level, everything else at the province's).
    pub fn level(self) -> Level {
        match self {
            UnitKind::Commune | UnitKind::Ward | UnitKind::SpecialZone => Level::Commune,
            UnitKind::District => Level::District,
            _ => Level::Province,
        }
    }

    /// Maps the `kind` column of the register CSV (`so`, `xa`, `tinh-uy` …) to a kind.
    ///
    /// Party bodies all become `Party`; offices, the Front and the National Assembly
    /// delegation become `Other` because no rule treats them specially.
    pub fn from_register(kind: &str) -> Option<UnitKind> {
        Some(match kind.trim() {
            "tinh" | "province" => UnitKind::Province,
            "ubnd" | "people_committee" => UnitKind::PeopleCommittee,
            "hdnd" | "people_council" => UnitKind::PeopleCouncil,
            "tinh-uy" | "ban-thuong-vu" | "thuong-truc" | "ban" | "uy-ban-kiem-tra" | "dang-uy"
            | "party" => UnitKind::Party,
            // Thanh tra tỉnh and Văn phòng UBND tỉnh are specialised agencies of the
            // People's Committee and count among "các sở, ban, ngành".
            "so" | "thanh-tra" | "department" => UnitKind::Department,
            "chi-cuc" | "sub_department" => UnitKind::SubDepartment,
            "phong" | "division" => UnitKind::Division,
            "co-quan-trung-uong" | "central_branch" => UnitKind::CentralBranch,
            "dvsn" | "public_service_unit" => UnitKind::PublicServiceUnit,
            "huyen" | "thi-xa" | "thanh-pho" | "district" => UnitKind::District,
            "xa" | "commune" => UnitKind::Commune,
            "phuong" | "ward" => UnitKind::Ward,
            "dac-khu" | "special_zone" => UnitKind::SpecialZone,
            "van-phong" | "mat-tran" | "doan-dbqh" | "other" => UnitKind::Other,
            _ => return None,
        })
    }

    /// True for the units of the commune level (xã, phường, đặc khu).
    pub fn is_commune_level(self) -> bool {
        matches!(
            self,
            UnitKind::Commune | UnitKind::Ward | UnitKind::SpecialZone
        )
    }

    /// Stable snake_case name (as serialised).
    pub fn as_str(self) -> &'static str {
        match self {
            UnitKind::Province => "province",
            UnitKind::PeopleCommittee => "people_committee",
            UnitKind::PeopleCouncil => "people_council",
            UnitKind::Party => "party",
            UnitKind::Department => "department",
            UnitKind::SubDepartment => "sub_department",
            UnitKind::Division => "division",
            UnitKind::CentralBranch => "central_branch",
            UnitKind::PublicServiceUnit => "public_service_unit",
            UnitKind::District => "district",
            UnitKind::Commune => "commune",
            UnitKind::Ward => "ward",
            UnitKind::SpecialZone => "special_zone",
            UnitKind::Other => "other",
        }
    }

    /// Vietnamese label for pages.
    pub fn label_vi(self) -> &'static str {
        match self {
            UnitKind::Province => "Tỉnh",
            UnitKind::PeopleCommittee => "Ủy ban nhân dân",
            UnitKind::PeopleCouncil => "Hội đồng nhân dân",
            UnitKind::Party => "Cơ quan Đảng",
            UnitKind::Department => "Sở, ban, ngành",
            UnitKind::SubDepartment => "Chi cục",
            UnitKind::Division => "Phòng thuộc cơ quan",
            UnitKind::CentralBranch => "Cơ quan trung ương tại địa phương",
            UnitKind::PublicServiceUnit => "Đơn vị sự nghiệp công lập",
            UnitKind::District => "Huyện, thị xã, thành phố",
            UnitKind::Commune => "Xã",
            UnitKind::Ward => "Phường",
            UnitKind::SpecialZone => "Đặc khu",
            UnitKind::Other => "Cơ quan, đơn vị khác",
        }
    }
}

/// Administrative level of a unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// Central.
    Central,
    /// Province.
    Province,
    /// District (abolished 1/7/2025).
    District,
    /// Commune.
    Commune,
}

impl Level {
    /// Maps the `level` column of the register CSV.
    pub fn from_register(level: &str) -> Option<Level> {
        Some(match level.trim() {
            "central" => Level::Central,
            "province" | "department" | "party" => Level::Province,
            "district" => Level::District,
            "commune" => Level::Commune,
            _ => return None,
        })
    }

    /// Stable snake_case name (as serialised).
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Central => "central",
            Level::Province => "province",
            Level::District => "district",
            Level::Commune => "commune",
        }
    }
}

/// A unit of the register, valid over `[valid_from, valid_to)`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unit {
    /// Identifier.
    pub id: Id,
    /// Official code where one exists (commune codes, province code).
    pub code: Option<String>,
    /// Canonical name.
    pub name: String,
    /// Kind.
    pub kind: UnitKind,
    /// Level.
    pub level: Level,
    /// Parent unit.
    pub parent_id: Option<Id>,
    /// First day the unit exists (None: since before the register starts).
    pub valid_from: Option<NaiveDate>,
    /// First day the unit no longer exists (None: still exists).
    pub valid_to: Option<NaiveDate>,
}

impl Unit {
    /// True when the unit exists on `date` (`valid_from ≤ date < valid_to`).
    pub fn is_valid_on(&self, date: NaiveDate) -> bool {
        self.valid_from.is_none_or(|f| f <= date) && self.valid_to.is_none_or(|t| date < t)
    }
}

/// Another name for a unit ("Sở GD&ĐT", "UBND tỉnh").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitAlias {
    /// The alias as written.
    pub alias: String,
    /// The unit it names.
    pub unit_id: Id,
}
