//! The debtor as the court choice sees it: a trader or not (LEGAL.md §5).
//!
//! The debtor is a trader when it is a company of a commercial form (table
//! [`COMMERCIAL_FORMS`], C. com. L210-1), or an individual (or an individual
//! business form such as EI) registered with a SIREN and not acting as a
//! consumer *(convention, the lawyer confirms)*. Civil companies, associations
//! and the liberal professions' SEL* companies are civil ([`CIVIL_FORMS`]); any
//! other form is unknown and sent to the judicial court with a note asking to
//! check it.

use super::names::form_key;

/// What the court choice needs to know about the debtor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DebtorProfile {
    /// A legal person (company, association...) rather than an individual.
    pub is_company: bool,
    /// Legal form as entered (`"SAS"`, `"S.A.R.L."`, `"SCI"`...), any case.
    pub legal_form: Option<String>,
    /// Registered with a SIREN.
    pub has_siren: bool,
    /// Acts as a consumer (C. conso. liminaire): never a trader.
    pub is_consumer: bool,
    /// Postal code of the seat or domicile.
    pub postal_code: String,
    /// City of the seat or domicile.
    pub city: String,
    /// ISO 3166-1 alpha-2 country code, `"FR"` for France.
    pub country: String,
}

impl DebtorProfile {
    /// The country code, trimmed and upper-cased.
    pub fn country_code(&self) -> String {
        self.country.trim().to_uppercase()
    }

    /// Whether the seat or domicile is in France.
    pub fn is_in_france(&self) -> bool {
        self.country_code() == "FR"
    }

    /// Whether the debtor counts as a trader (see the module doc).
    pub fn is_trader(&self) -> bool {
        trader_status(self).0
    }
}

/// How a legal form is classed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LegalFormKind {
    /// Commercial by its form whatever its object (C. com. L210-1).
    Commercial,
    /// Civil company, association, or liberal profession's company.
    Civil,
    /// An individual's business (EI, micro-entrepreneur): a trader when it has
    /// a SIREN and is not a consumer *(convention)*.
    IndividualBusiness,
    /// Not in the tables: the lawyer checks it.
    Unknown,
}

/// Legal forms commercial by their form (C. com. L210-1 al. 2: SNC, SCS,
/// SARL, SA, SAS, SCA; plus their one-member variants and the SE).
/// Compared without case, accents, dots, spaces or hyphens.
pub const COMMERCIAL_FORMS: &[&str] = &[
    "SARL",
    "SARLU",
    "EURL",
    "SAS",
    "SASU",
    "SA",
    "SNC",
    "SCS",
    "SCA",
    "SE",
    "Société à responsabilité limitée",
    "Entreprise unipersonnelle à responsabilité limitée",
    "Société par actions simplifiée",
    "Société par actions simplifiée unipersonnelle",
    "Société anonyme",
    "Société en nom collectif",
    "Société en commandite simple",
    "Société en commandite par actions",
    "Société européenne",
];

/// Civil forms: civil companies (C. civ. 1845), associations, farming
/// companies, and the companies of the liberal professions (SEL*, loi
/// n° 90-1258), whose object is civil although their form is commercial.
pub const CIVIL_FORMS: &[&str] = &[
    "SC",
    "SCI",
    "SCP",
    "SCM",
    "SCEA",
    "SCCV",
    "GAEC",
    "EARL",
    "GFA",
    "SELARL",
    "SELEURL",
    "SELAS",
    "SELASU",
    "SELAFA",
    "SELCA",
    "SPFPL",
    "Société civile",
    "Société civile immobilière",
    "Société civile professionnelle",
    "Société civile de moyens",
    "Société d'exercice libéral",
    "Association",
    "Association loi 1901",
];

/// Forms that are an individual's business, not a separate company.
pub const INDIVIDUAL_FORMS: &[&str] = &[
    "EI",
    "EIRL",
    "Entrepreneur individuel",
    "Entreprise individuelle",
    "Micro-entrepreneur",
    "Micro-entreprise",
    "Auto-entrepreneur",
];

/// Classes a legal form (case-, accent- and punctuation-insensitive).
pub fn legal_form_kind(form: &str) -> LegalFormKind {
    let key = form_key(form);
    let is_in = |table: &[&str]| table.iter().any(|f| form_key(f) == key);
    if key.is_empty() {
        LegalFormKind::Unknown
    } else if is_in(COMMERCIAL_FORMS) {
        LegalFormKind::Commercial
    } else if is_in(CIVIL_FORMS) {
        LegalFormKind::Civil
    } else if is_in(INDIVIDUAL_FORMS) {
        LegalFormKind::IndividualBusiness
    } else {
        LegalFormKind::Unknown
    }
}

/// Whether the debtor is a trader, and the French words saying why (or why not).
pub(super) fn trader_status(d: &DebtorProfile) -> (bool, String) {
    if d.is_consumer {
        return (false, "le débiteur est un consommateur".into());
    }
    let form = d.legal_form.as_deref().map(str::trim).unwrap_or("");
    let siren_trader = |who: &str| {
        if d.has_siren {
            (
                true,
                format!(
                    "le débiteur est {who} immatriculé (SIREN), traité comme commerçant \
                     par convention, à confirmer par l'avocat"
                ),
            )
        } else {
            (false, format!("le débiteur est {who} sans SIREN"))
        }
    };
    if !d.is_company {
        return siren_trader("un particulier");
    }
    match legal_form_kind(form) {
        LegalFormKind::Commercial => (
            true,
            format!(
                "le débiteur est une société commerciale par la forme ({form}, C. com. L210-1)"
            ),
        ),
        LegalFormKind::IndividualBusiness => {
            siren_trader(&format!("un entrepreneur individuel ({form})"))
        }
        LegalFormKind::Civil => (
            false,
            format!("le débiteur est une structure civile ou libérale ({form})"),
        ),
        LegalFormKind::Unknown if form.is_empty() => (
            false,
            "la forme juridique du débiteur n'est pas renseignée : à vérifier par l'avocat".into(),
        ),
        LegalFormKind::Unknown => (
            false,
            format!(
                "la forme juridique du débiteur (« {form} ») n'est pas une forme commerciale \
                 connue : à vérifier par l'avocat"
            ),
        ),
    }
}
