-- The legal phase (issue 5): one proceeding per case referred to a lawyer, from referral to
-- enforcement (CPC 1405–1422). Dates are calendar dates; deadlines are computed, not stored.
CREATE TABLE legal_proceedings (
    case_id BIGINT PRIMARY KEY NOT NULL REFERENCES cases (id),
    lawyer_id BIGINT NOT NULL REFERENCES users (id),
    referred_by BIGINT NOT NULL REFERENCES users (id),
    referred_at TIMESTAMP NOT NULL,
    court_kind TEXT CHECK (court_kind IN ('commercial_court', 'economic_activities_court', 'judicial_court')),
    court_name TEXT,
    transfer_on_opposition BOOLEAN NOT NULL DEFAULT FALSE,
    filed_on DATE,
    filing_reference TEXT,
    order_on DATE,
    order_outcome TEXT CHECK (order_outcome IN ('granted', 'partially_granted', 'rejected')),
    order_amount_cents BIGINT CHECK (order_amount_cents IS NULL OR order_amount_cents > 0),
    served_on DATE,
    served_in_person BOOLEAN,
    first_personal_act_on DATE,
    opposed_on DATE,
    enforceable_on DATE,
    handed_over_on DATE,
    enforcement_officer TEXT
);
CREATE INDEX legal_proceedings_lawyer ON legal_proceedings (lawyer_id);

-- Legal deadlines become tasks of the queue before they fall.
ALTER TABLE tasks DROP CONSTRAINT tasks_kind_check;
ALTER TABLE tasks ADD CONSTRAINT tasks_kind_check CHECK (kind IN ('call', 'review', 'post_letter', 'message_failed', 'dispute_answered', 'formal_notice_expired', 'plan_decision', 'step_blocked', 'legal_deadline'));
