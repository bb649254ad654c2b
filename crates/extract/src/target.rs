//! Quantitative targets a plan sets: "giảm tối thiểu 20% công chức, viên chức hưởng lương từ
//! ngân sách nhà nước", "đến năm 2026 phải giảm tối thiểu 10% biên chế … so với số biên chế
//! được giao năm 2021", "bảo đảm đến hết năm 2030 số lượng cấp phó … thực hiện đúng quy định".
//!
//! Text is read clause by clause (split at line breaks, ";" and sentence ends). In a clause,
//! each percentage is a target whose direction is the nearest verb before it ("giảm", "tăng",
//! "đạt", "cử", "tối đa" …; none means "reach", i.e. increase), whose subject is what follows
//! up to a baseline ("so với …"), a deadline or the clause end. Without a percentage, "tăng tỷ lệ
//! …" is an increase target and "số lượng … đúng quy định" a cap.

use std::ops::Range;

use chrono::NaiveDate;
use once_cell::sync::Lazy;
use regex::Regex;

use crate::vndate::re;
use tinhgon_domain::draft::Direction;
use tinhgon_domain::{DeadlineKind, Target};

use crate::deadline::find_deadline_in_prose;
use crate::vndate::Folded;

static CLAUSE_END: Lazy<Regex> = Lazy::new(|| re(r";|\.(?:\s|$)"));
static PERCENT: Lazy<Regex> = Lazy::new(|| re(r"\b(\d{1,3}(?:[.,]\d{1,2})?)\s*%"));
/// Direction verbs, folded; collisions such as "giám đốc" are checked on the original.
static VERB: Lazy<Regex> = Lazy::new(|| {
    re(
        r"\b(?:tinh gian|cat giam|giam|tang|nang|dat|cu|luan chuyen|biet phai|dieu dong|toi da|khong vuot qua|khong qua|duoi)\b",
    )
});
/// What ends a subject: a baseline, a deadline, a condition, another percentage.
static SUBJECT_END: Lazy<Regex> = Lazy::new(|| {
    re(concat!(
        r"\b(?:so voi|den (?:het |cuoi )?(?:nam|quy|thang|ngay)|trong (?:nam|quy|thang|giai doan)|truoc (?:ngay|nam|quy|thang)",
        r"|vao (?:nam|quy|thang)|theo (?:chi dao|ke hoach|lo trinh|quy dinh|huong dan)|tren co so|nham\b|dong thoi",
        r"|tro len|tro xuong)|\(|,?\s*(?:va |hoac )?\d{1,3}(?:[.,]\d{1,2})?\s*%",
    ))
});
/// What ends a baseline: a deadline or a condition.
static BASELINE_END: Lazy<Regex> = Lazy::new(|| {
    re(
        r"\b(?:den (?:het |cuoi )?(?:nam|quy|thang)|truoc (?:ngay|nam|quy|thang)|theo (?:chi dao|ke hoach|lo trinh)|tren co so|nham\b|dong thoi)|\(",
    )
});
static YEAR: Lazy<Regex> = Lazy::new(|| re(r"\b(1[89]\d{2}|2[01]\d{2})\b"));
static RATE: Lazy<Regex> = Lazy::new(|| re(r"\b(tang|nang cao|nang|giam|ha)\s+(ty le\b)"));
static RATE_END: Lazy<Regex> = Lazy::new(|| {
    re(
        r"\b(?:de|nham|dong thoi|so voi|den (?:het )?nam|len|xuong)\b|\(|,\s*(?:tang|giam|nang|dat)\b",
    )
});
static CAP_CUE: Lazy<Regex> = Lazy::new(|| {
    re(
        r"\b(?:dung quy dinh|theo (?:dung )?quy dinh|dung khung|trong khung|khong vuot qua|khong qua|toi da|phu hop (?:voi )?quy dinh)\b",
    )
});
static COUNT: Lazy<Regex> = Lazy::new(|| re(r"\bso luong\b"));
static COUNT_STOP: Lazy<Regex> = Lazy::new(|| {
    re(
        r"^(?:cua|thuc hien|dung|theo|khong|phai|o|tai|trong|bao dam|dam bao|duoc|va|phu hop|can|se|da|toi)\b",
    )
});

/// Finds the quantitative targets stated in `text`; `task_ref` is left for the caller.
pub fn find_targets(text: &str, doc_date: Option<NaiveDate>) -> Vec<Target> {
    let mut out: Vec<Target> = Vec::new();
    for line in text.lines() {
        let folded = Folded::new(line);
        for clause in clauses(&folded.text) {
            for t in clause_targets(&folded, clause, doc_date) {
                merge(&mut out, t);
            }
        }
    }
    out
}

