//! The devset (`testdata/devset/`, real documents as a legal portal serves them): every
//! document reads, and no extracted task is a bare field label, a heading or the portal's
//! own text. Annotated documents (`testdata/gold/devset/`) also get a golden snapshot of
//! their tasks and are scored against the clerk's gold.

mod common;

use common::testdata;
use tinhgon_domain::PlanDraft;
use tinhgon_textkit::fold;

fn devset() -> Vec<std::path::PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir(testdata("devset"))
        .expect("testdata/devset exists")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.ends_with(".md") && n.starts_with(|c: char| c.is_ascii_digit()))
        })
        .collect();
    files.sort();
    files
}

fn extract(path: &std::path::Path) -> PlanDraft {
    let bytes = std::fs::read(path).expect("devset file readable");
    tinhgon_extract::extract_bytes(&bytes, path.file_name().and_then(|n| n.to_str()))
        .unwrap_or_else(|e| panic!("{} should read: {e}", path.display()))
}

/// Why a task's content is not a duty, if it is not.
fn garbage(content: &str) -> Option<&'static str> {
    let t = content.trim();
    let f = fold(t);
    const CHROME: &[&str] = &[
        "thu vien phap luat",
        "dang tai van ban",
        "dang xuat khoi tai khoan",
        "so hieu:",
        "loai van ban:",
        "noi ban hanh:",
        "van ban nay chua cap nhat",
        "quy khach",
        "quy thanh vien",
    ];
    if CHROME.iter().any(|c| f.contains(c)) || f.starts_with("van ban lien quan") {
        return Some("portal chrome");
    }
    if t.is_empty() {
        return Some("empty");
    }
    let words = t.split_whitespace().count();
    if t.ends_with(':') && words <= 6 {
        return Some("bare label");
    }
    let letters: Vec<char> = t.chars().filter(|c| c.is_alphabetic()).collect();
    if letters.len() >= 3 && letters.iter().all(|c| !c.is_lowercase()) && words <= 12 {
        return Some("heading in capitals");
    }
    None
}

#[test]
fn every_devset_document_reads_and_no_task_is_a_label_heading_or_chrome() {
    let files = devset();
    assert!(files.len() >= 40, "the 40 devset documents");
    let mut problems = Vec::new();
    for path in &files {
        let d = extract(path);
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("?");
        for t in &d.tasks {
            if let Some(why) = garbage(&t.content) {
                problems.push(format!("{name} {}: {why}: {:?}", t.reference, t.content));
            }
        }
        // Task counts stay in the genre's range: no document is a wall of hundreds of tasks.
        if d.tasks.len() > 400 {
            problems.push(format!("{name}: {} tasks", d.tasks.len()));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn garbage_check_can_fail() {
    assert_eq!(garbage("Đơn vị chủ trì:"), Some("bare label"));
    assert_eq!(
        garbage("II. NHIỆM VỤ VÀ GIẢI PHÁP"),
        Some("heading in capitals")
    );
    assert_eq!(garbage("Đang tải văn bản..."), Some("portal chrome"));
    assert_eq!(garbage("Rà soát, sắp xếp tổ chức bộ máy"), None);
}

fn gold_files() -> Vec<std::path::PathBuf> {
    let Ok(rd) = std::fs::read_dir(testdata("gold/devset")) else {
        return Vec::new();
    };
    let mut files: Vec<_> = rd
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
}

/// A one-line summary per task: what review shows first.
fn summary(d: &PlanDraft) -> Vec<String> {
    d.tasks
        .iter()
        .map(|t| {
            let lead: Vec<&str> = t.lead.iter().map(|a| a.text.as_str()).collect();
            let coord: Vec<&str> = t.coordinating.iter().map(|a| a.text.as_str()).collect();
            format!(
                "{} | {} | {} | {} | {:?} {}",
                t.reference,
                t.content.chars().take(60).collect::<String>(),
                lead.join("; "),
                coord.join("; "),
                t.deadline.kind,
                t.deadline.due.map(|x| x.to_string()).unwrap_or_default()
            )
        })
        .collect()
}

#[test]
fn annotated_devset_documents_keep_their_tasks() {
    for g in gold_files() {
        let gold: tinhgon_extract::score::Gold =
            serde_json::from_str(&std::fs::read_to_string(&g).expect("gold readable"))
                .expect("gold JSON");
        let doc = g.parent().expect("gold dir").join(&gold.doc);
        let d = extract(&doc);
        let name = g
            .file_stem()
            .and_then(|n| n.to_str())
            .unwrap_or("?")
            .to_string();
        insta::assert_snapshot!(format!("devset_{name}"), summary(&d).join("\n"));
    }
}
