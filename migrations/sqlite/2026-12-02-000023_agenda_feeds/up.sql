-- Issue 16. The lawyer's agenda as a calendar feed: a calendar application fetches it without
-- a session, so the URL carries a token. Only its SHA-256 is kept; a lawyer has at most one
-- live feed (a new one revokes the old), and revokes it at will.
CREATE TABLE agenda_feeds (
    id INTEGER PRIMARY KEY NOT NULL,
    user_id BIGINT NOT NULL REFERENCES users (id),
    token_hash TEXT NOT NULL UNIQUE CHECK (length(token_hash) = 64),
    created_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP
);
CREATE INDEX agenda_feeds_user ON agenda_feeds (user_id, revoked_at);
