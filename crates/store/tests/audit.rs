//! Audit rows written in the same transaction as the change they record, on both databases:
//! every audited write leaves its row (object, actor, before → after); a refused or failing
//! write leaves neither change nor row; concurrent writers keep one unbroken chain.

mod common;

use chrono::{DateTime, Utc};
use common::{count, d, import_nghe_an, noon, plan, plan_of, task};
use serde_json::{json, Value};
use tinhgon_domain::user::Role;
use tinhgon_domain::{Action, DeadlineKind};
use tinhgon_store::audit::{self, AuditEntry, AuditRow};
use tinhgon_store::notifications::{self, Audience, Notice};
use tinhgon_store::periodic::{self, AgencyReportContent, NewSchedule, PeriodKind, Window};
use tinhgon_store::records::{self, NewEvidence, NewReminder};
use tinhgon_store::status::{self, ChangeRequest};
use tinhgon_store::{accounts, plans, Db, StoreError};

/// An entry by account 7 ("canbo") about `kind` `id`, with `after` as the caller knows it.
fn entry(action: &str, kind: &str, id: Option<i64>, after: Option<Value>) -> AuditEntry {
    AuditEntry {
        actor_id: Some(7),
        actor_login: Some("canbo".into()),
        action: action.into(),
        object_kind: kind.into(),
        object_id: id,
        before: None,
        after,
        notices: Vec::new(),
    }
}

/// The newest audit row.
async fn last(db: &Db) -> anyhow::Result<AuditRow> {
    audit::recent(db, 1)
        .await?
        .pop()
        .ok_or_else(|| anyhow::anyhow!("no audit row"))
}

fn parsed(text: &Option<String>) -> Value {
    text.as_deref()
        .and_then(|t| serde_json::from_str(t).ok())
        .unwrap_or(Value::Null)
}

/// Checks the newest row: action, object, actor and the exact before/after.
async fn expect_last(
    db: &Db,
    action: &str,
    kind: &str,
    id: i64,
    before: Value,
    after: Value,
) -> anyhow::Result<()> {
    let r = last(db).await?;
    anyhow::ensure!(r.action == action, "action {} ≠ {action}", r.action);
    anyhow::ensure!(
        r.object_kind == kind && r.object_id == Some(id),
        "{action}: object {} {:?} ≠ {kind} {id}",
        r.object_kind,
        r.object_id
    );
    anyhow::ensure!(r.actor_id == Some(7) && r.actor_login.as_deref() == Some("canbo"));
    anyhow::ensure!(
        parsed(&r.before_json) == before,
        "{action}: before {:?}",
        r.before_json
    );
    anyhow::ensure!(
        parsed(&r.after_json) == after,
        "{action}: after {:?}",
        r.after_json
    );
    Ok(())
}

fn officer_start(id: i64, at: DateTime<Utc>) -> ChangeRequest {
    ChangeRequest {
        assignment_id: id,
        action: Action::Start,
        role: Role::AgencyOfficer,
        actor: Some(7),
        note: Some("bắt đầu".into()),
        at,
        expected: None,
    }
}

/// Plan 8/KH-UBND published in Nghệ An on 1/8/2025: task 1 led by Sở Tư pháp with Sở Y tế
/// coordinating, due 20/8, and task 2 with a conditional deadline.
struct Plan8 {
    db: Db,
    p: i64,
    day: chrono::NaiveDate,
    at: DateTime<Utc>,
    /// The assignment of task 1.
    a: i64,
    /// The plan.
    plan: i64,
    task1: i64,
    conditional_task: i64,
    /// Sở Y tế.
    health: i64,
}

async fn plan8(t: &tinhgon_testkit::TestDb) -> anyhow::Result<Plan8> {
    let db = Db::connect(&t.url).await?;
    let p = import_nghe_an(&db).await?;
    let day = d(2025, 8, 1);
    let at = noon(day);
    let published = plan_of("8/KH-UBND", day)
        .task(task(
            "1",
            &["Sở Tư pháp"],
            &["Sở Y tế"],
            DeadlineKind::By,
            Some(d(2025, 8, 20)),
        ))
        .task(task(
            "2",
            &["Sở Tư pháp"],
            &[],
            DeadlineKind::Conditional,
            None,
        ))
        .publish(&db, p)
        .await?;
    let a = published.of("1")?;
    let conditional_task = published.assignments[1].task_id;
    let task1 = published.assignments[0].task_id;
    let health = common::unit_named(&db, p, "Sở Y tế", day).await?;
    Ok(Plan8 {
        db,
        p,
        day,
        at,
        a,
        plan: published.id,
        task1,
        conditional_task,
        health,
    })
}

/// The audit chain is unbroken and holds `rows` rows.
async fn expect_chain(db: &Db, rows: u64) -> anyhow::Result<()> {
    let v = audit::verify(db).await?;
    anyhow::ensure!(v.broken.is_none() && v.rows == rows, "{v:?}");
    Ok(())
}

tinhgon_testkit::both_databases! {
    /// A status change: the store fills in the statuses it read and set.
    async fn status_change_row_holds_the_statuses_read_and_set(t) -> anyhow::Result<()> {
        let Plan8 { db, at, a, .. } = plan8(&t).await?;
        let start = audit::verify(&db).await?.rows;
        let e = entry(
            "assignment.start",
            "assignment",
            Some(a),
            Some(json!({"note": "bắt đầu"})),
        );
        status::change_status_audited(&db, &officer_start(a, at), &e, None).await?;
        expect_last(
            &db,
            "assignment.start",
            "assignment",
            a,
            json!({"status": "not_started"}),
            json!({"status": "in_progress", "note": "bắt đầu"}),
        )
        .await?;
        expect_chain(&db, start + 1).await
    }
}

