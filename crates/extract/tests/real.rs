//! Real office files from other bodies: the Lào Cai plan's appendix (14 tasks) read cell
//! by cell, and every real .docx giving sensible metadata without a panic.

mod common;

use common::{extract_file, testdata};
use tinhgon_domain::{DeadlineKind, DocumentKind, GroupKind, Period};

const LAO_CAI: &str = "fixtures/real/KH-UBND-trien-khai-Chi-thi-11-CT-TU-QLNN-khoang-san.docx";

/// (ref, lead, coordinating, deadline kind, due or period) as the appendix table states them.
type Row = (
    &'static str,
    &'static [&'static str],
    &'static [&'static str],
    DeadlineKind,
    &'static str,
);

const ALL_DEPTS: &str = "Các Sở, ban, ngành";
const NN_MT: &str = "Sở Nông nghiệp và Môi trường";
const COMMUNES: &str = "UBND các xã, phường";

const ROWS: &[Row] = &[
    (
        "PL.1",
        &[ALL_DEPTS, COMMUNES],
        &[ALL_DEPTS, "các cơ quan, đơn vị, địa phương liên quan"],
        DeadlineKind::By,
        "2026-06-30",
    ),
    (
        "PL.2",
        &[NN_MT],
        &[ALL_DEPTS, "các cơ quan, đơn vị, địa phương liên quan"],
        DeadlineKind::By,
        "2026-05-31",
    ),
    (
        "PL.3",
        &[NN_MT],
        &[ALL_DEPTS, "các cơ quan, đơn vị liên quan"],
        DeadlineKind::By,
        "2026-12-31",
    ),
    (
        "PL.4",
        &[NN_MT],
        &[ALL_DEPTS, "các địa phương liên quan"],
        DeadlineKind::Recurring,
        "yearly",
    ),
    (
        "PL.5",
        &[NN_MT],
        &[
            ALL_DEPTS,
            "các cơ quan, đơn vị, địa phương liên quan",
            "các tổ chức hoạt động khai thác khoáng sản",
        ],
        DeadlineKind::By,
        "2030",
    ),
    (
        "PL.6",
        &["Sở Công Thương", "Sở Xây dựng"],
        &[ALL_DEPTS, "các địa phương liên quan"],
        DeadlineKind::Ongoing,
        "",
    ),
    (
        "PL.7",
        &["Sở Xây dựng"],
        &[
            "Các Sở, ban, ngành, địa phương",
            "các tổ chức hoạt động khai thác khoáng sản liên quan",
        ],
        DeadlineKind::Ongoing,
        "",
    ),
    (
        "PL.8",
        &["Sở Nội vụ"],
        &[ALL_DEPTS, "các địa phương liên quan"],
        DeadlineKind::Recurring,
        "yearly",
    ),
    (
        "PL.9",
        &["Thanh tra tỉnh"],
        &["Các Sở, ban, ngành và địa phương"],
        DeadlineKind::Recurring,
        "yearly",
    ),
    (
        "PL.10",
        &["Thuế tỉnh"],
        &[ALL_DEPTS, "các cơ quan, đơn vị, địa phương liên quan"],
        DeadlineKind::Recurring,
        "yearly",
    ),
    (
        "PL.11",
        &["Công an tỉnh"],
        &["Các Sở, ban, ngành và địa phương"],
        DeadlineKind::By,
        "2026-06-30",
    ),
    (
        "PL.12",
        &[COMMUNES],
        &[NN_MT, "các Sở, ban, ngành"],
        DeadlineKind::Ongoing,
        "",
    ),
    (
        "PL.13",
        &[ALL_DEPTS, COMMUNES],
        &[ALL_DEPTS, "các địa phương liên quan"],
        DeadlineKind::Ongoing,
        "",
    ),
    (
        "PL.14",
        &[COMMUNES],
        &[ALL_DEPTS, "Các tổ chức, cá nhân hoạt động khoáng sản"],
        DeadlineKind::Ongoing,
        "",
    ),
];