/// Keeps the first of identical targets, completing it with a later one's deadline.
fn merge(out: &mut Vec<Target>, t: Target) {
    let key = |t: &Target| {
        (
            t.direction,
            t.percent.map(f64::to_bits),
            tinhgon_textkit::fold(&t.subject),
            t.baseline.as_deref().map(tinhgon_textkit::fold),
        )
    };
    match out.iter_mut().find(|o| key(o) == key(&t)) {
        Some(existing) => {
            if existing.deadline.is_none() {
                existing.deadline = t.deadline;
            }
        }
        None => out.push(t),
    }
}

fn clauses(folded: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    for m in CLAUSE_END.find_iter(folded) {
        out.push(start..m.start());
        start = m.end();
    }
    out.push(start..folded.len());
    out.retain(|r| !r.is_empty());
    out
}

fn clause_targets(
    folded: &Folded,
    clause: Range<usize>,
    doc_date: Option<NaiveDate>,
) -> Vec<Target> {
    let text = folded.text.get(clause.clone()).unwrap_or("");
    let whole = clause_text(folded, clause.clone());
    let mut out = Vec::new();
    let mut from = 0;
    for caps in PERCENT.captures_iter(text) {
        let (Some(m), Some(n)) = (caps.get(0), caps.get(1)) else {
            continue;
        };
        let Ok(percent) = n.as_str().replace(',', ".").parse::<f64>() else {
            continue;
        };
        // "giảm 10% … và 12% …": a percentage with no verb of its own shares the one before.
        let inherited = out
            .last()
            .map_or(Direction::Increase, |t: &Target| t.direction);
        let direction =
            direction_before(folded, clause.start, text, from..m.start()).unwrap_or(inherited);
        from = m.end();
        let rest = text.get(m.end()..).unwrap_or("");
        let subject_len = SUBJECT_END.find(rest).map_or(rest.len(), |e| e.start());
        let mut subject = slice(
            folded,
            clause.start + m.end(),
            clause.start + m.end() + subject_len,
        );
        if subject.is_empty() {
            subject = subject_before(folded, clause.start, text, m.start());
        }
        let (baseline, baseline_range) =
            baseline_after(folded, clause.start, text, m.end() + subject_len);
        out.push(Target {
            text: whole.clone(),
            percent: Some(percent),
            subject,
            direction,
            baseline_year: baseline.as_deref().and_then(last_year),
            baseline,
            deadline: deadline_in(folded, clause.clone(), baseline_range, doc_date),
            task_ref: None,
            staffing: None,
        });
    }
    if out.is_empty() {
        out.extend(rate_target(folded, clause.clone(), doc_date));
    }
    if out.is_empty() {
        out.extend(cap_target(folded, clause, doc_date));
    }
    out
}

fn slice(folded: &Folded, start: usize, end: usize) -> String {
    folded
        .orig_slice(start..end)
        .trim_matches(|c: char| c.is_whitespace() || matches!(c, ',' | ':' | '-' | '–'))
        .to_string()
}

/// The clause as written, without a leading list marker.
fn clause_text(folded: &Folded, clause: Range<usize>) -> String {
    static MARKER: Lazy<Regex> =
        Lazy::new(|| re(r"^\s*(?:[-–+*•]|[a-zđ]\)|\d{1,2}(?:\.\d{1,2})*[.)])\s*"));
    let s = folded.orig_slice(clause);
    let s = MARKER.find(s).map_or(s, |m| &s[m.end()..]);
    s.trim().to_string()
}

/// Direction of the last direction verb in `window` of the clause.
fn direction_before(
    folded: &Folded,
    base: usize,
    text: &str,
    window: Range<usize>,
) -> Option<Direction> {
    let part = text.get(window.clone())?;
    VERB.find_iter(part)
        .filter_map(|v| {
            let at = base + window.start + v.start();
            verb_direction(
                v.as_str(),
                folded.orig_slice(at..at + v.len()),
                part.get(v.end()..).unwrap_or(""),
            )
        })
        .last()
}

