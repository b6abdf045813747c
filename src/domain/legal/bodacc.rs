//! BODACC announcements (Bulletin officiel des annonces civiles et commerciales), read from the
//! DILA's open data: the « annonces-commerciales » dataset, as its opendatasoft export gives it
//! (a JSON array of records; the API's `{"results": [...]}` and the older
//! `{"records": [{"fields": {...}}]}` shapes are taken too).
//!
//! A record carries `id` (« A202600412345 »), `publicationavis` (the bulletin, A for the
//! collective proceedings, B for the radiations), `parution` (the issue, « 20260058 »),
//! `dateparution`, `numeroannonce` (a number, sometimes a text), `registre` (the SIREN, written
//! « 443 061 809,443061809 », or a list of such texts), `commercant`, `tribunal` (in capitals),
//! `familleavis` (`collective`, `radiation`, `immatriculation`, `vente`…), `familleavis_lib`,
//! `typeavis_lib`, and for a judgment `jugement`, a JSON *text* with its `famille`, `nature`,
//! `date` and `complementJugement`.
//!
//! The opening judgment is published at the BODACC by the registry (C. com. R621-8).
//! Only the families that may freeze a claim are kept: the collective proceedings (the opening
//! judgment stops every action of the creditors, C. com. L622-21; the claim is declared within
//! two months of this very publication, R622-24) and the radiations. The rest of a daily file
//! (registrations, sales, filed accounts) is counted and left out.

use chrono::NaiveDate;
use serde::Deserialize;
use serde_json::Value;

use super::incidents::IncidentKind;
use crate::domain::fmt::date_long;
use crate::domain::ids::Siren;
use crate::domain::Invalid;

/// The families of announcements kept.
pub const COLLECTIVE: &str = "collective";
pub const RADIATION: &str = "radiation";

/// One announcement kept from a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Announcement {
    /// What identifies it across files: its `id`, else « parution/numeroannonce ».
    pub identity: String,
    pub published_on: NaiveDate,
    /// The bulletin (`A`, `B`, `C`).
    pub bulletin: Option<String>,
    pub parution: Option<String>,
    pub number: String,
    /// Every valid SIREN of `registre`, without duplicates (the first is the company's).
    pub sirens: Vec<String>,
    /// `collective` or `radiation`.
    pub family: String,
    pub company: Option<String>,
    /// The court, as the bulletin spells it (« TRIBUNAL DE COMMERCE DE LYON »).
    pub court: Option<String>,
    /// The judgment's nature (« Jugement d'ouverture d'une procédure de redressement
    /// judiciaire »); none for a radiation.
    pub nature: Option<String>,
    pub judgment_on: Option<NaiveDate>,
    pub complement: Option<String>,
    /// The record as it was read (kept with the announcement).
    pub raw: String,
}

/// A record left out, with its position in the file (1 for the first record).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    pub record: usize,
    pub reason: String,
}

/// What a file holds.
#[derive(Debug, Clone, Default)]
pub struct Parsed {
    /// Records read.
    pub read: usize,
    pub announcements: Vec<Announcement>,
    /// Records of another family (registrations, sales, accounts…).
    pub ignored: usize,
    pub refused: Vec<Refused>,
}

/// The three shapes of a file.
#[derive(Deserialize)]
#[serde(untagged)]
enum File {
    List(Vec<Value>),
    Results { results: Vec<Value> },
    Records { records: Vec<Value> },
}

/// Parses a file: the JSON export, or the DILA's XML file of the collective proceedings or of
/// the radiations ([`xml`]), told apart by their first sign. A text that is not one of these
/// shapes is refused whole; a record that lacks what identifies it, its date or a valid SIREN
/// is refused alone, with its reason.
pub fn parse(text: &str) -> Result<Parsed, Invalid> {
    let text = text.trim_start_matches('\u{feff}');
    if text.trim_start().starts_with('<') {
        return xml::parse(text).map_err(|e| {
            Invalid::new(format!(
                "not a BODACC export (a JSON list of « annonces-commerciales » records, or a \
                 PCL or RCS-B XML file of the DILA): {}",
                e.0
            ))
        });
    }
    let file: File = serde_json::from_str(text).map_err(|e| {
        Invalid::new(format!(
            "not a BODACC export (a JSON list of « annonces-commerciales » records, or a PCL \
             or RCS-B XML file of the DILA): unreadable at line {}, column {}",
            e.line(),
            e.column()
        ))
    })?;
    let records = match file {
        File::List(r) | File::Results { results: r } | File::Records { records: r } => r,
    };
    let mut parsed = Parsed {
        read: records.len(),
        ..Parsed::default()
    };
    for (i, record) in records.into_iter().enumerate() {
        // The old API wraps each record's fields in `fields`.
        let record = match record {
            Value::Object(mut o) if o.get("fields").is_some_and(Value::is_object) => {
                o.remove("fields").unwrap_or(Value::Null)
            }
            other => other,
        };
        parsed.take(i, announcement(&record));
    }
    Ok(parsed)
}

