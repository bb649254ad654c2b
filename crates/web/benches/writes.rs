//! Write benchmark (issue 15): progress reports, completion proposals, the monitor's
//! decisions (confirm / return), extension requests and their decisions from 4, 16 and 32
//! concurrent signed-in clients on the national data set, alone and mixed with the read load
//! (90 % reads, 10 % writes); per endpoint p50, p95, p99, maximum and throughput; the audit
//! chain is verified after the run.
//!
//! One command per database (figures in BENCHMARKS.md, "Writes under load"):
//!   cargo bench -p tinhgon-web --bench writes -- --db national.db   # a SQLite national set
//!   cargo bench -p tinhgon-web --bench writes -- --db pg            # throwaway PostgreSQL
//! `--db pg` starts PostgreSQL under $TMPDIR and generates the national set (about 70 s).
//! Options: --clients 4,16,32  --loads alone,mixed,reports  --secs S (15, measured per point)
//! --warmup S (3) --units N (16 officer units) --seed N / --scale F (only used when the
//! database is empty and must be generated first). Where a write's time goes: run with
//! `RUST_LOG=warn,sqlx::query=debug,tinhgon_store::write=debug 2>log` and sum the log with
//! `python3 scripts/sql-statement-times.py log` (each statement, the wait for the writer, the
//! transaction body and the commit).
//!
//! Writes change the data, so the bench never changes the data it is given: a SQLite file is
//! checkpointed (its WAL folded in, so give it a copy of a file others are reading) and copied
//! to `<file>.writes.db`, PostgreSQL is copied with `CREATE DATABASE … TEMPLATE` into
//! `<name>_writes`; each run starts from the same data, so reruns compare.
//! The server is the real router in a child process (this binary re-executed with `--serve`),
//! as in the page benchmark. Every write carries its own `Idempotency-Key`, as a careful
//! integration would send it.

mod client;

/// The server child runs with the allocator `tinhgon serve` uses.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context as _, Error, Result};
use axum::body::Bytes;
use chrono::NaiveDate;
use client::{call, connect, sign_in, wait_healthy, SignedIn};
use hyper::Method;
use rand::rngs::StdRng;
use rand::{Rng as _, SeedableRng as _};
use sqlx::Connection as _;
use tinhgon_domain::user::Role;
use tinhgon_national::{self as national, GenOptions};
use tinhgon_store::tx::query;
use tinhgon_store::{accounts, audit, Db};
use tinhgon_testkit::bench::{
    loadavg, machine_cpu, pg_cpu, proc_cpu, quantile_ms, BenchDb, DataSet, Options,
};

/// Password of every bench account (they exist only in benchmark copies).
const PASSWORD: &str = "bench-Mat-khau-2026";

/// What a client does, and the row of the result table it counts in.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum Op {
    Progress,
    Propose,
    Confirm,
    Return,
    Extension,
    ExtensionDecision,
    ReadDashboard,
    ReadInbox,
    ReadAssignment,
    ReadAssignmentPage,
}

impl Op {
    fn name(self) -> &'static str {
        match self {
            Op::Progress => "POST /api/assignments/{id}/progress",
            Op::Propose => "POST /api/assignments/{id}/propose",
            Op::Confirm => "POST /api/assignments/{id}/decide (confirm)",
            Op::Return => "POST /api/assignments/{id}/decide (return)",
            Op::Extension => "POST /api/assignments/{id}/extension",
            Op::ExtensionDecision => "POST /api/extensions/{id}/decide",
            Op::ReadDashboard => "GET /api/dashboard (province)",
            Op::ReadInbox => "GET /api/inbox",
            Op::ReadAssignment => "GET /api/assignments/{id}",
            Op::ReadAssignmentPage => "GET /assignments/{id} (page)",
        }
    }

    fn writes(self) -> bool {
        !matches!(
            self,
            Op::ReadDashboard | Op::ReadInbox | Op::ReadAssignment | Op::ReadAssignmentPage
        )
    }
}

/// What the clients send at one point.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Load {
    /// The write cycle only.
    Alone,
    /// Nine reads out of ten requests, the write cycle for the tenth.
    Mixed,
    /// Progress reports only: the sustained rate of the day a reporting period closes.
    Reports,
}

