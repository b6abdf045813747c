//! The tera context of the dossier templates: the input as the templates read it. Figures
//! are the statement's, passed through untouched (the `euros` filter formats them); only
//! labels are made here (rates, page ranges, hash halves).

use super::input::{DebtorParty, DossierInput};
use super::kind::{label, placement, zip_name, Placement};
use crate::domain::statement::Statement;
use chrono::{Days, NaiveDate};
use rust_decimal::{Decimal, RoundingStrategy};
use serde_json::{json, Value};
use std::collections::HashMap;

/// A rate as printed: `12,15 %` (two decimals, no-break space before `%`).
pub(super) fn format_rate(rate: Decimal) -> String {
    let rounded = rate.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
    format!("{rounded:.2}\u{a0}%").replace('.', ",")
}

/// "p. 7" or "p. 7 à 9" (1-based, inclusive).
pub(super) fn page_range(first: usize, last: usize) -> String {
    if last > first {
        format!("p. {first} à {last}")
    } else {
        format!("p. {first}")
    }
}

fn debtor(d: &DebtorParty) -> Value {
    match d {
        DebtorParty::Company(c) => json!({
            "kind": "company",
            "name": c.name,
            "legal_form": c.legal_form,
            "siren": c.siren,
            "address_lines": c.address_lines,
            "representative": c.representative,
        }),
        DebtorParty::Individual {
            surname,
            first_names,
            address_lines,
            profession,
            birth,
        } => json!({
            "kind": "individual",
            "name": d.display_name(),
            "surname": surname,
            "first_names": first_names,
            "address_lines": address_lines,
            "profession": profession,
            "birth": birth,
        }),
    }
}

/// The statement's invoice lines, with the issue dates the statement does not carry.
fn invoices(input: &DossierInput) -> Vec<Value> {
    input
        .statement
        .invoices
        .iter()
        .zip(&input.invoices)
        .map(|(l, inv)| {
            let periods: Vec<Value> = l
                .interest_periods
                .iter()
                .map(|p| {
                    json!({
                        "from": p.from, "to": p.to, "days": p.days, "base": p.base,
                        "rate": format_rate(p.rate), "amount": p.amount,
                    })
                })
                .collect();
            json!({
                "number": l.number,
                "issue_date": inv.issue_date,
                "due_date": l.due_date,
                "amount": l.principal_original,
                "principal_paid": l.principal_paid,
                "paid_before_intake": l.paid_before_intake,
                "has_paid_before_intake": l.paid_before_intake > Decimal::ZERO,
                "principal_outstanding": l.principal_outstanding,
                "interest_starts": l.interest_starts,
                "periods": periods,
                "interest_total": l.interest_total,
                "interest_paid": l.interest_paid,
                "interest_outstanding": l.interest_outstanding,
                "indemnity": l.indemnity,
                "indemnity_paid": l.indemnity_paid,
                "indemnity_outstanding": l.indemnity_outstanding,
                "total_due": l.total_due,
                "to_fall_due": l.to_fall_due,
            })
        })
        .collect()
}

/// One row per allocation of each payment (date and amount on its first row only), plus a
/// row for what was left unallocated.
fn payment_rows(s: &Statement) -> Vec<Value> {
    let numbers: HashMap<i64, &str> = s
        .invoices
        .iter()
        .map(|l| (l.invoice_id, l.number.as_str()))
        .collect();
    let mut rows = Vec::new();
    for p in &s.payments {
        let mut first = true;
        let mut head = || {
            let h = if first {
                json!({"date": p.date, "amount": p.amount})
            } else {
                json!({"date": null, "amount": null})
            };
            first = false;
            h
        };
        for a in &p.allocations {
            let mut row = head();
            row["invoice"] = json!(numbers.get(&a.invoice_id).copied().unwrap_or("?"));
            row["indemnity"] = json!(a.to_indemnity);
            row["interest"] = json!(a.to_interest);
            row["principal"] = json!(a.to_principal);
            rows.push(row);
        }
        if p.unallocated > Decimal::ZERO || p.allocations.is_empty() {
            let mut row = head();
            row["invoice"] = json!(null);
            row["unallocated"] = json!(p.unallocated);
            rows.push(row);
        }
    }
    rows
}

/// The distinct rates applied, in order of first use: "13,15 % ; 12,15 %".
fn rates(s: &Statement) -> String {
    let mut seen: Vec<Decimal> = Vec::new();
    for p in s.invoices.iter().flat_map(|l| &l.interest_periods) {
        if !seen.contains(&p.rate) {
            seen.push(p.rate);
        }
    }
    seen.into_iter()
        .map(format_rate)
        .collect::<Vec<_>>()
        .join(" ; ")
}

/// Where each part of the dossier sits in the PDF (1-based, inclusive page ranges).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct PagePlan {
    /// Cover, requête, statement, bordereau.
    pub(super) sections: [(usize, usize); 4],
    /// Per exhibit: its divider page and its last page (the divider itself when only the
    /// divider is in the PDF).
    pub(super) exhibits: Vec<(usize, usize)>,
}

