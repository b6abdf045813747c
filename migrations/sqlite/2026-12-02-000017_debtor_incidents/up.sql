-- Issue 18. The incidents of a debtor's life recorded on a case: a collective proceeding
-- (C. com. L622-21, L631-14, L641-3), an over-indebtedness file declared admissible
-- (C. conso. L722-2), a death (C. civ. 771-772), a dissolution, merger or striking-off.
-- While one is in force the case's demands, playbook steps and legal steps stop; the
-- claim declaration (R622-24) is tracked on the incident of each case (each creditor
-- declares its own claim).
CREATE TABLE debtor_incidents (
    id INTEGER PRIMARY KEY NOT NULL,
    case_id BIGINT NOT NULL REFERENCES cases (id),
    kind TEXT NOT NULL,
    occurred_on DATE NOT NULL,
    published_on DATE,
    court TEXT,
    reference TEXT,
    representative TEXT,
    creditor_abroad BOOLEAN NOT NULL DEFAULT FALSE,
    long_term_loan BOOLEAN NOT NULL DEFAULT FALSE,
    declared_on DATE,
    ended_on DATE,
    end_kind TEXT,
    end_note TEXT,
    recorded_by BIGINT NOT NULL REFERENCES users (id),
    recorded_at TIMESTAMP NOT NULL
);
CREATE INDEX debtor_incidents_case ON debtor_incidents (case_id, occurred_on);

-- Two new kinds of task: the claim's declaration (R622-24) and a payment received after an
-- opening judgment (L622-7). SQLite cannot change a CHECK: the tasks table is rebuilt.
CREATE TABLE tasks_new (
    id INTEGER PRIMARY KEY NOT NULL,
    case_id BIGINT NOT NULL REFERENCES cases (id),
    kind TEXT NOT NULL CHECK (kind IN ('call', 'review', 'post_letter', 'message_failed', 'dispute_answered', 'formal_notice_expired', 'plan_decision', 'step_blocked', 'legal_deadline', 'claim_declaration', 'payment_after_opening')),
    title TEXT NOT NULL,
    due_on DATE NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('open', 'done', 'cancelled')),
    outbox_id BIGINT REFERENCES outbox (id),
    created_at TIMESTAMP NOT NULL,
    closed_at TIMESTAMP,
    closed_by BIGINT REFERENCES users (id),
    note TEXT
);
INSERT INTO tasks_new SELECT id, case_id, kind, title, due_on, status, outbox_id, created_at, closed_at, closed_by, note FROM tasks;
DROP TABLE tasks;
ALTER TABLE tasks_new RENAME TO tasks;
CREATE INDEX tasks_open ON tasks (status, due_on);
CREATE INDEX tasks_case ON tasks (case_id);
