//! The lineage picture (sơ đồ sắp xếp): mergers, consolidations, splits and renames laid out
//! as a layered graph, one connected group of units at a time, so that a page can draw it.
//!
//! A unit sits in the column after every unit it came from (the longest chain of events
//! before it), so time reads left to right; within a column, units follow the average row of
//! the units they came from, so that lines cross as little as a simple rule allows. Units
//! that only appear in the same events are one group; a province's picture is its groups in
//! the order of their first event.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::NaiveDate;
use serde::Serialize;

use crate::event::{EventKind, RestructuringEvent};
use crate::model::Id;

/// A unit in the picture.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LineageNode {
    /// The unit.
    pub unit: Id,
    /// Its column (0: units that came from no unit of the group).
    pub layer: usize,
    /// Its row within the column.
    pub row: usize,
    /// The date it was dissolved, when an event of the group dissolved it.
    pub dissolved: Option<NaiveDate>,
}

/// A line from a unit to one that took over (all or part of) its work.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LineageEdge {
    /// Index of the unit it comes from in the group's nodes.
    pub from: usize,
    /// Index of the unit it goes to.
    pub to: usize,
    /// The event.
    pub event: Id,
    /// Its kind.
    pub kind: EventKind,
    /// Its effective date.
    pub effective: NaiveDate,
}

/// Units linked by events, laid out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LineageGroup {
    /// Its units.
    pub nodes: Vec<LineageNode>,
    /// Its lines.
    pub edges: Vec<LineageEdge>,
    /// Number of columns.
    pub layers: usize,
    /// Number of rows of the fullest column.
    pub rows: usize,
    /// The date of its first event.
    pub first: NaiveDate,
}

/// Lays out `events` (cancelled and scheduled ones already left out by the caller), keeping
/// only the group of `focus` when given. Events with no unit are ignored.
pub fn layout(events: &[RestructuringEvent], focus: Option<Id>) -> Vec<LineageGroup> {
    let mut events: Vec<&RestructuringEvent> = events
        .iter()
        .filter(|e| !e.predecessors.is_empty() || !e.successors.is_empty())
        .collect();
    events.sort_by_key(|e| (e.effective, e.id));
    let mut groups = UnionFind::default();
    for e in &events {
        let mut units = e.predecessors.iter().chain(&e.successors);
        if let Some(first) = units.next() {
            groups.add(*first);
            for u in units {
                groups.union(*first, *u);
            }
        }
    }
    let mut by_root: BTreeMap<Id, Vec<&RestructuringEvent>> = BTreeMap::new();
    for e in &events {
        let any = e.predecessors.first().or(e.successors.first());
        if let Some(u) = any {
            by_root.entry(groups.find(*u)).or_default().push(e);
        }
    }
    let wanted = focus.map(|f| groups.find(f));
    let mut out: Vec<LineageGroup> = by_root
        .into_iter()
        .filter(|(root, _)| wanted.is_none_or(|w| w == *root))
        .map(|(_, evs)| lay_group(&evs))
        .collect();
    out.sort_by_key(|g| (g.first, g.nodes.iter().map(|n| n.unit).min()));
    out
}

/// Lays out one group (its events in date order).
fn lay_group(events: &[&RestructuringEvent]) -> LineageGroup {
    // Units in order of first appearance: the initial order of every column.
    let mut order: Vec<Id> = Vec::new();
    let mut seen = BTreeSet::new();
    let mut dissolved = HashMap::new();
    let mut links: Vec<(Id, Id, &RestructuringEvent)> = Vec::new();
    for e in events {
        for u in e.predecessors.iter().chain(&e.successors) {
            if seen.insert(*u) {
                order.push(*u);
            }
        }
        if e.kind == EventKind::Dissolve {
            for p in &e.predecessors {
                dissolved.insert(*p, e.effective);
            }
        }
        for p in &e.predecessors {
            for s in &e.successors {
                if p != s {
                    links.push((*p, *s, e));
                }
            }
        }
    }
    let layer = layers(&order, &links);
    let columns = layer.values().copied().max().map_or(1, |m| m + 1);
    let mut cols: Vec<Vec<Id>> = vec![Vec::new(); columns];
    for u in &order {
        cols[layer[u]].push(*u);
    }
    // Barycentre: each column after the first follows the rows of the units it came from.
    for c in 1..columns {
        let rows: HashMap<Id, usize> = cols[c - 1]
            .iter()
            .enumerate()
            .map(|(i, u)| (*u, i))
            .collect();
        let mut keyed: Vec<(f64, usize, Id)> = cols[c]
            .iter()
            .enumerate()
            .map(|(i, u)| {
                let from: Vec<usize> = links
                    .iter()
                    .filter(|(_, s, _)| s == u)
                    .filter_map(|(p, _, _)| rows.get(p).copied())
                    .collect();
                let key = if from.is_empty() {
                    i as f64
                } else {
                    from.iter().sum::<usize>() as f64 / from.len() as f64
                };
                (key, i, *u)
            })
            .collect();
        keyed.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        cols[c] = keyed.into_iter().map(|(_, _, u)| u).collect();
    }
    let mut nodes = Vec::new();
    let mut index = HashMap::new();
    for (l, col) in cols.iter().enumerate() {
        for (r, u) in col.iter().enumerate() {
            index.insert(*u, nodes.len());
            nodes.push(LineageNode {
                unit: *u,
                layer: l,
                row: r,
                dissolved: dissolved.get(u).copied(),
            });
        }
    }
    let edges = links
        .iter()
        .map(|(p, s, e)| LineageEdge {
            from: index[p],
            to: index[s],
            event: e.id,
            kind: e.kind,
            effective: e.effective,
        })
        .collect();
    LineageGroup {
        rows: cols.iter().map(Vec::len).max().unwrap_or(0),
        layers: columns,
        nodes,
        edges,
        first: events.first().map_or(NaiveDate::MIN, |e| e.effective),
    }
}

