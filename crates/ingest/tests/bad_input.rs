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

/// UTF-16 text of a plan, little or big endian, with or without its byte order mark.
fn utf16_plan(le: bool, bom: bool) -> Vec<u8> {
    let text = "KẾ HOẠCH\r\nThực hiện Kết luận số 121-KL/TW\r\n1. Sở Nội vụ chủ trì rà soát.\r\n";
    let mut out = Vec::new();
    if bom {
        out.extend(if le { [0xFF, 0xFE] } else { [0xFE, 0xFF] });
    }
    for u in text.encode_utf16() {
        out.extend(if le { u.to_le_bytes() } else { u.to_be_bytes() });
    }
    out
}

#[test]
fn utf16_cut_in_the_middle_of_a_character_is_refused() {
    for (le, bom) in [(true, true), (false, true), (true, false), (false, false)] {
        let mut bytes = utf16_plan(le, bom);
        assert!(read(&bytes, Some("kh.txt")).is_ok(), "le {le} bom {bom}");
        bytes.pop();
        let e = read(&bytes, Some("kh.txt")).unwrap_err();
        assert!(
            matches!(e, IngestError::Corrupt(_)),
            "le {le} bom {bom}: {e:?}"
        );
        assert!(e.to_string().contains("UTF-16"), "{e}");
    }
}

#[test]
fn half_a_surrogate_pair_is_refused() {
    let mut bytes = utf16_plan(true, true);
    // A lone high surrogate: the second half of the pair was cut.
    bytes.extend([0x3D, 0xD8]);
    let e = read(&bytes, Some("kh.txt")).unwrap_err();
    assert!(matches!(e, IngestError::Corrupt(_)), "{e:?}");
}

#[test]
fn bytes_in_no_known_encoding_are_refused() {
    // Shift-JIS and KOI8-R text: high bytes that are neither UTF-8 nor TCVN3/VNI.
    let shift_jis = b"\x8c\x76\x89\xe6\x82\xcc\x8e\xc0\x8e\x7b\x82\xc9\x82\xc2\x82\xa2\x82\xc4\r\n\x91\xe6\x88\xea\x8f\xcd \x91\x8d\x91\xa5\r\n".repeat(20);
    let koi8 = b"\xf0\xcc\xc1\xce \xd2\xc5\xc1\xcc\xc9\xda\xc1\xc3\xc9\xc9 \xd2\xc5\xc6\xcf\xd2\xcd\xd9\n\xfa\xc1\xc4\xc1\xde\xc9 \xc9 \xd3\xd2\xcf\xcb\xc9\n".repeat(20);
    let mut x: u32 = 7;
    let high: Vec<u8> = (0..4000)
        .map(|i| {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            if i % 7 == 6 {
                b' '
            } else {
                0x80 | (x >> 16) as u8
            }
        })
        .collect();
    for (name, bytes) in [("shift_jis", shift_jis), ("koi8", koi8), ("high", high)] {
        let e = read(&bytes, Some("kh.txt")).unwrap_err();
        assert!(
            matches!(e, IngestError::Corrupt(_) | IngestError::Unsupported(_)),
            "{name}: {e:?}"
        );
        assert!(!e.to_string().is_empty());
    }
}
