//! Write operations: each calls one use case (one transaction).

use juniper::{graphql_object, ID};

use super::claims::{InterestRateInput, RateNode};
use super::inputs::{
    parse_case_id, MandateInput, OpenCaseInput, OrganisationInput, PaymentInput, UserInput,
};
use super::nodes::*;
use super::recovery::*;
use super::scalars::{id_field, parse_id, OutcomeGql};
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

/// Runs a case action that also creates a record, and returns both.
async fn with_case<T, F>(ctx: &Context, f: F) -> Result<WithCase<T>, AppError>
where
    T: Send + 'static,
    F: FnOnce(&mut DbConn, &crate::AppState, &Actor) -> AppResult<(T, Case)> + Send + 'static,
{
    let actor = ctx.actor()?;
    let (item, view) = ctx
        .run(move |conn, state| {
            let (item, case) = f(conn, state, &actor)?;
            Ok((item, views::complete(conn, case)?))
        })
        .await?;
    Ok(WithCase(item, view))
}

#[graphql_object(context = Context)]
impl Mutation {
    /// Replaces the agency's settings: the mentions its letters need (CPCE R124-2) and its
    /// procedure delays (admin).
    async fn update_agency_settings(
        ctx: &Context,
        input: AgencySettingsInput,
    ) -> Result<SettingsNode, AppError> {
        let actor = ctx.actor()?;
        let input = input.into_uc()?;
        let s = ctx
            .run(move |conn, state| {
                crate::recovery::settings::update(conn, &state.clock, &actor, &input)
            })
            .await?;
        Ok(s.into())
    }

    /// Sets (or clears, with both null) the limits within which the agency agrees a payment
    /// plan without asking the creditor (admin). One without the other is refused.
    async fn set_mandate_plan_limits(
        ctx: &Context,
        mandate_id: ID,
        max_instalments: Option<i32>,
        max_months: Option<i32>,
    ) -> Result<bool, AppError> {
        let actor = ctx.actor()?;
        let id = id_field(&mandate_id, "mandateId", "unknown mandate")?;
        ctx.run(move |conn, _| {
            crate::recovery::settings::set_plan_limits(
                conn,
                &actor,
                id,
                max_instalments,
                max_months,
            )
        })
        .await?;
        Ok(true)
    }

    /// Creates a playbook (no id) or replaces one's name and steps (admin).
    async fn save_playbook(
        ctx: &Context,
        id: Option<ID>,
        name: String,
        steps: Vec<PlaybookStepInput>,
        make_default: Option<bool>,
    ) -> Result<PlaybookNode, AppError> {
        let actor = ctx.actor()?;
        let id = id
            .map(|i| crate::graphql::scalars::parse_id(&i, "playbook"))
            .transpose()?;
        let steps: Vec<crate::recovery::playbooks::StepInput> = steps
            .into_iter()
            .map(|s| crate::recovery::playbooks::StepInput {
                basis: s.basis.into(),
                delay_days: s.delay_days,
                channel: s.channel.into(),
                template: s.template.into(),
            })
            .collect();
        let (book, rows) = ctx
            .run(move |conn, state| {
                crate::recovery::playbooks::save(
                    conn,
                    &state.clock,
                    &actor,
                    id,
                    &name,
                    &steps,
                    make_default.unwrap_or(false),
                )
            })
            .await?;
        PlaybookNode::of(book, rows)
    }

    /// Attaches a playbook to a creditor or to one case (admin).
    async fn attach_playbook(
        ctx: &Context,
        playbook_id: ID,
        creditor_id: Option<ID>,
        case_id: Option<ID>,
    ) -> Result<bool, AppError> {
        let actor = ctx.actor()?;
        let book = id_field(&playbook_id, "playbookId", "unknown playbook")?;
        match (creditor_id, case_id) {
            (Some(c), None) => {
                let org = id_field(&c, "creditorId", "unknown creditor")?;
                ctx.run(move |conn, _| {
                    crate::recovery::playbooks::attach_to_creditor(conn, &actor, org, book)
                })
                .await?
            }
            (None, Some(c)) => {
                let case = parse_case_id(&c)?;
                ctx.run(move |conn, state| {
                    crate::recovery::playbooks::attach_to_case(
                        conn,
                        &state.clock,
                        &actor,
                        case,
                        book,
                    )
                })
                .await?
            }
            _ => {
                return Err(AppError::validation(
                    "creditorId",
                    "give either a creditor or a case",
                ))
            }
        }
        Ok(true)
    }

    /// Logs a call with the debtor (agent, admin).
    async fn log_call(
        ctx: &Context,
        case_id: ID,
        outcome: CallOutcomeGql,
        notes: Option<String>,
        expected_version: Option<i32>,
    ) -> Result<CallPayload, AppError> {
        let id = parse_case_id(&case_id)?;
        let r = with_case(ctx, move |conn, state, actor| {
            let (call, case) = crate::recovery::arrangements::log_call(
                conn,
                &state.clock,
                actor,
                id,
                outcome.into(),
                notes.as_deref().unwrap_or(""),
                expected_version,
            )?;
            Ok((CallNode(call), case))
        })
        .await?;
        Ok(CallPayload(r))
    }

