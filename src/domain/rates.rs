//! Interest rate tables by half-year: the ECB main refinancing rate and the
//! two legal rates, and the rules that turn them into the rate of a period.

use std::fmt;

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;

use super::claim_error::ClaimError;

/// A half-year, the unit of every French interest rate: the legal rate is set
/// per semester (C. mon. fin. L313-2) and the B2B default rate takes the ECB
/// rate in force on 1 January or 1 July (C. com. L441-10 II).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Half {
    /// 1 January – 30 June.
    H1,
    /// 1 July – 31 December.
    H2,
}

impl Half {
    /// The half-year `date` falls in.
    pub fn of(date: NaiveDate) -> Half {
        if date.month() <= 6 {
            Half::H1
        } else {
            Half::H2
        }
    }
}

impl fmt::Display for Half {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Half::H1 => "H1",
            Half::H2 => "H2",
        })
    }
}

/// Days before a half-year starts from which its missing rates are announced to the admins
/// *(convention)*.
pub const RATES_WARNING_DAYS: u64 = 15;

/// One half-year of one year, e.g. 2026 H2.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct HalfYear {
    /// Calendar year.
    pub year: i32,
    /// Which half.
    pub half: Half,
}

impl HalfYear {
    /// The half-year `date` falls in.
    pub fn of(date: NaiveDate) -> HalfYear {
        HalfYear {
            year: date.year(),
            half: Half::of(date),
        }
    }

    /// The half-year after this one.
    pub fn next(self) -> HalfYear {
        match self.half {
            Half::H1 => HalfYear {
                year: self.year,
                half: Half::H2,
            },
            Half::H2 => HalfYear {
                year: self.year.saturating_add(1),
                half: Half::H1,
            },
        }
    }

    /// Its first day (1 January or 1 July).
    pub fn first_day(self) -> Option<NaiveDate> {
        let month = if self.half == Half::H1 { 1 } else { 7 };
        NaiveDate::from_ymd_opt(self.year, month, 1)
    }

    /// The label used in metrics and the API: `2026-H2`.
    pub fn label(self) -> String {
        format!("{}-{}", self.year, self.half)
    }

    /// The French words: « 2e semestre 2026 ».
    pub fn french(self) -> String {
        match self.half {
            Half::H1 => format!("1er semestre {}", self.year),
            Half::H2 => format!("2e semestre {}", self.year),
        }
    }
}

/// The rates of one half-year, as percentages (`4.50` means 4.50 %).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RateEntry {
    /// Calendar year.
    pub year: i32,
    /// Which half of the year.
    pub half: Half,
    /// ECB main refinancing rate in force on 1 January (H1) or 1 July (H2).
    pub ecb_rate: Decimal,
    /// Legal rate when the creditor is a natural person not acting for
    /// professional needs (C. mon. fin. L313-2).
    pub legal_rate_private_creditor: Decimal,
    /// Legal rate in all other cases (C. mon. fin. L313-2).
    pub legal_rate_other: Decimal,
}

/// Points added to the ECB rate for the B2B default rate (C. com. L441-10 II).
const B2B_POINTS: Decimal = Decimal::from_parts(10, 0, 0, false, 0);
/// A contractual rate may not be below 3 × the legal rate (C. com. L441-10 II).
const FLOOR_MULTIPLIER: Decimal = Decimal::from_parts(3, 0, 0, false, 0);
/// Sanity bounds for rates typed by an admin, in percent.
const MIN_ECB_RATE: Decimal = Decimal::from_parts(10, 0, 0, true, 0);
const MAX_TABLE_RATE: Decimal = Decimal::ONE_HUNDRED;

/// The table of half-year rates. Lookups for a half-year that is not entered
/// fail with [`ClaimError::MissingRate`]: a rate is never assumed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RateTable {
    /// Sorted by (year, half), no duplicates.
    entries: Vec<RateEntry>,
}

