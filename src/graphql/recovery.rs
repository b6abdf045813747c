//! GraphQL types of amicable recovery: tasks and the work queue, the outbox, documents, calls,
//! promises, disputes, payment plans, playbooks, the agency's settings, the formal notice.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use juniper::{graphql_object, GraphQLInputObject, GraphQLObject, ID};

use super::nodes::{CaseNode, DebtorNode};
use super::scalars::{id_of, mirror_enum, DecimalText};
use super::Context;
use crate::domain::money;
use crate::error::AppError;
use crate::store;

fn utc(t: NaiveDateTime) -> DateTime<Utc> {
    t.and_utc()
}

mirror_enum!(
    /// How a call with the debtor went.
    #[graphql(name = "CallOutcome")]
    CallOutcomeGql <=> crate::recovery::arrangements::CallOutcome {
        Reached, NoAnswer, WrongNumber, Promise, Dispute, Refusal
    }
);

mirror_enum!(
    /// What the debtor disputes.
    #[graphql(name = "DisputeReason")]
    DisputeReasonGql <=> crate::recovery::arrangements::DisputeReason {
        Quality, Delivery, Price, AlreadyPaid, Other
    }
);

mirror_enum!(
    /// What a playbook step's delay counts from.
    #[graphql(name = "StepBasis")]
    BasisGql <=> crate::domain::playbook::Basis { Accepted, DueDate, Previous }
);

mirror_enum!(
    /// How a step reaches the debtor, or which task it creates.
    #[graphql(name = "StepChannel")]
    ChannelGql <=> crate::domain::playbook::Channel {
        Email, Letter, RegisteredLetter, PhoneTask, ReviewTask
    }
);

mirror_enum!(
    /// What a step says.
    #[graphql(name = "StepTemplate")]
    TemplateGql <=> crate::domain::playbook::Template {
        CourteousReminder, FirmReminder, ReminderLetter, FormalNotice, Call, Review
    }
);

/// What an agent decides about an outbox message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, juniper::GraphQLEnum)]
#[graphql(name = "MessageDecision")]
pub enum MessageDecisionGql {
    /// Send a failed or uncertain e-mail again.
    Retry,
    /// Give the message up.
    Cancel,
    /// The paper letter was posted.
    Posted,
}

impl From<MessageDecisionGql> for crate::recovery::queue::MessageDecision {
    fn from(d: MessageDecisionGql) -> Self {
        use crate::recovery::queue::MessageDecision as M;
        match d {
            MessageDecisionGql::Retry => M::Retry,
            MessageDecisionGql::Cancel => M::Cancel,
            MessageDecisionGql::Posted => M::Posted,
        }
    }
}

pub struct TaskNode(pub store::tasks::Task);

#[graphql_object(name = "Task", context = Context)]
impl TaskNode {
    fn id(&self) -> ID {
        id_of(self.0.id)
    }
    fn case_id(&self) -> ID {
        id_of(self.0.case_id)
    }
    /// call, review, post_letter, message_failed, dispute_answered, formal_notice_expired,
    /// claim_declaration, payment_after_opening, bodacc_alert,
    /// step_blocked.
    fn kind(&self) -> &str {
        &self.0.kind
    }
    fn title(&self) -> &str {
        &self.0.title
    }
    fn due_on(&self) -> NaiveDate {
        self.0.due_on
    }
    /// open, done or cancelled.
    fn status(&self) -> &str {
        &self.0.status
    }
    fn message_id(&self) -> Option<ID> {
        self.0.outbox_id.map(id_of)
    }
    fn created_at(&self) -> DateTime<Utc> {
        utc(self.0.created_at)
    }
    fn closed_at(&self) -> Option<DateTime<Utc>> {
        self.0.closed_at.map(utc)
    }
    fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }
}

pub struct MessageNode(pub store::outbox::OutboxMessage);

