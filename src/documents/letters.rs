//! Letters, receipts, remittance statements and e-mails of a collection case.
//!
//! Each document is a tera template (embedded in the binary, `templates/letters/` and
//! `templates/email/`) filled from a typed context. Letter templates produce the markup of
//! [`super::markup`], parsed into layout blocks and rendered to PDF by [`super::pdf`];
//! e-mail templates produce plain text (first line = subject).
//!
//! The legal content (CPCE R124-4 mentions and the text of L111-8 al. 2 and 3, the
//! mentions of a formal notice under C. civ. 1344, the receipt of R124-6, the notices to the
//! creditor of R124-5) lives in the templates; see `/work/shared/LEGAL.md` §1 and §2.
//!
//! Figures are never computed here: they come from the claim engine. The contexts are
//! checked before rendering ([`LetterError::Invalid`]) so that a letter never states totals
//! that do not add up, an indemnity to a consumer, or a later letter without the
//! reference of the first one (R124-4, last sentence).
//!
//! Templates are escaped with [`super::markup::escape`] instead of HTML escaping: every value
//! inserted into a letter is one line of plain markup text, so data cannot create
//! directives or break table rows. E-mail templates are not escaped at all.

use super::markup::{self, MarkupError};
use super::pdf::{render, Document, PdfError};
use chrono::{NaiveDate, NaiveDateTime};
use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::str::FromStr;
use std::sync::OnceLock;
use tera::Tera;

/// The collection agency sending the documents (CPCE R124-2, R124-4 1°).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Agency {
    /// Company name.
    pub name: String,
    /// Postal address, one line per entry.
    pub address_lines: Vec<String>,
    /// SIREN number.
    pub siren: String,
    /// Phone number shown under the address.
    pub phone: Option<String>,
    /// E-mail address shown under the address.
    pub email: Option<String>,
    /// Professional liability insurer (R124-2).
    pub insurer: String,
    /// Liability insurance policy number.
    pub policy_number: String,
    /// IBAN of the account dedicated to funds collected for creditors (R124-2).
    pub iban: String,
    /// BIC of that account.
    pub bic: Option<String>,
    /// City printed in the date line and in "Fait à".
    pub city: String,
}

/// A creditor or debtor: name and postal address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Party {
    /// Name (company name, or civility + first name + surname).
    pub name: String,
    /// Postal address, one line per entry.
    pub address_lines: Vec<String>,
}

/// One invoice of the claim, as of [`Claim::as_of`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InvoiceLine {
    /// Invoice number.
    pub number: String,
    /// Issue date.
    pub issue_date: NaiveDate,
    /// Due date.
    pub due_date: NaiveDate,
    /// Invoice amount incl. VAT.
    pub amount: Decimal,
    /// Principal still outstanding.
    pub principal: Decimal,
    /// Late-payment interest still outstanding.
    pub interest: Decimal,
    /// Flat recovery indemnity still outstanding (C. com. D441-5; always zero for a consumer).
    pub indemnity: Decimal,
}

/// The claim as computed by the claim engine.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Claim {
    /// The invoices demanded: those whose due date has passed on `as_of` (at least one;
    /// C. civ. 1344 — the engine's `to_fall_due` split).
    pub invoices: Vec<InvoiceLine>,
    /// The invoices still to fall due ("à échoir"), shown apart with their due dates, never
    /// in the sums demanded; no interest nor indemnity on them.
    pub to_fall_due: Vec<InvoiceLine>,
    /// Principal outstanding: the sum of the invoices' `principal`.
    pub principal: Decimal,
    /// Interest outstanding: the sum of the invoices' `interest`.
    pub interest: Decimal,
    /// Indemnities outstanding: the sum of the invoices' `indemnity`.
    pub indemnity: Decimal,
    /// Payments already received (already deducted from the figures above; shown for information).
    pub paid: Decimal,
    /// What the debtor is asked to pay: `principal + interest + indemnity`.
    pub total: Decimal,
    /// Date the figures are computed at.
    pub as_of: NaiveDate,
    /// Whether the debtor is a consumer (no indemnity; legal interest from the formal notice).
    pub consumer: bool,
    /// How interest is computed, e.g. "taux BCE + 10 points (art. L441-10 II C. com.)".
    pub interest_basis: String,
    /// Set when interest stops before `as_of` for want of rates: « intérêts arrêtés au
    /// 30/06/2026 : taux du 2e semestre 2026 non saisi » (printed with the figures).
    #[serde(default)]
    pub interest_note: Option<String>,
}

/// Reference and sending date of the first letter sent to the debtor (CPCE R124-4, last
/// sentence: every later letter repeats « la référence et la date d'envoi » of the first).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FirstLetterRef {
    /// Reference of the first letter.
    pub reference: String,
    /// The day the first letter was sent (posted or e-mailed), not the date printed on it.
    pub sent_on: NaiveDate,
}

