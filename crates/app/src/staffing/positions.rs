//! Job positions (vị trí việc làm) of a unit: added, edited, removed and listed with the rights
//! of the staffing ledger, each write audited on the unit; and the comparison of the people the
//! positions need with the quota of the latest year and the latest headcount, per unit and
//! across the province, naming in Vietnamese where they disagree.

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use tinhgon_domain::ids::UnitId;
use tinhgon_domain::job_positions::{Comparison, JobPosition, PositionGroup};
use tinhgon_domain::model::Id;
use tinhgon_domain::staffing::StaffLine;
use tinhgon_domain::staffing_figures::Figure;
use tinhgon_domain::user::{works_on, User};
use tinhgon_store::job_positions::{self as store, PositionRecord};
use tinhgon_store::staffing::{self as ledger, Scope, UnitFigure};
use tinhgon_store::{register, Db};

use super::{readable_unit, reads_province, writable_unit};
use crate::audit;
use crate::error::{AppError, Result};
use crate::input;

/// Longest title or rank accepted: a position's name is a line, not a description.
const MAX_TEXT: usize = 300;

/// A position as typed in the page or sent as JSON.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct PositionForm {
    /// Title.
    #[serde(default)]
    pub title: String,
    /// Group: `leadership`, `professional`, `support` or its Vietnamese label.
    #[serde(default)]
    pub group: String,
    /// Rank or professional title (may be blank).
    #[serde(default)]
    pub rank: String,
    /// People the position needs.
    #[serde(default)]
    pub people: String,
    /// Deciding document (may be blank).
    #[serde(default)]
    pub decision: String,
}

fn short(field: &'static str, value: String, what: &str) -> Result<String> {
    if value.chars().count() > MAX_TEXT {
        return Err(AppError::invalid(
            field,
            format!("{what} dài quá {MAX_TEXT} ký tự."),
        ));
    }
    Ok(value)
}

impl PositionForm {
    /// The position, or the field to fix.
    pub fn parse(self) -> Result<JobPosition> {
        let title = short(
            "title",
            input::text("title", &self.title, "Vui lòng ghi tên vị trí việc làm.")?,
            "Tên vị trí việc làm",
        )?;
        let group = PositionGroup::parse(&self.group).ok_or_else(|| {
            let names: Vec<&str> = PositionGroup::ALL.iter().map(|g| g.label_vi()).collect();
            AppError::invalid(
                "group",
                format!(
                    "Nhóm vị trí việc làm phải là một trong: {}.",
                    names.join("; ")
                ),
            )
        })?;
        let rank = input::note(&self.rank)
            .map(|r| short("rank", r, "Ngạch, chức danh"))
            .transpose()?;
        let people = people(&self.people)?;
        Ok(JobPosition {
            title,
            group,
            rank,
            people,
            decision: input::note(&self.decision)
                .map(|d| short("decision", d, "Văn bản quyết định"))
                .transpose()?,
        })
    }
}

/// People a position needs: a whole number from 1 (spaces ignored).
fn people(value: &str) -> Result<u32> {
    let v: String = value.chars().filter(|c| !c.is_whitespace()).collect();
    if v.is_empty() {
        return Err(AppError::invalid(
            "people",
            "Vui lòng nhập số người cần cho vị trí.",
        ));
    }
    match v.parse::<u32>() {
        Ok(n) if (1..=super::form::MAX_COUNT).contains(&n) => Ok(n),
        _ => Err(AppError::invalid(
            "people",
            format!(
                "Số người cần cho vị trí phải là số nguyên từ 1 đến {}, không phải “{}”.",
                super::form::MAX_COUNT,
                value.trim()
            ),
        )),
    }
}

fn details(p: &JobPosition) -> serde_json::Value {
    serde_json::json!({
        "title": p.title,
        "group": p.group.as_str(),
        "rank": p.rank,
        "people": p.people,
        "decision": p.decision,
    })
}

/// `unit`'s positions, for those who read its staffing.
pub async fn list(db: &Db, user: &User, unit: UnitId) -> Result<Vec<PositionRecord>> {
    readable_unit(db, user, unit).await?;
    Ok(store::positions(db, Scope::Unit(unit.get())).await?)
}

/// Adds a position to `unit` (its agency officer, or a monitor of its province). Audited on
/// the unit. Returns the position's id.
pub async fn add(db: &Db, user: &User, unit: UnitId, form: PositionForm) -> Result<Id> {
    writable_unit(db, user, unit).await?;
    let p = form.parse()?;
    let entry = audit::change(user, "staffing.position.add", "unit", unit.get())
        .with_after("position_detail", details(&p));
    Ok(store::add_audited(db, unit.get(), &p, Some(user.id), Utc::now(), &entry).await?)
}

/// Position `id` when it is `unit`'s (else not found).
async fn own_position(db: &Db, unit: UnitId, id: Id) -> Result<PositionRecord> {
    match store::position(db, id).await? {
        Some(p) if p.unit_id == unit.get() => Ok(p),
        _ => Err(AppError::NotFound),
    }
}

