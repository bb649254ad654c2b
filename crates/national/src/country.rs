//! The synthetic country: 34 provinces, each with its People's Committee, party bodies,
//! 14 departments, public service units and its communes and wards (~3,321 in all).

use super::rng::Rng;

/// Provinces and cities after the 2025 reform (34), used as names only.
pub const PROVINCES: [&str; 34] = [
    "Hà Nội",
    "Huế",
    "Lai Châu",
    "Điện Biên",
    "Sơn La",
    "Lạng Sơn",
    "Quảng Ninh",
    "Thanh Hóa",
    "Nghệ An",
    "Hà Tĩnh",
    "Cao Bằng",
    "Tuyên Quang",
    "Lào Cai",
    "Thái Nguyên",
    "Phú Thọ",
    "Bắc Ninh",
    "Hưng Yên",
    "Hải Phòng",
    "Ninh Bình",
    "Quảng Trị",
    "Đà Nẵng",
    "Quảng Ngãi",
    "Gia Lai",
    "Khánh Hòa",
    "Lâm Đồng",
    "Đắk Lắk",
    "Hồ Chí Minh",
    "Đồng Nai",
    "Tây Ninh",
    "Cần Thơ",
    "Vĩnh Long",
    "Đồng Tháp",
    "Cà Mau",
    "An Giang",
];

/// The 14 specialised agencies of a provincial People's Committee (Sở Nội vụ first: it is
/// the default monitor).
pub const DEPARTMENTS: [&str; 14] = [
    "Sở Nội vụ",
    "Sở Tài chính",
    "Sở Tư pháp",
    "Sở Công Thương",
    "Sở Nông nghiệp và Môi trường",
    "Sở Xây dựng",
    "Sở Giáo dục và Đào tạo",
    "Sở Y tế",
    "Sở Khoa học và Công nghệ",
    "Sở Văn hóa, Thể thao và Du lịch",
    "Sở Ngoại vụ",
    "Sở Dân tộc và Tôn giáo",
    "Thanh tra tỉnh",
    "Văn phòng UBND tỉnh",
];

/// Party bodies of a province.
const PARTY: [&str; 4] = [
    "Tỉnh ủy",
    "Ban Tổ chức Tỉnh ủy",
    "Ban Tuyên giáo và Dân vận Tỉnh ủy",
    "Ủy ban Kiểm tra Tỉnh ủy",
];

const SYLLABLES: [&str; 40] = [
    "An", "Bình", "Hòa", "Phú", "Tân", "Thạnh", "Hưng", "Long", "Phước", "Thịnh", "Đông", "Tây",
    "Nam", "Bắc", "Trung", "Sơn", "Hải", "Lộc", "Vĩnh", "Xuân", "Quang", "Minh", "Đức", "Thuận",
    "Thành", "Hiệp", "Mỹ", "Lợi", "Phong", "Yên", "Kim", "Cẩm", "Diễn", "Nghĩa", "Hợp", "Tiến",
    "Châu", "Thanh", "Lâm", "Hà",
];

/// Communes and wards in the whole country at scale 1.
pub const COMMUNES_TOTAL: usize = 3_321;
/// Public service units per province.
pub const PSU_PER_PROVINCE: usize = 50;

/// Kind of a generated unit (stored as the domain's snake_case `UnitKind`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The province itself.
    Province,
    /// UBND tỉnh.
    PeopleCommittee,
    /// A party body.
    Party,
    /// A department.
    Department,
    /// A public service unit.
    PublicServiceUnit,
    /// A commune.
    Commune,
    /// A ward.
    Ward,
}

impl Kind {
    /// Stored kind.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Province => "province",
            Kind::PeopleCommittee => "people_committee",
            Kind::Party => "party",
            Kind::Department => "department",
            Kind::PublicServiceUnit => "public_service_unit",
            Kind::Commune => "commune",
            Kind::Ward => "ward",
        }
    }

    /// The register's kind code.
    pub fn register_kind(self) -> &'static str {
        match self {
            Kind::Province => "tinh",
            Kind::PeopleCommittee => "ubnd",
            Kind::Party => "tinh-uy",
            Kind::Department => "so",
            Kind::PublicServiceUnit => "dvsn",
            Kind::Commune => "xa",
            Kind::Ward => "phuong",
        }
    }

    /// Stored level.
    pub fn level(self) -> &'static str {
        match self {
            Kind::Commune | Kind::Ward => "commune",
            _ => "province",
        }
    }
}

/// One generated unit.
#[derive(Debug, Clone)]
pub struct GenUnit {
    /// Id.
    pub id: i64,
    /// Code.
    pub code: String,
    /// Name.
    pub name: String,
    /// Kind.
    pub kind: Kind,
    /// Parent.
    pub parent_id: Option<i64>,
    /// Province.
    pub province_id: i64,
}

/// A province's units by role, for choosing issuers and leads.
#[derive(Debug, Clone)]
pub struct Province {
    /// The province unit.
    pub id: i64,
    /// Its name.
    pub name: String,
    /// UBND tỉnh.
    pub committee: i64,
    /// Party bodies.
    pub party: Vec<i64>,
    /// Departments, in [`DEPARTMENTS`] order.
    pub departments: Vec<i64>,
    /// Public service units with their department.
    pub service_units: Vec<(i64, i64)>,
    /// Communes and wards.
    pub communes: Vec<i64>,
}

