//! The staffing pages: a province's attainment of its reduction targets (per unit, with the
//! units its baseline came from), deputies against caps, people at the grassroots against 5%,
//! the targets and the spreadsheet template; and a unit's ledger with the forms to enter it.

use askama::Template;
use axum::extract::{Multipart, State};
use axum::response::{Redirect, Response};
use chrono::Datelike;
use serde::Deserialize;
use tinhgon_app::staffing::status::{self, Overview, StatusReport};
use tinhgon_app::staffing::{self, report, sheet, FigureForm, TargetForm};
use tinhgon_domain::draft::Direction;
use tinhgon_domain::ids::UnitId;
use tinhgon_domain::model::Id;
use tinhgon_domain::staffing::{Measure, StaffLine};
use tinhgon_domain::staffing_figures::{Figure, LeaveReason};
use tinhgon_domain::user::Role;
use tinhgon_store::register;

use crate::auth::{viewer_province, Viewer};
use crate::download::attachment as download;
use crate::error::{WebError, WebResult};
use crate::pages::{redirect_ok, render};
use crate::request::{as_of, Form, Path, Query};
use crate::view::{date, date_opt, today, PageCtx};
use crate::AppState;

/// `?as_of=`.
#[derive(Deserialize, Default)]
pub struct AsOfQuery {
    /// The day (dd/mm/yyyy or yyyy-mm-dd; default today).
    pub as_of: Option<String>,
}

/// A percentage as the page shows it ("20,5%"), or a dash.
fn pct(p: Option<f64>) -> String {
    p.map(|p| format!("{p:.1}%").replace('.', ","))
        .unwrap_or_else(|| "—".into())
}

/// The verdict badge of a row.
fn verdict(met: Option<bool>) -> (&'static str, &'static str) {
    match met {
        Some(true) => ("Đạt", "#2e7d32"),
        Some(false) => ("Chưa đạt", "#c62828"),
        None => ("Chưa có chỉ tiêu", "#78909c"),
    }
}

struct Row {
    id: Id,
    unit: String,
    baseline_year: String,
    baseline: u32,
    current: u32,
    reduction: String,
    target: String,
    verdict: &'static str,
    color: &'static str,
    predecessors: String,
    /// "Tính theo số người có mặt" for a headcount target (blank for quotas).
    measure: String,
    /// The units without a headcount at the end of the baseline year, as a sentence.
    missing: String,
}

struct TargetView {
    measure: &'static str,
    title: String,
    percent: String,
    direction: &'static str,
    baseline_year: i32,
    deadline: String,
    plan: Option<(Id, String)>,
    scope: String,
}

struct ChartView {
    title: String,
    note: &'static str,
    svg: String,
}

/// What a progress chart's bars are, by the target's measure.
fn chart_note(m: Measure) -> &'static str {
    match m {
        Measure::Quota => "Cột xám: biên chế năm gốc; mỗi năm sau là tổng biên chế được giao của các đơn vị thuộc phạm vi chỉ tiêu (đơn vị chưa được giao năm đó tính theo năm gần nhất); xanh khi không vượt mức tối đa, cam khi còn vượt. Đường đỏ: số tối đa khi đạt chỉ tiêu.",
        Measure::Headcount => "Cột xám: số người có mặt cuối năm gốc; mỗi năm sau là tổng số người có mặt mới nhất đến cuối năm đó của các đơn vị thuộc phạm vi chỉ tiêu (theo số liệu các đơn vị báo cáo); xanh khi không vượt mức tối đa, cam khi còn vượt. Đường đỏ: số tối đa khi đạt chỉ tiêu.",
    }
}

/// The cards' labels for the province's baseline and present count.
fn card_labels(m: Option<Measure>) -> (&'static str, &'static str) {
    match m {
        Some(Measure::Headcount) => ("Số người có mặt cuối năm gốc", "Số người có mặt hiện nay"),
        Some(Measure::Quota) => ("Biên chế năm gốc", "Biên chế được giao hiện nay"),
        None => (
            "Năm gốc (biên chế hoặc số người)",
            "Hiện nay (biên chế hoặc số người)",
        ),
    }
}

