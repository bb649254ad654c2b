//! Format detection from magic bytes; the file name only breaks the tie between plain text
//! and Markdown, because uploads are often renamed or saved with the wrong extension.

use crate::{Format, IngestError};

/// Chooses the reader for `bytes`. Containers are recognised by their signature; everything
/// else must look like text, otherwise it is refused as an unsupported binary.
pub fn detect_format(bytes: &[u8], file_name: Option<&str>) -> Result<Format, IngestError> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(IngestError::Empty);
    }
    if crate::odt::is_odt(bytes) {
        return Ok(Format::Odt);
    }
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        return Ok(Format::Docx);
    }
    // The compound-file container of Word 97–2003 (and of password-protected Office files,
    // which the conversion then refuses with its own message).
    if bytes.starts_with(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1") {
        return Ok(Format::Doc);
    }
    // PDF allows junk before the header; readers look in the first kilobyte.
    let head = &bytes[..bytes.len().min(1024)];
    if find(head, b"%PDF-").is_some() {
        return Ok(Format::Pdf);
    }
    if let Some(kind) = known_binary(bytes) {
        return Err(IngestError::Unsupported(kind.to_string()));
    }
    if !looks_like_text(bytes) {
        return Err(IngestError::Unsupported(
            "tệp nhị phân không rõ định dạng".to_string(),
        ));
    }
    if crate::html::looks_like_html(bytes) {
        return Ok(Format::Html);
    }
    let ext = file_name
        .and_then(|n| n.rsplit_once('.'))
        .map(|(_, e)| e.to_ascii_lowercase());
    if matches!(ext.as_deref(), Some("md" | "markdown")) || looks_like_markdown(bytes) {
        return Ok(Format::Markdown);
    }
    Ok(Format::Text)
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Other office and image formats people upload by mistake, named so the message helps.
fn known_binary(bytes: &[u8]) -> Option<&'static str> {
    const SIGS: &[(&[u8], &str)] = &[
        (b"{\\rtf", "RTF, hãy lưu lại thành .docx"),
        (b"\x89PNG", "ảnh PNG"),
        (b"\xFF\xD8\xFF", "ảnh JPEG"),
        (b"GIF8", "ảnh GIF"),
        (b"II*\x00", "ảnh TIFF"),
        (b"MM\x00*", "ảnh TIFF"),
        (b"Rar!", "tệp nén RAR"),
        (b"7z\xBC\xAF", "tệp nén 7z"),
        (b"\x1F\x8B", "tệp nén gzip"),
    ];
    SIGS.iter()
        .find(|(sig, _)| bytes.starts_with(sig))
        .map(|(_, name)| *name)
}

/// Text has no NUL bytes (except UTF-16, recognised by its BOM or its zero pattern) and few
/// control characters.
fn looks_like_text(bytes: &[u8]) -> bool {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return true;
    }
    let sample = &bytes[..bytes.len().min(64 * 1024)];
    if crate::text::utf16_without_bom(sample).is_some() {
        return true;
    }
    let controls = sample
        .iter()
        .filter(|&&b| (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C)) || b == 0x7F)
        .count();
    controls * 100 <= sample.len()
}

fn looks_like_markdown(bytes: &[u8]) -> bool {
    let sample = &bytes[..bytes.len().min(64 * 1024)];
    let text = String::from_utf8_lossy(sample);
    let mut hits = 0;
    for line in text.lines() {
        let t = line.trim_start();
        let hashes = t.chars().take_while(|&c| c == '#').count();
        if (1..=6).contains(&hashes) && t[hashes..].starts_with(' ') {
            hits += 2;
        } else if (t.starts_with("**") && t.trim_end().ends_with("**") && t.len() > 4)
            || t.contains("<sup>")
        {
            hits += 1;
        }
    }
    hits >= 2
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_beats_extension() {
        assert_eq!(
            detect_format(b"%PDF-1.7\n...", Some("a.txt")),
            Ok(Format::Pdf)
        );
        assert_eq!(
            detect_format(b"PK\x03\x04rest", Some("a.pdf")),
            Ok(Format::Docx)
        );
        assert_eq!(
            detect_format(b"# KE HOACH\n\n## I. MUC DICH\n", Some("a.txt")),
            Ok(Format::Markdown)
        );
        assert_eq!(
            detect_format(b"KE HOACH\nso 1\n", Some("a.md")),
            Ok(Format::Markdown)
        );
        assert_eq!(detect_format(b"KE HOACH\n", None), Ok(Format::Text));
    }

    #[test]
    fn empty_and_binary_are_refused() {
        assert_eq!(detect_format(b"", None), Err(IngestError::Empty));
        assert_eq!(detect_format(b" \n\t\r\n", None), Err(IngestError::Empty));
        let garbage: Vec<u8> = (0..4096u32).map(|i| (i * 7919 % 251) as u8).collect();
        assert!(matches!(
            detect_format(&garbage, None),
            Err(IngestError::Unsupported(_))
        ));
        assert_eq!(
            detect_format(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1xxxx", Some("a.txt")),
            Ok(Format::Doc)
        );
    }
}
