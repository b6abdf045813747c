//! The other routes and costs the eligibility report points to: the European
//! order for a debtor in another member state (Reg. (EC) 1896/2006), the
//! small-claims procedure (CPCE L125-1), the lawyer after an opposition
//! (CPC 760, 853), the registry fees (C. com. A743-9). LEGAL.md §5–6.

use rust_decimal::Decimal;

use super::condition::{keys, Condition, ConditionStatus};
use super::court::{CourtKind, CourtProposal, DebtorProfile};
use crate::domain::fmt::euros;

/// CPCE R125-1: the small-claims route is open to a claim of at most 5 000 € in principal and
/// interest — so the D441-5 indemnity, a recovery cost, is not counted.
pub const SMALL_CLAIMS_MAX: Decimal = Decimal::from_parts(5_000, 0, 0, false, 0);
/// CPC 760, 853: above 10 000 €, a lawyer represents the parties after an opposition.
pub const LAWYER_THRESHOLD: Decimal = Decimal::from_parts(10_000, 0, 0, false, 0);

/// The member states where Reg. (EC) 1896/2006 applies: the EU but Denmark
/// (its art. 2 § 3), ISO alpha-2 codes (Greece is GR; EL, the EU's code, is
/// also accepted by [`european_order_applies`]). France is one of the 26.
pub const EUROPEAN_ORDER_STATES: [&str; 26] = [
    "AT", "BE", "BG", "CY", "CZ", "DE", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT", "LT",
    "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
];

/// Whether the European order for payment exists between France and the
/// state of `country` (an ISO alpha-2 code, any case).
pub fn european_order_applies(country: &str) -> bool {
    let code = country.trim().to_uppercase();
    let code = if code == "EL" { "GR".to_string() } else { code };
    EUROPEAN_ORDER_STATES.contains(&code.as_str())
}

/// The `debtor_in_france` condition and, for a debtor in another member
/// state, the European order's explanation.
pub(super) fn debtor_in_france(debtor: &DebtorProfile) -> (Condition, Option<String>) {
    let code = debtor.country_code();
    let (status, reason, european) = if debtor.is_in_france() {
        (
            ConditionStatus::Met,
            "Débiteur établi en France : requête au tribunal du lieu où il demeure (CPC 1406)."
                .to_string(),
            None,
        )
    } else if code.is_empty() {
        (
            ConditionStatus::Failed,
            "Le pays du débiteur n'est pas renseigné.".to_string(),
            None,
        )
    } else if european_order_applies(&code) {
        let consumer = if debtor.is_consumer {
            " Le débiteur étant un consommateur, seules les juridictions de l'État où il est \
             domicilié sont compétentes (art. 6 § 2)."
        } else {
            ""
        };
        (
            ConditionStatus::Failed,
            format!(
                "Le débiteur est établi dans un autre État membre de l'Union ({code}) : l'article \
                 1406 du CPC ne désigne aucun tribunal français ; voir l'injonction de payer \
                 européenne."
            ),
            Some(format!(
                "Injonction de payer européenne (règlement (CE) n° 1896/2006) possible : le \
                 débiteur est établi dans un autre État membre ({code}). La créance doit être \
                 pécuniaire, liquide, exigible et non contestée ; requête sur le formulaire A ; \
                 le débiteur dispose de 30 jours pour former opposition.{consumer}"
            )),
        )
    } else {
        let why = if code == "DK" {
            "au Danemark, qui n'applique pas le règlement (CE) n° 1896/2006".to_string()
        } else {
            format!("hors de l'Union européenne ({code})")
        };
        (
            ConditionStatus::Failed,
            format!(
                "Le débiteur est établi {why} : aucune voie transfrontalière simplifiée ; il faut \
                 agir selon le droit du pays du débiteur (action ordinaire à l'étranger)."
            ),
            None,
        )
    };
    let condition = Condition::new(
        keys::DEBTOR_IN_FRANCE,
        status,
        "Débiteur établi en France",
        reason,
        "CPC 1406 ; Règl. (CE) 1896/2006",
    );
    (condition, european)
}

