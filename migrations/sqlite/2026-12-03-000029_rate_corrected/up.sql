-- Issue 16. An admin may correct a mistyped half-year of the interest rate table; each
-- correction is an entry of the security log (who, when, the old and the new rates, why).
-- SQLite cannot alter a CHECK: the log is rebuilt as in 000027, every row and hash kept.
CREATE TABLE security_events_new (
    id INTEGER PRIMARY KEY NOT NULL,
    seq BIGINT NOT NULL UNIQUE,
    occurred_at TIMESTAMP NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('login_succeeded', 'login_failed', 'account_locked',
        'login_refused_locked', 'refresh_token_reused', 'permission_refused',
        'evidence_downloaded', 'document_downloaded', 'dossier_downloaded',
        'account_disabled', 'account_enabled',
        'password_changed', 'password_reset_requested', 'password_reset',
        'provisional_password_set', 'webhook_refused', 'rate_corrected')),
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
