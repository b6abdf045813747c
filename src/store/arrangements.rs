//! Calls, promises to pay, disputes and payment plans of a case.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::db::schema::{
    calls, disputes, mandate_plan_limits, payment_plans, plan_instalments, promises,
};
use crate::db::DbConn;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = calls)]
pub struct Call {
    #[diesel(skip_insertion)]
    pub id: i64,
    pub case_id: i64,
    pub outcome: String,
    pub notes: String,
    pub called_at: NaiveDateTime,
    pub agent_id: i64,
}

pub fn insert_call(conn: &mut DbConn, call: &Call) -> QueryResult<Call> {
    diesel::insert_into(calls::table)
        .values(call)
        .returning(calls::all_columns)
        .get_result(conn)
}

pub fn calls_of(conn: &mut DbConn, case_id: i64) -> QueryResult<Vec<Call>> {
    calls::table
        .filter(calls::case_id.eq(case_id))
        .order(calls::id)
        .select(Call::as_select())
        .load(conn)
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = promises)]
pub struct Promise {
    #[diesel(skip_insertion)]
    pub id: i64,
    pub case_id: i64,
    pub pay_by: NaiveDate,
    pub amount_cents: i64,
    pub status: String,
    pub made_on: NaiveDate,
    pub created_by: i64,
    pub created_at: NaiveDateTime,
    pub resolved_at: Option<NaiveDateTime>,
}

pub fn insert_promise(conn: &mut DbConn, p: &Promise) -> QueryResult<Promise> {
    diesel::insert_into(promises::table)
        .values(p)
        .returning(promises::all_columns)
        .get_result(conn)
}

pub fn promises_of(conn: &mut DbConn, case_id: i64) -> QueryResult<Vec<Promise>> {
    promises::table
        .filter(promises::case_id.eq(case_id))
        .order(promises::id)
        .select(Promise::as_select())
        .load(conn)
}

pub fn open_promises(conn: &mut DbConn) -> QueryResult<Vec<Promise>> {
    promises::table
        .filter(promises::status.eq("open"))
        .order(promises::id)
        .select(Promise::as_select())
        .load(conn)
}

/// Settles an open promise as kept, broken or cancelled; false if it was no longer open.
pub fn resolve_promise(
    conn: &mut DbConn,
    id: i64,
    status: &str,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let n = diesel::update(promises::table.find(id).filter(promises::status.eq("open")))
        .set((promises::status.eq(status), promises::resolved_at.eq(now)))
        .execute(conn)?;
    Ok(n == 1)
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = disputes, treat_none_as_null = true)]
pub struct Dispute {
    #[diesel(skip_insertion)]
    pub id: i64,
    pub case_id: i64,
    pub reason: String,
    pub details: String,
    pub status: String,
    pub raised_by: i64,
    pub raised_at: NaiveDateTime,
    pub creditor_answer: Option<String>,
    pub answered_by: Option<i64>,
    pub answered_at: Option<NaiveDateTime>,
    pub resolution: Option<String>,
    pub resolution_note: Option<String>,
    pub resolved_by: Option<i64>,
    pub resolved_at: Option<NaiveDateTime>,
}

pub fn insert_dispute(conn: &mut DbConn, d: &Dispute) -> QueryResult<Dispute> {
    diesel::insert_into(disputes::table)
        .values(d)
        .returning(disputes::all_columns)
        .get_result(conn)
}

pub fn save_dispute(conn: &mut DbConn, d: &Dispute) -> QueryResult<()> {
    diesel::update(disputes::table.find(d.id))
        .set(d)
        .execute(conn)
        .map(|_| ())
}

pub fn disputes_of(conn: &mut DbConn, case_id: i64) -> QueryResult<Vec<Dispute>> {
    disputes::table
        .filter(disputes::case_id.eq(case_id))
        .order(disputes::id)
        .select(Dispute::as_select())
        .load(conn)
}

