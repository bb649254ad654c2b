//! The monitoring dashboard for a province or a plan as of any day: counts per status class,
//! a row per unit, and the overdue and due-soon lists, read from the dashboard cache.

use chrono::NaiveDate;
use tinhgon_domain::class::StatusClass;
use tinhgon_domain::model::Id;
use tinhgon_domain::user::User;
use tinhgon_store::dash_cache;
use tinhgon_store::status::{self, Scope};
use tinhgon_store::Db;

use crate::error::{AppError, Result};

/// One row of the unit table.
pub struct UnitRow {
    /// Unit id.
    pub id: Id,
    /// Name.
    pub name: String,
    /// Counts in class order.
    pub counts: Vec<u64>,
    /// Total.
    pub total: u64,
    /// Overdue count.
    pub overdue: u64,
}

/// What the dashboard shows, for a province or a plan as of a day.
pub struct DashData {
    /// Heading.
    pub title: String,
    /// The day.
    pub as_of: NaiveDate,
    /// The plan, when the dashboard is a plan's.
    pub plan_id: Option<Id>,
    /// That plan's number, for the plan picker.
    pub plan_number: Option<String>,
    /// The viewer's province.
    pub province: Option<Id>,
    /// Count per class, in class order.
    pub pairs: Vec<(StatusClass, u64)>,
    /// Sum of the counts.
    pub total: u64,
    /// Rows by unit, most overdue first.
    pub units: Vec<UnitRow>,
    /// The first [`dash_cache::LIST_CAP`] overdue assignments, oldest due first.
    pub overdue: Vec<status::AssignmentItem>,
    /// How many assignments are overdue in all.
    pub overdue_total: u64,
    /// The first [`dash_cache::LIST_CAP`] assignments due within 7 days.
    pub due_soon: Vec<status::AssignmentItem>,
    /// How many are due within 7 days in all.
    pub due_soon_total: u64,
    /// Names of the units shown (table rows and list lines), by id.
    pub names: std::collections::HashMap<Id, String>,
}

/// Resolves `?plan_number=` (a published plan of the province by its number) or else
/// `?plan=` (an id) to a plan id.
async fn chosen_plan(
    db: &Db,
    province: Option<Id>,
    plan_text: Option<&str>,
    plan_number: Option<&str>,
) -> Result<Option<Id>> {
    // The number field is empty unless the viewer typed into it: it then wins over the
    // picker, which still holds the plan shown before.
    if let Some(number) = plan_number.map(str::trim).filter(|s| !s.is_empty()) {
        return match dash_cache::published_plan_by_number(db, province, number).await? {
            Some((id, _, _)) => Ok(Some(id)),
            None => Err(AppError::invalid(
                "plan_number",
                format!("Không tìm thấy kế hoạch đã ban hành số \"{number}\" của tỉnh."),
            )),
        };
    }
    match plan_text.map(str::trim).filter(|s| !s.is_empty()) {
        Some(p) => p
            .parse::<Id>()
            .map(Some)
            .map_err(|_| AppError::invalid("plan", "Mã kế hoạch không hợp lệ.")),
        None => Ok(None),
    }
}

/// Computes the dashboard of `province` (the viewer's) as of `as_of` (`plan_text`: a plan id;
/// `plan_number`: a plan number, which wins over the id). Counts and list ids come
/// from the database's dashboard cache (`tinhgon_store::dash_cache`); names and texts of the
/// lines shown are read fresh.
pub async fn dashboard(
    db: &Db,
    user: &User,
    province: Option<Id>,
    as_of: NaiveDate,
    plan_text: Option<&str>,
    plan_number: Option<&str>,
) -> Result<DashData> {
    if !tinhgon_domain::user::can_view_dashboard(user, province) {
        return Err(AppError::Forbidden);
    }
    let plan_id = chosen_plan(db, province, plan_text, plan_number).await?;
    let mut chosen_number = None;
    let (scope, title) = match (plan_id, province) {
        (Some(p), _) => {
            // The plan must be one the viewer may read (404 otherwise, as on the plan page).
            // Dashboard viewers are never officers, so the units concerned play no part.
            let head = dash_cache::dashboard_plan(db, p)
                .await?
                .ok_or(AppError::NotFound)?;
            let access = tinhgon_domain::user::PlanAccess {
                province_id: head.province_id,
                state: head.state,
                public: head.public,
                concerned_unit_ids: &[],
            };
            if !tinhgon_domain::user::can_read_plan(Some(user), &access) {
                return Err(AppError::NotFound);
            }
            chosen_number.clone_from(&head.number);
            (
                Scope::Plan(p),
                format!(
                    "Tình hình thực hiện {}",
                    head.number.unwrap_or_else(|| format!("kế hoạch {p}"))
                ),
            )
        }
        (None, Some(pr)) => (
            Scope::Province(pr),
            "Tình hình thực hiện nhiệm vụ toàn tỉnh".to_string(),
        ),
        (None, None) => return Err(AppError::NotFound),
    };
    let read = dash_cache::dashboard(db, scope, as_of).await?;
    let (cached, lines) = (read.data, read.lines);
    let pick = |ids: &[Id]| -> Vec<status::AssignmentItem> {
        ids.iter().filter_map(|id| lines.get(id).cloned()).collect()
    };
    let overdue = pick(&cached.overdue.ids);
    let due_soon = pick(&cached.due_soon.ids);
    let mut unit_ids: Vec<Id> = cached.by_unit.keys().copied().collect();
    unit_ids.extend(lines.values().map(|l| l.unit_id));
    let names = dash_cache::unit_names(db, &unit_ids).await?;
    let pairs: Vec<(StatusClass, u64)> = StatusClass::ALL
        .iter()
        .map(|c| (*c, cached.counts.by_class.get(c).copied().unwrap_or(0)))
        .collect();
    let total = pairs.iter().map(|(_, n)| n).sum();
    let mut units: Vec<UnitRow> = cached
        .by_unit
        .iter()
        .map(|(id, c)| {
            let counts: Vec<u64> = StatusClass::ALL
                .iter()
                .map(|k| c.by_class.get(k).copied().unwrap_or(0))
                .collect();
            UnitRow {
                id: *id,
                name: names
                    .get(id)
                    .cloned()
                    .unwrap_or_else(|| format!("Đơn vị {id}")),
                total: counts.iter().sum(),
                overdue: c.by_class.get(&StatusClass::Overdue).copied().unwrap_or(0),
                counts,
            }
        })
        .collect();
    // Keys made once per unit: a Vietnamese sort key costs a normalisation, too much to
    // redo in every comparison of a province's hundreds of units.
    units.sort_by_cached_key(|u| {
        (
            std::cmp::Reverse(u.overdue),
            std::cmp::Reverse(u.total),
            tinhgon_textkit::sort_key(&u.name),
        )
    });
    Ok(DashData {
        title,
        as_of,
        plan_id,
        plan_number: chosen_number,
        province,
        pairs,
        total,
        units,
        overdue,
        overdue_total: cached.overdue.total,
        due_soon,
        due_soon_total: cached.due_soon.total,
        names,
    })
}
