//! ODT reader. Input starting with "PK" is used as the whole file; anything else becomes
//! the `content.xml` of an .odt whose mimetype entry comes first, so the fuzzer reaches the
//! XML walker instead of failing zip checksums.
#![no_main]

use std::io::Write;

use libfuzzer_sys::fuzz_target;

fn wrap(data: &[u8]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored);
    if zip.start_file("mimetype", opts).is_ok() {
        let _ = zip.write_all(b"application/vnd.oasis.opendocument.text");
    }
    if zip.start_file("content.xml", opts).is_ok() {
        let _ = zip.write_all(data);
    }
    zip.finish().map(|c| c.into_inner()).unwrap_or_default()
}

fuzz_target!(|data: &[u8]| {
    let bytes = if data.starts_with(b"PK") {
        data.to_vec()
    } else {
        wrap(data)
    };
    if let Ok(doc) = tinhgon_ingest::read(&bytes, Some("plan.odt")) {
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
