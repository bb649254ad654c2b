//! Notifications by e-mail against a real SMTP peer: a tiny SMTP sink on loopback written here
//! (it speaks just enough SMTP: greeting, EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT) receives
//! what the outbox sends. Covers a server that is down at first (the message waits and goes out
//! once), two senders draining together (each message once), and the urging notice of the
//! monitoring page reaching the unit's accounts by notification and e-mail.

mod common;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use chrono::{Duration, Utc};
use tinhgon_domain::user::Role;
use tinhgon_store::accounts::{self, NewUser};
use tinhgon_store::{notifications, outbox, Db};
use tinhgon_web::config::{SmtpConfig, SmtpTls};
use tinhgon_web::mail::{self, Mailer};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

/// One message as the sink received it.
#[derive(Debug, Clone, Default)]
struct Received {
    from: String,
    rcpt: Vec<String>,
    data: String,
}

impl Received {
    /// Header value, unfolded, with RFC 2047 encoded words decoded.
    fn header(&self, name: &str) -> Option<String> {
        let head = self.data.split("\r\n\r\n").next()?;
        let mut unfolded: Vec<String> = Vec::new();
        for line in head.split("\r\n") {
            if line.starts_with([' ', '\t']) {
                if let Some(last) = unfolded.last_mut() {
                    last.push_str(line);
                }
            } else {
                unfolded.push(line.to_string());
            }
        }
        let prefix = format!("{}:", name.to_ascii_lowercase());
        unfolded
            .iter()
            .find(|l| l.to_ascii_lowercase().starts_with(&prefix))
            .map(|l| decode_words(l[prefix.len()..].trim()))
    }

    /// Body decoded from its transfer encoding, as UTF-8.
    fn body(&self) -> String {
        let raw = self
            .data
            .split_once("\r\n\r\n")
            .map(|(_, b)| b)
            .unwrap_or("");
        let bytes = match self
            .header("Content-Transfer-Encoding")
            .map(|e| e.to_ascii_lowercase())
            .as_deref()
        {
            Some("base64") => base64(&raw.replace("\r\n", "")),
            Some("quoted-printable") => quoted_printable(raw),
            _ => raw.as_bytes().to_vec(),
        };
        String::from_utf8(bytes).expect("thân thư là UTF-8")
    }
}

fn base64(text: &str) -> Vec<u8> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = Vec::new();
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in text.bytes().filter(|c| *c != b'=') {
        let v = ALPHABET.iter().position(|a| *a == c).expect("ký tự base64") as u32;
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    out
}

fn quoted_printable(text: &str) -> Vec<u8> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'=' if bytes.get(i + 1..i + 3) == Some(b"\r\n") => i += 3,
            b'=' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).expect("hex");
                out.push(u8::from_str_radix(hex, 16).expect("hex"));
                i += 3;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    out
}

/// Decodes RFC 2047 encoded words (`=?utf-8?b?…?=`, `=?utf-8?q?…?=`); the white space between
/// two encoded words is not part of the text.
fn decode_words(value: &str) -> String {
    let mut out = String::new();
    let mut prev_encoded = false;
    for (i, token) in value.split_whitespace().enumerate() {
        let parts: Vec<&str> = token.split('?').collect();
        let encoded = parts.len() == 5 && parts[0] == "=" && parts[4] == "=";
        if i > 0 && !(encoded && prev_encoded) {
            out.push(' ');
        }
        if encoded {
            let bytes = match parts[2].to_ascii_lowercase().as_str() {
                "b" => base64(parts[3]),
                _ => quoted_printable(&parts[3].replace('_', " ")),
            };
            out.push_str(&String::from_utf8(bytes).expect("UTF-8"));
        } else {
            out.push_str(token);
        }
        prev_encoded = encoded;
    }
    out
}

/// The SMTP sink: accepts connections until dropped, records every message.
struct Sink {
    received: Arc<Mutex<Vec<Received>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Sink {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Sink {
    fn messages(&self) -> Vec<Received> {
        self.received.lock().expect("khóa").clone()
    }
}

async fn start_sink(addr: SocketAddr) -> Sink {
    let listener = TcpListener::bind(addr).await.expect("mở cổng SMTP thử");
    let received = Arc::new(Mutex::new(Vec::new()));
    let store = received.clone();
    let task = tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            tokio::spawn(smtp_session(stream, store.clone()));
        }
    });
    Sink { received, task }
}

