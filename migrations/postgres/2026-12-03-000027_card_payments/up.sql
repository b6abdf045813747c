-- Issue 17. Card payments on the debtor's page, through a payment provider (Stripe Checkout:
-- the card is typed on the provider's page, never on ours). A row is written before the
-- provider is asked, so every checkout we started is known; the payment is recorded only
-- when the provider's signed event confirms it. The provider's events are kept by their id:
-- an event delivered twice (a retry, a replay) is recognised and does nothing again.
CREATE TABLE card_payments (
    id BIGSERIAL PRIMARY KEY,
    case_id BIGINT NOT NULL REFERENCES cases (id),
    link_id BIGINT NOT NULL REFERENCES debtor_links (id),
    provider TEXT NOT NULL,
    amount_cents BIGINT NOT NULL CHECK (amount_cents > 0),
    status TEXT NOT NULL CHECK (status IN ('started', 'open', 'paid', 'failed', 'refused')),
    -- The provider's checkout (e.g. cs_…) and, once paid, its payment (e.g. pi_…).
    session_id TEXT UNIQUE,
    provider_payment TEXT UNIQUE,
    payment_id BIGINT REFERENCES payments (id),
    note TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX card_payments_case ON card_payments (case_id, created_at);
CREATE TABLE provider_events (
    id BIGSERIAL PRIMARY KEY,
    provider TEXT NOT NULL,
    event_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    received_at TIMESTAMP NOT NULL,
    card_payment_id BIGINT REFERENCES card_payments (id),
    outcome TEXT NOT NULL,
    UNIQUE (provider, event_id)
);

-- A provider's request refused (a forged or stale signature) is in the security log.
ALTER TABLE security_events DROP CONSTRAINT security_events_kind_check;
ALTER TABLE security_events ADD CONSTRAINT security_events_kind_check CHECK (kind IN ('login_succeeded', 'login_failed', 'account_locked',
        'login_refused_locked', 'refresh_token_reused', 'permission_refused',
        'evidence_downloaded', 'document_downloaded', 'dossier_downloaded',
        'account_disabled', 'account_enabled',
        'password_changed', 'password_reset_requested', 'password_reset',
        'provisional_password_set',
        'webhook_refused'));
