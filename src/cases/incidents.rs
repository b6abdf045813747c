//! The incidents of a debtor's life on its cases (`domain::legal::incidents`): recording one
//! (on every open case of the same SIREN the actor may see), the claim's declaration, the
//! agency's decision that ends it, and the freeze every demand checks.

use chrono::NaiveDate;

use crate::auth::Actor;
use crate::clock::Clock;
use crate::db::DbConn;
use crate::domain::legal::incidents::{
    self, check_end, check_record, Family, IncidentEnd, IncidentFacts, IncidentKind,
};
use crate::domain::playbook::Template;
use crate::domain::workflow::{Action, CaseState, Outcome};
use crate::error::{AppError, AppResult, ErrorCode};
use crate::store::cases::{self as case_store, Case};
use crate::store::incidents::{self as store, Incident, NewIncident};
use crate::store::{events, outbox, tasks};
use crate::validate;

/// The task of the claim's declaration to the mandataire (C. com. R622-24).
pub const DECLARATION_TASK: &str = "claim_declaration";
/// The task raised by a payment received after an opening judgment (C. com. L622-7).
pub const PAYMENT_AFTER_OPENING_TASK: &str = "payment_after_opening";
/// Days before the declaration deadline the task falls due *(convention)*: time to gather
/// the exhibits and post the registered letter.
const DECLARATION_NOTICE_DAYS: u64 = 15;

/// The rule's facts of a stored incident (an unknown kind or end, from damaged data, is an
/// internal error).
pub fn facts(i: &Incident) -> AppResult<IncidentFacts> {
    let kind = IncidentKind::parse(&i.kind).map_err(AppError::internal)?;
    let ended = match (i.ended_on, i.end_kind.as_deref()) {
        (Some(on), Some(k)) => Some((on, IncidentEnd::parse(k).map_err(AppError::internal)?)),
        _ => None,
    };
    Ok(IncidentFacts {
        kind,
        occurred_on: i.occurred_on,
        published_on: i.published_on,
        creditor_abroad: i.creditor_abroad,
        long_term_loan: i.long_term_loan,
        declared_on: i.declared_on,
        ended,
    })
}

/// The facts of every incident of a list (damaged rows left out, and logged).
pub fn facts_of(list: &[Incident]) -> Vec<IncidentFacts> {
    list.iter()
        .filter_map(|i| match facts(i) {
            Ok(f) => Some(f),
            Err(e) => {
                tracing::error!(incident = i.id, error = %e.message, "unreadable incident");
                None
            }
        })
        .collect()
}

/// C. com. L622-28: the earliest opening judgment that stopped the claim's interest, ended or
/// not (its effect on interest stays).
pub fn interest_stops_on(list: &[Incident]) -> Option<NaiveDate> {
    facts_of(list)
        .iter()
        .filter_map(IncidentFacts::interest_stops_on)
        .min()
}

/// `INELIGIBLE` (the failing condition's key in `field`) when an incident in force on `today`
/// freezes the case's demands (C. com. L622-21, C. conso. L722-2…).
pub fn check_not_frozen(conn: &mut DbConn, case_id: i64, today: NaiveDate) -> AppResult<()> {
    let list = facts_of(&store::of_case(conn, case_id)?);
    let Some(frozen) = incidents::freezing(&list, today) else {
        return Ok(());
    };
    let key = frozen.kind.family().condition_key();
    let condition = incidents::conditions(&list, today)
        .into_iter()
        .find(|c| c.key == key)
        .ok_or_else(|| AppError::internal("incident without its condition"))?;
    Err(AppError {
        field: Some(key.to_string()),
        ..AppError::new(
            ErrorCode::Ineligible,
            format!("{} — {}", condition.title, condition.reason),
        )
    })
}

/// Whether an incident in force on `today` freezes the case (the scheduler skips its steps).
pub fn is_frozen(conn: &mut DbConn, case_id: i64, today: NaiveDate) -> AppResult<bool> {
    let list = facts_of(&store::of_case(conn, case_id)?);
    Ok(incidents::freezing(&list, today).is_some())
}

