//! One idea, kept in one file: the table of deadline phrasings the parser must read.
//!
//! Deadline phrasings from real plans (seeds 000, 001, 003, the Lào Cai plan, and common
//! forms of other provinces), each with the structure it must give.

use chrono::NaiveDate;
use proptest::prelude::*;
use tinhgon_domain::{calendar, Deadline, DeadlineKind as K, Period as P, Precision as Pr};

use super::{find_deadline_in_prose, parse_deadline, ParsedDeadline};

/// Date of seed 000 (615/KH-UBND, 25/07/2025); year-less phrases resolve against it.
fn doc() -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(2025, 7, 25)
}

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_else(|e| panic!("test date {s}: {e}"))
}

/// One expected result; `None` fields must be absent.
struct Want {
    kind: K,
    due: Option<&'static str>,
    precision: Option<Pr>,
    period: Option<P>,
    event: Option<&'static str>,
    start: Option<&'static str>,
}

const fn want(kind: K) -> Want {
    Want {
        kind,
        due: None,
        precision: None,
        period: None,
        event: None,
        start: None,
    }
}
const fn by(due: &'static str, precision: Pr) -> Want {
    Want {
        kind: K::By,
        due: Some(due),
        precision: Some(precision),
        period: None,
        event: None,
        start: None,
    }
}
impl Want {
    const fn period(mut self, p: P) -> Self {
        self.period = Some(p);
        self
    }
    const fn event(mut self, e: &'static str) -> Self {
        self.event = Some(e);
        self
    }
    const fn start(mut self, s: &'static str) -> Self {
        self.start = Some(s);
        self
    }
}

fn check(text: &str, want: &Want) -> Deadline {
    let parsed = parse_deadline(text, doc());
    let got = &parsed.deadline;
    assert_eq!(got.kind, want.kind, "kind of {text:?}: {got:?}");
    assert_eq!(got.due, want.due.map(d), "due of {text:?}: {got:?}");
    assert_eq!(
        got.precision, want.precision,
        "precision of {text:?}: {got:?}"
    );
    assert_eq!(got.period, want.period, "period of {text:?}: {got:?}");
    assert_eq!(
        got.event.as_deref(),
        want.event,
        "event of {text:?}: {got:?}"
    );
    assert_eq!(got.start, want.start.map(d), "start of {text:?}: {got:?}");
    assert!(
        parsed.warnings.is_empty(),
        "warnings for {text:?}: {:?}",
        parsed.warnings
    );
    parsed.deadline
}

/// Seed 000's appendix and seed 001's "* Đơn vị thực hiện" items (fixtures/gold), with the
/// gold's `date` read as `by` and `none` as `unspecified`.
const GOLD: &[(&str, Want)] = &[
    ("Thường xuyên.", want(K::Ongoing)),
    (
        "Cuối quý III/2025 (theo Kế hoạch của Trung ương).",
        by("2025-09-30", Pr::Quarter).event("theo Kế hoạch của Trung ương"),
    ),
    (
        "Theo chỉ đạo của cấp có thẩm quyền và tình hình thực tế của địa phương.",
        want(K::Conditional)
            .event("Theo chỉ đạo của cấp có thẩm quyền và tình hình thực tế của địa phương"),
    ),
    (
        "Theo Kế hoạch của Trung ương.",
        want(K::Conditional).event("Theo Kế hoạch của Trung ương"),
    ),
    (
        "Hoàn thành trong quý III/2025.",
        by("2025-09-30", Pr::Quarter),
    ),
    (
        "Trình UBND tỉnh trong Quý III/2025.",
        by("2025-09-30", Pr::Quarter),
    ),
    ("Quý III năm 2025.", by("2025-09-30", Pr::Quarter)),
    (
        "Trong quá trình thực hiện sắp xếp bộ máy chính quyền 2 cấp",
        want(K::During).event("Trong quá trình thực hiện sắp xếp bộ máy chính quyền 2 cấp"),
    ),
    (
        "Sau khi có Thông tư của các Bộ chuyên ngành",
        want(K::Conditional).event("Sau khi có Thông tư của các Bộ chuyên ngành"),
    ),
    (
        "Trình UBND tỉnh trong quý III/2025",
        by("2025-09-30", Pr::Quarter),
    ),
    ("Trình UBND tỉnh tháng 10/2025", by("2025-10-31", Pr::Month)),
    (
        "khi có chỉ đạo, hướng dẫn của cấp có thẩm quyền",
        want(K::Conditional).event("khi có chỉ đạo, hướng dẫn của cấp có thẩm quyền"),
    ),
    (
        "khi có chủ trương của cấp có thẩm quyền",
        want(K::Conditional).event("khi có chủ trương của cấp có thẩm quyền"),
    ),
    (
        "sau khi có chỉ đạo của Trung ương",
        want(K::Conditional).event("sau khi có chỉ đạo của Trung ương"),
    ),
];

