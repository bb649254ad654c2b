//! Atomicity under a kill: a child process (this test binary, re-executed) publishes a big
//! plan or imports the register and is SIGKILLed in the middle; the database then holds
//! either everything or nothing.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

use common::{count, d, import_nghe_an, noon, plan, task};
use tinhgon_domain::DeadlineKind;
use tinhgon_store::{plans, register, Db};

const CHILD_ENV: &str = "TINHGON_KILL_CHILD";

/// The child's side: runs only when re-executed by the parent with `TINHGON_KILL_CHILD`.
#[tokio::test]
async fn kill_child_entry() -> anyhow::Result<()> {
    let Ok(spec) = std::env::var(CHILD_ENV) else {
        return Ok(());
    };
    let (what, url) = spec
        .split_once('|')
        .ok_or_else(|| anyhow::anyhow!("bad spec"))?;
    let db = Db::connect(url).await?;
    match what {
        "publish" => {
            let plan_id: i64 = std::env::var("TINHGON_KILL_PLAN")?.parse()?;
            println!("READY");
            plans::system::publish_plan(&db, plan_id, None, d(2025, 8, 1), noon(d(2025, 8, 1)))
                .await?;
            println!("COMMITTED");
        }
        "register" => {
            println!("READY");
            register::import_register(&db, &common::nghe_an_dir()).await?;
            println!("COMMITTED");
        }
        _ => anyhow::bail!("unknown child job"),
    }
    // Stay alive so that the parent's kill is what ends us.
    tokio::time::sleep(Duration::from_secs(60)).await;
    Ok(())
}

/// Starts the child on `job`, waits until it is inside the work, kills it after `delay`.
fn run_and_kill(job: &str, url: &str, plan: Option<i64>, delay: Duration) -> anyhow::Result<bool> {
    let exe = std::env::current_exe()?;
    let mut cmd = Command::new(exe);
    cmd.args([
        "--exact",
        "kill_child_entry",
        "--nocapture",
        "--test-threads",
        "1",
    ])
    .env(CHILD_ENV, format!("{job}|{url}"))
    .stdout(Stdio::piped())
    .stderr(Stdio::null());
    if let Some(p) = plan {
        cmd.env("TINHGON_KILL_PLAN", p.to_string());
    }
    let mut child = cmd.spawn()?;
    let stdout = child
        .stdout
        .take()
        .ok_or_else(|| anyhow::anyhow!("no stdout"))?;
    let mut lines = BufReader::new(stdout).lines();
    loop {
        match lines.next() {
            Some(Ok(l)) if l.contains("READY") => break,
            Some(Ok(_)) => continue,
            _ => anyhow::bail!("child ended before starting"),
        }
    }
    std::thread::sleep(delay);
    child.kill()?; // SIGKILL
    child.wait()?;
    let committed = lines.map_while(Result::ok).any(|l| l.contains("COMMITTED"));
    Ok(committed)
}

/// A plan big enough that publishing it takes a while: many tasks, each for every department.
fn big_plan() -> tinhgon_domain::PlanDraft {
    let tasks = (1..=400)
        .map(|i| {
            task(
                &format!("T{i}"),
                &["Các Sở, ngành"],
                &["Sở Nội vụ"],
                DeadlineKind::By,
                Some(d(2025, 12, 31)),
            )
        })
        .collect();
    plan("999/KH-UBND", d(2025, 8, 1), tasks)
}

async fn check_publish_kill(db: &Db, url: &str) -> anyhow::Result<()> {
    let p = import_nghe_an(db).await?;
    let draft = big_plan();
    let plan_id = plans::system::insert_draft(
        db,
        &plans::NewDraft {
            province_id: Some(p),
            draft: &draft,
            source_text: None,
            content_hash: "big",
            by: None,
            at: noon(d(2025, 8, 1)),
        },
    )
    .await?;
    let committed = run_and_kill("publish", url, Some(plan_id), Duration::from_millis(700))?;
    let reopened = Db::connect(url).await?;
    let tasks = count(&reopened, "tasks").await?;
    let assignments = count(&reopened, "assignments").await?;
    let changes = count(&reopened, "status_changes").await?;
    let state = plans::get_plan(&reopened, plan_id).await?.plan.state;
    let all = (400, 400 * 14);
    if committed {
        anyhow::ensure!(
            (tasks, assignments) == (all.0, all.1 as i64) || tasks == all.0,
            "committed but partial: {tasks} tasks"
        );
    } else {
        anyhow::ensure!(
            (tasks, assignments, changes) == (0, 0, 0),
            "killed mid-publication left {tasks} tasks, {assignments} assignments, {changes} history rows"
        );
        anyhow::ensure!(
            state == tinhgon_domain::plan::PlanState::Draft,
            "plan state {state:?}"
        );
        // The draft can still be published afterwards.
        let done = plans::system::publish_plan(
            &reopened,
            plan_id,
            None,
            d(2025, 8, 1),
            noon(d(2025, 8, 1)),
        )
        .await?;
        anyhow::ensure!(done.tasks == 400);
    }
    println!("publish kill: committed before kill = {committed}");
    reopened.close().await;
    Ok(())
}

#[tokio::test]
async fn killing_a_publication_leaves_no_half_written_plan_sqlite() -> anyhow::Result<()> {
    let t = tinhgon_testkit::sqlite_db();
    let db = Db::connect(&t.url).await?;
    check_publish_kill(&db, &t.url).await
}

#[tokio::test]
async fn killing_a_publication_leaves_no_half_written_plan_postgres() -> anyhow::Result<()> {
    let t = tinhgon_testkit::postgres_db();
    let db = Db::connect(&t.url).await?;
    check_publish_kill(&db, &t.url).await
}

#[tokio::test]
async fn killing_a_register_import_writes_nothing_sqlite() -> anyhow::Result<()> {
    // The import is quick: kill at growing delays until one kill lands inside it; every
    // outcome must be all or nothing.
    let mut killed_inside = false;
    for delay_ms in [5u64, 20, 40, 80, 120, 200] {
        let t = tinhgon_testkit::sqlite_db();
        // Create the schema first so the child spends its time in the import itself.
        Db::connect(&t.url).await?.close().await;
        let committed = run_and_kill("register", &t.url, None, Duration::from_millis(delay_ms))?;
        let db = Db::connect(&t.url).await?;
        let units = count(&db, "units").await?;
        let events = count(&db, "restructuring_events").await?;
        // The child may commit and be killed before it prints COMMITTED, so judge by the data:
        // all of the register or none of it, never a part.
        let complete = (units, events) == (599, 132);
        let empty = (units, events) == (0, 0);
        anyhow::ensure!(
            complete || empty,
            "killed import left a partial register: {units} units, {events} events"
        );
        anyhow::ensure!(!committed || complete, "committed import has {units} units");
        killed_inside |= empty;
        println!("register kill after {delay_ms} ms: committed = {committed}, units = {units}");
        db.close().await;
    }
    anyhow::ensure!(killed_inside, "no kill landed before the commit");
    Ok(())
}
