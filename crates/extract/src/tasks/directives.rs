//! Duties given in prose, at any depth, in plans and in documents that are not plans
//! (Kết luận, Công văn, Chỉ thị, Công điện): read after the other layouts, over the
//! sections none of them took.
//!
//! One model for every such duty: a content span, the lead and coordinating agencies read
//! from around it, and the labelled fields that follow it. The lead comes, in order, from
//! the duty's own words ("Giao Sở Nội vụ chủ trì …", "Đề nghị UBND các tỉnh …", "Bộ Công
//! an: …", "Sở Y tế chủ trì …"), from the agency heading the list it belongs to
//! ("1.2. Sở Tài chính" over its dashes; "- Đảng ủy Chính phủ khẩn trương … như sau:" over
//! its "+" items); a "Thời gian/Thời hạn … :" line right after a duty is its deadline.

use std::collections::HashSet;

use once_cell::sync::Lazy;
use regex::Regex;

use tinhgon_domain::{AgencyRef, DeadlineKind, TaskDraft};

use super::{is_closer, is_final_call, kind_of, sections, span, Ctx, Line, Mark, SectionKind};
use crate::agency::{
    coordinating_in, first_verb, is_person_title, looks_like_agency, parse_list, push_unique,
    read_assignment,
};
use crate::deliverable;
use crate::paragraphs::{fold_start, Para};

/// Words that hand a duty to the agency after them.
const GIVING: &[&str] = &["giao ", "de nghi ", "yeu cau ", "chi dao "];

/// Labels of a deadline line that follows its duty.
const DEADLINE_LABELS: &[&str] = &["thoi gian", "thoi han", "tien do", "hoan thanh truoc"];

fn is_deadline_line(text: &str) -> bool {
    let f = fold_start(text, 40);
    DEADLINE_LABELS.iter().any(|l| f.starts_with(l)) && f.contains(':')
}

/// The agency a giving word addresses, and the text from it on.
pub(crate) fn given(text: &str) -> Option<&str> {
    let f = fold_start(text, 12);
    let word = GIVING.iter().find(|g| f.starts_with(*g))?;
    let rest = text
        .char_indices()
        .nth(word.chars().count())
        .map(|(b, _)| &text[b..])?;
    looks_like_agency(rest).then_some(rest)
}

/// "Bộ Công an: …" / "Sở Tài chính - Cơ quan thường trực:" — agencies before a colon.
fn colon_head(text: &str) -> Option<(Vec<AgencyRef>, &str)> {
    let colon = text.find(':')?;
    let subject = &text[..colon];
    if subject.split_whitespace().count() > 32 || !looks_like_agency(subject) {
        return None;
    }
    // "Sở Tài chính phối hợp Ban Quản lý Khu kinh tế: hướng dẫn …": the body before
    // "phối hợp" leads; its partners are read by the caller.
    let subject = match first_verb(subject) {
        Some(at) if subject[at..].starts_with("phối hợp") => &subject[..at],
        Some(_) => return None,
        None => subject,
    };
    if subject.split_whitespace().count() > 16 {
        return None;
    }
    let lead = parse_list(subject);
    (!lead.is_empty()).then(|| (lead, text[colon + 1..].trim()))
}