/// An e-mail or letter of the outbox.
#[graphql_object(name = "OutboxMessage", context = Context)]
impl MessageNode {
    fn id(&self) -> ID {
        id_of(self.0.id)
    }
    fn case_id(&self) -> Option<ID> {
        self.0.case_id.map(id_of)
    }
    /// email, letter or registered_letter.
    fn channel(&self) -> &str {
        &self.0.channel
    }
    /// The template or notice it carries.
    fn kind(&self) -> &str {
        &self.0.kind
    }
    fn recipient(&self) -> &str {
        &self.0.recipient
    }
    fn subject(&self) -> &str {
        &self.0.subject
    }
    fn body(&self) -> &str {
        &self.0.body
    }
    /// The attached PDF, downloadable at `/api/documents/{id}.pdf`.
    fn document_id(&self) -> Option<ID> {
        self.0.document_id.map(id_of)
    }
    /// pending, sending, sent, failed, uncertain, to_post, posted or cancelled.
    fn status(&self) -> &str {
        &self.0.status
    }
    fn attempts(&self) -> i32 {
        self.0.attempts
    }
    fn last_error(&self) -> Option<&str> {
        self.0.last_error.as_deref()
    }
    fn created_at(&self) -> DateTime<Utc> {
        utc(self.0.created_at)
    }
    fn sent_at(&self) -> Option<DateTime<Utc>> {
        self.0.sent_at.map(utc)
    }
    fn tracking_number(&self) -> Option<&str> {
        self.0.tracking_number.as_deref()
    }
}

pub struct DocumentNode(pub store::documents::Document);

/// A generated PDF, kept byte for byte.
#[graphql_object(name = "Document", context = Context)]
impl DocumentNode {
    fn id(&self) -> ID {
        id_of(self.0.id)
    }
    /// first_letter, reminder_letter, formal_notice, receipt, claim_declaration, notary_letter.
    fn kind(&self) -> &str {
        &self.0.kind
    }
    fn reference(&self) -> &str {
        &self.0.reference
    }
    fn filename(&self) -> &str {
        &self.0.filename
    }
    fn sha256(&self) -> &str {
        &self.0.sha256
    }
    fn size_bytes(&self) -> i32 {
        i32::try_from(self.0.size_bytes).unwrap_or(i32::MAX)
    }
    fn created_at(&self) -> DateTime<Utc> {
        utc(self.0.created_at)
    }
    /// Where to download it.
    fn url(&self) -> String {
        let ext = if self.0.kind == crate::legal::views::DOSSIER_ZIP {
            "zip"
        } else {
            "pdf"
        };
        format!("/api/documents/{}.{ext}", self.0.id)
    }
}

pub struct CallNode(pub store::arrangements::Call);

#[graphql_object(name = "Call", context = Context)]
impl CallNode {
    fn id(&self) -> ID {
        id_of(self.0.id)
    }
    fn outcome(&self) -> Result<CallOutcomeGql, AppError> {
        crate::recovery::arrangements::CallOutcome::parse(&self.0.outcome)
            .map(Into::into)
            .map_err(AppError::internal)
    }
    fn notes(&self) -> &str {
        &self.0.notes
    }
    fn called_at(&self) -> DateTime<Utc> {
        utc(self.0.called_at)
    }
    fn agent_id(&self) -> ID {
        id_of(self.0.agent_id)
    }
}

pub struct PromiseNode(pub store::arrangements::Promise);

/// A promise to pay.
#[graphql_object(name = "Promise", context = Context)]
impl PromiseNode {
    fn id(&self) -> ID {
        id_of(self.0.id)
    }
    fn pay_by(&self) -> NaiveDate {
        self.0.pay_by
    }
    fn amount(&self) -> DecimalText {
        money::from_cents(self.0.amount_cents).into()
    }
    /// open, kept, broken or cancelled.
    fn status(&self) -> &str {
        &self.0.status
    }
    fn made_on(&self) -> NaiveDate {
        self.0.made_on
    }
}

pub struct DisputeNode(pub store::arrangements::Dispute);