    /// Records the debtor's promise to pay: the playbook pauses until it is kept or broken.
    async fn record_promise(
        ctx: &Context,
        case_id: ID,
        pay_by: chrono::NaiveDate,
        amount: String,
        expected_version: Option<i32>,
    ) -> Result<PromisePayload, AppError> {
        let id = parse_case_id(&case_id)?;
        let r = with_case(ctx, move |conn, state, actor| {
            let (p, case) = crate::recovery::arrangements::record_promise(
                conn,
                &state.clock,
                actor,
                id,
                pay_by,
                &amount,
                expected_version,
            )?;
            Ok((PromiseNode(p), case))
        })
        .await?;
        Ok(PromisePayload(r))
    }

    /// The debtor disputes the claim: collection pauses and the creditor is asked to answer.
    async fn raise_dispute(
        ctx: &Context,
        case_id: ID,
        reason: DisputeReasonGql,
        details: String,
        expected_version: Option<i32>,
    ) -> Result<DisputePayload, AppError> {
        let id = parse_case_id(&case_id)?;
        let r = with_case(ctx, move |conn, state, actor| {
            let (d, case) = crate::recovery::arrangements::raise_dispute(
                conn,
                &state.clock,
                actor,
                id,
                reason.into(),
                &details,
                expected_version,
            )?;
            Ok((DisputeNode(d), case))
        })
        .await?;
        Ok(DisputePayload(r))
    }

    /// The creditor answers the open dispute of its case.
    async fn answer_dispute(
        ctx: &Context,
        case_id: ID,
        answer: String,
        expected_version: Option<i32>,
    ) -> Result<DisputePayload, AppError> {
        let id = parse_case_id(&case_id)?;
        let r = with_case(ctx, move |conn, state, actor| {
            let (d, case) = crate::recovery::arrangements::answer_dispute(
                conn,
                &state.clock,
                actor,
                id,
                &answer,
                expected_version,
            )?;
            Ok((DisputeNode(d), case))
        })
        .await?;
        Ok(DisputePayload(r))
    }

    /// Ends the open dispute: collection resumes, or the case closes with `outcome`.
    async fn resolve_dispute(
        ctx: &Context,
        case_id: ID,
        resume: bool,
        outcome: Option<OutcomeGql>,
        note: String,
        expected_version: Option<i32>,
    ) -> Result<DisputePayload, AppError> {
        let id = parse_case_id(&case_id)?;
        let resolution = match (resume, outcome) {
            (true, None) => crate::recovery::arrangements::Resolution::Resume,
            (false, Some(o)) => crate::recovery::arrangements::Resolution::Close(o.into()),
            (true, Some(_)) => {
                return Err(AppError::validation(
                    "outcome",
                    "a resumed case has no outcome",
                ))
            }
            (false, None) => {
                return Err(AppError::validation("outcome", "say how the case closes"))
            }
        };
        let r = with_case(ctx, move |conn, state, actor| {
            let (d, case) = crate::recovery::arrangements::resolve_dispute(
                conn,
                &state.clock,
                actor,
                id,
                resolution,
                &note,
                expected_version,
            )?;
            Ok((DisputeNode(d), case))
        })
        .await?;
        Ok(DisputePayload(r))
    }

    /// Proposes a payment plan whose instalments add up to the balance due today; within the
    /// mandate's limits it runs at once, otherwise the creditor decides.
    async fn propose_payment_plan(
        ctx: &Context,
        case_id: ID,
        instalments: Vec<InstalmentInput>,
        note: Option<String>,
        expected_version: Option<i32>,
    ) -> Result<PlanPayload, AppError> {
        let id = parse_case_id(&case_id)?;
        let list: Vec<crate::recovery::arrangements::InstalmentInput> = instalments
            .into_iter()
            .map(|i| crate::recovery::arrangements::InstalmentInput {
                due_on: i.due_on,
                amount: i.amount,
            })
            .collect();
        let r = with_case(ctx, move |conn, state, actor| {
            let (plan, case) = crate::recovery::arrangements::propose_plan(
                conn,
                &state.clock,
                actor,
                id,
                &list,
                note.as_deref().unwrap_or(""),
                expected_version,
            )?;
            let inst = crate::store::arrangements::instalments_of(conn, &[plan.id])?;
            Ok((PlanNode(plan, inst), case))
        })
        .await?;
        Ok(PlanPayload(r))
    }

    /// The creditor (or an admin) accepts or refuses the proposed payment plan.
    async fn decide_payment_plan(
        ctx: &Context,
        case_id: ID,
        accept: bool,
        expected_version: Option<i32>,
    ) -> Result<PlanPayload, AppError> {
        let id = parse_case_id(&case_id)?;
        let r = with_case(ctx, move |conn, state, actor| {
            let (plan, case) = crate::recovery::arrangements::decide_plan(
                conn,
                &state.clock,
                actor,
                id,
                accept,
                expected_version,
            )?;
            let inst = crate::store::arrangements::instalments_of(conn, &[plan.id])?;
            Ok((PlanNode(plan, inst), case))
        })
        .await?;
        Ok(PlanPayload(r))
    }

