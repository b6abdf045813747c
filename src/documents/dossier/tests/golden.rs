//! The B2B dossier of the fixtures, read back page by page.

use super::*;

/// Cover 1 + requête 2 + statement 2 + bordereau 1, then divider + 2 pages (contract),
/// divider + 1 page (the JPEG), divider alone (the text file, only in the ZIP).
const PAGES: usize = 1 + 2 + 2 + 1 + (1 + 2) + (1 + 1) + 1;

#[test]
fn the_engine_figures_of_the_fixture_are_the_ones_asserted() {
    let t = b2b_input().statement.totals;
    assert_eq!(t.principal_outstanding, eur("3924.76"));
    assert_eq!(t.interest_outstanding, eur("240.81"));
    assert_eq!(t.indemnity_outstanding, eur("80"));
    assert_eq!(t.total_due, eur("4245.57"));
    assert_eq!(t.payments_received, eur("1000"));
}

#[test]
fn b2b_dossier_states_the_parties_the_court_the_sums_and_the_exhibits() {
    let (input, source) = b2b_dossier();
    let pdf = dossier_pdf(&input, &source).unwrap();
    assert!(pdf.starts_with(b"%PDF-1."));
    assert_eq!(page_count(&pdf).unwrap(), PAGES);
    assert_qpdf_ok("b2b", &pdf);
    assert!(
        dossier_pdf(&input, &source).unwrap() == pdf,
        "two builds of the PDF differ"
    );

    let pages = pages_text("b2b", &pdf);
    assert_eq!(pages.len(), PAGES);
    let all = pages.join(" ");
    assert!(!all.contains('?'), "unprintable character in:\n{all}");

    // Cover: what, before whom, who against whom, how much, what is inside.
    assert_contains(
        &pages[0],
        &[
            "Requête en injonction de payer",
            "Tribunal de commerce de Dijon",
            "Requérant Boulangerie Maître Pâtissier (SARL, SIREN 512 345 678)",
            "Débiteur Transports Lefèvre (SAS, SIREN 823 456 789)",
            "Dossier REC-2026-000031",
            "Date 2 mars 2026",
            "Somme réclamée 4\u{a0}245,57\u{a0}€",
            "Requête en injonction de payer p. 2 à 3",
            "Décompte de la créance p. 4 à 5",
            "Bordereau des pièces p. 6",
            "Pièce n° 1 — Contrat de fourniture p. 7 à 9",
            "Pièce n° 2 — Bon de livraison signé p. 10 à 11",
            "pieces/03-Releve_des_echanges.txt",
            "Le dossier compte 12 pages.",
        ],
    );

    // The requête (pages 2–3): CPC 1407 and 57.
    let requete = format!("{} {}", pages[1], pages[2]);
    assert_contains(
        &requete,
        &[
            "REQUÊTE EN INJONCTION DE PAYER",
            "cerfa n° 12946",
            "À Monsieur ou Madame le Président du tribunal de commerce Tribunal de commerce de Dijon",
            "Dénomination Boulangerie Maître Pâtissier Forme juridique SARL SIREN 512 345 678 Siège social 4 place Bellecour, 69002 Lyon",
            "prise en la personne de son gérant",
            "Nom Maître Claire Dubois Qualité Avocat Cabinet Dubois & Associés",
            "Dénomination Transports Lefèvre Forme juridique SAS SIREN 823 456 789 Siège social 8 allée des Châtaigniers, 21000 Dijon",
            "(article 1406 du Code de procédure civile)",
            "de la somme de 4 245,57 €, arrêtée au 02/03/2026",
            // Per invoice: principal, interest start date, interest, indemnity.
            "F-2025-118 12/07/2025 328,40 € 13/07/2025 11,15 € 0,00 €",
            "F-2025-131 02/08/2025 2 616,36 € 03/08/2025 184,64 € 40,00 €",
            "F-2025-162 15/10/2025 980,00 € 16/10/2025 45,02 € 40,00 €",
            "Total 3 924,76 € 240,81 € 80,00 €",
            "Principal restant dû 3 924,76 €",
            "Intérêts de retard arrêtés au 02/03/2026 240,81 € — taux BCE + 10 points (C. com. L441-10 II) ; taux appliqué(s) : 12,15 %",
            "Indemnités forfaitaires 80,00 € — indemnité pour frais de recouvrement de 40 € par facture payée en retard (articles L441-10 II et D441-5 du Code de commerce)",
            "Total réclamé 4 245,57 €",
            "paiements reçus, soit 1 000,00 €",
            "6. Fondement de la créance Le requérant a livré au débiteur",
            "enjoindre à Transports Lefèvre de lui payer",
            "— la somme de 3 924,76 € en principal ;",
            "— la somme de 240,81 € au titre des intérêts de retard arrêtés au 02/03/2026 ;",
            "— la somme de 80,00 € au titre de l'indemnité forfaitaire pour frais de recouvrement ;",
            "soit au total la somme de 4 245,57 €, outre les intérêts de retard sur la somme de 3 924,76 € à compter du 03/03/2026 et jusqu'à parfait paiement",
            "En application de l'article 1408 du Code de procédure civile, le requérant demande qu'en cas d'opposition, l'affaire soit immédiatement renvoyée",
            "Pièces communiquées selon bordereau ci-annexé (3 pièces).",
            "Fait à Dijon, le 2 mars 2026",
            "Pour Boulangerie Maître Pâtissier Maître Claire Dubois Avocat, Dubois & Associés",
        ],
    );
    // CPCE L111-8: nothing but principal, interest and the legal indemnity.
    for cost in [
        "frais de procédure",
        "honoraires",
        "frais de dossier",
        "commission",
    ] {
        assert!(
            !requete.to_lowercase().contains(cost),
            "{cost} in the requête"
        );
    }

    // The statement (pages 4–5): every period, the imputation, the totals.
    let statement = format!("{} {}", pages[3], pages[4]);
    assert_contains(
        &statement,
        &[
            "DÉCOMPTE DE LA CRÉANCE Arrêté au 02/03/2026",
            "13/07/2025 20/11/2025 131 1 234,56 € 12,15 % 53,84 €",
            "21/11/2025 31/12/2025 41 328,40 € 12,15 % 4,48 €",
            "03/08/2025 31/12/2025 151 2 616,36 € 12,15 % 131,51 €",
            "01/01/2026 02/03/2026 61 980,00 € 12,15 % 19,90 €",
            "20/11/2025 1 000,00 € F-2025-118 40,00 € 53,84 € 906,16 €",
            "Principal 4 830,92 € 906,16 € 3 924,76 €",
            "Intérêts de retard 294,65 € 53,84 € 240,81 €",
            "Indemnités forfaitaires 120,00 € 40,00 € 80,00 €",
            "Total restant dû 4 245,57 €",
        ],
    );

    // The bordereau (page 6): every exhibit with its full SHA-256 (in two halves).
    assert_contains(&pages[5], &["BORDEREAU DES PIÈCES COMMUNIQUÉES"]);
    for e in &input.exhibits {
        let (a, b) = e.sha256.split_at(32);
        assert!(
            pages[5].contains(a) && pages[5].contains(b),
            "{} not in:\n{}",
            e.sha256,
            pages[5]
        );
        assert!(pages[5].contains(&e.title), "{}", e.title);
    }
    assert_contains(
        &pages[5],
        &["archive ZIP seule", "Fait à Dijon, le 2 mars 2026"],
    );

    // Dividers, then the exhibits' own pages.
    assert_contains(
        &pages[6],
        &["Pièce n° 1", "Contrat de fourniture", "06/01/2025"],
    );
    assert_contains(
        &pages[7],
        &["Contrat de fourniture — CONTRAT-TEST", "page 1 / 2"],
    );
    assert_contains(&pages[8], &["Article 9.", "page 2 / 2"]);
    assert_contains(&pages[9], &["Pièce n° 2", "Bon de livraison signé"]);
    assert!(
        pages[10].is_empty(),
        "the JPEG page has no text: {}",
        pages[10]
    );
    assert_contains(
        &pages[11],
        &[
            "Pièce n° 3",
            "Échanges de courriels",
            "Pièce fournie uniquement dans l'archive ZIP du dossier (Texte) : pieces/03-Releve_des_echanges.txt",
        ],
    );
    // Divider pages carry no page number of their own.
    for divider in [6, 9, 11] {
        assert!(!pages[divider].contains("page 1 /"), "{}", pages[divider]);
    }
}