#[graphql_object(name = "Dispute", context = Context)]
impl DisputeNode {
    fn id(&self) -> ID {
        id_of(self.0.id)
    }
    fn reason(&self) -> Result<DisputeReasonGql, AppError> {
        crate::recovery::arrangements::DisputeReason::parse(&self.0.reason)
            .map(Into::into)
            .map_err(AppError::internal)
    }
    fn details(&self) -> &str {
        &self.0.details
    }
    /// open, answered or resolved.
    fn status(&self) -> &str {
        &self.0.status
    }
    fn raised_at(&self) -> DateTime<Utc> {
        utc(self.0.raised_at)
    }
    fn creditor_answer(&self) -> Option<&str> {
        self.0.creditor_answer.as_deref()
    }
    /// resume or close.
    fn resolution(&self) -> Option<&str> {
        self.0.resolution.as_deref()
    }
    fn resolution_note(&self) -> Option<&str> {
        self.0.resolution_note.as_deref()
    }
}

/// One instalment of a plan.
#[derive(GraphQLObject)]
#[graphql(name = "Instalment")]
pub struct InstalmentNode {
    pub position: i32,
    pub due_on: NaiveDate,
    pub amount: DecimalText,
}

pub struct PlanNode(
    pub store::arrangements::Plan,
    pub Vec<store::arrangements::PlanInstalment>,
);

/// A payment plan.
#[graphql_object(name = "PaymentPlan", context = Context)]
impl PlanNode {
    fn id(&self) -> ID {
        id_of(self.0.id)
    }
    /// proposed, active, refused, broken, completed or cancelled.
    fn status(&self) -> &str {
        &self.0.status
    }
    fn total(&self) -> DecimalText {
        money::from_cents(self.0.total_cents).into()
    }
    /// Agreed without the creditor, within the limits of its mandate.
    fn auto_approved(&self) -> bool {
        self.0.auto_approved
    }
    fn note(&self) -> &str {
        &self.0.note
    }
    fn proposed_at(&self) -> DateTime<Utc> {
        utc(self.0.proposed_at)
    }
    fn instalments(&self) -> Vec<InstalmentNode> {
        self.1
            .iter()
            .map(|i| InstalmentNode {
                position: i.position,
                due_on: i.due_on,
                amount: money::from_cents(i.amount_cents).into(),
            })
            .collect()
    }
}

/// Where a case stands in its playbook and its letters.
pub struct RecoveryNode(pub store::recovery::CaseRecovery);

#[graphql_object(name = "CaseRecovery", context = Context)]
impl RecoveryNode {
    /// The case's own playbook (none: its creditor's, else the default).
    fn playbook_id(&self) -> Option<ID> {
        self.0.playbook_id.map(id_of)
    }
    /// Position of the next playbook step.
    fn next_step(&self) -> i32 {
        self.0.next_step
    }
    /// Reference and date of the agency's first letter (CPCE R124-4), repeated by later ones.
    fn first_letter_reference(&self) -> Option<&str> {
        self.0.first_letter_ref.as_deref()
    }
    fn first_letter_on(&self) -> Option<NaiveDate> {
        self.0.first_letter_on
    }
    fn formal_notice_on(&self) -> Option<NaiveDate> {
        self.0.formal_notice_on
    }
    fn formal_notice_posted_on(&self) -> Option<NaiveDate> {
        self.0.formal_notice_posted_on
    }
    fn formal_notice_tracking_number(&self) -> Option<&str> {
        self.0.formal_notice_tracking.as_deref()
    }
    fn formal_notice_delivered_on(&self) -> Option<NaiveDate> {
        self.0.formal_notice_delivered_on
    }
    /// Last day to pay under the formal notice.
    fn formal_notice_deadline(&self) -> Option<NaiveDate> {
        self.0.formal_notice_deadline
    }
    fn formal_notice_expired(&self) -> bool {
        self.0.formal_notice_expired
    }
}

