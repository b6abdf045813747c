DROP TABLE bodacc_feed_runs;
DROP INDEX bodacc_case_links_case;
DROP TABLE bodacc_case_links;
DROP INDEX bodacc_announcements_siren;
DROP TABLE bodacc_announcements;
DELETE FROM tasks WHERE kind = 'bodacc_alert';
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
