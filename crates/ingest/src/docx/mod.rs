//! DOCX reader: `word/document.xml` with its styles and numbering.
//!
//! Only the main story is read: headers, footers, footnotes and comments are not body text.
//! Zip entry sizes in the archive header are never trusted; every part is read through a
//! byte cap, so a zip bomb ends in [`IngestError::Oversized`] with bounded memory.

mod numbering;
mod styles;
mod xml;

use std::io::{Cursor, Read};

use crate::{clean, Block, Cell, Document, Format, IngestError, Paragraph, Row, Table};
use numbering::Numbering;
use styles::{borders_visible, Styles};
use xml::{on, Node};

/// Cap on the decompressed main part; a 300-page plan is below 10 MB of XML.
pub const DOCUMENT_CAP: u64 = 64 * 1024 * 1024;
/// Cap on styles and numbering parts.
const AUX_CAP: u64 = 16 * 1024 * 1024;
/// More entries than any real document has; guards the central directory walk.
const MAX_ENTRIES: usize = 20_000;

/// Reads a .docx file.
pub fn read(bytes: &[u8]) -> Result<Document, IngestError> {
    read_with_cap(bytes, DOCUMENT_CAP)
}

/// Reads a .docx file with an explicit cap on the decompressed main part.
pub fn read_with_cap(bytes: &[u8], cap: u64) -> Result<Document, IngestError> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| IngestError::Corrupt(format!("tệp nén .docx hỏng hoặc bị cắt cụt ({e})")))?;
    if zip.len() > MAX_ENTRIES {
        return Err(IngestError::Corrupt("tệp nén có quá nhiều mục".to_string()));
    }
    let main = main_part(&mut zip);
    if zip.index_for_name(&main).is_none() {
        // An OpenDocument text whose mimetype entry is not stored first.
        if zip.index_for_name("content.xml").is_some() && zip.index_for_name("word/").is_none() {
            return crate::odt::read(bytes);
        }
        return Err(IngestError::Unsupported(not_docx_kind(&zip).to_string()));
    }
    let doc_xml = read_part(&mut zip, &main, cap)?;
    let root = xml::parse(&doc_xml, &main)?;
    drop(doc_xml);
    let styles = optional_part(&mut zip, "word/styles.xml")?
        .map(|r| Styles::parse(&r))
        .unwrap_or_default();
    let numbering = optional_part(&mut zip, "word/numbering.xml")?
        .map(|r| Numbering::parse(&r))
        .unwrap_or_default();
    let body = root
        .path(&["document", "body"])
        .ok_or_else(|| IngestError::Corrupt(format!("{main}: không có w:body")))?;
    let mut walker = Walker {
        styles: &styles,
        numbering,
        lines: Vec::new(),
        blocks: Vec::new(),
    };
    walker.body(body);
    if walker.blocks.is_empty() {
        return Err(IngestError::Empty);
    }
    Ok(Document {
        format: Format::Docx,
        lines: walker.lines,
        blocks: walker.blocks,
        warnings: Vec::new(),
        facts: Vec::new(),
    })
}

type Zip<'a> = zip::ZipArchive<Cursor<&'a [u8]>>;

/// The main part named by the package relationships (usually `word/document.xml`).
fn main_part(zip: &mut Zip<'_>) -> String {
    let fallback = "word/document.xml".to_string();
    let Ok(rels) = read_part(zip, "_rels/.rels", AUX_CAP) else {
        return fallback;
    };
    let Ok(root) = xml::parse(&rels, "_rels/.rels") else {
        return fallback;
    };
    let target = root
        .child("Relationships")
        .into_iter()
        .flat_map(|r| r.children_named("Relationship"))
        .find(|r| {
            r.attr("Type")
                .is_some_and(|t| t.ends_with("/officeDocument"))
        })
        .and_then(|r| r.attr("Target"))
        .map(|t| t.trim_start_matches('/').to_string())
        .filter(|t| zip.index_for_name(t).is_some())
        .unwrap_or(fallback);
    target
}

