DROP TABLE advance_reminders;
ALTER TABLE agency_settings DROP COLUMN reminder_days_before;
