//! Deadlines as plans write them ("Cuối quý III/2025 (theo Kế hoạch của Trung ương)",
//! "Thường xuyên, hằng năm", "Sau khi có Thông tư …") turned into [`Deadline`] values.
//!
//! A phrase is read as parts — dates and ranges, periods, standing-duty words, spans and
//! conditions — and every part is kept; `kind` is the firmest part:
//! a written date (`by`) > a period (`recurring`) > a standing duty or open start (`ongoing`)
//! > a span (`during`) > a condition (`conditional`) > nothing (`unspecified`).
//!
//! Decisions (documented here because other provinces' plans will test them):
//! - `due` is the last day of the stated period; "trước" before a day keeps that day
//!   ("trước ngày 15/12/2025" → 15/12/2025) but before a longer period means the day before
//!   it starts ("trước quý IV/2025" → 30/09/2025).
//! - A year-less period ("quý III", "tháng 10", "trước 30/9") takes the document's year, or the
//!   next year when that period is already over on the document date.
//! - Several periods ("6 tháng, hằng năm"): the most frequent one is kept.
//! - "Hằng ngày" is a standing duty (`ongoing` with period `daily`).
//! - A year-less date beside a period ("trước ngày 15/12 hằng năm") stays `recurring`; its
//!   next occurrence is given as `due`.
//! - Several dates that are not a range ("quý III/2025; quý IV/2025"): the latest is `due`,
//!   unless a finer date lies inside that latest period ("Tháng 10/2025 (Quý IV/2025)" → 31/10).
//! - A date that does not exist is a warning and falls back to the coarser part that does
//!   ("31/02/2025" → February 2025).

mod markers;
mod ranges;

use std::ops::Range;

use chrono::NaiveDate;
use once_cell::sync::Lazy;
use regex::Regex;
use tinhgon_domain::{Deadline, DeadlineKind, Period};

use crate::vndate::{mask, re, scan_dates, Folded};
use markers::PeriodMark;
use ranges::Timing;

/// A parsed deadline and what the parser was unsure of (Vietnamese warnings).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedDeadline {
    /// The structured deadline.
    pub deadline: Deadline,
    /// Warnings such as "ngày không tồn tại: 31/02/2025".
    pub warnings: Vec<String>,
}

/// Parses a deadline phrase (a table cell, a "Thời gian:" value) relative to the document date.
pub fn parse_deadline(text: &str, doc_date: Option<NaiveDate>) -> ParsedDeadline {
    let display = clean_text(text);
    let folded = Folded::new(&display);
    let parts = Parts::scan(&folded, doc_date, Mode::Cell);
    let mut warnings = parts.warnings.clone();
    let mut deadline = parts.decide(display, &mut warnings);
    deadline.text = deadline.text.trim().to_string();
    ParsedDeadline { deadline, warnings }
}

/// Finds a deadline phrase inside running prose (e.g. "… trình UBND tỉnh trong quý III/2025",
/// "…, hoàn thành trước ngày 15/12/2025"); `None` when there is none.
///
/// Prose is read more strictly than a deadline cell: a date counts only after a deadline word
/// ("trong", "trước", "đến hết", "hoàn thành", "từ" …), so the dates of cited documents are not
/// taken; only unambiguous conditions ("sau khi có …", "khi có chủ trương …", "theo lộ trình")
/// and standing-duty words count, and spans ("trong quá trình …") are left to the caller.
pub fn find_deadline_in_prose(text: &str, doc_date: Option<NaiveDate>) -> Option<ParsedDeadline> {
    let folded = Folded::new(text);
    if let Some(labelled) = labelled_value(&folded) {
        let parsed = parse_deadline(labelled, doc_date);
        if parsed.deadline.kind != DeadlineKind::Unspecified {
            return Some(parsed);
        }
    }
    let parts = Parts::scan(&folded, doc_date, Mode::Prose);
    let mut warnings = parts.warnings.clone();
    let mut deadline = parts.decide(String::new(), &mut warnings);
    if deadline.kind == DeadlineKind::Unspecified {
        return None;
    }
    deadline.text = parts.phrase_of(&folded, deadline.kind);
    Some(ParsedDeadline { deadline, warnings })
}

static LABEL: Lazy<Regex> = Lazy::new(|| {
    re(r"\b(?:thoi gian|thoi han)(?: thuc hien| hoan thanh| trinh| bao cao| nop| xong)?\s*:\s*")
});
static LABEL_END: Lazy<Regex> = Lazy::new(|| re(r";|\.(?:\s|$)"));

