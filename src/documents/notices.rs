//! The short e-mails that are not letters: to the creditor (CPCE R124-5: every payment, every
//! proposal of the debtor other than immediate payment in full, a plan agreed within the
//! mandate's limits, a dispute it must answer; R124-6: the remittance of the funds collected)
//! and the note that carries the debtor's receipt. Rendered from `templates/email/`.

use serde::Serialize;
use std::sync::OnceLock;
use tera::Tera;

use super::letters::{Email, LetterError};

/// What the creditor is told of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CreditorNoticeKind {
    Payment,
    Proposal,
    PlanAgreed,
    Dispute,
    Remittance,
}

struct Texts {
    title: &'static str,
    intro: &'static str,
    outro: &'static str,
    basis: &'static str,
}

impl CreditorNoticeKind {
    /// The outbox `kind` of the message.
    pub fn as_str(self) -> &'static str {
        match self {
            CreditorNoticeKind::Payment => "creditor_payment_notice",
            CreditorNoticeKind::Proposal => "creditor_proposal_notice",
            CreditorNoticeKind::PlanAgreed => "creditor_plan_notice",
            CreditorNoticeKind::Dispute => "creditor_dispute_notice",
            CreditorNoticeKind::Remittance => "creditor_remittance_notice",
        }
    }

    fn texts(self) -> Texts {
        const R124_5: &str = "l'article R124-5";
        match self {
            CreditorNoticeKind::Payment => Texts {
                title: "paiement reçu",
                intro: "Nous vous informons d'un paiement reçu du débiteur :",
                outro: "Les fonds encaissés vous seront reversés dans les conditions de votre mandat.",
                basis: R124_5,
            },
            CreditorNoticeKind::Proposal => Texts {
                title: "proposition du débiteur",
                intro: "Le débiteur nous a fait la proposition suivante, que nous vous transmettons :",
                outro: "Vous pouvez l'accepter ou la refuser depuis votre espace, dans le dossier.",
                basis: R124_5,
            },
            CreditorNoticeKind::PlanAgreed => Texts {
                title: "échéancier accordé",
                intro: "Dans les limites de votre mandat, nous avons accordé au débiteur l'échéancier suivant :",
                outro: "Les paiements reçus au titre de cet échéancier figureront sur nos relevés.",
                basis: R124_5,
            },
            CreditorNoticeKind::Dispute => Texts {
                title: "contestation du débiteur",
                intro: "Le débiteur conteste la créance ; le recouvrement est suspendu :",
                outro: "Merci de nous répondre depuis votre espace, dans le dossier, avec vos justificatifs.",
                basis: R124_5,
            },
            CreditorNoticeKind::Remittance => Texts {
                title: "reversement des fonds encaissés",
                intro: "Nous avons arrêté le reversement des sommes encaissées pour votre compte :",
                outro: "Le relevé détaillé, paiement par paiement, est joint à ce message.",
                basis: "l'article R124-6",
            },
        }
    }
}

/// What a creditor notice is about: one case (and its debtor), or a remittance statement.
#[derive(Debug, Clone)]
pub enum About {
    Case { reference: String, debtor: String },
    Remittance { reference: String },
}

/// The facts of one notice; `details` are label / value lines, values already formatted.
#[derive(Debug, Clone)]
pub struct CreditorNotice {
    pub kind: CreditorNoticeKind,
    pub agency: String,
    pub creditor: String,
    pub about: About,
    pub details: Vec<(String, String)>,
    /// The portal page to follow it on (the case's, or the creditor's payments), when the
    /// agency set the portal's address.
    pub link: Option<String>,
}

#[derive(Serialize)]
struct View<'a> {
    heading: String,
    title: &'a str,
    intro: &'a str,
    outro: &'a str,
    basis: &'a str,
    agency: &'a str,
    details: Vec<(String, String)>,
    link: Option<&'a str>,
}

const TEMPLATES: &[(&str, &str)] = &[
    (
        "email/creditor_notice.tera",
        include_str!("../../templates/email/creditor_notice.tera"),
    ),
    (
        "email/receipt.tera",
        include_str!("../../templates/email/receipt.tera"),
    ),
    (
        "email/upcoming.tera",
        include_str!("../../templates/email/upcoming.tera"),
    ),
    (
        "email/plan_answer.tera",
        include_str!("../../templates/email/plan_answer.tera"),
    ),
];

