//! Read operations.

use juniper::{graphql_object, ID};

use super::claims::{RateNode, StatementNode};
use super::inputs::{encode_cursor, page_args, parse_case_id, CaseFilterInput};
use super::nodes::*;
use super::scalars::{OrgKindGql, RoleGql};
use super::Context;
use crate::error::AppError;

pub struct Query;

#[graphql_object(context = Context, scalar = juniper::DefaultScalarValue)]
impl Query {
    /// The signed-in user.
    async fn me(ctx: &Context) -> Result<UserNode, AppError> {
        let actor = ctx.actor()?;
        let user = ctx
            .run(move |conn, _| crate::accounts::me(conn, &actor))
            .await?;
        Ok(UserNode(user))
    }

    /// One case. A case the caller may not see is `NOT_FOUND`, like a missing one.
    async fn case(ctx: &Context, id: ID) -> Result<CaseNode, AppError> {
        let actor = ctx.actor()?;
        let id = parse_case_id(&id)?;
        let view = ctx
            .run(move |conn, _| crate::cases::views::get(conn, &actor, id))
            .await?;
        Ok(CaseNode(view))
    }

    /// The cases the caller may see, newest first.
    async fn cases(
        ctx: &Context,
        executor: &juniper::Executor<'_, '_, Context>,
        filter: Option<CaseFilterInput>,
        #[graphql(default = 20)] first: Option<i32>,
        after: Option<String>,
    ) -> Result<CaseConnection, AppError> {
        let actor = ctx.actor()?;
        let (limit, before) = page_args(first, after, "case")?;
        let filter = filter.unwrap_or_default().into_store()?;
        // Counting every match is the costly part of a page over a large portfolio: done
        // only when the query asks for `totalCount`.
        let count = if executor
            .look_ahead()
            .children()
            .iter()
            .any(|c| c.field_original_name() == "totalCount")
        {
            crate::store::cases::Count::Exact
        } else {
            crate::store::cases::Count::No
        };
        let page = ctx
            .run(move |conn, _| {
                crate::cases::views::list(conn, &actor, &filter, before, limit, count)
            })
            .await?;
        Ok(CaseConnection {
            edges: page
                .items
                .into_iter()
                .map(|v| CaseEdge {
                    cursor: encode_cursor("case", v.case.id),
                    node: CaseNode(v),
                })
                .collect(),
            has_next: page.has_next,
            total: page.total,
        })
    }

    /// A case's audit trail, verified in full (agents, admins, the case's lawyer; a creditor
    /// reads the case's `timeline`). `first` events after `afterSeq`, oldest first.
    async fn audit_trail(
        ctx: &Context,
        case_id: ID,
        #[graphql(default = 100)] first: Option<i32>,
        after_seq: Option<i32>,
    ) -> Result<super::audit::AuditTrailNode, AppError> {
        let actor = ctx.actor()?;
        let id = parse_case_id(&case_id)?;
        let first = first.unwrap_or(100);
        if !(1..=super::MAX_PAGE).contains(&first) {
            return Err(AppError::validation(
                "first",
                format!("between 1 and {}", super::MAX_PAGE),
            ));
        }
        let after = i64::from(after_seq.unwrap_or(0).max(0));
        let limit = usize::try_from(first).unwrap_or(100);
        let trail = ctx
            .run(move |conn, _| crate::cases::audit::case_trail(conn, &actor, id, after, limit))
            .await?;
        Ok(super::audit::AuditTrailNode(trail))
    }

    /// The security log, newest first (admins): sign-ins, failures, lock-outs, refused
    /// operations, downloads.
    async fn security_log(
        ctx: &Context,
        kind: Option<super::audit::SecurityKindGql>,
        user_id: Option<ID>,
        #[graphql(default = 50)] first: Option<i32>,
        after: Option<String>,
    ) -> Result<super::audit::SecurityEventConnection, AppError> {
        let actor = ctx.actor()?;
        let (limit, before) = page_args(first, after, "security")?;
        let filter = crate::security::Filter {
            kind: kind.map(Into::into),
            user_id: user_id
                .map(|u| super::scalars::parse_id(&u, "user"))
                .transpose()?,
        };
        if actor.require_admin().is_ok() {
            // Refusals are written after their requests (`refusals`): the admin sees those of
            // the requests already answered. Waited for before a connection is taken, since
            // the writer needs one too.
            let recorder = ctx.state.refusals.clone();
            let _ =
                actix_web::web::block(move || recorder.settle(std::time::Duration::from_secs(2)))
                    .await;
        }
        let page = ctx
            .run(move |conn, _| crate::security::page(conn, &actor, &filter, before, limit))
            .await?;
        Ok(super::audit::SecurityEventConnection {
            edges: page
                .items
                .into_iter()
                .map(|e| super::audit::SecurityEventEdge {
                    cursor: encode_cursor("security", e.seq),
                    node: super::audit::SecurityEventNode(e),
                })
                .collect(),
            has_next: page.has_next,
            total: page.total,
        })
    }

