//! One line of the eligibility report, and the stable keys naming them.

/// Stable machine keys of the eligibility conditions. They become API error
/// fields: never rename one, add new ones at the end of [`ALL`].
pub mod keys {
    /// CPC 1405: contractual or statutory cause. Blocking.
    pub const CONTRACTUAL_CLAIM: &str = "contractual_claim";
    /// CPC 1405: determined amount. Blocking.
    pub const DETERMINED_AMOUNT: &str = "determined_amount";
    /// C. civ. 1344: a formal notice was sent. Blocking only when the agency's settings
    /// require one (*convention*); otherwise its absence is a Warning (no prior amicable
    /// step is required for an injunction of payment: Cass., avis, 25 Sept. 2025).
    pub const FORMAL_NOTICE_SENT: &str = "formal_notice_sent";
    /// C. civ. 1344: its payment deadline has passed, the claim unpaid. Blocking.
    pub const FORMAL_NOTICE_EXPIRED: &str = "formal_notice_expired";
    /// C. com. L110-4 / C. civ. 2224 / C. conso. L218-2: no unpaid invoice is
    /// prescribed. Blocking; a Warning when one ends within 90 days.
    pub const NOT_PRESCRIBED: &str = "not_prescribed";
    /// CPC 1409: no dispute is open on the claim. Blocking.
    pub const NO_OPEN_DISPUTE: &str = "no_open_dispute";
    /// CPC 1406: the debtor lives or has its seat in France. Blocking.
    pub const DEBTOR_IN_FRANCE: &str = "debtor_in_france";
    /// CPCE L125-1, R125-1: the small-claims route is open (≤ 5 000 €). Info.
    pub const SMALL_CLAIMS: &str = "small_claims";
    /// CPC 760, 853: a lawyer is required at the hearing after an opposition
    /// above 10 000 €. Info.
    pub const LAWYER_ON_OPPOSITION: &str = "lawyer_on_opposition";
    /// C. com. A743-9: the registry fees to expect. Info.
    pub const COURT_FEES: &str = "court_fees";
    /// C. com. L622-21 (L631-14, L641-3): no collective proceeding is open against the debtor.
    /// Blocking.
    pub const NO_COLLECTIVE_PROCEEDINGS: &str = "no_collective_proceedings";
    /// C. conso. L722-2: no over-indebtedness file of the debtor is admissible. Blocking.
    pub const NO_OVER_INDEBTEDNESS: &str = "no_over_indebtedness";
    /// C. civ. 771-772: the debtor is not recorded as deceased. Blocking.
    pub const DEBTOR_ALIVE: &str = "debtor_alive";
    /// C. civ. 1844-7: the company is not recorded as dissolved, merged or struck off.
    /// Blocking.
    pub const COMPANY_ACTIVE: &str = "company_active";

    /// Every key, in the order of the report.
    pub const ALL: [&str; 14] = [
        CONTRACTUAL_CLAIM,
        DETERMINED_AMOUNT,
        FORMAL_NOTICE_SENT,
        FORMAL_NOTICE_EXPIRED,
        NOT_PRESCRIBED,
        NO_OPEN_DISPUTE,
        DEBTOR_IN_FRANCE,
        SMALL_CLAIMS,
        LAWYER_ON_OPPOSITION,
        COURT_FEES,
        NO_COLLECTIVE_PROCEEDINGS,
        NO_OVER_INDEBTEDNESS,
        DEBTOR_ALIVE,
        COMPANY_ACTIVE,
    ];

    /// Whether the condition of `key` forbids the dossier when it fails.
    pub fn is_blocking(key: &str) -> bool {
        !matches!(key, SMALL_CLAIMS | LAWYER_ON_OPPOSITION | COURT_FEES)
    }
}

/// How a condition stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ConditionStatus {
    /// Satisfied.
    Met,
    /// Not satisfied: forbids the dossier when the condition is blocking.
    Failed,
    /// Satisfied for now, but needs attention soon (never forbids).
    Warning,
    /// Information, not a condition (an alternative, a cost), or a condition
    /// that does not apply (e.g. the notice's deadline when no notice was sent).
    Info,
}

/// One condition of the eligibility report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Condition {
    /// Stable machine key (see [`keys`]).
    pub key: &'static str,
    /// How it stands.
    pub status: ConditionStatus,
    /// Whether the condition forbids the dossier when `Failed`; fixed per key
    /// ([`keys::is_blocking`]), whatever the status.
    pub blocking: bool,
    /// Short French title.
    pub title: String,
    /// French explanation, with the figures and dates.
    pub reason: String,
    /// The article the condition applies.
    pub article: &'static str,
}

impl Condition {
    /// A condition of `key`, its `blocking` flag taken from the key.
    pub fn new(
        key: &'static str,
        status: ConditionStatus,
        title: &str,
        reason: String,
        article: &'static str,
    ) -> Condition {
        Condition {
            key,
            status,
            blocking: keys::is_blocking(key),
            title: title.to_string(),
            reason,
            article,
        }
    }

    /// Whether this condition forbids the dossier.
    pub fn forbids(&self) -> bool {
        self.blocking && self.status == ConditionStatus::Failed
    }
}
