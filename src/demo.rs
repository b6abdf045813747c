//! `serve --demo`: an agency, two creditors with mandates, one user of each role and about
//! thirty cases in varied states, so a newcomer sees a living system. Seeded once.

use chrono::Duration;

use crate::accounts::actor_of;
use crate::admin::{self, MandateInput, OrganisationInput, UserInput};
use crate::auth::Actor;
use crate::cases::actions;
use crate::cases::intake::{open_case, DebtorInput, InvoiceInput, OpenCaseInput};
use crate::clock::Clock;
use crate::config::HashCost;
use crate::db::DbConn;
use crate::domain::parties::{DebtorKind, OrgKind, Role};
use crate::error::AppResult;
use crate::store::users;

/// The demo accounts' password (demo data only).
pub const DEMO_PASSWORD: &str = "demo-recouvra-2026";

/// (e-mail, role, organisation index: 0 agency, 1 and 2 the creditors)
const ACCOUNTS: &[(&str, &str, Role, usize)] = &[
    ("admin@demo.recouvra.fr", "Claire Admin", Role::Admin, 0),
    ("agent@demo.recouvra.fr", "Julien Moreau", Role::Agent, 0),
    (
        "avocat@demo.recouvra.fr",
        "Me Sophie Laurent",
        Role::Lawyer,
        0,
    ),
    (
        "compta@lemaire-fournitures.fr",
        "Nadia Lemaire",
        Role::Creditor,
        1,
    ),
    (
        "gestion@berthier-batiment.fr",
        "Paul Berthier",
        Role::Creditor,
        2,
    ),
];

const DEBTORS: &[(&str, Option<&str>, &str, &str, &str)] = &[
    // (name, first name for individuals, SIREN or "", street, "postal city")
    (
        "Boulangerie Martin SARL",
        None,
        "362275869",
        "12 rue de la République",
        "69002 Lyon",
    ),
    (
        "Garage Dubois & Fils",
        None,
        "530530419",
        "4 avenue Jean Jaurès",
        "31000 Toulouse",
    ),
    (
        "Bernard",
        Some("Lucie"),
        "",
        "8 impasse des Lilas",
        "44000 Nantes",
    ),
    (
        "Restaurant Le Petit Zinc SAS",
        None,
        "749008934",
        "27 quai des Chartrons",
        "33000 Bordeaux",
    ),
    (
        "Thomas",
        Some("Hugo"),
        "",
        "3 place du Marché",
        "67000 Strasbourg",
    ),
    (
        "Pharmacie Centrale Robert",
        None,
        "925988156",
        "55 boulevard Gambetta",
        "06000 Nice",
    ),
    (
        "Menuiserie Petit SARL",
        None,
        "928720317",
        "1 chemin des Vignes",
        "21000 Dijon",
    ),
    (
        "Richard",
        Some("Camille"),
        "",
        "19 rue Nationale",
        "59000 Lille",
    ),
    (
        "Transports Durand SAS",
        None,
        "353246119",
        "ZA des Portes, lot 7",
        "35000 Rennes",
    ),
    (
        "Imprimerie Leroy",
        None,
        "631229838",
        "42 rue Paradis",
        "13006 Marseille",
    ),
    (
        "Fontaine",
        Some("Élodie"),
        "",
        "6 allée des Tilleuls",
        "37000 Tours",
    ),
    (
        "Clinique Vétérinaire Girard",
        None,
        "622390037",
        "10 route de Paris",
        "86000 Poitiers",
    ),
    (
        "Bonnet Électricité SARL",
        None,
        "665203600",
        "23 rue Victor Hugo",
        "38000 Grenoble",
    ),
    (
        "Mercier",
        Some("Antoine"),
        "",
        "14 rue des Écoles",
        "29200 Brest",
    ),
    (
        "Hôtel du Lac Blanc SAS",
        None,
        "480440569",
        "2 promenade du Lac",
        "74000 Annecy",
    ),
];

