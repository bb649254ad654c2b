//! Web load benchmark: the dashboard, inbox and assignment pages and their JSON API
//! calls under 32 concurrent signed-in clients on the national data set, then `wrk` on the JSON
//! list endpoints.
//!
//! One command per database (see BENCHMARKS.md, "Web pages and API under load"):
//!   cargo bench -p tinhgon-web --bench web -- --db tinhgon-national.db
//!   cargo bench -p tinhgon-web --bench web -- --db pg
//! Options: --clients N (32), --secs S (30, measured), --warmup S (5), --serial S (15: one
//! client alone afterwards; 0 = skip), --wrk S (20 per endpoint; 0 = skip), --only all|core|lists
//! (all: every endpoint; core: the dashboard, inbox, assignment and plan-list endpoints without
//! the task list and approval queue; lists: the task list and approval queue alone),
//! --seed N / --scale F (only used when the database is empty and must be generated first).
//!
//! The server is the real router (`tinhgon_web::serve_on`, as `tinhgon serve` runs it) in a
//! CHILD process: this same binary re-executed with `--serve`. So the server gets its own
//! runtime (tokio's default: one worker per core, like `tinhgon serve`), its CPU time can be read
//! from /proc apart from the clients', and `wrk` hits the very same server afterwards.
//! Clients sign in through the real `/login` form (pre-session CSRF cookie, argon2 check) and
//! get their API tokens through `POST /api/tokens`, like a browser and an integration would.
//! The bench adds only rows to `users`, `sessions` and `api_tokens` (accounts `wb-*`).

mod client;

/// The server child runs with the allocator `tinhgon serve` uses.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{anyhow, bail, Context as _, Error, Result};
use axum::body::Bytes;
use client::{call, connect, wait_healthy};
use hyper::Method;
use rand::rngs::StdRng;
use rand::{Rng as _, SeedableRng as _};
use tinhgon_domain::user::Role;
use tinhgon_national::{self as national, GenOptions};
use tinhgon_store::{accounts, Db};
use tinhgon_testkit::bench::{
    loadavg, machine_cpu, pg_cpu, proc_cpu, proc_memory, quantile_ms, self_cpu, BenchDb, DataSet,
    Options,
};
use tinhgon_web::routes::{specs, Verb};

/// Password of every bench account (they exist only in benchmark databases).
const PASSWORD: &str = "bench-Mat-khau-2026";
/// Officer units per run: the busiest departments of the province.
const OFFICER_UNITS: usize = 4;

struct Args {
    data: DataSet,
    clients: usize,
    secs: u64,
    warmup: u64,
    wrk: u64,
    serial: u64,
    only: String,
}

