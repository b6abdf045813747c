//! GraphQL types of the legal phase: the eligibility report, the proceeding with its
//! deadlines, and the agenda of deadlines.

use chrono::{DateTime, NaiveDate, Utc};
use juniper::{graphql_object, GraphQLInputObject, ID};

use super::recovery::DocumentNode;
use super::scalars::{id_of, mirror_enum, DecimalText};
use super::Context;
use crate::domain::legal::eligibility::EligibilityReport;
use crate::domain::legal::procedure::Deadline;
use crate::domain::legal::Condition;
use crate::legal::views::{AgendaEntry, LegalView};

mirror_enum!(
    /// The court of an injunction of payment (CPC 1406).
    #[graphql(name = "CourtKind")]
    #[allow(clippy::enum_variant_names)]
    CourtKindGql <=> crate::domain::legal::CourtKind {
        CommercialCourt, EconomicActivitiesCourt, JudicialCourt
    }
);

mirror_enum!(
    /// The judge's decision on the requête (CPC 1409).
    #[graphql(name = "OrderOutcome")]
    OrderOutcomeGql <=> crate::domain::legal::procedure::OrderOutcome {
        Granted, PartiallyGranted, Rejected
    }
);

mirror_enum!(
    /// Which deadline of the procedure.
    #[graphql(name = "LegalDeadlineKind")]
    DeadlineKindGql <=> crate::domain::legal::procedure::DeadlineKind {
        ServeOrder, OppositionWindowEnds, EnforceableFrom, EnforcementEnds, Prescription
    }
);

mirror_enum!(
    /// How a condition of the eligibility report stands.
    #[graphql(name = "ConditionStatus")]
    ConditionStatusGql <=> crate::domain::legal::ConditionStatus { Met, Failed, Warning, Info }
);

mirror_enum!(
    /// A conservatory measure (CPCE L511-1) or an act of enforcement (CPCE L111-2).
    #[graphql(name = "EnforcementMeasureKind")]
    MeasureKindGql <=> crate::domain::legal::enforcement::MeasureKind {
        ProtectiveAttachment, JudicialSecurity, AttachmentOfClaims, AttachmentOfGoods,
        AttachmentOfEarnings, AttachmentOfShares, AttachmentOfRealEstate, OtherEnforcementAct
    }
);

/// A measure carried out by a commissaire de justice, as the lawyer records it.
#[derive(GraphQLInputObject)]
#[graphql(name = "EnforcementMeasureInput")]
pub struct MeasureInput {
    pub kind: MeasureKindGql,
    /// The day it was carried out.
    pub date: NaiveDate,
    /// The commissaire de justice who carried it out.
    pub officer: String,
    /// The act's reference, if any.
    pub reference: Option<String>,
}

pub struct MeasureNode(pub crate::store::legal::Measure);

/// A conservatory measure or an act of enforcement: it interrupts prescription and the ten
/// years of enforcement (C. civ. 2244).
#[graphql_object(name = "EnforcementMeasure", context = Context)]
impl MeasureNode {
    fn id(&self) -> ID {
        id_of(self.0.id)
    }
    /// `None` only for a kind this version does not know (never written by it).
    fn kind(&self) -> Option<MeasureKindGql> {
        crate::domain::legal::enforcement::MeasureKind::parse(&self.0.kind)
            .ok()
            .map(Into::into)
    }
    /// Its French name (« Saisie-attribution »).
    fn label(&self) -> &str {
        crate::domain::legal::enforcement::MeasureKind::parse(&self.0.kind)
            .map(|k| k.french())
            .unwrap_or(self.0.kind.as_str())
    }
    /// The text that governs it.
    fn article(&self) -> Option<&str> {
        crate::domain::legal::enforcement::MeasureKind::parse(&self.0.kind)
            .ok()
            .map(|k| k.article())
    }
    fn conservatory(&self) -> bool {
        crate::domain::legal::enforcement::MeasureKind::parse(&self.0.kind)
            .is_ok_and(|k| k.is_conservatory())
    }
    fn date(&self) -> NaiveDate {
        self.0.measure_on
    }
    fn officer(&self) -> &str {
        &self.0.officer
    }
    fn reference(&self) -> Option<&str> {
        self.0.reference.as_deref()
    }
}

