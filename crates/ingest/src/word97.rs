//! Word 97–2003 (.doc) files, read through LibreOffice when it is installed.
//!
//! The binary format is not parsed here: `soffice --headless --convert-to docx` turns the
//! file into a .docx in a private temporary folder, with its own LibreOffice profile so
//! that conversions running side by side do not share one, and the .docx reader reads it.
//! A conversion that hangs is stopped after a time limit. Without LibreOffice the file is
//! refused with a message that says what to do.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::{Document, IngestError};

/// Longest a conversion may take; a 300-page document converts in a few seconds.
const TIME_LIMIT: Duration = Duration::from_secs(120);

/// The message when LibreOffice is not there.
const NO_CONVERTER: &str = "Word 97-2003 (.doc): máy chủ chưa cài LibreOffice để chuyển đổi, hãy lưu lại thành .docx rồi tải lên";

/// The LibreOffice program, if one is installed.
fn soffice() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("TINHGON_SOFFICE") {
        let p = PathBuf::from(p);
        return p.is_file().then_some(p);
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| ["soffice", "libreoffice"].map(|n| dir.join(n)))
        .find(|p| p.is_file())
}

/// Reads a .doc file by converting it to .docx.
pub fn read(bytes: &[u8], limit: u64) -> Result<Document, IngestError> {
    let Some(program) = soffice() else {
        return Err(IngestError::Unsupported(NO_CONVERTER.to_string()));
    };
    let dir = TempDir::new()?;
    let input = dir.path.join("van-ban.doc");
    std::fs::write(&input, bytes).map_err(|e| IngestError::Io(e.to_string()))?;
    convert(&program, &input, &dir.path)?;
    let output = dir.path.join("van-ban.docx");
    let docx = std::fs::read(&output).map_err(|_| unreadable())?;
    crate::check_size(docx.len() as u64, limit)?;
    let mut doc = crate::docx::read(&docx)?;
    doc.warnings
        .push("tệp Word 97-2003 (.doc) đã được chuyển sang .docx để đọc".to_string());
    Ok(doc)
}

/// A .doc LibreOffice cannot open (or an Office file locked with a password, which has
/// the same container).
fn unreadable() -> IngestError {
    IngestError::Corrupt(
        "không chuyển được tệp Word 97-2003 (.doc): tệp hỏng hoặc có mật khẩu, hãy lưu lại thành .docx".to_string(),
    )
}

fn convert(program: &Path, input: &Path, out_dir: &Path) -> Result<(), IngestError> {
    let profile = format!("file://{}", out_dir.join("profile").display());
    let mut child = Command::new(program)
        .arg(format!("-env:UserInstallation={profile}"))
        .args([
            "--headless",
            "--norestore",
            "--convert-to",
            "docx",
            "--outdir",
        ])
        .arg(out_dir)
        .arg(input)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|_| IngestError::Unsupported(NO_CONVERTER.to_string()))?;
    let started = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(status)) if status.success() => return Ok(()),
            Ok(Some(_)) => return Err(unreadable()),
            Ok(None) if started.elapsed() > TIME_LIMIT => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(IngestError::Corrupt(
                    "chuyển đổi tệp Word 97-2003 (.doc) quá lâu, hãy lưu lại thành .docx"
                        .to_string(),
                ));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(50)),
            Err(e) => return Err(IngestError::Io(e.to_string())),
        }
    }
}

/// A private folder removed when dropped.
struct TempDir {
    path: PathBuf,
}

impl TempDir {
    fn new() -> Result<Self, IngestError> {
        static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let path =
            std::env::temp_dir().join(format!("tinhgon-doc-{}-{n}-{nanos}", std::process::id()));
        std::fs::create_dir(&path).map_err(|e| IngestError::Io(e.to_string()))?;
        Ok(Self { path })
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}
