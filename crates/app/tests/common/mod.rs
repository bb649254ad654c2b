//! Shared fixtures: the Nghệ An register, the seed plan 615/KH-UBND extracted and published
//! through the store, and scripted progress on both sides of a past cut-off.
#![allow(dead_code)]

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use tinhgon_domain::model::Id;
use tinhgon_domain::publish::MentionRole;
use tinhgon_domain::user::Role;
use tinhgon_domain::Action;
use tinhgon_store::plans::{self, NewDraft};
use tinhgon_store::{records, register, status, Db};

/// A calendar day.
pub fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("valid date")
}

/// `hour` o'clock Vietnam time on a day, in UTC.
pub fn vn(day: NaiveDate, hour: u32) -> DateTime<Utc> {
    Utc.from_utc_datetime(&day.and_hms_opt(hour, 0, 0).expect("time")) - Duration::hours(7)
}

/// The past cut-off the tests look back at (quý III/2025, data to the 15th).
pub const CUTOFF: (i32, u32, u32) = (2025, 9, 15);

/// The past cut-off as a date.
pub fn cutoff() -> NaiveDate {
    d(CUTOFF.0, CUTOFF.1, CUTOFF.2)
}

const SEED_NAME: &str = "000_4678a1ab1ae598dc.txt";
const SEED: &[u8] = include_bytes!("../../../../testdata/seeds/000_4678a1ab1ae598dc.txt");

/// Imports the register, extracts 615/KH-UBND from its seed text, maps each unresolved lead
/// to the register's first suggestion (as a reviewer would), and publishes it on 28/7/2025.
pub async fn publish_615(db: &Db) -> anyhow::Result<(Id, Id)> {
    let (province, plan) = draft_615(db).await?;
    let day = d(2025, 7, 28);
    plans::system::publish_plan(db, plan, None, day, vn(day, 9)).await?;
    Ok((province, plan))
}

/// [`publish_615`] up to publishing: the reviewed draft, ready to publish.
pub async fn draft_615(db: &Db) -> anyhow::Result<(Id, Id)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/nghe-an-2025");
    let province = register::import_register(db, &dir).await?.province_id;
    let mut draft = tinhgon_extract::extract_bytes(SEED, Some(SEED_NAME))?;
    // A reviewer gives a task the extractor found no lead for to the monitoring department.
    for t in draft.tasks.iter_mut().filter(|t| t.lead.is_empty()) {
        t.lead.push(tinhgon_domain::AgencyRef {
            text: "Sở Nội vụ".into(),
            name: "Sở Nội vụ".into(),
            group: None,
        });
    }
    assert_eq!(draft.document.number.as_deref(), Some("615/KH-UBND"));
    let created = vn(d(2025, 7, 27), 15);
    let plan = plans::system::insert_draft(
        db,
        &NewDraft {
            province_id: Some(province),
            draft: &draft,
            source_text: None,
            content_hash: "seed-615",
            by: None,
            at: created,
        },
    )
    .await?;
    let day = d(2025, 7, 28);
    let rec = plans::get_plan(db, plan).await?;
    // A mention the register cannot suggest anything for goes to the monitoring department.
    let monitor = register::units_as_of(db, province, day)
        .await?
        .into_iter()
        .find(|u| u.name == "Sở Nội vụ")
        .map(|u| u.id)
        .ok_or_else(|| anyhow::anyhow!("Sở Nội vụ missing"))?;
    let mut map = rec.agency_map.clone();
    for u in plans::unresolved_agencies(db, plan, day).await? {
        if u.unresolved.role == MentionRole::Lead {
            map.insert(
                u.unresolved.mention.text.clone(),
                vec![u.unresolved.suggestions.first().copied().unwrap_or(monitor)],
            );
        }
    }
    plans::system::update_draft(db, plan, &rec.draft, &map, created).await?;
    Ok((province, plan))
}

/// What the script did to one assignment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Script {
    /// Started, noted and confirmed done before the cut-off.
    DoneBefore,
    /// Started and noted before the cut-off, done after it.
    DoneAfter,
    /// Started only after the cut-off.
    StartedAfter,
    /// Untouched.
    Untouched,
}