/// Names what a zip that is not a docx probably is, for the error message.
fn not_docx_kind(zip: &Zip<'_>) -> &'static str {
    let has = |p: &str| zip.file_names().any(|n| n.starts_with(p));
    if has("xl/") {
        "bảng tính Excel (.xlsx)"
    } else if has("ppt/") {
        "trình chiếu PowerPoint (.pptx)"
    } else if zip.index_for_name("content.xml").is_some() {
        "OpenDocument (.odt), hãy lưu lại thành .docx"
    } else {
        "tệp nén .zip không phải văn bản .docx"
    }
}

fn read_part(zip: &mut Zip<'_>, name: &str, cap: u64) -> Result<Vec<u8>, IngestError> {
    let file = zip.by_name(name).map_err(|e| match e {
        zip::result::ZipError::UnsupportedArchive(m) if m.contains("assword") => {
            IngestError::Encrypted
        }
        e => IngestError::Corrupt(format!("{name}: {e}")),
    })?;
    if file.encrypted() {
        return Err(IngestError::Encrypted);
    }
    let mut buf = Vec::new();
    file.take(cap + 1)
        .read_to_end(&mut buf)
        .map_err(|e| IngestError::Corrupt(format!("{name}: {e}")))?;
    if buf.len() as u64 > cap {
        return Err(IngestError::Oversized(cap));
    }
    Ok(buf)
}

/// Styles and numbering are optional; a damaged one is ignored rather than failing the read.
fn optional_part(zip: &mut Zip<'_>, name: &str) -> Result<Option<Node>, IngestError> {
    if zip.index_for_name(name).is_none() {
        return Ok(None);
    }
    match read_part(zip, name, AUX_CAP) {
        Ok(bytes) => Ok(xml::parse(&bytes, name).ok()),
        Err(e @ (IngestError::Oversized(_) | IngestError::Encrypted)) => Err(e),
        Err(_) => Ok(None),
    }
}

/// A piece of paragraph content in order.
enum Piece {
    /// `sup`: superscript; `raise`: the run's `w:position` (LibreOffice's superscript).
    Text {
        text: String,
        bold: bool,
        sup: bool,
        raise: i32,
    },
    Break,
}

struct Walker<'a> {
    styles: &'a Styles,
    numbering: Numbering,
    lines: Vec<String>,
    blocks: Vec<Block>,
}