struct Args {
    data: DataSet,
    clients: Vec<usize>,
    loads: Vec<Load>,
    secs: u64,
    warmup: u64,
    units: usize,
}

fn args() -> Result<Args> {
    let o = Options::from_env(&[
        ("--clients", "4,16,32"),
        ("--loads", "alone,mixed,reports"),
        ("--secs", "15"),
        ("--warmup", "3"),
        ("--units", "16"),
    ])
    .map_err(Error::msg)?;
    let list = |name: &str| -> Result<Vec<String>> {
        Ok(o.get::<String>(name)
            .map_err(Error::msg)?
            .split(',')
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect())
    };
    let clients = list("--clients")?
        .iter()
        .map(|c| {
            c.parse::<usize>()
                .context("--clients: số nguyên, cách nhau bởi dấu phẩy")
        })
        .collect::<Result<Vec<_>>>()?;
    let loads = list("--loads")?
        .iter()
        .map(|l| match l.as_str() {
            "alone" => Ok(Load::Alone),
            "mixed" => Ok(Load::Mixed),
            "reports" => Ok(Load::Reports),
            other => bail!("--loads: alone, mixed hoặc reports, không phải {other}"),
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(Args {
        data: o.data().map_err(Error::msg)?,
        clients,
        loads,
        secs: o.get("--secs").map_err(Error::msg)?,
        warmup: o.get("--warmup").map_err(Error::msg)?,
        units: o.get("--units").map_err(Error::msg)?,
    })
}

fn main() -> Result<()> {
    let argv: Vec<String> = std::env::args().collect();
    if argv.get(1).map(String::as_str) == Some("--serve") {
        let (Some(db), Some(bind), Some(data)) = (argv.get(2), argv.get(3), argv.get(4)) else {
            bail!("--serve DB BIND DATA_DIR");
        };
        return serve_child(db, bind, data);
    }
    let a = args()?;
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?
        .block_on(run(a))
}

/// The server process: exactly what `tinhgon serve` does after reading its configuration.
fn serve_child(db: &str, bind: &str, data: &str) -> Result<()> {
    let _ = tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "warn,sqlx=warn".into()),
        )
        .with_writer(std::io::stderr)
        .try_init();
    let cfg = tinhgon_web::Config {
        db: db.into(),
        bind: bind.into(),
        data_dir: data.into(),
        // The reminder job would write over the whole country at start: not what is measured.
        background_jobs: false,
        ..tinhgon_web::Config::default()
    };
    tokio::runtime::Runtime::new()?.block_on(tinhgon_web::serve(cfg))?;
    Ok(())
}

/// Kills the server child however the bench ends.
struct ServerChild(Child);

