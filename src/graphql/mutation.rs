//! Write operations: each calls one use case (one transaction).

use juniper::{graphql_object, ID};

use super::claims::{InterestRateInput, RateNode};
use super::inputs::{
    parse_case_id, MandateInput, OpenCaseInput, OrganisationInput, PaymentInput, UserInput,
};
use super::nodes::*;
use super::scalars::id_field;
use super::Context;
use crate::auth::Actor;
use crate::cases::{actions, views};
use crate::clock::Clock;
use crate::db::DbConn;
use crate::error::{AppError, AppResult};
use crate::store::cases::Case;

pub struct Mutation;

/// Runs a case action and returns the case as the caller now sees it.
async fn case_action<F>(ctx: &Context, f: F) -> Result<CaseNode, AppError>
where
    F: FnOnce(&mut DbConn, &Clock, &Actor) -> AppResult<Case> + Send + 'static,
{
    let actor = ctx.actor()?;
    let view = ctx
        .run(move |conn, state| {
            let case = f(conn, &state.clock, &actor)?;
            views::complete(conn, case)
        })
        .await?;
    Ok(CaseNode(view))
}

#[graphql_object(context = Context)]
impl Mutation {
    /// Signs in; returns a 15-minute access token and a refresh token.
    async fn login(
        ctx: &Context,
        email: String,
        password: String,
    ) -> Result<AuthPayload, AppError> {
        let s = ctx
            .run(move |conn, state| crate::accounts::login(conn, state, &email, &password))
            .await?;
        Ok(AuthPayload(s))
    }

    /// Exchanges a refresh token for a new pair (the old one stops working).
    async fn refresh(ctx: &Context, refresh_token: String) -> Result<AuthPayload, AppError> {
        let s = ctx
            .run(move |conn, state| crate::accounts::refresh(conn, state, &refresh_token))
            .await?;
        Ok(AuthPayload(s))
    }

    /// Revokes the refresh token (and those rotated from the same sign-in).
    async fn logout(ctx: &Context, refresh_token: String) -> Result<bool, AppError> {
        ctx.run(move |conn, state| crate::accounts::logout(conn, state, &refresh_token))
            .await?;
        Ok(true)
    }

    /// Creates the agency or a creditor organisation (admin).
    async fn create_organisation(
        ctx: &Context,
        input: OrganisationInput,
    ) -> Result<OrganisationNode, AppError> {
        let actor = ctx.actor()?;
        let input = input.into_uc();
        let org = ctx
            .run(move |conn, state| {
                crate::admin::create_organisation(conn, &state.clock, Some(&actor), &input)
            })
            .await?;
        Ok(OrganisationNode(org))
    }

    /// Creates a user account (admin).
    async fn create_user(ctx: &Context, input: UserInput) -> Result<CreateUserPayload, AppError> {
        let actor = ctx.actor()?;
        let input = input.into_uc()?;
        let (user, generated_password) = ctx
            .run(move |conn, state| {
                crate::admin::create_user(conn, &state.clock, state.hash_cost, Some(&actor), &input)
            })
            .await?;
        Ok(CreateUserPayload {
            user,
            generated_password,
        })
    }

    /// Records a creditor's signed mandate (admin).
    async fn create_mandate(ctx: &Context, input: MandateInput) -> Result<MandateNode, AppError> {
        let actor = ctx.actor()?;
        let input = input.into_uc()?;
        let m = ctx
            .run(move |conn, state| {
                crate::admin::create_mandate(conn, &state.clock, Some(&actor), &input)
            })
            .await?;
        Ok(MandateNode(m))
    }

    /// Enters a newly published half-year's interest rates (admin).
    async fn add_interest_rate(
        ctx: &Context,
        input: InterestRateInput,
    ) -> Result<RateNode, AppError> {
        let actor = ctx.actor()?;
        let input = input.into_uc();
        let e = ctx
            .run(move |conn, state| crate::claims::add_rate(conn, &state.clock, &actor, &input))
            .await?;
        Ok(RateNode::from(e))
    }

    /// Opens a case: a creditor for its organisation, an agent on behalf of one.
    async fn open_case(ctx: &Context, input: OpenCaseInput) -> Result<CaseNode, AppError> {
        let input = input.into_uc()?;
        case_action(ctx, move |conn, clock, actor| {
            crate::cases::intake::open_case(conn, clock, actor, &input)
        })
        .await
    }

    /// Records a payment received from the debtor (agent, admin). Refused above what is due;
    /// a payment in full closes the case as paid.
    async fn record_payment(
        ctx: &Context,
        input: PaymentInput,
    ) -> Result<RecordPaymentPayload, AppError> {
        let actor = ctx.actor()?;
        let input = input.into_uc()?;
        let (payment, case) = ctx
            .run(move |conn, state| {
                let (payment, case) =
                    crate::recovery::payments::record_payment(conn, &state.clock, &actor, &input)?;
                Ok((payment, views::complete(conn, case)?))
            })
            .await?;
        Ok(RecordPaymentPayload { payment, case })
    }

    /// The agency takes a submitted case (agent, admin).
    async fn accept_case(
        ctx: &Context,
        id: ID,
        expected_version: Option<i32>,
    ) -> Result<CaseNode, AppError> {
        let id = parse_case_id(&id)?;
        case_action(ctx, move |conn, clock, actor| {
            actions::accept(conn, clock, actor, id, expected_version)
        })
        .await
    }

    /// The agency declines a submitted case, saying why (agent, admin).
    async fn reject_case(
        ctx: &Context,
        id: ID,
        reason: String,
        expected_version: Option<i32>,
    ) -> Result<CaseNode, AppError> {
        let id = parse_case_id(&id)?;
        case_action(ctx, move |conn, clock, actor| {
            actions::reject(conn, clock, actor, id, &reason, expected_version)
        })
        .await
    }

    /// Puts an agent in charge of a case (agent, admin).
    async fn assign_case(
        ctx: &Context,
        id: ID,
        agent_id: ID,
        expected_version: Option<i32>,
    ) -> Result<CaseNode, AppError> {
        let id = parse_case_id(&id)?;
        let agent = id_field(&agent_id, "agentId", "unknown agent")?;
        case_action(ctx, move |conn, clock, actor| {
            actions::assign(conn, clock, actor, id, agent, expected_version)
        })
        .await
    }

    /// The creditor takes its case back, outside the legal phase (creditor, admin).
    async fn withdraw_case(
        ctx: &Context,
        id: ID,
        reason: String,
        expected_version: Option<i32>,
    ) -> Result<CaseNode, AppError> {
        let id = parse_case_id(&id)?;
        case_action(ctx, move |conn, clock, actor| {
            actions::withdraw(conn, clock, actor, id, &reason, expected_version)
        })
        .await
    }
}
