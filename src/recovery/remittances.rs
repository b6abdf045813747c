//! Paying the creditor what was collected for it (CPCE R124-6: funds are remitted within one
//! month of encashment unless the mandate says otherwise). A remittance gathers the payments
//! not yet remitted on the creditor's cases, deducts the commission of each case's mandate
//! (R124-3: the fee is the creditor's, never the debtor's), and comes with a statement (PDF)
//! sent to the creditor. It is then marked paid when the transfer leaves the agency's
//! dedicated account.

use chrono::{Months, NaiveDate};
use rust_decimal::{Decimal, RoundingStrategy};
use std::collections::HashMap;

use crate::auth::Actor;
use crate::clock::Clock;
use crate::db::DbConn;
use crate::documents::letters;
use crate::documents::notices::{About, CreditorNoticeKind};
use crate::domain::money;
use crate::error::{AppError, AppResult};
use crate::store::payments::Payment;
use crate::store::remittances::{self as store, Line, NewRemittance, Remittance};
use crate::store::{cases as case_store, events, mandates, orgs};

/// The date by which funds encashed on `received_on` are owed to the creditor (R124-6:
/// within one month; a month after the 31st ends on the month's last day).
pub fn due_date(received_on: NaiveDate) -> NaiveDate {
    received_on
        .checked_add_months(Months::new(1))
        .unwrap_or(NaiveDate::MAX)
}

/// The agency's commission on an amount, in cents, rounded half away from zero.
pub fn commission_cents(amount_cents: i64, bps: i32) -> i64 {
    let c = money::from_cents(amount_cents) * Decimal::new(i64::from(bps), 4);
    let c = c.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
    // An amount in cents times a rate of at most 100 % fits in cents.
    money::to_cents(c).unwrap_or(amount_cents)
}

/// A remittance with its lines, each with the payment and its case.
#[derive(Debug, Clone)]
pub struct RemittanceView {
    pub remittance: Remittance,
    pub lines: Vec<LineView>,
}

#[derive(Debug, Clone)]
pub struct LineView {
    pub line: Line,
    pub payment: Payment,
    pub case_reference: String,
    pub debtor: String,
}

impl RemittanceView {
    /// Paid, or still to pay, after its due date: the funds reach the creditor later than
    /// the month after encashment (CPCE R124-6).
    pub fn late(&self, today: NaiveDate) -> bool {
        match self.remittance.paid_on {
            Some(paid) => paid > self.remittance.due_on,
            None => self.remittance.due_on < today,
        }
    }

    /// Still to pay after its due date.
    pub fn overdue(&self, today: NaiveDate) -> bool {
        self.remittance.status == "prepared" && self.remittance.due_on < today
    }
}

/// Money held for one creditor and not yet remitted.
#[derive(Debug, Clone)]
pub struct Held {
    pub creditor_org_id: i64,
    pub creditor: String,
    pub payments: i64,
    pub amount_cents: i64,
    /// Due date of the oldest payment held (R124-6).
    pub due_on: NaiveDate,
}

fn line_views(conn: &mut DbConn, rows: Vec<(Line, Payment)>) -> AppResult<Vec<LineView>> {
    let case_ids: Vec<i64> = rows.iter().map(|(_, p)| p.case_id).collect();
    let cases = case_store::find_many(conn, &case_ids)?;
    let debtor_ids: Vec<i64> = cases.iter().map(|c| c.debtor_id).collect();
    let debtors: HashMap<i64, String> = case_store::find_debtors(conn, &debtor_ids)?
        .into_iter()
        .map(|d| (d.id, d.name))
        .collect();
    let by_id: HashMap<i64, (String, String)> = cases
        .into_iter()
        .map(|c| {
            let debtor = debtors.get(&c.debtor_id).cloned().unwrap_or_default();
            (c.id, (c.reference, debtor))
        })
        .collect();
    Ok(rows
        .into_iter()
        .map(|(line, payment)| {
            let (case_reference, debtor) = by_id.get(&payment.case_id).cloned().unwrap_or_default();
            LineView {
                line,
                payment,
                case_reference,
                debtor,
            }
        })
        .collect())
}

