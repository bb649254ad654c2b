//! `kill -9` of a serving instance in the middle of writes under load: every write it
//! acknowledged is in the database afterwards, nothing is half-written (each API token has its
//! audit row and no row lacks its token), and the audit chain verifies. Both databases.

mod common;

use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use common::{free_port, http, lao_cai_with_token, wait_up};
use tinhgon_store::{audit, tx::query, Db};

tinhgon_testkit::both_databases! {
    /// Writes acknowledged before the kill survive it, and no write is half there.
    async fn an_instance_killed_mid_writes_loses_nothing_it_acknowledged(t) {
        let db = Db::connect(&t.url).await.unwrap();
        let token = lao_cai_with_token(&db).await;
        let dir = tempfile::tempdir().unwrap();
        let port = free_port();
        let mut server = Command::new(env!("CARGO_BIN_EXE_tinhgon"))
            .args(["serve", "--db", &t.url, "--bind", &format!("127.0.0.1:{port}")])
            .current_dir(dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        wait_up(port);
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
