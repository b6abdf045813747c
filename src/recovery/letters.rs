//! Producing the documents of a case: the letter contexts built from the case, the agency's
//! settings and the claim engine's statement (so letters, portal and requête agree), rendered
//! by `documents::letters` and stored byte for byte with their SHA-256.

use chrono::{NaiveDate, NaiveDateTime};

use crate::claims;
use crate::db::DbConn;
use crate::documents::letters;
use crate::domain::calendar;
use crate::error::{AppError, AppResult};
use crate::store::cases::{self as case_store, Case, Debtor};
use crate::store::documents::{self as doc_store, Document, NewDocument};
use crate::store::orgs::{self, Organisation};
use crate::store::recovery::{self, AgencySettings, CaseRecovery};

/// Who a case's letters are from and to.
pub(crate) struct Parties {
    pub agency: letters::Agency,
    pub creditor: letters::Party,
    pub debtor: letters::Party,
    pub debtor_row: Debtor,
    pub settings: AgencySettings,
}

fn address_lines(
    line1: &str,
    line2: Option<&str>,
    postal_code: &str,
    city: &str,
    country: &str,
) -> Vec<String> {
    let mut lines = vec![line1.to_string()];
    lines.extend(line2.map(str::to_string));
    lines.push(format!("{postal_code} {city}"));
    if country != "FR" {
        lines.push(country.to_string());
    }
    lines
}

pub(crate) fn party_of_org(o: &Organisation) -> letters::Party {
    letters::Party {
        name: format!("{} ({})", o.name, o.legal_form),
        address_lines: address_lines(
            &o.address_line1,
            o.address_line2.as_deref(),
            &o.postal_code,
            &o.city,
            &o.country,
        ),
    }
}

/// What the settings lack of the mentions every letter states (CPCE R124-2, R124-4): each
/// as (English, French) words, empty when nothing is missing.
pub(crate) fn missing_mentions(s: &AgencySettings) -> Vec<(&'static str, &'static str)> {
    [
        (
            "agency organisation",
            "l'organisation de l'agence",
            s.agency_org_id.is_none(),
        ),
        ("insurer", "l'assureur", s.insurer.trim().is_empty()),
        (
            "policy number",
            "le numéro de police",
            s.policy_number.trim().is_empty(),
        ),
        (
            "IBAN of the dedicated account",
            "l'IBAN du compte dédié",
            s.iban.trim().is_empty(),
        ),
        ("signatory", "le signataire", s.signatory.trim().is_empty()),
    ]
    .into_iter()
    .filter(|(_, _, m)| *m)
    .map(|(en, fr, _)| (en, fr))
    .collect()
}

/// The agency as its letters present it; refused while R124-2's mentions are missing.
pub(crate) fn agency(conn: &mut DbConn) -> AppResult<(letters::Agency, AgencySettings)> {
    let s = recovery::settings(conn)?;
    let missing: Vec<&str> = missing_mentions(&s).into_iter().map(|(en, _)| en).collect();
    if !missing.is_empty() {
        return Err(AppError::validation(
            "agencySettings",
            format!(
                "the agency settings lack what letters must state (CPCE R124-2, R124-4): {}",
                missing.join(", ")
            ),
        ));
    }
    let org = match s.agency_org_id {
        Some(id) => orgs::find(conn, id)?,
        None => None,
    }
    .ok_or_else(|| AppError::validation("agencySettings", "the agency organisation is missing"))?;
    let agency = letters::Agency {
        name: format!("{} ({})", org.name, org.legal_form),
        address_lines: address_lines(
            &org.address_line1,
            org.address_line2.as_deref(),
            &org.postal_code,
            &org.city,
            &org.country,
        ),
        siren: org.siren.clone(),
        phone: s.phone.clone(),
        email: s.email.clone(),
        insurer: s.insurer.clone(),
        policy_number: s.policy_number.clone(),
        iban: s.iban.clone(),
        bic: s.bic.clone(),
        city: org.city.clone(),
    };
    Ok((agency, s))
}