/// What the agent or lawyer records.
#[derive(Debug, Clone)]
pub struct IncidentInput {
    pub kind: IncidentKind,
    pub occurred_on: NaiveDate,
    pub published_on: Option<NaiveDate>,
    pub court: Option<String>,
    pub reference: Option<String>,
    pub representative: Option<String>,
    pub creditor_abroad: bool,
    pub long_term_loan: bool,
}

/// Records an incident on the case and, for a company known by its SIREN, on every other open
/// case of that SIREN the actor may see (the judgment concerns the debtor, whoever the
/// creditor): one row, one event and, for a collective proceeding published at the BODACC,
/// one declaration task per case. Returns the incident of `case_id` and the case.
pub fn record(
    conn: &mut DbConn,
    clock: &Clock,
    actor: &Actor,
    case_id: i64,
    input: &IncidentInput,
    expected_version: Option<i32>,
) -> AppResult<(Incident, Case)> {
    let court = validate::optional("court", input.court.as_deref(), 200)?;
    let reference = validate::optional("reference", input.reference.as_deref(), 100)?;
    let representative =
        validate::optional("representative", input.representative.as_deref(), 500)?;
    crate::cases::actions::act_creating(
        conn,
        clock,
        actor,
        case_id,
        expected_version,
        Action::RecordIncident,
        |case, _, conn| {
            let debtor = case_store::find_debtors(conn, &[case.debtor_id])?
                .into_iter()
                .next()
                .ok_or_else(|| AppError::internal("case without debtor"))?;
            check_record(
                input.kind,
                input.occurred_on,
                input.published_on,
                debtor.kind == crate::domain::parties::DebtorKind::Company.as_str(),
                debtor.is_consumer,
                clock.today(),
            )
            .map_err(|(field, why)| AppError::validation(field, why))?;
            if already_recorded(conn, case.id, input)? {
                return Err(AppError::validation(
                    "kind",
                    "Cet événement est déjà enregistré sur ce dossier.",
                ));
            }
            let row = |case_id| NewIncident {
                case_id,
                kind: input.kind.as_str(),
                occurred_on: input.occurred_on,
                published_on: input.published_on,
                court: court.as_deref(),
                reference: reference.as_deref(),
                representative: representative.as_deref(),
                creditor_abroad: input.creditor_abroad,
                long_term_loan: input.long_term_loan,
                recorded_by: actor.user_id,
                recorded_at: clock.now(),
            };
            let created = store::insert(conn, &row(case.id))?;
            let f = facts(&created)?;
            declaration_task(conn, clock, case.id, &f)?;
            let withheld = withhold_demands(conn, clock, case.id)?;
            let payload = serde_json::json!({
                "incident_id": created.id,
                "kind": input.kind.as_str(),
                "occurred_on": input.occurred_on,
                "published_on": input.published_on,
                "court": court,
                "reference": reference,
                "article": input.kind.article(),
                "declaration_deadline": f.declaration_deadline(),
                "withheld_messages": withheld,
            });
            let mut also = Vec::new();
            if let Some(siren) = debtor.siren.as_deref() {
                for other in store::open_cases_of_siren(conn, siren)? {
                    if other == case.id {
                        continue;
                    }
                    let Some(c) = case_store::find(conn, other)? else {
                        continue;
                    };
                    if !actor.can_view(&c.scope()) || already_recorded(conn, other, input)? {
                        continue;
                    }
                    let copy = store::insert(conn, &row(other))?;
                    declaration_task(conn, clock, other, &f)?;
                    let mut p = payload.clone();
                    p["incident_id"] = copy.id.into();
                    p["withheld_messages"] = withhold_demands(conn, clock, other)?.into();
                    p["from_case"] = case.reference.clone().into();
                    events::append(
                        conn,
                        other,
                        clock.now(),
                        Some(actor.user_id),
                        "incident_recorded",
                        &p,
                    )?;
                    also.push(c.reference);
                }
            }
            let mut payload = payload;
            payload["also_on"] = also.into();
            Ok((
                created,
                crate::cases::actions::no_change(),
                "incident_recorded",
                payload,
            ))
        },
    )
}