pub struct QueueItemNode(pub crate::recovery::queue::QueueItem);

/// A case in an agent's queue.
#[graphql_object(name = "QueueItem", context = Context)]
impl QueueItemNode {
    fn case_id(&self) -> ID {
        id_of(self.0.case.id)
    }
    fn reference(&self) -> &str {
        &self.0.case.reference
    }
    fn state(&self) -> Result<super::scalars::CaseStateGql, AppError> {
        crate::domain::workflow::CaseState::parse(&self.0.case.state)
            .map(Into::into)
            .map_err(AppError::internal)
    }
    fn debtor(&self) -> DebtorNode {
        DebtorNode(self.0.debtor.clone())
    }
    /// The priority score (see docs/ARCHITECTURE.md): higher first.
    fn score(&self) -> i32 {
        i32::try_from(self.0.score).unwrap_or(i32::MAX)
    }
    /// What the score is made of: it is their sum.
    fn score_parts(&self) -> ScorePartsNode {
        let p = self.0.parts;
        let int = |v: i64| i32::try_from(v).unwrap_or(i32::MAX);
        ScorePartsNode {
            amount: int(p.amount),
            lateness: int(p.lateness),
            broken_promises: int(p.promises),
            stage: int(p.stage),
        }
    }
    /// Principal still unpaid.
    fn outstanding(&self) -> DecimalText {
        money::from_cents(self.0.outstanding_cents).into()
    }
    fn days_late(&self) -> i32 {
        i32::try_from(self.0.days_late).unwrap_or(i32::MAX)
    }
    fn tasks(&self) -> Vec<TaskNode> {
        self.0.tasks.iter().cloned().map(TaskNode).collect()
    }
}

/// The parts of a queue line's priority score (docs/ARCHITECTURE.md, `domain::priority`).
#[derive(GraphQLObject)]
#[graphql(name = "ScoreParts")]
pub struct ScorePartsNode {
    /// 1 point per full 100 € of principal unpaid, at most 300.
    pub amount: i32,
    /// 1 point per 3 days since the oldest unpaid due date, at most 120.
    pub lateness: i32,
    /// 40 points per broken promise, at most 120.
    pub broken_promises: i32,
    /// Formal notice expired +100, running +30, payment plan or dispute −50.
    pub stage: i32,
}

#[derive(GraphQLObject)]
#[graphql(name = "PlaybookStep")]
pub struct StepNode {
    pub position: i32,
    pub basis: BasisGql,
    pub delay_days: i32,
    pub channel: ChannelGql,
    pub template: TemplateGql,
}

/// A playbook with its steps.
#[derive(GraphQLObject)]
#[graphql(name = "Playbook")]
pub struct PlaybookNode {
    pub id: ID,
    pub name: String,
    pub is_default: bool,
    pub steps: Vec<StepNode>,
}

impl PlaybookNode {
    pub fn of(
        book: store::recovery::Playbook,
        steps: Vec<store::recovery::PlaybookStep>,
    ) -> Result<PlaybookNode, AppError> {
        Ok(PlaybookNode {
            id: id_of(book.id),
            name: book.name,
            is_default: book.is_default,
            steps: steps
                .iter()
                .map(|row| {
                    let s = crate::recovery::playbooks::step_of(row)?;
                    Ok(StepNode {
                        position: s.position,
                        basis: s.basis.into(),
                        delay_days: s.delay_days as i32,
                        channel: s.channel.into(),
                        template: s.template.into(),
                    })
                })
                .collect::<Result<Vec<_>, AppError>>()?,
        })
    }
}

#[derive(GraphQLInputObject)]
pub struct PlaybookStepInput {
    pub basis: BasisGql,
    pub delay_days: i32,
    pub channel: ChannelGql,
    pub template: TemplateGql,
}