impl Drop for ServerChild {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// An assignment a client works on, as the client last saw it.
#[derive(Clone)]
struct Work {
    id: i64,
    status: String,
    due: Option<NaiveDate>,
    /// A pending extension request of this assignment.
    extension: Option<i64>,
}

/// One officer's unit with its open assignments.
struct UnitWork {
    login: String,
    unit: i64,
    work: Vec<Work>,
}

async fn run(a: Args) -> Result<()> {
    let bench_db = BenchDb::open(&a.data.db).map_err(Error::msg)?;
    let (base_url, pg_port) = (bench_db.url.clone(), bench_db.pg_port());
    let base = Db::connect(&base_url).await?;
    let units: i64 = query("SELECT COUNT(*) FROM units").scalar(&base).await?;
    if units == 0 {
        let t = Instant::now();
        national::generate(
            &base,
            GenOptions {
                seed: a.data.seed,
                scale: a.data.scale,
            },
            |n, total| eprintln!("… {n}/{total} kế hoạch"),
        )
        .await?;
        println!(
            "Generated the national set (seed {}, scale {}) in {:.0} s",
            a.data.seed,
            a.data.scale,
            t.elapsed().as_secs_f64()
        );
    }
    let t = Instant::now();
    let url = copy_of(&base, &base_url).await?;
    println!(
        "# tinhgon write benchmark ({:?}; copy {url} made in {:.1} s)\n",
        base.backend(),
        t.elapsed().as_secs_f64()
    );
    base.close().await;

    let db = Db::connect(&url).await?;
    let (province, monitor, unit_work) = setup(&db, a.units).await?;
    let audit_before: i64 = query("SELECT COUNT(*) FROM audit_log").scalar(&db).await?;
    db.close().await;
    println!(
        "Province {province}; {} officer units, {} open assignments among them; monitor {monitor}",
        unit_work.len(),
        unit_work.iter().map(|u| u.work.len()).sum::<usize>()
    );

    let port = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    let addr: SocketAddr = format!("127.0.0.1:{port}").parse()?;
    let data = tempfile::Builder::new()
        .prefix("tinhgon-writebench-")
        .tempdir()?;
    let child = Command::new(std::env::current_exe()?)
        .arg("--serve")
        .arg(&url)
        .arg(addr.to_string())
        .arg(data.path())
        .stdin(Stdio::null())
        .spawn()
        .context("không khởi động được máy chủ con")?;
    let server = ServerChild(child);
    let server_pid = server.0.id();
    wait_healthy(addr).await?;
    println!("Server: child process {server_pid} on http://{addr}\n");

    let monitor_session = sign_in(addr, &monitor, PASSWORD).await?;
    let mut officers = Vec::new();
    for u in &unit_work {
        officers.push(sign_in(addr, &u.login, PASSWORD).await?);
    }

    // Each client owns a disjoint share of its unit's assignments, so its view of their
    // status stays true without reading it back.
    let mut point = 0u64;
    for &load in &a.loads {
        for &clients in &a.clients {
            point += 1;
            let mut shares: Vec<Vec<Work>> = vec![Vec::new(); clients];
            let per_unit = clients.div_ceil(unit_work.len()).max(1);
            for (c, share) in shares.iter_mut().enumerate() {
                let u = &unit_work[c % unit_work.len()];
                let slot = c / unit_work.len();
                *share = u
                    .work
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| i % per_unit == slot)
                    .map(|(_, w)| w.clone())
                    .collect();
            }
            run_point(
                &a,
                addr,
                server_pid,
                pg_port,
                load,
                clients,
                point,
                &officers,
                &monitor_session,
                shares,
            )
            .await?;
        }
    }
    drop(server);

    let db = Db::connect(&url).await?;
    let t = Instant::now();
    let v = audit::verify(&db).await?;
    let audit_after: i64 = query("SELECT COUNT(*) FROM audit_log").scalar(&db).await?;
    db.close().await;
    match v.broken {
        None => println!(
            "\nAudit chain verified after the run: {} rows ({} written by the run), {:.1} s",
            v.rows,
            audit_after - audit_before,
            t.elapsed().as_secs_f64()
        ),
        Some((id, why)) => bail!("chuỗi nhật ký bị đứt ở dòng {id}: {why}"),
    }
    Ok(())
}

/// A copy of the data set for the run: the given database is never written.
async fn copy_of(base: &Db, base_url: &str) -> Result<String> {
    match base {
        Db::Sqlite(pool) => {
            // Everything into the main file first, so one file copy is the whole database.
            sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
                .execute(pool)
                .await?;
            let path = base_url.strip_prefix("sqlite:").unwrap_or(base_url);
            let copy = format!("{path}.writes.db");
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{copy}{suffix}"));
            }
            std::fs::copy(path, &copy).with_context(|| format!("không chép được {path}"))?;
            Ok(copy)
        }
        Db::Postgres(pool) => {
            pool.close().await;
            let (server, name) = base_url
                .rsplit_once('/')
                .context("URL PostgreSQL không có tên cơ sở dữ liệu")?;
            let name = name.split('?').next().unwrap_or(name);
            let copy = format!("{name}_writes");
            let mut admin =
                sqlx::postgres::PgConnection::connect(&format!("{server}/template1")).await?;
            sqlx::query(&format!("DROP DATABASE IF EXISTS \"{copy}\""))
                .execute(&mut admin)
                .await?;
            sqlx::query(&format!("CREATE DATABASE \"{copy}\" TEMPLATE \"{name}\""))
                .execute(&mut admin)
                .await?;
            admin.close().await?;
            Ok(format!("{server}/{copy}"))
        }
    }
}