fn angle(arg: &str) -> String {
    let start = arg.find('<').map(|i| i + 1).unwrap_or(0);
    let end = arg.rfind('>').unwrap_or(arg.len());
    arg[start..end.max(start)].to_string()
}

async fn smtp_session(stream: TcpStream, store: Arc<Mutex<Vec<Received>>>) -> std::io::Result<()> {
    let (reader, mut w) = stream.into_split();
    let mut r = BufReader::new(reader);
    w.write_all(b"220 sink.test ESMTP\r\n").await?;
    let mut current = Received::default();
    loop {
        let mut line = String::new();
        if r.read_line(&mut line).await? == 0 {
            return Ok(());
        }
        let verb = line.get(..4).unwrap_or("").to_ascii_uppercase();
        match verb.as_str() {
            "EHLO" => w.write_all(b"250-sink.test\r\n250 8BITMIME\r\n").await?,
            "HELO" => w.write_all(b"250 sink.test\r\n").await?,
            "MAIL" => {
                current = Received {
                    from: angle(&line),
                    ..Received::default()
                };
                w.write_all(b"250 OK\r\n").await?;
            }
            "RCPT" => {
                current.rcpt.push(angle(&line));
                w.write_all(b"250 OK\r\n").await?;
            }
            "DATA" => {
                w.write_all(b"354 end with .\r\n").await?;
                let mut data = String::new();
                loop {
                    let mut l = String::new();
                    if r.read_line(&mut l).await? == 0 {
                        return Ok(());
                    }
                    if l == ".\r\n" {
                        break;
                    }
                    data.push_str(
                        l.strip_prefix('.')
                            .filter(|_| l.starts_with(".."))
                            .unwrap_or(&l),
                    );
                }
                current.data = data;
                store
                    .lock()
                    .expect("khóa")
                    .push(std::mem::take(&mut current));
                w.write_all(b"250 queued\r\n").await?;
            }
            "RSET" | "NOOP" => w.write_all(b"250 OK\r\n").await?,
            "QUIT" => {
                w.write_all(b"221 bye\r\n").await?;
                return Ok(());
            }
            _ => w.write_all(b"502 not implemented\r\n").await?,
        }
    }
}

/// A loopback address nobody listens on (yet).
async fn free_addr() -> SocketAddr {
    let l = TcpListener::bind("127.0.0.1:0").await.expect("cổng");
    l.local_addr().expect("địa chỉ")
}

fn mailer(addr: SocketAddr) -> Mailer {
    let cfg = SmtpConfig {
        host: addr.ip().to_string(),
        port: addr.port(),
        from: "Hệ thống tinh gọn <tinhgon@nghean.gov.vn>".into(),
        username: None,
        password: None,
        tls: SmtpTls::None,
    };
    Mailer::new(&cfg, Some("https://tinhgon.example.vn/".into())).expect("mailer")
}

async fn officer(db: &Db, login: &str, unit: i64, province: i64, email: &str) -> i64 {
    let id = accounts::system::create_user(
        db,
        &NewUser {
            login: login.into(),
            display_name: "Nguyễn Thị Văn Thư".into(),
            password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".into(),
            role: Role::AgencyOfficer,
            unit_id: Some(unit),
            province_id: Some(province),
        },
    )
    .await
    .expect("tài khoản");
    outbox::set_email(db, id, email).await.expect("địa chỉ thư");
    id
}

/// The demo register and accounts on `tdb`: (database, province, Sở Tư pháp).
async fn seeded(tdb: &tinhgon_testkit::TestDb) -> (Db, i64, i64) {
    let db = Db::connect(&tdb.url).await.expect("CSDL");
    let base = tinhgon_demo::seed_base(&db).await.expect("dữ liệu nền");
    let unit = any_unit(&db, base.province_id).await;
    (db, base.province_id, unit)
}

async fn any_unit(db: &Db, province: i64) -> i64 {
    let units = tinhgon_store::register::units_as_of(db, province, Utc::now().date_naive())
        .await
        .expect("đơn vị");
    units
        .iter()
        .find(|u| u.name == "Sở Tư pháp")
        .map(|u| u.id)
        .expect("Sở Tư pháp")
}

