//! One idea, kept in one file: Vietnamese date phrases found in text and resolved to periods.
//!
//! Vietnamese date phrases: finds "ngày 15/12/2025", "tháng 10/2025", "quý III/2025",
//! "6 tháng đầu năm 2026", "năm 2030" … in folded text and resolves them to calendar periods.
//!
//! Matching runs on [`Folded`] text (lowercase, no diacritics, single spaces) so "Quý",
//! "QUÝ", a decomposed "Quý" and a diacritic-less "quy" all meet; every folded byte keeps the
//! offset of the original byte it came from, so phrases can be cut out of the text as written.

use std::ops::Range;

use chrono::NaiveDate;
use once_cell::sync::Lazy;
use regex::{Captures, Regex, RegexSet};
use tinhgon_domain::calendar;
use tinhgon_domain::Precision;

pub(crate) use tinhgon_textkit::nfc;

/// Text folded for matching, with a map back to the original (NFC) text.
#[derive(Debug, Clone)]
pub(crate) struct Folded {
    /// Folded text: lowercase, diacritics and đ folded, whitespace runs as one space.
    pub text: String,
    /// For each byte of `text`, the byte offset in `original` it came from.
    map: Vec<usize>,
    /// The NFC original.
    original: String,
}

impl Folded {
    /// Folds `input` (normalised to NFC first) keeping offsets.
    pub fn new(input: &str) -> Self {
        let original = nfc(input);
        let mut text = String::with_capacity(original.len());
        let mut map = Vec::with_capacity(original.len());
        let mut pending_space: Option<usize> = None;
        let mut buf = [0u8; 4];
        for (at, c) in original.char_indices() {
            if c.is_whitespace() {
                if !text.is_empty() && pending_space.is_none() {
                    pending_space = Some(at);
                }
                continue;
            }
            if c.is_ascii() {
                // Most of a plan is ASCII: no encoding round trip for it.
                if let Some(space_at) = pending_space.take() {
                    text.push(' ');
                    map.push(space_at);
                }
                text.push(c.to_ascii_lowercase());
                map.push(at);
                continue;
            }
            let slow;
            // Text taken from PDFs by portals writes "kỳ" as "kǶ" (a glyph mapped to the
            // wrong letter); no Vietnamese word has "Ƕ".
            let c = if c == 'Ƕ' { 'y' } else { c };
            let piece: &str = match folded_letter(c) {
                Some(q) => q.encode_utf8(&mut buf),
                None => {
                    slow = tinhgon_textkit::fold(c.encode_utf8(&mut buf));
                    &slow
                }
            };
            if piece.is_empty() {
                continue;
            }
            if let Some(space_at) = pending_space.take() {
                text.push(' ');
                map.push(space_at);
            }
            map.extend(std::iter::repeat_n(at, piece.len()));
            text.push_str(piece);
        }
        Folded {
            text,
            map,
            original,
        }
    }

    /// Original byte offset of folded byte offset `at` (the end maps to the end).
    pub fn orig_offset(&self, at: usize) -> usize {
        self.map.get(at).copied().unwrap_or(self.original.len())
    }

    /// The original text behind a folded range, trimmed of whitespace.
    pub fn orig_slice(&self, range: Range<usize>) -> &str {
        let start = self.orig_offset(range.start);
        // End at the start of the next folded char's source so combining marks stay attached,
        // but never past the next word: cut trailing whitespace.
        let end = self.orig_offset(range.end).max(start);
        self.original.get(start..end).unwrap_or("").trim()
    }
}

/// First and last code point of the Latin blocks Vietnamese letters come from.
const LATIN: (u32, u32) = (0x00C0, 0x1EFF);

/// Folded form of the Latin letters, computed once: folding char by char through the
/// normaliser is the slow part of reading a long plan.
static LATIN_FOLD: Lazy<Vec<Option<char>>> = Lazy::new(|| {
    (LATIN.0..=LATIN.1)
        .map(|cp| {
            let c = char::from_u32(cp)?;
            let mut chars = tinhgon_textkit::fold(c.encode_utf8(&mut [0u8; 4]))
                .chars()
                .collect::<Vec<_>>();
            (chars.len() == 1).then(|| chars.remove(0))
        })
        .collect()
});