/// The bench accounts in the copy: the province's monitor and one officer for each of the
/// `units` busiest departments, with the open assignments of those units.
async fn setup(db: &Db, units: usize) -> Result<(i64, String, Vec<UnitWork>)> {
    let province: i64 = query(
        "SELECT province_id FROM assignments WHERE province_id IS NOT NULL GROUP BY province_id ORDER BY COUNT(*) DESC, province_id LIMIT 1",
    ).scalar(db).await?;
    let busy: Vec<i64> = query(
        "SELECT u.id FROM units u JOIN assignments a ON a.unit_id = u.id \
         WHERE u.province_id = $1 AND u.kind = 'department' GROUP BY u.id ORDER BY COUNT(*) DESC, u.id LIMIT $2",
    ).bind(province).bind(units as i64).scalars(db).await?;
    if busy.is_empty() {
        bail!("tỉnh {province} không có sở nào được giao việc");
    }
    let hash = tinhgon_web::auth::hash_password(PASSWORD.into())
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let monitor = format!("wr-monitor-{province}");
    let mut accounts_wanted = vec![(monitor.clone(), Role::Monitor, None)];
    let mut out = Vec::new();
    for unit in busy {
        // Only assignments of published plans whose workflow is still open can be acted on.
        let rows: Vec<(i64, String, Option<NaiveDate>)> = query(
            "SELECT a.id, a.status, a.due FROM assignments a JOIN plans p ON p.id = a.plan_id \
             WHERE a.unit_id = $1 AND p.state = 'published' AND a.status IN ('not_started', 'in_progress', 'returned') ORDER BY a.id",
        ).bind(unit).fetch_all(db).await?;
        let login = format!("wr-officer-{unit}");
        accounts_wanted.push((login.clone(), Role::AgencyOfficer, Some(unit)));
        out.push(UnitWork {
            login,
            unit,
            work: rows
                .into_iter()
                .map(|(id, status, due)| Work {
                    id,
                    status,
                    due,
                    extension: None,
                })
                .collect(),
        });
    }
    for (login, role, unit) in &accounts_wanted {
        match accounts::credentials(db, login).await? {
            Some(c) => {
                accounts::system::set_password_hash(db, c.user.id, &hash).await?;
                accounts::record_sign_in(db, c.user.id, chrono::Utc::now()).await?;
            }
            None => {
                accounts::system::create_user(
                    db,
                    &accounts::NewUser {
                        login: login.clone(),
                        display_name: format!("Đo tải ghi {login}"),
                        password_hash: hash.clone(),
                        role: *role,
                        unit_id: *unit,
                        province_id: Some(province),
                    },
                )
                .await?;
            }
        }
    }
    for u in &out {
        if u.work.is_empty() {
            bail!("đơn vị {} không có phân công đang mở", u.unit);
        }
    }
    Ok((province, monitor, out))
}

/// Samples and errors of one client.
#[derive(Default)]
struct ClientOut {
    samples: Vec<(Op, Duration)>,
    errors: BTreeMap<Op, (u64, String)>,
}