/// The Lào Cai plan's appendix (fixtures/real, KH-UBND … khoáng sản).
const LAO_CAI: &[(&str, Want)] = &[
    ("Xong trong Quý II/2026", by("2026-06-30", Pr::Quarter)),
    ("Xong trong tháng 5/2026", by("2026-05-31", Pr::Month)),
    ("Trong năm 2026", by("2026-12-31", Pr::Year)),
    ("Hàng năm", want(K::Recurring).period(P::Yearly)),
    ("Thường xuyên", want(K::Ongoing)),
];

/// The forms issue 2 lists, and common variants seen in other provinces' plans.
const PHRASES: &[(&str, Want)] = &[
    // by, with each precision
    ("quý 3/2025", by("2025-09-30", Pr::Quarter)),
    ("Q3/2025", by("2025-09-30", Pr::Quarter)),
    ("QUÝ IV/2025.", by("2025-12-31", Pr::Quarter)),
    ("Quý I năm 2026", by("2026-03-31", Pr::Quarter)),
    ("trong tháng 10/2025", by("2025-10-31", Pr::Month)),
    ("tháng 02/2026", by("2026-02-28", Pr::Month)),
    ("Tháng 9 năm 2025", by("2025-09-30", Pr::Month)),
    ("trước ngày 15/12/2025", by("2025-12-15", Pr::Day)),
    ("ngày 15 tháng 12 năm 2025", by("2025-12-15", Pr::Day)),
    ("Chậm nhất ngày 30/9/2025", by("2025-09-30", Pr::Day)),
    ("15.12.2025", by("2025-12-15", Pr::Day)),
    ("29/02/2028", by("2028-02-29", Pr::Day)),
    ("năm 2026", by("2026-12-31", Pr::Year)),
    ("Năm 2025", by("2025-12-31", Pr::Year)),
    ("Cuối năm 2025", by("2025-12-31", Pr::Year)),
    ("đến hết năm 2030", by("2030-12-31", Pr::Year)),
    ("Đến năm 2026", by("2026-12-31", Pr::Year)),
    ("6 tháng đầu năm 2026", by("2026-06-30", Pr::HalfYear)),
    ("Nửa đầu năm 2026", by("2026-06-30", Pr::HalfYear)),
    ("6 tháng cuối năm 2025", by("2025-12-31", Pr::HalfYear)),
    ("Trước quý IV/2025", by("2025-09-30", Pr::Quarter)),
    ("Trước tháng 10/2025", by("2025-09-30", Pr::Month)),
    (
        "Tháng 9/2025 (sau khi có hướng dẫn của Bộ Nội vụ)",
        by("2025-09-30", Pr::Month).event("sau khi có hướng dẫn của Bộ Nội vụ"),
    ),
    (
        "tháng 10/2025 (Trình UBND tỉnh)",
        by("2025-10-31", Pr::Month),
    ),
    (
        "Sau khi được phê duyệt, trong quý IV/2025",
        by("2025-12-31", Pr::Quarter).event("Sau khi được phê duyệt"),
    ),
    // year-less: the document's year, or the next occurrence after the document date
    ("trước 30/9", by("2025-09-30", Pr::Day)),
    ("Quý III", by("2025-09-30", Pr::Quarter)),
    ("Quý II", by("2026-06-30", Pr::Quarter)),
    ("Trong tháng 10", by("2025-10-31", Pr::Month)),
    ("6 tháng cuối năm", by("2025-12-31", Pr::HalfYear)),
    ("Cuối năm", by("2025-12-31", Pr::Year)),
    ("Trong vòng 30 ngày", by("2025-08-24", Pr::Day)),
    // closed ranges end at their end
    (
        "tháng 10 - 11/2025",
        by("2025-11-30", Pr::Month).start("2025-10-01"),
    ),
    (
        "2025 - 2030",
        by("2030-12-31", Pr::Year).start("2025-01-01"),
    ),
    (
        "Giai đoạn 2026 - 2030",
        by("2030-12-31", Pr::Year).start("2026-01-01"),
    ),
    (
        "Năm 2026 - 2027",
        by("2027-12-31", Pr::Year).start("2026-01-01"),
    ),
    (
        "Quý IV/2025 - Quý II/2026",
        by("2026-06-30", Pr::Quarter).start("2025-10-01"),
    ),
    (
        "quý III - IV/2025",
        by("2025-12-31", Pr::Quarter).start("2025-07-01"),
    ),
    (
        "từ tháng 8 đến tháng 12/2025",
        by("2025-12-31", Pr::Month).start("2025-08-01"),
    ),
    (
        "Từ tháng 10 đến tháng 2/2026",
        by("2026-02-28", Pr::Month).start("2025-10-01"),
    ),
    (
        "Từ ngày 01/7/2025 đến ngày 31/12/2025",
        by("2025-12-31", Pr::Day).start("2025-07-01"),
    ),
    (
        "Từ nay đến hết năm 2025",
        by("2025-12-31", Pr::Year).start("2025-07-25"),
    ),
    (
        "01/7 - 31/12/2025",
        by("2025-12-31", Pr::Day).start("2025-07-01"),
    ),
    (
        "Từ ngày 15/8 đến ngày 30/9/2025",
        by("2025-09-30", Pr::Day).start("2025-08-15"),
    ),
    (
        "Tháng 7/2025 - tháng 12/2025",
        by("2025-12-31", Pr::Month).start("2025-07-01"),
    ),
    // lists are done when their latest part is
    ("Trong Quý III, IV/2025", by("2025-12-31", Pr::Quarter)),
    (
        "Năm 2025: hoàn thành 50%; năm 2026: hoàn thành 100%",
        by("2026-12-31", Pr::Year),
    ),
    ("Quý III và quý IV/2025", by("2025-12-31", Pr::Quarter)),
    (
        "Tháng 8/2025 (trước ngày 15/8/2025)",
        by("2025-08-15", Pr::Day),
    ),
    ("Tháng 10/2025 (Quý IV/2025)", by("2025-10-31", Pr::Month)),
    (
        "Năm 2025 (hoàn thành trước 30/11/2025)",
        by("2025-11-30", Pr::Day),
    ),
    (
        "Trước ngày 15/12/2025 (cấp tỉnh); trước ngày 31/12/2025 (cấp xã)",
        by("2025-12-31", Pr::Day),
    ),
    // ongoing, with open starts
    ("Hằng ngày", want(K::Ongoing).period(P::Daily)),
    ("Hàng ngày", want(K::Ongoing).period(P::Daily)),
    ("liên tục", want(K::Ongoing)),
    ("Thường xuyên, liên tục", want(K::Ongoing)),
    ("thuong xuyen", want(K::Ongoing)),
    (
        "Năm 2025 và các năm tiếp theo",
        want(K::Ongoing).start("2025-01-01"),
    ),
    ("Từ 01/7/2025", want(K::Ongoing).start("2025-07-01")),
    ("Từ năm 2025", want(K::Ongoing).start("2025-01-01")),
    (
        "Kể từ ngày 01/01/2026",
        want(K::Ongoing).start("2026-01-01"),
    ),
    ("Từ năm 2026 trở đi", want(K::Ongoing).start("2026-01-01")),
    (
        "Thực hiện trong năm 2025 và các năm tiếp theo",
        want(K::Ongoing).start("2025-01-01"),
    ),
    ("Đến năm 2030 và những năm tiếp theo", want(K::Ongoing)),
    (
        "Theo Kế hoạch số 12/KH-UBND ngày 10/3/2025",
        want(K::Conditional).event("Theo Kế hoạch số 12/KH-UBND ngày 10/3/2025"),
    ),
    // recurring: both spellings, the most frequent period, period beats thường xuyên
    ("Định kỳ hằng quý", want(K::Recurring).period(P::Quarterly)),
    ("hằng năm", want(K::Recurring).period(P::Yearly)),
    ("hằng tháng", want(K::Recurring).period(P::Monthly)),
    ("Hàng tháng", want(K::Recurring).period(P::Monthly)),
    ("Hằng tuần", want(K::Recurring).period(P::Weekly)),
    (
        "6 tháng, hằng năm",
        want(K::Recurring).period(P::HalfYearly),
    ),
    (
        "Hằng quý, 6 tháng, hằng năm",
        want(K::Recurring).period(P::Quarterly),
    ),
    ("định kỳ 6 tháng", want(K::Recurring).period(P::HalfYearly)),
    (
        "Định kỳ 6 tháng một lần",
        want(K::Recurring).period(P::HalfYearly),
    ),
    (
        "Thường xuyên, hằng năm",
        want(K::Recurring).period(P::Yearly),
    ),
    (
        "Định kỳ hoặc đột xuất",
        want(K::Recurring).event("đột xuất"),
    ),
    (
        "Định kỳ (hoặc khi có yêu cầu)",
        want(K::Recurring).event("khi có yêu cầu"),
    ),
    ("Ngày 20 hằng tháng", want(K::Recurring).period(P::Monthly)),
    (
        "Trước ngày 20 của tháng cuối quý",
        want(K::Recurring).period(P::Quarterly),
    ),
    ("Cuối mỗi tháng", want(K::Recurring).period(P::Monthly)),
    (
        "Báo cáo 6 tháng và năm",
        want(K::Recurring).period(P::HalfYearly),
    ),
    ("1 lần/quý", want(K::Recurring).period(P::Quarterly)),
    (
        "Trước ngày 15/12 hằng năm",
        Want {
            kind: K::Recurring,
            due: Some("2025-12-15"),
            precision: Some(Pr::Day),
            period: Some(P::Yearly),
            event: None,
            start: None,
        },
    ),
    (
        "Từ 01/7/2025, hằng tháng",
        want(K::Recurring).period(P::Monthly).start("2025-07-01"),
    ),
    (
        "Trước 31/12/2025; báo cáo kết quả hằng quý",
        by("2025-12-31", Pr::Day).period(P::Quarterly),
    ),
    // conditional and during
    (
        "Sau khi được phê duyệt",
        want(K::Conditional).event("Sau khi được phê duyệt"),
    ),
    (
        "Theo lộ trình của Trung ương",
        want(K::Conditional).event("Theo lộ trình của Trung ương"),
    ),
    (
        "khi có hướng dẫn",
        want(K::Conditional).event("khi có hướng dẫn"),
    ),
    ("Theo quy định", want(K::Conditional).event("Theo quy định")),
    (
        "Trong 30 ngày kể từ ngày Kế hoạch được ban hành",
        want(K::Conditional).event("30 ngày kể từ ngày Kế hoạch được ban hành"),
    ),
    (
        "Song song với việc sắp xếp đơn vị hành chính",
        want(K::During).event("Song song với việc sắp xếp đơn vị hành chính"),
    ),
    // nothing
    ("", want(K::Unspecified)),
    ("Ghi chú khác", want(K::Unspecified)),
];

