use super::*;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn unit(id: Id, name: &str, kind: UnitKind, parent: Option<Id>, code: Option<&str>) -> Unit {
    Unit {
        id,
        code: code.map(str::to_string),
        name: name.into(),
        kind,
        level: kind.level(),
        parent_id: parent,
        valid_from: None,
        valid_to: None,
    }
}

fn register() -> Vec<Unit> {
    vec![
        unit(1, "Tỉnh Mẫu", UnitKind::Province, None, Some("99")),
        unit(
            2,
            "Ủy ban nhân dân tỉnh Mẫu",
            UnitKind::PeopleCommittee,
            Some(1),
            None,
        ),
        unit(3, "Sở Nội vụ", UnitKind::Department, Some(2), Some("SNV")),
        unit(4, "Sở Tài chính", UnitKind::Department, Some(2), None),
        unit(5, "Chi cục Văn thư", UnitKind::SubDepartment, Some(4), None),
        unit(6, "Sở Ngoại vụ", UnitKind::Department, Some(2), None),
    ]
}

fn row(line: usize, code: &str, name: &str, level: &str, kind: &str, parent: &str) -> UnitRow {
    UnitRow {
        line,
        code: code.into(),
        name: name.into(),
        level: level.into(),
        kind: kind.into(),
        parent: parent.into(),
        effective_from: String::new(),
    }
}

fn same_file() -> Vec<UnitRow> {
    vec![
        row(2, "99", "Tỉnh Mẫu", "province", "tinh", ""),
        row(
            3,
            "",
            "Ủy ban nhân dân tỉnh Mẫu",
            "province",
            "ubnd",
            "Tỉnh Mẫu",
        ),
        row(
            4,
            "SNV",
            "Sở Nội vụ",
            "department",
            "so",
            "Ủy ban nhân dân tỉnh Mẫu",
        ),
        row(
            5,
            "",
            "Sở Tài chính",
            "department",
            "so",
            "Ủy ban nhân dân tỉnh Mẫu",
        ),
        row(
            6,
            "",
            "Chi cục Văn thư",
            "department",
            "chi-cuc",
            "Sở Tài chính",
        ),
        row(
            7,
            "",
            "Sở Ngoại vụ",
            "department",
            "so",
            "Ủy ban nhân dân tỉnh Mẫu",
        ),
    ]
}

fn run(units: &[Unit], rows: Vec<UnitRow>, mergers: Vec<MergerRow>) -> Result<Diff, Vec<String>> {
    let cur = Current {
        province: &units[0],
        units,
        aliases: &[],
    };
    let file = UpdateFile {
        source: "units.csv".into(),
        units: rows,
        mergers_source: "mergers.csv".into(),
        mergers,
    };
    diff(cur, &file, d("2026-01-01"))
}

#[test]
fn the_register_as_it_is_has_no_differences() {
    let units = register();
    let diff = run(&units, same_file(), Vec::new()).unwrap();
    assert!(diff.changes.is_empty(), "{:?}", diff.changes);
}

#[test]
fn new_renamed_moved_and_closed_units_are_found() {
    let units = register();
    let mut rows = same_file();
    rows[2].name = "Sở Nội vụ và Dân tộc".into(); // code SNV: renamed
    rows[4].kind = "chi-cuc".into();
    rows[4].parent = "Sở Nội vụ và Dân tộc".into(); // moved
    rows.remove(5); // Sở Ngoại vụ no longer listed: closed
    rows.push(row(
        8,
        "",
        "Công an tỉnh",
        "province",
        "co-quan-trung-uong",
        "Tỉnh Mẫu",
    ));
    rows.push(row(
        9,
        "",
        "Phòng Hành chính",
        "province",
        "phong",
        "Công an tỉnh",
    ));
    let diff = run(&units, rows, Vec::new()).unwrap();
    let keys: Vec<&str> = diff.changes.iter().map(|c| c.key.as_str()).collect();
    assert_eq!(
        keys,
        [
            "add:cong an tinh",
            "add:phong hanh chinh",
            "move:5",
            "rename:3",
            "close:6"
        ]
    );
    assert_eq!(
        diff.changes[1].kind,
        ChangeKind::Add {
            name: "Phòng Hành chính".into(),
            code: None,
            kind: UnitKind::Division,
            parent: Target::Added("add:cong an tinh".into()),
        }
    );
    assert_eq!(
        diff.changes[2].kind,
        ChangeKind::Move {
            unit: 5,
            parent: Target::Unit(3)
        }
    );
}

