//! Layout (c): per-agency paragraphs, mostly under "Tổ chức thực hiện".
//!
//! - "1. Sở Nội vụ" followed by "- …" duties → one task per duty, refs "III.1.a", "III.1.b"
//!   (letters in order; a duty written "a)" keeps its own letter);
//! - "2. Phòng Tài chính - Kế hoạch: Chủ trì, phối hợp …" → one task, the text after the colon;
//! - "3. Sở Văn hóa, Thể thao và Du lịch chỉ đạo …" → one task, lead the subject, content the
//!   whole sentence as a clerk types it ("Giao Công an tỉnh chủ trì …" likewise).
//!
//! A duty that names its own subject ("- Các sở, ban, ngành xây dựng kế hoạch …") has that
//! subject as lead; otherwise the heading's agencies lead.

use tinhgon_domain::{AgencyRef, TaskDraft};

use super::{is_closer, join_content, span, Ctx, Entry, Line, Mark, Section};
use crate::agency::{
    coordinating_in, first_verb, is_person_title, looks_like_agency, parse_list, push_unique,
    read_assignment, starts_body,
};
use crate::deliverable;

const LETTERS: &[&str] = &[
    "a", "b", "c", "d", "đ", "e", "g", "h", "i", "k", "l", "m", "n", "o", "p", "q", "r", "s", "t",
    "u", "v", "x", "y",
];

/// How the item's head names its agency.
enum Head {
    /// Only agencies: "1. Sở Nội vụ", or "Sở Nội vụ:" with nothing after the colon (the
    /// text is empty: a name coordinates no one).
    Heading(Vec<AgencyRef>, String),
    /// Agencies then the duty: "Phòng Nội vụ: Chủ trì …" or "Sở X chỉ đạo …".
    Inline(Vec<AgencyRef>, String),
}

fn read_head(text: &str, organisation: bool, requests: bool) -> Option<Head> {
    let whole = text.trim();
    // "2. Trên cơ sở đề nghị của các Bộ …, Bộ Tài chính khẩn trương rà soát …": the grounds
    // do not hide the subject that follows them.
    if organisation || requests {
        if let Some((lead, _, _)) = super::directives::after_grounds(whole)
            .filter(|_| !super::directives::only_carries_out(whole))
        {
            return Some(Head::Inline(lead, whole.to_string()));
        }
    }
    let t = whole;
    // "11. Đề nghị Chi cục Hải quan khu vực XIX": a request naming only its addressee heads
    // the addressee's duties as a bare agency heading does.
    let t = match super::directives::given(t) {
        Some(rest) if requests && first_verb(rest).is_none() => rest,
        // "1. Giao Sở Nông nghiệp và Môi trường là cơ quan đầu mối, chủ trì …; tổ chức thực
        // hiện các nhiệm vụ sau:" in the organisation section: the body given the duty.
        Some(rest) if requests && organisation => rest,
        _ => t,
    };
    // "Chủ tịch UBND tỉnh yêu cầu Thủ trưởng các Sở …": the issuer speaking, not a duty.
    if !looks_like_agency(t) || is_closer(t) {
        return None;
    }
    // "12. Ủy ban nhân dân các xã: Gia Thuận, Tân Điền": the colon lists the places of
    // the committees, it does not open their duty.
    let named = crate::person_titles::bodies_for_titles(t);
    if named != t && !named.contains(':') && first_verb(&named).is_none() {
        let lead = parse_list(t);
        if !lead.is_empty() {
            return Some(Head::Heading(lead, String::new()));
        }
    }
    // "Phòng Tài chính - Kế hoạch: Chủ trì, …"
    if let Some(colon) = t.find(':') {
        let subject = &t[..colon];
        // Long lists of bodies ("các cấp ủy Đảng, Mặt trận Tổ quốc Việt Nam tỉnh và các tổ
        // chức chính trị - xã hội tỉnh") run past twenty words.
        if subject.split_whitespace().count() <= 28 && first_verb(subject).is_none() {
            let lead = parse_list(subject);
            let rest = t[colon + 1..].trim();
            if lead.is_empty() {
                return None;
            }
            return Some(if rest.is_empty() {
                Head::Heading(lead, String::new())
            } else {
                Head::Inline(lead, rest.to_string())
            });
        }
    }
    match first_verb(t) {
        Some(at) if organisation => {
            // "Sở X là cơ quan đầu mối, chủ trì …": the role after "là" is not the name.
            let subject = &t[..at];
            let subject = subject.find(" là ").map_or(subject, |i| &subject[..i]);
            let lead = parse_list(subject);
            if lead.is_empty() {
                return None;
            }
            // The sentence names its subject: a clerk types it whole ("Giao Công an tỉnh
            // chủ trì …", "Bộ Tư lệnh Thành phố chủ trì …").
            Some(Head::Inline(lead, whole.to_string()))
        }
        Some(_) => None,
        None => {
            let words = t.split_whitespace().count();
            // "1. Bộ trưởng, Thủ trưởng cơ quan ngang bộ, cơ quan thuộc Chính phủ, Chủ tịch Ủy
            // ban nhân dân các tỉnh, thành phố trực thuộc trung ương" runs long.
            (words <= 30 && !t.ends_with('.') || words <= 12)
                .then(|| Head::Heading(parse_list(t), String::new()))
                .filter(|h| matches!(h, Head::Heading(l, _) if !l.is_empty()))
        }
    }
}

