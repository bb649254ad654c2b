//! Register import: the real Nghệ An files and every kind of bad input.

use chrono::NaiveDate;

use super::*;
use crate::register::{predecessors, successors, units_as_of};
use crate::testdata::{alias_rows, merger_rows, nghe_an, unit_rows};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn id_of(reg: &Register, name: &str, date: NaiveDate) -> Id {
    let found: Vec<&Unit> = reg
        .units
        .iter()
        .filter(|u| u.name == name && u.is_valid_on(date))
        .collect();
    assert_eq!(found.len(), 1, "{name} on {date}: {found:?}");
    found[0].id
}

fn count_kind(reg: &Register, date: NaiveDate, kinds: &[UnitKind]) -> usize {
    units_as_of(&reg.units, date)
        .iter()
        .filter(|u| kinds.contains(&u.kind))
        .count()
}

#[test]
fn nghe_an_register_across_the_reform() {
    let reg = nghe_an();
    let communes = [UnitKind::Commune, UnitKind::Ward, UnitKind::SpecialZone];
    // 130 communes and wards from 1/7/2025 (119 xã + 11 phường, SOURCES.md).
    assert_eq!(count_kind(&reg, d(2025, 7, 1), &communes), 130);
    assert_eq!(count_kind(&reg, d(2025, 7, 1), &[UnitKind::Ward]), 11);
    assert_eq!(count_kind(&reg, d(2025, 7, 1), &[UnitKind::District]), 0);
    // On 30/6/2025 the 403 old communes named as predecessors exist, under 20 old districts
    // (the 9 communes left unchanged by the reform are listed only from 1/7/2025).
    assert_eq!(count_kind(&reg, d(2025, 6, 30), &communes), 403);
    assert_eq!(count_kind(&reg, d(2025, 6, 30), &[UnitKind::District]), 20);
    // Departments: 14 specialised agencies after 1/3/2025.
    assert_eq!(count_kind(&reg, d(2025, 3, 1), &[UnitKind::Department]), 14);
    let before = units_as_of(&reg.units, d(2025, 2, 28));
    assert!(before.iter().any(|u| u.name == "Sở Kế hoạch và Đầu tư"));
    assert!(
        before.iter().any(|u| u.name == "Sở Nội vụ"),
        "the old Sở Nội vụ"
    );
    // Ban Bảo vệ, chăm sóc sức khỏe cán bộ tỉnh has no date anywhere in the files: its two
    // partial transfers are skipped with a warning rather than dated by guess.
    let warned: Vec<usize> = reg.warnings.iter().map(|w| w.line).collect();
    assert_eq!(warned, [21, 22], "{:?}", reg.warnings);
}

#[test]
fn nghe_an_lineage() {
    let reg = nghe_an();
    let kh_dt = id_of(&reg, "Sở Kế hoạch và Đầu tư", d(2025, 2, 28));
    let tai_chinh = id_of(&reg, "Sở Tài chính", d(2025, 3, 1));
    assert_eq!(
        successors(kh_dt, d(2025, 3, 1), &reg.events),
        vec![tai_chinh]
    );
    assert_eq!(successors(kh_dt, d(2025, 2, 28), &reg.events), vec![kh_dt]);
    let old_noi_vu = id_of(&reg, "Sở Nội vụ", d(2025, 2, 28));
    let noi_vu = id_of(&reg, "Sở Nội vụ", d(2025, 3, 1));
    assert_ne!(old_noi_vu, noi_vu);
    assert_eq!(
        successors(old_noi_vu, d(2025, 3, 1), &reg.events),
        vec![noi_vu]
    );
    let ld = id_of(&reg, "Sở Lao động, Thương binh và Xã hội", d(2025, 2, 28));
    let mut preds = predecessors(noi_vu, d(2025, 3, 1), &reg.events);
    preds.sort();
    assert_eq!(preds, {
        let mut v = vec![old_noi_vu, ld];
        v.sort();
        v
    });
    // The undated partial transfers hang on the day Sở LĐ-TB&XH ended, and do not end
    // anything themselves.
    let gd = id_of(&reg, "Sở Giáo dục và Đào tạo", d(2025, 3, 1));
    let transfers: Vec<_> = reg
        .events
        .iter()
        .filter(|e| e.kind == EventKind::Transfer)
        .collect();
    assert!(transfers
        .iter()
        .any(|e| e.predecessors == [ld] && e.successors == [gd]));
    assert_eq!(successors(gd, d(2026, 1, 1), &reg.events), vec![gd]);
    // Communes: Xã Anh Sơn from Thị trấn Kim Nhan, Đức Sơn and Phúc Sơn.
    let anh_son = id_of(&reg, "Xã Anh Sơn", d(2025, 7, 1));
    let kim_nhan = id_of(&reg, "Thị trấn Kim Nhan (huyện Anh Sơn)", d(2025, 6, 30));
    assert_eq!(
        successors(kim_nhan, d(2025, 7, 1), &reg.events),
        vec![anh_son]
    );
    assert_eq!(predecessors(anh_son, d(2025, 7, 1), &reg.events).len(), 3);
    let district = reg
        .units
        .iter()
        .find(|u| u.id == kim_nhan)
        .unwrap()
        .parent_id
        .unwrap();
    let district = reg.units.iter().find(|u| u.id == district).unwrap();
    assert_eq!(
        (district.name.as_str(), district.kind),
        ("Huyện Anh Sơn", UnitKind::District)
    );
}

