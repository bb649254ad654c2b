//! Agency mentions: splitting lists, canonical names, collective groups, and telling the
//! lead agency from the coordinating ones in prose.

mod assignment;
mod group;
mod list;
mod name;

pub use assignment::{coordinating_in, read_assignment, Assignment};
pub use group::group_kind;
pub use list::{
    clean, collapse_spaces, is_person_title, looks_like_agency, split_list, starts_body,
};
pub use name::{canonical_name, trim_to_name};

use tinhgon_domain::AgencyRef;
use tinhgon_textkit::fold;

/// Parses a list of agencies as written in a table cell or a clause.
pub fn parse_list(text: &str) -> Vec<AgencyRef> {
    // Plans repeat the same cells ("Sở Nội vụ", "Các địa phương, cơ quan, đơn vị") row after
    // row; the result depends on the text alone, so it is remembered (bounded).
    thread_local! {
        static CACHE: std::cell::RefCell<std::collections::HashMap<String, Vec<AgencyRef>>> =
            std::cell::RefCell::new(std::collections::HashMap::new());
    }
    if let Some(hit) = CACHE.with(|c| c.borrow().get(text).cloned()) {
        return hit;
    }
    // "Mặt trận Tổ quốc Việt Nam, trong phạm vi nhiệm vụ, quyền hạn của mình": the scope
    // after the bodies is not one of them.
    let list: Vec<AgencyRef> = split_list(&crate::person_titles::bodies_for_titles(without_scope(
        text,
    )))
    .into_iter()
    .filter_map(|t| agency(without_role(&t)))
    .collect();
    CACHE.with(|c| {
        let mut c = c.borrow_mut();
        if c.len() > 4096 {
            c.clear();
        }
        c.insert(text.to_string(), list.clone());
    });
    list
}

/// Builds an agency reference from one mention, or None when nothing is left.
pub fn agency(text: &str) -> Option<AgencyRef> {
    let text = clean(text);
    let folded = fold(&text);
    if text.is_empty() || !folded.chars().any(char::is_alphabetic) {
        return None;
    }
    let name = canonical_name(&text);
    let group = group_kind(&name);
    Some(AgencyRef { text, name, group })
}

pub use crate::verbs::first_verb;

/// Adds agencies not already present (by folded name).
pub fn push_unique(into: &mut Vec<AgencyRef>, more: impl IntoIterator<Item = AgencyRef>) {
    for a in more {
        // Names are canonical already: letter case is the only difference left.
        let key = a.name.to_lowercase();
        if !into.iter().any(|b| b.name.to_lowercase() == key) {
            into.push(a);
        }
    }
}

/// The bodies of a list without the scope phrase that may follow them.
fn without_scope(text: &str) -> &str {
    [
        ", trong phạm vi",
        " trong phạm vi",
        ", theo chức năng",
        ", đặc biệt là",
    ]
    .iter()
    .filter_map(|w| text.find(w))
    .min()
    .map_or(text, |i| &text[..i])
}

/// A body's role or scope in brackets after its name ("Sở Nội vụ (Cơ quan thường trực Ban
/// …)", "Đảng uỷ Quốc hội (theo phạm vi, lĩnh vực)", "các doanh nghiệp viễn thông (VNPT,
/// Viettel …)") is not part of the mention; a bracket inside the name is kept.
fn without_role(text: &str) -> &str {
    let t = text.trim_end();
    if !t.ends_with(')') {
        return text;
    }
    match t.rfind(" (") {
        Some(open) if t[..open].split_whitespace().count() >= 2 => &t[..open],
        _ => text,
    }
}
