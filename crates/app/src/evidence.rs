//! Evidence files: type checked by their first bytes (never by the name the user gave),
//! stored under the data directory by their SHA-256, served only by database id.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::error::AppError;

/// Accepted kinds: (media type, extension).
pub fn sniff(bytes: &[u8], file_name: &str) -> Option<(&'static str, &'static str)> {
    let lower = file_name.to_lowercase();
    if bytes.starts_with(b"%PDF-") {
        return Some(("application/pdf", "pdf"));
    }
    if bytes.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
        return Some(("image/png", "png"));
    }
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Some(("image/jpeg", "jpg"));
    }
    if bytes.starts_with(b"PK\x03\x04") {
        // Office files are zip archives; the part names inside tell Word from Excel.
        let has = |needle: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
        if has(b"word/") && (lower.ends_with(".docx") || !lower.contains('.')) {
            return Some((
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                "docx",
            ));
        }
        if has(b"xl/") && (lower.ends_with(".xlsx") || !lower.contains('.')) {
            return Some((
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "xlsx",
            ));
        }
    }
    None
}

/// A file name safe to show and to put in a download header (no path, no control characters).
pub fn clean_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = base
        .chars()
        .filter(|c| !c.is_control() && *c != '"')
        .take(150)
        .collect();
    if cleaned.trim().is_empty() {
        "minh-chung".into()
    } else {
        cleaned.trim().to_string()
    }
}

/// Where a stored key lives; refuses anything but a 64-hex-digit key.
pub fn path_for(data_dir: &Path, key: &str) -> Result<PathBuf, AppError> {
    if key.len() != 64 || !key.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(AppError::NotFound);
    }
    Ok(data_dir.join("evidence").join(&key[..2]).join(key))
}

/// Writes the bytes under their hash (idempotent) and returns the hex hash.
pub async fn store(data_dir: &Path, bytes: &[u8]) -> Result<String, AppError> {
    let hash = hex::encode(Sha256::digest(bytes));
    let path = path_for(data_dir, &hash)?;
    if tokio::fs::try_exists(&path).await.unwrap_or(false) {
        return Ok(hash);
    }
    if let Some(dir) = path.parent() {
        tokio::fs::create_dir_all(dir)
            .await
            .map_err(|e| AppError::Internal(e.to_string()))?;
    }
    let tmp = path.with_extension("tmp");
    tokio::fs::write(&tmp, bytes)
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?;
    tokio::fs::rename(&tmp, &path)
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(hash)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn magic_bytes_decide_not_the_name() {
        assert_eq!(sniff(b"%PDF-1.7 ...", "a.docx").map(|t| t.1), Some("pdf"));
        assert_eq!(sniff(b"MZ\x90\x00 executable", "bao-cao.pdf"), None);
        assert_eq!(
            sniff(b"PK\x03\x04....word/document.xml", "bc.docx").map(|t| t.1),
            Some("docx")
        );
        assert_eq!(
            sniff(b"PK\x03\x04....xl/workbook.xml", "bc.xlsx").map(|t| t.1),
            Some("xlsx")
        );
        assert_eq!(sniff(b"PK\x03\x04....random", "x.zip"), None);
        assert_eq!(
            sniff(&[0xFF, 0xD8, 0xFF, 0xE0], "anh.png").map(|t| t.1),
            Some("jpg")
        );
    }

    #[test]
    fn keys_that_are_not_hashes_never_reach_the_disk() {
        let d = Path::new("/data");
        assert!(path_for(d, "../../etc/passwd").is_err());
        assert!(path_for(d, &"a".repeat(63)).is_err());
        assert!(path_for(d, &format!("{}/..", "a".repeat(61))).is_err());
        assert!(path_for(d, &"ab".repeat(32)).is_ok());
    }

    #[test]
    fn names_lose_their_directories() {
        assert_eq!(clean_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_name("C:\\x\\Báo cáo.pdf"), "Báo cáo.pdf");
        assert_eq!(clean_name(""), "minh-chung");
    }
}
