//! Bank statements of the dedicated account and their entries, each entry once ever (unique
//! `dedupe_key`), with what became of it (matched to a case's payment, proposed, unmatched,
//! ignored).

use std::collections::{HashMap, HashSet};

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::db::schema::{bank_entries, bank_statements, cases, debtors};
use crate::db::DbConn;

/// The states of a case no payment is proposed for.
const OPEN_NOT: [&str; 2] = ["closed", "rejected"];

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = bank_statements)]
pub struct BankStatement {
    pub id: i64,
    pub identity: String,
    pub format: String,
    pub account_iban: String,
    pub file_sha256: String,
    pub closing_balance_cents: Option<i64>,
    pub closing_balance_on: Option<NaiveDate>,
    pub entries: i32,
    pub new_entries: i32,
    pub imported_at: NaiveDateTime,
    pub imported_by: Option<i64>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = bank_statements)]
pub struct NewStatement<'a> {
    pub identity: &'a str,
    pub format: &'a str,
    pub account_iban: &'a str,
    pub file_sha256: &'a str,
    pub closing_balance_cents: Option<i64>,
    pub closing_balance_on: Option<NaiveDate>,
    pub entries: i32,
    pub new_entries: i32,
    pub imported_at: NaiveDateTime,
    pub imported_by: Option<i64>,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = bank_entries)]
pub struct BankEntry {
    pub id: i64,
    pub statement_id: i64,
    pub dedupe_key: String,
    pub account_iban: String,
    pub booked_on: NaiveDate,
    pub amount_cents: i64,
    pub direction: String,
    pub payer_name: Option<String>,
    pub remittance: Option<String>,
    pub servicer_ref: Option<String>,
    pub status: String,
    pub reason: Option<String>,
    pub case_id: Option<i64>,
    pub payment_id: Option<i64>,
    pub decided_by: Option<i64>,
    pub decided_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = bank_entries)]
pub struct NewEntry<'a> {
    pub statement_id: i64,
    pub dedupe_key: &'a str,
    pub account_iban: &'a str,
    pub booked_on: NaiveDate,
    pub amount_cents: i64,
    pub direction: &'a str,
    pub payer_name: Option<&'a str>,
    pub remittance: Option<&'a str>,
    pub servicer_ref: Option<&'a str>,
    pub status: &'a str,
    pub reason: Option<&'a str>,
    pub case_id: Option<i64>,
    pub payment_id: Option<i64>,
    pub decided_by: Option<i64>,
    pub decided_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
}

/// What became of an entry, written by the import and the agent's decisions.
#[derive(Debug, AsChangeset)]
#[diesel(table_name = bank_entries, treat_none_as_null = true)]
pub struct Outcome<'a> {
    pub status: &'a str,
    pub reason: Option<&'a str>,
    pub case_id: Option<i64>,
    pub payment_id: Option<i64>,
    pub decided_by: Option<i64>,
    pub decided_at: Option<NaiveDateTime>,
}

pub fn insert_statement(conn: &mut DbConn, new: &NewStatement) -> QueryResult<BankStatement> {
    diesel::insert_into(bank_statements::table)
        .values(new)
        .returning(bank_statements::all_columns)
        .get_result(conn)
}

pub fn set_new_entries(conn: &mut DbConn, id: i64, n: i32) -> QueryResult<()> {
    diesel::update(bank_statements::table.find(id))
        .set(bank_statements::new_entries.eq(n))
        .execute(conn)
        .map(drop)
}

/// Whether an entry of this key is stored.
pub fn exists(conn: &mut DbConn, key: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        bank_entries::table.filter(bank_entries::dedupe_key.eq(key)),
    ))
    .get_result(conn)
}

pub fn insert_entry(conn: &mut DbConn, new: &NewEntry) -> QueryResult<BankEntry> {
    diesel::insert_into(bank_entries::table)
        .values(new)
        .returning(bank_entries::all_columns)
        .get_result(conn)
}

pub fn find_entry(conn: &mut DbConn, id: i64) -> QueryResult<Option<BankEntry>> {
    bank_entries::table
        .find(id)
        .select(BankEntry::as_select())
        .first(conn)
        .optional()
}

/// Writes an entry's outcome if its status is still `from` (another agent may have decided
/// meanwhile): false when it was not.
pub fn decide(conn: &mut DbConn, id: i64, from: &str, outcome: &Outcome) -> QueryResult<bool> {
    let n = diesel::update(
        bank_entries::table
            .filter(bank_entries::id.eq(id))
            .filter(bank_entries::status.eq(from)),
    )
    .set(outcome)
    .execute(conn)?;
    Ok(n == 1)
}

/// The reconciliation queue: credits proposed or unmatched, oldest booked first.
pub fn queue(conn: &mut DbConn, limit: i64) -> QueryResult<Vec<BankEntry>> {
    bank_entries::table
        .filter(bank_entries::status.eq_any(["proposed", "unmatched"]))
        .filter(bank_entries::direction.eq("credit"))
        .order((bank_entries::booked_on.asc(), bank_entries::id.asc()))
        .limit(limit)
        .select(BankEntry::as_select())
        .load(conn)
}