/// Each unit's column: one after the furthest unit it came from. Links that would close a
/// circle (a register error, or a unit renamed back) are dropped so every unit gets a column.
fn layers(order: &[Id], links: &[(Id, Id, &RestructuringEvent)]) -> HashMap<Id, usize> {
    let mut incoming: HashMap<Id, usize> = order.iter().map(|u| (*u, 0)).collect();
    let mut out: HashMap<Id, Vec<Id>> = HashMap::new();
    for (p, s, _) in links {
        *incoming.entry(*s).or_default() += 1;
        out.entry(*p).or_default().push(*s);
    }
    let mut layer: HashMap<Id, usize> = HashMap::new();
    let mut ready: Vec<Id> = order
        .iter()
        .filter(|u| incoming[*u] == 0)
        .copied()
        .collect();
    let mut done = BTreeSet::new();
    loop {
        while let Some(u) = ready.pop() {
            if !done.insert(u) {
                continue;
            }
            let l = *layer.entry(u).or_insert(0);
            for s in out.get(&u).map(Vec::as_slice).unwrap_or_default() {
                let e = layer.entry(*s).or_insert(0);
                *e = (*e).max(l + 1);
                // A unit released from a circle has no count left to lower.
                if let Some(n) = incoming.get_mut(s).filter(|n| **n > 0) {
                    *n -= 1;
                    if *n == 0 {
                        ready.push(*s);
                    }
                }
            }
        }
        // A circle: release its first unit (in order of appearance) and go on.
        match order.iter().find(|u| !done.contains(*u)) {
            Some(u) => {
                incoming.insert(*u, 0);
                ready.push(*u);
            }
            None => break,
        }
    }
    layer
}

#[derive(Default)]
struct UnionFind {
    parent: HashMap<Id, Id>,
}

impl UnionFind {
    fn add(&mut self, u: Id) {
        self.parent.entry(u).or_insert(u);
    }

    fn find(&mut self, u: Id) -> Id {
        self.add(u);
        let mut root = u;
        while self.parent[&root] != root {
            root = self.parent[&root];
        }
        let mut cur = u;
        while self.parent[&cur] != root {
            let next = self.parent[&cur];
            self.parent.insert(cur, root);
            cur = next;
        }
        root
    }

    fn union(&mut self, a: Id, b: Id) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            // The smaller id as root: groups keep the same root whatever the event order.
            let (keep, other) = if ra < rb { (ra, rb) } else { (rb, ra) };
            self.parent.insert(other, keep);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn ev(id: Id, kind: EventKind, from: &[Id], to: &[Id], on: NaiveDate) -> RestructuringEvent {
        RestructuringEvent {
            id,
            kind,
            predecessors: from.to_vec(),
            successors: to.to_vec(),
            decision: None,
            effective: on,
            allocation: Vec::new(),
        }
    }

