//! Tasks from every layout the genre uses, in one pass over the stream.
//!
//! The body is cut into sections at Roman headings ("II. NHIỆM VỤ, GIẢI PHÁP") and
//! "Điều n." articles; each section into items at its first-level markers ("1.", or "a)"
//! where there are no numbers). Each item is then read by the first layout that fits:
//! (b) an "* Đơn vị thực hiện:" / "Cơ quan chủ trì:" block, (d) a section addressed to a
//! collective, (c) an item headed by an agency. Tables are read by (a).

pub(crate) mod agency_paragraphs;
mod appendix_deadline;
pub(crate) mod blocks;
pub(crate) mod collective;
pub(crate) mod directives;
pub(crate) mod table;

use chrono::NaiveDate;
use once_cell::sync::Lazy;
use regex::Regex;
use tinhgon_domain::{Deadline, TaskDraft};
use tinhgon_textkit::fold;

use crate::deadline_entry;
use crate::paragraphs::{Item, Para};

/// Shared state while extracting: the document date and the warnings gathered.
pub(crate) struct Ctx {
    /// Date of the document, the base of relative deadlines.
    pub doc_date: Option<NaiveDate>,
    /// Warnings for the reviewer (Vietnamese).
    pub warnings: Vec<String>,
}

impl Ctx {
    /// Parses a deadline cell; its warnings are kept, naming the task.
    pub fn deadline(&mut self, text: &str, reference: &str) -> Deadline {
        let p = deadline_entry::parse(text, self.doc_date);
        for w in p.warnings {
            self.warnings.push(format!("Nhiệm vụ {reference}: {w}"));
        }
        p.deadline
    }

    /// Finds a deadline in prose, or an unspecified one.
    pub fn deadline_in(&mut self, texts: &[&str], reference: &str) -> Deadline {
        for t in texts {
            if let Some(p) = deadline_entry::in_prose(t, self.doc_date) {
                for w in p.warnings {
                    self.warnings.push(format!("Nhiệm vụ {reference}: {w}"));
                }
                return p.deadline;
            }
        }
        Deadline::unspecified("")
    }
}

/// The kind of list marker a paragraph starts with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mark {
    /// I., II.
    Roman,
    /// 1., 2.1.
    Number,
    /// a), b)
    Letter,
    /// -, +, •, and the bracketed numbers "(1)" of a list inside a paragraph's topic
    Dash,
    /// *
    Star,
    /// Điều n.
    Article,
    /// No marker.
    Plain,
}

/// A paragraph with its marker split off.
#[derive(Debug, Clone)]
pub(crate) struct Line {
    pub mark: Mark,
    /// The marker's label without punctuation ("II", "1", "2.1", "a", "3").
    pub label: String,
    /// Text after the marker.
    pub text: String,
    pub para: Para,
}

static MARK: Lazy<Regex> = Lazy::new(|| {
    Regex::new(
        r"^(?:(?P<roman>[IVXLC]{1,6})[.)\-]|(?P<num>\d{1,3}(?:\.\d{1,3})*)[.)]|(?P<letter>[a-zđ])[)]|(?P<dash>[-–+•]|\(\d{1,2}\))|(?P<star>\*)|Điều\s+(?P<art>\d+)[.:]?)(?:\s+|$)",
    )
    .expect("static regex")
});

/// Splits a paragraph into marker and text.
pub(crate) fn line_of(p: &Para) -> Line {
    let t = p.text.trim();
    if let Some(c) = MARK.captures(t) {
        let rest = t[c.get(0).map_or(0, |m| m.end())..].trim().to_string();
        let (mark, label) = if let Some(m) = c.name("roman") {
            (Mark::Roman, m.as_str())
        } else if let Some(m) = c.name("num") {
            (Mark::Number, m.as_str())
        } else if let Some(m) = c.name("letter") {
            (Mark::Letter, m.as_str())
        } else if c.name("dash").is_some() {
            (Mark::Dash, "-")
        } else if c.name("star").is_some() {
            (Mark::Star, "*")
        } else if let Some(m) = c.name("art") {
            (Mark::Article, m.as_str())
        } else {
            (Mark::Plain, "")
        };
        // "I." as a heading must be followed by words; a lone "V." is not a section.
        if !(mark == Mark::Roman && rest.is_empty()) {
            return Line {
                mark,
                label: label.to_string(),
                text: rest,
                para: p.clone(),
            };
        }
    }
    Line {
        mark: Mark::Plain,
        label: String::new(),
        text: t.to_string(),
        para: p.clone(),
    }
}

