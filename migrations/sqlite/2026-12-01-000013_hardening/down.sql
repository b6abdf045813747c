ALTER TABLE pieces DROP COLUMN active_content;
DROP INDEX debtors_siren;
DROP INDEX cases_without_search_key;
ALTER TABLE cases DROP COLUMN search_key;
