//! GraphQL types of the dedicated account's reconciliation (`recovery::bank`): the import's
//! report, the entries of the reconciliation queue, the account's balance against held funds.

use chrono::{DateTime, NaiveDate, Utc};
use juniper::{GraphQLEnum, GraphQLInputObject, GraphQLObject, ID};

use super::scalars::{id_of, DecimalText};
use crate::domain::bank::{csv::Mapping, Format};
use crate::domain::money;
use crate::recovery::bank::{AccountBalance, ImportReport, QueueItem};
use crate::store::bank::BankStatement;

/// The format of a statement file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, GraphQLEnum)]
#[graphql(name = "BankStatementFormat")]
pub enum BankFormatGql {
    /// ISO 20022 camt.053 (XML), what banks deliver over EBICS.
    Camt053,
    /// A CSV export read through a column mapping.
    Csv,
}

impl From<BankFormatGql> for Format {
    fn from(f: BankFormatGql) -> Format {
        match f {
            BankFormatGql::Camt053 => Format::Camt053,
            BankFormatGql::Csv => Format::Csv,
        }
    }
}

/// Which header of a CSV export holds each field (compared without case or accents). Left
/// out: « Date », « Montant », « Libellé ».
#[derive(Debug, Clone, GraphQLInputObject)]
#[graphql(name = "BankCsvMapping")]
pub struct BankCsvMappingInput {
    pub date: Option<String>,
    /// A signed amount (credits positive); or `credit` and `debit`.
    pub amount: Option<String>,
    pub credit: Option<String>,
    pub debit: Option<String>,
    pub payer: Option<String>,
    pub remittance: Option<String>,
    pub reference: Option<String>,
    pub currency: Option<String>,
}