/// Tasks of one agency item; `organisation`: the section is "Tổ chức thực hiện" (inline
/// "Sở X làm …" items count there only, elsewhere they are prose).
pub(crate) fn tasks(
    section: &Section,
    entry: &Entry,
    organisation: bool,
    ctx: &mut Ctx,
) -> Vec<TaskDraft> {
    // A letter's numbered topics before any Roman heading mix requests with prose about
    // them: the prose reading of directives takes those.
    let requests = !section.label.is_empty();
    let Some(head) = read_head(&entry.head.text, organisation, requests) else {
        return Vec::new();
    };
    if entry.body.is_empty() && is_listed_name(&entry.head.text) {
        return Vec::new();
    }
    let item_ref = section.reference(&entry.head.label);
    // The item's own paragraphs end at a closing paragraph.
    let body: Vec<&Line> = entry
        .body
        .iter()
        .copied()
        .enumerate()
        .take_while(|(k, l)| {
            // A paragraph right under the heading that opens on its grounds ("Căn cứ chức
            // năng, nhiệm vụ, …") with no subject of its own is the heading body's duty.
            let own_duty = *k == 0
                && super::directives::opens_on_grounds(&l.text)
                && super::directives::after_grounds(&l.text).is_none()
                && !super::directives::only_carries_out(&l.text);
            !(l.mark == Mark::Plain && is_closer(&l.text) && !own_duty)
        })
        .map(|(_, l)| l)
        .collect();
    if let Some(out) = addressed_groups(&item_ref, &body, ctx) {
        return out;
    }
    let has_duties = body.iter().any(|l| {
        matches!(
            l.mark,
            Mark::Dash | Mark::Letter | Mark::Star | Mark::Number
        )
    });
    match head {
        // "1. Các cơ quan … xây dựng kế hoạch …; đề ra giải pháp …." over dashes: the
        // sentence is a duty of its own and each dash another duty of the same body.
        Head::Inline(lead, rest)
            if has_duties
                && !rest.trim_end().ends_with(':')
                && body.first().is_some_and(|l| l.mark == Mark::Dash) =>
        {
            // A head that only names its body ("Thủ trưởng các cơ quan, đơn vị được giao
            // nhiệm vụ", "Ủy ban nhân dân các xã: Gia Thuận, Tân Điền") gives no duty.
            let mut out = Vec::new();
            // A heading carries no full stop ("5. Các chủ đầu tư xây dựng và kinh doanh hạ
            // tầng Khu công nghiệp"); a duty sentence does.
            let words = rest.split_whitespace().count();
            let names_only = words < 14 || (words <= 30 && !rest.trim_end().ends_with(['.', ';']));
            // Such a head is the body's whole name, whatever words of the genre it holds
            // ("Các chủ đầu tư xây dựng và kinh doanh hạ tầng Khu công nghiệp").
            let head = entry.head.text.trim().trim_end_matches(['.', ':']);
            let lead = match parse_list(head) {
                named if names_only && !head.contains(':') && !named.is_empty() => named,
                _ => lead,
            };
            if !names_only {
                out.push(duty_task(
                    item_ref.clone(),
                    rest.clone(),
                    lead.clone(),
                    &rest,
                    &[entry.head],
                    ctx,
                ));
            }
            let dashes = body.iter().take_while(|l| l.mark == Mark::Dash);
            for (k, duty) in dashes.enumerate() {
                let letter = LETTERS
                    .get(k)
                    .map_or_else(|| (k + 1).to_string(), |s| (*s).to_string());
                out.push(duty_task(
                    format!("{item_ref}.{letter}"),
                    duty.text.clone(),
                    lead.clone(),
                    &duty.text,
                    &[*duty],
                    ctx,
                ));
            }
            out
        }
        Head::Inline(lead, rest) if !(rest.trim_end().ends_with(':') && has_duties) => {
            let mut parts = vec![entry.head];
            parts.extend(body.iter().copied());
            let mut content = rest.clone();
            let more = join_content(&body);
            if !more.is_empty() {
                content.push(if body[0].mark == Mark::Plain {
                    ' '
                } else {
                    '\n'
                });
                content.push_str(&more);
            }
            vec![duty_task(item_ref, content, lead, &rest, &parts, ctx)]
        }
        Head::Inline(lead, head_text) | Head::Heading(lead, head_text) => {
            // "2. Sở Giáo dục và Đào tạo chủ trì, phối hợp với Sở Nông nghiệp và Môi
            // trường, …:" over dashes: the partners named in the head coordinate every dash.
            let mut head_partners = coordinating_in(&head_text);
            // "Chủ trì, phối hợp với các cơ quan có liên quan tham mưu …:" as an unmarked
            // line over the lettered duties: its partners coordinate each of them.
            if let Some(opener) = body
                .iter()
                .take_while(|l| l.mark == Mark::Plain)
                .find(|l| l.text.trim_end().ends_with(':'))
            {
                push_unique(&mut head_partners, coordinating_in(&opener.text));
            }
            let duties: Vec<&Line> = if has_duties {
                let mut d: Vec<&Line> = Vec::new();
                for l in &body {
                    match l.mark {
                        Mark::Dash | Mark::Letter | Mark::Star | Mark::Number => d.push(l),
                        // A plain paragraph after the duties ends the list.
                        _ if !d.is_empty() => break,
                        _ => {}
                    }
                }
                d
            } else {
                body.clone()
            };
            let mut out = Vec::new();
            for (k, duty) in duties.iter().enumerate() {
                let letter = if duty.mark == Mark::Letter {
                    duty.label.clone()
                } else {
                    LETTERS
                        .get(k)
                        .map_or_else(|| (k + 1).to_string(), |s| (*s).to_string())
                };
                let reference = format!("{item_ref}.{letter}");
                let parts = vec![*duty];
                let mut task = duty_task(
                    reference,
                    duty.text.clone(),
                    lead.clone(),
                    &duty.text,
                    &parts,
                    ctx,
                );
                push_unique(&mut task.coordinating, head_partners.clone());
                out.push(task);
            }
            out
        }
    }
}

