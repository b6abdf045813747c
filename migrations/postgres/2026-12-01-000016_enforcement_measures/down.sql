ALTER TABLE legal_proceedings DROP COLUMN last_enforcement_act_on;
DROP INDEX enforcement_measures_case;
DROP TABLE enforcement_measures;
