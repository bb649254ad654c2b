//! A saved web page (.html, .htm): its paragraphs and its tables.
//!
//! Pages saved from portals are rarely well-formed XML (unclosed `<p>`, `<br>`, named
//! entities), so they are read by a small tolerant tokenizer rather than an XML parser:
//! tags open and close blocks, text between them is collected, anything unexpected is
//! skipped. Block elements (`p`, `div`, `li`, headings, `br`) end a paragraph; a table keeps
//! its rows and cells, a `colspan` its span, and the cells a `rowspan` hides below are put
//! back as merged cells, as the .docx reader gives them. Scripts, styles and the page head
//! are not text.

mod tokens;

use crate::builder::{Builder, OpenTable};
use crate::{Cell, Document, Format, IngestError, Row};
use tokens::{entities, number_attr, Token, Tokens};

/// True when the text is an HTML page rather than text that mentions a tag.
pub fn looks_like_html(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(2048)];
    let head = String::from_utf8_lossy(head).to_ascii_lowercase();
    let t = head.trim_start_matches('\u{feff}').trim_start();
    t.starts_with("<!doctype html")
        || t.starts_with("<html")
        || (t.starts_with('<') && (head.contains("<body") || head.contains("<head")))
}

/// Reads a saved web page.
pub fn read(bytes: &[u8]) -> Result<Document, IngestError> {
    let mut warnings = Vec::new();
    let text = decode(bytes, &mut warnings)?;
    let mut walker = Walker::default();
    for token in Tokens::new(&text) {
        walker.token(token)?;
    }
    walker.end_cell();
    walker.end_row();
    walker.out.finish(Format::Html, warnings)
}

/// UTF-8 and UTF-16 as any text file; a page that declares another charset
/// (`windows-1258`, the Vietnamese Windows code page) is decoded with it.
fn decode(bytes: &[u8], warnings: &mut Vec<String>) -> Result<String, IngestError> {
    if std::str::from_utf8(bytes).is_err() {
        let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]).to_ascii_lowercase();
        if let Some(label) = head.split("charset=").nth(1).map(|rest| {
            rest.trim_start_matches(['"', '\''])
                .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
                .next()
                .unwrap_or("")
                .to_string()
        }) {
            if let Some(enc) = encoding_rs::Encoding::for_label(label.as_bytes()) {
                if enc != encoding_rs::UTF_8 && !label.starts_with("utf-16") {
                    let (text, _, had_errors) = enc.decode(bytes);
                    if !had_errors {
                        return Ok(text.into_owned());
                    }
                }
            }
        }
    }
    crate::text::decode(bytes, warnings)
}

/// Puts back the cells a row span above covers at the current column of the row.
fn fill_covered(t: &mut OpenTable, line: usize) {
    loop {
        let col: usize = t
            .row
            .as_ref()
            .map_or(0, |r| r.cells.iter().map(|c| c.span as usize).sum());
        let Some(k) = t
            .covered
            .iter()
            .position(|(c, left, _)| *c == col && *left > 0)
        else {
            return;
        };
        let span = t.covered[k].2;
        t.covered[k].1 -= 1;
        let Some(row) = t.row.as_mut() else { return };
        row.cells.push(Cell {
            span,
            merged_above: true,
            line,
            ..Cell::default()
        });
    }
}

#[derive(Default)]
struct Walker {
    out: Builder,
    /// Text of the paragraph being read.
    text: String,
    /// Heading level of the paragraph being read.
    heading: Option<u8>,
    /// Depth inside `b`/`strong`, and whether text inside and outside them was seen.
    bold_depth: usize,
    saw_bold: bool,
    saw_plain: bool,
    /// Inside `head`.
    in_head: bool,
}

impl Walker {
    fn token(&mut self, token: Token<'_>) -> Result<(), IngestError> {
        match token {
            Token::Text(t) => {
                if self.in_head {
                    return Ok(());
                }
                let t = entities(t);
                if !t.trim().is_empty() {
                    if self.bold_depth > 0 {
                        self.saw_bold = true;
                    } else {
                        self.saw_plain = true;
                    }
                }
                self.text.push_str(&t);
            }
            Token::Open(name, attrs) => self.open(&name, attrs)?,
            Token::Close(name) => self.close(&name),
        }
        Ok(())
    }