/// The dispute of the case not yet resolved, if any.
pub fn open_dispute(conn: &mut DbConn, case_id: i64) -> QueryResult<Option<Dispute>> {
    disputes::table
        .filter(disputes::case_id.eq(case_id))
        .filter(disputes::status.ne("resolved"))
        .select(Dispute::as_select())
        .first(conn)
        .optional()
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = payment_plans, treat_none_as_null = true)]
pub struct Plan {
    #[diesel(skip_insertion)]
    pub id: i64,
    pub case_id: i64,
    pub status: String,
    pub total_cents: i64,
    /// Payments already received when the plan was proposed: later ones pay the instalments.
    pub paid_before_cents: i64,
    pub note: String,
    pub proposed_by: i64,
    pub proposed_at: NaiveDateTime,
    pub auto_approved: bool,
    pub decided_by: Option<i64>,
    pub decided_at: Option<NaiveDateTime>,
    pub ended_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = plan_instalments)]
pub struct PlanInstalment {
    pub id: i64,
    pub plan_id: i64,
    pub position: i32,
    pub due_on: NaiveDate,
    pub amount_cents: i64,
}

pub fn insert_plan(
    conn: &mut DbConn,
    plan: &Plan,
    instalments: &[(NaiveDate, i64)],
) -> QueryResult<Plan> {
    let plan: Plan = diesel::insert_into(payment_plans::table)
        .values(plan)
        .returning(payment_plans::all_columns)
        .get_result(conn)?;
    for (i, (due_on, cents)) in instalments.iter().enumerate() {
        diesel::insert_into(plan_instalments::table)
            .values((
                plan_instalments::plan_id.eq(plan.id),
                plan_instalments::position.eq(i as i32 + 1),
                plan_instalments::due_on.eq(due_on),
                plan_instalments::amount_cents.eq(cents),
            ))
            .execute(conn)?;
    }
    Ok(plan)
}

pub fn save_plan(conn: &mut DbConn, plan: &Plan) -> QueryResult<()> {
    diesel::update(payment_plans::table.find(plan.id))
        .set(plan)
        .execute(conn)
        .map(|_| ())
}

pub fn plans_of(conn: &mut DbConn, case_id: i64) -> QueryResult<Vec<Plan>> {
    payment_plans::table
        .filter(payment_plans::case_id.eq(case_id))
        .order(payment_plans::id)
        .select(Plan::as_select())
        .load(conn)
}

/// The case's plan that is proposed or running, if any.
pub fn live_plan(conn: &mut DbConn, case_id: i64) -> QueryResult<Option<Plan>> {
    payment_plans::table
        .filter(payment_plans::case_id.eq(case_id))
        .filter(payment_plans::status.eq_any(["proposed", "active"]))
        .select(Plan::as_select())
        .first(conn)
        .optional()
}

pub fn active_plans(conn: &mut DbConn) -> QueryResult<Vec<Plan>> {
    payment_plans::table
        .filter(payment_plans::status.eq("active"))
        .order(payment_plans::id)
        .select(Plan::as_select())
        .load(conn)
}

pub fn instalments_of(conn: &mut DbConn, plan_ids: &[i64]) -> QueryResult<Vec<PlanInstalment>> {
    plan_instalments::table
        .filter(plan_instalments::plan_id.eq_any(plan_ids))
        .order((plan_instalments::plan_id, plan_instalments::position))
        .select(PlanInstalment::as_select())
        .load(conn)
}

/// The limits within which the agency agrees a plan without asking the creditor.
pub fn plan_limits(conn: &mut DbConn, mandate_id: i64) -> QueryResult<Option<(i32, i32)>> {
    mandate_plan_limits::table
        .find(mandate_id)
        .select((
            mandate_plan_limits::max_instalments,
            mandate_plan_limits::max_months,
        ))
        .first(conn)
        .optional()
}

pub fn set_plan_limits(
    conn: &mut DbConn,
    mandate_id: i64,
    limits: Option<(i32, i32)>,
) -> QueryResult<()> {
    diesel::delete(mandate_plan_limits::table.find(mandate_id)).execute(conn)?;
    if let Some((n, months)) = limits {
        diesel::insert_into(mandate_plan_limits::table)
            .values((
                mandate_plan_limits::mandate_id.eq(mandate_id),
                mandate_plan_limits::max_instalments.eq(n),
                mandate_plan_limits::max_months.eq(months),
            ))
            .execute(conn)?;
    }
    Ok(())
}