#[allow(clippy::too_many_arguments)]
async fn run_point(
    a: &Args,
    addr: SocketAddr,
    server_pid: u32,
    pg_port: Option<u16>,
    load: Load,
    clients: usize,
    point: u64,
    officers: &[SignedIn],
    monitor: &SignedIn,
    shares: Vec<Vec<Work>>,
) -> Result<()> {
    let load0 = loadavg();
    let cpu0 = (proc_cpu(server_pid), pg_port.map(pg_cpu), machine_cpu());
    let start = Instant::now();
    let measure_from = start + Duration::from_secs(a.warmup);
    let until = measure_from + Duration::from_secs(a.secs);
    let mut handles = Vec::new();
    for (c, share) in shares.into_iter().enumerate() {
        let officer = officers[c % officers.len()].clone();
        let monitor = monitor.clone();
        let seed = point * 1000 + c as u64;
        handles.push(tokio::spawn(async move {
            client(
                addr,
                seed,
                load,
                officer,
                monitor,
                share,
                measure_from,
                until,
            )
            .await
        }));
    }
    let mut outs = Vec::new();
    for h in handles {
        outs.push(h.await??);
    }
    let wall = start.elapsed().as_secs_f64();
    let cpu1 = (proc_cpu(server_pid), pg_port.map(pg_cpu), machine_cpu());
    println!(
        "## {clients} clients, {} ({} s measured after {} s warm-up)\n",
        match load {
            Load::Mixed => "mixed: 90 % reads, 10 % writes",
            Load::Alone => "writes alone",
            Load::Reports => "progress reports alone",
        },
        a.secs,
        a.warmup
    );
    print_table(outs, a.secs as f64);
    println!(
        "\nServer process {:.2} cores{}; whole machine {:.2} of 2 cores busy; load average before {load0}, after {}\n",
        (cpu1.0 - cpu0.0) / wall,
        match (cpu0.1, cpu1.1) {
            (Some(x), Some(y)) => format!(", PostgreSQL {:.2} cores", (y - x) / wall),
            _ => String::new(),
        },
        (cpu1.2 .0 - cpu0.2 .0) / (cpu1.2 .1 - cpu0.2 .1).max(1e-9) * 2.0,
        loadavg()
    );
    Ok(())
}

