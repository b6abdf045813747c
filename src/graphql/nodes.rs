//! Output types. Each wraps what a use case returned; fields needing more data call a use case.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use juniper::{graphql_object, GraphQLObject, ID};

use super::scalars::{
    id_of, CaseStateGql, DebtorKindGql, DecimalText, OrgKindGql, OutcomeGql, PaymentMethodGql,
    RoleGql,
};
use super::Context;
use crate::cases::{views::TimelineEntry, CaseView};
use crate::domain::money;
use crate::domain::parties::{DebtorKind, OrgKind, Role};
use crate::domain::payment::PaymentMethod;
use crate::domain::workflow::{CaseState, Outcome};
use crate::error::AppError;
use crate::store::{mandates::Mandate, orgs::Organisation, users::User};

fn utc(t: NaiveDateTime) -> DateTime<Utc> {
    t.and_utc()
}

/// A postal address.
#[derive(GraphQLObject)]
pub struct Address {
    pub line1: String,
    pub line2: Option<String>,
    pub postal_code: String,
    pub city: String,
    /// ISO 3166 alpha-2 code.
    pub country: String,
}

impl Address {
    fn new(
        line1: &str,
        line2: &Option<String>,
        postal_code: &str,
        city: &str,
        country: &str,
    ) -> Self {
        Address {
            line1: line1.to_string(),
            line2: line2.clone(),
            postal_code: postal_code.to_string(),
            city: city.to_string(),
            country: country.to_string(),
        }
    }
}

/// A user account.
pub struct UserNode(pub User);

#[graphql_object(name = "User", context = Context)]
impl UserNode {
    fn id(&self) -> ID {
        id_of(self.0.id)
    }
    fn email(&self) -> &str {
        &self.0.email
    }
    fn display_name(&self) -> &str {
        &self.0.display_name
    }
    fn role(&self) -> Result<RoleGql, AppError> {
        Role::parse(&self.0.role)
            .map(Into::into)
            .map_err(AppError::internal)
    }
    fn active(&self) -> bool {
        self.0.active
    }
    /// The organisation the user belongs to (a creditor user's company).
    fn organisation_id(&self) -> Option<ID> {
        self.0.organisation_id.map(id_of)
    }
    /// The password is provisional: until `changePassword`, every other operation is
    /// refused with `PASSWORD_CHANGE_REQUIRED`.
    fn must_change_password(&self) -> bool {
        self.0.must_change_password
    }
}

/// The agency or a creditor client.
pub struct OrganisationNode(pub Organisation);

#[graphql_object(name = "Organisation", context = Context)]
impl OrganisationNode {
    fn id(&self) -> ID {
        id_of(self.0.id)
    }
    fn kind(&self) -> Result<OrgKindGql, AppError> {
        OrgKind::parse(&self.0.kind)
            .map(Into::into)
            .map_err(AppError::internal)
    }
    fn name(&self) -> &str {
        &self.0.name
    }
    fn legal_form(&self) -> &str {
        &self.0.legal_form
    }
    fn siren(&self) -> &str {
        &self.0.siren
    }
    fn address(&self) -> Address {
        let o = &self.0;
        Address::new(
            &o.address_line1,
            &o.address_line2,
            &o.postal_code,
            &o.city,
            &o.country,
        )
    }
    /// The creditor's mandates (admins, and the creditor's own users).
    async fn mandates(&self, ctx: &Context) -> Result<Vec<MandateNode>, AppError> {
        let actor = ctx.actor()?;
        let org_id = self.0.id;
        let list = ctx
            .run(move |conn, _| crate::admin::mandates_of(conn, &actor, org_id))
            .await?;
        Ok(list.into_iter().map(MandateNode).collect())
    }
}

/// A creditor's written mandate to the agency (CPCE R124-3).
pub struct MandateNode(pub Mandate);

#[graphql_object(name = "Mandate", context = Context)]
impl MandateNode {
    fn id(&self) -> ID {
        id_of(self.0.id)
    }
    fn organisation_id(&self) -> ID {
        id_of(self.0.creditor_org_id)
    }
    fn signed_on(&self) -> NaiveDate {
        self.0.signed_on
    }
    fn ends_on(&self) -> Option<NaiveDate> {
        self.0.ends_on
    }
    /// The agency's commission in basis points (1250 = 12.50 %).
    fn commission_bps(&self) -> i32 {
        self.0.commission_bps
    }
    /// The special power to declare the creditor's claims in a collective proceeding.
    fn declares_claims(&self) -> bool {
        self.0.declares_claims
    }
    fn terms(&self) -> &str {
        &self.0.terms
    }
}

