-- The CHECK of cases.outcome widened by db::widen_sqlite_case_outcomes stays wide (every row
-- satisfies both); the outcome itself goes back to the nearest older one.
UPDATE cases SET outcome = 'unrecoverable' WHERE outcome = 'debt_erased';
DELETE FROM tasks WHERE kind IN ('claim_declaration', 'payment_after_opening');
CREATE TABLE tasks_new (
    id INTEGER PRIMARY KEY NOT NULL,
    case_id BIGINT NOT NULL REFERENCES cases (id),
    kind TEXT NOT NULL CHECK (kind IN ('call', 'review', 'post_letter', 'message_failed', 'dispute_answered', 'formal_notice_expired', 'plan_decision', 'step_blocked', 'legal_deadline')),
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
DROP INDEX debtor_incidents_case;
DROP TABLE debtor_incidents;