impl RateTable {
    /// Builds a table from entries in any order. Refuses a half-year entered
    /// twice and rates outside sane bounds (ECB rate in -10..=100, legal rates
    /// in 0..=100).
    pub fn new(mut entries: Vec<RateEntry>) -> Result<RateTable, ClaimError> {
        entries.sort_by_key(|e| (e.year, e.half));
        for pair in entries.windows(2) {
            if let [a, b] = pair {
                if (a.year, a.half) == (b.year, b.half) {
                    return Err(ClaimError::DuplicateRate {
                        year: a.year,
                        half: a.half,
                    });
                }
            }
        }
        for e in &entries {
            let legal_ok = |r: Decimal| r >= Decimal::ZERO && r <= MAX_TABLE_RATE;
            if e.ecb_rate < MIN_ECB_RATE
                || e.ecb_rate > MAX_TABLE_RATE
                || !legal_ok(e.legal_rate_private_creditor)
                || !legal_ok(e.legal_rate_other)
            {
                return Err(ClaimError::InvalidRate {
                    year: e.year,
                    half: e.half,
                });
            }
        }
        Ok(RateTable { entries })
    }

    /// The rates of LEGAL.md §3, 2023 H1 to 2026 H1 (ECB rate on 1 Jan /
    /// 1 Jul; legal rates published by arrêté each semester).
    pub fn seeded() -> RateTable {
        let pct = |hundredths: i64| Decimal::new(hundredths, 2);
        let rows: [(i32, Half, i64, i64, i64); 7] = [
            (2023, Half::H1, 250, 447, 206),
            (2023, Half::H2, 400, 682, 422),
            (2024, Half::H1, 450, 801, 507),
            (2024, Half::H2, 425, 816, 492),
            (2025, Half::H1, 315, 721, 371),
            (2025, Half::H2, 215, 665, 276),
            (2026, Half::H1, 215, 667, 262),
        ];
        // Already in (year, half) order, so no sorting is needed.
        let entries = rows
            .iter()
            .map(|&(year, half, ecb, private, other)| RateEntry {
                year,
                half,
                ecb_rate: pct(ecb),
                legal_rate_private_creditor: pct(private),
                legal_rate_other: pct(other),
            })
            .collect();
        RateTable { entries }
    }

    /// All entries, sorted by (year, half).
    pub fn entries(&self) -> &[RateEntry] {
        &self.entries
    }

    /// The last day the table covers: 30 June or 31 December of its latest half-year
    /// (`None` for an empty table). Interest is never computed past it: a later day would
    /// need a rate not yet entered, and a rate is never assumed (LEGAL.md §3).
    pub fn covered_until(&self) -> Option<NaiveDate> {
        let last = self.entries.last()?;
        let (m, d) = match last.half {
            Half::H1 => (6, 30),
            Half::H2 => (12, 31),
        };
        NaiveDate::from_ymd_opt(last.year, m, d)
    }

    /// The half-years that must be entered by now and are not: every half-year after the
    /// table's latest one up to the one that starts within [`RATES_WARNING_DAYS`] of `today`
    /// (the one `today` falls in included). Oldest first; empty when the table is up to date.
    pub fn missing_by(&self, today: NaiveDate) -> Vec<HalfYear> {
        // Convention: warn from 15 days before a half-year starts until its rates are entered
        // (the arrêté fixing the legal rate is published in the last days of the semester).
        let horizon = today
            .checked_add_days(chrono::Days::new(RATES_WARNING_DAYS))
            .unwrap_or(today);
        let until = HalfYear::of(horizon);
        let mut next = match self.entries.last() {
            Some(e) => HalfYear {
                year: e.year,
                half: e.half,
            }
            .next(),
            // An empty table: everything from the current half-year is missing.
            None => HalfYear::of(today),
        };
        let mut missing = Vec::new();
        while next <= until {
            missing.push(next);
            next = next.next();
        }
        missing
    }

    /// The entry of a given half-year.
    pub fn entry(&self, year: i32, half: Half) -> Result<&RateEntry, ClaimError> {
        self.entries
            .binary_search_by_key(&(year, half), |e| (e.year, e.half))
            .ok()
            .and_then(|i| self.entries.get(i))
            .ok_or(ClaimError::MissingRate { year, half })
    }