fn units(rows: &[(&str, &str, &str, &str, &str, &str)]) -> Vec<UnitRow> {
    rows.iter()
        .enumerate()
        .map(|(i, r)| UnitRow {
            line: i + 2,
            code: r.0.into(),
            name: r.1.into(),
            level: r.2.into(),
            kind: r.3.into(),
            parent: r.4.into(),
            effective_from: r.5.into(),
        })
        .collect()
}

fn messages(errs: &[RegisterError]) -> Vec<String> {
    errs.iter().map(ToString::to_string).collect()
}

#[test]
fn missing_parent_is_named_with_its_line() {
    let u = units(&[
        ("40", "Tỉnh A", "province", "tinh", "", ""),
        ("", "Sở B", "department", "so", "Ủy ban nhân dân tỉnh A", ""),
    ]);
    let e = build_register(&u, &[], &[]).unwrap_err();
    assert_eq!(
        messages(&e),
        ["units.csv, dòng 3: không tìm thấy đơn vị cha \"Ủy ban nhân dân tỉnh A\" của \"Sở B\""]
    );
}

#[test]
fn cycle_is_reported_once() {
    let u = units(&[
        ("", "A", "province", "tinh", "C", ""),
        ("", "B", "province", "ubnd", "A", ""),
        ("", "C", "province", "ubnd", "B", ""),
        ("", "D", "province", "ubnd", "C", ""),
    ]);
    let e = build_register(&u, &[], &[]).unwrap_err();
    assert_eq!(
        messages(&e),
        ["units.csv, dòng 2: vòng lặp đơn vị cha: A → C → B → A"]
    );
}

#[test]
fn duplicate_codes_and_names() {
    let u = units(&[
        ("40", "Tỉnh A", "province", "tinh", "", ""),
        ("17001", "Xã B", "commune", "xa", "Tỉnh A", "2025-07-01"),
        ("17001", "Xã C", "commune", "xa", "Tỉnh A", "2025-07-01"),
        ("", "Xã B", "commune", "xa", "Tỉnh A", "2025-07-01"),
        ("", "Xã D", "commune", "thon", "Tỉnh A", "1/7"),
    ]);
    let e = build_register(&u, &[], &[]).unwrap_err();
    assert_eq!(
        messages(&e),
        [
            "units.csv, dòng 4: mã \"17001\" của \"Xã C\" trùng với dòng 3",
            "units.csv, dòng 5: tên đơn vị \"Xã B\" trùng với dòng 3",
            "units.csv, dòng 6: loại \"thon\" không được hỗ trợ",
            "units.csv, dòng 6: ngày \"1/7\" không hợp lệ (cần dạng 2025-07-01 hoặc 01/07/2025)",
        ]
    );
}