/// A line that only names agencies ("1.2. Sở Tài chính - Cơ quan thường trực Ban Chỉ đạo",
/// "Ủy ban nhân dân các phường, xã"): the head of the duties below it.
fn agency_heading(l: &Line) -> Option<Vec<AgencyRef>> {
    let t = l.text.trim().trim_end_matches(':');
    // "1.5. Trách nhiệm của đối tượng thực hiện kiểm kê:" names its body, whatever words
    // the name is made of.
    if let Some(body) = responsibility_of(t) {
        let lead = parse_list(body);
        return (!lead.is_empty()).then_some(lead);
    }
    // "Các cơ quan tham mưu … (gồm các Sở: …)": the examples in brackets are not the name.
    let t = match t.find(" (") {
        Some(i) if t.ends_with(')') => &t[..i],
        _ => t,
    };
    // "c) Đề nghị Trung ương Mặt trận Tổ quốc Việt Nam": the request over its list.
    let t = given(t).unwrap_or(t);
    if t.is_empty() || !looks_like_agency(t) || t.split_whitespace().count() > 14 {
        return None;
    }
    if first_verb(t).is_some() || t.ends_with('.') {
        return None;
    }
    // "Sở Tài chính - Cơ quan thường trực …": the role after the dash is not another body.
    let name = t.split(" - ").next().unwrap_or(t);
    let lead = parse_list(name);
    (!lead.is_empty()).then_some(lead)
}

/// The body of a heading "Trách nhiệm của <body>" (brackets after it left out).
fn responsibility_of(text: &str) -> Option<&str> {
    let rest = text
        .strip_prefix("Trách nhiệm của ")
        .or_else(|| text.strip_prefix("Nhiệm vụ của "))?;
    let rest = rest.find(" (").map_or(rest, |i| &rest[..i]).trim();
    (!rest.is_empty() && rest.split_whitespace().count() <= 14 && !rest.ends_with('.'))
        .then_some(rest)
}

/// "b) Chủ trì, phối hợp:" with nothing after it: the dashes below name the partners.
fn opens_partners(text: &str) -> bool {
    let f = fold_start(text, 40);
    let f = f.trim_end_matches([':', ' ', '.']);
    matches!(
        f,
        "chu tri, phoi hop" | "chu tri, phoi hop voi" | "chu tri phoi hop voi"
    )
}

/// "- Sở Tài chính và các đơn vị có liên quan tham mưu …" under such an opener: the
/// heading's agency leads, the dash's subject coordinates, the rest is the duty.
fn with_partner(
    lead: &[AgencyRef],
    text: &str,
) -> Option<(Vec<AgencyRef>, Vec<AgencyRef>, String)> {
    let a = read_assignment(text);
    if a.lead.is_empty() {
        return None;
    }
    let content = text.get(a.subject_end..)?.trim();
    if content.split_whitespace().count() < 3 {
        return None;
    }
    let mut coordinating = a.lead;
    push_unique(&mut coordinating, a.coordinating);
    Some((lead.to_vec(), coordinating, content.to_string()))
}

fn depth_of_letter() -> usize {
    8
}

/// Depth of a marker, to know when a heading's list ends: "1." is 1, "1.2." is 2, letters
/// and dashes lie below every number.
fn depth(l: &Line) -> usize {
    match l.mark {
        Mark::Roman | Mark::Article => 0,
        Mark::Number => 1 + l.label.matches('.').count(),
        Mark::Letter => depth_of_letter(),
        // "- Bộ Công Thương" heads "+ …" items.
        Mark::Dash if l.para.text.starts_with('+') => 10,
        Mark::Dash | Mark::Star => 9,
        Mark::Plain => 11,
    }
}

/// The articles every decision carries ("Ban hành kèm theo Quyết định này …", "… chịu
/// trách nhiệm thi hành Quyết định này"): they give no duty of their own.
fn is_boilerplate(text: &str) -> bool {
    let f = fold_start(text, 400);
    f.starts_with("ban hanh kem theo")
        || f.contains("chiu trach nhiem thi hanh")
        || f.contains("co hieu luc ke tu")
        || f.contains("co hieu luc thi hanh")
}

/// A field label or list title on its own ("Hội nghị tuyên truyền, tập huấn:").
fn is_bare_label(text: &str) -> bool {
    text.trim_end().ends_with(':') && text.split_whitespace().count() <= 8
}