fn views(conn: &mut DbConn, list: Vec<Remittance>) -> AppResult<Vec<RemittanceView>> {
    let ids: Vec<i64> = list.iter().map(|r| r.id).collect();
    let rows = store::lines_of(conn, &ids)?;
    let mut lines = line_views(conn, rows)?;
    Ok(list
        .into_iter()
        .map(|remittance| {
            let (own, rest) = lines
                .drain(..)
                .partition(|l| l.line.remittance_id == remittance.id);
            lines = rest;
            RemittanceView {
                remittance,
                lines: own,
            }
        })
        .collect())
}

fn creditor_org(conn: &mut DbConn, id: i64) -> AppResult<orgs::Organisation> {
    orgs::find(conn, id)?
        .filter(|o| o.kind == "creditor")
        .ok_or_else(|| AppError::validation("creditorId", "not a creditor organisation"))
}

/// Prepares the remittance of everything collected for the creditor up to `up_to` (today by
/// default): lines, commission, statement PDF, e-mail to the creditor (agent, admin).
pub fn prepare(
    conn: &mut DbConn,
    clock: &Clock,
    blobs: &dyn crate::blobs::BlobStore,
    actor: &Actor,
    creditor_org_id: i64,
    up_to: Option<NaiveDate>,
) -> AppResult<RemittanceView> {
    actor.require_staff()?;
    let today = clock.today();
    let up_to = up_to.unwrap_or(today);
    if up_to > today {
        return Err(AppError::validation("upTo", "the date is in the future"));
    }
    let now = clock.now();
    crate::db::transaction(conn, |conn| {
        let creditor = creditor_org(conn, creditor_org_id)?;
        let payments = store::unremitted(conn, creditor.id, up_to)?;
        if payments.is_empty() {
            return Err(AppError::validation(
                "creditorId",
                "no payment collected for this creditor is waiting to be remitted",
            ));
        }
        let case_ids: Vec<i64> = payments.iter().map(|p| p.case_id).collect();
        let mut cases = case_store::find_many(conn, &case_ids)?;
        // Cases are locked in id order (their events below), so two runs never deadlock.
        cases.sort_by_key(|c| c.id);
        let mut rate_of_case = HashMap::new();
        for case in &cases {
            let m = mandates::find(conn, case.mandate_id)?
                .ok_or_else(|| AppError::internal("case without mandate"))?;
            rate_of_case.insert(case.id, m.commission_bps);
        }
        let lines: Vec<Line> = payments
            .iter()
            .map(|p| Line {
                payment_id: p.id,
                remittance_id: 0,
                amount_cents: p.amount_cents,
                commission_cents: commission_cents(
                    p.amount_cents,
                    rate_of_case.get(&p.case_id).copied().unwrap_or(0),
                ),
            })
            .collect();
        let gross =
            money::sum_cents(lines.iter().map(|l| l.amount_cents)).map_err(AppError::internal)?;
        let commission = money::sum_cents(lines.iter().map(|l| l.commission_cents))
            .map_err(AppError::internal)?;
        let first = payments[0].received_on;
        let due_on = due_date(first);
        let year = today.format("%Y");
        let n = case_store::next_counter(conn, &format!("remittances:{year}"))?;
        let reference = format!("REV-{year}-{n:04}");

        // The statement (R124-6's account of the funds), stored as a document of the creditor.
        let (agency, _) = super::letters::agency(conn)?;
        let line_rows: Vec<(Line, Payment)> = lines
            .iter()
            .cloned()
            .zip(payments.iter().cloned())
            .collect();
        let shown = line_views(conn, line_rows)?;
        let rates: std::collections::BTreeSet<i32> = rate_of_case.values().copied().collect();
        let statement = letters::RemittanceStatement {
            reference: reference.clone(),
            date: today,
            agency,
            creditor: super::letters::party_of_org(&creditor),
            period_label: format!(
                "paiements reçus du {} au {}",
                letters::format_date(first),
                letters::format_date(payments[payments.len() - 1].received_on)
            ),
            lines: shown
                .iter()
                .map(|l| letters::RemittanceLine {
                    case_reference: l.case_reference.clone(),
                    debtor: l.debtor.clone(),
                    received_on: l.payment.received_on,
                    amount: money::from_cents(l.line.amount_cents),
                    commission: money::from_cents(l.line.commission_cents),
                    net: money::from_cents(l.line.amount_cents - l.line.commission_cents),
                })
                .collect(),
            gross: money::from_cents(gross),
            commission: money::from_cents(commission),
            commission_rate_label: rates
                .iter()
                .map(|bps| crate::domain::fmt::percent(Decimal::new(i64::from(*bps), 2)))
                .collect::<Vec<_>>()
                .join(" / "),
            net: money::from_cents(gross - commission),
            pay_by: due_on,
        };
        let bytes = letters::remittance_statement(&statement, now).map_err(AppError::internal)?;
        let doc = super::letters::store(
            conn,
            blobs,
            (None, Some(creditor.id)),
            "remittance_statement",
            &reference,
            &bytes,
            now,
            Some(actor.user_id),
        )?;
        let remittance = store::insert(
            conn,
            &NewRemittance {
                creditor_org_id: creditor.id,
                reference: &reference,
                status: "prepared",
                due_on,
                gross_cents: gross,
                commission_cents: commission,
                net_cents: gross - commission,
                document_id: Some(doc.id),
                prepared_by: actor.user_id,
                prepared_at: now,
            },
            &lines,
        )
        .map_err(|e| {
            if crate::db::is_unique_violation(&e) {
                AppError::conflict("some of these payments were remitted meanwhile: try again")
            } else {
                e.into()
            }
        })?;
        // Each case's audit trail says where its money went.
        for case in &cases {
            let amount = money::sum_cents(
                payments
                    .iter()
                    .filter(|p| p.case_id == case.id)
                    .map(|p| p.amount_cents),
            )
            .map_err(AppError::internal)?;
            events::append(
                conn,
                case.id,
                now,
                Some(actor.user_id),
                "remittance_prepared",
                &serde_json::json!({
                    "remittance": remittance.reference,
                    "amount": money::format_cents(amount),
                }),
            )?;
        }
        super::notify::send(
            conn,
            now,
            creditor.id,
            super::notify::Outgoing {
                case_id: None,
                kind: CreditorNoticeKind::Remittance,
                about: About::Remittance {
                    reference: reference.clone(),
                },
                details: vec![
                    ("Paiements".into(), payments.len().to_string()),
                    (
                        "Montant encaissé".into(),
                        letters::format_euros(statement.gross),
                    ),
                    (
                        "Commission de l'agence".into(),
                        letters::format_euros(statement.commission),
                    ),
                    ("Montant net".into(), letters::format_euros(statement.net)),
                    (
                        "Virement au plus tard le".into(),
                        letters::format_date(due_on),
                    ),
                ],
                document_id: Some(doc.id),
            },
        )?;
        let mut list = views(conn, vec![remittance])?;
        Ok(list.remove(0))
    })
}

