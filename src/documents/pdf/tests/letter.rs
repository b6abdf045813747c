//! A realistic French collection letter, shared by the tests and the sample example.

use crate::documents::pdf::{Align, Block, Column, Document, Table, TextBlock};
use chrono::NaiveDate;

/// Fixed creation date (deterministic output).
pub fn fixed_date() -> chrono::NaiveDateTime {
    NaiveDate::from_ymd_opt(2025, 3, 14)
        .and_then(|d| d.and_hms_opt(10, 30, 0))
        .unwrap_or_default()
}

fn lines(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

/// Formal notice ("mise en demeure") followed by an exhibit divider page.
pub fn letter() -> Document {
    let mut doc = Document::new(
        "Mise en demeure DOS-2025-00042",
        "Recouvra SAS",
        fixed_date(),
    );
    doc.header =
        Some("Réf. DOS-2025-00042 — M. Jérôme Lefèvre — Mise en demeure du 14 mars 2025".into());
    doc.footer_note = Some(
        "Recouvra SAS au capital de 50\u{a0}000\u{a0}€ — RCS Paris 912 345 678 — 12 rue de la Paix, 75002 Paris"
            .into(),
    );
    doc.push(Block::AddressBlocks {
        sender: lines(&[
            "Recouvra SAS",
            "Service contentieux",
            "12 rue de la Paix",
            "75002 Paris",
            "Tél. : 01 23 45 67 89",
            "contentieux@recouvra.fr",
        ]),
        recipient: lines(&[
            "Monsieur Jérôme Lefèvre",
            "8 allée des Châtaigniers",
            "Bâtiment B, appartement 12",
            "69003 Lyon",
        ]),
    });
    doc.push(
        TextBlock::new("Paris, le 14 mars 2025")
            .align(Align::Right)
            .into(),
    );
    doc.push(Block::KeyValue(vec![
        ("Notre référence".into(), "DOS-2025-00042".into()),
        (
            "Créancier".into(),
            "Boulangerie Maître Pâtissier SARL".into(),
        ),
    ]));
    doc.push(
        TextBlock::new("Lettre recommandée avec accusé de réception")
            .bold()
            .size(9.0)
            .into(),
    );
    doc.push(
        TextBlock::new("Objet : mise en demeure de payer la somme de 1\u{a0}290,56\u{a0}€")
            .bold()
            .into(),
    );
    doc.push(Block::Spacer(2.0));
    doc.push(Block::Paragraph("Monsieur,".into()));
    doc.push(
        TextBlock::new(
            "Sauf erreur ou omission de notre part, nous constatons que les factures détaillées \
             ci-dessous, émises par notre client la société « Boulangerie Maître Pâtissier », \
             demeurent impayées à ce jour, malgré nos précédentes relances amiables.",
        )
        .align(Align::Justify)
        .into(),
    );
    doc.push(Block::Table(Table {
        columns: vec![
            Column::new("Facture", 34.0, Align::Left),
            Column::new("Date", 26.0, Align::Left),
            Column::new("Échéance", 26.0, Align::Left),
            Column::new("Montant TTC", 30.0, Align::Right),
            Column::new("Réglé", 24.0, Align::Right),
            Column::new("Reste dû", 30.0, Align::Right),
        ],
        rows: vec![
            vec![
                "F-2024-118".into(),
                "12/11/2024".into(),
                "12/12/2024".into(),
                "834,20\u{a0}€".into(),
                "0,00\u{a0}€".into(),
                "834,20\u{a0}€".into(),
            ],
            vec![
                "F-2024-131".into(),
                "03/12/2024".into(),
                "02/01/2025".into(),
                "616,36\u{a0}€".into(),
                "200,00\u{a0}€".into(),
                "416,36\u{a0}€".into(),
            ],
        ],
        total: Some(vec![
            "Total".into(),
            String::new(),
            String::new(),
            "1\u{a0}450,56\u{a0}€".into(),
            "200,00\u{a0}€".into(),
            "1\u{a0}250,56\u{a0}€".into(),
        ]),
    }));
    doc.push(
        TextBlock::new(
            "À ce montant s'ajoute l'indemnité forfaitaire pour frais de recouvrement de 40\u{a0}€ \
             prévue par l'article L.\u{a0}441-10 du Code de commerce, soit un total de \
             1\u{a0}290,56\u{a0}€.",
        )
        .align(Align::Justify)
        .into(),
    );
    doc.push(
        TextBlock::new(
            "Par la présente, nous vous mettons en demeure de régler cette somme dans un délai de \
             huit jours à compter de la réception de ce courrier, par virement sur le compte dont \
             les coordonnées figurent ci-après ou par chèque à l'ordre de Recouvra SAS.",
        )
        .align(Align::Justify)
        .into(),
    );
    doc.push(
        TextBlock::new(
            "À défaut de règlement dans ce délai, nous serons contraints de saisir la juridiction \
             compétente afin d'obtenir un titre exécutoire, sans autre avis de notre part. Les frais \
             de procédure et les intérêts de retard au taux légal resteraient alors à votre charge.",
        )
        .align(Align::Justify)
        .into(),
    );
    doc.push(
        TextBlock::new(
            "Nous avons à cœur de privilégier une issue amiable : n'hésitez pas à nous contacter \
             pour convenir d'un échéancier.",
        )
        .align(Align::Justify)
        .into(),
    );
    doc.push(
        TextBlock::new(
            "Nous vous prions d'agréer, Monsieur, l'expression de nos salutations distinguées.",
        )
        .align(Align::Justify)
        .into(),
    );
    doc.push(Block::Spacer(4.0));
    doc.push(TextBlock::new("Claire Dubois").bold().indent(105.0).into());
    doc.push(
        TextBlock::new("Juriste recouvrement\nPour Recouvra SAS")
            .size(9.0)
            .indent(105.0)
            .into(),
    );
    doc.push(Block::Divider {
        title: "Pièce n° 1".into(),
        subtitle: Some("Facture n° F-2024-118 du 12 novembre 2024 — 834,20\u{a0}€".into()),
    });
    doc
}
