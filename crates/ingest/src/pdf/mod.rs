//! PDF reader: text layer → lines → tables and paragraphs.
//!
//! A PDF without text is reported as a scan, one whose text is glyph codes as a broken text
//! layer; neither is guessed at. Pages, operations and decoded stream sizes are capped.

mod content;
mod font;
mod layout;
mod quality;
mod stream;

use crate::{Document, Format, IngestError};

/// Pages read at most; plans are tens of pages.
const MAX_PAGES: usize = 2000;
/// Characters per page below which a page counts as having no text layer.
const MIN_CHARS_PER_PAGE: usize = 25;

/// Reads a PDF file.
pub fn read(bytes: &[u8]) -> Result<Document, IngestError> {
    let mut doc = lopdf::Document::load_mem(bytes).map_err(|e| match e {
        lopdf::Error::Decryption(_) | lopdf::Error::UnsupportedSecurityHandler(_) => {
            IngestError::Encrypted
        }
        e => IngestError::Corrupt(format!("PDF không đọc được ({e})")),
    })?;
    if doc.is_encrypted() && doc.decrypt("").is_err() {
        return Err(IngestError::Encrypted);
    }
    let pages = doc.get_pages();
    if pages.is_empty() {
        return Err(IngestError::Corrupt("PDF không có trang nào".to_string()));
    }
    let mut warnings = Vec::new();
    if pages.len() > MAX_PAGES {
        warnings.push(format!(
            "PDF có {} trang, chỉ đọc {MAX_PAGES} trang đầu",
            pages.len()
        ));
    }
    let mut cache = content::FontCache::default();
    let mut ops = 0usize;
    let mut page_lines = Vec::new();
    let mut page_rules = Vec::new();
    let mut chars = 0usize;
    for (i, (_, id)) in pages.iter().take(MAX_PAGES).enumerate() {
        let page = content::page_content(&doc, *id, &mut cache, &mut ops)?;
        chars += page
            .glyphs
            .iter()
            .filter(|g| !g.text.trim().is_empty())
            .count();
        page_lines.push(layout::lines(page.glyphs, &page.rules, i));
        page_rules.push(page.rules);
    }
    let n = page_lines.len();
    if chars < MIN_CHARS_PER_PAGE * n {
        return Err(IngestError::Scanned);
    }
    let all: String = page_lines
        .iter()
        .flatten()
        .map(|l| l.text.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    if quality::broken(quality::score(&all)) {
        return Err(IngestError::BrokenTextLayer);
    }
    layout::remove_furniture(&mut page_lines);
    let (lines, blocks) = layout::assemble(page_lines, &page_rules);
    if blocks.is_empty() {
        return Err(IngestError::Scanned);
    }
    Ok(Document {
        format: Format::Pdf,
        lines,
        blocks,
        warnings,
        facts: Vec::new(),
    })
}
