//! Plans, tasks and assignments of the synthetic country: mostly provincial People's
//! Committee plans, some department and commune plans; group leads expanded into one
//! assignment per member unit; each assignment's life simulated and its class intervals
//! computed with the domain's rules.

use chrono::{DateTime, Duration, NaiveDate, SecondsFormat, Utc};
use tinhgon_domain::classify::AssignmentFacts;
use tinhgon_domain::localtime::local_date;
use tinhgon_domain::model::{Status, StatusChange};
use tinhgon_domain::timeline::class_intervals;
use tinhgon_domain::DeadlineKind;

use super::country::{Country, Province};
use super::history::{office_time, simulate, Timing};
use super::load::{Loader, Table, V};
use super::rng::Rng;
use crate::error::Result;
use tinhgon_textkit::search_key;

/// Open-ended interval end, stored instead of NULL.
pub const OPEN_END: &str = "9999-12-31";

/// Id counters shared by all plans.
#[derive(Debug, Default)]
pub struct Ids {
    /// Last plan id.
    pub plan: i64,
    /// Last task id.
    pub task: i64,
    /// Last assignment id.
    pub assignment: i64,
    /// Last status change id.
    pub change: i64,
    /// Last progress report id.
    pub report: i64,
}

/// Fixed context of a generation run.
pub struct Context<'a> {
    /// Seed.
    pub seed: u64,
    /// The country.
    pub country: &'a Country,
    /// "Now": nothing happens at or after it.
    pub now: DateTime<Utc>,
    /// Today (Vietnam).
    pub today: NaiveDate,
}

/// ISO timestamp as sqlx writes it to SQLite (and PostgreSQL reads it).
pub fn ts(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::AutoSi, false)
}