impl Parsed {
    /// Counts the `i`-th record (0 for the first): kept, of another family, or refused.
    fn take(&mut self, i: usize, record: Result<Option<Announcement>, Invalid>) {
        match record {
            Ok(Some(a)) => self.announcements.push(a),
            Ok(None) => self.ignored += 1,
            Err(reason) => self.refused.push(Refused {
                record: i + 1,
                reason: reason.0,
            }),
        }
    }
}

/// The valid SIRENs among `written`, each once, in their order (the first is the company's).
fn valid_sirens<'a>(written: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for w in written {
        if let Ok(s) = Siren::parse(w) {
            if !out.iter().any(|o| o == s.as_str()) {
                out.push(s.as_str().to_string());
            }
        }
    }
    out
}

/// A text field, trimmed; `None` when absent or empty.
fn text(record: &Value, key: &str) -> Option<String> {
    match record.get(key)? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s.get(..10)?, "%Y-%m-%d").ok()
}

/// The valid SIRENs of `registre` (« 443 061 809,443061809 » or a list of texts).
fn sirens(record: &Value) -> Vec<String> {
    let parts: Vec<String> = match record.get("registre") {
        Some(Value::String(s)) => s.split(',').map(str::to_string).collect(),
        Some(Value::Array(list)) => list
            .iter()
            .filter_map(Value::as_str)
            .flat_map(|s| s.split(',').map(str::to_string))
            .collect(),
        _ => Vec::new(),
    };
    valid_sirens(parts.iter().map(String::as_str))
}

/// What identifies a notice in every format: the bulletin's letter, the issue, and the notice's
/// number on four digits at least (« A » « 20260057 » « 1203 » → « A202600571203 », the export's
/// `id`); `None` when a part is missing or the number is not a number.
pub(crate) fn identity(
    bulletin: Option<&str>,
    parution: Option<&str>,
    number: &str,
) -> Option<String> {
    let (b, p) = (bulletin?.trim(), parution?.trim());
    let n: u64 = number.trim().parse().ok()?;
    (!b.is_empty() && !p.is_empty()).then(|| format!("{b}{p}{n:04}"))
}

/// The judgment: a JSON text in the export (an object is taken as well).
fn judgment(record: &Value) -> Result<Option<Value>, Invalid> {
    match record.get("jugement") {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(Value::String(s)) => serde_json::from_str::<Value>(s)
            .map(Some)
            .map_err(|_| Invalid::new("its « jugement » is not a JSON text")),
        Some(v @ Value::Object(_)) => Ok(Some(v.clone())),
        Some(_) => Err(Invalid::new("its « jugement » is not a JSON text")),
    }
}

/// One record: `Ok(None)` when it is of a family not kept.
fn announcement(record: &Value) -> Result<Option<Announcement>, Invalid> {
    if !record.is_object() {
        return Err(Invalid::new("not a record (a JSON object is expected)"));
    }
    let Some(family) = text(record, "familleavis") else {
        return Err(Invalid::new("no « familleavis »"));
    };
    if family != COLLECTIVE && family != RADIATION {
        return Ok(None);
    }
    let number =
        text(record, "numeroannonce").ok_or_else(|| Invalid::new("no « numeroannonce »"))?;
    let published_on =
        text(record, "dateparution").ok_or_else(|| Invalid::new("no « dateparution »"))?;
    let published_on = date(&published_on).ok_or_else(|| {
        Invalid::new(format!(
            "« dateparution » {published_on:?} is not a date (AAAA-MM-JJ)"
        ))
    })?;
    let parution = text(record, "parution");
    let bulletin = text(record, "publicationavis");
    let identity = match (
        identity(bulletin.as_deref(), parution.as_deref(), &number),
        text(record, "id"),
        &parution,
    ) {
        (Some(canonical), _, _) => canonical,
        (None, Some(id), _) => id,
        (None, None, Some(p)) => format!("{p}/{number}"),
        (None, None, None) => return Err(Invalid::new("no « id » nor « parution »")),
    };
    let sirens = sirens(record);
    if sirens.is_empty() {
        return Err(Invalid::new(match text(record, "registre") {
            Some(r) => format!("« registre » {r:?} holds no valid SIREN"),
            None => "no « registre » (the SIREN)".to_string(),
        }));
    }
    let j = judgment(record)?;
    let jtext = |k: &str| j.as_ref().and_then(|j| text(j, k));
    let nature = jtext("nature").or_else(|| jtext("famille"));
    Ok(Some(Announcement {
        identity,
        published_on,
        bulletin,
        parution,
        number,
        sirens,
        family,
        company: text(record, "commercant"),
        court: text(record, "tribunal"),
        nature,
        judgment_on: jtext("date").as_deref().and_then(date),
        complement: jtext("complementJugement"),
        raw: record.to_string(),
    }))
}

