//! Vietnam local dates: Asia/Ho_Chi_Minh is UTC+7 all year (no daylight saving).

use chrono::{DateTime, Duration, FixedOffset, NaiveDate, NaiveTime, Offset, TimeZone, Utc};

/// Seconds east of UTC for Vietnam.
const VN_OFFSET_SECS: i32 = 7 * 3600;

/// The Vietnam time zone as a fixed offset.
pub fn vn_offset() -> FixedOffset {
    // 7 hours is always within chrono's ±24 h range, so the fallback never triggers.
    FixedOffset::east_opt(VN_OFFSET_SECS).unwrap_or_else(|| Utc.fix())
}

/// The calendar day in Vietnam at instant `at`.
pub fn local_date(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&vn_offset()).date_naive()
}

/// The first instant (UTC) of the Vietnam calendar day `date`.
pub fn start_of_local_day(date: NaiveDate) -> DateTime<Utc> {
    let naive = date.and_time(NaiveTime::MIN) - Duration::seconds(i64::from(VN_OFFSET_SECS));
    Utc.from_utc_datetime(&naive)
}

/// The first instant (UTC) after the Vietnam calendar day `date`: facts strictly before it are
/// "known on `date`".
pub fn end_of_local_day(date: NaiveDate) -> DateTime<Utc> {
    start_of_local_day(date) + Duration::days(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_date_crosses_midnight_at_17_utc() {
        let d = NaiveDate::from_ymd_opt(2025, 6, 30).unwrap();
        let before = Utc.with_ymd_and_hms(2025, 6, 30, 16, 59, 59).unwrap();
        let after = Utc.with_ymd_and_hms(2025, 6, 30, 17, 0, 0).unwrap();
        assert_eq!(local_date(before), d);
        assert_eq!(local_date(after), d.succ_opt().unwrap());
        assert_eq!(end_of_local_day(d), after);
        assert_eq!(local_date(start_of_local_day(d)), d);
    }
}