pub(crate) fn parties(conn: &mut DbConn, case: &Case) -> AppResult<Parties> {
    let (agency, settings) = agency(conn)?;
    let creditor = orgs::find(conn, case.creditor_org_id)?
        .ok_or_else(|| AppError::internal("case without creditor"))?;
    let debtor_row = case_store::find_debtors(conn, &[case.debtor_id])?
        .into_iter()
        .next()
        .ok_or_else(|| AppError::internal("case without debtor"))?;
    let name = match &debtor_row.first_name {
        Some(first) => format!("{first} {}", debtor_row.name),
        None => match &debtor_row.legal_form {
            Some(form) => format!("{} ({form})", debtor_row.name),
            None => debtor_row.name.clone(),
        },
    };
    let debtor = letters::Party {
        name,
        address_lines: address_lines(
            &debtor_row.address_line1,
            debtor_row.address_line2.as_deref(),
            &debtor_row.postal_code,
            &debtor_row.city,
            &debtor_row.country,
        ),
    };
    Ok(Parties {
        agency,
        creditor: party_of_org(&creditor),
        debtor,
        debtor_row,
        settings,
    })
}

/// Where the first letter to the debtor stands (CPCE R124-4: later letters repeat its
/// reference and its sending date).
pub(crate) enum FirstLetter {
    /// No letter was produced yet: the next one is the first.
    None,
    /// Produced but not sent yet (a paper letter waiting to be posted, an e-mail queued).
    Unsent(String),
    /// Sent: its reference and the day it left.
    Sent(letters::FirstLetterRef),
}

/// The first letter of the case and its sending date: the day its message left the outbox
/// (sent, or posted by an agent), or the posting of the formal notice when the first letter
/// was the formal notice — never the date printed on it.
pub(crate) fn first_letter(
    conn: &mut DbConn,
    case_id: i64,
    rec: &CaseRecovery,
) -> AppResult<FirstLetter> {
    let Some(reference) = rec.first_letter_ref.clone() else {
        return Ok(FirstLetter::None);
    };
    let doc = doc_store::of_case(conn, case_id)?
        .into_iter()
        .find(|d| d.reference == reference);
    let mut sent_on = None;
    if let Some(doc) = &doc {
        sent_on = crate::store::outbox::of_case(conn, case_id)?
            .into_iter()
            .filter(|m| m.document_id == Some(doc.id))
            .filter_map(|m| m.sent_at.map(|t| t.date()))
            .min();
        if doc.kind == "formal_notice" {
            sent_on = match (sent_on, rec.formal_notice_posted_on) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
        }
    }
    Ok(match sent_on {
        Some(sent_on) => FirstLetter::Sent(letters::FirstLetterRef { reference, sent_on }),
        None => FirstLetter::Unsent(reference),
    })
}

/// The interest sentence of the letters, from the engine's input and the rates it applied
/// (`domain::wording`: a contractual rate is named as such, with its L441-10 II floor).
pub(crate) fn interest_basis(
    input: &crate::domain::claim::ClaimInput,
    st: &crate::domain::statement::Statement,
) -> String {
    use crate::domain::wording::{self, InterestRegime};
    let regime = match (input.kind, input.contractual_rate) {
        (crate::domain::claim::ClaimKind::B2C, _) => InterestRegime::Consumer,
        (_, Some(rate)) => InterestRegime::Contractual(rate),
        (_, None) => InterestRegime::StatutoryB2b,
    };
    let applied: Vec<rust_decimal::Decimal> = st
        .invoices
        .iter()
        .flat_map(|i| i.interest_periods.iter().map(|p| p.rate))
        .collect();
    wording::interest_basis(regime, &applied)
}

