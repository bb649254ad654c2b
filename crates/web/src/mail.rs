//! E-mail through SMTP: every notification whose recipient has an address is queued in the
//! store's outbox with the notification itself; `drain_once` claims queued rows, sends them and
//! records the outcome. Nothing here runs inside a request, so a slow or absent SMTP server
//! never delays or fails a page; a failed message is tried again later with a growing pause.

use std::time::Duration as StdDuration;

use chrono::{DateTime, Duration, Utc};
use lettre::message::header::ContentType;
use lettre::message::Mailbox;
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use tinhgon_domain::reminder::{email_body, email_subject};
use tinhgon_store::{outbox, Db, StoreError};

use crate::config::{SmtpConfig, SmtpTls};

/// How long a sender owns the rows it claimed; longer than one SMTP exchange can take.
const LEASE_MINUTES: i64 = 5;
/// Rows claimed at once.
const BATCH: i64 = 20;
/// Attempts before a message is given up.
pub const MAX_ATTEMPTS: i32 = 8;
/// Messages older than this are given up unsent: a reminder days late misleads more than it helps.
const MAX_AGE_DAYS: i64 = 3;
/// Time allowed for one SMTP conversation.
const SMTP_TIMEOUT: StdDuration = StdDuration::from_secs(30);

/// Why mail cannot be set up.
#[derive(Debug, thiserror::Error)]
pub enum MailError {
    /// The sender address in the configuration cannot be used.
    #[error("địa chỉ người gửi thư không hợp lệ \"{0}\": {1}")]
    From(String, String),
    /// The SMTP relay cannot be set up (bad host name for TLS).
    #[error("không thiết lập được máy chủ thư {0}: {1}")]
    Relay(String, String),
}

/// An SMTP sender built from the configuration.
#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    public_url: Option<String>,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mailer")
            .field("from", &self.from.to_string())
            .finish()
    }
}

impl Mailer {
    /// A sender for `cfg`; links in messages are made absolute with `public_url`.
    pub fn new(cfg: &SmtpConfig, public_url: Option<String>) -> Result<Mailer, MailError> {
        let from: Mailbox = cfg
            .from
            .parse()
            .map_err(|e: lettre::address::AddressError| {
                MailError::From(cfg.from.clone(), e.to_string())
            })?;
        let relay_err =
            |e: lettre::transport::smtp::Error| MailError::Relay(cfg.host.clone(), e.to_string());
        let builder = match cfg.tls {
            SmtpTls::None => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&cfg.host),
            SmtpTls::Starttls => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&cfg.host)
                .map_err(relay_err)?,
            SmtpTls::Tls => {
                AsyncSmtpTransport::<Tokio1Executor>::relay(&cfg.host).map_err(relay_err)?
            }
        };
        let mut builder = builder.port(cfg.port).timeout(Some(SMTP_TIMEOUT));
        if let Some(user) = &cfg.username {
            builder = builder.credentials(Credentials::new(
                user.clone(),
                cfg.password.clone().unwrap_or_default(),
            ));
        }
        Ok(Mailer {
            transport: builder.build(),
            from,
            public_url,
        })
    }

    /// The message for one queued notification (Vietnamese subject and body; lettre encodes
    /// them for MIME).
    pub fn compose(&self, mail: &outbox::PendingMail) -> Result<Message, String> {
        let address = mail
            .email
            .as_deref()
            .ok_or_else(|| "tài khoản không còn địa chỉ thư".to_string())?;
        let to = Mailbox::new(
            Some(mail.display_name.clone()),
            address
                .parse()
                .map_err(|e| format!("địa chỉ người nhận không hợp lệ: {e}"))?,
        );
        Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(email_subject(&mail.kind))
            .header(ContentType::TEXT_PLAIN)
            .body(email_body(
                &mail.text,
                mail.link.as_deref(),
                self.public_url.as_deref(),
            ))
            .map_err(|e| format!("không soạn được thư: {e}"))
    }

    async fn send(&self, message: Message) -> Result<(), (String, bool)> {
        match self.transport.send(message).await {
            Ok(_) => Ok(()),
            Err(e) => Err((
                format!("máy chủ thư từ chối hoặc không trả lời: {e}"),
                e.is_permanent(),
            )),
        }
    }
}

/// What one pass over the outbox did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DrainOutcome {
    /// Messages sent.
    pub sent: u64,
    /// Failed attempts that will be retried.
    pub retried: u64,
    /// Messages given up (bad address, permanent refusal, too many attempts, too old).
    pub given_up: u64,
}

/// Pause before attempt `attempts + 1`: 1, 2, 4 … minutes, at most an hour.
pub fn retry_delay(attempts: i32) -> Duration {
    let exp = u32::try_from(attempts.clamp(1, 7) - 1).unwrap_or(0);
    Duration::minutes(2i64.pow(exp).min(60))
}

/// Sends every queued message that is ready at `now`, claiming them first so that other
/// instances draining at the same time skip them.
pub async fn drain_once(
    db: &Db,
    mailer: &Mailer,
    now: DateTime<Utc>,
) -> Result<DrainOutcome, StoreError> {
    let mut out = DrainOutcome {
        given_up: outbox::expire(db, now - Duration::days(MAX_AGE_DAYS), now).await?,
        ..DrainOutcome::default()
    };
    loop {
        let batch = outbox::claim(db, now, Duration::minutes(LEASE_MINUTES), BATCH).await?;
        if batch.is_empty() {
            break;
        }
        for mail in batch {
            let result = match mailer.compose(&mail) {
                Ok(message) => mailer.send(message).await,
                Err(e) => Err((e, true)),
            };
            match result {
                Ok(()) => {
                    outbox::mark_sent(db, mail.id, Utc::now().max(now)).await?;
                    out.sent += 1;
                }
                Err((error, permanent)) => {
                    let retry = (!permanent && mail.attempts < MAX_ATTEMPTS)
                        .then(|| now + retry_delay(mail.attempts));
                    tracing::warn!(outbox = mail.id, attempts = mail.attempts, %error, "gửi thư không thành công");
                    outbox::mark_failed(db, mail.id, &error, now, retry).await?;
                    if retry.is_some() {
                        out.retried += 1;
                    } else {
                        out.given_up += 1;
                    }
                }
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_delay_grows_then_caps() {
        let mins: Vec<i64> = (1..=9).map(|a| retry_delay(a).num_minutes()).collect();
        assert_eq!(mins, [1, 2, 4, 8, 16, 32, 60, 60, 60]);
    }

    #[test]
    fn bad_sender_is_a_vietnamese_error() {
        let cfg = SmtpConfig {
            host: "127.0.0.1".into(),
            port: 25,
            from: "không phải địa chỉ".into(),
            username: None,
            password: None,
            tls: SmtpTls::None,
        };
        let err = Mailer::new(&cfg, None).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("địa chỉ người gửi thư không hợp lệ"),
            "{err}"
        );
    }
}