    /// Produces the formal notice now, as a registered letter waiting to be posted.
    async fn prepare_formal_notice(
        ctx: &Context,
        case_id: ID,
        expected_version: Option<i32>,
    ) -> Result<CaseNode, AppError> {
        let id = parse_case_id(&case_id)?;
        let actor = ctx.actor()?;
        let view = ctx
            .run(move |conn, state| {
                let case = crate::recovery::notice::prepare(
                    conn,
                    &state.clock,
                    state.jobs.blobs.as_ref(),
                    &actor,
                    id,
                    expected_version,
                )?;
                views::complete(conn, case)
            })
            .await?;
        Ok(CaseNode(view))
    }

    /// Records the posting of the formal notice (registered letter): its deadline runs.
    async fn post_formal_notice(
        ctx: &Context,
        case_id: ID,
        posted_on: chrono::NaiveDate,
        tracking_number: String,
        expected_version: Option<i32>,
    ) -> Result<CaseNode, AppError> {
        let id = parse_case_id(&case_id)?;
        case_action(ctx, move |conn, clock, actor| {
            crate::recovery::notice::post(
                conn,
                clock,
                actor,
                id,
                posted_on,
                &tracking_number,
                expected_version,
            )
        })
        .await
    }

    /// Refers a case to a lawyer (agents, admins): the legal phase starts. Before filing, a
    /// case may be referred to another lawyer.
    async fn refer_case(
        ctx: &Context,
        case_id: ID,
        lawyer_id: ID,
        expected_version: Option<i32>,
    ) -> Result<CaseNode, AppError> {
        let id = parse_case_id(&case_id)?;
        let lawyer = id_field(&lawyer_id, "lawyerId", "unknown lawyer")?;
        case_action(ctx, move |conn, clock, actor| {
            crate::legal::refer(conn, clock, actor, id, lawyer, expected_version)
        })
        .await
    }

    /// The lawyer confirms the competent court (the eligibility report proposes one).
    async fn confirm_court(
        ctx: &Context,
        case_id: ID,
        input: super::legal::CourtInput,
    ) -> Result<CaseNode, AppError> {
        let id = parse_case_id(&case_id)?;
        let choice = crate::legal::CourtChoice {
            kind: input.kind.into(),
            name: input.name,
            transfer_on_opposition: input.transfer_on_opposition,
        };
        case_action(ctx, move |conn, clock, actor| {
            crate::legal::confirm_court(conn, clock, actor, id, &choice)
        })
        .await
    }

    /// Records the filing of the requête at the court (date, the court's reference).
    async fn record_filing(
        ctx: &Context,
        case_id: ID,
        filed_on: chrono::NaiveDate,
        reference: String,
        expected_version: Option<i32>,
    ) -> Result<CaseNode, AppError> {
        let id = parse_case_id(&case_id)?;
        case_action(ctx, move |conn, clock, actor| {
            crate::legal::procedure::record_filing(
                conn,
                clock,
                actor,
                id,
                filed_on,
                &reference,
                expected_version,
            )
        })
        .await
    }

    /// Records the judge's order: granted in full, in part (with the amount), or rejected.
    async fn record_order(
        ctx: &Context,
        case_id: ID,
        input: super::legal::OrderInput,
        expected_version: Option<i32>,
    ) -> Result<CaseNode, AppError> {
        let id = parse_case_id(&case_id)?;
        let amount = input
            .amount
            .map(|a| {
                crate::domain::money::parse_amount(&a.0)
                    .map_err(|e| AppError::validation("input.amount", e.0))
            })
            .transpose()?;
        case_action(ctx, move |conn, clock, actor| {
            crate::legal::procedure::record_order(
                conn,
                clock,
                actor,
                id,
                input.date,
                input.outcome.into(),
                amount,
                expected_version,
            )
        })
        .await
    }

    /// Records the service of the order by a commissaire de justice.
    async fn record_service(
        ctx: &Context,
        case_id: ID,
        input: super::legal::ServiceInput,
        expected_version: Option<i32>,
    ) -> Result<CaseNode, AppError> {
        let id = parse_case_id(&case_id)?;
        case_action(ctx, move |conn, clock, actor| {
            crate::legal::procedure::record_service(
                conn,
                clock,
                actor,
                id,
                input.served_on,
                input.in_person,
                input.first_personal_act_on,
                expected_version,
            )
        })
        .await
    }

    /// After a service not made in person: the first act served to the debtor in person
    /// (the opposition window runs from it, CPC 1416 al. 2).
    async fn record_first_personal_act(
        ctx: &Context,
        case_id: ID,
        date: chrono::NaiveDate,
        expected_version: Option<i32>,
    ) -> Result<CaseNode, AppError> {
        let id = parse_case_id(&case_id)?;
        case_action(ctx, move |conn, clock, actor| {
            crate::legal::procedure::record_first_personal_act(
                conn,
                clock,
                actor,
                id,
                date,
                expected_version,
            )
        })
        .await
    }

