-- Invoices: issued when a ticket closes, immutable, numbered per series and year without
-- gaps, chained record to record. Corrections are rectifying invoices pointing to the original.
-- Times are INTEGER microseconds.
CREATE TABLE invoices (
    seq                         INTEGER PRIMARY KEY,
    id                          TEXT NOT NULL UNIQUE,
    number                      TEXT NOT NULL UNIQUE,
    series                      TEXT NOT NULL,
    year                        INTEGER NOT NULL,
    number_in_series            INTEGER NOT NULL CHECK (number_in_series > 0),
    type                        TEXT NOT NULL CHECK (type IN ('F1', 'F2', 'R1', 'R5')),
    issued_at                   INTEGER NOT NULL,
    ticket_id                   TEXT NOT NULL, -- '' for a rectifying invoice
    user_id                     TEXT NOT NULL,
    username                    TEXT NOT NULL,
    issuer_name                 TEXT NOT NULL,
    issuer_tax_id               TEXT NOT NULL,
    issuer_line1                TEXT NOT NULL,
    issuer_line2                TEXT NOT NULL,
    issuer_postal_code          TEXT NOT NULL,
    issuer_city                 TEXT NOT NULL,
    issuer_region               TEXT NOT NULL,
    issuer_country              TEXT NOT NULL,
    customer_id                 TEXT, -- no foreign key: the invoice outlives the customer
    customer_kind               TEXT NOT NULL, -- '' without a customer
    customer_title              TEXT NOT NULL,
    customer_first_name         TEXT NOT NULL,
    customer_last_name          TEXT NOT NULL,
    customer_company_name       TEXT NOT NULL,
    customer_legal_form         TEXT NOT NULL,
    customer_tax_id             TEXT NOT NULL,
    customer_line1              TEXT NOT NULL,
    customer_line2              TEXT NOT NULL,
    customer_postal_code        TEXT NOT NULL,
    customer_city               TEXT NOT NULL,
    customer_region             TEXT NOT NULL,
    customer_country            TEXT NOT NULL,
    customer_email              TEXT NOT NULL,
    customer_reference          TEXT NOT NULL,
    customer_account_number     TEXT NOT NULL,
    customer_name_key           TEXT NOT NULL, -- the name folded (search.Key), for search
    group_id                    TEXT NOT NULL, -- '' without a group
    group_name                  TEXT NOT NULL,
    group_discount_basis_points INTEGER NOT NULL,
    gross_cents                 INTEGER NOT NULL,
    discount_cents              INTEGER NOT NULL,
    total_cents                 INTEGER NOT NULL,
    vat_cents                   INTEGER NOT NULL,
    change_cents                INTEGER NOT NULL CHECK (change_cents >= 0),
    rectifies_id                TEXT REFERENCES invoices (id),
    chain_position              INTEGER NOT NULL UNIQUE,
    -- The chain record's fields exactly as hashed, and the fingerprint.
    rec_id_emisor_factura       TEXT NOT NULL,
    rec_num_serie_factura       TEXT NOT NULL,
    rec_fecha_expedicion        TEXT NOT NULL,
    rec_tipo_factura            TEXT NOT NULL,
    rec_cuota_total             TEXT NOT NULL,
    rec_importe_total           TEXT NOT NULL,
    rec_huella                  TEXT NOT NULL,
    rec_fecha_hora_huso         TEXT NOT NULL,
    fingerprint                 TEXT NOT NULL,
    UNIQUE (series, year, number_in_series)
);
CREATE INDEX invoices_issued ON invoices (issued_at, seq);
CREATE INDEX invoices_customer ON invoices (customer_id, issued_at) WHERE customer_id IS NOT NULL;
CREATE INDEX invoices_rectifies ON invoices (rectifies_id) WHERE rectifies_id IS NOT NULL;