/// The one-char folded form of a Latin letter, when it has one.
fn folded_letter(c: char) -> Option<char> {
    let cp = u32::from(c);
    if !(LATIN.0..=LATIN.1).contains(&cp) {
        return None;
    }
    LATIN_FOLD.get((cp - LATIN.0) as usize).copied().flatten()
}

/// The calendar unit a mention names, before its year is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Unit {
    /// A day of a month.
    Day { day: u32, month: u32 },
    /// A month.
    Month(u32),
    /// A quarter 1..=4.
    Quarter(u32),
    /// A half-year 1..=2.
    Half(u32),
    /// A whole year.
    Year,
    /// A fixed offset from the document date ("trong 30 ngày").
    Relative { amount: u32, unit: RelUnit },
}

/// Unit of a relative offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RelUnit {
    Day,
    Week,
    Month,
    Year,
}

/// A date phrase found in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Mention {
    /// Where it is in the folded text.
    pub range: Range<usize>,
    /// What it names.
    pub unit: Unit,
    /// The year, when written.
    pub year: Option<i32>,
    /// True when the written date did not exist and this is its coarser part ("31/02" → February).
    pub fallback: bool,
}

impl Mention {
    /// Precision of the period the mention names.
    pub fn precision(&self) -> Precision {
        match self.unit {
            Unit::Day { .. } | Unit::Relative { .. } => Precision::Day,
            Unit::Month(_) => Precision::Month,
            Unit::Quarter(_) => Precision::Quarter,
            Unit::Half(_) => Precision::HalfYear,
            Unit::Year => Precision::Year,
        }
    }
}

/// First and last day of `unit` in `year`; `None` when that day does not exist (29/02).
pub(crate) fn bounds(unit: Unit, year: i32) -> Option<(NaiveDate, NaiveDate)> {
    match unit {
        Unit::Day { day, month } => calendar::date(year, month, day).map(|d| (d, d)),
        Unit::Month(m) => Some((
            calendar::start_of_month(year, m)?,
            calendar::end_of_month(year, m)?,
        )),
        Unit::Quarter(q) => Some((
            calendar::start_of_quarter(year, q)?,
            calendar::end_of_quarter(year, q)?,
        )),
        Unit::Half(h) => Some((
            calendar::start_of_half_year(year, h)?,
            calendar::end_of_half_year(year, h)?,
        )),
        Unit::Year => Some((calendar::start_of_year(year)?, calendar::end_of_year(year)?)),
        Unit::Relative { .. } => None,
    }
}

/// Date offset from the document date.
pub(crate) fn relative_due(doc_date: NaiveDate, amount: u32, unit: RelUnit) -> Option<NaiveDate> {
    let amount = i32::try_from(amount).ok()?;
    match unit {
        RelUnit::Day => calendar::add_days(doc_date, amount.into()),
        RelUnit::Week => calendar::add_days(doc_date, i64::from(amount) * 7),
        RelUnit::Month => calendar::add_months(doc_date, amount),
        RelUnit::Year => calendar::add_months(doc_date, amount.checked_mul(12)?),
    }
}

/// The year a year-less mention takes: the document's year, or the next one when the period
/// would already be over on the document date ("quý II" in a plan of July 2025 is quý II/2026).
pub(crate) fn year_for(unit: Unit, doc_date: NaiveDate) -> i32 {
    use chrono::Datelike;
    let year = doc_date.year();
    match bounds(unit, year) {
        Some((_, last)) if last < doc_date => year + 1,
        // 29/02 in a common year: the next leap year is a guess worse than the plain year.
        _ => year,
    }
}

/// Everything the date scan found.
#[derive(Debug, Clone, Default)]
pub(crate) struct DateScan {
    /// Mentions in text order.
    pub mentions: Vec<Mention>,
    /// The folded text with every mention and document number blanked out with '#'.
    pub masked: String,
    /// Vietnamese warnings for dates that do not exist.
    pub warnings: Vec<String>,
}

type Builder = fn(&Captures, &mut Vec<String>) -> Vec<(Range<usize>, Unit, Option<i32>)>;

