-- Issue 15. The case list's search key (domain::search::fold of the reference, the debtor's
-- names and SIREN, the invoice numbers), written at intake; rows opened before this
-- migration get theirs from db::migrate right after it runs (the folding is Rust code, the
-- same on both backends). The key is looked for as a substring, which no B-tree serves (and
-- a case of 500 invoices has a key past PostgreSQL's B-tree row limit): its index is the
-- partial one that finds the cases still without a key. Exact lookups have plain indexes:
-- the reference (unique already), the debtors' SIREN.
ALTER TABLE cases ADD COLUMN search_key TEXT NOT NULL DEFAULT '';
CREATE INDEX cases_without_search_key ON cases (id) WHERE search_key = '';
CREATE INDEX debtors_siren ON debtors (siren);
-- Active content found in an uploaded PDF (JavaScript, actions, links, embedded files):
-- the kinds found, comma-separated; NULL when none. Stripped from every dossier.
ALTER TABLE pieces ADD COLUMN active_content TEXT;