-- Lines as issued. On a rectifying invoice quantities and amounts are negative, and
-- rectified_line is the position of the original's line returned (0 otherwise).
CREATE TABLE invoice_lines (
    invoice_id            TEXT NOT NULL REFERENCES invoices (id),
    position              INTEGER NOT NULL,
    label                 TEXT NOT NULL,
    quantity              INTEGER NOT NULL, -- thousandths
    unit_price_cents      INTEGER NOT NULL,
    vat_rate_basis_points INTEGER NOT NULL,
    discount_basis_points INTEGER NOT NULL,
    gross_cents           INTEGER NOT NULL,
    discount_cents        INTEGER NOT NULL,
    total_cents           INTEGER NOT NULL,
    rectified_line        INTEGER NOT NULL,
    PRIMARY KEY (invoice_id, position)
);

CREATE TABLE invoice_vat (
    invoice_id        TEXT NOT NULL REFERENCES invoices (id),
    rate_basis_points INTEGER NOT NULL,
    base_cents        INTEGER NOT NULL,
    vat_cents         INTEGER NOT NULL,
    total_cents       INTEGER NOT NULL,
    PRIMARY KEY (invoice_id, rate_basis_points)
);

-- amount_cents: what the tender paid of the invoice (cash net of the change);
-- tendered_cents: what was handed over.
CREATE TABLE invoice_payments (
    invoice_id     TEXT NOT NULL REFERENCES invoices (id),
    position       INTEGER NOT NULL,
    method         TEXT NOT NULL,
    amount_cents   INTEGER NOT NULL,
    tendered_cents INTEGER NOT NULL,
    PRIMARY KEY (invoice_id, position)
);

-- The last number of each series and year. A close takes the next one with UPDATE …
-- RETURNING inside its transaction: the row lock makes concurrent closes (and several
-- processes on one PostgreSQL) take turns, and a rolled-back close gives its number back.
CREATE TABLE invoice_counters (
    series      TEXT NOT NULL,
    year        INTEGER NOT NULL,
    last_number INTEGER NOT NULL,
    PRIMARY KEY (series, year)
);

-- The head of the chain (one row): the last record's fingerprint and the number of records.
CREATE TABLE invoice_chain (
    id     INTEGER PRIMARY KEY CHECK (id = 1),
    head   TEXT NOT NULL,
    length INTEGER NOT NULL
);
INSERT INTO invoice_chain VALUES (1, '', 0);

-- Idempotency keys of requests that create money or documents: the request they were first
-- used for (a ticket closed) and its result (the invoice), per scope ("ticket.close").
CREATE TABLE idempotency_keys (
    scope      TEXT NOT NULL,
    key        TEXT NOT NULL,
    request    TEXT NOT NULL,
    result     TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (scope, key)
);

-- Issued invoices cannot be changed nor deleted, whatever connects to the database.
CREATE TRIGGER invoices_no_update BEFORE UPDATE ON invoices
BEGIN
    SELECT RAISE(ABORT, 'issued invoices cannot be changed or deleted');
END;
CREATE TRIGGER invoices_no_delete BEFORE DELETE ON invoices
BEGIN
    SELECT RAISE(ABORT, 'issued invoices cannot be changed or deleted');
END;
CREATE TRIGGER invoice_lines_no_update BEFORE UPDATE ON invoice_lines
BEGIN
    SELECT RAISE(ABORT, 'issued invoices cannot be changed or deleted');
END;
CREATE TRIGGER invoice_lines_no_delete BEFORE DELETE ON invoice_lines
BEGIN
    SELECT RAISE(ABORT, 'issued invoices cannot be changed or deleted');
END;
CREATE TRIGGER invoice_vat_no_update BEFORE UPDATE ON invoice_vat
BEGIN
    SELECT RAISE(ABORT, 'issued invoices cannot be changed or deleted');
END;
CREATE TRIGGER invoice_vat_no_delete BEFORE DELETE ON invoice_vat
BEGIN
    SELECT RAISE(ABORT, 'issued invoices cannot be changed or deleted');
END;
CREATE TRIGGER invoice_payments_no_update BEFORE UPDATE ON invoice_payments
BEGIN
    SELECT RAISE(ABORT, 'issued invoices cannot be changed or deleted');
END;
CREATE TRIGGER invoice_payments_no_delete BEFORE DELETE ON invoice_payments
BEGIN
    SELECT RAISE(ABORT, 'issued invoices cannot be changed or deleted');
END;
