//! Accounts, roles and the rights rules the web layer enforces.
//!
//! Anonymous visitors are `None` where a `Option<&User>` is taken: the public sees only
//! published plans marked public. An inactive account has no rights at all.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::model::Id;
use crate::plan::PlanState;

/// Role of an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Manages accounts and the register; also holds every monitoring right (super-user).
    Admin,
    /// Sở Nội vụ: imports, publishes and monitors all plans of its province.
    Monitor,
    /// Officer of one unit: reads plans that concern it, writes only its own assignments.
    AgencyOfficer,
    /// Leadership: reads everything of its province, writes nothing.
    Leader,
}

impl Role {
    /// All roles.
    pub const ALL: [Role; 4] = [
        Role::Admin,
        Role::Monitor,
        Role::AgencyOfficer,
        Role::Leader,
    ];

    /// Stable snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Monitor => "monitor",
            Role::AgencyOfficer => "agency_officer",
            Role::Leader => "leader",
        }
    }

    /// Parses the stored name.
    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// Vietnamese label.
    pub fn label_vi(self) -> &'static str {
        match self {
            Role::Admin => "Quản trị hệ thống",
            Role::Monitor => "Cơ quan theo dõi (Sở Nội vụ)",
            Role::AgencyOfficer => "Cán bộ cơ quan, đơn vị",
            Role::Leader => "Lãnh đạo",
        }
    }

    /// True for roles that carry the monitor's rights.
    pub fn monitors(self) -> bool {
        matches!(self, Role::Admin | Role::Monitor)
    }
}

/// An account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    /// Identifier.
    pub id: Id,
    /// Sign-in name.
    pub login: String,
    /// Name shown on pages.
    pub display_name: String,
    /// Role.
    pub role: Role,
    /// The unit an agency officer works for (required for that role).
    pub unit_id: Option<Id>,
    /// Province whose plans the account works on (None: the whole installation).
    pub province_id: Option<Id>,
    /// False once an admin disables the account.
    pub active: bool,
    /// Sign-in refused until this instant (throttling after failed attempts).
    pub locked_until: Option<DateTime<Utc>>,
}

impl User {
    /// True when sign-in is refused at `now`.
    pub fn is_locked(&self, now: DateTime<Utc>) -> bool {
        self.locked_until.is_some_and(|t| now < t)
    }

    /// The account's role if it is active: an inactive account has no rights.
    fn active_role(&self) -> Option<Role> {
        self.active.then_some(self.role)
    }

    /// True when the account's province covers a plan of `plan_province`.
    fn covers(&self, plan_province: Option<Id>) -> bool {
        match (self.province_id, plan_province) {
            (Some(mine), Some(theirs)) => mine == theirs,
            // An installation-wide account, or a plan whose issuer was not resolved to a
            // province, is not restricted by province.
            _ => true,
        }
    }
}

/// What the rights rules need to know about a plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlanAccess<'a> {
    /// Province the plan belongs to (issuer's province).
    pub province_id: Option<Id>,
    /// Draft, published, archived.
    pub state: PlanState,
    /// Marked public.
    pub public: bool,
    /// Units that lead or coordinate any of its tasks.
    pub concerned_unit_ids: &'a [Id],
}

/// May `user` (None: anonymous) read the plan?
pub fn can_read_plan(user: Option<&User>, plan: &PlanAccess<'_>) -> bool {
    let published = plan.state != PlanState::Draft;
    let Some(user) = user.filter(|u| u.active) else {
        return plan.public && published;
    };
    match user.role {
        Role::Admin | Role::Monitor => user.covers(plan.province_id),
        Role::Leader => published && user.covers(plan.province_id),
        Role::AgencyOfficer => {
            published
                && (plan.public
                    || user
                        .unit_id
                        .is_some_and(|u| plan.concerned_unit_ids.contains(&u)))
        }
    }
}

/// May `user` monitor the plan: publish, confirm or return completions, decide extensions,
/// answer obstacles, urge, mark triggers?
pub fn can_monitor(user: &User, plan: &PlanAccess<'_>) -> bool {
    user.active_role().is_some_and(Role::monitors) && user.covers(plan.province_id)
}

/// May `user` give the opinion asked of the leaders on an obstacle of a plan (`plan`)? The
/// province's leaders; its monitors too, who record an opinion received in writing.
pub fn can_give_opinion(user: &User, plan: &PlanAccess<'_>) -> bool {
    user.active_role()
        .is_some_and(|r| r == Role::Leader || r.monitors())
        && user.covers(plan.province_id)
}

/// May `user` import a plan file and review drafts?
pub fn can_import_plan(user: &User) -> bool {
    user.active_role().is_some_and(Role::monitors)
}

