//! Identifiers with rules: the SIREN of a French company, e-mail addresses, case references.

use super::Invalid;

/// A SIREN: 9 digits whose Luhn checksum is valid (INSEE).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Siren(String);

impl Siren {
    /// Accepts spaces between digit groups (`732 829 320`).
    pub fn parse(s: &str) -> Result<Siren, Invalid> {
        let digits: String = s.chars().filter(|c| !c.is_whitespace()).collect();
        if digits.len() != 9 || !digits.chars().all(|c| c.is_ascii_digit()) {
            return Err(Invalid::new("a SIREN has exactly 9 digits"));
        }
        if !luhn_valid(&digits) {
            return Err(Invalid::new(format!(
                "{digits} is not a valid SIREN (checksum)"
            )));
        }
        Ok(Siren(digits))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An IBAN as it is read and typed: groups of four characters.
pub fn iban_grouped(iban: &str) -> String {
    let compact: Vec<char> = iban.chars().filter(|c| !c.is_whitespace()).collect();
    compact
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join(" ")
}

/// An IBAN (ISO 13616): country code, check digits, then the account; the mod-97 check must
/// give 1. Stored without spaces, upper-case.
pub fn parse_iban(s: &str) -> Result<String, Invalid> {
    let iban: String = s
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_uppercase();
    if !(15..=34).contains(&iban.len())
        || !iban.chars().all(|c| c.is_ascii_alphanumeric())
        || !iban[..2].chars().all(|c| c.is_ascii_uppercase())
        || !iban[2..4].chars().all(|c| c.is_ascii_digit())
    {
        return Err(Invalid::new(
            "an IBAN is a country code, two check digits and the account (15 to 34 characters)",
        ));
    }
    let rearranged = format!("{}{}", &iban[4..], &iban[..4]);
    let mut rem: u32 = 0;
    for c in rearranged.chars() {
        let v = c.to_digit(36).unwrap_or(0);
        rem = if v >= 10 {
            (rem * 100 + v) % 97
        } else {
            (rem * 10 + v) % 97
        };
    }
    if rem != 1 {
        return Err(Invalid::new(format!(
            "{iban} is not a valid IBAN (checksum)"
        )));
    }
    Ok(iban)
}

fn luhn_valid(digits: &str) -> bool {
    let sum: u32 = digits
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            if !i.is_multiple_of(2) {
                let dd = d * 2;
                if dd > 9 {
                    dd - 9
                } else {
                    dd
                }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// An e-mail address, trimmed and lower-cased (logins are case-insensitive).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub fn parse(s: &str) -> Result<Email, Invalid> {
        let e = s.trim().to_lowercase();
        let bad = || Invalid::new(format!("« {} » is not a valid e-mail address", s.trim()));
        if e.len() > 254 || e.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(bad());
        }
        let (local, domain) = e.split_once('@').ok_or_else(bad)?;
        let domain_ok = domain.contains('.')
            && !domain.contains('@')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..")
            && domain
                .chars()
                .all(|c| c.is_alphanumeric() || c == '.' || c == '-');
        if local.is_empty() || local.len() > 64 || !domain_ok {
            return Err(bad());
        }
        Ok(Email(e))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The reference of a case: `REC-YYYY-NNNNNN`, numbered per year of opening.
pub fn case_reference(year: i32, number: i64) -> String {
    format!("REC-{year:04}-{number:06}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn real_sirens_pass_the_luhn_check() {
        // Published SIRENs: Michelin, Renault, Danone.
        for s in ["855 200 887", "441639465", "552032534"] {
            assert!(Siren::parse(s).is_ok(), "{s}");
        }
        assert_eq!(Siren::parse("855 200 887").unwrap().as_str(), "855200887");
    }

    #[test]
    fn bad_sirens_are_refused() {
        assert!(Siren::parse("855200888").is_err()); // checksum
        assert!(Siren::parse("12345678").is_err()); // 8 digits
        assert!(Siren::parse("85520088A").is_err());
        assert!(Siren::parse("").is_err());
    }

    #[test]
    fn emails_are_normalised_and_checked() {
        assert_eq!(
            Email::parse("  Jean.Dupont@Exemple.FR ").unwrap().as_str(),
            "jean.dupont@exemple.fr"
        );
        for bad in [
            "", "a", "a@b", "a@@b.fr", "a b@c.fr", "@c.fr", "a@.fr", "a@c..fr",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn references_are_zero_padded() {
        assert_eq!(case_reference(2026, 42), "REC-2026-000042");
    }

    #[test]
    fn ibans_are_checked_with_mod_97() {
        assert_eq!(
            parse_iban("FR76 3000 6000 0112 3456 7890 189").unwrap(),
            "FR7630006000011234567890189"
        );
        assert!(parse_iban("FR76 3000 6000 0112 3456 7890 188").is_err());
        assert!(parse_iban("12345").is_err());
    }
}