/// A numbered entry of a list of names ("7. Công ty Cổ phần Công trình Đô thị Long Biên",
/// "18. Công ty TNHH Tập đoàn xây dựng Thanh Bình"): no full stop and only a few words after
/// what reads as a verb inside the name. A duty runs on after its verb.
fn is_listed_name(text: &str) -> bool {
    let t = text.trim();
    if t.ends_with(['.', ';', ':']) || t.split_whitespace().count() > 16 {
        return false;
    }
    first_verb(t).is_some_and(|at| t[at..].split_whitespace().count() <= 5)
}

/// The addressee of a sub-heading "9.1. Đối với các cơ sở sản xuất …:" (an example list in
/// brackets after it left out).
fn addressee(l: &Line) -> Option<Vec<AgencyRef>> {
    let t = l.text.trim().trim_matches('*').trim();
    let t = t.strip_suffix(':')?.trim_end_matches('*').trim();
    let rest = t
        .strip_prefix("Đối với ")
        .or_else(|| t.strip_prefix("đối với "))?;
    let rest = rest.find(" (").map_or(rest, |i| &rest[..i]);
    let rest = rest.trim_end_matches(['*', ' ']);
    let lead = parse_list(rest);
    (!lead.is_empty()).then_some(lead)
}

/// An item whose body is split by "Đối với <bodies>:" sub-headings: each sub-heading
/// addresses the duties below it, and the item's own head is only their topic.
fn addressed_groups(item_ref: &str, body: &[&Line], ctx: &mut Ctx) -> Option<Vec<TaskDraft>> {
    let first = body.iter().find(|l| !l.text.trim().is_empty())?;
    addressee(first)?;
    let mut out = Vec::new();
    let mut current: Option<(String, Vec<AgencyRef>, usize)> = None;
    for l in body {
        if let Some(lead) = addressee(l) {
            let label = if l.label.is_empty() || l.label == "-" {
                (out.len() + 1).to_string()
            } else {
                l.label.rsplit('.').next().unwrap_or(&l.label).to_string()
            };
            current = Some((label, lead, 0));
            continue;
        }
        let Some((label, lead, k)) = current.as_mut() else {
            continue;
        };
        if !matches!(l.mark, Mark::Dash | Mark::Star | Mark::Letter) || l.text.trim().is_empty() {
            continue;
        }
        let letter = LETTERS
            .get(*k)
            .map_or_else(|| (*k + 1).to_string(), |s| (*s).to_string());
        *k += 1;
        out.push(duty_task(
            format!("{item_ref}.{label}.{letter}"),
            l.text.clone(),
            lead.clone(),
            &l.text,
            &[*l],
            ctx,
        ));
    }
    Some(out)
}

/// One duty: a subject of its own overrides the heading's lead; "phối hợp với …" gives the
/// coordinating agencies.
fn duty_task(
    reference: String,
    content: String,
    heading_lead: Vec<AgencyRef>,
    sentence: &str,
    parts: &[&Line],
    ctx: &mut Ctx,
) -> TaskDraft {
    let mut lead = heading_lead;
    let mut coordinating = Vec::new();
    if starts_body(sentence) {
        let a = read_assignment(sentence);
        // "Người đứng đầu cơ quan, đơn vị" restates the heading; a named body replaces it.
        if !a.lead.is_empty() && !a.lead.iter().any(|l| is_person_title(&l.name)) {
            lead = a.lead;
        }
        push_unique(&mut coordinating, a.coordinating);
    } else {
        push_unique(&mut coordinating, coordinating_in(sentence));
    }
    let deadline = ctx.deadline_in(&[&content], &reference);
    let deliverable = deliverable::from_content(&content);
    TaskDraft {
        reference,
        content,
        lead,
        coordinating,
        deadline,
        deliverable,
        source: span(parts, "agency_paragraph"),
        progress: None,
    }
}