/// One desk: an officer who reports, proposes and asks for extensions on its share of the
/// unit's assignments, and the monitor who decides on what it proposed and asked; in the mixed
/// load, nine reads out of ten instead.
#[allow(clippy::too_many_arguments)]
async fn client(
    addr: SocketAddr,
    seed: u64,
    load: Load,
    officer: SignedIn,
    monitor: SignedIn,
    mut work: Vec<Work>,
    measure_from: Instant,
    until: Instant,
) -> Result<ClientOut> {
    let mut rng = StdRng::seed_from_u64(0x7772_0000 + seed);
    let mut out = ClientOut::default();
    let mut conn = connect(addr).await?;
    let mut n = 0u64;
    // The write cycle: reports most often, as on the day a reporting period closes.
    const CYCLE: [Op; 8] = [
        Op::Progress,
        Op::Progress,
        Op::Progress,
        Op::Propose,
        Op::Confirm,
        Op::Extension,
        Op::ExtensionDecision,
        Op::Progress,
    ];
    let mut step = rng.gen_range(0..CYCLE.len());
    while Instant::now() < until {
        if work.is_empty() {
            break;
        }
        n += 1;
        let op = if load == Load::Reports {
            Op::Progress
        } else if load == Load::Mixed && rng.gen_range(0..10) != 0 {
            [
                Op::ReadDashboard,
                Op::ReadInbox,
                Op::ReadAssignment,
                Op::ReadAssignmentPage,
            ][rng.gen_range(0..4)]
        } else {
            step = (step + 1) % CYCLE.len();
            CYCLE[step]
        };
        let key = format!("wr-{seed}-{n}-{}", rng.gen::<u32>());
        let i = rng.gen_range(0..work.len());
        let (op, method, path, body, who): (Op, Method, String, String, &SignedIn) = match op {
            Op::Progress => (
                op,
                Method::POST,
                format!("/api/assignments/{}/progress", work[i].id),
                format!(
                    "{{\"text\":\"Báo cáo tiến độ kỳ {n}: đã họp triển khai, đang hoàn thiện dự thảo\",\"percent\":{}}}",
                    rng.gen_range(0..=100)
                ),
                &officer,
            ),
            Op::Propose => match pick(&work, &["not_started", "in_progress", "returned"], i) {
                Some(j) => (
                    op,
                    Method::POST,
                    format!("/api/assignments/{}/propose", work[j].id),
                    "{\"note\":\"Đã hoàn thành, kèm báo cáo\"}".into(),
                    &officer,
                ),
                None => continue,
            },
            Op::Confirm | Op::Return => match pick(&work, &["completion_proposed"], i) {
                // Most proposals go back, so the share of open work lasts the whole run.
                Some(j) if rng.gen_range(0..4) == 0 => (
                    Op::Confirm,
                    Method::POST,
                    format!("/api/assignments/{}/decide", work[j].id),
                    "{\"op\":\"confirm\"}".into(),
                    &monitor,
                ),
                Some(j) => (
                    Op::Return,
                    Method::POST,
                    format!("/api/assignments/{}/decide", work[j].id),
                    "{\"op\":\"return\",\"note\":\"Đề nghị bổ sung minh chứng\"}".into(),
                    &monitor,
                ),
                None => continue,
            },
            Op::Extension => {
                let due = work[i].due.unwrap_or_else(|| {
                    NaiveDate::from_ymd_opt(2026, 12, 31).unwrap_or_default()
                });
                let new_due = due + chrono::Duration::days(30);
                (
                    op,
                    Method::POST,
                    format!("/api/assignments/{}/extension", work[i].id),
                    format!("{{\"new_due\":\"{new_due}\",\"reason\":\"Chờ hướng dẫn của Bộ\"}}"),
                    &officer,
                )
            }
            Op::ExtensionDecision => match work.iter().position(|w| w.extension.is_some()) {
                Some(j) => (
                    op,
                    Method::POST,
                    format!("/api/extensions/{}/decide", work[j].extension.unwrap_or(0)),
                    format!(
                        "{{\"approve\":{},\"note\":\"Theo đề nghị của đơn vị\"}}",
                        rng.gen_bool(0.5)
                    ),
                    &monitor,
                ),
                None => continue,
            },
            Op::ReadDashboard => (op, Method::GET, "/api/dashboard".into(), String::new(), &monitor),
            Op::ReadInbox => (op, Method::GET, "/api/inbox".into(), String::new(), &officer),
            Op::ReadAssignment => (
                op,
                Method::GET,
                format!("/api/assignments/{}", work[i].id),
                String::new(),
                &officer,
            ),
            Op::ReadAssignmentPage => (
                op,
                Method::GET,
                format!("/assignments/{}", work[i].id),
                String::new(),
                &officer,
            ),
        };
        let auth = if op == Op::ReadAssignmentPage {
            ("cookie", who.cookie.as_str())
        } else {
            ("authorization", who.bearer.as_str())
        };
        let mut headers = vec![auth];
        if op.writes() {
            headers.push(("content-type", "application/json"));
            headers.push(("idempotency-key", key.as_str()));
        }
        let t = Instant::now();
        let r = call(&mut conn, method, &path, &headers, Bytes::from(body)).await;
        let d = t.elapsed();
        let counted = t >= measure_from && t < until;
        match r {
            Ok((s, _, body)) if s.is_success() => {
                if counted {
                    out.samples.push((op, d));
                }
                apply(&mut work, op, &path, &body);
            }
            Ok((s, _, body)) => {
                if counted {
                    let e = out.errors.entry(op).or_insert((0, String::new()));
                    e.0 += 1;
                    e.1 = format!(
                        "{s} {path}: {}",
                        String::from_utf8_lossy(&body)
                            .chars()
                            .take(200)
                            .collect::<String>()
                    );
                }
                // The client's view was wrong: forget the request or the assignment.
                if op == Op::ExtensionDecision {
                    for w in work.iter_mut() {
                        if w.extension
                            .is_some_and(|e| path.contains(&format!("/{e}/")))
                        {
                            w.extension = None;
                        }
                    }
                } else if op.writes() {
                    if let Some(j) = work
                        .iter()
                        .position(|w| path.contains(&format!("/{}/", w.id)))
                    {
                        work.swap_remove(j);
                    }
                }
            }
            Err(err) => {
                if counted {
                    let e = out.errors.entry(op).or_insert((0, String::new()));
                    e.0 += 1;
                    e.1 = format!("{path}: {err}");
                }
                conn = connect(addr).await?;
            }
        }
    }
    Ok(out)
}

/// The first assignment from `from` on (wrapping) whose status is one of `statuses`.
fn pick(work: &[Work], statuses: &[&str], from: usize) -> Option<usize> {
    (0..work.len())
        .map(|k| (from + k) % work.len())
        .find(|&j| statuses.contains(&work[j].status.as_str()))
}

