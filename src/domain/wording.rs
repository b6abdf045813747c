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

// ---------------------------------------------------------------------------------------------
// The wording check of letters and e-mails to the debtor.

/// Why a term is refused in a letter or an e-mail to the debtor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Imitation {
    /// The text would resemble a judicial or extrajudicial act, or present its sender as a
    /// public or ministerial officer (C. pén. 433-13).
    CourtOrBailiff,
    /// The text announces a seizure or a forced execution, which only a creditor holding an
    /// enforceable title may carry out (CPCE L111-1, L111-2).
    SeizureWithoutTitle,
}

/// A term the wording check refused, as written in the list below, and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Refused {
    pub term: &'static str,
    pub why: Imitation,
}

impl Refused {
    /// The reason in French, for the agent who sees the letter refused.
    pub fn reason(&self) -> String {
        match self.why {
            Imitation::CourtOrBailiff => format!(
                "« {} » ferait ressembler le courrier à un acte judiciaire ou d'un commissaire \
                 de justice (art. 433-13 du Code pénal)",
                self.term
            ),
            Imitation::SeizureWithoutTitle => format!(
                "« {} » annonce une saisie ou une exécution forcée sans titre exécutoire \
                 (art. L111-2 du Code des procédures civiles d'exécution)",
                self.term
            ),
        }
    }
}

/// The terms refused in every letter and e-mail to the debtor, compared folded
/// (`domain::search::fold`: no capitals, no accents) and as whole words. The list *(convention,
/// LEGAL.md §1 and §8)* keeps what a court or a commissaire de justice writes and an agency may
/// not: the officers' titles, the acts' names and formulas, the words of seizure. Announcing
/// the creditor's right to go to court (« saisir le juge d'une requête en injonction de
/// payer ») is a true statement and stays allowed, and so is « titre exécutoire », which the
/// first letter must print (CPCE L111-8 al. 2, R124-4 5°).
const REFUSED: &[(&str, Imitation)] = &[
    ("huissier", Imitation::CourtOrBailiff),
    ("huissiers", Imitation::CourtOrBailiff),
    ("commissaire de justice", Imitation::CourtOrBailiff),
    ("commissaires de justice", Imitation::CourtOrBailiff),
    ("officier ministeriel", Imitation::CourtOrBailiff),
    ("officier public", Imitation::CourtOrBailiff),
    ("acte judiciaire", Imitation::CourtOrBailiff),
    ("acte extrajudiciaire", Imitation::CourtOrBailiff),
    ("signification", Imitation::CourtOrBailiff),
    ("commandement de payer", Imitation::CourtOrBailiff),
    ("sommation de payer", Imitation::CourtOrBailiff),
    ("sommation", Imitation::CourtOrBailiff),
    ("assignation", Imitation::CourtOrBailiff),
    ("citation a comparaitre", Imitation::CourtOrBailiff),
    ("avis de passage", Imitation::CourtOrBailiff),
    ("au nom du peuple francais", Imitation::CourtOrBailiff),
    ("republique francaise", Imitation::CourtOrBailiff),
    ("formule executoire", Imitation::CourtOrBailiff),
    ("service contentieux judiciaire", Imitation::CourtOrBailiff),
    // « Saisie » alone also means data entry: the seizures are named by their kind or object.
    ("saisie attribution", Imitation::SeizureWithoutTitle),
    ("saisie vente", Imitation::SeizureWithoutTitle),
    ("saisie conservatoire", Imitation::SeizureWithoutTitle),
    ("saisie sur salaire", Imitation::SeizureWithoutTitle),
    ("saisie des remunerations", Imitation::SeizureWithoutTitle),
    ("saisie de vos", Imitation::SeizureWithoutTitle),
    ("saisie de votre", Imitation::SeizureWithoutTitle),
    ("saisie de ses", Imitation::SeizureWithoutTitle),
    ("saisie de son", Imitation::SeizureWithoutTitle),
    ("saisie de sa", Imitation::SeizureWithoutTitle),
    ("saisie bancaire", Imitation::SeizureWithoutTitle),
    ("saisies bancaires", Imitation::SeizureWithoutTitle),
    ("une saisie", Imitation::SeizureWithoutTitle),
    ("saisir vos biens", Imitation::SeizureWithoutTitle),
    ("saisir votre salaire", Imitation::SeizureWithoutTitle),
    ("saisir votre compte", Imitation::SeizureWithoutTitle),
    ("saisir vos comptes", Imitation::SeizureWithoutTitle),
    ("execution forcee", Imitation::SeizureWithoutTitle),
    ("voies d execution", Imitation::SeizureWithoutTitle),
    ("mesure d execution", Imitation::SeizureWithoutTitle),
    ("mesures d execution", Imitation::SeizureWithoutTitle),
    ("expulsion", Imitation::SeizureWithoutTitle),
    ("enlevement de vos biens", Imitation::SeizureWithoutTitle),
    ("inventaire de vos biens", Imitation::SeizureWithoutTitle),
    ("vente forcee", Imitation::SeizureWithoutTitle),
];

/// The words of `text`, folded, separated by single spaces and framed by spaces (letters and
/// digits kept; every other sign, the apostrophe included, separates words).
fn words(text: &str) -> String {
    let folded = super::search::fold(text);
    let mut out = String::with_capacity(folded.len() + 2);
    out.push(' ');
    for c in folded.chars() {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.ends_with(' ') {
            out.push(' ');
        }
    }
    if !out.ends_with(' ') {
        out.push(' ');
    }
    out
}

/// Checks the text of a letter or e-mail to the debtor (or a template's source, or a setting
/// printed in letters): the first refused term found, in the order of the list.
pub fn check_demand(text: &str) -> Result<(), Refused> {
    let words = words(text);
    for (term, why) in REFUSED {
        if words.contains(&format!(" {term} ")) {
            return Err(Refused { term, why: *why });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_wording_check_refuses_court_and_bailiff_terms_and_seizures_but_not_the_courts_mention() {
        use super::{check_demand, Imitation};
        let refused = |t: &str| check_demand(t).map_err(|r| (r.term, r.why));
        assert_eq!(
            refused("Notre HUISSIER passera chez vous."),
            Err(("huissier", Imitation::CourtOrBailiff))
        );
        assert_eq!(
            refused("Commandement de payer avant exécution"),
            Err(("commandement de payer", Imitation::CourtOrBailiff))
        );
        assert_eq!(
            refused("Nous procéderons à la saisie-attribution de vos comptes."),
            Err(("saisie attribution", Imitation::SeizureWithoutTitle))
        );
        assert_eq!(
            refused("Sans paiement, une saisie sera pratiquée."),
            Err(("une saisie", Imitation::SeizureWithoutTitle))
        );
        assert_eq!(
            refused("avant l'exécution forcée"),
            Err(("execution forcee", Imitation::SeizureWithoutTitle))
        );
        assert_eq!(
            refused("RÉPUBLIQUE FRANÇAISE"),
            Err(("republique francaise", Imitation::CourtOrBailiff))
        );
        // The formal notice's true statement of what follows, and words that only contain a
        // refused one, pass.
        assert_eq!(
            refused(
                "le créancier pourra, sans autre avis, saisir le juge d'une requête en \
                 injonction de payer (art. 1405 et s. du Code de procédure civile)"
            ),
            Ok(())
        );
        assert_eq!(refused("Les huissières du château ; insignifiant"), Ok(()));
    }

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
