//! LibreOffice headless for tests that must open the documents we generate, the way a user's
//! office suite would.

use std::path::{Path, PathBuf};
use std::process::Command;

/// Whether LibreOffice must be used: always on CI (a missing `soffice` fails the test there);
/// locally only when it is installed.
pub fn soffice_required() -> bool {
    let present = Command::new("soffice")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if present {
        return true;
    }
    if std::env::var("CI").is_ok_and(|v| v == "true" || v == "1") {
        panic!("CI is set but LibreOffice (soffice) is not installed");
    }
    eprintln!("soffice absent and CI unset: skipping the LibreOffice rendering");
    false
}

/// Converts `input` with LibreOffice headless into `outdir` (filter as `--convert-to` takes
/// it, e.g. "pdf" or "csv:Text - txt - csv (StarCalc):44,34,76"); panics when LibreOffice
/// cannot open or convert it.
pub fn soffice_convert(input: &Path, filter: &str, outdir: &Path) -> PathBuf {
    // A private profile per call: concurrent conversions would otherwise fight over one.
    let profile = tempfile::Builder::new()
        .prefix("lo-")
        .tempdir_in(std::env::temp_dir())
        .expect("profile dir");
    let out = Command::new("soffice")
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.path().display()
        ))
        .args([
            "--headless",
            "--norestore",
            "--convert-to",
            filter,
            "--outdir",
        ])
        .arg(outdir)
        .arg(input)
        .output()
        .expect("run soffice");
    let ext = filter.split(':').next().unwrap_or(filter);
    let stem = input
        .file_stem()
        .expect("stem")
        .to_string_lossy()
        .to_string();
    let produced = outdir.join(format!("{stem}.{ext}"));
    assert!(
        out.status.success() && produced.exists(),
        "LibreOffice could not convert {}: {}\n{}",
        input.display(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    produced
}
