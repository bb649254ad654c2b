//! Turns date mentions into timings: joins ranges ("2025 - 2030", "từ tháng 8 đến tháng
//! 12/2025"), gives year-less parts a year, and reads the word in front ("trước", "từ").

use std::ops::Range;

use chrono::NaiveDate;
use once_cell::sync::Lazy;
use regex::Regex;
use tinhgon_domain::{calendar, Precision};

use crate::vndate::{bounds, re, relative_due, year_for, Mention, Unit};

/// One resolved time statement: a date, a closed range, or an open start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Timing {
    /// Folded range of the mentions (without the lead word).
    pub range: Range<usize>,
    /// Folded start of the lead word, when there is one.
    pub lead_start: Option<usize>,
    /// Start of a range or of an open-ended duty.
    pub start: Option<NaiveDate>,
    /// Last day of the stated period.
    pub due: NaiveDate,
    /// How precisely `due` was stated.
    pub precision: Precision,
    /// First day of the period `due` ends ("quý IV/2025" → 01/10/2025), to see which other
    /// dates of the text fall inside it.
    pub period_start: NaiveDate,
    /// True for an open start ("Từ 01/7/2025", "Năm 2025 và các năm tiếp theo").
    pub open: bool,
    /// True when no part of it carried a written year.
    pub yearless: bool,
}

/// How two neighbouring mentions are joined.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Joint {
    Range,
    List,
}

static RANGE_JOINT: Lazy<Regex> =
    Lazy::new(|| re(r"^(?:-|–|—|den|den het|den cuoi|toi|cho den|den truoc)$"));
static LIST_JOINT: Lazy<Regex> = Lazy::new(|| re(r"^(?:va|,|hoac|va trong|,? va)$"));
/// Words in front of a date that say how it is meant; the group names the meaning.
static LEAD: Lazy<Regex> = Lazy::new(|| {
    re(
        r"(?:^|[\s(,;:])(?:(?P<open>ke tu|bat dau tu|tinh tu|bat dau|tu)|(?P<before>truoc)|(?P<by>den het|den cuoi|den|het|cuoi|trong|hoan thanh|hoan thanh trong|xong|xong trong|cham nhat(?: la)?|han|vao|dau|trong thang|giai doan|trong giai doan|ket thuc))\s*$",
    )
});
static CONTINUES: Lazy<Regex> = Lazy::new(|| {
    re(
        r"^\s*(?:,\s*)?(?:va (?:cac|nhung) nam (?:tiep theo|sau|ke tiep|tiep)|tro di|tro ve sau|ve sau)\b",
    )
});

/// What a lead word says about the date after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Lead {
    /// "từ": an open start unless a range end follows.
    Open,
    /// "trước": strictly before a period (before a day it is the usual "by").
    Before,
    /// Any other deadline word ("trong", "cuối", "đến hết", "hoàn thành").
    By,
}

/// The lead word right before folded offset `at`, with where it starts.
pub(super) fn lead_before(folded: &str, at: usize) -> Option<(Lead, usize)> {
    let window_start = floor_char_boundary(folded, at.saturating_sub(40));
    let before = folded.get(window_start..at)?;
    let caps = LEAD.captures(before)?;
    let (kind, m) = if let Some(m) = caps.name("open") {
        (Lead::Open, m)
    } else if let Some(m) = caps.name("before") {
        (Lead::Before, m)
    } else {
        (Lead::By, caps.name("by")?)
    };
    Some((kind, window_start + m.start()))
}

fn floor_char_boundary(s: &str, mut at: usize) -> usize {
    while at > 0 && !s.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn joint(folded: &str, a: &Mention, b: &Mention) -> Option<Joint> {
    let between = folded.get(a.range.end..b.range.start)?.trim();
    if RANGE_JOINT.is_match(between) {
        Some(Joint::Range)
    } else if LIST_JOINT.is_match(between) {
        Some(Joint::List)
    } else {
        None
    }
}

/// Years for a group of joined mentions: written years spread to their year-less neighbours
/// ("tháng 10 - 11/2025"), stepping a year back or forward when the order needs it
/// ("từ tháng 10 đến tháng 2/2026" starts in October 2025).
fn group_years(group: &[&Mention], doc_date: Option<NaiveDate>) -> Option<Vec<i32>> {
    let mut years: Vec<Option<i32>> = group.iter().map(|m| m.year).collect();
    // A year-less range runs in the year its end falls in: "từ ngày 15/11 đến ngày 15/12"
    // in a plan of 18/11 is still this year's, though its start has passed.
    if group.len() > 1 && years.iter().all(Option::is_none) {
        if let (Some(last), Some(d)) = (group.last(), doc_date) {
            let n = years.len();
            years[n - 1] = Some(year_for(last.unit, d));
        }
    }
    for i in (0..group.len().saturating_sub(1)).rev() {
        if let (None, Some(next)) = (years[i], years[i + 1]) {
            let later = bounds(group[i + 1].unit, next).map(|b| b.1);
            let here = bounds(group[i].unit, next).map(|b| b.0);
            years[i] = Some(match (here, later) {
                (Some(h), Some(l)) if h > l => next - 1,
                _ => next,
            });
        }
    }
    if years.first().is_some_and(|y| y.is_none()) {
        years[0] = Some(year_for(group[0].unit, doc_date?));
    }
    for i in 1..group.len() {
        if let (Some(prev), None) = (years[i - 1], years[i]) {
            let earlier = bounds(group[i - 1].unit, prev).map(|b| b.0);
            let here = bounds(group[i].unit, prev).map(|b| b.1);
            years[i] = Some(match (here, earlier) {
                (Some(h), Some(e)) if h < e => prev + 1,
                _ => prev,
            });
        }
    }
    years.into_iter().collect()
}

/// Resolves the mentions of one text into timings; unresolvable ones become warnings.
pub(super) fn timings(
    folded: &str,
    mentions: &[Mention],
    doc_date: Option<NaiveDate>,
    warnings: &mut Vec<String>,
) -> Vec<Timing> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < mentions.len() {
        let mut group = vec![&mentions[i]];
        let mut joints = Vec::new();
        while let Some(next) = mentions.get(i + group.len()) {
            let Some(j) = joint(folded, group[group.len() - 1], next) else {
                break;
            };
            // A relative offset never joins a calendar range.
            if matches!(next.unit, Unit::Relative { .. })
                || matches!(group[0].unit, Unit::Relative { .. })
            {
                break;
            }
            joints.push(j);
            group.push(next);
        }
        i += group.len();
        if let Some(t) = group_timing(folded, &group, &joints, doc_date, warnings) {
            out.push(t);
        }
    }
    out
}