/// The entries of some statements (an import's report), in their order.
pub fn of_statements(conn: &mut DbConn, ids: &[i64]) -> QueryResult<Vec<BankEntry>> {
    bank_entries::table
        .filter(bank_entries::statement_id.eq_any(ids))
        .order(bank_entries::id.asc())
        .select(BankEntry::as_select())
        .load(conn)
}

/// The latest statement that gives a closing balance (by its day, then import).
pub fn latest_balance(conn: &mut DbConn) -> QueryResult<Option<BankStatement>> {
    bank_statements::table
        .filter(bank_statements::closing_balance_cents.is_not_null())
        .order((
            bank_statements::closing_balance_on.desc(),
            bank_statements::id.desc(),
        ))
        .select(BankStatement::as_select())
        .first(conn)
        .optional()
}

/// The latest imports, newest first.
pub fn latest_statements(conn: &mut DbConn, limit: i64) -> QueryResult<Vec<BankStatement>> {
    bank_statements::table
        .order(bank_statements::id.desc())
        .limit(limit)
        .select(BankStatement::as_select())
        .load(conn)
}

/// The case of a reference (the unique index), with its debtor's names.
pub fn case_by_reference(conn: &mut DbConn, reference: &str) -> QueryResult<Option<i64>> {
    cases::table
        .filter(cases::reference.eq(reference))
        .select(cases::id)
        .first(conn)
        .optional()
}

/// Open cases whose debtor's name holds `word` (folded, in the case's search key): the
/// candidates a payer's name may propose, at most `limit`.
pub fn open_cases_naming(
    conn: &mut DbConn,
    word: &str,
    limit: i64,
) -> QueryResult<Vec<(i64, String, Option<String>)>> {
    let escaped = word
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    cases::table
        .inner_join(debtors::table)
        .filter(cases::state.ne_all(OPEN_NOT))
        .filter(cases::search_key.like(format!("%{escaped}%")).escape('\\'))
        .order(cases::id.asc())
        .limit(limit)
        .select((cases::id, debtors::name, debtors::first_name))
        .load(conn)
}

/// Binds per `IN (…)` list: well under SQLite's limit of host parameters.
const CHUNK: usize = 500;

/// Which of these keys are stored already (one query per 500 keys).
pub fn existing_keys(conn: &mut DbConn, keys: &[&str]) -> QueryResult<HashSet<String>> {
    let mut found = HashSet::new();
    for chunk in keys.chunks(CHUNK) {
        let rows: Vec<String> = bank_entries::table
            .filter(bank_entries::dedupe_key.eq_any(chunk))
            .select(bank_entries::dedupe_key)
            .load(conn)?;
        found.extend(rows);
    }
    Ok(found)
}

/// The cases of these references (the unique index), one query per 500 references.
pub fn cases_by_references(
    conn: &mut DbConn,
    references: &[&str],
) -> QueryResult<HashMap<String, i64>> {
    let mut found = HashMap::new();
    for chunk in references.chunks(CHUNK) {
        let rows: Vec<(String, i64)> = cases::table
            .filter(cases::reference.eq_any(chunk))
            .select((cases::reference, cases::id))
            .load(conn)?;
        found.extend(rows);
    }
    Ok(found)
}

/// The search keys of open cases after `after`, by id, at most `limit`: one page of the
/// proposal's single pass over the keys.
pub fn open_search_keys(
    conn: &mut DbConn,
    after: i64,
    limit: i64,
) -> QueryResult<Vec<(i64, String)>> {
    cases::table
        .filter(cases::state.ne_all(OPEN_NOT))
        .filter(cases::id.gt(after))
        .order(cases::id.asc())
        .limit(limit)
        .select((cases::id, cases::search_key))
        .load(conn)
}

/// Of these cases, the ones still open, with their debtor's names (one query per 500).
pub fn open_cases_named(
    conn: &mut DbConn,
    ids: &[i64],
) -> QueryResult<Vec<(i64, String, Option<String>)>> {
    let mut out = Vec::new();
    for chunk in ids.chunks(CHUNK) {
        let rows: Vec<(i64, String, Option<String>)> = cases::table
            .inner_join(debtors::table)
            .filter(cases::state.ne_all(OPEN_NOT))
            .filter(cases::id.eq_any(chunk))
            .select((cases::id, debtors::name, debtors::first_name))
            .load(conn)?;
        out.extend(rows);
    }
    out.sort_by_key(|r| r.0);
    Ok(out)
}

/// The credits of an amount waiting in the queue (unmatched), oldest first.
pub fn waiting_of_amount(conn: &mut DbConn, amount_cents: i64) -> QueryResult<Vec<BankEntry>> {
    bank_entries::table
        .filter(bank_entries::status.eq("unmatched"))
        .filter(bank_entries::direction.eq("credit"))
        .filter(bank_entries::amount_cents.eq(amount_cents))
        .order((bank_entries::booked_on.asc(), bank_entries::id.asc()))
        .select(BankEntry::as_select())
        .load(conn)
}