/// The agency's settings (CPCE R124-2 mentions and procedure delays).
#[derive(GraphQLObject)]
#[graphql(name = "AgencySettings")]
pub struct SettingsNode {
    pub agency_organisation_id: Option<ID>,
    pub insurer: String,
    pub policy_number: String,
    pub iban: String,
    pub bic: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub mail_from: String,
    pub signatory: String,
    /// Days the formal notice gives to pay (8–30).
    pub formal_notice_days: i32,
    /// Days after a promise's or an instalment's date before it counts as broken.
    pub grace_days: i32,
    /// No requête without a formal notice (the agency's convention; by default a missing
    /// notice is only a warning: Cass., avis, 25 Sept. 2025).
    pub require_formal_notice: bool,
    /// The rules of contact (defaults: our convention).
    pub contact_rules: ContactRulesNode,
    /// The portal's address, which the e-mails to creditors link to (empty: no link).
    pub portal_url: String,
    /// Days before an instalment or a promised date when the debtor is reminded of it by
    /// e-mail (0: never).
    pub reminder_days_before: i32,
}

/// The rules of contact: how often a debtor may be written to, when a call is due.
#[derive(GraphQLObject)]
#[graphql(name = "ContactRules")]
pub struct ContactRulesNode {
    /// Most letters or e-mails of one channel to one debtor (all its cases) over a rolling
    /// week (1–14; default 2).
    pub max_messages_per_week: i32,
    /// Call tasks say to call from this hour (8–20; default 9)…
    pub call_from_hour: i32,
    /// …to this one (9–21; default 19), Europe/Paris.
    pub call_until_hour: i32,
    /// Whether a call task may fall on a Saturday (never a Sunday or a public holiday).
    pub calls_on_saturday: bool,
}

#[derive(GraphQLInputObject)]
pub struct ContactRulesInput {
    pub max_messages_per_week: i32,
    pub call_from_hour: i32,
    pub call_until_hour: i32,
    pub calls_on_saturday: bool,
}

impl From<store::recovery::AgencySettings> for SettingsNode {
    fn from(s: store::recovery::AgencySettings) -> Self {
        SettingsNode {
            agency_organisation_id: s.agency_org_id.map(id_of),
            insurer: s.insurer,
            policy_number: s.policy_number,
            iban: s.iban,
            bic: s.bic,
            phone: s.phone,
            email: s.email,
            mail_from: s.mail_from,
            signatory: s.signatory,
            formal_notice_days: s.formal_notice_days,
            grace_days: s.grace_days,
            require_formal_notice: s.require_formal_notice,
            contact_rules: ContactRulesNode {
                max_messages_per_week: s.max_messages_per_week,
                call_from_hour: s.call_from_hour,
                call_until_hour: s.call_until_hour,
                calls_on_saturday: s.calls_on_saturday,
            },
            portal_url: s.portal_url,
            reminder_days_before: s.reminder_days_before,
        }
    }
}

#[derive(GraphQLInputObject)]
pub struct AgencySettingsInput {
    pub agency_organisation_id: ID,
    pub insurer: String,
    pub policy_number: String,
    pub iban: String,
    pub bic: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub mail_from: String,
    pub signatory: String,
    pub formal_notice_days: i32,
    pub grace_days: i32,
    /// No requête without a formal notice (convention); left out: unchanged.
    pub require_formal_notice: Option<bool>,
    /// The rules of contact; left out: unchanged.
    pub contact_rules: Option<ContactRulesInput>,
    /// The portal's address (`https://…`, empty to clear); left out: unchanged.
    pub portal_url: Option<String>,
    /// Days before an instalment or a promised date when the debtor gets a reminder (0–15,
    /// 0: none); left out: unchanged.
    pub reminder_days_before: Option<i32>,
}

