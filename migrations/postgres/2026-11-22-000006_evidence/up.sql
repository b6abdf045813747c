-- The evidence archive (issue 4): every piece of a case, uploaded or generated (letters,
-- formal notice, receipts), kept by its SHA-256 in the blob store. A piece is never changed
-- or deleted: it can only be withdrawn, with a reason (it then leaves the exhibit list and
-- future dossiers, and stays in the archive). The exhibit list is the pieces' numbers.
CREATE TABLE pieces (
    id BIGSERIAL PRIMARY KEY,
    case_id BIGINT NOT NULL REFERENCES cases (id),
    kind TEXT NOT NULL CHECK (kind IN ('contract', 'purchase_order', 'invoice', 'delivery_note',
        'correspondence', 'formal_notice', 'acknowledgement', 'statement', 'other', 'letter', 'receipt')),
    description TEXT NOT NULL,
    filename TEXT NOT NULL,
    media_type TEXT NOT NULL,
    sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
    size_bytes BIGINT NOT NULL CHECK (size_bytes >= 0),
    document_id BIGINT REFERENCES documents (id),
    exhibit_no INTEGER,
    added_by BIGINT REFERENCES users (id),
    added_at TIMESTAMP NOT NULL,
    withdrawn_at TIMESTAMP,
    withdrawn_by BIGINT REFERENCES users (id),
    withdrawal_reason TEXT,
    UNIQUE (case_id, sha256),
    UNIQUE (case_id, exhibit_no)
);
CREATE INDEX pieces_sha256 ON pieces (sha256);
