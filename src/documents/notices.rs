//! E-mails to the creditor (CPCE R124-5): every payment, every proposal of the debtor other
//! than immediate payment in full, a plan agreed within the mandate's limits, and a dispute it
//! must answer. Rendered from `templates/email/creditor_notice.tera`.

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
}

impl CreditorNoticeKind {
    /// The outbox `kind` of the message.
    pub fn as_str(self) -> &'static str {
        match self {
            CreditorNoticeKind::Payment => "creditor_payment_notice",
            CreditorNoticeKind::Proposal => "creditor_proposal_notice",
            CreditorNoticeKind::PlanAgreed => "creditor_plan_notice",
            CreditorNoticeKind::Dispute => "creditor_dispute_notice",
        }
    }

    fn texts(self) -> (&'static str, &'static str, &'static str) {
        match self {
            CreditorNoticeKind::Payment => (
                "paiement reçu",
                "Nous vous informons d'un paiement reçu du débiteur :",
                "Les fonds encaissés vous seront reversés dans les conditions de votre mandat.",
            ),
            CreditorNoticeKind::Proposal => (
                "proposition du débiteur",
                "Le débiteur nous a fait la proposition suivante, que nous vous transmettons :",
                "Vous pouvez l'accepter ou la refuser depuis votre espace, dans le dossier.",
            ),
            CreditorNoticeKind::PlanAgreed => (
                "échéancier accordé",
                "Dans les limites de votre mandat, nous avons accordé au débiteur l'échéancier suivant :",
                "Les paiements reçus au titre de cet échéancier figureront sur nos relevés.",
            ),
            CreditorNoticeKind::Dispute => (
                "contestation du débiteur",
                "Le débiteur conteste la créance ; le recouvrement est suspendu :",
                "Merci de nous répondre depuis votre espace, dans le dossier, avec vos justificatifs.",
            ),
        }
    }
}

/// The facts of one notice; `details` are label / value lines, values already formatted.
#[derive(Debug, Clone)]
pub struct CreditorNotice {
    pub kind: CreditorNoticeKind,
    pub agency: String,
    pub creditor: String,
    pub case_reference: String,
    pub debtor: String,
    pub details: Vec<(String, String)>,
}

#[derive(Serialize)]
struct View<'a> {
    title: &'a str,
    intro: &'a str,
    outro: &'a str,
    agency: &'a str,
    case_reference: &'a str,
    details: Vec<(String, String)>,
}

const TEMPLATE: &str = include_str!("../../templates/email/creditor_notice.tera");

fn tera() -> Result<&'static Tera, LetterError> {
    static TERA: OnceLock<Result<Tera, String>> = OnceLock::new();
    TERA.get_or_init(|| {
        let mut t = Tera::default();
        t.autoescape_on(vec![]);
        t.add_raw_template("creditor_notice", TEMPLATE)
            .map(|_| t)
            .map_err(|e| e.to_string())
    })
    .as_ref()
    .map_err(|e| LetterError::Template {
        template: "email/creditor_notice.tera".into(),
        message: e.clone(),
    })
}

/// Renders the notice: first line the subject, the rest the body.
pub fn creditor_email(n: &CreditorNotice) -> Result<Email, LetterError> {
    let (title, intro, outro) = n.kind.texts();
    let mut details = vec![("Débiteur".to_string(), n.debtor.clone())];
    details.extend(n.details.iter().cloned());
    let view = View {
        title,
        intro,
        outro,
        agency: &n.agency,
        case_reference: &n.case_reference,
        details,
    };
    let ctx =
        tera::Context::from_serialize(&view).map_err(|e| LetterError::Invalid(e.to_string()))?;
    let text = tera()?
        .render("creditor_notice", &ctx)
        .map_err(|e| LetterError::Template {
            template: "email/creditor_notice.tera".into(),
            message: e.to_string(),
        })?;
    let text = text.trim_start();
    let (subject, body) = text.split_once('\n').unwrap_or((text, ""));
    Ok(Email {
        subject: subject.trim().to_string(),
        body: body.trim_start().to_string(),
    })
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
            case_reference: "R-2026-000042".into(),
            debtor: "Dupont SARL".into(),
            details: vec![("Montant reçu".into(), "1 234,56 €".into())],
        })
        .unwrap();
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
}
