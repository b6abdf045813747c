//! A bank's CSV export of the account, read through a column mapping: which header holds the
//! booking date, the amount (one signed column, or a credit and a debit column), the payer,
//! the remittance information and the bank's reference. Records are split by the case
//! import's reader (`domain::import::csv`: RFC 4180 quoting, `;` or `,`, each record's line).
//! Dates are `JJ/MM/AAAA` or `AAAA-MM-JJ`; amounts are written the French way or not
//! (`-1 234,56`, `1234.56`). Any record that does not read refuses the file, naming its line.
//! A CSV export carries no closing balance: the account's balance comes from camt.053 files.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::{Direction, Entry, Parsed, Refused, Statement, MAX_ENTRIES};
use crate::domain::import::csv::{detect_separator, records, CsvError};
use crate::domain::search::fold;
use crate::domain::{money, Invalid};

/// Which header names each field (compared without case, accents or surrounding spaces).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mapping {
    pub date: String,
    /// A signed amount (credits positive); or `credit` and `debit` below.
    pub amount: Option<String>,
    pub credit: Option<String>,
    pub debit: Option<String>,
    pub payer: Option<String>,
    pub remittance: String,
    pub reference: Option<String>,
    /// A currency column, when the export has one: rows in another currency are refused.
    pub currency: Option<String>,
}

impl Default for Mapping {
    /// The columns of the usual French export: « Date ; Libellé ; Montant ».
    fn default() -> Self {
        Mapping {
            date: "Date".into(),
            amount: Some("Montant".into()),
            credit: None,
            debit: None,
            payer: None,
            remittance: "Libellé".into(),
            reference: None,
            currency: None,
        }
    }
}

fn col(header: &[String], name: &str) -> Result<usize, Invalid> {
    let want = fold(name.trim());
    header
        .iter()
        .position(|h| fold(h.trim()) == want)
        .ok_or_else(|| Invalid::new(format!("the header line has no column « {} »", name.trim())))
}

fn opt_col(header: &[String], name: &Option<String>) -> Result<Option<usize>, Invalid> {
    name.as_deref()
        .filter(|n| !n.trim().is_empty())
        .map(|n| col(header, n))
        .transpose()
}

fn date_of(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    NaiveDate::parse_from_str(s, "%d/%m/%Y")
        .or_else(|_| NaiveDate::parse_from_str(s, "%Y-%m-%d"))
        .ok()
}

fn signed_amount(s: &str) -> Result<Decimal, Invalid> {
    money::parse_amount(&money::normalise_amount(s).replace('+', ""))
}

