-- Every committed change to customers, users or API tokens, by any process, moves a counter
-- of its topic: 'customers', or 'access' for users and API tokens (a revocation, a disabled
-- user, a new role, language or password). A server's change feed (sqlitefeed.go) notices
-- commits by other connections through PRAGMA data_version and reads these counters to learn
-- which topics moved, so that it can cache API tokens and barcode lookups and forget them
-- when something changes. SQLite's triggers run once per row.
CREATE TABLE change_counters (
    topic   TEXT PRIMARY KEY,
    version INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO change_counters (topic, version) VALUES ('customers', 0), ('access', 0);

CREATE TRIGGER customers_changed_insert AFTER INSERT ON customers BEGIN
    UPDATE change_counters SET version = version + 1 WHERE topic = 'customers';
END;
CREATE TRIGGER customers_changed_update AFTER UPDATE ON customers BEGIN
    UPDATE change_counters SET version = version + 1 WHERE topic = 'customers';
END;
CREATE TRIGGER customers_changed_delete AFTER DELETE ON customers BEGIN
    UPDATE change_counters SET version = version + 1 WHERE topic = 'customers';
END;

CREATE TRIGGER users_changed_insert AFTER INSERT ON users BEGIN
    UPDATE change_counters SET version = version + 1 WHERE topic = 'access';
END;
CREATE TRIGGER users_changed_update AFTER UPDATE ON users BEGIN
    UPDATE change_counters SET version = version + 1 WHERE topic = 'access';
END;
CREATE TRIGGER users_changed_delete AFTER DELETE ON users BEGIN
    UPDATE change_counters SET version = version + 1 WHERE topic = 'access';
END;

CREATE TRIGGER api_tokens_changed_insert AFTER INSERT ON api_tokens BEGIN
    UPDATE change_counters SET version = version + 1 WHERE topic = 'access';
END;
-- Recording a token's last use (about once a minute per token) changes nothing a server
-- caches and moves no counter: every other column is listed. A new column that changes what
-- a token grants must be added here (TestChangeFeedTopics checks that every column but
-- last_used_at is counted).
CREATE TRIGGER api_tokens_changed_update AFTER UPDATE OF seq, id, user_id, name, token_hash, created_at, revoked_at ON api_tokens BEGIN
    UPDATE change_counters SET version = version + 1 WHERE topic = 'access';
END;
CREATE TRIGGER api_tokens_changed_delete AFTER DELETE ON api_tokens BEGIN
    UPDATE change_counters SET version = version + 1 WHERE topic = 'access';
END;
