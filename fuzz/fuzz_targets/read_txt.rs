//! Text and Markdown reader (and format detection) on arbitrary bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // The first byte picks the name hint so both the text and the Markdown paths run.
    let (name, body) = match data.split_first() {
        Some((b, rest)) if b % 2 == 0 => (Some("plan.md"), rest),
        Some((_, rest)) => (Some("plan.txt"), rest),
        None => (None, data),
    };
    if let Ok(doc) = tinhgon_ingest::read(body, name) {
        for b in &doc.blocks {
            if let tinhgon_ingest::Block::Paragraph(p) = b {
                assert!(p.line < doc.lines.len());
            }
        }
    }
});
