//! The national register in `data/vn-2025/`: the counts of the units in force from 1/7/2025, the
//! 2025 merger of 63 provinces into 34, and the department template, checked from the CSV files
//! themselves.

use std::collections::{BTreeMap, BTreeSet};

const PROVINCES: &str = include_str!("../../../data/vn-2025/provinces.csv");
const COMMUNES: &str = include_str!("../../../data/vn-2025/communes.csv");
const MERGERS: &str = include_str!("../../../data/vn-2025/province_mergers.csv");
const DEPARTMENTS: &str = include_str!("../../../data/vn-2025/department_template.csv");

/// Reads a CSV file into its header and rows (each row as column → value).
fn read(name: &str, text: &str) -> Vec<BTreeMap<String, String>> {
    assert_eq!(
        tinhgon_textkit::nfc(text),
        text,
        "{name} is not in Unicode NFC"
    );
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .unwrap_or_else(|e| panic!("{name}: {e}"))
        .iter()
        .map(str::to_owned)
        .collect();
    reader
        .records()
        .map(|r| {
            let r = r.unwrap_or_else(|e| panic!("{name}: {e}"));
            header
                .iter()
                .cloned()
                .zip(r.iter().map(str::to_owned))
                .collect()
        })
        .collect()
}

fn col<'a>(row: &'a BTreeMap<String, String>, c: &str) -> &'a str {
    row.get(c).unwrap_or_else(|| panic!("no column {c}"))
}

#[test]
fn thirty_four_provinces_with_unique_codes() {
    let provinces = read("provinces.csv", PROVINCES);
    assert_eq!(provinces.len(), 34);
    let codes: BTreeSet<&str> = provinces.iter().map(|p| col(p, "code")).collect();
    assert_eq!(codes.len(), 34, "province codes are unique");
    assert!(codes
        .iter()
        .all(|c| c.len() == 2 && c.bytes().all(|b| b.is_ascii_digit())));
    let cities = provinces
        .iter()
        .filter(|p| col(p, "kind") == "thanh-pho")
        .count();
    let tinh = provinces
        .iter()
        .filter(|p| col(p, "kind") == "tinh")
        .count();
    assert_eq!((tinh, cities), (28, 6));
    for p in &provinces {
        let prefix = if col(p, "kind") == "tinh" {
            "Tỉnh "
        } else {
            "Thành phố "
        };
        assert_eq!(format!("{prefix}{}", col(p, "name")), col(p, "full_name"));
    }
}

#[test]
fn three_thousand_three_hundred_twenty_one_communes() {
    let provinces = read("provinces.csv", PROVINCES);
    let communes = read("communes.csv", COMMUNES);
    assert_eq!(communes.len(), 3321);

    let codes: BTreeSet<&str> = communes.iter().map(|c| col(c, "code")).collect();
    assert_eq!(codes.len(), communes.len(), "commune codes are unique");
    assert!(codes
        .iter()
        .all(|c| c.len() == 5 && c.bytes().all(|b| b.is_ascii_digit())));

    let province_codes: BTreeSet<&str> = provinces.iter().map(|p| col(p, "code")).collect();
    let mut per_province: BTreeMap<&str, usize> = BTreeMap::new();
    for c in &communes {
        let p = col(c, "province_code");
        assert!(
            province_codes.contains(p),
            "{} {} names unknown province {p}",
            col(c, "code"),
            col(c, "name")
        );
        *per_province.entry(p).or_default() += 1;
    }
    assert_eq!(per_province.len(), 34, "every province has communes");
    assert_eq!(per_province["15"], 99, "Lào Cai has 99 communes and wards");
    assert_eq!(
        per_province["40"], 130,
        "Nghệ An has 130 communes and wards"
    );

    let mut kinds: BTreeMap<&str, usize> = BTreeMap::new();
    for c in &communes {
        let (kind, name) = (col(c, "kind"), col(c, "name"));
        let prefix = match kind {
            "commune" => "Xã ",
            "ward" => "Phường ",
            "special_zone" => "Đặc khu ",
            other => panic!("unknown kind {other}"),
        };
        assert!(name.starts_with(prefix), "{name} is not a {kind}");
        assert_eq!(name.split_whitespace().collect::<Vec<_>>().join(" "), name);
        *kinds.entry(kind).or_default() += 1;
    }
    assert_eq!(kinds["commune"], 2621);
    assert_eq!(kinds["ward"], 687);
    assert_eq!(kinds["special_zone"], 13);
}

#[test]
fn sixty_three_provinces_merged_into_thirty_four() {
    let provinces = read("provinces.csv", PROVINCES);
    let mergers = read("province_mergers.csv", MERGERS);
    let new: BTreeMap<&str, &str> = provinces
        .iter()
        .map(|p| (col(p, "code"), col(p, "full_name")))
        .collect();

    let mut predecessors: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    let mut old = BTreeSet::new();
    for m in &mergers {
        let successor = col(m, "successor_code");
        assert_eq!(new.get(successor), Some(&col(m, "successor")));
        assert_eq!(col(m, "effective_from"), "2025-07-01");
        assert!(col(m, "source").contains("202/2025/QH15"));
        assert!(
            old.insert(col(m, "predecessor_code")),
            "{} is the predecessor of more than one province",
            col(m, "predecessor")
        );
        predecessors
            .entry(successor)
            .or_default()
            .insert(col(m, "predecessor_code"));
    }
    assert_eq!(predecessors.len(), 23, "23 provinces formed by merger");
    assert!(predecessors.values().all(|p| (2..=3).contains(&p.len())));
    let unchanged = new.len() - predecessors.len();
    assert_eq!(unchanged, 11);
    assert_eq!(old.len() + unchanged, 63, "63 provinces before 1/7/2025");
    for (code, preds) in &predecessors {
        assert!(
            preds.contains(code),
            "{} keeps the code of one of its predecessors",
            new[code]
        );
    }
}

#[test]
fn department_template_lists_the_standard_agencies() {
    let departments = read("department_template.csv", DEPARTMENTS);
    let names: BTreeSet<&str> = departments.iter().map(|d| col(d, "name")).collect();
    assert_eq!(names.len(), departments.len(), "names are unique");
    let always: Vec<&str> = departments
        .iter()
        .filter(|d| col(d, "conditional") == "no")
        .map(|d| col(d, "name"))
        .collect();
    let conditional: BTreeSet<&str> = departments
        .iter()
        .filter(|d| col(d, "conditional") == "yes")
        .map(|d| col(d, "name"))
        .collect();
    assert_eq!(always.len(), 12);
    assert_eq!(
        conditional,
        BTreeSet::from(["Sở Dân tộc và Tôn giáo", "Sở Ngoại vụ"])
    );
    for d in &departments {
        assert_eq!(col(d, "level"), "department");
        assert!(["so", "thanh-tra", "van-phong"].contains(&col(d, "kind")));
        assert!(col(d, "legal_basis").contains("150/2025/NĐ-CP"));
    }
    for name in [
        "Sở Nội vụ",
        "Sở Tài chính",
        "Sở Nông nghiệp và Môi trường",
        "Sở Văn hóa, Thể thao và Du lịch",
        "Thanh tra tỉnh",
        "Văn phòng Ủy ban nhân dân tỉnh",
    ] {
        assert!(always.contains(&name), "{name} is in every province");
    }
}