tinhgon_testkit::both_databases! {
    /// A progress report with evidence: the new report's id is added.
    async fn progress_report_row_names_the_new_report(t) -> anyhow::Result<()> {
        let Plan8 { db, at, a, .. } = plan8(&t).await?;
        let start = audit::verify(&db).await?.rows;
        let ev = NewEvidence {
            file_name: "bao-cao.pdf".into(),
            media_type: "application/pdf".into(),
            size_bytes: 10,
            sha256: "cd".repeat(32),
            storage_key: "ev/cd".into(),
        };
        let e = entry(
            "assignment.progress",
            "assignment",
            Some(a),
            Some(json!({"percent": 30})),
        );
        let rid = records::add_progress_report_audited(&db, &records::NewProgress { assignment_id: a, actor: Some(7), percent: Some(30), text: "Đã làm", evidence: &[ev], at, once: None }, &e, None)
        .await?;
        expect_last(
            &db,
            "assignment.progress",
            "assignment",
            a,
            Value::Null,
            json!({"percent": 30, "report": rid}),
        )
        .await?;
        expect_chain(&db, start + 1).await
    }
}

tinhgon_testkit::both_databases! {
    /// An extension request and its approval: the due date before and after the decision.
    async fn extension_rows_hold_the_due_date_before_and_after(t) -> anyhow::Result<()> {
        let Plan8 { db, at, a, .. } = plan8(&t).await?;
        let start = audit::verify(&db).await?.rows;
        let e = entry(
            "extension.request",
            "assignment",
            Some(a),
            Some(json!({"new_due": "2025-09-30"})),
        );
        let eid = records::request_extension_audited(&db, &records::NewExtension { assignment_id: a, by: Some(7), new_due: d(2025, 9, 30), reason: "Chờ ý kiến", at, once: None }, &e)
        .await?;
        expect_last(
            &db,
            "extension.request",
            "assignment",
            a,
            Value::Null,
            json!({"new_due": "2025-09-30", "request": eid}),
        )
        .await?;
        let e = entry(
            "extension.approve",
            "assignment",
            Some(a),
            Some(json!({"request": eid, "approved": true})),
        );
        records::decide_extension_audited(&db, eid, true, Some(7), None, at, &e).await?;
        expect_last(
            &db,
            "extension.approve",
            "assignment",
            a,
            json!({"due": "2025-08-20"}),
            json!({"request": eid, "approved": true, "due": "2025-09-30"}),
        )
        .await?;
        expect_chain(&db, start + 2).await
    }
}

tinhgon_testkit::both_databases! {
    /// An obstacle raised and answered.
    async fn obstacle_rows_name_the_obstacle(t) -> anyhow::Result<()> {
        let Plan8 { db, at, a, .. } = plan8(&t).await?;
        let start = audit::verify(&db).await?.rows;
        let e = entry("obstacle.raise", "assignment", Some(a), None);
        let oid =
            records::raise_obstacle_audited(&db, &records::NewObstacle { assignment_id: a, by: Some(7), text: "Thiếu biên chế", at, once: None }, &e).await?;
        expect_last(
            &db,
            "obstacle.raise",
            "assignment",
            a,
            Value::Null,
            json!({"obstacle": oid}),
        )
        .await?;
        let e = entry(
            "obstacle.answer",
            "assignment",
            Some(a),
            Some(json!({"obstacle": oid})),
        );
        records::answer_obstacle_audited(&db, oid, Some(7), "Đã bố trí", at, &e).await?;
        expect_last(
            &db,
            "obstacle.answer",
            "assignment",
            a,
            Value::Null,
            json!({"obstacle": oid}),
        )
        .await?;
        expect_chain(&db, start + 2).await
    }
}

tinhgon_testkit::both_databases! {
    /// A coordinator's contribution.
    async fn contribution_row_names_the_contribution(t) -> anyhow::Result<()> {
        let Plan8 { db, at, task1, health, .. } = plan8(&t).await?;
        let start = audit::verify(&db).await?.rows;
        let e = entry("task.contribution", "task", Some(task1), None);
        let cid =
            records::add_contribution_audited(&db, task1, health, Some(7), "Đã góp ý", at, &e)
                .await?;
        expect_last(
            &db,
            "task.contribution",
            "task",
            task1,
            Value::Null,
            json!({"contribution": cid}),
        )
        .await?;
        expect_chain(&db, start + 1).await
    }
}

tinhgon_testkit::both_databases! {
    /// The condition of a conditional task happened: the due date it set is recorded.
    async fn trigger_row_holds_the_due_date_it_set(t) -> anyhow::Result<()> {
        let Plan8 { db, day, at, conditional_task, .. } = plan8(&t).await?;
        let start = audit::verify(&db).await?.rows;
        let e = entry("task.trigger", "task", Some(conditional_task), None);
        status::trigger_condition_audited(&db, conditional_task, day, at, &e).await?;
        let due = tinhgon_domain::classify::DEFAULT_CONDITION_DAYS;
        let expected_due = day + chrono::Days::new(u64::from(due));
        expect_last(
            &db,
            "task.trigger",
            "task",
            conditional_task,
            Value::Null,
            json!({"on": "2025-08-01", "due": expected_due.to_string()}),
        )
        .await?;
        expect_chain(&db, start + 1).await
    }
}

tinhgon_testkit::both_databases! {
    /// A reminder made by a person is audited once a day.
    async fn a_repeated_reminder_is_not_audited(t) -> anyhow::Result<()> {
        let Plan8 { db, day, at, health, .. } = plan8(&t).await?;
        let start = audit::verify(&db).await?.rows;
        let r = NewReminder {
            unit_id: health,
            assignment_id: None,
            kind: "urging".into(),
            for_date: day,
            message: "Đôn đốc".into(),
            created_by: Some(7),
        };
        let e = entry("report.urge", "unit", Some(health), None);
        anyhow::ensure!(records::create_reminder_audited(&db, &r, at, &e).await?);
        let rows = audit::verify(&db).await?.rows;
        anyhow::ensure!(!records::create_reminder_audited(&db, &r, at, &e).await?);
        anyhow::ensure!(
            audit::verify(&db).await?.rows == rows,
            "a repeated reminder is not audited"
        );
        expect_chain(&db, start + 1).await
    }
}