fn group_timing(
    folded: &str,
    group: &[&Mention],
    joints: &[Joint],
    doc_date: Option<NaiveDate>,
    warnings: &mut Vec<String>,
) -> Option<Timing> {
    let first = group.first()?;
    let last = group.last()?;
    let range = first.range.start..last.range.end;
    let written = || folded.get(range.clone()).unwrap_or("").to_string();
    let lead = lead_before(folded, range.start);
    if let Unit::Relative { amount, unit } = first.unit {
        let Some(doc) = doc_date else {
            warnings.push(format!(
                "không tính được hạn \"{}\": thiếu ngày văn bản",
                written()
            ));
            return None;
        };
        let due = relative_due(doc, amount, unit)?;
        return Some(Timing {
            range,
            lead_start: None,
            start: None,
            due,
            precision: Precision::Day,
            period_start: due,
            open: false,
            yearless: true,
        });
    }
    let Some(years) = group_years(group, doc_date) else {
        warnings.push(format!(
            "không xác định được năm của \"{}\": thiếu ngày văn bản",
            written()
        ));
        return None;
    };
    let mut periods = Vec::with_capacity(group.len());
    for (m, &y) in group.iter().zip(&years) {
        match bounds(m.unit, y) {
            Some(b) => periods.push((b, m.precision())),
            None => warnings.push(format!("ngày không tồn tại: {}", written())),
        }
    }
    let (&((first_day, _), _), &((mut period_start, mut due), mut precision)) =
        (periods.first()?, periods.last()?);
    let closed_range = joints.contains(&Joint::Range);
    if !closed_range {
        // A list ("quý III và quý IV/2025") is done when its latest part is.
        if let Some(&((s, d), p)) = periods.iter().max_by_key(|((_, d), _)| *d) {
            period_start = s;
            due = d;
            precision = p;
        }
    }
    let mut start = closed_range.then_some(first_day);
    let mut open = false;
    let continues = folded
        .get(range.end..)
        .is_some_and(|rest| CONTINUES.is_match(rest));
    match lead.map(|l| l.0) {
        Some(Lead::Open) if !closed_range => {
            open = true;
            start = Some(first_day);
        }
        Some(Lead::Before) if precision != Precision::Day && !group.iter().any(|m| m.fallback) => {
            // "trước quý IV/2025" is done by the last day before that quarter begins.
            due = calendar::add_days(first_day, -1)?;
            period_start = due;
        }
        _ => {}
    }
    // "Từ nay đến hết năm 2025": the range starts on the document date.
    if let (Some((Lead::By, at)), Some(doc)) = (lead, doc_date) {
        let before = folded.get(..at).unwrap_or("").trim_end();
        if start.is_none()
            && (before.ends_with("tu nay") || before.ends_with("tu bay gio"))
            && doc <= due
        {
            start = Some(doc);
        }
    }
    if continues {
        open = true;
        // "đến năm 2030 và những năm tiếp theo" ends somewhere; "trong năm 2025 và các năm
        // tiếp theo" starts somewhere.
        let lead_text = lead
            .and_then(|(_, at)| folded.get(at..range.start))
            .unwrap_or("");
        let ends = lead_text.starts_with("den")
            || lead_text.starts_with("truoc")
            || lead_text.starts_with("cham");
        if !ends {
            start = start.or(Some(first_day));
        }
    }
    Some(Timing {
        range,
        lead_start: lead.map(|l| l.1),
        start,
        due,
        precision,
        period_start,
        open,
        yearless: group.iter().all(|m| m.year.is_none()),
    })
}

/// End of the continuation phrase after a timing ("… và các năm tiếp theo"), if any.
pub(super) fn continuation_end(folded: &str, at: usize) -> Option<usize> {
    let rest = folded.get(at..)?;
    CONTINUES.find(rest).map(|m| at + m.end())
}