    fn open(&mut self, name: &str, attrs: &str) -> Result<(), IngestError> {
        match name {
            "head" => self.in_head = true,
            "body" => self.in_head = false,
            "b" | "strong" => self.bold_depth += 1,
            "p" | "div" | "li" | "br" | "blockquote" | "section" | "article" | "dd" | "dt" => {
                self.end_paragraph()
            }
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                self.end_paragraph();
                self.heading = name[1..].parse().ok();
            }
            "table" => {
                self.end_paragraph();
                self.out.open_table()?;
            }
            "tr" => {
                self.end_cell();
                self.end_row();
                if let Some(t) = self.out.table() {
                    t.row = Some(Row::default());
                }
            }
            "td" | "th" => {
                self.end_cell();
                let line = self.out.lines.len();
                let Some(t) = self.out.table() else {
                    return Ok(());
                };
                t.row.get_or_insert_with(Row::default);
                fill_covered(t, line);
                let span = number_attr(attrs, "colspan").unwrap_or(1).clamp(1, 1000);
                let rows = number_attr(attrs, "rowspan").unwrap_or(1).clamp(1, 10_000);
                let col: usize = t
                    .row
                    .as_ref()
                    .map_or(0, |r| r.cells.iter().map(|c| c.span as usize).sum());
                if rows > 1 {
                    t.covered.retain(|(c, _, _)| *c != col);
                    t.covered.push((col, rows - 1, span));
                }
                if let Some(row) = t.row.as_mut() {
                    row.header |= name == "th";
                }
                self.out.open_cell(span, false);
            }
            _ => {}
        }
        Ok(())
    }

    fn close(&mut self, name: &str) {
        match name {
            "head" => self.in_head = false,
            "b" | "strong" => self.bold_depth = self.bold_depth.saturating_sub(1),
            "p" | "div" | "li" | "blockquote" | "section" | "article" | "dd" | "dt" | "h1"
            | "h2" | "h3" | "h4" | "h5" | "h6" => self.end_paragraph(),
            "td" | "th" => self.end_cell(),
            "tr" => {
                self.end_cell();
                self.end_row();
            }
            "table" => {
                self.end_cell();
                self.end_row();
                self.out.end_table();
            }
            _ => {}
        }
    }

    fn end_cell(&mut self) {
        self.end_paragraph();
        self.out.end_cell();
    }

    fn end_row(&mut self) {
        let line = self.out.lines.len();
        if let Some(t) = self.out.table() {
            if t.row.is_some() {
                // Cells a row span covers at the end of the row.
                fill_covered(t, line);
            }
        }
        self.out.end_row();
    }

    fn end_paragraph(&mut self) {
        let raw = std::mem::take(&mut self.text);
        let heading = self.heading.take();
        let bold = self.saw_bold && !self.saw_plain;
        self.saw_bold = false;
        self.saw_plain = false;
        self.out.paragraph(&raw, heading, bold);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::builder::paragraphs;
    use crate::Block;

    fn page(body: &str) -> Vec<u8> {
        format!(
            "<!DOCTYPE html><html><head><title>Kế hoạch</title><style>p {{ color: red }}</style></head><body>{body}</body></html>"
        )
        .into_bytes()
    }

    #[test]
    fn paragraphs_entities_and_emphasis() {
        let bytes = page(
            "<h2>KẾ HOẠCH</h2><p><b>1. Sở Nội vụ</b><p>Ch&#7911; tr&igrave;&nbsp;r&agrave; so&aacute;t<br>Th&#x1EDD;i gian: qu&yacute; IV<script>var a = '<p>x</p>';</script><!-- <p>ẩn</p> -->",
        );
        assert!(looks_like_html(&bytes));
        let doc = read(&bytes).unwrap();
        assert_eq!(doc.format, Format::Html);
        assert_eq!(
            paragraphs(&doc),
            [
                "KẾ HOẠCH",
                "1. Sở Nội vụ",
                "Chủ trì rà soát",
                "Thời gian: quý IV"
            ]
        );
        let Block::Paragraph(p) = &doc.blocks[1] else {
            panic!("a paragraph")
        };
        assert!(p.bold);
    }

    #[test]
    fn tables_keep_spans_and_put_back_merged_cells() {
        let bytes = page(
            "<table><tr><th>TT<th>Nội dung<th>Chủ trì</tr><tr><td colspan=3>I. NHIỆM VỤ</td></tr><tr><td>1</td><td>Rà soát</td><td rowspan=\"2\">Sở Nội vụ</td></tr><tr><td>2</td><td>Báo cáo</td></tr></table>",
        );
        let doc = read(&bytes).unwrap();
        let Block::Table(t) = &doc.blocks[0] else {
            panic!("a table")
        };
        assert_eq!(t.rows.len(), 4);
        assert!(t.rows[0].header);
        assert_eq!(t.rows[1].cells[0].span, 3);
        let last = &t.rows[3].cells;
        assert_eq!(last.len(), 3);
        assert!(last[2].merged_above);
        assert_eq!(last[1].text(), "Báo cáo");
    }

    #[test]
    fn broken_markup_never_fails() {
        for s in [
            "<p>a <",
            "<table><td>x",
            "<p attr=\">\">b</p>",
            "</td></tr></table>c",
            "<<>>",
        ] {
            let r = read(&page(s));
            assert!(
                r.is_ok() || matches!(r, Err(IngestError::Empty)),
                "{s}: {r:?}"
            );
        }
        assert_eq!(read(&page("")).unwrap_err(), IngestError::Empty);
    }
}
