//! Cases with their debtor and invoices.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};

use crate::auth::policy::Visibility;
use crate::db::schema::{cases, debtors, invoices};
use crate::db::DbConn;
use crate::domain::search;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = debtors)]
pub struct Debtor {
    pub id: i64,
    pub creditor_org_id: i64,
    pub kind: String,
    pub name: String,
    pub first_name: Option<String>,
    pub legal_form: Option<String>,
    pub siren: Option<String>,
    pub address_line1: String,
    pub address_line2: Option<String>,
    pub postal_code: String,
    pub city: String,
    pub country: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub is_consumer: bool,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = debtors)]
pub struct NewDebtor {
    pub creditor_org_id: i64,
    pub kind: String,
    pub name: String,
    pub first_name: Option<String>,
    pub legal_form: Option<String>,
    pub siren: Option<String>,
    pub address_line1: String,
    pub address_line2: Option<String>,
    pub postal_code: String,
    pub city: String,
    pub country: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub is_consumer: bool,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = cases)]
pub struct Case {
    pub id: i64,
    pub reference: String,
    pub creditor_org_id: i64,
    pub debtor_id: i64,
    pub mandate_id: i64,
    pub state: String,
    pub outcome: Option<String>,
    pub assigned_agent_id: Option<i64>,
    pub assigned_lawyer_id: Option<i64>,
    pub note: String,
    pub status_reason: Option<String>,
    pub opened_by: i64,
    pub opened_at: NaiveDateTime,
    pub accepted_at: Option<NaiveDateTime>,
    pub closed_at: Option<NaiveDateTime>,
    pub version: i32,
    /// Hundredths of a percent (1500 = 15.00 %), between professionals only.
    pub contractual_rate_bps: Option<i32>,
    /// What the list's text search compares (`domain::search::case_key`), written at intake.
    pub search_key: String,
}

impl Case {
    /// What the policy needs to decide who sees this case.
    pub fn scope(&self) -> crate::auth::policy::CaseScope {
        crate::auth::policy::CaseScope {
            creditor_org_id: self.creditor_org_id,
            assigned_lawyer_id: self.assigned_lawyer_id,
        }
    }
}

#[derive(Debug, Insertable)]
#[diesel(table_name = cases)]
pub struct NewCase<'a> {
    pub reference: &'a str,
    pub creditor_org_id: i64,
    pub debtor_id: i64,
    pub mandate_id: i64,
    pub state: &'a str,
    pub note: &'a str,
    pub opened_by: i64,
    pub opened_at: NaiveDateTime,
    pub version: i32,
    pub contractual_rate_bps: Option<i32>,
    pub search_key: &'a str,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = invoices)]
pub struct Invoice {
    pub id: i64,
    pub case_id: i64,
    pub number: String,
    pub issue_date: NaiveDate,
    pub due_date: NaiveDate,
    pub amount_cents: i64,
    pub paid_cents: i64,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = invoices)]
pub struct NewInvoice {
    pub case_id: i64,
    pub number: String,
    pub issue_date: NaiveDate,
    pub due_date: NaiveDate,
    pub amount_cents: i64,
    pub paid_cents: i64,
}

/// A change of a case's state fields, applied only if nobody changed the case meanwhile.
#[derive(Debug, AsChangeset)]
#[diesel(table_name = cases)]
pub struct CaseChange {
    pub state: Option<String>,
    pub outcome: Option<Option<String>>,
    pub assigned_agent_id: Option<Option<i64>>,
    pub assigned_lawyer_id: Option<Option<i64>>,
    pub status_reason: Option<Option<String>>,
    pub accepted_at: Option<Option<NaiveDateTime>>,
    pub closed_at: Option<Option<NaiveDateTime>>,
}

pub fn insert_debtor(conn: &mut DbConn, new: &NewDebtor) -> QueryResult<Debtor> {
    diesel::insert_into(debtors::table)
        .values(new)
        .returning(debtors::all_columns)
        .get_result::<Debtor>(conn)
}

