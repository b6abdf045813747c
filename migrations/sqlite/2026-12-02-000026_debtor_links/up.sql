-- Issue 17. The debtor's page: every letter and e-mail to the debtor carries a link of its
-- own (a token of 16 random bytes, of which only the SHA-256 is kept, so the link printed on
-- a letter cannot be read back from the database). An agent revokes every link of a case at
-- once and issues a new one; a link also stops with its case (after a grace period).
CREATE TABLE debtor_links (
    id INTEGER PRIMARY KEY NOT NULL,
    case_id BIGINT NOT NULL REFERENCES cases (id),
    token_hash TEXT NOT NULL UNIQUE CHECK (length(token_hash) = 64),
    -- The letter or e-mail it was printed on (its reference), or NULL when an agent issued it.
    printed_on TEXT,
    created_at TIMESTAMP NOT NULL,
    created_by BIGINT REFERENCES users (id),
    revoked_at TIMESTAMP
);
CREATE INDEX debtor_links_case ON debtor_links (case_id, revoked_at);
