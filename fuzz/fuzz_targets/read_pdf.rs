//! PDF reader on arbitrary bytes (a "%PDF-" header is added when missing so the PDF path runs).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let bytes = if data.starts_with(b"%PDF-") {
        data.to_vec()
    } else {
        [b"%PDF-1.4\n".as_slice(), data].concat()
    };
    if let Ok(doc) = tinhgon_ingest::read(&bytes, Some("plan.pdf")) {
        for b in &doc.blocks {
            if let tinhgon_ingest::Block::Paragraph(p) = b {
                assert!(p.line < doc.lines.len());
            }
        }
    }
});