/// The value of a "Thời gian: …" / "Thời hạn hoàn thành: …" label, as written.
fn labelled_value(folded: &Folded) -> Option<&str> {
    let m = LABEL.find(&folded.text)?;
    let rest = folded.text.get(m.end()..)?;
    let end = LABEL_END
        .find(rest)
        .map_or(folded.text.len(), |e| m.end() + e.start());
    let value = folded.orig_slice(m.end()..end);
    (!value.is_empty()).then_some(value)
}

/// Trims whitespace, list bullets and trailing punctuation ("Thường xuyên." → "Thường xuyên").
fn clean_text(text: &str) -> String {
    let nfc = crate::vndate::nfc(text);
    let trimmed = nfc
        .trim()
        .trim_start_matches(['-', '–', '*', '+', '•'])
        .trim()
        .trim_end_matches(|c: char| {
            c.is_whitespace() || matches!(c, '.' | ',' | ';' | ':' | '/' | '…')
        });
    trimmed.to_string()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// A deadline cell or value: every part counts.
    Cell,
    /// Running prose: only unambiguous parts count.
    Prose,
}

/// The parts of a deadline phrase, as folded ranges.
#[derive(Debug, Default)]
struct Parts {
    timings: Vec<Timing>,
    periods: Vec<PeriodMark>,
    ongoing: Vec<Range<usize>>,
    during: Vec<Range<usize>>,
    conditions: Vec<Range<usize>>,
    /// Events as written, in text order (spans and conditions).
    events: Vec<(usize, String)>,
    warnings: Vec<String>,
    /// Read from running prose rather than a deadline cell.
    prose: bool,
}

impl Parts {
    fn scan(folded: &Folded, doc_date: Option<NaiveDate>, mode: Mode) -> Parts {
        let text = folded.text.as_str();
        let dates = scan_dates(text);
        let mut warnings = dates.warnings;
        let mut timings = ranges::timings(text, &dates.mentions, doc_date, &mut warnings);
        if mode == Mode::Prose {
            timings.retain(|t| prose_deadline(text, t) && !goal_year(text, t, doc_date));
        }
        let mut masked = dates.masked;
        for t in &timings {
            if let Some(end) = ranges::continuation_end(text, t.range.end) {
                mask(&mut masked, t.range.end..end);
            }
        }
        let mut periods = markers::periods(&masked);
        for p in &periods {
            mask(&mut masked, p.range.clone());
        }
        let mut ongoing = markers::ongoing(&masked, mode == Mode::Prose);
        if mode == Mode::Prose {
            periods.retain(|p| prose_period(text, p, &timings));
            // "thường xuyên kiểm tra …" qualifies one action; only a clause that ends on
            // it ("… thực hiện thường xuyên.") states the duty's timing.
            ongoing.retain(|r| clause_ends_at(text, r.end));
        }
        let stops: Vec<usize> = timings
            .iter()
            .map(|t| t.lead_start.unwrap_or(t.range.start))
            .collect();
        let mut taken: Vec<Range<usize>> = Vec::new();
        let mut during = Vec::new();
        if mode == Mode::Cell {
            for start in markers::during_starts(&masked) {
                if let Some(r) = event_range(text, start, &stops, &taken) {
                    taken.push(r.clone());
                    during.push(r);
                }
            }
        }
        let mut conditions = Vec::new();
        for start in markers::condition_starts(&masked, mode == Mode::Prose) {
            if let Some(r) = event_range(text, start, &stops, &taken) {
                taken.push(r.clone());
                conditions.push(r);
            }
        }
        taken.sort_by_key(|r| r.start);
        let events = taken
            .iter()
            .map(|r| (r.start, folded.orig_slice(r.clone()).to_string()))
            .filter(|(_, s)| !s.is_empty())
            .collect();
        Parts {
            timings,
            periods,
            ongoing,
            during,
            conditions,
            events,
            warnings,
            prose: mode == Mode::Prose,
        }
    }

