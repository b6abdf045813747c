//! The claim as of a date: the interest rate table and the statement of a case, computed by
//! the pure engine (`domain::claim`) from what the database holds.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::auth::Actor;
use crate::clock::Clock;
use crate::db::{self, DbConn};
use crate::domain::claim::{self, ClaimError, ClaimInput, ClaimKind, InvoiceInput, Statement};
use crate::domain::money;
use crate::domain::rates::{Half, HalfYear, RateEntry, RateTable};
use crate::error::{AppError, AppResult};
use crate::store::cases as case_store;
use crate::store::rates::{self as store, NewRate, RateRow};

fn half_of(text: &str) -> AppResult<Half> {
    match text {
        "H1" => Ok(Half::H1),
        "H2" => Ok(Half::H2),
        other => Err(AppError::internal(format!("bad half-year {other}"))),
    }
}

/// A half-year's rates from basis points (how they are stored) to percentages.
fn entry(year: i32, half: Half, ecb_bps: i32, private_bps: i32, other_bps: i32) -> RateEntry {
    let percent = |bps: i32| Decimal::new(i64::from(bps), 2);
    RateEntry {
        year,
        half,
        ecb_rate: percent(ecb_bps),
        legal_rate_private_creditor: percent(private_bps),
        legal_rate_other: percent(other_bps),
    }
}

fn entry_of(row: &RateRow) -> AppResult<RateEntry> {
    Ok(entry(
        row.year,
        half_of(&row.half)?,
        row.ecb_rate_bps,
        row.legal_rate_private_bps,
        row.legal_rate_other_bps,
    ))
}

/// The rate table as entered.
pub fn rate_table(conn: &mut DbConn) -> AppResult<RateTable> {
    let entries = store::all(conn)?
        .iter()
        .map(entry_of)
        .collect::<AppResult<Vec<_>>>()?;
    RateTable::new(entries).map_err(AppError::internal)
}

/// The half-years entered (any signed-in user: the rates are public figures).
pub fn list_rates(conn: &mut DbConn, _by: &Actor) -> AppResult<Vec<RateEntry>> {
    Ok(rate_table(conn)?.entries().to_vec())
}

/// A half-year's rates as typed by an admin (percentages such as "2.15").
#[derive(Debug, Clone)]
pub struct RateInput {
    pub year: i32,
    pub half: Half,
    pub ecb_rate: String,
    pub legal_rate_private_creditor: String,
    pub legal_rate_other: String,
}

impl RateInput {
    /// The three rates typed, in basis points (hundredths of a percent, as stored).
    fn basis_points(&self) -> AppResult<(i32, i32, i32)> {
        Ok((
            bps("ecbRate", &self.ecb_rate)?,
            bps(
                "legalRatePrivateCreditor",
                &self.legal_rate_private_creditor,
            )?,
            bps("legalRateOther", &self.legal_rate_other)?,
        ))
    }
}

fn bps(field: &str, text: &str) -> AppResult<i32> {
    let d = money::parse_amount(text).map_err(|e| AppError::validation(field, e.0))?;
    let cents = money::to_cents(d).map_err(|e| AppError::validation(field, e.0))?;
    i32::try_from(cents).map_err(|_| AppError::validation(field, "out of bounds"))
}

/// Adds the rates of a newly published half-year (admin). A half-year is entered once.
pub fn add_rate(
    conn: &mut DbConn,
    clock: &Clock,
    by: &Actor,
    input: &RateInput,
) -> AppResult<RateEntry> {
    by.require_admin()?;
    if !(2000..=2100).contains(&input.year) {
        return Err(AppError::validation("year", "a year between 2000 and 2100"));
    }
    let (ecb, private, other) = input.basis_points()?;
    let new = entry(input.year, input.half, ecb, private, other);
    let half = input.half.to_string();
    let already = || {
        AppError::validation(
            "half",
            format!("the rates of {} {half} are already entered", input.year),
        )
    };
    db::transaction(conn, |conn| {
        // The table's own checks (one entry per half-year, sane bounds) decide first.
        let mut entries = rate_table(conn)?.entries().to_vec();
        entries.push(new.clone());
        RateTable::new(entries).map_err(|e| match e {
            ClaimError::DuplicateRate { .. } => already(),
            other => AppError::validation("ecbRate", other.to_string()),
        })?;
        let row = NewRate {
            year: input.year,
            half: &half,
            ecb_rate_bps: ecb,
            legal_rate_private_bps: private,
            legal_rate_other_bps: other,
            created_by: Some(by.user_id),
            created_at: clock.now(),
        };
        // Two admins entering the same half-year at once: the unique key settles it.
        store::insert(conn, &row).map_err(|e| {
            if db::is_unique_violation(&e) {
                already()
            } else {
                e.into()
            }
        })?;
        Ok(new)
    })
}

