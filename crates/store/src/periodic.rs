//! One idea, kept in one file: the life of a periodic report, from schedule to request to frozen version.
//!
//! Periodic reporting: a plan's reporting schedule, one report request per unit and period,
//! and the agency reports submitted against a request. A submitted report is frozen (the
//! database refuses to change it); a correction is a new version that supersedes it.

pub mod data;
pub mod period;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use tinhgon_domain::localtime::end_of_local_day;
use tinhgon_domain::model::Id;

pub use period::{cutoff_of, due_of, period_containing, previous_period, Period, PeriodKind};

use crate::audit::AuditEntry;
use crate::error::{Result, StoreError};
use crate::staffing::UnitFigure;
use crate::tx::{query, Tx};
use crate::Db;

/// A plan's reporting schedule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schedule {
    /// Identifier.
    pub id: Id,
    /// Plan.
    pub plan_id: Id,
    /// How often.
    pub kind: PeriodKind,
    /// Day of the last month of the period the data is taken at (0: the month's last day).
    pub cutoff_day: u32,
    /// Days after the cut-off the reports are due.
    pub due_days: u32,
    /// When set.
    pub created_at: DateTime<Utc>,
}

impl Schedule {
    /// The window of the period of this schedule that contains `day` (None for ad hoc).
    pub fn window_containing(&self, day: NaiveDate) -> Option<Window> {
        let p = period_containing(self.kind, day)?;
        Some(self.window(&p))
    }

    /// The window this schedule gives a period.
    pub fn window(&self, p: &Period) -> Window {
        let cutoff = cutoff_of(p, self.cutoff_day);
        Window {
            kind: p.kind,
            label: p.label.clone(),
            start: p.start,
            end: p.end,
            cutoff,
            due: due_of(cutoff, self.due_days),
        }
    }
}

/// A reporting period with its cut-off and due date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Window {
    /// Kind of period.
    pub kind: PeriodKind,
    /// Label ("quý III/2025").
    pub label: String,
    /// First day.
    pub start: NaiveDate,
    /// Last day.
    pub end: NaiveDate,
    /// Day the data is taken at.
    pub cutoff: NaiveDate,
    /// Day the agencies' reports are due.
    pub due: NaiveDate,
}

/// A schedule to set.
#[derive(Debug, Clone)]
pub struct NewSchedule {
    /// Plan.
    pub plan_id: Id,
    /// How often.
    pub kind: PeriodKind,
    /// Day of the last month of the period (0: last day).
    pub cutoff_day: u32,
    /// Days after the cut-off the reports are due.
    pub due_days: u32,
    /// Who.
    pub by: Option<Id>,
    /// When.
    pub at: DateTime<Utc>,
}

type ScheduleRow = (i64, i64, String, i32, i32, DateTime<Utc>);

fn schedule_from(row: ScheduleRow) -> Result<Schedule> {
    let (id, plan_id, kind, cutoff_day, due_days, created_at) = row;
    Ok(Schedule {
        id,
        plan_id,
        kind: PeriodKind::parse(&kind)
            .ok_or_else(|| StoreError::Corrupt(format!("kỳ báo cáo {kind}")))?,
        cutoff_day: u32::try_from(cutoff_day).unwrap_or(0),
        due_days: u32::try_from(due_days).unwrap_or(0),
        created_at,
    })
}

/// Refuses a schedule out of range (before any transaction).
fn check_schedule(s: &NewSchedule) -> Result<()> {
    if s.cutoff_day > 31 {
        return Err(StoreError::Rejected(
            "ngày chốt số liệu phải từ 1 đến 31 (0: ngày cuối tháng)".into(),
        ));
    }
    if s.due_days > 90 {
        return Err(StoreError::Rejected(
            "hạn nộp báo cáo tối đa 90 ngày sau ngày chốt số liệu".into(),
        ));
    }
    Ok(())
}

