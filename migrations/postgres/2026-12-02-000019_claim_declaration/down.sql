ALTER TABLE debtor_incidents DROP COLUMN admitted_cents;
ALTER TABLE debtor_incidents DROP COLUMN claim_decided_on;
ALTER TABLE debtor_incidents DROP COLUMN claim_decision;
ALTER TABLE debtor_incidents DROP COLUMN declaration_tracking;
ALTER TABLE debtor_incidents DROP COLUMN declaration_document_id;
ALTER TABLE debtor_incidents DROP COLUMN security;
ALTER TABLE mandates DROP COLUMN declares_claims;