    #[test]
    fn a_merge_then_a_consolidation_reads_left_to_right() {
        // Sở A and Sở B merge into Sở C on 1/3/2025; Sở C and Sở D form Sở E on 1/7/2025;
        // Xã X and Xã Y, unrelated, form Xã Z on 1/7/2025.
        let events = [
            ev(1, EventKind::Merge, &[1, 2], &[3], d(2025, 3, 1)),
            ev(2, EventKind::Consolidate, &[3, 4], &[5], d(2025, 7, 1)),
            ev(3, EventKind::Consolidate, &[10, 11], &[12], d(2025, 7, 1)),
        ];
        let groups = layout(&events, None);
        assert_eq!(groups.len(), 2);
        let g = &groups[0];
        let at = |u: Id| {
            g.nodes
                .iter()
                .find(|n| n.unit == u)
                .map(|n| (n.layer, n.row))
        };
        assert_eq!(at(1), Some((0, 0)));
        assert_eq!(at(2), Some((0, 1)));
        assert_eq!(at(4), Some((0, 2)));
        assert_eq!(at(3), Some((1, 0)));
        assert_eq!(at(5), Some((2, 0)));
        assert_eq!((g.layers, g.rows, g.first), (3, 3, d(2025, 3, 1)));
        assert_eq!(g.edges.len(), 4);
        assert_eq!(groups[1].first, d(2025, 7, 1));
        assert_eq!(layout(&events, Some(11)), vec![groups[1].clone()]);
    }

    #[test]
    fn a_split_and_a_dissolution_are_drawn() {
        let events = [
            ev(1, EventKind::Split, &[1], &[2, 3], d(2025, 3, 1)),
            ev(2, EventKind::Dissolve, &[3], &[], d(2025, 9, 1)),
        ];
        let g = &layout(&events, Some(2))[0];
        assert_eq!((g.layers, g.rows), (2, 2));
        let three = g.nodes.iter().find(|n| n.unit == 3).unwrap();
        assert_eq!(three.dissolved, Some(d(2025, 9, 1)));
        assert_eq!(g.edges.len(), 2);
    }

    #[test]
    fn a_circle_in_the_register_still_gives_every_unit_a_column() {
        let events = [
            ev(1, EventKind::Rename, &[1], &[2], d(2025, 3, 1)),
            ev(2, EventKind::Rename, &[2], &[1], d(2025, 4, 1)),
        ];
        let g = &layout(&events, None)[0];
        assert_eq!(g.nodes.len(), 2);
    }

    fn arb_events() -> impl Strategy<Value = Vec<RestructuringEvent>> {
        prop::collection::vec(
            (
                0usize..6,
                prop::collection::vec(1i64..25, 0..4),
                prop::collection::vec(1i64..25, 0..3),
                0i64..400,
            ),
            0..25,
        )
        .prop_map(|raw| {
            raw.into_iter()
                .enumerate()
                .map(|(i, (k, from, to, day))| {
                    ev(
                        i as Id + 1,
                        EventKind::ALL[k],
                        &from,
                        &to,
                        d(2025, 1, 1) + chrono::Days::new(day as u64),
                    )
                })
                .collect()
        })
    }

    proptest! {
        #[test]
        fn every_unit_once_every_cell_once_and_lines_go_forward(events in arb_events()) {
            let groups = layout(&events, None);
            let mut units = BTreeSet::new();
            for g in &groups {
                let mut cells = BTreeSet::new();
                for n in &g.nodes {
                    prop_assert!(units.insert(n.unit), "unit {} twice", n.unit);
                    prop_assert!(cells.insert((n.layer, n.row)));
                    prop_assert!(n.layer < g.layers && n.row < g.rows);
                }
                for e in &g.edges {
                    prop_assert!(e.from < g.nodes.len() && e.to < g.nodes.len());
                }
            }
            let named: BTreeSet<Id> = events.iter().flat_map(|e| e.predecessors.iter().chain(&e.successors)).copied().collect();
            prop_assert_eq!(units, named);
            // Without circles every line goes to a later column.
            if !has_circle(&events) {
                for g in &groups {
                    for e in &g.edges {
                        prop_assert!(g.nodes[e.from].layer < g.nodes[e.to].layer);
                    }
                }
            }
        }
    }

    /// Whether the events' links close a circle.
    fn has_circle(events: &[RestructuringEvent]) -> bool {
        let mut out: HashMap<Id, Vec<Id>> = HashMap::new();
        for e in events {
            for p in &e.predecessors {
                for s in &e.successors {
                    if p != s {
                        out.entry(*p).or_default().push(*s);
                    }
                }
            }
        }
        fn reach(from: Id, to: Id, out: &HashMap<Id, Vec<Id>>, seen: &mut BTreeSet<Id>) -> bool {
            out.get(&from).is_some_and(|next| {
                next.iter()
                    .any(|n| *n == to || (seen.insert(*n) && reach(*n, to, out, seen)))
            })
        }
        out.keys()
            .any(|u| reach(*u, *u, &out, &mut BTreeSet::new()))
    }
}
