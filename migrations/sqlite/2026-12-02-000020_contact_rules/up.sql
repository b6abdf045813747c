-- Issue 18. The rules of contact as agency settings, with the defaults LEGAL.md names as our
-- convention: at most two letters or e-mails of one channel to one debtor over a rolling week;
-- call tasks within the agency's calling hours, never on a Sunday or a public holiday, on a
-- Saturday unless the agency says otherwise.
ALTER TABLE agency_settings ADD COLUMN max_messages_per_week INTEGER NOT NULL DEFAULT 2 CHECK (max_messages_per_week BETWEEN 1 AND 14);
ALTER TABLE agency_settings ADD COLUMN call_from_hour INTEGER NOT NULL DEFAULT 9 CHECK (call_from_hour BETWEEN 8 AND 20);
ALTER TABLE agency_settings ADD COLUMN call_until_hour INTEGER NOT NULL DEFAULT 19 CHECK (call_until_hour BETWEEN 9 AND 21);
ALTER TABLE agency_settings ADD COLUMN calls_on_saturday BOOLEAN NOT NULL DEFAULT 1;