/// The court the lawyer confirms.
#[derive(GraphQLInputObject)]
pub struct CourtInput {
    pub kind: CourtKindGql,
    /// The court's name as it will head the requête, e.g. "Tribunal de commerce de Dijon".
    pub name: String,
    /// Ask that, on opposition, the case go straight to this court (CPC 1408).
    #[graphql(default = false)]
    pub transfer_on_opposition: bool,
}

/// The judge's order.
#[derive(GraphQLInputObject)]
pub struct OrderInput {
    pub date: NaiveDate,
    pub outcome: OrderOutcomeGql,
    /// Only for an order granted in part: the amount granted.
    pub amount: Option<DecimalText>,
}

/// The service of the order by a commissaire de justice.
#[derive(GraphQLInputObject)]
pub struct ServiceInput {
    pub served_on: NaiveDate,
    /// Served to the debtor in person (the opposition window then runs from the service).
    pub in_person: bool,
    /// When not in person: the first act served in person, if already known.
    pub first_personal_act_on: Option<NaiveDate>,
}

pub struct DeadlineNode(pub Deadline);

/// A deadline of the procedure, computed by the calendar (CPC 641–642).
#[graphql_object(name = "LegalDeadline", context = Context)]
impl DeadlineNode {
    fn kind(&self) -> DeadlineKindGql {
        self.0.kind.into()
    }
    /// The last day (for ENFORCEABLE_FROM, the first day).
    fn date(&self) -> NaiveDate {
        self.0.date
    }
    fn title(&self) -> &str {
        &self.0.title
    }
    fn article(&self) -> &str {
        self.0.article
    }
    /// Days from today, negative once past.
    fn days_left(&self) -> i32 {
        i32::try_from(self.0.days_left).unwrap_or(i32::MAX)
    }
    fn missed(&self) -> bool {
        self.0.missed
    }
}

pub struct LegalNode(pub LegalView);

/// The legal phase of a case: its lawyer, court, the steps recorded, and what falls due.
#[graphql_object(name = "LegalProceeding", context = Context)]
impl LegalNode {
    fn lawyer_id(&self) -> ID {
        id_of(self.0.proceeding.lawyer_id)
    }
    fn lawyer_name(&self) -> Option<&str> {
        self.0.lawyer_name.as_deref()
    }
    fn referred_at(&self) -> DateTime<Utc> {
        self.0.proceeding.referred_at.and_utc()
    }
    fn court_kind(&self) -> Option<CourtKindGql> {
        self.0
            .proceeding
            .court_kind
            .as_deref()
            .and_then(crate::legal::parse_court_kind)
            .map(Into::into)
    }
    /// The court confirmed by the lawyer.
    fn court_name(&self) -> Option<&str> {
        self.0.proceeding.court_name.as_deref()
    }
    fn transfer_on_opposition(&self) -> bool {
        self.0.proceeding.transfer_on_opposition
    }
    fn filed_on(&self) -> Option<NaiveDate> {
        self.0.proceeding.filed_on
    }
    fn filing_reference(&self) -> Option<&str> {
        self.0.proceeding.filing_reference.as_deref()
    }
    fn order_on(&self) -> Option<NaiveDate> {
        self.0.proceeding.order_on
    }
    fn order_outcome(&self) -> Option<OrderOutcomeGql> {
        self.0
            .proceeding
            .order_outcome
            .as_deref()
            .and_then(crate::legal::procedure::parse_outcome)
            .map(Into::into)
    }
    /// The amount of an order granted in part.
    fn order_amount(&self) -> Option<DecimalText> {
        self.0
            .proceeding
            .order_amount_cents
            .map(|c| crate::domain::money::from_cents(c).into())
    }
    fn served_on(&self) -> Option<NaiveDate> {
        self.0.proceeding.served_on
    }
    fn served_in_person(&self) -> Option<bool> {
        self.0.proceeding.served_in_person
    }
    fn first_personal_act_on(&self) -> Option<NaiveDate> {
        self.0.proceeding.first_personal_act_on
    }
    fn opposed_on(&self) -> Option<NaiveDate> {
        self.0.proceeding.opposed_on
    }
    fn enforceable_on(&self) -> Option<NaiveDate> {
        self.0.proceeding.enforceable_on
    }
    fn handed_over_on(&self) -> Option<NaiveDate> {
        self.0.proceeding.handed_over_on
    }
    fn enforcement_officer(&self) -> Option<&str> {
        self.0.proceeding.enforcement_officer.as_deref()
    }
    /// The conservatory measures and acts of enforcement recorded, oldest first.
    fn enforcement_measures(&self) -> Vec<MeasureNode> {
        self.0.measures.iter().cloned().map(MeasureNode).collect()
    }
    /// The latest act of enforcement: the ten years to enforce the title run from it
    /// (CPCE L111-4, C. civ. 2244).
    fn last_enforcement_act_on(&self) -> Option<NaiveDate> {
        self.0.proceeding.last_enforcement_act_on
    }
    /// A granted order not served within six months of its date has lapsed (CPC 1411).
    fn order_lapsed(&self) -> bool {
        self.0.order_lapsed
    }
    /// What falls due, earliest first (none once the case is closed).
    fn deadlines(&self) -> Vec<DeadlineNode> {
        self.0.deadlines.iter().cloned().map(DeadlineNode).collect()
    }
    /// The latest injunction dossier produced (its PDF): the creditor sees that it exists;
    /// the case's lawyer and the agency download it.
    fn dossier(&self) -> Option<DocumentNode> {
        self.0.dossier.clone().map(DocumentNode)
    }
}

