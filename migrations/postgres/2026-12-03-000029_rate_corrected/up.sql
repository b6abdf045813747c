-- Issue 16. An admin may correct a mistyped half-year of the interest rate table; each
-- correction is an entry of the security log (who, when, the old and the new rates, why).
ALTER TABLE security_events DROP CONSTRAINT security_events_kind_check;
ALTER TABLE security_events ADD CONSTRAINT security_events_kind_check CHECK (kind IN ('login_succeeded', 'login_failed', 'account_locked',
        'login_refused_locked', 'refresh_token_reused', 'permission_refused',
        'evidence_downloaded', 'document_downloaded', 'dossier_downloaded',
        'account_disabled', 'account_enabled',
        'password_changed', 'password_reset_requested', 'password_reset',
        'provisional_password_set',
        'webhook_refused', 'rate_corrected'));