/// Reads a verb; with diacritics present the written form decides ("giảm" yes, "giám" no).
fn verb_direction(folded_verb: &str, written: &str, after: &str) -> Option<Direction> {
    let written = written.to_lowercase();
    let plain = written.is_ascii();
    let is = |accented: &str| {
        if plain {
            folded_verb == tinhgon_textkit::fold(accented)
        } else {
            written == accented
        }
    };
    if is("giảm") || is("tinh giản") || is("cắt giảm") {
        // Without diacritics "giam doc" / "giam sat" are the collisions to rule out.
        let noun = plain
            && ["doc", "sat", "dinh", "ho"]
                .iter()
                .any(|w| after.trim_start().starts_with(w));
        return (!noun).then_some(Direction::Decrease);
    }
    if is("tối đa") || is("không vượt quá") || is("không quá") || is("dưới") {
        return Some(Direction::Cap);
    }
    let increase = [
        "tăng",
        "nâng",
        "đạt",
        "cử",
        "luân chuyển",
        "biệt phái",
        "điều động",
    ];
    increase
        .iter()
        .any(|w| is(w))
        .then_some(Direction::Increase)
}

/// A subject written before the percentage ("tỷ lệ hồ sơ trực tuyến đạt 100%").
fn subject_before(folded: &Folded, base: usize, text: &str, at: usize) -> String {
    let before = text.get(..at).unwrap_or("");
    let start = before.rfind(',').map_or(0, |c| c + 1);
    let mut end = before.len();
    if let Some(v) = VERB.find_iter(before).filter(|v| v.start() >= start).last() {
        end = v.start();
    }
    let s = slice(folded, base + start, base + end);
    s.trim_end_matches(|c: char| c.is_whitespace()).to_string()
}

fn baseline_after(
    folded: &Folded,
    base: usize,
    text: &str,
    at: usize,
) -> (Option<String>, Option<Range<usize>>) {
    let Some(rest) = text.get(at..) else {
        return (None, None);
    };
    let trimmed = rest.trim_start_matches([' ', ',']);
    if !trimmed.starts_with("so voi") {
        return (None, None);
    }
    let from = at + (rest.len() - trimmed.len());
    let value_start = from + "so voi".len();
    let value = text.get(value_start..).unwrap_or("");
    let end = value_start + BASELINE_END.find(value).map_or(value.len(), |e| e.start());
    let baseline = slice(folded, base + value_start, base + end);
    if baseline.is_empty() {
        return (None, None);
    }
    (Some(baseline), Some(base + from..base + end))
}

fn last_year(s: &str) -> Option<i32> {
    YEAR.captures_iter(s)
        .filter_map(|c| c.get(1)?.as_str().parse().ok())
        .last()
}

/// The deadline stated in the clause, outside its baseline (whose year is not a deadline).
fn deadline_in(
    folded: &Folded,
    clause: Range<usize>,
    baseline: Option<Range<usize>>,
    doc_date: Option<NaiveDate>,
) -> Option<tinhgon_domain::Deadline> {
    let text = match baseline {
        Some(b) => format!(
            "{} {}",
            folded.orig_slice(clause.start..b.start),
            folded.orig_slice(b.end..clause.end)
        ),
        None => folded.orig_slice(clause).to_string(),
    };
    let found = find_deadline_in_prose(&text, doc_date)?;
    (found.deadline.kind != DeadlineKind::Unspecified).then_some(found.deadline)
}

/// "tăng tỷ lệ ký số, lưu trữ số …": a rate to raise or lower, no figure given.
fn rate_target(
    folded: &Folded,
    clause: Range<usize>,
    doc_date: Option<NaiveDate>,
) -> Option<Target> {
    let text = folded.text.get(clause.clone())?;
    let caps = RATE.captures(text)?;
    let (verb, noun) = (caps.get(1)?, caps.get(2)?);
    let verb_at = clause.start + verb.start();
    let direction = verb_direction(
        verb.as_str(),
        folded.orig_slice(verb_at..verb_at + verb.len()),
        "",
    )?;
    let rest = text.get(noun.start()..)?;
    let end = noun.start() + RATE_END.find(rest).map_or(rest.len(), |e| e.start());
    let subject = slice(folded, clause.start + noun.start(), clause.start + end);
    Some(Target {
        text: clause_text(folded, clause.clone()),
        percent: None,
        subject,
        direction,
        baseline: None,
        baseline_year: None,
        deadline: deadline_in(folded, clause, None, doc_date),
        task_ref: None,
        staffing: None,
    })
}

