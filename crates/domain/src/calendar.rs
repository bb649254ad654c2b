//! Pure calendar arithmetic for deadlines: period ends (month, quarter, half-year, year),
//! quarter numerals, day offsets and validity checks. Every function returns `None` instead of
//! panicking when the input does not name a real date, so parsers can turn that into a warning.

use chrono::{Datelike, Days, NaiveDate};

use crate::deadline::Precision;

/// Earliest year a plan's date may plausibly name (older years are treated as noise).
pub const MIN_YEAR: i32 = 1900;
/// Latest year a plan's date may plausibly name.
pub const MAX_YEAR: i32 = 2199;

/// True when the year is in the range plans plausibly use.
pub fn is_plausible_year(year: i32) -> bool {
    (MIN_YEAR..=MAX_YEAR).contains(&year)
}

/// The date, when (year, month, day) names a real day.
pub fn date(year: i32, month: u32, day: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year, month, day)
}

/// True when (year, month, day) names a real day (31/02 and 29/02 of common years do not).
pub fn is_valid_date(year: i32, month: u32, day: u32) -> bool {
    date(year, month, day).is_some()
}

/// Number of days in the month, `None` for a month outside 1..=12.
pub fn days_in_month(year: i32, month: u32) -> Option<u32> {
    end_of_month(year, month).map(|d| d.day())
}

/// First day of the month.
pub fn start_of_month(year: i32, month: u32) -> Option<NaiveDate> {
    date(year, month, 1)
}

/// Last day of the month.
pub fn end_of_month(year: i32, month: u32) -> Option<NaiveDate> {
    if !(1..=12).contains(&month) {
        return None;
    }
    // The day before the first of the next month avoids a days-per-month table and leap rules.
    let (next_year, next_month) = if month == 12 {
        (year.checked_add(1)?, 1)
    } else {
        (year, month + 1)
    };
    date(next_year, next_month, 1)?.pred_opt()
}

/// First day of quarter `quarter` (1..=4).
pub fn start_of_quarter(year: i32, quarter: u32) -> Option<NaiveDate> {
    if !(1..=4).contains(&quarter) {
        return None;
    }
    start_of_month(year, quarter * 3 - 2)
}

/// Last day of quarter `quarter` (1..=4): the last day of month 3·quarter.
pub fn end_of_quarter(year: i32, quarter: u32) -> Option<NaiveDate> {
    if !(1..=4).contains(&quarter) {
        return None;
    }
    end_of_month(year, quarter * 3)
}

/// First day of half-year `half` (1 = January–June, 2 = July–December).
pub fn start_of_half_year(year: i32, half: u32) -> Option<NaiveDate> {
    match half {
        1 => start_of_month(year, 1),
        2 => start_of_month(year, 7),
        _ => None,
    }
}

/// Last day of half-year `half` (1 → 30 June, 2 → 31 December).
pub fn end_of_half_year(year: i32, half: u32) -> Option<NaiveDate> {
    match half {
        1 => end_of_month(year, 6),
        2 => end_of_month(year, 12),
        _ => None,
    }
}

/// First day of the year.
pub fn start_of_year(year: i32) -> Option<NaiveDate> {
    date(year, 1, 1)
}

/// Last day of the year.
pub fn end_of_year(year: i32) -> Option<NaiveDate> {
    date(year, 12, 31)
}

/// Quarter (1..=4) that contains the date.
pub fn quarter_of(day: NaiveDate) -> u32 {
    (day.month() - 1) / 3 + 1
}

/// Half-year (1 or 2) that contains the date.
pub fn half_year_of(day: NaiveDate) -> u32 {
    if day.month() <= 6 {
        1
    } else {
        2
    }
}

/// First and last day of the period of the given precision that contains `day`.
pub fn period_bounds(precision: Precision, day: NaiveDate) -> Option<(NaiveDate, NaiveDate)> {
    let y = day.year();
    match precision {
        Precision::Day => Some((day, day)),
        Precision::Month => Some((
            start_of_month(y, day.month())?,
            end_of_month(y, day.month())?,
        )),
        Precision::Quarter => {
            let q = quarter_of(day);
            Some((start_of_quarter(y, q)?, end_of_quarter(y, q)?))
        }
        Precision::HalfYear => {
            let h = half_year_of(day);
            Some((start_of_half_year(y, h)?, end_of_half_year(y, h)?))
        }
        Precision::Year => Some((start_of_year(y)?, end_of_year(y)?)),
    }
}

