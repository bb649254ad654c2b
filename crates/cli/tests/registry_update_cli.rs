//! `tinhgon registry update FILE`: `--dry-run` prints the differences with their keys and
//! writes nothing; without it the chosen ones (`--only`) are applied with the decision, and a
//! missing decision writes nothing.

use std::path::Path;
use std::process::Command;

use tinhgon_store::{audit, Db};

fn run(db: &Path, args: &[&str]) -> (Option<i32>, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_tinhgon"))
        .arg("registry")
        .args(args)
        .arg("--db")
        .arg(db)
        .env("USER", "vanhanh")
        .output()
        .expect("binary runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.code(), text)
}

#[tokio::test]
async fn registry_update_dry_run_then_apply() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let db = tmp.path().join("t.db");
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/nghe-an-2025");
    let (code, text) = run(&db, &["import", &data.display().to_string()]);
    assert_eq!(code, Some(0), "{text}");
    let units = std::fs::read_to_string(data.join("units.csv")).expect("units.csv");
    let newer = format!(
        "{}\n,Công an tỉnh Nghệ An,province,co-quan-trung-uong,Tỉnh Nghệ An,\n,Kho bạc Nhà nước khu vực X,province,co-quan-trung-uong,Tỉnh Nghệ An,\n",
        units.trim_end()
    );
    let file = tmp.path().join("danh-muc-moi.csv");
    std::fs::write(&file, newer).expect("write");
    let file = file.display().to_string();

    let (code, text) = run(&db, &["update", &file, "--dry-run"]);
    assert_eq!(code, Some(0), "{text}");
    assert!(text.contains("2 khác biệt"), "{text}");
    assert!(
        text.contains("[add:cong an tinh nghe an] Thêm mới: Công an tỉnh Nghệ An"),
        "{text}"
    );
    assert!(text.contains("không có gì được ghi"), "{text}");
    let handle = Db::connect(&db.display().to_string()).await.expect("open");
    assert_eq!(audit::recent(&handle, 10).await.expect("rows").len(), 1);
    handle.close().await;

    let (code, text) = run(&db, &["update", &file]);
    assert_eq!(code, Some(1), "{text}");
    assert!(text.contains("số văn bản quyết định"), "{text}");

    let (code, text) = run(
        &db,
        &[
            "update",
            &file,
            "--decision",
            "30/QĐ-UBND",
            "--decision-date",
            "2026-01-05",
            "--only",
            "add:cong an tinh nghe an",
        ],
    );
    assert_eq!(code, Some(0), "{text}");
    assert!(
        text.contains("Đã cập nhật danh mục theo văn bản 30/QĐ-UBND: 1 đơn vị thêm mới"),
        "{text}"
    );
    let (code, text) = run(&db, &["update", &file, "--dry-run"]);
    assert_eq!(code, Some(0), "{text}");
    assert!(text.contains("1 khác biệt"), "{text}");
    let handle = Db::connect(&db.display().to_string()).await.expect("open");
    let v = audit::verify(&handle).await.expect("verify");
    assert_eq!(
        (v.rows, v.broken),
        (3, None),
        "import, one change, the summary"
    );
    handle.close().await;
}
