//! Unusable input ends in a clear error, with bounded memory and no panic.

mod common;

use std::io::Write;

use common::bytes;
use tinhgon_ingest::{read, read_file, read_with_limit, Format, IngestError, DEFAULT_LIMIT};

fn zip_with(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, data) in entries {
        zip.start_file(*name, zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(data).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

#[test]
fn empty_file() {
    assert_eq!(read(b"", Some("a.docx")).unwrap_err(), IngestError::Empty);
    assert_eq!(
        read(b"\n\r\n  \t", Some("a.txt")).unwrap_err(),
        IngestError::Empty
    );
}

#[test]
fn binary_garbage() {
    let mut x: u32 = 12345;
    let garbage: Vec<u8> = (0..100_000)
        .map(|_| {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            (x >> 16) as u8
        })
        .collect();
    assert!(matches!(
        read(&garbage, Some("a.txt")),
        Err(IngestError::Unsupported(_))
    ));
    let fake_pdf = [b"%PDF-1.7\n".as_slice(), &garbage].concat();
    assert!(matches!(
        read(&fake_pdf, None),
        Err(IngestError::Corrupt(_))
    ));
    let fake_zip = [b"PK\x03\x04".as_slice(), &garbage].concat();
    assert!(matches!(
        read(&fake_zip, None),
        Err(IngestError::Corrupt(_))
    ));
}

#[test]
fn truncated_docx() {
    let full = bytes("fixtures/seeds/000.docx");
    let half = &full[..full.len() / 2];
    let e = read(half, Some("000.docx")).unwrap_err();
    assert!(matches!(e, IngestError::Corrupt(_)), "{e:?}");
    assert!(e.to_string().contains("hỏng"));
}

#[test]
fn truncated_pdf() {
    let full = bytes("fixtures/seeds/000.pdf");
    let r = read(&full[..full.len() / 3], Some("000.pdf"));
    // lopdf may rebuild a cut file from what remains; either way no panic, and a failure
    // is a clear error.
    if let Err(e) = r {
        assert!(
            matches!(e, IngestError::Corrupt(_) | IngestError::Scanned),
            "{e:?}"
        );
    }
}

#[test]
fn zip_that_is_not_a_docx() {
    let z = zip_with(&[("xl/workbook.xml", b"<workbook/>")]);
    let e = read(&z, Some("plan.docx")).unwrap_err();
    assert!(
        matches!(&e, IngestError::Unsupported(m) if m.contains("Excel")),
        "{e:?}"
    );
    let z = zip_with(&[("notes.txt", b"hello")]);
    assert!(matches!(read(&z, None), Err(IngestError::Unsupported(m)) if m.contains(".zip")));
}

#[test]
fn zip_bomb_is_refused_with_bounded_memory() {
    // document.xml inflates to 100 MB (over the 64 MB cap) from about 100 KB.
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    zip.start_file(
        "word/document.xml",
        zip::write::SimpleFileOptions::default(),
    )
    .unwrap();
    zip.write_all(b"<w:document xmlns:w=\"w\"><w:body><w:p><w:r><w:t>")
        .unwrap();
    let block = vec![b'a'; 1 << 20];
    for _ in 0..100 {
        zip.write_all(&block).unwrap();
    }
    let bomb = zip.finish().unwrap().into_inner();
    assert!(bomb.len() < 1 << 20, "bomb is {} bytes", bomb.len());
    let e = read(&bomb, Some("bomb.docx")).unwrap_err();
    assert!(matches!(e, IngestError::Oversized(_)), "{e:?}");
    assert!(e.to_string().contains("bom nén"));
}

#[test]
fn oversized_input_is_refused_up_front() {
    let big = vec![b'a'; 200 * 1024 * 1024];
    let e = read(&big, Some("big.txt")).unwrap_err();
    assert_eq!(
        e,
        IngestError::TooLarge {
            size: 200 * 1024 * 1024,
            limit: DEFAULT_LIMIT
        }
    );
    drop(big);
    assert!(matches!(
        read_with_limit(b"0123456789", None, 5),
        Err(IngestError::TooLarge { size: 10, limit: 5 })
    ));
}

#[test]
fn oversized_file_is_not_loaded() {
    // A sparse 200 MB file: refused from its length, never read into memory.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.pdf");
    std::fs::File::create(&path)
        .unwrap()
        .set_len(200 * 1024 * 1024)
        .unwrap();
    assert!(matches!(
        read_file(&path, DEFAULT_LIMIT),
        Err(IngestError::TooLarge { .. })
    ));
}

#[test]
fn wrong_extension_reads_by_content() {
    let d = read(&bytes("fixtures/seeds/001.docx"), Some("ke-hoach.pdf")).unwrap();
    assert_eq!(d.format, Format::Docx);
    let d = read(&bytes("fixtures/seeds/001.pdf"), Some("ke-hoach.txt")).unwrap();
    assert_eq!(d.format, Format::Pdf);
    let d = read("KẾ HOẠCH\nsố 1".as_bytes(), Some("ke-hoach.docx")).unwrap();
    assert_eq!(d.format, Format::Text);
}

#[test]
fn utf16_text_file() {
    let mut le = vec![0xFF, 0xFE];
    le.extend(
        "KẾ HOẠCH\r\nThực hiện Kết luận số 121-KL/TW"
            .encode_utf16()
            .flat_map(u16::to_le_bytes),
    );
    let d = read(&le, Some("kh.txt")).unwrap();
    assert_eq!(d.lines, ["KẾ HOẠCH", "Thực hiện Kết luận số 121-KL/TW"]);
}

#[test]
fn old_word_and_images_are_named() {
    let e = read(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\0\0\0\0", Some("kh.doc")).unwrap_err();
    assert!(e.to_string().contains(".doc"));
    let e = read(b"\x89PNG\r\n\x1a\n\0\0", Some("scan.png")).unwrap_err();
    assert!(e.to_string().contains("PNG"));
}
