//! Tests of the letters: the PDFs are read back with `pdftotext -layout` and checked for the
//! mandatory mentions and the exact amounts.
#![allow(clippy::unwrap_used, clippy::expect_used)]

// The PDF engine's test helpers (`pdftotext`, `qpdf --check`), shared with its own tests.
#[allow(dead_code, clippy::duplicate_mod)]
#[path = "../pdf/tests/common.rs"]
mod common;

use super::*;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde_json::json;

/// The text of L111-8 al. 2 and 3 CPCE as R124-4 5° requires it, from its one copy
/// (`domain::texts`), each paragraph between « »: the letter read back with pdftotext must
/// contain it word for word.
fn l111_8() -> String {
    crate::domain::texts::CPCE_L111_8_AL_2_3
        .paragraphs
        .iter()
        .map(|p| format!("« {p} »"))
        .collect::<Vec<_>>()
        .join(" ")
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn eur(s: &str) -> Decimal {
    s.parse().unwrap()
}

fn created() -> NaiveDateTime {
    d(2026, 11, 16).and_hms_opt(9, 15, 0).unwrap()
}

fn lines(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

fn agency() -> Agency {
    Agency {
        name: "Recouvra SAS".into(),
        address_lines: lines(&["12 rue de la Paix", "75002 Paris"]),
        siren: "912 345 678".into(),
        phone: Some("01 23 45 67 89".into()),
        email: Some("contact@recouvra.fr".into()),
        insurer: "MMA IARD".into(),
        policy_number: "RCP-114-2207".into(),
        iban: "FR76 3000 4000 0312 3456 7890 143".into(),
        bic: Some("BNPAFRPPXXX".into()),
        city: "Paris".into(),
    }
}

fn creditor() -> Party {
    Party {
        name: "Boulangerie Maître Pâtissier SARL".into(),
        address_lines: lines(&["4 place Bellecour", "69002 Lyon"]),
    }
}

fn first_letter_ref() -> FirstLetterRef {
    FirstLetterRef {
        reference: "REC-2026-000042-L1".into(),
        sent_on: d(2026, 10, 6),
    }
}

/// B2B: two invoices, one partly paid; every total is the sum of the lines.
fn b2b(kind: LetterKind) -> LetterContext {
    LetterContext {
        kind,
        reference: match kind {
            LetterKind::FirstLetter => "REC-2026-000042-L1",
            LetterKind::Reminder => "REC-2026-000042-L2",
            LetterKind::FormalNotice => "REC-2026-000042-L3",
        }
        .into(),
        case_reference: "REC-2026-000042".into(),
        date: d(2026, 11, 16),
        agency: agency(),
        creditor: creditor(),
        debtor: Party {
            name: "Transports Lefèvre SAS".into(),
            address_lines: lines(&["8 allée des Châtaigniers", "Zone artisanale", "69003 Lyon"]),
        },
        claim: Claim {
            invoices: vec![
                InvoiceLine {
                    number: "F-2026-118".into(),
                    issue_date: d(2026, 6, 12),
                    due_date: d(2026, 7, 12),
                    amount: eur("1234.56"),
                    principal: eur("1234.56"),
                    interest: eur("52.37"),
                    indemnity: eur("40"),
                },
                InvoiceLine {
                    number: "F-2026-131".into(),
                    issue_date: d(2026, 7, 3),
                    due_date: d(2026, 8, 2),
                    amount: eur("2616.36"),
                    principal: eur("2416.36"),
                    interest: eur("71.12"),
                    indemnity: eur("40"),
                },
            ],
            principal: eur("3650.92"),
            interest: eur("123.49"),
            indemnity: eur("80.00"),
            paid: eur("200"),
            total: eur("3854.41"),
            to_fall_due: vec![],
            as_of: d(2026, 11, 16),
            consumer: false,
            interest_basis: "taux BCE + 10 points (art. L441-10 II C. com.)".into(),
            interest_note: None,
        },
        first_letter: match kind {
            LetterKind::FirstLetter => None,
            _ => Some(first_letter_ref()),
        },
        pay_by: d(2026, 11, 30),
        signatory: "Claire Dubois".into(),
        registered: kind == LetterKind::FormalNotice,
        debtor_link: Some("https://recouvra.example.fr/d/AbCdEfGhIjKlMnOpQrStUv".into()),
    }
}

/// B2C formal notice: a consumer, no indemnity, no interest yet (it starts with the notice).
fn b2c_formal_notice() -> LetterContext {
    let mut ctx = b2b(LetterKind::FormalNotice);
    ctx.debtor = Party {
        name: "M. Jérôme Lefèvre".into(),
        address_lines: lines(&[
            "8 allée des Châtaigniers",
            "Bâtiment B, appartement 12",
            "69003 Lyon",
        ]),
    };
    ctx.claim = Claim {
        invoices: vec![
            InvoiceLine {
                number: "F-2026-201".into(),
                issue_date: d(2026, 8, 1),
                due_date: d(2026, 8, 31),
                amount: eur("890.00"),
                principal: eur("890.00"),
                interest: Decimal::ZERO,
                indemnity: Decimal::ZERO,
            },
            InvoiceLine {
                number: "F-2026-215".into(),
                issue_date: d(2026, 8, 20),
                due_date: d(2026, 9, 19),
                amount: eur("1499.99"),
                principal: eur("1499.99"),
                interest: Decimal::ZERO,
                indemnity: Decimal::ZERO,
            },
        ],
        principal: eur("2389.99"),
        interest: Decimal::ZERO,
        indemnity: Decimal::ZERO,
        paid: Decimal::ZERO,
        total: eur("2389.99"),
        to_fall_due: vec![],
        as_of: d(2026, 11, 16),
        consumer: true,
        interest_basis: "taux légal (art. 1231-6 du Code civil)".into(),
        interest_note: None,
    };
    ctx.registered = false;
    ctx
}

fn receipt_fixture() -> Receipt {
    Receipt {
        reference: "REC-2026-000042-Q1".into(),
        case_reference: "REC-2026-000042".into(),
        date: d(2026, 11, 20),
        agency: agency(),
        creditor: creditor(),
        debtor: b2b(LetterKind::Reminder).debtor,
        received_on: d(2026, 11, 19),
        amount: eur("1500.00"),
        method: "virement".into(),
        payment_reference: Some("VIR LEFEVRE 191126".into()),
        allocations: vec![
            ("F-2026-118".into(), eur("40"), eur("52.37"), eur("1234.56")),
            ("F-2026-131".into(), eur("40"), eur("71.12"), eur("61.95")),
        ],
        balance_after: eur("2354.41"),
        first_letter: Some(first_letter_ref()),
    }
}

fn remittance_fixture() -> RemittanceStatement {
    let line =
        |case: &str, debtor: &str, on: NaiveDate, amount: &str, commission: &str, net: &str| {
            RemittanceLine {
                case_reference: case.into(),
                debtor: debtor.into(),
                received_on: on,
                amount: eur(amount),
                commission: eur(commission),
                net: eur(net),
            }
        };
    RemittanceStatement {
        reference: "REL-2026-11".into(),
        date: d(2026, 12, 1),
        agency: agency(),
        creditor: creditor(),
        period_label: "novembre 2026".into(),
        lines: vec![
            line(
                "REC-2026-000042",
                "Transports Lefèvre SAS",
                d(2026, 11, 19),
                "1500.00",
                "120.00",
                "1380.00",
            ),
            line(
                "REC-2026-000057",
                "M. Jérôme Lefèvre",
                d(2026, 11, 24),
                "2389.99",
                "191.20",
                "2198.79",
            ),
        ],
        gross: eur("3889.99"),
        commission: eur("311.20"),
        commission_rate_label: "8,00 %".into(),
        net: eur("3578.79"),
        pay_by: d(2026, 12, 19),
    }
}

/// `pdftotext -layout` output; the letter tests cannot pass without it.
fn pdf_text(tag: &str, pdf: &[u8]) -> String {
    common::pdftotext(tag, pdf).expect("pdftotext (poppler-utils) is required by the letter tests")
}

/// Whitespace-normalised text: no-break spaces become spaces, runs of whitespace (line
/// wrapping, layout columns) become one space.
fn flat(text: &str) -> String {
    text.replace('\u{a0}', " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn assert_contains(text: &str, expected: &[&str]) {
    for e in expected {
        assert!(text.contains(&flat(e)), "missing {e:?} in:\n{text}");
    }
}

fn assert_absent(text: &str, forbidden: &[&str]) {
    let lower = text.to_lowercase();
    for f in forbidden {
        assert!(
            !lower.contains(&f.to_lowercase()),
            "unexpected {f:?} in:\n{text}"
        );
    }
}

/// Renders twice (identical bytes), validates with qpdf, returns (pages, flattened text).
fn render_letter(tag: &str, ctx: &LetterContext) -> (Vec<String>, String) {
    let pdf = letter(ctx, created()).unwrap();
    assert!(pdf.starts_with(b"%PDF-1."));
    assert!(letter(ctx, created()).unwrap() == pdf, "two renders differ");
    if let Some((ok, out)) = common::qpdf_check(tag, &pdf) {
        assert!(ok, "{out}");
    }
    let raw = pdf_text(tag, &pdf);
    // Every character could be encoded (the fonts replace the others by "?").
    assert!(!raw.contains('?'), "unprintable character in:\n{raw}");
    let pages: Vec<String> = raw
        .split('\u{c}')
        .filter(|p| !p.trim().is_empty())
        .map(flat)
        .collect();
    (pages, flat(&raw))
}

const NOT_A_COURT_DOCUMENT: &[&str] = &[
    "huissier",
    "commissaire de justice",
    "signification",
    "exécution forcée",
];

/// The R124-4 mentions shared by the first letter and the formal notice.
fn assert_r124_4(text: &str) {
    assert_contains(
        text,
        &[
            // 1° the agency, its address, amicable recovery.
            "Recouvra SAS, 12 rue de la Paix, 75002 Paris, exerce une activité de recouvrement amiable de créances pour le compte d'autrui.",
            // 2° the creditor and its address.
            "pour le compte de notre client, le créancier Boulangerie Maître Pâtissier SARL, 4 place Bellecour, 69002 Lyon,",
            // 4° ways to pay: the dedicated account and a cheque, quoting the case.
            "IBAN FR76 3000 4000 0312 3456 7890 143",
            "BIC BNPAFRPPXXX",
            "en indiquant la référence REC-2026-000042",
            "Par chèque",
            "à l'ordre de Recouvra SAS",
            // 5° L111-8 al. 2 and 3, word for word.
            &l111_8(),
            "« Les frais de recouvrement entrepris sans titre exécutoire restent à la charge du créancier, sauf s'ils concernent un acte dont l'accomplissement est prescrit par la loi au créancier.",
            // R124-2: liability insurance.
            "assurée pour sa responsabilité civile professionnelle auprès de MMA IARD, police n° RCP-114-2207",
        ],
    );
}

/// 3° the basis of the claim and each component, for the B2B fixture.
fn assert_b2b_amounts(text: &str) {
    assert_contains(
        text,
        &[
            "Facture Émise le Échéance Montant TTC Principal dû Intérêts Indemnité",
            "F-2026-118 12/06/2026 12/07/2026 1 234,56 € 1 234,56 € 52,37 € 40,00 €",
            "F-2026-131 03/07/2026 02/08/2026 2 616,36 € 2 416,36 € 71,12 € 40,00 €",
            "Total 3 850,92 € 3 650,92 € 123,49 € 80,00 €",
            "Principal restant dû 3 650,92 €",
            "Intérêts de retard arrêtés au 16/11/2026 123,49 € — taux BCE + 10 points (art. L441-10 II C. com.)",
            "Indemnité forfaitaire 80,00 € — frais de recouvrement, 40 € par facture payée en retard (art. L441-10 II et D441-5 C. com.)",
            "Total dû 3 854,41 €",
            "Ces montants tiennent compte des règlements déjà reçus, soit 200,00 €.",
        ],
    );
}

fn assert_header_and_footer(pages: &[String], reference: &str) {
    let header = format!("Réf. {reference} — dossier REC-2026-000042");
    assert!(
        !pages[0].contains(&header),
        "header on page 1:\n{}",
        pages[0]
    );
    for (i, page) in pages.iter().enumerate() {
        if i > 0 {
            assert!(
                page.contains(&header),
                "no header on page {}:\n{page}",
                i + 1
            );
        }
        assert!(
            page.contains("Recouvra SAS — SIREN 912 345 678 — Assurance RCP : MMA IARD, police n° RCP-114-2207"),
            "no footer note on page {}:\n{page}",
            i + 1
        );
    }
}

#[test]
fn first_letter_has_every_r124_4_mention() {
    let ctx = b2b(LetterKind::FirstLetter);
    let (pages, text) = render_letter("first", &ctx);
    assert_r124_4(&text);
    assert_b2b_amounts(&text);
    assert_header_and_footer(&pages, "REC-2026-000042-L1");
    assert_contains(
        &text,
        &[
            "Recouvra SAS 12 rue de la Paix",
            "Transports Lefèvre SAS",
            "Paris, le 16 novembre 2026",
            "Notre référence REC-2026-000042-L1",
            "Objet : demande de règlement amiable de la somme de 3 854,41 €",
            "régler la somme de 3 854,41 € au plus tard le 30/11/2026",
            "Claire Dubois Pour Recouvra SAS",
            "En dehors de l'indemnité forfaitaire prévue par la loi entre professionnels, aucun frais de recouvrement ne vous est réclamé : les frais de notre intervention restent à la charge du créancier.",
        ],
    );
    // Issue 17: the debtor's own page, with the ways to pay.
    assert!(
        text.contains(
            "En ligne sur votre espace https://recouvra.example.fr/d/AbCdEfGhIjKlMnOpQrStUv"
        ),
        "{text}"
    );
    // The first letter refers to no earlier letter and is not registered here.
    assert_absent(&text, &["Notre premier courrier", "recommandée"]);
    assert_absent(&text, NOT_A_COURT_DOCUMENT);
}

#[test]
fn the_first_letter_ignores_a_first_letter_reference() {
    let mut ctx = b2b(LetterKind::FirstLetter);
    ctx.first_letter = Some(first_letter_ref());
    let text = letter_text(&ctx).unwrap();
    assert!(!text.contains("premier courrier"), "{text}");
}

#[test]
fn reminder_repeats_the_first_letter() {
    let ctx = b2b(LetterKind::Reminder);
    let (pages, text) = render_letter("reminder", &ctx);
    assert_b2b_amounts(&text);
    assert_header_and_footer(&pages, "REC-2026-000042-L2");
    assert_contains(
        &text,
        &[
            "Notre premier courrier : réf. REC-2026-000042-L1, envoyé le 06/10/2026",
            "Par notre courrier réf. REC-2026-000042-L1, envoyé le 06/10/2026",
            "recouvrement amiable",
            "au plus tard le 30/11/2026",
            "une mise en demeure vous sera adressée",
            "IBAN FR76 3000 4000 0312 3456 7890 143",
        ],
    );
    assert_absent(&text, NOT_A_COURT_DOCUMENT);
    // The reminder is shorter than the first letter.
    let (_, first) = render_letter("reminder-vs-first", &b2b(LetterKind::FirstLetter));
    assert!(text.len() < first.len());

    let mut missing = ctx.clone();
    missing.first_letter = None;
    assert!(
        matches!(letter(&missing, created()), Err(LetterError::Invalid(m)) if m.contains("R124-4"))
    );
}

#[test]
fn b2b_formal_notice_has_the_1344_and_r124_4_mentions() {
    let ctx = b2b(LetterKind::FormalNotice);
    let (pages, text) = render_letter("notice-b2b", &ctx);
    assert_r124_4(&text);
    assert_b2b_amounts(&text);
    assert_header_and_footer(&pages, "REC-2026-000042-L3");
    assert_contains(
        &text,
        &[
            "Lettre recommandée avec accusé de réception",
            "MISE EN DEMEURE",
            "Notre premier courrier : réf. REC-2026-000042-L1, envoyé le 06/10/2026",
            "Créancier Boulangerie Maître Pâtissier SARL, 4 place Bellecour, 69002 Lyon",
            "Débiteur Transports Lefèvre SAS, 8 allée des Châtaigniers, Zone artisanale, 69003 Lyon",
            "(numéro, date d'émission et date d'échéance)",
            "nous vous mettons en demeure, au nom et pour le compte de Boulangerie Maître Pâtissier SARL, de payer la somme de 3 854,41 € au plus tard le 30/11/2026",
            "Les intérêts de retard continuent de courir jusqu'au complet paiement (taux BCE + 10 points (art. L441-10 II C. com.)).",
            "À défaut de paiement dans ce délai, le créancier pourra, sans autre avis, saisir le juge d'une requête en injonction de payer (art. 1405 et s. du Code de procédure civile).",
            "Fait à Paris, le 16/11/2026.",
            "Claire Dubois Pour Recouvra SAS",
        ],
    );
    assert_absent(&text, &["taux légal (art. 1231-6 et 1344-1"]);
    assert_absent(&text, NOT_A_COURT_DOCUMENT);
    // The older wording of L111-8 al. 2 (« Sauf s'ils concernent… » at its head) is not
    // printed any more (case matters: the text in force has « sauf s'ils » inside).
    assert!(!text.contains("« Sauf s'ils concernent"), "{text}");
}

#[test]
fn a_formal_notice_that_is_the_first_letter_cites_no_earlier_letter() {
    let mut ctx = b2b(LetterKind::FormalNotice);
    ctx.first_letter = None;
    let (_, text) = render_letter("notice-first", &ctx);
    assert_r124_4(&text);
    assert_contains(
        &text,
        &[
            "MISE EN DEMEURE",
            "Vous restez redevable envers Boulangerie Maître Pâtissier SARL des sommes suivantes",
        ],
    );
    assert_absent(
        &text,
        &["premier courrier", "REC-2026-000042-L1", "Malgré notre"],
    );
}

#[test]
fn b2c_formal_notice_has_no_indemnity_and_starts_legal_interest() {
    let ctx = b2c_formal_notice();
    let (pages, text) = render_letter("notice-b2c", &ctx);
    assert_r124_4(&text);
    assert_header_and_footer(&pages, "REC-2026-000042-L3");
    assert_contains(
        &text,
        &[
            "MISE EN DEMEURE",
            "M. Jérôme Lefèvre",
            "Facture Émise le Échéance Montant TTC Principal dû Intérêts",
            "F-2026-201 01/08/2026 31/08/2026 890,00 € 890,00 € 0,00 €",
            "F-2026-215 20/08/2026 19/09/2026 1 499,99 € 1 499,99 € 0,00 €",
            "Total 2 389,99 € 2 389,99 € 0,00 €",
            "Total dû 2 389,99 €",
            "Aucun frais de recouvrement ne vous est réclamé : les frais de notre intervention restent à la charge du créancier.",
            "La présente mise en demeure fait courir les intérêts au taux légal (art. 1231-6 et 1344-1 du Code civil)",
            "Notre premier courrier : réf. REC-2026-000042-L1, envoyé le 06/10/2026",
            "au plus tard le 30/11/2026",
            "saisir le juge d'une requête en injonction de payer (art. 1405 et s. du Code de procédure civile)",
        ],
    );
    assert_absent(
        &text,
        &[
            "40,00",
            "Indemnité",
            "D441-5",
            "continuent de courir",
            "Lettre recommandée",
            "Ces montants tiennent compte",
        ],
    );
    assert_absent(&text, NOT_A_COURT_DOCUMENT);
}

#[test]
fn receipt_states_the_payment_and_its_imputation() {
    let r = receipt_fixture();
    let pdf = receipt(&r, created()).unwrap();
    assert!(receipt(&r, created()).unwrap() == pdf, "two renders differ");
    let text = flat(&pdf_text("receipt", &pdf));
    assert_contains(
        &text,
        &[
            "Quittance",
            "Notre référence REC-2026-000042-Q1",
            "Dossier REC-2026-000042",
            "Notre premier courrier : réf. REC-2026-000042-L1, envoyé le 06/10/2026",
            "Recouvra SAS, 12 rue de la Paix, 75002 Paris, exerce une activité de recouvrement amiable de créances pour le compte d'autrui.",
            "pour le compte du créancier Boulangerie Maître Pâtissier SARL, 4 place Bellecour, 69002 Lyon",
            "nous reconnaissons avoir reçu de Transports Lefèvre SAS le paiement suivant",
            "Montant reçu 1 500,00 €",
            "Reçu le 19/11/2026",
            "Mode de paiement virement",
            "Référence du paiement VIR LEFEVRE 191126",
            "Facture Indemnité Intérêts Principal Total",
            "F-2026-118 40,00 € 52,37 € 1 234,56 € 1 326,93 €",
            "F-2026-131 40,00 € 71,12 € 61,95 € 173,07 €",
            "Total imputé 80,00 € 123,49 € 1 296,51 € 1 500,00 €",
            "Solde restant dû après ce paiement : 2 354,41 €.",
            "article R124-6 du Code des procédures civiles d'exécution",
            "Recouvra SAS — SIREN 912 345 678 — Assurance RCP : MMA IARD, police n° RCP-114-2207",
        ],
    );
    assert_absent(&text, &["Montant non imputé", "intégralement réglée"]);
    assert_absent(&text, NOT_A_COURT_DOCUMENT);

    // A payment in full, with part of it not imputed.
    let mut full = r.clone();
    full.amount = eur("1510");
    full.balance_after = Decimal::ZERO;
    full.payment_reference = None;
    let text = flat(&pdf_text(
        "receipt-full",
        &receipt(&full, created()).unwrap(),
    ));
    assert_contains(
        &text,
        &[
            "Montant reçu 1 510,00 €",
            "Montant non imputé : 10,00 €.",
            "la créance de Boulangerie Maître Pâtissier SARL est intégralement réglée",
        ],
    );
    assert_absent(&text, &["Référence du paiement", "Solde restant dû"]);

    let mut over = r.clone();
    over.amount = eur("1499.99");
    assert!(matches!(
        receipt(&over, created()),
        Err(LetterError::Invalid(_))
    ));
}

#[test]
fn remittance_statement_lists_payments_commission_and_net() {
    let s = remittance_fixture();
    let pdf = remittance_statement(&s, created()).unwrap();
    assert!(
        remittance_statement(&s, created()).unwrap() == pdf,
        "two renders differ"
    );
    let text = flat(&pdf_text("remittance", &pdf));
    assert_contains(
        &text,
        &[
            "Boulangerie Maître Pâtissier SARL 4 place Bellecour",
            "Relevé des sommes encaissées pour votre compte",
            "Période novembre 2026",
            "article R124-6 du Code des procédures civiles d'exécution",
            "Dossier Débiteur Encaissé le Montant Commission Net",
            "REC-2026-000042 Transports Lefèvre SAS 19/11/2026 1 500,00 € 120,00 € 1 380,00 €",
            "REC-2026-000057 M. Jérôme Lefèvre 24/11/2026 2 389,99 € 191,20 € 2 198,79 €",
            "Total 3 889,99 € 311,20 € 3 578,79 €",
            "Total encaissé 3 889,99 €",
            "Commission (8,00 %) 311,20 €",
            "Net reversé 3 578,79 €",
            "Le montant net de 3 578,79 € vous sera versé par virement au plus tard le 19/12/2026.",
            "Recouvra SAS — SIREN 912 345 678 — Assurance RCP : MMA IARD, police n° RCP-114-2207",
        ],
    );
    assert_absent(&text, NOT_A_COURT_DOCUMENT);

    let mut wrong = s.clone();
    wrong.net = eur("3578.80");
    assert!(matches!(
        remittance_statement(&wrong, created()),
        Err(LetterError::Invalid(_))
    ));
    let mut wrong_line = s;
    wrong_line.lines[0].net = eur("1381.00");
    assert!(matches!(
        remittance_statement(&wrong_line, created()),
        Err(LetterError::Invalid(_))
    ));
}

#[test]
fn a_remittance_prepared_after_its_due_date_says_it_is_late() {
    // CPCE R124-6: funds encashed on 19/11/2026 were owed by 19/12/2026; a statement of
    // 05/01/2027 is late, and still goes out (it was refused before).
    let mut s = remittance_fixture();
    s.date = d(2027, 1, 5);
    let text = flat(&pdf_text(
        "remittance-late",
        &remittance_statement(&s, created()).unwrap(),
    ));
    assert_contains(
        &text,
        &[
            "Ce reversement est en retard : les fonds encaissés devaient vous être reversés au plus tard le 19/12/2026, dans le mois de leur encaissement (article R124-6 du Code des procédures civiles d'exécution).",
            "Le montant net de 3 578,79 € vous est versé par virement sans délai.",
        ],
    );
    assert_absent(&text, &["vous sera versé par virement au plus tard"]);
}

#[test]
fn a_long_footer_prints_the_whole_policy_number() {
    // A long agency name and insurer used to push the policy number past the footer's width,
    // where it was cut with an ellipsis; the note now wraps onto a second line.
    let mut ctx = b2b(LetterKind::FirstLetter);
    ctx.agency.name =
        "Cabinet de Recouvrement Amiable des Entreprises du Grand Sud-Ouest SAS".into();
    ctx.agency.insurer = "Société Mutuelle d'Assurance du Bâtiment et des Travaux Publics".into();
    ctx.agency.policy_number = "RCP-2026-0001234567-B".into();
    let (pages, _) = render_letter("long-footer", &ctx);
    for page in &pages {
        assert!(
            page.contains("police n° RCP-2026-0001234567-B"),
            "cut footer:\n{page}"
        );
        assert!(!page.contains('…'), "ellipsis in:\n{page}");
    }
}

#[test]
fn a_claim_whose_interest_stops_short_says_where_in_the_letter() {
    let mut ctx = b2b(LetterKind::FirstLetter);
    ctx.claim.interest_note =
        Some("intérêts arrêtés au 30/06/2026 : taux du 2e semestre 2026 non saisi".into());
    let (_, text) = render_letter("interest-note", &ctx);
    assert_contains(
        &text,
        &["Attention : intérêts arrêtés au 30/06/2026 : taux du 2e semestre 2026 non saisi ; les intérêts postérieurs seront ajoutés dès que ce taux sera connu."],
    );
}

#[test]
fn inconsistent_claims_are_refused() {
    let mut ctx = b2b(LetterKind::FirstLetter);
    ctx.claim.total = eur("3854.42");
    assert!(matches!(letter_text(&ctx), Err(LetterError::Invalid(m)) if m.contains("claim total")));

    let mut ctx = b2b(LetterKind::FirstLetter);
    ctx.claim.invoices[0].interest = eur("52.38");
    assert!(
        matches!(letter_text(&ctx), Err(LetterError::Invalid(m)) if m.contains("claim interest"))
    );

    let mut ctx = b2c_formal_notice();
    ctx.claim.invoices[0].indemnity = eur("40");
    ctx.claim.indemnity = eur("40");
    ctx.claim.total = eur("2429.99");
    assert!(matches!(letter_text(&ctx), Err(LetterError::Invalid(m)) if m.contains("consumer")));

    let mut ctx = b2b(LetterKind::FirstLetter);
    ctx.pay_by = d(2026, 11, 15);
    assert!(matches!(letter_text(&ctx), Err(LetterError::Invalid(_))));

    let mut ctx = b2b(LetterKind::FirstLetter);
    ctx.agency.policy_number = " ".into();
    assert!(matches!(letter_text(&ctx), Err(LetterError::Invalid(m)) if m.contains("policy")));
}

#[test]
fn data_cannot_inject_markup() {
    let mut ctx = b2b(LetterKind::FormalNotice);
    ctx.debtor.name = "::end | # Débiteur\n::pagebreak".into();
    ctx.debtor.address_lines = lines(&["--", "# 3 | rue", "-- 69003 Lyon \\"]);
    ctx.claim.invoices[0].number = "F|118".into();
    let text = letter_text(&ctx).unwrap();
    let blocks = markup::parse(&text).unwrap();
    assert!(!blocks.contains(&crate::documents::pdf::Block::PageBreak));
    let (_, pdf) = render_letter("injection", &ctx);
    assert_contains(
        &pdf,
        &[
            "::end | # Débiteur ::pagebreak",
            "# 3 | rue",
            "-- 69003 Lyon \\",
            "F|118 12/06/2026",
        ],
    );
}

#[test]
fn every_letter_template_gives_valid_markup() {
    for ctx in [
        b2b(LetterKind::FirstLetter),
        b2b(LetterKind::Reminder),
        b2b(LetterKind::FormalNotice),
        b2c_formal_notice(),
    ] {
        let text = letter_text(&ctx).unwrap();
        assert!(text.contains("::table"), "{text}");
        let blocks = markup::parse(&text).unwrap();
        assert!(blocks.len() > 10, "{blocks:#?}");
        // No tera syntax left over.
        assert!(!text.contains("{{") && !text.contains("{%"), "{text}");
    }
}

#[test]
fn formatting() {
    assert_eq!(format_euros(eur("1234.56")), "1\u{a0}234,56\u{a0}€");
    assert_eq!(
        format_euros(eur("1234567.005")),
        "1\u{a0}234\u{a0}567,01\u{a0}€"
    );
    assert_eq!(format_euros(eur("999.999")), "1\u{a0}000,00\u{a0}€");
    assert_eq!(format_euros(eur("40")), "40,00\u{a0}€");
    assert_eq!(format_euros(eur("0.5")), "0,50\u{a0}€");
    assert_eq!(format_euros(Decimal::ZERO), "0,00\u{a0}€");
    assert_eq!(format_euros(eur("-0.001")), "0,00\u{a0}€");
    assert_eq!(format_euros(eur("-1500")), "-1\u{a0}500,00\u{a0}€");
    assert_eq!(format_euros(eur("123456")), "123\u{a0}456,00\u{a0}€");
    assert_eq!(format_date(d(2026, 11, 22)), "22/11/2026");
    assert_eq!(format_date(d(2026, 3, 1)), "01/03/2026");
    assert_eq!(format_date_long(d(2026, 3, 1)), "1er mars 2026");
    assert_eq!(format_date_long(d(2026, 8, 15)), "15 août 2026");
    // The no-break space can be printed by the PDF fonts (U+202F could not).
    assert!(
        crate::documents::pdf::metrics::sanitize("1\u{a0}234,56\u{a0}€") == "1\u{a0}234,56\u{a0}€"
    );
}

#[test]
fn filters_accept_numbers_and_reject_garbage() {
    let none = HashMap::new();
    assert_eq!(
        euros_filter(&json!(1234.5), &none).unwrap(),
        json!("1\u{a0}234,50\u{a0}€")
    );
    assert_eq!(
        euros_filter(&json!("12"), &none).unwrap(),
        json!("12,00\u{a0}€")
    );
    assert!(euros_filter(&json!("douze"), &none).is_err());
    assert_eq!(
        date_filter(&json!("2026-11-22"), &none).unwrap(),
        json!("22/11/2026")
    );
    assert!(date_filter(&json!("22/11/2026"), &none).is_err());
}

#[test]
fn courteous_reminder_email() {
    let mut ctx = b2b(LetterKind::Reminder);
    let e = email(EmailKind::CourteousReminder, &ctx).unwrap();
    assert_eq!(e.subject, "Dossier REC-2026-000042 — rappel de paiement");
    for expected in [
        "Sauf erreur de notre part, la somme de 3\u{a0}854,41\u{a0}€ due à Boulangerie Maître Pâtissier SARL au titre de vos factures F-2026-118, F-2026-131 reste impayée à ce jour.",
        "recouvrement amiable",
        "au plus tard le 30/11/2026",
        "IBAN FR76 3000 4000 0312 3456 7890 143 (BIC BNPAFRPPXXX), en indiquant la référence REC-2026-000042",
        "Notre premier courrier : réf. REC-2026-000042-L1, envoyé le 06/10/2026.",
        "Claire Dubois\nRecouvra SAS — 01 23 45 67 89",
        "Votre espace en ligne, pour voir la somme due au jour près, payer, proposer un échéancier ou contester : https://recouvra.example.fr/d/AbCdEfGhIjKlMnOpQrStUv (le code postal",
    ] {
        assert!(e.body.contains(expected), "missing {expected:?} in:\n{}", e.body);
    }
    assert!(!e.body.contains("\n\n\n") && !e.body.starts_with('\n') && !e.body.ends_with('\n'));
    assert_absent(&e.body, &["mise en demeure", "huissier", "{{"]);

    ctx.first_letter = None;
    ctx.claim.invoices.truncate(1);
    ctx.claim.principal = eur("1234.56");
    ctx.claim.interest = eur("52.37");
    ctx.claim.indemnity = eur("40");
    ctx.claim.total = eur("1326.93");
    let e = email(EmailKind::CourteousReminder, &ctx).unwrap();
    assert!(
        e.body
            .contains("au titre de votre facture F-2026-118 reste impayée"),
        "{}",
        e.body
    );
    assert!(!e.body.contains("premier courrier"), "{}", e.body);
}

#[test]
fn firm_reminder_email() {
    let ctx = b2b(LetterKind::Reminder);
    let e = email(EmailKind::FirmReminder, &ctx).unwrap();
    assert_eq!(
        e.subject,
        "Dossier REC-2026-000042 — dernier rappel avant mise en demeure"
    );
    for expected in [
        "Notre premier courrier : réf. REC-2026-000042-L1, envoyé le 06/10/2026.",
        "la somme de 3\u{a0}854,41\u{a0}€ due à Boulangerie Maître Pâtissier SARL reste impayée",
        "au plus tard le 30/11/2026",
        "une mise en demeure vous sera adressée",
        "recouvrement amiable",
    ] {
        assert!(
            e.body.contains(expected),
            "missing {expected:?} in:\n{}",
            e.body
        );
    }
    let mut no_first = ctx;
    no_first.first_letter = None;
    assert!(matches!(
        email(EmailKind::FirmReminder, &no_first),
        Err(LetterError::Invalid(_))
    ));
}

#[test]
fn template_and_markup_failures_are_errors() {
    let err = render_template("letters/missing.tera", &tera::Context::new(), true).unwrap_err();
    assert!(
        matches!(&err, LetterError::Template { template, .. } if template == "letters/missing.tera"),
        "{err}"
    );
    // A letter template rendered without its context fails cleanly, naming the variable.
    let err =
        render_template("letters/first_letter.tera", &tera::Context::new(), true).unwrap_err();
    assert!(err.to_string().contains("agency"), "{err}");
    let err = to_pdf(
        "letters/x.tera",
        "Texte\n\n::table\nA:20:left\n",
        "t".into(),
        "h".into(),
        &agency(),
        created(),
    )
    .unwrap_err();
    assert!(
        matches!(&err, LetterError::Markup { source, .. } if source.line() == 3),
        "{err}"
    );
}