tinhgon_testkit::both_databases! {
    /// Accounts: creation (with the e-mail), enable/disable, password, lock, API token.
    async fn account_changes_leave_their_rows(t) -> anyhow::Result<()> {
        let Plan8 { db, p, at, .. } = plan8(&t).await?;
        let start = audit::verify(&db).await?.rows;
        let new = accounts::NewUser {
            login: "kiemtra".into(),
            display_name: "Kiểm tra".into(),
            password_hash: "$argon2id$x".into(),
            role: Role::Monitor,
            unit_id: None,
            province_id: Some(p),
        };
        let e = entry(
            "user.create",
            "user",
            None,
            Some(json!({"login": "kiemtra"})),
        );
        let uid = accounts::create_user_audited(&db, &new, Some("kt@example.vn"), &e).await?;
        expect_last(
            &db,
            "user.create",
            "user",
            uid,
            Value::Null,
            json!({"login": "kiemtra"}),
        )
        .await?;
        anyhow::ensure!(
            tinhgon_store::outbox::email_of(&db, uid).await?.as_deref() == Some("kt@example.vn")
        );
        let e = entry("user.active", "user", Some(uid), None);
        accounts::set_active_audited(&db, uid, false, &e, at).await?;
        expect_last(
            &db,
            "user.active",
            "user",
            uid,
            json!({"active": true}),
            json!({"active": false}),
        )
        .await?;
        let e = entry("user.password", "user", Some(uid), None);
        accounts::set_password_hash_audited(&db, uid, "$argon2id$y", &e, at).await?;
        expect_last(&db, "user.password", "user", uid, Value::Null, Value::Null).await?;
        let lock = entry("user.locked", "user", Some(uid), None);
        let rows = audit::verify(&db).await?.rows;
        for i in 1..=accounts::MAX_FAILED_ATTEMPTS {
            let locked = accounts::record_failed_sign_in_audited(&db, uid, at, &lock).await?;
            anyhow::ensure!(
                locked.is_some() == (i == accounts::MAX_FAILED_ATTEMPTS),
                "attempt {i}"
            );
        }
        anyhow::ensure!(
            audit::verify(&db).await?.rows == rows + 1,
            "only the locking failure is audited"
        );
        let locked_until = (at + chrono::Duration::minutes(accounts::LOCK_MINUTES)).to_rfc3339();
        expect_last(
            &db,
            "user.locked",
            "user",
            uid,
            Value::Null,
            json!({"locked_until": locked_until}),
        )
        .await?;
        let e = entry(
            "api_token.create",
            "api_token",
            None,
            Some(json!({"name": "tích hợp"})),
        );
        let tid =
            accounts::create_api_token_audited(&db, uid, "tích hợp", "hash-1", at, &e).await?;
        expect_last(
            &db,
            "api_token.create",
            "api_token",
            tid,
            Value::Null,
            json!({"name": "tích hợp"}),
        )
        .await?;
        expect_chain(&db, start + 5).await
    }
}

tinhgon_testkit::both_databases! {
    /// Plans: import, draft edit, publication, public flag.
    async fn plan_changes_leave_their_rows(t) -> anyhow::Result<()> {
        let Plan8 { db, p, day, at, .. } = plan8(&t).await?;
        let start = audit::verify(&db).await?.rows;
        let draft = plan(
            "9/KH-UBND",
            day,
            vec![task(
                "1",
                &["Sở Tư pháp"],
                &[],
                DeadlineKind::By,
                Some(d(2025, 9, 1)),
            )],
        );
        let e = entry("plan.import", "plan", None, Some(json!({"tasks": 1})));
        let pid = plans::insert_draft_audited(
            &db,
            &plans::NewDraft {
                province_id: Some(p),
                draft: &draft,
                source_text: None,
                content_hash: "h9",
                by: Some(7),
                at,
            },
            &e,
        )
        .await?;
        expect_last(
            &db,
            "plan.import",
            "plan",
            pid,
            Value::Null,
            json!({"tasks": 1}),
        )
        .await?;
        let e = AuditEntry {
            before: Some(json!({"title": "Kế hoạch 9/KH-UBND"})),
            ..entry(
                "plan.edit",
                "plan",
                Some(pid),
                Some(json!({"title": "Mới"})),
            )
        };
        plans::update_draft_audited(&db, pid, &draft, &Default::default(), at, &e).await?;
        expect_last(
            &db,
            "plan.edit",
            "plan",
            pid,
            json!({"title": "Kế hoạch 9/KH-UBND"}),
            json!({"title": "Mới"}),
        )
        .await?;
        let e = entry("plan.publish", "plan", Some(pid), None);
        let out = plans::publish_plan_audited(&db, pid, Some(7), day, at, &e).await?;
        expect_last(
            &db,
            "plan.publish",
            "plan",
            pid,
            json!({"state": "draft"}),
            json!({"state": "published", "tasks": out.tasks, "assignments": out.assignments}),
        )
        .await?;
        anyhow::ensure!(out.tasks == 1 && out.assignments == 1);
        let e = entry("plan.public", "plan", Some(pid), None);
        plans::set_public_audited(&db, pid, true, &e, at).await?;
        expect_last(
            &db,
            "plan.public",
            "plan",
            pid,
            json!({"public": false}),
            json!({"public": true}),
        )
        .await?;
        expect_chain(&db, start + 4).await
    }
}

