//! Temporary SQLite database files.

use std::path::PathBuf;

/// A path to a not-yet-existing database file inside a new temporary directory; the
/// directory (with the file and its WAL) is deleted when the returned guard drops.
///
/// # Panics
/// When no temporary directory can be created.
pub fn temp_db() -> (tempfile::TempDir, PathBuf) {
    let dir = match tempfile::Builder::new().prefix("tinhgon-sqlite-").tempdir() {
        Ok(dir) => dir,
        Err(e) => panic!("không tạo được thư mục tạm: {e}"),
    };
    let path = dir.path().join("tinhgon.db");
    (dir, path)
}
