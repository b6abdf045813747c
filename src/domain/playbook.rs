//! Playbooks (DESIGN.md §2): the ordered steps of amicable recovery, when each falls due, and
//! which combinations of channel and template make sense. Pure: the scheduler (jobs) loads the
//! facts and performs the step.

use chrono::{Days, NaiveDate};

use super::calendar::DateOutOfRange;

use super::parties::text_enum;
use super::workflow::CaseState;

text_enum!(
    /// What a step's delay counts from.
    Basis {
        Accepted => "accepted",
        DueDate => "due_date",
        Previous => "previous",
    }
);

text_enum!(
    /// How a step reaches the debtor, or which task it gives an agent.
    Channel {
        Email => "email",
        Letter => "letter",
        RegisteredLetter => "registered_letter",
        PhoneTask => "phone_task",
        ReviewTask => "review_task",
    }
);

text_enum!(
    /// What a step says. Letters and e-mails are rendered from the template of that name.
    Template {
        CourteousReminder => "courteous_reminder",
        FirmReminder => "firm_reminder",
        ReminderLetter => "reminder_letter",
        FormalNotice => "formal_notice",
        Call => "call",
        Review => "review",
    }
);

/// Most steps a playbook may have.
pub const MAX_STEPS: usize = 20;
/// Longest delay of one step, in days.
pub const MAX_DELAY_DAYS: u32 = 365;

/// One step of a playbook; positions run 1, 2, 3… in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub position: i32,
    pub basis: Basis,
    pub delay_days: u32,
    pub channel: Channel,
    pub template: Template,
}

/// A step refused, with the index (0-based) of the step and the field at fault.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepError {
    pub index: Option<usize>,
    pub field: &'static str,
    pub message: String,
}

/// The rules of contact, agency settings (repeated solicitations and calls at unsocial times
/// are among the aggressive practices the DGCCRF finds in the trade; the law sets no figure,
/// the defaults are *our convention*, LEGAL.md §8).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ContactRules {
    /// At most this many letters or e-mails of one channel to one debtor (all its cases, by
    /// SIREN or by debtor) over a rolling week; a step beyond waits for the next run that
    /// keeps under it.
    pub max_messages_per_week: i32,
    /// Call tasks say when to call: from this hour to that one (Europe/Paris), never at night.
    pub call_from_hour: i32,
    pub call_until_hour: i32,
    /// Whether a call task may fall on a Saturday (never on a Sunday or a public holiday).
    pub calls_on_saturday: bool,
}

impl Default for ContactRules {
    /// Two a week; calls from 9 h to 19 h, Saturdays included *(convention)*.
    fn default() -> Self {
        ContactRules {
            max_messages_per_week: 2,
            call_from_hour: 9,
            call_until_hour: 19,
            calls_on_saturday: true,
        }
    }
}

impl ContactRules {
    /// Checks rules an admin is about to save; the field at fault and the reason.
    pub fn check(&self) -> Result<(), (&'static str, &'static str)> {
        if !(1..=14).contains(&self.max_messages_per_week) {
            return Err(("maxMessagesPerWeek", "between 1 and 14 a week"));
        }
        if !(8..=20).contains(&self.call_from_hour) {
            return Err(("callFromHour", "between 8 and 20 hours"));
        }
        if !(9..=21).contains(&self.call_until_hour) || self.call_until_hour <= self.call_from_hour
        {
            return Err((
                "callUntilHour",
                "between 9 and 21 hours, after the first hour of calls",
            ));
        }
        Ok(())
    }

    /// The first day from `from` a call task may fall on.
    pub fn call_day(&self, from: NaiveDate) -> Result<NaiveDate, DateOutOfRange> {
        super::calendar::call_day(from, self.calls_on_saturday)
    }

    /// What a call task asks, with the hours (« Appeler le débiteur entre 9 h et 19 h »).
    pub fn call_title(&self, what: &str) -> String {
        format!(
            "{what} entre {} h et {} h",
            self.call_from_hour, self.call_until_hour
        )
    }
}

impl Channel {
    /// Whether the step sends something to the debtor (rather than creating a task).
    pub fn is_message(self) -> bool {
        matches!(
            self,
            Channel::Email | Channel::Letter | Channel::RegisteredLetter
        )
    }
}

impl Template {
    /// The templates that demand payment of the debtor by letter or e-mail: what an incident
    /// in force stops, also when the message already waits in the outbox.
    pub const DEMANDS: &'static [Template] = &[
        Template::CourteousReminder,
        Template::FirmReminder,
        Template::ReminderLetter,
        Template::FormalNotice,
    ];

    /// The channels a template can go out on.
    pub fn channels(self) -> &'static [Channel] {
        match self {
            Template::CourteousReminder | Template::FirmReminder => &[Channel::Email],
            Template::ReminderLetter => &[Channel::Letter, Channel::RegisteredLetter],
            // C. civ. 1344: a formal notice is a written demand; LRAR is the practice, and
            // only a registered letter gives the posting date the deadline needs.
            Template::FormalNotice => &[Channel::RegisteredLetter],
            Template::Call => &[Channel::PhoneTask],
            Template::Review => &[Channel::ReviewTask],
        }
    }
}

