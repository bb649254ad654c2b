//! Golden snapshots of the whole plan draft for the four seed texts (reviewed by hand
//! against the texts: see the `.snap` files under `tests/snapshots/`).

mod common;

use common::{extract_file, seed_txt};

#[test]
fn seed000() {
    let d = extract_file(&seed_txt("000"));
    // 16 appendix rows plus the duties of part III.
    assert_eq!(
        d.tasks
            .iter()
            .filter(|t| t.source.layout == "appendix_table")
            .count(),
        16
    );
    insta::assert_json_snapshot!("seed000", d);
}

#[test]
fn seed001() {
    let d = extract_file(&seed_txt("001"));
    assert_eq!(
        d.tasks
            .iter()
            .filter(|t| t.source.layout == "implementing_units_block")
            .count(),
        7
    );
    insta::assert_json_snapshot!("seed001", d);
}

#[test]
fn seed003() {
    let d = extract_file(&seed_txt("003"));
    insta::assert_json_snapshot!("seed003", d);
}

#[test]
fn seed004() {
    let d = extract_file(&seed_txt("004"));
    assert_eq!(d.tasks.len(), 4, "four task groups");
    assert!(
        d.tasks.iter().all(|t| t.lead.is_empty()),
        "no invented agency"
    );
    insta::assert_json_snapshot!("seed004", d);
}
