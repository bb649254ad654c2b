//! Layout (d): a "Nhiệm vụ, giải pháp" section addressed to a collective ("Các đơn vị sự
//! nghiệp công lập; các phòng chuyên môn; UBND các xã, thị trấn … thực hiện tốt các nhiệm vụ,
//! giải pháp sau:"): every item inherits that collective as lead, its dashed sub-items stay
//! part of its content (one task per numbered item).
//!
//! Also the task groups of a report that only names them ("xác định 4 nhóm nhiệm vụ trọng
//! tâm về A; B; C; D"): one task per group, with no lead unless the text states one.

use once_cell::sync::Lazy;
use regex::Regex;
use tinhgon_domain::{AgencyRef, TaskDraft};
use tinhgon_textkit::fold;

use super::{join_content, span, Ctx, Entry, Line, Section};
use crate::agency::{
    collapse_spaces, coordinating_in, looks_like_agency, push_unique, read_assignment,
};
use crate::deliverable;
use crate::paragraphs::Para;

/// The collective lead announced by the section's opening paragraph, if any.
pub(crate) fn intro_lead(intro: &[&Line]) -> Option<Vec<AgencyRef>> {
    lead_of(intro.last()?.text.trim())
}

/// The collective lead of an assessment section's closing turn to duties ("Để tiếp tục
/// …, thành phố … cần thực hiện tốt các nhiệm vụ sau đây:").
pub(crate) fn closing_lead(intro: &[&Line]) -> Option<Vec<AgencyRef>> {
    let t = without_purpose(intro.last()?.text.trim());
    if !t.ends_with(':') {
        return None;
    }
    if looks_like_agency(t) {
        return lead_of(t);
    }
    // The addressee of a conclusion is often the province or city itself.
    let f = fold(t);
    if !(f.starts_with("tinh ") || f.starts_with("thanh pho ")) {
        return None;
    }
    // "cần", "phải" are the modal of the sentence, not part of the name.
    let modal = [" cần ", " phải "].iter().filter_map(|m| t.find(m)).min();
    let end = match (modal, crate::agency::first_verb(t)) {
        (Some(a), Some(b)) => a.min(b),
        (a, b) => a.or(b)?,
    };
    let lead = crate::agency::parse_list(&t[..end]);
    (!lead.is_empty()).then_some(lead)
}

/// Words of an issuer announcing its own direction or conclusion.
const SPEECH: &[&str] = &[
    "co y kien chi dao",
    "chi dao nhu sau",
    "ket luan nhu sau",
    "thong bao nhu sau",
    "y kien nhu sau",
];

fn lead_of(t: &str) -> Option<Vec<AgencyRef>> {
    if !t.ends_with(':') || !looks_like_agency(t) {
        return None;
    }
    let f = fold(t);
    // The issuer speaking ("Chủ tịch UBND Thành phố có ý kiến chỉ đạo như sau:") gives the
    // duties; it is not the body they are given to.
    if SPEECH.iter().any(|w| f.contains(w)) {
        return None;
    }
    if !(f.contains("nhiem vu")
        || f.contains("giai phap")
        || f.contains("noi dung")
        || f.contains("sau:"))
    {
        return None;
    }
    let a = read_assignment(t);
    (!a.lead.is_empty()).then_some(a.lead)
}

/// The sentence without a leading purpose clause ("Để tiếp tục vận hành …, thành phố …
/// cần …:"), when an agency follows the clause's comma.
fn without_purpose(t: &str) -> &str {
    if !fold(t).starts_with("de ") {
        return t;
    }
    t.match_indices(", ")
        .map(|(i, m)| t[i + m.len()..].trim_start())
        .find(|rest| {
            let f = fold(rest);
            looks_like_agency(rest) || f.starts_with("tinh ") || f.starts_with("thanh pho ")
        })
        .unwrap_or(t)
}