/// Checks a whole list of steps (an admin replaces a playbook's steps at once).
pub fn validate(steps: &[Step]) -> Result<(), StepError> {
    let whole = |message: &str| StepError {
        index: None,
        field: "steps",
        message: message.to_string(),
    };
    if steps.is_empty() {
        return Err(whole("a playbook needs at least one step"));
    }
    if steps.len() > MAX_STEPS {
        return Err(whole(&format!("a playbook has at most {MAX_STEPS} steps")));
    }
    for (i, step) in steps.iter().enumerate() {
        let at = |field: &'static str, message: String| StepError {
            index: Some(i),
            field,
            message,
        };
        if step.delay_days > MAX_DELAY_DAYS {
            return Err(at("delayDays", format!("at most {MAX_DELAY_DAYS} days")));
        }
        if !step.template.channels().contains(&step.channel) {
            let allowed: Vec<&str> = step
                .template
                .channels()
                .iter()
                .map(|c| c.as_str())
                .collect();
            return Err(at(
                "channel",
                format!(
                    "the template {} goes out by {}",
                    step.template.as_str(),
                    allowed.join(" or ")
                ),
            ));
        }
        if step.template == Template::FormalNotice && i + 1 != steps.len() {
            return Err(at(
                "template",
                "the formal notice ends the amicable phase: it must be the last step".into(),
            ));
        }
    }
    Ok(())
}

/// What the due date of a step depends on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StepFacts {
    /// The day the agency accepted the case.
    pub accepted_on: NaiveDate,
    /// The earliest due date among the case's invoices.
    pub earliest_due: NaiveDate,
    /// The day the previous step ran, or the playbook resumed after a pause (the acceptance
    /// day before any step).
    pub anchor_on: NaiveDate,
}

/// The day a step falls due. A step whose basis is already far in the past is due at once.
pub fn due_on(step: &Step, facts: &StepFacts) -> Option<NaiveDate> {
    let base = match step.basis {
        Basis::Accepted => facts.accepted_on,
        Basis::DueDate => facts.earliest_due,
        Basis::Previous => facts.anchor_on,
    };
    base.checked_add_days(Days::new(u64::from(step.delay_days)))
}

/// Why a case's playbook is paused, if it is (issue 3: on a dispute, a live promise to pay,
/// during a payment plan; full payment closes the case). `None`: steps may run.
pub fn paused_by(state: CaseState, open_promise: bool) -> Option<&'static str> {
    match state {
        CaseState::Amicable if open_promise => Some("a promise to pay is running"),
        CaseState::Amicable => None,
        CaseState::Disputed => Some("the debtor disputes the claim"),
        CaseState::PaymentPlan => Some("a payment plan is running"),
        CaseState::Submitted => Some("the case is not accepted yet"),
        _ => Some("the amicable phase is over"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn step(basis: Basis, delay: u32, channel: Channel, template: Template) -> Step {
        Step {
            position: 1,
            basis,
            delay_days: delay,
            channel,
            template,
        }
    }

    #[test]
    fn due_dates_count_from_their_basis() {
        let facts = StepFacts {
            accepted_on: ymd(2026, 3, 2),
            earliest_due: ymd(2026, 1, 15),
            anchor_on: ymd(2026, 3, 12),
        };
        let e = |b| due_on(&step(b, 10, Channel::Email, Template::FirmReminder), &facts);
        assert_eq!(e(Basis::Accepted), Some(ymd(2026, 3, 12)));
        assert_eq!(e(Basis::DueDate), Some(ymd(2026, 1, 25)));
        assert_eq!(e(Basis::Previous), Some(ymd(2026, 3, 22)));
    }

    #[test]
    fn channel_and_template_must_agree() {
        let bad = [step(
            Basis::Previous,
            3,
            Channel::Email,
            Template::FormalNotice,
        )];
        let err = validate(&bad).unwrap_err();
        assert_eq!((err.index, err.field), (Some(0), "channel"));
        assert!(err.message.contains("registered_letter"), "{}", err.message);
        let ok = [
            step(
                Basis::Accepted,
                0,
                Channel::Email,
                Template::CourteousReminder,
            ),
            step(Basis::Previous, 7, Channel::PhoneTask, Template::Call),
            step(
                Basis::Previous,
                7,
                Channel::Letter,
                Template::ReminderLetter,
            ),
            step(
                Basis::Previous,
                10,
                Channel::RegisteredLetter,
                Template::FormalNotice,
            ),
        ];
        assert_eq!(validate(&ok), Ok(()));
    }

    #[test]
    fn the_formal_notice_comes_last_and_lists_are_bounded() {
        let notice_first = [
            step(
                Basis::Accepted,
                0,
                Channel::RegisteredLetter,
                Template::FormalNotice,
            ),
            step(Basis::Previous, 7, Channel::PhoneTask, Template::Call),
        ];
        assert_eq!(validate(&notice_first).unwrap_err().field, "template");
        assert_eq!(validate(&[]).unwrap_err().field, "steps");
        let many = vec![step(Basis::Previous, 1, Channel::PhoneTask, Template::Call); 21];
        assert_eq!(validate(&many).unwrap_err().field, "steps");
        let long = [step(
            Basis::Previous,
            366,
            Channel::PhoneTask,
            Template::Call,
        )];
        assert_eq!(validate(&long).unwrap_err().field, "delayDays");
    }

    #[test]
    fn the_playbook_pauses_for_promises_disputes_and_plans() {
        assert_eq!(paused_by(CaseState::Amicable, false), None);
        assert!(paused_by(CaseState::Amicable, true).is_some());
        assert!(paused_by(CaseState::Disputed, false).is_some());
        assert!(paused_by(CaseState::PaymentPlan, false).is_some());
        assert!(paused_by(CaseState::FormalNotice, false).is_some());
        assert!(paused_by(CaseState::Closed, false).is_some());
    }
}