    /// Whether an injunction of payment can be sought for a case, condition by condition,
    /// with the court proposed, its fees and the other routes (agency staff, the case's
    /// lawyer).
    async fn eligibility(
        ctx: &Context,
        case_id: ID,
    ) -> Result<super::legal::EligibilityNode, AppError> {
        let actor = ctx.actor()?;
        let id = parse_case_id(&case_id)?;
        let report = ctx
            .run(move |conn, state| {
                crate::legal::eligibility::report(conn, &state.clock, &actor, id)
            })
            .await?;
        Ok(super::legal::EligibilityNode(report))
    }

    /// The procedure's deadlines falling within `withinDays` (and those missed) on the
    /// caller's open cases — a lawyer's own, every case for the agency — earliest first.
    async fn legal_agenda(
        ctx: &Context,
        #[graphql(default = 60)] within_days: Option<i32>,
        #[graphql(default = 50)] first: Option<i32>,
    ) -> Result<Vec<super::legal::AgendaNode>, AppError> {
        let actor = ctx.actor()?;
        let within = i64::from(within_days.unwrap_or(60));
        if !(0..=3660).contains(&within) {
            return Err(AppError::validation("withinDays", "between 0 and 3660"));
        }
        let first = first.unwrap_or(50);
        if !(1..=super::MAX_PAGE).contains(&first) {
            return Err(AppError::validation(
                "first",
                format!("between 1 and {}", super::MAX_PAGE),
            ));
        }
        let limit = usize::try_from(first).unwrap_or(50);
        let list = ctx
            .run(move |conn, state| {
                crate::legal::views::agenda(conn, &state.clock, &actor, within, limit)
            })
            .await?;
        Ok(list.into_iter().map(super::legal::AgendaNode).collect())
    }

    /// A creditor's dashboard for a period (a creditor: its own; the agency: the creditor
    /// named).
    async fn dashboard(
        ctx: &Context,
        creditor_id: Option<ID>,
        from: chrono::NaiveDate,
        to: chrono::NaiveDate,
    ) -> Result<super::dashboard::DashboardNode, AppError> {
        let actor = ctx.actor()?;
        let creditor = creditor_id
            .map(|c| super::scalars::id_field(&c, "creditorId", "unknown creditor"))
            .transpose()?;
        let d = ctx
            .run(move |conn, _| {
                crate::cases::dashboard::of_creditor(conn, &actor, creditor, from, to)
            })
            .await?;
        Ok(super::dashboard::DashboardNode(d))
    }

    /// What the debtor of a case owes as of a date (today by default).
    async fn statement(
        ctx: &Context,
        case_id: ID,
        as_of: Option<chrono::NaiveDate>,
    ) -> Result<StatementNode, AppError> {
        let actor = ctx.actor()?;
        let id = parse_case_id(&case_id)?;
        let (st, kind) = ctx
            .run(move |conn, state| crate::claims::statement(conn, &state.clock, &actor, id, as_of))
            .await?;
        Ok(StatementNode::new(st, kind))
    }

    /// The interest rates entered, by half-year, oldest first.
    /// The agent's work queue: cases waiting for intake and cases with open tasks, assigned
    /// to the caller or to nobody, highest priority first (agent, admin).
    async fn my_queue(
        ctx: &Context,
        first: Option<i32>,
        offset: Option<i32>,
    ) -> Result<Vec<super::recovery::QueueItemNode>, AppError> {
        let actor = ctx.actor()?;
        let first = first.unwrap_or(50);
        if !(1..=200).contains(&first) {
            return Err(AppError::validation("first", "between 1 and 200"));
        }
        let offset = usize::try_from(offset.unwrap_or(0))
            .map_err(|_| AppError::validation("offset", "cannot be negative"))?;
        let items = ctx
            .run(move |conn, state| crate::recovery::queue::my_queue(conn, &state.clock, &actor))
            .await?;
        Ok(items
            .into_iter()
            .skip(offset)
            .take(first as usize)
            .map(super::recovery::QueueItemNode)
            .collect())
    }