/// The note each assignment done after the cut-off got before it.
pub const NOTE_BEFORE: &str = "Đang xây dựng dự thảo, lấy ý kiến các cơ quan liên quan.";
/// The note it got after the cut-off.
pub const NOTE_AFTER: &str = "Đã trình UBND tỉnh ban hành.";

fn step(id: Id, action: Action, role: Role, at: DateTime<Utc>) -> status::ChangeRequest {
    status::ChangeRequest {
        assignment_id: id,
        action,
        role,
        actor: None,
        note: None,
        at,
        expected: None,
    }
}

/// Scripted progress on both sides of the cut-off, by assignment position; returns what
/// was done to each assignment.
pub async fn script(db: &Db, plan: Id) -> anyhow::Result<Vec<(Id, Script)>> {
    let data = tinhgon_store::periodic::data::plan_data(db, plan).await?;
    let mut out = Vec::new();
    for (i, a) in data.assignments.iter().enumerate() {
        let off = i64::try_from(i % 10)?;
        let s = match i % 4 {
            0 => Script::DoneBefore,
            1 => Script::DoneAfter,
            2 => Script::StartedAfter,
            _ => Script::Untouched,
        };
        match s {
            Script::DoneBefore => {
                let start = vn(d(2025, 8, 5), 9) + Duration::days(off);
                status::system::change_status(
                    db,
                    &step(a.id, Action::Start, Role::AgencyOfficer, start),
                )
                .await?;
                records::system::add_progress_report(
                    db,
                    a.id,
                    None,
                    Some(80),
                    "Đã hoàn thành dự thảo.",
                    &[],
                    start + Duration::days(5),
                )
                .await?;
                status::system::change_status(
                    db,
                    &step(
                        a.id,
                        Action::ProposeCompletion,
                        Role::AgencyOfficer,
                        start + Duration::days(10),
                    ),
                )
                .await?;
                status::system::change_status(
                    db,
                    &step(
                        a.id,
                        Action::Confirm,
                        Role::Monitor,
                        start + Duration::days(12),
                    ),
                )
                .await?;
            }
            Script::DoneAfter => {
                let start = vn(d(2025, 8, 10), 9) + Duration::days(off);
                status::system::change_status(
                    db,
                    &step(a.id, Action::Start, Role::AgencyOfficer, start),
                )
                .await?;
                records::system::add_progress_report(
                    db,
                    a.id,
                    None,
                    Some(50),
                    NOTE_BEFORE,
                    &[],
                    vn(d(2025, 9, 1), 10),
                )
                .await?;
                records::system::add_progress_report(
                    db,
                    a.id,
                    None,
                    Some(100),
                    NOTE_AFTER,
                    &[],
                    vn(d(2025, 10, 1), 10),
                )
                .await?;
                status::system::change_status(
                    db,
                    &step(
                        a.id,
                        Action::ProposeCompletion,
                        Role::AgencyOfficer,
                        vn(d(2025, 10, 2), 9),
                    ),
                )
                .await?;
                status::system::change_status(
                    db,
                    &step(a.id, Action::Confirm, Role::Monitor, vn(d(2025, 10, 4), 9)),
                )
                .await?;
            }
            Script::StartedAfter => {
                status::system::change_status(
                    db,
                    &step(
                        a.id,
                        Action::Start,
                        Role::AgencyOfficer,
                        vn(d(2025, 10, 5), 9),
                    ),
                )
                .await?;
            }
            Script::Untouched => {}
        }
        out.push((a.id, s));
    }
    Ok(out)
}

/// A new active account of `role` in `province` (bound to `unit` when given).
pub async fn account(
    db: &Db,
    login: &str,
    role: Role,
    unit: Option<Id>,
    province: Id,
) -> anyhow::Result<tinhgon_domain::user::User> {
    use tinhgon_store::accounts::{self, NewUser};
    let id = accounts::system::create_user(
        db,
        &NewUser {
            login: login.into(),
            display_name: login.into(),
            password_hash: "x".into(),
            role,
            unit_id: unit,
            province_id: Some(province),
        },
    )
    .await?;
    Ok(accounts::user(db, id).await?.expect("new account"))
}