#[test]
fn gold_phrasings() {
    for (text, w) in GOLD {
        check(text, w);
    }
}

#[test]
fn lao_cai_phrasings() {
    for (text, w) in LAO_CAI {
        check(text, w);
    }
}

#[test]
fn issue_and_common_phrasings() {
    for (text, w) in PHRASES {
        check(text, w);
    }
}

#[test]
fn at_least_sixty_distinct_phrasings() {
    let mut all: Vec<&str> = GOLD
        .iter()
        .chain(LAO_CAI)
        .chain(PHRASES)
        .map(|(t, _)| *t)
        .collect();
    all.sort_unstable();
    all.dedup();
    assert!(all.len() >= 60, "only {} phrasings", all.len());
}

#[test]
fn text_is_kept_as_written_without_trailing_punctuation() {
    let p = parse_deadline("  Thường xuyên. ", doc());
    assert_eq!(p.deadline.text, "Thường xuyên");
    let p = parse_deadline("Một câu lạ không có thời gian", doc());
    assert_eq!(p.deadline.kind, K::Unspecified);
    assert_eq!(p.deadline.text, "Một câu lạ không có thời gian");
}

#[test]
fn decomposed_and_unaccented_text_parse_alike() {
    use unicode_normalization_shim::nfd;
    for text in [
        nfd("Cuối quý III/2025"),
        "quy III/2025".to_string(),
        "CUOI QUY 3/2025".to_string(),
    ] {
        let p = parse_deadline(&text, doc());
        assert_eq!(p.deadline.due, Some(d("2025-09-30")), "{text:?}");
        assert_eq!(p.deadline.precision, Some(Pr::Quarter));
    }
    let p = parse_deadline(&nfd("Thường xuyên, hằng năm"), doc());
    assert_eq!(
        (p.deadline.kind, p.deadline.period),
        (K::Recurring, Some(P::Yearly))
    );
    assert_eq!(
        p.deadline.text, "Thường xuyên, hằng năm",
        "text comes back in NFC"
    );
}