/// Reads a CSV export of the account `iban` (the file does not say which account it is).
pub fn parse(text: &str, iban: &str, mapping: &Mapping, identity: &str) -> Result<Parsed, Invalid> {
    let sep = detect_separator(text);
    let recs = records(text, sep, MAX_ENTRIES).map_err(|e| match e {
        CsvError::UnclosedQuote { line } => {
            Invalid::new(format!("line {line}: a quoted field is never closed"))
        }
        CsvError::AfterQuote { line } => {
            Invalid::new(format!("line {line}: characters after a closing quote"))
        }
        CsvError::TooManyRecords { max } => {
            Invalid::new(format!("more than {max} entries in one file"))
        }
    })?;
    let mut recs = recs.into_iter();
    let header = recs
        .next()
        .ok_or_else(|| Invalid::new("an empty file: a header line is expected"))?;
    let h = &header.fields;
    let date = col(h, &mapping.date)?;
    let remittance = col(h, &mapping.remittance)?;
    let amount = opt_col(h, &mapping.amount)?;
    let credit = opt_col(h, &mapping.credit)?;
    let debit = opt_col(h, &mapping.debit)?;
    if amount.is_none() && (credit.is_none() || debit.is_none()) {
        return Err(Invalid::new(
            "the mapping names an amount column, or a credit and a debit column",
        ));
    }
    let payer = opt_col(h, &mapping.payer)?;
    let reference = opt_col(h, &mapping.reference)?;
    let currency = opt_col(h, &mapping.currency)?;
    let mut out = Parsed::default();
    let mut entries = Vec::new();
    for r in recs {
        let line = r.line;
        let at = |reason: String| Invalid::new(format!("line {line}: {reason}"));
        let cell = |i: usize| r.fields.get(i).map(|s| s.trim()).unwrap_or("");
        let text_of = |i: Option<usize>| {
            i.map(cell)
                .filter(|s| !s.is_empty())
                .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
        };
        if let Some(c) = currency {
            let c = cell(c);
            if !c.is_empty() && !c.eq_ignore_ascii_case("EUR") && c != "€" {
                out.refused.push(Refused {
                    line,
                    reason: format!("an amount in {c}, not in euros"),
                });
                continue;
            }
        }
        let booked_on = date_of(cell(date))
            .ok_or_else(|| at(format!("« {} » is not a date (JJ/MM/AAAA)", cell(date))))?;
        let signed = match amount {
            Some(a) => signed_amount(cell(a)).map_err(|e| at(e.0))?,
            None => {
                let (c, d) = (
                    credit.map(cell).unwrap_or(""),
                    debit.map(cell).unwrap_or(""),
                );
                match (c.is_empty(), d.is_empty()) {
                    (false, true) => signed_amount(c).map_err(|e| at(e.0))?.abs(),
                    (true, false) => -signed_amount(d).map_err(|e| at(e.0))?.abs(),
                    _ => {
                        return Err(at(
                            "one of the credit and debit columns holds the amount".into()
                        ))
                    }
                }
            }
        };
        if signed == Decimal::ZERO {
            return Err(at("an entry of zero".into()));
        }
        let direction = if signed > Decimal::ZERO {
            Direction::Credit
        } else {
            Direction::Debit
        };
        let amount_cents = money::to_cents(signed.abs()).map_err(|e| at(e.0))?;
        entries.push(Entry {
            line,
            booked_on,
            amount_cents,
            direction,
            payer_name: text_of(payer),
            remittance: text_of(Some(remittance)),
            servicer_ref: text_of(reference),
        });
    }
    out.statements.push(Statement {
        identity: identity.to_string(),
        iban: iban.to_string(),
        closing_balance: None,
        entries,
    });
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const IBAN: &str = "FR7630006000011234567890189";

    #[test]
    fn a_signed_amount_column_gives_credits_and_debits() {
        let text = "Date;Libellé;Montant;Réf\n04/05/2026;VIR M MARTIN REC-2026-000001;\"1 500,00\";B1\n05/05/2026;FRAIS;-12,30;B2\n";
        let m = Mapping {
            reference: Some("ref".into()),
            ..Mapping::default()
        };
        let p = parse(text, IBAN, &m, "csv:1").unwrap();
        let e = &p.statements[0].entries;
        assert_eq!(e.len(), 2);
        assert_eq!(
            (e[0].amount_cents, e[0].direction),
            (150_000, Direction::Credit)
        );
        assert_eq!(e[0].servicer_ref.as_deref(), Some("B1"));
        assert_eq!(e[0].line, 2);
        assert_eq!(
            (e[1].amount_cents, e[1].direction),
            (1230, Direction::Debit)
        );
    }

    #[test]
    fn credit_and_debit_columns_and_iso_dates() {
        let text =
            "date,label,credit,debit\n2026-05-04,REC 2026 000001,250.00,\n2026-05-05,fee,,3.00\n";
        let m = Mapping {
            date: "date".into(),
            amount: None,
            credit: Some("Credit".into()),
            debit: Some("Debit".into()),
            remittance: "label".into(),
            ..Mapping::default()
        };
        let p = parse(text, IBAN, &m, "csv:1").unwrap();
        let e = &p.statements[0].entries;
        assert_eq!(
            (e[0].amount_cents, e[0].direction),
            (25_000, Direction::Credit)
        );
        assert_eq!((e[1].amount_cents, e[1].direction), (300, Direction::Debit));
    }

    #[test]
    fn a_bad_record_refuses_the_file_with_its_line() {
        let text = "Date;Libellé;Montant\n04/05/2026;ok;1,00\n31/02/2026;bad;2,00\n";
        let e = parse(text, IBAN, &Mapping::default(), "csv:1").unwrap_err();
        assert_eq!(e.0, "line 3: « 31/02/2026 » is not a date (JJ/MM/AAAA)");
        let e = parse("Jour;Texte\n", IBAN, &Mapping::default(), "csv:1").unwrap_err();
        assert_eq!(e.0, "the header line has no column « Date »");
        let e = parse(
            "Date;Libellé;Montant\n04/05/2026;x;1,005\n",
            IBAN,
            &Mapping::default(),
            "c",
        )
        .unwrap_err();
        assert_eq!(e.0, "line 2: an amount has at most 2 decimals (cents)");
    }
}
