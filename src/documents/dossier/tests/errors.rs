//! What stops a dossier: exhibits that cannot be placed or do not match their record, and
//! figures that do not add up. Nothing is produced in those cases.

use super::*;

/// A change that makes an input wrong.
type Spoil = Box<dyn Fn(&mut DossierInput)>;

fn with_pdf_exhibit(bytes: Vec<u8>) -> (DossierInput, MemorySource) {
    let (mut input, mut source) = b2b_dossier();
    add_exhibit(
        &mut input,
        &mut source,
        (
            "Relevé de compte",
            ymd(2026, 2, 1),
            "application/pdf",
            "releve.pdf",
        ),
        bytes,
    );
    (input, source)
}

/// The error of a build that must fail (without printing the bytes of one that did not).
fn fails<T>(result: Result<T, DossierError>) -> DossierError {
    match result {
        Ok(_) => panic!("expected an error, got a document"),
        Err(e) => e,
    }
}

fn exhibit_error(err: DossierError) -> (u32, String) {
    match err {
        DossierError::Exhibit { number, reason } => (number, reason),
        other => panic!("expected an exhibit error, got {other:?}"),
    }
}

#[test]
fn a_broken_pdf_exhibit_is_an_error_naming_it() {
    let (input, source) =
        with_pdf_exhibit(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> garbage".to_vec());
    let (number, reason) = exhibit_error(fails(dossier_pdf(&input, &source)));
    assert_eq!(number, 4);
    assert!(reason.contains("cannot read the PDF"), "{reason}");
}

#[test]
fn a_password_protected_pdf_exhibit_is_an_error_naming_it() {
    let locked = common::qpdf_transform(
        "locked-exhibit",
        &contract_pdf(),
        &["--encrypt", "user-secret", "owner-secret", "256", "--"],
    )
    .expect("qpdf is required");
    let (input, source) = with_pdf_exhibit(locked);
    let err = fails(dossier_pdf(&input, &source));
    assert!(err.to_string().starts_with("exhibit 4: "), "{err}");
    let (number, reason) = exhibit_error(err);
    assert_eq!(number, 4);
    assert!(reason.contains("password"), "{reason}");
}

#[test]
fn an_undecodable_image_is_an_error_naming_it() {
    let (mut input, mut source) = b2b_dossier();
    // The engine reads a JPEG's header only (the bytes are embedded as they are): break it.
    let mut bytes = jpeg();
    bytes.truncate(20);
    source.0.insert(2, bytes.clone());
    input.exhibits[1].sha256 = sha256(&bytes);
    input.exhibits[1].size_bytes = bytes.len() as u64;
    assert_eq!(exhibit_error(fails(dossier_pdf(&input, &source))).0, 2);
}

#[test]
fn exhibit_bytes_that_are_not_the_recorded_ones_are_refused() {
    let (input, source) = b2b_dossier();
    let pdf = dossier_pdf(&input, &source).unwrap();
    let with = |number: u32, bytes: Option<Vec<u8>>| {
        let mut s = MemorySource(source.0.clone());
        match bytes {
            Some(b) => s.0.insert(number, b),
            None => s.0.remove(&number),
        };
        s
    };
    // Same size, one bit changed: the hash printed in the bordereau would be wrong.
    let mut flipped = source.0[&1].clone();
    let last = flipped.len() - 2;
    flipped[last] ^= 1;
    let flipped = with(1, Some(flipped));
    for err in [
        fails(dossier_pdf(&input, &flipped)),
        fails(dossier_zip(&input, &pdf, &flipped)),
    ] {
        let (number, reason) = exhibit_error(err);
        assert_eq!(
            (number, reason.as_str()),
            (1, "the bytes do not match the recorded SHA-256")
        );
    }
    // Another size (the text file is only read for the ZIP).
    let short = with(3, Some(b"short".to_vec()));
    let (number, reason) = exhibit_error(fails(dossier_zip(&input, &pdf, &short)));
    assert_eq!(number, 3);
    assert!(reason.contains("5 bytes read"), "{reason}");
    // A missing exhibit: the source's own error goes through.
    let missing = with(3, None);
    let (number, reason) = exhibit_error(fails(dossier_zip(&input, &pdf, &missing)));
    assert_eq!((number, reason.as_str()), (3, "not in the evidence store"));
}

#[test]
fn a_statement_that_does_not_add_up_is_refused() {
    let (input, source) = b2b_dossier();
    let cases: Vec<(&str, Spoil)> = vec![
        (
            "total",
            Box::new(|i| i.statement.totals.total_due += eur("0.01")),
        ),
        (
            "totals vs lines",
            Box::new(|i| {
                i.statement.totals.interest_outstanding += eur("1");
                i.statement.totals.total_due += eur("1");
            }),
        ),
        (
            "line total",
            Box::new(|i| i.statement.invoices[1].total_due += eur("1")),
        ),
        (
            "period sum",
            Box::new(|i| i.statement.invoices[0].interest_periods[0].amount += eur("0.01")),
        ),
        (
            "payment imputation",
            Box::new(|i| i.statement.payments[0].amount += eur("5")),
        ),
    ];
    for (what, spoil) in cases {
        let mut bad = input.clone();
        spoil(&mut bad);
        let err = fails(dossier_pdf(&bad, &source));
        assert!(matches!(err, DossierError::Statement(_)), "{what}: {err:?}");
        let err = fails(dossier_zip(&bad, b"%PDF", &source));
        assert!(matches!(err, DossierError::Statement(_)), "{what}: {err:?}");
    }
}

#[test]
fn inconsistent_inputs_are_refused_before_anything_is_read() {
    let (input, _) = b2b_dossier();
    // An empty source: any read would fail with an exhibit error instead.
    let empty = MemorySource::default();
    let cases: Vec<(&str, Spoil)> = vec![
        ("date", Box::new(|i| i.date = ymd(2026, 3, 3))),
        (
            "invoice amount",
            Box::new(|i| i.invoices[2].amount += eur("1")),
        ),
        ("invoice order", Box::new(|i| i.invoices.swap(0, 1))),
        ("numbering", Box::new(|i| i.exhibits[1].number = 3)),
        ("no exhibit", Box::new(|i| i.exhibits.clear())),
        ("hash", Box::new(|i| i.exhibits[0].sha256 = "ABC".into())),
        ("court", Box::new(|i| i.court.name = " ".into())),
        ("creditor SIREN", Box::new(|i| i.creditor.siren.clear())),
        (
            "debtor",
            Box::new(|i| {
                if let DebtorParty::Company(c) = &mut i.debtor {
                    c.address_lines = vec![String::new()];
                }
            }),
        ),
        ("basis", Box::new(|i| i.basis.clear())),
    ];
    for (what, spoil) in cases {
        let mut bad = input.clone();
        spoil(&mut bad);
        let err = fails(dossier_pdf(&bad, &empty));
        assert!(
            matches!(err, DossierError::Invalid(_) | DossierError::Exhibit { .. })
                && !err.to_string().contains("evidence store"),
            "{what}: {err:?}"
        );
    }
}

#[test]
fn nothing_due_is_nothing_to_claim() {
    let mut input = b2b_input();
    let claim = ClaimInput {
        kind: ClaimKind::B2B,
        creditor_is_private_person: false,
        contractual_rate: None,
        formal_notice_date: None,
        title_enforceable_on: None,
        interest_stops_on: None,
        invoices: vec![invoice(1, "F-1", ymd(2025, 6, 1), ymd(2025, 7, 1), "100")],
        payments: vec![PaymentInput {
            id: 1,
            date: ymd(2025, 7, 1),
            amount: eur("100"),
            invoice_id: None,
        }],
    };
    input.invoices = invoice_lines(&claim);
    input.statement = engine_statement(&claim, input.date);
    let mut source = MemorySource::default();
    add_exhibit(
        &mut input,
        &mut source,
        ("Facture", ymd(2025, 6, 1), "text/plain", "f.txt"),
        b"x".to_vec(),
    );
    let err = fails(dossier_pdf(&input, &source));
    assert!(err.to_string().contains("nothing is due"), "{err}");
}