/// "bảo đảm … số lượng cấp phó … thực hiện đúng quy định": a count kept within the rules.
fn cap_target(
    folded: &Folded,
    clause: Range<usize>,
    doc_date: Option<NaiveDate>,
) -> Option<Target> {
    let text = folded.text.get(clause.clone())?;
    let cue = CAP_CUE.find(text)?;
    let count = COUNT.find_iter(text.get(..cue.start())?).last()?;
    // The counted thing is the few words after "số lượng", up to a linking word or comma.
    let mut end = count.end();
    let mut words = 0;
    for word in text.get(count.end()..cue.start())?.split_inclusive(' ') {
        let w = word.trim();
        if w.is_empty() {
            end += word.len();
            continue;
        }
        if words >= 5 || w.starts_with(',') || COUNT_STOP.is_match(w) {
            break;
        }
        let stop_here = w.ends_with(',');
        end += word.len();
        words += 1;
        if stop_here {
            break;
        }
    }
    if words == 0 {
        return None;
    }
    let subject = slice(folded, clause.start + count.start(), clause.start + end);
    let subject = subject.trim_end_matches(',').trim().to_string();
    Some(Target {
        text: clause_text(folded, clause.clone()),
        percent: None,
        subject,
        direction: Direction::Cap,
        baseline: None,
        baseline_year: None,
        deadline: deadline_in(folded, clause, None, doc_date),
        task_ref: None,
        staffing: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use tinhgon_domain::DeadlineKind as K;

    fn doc() -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(2025, 7, 25)
    }

    fn one(text: &str) -> Target {
        let mut found = find_targets(text, doc());
        assert_eq!(found.len(), 1, "{text}: {found:?}");
        found.remove(0)
    }

    #[test]
    fn seed_000_reduction_and_secondment() {
        let t = one("- Tổng hợp, tham mưu lộ trình, phương án sử dụng biên chế đảm bảo giảm tối thiểu 20% công chức, viên chức hưởng lương từ ngân sách nhà nước; báo cáo Ban Thường vụ Tỉnh ủy phương án phân bổ, sắp xếp biên chế của hệ thống chính trị tỉnh theo đúng quy định.");
        assert_eq!(t.direction, Direction::Decrease);
        assert_eq!(t.percent, Some(20.0));
        assert_eq!(
            t.subject,
            "công chức, viên chức hưởng lương từ ngân sách nhà nước"
        );
        assert_eq!(t.baseline, None);
        assert_eq!(t.deadline, None);
        assert!(
            t.text.starts_with("Tổng hợp, tham mưu lộ trình"),
            "{}",
            t.text
        );

        let t = one("- Các sở, ban, ngành, đơn vị cấp tỉnh xây dựng kế hoạch cử 5% cán bộ, công chức, viên chức trong biên chế của cơ quan, tổ chức, đơn vị đi công tác ở cơ sở theo chỉ đạo của cấp có thẩm quyền và tình hình thực tế của địa phương.");
        assert_eq!(t.direction, Direction::Increase);
        assert_eq!(t.percent, Some(5.0));
        assert_eq!(
            t.subject,
            "cán bộ, công chức, viên chức trong biên chế của cơ quan, tổ chức, đơn vị đi công tác ở cơ sở"
        );
        assert_eq!(t.deadline.map(|d| d.kind), Some(K::Conditional));
    }

    #[test]
    fn seed_003_reduction_with_baseline_and_deadline() {
        let t = one("- Tiếp tục đẩy mạnh thực hiện tinh giản biên chế với yêu cầu đến năm 2026 phải giảm tối thiểu 10% biên chế viên chức hưởng lương từ ngân sách nhà nước so với số biên chế được giao năm 2021.");
        assert_eq!(t.direction, Direction::Decrease);
        assert_eq!(t.percent, Some(10.0));
        assert_eq!(
            t.subject,
            "biên chế viên chức hưởng lương từ ngân sách nhà nước"
        );
        assert_eq!(
            t.baseline.as_deref(),
            Some("số biên chế được giao năm 2021")
        );
        assert_eq!(t.baseline_year, Some(2021));
        let d = t.deadline.expect("deadline");
        assert_eq!(
            (d.kind, d.due),
            (K::By, NaiveDate::from_ymd_opt(2026, 12, 31))
        );
    }

    #[test]
    fn seed_004_cap_on_deputies() {
        let text = "Rà soát, xây dựng và hoàn thiện vị trí việc làm phù hợp với chức năng, nhiệm vụ của từng cơ quan, đơn vị, tổ chức, làm cơ sở để xác định biên chế tổng thể của hệ thống chính trị giai đoạn 2026 - 2031; giao và quản lý biên chế phù hợp với chức năng, nhiệm vụ, đặc điểm, tính chất từng cơ quan, đơn vị, tổ chức và việc sắp xếp tinh gọn tổ chức bộ máy; bố trí, sắp xếp số lượng lãnh đạo cấp phó phù hợp, bảo đảm đến hết năm 2030 số lượng cấp phó của cơ quan, tổ chức thực hiện đúng quy định.";
        let t = one(text);
        assert_eq!(t.direction, Direction::Cap);
        assert_eq!(t.percent, None);
        assert_eq!(t.subject, "số lượng cấp phó");
        let d = t.deadline.expect("deadline");
        assert_eq!(
            (d.kind, d.due),
            (K::By, NaiveDate::from_ymd_opt(2030, 12, 31))
        );
    }

    #[test]
    fn seed_004_rate_increase() {
        let t = one("Hoàn thiện các quy định, quy trình điện tử trong xử lý văn bản theo hướng “không giấy tờ”, tăng tỷ lệ ký số, lưu trữ số trong các cơ quan Đảng và giải pháp kỹ thuật để bảo đảm sự tương thích");
        assert_eq!(t.direction, Direction::Increase);
        assert_eq!(t.percent, None);
        assert!(
            t.subject
                .starts_with("tỷ lệ ký số, lưu trữ số trong các cơ quan Đảng"),
            "{}",
            t.subject
        );
    }

    #[test]
    fn general_forms() {
        let t = one(
            "Phấn đấu đạt 100% hồ sơ thủ tục hành chính được giải quyết đúng hạn trong năm 2026.",
        );
        assert_eq!((t.direction, t.percent), (Direction::Increase, Some(100.0)));
        assert_eq!(
            t.subject,
            "hồ sơ thủ tục hành chính được giải quyết đúng hạn"
        );
        assert_eq!(
            t.deadline.and_then(|d| d.due),
            NaiveDate::from_ymd_opt(2026, 12, 31)
        );

        let t = one("Giảm ít nhất 15% số đơn vị sự nghiệp công lập so với năm 2021");
        assert_eq!((t.direction, t.percent), (Direction::Decrease, Some(15.0)));
        assert_eq!(t.subject, "số đơn vị sự nghiệp công lập");
        assert_eq!(
            (t.baseline.as_deref(), t.baseline_year),
            (Some("năm 2021"), Some(2021))
        );
        assert_eq!(t.deadline, None, "a baseline year is not a deadline");

        let t = one("tinh giản tối thiểu 5% biên chế công chức");
        assert_eq!(
            (t.direction, t.percent, t.subject.as_str()),
            (Direction::Decrease, Some(5.0), "biên chế công chức")
        );

        let t = one("Tỷ lệ dịch vụ công trực tuyến toàn trình đạt 80%");
        assert_eq!((t.direction, t.percent), (Direction::Increase, Some(80.0)));
        assert_eq!(t.subject, "Tỷ lệ dịch vụ công trực tuyến toàn trình");

        let t = one("số lượng cấp phó không vượt quá 3 người, tối đa 10,5% biên chế");
        assert_eq!((t.direction, t.percent), (Direction::Cap, Some(10.5)));

        let t = one("giam toi thieu 10% bien che cong chuc");
        assert_eq!(
            (t.direction, t.subject.as_str()),
            (Direction::Decrease, "bien che cong chuc")
        );
    }

    #[test]
    fn two_percentages_in_one_clause() {
        let found = find_targets(
            "giảm 10% biên chế công chức và 12% biên chế viên chức",
            doc(),
        );
        let got: Vec<(Option<f64>, &str, Direction)> = found
            .iter()
            .map(|t| (t.percent, t.subject.as_str(), t.direction))
            .collect();
        assert_eq!(
            got,
            vec![
                (Some(10.0), "biên chế công chức", Direction::Decrease),
                (Some(12.0), "biên chế viên chức", Direction::Decrease),
            ]
        );
    }

    #[test]
    fn identical_targets_are_kept_once() {
        let text = "Xây dựng lộ trình bảo đảm giảm tối thiểu 20% công chức, viên chức hưởng lương từ ngân sách nhà nước.\nTổng hợp, tham mưu lộ trình, phương án sử dụng biên chế đảm bảo giảm tối thiểu 20% công chức, viên chức hưởng lương từ ngân sách nhà nước trên cơ sở các cơ quan, đơn vị báo cáo";
        let found = find_targets(text, doc());
        assert_eq!(found.len(), 1, "{found:?}");
    }

    #[test]
    fn no_targets_in_plain_text() {
        for text in [
            "Giám đốc Sở Nội vụ chủ trì, phối hợp với các cơ quan liên quan.",
            "Thực hiện rà soát, bố trí cấp phó các đơn vị đảm bảo đúng quy định của pháp luật hiện hành.",
            "",
            "Căn cứ Kế hoạch 307-KH/TU ngày 27/02/2025 của Ban Thường vụ Tỉnh ủy",
        ] {
            assert!(find_targets(text, doc()).is_empty(), "{text}");
        }
    }

    proptest::proptest! {
        #[test]
        fn never_panics(s in "\\PC{0,120}") {
            let _ = find_targets(&s, doc());
        }
    }
}
