//! The staffing targets found in a draft: the review page shows each with its reading
//! (baseline year, categories, units in scope, percent, direction, deadline), the reviewer
//! corrects it and says whether it is kept; publishing makes the kept ones staffing targets
//! of the province linked to the plan, through the staffing use case
//! ([`crate::staffing::prepare_target`]), in the publication's transaction.

use serde::Deserialize;
use tinhgon_domain::draft::Direction;
use tinhgon_domain::ids::PlanId;
use tinhgon_domain::staffing_target::{reading, StaffingTargetDraft};
use tinhgon_domain::user::User;
use tinhgon_store::plans::PlanTarget;
use tinhgon_store::Db;

use crate::access::LoadedPlan;
use crate::error::{AppError, Result};
use crate::staffing::{self, TargetForm};

/// A staffing target of the draft as the review page submits it.
#[derive(Debug, Default, Deserialize)]
pub struct FoundTargetForm {
    /// "1" or "on" when publishing makes it a staffing target.
    #[serde(default)]
    pub include: Option<String>,
    /// What it says.
    #[serde(default)]
    pub title: String,
    /// Percent.
    #[serde(default)]
    pub percent: String,
    /// `decrease`, `increase` or `cap`.
    #[serde(default)]
    pub direction: String,
    /// Categories, stable names separated by commas.
    #[serde(default)]
    pub categories: String,
    /// "1" when only positions paid from the state budget count, "0" otherwise.
    #[serde(default)]
    pub state_budget_paid_only: Option<String>,
    /// Baseline year (may be blank while the target is not kept).
    #[serde(default)]
    pub baseline_year: String,
    /// Deadline, dd/mm/yyyy (may be blank).
    #[serde(default)]
    pub deadline: String,
    /// Units in scope, names separated by ";" (blank: the whole province).
    #[serde(default)]
    pub scope: String,
    /// `quota` or `headcount` (blank: quota).
    #[serde(default)]
    pub measure: String,
}

/// The staffing targets of a draft with their index among its targets.
pub fn found(draft: &tinhgon_domain::PlanDraft) -> Vec<(usize, StaffingTargetDraft)> {
    draft
        .targets
        .iter()
        .enumerate()
        .filter_map(|(i, t)| reading(t).map(|r| (i, r)))
        .collect()
}

fn direction_name(d: Direction) -> &'static str {
    match d {
        Direction::Decrease => "decrease",
        Direction::Increase => "increase",
        Direction::Cap => "cap",
    }
}

/// The staffing use case's form for a reading.
fn target_form(r: &StaffingTargetDraft) -> TargetForm {
    TargetForm {
        title: r.title.clone(),
        percent: r.percent.to_string(),
        direction: direction_name(r.direction).into(),
        categories: r
            .categories
            .iter()
            .map(|c| c.as_str())
            .collect::<Vec<_>>()
            .join(","),
        state_budget_paid_only: Some(if r.state_budget_paid_only { "1" } else { "0" }.into()),
        baseline_year: r.baseline_year.map(|y| y.to_string()).unwrap_or_default(),
        deadline: r
            .deadline
            .map(|d| d.format("%d/%m/%Y").to_string())
            .unwrap_or_default(),
        plan: String::new(),
        scope: r.scope.join("; "),
        measure: r.measure.as_str().into(),
    }
}

