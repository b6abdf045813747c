//! The dossier's own pages: cover, requête, statement and bordereau (tera templates →
//! markup → layout → PDF, like the letters), and the exhibit divider pages.

use super::context::{context, PagePlan};
use super::input::DossierInput;
use super::kind::{label, number_width, placement, zip_name, Placement};
use super::DossierError;
use crate::documents::letters::{build, format_date, tera_message};
use crate::documents::markup;
use crate::documents::pdf::{render, Block, Document};
use chrono::{NaiveDateTime, NaiveTime};
use std::sync::OnceLock;
use tera::Tera;

/// The cover page.
pub(super) const COVER: &str = "dossier/cover.tera";
/// The requête itself.
pub(super) const REQUETE: &str = "dossier/requete.tera";
/// The statement (décompte).
pub(super) const STATEMENT: &str = "dossier/decompte.tera";
/// The bordereau of the exhibits.
pub(super) const BORDEREAU: &str = "dossier/bordereau.tera";

const TEMPLATES: &[(&str, &str)] = &[
    (
        "dossier/_debtor.tera",
        include_str!("../../../templates/dossier/_debtor.tera"),
    ),
    (
        "dossier/_claim_table.tera",
        include_str!("../../../templates/dossier/_claim_table.tera"),
    ),
    (
        "dossier/_signature.tera",
        include_str!("../../../templates/dossier/_signature.tera"),
    ),
    (COVER, include_str!("../../../templates/dossier/cover.tera")),
    (
        REQUETE,
        include_str!("../../../templates/dossier/requete.tera"),
    ),
    (
        STATEMENT,
        include_str!("../../../templates/dossier/decompte.tera"),
    ),
    (
        BORDEREAU,
        include_str!("../../../templates/dossier/bordereau.tera"),
    ),
];

/// The dossier templates, with the letters' filters and markup escaping.
fn tera() -> Result<&'static Tera, DossierError> {
    static TERA: OnceLock<Result<Tera, String>> = OnceLock::new();
    TERA.get_or_init(|| build(TEMPLATES, true))
        .as_ref()
        .map_err(|message| DossierError::Template {
            template: "dossier/*".into(),
            message: message.clone(),
        })
}

/// The markup a template produces for `input` (tests and debugging; see [`section`]).
pub(super) fn markup_text(
    template: &str,
    input: &DossierInput,
    plan: Option<&PagePlan>,
) -> Result<String, DossierError> {
    let fail = |e: tera::Error| DossierError::Template {
        template: template.to_string(),
        message: tera_message(&e),
    };
    let ctx = tera::Context::from_value(context(input, plan)).map_err(fail)?;
    tera()?.render(template, &ctx).map_err(fail)
}

/// PDF creation date: the dossier date, so that the output only depends on the input.
fn created(input: &DossierInput) -> NaiveDateTime {
    input.date.and_time(NaiveTime::MIN)
}

/// The header and footer every page of the dossier's own documents carries.
fn frame(input: &DossierInput, title: &str) -> Document {
    let mut doc = Document::new(
        format!("{title} — {}", input.case_reference),
        input.filer.name.clone(),
        created(input),
    );
    doc.header = Some(format!(
        "{} — {} c/ {} — dossier {}",
        title,
        input.creditor.name,
        input.debtor.display_name(),
        input.case_reference
    ));
    doc.footer_note = Some(format!("{} — {}", input.court.name, title));
    doc
}

/// Renders one section (`title` goes to the header, footer and metadata).
pub(super) fn section(
    template: &str,
    title: &str,
    input: &DossierInput,
    plan: Option<&PagePlan>,
) -> Result<Vec<u8>, DossierError> {
    let text = markup_text(template, input, plan)?;
    let blocks = markup::parse(&text).map_err(|source| DossierError::Markup {
        template: template.to_string(),
        source,
    })?;
    let mut doc = frame(input, title);
    doc.blocks = blocks;
    Ok(render(&doc)?)
}

/// The divider pages, one per exhibit in order: "Pièce n° N", its title and date; for an
/// exhibit only shipped in the ZIP archive, its file name there. No page numbers: the pages
/// are spread through the dossier.
pub(super) fn dividers(input: &DossierInput) -> Result<Vec<u8>, DossierError> {
    let width = number_width(input.exhibits.len());
    let mut doc = frame(input, "Pièces communiquées");
    doc.page_numbers = false;
    doc.header_on_first_page = true;
    for e in &input.exhibits {
        let mut subtitle = format!("{}\n{}", e.title, format_date(e.date));
        if placement(&e.media_type) == Placement::ZipOnly {
            subtitle.push_str(&format!(
                "\n\nPièce fournie uniquement dans l'archive ZIP du dossier ({}) :\n{}",
                label(&e.media_type),
                zip_name(e, width)
            ));
        }
        doc.push(Block::Divider {
            title: format!("Pièce n° {}", e.number),
            subtitle: Some(subtitle),
        });
    }
    Ok(render(&doc)?)
}