/// Decomposes Vietnamese letters without a new dependency: the textkit crate only composes,
/// so the test writes the few decomposed letters it needs by hand.
mod unicode_normalization_shim {
    pub fn nfd(s: &str) -> String {
        s.chars()
            .flat_map(|c| match c {
                'ố' => vec!['o', '\u{302}', '\u{301}'],
                'ý' => vec!['y', '\u{301}'],
                'ờ' => vec!['o', '\u{31B}', '\u{300}'],
                'ê' => vec!['e', '\u{302}'],
                'ằ' => vec!['a', '\u{306}', '\u{300}'],
                'ă' => vec!['a', '\u{306}'],
                'ư' => vec!['u', '\u{31B}'],
                'á' => vec!['a', '\u{301}'],
                'ầ' => vec!['a', '\u{302}', '\u{300}'],
                'ạ' => vec!['a', '\u{323}'],
                other => vec![other],
            })
            .collect()
    }
}

#[test]
fn impossible_dates_warn_and_fall_back_to_the_coarser_part() {
    let cases = [
        (
            "31/02/2025",
            "ngày không tồn tại: 31/02/2025",
            Some(("2025-02-28", Pr::Month)),
        ),
        (
            "32/1/2025",
            "ngày không tồn tại: 32/01/2025",
            Some(("2025-01-31", Pr::Month)),
        ),
        (
            "29/02/2025",
            "ngày không tồn tại: 29/02/2025",
            Some(("2025-02-28", Pr::Month)),
        ),
        (
            "tháng 13/2025",
            "tháng không tồn tại: tháng 13/2025",
            Some(("2025-12-31", Pr::Year)),
        ),
        (
            "Quý V/2025",
            "quý không tồn tại: quý V/2025",
            Some(("2025-12-31", Pr::Year)),
        ),
        (
            "trước ngày 30/02",
            "ngày không tồn tại: 30/02",
            Some(("2026-02-28", Pr::Month)),
        ),
        ("tháng 13", "tháng không tồn tại: tháng 13", None),
    ];
    for (text, warning, expect) in cases {
        let p = parse_deadline(text, doc());
        assert_eq!(p.warnings, vec![warning.to_string()], "{text}");
        match expect {
            Some((due, precision)) => {
                assert_eq!(p.deadline.kind, K::By, "{text}");
                assert_eq!(p.deadline.due, Some(d(due)), "{text}");
                assert_eq!(p.deadline.precision, Some(precision), "{text}");
            }
            None => assert_eq!(p.deadline.kind, K::Unspecified, "{text}"),
        }
    }
}

