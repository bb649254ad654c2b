//! The few style properties the reader needs, resolved through `basedOn` chains:
//! bold, centered, heading level, numbering, and table borders.

use std::collections::HashMap;

use super::xml::{on, Node};

/// A style's own (not inherited) properties.
#[derive(Debug, Default, Clone)]
struct Style {
    name: String,
    based_on: Option<String>,
    bold: Option<bool>,
    centered: Option<bool>,
    outline: Option<u8>,
    num: Option<(String, u32)>,
    borders: Option<bool>,
}

/// Styles of one document.
#[derive(Debug, Default)]
pub struct Styles {
    by_id: HashMap<String, Style>,
    default_paragraph: Option<String>,
    default_table: Option<String>,
    default_bold: bool,
}

/// Whether a border element set draws anything.
pub fn borders_visible(borders: &Node) -> bool {
    borders
        .children
        .iter()
        .any(|b| !matches!(b.attr("val"), Some("nil" | "none") | None))
}

impl Styles {
    /// Parses `word/styles.xml` (its root node).
    pub fn parse(root: &Node) -> Styles {
        let mut styles = Styles::default();
        let Some(top) = root.child("styles") else {
            return styles;
        };
        styles.default_bold =
            on(top.path(&["docDefaults", "rPrDefault", "rPr", "b"])).unwrap_or(false);
        for s in top.children_named("style") {
            let Some(id) = s.attr("styleId") else {
                continue;
            };
            let ppr = s.child("pPr");
            let num = ppr.and_then(|p| p.child("numPr")).and_then(|n| {
                let id = n.child_val("numId")?.to_string();
                let lvl = n
                    .child_val("ilvl")
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(0);
                Some((id, lvl))
            });
            let style = Style {
                name: s.child_val("name").unwrap_or_default().to_string(),
                based_on: s.child_val("basedOn").map(str::to_string),
                bold: on(s.path(&["rPr", "b"])),
                centered: ppr.and_then(|p| p.child_val("jc")).map(|v| v == "center"),
                outline: ppr
                    .and_then(|p| p.child_val("outlineLvl"))
                    .and_then(|v| v.parse().ok()),
                num,
                borders: s.path(&["tblPr", "tblBorders"]).map(borders_visible),
            };
            if s.attr("default").is_some_and(|d| d == "1" || d == "true") {
                match s.attr("type") {
                    Some("paragraph") => styles.default_paragraph = Some(id.to_string()),
                    Some("table") => styles.default_table = Some(id.to_string()),
                    _ => {}
                }
            }
            styles.by_id.insert(id.to_string(), style);
        }
        styles
    }

    /// Walks the `basedOn` chain (bounded: style loops exist in damaged files) and returns
    /// the first value `f` finds.
    fn inherited<T>(&self, id: Option<&str>, f: impl Fn(&Style) -> Option<T>) -> Option<T> {
        let mut cur = id.or(self.default_paragraph.as_deref());
        for _ in 0..16 {
            let style = self.by_id.get(cur?)?;
            if let Some(v) = f(style) {
                return Some(v);
            }
            cur = style.based_on.as_deref();
        }
        None
    }

    /// Bold from a paragraph or character style.
    pub fn bold(&self, id: Option<&str>) -> bool {
        self.inherited(id, |s| s.bold).unwrap_or(self.default_bold)
    }

    /// Bold set by a character style only (`None` when the style says nothing).
    pub fn run_bold(&self, id: &str) -> Option<bool> {
        let mut cur = Some(id);
        for _ in 0..16 {
            let style = self.by_id.get(cur?)?;
            if let Some(b) = style.bold {
                return Some(b);
            }
            cur = style.based_on.as_deref();
        }
        None
    }

    /// Centered by the paragraph style.
    pub fn centered(&self, id: Option<&str>) -> bool {
        self.inherited(id, |s| s.centered).unwrap_or(false)
    }

    /// Heading level from the style name ("heading 1", "Heading 2", "Tiêu đề 1") or outline level.
    pub fn heading(&self, id: Option<&str>) -> Option<u8> {
        self.inherited(id, |s| {
            let name = s.name.to_lowercase();
            let level = ["heading ", "heading", "tiêu đề "]
                .iter()
                .find_map(|p| name.strip_prefix(p))
                .and_then(|rest| rest.trim().parse::<u8>().ok())
                .filter(|l| (1..=9).contains(l));
            level.or(s.outline.filter(|&o| o < 9).map(|o| o + 1))
        })
    }

    /// Numbering attached to the paragraph style.
    pub fn numbering(&self, id: Option<&str>) -> Option<(String, u32)> {
        self.inherited(id, |s| s.num.clone())
    }

    /// Whether the table style draws borders (`None`: the style says nothing).
    pub fn table_borders(&self, id: Option<&str>) -> Option<bool> {
        let mut cur = id.or(self.default_table.as_deref());
        for _ in 0..16 {
            let style = self.by_id.get(cur?)?;
            if let Some(b) = style.borders {
                return Some(b);
            }
            cur = style.based_on.as_deref();
        }
        None
    }
}
