-- Sign-in attempts per client address (accounts::login): counted before the password is
-- checked, in one upsert that returns the count, so the limit holds across instances and
-- whatever the concurrency. A row is one address (IPv4, or an IPv6 /64) and its window.
CREATE TABLE login_attempts (
    address TEXT PRIMARY KEY NOT NULL,
    attempts INTEGER NOT NULL,
    window_start TIMESTAMP NOT NULL
);
CREATE INDEX login_attempts_window ON login_attempts (window_start);

-- Every authenticated request checks that its sign-in (refresh family) still has a live
-- token: one index seek on (family, revoked_at) whatever the family's length.
CREATE INDEX refresh_tokens_live ON refresh_tokens (family, revoked_at);
