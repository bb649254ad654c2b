//! Urging (đôn đốc): everything that presses a unit about late work, in one place. The
//! urging notice (a document to one unit about its overdue assignments of a plan), urging a
//! unit from the dashboard (a reminder per overdue assignment and a notification to each of
//! its accounts), urging a unit that has not submitted its periodic report, and the daily
//! reminder job (reminders before and after due dates) that the server and the command line
//! both run.

use std::collections::BTreeMap;

use chrono::{DateTime, Days, NaiveDate, Utc};
use tinhgon_domain::ids::ReportRequestId;
use tinhgon_domain::model::Id;
use tinhgon_reports::model::short_date;
use tinhgon_reports::{StatusClass, UrgedItem, UrgingNotice};
use tinhgon_store::periodic::{self, data};
use tinhgon_store::records::{self, NewReminder};
use tinhgon_store::Db;

use crate::error::{AppError, Result};
use crate::header;
use crate::periodic::{days_between, judge, plan_number, published_plan, PublishedPlan};

mod units;

pub use units::{history, urge_in_province, urge_many, urge_unit, UrgeForm, UrgingOutcome};

/// The urging notice to one unit about its assignments of the plan overdue on `as_of`,
/// dated `date`; the unit is asked to report within seven days.
pub async fn urging_notice(
    db: &Db,
    plan_id: Id,
    unit_id: Id,
    as_of: NaiveDate,
    date: NaiveDate,
) -> Result<UrgingNotice> {
    let PublishedPlan { head, plan, facts } = published_plan(db, plan_id).await?;
    let tasks_by_id: BTreeMap<Id, &data::TaskLine> = plan.tasks.iter().map(|t| (t.id, t)).collect();
    let unit = plan.unit_name(unit_id);
    let items: Vec<UrgedItem> = judge(&plan, &facts, as_of)
        .into_iter()
        .filter(|j| j.unit == unit_id && j.class == StatusClass::Overdue)
        .filter_map(|j| {
            let task = tasks_by_id.get(&j.line.task_id)?;
            let due = j.due?;
            Some(UrgedItem {
                reference: task.reference.clone(),
                content: task.content.clone(),
                due,
                days_overdue: days_between(due, as_of),
            })
        })
        .collect();
    let number = plan_number(&head);
    if items.is_empty() {
        return Err(AppError::NothingOverdue {
            unit,
            plan: number,
            date: short_date(as_of),
        });
    }
    let issuer = header::plan_issuer(&head);
    let reporter = header::reporter(&head);
    let mut h = header::header(
        &head,
        "",
        date,
        format!("đôn đốc thực hiện nhiệm vụ tại Kế hoạch số {number} của {issuer}"),
    );
    h.recipients = vec![
        "Như trên".into(),
        format!("{issuer} (để b/c)"),
        format!("Lưu: VT, {}", header::initials(&reporter)),
    ];
    let report_by = date.checked_add_days(Days::new(7)).unwrap_or(date);
    Ok(UrgingNotice {
        header: h,
        request: format!(
            "Để bảo đảm tiến độ chung của Kế hoạch, {reporter} đề nghị {unit} tập trung chỉ đạo, khẩn trương hoàn thành các nhiệm vụ nêu trên; trường hợp có khó khăn, vướng mắc vượt thẩm quyền, kịp thời báo cáo, đề xuất {issuer} (qua {reporter}) xem xét, giải quyết."
        ),
        reporter,
        addressee: unit,
        plan_number: number,
        plan_date: head.issued_on,
        plan_issuer: issuer,
        plan_title: header::plan_title(&head),
        as_of,
        items,
        report_by,
    })
}

/// Urges a unit that has not submitted its report: an urging reminder for today (once per
/// day). Returns true when a new reminder was made.
pub async fn urge_request(
    db: &Db,
    request_id: ReportRequestId,
    by: Option<Id>,
    now: DateTime<Utc>,
) -> Result<bool> {
    urge_request_in(db, request_id, by, now, None).await
}

/// [`urge_request`] by a person: a new reminder and `audit` are written in one transaction.
pub async fn urge_request_audited(
    db: &Db,
    request_id: ReportRequestId,
    by: Option<Id>,
    now: DateTime<Utc>,
    audit: &tinhgon_store::audit::AuditEntry,
) -> Result<bool> {
    urge_request_in(db, request_id, by, now, Some(audit)).await
}

async fn urge_request_in(
    db: &Db,
    request_id: ReportRequestId,
    by: Option<Id>,
    now: DateTime<Utc>,
    audit: Option<&tinhgon_store::audit::AuditEntry>,
) -> Result<bool> {
    let req = periodic::request(db, request_id.get()).await?;
    let head = data::plan_head(db, req.plan_id).await?;
    let message = format!(
        "Đề nghị {} nộp báo cáo {} thực hiện Kế hoạch số {} (số liệu đến ngày {}, hạn nộp {}).",
        req.unit_name,
        req.period_label,
        plan_number(&head),
        short_date(req.cutoff),
        short_date(req.due)
    );
    let reminder = NewReminder {
        unit_id: req.unit_id,
        assignment_id: None,
        kind: "urging".into(),
        for_date: tinhgon_domain::local_date(now),
        message,
        created_by: by,
    };
    let made = match audit {
        Some(entry) => records::create_reminder_audited(db, &reminder, now, entry).await?,
        None => records::system::create_reminder(db, &reminder, now).await?,
    };
    Ok(made)
}

/// The daily reminder job for day `day`: safe to run any number of times for a day (a
/// reminder is made once per assignment, kind and day).
pub async fn daily_reminders(
    db: &Db,
    day: NaiveDate,
    now: DateTime<Utc>,
) -> Result<tinhgon_store::reminders::JobOutcome> {
    Ok(tinhgon_store::reminders::run_daily(db, day, now).await?)
}
