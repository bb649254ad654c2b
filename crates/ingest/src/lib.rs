//! Readers that turn an office file (.txt, .md, .docx, .pdf) into one neutral [`Document`]:
//! the text as numbered lines (what a reviewer sees) and the same content as blocks
//! (paragraphs and tables) that point back into those lines.
//!
//! Readers never panic on input; anything unusable is an [`IngestError`] with a Vietnamese
//! message meant for the person who uploaded the file.

use serde::Serialize;

/// The file formats tinhgon reads, chosen from the content (magic bytes), not only the name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    /// Plain text (UTF-8 with or without BOM, UTF-16 with BOM).
    Text,
    /// Markdown; headings and emphasis markers are stripped into block styles.
    Markdown,
    /// Office Open XML word-processing document.
    Docx,
    /// PDF with a text layer.
    Pdf,
}

/// A read document: its lines and its blocks.
#[derive(Debug, Clone, Serialize)]
pub struct Document {
    /// Detected format.
    pub format: Format,
    /// The document as plain NFC text lines; every block's `line` indexes into this (0-based).
    pub lines: Vec<String>,
    /// Paragraphs and tables in reading order (headers, footers and page furniture removed).
    pub blocks: Vec<Block>,
    /// Things the reader noticed and repaired or could not repair (Vietnamese).
    pub warnings: Vec<String>,
}

/// One unit of content in reading order.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Block {
    /// A paragraph (one logical paragraph, line wrapping already undone).
    Paragraph(Paragraph),
    /// A real table (docx `w:tbl`; a PDF table is reported as paragraphs).
    Table(Table),
}

/// A paragraph with the little formatting the extractor uses.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Paragraph {
    /// Text without the automatic numbering label, NFC, single-spaced, trimmed.
    pub text: String,
    /// Word's automatic numbering as rendered ("1.", "a)", "II."), when the paragraph has one.
    pub label: Option<String>,
    /// Every run is bold (headings in plans are bold).
    pub bold: bool,
    /// Markdown heading level or Word heading style level.
    pub heading: Option<u8>,
    /// Centered paragraph (titles, "KẾ HOẠCH", the motto).
    pub centered: bool,
    /// Index of this paragraph's first line in [`Document::lines`].
    pub line: usize,
}

impl Paragraph {
    /// The paragraph as a reader sees it: numbering label then text.
    pub fn full_text(&self) -> String {
        match &self.label {
            Some(l) if !self.text.is_empty() => format!("{l} {}", self.text),
            Some(l) => l.clone(),
            None => self.text.clone(),
        }
    }
}

/// A table with merged cells already laid out on the grid.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Table {
    /// Rows in order.
    pub rows: Vec<Row>,
    /// True when the table has no borders and sits before the body: the state header
    /// (issuer | motto) or the signature block (Nơi nhận | signer).
    pub layout: bool,
    /// Index of the table's first line in [`Document::lines`].
    pub line: usize,
}

/// One table row.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Row {
    /// Cells in grid order.
    pub cells: Vec<Cell>,
    /// Marked as a repeating header row (`w:tblHeader`).
    pub header: bool,
}

/// One table cell.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Cell {
    /// The cell's paragraphs, each with its numbering label prefixed.
    pub paragraphs: Vec<String>,
    /// Grid columns this cell spans (`gridSpan`), at least 1.
    pub span: u32,
    /// Continuation of a vertically merged cell above (`vMerge` without restart).
    pub merged_above: bool,
    /// Index of the cell's first line in [`Document::lines`].
    pub line: usize,
}

impl Cell {
    /// The cell's paragraphs joined by newlines.
    pub fn text(&self) -> String {
        self.paragraphs.join("\n")
    }
}

/// Why a file could not be read. Display strings are the Vietnamese messages users see.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum IngestError {
    /// Zero bytes or only whitespace.
    #[error("tệp rỗng, không có nội dung")]
    Empty,
    /// Larger than the reader accepts.
    #[error("tệp quá lớn ({size} byte), giới hạn là {limit} byte")]
    TooLarge {
        /// Size of the input.
        size: u64,
        /// Configured limit.
        limit: u64,
    },
    /// Not a format we read.
    #[error("định dạng tệp không được hỗ trợ: {0} (chỉ nhận .docx, .pdf, .txt, .md)")]
    Unsupported(String),
    /// A PDF with no text layer.
    #[error("tài liệu là ảnh quét, không có lớp văn bản")]
    Scanned,
    /// A PDF whose text layer decodes to glyph codes instead of letters.
    #[error("lớp văn bản của PDF bị hỏng (mã glyph không giải mã được), cần nhận dạng ký tự (OCR) hoặc bản .docx")]
    BrokenTextLayer,
    /// Text in a legacy Vietnamese font encoding that we do not convert.
    #[error("văn bản dùng bảng mã cũ {0}, hãy chuyển sang Unicode trước khi tải lên")]
    LegacyEncoding(String),
    /// Damaged or truncated container, bad XML, invalid UTF-8 and the like.
    #[error("tệp bị hỏng hoặc không đọc được: {0}")]
    Corrupt(String),
}