/// Inside the open transaction `tx`: makes `s` (checked) the plan's only active schedule;
/// returns its id.
async fn set_schedule_in_tx(tx: &mut Tx, s: &NewSchedule) -> Result<Id> {
    let cutoff_day = i32::try_from(s.cutoff_day).unwrap_or(0);
    let due_days = i32::try_from(s.due_days).unwrap_or(0);
    let plan: Option<(String,)> = query("SELECT state FROM plans WHERE id = $1")
        .bind(s.plan_id)
        .fetch_optional(&mut *tx)
        .await?;
    match plan {
        None => {
            return Err(StoreError::NotFound {
                what: "kế hoạch",
                id: s.plan_id,
            })
        }
        Some((state,)) if state != "published" => {
            return Err(StoreError::Rejected(
                "chỉ đặt lịch báo cáo cho kế hoạch đã ban hành".into(),
            ))
        }
        Some(_) => {}
    }
    query("UPDATE report_schedules SET active = $1 WHERE plan_id = $2")
        .bind(false)
        .bind(s.plan_id)
        .execute(&mut *tx)
        .await?;
    let id: i64 = query(
            "INSERT INTO report_schedules (plan_id, period_kind, cutoff_day, due_days, active, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(s.plan_id)
        .bind(s.kind.as_str())
        .bind(cutoff_day)
        .bind(due_days)
        .bind(true)
        .bind(s.by)
        .bind(s.at)
        .scalar(&mut *tx)
        .await?;
    Ok(id)
}

/// Sets the plan's schedule (the previous one stops applying); returns its id.
pub async fn set_schedule(db: &Db, s: &NewSchedule) -> Result<Id> {
    check_schedule(s)?;
    db.write(async |tx| set_schedule_in_tx(tx, s).await).await
}

/// The schedule in force for a plan, if any.
pub async fn schedule(db: &Db, plan_id: Id) -> Result<Option<Schedule>> {
    let row: Option<ScheduleRow> = query(
        "SELECT id, plan_id, period_kind, cutoff_day, due_days, created_at FROM report_schedules \
             WHERE plan_id = $1 AND active = $2 ORDER BY id DESC LIMIT 1",
    )
    .bind(plan_id)
    .bind(true)
    .fetch_optional(db)
    .await?;
    row.map(schedule_from).transpose()
}

/// Refuses a period whose days are out of order (before any transaction).
fn check_window(w: &Window) -> Result<()> {
    if w.cutoff < w.start || w.end < w.start || w.due < w.cutoff {
        return Err(StoreError::Rejected(
            "kỳ báo cáo không hợp lệ: cần ngày bắt đầu ≤ ngày chốt số liệu ≤ hạn nộp".into(),
        ));
    }
    Ok(())
}

/// The requests of one period of a plan (`$1` plan, `$2` start, `$3` end, `$4` cut-off).
const PERIOD_REQUESTS: &str = "SELECT id FROM report_requests WHERE plan_id = $1 AND period_start = $2 AND period_end = $3 AND cutoff = $4 ORDER BY id";

/// Inside the open transaction `tx`: creates the missing requests of period `w` and returns
/// the period's request ids (see [`open_requests`]).
async fn open_requests_in_tx(
    tx: &mut Tx,
    plan_id: Id,
    schedule_id: Option<Id>,
    w: &Window,
    at: DateTime<Utc>,
) -> Result<Vec<Id>> {
    let end_of_cutoff = end_of_local_day(w.cutoff);
    let units: Vec<(i64,)> = query(
            "SELECT DISTINCT unit_id FROM assignments WHERE plan_id = $1 AND status <> 'cancelled' AND created_at < $2 ORDER BY unit_id",
        )
        .bind(plan_id)
        .bind(end_of_cutoff)
        .fetch_all(&mut *tx)
        .await?;
    for (unit,) in &units {
        query(
                "INSERT INTO report_requests (plan_id, unit_id, schedule_id, period_kind, period_label, period_start, period_end, cutoff, due, state, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'open', $10) ON CONFLICT DO NOTHING",
            )
            .bind(plan_id)
            .bind(unit)
            .bind(schedule_id)
            .bind(w.kind.as_str())
            .bind(&w.label)
            .bind(w.start)
            .bind(w.end)
            .bind(w.cutoff)
            .bind(w.due)
            .bind(at)
            .execute(&mut *tx)
            .await?;
    }
    let ids: Vec<i64> = query(PERIOD_REQUESTS)
        .bind(plan_id)
        .bind(w.start)
        .bind(w.end)
        .bind(w.cutoff)
        .scalars(&mut *tx)
        .await?;
    Ok(ids)
}

/// Creates the report requests of a period: one per unit responsible for an assignment of
/// the plan (not cancelled) created by the end of the cut-off day. Existing requests of the
/// same period are kept. Returns the request ids of the period, one per unit.
pub async fn open_requests(
    db: &Db,
    plan_id: Id,
    schedule_id: Option<Id>,
    w: &Window,
    at: DateTime<Utc>,
) -> Result<Vec<Id>> {
    check_window(w)?;
    db.write(async |tx| open_requests_in_tx(tx, plan_id, schedule_id, w, at).await)
        .await
}

/// What [`schedule_and_open`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScheduleOpened {
    /// The new schedule.
    pub schedule_id: Id,
    /// The period's requests, one per unit.
    pub requests: Vec<Id>,
    /// Those this call created (the others existed already).
    pub new_requests: Vec<Id>,
}

