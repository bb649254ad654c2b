//! The functions register: the state-management fields (lĩnh vực quản lý nhà nước) of the
//! provincial departments as the decrees on provincial specialised agencies assign them
//! (Nghị định 45/2025/NĐ-CP, then 150/2025/NĐ-CP), kept as a data file
//! (`data/functions/catalogue.csv`) rather than code, and the two checks on who holds them:
//! an **overlap** (one field held by two units of the same territory and level, against "một
//! việc chỉ giao cho một cơ quan chủ trì") and a **gap** (a field of the catalogue nobody holds).

use std::collections::{BTreeMap, HashSet};
use std::sync::OnceLock;

use chrono::NaiveDate;
use serde::Serialize;

use crate::csvtext;
use crate::model::Id;

const CATALOGUE: &str = include_str!("../../../data/functions/catalogue.csv");

/// A field of the catalogue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CatalogueField {
    /// Stable code ("noi-vu.thi-dua"), what the register stores.
    pub code: String,
    /// The department the decrees give it to ("Sở Nội vụ").
    pub department: String,
    /// The field as written ("Thi đua, khen thưởng").
    pub field: String,
    /// The decrees that assign it.
    pub citation: String,
    /// First day the catalogue applies.
    pub valid_from: NaiveDate,
}

/// Parses the catalogue text (header `code,department,field,citation,valid_from`); the first
/// bad line is an error naming it.
pub fn parse_catalogue(text: &str) -> Result<Vec<CatalogueField>, String> {
    let mut out: Vec<CatalogueField> = Vec::new();
    for r in csvtext::parse(text).into_iter().skip(1) {
        let bad = |what: &str| format!("Danh mục lĩnh vực, dòng {}: {what}.", r.line);
        let valid_from = NaiveDate::parse_from_str(r.get(4), "%Y-%m-%d")
            .map_err(|_| bad("ngày áp dụng không hợp lệ"))?;
        let f = CatalogueField {
            code: r.get(0).to_string(),
            department: r.get(1).to_string(),
            field: r.get(2).to_string(),
            citation: r.get(3).to_string(),
            valid_from,
        };
        if f.code.is_empty() || f.department.is_empty() || f.field.is_empty() {
            return Err(bad("thiếu mã, cơ quan hoặc tên lĩnh vực"));
        }
        if f.citation.is_empty() {
            return Err(bad("thiếu căn cứ pháp lý"));
        }
        if out.iter().any(|o| o.code == f.code) {
            return Err(bad("mã lĩnh vực trùng"));
        }
        out.push(f);
    }
    Ok(out)
}

/// The catalogue shipped with tinhgon. The file is checked by a test, so a bad edit fails
/// the build's tests rather than a running server; here it would be an empty catalogue.
pub fn catalogue() -> &'static [CatalogueField] {
    static PARSED: OnceLock<Vec<CatalogueField>> = OnceLock::new();
    PARSED.get_or_init(|| parse_catalogue(CATALOGUE).unwrap_or_default())
}

/// The field whose code is `code`.
pub fn field(code: &str) -> Option<&'static CatalogueField> {
    catalogue().iter().find(|f| f.code == code)
}

/// The catalogue fields in force on `day`.
pub fn in_force(day: NaiveDate) -> impl Iterator<Item = &'static CatalogueField> {
    catalogue().iter().filter(move |f| f.valid_from <= day)
}

/// The fields the decrees give to the department named `name` (case, diacritics and
/// punctuation ignored: "Sở Văn hóa, Thể thao và Du lịch").
pub fn of_department(name: &str) -> Vec<&'static CatalogueField> {
    let key = tinhgon_textkit::search_key(name);
    catalogue()
        .iter()
        .filter(|f| tinhgon_textkit::search_key(&f.department) == key)
        .collect()
}

/// A field held by a unit on the day checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holding {
    /// The unit.
    pub unit_id: Id,
    /// Its name.
    pub unit_name: String,
    /// The territory and level it works at: the province for provincial bodies, the commune
    /// (or district) itself for local ones.
    pub territory: Id,
    /// The units above it: a division holding its department's field is one body, not two.
    pub ancestors: Vec<Id>,
    /// Catalogue code.
    pub field_code: String,
}

/// One field held by two or more units of one territory and level.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Overlap {
    /// Catalogue code.
    pub field_code: String,
    /// The field as written.
    pub field: String,
    /// The units holding it: (id, name).
    pub units: Vec<(Id, String)>,
}

/// A field of the catalogue no unit holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Gap {
    /// Catalogue code.
    pub field_code: String,
    /// The field as written.
    pub field: String,
    /// The department the decrees give it to.
    pub department: String,
    /// The decrees.
    pub citation: String,
}

/// The field's name from the catalogue, or its code when the catalogue no longer has it.
pub fn field_name(code: &str) -> String {
    field(code).map_or_else(|| code.to_string(), |f| f.field.clone())
}