/// Records that the net amount left the dedicated account (agent, admin).
pub fn mark_paid(
    conn: &mut DbConn,
    clock: &Clock,
    actor: &Actor,
    id: i64,
    paid_on: NaiveDate,
) -> AppResult<RemittanceView> {
    actor.require_staff()?;
    if paid_on > clock.today() {
        return Err(AppError::validation("paidOn", "the date is in the future"));
    }
    crate::db::transaction(conn, |conn| {
        let r = store::find(conn, id)?.ok_or_else(|| AppError::not_found("remittance"))?;
        if paid_on < r.prepared_at.date() {
            return Err(AppError::validation(
                "paidOn",
                "the date is before the remittance was prepared",
            ));
        }
        if !store::mark_paid(conn, id, paid_on)? {
            return Err(AppError::invalid_transition(format!(
                "remittance {} is already paid",
                r.reference
            )));
        }
        let r = store::find(conn, id)?.ok_or_else(|| AppError::not_found("remittance"))?;
        let mut list = views(conn, vec![r])?;
        let view = list.remove(0);
        let mut case_ids: Vec<i64> = view.lines.iter().map(|l| l.payment.case_id).collect();
        case_ids.sort_unstable();
        case_ids.dedup();
        for case_id in case_ids {
            events::append(
                conn,
                case_id,
                clock.now(),
                Some(actor.user_id),
                "remittance_paid",
                &serde_json::json!({
                    "remittance": view.remittance.reference,
                    "paidOn": paid_on,
                }),
            )?;
        }
        Ok(view)
    })
}

