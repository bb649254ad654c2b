//! Reading one assignment: its timeline of everything that happened to it, newest first.

use chrono::{DateTime, NaiveDate, Utc};
use tinhgon_domain::model::Id;
use tinhgon_store::assignment_view;
use tinhgon_store::web_queries::WorkRow;
use tinhgon_store::Db;

use crate::error::Result;

/// One event of an assignment's timeline.
pub struct Event {
    /// When.
    pub at: DateTime<Utc>,
    /// Who.
    pub who: String,
    /// What happened.
    pub title: String,
    /// Its text.
    pub text: String,
    /// Evidence files: (id, name).
    pub files: Vec<(Id, String)>,
    /// A pending extension request to decide.
    pub extension: Option<Id>,
    /// An open obstacle to answer.
    pub obstacle: Option<Id>,
    /// A referral waiting for the leaders' opinion.
    pub referral: Option<Id>,
}

fn status_label(s: &str) -> &'static str {
    tinhgon_domain::Status::parse(s)
        .map(|s| s.label_vi())
        .unwrap_or("Không rõ")
}

fn date_opt(d: Option<NaiveDate>) -> String {
    d.map(|d| d.format("%d/%m/%Y").to_string())
        .unwrap_or_else(|| "—".into())
}

/// The timeline of an assignment, newest first (status changes, re-routes, progress with
/// evidence, extensions and decisions, obstacles, referrals and answers, contributions), and the names of
/// the task's coordinating units.
pub async fn timeline(db: &Db, w: &WorkRow) -> Result<(Vec<Event>, Vec<(Id, String)>)> {
    use assignment_view::RowKind;
    let rows = assignment_view::timeline(db, w.id, w.task_id).await?;
    let who = |name: &Option<String>| name.clone().unwrap_or_else(|| "Hệ thống".into());
    let ev = |at: DateTime<Utc>, who: String, title: String, text: String| Event {
        at,
        who,
        title,
        text,
        files: Vec::new(),
        extension: None,
        obstacle: None,
        referral: None,
    };
    let mut events = Vec::new();
    let mut coordinating = Vec::new();
    for r in &rows {
        let text = |t: &Option<String>| t.clone().unwrap_or_default();
        match (r.kind(), r.at) {
            (RowKind::Coordinator, _) => {
                if let (Some(u), Some(n)) = (r.n1, &r.t1) {
                    coordinating.push((u, n.clone()));
                }
            }
            (_, None) => {}
            (RowKind::Status, Some(at)) => {
                let to = r.t2.as_deref().unwrap_or_default();
                let title = match r.t1.as_deref().map(status_label) {
                    Some(f) => format!("Trạng thái: {f} → {}", status_label(to)),
                    None => format!("Giao nhiệm vụ ({})", status_label(to)),
                };
                events.push(ev(at, who(&r.actor), title, text(&r.t3)));
            }
            (RowKind::Reroute, Some(at)) => {
                let t = format!("Chuyển giao từ {} sang {}", text(&r.t1), text(&r.t2));
                events.push(ev(at, "Hệ thống".into(), t, String::new()));
            }
            (RowKind::Progress, Some(at)) => {
                let mut e = ev(
                    at,
                    who(&r.actor),
                    format!(
                        "Báo cáo tiến độ{}",
                        r.n1.map(|p| format!(" ({p}%)")).unwrap_or_default()
                    ),
                    text(&r.t1),
                );
                e.files = rows
                    .iter()
                    .filter(|f| f.kind() == RowKind::Evidence && f.n1 == Some(r.id))
                    .map(|f| (f.id, text(&f.t1)))
                    .collect();
                events.push(e);
            }
            (RowKind::Evidence, _) => {}
            // A due date the monitor changed (plan_changes) is asked and decided in one instant.
            (RowKind::Extension, Some(at))
                if r.at2 == Some(at) && r.t2.as_deref() == Some("approved") =>
            {
                events.push(ev(
                    at,
                    who(&r.actor),
                    format!(
                        "Điều chỉnh thời hạn: {} → {}",
                        date_opt(r.d1),
                        date_opt(r.d2)
                    ),
                    text(&r.t3),
                ));
            }
            (RowKind::Extension, Some(at)) => {
                let mut e = ev(
                    at,
                    who(&r.actor),
                    format!("Đề nghị gia hạn: {} → {}", date_opt(r.d1), date_opt(r.d2)),
                    text(&r.t1),
                );
                let st = r.t2.as_deref().unwrap_or_default();
                if st == "pending" {
                    e.extension = Some(r.id);
                }
                events.push(e);
                if let Some(dat) = r.at2 {
                    let verdict = if st == "approved" {
                        "Đồng ý gia hạn"
                    } else {
                        "Không đồng ý gia hạn"
                    };
                    events.push(ev(dat, who(&r.actor2), verdict.into(), text(&r.t3)));
                }
            }
            (RowKind::Obstacle, Some(at)) => {
                let mut e = ev(
                    at,
                    who(&r.actor),
                    "Vướng mắc, kiến nghị".into(),
                    text(&r.t1),
                );
                let referred = r.n1.unwrap_or(0) > 0;
                if r.t2.as_deref() == Some("open") && !referred {
                    e.obstacle = Some(r.id);
                }
                events.push(e);
                if let Some(aat) = r.at2 {
                    let title = if referred {
                        "Ý kiến của cấp có thẩm quyền về vướng mắc"
                    } else {
                        "Trả lời vướng mắc"
                    };
                    events.push(ev(aat, who(&r.actor2), title.into(), text(&r.t3)));
                }
            }
            (RowKind::Referral, Some(at)) => {
                let to = tinhgon_store::referrals::Addressee::parse(r.t2.as_deref().unwrap_or(""))
                    .map_or("cấp có thẩm quyền", |a| a.label_vi());
                let mut e = ev(
                    at,
                    who(&r.actor),
                    format!("Báo cáo xin ý kiến {to} về vướng mắc"),
                    format!("Đề xuất của cơ quan theo dõi: {}", text(&r.t1)),
                );
                if r.at2.is_none() {
                    e.referral = Some(r.id);
                }
                events.push(e);
            }
            (RowKind::Contribution, Some(at)) => {
                events.push(ev(
                    at,
                    who(&r.actor),
                    format!("Ý kiến phối hợp của {}", text(&r.t1)),
                    text(&r.t3),
                ));
            }
        }
    }
    events.sort_by_key(|e| std::cmp::Reverse(e.at));
    Ok((events, coordinating))
}
