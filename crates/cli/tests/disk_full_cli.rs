//! SQLite out of space: the serving process may write only so much (a file size limit, as a
//! full disk would stop it), writes then fail with a clear Vietnamese answer (507, not a 500),
//! reads go on, and the database afterwards is intact, holding every acknowledged write.

mod common;

use std::process::{Command, Stdio};

use common::{free_port, http, lao_cai_with_token, wait_up};
use tinhgon_store::{audit, tx::query, Db};

#[tokio::test]
async fn sqlite_out_of_space_refuses_writes_clearly_and_stays_intact() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.db");
    let url = path.display().to_string();
    let db = Db::connect(&url).await.unwrap();
    let token = lao_cai_with_token(&db).await;
    db.close().await;

    let port = free_port();
    // 256 blocks of 512 bytes: the write-ahead log fills after a few dozen writes. SIGXFSZ is
    // ignored so that a write past the limit fails with EFBIG instead of killing the process.
    let script = format!(
        "trap '' XFSZ; ulimit -f 256; exec '{}' serve --db '{}' --bind 127.0.0.1:{port}",
        env!("CARGO_BIN_EXE_tinhgon"),
        url
    );
    let mut server = Command::new("sh")
        .args(["-c", &script])
        .current_dir(dir.path())
        .env("TINHGON_JOBS", "0")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    wait_up(port);
    let mut acknowledged = Vec::new();
    let mut full = None;
    for n in 0..2000 {
        let name = format!("ghi-{n}");
        match http(
            port,
            "POST",
            "/api/tokens",
            &token,
            &format!("{{\"name\":\"{name}\"}}"),
        ) {
            Some((200, _)) => acknowledged.push(name),
            Some((status, body)) => {
                full = Some((status, body));
                break;
            }
            None => panic!("the server stopped answering after {n} writes"),
        }
    }
    let (status, body) = full.expect("the size limit was reached");
    assert_eq!(status, 507, "{body}");
    assert!(body.contains("chưa được ghi"), "{body}");
    assert_eq!(
        http(port, "GET", "/api/units", &token, "").map(|r| r.0),
        Some(200),
        "reads go on"
    );
    server.kill().unwrap();
    server.wait().unwrap();

    let db = Db::connect(&url).await.unwrap();
    let check: String = query("PRAGMA integrity_check").scalar(&db).await.unwrap();
    assert_eq!(check, "ok");
    let names: Vec<String> = query("SELECT name FROM api_tokens WHERE name LIKE 'ghi-%'")
        .fetch_all::<(String,)>(&db)
        .await
        .unwrap()
        .into_iter()
        .map(|(n,)| n)
        .collect();
    for a in &acknowledged {
        assert!(names.contains(a), "acknowledged write {a} lost");
    }
    let rows: i64 = query("SELECT COUNT(*) FROM audit_log WHERE action = 'api_token.create'")
        .scalar(&db)
        .await
        .unwrap();
    assert_eq!(
        rows,
        i64::try_from(names.len()).unwrap(),
        "nothing half-written"
    );
    assert!(audit::verify(&db).await.unwrap().broken.is_none());
}
