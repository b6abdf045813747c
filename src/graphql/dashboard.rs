//! The creditor's dashboard, as the portal shows it.

use chrono::NaiveDate;
use juniper::{graphql_object, GraphQLObject};

use super::scalars::{CaseStateGql, DecimalText};
use super::Context;
use crate::domain::dashboard::{Dashboard, AGEING_BUCKETS};

/// Cases of one state.
#[derive(GraphQLObject)]
pub struct StateCount {
    pub state: CaseStateGql,
    pub count: i32,
}

/// Unpaid principal in one ageing bucket.
#[derive(GraphQLObject)]
pub struct AgeingBucket {
    /// "0–30 j", "31–60 j", "61–90 j", "90+ j" (days past the due date).
    pub label: String,
    pub amount: DecimalText,
}

pub struct DashboardNode(pub Dashboard);

/// A creditor's figures for a period: the cohort is the cases opened in it; ageing looks at
/// every open case at the period's end (definitions in docs/ARCHITECTURE.md).
#[graphql_object(name = "Dashboard", context = Context)]
impl DashboardNode {
    fn from(&self) -> NaiveDate {
        self.0.from
    }
    fn to(&self) -> NaiveDate {
        self.0.to
    }
    fn cases_opened(&self) -> i32 {
        i32::try_from(self.0.cases_opened).unwrap_or(i32::MAX)
    }
    /// Principal handed over by the cases opened in the period.
    fn placed(&self) -> DecimalText {
        self.0.placed.into()
    }
    /// Paid by their debtors up to the period's end.
    fn recovered(&self) -> DecimalText {
        self.0.recovered.into()
    }
    /// recovered / placed, in percent (one decimal).
    fn recovery_rate(&self) -> Option<String> {
        self.0.recovery_rate.map(|r| format!("{r:.1}"))
    }
    fn cases_by_state(&self) -> Vec<StateCount> {
        self.0
            .by_state
            .iter()
            .map(|(s, n)| StateCount {
                state: (*s).into(),
                count: i32::try_from(*n).unwrap_or(i32::MAX),
            })
            .collect()
    }
    fn ageing(&self) -> Vec<AgeingBucket> {
        AGEING_BUCKETS
            .iter()
            .zip(self.0.ageing.iter())
            .map(|(label, amount)| AgeingBucket {
                label: label.to_string(),
                amount: (*amount).into(),
            })
            .collect()
    }
    /// Mean days from opening to payment in full, over the period's cases closed as paid.
    fn average_days_to_recover(&self) -> Option<String> {
        self.0.average_days_to_recover.map(|d| format!("{d:.1}"))
    }
}