struct SecondmentView {
    id: Id,
    unit: String,
    headcount: u32,
    goal: u32,
    seconded: u32,
    missing: u32,
}

struct DeputyView {
    id: Id,
    unit: String,
    on: String,
    heads: u32,
    deputies: u32,
    cap: String,
    over: u32,
}

#[derive(Template)]
#[template(path = "staffing.html")]
struct StaffingPage {
    ctx: PageCtx,
    as_of: String,
    province: String,
    rows: Vec<Row>,
    total: Row,
    targets: Vec<TargetView>,
    deputies: Vec<DeputyView>,
    charts: Vec<ChartView>,
    secondments: Vec<SecondmentView>,
    as_of_query: String,
    headcount: u32,
    seconded: u32,
    seconded_goal: u32,
    leavers: u32,
    year: i32,
    monitor: bool,
    csrf: String,
    baseline_label: &'static str,
    current_label: &'static str,
    measures: Vec<(&'static str, &'static str)>,
}

fn row(id: Id, u: &status::UnitStatus) -> Row {
    let (verdict, color) = verdict(u.met);
    Row {
        id,
        unit: u.unit.clone(),
        baseline_year: u.baseline_year.map(|y| y.to_string()).unwrap_or_default(),
        baseline: u.baseline,
        current: u.current,
        reduction: pct(u.reduction_percent),
        target: pct(u.target_percent),
        verdict,
        color,
        predecessors: u
            .predecessors
            .iter()
            .map(|p| format!("{} ({})", p.unit, p.baseline))
            .collect::<Vec<_>>()
            .join("; "),
        measure: match u.measure {
            Measure::Headcount if u.target_percent.is_some() => "Tính theo số người có mặt".into(),
            _ => String::new(),
        },
        missing: missing_sentence(u),
    }
}

/// "Chưa có số người có mặt cuối năm 2021 của Sở A, Sở B: không tính vào số gốc."
fn missing_sentence(u: &status::UnitStatus) -> String {
    if u.missing_baseline.is_empty() {
        return String::new();
    }
    format!(
        "Chưa có số người có mặt cuối năm {} của {}: không tính vào số gốc.",
        u.baseline_year.map(|y| y.to_string()).unwrap_or_default(),
        u.missing_baseline.join(", ")
    )
}

fn total_row(r: &StatusReport) -> Row {
    let t = &r.total;
    let (verdict, color) = verdict(t.met);
    Row {
        id: 0,
        unit: "Toàn tỉnh".into(),
        baseline_year: t.baseline_year.map(|y| y.to_string()).unwrap_or_default(),
        baseline: t.baseline,
        current: t.current,
        reduction: pct(t.reduction_percent),
        target: pct(t.target_percent),
        verdict,
        color,
        predecessors: String::new(),
        measure: String::new(),
        missing: String::new(),
    }
}

