//! The portal's forms that carry files (`multipart/form-data`): text fields into a map, files
//! spooled to disk while read (never held in memory), size-limited. A refused file (too large,
//! one too many) is dropped and the reading goes on, so that the form comes back with what
//! was typed and the reason next to its field.

use std::collections::HashMap;

use actix_multipart::Multipart;
use futures_util::StreamExt as _;

use crate::app::AppState;
use crate::blobs::Spool;
use crate::error::AppError;

/// Most bytes of a refused file read (and dropped) so that the rest of the form still arrives.
const DRAIN_CAP: u64 = 64 * 1024 * 1024;
/// Longest text field read.
const MAX_TEXT: usize = 4 * 1024;

/// A file of the form: its field's name, its bytes spooled, the browser's file name.
pub(super) struct Upload {
    pub(super) field: String,
    pub(super) spool: Spool,
    pub(super) name: Option<String>,
}

/// What the body held: the text fields, the files spooled, and the first file refused.
pub(super) struct Read {
    pub(super) values: HashMap<String, String>,
    pub(super) uploads: Vec<Upload>,
    pub(super) refused_file: Option<AppError>,
}

/// Which fields are files, and how many and how large they may be.
pub(super) struct Rules<'a> {
    pub(super) is_file: &'a dyn Fn(&str) -> bool,
    pub(super) max_files: usize,
    pub(super) max_file_bytes: u64,
    /// The refusal of a file past `max_files` (in the form's language).
    pub(super) too_many: &'a str,
}

/// Reads a multipart body under `rules` (messages in French: the portal's forms).
pub(super) async fn read_form(
    mut form: Multipart,
    state: &AppState,
    rules: &Rules<'_>,
) -> Result<Read, AppError> {
    let mut values = HashMap::new();
    let mut uploads: Vec<Upload> = Vec::new();
    let mut refused_file: Option<AppError> = None;
    let spool_dir = state.jobs.data_dir.join("spool");
    while let Some(field) = form.next().await {
        let mut field = field
            .map_err(|e| AppError::validation("form", format!("formulaire illisible : {e}")))?;
        let name = field.name().unwrap_or_default().to_string();
        if (rules.is_file)(&name) {
            let original = field
                .content_disposition()
                .and_then(|d| d.get_filename())
                .map(str::to_string);
            let mut spool = Spool::new(&spool_dir, rules.max_file_bytes)
                .map_err(crate::evidence::blob_error)?;
            let mut refused: Option<AppError> = None;
            let mut drained = 0u64;
            while let Some(chunk) = field.next().await {
                let chunk = chunk.map_err(|e| {
                    AppError::validation(name.clone(), format!("envoi interrompu : {e}"))
                })?;
                if refused.is_some() {
                    drained = drained.saturating_add(chunk.len() as u64);
                    if drained > DRAIN_CAP {
                        return Err(refused.unwrap_or_else(AppError::forbidden));
                    }
                    continue;
                }
                if let Err(e) = spool.write(&chunk) {
                    refused = Some(AppError {
                        field: Some(name.clone()),
                        ..crate::evidence::blob_error(e)
                    });
                }
            }
            if let Some(e) = refused {
                refused_file.get_or_insert(e);
                continue;
            }
            // An empty input (no file chosen) sends an empty part.
            if spool.size() > 0 {
                if uploads.len() == rules.max_files {
                    refused_file.get_or_insert(AppError::validation(name.clone(), rules.too_many));
                    continue;
                }
                uploads.push(Upload {
                    field: name,
                    spool,
                    name: original,
                });
            }
            continue;
        }
        let mut buf = Vec::new();
        while let Some(chunk) = field.next().await {
            let chunk = chunk.map_err(|e| AppError::validation(name.clone(), e.to_string()))?;
            if buf.len() + chunk.len() > MAX_TEXT {
                return Err(AppError::validation(name, "texte trop long"));
            }
            buf.extend_from_slice(&chunk);
        }
        let text = String::from_utf8(buf)
            .map_err(|_| AppError::validation(name.clone(), "texte illisible (UTF-8 attendu)"))?;
        values.insert(name, text);
    }
    Ok(Read {
        values,
        uploads,
        refused_file,
    })
}
