//! Amicable recovery use cases: payments (more to come: reminders, calls, promises, plans).

pub mod payments;