async fn outbox_row(db: &Db, notification: i64) -> (i32, Option<String>, bool) {
    let (attempts, error, sent): (i32, Option<String>, Option<chrono::DateTime<Utc>>) = {
        tinhgon_store::tx::query(
            "SELECT attempts, last_error, sent_at FROM mail_outbox WHERE notification_id = $1",
        )
        .bind(notification)
        .fetch_one(db)
        .await
        .expect("hàng đợi")
    };
    (attempts, error, sent.is_some())
}

tinhgon_testkit::both_databases! {
    async fn mail_waits_for_a_down_smtp_server_then_goes_out_once(tdb) {
        let (db, province, unit) = seeded(&tdb).await;
        let uid = officer(&db, "vanthu", unit, province, "vanthu@stp.nghean.gov.vn").await;
        let now = Utc::now();
        let text = "Đôn đốc thực hiện 2 nhiệm vụ quá hạn: 615/KH-UBND 3.1 (hạn 30/09/2025); 615/KH-UBND 4 (hạn 15/10/2025)";
        notifications::notify(
            &db,
            &[uid],
            Some(unit),
            "urging",
            text,
            Some("/inbox?class=overdue"),
            now,
        )
        .await
        .expect("thông báo");
        let nid = notifications::for_user(&db, uid, 1).await.expect("đọc")[0].id;

        // The SMTP server is down: nothing is lost, the attempt is recorded.
        let addr = free_addr().await;
        let m = mailer(addr);
        let o = mail::drain_once(&db, &m, now).await.expect("gửi");
        assert_eq!(
            (o.sent, o.retried, o.given_up),
            (0, 1, 0),
            "[{}]",
            tdb.label
        );
        let (attempts, error, sent) = outbox_row(&db, nid).await;
        assert!(
            attempts == 1 && error.is_some() && !sent,
            "[{}] {error:?}",
            tdb.label
        );
        assert_eq!(outbox::pending_count(&db).await.expect("đếm"), 1);

        // It comes up; the message goes out at its retry time, exactly once.
        let sink = start_sink(addr).await;
        let o = mail::drain_once(&db, &m, now).await.expect("gửi");
        assert_eq!(o.sent, 0, "[{}] not before its retry time", tdb.label);
        let later = now + Duration::minutes(2);
        let o = mail::drain_once(&db, &m, later).await.expect("gửi");
        assert_eq!((o.sent, o.retried), (1, 0), "[{}]", tdb.label);
        let o = mail::drain_once(&db, &m, later + Duration::hours(1))
            .await
            .expect("gửi");
        assert_eq!(o.sent, 0, "[{}]", tdb.label);
        assert_eq!(
            outbox_row(&db, nid).await,
            (2, None, true),
            "[{}]",
            tdb.label
        );
        assert_eq!(outbox::pending_count(&db).await.expect("đếm"), 0);

        let got = sink.messages();
        assert_eq!(got.len(), 1, "[{}]", tdb.label);
        let msg = &got[0];
        assert_eq!(msg.rcpt, ["vanthu@stp.nghean.gov.vn"]);
        assert_eq!(msg.from, "tinhgon@nghean.gov.vn");
        assert_eq!(
            msg.header("Subject").as_deref(),
            Some("[Tinh gọn bộ máy] Đôn đốc thực hiện nhiệm vụ")
        );
        let to = msg.header("To").expect("To");
        assert!(
            to.contains("Nguyễn Thị Văn Thư") && to.contains("<vanthu@stp.nghean.gov.vn>"),
            "{to}"
        );
        let body = msg.body();
        assert!(body.contains(text), "{body}");
        assert!(
            body.contains("Xem chi tiết: https://tinhgon.example.vn/inbox?class=overdue"),
            "{body}"
        );
        db.close().await;
    }
}

