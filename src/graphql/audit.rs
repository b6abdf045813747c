//! GraphQL types of the audit trail: a case's verified event chain, and the security log.

use chrono::{DateTime, Utc};
use juniper::{graphql_object, ID};

use super::nodes::{connection, EventNode, PageInfo};
use super::scalars::{id_of, mirror_enum};
use super::Context;
use crate::cases::audit::CaseTrail;
use crate::store::security::SecurityEvent;

mirror_enum!(
    /// What the security log records.
    #[graphql(name = "SecurityEventKind")]
    SecurityKindGql <=> crate::store::security::SecurityKind {
        LoginSucceeded, LoginFailed, AccountLocked, LoginRefusedLocked, RefreshTokenReused,
        PermissionRefused, EvidenceDownloaded, DocumentDownloaded, DossierDownloaded,
        AccountDisabled, AccountEnabled, PasswordChanged, PasswordResetRequested, PasswordReset,
        ProvisionalPasswordSet, WebhookRefused, RateCorrected
    }
);

/// A case's audit trail: its hash-chained events, verified in full on every read.
pub struct AuditTrailNode(pub CaseTrail);

#[graphql_object(name = "AuditTrail", context = Context)]
impl AuditTrailNode {
    /// Whether every event still matches its hash, links to the previous one, and the last
    /// one is the chain's recorded head.
    fn verified(&self) -> bool {
        self.0.broken.is_none()
    }
    /// The first broken link, when the chain does not verify.
    fn broken_at(&self) -> Option<BrokenLinkNode> {
        self.0.broken.as_ref().map(|b| BrokenLinkNode {
            seq: i32::try_from(b.seq).unwrap_or(i32::MAX),
            reason: b.reason.clone(),
        })
    }
    /// Events in the case, all pages.
    fn total_count(&self) -> i32 {
        i32::try_from(self.0.total).unwrap_or(i32::MAX)
    }
    /// This page of events, oldest first (pass the last `seq` as `afterSeq` for the next).
    fn events(&self) -> Vec<EventNode> {
        self.0.events.iter().cloned().map(EventNode).collect()
    }
}

/// Where a chain breaks.
#[derive(juniper::GraphQLObject)]
#[graphql(name = "BrokenLink")]
pub struct BrokenLinkNode {
    /// Number of the first event that does not verify.
    pub seq: i32,
    pub reason: String,
}

/// One entry of the security log.
pub struct SecurityEventNode(pub SecurityEvent);

#[graphql_object(name = "SecurityEvent", context = Context)]
impl SecurityEventNode {
    fn id(&self) -> ID {
        id_of(self.0.id)
    }
    /// Position in the log's hash chain.
    fn seq(&self) -> i32 {
        i32::try_from(self.0.seq).unwrap_or(i32::MAX)
    }
    fn at(&self) -> DateTime<Utc> {
        self.0.occurred_at.and_utc()
    }
    fn kind(&self) -> Option<SecurityKindGql> {
        crate::store::security::SecurityKind::ALL
            .into_iter()
            .find(|k| k.as_str() == self.0.kind)
            .map(Into::into)
    }
    /// The user concerned (none for a sign-in with an unknown e-mail).
    fn user_id(&self) -> Option<ID> {
        self.0.user_id.map(id_of)
    }
    /// The e-mail typed at sign-in.
    fn email(&self) -> Option<&str> {
        self.0.email.as_deref()
    }
    /// The client's address.
    fn ip(&self) -> Option<&str> {
        self.0.ip.as_deref()
    }
    fn case_id(&self) -> Option<ID> {
        self.0.case_id.map(id_of)
    }
    fn detail(&self) -> &str {
        &self.0.detail
    }
    fn hash(&self) -> &str {
        &self.0.hash
    }
}

connection!(
    SecurityEventConnection,
    SecurityEventEdge,
    SecurityEventNode,
    "SecurityEventConnection",
    "SecurityEventEdge"
);