/// A title in capitals ("ĐỀ XUẤT KIẾN NGHỊ CỦA CÁC ĐỊA PHƯƠNG …", "PHỤ LỤC"): a heading,
/// never a duty.
fn is_caps_heading(text: &str) -> bool {
    // The first words decide: a heading runs on into its "(Kèm theo …)" line.
    let words: Vec<&str> = text.split_whitespace().take(5).collect();
    let letters: Vec<char> = words
        .concat()
        .chars()
        .filter(|c| c.is_alphabetic())
        .collect();
    words.len() >= 4 && letters.len() >= 12 && letters.iter().all(|c| c.is_uppercase())
}

/// Who a duty line itself names as lead, and the content without the giving words.
pub(crate) fn own_lead(text: &str) -> Option<(Vec<AgencyRef>, Vec<AgencyRef>, String)> {
    if let Some(found) = reply(text) {
        return Some(found);
    }
    if let Some(found) = after_grounds(text) {
        return Some(found);
    }
    if is_closer(text) && given(text).is_none() || is_boilerplate(text) || is_final_call(text) {
        return None;
    }
    if let Some(rest) = given(text) {
        let a = read_assignment(rest);
        if !a.lead.is_empty() {
            return Some((a.lead, a.coordinating, text.to_string()));
        }
    }
    if let Some((lead, rest)) = colon_head(text) {
        if !rest.is_empty() {
            let head = &text[..text.len() - rest.len()];
            let mut coord = coordinating_in(head.trim_end().trim_end_matches(':'));
            push_unique(&mut coord, coordinating_in(rest));
            return Some((lead, coord, rest.to_string()));
        }
    }
    if looks_like_agency(text) && first_verb(text).is_some() {
        let a = read_assignment(text);
        if !a.lead.is_empty() && !a.lead.iter().any(|l| is_person_title(&l.name)) {
            return Some((a.lead, a.coordinating, text.to_string()));
        }
    }
    after_topic(text)
}

/// Labels of a plan's frame rather than of work: aims, viewpoints, targets, scope,
/// principles, criteria ("Mục tiêu cụ thể: Các sở … phấn đấu …" states a goal).
fn is_frame_label(topic: &str) -> bool {
    let f = fold_start(topic, 16);
    [
        "muc tieu",
        "muc dich",
        "quan diem",
        "chi tieu",
        "yeu cau",
        "pham vi",
        "doi tuong",
        "nguyen tac",
        "tieu chuan",
        "tieu chi",
        "hinh thuc",
        "ket qua",
        "y nghia",
    ]
    .iter()
    .any(|p| f.starts_with(p))
}

/// A duty after its topic label ("Thực hiện mở tài khoản và phát hành thẻ: Ủy ban nhân dân
/// xã, phường phối hợp với …", "Thực hiện chi trả …: Sau khi …, Ủy ban nhân dân xã, phường
/// …"): the sentence after the colon names its body and is the content.
fn after_topic(text: &str) -> Option<(Vec<AgencyRef>, Vec<AgencyRef>, String)> {
    let (topic, rest) = text.split_once(": ")?;
    let words = topic.split_whitespace().count();
    // Category labels ("Tập thể:", "Cá nhân:") and "Đối với …:" sub-headings say who is
    // meant, not what is to be done.
    if !(3..=24).contains(&words)
        || topic.contains(['.', ';', ':'])
        || looks_like_agency(topic)
        || fold_start(topic, 8).starts_with("doi voi")
        || is_frame_label(topic)
    {
        return None;
    }
    let rest = rest.trim();
    // A sentence that opens a list ("… đạt các tiêu chuẩn sau:") is no duty of its own.
    if !rest.starts_with(char::is_uppercase) || rest.trim_end().ends_with(':') {
        return None;
    }
    if let Some((lead, coord, _)) = after_grounds(rest) {
        return Some((lead, coord, rest.to_string()));
    }
    if crate::agency::starts_body(rest) && first_verb(rest).is_some() {
        let a = read_assignment(rest);
        if !a.lead.is_empty() && !a.lead.iter().any(|l| is_person_title(&l.name)) {
            return Some((a.lead, a.coordinating, rest.to_string()));
        }
    }
    None
}

