//! Statements of the agency's dedicated account (CPCE R124-2: the funds collected for
//! creditors go through an account opened for them alone): what a statement says, read from
//! ISO 20022 camt.053 ([`camt053`]) or from a CSV export with a column mapping ([`csv`]), the
//! key that makes each booked entry recorded once ever ([`dedupe_keys`]), and the rules that
//! match a credit to a case ([`matching`]).
//!
//! Money is integer cents from the start (`rust_decimal` parses, checked to the cent, never
//! a float); only euros are taken: the account is a French one, and a payment recorded on a
//! case is in euros (C. mon. fin. L111-1).

pub mod camt053;
pub mod csv;
pub mod matching;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use sha2::{Digest, Sha256};

use super::money;
use super::Invalid;

/// The largest statement file taken: a month of a busy account in camt.053 is a few
/// megabytes.
pub const MAX_FILE_BYTES: usize = 16 * 1024 * 1024;
/// The most entries one file may carry (bounds the import's one transaction).
pub const MAX_ENTRIES: usize = 20_000;

/// The formats a statement is read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Camt053,
    Csv,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Camt053 => "camt053",
            Format::Csv => "csv",
        }
    }

    pub fn parse(s: &str) -> Result<Format, Invalid> {
        match s
            .trim()
            .to_ascii_lowercase()
            .replace(['.', '-', '_'], "")
            .as_str()
        {
            "camt053" | "camt" | "xml" => Ok(Format::Camt053),
            "csv" => Ok(Format::Csv),
            _ => Err(Invalid::new(format!(
                "« {s} » is not a statement format (camt053 or csv)"
            ))),
        }
    }
}

/// Money into the account (a payment from a debtor) or out of it (a remittance, fees).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Credit,
    Debit,
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Credit => "credit",
            Direction::Debit => "debit",
        }
    }
}

/// One booked entry of a statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The line of the file where the entry starts (the CSV record, the camt `Ntry`).
    pub line: usize,
    pub booked_on: NaiveDate,
    /// Strictly positive; the direction says which way.
    pub amount_cents: i64,
    pub direction: Direction,
    /// Who paid (a credit) or was paid (a debit), as the bank wrote it.
    pub payer_name: Option<String>,
    /// The remittance information (« libellé », `RmtInf`): where a debtor writes the case
    /// reference.
    pub remittance: Option<String>,
    /// The bank's own reference of the entry (`AcctSvcrRef`), unique on the account.
    pub servicer_ref: Option<String>,
}

/// One statement: the account, its entries, and the closing balance when the file gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    /// The statement's own id (camt `Stmt/Id`), or the file's hash for a CSV export.
    pub identity: String,
    pub iban: String,
    /// Signed cents and the day: the booked closing balance (camt `Bal` of type `CLBD`).
    pub closing_balance: Option<(i64, NaiveDate)>,
    pub entries: Vec<Entry>,
}

/// An entry left out of the import, with its line and why (another currency).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    pub line: usize,
    pub reason: String,
}

/// What a file holds.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Parsed {
    pub statements: Vec<Statement>,
    /// Entries refused one by one; the others are imported.
    pub refused: Vec<Refused>,
    /// Entries not booked yet (camt status `PDNG`, `INFO`): left for a later statement.
    pub pending: usize,
}

/// An amount as a bank writes it (`1234.56`, no sign: the direction is apart) in cents:
/// at most two decimals, more than zero, at most [`money::MAX_AMOUNT_CENTS`].
pub fn cents_of(text: &str) -> Result<i64, Invalid> {
    let t = text.trim();
    if t.is_empty() || !t.chars().all(|c| c.is_ascii_digit() || c == '.') {
        return Err(Invalid::new(format!("« {t} » is not an amount")));
    }
    let d: Decimal = t
        .parse()
        .map_err(|_| Invalid::new(format!("« {t} » is not an amount")))?;
    if d <= Decimal::ZERO {
        return Err(Invalid::new("an entry's amount must be greater than zero"));
    }
    if d > money::from_cents(money::MAX_AMOUNT_CENTS) {
        return Err(money::too_large());
    }
    money::to_cents(d)
}