/// Compiles a built-in pattern written for folded text. Word boundaries are made ASCII ones:
/// folded words are ASCII, and a Unicode `\b` makes the regex engine leave its fast DFA on any
/// line with a curly quote or a dash in it.
pub(crate) fn re(pattern: &str) -> Regex {
    let pattern = pattern.replace(r"\b", r"(?-u:\b)");
    Regex::new(&pattern).unwrap_or_else(|e| panic!("bad built-in regex {pattern}: {e}"))
}

/// All passes at once, to skip those that cannot match.
static PASS_SET: Lazy<RegexSet> = Lazy::new(|| {
    RegexSet::new(PASSES.iter().map(|(r, _)| r.as_str()))
        .unwrap_or_else(|e| panic!("bad built-in regex set: {e}"))
});

/// Document numbers ("615/KH-UBND", "01/2025/TT-BNV", "121-KL/TW") look like dates; blank them.
static DOC_NUMBER: Lazy<Regex> =
    Lazy::new(|| re(r"\b\d+(?:[/.\-]\d+)*[/\-][a-z][a-z0-9&]*(?:[/\-][a-z0-9&]+)*"));

/// Passes in priority order: the more specific phrase is taken first and blanked out.
static PASSES: Lazy<Vec<(Regex, Builder)>> = Lazy::new(|| {
    let sep = r"\s*[/.\-–]\s*";
    vec![
        // 15/12/2025, ngày 15/12/2025, 15.12.2025, 15-12-2025 (one separator throughout, so
        // "tháng 10 - 11/2025" is not read as 10/11/2025)
        (
            re(r"\b(?:ngay\s*)?(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*(\d{4})\b"),
            build_day as Builder,
        ),
        (
            re(r"\b(?:ngay\s*)?(\d{1,2})\.(\d{1,2})\.(\d{4})\b"),
            build_day,
        ),
        (
            re(r"\b(?:ngay\s*)?(\d{1,2})-(\d{1,2})-(\d{4})\b"),
            build_day,
        ),
        // ngày 15 tháng 12 năm 2025
        (
            re(r"\bngay\s*(\d{1,2})\s*thang\s*(\d{1,2})\s*,?\s*nam\s*(\d{4})\b"),
            build_day,
        ),
        // quý III - IV/2025 (two mentions)
        (
            re(
                r"\b(?:quy|q)\s*\.?\s*(iv|i{1,3}|v|\d{1,2})\s*(?:-|–|—|den|va|,)\s*(?:quy\s*)?(iv|i{1,3}|v|\d{1,2})\s*(?:/|-|–|,|\s)\s*(?:nam\s*)?(\d{4})\b",
            ),
            build_quarter_pair,
        ),
        // quý III/2025, quý 3/2025, Q3/2025, quý III năm 2025
        (
            re(
                r"\b(?:quy|q)\s*\.?\s*(iv|i{1,3}|v|\d{1,2})\s*(?:/|-|–|,|\s)\s*(?:nam\s*)?(\d{4})\b",
            ),
            build_quarter,
        ),
        // 6 tháng đầu năm 2026, nửa cuối năm, giữa năm 2026
        (
            re(r"\b(?:(?:0?6|sau)\s*thang|nua)\s*(dau|cuoi)\s*(?:cua\s*)?nam(?:\s*(\d{4}))?\b"),
            build_half,
        ),
        (re(r"\bgiua\s*(nam)(?:\s*(\d{4}))?\b"), build_half),
        // tháng 10/2025, 10/2025, tháng 10 năm 2025
        (
            re(&format!(r"\b(?:thang\s*)?(\d{{1,2}}){sep}(\d{{4}})\b")),
            build_month,
        ),
        (
            re(r"\bthang\s*(\d{1,2})\s*,?\s*nam\s*(\d{4})\b"),
            build_month,
        ),
        // trong 30 ngày, trong vòng 6 tháng (relative to the document date, not to an event)
        (
            re(
                r"\btrong\s*(?:vong\s*|thoi\s*han\s*)?(\d{1,3})\s*(ngay|tuan|thang|nam)\b(?:\s*(ke\s*tu|tinh\s*tu|sau\s*khi))?",
            ),
            build_relative,
        ),
        // year-less quarter: quý III, quý 4
        (re(r"\bquy\s*(iv|i{1,3}|\d)\b"), build_quarter_yearless),
        // year-less day: ngày 15/12, ngày 15 tháng 12, trước 30/9
        (
            re(r"\bngay\s*(\d{1,2})\s*(?:[/.\-]|thang)\s*(\d{1,2})\b"),
            build_day_yearless,
        ),
        (
            re(r"\b(?:truoc|den|tu|han|cham\s*nhat(?:\s*la)?)\s*(\d{1,2})\s*/\s*(\d{1,2})\b"),
            build_day_yearless_lead,
        ),
        // "01/7 - 31/12/2025": a bare day that opens a range whose end is already read
        (
            re(r"\b(?P<m>(\d{1,2})\s*/\s*(\d{1,2}))\s*(?:-|–|den)\s*(?:ngay\s*)?#"),
            build_day_opening_range,
        ),
        // year-less month: tháng 10, tháng 02
        (re(r"\bthang\s*(\d{1,2})\b"), build_month_yearless),
        // năm 2026, 2030
        (re(r"\b(?:nam\s*)?(\d{4})\b"), build_year),
        // cuối năm, trong năm, năm nay (the document's year)
        (
            re(r"\b(?:(?:cuoi|trong|het|dau)\s*nam(?:\s*nay)?|nam\s*nay)\b"),
            build_year_yearless,
        ),
    ]
});

