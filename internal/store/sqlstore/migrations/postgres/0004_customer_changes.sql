-- Every committed change to customers, by any server process or the command line, is
-- announced on the channel clientela_customers, so that servers sharing this database can
-- cache barcode lookups and drop the cache when anything changes (see pglisten.go). Once per
-- statement: a bulk load announces itself once. PostgreSQL delivers notifications at commit
-- and folds identical ones of a transaction into one.
CREATE FUNCTION customers_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('clientela_customers', '');
    RETURN NULL;
END
$$;
CREATE TRIGGER customers_notify_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON customers
    FOR EACH STATEMENT EXECUTE FUNCTION customers_notify_change();