/// Seeds the demo data unless users already exist; returns the text listing the logins.
/// `portal_url`: where the server is reached, for the links of the e-mails to creditors.
pub fn seed(
    conn: &mut DbConn,
    clock: &Clock,
    cost: HashCost,
    portal_url: &str,
) -> anyhow::Result<String> {
    if users::list(conn, None, None, None, 1)?.total == 0 {
        seed_all(conn, clock, cost, portal_url)
            .map_err(|e| anyhow::anyhow!("demo seeding failed: {e}"))?;
    }
    let mut text = String::from("Demo logins (password for all: ");
    text.push_str(DEMO_PASSWORD);
    text.push_str(")\n");
    for (email, name, role, _) in ACCOUNTS {
        text.push_str(&format!("  {:<9} {email:<32} {name}\n", role.as_str()));
    }
    Ok(text)
}

fn org(
    kind: OrgKind,
    name: &str,
    siren: &str,
    street: &str,
    postal: &str,
    city: &str,
) -> OrganisationInput {
    OrganisationInput {
        kind,
        name: name.into(),
        legal_form: "SAS".into(),
        siren: siren.into(),
        address_line1: street.into(),
        address_line2: None,
        postal_code: postal.into(),
        city: city.into(),
        country: None,
    }
}

fn seed_all(conn: &mut DbConn, clock: &Clock, cost: HashCost, portal_url: &str) -> AppResult<()> {
    let orgs = [
        admin::create_organisation(
            conn,
            clock,
            None,
            &org(
                OrgKind::Agency,
                "Recouvra Démo Recouvrement",
                "856624390",
                "18 rue de Rivoli",
                "75004",
                "Paris",
            ),
        )?,
        admin::create_organisation(
            conn,
            clock,
            None,
            &org(
                OrgKind::Creditor,
                "Fournitures Lemaire",
                "871866729",
                "7 rue de l'Industrie",
                "69100",
                "Villeurbanne",
            ),
        )?,
        admin::create_organisation(
            conn,
            clock,
            None,
            &org(
                OrgKind::Creditor,
                "Berthier Bâtiment",
                "681782371",
                "90 avenue de la Gare",
                "44100",
                "Nantes",
            ),
        )?,
    ];
    let signed = clock.today() - Duration::days(120);
    let mut mandate_ids = Vec::new();
    for (o, bps) in [(&orgs[1], 1200), (&orgs[2], 1500)] {
        let m = admin::create_mandate(conn, clock, None, &MandateInput {
            organisation_id: o.id,
            signed_on: signed,
            ends_on: None,
            commission_bps: bps,
            declares_claims: true,
            terms: format!(
                "Mandat de recouvrement amiable donné par {} : pouvoir de recevoir les paiements pour \
                 son compte ; créances en principal, intérêts de retard et indemnité forfaitaire ; \
                 commission de {} % des sommes recouvrées, à la charge du créancier ; reversement \
                 des fonds sous un mois (CPCE R124-3, R124-6).",
                o.name,
                rust_decimal::Decimal::new(i64::from(bps), 2)
            ),
        })?;
        mandate_ids.push(m.id);
    }
    let mut actors: Vec<Actor> = Vec::new();
    for (email, name, role, org_index) in ACCOUNTS {
        let (user, _) = admin::create_user(
            conn,
            clock,
            cost,
            None,
            &UserInput {
                email: (*email).into(),
                display_name: (*name).into(),
                role: *role,
                organisation_id: (*org_index > 0).then(|| orgs[*org_index].id),
                password: Some(DEMO_PASSWORD.into()),
                provisional: false,
            },
        )?;
        actors.push(actor_of(&user)?);
    }
    let (admin_a, agent, lawyer, creditor1, creditor2) =
        (actors[0], actors[1], actors[2], actors[3], actors[4]);
    // The agency may grant up to six monthly instalments over six months without asking the
    // creditor (what a debtor's plan on its page is accepted within).
    for id in mandate_ids {
        crate::recovery::settings::set_plan_limits(conn, &admin_a, id, Some(6), Some(6))?;
    }
    // What the agency's letters need (CPCE R124-2): the demo's letters and receipts are real.
    crate::recovery::settings::update(
        conn,
        clock,
        &admin_a,
        &crate::recovery::settings::SettingsInput {
            agency_org_id: orgs[0].id,
            insurer: "MMA IARD Assurances Mutuelles".into(),
            policy_number: "RCP-2026-114477".into(),
            iban: "FR76 3000 6000 0112 3456 7890 189".into(),
            bic: Some("AGRIFRPP".into()),
            phone: Some("01 42 00 00 00".into()),
            email: Some("contact@demo.recouvra.fr".into()),
            mail_from: "relances@demo.recouvra.fr".into(),
            signatory: "Julien Moreau, chargé de recouvrement".into(),
            formal_notice_days: 8,
            grace_days: 3,
            require_formal_notice: None,
            contact_rules: None,
            portal_url: Some(portal_url.to_string()),
            reminder_days_before: Some(3),
        },
    )?;

    let today = clock.today();
    for i in 0..30usize {
        let (name, first, siren, street, place) = DEBTORS[i % DEBTORS.len()];
        let (postal, city) = place.split_once(' ').unwrap_or((place, ""));
        let by = if i % 3 == 2 { creditor2 } else { creditor1 };
        let opener = if i % 5 == 4 { agent } else { by };
        let invoices = (0..(1 + i % 3))
            .map(|k| {
                let issue = today - Duration::days(40 + (i as i64 * 11 + k as i64 * 17) % 300);
                InvoiceInput {
                    number: format!("F{}-{:04}", issue.format("%Y"), 100 + i * 7 + k),
                    issue_date: issue,
                    due_date: issue + Duration::days(30),
                    amount: format!(
                        "{}.{:02}",
                        180 + (i * 397 + k * 1013) % 9000,
                        (i * 37 + k) % 100
                    ),
                    already_paid: (k == 1).then(|| "50.00".to_string()),
                }
            })
            .collect();
        let input = OpenCaseInput {
            creditor_id: Some(by.org_id.unwrap_or_default()),
            debtor: DebtorInput {
                kind: if first.is_some() {
                    DebtorKind::Individual
                } else {
                    DebtorKind::Company
                },
                name: name.into(),
                first_name: first.map(Into::into),
                legal_form: first.is_none().then(|| "SARL".to_string()),
                siren: (!siren.is_empty()).then(|| siren.to_string()),
                address_line1: street.into(),
                address_line2: None,
                postal_code: postal.into(),
                city: city.into(),
                country: None,
                email: Some(format!("contact{i}@exemple.fr")),
                phone: Some(format!("04 7{} 00 {:02} {:02}", i % 10, i, (i * 7) % 100)),
                is_consumer: first.map(|_| true),
            },
            invoices,
            note: Some("Relances internes restées sans réponse.".into()),
            // Some contracts between professionals set their own late-payment rate.
            contractual_rate: (first.is_none() && i % 4 == 0).then(|| "15.00".to_string()),
        };
        let case = open_case(conn, clock, &opener, &input)?;
        match i % 10 {
            0 | 1 => {} // stays submitted: the agent's intake queue
            2 => {
                actions::reject(
                    conn,
                    clock,
                    &agent,
                    case.id,
                    "Créance déjà confiée à un autre cabinet.",
                    None,
                )?;
            }
            3 => {
                actions::accept(conn, clock, &agent, case.id, None)?;
                actions::withdraw(
                    conn,
                    clock,
                    &by,
                    case.id,
                    "Accord trouvé directement avec le client.",
                    None,
                )?;
            }
            _ => {
                actions::accept(conn, clock, &agent, case.id, None)?;
                actions::assign(conn, clock, &admin_a, case.id, agent.user_id, None)?;
                if i % 4 == 0 {
                    use crate::recovery::arrangements::{log_call, CallOutcome};
                    log_call(
                        conn,
                        clock,
                        &agent,
                        case.id,
                        CallOutcome::NoAnswer,
                        "Messagerie, message laissé avec nos coordonnées.",
                        None,
                    )?;
                }
                // A few cases with the demo lawyer, so the lawyer's list is not empty.
                if i % 10 == 9 {
                    crate::legal::refer(conn, clock, &agent, case.id, lawyer.user_id, None)?;
                }
            }
        }
    }
    Ok(())
}
