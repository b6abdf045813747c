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
    /// The département of its seat: when the directory cannot decide, the courts seated in
    /// the debtor's département are offered first.
    pub seat_departement: Option<String>,
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

    /// Whether it has anything in département `dept`: the whole of it, a commune of it, or
    /// its seat.
    pub fn touches(&self, dept: &str) -> bool {
        self.departements.iter().any(|d| d == dept)
            || self.communes.iter().any(|code| code_in(code, dept))
            || self.seat_departement.as_deref() == Some(dept)
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
    /// The communes the directory knows (every commune of France in the shipped one).
    pub communes: Vec<Commune>,
    /// Postal code → positions in `communes`, built on first use (the agenda resolves a
    /// court for every case: a scan of 35 000 communes each time would dominate it).
    pub postal_index: std::sync::OnceLock<std::collections::HashMap<String, Vec<usize>>>,
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
            if let Some(d) = c
                .departements
                .iter()
                .chain(&c.seat_departement)
                .find(|d| !is_departement(d))
            {
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
    ///
    /// The commune is found first (postal code, then the town's name when the code covers
    /// several), and the département is the commune's (its INSEE code): a postal code may
    /// start with a neighbouring département's number, and Corsica's (20xxx) never tell 2A
    /// from 2B. Without a known commune, the département is read from the postal code.
    pub fn resolve(
        &self,
        nature: Nature,
        postal_code: &str,
        city: &str,
        day: NaiveDate,
    ) -> Resolution<'_> {
        let communes = self.communes_at(postal_code, city);
        let dept = match &communes[..] {
            [first, rest @ ..]
                if rest.iter().all(|m| {
                    departement_of_insee(&m.insee) == departement_of_insee(&first.insee)
                }) =>
            {
                departement_of_insee(&first.insee)
            }
            _ => departement_of(postal_code),
        };
        // C. com. L731-1 et s.: in the Bas-Rhin, the Haut-Rhin and the Moselle there is no
        // tribunal de commerce; the commercial chamber of the tribunal judiciaire hears
        // commercial cases.
        if nature == Nature::Commercial && matches!(dept.as_deref(), Some("57" | "67" | "68")) {
            let mut r = self.resolve_in(Nature::Civil, dept, &communes, postal_code, city, day);
            r.why = format!(
                "en Alsace-Moselle, la chambre commerciale du tribunal judiciaire connaît des \
                 affaires commerciales (C. com. L731-1 et s.) ; {}",
                r.why
            );
            return r;
        }
        self.resolve_in(nature, dept, &communes, postal_code, city, day)
    }

    /// The communes at `postal_code`; those named `city` among them when there are some.
    fn communes_at(&self, postal_code: &str, city: &str) -> Vec<&Commune> {
        let index = self.postal_index.get_or_init(|| {
            let mut index: std::collections::HashMap<String, Vec<usize>> =
                std::collections::HashMap::new();
            for (i, m) in self.communes.iter().enumerate() {
                for p in &m.postal_codes {
                    index.entry(p.clone()).or_default().push(i);
                }
            }
            index
        });
        let by_code: Vec<&Commune> = index
            .get(postal_code.trim())
            .map(|ids| ids.iter().filter_map(|&i| self.communes.get(i)).collect())
            .unwrap_or_default();
        let key = city_key(city);
        let by_name: Vec<&Commune> = by_code
            .iter()
            .copied()
            .filter(|m| city_key(&m.name) == key)
            .collect();
        if by_name.is_empty() {
            by_code
        } else {
            by_name
        }
    }

    fn resolve_in(
        &self,
        nature: Nature,
        dept: Option<String>,
        communes: &[&Commune],
        postal_code: &str,
        city: &str,
        day: NaiveDate,
    ) -> Resolution<'_> {
        let courts: Vec<&Court> = self.of_nature(nature, day).collect();
        let Some(dept) = dept else {
            // Corsica's postal codes (20xxx) do not tell 2A from 2B: the courts of the island.
            let corsica = postal_code.trim().starts_with("20");
            let island: Vec<&Court> = courts
                .iter()
                .copied()
                .filter(|c| corsica && (c.touches("2A") || c.touches("2B")))
                .collect();
            return undecided(
                if island.is_empty() { courts } else { island },
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
        // When undecided: the courts of the département (territory or seat), else all.
        let local: Vec<&Court> = courts
            .iter()
            .copied()
            .filter(|c| c.touches(&dept))
            .collect();
        let offered = || {
            if local.is_empty() {
                courts.clone()
            } else {
                local.clone()
            }
        };
        let in_dept: Vec<&Court> = courts
            .iter()
            .copied()
            .filter(|c| c.communes.iter().any(|code| code_in(code, &dept)))
            .collect();
        match communes {
            [] => undecided(
                offered(),
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
                        offered(),
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
                offered(),
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

/// The département of an INSEE commune code: `2A`/`2B` in Corsica, three digits overseas
/// (971–978, 98x), else the first two digits.
pub fn departement_of_insee(code: &str) -> Option<String> {
    if !is_insee(code) {
        return None;
    }
    match &code[..2] {
        "97" | "98" => Some(code[..3].to_string()),
        d => Some(d.to_string()),
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