/// The claim as the letters show it, from the engine's statement as of `as_of`: the invoices
/// due on that day with the sums demanded, and apart those still to fall due (C. civ. 1344;
/// the engine's split, `domain::statement::is_due_on`, so letters, report and requête agree).
/// Also returns the engine's statement the claim comes from.
fn claim_of(
    conn: &mut DbConn,
    case: &Case,
    as_of: NaiveDate,
) -> AppResult<(letters::Claim, crate::domain::claim::Statement)> {
    let input = claims::claim_input(conn, case)?;
    let st = claims::compute(conn, &input, as_of, "asOf")?;
    let consumer = input.kind == crate::domain::claim::ClaimKind::B2C;
    let line = |i: &crate::domain::claim::InvoiceInput,
                s: &crate::domain::claim::InvoiceStatement| letters::InvoiceLine {
        number: i.number.clone(),
        issue_date: i.issue_date,
        due_date: i.due_date,
        amount: i.amount,
        principal: s.principal_outstanding,
        interest: s.interest_outstanding,
        indemnity: s.indemnity_outstanding,
    };
    let lines = input.invoices.iter().zip(&st.invoices);
    let invoices = lines
        .clone()
        .filter(|(_, s)| !s.to_fall_due)
        .map(|(i, s)| line(i, s))
        .collect();
    let to_fall_due = lines
        .filter(|(_, s)| s.to_fall_due && s.total_due > rust_decimal::Decimal::ZERO)
        .map(|(i, s)| line(i, s))
        .collect();
    let due = &st.totals.due;
    let claim = letters::Claim {
        // The rate table ends before `as_of`: the letter says where interest stopped.
        interest_note: st.interest_stopped.map(|stop| stop.french()),
        invoices,
        to_fall_due,
        principal: due.principal,
        interest: due.interest,
        indemnity: due.indemnity,
        paid: st.totals.payments_received,
        total: due.total,
        as_of,
        consumer,
        interest_basis: interest_basis(&input, &st),
    };
    Ok((claim, st))
}

/// Refuses a letter that would demand nothing: every invoice still to fall due (C. civ. 1344:
/// a formal notice demands a sum due), or nothing left due.
fn require_something_due(claim: &letters::Claim, kind: letters::LetterKind) -> AppResult<()> {
    if claim.total > rust_decimal::Decimal::ZERO {
        return Ok(());
    }
    let first = claim.to_fall_due.iter().map(|l| l.due_date).min();
    Err(match (first, kind) {
        (Some(day), letters::LetterKind::FormalNotice) => AppError::invalid_transition(format!(
            "nothing is due yet: a formal notice demands only invoices whose due date has \
             passed; the first falls due on {}",
            letters::format_date(day)
        )),
        (Some(day), _) => AppError::invalid_transition(format!(
            "nothing is due yet: a letter demands only invoices whose due date has passed; the \
             first falls due on {}",
            letters::format_date(day)
        )),
        (None, _) => {
            AppError::invalid_transition("nothing is due on this case: there is nothing to demand")
        }
    })
}

/// A new reference for a document of the case: `<case ref>-L01`, `-L02`…
pub(crate) fn next_reference(conn: &mut DbConn, case: &Case) -> AppResult<String> {
    let n = case_store::next_counter(conn, &format!("letters:{}", case.id))?;
    Ok(format!("{}-L{n:02}", case.reference))
}

/// Stores generated bytes and records the document (inside the caller's transaction), and
/// makes a case's document a piece of its evidence. The blob is stored first under its hash:
/// a rolled-back transaction leaves an unreferenced blob (`fsck` finds it), never a row
/// without its bytes.
#[allow(clippy::too_many_arguments)]
pub(crate) fn store(
    conn: &mut DbConn,
    blobs: &dyn crate::blobs::BlobStore,
    owner: (Option<i64>, Option<i64>),
    kind: &str,
    reference: &str,
    bytes: &[u8],
    now: NaiveDateTime,
    by: Option<i64>,
) -> AppResult<Document> {
    let sha = blobs
        .put_bytes(bytes)
        .map_err(crate::evidence::blob_error)?;
    let filename = format!("{reference}.pdf");
    let doc = doc_store::insert(
        conn,
        &NewDocument {
            case_id: owner.0,
            creditor_org_id: owner.1,
            kind,
            reference,
            filename: &filename,
            sha256: &sha,
            size_bytes: bytes.len() as i64,
            created_at: now,
            created_by: by,
        },
    )?;
    // A case's document is a piece of its evidence too: the next exhibit.
    if let Some(case) = owner
        .0
        .map(|id| case_store::find(conn, id))
        .transpose()?
        .flatten()
    {
        crate::evidence::add_generated(conn, now, &case, &doc)?;
    }
    Ok(doc)
}

