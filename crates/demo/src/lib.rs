//! The demo: the Nghệ An register, one account per role, the seed plan 615/KH-UBND published
//! with scripted progress, and the other seed plans as drafts waiting for review. Everything is
//! embedded, so `tinhgon demo` works on any machine. Tests build their fixtures from here too.
//!
//! A fixture, not a feature: the server's crates do not link it; the CLI's `demo` command
//! and the web tests do. It writes through the store and reads plans through ingest and
//! extract, as an import would, without going through the web layer.

mod error;
mod staffing;

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use sha2::{Digest, Sha256};
use tinhgon_domain::model::Id;
use tinhgon_domain::publish::MentionRole;
use tinhgon_domain::user::Role;
use tinhgon_domain::workflow::Action;
use tinhgon_store::plans::{self, NewDraft};
use tinhgon_store::{accounts, records, register, status, Db};

pub use error::DemoError;
pub use staffing::seed_staffing;

const UNITS: &str = include_str!("../../../data/nghe-an-2025/units.csv");
const MERGERS: &str = include_str!("../../../data/nghe-an-2025/mergers.csv");
const ALIASES: &str = include_str!("../../../data/nghe-an-2025/aliases.csv");

/// The seed plans: (file name, bytes). The first is 615/KH-UBND of Nghệ An.
pub const SEEDS: &[(&str, &[u8])] = &[
    (
        "000_4678a1ab1ae598dc.txt",
        include_bytes!("../../../testdata/seeds/000_4678a1ab1ae598dc.txt"),
    ),
    (
        "001_26a67ca8ec38b23d.txt",
        include_bytes!("../../../testdata/seeds/001_26a67ca8ec38b23d.txt"),
    ),
    (
        "003_0fac0a776543b6d2.txt",
        include_bytes!("../../../testdata/seeds/003_0fac0a776543b6d2.txt"),
    ),
    (
        "004_e686ee23fe60f658.txt",
        include_bytes!("../../../testdata/seeds/004_e686ee23fe60f658.txt"),
    ),
];

/// A demo account.
#[derive(Debug, Clone)]
pub struct DemoAccount {
    /// Sign-in name.
    pub login: &'static str,
    /// Password (demo only).
    pub password: &'static str,
    /// Display name.
    pub name: &'static str,
    /// Role.
    pub role: Role,
    /// Unit name for officers and the monitor.
    pub unit: Option<&'static str>,
}

/// The demo accounts, one per role (two officers, so another unit's officer exists).
pub const ACCOUNTS: &[DemoAccount] = &[
    DemoAccount {
        login: "quantri",
        password: "quantri-demo-2025",
        name: "Quản trị hệ thống",
        role: Role::Admin,
        unit: None,
    },
    DemoAccount {
        login: "sonoivu",
        password: "sonoivu-demo-2025",
        name: "Nguyễn Văn Theo Dõi",
        role: Role::Monitor,
        unit: Some("Sở Nội vụ"),
    },
    DemoAccount {
        login: "lanhdao",
        password: "lanhdao-demo-2025",
        name: "Trần Thị Lãnh Đạo",
        role: Role::Leader,
        unit: None,
    },
    DemoAccount {
        login: "sotuphap",
        password: "sotuphap-demo-2025",
        name: "Lê Văn Tư Pháp",
        role: Role::AgencyOfficer,
        unit: Some("Sở Tư pháp"),
    },
    DemoAccount {
        login: "sotaichinh",
        password: "sotaichinh-demo-2025",
        name: "Phạm Thị Tài Chính",
        role: Role::AgencyOfficer,
        unit: Some("Sở Tài chính"),
    },
];

