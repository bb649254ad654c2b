//! The audit log's hash chain: intact after real changes, broken by any edit or deletion.

mod common;

use axum::http::StatusCode;
use tinhgon_store::{audit, Db};

async fn exec(db: &Db, sql: &str) {
    match db {
        Db::Sqlite(p) => {
            sqlx::query(sql).execute(p).await.unwrap();
        }
        Db::Postgres(p) => {
            sqlx::query(sql).execute(p).await.unwrap();
        }
    }
}

#[tokio::test]
async fn tampering_with_any_audit_row_is_detected() {
    let app = common::app().await;
    let mut c = common::signed_in(&app, "sonoivu").await;
    c.get(&format!("/plans/{}/review", app.plan)).await;
    for title in ["Bản sửa 1", "Bản sửa 2", "Bản sửa 3"] {
        let r = c
            .post(
                &format!("/plans/{}/review/meta", app.plan),
                &[
                    ("number", "615/KH-UBND"),
                    ("title", title),
                    ("date", "25/07/2025"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    }
    let db = &app.state.db;
    let v = audit::verify(db).await.unwrap();
    assert_eq!(v.rows, 4, "the sign-in and three changes");
    assert_eq!(v.broken, None);
    let rows = audit::for_object(db, "plan", app.plan).await.unwrap();
    assert!(rows[2]
        .after_json
        .as_deref()
        .unwrap_or("")
        .contains("Bản sửa 3"));
    assert_eq!(rows[1].prev_hash, rows[0].hash);

    // Editing what was recorded breaks the row (row 1 is the sign-in, 2–4 the three edits).
    exec(db, "UPDATE audit_log SET after_json = REPLACE(after_json, 'Bản sửa 2', 'Bản khác') WHERE id = 3").await;
    let v = audit::verify(db).await.unwrap();
    assert_eq!(v.broken.as_ref().map(|b| b.0), Some(3), "{v:?}");
    exec(db, "UPDATE audit_log SET after_json = REPLACE(after_json, 'Bản khác', 'Bản sửa 2') WHERE id = 3").await;
    assert_eq!(audit::verify(db).await.unwrap().broken, None);

    // Deleting the last row is caught by the head; deleting a middle row by the link.
    exec(db, "DELETE FROM audit_log WHERE id = 4").await;
    assert!(audit::verify(db).await.unwrap().broken.is_some());
    exec(db, "DELETE FROM audit_log WHERE id = 2").await;
    assert_eq!(
        audit::verify(db).await.unwrap().broken.map(|b| b.0),
        Some(3)
    );
}

/// The newest audit row with `action`.
async fn newest(db: &Db, action: &str) -> audit::AuditRow {
    audit::recent(db, 1000)
        .await
        .unwrap()
        .into_iter()
        .find(|r| r.action == action)
        .unwrap_or_else(|| panic!("no audit row {action}"))
}

fn state(text: &Option<String>) -> serde_json::Value {
    text.as_deref()
        .map(|t| serde_json::from_str(t).unwrap())
        .unwrap_or(serde_json::Value::Null)
}

/// Checks the newest row of `action`: object, actor and the exact before → after.
async fn expect_row(
    db: &Db,
    label: &str,
    action: &str,
    object: (&str, i64),
    actor: &str,
    before: serde_json::Value,
    after: serde_json::Value,
) {
    let r = newest(db, action).await;
    assert_eq!(
        (r.object_kind.as_str(), r.object_id),
        (object.0, Some(object.1)),
        "[{label}] {action}"
    );
    assert_eq!(r.actor_login.as_deref(), Some(actor), "[{label}] {action}");
    assert_eq!(r.actor_id, Some(common::user_id(db, actor).await));
    assert_eq!(state(&r.before_json), before, "[{label}] {action} before");
    assert_eq!(state(&r.after_json), after, "[{label}] {action} after");
}

async fn exec_on(db: &Db, sql: &str) {
    match db {
        Db::Sqlite(p) => {
            sqlx::query(sql).execute(p).await.unwrap();
        }
        Db::Postgres(p) => {
            sqlx::query(sql).execute(p).await.unwrap();
        }
    }
}

tinhgon_testkit::both_databases! {
    async fn each_change_through_the_api_leaves_its_audit_row_and_a_failing_log_leaves_no_change(tdb) {
        use common::{api_post, publish_615, token_for, Auth};
        use serde_json::json;
        let label = tdb.label;
        let app = common::app_on(tdb).await;
        publish_615(&app).await;
        let db = &app.state.db;
        let officer = Auth::Bearer(token_for(&app, "sotuphap").await);
        let monitor = Auth::Bearer(token_for(&app, "sonoivu").await);
        let admin = Auth::Bearer(token_for(&app, "quantri").await);
        let token_row = newest(db, "api_token.create").await;
        assert_eq!(token_row.actor_login.as_deref(), Some("quantri"));
        assert_eq!(
            state(&token_row.after_json),
            json!({"name": "thử nghiệm quantri"})
        );

        // A work of the officer's unit not started yet (dated first).
        let sql = "SELECT a.id, a.due FROM assignments a JOIN users u ON u.unit_id = a.unit_id \
                   WHERE u.login = 'sotuphap' AND a.status = 'not_started' \
                   ORDER BY a.due IS NULL, a.id LIMIT 1";
        let (aid, due): (i64, Option<chrono::NaiveDate>) =
            { tinhgon_store::tx::query(sql).fetch_one(db).await.unwrap() };
        let sql = "SELECT a.id FROM assignments a JOIN users u ON u.unit_id = a.unit_id \
                   WHERE u.login = 'sotuphap' AND a.status = 'not_started' \
                   ORDER BY a.due IS NULL, a.id LIMIT 1";
        let due_of = |d: Option<chrono::NaiveDate>| json!(d.map(|d| d.to_string()));
        let due = due_of(due);

        // Progress on a work not started: the start and the report, each with its row.
        let r = api_post(
            &app,
            &format!("/api/assignments/{aid}/progress"),
            &officer,
            json!({"text": "Đã dự thảo", "percent": 60}),
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "[{label}] {}", r.json);
        let report = tinhgon_store::records::progress_reports(db, aid)
            .await
            .unwrap()[0]
            .id;
        expect_row(
            db,
            label,
            "assignment.start",
            ("assignment", aid),
            "sotuphap",
            json!({"status": "not_started"}),
            json!({"status": "in_progress", "note": null}),
        )
        .await;
        expect_row(
            db,
            label,
            "assignment.progress",
            ("assignment", aid),
            "sotuphap",
            serde_json::Value::Null,
            json!({"report": report, "percent": 60, "files": []}),
        )
        .await;

        // Extension asked and approved: the due date before and after.
        let r = api_post(
            &app,
            &format!("/api/assignments/{aid}/extension"),
            &officer,
            json!({"new_due": "2031-12-31", "reason": "Chờ hướng dẫn"}),
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "[{label}] {}", r.json);
        let eid = r.json["id"].as_i64().unwrap();
        expect_row(
            db,
            label,
            "extension.request",
            ("assignment", aid),
            "sotuphap",
            serde_json::Value::Null,
            json!({"request": eid, "new_due": "2031-12-31"}),
        )
        .await;
        let r = api_post(
            &app,
            &format!("/api/extensions/{eid}/decide"),
            &monitor,
            json!({"approve": true, "note": ""}),
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "[{label}] {}", r.json);
        // After: the due date the decision left (the new one for a dated work).
        let now_due: Option<chrono::NaiveDate> = {
            tinhgon_store::tx::query("SELECT due FROM assignments WHERE id = $1")
                .bind(aid)
                .scalar(db)
                .await
                .unwrap()
        };
        if due.is_string() {
            assert_eq!(
                now_due.map(|d| d.to_string()).as_deref(),
                Some("2031-12-31")
            );
        }
        expect_row(
            db,
            label,
            "extension.approve",
            ("assignment", aid),
            "sonoivu",
            json!({"due": due}),
            json!({"request": eid, "approved": true, "due": due_of(now_due)}),
        )
        .await;

        // Obstacle raised and answered.
        let r = api_post(
            &app,
            &format!("/api/assignments/{aid}/obstacle"),
            &officer,
            json!({"text": "Thiếu kinh phí"}),
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "[{label}] {}", r.json);
        let oid = r.json["id"].as_i64().unwrap();
        expect_row(
            db,
            label,
            "obstacle.raise",
            ("assignment", aid),
            "sotuphap",
            serde_json::Value::Null,
            json!({"obstacle": oid}),
        )
        .await;
        let r = api_post(
            &app,
            &format!("/api/obstacles/{oid}/answer"),
            &monitor,
            json!({"text": "Đã bố trí"}),
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "[{label}] {}", r.json);
        expect_row(
            db,
            label,
            "obstacle.answer",
            ("assignment", aid),
            "sonoivu",
            serde_json::Value::Null,
            json!({"obstacle": oid}),
        )
        .await;

        // Completion proposed, then returned with a reason.
        let r = api_post(
            &app,
            &format!("/api/assignments/{aid}/propose"),
            &officer,
            json!({"note": "Xong"}),
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "[{label}] {}", r.json);
        expect_row(
            db,
            label,
            "assignment.propose_completion",
            ("assignment", aid),
            "sotuphap",
            json!({"status": "in_progress"}),
            json!({"status": "completion_proposed", "note": "Xong"}),
        )
        .await;
        // The monitors' notice went out with the proposal (same transaction).
        let sonoivu = tinhgon_store::accounts::credentials(db, "sonoivu")
            .await
            .unwrap()
            .unwrap()
            .user
            .id;
        let notes = tinhgon_store::notifications::for_user(db, sonoivu, 1)
            .await
            .unwrap();
        assert_eq!(
            (notes[0].kind.as_str(), notes[0].link.clone()),
            ("assignment", Some(format!("/assignments/{aid}"))),
            "[{label}]"
        );
        assert!(notes[0]
            .text
            .starts_with("Đơn vị đề nghị xác nhận hoàn thành"));
        let r = api_post(
            &app,
            &format!("/api/assignments/{aid}/decide"),
            &monitor,
            json!({"op": "return", "note": "Bổ sung số liệu"}),
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "[{label}] {}", r.json);
        expect_row(
            db,
            label,
            "assignment.return",
            ("assignment", aid),
            "sonoivu",
            json!({"status": "completion_proposed"}),
            json!({"status": "returned", "note": "Bổ sung số liệu"}),
        )
        .await;
        // And the unit's notice with the decision.
        let sotuphap = tinhgon_store::accounts::credentials(db, "sotuphap")
            .await
            .unwrap()
            .unwrap()
            .user
            .id;
        let notes = tinhgon_store::notifications::for_user(db, sotuphap, 1)
            .await
            .unwrap();
        assert_eq!(
            (notes[0].kind.as_str(), notes[0].link.clone()),
            ("decision", Some(format!("/assignments/{aid}"))),
            "[{label}]"
        );
        // A refused transition (confirming what is not proposed) changes nothing, audits nothing.
        let rows = audit::verify(db).await.unwrap().rows;
        let r = api_post(
            &app,
            &format!("/api/assignments/{aid}/decide"),
            &monitor,
            json!({"op": "confirm"}),
        )
        .await;
        assert_eq!(r.status, StatusCode::CONFLICT, "[{label}] {}", r.json);
        assert_eq!(audit::verify(db).await.unwrap().rows, rows, "[{label}]");

        // Plan shown publicly; an account created and disabled.
        let r = api_post(
            &app,
            &format!("/api/plans/{}/public", app.plan),
            &monitor,
            json!({"public": true}),
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "[{label}] {}", r.json);
        expect_row(
            db,
            label,
            "plan.public",
            ("plan", app.plan),
            "sonoivu",
            json!({"public": false}),
            json!({"public": true}),
        )
        .await;
        let r = api_post(&app, "/api/users", &admin, json!({"login": "kiemtoan", "display_name": "Kiểm toán", "password": "mat-khau-dai", "role": "monitor", "email": "kt@example.vn"})).await;
        assert_eq!(r.status, StatusCode::OK, "[{label}] {}", r.json);
        let uid = r.json["id"].as_i64().unwrap();
        expect_row(db, label, "user.create", ("user", uid), "quantri", serde_json::Value::Null,
            json!({"login": "kiemtoan", "role": "monitor", "unit_id": null, "email": "kt@example.vn"})).await;
        let r = api_post(
            &app,
            &format!("/api/users/{uid}/active"),
            &admin,
            json!({"active": false}),
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "[{label}] {}", r.json);
        expect_row(
            db,
            label,
            "user.active",
            ("user", uid),
            "quantri",
            json!({"active": true}),
            json!({"active": false}),
        )
        .await;
        let v = audit::verify(db).await.unwrap();
        assert_eq!(v.broken, None, "[{label}]");
        assert_eq!(v.rows, 17, "[{label}] 3 sign-ins + 3 tokens + 11 changes");

        // The log cannot be written (a crash, a full disk): the change is refused with it.
        match db {
            Db::Sqlite(_) => exec_on(db, "CREATE TRIGGER audit_down BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'audit down'); END").await,
            Db::Postgres(_) => {
                exec_on(db, "CREATE FUNCTION audit_down() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit down'; END $$").await;
                exec_on(db, "CREATE TRIGGER audit_down BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_down()").await;
            }
        }
        let reports = tinhgon_store::records::progress_reports(db, aid)
            .await
            .unwrap()
            .len();
        let r = api_post(
            &app,
            &format!("/api/assignments/{aid}/progress"),
            &officer,
            json!({"text": "Không được lưu", "percent": 70}),
        )
        .await;
        assert_eq!(
            r.status,
            StatusCode::INTERNAL_SERVER_ERROR,
            "[{label}] {}",
            r.json
        );
        assert_eq!(
            tinhgon_store::records::progress_reports(db, aid)
                .await
                .unwrap()
                .len(),
            reports,
            "[{label}]"
        );
        let r = api_post(
            &app,
            &format!("/api/plans/{}/public", app.plan),
            &monitor,
            json!({"public": false}),
        )
        .await;
        assert_eq!(
            r.status,
            StatusCode::INTERNAL_SERVER_ERROR,
            "[{label}] {}",
            r.json
        );
        let plan = tinhgon_store::plans::get_plan(db, app.plan).await.unwrap();
        assert!(plan.plan.public, "[{label}] the flag stays as the log says");
        // Work not started yet: progress and a proposal each start it in their own
        // transaction, so the failing log leaves the status, the history and the monitors'
        // notices as they were (no start without its report, no notice without its change).
        let (bid,): (i64,) = { tinhgon_store::tx::query(sql).fetch_one(db).await.unwrap() };
        let count_of = |table: &'static str| async move {
            let q = format!("SELECT COUNT(*) FROM {table}");
            let n: i64 = { tinhgon_store::tx::query(&q).scalar(db).await.unwrap() };
            n
        };
        let before = (
            count_of("status_changes").await,
            count_of("progress_reports").await,
            count_of("notifications").await,
            count_of("extension_requests").await,
        );
        for (path, body) in [
            ("progress", json!({"text": "Không được lưu", "percent": 10})),
            ("propose", json!({"note": "Xong"})),
            (
                "extension",
                json!({"new_due": "2031-12-31", "reason": "Chờ hướng dẫn"}),
            ),
        ] {
            let r = api_post(
                &app,
                &format!("/api/assignments/{bid}/{path}"),
                &officer,
                body,
            )
            .await;
            assert_eq!(
                r.status,
                StatusCode::INTERNAL_SERVER_ERROR,
                "[{label}] {path}: {}",
                r.json
            );
        }
        let after = (
            count_of("status_changes").await,
            count_of("progress_reports").await,
            count_of("notifications").await,
            count_of("extension_requests").await,
        );
        assert_eq!(
            after, before,
            "[{label}] history, reports, notices, requests"
        );
        let w = tinhgon_store::status::assignment_with_history(db, bid)
            .await
            .unwrap();
        assert_eq!(w.item.status, "not_started", "[{label}]");
        assert_eq!(
            audit::verify(db).await.unwrap(),
            audit::Verification {
                rows: 17,
                broken: None
            },
            "[{label}] the refused changes added no row"
        );
    }
}
