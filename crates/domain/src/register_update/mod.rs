//! A newer register file of a province compared with the register in force: the units it
//! adds, renames, moves under another parent or no longer lists (closed), and the mergers it
//! records that the register does not have yet. Pure: the caller reads the file into rows
//! and loads the register; this finds the differences and checks a chosen subset of them.
//!
//! Units are matched by their official code, else by their folded name or one of their
//! aliases. A renaming is only seen through the code: without one, a renamed unit reads as a
//! new unit and a closed one, which the monitor sees side by side in the review.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use tinhgon_textkit::search_key;

use crate::import::{parse_register_date, MergerRow, UnitRow};
use crate::model::Id;
use crate::unit::{Level, Unit, UnitAlias, UnitKind};

/// The rows of a register file: its units and, when it has them, its mergers.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UpdateFile {
    /// What the errors call the file or sheet ("units.csv", "trang Đơn vị").
    pub source: String,
    /// The units (the columns of `units.csv`).
    pub units: Vec<UnitRow>,
    /// What the errors call the mergers' sheet.
    #[serde(default)]
    pub mergers_source: String,
    /// The mergers (the columns of `mergers.csv`).
    #[serde(default)]
    pub mergers: Vec<MergerRow>,
}

/// A unit a change points at: one of the register, or one the same update adds (by the key
/// of its [`ChangeKind::Add`]).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Target {
    /// A unit of the register.
    Unit(Id),
    /// A unit the update adds.
    Added(String),
}

/// What a difference changes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ChangeKind {
    /// A unit the register does not have.
    Add {
        /// Name.
        name: String,
        /// Official code.
        code: Option<String>,
        /// Kind.
        kind: UnitKind,
        /// Parent.
        parent: Target,
    },
    /// A unit whose name changed (matched by its code): a rename event.
    Rename {
        /// The unit under its old name.
        unit: Id,
        /// New name.
        name: String,
    },
    /// A unit under another parent.
    Move {
        /// The unit.
        unit: Id,
        /// New parent.
        parent: Target,
    },
    /// A unit in force the file no longer lists.
    Close {
        /// The unit.
        unit: Id,
    },
    /// Units merged into one (an existing unit, or one the update adds: a consolidation).
    Merge {
        /// Units that cease.
        predecessors: Vec<Id>,
        /// The unit they go into.
        successor: Target,
        /// Deciding document as the file cites it.
        decision: Option<String>,
    },
}

/// One difference between the file and the register in force.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    /// Stable key, the same for the same file and register (the review's checkbox).
    pub key: String,
    /// The day it takes effect.
    pub effective: NaiveDate,
    /// Line of the file it comes from (0: a unit the file no longer lists).
    pub line: usize,
    /// What it changes.
    pub kind: ChangeKind,
}

/// The differences, in the order they are applied: additions (parents first), moves,
/// renamings, mergers, closures.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diff {
    /// The differences.
    pub changes: Vec<Change>,
    /// Rows skipped, with why (a merger without a date, one already recorded is not listed).
    pub warnings: Vec<String>,
}

/// The register in force of the province the file is for.
#[derive(Debug, Clone, Copy)]
pub struct Current<'a> {
    /// The province's unit.
    pub province: &'a Unit,
    /// Every unit of the province, past and present.
    pub units: &'a [Unit],
    /// Their aliases.
    pub aliases: &'a [UnitAlias],
}

struct Ctx<'a> {
    cur: Current<'a>,
    day: NaiveDate,
    errors: Vec<String>,
}

impl Ctx<'_> {
    fn err(&mut self, source: &str, line: usize, message: impl Into<String>) {
        self.errors
            .push(format!("{source}, dòng {line}: {}", message.into()));
    }

    fn open(&self) -> impl Iterator<Item = &Unit> {
        let day = self.day;
        // Shortened to the borrow of `self`, so the iterator names no other lifetime.
        let units: &[Unit] = self.cur.units;
        units
            .iter()
            .filter(move |u| u.valid_to.is_none_or(|t| t > day))
    }

    /// The unit in force a row names: by code, else by folded name, else by alias.
    fn find(&self, code: &str, name: &str) -> Option<(Id, bool)> {
        if !code.is_empty() {
            if let Some(u) = self.open().find(|u| u.code.as_deref() == Some(code)) {
                return Some((u.id, true));
            }
        }
        let key = search_key(name);
        if let Some(u) = self.open().find(|u| search_key(&u.name) == key) {
            return Some((u.id, false));
        }
        self.cur
            .aliases
            .iter()
            .filter(|a| search_key(&a.alias) == key)
            .find_map(|a| self.open().find(|u| u.id == a.unit_id))
            .map(|u| (u.id, false))
    }

    fn unit(&self, id: Id) -> Option<&Unit> {
        self.cur.units.iter().find(|u| u.id == id)
    }
}

