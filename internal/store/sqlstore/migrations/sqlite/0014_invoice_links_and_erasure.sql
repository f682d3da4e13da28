-- What may change in an issued invoice or a ledger entry, and nothing more (docs/privacy.md,
-- docs/merge.md). A merge of two customers moves the link to the customer (customer_id); an
-- erasure, or the end of the retention period, blanks the customer's personal data in the
-- invoice's snapshot and the ledger's copy of the name. Amounts, numbers, dates, the issuer,
-- the chain record and its fingerprint stay as issued, and nothing is ever deleted.
DROP TRIGGER invoices_no_update;
CREATE TRIGGER invoices_no_update BEFORE UPDATE ON invoices
WHEN NEW.seq IS NOT OLD.seq OR NEW.id IS NOT OLD.id OR NEW.number IS NOT OLD.number OR
    NEW.series IS NOT OLD.series OR NEW.year IS NOT OLD.year OR
    NEW.number_in_series IS NOT OLD.number_in_series OR NEW.type IS NOT OLD.type OR
    NEW.issued_at IS NOT OLD.issued_at OR NEW.ticket_id IS NOT OLD.ticket_id OR
    NEW.user_id IS NOT OLD.user_id OR NEW.username IS NOT OLD.username OR
    NEW.issuer_name IS NOT OLD.issuer_name OR NEW.issuer_tax_id IS NOT OLD.issuer_tax_id OR
    NEW.issuer_line1 IS NOT OLD.issuer_line1 OR NEW.issuer_line2 IS NOT OLD.issuer_line2 OR
    NEW.issuer_postal_code IS NOT OLD.issuer_postal_code OR
    NEW.issuer_city IS NOT OLD.issuer_city OR NEW.issuer_region IS NOT OLD.issuer_region OR
    NEW.issuer_country IS NOT OLD.issuer_country OR NEW.customer_kind IS NOT OLD.customer_kind OR
    NEW.customer_country IS NOT OLD.customer_country OR
    NEW.customer_account_number IS NOT OLD.customer_account_number OR
    NEW.group_id IS NOT OLD.group_id OR NEW.group_name IS NOT OLD.group_name OR
    NEW.group_discount_basis_points IS NOT OLD.group_discount_basis_points OR
    NEW.gross_cents IS NOT OLD.gross_cents OR NEW.discount_cents IS NOT OLD.discount_cents OR
    NEW.total_cents IS NOT OLD.total_cents OR NEW.vat_cents IS NOT OLD.vat_cents OR
    NEW.change_cents IS NOT OLD.change_cents OR NEW.rectifies_id IS NOT OLD.rectifies_id OR
    NEW.chain_position IS NOT OLD.chain_position OR
    NEW.rec_id_emisor_factura IS NOT OLD.rec_id_emisor_factura OR
    NEW.rec_num_serie_factura IS NOT OLD.rec_num_serie_factura OR
    NEW.rec_fecha_expedicion IS NOT OLD.rec_fecha_expedicion OR
    NEW.rec_tipo_factura IS NOT OLD.rec_tipo_factura OR
    NEW.rec_cuota_total IS NOT OLD.rec_cuota_total OR
    NEW.rec_importe_total IS NOT OLD.rec_importe_total OR NEW.rec_huella IS NOT OLD.rec_huella OR
    NEW.rec_fecha_hora_huso IS NOT OLD.rec_fecha_hora_huso OR
    NEW.fingerprint IS NOT OLD.fingerprint OR
    (NEW.customer_title IS NOT OLD.customer_title AND NEW.customer_title <> '') OR
    (NEW.customer_first_name IS NOT OLD.customer_first_name AND NEW.customer_first_name <> '') OR
    (NEW.customer_last_name IS NOT OLD.customer_last_name AND NEW.customer_last_name <> '') OR
    (NEW.customer_company_name IS NOT OLD.customer_company_name AND NEW.customer_company_name <> '') OR
    (NEW.customer_legal_form IS NOT OLD.customer_legal_form AND NEW.customer_legal_form <> '') OR
    (NEW.customer_tax_id IS NOT OLD.customer_tax_id AND NEW.customer_tax_id <> '') OR
    (NEW.customer_line1 IS NOT OLD.customer_line1 AND NEW.customer_line1 <> '') OR
    (NEW.customer_line2 IS NOT OLD.customer_line2 AND NEW.customer_line2 <> '') OR
    (NEW.customer_postal_code IS NOT OLD.customer_postal_code AND NEW.customer_postal_code <> '') OR
    (NEW.customer_city IS NOT OLD.customer_city AND NEW.customer_city <> '') OR
    (NEW.customer_region IS NOT OLD.customer_region AND NEW.customer_region <> '') OR
    (NEW.customer_email IS NOT OLD.customer_email AND NEW.customer_email <> '') OR
    (NEW.customer_reference IS NOT OLD.customer_reference AND NEW.customer_reference <> '') OR
    (NEW.customer_name_key IS NOT OLD.customer_name_key AND NEW.customer_name_key <> '')
BEGIN
    SELECT RAISE(ABORT, 'issued invoices cannot be changed or deleted');
END;

DROP TRIGGER ledger_entries_no_update;
CREATE TRIGGER ledger_entries_no_update BEFORE UPDATE ON ledger_entries
WHEN NEW.seq IS NOT OLD.seq OR NEW.id IS NOT OLD.id OR
    NEW.account_number IS NOT OLD.account_number OR NEW.kind IS NOT OLD.kind OR
    NEW.amount_cents IS NOT OLD.amount_cents OR NEW.balance_cents IS NOT OLD.balance_cents OR
    NEW.method IS NOT OLD.method OR NEW.invoice_id IS NOT OLD.invoice_id OR
    NEW.invoice_number IS NOT OLD.invoice_number OR NEW.reason IS NOT OLD.reason OR
    NEW.limit_override IS NOT OLD.limit_override OR NEW.user_id IS NOT OLD.user_id OR
    NEW.username IS NOT OLD.username OR NEW.created_at IS NOT OLD.created_at OR
    (NEW.customer_name IS NOT OLD.customer_name AND NEW.customer_name <> '')
BEGIN
    SELECT RAISE(ABORT, 'ledger entries cannot be changed or deleted');
END;