/// A section of the body.
#[derive(Debug, Default)]
pub(crate) struct Section {
    /// Reference prefix ("II", "Đ3"), empty before the first heading.
    pub label: String,
    /// Folded title.
    pub title: String,
    /// Paragraphs after the heading.
    pub lines: Vec<Line>,
}

/// One first-level item of a section.
#[derive(Debug)]
pub(crate) struct Entry<'a> {
    pub head: &'a Line,
    pub body: Vec<&'a Line>,
}

impl Section {
    /// Paragraphs before the first item, and the items.
    pub fn items(&self) -> (Vec<&Line>, Vec<Entry<'_>>) {
        let kind = self
            .lines
            .iter()
            .map(|l| l.mark)
            .find(|m| matches!(m, Mark::Number | Mark::Letter));
        let is_item = |l: &Line| match kind {
            Some(Mark::Number) => l.mark == Mark::Number && !l.label.contains('.'),
            Some(k) => l.mark == k,
            None => false,
        };
        let mut intro = Vec::new();
        let mut items: Vec<Entry> = Vec::new();
        for l in &self.lines {
            if is_item(l) {
                items.push(Entry {
                    head: l,
                    body: Vec::new(),
                });
            } else if let Some(last) = items.last_mut() {
                last.body.push(l);
            } else {
                intro.push(l);
            }
        }
        (intro, items)
    }

    /// Reference of an item: "II.1", or "1" before any section heading.
    pub fn reference(&self, item: &str) -> String {
        if self.label.is_empty() {
            item.to_string()
        } else {
            format!("{}.{item}", self.label)
        }
    }
}

/// Paragraph that closes a list ("Trong quá trình thực hiện, … phản ánh về …",
/// "UBND tỉnh đề nghị các cơ quan …"): not a duty.
pub(crate) fn is_closer(text: &str) -> bool {
    let head = crate::paragraphs::fold_start(text, 80);
    let f = &head;
    [
        "trong qua trinh",
        "qua trinh thuc hien",
        "tren day la",
        "can cu ",
        "noi nhan",
        // The addressees of a letter, however its first paragraph runs on.
        "kinh gui",
    ]
    .iter()
    .any(|p| f.starts_with(p))
        || head.contains(" de nghi ")
        // A notice's closing ("Văn phòng Chính phủ thông báo để … biết, thực hiện").
        || head.contains(" thong bao de ")
        || head.contains("tran trong thong bao")
        || head.contains(" yeu cau ")
        || is_final_call(text)
}

/// The letter's last words ("Đề nghị các cơ quan … khẩn trương triển khai thực hiện./."):
/// a call to carry out what came before, not a duty of its own.
pub(crate) fn is_final_call(text: &str) -> bool {
    text.trim_end().ends_with("./.")
        && text.split_whitespace().count() <= 15
        && crate::paragraphs::fold_start(text, 120).contains("thuc hien")
}

/// Cuts the paragraphs into sections at Roman headings and articles.
fn sections(paras: &[Para]) -> Vec<Section> {
    let mut out = vec![Section::default()];
    for p in paras {
        let l = line_of(p);
        let starts = matches!(l.mark, Mark::Roman | Mark::Article);
        if starts {
            let label = if l.mark == Mark::Article {
                format!("Đ{}", l.label)
            } else {
                l.label.clone()
            };
            let title = fold(&l.text);
            let mut s = Section {
                label,
                title,
                lines: Vec::new(),
            };
            // "Điều 3. Tổ chức thực hiện: a) …" keeps nothing else on its line.
            if l.mark == Mark::Article && l.text.chars().count() > 80 {
                s.lines.push(l);
            }
            out.push(s);
        } else if let Some(s) = out.last_mut() {
            s.lines.push(l);
        }
    }
    out
}