/// The kind of letter to the debtor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LetterKind {
    /// The first letter, with every R124-4 mention.
    FirstLetter,
    /// A shorter, firmer reminder.
    Reminder,
    /// The formal notice ("mise en demeure", C. civ. 1344) with the R124-4 mentions.
    FormalNotice,
}

impl LetterKind {
    fn template(self) -> &'static str {
        match self {
            LetterKind::FirstLetter => "letters/first_letter.tera",
            LetterKind::Reminder => "letters/reminder.tera",
            LetterKind::FormalNotice => "letters/formal_notice.tera",
        }
    }

    fn title(self) -> &'static str {
        match self {
            LetterKind::FirstLetter => "Premier courrier",
            LetterKind::Reminder => "Relance",
            LetterKind::FormalNotice => "Mise en demeure",
        }
    }
}

/// Everything a letter (or e-mail) to the debtor needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LetterContext {
    /// Which letter.
    pub kind: LetterKind,
    /// This letter's own reference.
    pub reference: String,
    /// The case reference (to quote with a payment).
    pub case_reference: String,
    /// Date of the letter.
    pub date: NaiveDate,
    /// The sending agency.
    pub agency: Agency,
    /// The creditor the agency acts for.
    pub creditor: Party,
    /// The debtor (recipient).
    pub debtor: Party,
    /// The claim's figures.
    pub claim: Claim,
    /// The first letter; required for a reminder, ignored by the first letter. A formal
    /// notice without one is itself the first letter to the debtor and cites no earlier one.
    pub first_letter: Option<FirstLetterRef>,
    /// Payment deadline.
    pub pay_by: NaiveDate,
    /// Name of the person signing.
    pub signatory: String,
    /// Sent by registered letter with acknowledgement of receipt.
    pub registered: bool,
    /// The debtor's page for this letter (`debtor::url`), when the agency set its portal's
    /// address: printed with the ways to pay.
    pub debtor_link: Option<String>,
}

/// A receipt (quittance) for one payment (CPCE R124-6).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Receipt {
    /// The receipt's reference.
    pub reference: String,
    /// The case reference.
    pub case_reference: String,
    /// Date of the receipt.
    pub date: NaiveDate,
    /// The agency.
    pub agency: Agency,
    /// The creditor.
    pub creditor: Party,
    /// The debtor who paid (recipient).
    pub debtor: Party,
    /// Date the payment was received.
    pub received_on: NaiveDate,
    /// Amount received.
    pub amount: Decimal,
    /// Payment method, French label (e.g. "virement").
    pub method: String,
    /// Reference of the payment (transfer label, cheque number).
    pub payment_reference: Option<String>,
    /// Imputation: (invoice number, indemnity, interest, principal) (C. civ. 1342-10, 1343-1).
    pub allocations: Vec<(String, Decimal, Decimal, Decimal)>,
    /// What remains due after this payment.
    pub balance_after: Decimal,
    /// The first letter sent to the debtor, repeated on the receipt when there is one
    /// (CPCE R124-4: every later letter repeats its reference and date).
    pub first_letter: Option<FirstLetterRef>,
}

/// A statement of the funds remitted to a creditor (CPCE R124-6).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RemittanceStatement {
    /// The statement's reference.
    pub reference: String,
    /// Date of the statement.
    pub date: NaiveDate,
    /// The agency.
    pub agency: Agency,
    /// The creditor (recipient).
    pub creditor: Party,
    /// The period covered, e.g. "novembre 2026".
    pub period_label: String,
    /// The payments collected.
    pub lines: Vec<RemittanceLine>,
    /// Sum of the lines' amounts.
    pub gross: Decimal,
    /// Sum of the lines' commissions.
    pub commission: Decimal,
    /// Commission rate as printed, e.g. "8,00 %".
    pub commission_rate_label: String,
    /// `gross - commission`, the sum of the lines' net amounts.
    pub net: Decimal,
    /// Date by which the net amount is paid to the creditor.
    pub pay_by: NaiveDate,
}

/// One payment collected for the creditor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RemittanceLine {
    /// The case reference.
    pub case_reference: String,
    /// The debtor's name.
    pub debtor: String,
    /// Date the payment was received.
    pub received_on: NaiveDate,
    /// Amount received.
    pub amount: Decimal,
    /// The agency's commission on it.
    pub commission: Decimal,
    /// `amount - commission`.
    pub net: Decimal,
}

/// The kind of e-mail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EmailKind {
    /// Polite reminder to the debtor.
    CourteousReminder,
    /// Firm reminder to the debtor, announcing the formal notice (needs the first letter).
    FirmReminder,
}

impl EmailKind {
    fn template(self) -> &'static str {
        match self {
            EmailKind::CourteousReminder => "email/courteous_reminder.tera",
            EmailKind::FirmReminder => "email/firm_reminder.tera",
        }
    }
}

