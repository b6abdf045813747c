//! Named legal deadlines of a collection case, built on [`super::calendar`].
//!
//! Procedural deadlines (formal-notice expiry, serving an order, opposing it)
//! follow CPC 641–642 and are extended past weekends and public holidays.
//! Prescription and the life of an enforceable title are not procedural
//! deadlines: they end on the raw date, never extended (C. civ. 2229;
//! Cass. 2e civ., 7 Apr. 2016, n° 15-12.960).

use chrono::{Days, NaiveDate};

use super::calendar::{add_days_deadline, add_months, add_months_deadline, DateOutOfRange};

/// Days before the end of prescription when a case is flagged
/// *(convention, LEGAL.md §4: warn 90 days before)*.
pub const PRESCRIPTION_WARNING_DAYS: u64 = 90;
/// Bounds of the payment deadline given in a formal notice, in days
/// *(convention, LEGAL.md §2: default 8, configurable 8–30)*.
pub const FORMAL_NOTICE_DAYS: std::ops::RangeInclusive<u32> = 8..=30;

/// Why a deadline could not be computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum DeadlineError {
    /// The date left the supported range.
    #[error(transparent)]
    OutOfRange(#[from] DateOutOfRange),
    /// The formal notice's deadline is outside 8–30 days.
    #[error("the formal notice deadline must be between 8 and 30 days")]
    NoticeDaysOutOfBounds,
}

/// The prescription regime of a claim, which sets its length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrescriptionRegime {
    /// Between traders, or trader and non-trader: 5 years (C. com. L110-4).
    Commercial,
    /// Civil claims: 5 years (C. civ. 2224).
    Civil,
    /// A professional against a consumer, for goods or services: 2 years
    /// (C. conso. L218-2).
    Consumer,
}

impl PrescriptionRegime {
    /// Length of the period in years.
    pub fn years(self) -> u32 {
        match self {
            // C. com. L110-4 / C. civ. 2224: five years.
            PrescriptionRegime::Commercial | PrescriptionRegime::Civil => 5,
            // C. conso. L218-2: two years.
            PrescriptionRegime::Consumer => 2,
        }
    }
}

/// Last day on which action is still in time, for a period that starts on
/// `start` (by convention the invoice's due date, which an agent may
/// override; or the day of an interrupting act — acknowledgement (C. civ.
/// 2240), court claim or injunction order served (2241), enforcement measure
/// (2244) — since a new period of the same length then starts, 2231).
///
/// Same day number `years` later (or the month's last day), not extended to
/// a working day: C. civ. 2229, prescription is acquired when that last day
/// is accomplished.
pub fn prescription_end(
    start: NaiveDate,
    regime: PrescriptionRegime,
) -> Result<NaiveDate, DeadlineError> {
    Ok(add_months(start, regime.years() * 12)?)
}

/// Where a claim stands against its prescription on `today`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrescriptionStatus {
    /// More than [`PRESCRIPTION_WARNING_DAYS`] left.
    Running,
    /// Within the warning window; `days_left` counts the days after `today`
    /// up to the last day (0 on the last day itself).
    EndingSoon {
        /// Days left after today.
        days_left: i64,
    },
    /// Prescribed: legal action is blocked.
    Expired,
}

/// Status on `today` of a prescription whose last day is `end`.
pub fn prescription_status(end: NaiveDate, today: NaiveDate) -> PrescriptionStatus {
    let days_left = end.signed_duration_since(today).num_days();
    if days_left < 0 {
        PrescriptionStatus::Expired
    } else if days_left <= PRESCRIPTION_WARNING_DAYS as i64 {
        PrescriptionStatus::EndingSoon { days_left }
    } else {
        PrescriptionStatus::Running
    }
}

/// First day of the warning window of a prescription ending on `end`.
pub fn prescription_warning_from(end: NaiveDate) -> Result<NaiveDate, DeadlineError> {
    end.checked_sub_days(Days::new(PRESCRIPTION_WARNING_DAYS))
        .ok_or(DeadlineError::OutOfRange(DateOutOfRange))
}

/// Last day to pay under a formal notice received on `received`, giving
/// `days` days (8–30, C. civ. 1344 and LEGAL.md §2 convention); CPC 641–642.
pub fn formal_notice_expiry(received: NaiveDate, days: u32) -> Result<NaiveDate, DeadlineError> {
    if !FORMAL_NOTICE_DAYS.contains(&days) {
        return Err(DeadlineError::NoticeDaysOutOfBounds);
    }
    Ok(add_days_deadline(received, days)?)
}

/// Last day to serve an injunction order dated `order_date`: 6 months, after
/// which the order lapses (CPC 1411), extended per CPC 642.
pub fn order_service_deadline(order_date: NaiveDate) -> Result<NaiveDate, DeadlineError> {
    // CPC 1411: the order lapses if not served within 6 months of its date.
    Ok(add_months_deadline(order_date, 6)?)
}

/// Last day for the debtor to oppose an order served on `served`: 1 month
/// (CPC 1416), extended per CPC 642. When service was not made to the debtor
/// in person, pass the date of the first act served in person (or of the
/// first enforcement measure making the assets unavailable).
pub fn opposition_deadline(served: NaiveDate) -> Result<NaiveDate, DeadlineError> {
    // CPC 1416: one month from service.
    Ok(add_months_deadline(served, 1)?)
}

