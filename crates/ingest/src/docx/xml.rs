//! A small element tree over quick-xml, pruned while parsing.
//!
//! Names are kept without their namespace prefix (`w:p` → `p`): Word, LibreOffice and
//! Google Docs all use `w`, but nothing guarantees it. Subtrees that never hold body text
//! (deleted runs, field instructions, drawings and their VML fallbacks) are skipped while
//! parsing, which keeps the tree small and the later walk simple.

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use crate::IngestError;

/// Maximum number of elements kept from one XML part; a real 100-page plan has ~200 000.
const MAX_NODES: usize = 4_000_000;
/// Maximum nesting depth (Word itself stops far below this).
const MAX_DEPTH: usize = 256;

/// One XML element.
#[derive(Debug, Default)]
pub struct Node {
    /// Local name (prefix dropped).
    pub name: String,
    /// Attributes by local name.
    pub attrs: Vec<(String, String)>,
    /// Child elements in order.
    pub children: Vec<Node>,
    /// Character data, kept only for text elements (`t`, `delText` is skipped).
    pub text: String,
}

impl Node {
    /// Attribute value by local name.
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// First child with this local name.
    pub fn child(&self, name: &str) -> Option<&Node> {
        self.children.iter().find(|c| c.name == name)
    }

    /// Follows a path of child names.
    pub fn path(&self, names: &[&str]) -> Option<&Node> {
        names.iter().try_fold(self, |n, name| n.child(name))
    }

    /// `w:val` of a child element, e.g. `pPr.child_val("jc")`.
    pub fn child_val(&self, name: &str) -> Option<&str> {
        self.child(name).and_then(|c| c.attr("val"))
    }

    /// Children with this local name.
    pub fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Node> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }
}

/// On/off properties (`<w:b/>`, `<w:b w:val="0"/>`).
pub fn on(node: Option<&Node>) -> Option<bool> {
    node.map(|n| !matches!(n.attr("val"), Some("0" | "false" | "off" | "none")))
}

/// Elements whose whole subtree is dropped.
fn skipped(name: &str) -> bool {
    matches!(
        name,
        "del"
            | "delText"
            | "delInstrText"
            | "moveFrom"
            | "instrText"
            | "drawing"
            | "pict"
            | "object"
            | "Fallback"
            | "rPrChange"
            | "pPrChange"
            | "tblPrChange"
            | "trPrChange"
            | "tcPrChange"
            | "sectPrChange"
            | "footnoteReference"
            | "endnoteReference"
            | "commentReference"
            | "sectPr"
            | "bookmarkStart"
            | "bookmarkEnd"
            | "proofErr"
            | "lastRenderedPageBreak"
            | "rsid"
    )
}

fn local(qname: &[u8]) -> String {
    let l = match qname.iter().position(|&b| b == b':') {
        Some(i) => &qname[i + 1..],
        None => qname,
    };
    String::from_utf8_lossy(l).into_owned()
}

fn element(e: &BytesStart<'_>) -> Node {
    let attrs = e
        .attributes()
        .flatten()
        .map(|a| {
            // Not `unescape_value`: it disappears when another crate in the build turns on
            // quick-xml's `encoding` feature (calamine does), and docx parts are UTF-8 anyway.
            let v = std::str::from_utf8(&a.value)
                .ok()
                .and_then(|raw| quick_xml::escape::unescape(raw).ok())
                .map(|v| v.into_owned())
                .unwrap_or_else(|| String::from_utf8_lossy(&a.value).into_owned());
            (local(a.key.as_ref()), v)
        })
        .collect();
    Node {
        name: local(e.name().as_ref()),
        attrs,
        ..Node::default()
    }
}

/// Parses an XML part into a tree rooted at a synthetic node whose children are the
/// document's top-level elements.
pub fn parse(xml: &[u8], part: &str) -> Result<Node, IngestError> {
    let mut reader = Reader::from_reader(xml);
    reader.config_mut().trim_text(false);
    let corrupt = |what: String| IngestError::Corrupt(format!("{part}: {what}"));
    let mut stack: Vec<Node> = vec![Node::default()];
    let mut skip_depth = 0usize;
    let mut count = 0usize;
    let mut buf = Vec::new();
    loop {
        let event = reader.read_event_into(&mut buf).map_err(|e| {
            corrupt(format!(
                "XML lỗi ở vị trí {}: {e}",
                reader.buffer_position()
            ))
        })?;
        match event {
            Event::Start(e) => {
                if skip_depth > 0 {
                    skip_depth += 1;
                } else if skipped(&local(e.name().as_ref())) {
                    skip_depth = 1;
                } else {
                    count += 1;
                    if count > MAX_NODES || stack.len() > MAX_DEPTH {
                        return Err(corrupt("cấu trúc XML quá lớn hoặc quá sâu".into()));
                    }
                    stack.push(element(&e));
                }
            }
            Event::Empty(e) if skip_depth == 0 && !skipped(&local(e.name().as_ref())) => {
                count += 1;
                if count > MAX_NODES {
                    return Err(corrupt("cấu trúc XML quá lớn".into()));
                }
                let node = element(&e);
                if let Some(top) = stack.last_mut() {
                    top.children.push(node);
                }
            }
            Event::End(_) => {
                if skip_depth > 0 {
                    skip_depth -= 1;
                } else if stack.len() > 1 {
                    if let Some(node) = stack.pop() {
                        if let Some(top) = stack.last_mut() {
                            top.children.push(node);
                        }
                    }
                }
            }
            Event::Text(t) if skip_depth == 0 => {
                if let Some(top) = stack.last_mut().filter(|n| n.name == "t") {
                    match t.unescape() {
                        Ok(s) => top.text.push_str(&s),
                        Err(_) => top.text.push_str(&String::from_utf8_lossy(&t)),
                    }
                }
            }
            Event::CData(t) if skip_depth == 0 => {
                if let Some(top) = stack.last_mut().filter(|n| n.name == "t") {
                    top.text.push_str(&String::from_utf8_lossy(&t));
                }
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    // Unclosed elements (truncated part): keep what was read.
    while stack.len() > 1 {
        if let Some(node) = stack.pop() {
            if let Some(top) = stack.last_mut() {
                top.children.push(node);
            }
        }
    }
    stack.pop().ok_or_else(|| corrupt("XML rỗng".to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prunes_deleted_and_instruction_text() {
        let xml = br#"<w:document xmlns:w="x"><w:body><w:p><w:r><w:t xml:space="preserve">A &amp; </w:t></w:r><w:del><w:r><w:delText>gone</w:delText></w:r></w:del><w:r><w:instrText>PAGE</w:instrText></w:r><w:r><w:t>B</w:t></w:r></w:p></w:body></w:document>"#;
        let root = parse(xml, "document.xml").unwrap();
        let p = root.path(&["document", "body", "p"]).unwrap();
        let texts: Vec<&str> = p
            .children
            .iter()
            .flat_map(|r| r.children.iter())
            .map(|t| t.text.as_str())
            .collect();
        assert_eq!(texts, ["A & ", "B"]);
    }

    #[test]
    fn bad_xml_is_an_error() {
        assert!(parse(b"<a><b></a>", "x").is_err());
    }
}
