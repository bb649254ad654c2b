//! Helpers shared by the reader tests.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::PathBuf;

use tinhgon_ingest::{read, Block, Document, Format, Table};

/// Path of a file under the repository's `testdata/`.
pub fn testdata(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../testdata")
        .join(rel)
}

/// Bytes of a file under `testdata/`.
pub fn bytes(rel: &str) -> Vec<u8> {
    std::fs::read(testdata(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The seed text file for a seed number ("000").
pub fn seed_path(n: &str) -> String {
    let dir = testdata("seeds");
    let name = std::fs::read_dir(dir)
        .expect("testdata/seeds")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .find(|f| f.starts_with(n))
        .unwrap_or_else(|| panic!("seed {n} missing"));
    format!("seeds/{name}")
}

/// Every word of the document in reading order: paragraphs (with labels) and table cells.
pub fn words(doc: &Document) -> Vec<String> {
    let mut out = Vec::new();
    for b in &doc.blocks {
        match b {
            Block::Paragraph(p) => out.extend(p.full_text().split_whitespace().map(str::to_string)),
            Block::Table(t) => {
                for c in t.rows.iter().flat_map(|r| &r.cells) {
                    for p in &c.paragraphs {
                        out.extend(p.split_whitespace().map(str::to_string));
                    }
                }
            }
        }
    }
    out
}

/// Word counts.
pub fn multiset(words: &[String]) -> BTreeMap<String, i64> {
    let mut m = BTreeMap::new();
    for w in words {
        *m.entry(w.clone()).or_insert(0) += 1;
    }
    m
}

/// Words present in `a` more often than in `b`, with the surplus.
pub fn surplus(a: &BTreeMap<String, i64>, b: &BTreeMap<String, i64>) -> Vec<(String, i64)> {
    a.iter()
        .filter_map(|(w, n)| {
            let d = n - b.get(w).copied().unwrap_or(0);
            (d > 0).then(|| (w.clone(), d))
        })
        .collect()
}

/// Reads a file under `testdata/` (named by its file name) and checks that it was read as `format`.
pub fn read_as(rel: &str, format: Format) -> Document {
    let d = read(&bytes(rel), rel.rsplit('/').next()).unwrap_or_else(|e| panic!("{rel}: {e}"));
    assert_eq!(d.format, format, "{rel}");
    d
}

/// The tables of a document in reading order.
pub fn tables(d: &Document) -> Vec<&Table> {
    d.blocks
        .iter()
        .filter_map(|b| match b {
            Block::Table(t) => Some(t),
            Block::Paragraph(_) => None,
        })
        .collect()
}