/// A rendered e-mail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email {
    /// Subject line.
    pub subject: String,
    /// Plain-text body.
    pub body: String,
}

/// Everything that can go wrong while producing a document.
#[derive(Debug, thiserror::Error)]
pub enum LetterError {
    /// The context is inconsistent or incomplete (nothing was rendered).
    #[error("invalid document data: {0}")]
    Invalid(String),
    /// A template could not be loaded or rendered.
    #[error("template {template}: {message}")]
    Template {
        /// Template name.
        template: String,
        /// The tera error, with its causes.
        message: String,
    },
    /// A letter template produced invalid markup.
    #[error("template {template} produced invalid markup: {source}")]
    Markup {
        /// Template name.
        template: String,
        /// The markup error.
        source: MarkupError,
    },
    /// The PDF could not be rendered.
    #[error(transparent)]
    Pdf(#[from] PdfError),
    /// The text to the debtor holds a refused term (C. pén. 433-13; `domain::wording`).
    #[error("refused wording « {} »", .0.term)]
    Wording(crate::domain::wording::Refused),
}

impl LetterError {
    /// The use case's answer: a refused wording is the agency's data to correct (the French
    /// reason, `field` `wording`); anything else is an internal error.
    pub fn into_app(self) -> crate::error::AppError {
        match self {
            LetterError::Wording(r) => crate::error::AppError::validation(
                "wording",
                format!(
                    "Le courrier n'est pas produit : {}. Corrigez les réglages ou les noms qu'il \
                     reprend.",
                    r.reason()
                ),
            ),
            other => crate::error::AppError::internal(other),
        }
    }
}

/// The wording check on the text of a letter or e-mail to the debtor, at render.
fn check_wording(text: &str) -> Result<(), LetterError> {
    crate::domain::wording::check_demand(text).map_err(LetterError::Wording)
}

// ---------------------------------------------------------------------------------------------
// Formatting (also registered as tera filters).

/// French amount: `1 234,56 €`, rounded to the cent (half away from zero), with no-break
/// spaces (U+00A0) as thousands separator and before `€`. The narrow no-break space U+202F
/// is not in the WinAnsi encoding of the PDF fonts, so it is not used.
pub fn format_euros(amount: Decimal) -> String {
    crate::domain::fmt::euros(amount)
}

/// Short French date: `22/11/2026`.
pub fn format_date(date: NaiveDate) -> String {
    date.format("%d/%m/%Y").to_string()
}

/// Long French date: `22 novembre 2026`, `1er mars 2026`.
pub fn format_date_long(date: NaiveDate) -> String {
    crate::domain::fmt::date_long(date)
}

fn decimal_value(value: &Value) -> Option<Decimal> {
    match value {
        Value::String(s) => Decimal::from_str(s.trim()).ok(),
        Value::Number(n) => Decimal::from_str(&n.to_string())
            .or_else(|_| Decimal::from_scientific(&n.to_string()))
            .ok(),
        _ => None,
    }
}

fn date_value(value: &Value) -> Option<NaiveDate> {
    value
        .as_str()
        .and_then(|s| NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok())
}

fn euros_filter(value: &Value, _: &HashMap<String, Value>) -> tera::Result<Value> {
    decimal_value(value)
        .map(|d| Value::String(format_euros(d)))
        .ok_or_else(|| tera::Error::msg(format!("euros: {value} is not an amount")))
}

fn date_filter(value: &Value, _: &HashMap<String, Value>) -> tera::Result<Value> {
    date_value(value)
        .map(|d| Value::String(format_date(d)))
        .ok_or_else(|| tera::Error::msg(format!("date_fr: {value} is not a YYYY-MM-DD date")))
}

fn date_long_filter(value: &Value, _: &HashMap<String, Value>) -> tera::Result<Value> {
    date_value(value)
        .map(|d| Value::String(format_date_long(d)))
        .ok_or_else(|| tera::Error::msg(format!("date_long: {value} is not a YYYY-MM-DD date")))
}

// ---------------------------------------------------------------------------------------------
// Templates.

const LETTER_TEMPLATES: &[(&str, &str)] = &[
    (
        "letters/_heading.tera",
        include_str!("../../templates/letters/_heading.tera"),
    ),
    (
        "letters/_identity.tera",
        include_str!("../../templates/letters/_identity.tera"),
    ),
    (
        "letters/_claim.tera",
        include_str!("../../templates/letters/_claim.tera"),
    ),
    (
        "letters/_fees.tera",
        include_str!("../../templates/letters/_fees.tera"),
    ),
    (
        "letters/_payment.tera",
        include_str!("../../templates/letters/_payment.tera"),
    ),
    (
        "letters/_l111_8.tera",
        include_str!("../../templates/letters/_l111_8.tera"),
    ),
    (
        "letters/_closing.tera",
        include_str!("../../templates/letters/_closing.tera"),
    ),
    (
        "letters/first_letter.tera",
        include_str!("../../templates/letters/first_letter.tera"),
    ),
    (
        "letters/reminder.tera",
        include_str!("../../templates/letters/reminder.tera"),
    ),
    (
        "letters/formal_notice.tera",
        include_str!("../../templates/letters/formal_notice.tera"),
    ),
    (
        "letters/receipt.tera",
        include_str!("../../templates/letters/receipt.tera"),
    ),
    (
        "letters/remittance_statement.tera",
        include_str!("../../templates/letters/remittance_statement.tera"),
    ),
    (
        "letters/claim_declaration.tera",
        include_str!("../../templates/letters/claim_declaration.tera"),
    ),
    (
        "letters/notary_letter.tera",
        include_str!("../../templates/letters/notary_letter.tera"),
    ),
];

const EMAIL_TEMPLATES: &[(&str, &str)] = &[
    (
        "email/courteous_reminder.tera",
        include_str!("../../templates/email/courteous_reminder.tera"),
    ),
    (
        "email/firm_reminder.tera",
        include_str!("../../templates/email/firm_reminder.tera"),
    ),
];

/// Formats a tera error with its chain of causes (tera's own message is only the outer one).
pub(crate) fn tera_message(err: &tera::Error) -> String {
    let mut message = err.to_string();
    let mut source = std::error::Error::source(err);
    while let Some(cause) = source {
        message.push_str(": ");
        message.push_str(&cause.to_string());
        source = cause.source();
    }
    message
}

/// Builds a tera instance with the `euros`, `date_fr` and `date_long` filters; `markup`
/// selects the markup escaping of letter templates (otherwise escaping is off). The dossier
/// templates (`super::dossier`) are built the same way.
pub(super) fn build(templates: &[(&str, &str)], markup: bool) -> Result<Tera, String> {
    let mut tera = Tera::default();
    if markup {
        tera.autoescape_on(vec![".tera"]);
        tera.set_escape_fn(markup::escape);
    } else {
        tera.autoescape_on(vec![]);
    }
    with_filters(tera, templates)
}

/// A tera instance for HTML pages (the portal): tera's HTML escaping on `.html` templates,
/// and the same French filters as the letters.
pub(crate) fn build_html(templates: &[(&str, &str)]) -> Result<Tera, String> {
    let mut tera = Tera::default();
    tera.autoescape_on(vec![".html"]);
    with_filters(tera, templates)
}

fn with_filters(mut tera: Tera, templates: &[(&str, &str)]) -> Result<Tera, String> {
    tera.register_filter("euros", euros_filter);
    tera.register_filter("date_fr", date_filter);
    tera.register_filter("date_long", date_long_filter);
    tera.add_raw_templates(templates.iter().copied())
        .map_err(|e| tera_message(&e))?;
    Ok(tera)
}

fn tera(markup: bool) -> Result<&'static Tera, LetterError> {
    static LETTERS: OnceLock<Result<Tera, String>> = OnceLock::new();
    static EMAILS: OnceLock<Result<Tera, String>> = OnceLock::new();
    let (cell, templates, name) = if markup {
        (&LETTERS, LETTER_TEMPLATES, "letters/*")
    } else {
        (&EMAILS, EMAIL_TEMPLATES, "email/*")
    };
    cell.get_or_init(|| {
        check_sources(templates)?;
        build(templates, markup)
    })
    .as_ref()
    .map_err(|message| LetterError::Template {
        template: name.to_string(),
        message: message.clone(),
    })
}