/// May `user` import its own unit's implementation plan, edit the draft and send it to the
/// monitor for review (not publish it)? An agency officer of a unit.
pub fn can_import_own_plan(user: &User) -> bool {
    user.active_role() == Some(Role::AgencyOfficer) && user.unit_id.is_some()
}

/// May `user` edit a draft owned by `owner_unit` (an agency's own plan; None for a monitor's
/// import)? Its monitors always; the owning unit's officers.
pub fn can_edit_own_draft(user: &User, owner_unit: Option<Id>) -> bool {
    can_import_own_plan(user) && owner_unit.is_some() && user.unit_id == owner_unit
}

/// May `user` write on an assignment of `assignment_unit` (report progress, propose completion,
/// request an extension, raise an obstacle)? Only that unit's own officers may.
pub fn can_write_assignment(user: &User, assignment_unit: Id) -> bool {
    user.active_role() == Some(Role::AgencyOfficer) && user.unit_id == Some(assignment_unit)
}

/// May `user` read an assignment of `assignment_unit` within a plan?
pub fn can_read_assignment(
    user: Option<&User>,
    plan: &PlanAccess<'_>,
    assignment_unit: Id,
) -> bool {
    match user.and_then(User::active_role) {
        Some(Role::AgencyOfficer) => {
            let u = user.and_then(|u| u.unit_id);
            u == Some(assignment_unit) || can_read_plan(user, plan)
        }
        _ => can_read_plan(user, plan),
    }
}

/// May `user` add a contribution to a task coordinated by `coordinating_unit_ids`?
pub fn can_contribute(user: &User, coordinating_unit_ids: &[Id]) -> bool {
    user.active_role() == Some(Role::AgencyOfficer)
        && user
            .unit_id
            .is_some_and(|u| coordinating_unit_ids.contains(&u))
}

/// The units that take part in an assignment's comments: its lead unit and the units
/// coordinating its task.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CommentParties<'a> {
    /// The lead unit (holds the assignment).
    pub lead_unit: Id,
    /// The coordinating units of the task.
    pub coordinating_unit_ids: &'a [Id],
    /// The plan's province.
    pub province_id: Option<Id>,
}

/// May `user` post a comment on an assignment? The lead unit's and the coordinating units'
/// officers, and the monitors (and admins) of the plan's province.
pub fn can_comment(user: &User, parties: &CommentParties<'_>) -> bool {
    match user.active_role() {
        Some(Role::Admin | Role::Monitor) => user.covers(parties.province_id),
        Some(Role::AgencyOfficer) => user
            .unit_id
            .is_some_and(|u| u == parties.lead_unit || parties.coordinating_unit_ids.contains(&u)),
        _ => false,
    }
}

/// May `user` read an assignment's comments? Those who may post them, and the province's
/// leaders, who follow the work without taking part in it.
pub fn can_read_comments(user: &User, parties: &CommentParties<'_>) -> bool {
    can_comment(user, parties)
        || (user.active_role() == Some(Role::Leader) && user.covers(parties.province_id))
}

/// Does `user` work on `province`? An account bound to a province works on that one only; an
/// installation-wide account (no province, as for Bộ Nội vụ) on every one.
pub fn works_on(user: &User, province: Option<Id>) -> bool {
    user.province_id.is_none() || user.province_id == province
}

/// May `user` enter staffing figures for `unit` of `province`? The province's monitors (and
/// admins) for any of its units; an agency officer only for its own unit; leaders never.
pub fn can_write_staffing(user: &User, unit: Id, province: Option<Id>) -> bool {
    match user.active_role() {
        Some(Role::Admin | Role::Monitor) => works_on(user, province),
        Some(Role::AgencyOfficer) => user.unit_id == Some(unit),
        _ => false,
    }
}

/// May `user` read the staffing figures of `unit` of `province`? Monitors, admins and leaders
/// of the province; an agency officer only its own unit's.
pub fn can_read_staffing(user: &User, unit: Id, province: Option<Id>) -> bool {
    match user.active_role() {
        Some(Role::Admin | Role::Monitor | Role::Leader) => works_on(user, province),
        Some(Role::AgencyOfficer) => user.unit_id == Some(unit),
        None => false,
    }
}

/// May `user` create and disable accounts?
pub fn can_manage_accounts(user: &User) -> bool {
    user.active_role() == Some(Role::Admin)
}

/// May `user` import the register and apply restructuring events?
pub fn can_manage_register(user: &User) -> bool {
    user.active_role().is_some_and(Role::monitors)
}

