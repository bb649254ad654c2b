//! Plain text and Markdown.
//!
//! Every source line is one entry of [`Document::lines`], so line numbers reported by the
//! extractor are the file's own. Wrapped lines are NOT joined here: text copied out of a PDF
//! breaks mid-sentence and even leaves blank lines inside sentences, and only the extractor
//! knows enough about the genre to unwrap it safely.
//!
//! Decoding: UTF-8 (BOM optional), UTF-16 LE/BE (BOM, or recognised by its zero bytes).
//! Invalid UTF-8 with only a few bad bytes (at most 1 in 1000, at most 16) is decoded lossily
//! with a warning. Otherwise it is tried as a legacy Vietnamese encoding read as Latin-1
//! (TCVN3, VNI; converted afterwards by [`crate::legacy`]); anything else is refused as
//! corrupt rather than guessed at.

use crate::{clean, Block, Cell, Document, Format, IngestError, Paragraph, Row, Table};

/// Reads a text or Markdown file.
pub fn read(bytes: &[u8], markdown: bool) -> Result<Document, IngestError> {
    let mut warnings = Vec::new();
    let text = decode(bytes, &mut warnings)?;
    let mut doc = if crate::web::looks_like_web_text(&text) {
        crate::web::read(&text)?
    } else if markdown {
        markdown_document(&text)
    } else {
        text_document(&text)
    };
    doc.warnings.extend(warnings);
    if doc.blocks.is_empty() {
        return Err(IngestError::Empty);
    }
    Ok(doc)
}

/// Detects UTF-16 without a BOM from the pattern of zero bytes in mostly-ASCII text.
/// Returns `Some(true)` for little endian.
pub fn utf16_without_bom(sample: &[u8]) -> Option<bool> {
    if sample.len() < 8 {
        return None;
    }
    let pairs = sample.len() / 2;
    let even_zero = sample.iter().step_by(2).filter(|&&b| b == 0).count();
    let odd_zero = sample
        .iter()
        .skip(1)
        .step_by(2)
        .filter(|&&b| b == 0)
        .count();
    if odd_zero * 10 >= pairs * 4 && even_zero * 20 < pairs {
        Some(true)
    } else if even_zero * 10 >= pairs * 4 && odd_zero * 20 < pairs {
        Some(false)
    } else {
        None
    }
}

pub(crate) fn decode(bytes: &[u8], warnings: &mut Vec<String>) -> Result<String, IngestError> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return utf8(rest, warnings);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        return utf16(rest, true);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        return utf16(rest, false);
    }
    if let Some(le) = utf16_without_bom(&bytes[..bytes.len().min(64 * 1024)]) {
        warnings.push("tệp UTF-16 không có BOM, đã nhận dạng theo nội dung".to_string());
        return utf16(bytes, le);
    }
    utf8(bytes, warnings)
}

/// UTF-16 must decode whole: a file cut in the middle of a character (an odd number of
/// bytes, half a surrogate pair) is refused rather than read with a letter missing.
fn utf16(bytes: &[u8], le: bool) -> Result<String, IngestError> {
    let enc = if le {
        encoding_rs::UTF_16LE
    } else {
        encoding_rs::UTF_16BE
    };
    let (text, had_errors) = enc.decode_without_bom_handling(bytes);
    if had_errors || bytes.len() % 2 == 1 {
        return Err(IngestError::Corrupt(
            "tệp UTF-16 bị cắt giữa một ký tự hoặc có ký tự không hợp lệ".to_string(),
        ));
    }
    Ok(text.into_owned())
}

