-- Issue 17. What the debtor sends from their page with a dispute or with « J'ai déjà payé »:
-- the debtor's files, kept apart from the case's exhibits (the creditor's evidence, which
-- feeds the dossier) and shown to whoever sees the case. The bytes are in the blob store,
-- content-addressed like the pieces'.
CREATE TABLE debtor_pieces (
    id INTEGER PRIMARY KEY NOT NULL,
    case_id BIGINT NOT NULL REFERENCES cases (id),
    link_id BIGINT NOT NULL REFERENCES debtor_links (id),
    purpose TEXT NOT NULL CHECK (purpose IN ('dispute', 'already_paid')),
    -- The dispute it supports, for a dispute's piece.
    dispute_id BIGINT REFERENCES disputes (id),
    filename TEXT NOT NULL,
    media_type TEXT NOT NULL,
    sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
    size_bytes BIGINT NOT NULL CHECK (size_bytes >= 0),
    added_at TIMESTAMP NOT NULL
);
CREATE INDEX debtor_pieces_case ON debtor_pieces (case_id);
CREATE INDEX debtor_pieces_sha256 ON debtor_pieces (sha256);