    /// Builds the deadline; `kind` is the firmest part found.
    fn decide(&self, text: String, warnings: &mut Vec<String>) -> Deadline {
        let period = markers::most_frequent(&self.periods);
        // A cell "Hằng ngày" is a standing duty; prose reaches here with a daily period
        // only for reporting ("báo cáo trước 19h00 hằng ngày"), which is a rhythm.
        let daily_only = period == Some(Period::Daily) && !self.prose;
        // In prose, "định kỳ" with no period stated is a standing duty, not a rhythm one
        // can track; a cell that says only "Định kỳ" still sets a rhythm for the row.
        let standing = self.prose && !self.periods.is_empty() && period.is_none();
        let recurring = !self.periods.is_empty() && !daily_only && !standing;
        let closed: Vec<&Timing> = self.timings.iter().filter(|t| !t.open).collect();
        let open = self.timings.iter().find(|t| t.open);
        let latest = closed.iter().max_by_key(|t| t.due).copied().map(|l| {
            // A finer date inside the latest period states it more precisely:
            // "Tháng 8/2025 (trước ngày 15/8/2025)" is due 15/08, not 31/08.
            closed
                .iter()
                .filter(|c| {
                    rank(c.precision) < rank(l.precision)
                        && l.period_start <= c.due
                        && c.due <= l.due
                })
                .min_by_key(|c| (rank(c.precision), std::cmp::Reverse(c.due)))
                .copied()
                .unwrap_or(l)
        });
        let event = (!self.events.is_empty()).then(|| {
            self.events
                .iter()
                .map(|(_, e)| e.as_str())
                .collect::<Vec<_>>()
                .join("; ")
        });
        let mut d = Deadline::unspecified(text);
        d.period = period;
        d.event = event;
        let dated = latest.filter(|_| !(recurring && closed.iter().all(|t| t.yearless)));
        if let Some(t) = dated {
            d.kind = DeadlineKind::By;
            d.due = Some(t.due);
            d.precision = Some(t.precision);
            d.start = t.start;
        } else if recurring {
            d.kind = DeadlineKind::Recurring;
            d.due = latest.map(|t| t.due);
            d.precision = latest.map(|t| t.precision);
            d.start = open.and_then(|t| t.start);
        } else if open.is_some() || !self.ongoing.is_empty() || daily_only || standing {
            d.kind = DeadlineKind::Ongoing;
            d.start = open.and_then(|t| t.start);
        } else if !self.during.is_empty() {
            d.kind = DeadlineKind::During;
        } else if !self.conditions.is_empty() {
            d.kind = DeadlineKind::Conditional;
        }
        if let (Some(start), Some(due)) = (d.start, d.due) {
            if start > due {
                warnings.push(format!(
                    "khoảng thời gian ngược: bắt đầu {} sau hạn {}",
                    fmt_date(start),
                    fmt_date(due)
                ));
                d.start = None;
            }
        }
        d
    }

    /// The words of the firmest part, as written (for a deadline found in prose).
    fn phrase_of(&self, folded: &Folded, kind: DeadlineKind) -> String {
        let text = folded.text.as_str();
        let range = match kind {
            DeadlineKind::By => self
                .timings
                .iter()
                .filter(|t| !t.open)
                .max_by_key(|t| t.due)
                .map(|t| timing_phrase(text, t)),
            DeadlineKind::Recurring => self.periods.first().map(|p| p.range.clone()),
            DeadlineKind::Ongoing => self
                .timings
                .iter()
                .find(|t| t.open)
                .map(|t| timing_phrase(text, t))
                .or_else(|| self.ongoing.first().cloned())
                .or_else(|| self.periods.first().map(|p| p.range.clone())),
            DeadlineKind::During => self.during.first().cloned(),
            DeadlineKind::Conditional => self.conditions.first().cloned(),
            DeadlineKind::Unspecified => None,
        };
        range
            .map(|r| {
                folded
                    .orig_slice(r)
                    .trim_end_matches([',', ';', ':', '.', ' '])
                    .to_string()
            })
            .unwrap_or_default()
    }
}

/// Whether a timing found in prose reads as a deadline. A bare date there is usually a cited
/// document's date, "giai đoạn 2022-2026" and "định hướng/tầm nhìn đến năm 2030" name a
/// programme's horizon, and "… đến năm 2030 và những năm tiếp theo" the scope of a scheme.
fn prose_deadline(text: &str, t: &Timing) -> bool {
    let Some(lead_start) = t.lead_start else {
        return false;
    };
    let lead = text.get(lead_start..t.range.start).unwrap_or("");
    let before = text
        .get(..lead_start)
        .unwrap_or("")
        .trim_end_matches([' ', ',']);
    let horizon = ["dinh huong", "tam nhin"]
        .iter()
        .any(|w| before.ends_with(w));
    let scope = t.open && t.start.is_none();
    !lead.contains("giai doan") && !horizon && !scope
}