/// The templates that do not write to the debtor: the claim's declaration (to the mandataire,
/// it names the court and the judgment) and the creditor's remittance statement.
const NOT_TO_THE_DEBTOR: &[&str] = &[DECLARATION_TEMPLATE, REMITTANCE_TEMPLATE];

/// The wording check on the source of every template to the debtor, when the templates are
/// loaded: a template holding a refused term never renders (C. pén. 433-13).
fn check_sources(templates: &[(&str, &str)]) -> Result<(), String> {
    for (name, source) in templates {
        if NOT_TO_THE_DEBTOR.contains(name) {
            continue;
        }
        crate::domain::wording::check_demand(source)
            .map_err(|r| format!("{name}: {}", r.reason()))?;
    }
    Ok(())
}

fn render_template(
    template: &str,
    context: &tera::Context,
    markup: bool,
) -> Result<String, LetterError> {
    tera(markup)?
        .render(template, context)
        .map_err(|e| LetterError::Template {
            template: template.to_string(),
            message: tera_message(&e),
        })
}

fn context_of<T: Serialize>(value: &T, template: &str) -> Result<tera::Context, LetterError> {
    tera::Context::from_serialize(value).map_err(|e| LetterError::Template {
        template: template.to_string(),
        message: tera_message(&e),
    })
}

