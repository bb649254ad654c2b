//! Publication: a reviewed task's agency mentions → one assignment per responsible unit.
//!
//! A group lead ("Các Sở, ngành") gives each member unit its own assignment; a unit named
//! both directly and through a group gets one assignment, the direct one. What does not
//! resolve is returned for the reviewer, never dropped or guessed.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::assignment::NewAssignment;
use crate::draft::{AgencyRef, GroupKind, TaskDraft};
use crate::model::Id;
use crate::resolve::{split_mentions, Resolution, Resolver};

/// Whether a mention leads or coordinates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MentionRole {
    /// Cơ quan chủ trì.
    Lead,
    /// Cơ quan phối hợp.
    Coordinating,
}

/// A mention the reviewer still has to resolve.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unresolved {
    /// Lead or coordinating.
    pub role: MentionRole,
    /// The mention (split from a multi-agency cell when needed).
    pub mention: AgencyRef,
    /// Why (Vietnamese).
    pub reason: String,
    /// Units that might be meant.
    pub suggestions: Vec<Id>,
    /// The key of this one mention in [`Overrides`] (see [`mention_key`]).
    #[serde(default)]
    pub key: String,
}

/// The reviewer's decisions: a key → the units it stands for (empty: the mention is ignored).
/// A key is either one mention ([`mention_key`]: that mention only) or a mention text as
/// written (every mention with that text, unless the mention has its own decision).
pub type Overrides = BTreeMap<String, Vec<Id>>;

/// The key of one mention for the reviewer's decision: the task (see [`task_keys`]), the role,
/// the mention's position among the task's mentions of that role (after splitting
/// multi-agency cells), and its text. The text is part of the key so that a decision never
/// lands on another mention after the reviewer rewrites the task's agency list. The leading
/// `@` keeps these keys apart from mention texts.
pub fn mention_key(task_key: &str, role: MentionRole, position: usize, text: &str) -> String {
    let role = match role {
        MentionRole::Lead => "lead",
        MentionRole::Coordinating => "coordinating",
    };
    format!("@{task_key}|{role}|{position}|{text}")
}

/// A key per task of a draft: its reference, with `~2`, `~3` … appended to the second and
/// later tasks carrying the same reference, so that every task has its own.
pub fn task_keys(tasks: &[TaskDraft]) -> Vec<String> {
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    tasks
        .iter()
        .map(|t| {
            let n = seen.entry(t.reference.as_str()).or_insert(0);
            *n += 1;
            if *n == 1 {
                t.reference.clone()
            } else {
                format!("{}~{}", t.reference, n)
            }
        })
        .collect()
}

/// The assignments and coordinating units of a task, and what is left to resolve.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Expansion {
    /// One per responsible unit.
    pub assignments: Vec<NewAssignment>,
    /// Coordinating units (recorded per task), without the responsible ones.
    pub coordinating: Vec<Id>,
    /// Mentions not resolved.
    pub unresolved: Vec<Unresolved>,
}

/// The assignments of `task` for a plan issued within `scope` on `date`, and the unresolved
/// lead mentions.
pub fn expand_assignments(
    task: &TaskDraft,
    resolver: &Resolver,
    scope: Option<Id>,
    date: NaiveDate,
) -> (Vec<NewAssignment>, Vec<Unresolved>) {
    let e = expand_task(task, resolver, scope, date, &Overrides::new());
    let lead: Vec<Unresolved> = e
        .unresolved
        .into_iter()
        .filter(|u| u.role == MentionRole::Lead)
        .collect();
    (e.assignments, lead)
}

/// Everything publication needs for one task, applying the reviewer's `overrides` first
/// (the task's key is its reference; see [`expand_task_keyed`]).
pub fn expand_task(
    task: &TaskDraft,
    resolver: &Resolver,
    scope: Option<Id>,
    date: NaiveDate,
    overrides: &Overrides,
) -> Expansion {
    expand_task_keyed(task, &task.reference, resolver, scope, date, overrides)
}

