//! Server configuration: a TOML file, overridden by `TINHGON_*` environment variables.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use serde::Deserialize;

const MIB: usize = 1024 * 1024;

/// The kind of body a route accepts, which sets how large it may be (see [`UploadLimits`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BodyClass {
    /// A plan document to import (DOCX, PDF, scanned pages).
    Document,
    /// Evidence files attached to a progress report.
    Evidence,
    /// A register or staffing spreadsheet.
    Spreadsheet,
    /// A form or JSON post without files.
    Form,
}

impl BodyClass {
    /// Every class, in the order the documentation lists them.
    pub const ALL: [BodyClass; 4] = [
        BodyClass::Document,
        BodyClass::Evidence,
        BodyClass::Spreadsheet,
        BodyClass::Form,
    ];

    /// The key of the class in `[upload_limits]` and the suffix of its environment variable.
    pub fn key(self) -> &'static str {
        match self {
            BodyClass::Document => "document",
            BodyClass::Evidence => "evidence",
            BodyClass::Spreadsheet => "spreadsheet",
            BodyClass::Form => "form",
        }
    }
}

/// Largest accepted request body per [`BodyClass`], in bytes (`[upload_limits]` in the file).
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(default, deny_unknown_fields)]
pub struct UploadLimits {
    /// Plan documents to import (default 50 MiB: a long scanned plan).
    pub document: usize,
    /// Evidence files of a progress report, all files of one report together (default 20 MiB).
    pub evidence: usize,
    /// Register and staffing spreadsheets (default 20 MiB).
    pub spreadsheet: usize,
    /// Forms and JSON posts (default 1 MiB).
    pub form: usize,
}

impl Default for UploadLimits {
    fn default() -> Self {
        UploadLimits {
            document: 50 * MIB,
            evidence: 20 * MIB,
            spreadsheet: 20 * MIB,
            form: MIB,
        }
    }
}

impl UploadLimits {
    /// The limit of `class`.
    pub fn of(&self, class: BodyClass) -> usize {
        match class {
            BodyClass::Document => self.document,
            BodyClass::Evidence => self.evidence,
            BodyClass::Spreadsheet => self.spreadsheet,
            BodyClass::Form => self.form,
        }
    }

    fn set(&mut self, class: BodyClass, bytes: usize) {
        match class {
            BodyClass::Document => self.document = bytes,
            BodyClass::Evidence => self.evidence = bytes,
            BodyClass::Spreadsheet => self.spreadsheet = bytes,
            BodyClass::Form => self.form = bytes,
        }
    }

    /// The largest of the limits (what any route may be sent at most).
    pub fn largest(&self) -> usize {
        BodyClass::ALL
            .iter()
            .map(|c| self.of(*c))
            .max()
            .unwrap_or(0)
    }
}

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
    /// Largest accepted request body per kind of route (the route table gives each route its kind).
    pub upload_limits: UploadLimits,
    /// `upload_limit` of earlier releases: read only so that loading refuses it (see
    /// [`Config::load`]); leave it None.
    #[serde(rename = "upload_limit")]
    pub legacy_upload_limit: Option<usize>,
    /// Where evidence files and imported sources are kept.
    pub data_dir: PathBuf,
    /// Session lifetime in hours.
    pub session_hours: i64,
    /// A session unused for this many minutes ends (a browser left open on a shared desk).
    pub session_idle_minutes: i64,
    /// Outgoing mail; none means in-app notifications only.
    pub smtp: Option<SmtpConfig>,
    /// The address users reach the site at ("https://tinhgon.nghean.gov.vn"), for links in
    /// e-mails; none leaves the links relative.
    pub public_url: Option<String>,
    /// Run the daily reminder job and the e-mail sender in this process (every instance may:
    /// both are safe to run concurrently).
    pub background_jobs: bool,
    /// Hour of the day (Vietnam time, 0–23) the daily reminder job runs at.
    pub reminder_hour: u32,
    /// After how many days of urging without any progress report a unit's case goes to the
    /// province's leaders (0: never).
    pub escalate_after: u32,
}

