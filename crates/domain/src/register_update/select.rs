//! Choosing some of the differences: the chosen set is checked as a whole.

use std::collections::{HashMap, HashSet};

use super::{Change, ChangeKind, Current, Diff, Target};
use crate::model::Id;

/// The changes of `diff` whose keys are in `keys`, checked as a whole: an addition, move or
/// merger into a unit the update adds needs that addition chosen too; a closed unit may not
/// keep units under it; the parents must not form a cycle. Errors are Vietnamese sentences.
pub fn select(cur: Current<'_>, diff: &Diff, keys: &[String]) -> Result<Vec<Change>, String> {
    let wanted: HashSet<&str> = keys.iter().map(|k| k.trim()).collect();
    if let Some(k) = wanted
        .iter()
        .find(|k| !k.is_empty() && !diff.changes.iter().any(|c| c.key == **k))
    {
        return Err(format!(
            "Thay đổi \"{k}\" không còn trong danh sách so sánh (danh mục vừa thay đổi?): hãy tải tệp lên lại."
        ));
    }
    let chosen: Vec<Change> = diff
        .changes
        .iter()
        .filter(|c| wanted.contains(c.key.as_str()))
        .cloned()
        .collect();
    if chosen.is_empty() {
        return Err("Chưa chọn thay đổi nào để cập nhật.".into());
    }
    let name = |id: Id| {
        cur.units
            .iter()
            .find(|u| u.id == id)
            .map_or_else(String::new, |u| u.name.clone())
    };
    let added: HashMap<&str, &str> = chosen
        .iter()
        .filter_map(|c| match &c.kind {
            ChangeKind::Add { name, .. } => Some((c.key.as_str(), name.as_str())),
            _ => None,
        })
        .collect();
    let all_added: HashMap<&str, &str> = diff
        .changes
        .iter()
        .filter_map(|c| match &c.kind {
            ChangeKind::Add { name, .. } => Some((c.key.as_str(), name.as_str())),
            _ => None,
        })
        .collect();
    // Parents after the update: id → parent, added units by key.
    let mut parent: HashMap<Target, Target> = cur
        .units
        .iter()
        .filter(|u| u.valid_to.is_none())
        .filter_map(|u| u.parent_id.map(|p| (Target::Unit(u.id), Target::Unit(p))))
        .collect();
    let mut leaving: HashSet<Id> = HashSet::new();
    for c in &chosen {
        let needs = match &c.kind {
            ChangeKind::Add { parent: t, .. } | ChangeKind::Move { parent: t, .. } => Some(t),
            ChangeKind::Merge { successor, .. } => Some(successor),
            _ => None,
        };
        if let Some(Target::Added(k)) = needs {
            if !added.contains_key(k.as_str()) {
                let n = all_added.get(k.as_str()).copied().unwrap_or_default();
                return Err(format!(
                    "Thay đổi ở dòng {} cần đơn vị mới \"{n}\": hãy chọn cả việc thêm đơn vị đó.",
                    c.line
                ));
            }
        }
        match &c.kind {
            ChangeKind::Add { parent: p, .. } => {
                parent.insert(Target::Added(c.key.clone()), p.clone());
            }
            ChangeKind::Move { unit, parent: p } => {
                parent.insert(Target::Unit(*unit), p.clone());
            }
            ChangeKind::Close { unit } => {
                leaving.insert(*unit);
            }
            ChangeKind::Merge { predecessors, .. } => leaving.extend(predecessors.iter().copied()),
            ChangeKind::Rename { .. } => {}
        }
    }
    for c in &chosen {
        if let ChangeKind::Close { unit } = &c.kind {
            let under = parent.iter().find_map(|(child, p)| match child {
                Target::Unit(id) if *p == Target::Unit(*unit) && !leaving.contains(id) => {
                    Some(name(*id))
                }
                Target::Added(k) if *p == Target::Unit(*unit) => Some(
                    all_added
                        .get(k.as_str())
                        .copied()
                        .unwrap_or_default()
                        .to_string(),
                ),
                _ => None,
            });
            if let Some(child) = under {
                return Err(format!(
                    "Không thể chấm dứt hoạt động của {}: đơn vị trực thuộc \"{child}\" vẫn hoạt động (chọn cả việc chuyển hoặc chấm dứt đơn vị đó).",
                    name(*unit)
                ));
            }
        }
    }
    for start in parent.keys() {
        let mut cur_t = start;
        let mut steps = 0;
        while let Some(p) = parent.get(cur_t) {
            steps += 1;
            if p == start || steps > parent.len() {
                let n = match start {
                    Target::Unit(id) => name(*id),
                    Target::Added(k) => all_added
                        .get(k.as_str())
                        .copied()
                        .unwrap_or_default()
                        .to_string(),
                };
                return Err(format!(
                    "Các thay đổi đã chọn tạo vòng lặp đơn vị cha quanh \"{n}\": hãy chọn cả các việc chuyển đơn vị liên quan."
                ));
            }
            cur_t = p;
        }
    }
    Ok(chosen)
}
