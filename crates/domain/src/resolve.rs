//! Agency resolution: an agency as a plan writes it → a unit of the register, a group of
//! units, or a clear "not resolved" with suggestions. Nothing is ever guessed silently: a
//! fuzzy match is only a suggestion, and without a known issuer scope nothing resolves.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use tinhgon_textkit::fold;

use crate::draft::{AgencyRef, GroupKind};
use crate::event::RestructuringEvent;
use crate::model::Id;
use crate::register::successors;
use crate::unit::{Unit, UnitAlias, UnitKind};

/// What an agency mention stands for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "type")]
pub enum Resolution {
    /// One unit.
    Unit {
        /// The unit.
        id: Id,
    },
    /// A collective mention: every member valid on the date (empty for an unspecified group).
    Group {
        /// Which group.
        kind: GroupKind,
        /// Members on the date.
        members: Vec<Id>,
    },
    /// Not resolved; the reviewer must choose.
    Unresolved {
        /// Why (Vietnamese).
        reason: String,
        /// Units that might be meant, best first.
        suggestions: Vec<Id>,
    },
}

impl Resolution {
    /// A note for the reviewer when the result needs attention (Vietnamese), else None.
    pub fn note_vi(&self) -> Option<String> {
        match self {
            Resolution::Unit { .. } => None,
            Resolution::Group {
                kind: GroupKind::Unspecified,
                ..
            } => Some("nhóm cơ quan, đơn vị không xác định: cần chọn cụ thể".into()),
            Resolution::Group { members, .. } if members.is_empty() => {
                Some("nhóm không có đơn vị nào trong danh mục vào ngày này".into())
            }
            Resolution::Group { .. } => None,
            Resolution::Unresolved { reason, .. } => Some(reason.clone()),
        }
    }
}

/// Matches agency mentions against the register.
#[derive(Debug, Clone, Default)]
pub struct Resolver {
    units: Vec<Unit>,
    by_id: BTreeMap<Id, usize>,
    /// Normalised key → units with that name or alias.
    keys: BTreeMap<String, BTreeSet<Id>>,
    events: Vec<RestructuringEvent>,
}

impl Resolver {
    /// A resolver over the register's units and aliases.
    pub fn new(units: &[Unit], aliases: &[UnitAlias]) -> Self {
        let mut r = Resolver {
            units: units.to_vec(),
            ..Default::default()
        };
        for (i, u) in r.units.iter().enumerate() {
            r.by_id.insert(u.id, i);
        }
        let mut keys: BTreeMap<String, BTreeSet<Id>> = BTreeMap::new();
        for u in units {
            keys.entry(key(&u.name)).or_default().insert(u.id);
            // Historical communes are stored as "Xã Bắc Sơn (huyện Đô Lương)": also reachable
            // as plain "Xã Bắc Sơn" (then ambiguous between districts, hence suggestions).
            if let Some((base, _)) = u.name.split_once(" (") {
                keys.entry(key(base)).or_default().insert(u.id);
            }
        }
        for a in aliases {
            keys.entry(key(&a.alias)).or_default().insert(a.unit_id);
        }
        r.keys = keys;
        r
    }

    /// Adds restructuring events, so that a mention of a unit that no longer exists suggests
    /// its successors.
    pub fn with_events(mut self, events: &[RestructuringEvent]) -> Self {
        self.events = events.to_vec();
        self
    }

    fn unit(&self, id: Id) -> Option<&Unit> {
        self.by_id.get(&id).map(|i| &self.units[*i])
    }

    /// True when `id` is `scope` or lies under it.
    fn within(&self, id: Id, scope: Id) -> bool {
        let mut cur = Some(id);
        let mut steps = 0;
        while let Some(c) = cur {
            if c == scope {
                return true;
            }
            steps += 1;
            if steps > 64 {
                return false; // a parent cycle in bad data
            }
            cur = self.unit(c).and_then(|u| u.parent_id);
        }
        false
    }

