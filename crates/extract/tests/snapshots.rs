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

/// An amending plan (742/KH-UBND sửa đổi, bổ sung 615/KH-UBND): the plan it amends and its
/// four clauses — a deadline, a lead, a task added, a task withdrawn.
#[test]
fn amendment_742() {
    let d = extract_file(&common::testdata("amendments/742_sua_doi_615.txt"));
    let a = d
        .document
        .amendment
        .as_ref()
        .expect("văn bản sửa đổi, bổ sung");
    assert_eq!(a.amends.number.as_deref(), Some("615/KH-UBND"));
    assert_eq!(a.changes.len(), 4);
    insta::assert_json_snapshot!("amendment_742", d.document);
}

/// A plan that cites an amending decision among its legal bases is not an amendment.
#[test]
fn a_plan_citing_an_amendment_is_not_one() {
    let d = extract_file(&common::testdata(
        "devset/07_cantho-159-truyen-thong-giam-ngheo.md",
    ));
    assert!(d.document.amendment.is_none());
    let seed = extract_file(&seed_txt("000"));
    assert!(seed.document.amendment.is_none());
}
