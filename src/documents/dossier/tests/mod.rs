//! Tests of the dossier: the PDF read back with `pdftotext`, checked with `qpdf --check`, the
//! ZIP read back with python3's `zipfile`. Fixtures: a B2B claim computed by the real claim
//! engine, exhibits made with the PDF engine.
#![allow(clippy::unwrap_used, clippy::expect_used)]

// The PDF engine's test helpers (`pdftotext`, `qpdf --check`), shared with its own tests.
#[allow(dead_code, clippy::duplicate_mod)]
#[path = "../../pdf/tests/common.rs"]
mod common;

mod consumer;
mod errors;
mod golden;
mod names;

use super::*;
use crate::documents::pdf::{page_count, render, Block, Document};
use crate::domain::claim::{statement, ClaimInput, ClaimKind, InvoiceInput, PaymentInput};
use crate::domain::rates::RateTable;
use crate::domain::statement::Statement;
use chrono::NaiveDate;
use printpdf::{OutputImageFormat, RawImage, RawImageData, RawImageFormat};
use rust_decimal::Decimal;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::process::Command;

pub(super) fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

pub(super) fn eur(s: &str) -> Decimal {
    s.parse().unwrap()
}

fn lines(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

/// Exhibit bytes by number, as the evidence store would return them.
#[derive(Default)]
pub(super) struct MemorySource(pub(super) BTreeMap<u32, Vec<u8>>);

impl ExhibitSource for MemorySource {
    fn bytes(&self, exhibit: &Exhibit) -> Result<Vec<u8>, DossierError> {
        self.0
            .get(&exhibit.number)
            .cloned()
            .ok_or_else(|| DossierError::Exhibit {
                number: exhibit.number,
                reason: "not in the evidence store".into(),
            })
    }
}

pub(super) fn sha256(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Adds an exhibit with its bytes (metadata computed from them).
pub(super) fn add_exhibit(
    input: &mut DossierInput,
    source: &mut MemorySource,
    (title, date, media_type, filename): (&str, NaiveDate, &str, &str),
    bytes: Vec<u8>,
) {
    let number = input.exhibits.len() as u32 + 1;
    input.exhibits.push(Exhibit {
        number,
        title: title.into(),
        date,
        nature: "Facture".into(),
        media_type: media_type.into(),
        sha256: sha256(&bytes),
        size_bytes: bytes.len() as u64,
        filename: filename.into(),
    });
    source.0.insert(number, bytes);
}

/// A two-page contract made with the PDF engine.
pub(super) fn contract_pdf() -> Vec<u8> {
    let mut doc = Document::new(
        "Contrat",
        "Boulangerie Maître Pâtissier",
        ymd(2025, 1, 6).and_hms_opt(9, 0, 0).unwrap(),
    );
    doc.push(Block::Heading(
        1,
        "Contrat de fourniture — CONTRAT-TEST".into(),
    ));
    for i in 1..=9 {
        doc.push(Block::Paragraph(
            format!("Article {i}. Le fournisseur livre au client les produits commandés selon les conditions générales de vente annexées. ").repeat(5),
        ));
    }
    let pdf = render(&doc).unwrap();
    assert_eq!(
        page_count(&pdf).unwrap(),
        2,
        "the contract fixture must span two pages"
    );
    pdf
}

/// A small JPEG (a delivery note photographed), made with printpdf's encoder.
pub(super) fn jpeg() -> Vec<u8> {
    let (w, h) = (120, 80);
    let mut pixels = Vec::with_capacity(w * h * 3);
    for y in 0..h {
        for x in 0..w {
            pixels.extend([(x * 2) as u8, (y * 3) as u8, 200]);
        }
    }
    RawImage {
        pixels: RawImageData::U8(pixels),
        width: w,
        height: h,
        data_format: RawImageFormat::RGB8,
        tag: Vec::new(),
    }
    .encode_to_bytes(&[OutputImageFormat::Jpeg])
    .unwrap()
    .0
}

pub(super) fn creditor() -> CompanyParty {
    CompanyParty {
        name: "Boulangerie Maître Pâtissier".into(),
        legal_form: "SARL".into(),
        siren: "512 345 678".into(),
        address_lines: lines(&["4 place Bellecour", "69002 Lyon"]),
        representative: "prise en la personne de son gérant domicilié en cette qualité audit siège"
            .into(),
    }
}

pub(super) fn filer() -> Filer {
    Filer {
        name: "Maître Claire Dubois".into(),
        capacity: "Avocat".into(),
        firm: Some("Dubois & Associés".into()),
        address_lines: lines(&["18 rue de la Liberté", "21000 Dijon"]),
    }
}

/// The statement of `claim` as of `date` by the real engine (seeded rate table).
pub(super) fn engine_statement(claim: &ClaimInput, date: NaiveDate) -> Statement {
    statement(claim, date, &RateTable::seeded()).unwrap()
}

pub(super) fn invoice(
    id: i64,
    number: &str,
    issued: NaiveDate,
    due: NaiveDate,
    amount: &str,
) -> InvoiceInput {
    InvoiceInput {
        id,
        number: number.into(),
        issue_date: issued,
        due_date: due,
        amount: eur(amount),
        paid_before_intake: Decimal::ZERO,
    }
}

/// The dossier's invoice lines, from the engine's input.
pub(super) fn invoice_lines(claim: &ClaimInput) -> Vec<InvoiceLine> {
    claim.invoices.iter().map(InvoiceLine::from).collect()
}

/// B2B: three invoices, one partial payment of 1 000 € (imputed to the oldest), as of
/// 2 March 2026, before the commercial court of Dijon; no exhibit yet.
pub(super) fn b2b_input() -> DossierInput {
    let date = ymd(2026, 3, 2);
    let claim = ClaimInput {
        kind: ClaimKind::B2B,
        creditor_is_private_person: false,
        contractual_rate: None,
        formal_notice_date: None,
        title_enforceable_on: None,
        interest_stops_on: None,
        invoices: vec![
            invoice(
                1,
                "F-2025-118",
                ymd(2025, 6, 12),
                ymd(2025, 7, 12),
                "1234.56",
            ),
            invoice(2, "F-2025-131", ymd(2025, 7, 3), ymd(2025, 8, 2), "2616.36"),
            invoice(
                3,
                "F-2025-162",
                ymd(2025, 9, 15),
                ymd(2025, 10, 15),
                "980.00",
            ),
        ],
        payments: vec![PaymentInput {
            id: 10,
            date: ymd(2025, 11, 20),
            amount: eur("1000"),
            invoice_id: None,
        }],
    };
    DossierInput {
        date,
        place: "Dijon".into(),
        case_reference: "REC-2026-000031".into(),
        court: CourtInfo {
            judge: "Monsieur ou Madame le Président du tribunal de commerce".into(),
            name: "Tribunal de commerce de Dijon".into(),
            cerfa: "12946".into(),
        },
        creditor: creditor(),
        debtor: DebtorParty::Company(CompanyParty {
            name: "Transports Lefèvre".into(),
            legal_form: "SAS".into(),
            siren: "823 456 789".into(),
            address_lines: lines(&["8 allée des Châtaigniers", "21000 Dijon"]),
            representative:
                "prise en la personne de son président domicilié en cette qualité audit siège"
                    .into(),
        }),
        filer: filer(),
        basis: "Le requérant a livré au débiteur, en exécution du contrat de fourniture du 6 janvier 2025 et des bons de commande acceptés, les marchandises facturées ci-dessus, dont la livraison n'a fait l'objet d'aucune réserve ; ces factures sont demeurées impayées malgré la mise en demeure (article 1103 du Code civil ; pénalités de retard et indemnité forfaitaire des articles L441-10 et D441-5 du Code de commerce).".into(),
        invoices: invoice_lines(&claim),
        statement: engine_statement(&claim, date),
        interest_basis: "taux BCE + 10 points (C. com. L441-10 II)".into(),
        transfer_on_opposition: true,
        exhibits: Vec::new(),
    }
}

/// The B2B input with its three exhibits: a 2-page PDF, a JPEG, a text file.
pub(super) fn b2b_dossier() -> (DossierInput, MemorySource) {
    let mut input = b2b_input();
    let mut source = MemorySource::default();
    add_exhibit(
        &mut input,
        &mut source,
        (
            "Contrat de fourniture",
            ymd(2025, 1, 6),
            "application/pdf",
            "Contrat signé.pdf",
        ),
        contract_pdf(),
    );
    add_exhibit(
        &mut input,
        &mut source,
        (
            "Bon de livraison signé",
            ymd(2025, 6, 10),
            "image/jpeg",
            "BL-0612.jpeg",
        ),
        jpeg(),
    );
    add_exhibit(
        &mut input,
        &mut source,
        (
            "Échanges de courriels",
            ymd(2025, 12, 1),
            "text/plain; charset=utf-8",
            "Relevé des échanges",
        ),
        "Le 1er décembre 2025, le débiteur reconnaît devoir les factures.\n"
            .as_bytes()
            .to_vec(),
    );
    (input, source)
}

/// `pdftotext -layout`, page by page (the dossier tests cannot pass without it).
pub(super) fn pages_text(tag: &str, pdf: &[u8]) -> Vec<String> {
    let raw = common::pdftotext(tag, pdf).expect("pdftotext (poppler-utils) is required");
    let mut pages: Vec<String> = raw.split('\u{c}').map(flat).collect();
    pages.pop(); // after the last form feed
    pages
}

/// Whitespace-normalised text: no-break spaces become spaces, runs of whitespace become one.
pub(super) fn flat(text: &str) -> String {
    text.replace('\u{a0}', " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

pub(super) fn assert_contains(text: &str, expected: &[&str]) {
    for e in expected {
        assert!(text.contains(&flat(e)), "missing {e:?} in:\n{text}");
    }
}

/// `qpdf --check` must pass.
pub(super) fn assert_qpdf_ok(tag: &str, pdf: &[u8]) {
    let (ok, out) = common::qpdf_check(tag, pdf).expect("qpdf is required");
    assert!(ok, "qpdf --check failed:\n{out}");
}

/// Reads a ZIP with python3's `zipfile` (CRC checked by `testzip`): the entries in order,
/// each with its size, DOS date and SHA-256, and the manifest's text.
pub(super) fn python_zip(tag: &str, zip: &[u8]) -> serde_json::Value {
    let path =
        std::env::temp_dir().join(format!("recouvra-dossier-{}-{tag}.zip", std::process::id()));
    std::fs::write(&path, zip).unwrap();
    let script = r#"
import hashlib, json, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
bad = z.testzip()
out = {"bad": bad, "entries": []}
for info in z.infolist():
    data = z.read(info)
    out["entries"].append({"name": info.filename, "size": info.file_size,
        "method": info.compress_type, "date": list(info.date_time),
        "sha256": hashlib.sha256(data).hexdigest()})
out["manifest"] = json.loads(z.read("manifest.json"))
out["manifest_text"] = z.read("manifest.json").decode()
print(json.dumps(out))
"#;
    let output = Command::new("python3")
        .arg("-c")
        .arg(script)
        .arg(&path)
        .output()
        .expect("python3 is required to read the ZIP back");
    let _ = std::fs::remove_file(&path);
    assert!(
        output.status.success(),
        "python3 zipfile failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}
