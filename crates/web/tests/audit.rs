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
    assert_eq!(v.rows, 3);
    assert_eq!(v.broken, None);
    let rows = audit::for_object(db, "plan", app.plan).await.unwrap();
    assert!(rows[2]
        .after_json
        .as_deref()
        .unwrap_or("")
        .contains("Bản sửa 3"));
    assert_eq!(rows[1].prev_hash, rows[0].hash);

    // Editing what was recorded breaks the row.
    exec(db, "UPDATE audit_log SET after_json = REPLACE(after_json, 'Bản sửa 2', 'Bản khác') WHERE id = 2").await;
    let v = audit::verify(db).await.unwrap();
    assert_eq!(v.broken.as_ref().map(|b| b.0), Some(2), "{v:?}");
    exec(db, "UPDATE audit_log SET after_json = REPLACE(after_json, 'Bản khác', 'Bản sửa 2') WHERE id = 2").await;
    assert_eq!(audit::verify(db).await.unwrap().broken, None);

    // Deleting the last row is caught by the head; deleting a middle row by the link.
    exec(db, "DELETE FROM audit_log WHERE id = 3").await;
    assert!(audit::verify(db).await.unwrap().broken.is_some());
    exec(db, "DELETE FROM audit_log WHERE id = 1").await;
    assert_eq!(
        audit::verify(db).await.unwrap().broken.map(|b| b.0),
        Some(2)
    );
}