    /// Resolves a mention for a plan issued within `scope` (the issuer's province, or a
    /// district for a district plan) on `date`. Without a scope nothing resolves: matches
    /// come back as suggestions.
    pub fn resolve(&self, mention: &AgencyRef, scope: Option<Id>, date: NaiveDate) -> Resolution {
        let texts: Vec<&str> = [mention.name.as_str(), mention.text.as_str()]
            .into_iter()
            .filter(|t| !t.trim().is_empty())
            .collect();
        if texts.is_empty() {
            return unresolved("tên cơ quan trống", vec![]);
        }
        let group = mention
            .group
            .or_else(|| texts.iter().find_map(|t| detect_group(t)));
        if let Some(kind) = group {
            return match scope {
                Some(s) => Resolution::Group {
                    kind,
                    members: self.members(kind, s, date),
                },
                None => unresolved(
                    "chưa xác định được đơn vị ban hành nên không thể xác định các đơn vị của nhóm",
                    vec![],
                ),
            };
        }
        let in_scope = |id: &Id| scope.is_none_or(|s| self.within(*id, s));
        let valid = |id: &Id| self.unit(*id).is_some_and(|u| u.is_valid_on(date));
        for t in &texts {
            let Some(ids) = self.keys.get(&key(t)) else {
                continue;
            };
            let now: Vec<Id> = ids
                .iter()
                .copied()
                .filter(|i| valid(i) && in_scope(i))
                .collect();
            if scope.is_none() {
                let found: Vec<Id> = ids.iter().copied().filter(valid).collect();
                return unresolved(
                    "chưa xác định được đơn vị ban hành: cần xác nhận cơ quan được gợi ý",
                    found,
                );
            }
            match now.as_slice() {
                [one] => return Resolution::Unit { id: *one },
                [] if ids.iter().any(valid) => {
                    return unresolved(
                        &format!("\"{}\" không thuộc phạm vi của đơn vị ban hành", t.trim()),
                        vec![],
                    );
                }
                [] => {
                    // Known name, but not on that day: offer what carries its work then.
                    let mut next: Vec<Id> = Vec::new();
                    for id in ids {
                        for s in successors(*id, date, &self.events) {
                            if valid(&s) && in_scope(&s) && !next.contains(&s) {
                                next.push(s);
                            }
                        }
                    }
                    let date_vi = date.format("%d/%m/%Y");
                    return unresolved(
                        &format!(
                            "\"{}\" không có trong danh mục vào ngày {date_vi}",
                            t.trim()
                        ),
                        next,
                    );
                }
                many => {
                    return unresolved(
                        &format!("\"{}\" ứng với nhiều đơn vị: cần chọn một", t.trim()),
                        many.to_vec(),
                    )
                }
            }
        }
        if texts.iter().any(|t| is_central(&key(t))) {
            return unresolved(
                "cơ quan Trung ương, không thuộc danh mục đơn vị của tỉnh",
                vec![],
            );
        }
        let suggestions = self.fuzzy(&texts, date, scope);
        unresolved("không tìm thấy cơ quan, đơn vị trong danh mục", suggestions)
    }

    /// The members of a group within `scope` on `date`.
    pub fn members(&self, kind: GroupKind, scope: Id, date: NaiveDate) -> Vec<Id> {
        let wanted: &[UnitKind] = match kind {
            GroupKind::Departments => &[UnitKind::Department],
            GroupKind::Communes => &[UnitKind::Commune, UnitKind::Ward, UnitKind::SpecialZone],
            GroupKind::Districts => &[UnitKind::District],
            GroupKind::PublicServiceUnits => &[UnitKind::PublicServiceUnit],
            GroupKind::SubDepartments => &[UnitKind::SubDepartment],
            // The register holds no specialised offices of districts or communes, and an
            // unspecified group has no definite members: the reviewer picks.
            GroupKind::SpecializedOffices | GroupKind::Unspecified => &[],
        };
        self.units
            .iter()
            .filter(|u| wanted.contains(&u.kind) && u.is_valid_on(date) && self.within(u.id, scope))
            .map(|u| u.id)
            .collect()
    }

    /// Up to three units whose names share most words with the mention.
    fn fuzzy(&self, texts: &[&str], date: NaiveDate, scope: Option<Id>) -> Vec<Id> {
        let mut scored: Vec<(u32, Id)> = Vec::new();
        for t in texts {
            let mine: BTreeSet<String> = key(t).split(' ').map(str::to_string).collect();
            for (k, ids) in &self.keys {
                let theirs: BTreeSet<&str> = k.split(' ').collect();
                let common = mine.iter().filter(|w| theirs.contains(w.as_str())).count();
                let union = mine.len() + theirs.len() - common;
                if union == 0 {
                    continue;
                }
                let score = (common * 100 / union) as u32;
                if score < 50 {
                    continue;
                }
                for id in ids {
                    let ok = self.unit(*id).is_some_and(|u| u.is_valid_on(date))
                        && scope.is_none_or(|s| self.within(*id, s));
                    if ok {
                        scored.push((score, *id));
                    }
                }
            }
        }
        scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        let mut out = Vec::new();
        for (_, id) in scored {
            if !out.contains(&id) {
                out.push(id);
            }
            if out.len() == 3 {
                break;
            }
        }
        out
    }
}