pub struct ConditionNode(pub Condition);

/// One condition of the eligibility report.
#[graphql_object(name = "EligibilityCondition", context = Context)]
impl ConditionNode {
    /// Stable key, e.g. `formal_notice_expired` (also the `field` of an INELIGIBLE error).
    fn key(&self) -> &str {
        self.0.key
    }
    fn status(&self) -> ConditionStatusGql {
        self.0.status.into()
    }
    /// Whether the dossier is refused while this condition fails.
    fn blocking(&self) -> bool {
        self.0.blocking
    }
    fn title(&self) -> &str {
        &self.0.title
    }
    fn reason(&self) -> &str {
        &self.0.reason
    }
    fn article(&self) -> &str {
        self.0.article
    }
}

/// One invoice against prescription.
#[derive(juniper::GraphQLObject)]
#[graphql(name = "InvoicePrescription")]
pub struct PrescriptionNode {
    pub number: String,
    pub starts_on: NaiveDate,
    /// Last day on which action is in time (C. civ. 2229).
    pub ends_on: NaiveDate,
    pub outstanding: DecimalText,
    /// The act that started the running period anew (C. civ. 2231), if any.
    pub restarted_by: Option<PrescriptionInterruptionNode>,
}

/// What interrupted prescription: acknowledgements (C. civ. 2240), the court claim (2241),
/// an enforcement measure (2244). A formal notice never does.
#[derive(juniper::GraphQLEnum, Clone, Copy)]
#[graphql(name = "PrescriptionInterruptionKind")]
pub enum InterruptionKindGql {
    PartialPayment,
    PaymentPlan,
    Promise,
    CourtClaim,
    EnforcementMeasure,
}

/// An act that restarted prescription, with its date and article.
#[derive(juniper::GraphQLObject)]
#[graphql(name = "PrescriptionInterruption")]
pub struct PrescriptionInterruptionNode {
    pub kind: InterruptionKindGql,
    pub date: NaiveDate,
    pub article: String,
}

impl From<crate::domain::legal::eligibility::Interruption> for PrescriptionInterruptionNode {
    fn from(a: crate::domain::legal::eligibility::Interruption) -> Self {
        use crate::domain::legal::eligibility::InterruptionKind as K;
        PrescriptionInterruptionNode {
            kind: match a.kind {
                K::PartialPayment => InterruptionKindGql::PartialPayment,
                K::PaymentPlan => InterruptionKindGql::PaymentPlan,
                K::Promise => InterruptionKindGql::Promise,
                K::CourtClaim => InterruptionKindGql::CourtClaim,
                K::EnforcementMeasure => InterruptionKindGql::EnforcementMeasure,
            },
            date: a.date,
            article: a.kind.article().to_string(),
        }
    }
}