/// Compares `file` with `cur` as of `day` (the update's effective date, used for the changes
/// whose row gives no date). Every problem is returned, each naming its row.
pub fn diff(cur: Current<'_>, file: &UpdateFile, day: NaiveDate) -> Result<Diff, Vec<String>> {
    let mut cx = Ctx {
        cur,
        day,
        errors: Vec::new(),
    };
    let src = file.source.as_str();
    // Pass 1: rows checked, names indexed.
    let mut by_name: HashMap<String, usize> = HashMap::new();
    let mut codes: HashMap<String, usize> = HashMap::new();
    let mut kinds: Vec<Option<UnitKind>> = Vec::new();
    let mut dates: Vec<Option<NaiveDate>> = Vec::new();
    for (i, r) in file.units.iter().enumerate() {
        let (name, code) = (r.name.trim(), r.code.trim());
        kinds.push(None);
        dates.push(None);
        if name.is_empty() {
            cx.err(src, r.line, "thiếu tên đơn vị");
            continue;
        }
        if let Some(&j) = by_name.get(&search_key(name)) {
            let first = file.units[j].line;
            cx.err(
                src,
                r.line,
                format!("tên \"{name}\" trùng với dòng {first}"),
            );
            continue;
        }
        by_name.insert(search_key(name), i);
        if !code.is_empty() {
            if let Some(&j) = codes.get(code) {
                let first = file.units[j].line;
                cx.err(src, r.line, format!("mã \"{code}\" trùng với dòng {first}"));
            }
            codes.insert(code.to_string(), i);
        }
        if Level::from_register(&r.level).is_none() {
            let m = format!("cấp \"{}\" không được hỗ trợ", r.level.trim());
            cx.err(src, r.line, m);
        }
        kinds[i] = match r.level.trim() {
            "department" => Some(UnitKind::Department),
            _ => UnitKind::from_register(&r.kind),
        };
        if kinds[i].is_none() {
            let m = format!("loại \"{}\" không được hỗ trợ", r.kind.trim());
            cx.err(src, r.line, m);
        }
        match parse_register_date(&r.effective_from) {
            Ok(d) => dates[i] = d,
            Err(m) => cx.err(src, r.line, m),
        }
    }
    // The root: exactly one row without a parent, the province itself.
    let roots: Vec<usize> = (0..file.units.len())
        .filter(|&i| {
            file.units[i].parent.trim().is_empty() && !file.units[i].name.trim().is_empty()
        })
        .collect();
    let province = cur.province;
    match roots.as_slice() {
        [i] => {
            let r = &file.units[*i];
            let same_code =
                !r.code.trim().is_empty() && province.code.as_deref() == Some(r.code.trim());
            if !same_code && search_key(&r.name) != search_key(&province.name) {
                let m = format!(
                    "tệp là danh mục của \"{}\", không phải của {}",
                    r.name.trim(),
                    province.name
                );
                cx.err(src, r.line, m);
            }
        }
        [] => cx.err(src, 2, "thiếu dòng của tỉnh (dòng không có đơn vị cha)"),
        [_, second, ..] => {
            let line = file.units[*second].line;
            let m = "chỉ một dòng được để trống đơn vị cha (dòng của tỉnh); các đơn vị khác phải ghi đơn vị cha";
            cx.err(src, line, m);
        }
    }
    let parent_of =
        |i: usize| -> Option<usize> { by_name.get(&search_key(&file.units[i].parent)).copied() };
    for (i, r) in file.units.iter().enumerate() {
        let parent = r.parent.trim();
        if !parent.is_empty() && parent_of(i).is_none() && !r.name.trim().is_empty() {
            let m = format!(
                "không tìm thấy đơn vị cha \"{parent}\" của \"{}\" trong tệp",
                r.name.trim()
            );
            cx.err(src, r.line, m);
        }
    }
    // A cycle of parents in the file.
    let mut reported: HashSet<usize> = HashSet::new();
    for i in 0..file.units.len() {
        let mut path = vec![i];
        let mut cur_i = i;
        while let Some(p) = parent_of(cur_i) {
            if p == i {
                if !path.iter().any(|x| reported.contains(x)) {
                    reported.extend(path.iter().copied());
                    let names: Vec<&str> = path
                        .iter()
                        .chain([&i])
                        .map(|&k| file.units[k].name.trim())
                        .collect();
                    let m = format!("vòng lặp đơn vị cha: {}", names.join(" → "));
                    cx.err(src, file.units[i].line, m);
                }
                break;
            }
            if path.contains(&p) {
                break;
            }
            path.push(p);
            cur_i = p;
        }
    }
    if !cx.errors.is_empty() {
        return Err(cx.errors);
    }
    // Pass 2: each row matched to a unit in force, or added.
    let root = roots[0];
    let mut matched: Vec<Option<(Id, bool)>> = vec![None; file.units.len()];
    matched[root] = Some((province.id, true));
    let mut taken: HashMap<Id, usize> = HashMap::from([(province.id, file.units[root].line)]);
    for (i, r) in file.units.iter().enumerate() {
        if i == root {
            continue;
        }
        if let Some((id, by_code)) = cx.find(r.code.trim(), r.name.trim()) {
            if let Some(first) = taken.insert(id, r.line) {
                let name = cx.unit(id).map(|u| u.name.clone()).unwrap_or_default();
                let m = format!("dòng {first} và dòng này cùng chỉ đơn vị \"{name}\"");
                cx.err(src, r.line, m);
            }
            matched[i] = Some((id, by_code));
        }
    }
    let add_key = |i: usize| format!("add:{}", search_key(&file.units[i].name));
    let target = |i: usize, matched: &[Option<(Id, bool)>]| match matched[i] {
        Some((id, _)) => Target::Unit(id),
        None => Target::Added(add_key(i)),
    };
    let mut adds = Vec::new();
    let mut moves = Vec::new();
    let mut renames = Vec::new();
    for (i, r) in file.units.iter().enumerate() {
        if i == root {
            continue;
        }
        let Some(p) = parent_of(i) else { continue };
        let parent = target(p, &matched);
        match matched[i] {
            None => {
                let effective = dates[i].unwrap_or(day);
                if let Target::Unit(pid) = &parent {
                    if let Some(pu) = cx.unit(*pid).filter(|pu| !pu.is_valid_on(effective)) {
                        let m = format!(
                            "đơn vị cha \"{}\" không hoạt động vào ngày {}",
                            pu.name,
                            effective.format("%d/%m/%Y")
                        );
                        cx.err(src, r.line, m);
                    }
                }
                adds.push((
                    i,
                    Change {
                        key: add_key(i),
                        effective,
                        line: r.line,
                        kind: ChangeKind::Add {
                            name: r.name.trim().to_string(),
                            code: Some(r.code.trim().to_string()).filter(|c| !c.is_empty()),
                            kind: kinds[i].unwrap_or(UnitKind::Other),
                            parent,
                        },
                    },
                ));
            }
            Some((id, by_code)) => {
                let Some(u) = cx.unit(id) else { continue };
                if u.parent_id.map(Target::Unit) != Some(parent.clone()) {
                    moves.push(Change {
                        key: format!("move:{id}"),
                        effective: day,
                        line: r.line,
                        kind: ChangeKind::Move { unit: id, parent },
                    });
                }
                if by_code && search_key(&u.name) != search_key(&r.name) {
                    // The row's date is the new name's first day when it is later than the
                    // unit's own; otherwise it is the unit's founding, and the update's day counts.
                    let effective = dates[i]
                        .filter(|d| u.valid_from.is_none_or(|f| *d > f))
                        .unwrap_or(day);
                    renames.push(Change {
                        key: format!("rename:{id}"),
                        effective,
                        line: r.line,
                        kind: ChangeKind::Rename {
                            unit: id,
                            name: r.name.trim().to_string(),
                        },
                    });
                }
            }
        }
    }
    // Additions whose parent is added too come after it.
    let mut ordered: Vec<Change> = Vec::new();
    let mut placed: HashSet<String> = HashSet::new();
    while !adds.is_empty() {
        let before = adds.len();
        adds.retain(|(_, c)| {
            let ready = match &c.kind {
                ChangeKind::Add {
                    parent: Target::Added(k),
                    ..
                } => placed.contains(k),
                _ => true,
            };
            if ready {
                placed.insert(c.key.clone());
                ordered.push(c.clone());
            }
            !ready
        });
        if adds.len() == before {
            break; // unreachable: cycles were refused above
        }
    }
    let mut warnings = Vec::new();
    let merges = mergers(&mut cx, file, &by_name, &matched, &mut warnings);
    let ceasing: HashSet<Id> = merges
        .iter()
        .flat_map(|c| match &c.kind {
            ChangeKind::Merge { predecessors, .. } => predecessors.clone(),
            _ => Vec::new(),
        })
        .collect();
    let mut closes: Vec<&Unit> = cx
        .cur
        .units
        .iter()
        .filter(|u| u.valid_to.is_none() && u.id != province.id)
        .filter(|u| !taken.contains_key(&u.id) && !ceasing.contains(&u.id))
        .collect();
    closes.sort_by_cached_key(|u| tinhgon_textkit::sort_key(&u.name));
    if !cx.errors.is_empty() {
        return Err(cx.errors);
    }
    let mut changes = ordered;
    changes.extend(moves);
    changes.extend(renames);
    changes.extend(merges);
    changes.extend(closes.into_iter().map(|u| Change {
        key: format!("close:{}", u.id),
        effective: day,
        line: 0,
        kind: ChangeKind::Close { unit: u.id },
    }));
    Ok(Diff { changes, warnings })
}