#[test]
fn year_less_phrases_need_the_document_date() {
    let p = parse_deadline("Quý III", None);
    assert_eq!(p.deadline.kind, K::Unspecified);
    assert_eq!(p.warnings.len(), 1, "{:?}", p.warnings);
    assert!(p.warnings[0].contains("thiếu ngày văn bản"));
    let p = parse_deadline("Quý III/2025", None);
    assert_eq!(p.deadline.due, Some(d("2025-09-30")));
}

#[test]
fn reversed_range_warns_and_keeps_the_end() {
    let p = parse_deadline("Quý II/2026 - Quý IV/2025", doc());
    assert_eq!(p.deadline.kind, K::By);
    assert_eq!(p.deadline.start, None);
    assert_eq!(p.warnings.len(), 1, "{:?}", p.warnings);
}

#[test]
fn prose_conditions_that_wait_and_those_that_qualify() {
    let waits = [
        "Xây dựng kế hoạch, gửi Ủy ban nhân dân thành phố trong thời hạn 10 ngày kể từ ngày nhận Kế hoạch này.",
        "Sau khi thực hiện mở tài khoản, Ủy ban nhân dân xã ký kết hợp đồng chi trả.",
    ];
    for text in waits {
        let p =
            find_deadline_in_prose(text, doc()).unwrap_or_else(|| panic!("nothing in {text:?}"));
        assert_eq!(p.deadline.kind, K::Conditional, "{text}");
    }
    let qualifies = [
        "Đảm bảo đầy đủ cơ số thuốc, sẵn sàng hỗ trợ địa phương khi có yêu cầu.",
        "Giao Bộ trưởng quyết định điều chỉnh (sau khi có sự thống nhất với các Bộ, cơ quan liên quan).",
    ];
    for text in qualifies {
        assert!(find_deadline_in_prose(text, doc()).is_none(), "{text}");
    }
    // Beside a rhythm, a request is a further trigger of the report.
    let p = find_deadline_in_prose(
        "Theo dõi, định kỳ (hoặc khi có yêu cầu) báo cáo UBND tỉnh.",
        doc(),
    )
    .expect("a standing duty");
    assert_eq!(p.deadline.event.as_deref(), Some("khi có yêu cầu"));
}

