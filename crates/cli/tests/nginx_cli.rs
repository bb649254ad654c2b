//! Two instances of `tinhgon serve` on one PostgreSQL database behind nginx (Debian's
//! package), as `docs/deploy/` describes: requests through the proxy are answered by either,
//! the service stays up when one instance is killed, and the daily job ran once between them.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use tinhgon_app::setup::{setup, SetupRequest};
use tinhgon_store::{accounts, job_runs, sessions, Db};

fn http_get(port: u16, path: &str, token: &str) -> Option<u16> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(10))).ok()?;
    let req = format!(
        "GET {path} HTTP/1.1\r\nHost: tinhgon.test\r\nAuthorization: Bearer {token}\r\nConnection: close\r\n\r\n"
    );
    s.write_all(req.as_bytes()).ok()?;
    let mut out = String::new();
    s.read_to_string(&mut out).ok()?;
    out.split(' ').nth(1)?.parse().ok()
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn wait_up(port: u16) {
    let up = Instant::now();
    while http_get(port, "/healthz", "").is_none() {
        assert!(
            up.elapsed() < Duration::from_secs(30),
            "port {port} did not open"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

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
    sessions::create_api_token(&db, admin, "proxy", &hash, chrono::Utc::now())
        .await
        .unwrap();

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
        assert_eq!(http_get(front, "/api/units", &token), Some(200));
    }
    // One instance gone: the proxy sends everything to the other.
    a.0.kill().unwrap();
    a.0.wait().unwrap();
    for _ in 0..20 {
        assert_eq!(http_get(front, "/api/units", &token), Some(200));
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