/// Everything publication needs for one task whose key (from [`task_keys`]) is `task_key`.
/// A mention's own decision ([`mention_key`]) wins over a decision for its text.
pub fn expand_task_keyed(
    task: &TaskDraft,
    task_key: &str,
    resolver: &Resolver,
    scope: Option<Id>,
    date: NaiveDate,
    overrides: &Overrides,
) -> Expansion {
    let mut out = Expansion::default();
    let mut direct: BTreeMap<Id, Option<GroupKind>> = BTreeMap::new();
    let mut order: Vec<Id> = Vec::new();
    for (position, m) in task.lead.iter().flat_map(split).enumerate() {
        let key = mention_key(task_key, MentionRole::Lead, position, &m.text);
        let units = match resolve_one(
            &m,
            &key,
            MentionRole::Lead,
            resolver,
            scope,
            date,
            overrides,
        ) {
            Ok(units) => units,
            Err(u) => {
                out.unresolved.push(u);
                continue;
            }
        };
        for (id, via) in units {
            match direct.get(&id) {
                // A direct mention beats a group one.
                Some(Some(_)) if via.is_none() => {
                    direct.insert(id, None);
                }
                Some(_) => {}
                None => {
                    direct.insert(id, via);
                    order.push(id);
                }
            }
        }
    }
    out.assignments = order
        .iter()
        .map(|id| NewAssignment {
            unit_id: *id,
            via_group: direct[id],
        })
        .collect();
    for (position, m) in task.coordinating.iter().flat_map(split).enumerate() {
        let key = mention_key(task_key, MentionRole::Coordinating, position, &m.text);
        match resolve_one(
            &m,
            &key,
            MentionRole::Coordinating,
            resolver,
            scope,
            date,
            overrides,
        ) {
            Ok(units) => {
                for (id, _) in units {
                    if !direct.contains_key(&id) && !out.coordinating.contains(&id) {
                        out.coordinating.push(id);
                    }
                }
            }
            Err(u) => out.unresolved.push(u),
        }
    }
    out
}

/// A mention cell naming several agencies becomes one mention per agency.
fn split(m: &AgencyRef) -> Vec<AgencyRef> {
    let parts = split_mentions(&m.text);
    if parts.len() <= 1 {
        return vec![m.clone()];
    }
    parts
        .into_iter()
        .map(|p| AgencyRef {
            text: p.clone(),
            name: p,
            group: None,
        })
        .collect()
}

