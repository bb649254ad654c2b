//! A throwaway PostgreSQL server: `initdb` + `pg_ctl start` on a free loopback port in a
//! temporary directory, stopped and deleted on drop (or, for the shared server, by a
//! watchdog when the test process ends, since statics are never dropped).

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

/// A running throwaway server.
pub struct TempPg {
    dir: Option<tempfile::TempDir>,
    bin: PathBuf,
    port: u16,
    run_as: Option<String>,
    next_db: AtomicUsize,
}

/// The server shared by all tests of this process, started on first use.
pub fn shared() -> Result<&'static TempPg, String> {
    static SHARED: OnceLock<Result<TempPg, String>> = OnceLock::new();
    SHARED
        .get_or_init(|| {
            let pg = TempPg::start()?;
            pg.watch_parent();
            Ok(pg)
        })
        .as_ref()
        .map_err(Clone::clone)
}

impl TempPg {
    /// Initialises and starts a server. Fails with a clear message when PostgreSQL is not
    /// installed (CI installs the `postgresql` package).
    pub fn start() -> Result<TempPg, String> {
        let bin = find_bin_dir()?;
        let run_as = if is_root() {
            Some(ensure_user()?)
        } else {
            None
        };
        let dir = tempfile::Builder::new()
            .prefix("tinhgon-pg-")
            .tempdir()
            .map_err(|e| format!("không tạo được thư mục tạm: {e}"))?;
        let data = dir.path().join("data");
        if let Some(user) = &run_as {
            // The server runs as an unprivileged user that must own its directory.
            run(Command::new("chown")
                .arg(format!("{user}:"))
                .arg(dir.path()))?;
            run(Command::new("chmod").arg("700").arg(dir.path()))?;
        }
        let mut pg = TempPg {
            dir: Some(dir),
            bin,
            port: 0,
            run_as,
            next_db: AtomicUsize::new(0),
        };
        let root = pg.root().to_path_buf();
        run(pg
            .command("initdb")
            .args([
                "-U",
                "postgres",
                "--auth=trust",
                "-E",
                "UTF8",
                "--locale=C",
                "-D",
            ])
            .arg(&data))?;
        // A port can be taken between the probe and the server's bind: retry a few times.
        let mut last = String::new();
        for _ in 0..5 {
            let port = free_port()?;
            let opts = server_options(port, &root);
            let started = run(pg
                .command("pg_ctl")
                .args(["-w", "-t", "60", "-D"])
                .arg(&data)
                .args(["-l"])
                .arg(root.join("server.log"))
                .args(["-o", &opts, "start"]));
            match started {
                Ok(()) => {
                    pg.port = port;
                    return Ok(pg);
                }
                Err(e) => last = e,
            }
        }
        let log = std::fs::read_to_string(root.join("server.log")).unwrap_or_default();
        Err(format!("pg_ctl start thất bại: {last}\n{log}"))
    }

    /// URL of the `postgres` database of this server.
    pub fn url(&self) -> String {
        self.database_url("postgres")
    }

    /// URL of a named database of this server.
    pub fn database_url(&self, name: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{name}", self.port)
    }

    /// Creates a new empty database and returns its URL.
    pub fn fresh_database(&self) -> Result<String, String> {
        let n = self.next_db.fetch_add(1, Ordering::SeqCst);
        let name = format!("t_{}_{n}", std::process::id());
        run(self.command("createdb").args([
            "-h",
            "127.0.0.1",
            "-p",
            &self.port.to_string(),
            "-U",
            "postgres",
            &name,
        ]))?;
        Ok(self.database_url(&name))
    }

    /// The port the server listens on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Stops the server under load (fault tests: the database goes away), as a restart does:
    /// clients are cut off at once. Not `immediate`: with this server's durability settings
    /// off, an immediate stop would also lose the last commits, which is not what is tested.
    pub fn stop(&self) -> Result<(), String> {
        run(self
            .command("pg_ctl")
            .args(["-w", "-D"])
            .arg(self.root().join("data"))
            .args(["-m", "fast", "stop"]))
    }

    /// Starts the stopped server again on its port.
    pub fn start_again(&self) -> Result<(), String> {
        let root = self.root();
        let opts = server_options(self.port, root);
        run(self
            .command("pg_ctl")
            .args(["-w", "-t", "60", "-D"])
            .arg(root.join("data"))
            .args(["-l"])
            .arg(root.join("server.log"))
            .args(["-o", &opts, "start"]))
    }

    fn root(&self) -> &Path {
        match &self.dir {
            Some(dir) => dir.path(),
            None => Path::new("/nonexistent"),
        }
    }