/// `GET /staffing`: the province's staffing (an officer is taken to its own unit's).
pub async fn page(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<AsOfQuery>,
) -> WebResult<Response> {
    let user = viewer.require()?.clone();
    if user.role == Role::AgencyOfficer {
        let unit = user.unit_id.ok_or(WebError::NotFound)?;
        return Ok(axum::response::IntoResponse::into_response(Redirect::to(
            &format!("/units/{unit}/staffing"),
        )));
    }
    let day = as_of(q.as_of.as_deref())?;
    let province = viewer_province(&state, &viewer)
        .await?
        .ok_or(WebError::NotFound)?;
    let Overview {
        status,
        progress,
        deputies,
        secondments,
        headcount,
        seconded,
        seconded_goal,
        leavers,
    } = status::overview(&state.db, &user, province, day).await?;
    let charts = progress
        .iter()
        .map(|p| ChartView {
            title: p.target.title.clone(),
            note: chart_note(p.target.measure),
            svg: crate::chart::staffing_progress(&p.progress, p.target.measure),
        })
        .collect();
    let secondments = secondments
        .into_iter()
        .map(|s| SecondmentView {
            id: s.unit_id,
            unit: s.unit,
            headcount: s.headcount,
            goal: s.goal,
            seconded: s.seconded,
            missing: s.goal.saturating_sub(s.seconded),
        })
        .collect();
    let targets = staffing::targets(&state.db, &user, province).await?;
    let names: std::collections::HashMap<Id, String> = register::load_register(&state.db, province)
        .await?
        .units
        .into_iter()
        .map(|u| (u.id, u.name))
        .collect();
    let targets = targets
        .into_iter()
        .map(|t| TargetView {
            measure: match t.measure {
                Measure::Quota => "tính theo biên chế được giao",
                Measure::Headcount => "tính theo số người có mặt do các đơn vị báo cáo",
            },
            title: t.title,
            percent: pct(Some(t.percent)),
            direction: match t.direction {
                Direction::Decrease => "Giảm tối thiểu",
                Direction::Increase => "Tăng tối thiểu",
                Direction::Cap => "Không vượt quá",
            },
            baseline_year: t.baseline_year,
            deadline: date_opt(t.deadline),
            plan: t.plan_id.zip(t.plan_number),
            scope: if t.scope.is_empty() {
                "Toàn tỉnh".into()
            } else {
                t.scope
                    .iter()
                    .filter_map(|u| names.get(u).cloned())
                    .collect::<Vec<_>>()
                    .join("; ")
            },
        })
        .collect();
    let mut rows: Vec<Row> = status.units.iter().map(|u| row(u.unit_id, u)).collect();
    // The measure is said per row only when the units are not all counted the same way.
    if status.total.measure.is_some() {
        for r in &mut rows {
            r.measure.clear();
        }
    }
    let (baseline_label, current_label) = card_labels(status.total.measure);
    render(&StaffingPage {
        baseline_label,
        current_label,
        measures: Measure::ALL
            .iter()
            .map(|m| (m.as_str(), m.label_vi()))
            .collect(),
        ctx: PageCtx::new(&viewer, "staffing"),
        as_of: date(day),
        province: status.province.clone(),
        total: total_row(&status),
        rows,
        targets,
        deputies: deputies
            .into_iter()
            .map(|d| DeputyView {
                id: d.unit_id,
                unit: d.unit,
                on: date(d.on),
                heads: d.heads,
                deputies: d.deputies,
                cap: d
                    .deputy_cap
                    .map(|c| c.to_string())
                    .unwrap_or_else(|| "—".into()),
                over: d.over,
            })
            .collect(),
        charts,
        secondments,
        as_of_query: day.format("%Y-%m-%d").to_string(),
        headcount,
        seconded,
        seconded_goal,
        leavers,
        year: day.year(),
        monitor: user.role.monitors(),
        csrf: viewer.csrf.clone(),
    })
}

/// A format of the staffing report.
#[derive(Clone, Copy)]
enum ReportFormat {
    Docx,
    Xlsx,
}

