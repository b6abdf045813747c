-- Back to the kinds before passwords (fails while such entries exist: they are part of the
-- hash chain and are not deleted).
-- SQLite cannot change a CHECK constraint: the table is rebuilt with the same rows (ids,
-- sequence and hashes unchanged, so the chain still verifies) and its indexes.
CREATE TABLE security_events_new (
    id INTEGER PRIMARY KEY NOT NULL,
    seq BIGINT NOT NULL UNIQUE,
    occurred_at TIMESTAMP NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('login_succeeded', 'login_failed', 'account_locked',
        'login_refused_locked', 'refresh_token_reused', 'permission_refused',
        'evidence_downloaded', 'document_downloaded', 'dossier_downloaded',
        'account_disabled', 'account_enabled')),
    user_id BIGINT REFERENCES users (id),
    email TEXT,
    ip TEXT,
    case_id BIGINT REFERENCES cases (id),
    detail TEXT NOT NULL,
    prev_hash TEXT NOT NULL CHECK (length(prev_hash) = 64),
    hash TEXT NOT NULL CHECK (length(hash) = 64)
);
INSERT INTO security_events_new (id, seq, occurred_at, kind, user_id, email, ip, case_id,
        detail, prev_hash, hash)
    SELECT id, seq, occurred_at, kind, user_id, email, ip, case_id, detail, prev_hash, hash
    FROM security_events;
DROP TABLE security_events;
ALTER TABLE security_events_new RENAME TO security_events;
CREATE INDEX security_events_user ON security_events (user_id, seq);
CREATE INDEX security_events_kind ON security_events (kind, seq);
DROP TABLE password_resets;
ALTER TABLE users DROP COLUMN must_change_password;
