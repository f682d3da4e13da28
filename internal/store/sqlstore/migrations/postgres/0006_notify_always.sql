-- The change notification fires even in sessions with session_replication_role = replica
-- (pg_restore --disable-triggers, logical replication subscribers, sync tools): a change that
-- servers do not hear about would leave a stale customer in their lookup caches. Note that
-- ALTER TABLE customers DISABLE TRIGGER ALL still silences it; servers must then be restarted.
ALTER TABLE customers ENABLE ALWAYS TRIGGER customers_notify_change;