/// Value of a Roman numeral written with I, V, X (any case), up to 39; `None` if malformed.
pub fn roman_to_u32(s: &str) -> Option<u32> {
    let s = s.trim();
    if s.is_empty() || s.len() > 8 {
        return None;
    }
    let value = |c: char| match c.to_ascii_uppercase() {
        'I' => Some(1),
        'V' => Some(5),
        'X' => Some(10),
        _ => None,
    };
    let digits: Vec<u32> = s.chars().map(value).collect::<Option<_>>()?;
    let mut total = 0;
    for (i, &d) in digits.iter().enumerate() {
        match digits.get(i + 1) {
            Some(&next) if next > d => total -= d as i64,
            _ => total += d as i64,
        }
    }
    let total = u32::try_from(total).ok()?;
    // Reject non-canonical spellings such as "IIII" or "VV" by writing the value back.
    (total > 0 && u32_to_roman(total)?.eq_ignore_ascii_case(s)).then_some(total)
}

/// Canonical Roman numeral for 1..=39.
pub fn u32_to_roman(n: u32) -> Option<String> {
    if !(1..=39).contains(&n) {
        return None;
    }
    const ONES: [&str; 10] = ["", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX"];
    let mut out = "X".repeat((n / 10) as usize);
    out.push_str(ONES[(n % 10) as usize]);
    Some(out)
}

/// Quarter number from how plans write it: Roman ("III", "iv") or Arabic ("3", "03").
/// `None` when it is not a quarter 1..=4.
pub fn quarter_from_numeral(s: &str) -> Option<u32> {
    let s = s.trim();
    let n = if s.chars().all(|c| c.is_ascii_digit()) && !s.is_empty() && s.len() <= 2 {
        s.parse().ok()?
    } else {
        roman_to_u32(s)?
    };
    (1..=4).contains(&n).then_some(n)
}

/// The date `days` days later (earlier when negative); `None` outside chrono's range.
pub fn add_days(day: NaiveDate, days: i64) -> Option<NaiveDate> {
    if days >= 0 {
        day.checked_add_days(Days::new(days.unsigned_abs()))
    } else {
        day.checked_sub_days(Days::new(days.unsigned_abs()))
    }
}

/// The same day `months` months later, clamped to the end of a shorter month (31/1 + 1 → 28/2).
pub fn add_months(day: NaiveDate, months: i32) -> Option<NaiveDate> {
    let index = day
        .year()
        .checked_mul(12)?
        .checked_add(day.month0() as i32)?
        .checked_add(months)?;
    let year = index.div_euclid(12);
    let month = index.rem_euclid(12) as u32 + 1;
    let last = days_in_month(year, month)?;
    date(year, month, day.day().min(last))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid test date")
    }

    #[test]
    fn quarter_and_half_ends() {
        assert_eq!(end_of_quarter(2025, 3), Some(d(2025, 9, 30)));
        assert_eq!(end_of_quarter(2025, 1), Some(d(2025, 3, 31)));
        assert_eq!(end_of_quarter(2026, 2), Some(d(2026, 6, 30)));
        assert_eq!(end_of_quarter(2025, 5), None);
        assert_eq!(end_of_quarter(2025, 0), None);
        assert_eq!(end_of_half_year(2026, 1), Some(d(2026, 6, 30)));
        assert_eq!(end_of_half_year(2026, 2), Some(d(2026, 12, 31)));
        assert_eq!(end_of_half_year(2026, 3), None);
        assert_eq!(end_of_year(2030), Some(d(2030, 12, 31)));
    }

    #[test]
    fn month_ends_follow_leap_years() {
        assert_eq!(end_of_month(2024, 2), Some(d(2024, 2, 29)));
        assert_eq!(end_of_month(2025, 2), Some(d(2025, 2, 28)));
        assert_eq!(end_of_month(1900, 2), Some(d(1900, 2, 28)));
        assert_eq!(end_of_month(2000, 2), Some(d(2000, 2, 29)));
        assert_eq!(end_of_month(2025, 13), None);
        assert_eq!(end_of_month(2025, 0), None);
        assert!(!is_valid_date(2025, 2, 31));
        assert!(!is_valid_date(2025, 1, 32));
        assert!(is_valid_date(2028, 2, 29));
    }

    #[test]
    fn quarter_numerals() {
        for (s, q) in [
            ("I", 1),
            ("ii", 2),
            ("III", 3),
            ("IV", 4),
            ("3", 3),
            ("03", 3),
            (" iv ", 4),
        ] {
            assert_eq!(quarter_from_numeral(s), Some(q), "{s}");
        }
        for s in ["V", "IIII", "0", "5", "", "VX", "abc", "123"] {
            assert_eq!(quarter_from_numeral(s), None, "{s}");
        }
        assert_eq!(roman_to_u32("XIII"), Some(13));
        assert_eq!(roman_to_u32("IX"), Some(9));
        assert_eq!(roman_to_u32("IIX"), None);
    }

    #[test]
    fn adding_months_clamps() {
        assert_eq!(add_months(d(2025, 1, 31), 1), Some(d(2025, 2, 28)));
        assert_eq!(add_months(d(2025, 11, 15), 3), Some(d(2026, 2, 15)));
        assert_eq!(add_months(d(2025, 3, 15), -3), Some(d(2024, 12, 15)));
        assert_eq!(add_days(d(2025, 12, 31), 1), Some(d(2026, 1, 1)));
        assert_eq!(add_days(d(2025, 3, 1), -1), Some(d(2025, 2, 28)));
    }

    fn any_date() -> impl Strategy<Value = NaiveDate> {
        (MIN_YEAR..=MAX_YEAR, 1u32..=12, 1u32..=31)
            .prop_filter_map("real day", |(y, m, day)| NaiveDate::from_ymd_opt(y, m, day))
    }

    proptest! {
        #[test]
        fn end_of_quarter_is_last_day_of_month_3q(y in MIN_YEAR..=MAX_YEAR, q in 1u32..=4) {
            let end = end_of_quarter(y, q).expect("quarter end");
            prop_assert_eq!(end.month(), 3 * q);
            prop_assert_eq!(end.year(), y);
            prop_assert_eq!(add_days(end, 1).expect("next day").day(), 1);
            prop_assert_eq!(start_of_quarter(y, q).expect("start").month(), 3 * q - 2);
        }

        #[test]
        fn month_end_plus_one_day_is_the_first(y in MIN_YEAR..=MAX_YEAR, m in 1u32..=12) {
            let end = end_of_month(y, m).expect("month end");
            let next = add_days(end, 1).expect("next day");
            prop_assert_eq!(next.day(), 1);
            prop_assert_eq!(next.month(), if m == 12 { 1 } else { m + 1 });
            prop_assert_eq!(days_in_month(y, m), Some(end.day()));
        }

        #[test]
        fn quarter_of_a_date_contains_it(day in any_date()) {
            let q = quarter_of(day);
            prop_assert!(start_of_quarter(day.year(), q).expect("start") <= day);
            prop_assert!(day <= end_of_quarter(day.year(), q).expect("end"));
            let h = half_year_of(day);
            prop_assert!(start_of_half_year(day.year(), h).expect("start") <= day);
            prop_assert!(day <= end_of_half_year(day.year(), h).expect("end"));
        }

        #[test]
        fn period_bounds_contain_the_date(day in any_date(), p in 0usize..5) {
            let precision = [Precision::Day, Precision::Month, Precision::Quarter, Precision::HalfYear, Precision::Year][p];
            let (start, end) = period_bounds(precision, day).expect("bounds");
            prop_assert!(start <= day && day <= end);
        }

        #[test]
        fn add_days_round_trips(day in any_date(), n in -5000i64..5000) {
            let there = add_days(day, n).expect("in range");
            prop_assert_eq!(add_days(there, -n), Some(day));
            prop_assert_eq!((there - day).num_days(), n);
        }

        #[test]
        fn roman_numerals_round_trip(n in 1u32..=39) {
            let r = u32_to_roman(n).expect("roman");
            prop_assert_eq!(roman_to_u32(&r), Some(n));
            prop_assert_eq!(roman_to_u32(&r.to_lowercase()), Some(n));
        }

        #[test]
        fn validity_matches_construction(y in MIN_YEAR..=MAX_YEAR, m in 0u32..=14, day in 0u32..=33) {
            let valid = is_valid_date(y, m, day);
            let expected = (1..=12).contains(&m) && day >= 1 && days_in_month(y, m).is_some_and(|n| day <= n);
            prop_assert_eq!(valid, expected);
        }
    }
}