impl BankCsvMappingInput {
    pub fn into_mapping(self) -> Mapping {
        let d = Mapping::default();
        let split = self.credit.is_some() || self.debit.is_some();
        Mapping {
            date: self.date.unwrap_or(d.date),
            amount: self.amount.or(if split { None } else { d.amount }),
            credit: self.credit,
            debit: self.debit,
            payer: self.payer,
            remittance: self.remittance.unwrap_or(d.remittance),
            reference: self.reference,
            currency: self.currency,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, GraphQLEnum)]
#[graphql(name = "BankEntryDirection")]
pub enum DirectionGql {
    Credit,
    Debit,
}

/// What became of an entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, GraphQLEnum)]
#[graphql(name = "BankEntryStatus")]
pub enum StatusGql {
    /// Recorded as the payment of a case, or reconciled with a payout of the payment
    /// provider (`payout`).
    Matched,
    /// A case is proposed: an agent confirms it or assigns another.
    Proposed,
    /// In the reconciliation queue.
    Unmatched,
    /// A debit, or set aside by an agent.
    Ignored,
}

fn status_of(s: &str) -> StatusGql {
    match s {
        "matched" => StatusGql::Matched,
        "proposed" => StatusGql::Proposed,
        "ignored" => StatusGql::Ignored,
        _ => StatusGql::Unmatched,
    }
}

/// An entry of a statement of the dedicated account.
#[derive(GraphQLObject)]
#[graphql(name = "BankEntry")]
pub struct BankEntryNode {
    pub id: ID,
    pub booked_on: NaiveDate,
    pub amount: DecimalText,
    pub direction: DirectionGql,
    pub payer_name: Option<String>,
    /// The remittance information (« libellé »).
    pub remittance: Option<String>,
    /// The bank's own reference of the entry.
    pub bank_reference: Option<String>,
    pub status: StatusGql,
    /// Why it is unmatched, proposed or ignored.
    pub reason: Option<String>,
    /// The case it paid, is proposed for, or names.
    pub case_id: Option<ID>,
    pub case_reference: Option<String>,
    pub debtor: Option<String>,
    pub payment_id: Option<ID>,
    /// The payment provider's payout it was reconciled with (`po_…`): its card payments were
    /// recorded when the provider confirmed them.
    pub payout: Option<String>,
}

impl From<QueueItem> for BankEntryNode {
    fn from(q: QueueItem) -> Self {
        let e = q.entry;
        BankEntryNode {
            id: id_of(e.id),
            booked_on: e.booked_on,
            amount: money::from_cents(e.amount_cents).into(),
            direction: if e.direction == "debit" {
                DirectionGql::Debit
            } else {
                DirectionGql::Credit
            },
            payer_name: e.payer_name,
            remittance: e.remittance,
            bank_reference: e.servicer_ref,
            status: status_of(&e.status),
            reason: e.reason,
            case_id: e.case_id.map(id_of),
            case_reference: q.case_reference,
            debtor: q.debtor,
            payment_id: e.payment_id.map(id_of),
            payout: q.payout,
        }
    }
}

/// A statement imported.
#[derive(GraphQLObject)]
#[graphql(name = "BankStatement")]
pub struct BankStatementNode {
    pub id: ID,
    /// The statement's id (camt `Stmt/Id`), or `csv:` and the file's hash.
    pub identity: String,
    pub format: BankFormatGql,
    pub iban: String,
    /// The booked closing balance, when the file gives it (camt `CLBD`).
    pub closing_balance: Option<DecimalText>,
    pub closing_balance_on: Option<NaiveDate>,
    pub entries: i32,
    pub new_entries: i32,
    pub imported_at: DateTime<Utc>,
}

impl From<BankStatement> for BankStatementNode {
    fn from(s: BankStatement) -> Self {
        BankStatementNode {
            id: id_of(s.id),
            identity: s.identity,
            format: if s.format == "csv" {
                BankFormatGql::Csv
            } else {
                BankFormatGql::Camt053
            },
            iban: s.account_iban,
            closing_balance: s.closing_balance_cents.map(|c| money::from_cents(c).into()),
            closing_balance_on: s.closing_balance_on,
            entries: s.entries,
            new_entries: s.new_entries,
            imported_at: s.imported_at.and_utc(),
        }
    }
}

/// An entry refused alone (another currency), by its line in the file.
#[derive(GraphQLObject)]
#[graphql(name = "BankEntryRefusal")]
pub struct BankRefusalNode {
    pub line: i32,
    pub reason: String,
}

/// What an import did (`importBankStatement`).
#[derive(GraphQLObject)]
#[graphql(name = "BankImport")]
pub struct BankImportNode {
    pub statements: Vec<BankStatementNode>,
    /// Booked entries in euros in the file.
    pub read: i32,
    /// Entries stored by this import.
    pub new: i32,
    /// Entries already imported (or twice in the file): nothing recorded again.
    pub duplicates: i32,
    /// Credits recorded as a case's payment.
    pub matched: i32,
    /// Credits reconciled with a payout of the payment provider: its card payments were
    /// recorded already, nothing is recorded again.
    pub payouts: i32,
    pub proposed: i32,
    pub unmatched: i32,
    /// Debits: stored, not matched.
    pub ignored: i32,
    /// Entries not booked yet, left for a later statement.
    pub pending: i32,
    pub refused: Vec<BankRefusalNode>,
    /// The new entries, with what became of each.
    pub entries: Vec<BankEntryNode>,
}

fn n(v: usize) -> i32 {
    i32::try_from(v).unwrap_or(i32::MAX)
}

impl From<ImportReport> for BankImportNode {
    fn from(r: ImportReport) -> Self {
        BankImportNode {
            statements: r.statements.into_iter().map(Into::into).collect(),
            read: n(r.read),
            new: n(r.new),
            duplicates: n(r.duplicates),
            matched: n(r.matched),
            payouts: n(r.payouts),
            proposed: n(r.proposed),
            unmatched: n(r.unmatched),
            ignored: n(r.ignored),
            pending: n(r.pending),
            refused: r
                .refused
                .into_iter()
                .map(|x| BankRefusalNode {
                    line: n(x.line),
                    reason: x.reason,
                })
                .collect(),
            entries: r.entries.into_iter().map(Into::into).collect(),
        }
    }
}

/// The dedicated account's balance on its latest statement against what the agency holds
/// (CPCE R124-6).
#[derive(GraphQLObject)]
#[graphql(name = "BankAccountBalance")]
pub struct BankBalanceNode {
    /// The latest statement giving a closing balance.
    pub statement: Option<BankStatementNode>,
    pub balance: Option<DecimalText>,
    pub balance_on: Option<NaiveDate>,
    /// Payments received and not yet in a remittance.
    pub held: DecimalText,
    /// Remittances prepared, not yet transferred.
    pub prepared: DecimalText,
    /// Remittances transferred (net), for information.
    pub remitted: DecimalText,
    /// Card payments recorded whose money the payment provider has not yet brought to the
    /// account.
    pub in_transit: DecimalText,
    /// What the account should hold: held + prepared − in transit.
    pub expected: DecimalText,
    /// The fees the payment provider kept on the payouts reconciled (borne by the agency:
    /// part of the difference until it pays them in).
    pub card_fees: DecimalText,
    /// The statement's balance less what it should hold.
    pub difference: Option<DecimalText>,
}

impl From<AccountBalance> for BankBalanceNode {
    fn from(b: AccountBalance) -> Self {
        let m = |c: i64| -> DecimalText { money::from_cents(c).into() };
        BankBalanceNode {
            balance: b
                .statement
                .as_ref()
                .and_then(|s| s.closing_balance_cents)
                .map(m),
            balance_on: b.statement.as_ref().and_then(|s| s.closing_balance_on),
            statement: b.statement.map(Into::into),
            held: m(b.held_cents),
            prepared: m(b.prepared_cents),
            remitted: m(b.remitted_cents),
            in_transit: m(b.in_transit_cents),
            expected: m(b.expected_cents),
            card_fees: m(b.card_fees_cents),
            difference: b.difference_cents.map(m),
        }
    }
}