    fn command(&self, program: &str) -> Command {
        let exe = self.bin.join(program);
        match &self.run_as {
            Some(user) => {
                let mut c = Command::new("runuser");
                c.args(["-u", user, "--"]).arg(exe);
                c
            }
            None => Command::new(exe),
        }
    }

    /// Starts a detached watchdog that stops the server and deletes its directory once this
    /// process is gone; used for the shared server, which is never dropped.
    fn watch_parent(&self) {
        let stop = self.command("pg_ctl");
        let prog = stop.get_program().to_string_lossy().into_owned();
        let args: Vec<String> = stop
            .get_args()
            .map(|a| shell_quote(&a.to_string_lossy()))
            .collect();
        let data = self.root().join("data");
        let script = format!(
            "while kill -0 {pid} 2>/dev/null; do sleep 1; done; \
             {prog} {args} -D {data} -m immediate stop >/dev/null 2>&1; rm -rf {root}",
            pid = std::process::id(),
            prog = shell_quote(&prog),
            args = args.join(" "),
            data = shell_quote(&data.display().to_string()),
            root = shell_quote(&self.root().display().to_string()),
        );
        let _ = Command::new("sh")
            .args(["-c", &script])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn();
    }
}

impl Drop for TempPg {
    fn drop(&mut self) {
        let data = self.root().join("data");
        let _ = self
            .command("pg_ctl")
            .arg("-D")
            .arg(&data)
            .args(["-m", "immediate", "stop"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        if let Some(dir) = self.dir.take() {
            let _ = dir.close();
        }
    }
}

/// The server's settings: loopback only, durability off (a throwaway server), room for many
/// test connections.
fn server_options(port: u16, root: &Path) -> String {
    format!(
        "-p {port} -k {} -c listen_addresses=127.0.0.1 -c fsync=off \
         -c synchronous_commit=off -c full_page_writes=off -c max_connections=200 \
         -c shared_buffers=128MB",
        root.display()
    )
}

fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}

fn run(cmd: &mut Command) -> Result<(), String> {
    let out = cmd
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("không chạy được {:?}: {e}", cmd.get_program()))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{:?} {:?} thất bại ({}): {}{}",
            cmd.get_program(),
            cmd.get_args().collect::<Vec<_>>(),
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}

/// Finds the directory holding `initdb`, `pg_ctl` and `createdb`.
fn find_bin_dir() -> Result<PathBuf, String> {
    let mut candidates: Vec<PathBuf> = Vec::new();
    if let Ok(dir) = std::env::var("TINHGON_PG_BIN") {
        candidates.push(PathBuf::from(dir));
    }
    // Debian's versioned directory has all tools; /usr/bin only has wrappers for some.
    if let Ok(entries) = std::fs::read_dir("/usr/lib/postgresql") {
        let mut versions: Vec<PathBuf> = entries.flatten().map(|e| e.path().join("bin")).collect();
        versions.sort();
        candidates.extend(versions.into_iter().rev());
    }
    if let Some(path) = std::env::var_os("PATH") {
        candidates.extend(std::env::split_paths(&path));
    }
    candidates
        .into_iter()
        .find(|dir| {
            ["initdb", "pg_ctl", "createdb"]
                .iter()
                .all(|tool| dir.join(tool).is_file())
        })
        .ok_or_else(|| {
            "không tìm thấy initdb/pg_ctl/createdb (PATH, /usr/lib/postgresql/*/bin, \
             TINHGON_PG_BIN): cài gói `postgresql` (apt-get install -y postgresql)"
                .to_string()
        })
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

/// PostgreSQL refuses to run as root: use (or create) the `postgres` system user.
fn ensure_user() -> Result<String, String> {
    let user = "postgres";
    let exists = Command::new("id")
        .arg(user)
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    if !exists {
        run(Command::new("useradd").args(["--system", "--no-create-home", user]))?;
    }
    Ok(user.to_string())
}

fn free_port() -> Result<u16, String> {
    let listener =
        TcpListener::bind("127.0.0.1:0").map_err(|e| format!("không tìm được cổng trống: {e}"))?;
    listener
        .local_addr()
        .map(|a| a.port())
        .map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::TempPg;

    #[test]
    fn starts_creates_databases_and_stops() {
        let pg = TempPg::start().expect("PostgreSQL phải khởi động được");
        let a = pg.fresh_database().expect("tạo database");
        let b = pg.fresh_database().expect("tạo database");
        assert_ne!(a, b);
        let data = pg.root().join("data");
        assert!(data.join("PG_VERSION").is_file());
        let root = pg.root().to_path_buf();
        drop(pg);
        assert!(!root.exists());
    }
}
