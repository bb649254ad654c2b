//! Test helpers for every crate: a throwaway PostgreSQL server and temporary SQLite files,
//! so that storage tests run against both real databases.
//!
//! # One test, both databases
//! A test that touches a database is written once with [`both_databases!`], which makes two
//! tests of it, `NAME::sqlite` and `NAME::postgres`, each on a fresh database of its own:
//!
//! ```ignore
//! tinhgon_testkit::both_databases! {
//!     /// A published plan keeps its number.
//!     async fn plan_keeps_its_number(t) -> anyhow::Result<()> {
//!         let db = tinhgon_store::Db::connect(&t.url).await?;
//!         // …
//!         Ok(())
//!     }
//! }
//! ```
//!
//! `t` is a [`TestDb`] (keep it alive while the database is used). A failing backend thus
//! fails under its own name, and the other backend still runs. The test binary needs
//! `tokio` (with its `macros` and `rt-multi-thread` features) among its dev-dependencies.

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

/// Makes two tests of one async body, `NAME::sqlite` and `NAME::postgres`: see the crate
/// documentation. The body may return `()` or a `Result` whose error is `Debug`.
#[macro_export]
macro_rules! both_databases {
    ($(
        $(#[$meta:meta])*
        async fn $name:ident($t:ident) $(-> $ret:ty)? $body:block
    )+) => {$(
        $(#[$meta])*
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            async fn body($t: $crate::TestDb) $(-> $ret)? $body

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() $(-> $ret)? {
                body($crate::sqlite_db()).await
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() $(-> $ret)? {
                body($crate::postgres_db()).await
            }
        }
    )+};
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

/// An external program a test drives: the path in environment variable `env` when set, else
/// the first of `names` found in `dirs`, then on PATH, then in /usr/bin.
pub fn find_program(env: &str, dirs: &[&str], names: &[&str]) -> Option<std::path::PathBuf> {
    use std::path::PathBuf;
    if let Some(p) = std::env::var_os(env) {
        return Some(PathBuf::from(p));
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    let all = dirs
        .iter()
        .map(PathBuf::from)
        .chain(std::env::split_paths(&path))
        .chain([PathBuf::from("/usr/bin")]);
    for dir in all {
        for n in names {
            let p = dir.join(n);
            if p.is_file() {
                return Some(p);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    #[test]
    fn programs_are_found_in_the_given_dirs_first() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join("sh"), "").expect("write");
        let first = dir.path().to_str().expect("utf-8 path");
        let unset = "TINHGON_TESTKIT_NO_SUCH_VARIABLE";
        let found = super::find_program(unset, &[first], &["sh"]);
        assert_eq!(found, Some(dir.path().join("sh")));
        let on_path = super::find_program(unset, &[], &["sh"]);
        assert!(on_path.is_some_and(|p| p != dir.path().join("sh")));
        assert_eq!(
            super::find_program(unset, &[first], &["no-such-program-x"]),
            None
        );
    }
}