pub fn insert_case(conn: &mut DbConn, new: &NewCase) -> QueryResult<Case> {
    diesel::insert_into(cases::table)
        .values(new)
        .returning(cases::all_columns)
        .get_result::<Case>(conn)
}

/// Inserts invoices one by one: SQLite has no multi-row insert with DEFAULT that diesel's
/// multi-backend connection can express. Callers hold a transaction.
pub fn insert_invoices(conn: &mut DbConn, new: &[NewInvoice]) -> QueryResult<usize> {
    for row in new {
        diesel::insert_into(invoices::table)
            .values(row)
            .execute(conn)?;
    }
    Ok(new.len())
}

pub fn find(conn: &mut DbConn, id: i64) -> QueryResult<Option<Case>> {
    cases::table
        .find(id)
        .select(Case::as_select())
        .first(conn)
        .optional()
}

pub fn find_debtors(conn: &mut DbConn, ids: &[i64]) -> QueryResult<Vec<Debtor>> {
    debtors::table
        .filter(debtors::id.eq_any(ids))
        .select(Debtor::as_select())
        .load(conn)
}

/// The invoices of several cases in one query (no N+1 on lists), in due-date order.
pub fn invoices_of(conn: &mut DbConn, case_ids: &[i64]) -> QueryResult<Vec<Invoice>> {
    invoices::table
        .filter(invoices::case_id.eq_any(case_ids))
        .order((invoices::case_id, invoices::due_date, invoices::id))
        .select(Invoice::as_select())
        .load(conn)
}

/// Applies a change if the case is still at `version`; returns false when another change
/// got there first (the caller answers `CONFLICT`).
pub fn update_if_version(
    conn: &mut DbConn,
    id: i64,
    version: i32,
    change: &CaseChange,
) -> QueryResult<bool> {
    let n = diesel::update(cases::table.find(id).filter(cases::version.eq(version)))
        .set((change, cases::version.eq(version + 1)))
        .execute(conn)?;
    Ok(n == 1)
}

/// Filters of the case list.
#[derive(Debug, Clone, Default)]
pub struct CaseFilter {
    pub states: Vec<String>,
    pub creditor_org_id: Option<i64>,
    pub assigned_agent_id: Option<i64>,
    /// Matches part of the reference, of the debtor's names, of an invoice number, or the
    /// SIREN, ignoring case and accents (`domain::search`).
    pub text: Option<String>,
}

/// How much of the list [`list`] counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Count {
    /// Nothing (`total` is 0): most pages only need "is there a next page".
    No,
    /// Every match (GraphQL `totalCount`): a scan of the matching rows.
    Exact,
    /// Up to this many matches (`total` is at most the cap): what a page shows as "more than
    /// 1 000", at the cost of reading that many ids whatever the table's size.
    UpTo(i64),
}

/// The visibility and filters other than the text search, on any query over `cases`.
macro_rules! case_filters {
    ($q:expr, $visibility:expr, $filter:expr) => {{
        let mut q = $q;
        q = match $visibility {
            Visibility::All => q,
            Visibility::Creditor(org) => q.filter(cases::creditor_org_id.eq(org)),
            Visibility::Lawyer(user) => q.filter(cases::assigned_lawyer_id.eq(Some(user))),
        };
        if !$filter.states.is_empty() {
            q = q.filter(cases::state.eq_any($filter.states.clone()));
        }
        if let Some(org) = $filter.creditor_org_id {
            q = q.filter(cases::creditor_org_id.eq(org));
        }
        if let Some(agent) = $filter.assigned_agent_id {
            q = q.filter(cases::assigned_agent_id.eq(Some(agent)));
        }
        q
    }};
}

