//! `tinhgon extract` as a user runs it: the built binary on the seed plans.

use std::path::PathBuf;
use std::process::Command;

fn testdata(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../testdata")
        .join(rel)
}

fn seed000() -> PathBuf {
    testdata("seeds/000_4678a1ab1ae598dc.txt")
}

fn tinhgon(args: &[&std::ffi::OsStr]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_tinhgon"))
        .args(args)
        .output()
        .expect("binary runs")
}

#[test]
fn json_by_default() {
    let out = tinhgon(&["extract".as_ref(), seed000().as_os_str()]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("stdout is JSON");
    assert_eq!(v["document"]["number"], "615/KH-UBND");
    assert_eq!(v["document"]["issuer"], "Ủy ban nhân dân tỉnh Nghệ An");
    let tasks = v["tasks"].as_array().expect("tasks");
    let pl13 = tasks.iter().find(|t| t["ref"] == "PL.13").expect("PL.13");
    assert_eq!(pl13["lead"][1]["name"], "Ủy ban nhân dân cấp xã");
    assert_eq!(pl13["lead"][1]["group"], "communes");
    assert_eq!(pl13["deadline"]["kind"], "conditional");
    let pl2 = tasks.iter().find(|t| t["ref"] == "PL.2").expect("PL.2");
    assert_eq!(pl2["deadline"]["due"], "2025-09-30");
    // --json is the same as the default.
    let again = tinhgon(&["extract".as_ref(), seed000().as_os_str(), "--json".as_ref()]);
    assert_eq!(again.stdout, out.stdout);
}

#[test]
fn table_is_readable_vietnamese() {
    let out = tinhgon(&[
        "extract".as_ref(),
        seed000().as_os_str(),
        "--table".as_ref(),
    ]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    assert!(text.contains("615/KH-UBND"));
    assert!(text.contains("Cơ quan ban hành:  Ủy ban nhân dân tỉnh Nghệ An"));
    assert!(text.contains("Mục"));
    assert!(text.contains("Chủ trì"));
    let row = text
        .lines()
        .find(|l| l.starts_with("PL.2 "))
        .expect("row PL.2");
    assert!(row.contains("Sở Nội vụ"), "{row}");
    assert!(row.contains("30/09/2025"), "{row}");
    assert!(text.contains("Cảnh báo"));
}

#[test]
fn unusable_input_exits_2_with_one_line() {
    let dir = std::env::temp_dir().join(format!("tinhgon-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let cases: [(&str, &[u8]); 3] = [
        ("rong.txt", b""),
        ("rac.docx", b"PK\x03\x04 not really a zip"),
        ("anh.png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
    ];
    for (name, bytes) in cases {
        let path = dir.join(name);
        std::fs::write(&path, bytes).expect("write");
        let out = tinhgon(&["extract".as_ref(), path.as_os_str()]);
        assert_eq!(out.status.code(), Some(2), "{name}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.starts_with("lỗi: "), "{name}: {err}");
        assert_eq!(err.trim_end().lines().count(), 1, "{name}: {err}");
        assert!(out.stdout.is_empty(), "{name}");
    }
    let missing = dir.join("khong-co.txt");
    let out = tinhgon(&["extract".as_ref(), missing.as_os_str()]);
    assert_eq!(out.status.code(), Some(2));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn text_that_is_not_valid_text_exits_2_not_an_empty_plan() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut utf16: Vec<u8> = vec![0xFF, 0xFE];
    for u in "KẾ HOẠCH\r\n1. Sở Nội vụ chủ trì rà soát.\r\n".encode_utf16() {
        utf16.extend(u.to_le_bytes());
    }
    // Cut in the middle of the last character.
    utf16.pop();
    // Shift-JIS: bytes that are neither UTF-8 nor a Vietnamese legacy encoding.
    let shift_jis =
        b"\x8c\x76\x89\xe6\x82\xcc\x8e\xc0\x8e\x7b\x82\xc9\x82\xc2\x82\xa2\x82\xc4\r\n".repeat(40);
    for (name, bytes) in [("cat-giua.txt", utf16), ("shift-jis.txt", shift_jis)] {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).expect("write");
        let out = tinhgon(&["extract".as_ref(), path.as_os_str()]);
        assert_eq!(out.status.code(), Some(2), "{name}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.starts_with("lỗi: "), "{name}: {err}");
        assert!(
            err.contains("hỏng") || err.contains("không"),
            "{name}: {err}"
        );
        assert!(out.stdout.is_empty(), "{name}");
    }
}
