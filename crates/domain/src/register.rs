//! The register over time: which units exist on a day, and where a unit's work went.
//!
//! Everything works on in-memory slices; the store loads the rows and calls these.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;

use crate::assignment::Assignment;
use crate::error::DomainError;
use crate::event::{EventKind, Reroute, RestructuringEvent};
use crate::model::Id;
use crate::unit::Unit;

/// The units that exist on `date` (`valid_from ≤ date < valid_to`).
pub fn units_as_of(units: &[Unit], date: NaiveDate) -> Vec<&Unit> {
    units.iter().filter(|u| u.is_valid_on(date)).collect()
}

/// The predecessors of `event` that cease to exist with it.
///
/// A unit listed on both sides (a merge into an existing unit, a transfer under a new parent)
/// carries on; a transfer never ends its unit since only functions or the parent move.
pub fn ceasing(event: &RestructuringEvent) -> Vec<Id> {
    if event.kind == EventKind::Transfer {
        return Vec::new();
    }
    event
        .predecessors
        .iter()
        .copied()
        .filter(|p| !event.successors.contains(p))
        .collect()
}

/// The units that carry on `unit_id`'s work on `date`, following chains of events
/// (merge A→B then B→C gives C; a split gives several; a dissolution gives none).
/// A unit untouched by events up to `date` is its own successor.
pub fn successors(unit_id: Id, date: NaiveDate, events: &[RestructuringEvent]) -> Vec<Id> {
    let mut out = Vec::new();
    let mut seen = BTreeSet::new();
    walk_forward(unit_id, None, date, events, &mut seen, &mut out);
    out
}

/// Follows `unit`'s first ceasing event after `since` (up to `date`) to its successors.
fn walk_forward(
    unit: Id,
    since: Option<NaiveDate>,
    date: NaiveDate,
    events: &[RestructuringEvent],
    seen: &mut BTreeSet<Id>,
    out: &mut Vec<Id>,
) {
    // A cycle in bad data must not loop forever; a unit is visited once.
    if !seen.insert(unit) {
        return;
    }
    let ends: Vec<&RestructuringEvent> = events
        .iter()
        .filter(|e| e.effective <= date && since.is_none_or(|s| e.effective >= s))
        .filter(|e| ceasing(e).contains(&unit))
        .collect();
    let Some(first) = ends.iter().map(|e| e.effective).min() else {
        if !out.contains(&unit) {
            out.push(unit);
        }
        return;
    };
    // Several events on the same day (a split written as separate rows) all count.
    for e in ends.iter().filter(|e| e.effective == first) {
        for s in &e.successors {
            walk_forward(*s, Some(first), date, events, seen, out);
        }
    }
}

/// Every unit whose work flowed into `unit_id` by `date`, nearest first (the whole lineage,
/// not only the oldest ancestors).
pub fn predecessors(unit_id: Id, date: NaiveDate, events: &[RestructuringEvent]) -> Vec<Id> {
    let mut out = Vec::new();
    let mut seen = BTreeSet::from([unit_id]);
    let mut frontier = vec![(unit_id, date)];
    while let Some((unit, before)) = frontier.pop() {
        let mut feeding: Vec<&RestructuringEvent> = events
            .iter()
            .filter(|e| e.effective <= before && e.successors.contains(&unit))
            .collect();
        feeding.sort_by_key(|e| std::cmp::Reverse(e.effective));
        for e in feeding {
            for p in &e.predecessors {
                if seen.insert(*p) {
                    out.push(*p);
                    frontier.push((*p, e.effective));
                }
            }
        }
    }
    out
}

/// True when putting `unit` under `new_parent` would make it its own ancestor (the new parent
/// is the unit itself or lies under it). A parent chain that loops in bad data counts too.
pub fn parent_cycle(units: &[Unit], unit: Id, new_parent: Id) -> bool {
    let mut cur = Some(new_parent);
    let mut steps = 0;
    while let Some(c) = cur {
        if c == unit || steps > units.len() {
            return true;
        }
        steps += 1;
        cur = units.iter().find(|u| u.id == c).and_then(|u| u.parent_id);
    }
    false
}

/// The monitor's choices of a successor when an event has several (or none, for a dissolution).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SuccessorChoices {
    /// Choice for one assignment.
    pub by_assignment: BTreeMap<Id, Id>,
    /// Choice for every assignment of a ceasing unit (used when no per-assignment choice).
    pub by_unit: BTreeMap<Id, Id>,
}

