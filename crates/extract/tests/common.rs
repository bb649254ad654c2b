//! Helpers shared by the extraction tests: repository paths, reading and normalising.

#![allow(dead_code)]

use std::path::PathBuf;

use tinhgon_domain::{PlanDraft, TaskDraft};

/// Path of a file under the repository's `testdata/`.
pub fn testdata(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../testdata")
        .join(rel)
}

/// The seed text files by number.
pub fn seed_txt(n: &str) -> PathBuf {
    let dir = testdata("seeds");
    let mut found = std::fs::read_dir(&dir)
        .expect("testdata/seeds exists")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|f| f.to_str())
                .is_some_and(|f| f.starts_with(&format!("{n}_")) && f.ends_with(".txt"))
        })
        .collect::<Vec<_>>();
    found.sort();
    found.pop().expect("seed text present")
}

/// Reads and extracts a file.
pub fn extract_file(path: &std::path::Path) -> PlanDraft {
    let bytes = std::fs::read(path).expect("fixture readable");
    let name = path.file_name().and_then(|n| n.to_str());
    tinhgon_extract::extract_bytes(&bytes, name)
        .unwrap_or_else(|e| panic!("{} should extract: {e}", path.display()))
}

/// Content folded for comparison across formats: no marks, no punctuation, single spaces.
pub fn norm(s: &str) -> String {
    let f = tinhgon_textkit::fold(s);
    let kept: String = f
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    kept.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Agency texts of a list.
pub fn texts(list: &[tinhgon_domain::AgencyRef]) -> Vec<String> {
    list.iter().map(|a| a.text.clone()).collect()
}

/// A compact, comparable view of a task.
pub fn view(t: &TaskDraft) -> String {
    format!(
        "{} | {} | lead {:?} | coord {:?} | {:?} {:?} {:?}",
        t.reference,
        norm(&t.content),
        texts(&t.lead),
        texts(&t.coordinating),
        t.deadline.kind,
        t.deadline.due,
        t.deadline.period
    )
}
