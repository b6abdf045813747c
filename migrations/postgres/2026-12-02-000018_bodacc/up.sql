-- A new kind of task: the agent's alert of a BODACC announcement on the case's debtor.
ALTER TABLE tasks DROP CONSTRAINT tasks_kind_check;
ALTER TABLE tasks ADD CONSTRAINT tasks_kind_check CHECK (kind IN ('call', 'review', 'post_letter', 'message_failed', 'dispute_answered', 'formal_notice_expired', 'plan_decision', 'step_blocked', 'legal_deadline', 'claim_declaration', 'payment_after_opening', 'bodacc_alert'));

-- Issue 18. BODACC announcements imported (collective proceedings, radiations), once each:
-- `identity` is the record's id in the DILA's open data, else its issue and number.
CREATE TABLE bodacc_announcements (
    id BIGSERIAL PRIMARY KEY,
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