/// The cases visible under `visibility` matching `filter`, newest first, keyset-paginated:
/// `before` is the id of the last case of the previous page; `count` says what `total` holds.
pub fn list(
    conn: &mut DbConn,
    visibility: Visibility,
    filter: &CaseFilter,
    before: Option<i64>,
    limit: i64,
    count: Count,
) -> QueryResult<super::Page<(Case, Debtor)>> {
    let filtered = || {
        let mut q = case_filters!(
            cases::table.inner_join(debtors::table).into_boxed(),
            visibility,
            filter
        );
        if let Some(text) = &filter.text {
            // A whole reference is one row of the unique index; otherwise the folded text is
            // looked for in the folded key (reference, names, SIREN, invoice numbers), and a
            // SIREN typed with spaces also through the debtors' SIREN index.
            if let Some(reference) = search::reference_in(text) {
                q = q.filter(cases::reference.eq(reference));
            } else {
                let pattern = format!("%{}%", escape_like(&search::fold(text)));
                let in_key = cases::search_key.like(pattern).escape('\\');
                q = match search::siren_in(text) {
                    Some(siren) => q.filter(in_key.or(debtors::siren.eq(siren))),
                    None => q.filter(in_key),
                };
            }
        }
        q
    };
    let total = match (count, &filter.text) {
        (Count::No, _) => 0,
        // Every case has its debtor: without a text search the count needs no join, and
        // reads an index of `cases` alone.
        (Count::Exact, None) => case_filters!(cases::table.into_boxed(), visibility, filter)
            .count()
            .get_result(conn)?,
        (Count::Exact, Some(_)) => filtered().count().get_result(conn)?,
        (Count::UpTo(cap), _) => filtered()
            .select(cases::id)
            .limit(cap)
            .load::<i64>(conn)?
            .len() as i64,
    };
    let mut q = filtered();
    if let Some(b) = before {
        q = q.filter(cases::id.lt(b));
    }
    let mut items: Vec<(Case, Debtor)> = q
        .order(cases::id.desc())
        .limit(limit + 1)
        .select((Case::as_select(), Debtor::as_select()))
        .load(conn)?;
    let has_next = items.len() as i64 > limit;
    items.truncate(limit as usize);
    Ok(super::Page {
        items,
        has_next,
        total,
    })
}

