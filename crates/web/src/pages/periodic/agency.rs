//! The agency officer's side: the report of a request pre-filled from the unit's assignments
//! as of the cut-off, edited and submitted; every submission is a new frozen version that
//! supersedes the previous one, and each version stays readable.

use std::collections::{BTreeMap, HashMap};

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use tinhgon_app::staffing::agency_section;
use tinhgon_domain::model::Id;
use tinhgon_domain::staffing_figures::Figure;
use tinhgon_domain::user::Role;
use tinhgon_store::notifications::{Audience, Notice};
use tinhgon_store::periodic::{self, AgencyReport, AgencyReportContent, ReportItem, Request};

use super::{load_request, plan_number, standing_badge};
use crate::auth::Viewer;
use crate::error::{WebError, WebResult};
use crate::pages::{audit_entry, redirect_ok, render};
use crate::request::{Form, Path};
use crate::view::{date, datetime, today, PageCtx};
use crate::AppState;

/// Longest text accepted in one field (a report paragraph, not a file).
const MAX_FIELD: usize = 20_000;

/// A report line in the form.
struct ItemField {
    assignment_id: Id,
    reference: String,
    content: String,
    note: String,
}

/// A section of the report (done, late, under way).
struct Section {
    key: &'static str,
    title: &'static str,
    hint: &'static str,
    items: Vec<ItemField>,
}

/// A version as the history lists it.
struct VersionLine {
    version: u32,
    submitted: String,
    author: String,
    superseded_by: Option<u32>,
}

/// A headcount line of the staffing section.
struct HeadcountField {
    field: &'static str,
    label: &'static str,
    quota: String,
    latest: String,
    value: String,
}