/// Renders a letter template's markup to a PDF with the usual header and footer.
fn to_pdf(
    template: &str,
    text: &str,
    title: String,
    header: String,
    agency: &Agency,
    created: NaiveDateTime,
) -> Result<Vec<u8>, LetterError> {
    let blocks = markup::parse(text).map_err(|source| LetterError::Markup {
        template: template.to_string(),
        source,
    })?;
    let mut doc = Document::new(title, agency.name.clone(), created);
    doc.header = Some(header);
    doc.header_on_first_page = false;
    doc.footer_note = Some(format!(
        "{} — SIREN {} — Assurance RCP : {}, police n° {}",
        agency.name, agency.siren, agency.insurer, agency.policy_number
    ));
    doc.blocks = blocks;
    Ok(render(&doc)?)
}

// ---------------------------------------------------------------------------------------------
// Validation.

fn invalid(message: impl Into<String>) -> LetterError {
    LetterError::Invalid(message.into())
}

fn require(label: &str, value: &str) -> Result<(), LetterError> {
    if value.trim().is_empty() {
        Err(invalid(format!("{label} is empty")))
    } else {
        Ok(())
    }
}

fn check_agency(agency: &Agency) -> Result<(), LetterError> {
    require("agency name", &agency.name)?;
    require("agency SIREN", &agency.siren)?;
    require("agency insurer", &agency.insurer)?;
    require("agency policy number", &agency.policy_number)?;
    require("agency IBAN", &agency.iban)?;
    require("agency city", &agency.city)?;
    if agency.address_lines.iter().all(|l| l.trim().is_empty()) {
        return Err(invalid("agency address is empty"));
    }
    Ok(())
}

fn check_party(label: &str, party: &Party) -> Result<(), LetterError> {
    require(&format!("{label} name"), &party.name)?;
    if party.address_lines.iter().all(|l| l.trim().is_empty()) {
        return Err(invalid(format!("{label} address is empty")));
    }
    Ok(())
}

fn check_sum(label: &str, stated: Decimal, lines: Decimal) -> Result<(), LetterError> {
    if stated == lines {
        Ok(())
    } else {
        Err(invalid(format!(
            "{label} is {stated} but its lines add up to {lines}"
        )))
    }
}

fn check_claim(claim: &Claim) -> Result<(), LetterError> {
    if claim.invoices.is_empty() {
        return Err(invalid("the claim has no invoice"));
    }
    for inv in &claim.invoices {
        require("invoice number", &inv.number)?;
        for (label, v) in [
            ("amount", inv.amount),
            ("principal", inv.principal),
            ("interest", inv.interest),
            ("indemnity", inv.indemnity),
        ] {
            if v.is_sign_negative() && !v.is_zero() {
                return Err(invalid(format!("invoice {}: negative {label}", inv.number)));
            }
        }
        if claim.consumer && !inv.indemnity.is_zero() {
            return Err(invalid(format!(
                "invoice {}: a consumer owes no recovery indemnity (C. com. D441-5 applies between professionals)",
                inv.number
            )));
        }
    }
    for inv in &claim.to_fall_due {
        require("invoice number", &inv.number)?;
        if inv.due_date < claim.as_of {
            return Err(invalid(format!(
                "invoice {} fell due on {}: it is demanded, not to fall due",
                inv.number, inv.due_date
            )));
        }
        if !inv.interest.is_zero() || !inv.indemnity.is_zero() {
            return Err(invalid(format!(
                "invoice {} is not due yet: it bears no interest nor indemnity",
                inv.number
            )));
        }
    }
    let sum = |f: fn(&InvoiceLine) -> Decimal| claim.invoices.iter().map(f).sum::<Decimal>();
    check_sum("claim principal", claim.principal, sum(|i| i.principal))?;
    check_sum("claim interest", claim.interest, sum(|i| i.interest))?;
    check_sum("claim indemnity", claim.indemnity, sum(|i| i.indemnity))?;
    check_sum(
        "claim total",
        claim.total,
        claim.principal + claim.interest + claim.indemnity,
    )?;
    require("interest basis", &claim.interest_basis)?;
    Ok(())
}

fn check_letter(ctx: &LetterContext) -> Result<(), LetterError> {
    require("letter reference", &ctx.reference)?;
    require("case reference", &ctx.case_reference)?;
    require("signatory", &ctx.signatory)?;
    check_agency(&ctx.agency)?;
    check_party("creditor", &ctx.creditor)?;
    check_party("debtor", &ctx.debtor)?;
    check_claim(&ctx.claim)?;
    if ctx.pay_by < ctx.date {
        return Err(invalid(format!(
            "payment deadline {} is before the letter date {}",
            ctx.pay_by, ctx.date
        )));
    }
    Ok(())
}

fn first_letter_of(ctx: &LetterContext) -> Result<&FirstLetterRef, LetterError> {
    ctx.first_letter.as_ref().ok_or_else(|| {
        invalid(
            "a letter after the first one must repeat the first letter's reference and date (CPCE R124-4)",
        )
    })
}

