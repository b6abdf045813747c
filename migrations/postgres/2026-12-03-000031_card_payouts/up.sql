-- Issue 17. The payment provider's payouts to the dedicated account (CPCE R124-2): the card
-- payments recorded when the provider confirmed them reach the account later, grouped, less
-- the provider's fees. A payout is stored once (its id), when the provider announces it
-- (`payout.paid`, `payout.reconciliation_completed`), with the card payments it carries; the
-- bank statement's entry of it is then reconciled with it — no payment recorded again.
CREATE TABLE card_payouts (
    id BIGSERIAL PRIMARY KEY,
    provider TEXT NOT NULL,
    payout_ref TEXT NOT NULL,
    -- What reaches the account (the provider's `amount`), and what it is made of.
    amount_cents BIGINT NOT NULL CHECK (amount_cents > 0),
    gross_cents BIGINT NOT NULL,
    fee_cents BIGINT NOT NULL,
    other_cents BIGINT NOT NULL,
    charges INTEGER NOT NULL,
    -- Charges of the payout that are none of our card payments.
    unknown_charges INTEGER NOT NULL,
    arrival_on DATE NOT NULL,
    -- The statement's entry it was reconciled with.
    bank_entry_id BIGINT REFERENCES bank_entries (id),
    created_at TIMESTAMP NOT NULL,
    UNIQUE (provider, payout_ref)
);
CREATE UNIQUE INDEX card_payouts_entry ON card_payouts (bank_entry_id) WHERE bank_entry_id IS NOT NULL;
ALTER TABLE card_payments ADD COLUMN card_payout_id BIGINT REFERENCES card_payouts (id);
CREATE INDEX card_payments_payout ON card_payments (card_payout_id);
