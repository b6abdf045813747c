//! The French legal calendar: public holidays, working days, and deadlines
//! computed as the Code de procédure civile computes them (CPC 641–642).
//!
//! Two families of functions:
//! - `*_deadline` functions apply CPC 642 al. 2: a procedural deadline that
//!   would end on a Saturday, a Sunday or a public holiday is extended to the
//!   next working day (formal-notice expiry, 6 months to serve an order,
//!   1 month to oppose...).
//! - [`add_days`] and [`add_months`] are raw: no extension. Prescription uses
//!   them, because C. civ. 2229 says prescription is acquired when the last day
//!   is accomplished and the Cour de cassation refuses to extend it to the next
//!   working day (Cass. 2e civ., 7 Apr. 2016, n° 15-12.960): see
//!   `deadlines::prescription_end`.

use chrono::{Datelike, Days, Months, NaiveDate, Weekday};

/// A date computation left the range `chrono` can represent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the date is out of the supported range")]
pub struct DateOutOfRange;

/// The first date Recouvra accepts in an invoice, a payment or any date typed
/// *(convention)*: older claims are long prescribed (C. com. L110-4, C. civ. 2224: five years).
pub const FIRST_DATE: NaiveDate = match NaiveDate::from_ymd_opt(1990, 1, 1) {
    Some(d) => d,
    None => NaiveDate::MIN,
};
/// The last date accepted *(convention)*: beyond the half-years any rate table will hold,
/// and far enough that every deadline computed from it stays a real date.
pub const LAST_DATE: NaiveDate = match NaiveDate::from_ymd_opt(2100, 12, 31) {
    Some(d) => d,
    None => NaiveDate::MAX,
};

/// `d` when it lies between [`FIRST_DATE`] and [`LAST_DATE`]; else the refusal naming both.
/// Dates are bounded where they are typed: a year 0000 or 262142 would otherwise be stored,
/// then fail every statement and scheduler run (no rate, date arithmetic out of range).
pub fn supported_date(d: NaiveDate) -> Result<NaiveDate, super::Invalid> {
    if (FIRST_DATE..=LAST_DATE).contains(&d) {
        Ok(d)
    } else {
        Err(super::Invalid::new(
            "a date between 1990-01-01 and 2100-12-31",
        ))
    }
}

/// Easter Sunday of `year` (Gregorian calendar), by the anonymous Gregorian
/// algorithm (Meeus/Jones/Butcher). `None` only outside chrono's year range.
pub fn easter_sunday(year: i32) -> Option<NaiveDate> {
    let a = year.rem_euclid(19);
    let b = year.div_euclid(100);
    let c = year.rem_euclid(100);
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    // month is 3 or 4 and day in 1..=31 by construction of the algorithm.
    NaiveDate::from_ymd_opt(year, month as u32, day as u32)
}

/// Fixed-date public holidays (C. trav. L3133-1): 1 Jan, 1 May, 8 May,
/// 14 July, 15 Aug, 1 Nov, 11 Nov, 25 Dec, as (month, day).
const FIXED_HOLIDAYS: [(u32, u32); 8] = [
    (1, 1),
    (5, 1),
    (5, 8),
    (7, 14),
    (8, 15),
    (11, 1),
    (11, 11),
    (12, 25),
];

/// Movable public holidays as days after Easter Sunday (C. trav. L3133-1):
/// Easter Monday (+1), Ascension Thursday (+39), Whit Monday (+50).
const EASTER_OFFSETS: [u64; 3] = [1, 39, 50];

/// The eleven French public holidays of `year` (metropolitan rules; the
/// Alsace-Moselle additions are not included yet), in date order.
pub fn public_holidays(year: i32) -> Vec<NaiveDate> {
    let mut days: Vec<NaiveDate> = FIXED_HOLIDAYS
        .iter()
        .filter_map(|&(m, d)| NaiveDate::from_ymd_opt(year, m, d))
        .collect();
    if let Some(easter) = easter_sunday(year) {
        days.extend(
            EASTER_OFFSETS
                .iter()
                .filter_map(|&o| easter.checked_add_days(Days::new(o))),
        );
    }
    days.sort_unstable();
    days
}

