//! The national register of 2025 built into the binary: the 34 provinces and centrally-run
//! cities, their 3,321 communes, wards and special zones (official codes, in force from
//! 1/7/2025), and the template of a province's specialised agencies. A province set up from it
//! gets its register as the rows a register CSV import would give, so one import path writes both.
//! The files and their sources are described in `data/vn-2025/SOURCES.md`.

use tinhgon_domain::import::{MergerRow, UnitRow};
use tinhgon_textkit::search_key;

use crate::error::{AppError, Result};

const PROVINCES: &str = include_str!("../../../../data/vn-2025/provinces.csv");
const COMMUNES: &str = include_str!("../../../../data/vn-2025/communes.csv");
const DEPARTMENTS: &str = include_str!("../../../../data/vn-2025/department_template.csv");
const MERGERS: &str = include_str!("../../../../data/vn-2025/province_mergers.csv");

/// The day the 2025 commune-level map took effect.
pub const IN_FORCE_FROM: &str = "2025-07-01";

/// A province or centrally-run city of the national register.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Province {
    /// Two-digit official code.
    pub code: String,
    /// Short name ("Lào Cai", "Hà Nội").
    pub name: String,
    /// Full name ("Tỉnh Lào Cai", "Thành phố Hà Nội").
    pub full_name: String,
    /// True for a centrally-run city.
    pub city: bool,
}

impl Province {
    /// The province's own word for itself inside agency names ("tỉnh", "thành phố").
    fn word(&self) -> &'static str {
        if self.city {
            "thành phố"
        } else {
            "tỉnh"
        }
    }
}

/// A commune-level unit of the national register.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Commune {
    /// Five-digit official code.
    pub code: String,
    /// Name with its kind ("Xã Bắc Hà", "Phường Ba Đình").
    pub name: String,
    /// `commune`, `ward` or `special_zone`.
    pub kind: String,
    /// Code of its province.
    pub province_code: String,
}

fn records(text: &'static str) -> impl Iterator<Item = csv::StringRecord> {
    // The files are compiled in and checked by tests, so a bad row is a build defect; it is
    // skipped rather than trusted.
    csv::Reader::from_reader(text.as_bytes())
        .into_records()
        .filter_map(|r| r.ok())
}

/// Every province and centrally-run city, in code order.
pub fn provinces() -> Vec<Province> {
    records(PROVINCES)
        .filter(|r| r.len() >= 4)
        .map(|r| Province {
            code: r[0].to_string(),
            name: r[1].to_string(),
            full_name: r[2].to_string(),
            city: &r[3] == "thanh-pho",
        })
        .collect()
}

/// Every commune-level unit, by province code then commune code.
pub fn communes() -> Vec<Commune> {
    records(COMMUNES)
        .filter(|r| r.len() >= 4)
        .map(|r| Commune {
            code: r[0].to_string(),
            name: r[1].to_string(),
            kind: r[2].to_string(),
            province_code: r[3].to_string(),
        })
        .collect()
}

/// The province written as a person writes it: its code, short or full name, diacritics
/// optional ("Lào Cai", "lao cai", "Tỉnh Lào Cai", "15").
pub fn find_province(written: &str) -> Result<Province> {
    let key = search_key(written);
    let all = provinces();
    let found = all.iter().find(|p| {
        p.code == written.trim() || search_key(&p.name) == key || search_key(&p.full_name) == key
    });
    found.cloned().ok_or_else(|| {
        AppError::invalid(
            "province",
            format!(
                "Không có tỉnh, thành phố \"{}\" trong danh mục 34 tỉnh, thành phố từ 01/7/2025.",
                written.trim()
            ),
        )
    })
}

/// An old province (of the 63 until 30/6/2025) that became part of a province of 2025.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Predecessor {
    /// Its old official code.
    pub code: String,
    /// Its full name until 30/6/2025 ("Tỉnh Yên Bái").
    pub full_name: String,
    /// The National Assembly resolution that merged it, as cited in the data
    /// ("Nghị quyết 202/2025/QH15 ngày 12/6/2025").
    pub decision: String,
}

/// The old provinces `province` was formed from on 1/7/2025 (its own old self included);
/// empty for the 11 provinces the 2025 arrangement left as they were.
pub fn predecessors(province: &Province) -> Vec<Predecessor> {
    records(MERGERS)
        .filter(|r| r.len() >= 6 && r[0] == *province.code)
        .map(|r| Predecessor {
            code: r[2].to_string(),
            full_name: r[3].to_string(),
            decision: r[5].to_string(),
        })
        .collect()
}

/// The merger that formed `province` as rows of a register's mergers file: each old province
/// ends on 30/6/2025 and the new one begins on 1/7/2025, under the resolution's name.
pub fn merger_rows(province: &Province) -> Vec<MergerRow> {
    predecessors(province)
        .into_iter()
        .enumerate()
        .map(|(i, p)| MergerRow {
            line: i + 2,
            successor: province.full_name.clone(),
            predecessor: p.full_name,
            effective_from: IN_FORCE_FROM.into(),
            source: p.decision.clone(),
            decision: p.decision,
        })
        .collect()
}