async fn report_file(
    state: AppState,
    viewer: Viewer,
    q: AsOfQuery,
    format: ReportFormat,
) -> WebResult<Response> {
    let user = viewer.require()?.clone();
    let day = as_of(q.as_of.as_deref())?;
    let province = viewer_province(&state, &viewer)
        .await?
        .ok_or(WebError::NotFound)?;
    let r = report::report(&state.db, &user, province, day, today()).await?;
    let (media, ext) = match format {
        ReportFormat::Docx => (crate::pages::periodic::documents::DOCX, "docx"),
        ReportFormat::Xlsx => (crate::pages::periodic::documents::XLSX, "xlsx"),
    };
    let name = format!(
        "Báo cáo biên chế {} đến {}.{ext}",
        r.reporter,
        day.format("%d-%m-%Y")
    );
    // Writing a document is CPU work: off the async threads.
    let bytes = tokio::task::spawn_blocking(move || match format {
        ReportFormat::Docx => tinhgon_reports::staffing_report_docx(&r),
        ReportFormat::Xlsx => tinhgon_reports::staffing_report_xlsx(&r),
    })
    .await
    .map_err(WebError::internal)?
    .map_err(WebError::internal)?;
    Ok(download(bytes, media, &name))
}

/// `GET /staffing/report.docx`: the staffing report (Nghị định 30/2020 layout); an agency
/// officer's covers its own unit only.
pub async fn report_docx(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<AsOfQuery>,
) -> WebResult<Response> {
    report_file(state, viewer, q, ReportFormat::Docx).await
}

/// `GET /staffing/report.xlsx`: the staffing report's tables, one sheet each.
pub async fn report_xlsx(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<AsOfQuery>,
) -> WebResult<Response> {
    report_file(state, viewer, q, ReportFormat::Xlsx).await
}

/// `POST /staffing/targets`: a monitor adds a reduction target.
pub async fn add_target(
    State(state): State<AppState>,
    viewer: Viewer,
    Form(f): Form<TargetForm>,
) -> WebResult<Response> {
    let user = viewer.require()?.clone();
    let province = viewer_province(&state, &viewer)
        .await?
        .ok_or(WebError::NotFound)?;
    staffing::add_target(&state.db, &user, province, f).await?;
    Ok(redirect_ok(
        &state,
        "/staffing",
        "Đã thêm chỉ tiêu tinh giản biên chế.",
    ))
}

/// `?year=` of the template.
#[derive(Deserialize, Default)]
pub struct YearQuery {
    year: Option<i32>,
}

/// `GET /staffing/template.xlsx`: the template of the province's units in force today.
pub async fn template(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<YearQuery>,
) -> WebResult<Response> {
    let user = viewer.require()?.clone();
    let province = viewer_province(&state, &viewer)
        .await?
        .ok_or(WebError::NotFound)?;
    let now = today();
    let year = q
        .year
        .filter(|y| (2000..=2100).contains(y))
        .unwrap_or(now.year());
    let bytes = sheet::province_template(&state.db, &user, province, year, now).await?;
    Ok(download(
        bytes,
        crate::pages::periodic::documents::XLSX,
        &format!("Mẫu số liệu biên chế năm {year}.xlsx"),
    ))
}

/// `POST /staffing/import` (multipart, field `file`): a filled template, all rows or none.
pub async fn import(
    State(state): State<AppState>,
    viewer: Viewer,
    mut mp: Multipart,
) -> WebResult<Response> {
    let user = viewer.require()?.clone();
    let mut file: Option<(String, Vec<u8>)> = None;
    while let Some(field) = mp.next_field().await? {
        if field.name() == Some("file") {
            let name = field.file_name().unwrap_or("so-lieu.xlsx").to_string();
            file = Some((name, field.bytes().await?.to_vec()));
        }
    }
    let (name, bytes) = file.filter(|(_, b)| !b.is_empty()).ok_or_else(|| {
        WebError::BadRequest("Vui lòng chọn tệp số liệu (.xlsx hoặc .csv).".into())
    })?;
    let s = sheet::import(&state.db, sheet::Importer::User(&user), &name, &bytes).await?;
    Ok(redirect_ok(
        &state,
        "/staffing",
        &format!("Đã nhập {} số liệu của {} đơn vị.", s.figures, s.units),
    ))
}

struct FigureView {
    what: String,
    value: String,
    source: String,
}

struct Choice {
    value: &'static str,
    label: &'static str,
}