    /// Records the debtor's opposition: the case is closed as handed over to litigation.
    async fn record_opposition(
        ctx: &Context,
        case_id: ID,
        opposed_on: chrono::NaiveDate,
        expected_version: Option<i32>,
    ) -> Result<CaseNode, AppError> {
        let id = parse_case_id(&case_id)?;
        case_action(ctx, move |conn, clock, actor| {
            crate::legal::procedure::record_opposition(
                conn,
                clock,
                actor,
                id,
                opposed_on,
                expected_version,
            )
        })
        .await
    }

    /// Records that the order became an enforceable title (its opposition window closed
    /// without opposition).
    async fn record_enforceable_title(
        ctx: &Context,
        case_id: ID,
        expected_version: Option<i32>,
    ) -> Result<CaseNode, AppError> {
        let id = parse_case_id(&case_id)?;
        case_action(ctx, move |conn, clock, actor| {
            crate::legal::procedure::record_enforceable(conn, clock, actor, id, expected_version)
        })
        .await
    }

    /// Hands the enforceable title to a commissaire de justice for enforcement.
    async fn hand_over_for_enforcement(
        ctx: &Context,
        case_id: ID,
        date: chrono::NaiveDate,
        officer: String,
        expected_version: Option<i32>,
    ) -> Result<CaseNode, AppError> {
        let id = parse_case_id(&case_id)?;
        case_action(ctx, move |conn, clock, actor| {
            crate::legal::procedure::hand_over(
                conn,
                clock,
                actor,
                id,
                date,
                &officer,
                expected_version,
            )
        })
        .await
    }

    /// Records a conservatory measure or an act of enforcement carried out by a commissaire
    /// de justice (C. civ. 2244: it interrupts prescription). An act of enforcement needs the
    /// enforceable title (CPCE L111-2): `VALIDATION` on `date` otherwise.
    async fn record_enforcement_measure(
        ctx: &Context,
        case_id: ID,
        input: super::legal::MeasureInput,
        expected_version: Option<i32>,
    ) -> Result<CaseNode, AppError> {
        let id = parse_case_id(&case_id)?;
        case_action(ctx, move |conn, clock, actor| {
            crate::legal::procedure::record_measure(
                conn,
                clock,
                actor,
                id,
                input.kind.into(),
                input.date,
                &input.officer,
                input.reference.as_deref(),
                expected_version,
            )
        })
        .await
    }

    /// Records an incident of the debtor's life (a collective proceeding, an admissible
    /// over-indebtedness file, a death, a dissolution, merger or striking-off) on the case
    /// and on every other open case of the same SIREN the caller may see: from its date the
    /// cases' reminders, promises, plans, formal notice, referral and legal steps stop
    /// (`INELIGIBLE`, field the eligibility condition, e.g. `no_collective_proceedings`);
    /// a collective proceeding published at the BODACC opens the declaration task
    /// (C. com. R622-24). Agents, admins and the case's lawyer.
    async fn record_debtor_incident(
        ctx: &Context,
        case_id: ID,
        input: super::incidents::IncidentInput,
        expected_version: Option<i32>,
    ) -> Result<CaseNode, AppError> {
        let id = parse_case_id(&case_id)?;
        let input = input.into_domain();
        case_action(ctx, move |conn, clock, actor| {
            crate::cases::incidents::record(conn, clock, actor, id, &input, expected_version)
                .map(|(_, case)| case)
        })
        .await
    }

    /// Produces the déclaration de créance of a collective proceeding's incident as a PDF
    /// document of the case (C. com. L622-24, R622-23): the sums due on the judgment's day,
    /// those to fall due, the `security` claimed (omitted: unsecured), the exhibits; signed by
    /// the agency only when the mandate grants the special power to declare.
    async fn prepare_claim_declaration(
        ctx: &Context,
        incident_id: ID,
        security: Option<String>,
    ) -> Result<CaseNode, AppError> {
        let id = super::scalars::parse_id(&incident_id, "incident")?;
        let actor = ctx.actor()?;
        let view = ctx
            .run(move |conn, state| {
                let case = crate::cases::incidents::prepare_declaration(
                    conn,
                    &state.clock,
                    state.jobs.blobs.as_ref(),
                    &actor,
                    id,
                    security.as_deref(),
                )?;
                views::complete(conn, case)
            })
            .await?;
        Ok(CaseNode(view))
    }

    /// Produces the letter to the notary in charge of a deceased debtor's estate (C. civ. 771,
    /// 772, 792): the sums of the day, the heirs' option, the claim declared to the estate. A
    /// document of the case, waiting in the outbox for an agent to post it. `notary` (name and
    /// address) replaces the one recorded with the death; one of the two is needed.
    async fn prepare_notary_letter(
        ctx: &Context,
        incident_id: ID,
        notary: Option<String>,
    ) -> Result<CaseNode, AppError> {
        let id = super::scalars::parse_id(&incident_id, "incident")?;
        let actor = ctx.actor()?;
        let view = ctx
            .run(move |conn, state| {
                let case = crate::cases::incidents::prepare_notary_letter(
                    conn,
                    &state.clock,
                    state.jobs.blobs.as_ref(),
                    &actor,
                    id,
                    notary.as_deref(),
                )?;
                views::complete(conn, case)
            })
            .await?;
        Ok(CaseNode(view))
    }