/// SMTP relay for e-mail notifications.
#[derive(Clone, Deserialize, PartialEq, Eq)]
pub struct SmtpConfig {
    /// Host name or address.
    pub host: String,
    /// Port (25 for a local relay, 587 for STARTTLS submission, 465 for TLS).
    #[serde(default = "default_smtp_port")]
    pub port: u16,
    /// Sender address ("Sở Nội vụ <tinhgon@nghean.gov.vn>" or a bare address).
    pub from: String,
    /// User name, when the relay wants authentication.
    #[serde(default)]
    pub username: Option<String>,
    /// Password for `username`.
    #[serde(default)]
    pub password: Option<String>,
    /// Transport security.
    #[serde(default)]
    pub tls: SmtpTls,
}

// The password never reaches a log line.
impl std::fmt::Debug for SmtpConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpConfig")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("from", &self.from)
            .field("username", &self.username)
            .field("password", &self.password.as_ref().map(|_| "***"))
            .field("tls", &self.tls)
            .finish()
    }
}

fn default_smtp_port() -> u16 {
    25
}

/// How the SMTP connection is secured.
#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum SmtpTls {
    /// Plain text (a relay on the same host or network).
    #[default]
    None,
    /// Plain connection upgraded with STARTTLS (required, not opportunistic).
    Starttls,
    /// TLS from the first byte (port 465).
    Tls,
}

impl SmtpTls {
    /// The usual port of this kind of connection.
    pub fn default_port(self) -> u16 {
        match self {
            SmtpTls::None => 25,
            SmtpTls::Starttls => 587,
            SmtpTls::Tls => 465,
        }
    }

    fn parse(text: &str) -> Option<SmtpTls> {
        match text.trim().to_ascii_lowercase().as_str() {
            "" | "none" | "off" | "khong" => Some(SmtpTls::None),
            "starttls" => Some(SmtpTls::Starttls),
            "tls" | "ssl" | "smtps" => Some(SmtpTls::Tls),
            _ => None,
        }
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            db: "tinhgon.db".into(),
            bind: "127.0.0.1:8080".into(),
            secure_cookies: false,
            upload_limits: UploadLimits::default(),
            legacy_upload_limit: None,
            data_dir: PathBuf::from("tinhgon-data"),
            session_hours: 12,
            session_idle_minutes: 120,
            smtp: None,
            public_url: None,
            background_jobs: true,
            reminder_hour: 7,
            escalate_after: 3,
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
    /// A setting of an earlier release that is read differently now.
    #[error("{0}")]
    Replaced(String),
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
        cfg.refuse_replaced(|k| std::env::var(k).ok())?;
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
        for class in BodyClass::ALL {
            let var = upload_var(class);
            if let Some(v) = get(var) {
                let bytes = v
                    .trim()
                    .parse()
                    .ok()
                    .filter(|n| *n > 0)
                    .ok_or_else(|| ConfigError::Env(var, v.clone()))?;
                self.upload_limits.set(class, bytes);
            }
        }
        if let Some(host) = get("TINHGON_SMTP_HOST") {
            let tls = match get("TINHGON_SMTP_TLS") {
                Some(t) => SmtpTls::parse(&t).ok_or(ConfigError::Env("TINHGON_SMTP_TLS", t))?,
                None => SmtpTls::None,
            };
            let port = match get("TINHGON_SMTP_PORT") {
                Some(p) => p
                    .trim()
                    .parse()
                    .map_err(|_| ConfigError::Env("TINHGON_SMTP_PORT", p.clone()))?,
                None => tls.default_port(),
            };
            let from = get("TINHGON_SMTP_FROM").unwrap_or_else(|| "tinhgon@localhost".into());
            self.smtp = Some(SmtpConfig {
                host,
                port,
                from,
                username: get("TINHGON_SMTP_USERNAME").filter(|u| !u.is_empty()),
                password: get("TINHGON_SMTP_PASSWORD"),
                tls,
            });
        }
        if let Some(v) = get("TINHGON_PUBLIC_URL") {
            self.public_url = Some(v).filter(|u| !u.trim().is_empty());
        }
        if let Some(v) = get("TINHGON_JOBS") {
            self.background_jobs = match v.trim().to_ascii_lowercase().as_str() {
                "1" | "true" | "yes" | "on" => true,
                "0" | "false" | "no" | "off" => false,
                _ => return Err(ConfigError::Env("TINHGON_JOBS", v)),
            };
        }
        if let Some(v) = get("TINHGON_REMINDER_HOUR") {
            self.reminder_hour = v
                .trim()
                .parse()
                .ok()
                .filter(|h| *h < 24)
                .ok_or_else(|| ConfigError::Env("TINHGON_REMINDER_HOUR", v.clone()))?;
        }
        if let Some(v) = get("TINHGON_ESCALATE_AFTER") {
            self.escalate_after = v
                .trim()
                .parse()
                .ok()
                .filter(|n| *n <= 365)
                .ok_or_else(|| ConfigError::Env("TINHGON_ESCALATE_AFTER", v.clone()))?;
        }
        Ok(())
    }

