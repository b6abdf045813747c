//! The payload of the European Payments Council's "SEPA credit transfer" QR code (EPC069-12,
//! version 002), which banking apps read to prefill a transfer. Written by hand: it is a dozen
//! lines of text with fixed positions, and no crate on crates.io builds it (the QR code itself
//! is drawn by the `qrcode` crate).

use rust_decimal::Decimal;

/// Why a transfer cannot be put in a QR code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid(pub &'static str);

/// The transfer a debtor makes to the agency's dedicated account (CPCE R124-2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transfer<'a> {
    /// The beneficiary's name (at most 70 characters kept).
    pub name: &'a str,
    /// The beneficiary's IBAN, spaces allowed.
    pub iban: &'a str,
    /// The beneficiary's BIC (optional in version 002 within the EEA).
    pub bic: Option<&'a str>,
    /// The amount in euros, 0.01 to 999 999 999.99.
    pub amount: Decimal,
    /// The unstructured remittance information (the case reference), at most 140 characters.
    pub text: &'a str,
}

/// The EPC069-12 payload: `BCD`, version `002`, UTF-8 (`1`), `SCT`, BIC, name, IBAN,
/// `EUR` + amount, purpose (empty), structured reference (empty), text — one per line.
pub fn payload(t: &Transfer) -> Result<String, Invalid> {
    let iban: String = t.iban.chars().filter(|c| !c.is_whitespace()).collect();
    if iban.len() < 15 || iban.len() > 34 || !iban.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(Invalid("the IBAN is not valid"));
    }
    let amount = t.amount.round_dp(2);
    if amount != t.amount || amount < Decimal::new(1, 2) || amount > Decimal::new(99_999_999_999, 2)
    {
        return Err(Invalid(
            "the amount must be between 0.01 and 999999999.99 euros",
        ));
    }
    let name: String = one_line(t.name).chars().take(70).collect();
    if name.is_empty() {
        return Err(Invalid("the beneficiary has no name"));
    }
    let text: String = one_line(t.text).chars().take(140).collect();
    let bic: String = t
        .bic
        .map(|b| b.chars().filter(|c| !c.is_whitespace()).collect())
        .unwrap_or_default();
    Ok(format!(
        "BCD\n002\n1\nSCT\n{bic}\n{name}\n{iban}\nEUR{amount:.2}\n\n\n{text}",
        iban = iban.to_ascii_uppercase(),
    ))
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn transfer(amount: &str) -> Transfer<'static> {
        Transfer {
            name: "Agence  Exemple\nSAS",
            iban: "FR76 3000 6000 0112 3456 7890 189",
            bic: Some("AGRIFRPP"),
            amount: Decimal::from_str(amount).unwrap(),
            text: "REC-2026-000042",
        }
    }

    #[test]
    fn the_payload_has_the_epc_lines_in_order() {
        assert_eq!(
            payload(&transfer("1234.5")).unwrap(),
            "BCD\n002\n1\nSCT\nAGRIFRPP\nAgence Exemple SAS\nFR7630006000011234567890189\n\
             EUR1234.50\n\n\nREC-2026-000042"
        );
    }

    #[test]
    fn amounts_out_of_range_or_below_the_cent_are_refused() {
        assert!(payload(&transfer("0")).is_err());
        assert!(payload(&transfer("0.001")).is_err());
        assert!(payload(&transfer("1000000000")).is_err());
        assert!(payload(&transfer("0.01")).is_ok());
    }

    #[test]
    fn a_bad_iban_is_refused() {
        let mut t = transfer("10");
        t.iban = "FR76-3000";
        assert!(payload(&t).is_err());
    }
}
