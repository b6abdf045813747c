-- Issue 16. Passwords users can get back and must own: a forgotten-password link by e-mail
-- (single-use, expiring, its token stored hashed), and a provisional password (given by an
-- admin) that must be changed at first sign-in. The security log records each step.
ALTER TABLE users ADD COLUMN must_change_password BOOLEAN NOT NULL DEFAULT FALSE;
CREATE TABLE password_resets (
    id BIGSERIAL PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id),
    token_hash TEXT NOT NULL UNIQUE CHECK (length(token_hash) = 64),
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP
);
CREATE INDEX password_resets_user ON password_resets (user_id, created_at);
ALTER TABLE security_events DROP CONSTRAINT security_events_kind_check;
ALTER TABLE security_events ADD CONSTRAINT security_events_kind_check CHECK (kind IN ('login_succeeded', 'login_failed', 'account_locked',
        'login_refused_locked', 'refresh_token_reused', 'permission_refused',
        'evidence_downloaded', 'document_downloaded', 'dossier_downloaded',
        'account_disabled', 'account_enabled',
        'password_changed', 'password_reset_requested', 'password_reset',
        'provisional_password_set'));