    /// The entry of the half-year `date` falls in.
    pub fn entry_for(&self, date: NaiveDate) -> Result<&RateEntry, ClaimError> {
        self.entry(date.year(), Half::of(date))
    }

    /// Default B2B late-payment rate on `date`: the ECB rate of the half-year
    /// + 10 points.
    pub fn b2b_default_rate(&self, date: NaiveDate) -> Result<Decimal, ClaimError> {
        // C. com. L441-10 II: ECB rate on 1 Jan / 1 Jul + 10 points.
        Ok(self.entry_for(date)?.ecb_rate + B2B_POINTS)
    }

    /// Legal interest rate on `date`; it depends on the creditor
    /// (C. mon. fin. L313-2): the higher rate when the creditor is a private
    /// person, the "other cases" rate otherwise.
    pub fn legal_rate(
        &self,
        date: NaiveDate,
        creditor_is_private_person: bool,
    ) -> Result<Decimal, ClaimError> {
        let e = self.entry_for(date)?;
        Ok(if creditor_is_private_person {
            e.legal_rate_private_creditor
        } else {
            e.legal_rate_other
        })
    }

    /// The lowest contractual B2B rate allowed on `date`: 3 × the legal rate
    /// ("other cases") of the half-year.
    pub fn contractual_floor(&self, date: NaiveDate) -> Result<Decimal, ClaimError> {
        // C. com. L441-10 II: a contractual rate may not be below 3 × the legal rate.
        Ok(self.entry_for(date)?.legal_rate_other * FLOOR_MULTIPLIER)
    }