    /// Messages needing an agent: failed, uncertain, letters to post (agent, admin).
    async fn outbox_attention(
        ctx: &Context,
    ) -> Result<Vec<super::recovery::MessageNode>, AppError> {
        let actor = ctx.actor()?;
        let list = ctx
            .run(move |conn, _| crate::recovery::queue::attention(conn, &actor))
            .await?;
        Ok(list.into_iter().map(super::recovery::MessageNode).collect())
    }

    /// The agency's settings (agent, admin).
    async fn agency_settings(ctx: &Context) -> Result<super::recovery::SettingsNode, AppError> {
        let actor = ctx.actor()?;
        let s = ctx
            .run(move |conn, _| crate::recovery::settings::get(conn, &actor))
            .await?;
        Ok(s.into())
    }

    /// Playbooks with their steps (agent, admin).
    async fn playbooks(ctx: &Context) -> Result<Vec<super::recovery::PlaybookNode>, AppError> {
        let actor = ctx.actor()?;
        let list = ctx
            .run(move |conn, _| crate::recovery::playbooks::list(conn, &actor))
            .await?;
        list.into_iter()
            .map(|(b, s)| super::recovery::PlaybookNode::of(b, s))
            .collect()
    }

    /// Remittances, newest first: a creditor sees its own; agents and admins all, or one
    /// creditor's.
    async fn remittances(
        ctx: &Context,
        creditor_id: Option<ID>,
        status: Option<super::recovery::RemittanceStatusGql>,
        #[graphql(default = 20)] first: Option<i32>,
        after: Option<String>,
    ) -> Result<RemittanceConnection, AppError> {
        let actor = ctx.actor()?;
        let (limit, before) = page_args(first, after, "remittance")?;
        let creditor = creditor_id
            .map(|c| super::scalars::id_field(&c, "creditorId", "unknown creditor"))
            .transpose()?;
        let page = ctx
            .run(move |conn, _| {
                crate::recovery::remittances::list(
                    conn,
                    &actor,
                    creditor,
                    status.map(|s| s.as_str()),
                    before,
                    limit,
                )
            })
            .await?;
        Ok(RemittanceConnection {
            edges: page
                .items
                .into_iter()
                .map(|v| RemittanceEdge {
                    cursor: encode_cursor("remittance", v.remittance.id),
                    node: super::recovery::RemittanceNode(v),
                })
                .collect(),
            has_next: page.has_next,
            total: page.total,
        })
    }

    /// Money collected and not yet remitted, per creditor, oldest due first (agent, admin).
    async fn held_funds(ctx: &Context) -> Result<Vec<super::recovery::HeldNode>, AppError> {
        let actor = ctx.actor()?;
        let today = ctx.state.clock.today();
        let list = ctx
            .run(move |conn, _| crate::recovery::remittances::held(conn, &actor))
            .await?;
        Ok(list
            .into_iter()
            .map(|h| super::recovery::HeldNode::new(h, today))
            .collect())
    }

    /// The reconciliation queue of the dedicated account (agent, admin): credits proposed for
    /// a case or matching none, oldest first.
    async fn reconciliation_queue(
        ctx: &Context,
        #[graphql(default = 100)] first: Option<i32>,
    ) -> Result<Vec<super::bank::BankEntryNode>, AppError> {
        let first = first.unwrap_or(100);
        let actor = ctx.actor()?;
        let list = ctx
            .run(move |conn, _| {
                crate::recovery::bank::queue(
                    conn,
                    &actor,
                    i64::from(first.clamp(1, super::MAX_PAGE)),
                )
            })
            .await?;
        Ok(list.into_iter().map(Into::into).collect())
    }

    /// The dedicated account's balance on its latest statement against the funds the agency
    /// holds and has prepared to remit (agent, admin), and the difference.
    async fn bank_account_balance(ctx: &Context) -> Result<super::bank::BankBalanceNode, AppError> {
        let actor = ctx.actor()?;
        let b = ctx
            .run(move |conn, _| crate::recovery::bank::balance(conn, &actor))
            .await?;
        Ok(b.into())
    }