/// What a section is for, from its title.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SectionKind {
    Organisation,
    Purpose,
    Work,
}

fn kind_of(title: &str) -> SectionKind {
    if ["to chuc thuc hien", "trach nhiem", "phan cong"]
        .iter()
        .any(|k| title.contains(k))
    {
        SectionKind::Organisation
    } else if [
        "muc dich",
        "yeu cau",
        "muc tieu",
        "quan diem",
        "tinh hinh",
        "ket qua thuc hien",
        "danh gia",
    ]
    .iter()
    .any(|k| title.starts_with(k))
    {
        SectionKind::Purpose
    } else {
        SectionKind::Work
    }
}

/// Extracts the tasks of the whole stream, in document order.
pub(crate) fn extract(items: &[Item], ctx: &mut Ctx) -> Vec<TaskDraft> {
    let mut tasks = Vec::new();
    let mut paras = Vec::new();
    let mut table_no = 0;
    for item in items {
        match item {
            Item::Para(p) => paras.push(p.clone()),
            Item::Table(t) => {
                let found = table::tasks(t, table_no + 1, ctx);
                if !found.is_empty() {
                    table_no += 1;
                    tasks.extend(found);
                }
            }
        }
    }
    for section in sections(&paras) {
        let mut kind = kind_of(&section.title);
        let (intro, entries) = section.items();
        let mut lead = collective::intro_lead(&intro);
        // A conclusion's assessment ("ĐÁNH GIÁ CHUNG") often ends by turning to what the
        // addressee must do ("thành phố … cần thực hiện tốt các nhiệm vụ sau:"): its items
        // are duties like any work section's.
        if kind == SectionKind::Purpose {
            lead = lead.or_else(|| collective::closing_lead(&intro));
            if lead.is_none() {
                continue;
            }
            kind = SectionKind::Work;
        }
        for entry in &entries {
            let found = blocks::tasks(&section, entry, ctx);
            if !found.is_empty() {
                tasks.extend(found);
                continue;
            }
            if kind == SectionKind::Work {
                if let Some(lead) = &lead {
                    tasks.push(collective::task(&section, entry, lead, ctx));
                    continue;
                }
            }
            // Before any Roman heading (a công văn's numbered requests) an item opening
            // with an agency and a verb is an assignment too.
            let inline_ok = kind == SectionKind::Organisation || section.label.is_empty();
            tasks.extend(agency_paragraphs::tasks(&section, entry, inline_ok, ctx));
        }
    }
    let more = directives::tasks(&paras, &tasks, ctx);
    tasks.extend(more);
    if tasks.is_empty() {
        tasks.extend(collective::task_groups(&paras, ctx));
    }
    tasks.sort_by_key(|t| t.source.line_start);
    tasks = split_subjects(tasks, ctx);
    // A label left alone in prose ("Trách nhiệm chung") gives nobody anything to do.
    tasks.retain(|t| {
        !matches!(t.source.layout.as_str(), "agency_paragraph" | "directive")
            || t.content.split_whitespace().count() > 3
    });
    appendix_deadline::carry(&mut tasks);
    appendix_deadline::carry_closing(&mut tasks, &paras, ctx.doc_date);
    for t in &tasks {
        // A duty addressed to several collectives ("các sở, ban, ngành; UBND các xã") is a
        // general duty; the one-lead principle is about named bodies.
        if t.lead.len() > 1 && t.lead.iter().any(|a| a.group.is_none()) {
            let names: Vec<&str> = t.lead.iter().map(|a| a.text.as_str()).collect();
            ctx.warnings.push(format!(
                "Nhiệm vụ {} có {} cơ quan chủ trì ({}); nguyên tắc là mỗi nhiệm vụ một cơ quan chủ trì",
                t.reference,
                t.lead.len(),
                names.join("; ")
            ));
        }
    }
    tasks
}