#[test]
fn b2b_dossier_bookmarks_open_each_part() {
    let (input, source) = b2b_dossier();
    let pdf = dossier_pdf(&input, &source).unwrap();
    let path = common::temp_pdf("outline", &pdf);
    let out = Command::new("qpdf")
        .args(["--json", "--json-key=outlines"])
        .arg(&path)
        .output()
        .expect("qpdf is required");
    let _ = std::fs::remove_file(&path);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let outline: Vec<(String, u64)> = json["outlines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            (
                o["title"].as_str().unwrap().to_string(),
                o["destpageposfrom1"].as_u64().unwrap(),
            )
        })
        .collect();
    let expected = [
        ("Page de garde", 1),
        ("Requête en injonction de payer", 2),
        ("Décompte de la créance", 4),
        ("Bordereau des pièces", 6),
        ("Pièce n° 1 — Contrat de fourniture", 7),
        ("Pièce n° 2 — Bon de livraison signé", 10),
        ("Pièce n° 3 — Échanges de courriels", 12),
    ];
    let expected: Vec<(String, u64)> = expected.iter().map(|(t, p)| (t.to_string(), *p)).collect();
    assert_eq!(outline, expected);
}

#[test]
fn b2b_zip_holds_the_pdf_the_exhibits_and_a_manifest_of_their_hashes() {
    let (input, source) = b2b_dossier();
    let pdf = dossier_pdf(&input, &source).unwrap();
    let zip = dossier_zip(&input, &pdf, &source).unwrap();
    assert!(
        dossier_zip(&input, &pdf, &source).unwrap() == zip,
        "two builds of the ZIP differ"
    );
    let read = python_zip("b2b", &zip);
    assert!(read["bad"].is_null(), "CRC error in {}", read["bad"]);
    let entries = read["entries"].as_array().unwrap();
    let names: Vec<&str> = entries
        .iter()
        .map(|e| e["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "dossier.pdf",
            "pieces/01-Contrat_signe.pdf",
            "pieces/02-BL-0612.jpeg",
            "pieces/03-Releve_des_echanges.txt",
            "manifest.json",
        ]
    );
    for e in entries {
        assert_eq!(e["method"], 0, "STORED");
        assert_eq!(e["date"], serde_json::json!([2026, 3, 2, 0, 0, 0]));
    }
    assert_eq!(entries[0]["sha256"], sha256(&pdf));
    for (entry, exhibit) in entries[1..4].iter().zip(&input.exhibits) {
        assert_eq!(entry["sha256"], exhibit.sha256.as_str());
        assert_eq!(entry["size"], exhibit.size_bytes);
    }

    // The manifest: fixed key order, every file but itself, hashes of the bytes shipped.
    let manifest = &read["manifest"];
    assert_eq!(manifest["case"], "REC-2026-000031");
    assert_eq!(manifest["date"], "2026-03-02");
    let files = manifest["files"].as_array().unwrap();
    assert_eq!(files.len(), 4);
    for (file, entry) in files.iter().zip(entries) {
        assert_eq!(file["path"], entry["name"]);
        assert_eq!(file["sha256"], entry["sha256"]);
        assert_eq!(file["size"], entry["size"]);
    }
    assert!(files[0]["exhibit"].is_null());
    assert_eq!(files[3]["exhibit"], 3);
    assert_eq!(files[3]["title"], "Échanges de courriels");
    let text = read["manifest_text"].as_str().unwrap();
    let order = [
        "\"path\"",
        "\"sha256\"",
        "\"size\"",
        "\"exhibit\"",
        "\"title\"",
    ];
    let positions: Vec<usize> = order.iter().map(|k| text.find(k).unwrap()).collect();
    assert!(
        positions.windows(2).all(|w| w[0] < w[1]),
        "key order: {text}"
    );
    assert!(text.starts_with("{\n  \"case\": \"REC-2026-000031\",\n  \"date\": \"2026-03-02\","));
}