/// The notice each unit newly asked to report gets (the text is the same for the whole
/// period); it links to the unit's own request: `link_prefix` followed by the request id.
#[derive(Debug, Clone, Copy)]
pub struct RequestNotice<'a> {
    /// Kind (`report_request`).
    pub kind: &'a str,
    /// Text (Vietnamese).
    pub text: &'a str,
    /// Link without the request id (`/report-requests/`).
    pub link_prefix: &'a str,
}

/// Sets the plan's schedule, opens the requests of period `w` and writes the audit row, all in
/// one transaction (`after.requests` and `after.new_requests`, the counts, added). With
/// `notice`, each newly asked unit is notified in the same transaction (the ids of the new
/// requests are only known in it).
pub async fn schedule_and_open(
    db: &Db,
    s: &NewSchedule,
    w: &Window,
    audit: &AuditEntry,
    notice: Option<RequestNotice<'_>>,
) -> Result<ScheduleOpened> {
    check_schedule(s)?;
    check_window(w)?;
    let at = s.at;
    crate::audit::audited(db, at, async |tx| {
        let schedule_id = set_schedule_in_tx(tx, s).await?;
        let existing: Vec<i64> = query(PERIOD_REQUESTS)
            .bind(s.plan_id)
            .bind(w.start)
            .bind(w.end)
            .bind(w.cutoff)
            .scalars(&mut *tx)
            .await?;
        let requests: Vec<i64> =
            open_requests_in_tx(tx, s.plan_id, Some(schedule_id), w, at).await?;
        let new_requests: Vec<Id> = requests
            .iter()
            .copied()
            .filter(|id| !existing.contains(id))
            .collect();
        let mut entry = audit
            .with_after("requests", requests.len())
            .with_after("new_requests", new_requests.len());
        if let Some(n) = notice {
            for id in &new_requests {
                let unit: i64 = query("SELECT unit_id FROM report_requests WHERE id = $1")
                    .bind(id)
                    .scalar(&mut *tx)
                    .await?;
                entry = entry.with_notice(crate::notifications::Notice::new(
                    crate::notifications::Audience::Unit(unit),
                    n.kind,
                    n.text,
                    format!("{}{id}", n.link_prefix),
                ));
            }
        }
        Ok((
            ScheduleOpened {
                schedule_id,
                requests,
                new_requests,
            },
            vec![entry],
        ))
    })
    .await
}

/// Where a request stands on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Standing {
    /// Submitted by the due date.
    Submitted,
    /// Submitted after the due date.
    SubmittedLate,
    /// Not submitted, not yet due.
    Pending,
    /// Not submitted and past the due date.
    Late,
}

impl Standing {
    /// Vietnamese label for lists.
    pub fn label_vi(self) -> &'static str {
        match self {
            Standing::Submitted => "Đã nộp",
            Standing::SubmittedLate => "Nộp muộn",
            Standing::Pending => "Chưa đến hạn",
            Standing::Late => "Quá hạn chưa nộp",
        }
    }
}

/// A report request as lists show it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Request {
    /// Identifier.
    pub id: Id,
    /// Plan.
    pub plan_id: Id,
    /// Unit asked to report.
    pub unit_id: Id,
    /// Its name.
    pub unit_name: String,
    /// Kind of period (stored name).
    pub period_kind: String,
    /// Period label.
    pub period_label: String,
    /// First day.
    pub period_start: NaiveDate,
    /// Last day.
    pub period_end: NaiveDate,
    /// Data cut-off.
    pub cutoff: NaiveDate,
    /// Due date.
    pub due: NaiveDate,
    /// `open` or `submitted`.
    pub state: String,
    /// First submission, if any.
    pub first_submitted_at: Option<DateTime<Utc>>,
    /// Number of versions submitted.
    pub versions: i64,
}

