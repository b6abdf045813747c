//! Checks run before anything is rendered: a requête must state every mention of CPC 1407
//! and 57, and the sum it claims must be exactly the statement's (no document is better than
//! a wrong one).

use super::input::{DebtorParty, DossierInput};
use super::DossierError;
use crate::domain::statement::{InvoiceStatement, Statement, StatementTotals};
use rust_decimal::Decimal;
use std::collections::HashSet;

fn invalid(message: impl Into<String>) -> DossierError {
    DossierError::Invalid(message.into())
}

fn inconsistent(message: impl Into<String>) -> DossierError {
    DossierError::Statement(message.into())
}

fn require(label: &str, value: &str) -> Result<(), DossierError> {
    if value.trim().is_empty() {
        Err(invalid(format!("{label} is empty")))
    } else {
        Ok(())
    }
}

fn require_lines(label: &str, lines: &[String]) -> Result<(), DossierError> {
    if lines.iter().all(|l| l.trim().is_empty()) {
        Err(invalid(format!("{label} is empty")))
    } else {
        Ok(())
    }
}

/// CPC 1407 and 57: who asks, against whom, before which court, on which basis.
fn check_parties(input: &DossierInput) -> Result<(), DossierError> {
    require("place", &input.place)?;
    require("case reference", &input.case_reference)?;
    require("court judge", &input.court.judge)?;
    require("court name", &input.court.name)?;
    let c = &input.creditor;
    require("creditor name", &c.name)?;
    require("creditor legal form", &c.legal_form)?;
    require("creditor SIREN", &c.siren)?;
    require("creditor representative", &c.representative)?;
    require_lines("creditor seat", &c.address_lines)?;
    match &input.debtor {
        DebtorParty::Company(d) => {
            require("debtor name", &d.name)?;
            require("debtor legal form", &d.legal_form)?;
            require_lines("debtor seat", &d.address_lines)?;
        }
        DebtorParty::Individual {
            surname,
            first_names,
            address_lines,
            ..
        } => {
            require("debtor surname", surname)?;
            require("debtor first names", first_names)?;
            require_lines("debtor domicile", address_lines)?;
        }
    }
    require("filer name", &input.filer.name)?;
    require("filer capacity", &input.filer.capacity)?;
    require_lines("filer address", &input.filer.address_lines)?;
    require("basis of the claim", &input.basis)?;
    require("interest basis", &input.interest_basis)?;
    Ok(())
}

/// The exhibits are numbered 1..n in order (the bordereau's numbering), with a SHA-256 each.
fn check_exhibits(input: &DossierInput) -> Result<(), DossierError> {
    if input.exhibits.is_empty() {
        return Err(invalid(
            "a requête comes with the bordereau of its exhibits (CPC 1407): there is no exhibit",
        ));
    }
    for (i, e) in input.exhibits.iter().enumerate() {
        if usize::try_from(e.number).ok() != Some(i + 1) {
            return Err(invalid(format!(
                "exhibit at position {} is numbered {}: exhibits must be numbered 1..n in order",
                i + 1,
                e.number
            )));
        }
        let bad = |reason: &str| DossierError::exhibit(e.number, reason);
        if e.title.trim().is_empty() {
            return Err(bad("the title is empty"));
        }
        if e.sha256.len() != 64
            || !e
                .sha256
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        {
            return Err(bad("the SHA-256 is not 64 lowercase hex digits"));
        }
    }
    Ok(())
}

fn check_equal(label: &str, stated: Decimal, expected: Decimal) -> Result<(), DossierError> {
    if stated == expected {
        Ok(())
    } else {
        Err(inconsistent(format!(
            "{label} is {stated} but should be {expected}"
        )))
    }
}

