//! Phrase tables for the non-date parts of a deadline: periods ("hằng quý"), standing duties
//! ("thường xuyên"), spans ("trong quá trình …") and conditions ("sau khi có …").
//! All patterns are written against folded text (no diacritics, lowercase), so "hằng" and
//! "hàng" are one word here.

use std::ops::Range;

use once_cell::sync::Lazy;
use regex::Regex;

use crate::vndate::re;
use tinhgon_domain::Period;

/// A period word found in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct PeriodMark {
    /// Folded range.
    pub range: Range<usize>,
    /// The period, when the phrase names one ("định kỳ" alone does not).
    pub period: Option<Period>,
}

fn period_word(w: &str) -> Option<Period> {
    let w = w.trim();
    match w {
        "ngay" => Some(Period::Daily),
        "tuan" => Some(Period::Weekly),
        "thang" => Some(Period::Monthly),
        "quy" => Some(Period::Quarterly),
        "nam" => Some(Period::Yearly),
        _ if w.starts_with("nua") || w.ends_with("thang") => Some(Period::HalfYearly),
        _ => None,
    }
}

static PERIODS: Lazy<Vec<Regex>> = Lazy::new(|| {
    vec![
        // định kỳ hằng quý, định kỳ 6 tháng, định kỳ
        re(
            r"\bdinh ky(?:,)?(?: (?:hang|moi) ?)?(?: ?(?P<p>(?:0?6|sau) thang|nua nam|ngay|tuan|thang|quy|nam)\b)?",
        ),
        // hằng năm, hàng quý, mỗi tháng, hằng 6 tháng
        re(r"\b(?:hang|moi) (?P<p>(?:0?6|sau) thang|nua nam|ngay|tuan|thang|quy|nam)\b"),
        // 6 tháng một lần, 1 lần/quý, quý/lần
        re(r"\b(?P<p>(?:0?6|sau) thang|thang|quy|nam|tuan) ?(?:/|mot|1) ?lan\b"),
        re(r"\b(?:1|mot) lan ?/ ?(?P<p>(?:0?6|sau) thang|thang|quy|nam|tuan)\b"),
        // báo cáo 02 lần/ngày
        re(r"\b\d{1,2} lan ?/ ?(?P<p>ngay|tuan)\b"),
        // tháng cuối quý, cuối mỗi quý, đầu mỗi tháng
        re(r"\bthang (?:cuoi|dau) (?:cua |moi )?(?P<p>quy)\b"),
        re(r"\b(?:cuoi|dau|giua) moi (?P<p>tuan|thang|quy|nam)\b"),
        // báo cáo 6 tháng, sơ kết 6 tháng
        re(r"\b(?:bao cao|so ket|danh gia) (?P<p>(?:0?6|sau) thang)\b"),
    ]
});

/// "6 tháng" alone counts as a period only as a list item ("6 tháng, hằng năm").
static SIX_MONTHS_ITEM: Lazy<Regex> = Lazy::new(|| {
    re(r"(?:^|[,;(]|\bva |\bhoac )\s*(?P<p>(?:0?6|sau) thang)\s*(?:$|[,;)]|va\b|hoac\b)")
});

/// Period phrases of a deadline, in text order.
pub(super) fn periods(masked: &str) -> Vec<PeriodMark> {
    let mut found: Vec<PeriodMark> = Vec::new();
    let overlaps = |found: &[PeriodMark], r: &Range<usize>| {
        found
            .iter()
            .any(|f| f.range.start < r.end && r.start < f.range.end)
    };
    for regex in PERIODS.iter() {
        for caps in regex.captures_iter(masked) {
            let Some(m) = caps.get(0) else { continue };
            let range = m.range();
            if overlaps(&found, &range) {
                continue;
            }
            found.push(PeriodMark {
                range,
                period: caps.name("p").and_then(|p| period_word(p.as_str())),
            });
        }
    }
    for caps in SIX_MONTHS_ITEM.captures_iter(masked) {
        let Some(p) = caps.name("p") else { continue };
        if !overlaps(&found, &p.range()) {
            found.push(PeriodMark {
                range: p.range(),
                period: Some(Period::HalfYearly),
            });
        }
    }
    found.sort_by_key(|f| f.range.start);
    found
}

