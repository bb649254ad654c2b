//! `tinhgon backup`, `restore`, `migrate` and `check` on both databases: a backup taken while
//! audited writes go on restores to a database whose audit chain verifies and that holds every
//! write acknowledged before the backup began; a database newer than the binary is refused.

use std::path::Path;
use std::process::{Command, Output};

use tinhgon_app::setup::{setup, SetupRequest};
use tinhgon_store::{accounts, audit, ops, Db};

fn tinhgon(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tinhgon"))
        .args(args)
        .output()
        .expect("binary runs")
}

fn said(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// Creates accounts (each an audited write) until `stop`, returning how many were acknowledged.
async fn write_until(db: Db, stop: std::sync::Arc<std::sync::atomic::AtomicBool>) -> usize {
    let mut n = 0;
    while !stop.load(std::sync::atomic::Ordering::Relaxed) {
        let new = accounts::NewUser {
            login: format!("nguoi{n}"),
            display_name: format!("Người {n}"),
            password_hash: "x".into(),
            role: tinhgon_domain::user::Role::Leader,
            unit_id: None,
            province_id: None,
        };
        let e = audit::AuditEntry::system("user.create", "user", None, serde_json::json!({"n": n}));
        accounts::create_user_audited(&db, &new, None, &e)
            .await
            .expect("write");
        n += 1;
    }
    n
}

tinhgon_testkit::both_databases! {
    /// Backup under writes, restore elsewhere, the chain verifies; check and migrate report.
    async fn a_backup_taken_under_writes_restores_whole(t) {
        let db = Db::connect(&t.url).await.unwrap();
        setup(
            &db,
            SetupRequest {
                province: "Lào Cai".into(),
                admin_login: "quantri".into(),
                admin_password: "mat-khau-1".into(),
                admin_name: String::new(),
            },
            None,
        )
        .await
        .unwrap();
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let writer = tokio::spawn(write_until(db.clone(), stop.clone()));
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        let before = audit::recent(&db, 1).await.unwrap()[0].id;

        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("sao-luu.bak");
        let url = t.url.clone();
        let file2 = file.clone();
        let out = tokio::task::spawn_blocking(move || {
            tinhgon(&["backup", "--db", &url, "--out", file2.to_str().unwrap()])
        })
        .await
        .unwrap();
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        let written = writer.await.unwrap();
        assert!(out.status.success(), "{}", said(&out));
        assert!(written > 0);
        // The same file again is refused rather than overwritten.
        let again = tinhgon(&["backup", "--db", &t.url, "--out", file.to_str().unwrap()]);
        assert_eq!(again.status.code(), Some(1));
        assert!(said(&again).contains("đã có"), "{}", said(&again));

        let target = match t.label {
            "sqlite" => dir.path().join("khoi-phuc.db").display().to_string(),
            _ => tinhgon_testkit::pg::shared().unwrap().fresh_database().unwrap(),
        };
        let out = tinhgon(&["restore", "--db", &target, "--from", file.to_str().unwrap()]);
        assert!(out.status.success(), "{}", said(&out));
        assert!(said(&out).contains("chuỗi băm khớp"), "{}", said(&out));
        let restored = Db::open(&target).await.unwrap();
        assert!(audit::verify(&restored).await.unwrap().broken.is_none());
        let last = audit::recent(&restored, 1).await.unwrap()[0].id;
        assert!(last >= before, "every write acknowledged before the backup is in it");
        assert!(tinhgon_store::register::find_province(&restored, "Lào Cai").await.unwrap().is_some());

        let out = tinhgon(&["check", "--db", &target]);
        assert_eq!(out.status.code(), Some(0), "{}", said(&out));
        assert!(said(&out).contains("đúng với chương trình"), "{}", said(&out));
        let out = tinhgon(&["migrate", "--db", &target]);
        assert!(said(&out).contains("không có gì để cập nhật"), "{}", said(&out));

        // A database a newer release has migrated is refused, and left as it is.
        let known = ops::known_version(&restored);
        sqlx_bump(&restored, known + 1).await;
        let out = tinhgon(&["migrate", "--db", &target]);
        assert_eq!(out.status.code(), Some(1));
        assert!(said(&out).contains("mới hơn"), "{}", said(&out));
        assert_eq!(ops::applied_version(&restored).await.unwrap(), known + 1);
        let out = tinhgon(&["check", "--db", &target]);
        assert_eq!(out.status.code(), Some(1), "{}", said(&out));
        let _ = Path::new(&target);
    }
}

/// Marks the database as migrated to `version`, as a newer release would leave it.
async fn sqlx_bump(db: &Db, version: i64) {
    let checksum = match db.backend() {
        tinhgon_store::db::Backend::Sqlite => "X'00'",
        tinhgon_store::db::Backend::Postgres => "'\\x00'::bytea",
    };
    tinhgon_store::tx::query(&format!(
        "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
         VALUES ($1, 'newer', TRUE, {checksum}, 0)"
    ))
    .bind(version)
    .execute(db)
    .await
    .unwrap();
}
