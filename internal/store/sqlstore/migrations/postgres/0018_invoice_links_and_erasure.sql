-- What may change in an issued invoice or a ledger entry, and nothing more (docs/privacy.md,
-- docs/merge.md). A merge of two customers moves the link to the customer (customer_id); an
-- erasure, or the end of the retention period, blanks the customer's personal data in the
-- invoice's snapshot and the ledger's copy of the name. Amounts, numbers, dates, the issuer,
-- the chain record and its fingerprint stay as issued, and nothing is ever deleted. Columns
-- added later are covered too: everything but the named columns must stay equal.
CREATE FUNCTION guard_invoice_update() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    personal text[] := ARRAY['customer_title', 'customer_first_name', 'customer_last_name', 'customer_company_name', 'customer_legal_form', 'customer_tax_id', 'customer_line1', 'customer_line2', 'customer_postal_code', 'customer_city', 'customer_region', 'customer_email', 'customer_reference', 'customer_name_key'];
    col text;
BEGIN
    IF (to_jsonb(NEW) - personal - 'customer_id') IS DISTINCT FROM (to_jsonb(OLD) - personal - 'customer_id') THEN
        RAISE EXCEPTION 'issued invoices cannot be changed or deleted (invoices)'
            USING ERRCODE = 'restrict_violation';
    END IF;
    FOREACH col IN ARRAY personal LOOP
        IF to_jsonb(NEW) -> col IS DISTINCT FROM to_jsonb(OLD) -> col AND to_jsonb(NEW) ->> col <> '' THEN
            RAISE EXCEPTION 'an invoice''s customer data can only be erased, not changed (%)', col
                USING ERRCODE = 'restrict_violation';
        END IF;
    END LOOP;
    RETURN NEW;
END;
$$;
DROP TRIGGER invoices_immutable ON invoices;
CREATE TRIGGER invoices_no_update BEFORE UPDATE ON invoices FOR EACH ROW EXECUTE FUNCTION guard_invoice_update();
CREATE TRIGGER invoices_no_delete BEFORE DELETE ON invoices FOR EACH ROW EXECUTE FUNCTION refuse_invoice_change();

CREATE FUNCTION guard_ledger_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (to_jsonb(NEW) - 'customer_id' - 'customer_name') IS DISTINCT FROM (to_jsonb(OLD) - 'customer_id' - 'customer_name')
        OR (NEW.customer_name IS DISTINCT FROM OLD.customer_name AND NEW.customer_name <> '') THEN
        RAISE EXCEPTION 'ledger entries cannot be changed or deleted'
            USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN NEW;
END;
$$;
DROP TRIGGER ledger_entries_immutable ON ledger_entries;
CREATE TRIGGER ledger_entries_no_update BEFORE UPDATE ON ledger_entries FOR EACH ROW EXECUTE FUNCTION guard_ledger_update();
CREATE TRIGGER ledger_entries_no_delete BEFORE DELETE ON ledger_entries FOR EACH ROW EXECUTE FUNCTION refuse_ledger_change();
