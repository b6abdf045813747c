-- Payments received from the debtor on a case. Money in integer cents. Imputation is not
-- stored: the claim engine recomputes it from the payments (C. civ. 1342-10, 1343-1).
CREATE TABLE payments (
    id BIGSERIAL PRIMARY KEY,
    case_id BIGINT NOT NULL REFERENCES cases (id),
    received_on DATE NOT NULL,
    amount_cents BIGINT NOT NULL CHECK (amount_cents > 0),
    method TEXT NOT NULL CHECK (method IN ('transfer', 'card', 'cheque', 'cash', 'direct_debit', 'other')),
    reference TEXT,
    invoice_id BIGINT REFERENCES invoices (id),
    recorded_by BIGINT NOT NULL REFERENCES users (id),
    recorded_at TIMESTAMP NOT NULL
);
CREATE INDEX payments_case ON payments (case_id, received_on);