/// A duty whose grounds come first ("Trên cơ sở đó, Bộ Tư pháp tổng hợp …", "Căn cứ Kế
/// hoạch này, các Sở, ban, ngành … xây dựng …"): the subject after the grounds leads, and the
/// whole sentence is the content.
pub(crate) fn after_grounds(text: &str) -> Option<(Vec<AgencyRef>, Vec<AgencyRef>, String)> {
    if !opens_on_grounds(text) {
        return None;
    }
    let head = match text.char_indices().nth(300) {
        Some((b, _)) => &text[..b],
        None => text,
    };
    let at = head
        .match_indices(", ")
        .map(|(i, _)| i + 2)
        .find(|&i| crate::agency::starts_body(&text[i..]))?;
    let rest = &text[at..];
    first_verb(rest)?;
    let a = read_assignment(rest);
    if a.lead.is_empty() || a.lead.iter().any(|l| is_person_title(&l.name)) {
        return None;
    }
    Some((a.lead, a.coordinating, text.to_string()))
}

/// A duty opened on its grounds that only says to carry out the plan ("Căn cứ chức năng,
/// nhiệm vụ, phối hợp với các cơ quan liên quan triển khai thực hiện Kế hoạch theo quy
/// định", "…, các sở … nghiên cứu triển khai thực hiện, đảm bảo phù hợp với chức năng …"):
/// no work of its own, so no task.
pub(crate) fn only_carries_out(text: &str) -> bool {
    let f = tinhgon_textkit::fold(text);
    let Some(at) = f.find("trien khai thuc hien") else {
        return false;
    };
    // Nothing but grounds, the body and its partners before; the plan and a frame after.
    let before = &f[..at];
    let after = f[at + "trien khai thuc hien".len()..].trim_start();
    let work_before = [
        "xay dung",
        "bao cao",
        "tuyen truyen",
        "de xuat",
        "kiem tra",
        "ra soat",
        "to chuc cac",
        "ban hanh",
        "tham muu",
        "huong dan",
        "bo tri",
        "tong hop",
    ]
    .iter()
    .any(|w| before.contains(w));
    let after = after
        .trim_start_matches("ke hoach nay")
        .trim_start_matches("ke hoach")
        .trim_start()
        .trim_start_matches("theo quy dinh")
        .trim_start();
    let frame_only = after.is_empty()
        || after.starts_with('.')
        || after.starts_with(", dam bao phu hop")
        || after.starts_with(", bao dam phu hop");
    !work_before && frame_only && f.split_whitespace().count() <= 40
}

/// True when a paragraph opens on its grounds ("Căn cứ …", "Trên cơ sở …").
pub(crate) fn opens_on_grounds(text: &str) -> bool {
    let f = fold_start(text, 12);
    f.starts_with("tren co so") || f.starts_with("can cu ") || f.starts_with("sau khi ")
}

/// A conclusion's reply to a request ("Về đề nghị Bộ Nội vụ …: Bộ Nội vụ nghiên cứu …"):
/// the request before the colon is the asker's, the duty is the first sentence after it
/// that names who acts.
fn reply(text: &str) -> Option<(Vec<AgencyRef>, Vec<AgencyRef>, String)> {
    let f = fold_start(text, 20);
    if !["ve de nghi", "ve kien nghi", "ve de xuat"]
        .iter()
        .any(|p| f.starts_with(p))
    {
        return None;
    }
    let (_, answer) = text.split_once(": ")?;
    let starts = std::iter::once(0).chain(answer.match_indices(". ").map(|(i, _)| i + 2));
    for at in starts {
        let rest = answer[at..].trim_start();
        if looks_like_agency(rest) && first_verb(rest).is_some() {
            let a = read_assignment(rest);
            if !a.lead.is_empty() {
                return Some((a.lead, a.coordinating, rest.to_string()));
            }
        }
    }
    None
}

