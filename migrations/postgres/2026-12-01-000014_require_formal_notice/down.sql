ALTER TABLE agency_settings DROP COLUMN require_formal_notice;