fn escape_like(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

#[derive(QueryableByName)]
struct CounterValue {
    #[diesel(sql_type = BigInt)]
    value: i64,
}

/// The next value of a named counter, gap-free within committed transactions (the row lock
/// serialises concurrent openings on PostgreSQL; SQLite's write lock does the same).
pub fn next_counter(conn: &mut DbConn, name: &str) -> QueryResult<i64> {
    let sql = |p: &str| {
        format!(
            "INSERT INTO counters (name, value) VALUES ({p}, 1) \
             ON CONFLICT (name) DO UPDATE SET value = counters.value + 1 RETURNING value"
        )
    };
    let row = match conn {
        DbConn::Sqlite(c) => diesel::sql_query(sql("?"))
            .bind::<Text, _>(name)
            .get_result::<CounterValue>(c)?,
        DbConn::Pg(c) => diesel::sql_query(sql("$1"))
            .bind::<Text, _>(name)
            .get_result::<CounterValue>(c)?,
    };
    Ok(row.value)
}

/// Takes the case's row lock (PostgreSQL) and checks nobody changed the case since it was read
/// at `version`, without changing it: background work that does not change the case's state
/// still steps aside when an agent acted meanwhile.
pub fn lock_if_version(conn: &mut DbConn, id: i64, version: i32) -> QueryResult<bool> {
    let n = diesel::update(cases::table.find(id).filter(cases::version.eq(version)))
        .set(cases::version.eq(version))
        .execute(conn)?;
    Ok(n == 1)
}

/// Takes the case's row lock (PostgreSQL; SQLite's write lock serialises anyway) without
/// changing it: `events::append` does, so a chain has one writer at a time.
pub fn lock(conn: &mut DbConn, id: i64) -> QueryResult<()> {
    diesel::update(cases::table.find(id))
        .set(cases::version.eq(cases::version))
        .execute(conn)?;
    Ok(())
}

pub fn find_many(conn: &mut DbConn, ids: &[i64]) -> QueryResult<Vec<Case>> {
    cases::table
        .filter(cases::id.eq_any(ids))
        .select(Case::as_select())
        .load(conn)
}

/// Every case of a creditor organisation (its dashboard).
pub fn of_creditor(conn: &mut DbConn, org_id: i64) -> QueryResult<Vec<Case>> {
    cases::table
        .filter(cases::creditor_org_id.eq(org_id))
        .order(cases::id)
        .select(Case::as_select())
        .load(conn)
}

/// (case reference, debtor name, invoice number) of a creditor's invoices numbered as one of
/// `numbers`, on its cases in none of the states `except` (the import's duplicate check).
pub fn invoices_on_open_cases(
    conn: &mut DbConn,
    org_id: i64,
    numbers: &[String],
    except: &[&str],
) -> QueryResult<Vec<(String, String, String)>> {
    invoices::table
        .inner_join(cases::table.on(cases::id.eq(invoices::case_id)))
        .inner_join(debtors::table.on(debtors::id.eq(cases::debtor_id)))
        .filter(cases::creditor_org_id.eq(org_id))
        .filter(cases::state.ne_all(except))
        .filter(invoices::number.eq_any(numbers))
        .select((cases::reference, debtors::name, invoices::number))
        .load(conn)
}

/// The earliest invoice due date of each of the cases `ids` (500 ids a query).
pub fn earliest_due_dates(conn: &mut DbConn, ids: &[i64]) -> QueryResult<Vec<(i64, NaiveDate)>> {
    let mut out = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(500) {
        let rows: Vec<(i64, Option<NaiveDate>)> = invoices::table
            .filter(invoices::case_id.eq_any(chunk))
            .group_by(invoices::case_id)
            .select((invoices::case_id, diesel::dsl::min(invoices::due_date)))
            .load(conn)?;
        out.extend(rows.into_iter().filter_map(|(id, d)| d.map(|d| (id, d))));
    }
    Ok(out)
}

/// Gives every case without a search key its key (cases opened before the key existed), 500
/// at a time; returns how many. Run by `db::migrate` after the migrations, on both backends:
/// the folding is Rust code (SQLite has no accent folding of its own).
pub fn backfill_search_keys(conn: &mut DbConn) -> QueryResult<usize> {
    let mut done = 0;
    loop {
        let batch: Vec<KeyParts> = cases::table
            .inner_join(debtors::table)
            .filter(cases::search_key.eq(""))
            .order(cases::id)
            .limit(500)
            .select((
                cases::id,
                cases::reference,
                debtors::name,
                debtors::first_name,
                debtors::siren,
            ))
            .load(conn)?;
        if batch.is_empty() {
            return Ok(done);
        }
        let ids: Vec<i64> = batch.iter().map(|b| b.0).collect();
        let numbers: Vec<(i64, String)> = invoices::table
            .filter(invoices::case_id.eq_any(&ids))
            .select((invoices::case_id, invoices::number))
            .load(conn)?;
        // One transaction a batch: 500 updates, one commit.
        conn.transaction(|conn| fill(conn, &batch, &numbers))?;
        done += batch.len();
    }
}

type KeyParts = (i64, String, String, Option<String>, Option<String>);

fn fill(conn: &mut DbConn, batch: &[KeyParts], numbers: &[(i64, String)]) -> QueryResult<()> {
    {
        for (id, reference, name, first_name, siren) in batch {
            let key = search::case_key(
                reference,
                name,
                first_name.as_deref(),
                siren.as_deref(),
                numbers
                    .iter()
                    .filter(|(c, _)| c == id)
                    .map(|(_, n)| n.as_str()),
            );
            diesel::update(cases::table.find(*id))
                .set(cases::search_key.eq(key))
                .execute(conn)?;
        }
    }
    Ok(())
}