impl Request {
    /// Where the request stands on `today`: judged on the first submission, since a later
    /// correction does not make a punctual report late.
    pub fn standing(&self, today: NaiveDate) -> Standing {
        match self.first_submitted_at {
            Some(at) if tinhgon_domain::local_date(at) > self.due => Standing::SubmittedLate,
            Some(_) => Standing::Submitted,
            None if today > self.due => Standing::Late,
            None => Standing::Pending,
        }
    }

    /// The period as a window.
    pub fn window(&self) -> Window {
        Window {
            kind: PeriodKind::parse(&self.period_kind).unwrap_or(PeriodKind::AdHoc),
            label: self.period_label.clone(),
            start: self.period_start,
            end: self.period_end,
            cutoff: self.cutoff,
            due: self.due,
        }
    }
}

const REQUEST_SELECT: &str = "SELECT r.id, r.plan_id, r.unit_id, u.name AS unit_name, r.period_kind, r.period_label, \
    r.period_start, r.period_end, r.cutoff, r.due, r.state, \
    (SELECT MIN(a.submitted_at) FROM agency_reports a WHERE a.request_id = r.id) AS first_submitted_at, \
    (SELECT COUNT(*) FROM agency_reports a WHERE a.request_id = r.id) AS versions \
    FROM report_requests r JOIN units u ON u.id = r.unit_id";

/// The requests of a plan, for one cut-off or all, by cut-off then unit name.
pub async fn requests(db: &Db, plan_id: Id, cutoff: Option<NaiveDate>) -> Result<Vec<Request>> {
    let rows: Vec<Request> = match cutoff {
            Some(c) => query(&format!("{REQUEST_SELECT} WHERE r.plan_id = $1 AND r.cutoff = $2 ORDER BY r.cutoff DESC, u.name, r.id"))
                .bind(plan_id)
                .bind(c)
                .fetch_all(db)
                .await?,
            None => query(&format!("{REQUEST_SELECT} WHERE r.plan_id = $1 ORDER BY r.cutoff DESC, u.name, r.id"))
                .bind(plan_id)
                .fetch_all(db)
                .await?,
        };
    Ok(rows)
}

/// The requests addressed to a unit, newest cut-off first.
pub async fn requests_of_unit(db: &Db, unit_id: Id) -> Result<Vec<Request>> {
    let rows: Vec<Request> = query(&format!(
        "{REQUEST_SELECT} WHERE r.unit_id = $1 ORDER BY r.cutoff DESC, r.id"
    ))
    .bind(unit_id)
    .fetch_all(db)
    .await?;
    Ok(rows)
}

/// One request.
pub async fn request(db: &Db, id: Id) -> Result<Request> {
    let row: Option<Request> = query(&format!("{REQUEST_SELECT} WHERE r.id = $1"))
        .bind(id)
        .fetch_optional(db)
        .await?;
    row.ok_or(StoreError::NotFound {
        what: "yêu cầu báo cáo",
        id,
    })
}

/// The distinct periods a plan has requests for, newest cut-off first.
pub async fn windows(db: &Db, plan_id: Id) -> Result<Vec<Window>> {
    type Row = (String, String, NaiveDate, NaiveDate, NaiveDate, NaiveDate);
    let rows: Vec<Row> = query(
            "SELECT period_kind, period_label, period_start, period_end, cutoff, MAX(due) FROM report_requests \
             WHERE plan_id = $1 GROUP BY period_kind, period_label, period_start, period_end, cutoff ORDER BY cutoff DESC",
        )
        .bind(plan_id)
        .fetch_all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(kind, label, start, end, cutoff, due)| Window {
            kind: PeriodKind::parse(&kind).unwrap_or(PeriodKind::AdHoc),
            label,
            start,
            end,
            cutoff,
            due,
        })
        .collect())
}

/// One line of an agency report about an assignment.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportItem {
    /// Assignment, when the line is about one.
    pub assignment_id: Option<Id>,
    /// Task reference.
    pub reference: String,
    /// Task content.
    pub content: String,
    /// What was done, or why it is late.
    pub note: String,
}