/// Corrects a half-year entered with a typing error (admin), with the reason: the three rates
/// are replaced and the correction is an entry of the security log (who, when, the rates
/// before and after, why), in one transaction. Statements are computed from the table on
/// every read, so they follow at once; letters already sent keep what they said.
pub fn correct_rate(
    conn: &mut DbConn,
    clock: &Clock,
    by: &Actor,
    input: &RateInput,
    reason: &str,
    ip: Option<String>,
) -> AppResult<RateEntry> {
    by.require_admin()?;
    let (ecb, private, other) = input.basis_points()?;
    let reason = crate::validate::required("reason", reason, 500)?;
    let new = entry(input.year, input.half, ecb, private, other);
    let half = input.half.to_string();
    db::transaction(conn, |conn| {
        let mut entries = rate_table(conn)?.entries().to_vec();
        let Some(old) = entries
            .iter_mut()
            .find(|e| e.year == input.year && e.half == input.half)
        else {
            return Err(AppError::validation(
                "half",
                format!(
                    "no rates are entered for {} {half}: add them instead",
                    input.year
                ),
            ));
        };
        if *old == new {
            return Err(AppError::validation(
                "ecbRate",
                "these are the rates already entered: nothing to correct",
            ));
        }
        let before = old.clone();
        *old = new.clone();
        RateTable::new(entries).map_err(|e| AppError::validation("ecbRate", e.to_string()))?;
        if !store::correct(conn, input.year, &half, (ecb, private, other))? {
            return Err(AppError::conflict("the half-year was removed meanwhile"));
        }
        let pct = crate::domain::fmt::percent;
        crate::store::security::append(
            conn,
            clock.now(),
            crate::store::security::SecurityKind::RateCorrected,
            crate::store::security::NewEntry {
                user_id: Some(by.user_id),
                ip,
                detail: format!(
                    "{} {half} : taux BCE {} → {}, taux légal créancier particulier {} → {}, \
                     autres cas {} → {} ; motif : {reason}",
                    input.year,
                    pct(before.ecb_rate),
                    pct(new.ecb_rate),
                    pct(before.legal_rate_private_creditor),
                    pct(new.legal_rate_private_creditor),
                    pct(before.legal_rate_other),
                    pct(new.legal_rate_other),
                ),
                ..Default::default()
            },
        )?;
        Ok(new)
    })
}

/// The statement of a case as of a date (today when not given): principal, interest period
/// by period, indemnity, per invoice and in total. B2C when the debtor acts as a consumer.
pub fn statement(
    conn: &mut DbConn,
    clock: &Clock,
    actor: &Actor,
    case_id: i64,
    as_of: Option<NaiveDate>,
) -> AppResult<(Statement, ClaimKind)> {
    let case = crate::cases::load_visible(conn, actor, case_id)?;
    let as_of = as_of.unwrap_or_else(|| clock.today());
    let input = claim_input(conn, &case)?;
    if let Some(first) = input.invoices.iter().map(|i| i.issue_date).min() {
        if as_of < first {
            return Err(AppError::validation(
                "asOf",
                "the date is before the first invoice",
            ));
        }
    }
    let kind = input.kind;
    let st = compute(conn, &input, as_of, "asOf")?;
    Ok((st, kind))
}

/// Runs the engine with the rates entered; a half-year without rates is a `VALIDATION` error
/// on `field` (the date that needed it), never an assumed rate.
pub fn compute(
    conn: &mut DbConn,
    input: &ClaimInput,
    as_of: NaiveDate,
    field: &str,
) -> AppResult<Statement> {
    let table = rate_table(conn)?;
    claim::statement(input, as_of, &table).map_err(|e| match e {
        ClaimError::MissingRate { .. } => AppError::validation(
            field,
            format!("{e}: an admin must add that half-year's rates before this can be computed"),
        ),
        other => AppError::internal(other),
    })
}

/// The half-years whose rates an admin must enter now: from 15 days before each starts until
/// it is entered (`domain::rates::RATES_WARNING_DAYS`, convention). Oldest first.
pub fn missing_rates(conn: &mut DbConn, today: NaiveDate) -> AppResult<Vec<HalfYear>> {
    Ok(rate_table(conn)?.missing_by(today))
}

/// [`missing_rates`] for the agency's staff (admin, agent, lawyer): what the portal's banner
/// and `missingInterestRates` show. Creditors are not concerned.
pub fn awaited_rates(conn: &mut DbConn, clock: &Clock, by: &Actor) -> AppResult<Vec<HalfYear>> {
    if by.role == crate::domain::parties::Role::Creditor {
        return Err(AppError::forbidden());
    }
    missing_rates(conn, clock.today())
}