/// What a generated letter is.
pub(crate) struct Produced {
    pub document: Document,
    pub context: letters::LetterContext,
    pub debtor_email: Option<String>,
}

/// Renders and stores a letter of `kind` for the case, dated today. The first letter of a case
/// is always the R124-4 one (whatever step asked for a letter), and its reference and date are
/// kept so every later letter repeats them.
#[allow(clippy::too_many_arguments)]
pub(crate) fn produce(
    conn: &mut DbConn,
    blobs: &dyn crate::blobs::BlobStore,
    now: NaiveDateTime,
    case: &Case,
    rec: &mut CaseRecovery,
    kind: letters::LetterKind,
    registered: bool,
    by: Option<i64>,
) -> AppResult<Produced> {
    let today = now.date();
    let p = parties(conn, case)?;
    let (claim, st) = claim_of(conn, case, today)?;
    require_something_due(&claim, kind)?;
    // A formal notice demands the whole sum: not while interest stops short for want of
    // rates (a reminder may go out with the interest known so far, and says so).
    if kind == letters::LetterKind::FormalNotice {
        claims::require_complete(&st)?;
    }
    let first_letter = match first_letter(conn, case.id, rec)? {
        FirstLetter::None => None,
        FirstLetter::Sent(r) => Some(r),
        // CPCE R124-4: a later letter repeats the first one's sending date, which is not
        // known until it has left.
        FirstLetter::Unsent(reference) => {
            return Err(AppError::validation(
                "firstLetter",
                format!(
                    "the first letter {reference} has not been sent yet: a later letter repeats \
                     its sending date (CPCE R124-4)"
                ),
            ))
        }
    };
    // The first letter to the debtor carries R124-4's mentions: a reminder then becomes the
    // first letter; a formal notice carries them anyway and counts as the first letter.
    let is_first = first_letter.is_none();
    let kind = if is_first && kind == letters::LetterKind::Reminder {
        letters::LetterKind::FirstLetter
    } else {
        kind
    };
    let days = u32::try_from(p.settings.formal_notice_days).unwrap_or(8);
    // C. civ. 1344 / CPC 642: the deadline is a date, moved off weekends and holidays.
    let pay_by = calendar::add_days_deadline(today, days)
        .map_err(|_| AppError::internal("deadline out of range"))?;
    let reference = next_reference(conn, case)?;
    // Issue 17: each letter carries a debtor's link of its own (only its hash is kept).
    let debtor_link = crate::debtor::printed_link(
        conn,
        now,
        &p.settings.portal_url,
        case.id,
        Some(&reference),
        by,
    )?;
    // A formal notice that is also the first letter cites no earlier letter (not itself).
    let context = letters::LetterContext {
        kind,
        reference: reference.clone(),
        case_reference: case.reference.clone(),
        date: today,
        agency: p.agency,
        creditor: p.creditor,
        debtor: p.debtor,
        claim,
        first_letter,
        pay_by,
        signatory: p.settings.signatory.clone(),
        registered,
        debtor_link,
    };
    let bytes = letters::letter(&context, now).map_err(letters::LetterError::into_app)?;
    let doc_kind = match kind {
        letters::LetterKind::FirstLetter => "first_letter",
        letters::LetterKind::Reminder => "reminder_letter",
        letters::LetterKind::FormalNotice => "formal_notice",
    };
    let document = store(
        conn,
        blobs,
        (Some(case.id), None),
        doc_kind,
        &reference,
        &bytes,
        now,
        by,
    )?;
    if is_first {
        rec.first_letter_ref = Some(reference);
        rec.first_letter_on = Some(today);
    }
    if kind == letters::LetterKind::FormalNotice {
        rec.formal_notice_on = Some(today);
        rec.formal_notice_deadline = Some(pay_by);
    }
    Ok(Produced {
        document,
        context,
        debtor_email: p.debtor_row.email.clone(),
    })
}
