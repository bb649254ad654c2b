//! `kill -9` of a serving instance in the middle of writes under load: every write it
//! acknowledged is in the database afterwards, nothing is half-written (each API token has its
//! audit row and no row lacks its token), and the audit chain verifies. Both databases.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use tinhgon_app::setup::{setup, SetupRequest};
use tinhgon_store::{accounts, audit, sessions, tx::query, Db};

/// One HTTP/1.1 request on a fresh connection: the status and body, or None when the server
/// did not answer (killed).
fn http(port: u16, method: &str, path: &str, token: &str, body: &str) -> Option<(u16, String)> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(10))).ok()?;
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

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

tinhgon_testkit::both_databases! {
    /// Writes acknowledged before the kill survive it, and no write is half there.
    async fn an_instance_killed_mid_writes_loses_nothing_it_acknowledged(t) {
        let db = Db::connect(&t.url).await.unwrap();
        let req = SetupRequest {
            province: "Lào Cai".into(),
            admin_login: "quantri".into(),
            admin_password: "mat-khau-du-dai".into(),
            admin_name: String::new(),
        };
        setup(&db, req, None).await.unwrap();
        let admin = accounts::credentials(&db, "quantri").await.unwrap().unwrap().user.id;
        let token = tinhgon_web::auth::random_token();
        let hash = tinhgon_web::auth::token_hash(&token);
        sessions::create_api_token(&db, admin, "tải", &hash, chrono::Utc::now())
            .await
            .unwrap();
        let dir = tempfile::tempdir().unwrap();
        let port = free_port();
        let mut server = Command::new(env!("CARGO_BIN_EXE_tinhgon"))
            .args(["serve", "--db", &t.url, "--bind", &format!("127.0.0.1:{port}")])
            .current_dir(dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let up = Instant::now();
        while http(port, "GET", "/healthz", "", "").is_none() {
            assert!(up.elapsed() < Duration::from_secs(30), "the server did not start");
            std::thread::sleep(Duration::from_millis(100));
        }
        let stop = Arc::new(AtomicBool::new(false));
        let writers: Vec<_> = (0..4)
            .map(|w| {
                let (token, stop) = (token.clone(), stop.clone());
                std::thread::spawn(move || {
                    let mut acknowledged = Vec::new();
                    for n in 0.. {
                        if stop.load(Ordering::Relaxed) {
                            break;
                        }
                        let name = format!("ghi-{w}-{n}");
                        let body = format!("{{\"name\":\"{name}\"}}");
                        match http(port, "POST", "/api/tokens", &token, &body) {
                            Some((200, _)) => acknowledged.push(name),
                            Some((status, body)) => panic!("{status}: {body}"),
                            None => break,
                        }
                    }
                    acknowledged
                })
            })
            .collect();
        std::thread::sleep(Duration::from_millis(1500));
        server.kill().unwrap(); // SIGKILL
        server.wait().unwrap();
        stop.store(true, Ordering::Relaxed);
        let acknowledged: Vec<String> = writers.into_iter().flat_map(|w| w.join().unwrap()).collect();
        assert!(acknowledged.len() > 10, "load before the kill: {}", acknowledged.len());

        let db = Db::connect(&t.url).await.unwrap();
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
        assert_eq!(rows, i64::try_from(names.len()).unwrap(), "a token without its audit row, or the reverse");
        assert!(audit::verify(&db).await.unwrap().broken.is_none());
    }
}
