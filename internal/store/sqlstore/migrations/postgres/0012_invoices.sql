-- Invoices: issued when a ticket closes, immutable, numbered per series and year without
-- gaps, chained record to record. Corrections are rectifying invoices pointing to the original.
CREATE TABLE invoices (
    seq                         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id                          uuid NOT NULL UNIQUE,
    number                      text NOT NULL UNIQUE,
    series                      text NOT NULL,
    year                        integer NOT NULL,
    number_in_series            bigint NOT NULL CHECK (number_in_series > 0),
    type                        text NOT NULL CHECK (type IN ('F1', 'F2', 'R1', 'R5')),
    issued_at                   timestamptz NOT NULL,
    ticket_id                   text NOT NULL, -- '' for a rectifying invoice
    user_id                     text NOT NULL,
    username                    text NOT NULL,
    issuer_name                 text NOT NULL,
    issuer_tax_id               text NOT NULL,
    issuer_line1                text NOT NULL,
    issuer_line2                text NOT NULL,
    issuer_postal_code          text NOT NULL,
    issuer_city                 text NOT NULL,
    issuer_region               text NOT NULL,
    issuer_country              text NOT NULL,
    customer_id                 uuid, -- no foreign key: the invoice outlives the customer
    customer_kind               text NOT NULL, -- '' without a customer
    customer_title              text NOT NULL,
    customer_first_name         text NOT NULL,
    customer_last_name          text NOT NULL,
    customer_company_name       text NOT NULL,
    customer_legal_form         text NOT NULL,
    customer_tax_id             text NOT NULL,
    customer_line1              text NOT NULL,
    customer_line2              text NOT NULL,
    customer_postal_code        text NOT NULL,
    customer_city               text NOT NULL,
    customer_region             text NOT NULL,
    customer_country            text NOT NULL,
    customer_email              text NOT NULL,
    customer_reference          text NOT NULL,
    customer_account_number     text NOT NULL,
    customer_name_key           text NOT NULL, -- the name folded (search.Key), for search
    group_id                    text NOT NULL, -- '' without a group
    group_name                  text NOT NULL,
    group_discount_basis_points integer NOT NULL,
    gross_cents                 bigint NOT NULL,
    discount_cents              bigint NOT NULL,
    total_cents                 bigint NOT NULL,
    vat_cents                   bigint NOT NULL,
    change_cents                bigint NOT NULL CHECK (change_cents >= 0),
    rectifies_id                uuid REFERENCES invoices (id),
    chain_position              bigint NOT NULL UNIQUE,
    -- The chain record's fields exactly as hashed, and the fingerprint.
    rec_id_emisor_factura       text NOT NULL,
    rec_num_serie_factura       text NOT NULL,
    rec_fecha_expedicion        text NOT NULL,
    rec_tipo_factura            text NOT NULL,
    rec_cuota_total             text NOT NULL,
    rec_importe_total           text NOT NULL,
    rec_huella                  text NOT NULL,
    rec_fecha_hora_huso         text NOT NULL,
    fingerprint                 text NOT NULL,
    UNIQUE (series, year, number_in_series)
);
CREATE INDEX invoices_issued ON invoices (issued_at, seq);
CREATE INDEX invoices_customer ON invoices (customer_id, issued_at) WHERE customer_id IS NOT NULL;
CREATE INDEX invoices_rectifies ON invoices (rectifies_id) WHERE rectifies_id IS NOT NULL;

-- Lines as issued. On a rectifying invoice quantities and amounts are negative, and
-- rectified_line is the position of the original's line returned (0 otherwise).
CREATE TABLE invoice_lines (
    invoice_id            uuid NOT NULL REFERENCES invoices (id),
    position              integer NOT NULL,
    label                 text NOT NULL,
    quantity              bigint NOT NULL, -- thousandths
    unit_price_cents      bigint NOT NULL,
    vat_rate_basis_points integer NOT NULL,
    discount_basis_points integer NOT NULL,
    gross_cents           bigint NOT NULL,
    discount_cents        bigint NOT NULL,
    total_cents           bigint NOT NULL,
    rectified_line        integer NOT NULL,
    PRIMARY KEY (invoice_id, position)
);

