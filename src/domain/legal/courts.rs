//! The directory of real courts and the territory rule of CPC 1406: the requête goes to the
//! court of the place where the debtor lives or has its seat. Courts and their territories
//! are data (`assets/courts/directory.json`, its source and version inside; an admin imports a
//! newer one), never a name made from the debtor's town.
//!
//! A court's territory is a list of whole départements and a list of communes (INSEE codes).
//! The debtor's address gives a département (from the postal code) and, where the directory
//! knows the communes of that département, the commune (postal code, then the town's name
//! when a postal code covers several). The directory decides only when exactly one court of
//! the wanted nature covers that place on that day; otherwise it names the courts to choose
//! from, and the lawyer chooses.

use chrono::NaiveDate;

use super::court::CourtKind;
use super::names::city_key;
use crate::domain::Invalid;

/// One court of the directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Court {
    /// Stable identifier, e.g. `tj-lyon`.
    pub id: String,
    /// Which kind of court.
    pub kind: CourtKind,
    /// Official name, as it heads the requête (« Tribunal judiciaire de Lyon »).
    pub name: String,
    /// The town of its seat.
    pub seat: String,
    /// Départements wholly in its territory (`"92"`, `"2A"`, `"971"`).
    pub departements: Vec<String>,
    /// Communes of its territory (INSEE codes), besides the whole départements.
    pub communes: Vec<String>,
    /// First day it exists (the TAE: 1 January 2025), if limited.
    pub valid_from: Option<NaiveDate>,
    /// Last day it exists (the TAE: 31 December 2028), if limited.
    pub valid_until: Option<NaiveDate>,
    /// The text its seat and territory come from.
    pub source: String,
}

impl Court {
    /// Whether the court exists on `day`.
    pub fn exists_on(&self, day: NaiveDate) -> bool {
        self.valid_from.is_none_or(|f| f <= day) && self.valid_until.is_none_or(|u| day <= u)
    }

    /// Whether its territory is described at all (a court listed with its seat only is never
    /// proposed, only chosen).
    pub fn has_territory(&self) -> bool {
        !self.departements.is_empty() || !self.communes.is_empty()
    }
}

/// A commune the directory knows, to turn a postal code into a commune.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Commune {
    /// INSEE code.
    pub insee: String,
    /// Official name.
    pub name: String,
    /// Its postal codes.
    pub postal_codes: Vec<String>,
}

/// The directory: its version, its source, the courts and the communes it knows.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CourtDirectory {
    /// Version date of the data, e.g. `2026-12-01`.
    pub version: String,
    /// Where the data comes from.
    pub source: String,
    /// The courts.
    pub courts: Vec<Court>,
    /// The communes of the départements whose territories are given commune by commune.
    pub communes: Vec<Commune>,
}

/// The nature of the claim, which decides the kind of court (CPC 1406).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nature {
    /// Commercial: the tribunal de commerce, or the TAE where and while it replaces it.
    Commercial,
    /// Civil: the tribunal judiciaire.
    Civil,
}

impl Nature {
    fn admits(self, kind: CourtKind) -> bool {
        match self {
            Nature::Commercial => matches!(
                kind,
                CourtKind::CommercialCourt | CourtKind::EconomicActivitiesCourt
            ),
            Nature::Civil => kind == CourtKind::JudicialCourt,
        }
    }
}

/// What the directory says about a place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolution<'a> {
    /// The competent court, when the directory decides.
    pub court: Option<&'a Court>,
    /// When it does not: the courts the lawyer chooses from (never empty unless the
    /// directory has no court of that nature at all).
    pub candidates: Vec<&'a Court>,
    /// Why, in French.
    pub why: String,
}

/// The département of a French postal code: two digits, three for overseas (97x, 98x);
/// Corsica (20xxx) is left undecided (2A or 2B), as is anything that is not five digits.
pub fn departement_of(postal_code: &str) -> Option<String> {
    let p = postal_code.trim();
    if p.len() != 5 || !p.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    match &p[..2] {
        "20" => None,
        "97" | "98" => Some(p[..3].to_string()),
        d => Some(d.to_string()),
    }
}

impl CourtDirectory {
    /// Checks the directory before it is used or stored: every court named, of a known kind,
    /// with unique ids and names; codes well formed; dates in order.
    pub fn check(&self) -> Result<(), Invalid> {
        if self.version.trim().is_empty() {
            return Err(Invalid::new("the court directory has no version"));
        }
        if self.source.trim().is_empty() {
            return Err(Invalid::new("the court directory names no source"));
        }
        if self.courts.is_empty() {
            return Err(Invalid::new("the court directory lists no court"));
        }
        let mut ids = std::collections::HashSet::new();
        let mut names = std::collections::HashSet::new();
        for c in &self.courts {
            if c.id.trim().is_empty() || c.name.trim().is_empty() || c.seat.trim().is_empty() {
                return Err(Invalid::new(format!(
                    "court {:?}: id, name and seat are required",
                    c.id
                )));
            }
            if !ids.insert(c.id.as_str()) {
                return Err(Invalid::new(format!("court id {} appears twice", c.id)));
            }
            if !names.insert(city_key(&c.name)) {
                return Err(Invalid::new(format!("court {} appears twice", c.name)));
            }
            if let Some(d) = c.departements.iter().find(|d| !is_departement(d)) {
                return Err(Invalid::new(format!(
                    "court {}: {d:?} is not a département code",
                    c.id
                )));
            }
            if let Some(code) = c.communes.iter().find(|code| !is_insee(code)) {
                return Err(Invalid::new(format!(
                    "court {}: {code:?} is not an INSEE commune code",
                    c.id
                )));
            }
            if let (Some(f), Some(u)) = (c.valid_from, c.valid_until) {
                if u < f {
                    return Err(Invalid::new(format!(
                        "court {}: it ends before it starts",
                        c.id
                    )));
                }
            }
        }
        for m in &self.communes {
            if !is_insee(&m.insee) || m.name.trim().is_empty() {
                return Err(Invalid::new(format!("commune {:?} is malformed", m.insee)));
            }
        }
        Ok(())
    }