#[test]
fn predecessor_not_existing_at_the_event_date() {
    let u = units(&[
        ("40", "Tỉnh A", "province", "tinh", "", ""),
        ("", "Xã Mới", "commune", "xa", "Tỉnh A", "2025-07-01"),
        ("", "Xã Sau", "commune", "xa", "Tỉnh A", "2025-08-01"),
    ]);
    let m = vec![
        MergerRow {
            line: 2,
            successor: "Xã Mới".into(),
            predecessor: "Xã Cũ (huyện X)".into(),
            effective_from: "2025-07-01".into(),
            source: String::new(),
            decision: String::new(),
        },
        MergerRow {
            line: 3,
            successor: "Xã Mới".into(),
            predecessor: "Xã Sau".into(),
            effective_from: "2025-07-01".into(),
            source: String::new(),
            decision: String::new(),
        },
        MergerRow {
            line: 4,
            successor: "Xã Không Có".into(),
            predecessor: "Xã Cũ (huyện X)".into(),
            effective_from: "2025-07-01".into(),
            source: String::new(),
            decision: String::new(),
        },
    ];
    let a = vec![AliasRow {
        line: 2,
        alias: "XM".into(),
        canonical_name: "Xã Mơi".into(),
    }];
    let e = build_register(&u, &m, &a).unwrap_err();
    assert_eq!(
        messages(&e),
        [
            "aliases.csv, dòng 2: tên chính thức \"Xã Mơi\" không có trong danh sách đơn vị",
            "mergers.csv, dòng 3: đơn vị trước sắp xếp \"Xã Sau\" không tồn tại vào ngày 30/06/2025",
            "mergers.csv, dòng 4: đơn vị sau sắp xếp \"Xã Không Có\" không có trong units.csv",
        ]
    );
    assert!(validate_register(&u, &m[..1], &[]).is_ok());
}

#[test]
fn the_real_files_parse_line_numbers_from_the_header() {
    let rows = unit_rows(crate::testdata::UNITS_CSV);
    assert_eq!(rows[0].line, 2);
    assert_eq!(rows[0].name, "Tỉnh Nghệ An");
    let m = merger_rows(crate::testdata::MERGERS_CSV);
    assert_eq!(m[1].predecessor, "Sở Lao động, Thương binh và Xã hội");
    assert_eq!(alias_rows(crate::testdata::ALIASES_CSV).len(), 34);
}

#[test]
fn missing_header_column_is_reported_on_line_1() {
    let e = register_from_csv(
        "code,name,level\n40,Tỉnh A,province\n",
        "successor,predecessor,effective_from\n",
        "alias,canonical_name\n",
    )
    .unwrap_err();
    assert_eq!(
        messages(&e),
        ["units.csv, dòng 1: thiếu cột \"kind\" trong dòng tiêu đề"]
    );
}

#[test]
fn a_refounded_unit_with_a_decision_column_keeps_the_decision_and_ends_its_homonym() {
    let u = units(&[("15", "Tỉnh A", "province", "tinh", "", "2025-07-01")]);
    let m = merger_rows_from_csv(
        "successor,predecessor,effective_from,decision\n\
         Tỉnh A,Tỉnh A,2025-07-01,Nghị quyết 202/2025/QH15 ngày 12/6/2025\n\
         Tỉnh A,Tỉnh B,2025-07-01,Nghị quyết 202/2025/QH15 ngày 12/6/2025\n",
    )
    .unwrap();
    let reg = build_register(&u, &m, &[]).unwrap();
    assert_eq!(reg.events.len(), 1);
    let e = &reg.events[0];
    assert_eq!(e.kind, EventKind::Consolidate);
    assert_eq!(
        e.decision.as_deref(),
        Some("Nghị quyết 202/2025/QH15 ngày 12/6/2025")
    );
    assert_eq!(e.predecessors.len(), 2);
    let old_a = id_of(&reg, "Tỉnh A", d(2025, 6, 30));
    assert_ne!(old_a, id_of(&reg, "Tỉnh A", d(2025, 7, 1)));
    assert!(e.predecessors.contains(&old_a));
    assert!(!reg
        .units
        .iter()
        .any(|x| x.name == "Tỉnh B" && x.is_valid_on(d(2025, 7, 1))));
    // Without the column the event has no decision, as before.
    let m =
        merger_rows_from_csv("successor,predecessor,effective_from\nTỉnh A,Tỉnh B,2025-07-01\n")
            .unwrap();
    assert_eq!(
        build_register(&u, &m, &[]).unwrap().events[0].decision,
        None
    );
}
