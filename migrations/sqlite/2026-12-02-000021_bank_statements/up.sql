-- Issue 17. Statements of the agency's dedicated account (CPCE R124-2) imported from the bank
-- (camt.053, CSV): one row per statement of an import, with its closing balance when the file
-- gives one (compared with the funds the agency holds, R124-6).
CREATE TABLE bank_statements (
    id INTEGER PRIMARY KEY NOT NULL,
    identity TEXT NOT NULL,
    format TEXT NOT NULL CHECK (format IN ('camt053', 'csv')),
    account_iban TEXT NOT NULL,
    file_sha256 TEXT NOT NULL,
    closing_balance_cents BIGINT,
    closing_balance_on DATE,
    entries INTEGER NOT NULL,
    new_entries INTEGER NOT NULL,
    imported_at TIMESTAMP NOT NULL,
    imported_by BIGINT REFERENCES users (id)
);
CREATE INDEX bank_statements_balance ON bank_statements (closing_balance_on, id);

-- Each booked entry, once ever: `dedupe_key` is the account-servicer reference (with the
-- IBAN), else a SHA-256 of the entry's fields. A credit is matched to a case (and recorded
-- as its payment), proposed for an agent to confirm, left unmatched in the reconciliation
-- queue, or ignored (debits, and what an agent sets aside).
CREATE TABLE bank_entries (
    id INTEGER PRIMARY KEY NOT NULL,
    statement_id BIGINT NOT NULL REFERENCES bank_statements (id),
    dedupe_key TEXT NOT NULL UNIQUE,
    account_iban TEXT NOT NULL,
    booked_on DATE NOT NULL,
    amount_cents BIGINT NOT NULL CHECK (amount_cents > 0),
    direction TEXT NOT NULL CHECK (direction IN ('credit', 'debit')),
    payer_name TEXT,
    remittance TEXT,
    servicer_ref TEXT,
    status TEXT NOT NULL CHECK (status IN ('matched', 'proposed', 'unmatched', 'ignored')),
    reason TEXT,
    case_id BIGINT REFERENCES cases (id),
    payment_id BIGINT REFERENCES payments (id),
    decided_by BIGINT REFERENCES users (id),
    decided_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX bank_entries_status ON bank_entries (status, booked_on);
CREATE INDEX bank_entries_case ON bank_entries (case_id);
CREATE INDEX bank_entries_statement ON bank_entries (statement_id);
