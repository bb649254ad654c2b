//! Urging units about their overdue assignments from the dashboard: one unit or several at
//! once, with the monitor's own words and a date to answer by; each unit's urgings listed on
//! its page; and escalation — when a unit has been urged on `escalate_after` days without
//! reporting any progress, the province's leaders are told in the same transaction.

use chrono::{NaiveDate, Utc};
use serde::Deserialize;
use tinhgon_domain::ids::UnitId;
use tinhgon_domain::localtime::local_date;
use tinhgon_domain::model::Id;
use tinhgon_domain::user::User;
use tinhgon_store::notifications::{Audience, Notice};
use tinhgon_store::reminders::{self, Urging};
use tinhgon_store::status::{self, Scope};
use tinhgon_store::web_queries as wq;
use tinhgon_store::Db;

use crate::error::{AppError, Result};
use crate::{audit, input};

/// Longest message a monitor may add to an urging.
const MESSAGE_MAX: usize = 2000;

/// What the monitor adds to an urging; both optional.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct UrgeForm {
    /// The monitor's own words ("Đề nghị khẩn trương …").
    #[serde(default)]
    pub message: String,
    /// The date by which the unit is asked to report (dd/mm/yyyy or ISO).
    #[serde(default)]
    pub reply_by: String,
}

/// A checked urging form.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Urge {
    message: Option<String>,
    reply_by: Option<NaiveDate>,
}

impl UrgeForm {
    fn parse(&self, today: NaiveDate) -> Result<Urge> {
        let message = Some(self.message.trim().to_string()).filter(|m| !m.is_empty());
        if message
            .as_ref()
            .is_some_and(|m| m.chars().count() > MESSAGE_MAX)
        {
            return Err(AppError::invalid(
                "message",
                format!("Nội dung đôn đốc dài quá {MESSAGE_MAX} ký tự."),
            ));
        }
        let reply_by = input::date_or_empty(
            "reply_by",
            &self.reply_by,
            "Hạn báo cáo không hợp lệ (dd/mm/yyyy).",
        )?;
        if reply_by.is_some_and(|d| d < today) {
            return Err(AppError::invalid(
                "reply_by",
                "Hạn báo cáo phải từ hôm nay trở đi.",
            ));
        }
        Ok(Urge { message, reply_by })
    }
}

/// The notice sent to the unit.
fn notice_text(list: &[String], urge: &Urge) -> String {
    let mut text = format!(
        "Đôn đốc thực hiện {} nhiệm vụ quá hạn: {}",
        list.len(),
        list.join("; ")
    );
    if let Some(m) = &urge.message {
        text.push_str(&format!(". Ý kiến của cơ quan theo dõi: {m}"));
    }
    if let Some(d) = urge.reply_by {
        text.push_str(&format!(
            ". Đề nghị báo cáo kết quả trước ngày {}",
            d.format("%d/%m/%Y")
        ));
    }
    text
}

/// Urges `unit` about its overdue assignments: a reminder per assignment (once a day), a
/// notification to each of the unit's accounts and the audit row in one transaction — and,
/// when this makes `escalate_after` days of urging without progress (0: never), a notice to
/// the province's leaders. Returns how many assignments are overdue.
pub async fn urge_unit(
    db: &Db,
    user: &User,
    unit: UnitId,
    form: &UrgeForm,
    escalate_after: u32,
) -> Result<usize> {
    let now = Utc::now();
    let day = local_date(now);
    let urge = form.parse(day)?;
    let overdue = status::overdue_list(db, Scope::Unit(unit.get()), day, now).await?;
    if overdue.is_empty() {
        return Err(AppError::Conflict(
            "Đơn vị không có nhiệm vụ quá hạn để đôn đốc.".into(),
        ));
    }
    let list: Vec<String> = overdue
        .iter()
        .map(|a| {
            format!(
                "{} {} (hạn {})",
                a.plan_number.clone().unwrap_or_default(),
                a.task_ref,
                a.due
                    .map(|d| d.format("%d/%m/%Y").to_string())
                    .unwrap_or_else(|| "—".into())
            )
        })
        .collect();
    let message = notice_text(&list, &urge);
    let ids: Vec<Id> = overdue.iter().map(|a| a.id).collect();
    let mut entry =
        audit::change(user, "unit.urge", "unit", unit.get()).with_after("assignments", ids.clone());
    if let Some(m) = &urge.message {
        entry = entry.with_after("note", m.as_str());
    }
    if let Some(d) = urge.reply_by {
        entry = entry.with_after("reply_by", d.to_string());
    }
    if let Some(notice) = escalation(db, unit, escalate_after).await? {
        entry = entry.with_notice(notice);
    }
    // Reminders, notifications (and their e-mails) and the audit row in one transaction.
    reminders::urge(
        db,
        unit.get(),
        &ids,
        &message,
        "/inbox?class=overdue",
        &entry,
        day,
        now,
    )
    .await?;
    Ok(overdue.len())
}