impl Walker<'_> {
    fn push_line(&mut self, s: String) -> usize {
        self.lines.push(s);
        self.lines.len() - 1
    }

    fn body(&mut self, node: &Node) {
        for c in &node.children {
            match c.name.as_str() {
                "p" => {
                    for mut p in self.paragraph(c) {
                        p.line = self.push_line(p.full_text());
                        self.blocks.push(Block::Paragraph(p));
                    }
                }
                "tbl" => {
                    let t = self.table(c);
                    if !t.rows.is_empty() {
                        self.blocks.push(Block::Table(t));
                    }
                }
                "pPr" | "rPr" | "tblPr" => {}
                _ => self.body(c),
            }
        }
    }

    /// One `w:p`, split where a soft break separates lines that must stay apart.
    fn paragraph(&mut self, node: &Node) -> Vec<Paragraph> {
        let ppr = node.child("pPr");
        let style = ppr.and_then(|p| p.child_val("pStyle"));
        let label = self.label(ppr, style);
        let para_bold = self.styles.bold(style);
        let mut pieces = Vec::new();
        self.inline(node, para_bold, &mut pieces);

        let centered = ppr
            .and_then(|p| p.child_val("jc"))
            .map(|v| v == "center")
            .unwrap_or_else(|| self.styles.centered(style));
        let heading = ppr
            .and_then(|p| p.child_val("outlineLvl"))
            .and_then(|v| v.parse::<u8>().ok())
            .filter(|&o| o < 9)
            .map(|o| o + 1)
            .or_else(|| self.styles.heading(style));

        let mut segments: Vec<(String, bool)> = vec![(String::new(), true)];
        let mut any_text = false;
        let mut prev_raise = 0;
        for piece in pieces {
            match piece {
                Piece::Break => segments.push((String::new(), true)),
                Piece::Text {
                    text,
                    bold,
                    sup,
                    raise,
                } => {
                    let Some(seg) = segments.last_mut() else {
                        continue;
                    };
                    let glued = seg.0.chars().last().is_some_and(|c| !c.is_whitespace())
                        && !text.starts_with(char::is_whitespace);
                    let marker = (1..=3).contains(&text.len())
                        && text.chars().all(|c| c.is_ascii_digit() || c == '*');
                    let raised = sup || raise > prev_raise;
                    prev_raise = raise;
                    if raised && glued && marker {
                        // A footnote-style marker glued to a word ("lại¹").
                        continue;
                    }
                    if !text.trim().is_empty() {
                        seg.1 &= bold;
                        any_text = true;
                    }
                    seg.0.push_str(&text);
                }
            }
        }
        let mut merged: Vec<(String, bool)> = Vec::new();
        for (text, bold) in segments {
            let text = clean::inline(&text);
            match merged.last_mut() {
                Some(prev) if !keep_break(&prev.0, &text) => {
                    if !text.is_empty() {
                        if !prev.0.is_empty() {
                            prev.0.push(' ');
                        }
                        prev.0.push_str(&text);
                        prev.1 &= bold;
                    }
                }
                _ => merged.push((text, bold)),
            }
        }
        let mut out = Vec::new();
        let mut label = label;
        for (text, bold) in merged {
            if text.is_empty() && label.is_none() {
                continue;
            }
            out.push(Paragraph {
                text,
                label: label.take(),
                bold: any_text && bold,
                heading,
                centered,
                line: 0,
            });
        }
        out
    }

    fn label(&mut self, ppr: Option<&Node>, style: Option<&str>) -> Option<String> {
        let num_pr = ppr.and_then(|p| p.child("numPr"));
        let style_num = self.styles.numbering(style);
        let num_id = num_pr
            .and_then(|n| n.child_val("numId"))
            .map(str::to_string)
            .or_else(|| style_num.as_ref().map(|(id, _)| id.clone()))?;
        if num_id == "0" {
            return None;
        }
        let lvl = num_pr
            .and_then(|n| n.child_val("ilvl"))
            .and_then(|v| v.parse().ok())
            .or_else(|| style_num.as_ref().map(|(_, l)| *l))
            .unwrap_or(0);
        self.numbering.next_label(&num_id, lvl)
    }

    /// Collects the text of runs at any depth (hyperlinks, smart tags, insertions, simple
    /// fields, content controls …); deleted text and field codes were pruned while parsing.
    fn inline(&self, node: &Node, para_bold: bool, out: &mut Vec<Piece>) {
        for c in &node.children {
            match c.name.as_str() {
                "r" => self.run(c, para_bold, out),
                "pPr" | "rPr" => {}
                _ => self.inline(c, para_bold, out),
            }
        }
    }

    fn run(&self, r: &Node, para_bold: bool, out: &mut Vec<Piece>) {
        let rpr = r.child("rPr");
        let bold = on(rpr.and_then(|p| p.child("b")))
            .or_else(|| {
                rpr.and_then(|p| p.child_val("rStyle"))
                    .and_then(|s| self.styles.run_bold(s))
            })
            .unwrap_or(para_bold);
        let sup = rpr
            .and_then(|p| p.child_val("vertAlign"))
            .is_some_and(|v| v == "superscript");
        // LibreOffice writes superscript as a raised position rather than vertAlign.
        let raise = rpr
            .and_then(|p| p.child_val("position"))
            .and_then(|v| v.parse::<i32>().ok())
            .unwrap_or(0);
        let hidden = on(rpr.and_then(|p| p.child("vanish"))).unwrap_or(false);
        if hidden {
            return;
        }
        let text = |s: &str| Piece::Text {
            text: s.to_string(),
            bold,
            sup,
            raise,
        };
        for c in &r.children {
            match c.name.as_str() {
                "t" => out.push(text(&c.text)),
                "tab" | "ptab" => out.push(text(" ")),
                "noBreakHyphen" => out.push(text("-")),
                "br" => match c.attr("type") {
                    Some("page" | "column") => out.push(text(" ")),
                    _ => out.push(Piece::Break),
                },
                "cr" => out.push(Piece::Break),
                _ => {}
            }
        }
    }

    fn table(&mut self, node: &Node) -> Table {
        let line = self.lines.len();
        let tbl_pr = node.child("tblPr");
        let style = tbl_pr.and_then(|p| p.child_val("tblStyle"));
        let table_borders = tbl_pr
            .and_then(|p| p.child("tblBorders"))
            .map(borders_visible)
            .or_else(|| self.styles.table_borders(style))
            .unwrap_or(false);
        let mut any_cell_border = false;
        let mut all_cells_nil = true;
        let mut rows = Vec::new();
        for tr in collect(node, "tr") {
            let tr_pr = tr.child("trPr");
            let header = on(tr_pr.and_then(|p| p.child("tblHeader"))).unwrap_or(false);
            let mut cells = Vec::new();
            if let Some(n) = tr_pr
                .and_then(|p| p.child_val("gridBefore"))
                .and_then(|v| v.parse::<u32>().ok())
                .filter(|&n| n > 0)
            {
                cells.push(Cell {
                    paragraphs: Vec::new(),
                    span: n.min(64),
                    merged_above: false,
                    line: self.push_line(String::new()),
                });
            }
            for tc in collect(tr, "tc") {
                let tc_pr = tc.child("tcPr");
                let span = tc_pr
                    .and_then(|p| p.child_val("gridSpan"))
                    .and_then(|v| v.parse::<u32>().ok())
                    .unwrap_or(1)
                    .clamp(1, 64);
                let merged_above = tc_pr
                    .and_then(|p| p.child("vMerge"))
                    .is_some_and(|v| v.attr("val").is_none_or(|v| v == "continue"));
                match tc_pr.and_then(|p| p.child("tcBorders")) {
                    Some(b) if borders_visible(b) => {
                        any_cell_border = true;
                        all_cells_nil = false;
                    }
                    Some(b) if b.children.len() >= 4 => {}
                    _ => all_cells_nil = false,
                }
                let mut paragraphs = Vec::new();
                self.cell_paragraphs(tc, &mut paragraphs);
                let first = self.lines.len();
                for p in &paragraphs {
                    self.push_line(p.clone());
                }
                if paragraphs.is_empty() {
                    self.push_line(String::new());
                }
                cells.push(Cell {
                    paragraphs,
                    span,
                    merged_above,
                    line: first,
                });
            }
            if !cells.is_empty() {
                rows.push(Row { cells, header });
            }
        }
        let visible = any_cell_border || (table_borders && !all_cells_nil);
        Table {
            rows,
            layout: !visible,
            line,
        }
    }

    /// Paragraph texts of a cell; nested tables are flattened into the cell, cell by cell.
    fn cell_paragraphs(&mut self, node: &Node, out: &mut Vec<String>) {
        for c in &node.children {
            match c.name.as_str() {
                "p" => out.extend(self.paragraph(c).iter().map(Paragraph::full_text)),
                "tcPr" | "tblPr" | "trPr" | "pPr" => {}
                _ => self.cell_paragraphs(c, out),
            }
        }
    }
}

