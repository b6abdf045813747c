DROP TABLE bank_entries;
DROP TABLE bank_statements;