tinhgon_testkit::both_databases! {
    /// Periodic reporting: a schedule with the period's requests (opened twice, audited twice,
    /// asking nothing new the second time), then two submissions.
    async fn periodic_reporting_leaves_its_rows(t) -> anyhow::Result<()> {
        let Plan8 { db, at, plan, .. } = plan8(&t).await?;
        let start = audit::verify(&db).await?.rows;
        let w = Window {
            kind: PeriodKind::Monthly,
            label: "tháng 8/2025".into(),
            start: d(2025, 8, 1),
            end: d(2025, 8, 31),
            cutoff: d(2025, 8, 31),
            due: d(2025, 9, 5),
        };
        let s = NewSchedule {
            plan_id: plan,
            kind: PeriodKind::Monthly,
            cutoff_day: 0,
            due_days: 5,
            by: Some(7),
            at,
        };
        let e = entry(
            "report.schedule",
            "plan",
            Some(plan),
            Some(json!({"period": "tháng 8/2025"})),
        );
        let opened = periodic::schedule_and_open(&db, &s, &w, &e, None).await?;
        anyhow::ensure!(opened.requests.len() == 1 && opened.new_requests == opened.requests);
        expect_last(
            &db,
            "report.schedule",
            "plan",
            plan,
            Value::Null,
            json!({"period": "tháng 8/2025", "requests": 1, "new_requests": 1}),
        )
        .await?;
        let again = periodic::schedule_and_open(&db, &s, &w, &e, None).await?;
        anyhow::ensure!(again.requests == opened.requests && again.new_requests.is_empty());
        let req = opened.requests[0];
        let content = AgencyReportContent {
            summary: "Tốt".into(),
            ..Default::default()
        };
        let e = entry("report.submit", "report_request", Some(req), None);
        let v1 = periodic::submit_report_audited(&db, req, Some(7), &content, at, &e).await?;
        expect_last(
            &db,
            "report.submit",
            "report_request",
            req,
            Value::Null,
            json!({"version": 1, "report": v1}),
        )
        .await?;
        let v2 = periodic::submit_report_audited(&db, req, Some(7), &content, at, &e).await?;
        expect_last(
            &db,
            "report.submit",
            "report_request",
            req,
            Value::Null,
            json!({"version": 2, "report": v2}),
        )
        .await?;
        expect_chain(&db, start + 4).await
    }
}

/// Adds a trigger that makes every insert into `audit_log` fail, as a crash or a full disk
/// between the change and its audit row would.
async fn break_audit_inserts(db: &Db) -> anyhow::Result<()> {
    match db {
        Db::Sqlite(pool) => {
            sqlx::query("CREATE TRIGGER audit_down BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'audit down'); END")
                .execute(pool)
                .await?;
        }
        Db::Postgres(pool) => {
            sqlx::query("CREATE FUNCTION audit_down() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit down'; END $$")
                .execute(pool)
                .await?;
            sqlx::query("CREATE TRIGGER audit_down BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_down()")
                .execute(pool)
                .await?;
        }
    }
    Ok(())
}

async fn repair_audit_inserts(db: &Db) -> anyhow::Result<()> {
    match db {
        Db::Sqlite(pool) => {
            sqlx::query("DROP TRIGGER audit_down").execute(pool).await?;
        }
        Db::Postgres(pool) => {
            sqlx::query("DROP TRIGGER audit_down ON audit_log")
                .execute(pool)
                .await?;
        }
    }
    Ok(())
}

/// Plan 10/KH-UBND published in Nghệ An on 1/8/2025: one task led by Sở Tư pháp, due 20/8.
struct Plan10 {
    db: Db,
    p: i64,
    day: chrono::NaiveDate,
    at: DateTime<Utc>,
    published: common::Published,
    /// The assignment of the task.
    a: i64,
}

async fn plan10(t: &tinhgon_testkit::TestDb) -> anyhow::Result<Plan10> {
    let db = Db::connect(&t.url).await?;
    let p = import_nghe_an(&db).await?;
    let day = d(2025, 8, 1);
    let published = plan_of("10/KH-UBND", day)
        .due("1", "Sở Tư pháp", d(2025, 8, 20))
        .publish(&db, p)
        .await?;
    let a = published.of("1")?;
    Ok(Plan10 {
        db,
        p,
        day,
        at: noon(day),
        published,
        a,
    })
}

/// Row counts of the tables an audited write may touch, in this order.
const TOUCHED: [&str; 8] = [
    "status_changes",
    "progress_reports",
    "evidence",
    "extension_requests",
    "obstacles",
    "users",
    "plans",
    "audit_log",
];

async fn snapshot(db: &Db) -> anyhow::Result<Vec<i64>> {
    let mut out = Vec::new();
    for t in TOUCHED {
        out.push(count(db, t).await?);
    }
    Ok(out)
}