/// The person or company that owes the money.
pub struct DebtorNode(pub crate::store::cases::Debtor);

#[graphql_object(name = "Debtor", context = Context)]
impl DebtorNode {
    fn id(&self) -> ID {
        id_of(self.0.id)
    }
    fn kind(&self) -> Result<DebtorKindGql, AppError> {
        DebtorKind::parse(&self.0.kind)
            .map(Into::into)
            .map_err(AppError::internal)
    }
    /// Company name, or surname of an individual.
    fn name(&self) -> &str {
        &self.0.name
    }
    fn first_name(&self) -> Option<&str> {
        self.0.first_name.as_deref()
    }
    fn legal_form(&self) -> Option<&str> {
        self.0.legal_form.as_deref()
    }
    fn siren(&self) -> Option<&str> {
        self.0.siren.as_deref()
    }
    fn address(&self) -> Address {
        let o = &self.0;
        Address::new(
            &o.address_line1,
            &o.address_line2,
            &o.postal_code,
            &o.city,
            &o.country,
        )
    }
    fn email(&self) -> Option<&str> {
        self.0.email.as_deref()
    }
    fn phone(&self) -> Option<&str> {
        self.0.phone.as_deref()
    }
    /// Whether the debtor acts as a consumer (B2C rules apply).
    fn is_consumer(&self) -> bool {
        self.0.is_consumer
    }
}

/// An unpaid invoice of a case.
pub struct InvoiceNode(pub crate::store::cases::Invoice);

#[graphql_object(name = "Invoice", context = Context)]
impl InvoiceNode {
    fn id(&self) -> ID {
        id_of(self.0.id)
    }
    fn number(&self) -> &str {
        &self.0.number
    }
    fn issue_date(&self) -> NaiveDate {
        self.0.issue_date
    }
    fn due_date(&self) -> NaiveDate {
        self.0.due_date
    }
    /// Amount including VAT.
    fn amount(&self) -> DecimalText {
        money::from_cents(self.0.amount_cents).into()
    }
    /// Paid before the case was opened.
    fn already_paid(&self) -> DecimalText {
        money::from_cents(self.0.paid_cents).into()
    }
    fn outstanding(&self) -> DecimalText {
        money::from_cents(self.0.amount_cents - self.0.paid_cents).into()
    }
}

/// The figures of a case.
#[derive(GraphQLObject)]
#[graphql(name = "CaseTotals")]
pub struct CaseTotalsNode {
    /// ISO 4217 currency of every amount (always EUR).
    pub currency: String,
    /// The invoices' amounts.
    pub principal_claimed: DecimalText,
    /// What the creditor said was paid before intake.
    pub already_paid: DecimalText,
    /// The principal still due: the invoices, less what was paid before intake, less what
    /// the payments received since were imputed to principal (after the indemnity and the
    /// interest, C. civ. 1343-1) — the statement's `principalOutstanding`.
    pub outstanding: DecimalText,
}

/// One entry of a case's timeline (and link of its hash chain).
pub struct EventNode(pub TimelineEntry);

#[graphql_object(name = "CaseEvent", context = Context)]
impl EventNode {
    fn seq(&self) -> i32 {
        i32::try_from(self.0.event.seq).unwrap_or(i32::MAX)
    }
    fn at(&self) -> DateTime<Utc> {
        utc(self.0.event.occurred_at)
    }
    /// What happened, e.g. `case_opened`, `case_accepted`.
    fn kind(&self) -> &str {
        &self.0.event.kind
    }
    fn actor_name(&self) -> Option<&str> {
        self.0.actor_name.as_deref()
    }
    /// Details of the event, as a JSON object.
    fn payload(&self) -> &str {
        &self.0.event.payload
    }
    /// SHA-256 of the previous hash and this event.
    fn hash(&self) -> &str {
        &self.0.event.hash
    }
    /// The previous event's hash (64 zeros for the first event).
    fn prev_hash(&self) -> &str {
        &self.0.event.prev_hash
    }
}

/// A collection case.
pub struct CaseNode(pub CaseView);