/// Replaces position `id` of `unit` with what the form says. Audited with before and after.
pub async fn edit(db: &Db, user: &User, unit: UnitId, id: Id, form: PositionForm) -> Result<()> {
    writable_unit(db, user, unit).await?;
    let before = own_position(db, unit, id).await?;
    let p = form.parse()?;
    let mut entry = audit::change(user, "staffing.position.edit", "unit", unit.get())
        .with_after("position", id)
        .with_after("position_detail", details(&p));
    entry.before = Some(details(&before.position));
    store::edit_audited(db, unit.get(), id, &p, Some(user.id), Utc::now(), &entry).await?;
    Ok(())
}

/// Removes position `id` of `unit`. Audited with what was removed.
pub async fn remove(db: &Db, user: &User, unit: UnitId, id: Id) -> Result<()> {
    writable_unit(db, user, unit).await?;
    let before = own_position(db, unit, id).await?;
    let mut entry = audit::change(user, "staffing.position.remove", "unit", unit.get())
        .with_after("position", id);
    entry.before = Some(details(&before.position));
    store::remove_audited(db, unit.get(), id, Utc::now(), &entry).await?;
    Ok(())
}

/// A unit's comparison with its disagreements.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnitComparison {
    /// Unit name.
    pub unit: String,
    /// Unit id.
    pub unit_id: Id,
    /// The figures.
    pub figures: Comparison,
    /// Where they disagree, in Vietnamese.
    pub disagreements: Vec<String>,
}

/// The province's units compared, and their total.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProvinceComparison {
    /// Day the figures are taken as.
    pub as_of: NaiveDate,
    /// Units in force on the day with positions, a quota or a headcount, by name.
    pub units: Vec<UnitComparison>,
    /// Their total (named "Toàn tỉnh").
    pub total: UnitComparison,
}

/// Quota of the latest year up to `as_of`'s year and latest headcount of each line up to
/// `as_of`, of one unit's figures.
fn ledger_figures(figures: &[&Figure], as_of: NaiveDate) -> (Option<(i32, u32)>, Option<u32>) {
    let mut years: BTreeMap<i32, u32> = BTreeMap::new();
    let mut heads: BTreeMap<StaffLine, (NaiveDate, u32)> = BTreeMap::new();
    for f in figures {
        match f {
            Figure::Quota { year, count, .. } if *year <= as_of.year() => {
                *years.entry(*year).or_default() += count;
            }
            Figure::Headcount { on, line, count } if *on <= as_of => {
                let e = heads.entry(*line).or_insert((*on, *count));
                if *on >= e.0 {
                    *e = (*on, *count);
                }
            }
            _ => {}
        }
    }
    let quota = years.into_iter().next_back();
    let headcount = (!heads.is_empty()).then(|| heads.values().map(|(_, n)| n).sum());
    (quota, headcount)
}

fn compare(
    unit: Id,
    name: String,
    figures: &[&Figure],
    positions: &[&JobPosition],
    as_of: NaiveDate,
) -> UnitComparison {
    let (quota, headcount) = ledger_figures(figures, as_of);
    let c = Comparison {
        positions: u32::try_from(positions.len()).unwrap_or(u32::MAX),
        people: positions.iter().map(|p| p.people).sum(),
        quota,
        headcount,
    };
    UnitComparison {
        unit: name,
        unit_id: unit,
        disagreements: c.disagreements(),
        figures: c,
    }
}

/// `unit`'s positions against its quota and headcount on `as_of`.
pub async fn compare_unit(
    db: &Db,
    user: &User,
    unit: UnitId,
    as_of: NaiveDate,
) -> Result<UnitComparison> {
    readable_unit(db, user, unit).await?;
    let figures = ledger::figures(db, Scope::Unit(unit.get())).await?;
    let positions = store::positions(db, Scope::Unit(unit.get())).await?;
    let name = register::unit(db, unit.get()).await?.name;
    Ok(compare(
        unit.get(),
        name,
        &figures.iter().map(|f| &f.figure).collect::<Vec<_>>(),
        &positions.iter().map(|p| &p.position).collect::<Vec<_>>(),
        as_of,
    ))
}

