ALTER TABLE agency_settings DROP COLUMN portal_url;