#[graphql_object(name = "Case", context = Context)]
impl CaseNode {
    fn id(&self) -> ID {
        id_of(self.0.case.id)
    }
    /// `REC-YYYY-NNNNNN`.
    fn reference(&self) -> &str {
        &self.0.case.reference
    }
    fn state(&self) -> Result<CaseStateGql, AppError> {
        CaseState::parse(&self.0.case.state)
            .map(Into::into)
            .map_err(AppError::internal)
    }
    fn outcome(&self) -> Result<Option<OutcomeGql>, AppError> {
        self.0
            .case
            .outcome
            .as_deref()
            .map(|o| {
                Outcome::parse(o)
                    .map(Into::into)
                    .map_err(AppError::internal)
            })
            .transpose()
    }
    fn creditor(&self) -> OrganisationNode {
        OrganisationNode(self.0.creditor.clone())
    }
    fn debtor(&self) -> DebtorNode {
        DebtorNode(self.0.debtor.clone())
    }
    /// Oldest due date first.
    fn invoices(&self) -> Vec<InvoiceNode> {
        self.0.invoices.iter().cloned().map(InvoiceNode).collect()
    }
    fn totals(&self) -> CaseTotalsNode {
        let t = self.0.totals();
        CaseTotalsNode {
            currency: "EUR".into(),
            principal_claimed: t.principal_claimed.into(),
            already_paid: t.already_paid.into(),
            outstanding: t.outstanding.into(),
        }
    }
    fn assigned_agent(&self) -> Option<UserNode> {
        self.0.agent.clone().map(UserNode)
    }
    fn assigned_lawyer(&self) -> Option<UserNode> {
        self.0.lawyer.clone().map(UserNode)
    }
    /// The contractual late-payment rate, in percent per year, if the case has one.
    fn contractual_rate(&self) -> Option<DecimalText> {
        self.0
            .case
            .contractual_rate_bps
            .map(|b| rust_decimal::Decimal::new(i64::from(b), 2).into())
    }
    fn note(&self) -> &str {
        &self.0.case.note
    }
    /// Why the case was rejected or withdrawn.
    fn status_reason(&self) -> Option<&str> {
        self.0.case.status_reason.as_deref()
    }
    fn opened_at(&self) -> DateTime<Utc> {
        utc(self.0.case.opened_at)
    }
    fn accepted_at(&self) -> Option<DateTime<Utc>> {
        self.0.case.accepted_at.map(utc)
    }
    fn closed_at(&self) -> Option<DateTime<Utc>> {
        self.0.case.closed_at.map(utc)
    }
    /// Increases at every change; pass it as `expectedVersion` to refuse acting on a stale view.
    fn version(&self) -> i32 {
        self.0.case.version
    }
    /// Payments received from the debtor, in the order received.
    async fn payments(&self, ctx: &Context) -> Result<Vec<PaymentNode>, AppError> {
        let actor = ctx.actor()?;
        let id = self.0.case.id;
        let list = ctx
            .run(move |conn, _| crate::recovery::payments::list(conn, &actor, id))
            .await?;
        Ok(list.into_iter().map(PaymentNode).collect())
    }
    /// The case's evidence: its exhibits in order, then (with `includeWithdrawn`) the pieces
    /// withdrawn from the list, which stay in the archive.
    async fn pieces(
        &self,
        ctx: &Context,
        include_withdrawn: Option<bool>,
    ) -> Result<Vec<super::evidence::PieceNode>, AppError> {
        let actor = ctx.actor()?;
        let id = self.0.case.id;
        let list = ctx
            .run(move |conn, _| crate::evidence::pieces_of(conn, &actor, id))
            .await?;
        let all = include_withdrawn.unwrap_or(false);
        Ok(list
            .into_iter()
            .filter(|p| all || p.withdrawn_at.is_none())
            .map(super::evidence::PieceNode)
            .collect())
    }
    /// The files the debtor sent from their page (with a dispute, or as proof of a payment),
    /// oldest first.
    async fn debtor_pieces(
        &self,
        ctx: &Context,
    ) -> Result<Vec<super::evidence::DebtorPieceNode>, AppError> {
        let actor = ctx.actor()?;
        let id = self.0.case.id;
        let list = ctx
            .run(move |conn, _| crate::debtor::pieces::of_case(conn, &actor, id))
            .await?;
        Ok(list
            .into_iter()
            .map(super::evidence::DebtorPieceNode)
            .collect())
    }
    /// Open and closed tasks of the case (the agency's internal work: not for the creditor).
    async fn tasks(&self, ctx: &Context) -> Result<Vec<super::recovery::TaskNode>, AppError> {
        let actor = ctx.actor()?;
        let id = self.0.case.id;
        let list = ctx
            .run(move |conn, _| crate::recovery::queue::tasks_of(conn, &actor, id))
            .await?;
        Ok(list.into_iter().map(super::recovery::TaskNode).collect())
    }
    /// E-mails and letters of the case, with their delivery state.
    async fn messages(&self, ctx: &Context) -> Result<Vec<super::recovery::MessageNode>, AppError> {
        let actor = ctx.actor()?;
        let id = self.0.case.id;
        let list = ctx
            .run(move |conn, _| crate::recovery::queue::messages_of(conn, &actor, id))
            .await?;
        Ok(list.into_iter().map(super::recovery::MessageNode).collect())
    }
    /// Letters, receipts and other PDFs generated for the case.
    async fn documents(
        &self,
        ctx: &Context,
    ) -> Result<Vec<super::recovery::DocumentNode>, AppError> {
        let actor = ctx.actor()?;
        let id = self.0.case.id;
        let list = ctx
            .run(move |conn, _| crate::recovery::case_documents(conn, &actor, id))
            .await?;
        Ok(list
            .into_iter()
            .map(super::recovery::DocumentNode)
            .collect())
    }
    /// Calls, promises, disputes and payment plans of the case.
    async fn calls(&self, ctx: &Context) -> Result<Vec<super::recovery::CallNode>, AppError> {
        let d = self.dealings(ctx).await?;
        Ok(d.calls.into_iter().map(super::recovery::CallNode).collect())
    }
    async fn promises(&self, ctx: &Context) -> Result<Vec<super::recovery::PromiseNode>, AppError> {
        let d = self.dealings(ctx).await?;
        Ok(d.promises
            .into_iter()
            .map(super::recovery::PromiseNode)
            .collect())
    }
    async fn disputes(&self, ctx: &Context) -> Result<Vec<super::recovery::DisputeNode>, AppError> {
        let d = self.dealings(ctx).await?;
        Ok(d.disputes
            .into_iter()
            .map(super::recovery::DisputeNode)
            .collect())
    }
    async fn payment_plans(
        &self,
        ctx: &Context,
    ) -> Result<Vec<super::recovery::PlanNode>, AppError> {
        let d = self.dealings(ctx).await?;
        Ok(d.plans
            .into_iter()
            .map(|(p, i)| super::recovery::PlanNode(p, i))
            .collect())
    }
    /// The playbook's progress, the first letter and the formal notice (none before intake).
    async fn recovery(
        &self,
        ctx: &Context,
    ) -> Result<Option<super::recovery::RecoveryNode>, AppError> {
        Ok(self
            .dealings(ctx)
            .await?
            .recovery
            .map(super::recovery::RecoveryNode))
    }
    /// The incidents of the debtor's life recorded on the case (collective proceedings,
    /// over-indebtedness, death, dissolution), by date: while one is in force, demands stop.
    async fn incidents(
        &self,
        ctx: &Context,
    ) -> Result<Vec<super::incidents::IncidentNode>, AppError> {
        let actor = ctx.actor()?;
        let id = self.0.case.id;
        let (rows, today) = ctx
            .run(move |conn, state| {
                Ok((
                    crate::cases::incidents::list(conn, &actor, id)?,
                    state.clock.today(),
                ))
            })
            .await?;
        Ok(super::incidents::nodes(rows, today))
    }
    /// The legal phase, once the case was referred to a lawyer.
    async fn legal(&self, ctx: &Context) -> Result<Option<super::legal::LegalNode>, AppError> {
        let actor = ctx.actor()?;
        let id = self.0.case.id;
        let view = ctx
            .run(move |conn, state| crate::legal::views::view(conn, &state.clock, &actor, id))
            .await?;
        Ok(view.map(super::legal::LegalNode))
    }
    /// Everything that happened to the case, oldest first.
    async fn timeline(&self, ctx: &Context) -> Result<Vec<EventNode>, AppError> {
        let actor = ctx.actor()?;
        let id = self.0.case.id;
        let list = ctx
            .run(move |conn, _| crate::cases::views::timeline(conn, &actor, id))
            .await?;
        Ok(list.into_iter().map(EventNode).collect())
    }
}