/// The leaders' notice when today's urging is the `after`-th day of urging since the unit's
/// last progress report (counting today once).
async fn escalation(db: &Db, unit: UnitId, after: u32) -> Result<Option<Notice>> {
    if after == 0 {
        return Ok(None);
    }
    let province = tinhgon_store::register::unit_province(db, unit.get()).await?;
    let Some(province) = province else {
        return Ok(None);
    };
    let (days, first) = reminders::urged_days_without_progress(db, unit.get()).await?;
    let today = local_date(Utc::now());
    let urged_today = first.is_some() && already_urged_today(db, unit, today).await?;
    let with_today = days + i64::from(!urged_today);
    if with_today < i64::from(after) {
        return Ok(None);
    }
    let name = tinhgon_store::register::unit(db, unit.get()).await?.name;
    let since = first.unwrap_or(today).format("%d/%m/%Y");
    Ok(Some(Notice::new(
        Audience::ProvinceLeaders(province),
        "escalation",
        format!(
            "{name} đã được đôn đốc {with_today} lần (từ ngày {since}) về nhiệm vụ quá hạn nhưng chưa báo cáo tiến độ; đề nghị lãnh đạo chỉ đạo."
        ),
        format!("/units/{unit}"),
    )))
}

async fn already_urged_today(db: &Db, unit: UnitId, today: NaiveDate) -> Result<bool> {
    Ok(reminders::urgings(db, unit.get(), 1)
        .await?
        .first()
        .is_some_and(|u| u.day == today))
}

/// Urges a unit of `province` (the viewer's); only monitors may. A unit outside the province
/// is not found.
pub async fn urge_in_province(
    db: &Db,
    user: &User,
    province: Option<Id>,
    unit: UnitId,
    form: &UrgeForm,
    escalate_after: u32,
) -> Result<usize> {
    if !user.role.monitors() {
        return Err(AppError::Forbidden);
    }
    if !wq::unit_names(db, province)
        .await?
        .contains_key(&unit.get())
    {
        return Err(AppError::NotFound);
    }
    urge_unit(db, user, unit, form, escalate_after).await
}

/// What urging several units did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UrgingOutcome {
    /// Units urged.
    pub units: usize,
    /// Overdue assignments named, all units together.
    pub assignments: usize,
    /// Units not urged, each with its reason.
    pub failed: Vec<String>,
}

/// Urges each of `units` with the same words, each in its own transaction: a unit urged
/// already today, or with nothing overdue, is reported and the others still go.
pub async fn urge_many(
    db: &Db,
    user: &User,
    province: Option<Id>,
    units: &[UnitId],
    form: &UrgeForm,
    escalate_after: u32,
) -> Result<UrgingOutcome> {
    if !user.role.monitors() {
        return Err(AppError::Forbidden);
    }
    if units.is_empty() {
        return Err(AppError::invalid(
            "unit",
            "Chưa chọn đơn vị nào: đánh dấu các đơn vị cần đôn đốc.",
        ));
    }
    form.parse(local_date(Utc::now()))?;
    let names = wq::unit_names(db, province).await?;
    let mut out = UrgingOutcome::default();
    for unit in units {
        let Some(name) = names.get(&unit.get()) else {
            return Err(AppError::NotFound);
        };
        match urge_unit(db, user, *unit, form, escalate_after).await {
            Ok(n) => {
                out.units += 1;
                out.assignments += n;
            }
            Err(e) => out.failed.push(format!("{name}: {e}")),
        }
    }
    Ok(out)
}

/// The urgings of a unit `user` may look at, newest first.
pub async fn history(db: &Db, user: &User, unit: UnitId) -> Result<Vec<Urging>> {
    crate::access::readable_unit(db, user, unit).await?;
    Ok(reminders::urgings(db, unit.get(), 50).await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn the_form_takes_words_and_a_date_from_today_on() {
        let today = day(2026, 12, 7);
        let f = |m: &str, r: &str| UrgeForm {
            message: m.into(),
            reply_by: r.into(),
        };
        assert_eq!(
            f("  ", "").parse(today).unwrap(),
            Urge {
                message: None,
                reply_by: None
            }
        );
        assert_eq!(
            f("Khẩn trương", "10/12/2026").parse(today).unwrap(),
            Urge {
                message: Some("Khẩn trương".into()),
                reply_by: Some(day(2026, 12, 10))
            }
        );
        assert!(f("", "06/12/2026").parse(today).is_err());
        assert!(f("", "31/02/2027").parse(today).is_err());
        assert!(f(&"x".repeat(MESSAGE_MAX + 1), "").parse(today).is_err());
    }

    #[test]
    fn the_notice_carries_the_words_and_the_date() {
        let urge = Urge {
            message: Some("Đề nghị khẩn trương".into()),
            reply_by: Some(day(2026, 12, 15)),
        };
        let t = notice_text(&["615/KH-UBND PL.6 (hạn 30/09/2025)".into()], &urge);
        assert_eq!(
            t,
            "Đôn đốc thực hiện 1 nhiệm vụ quá hạn: 615/KH-UBND PL.6 (hạn 30/09/2025). Ý kiến của cơ quan theo dõi: Đề nghị khẩn trương. Đề nghị báo cáo kết quả trước ngày 15/12/2026"
        );
    }
}