CREATE TABLE invoice_vat (
    invoice_id        uuid NOT NULL REFERENCES invoices (id),
    rate_basis_points integer NOT NULL,
    base_cents        bigint NOT NULL,
    vat_cents         bigint NOT NULL,
    total_cents       bigint NOT NULL,
    PRIMARY KEY (invoice_id, rate_basis_points)
);

-- amount_cents: what the tender paid of the invoice (cash net of the change);
-- tendered_cents: what was handed over.
CREATE TABLE invoice_payments (
    invoice_id     uuid NOT NULL REFERENCES invoices (id),
    position       integer NOT NULL,
    method         text NOT NULL,
    amount_cents   bigint NOT NULL,
    tendered_cents bigint NOT NULL,
    PRIMARY KEY (invoice_id, position)
);

-- The last number of each series and year. A close takes the next one with UPDATE …
-- RETURNING inside its transaction: the row lock makes concurrent closes (and several
-- processes on one PostgreSQL) take turns, and a rolled-back close gives its number back.
CREATE TABLE invoice_counters (
    series      text NOT NULL,
    year        integer NOT NULL,
    last_number bigint NOT NULL,
    PRIMARY KEY (series, year)
);

-- The head of the chain (one row): the last record's fingerprint and the number of records.
CREATE TABLE invoice_chain (
    id     integer PRIMARY KEY CHECK (id = 1),
    head   text NOT NULL,
    length bigint NOT NULL
);
INSERT INTO invoice_chain VALUES (1, '', 0);

-- Idempotency keys of requests that create money or documents: the request they were first
-- used for (a ticket closed) and its result (the invoice), per scope ("ticket.close").
CREATE TABLE idempotency_keys (
    scope      text NOT NULL,
    key        text NOT NULL,
    request    text NOT NULL,
    result     text NOT NULL,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (scope, key)
);

-- Issued invoices cannot be changed nor deleted, whatever connects to the database.
CREATE FUNCTION refuse_invoice_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'issued invoices cannot be changed or deleted (%)', TG_TABLE_NAME
        USING ERRCODE = 'restrict_violation';
END;
$$;
CREATE TRIGGER invoices_immutable BEFORE UPDATE OR DELETE ON invoices FOR EACH ROW EXECUTE FUNCTION refuse_invoice_change();
CREATE TRIGGER invoices_no_truncate BEFORE TRUNCATE ON invoices FOR EACH STATEMENT EXECUTE FUNCTION refuse_invoice_change();
CREATE TRIGGER invoice_lines_immutable BEFORE UPDATE OR DELETE ON invoice_lines FOR EACH ROW EXECUTE FUNCTION refuse_invoice_change();
CREATE TRIGGER invoice_lines_no_truncate BEFORE TRUNCATE ON invoice_lines FOR EACH STATEMENT EXECUTE FUNCTION refuse_invoice_change();
CREATE TRIGGER invoice_vat_immutable BEFORE UPDATE OR DELETE ON invoice_vat FOR EACH ROW EXECUTE FUNCTION refuse_invoice_change();
CREATE TRIGGER invoice_vat_no_truncate BEFORE TRUNCATE ON invoice_vat FOR EACH STATEMENT EXECUTE FUNCTION refuse_invoice_change();
CREATE TRIGGER invoice_payments_immutable BEFORE UPDATE OR DELETE ON invoice_payments FOR EACH ROW EXECUTE FUNCTION refuse_invoice_change();
CREATE TRIGGER invoice_payments_no_truncate BEFORE TRUNCATE ON invoice_payments FOR EACH STATEMENT EXECUTE FUNCTION refuse_invoice_change();