    /// Records the day the claim was declared to the mandataire judiciaire, with the
    /// registered letter's tracking number (a collective proceeding's incident): the
    /// declaration task is done.
    async fn record_claim_declaration(
        ctx: &Context,
        incident_id: ID,
        declared_on: chrono::NaiveDate,
        tracking_number: Option<String>,
    ) -> Result<CaseNode, AppError> {
        let id = super::scalars::parse_id(&incident_id, "incident")?;
        case_action(ctx, move |conn, clock, actor| {
            crate::cases::incidents::record_declaration(
                conn,
                clock,
                actor,
                id,
                declared_on,
                tracking_number.as_deref(),
            )
        })
        .await
    }

    /// Records the juge-commissaire's decision on the declared claim (C. com. L624-2);
    /// `admittedAmount` ("1200.00") for a claim admitted in part.
    async fn record_claim_decision(
        ctx: &Context,
        incident_id: ID,
        decision: super::incidents::ClaimDecisionGql,
        decided_on: chrono::NaiveDate,
        admitted_amount: Option<String>,
    ) -> Result<CaseNode, AppError> {
        let id = super::scalars::parse_id(&incident_id, "incident")?;
        case_action(ctx, move |conn, clock, actor| {
            crate::cases::incidents::record_claim_decision(
                conn,
                clock,
                actor,
                id,
                decision.into(),
                decided_on,
                admitted_amount.as_deref(),
            )
        })
        .await
    }

    /// The agency ends an incident: recovery resumes (its decision: a plan of continuation,
    /// the heirs known…), or the case closes as unrecoverable, or — a rétablissement
    /// personnel, once final — as `DEBT_ERASED`. Agents and admins.
    async fn end_debtor_incident(
        ctx: &Context,
        incident_id: ID,
        ended_on: chrono::NaiveDate,
        end: super::incidents::IncidentEndGql,
        note: Option<String>,
    ) -> Result<CaseNode, AppError> {
        let id = super::scalars::parse_id(&incident_id, "incident")?;
        case_action(ctx, move |conn, clock, actor| {
            crate::cases::incidents::end(
                conn,
                clock,
                actor,
                id,
                ended_on,
                end.into(),
                note.as_deref(),
            )
        })
        .await
    }

    /// Records the registered letter's delivery date.
    async fn record_formal_notice_delivery(
        ctx: &Context,
        case_id: ID,
        delivered_on: chrono::NaiveDate,
        expected_version: Option<i32>,
    ) -> Result<CaseNode, AppError> {
        let id = parse_case_id(&case_id)?;
        case_action(ctx, move |conn, clock, actor| {
            crate::recovery::notice::record_delivery(
                conn,
                clock,
                actor,
                id,
                delivered_on,
                expected_version,
            )
        })
        .await
    }

    /// Marks a task done (agent, admin).
    async fn complete_task(
        ctx: &Context,
        id: ID,
        note: Option<String>,
    ) -> Result<TaskNode, AppError> {
        let actor = ctx.actor()?;
        let id = crate::graphql::scalars::parse_id(&id, "task")?;
        let t = ctx
            .run(move |conn, state| {
                crate::recovery::queue::complete_task(
                    conn,
                    &state.clock,
                    &actor,
                    id,
                    note.as_deref(),
                )
            })
            .await?;
        Ok(TaskNode(t))
    }

    /// Retries, cancels, or marks as posted an outbox message (agent, admin).
    async fn decide_message(
        ctx: &Context,
        id: ID,
        decision: MessageDecisionGql,
        tracking_number: Option<String>,
    ) -> Result<MessageNode, AppError> {
        let actor = ctx.actor()?;
        let id = crate::graphql::scalars::parse_id(&id, "message")?;
        let m = ctx
            .run(move |conn, state| {
                crate::recovery::queue::decide_message(
                    conn,
                    &state.clock,
                    &actor,
                    id,
                    decision.into(),
                    tracking_number.as_deref(),
                )
            })
            .await?;
        Ok(MessageNode(m))
    }

    /// Prepares the remittance of the payments collected for a creditor up to a date (today
    /// by default): commission of each case's mandate, statement PDF, e-mail to the creditor
    /// (agent, admin).
    async fn prepare_remittance(
        ctx: &Context,
        creditor_id: ID,
        up_to: Option<chrono::NaiveDate>,
    ) -> Result<RemittanceNode, AppError> {
        let actor = ctx.actor()?;
        let creditor = id_field(&creditor_id, "creditorId", "not a creditor organisation")?;
        let v = ctx
            .run(move |conn, state| {
                crate::recovery::remittances::prepare(
                    conn,
                    &state.clock,
                    state.jobs.blobs.as_ref(),
                    &actor,
                    creditor,
                    up_to,
                )
            })
            .await?;
        Ok(RemittanceNode(v))
    }