    /// The court named `name` (compared without case, accents or punctuation).
    pub fn find_by_name(&self, name: &str) -> Option<&Court> {
        let key = city_key(name);
        self.courts.iter().find(|c| city_key(&c.name) == key)
    }

    /// The court of id `id`.
    pub fn find(&self, id: &str) -> Option<&Court> {
        self.courts.iter().find(|c| c.id == id)
    }

    /// The courts of `nature` existing on `day`.
    fn of_nature(&self, nature: Nature, day: NaiveDate) -> impl Iterator<Item = &Court> {
        self.courts
            .iter()
            .filter(move |c| nature.admits(c.kind) && c.exists_on(day))
    }

    /// The competent court of `nature` on `day` for a debtor at `postal_code` `city`
    /// (CPC 1406: domicile or seat), or the courts to choose from.
    pub fn resolve(
        &self,
        nature: Nature,
        postal_code: &str,
        city: &str,
        day: NaiveDate,
    ) -> Resolution<'_> {
        let courts: Vec<&Court> = self.of_nature(nature, day).collect();
        let Some(dept) = departement_of(postal_code) else {
            return undecided(
                courts,
                format!(
                    "le code postal « {} » ne désigne pas un département de façon certaine",
                    postal_code.trim()
                ),
            );
        };
        let whole: Vec<&Court> = courts
            .iter()
            .copied()
            .filter(|c| c.departements.contains(&dept))
            .collect();
        if let [court] = whole[..] {
            return Resolution {
                court: Some(court),
                candidates: vec![],
                why: format!(
                    "le département {dept} est en entier dans le ressort du {} ({})",
                    lower_first(&court.name),
                    court.source
                ),
            };
        }
        if whole.len() > 1 {
            return undecided(
                whole,
                format!("l'annuaire place le département {dept} dans plusieurs ressorts"),
            );
        }
        // Communes of the département's courts: by postal code, then by the town's name.
        let by_code: Vec<&Commune> = self
            .communes
            .iter()
            .filter(|m| m.postal_codes.iter().any(|p| p == postal_code.trim()))
            .collect();
        let key = city_key(city);
        let by_name: Vec<&Commune> = by_code
            .iter()
            .copied()
            .filter(|m| city_key(&m.name) == key)
            .collect();
        let communes = if by_name.is_empty() { by_code } else { by_name };
        let in_dept: Vec<&Court> = courts
            .iter()
            .copied()
            .filter(|c| c.communes.iter().any(|code| code_in(code, &dept)))
            .collect();
        match communes[..] {
            [] => undecided(
                if in_dept.is_empty() { courts } else { in_dept },
                format!(
                    "l'annuaire ne connaît pas la commune de « {} {} »",
                    postal_code.trim(),
                    city.trim()
                ),
            ),
            [commune] => {
                let covering: Vec<&Court> = in_dept
                    .iter()
                    .copied()
                    .filter(|c| c.communes.contains(&commune.insee))
                    .collect();
                match covering[..] {
                    [court] => Resolution {
                        court: Some(court),
                        candidates: vec![],
                        why: format!(
                            "la commune de {} (INSEE {}) est dans le ressort du {} ({})",
                            commune.name,
                            commune.insee,
                            lower_first(&court.name),
                            court.source
                        ),
                    },
                    [] => undecided(
                        if in_dept.is_empty() { courts } else { in_dept },
                        format!(
                            "l'annuaire ne rattache la commune de {} (INSEE {}) à aucun ressort",
                            commune.name, commune.insee
                        ),
                    ),
                    _ => undecided(
                        covering,
                        format!(
                            "l'annuaire place la commune de {} dans plusieurs ressorts",
                            commune.name
                        ),
                    ),
                }
            }
            _ => undecided(
                if in_dept.is_empty() { courts } else { in_dept },
                format!(
                    "le code postal {} couvre plusieurs communes ({}) : à préciser",
                    postal_code.trim(),
                    communes
                        .iter()
                        .map(|m| m.name.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ),
        }
    }
}

fn undecided(candidates: Vec<&Court>, why: String) -> Resolution<'_> {
    Resolution {
        court: None,
        candidates,
        why,
    }
}

/// Whether INSEE `code` is in département `dept` (two characters, three overseas).
fn code_in(code: &str, dept: &str) -> bool {
    code.starts_with(dept)
}

fn is_insee(code: &str) -> bool {
    code.len() == 5
        && code.is_ascii()
        && (code.bytes().all(|b| b.is_ascii_digit())
            || (code.starts_with("2A") || code.starts_with("2B"))
                && code[2..].bytes().all(|b| b.is_ascii_digit()))
}

fn is_departement(d: &str) -> bool {
    matches!(d, "2A" | "2B")
        || (d.len() == 2 && d.bytes().all(|b| b.is_ascii_digit()) && d != "20" && d != "00")
        || (d.len() == 3
            && (d.starts_with("97") || d.starts_with("98"))
            && d.bytes().all(|b| b.is_ascii_digit()))
}

/// « Tribunal judiciaire de Lyon » → « tribunal judiciaire de Lyon », inside a sentence.
fn lower_first(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests;