fn num<T: std::str::FromStr>(caps: &Captures, i: usize) -> Option<T> {
    caps.get(i)?.as_str().parse().ok()
}

fn whole(caps: &Captures) -> Range<usize> {
    caps.get(0).map(|m| m.range()).unwrap_or(0..0)
}

fn year_ok(year: i32, written: &str, warnings: &mut Vec<String>) -> bool {
    let ok = calendar::is_plausible_year(year);
    if !ok {
        warnings.push(format!("năm không hợp lệ: {written}"));
    }
    ok
}

fn build_day(caps: &Captures, w: &mut Vec<String>) -> Vec<(Range<usize>, Unit, Option<i32>)> {
    let (Some(day), Some(month), Some(year)) = (
        num::<u32>(caps, 1),
        num::<u32>(caps, 2),
        num::<i32>(caps, 3),
    ) else {
        return vec![];
    };
    let written = format!("{day:02}/{month:02}/{year}");
    if !year_ok(year, &written, w) {
        return vec![];
    }
    let r = whole(caps);
    if calendar::is_valid_date(year, month, day) {
        return vec![(r, Unit::Day { day, month }, Some(year))];
    }
    w.push(format!("ngày không tồn tại: {written}"));
    // Fall back to the coarser part that does exist.
    if (1..=12).contains(&month) {
        vec![(r, Unit::Month(month), Some(year))]
    } else {
        vec![(r, Unit::Year, Some(year))]
    }
}

fn quarter_or_warn(numeral: &str, year: Option<i32>, w: &mut Vec<String>) -> Unit {
    match calendar::quarter_from_numeral(numeral) {
        Some(q) => Unit::Quarter(q),
        None => {
            let written = match year {
                Some(y) => format!("quý {}/{y}", numeral.to_uppercase()),
                None => format!("quý {}", numeral.to_uppercase()),
            };
            w.push(format!("quý không tồn tại: {written}"));
            Unit::Year
        }
    }
}

fn build_quarter_pair(
    caps: &Captures,
    w: &mut Vec<String>,
) -> Vec<(Range<usize>, Unit, Option<i32>)> {
    let (Some(a), Some(b), Some(year)) = (caps.get(1), caps.get(2), num::<i32>(caps, 3)) else {
        return vec![];
    };
    if !year_ok(year, &year.to_string(), w) {
        return vec![];
    }
    let r = whole(caps);
    let first = quarter_or_warn(a.as_str(), Some(year), w);
    let second = quarter_or_warn(b.as_str(), Some(year), w);
    vec![
        (r.start..a.end(), first, None),
        (b.start()..r.end, second, Some(year)),
    ]
}

