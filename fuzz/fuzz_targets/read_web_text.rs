//! Legal portal text reader on arbitrary input shaped like a portal page: the bytes are
//! read as lines and each line is kept, or replaced by one of the page's building blocks
//! (a lone `|`, emphasis, the loading notice, a metadata label), so the table rebuilder,
//! the chrome cutter and the joiner all run.
#![no_main]

use libfuzzer_sys::fuzz_target;

const PIECES: &[&str] = &[
    "|",
    "|",
    "** **",
    "**",
    "Đang tải văn bản...",
    "**Số hiệu:**",
    "Nơi nhận:",
    "Kính gửi:",
    "**PHỤ LỤC**",
    "TT",
    "1",
    "II",
    "Văn bản này chưa cập nhật nội dung Tiếng Anh",
    "[1] Chú thích",
    "",
    "# Tiêu đề",
];

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut page = String::from("|\n|\n|\n|\n");
    for (i, line) in text.split('\n').enumerate() {
        let pick = line.bytes().next().unwrap_or(0) as usize + i;
        if pick % 3 == 0 {
            page.push_str(PIECES[pick % PIECES.len()]);
        } else {
            page.push_str(line);
        }
        page.push('\n');
    }
    if let Ok(doc) = tinhgon_ingest::read(page.as_bytes(), Some("page.md")) {
        for b in &doc.blocks {
            match b {
                tinhgon_ingest::Block::Paragraph(p) => assert!(p.line < doc.lines.len()),
                tinhgon_ingest::Block::Table(t) => assert!(t.line < doc.lines.len()),
            }
        }
        let _ = tinhgon_extract::extract(&doc);
    }
});