fn utf8(bytes: &[u8], warnings: &mut Vec<String>) -> Result<String, IngestError> {
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Ok(s.to_string());
    }
    let lossy = String::from_utf8_lossy(bytes);
    let bad = lossy.chars().filter(|&c| c == '\u{FFFD}').count();
    if bad <= 16 && bad * 1000 <= bytes.len() {
        warnings.push(format!(
            "tệp có {bad} byte không hợp lệ UTF-8, đã thay bằng ký tự �"
        ));
        return Ok(lossy.into_owned());
    }
    // Legacy fonts stored one byte per letter: read as Latin-1 and let the legacy pass
    // recognise and convert it.
    let latin1: String = bytes.iter().map(|&b| char::from(b)).collect();
    if crate::legacy::detect(&latin1).is_some() {
        return Ok(latin1);
    }
    Err(IngestError::Corrupt(
        "văn bản không phải UTF-8/UTF-16 và không nhận ra bảng mã".to_string(),
    ))
}

pub(crate) fn split_lines(text: &str) -> Vec<String> {
    let mut lines: Vec<String> = text
        .split('\n')
        .map(|l| clean::line(l.strip_suffix('\r').unwrap_or(l)))
        .collect();
    // A final newline does not start another line.
    if lines.last().is_some_and(|l| l.is_empty()) && text.ends_with('\n') {
        lines.pop();
    }
    lines
}

fn text_document(text: &str) -> Document {
    let lines = split_lines(text);
    let blocks = lines
        .iter()
        .enumerate()
        .filter_map(|(i, l)| {
            let text = clean::inline(l);
            (!text.is_empty()).then(|| {
                Block::Paragraph(Paragraph {
                    text,
                    line: i,
                    ..Paragraph::default()
                })
            })
        })
        .collect();
    Document {
        format: Format::Text,
        lines,
        blocks,
        warnings: Vec::new(),
        facts: Vec::new(),
    }
}

fn markdown_document(text: &str) -> Document {
    let lines = split_lines(text);
    let mut blocks = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if is_table_line(&lines[i]) {
            let start = i;
            while i < lines.len() && is_table_line(&lines[i]) {
                i += 1;
            }
            blocks.push(Block::Table(pipe_table(&lines[start..i], start)));
            continue;
        }
        if let Some(p) = markdown_paragraph(&lines[i], i) {
            blocks.push(Block::Paragraph(p));
        }
        i += 1;
    }
    Document {
        format: Format::Markdown,
        lines,
        blocks,
        warnings: Vec::new(),
        facts: Vec::new(),
    }
}

fn markdown_paragraph(line: &str, index: usize) -> Option<Paragraph> {
    let mut t = line.trim();
    let mut heading = None;
    let hashes = t.chars().take_while(|&c| c == '#').count();
    if (1..=6).contains(&hashes) && (t.len() == hashes || t[hashes..].starts_with(' ')) {
        heading = Some(hashes as u8);
        t = t[hashes..].trim().trim_end_matches('#').trim_end();
    }
    // "***" and "___" are Markdown rules; "-------" lines are kept because plans type them
    // under the header as text.
    if is_rule(t) && !t.contains('-') {
        return None;
    }
    // Headings render bold, as the .docx renderings of Markdown plans show them.
    let bold = heading.is_some() || (t.len() > 4 && t.starts_with("**") && t.ends_with("**"));
    let text = clean::inline(&strip_inline_markup(t));
    if text.is_empty() {
        return None;
    }
    Some(Paragraph {
        text,
        label: None,
        bold,
        heading,
        centered: false,
        line: index,
    })
}

fn is_rule(t: &str) -> bool {
    t.len() >= 3 && t.chars().all(|c| matches!(c, '*' | '_' | '-'))
}

/// Removes emphasis markers, escapes and the few HTML tags plans converted to Markdown carry.
/// A `<sup>n</sup>` glued to a word is a footnote marker and is dropped ("lại¹" reads "lại");
/// at the start of a line it is the footnote's own number and is kept as text.
fn strip_inline_markup(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("<sup>") {
            if let Some(end) = after.find("</sup>") {
                let inner = &after[..end];
                let glued = out.chars().last().is_some_and(|c| !c.is_whitespace());
                if !glued {
                    out.push_str(inner);
                }
                rest = &after[end + "</sup>".len()..];
                continue;
            }
        }
        if let Some(tag_len) = known_tag(rest) {
            rest = &rest[tag_len..];
            continue;
        }
        if rest.starts_with("**") || rest.starts_with("__") {
            rest = &rest[2..];
            continue;
        }
        let mut chars = rest.chars();
        let c = chars.next().unwrap_or_default();
        if c == '\\' {
            if let Some(n) = chars.clone().next().filter(|n| n.is_ascii_punctuation()) {
                out.push(n);
                rest = &rest[1 + n.len_utf8()..];
                continue;
            }
        }
        out.push(c);
        rest = chars.as_str();
    }
    out
}