impl Announcement {
    /// The incident the announcement seems to report, for the agent to check: an opening
    /// judgment or one pronouncing the liquidation, or a radiation. Never recorded from here.
    pub fn suggested_kind(&self) -> Option<IncidentKind> {
        if self.family == RADIATION {
            return Some(IncidentKind::StruckOff);
        }
        let n = self.nature.as_deref().unwrap_or("").to_lowercase();
        if !(n.contains("ouverture") || n.contains("prononçant la liquidation")) {
            return None;
        }
        if n.contains("liquidation") {
            Some(IncidentKind::Liquidation)
        } else if n.contains("redressement") {
            Some(IncidentKind::Receivership)
        } else if n.contains("sauvegarde") {
            Some(IncidentKind::Safeguard)
        } else {
            None
        }
    }

    /// What it says, in French: « BODACC A n° 1234 du 21 mars 2026 : jugement d'ouverture
    /// d'une procédure de redressement judiciaire (Tribunal de commerce de Lyon) ».
    pub fn summary(&self) -> String {
        let what = match (&self.nature, self.family.as_str()) {
            (Some(n), _) => lower_first(n),
            (None, RADIATION) => "radiation du registre du commerce et des sociétés".to_string(),
            (None, _) => "procédure collective".to_string(),
        };
        let bulletin = self
            .bulletin
            .as_deref()
            .map(|b| format!(" {b}"))
            .unwrap_or_default();
        let mut s = format!(
            "BODACC{bulletin} n° {} du {} : {what}",
            self.number,
            date_long(self.published_on)
        );
        if let Some(on) = self.judgment_on {
            s.push_str(&format!(" du {}", date_long(on)));
        }
        if let Some(c) = &self.court {
            s.push_str(&format!(" ({})", court_name(c)));
        }
        s
    }
}

fn lower_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        // An acronym (« SARL ») keeps its capitals.
        Some(_) if chars.clone().next().is_some_and(char::is_uppercase) => s.to_string(),
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// « TRIBUNAL DE COMMERCE DE BOURG-EN-BRESSE » → « Tribunal de commerce de Bourg-en-Bresse »:
/// the bulletin writes courts in capitals.
pub fn court_name(s: &str) -> String {
    if s.chars().any(char::is_lowercase) {
        return s.to_string();
    }
    const SMALL: [&str; 14] = [
        "de", "du", "des", "d", "en", "sur", "sous", "la", "le", "les", "lès", "et", "aux", "au",
    ];
    let lower = s.to_lowercase();
    let mut out = String::with_capacity(lower.len());
    let mut word = String::new();
    let mut first = true;
    let flush = |word: &mut String, out: &mut String, first: &mut bool| {
        if word.is_empty() {
            return;
        }
        let keep = !*first && (SMALL.contains(&word.as_str()) || is_common(word));
        if keep {
            out.push_str(word);
        } else {
            let mut c = word.chars();
            if let Some(f) = c.next() {
                out.extend(f.to_uppercase());
                out.push_str(c.as_str());
            }
        }
        *first = false;
        word.clear();
    };
    for ch in lower.chars() {
        if ch.is_alphanumeric() {
            word.push(ch);
        } else {
            flush(&mut word, &mut out, &mut first);
            out.push(ch);
        }
    }
    flush(&mut word, &mut out, &mut first);
    out
}

/// The common nouns of a court's name (lower case after the first word).
fn is_common(word: &str) -> bool {
    matches!(
        word,
        "tribunal"
            | "commerce"
            | "judiciaire"
            | "activités"
            | "activites"
            | "économiques"
            | "economiques"
            | "mixte"
            | "grande"
            | "instance"
            | "chambre"
            | "commerciale"
    )
}

#[cfg(test)]
mod tests;
mod xml;