/// The mergers of the file the register does not have yet, one per successor and date.
fn mergers(
    cx: &mut Ctx<'_>,
    file: &UpdateFile,
    by_name: &HashMap<String, usize>,
    matched: &[Option<(Id, bool)>],
    warnings: &mut Vec<String>,
) -> Vec<Change> {
    let src = file.mergers_source.clone();
    let mut groups: BTreeMap<(String, NaiveDate), Change> = BTreeMap::new();
    for r in &file.mergers {
        let (succ, pred) = (r.successor.trim(), r.predecessor.trim());
        if succ.is_empty() || pred.is_empty() {
            cx.err(&src, r.line, "thiếu đơn vị sau hoặc trước sắp xếp");
            continue;
        }
        let date = match parse_register_date(&r.effective_from) {
            Ok(Some(d)) => d,
            Ok(None) => {
                warnings.push(format!(
                    "{src}, dòng {}: bỏ qua \"{pred}\" → \"{succ}\": không có ngày hiệu lực",
                    r.line
                ));
                continue;
            }
            Err(m) => {
                cx.err(&src, r.line, m);
                continue;
            }
        };
        let Some(&si) = by_name.get(&search_key(succ)) else {
            let m =
                format!("đơn vị sau sắp xếp \"{succ}\" không có trong danh sách đơn vị của tệp");
            cx.err(&src, r.line, m);
            continue;
        };
        let key = search_key(pred);
        let named = |u: &Unit| {
            search_key(&u.name) == key
                || cx
                    .cur
                    .aliases
                    .iter()
                    .any(|a| a.unit_id == u.id && search_key(&a.alias) == key)
        };
        // Already recorded: a unit of that name ended on that day.
        if cx
            .cur
            .units
            .iter()
            .any(|u| named(u) && u.valid_to == Some(date))
        {
            continue;
        }
        let before = date.pred_opt().unwrap_or(date);
        let Some(p) = cx
            .cur
            .units
            .iter()
            .find(|u| named(u) && u.valid_to.is_none() && u.is_valid_on(before))
            .map(|u| u.id)
        else {
            let m = format!(
                "không tìm thấy đơn vị trước sắp xếp \"{pred}\" hoạt động vào ngày {}",
                before.format("%d/%m/%Y")
            );
            cx.err(&src, r.line, m);
            continue;
        };
        let successor = match matched[si] {
            Some((id, _)) => Target::Unit(id),
            None => Target::Added(format!("add:{}", search_key(succ))),
        };
        if successor == Target::Unit(p) {
            continue; // "Sở Nội vụ ← Sở Nội vụ": the unit carries on
        }
        if matched.iter().flatten().any(|(id, _)| *id == p) {
            let m = format!("\"{pred}\" vẫn có trong danh sách đơn vị của tệp nên không thể là đơn vị trước sắp xếp");
            cx.err(&src, r.line, m);
            continue;
        }
        let key = match &successor {
            Target::Unit(id) => format!("merge:{id}:{date}"),
            Target::Added(k) => format!("merge:{k}:{date}"),
        };
        let c = groups.entry((key.clone(), date)).or_insert_with(|| Change {
            key,
            effective: date,
            line: r.line,
            kind: ChangeKind::Merge {
                predecessors: Vec::new(),
                successor,
                decision: None,
            },
        });
        if let ChangeKind::Merge {
            predecessors,
            decision,
            ..
        } = &mut c.kind
        {
            if !predecessors.contains(&p) {
                predecessors.push(p);
            }
            if decision.is_none() && !r.decision.trim().is_empty() {
                *decision = Some(r.decision.trim().to_string());
            }
        }
    }
    groups.into_values().collect()
}

pub use select::select;

mod select;

#[cfg(test)]
mod tests;