fn args() -> Result<Args> {
    let o = Options::from_env(&[
        ("--clients", "32"),
        ("--secs", "30"),
        ("--warmup", "5"),
        ("--wrk", "20"),
        ("--serial", "15"),
        ("--only", "all"),
    ])
    .map_err(Error::msg)?;
    Ok(Args {
        data: o.data().map_err(Error::msg)?,
        clients: o.get("--clients").map_err(Error::msg)?,
        secs: o.get("--secs").map_err(Error::msg)?,
        warmup: o.get("--warmup").map_err(Error::msg)?,
        wrk: o.get("--wrk").map_err(Error::msg)?,
        serial: o.get("--serial").map_err(Error::msg)?,
        only: o.get("--only").map_err(Error::msg)?,
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
    // The same logging as `tinhgon serve`: server errors are only logged, so show them.
    let _ = tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,sqlx=warn".into()),
        )
        .with_writer(std::io::stderr)
        .try_init();
    let cfg = tinhgon_web::Config {
        db: db.into(),
        bind: bind.into(),
        data_dir: data.into(),
        // The daily reminder job would catch up at start over 2 M assignments (and write
        // reminders into the shared national file): the bench measures pages, not the job.
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

/// What the bench found or created in the database.
struct Setup {
    province: i64,
    province_name: String,
    province_assignments: i64,
    units: Vec<(i64, String, Vec<i64>)>,
    plans: Vec<i64>,
    logins: Vec<(String, Role, Option<i64>)>,
}

async fn run(a: Args) -> Result<()> {
    let bench_db = BenchDb::open(&a.data.db).map_err(Error::msg)?;
    let (url, pg_port) = (bench_db.url.clone(), bench_db.pg_port());
    let db = Db::connect(&url).await?;
    println!(
        "# tinhgon web benchmark ({:?}; {} clients, {} s measured after {} s warm-up)\n",
        db.backend(),
        a.clients,
        a.secs,
        a.warmup
    );
    let units: i64 = tinhgon_store::tx::query("SELECT COUNT(*) FROM units")
        .scalar(&db)
        .await?;
    if units == 0 {
        let t = Instant::now();
        national::generate(
            &db,
            GenOptions {
                seed: a.data.seed,
                scale: a.data.scale,
            },
            |n, total| eprintln!("… {n}/{total} kế hoạch"),
        )
        .await?;
        println!(
            "Generated the national set (seed {}, scale {}) in {:.0} s\n",
            a.data.seed,
            a.data.scale,
            t.elapsed().as_secs_f64()
        );
    }
    let setup = setup(&db).await?;
    let n_assign: i64 = tinhgon_store::tx::query("SELECT COUNT(*) FROM assignments")
        .scalar(&db)
        .await?;
    let n_plans: i64 = tinhgon_store::tx::query("SELECT COUNT(*) FROM plans")
        .scalar(&db)
        .await?;
    db.close().await;
    println!(
        "Data: {n_plans} plans, {n_assign} assignments. Province {} ({}): {} assignments, {} plans sampled.",
        setup.province,
        setup.province_name,
        setup.province_assignments,
        setup.plans.len()
    );
    for (id, name, ids) in &setup.units {
        println!("Officer unit {id} ({name}): {} assignments", ids.len());
    }

    // Server child on a free loopback port.
    let port = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    let addr: SocketAddr = format!("127.0.0.1:{port}").parse()?;
    let data = tempfile::Builder::new()
        .prefix("tinhgon-webbench-")
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

    // Sessions through the real sign-in, API tokens through the API.
    let mut sessions: BTreeMap<String, Session> = BTreeMap::new();
    for (login, role, unit) in &setup.logins {
        let s = sign_in(addr, login, *role, *unit).await?;
        sessions.insert(login.clone(), s);
    }
    let routes: Vec<&'static str> = specs()
        .into_iter()
        .filter(|s| s.verb == Verb::Get)
        .map(|s| s.path)
        .collect();
    let (mut endpoints, missing) = endpoints(&routes);
    match a.only.as_str() {
        "all" => {}
        "core" => endpoints.retain(|e| !is_list(e)),
        "lists" => endpoints.retain(is_list),
        other => bail!("--only {other}: all, core or lists"),
    }
    if !missing.is_empty() {
        println!(
            "API routes not in the route table (not measured): {}\n",
            missing.join(", ")
        );
    }
    let setup = Arc::new(setup);
    let readers: Vec<Session> = sessions
        .values()
        .filter(|s| s.role != Role::AgencyOfficer)
        .cloned()
        .collect();
    let officers: Vec<Session> = sessions
        .values()
        .filter(|s| s.role == Role::AgencyOfficer)
        .cloned()
        .collect();
    let monitor = sessions
        .values()
        .find(|s| s.role == Role::Monitor)
        .cloned()
        .context("thiếu phiên giám sát")?;
    if readers.is_empty() || officers.is_empty() {
        bail!("thiếu phiên đăng nhập");
    }
    // Each client is one person at a reader's desk and one at an officer's desk: it keeps one
    // keep-alive connection and walks all endpoints in its own random order.
    let endpoints = Arc::new(endpoints);
    let load0 = loadavg();
    let cpu0 = (
        proc_cpu(server_pid),
        self_cpu(),
        pg_port.map(pg_cpu),
        machine_cpu(),
    );
    let start = Instant::now();
    let measure_from = start + Duration::from_secs(a.warmup);
    let until = measure_from + Duration::from_secs(a.secs);
    let mut handles = Vec::new();
    for c in 0..a.clients {
        let reader = readers[c % readers.len()].clone();
        let officer = officers[c % officers.len()].clone();
        let monitor = monitor.clone();
        let endpoints = endpoints.clone();
        let setup = setup.clone();
        handles.push(tokio::spawn(async move {
            client(
                c,
                addr,
                reader,
                monitor,
                officer,
                &endpoints,
                &setup,
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
    let measured = until.saturating_duration_since(measure_from).as_secs_f64();
    let wall = start.elapsed().as_secs_f64();
    let cpu1 = (
        proc_cpu(server_pid),
        self_cpu(),
        pg_port.map(pg_cpu),
        machine_cpu(),
    );
    let load1 = loadavg();
    print_table(&endpoints, outs, measured);
    let secs_since = wall;
    println!(
        "\nCPU during the {secs_since:.0} s run (warm-up included): server process {:.1} s ({:.2} cores), bench clients {:.1} s{}, whole machine {:.2} of 2 cores busy",
        cpu1.0 - cpu0.0,
        (cpu1.0 - cpu0.0) / secs_since,
        cpu1.1 - cpu0.1,
        match (cpu0.2, cpu1.2) {
            (Some(a), Some(b)) => format!(", PostgreSQL server processes {:.1} s ({:.2} cores)", b - a, (b - a) / secs_since),
            _ => String::new(),
        },
        (cpu1.3 .0 - cpu0.3 .0) / (cpu1.3 .1 - cpu0.3 .1).max(1e-9) * 2.0,
    );
    println!("Load average before: {load0}; after: {load1}");
    println!("Server peak RSS: {} MiB", proc_memory(server_pid).1);

    if a.serial > 0 {
        // The same walk by ONE client on the now warm server: the cost of each page without
        // queueing behind 31 others.
        let t = Instant::now();
        let until = t + Duration::from_secs(a.serial);
        let out = client(
            0,
            addr,
            readers[0].clone(),
            monitor.clone(),
            officers[0].clone(),
            &endpoints,
            &setup,
            t,
            until,
        )
        .await?;
        println!(
            "\n## One client alone, {} s (service time without queueing)\n",
            a.serial
        );
        print_table(&endpoints, vec![out], a.serial as f64);
    }

    if a.wrk > 0 {
        run_wrk(addr, &routes, &sessions, a.wrk, server_pid, pg_port)?;
    }
    drop(server);
    Ok(())
}

/// Creates (once) the bench accounts and picks the data the clients ask for.
async fn setup(db: &Db) -> Result<Setup> {
    // The province with the most assignments: the heaviest dashboard.
    let (province, province_assignments): (i64, i64) = tinhgon_store::tx::query(
        "SELECT province_id, COUNT(*) AS n FROM assignments WHERE province_id IS NOT NULL GROUP BY province_id ORDER BY n DESC, province_id LIMIT 1",
    ).fetch_one(db).await?;
    let province_name: String = tinhgon_store::tx::query("SELECT name FROM units WHERE id = $1")
        .bind(province)
        .scalar(db)
        .await?;
    let busy: Vec<(i64, String)> = tinhgon_store::tx::query(
        "SELECT u.id, u.name FROM units u JOIN assignments a ON a.unit_id = u.id \
         WHERE u.province_id = $1 AND u.kind = 'department' GROUP BY u.id, u.name ORDER BY COUNT(*) DESC, u.id LIMIT $2",
    ).bind(province).bind(OFFICER_UNITS as i64).fetch_all(db).await?;
    if busy.is_empty() {
        bail!("tỉnh {province} không có sở nào được giao việc");
    }
    let mut units = Vec::new();
    for (id, name) in busy {
        let ids: Vec<i64> =
            tinhgon_store::tx::query("SELECT id FROM assignments WHERE unit_id = $1 ORDER BY id")
                .bind(id)
                .scalars(db)
                .await?;
        units.push((id, name, ids));
    }
    let plans: Vec<i64> = tinhgon_store::tx::query(
        "SELECT id FROM plans WHERE province_id = $1 AND state = 'published' ORDER BY id",
    )
    .bind(province)
    .scalars(db)
    .await?;
    if plans.is_empty() {
        bail!("tỉnh {province} không có kế hoạch đã ban hành");
    }
    let mut logins = vec![
        (format!("wb-monitor-{province}"), Role::Monitor, None),
        (format!("wb-leader-{province}"), Role::Leader, None),
    ];
    for (id, _, _) in &units {
        logins.push((format!("wb-officer-{id}"), Role::AgencyOfficer, Some(*id)));
    }
    let hash = tinhgon_web::auth::hash_password(PASSWORD.into())
        .await
        .map_err(|e| anyhow!("{e}"))?;
    for (login, role, unit) in &logins {
        match accounts::credentials(db, login).await? {
            Some(c) => {
                // Same password every run, and any lock from an earlier aborted run lifted.
                accounts::system::set_password_hash(db, c.user.id, &hash).await?;
                accounts::record_sign_in(db, c.user.id, chrono::Utc::now()).await?;
            }
            None => {
                accounts::system::create_user(
                    db,
                    &accounts::NewUser {
                        login: login.clone(),
                        display_name: format!("Đo tải {login}"),
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
    Ok(Setup {
        province,
        province_name,
        province_assignments,
        units,
        plans,
        logins,
    })
}

/// A signed-in account as the clients use it.
#[derive(Clone)]
struct Session {
    role: Role,
    unit: Option<i64>,
    cookie: String,
    bearer: Option<String>,
}

/// Signs in through the real form and takes an API token (see `client::sign_in`).
async fn sign_in(addr: SocketAddr, login: &str, role: Role, unit: Option<i64>) -> Result<Session> {
    let s = client::sign_in(addr, login, PASSWORD).await?;
    Ok(Session {
        role,
        unit,
        cookie: s.cookie,
        bearer: Some(s.bearer),
    })
}

/// Which desk asks, and how the path is made.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Desk {
    Reader,
    /// The province's monitor (the approval queue is the monitor's alone).
    Monitor,
    Officer,
}

#[derive(Clone, Copy)]
enum PathKind {
    Fixed(&'static str),
    Plan(&'static str),
    Assignment(&'static str),
}

struct Endpoint {
    name: &'static str,
    desk: Desk,
    api: bool,
    path: PathKind,
}

/// The measured endpoints: the pages always, the API calls whose routes exist.
/// The task list and approval queue (`--only lists`), apart from the pages measured before them.
fn is_list(e: &Endpoint) -> bool {
    [
        "/tasks",
        "/approvals",
        "/api/approvals",
        "/api/assignments?",
    ]
    .iter()
    .any(|p| e.name.contains(&format!("GET {p}")))
}

fn endpoints(routes: &[&str]) -> (Vec<Endpoint>, Vec<&'static str>) {
    use Desk::{Monitor, Officer, Reader};
    use PathKind::{Assignment, Fixed, Plan};
    let e = |name, desk, api, path| Endpoint {
        name,
        desk,
        api,
        path,
    };
    let mut out = vec![
        e(
            "GET /dashboard (province, today)",
            Reader,
            false,
            Fixed("/dashboard"),
        ),
        e(
            "GET /dashboard?as_of=31/03/2026",
            Reader,
            false,
            Fixed("/dashboard?as_of=31/03/2026"),
        ),
        e(
            "GET /dashboard?plan={id}",
            Reader,
            false,
            Plan("/dashboard?plan="),
        ),
        e("GET /inbox (officer)", Officer, false, Fixed("/inbox")),
        e(
            "GET /tasks?class=overdue (task list)",
            Reader,
            false,
            Fixed("/tasks?class=overdue"),
        ),
        e(
            "GET /tasks?q=nhiệm vụ số 12&sort=unit&page=2",
            Reader,
            false,
            Fixed("/tasks?q=nhi%E1%BB%87m+v%E1%BB%A5+s%E1%BB%91+12&sort=unit&page=2"),
        ),
        e(
            "GET /approvals (monitor)",
            Monitor,
            false,
            Fixed("/approvals"),
        ),
        e(
            "GET /assignments/{id}",
            Officer,
            false,
            Assignment("/assignments/"),
        ),
    ];
    let api = [
        (
            "/api/dashboard",
            e("GET /api/dashboard", Reader, true, Fixed("/api/dashboard")),
        ),
        (
            "/api/dashboard",
            e(
                "GET /api/dashboard?as_of=2026-03-31",
                Reader,
                true,
                Fixed("/api/dashboard?as_of=2026-03-31"),
            ),
        ),
        (
            "/api/dashboard",
            e(
                "GET /api/dashboard?plan={id}",
                Reader,
                true,
                Plan("/api/dashboard?plan="),
            ),
        ),
        (
            "/api/inbox",
            e("GET /api/inbox", Officer, true, Fixed("/api/inbox")),
        ),
        (
            "/api/assignments/{assignment}",
            e(
                "GET /api/assignments/{id}",
                Officer,
                true,
                Assignment("/api/assignments/"),
            ),
        ),
        (
            "/api/plans",
            e("GET /api/plans", Reader, true, Fixed("/api/plans")),
        ),
        (
            "/api/assignments",
            e(
                "GET /api/assignments?class=overdue&due_to=…",
                Reader,
                true,
                Fixed("/api/assignments?class=overdue&due_to=2026-06-30&per_page=50"),
            ),
        ),
        (
            "/api/approvals",
            e("GET /api/approvals", Monitor, true, Fixed("/api/approvals")),
        ),
    ];
    let mut missing = Vec::new();
    for (route, ep) in api {
        if routes.contains(&route) {
            out.push(ep);
        } else if !missing.contains(&route) {
            missing.push(route);
        }
    }
    (out, missing)
}

#[derive(Default)]
struct ClientOut {
    samples: Vec<(usize, Duration, u64)>,
    errors: BTreeMap<usize, (u64, String)>,
}

#[allow(clippy::too_many_arguments)]
async fn client(
    c: usize,
    addr: SocketAddr,
    reader: Session,
    monitor: Session,
    officer: Session,
    endpoints: &[Endpoint],
    setup: &Setup,
    measure_from: Instant,
    until: Instant,
) -> Result<ClientOut> {
    let mut rng = StdRng::seed_from_u64(0x7765_6200 + c as u64);
    let mut out = ClientOut::default();
    let mut conn = connect(addr).await?;
    let mut order: Vec<usize> = (0..endpoints.len()).collect();
    let unit_ids: &[i64] = officer
        .unit
        .and_then(|u| setup.units.iter().find(|(id, _, _)| *id == u))
        .map(|(_, _, ids)| ids.as_slice())
        .unwrap_or(&[]);
    'outer: loop {
        // A new random order each round so the clients do not march in step.
        for i in (1..order.len()).rev() {
            order.swap(i, rng.gen_range(0..=i));
        }
        for &i in &order {
            if Instant::now() >= until {
                break 'outer;
            }
            let e = &endpoints[i];
            let who = match e.desk {
                Desk::Reader => &reader,
                Desk::Monitor => &monitor,
                Desk::Officer => &officer,
            };
            let path = match e.path {
                PathKind::Fixed(p) => p.to_string(),
                PathKind::Plan(p) => {
                    format!("{p}{}", setup.plans[rng.gen_range(0..setup.plans.len())])
                }
                PathKind::Assignment(p) => match unit_ids.len() {
                    0 => continue,
                    n => format!("{p}{}", unit_ids[rng.gen_range(0..n)]),
                },
            };
            let auth: (&str, &str) = match (&who.bearer, e.api) {
                (Some(b), true) => ("authorization", b.as_str()),
                _ => ("cookie", who.cookie.as_str()),
            };
            let t = Instant::now();
            let r = call(&mut conn, Method::GET, &path, &[auth], Bytes::new()).await;
            let d = t.elapsed();
            let counted = t >= measure_from;
            match r {
                Ok((s, _, body)) if s.is_success() => {
                    if counted {
                        out.samples.push((i, d, body.len() as u64));
                    }
                }
                Ok((s, _, body)) => {
                    if counted {
                        let msg = format!(
                            "{s} {path}: {}",
                            String::from_utf8_lossy(&body)
                                .chars()
                                .take(200)
                                .collect::<String>()
                        );
                        let e = out.errors.entry(i).or_insert((0, String::new()));
                        e.0 += 1;
                        e.1 = msg;
                    }
                }
                Err(err) => {
                    if counted {
                        let e = out.errors.entry(i).or_insert((0, String::new()));
                        e.0 += 1;
                        e.1 = format!("{path}: {err}");
                    }
                    conn = connect(addr).await?;
                }
            }
        }
    }
    Ok(out)
}

/// Prints the per-endpoint latency table of the clients' samples.
fn print_table(endpoints: &[Endpoint], outs: Vec<ClientOut>, measured: f64) {
    let mut samples: BTreeMap<usize, Vec<Duration>> = BTreeMap::new();
    let mut errors: BTreeMap<usize, (u64, String)> = BTreeMap::new();
    let mut bytes: BTreeMap<usize, u64> = BTreeMap::new();
    for out in outs {
        for (i, d, b) in out.samples {
            samples.entry(i).or_default().push(d);
            *bytes.entry(i).or_default() += b;
        }
        for (i, (n, last)) in out.errors {
            let e = errors.entry(i).or_insert((0, String::new()));
            e.0 += n;
            e.1 = last;
        }
    }
    println!(
        "| endpoint | requests | req/s | p50 ms | p95 ms | p99 ms | max ms | KiB/resp | errors |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    let mut all = Vec::new();
    for (i, e) in endpoints.iter().enumerate() {
        let mut v = samples.remove(&i).unwrap_or_default();
        v.sort();
        all.extend_from_slice(&v);
        let n = v.len();
        let err = errors.get(&i).map(|e| e.0).unwrap_or(0);
        let kib = bytes.get(&i).copied().unwrap_or(0) as f64 / 1024.0 / n.max(1) as f64;
        println!(
            "| {} | {n} | {:.1} | {} | {} | {} | {} | {kib:.1} | {err} |",
            e.name,
            n as f64 / measured,
            quantile_ms(&v, 0.50),
            quantile_ms(&v, 0.95),
            quantile_ms(&v, 0.99),
            quantile_ms(&v, 1.0),
        );
    }
    all.sort();
    println!(
        "| **all** | {} | {:.1} | {} | {} | {} | {} | | {} |",
        all.len(),
        all.len() as f64 / measured,
        quantile_ms(&all, 0.50),
        quantile_ms(&all, 0.95),
        quantile_ms(&all, 0.99),
        quantile_ms(&all, 1.0),
        errors.values().map(|e| e.0).sum::<u64>()
    );
    for (i, (n, last)) in &errors {
        println!("errors on {}: {n}, last: {last}", endpoints[*i].name);
    }
}

/// wrk on the list endpoints (JSON when the API has them), same server, 32 connections.
fn run_wrk(
    addr: SocketAddr,
    routes: &[&str],
    sessions: &BTreeMap<String, Session>,
    secs: u64,
    server_pid: u32,
    pg_port: Option<u16>,
) -> Result<()> {
    if Command::new("wrk").arg("--version").output().is_err() {
        println!("\nwrk not installed (apt-get install -y wrk): throughput not measured");
        return Ok(());
    }
    let reader = sessions
        .values()
        .find(|s| s.role == Role::Monitor)
        .context("thiếu phiên giám sát")?;
    let officer = sessions
        .values()
        .find(|s| s.role == Role::AgencyOfficer)
        .context("thiếu phiên cán bộ")?;
    let mut targets: Vec<(String, &Session, bool)> = Vec::new();
    for (route, path, who) in [
        ("/api/plans", "/api/plans".to_string(), reader),
        ("/api/inbox", "/api/inbox".to_string(), officer),
        ("/api/dashboard", "/api/dashboard".to_string(), reader),
    ] {
        if routes.contains(&route) {
            targets.push((path, who, true));
        }
    }
    // The HTML lists always, to compare.
    targets.push(("/plans".into(), reader, false));
    println!("\n## wrk -t2 -c32 -d{secs}s --latency\n");
    println!(
        "| path | auth | req/s | avg ms | p50 ms | p90 ms | p99 ms | non-2xx | server CPU cores |"
    );
    println!("|---|---|---:|---:|---:|---:|---:|---:|---:|");
    for (path, who, api) in targets {
        let header = match (&who.bearer, api) {
            (Some(b), true) => format!("Authorization: {b}"),
            _ => format!("Cookie: {}", who.cookie),
        };
        let c0 = proc_cpu(server_pid) + pg_port.map(pg_cpu).unwrap_or(0.0);
        let t = Instant::now();
        let out = Command::new("wrk")
            .args([
                "-t2",
                "-c32",
                &format!("-d{secs}s"),
                "--latency",
                "-H",
                &header,
            ])
            .arg(format!("http://{addr}{path}"))
            .output()?;
        let cores = (proc_cpu(server_pid) + pg_port.map(pg_cpu).unwrap_or(0.0) - c0)
            / t.elapsed().as_secs_f64();
        let text = String::from_utf8_lossy(&out.stdout).to_string();
        let find = |prefix: &str, idx: usize| {
            text.lines()
                .map(str::trim)
                .find(|l| l.starts_with(prefix))
                .and_then(|l| l.split_whitespace().nth(idx))
                .unwrap_or("–")
                .to_string()
        };
        let non2xx = find("Non-2xx", 4);
        println!(
            "| {path} | {} | {} | {} | {} | {} | {} | {} | {cores:.2} |",
            if api && who.bearer.is_some() {
                "bearer"
            } else {
                "cookie"
            },
            find("Requests/sec:", 1),
            wrk_ms(&find("Latency", 1)),
            wrk_ms(&find("50%", 1)),
            wrk_ms(&find("90%", 1)),
            wrk_ms(&find("99%", 1)),
            if non2xx == "–" {
                "0".to_string()
            } else {
                non2xx
            },
        );
        eprintln!("{text}");
    }
    Ok(())
}

/// wrk prints "12.34ms", "1.02s" or "850.00us".
fn wrk_ms(s: &str) -> String {
    let v = |suffix: &str, f: f64| {
        s.strip_suffix(suffix)
            .and_then(|n| n.parse::<f64>().ok())
            .map(|n| n * f)
    };
    v("us", 0.001)
        .or_else(|| v("ms", 1.0))
        .or_else(|| v("s", 1000.0))
        .map(|ms| format!("{ms:.1}"))
        .unwrap_or_else(|| s.to_string())
}
