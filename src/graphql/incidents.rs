//! GraphQL types of the incidents of a debtor's life (collective proceedings,
//! over-indebtedness, death, dissolution): `Case.incidents` and their input.

use chrono::NaiveDate;
use juniper::{graphql_object, GraphQLInputObject, GraphQLObject, ID};

use super::scalars::{id_of, mirror_enum};
use super::Context;
use crate::domain::legal::incidents::{IncidentEnd, IncidentFacts, IncidentKind};
use crate::store::incidents::Incident;

mirror_enum!(
    /// What happened to the debtor: a collective proceeding (C. com. L622-21, L631-14,
    /// L641-3), an over-indebtedness file declared admissible (C. conso. L722-2), a death
    /// (C. civ. 771-772), a company dissolved, merged or struck off.
    #[graphql(name = "DebtorIncidentKind")]
    IncidentKindGql <=> IncidentKind {
        Safeguard, Receivership, Liquidation, OverIndebtedness, Death, Dissolution, Merger,
        StruckOff
    }
);

mirror_enum!(
    /// How the agency ended an incident: recovery resumed (its decision), the case closed as
    /// unrecoverable, or the debt erased by a rétablissement personnel (C. conso. L741-2).
    #[graphql(name = "DebtorIncidentEnd")]
    IncidentEndGql <=> IncidentEnd { Resumed, ClosedUnrecoverable, DebtErased }
);

mirror_enum!(
    /// The juge-commissaire's decision on a declared claim (C. com. L624-2).
    #[graphql(name = "ClaimDecision")]
    ClaimDecisionGql <=> crate::domain::legal::incidents::ClaimDecision {
        Admitted, PartlyAdmitted, Rejected, Contested
    }
);

/// An incident as the agent or lawyer records it.
#[derive(GraphQLInputObject)]
#[graphql(name = "DebtorIncidentInput")]
pub struct IncidentInput {
    pub kind: IncidentKindGql,
    /// The opening judgment, the admissibility decision, the death, the dissolution, the
    /// merger or the striking-off.
    pub occurred_on: NaiveDate,
    /// Its BODACC publication: the claim's declaration runs two months from it (R622-24).
    pub published_on: Option<NaiveDate>,
    /// The court or the commission.
    pub court: Option<String>,
    /// The case number of the court or the commission.
    pub reference: Option<String>,
    /// The mandataire judiciaire or liquidateur (name and address), the notary.
    pub representative: Option<String>,
    /// The creditor is established outside metropolitan France (R622-24: four months).
    pub creditor_abroad: Option<bool>,
    /// The claim is a loan's of a year or more: interest keeps running (L622-28).
    pub long_term_loan: Option<bool>,
}

impl IncidentInput {
    pub fn into_domain(self) -> crate::cases::incidents::IncidentInput {
        crate::cases::incidents::IncidentInput {
            kind: self.kind.into(),
            occurred_on: self.occurred_on,
            published_on: self.published_on,
            court: self.court,
            reference: self.reference,
            representative: self.representative,
            creditor_abroad: self.creditor_abroad.unwrap_or(false),
            long_term_loan: self.long_term_loan.unwrap_or(false),
        }
    }
}

/// A date that follows from an incident.
#[derive(GraphQLObject)]
#[graphql(name = "DebtorIncidentDate")]
pub struct IncidentDateNode {
    /// `interest_stops_on`, `declaration_deadline`, `relief_deadline`, `heirs_summons_from`
    /// or `opposition_deadline`.
    pub key: String,
    /// French label, with its article.
    pub label: String,
    pub date: NaiveDate,
}

pub struct IncidentNode {
    pub row: Incident,
    pub facts: Option<IncidentFacts>,
    pub today: NaiveDate,
}