    /// Refuses the single upload limit of earlier releases rather than ignore it: an operator
    /// who raised it would otherwise find uploads refused after the upgrade without a word.
    fn refuse_replaced(&self, get: impl Fn(&str) -> Option<String>) -> Result<(), ConfigError> {
        if self.legacy_upload_limit.is_some() || get("TINHGON_UPLOAD_LIMIT").is_some() {
            return Err(ConfigError::Replaced(
                "upload_limit (TINHGON_UPLOAD_LIMIT) không còn dùng: giới hạn tải lên nay đặt theo từng loại \
                 trong bảng [upload_limits] (document, evidence, spreadsheet, form) hoặc biến \
                 TINHGON_UPLOAD_LIMIT_<LOẠI>; xem docs/deploy/tinhgon.toml"
                    .into(),
            ));
        }
        Ok(())
    }

    /// The largest body a route of `class` accepts.
    pub fn upload_limit(&self, class: BodyClass) -> usize {
        self.upload_limits.of(class)
    }

    /// The bind address parsed.
    pub fn bind_addr(&self) -> Result<SocketAddr, ConfigError> {
        self.bind
            .parse()
            .map_err(|_| ConfigError::Env("TINHGON_BIND", self.bind.clone()))
    }
}

/// The environment variable that overrides the limit of `class`.
fn upload_var(class: BodyClass) -> &'static str {
    match class {
        BodyClass::Document => "TINHGON_UPLOAD_LIMIT_DOCUMENT",
        BodyClass::Evidence => "TINHGON_UPLOAD_LIMIT_EVIDENCE",
        BodyClass::Spreadsheet => "TINHGON_UPLOAD_LIMIT_SPREADSHEET",
        BodyClass::Form => "TINHGON_UPLOAD_LIMIT_FORM",
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
            ("TINHGON_UPLOAD_LIMIT_FORM", "1024"),
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
        assert_eq!(cfg.upload_limit(BodyClass::Form), 1024);
        assert_eq!(cfg.upload_limit(BodyClass::Document), 50 * MIB);
        assert_eq!(cfg.smtp.as_ref().map(|s| s.port), Some(2525));
        assert_eq!(cfg.smtp.as_ref().map(|s| s.tls), Some(SmtpTls::None));
    }

    #[test]
    fn smtp_from_file_and_env_with_credentials_and_tls() {
        let cfg: Config = toml::from_str(
            "public_url = \"https://tinhgon.example.vn\"\n[smtp]\nhost = \"mail.example.vn\"\nport = 587\n\
             from = \"tinhgon@example.vn\"\nusername = \"tg\"\npassword = \"bí mật\"\ntls = \"starttls\"\n",
        )
        .unwrap();
        let smtp = cfg.smtp.clone().unwrap();
        assert_eq!((smtp.port, smtp.tls), (587, SmtpTls::Starttls));
        assert_eq!(smtp.username.as_deref(), Some("tg"));
        assert!(!format!("{smtp:?}").contains("bí mật"));
        assert_eq!(
            cfg.public_url.as_deref(),
            Some("https://tinhgon.example.vn")
        );
        let mut env_cfg = Config::default();
        let env: HashMap<&str, &str> = [
            ("TINHGON_SMTP_HOST", "mail.example.vn"),
            ("TINHGON_SMTP_TLS", "tls"),
            ("TINHGON_SMTP_USERNAME", "tg"),
            ("TINHGON_SMTP_PASSWORD", "pw"),
            ("TINHGON_REMINDER_HOUR", "6"),
            ("TINHGON_JOBS", "off"),
        ]
        .into_iter()
        .collect();
        env_cfg
            .apply_env(|k| env.get(k).map(|v| v.to_string()))
            .unwrap();
        let smtp = env_cfg.smtp.unwrap();
        assert_eq!(
            (smtp.port, smtp.tls, smtp.password.as_deref()),
            (465, SmtpTls::Tls, Some("pw"))
        );
        assert_eq!(env_cfg.reminder_hour, 6);
        assert!(!env_cfg.background_jobs);
        let mut bad = Config::default();
        assert!(bad
            .apply_env(|k| (k == "TINHGON_REMINDER_HOUR").then(|| "24".to_string()))
            .is_err());
        assert!(bad
            .apply_env(|k| match k {
                "TINHGON_SMTP_HOST" => Some("h".into()),
                "TINHGON_SMTP_TLS" => Some("maybe".into()),
                _ => None,
            })
            .is_err());
    }

    #[test]
    fn bad_env_value_is_an_error_naming_the_variable() {
        let mut cfg = Config::default();
        let err = cfg
            .apply_env(|k| (k == "TINHGON_UPLOAD_LIMIT_EVIDENCE").then(|| "nhiều".to_string()))
            .unwrap_err();
        assert!(err.to_string().contains("TINHGON_UPLOAD_LIMIT_EVIDENCE"));
    }

    #[test]
    fn upload_limits_come_from_their_table_in_the_file() {
        let cfg: Config = toml::from_str("[upload_limits]\ndocument = 1000\nform = 10\n").unwrap();
        assert_eq!(cfg.upload_limit(BodyClass::Document), 1000);
        assert_eq!(cfg.upload_limit(BodyClass::Form), 10);
        assert_eq!(cfg.upload_limit(BodyClass::Evidence), 20 * MIB);
        assert_eq!(cfg.upload_limits.largest(), 20 * MIB);
        // A misspelt class is an error, not a silently ignored limit.
        assert!(toml::from_str::<Config>("[upload_limits]\ndocuments = 1\n").is_err());
        // The single limit of earlier releases is refused with the way to the new table.
        let old: Config = toml::from_str("upload_limit = 1000\n").unwrap();
        let e = old.refuse_replaced(|_| None).unwrap_err().to_string();
        assert!(e.contains("[upload_limits]"), "{e}");
        assert!(cfg.refuse_replaced(|_| None).is_ok());
        let env = cfg
            .refuse_replaced(|k| (k == "TINHGON_UPLOAD_LIMIT").then(|| "1".into()))
            .unwrap_err();
        assert!(env.to_string().contains("TINHGON_UPLOAD_LIMIT"));
        let shipped: Config =
            toml::from_str(include_str!("../../../docs/deploy/tinhgon.toml")).unwrap();
        assert_eq!(shipped.upload_limits, UploadLimits::default());
    }
}
