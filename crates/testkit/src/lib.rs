//! Test helpers for every crate: a throwaway PostgreSQL server and temporary SQLite files,
//! so that storage tests run against both real databases.

pub mod bench;
pub mod office;
pub mod pg;
pub mod sqlite;

/// A database for one test: its URL (or SQLite path) and what keeps it alive.
pub struct TestDb {
    /// "sqlite" or "postgres", for messages.
    pub label: &'static str,
    /// What `Db::connect` takes.
    pub url: String,
    _guard: Option<tempfile::TempDir>,
}

/// One fresh database per backend: a temporary SQLite file and a new database on the
/// shared throwaway PostgreSQL server of this test binary.
///
/// # Panics
/// When PostgreSQL cannot be started (the tests must not silently skip it).
pub fn backends() -> Vec<TestDb> {
    vec![sqlite_db(), postgres_db()]
}

/// A fresh temporary SQLite database file.
pub fn sqlite_db() -> TestDb {
    let (dir, path) = sqlite::temp_db();
    TestDb {
        label: "sqlite",
        url: path.display().to_string(),
        _guard: Some(dir),
    }
}

/// A fresh database on the shared throwaway PostgreSQL server.
///
/// # Panics
/// When PostgreSQL cannot be started.
pub fn postgres_db() -> TestDb {
    let url = match pg::shared().and_then(|pg| pg.fresh_database()) {
        Ok(url) => url,
        Err(e) => panic!("PostgreSQL thử nghiệm không khởi động được: {e}"),
    };
    TestDb {
        label: "postgres",
        url,
        _guard: None,
    }
}