#[test]
fn lao_cai_appendix_has_its_14_tasks() {
    let d = extract_file(&testdata(LAO_CAI));
    let table: Vec<_> = d
        .tasks
        .iter()
        .filter(|t| t.source.layout == "appendix_table")
        .collect();
    assert_eq!(table.len(), 14);
    for (t, (reference, lead, coord, kind, when)) in table.iter().zip(ROWS) {
        assert_eq!(t.reference, *reference);
        let got: Vec<&str> = t.lead.iter().map(|a| a.text.as_str()).collect();
        assert_eq!(&got, lead, "{reference} lead");
        let got: Vec<&str> = t.coordinating.iter().map(|a| a.text.as_str()).collect();
        assert_eq!(&got, coord, "{reference} coordinating");
        assert_eq!(
            t.deadline.kind, *kind,
            "{reference} deadline {:?}",
            t.deadline.text
        );
        match kind {
            DeadlineKind::By if when.len() == 4 => {
                // "xong trước ngày 01/01/2030": the last day is the eve or the day itself.
                let due = t.deadline.due.map(|d| d.to_string()).unwrap_or_default();
                assert!(
                    due == "2029-12-31" || due == "2030-01-01",
                    "{reference} due {due}"
                );
            }
            DeadlineKind::By => {
                assert_eq!(
                    t.deadline.due.map(|d| d.to_string()).as_deref(),
                    Some(*when),
                    "{reference} due"
                );
            }
            DeadlineKind::Recurring => assert_eq!(
                t.deadline.period,
                Some(Period::Yearly),
                "{reference} period"
            ),
            _ => {}
        }
    }
    // Groups and the one-lead rule.
    let pl1 = table[0];
    assert_eq!(pl1.lead[0].group, Some(GroupKind::Departments));
    assert_eq!(pl1.lead[1].group, Some(GroupKind::Communes));
    assert_eq!(pl1.lead[1].name, "Ủy ban nhân dân các xã, phường");
    assert!(
        d.warnings.iter().any(|w| w.contains("PL.6")),
        "two named leads warned: {:?}",
        d.warnings
    );
    // Metadata: blank number and date are reported, not guessed.
    assert_eq!(
        d.document.issuer.as_deref(),
        Some("Ủy ban nhân dân tỉnh Lào Cai")
    );
    assert_eq!(d.document.kind, Some(DocumentKind::Plan));
    assert_eq!(d.document.number, None);
    assert_eq!(d.document.date, None);
    assert!(d.warnings.iter().any(|w| w.contains("Số văn bản để trống")));
    assert!(d
        .warnings
        .iter()
        .any(|w| w.contains("Ngày ban hành để trống")));
    let signer = d.document.signer.clone().unwrap_or_default();
    assert_eq!(signer.position.as_deref(), Some("PHÓ CHỦ TỊCH"));
    assert_eq!(signer.name.as_deref(), Some("Nguyễn Thành Sinh"));
    // The body's "4. Sở Xây dựng" duties come before the appendix.
    assert!(d
        .tasks
        .iter()
        .any(|t| t.reference == "IV.4.a" && t.lead[0].text == "Sở Xây dựng"));
}

#[test]
fn real_docx_give_sensible_metadata() {
    let cases = [
        (
            "CV-UBND-bao-ve-khoang-san-chua-khai-thac.docx",
            DocumentKind::OfficialLetter,
            "Ủy ban nhân dân tỉnh Lào Cai",
        ),
        (
            "KH-3898_30.6.2026_Huan-luyen-nguoi-quan-ly.docx",
            DocumentKind::Plan,
            "Sở Công Thương",
        ),
        (
            "QD-uy-quyen-VLNCN_du-thao-trinh-TTr-2205_ban-hanh-QD-1883-UBND-6.11.2025.docx",
            DocumentKind::Decision,
            "Ủy ban nhân dân tỉnh Lào Cai",
        ),
    ];
    for (file, kind, issuer) in cases {
        let d = extract_file(&testdata(&format!("fixtures/real/{file}")));
        assert_eq!(d.document.kind, Some(kind), "{file}");
        assert_eq!(d.document.issuer.as_deref(), Some(issuer), "{file}");
        assert_eq!(d.document.place.as_deref(), Some("Lào Cai"), "{file}");
        assert!(d.document.title.is_some(), "{file}");
        assert!(d.document.signer.is_some(), "{file}");
        assert!(!d.document.recipients.is_empty(), "{file}");
        assert!(!d.tasks.is_empty(), "{file}");
    }
    // The công văn's per-agency duties: "1. Sở Nông nghiệp và Môi trường" then "- …".
    let cv = extract_file(&testdata(
        "fixtures/real/CV-UBND-bao-ve-khoang-san-chua-khai-thac.docx",
    ));
    assert!(cv
        .tasks
        .iter()
        .any(|t| t.reference == "1.a" && t.lead[0].text == NN_MT));
    // An appendix with no lead or deadline column is a list, not a task table.
    let pl = extract_file(&testdata("fixtures/real/Phu-luc-danh-muc-uy-quyen.docx"));
    assert!(pl.tasks.is_empty());
}