/// The units a mention stands for, each with the group it came through.
// The error is the reviewer's to-do item itself, built once per unresolved mention (not a hot
// path): boxing it would only add noise at every caller.
#[allow(clippy::result_large_err)]
fn resolve_one(
    m: &AgencyRef,
    key: &str,
    role: MentionRole,
    resolver: &Resolver,
    scope: Option<Id>,
    date: NaiveDate,
    overrides: &Overrides,
) -> Result<Vec<(Id, Option<GroupKind>)>, Unresolved> {
    if let Some(ids) = overrides
        .get(key)
        .or_else(|| overrides.get(&m.text))
        .or_else(|| overrides.get(&m.name))
    {
        return Ok(ids.iter().map(|id| (*id, None)).collect());
    }
    let unresolved = |reason: String, suggestions: Vec<Id>| Unresolved {
        role,
        mention: m.clone(),
        reason,
        suggestions,
        key: key.to_string(),
    };
    match resolver.resolve(m, scope, date) {
        Resolution::Unit { id } => Ok(vec![(id, None)]),
        Resolution::Group { kind, members } if !members.is_empty() => {
            Ok(members.into_iter().map(|id| (id, Some(kind))).collect())
        }
        r @ Resolution::Group { .. } => {
            Err(unresolved(r.note_vi().unwrap_or_default(), Vec::new()))
        }
        Resolution::Unresolved {
            reason,
            suggestions,
        } => Err(unresolved(reason, suggestions)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deadline::Deadline;
    use crate::draft::SourceSpan;
    use crate::testdata::{current_id_of, d, id_of, mention as agency, nghe_an};

    fn task(lead: &[&str], coordinating: &[&str]) -> TaskDraft {
        TaskDraft {
            reference: "PL.1".into(),
            content: "Nội dung".into(),
            lead: lead.iter().map(|t| agency(t)).collect(),
            coordinating: coordinating.iter().map(|t| agency(t)).collect(),
            deadline: Deadline::unspecified(""),
            deliverable: None,
            source: SourceSpan::default(),
            progress: None,
        }
    }

    #[test]
    fn group_lead_gives_each_member_its_assignment() {
        let reg = nghe_an();
        let r = Resolver::new(&reg.units, &reg.aliases);
        let p = id_of(&reg, "Tỉnh Nghệ An");
        let id = |n: &str| current_id_of(&reg, n);
        // Seed 000, PL.3: "Các Sở, ngành" lead, "Sở Nội vụ" coordinates.
        let e = expand_task(
            &task(
                &["Các Sở, ngành", "Sở Nội vụ."],
                &["Sở Nội vụ.", "Sở Tư pháp"],
            ),
            &r,
            Some(p),
            d(2025, 7, 25),
            &Overrides::new(),
        );
        assert_eq!(
            e.assignments.len(),
            14,
            "one per department, Sở Nội vụ once"
        );
        let noi_vu = e
            .assignments
            .iter()
            .find(|a| a.unit_id == id("Sở Nội vụ"))
            .unwrap();
        assert_eq!(noi_vu.via_group, None, "named directly as well");
        let tu_phap = e
            .assignments
            .iter()
            .find(|a| a.unit_id == id("Sở Tư pháp"))
            .unwrap();
        assert_eq!(tu_phap.via_group, Some(GroupKind::Departments));
        assert!(
            e.coordinating.is_empty(),
            "lead units are not also coordinating"
        );
        assert!(e.unresolved.is_empty());
    }

    #[test]
    fn multi_agency_cell_unspecified_groups_and_overrides() {
        let reg = nghe_an();
        let r = Resolver::new(&reg.units, &reg.aliases);
        let p = id_of(&reg, "Tỉnh Nghệ An");
        // Seed 000, PL.13: lead cell "- Sở Nội vụ;\n- UBND cấp xã." and "Các cơ quan, đơn vị.".
        let t = task(
            &["- Sở Nội vụ;\n- UBND cấp xã."],
            &["Các cơ quan, đơn vị.", "Bộ Nội vụ"],
        );
        let (assignments, unresolved) = expand_assignments(&t, &r, Some(p), d(2025, 7, 25));
        assert_eq!(assignments.len(), 131);
        assert!(unresolved.is_empty());
        let e = expand_task(&t, &r, Some(p), d(2025, 7, 25), &Overrides::new());
        let texts: Vec<&str> = e
            .unresolved
            .iter()
            .map(|u| u.mention.text.as_str())
            .collect();
        assert_eq!(texts, ["Các cơ quan, đơn vị.", "Bộ Nội vụ"]);
        assert!(e.unresolved[0].reason.contains("không xác định"));
        // The reviewer picks Sở Tư pháp for the vague mention.
        let tp = id_of(&reg, "Sở Tư pháp");
        let o = Overrides::from([("Các cơ quan, đơn vị.".to_string(), vec![tp])]);
        let e = expand_task(&t, &r, Some(p), d(2025, 7, 25), &o);
        assert_eq!(e.coordinating, [tp]);
        assert_eq!(e.unresolved.len(), 1);
    }

    #[test]
    fn unresolved_lead_is_reported_not_dropped() {
        let reg = nghe_an();
        let r = Resolver::new(&reg.units, &reg.aliases);
        let t = task(&["Ban Quản lý Khu kinh tế tỉnh"], &[]);
        let (a, u) = expand_assignments(&t, &r, None, d(2025, 3, 10));
        assert!(a.is_empty());
        assert_eq!(u.len(), 1);
        assert_eq!(u[0].role, MentionRole::Lead);
    }

    #[test]
    fn a_mention_decision_touches_only_that_mention() {
        let reg = nghe_an();
        let r = Resolver::new(&reg.units, &reg.aliases);
        let p = id_of(&reg, "Tỉnh Nghệ An");
        let tp = id_of(&reg, "Sở Tư pháp");
        let vague = "Các cơ quan, đơn vị.";
        // The same vague words lead and coordinate the same task.
        let t = task(&[vague], &["Sở Tư pháp", vague]);
        let e = expand_task(&t, &r, Some(p), d(2025, 7, 25), &Overrides::new());
        let keys: Vec<&str> = e.unresolved.iter().map(|u| u.key.as_str()).collect();
        let lead_key = mention_key("PL.1", MentionRole::Lead, 0, vague);
        let coord_key = mention_key("PL.1", MentionRole::Coordinating, 1, vague);
        assert_eq!(keys, [lead_key.as_str(), coord_key.as_str()]);
        // Ignoring the coordinating mention leaves the lead to resolve.
        let o = Overrides::from([(coord_key.clone(), vec![])]);
        let e = expand_task(&t, &r, Some(p), d(2025, 7, 25), &o);
        assert_eq!(e.unresolved.len(), 1);
        assert_eq!(e.unresolved[0].role, MentionRole::Lead);
        assert_eq!(e.coordinating, [tp]);
        // A decision for the text covers both, and a mention's own decision beats it.
        let o = Overrides::from([(vague.to_string(), vec![]), (lead_key, vec![tp])]);
        let e = expand_task(&t, &r, Some(p), d(2025, 7, 25), &o);
        assert!(e.unresolved.is_empty());
        assert_eq!(e.assignments.len(), 1);
        assert_eq!(e.assignments[0].unit_id, tp);
        assert!(e.coordinating.is_empty(), "the lead does not coordinate");
        // Another task with the same text is not touched by this task's decisions.
        let o = Overrides::from([(coord_key, vec![])]);
        let e = expand_task_keyed(&t, "PL.2", &r, Some(p), d(2025, 7, 25), &o);
        assert_eq!(e.unresolved.len(), 2);
    }

    #[test]
    fn task_keys_are_unique() {
        let mut a = task(&[], &[]);
        a.reference = "PL.4".into();
        let mut b = a.clone();
        b.reference = "PL.5".into();
        let keys = task_keys(&[a.clone(), b, a.clone(), a]);
        assert_eq!(keys, ["PL.4", "PL.5", "PL.4~2", "PL.4~3"]);
    }
}