/// What the demo set up.
#[derive(Debug, Clone)]
pub struct Seeded {
    /// The province.
    pub province_id: Id,
    /// True when an existing demo database was reused.
    pub reused: bool,
    /// Account ids by login.
    pub users: Vec<(&'static str, Id)>,
}

fn err(e: impl std::fmt::Display) -> DemoError {
    DemoError::Register(e.to_string())
}

/// Loads the register and creates the accounts, unless already there.
pub async fn seed_base(db: &Db) -> Result<Seeded, DemoError> {
    let province_id = match register::find_province(db, "Tỉnh Nghệ An").await? {
        Some(p) => p,
        None => {
            let units = tinhgon_domain::import::unit_rows_from_csv(UNITS).map_err(err)?;
            let mergers = tinhgon_domain::import::merger_rows_from_csv(MERGERS).map_err(err)?;
            let aliases = tinhgon_domain::import::alias_rows_from_csv(ALIASES).map_err(err)?;
            register::import_rows(db, &units, &mergers, &aliases, Utc::now())
                .await?
                .province_id
        }
    };
    let reused = accounts::credentials(db, ACCOUNTS[0].login)
        .await?
        .is_some();
    // Accounts work for the units in force today: a merger keeps the name of one of its
    // predecessors ("Sở Tài chính" before and after 1/3/2025), so a name alone is ambiguous.
    let current = register::units_as_of(db, province_id, Utc::now().date_naive()).await?;
    let unit_id = |n: &str| current.iter().find(|u| u.name == n).map(|u| u.id);
    let mut users = Vec::new();
    for a in ACCOUNTS {
        let id = match accounts::credentials(db, a.login).await? {
            Some(c) => c.user.id,
            None => {
                let hash = tinhgon_app::accounts::hash_password(a.password.to_string()).await?;
                let new = accounts::NewUser {
                    login: a.login.into(),
                    display_name: a.name.into(),
                    password_hash: hash,
                    role: a.role,
                    unit_id: a.unit.and_then(unit_id),
                    province_id: Some(province_id),
                };
                accounts::system::create_user(db, &new).await?
            }
        };
        users.push((a.login, id));
    }
    Ok(Seeded {
        province_id,
        reused,
        users,
    })
}

/// Imports a seed as a draft (or finds the existing one by content hash).
pub async fn import_seed(
    db: &Db,
    province: Id,
    by: Option<Id>,
    name: &str,
    bytes: &[u8],
    at: DateTime<Utc>,
) -> Result<Id, DemoError> {
    let hash = hex::encode(Sha256::digest(bytes));
    if let Some(id) = tinhgon_store::web_queries::plan_by_hash(db, Some(province), &hash).await? {
        return Ok(id);
    }
    let (draft, source) =
        tinhgon_app::import::extract_file(bytes.to_vec(), name.to_string()).await?;
    Ok(plans::system::insert_draft(
        db,
        &NewDraft {
            province_id: Some(province),
            draft: &draft,
            source_text: Some(&source),
            content_hash: &hash,
            by,
            at,
        },
    )
    .await?)
}

/// Maps each unresolved lead to its first suggestion and publishes (the demo has no reviewer).
pub async fn publish_unreviewed(
    db: &Db,
    plan: Id,
    by: Option<Id>,
    day: NaiveDate,
    at: DateTime<Utc>,
) -> Result<(), DemoError> {
    auto_map(db, plan, day).await?;
    plans::system::publish_plan(db, plan, by, day, at).await?;
    Ok(())
}

/// Maps each unresolved lead to its first suggestion (the demo has no reviewer).
async fn auto_map(db: &Db, plan: Id, day: NaiveDate) -> Result<(), DemoError> {
    let rec = plans::get_plan(db, plan).await?;
    let mut draft = rec.draft.clone();
    // A task the extractor found no lead for goes to the standing agency, as a reviewer would
    // decide for the plan's own duties.
    use tinhgon_domain::GroupKind;
    let indefinite = |t: &tinhgon_domain::TaskDraft| {
        t.lead.iter().all(|a| {
            matches!(
                a.group,
                Some(GroupKind::Unspecified | GroupKind::Districts | GroupKind::SpecializedOffices)
            )
        })
    };
    for t in draft.tasks.iter_mut().filter(|t| indefinite(t)) {
        t.lead.clear();
        t.lead.push(tinhgon_domain::AgencyRef {
            text: "Sở Nội vụ".into(),
            name: "Sở Nội vụ".into(),
            group: None,
        });
    }
    plans::system::update_draft(db, plan, &draft, &rec.agency_map, Utc::now()).await?;
    let mut map = rec.agency_map.clone();
    for u in plans::unresolved_agencies(db, plan, day).await? {
        // Per mention: the same words may also name coordinators, which stay as written.
        if u.unresolved.role == MentionRole::Lead {
            map.insert(
                u.unresolved.key.clone(),
                u.unresolved
                    .suggestions
                    .first()
                    .copied()
                    .into_iter()
                    .collect(),
            );
        }
    }
    plans::system::update_draft(db, plan, &draft, &map, Utc::now()).await?;
    Ok(())
}

fn vn(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, 0, 0)
        .single()
        .unwrap_or_else(Utc::now)
        - Duration::hours(7)
}