/// The addressees of a letter ("Kính gửi: Chủ tịch Ủy ban nhân dân các tỉnh, …"): the
/// lead of its duties that name no one else.
fn addressees(paras: &[Para]) -> Option<Vec<AgencyRef>> {
    let p = paras
        .iter()
        .take(60)
        .find(|p| fold_start(&p.text, 10).starts_with("kinh gui"))?;
    let (_, rest) = p.text.split_once(':')?;
    let rest = rest.trim().trim_end_matches(['.', ';']);
    if rest.is_empty() || rest.split_whitespace().count() > 30 {
        return None;
    }
    let lead = parse_list(rest);
    (!lead.is_empty()).then_some(lead)
}

static MET_WITH: Lazy<Regex> = Lazy::new(|| {
    Regex::new(r"(?i:làm việc với)\s+(?:(?i:lãnh đạo)\s+)?((?:tỉnh|thành phố)(?:\s+\p{Lu}\p{L}*)+)")
        .expect("static regex")
});

/// The province or city a conclusion notice answers ("kết luận tại buổi làm việc với lãnh
/// đạo tỉnh Phú Thọ"): the lead of its duties that name no one else.
fn counterpart(paras: &[Para]) -> Option<Vec<AgencyRef>> {
    let head = &paras[..paras.len().min(60)];
    if !head
        .iter()
        .any(|p| fold_start(&p.text, 400).contains("ket luan"))
    {
        return None;
    }
    let place = head
        .iter()
        .find_map(|p| MET_WITH.captures(&p.text)?.get(1))?;
    let lead = parse_list(place.as_str());
    (!lead.is_empty()).then_some(lead)
}

/// A topic heading of a letter ("1. Về kiện toàn tổ chức bộ máy …"): not a duty.
fn is_topic(l: &Line) -> bool {
    let f = fold_start(&l.text, 8);
    f.starts_with("ve ") || (l.mark == Mark::Number && l.text.split_whitespace().count() < 12)
}

