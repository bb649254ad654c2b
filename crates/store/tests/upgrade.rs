//! Upgrades keep every row: a database built by the previous release's migrations and holding
//! its data (the Nghệ An register, an account and their audit rows) is opened by this release,
//! which runs the newer migrations; every row is still there and the audit chain verifies.

use sqlx::migrate::Migrator;
use tinhgon_store::{accounts, audit, db::Backend, ops, register, tx::query, Db};

/// The first migration of this release: the previous release ends just before it.
const THIS_RELEASE_FROM: i64 = 11;

async fn previous_release(db: &Db) {
    let mut m: Migrator = match db.backend() {
        Backend::Sqlite => sqlx::migrate!("migrations/sqlite"),
        Backend::Postgres => sqlx::migrate!("migrations/postgres"),
    };
    m.migrations = m
        .migrations
        .iter()
        .filter(|m| m.version < THIS_RELEASE_FROM)
        .cloned()
        .collect::<Vec<_>>()
        .into();
    match db {
        Db::Sqlite(pool) => m.run(pool).await.unwrap(),
        Db::Postgres(pool) => m.run(pool).await.unwrap(),
    }
}

async fn counts(db: &Db) -> Vec<(&'static str, i64)> {
    let mut out = Vec::new();
    for t in [
        "units",
        "unit_aliases",
        "restructuring_events",
        "users",
        "audit_log",
    ] {
        let n: i64 = query(&format!("SELECT COUNT(*) FROM {t}"))
            .scalar(db)
            .await
            .unwrap();
        out.push((t, n));
    }
    out
}

tinhgon_testkit::both_databases! {
    /// The previous release's database, upgraded, keeps every row.
    async fn an_upgrade_keeps_every_row_of_the_previous_release(t) {
        let old = Db::open(&t.url).await.unwrap();
        previous_release(&old).await;
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/nghe-an-2025");
        let entry = audit::AuditEntry::system("register.import", "unit", None, serde_json::json!({}));
        register::import_register_audited(&old, &dir, &entry).await.unwrap();
        let new = accounts::NewUser {
            login: "sonoivu".into(),
            display_name: "Sở Nội vụ".into(),
            password_hash: "x".into(),
            role: tinhgon_domain::user::Role::Monitor,
            unit_id: None,
            province_id: None,
        };
        let entry = audit::AuditEntry::system("user.create", "user", None, serde_json::json!({}));
        accounts::create_user_audited(&old, &new, None, &entry).await.unwrap();
        let before = counts(&old).await;
        assert!(ops::applied_version(&old).await.unwrap() < THIS_RELEASE_FROM);
        old.close().await;

        let upgraded = Db::connect(&t.url).await.unwrap();
        let s = ops::schema_status(&upgraded).await.unwrap();
        assert!(s.current(), "{s:?}");
        assert_eq!(counts(&upgraded).await, before);
        assert!(audit::verify(&upgraded).await.unwrap().broken.is_none());
        assert!(register::find_province(&upgraded, "Nghệ An").await.unwrap().is_some());
    }
}