fn build_quarter(caps: &Captures, w: &mut Vec<String>) -> Vec<(Range<usize>, Unit, Option<i32>)> {
    let (Some(q), Some(year)) = (caps.get(1), num::<i32>(caps, 2)) else {
        return vec![];
    };
    if !year_ok(year, &year.to_string(), w) {
        return vec![];
    }
    vec![(
        whole(caps),
        quarter_or_warn(q.as_str(), Some(year), w),
        Some(year),
    )]
}

fn build_quarter_yearless(
    caps: &Captures,
    w: &mut Vec<String>,
) -> Vec<(Range<usize>, Unit, Option<i32>)> {
    let Some(q) = caps.get(1) else { return vec![] };
    match quarter_or_warn(q.as_str(), None, w) {
        unit @ Unit::Quarter(_) => vec![(whole(caps), unit, None)],
        _ => vec![],
    }
}

fn build_half(caps: &Captures, w: &mut Vec<String>) -> Vec<(Range<usize>, Unit, Option<i32>)> {
    let half = match caps.get(1).map(|m| m.as_str()) {
        Some("cuoi") => 2,
        _ => 1,
    };
    let year = num::<i32>(caps, 2);
    if let Some(y) = year {
        if !year_ok(y, &y.to_string(), w) {
            return vec![];
        }
    }
    vec![(whole(caps), Unit::Half(half), year)]
}

fn build_month(caps: &Captures, w: &mut Vec<String>) -> Vec<(Range<usize>, Unit, Option<i32>)> {
    let (Some(month), Some(year)) = (num::<u32>(caps, 1), num::<i32>(caps, 2)) else {
        return vec![];
    };
    if !year_ok(year, &format!("{month}/{year}"), w) {
        return vec![];
    }
    if (1..=12).contains(&month) {
        vec![(whole(caps), Unit::Month(month), Some(year))]
    } else {
        w.push(format!("tháng không tồn tại: tháng {month}/{year}"));
        vec![(whole(caps), Unit::Year, Some(year))]
    }
}

fn build_relative(caps: &Captures, _w: &mut Vec<String>) -> Vec<(Range<usize>, Unit, Option<i32>)> {
    // "trong 30 ngày kể từ …" counts from an event, not from the document: that is a condition.
    if caps.get(3).is_some() {
        return vec![];
    }
    let Some(amount) = num::<u32>(caps, 1) else {
        return vec![];
    };
    let unit = match caps.get(2).map(|m| m.as_str()) {
        Some("ngay") => RelUnit::Day,
        Some("tuan") => RelUnit::Week,
        Some("thang") => RelUnit::Month,
        _ => RelUnit::Year,
    };
    vec![(whole(caps), Unit::Relative { amount, unit }, None)]
}

fn day_yearless(
    range: Range<usize>,
    day: u32,
    month: u32,
    w: &mut Vec<String>,
) -> Vec<(Range<usize>, Unit, Option<i32>)> {
    // 2024 is a leap year: 29/02 is a real day-month pair even if its year is not known yet.
    if calendar::is_valid_date(2024, month, day) {
        vec![(range, Unit::Day { day, month }, None)]
    } else {
        w.push(format!("ngày không tồn tại: {day:02}/{month:02}"));
        if (1..=12).contains(&month) {
            vec![(range, Unit::Month(month), None)]
        } else {
            vec![]
        }
    }
}

fn build_day_yearless(
    caps: &Captures,
    w: &mut Vec<String>,
) -> Vec<(Range<usize>, Unit, Option<i32>)> {
    let (Some(day), Some(month)) = (num::<u32>(caps, 1), num::<u32>(caps, 2)) else {
        return vec![];
    };
    day_yearless(whole(caps), day, month, w)
}

fn build_day_yearless_lead(
    caps: &Captures,
    w: &mut Vec<String>,
) -> Vec<(Range<usize>, Unit, Option<i32>)> {
    let (Some(d), Some(month)) = (caps.get(1), num::<u32>(caps, 2)) else {
        return vec![];
    };
    let Ok(day) = d.as_str().parse() else {
        return vec![];
    };
    // The lead word stays outside the mention: it tells how the date is meant.
    day_yearless(d.start()..whole(caps).end, day, month, w)
}

