//! Registry fees of the requête (C. com. A743-9, LEGAL.md §5).

use rust_decimal::Decimal;

use super::court::CourtKind;
use crate::domain::fmt::euros;
use crate::domain::money::round_cents;

/// Registry fees of the requête.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CourtFees {
    /// Each fee excl. VAT, labelled in French, for a report to list.
    pub lines: Vec<(String, Decimal)>,
    /// Sum of the lines.
    pub total_excl_vat: Decimal,
    /// VAT at 20 % of the total, rounded to the cent half away from zero.
    pub vat: Decimal,
    /// `total_excl_vat + vat`.
    pub total_incl_vat: Decimal,
    /// What to know beyond the figures (e.g. no fees before the judicial court).
    pub note: String,
}

/// C. com. A743-9: emolument of the injunction order, excl. VAT.
pub const FEE_ORDER: Decimal = Decimal::from_parts(1004, 0, 0, false, 2);
/// C. com. A743-9: transmission costs, excl. VAT.
pub const FEE_TRANSMISSION: Decimal = Decimal::from_parts(781, 0, 0, false, 2);
/// C. com. A743-9: duties, excl. VAT.
pub const FEE_DUTIES: Decimal = Decimal::from_parts(1004, 0, 0, false, 2);
/// VAT rate on the commercial registry's fees (CGI 278): 20 %.
pub const VAT_RATE: Decimal = Decimal::from_parts(20, 0, 0, false, 2);

impl CourtFees {
    /// The fees charged before `kind`.
    pub fn for_court(kind: CourtKind) -> CourtFees {
        match kind {
            CourtKind::JudicialCourt => CourtFees {
                lines: Vec::new(),
                total_excl_vat: Decimal::ZERO,
                vat: Decimal::ZERO,
                total_incl_vat: Decimal::ZERO,
                // Civil courts' registries are public services: justice is free
                // (loi n° 77-1468 du 30 décembre 1977).
                note: "aucun frais de greffe devant le tribunal judiciaire".into(),
            },
            CourtKind::CommercialCourt | CourtKind::EconomicActivitiesCourt => {
                // C. com. A743-9: the commercial registry's tariff for an injunction order.
                let lines = vec![
                    ("Ordonnance d'injonction de payer".to_string(), FEE_ORDER),
                    ("Frais de transmission".to_string(), FEE_TRANSMISSION),
                    ("Droits".to_string(), FEE_DUTIES),
                ];
                let total: Decimal = lines.iter().map(|(_, a)| *a).sum();
                let vat = round_cents(total * VAT_RATE);
                let mut note =
                    "émoluments du greffe (C. com. A743-9), dus au dépôt de la requête".to_string();
                if kind == CourtKind::EconomicActivitiesCourt {
                    note.push_str(
                        " ; vérifier si la contribution pour la justice économique \
                         (loi n° 2023-1059, art. 27) est due",
                    );
                }
                CourtFees {
                    lines,
                    total_excl_vat: total,
                    vat,
                    total_incl_vat: total + vat,
                    note,
                }
            }
        }
    }

    /// The fees in one French phrase: `27,89 € HT (33,47 € TTC)`, or the note
    /// when there are none.
    pub fn summary(&self) -> String {
        if self.total_excl_vat.is_zero() {
            return self.note.clone();
        }
        format!(
            "{} HT ({} TTC)",
            euros(self.total_excl_vat),
            euros(self.total_incl_vat)
        )
    }
}