impl CaseNode {
    async fn dealings(&self, ctx: &Context) -> Result<crate::recovery::Dealings, AppError> {
        let actor = ctx.actor()?;
        let id = self.0.case.id;
        ctx.run(move |conn, _| crate::recovery::dealings(conn, &actor, id))
            .await
    }
}

/// Pagination state of a connection.
#[derive(GraphQLObject)]
pub struct PageInfo {
    pub has_next_page: bool,
    /// Pass as `after` to get the next page.
    pub end_cursor: Option<String>,
}

/// Declares a cursor connection type and its edge.
macro_rules! connection {
    ($conn:ident, $edge:ident, $node:ty, $name:literal, $edge_name:literal) => {
        pub struct $edge {
            pub cursor: String,
            pub node: $node,
        }

        #[graphql_object(name = $edge_name, context = Context)]
        impl $edge {
            fn cursor(&self) -> &str {
                &self.cursor
            }
            fn node(&self) -> &$node {
                &self.node
            }
        }

        pub struct $conn {
            pub edges: Vec<$edge>,
            pub has_next: bool,
            pub total: i64,
        }

        #[graphql_object(name = $name, context = Context)]
        impl $conn {
            fn edges(&self) -> &[$edge] {
                &self.edges
            }
            fn page_info(&self) -> PageInfo {
                PageInfo {
                    has_next_page: self.has_next,
                    end_cursor: self.edges.last().map(|e| e.cursor.clone()),
                }
            }
            /// How many items match the filter, on all pages.
            fn total_count(&self) -> i32 {
                i32::try_from(self.total).unwrap_or(i32::MAX)
            }
        }
    };
}

