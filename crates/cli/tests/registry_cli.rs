//! `tinhgon registry import` as an operator runs it: the register is written with one audit
//! row by the system, in the same transaction; a second import is refused and adds no row.

use std::path::Path;
use std::process::Command;

use tinhgon_store::{audit, Db};

fn import(db: &Path) -> std::process::Output {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/nghe-an-2025");
    Command::new(env!("CARGO_BIN_EXE_tinhgon"))
        .args(["registry".as_ref(), "import".as_ref(), dir.as_os_str()])
        .arg("--db")
        .arg(db)
        .env("USER", "vanhanh")
        .output()
        .expect("binary runs")
}

#[tokio::test]
async fn registry_import_appends_one_system_row() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let path = tmp.path().join("t.db");
    let out = import(&path);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let db = Db::connect(&path.display().to_string())
        .await
        .expect("open");
    let rows = audit::recent(&db, 10).await.expect("rows");
    assert_eq!(rows.len(), 1, "{rows:?}");
    let r = &rows[0];
    assert_eq!(
        (r.action.as_str(), r.object_kind.as_str()),
        ("register.import", "unit")
    );
    assert_eq!(
        (r.actor_id, r.actor_login.as_deref()),
        (None, Some("hệ thống"))
    );
    let after: serde_json::Value =
        serde_json::from_str(r.after_json.as_deref().unwrap_or("null")).expect("json");
    assert_eq!(after["cli_user"], "vanhanh");
    assert!(after["units"].as_u64().is_some_and(|n| n > 0), "{after}");
    db.close().await;

    let again = import(&path);
    assert_eq!(again.status.code(), Some(1));
    let db = Db::connect(&path.display().to_string())
        .await
        .expect("open");
    let v = audit::verify(&db).await.expect("verify");
    assert_eq!((v.rows, v.broken), (1, None));
    db.close().await;
}