#[test]
fn a_merger_of_the_file_ends_its_predecessors_instead_of_closing_them() {
    let units = register();
    let mut rows = same_file();
    rows.remove(5);
    let merger = MergerRow {
        line: 2,
        successor: "Sở Nội vụ".into(),
        predecessor: "Sở Ngoại vụ".into(),
        effective_from: "2026-03-01".into(),
        source: String::new(),
        decision: "12/NQ-HĐND".into(),
    };
    let diff = run(&units, rows, vec![merger]).unwrap();
    assert_eq!(diff.changes.len(), 1);
    assert_eq!(diff.changes[0].effective, d("2026-03-01"));
    assert_eq!(
        diff.changes[0].kind,
        ChangeKind::Merge {
            predecessors: vec![6],
            successor: Target::Unit(3),
            decision: Some("12/NQ-HĐND".into())
        }
    );
}

#[test]
fn bad_files_are_refused_naming_the_line() {
    let units = register();
    let mut rows = same_file();
    rows[4].parent = "Sở Không Có".into();
    let e = run(&units, rows, Vec::new()).unwrap_err();
    assert!(
        e[0].contains("dòng 6") && e[0].contains("Sở Không Có"),
        "{e:?}"
    );

    let mut rows = same_file();
    rows[3].parent = "Chi cục Văn thư".into(); // Sở Tài chính ↔ Chi cục Văn thư
    let e = run(&units, rows, Vec::new()).unwrap_err();
    assert!(e.iter().any(|m| m.contains("vòng lặp")), "{e:?}");

    let mut rows = same_file();
    rows[0].name = "Tỉnh Khác".into();
    rows[0].code = String::new();
    for r in rows.iter_mut().skip(1) {
        r.parent = r.parent.replace("Tỉnh Mẫu", "Tỉnh Khác");
    }
    let e = run(&units, rows, Vec::new()).unwrap_err();
    assert!(e[0].contains("không phải của Tỉnh Mẫu"), "{e:?}");

    let mut rows = same_file();
    rows[2].kind = "khong-biet".into();
    rows[2].level = "province".into();
    let e = run(&units, rows, Vec::new()).unwrap_err();
    assert!(e[0].contains("loại \"khong-biet\""), "{e:?}");
}

#[test]
fn the_chosen_changes_must_hold_together() {
    let units = register();
    let mut rows = same_file();
    rows.remove(4); // Chi cục Văn thư closed…
    rows.remove(3); // …and Sở Tài chính too
    rows.push(row(
        8,
        "",
        "Công an tỉnh",
        "province",
        "co-quan-trung-uong",
        "Tỉnh Mẫu",
    ));
    rows.push(row(
        9,
        "",
        "Phòng Hành chính",
        "province",
        "phong",
        "Công an tỉnh",
    ));
    let diff = run(&units, rows, Vec::new()).unwrap();
    let cur = Current {
        province: &units[0],
        units: &units,
        aliases: &[],
    };
    let keys = |k: &[&str]| k.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let e = select(cur, &diff, &keys(&["add:phong hanh chinh"])).unwrap_err();
    assert!(e.contains("Công an tỉnh"), "{e}");
    let e = select(cur, &diff, &keys(&["close:4"])).unwrap_err();
    assert!(e.contains("Chi cục Văn thư"), "{e}");
    assert_eq!(
        select(cur, &diff, &keys(&["close:4", "close:5"]))
            .unwrap()
            .len(),
        2
    );
    assert!(select(cur, &diff, &keys(&["close:99"])).is_err());
    assert!(select(cur, &diff, &[]).is_err());
}

#[test]
fn a_partial_choice_that_makes_a_cycle_is_refused() {
    let units = register();
    let mut rows = same_file();
    // Sở Tài chính under its own chi cục's place: chi cục goes up, the department under it.
    rows[4].parent = "Ủy ban nhân dân tỉnh Mẫu".into();
    rows[3].parent = "Chi cục Văn thư".into();
    let diff = run(&units, rows, Vec::new()).unwrap();
    let cur = Current {
        province: &units[0],
        units: &units,
        aliases: &[],
    };
    let e = select(cur, &diff, &["move:4".to_string()]).unwrap_err();
    assert!(e.contains("vòng lặp"), "{e}");
    assert_eq!(
        select(cur, &diff, &["move:4".to_string(), "move:5".to_string()])
            .unwrap()
            .len(),
        2
    );
}