/// Whether `date` is a French public holiday.
pub fn is_public_holiday(date: NaiveDate) -> bool {
    if FIXED_HOLIDAYS.contains(&(date.month(), date.day())) {
        return true;
    }
    match easter_sunday(date.year()) {
        Some(easter) => {
            let offset = date.signed_duration_since(easter).num_days();
            EASTER_OFFSETS.iter().any(|&o| offset == o as i64)
        }
        None => false,
    }
}

/// Whether `date` is a working day: not a Saturday, not a Sunday, not a
/// public holiday (the days CPC 642 al. 2 skips).
pub fn is_working_day(date: NaiveDate) -> bool {
    !matches!(date.weekday(), Weekday::Sat | Weekday::Sun) && !is_public_holiday(date)
}

/// `date` itself if it is a working day, else the next working day
/// (CPC 642 al. 2: "prorogé jusqu'au premier jour ouvrable suivant").
pub fn extend_to_working_day(date: NaiveDate) -> Result<NaiveDate, DateOutOfRange> {
    let mut d = date;
    // At most a weekend plus a holiday in a row (e.g. Sat, Sun, Whit Monday),
    // so this loop runs a handful of times.
    while !is_working_day(d) {
        d = d.succ_opt().ok_or(DateOutOfRange)?;
    }
    Ok(d)
}

/// Raw addition of days, no extension.
pub fn add_days(start: NaiveDate, days: u32) -> Result<NaiveDate, DateOutOfRange> {
    start
        .checked_add_days(Days::new(u64::from(days)))
        .ok_or(DateOutOfRange)
}

/// Rules of contact *(convention)*: the day a call task falls due, never a Sunday or a public
/// holiday, nor a Saturday unless `saturday` — the first such day from `from` (repeated
/// solicitations at such times are among the aggressive practices the DGCCRF finds in the
/// trade). Tasks carry a day; the hours to call are in their title
/// (`playbook::ContactRules::call_title`), never at night.
pub fn call_day(from: NaiveDate, saturday: bool) -> Result<NaiveDate, DateOutOfRange> {
    let mut d = from;
    while d.weekday() == Weekday::Sun
        || (!saturday && d.weekday() == Weekday::Sat)
        || is_public_holiday(d)
    {
        d = d.succ_opt().ok_or(DateOutOfRange)?;
    }
    Ok(d)
}

/// Raw addition of months, no extension: the same day number `months` later,
/// or the last day of that month when it has no such day
/// (31 Jan + 1 month = 28 or 29 Feb).
pub fn add_months(start: NaiveDate, months: u32) -> Result<NaiveDate, DateOutOfRange> {
    start
        .checked_add_months(Months::new(months))
        .ok_or(DateOutOfRange)
}

/// Last day of a deadline of `days` days that starts running on `start`
/// (the day of the act, event or notification).
///
/// CPC 641 al. 1: the day of the act does not count, so the deadline ends on
/// `start + days`; CPC 642 al. 2: extended to the next working day if that
/// day is a Saturday, Sunday or public holiday.
pub fn add_days_deadline(start: NaiveDate, days: u32) -> Result<NaiveDate, DateOutOfRange> {
    extend_to_working_day(add_days(start, days)?)
}

