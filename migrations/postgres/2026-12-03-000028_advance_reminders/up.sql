-- Issue 17. Reminders before, not only after: a courteous e-mail to the debtor a few days
-- before each instalment of a plan and each promised date (the delay is the agency's
-- setting; 0 sends none). One row per promise or instalment reminded, so a reminder goes
-- out once, whichever run (or instance) sees the date first.
ALTER TABLE agency_settings ADD COLUMN reminder_days_before INTEGER NOT NULL DEFAULT 3;
CREATE TABLE advance_reminders (
    id BIGSERIAL PRIMARY KEY,
    case_id BIGINT NOT NULL REFERENCES cases (id),
    subject TEXT NOT NULL CHECK (subject IN ('promise', 'instalment')),
    -- The promise's id, or the instalment's (plan_instalments.id).
    subject_id BIGINT NOT NULL,
    due_on DATE NOT NULL,
    amount_cents BIGINT NOT NULL,
    outbox_id BIGINT REFERENCES outbox (id),
    created_at TIMESTAMP NOT NULL,
    UNIQUE (subject, subject_id)
);
CREATE INDEX advance_reminders_case ON advance_reminders (case_id);
