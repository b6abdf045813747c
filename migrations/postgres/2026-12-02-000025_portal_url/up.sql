-- Issue 16. The portal's address, which the e-mails to creditors link to (a case's page);
-- empty: the e-mails carry no link.
ALTER TABLE agency_settings ADD COLUMN portal_url TEXT NOT NULL DEFAULT '';
