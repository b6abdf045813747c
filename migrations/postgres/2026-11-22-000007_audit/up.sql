-- The audit trail (issue 4).
-- 1. The head of each case's event chain, written in the same transaction as each event:
--    deleting the last events of a case (which the chain alone cannot show) now shows as a
--    head that no event matches.
CREATE TABLE case_event_heads (
    case_id BIGINT PRIMARY KEY NOT NULL REFERENCES cases (id),
    seq BIGINT NOT NULL,
    hash TEXT NOT NULL CHECK (length(hash) = 64)
);
INSERT INTO case_event_heads (case_id, seq, hash)
    SELECT e.case_id, e.seq, e.hash FROM case_events e
    WHERE e.seq = (SELECT max(m.seq) FROM case_events m WHERE m.case_id = e.case_id);

-- 2. The security log: sign-ins, failed sign-ins, lock-outs, refused operations and
--    downloads, across all cases; append-only and hash-chained like the case events
--    (hash = sha256(prev_hash || canonical entry)). Its head lives in security_log_head, whose
--    single row every append locks, so the chain has one writer at a time.
CREATE TABLE security_events (
    id BIGSERIAL PRIMARY KEY,
    seq BIGINT NOT NULL UNIQUE,
    occurred_at TIMESTAMP NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('login_succeeded', 'login_failed', 'account_locked',
        'login_refused_locked', 'refresh_token_reused', 'permission_refused',
        'evidence_downloaded', 'document_downloaded', 'dossier_downloaded')),
    user_id BIGINT REFERENCES users (id),
    email TEXT,
    ip TEXT,
    case_id BIGINT REFERENCES cases (id),
    detail TEXT NOT NULL,
    prev_hash TEXT NOT NULL CHECK (length(prev_hash) = 64),
    hash TEXT NOT NULL CHECK (length(hash) = 64)
);
CREATE INDEX security_events_user ON security_events (user_id, seq);
CREATE INDEX security_events_kind ON security_events (kind, seq);
CREATE TABLE security_log_head (
    id INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),
    seq BIGINT NOT NULL,
    hash TEXT NOT NULL CHECK (length(hash) = 64)
);
INSERT INTO security_log_head (id, seq, hash)
    VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