/// Tasks from the paragraphs whose lines no task covers yet.
pub(crate) fn tasks(paras: &[Para], taken: &[TaskDraft], ctx: &mut Ctx) -> Vec<TaskDraft> {
    let letter = addressees(paras);
    let met = counterpart(paras);
    let covered: HashSet<usize> = taken
        .iter()
        .flat_map(|t| t.source.line_start..=t.source.line_end)
        .collect();
    let mut out: Vec<TaskDraft> = Vec::new();
    for section in sections(paras) {
        // A section another layout read is left to it: its other paragraphs are the
        // layout's own context, not duties of their own.
        let read_already = section
            .lines
            .iter()
            .any(|l| covered.contains(&(l.para.line_start + 1)));
        if kind_of(&section.title) == SectionKind::Purpose || read_already {
            continue;
        }
        // The meeting's account before the first heading is no duty of the counterpart's.
        let addressed = if section.label.is_empty() {
            letter.clone()
        } else {
            letter.clone().or_else(|| met.clone())
        };
        // The agency heading the current list, with the depth of its line.
        let mut heading: Option<(Vec<AgencyRef>, usize)> = None;
        // A marked duty line ending in ":" ("3. Giao Đảng ủy Chính phủ lãnh đạo, chỉ
        // đạo:"): the deeper items below it that name no one share its lead and partners.
        let mut opener: Option<(Vec<AgencyRef>, Vec<AgencyRef>, usize)> = None;
        let mut last_here: Option<usize> = None;
        // The heading's agency after a bare "Chủ trì, phối hợp" over dashes that each
        // name the partner first.
        let mut partners_of: Option<Vec<AgencyRef>> = None;
        let mut recipients = false;
        let mut n = 0;
        // First task of the current run of "+" sub-items, and whether the last task was one.
        let mut plus_run: Option<usize> = None;
        let mut plus_last = false;
        for l in &section.lines {
            let free = !covered.contains(&(l.para.line_start + 1));
            let d = depth(l);
            if heading
                .as_ref()
                .is_some_and(|(_, hd)| d <= *hd && l.mark != Mark::Plain)
            {
                heading = None;
            }
            // An opener's items end at the next marked line as shallow as it.
            if opener
                .as_ref()
                .is_some_and(|(_, _, od)| l.mark != Mark::Plain && d <= *od)
            {
                opener = None;
            }
            if !free {
                last_here = None;
                continue;
            }
            if is_deadline_line(&l.text) {
                if let Some(k) = last_here {
                    // After "+" sub-items the line belongs to the item they detail, so to
                    // each of them.
                    let from = plus_run.filter(|_| plus_last).unwrap_or(k);
                    for t in &mut out[from..=k] {
                        attach_deadline(t, l, ctx);
                    }
                }
                plus_run = None;
                continue;
            }
            if is_caps_heading(&l.text) {
                last_here = None;
                continue;
            }
            if fold_start(&l.text, 10).starts_with("noi nhan") {
                // The recipients of the document, not duties.
                recipients = true;
            }
            if recipients {
                continue;
            }
            let heading_mark = matches!(l.mark, Mark::Number | Mark::Letter | Mark::Plain)
                || (l.mark == Mark::Dash && !l.para.text.starts_with('+'));
            // "2.10. Đề nghị Viện kiểm sát nhân dân tỉnh, Tòa án nhân dân tỉnh" over dashes:
            // a request that names only its addressees heads their duties.
            let only_addressees = given(l.text.trim()).is_some();
            if heading_mark && (only_addressees || own_lead(&l.text).is_none()) {
                if let Some(lead) = agency_heading(l) {
                    // An unmarked "Ủy ban nhân dân các tỉnh …:" heads the dashes below it as
                    // a lettered heading would; the next letter or number ends its list.
                    let hd = if l.mark == Mark::Plain {
                        depth_of_letter()
                    } else {
                        d
                    };
                    heading = Some((lead, hd));
                    last_here = None;
                    continue;
                }
            }
            if matches!(l.mark, Mark::Letter | Mark::Number) && opens_partners(&l.text) {
                partners_of = heading.as_ref().map(|(h, _)| h.clone());
                last_here = None;
                continue;
            }
            if l.mark != Mark::Dash {
                partners_of = None;
            }
            let found = partners_of
                .as_ref()
                .and_then(|lead| with_partner(lead, &l.text));
            // Under an agency heading, "Chỉ đạo Đoàn Thanh niên …" is the heading body's
            // duty to direct its member organisation, not the member's own.
            let directs = heading.is_some() && fold_start(&l.text, 10).starts_with("chi dao ");
            let found = found
                .or_else(|| (!directs).then(|| own_lead(&l.text)).flatten())
                .or_else(|| {
                    let partners = opener
                        .as_ref()
                        .map(|(_, c, _)| c.clone())
                        .unwrap_or_default();
                    let lead = opener
                        .as_ref()
                        .map(|(o, _, _)| o.clone())
                        .or_else(|| heading.as_ref().map(|(h, _)| h.clone()))
                        .or_else(|| (!is_topic(l)).then(|| addressed.clone()).flatten())?;
                    // In a letter, a long plain paragraph under a topic heading is a duty of
                    // the addressees too.
                    let listed = matches!(
                    l.mark,
                    Mark::Dash | Mark::Star | Mark::Letter | Mark::Number
                ) || (addressed.is_some()
                    && heading.is_none()
                    && l.text.split_whitespace().count() >= 12)
                    // A heading's only duty is often one unmarked paragraph below it.
                    || (heading.as_ref().is_some_and(|(_, hd)| (1..=7).contains(hd))
                        && !section.label.is_empty()
                        && l.text.split_whitespace().count() >= 12);
                    // Under an agency heading, "Căn cứ chức năng, nhiệm vụ …, phối hợp …" opens
                    // the body's duty rather than closing a list.
                    let grounds =
                        heading.is_some() && fold_start(&l.text, 8).starts_with("can cu ");
                    let closer = is_closer(&l.text) && !grounds;
                    (listed && l.text.split_whitespace().count() >= 5 && !closer).then(|| {
                        let mut coord = partners;
                        push_unique(&mut coord, coordinating_in(&l.text));
                        (lead, coord, l.text.clone())
                    })
                });
            let Some((lead, coord, content)) = found else {
                last_here = None;
                continue;
            };
            // "2. Yêu cầu các cấp uỷ, tổ chức đảng … không để chậm trễ." over "2.1.", "2.2.":
            // a numbered request names the addressees of the numbered items below it.
            let request_over_items = l.mark == Mark::Number && given(l.text.trim()).is_some();
            if (content.trim_end().ends_with(':') || request_over_items) && l.mark != Mark::Plain {
                opener = Some((lead.clone(), coord.clone(), d));
            }
            // Before the first heading a plain or numbered line ending in ":" is the issuer's
            // lead-in ("Sở Nội vụ ban hành Kế hoạch như sau:") or an addressee over its items
            // ("3. Giao Đảng ủy Chính phủ lãnh đạo, chỉ đạo:"), not a duty; a dash ending so
            // ("- Triển khai phân cấp theo các nguyên tắc sau:") is one.
            let lead_in = section.label.is_empty()
                && content.trim_end().ends_with(':')
                && !(matches!(l.mark, Mark::Dash | Mark::Star)
                    && content.split_whitespace().count() >= 8);
            if is_bare_label(&content) || lead_in {
                last_here = None;
                continue;
            }
            n += 1;
            let reference = section.reference(&format!("{}", n)).replace(".", ".g");
            let reference = if section.label.is_empty() {
                format!("g{n}")
            } else {
                reference
            };
            let mut coordinating = Vec::new();
            push_unique(&mut coordinating, coord);
            let deadline = ctx.deadline_in(&[&content], &reference);
            out.push(TaskDraft {
                reference,
                deliverable: deliverable::from_content(&content),
                content,
                lead,
                coordinating,
                deadline,
                source: span(&[l], "directive"),
                progress: None,
            });
            last_here = Some(out.len() - 1);
            plus_last = l.mark == Mark::Dash && l.para.text.starts_with('+');
            if !plus_last {
                plus_run = None;
            } else if plus_run.is_none() {
                plus_run = Some(out.len() - 1);
            }
        }
    }
    out
}

