-- Every committed change to customers, users or API tokens, by any server process or the
-- command line, is announced so that servers sharing this database can cache API tokens and
-- barcode lookups and forget them when something changes (see pglisten.go). The payload names
-- the topic: 'customers', or 'access' for users and API tokens (a revocation, a disabled
-- user, a new role, language or password). Once per statement: a bulk load announces itself
-- once, and PostgreSQL delivers notifications at commit and folds identical ones of a
-- transaction into one.
--
-- The channel is the schema's own, 'clientela:' || schema (hashed with md5 when that is
-- longer than a channel name's 63 bytes; pglisten.go computes the same): installations and
-- tests that share a database in separate schemas do not hear each other. It is computed
-- here, not by a function found through search_path, so that a write from a session with
-- another search_path (or after the schema is renamed) still announces on the right channel.
CREATE FUNCTION clientela_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    channel text := 'clientela:' || TG_TABLE_SCHEMA;
BEGIN
    IF octet_length(channel) > 63 THEN
        channel := 'clientela:' || md5(TG_TABLE_SCHEMA);
    END IF;
    PERFORM pg_notify(channel, TG_ARGV[0]);
    RETURN NULL;
END
$$;

DROP TRIGGER customers_notify_change ON customers;
DROP FUNCTION customers_notify_change();
CREATE TRIGGER customers_notify_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON customers
    FOR EACH STATEMENT EXECUTE FUNCTION clientela_notify_change('customers');
CREATE TRIGGER users_notify_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON users
    FOR EACH STATEMENT EXECUTE FUNCTION clientela_notify_change('access');
-- Recording a token's last use (about once a minute per token) changes nothing a server
-- caches and is not announced: every other column is listed. A new column that changes what
-- a token grants must be added here (TestChangeFeedTopics checks that every column but
-- last_used_at is announced).
CREATE TRIGGER api_tokens_notify_change
    AFTER INSERT OR DELETE OR TRUNCATE OR UPDATE OF seq, id, user_id, name, token_hash, created_at, revoked_at ON api_tokens
    FOR EACH STATEMENT EXECUTE FUNCTION clientela_notify_change('access');

-- As migration 0006 did for customers: the announcements fire even in sessions with
-- session_replication_role = replica (pg_restore --disable-triggers, logical replication,
-- sync tools). ALTER TABLE … DISABLE TRIGGER ALL still silences them; servers must then be
-- restarted.
ALTER TABLE customers ENABLE ALWAYS TRIGGER customers_notify_change;
ALTER TABLE users ENABLE ALWAYS TRIGGER users_notify_change;
ALTER TABLE api_tokens ENABLE ALWAYS TRIGGER api_tokens_notify_change;