/// The overlaps among `holdings`, by field then territory.
pub fn overlaps(holdings: &[Holding]) -> Vec<Overlap> {
    let mut groups: BTreeMap<(&str, Id), Vec<&Holding>> = BTreeMap::new();
    for h in holdings {
        groups
            .entry((h.field_code.as_str(), h.territory))
            .or_default()
            .push(h);
    }
    let mut out = Vec::new();
    for ((code, _), hs) in groups {
        let ids: HashSet<Id> = hs.iter().map(|h| h.unit_id).collect();
        let mut units: Vec<(Id, String)> = hs
            .iter()
            .filter(|h| !h.ancestors.iter().any(|a| ids.contains(a)))
            .map(|h| (h.unit_id, h.unit_name.clone()))
            .collect();
        units.sort();
        units.dedup();
        if units.len() > 1 {
            out.push(Overlap {
                field_code: code.to_string(),
                field: field_name(code),
                units,
            });
        }
    }
    out
}

/// The fields of `catalogue` in force on `day` that none of `holdings` holds.
pub fn gaps(catalogue: &[CatalogueField], holdings: &[Holding], day: NaiveDate) -> Vec<Gap> {
    let held: HashSet<&str> = holdings.iter().map(|h| h.field_code.as_str()).collect();
    catalogue
        .iter()
        .filter(|f| f.valid_from <= day && !held.contains(f.code.as_str()))
        .map(|f| Gap {
            field_code: f.code.clone(),
            field: f.field.clone(),
            department: f.department.clone(),
            citation: f.citation.clone(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn h(unit: Id, territory: Id, ancestors: &[Id], code: &str) -> Holding {
        Holding {
            unit_id: unit,
            unit_name: format!("Đơn vị {unit}"),
            territory,
            ancestors: ancestors.to_vec(),
            field_code: code.into(),
        }
    }

    #[test]
    fn the_shipped_catalogue_covers_the_fourteen_departments_with_citations() {
        let parsed = parse_catalogue(CATALOGUE).expect("the catalogue parses");
        assert_eq!(parsed.len(), catalogue().len());
        let departments: HashSet<&str> = parsed.iter().map(|f| f.department.as_str()).collect();
        assert_eq!(departments.len(), 14, "{departments:?}");
        for name in [
            "Sở Nội vụ",
            "Sở Tài chính",
            "Sở Xây dựng",
            "Sở Nông nghiệp và Môi trường",
            "Sở Công Thương",
            "Sở Khoa học và Công nghệ",
            "Sở Giáo dục và Đào tạo",
            "Sở Y tế",
            "Sở Văn hóa Thể thao và Du lịch",
            "Sở Tư pháp",
            "Sở Dân tộc và Tôn giáo",
            "Sở Ngoại vụ",
            "Thanh tra tỉnh",
            "Văn phòng Ủy ban nhân dân tỉnh",
        ] {
            assert!(!of_department(name).is_empty(), "{name}");
        }
        assert!(parsed
            .iter()
            .all(|f| f.citation.contains("Nghị định 45/2025/NĐ-CP")
                && f.citation.contains("Nghị định 150/2025/NĐ-CP")));
        assert_eq!(in_force(d(2025, 2, 28)).count(), 0);
    }

    #[test]
    fn a_bad_catalogue_line_is_named() {
        let e = parse_catalogue(
            "code,department,field,citation,valid_from\na,Sở A,Lĩnh vực,NĐ,2025-13-01\n",
        )
        .unwrap_err();
        assert!(e.contains("dòng 2"), "{e}");
        let e = parse_catalogue(
            "code,department,field,citation,valid_from\na,Sở A,X,NĐ,2025-03-01\na,Sở B,Y,NĐ,2025-03-01\n",
        )
        .unwrap_err();
        assert!(e.contains("trùng"), "{e}");
    }

    #[test]
    fn an_overlap_is_two_bodies_of_one_territory_not_a_division_and_its_department() {
        let hs = [
            h(1, 100, &[100], "noi-vu.thi-dua"),
            h(2, 100, &[100], "noi-vu.thi-dua"),
            h(3, 100, &[1, 100], "noi-vu.van-thu"),
            h(1, 100, &[100], "noi-vu.van-thu"),
            // Two communes each hold it for their own territory.
            h(7, 7, &[100], "nnmt.dat-dai"),
            h(8, 8, &[100], "nnmt.dat-dai"),
        ];
        let o = overlaps(&hs);
        assert_eq!(o.len(), 1, "{o:?}");
        assert_eq!(o[0].field_code, "noi-vu.thi-dua");
        assert_eq!(o[0].units.iter().map(|u| u.0).collect::<Vec<_>>(), [1, 2]);
        assert_eq!(o[0].field, "Thi đua, khen thưởng");
    }

    #[test]
    fn a_gap_is_a_catalogue_field_nobody_holds_on_the_day() {
        let all: Vec<Holding> = catalogue()
            .iter()
            .map(|f| h(1, 100, &[], &f.code))
            .collect();
        assert!(gaps(catalogue(), &all, d(2025, 3, 1)).is_empty());
        let some = &all[1..];
        let g = gaps(catalogue(), some, d(2025, 3, 1));
        assert_eq!(g.len(), 1);
        assert_eq!(g[0].field_code, catalogue()[0].code);
        assert!(
            gaps(catalogue(), &[], d(2025, 2, 1)).is_empty(),
            "before the decrees"
        );
    }
}
