//! Opening a case: a creditor (for its own organisation) or an agent (on behalf of one)
//! submits the debtor, the unpaid invoices and a note.

use chrono::{Datelike, NaiveDate};

use crate::auth::Actor;
use crate::clock::Clock;
use crate::db::{self, DbConn};
use crate::domain::calendar;
use crate::domain::ids::case_reference;
use crate::domain::money;
use crate::domain::parties::{DebtorKind, OrgKind};
use crate::domain::workflow::CaseState;
use crate::error::{AppError, AppResult};
use crate::store::cases::{self as store, NewCase, NewDebtor, NewInvoice};
use crate::store::{events, mandates, orgs};
use crate::validate;

/// Most invoices one case may hold (a larger portfolio is several cases or an import).
pub const MAX_INVOICES: usize = 500;

#[derive(Debug, Clone)]
pub struct DebtorInput {
    pub kind: DebtorKind,
    pub name: String,
    pub first_name: Option<String>,
    pub legal_form: Option<String>,
    pub siren: Option<String>,
    pub address_line1: String,
    pub address_line2: Option<String>,
    pub postal_code: String,
    pub city: String,
    pub country: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    /// Whether the debtor acts as a consumer; defaults to true for an individual.
    pub is_consumer: Option<bool>,
}

/// An invoice as typed by the user: amounts are text, parsed here so that a bad amount is
/// refused with its field path instead of rounded.
#[derive(Debug, Clone)]
pub struct InvoiceInput {
    pub number: String,
    pub issue_date: NaiveDate,
    pub due_date: NaiveDate,
    pub amount: String,
    pub already_paid: Option<String>,
}

#[derive(Debug, Clone)]
pub struct OpenCaseInput {
    pub creditor_id: Option<i64>,
    pub debtor: DebtorInput,
    pub invoices: Vec<InvoiceInput>,
    pub note: Option<String>,
    /// A contractual late-payment rate in percent ("15.00"), between professionals only.
    pub contractual_rate: Option<String>,
}

/// The contractual rate typed, in hundredths of a percent. Between professionals only: a
/// consumer owes legal interest from the formal notice (C. civ. 1231-6, 1344-1); the engine
/// raises a rate below three times the legal rate to that floor (C. com. L441-10 II).
fn check_contractual_rate(typed: Option<&str>, consumer: bool) -> AppResult<Option<i32>> {
    let Some(t) = typed.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    let field = "contractualRate";
    if consumer {
        return Err(AppError::validation(
            field,
            "a contractual late-payment rate applies between professionals (C. com. L441-10); \
             a consumer owes legal interest from the formal notice",
        ));
    }
    let bps = money::parse_positive_cents(t)
        .ok()
        .and_then(|h| i32::try_from(h).ok())
        .filter(|h| *h <= 10_000)
        .ok_or_else(|| {
            AppError::validation(
                field,
                "a yearly rate in percent, above 0 and at most 100, with at most two decimals \
                 (e.g. 12.50)",
            )
        })?;
    Ok(Some(bps))
}

/// Opens a case in state `submitted`. Refused without a mandate in force (CPCE R124-3: no
/// collection without the creditor's written mandate).
pub fn open_case(
    conn: &mut DbConn,
    clock: &Clock,
    actor: &Actor,
    input: &OpenCaseInput,
) -> AppResult<store::Case> {
    open_case_checked(conn, clock, actor, input, |_, _| Ok(()))
}

/// [`open_case`] with one more check, run inside the case's transaction before anything is
/// written, given the creditor's id: the CSV import refuses there a case that is already
/// open, so two imports of one file at once cannot both open it.
pub fn open_case_checked(
    conn: &mut DbConn,
    clock: &Clock,
    actor: &Actor,
    input: &OpenCaseInput,
    check: impl FnOnce(&mut DbConn, i64) -> AppResult<()>,
) -> AppResult<store::Case> {
    let creditor_id = actor.opening_org(input.creditor_id)?;
    let now = clock.now();
    let today = now.date();
    let debtor = check_debtor(&input.debtor, creditor_id, now)?;
    let invoices = check_invoices(&input.invoices, today)?;
    let contractual_rate_bps =
        check_contractual_rate(input.contractual_rate.as_deref(), debtor.is_consumer)?;
    let note = validate::optional("note", input.note.as_deref(), 5000)?.unwrap_or_default();

    db::transaction(conn, |conn| {
        check(conn, creditor_id)?;
        let org = orgs::find(conn, creditor_id)?
            .filter(|o| o.kind == OrgKind::Creditor.as_str())
            .ok_or_else(|| AppError::validation("creditorId", "unknown creditor organisation"))?;
        let mandate = mandates::in_force(conn, org.id, today)?.ok_or_else(|| {
            AppError::validation(
                "creditorId",
                format!(
                    "{} has no signed mandate in force: collection cannot start without the \
                     creditor's written mandate (CPCE R124-3)",
                    org.name
                ),
            )
        })?;
        let number = store::next_counter(conn, &format!("case_ref_{}", today.year()))?;
        let reference = case_reference(today.year(), number);
        let debtor = store::insert_debtor(conn, &debtor)?;
        let search_key = crate::domain::search::case_key(
            &reference,
            &debtor.name,
            debtor.first_name.as_deref(),
            debtor.siren.as_deref(),
            invoices.iter().map(|i| i.number.as_str()),
        );
        let case = store::insert_case(
            conn,
            &NewCase {
                reference: &reference,
                creditor_org_id: org.id,
                debtor_id: debtor.id,
                mandate_id: mandate.id,
                state: CaseState::Submitted.as_str(),
                note: &note,
                opened_by: actor.user_id,
                opened_at: now,
                version: 1,
                contractual_rate_bps,
                search_key: &search_key,
            },
        )?;
        let rows: Vec<NewInvoice> = invoices
            .into_iter()
            .map(|i| NewInvoice {
                case_id: case.id,
                ..i
            })
            .collect();
        store::insert_invoices(conn, &rows)?;
        let total = |cents: fn(&NewInvoice) -> i64| {
            money::sum_cents(rows.iter().map(cents))
                .map_err(|e| AppError::validation("invoices", e.0))
        };
        let claimed = total(|i| i.amount_cents)?;
        let paid = total(|i| i.paid_cents)?;
        events::append(
            conn,
            case.id,
            now,
            Some(actor.user_id),
            "case_opened",
            &serde_json::json!({
                "reference": reference,
                "debtor": debtor.name,
                "invoices": rows.len(),
                "principal_claimed": money::format_cents(claimed),
                "already_paid": money::format_cents(paid),
            }),
        )?;
        Ok(case)
    })
}