/// The whole country.
#[derive(Debug, Clone)]
pub struct Country {
    /// Provinces.
    pub provinces: Vec<Province>,
    /// Every unit in id order.
    pub units: Vec<GenUnit>,
}

/// Communes per province: between 50 and 170, summing to `total`.
fn commune_counts(rng: &mut Rng, provinces: usize, total: usize) -> Vec<usize> {
    let (lo, hi) = (50usize, 170usize);
    let mut counts: Vec<usize> = (0..provinces)
        .map(|_| rng.range(55, 140) as usize)
        .collect();
    let target = total.clamp(lo * provinces, hi * provinces);
    let mut sum: usize = counts.iter().sum();
    while sum != target {
        let i = rng.below(provinces as u64) as usize;
        if sum < target && counts[i] < hi {
            counts[i] += 1;
            sum += 1;
        } else if sum > target && counts[i] > lo {
            counts[i] -= 1;
            sum -= 1;
        }
    }
    counts
}

/// Builds the country. `scale` only shrinks the communes and service units (never below
/// a few per province) so that small test sets keep every kind of unit.
pub fn build(seed: u64, scale: f64) -> Country {
    let mut rng = Rng::derive(seed, u64::MAX);
    let scaled = |n: usize, min: usize| ((n as f64 * scale).round() as usize).max(min);
    let communes_total = scaled(COMMUNES_TOTAL, 0);
    let mut counts = commune_counts(&mut rng, PROVINCES.len(), COMMUNES_TOTAL);
    if communes_total < COMMUNES_TOTAL {
        for c in &mut counts {
            *c = ((*c as f64 * scale).round() as usize).max(3);
        }
    }
    let psu = scaled(PSU_PER_PROVINCE, 3);
    let mut units = Vec::new();
    let mut provinces = Vec::new();
    let mut next = 1i64;
    for (p, pname) in PROVINCES.iter().enumerate() {
        let pid = next;
        let mut add = |units: &mut Vec<GenUnit>,
                       code: String,
                       name: String,
                       kind: Kind,
                       parent: Option<i64>| {
            let id = next;
            next += 1;
            units.push(GenUnit {
                id,
                code,
                name,
                kind,
                parent_id: parent,
                province_id: pid,
            });
            id
        };
        let pcode = format!("T{:02}", p + 1);
        add(
            &mut units,
            pcode.clone(),
            format!("Tỉnh {pname}"),
            Kind::Province,
            None,
        );
        let committee = add(
            &mut units,
            format!("{pcode}-UBND"),
            format!("Ủy ban nhân dân tỉnh {pname}"),
            Kind::PeopleCommittee,
            Some(pid),
        );
        let party: Vec<i64> = PARTY
            .iter()
            .enumerate()
            .map(|(i, n)| {
                add(
                    &mut units,
                    format!("{pcode}-D{i:02}"),
                    format!("{n} {pname}"),
                    Kind::Party,
                    Some(pid),
                )
            })
            .collect();
        let departments: Vec<i64> = DEPARTMENTS
            .iter()
            .enumerate()
            .map(|(i, n)| {
                add(
                    &mut units,
                    format!("{pcode}-S{i:02}"),
                    format!("{n} {pname}"),
                    Kind::Department,
                    Some(committee),
                )
            })
            .collect();
        let service_units: Vec<(i64, i64)> = (0..psu)
            .map(|i| {
                let dept = departments[i % departments.len()];
                let id = add(
                    &mut units,
                    format!("{pcode}-DV{i:03}"),
                    format!(
                        "Trung tâm số {} thuộc {}",
                        i + 1,
                        DEPARTMENTS[i % DEPARTMENTS.len()]
                    ),
                    Kind::PublicServiceUnit,
                    Some(dept),
                );
                (id, dept)
            })
            .collect();
        let communes: Vec<i64> = (0..counts[p])
            .map(|i| {
                let ward = rng.chance(0.3);
                let a = rng.pick(&SYLLABLES).copied().unwrap_or("An");
                let b = rng.pick(&SYLLABLES).copied().unwrap_or("Bình");
                let (kind, word) = if ward {
                    (Kind::Ward, "Phường")
                } else {
                    (Kind::Commune, "Xã")
                };
                add(
                    &mut units,
                    format!("{pcode}-X{i:03}"),
                    format!("{word} {a} {b}"),
                    kind,
                    Some(pid),
                )
            })
            .collect();
        provinces.push(Province {
            id: pid,
            name: (*pname).to_string(),
            committee,
            party,
            departments,
            service_units,
            communes,
        });
    }
    Country { provinces, units }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_country_has_the_national_shape() {
        let c = build(1, 1.0);
        assert_eq!(c.provinces.len(), 34);
        let communes: usize = c.provinces.iter().map(|p| p.communes.len()).sum();
        assert_eq!(communes, COMMUNES_TOTAL);
        for p in &c.provinces {
            assert!(
                (50..=170).contains(&p.communes.len()),
                "{}",
                p.communes.len()
            );
            assert_eq!(p.departments.len(), 14);
            assert_eq!(p.service_units.len(), PSU_PER_PROVINCE);
        }
        let ids: Vec<i64> = c.units.iter().map(|u| u.id).collect();
        assert!(ids.windows(2).all(|w| w[1] == w[0] + 1));
        assert!(c.units.iter().all(|u| u.parent_id.is_none_or(|p| p < u.id)));
    }
}
