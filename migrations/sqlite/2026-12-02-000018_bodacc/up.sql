-- A new kind of task: the agent's alert of a BODACC announcement on the case's debtor.
-- SQLite cannot change a CHECK: the tasks table is rebuilt first (the links point to it).
CREATE TABLE tasks_new (
    id INTEGER PRIMARY KEY NOT NULL,
    case_id BIGINT NOT NULL REFERENCES cases (id),
    kind TEXT NOT NULL CHECK (kind IN ('call', 'review', 'post_letter', 'message_failed', 'dispute_answered', 'formal_notice_expired', 'plan_decision', 'step_blocked', 'legal_deadline', 'claim_declaration', 'payment_after_opening', 'bodacc_alert')),
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

-- Issue 18. BODACC announcements imported (collective proceedings, radiations), once each:
-- `identity` is the record's id in the DILA's open data, else its issue and number.
CREATE TABLE bodacc_announcements (
    id INTEGER PRIMARY KEY NOT NULL,
    identity TEXT NOT NULL UNIQUE,
    published_on DATE NOT NULL,
    bulletin TEXT,
    parution TEXT,
    number TEXT NOT NULL,
    family TEXT NOT NULL CHECK (family IN ('collective', 'radiation')),
    siren TEXT NOT NULL,
    company TEXT,
    court TEXT,
    summary TEXT NOT NULL,
    judgment_on DATE,
    suggested_kind TEXT,
    data TEXT NOT NULL,
    imported_at TIMESTAMP NOT NULL,
    imported_by BIGINT REFERENCES users (id)
);
CREATE INDEX bodacc_announcements_siren ON bodacc_announcements (siren);

-- The open cases of the announcement's SIREN when it was imported, each with its alert.
-- task_id has no foreign key: SQLite rebuilds `tasks` to widen its CHECK (as above), which a
-- table referencing it would forbid.
CREATE TABLE bodacc_case_links (
    announcement_id BIGINT NOT NULL REFERENCES bodacc_announcements (id),
    case_id BIGINT NOT NULL REFERENCES cases (id),
    task_id BIGINT NOT NULL,
    PRIMARY KEY (announcement_id, case_id)
);
CREATE INDEX bodacc_case_links_case ON bodacc_case_links (case_id);

-- The daily feed (RECOUVRA_BODACC_FEED_URL): one row per day claimed by the instance that
-- fetches it, so that several instances, or a restart, fetch it once a day.
CREATE TABLE bodacc_feed_runs (
    day DATE PRIMARY KEY NOT NULL,
    started_at TIMESTAMP NOT NULL,
    outcome TEXT
);
