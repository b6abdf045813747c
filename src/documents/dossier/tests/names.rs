//! Exhibit names in the ZIP archive and labels in the bordereau.

use super::*;
use crate::documents::dossier::kind::{label, number_width, placement, zip_name, Placement};

fn named(number: u32, filename: &str, media_type: &str) -> Exhibit {
    Exhibit {
        number,
        title: "Pièce".into(),
        date: ymd(2026, 1, 1),
        nature: "Autre pièce".into(),
        media_type: media_type.into(),
        sha256: "0".repeat(64),
        size_bytes: 0,
        filename: filename.into(),
    }
}

#[test]
fn zip_names_are_numbered_ascii_and_keep_the_extension() {
    let cases = [
        (
            1,
            "Contrat signé.pdf",
            "application/pdf",
            "pieces/01-Contrat_signe.pdf",
        ),
        (
            2,
            "Bon de livraison n°12 (copie).JPEG",
            "image/jpeg",
            "pieces/02-Bon_de_livraison_n_12_copie.jpeg",
        ),
        (
            3,
            "Relevé des échanges",
            "text/plain; charset=utf-8",
            "pieces/03-Releve_des_echanges.txt",
        ),
        (
            4,
            "Œuvre — cœur.docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "pieces/04-OEuvre_coeur.docx",
        ),
        (5, "漢字.eml", "message/rfc822", "pieces/05-piece.eml"),
        (6, "..hidden", "application/x-unknown", "pieces/06-hidden"),
        (
            7,
            "archive.tar.gz",
            "application/gzip",
            "pieces/07-archive_tar.gz",
        ),
        (
            8,
            "../../etc/passwd",
            "text/plain",
            "pieces/08-etc_passwd.txt",
        ),
    ];
    for (n, filename, media_type, expected) in cases {
        assert_eq!(
            zip_name(&named(n, filename, media_type), 2),
            expected,
            "{filename:?}"
        );
    }
    let long = format!("{}.pdf", "a".repeat(300));
    let name = zip_name(&named(9, &long, "application/pdf"), 2);
    assert_eq!(name, format!("pieces/09-{}.pdf", "a".repeat(80)));
    assert_eq!(
        zip_name(&named(7, "x.pdf", "application/pdf"), 3),
        "pieces/007-x.pdf"
    );
    assert_eq!(
        (number_width(3), number_width(99), number_width(100)),
        (2, 2, 3)
    );
}

#[test]
fn media_types_decide_where_an_exhibit_goes() {
    assert_eq!(placement("application/pdf"), Placement::Pdf);
    assert_eq!(placement("IMAGE/PNG"), Placement::Image);
    assert_eq!(placement("image/jpeg"), Placement::Image);
    // The PDF engine does not draw TIFF: listed, shipped in the ZIP only.
    assert_eq!(placement("image/tiff"), Placement::ZipOnly);
    assert_eq!(placement("text/plain; charset=utf-8"), Placement::ZipOnly);
    assert_eq!(placement("application/x-unknown"), Placement::ZipOnly);
    assert_eq!(label("message/rfc822"), "Courriel");
    assert_eq!(label("application/x-unknown"), "application/x-unknown");
}