/// The most frequent period named ("6 tháng, hằng năm" → every six months): a duty done
/// twice a year is also done each year, so the tighter rhythm is the one to track.
pub(super) fn most_frequent(marks: &[PeriodMark]) -> Option<Period> {
    marks
        .iter()
        .filter_map(|m| m.period)
        .min_by_key(|p| frequency_rank(*p))
}

fn frequency_rank(p: Period) -> u8 {
    match p {
        Period::Daily => 0,
        Period::Weekly => 1,
        Period::Monthly => 2,
        Period::Quarterly => 3,
        Period::HalfYearly => 4,
        Period::Yearly => 5,
    }
}

static ONGOING: Lazy<Regex> = Lazy::new(|| re(r"\b(?:thuong xuyen|lien tuc|hang ngay|moi ngay)\b"));
static ONGOING_PROSE: Lazy<Regex> = Lazy::new(|| re(r"\b(?:thuong xuyen|hang ngay)\b"));
/// "trung tâm giáo dục thường xuyên", "chi thường xuyên" name things, not timing.
static ONGOING_NOUN: Lazy<Regex> =
    Lazy::new(|| re(r"(?:giao duc|gdtx|\bchi|kinh phi|nguon|du toan|nhiem vu chi|chi phi)\s*$"));

/// Standing-duty words ("Thường xuyên", "liên tục"); `prose` keeps only unambiguous ones.
pub(super) fn ongoing(masked: &str, prose: bool) -> Vec<Range<usize>> {
    let regex = if prose { &*ONGOING_PROSE } else { &*ONGOING };
    regex
        .find_iter(masked)
        .filter(|m| !ONGOING_NOUN.is_match(masked.get(..m.start()).unwrap_or("")))
        .map(|m| m.range())
        .collect()
}

static DURING: Lazy<Regex> = Lazy::new(|| {
    re(
        r"\b(?:trong (?:qua trinh|suot|thoi gian)|suot (?:qua trinh|thoi gian)|song song voi|dong thoi voi|cung voi qua trinh|gan voi qua trinh)\b",
    )
});

/// Starts of "for as long as" phrases ("Trong quá trình thực hiện sắp xếp …").
pub(super) fn during_starts(masked: &str) -> Vec<usize> {
    DURING.find_iter(masked).map(|m| m.start()).collect()
}

static CONDITION: Lazy<Regex> = Lazy::new(|| {
    re(
        r"\b(?:(?:ngay )?sau khi|(?:ngay |chi |truoc )?khi|tuy (?:theo|thuoc)|can cu|dot xuat|neu|theo|\d{1,3} (?:ngay|tuan|thang|nam) (?:ke|tinh) tu)\b",
    )
});
static CONDITION_PROSE: Lazy<Regex> = Lazy::new(|| {
    re(concat!(
        r"\b(?:(?:ngay )?sau khi (?:co|duoc|nhan|hoan thanh|ban hanh|cap co|trung uong|tinh|ubnd|bo)",
        r"|(?:ngay )?khi (?:co|duoc|nhan duoc) (?:chu truong|chi dao|huong dan|quyet dinh|van ban|y kien|ket luan|thong tu|nghi dinh|ke hoach|phe duyet|yeu cau)",
        // A span counted from an outside event ("trong thời hạn 10 ngày kể từ ngày nhận
        // Kế hoạch này") waits for that event.
        r"|(?:ke|tinh) tu ngay (?:nhan|ban hanh|ky|co hieu luc)",
        r"|theo (?:ke hoach|lo trinh|tien do)(?: chung)? cua (?:trung uong|cap co tham quyen|cap tren|chinh phu|bo chinh tri|tinh uy|ubnd|uy ban)",
        // Direction still to come from above is a condition; a named body's standing
        // direction ("theo chỉ đạo của Trung ương") only frames the duty.
        r"|theo chi dao cua (?:cap co tham quyen|cap tren)",
        r"|theo lo trinh",
        // A duty that opens on its condition ("Trường hợp chất lượng không khí …", "Khi
        // phát hiện …") or waits for a superior body or a sitting.
        r"|^(?:trong )?truong hop|^khi|^(?:ngay )?sau khi|(?:[.;] )(?:trong )?truong hop",
        r"|khi (?:bo|tong lien doan|trung uong|chinh phu|thu tuong) [a-z]+",
        r"|khi (?:tong ket|so ket|ket thuc)",
        r"|theo yeu cau cua cap co tham quyen",
        r"|(?:tai|trong) ky hop)\b",
    ))
});
/// "tiếp theo", "theo dõi", "theo đó" contain "theo" without being conditions.
static NOT_CONDITION: Lazy<Regex> = Lazy::new(|| re(r"^theo (?:doi|do\b|duoi)"));

