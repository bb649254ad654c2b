//! OpenDocument text (.odt) reader: `content.xml` walked as a stream.
//!
//! Paragraphs (`text:p`, `text:h`) become one line each, in body and in table cells alike;
//! a table keeps its rows and cells, a cell spanning columns keeps its span and a covered
//! cell (the hidden part of a merge) is marked as merged. Notes, annotations and frames are
//! not body text. The part is read through a byte cap, as the .docx reader does.

use std::io::{Cursor, Read};

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use crate::builder::Builder;
use crate::{Document, Format, IngestError, Row};

/// Cap on the decompressed `content.xml`; a 300-page plan is far below it.
const CONTENT_CAP: u64 = 64 * 1024 * 1024;

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
    walker.out.finish(Format::Odt, Vec::new())
}

#[derive(Default)]
struct Walker {
    out: Builder,
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
                self.end_paragraph();
                self.out.open_table()?;
            }
            b"table-row" => {
                if let Some(t) = self.out.table() {
                    t.row = Some(Row::default());
                }
                if empty {
                    self.end(b"table-row");
                }
            }
            b"table-cell" | b"covered-table-cell" => {
                let span = attr(e, b"number-columns-spanned")
                    .and_then(|s| s.parse::<u32>().ok())
                    .unwrap_or(1);
                self.out.open_cell(span, name == b"covered-table-cell");
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
                if let Some(t) = self.out.table() {
                    // A covered cell beside a cell spanning columns is the hidden part of
                    // that merge, not a cell of its own.
                    let hidden = t
                        .cell
                        .as_ref()
                        .is_some_and(|c| c.merged_above && c.paragraphs.is_empty())
                        && t.row
                            .as_ref()
                            .and_then(|r| r.cells.last())
                            .is_some_and(|c| c.span > 1);
                    if hidden {
                        t.cell = None;
                    }
                }
                self.out.end_cell();
            }
            b"table-row" => self.out.end_row(),
            b"table" => {
                self.end_paragraph();
                self.out.end_table();
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
        if let Some((raw, heading)) = self.para.take() {
            self.out.paragraph(&raw, heading, false);
        }
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;
    use crate::builder::paragraphs;
    use crate::Block;

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
