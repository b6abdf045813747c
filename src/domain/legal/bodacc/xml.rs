//! The DILA's XML files of the BODACC, as published on its open-data server
//! (`echanges.dila.gouv.fr/OPENDATA/BODACC`): `PCL_BXA…` for the collective proceedings
//! (root `PCL_REDIFF`, its `annonces/annonce` or, in older files, `listAvis/avis`) and
//! `RCS-B_BXB…` for the modifications and radiations (root `RCS-B_REDIFF`, `listeAvis/avis`).
//! Each notice carries `numeroAnnonce`, `tribunal`, the person (`personneMorale/denomination`
//! or `personnePhysique/nom`, `prenom`; in RCS-B under `personnes/personne`), its
//! `numeroImmatriculation/numeroIdentificationRCS` (the SIREN, written « 443 061 809 »), and
//! in PCL the `jugement` (`famille`, `nature`, `date`, `complementJugement`). An RCS-B notice is
//! a radiation when it has a `radiationAuRCS` element; the others (changes of address, of
//! managers) are counted and left out.
//!
//! The announcement's identity is built as the JSON export's (`super::identity`: the bulletin's
//! letter, the issue and the notice's number, « A202600571203 »), so the same notice imported
//! from either format is stored once.
//!
//! quick-xml reads the file (entities, CDATA, encodings), first as events to refuse a
//! malformed file whole with its line, then through serde into the structures below.

use chrono::NaiveDate;
use serde::Deserialize;

use super::{Announcement, Parsed, COLLECTIVE, RADIATION};
use crate::domain::Invalid;

#[derive(Deserialize, Default)]
struct File {
    parution: Option<String>,
    #[serde(rename = "dateParution")]
    date_parution: Option<String>,
    annonces: Option<List>,
    #[serde(rename = "listAvis")]
    list_avis: Option<List>,
    #[serde(rename = "listeAvis")]
    liste_avis: Option<List>,
}

#[derive(Deserialize, Default)]
struct List {
    #[serde(rename = "annonce", default)]
    annonce: Vec<Notice>,
    #[serde(rename = "avis", default)]
    avis: Vec<Notice>,
}

#[derive(Deserialize, Default, Debug, Clone)]
struct Notice {
    #[serde(rename = "numeroAnnonce")]
    numero_annonce: Option<String>,
    #[serde(rename = "numeroDepartement")]
    departement: Option<String>,
    tribunal: Option<String>,
    #[serde(rename = "personneMorale", default)]
    morale: Vec<Morale>,
    #[serde(rename = "personnePhysique", default)]
    physique: Vec<Physique>,
    #[serde(rename = "numeroImmatriculation", default)]
    immatriculation: Vec<Immatriculation>,
    personnes: Option<Persons>,
    jugement: Option<Judgment>,
    #[serde(rename = "radiationAuRCS")]
    radiation: Option<serde::de::IgnoredAny>,
}

#[derive(Deserialize, Default, Debug, Clone)]
struct Persons {
    #[serde(default)]
    personne: Vec<Person>,
}

#[derive(Deserialize, Default, Debug, Clone)]
struct Person {
    #[serde(rename = "personneMorale")]
    morale: Option<Morale>,
    #[serde(rename = "personnePhysique")]
    physique: Option<Physique>,
    denomination: Option<String>,
    #[serde(rename = "numeroImmatriculation", default)]
    immatriculation: Vec<Immatriculation>,
}

#[derive(Deserialize, Default, Debug, Clone)]
struct Morale {
    denomination: Option<String>,
}

#[derive(Deserialize, Default, Debug, Clone)]
struct Physique {
    nom: Option<String>,
    prenom: Option<String>,
}

#[derive(Deserialize, Default, Debug, Clone)]
struct Immatriculation {
    #[serde(rename = "numeroIdentificationRCS", alias = "numeroIdentification")]
    numero: Option<String>,
}

#[derive(Deserialize, Default, Debug, Clone)]
struct Judgment {
    famille: Option<String>,
    nature: Option<String>,
    date: Option<String>,
    #[serde(rename = "complementJugement")]
    complement: Option<String>,
}

/// The line of byte `offset` in `text` (1 for the first).
fn line_of(text: &str, offset: u64) -> usize {
    let end = usize::try_from(offset)
        .unwrap_or(usize::MAX)
        .min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        + 1
}

/// The root element's name, or the line where the file stops being well-formed XML.
fn root(text: &str) -> Result<String, Invalid> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(text);
    let mut root = None;
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) if root.is_none() => {
                root = Some(String::from_utf8_lossy(e.name().as_ref()).into_owned());
            }
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(_) => {
                return Err(Invalid::new(format!(
                    "malformed XML at line {}",
                    line_of(text, reader.error_position())
                )))
            }
        }
    }
    root.ok_or_else(|| Invalid::new("an XML file without any element"))
}

