//! Readers that turn an office file (.txt, .md, .html, .docx, .doc, .odt, .pdf) into one neutral [`Document`]:
//! the text as numbered lines (what a reviewer sees) and the same content as blocks
//! (paragraphs and tables) that point back into those lines. A spreadsheet (.xlsx, .csv) is
//! read by [`sheet`] into a grid of cells instead.
//!
//! Readers never panic on input; anything unusable is an [`IngestError`] with a Vietnamese
//! message meant for the person who uploaded the file.

use serde::Serialize;

mod builder;
mod clean;
mod detect;
mod docx;
mod html;
pub mod legacy;
mod odt;
mod pdf;
pub mod sheet;
mod text;
mod web;
mod word97;

pub use detect::detect_format;

/// Default size limit for one input file: plans are a few hundred kilobytes, a signed PDF with
/// seal images a few megabytes; 50 MB leaves room without letting one upload exhaust memory.
pub const DEFAULT_LIMIT: u64 = 50 * 1024 * 1024;

/// Reads a document with the [`DEFAULT_LIMIT`]. `file_name` is only a hint: the format is
/// chosen from the content.
pub fn read(bytes: &[u8], file_name: Option<&str>) -> Result<Document, IngestError> {
    read_with_limit(bytes, file_name, DEFAULT_LIMIT)
}

/// Reads a document, refusing inputs larger than `limit` bytes before doing any work.
pub fn read_with_limit(
    bytes: &[u8],
    file_name: Option<&str>,
    limit: u64,
) -> Result<Document, IngestError> {
    check_size(bytes.len() as u64, limit)?;
    let mut doc = match detect::detect_format(bytes, file_name)? {
        Format::Text => text::read(bytes, false),
        Format::Markdown | Format::WebText => text::read(bytes, true),
        Format::Docx => docx::read(bytes),
        Format::Odt => odt::read(bytes),
        Format::Html => html::read(bytes),
        Format::Doc => word97::read(bytes, limit),
        Format::Pdf => pdf::read(bytes),
    }?;
    repair_legacy(&mut doc);
    Ok(doc)
}

/// Converts TCVN3/VNI text found anywhere in the document (text files saved from old
/// editors, docx runs in `.VnTime`, PDFs made with legacy fonts), paragraph by paragraph.
fn repair_legacy(doc: &mut Document) {
    let Some(enc) = legacy::detect(&doc.lines.join("\n")) else {
        return;
    };
    let fix = |s: &mut String| {
        if let Some(u) = legacy::convert_part(s, enc) {
            *s = u;
        }
    };
    doc.lines.iter_mut().for_each(fix);
    for block in &mut doc.blocks {
        match block {
            Block::Paragraph(p) => fix(&mut p.text),
            Block::Table(t) => t
                .rows
                .iter_mut()
                .flat_map(|r| r.cells.iter_mut())
                .flat_map(|c| c.paragraphs.iter_mut())
                .for_each(fix),
        }
    }
    doc.warnings.push(format!(
        "văn bản dùng bảng mã cũ {}, đã chuyển sang Unicode; hãy kiểm tra lại chữ",
        enc.name()
    ));
}

/// Refuses a size above `limit`; callers holding a file handle call this with the file's
/// length before reading it, so an oversized upload is never loaded into memory.
pub fn check_size(size: u64, limit: u64) -> Result<(), IngestError> {
    if size > limit {
        return Err(IngestError::TooLarge { size, limit });
    }
    Ok(())
}

/// Reads a file from disk: its length is checked against `limit` before any byte is read.
pub fn read_file(path: &std::path::Path, limit: u64) -> Result<Document, IngestError> {
    use std::io::Read;
    let file = std::fs::File::open(path).map_err(|e| IngestError::Io(e.to_string()))?;
    let len = file
        .metadata()
        .map_err(|e| IngestError::Io(e.to_string()))?
        .len();
    check_size(len, limit)?;
    let mut bytes = Vec::with_capacity(len as usize);
    // take() guards against a file that grows between the length check and the read.
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| IngestError::Io(e.to_string()))?;
    let name = path.file_name().and_then(|n| n.to_str());
    read_with_limit(&bytes, name, limit)
}

/// The file formats tinhgon reads, chosen from the content (magic bytes), not only the name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    /// Plain text (UTF-8 with or without BOM, UTF-16 with BOM).
    Text,
    /// Markdown; headings and emphasis markers are stripped into block styles.
    Markdown,
    /// Text of a legal portal page (as text or Markdown): wrapped lines rejoined into
    /// paragraphs, `|`-cell tables rebuilt, the portal's own page around it dropped.
    WebText,
    /// Office Open XML word-processing document.
    Docx,
    /// PDF with a text layer.
    Pdf,
    /// OpenDocument text (LibreOffice's own format).
    Odt,
    /// Word 97–2003, read by converting it to .docx with LibreOffice.
    Doc,
    /// A saved web page (.html, .htm) with its tables.
    Html,
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
    /// What the page around the document says about it (a legal portal's "Số hiệu",
    /// "Ngày ban hành" …), label without colon and value; empty for office files.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub facts: Vec<(String, String)>,
}

/// One unit of content in reading order.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Block {
    /// A paragraph (one logical paragraph, line wrapping already undone).
    Paragraph(Paragraph),
    /// A real table: docx `w:tbl`, a Markdown pipe table, or a PDF grid found from ruling
    /// lines and aligned columns.
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
    /// True for a layout table rather than data: in docx a table without borders, in PDF a
    /// grid of at most two columns. The state header (issuer | motto) and the signature
    /// block (Nơi nhận | signer) are such tables.
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
    #[error(
        "định dạng tệp không được hỗ trợ: {0} (chỉ nhận .docx, .doc, .odt, .pdf, .html, .txt, .md, .xlsx, .csv)"
    )]
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
    /// The file could not be opened or read from disk.
    #[error("không đọc được tệp: {0}")]
    Io(String),
    /// A container whose decompressed content exceeds the safety cap (zip bomb).
    #[error("nội dung giải nén vượt quá giới hạn an toàn ({0} byte), tệp có thể là bom nén")]
    Oversized(u64),
    /// An encrypted (password-protected) document.
    #[error("tài liệu được mã hóa bằng mật khẩu, hãy gỡ mật khẩu trước khi tải lên")]
    Encrypted,
    /// A spreadsheet with more rows than a plan's task list can have.
    #[error("trang tính \"{sheet}\" có hơn {limit} dòng, quá lớn cho danh sách nhiệm vụ của một kế hoạch")]
    SheetTooLarge {
        /// Worksheet name.
        sheet: String,
        /// Rows allowed.
        limit: usize,
    },
    /// Damaged or truncated container, bad XML, invalid UTF-8 and the like.
    #[error("tệp bị hỏng hoặc không đọc được: {0}")]
    Corrupt(String),
}