/// Elements named `name` among the children, looking through content controls and custom
/// XML wrappers (`w:sdt`, `w:customXml`) but not into nested tables.
fn collect<'a>(node: &'a Node, name: &str) -> Vec<&'a Node> {
    let mut out = Vec::new();
    for c in &node.children {
        if c.name == name {
            out.push(c);
        } else if matches!(
            c.name.as_str(),
            "sdt" | "sdtContent" | "customXml" | "ins" | "moveTo"
        ) {
            out.extend(collect(c, name));
        }
    }
    out
}

/// Whether a soft line break (`w:br`) separates two lines that must stay apart. Text pasted
/// from a PDF carries breaks in the middle of sentences, which are joined; capacity lines
/// ("KT. CHỦ TỊCH" ⏎ "PHÓ CHỦ TỊCH"), finished sentences and list items stay apart.
fn keep_break(before: &str, after: &str) -> bool {
    if before.is_empty() || after.is_empty() {
        return false;
    }
    if clean::is_caps_line(before) {
        return true;
    }
    if after.chars().next().is_some_and(char::is_lowercase) {
        return false;
    }
    before.ends_with(['.', ':', ';', '!', '?']) || clean::starts_with_list_marker(after)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn soft_breaks() {
        assert!(keep_break("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"));
        assert!(!keep_break("các cơ quan, đơn vị", "liên quan thực hiện"));
        assert!(!keep_break("Ủy ban nhân dân tỉnh ban", "hành kế hoạch"));
        assert!(keep_break("thực hiện như sau:", "1. Mục đích"));
        assert!(keep_break("nội dung", "- Sở Nội vụ"));
    }
}