    /// The latest statements imported (agent, admin), newest first.
    async fn bank_statements(
        ctx: &Context,
        #[graphql(default = 20)] first: Option<i32>,
    ) -> Result<Vec<super::bank::BankStatementNode>, AppError> {
        let first = first.unwrap_or(20);
        let actor = ctx.actor()?;
        let list = ctx
            .run(move |conn, _| {
                crate::recovery::bank::statements(
                    conn,
                    &actor,
                    i64::from(first.clamp(1, super::MAX_PAGE)),
                )
            })
            .await?;
        Ok(list.into_iter().map(Into::into).collect())
    }

    /// The half-years whose rates must be entered now, from 15 days before each starts
    /// (agency staff: admin, agent, lawyer). Empty when the table is up to date.
    async fn missing_interest_rates(
        ctx: &Context,
    ) -> Result<Vec<super::claims::MissingRatesNode>, AppError> {
        let actor = ctx.actor()?;
        let list = ctx
            .run(move |conn, state| crate::claims::awaited_rates(conn, &state.clock, &actor))
            .await?;
        Ok(list
            .into_iter()
            .map(|h| super::claims::MissingRatesNode {
                half_year: h.label(),
                starts_on: h.first_day().unwrap_or(chrono::NaiveDate::MAX),
            })
            .collect())
    }

    /// The directory of courts in force, which the competent court is found in (CPC 1406)
    /// and the lawyer chooses from (agency staff and lawyers).
    async fn court_directory(ctx: &Context) -> Result<super::courts::CourtDirectoryNode, AppError> {
        let actor = ctx.actor()?;
        let dir = ctx
            .run(move |conn, _| {
                crate::legal::require_legal_reader(&actor)?;
                crate::legal::courts::current(conn)
            })
            .await?;
        Ok(super::courts::CourtDirectoryNode::from(dir.as_ref()))
    }

    /// The caller's own profile: the firm the requête names as its filer (lawyers).
    async fn my_lawyer_profile(
        ctx: &Context,
    ) -> Result<Option<super::courts::LawyerProfileNode>, AppError> {
        let actor = ctx.actor()?;
        let profile = ctx
            .run(move |conn, _| crate::legal::profile::mine(conn, &actor))
            .await?;
        Ok(profile.map(super::courts::LawyerProfileNode::from))
    }

    async fn interest_rates(ctx: &Context) -> Result<Vec<RateNode>, AppError> {
        let actor = ctx.actor()?;
        let list = ctx
            .run(move |conn, _| crate::claims::list_rates(conn, &actor))
            .await?;
        Ok(list.into_iter().map(RateNode::from).collect())
    }

    /// Organisations (admin).
    async fn organisations(
        ctx: &Context,
        kind: Option<OrgKindGql>,
        #[graphql(default = 20)] first: Option<i32>,
        after: Option<String>,
    ) -> Result<OrganisationConnection, AppError> {
        let actor = ctx.actor()?;
        let (limit, after) = page_args(first, after, "organisation")?;
        let kind = kind.map(Into::into);
        let page = ctx
            .run(move |conn, _| crate::admin::list_organisations(conn, &actor, kind, after, limit))
            .await?;
        Ok(OrganisationConnection {
            edges: page
                .items
                .into_iter()
                .map(|o| OrganisationEdge {
                    cursor: encode_cursor("organisation", o.id),
                    node: OrganisationNode(o),
                })
                .collect(),
            has_next: page.has_next,
            total: page.total,
        })
    }

    /// User accounts (admin), optionally of one role and of one organisation.
    async fn users(
        ctx: &Context,
        role: Option<RoleGql>,
        organisation_id: Option<ID>,
        #[graphql(default = 20)] first: Option<i32>,
        after: Option<String>,
    ) -> Result<UserConnection, AppError> {
        let actor = ctx.actor()?;
        let (limit, after) = page_args(first, after, "user")?;
        let filter = crate::admin::UserFilter {
            role: role.map(Into::into),
            organisation_id: organisation_id
                .map(|o| super::scalars::id_field(&o, "organisationId", "unknown organisation"))
                .transpose()?,
        };
        let page = ctx
            .run(move |conn, _| crate::admin::list_users(conn, &actor, &filter, after, limit))
            .await?;
        Ok(UserConnection {
            edges: page
                .items
                .into_iter()
                .map(|u| UserEdge {
                    cursor: encode_cursor("user", u.id),
                    node: UserNode(u),
                })
                .collect(),
            has_next: page.has_next,
            total: page.total,
        })
    }
}
