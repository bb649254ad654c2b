//! SQLite out of space: the serving process may write only so much (a file size limit, as a
//! full disk would stop it), writes then fail with a clear Vietnamese answer (507, not a 500),
//! reads go on, and the database afterwards is intact, holding every acknowledged write.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use tinhgon_app::setup::{setup, SetupRequest};
use tinhgon_store::{accounts, audit, sessions, tx::query, Db};

fn http(port: u16, method: &str, path: &str, token: &str, body: &str) -> Option<(u16, String)> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(20))).ok()?;
    let req = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    s.write_all(req.as_bytes()).ok()?;
    let mut out = String::new();
    s.read_to_string(&mut out).ok()?;
    let status = out.split(' ').nth(1)?.parse().ok()?;
    let body = out.split_once("\r\n\r\n").map(|(_, b)| b.to_string())?;
    Some((status, body))
}

#[tokio::test]
async fn sqlite_out_of_space_refuses_writes_clearly_and_stays_intact() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.db");
    let url = path.display().to_string();
    let db = Db::connect(&url).await.unwrap();
    let req = SetupRequest {
        province: "Lào Cai".into(),
        admin_login: "quantri".into(),
        admin_password: "mat-khau-du-dai".into(),
        admin_name: String::new(),
    };
    setup(&db, req, None).await.unwrap();
    let admin = accounts::credentials(&db, "quantri")
        .await
        .unwrap()
        .unwrap()
        .user
        .id;
    let token = tinhgon_web::auth::random_token();
    let hash = tinhgon_web::auth::token_hash(&token);
    sessions::create_api_token(&db, admin, "đầy", &hash, chrono::Utc::now())
        .await
        .unwrap();
    db.close().await;

    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
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
    let up = Instant::now();
    while http(port, "GET", "/healthz", "", "").is_none() {
        assert!(
            up.elapsed() < Duration::from_secs(30),
            "the server did not start"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
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
