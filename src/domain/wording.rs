//! How documents describe the interest claimed: one sentence per regime, used by the letters,
//! the requête and the statement, so that every document of a case says the same.

use rust_decimal::Decimal;

/// The interest regime of a claim, as the documents name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InterestRegime {
    /// Debtor a consumer: legal interest from the formal notice (C. civ. 1231-6, 1344-1).
    Consumer,
    /// Between professionals, no contractual rate: ECB rate + 10 points (C. com. L441-10 II).
    StatutoryB2b,
    /// Between professionals, with a contractual rate in percent (C. com. L441-10 II).
    Contractual(Decimal),
}

/// A rate in the French way: `12,5`, `10`, `7,86`.
fn percent(rate: Decimal) -> String {
    rate.normalize().to_string().replace('.', ",")
}

/// The sentence describing the interest of `regime`. `applied` are the rates the statement
/// actually applied (its periods): for a contractual rate, C. com. L441-10 II raises it to
/// three times the legal rate where it is lower, and the sentence then says so with the
/// rates applied; it never calls a contractual rate « BCE + 10 points ».
pub fn interest_basis(regime: InterestRegime, applied: &[Decimal]) -> String {
    match regime {
        InterestRegime::Consumer => "intérêts au taux légal à compter de la mise en demeure \
             (art. 1231-6 et 1344-1 du Code civil)"
            .to_string(),
        InterestRegime::StatutoryB2b => "pénalités de retard au taux de la BCE majoré de \
             10 points (art. L441-10 II du Code de commerce)"
            .to_string(),
        InterestRegime::Contractual(rate) => {
            let mut raised: Vec<Decimal> = applied.iter().copied().filter(|r| *r > rate).collect();
            raised.sort();
            raised.dedup();
            if raised.is_empty() {
                format!(
                    "pénalités de retard au taux contractuel de {} % l'an, qui ne peut être \
                     inférieur à trois fois le taux de l'intérêt légal (art. L441-10 II du Code \
                     de commerce)",
                    percent(rate)
                )
            } else {
                let list: Vec<String> = raised
                    .iter()
                    .map(|r| format!("{} %", percent(*r)))
                    .collect();
                format!(
                    "pénalités de retard au taux contractuel de {} % l'an, porté à trois fois le \
                     taux de l'intérêt légal là où il lui est inférieur, soit {} (art. L441-10 II \
                     du Code de commerce)",
                    percent(rate),
                    list.join(", ")
                )
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap_or_default()
    }

    #[test]
    fn a_contractual_rate_is_named_as_such_never_as_the_ecb_rate() {
        let s = interest_basis(InterestRegime::Contractual(d("10")), &[d("10")]);
        assert!(s.contains("taux contractuel de 10 % l'an"), "{s}");
        assert!(!s.contains("BCE"), "{s}");
    }

    #[test]
    fn a_contractual_rate_below_the_floor_shows_the_rates_it_was_raised_to() {
        // 2026 H1: legal rate (other cases) 2,62 % → floor 7,86 %; a 5 % rate is raised.
        let s = interest_basis(InterestRegime::Contractual(d("5")), &[d("7.86"), d("7.86")]);
        assert!(s.contains("taux contractuel de 5 % l'an"), "{s}");
        assert!(s.contains("soit 7,86 %"), "{s}");
    }

    #[test]
    fn the_statutory_b2b_rate_is_the_ecb_rate_plus_ten_points() {
        let s = interest_basis(InterestRegime::StatutoryB2b, &[]);
        assert!(s.contains("BCE majoré de 10 points"));
    }
}