/// The demands of the case still waiting in the outbox (an e-mail not sent, a letter not
/// posted) are cancelled with their posting tasks: from the incident on they may not leave
/// (C. com. L622-21, C. conso. L722-2; no letter to a deceased debtor), whenever they were
/// queued. Returns the messages cancelled.
fn withhold_demands(conn: &mut DbConn, clock: &Clock, case_id: i64) -> AppResult<Vec<i64>> {
    let kinds: Vec<&str> = Template::DEMANDS.iter().map(|t| t.as_str()).collect();
    let ids = outbox::cancel_unsent(conn, case_id, &kinds, clock.now())?;
    if !ids.is_empty() {
        tasks::cancel_open_of_messages(conn, &ids, clock.now())?;
    }
    Ok(ids)
}

/// Whether the case already has this incident (same kind, same date) not ended.
fn already_recorded(conn: &mut DbConn, case_id: i64, input: &IncidentInput) -> AppResult<bool> {
    Ok(store::of_case(conn, case_id)?.iter().any(|i| {
        i.kind == input.kind.as_str() && i.occurred_on == input.occurred_on && i.ended_on.is_none()
    }))
}

/// The declaration task of a collective proceeding published at the BODACC, due
/// [`DECLARATION_NOTICE_DAYS`] before its deadline (today when that is past).
fn declaration_task(
    conn: &mut DbConn,
    clock: &Clock,
    case_id: i64,
    f: &IncidentFacts,
) -> AppResult<()> {
    let Some(deadline) = f.declaration_deadline() else {
        return Ok(());
    };
    let today = clock.today();
    let due_on = deadline
        .checked_sub_days(chrono::Days::new(DECLARATION_NOTICE_DAYS))
        .unwrap_or(deadline)
        .max(today);
    let title = format!(
        "Déclarer la créance au mandataire judiciaire au plus tard {} (C. com. R622-24)",
        crate::domain::fmt::le_date(deadline)
    );
    tasks::insert(
        conn,
        &tasks::NewTask {
            case_id,
            kind: DECLARATION_TASK,
            title: &title,
            due_on,
            status: "open",
            outbox_id: None,
            created_at: clock.now(),
        },
    )?;
    Ok(())
}

/// The case of incident `id`, if the actor may see it (another case's incident answers like
/// a missing one).
fn case_of(conn: &mut DbConn, actor: &Actor, id: i64) -> AppResult<i64> {
    let incident = current(conn, id)?;
    crate::cases::load_visible(conn, actor, incident.case_id)
        .map_err(|_| AppError::not_found("incident"))?;
    Ok(incident.case_id)
}

/// Incident `id` as stored now: read again inside the case's transaction, so that what the
/// use case checks (declared, ended) is not a read from before the lock.
fn current(conn: &mut DbConn, id: i64) -> AppResult<Incident> {
    store::find(conn, id)?.ok_or_else(|| AppError::not_found("incident"))
}

/// Records that the claim was declared to the mandataire on `declared_on` (the declaration
/// task is done).
pub fn record_declaration(
    conn: &mut DbConn,
    clock: &Clock,
    actor: &Actor,
    incident_id: i64,
    declared_on: NaiveDate,
    tracking: Option<&str>,
) -> AppResult<Case> {
    let tracking = validate::optional("trackingNumber", tracking, 40)?;
    let case_id = case_of(conn, actor, incident_id)?;
    crate::cases::actions::act(
        conn,
        clock,
        actor,
        case_id,
        None,
        Action::RecordIncident,
        |_, _, conn| {
            let incident = current(conn, incident_id)?;
            let f = open_collective(&incident)?;
            if declared_on > clock.today() || declared_on < f.occurred_on {
                return Err(AppError::validation(
                    "declaredOn",
                    "the declaration is dated between the opening judgment and today",
                ));
            }
            store::set_declared(conn, incident.id, declared_on, tracking.as_deref())?;
            tasks::close_open_of_kind(
                conn,
                case_id,
                DECLARATION_TASK,
                "créance déclarée",
                clock.now(),
            )?;
            Ok((
                crate::cases::actions::no_change(),
                "claim_declared",
                serde_json::json!({
                    "incident_id": incident.id,
                    "declared_on": declared_on,
                    "tracking_number": tracking,
                    "deadline": f.declaration_deadline(),
                    "late": f.declaration_deadline().is_some_and(|d| declared_on > d),
                }),
            ))
        },
    )
}

