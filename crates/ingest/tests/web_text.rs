//! The legal portal text reader on generated pages (the same shapes as the
//! `read_web_text` fuzz target): it never panics, every block points at a line of the
//! file, and the devset's traps are handled on small examples.

use proptest::prelude::*;
use tinhgon_ingest::{read, Block, Format};

const PIECES: &[&str] = &[
    "|",
    "|",
    "|",
    "** **",
    "**",
    "*",
    "Đang tải văn bản...",
    "**Số hiệu:**",
    "**\nNgày hiệu lực:**",
    "Nơi nhận:",
    "Kính gửi:",
    "**PHỤ LỤC**",
    "TT",
    "1",
    "2.",
    "II",
    "Văn bản này chưa cập nhật nội dung Tiếng Anh",
    "## Văn bản liên quan",
    "[1] Chú thích",
    "",
    "# Tiêu đề",
    "- Đơn vị chủ trì: Sở Nội vụ",
    "Thời\ngian hoàn thành: Quý IV/2025",
    "Sở Nông nghiệp và Môi\ntrường",
    "*1.1.* Các Bộ rà soát",
    "\u{feff}",
    "\t",
];

fn page() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            3 => prop::sample::select(PIECES).prop_map(str::to_string),
            1 => "\\PC{0,40}",
        ],
        0..60,
    )
    .prop_map(|lines| format!("|\n|\n|\n|\n{}", lines.join("\n")))
}

fn check(bytes: &[u8]) {
    if let Ok(doc) = read(bytes, Some("page.md")) {
        for b in &doc.blocks {
            match b {
                Block::Paragraph(p) => assert!(p.line < doc.lines.len()),
                Block::Table(t) => {
                    assert!(t.line < doc.lines.len());
                    for c in t.rows.iter().flat_map(|r| &r.cells) {
                        assert!(c.line < doc.lines.len());
                    }
                }
            }
        }
    }
}

fn cases() -> u32 {
    std::env::var("WEB_TEXT_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2_000)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases()))]

    #[test]
    fn generated_pages_never_panic(p in page()) {
        check(p.as_bytes());
    }

    #[test]
    fn arbitrary_bytes_never_panic(b in prop::collection::vec(any::<u8>(), 0..400)) {
        let mut bytes = b"|\n|\n|\n|\n".to_vec();
        bytes.extend(b);
        check(&bytes);
    }
}

#[test]
fn a_portal_page_is_recognised_and_its_chrome_dropped() {
    let page = "Bản dịch này thuộc quyền sở hữu của **\nTHƯ VIỆN PHÁP LUẬT**.\n|\n|\nĐang tải văn bản...\n#\n**Số hiệu:**\n|\n174/CV-BCĐ\n|\n**Kính gửi:** Các Bộ\n**1. Về phân cấp,\nphân quyền**\nCác Bộ rà soát, báo cáo trước ngày\n15/12/2025.\nCông văn 174/CV-BCĐ năm 2025 tập trung\nVăn bản này chưa cập nhật nội dung Tiếng Anh\n## Văn bản liên quan\nĐăng nhập\n";
    let doc = read(page.as_bytes(), Some("cv.txt")).expect("reads");
    assert_eq!(doc.format, Format::WebText);
    assert_eq!(
        doc.facts,
        [("Số hiệu".to_string(), "174/CV-BCĐ".to_string())]
    );
    let texts: Vec<&str> = doc
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::Paragraph(p) => Some(p.text.as_str()),
            Block::Table(_) => None,
        })
        .collect();
    assert_eq!(
        texts,
        [
            "Kính gửi: Các Bộ",
            "1. Về phân cấp, phân quyền",
            "Các Bộ rà soát, báo cáo trước ngày 15/12/2025."
        ]
    );
}