/// The task of one item under a collective lead.
pub(crate) fn task(
    section: &Section,
    entry: &Entry,
    lead: &[AgencyRef],
    ctx: &mut Ctx,
) -> TaskDraft {
    let reference = section.reference(&entry.head.label);
    let mut parts: Vec<&Line> = vec![entry.head];
    parts.extend(entry.body.iter().copied());
    let content = join_content(&parts);
    let mut coordinating = Vec::new();
    push_unique(&mut coordinating, coordinating_in(&entry.head.text));
    // Only the item's own sentence: dates in its sub-items name the horizon of the
    // documents they cite ("Đề án … đến năm 2030"), not this task's deadline.
    let deadline = ctx.deadline_in(&[&entry.head.text], &reference);
    TaskDraft {
        reference,
        deliverable: deliverable::from_content(&content),
        content,
        lead: lead.to_vec(),
        coordinating,
        deadline,
        source: span(&parts, "collective_section"),
        progress: None,
    }
}

static GROUPS: Lazy<Regex> = Lazy::new(|| {
    Regex::new(
        r"(?i)(\d{1,2}|hai|ba|bốn|năm|sáu|bảy|tám|chín|mười)\s+nhóm\s+(?:nhiệm vụ|giải pháp)(?:,?\s*(?:và\s+)?giải pháp)?(?:\s+(?:trọng tâm|chủ yếu|cụ thể|chính))?(?:\s*(?:về|là|gồm|như sau|sau đây|sau))?\s*:?\s*",
    )
    .expect("static regex")
});

fn count_of(word: &str) -> Option<usize> {
    let w = fold(word);
    let n = match w.as_str() {
        "hai" => 2,
        "ba" => 3,
        "bon" => 4,
        "nam" => 5,
        "sau" => 6,
        "bay" => 7,
        "tam" => 8,
        "chin" => 9,
        "muoi" => 10,
        _ => w.parse().ok()?,
    };
    Some(n)
}

/// Task groups named in one sentence ("4 nhóm nhiệm vụ trọng tâm về A; B; C; D").
pub(crate) fn task_groups(paras: &[Para], ctx: &mut Ctx) -> Vec<TaskDraft> {
    for p in paras {
        let Some(c) = GROUPS.captures(&p.text) else {
            continue;
        };
        let Some(n) = c.get(1).and_then(|m| count_of(m.as_str())) else {
            continue;
        };
        let rest = &p.text[c.get(0).map_or(0, |m| m.end())..];
        let sentence_end = rest.find(". ").map_or(rest.len(), |i| i + 1);
        let mut parts: Vec<String> = rest[..sentence_end]
            .split(';')
            .map(|s| collapse_spaces(s.trim().trim_end_matches('.')))
            .filter(|s| !s.is_empty())
            .collect();
        // One group may itself hold two clauses ("…; tiếp tục đẩy mạnh phân cấp …"): a
        // clause opening with a continuation word belongs to the group before it.
        while parts.len() > n {
            let Some(k) = (1..parts.len()).find(|k| {
                let f = fold(&parts[*k]);
                ["tiep tuc ", "dong thoi ", "gan voi ", "va ", "cung voi "]
                    .iter()
                    .any(|w| f.starts_with(w))
            }) else {
                break;
            };
            let merged = parts.remove(k);
            parts[k - 1] = format!("{}; {merged}", parts[k - 1]);
        }
        if parts.len() < 2 || parts.len() != n {
            continue;
        }
        // The text may name who sets the groups; only an agency subject counts as lead.
        let subject = read_assignment(&p.text);
        let mut out = Vec::new();
        for (k, part) in parts.into_iter().enumerate() {
            let reference = format!("NV.{}", k + 1);
            let deadline = ctx.deadline_in(&[&part], &reference);
            out.push(TaskDraft {
                reference,
                deliverable: None,
                content: capitalise(&part),
                lead: subject.lead.clone(),
                coordinating: Vec::new(),
                deadline,
                source: tinhgon_domain::draft::SourceSpan {
                    layout: "task_groups".into(),
                    line_start: p.line_start + 1,
                    line_end: p.line_end + 1,
                },
                progress: None,
            });
        }
        return out;
    }
    Vec::new()
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}
