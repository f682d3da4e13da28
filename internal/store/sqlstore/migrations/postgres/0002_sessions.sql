-- Server-side sessions, login throttling, disabled users, revoked API tokens, user language.
ALTER TABLE users ADD COLUMN language text NOT NULL DEFAULT '' CHECK (language IN ('', 'es', 'en'));
ALTER TABLE users ADD COLUMN disabled_at timestamptz;

ALTER TABLE api_tokens ADD COLUMN revoked_at timestamptz;
ALTER TABLE api_tokens ADD COLUMN last_used_at timestamptz;
-- Deleting a user cascades to their tokens; an index keeps that from scanning.
CREATE INDEX api_tokens_user ON api_tokens (user_id);

-- id_hash is the SHA-256 (hex) of the cookie's secret; the secret itself is never stored.
-- expires_at is the earlier of the idle and the absolute end, kept up to date by the app.
CREATE TABLE sessions (
    id_hash      text PRIMARY KEY,
    user_id      uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at   timestamptz NOT NULL,
    last_seen_at timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expires ON sessions (expires_at);

-- Failed logins per key (a hash of user name and address, or of the address alone) in a
-- fixed window that starts at the first failure. Rows are purged once their window is over.
CREATE TABLE login_throttle (
    key          text PRIMARY KEY,
    failures     integer NOT NULL CHECK (failures >= 0),
    window_start timestamptz NOT NULL
);
CREATE INDEX login_throttle_window ON login_throttle (window_start);