    /// Records that a remittance's net amount was transferred to the creditor (agent, admin).
    async fn mark_remittance_paid(
        ctx: &Context,
        id: ID,
        paid_on: chrono::NaiveDate,
    ) -> Result<RemittanceNode, AppError> {
        let actor = ctx.actor()?;
        let id = crate::graphql::scalars::parse_id(&id, "remittance")?;
        let v = ctx
            .run(move |conn, state| {
                crate::recovery::remittances::mark_paid(conn, &state.clock, &actor, id, paid_on)
            })
            .await?;
        Ok(RemittanceNode(v))
    }

    /// Sets the order of a case's exhibit list: every current exhibit once (agent, admin, the
    /// case's lawyer).
    async fn reorder_exhibits(
        ctx: &Context,
        case_id: ID,
        piece_ids: Vec<ID>,
    ) -> Result<Vec<super::evidence::PieceNode>, AppError> {
        let actor = ctx.actor()?;
        let id = parse_case_id(&case_id)?;
        let ids = piece_ids
            .iter()
            .map(|p| id_field(p, "pieceIds", "not a piece of this case"))
            .collect::<Result<Vec<_>, _>>()?;
        let list = ctx
            .run(move |conn, state| {
                crate::evidence::reorder_exhibits(conn, &state.clock, &actor, id, &ids)
            })
            .await?;
        Ok(list
            .into_iter()
            .filter(|p| p.withdrawn_at.is_none())
            .map(super::evidence::PieceNode)
            .collect())
    }

    /// Withdraws a piece with a reason: it leaves the exhibit list and future dossiers and stays
    /// in the archive (agent, admin, the case's lawyer; a creditor for what it uploaded).
    async fn withdraw_piece(
        ctx: &Context,
        id: ID,
        reason: String,
    ) -> Result<super::evidence::PieceNode, AppError> {
        let actor = ctx.actor()?;
        let id = crate::graphql::scalars::parse_id(&id, "piece")?;
        let p = ctx
            .run(move |conn, state| {
                crate::evidence::withdraw_piece(conn, &state.clock, &actor, id, &reason)
            })
            .await?;
        Ok(super::evidence::PieceNode(p))
    }

    /// Runs the scheduler now: due playbook steps, promises, plans, deadlines, the outbox
    /// (admin; the background scheduler and `recouvra run-due` do the same).
    async fn run_due_steps(ctx: &Context) -> Result<RunSummaryNode, AppError> {
        let actor = ctx.actor()?;
        actor.require_admin()?;
        let s = ctx
            .run(move |_, state| crate::jobs::run_due(&state.pool, &state.clock, &state.jobs))
            .await?;
        Ok(s.into())
    }

