-- Issue 18. The déclaration de créance (C. com. L622-24, R622-23): the mandate says whether
-- it grants the agency the special power to declare (Cass. com. 27 Jan. 2015, n° 13-22.584);
-- the incident keeps the declaration's document, its registered letter's tracking number, the
-- security claimed, and the juge-commissaire's decision (L624-2).
ALTER TABLE mandates ADD COLUMN declares_claims BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE debtor_incidents ADD COLUMN security TEXT;
ALTER TABLE debtor_incidents ADD COLUMN declaration_document_id BIGINT REFERENCES documents (id);
ALTER TABLE debtor_incidents ADD COLUMN declaration_tracking TEXT;
ALTER TABLE debtor_incidents ADD COLUMN claim_decision TEXT;
ALTER TABLE debtor_incidents ADD COLUMN claim_decided_on DATE;
ALTER TABLE debtor_incidents ADD COLUMN admitted_cents BIGINT;