fn attach_deadline(t: &mut TaskDraft, l: &Line, ctx: &mut Ctx) {
    if t.deadline.kind != DeadlineKind::Unspecified {
        return;
    }
    let text = l
        .text
        .split_once(':')
        .map_or(l.text.as_str(), |(_, v)| v)
        .trim();
    t.deadline = ctx.deadline(text, &t.reference);
    t.source.line_end = t.source.line_end.max(l.para.line_end + 1);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn giving_words_and_colon_heads_name_the_lead() {
        let (lead, coord, _) = own_lead(
            "Giao Đảng uỷ Chính phủ chủ trì, phối hợp với Ban Tổ chức Trung ương nghiên cứu đề án.",
        )
        .expect("a duty");
        assert_eq!(lead[0].text, "Đảng uỷ Chính phủ");
        assert_eq!(coord[0].text, "Ban Tổ chức Trung ương");
        let (lead, _, content) =
            own_lead("Bộ Công an: chỉ đạo lực lượng công an rà soát.").expect("a duty");
        assert_eq!(lead[0].text, "Bộ Công an");
        assert!(content.starts_with("chỉ đạo"));
        assert!(own_lead("Tiếp tục rà soát các văn bản.").is_none());
        assert!(is_deadline_line("Thời gian hoàn thành: Tháng 12/2025."));
        assert!(!is_deadline_line("Thời gian qua, các sở đã làm tốt."));
    }

    #[test]
    fn a_duty_after_its_topic_label_or_its_grounds_names_its_body() {
        let (lead, coord, content) = own_lead(
            "Thực hiện mở tài khoản và phát hành thẻ: Ủy ban nhân dân xã, phường phối hợp với các Ngân hàng thương mại thực hiện mở tài khoản.",
        )
        .expect("a duty");
        assert_eq!(lead[0].text, "Ủy ban nhân dân xã, phường");
        assert_eq!(coord[0].text, "các Ngân hàng thương mại");
        assert!(content.starts_with("Ủy ban nhân dân xã"));
        let (lead, _, content) = own_lead(
            "Thực hiện chi trả: Sau khi thực hiện mở tài khoản, Ủy ban nhân dân xã, phường phối hợp với các tổ chức chi trả thực hiện ký kết hợp đồng.",
        )
        .expect("a duty");
        assert_eq!(lead[0].text, "Ủy ban nhân dân xã, phường");
        assert!(content.starts_with("Sau khi"));
        assert!(only_carries_out(
            "Căn cứ chức năng, nhiệm vụ, phối hợp với các cơ quan, đơn vị liên quan triển khai thực hiện Kế hoạch theo quy định."
        ));
        assert!(only_carries_out(
            "Căn cứ Kế hoạch này, các sở, ban, ngành cấp tỉnh nghiên cứu triển khai thực hiện, đảm bảo phù hợp với chức năng, nhiệm vụ của ngành."
        ));
        assert!(!only_carries_out(
            "Căn cứ Kế hoạch này, các Sở xây dựng kế hoạch hoặc văn bản triển khai thực hiện (hoàn thành trong tháng 11/2025)."
        ));
        // Category labels, goals and list openers are no duties.
        assert!(own_lead(
            "Tập thể: Các cơ quan, đơn vị cấp tỉnh có liên quan đến công tác bầu cử."
        )
        .is_none());
        assert!(own_lead("Mục tiêu cụ thể: Các sở, ngành rà soát 100% thủ tục.").is_none());
        assert!(own_lead(
            "Đối với cá nhân: Các cá nhân có thành tích xuất sắc, đạt các tiêu chuẩn sau:"
        )
        .is_none());
        let (lead, _, _) = own_lead(
            "Trên cơ sở đề nghị của các Bộ, cơ quan liên quan, Bộ Tài chính khẩn trương rà soát, bố trí kinh phí.",
        )
        .expect("a duty");
        assert_eq!(lead[0].text, "Bộ Tài chính");
    }

    #[test]
    fn partners_under_a_bare_opener_coordinate() {
        assert!(opens_partners("Chủ trì, phối hợp"));
        assert!(opens_partners("Chủ trì, phối hợp với:"));
        assert!(!opens_partners("Chủ trì, phối hợp với Sở Y tế rà soát."));
        let lead = parse_list("Công an tỉnh");
        let (l, c, content) = with_partner(
            &lead,
            "Sở Tài chính và các đơn vị có liên quan tham mưu Ủy ban nhân dân tỉnh bố trí ngân sách.",
        )
        .expect("a duty");
        assert_eq!(l[0].text, "Công an tỉnh");
        assert_eq!(c[0].text, "Sở Tài chính");
        assert!(content.starts_with("tham mưu"));
    }

    #[test]
    fn a_reply_to_a_request_is_the_answer() {
        let (lead, _, content) = reply(
            "Về đề nghị Bộ Nội vụ ban hành cơ chế: Bộ Nội vụ nghiên cứu đề xuất của Thành phố.",
        )
        .expect("a duty");
        assert_eq!(lead[0].text, "Bộ Nội vụ");
        assert!(content.starts_with("Bộ Nội vụ nghiên cứu"));
        assert!(reply("Bộ Nội vụ nghiên cứu đề xuất.").is_none());
    }
}