    /// Signs in; returns a 15-minute access token and a refresh token.
    async fn login(
        ctx: &Context,
        email: String,
        password: String,
    ) -> Result<AuthPayload, AppError> {
        let ip = ctx.client_ip.clone();
        let s = ctx
            .run(move |conn, state| {
                crate::accounts::login(conn, state, &email, &password, ip.as_deref())
            })
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

    /// Changes the caller's own password (the current one is checked, and counted like a
    /// sign-in attempt). Also allowed, and required first, with a provisional password. The
    /// caller's other sign-ins end.
    async fn change_password(
        ctx: &Context,
        current_password: String,
        new_password: String,
    ) -> Result<UserNode, AppError> {
        let (actor, session) = ctx.holder()?;
        let ip = ctx.client_ip.clone();
        let user = ctx
            .run(move |conn, state| {
                crate::accounts::passwords::change_password(
                    conn,
                    state,
                    &actor,
                    Some(&session),
                    &current_password,
                    &new_password,
                    ip.as_deref(),
                )
            })
            .await?;
        Ok(UserNode(user))
    }

    /// Sends a forgotten-password link to `email` (valid one hour, once). Always `true`,
    /// whether or not an account has this address (that is not told); `LOCKED` when this
    /// client address asked too often.
    async fn request_password_reset(ctx: &Context, email: String) -> Result<bool, AppError> {
        let ip = ctx.client_ip.clone();
        let base = ctx.link_base.clone();
        ctx.run(move |conn, state| {
            crate::accounts::passwords::request_reset(
                conn,
                state,
                &email,
                base.as_deref(),
                ip.as_deref(),
            )
        })
        .await?;
        Ok(true)
    }

    /// Chooses a new password with the token of a forgotten-password link; every sign-in of
    /// the account ends. A used, expired or unknown token is `VALIDATION` on `token`.
    async fn reset_password(
        ctx: &Context,
        token: String,
        new_password: String,
    ) -> Result<bool, AppError> {
        let ip = ctx.client_ip.clone();
        ctx.run(move |conn, state| {
            crate::accounts::passwords::reset_password(
                conn,
                state,
                &token,
                &new_password,
                ip.as_deref(),
            )
        })
        .await?;
        Ok(true)
    }

    /// Gives an account a provisional password (admin; not one's own): generated and
    /// returned once when `password` is omitted. The account's sign-ins end, and its holder
    /// must change it at the next sign-in.
    async fn set_provisional_password(
        ctx: &Context,
        user_id: ID,
        password: Option<String>,
    ) -> Result<CreateUserPayload, AppError> {
        let actor = ctx.actor()?;
        let id = parse_id(&user_id, "user")?;
        let (user, generated_password) = ctx
            .run(move |conn, state| {
                crate::accounts::passwords::set_provisional(
                    conn,
                    state,
                    &actor,
                    id,
                    password.as_deref(),
                )
            })
            .await?;
        Ok(CreateUserPayload {
            user,
            generated_password,
        })
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

    /// Disables an account (`active: false`: its holder can no longer sign in or renew a
    /// session) or enables it again (admin; not one's own account). Recorded in the security
    /// log.
    async fn set_user_active(ctx: &Context, id: ID, active: bool) -> Result<UserNode, AppError> {
        let actor = ctx.actor()?;
        let id = parse_id(&id, "user")?;
        let user = ctx
            .run(move |conn, state| {
                crate::admin::set_user_active(conn, &state.clock, &actor, id, active)
            })
            .await?;
        Ok(UserNode(user))
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

    /// Corrects a half-year entered with a typing error (admins), with the reason: the rates
    /// are replaced, statements follow at once, and the correction (old and new rates, why)
    /// is an entry of the security log. A half-year not entered yet is added with
    /// `addInterestRate`.
    async fn correct_interest_rate(
        ctx: &Context,
        input: InterestRateInput,
        reason: String,
    ) -> Result<RateNode, AppError> {
        let actor = ctx.actor()?;
        let input = input.into_uc();
        let ip = ctx.client_ip.clone();
        let e = ctx
            .run(move |conn, state| {
                crate::claims::correct_rate(conn, &state.clock, &actor, &input, &reason, ip)
            })
            .await?;
        Ok(RateNode::from(e))
    }

    /// Imports a court directory (admins): the JSON file of `assets/courts/` (its format), checked
    /// whole, then in force for every proposal and confirmation of a court. A file above the
    /// 1 MiB request body (the shipped one, with every commune, is about 2.5 MB) is sent as it
    /// is to `POST /api/court-directory`.
    async fn import_court_directory(
        ctx: &Context,
        data: String,
    ) -> Result<super::courts::CourtDirectoryNode, AppError> {
        let actor = ctx.actor()?;
        let dir = ctx
            .run(move |conn, state| {
                crate::legal::courts::import(conn, &state.clock, Some(&actor), &data)?;
                crate::legal::courts::current(conn)
            })
            .await?;
        Ok(super::courts::CourtDirectoryNode::from(dir.as_ref()))
    }

    /// Imports BODACC announcements (admins): `content` is the JSON export of the DILA's
    /// « annonces-commerciales » open data. Each collective-proceeding or radiation
    /// announcement is stored once; those on the debtor of open cases raise a `bodacc_alert`
    /// task on each. A file above 1 MiB goes as it is to `POST /api/bodacc`.
    async fn import_bodacc(
        ctx: &Context,
        content: String,
    ) -> Result<super::incidents::BodaccImportNode, AppError> {
        let actor = ctx.actor()?;
        let summary = ctx
            .run(move |conn, state| {
                crate::legal::bodacc::import(conn, &state.clock, Some(&actor), &content)
            })
            .await?;
        Ok(summary.into())
    }

    /// The lawyer enters their firm, bar and address: the requête names them as its filer.
    async fn set_lawyer_profile(
        ctx: &Context,
        input: super::courts::LawyerProfileInput,
    ) -> Result<super::courts::LawyerProfileNode, AppError> {
        let actor = ctx.actor()?;
        let input = input.into_uc();
        let profile = ctx
            .run(move |conn, state| crate::legal::profile::set(conn, &state.clock, &actor, &input))
            .await?;
        Ok(super::courts::LawyerProfileNode::from(profile))
    }

    /// The lawyer publishes their agenda as a calendar feed (iCalendar, all-day events): the
    /// feed's URL, given this once (only its token's hash is kept). Any earlier feed of theirs
    /// stops working. Without `RECOUVRA_PUBLIC_URL` (and off a loopback host) the URL is the
    /// path alone, to put after the server's address.
    async fn create_agenda_feed(ctx: &Context) -> Result<String, AppError> {
        let actor = ctx.actor()?;
        let token = ctx
            .run(move |conn, state| crate::legal::feed::create(conn, &state.clock, &actor))
            .await?;
        Ok(format!(
            "{}{}",
            ctx.link_base.as_deref().unwrap_or(""),
            crate::legal::feed::path(&token)
        ))
    }

    /// The lawyer revokes their agenda feed: its URL answers 404 from now on. Whether one was
    /// live.
    async fn revoke_agenda_feed(ctx: &Context) -> Result<bool, AppError> {
        let actor = ctx.actor()?;
        ctx.run(move |conn, state| crate::legal::feed::revoke(conn, &state.clock, &actor))
            .await
    }

    /// Issues a new debtor's link for the case (agent, admin), revoking its other links (every
    /// letter carries one already): its URL, shown once — only its hash is kept.
    async fn issue_debtor_link(ctx: &Context, case_id: ID) -> Result<String, AppError> {
        let actor = ctx.actor()?;
        let id = parse_id(&case_id, "case")?;
        let renewed = ctx
            .run(move |conn, state| crate::debtor::renew(conn, &state.clock, &actor, id, true))
            .await?;
        let token = renewed
            .token
            .ok_or_else(|| AppError::internal("no link issued"))?;
        Ok(format!(
            "{}{}",
            ctx.link_base.as_deref().unwrap_or(""),
            crate::debtor::path(&token)
        ))
    }

    /// Revokes every debtor's link of the case (agent, admin): how many were live.
    async fn revoke_debtor_links(ctx: &Context, case_id: ID) -> Result<i32, AppError> {
        let actor = ctx.actor()?;
        let id = parse_id(&case_id, "case")?;
        let renewed = ctx
            .run(move |conn, state| crate::debtor::renew(conn, &state.clock, &actor, id, false))
            .await?;
        Ok(i32::try_from(renewed.revoked).unwrap_or(i32::MAX))
    }

    /// Opens a case: a creditor for its organisation, an agent on behalf of one.
    async fn open_case(ctx: &Context, input: OpenCaseInput) -> Result<CaseNode, AppError> {
        let input = input.into_uc()?;
        case_action(ctx, move |conn, clock, actor| {
            crate::cases::intake::open_case(conn, clock, actor, &input)
        })
        .await
    }

    /// Imports cases from a CSV file (format: docs/IMPORT.md): each case is opened like
    /// `openCase` or refused with its reasons, row by row; a file that cannot be read is
    /// refused as a whole. A creditor imports for itself; an agent or admin names `creditorId`.
    async fn import_cases(
        ctx: &Context,
        csv: String,
        creditor_id: Option<ID>,
    ) -> Result<super::import::ImportReportNode, AppError> {
        super::import::import_cases(ctx, csv, creditor_id).await
    }

    /// Imports a statement of the agency's dedicated account (agent, admin): `content` is the
    /// file's text (camt.053 XML, or CSV read through `mapping`; `iban` names a CSV's account,
    /// by default the agency's). Each booked entry is stored once ever; a credit naming a
    /// case's reference is recorded as its payment, one whose amount is a debtor's balance is
    /// proposed, the others wait in `reconciliationQueue`. A malformed file is refused whole
    /// (`VALIDATION` on `file`, naming the line).
    async fn import_bank_statement(
        ctx: &Context,
        content: String,
        format: Option<super::bank::BankFormatGql>,
        mapping: Option<super::bank::BankCsvMappingInput>,
        iban: Option<String>,
    ) -> Result<super::bank::BankImportNode, AppError> {
        let actor = ctx.actor()?;
        let input = crate::recovery::bank::ImportInput {
            content: content.into_bytes(),
            format: format.unwrap_or(super::bank::BankFormatGql::Camt053).into(),
            mapping: mapping.map(|m| m.into_mapping()),
            iban,
        };
        let report = ctx
            .run(move |conn, state| {
                crate::recovery::bank::import(
                    conn,
                    &state.clock,
                    state.jobs.blobs.as_ref(),
                    &actor,
                    &input,
                )
            })
            .await?;
        Ok(report.into())
    }

    /// Confirms a proposed bank entry (agent, admin): recorded as the proposed case's payment.
    async fn confirm_bank_entry(
        ctx: &Context,
        id: ID,
    ) -> Result<super::bank::BankEntryNode, AppError> {
        let actor = ctx.actor()?;
        let id = parse_id(&id, "bank entry")?;
        let item = ctx
            .run(move |conn, state| {
                crate::recovery::bank::confirm(
                    conn,
                    &state.clock,
                    state.jobs.blobs.as_ref(),
                    &actor,
                    id,
                )
            })
            .await?;
        Ok(item.into())
    }

    /// Assigns an unmatched or proposed bank entry to a case by hand (agent, admin): recorded
    /// as that case's payment.
    async fn assign_bank_entry(
        ctx: &Context,
        id: ID,
        case_id: ID,
    ) -> Result<super::bank::BankEntryNode, AppError> {
        let actor = ctx.actor()?;
        let id = parse_id(&id, "bank entry")?;
        let case_id = parse_case_id(&case_id)?;
        let item = ctx
            .run(move |conn, state| {
                crate::recovery::bank::assign(
                    conn,
                    &state.clock,
                    state.jobs.blobs.as_ref(),
                    &actor,
                    id,
                    case_id,
                )
            })
            .await?;
        Ok(item.into())
    }

    /// Sets an unmatched or proposed bank entry aside, saying why (agent, admin).
    async fn ignore_bank_entry(
        ctx: &Context,
        id: ID,
        reason: String,
    ) -> Result<super::bank::BankEntryNode, AppError> {
        let actor = ctx.actor()?;
        let id = parse_id(&id, "bank entry")?;
        let item = ctx
            .run(move |conn, state| {
                crate::recovery::bank::ignore(conn, &state.clock, &actor, id, &reason)
            })
            .await?;
        Ok(item.into())
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
                let (payment, case) = crate::recovery::payments::record_payment(
                    conn,
                    &state.clock,
                    state.jobs.blobs.as_ref(),
                    &actor,
                    &input,
                )?;
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