#[test]
fn a_year_less_range_runs_in_the_year_of_its_end() {
    let date = NaiveDate::from_ymd_opt(2025, 11, 18);
    let p = parse_deadline("từ ngày 15/11 đến ngày 15/12", date);
    assert_eq!(p.deadline.due, NaiveDate::from_ymd_opt(2025, 12, 15));
    let p = find_deadline_in_prose("Công bố kết quả định kǶ hằng năm.", date).expect("a rhythm");
    assert_eq!(p.deadline.kind, K::Recurring);
}

#[test]
fn prose_keeps_only_what_a_clerk_types_as_the_deadline() {
    // Rhythms of reporting and review count; a period that qualifies a thing does not.
    let rhythm = [
        "Tổ chức đánh giá, báo cáo kết quả thực hiện Đề án hàng năm và tổng kết sau khi kết thúc Đề án.",
        "Trước ngày 15 tháng 12 hàng năm, báo cáo tình hình, kết quả thực hiện gửi Bộ.",
        "Chủ động cập nhật kết quả thực hiện hàng tuần, báo cáo UBND Thành phố.",
    ];
    for text in rhythm {
        let p =
            find_deadline_in_prose(text, doc()).unwrap_or_else(|| panic!("nothing in {text:?}"));
        assert_eq!(p.deadline.kind, K::Recurring, "{text}");
    }
    let daily = find_deadline_in_prose("Tổng hợp, báo cáo UBND tỉnh trước 19h00 hằng ngày.", doc())
        .expect("a daily report");
    assert_eq!(
        (p_kind(&daily), daily.deadline.period),
        (K::Recurring, Some(P::Daily))
    );
    let none = [
        "Cân đối, bố trí kinh phí ngân sách địa phương hằng năm đảm bảo thực hiện các nhiệm vụ.",
        "Thường xuyên kiểm tra, giám sát các gói thầu duy trì vệ sinh môi trường.",
        "Tiếp tục thực hiện Nghị quyết số 36-NQ/TW về phát triển bền vững kinh tế biển đến năm 2030.",
        "Triển khai Kế hoạch, phấn đấu đạt mục tiêu 20% xã không ma túy ngay trong năm 2025.",
    ];
    for text in none {
        assert!(find_deadline_in_prose(text, doc()).is_none(), "{text}");
    }
    let standing = find_deadline_in_prose("Định kỳ báo cáo kết quả triển khai về Sở.", doc())
        .expect("a standing duty");
    assert_eq!(standing.deadline.kind, K::Ongoing);
    for text in [
        "Trường hợp chất lượng môi trường không khí bị ô nhiễm nghiêm trọng, khuyến cáo nhân dân hạn chế ra ngoài.",
        "Chủ trì tham mưu triển khai Tiểu dự án 1 (khi Bộ Quốc phòng có văn bản triển khai).",
    ] {
        let p = find_deadline_in_prose(text, doc()).unwrap_or_else(|| panic!("nothing in {text:?}"));
        assert_eq!(p.deadline.kind, K::Conditional, "{text}");
    }
}