/// The content of an agency report, frozen on submission.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgencyReportContent {
    /// Overall summary.
    #[serde(default)]
    pub summary: String,
    /// Work done.
    #[serde(default)]
    pub done: Vec<ReportItem>,
    /// Work late, with reasons.
    #[serde(default)]
    pub late: Vec<ReportItem>,
    /// Work under way.
    #[serde(default)]
    pub in_progress: Vec<ReportItem>,
    /// Obstacles.
    #[serde(default)]
    pub obstacles: Vec<String>,
    /// Proposals.
    #[serde(default)]
    pub proposals: Vec<String>,
    /// The unit's staffing figures given with the report (headcounts at the cut-off,
    /// leavers of the period, people sent to the grassroots), as written into its ledger.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub staffing: Vec<tinhgon_domain::staffing_figures::Figure>,
}

/// A submitted version of an agency report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgencyReport {
    /// Identifier.
    pub id: Id,
    /// Request.
    pub request_id: Id,
    /// 1, 2, …
    pub version: u32,
    /// Who submitted.
    pub author_id: Option<Id>,
    /// When.
    pub submitted_at: DateTime<Utc>,
    /// Content as submitted.
    pub content: AgencyReportContent,
    /// The version that replaced this one.
    pub superseded_by: Option<Id>,
}

/// An agency report as stored (its content as JSON text).
#[derive(sqlx::FromRow)]
struct ReportRow {
    id: Id,
    request_id: Id,
    version: i32,
    author_id: Option<Id>,
    submitted_at: DateTime<Utc>,
    content_json: String,
    superseded_by: Option<Id>,
}

fn report_from(row: ReportRow) -> Result<AgencyReport> {
    let content = serde_json::from_str(&row.content_json)
        .map_err(|e| StoreError::Corrupt(format!("nội dung báo cáo {}: {e}", row.id)))?;
    Ok(AgencyReport {
        id: row.id,
        request_id: row.request_id,
        version: u32::try_from(row.version).unwrap_or(0),
        author_id: row.author_id,
        submitted_at: row.submitted_at,
        content,
        superseded_by: row.superseded_by,
    })
}

/// Submits a report for a request: a new frozen version that supersedes the current one.
/// Returns the new version's id.
pub async fn submit_report(
    db: &Db,
    request_id: Id,
    author: Option<Id>,
    content: &AgencyReportContent,
    at: DateTime<Utc>,
) -> Result<Id> {
    submit_report_in(db, request_id, author, content, at, None, None).await
}

/// [`submit_report`] with its audit row in the same transaction (`after.version` and
/// `after.report`, the new version's number and id, added).
pub async fn submit_report_audited(
    db: &Db,
    request_id: Id,
    author: Option<Id>,
    content: &AgencyReportContent,
    at: DateTime<Utc>,
    audit: &AuditEntry,
) -> Result<Id> {
    submit_report_in(db, request_id, author, content, at, Some(audit), None).await
}

/// The staffing figures an agency gives in its report, written into its ledger with the
/// report: `audit` is their row (`after.report` and `after.version` added).
#[derive(Debug, Clone, Copy)]
pub struct ReportedStaffing<'a> {
    /// The figures (of the request's unit).
    pub figures: &'a [UnitFigure],
    /// Their audit row.
    pub audit: &'a AuditEntry,
}

/// [`submit_report_audited`] that also writes the report's staffing figures into the unit's
/// ledger, in the same transaction: the secondments and leavers earlier versions of the same
/// request wrote are replaced, headcounts are upserted.
pub async fn submit_report_with_staffing_audited(
    db: &Db,
    request_id: Id,
    author: Option<Id>,
    content: &AgencyReportContent,
    at: DateTime<Utc>,
    audit: &AuditEntry,
    staffing: ReportedStaffing<'_>,
) -> Result<Id> {
    submit_report_in(
        db,
        request_id,
        author,
        content,
        at,
        Some(audit),
        Some(staffing),
    )
    .await
}