fn check_line(line: &InvoiceStatement) -> Result<(), DossierError> {
    let n = &line.number;
    let periods: Decimal = line.interest_periods.iter().map(|p| p.amount).sum();
    check_equal(
        &format!("invoice {n}: interest"),
        line.interest_total,
        periods,
    )?;
    check_equal(
        &format!("invoice {n}: principal outstanding"),
        line.principal_outstanding,
        line.principal_original - line.principal_paid,
    )?;
    check_equal(
        &format!("invoice {n}: interest outstanding"),
        line.interest_outstanding,
        line.interest_total - line.interest_paid,
    )?;
    check_equal(
        &format!("invoice {n}: indemnity outstanding"),
        line.indemnity_outstanding,
        line.indemnity - line.indemnity_paid,
    )?;
    check_equal(
        &format!("invoice {n}: total due"),
        line.total_due,
        line.principal_outstanding + line.interest_outstanding + line.indemnity_outstanding,
    )?;
    for (label, v) in [
        ("principal outstanding", line.principal_outstanding),
        ("interest outstanding", line.interest_outstanding),
        ("indemnity outstanding", line.indemnity_outstanding),
    ] {
        if v.is_sign_negative() && !v.is_zero() {
            return Err(inconsistent(format!("invoice {n}: negative {label}")));
        }
    }
    Ok(())
}

/// The statement as the requête will present it: lines that add up, totals equal to the sum
/// of the lines, payments fully accounted for, and the claimed total equal to principal +
/// interest + indemnity.
pub(super) fn check_statement(s: &Statement) -> Result<(), DossierError> {
    s.invoices.iter().try_for_each(check_line)?;
    let ids: HashSet<i64> = s.invoices.iter().map(|l| l.invoice_id).collect();
    for p in &s.payments {
        if p.allocations.iter().any(|a| !ids.contains(&a.invoice_id)) {
            return Err(inconsistent(format!(
                "payment of {} is imputed to an invoice not in the statement",
                p.date
            )));
        }
        let allocated: Decimal = p.allocations.iter().map(|a| a.total()).sum();
        check_equal(
            &format!("payment of {}", p.date),
            p.amount,
            allocated + p.unallocated,
        )?;
    }
    let sums = StatementTotals::from_lines(&s.invoices, &s.payments);
    if s.totals != sums {
        return Err(inconsistent(format!(
            "the totals are not the sum of the lines ({:?} instead of {:?})",
            s.totals, sums
        )));
    }
    let t = &s.totals;
    check_equal(
        "the total due",
        t.total_due,
        t.principal_outstanding + t.interest_outstanding + t.indemnity_outstanding,
    )?;
    // What the requête claims, component by component (CPC 1407), is what is due on its date
    // (CPC 1405); the invoices still to fall due are the rest of the account, claimed never.
    check_equal(
        "the total claimed",
        t.due.total,
        t.due.principal + t.due.interest + t.due.indemnity,
    )?;
    check_equal(
        "the total claimed and the part still to fall due",
        t.total_due,
        t.due.total + t.to_fall_due,
    )?;
    for l in s.invoices.iter().filter(|l| l.to_fall_due) {
        if l.due_date < s.as_of || l.total_due != l.principal_outstanding {
            return Err(inconsistent(format!(
                "invoice {} is marked to fall due but is late or bears interest",
                l.number
            )));
        }
    }
    if t.due.total <= Decimal::ZERO {
        return Err(invalid("nothing is due: there is no sum to claim"));
    }
    Ok(())
}

/// The invoices given are the statement's, in the same order, with the same figures.
fn check_invoices(input: &DossierInput) -> Result<(), DossierError> {
    let lines = &input.statement.invoices;
    if input.invoices.len() != lines.len() {
        return Err(invalid(format!(
            "{} invoices given for a statement of {}",
            input.invoices.len(),
            lines.len()
        )));
    }
    for (inv, line) in input.invoices.iter().zip(lines) {
        require("invoice number", &inv.number)?;
        if inv.number != line.number
            || inv.due_date != line.due_date
            || inv.amount != line.principal_original
        {
            return Err(invalid(format!(
                "invoice {} (due {}, {}) is not the statement's line {} (due {}, {})",
                inv.number,
                inv.due_date,
                inv.amount,
                line.number,
                line.due_date,
                line.principal_original
            )));
        }
        if inv.issue_date > inv.due_date {
            return Err(invalid(format!(
                "invoice {}: issued after its due date",
                inv.number
            )));
        }
    }
    Ok(())
}

/// Every check, in the order a reader would notice the problem.
pub(super) fn check(input: &DossierInput) -> Result<(), DossierError> {
    check_parties(input)?;
    if input.statement.as_of != input.date {
        return Err(invalid(format!(
            "the statement is as of {}, the dossier is dated {}",
            input.statement.as_of, input.date
        )));
    }
    check_invoices(input)?;
    check_statement(&input.statement)?;
    check_exhibits(input)
}