impl AgencySettingsInput {
    pub fn into_uc(self) -> Result<crate::recovery::settings::SettingsInput, AppError> {
        Ok(crate::recovery::settings::SettingsInput {
            agency_org_id: super::scalars::id_field(
                &self.agency_organisation_id,
                "agencyOrganisationId",
                "not an agency organisation",
            )?,
            insurer: self.insurer,
            policy_number: self.policy_number,
            iban: self.iban,
            bic: self.bic,
            phone: self.phone,
            email: self.email,
            mail_from: self.mail_from,
            signatory: self.signatory,
            formal_notice_days: self.formal_notice_days,
            grace_days: self.grace_days,
            require_formal_notice: self.require_formal_notice,
            contact_rules: self
                .contact_rules
                .map(|r| crate::domain::playbook::ContactRules {
                    max_messages_per_week: r.max_messages_per_week,
                    call_from_hour: r.call_from_hour,
                    call_until_hour: r.call_until_hour,
                    calls_on_saturday: r.calls_on_saturday,
                }),
            portal_url: self.portal_url,
            reminder_days_before: self.reminder_days_before,
        })
    }
}

#[derive(GraphQLInputObject)]
pub struct InstalmentInput {
    pub due_on: NaiveDate,
    /// Decimal text, e.g. "250.00".
    pub amount: String,
}

/// What one scheduler run did.
#[derive(GraphQLObject)]
#[graphql(name = "RunSummary")]
pub struct RunSummaryNode {
    pub steps_run: i32,
    pub tasks_created: i32,
    pub messages_queued: i32,
    pub promises_kept: i32,
    pub promises_broken: i32,
    pub plans_completed: i32,
    pub plans_broken: i32,
    /// Reminders to debtors queued before an instalment or a promised date.
    pub reminders_ahead: i32,
    pub notices_expired: i32,
    pub emails_sent: i32,
    pub emails_retrying: i32,
    pub emails_failed: i32,
    pub emails_uncertain: i32,
    pub blocked: Vec<String>,
}

impl From<crate::jobs::RunSummary> for RunSummaryNode {
    fn from(s: crate::jobs::RunSummary) -> Self {
        let n = |v: u32| i32::try_from(v).unwrap_or(i32::MAX);
        RunSummaryNode {
            steps_run: n(s.steps_run),
            tasks_created: n(s.tasks_created),
            messages_queued: n(s.messages_queued),
            promises_kept: n(s.promises_kept),
            promises_broken: n(s.promises_broken),
            plans_completed: n(s.plans_completed),
            plans_broken: n(s.plans_broken),
            reminders_ahead: n(s.reminders_ahead),
            notices_expired: n(s.notices_expired),
            emails_sent: n(s.emails_sent),
            emails_retrying: n(s.emails_retrying),
            emails_failed: n(s.emails_failed),
            emails_uncertain: n(s.emails_uncertain),
            blocked: s.blocked,
        }
    }
}

/// A case after an action, with the record the action created.
pub struct WithCase<T>(pub T, pub crate::cases::CaseView);

macro_rules! payload {
    ($name:ident, $gql:literal, $node:ident, $field:ident) => {
        pub struct $name(pub WithCase<$node>);

        #[graphql_object(name = $gql, context = Context)]
        impl $name {
            fn $field(&self) -> &$node {
                &self.0 .0
            }
            fn case(&self) -> CaseNode {
                CaseNode(self.0 .1.clone())
            }
        }
    };
}

payload!(CallPayload, "CallPayload", CallNode, call);
payload!(PromisePayload, "PromisePayload", PromiseNode, promise);
payload!(DisputePayload, "DisputePayload", DisputeNode, dispute);
payload!(PlanPayload, "PlanPayload", PlanNode, plan);

/// A remittance to a creditor: the payments collected for it, less the agency's commission
/// (CPCE R124-6: due within one month of encashment).
pub struct RemittanceNode(pub crate::recovery::remittances::RemittanceView);