/// The `small_claims` information and the alternative's sentence when open. `principal_and_interest`
/// is what is due without the recovery indemnities (CPCE R125-1: « en principal et intérêts »).
pub(super) fn small_claims(
    principal_and_interest: Option<Decimal>,
    claim_is_contractual: bool,
) -> (Condition, Option<String>) {
    let (reason, alternative) = match principal_and_interest {
        None => ("Montant non déterminé : la procédure simplifiée ne peut être envisagée.".into(), None),
        Some(t) if t <= Decimal::ZERO => ("Rien n'est dû.".into(), None),
        Some(_) if !claim_is_contractual => (
            "Créance sans cause contractuelle ou statutaire : la procédure simplifiée n'est pas \
             ouverte."
                .into(),
            None,
        ),
        Some(t) if t <= SMALL_CLAIMS_MAX => {
            let s = format!(
                "Créance de {} en principal et intérêts (indemnité forfaitaire non comprise), au plus \
                 5\u{a0}000\u{a0}€ : la procédure simplifiée de \
                 recouvrement des petites créances est possible (CPCE L125-1, R125-1). Un \
                 commissaire de justice invite le débiteur à payer ; le débiteur a un mois pour \
                 accepter, son silence vaut refus ; en cas d'accord, le commissaire de justice \
                 délivre un titre exécutoire. Les frais sont à la charge du créancier.",
                euros(t)
            );
            (s.clone(), Some(s))
        }
        Some(t) => (
            format!(
                "Créance de {} en principal et intérêts (indemnité forfaitaire non comprise), au-delà \
                 de 5\u{a0}000\u{a0}€ : la procédure simplifiée \
                 des petites créances n'est pas ouverte.",
                euros(t)
            ),
            None,
        ),
    };
    let condition = Condition::new(
        keys::SMALL_CLAIMS,
        ConditionStatus::Info,
        "Procédure simplifiée des petites créances",
        reason,
        "CPCE L125-1, R125-1",
    );
    (condition, alternative)
}

/// The `lawyer_on_opposition` information and whether a lawyer is required.
pub(super) fn lawyer_on_opposition(total_due: Option<Decimal>) -> (Condition, bool) {
    let required = total_due.is_some_and(|t| t > LAWYER_THRESHOLD);
    let reason = match total_due {
        None => "Montant non déterminé : le besoin d'un avocat en cas d'opposition sera évalué \
                 avec le décompte."
            .to_string(),
        Some(t) if required => format!(
            "Créance de {}, au-delà de 10\u{a0}000\u{a0}€ : en cas d'opposition, la représentation par \
             avocat est obligatoire à l'audience. Aucun avocat n'est exigé pour la requête.",
            euros(t)
        ),
        Some(t) => format!(
            "Créance de {}, au plus 10\u{a0}000\u{a0}€ : en cas d'opposition, les parties peuvent se \
             défendre elles-mêmes. Aucun avocat n'est exigé pour la requête.",
            euros(t)
        ),
    };
    let condition = Condition::new(
        keys::LAWYER_ON_OPPOSITION,
        ConditionStatus::Info,
        "Avocat en cas d'opposition",
        reason,
        "CPC 760, 853",
    );
    (condition, required)
}

pub(super) fn court_fees(court: &CourtProposal) -> Condition {
    let fees = &court.fees;
    let (reason, article) = if court.kind == CourtKind::JudicialCourt {
        (
            "Aucun frais de greffe devant le tribunal judiciaire.".to_string(),
            "Loi n° 77-1468 du 30 déc. 1977",
        )
    } else {
        let lines: Vec<String> = fees
            .lines
            .iter()
            .map(|(label, amount)| format!("{} {}", label.to_lowercase(), euros(*amount)))
            .collect();
        (
            format!(
                "Frais de greffe à prévoir devant le {} : {} ({}).",
                court.kind.label(),
                fees.summary(),
                lines.join(", ")
            ),
            "C. com. A743-9",
        )
    };
    Condition::new(
        keys::COURT_FEES,
        ConditionStatus::Info,
        "Frais de greffe",
        reason,
        article,
    )
}
