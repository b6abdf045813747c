//! The agent's work queue order (issue 3 §3): a priority score per case, documented here and
//! in docs/ARCHITECTURE.md. Higher comes first. Integers only: it is a ranking, not money.
//!
//! score = amount points + lateness points + broken-promise points + stage points, where
//! - amount: 1 point per full 100 € outstanding, at most 300 (30 000 € and above weigh alike);
//! - lateness: 1 point per 3 days since the oldest unpaid due date, at most 120 (one year);
//! - broken promises: 40 points each, at most 120;
//! - stage: formal notice expired +100 (the case waits for a decision on legal action),
//!   formal notice running +30, amicable 0, payment plan or dispute −50 (someone else moves).

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

use super::workflow::CaseState;

/// What the score is computed from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PriorityFacts {
    pub outstanding: Decimal,
    pub days_late: i64,
    pub broken_promises: u32,
    pub state: CaseState,
    pub formal_notice_expired: bool,
}

/// The score's parts, as the queue explains them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Parts {
    pub amount: i64,
    pub lateness: i64,
    pub promises: i64,
    pub stage: i64,
}

impl Parts {
    pub fn total(&self) -> i64 {
        self.amount + self.lateness + self.promises + self.stage
    }
}

/// The parts of the score of a case (see the module documentation).
pub fn parts(f: &PriorityFacts) -> Parts {
    let hundreds = (f.outstanding / Decimal::from(100))
        .trunc()
        .to_i64()
        .unwrap_or(i64::MAX);
    Parts {
        amount: hundreds.clamp(0, 300),
        lateness: (f.days_late.max(0) / 3).min(120),
        promises: (i64::from(f.broken_promises) * 40).min(120),
        stage: match f.state {
            CaseState::FormalNotice if f.formal_notice_expired => 100,
            CaseState::FormalNotice => 30,
            CaseState::PaymentPlan | CaseState::Disputed => -50,
            _ => 0,
        },
    }
}

/// The priority score of a case (see the module documentation).
pub fn score(f: &PriorityFacts) -> i64 {
    parts(f).total()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(amount: &str, days: i64) -> PriorityFacts {
        PriorityFacts {
            outstanding: amount.parse().unwrap(),
            days_late: days,
            broken_promises: 0,
            state: CaseState::Amicable,
            formal_notice_expired: false,
        }
    }

    #[test]
    fn each_component_adds_as_documented() {
        assert_eq!(score(&facts("1234.56", 31)), 12 + 10);
        assert_eq!(score(&facts("99.99", 2)), 0);
        assert_eq!(score(&facts("1000000", 10_000)), 300 + 120);
        let f = PriorityFacts {
            broken_promises: 2,
            state: CaseState::FormalNotice,
            formal_notice_expired: true,
            ..facts("500", 90)
        };
        assert_eq!(score(&f), 5 + 30 + 80 + 100);
        let plan = PriorityFacts {
            state: CaseState::PaymentPlan,
            ..facts("500", 90)
        };
        assert_eq!(score(&plan), 5 + 30 - 50);
        assert_eq!(
            parts(&f),
            Parts {
                amount: 5,
                lateness: 30,
                promises: 80,
                stage: 100
            }
        );
        let capped = PriorityFacts {
            broken_promises: 9,
            ..facts("0", 0)
        };
        assert_eq!(score(&capped), 120);
    }

    #[test]
    fn more_money_and_more_lateness_rank_higher() {
        assert!(score(&facts("5000", 30)) > score(&facts("4000", 30)));
        assert!(score(&facts("5000", 60)) > score(&facts("5000", 30)));
    }
}