/// Remittances the actor may see, newest first: a creditor its own, agency staff all (or one
/// creditor's). Lawyers have no business here.
pub fn list(
    conn: &mut DbConn,
    actor: &Actor,
    creditor: Option<i64>,
    status: Option<&str>,
    before: Option<i64>,
    limit: i64,
) -> AppResult<crate::store::Page<RemittanceView>> {
    let creditor = if actor.role.is_agency_staff() {
        creditor
    } else if actor.role == crate::domain::parties::Role::Creditor {
        match (actor.org_id, creditor) {
            (Some(own), None) => Some(own),
            (Some(own), Some(asked)) if asked == own => Some(own),
            // Another creditor's remittances do not exist for this one.
            _ => {
                return Ok(crate::store::Page {
                    items: Vec::new(),
                    has_next: false,
                    total: 0,
                })
            }
        }
    } else {
        return Err(AppError::forbidden());
    };
    let page = store::list(conn, creditor, status, before, limit)?;
    Ok(crate::store::Page {
        items: views(conn, page.items)?,
        has_next: page.has_next,
        total: page.total,
    })
}

/// A payment of one case and what became of it for the creditor.
#[derive(Debug, Clone)]
pub struct CasePayment {
    pub payment: Payment,
    /// Its line and remittance, once remitted.
    pub remitted: Option<(Line, Remittance)>,
    /// The date by which it is owed to the creditor (R124-6).
    pub due_on: NaiveDate,
}

/// The payments of one case with their remittance, oldest first: for the case's creditor and
/// the agency's staff (a lawyer has no business with the creditor's money).
pub fn of_case(conn: &mut DbConn, actor: &Actor, case_id: i64) -> AppResult<Vec<CasePayment>> {
    let case = crate::cases::load_visible(conn, actor, case_id)?;
    if !(actor.role.is_agency_staff() || actor.role == crate::domain::parties::Role::Creditor) {
        return Err(AppError::forbidden());
    }
    let payments = crate::store::payments::of_case(conn, case.id)?;
    let ids: Vec<i64> = payments.iter().map(|p| p.id).collect();
    let mut lines = store::lines_of_payments(conn, &ids)?;
    Ok(payments
        .into_iter()
        .map(|payment| {
            let remitted = lines
                .iter()
                .position(|(l, _)| l.payment_id == payment.id)
                .map(|i| lines.swap_remove(i));
            CasePayment {
                due_on: due_date(payment.received_on),
                payment,
                remitted,
            }
        })
        .collect())
}

