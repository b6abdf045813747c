//! The court to which the requête en injonction de payer is addressed
//! (CPC 1406, LEGAL.md §5).
//!
//! Nature of the claim *(convention, the lawyer confirms)*: the claim is
//! commercial, and goes to the tribunal de commerce, when the creditor is a
//! trader **and** the debtor is one (C. com. L110-4 "entre commerçants");
//! everything else goes to the tribunal judiciaire. A non-trader creditor
//! suing a trader may in law choose either court: we propose the judicial one.
//! The juge des contentieux de la protection (consumer credit, residential
//! leases) is never proposed: our claims are invoices for goods or services.
//!
//! Who is a trader: see [`super::debtor`]; the fees: [`super::fees`].
//!
//! Territory: the debtor's seat or domicile (CPC 1406 al. 2). The court's
//! name is proposed from the debtor's city *(convention)*: a court's area is
//! larger than its city, so the lawyer confirms it. In the twelve cities of
//! the 2025–2028 experiment, the commercial court is the tribunal des
//! activités économiques (loi n° 2023-1059 du 20 novembre 2023, art. 26).

use super::debtor::trader_status;
use super::names::{city_display, city_key, de_city};

pub use super::debtor::DebtorProfile;
pub use super::fees::CourtFees;

/// Which kind of court hears the requête.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CourtKind {
    /// Tribunal de commerce: commercial claims (CPC 1406).
    CommercialCourt,
    /// Tribunal des activités économiques: the commercial court renamed in the
    /// twelve cities of the 2025–2028 experiment (loi n° 2023-1059, art. 26).
    EconomicActivitiesCourt,
    /// Tribunal judiciaire: every other civil claim (CPC 1406).
    JudicialCourt,
}

impl CourtKind {
    /// Lower-case French name, as used inside a sentence.
    pub fn label(self) -> &'static str {
        match self {
            CourtKind::CommercialCourt => "tribunal de commerce",
            CourtKind::EconomicActivitiesCourt => "tribunal des activités économiques",
            CourtKind::JudicialCourt => "tribunal judiciaire",
        }
    }

    /// Capitalised French name, as at the start of a court's name.
    pub fn title(self) -> &'static str {
        match self {
            CourtKind::CommercialCourt => "Tribunal de commerce",
            CourtKind::EconomicActivitiesCourt => "Tribunal des activités économiques",
            CourtKind::JudicialCourt => "Tribunal judiciaire",
        }
    }

    /// The judge the requête is addressed to (CPC 1406).
    pub fn judge(self) -> &'static str {
        match self {
            CourtKind::CommercialCourt => "Président du tribunal de commerce",
            CourtKind::EconomicActivitiesCourt => "Président du tribunal des activités économiques",
            CourtKind::JudicialCourt => "Président du tribunal judiciaire",
        }
    }

    /// The Cerfa form of the requête: 12946 before the commercial courts
    /// (the TAE keeps the commercial court's form), 12948*06 before the
    /// tribunal judiciaire.
    pub fn cerfa(self) -> &'static str {
        match self {
            CourtKind::CommercialCourt | CourtKind::EconomicActivitiesCourt => "12946",
            CourtKind::JudicialCourt => "12948*06",
        }
    }
}

/// The seats of the twelve tribunaux des activités économiques (arrêté du
/// 5 juillet 2024), with their usual spelling.
pub const TAE_SEATS: [&str; 12] = [
    "Avignon",
    "Auxerre",
    "Le Havre",
    "Le Mans",
    "Limoges",
    "Lyon",
    "Marseille",
    "Nancy",
    "Nanterre",
    "Paris",
    "Saint-Brieuc",
    "Versailles",
];

/// The TAE seat matching `city`, ignoring case, accents, hyphens, a CEDEX
/// mention and Paris/Lyon/Marseille arrondissements.
pub fn tae_seat(city: &str) -> Option<&'static str> {
    let key = city_key(city);
    TAE_SEATS.iter().copied().find(|s| city_key(s) == key)
}

/// The proposed court, for the lawyer to confirm.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CourtProposal {
    /// Kind of court.
    pub kind: CourtKind,
    /// Proposed name, e.g. « Tribunal de commerce de Lyon ».
    pub proposed_name: String,
    /// The judge the requête is addressed to.
    pub judge: String,
    /// Why this place, e.g. « siège du débiteur : 69001 Lyon ».
    pub territory: String,
    /// Why this court, in French, with the articles.
    pub reason: String,
    /// Cerfa form of the requête.
    pub cerfa: &'static str,
    /// Registry fees.
    pub fees: CourtFees,
    /// Added: false when the debtor lives abroad, where CPC 1406 names no
    /// French court (`proposed_name` then says so).
    pub in_france: bool,
}

/// Proposes the court of the requête (CPC 1406) for `debtor`.
pub fn propose_court(debtor: &DebtorProfile, creditor_is_trader: bool) -> CourtProposal {
    let (debtor_is_trader, why) = trader_status(debtor);
    let commercial = creditor_is_trader && debtor_is_trader;
    let seat = tae_seat(&debtor.city);
    let kind = match (commercial, seat) {
        (true, Some(_)) => CourtKind::EconomicActivitiesCourt,
        (true, None) => CourtKind::CommercialCourt,
        (false, _) => CourtKind::JudicialCourt,
    };
    let in_france = debtor.is_in_france();
    let city = match (kind, seat) {
        (CourtKind::EconomicActivitiesCourt, Some(s)) => s.to_string(),
        _ => city_display(&debtor.city),
    };
    let place = if debtor.is_company {
        "siège du débiteur"
    } else {
        "domicile du débiteur"
    };
    let address = format!(
        "{} {}",
        debtor.postal_code.trim(),
        city_display(&debtor.city)
    );
    let territory = if in_france {
        format!("{place} : {}", address.trim())
    } else {
        format!("{place} : {} ({})", address.trim(), debtor.country_code())
    };
    let nature = if commercial {
        format!("Créance commerciale : le créancier est commerçant et {why}")
    } else if debtor_is_trader {
        // An acte mixte: a non-trader creditor may choose; we propose the civil court.
        format!("Créance civile : le créancier n'est pas commerçant ({why})")
    } else {
        format!("Créance civile : {why}")
    };
    let (proposed_name, reason) = if !in_france {
        (
            "Aucune juridiction française (débiteur établi hors de France)".to_string(),
            format!(
                "{nature}. Le tribunal compétent est celui du lieu où demeure le débiteur \
                 (CPC 1406), qui est à l'étranger ({}) : aucun tribunal français n'est proposé ; \
                 l'avocat peut examiner une compétence internationale française.",
                debtor.country_code()
            ),
        )
    } else {
        let name = format!("{} {}", kind.title(), de_city(&city));
        let tae = if kind == CourtKind::EconomicActivitiesCourt {
            format!(
                " ; à {city}, le tribunal de commerce est remplacé par le tribunal des activités \
                 économiques pendant l'expérimentation 2025–2028 (loi n° 2023-1059 du 20 novembre \
                 2023, art. 26)"
            )
        } else {
            String::new()
        };
        (
            name,
            format!(
                "{nature}. Requête au président du {} du lieu où demeure le débiteur \
                 (CPC 1406){tae}. Le nom suit la ville du débiteur : le ressort de la juridiction \
                 est à confirmer par l'avocat.",
                kind.label()
            ),
        )
    };
    CourtProposal {
        kind,
        proposed_name,
        judge: kind.judge().to_string(),
        territory,
        reason,
        cerfa: kind.cerfa(),
        fees: CourtFees::for_court(kind),
        in_france,
    }
}

#[cfg(test)]
mod tests;