/// Updates the client's view after a successful write.
fn apply(work: &mut Vec<Work>, op: Op, path: &str, body: &[u8]) {
    let id_in_path = |w: &Work| path.contains(&format!("/{}/", w.id));
    let answer: serde_json::Value = serde_json::from_slice(body).unwrap_or_default();
    match op {
        Op::Progress => {
            if let Some(w) = work.iter_mut().find(|w| id_in_path(w)) {
                if w.status == "not_started" {
                    w.status = "in_progress".into();
                }
            }
        }
        Op::Propose | Op::Return => {
            if let Some(w) = work.iter_mut().find(|w| id_in_path(w)) {
                if let Some(s) = answer.get("status").and_then(|s| s.as_str()) {
                    w.status = s.to_string();
                }
            }
        }
        Op::Confirm => work.retain(|w| !id_in_path(w)),
        Op::Extension => {
            let eid = answer.get("id").and_then(|i| i.as_i64());
            if let Some(w) = work.iter_mut().find(|w| id_in_path(w)) {
                w.extension = eid;
            }
        }
        Op::ExtensionDecision => {
            if let Some(w) = work.iter_mut().find(|w| {
                w.extension
                    .is_some_and(|e| path.contains(&format!("/{e}/")))
            }) {
                // Approved or not, the next request asks past the later date: the bench
                // need not know which.
                w.extension = None;
                w.due = w.due.map(|d| d + chrono::Duration::days(30));
            }
        }
        _ => {}
    }
}

/// Prints the per-endpoint latency table of the clients' samples.
fn print_table(outs: Vec<ClientOut>, measured: f64) {
    let mut samples: BTreeMap<Op, Vec<Duration>> = BTreeMap::new();
    let mut errors: BTreeMap<Op, (u64, String)> = BTreeMap::new();
    for out in outs {
        for (op, d) in out.samples {
            samples.entry(op).or_default().push(d);
        }
        for (op, (n, last)) in out.errors {
            let e = errors.entry(op).or_insert((0, String::new()));
            e.0 += n;
            e.1 = last;
        }
    }
    println!("| endpoint | requests | req/s | p50 ms | p95 ms | p99 ms | max ms | errors |");
    println!("|---|---:|---:|---:|---:|---:|---:|---:|");
    let mut reads = Vec::new();
    let mut writes = Vec::new();
    let ops: Vec<Op> = samples.keys().chain(errors.keys()).copied().collect();
    let mut seen = Vec::new();
    for op in ops {
        if seen.contains(&op) {
            continue;
        }
        seen.push(op);
        let mut v = samples.remove(&op).unwrap_or_default();
        v.sort();
        let row = |name: &str, v: &[Duration], err: u64| {
            println!(
                "| {name} | {} | {:.1} | {} | {} | {} | {} | {err} |",
                v.len(),
                v.len() as f64 / measured,
                quantile_ms(v, 0.50),
                quantile_ms(v, 0.95),
                quantile_ms(v, 0.99),
                quantile_ms(v, 1.0),
            )
        };
        row(op.name(), &v, errors.get(&op).map_or(0, |e| e.0));
        if op.writes() {
            writes.extend(v);
        } else {
            reads.extend(v);
        }
    }
    let err = |w: bool| -> u64 {
        errors
            .iter()
            .filter(|(op, _)| op.writes() == w)
            .map(|(_, e)| e.0)
            .sum()
    };
    for (name, mut v, w) in [
        ("**all writes**", writes, true),
        ("**all reads**", reads, false),
    ] {
        if v.is_empty() {
            continue;
        }
        v.sort();
        println!(
            "| {name} | {} | {:.1} | {} | {} | {} | {} | {} |",
            v.len(),
            v.len() as f64 / measured,
            quantile_ms(&v, 0.50),
            quantile_ms(&v, 0.95),
            quantile_ms(&v, 0.99),
            quantile_ms(&v, 1.0),
            err(w)
        );
    }
    for (op, (n, last)) in &errors {
        println!("errors on {}: {n}, last: {last}", op.name());
    }
}