/// The register rows of `province`: the province, its People's Council and Committee, the
/// standard specialised agencies of the template (those every province has; the ones only some
/// provinces organise are left for the administrator to add), and its communes, wards and
/// special zones.
pub fn register_rows(province: &Province) -> Vec<UnitRow> {
    let word = province.word();
    let short = &province.name;
    let committee = format!("Ủy ban nhân dân {word} {short}");
    // A province formed by the 2025 merger begins on 1/7/2025, the day its predecessors end.
    let from = if predecessors(province).is_empty() {
        ""
    } else {
        IN_FORCE_FROM
    };
    let mut rows = vec![
        row(
            &province.code,
            &province.full_name,
            "province",
            "tinh",
            "",
            from,
        ),
        row(
            "",
            &format!("Hội đồng nhân dân {word} {short}"),
            "province",
            "hdnd",
            &province.full_name,
            "",
        ),
        row("", &committee, "province", "ubnd", &province.full_name, ""),
    ];
    for r in records(DEPARTMENTS).filter(|r| r.len() >= 5 && &r[4] != "yes") {
        let name = if province.city { &r[1] } else { &r[0] };
        rows.push(row("", name, &r[2], &r[3], &committee, ""));
    }
    for c in communes()
        .into_iter()
        .filter(|c| c.province_code == province.code)
    {
        rows.push(row(
            &c.code,
            &c.name,
            "commune",
            &c.kind,
            &province.full_name,
            IN_FORCE_FROM,
        ));
    }
    for (i, r) in rows.iter_mut().enumerate() {
        // As if read from a file: the header is line 1.
        r.line = i + 2;
    }
    rows
}

fn row(code: &str, name: &str, level: &str, kind: &str, parent: &str, from: &str) -> UnitRow {
    UnitRow {
        line: 0,
        code: code.into(),
        name: name.into(),
        level: level.into(),
        kind: kind.into(),
        parent: parent.into(),
        effective_from: from.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_national_register_has_34_provinces_and_3321_communes() {
        assert_eq!(provinces().len(), 34);
        assert_eq!(communes().len(), 3321);
        assert_eq!(provinces().iter().filter(|p| p.city).count(), 6);
    }

    #[test]
    fn a_province_is_found_as_a_person_writes_it() {
        for written in ["Lào Cai", "lao cai", "Tỉnh Lào Cai", "15", " LÀO CAI "] {
            assert_eq!(find_province(written).unwrap().full_name, "Tỉnh Lào Cai");
        }
        assert_eq!(
            find_province("ha noi").unwrap().full_name,
            "Thành phố Hà Nội"
        );
        let e = find_province("Hà Tây").unwrap_err().to_string();
        assert!(e.contains("Hà Tây"), "{e}");
    }

    #[test]
    fn lao_cai_gets_its_99_communes_and_the_standard_departments() {
        let rows = register_rows(&find_province("Lào Cai").unwrap());
        assert_eq!(rows.iter().filter(|r| r.level == "commune").count(), 99);
        let departments: Vec<&str> = rows
            .iter()
            .filter(|r| r.level == "department")
            .map(|r| r.name.as_str())
            .collect();
        assert_eq!(departments.len(), 12, "{departments:?}");
        assert!(departments.contains(&"Sở Nội vụ"));
        assert!(departments.contains(&"Văn phòng Ủy ban nhân dân tỉnh"));
        assert!(rows
            .iter()
            .any(|r| r.name == "Ủy ban nhân dân tỉnh Lào Cai"));
    }

    #[test]
    fn the_2025_merger_forms_23_provinces_from_52_old_ones_under_resolution_202() {
        let merged: Vec<Province> = provinces()
            .into_iter()
            .filter(|p| !predecessors(p).is_empty())
            .collect();
        assert_eq!(merged.len(), 23);
        let old: usize = merged.iter().map(|p| predecessors(p).len()).sum();
        assert_eq!(old + (34 - 23), 63);
        let lao_cai = find_province("Lào Cai").unwrap();
        let names: Vec<String> = predecessors(&lao_cai)
            .into_iter()
            .map(|p| p.full_name)
            .collect();
        assert_eq!(names, ["Tỉnh Lào Cai", "Tỉnh Yên Bái"]);
        let rows = merger_rows(&lao_cai);
        assert!(rows
            .iter()
            .all(|r| r.decision == "Nghị quyết 202/2025/QH15 ngày 12/6/2025"
                && r.effective_from == "2025-07-01"));
        assert_eq!(register_rows(&lao_cai)[0].effective_from, "2025-07-01");
        // Nghệ An was not arranged: no merger, no start date.
        let nghe_an = find_province("Nghệ An").unwrap();
        assert!(merger_rows(&nghe_an).is_empty());
        assert_eq!(register_rows(&nghe_an)[0].effective_from, "");
    }

    #[test]
    fn a_city_names_its_agencies_as_a_city() {
        let rows = register_rows(&find_province("Hà Nội").unwrap());
        assert!(rows.iter().any(|r| r.name == "Thanh tra thành phố"));
        assert!(rows
            .iter()
            .any(|r| r.name == "Ủy ban nhân dân thành phố Hà Nội"));
        assert_eq!(rows[0].kind, "tinh");
    }
}