/// An incident of the debtor's life recorded on the case: while in force, the case's demands,
/// playbook steps and legal steps stop.
#[graphql_object(name = "DebtorIncident", context = Context)]
impl IncidentNode {
    fn id(&self) -> ID {
        id_of(self.row.id)
    }
    /// `None` only for a kind this version does not know (never written by it).
    fn kind(&self) -> Option<IncidentKindGql> {
        self.facts.as_ref().map(|f| f.kind.into())
    }
    /// Its French name (« Redressement judiciaire »).
    fn label(&self) -> &str {
        self.facts
            .as_ref()
            .map(|f| f.kind.french())
            .unwrap_or(self.row.kind.as_str())
    }
    /// The text that makes it stop the recovery.
    fn article(&self) -> Option<&str> {
        self.facts.as_ref().map(|f| f.kind.article())
    }
    fn occurred_on(&self) -> NaiveDate {
        self.row.occurred_on
    }
    fn published_on(&self) -> Option<NaiveDate> {
        self.row.published_on
    }
    fn court(&self) -> Option<&str> {
        self.row.court.as_deref()
    }
    fn reference(&self) -> Option<&str> {
        self.row.reference.as_deref()
    }
    fn representative(&self) -> Option<&str> {
        self.row.representative.as_deref()
    }
    fn creditor_abroad(&self) -> bool {
        self.row.creditor_abroad
    }
    fn long_term_loan(&self) -> bool {
        self.row.long_term_loan
    }
    /// The day the claim was declared to the mandataire.
    fn declared_on(&self) -> Option<NaiveDate> {
        self.row.declared_on
    }
    /// The declaration deadline passed without a declaration: only the relief of L622-26
    /// remains, until `relief_deadline`.
    fn declaration_missed(&self) -> bool {
        self.facts
            .as_ref()
            .is_some_and(|f| f.declaration_missed(self.today))
    }
    /// The registered letter's tracking number of the declaration.
    fn declaration_tracking(&self) -> Option<&str> {
        self.row.declaration_tracking.as_deref()
    }
    /// The declaration's PDF, once produced (`prepareClaimDeclaration`).
    fn declaration_document_id(&self) -> Option<ID> {
        self.row.declaration_document_id.map(id_of)
    }
    /// The privilege or security the declaration claims (none: unsecured).
    fn security(&self) -> Option<&str> {
        self.row.security.as_deref()
    }
    /// The juge-commissaire's decision on the claim.
    fn claim_decision(&self) -> Option<ClaimDecisionGql> {
        self.row
            .claim_decision
            .as_deref()
            .and_then(|d| crate::domain::legal::incidents::ClaimDecision::parse(d).ok())
            .map(Into::into)
    }
    fn claim_decided_on(&self) -> Option<NaiveDate> {
        self.row.claim_decided_on
    }
    /// For a claim admitted in part, the amount admitted.
    fn admitted_amount(&self) -> Option<super::scalars::DecimalText> {
        self.row
            .admitted_cents
            .map(|c| crate::domain::money::from_cents(c).into())
    }
    fn ended_on(&self) -> Option<NaiveDate> {
        self.row.ended_on
    }
    fn end(&self) -> Option<IncidentEndGql> {
        self.facts
            .as_ref()
            .and_then(|f| f.ended.map(|(_, e)| e.into()))
    }
    fn end_note(&self) -> Option<&str> {
        self.row.end_note.as_deref()
    }
    /// In force today: the case's demands are frozen.
    fn in_force(&self) -> bool {
        self.facts.as_ref().is_some_and(|f| f.in_force(self.today))
    }
    /// The French sentence saying what it stops, with its article.
    fn effect(&self) -> Option<String> {
        self.facts.as_ref().map(IncidentFacts::freeze_reason)
    }
    /// The dates that follow from it: interest stopped, the declaration's deadline, the
    /// relief's, the heirs' option, the creditors' opposition.
    fn dates(&self) -> Vec<IncidentDateNode> {
        self.facts
            .as_ref()
            .map(|f| {
                f.dates()
                    .into_iter()
                    .map(|d| IncidentDateNode {
                        key: d.key.to_string(),
                        label: d.label,
                        date: d.date,
                    })
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// The nodes of a case's incidents as of `today`.
pub fn nodes(rows: Vec<Incident>, today: NaiveDate) -> Vec<IncidentNode> {
    rows.into_iter()
        .map(|row| IncidentNode {
            facts: crate::cases::incidents::facts(&row).ok(),
            row,
            today,
        })
        .collect()
}

/// A record of a BODACC file left out, with its reason.
#[derive(GraphQLObject)]
#[graphql(name = "BodaccRefusal")]
pub struct BodaccRefusalNode {
    /// Its position in the file (1 for the first record).
    pub record: i32,
    pub reason: String,
}

/// What a BODACC import did (`importBodacc`).
#[derive(GraphQLObject)]
#[graphql(name = "BodaccImport")]
pub struct BodaccImportNode {
    /// Records in the file.
    pub read: i32,
    /// Announcements stored by this import.
    pub new: i32,
    /// Announcements already stored or twice in the file: not stored again.
    pub duplicates: i32,
    /// Records of another family than collective proceedings and radiations.
    pub ignored: i32,
    /// Alerts raised: one per new announcement and open case of its SIREN.
    pub matched_cases: i32,
    /// New announcements matching no open case.
    pub unmatched: i32,
    pub refused: Vec<BodaccRefusalNode>,
}

impl From<crate::legal::bodacc::ImportSummary> for BodaccImportNode {
    fn from(s: crate::legal::bodacc::ImportSummary) -> Self {
        let n = |v: usize| i32::try_from(v).unwrap_or(i32::MAX);
        BodaccImportNode {
            read: n(s.read),
            new: n(s.new),
            duplicates: n(s.duplicates),
            ignored: n(s.ignored),
            matched_cases: n(s.matched_cases),
            unmatched: n(s.unmatched),
            refused: s
                .refused
                .into_iter()
                .map(|r| BodaccRefusalNode {
                    record: n(r.record),
                    reason: r.reason,
                })
                .collect(),
        }
    }
}
