//! Server configuration: a TOML file, overridden by `TINHGON_*` environment variables.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use serde::Deserialize;

/// Default upload limit: 20 MiB, enough for a scanned plan or a signed PDF as evidence.
pub const DEFAULT_UPLOAD_LIMIT: usize = 20 * 1024 * 1024;

/// Everything the server needs to start.
#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub struct Config {
    /// Database: a SQLite path or a `postgres://` URL.
    pub db: String,
    /// Address to listen on.
    pub bind: String,
    /// Mark cookies `Secure` (behind HTTPS).
    pub secure_cookies: bool,
    /// Largest accepted request body in bytes (uploads included).
    pub upload_limit: usize,
    /// Where evidence files and imported sources are kept.
    pub data_dir: PathBuf,
    /// Session lifetime in hours.
    pub session_hours: i64,
    /// Outgoing mail; none means in-app notifications only.
    pub smtp: Option<SmtpConfig>,
}

/// SMTP relay for e-mail notifications.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
pub struct SmtpConfig {
    /// Host name or address.
    pub host: String,
    /// Port (25 for a local relay).
    pub port: u16,
    /// Sender address.
    pub from: String,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            db: "tinhgon.db".into(),
            bind: "127.0.0.1:8080".into(),
            secure_cookies: false,
            upload_limit: DEFAULT_UPLOAD_LIMIT,
            data_dir: PathBuf::from("tinhgon-data"),
            session_hours: 12,
            smtp: None,
        }
    }
}

/// A configuration that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read.
    #[error("không đọc được tệp cấu hình {0}: {1}")]
    Read(PathBuf, std::io::Error),
    /// The file is not valid TOML for this configuration.
    #[error("tệp cấu hình {0} không hợp lệ: {1}")]
    Parse(PathBuf, toml::de::Error),
    /// An environment variable holds a bad value.
    #[error("biến môi trường {0} không hợp lệ: {1}")]
    Env(&'static str, String),
}

impl Config {
    /// Reads the optional file, then applies the environment.
    pub fn load(file: Option<&Path>) -> Result<Config, ConfigError> {
        let mut cfg = match file {
            Some(p) => {
                let text =
                    std::fs::read_to_string(p).map_err(|e| ConfigError::Read(p.into(), e))?;
                toml::from_str(&text).map_err(|e| ConfigError::Parse(p.into(), e))?
            }
            None => Config::default(),
        };
        cfg.apply_env(|k| std::env::var(k).ok())?;
        Ok(cfg)
    }

    /// Applies `TINHGON_*` variables read through `get` (a function so tests need no global state).
    pub fn apply_env(&mut self, get: impl Fn(&str) -> Option<String>) -> Result<(), ConfigError> {
        if let Some(v) = get("TINHGON_DB") {
            self.db = v;
        }
        if let Some(v) = get("TINHGON_BIND") {
            self.bind = v;
        }
        if let Some(v) = get("TINHGON_DATA_DIR") {
            self.data_dir = v.into();
        }
        if let Some(v) = get("TINHGON_SECURE_COOKIES") {
            self.secure_cookies = match v.trim().to_ascii_lowercase().as_str() {
                "1" | "true" | "yes" | "on" => true,
                "0" | "false" | "no" | "off" | "" => false,
                _ => return Err(ConfigError::Env("TINHGON_SECURE_COOKIES", v)),
            };
        }
        if let Some(v) = get("TINHGON_UPLOAD_LIMIT") {
            self.upload_limit = v
                .trim()
                .parse()
                .map_err(|_| ConfigError::Env("TINHGON_UPLOAD_LIMIT", v.clone()))?;
        }
        if let Some(host) = get("TINHGON_SMTP_HOST") {
            let port = match get("TINHGON_SMTP_PORT") {
                Some(p) => p
                    .trim()
                    .parse()
                    .map_err(|_| ConfigError::Env("TINHGON_SMTP_PORT", p.clone()))?,
                None => 25,
            };
            let from = get("TINHGON_SMTP_FROM").unwrap_or_else(|| "tinhgon@localhost".into());
            self.smtp = Some(SmtpConfig { host, port, from });
        }
        Ok(())
    }

    /// The bind address parsed.
    pub fn bind_addr(&self) -> Result<SocketAddr, ConfigError> {
        self.bind
            .parse()
            .map_err(|_| ConfigError::Env("TINHGON_BIND", self.bind.clone()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    #[test]
    fn env_overrides_file_values() {
        let mut cfg: Config = toml::from_str("db = \"a.db\"\nbind = \"0.0.0.0:80\"\n").unwrap();
        let env: HashMap<&str, &str> = [
            ("TINHGON_DB", "postgres://x/y"),
            ("TINHGON_SECURE_COOKIES", "true"),
            ("TINHGON_UPLOAD_LIMIT", "1024"),
            ("TINHGON_SMTP_HOST", "127.0.0.1"),
            ("TINHGON_SMTP_PORT", "2525"),
        ]
        .into_iter()
        .collect();
        cfg.apply_env(|k| env.get(k).map(|v| v.to_string()))
            .unwrap();
        assert_eq!(cfg.db, "postgres://x/y");
        assert_eq!(cfg.bind, "0.0.0.0:80");
        assert!(cfg.secure_cookies);
        assert_eq!(cfg.upload_limit, 1024);
        assert_eq!(cfg.smtp.as_ref().map(|s| s.port), Some(2525));
    }

    #[test]
    fn bad_env_value_is_an_error_naming_the_variable() {
        let mut cfg = Config::default();
        let err = cfg
            .apply_env(|k| (k == "TINHGON_UPLOAD_LIMIT").then(|| "nhiều".to_string()))
            .unwrap_err();
        assert!(err.to_string().contains("TINHGON_UPLOAD_LIMIT"));
    }
}