fn p_kind(p: &ParsedDeadline) -> K {
    p.deadline.kind
}

#[test]
fn prose_finds_the_deadline_clause() {
    let cases: &[(&str, K, Option<&str>, &str)] = &[
        ("Sở Nội vụ tham mưu, trình UBND tỉnh trong quý III/2025.", K::By, Some("2025-09-30"), "trong quý III/2025"),
        ("Các sở xây dựng báo cáo, hoàn thành trước ngày 15/12/2025", K::By, Some("2025-12-15"), "trước ngày 15/12/2025"),
        (
            "Ban Quản lý Khu kinh tế tỉnh chủ trì, phối hợp với Sở Nội vụ tham mưu triển khai thực hiện khi có chủ trương của cấp có thẩm quyền.",
            K::Conditional,
            None,
            "khi có chủ trương của cấp có thẩm quyền",
        ),
        (
            "Sở Nội vụ chủ trì tham mưu Ủy ban nhân dân tỉnh chỉ đạo thực hiện sau khi có chỉ đạo của Trung ương và phù hợp với tình hình của tỉnh.",
            K::Conditional,
            None,
            "sau khi có chỉ đạo của Trung ương",
        ),
        ("Thời gian thực hiện: Quý IV/2025.", K::By, Some("2025-12-31"), "Quý IV/2025"),
        ("Hàng năm, xây dựng kế hoạch đào tạo, bồi dưỡng viên chức đảm bảo đúng quy định.", K::Recurring, None, "Hàng năm"),
        (
            "Tiếp tục đẩy mạnh thực hiện tinh giản biên chế với yêu cầu đến năm 2026 phải giảm tối thiểu 10% biên chế viên chức hưởng lương từ ngân sách nhà nước so với số biên chế được giao năm 2021.",
            K::By,
            Some("2026-12-31"),
            "đến năm 2026",
        ),
        ("Thực hiện từ ngày 01/7/2025 và các năm tiếp theo", K::Ongoing, None, "từ ngày 01/7/2025 và các năm tiếp theo"),
    ];
    for (text, kind, due, phrase) in cases {
        let p =
            find_deadline_in_prose(text, doc()).unwrap_or_else(|| panic!("nothing in {text:?}"));
        assert_eq!(p.deadline.kind, *kind, "{text}");
        assert_eq!(p.deadline.due, due.map(d), "{text}");
        assert_eq!(p.deadline.text, *phrase, "{text}");
    }
}

#[test]
fn prose_ignores_cited_documents_and_nouns() {
    for text in [
        "Căn cứ Kế hoạch 307-KH/TU ngày 27/02/2025 của Ban Thường vụ Tỉnh ủy",
        "theo quy định tại Nghị định số 120/2020/NĐ-CP ngày 07/10/2020 của Chính phủ",
        "Tham mưu sáp nhập, sắp xếp, kiện toàn lại trung tâm giáo dục thường xuyên và trường trung cấp nghề.",
        "giao số lượng người làm việc trong các đơn vị sự nghiệp chưa tự chủ chi thường xuyên",
        "Thực hiện Kết luận số 121-KL/TW ngày 24 tháng 01 năm 2025 của Ban Chấp hành Trung ương",
        "theo Quyết định số 1046/QĐ-TTg ngày 06/9/2022 về quản lý biên chế của hệ thống chính trị giai đoạn 2022-2026",
        "Nghị quyết số 12-NQ/TU ngày 26/5/2022 về đẩy mạnh cải cách hành chính giai đoạn 2022-2025, định hướng đến năm 2030",
        "Quy hoạch tỉnh thời kỳ 2021 - 2030, tầm nhìn đến năm 2050",
        "Đề án sắp xếp hệ thống trường mầm non trên địa bàn huyện đến năm 2030 và những năm tiếp theo",
        "",
    ] {
        assert_eq!(find_deadline_in_prose(text, doc()), None, "{text}");
    }
}

