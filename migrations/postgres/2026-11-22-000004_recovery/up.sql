-- Amicable recovery (issue 3): the agency's settings, playbooks and their progress per case,
-- the outbox, the agents' tasks, stored documents, calls, promises, disputes, payment plans
-- and remittances to creditors. Money in integer cents.

-- What the agency's letters need (CPCE R124-2, R124-4). One row.
CREATE TABLE agency_settings (
    id INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),
    agency_org_id BIGINT REFERENCES organisations (id),
    insurer TEXT NOT NULL,
    policy_number TEXT NOT NULL,
    iban TEXT NOT NULL,
    bic TEXT,
    phone TEXT,
    email TEXT,
    mail_from TEXT NOT NULL,
    signatory TEXT NOT NULL,
    formal_notice_days INTEGER NOT NULL CHECK (formal_notice_days BETWEEN 8 AND 30),
    grace_days INTEGER NOT NULL CHECK (grace_days BETWEEN 0 AND 30),
    updated_at TIMESTAMP NOT NULL
);
INSERT INTO agency_settings (id, insurer, policy_number, iban, mail_from, signatory, formal_notice_days, grace_days, updated_at)
VALUES (1, '', '', '', 'recouvrement@recouvra.invalid', '', 8, 3, '2026-11-22 00:00:00');

CREATE TABLE playbooks (
    id BIGSERIAL PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    is_default BOOLEAN NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE TABLE playbook_steps (
    id BIGSERIAL PRIMARY KEY,
    playbook_id BIGINT NOT NULL REFERENCES playbooks (id),
    position INTEGER NOT NULL CHECK (position >= 1),
    basis TEXT NOT NULL CHECK (basis IN ('accepted', 'due_date', 'previous')),
    delay_days INTEGER NOT NULL CHECK (delay_days BETWEEN 0 AND 365),
    channel TEXT NOT NULL CHECK (channel IN ('email', 'letter', 'registered_letter', 'phone_task', 'review_task')),
    template TEXT NOT NULL,
    UNIQUE (playbook_id, position)
);
-- The default playbook (no explicit ids: PostgreSQL's sequence must stay in step).
INSERT INTO playbooks (name, is_default, created_at, updated_at)
VALUES ('Relance standard', TRUE, '2026-11-22 00:00:00', '2026-11-22 00:00:00');
INSERT INTO playbook_steps (playbook_id, position, basis, delay_days, channel, template)
SELECT p.id, s.position, s.basis, s.delay_days, s.channel, s.template
FROM playbooks p, (
    SELECT 1 AS position, 'accepted' AS basis, 0 AS delay_days, 'email' AS channel, 'courteous_reminder' AS template
    UNION ALL SELECT 2, 'previous', 10, 'email', 'firm_reminder'
    UNION ALL SELECT 3, 'previous', 7, 'phone_task', 'call'
    UNION ALL SELECT 4, 'previous', 7, 'letter', 'reminder_letter'
    UNION ALL SELECT 5, 'previous', 10, 'registered_letter', 'formal_notice'
) s
WHERE p.name = 'Relance standard';

CREATE TABLE creditor_playbooks (
    creditor_org_id BIGINT PRIMARY KEY NOT NULL REFERENCES organisations (id),
    playbook_id BIGINT NOT NULL REFERENCES playbooks (id)
);

-- Where a case stands in its playbook and its letters. One row per accepted case.
CREATE TABLE case_recovery (
    case_id BIGINT PRIMARY KEY NOT NULL REFERENCES cases (id),
    playbook_id BIGINT REFERENCES playbooks (id),
    next_step INTEGER NOT NULL,
    anchor_at TIMESTAMP NOT NULL,
    first_letter_ref TEXT,
    first_letter_on DATE,
    formal_notice_on DATE,
    formal_notice_posted_on DATE,
    formal_notice_tracking TEXT,
    formal_notice_delivered_on DATE,
    formal_notice_deadline DATE,
    formal_notice_expired BOOLEAN NOT NULL,
    resume_state TEXT
);

-- Generated PDFs (letters, receipts, statements), stored byte for byte by SHA-256.
CREATE TABLE documents (
    id BIGSERIAL PRIMARY KEY,
    case_id BIGINT REFERENCES cases (id),
    creditor_org_id BIGINT REFERENCES organisations (id),
    kind TEXT NOT NULL,
    reference TEXT NOT NULL,
    filename TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    created_by BIGINT REFERENCES users (id)
);
CREATE INDEX documents_case ON documents (case_id);

-- Every e-mail and letter leaves through here, exactly once.
CREATE TABLE outbox (
    id BIGSERIAL PRIMARY KEY,
    case_id BIGINT REFERENCES cases (id),
    channel TEXT NOT NULL CHECK (channel IN ('email', 'letter', 'registered_letter')),
    kind TEXT NOT NULL,
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    document_id BIGINT REFERENCES documents (id),
    status TEXT NOT NULL CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'uncertain', 'to_post', 'posted', 'cancelled')),
    attempts INTEGER NOT NULL,
    next_attempt_at TIMESTAMP NOT NULL,
    last_error TEXT,
    claimed_by TEXT,
    claimed_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    sent_at TIMESTAMP,
    tracking_number TEXT
);
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
CREATE INDEX outbox_case ON outbox (case_id);