fn build_day_opening_range(
    caps: &Captures,
    w: &mut Vec<String>,
) -> Vec<(Range<usize>, Unit, Option<i32>)> {
    let (Some(m), Some(day), Some(month)) =
        (caps.name("m"), num::<u32>(caps, 2), num::<u32>(caps, 3))
    else {
        return vec![];
    };
    day_yearless(m.range(), day, month, w)
}

fn build_month_yearless(
    caps: &Captures,
    w: &mut Vec<String>,
) -> Vec<(Range<usize>, Unit, Option<i32>)> {
    let Some(month) = num::<u32>(caps, 1) else {
        return vec![];
    };
    if (1..=12).contains(&month) {
        vec![(whole(caps), Unit::Month(month), None)]
    } else {
        w.push(format!("tháng không tồn tại: tháng {month}"));
        vec![]
    }
}

fn build_year(caps: &Captures, w: &mut Vec<String>) -> Vec<(Range<usize>, Unit, Option<i32>)> {
    let Some(year) = num::<i32>(caps, 1) else {
        return vec![];
    };
    let explicit = caps.get(0).is_some_and(|m| m.as_str().starts_with("nam"));
    if calendar::is_plausible_year(year) {
        vec![(whole(caps), Unit::Year, Some(year))]
    } else {
        // A bare four-digit number is often not a year at all ("1000 người"); only warn when
        // the text says "năm".
        if explicit {
            w.push(format!("năm không hợp lệ: {year}"));
        }
        vec![]
    }
}

fn build_year_yearless(
    caps: &Captures,
    _w: &mut Vec<String>,
) -> Vec<(Range<usize>, Unit, Option<i32>)> {
    vec![(whole(caps), Unit::Year, None)]
}

/// Blanks `range` of `masked` with '#' bytes (same length, so offsets stay valid).
pub(crate) fn mask(masked: &mut String, range: Range<usize>) {
    mask_with(masked, range, "#");
}

/// Blank used for cited documents ("615/KH-UBND ngày 25/7/2025"), told apart from dates.
const CITED: &str = "@";

fn mask_with(masked: &mut String, range: Range<usize>, blank: &str) {
    if let Some(slice) = masked.get(range.clone()) {
        let blank = blank.repeat(slice.len());
        masked.replace_range(range, &blank);
    }
}

/// True when the range is still unmasked.
fn free(masked: &str, range: &Range<usize>) -> bool {
    masked
        .get(range.clone())
        .is_some_and(|s| !s.contains(['#', '@']))
}

/// True when the text right before `at` is a cited document's number: the date is its date.
fn cites_document(masked: &str, at: usize) -> bool {
    masked
        .get(..at)
        .is_some_and(|b| b.trim_end_matches([' ', ',']).ends_with(CITED))
}