/// The key each entry is stored under, once ever: the bank's reference (unique on the
/// account) with the IBAN, else a SHA-256 of the entry's fields and its rank among the
/// entries of the file with the same fields (two identical transfers on one day are two
/// entries; the same file imported again gives the same keys).
pub fn dedupe_keys(st: &Statement) -> Vec<String> {
    let mut seen: Vec<(String, usize)> = Vec::new();
    st.entries
        .iter()
        .map(|e| {
            if let Some(r) = e.servicer_ref.as_deref().filter(|r| !r.trim().is_empty()) {
                return format!("ref:{}:{}", st.iban, r.trim());
            }
            let fields = format!(
                "{}\n{}\n{}\n{}\n{}\n{}",
                st.iban,
                e.booked_on,
                e.direction.as_str(),
                e.amount_cents,
                e.payer_name.as_deref().unwrap_or(""),
                e.remittance.as_deref().unwrap_or(""),
            );
            let rank = match seen.iter_mut().find(|(f, _)| *f == fields) {
                Some((_, n)) => {
                    *n += 1;
                    *n
                }
                None => {
                    seen.push((fields.clone(), 1));
                    1
                }
            };
            let digest = Sha256::digest(format!("{fields}\n{rank}").as_bytes());
            format!("sha256:{}", hex::encode(digest))
        })
        .collect()
}

/// The text of a file: UTF-8 (with or without its byte-order mark).
pub fn text_of(bytes: &[u8]) -> Result<&str, Invalid> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    std::str::from_utf8(bytes).map_err(|e| {
        let line = bytes[..e.valid_up_to()]
            .iter()
            .filter(|b| **b == b'\n')
            .count()
            + 1;
        Invalid::new(format!("not UTF-8 text (line {line})"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn entry(amount: i64, remittance: &str, r: Option<&str>) -> Entry {
        Entry {
            line: 1,
            booked_on: d("2026-05-04"),
            amount_cents: amount,
            direction: Direction::Credit,
            payer_name: Some("MARTIN".into()),
            remittance: Some(remittance.into()),
            servicer_ref: r.map(String::from),
        }
    }

    #[test]
    fn amounts_are_cents_to_the_cent_and_never_rounded() {
        assert_eq!(cents_of("1234.56"), Ok(123_456));
        assert_eq!(cents_of("12"), Ok(1200));
        assert_eq!(cents_of(" 0.5 "), Ok(50));
        assert!(cents_of("1.005").is_err());
        assert!(cents_of("0").is_err());
        assert!(cents_of("-3").is_err());
        assert!(cents_of("1e3").is_err());
        assert!(cents_of("1000000000.01").is_err());
        assert!(cents_of("99999999999999999999999999999").is_err());
    }

    #[test]
    fn the_bank_reference_is_the_key_else_a_hash_ranked_among_identical_entries() {
        let st = Statement {
            identity: "S1".into(),
            iban: "FR7630006000011234567890189".into(),
            closing_balance: None,
            entries: vec![
                entry(100, "REC-2026-000001", Some("REF-1")),
                entry(100, "REC-2026-000001", None),
                entry(100, "REC-2026-000001", None),
            ],
        };
        let keys = dedupe_keys(&st);
        assert_eq!(keys[0], "ref:FR7630006000011234567890189:REF-1");
        assert!(keys[1].starts_with("sha256:"));
        assert_ne!(keys[1], keys[2], "two identical transfers are two entries");
        assert_eq!(keys, dedupe_keys(&st), "the same file gives the same keys");
    }

    #[test]
    fn formats_are_named_loosely() {
        assert_eq!(Format::parse("camt.053"), Ok(Format::Camt053));
        assert_eq!(Format::parse("CSV"), Ok(Format::Csv));
        assert!(Format::parse("ofx").is_err());
    }
}