fn unresolved(reason: &str, suggestions: Vec<Id>) -> Resolution {
    Resolution::Unresolved {
        reason: reason.to_string(),
        suggestions,
    }
}

/// True for central bodies (ministries, the Government, the Party Central Committee), which
/// a province's register does not hold.
fn is_central(k: &str) -> bool {
    k.starts_with("bo ")
        || k.contains("trung uong")
        || [
            "chinh phu",
            "thu tuong chinh phu",
            "quoc hoi",
            "bo chinh tri",
            "ban bi thu",
        ]
        .contains(&k)
}

/// Abbreviations written with symbols, replaced before punctuation is dropped.
const COMPOUNDS: &[(&str, &str)] = &[
    ("gd&dt", "giao duc va dao tao"),
    ("gd & dt", "giao duc va dao tao"),
    ("gd va dt", "giao duc va dao tao"),
    ("gddt", "giao duc va dao tao"),
    ("kh&cn", "khoa hoc va cong nghe"),
    ("kh va cn", "khoa hoc va cong nghe"),
    ("khcn", "khoa hoc va cong nghe"),
    ("kh&dt", "ke hoach va dau tu"),
    ("khdt", "ke hoach va dau tu"),
    ("nn&mt", "nong nghiep va moi truong"),
    ("nn&ptnt", "nong nghiep va phat trien nong thon"),
    ("ptnt", "phat trien nong thon"),
    ("tn&mt", "tai nguyen va moi truong"),
    ("tnmt", "tai nguyen va moi truong"),
    ("ld-tb&xh", "lao dong thuong binh va xa hoi"),
    ("ld, tb&xh", "lao dong thuong binh va xa hoi"),
    ("ldtb&xh", "lao dong thuong binh va xa hoi"),
    ("ldtbxh", "lao dong thuong binh va xa hoi"),
    ("vh, tt&dl", "van hoa the thao va du lich"),
    ("vh,tt&dl", "van hoa the thao va du lich"),
    ("vhtt&dl", "van hoa the thao va du lich"),
    ("vhttdl", "van hoa the thao va du lich"),
    ("tt&tt", "thong tin va truyen thong"),
    ("tttt", "thong tin va truyen thong"),
    ("gtvt", "giao thong van tai"),
    ("mttqvn", "mat tran to quoc viet nam"),
];

/// Single-word abbreviations.
const WORDS: &[(&str, &str)] = &[
    ("ubnd", "uy ban nhan dan"),
    ("hdnd", "hoi dong nhan dan"),
    ("ub", "uy ban"),
    ("mttq", "mat tran to quoc"),
    ("vn", "viet nam"),
    ("btc", "ban to chuc"),
    ("btv", "ban thuong vu"),
    ("ubkt", "uy ban kiem tra"),
    ("tt", "thuong truc"),
    ("vp", "van phong"),
    ("dbqh", "dai bieu quoc hoi"),
    ("bql", "ban quan ly"),
    ("kkt", "khu kinh te"),
    ("dvsncl", "don vi su nghiep cong lap"),
];

/// Titles that head a mention of the body they lead ("Giám đốc các sở").
const TITLES: &[&str] = &["giam doc ", "chu tich ", "thu truong ", "nguoi dung dau "];