#[derive(Template)]
#[template(path = "unit_staffing.html")]
struct UnitStaffingPage {
    ctx: PageCtx,
    id: Id,
    name: String,
    quotas: Vec<FigureView>,
    headcounts: Vec<FigureView>,
    leadership: Vec<FigureView>,
    secondments: Vec<FigureView>,
    leavers: Vec<FigureView>,
    lines: Vec<Choice>,
    reasons: Vec<Choice>,
    writable: bool,
    year: i32,
    today: String,
    csrf: String,
    province_link: bool,
    own_report: bool,
}

/// `GET /units/{unit}/staffing`: a unit's ledger, and the forms to enter it.
pub async fn unit_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<Id>,
) -> WebResult<Response> {
    let user = viewer.require()?.clone();
    let figures = staffing::ledger(&state.db, &user, UnitId(id)).await?;
    let writable = staffing::may_write(&state.db, &user, UnitId(id)).await?;
    let unit = register::unit(&state.db, id).await?;
    let (mut quotas, mut headcounts, mut leadership, mut secondments, mut leavers) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for f in figures {
        match f.figure {
            Figure::Quota {
                year,
                line,
                count,
                decision,
            } => quotas.push(FigureView {
                what: format!("Năm {year} — {}", line.label_vi()),
                value: count.to_string(),
                source: decision,
            }),
            Figure::Headcount { on, line, count } => headcounts.push(FigureView {
                what: format!("{} — {}", date(on), line.label_vi()),
                value: count.to_string(),
                source: String::new(),
            }),
            Figure::Leadership {
                on,
                heads,
                deputies,
                deputy_cap,
            } => leadership.push(FigureView {
                what: date(on),
                value: format!("{heads} cấp trưởng, {deputies} cấp phó"),
                source: match deputy_cap {
                    Some(c) if deputies > c => {
                        format!("Tối đa {c} cấp phó — vượt {}", deputies - c)
                    }
                    Some(c) => format!("Tối đa {c} cấp phó"),
                    None => String::new(),
                },
            }),
            Figure::Secondment {
                from,
                to,
                people,
                note,
            } => secondments.push(FigureView {
                what: format!(
                    "Từ {} đến {}",
                    date(from),
                    to.map(date).unwrap_or_else(|| "nay".into())
                ),
                value: format!("{people} người"),
                source: note.unwrap_or_default(),
            }),
            Figure::Leavers {
                from,
                to,
                reason,
                policy,
                people,
            } => leavers.push(FigureView {
                what: format!("{} – {}: {}", date(from), date(to), reason.label_vi()),
                value: format!("{people} người"),
                source: policy,
            }),
        }
    }
    let now = today();
    render(&UnitStaffingPage {
        ctx: PageCtx::new(&viewer, "staffing"),
        id,
        name: unit.name,
        quotas,
        headcounts,
        leadership,
        secondments,
        leavers,
        lines: StaffLine::ALL
            .iter()
            .map(|l| Choice {
                value: l.key(),
                label: l.label_vi(),
            })
            .collect(),
        reasons: LeaveReason::ALL
            .iter()
            .map(|r| Choice {
                value: r.as_str(),
                label: r.label_vi(),
            })
            .collect(),
        writable,
        year: now.year(),
        today: date(now),
        csrf: viewer.csrf.clone(),
        province_link: staffing::reads_province(&user),
        own_report: user.role == Role::AgencyOfficer && user.unit_id == Some(id),
    })
}

/// `POST /units/{unit}/staffing`: enters one figure of the unit's ledger.
pub async fn record(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<Id>,
    Form(f): Form<FigureForm>,
) -> WebResult<Response> {
    let user = viewer.require()?.clone();
    staffing::record(&state.db, &user, UnitId(id), f).await?;
    Ok(redirect_ok(
        &state,
        &format!("/units/{id}/staffing"),
        "Đã ghi số liệu biên chế.",
    ))
}