/// The collective proceeding's incident `incident`, open (not ended): the declaration and the
/// decision on the claim need one.
fn open_collective(incident: &Incident) -> AppResult<IncidentFacts> {
    let f = facts(incident)?;
    if f.kind.family() != Family::Collective {
        return Err(AppError::validation(
            "incidentId",
            "a claim is declared only in a collective proceeding",
        ));
    }
    Ok(f)
}

/// Produces the déclaration de créance (C. com. L622-24, R622-23) as a PDF document of the
/// case, to be sent to the mandataire by registered letter: the sums due on the judgment's
/// day (principal, interest stopped there, indemnities), the sums to fall due with their
/// dates, the security claimed (`None`: unsecured), the case's exhibits, and who signs — the
/// agency when its mandate grants the special power to declare, else the creditor.
pub fn prepare_declaration(
    conn: &mut DbConn,
    clock: &Clock,
    blobs: &dyn crate::blobs::BlobStore,
    actor: &Actor,
    incident_id: i64,
    security: Option<&str>,
) -> AppResult<Case> {
    let security = validate::optional("security", security, 500)?;
    let case_id = case_of(conn, actor, incident_id)?;
    crate::cases::actions::act(
        conn,
        clock,
        actor,
        case_id,
        None,
        Action::RecordIncident,
        |case, _, conn| {
            let incident = current(conn, incident_id)?;
            let f = open_collective(&incident)?;
            if incident.declared_on.is_some() {
                return Err(AppError::invalid_transition(
                    "the claim is already declared",
                ));
            }
            let declaration =
                declaration_of(conn, case, &incident, &f, security.as_deref(), clock)?;
            let bytes = crate::documents::letters::claim_declaration(&declaration, clock.now())
                .map_err(AppError::internal)?;
            let doc = crate::recovery::letters::store(
                conn,
                blobs,
                (Some(case.id), None),
                "claim_declaration",
                &declaration.reference,
                &bytes,
                clock.now(),
                Some(actor.user_id),
            )?;
            store::set_declaration_document(conn, incident.id, doc.id, security.as_deref())?;
            Ok((
                crate::cases::actions::no_change(),
                "claim_declaration_prepared",
                serde_json::json!({
                    "incident_id": incident.id,
                    "document_id": doc.id,
                    "reference": declaration.reference,
                    "total_due": format!("{:.2}", declaration.total_due),
                    "to_fall_due": format!("{:.2}", declaration.to_fall_due_total),
                    "agency_has_power": declaration.agency_has_power,
                }),
            ))
        },
    )
}

/// The declaration's contents, from the statement as of the judgment's day (interest stops
/// there, L622-28; the invoices not due that day are « à échoir », R622-23 2°).
fn declaration_of(
    conn: &mut DbConn,
    case: &Case,
    incident: &Incident,
    f: &IncidentFacts,
    security: Option<&str>,
    clock: &Clock,
) -> AppResult<crate::documents::letters::ClaimDeclaration> {
    use crate::documents::letters::{ClaimDeclaration, DeclaredInvoice};
    let parties = crate::recovery::letters::parties(conn, case)?;
    let claim = crate::claims::claim_input(conn, case)?;
    let st = crate::claims::compute(conn, &claim, f.occurred_on, "incidentId")?;
    let (invoices, to_fall_due) = claim_lines(&claim, &st);
    let sum = |g: fn(&DeclaredInvoice) -> rust_decimal::Decimal| {
        invoices.iter().map(g).sum::<rust_decimal::Decimal>()
    };
    let mandate = crate::store::mandates::find(conn, case.mandate_id)?
        .ok_or_else(|| AppError::internal("case without mandate"))?;
    let creditor = crate::store::orgs::find(conn, case.creditor_org_id)?
        .ok_or_else(|| AppError::internal("case without creditor"))?;
    let exhibits = crate::store::evidence::of_case(conn, case.id)?
        .into_iter()
        .filter(|p| p.withdrawn_at.is_none())
        .map(|p| format!("{} ({})", p.description, p.filename))
        .collect();
    let representative = address_lines(
        incident
            .representative
            .as_deref()
            .unwrap_or("Mandataire judiciaire"),
    );
    Ok(ClaimDeclaration {
        reference: crate::recovery::letters::next_reference(conn, case)?,
        case_reference: case.reference.clone(),
        date: clock.today(),
        creditor_siren: creditor.siren.clone(),
        debtor_siren: parties.debtor_row.siren.clone(),
        agency: parties.agency,
        creditor: parties.creditor,
        debtor: parties.debtor,
        representative,
        proceeding: f.kind.french().to_string(),
        judgment_on: f.occurred_on,
        published_on: f.published_on,
        court: incident.court.clone(),
        proceeding_reference: incident.reference.clone(),
        principal: sum(|l| l.principal),
        interest: sum(|l| l.interest),
        indemnity: sum(|l| l.indemnity),
        total_due: sum(|l| l.total),
        to_fall_due_total: to_fall_due.iter().map(|l| l.amount).sum(),
        invoices,
        to_fall_due,
        interest_basis: crate::recovery::letters::interest_basis(&claim, &st),
        interest_runs: f.long_term_loan,
        security: security.map(str::to_string),
        exhibits,
        agency_has_power: mandate.declares_claims,
        signatory: parties.settings.signatory,
    })
}