tinhgon_testkit::both_databases! {
    async fn two_senders_draining_together_send_each_message_once(tdb) {
        let (db, province, unit) = seeded(&tdb).await;
        let a = officer(&db, "vanthu1", unit, province, "vt1@stp.nghean.gov.vn").await;
        let b = officer(&db, "vanthu2", unit, province, "vt2@stp.nghean.gov.vn").await;
        let now = Utc::now();
        for i in 0..15 {
            notifications::notify(
                &db,
                &[a, b],
                Some(unit),
                "due_in_1",
                &format!("Nhiệm vụ số {i} đến hạn ngày mai."),
                None,
                now,
            )
            .await
            .expect("thông báo");
        }
        let addr = free_addr().await;
        let sink = start_sink(addr).await;
        let other = Db::connect(&tdb.url).await.expect("CSDL");
        let (m1, m2) = (mailer(addr), mailer(addr));
        let (r1, r2) = tokio::join!(
            mail::drain_once(&db, &m1, now),
            mail::drain_once(&other, &m2, now)
        );
        let (r1, r2) = (r1.expect("gửi 1"), r2.expect("gửi 2"));
        assert_eq!(r1.sent + r2.sent, 30, "[{}] {r1:?} {r2:?}", tdb.label);
        let got = sink.messages();
        assert_eq!(got.len(), 30, "[{}]", tdb.label);
        let distinct: std::collections::BTreeSet<(Vec<String>, String)> =
            got.iter().map(|m| (m.rcpt.clone(), m.body())).collect();
        assert_eq!(
            distinct.len(),
            30,
            "[{}] a message was sent twice",
            tdb.label
        );
        db.close().await;
        other.close().await;
    }
}

#[tokio::test]
async fn urging_notice_reaches_the_unit_by_notification_and_mail() {
    let app = common::app().await;
    let db = &app.state.db;
    let now = Utc::now();
    let today = tinhgon_domain::localtime::local_date(now);
    // The harness leaves 615/KH-UBND a draft; published today, its 2025 deadlines are past.
    tinhgon_demo::publish_unreviewed(db, app.plan, None, today, now)
        .await
        .expect("ban hành 615");
    let overdue = tinhgon_store::status::overdue_list(
        db,
        tinhgon_store::status::Scope::Province(app.province),
        today,
        now,
    )
    .await
    .expect("quá hạn");
    if overdue.is_empty() {
        let classes: Vec<(String, i64)> = {
            tinhgon_store::tx::query(
                "SELECT class, COUNT(*) FROM assignment_class_intervals GROUP BY class",
            )
            .fetch_all(db)
            .await
            .expect("đếm")
        };
        let dues: Vec<(Option<String>, String, i64)> = {
            tinhgon_store::tx::query(
                "SELECT MIN(due), status, COUNT(*) FROM assignments GROUP BY status",
            )
            .fetch_all(db)
            .await
            .expect("đếm")
        };
        panic!("615/KH-UBND không có nhiệm vụ quá hạn ngày {today}: khoảng lớp {classes:?}, phân công {dues:?}");
    }
    let unit = overdue[0].unit_id;
    let of_unit = overdue.iter().filter(|a| a.unit_id == unit).count();
    let uid = officer(
        db,
        "vanthu",
        unit,
        app.province,
        "vanthu@donvi.nghean.gov.vn",
    )
    .await;
    let monitor = accounts::credentials(db, "sonoivu")
        .await
        .expect("đọc")
        .expect("sonoivu")
        .user;

    let n = tinhgon_app::urging::urge_unit(
        &app.state.db,
        &monitor,
        tinhgon_domain::ids::UnitId(unit),
        &Default::default(),
        3,
    )
    .await
    .expect("đôn đốc");
    assert_eq!(n, of_unit);
    let notes = notifications::for_user(db, uid, 10).await.expect("đọc");
    assert_eq!(notes.len(), 1);
    assert_eq!(notes[0].kind, "urging");
    assert!(notes[0]
        .text
        .starts_with(&format!("Đôn đốc thực hiện {of_unit} nhiệm vụ quá hạn")));

    let addr = free_addr().await;
    let sink = start_sink(addr).await;
    let o = mail::drain_once(db, &mailer(addr), now).await.expect("gửi");
    assert_eq!(
        o.sent, 1,
        "only the account with an address gets mail: {o:?}"
    );
    let got = sink.messages();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].rcpt, ["vanthu@donvi.nghean.gov.vn"]);
    assert_eq!(
        got[0].header("Subject").as_deref(),
        Some("[Tinh gọn bộ máy] Đôn đốc thực hiện nhiệm vụ")
    );
    let body = got[0].body();
    assert!(body.contains(&notes[0].text), "{body}");
    assert!(
        body.contains("https://tinhgon.example.vn/inbox?class=overdue"),
        "{body}"
    );
}
