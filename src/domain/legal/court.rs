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
//! Territory: the debtor's seat or domicile (CPC 1406 al. 2), found in the
//! directory of real courts ([`super::courts`]): the proposal names a court of
//! the directory when its data decides, and otherwise lists the directory's
//! courts the lawyer chooses from — never a name made from the debtor's town.
//! In the twelve seats of the 2025–2028 experiment the commercial court is the
//! tribunal des activités économiques on the same territory (loi n° 2023-1059
//! du 20 novembre 2023, art. 26): the directory holds both with their dates.

use super::courts::{CourtDirectory, Nature};
use super::debtor::trader_status;
use super::names::city_display;
use chrono::NaiveDate;

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

/// The proposed court, for the lawyer to confirm.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CourtProposal {
    /// Kind of court.
    pub kind: CourtKind,
    /// Proposed name, from the court directory (« Tribunal judiciaire de Lyon »); when the
    /// directory cannot decide, a sentence saying the lawyer chooses.
    pub proposed_name: String,
    /// The directory's id of the proposed court; `None` when the lawyer must choose.
    pub court_id: Option<String>,
    /// When the directory cannot decide: the names of the courts to choose from.
    pub candidates: Vec<String>,
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

/// Proposes the court of the requête (CPC 1406) for `debtor` on `day`, from `directory`.
pub fn propose_court(
    debtor: &DebtorProfile,
    creditor_is_trader: bool,
    directory: &CourtDirectory,
    day: NaiveDate,
) -> CourtProposal {
    let (debtor_is_trader, why) = trader_status(debtor);
    let commercial = creditor_is_trader && debtor_is_trader;
    let nature = if commercial {
        Nature::Commercial
    } else {
        Nature::Civil
    };
    let in_france = debtor.is_in_france();
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
    let nature_text = if commercial {
        format!("Créance commerciale : le créancier est commerçant et {why}")
    } else if debtor_is_trader {
        // An acte mixte: a non-trader creditor may choose; we propose the civil court.
        format!("Créance civile : le créancier n'est pas commerçant ({why})")
    } else {
        format!("Créance civile : {why}")
    };
    let default_kind = if commercial {
        CourtKind::CommercialCourt
    } else {
        CourtKind::JudicialCourt
    };
    if !in_france {
        return CourtProposal {
            kind: default_kind,
            proposed_name: "Aucune juridiction française (débiteur établi hors de France)"
                .to_string(),
            court_id: None,
            candidates: vec![],
            judge: default_kind.judge().to_string(),
            territory,
            reason: format!(
                "{nature_text}. Le tribunal compétent est celui du lieu où demeure le débiteur \
                 (CPC 1406), qui est à l'étranger ({}) : aucun tribunal français n'est proposé ; \
                 l'avocat peut examiner une compétence internationale française.",
                debtor.country_code()
            ),
            cerfa: default_kind.cerfa(),
            fees: CourtFees::for_court(default_kind),
            in_france,
        };
    }
    let found = directory.resolve(nature, &debtor.postal_code, &debtor.city, day);
    let source = format!(
        "annuaire des juridictions du {} ({})",
        directory.version, directory.source
    );
    let (kind, proposed_name, court_id, candidates, where_) = match found.court {
        Some(court) => (
            court.kind,
            court.name.clone(),
            Some(court.id.clone()),
            vec![],
            format!("{} ; {source}", found.why),
        ),
        None => {
            // The kind the candidates share, if they do (a TAE and a tribunal de commerce
            // take the same requête).
            let kind = found
                .candidates
                .first()
                .map(|c| c.kind)
                .filter(|k| found.candidates.iter().all(|c| c.kind == *k))
                .unwrap_or(default_kind);
            (
                kind,
                "Juridiction à choisir par l'avocat dans l'annuaire".to_string(),
                None,
                found.candidates.iter().map(|c| c.name.clone()).collect(),
                format!(
                    "{} : l'annuaire ne permet pas de désigner la juridiction, l'avocat la \
                     choisit parmi celles de l'annuaire ; {source}",
                    found.why
                ),
            )
        }
    };
    let tae = if kind == CourtKind::EconomicActivitiesCourt {
        " ; pendant l'expérimentation 2025–2028, le tribunal des activités économiques remplace \
         le tribunal de commerce sur son ressort (loi n° 2023-1059 du 20 novembre 2023, art. 26)"
    } else {
        ""
    };
    CourtProposal {
        kind,
        proposed_name,
        court_id,
        candidates,
        judge: kind.judge().to_string(),
        territory,
        reason: format!(
            "{nature_text}. Requête au président du {} du lieu où demeure le débiteur \
             (CPC 1406){tae}. Ressort : {where_}.",
            kind.label()
        ),
        cerfa: kind.cerfa(),
        fees: CourtFees::for_court(kind),
        in_france,
    }
}

#[cfg(test)]
mod tests;
