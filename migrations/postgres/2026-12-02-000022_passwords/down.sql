-- Back to the kinds before passwords (fails while such entries exist: they are part of the
-- hash chain and are not deleted).
ALTER TABLE security_events DROP CONSTRAINT security_events_kind_check;
ALTER TABLE security_events ADD CONSTRAINT security_events_kind_check CHECK (kind IN ('login_succeeded', 'login_failed', 'account_locked',
        'login_refused_locked', 'refresh_token_reused', 'permission_refused',
        'evidence_downloaded', 'document_downloaded', 'dossier_downloaded',
        'account_disabled', 'account_enabled'));
DROP TABLE password_resets;
ALTER TABLE users DROP COLUMN must_change_password;
