//! Saved web page reader: any bytes behind an HTML doctype, so the tokenizer and the table
//! walker see them whatever they are.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut bytes = b"<!DOCTYPE html>".to_vec();
    bytes.extend_from_slice(data);
    if let Ok(doc) = tinhgon_ingest::read(&bytes, Some("plan.html")) {
        for b in &doc.blocks {
            match b {
                tinhgon_ingest::Block::Paragraph(p) => assert!(p.line < doc.lines.len()),
                tinhgon_ingest::Block::Table(t) => {
                    assert!(t.line < doc.lines.len());
                    for c in t.rows.iter().flat_map(|r| &r.cells) {
                        assert!(c.line < doc.lines.len());
                        assert!(c.span >= 1);
                    }
                }
            }
        }
    }
});