async fn submit_report_in(
    db: &Db,
    request_id: Id,
    author: Option<Id>,
    content: &AgencyReportContent,
    at: DateTime<Utc>,
    audit: Option<&AuditEntry>,
    staffing: Option<ReportedStaffing<'_>>,
) -> Result<Id> {
    let json = serde_json::to_string(content)
        .map_err(|e| StoreError::Corrupt(format!("nội dung báo cáo: {e}")))?;
    crate::audit::audited(db, at, async |tx| {
        let exists: Option<(i64,)> = query("SELECT id FROM report_requests WHERE id = $1")
            .bind(request_id)
            .fetch_optional(&mut *tx)
            .await?;
        if exists.is_none() {
            return Err(StoreError::NotFound { what: "yêu cầu báo cáo", id: request_id });
        }
        let current: Option<(i64, i32)> = query(
            "SELECT id, version FROM agency_reports WHERE request_id = $1 AND superseded_by IS NULL ORDER BY version DESC LIMIT 1",
        )
        .bind(request_id)
        .fetch_optional(&mut *tx)
        .await?;
        let version = current.map_or(1, |(_, v)| v + 1);
        let id: i64 = query(
            "INSERT INTO agency_reports (request_id, version, author_id, submitted_at, content_json) VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(request_id)
        .bind(version)
        .bind(author)
        .bind(at)
        .bind(&json)
        .scalar(&mut *tx)
        .await
        .map_err(StoreError::on_unique("báo cáo vừa được nộp bởi người khác; vui lòng tải lại"))?;
        if let Some((old, _)) = current {
            query("UPDATE agency_reports SET superseded_by = $1 WHERE id = $2")
                .bind(id)
                .bind(old)
                .execute(&mut *tx)
                .await?;
        }
        query("UPDATE report_requests SET state = 'submitted' WHERE id = $1")
            .bind(request_id)
            .execute(&mut *tx)
            .await?;
        let entry = audit.map(|e| {
            let mut entry = e.with_after("version", version).with_after("report", id);
            // The version is known only here: the notices name it through VERSION_MARK.
            for n in &mut entry.notices {
                n.text = n.text.replace(VERSION_MARK, &version.to_string());
            }
            entry
        });
        let mut entries: Vec<AuditEntry> = entry.into_iter().collect();
        if let Some(s) = staffing {
            crate::staffing::clear_request_rows(tx, request_id).await?;
            crate::staffing::write_figures(tx, s.figures, author, at, Some(id)).await?;
            entries.push(s.audit.with_after("version", version).with_after("report", id));
        }
        Ok((id, entries))
    })
    .await
}

/// Written in the text of a notice sent with [`submit_report_audited`], replaced by the number
/// of the version the transaction creates.
pub const VERSION_MARK: &str = "{phiên bản}";

const REPORT_SELECT: &str =
    "SELECT id, request_id, version, author_id, submitted_at, content_json, superseded_by FROM agency_reports";

/// Every version submitted for a request, oldest first.
pub async fn report_versions(db: &Db, request_id: Id) -> Result<Vec<AgencyReport>> {
    let rows: Vec<ReportRow> = query(&format!(
        "{REPORT_SELECT} WHERE request_id = $1 ORDER BY version"
    ))
    .bind(request_id)
    .fetch_all(db)
    .await?;
    rows.into_iter().map(report_from).collect()
}

/// The current (not superseded) reports of a plan's period, with the unit's name, by unit name.
pub async fn current_reports(
    db: &Db,
    plan_id: Id,
    cutoff: NaiveDate,
) -> Result<Vec<(String, AgencyReport)>> {
    /// A report with the name of the unit that sent it.
    #[derive(sqlx::FromRow)]
    struct Row {
        name: String,
        #[sqlx(flatten)]
        report: ReportRow,
    }
    let mut rows: Vec<Row> = query(
            "SELECT u.name, a.id, a.request_id, a.version, a.author_id, a.submitted_at, a.content_json, a.superseded_by \
             FROM agency_reports a JOIN report_requests r ON r.id = a.request_id JOIN units u ON u.id = r.unit_id \
             WHERE r.plan_id = $1 AND r.cutoff = $2 AND a.superseded_by IS NULL ORDER BY r.id",
        )
        .bind(plan_id)
        .bind(cutoff)
        .fetch_all(db)
        .await?;
    // Vietnamese alphabetical order, as every other list of units.
    rows.sort_by_cached_key(|r| tinhgon_textkit::sort_key(&r.name));
    rows.into_iter()
        .map(|r| Ok((r.name, report_from(r.report)?)))
        .collect()
}
