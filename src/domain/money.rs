//! Money: `Decimal` in the domain, integer cents in the database, never floating point.

use rust_decimal::{Decimal, RoundingStrategy};
use std::str::FromStr;

use super::Invalid;

/// Rounds to the cent, half away from zero (the rounding shown on every statement).
pub fn round_cents(d: Decimal) -> Decimal {
    d.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

/// Cents from the database to a `Decimal` amount.
pub fn from_cents(cents: i64) -> Decimal {
    Decimal::new(cents, 2)
}

/// An amount to integer cents; refuses more than two decimals instead of rounding silently.
pub fn to_cents(d: Decimal) -> Result<i64, Invalid> {
    if d.normalize().scale() > 2 {
        return Err(Invalid::new("an amount has at most 2 decimals (cents)"));
    }
    let cents = d * Decimal::ONE_HUNDRED;
    i64::try_from(cents).map_err(|_| Invalid::new("the amount is too large"))
}

/// The largest amount one invoice, payment or other typed amount may carry: 1 000 000 000,00 €
/// *(convention)*. Far above any claim an agency handles, and low enough that no sum the
/// engine, the dashboard or a remittance makes of them (500 invoices a case, every payment of
/// a creditor) can leave the integer cents of the database: an amount above it is refused
/// where it is typed, instead of wrapping into a negative principal or failing at every
/// statement afterwards.
pub const MAX_AMOUNT_CENTS: i64 = 100_000_000_000;

/// The refusal of an amount above [`MAX_AMOUNT_CENTS`], naming the limit.
pub fn too_large() -> Invalid {
    Invalid::new("an amount is at most 1000000000.00 €")
}

/// Sums amounts in cents, refusing (rather than wrapping or panicking) a total that leaves
/// the 64-bit cents of the database: every sum of stored amounts goes through here.
pub fn sum_cents(amounts: impl IntoIterator<Item = i64>) -> Result<i64, Invalid> {
    amounts
        .into_iter()
        .try_fold(0i64, i64::checked_add)
        .ok_or_else(|| Invalid::new("the total of these amounts is too large"))
}

/// `a - b` in cents, checked like [`sum_cents`].
pub fn sub_cents(a: i64, b: i64) -> Result<i64, Invalid> {
    a.checked_sub(b)
        .ok_or_else(|| Invalid::new("the total of these amounts is too large"))
}

/// Parses an amount written by a person or a client: `1234.56`, `1234,56`, `1234`.
/// Refuses exponents, signs other than a leading minus, thousands separators,
/// more than two decimals, and more than [`MAX_AMOUNT_CENTS`] either way.
pub fn parse_amount(s: &str) -> Result<Decimal, Invalid> {
    let t = s.trim().replace(',', ".");
    let body = t.strip_prefix('-').unwrap_or(&t);
    let well_formed = !body.is_empty()
        && body.chars().all(|c| c.is_ascii_digit() || c == '.')
        && body.chars().filter(|c| *c == '.').count() <= 1
        && !body.starts_with('.')
        && !body.ends_with('.');
    if !well_formed {
        return Err(Invalid::new(format!(
            "« {s} » is not an amount (expected e.g. 1234.56)"
        )));
    }
    if body.split('.').nth(1).is_some_and(|dec| dec.len() > 2) {
        return Err(Invalid::new("an amount has at most 2 decimals (cents)"));
    }
    if body.len() > 20 {
        return Err(Invalid::new("the amount is too large"));
    }
    let d = Decimal::from_str(&t).map_err(|_| Invalid::new(format!("« {s} » is not an amount")))?;
    if d.abs() > from_cents(MAX_AMOUNT_CENTS) {
        return Err(too_large());
    }
    Ok(d)
}

/// Parses a strictly positive amount of at most two decimals, as integer cents.
pub fn parse_positive_cents(s: &str) -> Result<i64, Invalid> {
    let d = parse_amount(s)?;
    if d <= Decimal::ZERO {
        return Err(Invalid::new("the amount must be greater than zero"));
    }
    to_cents(d)
}

/// `1 234,56` → `1234.56`: spaces (also the no-break ones spreadsheets and French keyboards put) are thousands
/// separators, and a comma is the decimal separator. The parsers above do the rest (and refuse
/// anything that is not an amount): how the portal's forms and the CSV import read amounts
/// typed the French way.
pub fn normalise_amount(t: &str) -> String {
    t.chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '€'))
        .collect::<String>()
        .replace(',', ".")
}

/// Formats cents as a canonical decimal string with two decimals (`"1234.50"`).
pub fn format_cents(cents: i64) -> String {
    format!("{:.2}", from_cents(cents))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_parse_with_dot_or_comma() {
        assert_eq!(parse_positive_cents("1234.56"), Ok(123456));
        assert_eq!(parse_positive_cents("1234,5"), Ok(123450));
        assert_eq!(parse_positive_cents(" 12 "), Ok(1200));
    }

    #[test]
    fn amounts_refuse_zero_negative_and_sub_cent() {
        assert!(parse_positive_cents("0").is_err());
        assert!(parse_positive_cents("0.00").is_err());
        assert!(parse_positive_cents("-5").is_err());
        assert!(parse_positive_cents("1.005").is_err());
        assert!(parse_positive_cents("1e3").is_err());
        assert!(parse_positive_cents("1 000").is_err());
        assert!(parse_positive_cents("").is_err());
        assert!(parse_positive_cents("12.").is_err());
        assert!(parse_positive_cents("99999999999999999999999").is_err());
    }

    #[test]
    fn amounts_above_a_billion_euros_are_refused_naming_the_limit() {
        assert_eq!(parse_positive_cents("1000000000.00"), Ok(MAX_AMOUNT_CENTS));
        assert_eq!(parse_positive_cents("1000000000,01"), Err(too_large()));
        assert_eq!(
            parse_positive_cents("92233720368547758.07"),
            Err(too_large())
        );
        assert_eq!(parse_positive_cents("10000000000000"), Err(too_large()));
        assert_eq!(parse_amount("-1000000000.01"), Err(too_large()));
        assert!(too_large().0.contains("1000000000.00 €"));
    }

    #[test]
    fn sums_of_cents_refuse_to_wrap() {
        assert_eq!(sum_cents([1, 2, 3]), Ok(6));
        assert_eq!(sum_cents([]), Ok(0));
        assert!(sum_cents([i64::MAX, 1]).is_err());
        assert!(sum_cents([i64::MAX - 1, i64::MAX - 1]).is_err());
        assert!(sub_cents(i64::MIN, 1).is_err());
        assert_eq!(sub_cents(5, 7), Ok(-2));
    }

    #[test]
    fn rounding_is_half_away_from_zero() {
        assert_eq!(round_cents(Decimal::new(12345, 3)), Decimal::new(1235, 2));
        assert_eq!(round_cents(Decimal::new(-12345, 3)), Decimal::new(-1235, 2));
        assert_eq!(round_cents(Decimal::new(12344, 3)), Decimal::new(1234, 2));
    }

    #[test]
    fn cents_format_with_two_decimals() {
        assert_eq!(format_cents(123450), "1234.50");
        assert_eq!(format_cents(5), "0.05");
        assert_eq!(to_cents(Decimal::new(150, 1)), Ok(1500));
    }
}
