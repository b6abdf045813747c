-- Foundation: organisations, accounts, mandates, debtors, cases, invoices, the audit chain.
-- Money is integer cents; enums are text with a CHECK; timestamps are UTC.
CREATE TABLE organisations (
    id BIGSERIAL PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('agency', 'creditor')),
    name TEXT NOT NULL,
    legal_form TEXT NOT NULL,
    siren TEXT NOT NULL UNIQUE,
    address_line1 TEXT NOT NULL,
    address_line2 TEXT,
    postal_code TEXT NOT NULL,
    city TEXT NOT NULL,
    country TEXT NOT NULL DEFAULT 'FR',
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE users (
    id BIGSERIAL PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'agent', 'lawyer', 'creditor')),
    organisation_id BIGINT REFERENCES organisations (id),
    active BOOLEAN NOT NULL DEFAULT TRUE,
    failed_logins INTEGER NOT NULL DEFAULT 0,
    first_failed_at TIMESTAMP,
    locked_until TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE refresh_tokens (
    id BIGSERIAL PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id),
    token_hash TEXT NOT NULL UNIQUE,
    family TEXT NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family);

CREATE TABLE mandates (
    id BIGSERIAL PRIMARY KEY,
    creditor_org_id BIGINT NOT NULL REFERENCES organisations (id),
    signed_on DATE NOT NULL,
    ends_on DATE,
    commission_bps INTEGER NOT NULL CHECK (commission_bps >= 0 AND commission_bps <= 10000),
    terms TEXT NOT NULL,
    created_by BIGINT REFERENCES users (id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX mandates_creditor ON mandates (creditor_org_id);

CREATE TABLE debtors (
    id BIGSERIAL PRIMARY KEY,
    creditor_org_id BIGINT NOT NULL REFERENCES organisations (id),
    kind TEXT NOT NULL CHECK (kind IN ('company', 'individual')),
    name TEXT NOT NULL,
    first_name TEXT,
    legal_form TEXT,
    siren TEXT,
    address_line1 TEXT NOT NULL,
    address_line2 TEXT,
    postal_code TEXT NOT NULL,
    city TEXT NOT NULL,
    country TEXT NOT NULL DEFAULT 'FR',
    email TEXT,
    phone TEXT,
    is_consumer BOOLEAN NOT NULL,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE cases (
    id BIGSERIAL PRIMARY KEY,
    reference TEXT NOT NULL UNIQUE,
    creditor_org_id BIGINT NOT NULL REFERENCES organisations (id),
    debtor_id BIGINT NOT NULL REFERENCES debtors (id),
    mandate_id BIGINT NOT NULL REFERENCES mandates (id),
    state TEXT NOT NULL CHECK (state IN ('submitted', 'rejected', 'amicable', 'payment_plan',
        'formal_notice', 'disputed', 'legal', 'filed', 'order_granted', 'order_rejected', 'served',
        'opposed', 'enforceable', 'enforcement', 'closed')),
    outcome TEXT CHECK (outcome IN ('paid', 'settled', 'unrecoverable', 'withdrawn', 'prescribed',
        'rejected', 'handed_over')),
    assigned_agent_id BIGINT REFERENCES users (id),
    assigned_lawyer_id BIGINT REFERENCES users (id),
    note TEXT NOT NULL,
    status_reason TEXT,
    opened_by BIGINT NOT NULL REFERENCES users (id),
    opened_at TIMESTAMP NOT NULL,
    accepted_at TIMESTAMP,
    closed_at TIMESTAMP,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX cases_creditor ON cases (creditor_org_id, id);
CREATE INDEX cases_state ON cases (state, id);
CREATE INDEX cases_agent ON cases (assigned_agent_id, id);
CREATE INDEX cases_lawyer ON cases (assigned_lawyer_id, id);

CREATE TABLE invoices (
    id BIGSERIAL PRIMARY KEY,
    case_id BIGINT NOT NULL REFERENCES cases (id),
    number TEXT NOT NULL,
    issue_date DATE NOT NULL,
    due_date DATE NOT NULL,
    amount_cents BIGINT NOT NULL CHECK (amount_cents > 0),
    paid_cents BIGINT NOT NULL DEFAULT 0 CHECK (paid_cents >= 0),
    UNIQUE (case_id, number)
);

CREATE TABLE case_events (
    id BIGSERIAL PRIMARY KEY,
    case_id BIGINT NOT NULL REFERENCES cases (id),
    seq BIGINT NOT NULL,
    occurred_at TIMESTAMP NOT NULL,
    actor_user_id BIGINT REFERENCES users (id),
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL,
    UNIQUE (case_id, seq)
);

-- Gap-free yearly counters for case references (REC-YYYY-NNNNNN).
CREATE TABLE counters (
    name TEXT PRIMARY KEY NOT NULL,
    value BIGINT NOT NULL
);
