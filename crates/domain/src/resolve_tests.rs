//! Agency resolution against the real Nghệ An register, with every agency named in the four
//! seed plans (copied from testdata/seeds).

use std::fmt::Write;

use chrono::NaiveDate;

use super::*;
use crate::import::Register;
use crate::testdata::{d, id_of, mention, nghe_an};

fn setup() -> (Register, Resolver, Id) {
    let reg = nghe_an();
    let r = Resolver::new(&reg.units, &reg.aliases).with_events(&reg.events);
    let province = id_of(&reg, "Tỉnh Nghệ An");
    (reg, r, province)
}

fn name(reg: &Register, id: Id) -> String {
    reg.units
        .iter()
        .find(|u| u.id == id)
        .map_or("?".into(), |u| u.name.clone())
}

fn describe(reg: &Register, res: &Resolution) -> String {
    match res {
        Resolution::Unit { id } => format!("→ {}", name(reg, *id)),
        Resolution::Group { kind, members } => {
            let first: Vec<String> = members.iter().take(2).map(|m| name(reg, *m)).collect();
            format!(
                "→ nhóm {kind:?}: {} đơn vị ({}…)",
                members.len(),
                first.join(", ")
            )
        }
        Resolution::Unresolved {
            reason,
            suggestions,
        } => {
            let s: Vec<String> = suggestions.iter().map(|m| name(reg, *m)).collect();
            format!("✗ {reason}; gợi ý: [{}]", s.join(", "))
        }
    }
}

/// Seed 000: Kế hoạch 615/KH-UBND of 25/7/2025 (Nghệ An), lead and coordinating agencies,
/// section III headings and recipients.
const SEED_000: &[&str] = &[
    "Sở Nội vụ.",
    "Các Sở, ngành",
    "các Chi cục và tương đương thuộc Sở.",
    "Ban Tổ chức Tỉnh ủy",
    "các cơ quan, đơn vị, địa phương.",
    "Sở Tư pháp.",
    "Các địa phương, cơ quan, đơn vị.",
    "Sở Giáo dục và Đào tạo.",
    "các địa phương, cơ quan, đơn vị liên quan.",
    "Sở Y tế.",
    "Các địa phương, cơ quan, đơn vị có liên quan.",
    "Các đơn vị sự nghiệp công lập thuộc UBND tỉnh",
    "Sở Tài chính",
    "UBND cấp xã.",
    "Các cơ quan, đơn vị.",
    "Sở Văn hóa, Thể thao và Du lịch",
    "Giám đốc các sở, ban, ngành",
    "Chủ tịch UBND các xã, phường",
    "UBND tỉnh",
    "Ban Chấp hành Đảng bộ tỉnh",
    "Ban Thường vụ Tỉnh ủy",
    "Bộ Nội vụ",
    "TT. Tỉnh ủy",
    "TT. HĐND tỉnh",
    "Đảng ủy UBND tỉnh",
    "Các Sở, ban, ngành cấp tỉnh",
    "UBND các xã, phường",
];

/// Seed 001: a Kế hoạch implementing 191-KH/TU (no issuer or date; districts still exist).
const SEED_001: &[&str] = &[
    "Các sở, ban ngành",
    "Ủy ban nhân dân các huyện, thành phố",
    "Sở Tư pháp",
    "Thanh tra tỉnh",
    "Sở Nội vụ",
    "Ban Quản lý Khu kinh tế tỉnh",
    "Sở Khoa học và Công nghệ",
    "Văn phòng Ủy ban nhân dân tỉnh",
    "Đảng ủy Ủy ban nhân dân tỉnh",
    "Thường trực Tỉnh ủy",
    "Thường trực HĐND tỉnh",
    "Ủy ban nhân dân tỉnh",
    "VP UBND tỉnh",
];

/// Seed 003: a Kế hoạch of UBND huyện Hương Khê (Hà Tĩnh), outside the Nghệ An register.
const SEED_003: &[&str] = &[
    "Các đơn vị sự nghiệp công lập",
    "các phòng chuyên môn",
    "UBND các xã, thị trấn",
    "Phòng Tài chính - Kế hoạch",
    "Phòng Văn hóa - Thông tin",
    "Phòng Giáo dục và Đào tạo",
    "Phòng Nội vụ",
    "UBND huyện",
    "Ban Tổ chức Huyện ủy",
];