    /// The B2B late-payment rate on `date`: the contractual rate raised to the
    /// floor if it is below it, or the default rate when the contract sets none.
    pub fn b2b_rate(
        &self,
        date: NaiveDate,
        contractual: Option<Decimal>,
    ) -> Result<Decimal, ClaimError> {
        match contractual {
            // C. com. L441-10 II: contractual rate, at least 3 × the legal rate.
            Some(rate) => Ok(rate.max(self.contractual_floor(date)?)),
            // C. com. L441-10 II: ECB rate + 10 points.
            None => self.b2b_default_rate(date),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }
    fn ymd(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn half_of_a_date() {
        assert_eq!(Half::of(ymd(2025, 6, 30)), Half::H1);
        assert_eq!(Half::of(ymd(2025, 7, 1)), Half::H2);
        assert_eq!(Half::of(ymd(2025, 1, 1)), Half::H1);
        assert_eq!(Half::of(ymd(2025, 12, 31)), Half::H2);
    }

    #[test]
    fn seeded_table_matches_legal_md() {
        let t = RateTable::seeded();
        assert_eq!(t.entries().len(), 7);
        // Default B2B rates of the LEGAL.md table = ECB + 10.
        let expected = [
            (ymd(2023, 3, 1), "12.50"),
            (ymd(2023, 9, 1), "14.00"),
            (ymd(2024, 3, 1), "14.50"),
            (ymd(2024, 9, 1), "14.25"),
            (ymd(2025, 3, 1), "13.15"),
            (ymd(2025, 9, 1), "12.15"),
            (ymd(2026, 3, 1), "12.15"),
        ];
        for (date, rate) in expected {
            assert_eq!(t.b2b_default_rate(date).unwrap(), d(rate), "{date}");
        }
        assert_eq!(t.legal_rate(ymd(2024, 8, 1), true).unwrap(), d("8.16"));
        assert_eq!(t.legal_rate(ymd(2024, 8, 1), false).unwrap(), d("4.92"));
        assert_eq!(t.legal_rate(ymd(2023, 1, 1), false).unwrap(), d("2.06"));
        assert_eq!(t.legal_rate(ymd(2026, 6, 30), true).unwrap(), d("6.67"));
        // Rebuilding it through the validating constructor gives the same table.
        assert_eq!(RateTable::new(t.entries().to_vec()).unwrap(), t);
    }

    #[test]
    fn a_missing_half_year_is_named_in_the_error() {
        let t = RateTable::seeded();
        let err = t.b2b_default_rate(ymd(2026, 7, 1)).unwrap_err();
        assert_eq!(
            err,
            ClaimError::MissingRate {
                year: 2026,
                half: Half::H2
            }
        );
        assert_eq!(err.to_string(), "no interest rate entered for 2026 H2");
        assert_eq!(
            t.legal_rate(ymd(2022, 12, 31), false)
                .unwrap_err()
                .to_string(),
            "no interest rate entered for 2022 H2"
        );
    }

    #[test]
    fn the_table_covers_up_to_the_end_of_its_latest_half_year() {
        let t = RateTable::seeded();
        assert_eq!(t.covered_until(), Some(ymd(2026, 6, 30)));
        assert_eq!(RateTable::new(vec![]).unwrap().covered_until(), None);
    }

    #[test]
    fn missing_rates_are_announced_fifteen_days_before_the_half_year_starts() {
        let t = RateTable::seeded();
        let h2 = HalfYear {
            year: 2026,
            half: Half::H2,
        };
        // 1 July 2026 - 15 days = 16 June 2026: from that day on, 2026 H2 is awaited.
        assert_eq!(t.missing_by(ymd(2026, 6, 15)), vec![]);
        assert_eq!(t.missing_by(ymd(2026, 6, 16)), vec![h2]);
        assert_eq!(t.missing_by(ymd(2026, 12, 1)), vec![h2]);
        // 17 December 2026 + 15 days = 1 January 2027: 2027 H1 is awaited as well.
        assert_eq!(
            t.missing_by(ymd(2026, 12, 17)),
            vec![
                h2,
                HalfYear {
                    year: 2027,
                    half: Half::H1
                }
            ]
        );
        assert_eq!(h2.label(), "2026-H2");
        assert_eq!(h2.french(), "2e semestre 2026");
        assert_eq!(h2.first_day(), Some(ymd(2026, 7, 1)));
    }

    #[test]
    fn contractual_rate_below_three_times_the_legal_rate_is_raised() {
        let t = RateTable::seeded();
        // 2024 H1: legal rate (other cases) 5.07 → floor 3 × 5.07 = 15.21.
        assert_eq!(t.contractual_floor(ymd(2024, 2, 1)).unwrap(), d("15.21"));
        assert_eq!(
            t.b2b_rate(ymd(2024, 2, 1), Some(d("10"))).unwrap(),
            d("15.21")
        );
        assert_eq!(t.b2b_rate(ymd(2024, 2, 1), Some(d("16"))).unwrap(), d("16"));
        // 2025 H2: floor 3 × 2.76 = 8.28; 9 % stays.
        assert_eq!(t.b2b_rate(ymd(2025, 8, 1), Some(d("9"))).unwrap(), d("9"));
        assert_eq!(t.b2b_rate(ymd(2025, 8, 1), None).unwrap(), d("12.15"));
    }

    #[test]
    fn table_refuses_duplicates_and_absurd_rates() {
        let e = RateEntry {
            year: 2027,
            half: Half::H1,
            ecb_rate: d("2"),
            legal_rate_private_creditor: d("6"),
            legal_rate_other: d("3"),
        };
        assert_eq!(
            RateTable::new(vec![e.clone(), e.clone()]).unwrap_err(),
            ClaimError::DuplicateRate {
                year: 2027,
                half: Half::H1
            }
        );
        let bad = RateEntry {
            legal_rate_other: d("-1"),
            ..e.clone()
        };
        assert!(matches!(
            RateTable::new(vec![bad]),
            Err(ClaimError::InvalidRate { .. })
        ));
        // Entries given out of order are sorted.
        let h2 = RateEntry {
            half: Half::H2,
            ..e.clone()
        };
        let t = RateTable::new(vec![h2, e]).unwrap();
        assert_eq!(t.entries()[0].half, Half::H1);
        assert_eq!(t.b2b_default_rate(ymd(2027, 12, 31)).unwrap(), d("12"));
    }
}