fn render(name: &str, view: &impl Serialize) -> Result<Email, LetterError> {
    static TERA: OnceLock<Result<Tera, String>> = OnceLock::new();
    let template_error = |message: String| LetterError::Template {
        template: name.to_string(),
        message,
    };
    let tera = TERA
        .get_or_init(|| {
            let mut t = Tera::default();
            t.autoescape_on(vec![]);
            t.add_raw_templates(TEMPLATES.iter().copied())
                .map(|_| t)
                .map_err(|e| e.to_string())
        })
        .as_ref()
        .map_err(|e| template_error(e.clone()))?;
    let ctx =
        tera::Context::from_serialize(view).map_err(|e| LetterError::Invalid(e.to_string()))?;
    let text = tera
        .render(name, &ctx)
        .map_err(|e| template_error(e.to_string()))?;
    let text = text.trim_start();
    let (subject, body) = text.split_once('\n').unwrap_or((text, ""));
    Ok(Email {
        subject: subject.trim().to_string(),
        body: body.trim_start().to_string(),
    })
}

/// Renders a notice to the creditor: first line of the template the subject, the rest the body.
pub fn creditor_email(n: &CreditorNotice) -> Result<Email, LetterError> {
    let t = n.kind.texts();
    let mut details = Vec::new();
    let heading = match &n.about {
        About::Case { reference, debtor } => {
            details.push(("Débiteur".to_string(), debtor.clone()));
            format!("Dossier {reference}")
        }
        About::Remittance { reference } => format!("Relevé {reference}"),
    };
    details.extend(n.details.iter().cloned());
    render(
        "email/creditor_notice.tera",
        &View {
            heading,
            title: t.title,
            intro: t.intro,
            outro: t.outro,
            basis: t.basis,
            agency: &n.agency,
            details,
            link: n.link.as_deref(),
        },
    )
}

/// The note that carries a receipt (quittance, CPCE R124-6) to the debtor.
#[derive(Debug, Clone, Serialize)]
pub struct ReceiptNote {
    pub reference: String,
    pub case_reference: String,
    /// Formatted, e.g. "1 234,56 €".
    pub amount: String,
    /// Formatted, e.g. "19/11/2026".
    pub received_on: String,
    pub agency: String,
    /// What is still due after it, formatted; `None` once nothing is.
    pub balance_after: Option<String>,
    /// The debtor's page, when the agency set the portal's address.
    pub debtor_link: Option<String>,
}

/// Whom the debtor pays and how, as the e-mails to the debtor say it: the agency's dedicated
/// account (CPCE R124-2) and the debtor's page. Flattened into the notes: the templates read
/// `agency`, `iban`, `debtor_link`… directly.
#[derive(Debug, Clone, Serialize)]
pub struct Payee {
    pub agency: String,
    pub agency_phone: Option<String>,
    /// Grouped by four, as it is typed.
    pub iban: String,
    pub bic: Option<String>,
    pub debtor_link: Option<String>,
}

/// What a reminder before a date is about.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Upcoming {
    /// The debtor's promise to pay by a date.
    Promise,
    /// An instalment of the debtor's payment plan: its position and how many there are.
    Instalment { position: usize, of: usize },
}

/// A courteous reminder to the debtor a few days before a date they agreed to (issue 17):
/// the amount, the date, how to pay. Amounts and dates already formatted.
#[derive(Debug, Clone, Serialize)]
pub struct UpcomingNote {
    pub about: Upcoming,
    pub case_reference: String,
    pub creditor: String,
    pub amount: String,
    pub due_on: String,
    #[serde(flatten)]
    pub payee: Payee,
}

/// The answer given to a payment plan, as the debtor is told it.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum PlanAnswer {
    /// Within the mandate's limits: running at once.
    Agreed,
    /// Accepted by the creditor.
    Accepted,
    /// Refused by the creditor.
    Refused,
}