/// ISO date.
pub fn day(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Issuer {
    Committee,
    Department(usize),
    Commune(usize),
}

struct TaskSpec {
    kind: DeadlineKind,
    own_due: Option<NaiveDate>,
    trigger: Option<NaiveDate>,
    /// Due in force now (own date, or trigger + 30 days once triggered).
    due: Option<NaiveDate>,
}

fn task_spec(rng: &mut Rng, issued: NaiveDate, today: NaiveDate) -> TaskSpec {
    let last = ymd(2027, 12, 31);
    let r = rng.unit();
    let dated = |rng: &mut Rng| (issued + Duration::days(rng.range(20, 600))).min(last);
    if r < 0.70 {
        let due = dated(rng);
        TaskSpec {
            kind: DeadlineKind::By,
            own_due: Some(due),
            trigger: None,
            due: Some(due),
        }
    } else if r < 0.82 {
        TaskSpec {
            kind: DeadlineKind::Ongoing,
            own_due: None,
            trigger: None,
            due: None,
        }
    } else if r < 0.90 {
        TaskSpec {
            kind: DeadlineKind::Recurring,
            own_due: None,
            trigger: None,
            due: None,
        }
    } else {
        let own_due = rng.chance(0.4).then(|| dated(rng));
        let trigger = Some(issued + Duration::days(rng.range(20, 500)))
            .filter(|t| *t < today && rng.chance(0.6));
        let due = trigger.map(|t| own_due.unwrap_or(t + Duration::days(30)));
        TaskSpec {
            kind: DeadlineKind::Conditional,
            own_due,
            trigger,
            due,
        }
    }
}

/// The units a task is assigned to, and the group text when a group was expanded.
fn leads(rng: &mut Rng, p: &Province, issuer: Issuer) -> (Vec<i64>, Option<&'static str>) {
    let dept = |rng: &mut Rng| p.departments[rng.below(p.departments.len() as u64) as usize];
    let mut out: Vec<i64>;
    let mut group = None;
    match issuer {
        Issuer::Committee => {
            let r = rng.unit();
            if r < 0.58 {
                let r2 = rng.unit();
                let one = if r2 < 0.6 {
                    dept(rng)
                } else if r2 < 0.7 {
                    p.party[rng.below(p.party.len() as u64) as usize]
                } else if r2 < 0.85 {
                    p.service_units[rng.below(p.service_units.len() as u64) as usize].0
                } else {
                    p.communes[rng.below(p.communes.len() as u64) as usize]
                };
                out = vec![one];
            } else if r < 0.88 {
                out = (0..rng.range(2, 4)).map(|_| dept(rng)).collect();
            } else if r < 0.988 {
                out = p.departments.clone();
                group = Some("Các Sở, ban, ngành");
            } else {
                out = p.communes.clone();
                group = Some("UBND các xã, phường");
            }
        }
        Issuer::Department(d) => {
            let own = p.departments[d];
            let psus: Vec<i64> = p
                .service_units
                .iter()
                .filter(|(_, dd)| *dd == own)
                .map(|(id, _)| *id)
                .collect();
            let mine = |rng: &mut Rng| {
                if psus.is_empty() || rng.chance(0.5) {
                    own
                } else {
                    psus[rng.below(psus.len() as u64) as usize]
                }
            };
            out = vec![mine(rng)];
            if rng.chance(0.3) {
                out.push(mine(rng));
                out.push(dept(rng));
            }
        }
        Issuer::Commune(c) => {
            out = vec![p.communes[c]];
            if rng.chance(0.2) {
                out.push(dept(rng));
            }
        }
    }
    let mut seen = std::collections::HashSet::new();
    out.retain(|u| seen.insert(*u));
    (out, group)
}

/// Generates plan number `n` (0-based) with its tasks, assignments, histories and intervals.
pub async fn plan(cx: &Context<'_>, n: u64, ids: &mut Ids, out: &mut Loader) -> Result<()> {
    let mut rng = Rng::derive(cx.seed, n);
    let pi = rng.below(cx.country.provinces.len() as u64) as usize;
    let p = &cx.country.provinces[pi];
    let r = rng.unit();
    let issuer = if r < 0.7 {
        Issuer::Committee
    } else if r < 0.9 {
        Issuer::Department(rng.below(p.departments.len() as u64) as usize)
    } else {
        Issuer::Commune(rng.below(p.communes.len() as u64) as usize)
    };
    let (issuer_id, issuer_name, code) = match issuer {
        Issuer::Committee => (
            p.committee,
            format!("Ủy ban nhân dân tỉnh {}", p.name),
            "KH-UBND",
        ),
        Issuer::Department(d) => (
            p.departments[d],
            format!("{} {}", super::country::DEPARTMENTS[d], p.name),
            "KH-S",
        ),
        Issuer::Commune(c) => (
            p.communes[c],
            format!("UBND xã/phường mã {}", p.communes[c]),
            "KH-UBND",
        ),
    };
    let issued = ymd(2025, 1, 15) + Duration::days(rng.range(0, 655));
    let publish_day = issued + Duration::days(rng.range(0, 5));
    let published = office_time(&mut rng, publish_day).min(cx.now - Duration::hours(1));
    ids.plan += 1;
    let plan_id = ids.plan;
    let title = format!(
        "Kế hoạch thực hiện sắp xếp, tinh gọn tổ chức bộ máy năm {} (số {plan_id})",
        issued.format("%Y")
    );
    let number = format!("{}/{code}", 1 + n % 997);
    let draft = serde_json::json!({
        "document": {"number": number, "kind": "plan", "issuer": issuer_name, "date": day(issued), "title": title},
        "tasks": [], "targets": [], "warnings": []
    })
    .to_string();
    out.row(
        Table::Plans,
        [
            plan_id.into(),
            p.id.into(),
            number.into(),
            "plan".into(),
            issuer_name.into(),
            issuer_id.into(),
            V::T(format!("tỉnh {}", p.name)),
            day(issued).into(),
            title.clone().into(),
            V::T(search_key(&title)),
            "published".into(),
            V::T(format!("national-{}-{plan_id}", cx.seed)),
            draft.into(),
            p.departments[0].into(),
            ts(published).into(),
            ts(published).into(),
            ts(published).into(),
        ],
    )
    .await?;
    for pos in 0..rng.range(5, 20) {
        ids.task += 1;
        let task_id = ids.task;
        let spec = task_spec(&mut rng, issued, cx.today);
        let (units, group) = leads(&mut rng, p, issuer);
        let content = format!(
            "Triển khai nhiệm vụ số {} về sắp xếp tổ chức bộ máy, tinh giản biên chế (kế hoạch {plan_id})",
            pos + 1
        );
        let (text, kind, period, event) = match spec.kind {
            DeadlineKind::By => (
                format!(
                    "Trước ngày {}",
                    spec.own_due
                        .map(|d| d.format("%d/%m/%Y").to_string())
                        .unwrap_or_default()
                ),
                "by",
                None,
                None,
            ),
            DeadlineKind::Ongoing => ("Thường xuyên".to_string(), "ongoing", None, None),
            DeadlineKind::Recurring => (
                "Định kỳ hằng quý".to_string(),
                "recurring",
                Some("quarterly"),
                None,
            ),
            _ => (
                "Sau khi có hướng dẫn của Bộ Nội vụ".to_string(),
                "conditional",
                None,
                Some("có hướng dẫn của Bộ Nội vụ"),
            ),
        };
        let lead_json = serde_json::json!([group.unwrap_or("đơn vị được giao")]).to_string();
        out.row(
            Table::Tasks,
            [
                task_id.into(),
                plan_id.into(),
                (pos + 1).into(),
                V::T(format!("{}", pos + 1)),
                content.clone().into(),
                V::T(search_key(&content)),
                text.into(),
                kind.into(),
                spec.own_due.map(day).into(),
                if spec.kind == DeadlineKind::By {
                    V::S("day")
                } else {
                    V::N
                },
                period.map_or(V::N, V::S),
                event.map_or(V::N, V::S),
                spec.trigger.map(day).into(),
                spec.due.filter(|_| spec.trigger.is_some()).map(day).into(),
                lead_json.into(),
            ],
        )
        .await?;
        for unit in units {
            assignment(
                cx,
                &mut rng,
                ids,
                out,
                (plan_id, task_id, p.id, unit, group),
                &spec,
                published,
            )
            .await?;
        }
    }
    Ok(())
}

async fn assignment(
    cx: &Context<'_>,
    rng: &mut Rng,
    ids: &mut Ids,
    out: &mut Loader,
    (plan_id, task_id, province_id, unit, group): (i64, i64, i64, i64, Option<&'static str>),
    spec: &TaskSpec,
    created: DateTime<Utc>,
) -> Result<()> {
    ids.assignment += 1;
    let id = ids.assignment;
    let timing = Timing {
        kind: spec.kind,
        due: spec.due,
        trigger: spec.trigger,
    };
    let life = simulate(rng, created, timing, cx.now);
    let status = life.status();
    let done = life.changes.last().filter(|c| c.to == Status::Done);
    let updated = life
        .changes
        .last()
        .map(|c| c.at)
        .into_iter()
        .chain(life.reports.last().map(|r| r.0))
        .max()
        .unwrap_or(created);
    out.row(
        Table::Assignments,
        [
            id.into(),
            task_id.into(),
            plan_id.into(),
            province_id.into(),
            unit.into(),
            unit.into(),
            group.map_or(V::N, V::S),
            spec.due.map(day).into(),
            status.as_str().into(),
            ts(created).into(),
            done.map(|c| ts(c.at)).into(),
            done.and_then(|c| c.completed_on).map(day).into(),
            ts(updated).into(),
        ],
    )
    .await?;
    // Publication writes the first history row (none → not started), as the store does.
    let creation = (V::N, V::S(Status::NotStarted.as_str()), created, V::N);
    let changes = life.changes.iter().map(|c| {
        let completed_on = V::from(c.completed_on.map(day));
        (
            V::S(c.from.as_str()),
            V::S(c.to.as_str()),
            c.at,
            completed_on,
        )
    });
    for (from, to, at, completed_on) in std::iter::once(creation).chain(changes) {
        ids.change += 1;
        out.row(
            Table::StatusChanges,
            [
                ids.change.into(),
                id.into(),
                unit.into(),
                from,
                to,
                ts(at).into(),
                day(local_date(at)).into(),
                completed_on,
            ],
        )
        .await?;
    }
    for (at, percent) in &life.reports {
        ids.report += 1;
        out.row(
            Table::ProgressReports,
            [
                ids.report.into(),
                id.into(),
                unit.into(),
                ts(*at).into(),
                (*percent).into(),
                V::T(format!(
                    "Đã thực hiện khoảng {percent}% khối lượng công việc"
                )),
            ],
        )
        .await?;
    }
    let facts = AssignmentFacts {
        kind: spec.kind,
        original_due: spec.own_due,
        extensions: Vec::new(),
        trigger: spec.trigger,
        condition_days: None,
        created_at: created,
        history: std::iter::once(StatusChange {
            assignment_id: id,
            from: None,
            to: Status::NotStarted,
            actor_id: None,
            at: created,
            note: None,
        })
        .chain(life.changes.iter().map(|c| StatusChange {
            assignment_id: id,
            from: Some(c.from),
            to: c.to,
            actor_id: None,
            at: c.at,
            note: None,
        }))
        .collect(),
        reports: Vec::new(),
    };
    for iv in class_intervals(&facts) {
        let Some(class) = iv.class else { continue };
        out.row(
            Table::Intervals,
            [
                id.into(),
                province_id.into(),
                unit.into(),
                day(iv.from).into(),
                iv.to.map_or(V::S(OPEN_END), |t| V::T(day(t))),
                class.as_str().into(),
            ],
        )
        .await?;
    }
    Ok(())
}