/// Starts of condition phrases ("Sau khi có Thông tư …", "theo Kế hoạch của Trung ương").
pub(super) fn condition_starts(masked: &str, prose: bool) -> Vec<usize> {
    let regex = if prose {
        &*CONDITION_PROSE
    } else {
        &*CONDITION
    };
    regex
        .find_iter(masked)
        .filter(|m| {
            let before = masked.get(..m.start()).unwrap_or("");
            let rest = masked.get(m.start()..).unwrap_or("");
            // "(sau khi có sự thống nhất với các Bộ …)": an agreement to reach first is a
            // step of the procedure, not the timing of the duty.
            let agreement = prose
                && (rest.starts_with("sau khi co su thong nhat")
                    || rest.starts_with("sau khi co y kien thong nhat")
                    || rest.starts_with("sau khi thong nhat"));
            // "… sẵn sàng … khi có yêu cầu" qualifies one action; only beside a rhythm
            // ("định kỳ (hoặc khi có yêu cầu) báo cáo") is it a trigger of the duty.
            let on_request = prose
                && rest
                    .trim_start_matches("ngay ")
                    .starts_with("khi co yeu cau")
                && !(before.ends_with("hoac ") || before.ends_with("dot xuat "));
            !before.ends_with("tiep ") && !NOT_CONDITION.is_match(rest) && !agreement && !on_request
        })
        .map(|m| m.start())
        .collect()
}

static CLAUSE_END: Lazy<Regex> = Lazy::new(|| {
    re(r"[;()\[\]]|\.(?:\s|$)|\bva (?:phu hop|dam bao|bao dam)\b|, (?:dong thoi|trong do)\b")
});
static TRAILING_LEAD: Lazy<Regex> = Lazy::new(|| {
    re(
        r"(?:[\s,.;:\-–]|\b(?:truoc|trong|cuoi|den het|den|het|xong|hoan thanh|vao|tu|cham nhat|la|han|thoi gian|ngay))+$",
    )
});

/// Folded end of the clause an event starting at `start` belongs to: the first clause
/// punctuation, or the start of a date (`stops`), whichever comes first; trailing lead words
/// ("…, trong") are left out.
pub(super) fn event_end(folded: &str, start: usize, stops: &[usize]) -> usize {
    let rest = folded.get(start..).unwrap_or("");
    let mut end = CLAUSE_END
        .find(rest)
        .map_or(folded.len(), |m| start + m.start());
    if let Some(&stop) = stops.iter().filter(|&&s| s > start).min() {
        end = end.min(stop);
    }
    let clause = folded.get(start..end).unwrap_or("");
    match TRAILING_LEAD.find(clause) {
        Some(m) if m.start() > 0 => start + m.start(),
        _ => end,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_pick_the_most_frequent() {
        let marks = periods("6 thang, hang nam");
        assert_eq!(most_frequent(&marks), Some(Period::HalfYearly));
        assert_eq!(
            most_frequent(&periods("dinh ky hang quy")),
            Some(Period::Quarterly)
        );
        assert_eq!(most_frequent(&periods("dinh ky")), None);
        assert_eq!(periods("dinh ky").len(), 1);
        assert!(periods("trong 6 thang ke tu ngay ban hanh").is_empty());
    }

    #[test]
    fn event_stops_at_clause_and_date() {
        let t = "sau khi duoc phe duyet, trong quy iii/2025";
        let stop = t.find("quy").expect("quy");
        assert_eq!(&t[..event_end(t, 0, &[stop])], "sau khi duoc phe duyet");
        let t = "cuoi quy iii/2025 (theo ke hoach cua trung uong)";
        let s = t.find("theo").expect("theo");
        assert_eq!(&t[s..event_end(t, s, &[])], "theo ke hoach cua trung uong");
    }

    #[test]
    fn nouns_are_not_ongoing() {
        assert!(ongoing("trung tam giao duc thuong xuyen", false).is_empty());
        assert!(ongoing("chi thuong xuyen", true).is_empty());
        assert_eq!(ongoing("thuong xuyen", true).len(), 1);
    }
}
