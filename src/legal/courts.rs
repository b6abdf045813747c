//! The court directory in force (CPC 1406): the newest one an admin imported, or the one
//! embedded in the binary (`assets/courts/directory.json`, built by
//! `assets/courts/build_directory.py` from the codes' annexes and the INSEE communes, its source
//! and version inside). Admins import a newer file through `importCourtDirectory` or
//! `recouvra import-courts FILE`; it is checked whole before it is stored.

use std::sync::{Arc, Mutex, OnceLock};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::auth::Actor;
use crate::clock::Clock;
use crate::db::{self, DbConn};
use crate::domain::legal::courts::{Commune, Court, CourtDirectory};
use crate::domain::legal::CourtKind;
use crate::error::{AppError, AppResult};
use crate::store::courts::{self as store, NewDirectory};

/// The directory shipped with this version.
const EMBEDDED: &str = include_str!("../../assets/courts/directory.json");

/// The file format (JSON), as `build_directory.py` writes it.
#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct FileDirectory {
    version: String,
    source: String,
    courts: Vec<FileCourt>,
    #[serde(default)]
    communes: Vec<FileCommune>,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct FileCourt {
    id: String,
    kind: String,
    name: String,
    seat: String,
    #[serde(default)]
    seat_departement: Option<String>,
    #[serde(default)]
    departements: Vec<String>,
    #[serde(default)]
    communes: Vec<String>,
    valid_from: Option<NaiveDate>,
    valid_until: Option<NaiveDate>,
    source: String,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct FileCommune {
    insee: String,
    name: String,
    postal_codes: Vec<String>,
}

/// Parses and checks a directory file; every refusal is `VALIDATION` on `data` naming what
/// is wrong.
pub fn parse(json: &str) -> AppResult<CourtDirectory> {
    let file: FileDirectory = serde_json::from_str(json)
        .map_err(|e| AppError::validation("data", format!("not a court directory: {e}")))?;
    let mut courts = Vec::with_capacity(file.courts.len());
    for c in file.courts {
        let kind = super::parse_court_kind(&c.kind).ok_or_else(|| {
            AppError::validation(
                "data",
                format!(
                    "court {}: kind {:?} is not judicial_court, commercial_court or \
                     economic_activities_court",
                    c.id, c.kind
                ),
            )
        })?;
        courts.push(Court {
            id: c.id,
            kind,
            name: c.name,
            seat: c.seat,
            seat_departement: c.seat_departement,
            departements: c.departements,
            communes: c.communes,
            valid_from: c.valid_from,
            valid_until: c.valid_until,
            source: c.source,
        });
    }
    let directory = CourtDirectory {
        postal_index: Default::default(),
        version: file.version,
        source: file.source,
        courts,
        communes: file
            .communes
            .into_iter()
            .map(|m| Commune {
                insee: m.insee,
                name: m.name,
                postal_codes: m.postal_codes,
            })
            .collect(),
    };
    directory
        .check()
        .map_err(|e| AppError::validation("data", e.0))?;
    Ok(directory)
}

/// The embedded directory (parsed once; a test checks it parses).
pub fn embedded() -> AppResult<Arc<CourtDirectory>> {
    static CELL: OnceLock<Result<Arc<CourtDirectory>, String>> = OnceLock::new();
    CELL.get_or_init(|| parse(EMBEDDED).map(Arc::new).map_err(|e| e.message))
        .clone()
        .map_err(|m| AppError::internal(format!("the embedded court directory: {m}")))
}

/// The directory in force: the newest imported, else the embedded one. The parsed copy is
/// kept while no newer import exists (the agenda assesses many cases in a row).
pub fn current(conn: &mut DbConn) -> AppResult<Arc<CourtDirectory>> {
    static CACHE: Mutex<Option<(i64, Arc<CourtDirectory>)>> = Mutex::new(None);
    let Some(id) = store::latest_id(conn)? else {
        return embedded();
    };
    if let Ok(cache) = CACHE.lock() {
        if let Some((cached, dir)) = cache.as_ref() {
            if *cached == id {
                return Ok(dir.clone());
            }
        }
    }
    let row =
        store::find(conn, id)?.ok_or_else(|| AppError::internal("court directory row vanished"))?;
    let dir =
        Arc::new(parse(&row.data).map_err(|e| {
            AppError::internal(format!("stored court directory {id}: {}", e.message))
        })?);
    if let Ok(mut cache) = CACHE.lock() {
        *cache = Some((id, dir.clone()));
    }
    Ok(dir)
}

/// What an import stored.
#[derive(Debug, Clone)]
pub struct Imported {
    pub version: String,
    pub source: String,
    pub courts: usize,
    pub communes: usize,
}

/// Imports a directory file (admins): checked whole, then stored as the one in force.
pub fn import(
    conn: &mut DbConn,
    clock: &Clock,
    actor: Option<&Actor>,
    json: &str,
) -> AppResult<Imported> {
    if let Some(a) = actor {
        a.require_admin()?;
    }
    let dir = parse(json)?;
    db::transaction(conn, |conn| {
        store::insert(
            conn,
            &NewDirectory {
                version: &dir.version,
                source: &dir.source,
                data: json,
                imported_at: clock.now(),
                imported_by: actor.map(|a| a.user_id),
            },
        )?;
        Ok(())
    })?;
    tracing::info!(version = %dir.version, courts = dir.courts.len(), "court directory imported");
    Ok(Imported {
        version: dir.version.clone(),
        source: dir.source.clone(),
        courts: dir.courts.len(),
        communes: dir.communes.len(),
    })
}

/// Checks that the court the lawyer confirms is one of the directory's, of the kind given,
/// existing on `day` (never a made-up name). Returns the directory's spelling of its name.
pub fn require_listed(
    dir: &CourtDirectory,
    kind: CourtKind,
    name: &str,
    day: NaiveDate,
) -> AppResult<String> {
    let court = dir.find_by_name(name).ok_or_else(|| {
        AppError::validation(
            "name",
            format!(
                "« {} » is not a court of the directory (version {}): choose one of its courts",
                name.trim(),
                dir.version
            ),
        )
    })?;
    if court.kind != kind {
        return Err(AppError::validation(
            "kind",
            format!(
                "the court {} is a {}, not a {}",
                court.name,
                court.kind.label(),
                kind.label()
            ),
        ));
    }
    if !court.exists_on(day) {
        return Err(AppError::validation(
            "name",
            format!("the court {} does not sit on {day}", court.name),
        ));
    }
    Ok(court.name.clone())
}

#[cfg(test)]
mod tests;