/// Checks the debtor typed for a case of `creditor_id` and returns the row to insert.
fn check_debtor(
    d: &DebtorInput,
    creditor_id: i64,
    now: chrono::NaiveDateTime,
) -> AppResult<NewDebtor> {
    let f = |name: &str| format!("debtor.{name}");
    let name = validate::required(&f("name"), &d.name, 200)?;
    let first_name = validate::optional(&f("firstName"), d.first_name.as_deref(), 100)?;
    let legal_form = validate::optional(&f("legalForm"), d.legal_form.as_deref(), 60)?;
    let siren = match d.siren.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) => Some(validate::siren(&f("siren"), s)?),
        None => None,
    };
    let is_consumer = match d.kind {
        DebtorKind::Company => {
            if d.is_consumer == Some(true) {
                return Err(AppError::validation(
                    f("isConsumer"),
                    "a company cannot act as a consumer",
                ));
            }
            false
        }
        DebtorKind::Individual => d.is_consumer.unwrap_or(true),
    };
    let address = validate::address(
        &f("address"),
        &d.address_line1,
        d.address_line2.as_deref(),
        &d.postal_code,
        &d.city,
        d.country.as_deref(),
    )?;
    let email = match d.email.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(e) => Some(validate::email(&f("email"), e)?),
        None => None,
    };
    let phone = validate::optional(&f("phone"), d.phone.as_deref(), 30)?;
    if let Some(p) = &phone {
        let ok = p
            .chars()
            .all(|c| c.is_ascii_digit() || " +.-()".contains(c))
            && p.chars().filter(char::is_ascii_digit).count() >= 6;
        if !ok {
            return Err(AppError::validation(f("phone"), "not a telephone number"));
        }
    }
    Ok(NewDebtor {
        creditor_org_id: creditor_id,
        kind: d.kind.as_str().to_string(),
        name,
        first_name,
        legal_form,
        siren,
        address_line1: address.line1,
        address_line2: address.line2,
        postal_code: address.postal_code,
        city: address.city,
        country: address.country,
        email,
        phone,
        is_consumer,
        created_at: now,
    })
}

fn check_invoices(list: &[InvoiceInput], today: NaiveDate) -> AppResult<Vec<NewInvoice>> {
    if list.is_empty() {
        return Err(AppError::validation(
            "invoices",
            "a case needs at least one invoice",
        ));
    }
    if list.len() > MAX_INVOICES {
        return Err(AppError::validation(
            "invoices",
            format!("at most {MAX_INVOICES} invoices per case"),
        ));
    }
    let mut out: Vec<NewInvoice> = Vec::with_capacity(list.len());
    for (i, inv) in list.iter().enumerate() {
        let f = |name: &str| format!("invoices[{i}].{name}");
        let number = validate::required(&f("number"), &inv.number, 60)?;
        if out.iter().any(|o| o.number == number) {
            return Err(AppError::validation(
                f("number"),
                format!("invoice number {number} appears twice in this case"),
            ));
        }
        for (name, date) in [("issueDate", inv.issue_date), ("dueDate", inv.due_date)] {
            calendar::supported_date(date).map_err(|e| AppError::validation(f(name), e.0))?;
        }
        if inv.issue_date > today {
            return Err(AppError::validation(
                f("issueDate"),
                "the issue date is in the future",
            ));
        }
        if inv.due_date < inv.issue_date {
            return Err(AppError::validation(
                f("dueDate"),
                "the due date is before the issue date",
            ));
        }
        let amount = money::parse_positive_cents(&inv.amount)
            .map_err(|e| AppError::validation(f("amount"), e.0))?;
        let paid = match inv
            .already_paid
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            Some(p) => {
                let d = money::parse_amount(p)
                    .map_err(|e| AppError::validation(f("alreadyPaid"), e.0))?;
                if d.is_sign_negative() {
                    return Err(AppError::validation(f("alreadyPaid"), "cannot be negative"));
                }
                money::to_cents(d).map_err(|e| AppError::validation(f("alreadyPaid"), e.0))?
            }
            None => 0,
        };
        if paid >= amount {
            return Err(AppError::validation(
                f("alreadyPaid"),
                "nothing remains due on this invoice: the amount paid reaches its total",
            ));
        }
        out.push(NewInvoice {
            case_id: 0,
            number,
            issue_date: inv.issue_date,
            due_date: inv.due_date,
            amount_cents: amount,
            paid_cents: paid,
        });
    }
    Ok(out)
}