/// One registry fee.
#[derive(juniper::GraphQLObject)]
#[graphql(name = "CourtFee")]
pub struct FeeNode {
    pub label: String,
    /// Excluding VAT.
    pub amount: DecimalText,
}

/// The court the report proposes; the lawyer confirms its name.
#[derive(juniper::GraphQLObject)]
#[graphql(name = "CourtProposal")]
pub struct CourtProposalNode {
    pub kind: CourtKindGql,
    /// A court of the directory, or a sentence saying the lawyer chooses.
    pub proposed_name: String,
    /// The directory's id of the proposed court; null when the lawyer must choose.
    pub court_id: Option<String>,
    /// When the directory cannot decide: the courts to choose from.
    pub candidates: Vec<String>,
    pub judge: String,
    pub territory: String,
    pub reason: String,
    pub cerfa: String,
    pub fees: Vec<FeeNode>,
    pub fees_excl_vat: DecimalText,
    pub fees_incl_vat: DecimalText,
    pub fees_note: String,
}

pub struct EligibilityNode(pub EligibilityReport);

/// Whether an injunction of payment can be sought, condition by condition (CPC 1405–1407).
#[graphql_object(name = "EligibilityReport", context = Context)]
impl EligibilityNode {
    /// No blocking condition fails: the dossier can be produced.
    fn eligible(&self) -> bool {
        self.0.eligible
    }
    fn conditions(&self) -> Vec<ConditionNode> {
        self.0
            .conditions
            .iter()
            .cloned()
            .map(ConditionNode)
            .collect()
    }
    /// The first blocking condition that fails.
    fn first_blocking_failure(&self) -> Option<ConditionNode> {
        self.0.first_blocking_failure().cloned().map(ConditionNode)
    }
    fn prescriptions(&self) -> Vec<PrescriptionNode> {
        self.0
            .prescriptions
            .iter()
            .map(|p| PrescriptionNode {
                number: p.number.clone(),
                starts_on: p.start,
                ends_on: p.ends_on,
                outstanding: p.outstanding.into(),
                restarted_by: p.restarted_by.map(Into::into),
            })
            .collect()
    }
    fn court(&self) -> CourtProposalNode {
        let c = &self.0.court;
        CourtProposalNode {
            kind: c.kind.into(),
            proposed_name: c.proposed_name.clone(),
            court_id: c.court_id.clone(),
            candidates: c.candidates.clone(),
            judge: c.judge.clone(),
            territory: c.territory.clone(),
            reason: c.reason.clone(),
            cerfa: c.cerfa.to_string(),
            fees: c
                .fees
                .lines
                .iter()
                .map(|(label, amount)| FeeNode {
                    label: label.clone(),
                    amount: (*amount).into(),
                })
                .collect(),
            fees_excl_vat: c.fees.total_excl_vat.into(),
            fees_incl_vat: c.fees.total_incl_vat.into(),
            fees_note: c.fees.note.clone(),
        }
    }
    /// The simplified small-claims procedure, when the claim allows it (CPCE L125-1).
    fn small_claims_alternative(&self) -> Option<&str> {
        self.0.small_claims_alternative.as_deref()
    }
    /// The European order for payment, for a debtor in another member state.
    fn european_order(&self) -> Option<&str> {
        self.0.european_order.as_deref()
    }
    /// A lawyer is required at the hearing if the debtor opposes (CPC 760, 853).
    fn lawyer_required_on_opposition(&self) -> bool {
        self.0.lawyer_required_on_opposition
    }
}

pub struct AgendaNode(pub AgendaEntry);

/// A deadline of one of the caller's cases.
#[graphql_object(name = "AgendaEntry", context = Context)]
impl AgendaNode {
    fn case_id(&self) -> ID {
        id_of(self.0.case_id)
    }
    fn case_reference(&self) -> &str {
        &self.0.reference
    }
    /// The debtor's name (first name, then name, for a person).
    fn debtor_name(&self) -> &str {
        &self.0.debtor
    }
    /// Whether the injunction's conditions are met today (the case's eligibility report).
    fn eligible(&self) -> bool {
        self.0.eligible
    }
    fn deadline(&self) -> DeadlineNode {
        DeadlineNode(self.0.deadline.clone())
    }
}