/// Finds every date phrase in folded text, most specific first.
pub(crate) fn scan_dates(folded: &str) -> DateScan {
    let mut masked = folded.to_string();
    for m in DOC_NUMBER.find_iter(folded) {
        mask_with(&mut masked, m.range(), CITED);
    }
    let mut mentions = Vec::new();
    let mut warnings = Vec::new();
    // One multi-pattern scan says which passes can match at all; most lines need none.
    // Blanking only removes matches, except for passes that look for a blank ('#').
    let possible = PASS_SET.matches(folded);
    for (i, (regex, build)) in PASSES.iter().enumerate() {
        if !possible.matched(i) && !regex.as_str().contains('#') {
            continue;
        }
        let snapshot = masked.clone();
        for caps in regex.captures_iter(&snapshot) {
            // A pattern may look at context it does not take: then group `m` is the mention.
            let r = caps.name("m").map_or_else(|| whole(&caps), |m| m.range());
            if !free(&masked, &r) {
                continue;
            }
            if cites_document(&masked, r.start) {
                mask_with(&mut masked, r, CITED);
                continue;
            }
            let warned_before = warnings.len();
            let found = build(&caps, &mut warnings);
            let fallback = warnings.len() > warned_before;
            if found.is_empty() && caps.get(0).is_some_and(|m| m.as_str().starts_with("trong")) {
                // A relative phrase counted from an event: leave it for the condition scan.
                continue;
            }
            for (range, unit, year) in found {
                mentions.push(Mention {
                    range,
                    unit,
                    year,
                    fallback,
                });
            }
            mask(&mut masked, r);
        }
    }
    mentions.sort_by_key(|m| m.range.start);
    DateScan {
        mentions,
        masked,
        warnings,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folded_keeps_offsets_back_to_original() {
        let f = Folded::new("Cuối  Quý III/2025 (theo Kế hoạch)");
        assert_eq!(f.text, "cuoi quy iii/2025 (theo ke hoach)");
        let at = f.text.find("theo").expect("theo");
        assert_eq!(f.orig_slice(at..f.text.len() - 1), "theo Kế hoạch");
        let decomposed: String = {
            use std::fmt::Write;
            let mut s = String::new();
            let _ = write!(s, "Quy\u{301} III");
            s
        };
        let g = Folded::new(&decomposed);
        assert_eq!(g.text, "quy iii");
        assert_eq!(g.orig_slice(0..3), "Quý");
    }

    #[test]
    fn quick_fold_matches_textkit() {
        for cp in LATIN.0..=LATIN.1 {
            let Some(c) = char::from_u32(cp) else {
                continue;
            };
            if c == 'Ƕ' {
                // Read as the "y" of "kỳ" it stands for in text taken from PDFs.
                assert_eq!(Folded::new("định kǶ").text, "dinh ky");
                continue;
            }
            let s = c.to_string();
            assert_eq!(
                Folded::new(&s).text,
                tinhgon_textkit::fold(&tinhgon_textkit::nfc(&s)),
                "U+{cp:04X}"
            );
        }
        let line = "  Ủy ban nhân dân TỈNH  Đắk Lắk: “Quý III/2025” – ";
        assert_eq!(Folded::new(line).text, tinhgon_textkit::fold(line));
    }

    #[test]
    fn scan_finds_units_in_priority_order() {
        let scan =
            scan_dates("tu thang 8 den thang 12/2025, truoc ngay 15/12/2025 va quy iii/2025");
        let units: Vec<(Unit, Option<i32>)> =
            scan.mentions.iter().map(|m| (m.unit, m.year)).collect();
        assert_eq!(
            units,
            vec![
                (Unit::Month(8), None),
                (Unit::Month(12), Some(2025)),
                (Unit::Day { day: 15, month: 12 }, Some(2025)),
                (Unit::Quarter(3), Some(2025)),
            ]
        );
        assert!(scan.warnings.is_empty());
    }

    #[test]
    fn document_numbers_are_not_dates() {
        let scan = scan_dates("sau khi co thong tu so 01/2025/tt-bnv va ke hoach 307-kh/tu");
        assert!(scan.mentions.is_empty(), "{:?}", scan.mentions);
        let scan = scan_dates("theo ke hoach so 12/kh-ubnd ngay 10/3/2025, nghi quyet 18-nq/tw ngay 25 thang 10 nam 2017");
        assert!(scan.mentions.is_empty(), "{:?}", scan.mentions);
    }

    #[test]
    fn impossible_dates_warn_and_fall_back() {
        let scan = scan_dates("31/02/2025");
        assert_eq!(
            scan.warnings,
            vec!["ngày không tồn tại: 31/02/2025".to_string()]
        );
        assert_eq!(scan.mentions[0].unit, Unit::Month(2));
        let scan = scan_dates("thang 13/2025");
        assert_eq!(
            scan.warnings,
            vec!["tháng không tồn tại: tháng 13/2025".to_string()]
        );
        assert_eq!(scan.mentions[0].unit, Unit::Year);
    }

    #[test]
    fn yearless_periods_take_the_next_occurrence() {
        let doc = NaiveDate::from_ymd_opt(2025, 7, 25).expect("date");
        assert_eq!(year_for(Unit::Quarter(3), doc), 2025);
        assert_eq!(year_for(Unit::Quarter(2), doc), 2026);
        assert_eq!(year_for(Unit::Month(7), doc), 2025);
        assert_eq!(year_for(Unit::Day { day: 24, month: 7 }, doc), 2026);
        assert_eq!(year_for(Unit::Year, doc), 2025);
    }
}