fn at_day(d: NaiveDate) -> DateTime<Utc> {
    Utc.from_utc_datetime(&d.and_hms_opt(3, 0, 0).unwrap_or_default())
}

/// The full demo: base, 615/KH-UBND published with scripted progress, other seeds as drafts.
pub async fn seed_demo(db: &Db) -> Result<Seeded, DemoError> {
    let base = seed_base(db).await?;
    if base.reused {
        return Ok(base);
    }
    let monitor = base
        .users
        .iter()
        .find(|(l, _)| *l == "sonoivu")
        .map(|(_, id)| *id);
    let published_at = vn(2025, 7, 28, 9);
    let (name, bytes) = SEEDS[0];
    let plan = import_seed(
        db,
        base.province_id,
        monitor,
        name,
        bytes,
        vn(2025, 7, 27, 15),
    )
    .await?;
    let day = NaiveDate::from_ymd_opt(2025, 7, 28).unwrap_or_default();
    auto_map(db, plan, day).await?;
    plans::system::publish_plan(db, plan, monitor, day, published_at).await?;
    script_progress(
        db,
        plan,
        monitor,
        base.users
            .iter()
            .find(|(l, _)| *l == "sotuphap")
            .map(|(_, id)| *id),
    )
    .await?;
    for (name, bytes) in &SEEDS[1..] {
        import_seed(db, base.province_id, monitor, name, bytes, Utc::now()).await?;
    }
    seed_staffing(db, base.province_id, Some(plan)).await?;
    // Each department holds the fields the decree gives it from the day it took effect.
    tinhgon_app::functions::seed_from_catalogue(
        db,
        base.province_id,
        NaiveDate::from_ymd_opt(2025, 3, 1).unwrap_or_default(),
        "Nghị định 45/2025/NĐ-CP",
    )
    .await?;
    Ok(base)
}

/// Scripted history so the dashboard is alive: some work done on time, some late, some in
/// progress, some untouched. Sở Tư pháp's own work is left for the visitor to report.
async fn script_progress(
    db: &Db,
    plan: Id,
    monitor: Option<Id>,
    keep_for: Option<Id>,
) -> Result<(), DemoError> {
    let keep_unit = match keep_for {
        Some(u) => accounts::user(db, u).await?.and_then(|u| u.unit_id),
        None => None,
    };
    let work = tinhgon_store::web_queries::plan_work(db, plan).await?;
    let now = Utc::now();
    for (i, w) in work.iter().enumerate() {
        if Some(w.unit_id) == keep_unit {
            continue;
        }
        let start = vn(2025, 8, 5 + (i % 20) as u32, 9);
        let step = |action: Action,
                    role: Role,
                    actor: Option<Id>,
                    at: DateTime<Utc>,
                    note: Option<&str>| status::ChangeRequest {
            assignment_id: w.id,
            action,
            role,
            actor,
            note: note.map(str::to_string),
            at,
            expected: None,
        };
        // Two in five assignments are started and reported at 60 %, one at 40 %.
        let report = match i % 5 {
            0 | 3 => Some((
                60,
                "Đã xây dựng dự thảo, đang lấy ý kiến các cơ quan liên quan.",
                12,
            )),
            1 => Some((40, "Đang triển khai, đã giao phòng chuyên môn chủ trì.", 20)),
            _ => None,
        };
        if let Some((percent, text, days)) = report {
            status::system::change_status(
                db,
                &step(Action::Start, Role::AgencyOfficer, None, start, None),
            )
            .await?;
            records::system::add_progress_report(
                db,
                w.id,
                None,
                Some(percent),
                text,
                &[],
                start + Duration::days(days),
            )
            .await?;
        }
        if matches!(i % 5, 0 | 3) {
            let proposed = match (i % 5, w.due) {
                (3, Some(d)) => at_day(d + Duration::days(20)).max(start + Duration::days(20)),
                _ => start + Duration::days(25),
            };
            if proposed < now {
                status::system::change_status(
                    db,
                    &step(
                        Action::ProposeCompletion,
                        Role::AgencyOfficer,
                        None,
                        proposed,
                        Some("Đã hoàn thành, gửi kèm báo cáo."),
                    ),
                )
                .await?;
                status::system::change_status(
                    db,
                    &step(
                        Action::Confirm,
                        Role::Monitor,
                        monitor,
                        proposed + Duration::days(2),
                        Some("Xác nhận hoàn thành."),
                    ),
                )
                .await?;
            }
        }
    }
    Ok(())
}