impl PagePlan {
    /// Lays out sections of these page counts, then each exhibit as a divider followed by its
    /// own pages.
    pub(super) fn new(sections: [usize; 4], exhibit_pages: &[usize]) -> Self {
        let mut next = 1;
        let mut take = |n: usize| {
            let range = (next, next + n.max(1) - 1);
            next += n.max(1);
            range
        };
        let sections = sections.map(&mut take);
        let exhibits = exhibit_pages.iter().map(|n| take(n + 1)).collect();
        Self { sections, exhibits }
    }

    /// Total number of pages.
    pub(super) fn total(&self) -> usize {
        self.exhibits
            .last()
            .map_or(self.sections[3].1, |&(_, last)| last)
    }
}

/// The context shared by every dossier template; `plan` adds the page ranges (cover and
/// bordereau).
pub(super) fn context(input: &DossierInput, plan: Option<&PagePlan>) -> Value {
    let s = &input.statement;
    let t = &s.totals;
    let all = invoices(input);
    let (mut due_invoices, mut to_fall_due) = (Vec::new(), Vec::new());
    for (value, line) in all.iter().zip(&s.invoices) {
        if !line.to_fall_due {
            due_invoices.push(value.clone());
        } else if line.total_due > Decimal::ZERO {
            to_fall_due.push(value.clone());
        }
    }
    let width = super::kind::number_width(input.exhibits.len());
    let exhibits: Vec<Value> = input
        .exhibits
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let in_pdf = placement(&e.media_type) != Placement::ZipOnly;
            let pages = plan
                .and_then(|p| p.exhibits.get(i))
                .map(|&(first, last)| page_range(first, last));
            let (sha_a, sha_b) = e.sha256.split_at(e.sha256.len() / 2);
            json!({
                "number": e.number, "title": e.title, "date": e.date, "nature": e.nature,
                "type_label": label(&e.media_type), "sha256": e.sha256,
                "sha_a": sha_a, "sha_b": sha_b, "in_pdf": in_pdf, "pages": pages,
                "zip_name": zip_name(e, width),
            })
        })
        .collect();
    let sections: Vec<Value> = plan
        .map(|p| {
            p.sections
                .iter()
                .map(|&(first, last)| json!(page_range(first, last)))
                .collect()
        })
        .unwrap_or_default();
    json!({
        "date": input.date,
        "interest_after": input.date.checked_add_days(Days::new(1)).unwrap_or(NaiveDate::MAX),
        "place": input.place,
        "case_reference": input.case_reference,
        "court": {"judge": input.court.judge, "name": input.court.name, "cerfa": input.court.cerfa},
        "creditor": {
            "name": input.creditor.name, "legal_form": input.creditor.legal_form,
            "siren": input.creditor.siren, "address_lines": input.creditor.address_lines,
            "representative": input.creditor.representative,
        },
        "debtor": debtor(&input.debtor),
        "filer": {
            "name": input.filer.name, "capacity": input.filer.capacity,
            "firm": input.filer.firm, "address_lines": input.filer.address_lines,
        },
        "basis": input.basis,
        "interest_basis": input.interest_basis,
        "rates": rates(s),
        "transfer_on_opposition": input.transfer_on_opposition,
        // CPC 1405: what the requête claims is what is due on its date (the engine's split);
        // invoices still to fall due are listed apart, never claimed.
        "claimed": {
            "principal": t.due.principal, "interest": t.due.interest,
            "indemnity": t.due.indemnity, "total": t.due.total,
        },
        "due_invoices": due_invoices,
        "to_fall_due": to_fall_due,
        "to_fall_due_total": t.to_fall_due,
        "totals": {
            "principal_original": t.principal_original, "principal_paid": t.principal_paid,
            "principal_outstanding": t.principal_outstanding, "interest_total": t.interest_total,
            "interest_paid": t.interest_paid, "interest_outstanding": t.interest_outstanding,
            "indemnity": t.indemnity, "indemnity_paid": t.indemnity_paid,
            "indemnity_outstanding": t.indemnity_outstanding, "total_due": t.total_due,
            "payments_received": t.payments_received, "unallocated": t.unallocated,
        },
        // D441-5: shown only when the statement has an indemnity (never for a consumer).
        "has_indemnity": t.indemnity > Decimal::ZERO,
        "claims_indemnity": t.due.indemnity > Decimal::ZERO,
        "invoices": all,
        "payment_rows": payment_rows(s),
        "has_payments": !s.payments.is_empty(),
        "payments_after": s.payments_after_as_of.len(),
        "exhibits": exhibits,
        "exhibit_count": input.exhibits.len(),
        "zip_only_count": input.exhibits.iter().filter(|e| placement(&e.media_type) == Placement::ZipOnly).count(),
        "sections": sections,
        "total_pages": plan.map(PagePlan::total),
    })
}