/// Last day of a deadline of `months` months that starts running on `start`.
///
/// CPC 641 al. 2: it ends on the day of the last month bearing the same day
/// number as `start`, or the last day of that month if it has none;
/// CPC 642 al. 2: extended to the next working day if that day is a Saturday,
/// Sunday or public holiday.
pub fn add_months_deadline(start: NaiveDate, months: u32) -> Result<NaiveDate, DateOutOfRange> {
    extend_to_working_day(add_months(start, months)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_call_is_never_due_on_a_sunday_or_a_public_holiday() {
        // Pentecost Sunday 24 May 2026, then Whit Monday: Tuesday 26 May.
        assert_eq!(call_day(ymd(2026, 5, 24), true), Ok(ymd(2026, 5, 26)));
        // A Saturday is a day agents may call unless the agency says not; 14 July is not.
        assert_eq!(call_day(ymd(2026, 5, 23), true), Ok(ymd(2026, 5, 23)));
        assert_eq!(call_day(ymd(2026, 5, 23), false), Ok(ymd(2026, 5, 26)));
        assert_eq!(call_day(ymd(2026, 7, 14), true), Ok(ymd(2026, 7, 15)));
        // Saturday 4 April 2026, Saturdays off: Easter Sunday, then Easter Monday 6 April.
        assert_eq!(call_day(ymd(2026, 4, 4), false), Ok(ymd(2026, 4, 7)));
    }

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn dates_from_1990_to_2100_are_supported_and_others_refused_naming_both_bounds() {
        assert_eq!(supported_date(ymd(1990, 1, 1)), Ok(ymd(1990, 1, 1)));
        assert_eq!(supported_date(ymd(2100, 12, 31)), Ok(ymd(2100, 12, 31)));
        for d in [
            ymd(1989, 12, 31),
            ymd(2101, 1, 1),
            ymd(0, 1, 1),
            ymd(262142, 1, 1),
        ] {
            let e = supported_date(d).unwrap_err();
            assert_eq!(e.0, "a date between 1990-01-01 and 2100-12-31", "{d}");
        }
    }

    #[test]
    fn easter_sundays_are_known_dates() {
        assert_eq!(easter_sunday(2024), Some(ymd(2024, 3, 31)));
        assert_eq!(easter_sunday(2025), Some(ymd(2025, 4, 20)));
        assert_eq!(easter_sunday(2026), Some(ymd(2026, 4, 5)));
        // Extremes of the Easter range (22 March, 25 April).
        assert_eq!(easter_sunday(2285), Some(ymd(2285, 3, 22)));
        assert_eq!(easter_sunday(2038), Some(ymd(2038, 4, 25)));
        assert_eq!(easter_sunday(2000), Some(ymd(2000, 4, 23)));
        assert_eq!(easter_sunday(2019), Some(ymd(2019, 4, 21)));
    }

    #[test]
    fn easter_is_always_a_sunday_in_march_or_april() {
        for y in 1583..=3000 {
            let e = easter_sunday(y).unwrap();
            assert_eq!(e.weekday(), Weekday::Sun, "{y}");
            assert!(e >= ymd(y, 3, 22) && e <= ymd(y, 4, 25), "{y}");
        }
    }

    #[test]
    fn the_eleven_holidays_of_2025() {
        let expected = vec![
            ymd(2025, 1, 1),
            ymd(2025, 4, 21), // Easter Monday
            ymd(2025, 5, 1),
            ymd(2025, 5, 8),
            ymd(2025, 5, 29), // Ascension Thursday
            ymd(2025, 6, 9),  // Whit Monday
            ymd(2025, 7, 14),
            ymd(2025, 8, 15),
            ymd(2025, 11, 1),
            ymd(2025, 11, 11),
            ymd(2025, 12, 25),
        ];
        assert_eq!(public_holidays(2025), expected);
        for d in &expected {
            assert!(is_public_holiday(*d), "{d}");
        }
        assert!(!is_public_holiday(ymd(2025, 4, 20))); // Easter Sunday is a Sunday, not a listed holiday
        assert!(!is_public_holiday(ymd(2025, 12, 26))); // Alsace-Moselle only
        assert!(!is_public_holiday(ymd(2025, 4, 18))); // Good Friday: Alsace-Moselle only
    }

    #[test]
    fn ascension_is_a_thursday_and_whit_monday_a_monday() {
        for y in 2000..=2100 {
            let h = public_holidays(y);
            assert_eq!(h.len(), 11, "{y}");
            let e = easter_sunday(y).unwrap();
            assert_eq!((e + Days::new(39)).weekday(), Weekday::Thu);
            assert_eq!((e + Days::new(50)).weekday(), Weekday::Mon);
        }
    }

    #[test]
    fn working_days() {
        assert!(is_working_day(ymd(2025, 6, 10))); // Tuesday
        assert!(!is_working_day(ymd(2025, 6, 14))); // Saturday
        assert!(!is_working_day(ymd(2025, 6, 15))); // Sunday
        assert!(!is_working_day(ymd(2025, 7, 14))); // Monday, national day
    }

    #[test]
    fn day_deadline_does_not_count_the_starting_day() {
        // CPC 641: notice received Tuesday 3 June 2025 + 8 days = Wednesday 11 June.
        assert_eq!(
            add_days_deadline(ymd(2025, 6, 3), 8).unwrap(),
            ymd(2025, 6, 11)
        );
    }

    #[test]
    fn deadline_on_easter_monday_moves_to_tuesday() {
        // 2026: Easter Sunday 5 April. 6 April 2026 (Easter Monday) is reached from
        // Saturday 28 March + 9 days; the raw end is Easter Monday → Tuesday 7 April.
        assert_eq!(add_days(ymd(2026, 3, 28), 9).unwrap(), ymd(2026, 4, 6));
        assert_eq!(
            add_days_deadline(ymd(2026, 3, 28), 9).unwrap(),
            ymd(2026, 4, 7)
        );
        // Friday 3 April + 1 day = Saturday 4, then Sunday 5, Easter Monday 6 → Tuesday 7.
        assert_eq!(
            add_days_deadline(ymd(2026, 4, 3), 1).unwrap(),
            ymd(2026, 4, 7)
        );
    }

    #[test]
    fn deadline_on_whit_weekend_moves_past_whit_monday() {
        // 2025: Whit Monday 9 June. A month from 7 May 2025 ends Saturday 7 June,
        // Sunday 8 June, Whit Monday 9 June → Tuesday 10 June.
        assert_eq!(add_months(ymd(2025, 5, 7), 1).unwrap(), ymd(2025, 6, 7));
        assert_eq!(
            add_months_deadline(ymd(2025, 5, 7), 1).unwrap(),
            ymd(2025, 6, 10)
        );
    }

    #[test]
    fn month_deadline_uses_the_last_day_of_a_shorter_month() {
        // CPC 641 al. 2: 31 Jan + 1 month → 28 Feb (2025: Friday, working day).
        assert_eq!(
            add_months_deadline(ymd(2025, 1, 31), 1).unwrap(),
            ymd(2025, 2, 28)
        );
        // Leap year: 31 Jan 2024 + 1 month → Thursday 29 Feb 2024.
        assert_eq!(
            add_months_deadline(ymd(2024, 1, 31), 1).unwrap(),
            ymd(2024, 2, 29)
        );
        // 2026: 28 Feb is a Saturday → Monday 2 March.
        assert_eq!(add_months(ymd(2026, 1, 31), 1).unwrap(), ymd(2026, 2, 28));
        assert_eq!(
            add_months_deadline(ymd(2026, 1, 31), 1).unwrap(),
            ymd(2026, 3, 2)
        );
        // 2032 is leap and 29 Feb 2032 is a Sunday → Monday 1 March.
        assert_eq!(
            add_months_deadline(ymd(2032, 1, 31), 1).unwrap(),
            ymd(2032, 3, 1)
        );
        // 31 Mar + 6 months → 30 Sep.
        assert_eq!(add_months(ymd(2025, 3, 31), 6).unwrap(), ymd(2025, 9, 30));
    }

    #[test]
    fn deadline_on_the_national_day_moves_to_the_next_day() {
        // 14 June 2027 + 1 month = Wednesday 14 July 2027 → Thursday 15 July.
        assert_eq!(
            add_months_deadline(ymd(2027, 6, 14), 1).unwrap(),
            ymd(2027, 7, 15)
        );
    }

    #[test]
    fn deadline_crossing_the_year_end() {
        // 1 Dec 2022 + 30 days = Saturday 31 Dec 2022; Sunday 1 Jan 2023 is also
        // New Year's Day → Monday 2 Jan 2023.
        assert_eq!(
            add_days_deadline(ymd(2022, 12, 1), 30).unwrap(),
            ymd(2023, 1, 2)
        );
        // 25 Nov 2025 + 1 month = Thursday 25 Dec 2025 → Friday 26 Dec 2025.
        assert_eq!(
            add_months_deadline(ymd(2025, 11, 25), 1).unwrap(),
            ymd(2025, 12, 26)
        );
        // 31 Oct 2025 + 2 months = Wednesday 31 Dec 2025, a working day: not moved.
        assert_eq!(
            add_months_deadline(ymd(2025, 10, 31), 2).unwrap(),
            ymd(2025, 12, 31)
        );
    }

    #[test]
    fn working_day_is_not_moved() {
        assert_eq!(
            extend_to_working_day(ymd(2025, 6, 10)).unwrap(),
            ymd(2025, 6, 10)
        );
    }

    #[test]
    fn out_of_range_is_an_error_not_a_panic() {
        assert_eq!(add_days(NaiveDate::MAX, 1), Err(DateOutOfRange));
        assert_eq!(add_months(NaiveDate::MAX, 1), Err(DateOutOfRange));
    }
}