/// Where the open assignments of the units that cease with `event` go.
///
/// One successor: all go there. Several: the monitor's choice is required and must be one of
/// them. None (dissolution): the monitor's choice is required and may be any unit.
pub fn apply_event(
    event: &RestructuringEvent,
    open_assignments: &[Assignment],
    choices: &SuccessorChoices,
) -> Result<Vec<Reroute>, DomainError> {
    let gone = ceasing(event);
    let candidates: Vec<Id> = event
        .successors
        .iter()
        .copied()
        .filter(|s| !gone.contains(s))
        .collect();
    let mut out = Vec::new();
    for a in open_assignments
        .iter()
        .filter(|a| a.status.is_open() && gone.contains(&a.unit_id))
    {
        let chosen = choices
            .by_assignment
            .get(&a.id)
            .or_else(|| choices.by_unit.get(&a.unit_id))
            .copied();
        let to = match (candidates.as_slice(), chosen) {
            ([only], None) => *only,
            (_, Some(c)) if candidates.is_empty() || candidates.contains(&c) => c,
            (_, Some(c)) => return Err(DomainError::SuccessorNotInEvent { chosen: c }),
            (_, None) => {
                return Err(DomainError::SuccessorChoiceMissing {
                    assignment_id: a.id,
                    from_unit: a.unit_id,
                    candidates,
                })
            }
        };
        out.push(Reroute {
            assignment_id: a.id,
            from_unit: a.unit_id,
            to_unit: to,
        });
    }
    Ok(out)
}

