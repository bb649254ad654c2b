//! Tables: bordered data tables with repeated header rows, and borderless layout tables.

use super::layout::{Align, Font, ParaFmt, Run, Xml};

/// Vertical merge state of a header cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VMerge {
    /// Not merged.
    No,
    /// First cell of a vertical merge.
    Start,
    /// Continuation of the merge above (its text is ignored).
    Continue,
}

/// A cell of a header row.
#[derive(Debug, Clone)]
pub struct HeadCell {
    /// Label.
    pub text: String,
    /// Number of grid columns spanned.
    pub span: usize,
    /// Vertical merge state.
    pub merge: VMerge,
}

impl HeadCell {
    /// A one-column header cell.
    pub fn new(text: &str) -> HeadCell {
        HeadCell {
            text: text.to_string(),
            span: 1,
            merge: VMerge::No,
        }
    }
    /// A header cell spanning columns.
    pub fn span(text: &str, span: usize) -> HeadCell {
        HeadCell {
            span,
            ..HeadCell::new(text)
        }
    }
    /// A header cell merged down into the next header row.
    pub fn tall(text: &str) -> HeadCell {
        HeadCell {
            merge: VMerge::Start,
            ..HeadCell::new(text)
        }
    }
    /// The lower half of a [`HeadCell::tall`] cell.
    pub fn below() -> HeadCell {
        HeadCell {
            merge: VMerge::Continue,
            ..HeadCell::new("")
        }
    }
}

/// A body cell.
#[derive(Debug, Clone)]
pub struct Cell {
    /// Text.
    pub text: String,
    /// Alignment.
    pub align: Align,
    /// Bold (totals rows).
    pub bold: bool,
}

impl Cell {
    /// Left-aligned text.
    pub fn left(text: impl Into<String>) -> Cell {
        Cell {
            text: text.into(),
            align: Align::Left,
            bold: false,
        }
    }
    /// Centred text (numbers, dates, references).
    pub fn center(text: impl Into<String>) -> Cell {
        Cell {
            text: text.into(),
            align: Align::Center,
            bold: false,
        }
    }
    /// The same cell in bold.
    pub fn bold(mut self) -> Cell {
        self.bold = true;
        self
    }
}

const BORDER: &str = "w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"";
const NO_BORDER: &str = "w:val=\"nil\"";

fn table_start(x: &mut Xml, widths: &[u32], border: &str, cell_margin: u32) {
    let total: u32 = widths.iter().sum();
    x.raw(&format!(
        "<w:tbl><w:tblPr><w:tblW w:w=\"{total}\" w:type=\"dxa\"/><w:jc w:val=\"center\"/>\
         <w:tblBorders><w:top {border}/><w:left {border}/><w:bottom {border}/><w:right {border}/>\
         <w:insideH {border}/><w:insideV {border}/></w:tblBorders>\
         <w:tblLayout w:type=\"fixed\"/>\
         <w:tblCellMar><w:left w:w=\"{cell_margin}\" w:type=\"dxa\"/><w:right w:w=\"{cell_margin}\" w:type=\"dxa\"/></w:tblCellMar>\
         <w:tblLook w:val=\"0000\" w:firstRow=\"0\" w:lastRow=\"0\" w:firstColumn=\"0\" w:lastColumn=\"0\" w:noHBand=\"1\" w:noVBand=\"1\"/>\
         </w:tblPr><w:tblGrid>"
    ));
    for w in widths {
        x.raw(&format!("<w:gridCol w:w=\"{w}\"/>"));
    }
    x.raw("</w:tblGrid>");
}

/// A bordered table: `head` rows repeat on every page and do not split; body rows follow.
pub fn data_table(
    x: &mut Xml,
    widths: &[u32],
    head: &[Vec<HeadCell>],
    rows: &[Vec<Cell>],
    size: u32,
) {
    data_table_sized(x, widths, head, rows, size, size);
}