/// Whether a period word found in prose is the duty's rhythm. "Định kỳ …" is; so is a
/// period right after a date without a year ("trước ngày 15/12 hằng năm") and one that
/// qualifies reporting or review ("đánh giá, báo cáo kết quả … hằng năm"). A period that
/// qualifies a thing ("dự toán ngân sách hằng năm", "kế hoạch đầu tư công trung hạn, hằng
/// năm", "ra quân … Chủ nhật hàng tuần") is no deadline.
fn prose_period(text: &str, p: &markers::PeriodMark, timings: &[Timing]) -> bool {
    let phrase = text.get(p.range.clone()).unwrap_or("");
    if phrase.starts_with("dinh ky") {
        return true;
    }
    let after_date = timings
        .iter()
        .any(|t| t.yearless && t.range.end <= p.range.start && p.range.start - t.range.end <= 3);
    if after_date {
        return true;
    }
    let before = text.get(..p.range.start).unwrap_or("");
    let clause = before.rsplit([',', ';', '.', ':']).next().unwrap_or("");
    // A fronted "Hàng năm, …" sets the rhythm of the whole clause.
    let fronted = clause.trim().is_empty()
        && text
            .get(p.range.end..)
            .is_some_and(|r| r.trim_start().starts_with(','));
    // "Trước ngày 15 tháng 12 hằng năm": the day the rhythm falls on, even when the
    // document's own date is unknown and the day could not be placed in a year.
    let on_a_day = ["truoc ngay", "cham nhat", "truoc thang"]
        .iter()
        .any(|w| clause.contains(w));
    fronted
        || on_a_day
        || ["bao cao", "danh gia", "cap nhat", "so ket", "tong ket"]
            .iter()
            .any(|w| clause.contains(w))
}

/// True when only punctuation or the end of the text follows `end`.
fn clause_ends_at(text: &str, end: usize) -> bool {
    let rest = text.get(end..).unwrap_or("").trim_start();
    rest.is_empty() || rest.starts_with(['.', ';', ')'])
}

/// "Tiếp tục thực hiện Nghị quyết … đến năm 2030", "phấn đấu vào năm 2030": a whole year
/// some years after the document is the goal the duty serves, not its deadline ("đến hết
/// năm 2025", "trong năm 2026" still are).
fn goal_year(text: &str, t: &Timing, doc_date: Option<NaiveDate>) -> bool {
    use chrono::Datelike;
    let Some(lead_start) = t.lead_start else {
        return false;
    };
    // "phấn đấu đạt mục tiêu … ngay trong năm 2025": the year of a target.
    let clause = text
        .get(..lead_start)
        .unwrap_or("")
        .rsplit([';', '.'])
        .next()
        .unwrap_or("");
    // A sentence that is itself the target ("Phấn đấu đạt 100% … trong năm 2026") keeps its
    // year: that is the target's own deadline.
    let target_itself = ["phan dau", "muc tieu"]
        .iter()
        .any(|w| text.trim_start().starts_with(w));
    if !target_itself && (clause.contains("phan dau") || clause.contains("muc tieu")) {
        return true;
    }
    let Some(doc) = doc_date else {
        return false;
    };
    let phrase = text.get(lead_start..t.range.end).unwrap_or("");
    let goal_words = phrase.starts_with("den nam") || phrase.starts_with("vao nam");
    goal_words && t.precision == tinhgon_domain::Precision::Year && t.due.year() >= doc.year() + 2
}

/// Coarseness of a precision, finest first.
fn rank(p: tinhgon_domain::Precision) -> u8 {
    use tinhgon_domain::Precision as P;
    match p {
        P::Day => 0,
        P::Month => 1,
        P::Quarter => 2,
        P::HalfYear => 3,
        P::Year => 4,
    }
}

fn timing_phrase(text: &str, t: &Timing) -> Range<usize> {
    let end = ranges::continuation_end(text, t.range.end).unwrap_or(t.range.end);
    t.lead_start.unwrap_or(t.range.start)..end
}

fn event_range(
    text: &str,
    start: usize,
    stops: &[usize],
    taken: &[Range<usize>],
) -> Option<Range<usize>> {
    if taken.iter().any(|r| r.contains(&start)) {
        return None;
    }
    let end = markers::event_end(text, start, stops);
    (end > start).then_some(start..end)
}

fn fmt_date(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

#[cfg(test)]
mod tests;
