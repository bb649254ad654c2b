//! The plan extractor on arbitrary text: read as .txt or .md, then extracted. Nothing may
//! panic, and every task must point at lines that exist.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (name, body) = match data.split_first() {
        Some((b, rest)) if b % 2 == 0 => ("plan.md", rest),
        Some((_, rest)) => ("plan.txt", rest),
        None => ("plan.txt", data),
    };
    let Ok(doc) = tinhgon_ingest::read(body, Some(name)) else {
        return;
    };
    let draft = tinhgon_extract::extract(&doc);
    for t in &draft.tasks {
        assert!(t.source.line_start >= 1, "{t:?}");
        assert!(t.source.line_start <= t.source.line_end, "{t:?}");
        assert!(t.source.line_end <= doc.lines.len().max(1), "{t:?}");
        assert!(!t.reference.is_empty());
        for a in t.lead.iter().chain(&t.coordinating) {
            assert!(!a.text.is_empty() && !a.name.is_empty(), "{a:?}");
        }
    }
    // The JSON contract always serialises.
    assert!(serde_json::to_string(&draft).is_ok());
});