/// Seed 004: Chương trình hành động 17-Ctr/TU of 26/2/2026 (Nghệ An), a news summary.
const SEED_004: &[&str] = &[
    "Ban Thường vụ Tỉnh ủy",
    "các sở, ban, ngành",
    "các đơn vị sự nghiệp công lập, doanh nghiệp nhà nước trực thuộc UBND tỉnh",
    "cơ quan Mặt trận Tổ quốc",
    "Báo và phát thanh, truyền hình Nghệ An",
];

#[test]
fn seed_agencies_against_the_nghe_an_register() {
    let (reg, r, province) = setup();
    let mut out = String::new();
    // 000 and 004 are Nghệ An plans. 001 names no issuer: it is resolved as if the reviewer
    // had set Nghệ An, before 1/7/2025 (districts still exist). 003 is a district plan of
    // Hà Tĩnh, outside the register: no scope, so nothing may resolve.
    for (seed, date, scope, mentions) in [
        ("000", d(2025, 7, 25), Some(province), SEED_000),
        ("001", d(2025, 3, 10), Some(province), SEED_001),
        ("003", d(2024, 1, 15), None, SEED_003),
        ("004", d(2026, 2, 26), Some(province), SEED_004),
    ] {
        writeln!(out, "## seed {seed}, {date}").unwrap();
        for m in mentions {
            let res = r.resolve(&mention(m), scope, date);
            writeln!(out, "{m} {}", describe(&reg, &res)).unwrap();
        }
    }
    insta::assert_snapshot!(out);
}

fn unit_named(r: &Resolver, reg: &Register, text: &str, province: Id, date: NaiveDate) -> String {
    match r.resolve(&mention(text), Some(province), date) {
        Resolution::Unit { id } => name(reg, id),
        other => panic!("{text}: {other:?}"),
    }
}

#[test]
fn abbreviations_diacritics_and_case() {
    let (reg, r, p) = setup();
    let day = d(2025, 8, 1);
    for text in [
        "Sở Giáo dục và Đào tạo",
        "Sở GD&ĐT",
        "Sở GD và ĐT",
        "Sở Giáo dục & Đào tạo",
        "so giao duc va dao tao",
        "SỞ GIÁO DỤC VÀ ĐÀO TẠO TỈNH NGHỆ AN",
        "Sở Giáo dục và Đào tạo tỉnh;",
    ] {
        assert_eq!(
            unit_named(&r, &reg, text, p, day),
            "Sở Giáo dục và Đào tạo",
            "{text}"
        );
    }
    assert_eq!(
        unit_named(&r, &reg, "BTC Tỉnh ủy", p, day),
        "Ban Tổ chức Tỉnh ủy"
    );
    assert_eq!(
        unit_named(&r, &reg, "Sở VHTTDL", p, day),
        "Sở Văn hóa, Thể thao và Du lịch"
    );
    assert_eq!(
        unit_named(&r, &reg, "Sở Văn hóa Thể thao và Du lịch", p, day),
        "Sở Văn hóa, Thể thao và Du lịch"
    );
    assert_eq!(
        unit_named(&r, &reg, "UBND tỉnh Nghệ An", p, day),
        "Ủy ban nhân dân tỉnh Nghệ An"
    );
    assert_eq!(
        unit_named(&r, &reg, "HĐND tỉnh", p, day),
        "Hội đồng nhân dân tỉnh Nghệ An"
    );
    assert_eq!(
        unit_named(&r, &reg, "Uỷ ban MTTQ Việt Nam tỉnh", p, day),
        "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Nghệ An"
    );
    assert_eq!(
        unit_named(&r, &reg, "UBND xã Anh Sơn", p, day),
        "Xã Anh Sơn"
    );
    assert_eq!(
        unit_named(&r, &reg, "phường Vinh 1", p, day),
        "Phường Trường Vinh"
    );
}

#[test]
fn names_follow_the_register_history() {
    let (reg, r, p) = setup();
    // Before 1/3/2025 "Sở Nội vụ" is the old one, after it the consolidated one.
    let old = r.resolve(&mention("Sở Nội vụ"), Some(p), d(2025, 2, 1));
    let new = r.resolve(&mention("Sở Nội vụ"), Some(p), d(2025, 3, 1));
    assert_ne!(old, new);
    // A department that ceased is not resolved silently: its successor is suggested.
    let gone = r.resolve(&mention("Sở Kế hoạch và Đầu tư"), Some(p), d(2025, 8, 1));
    let Resolution::Unresolved {
        suggestions,
        reason,
    } = gone
    else {
        panic!("{gone:?}")
    };
    assert_eq!(
        suggestions
            .iter()
            .map(|s| name(&reg, *s))
            .collect::<Vec<_>>(),
        ["Sở Tài chính"]
    );
    assert!(
        reason.contains("không có trong danh mục vào ngày 01/08/2025"),
        "{reason}"
    );
    let before = r.resolve(&mention("Sở KH&ĐT"), Some(p), d(2025, 2, 1));
    assert!(matches!(before, Resolution::Unit { .. }), "{before:?}");
}

