ALTER TABLE cases DROP COLUMN contractual_rate_bps;