/// A name and address typed on one line with commas, or on several: one entry per line.
fn address_lines(text: &str) -> Vec<String> {
    text.split([',', '\n'])
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

/// The invoices of a statement as the declaration and the notary's letter list them: those
/// due with what remains of each (principal, interest, indemnity), those to fall due.
fn claim_lines(
    claim: &crate::domain::claim::ClaimInput,
    st: &crate::domain::claim::Statement,
) -> (
    Vec<crate::documents::letters::DeclaredInvoice>,
    Vec<crate::documents::letters::InvoiceToFallDue>,
) {
    use crate::documents::letters::{DeclaredInvoice, InvoiceToFallDue};
    let issued: std::collections::HashMap<i64, NaiveDate> = claim
        .invoices
        .iter()
        .map(|i| (i.id, i.issue_date))
        .collect();
    let due = st
        .due_lines()
        .filter(|l| l.total_due > rust_decimal::Decimal::ZERO)
        .map(|l| DeclaredInvoice {
            number: l.number.clone(),
            issue_date: issued.get(&l.invoice_id).copied().unwrap_or(l.due_date),
            due_date: l.due_date,
            principal: l.principal_outstanding,
            interest: l.interest_outstanding,
            indemnity: l.indemnity_outstanding,
            total: l.total_due,
        })
        .collect();
    let to_fall_due = st
        .to_fall_due_lines()
        .map(|l| InvoiceToFallDue {
            number: l.number.clone(),
            due_date: l.due_date,
            amount: l.total_due,
        })
        .collect();
    (due, to_fall_due)
}

/// The letter to the notary in charge of a deceased debtor's estate (C. civ. 771, 772, 792):
/// the sums of the day, the heirs' option, the claim declared to the estate. `notary` (name
/// and address, one entry per line or comma) replaces the incident's; one of the two is
/// needed. The PDF is a document of the case and waits in the outbox, with a task, for an
/// agent to post it.
pub fn prepare_notary_letter(
    conn: &mut DbConn,
    clock: &Clock,
    blobs: &dyn crate::blobs::BlobStore,
    actor: &Actor,
    incident_id: i64,
    notary: Option<&str>,
) -> AppResult<Case> {
    let notary = validate::optional("notary", notary, 500)?;
    let case_id = case_of(conn, actor, incident_id)?;
    crate::cases::actions::act(
        conn,
        clock,
        actor,
        case_id,
        None,
        Action::RecordIncident,
        |case, _, conn| {
            let incident = current(conn, incident_id)?;
            let f = facts(&incident)?;
            if f.kind != IncidentKind::Death {
                return Err(AppError::invalid_transition(
                    "a letter to the notary follows a death",
                ));
            }
            if incident.ended_on.is_some() {
                return Err(AppError::invalid_transition("the incident is closed"));
            }
            let notary = notary
                .or(incident.representative.clone())
                .unwrap_or_default();
            let lines = address_lines(&notary);
            let Some(recipient) = lines.first().cloned() else {
                return Err(AppError::validation(
                    "notary",
                    "Indiquez le notaire chargé de la succession (nom et adresse).",
                ));
            };
            if incident.representative.as_deref() != Some(notary.as_str()) {
                store::set_representative(conn, incident.id, &notary)?;
            }
            let heirs_summons_from = f
                .heirs_summons_from()
                .ok_or_else(|| AppError::internal("a death without the heirs' date"))?;
            let parties = crate::recovery::letters::parties(conn, case)?;
            let claim = crate::claims::claim_input(conn, case)?;
            let today = clock.today();
            let st = crate::claims::compute(conn, &claim, today, "incidentId")?;
            let (invoices, to_fall_due) = claim_lines(&claim, &st);
            let sum =
                |g: fn(&crate::documents::letters::DeclaredInvoice) -> rust_decimal::Decimal| {
                    invoices.iter().map(g).sum::<rust_decimal::Decimal>()
                };
            let letter = crate::documents::letters::NotaryLetter {
                reference: crate::recovery::letters::next_reference(conn, case)?,
                case_reference: case.reference.clone(),
                date: today,
                agency: parties.agency,
                creditor: parties.creditor,
                debtor: parties.debtor,
                notary: lines.clone(),
                died_on: f.occurred_on,
                heirs_summons_from,
                as_of: today,
                principal: sum(|l| l.principal),
                interest: sum(|l| l.interest),
                indemnity: sum(|l| l.indemnity),
                total_due: sum(|l| l.total),
                invoices,
                to_fall_due,
                interest_basis: crate::recovery::letters::interest_basis(&claim, &st),
                signatory: parties.settings.signatory,
            };
            let bytes = crate::documents::letters::notary_letter(&letter, clock.now())
                .map_err(crate::documents::letters::LetterError::into_app)?;
            let doc = crate::recovery::letters::store(
                conn,
                blobs,
                (Some(case.id), None),
                "notary_letter",
                &letter.reference,
                &bytes,
                clock.now(),
                Some(actor.user_id),
            )?;
            let subject = format!("Succession de {}", letter.debtor.name);
            let message = crate::recovery::queue::enqueue(
                conn,
                clock.now(),
                case.id,
                &crate::recovery::queue::Outgoing {
                    channel: "letter",
                    kind: "notary_letter",
                    recipient: &recipient,
                    subject: &subject,
                    body: "",
                    document_id: doc.id,
                    what: "le courrier au notaire",
                    reference: &letter.reference,
                },
            )?;
            Ok((
                crate::cases::actions::no_change(),
                "notary_letter_prepared",
                serde_json::json!({
                    "incident_id": incident.id,
                    "document_id": doc.id,
                    "outbox_id": message.id,
                    "reference": letter.reference,
                    "notary": lines,
                    "total_due": format!("{:.2}", letter.total_due),
                }),
            ))
        },
    )
}

/// Records the juge-commissaire's decision on the declared claim (C. com. L624-2): admitted
/// (in full, or for `admitted_amount`), rejected, or contested and pending.
pub fn record_claim_decision(
    conn: &mut DbConn,
    clock: &Clock,
    actor: &Actor,
    incident_id: i64,
    decision: incidents::ClaimDecision,
    decided_on: NaiveDate,
    admitted_amount: Option<&str>,
) -> AppResult<Case> {
    use incidents::ClaimDecision;
    let admitted_cents = match (decision, admitted_amount.map(str::trim)) {
        (ClaimDecision::PartlyAdmitted, Some(a)) if !a.is_empty() => Some(
            crate::domain::money::parse_positive_cents(a)
                .map_err(|e| AppError::validation("admittedAmount", e.0))?,
        ),
        (ClaimDecision::PartlyAdmitted, _) => {
            return Err(AppError::validation(
                "admittedAmount",
                "say the amount admitted",
            ))
        }
        _ => None,
    };
    let case_id = case_of(conn, actor, incident_id)?;
    crate::cases::actions::act(
        conn,
        clock,
        actor,
        case_id,
        None,
        Action::RecordIncident,
        |_, _, conn| {
            let incident = current(conn, incident_id)?;
            open_collective(&incident)?;
            let Some(declared_on) = incident.declared_on else {
                return Err(AppError::invalid_transition(
                    "record the claim's declaration first",
                ));
            };
            if decided_on < declared_on || decided_on > clock.today() {
                return Err(AppError::validation(
                    "decidedOn",
                    "the decision is dated between the declaration and today",
                ));
            }
            store::set_claim_decision(
                conn,
                incident.id,
                decision.as_str(),
                decided_on,
                admitted_cents,
            )?;
            Ok((
                crate::cases::actions::no_change(),
                "claim_decided",
                serde_json::json!({
                    "incident_id": incident.id,
                    "decision": decision.as_str(),
                    "decided_on": decided_on,
                    "admitted": admitted_cents.map(crate::domain::money::format_cents),
                }),
            ))
        },
    )
}

/// The agency ends an incident: recovery resumes (its decision), or the case closes as
/// unrecoverable, or — a rétablissement personnel — as "debt erased".
pub fn end(
    conn: &mut DbConn,
    clock: &Clock,
    actor: &Actor,
    incident_id: i64,
    ended_on: NaiveDate,
    how: IncidentEnd,
    note: Option<&str>,
) -> AppResult<Case> {
    let note = validate::optional("note", note, 1000)?;
    let case_id = case_of(conn, actor, incident_id)?;
    crate::cases::actions::act(
        conn,
        clock,
        actor,
        case_id,
        None,
        Action::EndIncident,
        |case, _, conn| {
            let incident = current(conn, incident_id)?;
            let f = facts(&incident)?;
            check_end(&f, ended_on, how, clock.today())
                .map_err(|why| AppError::validation("endedOn", why))?;
            if !store::end(conn, incident.id, ended_on, how.as_str(), note.as_deref())? {
                return Err(AppError::conflict("the incident was ended meanwhile"));
            }
            tasks::cancel_open_of_kind(conn, case.id, DECLARATION_TASK, clock.now())?;
            let mut change = crate::cases::actions::no_change();
            let outcome = match how {
                IncidentEnd::Resumed => None,
                IncidentEnd::ClosedUnrecoverable => Some(Outcome::Unrecoverable),
                IncidentEnd::DebtErased => Some(Outcome::DebtErased),
            };
            if let Some(o) = outcome {
                change.state = Some(CaseState::Closed.as_str().to_string());
                change.outcome = Some(Some(o.as_str().to_string()));
                change.closed_at = Some(Some(clock.now()));
            }
            Ok((
                change,
                "incident_ended",
                serde_json::json!({
                    "incident_id": incident.id,
                    "kind": f.kind.as_str(),
                    "ended_on": ended_on,
                    "end": how.as_str(),
                    "note": note,
                }),
            ))
        },
    )
}

/// After a payment recorded on `received_on`: a task for the agent when a collective
/// proceeding's judgment came before (C. com. L622-7: the debtor may not pay an earlier debt;
/// the payment may have to be returned to the mandataire). Returns whether it was flagged.
pub fn flag_payment(
    conn: &mut DbConn,
    clock: &Clock,
    case_id: i64,
    received_on: NaiveDate,
) -> AppResult<bool> {
    let list = facts_of(&store::of_case(conn, case_id)?);
    let Some(judgment) = list
        .iter()
        .find(|f| f.kind.family() == Family::Collective && f.in_force(received_on))
    else {
        return Ok(false);
    };
    let title = format!(
        "Paiement reçu après le jugement d'ouverture du {} : à vérifier avec le mandataire \
         (C. com. L622-7)",
        crate::domain::fmt::date_long(judgment.occurred_on)
    );
    tasks::insert(
        conn,
        &tasks::NewTask {
            case_id,
            kind: PAYMENT_AFTER_OPENING_TASK,
            title: &title,
            due_on: clock.today(),
            status: "open",
            outbox_id: None,
            created_at: clock.now(),
        },
    )?;
    Ok(true)
}

/// The incidents of a case the actor may see, by date of the event.
pub fn list(conn: &mut DbConn, actor: &Actor, case_id: i64) -> AppResult<Vec<Incident>> {
    crate::cases::load_visible(conn, actor, case_id)?;
    Ok(store::of_case(conn, case_id)?)
}