/// Refuses a document that demands the sum due (the formal notice, the requête) while its
/// interest stops before the document's date for want of rates: reminders may go out with
/// the interest known so far, a demand must state the whole sum (C. civ. 1344, CPC 1407).
/// `INELIGIBLE` with `field` = `interestIncomplete`.
pub fn require_complete(st: &Statement) -> AppResult<()> {
    let Some(stop) = st.interest_stopped else {
        return Ok(());
    };
    let half = match stop.missing.half {
        Half::H1 => "H1",
        Half::H2 => "H2",
    };
    Err(AppError {
        field: Some("interestIncomplete".into()),
        ..AppError::new(
            crate::error::ErrorCode::Ineligible,
            format!(
                "interest stopped at {}: the rates of {} {half} are not entered; an admin must \
                 enter them before a formal notice or a requête",
                stop.last_day.format("%d/%m/%Y"),
                stop.missing.year
            ),
        )
    })
}

/// What the engine needs of a case: its invoices, the payments received, the regime.
pub fn claim_input(conn: &mut DbConn, case: &case_store::Case) -> AppResult<ClaimInput> {
    let debtor = case_store::find_debtors(conn, &[case.debtor_id])?
        .into_iter()
        .next()
        .ok_or_else(|| AppError::internal("case without debtor"))?;
    let invoices = case_store::invoices_of(conn, &[case.id])?;
    let payments = crate::store::payments::of_case(conn, case.id)?;
    let recovery = crate::store::recovery::case_recovery(conn, case.id)?;
    let enforceable_on = crate::store::legal::find(conn, case.id)?.and_then(|p| p.enforceable_on);
    let incidents = crate::store::incidents::of_case(conn, case.id)?;
    Ok(claim_input_of(
        case,
        &debtor,
        &invoices,
        &payments,
        recovery.as_ref(),
        enforceable_on,
        crate::cases::incidents::interest_stops_on(&incidents),
    ))
}

/// [`claim_input`] from rows already loaded (a page of cases loads them in batches). The
/// payments are taken in the order they were received.
pub fn claim_input_of(
    case: &case_store::Case,
    debtor: &case_store::Debtor,
    invoices: &[case_store::Invoice],
    payments: &[crate::store::payments::Payment],
    recovery: Option<&crate::store::recovery::CaseRecovery>,
    title_enforceable_on: Option<chrono::NaiveDate>,
    interest_stops_on: Option<chrono::NaiveDate>,
) -> ClaimInput {
    let mut payments: Vec<&crate::store::payments::Payment> = payments.iter().collect();
    payments.sort_by_key(|p| (p.received_on, p.id));
    ClaimInput {
        // A consumer debtor owes legal interest from the formal notice and no indemnity
        // (C. civ. 1231-6, 1344-1); between professionals, late-payment penalties run from the
        // due date and the 40 € indemnity applies (C. com. L441-10 II, D441-5).
        kind: if debtor.is_consumer {
            ClaimKind::B2C
        } else {
            ClaimKind::B2B
        },
        // Creditors are organisations: the "other cases" legal rate applies (C. mon. fin. L313-2).
        creditor_is_private_person: false,
        contractual_rate: case
            .contractual_rate_bps
            .map(|b| Decimal::new(i64::from(b), 2)),
        // The formal notice takes effect when the debtor receives it (C. civ. 1344, 1344-1);
        // until its delivery is recorded, from its posting (convention: the date the letter
        // itself states).
        formal_notice_date: recovery
            .and_then(|r| r.formal_notice_delivered_on.or(r.formal_notice_posted_on)),
        // C. mon. fin. L313-3: the order's enforceable title (CPC 1422) raises the legal rate
        // two months later; the engine applies it to legal interest only.
        title_enforceable_on,
        // C. com. L622-28: a collective proceeding's opening judgment stops interest.
        interest_stops_on,
        invoices: invoices
            .iter()
            .map(|i| InvoiceInput {
                id: i.id,
                number: i.number.clone(),
                issue_date: i.issue_date,
                due_date: i.due_date,
                amount: money::from_cents(i.amount_cents),
                paid_before_intake: money::from_cents(i.paid_cents),
            })
            .collect(),
        payments: payments
            .iter()
            .map(|p| claim::PaymentInput {
                id: p.id,
                date: p.received_on,
                amount: money::from_cents(p.amount_cents),
                invoice_id: p.invoice_id,
            })
            .collect(),
    }
}
