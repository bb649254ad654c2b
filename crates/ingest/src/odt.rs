//! OpenDocument text (.odt) reader: `content.xml` walked as a stream.
//!
//! Paragraphs (`text:p`, `text:h`) become one line each, in body and in table cells alike;
//! a table keeps its rows and cells, a cell spanning columns keeps its span and a covered
//! cell (the hidden part of a merge) is marked as merged. Notes, annotations and frames are
//! not body text. The part is read through a byte cap, as the .docx reader does.

use std::io::{Cursor, Read};

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use crate::{clean, Block, Cell, Document, Format, IngestError, Paragraph, Row, Table};

/// Cap on the decompressed `content.xml`; a 300-page plan is far below it.
const CONTENT_CAP: u64 = 64 * 1024 * 1024;
/// More paragraphs than any real document has.
const MAX_PARAGRAPHS: usize = 2_000_000;
/// Deeper table nesting than any real document has.
const MAX_TABLE_DEPTH: usize = 16;

/// True when the zip's first entry is the OpenDocument text mimetype.
pub fn is_odt(bytes: &[u8]) -> bool {
    // The mimetype entry is stored first and uncompressed: its name at offset 30, its
    // content right after.
    bytes.get(30..38) == Some(b"mimetype")
        && bytes
            .get(38..38 + 40)
            .is_some_and(|m| m.starts_with(b"application/vnd.oasis.opendocument.text"))
}

/// Reads an .odt file.
pub fn read(bytes: &[u8]) -> Result<Document, IngestError> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| IngestError::Corrupt(format!("tệp .odt hỏng hoặc bị cắt cụt ({e})")))?;
    let file = zip
        .by_name("content.xml")
        .map_err(|e| IngestError::Corrupt(format!("tệp .odt không có content.xml ({e})")))?;
    if file.encrypted() {
        return Err(IngestError::Encrypted);
    }
    let mut xml = Vec::new();
    file.take(CONTENT_CAP + 1)
        .read_to_end(&mut xml)
        .map_err(|e| IngestError::Corrupt(format!("content.xml: {e}")))?;
    if xml.len() as u64 > CONTENT_CAP {
        return Err(IngestError::Oversized(CONTENT_CAP));
    }
    let mut walker = Walker::default();
    walker.walk(&xml)?;
    if walker.blocks.is_empty() {
        return Err(IngestError::Empty);
    }
    Ok(Document {
        format: Format::Odt,
        lines: walker.lines,
        blocks: walker.blocks,
        warnings: Vec::new(),
        facts: Vec::new(),
    })
}

/// A table being read, with the row and cell under construction.
#[derive(Default)]
struct OpenTable {
    table: Table,
    row: Option<Row>,
    cell: Option<Cell>,
}

#[derive(Default)]
struct Walker {
    lines: Vec<String>,
    blocks: Vec<Block>,
    tables: Vec<OpenTable>,
    /// Text of the paragraph being read, with its heading level.
    para: Option<(String, Option<u8>)>,
    /// Depth inside an element whose content is not body text.
    skip: usize,
}

fn local(qname: &[u8]) -> &[u8] {
    match qname.iter().position(|&b| b == b':') {
        Some(i) => &qname[i + 1..],
        None => qname,
    }
}

fn attr(e: &BytesStart<'_>, name: &[u8]) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| local(a.key.as_ref()) == name)
        .map(|a| String::from_utf8_lossy(&a.value).into_owned())
}

/// Elements whose subtree holds no body text.
fn skipped(name: &[u8]) -> bool {
    matches!(
        name,
        b"note" | b"annotation" | b"frame" | b"tracked-changes" | b"sequence-decls" | b"desc"
    )
}

impl Walker {
    fn walk(&mut self, xml: &[u8]) -> Result<(), IngestError> {
        let mut reader = Reader::from_reader(xml);
        reader.config_mut().trim_text(false);
        let mut buf = Vec::new();
        loop {
            let event = reader.read_event_into(&mut buf).map_err(|e| {
                IngestError::Corrupt(format!(
                    "content.xml: XML lỗi ở vị trí {}: {e}",
                    reader.buffer_position()
                ))
            })?;
            match event {
                Event::Start(e) => self.start(&e, false)?,
                Event::Empty(e) => self.start(&e, true)?,
                Event::End(e) => self.end(local(e.name().as_ref())),
                Event::Text(t) if self.skip == 0 => {
                    if let Some((text, _)) = self.para.as_mut() {
                        match t.unescape() {
                            Ok(s) => text.push_str(&s),
                            Err(_) => text.push_str(&String::from_utf8_lossy(&t)),
                        }
                    }
                }
                Event::Eof => break,
                _ => {}
            }
            buf.clear();
        }
        // A truncated part: keep what was read.
        self.end_paragraph();
        while !self.tables.is_empty() {
            self.end(b"table");
        }
        Ok(())
    }