/// [`data_table`] with a separate header font size, for tables with many narrow columns.
pub fn data_table_sized(
    x: &mut Xml,
    widths: &[u32],
    head: &[Vec<HeadCell>],
    rows: &[Vec<Cell>],
    head_size: u32,
    size: u32,
) {
    table_start(x, widths, BORDER, 57);
    let cell_para = ParaFmt::LEFT.before(40).after(40);
    for row in head {
        x.raw("<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>");
        let mut col = 0usize;
        for cell in row {
            let span = cell.span.max(1);
            let width: u32 = widths.iter().skip(col).take(span).sum();
            col += span;
            x.raw(&format!(
                "<w:tc><w:tcPr><w:tcW w:w=\"{width}\" w:type=\"dxa\"/>"
            ));
            if span > 1 {
                x.raw(&format!("<w:gridSpan w:val=\"{span}\"/>"));
            }
            match cell.merge {
                VMerge::No => {}
                VMerge::Start => x.raw("<w:vMerge w:val=\"restart\"/>"),
                VMerge::Continue => x.raw("<w:vMerge/>"),
            }
            x.raw("<w:vAlign w:val=\"center\"/></w:tcPr>");
            let text = if cell.merge == VMerge::Continue {
                ""
            } else {
                cell.text.as_str()
            };
            x.text(
                &cell_para.aligned(Align::Center),
                text,
                Font::bold(head_size),
            );
            x.raw("</w:tc>");
        }
        x.raw("</w:tr>");
    }
    for row in rows {
        x.raw("<w:tr><w:trPr><w:cantSplit/></w:trPr>");
        for (cell, width) in row.iter().zip(widths) {
            x.raw(&format!(
                "<w:tc><w:tcPr><w:tcW w:w=\"{width}\" w:type=\"dxa\"/></w:tcPr>"
            ));
            let font = if cell.bold {
                Font::bold(size)
            } else {
                Font::plain(size)
            };
            x.para(
                &cell_para.aligned(cell.align),
                &[Run::new(&cell.text, font)],
            );
            x.raw("</w:tc>");
        }
        x.raw("</w:tr>");
    }
    x.raw("</w:tbl>");
}

/// A borderless one-row layout table whose cells hold ready-made paragraph markup
/// (the national header, the recipients and signature block).
pub fn layout_table(x: &mut Xml, widths: &[u32], cells: &[String]) {
    table_start(x, widths, NO_BORDER, 57);
    x.raw("<w:tr><w:trPr><w:cantSplit/></w:trPr>");
    for (inner, width) in cells.iter().zip(widths) {
        x.raw(&format!(
            "<w:tc><w:tcPr><w:tcW w:w=\"{width}\" w:type=\"dxa\"/></w:tcPr>"
        ));
        // A table cell must end with a paragraph.
        if inner.is_empty() {
            x.raw("<w:p/>");
        } else {
            x.raw(inner);
        }
        x.raw("</w:tc>");
    }
    x.raw("</w:tr></w:tbl>");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_rows_repeat_and_spans_sum_widths() {
        let mut x = Xml::new();
        data_table(
            &mut x,
            &[100, 200, 300],
            &[
                vec![HeadCell::tall("A"), HeadCell::span("B", 2)],
                vec![HeadCell::below(), HeadCell::new("b1"), HeadCell::new("b2")],
            ],
            &[vec![Cell::center("1"), Cell::left("x"), Cell::left("y")]],
            24,
        );
        let s = x.into_string();
        assert_eq!(s.matches("<w:tblHeader/>").count(), 2);
        assert!(s.contains("<w:tcW w:w=\"500\" w:type=\"dxa\"/><w:gridSpan w:val=\"2\"/>"));
        assert!(s.contains("<w:vMerge w:val=\"restart\"/>"));
        assert_eq!(s.matches("<w:tr>").count(), 3);
    }

    #[test]
    fn layout_table_has_no_borders() {
        let mut x = Xml::new();
        layout_table(&mut x, &[10, 20], &[String::new(), String::new()]);
        let s = x.into_string();
        assert!(s.contains("<w:top w:val=\"nil\"/>"));
        assert!(!s.contains("w:val=\"single\""));
    }
}
