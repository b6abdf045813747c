//! Rendering tests: French text round trip, pagination, tables, determinism.

use super::letter::{fixed_date, letter};
use crate::documents::pdf::{page_count, render, Align, Block, Column, Document, PdfError, Table};

/// Character column at which `needle` ends on the first line containing `start`.
fn end_column(text: &str, start: &str, needle: &str) -> usize {
    let line = text
        .lines()
        .find(|l| l.trim_start().starts_with(start))
        .unwrap_or_else(|| panic!("no line starting with {start:?} in\n{text}"));
    let byte = line
        .rfind(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in {line:?}"))
        + needle.len();
    line[..byte].chars().count()
}

#[test]
fn french_letter_text_round_trip() {
    let pdf = render(&letter()).expect("render");
    assert!(pdf.starts_with(b"%PDF-1."));
    assert_eq!(page_count(&pdf).expect("count"), 2);
    let Some(text) = super::common::pdftotext("letter", &pdf) else {
        return;
    };
    for expected in [
        "Monsieur Jérôme Lefèvre",
        "8 allée des Châtaigniers",
        "Paris, le 14 mars 2025",
        "Objet : mise en demeure de payer la somme de 1 290,56 €",
        "« Boulangerie Maître Pâtissier »",
        "Nous avons à cœur de privilégier une issue amiable",
        "Échéance",
        "Réglé",
        "Reste dû",
        "l'expression de nos salutations distinguées.",
        "Pièce n° 1",
        "Facture n° F-2024-118 du 12 novembre 2024 — 834,20 €",
        "page 1 / 2",
        "page 2 / 2",
        "RCS Paris 912 345 678",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
    // The header line is skipped on page 1 and printed on page 2.
    let pages: Vec<&str> = text.split('\u{c}').collect();
    let header = "Réf. DOS-2025-00042 — M. Jérôme Lefèvre";
    assert!(!pages[0].contains(header));
    assert!(pages[1].contains(header));
    assert!(pages[1].contains("Pièce n° 1") && !pages[0].contains("Pièce n° 1"));
    // Amounts are right-aligned: the "€" of the last column ends on the same column.
    let ends: Vec<usize> = ["F-2024-118", "F-2024-131", "Total"]
        .iter()
        .map(|row| end_column(&text, row, "€"))
        .collect();
    assert!(
        ends.windows(2).all(|w| w[0] == w[1]),
        "misaligned amounts {ends:?}\n{text}"
    );
}

fn long_table(rows: usize) -> Document {
    let mut doc = Document::new("Relevé", "Recouvra", fixed_date());
    doc.header = Some("Relevé de compte — dossier DOS-2025-00042".into());
    doc.push(Block::Heading(1, "Relevé détaillé des opérations".into()));
    doc.push(Block::Paragraph(
        "Le tableau ci-dessous reprend l'ensemble des écritures du dossier.".into(),
    ));
    doc.push(Block::Table(Table {
        columns: vec![
            Column::new("Pièce", 25.0, Align::Left),
            Column::new("Libellé de l'opération", 95.0, Align::Left),
            Column::new("Montant", 30.0, Align::Right),
        ],
        rows: (1..=rows)
            .map(|i| {
                // Every 7th row wraps over three lines and must never be split.
                let label = if i % 7 == 0 {
                    format!("Facture de prestations de nettoyage des locaux commerciaux et des parties communes de l'immeuble, période {i:03}, fin-{i:03}")
                } else {
                    format!("Échéance mensuelle n° {i:03}")
                };
                vec![format!("F-{i:03}"), label, format!("{},{:02}\u{a0}€", 100 + i, i % 100)]
            })
            .collect(),
        total: Some(vec!["Total".into(), String::new(), "999,99\u{a0}€".into()]),
    }));
    doc
}

#[test]
fn long_table_repeats_header_and_never_splits_rows() {
    let rows = 140;
    let pdf = render(&long_table(rows)).expect("render");
    let pages = page_count(&pdf).expect("count");
    assert!(
        pages >= 3,
        "expected a multi-page table, got {pages} page(s)"
    );
    let Some(text) = super::common::pdftotext("long-table", &pdf) else {
        return;
    };
    let page_texts: Vec<&str> = text
        .split('\u{c}')
        .filter(|p| !p.trim().is_empty())
        .collect();
    assert_eq!(page_texts.len(), pages);
    for (n, page) in page_texts.iter().enumerate() {
        let header_lines = page
            .lines()
            .filter(|l| l.contains("Libellé de l'opération") && l.contains("Montant"))
            .count();
        assert_eq!(
            header_lines,
            1,
            "page {} must show the table header once:\n{page}",
            n + 1
        );
        assert!(page.contains(&format!("page {} / {pages}", n + 1)));
    }
    let page_of = |needle: &str| -> Vec<usize> {
        page_texts
            .iter()
            .enumerate()
            .filter(|(_, p)| p.contains(needle))
            .map(|(i, _)| i)
            .collect()
    };
    for i in 1..=rows {
        let row_pages = page_of(&format!("F-{i:03} "));
        assert_eq!(row_pages.len(), 1, "row {i} must appear exactly once");
        if i % 7 == 0 {
            assert_eq!(
                page_of(&format!("fin-{i:03}")),
                row_pages,
                "row {i} was split across pages"
            );
        }
    }
    assert_eq!(page_of("Total").len(), 1);
    assert!(page_texts[pages - 1].contains("999,99 €"));
}

#[test]
fn rendering_is_deterministic() {
    let a = render(&letter()).expect("render");
    let b = render(&letter()).expect("render");
    assert!(a == b, "two renders of the same document differ");
    let c = render(&long_table(60)).expect("render");
    let d = render(&long_table(60)).expect("render");
    assert!(c == d);
    // The metadata carries the explicit creation date, so changing it changes the file.
    assert!(a.windows(16).any(|w| w == b"D:20250314103000"));
    let mut other = letter();
    other.creation_date += chrono::Duration::seconds(1);
    assert!(render(&other).expect("render") != a);
}

#[test]
fn one_page_letter_is_small_and_valid() {
    let mut doc = letter();
    doc.blocks.pop(); // drop the exhibit divider
    let pdf = render(&doc).expect("render");
    assert_eq!(page_count(&pdf).expect("count"), 1);
    assert!(pdf.len() < 10_000, "one-page letter is {} bytes", pdf.len());
    if let Some((ok, out)) = super::common::qpdf_check("one-page", &pdf) {
        assert!(ok, "{out}");
    }
}

#[test]
fn empty_document_still_has_one_page() {
    let pdf = render(&Document::new("Vide", "Recouvra", fixed_date())).expect("render");
    assert_eq!(page_count(&pdf).expect("count"), 1);
}

#[test]
fn invalid_table_is_an_error() {
    let doc = Document::new("x", "y", fixed_date()).with(Block::Table(Table {
        columns: vec![
            Column::new("A", 20.0, Align::Left),
            Column::new("B", 20.0, Align::Right),
        ],
        rows: vec![vec!["seule cellule".into()]],
        total: None,
    }));
    assert!(matches!(render(&doc), Err(PdfError::Layout(_))));
}

#[test]
fn unsupported_characters_degrade_gracefully() {
    let doc = Document::new("x", "y", fixed_date()).with(Block::Paragraph(
        "Débiteur : Łukasz Wiśniewski, Ștefan Țurcanu, 北京".into(),
    ));
    let pdf = render(&doc).expect("render");
    let Some(text) = super::common::pdftotext("fallback", &pdf) else {
        return;
    };
    assert!(
        text.contains("Débiteur : Lukasz Wisniewski, Stefan Turcanu, ??"),
        "{text}"
    );
}
