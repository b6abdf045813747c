//! What a dossier is made of: plain typed data, filled by the caller from the case, the
//! claim engine and the evidence store.

use super::DossierError;
use crate::domain::statement::Statement;
use chrono::NaiveDate;
use rust_decimal::Decimal;

/// Everything the injunction-of-payment dossier shows (CPC 1405–1411).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DossierInput {
    /// Dossier date: the statement is "arrêté au" this date, the requête is dated on it, and
    /// the ZIP entries carry it as their timestamp.
    pub date: NaiveDate,
    /// City of "Fait à {place}".
    pub place: String,
    /// The case reference, e.g. "REC-2026-000031".
    pub case_reference: String,
    /// The court the requête is addressed to (CPC 1406).
    pub court: CourtInfo,
    /// The requérant.
    pub creditor: CompanyParty,
    /// The debtor.
    pub debtor: DebtorParty,
    /// Who files the requête for the creditor.
    pub filer: Filer,
    /// The basis of the claim, French prose (CPC 1407: "le fondement de celle-ci").
    pub basis: String,
    /// The invoices, in the statement's order.
    pub invoices: Vec<InvoiceLine>,
    /// The claim engine's statement as of `date`; its figures are shown, never recomputed.
    pub statement: Statement,
    /// How interest is computed, e.g. "taux BCE + 10 points (C. com. L441-10 II)".
    pub interest_basis: String,
    /// CPC 1408: ask that, on opposition, the case go straight to the court.
    pub transfer_on_opposition: bool,
    /// The exhibits, numbered 1..n in this order (CPC 1407: the bordereau).
    pub exhibits: Vec<Exhibit>,
}

/// The court and how the requête addresses its judge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CourtInfo {
    /// E.g. "Monsieur ou Madame le Président du tribunal de commerce".
    pub judge: String,
    /// E.g. "Tribunal de commerce de Dijon".
    pub name: String,
    /// The cerfa form whose sections the requête mirrors: "12946" (tribunal de commerce),
    /// "12948*06" (tribunal judiciaire), "16040*01" (juge des contentieux de la protection).
    pub cerfa: String,
}

/// A company party (CPC 54 and 57: legal form, name, seat, the body representing it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompanyParty {
    /// Company name.
    pub name: String,
    /// Legal form, e.g. "SAS".
    pub legal_form: String,
    /// SIREN number; may be empty for a debtor whose number is unknown.
    pub siren: String,
    /// Registered office, one line per entry.
    pub address_lines: Vec<String>,
    /// The body representing it, e.g. "pris en la personne de son représentant légal
    /// domicilié en cette qualité audit siège".
    pub representative: String,
}

/// The debtor: a company or a natural person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DebtorParty {
    /// A company.
    Company(CompanyParty),
    /// A natural person (CPC 57 requires surnames, first names and domicile only, not
    /// nationality or birth; profession and birth are printed when
    /// known).
    Individual {
        /// Surname(s).
        surname: String,
        /// First name(s).
        first_names: String,
        /// Domicile, one line per entry.
        address_lines: Vec<String>,
        /// Profession, printed only when given.
        profession: Option<String>,
        /// Date and place of birth as one phrase, e.g. "le 3 mai 1980 à Dijon (21)";
        /// printed only when given.
        birth: Option<String>,
    },
}

impl DebtorParty {
    /// The name as printed in sentences: the company name, or first names and surname.
    pub fn display_name(&self) -> String {
        match self {
            DebtorParty::Company(c) => c.name.clone(),
            DebtorParty::Individual {
                surname,
                first_names,
                ..
            } => format!("{first_names} {surname}"),
        }
    }

    /// The address lines.
    pub fn address_lines(&self) -> &[String] {
        match self {
            DebtorParty::Company(c) => &c.address_lines,
            DebtorParty::Individual { address_lines, .. } => address_lines,
        }
    }
}

/// Who files and signs the requête.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filer {
    /// Name, e.g. "Maître Claire Dubois".
    pub name: String,
    /// "Avocat" or "Mandataire".
    pub capacity: String,
    /// Firm, if any.
    pub firm: Option<String>,
    /// Professional address, one line per entry.
    pub address_lines: Vec<String>,
}

/// One invoice of the claim (what the statement does not carry: the issue date).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoiceLine {
    /// Invoice number; must match the statement line at the same position.
    pub number: String,
    /// Issue date.
    pub issue_date: NaiveDate,
    /// Due date; must match the statement.
    pub due_date: NaiveDate,
    /// Amount incl. VAT; must match the statement's `principal_original`.
    pub amount: Decimal,
}

impl From<&crate::domain::claim::InvoiceInput> for InvoiceLine {
    /// The line of an invoice the claim engine computed.
    fn from(i: &crate::domain::claim::InvoiceInput) -> Self {
        InvoiceLine {
            number: i.number.clone(),
            issue_date: i.issue_date,
            due_date: i.due_date,
            amount: i.amount,
        }
    }
}

/// One exhibit (pièce) as recorded in the evidence store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exhibit {
    /// Its number in the bordereau, 1..n.
    pub number: u32,
    /// Title, e.g. "Facture F-2026-118 du 12 juin 2026".
    pub title: String,
    /// The document's own date (entered at upload; the upload day by default).
    pub date: NaiveDate,
    /// Its nature as the creditor chose it at upload, in French (« Facture », « Contrat »).
    pub nature: String,
    /// Media type as typed from the bytes by the evidence store, e.g. "application/pdf".
    pub media_type: String,
    /// SHA-256 of the bytes, 64 lowercase hex digits.
    pub sha256: String,
    /// Size of the bytes.
    pub size_bytes: u64,
    /// Sanitised original file name.
    pub filename: String,
}

/// Where exhibit bytes come from (the caller reads the evidence store, which re-checks the
/// hash). The dossier asks for each exhibit once per document it builds, one at a time, and
/// drops the bytes before asking for the next, so memory stays bounded by the largest one.
pub trait ExhibitSource {
    /// The bytes of `exhibit`.
    fn bytes(&self, exhibit: &Exhibit) -> Result<Vec<u8>, DossierError>;
}
