ALTER TABLE agency_settings DROP COLUMN calls_on_saturday;
ALTER TABLE agency_settings DROP COLUMN call_until_hour;
ALTER TABLE agency_settings DROP COLUMN call_from_hour;
ALTER TABLE agency_settings DROP COLUMN max_messages_per_week;