/// Money held for each creditor and not yet remitted, oldest due first (agent, admin).
pub fn held(conn: &mut DbConn, actor: &Actor) -> AppResult<Vec<Held>> {
    actor.require_staff()?;
    let rows = store::all_unremitted(conn)?;
    let mut by_creditor =
        held_by_creditor(rows.iter().map(|(org, p)| (*org, p))).map_err(AppError::internal)?;
    for h in &mut by_creditor {
        h.creditor = orgs::find(conn, h.creditor_org_id)?
            .map(|o| o.name)
            .unwrap_or_default();
    }
    by_creditor.sort_by_key(|h| (h.due_on, h.creditor_org_id));
    Ok(by_creditor)
}

/// The payments held grouped by creditor (names left empty), each creditor's amount summed
/// with `money::sum_cents`: a total beyond the 64-bit cents is refused, never wrapped.
fn held_by_creditor<'a>(
    rows: impl IntoIterator<Item = (i64, &'a Payment)>,
) -> Result<Vec<Held>, crate::domain::Invalid> {
    let mut by_creditor: Vec<Held> = Vec::new();
    for (org, p) in rows {
        match by_creditor.iter_mut().find(|h| h.creditor_org_id == org) {
            Some(h) => {
                h.payments += 1;
                h.amount_cents = money::sum_cents([h.amount_cents, p.amount_cents])?;
                h.due_on = h.due_on.min(due_date(p.received_on));
            }
            None => by_creditor.push(Held {
                creditor_org_id: org,
                creditor: String::new(),
                payments: 1,
                amount_cents: p.amount_cents,
                due_on: due_date(p.received_on),
            }),
        }
    }
    Ok(by_creditor)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn payment(id: i64, cents: i64, on: NaiveDate) -> Payment {
        Payment {
            id,
            case_id: 1,
            received_on: on,
            amount_cents: cents,
            method: "transfer".into(),
            reference: None,
            invoice_id: None,
            recorded_by: 1,
            recorded_at: on.and_hms_opt(9, 0, 0).unwrap(),
        }
    }

    #[test]
    fn held_funds_are_summed_per_creditor_and_a_total_too_large_is_refused_not_wrapped() {
        let (a, b, c) = (
            payment(1, 15_000, d(2026, 5, 2)),
            payment(2, 2_550, d(2026, 4, 30)),
            payment(3, 1_000, d(2026, 5, 3)),
        );
        let held = held_by_creditor([(7, &a), (8, &c), (7, &b)]).unwrap();
        assert_eq!(held.len(), 2);
        assert_eq!((held[0].creditor_org_id, held[0].payments), (7, 2));
        assert_eq!(held[0].amount_cents, 17_550);
        assert_eq!(held[0].due_on, d(2026, 5, 30));
        assert_eq!(held[1].amount_cents, 1_000);
        let huge = payment(4, i64::MAX, d(2026, 5, 2));
        assert!(held_by_creditor([(7, &a), (7, &huge)]).is_err());
    }

    #[test]
    fn funds_are_due_one_month_after_encashment() {
        assert_eq!(due_date(d(2026, 11, 19)), d(2026, 12, 19));
        // No 31 February: the month ends on its last day (leap year too).
        assert_eq!(due_date(d(2027, 1, 31)), d(2027, 2, 28));
        assert_eq!(due_date(d(2028, 1, 31)), d(2028, 2, 29));
    }

    #[test]
    fn commission_is_rounded_half_away_from_zero_to_the_cent() {
        // 12.50 % of 1 000.00 €.
        assert_eq!(commission_cents(100_000, 1250), 12_500);
        // 8 % of 0.25 € = 0.02 €; 8 % of 0.31 € = 0.0248 → 0.02; of 0.3125 € n/a in cents.
        assert_eq!(commission_cents(25, 800), 2);
        // 15 % of 0.03 € = 0.0045 → 0.00; 15 % of 0.10 € = 0.015 → 0.02 (half away from zero).
        assert_eq!(commission_cents(3, 1500), 0);
        assert_eq!(commission_cents(10, 1500), 2);
        assert_eq!(commission_cents(12_345, 0), 0);
        assert_eq!(commission_cents(12_345, 10_000), 12_345);
    }
}