tinhgon_testkit::both_databases! {
    /// Writes refused by the rules, by a constraint, by a conflict or by a decided request
    /// change nothing and leave no audit row.
    async fn a_refused_write_leaves_neither_change_nor_audit_row(t) -> anyhow::Result<()> {
        let Plan10 { db, p, day, at, published, a } = plan10(&t).await?;
        let before = snapshot(&db).await?;

        // Refused by the rules: an officer cannot confirm; a non-conditional task has no trigger.
        let confirm = ChangeRequest {
            action: Action::Confirm,
            ..officer_start(a, at)
        };
        let e = entry("assignment.confirm", "assignment", Some(a), None);
        let r = status::change_status_audited(&db, &confirm, &e, None).await;
        anyhow::ensure!(matches!(r, Err(StoreError::Rejected(_))), "{r:?}");
        let r = status::trigger_condition_audited(
            &db,
            published.assignments[0].task_id,
            day,
            at,
            &entry("task.trigger", "task", None, None),
        )
        .await;
        anyhow::ensure!(matches!(r, Err(StoreError::Rejected(_))), "{r:?}");
        // Refused by a constraint: a login already taken, an assignment that does not exist.
        let dup = accounts::NewUser {
            login: "x1".into(),
            display_name: "X".into(),
            password_hash: "h".into(),
            role: Role::Monitor,
            unit_id: None,
            province_id: Some(p),
        };
        let e = entry("user.create", "user", None, None);
        accounts::system::create_user(&db, &dup).await?;
        let r = accounts::create_user_audited(&db, &dup, None, &e).await;
        anyhow::ensure!(matches!(r, Err(StoreError::Rejected(_))), "{r:?}");
        let r = records::raise_obstacle_audited(&db, &records::NewObstacle { assignment_id: 999_999, by: Some(7), text: "x", at, once: None }, &entry("obstacle.raise", "assignment", Some(999_999), None))
        .await;
        anyhow::ensure!(r.is_err(), "{r:?}");
        // A conflict: the status the person saw is no longer the current one.
        let stale = ChangeRequest {
            expected: Some(tinhgon_domain::Status::InProgress),
            ..officer_start(a, at)
        };
        let r = status::change_status_audited(
            &db,
            &stale,
            &entry("assignment.start", "assignment", Some(a), None),
            None,
        )
        .await;
        anyhow::ensure!(matches!(r, Err(StoreError::Conflict(_))), "{r:?}");
        // A decision on a request that is no longer pending.
        let eid = records::system::request_extension(&db, a, None, d(2025, 9, 1), "x", at).await?;
        let e = entry("extension.approve", "assignment", Some(a), None);
        records::decide_extension_audited(&db, eid, false, Some(7), None, at, &e).await?;
        let rows = count(&db, "audit_log").await?;
        let r = records::decide_extension_audited(&db, eid, true, Some(7), None, at, &e).await;
        anyhow::ensure!(matches!(r, Err(StoreError::Rejected(_))), "{r:?}");
        anyhow::ensure!(count(&db, "audit_log").await? == rows);
        // Publishing a published plan.
        let r = plans::publish_plan_audited(
            &db,
            published.id,
            Some(7),
            day,
            at,
            &entry("plan.publish", "plan", Some(published.id), None),
        )
        .await;
        anyhow::ensure!(matches!(r, Err(StoreError::Rejected(_))), "{r:?}");
        let mut expected = before.clone();
        expected[3] += 1; // the extension request made above (unaudited on purpose)
        expected[5] += 1; // account x1
        expected[7] += 1; // the refusal of the extension
        anyhow::ensure!(
            snapshot(&db).await? == expected,
            "refusals changed something"
        );
        Ok(())
    }
}

tinhgon_testkit::both_databases! {
    /// When the audit row cannot be written, the change is rolled back with it; once the log
    /// works again the same write goes through and the chain is whole.
    async fn a_failing_audit_row_rolls_the_change_back(t) -> anyhow::Result<()> {
        let Plan10 { db, p, at, published, a, .. } = plan10(&t).await?;
        let chain = audit::verify(&db).await?.rows;
        break_audit_inserts(&db).await?;
        let before = snapshot(&db).await?;
        let start = entry("assignment.start", "assignment", Some(a), None);
        anyhow::ensure!(
            status::change_status_audited(&db, &officer_start(a, at), &start, None)
                .await
                .is_err()
        );
        let ev = NewEvidence {
            file_name: "a.pdf".into(),
            media_type: "application/pdf".into(),
            size_bytes: 1,
            sha256: "ef".repeat(32),
            storage_key: "ev/ef".into(),
        };
        let e = entry("assignment.progress", "assignment", Some(a), None);
        anyhow::ensure!(records::add_progress_report_audited(&db, &records::NewProgress { assignment_id: a, actor: Some(7), percent: None, text: "x", evidence: &[ev], at, once: None }, &e, None)
        .await
        .is_err());
        anyhow::ensure!(records::raise_obstacle_audited(&db, &records::NewObstacle { assignment_id: a, by: Some(7), text: "x", at, once: None }, &entry("obstacle.raise", "assignment", Some(a), None))
        .await
        .is_err());
        let e = entry("user.create", "user", None, None);
        let new = accounts::NewUser {
            login: "x2".into(),
            display_name: "X".into(),
            password_hash: "h".into(),
            role: Role::Monitor,
            unit_id: None,
            province_id: Some(p),
        };
        anyhow::ensure!(accounts::create_user_audited(&db, &new, None, &e)
            .await
            .is_err());
        let e = entry("plan.public", "plan", Some(published.id), None);
        anyhow::ensure!(plans::set_public_audited(&db, published.id, true, &e, at)
            .await
            .is_err());
        anyhow::ensure!(
            snapshot(&db).await? == before,
            "a change survived without its audit row"
        );
        let w = status::assignment_with_history(&db, a).await?;
        anyhow::ensure!(w.history.len() == 1, "still only the assignment's creation");
        anyhow::ensure!(!plans::get_plan(&db, published.id).await?.plan.public);
        repair_audit_inserts(&db).await?;

        // Once the log works again the same write goes through, and the chain is whole.
        status::change_status_audited(&db, &officer_start(a, at), &start, None).await?;
        expect_chain(&db, chain + 1).await?;
        Ok(())
    }
}