/// Checks an event against the register: its predecessors exist the day before it takes
/// effect, its successors exist on that day, and its shape fits its kind.
pub fn validate_event(event: &RestructuringEvent, units: &[Unit]) -> Result<(), DomainError> {
    let shape = match event.kind {
        _ if event.predecessors.is_empty() => Some("không có đơn vị trước sắp xếp"),
        EventKind::Dissolve => None,
        _ if event.successors.is_empty() => Some("không có đơn vị sau sắp xếp"),
        EventKind::Split if event.successors.len() < 2 => {
            Some("chia tách phải có ít nhất hai đơn vị sau sắp xếp")
        }
        _ => None,
    };
    if let Some(msg) = shape {
        return Err(DomainError::InvalidEvent(msg.to_string()));
    }
    let day_before = event.effective.pred_opt().unwrap_or(event.effective);
    let check = |id: Id, day: NaiveDate| -> Result<(), DomainError> {
        let unit = units.iter().find(|u| u.id == id);
        if unit.is_some_and(|u| u.is_valid_on(day)) {
            return Ok(());
        }
        Err(DomainError::UnitNotValid {
            id,
            name: unit.map_or_else(|| format!("#{id}"), |u| u.name.clone()),
            date: day.format("%d/%m/%Y").to_string(),
        })
    };
    for p in &event.predecessors {
        check(*p, day_before)?;
    }
    for s in &event.successors {
        check(*s, event.effective)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};

    use super::*;
    use crate::assignment::Status;
    use crate::unit::{Level, UnitKind};

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn unit(id: Id, from: Option<NaiveDate>, to: Option<NaiveDate>) -> Unit {
        Unit {
            id,
            code: None,
            name: format!("Đơn vị {id}"),
            kind: UnitKind::Commune,
            level: Level::Commune,
            parent_id: None,
            valid_from: from,
            valid_to: to,
        }
    }

    fn event(id: Id, kind: EventKind, p: &[Id], s: &[Id], on: NaiveDate) -> RestructuringEvent {
        RestructuringEvent {
            allocation: Vec::new(),
            id,
            kind,
            predecessors: p.to_vec(),
            successors: s.to_vec(),
            decision: None,
            effective: on,
        }
    }

    fn assignment(id: Id, unit_id: Id, status: Status) -> Assignment {
        Assignment {
            id,
            task_id: 1,
            unit_id,
            via_group: None,
            due: None,
            status,
            created_at: Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap(),
        }
    }

    #[test]
    fn as_of_across_the_reform() {
        let units = [
            unit(1, None, Some(d(2025, 7, 1))),
            unit(2, None, Some(d(2025, 7, 1))),
            unit(3, Some(d(2025, 7, 1)), None),
            unit(4, None, None),
        ];
        let ids = |date| {
            units_as_of(&units, date)
                .iter()
                .map(|u| u.id)
                .collect::<Vec<_>>()
        };
        assert_eq!(ids(d(2025, 6, 30)), vec![1, 2, 4]);
        assert_eq!(ids(d(2025, 7, 1)), vec![3, 4]);
    }

    #[test]
    fn lineage_through_two_chained_merges() {
        let events = [
            event(1, EventKind::Consolidate, &[1, 2], &[3], d(2025, 3, 1)),
            event(2, EventKind::Merge, &[3, 4], &[4], d(2025, 7, 1)),
        ];
        assert_eq!(successors(1, d(2025, 2, 28), &events), vec![1]);
        assert_eq!(successors(1, d(2025, 3, 1), &events), vec![3]);
        assert_eq!(successors(1, d(2025, 7, 1), &events), vec![4]);
        assert_eq!(
            successors(4, d(2025, 7, 1), &events),
            vec![4],
            "absorbing unit carries on"
        );
        assert_eq!(predecessors(4, d(2025, 7, 1), &events), vec![3, 1, 2]);
        assert_eq!(predecessors(4, d(2025, 6, 30), &events), Vec::<Id>::new());
        assert_eq!(predecessors(3, d(2025, 12, 31), &events), vec![1, 2]);
    }

    #[test]
    fn split_gives_several_and_dissolve_none() {
        let events = [
            event(1, EventKind::Split, &[1], &[2, 3], d(2025, 3, 1)),
            event(2, EventKind::Dissolve, &[3], &[], d(2025, 9, 1)),
        ];
        assert_eq!(successors(1, d(2025, 5, 1), &events), vec![2, 3]);
        assert_eq!(successors(1, d(2025, 9, 1), &events), vec![2]);
        assert_eq!(successors(3, d(2025, 9, 1), &events), Vec::<Id>::new());
    }

    #[test]
    fn cycles_in_bad_data_terminate() {
        let events = [
            event(1, EventKind::Rename, &[1], &[2], d(2025, 3, 1)),
            event(2, EventKind::Rename, &[2], &[1], d(2025, 3, 1)),
        ];
        assert!(successors(1, d(2025, 4, 1), &events).len() <= 2);
        assert_eq!(predecessors(1, d(2025, 4, 1), &events), vec![2]);
    }

    #[test]
    fn rerouting_on_merge_and_dissolve() {
        let merge = event(1, EventKind::Merge, &[1, 2], &[2], d(2025, 7, 1));
        let open = [
            assignment(10, 1, Status::InProgress),
            assignment(11, 1, Status::Done),
            assignment(12, 2, Status::NotStarted),
            assignment(13, 1, Status::Returned),
        ];
        let r = apply_event(&merge, &open, &SuccessorChoices::default()).unwrap();
        assert_eq!(
            r,
            vec![
                Reroute {
                    assignment_id: 10,
                    from_unit: 1,
                    to_unit: 2
                },
                Reroute {
                    assignment_id: 13,
                    from_unit: 1,
                    to_unit: 2
                },
            ]
        );

        let dissolve = event(2, EventKind::Dissolve, &[1], &[], d(2025, 7, 1));
        let err = apply_event(&dissolve, &open, &SuccessorChoices::default()).unwrap_err();
        assert!(matches!(
            err,
            DomainError::SuccessorChoiceMissing {
                assignment_id: 10,
                ..
            }
        ));
        let choices = SuccessorChoices {
            by_unit: BTreeMap::from([(1, 7)]),
            ..Default::default()
        };
        let r = apply_event(&dissolve, &open, &choices).unwrap();
        assert!(r.iter().all(|x| x.to_unit == 7 && x.from_unit == 1));
        assert_eq!(r.len(), 2);
    }

    #[test]
    fn split_needs_a_choice_among_its_successors() {
        let split = event(1, EventKind::Split, &[1], &[2, 3], d(2025, 7, 1));
        let open = [
            assignment(10, 1, Status::InProgress),
            assignment(11, 1, Status::NotStarted),
        ];
        let err = apply_event(&split, &open, &SuccessorChoices::default()).unwrap_err();
        assert!(
            err.to_string().contains("cần chọn đơn vị tiếp nhận"),
            "{err}"
        );
        let mut c = SuccessorChoices::default();
        c.by_assignment.insert(10, 3);
        c.by_unit.insert(1, 2);
        let r = apply_event(&split, &open, &c).unwrap();
        assert_eq!((r[0].to_unit, r[1].to_unit), (3, 2));
        c.by_assignment.insert(11, 9);
        assert_eq!(
            apply_event(&split, &open, &c).unwrap_err(),
            DomainError::SuccessorNotInEvent { chosen: 9 }
        );
    }

    #[test]
    fn a_unit_cannot_move_under_its_own_descendant() {
        let mut units = vec![
            unit(1, None, None),
            unit(2, None, None),
            unit(3, None, None),
        ];
        units[1].parent_id = Some(1);
        units[2].parent_id = Some(2);
        assert!(parent_cycle(&units, 1, 3), "3 lies under 2 under 1");
        assert!(parent_cycle(&units, 1, 1));
        assert!(!parent_cycle(&units, 3, 1));
        assert!(!parent_cycle(&units, 2, 1));
    }

    #[test]
    fn event_validation_names_the_missing_predecessor() {
        let units = [
            unit(1, None, Some(d(2025, 7, 1))),
            unit(2, Some(d(2025, 8, 1)), None),
            unit(3, Some(d(2025, 7, 1)), None),
        ];
        let ok = event(1, EventKind::Consolidate, &[1], &[3], d(2025, 7, 1));
        assert_eq!(validate_event(&ok, &units), Ok(()));
        let bad = event(2, EventKind::Consolidate, &[1, 2], &[3], d(2025, 7, 1));
        let err = validate_event(&bad, &units).unwrap_err();
        assert_eq!(
            err.to_string(),
            "đơn vị \"Đơn vị 2\" không tồn tại vào ngày 30/06/2025"
        );
        let split = event(3, EventKind::Split, &[1], &[3], d(2025, 7, 1));
        assert!(matches!(
            validate_event(&split, &units),
            Err(DomainError::InvalidEvent(_))
        ));
    }
}