/// A row of leavers in the staffing section: field names and typed values.
struct LeaverField {
    reason: (&'static str, String),
    policy: (&'static str, String),
    people: (&'static str, String),
}

/// A row of secondments in the staffing section.
struct SecondmentField {
    people: (&'static str, String),
    from: (&'static str, String),
    to: (&'static str, String),
    note: (&'static str, String),
}

/// The staffing section of the form (plans with staffing targets only).
struct StaffingFields {
    on: String,
    from: String,
    lines: Vec<HeadcountField>,
    leavers: Vec<LeaverField>,
    secondments: Vec<SecondmentField>,
    reasons: Vec<(&'static str, &'static str)>,
}

fn staffing_fields(
    s: &agency_section::Section,
    values: &HashMap<String, String>,
) -> StaffingFields {
    let v = |name: &'static str| (name, values.get(name).cloned().unwrap_or_default());
    StaffingFields {
        on: date(s.on),
        from: date(s.from),
        lines: s
            .lines
            .iter()
            .map(|l| HeadcountField {
                field: l.field,
                label: l.line.label_vi(),
                quota: l
                    .quota
                    .map(|(y, n)| format!("{n} (năm {y})"))
                    .unwrap_or_else(|| "—".into()),
                latest: l
                    .latest
                    .map(|(d, n)| format!("{n} (ngày {})", date(d)))
                    .unwrap_or_else(|| "—".into()),
                value: values.get(l.field).cloned().unwrap_or_default(),
            })
            .collect(),
        leavers: agency_section::LEAVER_FIELDS
            .iter()
            .map(|&[r, p, n]| LeaverField {
                reason: v(r),
                policy: v(p),
                people: v(n),
            })
            .collect(),
        secondments: agency_section::SECONDMENT_FIELDS
            .iter()
            .map(|&[n, f, t, w]| SecondmentField {
                people: v(n),
                from: v(f),
                to: v(t),
                note: v(w),
            })
            .collect(),
        reasons: agency_section::reasons(),
    }
}

/// A staffing figure of a submitted version, as a sentence.
fn figure_line(f: &Figure) -> String {
    match f {
        Figure::Headcount { on, line, count } => {
            format!(
                "Số người có mặt ngày {} — {}: {count} người",
                date(*on),
                line.label_vi()
            )
        }
        Figure::Leavers {
            from,
            to,
            reason,
            policy,
            people,
        } => format!(
            "Nghỉ theo chính sách từ {} đến {} — {}: {people} người ({policy})",
            date(*from),
            date(*to),
            reason.label_vi()
        ),
        Figure::Secondment {
            from,
            to,
            people,
            note,
        } => format!(
            "Cử đi công tác ở cơ sở từ {}{}: {people} người{}",
            date(*from),
            to.map(|t| format!(" đến {}", date(t))).unwrap_or_default(),
            note.as_deref()
                .map(|n| format!(" — {n}"))
                .unwrap_or_default()
        ),
        Figure::Quota {
            year, line, count, ..
        } => format!(
            "Biên chế được giao năm {year} — {}: {count}",
            line.label_vi()
        ),
        Figure::Leadership {
            on,
            heads,
            deputies,
            ..
        } => format!(
            "Lãnh đạo ngày {}: {heads} cấp trưởng, {deputies} cấp phó",
            date(*on)
        ),
    }
}

#[derive(Template)]
#[template(path = "periodic_request.html")]
struct RequestPage {
    ctx: PageCtx,
    id: Id,
    plan_id: Id,
    plan: String,
    unit: String,
    period: String,
    cutoff: String,
    due: String,
    badge: String,
    officer: bool,
    monitor: bool,
    open: bool,
    late: bool,
    from_version: Option<u32>,
    summary: String,
    sections: Vec<Section>,
    obstacles: String,
    proposals: String,
    staffing: Option<StaffingFields>,
    versions: Vec<VersionLine>,
}

fn items(list: &[ReportItem]) -> Vec<ItemField> {
    list.iter()
        .filter_map(|i| {
            Some(ItemField {
                assignment_id: i.assignment_id?,
                reference: i.reference.clone(),
                content: i.content.clone(),
                note: i.note.clone(),
            })
        })
        .collect()
}

/// The form's starting content: the fresh pre-fill from the assignments, with what the unit
/// wrote in its current version laid over it (its notes per assignment, summary, obstacles,
/// proposals), so a correction starts from the text already submitted.
fn merge(
    mut fresh: AgencyReportContent,
    current: Option<&AgencyReportContent>,
) -> AgencyReportContent {
    let Some(cur) = current else {
        return fresh;
    };
    let written: HashMap<Id, &str> = cur
        .done
        .iter()
        .chain(&cur.late)
        .chain(&cur.in_progress)
        .filter_map(|i| Some((i.assignment_id?, i.note.as_str())))
        .collect();
    for item in fresh
        .done
        .iter_mut()
        .chain(fresh.late.iter_mut())
        .chain(fresh.in_progress.iter_mut())
    {
        if let Some(n) = item.assignment_id.and_then(|a| written.get(&a)) {
            item.note = (*n).to_string();
        }
    }
    fresh.summary.clone_from(&cur.summary);
    fresh.obstacles.clone_from(&cur.obstacles);
    fresh.proposals.clone_from(&cur.proposals);
    fresh
}

fn sections(c: &AgencyReportContent) -> Vec<Section> {
    vec![
        Section {
            key: "done",
            title: "Nhiệm vụ đã hoàn thành",
            hint: "Kết quả, sản phẩm, ngày hoàn thành",
            items: items(&c.done),
        },
        Section {
            key: "late",
            title: "Nhiệm vụ quá hạn chưa hoàn thành",
            hint: "Lý do chậm, giải pháp, thời gian dự kiến hoàn thành",
            items: items(&c.late),
        },
        Section {
            key: "in_progress",
            title: "Nhiệm vụ đang thực hiện, chưa đến hạn",
            hint: "Tiến độ, kết quả đạt được",
            items: items(&c.in_progress),
        },
    ]
}

async fn version_lines(state: &AppState, versions: &[AgencyReport]) -> WebResult<Vec<VersionLine>> {
    let names = tinhgon_store::web_queries::user_names(&state.db).await?;
    let by_id: BTreeMap<Id, u32> = versions.iter().map(|v| (v.id, v.version)).collect();
    Ok(versions
        .iter()
        .rev()
        .map(|v| VersionLine {
            version: v.version,
            submitted: datetime(v.submitted_at),
            author: v
                .author_id
                .and_then(|a| names.get(&a).cloned())
                .unwrap_or_else(|| "—".into()),
            superseded_by: v.superseded_by.and_then(|s| by_id.get(&s).copied()),
        })
        .collect())
}

/// `GET /report-requests/{request}`: the officer's form (pre-filled) and the versions; monitors
/// and leaders see the versions read-only.
pub async fn page(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(request_id): Path<Id>,
) -> WebResult<Response> {
    let user = viewer.require()?.clone();
    let req = load_request(&state, &viewer, request_id).await?;
    let officer = user.role == Role::AgencyOfficer;
    let versions = periodic::report_versions(&state.db, request_id).await?;
    let current = versions.iter().find(|v| v.superseded_by.is_none());
    let content = if officer {
        let fresh = tinhgon_app::agency_prefill(&state.db, request_id)
            .await
            .map_err(WebError::from)?;
        merge(fresh, current.map(|v| &v.content))
    } else {
        AgencyReportContent::default()
    };
    let staffing = if officer {
        tinhgon_app::staffing::agency_section::section(&state.db, &user, &req)
            .await?
            .map(|s| {
                let values = agency_section::values(
                    current.map_or(&[][..], |v| v.content.staffing.as_slice()),
                );
                staffing_fields(&s, &values)
            })
    } else {
        None
    };
    let st = req.standing(today());
    render(&RequestPage {
        ctx: PageCtx::new(&viewer, "reports"),
        id: req.id,
        plan_id: req.plan_id,
        plan: plan_number(&state, req.plan_id).await?,
        unit: req.unit_name.clone(),
        period: req.period_label.clone(),
        cutoff: date(req.cutoff),
        due: date(req.due),
        badge: standing_badge(st),
        officer,
        monitor: user.role.monitors(),
        open: req.first_submitted_at.is_none(),
        late: st == periodic::Standing::Late,
        from_version: current.map(|v| v.version),
        summary: content.summary.clone(),
        obstacles: content.obstacles.join("\n"),
        proposals: content.proposals.join("\n"),
        sections: sections(&content),
        staffing,
        versions: version_lines(&state, &versions).await?,
    })
}

fn field<'a>(f: &'a HashMap<String, String>, name: &str) -> WebResult<Option<&'a str>> {
    match f.get(name) {
        Some(v) if v.chars().count() > MAX_FIELD => Err(WebError::BadRequest(format!(
            "Nội dung quá dài (tối đa {MAX_FIELD} ký tự mỗi ô)."
        ))),
        Some(v) => Ok(Some(v.as_str())),
        None => Ok(None),
    }
}

fn lines(v: Option<&str>) -> Vec<String> {
    v.unwrap_or("")
        .lines()
        .map(|l| l.trim().trim_start_matches(['-', '+', '•']).trim())
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

/// Builds the submitted content: the lines are the unit's assignments as of the cut-off
/// (from the server, never from the form), the texts are the officer's.
fn content_from(
    fresh: AgencyReportContent,
    f: &HashMap<String, String>,
) -> WebResult<AgencyReportContent> {
    let mut c = fresh;
    for item in c
        .done
        .iter_mut()
        .chain(c.late.iter_mut())
        .chain(c.in_progress.iter_mut())
    {
        if let Some(a) = item.assignment_id {
            if let Some(v) = field(f, &format!("note_{a}"))? {
                item.note = v.trim().to_string();
            }
        }
    }
    c.summary = field(f, "summary")?.unwrap_or("").trim().to_string();
    c.obstacles = lines(field(f, "obstacles")?);
    c.proposals = lines(field(f, "proposals")?);
    Ok(c)
}

/// `POST /report-requests/{request}/submit`: only the request's own unit's officer; a new
/// version supersedes the current one, which stays unchanged.
pub async fn submit(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(request_id): Path<Id>,
    Form(f): Form<HashMap<String, String>>,
) -> WebResult<Response> {
    let user = viewer.require()?.clone();
    let req: Request = periodic::request(&state.db, request_id).await?;
    // Checked before the pre-fill is read (the use case checks again).
    if !tinhgon_domain::user::can_write_assignment(&user, req.unit_id) {
        return Err(WebError::Forbidden);
    }
    let fresh = tinhgon_app::agency_prefill(&state.db, request_id)
        .await
        .map_err(WebError::from)?;
    let content = content_from(fresh, &f)?;
    // The store adds after.version and after.report (the new version's number and id) and
    // writes the monitors' notice in the same transaction, with the version number in it.
    let number = plan_number(&state, req.plan_id).await?;
    let entry = audit_entry(
        Some(&user),
        "report.submit",
        "report_request",
        Some(request_id),
        None,
        None,
    )
    .with_notice(Notice::new(
        Audience::PlanMonitors(req.plan_id),
        "report_submitted",
        format!(
            "{} đã nộp báo cáo {} thực hiện Kế hoạch số {number} (phiên bản {}).",
            req.unit_name,
            req.period_label,
            periodic::VERSION_MARK
        ),
        format!("/report-requests/{request_id}"),
    ));
    let id =
        tinhgon_app::agency_report::submit(&state.db, &user, &req, content, &f, &entry).await?;
    let version = periodic::report_versions(&state.db, request_id)
        .await?
        .iter()
        .find(|v| v.id == id)
        .map_or(1, |v| v.version);
    let text = if version == 1 {
        "Đã nộp báo cáo. Báo cáo đã nộp không sửa được; nếu cần điều chỉnh, hãy nộp phiên bản mới."
            .to_string()
    } else {
        format!("Đã nộp phiên bản {version}; phiên bản trước được giữ nguyên và đánh dấu đã được thay thế.")
    };
    Ok(redirect_ok(
        &state,
        &format!("/report-requests/{request_id}"),
        &text,
    ))
}

#[derive(Template)]
#[template(path = "periodic_version.html")]
struct VersionPage {
    ctx: PageCtx,
    request_id: Id,
    plan: String,
    unit: String,
    period: String,
    cutoff: String,
    version: u32,
    submitted: String,
    author: String,
    superseded_by: Option<u32>,
    summary: String,
    sections: Vec<Section>,
    obstacles: Vec<String>,
    proposals: Vec<String>,
    staffing: Vec<String>,
}

/// `GET /report-requests/{request}/versions/{version}`: one submitted version, read-only.
pub async fn version(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((request_id, version)): Path<(Id, u32)>,
) -> WebResult<Response> {
    let req = load_request(&state, &viewer, request_id).await?;
    let versions = periodic::report_versions(&state.db, request_id).await?;
    let lines = version_lines(&state, &versions).await?;
    let v = versions
        .iter()
        .find(|v| v.version == version)
        .ok_or(WebError::NotFound)?;
    let line = lines
        .iter()
        .find(|l| l.version == version)
        .ok_or(WebError::NotFound)?;
    render(&VersionPage {
        ctx: PageCtx::new(&viewer, "reports"),
        request_id,
        plan: plan_number(&state, req.plan_id).await?,
        unit: req.unit_name.clone(),
        period: req.period_label.clone(),
        cutoff: date(req.cutoff),
        version,
        submitted: line.submitted.clone(),
        author: line.author.clone(),
        superseded_by: line.superseded_by,
        summary: v.content.summary.clone(),
        sections: sections(&v.content),
        obstacles: v.content.obstacles.clone(),
        proposals: v.content.proposals.clone(),
        staffing: v.content.staffing.iter().map(figure_line).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(a: Id, note: &str) -> ReportItem {
        ReportItem {
            assignment_id: Some(a),
            reference: format!("PL.{a}"),
            content: format!("Nhiệm vụ {a}"),
            note: note.into(),
        }
    }

    #[test]
    fn submitted_lines_come_from_the_server_and_texts_from_the_form() {
        let fresh = AgencyReportContent {
            done: vec![item(1, "Hoàn thành ngày 01/09/2025.")],
            late: vec![item(2, "")],
            ..Default::default()
        };
        let f: HashMap<String, String> = [
            ("note_2", "Chờ hướng dẫn của Bộ"),
            ("note_99", "dòng lạ bị bỏ qua"),
            ("summary", "  Tóm tắt  "),
            ("obstacles", "- Thiếu biên chế\n\n+ Thiếu kinh phí\n"),
            ("proposals", "Bổ sung kinh phí"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let c = content_from(fresh, &f).unwrap();
        assert_eq!(c.done[0].note, "Hoàn thành ngày 01/09/2025.");
        assert_eq!(c.late[0].note, "Chờ hướng dẫn của Bộ");
        assert_eq!(c.late[0].content, "Nhiệm vụ 2");
        assert_eq!(c.summary, "Tóm tắt");
        assert_eq!(c.obstacles, ["Thiếu biên chế", "Thiếu kinh phí"]);
        assert_eq!(c.proposals, ["Bổ sung kinh phí"]);
        assert!(!format!("{c:?}").contains("dòng lạ"));
    }

    #[test]
    fn an_overlong_field_is_a_bad_request() {
        let f: HashMap<String, String> =
            [("summary".to_string(), "x".repeat(MAX_FIELD + 1))].into();
        assert!(matches!(
            content_from(AgencyReportContent::default(), &f),
            Err(WebError::BadRequest(_))
        ));
    }

    #[test]
    fn a_correction_starts_from_the_submitted_text() {
        let fresh = AgencyReportContent {
            late: vec![item(2, "ghi chú tiến độ")],
            in_progress: vec![item(3, "")],
            summary: "tóm tắt tự động".into(),
            ..Default::default()
        };
        let current = AgencyReportContent {
            late: vec![item(2, "lý do đã nộp")],
            summary: "tóm tắt đã nộp".into(),
            proposals: vec!["đề xuất".into()],
            ..Default::default()
        };
        let m = merge(fresh, Some(&current));
        assert_eq!(m.late[0].note, "lý do đã nộp");
        assert_eq!(m.in_progress.len(), 1);
        assert_eq!(m.summary, "tóm tắt đã nộp");
        assert_eq!(m.proposals, ["đề xuất"]);
    }
}