/// The matching key of a name or mention: folded, abbreviations expanded, punctuation and
/// a leading "các" / trailing "tỉnh (Nghệ An)" dropped.
pub fn key(s: &str) -> String {
    let mut t = format!(" {} ", fold(s));
    for (abbr, full) in COMPOUNDS {
        t = replace_word(&t, abbr, full);
    }
    let t: String = t
        .replace('&', " va ")
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    let mut words: Vec<&str> = Vec::new();
    for w in t.split_whitespace() {
        match WORDS.iter().find(|(a, _)| *a == w) {
            Some((_, full)) => words.extend(full.split(' ')),
            None => words.push(w),
        }
    }
    let mut k = words.join(" ");
    for title in TITLES {
        if let Some(rest) = k.strip_prefix(title) {
            k = rest.to_string();
        }
    }
    if let Some(rest) = k.strip_prefix("cac ") {
        k = rest.to_string();
    }
    // "UBND xã Anh Sơn" names the commune itself, as the register does ("Xã Anh Sơn").
    if let Some(rest) = k.strip_prefix("uy ban nhan dan ") {
        let locality = [
            "xa ",
            "phuong ",
            "huyen ",
            "thi xa ",
            "thanh pho ",
            "dac khu ",
            "thi tran ",
        ];
        if locality.iter().any(|l| rest.starts_with(l)) {
            k = rest.to_string();
        }
    }
    // "tỉnh Nghệ An" and "tỉnh" after a body's name add nothing within one province.
    // Every province's name is not known here, so only "tỉnh <two words>" at the very end of
    // a longer name is dropped, then a bare trailing "tỉnh".
    let parts: Vec<&str> = k.split(' ').collect();
    let n = parts.len();
    let cut = if n > 3 && parts[n - 3] == "tinh" {
        n - 3
    } else if n > 1 && parts[n - 1] == "tinh" {
        n - 1
    } else {
        n
    };
    let mut k = parts[..cut].join(" ");
    if let Some(rest) = k.strip_suffix(" cap") {
        k = rest.to_string();
    }
    k
}

/// Replaces `abbr` in ` padded ` text where it stands as a whole word.
fn replace_word(padded: &str, abbr: &str, full: &str) -> String {
    let mut out = String::with_capacity(padded.len());
    let mut rest = padded;
    while let Some(pos) = rest.find(abbr) {
        let before = rest[..pos].chars().last();
        let after = rest[pos + abbr.len()..].chars().next();
        let boundary = |c: Option<char>| c.is_none_or(|c| !c.is_alphanumeric());
        out.push_str(&rest[..pos]);
        if boundary(before) && boundary(after) {
            out.push_str(full);
        } else {
            out.push_str(abbr);
        }
        rest = &rest[pos + abbr.len()..];
    }
    out.push_str(rest);
    out
}

/// The group a collective mention stands for ("Các sở, ban, ngành", "UBND cấp xã",
/// "Ủy ban nhân dân các huyện, thành phố", "các cơ quan, đơn vị liên quan").
pub fn detect_group(text: &str) -> Option<GroupKind> {
    let folded = format!(" {} ", fold(text));
    let k = key(text);
    let collective = folded.contains(" cac ")
        || folded.contains(" cap xa")
        || folded.contains(" cap huyen")
        || k.starts_with("co quan chuyen mon");
    if !collective {
        return None;
    }
    let rest = k.strip_prefix("uy ban nhan dan ").unwrap_or(&k);
    let rest = rest.strip_prefix("cac ").unwrap_or(rest);
    let starts = |p: &str| rest == p || rest.starts_with(&format!("{p} "));
    let kind = if starts("xa") || starts("phuong") || starts("cap xa") {
        GroupKind::Communes
    } else if starts("huyen") || starts("thi xa") || starts("thanh pho") || starts("cap huyen") {
        GroupKind::Districts
    } else if rest == "so" || starts("so ban") || starts("so nganh") || starts("co quan chuyen mon")
    {
        GroupKind::Departments
    } else if starts("don vi su nghiep") {
        GroupKind::PublicServiceUnits
    } else if starts("chi cuc") {
        GroupKind::SubDepartments
    } else if starts("phong") {
        GroupKind::SpecializedOffices
    } else if ["co quan", "dia phuong", "don vi", "to chuc", "nganh", "ban"]
        .iter()
        .any(|p| starts(p))
    {
        GroupKind::Unspecified
    } else {
        return None;
    };
    Some(kind)
}

/// Splits a cell or phrase naming several agencies ("Sở Nội vụ; UBND cấp xã.") into one
/// mention per agency, dropping list dashes and trailing punctuation.
pub fn split_mentions(text: &str) -> Vec<String> {
    text.split([';', '\n'])
        .map(|p| p.trim().trim_start_matches(['-', '–', '+', '*']).trim())
        .map(|p| p.trim_end_matches(['.', ',', ':', ';']).trim().to_string())
        .filter(|p| !p.is_empty())
        .collect()
}

#[cfg(test)]
#[path = "resolve_tests.rs"]
mod tests;
