-- The till: the shop's own details and the open tickets. Times are INTEGER microseconds.

-- The shop (one row): printed on receipts and invoices. Its country is the default_country
-- setting. vat_rates: the rates offered at the till, basis points separated by commas.
CREATE TABLE shop (
    id             INTEGER PRIMARY KEY CHECK (id = 1),
    name           TEXT NOT NULL,
    tax_id         TEXT NOT NULL,
    line1          TEXT NOT NULL,
    line2          TEXT NOT NULL,
    postal_code    TEXT NOT NULL,
    city           TEXT NOT NULL,
    region         TEXT NOT NULL,
    invoice_prefix TEXT NOT NULL,
    vat_rates      TEXT NOT NULL,
    updated_at     INTEGER NOT NULL,
    version        INTEGER NOT NULL
);
INSERT INTO shop VALUES (1, '', '', '', '', '', '', '', 'F', '2100,1000,400,0', 0, 1);

-- Open tickets; closing one issues an invoice and deletes it. owner_id is the user who
-- opened it (no foreign key: the system user runs benches). The customer is attached by id;
-- deleting the customer detaches them. The group and its discount are captured when the
-- customer is attached (a group's new rate is seen by the next ticket); no foreign key, so a
-- group can be deleted while a ticket still shows it.
CREATE TABLE tickets (
    seq                   INTEGER PRIMARY KEY,
    id                    TEXT NOT NULL UNIQUE,
    owner_id              TEXT NOT NULL,
    customer_id           TEXT REFERENCES customers (id) ON DELETE SET NULL,
    group_id              TEXT NOT NULL,
    group_name            TEXT NOT NULL,
    discount_basis_points INTEGER NOT NULL CHECK (discount_basis_points BETWEEN 0 AND 10000),
    created_at            INTEGER NOT NULL,
    updated_at            INTEGER NOT NULL,
    version               INTEGER NOT NULL
);
CREATE INDEX tickets_owner ON tickets (owner_id, seq);
CREATE INDEX tickets_customer ON tickets (customer_id) WHERE customer_id IS NOT NULL;

CREATE TABLE ticket_lines (
    seq                   INTEGER PRIMARY KEY,
    id                    TEXT NOT NULL UNIQUE,
    ticket_id             TEXT NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    label                 TEXT NOT NULL,
    quantity              INTEGER NOT NULL CHECK (quantity > 0), -- thousandths
    unit_price_cents      INTEGER NOT NULL CHECK (unit_price_cents >= 0),
    vat_rate_basis_points INTEGER NOT NULL CHECK (vat_rate_basis_points BETWEEN 0 AND 10000)
);
CREATE INDEX ticket_lines_ticket ON ticket_lines (ticket_id, seq);