pub(crate) use connection;

connection!(
    CaseConnection,
    CaseEdge,
    CaseNode,
    "CaseConnection",
    "CaseEdge"
);
connection!(
    OrganisationConnection,
    OrganisationEdge,
    OrganisationNode,
    "OrganisationConnection",
    "OrganisationEdge"
);
connection!(
    UserConnection,
    UserEdge,
    UserNode,
    "UserConnection",
    "UserEdge"
);

connection!(
    RemittanceConnection,
    RemittanceEdge,
    super::recovery::RemittanceNode,
    "RemittanceConnection",
    "RemittanceEdge"
);

/// Tokens returned by `login` and `refresh`.
pub struct AuthPayload(pub crate::accounts::Session);

#[graphql_object(context = Context)]
impl AuthPayload {
    /// Short-lived JWT: send it as `Authorization: Bearer <token>`.
    fn access_token(&self) -> &str {
        &self.0.access_token
    }
    /// Exchange it with `refresh` for a new pair; it works once.
    fn refresh_token(&self) -> &str {
        &self.0.refresh_token
    }
    /// Seconds until the access token expires.
    fn expires_in(&self) -> i32 {
        i32::try_from(self.0.expires_in).unwrap_or(i32::MAX)
    }
    fn user(&self) -> UserNode {
        UserNode(self.0.user.clone())
    }
    /// Signed in with a provisional password: call `changePassword` before anything else.
    fn must_change_password(&self) -> bool {
        self.0.user.must_change_password
    }
}

/// An account, and the password generated for it (shown once) when none was given.
pub struct CreateUserPayload {
    pub user: User,
    pub generated_password: Option<String>,
}

#[graphql_object(context = Context)]
impl CreateUserPayload {
    fn user(&self) -> UserNode {
        UserNode(self.user.clone())
    }
    fn generated_password(&self) -> Option<&str> {
        self.generated_password.as_deref()
    }
}

/// A payment received from the debtor.
pub struct PaymentNode(pub crate::store::payments::Payment);

#[graphql_object(name = "Payment", context = Context)]
impl PaymentNode {
    fn id(&self) -> ID {
        id_of(self.0.id)
    }
    fn received_on(&self) -> NaiveDate {
        self.0.received_on
    }
    fn amount(&self) -> DecimalText {
        money::from_cents(self.0.amount_cents).into()
    }
    fn method(&self) -> Result<PaymentMethodGql, AppError> {
        PaymentMethod::parse(&self.0.method)
            .map(Into::into)
            .map_err(AppError::internal)
    }
    fn reference(&self) -> Option<&str> {
        self.0.reference.as_deref()
    }
    /// The invoice the debtor said it pays, if any.
    fn invoice_id(&self) -> Option<ID> {
        self.0.invoice_id.map(id_of)
    }
    fn recorded_at(&self) -> DateTime<Utc> {
        utc(self.0.recorded_at)
    }
}

/// A recorded payment and the case after it.
pub struct RecordPaymentPayload {
    pub payment: crate::store::payments::Payment,
    pub case: CaseView,
}

#[graphql_object(context = Context)]
impl RecordPaymentPayload {
    fn payment(&self) -> PaymentNode {
        PaymentNode(self.payment.clone())
    }
    fn case(&self) -> CaseNode {
        CaseNode(self.case.clone())
    }
}