tinhgon_testkit::both_databases! {
    async fn concurrent_audited_writes_keep_one_chain_and_tampering_is_caught(t) -> anyhow::Result<()> {
        let db = Db::connect(&t.url).await?;
        let p = import_nghe_an(&db).await?;
        let day = d(2025, 8, 1);
        let mut builder = plan_of("11/KH-UBND", day);
        for i in 1..=8 {
            builder = builder.due(&i.to_string(), "Sở Tư pháp", d(2025, 9, i));
        }
        let published = builder.publish(&db, p).await?;
        // A second pool stands for a second server instance on the same database.
        let other = match &db {
            Db::Postgres(pool) => Db::Postgres(
                sqlx::postgres::PgPoolOptions::new()
                    .max_connections(8)
                    .connect_with((*pool.connect_options()).clone())
                    .await?,
            ),
            Db::Sqlite(_) => db.clone(),
        };
        let mut jobs = Vec::new();
        for (i, a) in published.ids().into_iter().enumerate() {
            for round in 0..4usize {
                let pool = if (i + round) % 2 == 0 {
                    db.clone()
                } else {
                    other.clone()
                };
                jobs.push(tokio::spawn(async move {
                    let at = noon(day);
                    let e = entry(
                        "assignment.progress",
                        "assignment",
                        Some(a),
                        Some(json!({"round": round})),
                    );
                    let r1 = records::add_progress_report_audited(&pool, &records::NewProgress { assignment_id: a, actor: Some(7), percent: Some([0, 10, 20, 30][round]), text: "x", evidence: &[], at, once: None }, &e, None)
                    .await;
                    let e = entry("obstacle.raise", "assignment", Some(a), None);
                    let r2 = records::raise_obstacle_audited(&pool, &records::NewObstacle { assignment_id: a, by: Some(7), text: "y", at, once: None }, &e).await;
                    r1.and(r2).map(|_| ())
                }));
            }
        }
        for j in jobs {
            j.await??;
        }
        let v = audit::verify(&db).await?;
        anyhow::ensure!(v.broken.is_none() && v.rows == 64, "{v:?}");
        anyhow::ensure!(
            count(&db, "progress_reports").await? == 32 && count(&db, "obstacles").await? == 32
        );
        // Each object has all its rows, each row links to the one before it.
        let rows = audit::for_object(&db, "assignment", published.ids()[0]).await?;
        anyhow::ensure!(rows.len() == 8);

        // Tampering is still caught: an edited row, a removed row.
        let tamper = |sql: &'static str| {
            let db = db.clone();
            async move {
                {
                    tinhgon_store::tx::query(sql).execute(&db).await?;
                };
                anyhow::Ok(())
            }
        };
        tamper("UPDATE audit_log SET actor_login = 'ai-do' WHERE id = 10").await?;
        anyhow::ensure!(audit::verify(&db).await?.broken.map(|b| b.0) == Some(10));
        tamper("UPDATE audit_log SET actor_login = 'canbo' WHERE id = 10").await?;
        anyhow::ensure!(audit::verify(&db).await?.broken.is_none());
        tamper("DELETE FROM audit_log WHERE id = 20").await?;
        anyhow::ensure!(audit::verify(&db).await?.broken.map(|b| b.0) == Some(21));
        if let Db::Postgres(_) = &other {
            other.close().await;
        }
        Ok(())
    }
}

/// The responsible unit of an assignment.
async fn unit_of(db: &Db, assignment: i64) -> anyhow::Result<i64> {
    Ok(
        tinhgon_store::tx::query("SELECT unit_id FROM assignments WHERE id = $1")
            .bind(assignment)
            .scalar(db)
            .await?,
    )
}

/// Notifications of an account: (kind, link), oldest first.
async fn notes_of(db: &Db, user: i64) -> anyhow::Result<Vec<(String, Option<String>)>> {
    let mut out: Vec<(String, Option<String>)> = notifications::for_user(db, user, 100)
        .await?
        .into_iter()
        .map(|n| (n.kind, n.link))
        .collect();
    out.reverse();
    Ok(out)
}

/// Plan 11/KH-UBND published in Nghệ An on 1/8/2025 with two tasks of Sở Tư pháp (due 20/8
/// and 25/8), an officer of that unit, a monitor of the province with an e-mail address and a
/// monitor elsewhere.
struct Plan11 {
    db: Db,
    at: DateTime<Utc>,
    plan: i64,
    /// Task 1's assignment.
    a: i64,
    /// Task 2's assignment.
    b: i64,
    /// Sở Tư pháp.
    unit: i64,
    officer: i64,
    monitor: i64,
    /// A monitor of another province (any other unit stands in for it): never told.
    elsewhere: i64,
}

async fn plan11(t: &tinhgon_testkit::TestDb) -> anyhow::Result<Plan11> {
    let db = Db::connect(&t.url).await?;
    let p = import_nghe_an(&db).await?;
    let day = d(2025, 8, 1);
    let published = plan_of("11/KH-UBND", day)
        .due("1", "Sở Tư pháp", d(2025, 8, 20))
        .due("2", "Sở Tư pháp", d(2025, 8, 25))
        .publish(&db, p)
        .await?;
    let (a, b) = (published.of("1")?, published.of("2")?);
    let unit = unit_of(&db, a).await?;
    let user = |login: &str, role, unit_id, province_id| accounts::NewUser {
        login: login.into(),
        display_name: login.into(),
        password_hash: "h".into(),
        role,
        unit_id,
        province_id,
    };
    let e = entry("user.create", "user", None, None);
    let officer = accounts::create_user_audited(
        &db,
        &user("canbo_tp", Role::AgencyOfficer, Some(unit), Some(p)),
        None,
        &e,
    )
    .await?;
    let monitor = accounts::create_user_audited(
        &db,
        &user("theodoi", Role::Monitor, None, Some(p)),
        Some("theodoi@example.vn"),
        &e,
    )
    .await?;
    let elsewhere = accounts::create_user_audited(
        &db,
        &user("theodoi_khac", Role::Monitor, None, Some(unit)),
        None,
        &e,
    )
    .await?;
    Ok(Plan11 {
        db,
        at: noon(day),
        plan: published.id,
        a,
        b,
        unit,
        officer,
        monitor,
        elsewhere,
    })
}