/// May `user` see the province dashboard (counts by status class)?
pub fn can_view_dashboard(user: &User, province_id: Option<Id>) -> bool {
    match user.active_role() {
        Some(Role::Admin | Role::Monitor | Role::Leader) => user.covers(province_id),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(role: Role, unit: Option<Id>) -> User {
        User {
            id: 1,
            login: "u".into(),
            display_name: "U".into(),
            role,
            unit_id: unit,
            province_id: Some(40),
            active: true,
            locked_until: None,
        }
    }

    const CONCERNED: [Id; 2] = [7, 8];

    fn plan(state: PlanState, public: bool) -> PlanAccess<'static> {
        PlanAccess {
            province_id: Some(40),
            state,
            public,
            concerned_unit_ids: &CONCERNED,
        }
    }

    #[test]
    fn comments_are_between_the_lead_the_coordinators_and_the_provinces_monitors() {
        let parties = CommentParties {
            lead_unit: 7,
            coordinating_unit_ids: &[8],
            province_id: Some(40),
        };
        assert!(can_comment(&user(Role::AgencyOfficer, Some(7)), &parties));
        assert!(can_comment(&user(Role::AgencyOfficer, Some(8)), &parties));
        assert!(!can_comment(&user(Role::AgencyOfficer, Some(9)), &parties));
        assert!(can_comment(&user(Role::Monitor, None), &parties));
        assert!(can_comment(&user(Role::Admin, None), &parties));
        let mut elsewhere = user(Role::Monitor, None);
        elsewhere.province_id = Some(41);
        assert!(!can_comment(&elsewhere, &parties));
        let leader = user(Role::Leader, None);
        assert!(!can_comment(&leader, &parties));
        assert!(can_read_comments(&leader, &parties));
        assert!(!can_read_comments(
            &user(Role::AgencyOfficer, Some(9)),
            &parties
        ));
        let mut disabled = user(Role::AgencyOfficer, Some(7));
        disabled.active = false;
        assert!(!can_comment(&disabled, &parties));
    }

    #[test]
    fn officer_reads_only_plans_of_its_unit_and_writes_only_its_assignments() {
        let mine = user(Role::AgencyOfficer, Some(7));
        let other = user(Role::AgencyOfficer, Some(9));
        let p = plan(PlanState::Published, false);
        assert!(can_read_plan(Some(&mine), &p));
        assert!(!can_read_plan(Some(&other), &p));
        assert!(can_write_assignment(&mine, 7));
        assert!(!can_write_assignment(&mine, 8));
        assert!(!can_write_assignment(&other, 7));
        assert!(!can_monitor(&mine, &p));
        assert!(!can_read_plan(Some(&mine), &plan(PlanState::Draft, false)));
        assert!(can_contribute(&mine, &[7]));
        assert!(!can_contribute(&other, &[7]));
        assert!(can_import_own_plan(&mine) && !can_import_plan(&mine));
        assert!(can_edit_own_draft(&mine, Some(7)));
        assert!(!can_edit_own_draft(&other, Some(7)));
        assert!(
            !can_edit_own_draft(&mine, None),
            "a monitor's draft is not the unit's"
        );
    }

    #[test]
    fn leader_reads_province_but_writes_nothing() {
        let l = user(Role::Leader, None);
        let p = plan(PlanState::Published, false);
        assert!(can_read_plan(Some(&l), &p));
        assert!(!can_monitor(&l, &p));
        assert!(!can_write_assignment(&l, 7));
        assert!(!can_import_plan(&l));
        assert!(!can_import_own_plan(&l));
        assert!(!can_edit_own_draft(&l, Some(7)));
        assert!(can_view_dashboard(&l, Some(40)));
        assert!(!can_view_dashboard(&l, Some(41)));
    }

    #[test]
    fn monitor_is_bound_to_its_province() {
        let m = user(Role::Monitor, Some(3));
        assert!(can_monitor(&m, &plan(PlanState::Draft, false)));
        let elsewhere = PlanAccess {
            province_id: Some(41),
            ..plan(PlanState::Published, false)
        };
        assert!(!can_monitor(&m, &elsewhere));
        assert!(
            !can_write_assignment(&m, 3),
            "the monitor does not report for agencies"
        );
        assert!(!can_manage_accounts(&m));
    }

    #[test]
    fn anonymous_sees_only_public_published_plans() {
        assert!(can_read_plan(None, &plan(PlanState::Published, true)));
        assert!(!can_read_plan(None, &plan(PlanState::Published, false)));
        assert!(!can_read_plan(None, &plan(PlanState::Draft, true)));
    }

    #[test]
    fn inactive_account_has_no_rights() {
        let mut a = user(Role::Admin, None);
        a.active = false;
        assert!(!can_manage_accounts(&a));
        assert!(!can_monitor(&a, &plan(PlanState::Published, false)));
        assert!(!can_read_plan(Some(&a), &plan(PlanState::Published, false)));
        assert!(can_read_plan(Some(&a), &plan(PlanState::Published, true)));
    }
}