/// The e-mail telling the debtor the answer to a plan; instalments as (date, amount),
/// formatted.
#[derive(Debug, Clone, Serialize)]
pub struct PlanAnswerNote {
    pub answer: PlanAnswer,
    pub case_reference: String,
    pub creditor: String,
    pub instalments: Vec<(String, String)>,
    #[serde(flatten)]
    pub payee: Payee,
    /// Days before each instalment when a reminder goes (0: none).
    pub reminder_days: i32,
}

/// Renders the answer; it passes the letters' wording check (C. pén. 433-13).
pub fn plan_answer_email(n: &PlanAnswerNote) -> Result<Email, LetterError> {
    checked(render("email/plan_answer.tera", n)?)
}

/// A text to the debtor passes the letters' wording check (C. pén. 433-13).
fn checked(mail: Email) -> Result<Email, LetterError> {
    crate::domain::wording::check_demand(&format!("{}\n{}", mail.subject, mail.body))
        .map_err(LetterError::Wording)?;
    Ok(mail)
}

/// Renders the reminder; it passes the letters' wording check (C. pén. 433-13).
pub fn upcoming_email(n: &UpcomingNote) -> Result<Email, LetterError> {
    checked(render("email/upcoming.tera", n)?)
}

pub fn receipt_email(n: &ReceiptNote) -> Result<Email, LetterError> {
    checked(render("email/receipt.tera", n)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_payment_notice_names_the_case_the_debtor_and_the_amount() {
        let mail = creditor_email(&CreditorNotice {
            kind: CreditorNoticeKind::Payment,
            agency: "Recouvra Démo".into(),
            creditor: "Fournitures Lemaire".into(),
            about: About::Case {
                reference: "R-2026-000042".into(),
                debtor: "Dupont SARL".into(),
            },
            details: vec![("Montant reçu".into(), "1 234,56 €".into())],
            link: Some("https://recouvra.agence.fr/portal/cases/42".into()),
        })
        .unwrap();
        assert!(
            mail.body.contains(
                "Suivre le dossier sur le portail : https://recouvra.agence.fr/portal/cases/42\n"
            ),
            "{}",
            mail.body
        );
        assert_eq!(mail.subject, "Dossier R-2026-000042 — paiement reçu");
        assert!(
            mail.body.contains("Débiteur : Dupont SARL"),
            "{}",
            mail.body
        );
        assert!(
            mail.body.contains("Montant reçu : 1 234,56 €"),
            "{}",
            mail.body
        );
        assert!(mail.body.contains("R124-5"));
    }

    #[test]
    fn a_remittance_notice_names_the_statement_and_r124_6() {
        let mail = creditor_email(&CreditorNotice {
            kind: CreditorNoticeKind::Remittance,
            agency: "Recouvra Démo".into(),
            creditor: "Fournitures Lemaire".into(),
            about: About::Remittance {
                reference: "REV-2026-0003".into(),
            },
            details: vec![("Montant net".into(), "900,00 €".into())],
            link: None,
        })
        .unwrap();
        assert_eq!(
            mail.subject,
            "Relevé REV-2026-0003 — reversement des fonds encaissés"
        );
        assert!(
            mail.body.contains("Montant net : 900,00 €"),
            "{}",
            mail.body
        );
        assert!(!mail.body.contains("Débiteur"), "{}", mail.body);
        assert!(!mail.body.contains("portail"), "no address set, no link");
        assert!(mail.body.contains("article R124-6"), "{}", mail.body);
    }

    #[test]
    fn the_receipt_note_names_the_payment() {
        let mail = receipt_email(&ReceiptNote {
            reference: "R-2026-000042-L03".into(),
            case_reference: "R-2026-000042".into(),
            amount: "250,00 €".into(),
            received_on: "19/11/2026".into(),
            agency: "Recouvra Démo".into(),
            balance_after: Some("750,00 €".into()),
            debtor_link: Some("https://recouvra.agence.fr/d/abc".into()),
        })
        .unwrap();
        assert_eq!(
            mail.subject,
            "Quittance R-2026-000042-L03 — dossier R-2026-000042"
        );
        assert!(
            mail.body
                .contains("Nous vous remercions de votre paiement de 250,00 € reçu le 19/11/2026"),
            "{}",
            mail.body
        );
        assert!(
            mail.body.contains("Il reste 750,00 € à régler"),
            "{}",
            mail.body
        );
        assert!(
            mail.body
                .contains("régler le solde : https://recouvra.agence.fr/d/abc"),
            "{}",
            mail.body
        );
        assert!(mail.body.contains("Recouvra Démo"), "{}", mail.body);
        let last = receipt_email(&ReceiptNote {
            balance_after: None,
            debtor_link: None,
            reference: "R-2026-000042-L04".into(),
            case_reference: "R-2026-000042".into(),
            amount: "750,00 €".into(),
            received_on: "20/11/2026".into(),
            agency: "Recouvra Démo".into(),
        })
        .unwrap();
        assert!(
            last.body.contains("Il ne reste rien à régler"),
            "{}",
            last.body
        );
        assert!(!last.body.contains("/d/"), "{}", last.body);
    }

    #[test]
    fn a_plan_agreed_within_the_mandate_lists_its_instalments_without_a_reminder_when_none_is_set()
    {
        let mail = plan_answer_email(&PlanAnswerNote {
            answer: PlanAnswer::Agreed,
            case_reference: "R-2026-000042".into(),
            creditor: "Fournitures Lemaire".into(),
            instalments: vec![
                ("05/06/2026".into(), "600,00 €".into()),
                ("05/07/2026".into(), "600,01 €".into()),
            ],
            payee: Payee {
                agency: "Recouvra Démo".into(),
                agency_phone: None,
                iban: "FR76 3000 6000 0112 3456 7890 189".into(),
                bic: None,
                debtor_link: None,
            },
            reminder_days: 0,
        })
        .unwrap();
        assert_eq!(
            mail.subject,
            "Dossier R-2026-000042 — votre échéancier de paiement"
        );
        assert!(
            mail.body
                .contains("dans le dossier R-2026-000042 est accepté."),
            "{}",
            mail.body
        );
        assert!(
            mail.body
                .contains("- le 05/06/2026 : 600,00 €\n- le 05/07/2026 : 600,01 €"),
            "{}",
            mail.body
        );
        assert!(!mail.body.contains("rappel par courriel"), "{}", mail.body);
        assert!(!mail.body.contains("Fournitures Lemaire"), "{}", mail.body);
    }

    #[test]
    fn a_reminder_before_a_date_says_what_falls_due_when_and_how_to_pay() {
        let note = |about| UpcomingNote {
            about,
            case_reference: "R-2026-000042".into(),
            creditor: "Fournitures Lemaire".into(),
            amount: "100,00 €".into(),
            due_on: "10/03/2027".into(),
            payee: Payee {
                agency: "Recouvra Démo".into(),
                agency_phone: Some("01 42 00 00 00".into()),
                iban: "FR76 3000 6000 0112 3456 7890 189".into(),
                bic: Some("AGRIFRPP".into()),
                debtor_link: Some("https://recouvra.agence.fr/d/abc".into()),
            },
        };
        let plan = upcoming_email(&note(Upcoming::Instalment { position: 2, of: 6 })).unwrap();
        assert_eq!(
            plan.subject,
            "Dossier R-2026-000042 — votre échéance du 10/03/2027"
        );
        assert!(
            plan.body
                .contains("L'échéance n° 2 sur 6 de votre échéancier"),
            "{}",
            plan.body
        );
        assert!(
            plan.body.contains("il reste 100,00 € à régler"),
            "{}",
            plan.body
        );
        assert!(plan
            .body
            .contains("IBAN FR76 3000 6000 0112 3456 7890 189 (BIC AGRIFRPP)"));
        assert!(plan.body.contains("la référence R-2026-000042"));
        assert!(plan.body.contains("https://recouvra.agence.fr/d/abc"));
        let promise = upcoming_email(&note(Upcoming::Promise)).unwrap();
        assert_eq!(
            promise.subject,
            "Dossier R-2026-000042 — votre paiement prévu le 10/03/2027"
        );
        assert!(
            promise
                .body
                .contains("régler 100,00 € au plus tard le 10/03/2027"),
            "{}",
            promise.body
        );
    }
}