/// Row counts of the tables a write with notices may touch.
async fn notice_snapshot(db: &Db) -> anyhow::Result<Vec<i64>> {
    let mut out = Vec::new();
    for t in [
        "status_changes",
        "progress_reports",
        "evidence",
        "obstacles",
        "notifications",
        "mail_outbox",
        "audit_log",
    ] {
        out.push(count(db, t).await?);
    }
    Ok(out)
}

fn evidence() -> NewEvidence {
    NewEvidence {
        file_name: "a.pdf".into(),
        media_type: "application/pdf".into(),
        size_bytes: 1,
        sha256: "ab".repeat(32),
        storage_key: "ev/ab".into(),
    }
}

fn start_entry(id: i64) -> AuditEntry {
    entry("assignment.start", "assignment", Some(id), None)
}

/// The officer's start, made first when the work has not started.
fn officer_starts(audit: &AuditEntry) -> Option<status::StartFirst<'_>> {
    Some(status::StartFirst {
        role: Role::AgencyOfficer,
        audit,
    })
}

fn to_monitors(plan: i64, id: i64) -> Notice {
    Notice::new(
        Audience::PlanMonitors(plan),
        "assignment",
        "x",
        format!("/assignments/{id}"),
    )
}

/// The officer proposes completion of `b`, having seen it not started.
fn propose(b: i64, at: DateTime<Utc>) -> ChangeRequest {
    ChangeRequest {
        action: Action::ProposeCompletion,
        expected: Some(tinhgon_domain::Status::NotStarted),
        ..officer_start(b, at)
    }
}

fn propose_entry(plan: i64, b: i64) -> AuditEntry {
    entry("assignment.propose_completion", "assignment", Some(b), None)
        .with_notice(to_monitors(plan, b))
}

/// Progress on `a` by the officer, starting it first when needed.
async fn progress(
    db: &Db,
    a: i64,
    at: DateTime<Utc>,
    ev: &[NewEvidence],
) -> Result<i64, StoreError> {
    let start = start_entry(a);
    records::add_progress_report_audited(
        db,
        &records::NewProgress {
            assignment_id: a,
            actor: Some(7),
            percent: Some(10),
            text: "x",
            evidence: ev,
            at,
            once: None,
        },
        &entry("assignment.progress", "assignment", Some(a), None),
        officer_starts(&start),
    )
    .await
}

tinhgon_testkit::both_databases! {
    /// The audit row fails in the second half of a write: nothing stays, not even the start
    /// made first or the notices.
    async fn a_failing_audit_row_undoes_the_implicit_start_and_the_notices(t) -> anyhow::Result<()> {
        let Plan11 { db, at, plan, a, b, .. } = plan11(&t).await?;
        break_audit_inserts(&db).await?;
        let before = notice_snapshot(&db).await?;
        let r = progress(&db, a, at, &[evidence()]).await;
        anyhow::ensure!(r.is_err(), "{r:?}");
        let sb = start_entry(b);
        let r = status::change_status_audited(&db, &propose(b, at), &propose_entry(plan, b), officer_starts(&sb)).await;
        anyhow::ensure!(r.is_err(), "{r:?}");
        let r = records::raise_obstacle_audited(&db, &records::NewObstacle { assignment_id: a, by: Some(7), text: "x", at, once: None }, &entry("obstacle.raise", "assignment", Some(a), None).with_notice(to_monitors(plan, a)))
        .await;
        anyhow::ensure!(r.is_err(), "{r:?}");
        anyhow::ensure!(
            notice_snapshot(&db).await? == before,
            "a change or a notice survived without its audit row"
        );
        for id in [a, b] {
            let w = status::assignment_with_history(&db, id).await?;
            anyhow::ensure!(
                w.item.status == "not_started" && w.history.len() == 1,
                "{w:?}"
            );
        }
        repair_audit_inserts(&db).await?;
        anyhow::ensure!(audit::verify(&db).await?.broken.is_none());
        Ok(())
    }
}

tinhgon_testkit::both_databases! {
    /// Progress on work not started: start, report, evidence and both rows in one go; once
    /// started, the start is not repeated.
    async fn progress_on_work_not_started_starts_it_once(t) -> anyhow::Result<()> {
        let Plan11 { db, at, a, .. } = plan11(&t).await?;
        let rid = progress(&db, a, at, &[evidence()]).await?;
        let rows = audit::recent(&db, 2).await?;
        anyhow::ensure!(
            rows.iter().map(|r| r.action.as_str()).collect::<Vec<_>>()
                == ["assignment.progress", "assignment.start"],
            "{rows:?}"
        );
        anyhow::ensure!(parsed(&rows[1].before_json) == json!({"status": "not_started"}));
        anyhow::ensure!(parsed(&rows[1].after_json) == json!({"status": "in_progress"}));
        anyhow::ensure!(parsed(&rows[0].after_json) == json!({"report": rid}));
        let w = status::assignment_with_history(&db, a).await?;
        anyhow::ensure!(w.item.status == "in_progress" && w.history.len() == 2);
        let n = count(&db, "audit_log").await?;
        progress(&db, a, at, &[]).await?;
        anyhow::ensure!(count(&db, "audit_log").await? == n + 1);
        anyhow::ensure!(status::assignment_with_history(&db, a).await?.history.len() == 2);
        anyhow::ensure!(audit::verify(&db).await?.broken.is_none());
        Ok(())
    }
}

