//! Layout (b): a numbered task followed by its implementing units, either as prose
//! ("* Đơn vị thực hiện: Sở Nội vụ chủ trì, phối hợp với … tham mưu …", possibly with one
//! "- X chủ trì …" line per unit) or as labelled fields ("Cơ quan chủ trì: …; cơ quan phối
//! hợp: …; thời gian: …").

use once_cell::sync::Lazy;
use regex::Regex;
use tinhgon_domain::{AgencyRef, Deadline, DeadlineKind, TaskDraft};
use tinhgon_textkit::fold;

use super::{join_content, span, Ctx, Entry, Line, Mark, Section};
use crate::agency::{parse_list, push_unique, read_assignment};
use crate::deliverable;

/// Folded openings of an implementing-units line.
const OPENERS: &[&str] = &[
    "don vi thuc hien",
    "co quan thuc hien",
    "don vi chu tri",
    "co quan chu tri",
    "chu tri thuc hien",
    "chu tri:",
    "trach nhiem thuc hien",
    "co quan, don vi thuc hien",
    "co quan, don vi chu tri",
    "don vi, dia phuong thuc hien",
    "phan cong thuc hien",
];

/// True for an implementing-units label line ("* Đơn vị thực hiện: …"); the label must
/// end in a colon, so a duty "Chủ trì thực hiện rà soát …" is not one.
fn is_opener(text: &str) -> bool {
    let f = crate::paragraphs::fold_start(text, 60);
    OPENERS.iter().any(|o| {
        f.strip_prefix(o).is_some_and(|rest| {
            let rest = rest.trim_start();
            rest.starts_with(':') || o.ends_with(':') || {
                // "Đơn vị chủ trì tham mưu: …"
                rest.find(':')
                    .is_some_and(|i| i < 20 && !rest[..i].contains(','))
            }
        })
    })
}

static FIELD: Lazy<Regex> = Lazy::new(|| {
    Regex::new(
        r"(?i)(?:^|[;.\n]\s*|-\s*)(?P<label>(?:cơ quan|đơn vị|sở, ngành|cơ quan, đơn vị)\s+chủ trì(?:\s+(?:thực hiện|tham mưu))?|(?:cơ quan|đơn vị|cơ quan, đơn vị)\s+phối hợp(?:\s+thực hiện)?|thời gian(?:\s+(?:thực hiện|hoàn thành))?|thời hạn(?:\s+hoàn thành)?|tiến độ(?:\s+thực hiện)?|sản phẩm(?:\s+đầu ra)?|(?:cơ quan|đơn vị) thực hiện)\s*:",
    )
    .expect("static regex")
});

/// True when the fields name the lead or the coordinating agencies by label.
fn labelled(fs: &[(String, String)]) -> bool {
    fs.iter()
        .any(|(l, _)| l.contains("chu tri") || l.contains("phoi hop"))
}

/// Labelled fields of a block: (folded label, value).
fn fields(text: &str) -> Vec<(String, String)> {
    let marks: Vec<(usize, usize, String)> = FIELD
        .captures_iter(text)
        .filter_map(|c| {
            let whole = c.get(0)?;
            let label = c.name("label")?;
            Some((label.start(), whole.end(), fold(label.as_str())))
        })
        .collect();
    let mut out = Vec::new();
    for (k, (_, end, label)) in marks.iter().enumerate() {
        let stop = marks.get(k + 1).map_or(text.len(), |m| m.0);
        let value = text[*end..stop]
            .trim()
            .trim_end_matches([';', '.', ',', '-'])
            .trim()
            .to_string();
        out.push((label.clone(), value));
    }
    out
}

/// Tasks of an item that carries implementing-units blocks: one for the item, or one per
/// sub-item ("1.1.", "a)") when each sub-item has its own block.
pub(crate) fn tasks(section: &Section, entry: &Entry, ctx: &mut Ctx) -> Vec<TaskDraft> {
    let is_sub =
        |l: &Line| (l.mark == Mark::Number && l.label.contains('.')) || l.mark == Mark::Letter;
    let blocks = entry.body.iter().filter(|l| is_opener(&l.text)).count();
    let subs: Vec<usize> = (0..entry.body.len())
        .filter(|&i| is_sub(entry.body[i]))
        .collect();
    if blocks >= 2 && subs.len() >= 2 {
        let mut out = Vec::new();
        for (k, &at) in subs.iter().enumerate() {
            let end = subs.get(k + 1).copied().unwrap_or(entry.body.len());
            let head = entry.body[at];
            let label = format!(
                "{}.{}",
                entry.head.label,
                head.label.rsplit('.').next().unwrap_or(&head.label)
            );
            let sub_entry = Entry {
                head,
                body: entry.body[at + 1..end].to_vec(),
            };
            if let Some(mut t) = task(section, &sub_entry, ctx) {
                t.reference = section.reference(&label);
                out.push(t);
            }
        }
        if !out.is_empty() {
            return out;
        }
    }
    task(section, entry, ctx).into_iter().collect()
}