-- The agents' work queue.
CREATE TABLE tasks (
    id BIGSERIAL PRIMARY KEY,
    case_id BIGINT NOT NULL REFERENCES cases (id),
    kind TEXT NOT NULL CHECK (kind IN ('call', 'review', 'post_letter', 'message_failed', 'dispute_answered', 'formal_notice_expired', 'plan_decision', 'step_blocked')),
    title TEXT NOT NULL,
    due_on DATE NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('open', 'done', 'cancelled')),
    outbox_id BIGINT REFERENCES outbox (id),
    created_at TIMESTAMP NOT NULL,
    closed_at TIMESTAMP,
    closed_by BIGINT REFERENCES users (id),
    note TEXT
);
CREATE INDEX tasks_open ON tasks (status, due_on);
CREATE INDEX tasks_case ON tasks (case_id);

CREATE TABLE calls (
    id BIGSERIAL PRIMARY KEY,
    case_id BIGINT NOT NULL REFERENCES cases (id),
    outcome TEXT NOT NULL CHECK (outcome IN ('reached', 'no_answer', 'wrong_number', 'promise', 'dispute', 'refusal')),
    notes TEXT NOT NULL,
    called_at TIMESTAMP NOT NULL,
    agent_id BIGINT NOT NULL REFERENCES users (id)
);
CREATE INDEX calls_case ON calls (case_id);

CREATE TABLE promises (
    id BIGSERIAL PRIMARY KEY,
    case_id BIGINT NOT NULL REFERENCES cases (id),
    pay_by DATE NOT NULL,
    amount_cents BIGINT NOT NULL CHECK (amount_cents > 0),
    status TEXT NOT NULL CHECK (status IN ('open', 'kept', 'broken', 'cancelled')),
    made_on DATE NOT NULL,
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    resolved_at TIMESTAMP
);
CREATE INDEX promises_case ON promises (case_id, status);

CREATE TABLE disputes (
    id BIGSERIAL PRIMARY KEY,
    case_id BIGINT NOT NULL REFERENCES cases (id),
    reason TEXT NOT NULL CHECK (reason IN ('quality', 'delivery', 'price', 'already_paid', 'other')),
    details TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('open', 'answered', 'resolved')),
    raised_by BIGINT NOT NULL REFERENCES users (id),
    raised_at TIMESTAMP NOT NULL,
    creditor_answer TEXT,
    answered_by BIGINT REFERENCES users (id),
    answered_at TIMESTAMP,
    resolution TEXT CHECK (resolution IN ('resume', 'close')),
    resolution_note TEXT,
    resolved_by BIGINT REFERENCES users (id),
    resolved_at TIMESTAMP
);
CREATE INDEX disputes_case ON disputes (case_id);

CREATE TABLE payment_plans (
    id BIGSERIAL PRIMARY KEY,
    case_id BIGINT NOT NULL REFERENCES cases (id),
    status TEXT NOT NULL CHECK (status IN ('proposed', 'active', 'refused', 'broken', 'completed', 'cancelled')),
    total_cents BIGINT NOT NULL CHECK (total_cents > 0),
    paid_before_cents BIGINT NOT NULL,
    note TEXT NOT NULL,
    proposed_by BIGINT NOT NULL REFERENCES users (id),
    proposed_at TIMESTAMP NOT NULL,
    auto_approved BOOLEAN NOT NULL,
    decided_by BIGINT REFERENCES users (id),
    decided_at TIMESTAMP,
    ended_at TIMESTAMP
);
CREATE INDEX payment_plans_case ON payment_plans (case_id, status);
CREATE TABLE plan_instalments (
    id BIGSERIAL PRIMARY KEY,
    plan_id BIGINT NOT NULL REFERENCES payment_plans (id),
    position INTEGER NOT NULL CHECK (position >= 1),
    due_on DATE NOT NULL,
    amount_cents BIGINT NOT NULL CHECK (amount_cents > 0),
    UNIQUE (plan_id, position)
);

-- Limits within which a plan needs no approval by the creditor (NULL: always ask).
CREATE TABLE mandate_plan_limits (
    mandate_id BIGINT PRIMARY KEY NOT NULL REFERENCES mandates (id),
    max_instalments INTEGER NOT NULL CHECK (max_instalments >= 1),
    max_months INTEGER NOT NULL CHECK (max_months >= 1)
);

-- Funds collected for a creditor and passed on to it (CPCE R124-6), net of the commission.
CREATE TABLE remittances (
    id BIGSERIAL PRIMARY KEY,
    creditor_org_id BIGINT NOT NULL REFERENCES organisations (id),
    reference TEXT NOT NULL UNIQUE,
    status TEXT NOT NULL CHECK (status IN ('prepared', 'paid')),
    due_on DATE NOT NULL,
    gross_cents BIGINT NOT NULL,
    commission_cents BIGINT NOT NULL,
    net_cents BIGINT NOT NULL,
    document_id BIGINT REFERENCES documents (id),
    prepared_by BIGINT NOT NULL REFERENCES users (id),
    prepared_at TIMESTAMP NOT NULL,
    paid_on DATE
);
CREATE TABLE remittance_lines (
    payment_id BIGINT PRIMARY KEY NOT NULL REFERENCES payments (id),
    remittance_id BIGINT NOT NULL REFERENCES remittances (id),
    amount_cents BIGINT NOT NULL,
    commission_cents BIGINT NOT NULL
);
CREATE INDEX remittance_lines_remittance ON remittance_lines (remittance_id);