tinhgon_testkit::both_databases! {
    /// A proposal on work not started: start, proposal and the monitors' notice in one go,
    /// the status the officer saw checked before the start; the same proposal again is a
    /// conflict and sends nothing.
    async fn a_proposal_on_work_not_started_notifies_the_plans_monitors_once(t) -> anyhow::Result<()> {
        let Plan11 { db, at, plan, b, officer, monitor, elsewhere, .. } = plan11(&t).await?;
        let sb = start_entry(b);
        let to = status::change_status_audited(&db, &propose(b, at), &propose_entry(plan, b), officer_starts(&sb)).await?;
        anyhow::ensure!(to == tinhgon_domain::Status::CompletionProposed);
        let rows = audit::recent(&db, 2).await?;
        anyhow::ensure!(parsed(&rows[1].after_json) == json!({"status": "in_progress"}));
        anyhow::ensure!(
            parsed(&rows[0].before_json) == json!({"status": "in_progress"})
                && parsed(&rows[0].after_json) == json!({"status": "completion_proposed"}),
            "{rows:?}"
        );
        let link = Some(format!("/assignments/{b}"));
        anyhow::ensure!(notes_of(&db, monitor).await? == [("assignment".to_string(), link)]);
        anyhow::ensure!(notes_of(&db, elsewhere).await?.is_empty());
        anyhow::ensure!(notes_of(&db, officer).await?.is_empty());
        anyhow::ensure!(
            count(&db, "mail_outbox").await? == 1,
            "the monitor has an address"
        );
        let r = status::change_status_audited(&db, &propose(b, at), &propose_entry(plan, b), officer_starts(&sb)).await;
        anyhow::ensure!(matches!(r, Err(StoreError::Conflict(_))), "{r:?}");
        anyhow::ensure!(notes_of(&db, monitor).await?.len() == 1);
        anyhow::ensure!(audit::verify(&db).await?.broken.is_none());
        Ok(())
    }
}

tinhgon_testkit::both_databases! {
    /// A notice to the unit rides on an obstacle answer.
    async fn an_obstacle_answer_notifies_the_unit(t) -> anyhow::Result<()> {
        let Plan11 { db, at, a, unit, officer, monitor, .. } = plan11(&t).await?;
        let oid = records::system::raise_obstacle(&db, a, Some(officer), "x", at).await?;
        records::answer_obstacle_audited(
            &db,
            oid,
            Some(monitor),
            "y",
            at,
            &entry("obstacle.answer", "assignment", Some(a), None).with_notice(Notice::new(
                Audience::Unit(unit),
                "obstacle",
                "z",
                format!("/assignments/{a}"),
            )),
        )
        .await?;
        anyhow::ensure!(
            notes_of(&db, officer).await?
                == [("obstacle".to_string(), Some(format!("/assignments/{a}")))]
        );
        anyhow::ensure!(audit::verify(&db).await?.broken.is_none());
        Ok(())
    }
}

tinhgon_testkit::both_databases! {
    /// Opening a reporting period notifies each newly asked unit, once.
    async fn opening_a_period_notifies_each_newly_asked_unit_once(t) -> anyhow::Result<()> {
        let Plan11 { db, at, plan, officer, .. } = plan11(&t).await?;
        let w = Window {
            kind: PeriodKind::Monthly,
            label: "tháng 8/2025".into(),
            start: d(2025, 8, 1),
            end: d(2025, 8, 31),
            cutoff: d(2025, 8, 31),
            due: d(2025, 9, 5),
        };
        let s = NewSchedule {
            plan_id: plan,
            kind: PeriodKind::Monthly,
            cutoff_day: 0,
            due_days: 5,
            by: Some(7),
            at,
        };
        let notice = periodic::RequestNotice {
            kind: "report_request",
            text: "Yêu cầu báo cáo",
            link_prefix: "/report-requests/",
        };
        let e = entry("report.schedule", "plan", Some(plan), None);
        let opened = periodic::schedule_and_open(&db, &s, &w, &e, Some(notice)).await?;
        anyhow::ensure!(opened.new_requests.len() == 1);
        let again = periodic::schedule_and_open(&db, &s, &w, &e, Some(notice)).await?;
        anyhow::ensure!(again.new_requests.is_empty());
        let notes = notes_of(&db, officer).await?;
        anyhow::ensure!(
            notes
                == [(
                    "report_request".to_string(),
                    Some(format!("/report-requests/{}", opened.new_requests[0]))
                )],
            "{notes:?}"
        );
        anyhow::ensure!(audit::verify(&db).await?.broken.is_none());
        Ok(())
    }
}

tinhgon_testkit::both_databases! {
    async fn a_register_import_by_the_system_leaves_one_summary_row_or_nothing(t) -> anyhow::Result<()> {
        let db = Db::connect(&t.url).await?;
        let system = AuditEntry::system(
            "register.import",
            "unit",
            None,
            json!({"dir": "nghe-an-2025"}),
        );
        // The log cannot be written: no unit is imported either.
        break_audit_inserts(&db).await?;
        let r = tinhgon_store::register::import_register_audited(
            &db,
            &common::nghe_an_dir(),
            &system,
        )
        .await;
        anyhow::ensure!(r.is_err(), "{r:?}");
        anyhow::ensure!(count(&db, "units").await? == 0);
        repair_audit_inserts(&db).await?;

        let s = tinhgon_store::register::import_register_audited(
            &db,
            &common::nghe_an_dir(),
            &system,
        )
        .await?;
        let r = last(&db).await?;
        anyhow::ensure!(r.actor_id.is_none() && r.actor_login.as_deref() == Some("hệ thống"));
        anyhow::ensure!(r.action == "register.import" && r.object_id == Some(s.province_id));
        anyhow::ensure!(
            parsed(&r.after_json)
                == json!({"dir": "nghe-an-2025", "units": s.units, "events": s.events, "aliases": s.aliases}),
            "{:?}",
            r.after_json
        );
        // A second import is refused and leaves no row.
        let r = tinhgon_store::register::import_register_audited(
            &db,
            &common::nghe_an_dir(),
            &system,
        )
        .await;
        anyhow::ensure!(matches!(r, Err(StoreError::Rejected(_))), "{r:?}");
        let v = audit::verify(&db).await?;
        anyhow::ensure!(v.broken.is_none() && v.rows == 1, "{v:?}");
        Ok(())
    }
}