#[test]
fn groups_expand_to_members_valid_on_the_date() {
    let (reg, r, p) = setup();
    let count = |text: &str, date| match r.resolve(&mention(text), Some(p), date) {
        Resolution::Group { members, .. } => members.len(),
        other => panic!("{text}: {other:?}"),
    };
    assert_eq!(count("UBND cấp xã", d(2025, 7, 1)), 130);
    assert_eq!(count("UBND các xã, phường", d(2025, 6, 30)), 403);
    assert_eq!(
        count("Ủy ban nhân dân các huyện, thành phố", d(2025, 6, 30)),
        20
    );
    assert_eq!(
        count("Ủy ban nhân dân các huyện, thành phố", d(2025, 7, 1)),
        0
    );
    assert_eq!(count("Các sở, ban, ngành", d(2025, 7, 25)), 14);
    // Before 1/3/2025: the old departments, not the consolidated ones.
    let before = count("Các sở, ban, ngành", d(2025, 2, 1));
    assert!(before > 14, "{before}");
    let unspecified = r.resolve(
        &mention("các cơ quan, đơn vị liên quan"),
        Some(p),
        d(2025, 7, 25),
    );
    assert_eq!(
        unspecified,
        Resolution::Group {
            kind: GroupKind::Unspecified,
            members: vec![]
        }
    );
    assert!(unspecified.note_vi().unwrap().contains("không xác định"));
    let _ = reg;
}

#[test]
fn without_a_scope_matches_are_only_suggestions() {
    let (reg, r, _) = setup();
    let res = r.resolve(&mention("Sở Tư pháp"), None, d(2025, 3, 10));
    let Resolution::Unresolved { suggestions, .. } = res else {
        panic!("{res:?}")
    };
    assert_eq!(
        suggestions
            .iter()
            .map(|s| name(&reg, *s))
            .collect::<Vec<_>>(),
        ["Sở Tư pháp"]
    );
    let group = r.resolve(&mention("Các sở, ban ngành"), None, d(2025, 3, 10));
    assert!(matches!(group, Resolution::Unresolved { .. }), "{group:?}");
}

#[test]
fn fuzzy_matches_are_suggestions_not_results() {
    let (reg, r, p) = setup();
    let res = r.resolve(
        &mention("Sở Nông nghiệp Môi trường"),
        Some(p),
        d(2025, 8, 1),
    );
    let Resolution::Unresolved { suggestions, .. } = res else {
        panic!("{res:?}")
    };
    assert_eq!(name(&reg, suggestions[0]), "Sở Nông nghiệp và Môi trường");
}

#[test]
fn keys_and_splitting() {
    assert_eq!(key("Sở GD&ĐT"), key("Sở Giáo dục và Đào tạo"));
    assert_eq!(key("Các Sở, ngành"), "so nganh");
    assert_eq!(key("Ủy ban nhân dân tỉnh Nghệ An"), "uy ban nhan dan");
    assert_eq!(key("Tỉnh Nghệ An"), "tinh nghe an");
    assert_eq!(
        split_mentions("- Sở Nội vụ;\n- UBND cấp xã."),
        ["Sở Nội vụ", "UBND cấp xã"]
    );
    assert_eq!(detect_group("Sở Nội vụ"), None);
    assert_eq!(detect_group("Đảng ủy Các cơ quan Đảng tỉnh"), None);
    assert_eq!(detect_group("UBND cấp xã"), Some(GroupKind::Communes));
    assert_eq!(
        detect_group("các Chi cục và tương đương thuộc Sở"),
        Some(GroupKind::SubDepartments)
    );
}

#[test]
fn a_unit_outside_the_scope_is_not_taken() {
    let (reg, r, _) = setup();
    let commune = id_of(&reg, "Xã Anh Sơn");
    let res = r.resolve(&mention("Sở Tư pháp"), Some(commune), d(2025, 8, 1));
    let Resolution::Unresolved {
        reason,
        suggestions,
    } = res
    else {
        panic!("{res:?}")
    };
    assert!(reason.contains("không thuộc phạm vi"), "{reason}");
    assert!(suggestions.is_empty());
}
