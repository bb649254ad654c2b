//! Two instances of `tinhgon serve` on one PostgreSQL database behind nginx (Debian's
//! package), as `docs/deploy/` describes: requests through the proxy are answered by either,
//! the service stays up when one instance is killed, and the daily job ran once between them.

mod common;

use std::path::Path;
use std::process::{Child, Command, Stdio};

use common::{free_port, http, lao_cai_with_token, wait_up};
use tinhgon_store::{job_runs, Db};

fn instance(url: &str, port: u16, dir: &Path, log: &Path) -> Child {
    Command::new(env!("CARGO_BIN_EXE_tinhgon"))
        .args(["serve", "--db", url, "--bind", &format!("127.0.0.1:{port}")])
        .current_dir(dir)
        .env("RUST_LOG", "info")
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(log).unwrap())
        .spawn()
        .unwrap()
}

/// Kills the child when the test ends, however it ends.
struct Killed(Child);
impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_behind_nginx_share_one_database_and_run_the_daily_job_once() {
    let nginx = ["/usr/sbin/nginx", "/usr/bin/nginx"]
        .into_iter()
        .find(|p| Path::new(p).exists())
        .expect("nginx (Debian package nginx-light) is installed by scripts/test.sh");
    let url = tinhgon_testkit::pg::shared()
        .unwrap()
        .fresh_database()
        .unwrap();
    let db = Db::connect(&url).await.unwrap();
    let token = lao_cai_with_token(&db).await;

    let dir = tempfile::tempdir().unwrap();
    let (p1, p2, front) = (free_port(), free_port(), free_port());
    let logs = [dir.path().join("a.log"), dir.path().join("b.log")];
    let mut a = Killed(instance(&url, p1, dir.path(), &logs[0]));
    let _b = Killed(instance(&url, p2, dir.path(), &logs[1]));
    wait_up(p1);
    wait_up(p2);
    let conf = dir.path().join("nginx.conf");
    std::fs::write(
        &conf,
        format!(
            "daemon off; user root; pid {d}/nginx.pid; error_log {d}/nginx-error.log;
events {{ worker_connections 64; }}
http {{
  access_log off;
  client_body_temp_path {d}/body; proxy_temp_path {d}/proxy;
  fastcgi_temp_path {d}/fcgi; uwsgi_temp_path {d}/uwsgi; scgi_temp_path {d}/scgi;
  upstream tinhgon {{ server 127.0.0.1:{p1} max_fails=1 fail_timeout=5s; server 127.0.0.1:{p2} max_fails=1 fail_timeout=5s; }}
  server {{
    listen 127.0.0.1:{front};
    client_max_body_size 25m;
    location / {{
      proxy_pass http://tinhgon;
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_next_upstream error timeout;
    }}
  }}
}}
",
            d = dir.path().display()
        ),
    )
    .unwrap();
    let _proxy = Killed(
        Command::new(nginx)
            .arg("-c")
            .arg(&conf)
            .arg("-p")
            .arg(dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    wait_up(front);
    for _ in 0..20 {
        assert_eq!(
            http(front, "GET", "/api/units", &token, "").map(|r| r.0),
            Some(200)
        );
    }
    // One instance gone: the proxy sends everything to the other.
    a.0.kill().unwrap();
    a.0.wait().unwrap();
    for _ in 0..20 {
        assert_eq!(
            http(front, "GET", "/api/units", &token, "").map(|r| r.0),
            Some(200)
        );
    }

    // Both instances started the daily job; one ran it, the other saw the claim.
    let today = tinhgon_domain::local_date(chrono::Utc::now());
    let (holder, finished) = job_runs::holder(&db, tinhgon_web::jobs::DAILY_JOB, today)
        .await
        .unwrap()
        .expect("the day's run is recorded");
    assert!(finished, "run by {holder}");
    let said: Vec<String> = logs
        .iter()
        .map(|l| std::fs::read_to_string(l).unwrap_or_default())
        .collect();
    let ran = said.iter().filter(|s| s.contains("ung_vien")).count();
    let skipped = said
        .iter()
        .filter(|s| s.contains("đã do tiến trình khác chạy"))
        .count();
    assert_eq!((ran, skipped), (1, 1), "{said:?}");
}
