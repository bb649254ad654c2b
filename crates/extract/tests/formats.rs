//! The same plan as .txt, .docx, .pdf, .html, .odt and .doc gives the same tasks: refs, leads, coordinating
//! agencies, deadlines and (normalised) content.

mod common;

use common::{extract_file, seed_txt, testdata, view};

fn same_tasks(n: &str, ext: &str) {
    let txt = extract_file(&seed_txt(n));
    let other = extract_file(&testdata(&format!("fixtures/seeds/{n}.{ext}")));
    let a: Vec<String> = txt.tasks.iter().map(view).collect();
    let b: Vec<String> = other.tasks.iter().map(view).collect();
    let diff: Vec<String> = a
        .iter()
        .zip(&b)
        .filter(|(x, y)| x != y)
        .map(|(x, y)| format!("txt:   {x}\n{ext}: {y}"))
        .collect();
    assert!(
        diff.is_empty(),
        "seed {n} .{ext} differs from .txt:\n{}",
        diff.join("\n")
    );
    assert_eq!(a.len(), b.len(), "seed {n}: task count .txt vs .{ext}");
    assert_eq!(
        txt.document.number, other.document.number,
        "seed {n}.{ext} number"
    );
    assert_eq!(
        txt.document.date, other.document.date,
        "seed {n}.{ext} date"
    );
    assert_eq!(
        txt.document.issuer, other.document.issuer,
        "seed {n}.{ext} issuer"
    );
}

#[test]
fn seed000_docx() {
    same_tasks("000", "docx");
}

#[test]
fn seed000_pdf() {
    same_tasks("000", "pdf");
}

#[test]
fn seed001_docx() {
    same_tasks("001", "docx");
}

#[test]
fn seed001_pdf() {
    same_tasks("001", "pdf");
}

#[test]
fn seed003_docx() {
    same_tasks("003", "docx");
}

#[test]
fn seed003_pdf() {
    same_tasks("003", "pdf");
}

#[test]
fn seed000_html() {
    same_tasks("000", "html");
}

#[test]
fn seed001_html() {
    same_tasks("001", "html");
}

#[test]
fn seed000_odt() {
    same_tasks("000", "odt");
}

#[test]
fn seed001_odt() {
    same_tasks("001", "odt");
}

/// Word 97–2003 goes through LibreOffice; without it the upload is refused with a message
/// that says how to go on.
#[test]
fn seed000_doc() {
    let installed = ["soffice", "libreoffice"].iter().any(|p| {
        std::env::var_os("PATH")
            .is_some_and(|path| std::env::split_paths(&path).any(|d| d.join(p).is_file()))
    });
    if installed {
        same_tasks("000", "doc");
    } else {
        let bytes = std::fs::read(testdata("fixtures/seeds/000.doc")).expect("fixture");
        let e = tinhgon_extract::extract_bytes(&bytes, Some("000.doc")).unwrap_err();
        assert!(e.to_string().contains("LibreOffice"), "{e}");
    }
}