    fn start(&mut self, e: &BytesStart<'_>, empty: bool) -> Result<(), IngestError> {
        let name = local(e.name().as_ref()).to_vec();
        if self.skip > 0 || skipped(&name) {
            if !empty {
                self.skip += 1;
            }
            return Ok(());
        }
        match name.as_slice() {
            b"p" | b"h" => {
                self.end_paragraph();
                let level = (name == b"h").then(|| {
                    attr(e, b"outline-level")
                        .and_then(|l| l.parse::<u8>().ok())
                        .unwrap_or(1)
                });
                self.para = Some((String::new(), level));
                if empty {
                    self.end_paragraph();
                }
            }
            b"s" => {
                let n = attr(e, b"c").and_then(|c| c.parse::<usize>().ok());
                self.push_text(&" ".repeat(n.unwrap_or(1).min(64)));
            }
            b"tab" => self.push_text("\t"),
            b"line-break" => self.push_text(" "),
            b"table" if !empty => {
                if self.tables.len() >= MAX_TABLE_DEPTH {
                    return Err(IngestError::Corrupt(
                        "content.xml: bảng lồng nhau quá sâu".to_string(),
                    ));
                }
                self.end_paragraph();
                self.tables.push(OpenTable::default());
            }
            b"table-row" => {
                if let Some(t) = self.tables.last_mut() {
                    t.row = Some(Row::default());
                }
                if empty {
                    self.end(b"table-row");
                }
            }
            b"table-cell" | b"covered-table-cell" => {
                let span = attr(e, b"number-columns-spanned")
                    .and_then(|s| s.parse::<u32>().ok())
                    .unwrap_or(1)
                    .clamp(1, 1000);
                let line = self.lines.len();
                if let Some(t) = self.tables.last_mut() {
                    t.cell = Some(Cell {
                        span,
                        merged_above: name == b"covered-table-cell",
                        line,
                        ..Cell::default()
                    });
                }
                if empty {
                    self.end(&name);
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn end(&mut self, name: &[u8]) {
        if self.skip > 0 {
            self.skip -= 1;
            return;
        }
        match name {
            b"p" | b"h" => self.end_paragraph(),
            b"table-cell" | b"covered-table-cell" => {
                self.end_paragraph();
                if let Some(t) = self.tables.last_mut() {
                    if let (Some(cell), Some(row)) = (t.cell.take(), t.row.as_mut()) {
                        // A covered cell is the hidden part of a merge, not a cell of its own.
                        if !(cell.merged_above
                            && cell.paragraphs.is_empty()
                            && row.cells.last().is_some_and(|c| c.span > 1))
                        {
                            row.cells.push(cell);
                        }
                    }
                }
            }
            b"table-row" => {
                if let Some(t) = self.tables.last_mut() {
                    if let Some(row) = t.row.take() {
                        if row.cells.iter().any(|c| !c.paragraphs.is_empty()) {
                            t.table.rows.push(row);
                        }
                    }
                }
            }
            b"table" => {
                self.end_paragraph();
                let Some(open) = self.tables.pop() else {
                    return;
                };
                let mut table = open.table;
                if table.rows.is_empty() {
                    return;
                }
                // An empty cell points at the line after the table's last paragraph, which
                // may not exist: it belongs to the last line read.
                let last = self.lines.len().saturating_sub(1);
                for c in table.rows.iter_mut().flat_map(|r| r.cells.iter_mut()) {
                    c.line = c.line.min(last);
                }
                table.line = table
                    .rows
                    .first()
                    .and_then(|r| r.cells.first())
                    .map_or(self.lines.len(), |c| c.line);
                match self.tables.last_mut().and_then(|t| t.cell.as_mut()) {
                    // A table inside a cell: its text joins the cell, row by row.
                    Some(cell) => {
                        for row in &table.rows {
                            let texts: Vec<String> = row.cells.iter().map(Cell::text).collect();
                            cell.paragraphs.push(texts.join(" | "));
                        }
                    }
                    None => self.blocks.push(Block::Table(table)),
                }
            }
            _ => {}
        }
    }

    fn push_text(&mut self, s: &str) {
        if let Some((text, _)) = self.para.as_mut() {
            text.push_str(s);
        }
    }

    fn end_paragraph(&mut self) {
        let Some((raw, heading)) = self.para.take() else {
            return;
        };
        if self.lines.len() >= MAX_PARAGRAPHS {
            return;
        }
        // Source line breaks and tabs inside a paragraph are spaces.
        let raw = raw.replace(['\n', '\r', '\t'], " ");
        let text = clean::inline(&clean::line(&raw));
        let line = self.lines.len();
        self.lines.push(text.clone());
        if text.is_empty() {
            return;
        }
        match self.tables.last_mut() {
            Some(t) => {
                if let Some(cell) = t.cell.as_mut() {
                    if cell.paragraphs.is_empty() {
                        cell.line = line;
                    }
                    cell.paragraphs.push(text);
                }
            }
            None => self.blocks.push(Block::Paragraph(Paragraph {
                text,
                bold: heading.is_some(),
                heading,
                line,
                ..Paragraph::default()
            })),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    /// An .odt as LibreOffice writes it: the mimetype stored first, then `content.xml`.
    fn odt(body: &str) -> Vec<u8> {
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let stored = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        zip.start_file("mimetype", stored).unwrap();
        zip.write_all(b"application/vnd.oasis.opendocument.text")
            .unwrap();
        zip.start_file("content.xml", zip::write::SimpleFileOptions::default())
            .unwrap();
        let xml = format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"><office:body><office:text>{body}</office:text></office:body></office:document-content>"#
        );
        zip.write_all(xml.as_bytes()).unwrap();
        zip.finish().unwrap().into_inner()
    }

    fn paragraphs(doc: &Document) -> Vec<&str> {
        doc.blocks
            .iter()
            .filter_map(|b| match b {
                Block::Paragraph(p) => Some(p.text.as_str()),
                Block::Table(_) => None,
            })
            .collect()
    }

    #[test]
    fn paragraphs_headings_and_spaces() {
        let bytes = odt(
            r#"<text:h text:outline-level="2">KẾ HOẠCH</text:h><text:p>Sở<text:s text:c="2"/>Nội vụ <text:span>chủ trì</text:span><text:note><text:note-body><text:p>chú thích</text:p></text:note-body></text:note>.</text:p><text:p/>"#,
        );
        assert!(is_odt(&bytes));
        let doc = read(&bytes).unwrap();
        assert_eq!(doc.format, Format::Odt);
        assert_eq!(paragraphs(&doc), ["KẾ HOẠCH", "Sở Nội vụ chủ trì."]);
        let Block::Paragraph(h) = &doc.blocks[0] else {
            panic!("a heading first")
        };
        assert_eq!(h.heading, Some(2));
    }

    #[test]
    fn tables_keep_rows_spans_and_merges() {
        let bytes = odt(
            r#"<table:table><table:table-row><table:table-cell table:number-columns-spanned="2"><text:p>I. NHIỆM VỤ</text:p></table:table-cell><table:covered-table-cell/></table:table-row><table:table-row><table:table-cell><text:p>Rà soát</text:p></table:table-cell><table:table-cell><text:p>Sở Nội vụ</text:p><text:p>Sở Tư pháp</text:p></table:table-cell></table:table-row></table:table>"#,
        );
        let doc = read(&bytes).unwrap();
        let Block::Table(t) = &doc.blocks[0] else {
            panic!("a table")
        };
        assert_eq!(t.rows.len(), 2);
        assert_eq!(t.rows[0].cells.len(), 1);
        assert_eq!(t.rows[0].cells[0].span, 2);
        assert_eq!(t.rows[1].cells[1].text(), "Sở Nội vụ\nSở Tư pháp");
        assert_eq!(doc.lines[t.rows[1].cells[1].line], "Sở Nội vụ");
    }

    #[test]
    fn damaged_files_are_errors() {
        let bytes = odt("<text:p>Sở Nội vụ chủ trì.</text:p>");
        assert!(matches!(
            read(&bytes[..bytes.len() / 2]),
            Err(IngestError::Corrupt(_))
        ));
        assert_eq!(read(&odt("<text:p/>")).unwrap_err(), IngestError::Empty);
        assert!(matches!(
            read(&odt("<text:p>a</text:q>")),
            Err(IngestError::Corrupt(_))
        ));
    }
}
