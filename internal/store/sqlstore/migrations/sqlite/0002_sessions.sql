-- Server-side sessions, login throttling, disabled users, revoked API tokens, user language.
-- Times are INTEGER microseconds since 1970-01-01 UTC.
ALTER TABLE users ADD COLUMN language TEXT NOT NULL DEFAULT '' CHECK (language IN ('', 'es', 'en'));
ALTER TABLE users ADD COLUMN disabled_at INTEGER;

ALTER TABLE api_tokens ADD COLUMN revoked_at INTEGER;
ALTER TABLE api_tokens ADD COLUMN last_used_at INTEGER;
-- Deleting a user cascades to their tokens; an index keeps that from scanning.
CREATE INDEX api_tokens_user ON api_tokens (user_id);

-- id_hash is the SHA-256 (hex) of the cookie's secret; the secret itself is never stored.
-- expires_at is the earlier of the idle and the absolute end, kept up to date by the app.
CREATE TABLE sessions (
    id_hash      TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at   INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expires ON sessions (expires_at);

-- Failed logins per key (a hash of user name and address, or of the address alone) in a
-- fixed window that starts at the first failure. Rows are purged once their window is over.
CREATE TABLE login_throttle (
    key          TEXT PRIMARY KEY,
    failures     INTEGER NOT NULL CHECK (failures >= 0),
    window_start INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX login_throttle_window ON login_throttle (window_start);