/// A sentence with a subject of its own inside a duty paragraph ("… gửi Bộ Tư pháp trước
/// ngày 05/12/2025. Trên cơ sở đó, Bộ Tư pháp tổng hợp, báo cáo …") is another body's duty:
/// it becomes a task of its own, and each part keeps the deadline its own words give.
fn split_subjects(tasks: Vec<TaskDraft>, ctx: &mut Ctx) -> Vec<TaskDraft> {
    let mut out = Vec::with_capacity(tasks.len());
    for t in tasks {
        if !matches!(t.source.layout.as_str(), "agency_paragraph" | "directive") {
            out.push(t);
            continue;
        }
        let mut parts: Vec<(
            usize,
            Vec<tinhgon_domain::AgencyRef>,
            Vec<tinhgon_domain::AgencyRef>,
        )> = Vec::new();
        for (i, _) in t.content.match_indices(". ") {
            let at = i + 2;
            let rest = &t.content[at..];
            // "Chỉ đạo các đơn vị trực thuộc …" is the paragraph body's own duty.
            // "Chỉ đạo các đơn vị trực thuộc …" is the paragraph body's own duty; "Yêu cầu các
            // sở … nghiêm túc triển khai" closes the document.
            let f = crate::paragraphs::fold_start(rest, 10);
            if !rest.starts_with(char::is_uppercase)
                || f.starts_with("chi dao")
                || f.starts_with("yeu cau")
                || is_closer(rest)
            {
                continue;
            }
            let Some((lead, coord, _)) = directives::own_lead(rest) else {
                continue;
            };
            let same = |a: &[tinhgon_domain::AgencyRef]| {
                a.len() == lead.len()
                    && a.iter()
                        .zip(&lead)
                        .all(|(x, y)| x.name.to_lowercase() == y.name.to_lowercase())
            };
            let before = parts.last().map_or(&t.lead[..], |p| &p.1[..]);
            // A subject runs a few words; a "lead" reaching past a full stop is no name.
            let named = lead
                .iter()
                .all(|a| a.text.split_whitespace().count() <= 14 && !a.text.contains(". "));
            if lead.is_empty() || !named || same(before) {
                continue;
            }
            parts.push((at, lead, coord));
        }
        if parts.is_empty() {
            out.push(t);
            continue;
        }
        let reparse =
            |content: &str, reference: &str, ctx: &mut Ctx| ctx.deadline_in(&[content], reference);
        let mut first = t.clone();
        first.content = t.content[..parts[0].0].trim_end().to_string();
        // A deadline read from the paragraph is read again from the part that stays; one
        // from a field line after it stays as it is.
        if t.deadline.text.is_empty() || t.content.contains(t.deadline.text.as_str()) {
            first.deadline = reparse(&first.content, &first.reference, ctx);
        }
        out.push(first);
        for (k, (at, lead, coord)) in parts.iter().enumerate() {
            let end = parts.get(k + 1).map_or(t.content.len(), |p| p.0);
            let content = t.content[*at..end].trim_end().to_string();
            let reference = format!("{}.{}", t.reference, k + 2);
            let deadline = reparse(&content, &reference, ctx);
            out.push(TaskDraft {
                reference,
                deliverable: crate::deliverable::from_content(&content),
                content,
                lead: lead.clone(),
                coordinating: coord.clone(),
                deadline,
                source: t.source.clone(),
                progress: None,
            });
        }
    }
    out
}

/// Joins lines into a task content: plain lines with spaces, dashed items on their own lines.
pub(crate) fn join_content(parts: &[&Line]) -> String {
    let mut out = String::new();
    for l in parts {
        let text = match l.mark {
            Mark::Dash | Mark::Star => format!("- {}", l.text),
            Mark::Letter => format!("{}) {}", l.label, l.text),
            Mark::Number if l.label.contains('.') => format!("{}. {}", l.label, l.text),
            _ => l.text.clone(),
        };
        if text.trim().is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(if l.mark == Mark::Plain { ' ' } else { '\n' });
        }
        out.push_str(text.trim());
    }
    out
}

/// The 1-based line span of some lines.
pub(crate) fn span(lines: &[&Line], layout: &str) -> tinhgon_domain::draft::SourceSpan {
    let start = lines.iter().map(|l| l.para.line_start).min().unwrap_or(0);
    let end = lines.iter().map(|l| l.para.line_end).max().unwrap_or(start);
    tinhgon_domain::draft::SourceSpan {
        layout: layout.to_string(),
        line_start: start + 1,
        line_end: end + 1,
    }
}