// ---------------------------------------------------------------------------------------------
// Letters to the debtor.

/// A quoted text of law as the templates read it.
fn quoted(text: &crate::domain::texts::QuotedText) -> Value {
    json!({ "citation": text.citation, "paragraphs": text.paragraphs })
}

fn letter_context(ctx: &LetterContext) -> Result<tera::Context, LetterError> {
    check_letter(ctx)?;
    let template = ctx.kind.template();
    let mut context = context_of(ctx, template)?;
    match ctx.kind {
        // The first letter is the reference later letters repeat, not a later letter.
        LetterKind::FirstLetter => context.insert("first_letter", &Value::Null),
        LetterKind::Reminder => {
            first_letter_of(ctx)?;
        }
        // A formal notice with no earlier letter is the first letter itself (it carries every
        // R124-4 mention) and cites none; otherwise it repeats the first one.
        LetterKind::FormalNotice => {}
    }
    context.insert("l111_8", &quoted(&crate::domain::texts::CPCE_L111_8_AL_2_3));
    let amount: Decimal = ctx.claim.invoices.iter().map(|i| i.amount).sum();
    context.insert("invoices_amount", &amount);
    context.insert("has_paid", &(ctx.claim.paid > Decimal::ZERO));
    Ok(context)
}

/// The markup of a letter to the debtor (for tests and debugging; [`letter`] renders it).
pub fn letter_text(ctx: &LetterContext) -> Result<String, LetterError> {
    let context = letter_context(ctx)?;
    let text = render_template(ctx.kind.template(), &context, true)?;
    check_wording(&text)?;
    Ok(text)
}

/// A letter to the debtor as PDF bytes; `created` is the PDF creation date (the output only
/// depends on the arguments).
pub fn letter(ctx: &LetterContext, created: NaiveDateTime) -> Result<Vec<u8>, LetterError> {
    let text = letter_text(ctx)?;
    to_pdf(
        ctx.kind.template(),
        &text,
        format!("{} {}", ctx.kind.title(), ctx.reference),
        format!("Réf. {} — dossier {}", ctx.reference, ctx.case_reference),
        &ctx.agency,
        created,
    )
}

// ---------------------------------------------------------------------------------------------
// Receipt.

const RECEIPT_TEMPLATE: &str = "letters/receipt.tera";

fn receipt_text(r: &Receipt) -> Result<String, LetterError> {
    require("receipt reference", &r.reference)?;
    require("case reference", &r.case_reference)?;
    require("payment method", &r.method)?;
    check_agency(&r.agency)?;
    check_party("creditor", &r.creditor)?;
    check_party("debtor", &r.debtor)?;
    if r.amount <= Decimal::ZERO {
        return Err(invalid("the amount received must be positive"));
    }
    if r.balance_after.is_sign_negative() && !r.balance_after.is_zero() {
        return Err(invalid("the balance after the payment is negative"));
    }
    let mut rows = Vec::with_capacity(r.allocations.len());
    let (mut indemnity, mut interest, mut principal) =
        (Decimal::ZERO, Decimal::ZERO, Decimal::ZERO);
    for (number, ind, int, pri) in &r.allocations {
        require("invoice number", number)?;
        if [ind, int, pri]
            .iter()
            .any(|v| v.is_sign_negative() && !v.is_zero())
        {
            return Err(invalid(format!("invoice {number}: negative imputation")));
        }
        indemnity += *ind;
        interest += *int;
        principal += *pri;
        rows.push(json!({
            "invoice": number,
            "indemnity": ind,
            "interest": int,
            "principal": pri,
            "total": *ind + *int + *pri,
        }));
    }
    let allocated = indemnity + interest + principal;
    if allocated > r.amount {
        return Err(invalid(format!(
            "the imputations add up to {allocated}, more than the {} received",
            r.amount
        )));
    }
    let mut context = context_of(r, RECEIPT_TEMPLATE)?;
    context.insert("rows", &rows);
    context.insert(
        "allocated",
        &json!({"indemnity": indemnity, "interest": interest, "principal": principal, "total": allocated}),
    );
    context.insert("unallocated", &(r.amount - allocated));
    context.insert("has_unallocated", &(allocated < r.amount));
    context.insert("settled", &r.balance_after.is_zero());
    let text = render_template(RECEIPT_TEMPLATE, &context, true)?;
    check_wording(&text)?;
    Ok(text)
}

/// A receipt (quittance) for a payment, as PDF bytes (CPCE R124-6).
pub fn receipt(r: &Receipt, created: NaiveDateTime) -> Result<Vec<u8>, LetterError> {
    let text = receipt_text(r)?;
    to_pdf(
        RECEIPT_TEMPLATE,
        &text,
        format!("Quittance {}", r.reference),
        format!("Réf. {} — dossier {}", r.reference, r.case_reference),
        &r.agency,
        created,
    )
}

// ---------------------------------------------------------------------------------------------
// Remittance statement.