#[test]
fn snapshot_of_every_phrasing() {
    let all: Vec<Deadline> = GOLD
        .iter()
        .chain(LAO_CAI)
        .chain(PHRASES)
        .map(|(t, _)| parse_deadline(t, doc()).deadline)
        .collect();
    insta::assert_json_snapshot!("deadline_phrasings", all);
}

/// Pieces real deadline cells are made of; random sequences of them reach the joins.
const VOCAB: &[&str] = &[
    "quý",
    "III",
    "IV",
    "/",
    "2025",
    "2026",
    "-",
    "đến",
    "từ",
    "tháng",
    "10",
    "12",
    "năm",
    "ngày",
    "15",
    "31",
    "02",
    "trước",
    "cuối",
    "hằng",
    "định kỳ",
    "6",
    "đầu",
    "thường xuyên",
    "sau khi",
    "có",
    "theo",
    "(",
    ")",
    ",",
    ";",
    "và",
    "các năm tiếp theo",
    "trong",
    "quá trình",
    "9999",
    "0",
    "Q",
    "hết",
    "giai đoạn",
    "trở đi",
    "kể từ",
    "vòng",
    "30",
];

fn vocab_text() -> impl Strategy<Value = String> {
    proptest::collection::vec(proptest::sample::select(VOCAB), 0..12).prop_map(|w| w.join(" "))
}

proptest! {
    #[test]
    fn never_panics_on_arbitrary_text(s in "\\PC{0,80}") {
        let p = parse_deadline(&s, doc());
        let _ = find_deadline_in_prose(&s, doc());
        let _ = parse_deadline(&s, None);
        if let (Some(start), Some(due)) = (p.deadline.start, p.deadline.due) {
            prop_assert!(start <= due);
        }
    }

    #[test]
    fn due_is_never_before_start(s in vocab_text()) {
        for doc_date in [doc(), None] {
            let p = parse_deadline(&s, doc_date);
            if let (Some(start), Some(due)) = (p.deadline.start, p.deadline.due) {
                prop_assert!(start <= due, "{s:?}: {:?}", p.deadline);
            }
            if p.deadline.kind == K::By {
                prop_assert!(p.deadline.due.is_some() && p.deadline.precision.is_some(), "{s:?}");
            }
            let _ = find_deadline_in_prose(&s, doc_date);
        }
    }

    #[test]
    fn written_days_parse_back(y in 1950i32..=2150, m in 1u32..=12, day in 1u32..=31) {
        prop_assume!(calendar::is_valid_date(y, m, day));
        let date = NaiveDate::from_ymd_opt(y, m, day).expect("valid");
        for text in [format!("{day}/{m}/{y}"), format!("ngày {day} tháng {m} năm {y}"), format!("{day:02}/{m:02}/{y}"), format!("trước ngày {day}/{m}/{y}")] {
            let p = parse_deadline(&text, doc());
            prop_assert_eq!(p.deadline.kind, K::By, "{}", text);
            prop_assert_eq!(p.deadline.due, Some(date), "{}", text);
            prop_assert_eq!(p.deadline.precision, Some(Pr::Day), "{}", text);
        }
    }

    #[test]
    fn written_quarters_and_months_end_their_period(y in 1950i32..=2150, q in 1u32..=4, m in 1u32..=12) {
        let roman = calendar::u32_to_roman(q).expect("roman");
        for text in [format!("Quý {roman}/{y}"), format!("quý {q} năm {y}"), format!("Q{q}/{y}")] {
            let p = parse_deadline(&text, doc());
            prop_assert_eq!(p.deadline.due, calendar::end_of_quarter(y, q), "{}", text);
            prop_assert_eq!(p.deadline.precision, Some(Pr::Quarter));
        }
        let p = parse_deadline(&format!("tháng {m}/{y}"), doc());
        prop_assert_eq!(p.deadline.due, calendar::end_of_month(y, m));
        prop_assert_eq!(p.deadline.precision, Some(Pr::Month));
    }
}