/// Every unit of `province` in force on `as_of` compared, for those who read its staffing.
pub async fn compare_province(
    db: &Db,
    user: &User,
    province: Id,
    as_of: NaiveDate,
) -> Result<ProvinceComparison> {
    if !works_on(user, Some(province)) || !user.active {
        return Err(AppError::NotFound);
    }
    if !reads_province(user) {
        return Err(AppError::Forbidden);
    }
    let figures = ledger::figures(db, Scope::Province(province)).await?;
    let positions = store::positions(db, Scope::Province(province)).await?;
    let units = register::load_register(db, province).await?.units;
    let mut by_unit: HashMap<Id, (Vec<&Figure>, Vec<&JobPosition>)> = HashMap::new();
    for UnitFigure { unit_id, figure } in &figures {
        by_unit.entry(*unit_id).or_default().0.push(figure);
    }
    for p in &positions {
        by_unit.entry(p.unit_id).or_default().1.push(&p.position);
    }
    let mut rows: Vec<UnitComparison> = units
        .iter()
        .filter(|u| u.is_valid_on(as_of))
        .filter_map(|u| {
            let (f, p) = by_unit.get(&u.id)?;
            let row = compare(u.id, u.name.clone(), f, p, as_of);
            let c = &row.figures;
            (c.positions > 0 || c.quota.is_some() || c.headcount.is_some()).then_some(row)
        })
        .collect();
    rows.sort_by_cached_key(|r| tinhgon_textkit::sort_key(&r.unit));
    let years: Vec<i32> = rows
        .iter()
        .filter_map(|r| r.figures.quota.map(|q| q.0))
        .collect();
    let quota = (!years.is_empty()).then(|| {
        let total: u32 = rows
            .iter()
            .filter_map(|r| r.figures.quota.map(|q| q.1))
            .sum();
        // Units at different latest years: the total is named by the latest of them.
        (years.iter().copied().max().unwrap_or(as_of.year()), total)
    });
    let heads: Vec<u32> = rows.iter().filter_map(|r| r.figures.headcount).collect();
    let total = Comparison {
        positions: rows.iter().map(|r| r.figures.positions).sum(),
        people: rows.iter().map(|r| r.figures.people).sum(),
        quota,
        headcount: (!heads.is_empty()).then(|| heads.iter().sum()),
    };
    Ok(ProvinceComparison {
        as_of,
        total: UnitComparison {
            unit: "Toàn tỉnh".into(),
            unit_id: province,
            disagreements: total.disagreements(),
            figures: total,
        },
        units: rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> PositionForm {
        PositionForm {
            title: " Chuyên viên về tổ chức cán bộ ".into(),
            group: "Chuyên môn, nghiệp vụ".into(),
            rank: "Chuyên viên".into(),
            people: "3".into(),
            decision: String::new(),
        }
    }

    fn field(r: Result<JobPosition>) -> &'static str {
        match r {
            Err(AppError::Invalid { field, .. }) => field,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_position_needs_a_title_a_group_and_at_least_one_person() {
        let p = form().parse().unwrap();
        assert_eq!(p.title, "Chuyên viên về tổ chức cán bộ");
        assert_eq!(p.group, PositionGroup::Professional);
        assert_eq!(
            (p.rank.as_deref(), p.people, p.decision),
            (Some("Chuyên viên"), 3, None)
        );
        let bad = |f: PositionForm| field(f.parse());
        assert_eq!(
            bad(PositionForm {
                title: "  ".into(),
                ..form()
            }),
            "title"
        );
        assert_eq!(
            bad(PositionForm {
                group: "khác".into(),
                ..form()
            }),
            "group"
        );
        assert_eq!(
            bad(PositionForm {
                people: "-2".into(),
                ..form()
            }),
            "people"
        );
        assert_eq!(
            bad(PositionForm {
                people: "0".into(),
                ..form()
            }),
            "people"
        );
        assert_eq!(
            bad(PositionForm {
                people: "ba".into(),
                ..form()
            }),
            "people"
        );
        assert_eq!(
            bad(PositionForm {
                rank: "x".repeat(301),
                ..form()
            }),
            "rank"
        );
    }

    #[test]
    fn the_latest_quota_year_and_each_lines_latest_headcount_are_compared() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        let cs = StaffLine::ALL[0];
        let pe = StaffLine::ALL[1];
        let figures = [
            Figure::Quota {
                year: 2024,
                line: cs,
                count: 12,
                decision: "a".into(),
            },
            Figure::Quota {
                year: 2025,
                line: cs,
                count: 8,
                decision: "b".into(),
            },
            Figure::Quota {
                year: 2025,
                line: pe,
                count: 2,
                decision: "b".into(),
            },
            Figure::Quota {
                year: 2027,
                line: cs,
                count: 1,
                decision: "later".into(),
            },
            Figure::Headcount {
                on: d(2025, 1, 1),
                line: cs,
                count: 9,
            },
            Figure::Headcount {
                on: d(2025, 6, 1),
                line: cs,
                count: 10,
            },
            Figure::Headcount {
                on: d(2025, 3, 1),
                line: pe,
                count: 1,
            },
        ];
        let refs: Vec<&Figure> = figures.iter().collect();
        assert_eq!(
            ledger_figures(&refs, d(2025, 7, 1)),
            (Some((2025, 10)), Some(11))
        );
        assert_eq!(
            ledger_figures(&refs, d(2024, 7, 1)),
            (Some((2024, 12)), None)
        );
    }
}