/// Saves the reviewer's reading of staffing target `index` of draft `id`. A kept target must
/// be complete (its baseline year above all) and name units of the province.
pub async fn save_target(
    db: &Db,
    user: &User,
    id: PlanId,
    index: usize,
    f: FoundTargetForm,
) -> Result<()> {
    let p = super::editable(db, user, id).await?;
    let mut draft = p.rec.draft.clone();
    let Some(before) = draft.targets.get(index).and_then(reading) else {
        return Err(AppError::NotFound);
    };
    let include = matches!(
        f.include.as_deref().map(str::trim),
        Some("1" | "on" | "true")
    );
    let baseline_year = if f.baseline_year.trim().is_empty() {
        if include {
            return Err(AppError::invalid(
                "baseline_year",
                "Vui lòng nhập năm gốc (năm của số biên chế được giao dùng để so sánh).",
            ));
        }
        None
    } else {
        Some(staffing::form::year("baseline_year", &f.baseline_year)?)
    };
    let parsed = TargetForm {
        title: f.title,
        percent: f.percent,
        direction: f.direction,
        categories: f.categories,
        state_budget_paid_only: f.state_budget_paid_only,
        // Checked above, where a blank one is allowed for a target not kept.
        baseline_year: baseline_year.unwrap_or(2000).to_string(),
        deadline: f.deadline,
        plan: String::new(),
        scope: f.scope,
        measure: f.measure,
    }
    .parse()?;
    if include {
        if let Some(province) = p.rec.province_id {
            staffing::resolve_scope(db, province, &parsed.scope).await?;
        }
    }
    let after = StaffingTargetDraft {
        include,
        title: parsed.title,
        percent: parsed.percent,
        direction: parsed.direction,
        categories: parsed.categories,
        state_budget_paid_only: parsed.state_budget_paid_only,
        baseline_year,
        deadline: parsed.deadline,
        scope: parsed.scope,
        measure: parsed.measure,
    };
    // Under a key of its own: the history page would read "percent" or "title" as a
    // task's figures.
    let json = |v: &StaffingTargetDraft| serde_json::json!({ "staffing_target": serde_json::to_value(v).unwrap_or_default() });
    let entry = super::draft_edit(user, &p, "plan.draft.target", json(&before), json(&after));
    draft.targets[index].staffing = Some(after);
    super::save(db, &p, &draft, &p.rec.agency_map, &entry).await
}

/// The staffing targets publishing `p` adds, ready to write: each kept one checked by the
/// staffing use case (rights, values, units in scope). A plan of no province adds none.
pub(crate) async fn for_publishing(
    db: &Db,
    user: &User,
    p: &LoadedPlan,
) -> Result<Vec<PlanTarget>> {
    let Some(province) = p.rec.province_id else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for (_, r) in found(&p.rec.draft).into_iter().filter(|(_, r)| r.include) {
        let prepared =
            staffing::prepare_target(db, user, province, target_form(&r), Some(p.rec.plan.id))
                .await
                .map_err(|e| match e {
                    AppError::Invalid { message, .. } => AppError::Conflict(format!(
                        "{}: chỉ tiêu biên chế “{}” — {message}",
                        crate::publishing::REFUSED,
                        r.title
                    )),
                    e => e,
                })?;
        out.push(prepared);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use tinhgon_domain::staffing::StaffCategory;

    #[test]
    fn a_reading_goes_through_the_staffing_form_unchanged() {
        let r = StaffingTargetDraft {
            include: true,
            title: "Giảm tối thiểu 10% biên chế viên chức".into(),
            percent: 10.0,
            direction: Direction::Decrease,
            categories: vec![StaffCategory::PublicEmployee],
            state_budget_paid_only: true,
            baseline_year: Some(2021),
            deadline: chrono::NaiveDate::from_ymd_opt(2026, 12, 31),
            scope: vec!["Sở Y tế".into(), "Sở Giáo dục và Đào tạo".into()],
            measure: tinhgon_domain::staffing::Measure::Headcount,
        };
        let t = target_form(&r).parse().unwrap();
        assert_eq!(t.measure, r.measure);
        assert_eq!(t.title, r.title);
        assert_eq!(t.percent, 10.0);
        assert_eq!(t.direction, Direction::Decrease);
        assert_eq!(t.categories, r.categories);
        assert!(t.state_budget_paid_only);
        assert_eq!(t.baseline_year, 2021);
        assert_eq!(t.deadline, r.deadline);
        assert_eq!(t.scope, r.scope);
    }
}