const REMITTANCE_TEMPLATE: &str = "letters/remittance_statement.tera";

fn remittance_text(s: &RemittanceStatement) -> Result<String, LetterError> {
    require("statement reference", &s.reference)?;
    require("period", &s.period_label)?;
    require("commission rate", &s.commission_rate_label)?;
    check_agency(&s.agency)?;
    check_party("creditor", &s.creditor)?;
    for line in &s.lines {
        if line.net != line.amount - line.commission {
            return Err(invalid(format!(
                "case {}: net {} is not {} - {}",
                line.case_reference, line.net, line.amount, line.commission
            )));
        }
    }
    let sum = |f: fn(&RemittanceLine) -> Decimal| s.lines.iter().map(f).sum::<Decimal>();
    check_sum("gross amount", s.gross, sum(|l| l.amount))?;
    check_sum("commission", s.commission, sum(|l| l.commission))?;
    check_sum("net amount", s.net, sum(|l| l.net))?;
    // CPCE R124-6: funds are owed within one month of encashment. A statement prepared after
    // that date is late, and says so (it must still go out: refusing it would keep the
    // creditor's money longer).
    let mut context = context_of(s, REMITTANCE_TEMPLATE)?;
    context.insert("late", &(s.pay_by < s.date));
    render_template(REMITTANCE_TEMPLATE, &context, true)
}

/// The statement of funds remitted to the creditor, as PDF bytes (CPCE R124-6).
pub fn remittance_statement(
    s: &RemittanceStatement,
    created: NaiveDateTime,
) -> Result<Vec<u8>, LetterError> {
    let text = remittance_text(s)?;
    to_pdf(
        REMITTANCE_TEMPLATE,
        &text,
        format!("Relevé de reversement {}", s.reference),
        format!("Réf. {} — relevé {}", s.reference, s.period_label),
        &s.agency,
        created,
    )
}

// ---------------------------------------------------------------------------------------------
// E-mails.

/// Trims trailing spaces, keeps at most one blank line in a row, trims the ends.
fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank = 0;
    for line in text.trim().lines() {
        let line = line.trim_end();
        if line.is_empty() {
            blank += 1;
            if blank > 1 {
                continue;
            }
        } else {
            blank = 0;
        }
        out.push_str(line);
        out.push('\n');
    }
    out.trim_end().to_string()
}

/// A plain-text e-mail to the debtor about the case: the template's first line is the subject,
/// the rest the body. (E-mails to the creditor are `documents::notices`.)
pub fn email(kind: EmailKind, ctx: &LetterContext) -> Result<Email, LetterError> {
    check_letter(ctx)?;
    // A firm reminder repeats the first letter (R124-4), unless it carries the formal notice
    // that is itself the first letter.
    if kind == EmailKind::FirmReminder && ctx.kind != LetterKind::FormalNotice {
        first_letter_of(ctx)?;
    }
    let template = kind.template();
    let context = context_of(ctx, template)?;
    let text = render_template(template, &context, false)?;
    check_wording(&text)?;
    let text = text.trim_start();
    let (subject, body) = text.split_once('\n').unwrap_or((text, ""));
    let subject = subject.trim();
    if subject.is_empty() {
        return Err(LetterError::Template {
            template: template.to_string(),
            message: "the first line (subject) is empty".into(),
        });
    }
    Ok(Email {
        subject: subject.to_string(),
        body: tidy(body),
    })
}

#[cfg(test)]
mod tests;

// ---------------------------------------------------------------------------------------------
// Déclaration de créance (C. com. L622-24, R622-23).

const DECLARATION_TEMPLATE: &str = "letters/claim_declaration.tera";

/// One invoice declared: what was due on the judgment's day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeclaredInvoice {
    pub number: String,
    pub issue_date: NaiveDate,
    pub due_date: NaiveDate,
    pub principal: Decimal,
    pub interest: Decimal,
    pub indemnity: Decimal,
    pub total: Decimal,
}

/// One invoice still to fall due on the judgment's day (declared as « à échoir », R622-23 2°).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InvoiceToFallDue {
    pub number: String,
    pub due_date: NaiveDate,
    pub amount: Decimal,
}

