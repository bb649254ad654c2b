//! Lines and blocks built while walking a markup document (.odt, .html): a paragraph goes
//! to the body or to the table cell being read, and tables open, nest and close the same
//! way whatever the markup.

use crate::{clean, Block, Cell, Document, Format, IngestError, Paragraph, Row, Table};

/// More paragraphs than any real document has.
const MAX_PARAGRAPHS: usize = 2_000_000;
/// Deeper table nesting than any real document has.
const MAX_TABLE_DEPTH: usize = 16;

/// A table being read: its rows, the row and cell under construction, and the columns a
/// row span above still covers (column, rows left, span).
#[derive(Default)]
pub(crate) struct OpenTable {
    pub table: Table,
    pub row: Option<Row>,
    pub cell: Option<Cell>,
    pub covered: Vec<(usize, u32, u32)>,
}

/// The document being built.
#[derive(Default)]
pub(crate) struct Builder {
    pub lines: Vec<String>,
    pub blocks: Vec<Block>,
    pub tables: Vec<OpenTable>,
}

impl Builder {
    /// The innermost table being read.
    pub fn table(&mut self) -> Option<&mut OpenTable> {
        self.tables.last_mut()
    }

    /// Adds a paragraph's text: one line, in the body or in the cell being read.
    pub fn paragraph(&mut self, raw: &str, heading: Option<u8>, bold: bool) {
        // Source line breaks and tabs inside a paragraph are spaces.
        let raw = raw.replace(['\n', '\r', '\t'], " ");
        let text = clean::inline(&clean::line(&raw));
        if text.is_empty() || self.lines.len() >= MAX_PARAGRAPHS {
            return;
        }
        let line = self.lines.len();
        self.lines.push(text.clone());
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
                bold: bold || heading.is_some(),
                heading,
                line,
                ..Paragraph::default()
            })),
        }
    }

    /// Starts a table, inside the cell being read if there is one.
    pub fn open_table(&mut self) -> Result<(), IngestError> {
        if self.tables.len() >= MAX_TABLE_DEPTH {
            return Err(IngestError::Corrupt("bảng lồng nhau quá sâu".to_string()));
        }
        self.tables.push(OpenTable::default());
        Ok(())
    }

    /// Starts a cell of the current row (a row is started if none is open).
    pub fn open_cell(&mut self, span: u32, merged_above: bool) {
        let line = self.lines.len();
        if let Some(t) = self.tables.last_mut() {
            t.row.get_or_insert_with(Row::default);
            t.cell = Some(Cell {
                span: span.clamp(1, 1000),
                merged_above,
                line,
                ..Cell::default()
            });
        }
    }

    /// Puts the cell being read into its row.
    pub fn end_cell(&mut self) {
        if let Some(t) = self.tables.last_mut() {
            if let (Some(cell), Some(row)) = (t.cell.take(), t.row.as_mut()) {
                row.cells.push(cell);
            }
        }
    }

    /// Puts the row being read into its table, unless all its cells are empty.
    pub fn end_row(&mut self) {
        if let Some(t) = self.tables.last_mut() {
            if let Some(row) = t.row.take() {
                if row.cells.iter().any(|c| !c.paragraphs.is_empty()) {
                    t.table.rows.push(row);
                }
            }
        }
    }

    /// Closes the innermost table: a block of the body, or text of the cell it sits in.
    pub fn end_table(&mut self) {
        self.end_cell();
        self.end_row();
        let Some(open) = self.tables.pop() else {
            return;
        };
        let mut table = open.table;
        if table.rows.is_empty() {
            return;
        }
        // Empty and merged cells point at the line after the last paragraph read, which
        // may not exist: they belong to the last line.
        let last = self.lines.len().saturating_sub(1);
        for c in table.rows.iter_mut().flat_map(|r| r.cells.iter_mut()) {
            c.line = c.line.min(last);
        }
        table.line = table
            .rows
            .first()
            .and_then(|r| r.cells.first())
            .map_or(last, |c| c.line);
        match self.tables.last_mut().and_then(|t| t.cell.as_mut()) {
            // A table inside a cell (page layout): its text joins the cell, row by row.
            Some(cell) => {
                for row in &table.rows {
                    let texts: Vec<String> = row.cells.iter().map(Cell::text).collect();
                    cell.paragraphs.push(texts.join(" | "));
                }
            }
            None => self.blocks.push(Block::Table(table)),
        }
    }

    /// The document, once every open table is closed; nothing read is an empty document.
    pub fn finish(
        mut self,
        format: Format,
        warnings: Vec<String>,
    ) -> Result<Document, IngestError> {
        while !self.tables.is_empty() {
            self.end_table();
        }
        if self.blocks.is_empty() {
            return Err(IngestError::Empty);
        }
        Ok(Document {
            format,
            lines: self.lines,
            blocks: self.blocks,
            warnings,
            facts: Vec::new(),
        })
    }
}

/// The texts of a document's body paragraphs, for the readers' tests.
#[cfg(test)]
pub(crate) fn paragraphs(doc: &Document) -> Vec<&str> {
    doc.blocks
        .iter()
        .filter_map(|b| match b {
            Block::Paragraph(p) => Some(p.text.as_str()),
            Block::Table(_) => None,
        })
        .collect()
}