/// The task of an item that carries an implementing-units block, if it does.
fn task(section: &Section, entry: &Entry, ctx: &mut Ctx) -> Option<TaskDraft> {
    // The block may also be glued to the item's own paragraph.
    let head_split = split_inline(&entry.head.text);
    let block_at = entry.body.iter().position(|l| is_opener(&l.text));
    if block_at.is_none() && head_split.is_none() && fields(&entry.head.text).len() < 2 {
        return None;
    }
    let reference = section.reference(&entry.head.label);
    let (content, block_lines): (String, Vec<String>) = match (head_split, block_at) {
        (Some((content, block)), _) => {
            let mut bl = vec![block];
            bl.extend(entry.body.iter().map(|l| l.text.clone()));
            (content, bl)
        }
        (None, Some(at)) => {
            let mut content = entry.head.text.clone();
            let before = join_content(&entry.body[..at]);
            if !before.is_empty() {
                content.push(if entry.body[0].mark == Mark::Plain {
                    ' '
                } else {
                    '\n'
                });
                content.push_str(&before);
            }
            let opener = &entry.body[at].text;
            // A labelled line ("Cơ quan chủ trì: …") keeps its label for the field reader.
            let first = if labelled(&fields(opener)) {
                opener.clone()
            } else {
                after_label(opener)
            };
            let mut bl = vec![first];
            for l in &entry.body[at + 1..] {
                if matches!(l.mark, Mark::Dash | Mark::Plain | Mark::Star | Mark::Letter) {
                    bl.push(l.text.clone());
                }
            }
            (content, bl)
        }
        (None, None) => {
            let (c, b) = split_fields(&entry.head.text);
            (c, vec![b])
        }
    };
    let block = block_lines.join("\n");
    let mut lead: Vec<AgencyRef> = Vec::new();
    let mut coordinating: Vec<AgencyRef> = Vec::new();
    let mut deadline: Option<Deadline> = None;
    let mut product = None;
    let fs = fields(&block);
    if labelled(&fs) {
        for (label, value) in &fs {
            if label.contains("phoi hop") {
                push_unique(&mut coordinating, parse_list(value));
            } else if label.contains("chu tri") {
                push_unique(&mut lead, parse_list(value));
            } else if label.contains("thuc hien") && !label.starts_with("thoi") {
                // "Đơn vị thực hiện: Sở X chủ trì, phối hợp với Y" is prose after a label.
                let a = read_assignment(value);
                push_unique(&mut lead, a.lead);
                push_unique(&mut coordinating, a.coordinating);
            } else if label.starts_with("thoi") || label.starts_with("tien do") {
                deadline = Some(ctx.deadline(value, &reference));
            } else if label.starts_with("san pham") {
                product = deliverable::from_cell(value);
            }
        }
    } else {
        for sentence in block_lines.iter().filter(|s| !s.trim().is_empty()) {
            let a = read_assignment(sentence);
            push_unique(&mut lead, a.lead);
            push_unique(&mut coordinating, a.coordinating);
        }
    }
    let lead_keys: Vec<String> = lead.iter().map(|a| fold(&a.name)).collect();
    coordinating.retain(|a| !lead_keys.contains(&fold(&a.name)));
    let deadline = match deadline {
        Some(d) => d,
        None => {
            let d = ctx.deadline_in(&[&block], &reference);
            if d.kind == DeadlineKind::Unspecified {
                ctx.deadline_in(&[&content], &reference)
            } else {
                d
            }
        }
    };
    let mut lines: Vec<&Line> = vec![entry.head];
    lines.extend(entry.body.iter().copied());
    let deliverable = product.or_else(|| deliverable::from_content(&content));
    Some(TaskDraft {
        reference,
        content,
        lead,
        coordinating,
        deadline,
        deliverable,
        source: span(&lines, "implementing_units_block"),
        progress: None,
    })
}

/// Text after the "Đơn vị thực hiện:" label.
fn after_label(text: &str) -> String {
    match text.find(':') {
        Some(i) if i < 60 => text[i + 1..].trim().to_string(),
        _ => String::new(),
    }
}

/// "… nội dung. * Đơn vị thực hiện: …" in one paragraph → (content, block).
fn split_inline(text: &str) -> Option<(String, String)> {
    let lower = text.to_lowercase();
    for key in [
        "* đơn vị thực hiện",
        "đơn vị thực hiện:",
        "* cơ quan thực hiện",
        "* đơn vị chủ trì",
    ] {
        if let Some(pos) = lower.find(key) {
            if pos == 0 {
                continue;
            }
            let content = text[..pos].trim().trim_end_matches('*').trim().to_string();
            let block = after_label(&text[pos..]);
            return Some((content, block));
        }
    }
    None
}

/// "Nội dung …; cơ quan chủ trì: …; thời gian: …" in one paragraph → (content, fields).
fn split_fields(text: &str) -> (String, String) {
    match FIELD.find(text) {
        Some(m) => (
            text[..m.start()]
                .trim()
                .trim_end_matches([';', ',', '.'])
                .trim()
                .to_string()
                + ".",
            text[m.start()..].to_string(),
        ),
        None => (text.to_string(), String::new()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labelled_fields() {
        let f = fields(
            "Cơ quan chủ trì: Sở Nội vụ; cơ quan phối hợp: Sở Tài chính; thời gian: Quý III/2025.",
        );
        let labels: Vec<&str> = f.iter().map(|(l, _)| l.as_str()).collect();
        assert_eq!(labels, ["co quan chu tri", "co quan phoi hop", "thoi gian"]);
        assert_eq!(f[0].1, "Sở Nội vụ");
        assert_eq!(f[2].1, "Quý III/2025");
    }
}