/// The declaration of a claim to the mandataire judiciaire: the sums due on the opening
/// judgment's day, the sums to fall due with their dates, the accessories, the security, the
/// exhibits, and who signs (R622-23; the agency only with the mandate's special power).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClaimDeclaration {
    pub reference: String,
    pub case_reference: String,
    pub date: NaiveDate,
    pub agency: Agency,
    pub creditor: Party,
    pub creditor_siren: String,
    pub debtor: Party,
    pub debtor_siren: Option<String>,
    /// The mandataire judiciaire or liquidateur, one line per entry.
    pub representative: Vec<String>,
    /// « Redressement judiciaire ».
    pub proceeding: String,
    pub judgment_on: NaiveDate,
    pub published_on: Option<NaiveDate>,
    pub court: Option<String>,
    pub proceeding_reference: Option<String>,
    pub invoices: Vec<DeclaredInvoice>,
    pub principal: Decimal,
    pub interest: Decimal,
    pub indemnity: Decimal,
    /// The sum declared as due on the judgment's day.
    pub total_due: Decimal,
    pub to_fall_due: Vec<InvoiceToFallDue>,
    pub to_fall_due_total: Decimal,
    /// The interest wording (« taux BCE + 10 points (C. com. L441-10 II) »).
    pub interest_basis: String,
    /// The loan of a year or more whose interest keeps running (L622-28).
    pub interest_runs: bool,
    /// The privilege or security claimed; `None`: declared as unsecured (chirographaire).
    pub security: Option<String>,
    /// The exhibits listed, in order.
    pub exhibits: Vec<String>,
    /// The mandate grants the agency the special power to declare.
    pub agency_has_power: bool,
    pub signatory: String,
}

/// The declaration as PDF bytes.
pub fn claim_declaration(
    d: &ClaimDeclaration,
    created: NaiveDateTime,
) -> Result<Vec<u8>, LetterError> {
    require("declaration reference", &d.reference)?;
    check_agency(&d.agency)?;
    check_party("creditor", &d.creditor)?;
    check_party("debtor", &d.debtor)?;
    let sum = |f: fn(&DeclaredInvoice) -> Decimal| d.invoices.iter().map(f).sum::<Decimal>();
    check_sum("principal", d.principal, sum(|l| l.principal))?;
    check_sum("interest", d.interest, sum(|l| l.interest))?;
    check_sum("indemnity", d.indemnity, sum(|l| l.indemnity))?;
    check_sum("total due", d.total_due, sum(|l| l.total))?;
    check_sum(
        "total to fall due",
        d.to_fall_due_total,
        d.to_fall_due.iter().map(|l| l.amount).sum(),
    )?;
    let context = context_of(d, DECLARATION_TEMPLATE)?;
    let text = render_template(DECLARATION_TEMPLATE, &context, true)?;
    to_pdf(
        DECLARATION_TEMPLATE,
        &text,
        format!("Déclaration de créance {}", d.reference),
        format!("Réf. {} — dossier {}", d.reference, d.case_reference),
        &d.agency,
        created,
    )
}

// ---------------------------------------------------------------------------------------------
// Letter to the notary of a deceased debtor's estate (C. civ. 771, 772, 792).

const NOTARY_TEMPLATE: &str = "letters/notary_letter.tera";

/// The letter to the notary in charge of the estate.
#[derive(Debug, Clone, Serialize)]
pub struct NotaryLetter {
    pub reference: String,
    pub case_reference: String,
    pub date: NaiveDate,
    pub agency: Agency,
    pub creditor: Party,
    /// The deceased, at the address the case knew.
    pub debtor: Party,
    /// The notary, one line per entry (name, then address).
    pub notary: Vec<String>,
    pub died_on: NaiveDate,
    /// C. civ. 771 al. 1: the first day the heir may be summoned to choose.
    pub heirs_summons_from: NaiveDate,
    /// The day of the sums.
    pub as_of: NaiveDate,
    pub invoices: Vec<DeclaredInvoice>,
    pub principal: Decimal,
    pub interest: Decimal,
    pub indemnity: Decimal,
    pub total_due: Decimal,
    pub to_fall_due: Vec<InvoiceToFallDue>,
    pub interest_basis: String,
    pub signatory: String,
}

/// The letter to the notary as PDF bytes (the wording check applies: it writes to the
/// debtor's estate).
pub fn notary_letter(l: &NotaryLetter, created: NaiveDateTime) -> Result<Vec<u8>, LetterError> {
    require("letter reference", &l.reference)?;
    check_agency(&l.agency)?;
    check_party("creditor", &l.creditor)?;
    check_party("debtor", &l.debtor)?;
    if l.notary.iter().all(|n| n.trim().is_empty()) {
        return Err(invalid("the notary is unknown"));
    }
    let sum = |f: fn(&DeclaredInvoice) -> Decimal| l.invoices.iter().map(f).sum::<Decimal>();
    check_sum("principal", l.principal, sum(|i| i.principal))?;
    check_sum("interest", l.interest, sum(|i| i.interest))?;
    check_sum("indemnity", l.indemnity, sum(|i| i.indemnity))?;
    check_sum("total due", l.total_due, sum(|i| i.total))?;
    let context = context_of(l, NOTARY_TEMPLATE)?;
    let text = render_template(NOTARY_TEMPLATE, &context, true)?;
    check_wording(&text)?;
    to_pdf(
        NOTARY_TEMPLATE,
        &text,
        format!("Courrier au notaire {}", l.reference),
        format!("Réf. {} — dossier {}", l.reference, l.case_reference),
        &l.agency,
        created,
    )
}