#[graphql_object(name = "Remittance", context = Context)]
impl RemittanceNode {
    fn id(&self) -> ID {
        id_of(self.0.remittance.id)
    }
    fn reference(&self) -> &str {
        &self.0.remittance.reference
    }
    fn creditor_id(&self) -> ID {
        id_of(self.0.remittance.creditor_org_id)
    }
    fn status(&self) -> RemittanceStatusGql {
        if self.0.remittance.status == "paid" {
            RemittanceStatusGql::Paid
        } else {
            RemittanceStatusGql::Prepared
        }
    }
    /// Date by which the net amount is owed to the creditor.
    fn due_on(&self) -> NaiveDate {
        self.0.remittance.due_on
    }
    /// Prepared and still unpaid after its due date.
    fn overdue(&self, ctx: &Context) -> bool {
        self.0.overdue(ctx.state.clock.today())
    }
    /// Late under CPCE R124-6: paid after its due date (one month after the oldest
    /// encashment), or still unpaid past it — a remittance prepared late is late at once.
    fn late(&self, ctx: &Context) -> bool {
        self.0.late(ctx.state.clock.today())
    }
    fn gross(&self) -> DecimalText {
        money::from_cents(self.0.remittance.gross_cents).into()
    }
    fn commission(&self) -> DecimalText {
        money::from_cents(self.0.remittance.commission_cents).into()
    }
    fn net(&self) -> DecimalText {
        money::from_cents(self.0.remittance.net_cents).into()
    }
    fn prepared_at(&self) -> DateTime<Utc> {
        utc(self.0.remittance.prepared_at)
    }
    fn paid_on(&self) -> Option<NaiveDate> {
        self.0.remittance.paid_on
    }
    /// The statement sent to the creditor.
    fn statement_url(&self) -> Option<String> {
        self.0
            .remittance
            .document_id
            .map(|id| format!("/api/documents/{id}.pdf"))
    }
    fn lines(&self) -> Vec<RemittanceLineNode> {
        self.0
            .lines
            .iter()
            .map(|l| RemittanceLineNode {
                payment_id: id_of(l.payment.id),
                case_id: id_of(l.payment.case_id),
                case_reference: l.case_reference.clone(),
                debtor: l.debtor.clone(),
                received_on: l.payment.received_on,
                amount: money::from_cents(l.line.amount_cents).into(),
                commission: money::from_cents(l.line.commission_cents).into(),
                net: money::from_cents(l.line.amount_cents - l.line.commission_cents).into(),
            })
            .collect()
    }
}

/// One payment in a remittance.
#[derive(GraphQLObject)]
#[graphql(name = "RemittanceLine")]
pub struct RemittanceLineNode {
    pub payment_id: ID,
    pub case_id: ID,
    pub case_reference: String,
    pub debtor: String,
    pub received_on: NaiveDate,
    pub amount: DecimalText,
    pub commission: DecimalText,
    pub net: DecimalText,
}

/// Money collected for a creditor and not yet remitted.
#[derive(GraphQLObject)]
#[graphql(name = "HeldFunds")]
pub struct HeldNode {
    pub creditor_id: ID,
    pub creditor: String,
    pub payments: i32,
    pub amount: DecimalText,
    /// When the oldest of these payments must be remitted (R124-6).
    pub due_on: NaiveDate,
    pub overdue: bool,
}

impl HeldNode {
    pub fn new(h: crate::recovery::remittances::Held, today: NaiveDate) -> HeldNode {
        HeldNode {
            creditor_id: id_of(h.creditor_org_id),
            creditor: h.creditor,
            payments: i32::try_from(h.payments).unwrap_or(i32::MAX),
            amount: money::from_cents(h.amount_cents).into(),
            due_on: h.due_on,
            overdue: h.due_on < today,
        }
    }
}

/// Which remittances to list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, juniper::GraphQLEnum)]
#[graphql(name = "RemittanceStatus")]
pub enum RemittanceStatusGql {
    /// Statement sent, transfer not yet made.
    Prepared,
    /// The net amount was transferred.
    Paid,
}

impl RemittanceStatusGql {
    pub fn as_str(self) -> &'static str {
        match self {
            RemittanceStatusGql::Prepared => "prepared",
            RemittanceStatusGql::Paid => "paid",
        }
    }
}