fn known_tag(s: &str) -> Option<usize> {
    const TAGS: &[&str] = &[
        "<b>",
        "</b>",
        "<i>",
        "</i>",
        "<u>",
        "</u>",
        "<em>",
        "</em>",
        "<strong>",
        "</strong>",
        "<sub>",
        "</sub>",
        "<sup>",
        "</sup>",
        "<br>",
        "<br/>",
        "<br />",
    ];
    TAGS.iter()
        .find(|t| s.get(..t.len()).is_some_and(|p| p.eq_ignore_ascii_case(t)))
        .map(|t| t.len())
}

fn is_table_line(line: &str) -> bool {
    let t = line.trim();
    t.len() >= 2 && t.starts_with('|') && t.ends_with('|')
}

fn is_separator_row(line: &str) -> bool {
    let t = line.trim().trim_matches('|');
    !t.is_empty()
        && t.split('|').all(|c| {
            let c = c.trim();
            !c.is_empty() && c.chars().all(|ch| matches!(ch, '-' | ':' | ' '))
        })
}

/// A GitHub-style pipe table; each row is one source line, so every cell of a row points at it.
fn pipe_table(lines: &[String], first: usize) -> Table {
    let header = lines.get(1).is_some_and(|l| is_separator_row(l));
    let mut rows = Vec::new();
    for (k, l) in lines.iter().enumerate() {
        if is_separator_row(l) {
            continue;
        }
        let inner = l.trim();
        let inner = &inner[1..inner.len() - 1];
        let cells = inner
            .split('|')
            .map(|c| {
                let text = clean::inline(&strip_inline_markup(c));
                Cell {
                    paragraphs: if text.is_empty() { vec![] } else { vec![text] },
                    span: 1,
                    merged_above: false,
                    line: first + k,
                }
            })
            .collect();
        rows.push(Row {
            cells,
            header: header && k == 0,
        });
    }
    Table {
        rows,
        layout: false,
        line: first,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paragraphs(doc: &Document) -> Vec<&Paragraph> {
        doc.blocks
            .iter()
            .filter_map(|b| match b {
                Block::Paragraph(p) => Some(p),
                Block::Table(_) => None,
            })
            .collect()
    }

    #[test]
    fn lines_stay_one_to_one_with_the_file() {
        let doc = read(
            "KẾ HOẠCH  \r\n\r\nTriển khai   thực hiện\r\nsố 191-KH/TU\r\n".as_bytes(),
            false,
        )
        .unwrap();
        assert_eq!(
            doc.lines,
            ["KẾ HOẠCH", "", "Triển khai   thực hiện", "số 191-KH/TU"]
        );
        let p = paragraphs(&doc);
        assert_eq!(p.len(), 3);
        assert_eq!((p[1].text.as_str(), p[1].line), ("Triển khai thực hiện", 2));
    }

    #[test]
    fn bom_and_utf16_are_decoded_to_nfc() {
        let decomposed = "Vie\u{302}\u{323}t Nam";
        let mut le = vec![0xFF, 0xFE];
        le.extend(decomposed.encode_utf16().flat_map(u16::to_le_bytes));
        let mut be = vec![0xFE, 0xFF];
        be.extend(decomposed.encode_utf16().flat_map(u16::to_be_bytes));
        let mut bom8 = b"\xEF\xBB\xBF".to_vec();
        bom8.extend(decomposed.as_bytes());
        for bytes in [le, be, bom8] {
            let doc = read(&bytes, false).unwrap();
            assert_eq!(doc.lines, ["Việt Nam"]);
        }
        let no_bom: Vec<u8> = "Kế hoạch số 1\nNội dung"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        assert_eq!(read(&no_bom, false).unwrap().lines[1], "Nội dung");
    }

    #[test]
    fn utf16_cut_mid_character_is_refused() {
        let mut le = vec![0xFF, 0xFE];
        le.extend("Kế hoạch số 1".encode_utf16().flat_map(u16::to_le_bytes));
        le.pop();
        assert!(matches!(read(&le, false), Err(IngestError::Corrupt(_))));
        let mut pair = vec![0xFF, 0xFE];
        pair.extend("Kế hoạch 𝔸".encode_utf16().flat_map(u16::to_le_bytes));
        pair.truncate(pair.len() - 2);
        assert!(matches!(read(&pair, false), Err(IngestError::Corrupt(_))));
    }

    #[test]
    fn invalid_utf8_is_refused_or_repaired() {
        let mut few = "Sở Nội vụ chủ trì thực hiện kế hoạch này. "
            .repeat(40)
            .into_bytes();
        few.push(0xFF);
        let doc = read(&few, false).unwrap();
        assert!(doc.warnings.iter().any(|w| w.contains("không hợp lệ")));
        let many: Vec<u8> = (0..2000u32)
            .map(|i| if i % 3 == 0 { 0x80 } else { b'a' })
            .collect();
        assert!(matches!(read(&many, false), Err(IngestError::Corrupt(_))));
    }

    #[test]
    fn legacy_bytes_are_converted() {
        // "Céng hßa x· héi chñ nghÜa ViÖt Nam" as raw TCVN3 bytes (invalid UTF-8).
        let bytes = b"C\xe9ng h\xdfa x\xb7 h\xe9i ch\xf1 ngh\xdca Vi\xd6t Nam";
        let doc = crate::read(bytes, None).unwrap();
        assert_eq!(doc.lines, ["Cộng hòa xã hội chủ nghĩa Việt Nam"]);
        assert!(doc.warnings.iter().any(|w| w.contains("TCVN3")));
    }

    #[test]
    fn markdown_markup_becomes_styles() {
        let md = "## KẾ HOẠCH\n\n**Triển khai Kết luận số 62-KL/TW**\n\
                  - tổ chức lại<sup>1</sup> và **kiện toàn**\n<sup>1</sup> Trung tâm Y tế\n\
                  1\\. Mục đích\n";
        let doc = read(md.as_bytes(), true).unwrap();
        let p = paragraphs(&doc);
        assert_eq!(p[0].text, "KẾ HOẠCH");
        assert_eq!(p[0].heading, Some(2));
        assert!(p[1].bold);
        assert_eq!(p[1].text, "Triển khai Kết luận số 62-KL/TW");
        assert_eq!(p[2].text, "- tổ chức lại và kiện toàn");
        assert!(!p[2].bold);
        assert_eq!(p[3].text, "1 Trung tâm Y tế");
        assert_eq!(p[4].text, "1. Mục đích");
        assert_eq!(p[4].line, 5);
        assert_eq!(doc.lines.len(), 6);
    }

    #[test]
    fn markdown_pipe_table() {
        let md = "Phụ lục\n| TT | Nội dung |\n|---|:--|\n| 1. | Rà soát |\n";
        let doc = read(md.as_bytes(), true).unwrap();
        let Block::Table(t) = &doc.blocks[1] else {
            panic!("expected a table")
        };
        assert_eq!(t.rows.len(), 2);
        assert!(t.rows[0].header);
        assert_eq!(t.rows[1].cells[1].paragraphs, ["Rà soát"]);
        assert_eq!(t.rows[1].cells[1].line, 3);
    }

    #[test]
    fn whitespace_only_is_empty() {
        assert_eq!(
            read(b"\xEF\xBB\xBF \n \n", false).unwrap_err(),
            IngestError::Empty
        );
    }
}