/// Last day an enforceable title obtained on `title_date` can be enforced:
/// 10 years (CPCE L111-4), a prescription-like period, not extended.
pub fn enforcement_end(title_date: NaiveDate) -> Result<NaiveDate, DeadlineError> {
    // CPCE L111-4: ten years.
    Ok(add_months(title_date, 120)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn prescription_lengths_follow_the_codes() {
        assert_eq!(PrescriptionRegime::Commercial.years(), 5);
        assert_eq!(PrescriptionRegime::Civil.years(), 5);
        assert_eq!(PrescriptionRegime::Consumer.years(), 2);
    }

    #[test]
    fn prescription_ends_on_the_raw_date_even_on_a_weekend() {
        // Due Saturday 15 May 2021 → 5 years later Friday 15 May 2026.
        let end = prescription_end(ymd(2021, 5, 15), PrescriptionRegime::Commercial).unwrap();
        assert_eq!(end, ymd(2026, 5, 15));
        // Due 14 July 2024 → 2 years later Tuesday 14 July 2026, a public holiday: not moved.
        let end = prescription_end(ymd(2024, 7, 14), PrescriptionRegime::Consumer).unwrap();
        assert_eq!(end, ymd(2026, 7, 14));
        // Due 29 Feb 2024 → 28 Feb 2029 (no 29th), a Wednesday.
        let end = prescription_end(ymd(2024, 2, 29), PrescriptionRegime::Civil).unwrap();
        assert_eq!(end, ymd(2029, 2, 28));
        // Due 3 May 2025 → 2 years later Monday 3 May 2027, raw.
        let end = prescription_end(ymd(2025, 5, 3), PrescriptionRegime::Consumer).unwrap();
        assert_eq!(end, ymd(2027, 5, 3));
        // 2 Nov 2019 + 5 years = Saturday 2 Nov 2024: stays a Saturday.
        let end = prescription_end(ymd(2019, 11, 2), PrescriptionRegime::Commercial).unwrap();
        assert_eq!(end, ymd(2024, 11, 2));
    }

    #[test]
    fn prescription_status_warns_90_days_before_and_blocks_after() {
        let end = ymd(2026, 5, 15);
        assert_eq!(prescription_warning_from(end).unwrap(), ymd(2026, 2, 14));
        assert_eq!(
            prescription_status(end, ymd(2026, 2, 13)),
            PrescriptionStatus::Running
        );
        assert_eq!(
            prescription_status(end, ymd(2026, 2, 14)),
            PrescriptionStatus::EndingSoon { days_left: 90 }
        );
        assert_eq!(
            prescription_status(end, end),
            PrescriptionStatus::EndingSoon { days_left: 0 }
        );
        assert_eq!(
            prescription_status(end, ymd(2026, 5, 16)),
            PrescriptionStatus::Expired
        );
    }

    #[test]
    fn formal_notice_expiry_is_a_day_deadline_within_bounds() {
        // Received Thursday 24 April 2025 + 8 days = Friday 2 May 2025.
        assert_eq!(
            formal_notice_expiry(ymd(2025, 4, 24), 8).unwrap(),
            ymd(2025, 5, 2)
        );
        // Received Wednesday 30 April 2025 + 8 days = Thursday 8 May (holiday) → Friday 9 May.
        assert_eq!(
            formal_notice_expiry(ymd(2025, 4, 30), 8).unwrap(),
            ymd(2025, 5, 9)
        );
        assert_eq!(
            formal_notice_expiry(ymd(2025, 4, 30), 7),
            Err(DeadlineError::NoticeDaysOutOfBounds)
        );
        assert_eq!(
            formal_notice_expiry(ymd(2025, 4, 30), 31),
            Err(DeadlineError::NoticeDaysOutOfBounds)
        );
    }

    #[test]
    fn order_must_be_served_within_six_months_and_opposed_within_one() {
        // Order 14 Jan 2026 + 6 months = Tuesday 14 July 2026 (holiday) → Wednesday 15 July.
        assert_eq!(
            order_service_deadline(ymd(2026, 1, 14)).unwrap(),
            ymd(2026, 7, 15)
        );
        // Served 31 March 2025 + 1 month = Wednesday 30 April 2025 (no 31st).
        assert_eq!(
            opposition_deadline(ymd(2025, 3, 31)).unwrap(),
            ymd(2025, 4, 30)
        );
        // Served 1 April 2025 + 1 month = Thursday 1 May (holiday) → Friday 2 May.
        assert_eq!(
            opposition_deadline(ymd(2025, 4, 1)).unwrap(),
            ymd(2025, 5, 2)
        );
    }

    #[test]
    fn enforceable_title_lasts_ten_years_unextended() {
        // 8 May 2021 + 10 years = Thursday 8 May 2031 (Victory Day): not moved.
        assert_eq!(enforcement_end(ymd(2021, 5, 8)).unwrap(), ymd(2031, 5, 8));
    }
}
