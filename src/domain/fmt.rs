//! French formatting of amounts and dates: one place for the texts the domain writes (the
//! eligibility report's reasons) and for the letters and dossiers (`documents::letters`
//! registers these as tera filters).

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;

use crate::domain::money::round_cents;

/// No-break space (U+00A0): thousands separator and before `€`, as in the
/// letters (the narrow U+202F is not in the PDF fonts' WinAnsi encoding).
const NBSP: char = '\u{a0}';

/// French amount: `1 234,56 €`, rounded to the cent half away from zero,
/// with no-break spaces.
pub fn euros(amount: Decimal) -> String {
    let rounded = round_cents(amount);
    let sign = if rounded.is_sign_negative() && !rounded.is_zero() {
        "-"
    } else {
        ""
    };
    let digits = format!("{:.2}", rounded.abs());
    let (int, frac) = digits.split_once('.').unwrap_or((digits.as_str(), "00"));
    let mut grouped = String::with_capacity(int.len() + int.len() / 3 * 2);
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(NBSP);
        }
        grouped.push(c);
    }
    format!("{sign}{grouped},{frac}{NBSP}€")
}

/// French percentage with two decimals: `3,16 %`, `12,00 %` (exact: a rate of at most two
/// decimals is only formatted).
pub fn percent(rate: Decimal) -> String {
    format!("{rate:.2} %").replace('.', ",")
}

/// A moment stored in UTC as the clocks of France show it (Europe/Paris: CET, CEST in
/// summer), for the pages.
pub fn paris(at: chrono::NaiveDateTime) -> chrono::NaiveDateTime {
    use chrono::TimeZone;
    chrono_tz::Europe::Paris
        .from_utc_datetime(&at)
        .naive_local()
}

/// Long French date: `12 mars 2026`, `1er mai 2026`.
pub fn date_long(date: NaiveDate) -> String {
    const MONTHS: [&str; 12] = [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ];
    let month = MONTHS.get(date.month0() as usize).copied().unwrap_or("");
    let day = if date.day() == 1 {
        "1er".to_string()
    } else {
        date.day().to_string()
    };
    format!("{day} {month} {}", date.year())
}

/// The same date preceded by « le », as quoted in sentences: `le 12 mars 2026`.
pub fn le_date(date: NaiveDate) -> String {
    format!("le {}", date_long(date))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn eur(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn euros_use_a_comma_and_no_break_spaces() {
        assert_eq!(euros(eur("27.89")), "27,89\u{a0}€");
        assert_eq!(euros(eur("5000")), "5\u{a0}000,00\u{a0}€");
        assert_eq!(euros(eur("1234567.891")), "1\u{a0}234\u{a0}567,89\u{a0}€");
        assert_eq!(euros(eur("0.005")), "0,01\u{a0}€");
        assert_eq!(euros(eur("-0.004")), "0,00\u{a0}€");
        assert_eq!(euros(eur("-1500")), "-1\u{a0}500,00\u{a0}€");
        assert_eq!(euros(eur("123456")), "123\u{a0}456,00\u{a0}€");
    }

    #[test]
    fn dates_are_written_in_full_with_1er() {
        let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd).unwrap();
        assert_eq!(date_long(d(2026, 3, 12)), "12 mars 2026");
        assert_eq!(date_long(d(2027, 3, 1)), "1er mars 2027");
        assert_eq!(date_long(d(2026, 8, 15)), "15 août 2026");
        assert_eq!(le_date(d(2026, 12, 31)), "le 31 décembre 2026");
    }

    #[test]
    fn rates_are_shown_the_french_way_without_rounding_away_cents() {
        assert_eq!(percent(Decimal::new(316, 2)), "3,16 %");
        assert_eq!(percent(Decimal::new(12, 0)), "12,00 %");
    }
}
