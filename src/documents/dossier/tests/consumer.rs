//! A consumer debtor before the tribunal judiciaire: legal interest from the formal notice,
//! no indemnity (C. com. D441-5 applies between professionals only).

use super::*;
use crate::documents::letters::format_euros;

/// B2C: one invoice, legal interest from the formal notice of 1 October 2025, no payment.
fn b2c_dossier() -> (DossierInput, MemorySource) {
    let date = ymd(2026, 3, 2);
    let claim = ClaimInput {
        kind: ClaimKind::B2C,
        creditor_is_private_person: false,
        contractual_rate: None,
        formal_notice_date: Some(ymd(2025, 10, 1)),
        title_enforceable_on: None,
        interest_stops_on: None,
        invoices: vec![invoice(
            7,
            "F-2025-201",
            ymd(2025, 8, 1),
            ymd(2025, 9, 1),
            "1850.00",
        )],
        payments: vec![],
    };
    let mut input = DossierInput {
        court: CourtInfo {
            judge: "Monsieur ou Madame le Président du tribunal judiciaire".into(),
            name: "Tribunal judiciaire de Dijon".into(),
            cerfa: "12948*06".into(),
        },
        debtor: DebtorParty::Individual {
            surname: "Lefèvre".into(),
            first_names: "Jérôme Paul".into(),
            address_lines: vec!["8 allée des Châtaigniers".into(), "21000 Dijon".into()],
            profession: None,
            birth: Some("le 3 mai 1980 à Beaune (21)".into()),
        },
        basis: "Travaux de rénovation de cuisine réalisés selon devis accepté du 2 juin 2025 et facturés le 1er août 2025, demeurés impayés malgré la mise en demeure du 1er octobre 2025 (article 1103 du Code civil).".into(),
        invoices: invoice_lines(&claim),
        statement: engine_statement(&claim, date),
        interest_basis: "taux légal (C. civ. 1231-6), à compter de la mise en demeure".into(),
        transfer_on_opposition: false,
        ..b2b_input()
    };
    let mut source = MemorySource::default();
    add_exhibit(
        &mut input,
        &mut source,
        (
            "Devis accepté",
            ymd(2025, 6, 2),
            "application/pdf",
            "devis.pdf",
        ),
        contract_pdf(),
    );
    (input, source)
}

#[test]
fn consumer_dossier_claims_legal_interest_and_no_indemnity() {
    let (input, source) = b2c_dossier();
    let t = &input.statement.totals;
    assert!(t.indemnity.is_zero() && t.interest_outstanding > Decimal::ZERO);
    let pdf = dossier_pdf(&input, &source).unwrap();
    assert_qpdf_ok("b2c", &pdf);
    // Cover, requête 2, statement 1, bordereau, divider + 2 pages.
    assert_eq!(page_count(&pdf).unwrap(), 1 + 2 + 1 + 1 + 1 + 2);
    let pages = pages_text("b2c", &pdf);
    let all = pages.join(" ");
    let money = |d: Decimal| format_euros(d);
    assert_contains(
        &all,
        &[
            "cerfa n° 12948*06",
            "À Monsieur ou Madame le Président du tribunal judiciaire Tribunal judiciaire de Dijon",
            "Nom Lefèvre Prénoms Jérôme Paul Domicile 8 allée des Châtaigniers, 21000 Dijon Naissance le 3 mai 1980 à Beaune (21)",
            "Débiteur Jérôme Paul Lefèvre",
            &format!("F-2025-201 01/09/2025 1 850,00 € 02/10/2025 {}", money(t.interest_outstanding)),
            &format!("Principal restant dû {}", money(t.principal_outstanding)),
            &format!(
                "Intérêts de retard arrêtés au 02/03/2026 {} — taux légal (C. civ. 1231-6), à compter de la mise en demeure ; taux appliqué(s) : 2,76 % ; 2,62 %",
                money(t.interest_outstanding)
            ),
            &format!("Total réclamé {}", money(t.total_due)),
            "02/10/2025 31/12/2025 91 1 850,00 € 2,76 %",
            "01/01/2026 02/03/2026 61 1 850,00 € 2,62 %",
            "Aucun paiement n'a été reçu depuis la prise en charge du dossier.",
        ],
    );
    // No indemnity anywhere, no profession row (not given), no CPC 1408 request.
    for absent in ["ndemnité", "Profession", "1408", "Paiements reçus, soit"] {
        assert!(!all.contains(absent), "{absent:?} in:\n{all}");
    }
    assert_eq!(
        t.total_due,
        t.principal_outstanding + t.interest_outstanding
    );
}