/// Parses a PCL or RCS-B file (see the module's documentation).
pub(super) fn parse(text: &str) -> Result<Parsed, Invalid> {
    let root = root(text)?;
    let (family, bulletin) = match root.as_str() {
        "PCL_REDIFF" => (COLLECTIVE, "A"),
        "RCS-B_REDIFF" => (RADIATION, "B"),
        other => {
            return Err(Invalid::new(format!(
                "an XML file of root {other}, not PCL_REDIFF nor RCS-B_REDIFF"
            )))
        }
    };
    let file: File = quick_xml::de::from_str(text).map_err(|_| {
        Invalid::new(format!(
            "an XML file of root {root} that is not a BODACC file"
        ))
    })?;
    let published = file.date_parution.as_deref().map(str::trim);
    let published_on = published
        .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
        .ok_or_else(|| {
            Invalid::new(format!(
                "« dateParution » {:?} is not a date (AAAA-MM-JJ)",
                published.unwrap_or("")
            ))
        })?;
    let parution = file
        .parution
        .as_deref()
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .ok_or_else(|| Invalid::new("no « parution »"))?
        .to_string();
    let notices: Vec<Notice> = [file.annonces, file.list_avis, file.liste_avis]
        .into_iter()
        .flatten()
        .flat_map(|l| l.annonce.into_iter().chain(l.avis))
        .collect();
    let mut parsed = Parsed {
        read: notices.len(),
        ..Parsed::default()
    };
    for (i, n) in notices.iter().enumerate() {
        parsed.take(
            i,
            announcement(n, family, bulletin, &parution, published_on),
        );
    }
    Ok(parsed)
}

fn clean(s: &Option<String>) -> Option<String> {
    s.as_deref()
        .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|t| !t.is_empty())
}

fn announcement(
    n: &Notice,
    family: &str,
    bulletin: &str,
    parution: &str,
    published_on: NaiveDate,
) -> Result<Option<Announcement>, Invalid> {
    if family == RADIATION && n.radiation.is_none() {
        return Ok(None); // a change of address, of managers…
    }
    let number = clean(&n.numero_annonce).ok_or_else(|| Invalid::new("no « numeroAnnonce »"))?;
    let persons = n
        .personnes
        .as_ref()
        .map(|p| p.personne.as_slice())
        .unwrap_or(&[]);
    let written: Vec<String> = n
        .immatriculation
        .iter()
        .chain(persons.iter().flat_map(|p| p.immatriculation.iter()))
        .filter_map(|i| clean(&i.numero))
        .collect();
    let sirens = super::valid_sirens(written.iter().map(String::as_str));
    if sirens.is_empty() {
        return Err(Invalid::new(match written.first() {
            Some(w) => format!("« numeroIdentificationRCS » {w:?} holds no valid SIREN"),
            None => "no « numeroIdentificationRCS » (the SIREN)".to_string(),
        }));
    }
    let physical = |p: &Physique| {
        let name = [clean(&p.prenom), clean(&p.nom)]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ");
        Some(name).filter(|s| !s.is_empty())
    };
    let company = n
        .morale
        .iter()
        .find_map(|m| clean(&m.denomination))
        .or_else(|| n.physique.iter().find_map(physical))
        .or_else(|| {
            persons.iter().find_map(|p| {
                p.morale
                    .as_ref()
                    .and_then(|m| clean(&m.denomination))
                    .or_else(|| clean(&p.denomination))
                    .or_else(|| p.physique.as_ref().and_then(physical))
            })
        });
    let j = n.jugement.clone().unwrap_or_default();
    let raw = serde_json::json!({
        "format": "xml",
        "parution": parution,
        "dateParution": published_on,
        "numeroAnnonce": number,
        "numeroDepartement": clean(&n.departement),
        "tribunal": clean(&n.tribunal),
        "sirens": sirens,
        "jugement": n.jugement.as_ref().map(|j| serde_json::json!({
            "famille": clean(&j.famille), "nature": clean(&j.nature),
            "date": clean(&j.date), "complementJugement": clean(&j.complement),
        })),
    });
    let identity = super::identity(Some(bulletin), Some(parution), &number)
        .unwrap_or_else(|| format!("{bulletin}{parution}{number}"));
    Ok(Some(Announcement {
        identity,
        published_on,
        bulletin: Some(bulletin.to_string()),
        parution: Some(parution.to_string()),
        number,
        sirens,
        family: family.to_string(),
        company,
        court: clean(&n.tribunal),
        nature: clean(&j.nature).or_else(|| clean(&j.famille)),
        judgment_on: clean(&j.date).as_deref().and_then(judgment_date),
        complement: clean(&j.complement),
        raw: raw.to_string(),
    }))
}

/// The judgment's date, written « 2026-03-17 » or, in the bulletin's words, « 17 mars 2026 »
/// or « 1er avril 2026 ».
fn judgment_date(s: &str) -> Option<NaiveDate> {
    if let Ok(d) = NaiveDate::parse_from_str(s.get(..10).unwrap_or(s), "%Y-%m-%d") {
        return Some(d);
    }
    const MONTHS: [&str; 12] = [
        "janvier",
        "fevrier",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "aout",
        "septembre",
        "octobre",
        "novembre",
        "decembre",
    ];
    let folded = crate::domain::search::fold(s);
    let mut words = folded.split_whitespace();
    let day: u32 = words.next()?.trim_end_matches("er").parse().ok()?;
    let name = words.next()?;
    let month = MONTHS.iter().position(|m| *m == name)?;
    let year: i32 = words.next()?.parse().ok()?;
    NaiveDate::from_ymd_opt(year, u32::try_from(month).ok()? + 1, day)
}
